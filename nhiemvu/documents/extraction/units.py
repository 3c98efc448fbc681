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

import itertools
import json
import operator
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

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


_OTHER = re.compile(r"([^\x00-\x7f\u00c0-\u024f\u1e00-\u1eff])")


def fold_keep_length(text: str) -> str:
    """Fold like `nhiemvu.core.text.fold` but keep every character in place, so a match in
    the folded text is a match at the same offsets in the original (which must be NFC).

    `str.translate` with a table looks each letter up in a dict, slowly; decomposing (NFD),
    dropping what is not ASCII and lowering does the same for Vietnamese letters in C. It is
    used when it keeps the length, that is when every letter had a Latin base; characters
    outside the Latin ranges stay as they are (the text is cut around them).
    """
    if text.isascii():
        return text.lower()
    if _OTHER.search(text) is None:
        out = _fold_latin(text)
        if out is not None:
            return out
        return text.translate(_TABLE)
    parts = _OTHER.split(text)
    return "".join(
        part if odd else (_fold_latin(part) or part.translate(_TABLE))
        for odd, part in zip(itertools.cycle((False, True)), parts, strict=False)
    )


def _fold_latin(text: str) -> str | None:
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    out = folded.encode("ascii", "ignore").decode("ascii").lower()
    return out if len(out) == len(text) else None


def fold(text: str) -> str:
    """`nhiemvu.core.text.fold`, by a translation table (the extractor folds a lot)."""
    return " ".join(fold_keep_length(text).split())


