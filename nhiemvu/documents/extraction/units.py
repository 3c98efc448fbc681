"""The unit registry as the extractor sees it, and finding unit names in a sentence.

A `Registry` holds the tenant's units (from the database, or from the registry file when there
is no tenant) and a word trie over every way a directive names a unit: the registry's names,
short names and aliases, the national names in `lexicon.py`, their English renderings, and the
collective phrases ("các sở, ban, ngành"). Matching is on folded words (no case, diacritics or
punctuation), so "Sở Lao động, Thương binh và Xã hội", "So Lao dong - Thuong binh va Xa hoi" and
"Sở LĐTB&XH" meet the same entry; "Ủy ban nhân dân" is read as "UBND".

`Registry.find(text)` returns the mentions of a sentence, left to right, longest name first.
A mention carries the words as written (a head's title such as "Chủ tịch" is never part of
it), whether it is a unit, a group or the assigning authority, and the registry units it
stands for (one unit, the matching set for a group, none when the registry lacks it).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import lexicon

REGISTRY_FILE = Path(__file__).resolve().parents[2] / "units" / "data" / "thanh_hoa.json"


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
    return base.lower()


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = [range(0x41, 0x5B), range(0xC0, 0x250), range(0x1E00, 0x1F00)]
    for r in ranges:
        for code in r:
            folded = _fold_char(chr(code))
            if len(folded) == 1 and folded != chr(code):
                table[code] = folded
    return table


_TABLE = _build_table()


def fold_keep_length(text: str) -> str:
    """Fold like `nhiemvu.core.text.fold` but keep every character in place, so a match in
    the folded text is a match at the same offsets in the original (which must be NFC)."""
    return text.translate(_TABLE)


def fold(text: str) -> str:
    """`nhiemvu.core.text.fold`, by a translation table (the extractor folds a lot)."""
    return " ".join(fold_keep_length(text).split())


def normalize(text: str) -> str:
    """NFC, straight apostrophes, no stray combining marks or control characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2013", "-")
    if _MARKS.search(text):
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return text


_MARKS = re.compile(r"[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff]")


