"""Issue 16 (Chinese throughout): help and usage errors in Chinese, no word split on wrapping."""

from __future__ import annotations

import argparse
import re

import pytest

from app import cli
from app.commands.parsing import wrap

ENGLISH = (
    "usage:",
    "options",
    "positional arguments",
    "show this help",
    "error:",
    "the following arguments are required",
    "invalid choice",
    "unrecognized arguments",
)
# Latin words, codes and paths as written in the help text (kept whole when wrapped).
_WORD = re.compile(r"[A-Za-z0-9_=+.:/\-]{3,}")


def _parsers(parser: argparse.ArgumentParser, path: list[str]):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, [*path, name])


def _texts(parser: argparse.ArgumentParser) -> list[str]:
    texts = [parser.description or ""]
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            texts.append(action.help)
    return texts


@pytest.mark.parametrize("columns", ["60", "100"])
def test_every_help_is_chinese_and_no_word_is_split(
    columns: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    for path, parser in _parsers(cli.build_parser(), []):
        with pytest.raises(SystemExit) as done:
            cli.main([*path, "--help"])
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith("用法：")
        for english in ENGLISH:
            assert english not in out, (path, english)
        for text in _texts(parser):
            for word in _WORD.findall(text):
                assert word in out, (path, word)  # e.g. "done=已完成", "recusals"
        for line in out.splitlines():
            assert not line.strip().startswith(("，", "。", "、", "；", "：", "）")), (path, line)


def test_usage_errors_are_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, expected in (
        (["import"], "缺少必需的参数"),
        (["import", "nope", "x.xlsx"], "无效的选项"),
        (["plan", "list", "--bogus"], "无法识别的参数"),
        (["manifest", "T", "--out", "m.json", "--on", "昨天"], "无效的值"),
    ):
        with pytest.raises(SystemExit) as done:
            cli.main(argv)
        assert done.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("用法：") and expected in err, err
        for english in ENGLISH:
            assert english not in err, (argv, english)


def test_wrap_keeps_latin_words_whole_and_punctuation_off_line_starts() -> None:
    text = "状态代码：draft=草稿、filed=已备案、published=已公开、done=已完成。" * 3
    for columns in range(12, 60):
        lines = wrap(text, columns)
        joined = "".join(lines)
        assert joined.replace(" ", "") == text.replace(" ", "")
        for word in ("draft=草稿", "published=已公开", "done=已完成"):
            assert word in joined
        assert all(not line.startswith(("、", "。", "：")) for line in lines)
        for line in lines:
            assert "done" not in line or "done=" in line
