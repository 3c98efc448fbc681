"""Propose the tasks of a directive: who leads, who coordinates, by when, how often.

`extract_tasks(text, issued=..., lang=..., registry=...)` walks the body line by line:

1. `segment.lines_of` gives the body lines with their list level ("I.", "1.", "a)", "-").
2. Each line is cut into sentences, and a sentence into clauses at ";" where a new unit
   starts a new instruction ("Sở Y tế …; Sở Giáo dục và Đào tạo …").
3. In a clause every unit mention gets a role from the words just before it: after "giao",
   "yêu cầu", "đề nghị", "assigned", "requested", or as the clause's subject → lead; after
   "phối hợp với", "in coordination with" → coordinating; after "báo cáo", "qua", "của", "gửi",
   "report to", "of" → neither. Units listed together ("Sở A, Sở B và UBND các xã") share a role.
4. A line that names units and ends with ":" (or is only a unit: "2. Sở Y tế") is a heading;
   the items under it that name no lead inherit its units.
5. A clause with a lead is a task. Its deadline and cycle come from `deadlines.parse_deadline`;
   a following clause that only gives a time ("Completed before May 15, 2024.", "- Thời gian
   hoàn thành: Quý II/2024") completes the task before it; field lines of plans ("Cơ quan chủ
   trì: …", "Cơ quan phối hợp: …") fill in the item they follow.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .deadlines import Deadline, has_any, parse_deadline
from .segment import Line, body_lines, sentence_spans
from .units import Mention, Registry, RegUnit, fold, fold_keep_length, normalize


@dataclass
class ProposedTask:
    """One task the Office may accept, edit or reject, with the sentence it came from."""

    content: str
    lead: list[str] = field(default_factory=list)
    coordinating: list[str] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)
    deadline: dt.date | None = None
    periodic: str | None = None
    sentence: str = ""
    lead_unit_ids: list[int] = field(default_factory=list)
    coordinating_unit_ids: list[int] = field(default_factory=list)
    coordinating_units: list[str] = field(default_factory=list)
    urgent: bool = False

    def as_json(self) -> dict[str, Any]:
        """The command-line contract's shape (issue #4)."""
        return {
            "content": self.content,
            "lead": self.lead,
            "coordinating": self.coordinating,
            "lead_units": self.lead_units,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "periodic": self.periodic,
        }

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["deadline"] = self.deadline.isoformat() if self.deadline else None
        return data


LEAD, COORD, OTHER = "lead", "coord", "other"

# Cue words before a mention; the cue nearest the mention decides its role.
# Every cue starts at a word boundary: one `\b` before the alternatives lets the regex engine
# skip the positions inside words.
_CUES = re.compile(
    r"\b(?:(?P<coord>phoi hop(?: chat che)?(?: voi| cung)?|cung voi|voi su phoi hop cua|"
    r"phoi hop:|in (close )?coordination with|coordinat\w* (closely )?with|"
    r"coordinat\w*|together with|with the (participation|support|coordination) of|"
    r"support(ed)? by|in collaboration with|collaborat\w* with)"
    r"|(?P<lead>giao(?: cho)?|yeu cau|de nghi|phan cong|chu tri:|"
    r"don vi chu tri|co quan chu tri|doi voi|trach nhiem cua|"
    r"assign\w*|request\w*|instruct\w*|task\w*|"
    r"call\w* on|requir\w*|mandat\w*|entrust\w*|designat\w*|demand\w*)"
    r"|(?P<weak>chi dao|direct(ed|s)?|asks?|asked|urg\w*|proposed?|suggest\w*)"
    r"|(?P<other>theo (?:yeu cau|de nghi|chi dao)|bao cao|trinh|gui|qua|ve|cua|cho|voi|va cac|"
    r"tham muu|de xuat|xin y kien|cung cap|giup|huong dan|lam viec|"
    r"kiem tra|giam sat|don doc|report\w*|submit\w*|send|to|of|by|from|"
    r"via|through|for|with|inform\w*|advis\w*|under|at|in|on|before|between))\b"
)
# Words that may stand between names of one list, titles of heads included.
_LIST_GAP = re.compile(
    r"^(?:\s|,|;|:|\(|\)|\bva\b|\band\b|\bthe\b|\bcac\b|\bgiam doc\b|\bthu truong\b|\bchu tich\b|"
    r"\btruong ban\b|\bchanh van phong\b|\bchanh thanh tra\b|\bcuc truong\b|\bchi huy truong\b|"
    r"\bgiam doc cong an\b|\blanh dao\b|\bnguoi dung dau\b|\bdirectors? of\b|\bheads? of\b|"
    r"\bchairm[ae]n of\b|\bleaders? of\b|\bdirectors?\b|\bheads?\b|\bcung\b|\bhoac\b|\bor\b|"
    r"\bas well as\b)*$"
)