_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Token:
    word: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Folded words with their offsets; "ủy ban nhân dân" becomes one word "ubnd"."""
    folded = fold_keep_length(text)
    tokens = [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(folded)]
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if (
            t.word in ("uy", "u")
            and i + 3 < len(tokens)
            and tokens[i + 1].word == "ban"
            and tokens[i + 2].word == "nhan"
            and tokens[i + 3].word == "dan"
        ):
            out.append(Token("ubnd", t.start, tokens[i + 3].end))
            i += 4
            continue
        out.append(t)
        i += 1
    return out


def key(text: str) -> tuple[str, ...]:
    return tuple(t.word for t in tokenize(normalize(text)))


@dataclass(frozen=True)
class RegUnit:
    """One unit of the registry."""

    name: str
    kind: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    id: int | None = None


@dataclass(frozen=True)
class Mention:
    """A unit, a group of units or the authority, named in a sentence."""

    start: int
    end: int
    text: str
    kind: str  # "unit", "group" or "authority"
    units: tuple[RegUnit, ...] = ()


@dataclass
class _Entry:
    kind: str  # "unit", "group", "authority"
    units: tuple[RegUnit, ...] = ()
    exact: str = ""  # an acronym that must appear exactly as written ("SNV", "VPUBND")
    head: str = ""  # "so"/"bo"/"department of"/"ministry of": may share its head with a list


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    entries: list[_Entry] = field(default_factory=list)


_ACRONYM = re.compile(r"^[A-ZĐ0-9&.\-]+$")
# Aliases too common as words to name a unit alone.
_TOO_COMMON = {("thanh", "tra"), ("bhxh",)}
_LIST_SEPARATOR = re.compile(r"^\s*(?::|,|;|,?\s*và|,?\s*and|,?\s*&)\s*$")
_KIND_ORDER = {"office": 0, "department": 1, "agency": 2, "commune": 3}
_LOCAL_KINDS = ("xa", "phuong", "huyen", "thi", "thanh", "quan", "dac")
_SUFFIXES = sorted((key(s) for s in lexicon.GROUP_SUFFIXES), key=len, reverse=True)
_EN_LEVELS = ("city", "district", "town", "commune", "ward", "province")


class Registry:
    """The units a directive can assign to, and the names that find them (module docstring)."""

    def __init__(self, units: Iterable[RegUnit]):
        self.units: list[RegUnit] = [u for u in units if u.kind not in ("division",)]
        self._by_key: dict[tuple[str, ...], list[RegUnit]] = {}
        self._root = _Node()
        self._tails = _Node()  # "Tài chính" after "các Sở:" and "Health" after "Departments of"
        for unit in self.units:
            if unit.kind == "authority":
                continue
            for name in (unit.name, unit.short_name, *unit.aliases):
                k = key(name)
                if not k or k in _TOO_COMMON:
                    continue
                bucket = self._by_key.setdefault(k, [])
                if unit not in bucket:
                    bucket.append(unit)
        for unit in self.units:
            if unit.kind == "authority":
                for name in (unit.name, unit.short_name, *unit.aliases):
                    self._add(name, _Entry("authority"))
                continue
            for name in (unit.name, unit.short_name, *unit.aliases):
                if not name or key(name) in _TOO_COMMON:
                    continue
                exact = name if _ACRONYM.match(name.replace(" ", "")) else ""
                self._add(name, _Entry("unit", tuple(self._by_key.get(key(name), [])), exact))
        for name in lexicon.STANDARD_UNITS:
            self._add(name, _Entry("unit", self.resolve(name), head=self._head(key(name))))
        for english, vietnamese in lexicon.ENGLISH_NAMES.items():
            self._add(
                english, _Entry("unit", self.resolve(vietnamese), head=self._head(key(english)))
            )
        for name in lexicon.AUTHORITIES:
            self._add(name, _Entry("authority"))
        for phrase, kinds in lexicon.GROUPS.items():
            members = tuple(u for u in self.units if u.kind in kinds)
            members = tuple(sorted(members, key=lambda u: (_KIND_ORDER.get(u.kind, 9), u.name)))
            self._add(phrase, _Entry("group", members))
        for name in lexicon.STANDARD_DEPARTMENTS:
            k = key(name)
            self._add_tail(k[1:], name, "so")
        for english, vietnamese in lexicon.ENGLISH_NAMES.items():
            k = key(english)
            if k[:2] in (("department", "of"), ("ministry", "of")):
                self._add_tail(k[2:], vietnamese, " ".join(k[:2]))
        for name in lexicon.STANDARD_UNITS:
            k = key(name)
            if k[0] == "bo" and len(k) > 1:
                self._add_tail(k[1:], name, "bo")

    # --- building -----------------------------------------------------------------------

    @staticmethod
    def _head(k: tuple[str, ...]) -> str:
        if k[:2] in (("department", "of"), ("ministry", "of")):
            return " ".join(k[:2])
        return k[0] if k and k[0] in lexicon.SHARED_HEADS_VI else ""

    def _add(self, name: str, entry: _Entry) -> None:
        k = key(name)
        if not k:
            return
        node = self._root
        for word in k:
            node = node.children.setdefault(word, _Node())
        if entry.kind == "unit" and not entry.head:
            entry.head = self._head(k)
        node.entries.append(entry)

    def _add_tail(self, k: tuple[str, ...], full_name: str, head: str) -> None:
        if not k:
            return
        node = self._tails
        for word in k:
            node = node.children.setdefault(word, _Node())
        node.entries.append(_Entry("unit", self.resolve(full_name), head=head))

    @classmethod
    def from_records(cls, records: Sequence[dict[str, Any]]) -> Registry:
        return cls(
            RegUnit(
                name=r["name"],
                kind=r.get("kind", "department"),
                short_name=r.get("short_name") or "",
                aliases=tuple(r.get("aliases") or ()),
                id=r.get("id"),
            )
            for r in records
        )

    @classmethod
    def from_file(cls, path: Path | str | None = None) -> Registry:
        """The registry file's units (`nhiemvu/units/data/thanh_hoa.json` by default)."""
        data = json.loads(Path(path or REGISTRY_FILE).read_text(encoding="utf-8"))
        head = data.get("tenant") or {}
        records: list[dict[str, Any]] = []
        if head.get("name"):
            records.append({"name": head["name"], "kind": "authority", "aliases": ["UBND tỉnh"]})
        records += data.get("units", [])
        return cls.from_records(records)

    @classmethod
    def for_tenant(cls, tenant: Any) -> Registry:
        """The tenant's active units from the database, with their ids."""
        from nhiemvu.units.models import Unit

        rows = Unit.objects.filter(tenant=tenant, is_active=True).values(
            "id", "name", "short_name", "aliases", "kind"
        )
        return cls.from_records([dict(row) for row in rows])

    @classmethod
    def for_tenant_code(cls, code: str | None = None) -> Registry:
        """The tenant with this code (or the only tenant), else the registry file."""
        from nhiemvu.core.models import Tenant

        tenants = Tenant.objects.all()
        tenant = tenants.filter(code=code).first() if code else None
        if code and tenant is None:
            from django.utils.translation import gettext as _

            from nhiemvu.core.errors import NotFound

            raise NotFound(_("No tenant with this code."), field="tenant")
        if tenant is not None:
            return cls.for_tenant(tenant)
        return default_registry()

    # --- looking up ---------------------------------------------------------------------

    def resolve(self, name: str) -> tuple[RegUnit, ...]:
        """The registry units a free-written name stands for (with or without "tỉnh")."""
        k = key(name)
        found = self._by_key.get(k)
        if not found and k and k[-1] == "tinh":
            found = self._by_key.get(k[:-1])
        if not found:
            found = self._by_key.get((*k, "tinh"))
        return tuple(found or ())

    def find(self, text: str) -> list[Mention]:
        """The mentions in `text` (NFC), left to right (module docstring)."""
        tokens = tokenize(text)
        mentions: list[Mention] = []
        i = 0
        n = len(tokens)
        while i < n:
            end, entry = self._longest(self._root, tokens, i, text)
            if entry is None:
                local = self._local_unit(tokens, i, text)
                if local is not None:
                    mentions.append(local[1])
                    i = local[0]
                    continue
                i += 1
                continue
            start_tok = tokens[i]
            # "Sở Y tế tỉnh Quảng Nam", "Công an tỉnh Nghệ An": keep the province.
            if entry.kind == "unit" and end < n and tokens[end].word == "tinh":
                end += 1
            if entry.kind != "group" and tokens[end - 1].word == "tinh":
                while (
                    end < n
                    and text[tokens[end].start].isupper()
                    and not text[tokens[end - 1].end : tokens[end].start].strip()
                    and end - i < 14
                ):
                    if self._longest(self._root, tokens, end, text)[1] is not None:
                        break
                    end += 1
            if entry.kind == "group":
                end = self._suffix(tokens, end)
            surface = _clean(text[start_tok.start : tokens[end - 1].end])
            if entry.kind == "group":
                head, after_head = self._plural_head(tokens, i, end)
                if head:
                    listed, after = self._tail_list(
                        tokens, after_head, text, head, loose=True, head_start=start_tok.start
                    )
                    if listed:
                        mentions.extend(listed)
                        i = after
                        continue
            mentions.append(
                Mention(start_tok.start, tokens[end - 1].end, surface, entry.kind, entry.units)
            )
            i = end
            if entry.kind == "unit" and entry.head:
                listed, after = self._tail_list(tokens, end, text, entry.head)
                if listed:
                    mentions.extend(listed)
                    i = after
            continue
        return mentions

    @staticmethod
    def _suffix(tokens: list[Token], end: int) -> int:
        for suffix in _SUFFIXES:
            if tuple(t.word for t in tokens[end : end + len(suffix)]) == suffix:
                return end + len(suffix)
        return end

    @staticmethod
    def _plural_head(tokens: list[Token], i: int, end: int) -> tuple[str, int]:
        """A plural head that a list of names may follow: "các Sở: …", "the Departments of …"."""
        words = tuple(t.word for t in tokens[i:end])
        if words == ("cac", "so"):
            return "so", end
        following = tokens[end].word if end < len(tokens) else ""
        if words == ("departments",) and following == "of":
            return "department of", end + 1
        if words == ("departments",) and end < len(tokens):
            return "department of", end
        if words == ("ministries",) and following == "of":
            return "ministry of", end + 1
        return "", end

    def _longest(
        self, root: _Node, tokens: list[Token], i: int, text: str
    ) -> tuple[int, _Entry | None]:
        node = root
        best: tuple[int, _Entry | None] = (i, None)
        j = i
        while j < len(tokens):
            child = node.children.get(tokens[j].word)
            if child is None:
                break
            node = child
            j += 1
            for entry in node.entries:
                if self._acceptable(entry, tokens, i, j, text):
                    best = (j, entry)
                    break
        return best

    @staticmethod
    def _acceptable(entry: _Entry, tokens: list[Token], i: int, j: int, text: str) -> bool:
        span = text[tokens[i].start : tokens[j - 1].end]
        if entry.exact:
            return span.replace(" ", "") == entry.exact.replace(" ", "")
        if entry.kind == "group":
            return True
        first = span[:1]
        if text[max(0, tokens[i].start - 4) : tokens[i].start].lower() == "the ":
            return True
        # Unit names are capitalised ("Sở Y tế", "Department of Health"); "thanh tra" is a verb.
        return first.isupper() or first.isdigit()

    def _tail_list(
        self,
        tokens: list[Token],
        i: int,
        text: str,
        head: str,
        *,
        loose: bool = False,
        head_start: int | None = None,
    ) -> tuple[list[Mention], int]:
        """Names that share the head just read: "Sở Y tế, Giáo dục và Đào tạo"."""
        found: list[Mention] = []
        prefix = {
            "so": "Sở",
            "bo": "Bộ",
            "department of": "Department of",
            "ministry of": "Ministry of",
        }
        while i < len(tokens):
            gap = text[tokens[i - 1].end : tokens[i].start] if i > 0 else ""
            if not _LIST_SEPARATOR.match(gap) and not (loose and not found and not gap.strip()):
                break
            if not text[tokens[i].start].isupper():
                break
            end, entry = self._longest(self._tails, tokens, i, text)
            if entry is None or entry.head != head:
                break
            # Not a whole unit name of its own ("Sở Y tế, Sở Xây dựng" is read by find()).
            if self._longest(self._root, tokens, i, text)[1] is not None:
                break
            surface = _clean(text[tokens[i].start : tokens[end - 1].end])
            name = f"{prefix[head]} {surface}"
            start = head_start if head_start is not None and not found else tokens[i].start
            found.append(Mention(start, tokens[end - 1].end, name, "unit", entry.units))
            i = end
        return found, i

    def _local_unit(self, tokens: list[Token], i: int, text: str) -> tuple[int, Mention] | None:
        """A commune, ward or district not in the registry: "UBND huyện Quỳnh Lưu", "the
        People's Committee of Phan Thiet city", "Tuy Phuoc district's People's Committee"."""
        if tokens[i].word != "ubnd":
            if tokens[i].word == "people" or text[tokens[i].start].isupper():
                return self._english_local(tokens, i, text)
            return None
        if i + 2 >= len(tokens):
            return None
        j = i + 1
        level = tokens[j].word
        if level not in _LOCAL_KINDS:
            return None
        j += 1
        if level in ("thi", "thanh", "dac") and j < len(tokens):
            j += 1  # thị xã, thị trấn, thành phố, đặc khu
        start_name = j
        while j < len(tokens) and j - start_name < 4 and text[tokens[j].start].isupper():
            j += 1
        if j == start_name:
            return None
        surface = _clean(text[tokens[i].start : tokens[j - 1].end])
        units = self.resolve(surface)
        return j, Mention(tokens[i].start, tokens[j - 1].end, surface, "unit", units)

    @staticmethod
    def _english_local(tokens: list[Token], i: int, text: str) -> tuple[int, Mention] | None:
        words = [t.word for t in tokens[i : i + 6]]
        n = len(tokens)
        if words[:5] == ["people", "s", "committee", "of", words[4] if len(words) > 4 else ""]:
            j = i + 4
            if j < n and tokens[j].word == "the":
                j += 1
            start_name = j
            while j < n and j - start_name < 4 and text[tokens[j].start].isupper():
                j += 1
            if j == start_name or j >= n or tokens[j].word not in _EN_LEVELS:
                return None
            kind = "authority" if tokens[j].word == "province" else "unit"
            surface = _clean(text[tokens[i].start : tokens[j].end])
            return j + 1, Mention(tokens[i].start, tokens[j].end, surface, kind)
        # "Tuy Phuoc district's People's Committee"
        if "committee" not in (t.word for t in tokens[i + 2 : i + 10]):
            return None
        j = i
        while j < n and j - i < 4 and text[tokens[j].start].isupper():
            j += 1
        if (
            i < j < n - 4
            and tokens[j].word in _EN_LEVELS
            and [t.word for t in tokens[j + 1 : j + 5]] == ["s", "people", "s", "committee"]
        ):
            kind = "authority" if tokens[j].word == "province" else "unit"
            surface = _clean(text[tokens[i].start : tokens[j + 4].end])
            return j + 5, Mention(tokens[i].start, tokens[j + 4].end, surface, kind)
        return None


def _clean(surface: str) -> str:
    surface = " ".join(surface.split())
    if surface[:4].lower() == "the ":
        surface = surface[4:]
    return surface


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry file's units: used when the database holds no tenant."""
    return Registry.from_file()
