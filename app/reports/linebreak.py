"""Chinese line breaking for printed documents (避头尾, kept names, whole numbers).

reportlab's wordWrap='CJK' breaks between any two characters and only knows the
Japanese list of characters that cannot start a line: "，" "；" "：" "》" "”" may
still begin a line, a code or a year can be cut in two, and so can a person's
name. The rules here are the usual ones of Chinese typesetting:

- no line starts with closing punctuation (、，。；：？！）》」』”’… and the like);
- no line ends with opening punctuation (（《「『“‘ …);
- a run of Latin letters and digits (a code, a year, a number) is not cut,
  unless it is wider than the whole line;
- text joined with `keep()` (a person's name) is never cut.

`break_lines` only decides where lines end; `OfficialParagraph` in
app.reports.official uses it in place of reportlab's splitter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

# U+2060 WORD JOINER: "no break here" in Unicode; stripped before drawing.
JOINER = "\u2060"

CANNOT_START = frozenset(
    "、，。．；：？！）》」』】〕〉］｝”’…—～·％‰℃°!),.:;?]}%\u3005\u309d\u309e\u30fc"
)
CANNOT_END = frozenset("（《「『【〔〈［｛“‘([{¥$￥")


def keep(text: str) -> str:
    """Mark `text` (a person's name, a short term) as never to be split across lines."""
    return JOINER.join(text)


def strip_joiners(text: str) -> str:
    return text.replace(JOINER, "")


def _is_word_char(ch: str) -> bool:
    # ASCII letters and digits and the characters that hold a code or number
    # together (91371500MA3C…, 2026-12-04, 5.00%, SJ-001).
    return ch.isascii() and (ch.isalnum() or ch in "-_./#%+:")


def _atoms(text: str) -> list[str]:
    """Split `text` into pieces that may not be broken internally."""
    atoms: list[str] = []
    current = ""
    previous = ""
    joined = False
    for ch in text:
        if ch == JOINER:
            joined = True
            continue
        glue = bool(current) and (
            joined
            or ch in CANNOT_START
            or previous in CANNOT_END
            or (_is_word_char(ch) and _is_word_char(previous))
        )
        if glue or not current:
            current += ch
        else:
            atoms.append(current)
            current = ch
        previous = ch
        joined = False
    if current:
        atoms.append(current)
    return atoms


def break_lines(
    text: str, widths: Sequence[float], measure: Callable[[str], float]
) -> list[tuple[str, float]]:
    """Lines of `text` and the room left at the end of each.

    `widths[k]` is the room for line k (the last one repeats); `measure` gives a
    string's width. "\\n" forces a break. Spaces at a break are dropped.
    """
    lines: list[tuple[str, float]] = []
    last = len(widths) - 1
    for hard in text.split("\n"):
        atoms = _atoms(hard)
        room = widths[min(len(lines), last)]
        parts: list[str] = []
        used = 0.0
        for atom in atoms:
            w = measure(atom)
            if parts and used + w > room + 0.01:
                if atom.isspace():
                    continue
                line = "".join(parts).rstrip(" ")
                lines.append((line, room - measure(line)))
                room = widths[min(len(lines), last)]
                parts, used = [], 0.0
                atom = atom.lstrip(" ")
                w = measure(atom)
            if w > room and not parts:
                # Wider than a whole line (a long code): cut it by characters,
                # carrying closing punctuation with the character before it.
                pieces = _force(atom, room, measure)
                for piece in pieces[:-1]:
                    lines.append((piece, room - measure(piece)))
                    room = widths[min(len(lines), last)]
                parts, used = [pieces[-1]], measure(pieces[-1])
                continue
            parts.append(atom)
            used += w
        line = "".join(parts).rstrip(" ")
        lines.append((line, room - measure(line)))
    return lines


def _force(atom: str, room: float, measure: Callable[[str], float]) -> list[str]:
    pieces: list[str] = []
    line = ""
    for ch in atom:
        if line and measure(line + ch) > room + 0.01 and ch not in CANNOT_START:
            pieces.append(line)
            line = ""
        line += ch
    pieces.append(line)
    return pieces


@cache
def width_cache(font: str, size: float) -> Callable[[str], float]:
    """A `measure` for `break_lines` that remembers each character's width."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    cache: dict[str, float] = {}

    def measure(text: str) -> float:
        total = 0.0
        for ch in text:
            w = cache.get(ch)
            if w is None:
                w = cache[ch] = stringWidth(ch, font, size)
            total += w
        return total

    return measure