# Every word _LIST_GAP's phrases are made of.
_LIST_GAP_WORDS = frozenset(
    (  # noqa: SIM905 (the words read best as a line of text)
        "va and the cac giam doc thu truong chu tich ban chanh van phong thanh tra cuc chi huy "
        "cong an lanh dao nguoi dung dau director directors of head heads chairman chairmen "
        "leader leaders cung hoac or as well"
    ).split()
)
_PUNCTUATION_TO_SPACE = str.maketrans(",;:()", "     ")


def _list_gap(gap: str) -> bool:
    """`_LIST_GAP.match(gap)`, the pattern only when it may match: most gaps are only commas
    and spaces, and most others hold a word that no phrase of the pattern has."""
    if not gap.strip(" ,;:()"):
        return True
    if not _LIST_GAP_WORDS.issuperset(gap.translate(_PUNCTUATION_TO_SPACE).split()):
        return False
    return _LIST_GAP.match(gap) is not None


# An opening before the subject: "Trên cơ sở đó, Sở X …", "At the same time, the Department …".
# A head's title before a unit ("Giám đốc Sở X", "The Chairman of the People's Committee …").
_TITLE = (
    r"(?:giam doc|thu truong|chu tich|truong ban|chanh van phong|chanh thanh tra|cuc truong|"
    r"chi huy truong|lanh dao|nguoi dung dau|directors? of|heads? of|chairm[ae]n of|leaders? of)"
)
_TITLE_GAP = re.compile(rf"^\s*(?:the\s*|cac\s*)?{_TITLE}\s*(?:the\s*|cac\s*)?$")
# Each of _TITLE's phrases holds one of these (tested first: most gaps name no title).
_TITLE_WORDS = (
    "giam doc",
    "truong",
    "chu tich",
    "chanh ",
    "lanh dao",
    "nguoi dung dau",
    "director",
    "head",
    "chairm",
    "leader",
)


def _gated(words: tuple[str, ...], pattern: Callable[[str], object], text: str) -> bool:
    """Whether `pattern` matches `text`, tried only when `text` holds one of `words`: every
    match holds one, and testing the words costs far less than the pattern."""
    return has_any(text, words) and pattern(text) is not None


def _title_gap(gap: str) -> bool:
    """`_TITLE_GAP.match(gap)`, the pattern only when the gap holds a title's word."""
    return _gated(_TITLE_WORDS, _TITLE_GAP.match, gap)


# An opening before the subject, a head's title included: "Giám đốc Sở X phối hợp …".
_INTRO_GAP = re.compile(rf"^(?:.*,\s*)?(?:the\s*|cac\s*)?(?:{_TITLE}\s*(?:the\s*|cac\s*)?)?$")
_CHU_TRI_AFTER = re.compile(
    r"^[\s,]*(chu tri|presid|take the lead|takes the lead|lead|leads|shall lead)"
)
# After the subject: what it did or has not done yet, or that it sent a document ("Sở X vẫn
# chưa nhận được báo cáo", "Sở X có công văn gửi …"): a report of events, not a task.
_PAST = re.compile(
    r"^[\s,]*(da|vua|van chua|chua|co (?:cong van|van ban)|have|has|had|was|were)\b"
    r"(?! (to|been assigned|duoc))"
)


def _reported(rest: str, written: str) -> bool:
    """Whether the words after the leads report what they did (_PAST), maybe after the name
    of their head: "Giám đốc Sở X Lê Thị Hương đã ký văn bản …". `rest` is folded,
    `written` the same span as written (a name's words are capitalised)."""
    if _PAST.match(rest):
        return True
    if not written.lstrip(" ,")[:1].isupper():
        return False  # no name: the usual case, a verb
    words = written.split(maxsplit=5)
    named = 0
    while named < min(4, len(words) - 1) and words[named][:1].isupper():
        named += 1
    if not 2 <= named <= 4:
        return False
    at = len(rest) - len(written.split(maxsplit=named)[-1])
    return _PAST.match(rest[at:]) is not None


