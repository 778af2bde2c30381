"""argparse in Chinese: usage lines, section titles and error messages, wrapped whole.

argparse words its own messages through gettext (`argparse._`); a clerk's
terminal has no catalogue for them, so they came out in English next to our
Chinese help. `install()` points argparse's `_`/`ngettext` at the table below
(English text left as is when a message is not in it). Help text is wrapped
by display width (a CJK character takes two columns) without ever splitting
a Latin word or code such as `done=已完成`, and without starting a line with
closing punctuation.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from typing import Any, NoReturn

ZH: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选项 %(value)r（可选：%(choices)s）"
    ),
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "expected one argument": "须跟一个值",
    "expected at most one argument": "最多跟一个值",
    "expected at least one argument": "至少跟一个值",
    "expected %s argument": "须跟 %s 个值",
    "expected %s arguments": "须跟 %s 个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r",
    "one of the arguments %s is required": "须给出以下参数之一：%s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "参数 %(option)s 有歧义，可能是：%(matches)s"
    ),
    "unexpected option string: %s": "意外的参数：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "未知的子命令 %(parser_name)r（可选：%(choices)s）"
    ),
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
}


def translate(message: str) -> str:
    return ZH.get(message, message)


def ntranslate(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


def install() -> None:
    """Make argparse speak Chinese (process-wide: the command line is the whole process)."""
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = ntranslate  # type: ignore[attr-defined]


# --- wrapping by display width --------------------------------------------------------

# A token: a run of non-space, non-CJK characters (kept whole), one CJK character, or spaces.
_TOKEN = re.compile(
    r"\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+"
)
# Characters that must not begin a line (Chinese typesetting's 避头点), or end one (避尾点).
_NO_LINE_START = set("，。、；：？！）》」』】〕”’,.;:?!)]}%")
_NO_LINE_END = set("（《「『【〔“‘([{")
# A section title argparse ends with an ASCII colon ("选项:").
_HEADING = re.compile(r"^(\S[^\n]*[^\x00-\x7f]):$", re.MULTILINE)


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, columns: int) -> list[str]:
    """Greedy fill to `columns` display columns; Latin words and codes never split."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            if line:
                line += " "
            continue
        if line and width(line.rstrip()) + width(token) > columns:
            if token[0] in _NO_LINE_START:
                line += token  # hang the punctuation rather than start a line with it
                continue
            carry = ""
            while line and line[-1] in _NO_LINE_END:  # an opening bracket goes along
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line.rstrip())
            line = carry
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class ZhHelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str, **kwargs: Any) -> None:
        kwargs.setdefault("max_help_position", 30)
        super().__init__(prog, **kwargs)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


class ZhArgumentParser(argparse.ArgumentParser):
    """Every parser and subparser: the Chinese formatter, errors on stderr, exit 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ZhHelpFormatter)
        super().__init__(*args, **kwargs)

    def format_help(self) -> str:
        return _HEADING.sub(r"\1：", super().format_help())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n（加 -h 查看帮助）\n")