def normalize(text: str) -> str:
    """NFC, straight apostrophes, no stray combining marks or control characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2013", "-")
    if not text.isascii() and _has_marks(text):
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return text


_MARKS = re.compile(r"[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff]")
# The first bytes of _MARKS's characters in UTF-8 (U+0300–U+037F, U+1DC0–U+1DFF,
# U+20C0–U+20FF): NFC Vietnamese has none, and a bytes test finds that faster than the pattern.
_MARK_BYTES = (b"\xcc", b"\xcd", b"\xe1\xb7", b"\xe2\x83")


def _has_marks(text: str) -> bool:
    """`_MARKS.search(text)`, the pattern only when the UTF-8 bytes may hold a mark."""
    data = text.encode("utf-8", "surrogatepass")
    return any(b in data for b in _MARK_BYTES) and _MARKS.search(text) is not None


_WORD = re.compile(r"[a-z0-9]+")
_WORD_SPLIT = re.compile(r"([a-z0-9]+)")
# For ASCII text: every byte but a-z and 0-9 to a space (what _WORD does not match).
_SPACE_OUT = bytes(c if 97 <= c <= 122 or 48 <= c <= 57 else 32 for c in range(256))
_ONES = itertools.repeat(1)


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


class _Tokens:
    """The folded words of a text with their offsets, as parallel lists (cheaper than one
    object per word); "ủy ban nhân dân" is one word "ubnd", as in `tokenize`.

    The offsets cost more than the words, and a third of the sentences name no unit: for
    ASCII text they are worked out when first read (`starts`, `ends`).
    """

    __slots__ = ("_ends", "_pieces", "_starts", "folded", "text", "words")

    def __init__(self, text: str, folded: str | None = None):
        if folded is None:
            folded = fold_keep_length(text)
        self.text = text
        self.folded = folded
        self._pieces: list[str] = []
        self._starts: list[int] | None = None
        self._ends: list[int] = []
        if folded.isascii():
            # Every character that is no letter or digit becomes a space: the words are the
            # pieces between single spaces that are not empty, and the pieces' lengths give
            # their offsets (one split serves both).
            spaced = folded.encode("ascii").translate(_SPACE_OUT).decode("ascii")
            pieces = spaced.split(" ")
            self._pieces = pieces
            self.words = list(filter(None, pieces))
            if "ban nhan dan" in folded:
                self._offsets()
        else:
            # [gap, word, gap, word, …, gap]: the running lengths give each word's offsets.
            parts = _WORD_SPLIT.split(folded)
            bounds = list(itertools.accumulate(map(len, parts)))
            self.words = parts[1::2]
            self._starts = bounds[0:-1:2]
            self._ends = bounds[1::2]
        if "ban nhan dan" in folded:
            assert self._starts is not None
            self.words, self._starts, self._ends = _merge_ubnd(self.words, self._starts, self._ends)

    def _offsets(self) -> None:
        # The pieces' running lengths, plus the space after each, give each word's offset;
        # all of it runs in C.
        pieces = self._pieces
        offsets = itertools.accumulate(map(operator.add, map(len, pieces), _ONES), initial=0)
        starts = list(itertools.compress(offsets, pieces))
        self._starts = starts
        self._ends = list(map(operator.add, starts, map(len, self.words)))

    @property
    def starts(self) -> list[int]:
        # Read into a local: compiled with mypyc, the narrowed type of an attribute would be
        # kept across the call that sets it (a TypeError at run time).
        starts = self._starts
        if starts is None:
            self._offsets()
            starts = self._starts
            assert starts is not None
        return starts

    @property
    def ends(self) -> list[int]:
        if self._starts is None:
            self._offsets()
        return self._ends


def _merge_ubnd(
    words: list[str], starts: list[int], ends: list[int]
) -> tuple[list[str], list[int], list[int]]:
    """ "uy ban nhan dan" (or "u ban nhan dan") as one word "ubnd", left to right. The four
    words cannot overlap another four, so each "nhan" with the right neighbours is one."""
    n = len(words)
    at = [
        k - 2
        for k in itertools.compress(range(n), map("nhan".__eq__, words))
        if 2 <= k < n - 1
        and words[k + 1] == "dan"
        and words[k - 1] == "ban"
        and words[k - 2] in ("uy", "u")
    ]
    if not at:
        return words, starts, ends
    out_w: list[str] = []
    out_s: list[int] = []
    out_e: list[int] = []
    prev = 0
    for i in at:
        out_w += words[prev:i]
        out_s += starts[prev:i]
        out_e += ends[prev:i]
        out_w.append("ubnd")
        out_s.append(starts[i])
        out_e.append(ends[i + 3])
        prev = i + 4
    out_w += words[prev:]
    out_s += starts[prev:]
    out_e += ends[prev:]
    return out_w, out_s, out_e


def key(text: str) -> tuple[str, ...]:
    return tuple(t.word for t in tokenize(normalize(text)))


@dataclass(frozen=True, eq=False)
class RegUnit:
    """One unit of the registry (compared and hashed by identity: a registry holds each unit
    once, and a group's hundred members are hashed often)."""

    name: str
    kind: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    id: int | None = None


class Mention(NamedTuple):
    """A unit, a group of units or the authority, named in a sentence (a named tuple: a
    sentence's mentions are made by the thousand, and a tuple is made at half the cost of a
    frozen dataclass)."""

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


@dataclass(frozen=True)
class _Listed:
    """A mention's units once each, with their names and ids: a group's hundred members are
    listed for every task it leads, so the registry lists each entry's once."""

    source: tuple[RegUnit, ...]  # kept, so that its id stays its own
    units: tuple[RegUnit, ...]
    names: tuple[str, ...]
    ids: tuple[int, ...]

    @classmethod
    def of(cls, units: tuple[RegUnit, ...]) -> _Listed:
        unique = tuple(dict.fromkeys(units))
        return cls(
            units,
            unique,
            tuple(u.name for u in unique),
            tuple(u.id for u in unique if u.id is not None),
        )


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    entries: list[_Entry] = field(default_factory=list)


_ACRONYM = re.compile(r"^[A-ZĐ0-9&.\-]+$")
# Aliases too common as words to name a unit alone.
_TOO_COMMON = {("thanh", "tra"), ("bhxh",)}
_LEVEL_GAP = re.compile(r"^\s*[,/;]?\s*$")
_LIST_SEPARATOR = re.compile(r"^\s*(?::|,|;|,?\s*và|,?\s*and|,?\s*&)\s*$")
_KIND_ORDER = {"office": 0, "department": 1, "agency": 2, "commune": 3}
_LOCAL_KINDS = ("xa", "phuong", "huyen", "thi", "thanh", "quan", "dac")
_SUFFIXES = sorted((key(s) for s in lexicon.GROUP_SUFFIXES), key=len, reverse=True)
# The suffixes by their first word, longest first (a group is followed by one of them rarely).
_SUFFIXES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _suffix in _SUFFIXES:
    _SUFFIXES_BY_FIRST.setdefault(_suffix[0], []).append(_suffix)
_PLACE_LEVELS = frozenset({"huyen", "pho", "xa", "phuong", "tran", "quan"})
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
        self._members: dict[tuple[str, ...], tuple[RegUnit, ...]] = {}
        for phrase, kinds in lexicon.GROUPS.items():
            self._add(phrase, _Entry("group", self.members(kinds)))
        # Groups written as lists (lexicon.LEVELS_VI, GROUP_NOUNS_EN): see _listed_group().
        self._levels = {key(level): communal for level, communal in lexicon.LEVELS_VI.items()}
        self._group_nouns = {key(noun)[0]: kinds for noun, kinds in lexicon.GROUP_NOUNS_EN.items()}
        self._group_openers = frozenset(lexicon.GROUP_OPENERS_EN)
        # Nouns that may go on a group already read: "các sở, ban, ngành, cơ quan đơn vị",
        # "departments, committees and branches" (see _more_nouns).
        self._more_group_nouns = {
            **{key(noun): kinds for noun, kinds in lexicon.GROUP_NOUNS_VI.items()},
            **{key(noun): kinds for noun, kinds in lexicon.GROUP_NOUNS_EN.items()},
        }
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
        # Each entry's units without repeats, with their names and ids (see `listed`).
        self._listed: dict[int, _Listed] = {}
        for root in (self._root, self._tails):
            stack = [root]
            while stack:
                node = stack.pop()
                stack.extend(node.children.values())
                for entry in node.entries:
                    if id(entry.units) not in self._listed:
                        self._listed[id(entry.units)] = _Listed.of(entry.units)
        # Words that can open a mention: see find().
        list_openers = self._group_openers | frozenset(self._group_nouns)
        self._openers = frozenset(self._root.children) | {"ubnd", "people"} | list_openers
        groups = (k[0] for k in map(key, lexicon.GROUPS) if k)
        self._loose_openers = frozenset(groups) | {"ubnd", "people"} | list_openers
        # Where a name may start in a text that speaks of no "committee": a word that names a
        # unit or opens a group or a local committee on its own, or two words that start a
        # name together ("Thanh" opens nothing in "Thanh Hóa", "Thanh tra tỉnh" does).
        first_words = self._root.children.items()
        self._single_openers = (
            frozenset(w for w, node in first_words if node.entries) | {"ubnd"} | list_openers
        )
        self._pair_openers = frozenset(
            (w, c) for w, node in first_words if not node.entries for c in node.children
        )

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
        """The tenant's active units from the database, with their ids.

        Building the name trie costs far more than reading the rows, so the registry is
        kept for as long as the rows it was built from stay the same (a few tenants' worth).
        """
        from nhiemvu.units.models import Unit

        rows: list[dict[str, Any]] = [
            dict(row)
            for row in Unit.objects.filter(tenant=tenant, is_active=True)
            .order_by("id")
            .values("id", "name", "short_name", "aliases", "kind")
        ]
        fingerprint: tuple[Any, ...] = (
            getattr(tenant, "pk", tenant),
            tuple(
                (r["id"], r["name"], r["short_name"], tuple(r["aliases"] or ()), r["kind"])
                for r in rows
            ),
        )
        with _BUILT_LOCK:
            registry = _BUILT.get(fingerprint)
        if registry is None:
            registry = cls.from_records(rows)
            with _BUILT_LOCK:
                _BUILT[fingerprint] = registry
                while len(_BUILT) > _BUILT_MAX:
                    _BUILT.pop(next(iter(_BUILT)))
        return registry

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

    def members(self, kinds: tuple[str, ...]) -> tuple[RegUnit, ...]:
        """The units of these kinds, offices first, then departments, agencies, communes."""
        found = self._members.get(kinds)
        if found is None:
            members = [u for u in self.units if u.kind in kinds]
            members.sort(key=lambda u: (_KIND_ORDER.get(u.kind, 9), u.name))
            found = self._members[kinds] = tuple(members)
        return found

    def listed(self, units: tuple[RegUnit, ...]) -> _Listed:
        """`units` once each, with their names and ids (an entry's are listed already)."""
        found = self._listed.get(id(units))
        if found is not None and found.source is units:
            return found
        return _Listed.of(units)

    def find(self, text: str, folded: str | None = None) -> list[Mention]:
        """The mentions in `text` (NFC), left to right (module docstring).

        Only a word that can open a name is tried: the first word of a trie entry, "ubnd"
        and "people" (local committees), or a capitalised word when the text speaks of a
        "committee" ("Tuy Phuoc district's People's Committee"); a set lookup skips the rest.
        `folded` is `fold_keep_length(text)` when the caller has it already.
        """
        tk = _Tokens(text, folded)
        words = tk.words
        mentions: list[Mention] = []
        committee = "committee" in tk.folded
        n = len(words)
        can_open: Iterator[bool]
        if committee:
            # A capitalised word that opens no name may only start "Tuy Phuoc district's
            # People's Committee", that is with "committee" two to nine words after it (see
            # _english_local): the others are skipped.
            near = bytearray(n)
            for k in itertools.compress(range(n), map("committee".__eq__, words)):
                near[max(0, k - 9) : max(0, k - 1)] = b"\x01" * (max(0, k - 1) - max(0, k - 9))
            capital = map(operator.and_, map(str.isupper, map(text.__getitem__, tk.starts)), near)
            can_open = map(operator.or_, map(self._openers.__contains__, words), capital)
        elif self._openers.isdisjoint(words):
            return mentions  # no word opens a name (a single or a pair opener is an opener)
        else:
            # Most openers open nothing where they stand ("Thanh" in "Thanh Hóa"): unless a
            # local committee may start here, a word that is no name and starts none with
            # the next word is skipped by two set lookups (in C) without walking the trie.
            following = itertools.chain(itertools.islice(words, 1, None), ("",))
            can_open = map(
                operator.or_,
                map(self._single_openers.__contains__, words),
                map(self._pair_openers.__contains__, zip(words, following, strict=True)),
            )
        loose = self._loose_openers
        group_openers = self._group_openers
        starts: list[int] = []
        ends: list[int] = []
        i = 0
        for at in itertools.compress(range(n), can_open):
            if at < i:
                continue  # inside the mention just read
            i = at
            if not starts:
                starts, ends = tk.starts, tk.ends
            capitalised = False
            if words[i] not in loose:
                # Only a group, "UBND …" or "People's Committee of …" may start in lower case.
                first = text[starts[i]]
                if not (
                    first.isupper()
                    or first.isdigit()
                    or text[max(0, starts[i] - 4) : starts[i]].lower() == "the "
                ):
                    continue
                capitalised = True
            # A word that is no loose opener got here capitalised (the test above is
            # `_acceptable`'s for a plain unit entry).
            end, entry = self._longest(self._root, tk, i, capitalised or None)
            word = words[i]
            if (entry is None or (entry.kind == "group" and word == "ubnd")) and (
                word == "ubnd"
                or word in group_openers  # else no listed group starts here
                or word in self._group_nouns
            ):
                listed_group = self._listed_group(tk, i)
                if listed_group is not None and listed_group[0] > end:
                    mentions.append(listed_group[1])
                    i = listed_group[0]
                    continue
            if entry is None:
                # A local committee starts with "ubnd", or is an English one.
                local = self._local_unit(tk, i) if word == "ubnd" or committee else None
                if local is not None:
                    mentions.append(local[1])
                    i = local[0]
                    continue
                i += 1
                continue
            start = starts[i]
            # "Sở Y tế tỉnh Quảng Nam", "Công an tỉnh Nghệ An": keep the province.
            if entry.kind == "unit" and end < n and words[end] == "tinh":
                end += 1
            if entry.kind != "group" and words[end - 1] == "tinh":
                while (
                    end < n
                    and text[starts[end]].isupper()
                    and not text[ends[end - 1] : starts[end]].strip()
                    and end - i < 14
                ):
                    if self._longest(self._root, tk, end)[1] is not None:
                        break
                    end += 1
            units = entry.units
            if entry.kind == "group":
                end = self._suffix(words, end)
                if units:
                    end, units = self._more_nouns(tk, end, units)
                end = self._place_name(tk, i, end)
            if entry.kind == "unit":
                regional = self._regional(words, end)
                if regional > end:
                    # "Thuế … khu vực 16", "Tax Department of Region 16": another body.
                    end, units = regional, ()
                if "branch" in tk.folded:
                    end = self._branch(tk, end)
            surface = _clean(text[start : ends[end - 1]])
            if entry.kind == "group":
                head, after_head = self._plural_head(words, i, end)
                if head:
                    listed, after = self._tail_list(
                        tk, after_head, head, loose=True, head_start=start
                    )
                    if listed:
                        mentions.extend(listed)
                        i = after
                        continue
            mentions.append(Mention(start, ends[end - 1], surface, entry.kind, units))
            i = end
            if entry.kind == "unit" and entry.head:
                listed, after = self._tail_list(tk, end, entry.head)
                if listed:
                    mentions.extend(listed)
                    i = after
            continue
        return mentions

    @staticmethod
    def _regional(words: list[str], end: int) -> int:
        """The end of "khu vực 16" / "of Region 16" right after a name, or `end`."""
        ahead = words[end : end + 3]
        if ahead[:2] in (["khu", "vuc"], ["of", "region"]) and len(ahead) == 3:
            number = ahead[2]
            if number.isdigit() or number in ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii"):
                return end + 3
        return end

    @staticmethod
    def _branch(tk: _Tokens, end: int) -> int:
        """The end of the branch named right after a body: "State Bank of Vietnam, Nghe An
        Branch" (up to three capitalised words, then "Branch"), or `end`."""
        words, starts, ends, text = tk.words, tk.starts, tk.ends, tk.text
        j = end
        if j >= len(words) or text[ends[j - 1] : starts[j]].strip() not in ("", ","):
            return end
        while j < len(words) and j - end < 4 and text[starts[j]].isupper():
            if words[j] == "branch":
                return j + 1 if j > end else end
            if j > end and text[ends[j - 1] : starts[j]].strip():
                return end
            j += 1
        return end

    @staticmethod
    def _suffix(words: list[str], end: int) -> int:
        if end >= len(words):
            return end
        for suffix in _SUFFIXES_BY_FIRST.get(words[end], ()):
            if tuple(words[end : end + len(suffix)]) == suffix:
                return end + len(suffix)
        return end

    def _more_nouns(
        self, tk: _Tokens, end: int, units: tuple[RegUnit, ...]
    ) -> tuple[int, tuple[RegUnit, ...]]:
        """Collective nouns after a group, the first after a comma or "và"/"and": "các sở,
        ban, ngành, cơ quan đơn vị đoàn thể", "các cơ quan, đơn vị, doanh nghiệp", "local
        authorities, agencies and units" (the group grows by the kinds they add,
        lexicon.GROUP_NOUNS_VI and GROUP_NOUNS_EN), and a suffix after them."""
        words, starts, ends, text = tk.words, tk.starts, tk.ends, tk.text
        n = len(words)
        nouns = self._more_group_nouns
        kinds: set[str] = set()
        j = end
        while j < n:
            gap = text[ends[j - 1] : starts[j]].strip()
            at = j
            if words[j] in ("va", "and") and j + 1 < n and gap in ("", ","):
                at = j + 1
            elif gap != "," and (j == end or gap):
                break  # the first noun needs a comma or "và"; the next may follow a space
            noun = tuple(words[at : at + 2])
            if noun not in nouns:
                noun = noun[:1]
                if noun not in nouns:
                    break
            kinds.update(nouns[noun])
            j = at + len(noun)
        if j == end:
            return end, units
        kinds.update(u.kind for u in units)  # (a group lists up to every unit: read it last)
        ordered = tuple(k for k in _KIND_ORDER if k in kinds)
        return self._suffix(words, j), self.members(ordered)

    def _place_name(self, tk: _Tokens, i: int, end: int) -> int:
        """A group of local committees may end in the place they are in: "UBND huyện, thành
        phố Cà Mau". Up to three capitalised words right after a level word join it."""
        words, starts, ends, text = tk.words, tk.starts, tk.ends, tk.text
        if words[end - 1] not in _PLACE_LEVELS or words[i] != "ubnd":
            return end
        j = end
        while (
            j < len(words)
            and j - end < 3
            and text[starts[j]].isupper()
            and not text[ends[j - 1] : starts[j]].strip()
            and self._longest(self._root, tk, j)[1] is None
        ):
            j += 1
        return j

    @staticmethod
    def _plural_head(words: list[str], i: int, end: int) -> tuple[str, int]:
        """A plural head that a list of names may follow: "các Sở: …", "the Departments of …"."""
        span = tuple(words[i:end])
        if span == ("cac", "so"):
            return "so", end
        following = words[end] if end < len(words) else ""
        if span == ("departments",) and following == "of":
            return "department of", end + 1
        if span == ("departments",) and end < len(words):
            return "department of", end
        if span == ("ministries",) and following == "of":
            return "ministry of", end + 1
        return "", end

    def _longest(
        self, root: _Node, tk: _Tokens, i: int, capitalised: bool | None = None
    ) -> tuple[int, _Entry | None]:
        """The end and entry of the longest acceptable name from word `i`. `capitalised`:
        `_acceptable` for a plain unit entry there (the same for all of them), if known."""
        node = root
        best: tuple[int, _Entry | None] = (i, None)
        words = tk.words
        j = i
        n = len(words)
        while j < n:
            child = node.children.get(words[j])
            if child is None:
                break
            node = child
            j += 1
            for entry in node.entries:
                if entry.exact:
                    ok = self._acceptable(entry, tk, i, j)
                elif entry.kind == "group":
                    ok = True  # a group may start in lower case
                else:
                    if capitalised is None:
                        capitalised = self._acceptable(entry, tk, i, j)
                    ok = capitalised
                if ok:
                    best = (j, entry)
                    break
        return best

    @staticmethod
    def _acceptable(entry: _Entry, tk: _Tokens, i: int, j: int) -> bool:
        text = tk.text
        start = tk.starts[i]
        if entry.exact:
            span = text[start : tk.ends[j - 1]]
            return span.replace(" ", "") == entry.exact.replace(" ", "")
        if entry.kind == "group":
            return True
        if text[max(0, start - 4) : start].lower() == "the ":
            return True
        # Unit names are capitalised ("Sở Y tế", "Department of Health"); "thanh tra" is a verb.
        first = text[start]
        return first.isupper() or first.isdigit()

    def _tail_list(
        self,
        tk: _Tokens,
        i: int,
        head: str,
        *,
        loose: bool = False,
        head_start: int | None = None,
    ) -> tuple[list[Mention], int]:
        """Names that share the head just read: "Sở Y tế, Giáo dục và Đào tạo"."""
        found: list[Mention] = []
        text, starts, ends = tk.text, tk.starts, tk.ends
        prefix = {
            "so": "Sở",
            "bo": "Bộ",
            "department of": "Department of",
            "ministry of": "Ministry of",
        }
        while i < len(starts):
            gap = text[ends[i - 1] : starts[i]] if i > 0 else ""
            if not _LIST_SEPARATOR.match(gap) and not (loose and not found and not gap.strip()):
                break
            if not text[starts[i]].isupper():
                break
            end, entry = self._longest(self._tails, tk, i)
            if entry is None or entry.head != head:
                break
            # Not a whole unit name of its own ("Sở Y tế, Sở Xây dựng" is read by find()).
            if self._longest(self._root, tk, i)[1] is not None:
                break
            surface = _clean(text[starts[i] : ends[end - 1]])
            name = f"{prefix[head]} {surface}"
            start = head_start if head_start is not None and not found else starts[i]
            found.append(Mention(start, ends[end - 1], name, "unit", entry.units))
            i = end
        return found, i

    def _listed_group(self, tk: _Tokens, i: int) -> tuple[int, Mention] | None:
        """A group written as a list of levels or kinds rather than a set phrase:
        "UBND huyện, thị xã, thành phố", "UBND các xã, phường và thị trấn" (communes when a
        commune level is listed, else district-level committees: no registry unit), "all
        levels, branches and units", "related departments, branches and units" (the kinds of
        its nouns, lexicon.GROUP_NOUNS_EN). One level needs "các"; English needs two nouns."""
        words, starts, ends, text = tk.words, tk.starts, tk.ends, tk.text
        n = len(words)
        kinds: list[str] = []
        if words[i] == "ubnd":
            j = i + 1
            plural = j < n and words[j] == "cac"
            j += plural
            listed = 0
            while j < n:
                if listed and not _LEVEL_GAP.match(text[ends[j - 1] : starts[j]]):
                    break
                # "xã, phường và thị trấn"
                at = j + 1 if listed and words[j] in ("va", "and") else j
                level = next(
                    (
                        k
                        for k in (tuple(words[at : at + 2]), tuple(words[at : at + 1]))
                        if k in self._levels
                    ),
                    None,
                )
                if level is None:
                    break
                if self._levels[level] and "commune" not in kinds:
                    kinds.append("commune")
                listed += 1
                j = at + len(level)
            if not listed or (listed < 2 and not plural):
                return None
            # "UBND huyện, thị xã Sầm Sơn": a place follows, so no group (see _local_unit).
            if j < n and text[starts[j]].isupper() and not text[ends[j - 1] : starts[j]].strip():
                return None
        elif words[i] in self._group_openers or words[i] in self._group_nouns:
            j = i + 1 if words[i] in self._group_openers else i  # "Units and localities"
            listed = 0
            while j < n and words[j] in self._group_nouns:
                kinds += [k for k in self._group_nouns[words[j]] if k not in kinds]
                listed += 1
                j += 1
                if j + 1 < n and words[j] in ("and", "va") and words[j + 1] in self._group_nouns:
                    j += 1
                elif j < n and text[ends[j - 1] : starts[j]].strip() != ",":
                    break
            if listed < 2:
                return None
        else:
            return None
        end = self._suffix(words, j)
        ordered = tuple(k for k in _KIND_ORDER if k in kinds)
        surface = _clean(text[starts[i] : ends[end - 1]])
        return end, Mention(starts[i], ends[end - 1], surface, "group", self.members(ordered))

    def _local_unit(self, tk: _Tokens, i: int) -> tuple[int, Mention] | None:
        """A commune, ward or district not in the registry: "UBND huyện Quỳnh Lưu", "the
        People's Committee of Phan Thiet city", "Tuy Phuoc district's People's Committee"."""
        words, starts, ends, text = tk.words, tk.starts, tk.ends, tk.text
        if words[i] != "ubnd":
            # Both English forms end in "committee".
            if "committee" in tk.folded and (words[i] == "people" or text[starts[i]].isupper()):
                return self._english_local(tk, i)
            return None
        if i + 2 >= len(words):
            return None
        j = i + 1
        level = words[j]
        if level not in _LOCAL_KINDS:
            return None
        j += 1
        if level in ("thi", "thanh", "dac") and j < len(words):
            j += 1  # thị xã, thị trấn, thành phố, đặc khu
        start_name = j
        while j < len(words) and j - start_name < 4 and text[starts[j]].isupper():
            j += 1
        if j == start_name:
            return None
        surface = _clean(text[starts[i] : ends[j - 1]])
        units = self.resolve(surface)
        return j, Mention(starts[i], ends[j - 1], surface, "unit", units)

    @staticmethod
    def _english_local(tk: _Tokens, i: int) -> tuple[int, Mention] | None:
        words, starts, ends, text = tk.words, tk.starts, tk.ends, tk.text
        n = len(words)
        ahead = words[i : i + 6]
        if ahead[:5] == ["people", "s", "committee", "of", ahead[4] if len(ahead) > 4 else ""]:
            j = i + 4
            if j < n and words[j] == "the":
                j += 1
            start_name = j
            while j < n and j - start_name < 4 and text[starts[j]].isupper():
                j += 1
            if j == start_name or j >= n or words[j] not in _EN_LEVELS:
                return None
            kind = "authority" if words[j] == "province" else "unit"
            surface = _clean(text[starts[i] : ends[j]])
            return j + 1, Mention(starts[i], ends[j], surface, kind)
        # "Tuy Phuoc district's People's Committee"
        if "committee" not in words[i + 2 : i + 10]:
            return None
        j = i
        while j < n and j - i < 4 and text[starts[j]].isupper():
            j += 1
        if (
            i < j < n - 4
            and words[j] in _EN_LEVELS
            and words[j + 1 : j + 5] == ["s", "people", "s", "committee"]
        ):
            kind = "authority" if words[j] == "province" else "unit"
            surface = _clean(text[starts[i] : ends[j + 4]])
            return j + 5, Mention(starts[i], ends[j + 4], surface, kind)
        return None


# Registries built from tenants' rows, newest last (see Registry.for_tenant).
_BUILT: dict[tuple[Any, ...], Registry] = {}
_BUILT_MAX = 8
_BUILT_LOCK = threading.Lock()


def _clean(surface: str) -> str:
    # A name's span starts and ends with a word; most have single spaces only (see
    # segment._single_spaced), and need no split.
    if not surface.isprintable() or "  " in surface:
        surface = " ".join(surface.split())
    if surface[:4].lower() == "the ":
        surface = surface[4:]
    return surface


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry file's units: used when the database holds no tenant."""
    return Registry.from_file()