_BOILERPLATE = re.compile(
    r"(?:chiu|co) trach nhiem thi hanh|can cu quyet dinh thi hanh|co hieu luc|hieu luc thi hanh|"
    r"responsible for (the )?implementation of this (decision|directive)|takes effect|"
    r"chiu trach nhiem thuc hien quyet dinh nay|chiu trach nhiem thi hanh|"
    r"chiu trach nhiem(?: \w+){0,4} (?:quyet dinh|chi thi) nay\W*$|"
    r"thong bao (de|cho|den) .{0,120}(biet|thuc hien)\W*$"
)
# Each of _BOILERPLATE's phrases holds one of these words (tested first: the pattern is slow).
_BOILERPLATE_WORDS = (
    "thi hanh",
    "hieu luc",
    "implementation of this",
    "takes effect",
    "quyet dinh nay",
    "chi thi nay",
    "thong bao",
)


def _boilerplate(folded: str) -> bool:
    return _gated(_BOILERPLATE_WORDS, _BOILERPLATE.search, folded)


# A subject's duties follow these: "X có trách nhiệm …", "X is responsible for …".
_DUTY_WORDS = ("co trach nhiem", "chiu trach nhiem", "is responsible", "are responsible")
_CLOSER_WITHIN = 4  # words between the leads and the closing words, at most ("chịu trách nhiệm")
_CLOSER = re.compile(r"\b(trien khai|to chuc|phoi hop) (thuc hien|trien khai)\b|\bthuc hien\W*$")
_FIELD = re.compile(
    r"^(?:(?P<lead>(?:co quan|don vi|cq|dv) chu tri(?: thuc hien)?|chu tri(?: thuc hien)?|"
    r"lead (?:agency|unit)|in charge|presiding agency)"
    r"|(?P<coord>(?:co quan|don vi|cq|dv) phoi hop(?: thuc hien)?|phoi hop(?: thuc hien)?|"
    r"coordinating (?:agenc(?:y|ies)|units?)|coordination)"
    r"|(?P<time>thoi gian(?: thuc hien| hoan thanh)?|thoi han(?: hoan thanh)?|tien do|"
    r"han hoan thanh|time(?:line|frame)?|deadline|completion time)"
    r"|(?P<skip>san pham|ket qua|expected (?:output|product)|output|products?|kinh phi|"
    r"nguon kinh phi))"
    r"\s*:\s*"
)
_LIST_GOES_ON = re.compile(r"^\s*(,|;|\)|va\b|and\b)")
_WORD2 = re.compile(r"[a-z]{2}")
_FIELD_SPAN = 80  # a field's label ("Cơ quan chủ trì thực hiện:") stands within this
_TIME_ONLY = re.compile(
    r"^(?:hoan thanh|thoi gian|thoi han|completed?|to be completed|finish|deadline|time|"
    r"xong|bao cao ket qua|tien do)\b"
)
_HEADING_NOISE = re.compile(
    r"\b(doi voi|giao|yeu cau|de nghi|trach nhiem cua|nhiem vu cua|for|responsibilities of|"
    r"tasks of|cac|the|va|and)\b|[,.:;()\-]"
)


_PIECES = re.compile(r"[\s,.:;()\-]+")
# Every word of _HEADING_NOISE's phrases, and the empty piece.
_HEADING_WORDS = frozenset(
    {"doi", "voi", "giao", "yeu", "cau", "de", "nghi", "trach", "nhiem", "cua", "vu", "for"}
    | {"responsibilities", "of", "tasks", "cac", "the", "va", "and", ""}
)


@dataclass
class _Clause:
    text: str
    start: int  # offset in the sentence
    leads: list[Mention]
    coords: list[Mention]
    folded: str = ""  # the text folded by `fold_keep_length`


