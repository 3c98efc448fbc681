"""Deadlines and reporting cycles in directive wording, Vietnamese and English.

`parse_deadline(sentence, issued=...)` returns the completion date a sentence sets, the
reporting cycle if the task is periodic, and whether it asks for immediate action:

- "trước ngày 15/5/2024", "chậm nhất ngày 15 tháng 5 năm 2024", "Completed before May 15, 2024";
- "hoàn thành trong tháng 6/2025" → 30/6/2025; "Quý II/2024" → 30/6/2024; "6 tháng đầu năm"
  → 30/6; "trong năm 2025" → 31/12/2025; a date without a year takes the document's year;
- "trong thời hạn 10 ngày làm việc kể từ ngày ký" → counted on the working-day calendar;
- "ngay", "khẩn trương" → no date (urgent);
- "định kỳ hằng quý", "hằng tháng", "thường xuyên" → no date, a cycle.

How a date is chosen: every date-like phrase is found with its position; a phrase counts only
when a completion cue ("trước", "chậm nhất", "hoàn thành", "by", "before"…) stands shortly
before it and it is not the date of a cited document ("Quyết định số 12/QĐ-UBND ngày …").
Of the phrases that count, the latest date wins (a task that reports on 15/5 and completes on
30/6 is due on 30/6).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from .units import fold

MONTHLY = "monthly"
QUARTERLY = "quarterly"
SEMIANNUAL = "semiannual"
ANNUAL = "annual"
REGULAR = "regular"


@dataclass(frozen=True)
class Deadline:
    """What a sentence says about time: a date, a cycle, or an urgent 'now'."""

    date: dt.date | None = None
    periodic: str | None = None
    urgent: bool = False
    phrase: str = ""


def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
MONTHS_EN = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MON = r"\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"  # noqa: E501 (one pattern reads best whole)
_YEAR = r"((?:19|20)\d\d)"

# Completion cues: one must stand within a few words before a date for it to count.
_CUE = re.compile(
    r"(truoc|cham nhat|muon nhat|han chot|thoi han|han hoan thanh|hoan thanh|hoan tat|xong|"
    r"ket thuc|trong|den|khong qua|thoi gian|tien do|dat|trinh|bao cao|gui|"
    r"before|by|no later than|until|deadline|complete|completed|completion|finish|finished|"
    r"within|due|in|during|end of|from|time)\b[^;]{0,40}$"
)
# "Quyết định số 12/QĐ-UBND ngày", "Official Dispatch No. 10537/UBND-KSTT dated": a citation.
_CITATION = re.compile(
    r"((\bso|\bno\.?|number)\s*[\w./&-]*\d[\w./&-]*\s*(,\s*)?(ngay|dated|on|of)?\s*$)|"
    r"((quyet dinh|chi thi|ke hoach|cong van|nghi quyet|thong bao|thong tu|nghi dinh|luat|"
    r"van ban|cong dien|to trinh|ket luan|decision|directive|plan|dispatch|resolution|"
    r"notice|decree|circular|conclusion)\b[^;]{0,50}\d[\w./&-]*\s*,?\s*(ngay|dated)\s*$)|"
    r"(\b(ky|ban hanh|issued|signed)\s*(ngay|on)?\s*$)"
)

# _CITATION's first two forms need a digit, the third one of these words.
_CITATION_WORDS = ("ky", "ban hanh", "issued", "signed")


def _citation(before: str) -> bool:
    """`_CITATION.search(before)`, the pattern only when it may match."""
    if not has_digit(before) and not has_any(before, _CITATION_WORDS):
        return False
    return _CITATION.search(before) is not None


# What a start stands after: "kể từ (00 giờ) ngày …", "bắt đầu từ tháng …", "from", "starting".
_START = re.compile(
    r"\b(?:ke tu|tu|bat dau tu|bat dau|from|starting(?: from)?)\s*"
    r"(?:\d{1,2}\s*(?:gio|h)(?:\s*\d{1,2})?\s*)?(?:ngay\s*)?$"
)
# "trong năm 2025", "in 2025" set a deadline only after a completion word.
_YEAR_CUE = re.compile(
    r"(hoan thanh|xong|hoan tat|thoi gian|thoi han|complete[ds]?|completion|finish(ed)?|done|"
    r"time)\b[^;]{0,30}$"
)


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    date: dt.date | None
    kind: str  # "date" needs a cue; "year" needs a completion word; "period" stands alone


def _year_or(default: int | None, text: str | None) -> int | None:
    return int(text) if text else default


# Vietnamese date phrases (on folded text), compiled once.
_VI_DATE = re.compile(
    r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?![\d/])"
    r"|ngay (\d{1,2}) thang (\d{1,2}),? nam (\d{4})"
)
# What the first form of _VI_DATE cannot match without, from its first separator on: a
# pattern that starts with a character class is searched far faster (the second form needs
# "thang").
_VI_DATE_NUMBERS = re.compile(r"[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}")
_VI_DAY_MONTH = re.compile(
    r"ngay (\d{1,2})\s*[/-]\s*(\d{1,2})(?![\d/-]|\s*[/-]\s*\d)|ngay (\d{1,2}) thang (\d{1,2})(?! ?,? ?nam \d)(?!\d)"  # noqa: E501 (one pattern reads best whole)
)
# "(cuối) tháng 6(/2025)": found from "thang " (a literal start is found fast); the original
# pattern's look-behinds `(?<![\d ] )(?<!\d)` are checked on the two characters before.
_VI_MONTH = re.compile(r"thang (\d{1,2})(?:\s*/\s*(\d{4})| nam (\d{4}))?(?![\d/])")
_VI_MONTH_NOT = re.compile(r"(ngay \d{1,2}|hang|dau|\d)\s*$")
_BEFORE_END = re.compile(r"(truoc|before)\s*$")
_VI_QUARTER = re.compile(r"quy (iv|iii|ii|i|[1-4])\b(?:\s*/\s*(\d{4})|,? nam (\d{4}))?")
_VI_HALF = re.compile(
    r"(6|sau|9|chin) thang (dau|cuoi) nam(?: (\d{4}))?|nua (dau|cuoi) nam(?: (\d{4}))?"
)
# "(trong|cuối|hết|trước|xong|hoàn thành|đến hết|năm) năm 2025": found from "nam 2025" (a
# literal start is found fast), then the word before it is read.
_VI_YEAR = re.compile(r"nam (\d{4})")
_VI_YEAR_WORDS = ("hoan thanh ", "den het ", "trong ", "truoc ", "cuoi ", "xong ", "het ", "nam ")
_VI_HALF_WORDS = ("thang dau nam", "thang cuoi nam", "nua dau nam", "nua cuoi nam")
_VI_THIS_YEAR = re.compile(r"(cuoi nam|trong nam)(?! \d)(?! hoc)")
_DIGIT = re.compile(r"\d")
_ASCII_DIGITS = "0123456789"


def has_digit(text: str) -> bool:
    """`_DIGIT.search(text)`, by substring tests when the text is ASCII (the regex engine
    reads a long sentence character by character, `in` does not)."""
    if text.isascii():
        for digit in _ASCII_DIGITS:  # noqa: SIM110 (a plain loop is cheaper than any())
            if digit in text:
                return True
        return False
    return _DIGIT.search(text) is not None


_YEAR4 = re.compile(r"\d\d\d\d")


def _vi_hits(t: str, year: int | None, digits: bool) -> list[_Hit]:
    hits: list[_Hit] = []
    if digits and ("thang " in t or _VI_DATE_NUMBERS.search(t)) and _YEAR4.search(t):
        for m in _VI_DATE.finditer(t):
            d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else m.group(4, 5, 6)
            hits.append(_Hit(m.start(), m.end(), _safe_date(int(y), int(mo), int(d)), "date"))
    if year and digits and "ngay " in t:
        for m in _VI_DAY_MONTH.finditer(t):
            d, mo = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            hits.append(_Hit(m.start(), m.end(), _safe_date(year, int(mo), int(d)), "date"))
    for m in _VI_MONTH.finditer(t) if digits and "thang " in t else ():
        at = m.start()
        two = t[max(0, at - 2) : at]
        if (len(two) == 2 and two[1] == " " and (two[0] == " " or two[0].isdecimal())) or (
            two[-1:].isdecimal()
        ):
            continue
        end_of = t[max(0, at - 5) : at] == "cuoi "
        start = at - 5 if end_of else at
        if _VI_MONTH_NOT.search(t[max(0, start - 12) : start]):
            continue
        y = _year_or(year, m.group(2) or m.group(3))
        mo = int(m.group(1))
        if y and 1 <= mo <= 12:
            before = t[max(0, start - 12) : start]
            if _BEFORE_END.search(before) and not end_of:
                # "trước tháng 6/2025": done by the end of May.
                prev = dt.date(y, mo, 1) - dt.timedelta(days=1)
                hits.append(_Hit(start, m.end(), prev, "period"))
            else:
                hits.append(_Hit(start, m.end(), last_day(y, mo), "period"))
    for m in _VI_QUARTER.finditer(t) if "quy " in t else ():
        y = _year_or(year, m.group(2) or m.group(3))
        if y:
            q = ROMAN[m.group(1)]
            hits.append(_Hit(m.start(), m.end(), last_day(y, q * 3), "period"))
    for m in _VI_HALF.finditer(t) if has_any(t, _VI_HALF_WORDS) else ():
        y = _year_or(year, m.group(3) or m.group(5))
        if not y:
            continue
        which = m.group(2) or m.group(4)
        months = 9 if m.group(1) in ("9", "chin") else 6
        month = 12 if which == "cuoi" else months
        hits.append(_Hit(m.start(), m.end(), last_day(y, month), "period"))
    for m in _VI_YEAR.finditer(t) if digits and "nam " in t else ():
        # The word before "năm 2025" (the longest that fits: "đến hết" before "hết").
        word = next((w for w in _VI_YEAR_WORDS if t.endswith(w, 0, m.start())), None)
        if word is None:
            continue
        y = int(m.group(1))
        date = dt.date(y - 1, 12, 31) if word == "truoc " else dt.date(y, 12, 31)
        kind = "year" if word in ("trong ", "nam ") else "period"
        hits.append(_Hit(m.start() - len(word), m.end(), date, kind))
    for m in _VI_THIS_YEAR.finditer(t) if year and ("cuoi nam" in t or "trong nam" in t) else ():
        if year:
            kind = "year" if m.group(1) == "trong nam" else "period"
            hits.append(_Hit(m.start(), m.end(), dt.date(year, 12, 31), kind))
    return hits


# English date phrases (on folded text), compiled once.
# "May 15, 2024", "May 15th 2024", "December 31. May 2024" (a mistranslated "31/5/2024")
_EN_MONTH_DAY = re.compile(
    _MON
    + r" (\d{1,2})(?!\d)(?:st|nd|rd|th)?(?:(?:,| ,)? ?"
    + _YEAR
    + r"|\. "
    + _MON
    + " "
    + _YEAR
    + ")?"
)
_EN_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)? (?:of )?" + _MON + r",? " + _YEAR)
_EN_SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_EN_MONTH_YEAR = re.compile(r"(end of )?" + _MON + r",? " + _YEAR)
_EN_QUARTER = re.compile(
    r"(?:the )?(first|second|third|fourth|1st|2nd|3rd|4th) quarter(?: of| in)?,? ?" + _YEAR + "?"
    r"|\bq([1-4])[ /-]?" + _YEAR + "?"
    r"|quarter (iv|iii|ii|i|[1-4])\b(?:/| of | )?" + _YEAR + "?"
)
_EN_HALF = re.compile(
    r"(first|last|second) (6|six|nine|9) months(?: of(?: the year)?)?,? ?" + _YEAR + "?"
)
_EN_YEAR = re.compile(
    r"(by the end of|end of|in|within|during|before|by|throughout) (the year )?"
    + _YEAR
    + r"(?![\d/-])"
)
# Every month name holds one of these (`in` tests: faster than a pattern of them).
_EN_MONTH_STEMS = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
# What the month patterns (_EN_MONTH_DAY, _EN_DAY_MONTH, _EN_MONTH_YEAR) cannot match
# without: a month name, then a space and a digit. Without their leading `\b` the regex
# engine skips to the months' first letters; the patterns run only where this matches.
_EN_MONTH_DIGIT = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,? \d")
# What _EN_DAY_MONTH and _EN_MONTH_YEAR cannot match without: a month name, then a year.
_EN_MONTH_YEAR_DIGITS = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,? (?:19|20)\d\d"
)
# What _EN_SLASH cannot match without, from its first "/" on (found fast: a literal start).
_EN_SLASH_NUMBERS = re.compile(r"/\d{1,2}/\d{4}")
_EN_ANY_QUARTER = re.compile(r"quarter|\bq[1-4]")
_QUARTER_WORDS = ("quarter", "q1", "q2", "q3", "q4")


def _any_quarter(t: str) -> bool:
    """`_EN_ANY_QUARTER.search(t)`: its words are tested first (the pattern is slow)."""
    return has_any(t, _QUARTER_WORDS) and _EN_ANY_QUARTER.search(t) is not None


def _en_hits(t: str, year: int | None, digits: bool) -> list[_Hit]:
    hits: list[_Hit] = []
    months = digits and has_any(t, _EN_MONTH_STEMS) and _EN_MONTH_DIGIT.search(t) is not None
    for m in _EN_MONTH_DAY.finditer(t) if months else ():
        day = int(m.group(2))
        if m.group(4):  # "<Month1> D. <Month2> YYYY": the second month is the real one
            date = _safe_date(int(m.group(5)), MONTHS_EN[m.group(4)], day)
        else:
            y = _year_or(year, m.group(3))
            date = _safe_date(y, MONTHS_EN[m.group(1)], day) if y else None
        hits.append(_Hit(m.start(), m.end(), date, "date"))
    month_year = months and _EN_MONTH_YEAR_DIGITS.search(t) is not None
    for m in _EN_DAY_MONTH.finditer(t) if month_year else ():
        date = _safe_date(int(m.group(3)), MONTHS_EN[m.group(2)], int(m.group(1)))
        hits.append(_Hit(m.start(), m.end(), date, "date"))
    slash = digits and "/" in t and _EN_SLASH_NUMBERS.search(t) is not None
    for m in _EN_SLASH.finditer(t) if slash else ():
        hits.append(
            _Hit(
                m.start(),
                m.end(),
                _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1))),
                "date",
            )
        )
    taken = [(h.start, h.end) for h in hits]
    for m in _EN_MONTH_YEAR.finditer(t) if month_year else ():
        if any(s <= m.start(2) < e for s, e in taken):
            continue
        hits.append(
            _Hit(m.start(), m.end(), last_day(int(m.group(3)), MONTHS_EN[m.group(2)]), "period")
        )
    for m in _EN_QUARTER.finditer(t) if _any_quarter(t) else ():
        if m.group(1):
            q, y = ORDINAL[m.group(1)], _year_or(year, m.group(2))
        elif m.group(3):
            q, y = int(m.group(3)), _year_or(year, m.group(4))
        else:
            q, y = ROMAN[m.group(5)], _year_or(year, m.group(6))
        if y:
            hits.append(_Hit(m.start(), m.end(), last_day(y, q * 3), "period"))
    for m in _EN_HALF.finditer(t) if "months" in t else ():
        y = _year_or(year, m.group(3))
        if y:
            month = (
                12
                if m.group(1) in ("last", "second")
                else (9 if m.group(2) in ("9", "nine") else 6)
            )
            hits.append(_Hit(m.start(), m.end(), last_day(y, month), "period"))
    for m in _EN_YEAR.finditer(t) if digits and _YEAR4.search(t) else ():
        y = int(m.group(3))
        date = dt.date(y - 1, 12, 31) if m.group(1) == "before" else dt.date(y, 12, 31)
        kind = "year" if m.group(1) in ("in", "within", "during", "throughout") else "period"
        hits.append(_Hit(m.start(), m.end(), date, kind))
    return hits


# Cycle words, in order of precedence: the first that matches sets the cycle. Each pattern
# comes with words one of which it cannot match without (a quick test before the pattern).
_PERIODIC_VI_TEXT: list[tuple[tuple[str, ...], str, str]] = [
    (
        ("6 thang", "sau thang"),
        r"(dinh ky|hang|hang) (6|sau) thang|6 thang (mot|1) lan|dinh ky 6 thang|bao cao 6 thang, nam|so ket 6 thang",  # noqa: E501 (one pattern reads best whole)
        SEMIANNUAL,
    ),
    (
        ("hang quy", "dinh ky quy", "dinh ky theo quy", "cuoi quy"),
        r"(dinh ky|hang|hang) quy|dinh ky theo quy|hang quy|truoc ngay \d+ (cua )?thang cuoi quy",
        QUARTERLY,
    ),
    (
        ("hang thang", "dinh ky thang", "dinh ky theo thang"),
        r"(dinh ky|hang|hang) thang|dinh ky theo thang|truoc ngay \d+ hang thang",
        MONTHLY,
    ),
    (
        ("hang nam", "dinh ky nam", "dinh ky theo nam"),
        r"(dinh ky|hang|hang) nam\b|dinh ky theo nam",
        ANNUAL,
    ),
    (
        ("hang tuan", "dinh ky tuan", "hang ngay"),
        r"(dinh ky|hang) tuan|hang ngay|hang ngay",
        REGULAR,
    ),
    (
        ("thuong xuyen", "lien tuc", "dinh ky"),
        r"thuong xuyen|lien tuc|dinh ky(?! \w+ (thang|quy|nam))",
        REGULAR,
    ),
]
_PERIODIC_EN_TEXT: list[tuple[tuple[str, ...], str, str]] = [
    (
        ("months", "annual", "half-yearly"),
        r"every (6|six) months|semi-?annual(ly)?|biannual(ly)?|half-yearly",
        SEMIANNUAL,
    ),
    (("quarter",), r"quarterly|every quarter|each quarter", QUARTERLY),
    (("month",), r"monthly|every month|each month", MONTHLY),
    (("annual", "year"), r"annually|every year|each year|yearly", ANNUAL),
    (
        ("regular", "continuous", "periodical", "weekly", "daily", "constantly"),
        r"regularly|regular(?= (inspections?|monitoring|reports?|checks?))|continuously|periodically|weekly|daily|on a regular basis|constantly",  # noqa: E501 (one pattern reads best whole)
        REGULAR,
    ),
]
_Cycles = list[tuple[tuple[str, ...], re.Pattern[str], str]]


def _compiled(patterns: list[tuple[tuple[str, ...], str, str]]) -> _Cycles:
    return [(words, re.compile(p), cycle) for words, p, cycle in patterns]


def _first_cycle(t: str, patterns: _Cycles) -> str | None:
    """The cycle of the first pattern that matches (its words tested first)."""
    for words, pattern, cycle in patterns:
        for word in words:
            if word in t:
                if pattern.search(t):
                    return cycle
                break
    return None


_PERIODIC_VI = _compiled(_PERIODIC_VI_TEXT)
_PERIODIC_EN = _compiled(_PERIODIC_EN_TEXT)
_TOPIC_FOR = re.compile(r"\bfor( the)?\s*$")
# Matched on the text with its diacritics: "ngay" (at once) is not "ngày" (day).
_URGENT_WORDS = (
    "ngay",
    "khẩn",
    "kịp thời",
    "gấp",
    "immediately",
    "urgently",
    "promptly",
    "at once",
    "without delay",
)
_URGENT = re.compile(
    r"\b(ngay|khẩn trương|kịp thời|khẩn cấp|gấp|immediately|urgently|promptly|at once|"
    r"without delay)\b"
)
_WITHIN_DAYS = re.compile(
    r"(trong (thoi han|vong)?|khong qua|cham nhat|within|no later than) (\d{1,3}) "
    r"(ngay lam viec|ngay|working days?|days?)"
    r"[^;.]{0,40}?(ke tu|tu ngay|sau khi|from|after)[^;.]{0,30}?"
    r"(ky|ban hanh|nhan duoc|van ban nay|ke hoach nay|thong bao nay|quyet dinh nay|chi thi nay|signing|issu|receipt|received|this)"  # noqa: E501 (one pattern reads best whole)
)


# _WITHIN_DAYS cannot match without one word of each (tested first: the pattern is slow).
_WITHIN_WORDS = ("trong", "khong qua", "cham nhat", "within", "no later than")
_FROM_WORDS = ("ke tu", "tu ngay", "sau khi", "from", "after")


def has_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` holds one of `words` (a plain loop: `any()` over a generator costs more
    than the tests)."""
    for word in words:  # noqa: SIM110
        if word in text:
            return True
    return False


