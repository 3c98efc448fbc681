"""The header of a directive read from its text (Decree 30/2020/NĐ-CP layout).

`read_header(text)` returns what it finds among: `number` ("131/2025/QĐ-UBND"), `issued_on`
(a date), `place`, `doc_type` (a `DocumentType` value), `subject`, `signer`, `urgency` (an
`Urgency` value) and `classification` (a `Classification` value; anything but "none" means the
document must be refused, R5.2d). Keys it cannot find are left out.

Only the head of the document (before the body starts) is searched for marks, so a sentence
about "bí mật" in the body is not a classification.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .units import fold, normalize

_NUMBER = re.compile(
    r"\bS[ốo]\s*(?:hiệu)?\s*[:.]?\s*(\d{1,6}[a-zA-Z]?\s*/\s*[\w/&.\-Đđ]+)", re.IGNORECASE
)
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)
_DATE_NUMERIC = re.compile(
    r"(?:ngày ban hành|ngày)\s*[:]?\s*(\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE
)
_PLACE = re.compile(r"^([A-ZÀ-ỸĐ][\wÀ-ỹĐđ .\-]{1,40}),\s*ngày\s+\d{1,2}\s+tháng", re.MULTILINE)

# Title words of each document type, and the type's code in a number's symbol.
_TYPES = [
    ("thong bao ket luan", "conclusion", "TB"),
    ("quyet dinh", "decision", "QĐ"),
    ("chi thi", "directive", "CT"),
    ("ke hoach", "plan", "KH"),
    ("chuong trinh", "program", "CTr"),
    ("thong bao", "notice", "TB"),
    ("cong dien", "telegram", "CĐ"),
    ("bien ban", "meeting", "BB"),
    ("cong van", "official_letter", ""),
]
_SYMBOL_TYPES = {
    "qd": "decision",
    "ct": "directive",
    "kh": "plan",
    "ctr": "program",
    "tb": "notice",
    "cd": "telegram",
    "bb": "meeting",
}
_CLASSIFICATION = [("tuyet mat", "top_secret"), ("toi mat", "secret"), ("mat", "confidential")]
_URGENCY = [("hoa toc", "flash"), ("thuong khan", "very_urgent"), ("khan", "urgent")]
_SIGNER_TITLE = re.compile(
    r"^(?:(?:tm|kt|tl|tuq|q)\.\s*.*|chu tich|pho chu tich|giam doc|pho giam doc|chanh van phong|"
    r"pho chanh van phong|truong ban|thu truong|bi thu|chanh thanh tra)$"
)
_NAME = re.compile(r"^[A-ZÀ-ỸĐ][a-zà-ỹđ]+(?:\s+[A-ZÀ-ỸĐ][a-zà-ỹđ]+){1,5}$")


def _date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def read_header(text: str) -> dict[str, Any]:
    """Header fields found in the text (module docstring).

    1. The head is the lines before the first body line ("Căn cứ", "Điều 1", "I.", a long
       sentence); marks (MẬT, KHẨN) count only there, as a line of their own.
    2. Number, date and place are the first matches of their patterns in the head (or, for a
       web copy, in the first 3,000 characters).
    3. The type is the first title line ("QUYẾT ĐỊNH", "KẾ HOẠCH"); else the symbol's code
       (QĐ, KH); a "V/v" line makes it an official letter. The subject is the capitalised lines
       under the title, or the "V/v" line.
    4. The signer is the name line after the signature block ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH").
    """
    text = normalize(text)
    lines = [" ".join(x.split()) for x in text.splitlines()]
    lines = [x for x in lines if x]
    head_end = len(lines)
    for i, line in enumerate(lines):
        f = fold(line)
        if f.startswith(("can cu", "dieu 1", "i. ", "thuc hien ")) or (len(line) > 200 and i > 3):
            head_end = i
            break
    head = lines[: min(head_end, 40)]
    found: dict[str, Any] = {}
    start = "\n".join(lines[:60])[:3000]
    m = _NUMBER.search(start)
    if m:
        found["number"] = re.sub(r"\s+", "", m.group(1)).rstrip(".,;")
    m = _DATE.search(start)
    date = _date(*m.groups()) if m else None
    if date is None:
        m2 = _DATE_NUMERIC.search(start)
        date = _date(*m2.groups()) if m2 else None
    if date:
        found["issued_on"] = date
    m = _PLACE.search(start)
    if m:
        found["place"] = m.group(1).strip()
    for line in head:
        f = fold(line).strip(" *-_()[]")
        for word, code in _CLASSIFICATION:
            if f in (word, f"do mat: {word}", f"do mat {word}"):
                found.setdefault("classification", code)
        for word, code in _URGENCY:
            if f in (word, f"do khan: {word}", f"do khan {word}"):
                found.setdefault("urgency", code)
    found.setdefault("classification", "none")
    found.setdefault("urgency", "normal")
    title_at = None
    for i, line in enumerate(head):
        if not line.isupper():
            continue
        f = fold(line)
        for word, code, _symbol in _TYPES:
            if f == word or f.startswith(word + " "):
                found["doc_type"] = code
                title_at = i
                rest = line[len(word) :].strip() if f != word else ""
                subject = [rest] if rest else []
                for nxt in head[i + 1 :]:
                    if nxt.isupper() and not fold(nxt).startswith(
                        ("chu tich", "uy ban nhan dan tinh")
                    ):
                        subject.append(nxt)
                    else:
                        break
                if subject:
                    found["subject"] = _sentence_case(" ".join(subject))
                break
        if title_at is not None:
            break
    for line in head:
        if fold(line).startswith(("v/v", "ve viec")):
            found.setdefault("subject", line.split(" ", 1)[1].strip() if " " in line else line)
            found.setdefault("doc_type", "official_letter")
            break
    if "doc_type" not in found and "number" in found:
        symbol = fold(found["number"]).split("/")
        for part in symbol[1:]:
            code = part.split("-")[0]
            if code in _SYMBOL_TYPES:
                found["doc_type"] = _SYMBOL_TYPES[code]
                break
    signer = _signer(lines)
    if signer:
        found["signer"] = signer
    return found


def _signer(lines: list[str]) -> str | None:
    for i, line in enumerate(lines):
        if _SIGNER_TITLE.match(fold(line)) and i + 1 < len(lines):
            for nxt in lines[i + 1 : i + 4]:
                if _NAME.match(nxt) and not nxt.isupper():
                    return nxt
                if _SIGNER_TITLE.match(fold(nxt)) or fold(nxt).startswith(("(da ky)", "da ky")):
                    continue
    return None


def _sentence_case(text: str) -> str:
    text = text.strip()
    return text[:1] + text[1:].lower() if text.isupper() else text