def _roles(
    sentence: str, mentions: list[Mention], *, start_ok: bool = True, folded: str | None = None
) -> list[str]:
    """A role per mention (see the module docstring, step 3). `folded`: the sentence folded
    by `fold_keep_length`, if the caller has it."""
    if folded is None:
        folded = fold_keep_length(sentence)
    roles: list[str] = []
    prev_end = 0
    prev_role: str | None = None
    have_lead = False
    for m in mentions:
        gap = folded[prev_end : m.start]
        if m.kind == "authority":
            roles.append(OTHER)
            prev_end, prev_role = m.end, None
            continue
        role: str | None = None
        if (
            prev_role == OTHER
            and not have_lead
            and gap.strip() == ","
            and not _LIST_GOES_ON.match(folded[m.end : m.end + 6])
        ):
            role = LEAD  # "Trên cơ sở báo cáo của các đơn vị, Sở X tổng hợp": the subject
        elif prev_role is not None and _list_gap(gap):
            role = prev_role
        elif prev_role is None and prev_end and _list_gap(gap):
            role = OTHER  # "báo cáo UBND tỉnh, Sở Tài chính": listed after the authority
        else:
            tail = gap[gap.rfind(",") + 1 :]
            # A title opening the clause ("The Chairman of the …"), not an apposition
            # ("Mr. X, Head of the …"): its "of" is no cue.
            cue = None if _title_gap(gap) else _last_cue(tail)
            if cue is None and ";" in tail:
                # "yêu cầu Ban A; Thủ trưởng các sở …": addressees listed with ";" share the
                # cue before the list (the first may be a body the registry does not name).
                cue = _last_cue(gap[: gap.rfind(";")])
            if cue == "weak" and not have_lead and has_any(gap, _DUTY_WORDS):
                # "Ban chỉ đạo có trách nhiệm …; chỉ đạo các ngành …": a subject the registry
                # does not name has duties, and what it directs is no lead.
                cue = "other"
            # The two tests below only where _role_from_cue reads them (the second is slow
            # on long gaps).
            decided = cue in ("coord", "lead") or (cue == "weak" and not have_lead)
            chu_tri_after = (
                not decided
                and (cue is None or not have_lead)
                and bool(_CHU_TRI_AFTER.match(folded[m.end : m.end + 30]))
            )
            subject = (
                not decided
                and not chu_tri_after
                and cue is None
                and not have_lead
                and start_ok
                and (bool(_INTRO_GAP.match(gap)) or _qualifier(sentence[prev_end : m.start]))
            )
            role = _role_from_cue(
                cue, have_lead=have_lead, chu_tri_after=chu_tri_after, subject=subject
            )
        if role == LEAD:
            have_lead = True
        roles.append(role)
        prev_end, prev_role = m.end, role
    return roles


def _role_from_cue(cue: str | None, *, have_lead: bool, chu_tri_after: bool, subject: bool) -> str:
    """Step 3 of the module docstring for one mention that does not continue a list.

    A coordination cue makes it coordinating; a lead cue ("giao", "yêu cầu", "assigned")
    a lead; a weak cue ("chỉ đạo", "directed") a lead only while the clause has none (else
    it is the lead's own object: "Sở X chỉ đạo UBND các xã"). Without a cue, the clause's
    subject ("Sở X chủ trì …", "Trên cơ sở đó, Sở X …", "The Lam Dong Department …") leads.
    """
    if cue == "coord":
        return COORD
    if cue == "lead" or (cue == "weak" and not have_lead):
        return LEAD
    if chu_tri_after and (cue is None or not have_lead):
        return LEAD
    if cue is None and not have_lead and subject:
        return LEAD
    return OTHER


def _last_cue(gap: str) -> str | None:
    """The kind of the cue nearest the end of `gap` ("coord", "lead", "weak", "other")."""
    last = None
    for last in _CUES.finditer(gap):  # noqa: B007 (the last one is wanted)
        pass
    if last is None:
        return None
    # The match lies in one of the four named groups, the outermost ones: the last to close.
    return last.lastgroup


def _qualifier(gap: str) -> bool:
    """Only capitalised words (a place) stand before the subject: "The Lam Dong …"."""
    tail = gap[gap.rfind(",") + 1 :].split()
    if tail and tail[0] in ("The", "the"):
        tail = tail[1:]
    return bool(tail) and all(w[:1].isupper() for w in tail)


