"""Directive text → lines with their list level → sentences.

Directives are lists: "I." parts, "1." items, "a)" sub-items, "-" and "+" bullets. A line's
level says which heading it belongs under, so an item inherits the unit that its heading names
("2. Sở Y tế:" then "- Chủ trì …"). Lines broken inside a sentence (PDF and web copies) are
joined first; the preamble ("Căn cứ …"), the recipients ("Nơi nhận: …") and the signature are
dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .units import fold_keep_length, normalize

# Levels: smaller is higher. A paragraph without a marker has no level.
_MARKERS: list[tuple[re.Pattern[str], float]] = [
    (re.compile(r"^(?:Phần|PHẦN|Chương|CHƯƠNG|Part|PART)\s+[IVXLC\d]+\b[.:]?\s*"), 0),
    (re.compile(r"^(?:[IVX]{1,5})\s*[.)/-]\s+"), 1),
    (re.compile(r"^(?:Điều|Article)\s+\d+\s*[.:]?\s*"), 1.5),
    (re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2}\.?\s+"), 3.5),
    (re.compile(r"^\d{1,2}\.\d{1,2}\.?\s+"), 3),
    (re.compile(r"^\d{1,2}\s*[.)/]\s*(?=\S)(?!\d)"), 2),
    (re.compile(r"^[a-zđ]\s*[)]\s*"), 4),
    (re.compile(r"^\(?[a-zđ]\)\s*"), 4),
    (re.compile(r"^\(?[ivx]{1,4}\)\s+"), 4.5),
    (re.compile(r"^[-–—]\s*"), 5),
    (re.compile(r"^[•●▪◦*·]\s*"), 5),
    (re.compile(r"^\+\s*"), 6),
]

_SKIP_START = re.compile(
    r"^(can cu|xet de nghi|theo de nghi|noi nhan|kinh gui|cong hoa xa hoi|doc lap - tu do|"
    r"doc lap tu do|so:|so hieu|tm\.|kt\.|tl\.|tuq\.|q\. |chu tich$|pho chu tich|"
    r"(thanh pho|tinh|tp\.)?.{0,25}, ngay \d+ thang \d+ nam \d{4}$)"
)
_END_OF_BODY = re.compile(r"^(noi nhan|recipients?)\s*:?")
_HEAD = 100  # longer than any line the two patterns above match whole


@dataclass
class Line:
    """One logical line of the body: its text without the list marker, and its level.
    `folded` is `fold_keep_length(text)`: offsets in one are offsets in the other."""

    text: str
    level: float | None
    marker: str
    index: int
    folded: str = ""


# The markers as one pattern (alternatives in the same order): one match finds the marker
# the loop below would find first, unless that match is the whole line.
_ANY_MARKER = re.compile("|".join(f"({pattern.pattern})" for pattern, _ in _MARKERS))


def _marker(line: str) -> tuple[str, float | None]:
    m = _ANY_MARKER.match(line)
    if m is None:
        return "", None
    if m.end() < len(line):
        return m.group(), _MARKERS[m.lastindex - 1][1] if m.lastindex else None
    for pattern, level in _MARKERS:
        m = pattern.match(line)
        if m and m.end() < len(line):
            return m.group(), level
    return "", None


def _ends_sentence(line: str) -> bool:
    return line.rstrip().endswith((".", ";", ":", "!", "?", "./.", '"', ")", "…"))


def lines_of(text: str) -> list[Line]:
    """The body lines, joined where a sentence was broken, with markers and levels."""
    return body_lines(normalize(text))


def _single_spaced(line: str) -> str:
    """`" ".join(line.split())`; a line that is so already (the usual case: no two spaces, no
    space at either end, no tab or other separator, which are not printable) is kept."""
    if line.isprintable() and "  " not in line and line[:1] != " " and line[-1:] != " ":
        return line
    return " ".join(line.split())


def body_lines(text: str) -> list[Line]:
    """`lines_of` for a text already through `normalize` (as `extract_tasks` has it).

    1. Join the lines broken inside a sentence.
    2. Fold them all at once: `fold_keep_length` maps each character on its own, so the
       folded lines are the lines folded one by one, and each `Line` carries its fold.
    3. Drop the preamble, the recipients and the signature; split off the list markers.
    """
    raw = [_single_spaced(x).strip(" |") for x in text.splitlines()]
    joined: list[str] = []
    for line in raw:
        if not line:
            if joined and joined[-1]:
                joined.append("")
            continue
        if (
            joined
            and joined[-1]
            and not _ends_sentence(joined[-1])
            and line[:1].islower()
            and not _marker(line)[0]
        ):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    lines = [x for x in joined if x]
    folds = fold_keep_length("\n".join(lines)).split("\n")
    if len(folds) != len(lines):  # pragma: no cover - no line holds a line break
        folds = [fold_keep_length(x) for x in lines]
    out: list[Line] = []
    skipping_recipients = False
    for index, (line, line_folded) in enumerate(zip(lines, folds, strict=True)):
        # The skip patterns read a line's start (or the whole of a short line). Lines have
        # single spaces and no ends to strip, so their fold is `fold(line)`.
        folded = line_folded
        if len(line) > _HEAD:
            # A line has single spaces and none at its start (see `_single_spaced`): its
            # start, split and joined, is that start without a space at its end.
            folded = line_folded[:_HEAD].rstrip(" ") + " …"
        if _END_OF_BODY.match(folded):
            skipping_recipients = True
            continue
        if skipping_recipients:
            if line.startswith(("-", "–", "+", "•")) or len(line) < 60:
                continue
            skipping_recipients = False
        if _SKIP_START.match(folded):
            continue
        marker, level = _marker(line)
        if marker:
            rest = line[len(marker) :]
            at = len(marker) + len(rest) - len(rest.lstrip())
            body = rest.strip()
            body_folded = line_folded[at : at + len(body)]
        else:
            body, body_folded = line, line_folded
        if body:
            out.append(Line(body, level, marker.strip(), index, body_folded))
    return out


_ABBREVIATIONS = re.compile(
    r"(?:\b(?:TP|Tp|TX|Tx|TT|v\.v|No|Nos|Mr|Mrs|Ms|Dr|St|Co|Ltd|Inc|Jr|Sr|vs|etc|e\.g|i\.e|"
    r"PGS|TS|ThS|KS|BS|CN|Q|KT|TM|TL|TUQ|[A-ZĐ])\.)$"
)
# The end mark, then closing quotes or brackets, spaces, and a capital: the next sentence.
# (The mark is matched, not looked behind for, so the regex engine can skip to it; a split
# is made one character after the match's start.)
_END_MARKS = ".!?…"
_SENTENCE_END = re.compile(r"[.!?…][\"')\]]*\s+(?=[\"'(\[]?[A-ZÀ-ỸĐ0-9])")


_NUMBER_GOES_ON = re.compile(r"\d+\s+[a-zà-ỹđ]")
_MONTH_DAY_END = re.compile(r"\b[A-Z][a-z]+ \d{1,2}\.$")
_MONTH_YEAR = re.compile(r"[A-Z][a-z]+ \d{4}")


def sentences(text: str) -> list[str]:
    """Split a line into sentences, not after "TP.", "No." or a number like "06."."""
    return [text[a:b] for a, b in sentence_spans(text)]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each of `sentences(text)` stands in `text` (start, end)."""
    spans: list[tuple[int, int]] = []
    start = 0
    # An end mark followed by a space and a character stands before the last two: most
    # lines have none there, and `find` says so faster than the pattern.
    last = len(text) - 2
    inside = (
        text.find(".", 0, last) >= 0
        or text.find("!", 0, last) >= 0
        or text.find("?", 0, last) >= 0
        or text.find("…", 0, last) >= 0
    )
    for m in _SENTENCE_END.finditer(text) if inside else ():
        piece = text[start : m.start() + 1].rstrip()
        tail = piece[-12:]
        if _ABBREVIATIONS.search(tail):
            continue
        # "… implementation. 06 and …": a number after a full stop continues the sentence
        # when the next word is lower case.
        following = text[m.end() : m.end() + 12]
        if _NUMBER_GOES_ON.match(following):
            continue
        # "before December 31. May 2024": a garbled date, not two sentences.
        if _MONTH_YEAR.match(following) and _MONTH_DAY_END.search(piece):
            continue
        spans.append(_stripped(text, start, m.end()))
        start = m.end()
    spans.append(_stripped(text, start, len(text)))
    return [(a, b) for a, b in spans if a < b]


def _stripped(text: str, a: int, b: int) -> tuple[int, int]:
    """The span of `text[a:b].strip()`."""
    piece = text[a:b]
    stripped = piece.lstrip()
    a += len(piece) - len(stripped)
    return a, a + len(stripped.rstrip())