def _words_of(*groups: tuple[str, ...]) -> tuple[str, ...]:
    """The words of the groups, once each, without those that hold another ("dinh ky quy"
    holds "dinh ky": one is in a text whenever the other is)."""
    words = list(dict.fromkeys(word for group in groups for word in group))
    return tuple(w for w in words if not any(o != w and o in w for o in words))


# Without a digit, no full date, day, month, year or "within N days" can match: only these
# words can start a period (quarter, half-year, this year) or a cycle (see parse_deadline).
_NO_DIGIT_VI = _words_of(
    ("quy ", "cuoi nam", "trong nam"),
    _VI_HALF_WORDS,
    *(words for words, _, _ in _PERIODIC_VI),
)
_NO_DIGIT_EN = _words_of(_QUARTER_WORDS, ("months",), *(words for words, _, _ in _PERIODIC_EN))
_NO_DIGIT_ANY = _words_of(_NO_DIGIT_VI, _NO_DIGIT_EN)


def _working_days(start: dt.date, n: int) -> dt.date:
    from nhiemvu.workcalendar.calendar import default_calendar

    return default_calendar().add_working_days(start, n)


def parse_deadline(
    sentence: str,
    *,
    issued: dt.date | None = None,
    lang: str | None = None,
    add_working_days: Callable[[dt.date, int], dt.date] | None = None,
    folded: str | None = None,
) -> Deadline:
    """Read the deadline, cycle and urgency of one task sentence (see the module docstring).

    1. Fold the sentence (lower case, no diacritics) so one pattern serves both spellings.
    2. Collect date phrases (full dates, months, quarters, half-years, years; English forms),
       dropping those that date a cited document and full dates without a completion cue.
    3. A cycle word ("hằng quý") makes the task periodic: no date. "Thường xuyên" does so
       only when no date counted.
    4. Otherwise the latest counted date; else "ngay"/"khẩn trương" marks it urgent.

    `folded` is `fold(sentence)` when the caller has it already.
    """
    t = fold(sentence) if folded is None else folded
    digits = has_digit(t)
    if not digits:
        quick = _NO_DIGIT_VI if lang == "vi" else _NO_DIGIT_EN if lang == "en" else _NO_DIGIT_ANY
        if not has_any(t, quick):
            return _urgency(sentence)  # no date phrase and no cycle: steps 2 and 3 find none
    year = issued.year if issued else None
    hits = _vi_hits(t, year, digits) if lang != "en" else []
    if lang != "vi":
        hits += _en_hits(t, year, digits)
    dates: list[tuple[dt.date, str]] = []
    for hit in hits:
        if hit.date is None:
            continue
        before = t[max(0, hit.start - 60) : hit.start]
        if _citation(before):
            continue
        if lang != "vi" and hit.kind != "date" and _TOPIC_FOR.search(before):
            continue  # "directions for the second quarter of 2024": a topic, not a deadline
        if hit.kind == "date" and not _CUE.search(before[-45:]):
            continue
        if hit.kind == "date" and _START.search(before[-30:]):
            # "kể từ 00 giờ ngày 23/4/2020", "from May 1": the day it starts. (A month after
            # "from" may be when a target is due: "achieve the target from May 2024".)
            continue
        if hit.kind == "year" and not _YEAR_CUE.search(before[-40:]):
            continue
        dates.append((hit.date, t[hit.start : hit.end]))
    if issued and digits and has_any(t, _WITHIN_WORDS) and has_any(t, _FROM_WORDS):
        m = _WITHIN_DAYS.search(t)
        if m:
            n = int(m.group(3))
            working = "lam viec" in m.group(4) or "working" in m.group(4)
            add = add_working_days or _working_days
            due = add(issued, n) if working else issued + dt.timedelta(days=n)
            dates.append((due, m.group(0)))
    periodic = None
    for patterns in (_PERIODIC_VI if lang != "en" else [], _PERIODIC_EN if lang != "vi" else []):
        cycle = _first_cycle(t, patterns)
        if cycle is not None and (cycle != REGULAR or not dates):
            periodic = cycle
            break
    if periodic:
        return Deadline(periodic=periodic)
    if dates:
        date, phrase = max(dates)
        return Deadline(date=date, phrase=phrase)
    return _urgency(sentence)


def _urgency(sentence: str) -> Deadline:
    """Step 4 without a date: "ngay"/"khẩn trương" marks the task urgent."""
    lower = sentence.lower()
    if has_any(lower, _URGENT_WORDS) and _URGENT.search(lower):
        return Deadline(urgent=True)
    return Deadline()