def _split_clauses(
    sentence: str, mentions: list[Mention], roles: list[str], folded: str
) -> list[_Clause]:
    """Cut at ";" where the next part opens with its own lead (module docstring, step 2).
    `folded` is the sentence folded by `fold_keep_length`."""
    if ";" not in sentence:
        whole = _by_role(mentions, roles, 0, len(sentence))
        return [_Clause(sentence.strip(" ;"), 0, *whole, folded.strip(" ;"))]
    cuts = [0]
    for m_idx, m in enumerate(mentions):
        if roles[m_idx] != LEAD:
            continue
        if (
            m_idx
            and roles[m_idx - 1] == LEAD
            and _list_gap(folded[mentions[m_idx - 1].end : m.start])
        ):
            continue  # "Sở A; Sở B tổ chức …": one list of leads
        before = sentence[: m.start]
        semi = before.rfind(";")
        if semi <= cuts[-1] or semi < 0:
            continue
        between = " ".join(folded[semi + 1 : m.start].split())
        # a lead must already stand before the cut, or the cut would orphan the start
        if (
            len(between.split()) <= 8
            and "phoi hop" not in between
            and "coordinat" not in between
            and any(roles[k] == LEAD and mentions[k].end <= semi for k in range(m_idx))
        ):
            cuts.append(semi + 1)
    cuts.append(len(sentence))
    clauses: list[_Clause] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        clauses.append(
            _Clause(
                sentence[a:b].strip(" ;"),
                a,
                *_by_role(mentions, roles, a, b),
                folded[a:b].strip(" ;"),
            )
        )
    return clauses


def _by_role(
    mentions: list[Mention], roles: list[str], a: int, b: int
) -> tuple[list[Mention], list[Mention]]:
    """The leads and the coordinating units among the mentions that start in [a, b)."""
    leads = [m for m, r in zip(mentions, roles, strict=True) if r == LEAD and a <= m.start < b]
    coords = [m for m, r in zip(mentions, roles, strict=True) if r == COORD and a <= m.start < b]
    return leads, coords


def _names(mentions: list[Mention]) -> list[str]:
    out: list[str] = []
    for m in mentions:
        if m.text not in out:
            out.append(m.text)
    return out


def _units(mentions: list[Mention]) -> list[RegUnit]:
    out: dict[RegUnit, None] = {}
    for m in mentions:
        out.update(dict.fromkeys(m.units))
    return list(out)


@dataclass
class _Heading:
    level: float
    leads: list[Mention]
    coords: list[Mention]


class _Extractor:
    def __init__(self, registry: Registry, issued: dt.date | None, lang: str | None):
        self.registry = registry
        self.issued = issued
        self.lang = lang
        self.tasks: list[ProposedTask] = []
        self.stack: list[_Heading] = []
        self.pending: ProposedTask | None = None  # an item still waiting for its lead
        # A line is often one sentence and one clause: fold it and read its units once.
        # (Kept per document: nothing one document read serves another.)
        self._found: dict[str, list[Mention]] = {}
        self._folded: dict[str, str] = {}

    def fk(self, text: str) -> str:
        """`fold_keep_length(text)`, once per string. Body lines have single spaces and no
        ends to strip, so for them and their sentences and clauses it equals `fold(text)`."""
        folded = self._folded.get(text)
        if folded is None:
            folded = self._folded[text] = fold_keep_length(text)
        return folded

    def find(self, text: str) -> list[Mention]:
        found = self._found.get(text)
        if found is None:
            found = self._found[text] = self.registry.find(text, self.fk(text))
        return found

    def line_mentions(self, text: str, spans: list[tuple[int, int]]) -> list[Mention]:
        """The mentions of a line, read sentence by sentence (a name never spans two);
        `spans`: where the sentences stand in the line."""
        if len(spans) == 1 and spans[0] == (0, len(text)):
            return self.find(text)
        out: list[Mention] = []
        for at, end in spans:
            out += [
                Mention(m.start + at, m.end + at, m.text, m.kind, m.units)
                for m in self.find(text[at:end])
            ]
        return out

    # --- building a task ----------------------------------------------------------------

    def _task(
        self,
        content: str,
        sentence: str,
        leads: list[Mention],
        coords: list[Mention],
        folded: str | None = None,
    ) -> ProposedTask:
        due = parse_deadline(content, issued=self.issued, lang=self.lang, folded=folded)
        task = ProposedTask(content=_content(content), sentence=sentence)
        self._set_units(task, leads, coords)
        self._set_time(task, due)
        return task

    def _set_units(self, task: ProposedTask, leads: list[Mention], coords: list[Mention]) -> None:
        if len(leads) == 1 and not coords:
            # The usual case, one lead and no one else: its units as the registry lists them.
            listed = self.registry.listed(leads[0].units)
            task.lead = [leads[0].text]
            task.coordinating = []
            task.lead_units = list(listed.names)
            task.lead_unit_ids = list(listed.ids)
            task.coordinating_units = []
            task.coordinating_unit_ids = []
            return
        if len(leads) == 1:
            # One lead: its units as the registry lists them, as above.
            listed = self.registry.listed(leads[0].units)
            lead_units: Sequence[RegUnit] = listed.units
            task.lead_units = list(listed.names)
            task.lead_unit_ids = list(listed.ids)
        else:
            lead_units = _units(leads)
            task.lead_units = [u.name for u in lead_units]
            task.lead_unit_ids = [u.id for u in lead_units if u.id is not None]
        taken = set(lead_units)
        if len(coords) == 1:
            coord_units = [u for u in self.registry.listed(coords[0].units).units if u not in taken]
        else:
            coord_units = [u for u in _units(coords) if u not in taken]
        task.lead = _names(leads)
        task.coordinating = [n for n in _names(coords) if n not in task.lead]
        task.coordinating_units = [u.name for u in coord_units]
        task.coordinating_unit_ids = [u.id for u in coord_units if u.id is not None]

    @staticmethod
    def _set_time(task: ProposedTask, due: Deadline) -> None:
        task.deadline = due.date
        task.periodic = due.periodic
        task.urgent = due.urgent

    # --- the walk -----------------------------------------------------------------------

    def run(self, text: str) -> list[ProposedTask]:
        for line in body_lines(text):
            self.line(line)
        return self.tasks

    def line(self, line: Line) -> None:
        if line.level is not None:
            while self.stack and self.stack[-1].level >= line.level:
                self.stack.pop()
        # The line's fold, and so its sentences' (folding maps each character on its own).
        self._folded[line.text] = line.folded
        spans = sentence_spans(line.text)
        line_sentences = [line.text[a:b] for a, b in spans]
        for sentence, (a, b) in zip(line_sentences, spans, strict=True):
            self._folded.setdefault(sentence, line.folded[a:b])
        head = line.text[:_FIELD_SPAN]
        if ":" in head:  # a label ends in ":"; the line's fold is `fold(line.text)`
            field_match = _FIELD.match(" ".join(line.folded[:_FIELD_SPAN].split()))
            if field_match:
                self.field(line, field_match)
                return
        inherited = self.stack[-1] if self.stack else None
        heading = self.heading(line, self.line_mentions(line.text, spans))
        if heading is not None:
            self.pending = None
            level = line.level if line.level is not None else 4.8
            self.stack.append(_Heading(level, heading[0], heading[1]))
            return
        is_title = line.text.isupper() and len(line.text) > 3
        if is_title:
            self.pending = None
            if line.level is not None:
                self.stack.append(_Heading(line.level, [], []))
            return
        made_any = False
        previous: ProposedTask | None = None
        for sentence in line_sentences:
            mentions = self.find(sentence)
            folded = self.fk(sentence)
            roles = _roles(sentence, mentions, folded=folded)
            for clause in _split_clauses(sentence, mentions, roles, folded):
                leads, coords = clause.leads, clause.coords
                if _boilerplate(clause.folded):
                    continue
                rest = clause.folded[_after(leads, clause) :] if leads else ""
                if leads and _reported(rest, clause.text[len(clause.text) - len(rest) :]):
                    continue
                if len(leads) > 1:
                    # "Giám đốc Sở X … đã ký văn bản đề nghị UBND các huyện …": the sender is
                    # reported, the addressees lead.
                    leads = [m for m in leads if not _reported_after(m, clause)] or leads
                if leads and not _WORD2.search(_strip_mentions(rest, clause, mentions)):
                    continue  # a bare list of units ("Các đơn vị gồm: Sở A, Sở B"): no action
                if leads and self._restates(leads, clause.folded, rest):
                    continue
                if (
                    not leads
                    and previous is None  # else it goes on with the task just read
                    and inherited
                    and inherited.leads
                    and not _time_only(clause.text, clause.folded)
                ):
                    leads = inherited.leads
                    coords = coords or inherited.coords
                if leads:
                    task = self._task(clause.text, sentence, leads, coords, clause.folded)
                    self.tasks.append(task)
                    previous = task
                    made_any = True
                    continue
                # A sentence without a unit continues the task before it (in this line,
                # or the last one when it opens the line): its date completes that task.
                first = sentence is line_sentences[0] and clause.start == 0
                target = previous or (self.tasks[-1] if self.tasks and first else None)
                if target is not None and target.deadline is None and target.periodic is None:
                    due = parse_deadline(
                        clause.text, issued=self.issued, lang=self.lang, folded=clause.folded
                    )
                    if due.date or (due.periodic and _time_only(clause.text, clause.folded)):
                        self._set_time(target, due)
        if made_any:
            self.pending = None
        elif line.level is not None and line.level >= 2:
            # A plan's item: its lead may come in the field lines below it.
            self.pending = ProposedTask(content=_content(line.text), sentence=line.text)
            due = parse_deadline(
                line.text, issued=self.issued, lang=self.lang, folded=self.fk(line.text)
            )
            self._set_time(self.pending, due)

    def _restates(self, leads: list[Mention], folded: str, rest: str) -> bool:
        """A closing line that only repeats who does it: "Giám đốc Sở X triển khai thực hiện"
        (`folded`: the clause, folded; `rest`: its part after the leads). The closing words
        come first after the leads: "Ban X thường xuyên báo cáo tình hình triển khai thực
        hiện …" gives an instruction of its own."""
        # The wording first: gathering the names read so far costs more on a long document.
        if len(folded.split()) > 40:
            return False
        closer = _CLOSER.search(rest)
        if closer is None or len(rest[: closer.start()].split()) > _CLOSER_WITHIN:
            return False
        names = {m.text for m in leads}
        done = {n for t in self.tasks for n in t.lead}
        return names <= done

    def heading(
        self, line: Line, mentions: list[Mention]
    ) -> tuple[list[Mention], list[Mention]] | None:
        """The units a heading line names (`mentions`: the line's), or None if the line is not
        such a heading."""
        text = line.text
        units = [m for m in mentions if m.kind != "authority"]
        if not units:
            return None
        ends_colon = text.rstrip().endswith(":")
        folded = self.fk(text)
        # The line with each mention replaced by a space (mentions stand left to right and
        # apart, so the gaps between them, joined by spaces).
        gaps: list[str] = []
        prev = 0
        for m in mentions:
            gaps.append(folded[prev : m.start])
            prev = m.end
        gaps.append(folded[prev:])
        rest = " ".join(gaps)
        if not ends_colon:
            # Words without punctuation are pieces as they are: more than two of them that are
            # not heading words, and the line is no heading (a quick test before the split,
            # which stops at the third such word).
            plain: set[str] = set()
            for w in rest.split():
                if w not in _HEADING_WORDS and w.isalnum() and w.isascii():
                    plain.add(w)
                    if len(plain) > 2:
                        return None
        # More than two words that are not heading words ("giao", "đối với", "the" …) stay
        # after the substitution below: skip it then, it is slow on long lines.
        pieces = set(_PIECES.split(rest)) - _HEADING_WORDS
        only_units = len(pieces) <= 2 and len(_HEADING_NOISE.sub(" ", rest).split()) <= 2
        if not ends_colon and not only_units:
            return None
        roles = _roles(text, mentions, folded=folded)
        leads = [m for m, r in zip(mentions, roles, strict=True) if r == LEAD]
        coords = [m for m, r in zip(mentions, roles, strict=True) if r == COORD]
        if not leads and (only_units or ends_colon):
            leads = []
            prev = 0
            for m, r in zip(mentions, roles, strict=True):
                cue = _last_cue(folded[prev : m.start])
                prev = m.end
                if r != COORD and m.kind != "authority" and cue != "other":
                    leads.append(m)
        if not leads:
            return None
        if ends_colon and not only_units and len(text) > 250:
            return None
        return leads, coords

    def field(self, line: Line, match: re.Match[str]) -> None:
        """A plan's field line ("Cơ quan chủ trì: Sở X") fills in the item above it."""
        target = self.pending or (self.tasks[-1] if self.tasks else None)
        if target is None:
            return
        value = line.text[match.end() :] if len(line.text) >= match.end() else ""
        value = _after_colon(line.text)
        kind = match.lastgroup
        if kind in ("lead", "coord"):
            mentions = [m for m in self.registry.find(value) if m.kind != "authority"]
            if not mentions:
                return
            if kind == "lead":
                self._set_units(target, mentions, [])
                if target is self.pending:
                    self.tasks.append(target)
                    self.pending = None
            elif target.lead:
                names = [m.text for m in mentions if m.text not in target.lead]
                target.coordinating = [
                    *target.coordinating,
                    *[n for n in names if n not in target.coordinating],
                ]
                leading = set(target.lead_units)
                units = [u for u in _units(mentions) if u.name not in leading]
                target.coordinating_units += [
                    u.name for u in units if u.name not in target.coordinating_units
                ]
                target.coordinating_unit_ids += [u.id for u in units if u.id is not None]
        elif kind == "time":
            due = parse_deadline("hoàn thành " + value, issued=self.issued, lang=self.lang)
            if due.date or due.periodic:
                self._set_time(target, due)


def _strip_mentions(rest: str, clause: _Clause, mentions: list[Mention]) -> str:
    """The words after the leads that are not themselves unit names."""
    offset = len(clause.text) - len(rest)
    out = rest
    for m in sorted(mentions, key=lambda m: -m.start):
        a, b = m.start - clause.start - offset, m.end - clause.start - offset
        if 0 <= a < len(out):
            out = out[:a] + " " + out[max(b, a) :]
    return out


def _reported_after(mention: Mention, clause: _Clause) -> bool:
    """Whether the words right after `mention` report what it did (see _reported)."""
    at = mention.end - clause.start
    return _reported(clause.folded[at:], clause.text[at:])


def _after(leads: list[Mention], clause: _Clause) -> int:
    return max(m.end for m in leads) - clause.start


def _after_colon(text: str) -> str:
    return text.split(":", 1)[1].strip() if ":" in text else text


_TIME_WORDS = re.compile(
    r"\b(hoan thanh|thoi gian|thoi han|thuc hien|truoc|cham nhat|trong|ngay|thang|nam|quy|"
    r"i|ii|iii|iv|dau|cuoi|xong|bao cao|ket qua|tien do|completed?|to|be|before|by|in|the|of|"
    r"on|deadline|time|date|is|quarter|first|second|third|fourth|end|january|february|march|"
    r"april|may|june|july|august|september|october|november|december|\d+)\b|[^a-z ]"
)


def _time_only(text: str, folded: str | None = None) -> bool:
    """A clause that only gives a time: "Hoàn thành trước ngày 15/5/2024", "Completed before
    May 15, 2024" (but not "Hoàn thành rà soát trạm y tế trước ngày 15/5/2024")."""
    if folded is None:
        folded = fold(text)
    return bool(_TIME_ONLY.match(folded)) and len(_TIME_WORDS.sub(" ", folded).split()) <= 1


def _content(text: str) -> str:
    text = " ".join(text.split()).strip(" ;,")
    return text[:1].upper() + text[1:] if text else text


def extract_tasks(
    text: str,
    *,
    issued: dt.date | None = None,
    lang: str | None = None,
    registry: Registry,
) -> list[ProposedTask]:
    """The tasks a directive assigns (module docstring). `issued` dates year-less phrases;
    without it the date in the document's header is used, if any. `lang` is "vi", "en" or
    None: then a text written with Vietnamese letters is read as Vietnamese, any other
    (English, or Vietnamese typed without diacritics) with both languages' date patterns."""
    text = normalize(text)
    if issued is None:
        from .header import read_header

        issued = read_header(text).get("issued_on")
    if lang is None:
        lang = guess_language(text)
    return _Extractor(registry, issued, lang).run(text)


def guess_language(text: str) -> str | None:
    """ "vi" when at least one character in 20 is not ASCII (Vietnamese prose has about one
    in five, English translations next to none), else None: undecided."""
    other = len(text) - len(text.encode("ascii", "ignore"))
    return "vi" if other * 20 >= len(text) > 0 else None
