"""Stage parse/check: archival references (NC5xx): grammar glue, house style, OCR damage, files.

Three verbs, one per consumer:

- :func:`find_archival` (the splitter): every archival reference in a text, with its fields and
  the span of every printed piece, read through the pyparsing grammar of
  :mod:`notecheck.archival_grammar`.
- :func:`match_archival_file` (the resolver): the bibliography entry of an archival file
  (archive + fond + opis' + unit), or the closest files as suggestions.
- :func:`check_archival` (the check stage): the NC5xx diagnostics and the archival file summary.

The checker works from the citations the splitter produced (``Form.ARCHIVAL``, and
``Form.IBID`` with ``fields.archival`` or after an archival reference), so it sees exactly the
references the rest of the report shows.
"""

from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from notecheck.config import DEFAULT_ARCHIVES
from notecheck.models import (
    ArchivalFile,
    ArchivalReference,
    Citation,
    Diagnostic,
    Entry,
    Fix,
    Form,
    Note,
    Resolution,
    Span,
)
from notecheck.rules.archival import (
    BACKWARDS_RANGE,
    DAMAGED_ABBREVIATION,
    FIELD_ORDER,
    HOUSE_STYLE,
    LEAF_NUMBER,
    LOST_SPACING,
    MISSING_COMMA,
    MISSING_FIELD,
    UNIT_KIND,
)
from notecheck.rules.tool import CONFIG_INVALID

if TYPE_CHECKING:
    from notecheck.archival_grammar import Grammar, Lexeme
    from notecheck.config import Config
    from notecheck.split import ParsedEdition

__all__ = [
    "CANONICAL",
    "DAMAGED_FORMS",
    "DEFAULT_ARCHIVES",
    "VALID_FORMS",
    "ArchivalMatch",
    "ArchivalMatchResult",
    "archival_contexts",
    "check_archival",
    "find_archival",
    "house_style",
    "match_archival_file",
]

# --- The abbreviations: canonical, valid alternatives, and the OCR damage the grammar reads ---------

#: The canonical form of each field's abbreviation (the default house style).
CANONICAL: Mapping[str, str] = {
    "fond": "f.",
    "opis": "op.",
    "delo": "d.",
    "edkhr": "ed. khr.",
    "leaf": "l.",
    "leaves": "ll.",
    "verso": "ob.",
}

#: Valid forms per field: only these can become the house style.
VALID_FORMS: Mapping[str, tuple[str, ...]] = {
    "fond": ("f.", "F."),
    "opis": ("op.", "Op."),
    "delo": ("d.", "D."),
    "edkhr": ("ed. khr.", "Ed. khr."),
    "leaf": ("l.", "L."),
    "leaves": ("ll.", "Ll."),
    "verso": ("ob.",),
}

#: Common OCR damage per field (a generic lexicon of confusions: ``l``/``1``/``I``, ``ll``/``n``,
#: ``.``/``,``/``e``, ``o``/``0``, ``d``/``cl``, ``h``/``b``). The grammar reads every one of them.
DAMAGED_FORMS: Mapping[str, tuple[str, ...]] = {
    "fond": ("f,",),
    "opis": ("Ope", "ope", "0p.", "op,", "Op,", "op"),
    "delo": ("d,", "cl."),
    "edkhr": ("00. khr.", "ed. khr,", "ed, khr.", "cd. khr.", "ed. kbr.", "0d. khr."),
    "leaf": ("1.", "I.", "|."),
    "leaves": ("11.", "n.", "II.", "Il.", "1l.", "l1."),
    "verso": ("0b.",),
}

_FIELD_NAMES = {
    "fond": "fond",
    "opis": "opis'",
    "delo": "delo",
    "edkhr": "storage unit",
    "leaf": "one leaf",
    "leaves": "several leaves",
    "verso": "verso",
}

# archival-style keys accepted in the configuration, and the field each names.
_STYLE_KEYS = {
    "fond": "fond",
    "f": "fond",
    "opis": "opis",
    "op": "opis",
    "delo": "delo",
    "d": "delo",
    "edkhr": "edkhr",
    "ed_khr": "edkhr",
    "storage_unit": "edkhr",
    "leaf": "leaf",
    "l": "leaf",
    "list": "leaf",
    "leaves": "leaves",
    "ll": "leaves",
    "listy": "leaves",
    "verso": "verso",
    "ob": "verso",
    "oborot": "verso",
    "unit": "unit",  # d. or ed. khr., by its value
}


@dataclass(frozen=True, slots=True)
class ArchivalMatch:
    """An archival reference found in a text: offsets ``[start, end)`` and its parse."""

    start: int
    end: int
    reference: ArchivalReference

    def shifted(self, offset: int) -> ArchivalMatch:
        """The same match with every offset (its own and its tokens') moved by ``offset``."""
        return ArchivalMatch(self.start + offset, self.end + offset, shift_reference(self.reference, offset))


# --- Finding and parsing --------------------------------------------------------------------------


def find_archival(
    text: str,
    archives: Sequence[str] = DEFAULT_ARCHIVES,
    *,
    start: int = 0,
    end: int | None = None,
) -> list[ArchivalMatch]:
    """Every archival reference in ``text`` (a note's text), in order, with offsets.

    Finds references that name a repository (``RTsKhIDNI, f. 17, op. 100, d. 134977``) and
    continuations that start at the fond (``and f. 124, op. 1, ed. khr. 816``, ``archive`` None;
    so too the text after an archive-level ``Ibid.,``). OCR-damaged abbreviations are read, not
    skipped. Offsets, including those of ``reference.tokens``, are relative to ``text``; only
    ``text[start:end]`` is searched. Never raises; linear in the length of the text.

    Args:
        text: the text to search, line ends and OCR damage kept.
        archives: the repository acronyms that open a reference.
        start: where to start searching.
        end: where to stop (a reference never runs past it); default the end of ``text``.

    Example:
        >>> [m.reference.unit for m in find_archival("RTsKhIDNI, f. 17, Ope 100, d. 134977,1.47.")]
        ['134977']
    """
    from notecheck.archival_grammar import parse, reference_grammar

    grammar = reference_grammar(tuple(archives))
    stop = len(text) if end is None else max(0, min(end, len(text)))
    matches: list[ArchivalMatch] = []
    cursor = max(0, start)
    for candidate in grammar.prefilter.finditer(text, cursor, stop):
        if candidate.start() < cursor:
            continue
        found = parse(grammar, "reference", text, candidate.start(), stop)
        if not found:
            continue
        matches.append(ArchivalMatch(found[0].start, found[-1].end, reference_from_lexemes(found)))
        cursor = found[-1].end
        # ``; d. 45, l. 3``: continuations below the fond, each after the one before
        while (lead := _PARTIAL_LEAD.match(text, cursor, stop)) is not None:
            found = parse(grammar, "partial", text, lead.end(), stop)
            if not found:
                break
            matches.append(ArchivalMatch(found[0].start, found[-1].end, reference_from_lexemes(found)))
            cursor = found[-1].end
    if "bid" in text:  # ``Ibid., d. 5785, l. 4``: an archive-level ibid below the fond
        for ibid in IBID_BELOW_FOND.finditer(text, max(0, start), stop):
            if any(m.start <= ibid.end() < m.end for m in matches):
                continue
            found = parse(grammar, "partial", text, ibid.end(), stop)
            if found:
                matches.append(ArchivalMatch(found[0].start, found[-1].end, reference_from_lexemes(found)))
        matches.sort(key=lambda m: m.start)
    return matches


#: What may stand between a reference and a continuation below its fond: ``; ``, ``; and ``,
#: ``; see also ``, `` and ``. Possessive quantifiers, so a long run of white space that no
#: ``;``, ``,`` or ``and`` follows is scanned once, not once per character (it runs after every
#: reference).
_PARTIAL_LEAD = re.compile(r"\s++and\s+|\s*+(?:;\s*+(?:and\s+|see\s+(?:also\s+)?|cf\.\s+)?|,\s+and\s+)")
#: An ibid (OCR damage included) and its comma, before a continuation below the fond
#: (``Ibid., d. 5, l. 4``); the fast pass uses it too.
IBID_BELOW_FOND = re.compile(r"(?<![\w!|])[IiLl!1|]bid(?:em)?\.?\s*,\s*(?=(?:[oO0]p|[dD]|[eE]d)\W)")


def reference_from_lexemes(lexemes: Sequence[Lexeme]) -> ArchivalReference:
    """Build an :class:`ArchivalReference` from the grammar's lexemes (the one place that does)."""
    from notecheck import archival_grammar as g

    def first(role: str) -> Lexeme | None:
        return next((x for x in lexemes if x.role == role), None)

    archive = first(g.ARCHIVE)
    unit_abbreviation = next((x for x in lexemes if x.role in (g.DELO, g.EDKHR)), None)
    date = first(g.DATE)
    fond, opis, unit = first(g.FOND_VALUE), first(g.OPIS_VALUE), first(g.UNIT_VALUE)
    return ArchivalReference(
        archive=" ".join(archive.text.split()) if archive else None,
        fond=fond.text if fond else None,
        opis=opis.text if opis else None,
        unit_kind=_unit_kind(unit_abbreviation),
        unit=unit.text if unit else None,
        leaves=leaves_of(lexemes),
        verso=any(x.role == g.VERSO for x in lexemes),
        date=date.text.strip("() \n\t") if date else None,
        tokens=tuple((x.role, x.text, x.start, x.end) for x in lexemes),
    )


def _unit_kind(lexeme: Lexeme | None) -> str | None:
    if lexeme is None:
        return None
    return "ed. khr." if lexeme.role == "edkhr" else "d"


def shift_reference(reference: ArchivalReference, offset: int) -> ArchivalReference:
    """The reference with its token offsets moved by ``offset`` (text-relative to note-relative)."""
    tokens = tuple((role, printed, s + offset, e + offset) for role, printed, s, e in reference.tokens)
    return replace(reference, tokens=tokens)


_RANGE = re.compile(r"(\d+)\s*[-\u2013\u2014]\s*(\d+)")
_NUMBER = re.compile(r"\d+")


def leaves_of(lexemes: Iterable[Lexeme]) -> tuple[tuple[int, int], ...]:
    """The leaf ranges of a reference's lexemes (``3 ob.-4`` is one range, printed in two)."""
    ranges: list[tuple[int, int]] = []
    for _, _, first, last in leaf_items(lexemes):
        ranges.append((first, last))
    return tuple(ranges)


def leaf_items(lexemes: Iterable[Lexeme]) -> list[tuple[int, int, int, int]]:
    """Each leaf item as ``(start, end, first, last)``: offsets of its printed text and its range."""
    items: list[tuple[int, int, int, int]] = []
    starts: list[str] = []
    for lexeme in lexemes:
        if lexeme.role == "leaf.value":
            first, last = leaf_range(lexeme.text)
            items.append((lexeme.start, lexeme.end, first, last))
            starts.append(lexeme.text)
        elif lexeme.role == "leaf.to" and items:
            start, _, first, _ = items[-1]
            digits = _NUMBER.search(lexeme.text)
            end_text = digits.group() if digits else "0"
            items[-1] = (start, lexeme.end, *leaf_range(f"{first}-{end_text}"))
    return items


def leaf_range(printed: str) -> tuple[int, int]:
    """``"18-22"`` -> ``(18, 22)``; ``"125-7"`` -> ``(125, 127)``; ``"9"`` -> ``(9, 9)``.

    An abbreviated end (fewer digits than the start) takes the start's leading digits. A range
    that still runs backwards is returned as printed (start > end), for the checker to report.
    """
    match = _RANGE.search(printed)
    if match is None:
        digits = re.search(r"\d+", printed)
        number = int(digits.group()) if digits else 0
        return number, number
    first, last = match.group(1), match.group(2)
    if len(last) < len(first) and int(last) < int(first):
        expanded = first[: len(first) - len(last)] + last
        if int(expanded) >= int(first):
            last = expanded
    return int(first), int(last)


# --- Resolution: a reference to its bibliography entry ---------------------------------------------

#: Repository renamings: a reference under an old name finds an entry under the new one.
_SUCCESSIONS = (
    ("TsPA", "TsPA IML", "RTsKhIDNI", "RGASPI", "TsKhDMO"),
    ("TsGAOR", "TsGAOR SSSR", "GARF"),
    ("TsGALI", "RGALI"),
    ("TsGIA", "TsGIA SSSR", "RGIA"),
    ("TsKhSD", "RGANI"),
    ("TsGANKh", "RGAE"),
    ("TsGASA", "RGVA"),
    ("TsGVIA", "RGVIA"),
    ("TsGADA", "RGADA"),
    ("LPA", "LPA IIP", "TsGAIPD SPb"),
)


@dataclass(frozen=True, slots=True)
class ArchivalFileId:
    """An archival file: repository, fond, opis', unit kind (``d`` or ``ed. khr.``) and unit."""

    archive: str | None
    fond: str | None
    opis: str | None
    unit_kind: str | None
    unit: str | None


@dataclass(frozen=True, slots=True)
class ArchivalMatchResult:
    """What :func:`match_archival_file` found.

    ``key`` is the entry the reference cites, or None; ``candidates`` every entry it could mean
    (one when resolved, several when ambiguous, the files of a fond or opis' cited as a whole);
    ``suggestions`` the closest files when nothing matches (a did-you-mean).
    """

    key: str | None
    candidates: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()


_CODE_LABEL = re.compile(r"^(?:f|op|d|ed\.?\s*khr|l{1,2})\.\s*")
_SPACES = re.compile(r"\s+")
_ARCHIVE_NOISE = re.compile(r"[\s.]+")


@lru_cache(maxsize=4096)
def _code(value: str | None) -> str | None:
    """A fond, opis' or unit number normalised for comparison: ``"f. 17"`` -> ``"17"``."""
    if value is None:
        return None
    text = value.strip().lower()
    text = _CODE_LABEL.sub("", text)
    text = _SPACES.sub("", text).rstrip(".")
    return text or None


@lru_cache(maxsize=1024)
def _archive_key(name: str | None) -> str | None:
    return _ARCHIVE_NOISE.sub("", name).casefold() if name else None


_SUCCESSOR_GROUP = {_archive_key(name): index for index, group in enumerate(_SUCCESSIONS) for name in group}


def archival_file_of(entry: Entry) -> ArchivalFileId | None:
    """The archival file an entry describes (fields ``archive``, ``fond``, ``opis``, ``delo`` or
    ``edkhr``), or None for an entry that is not an archival file."""
    fields = entry.fields
    fond = fields.get("fond")
    if not fond:
        return None
    if fields.get("edkhr") or fields.get("ed_khr"):
        kind, unit = "ed. khr.", fields.get("edkhr") or fields.get("ed_khr")
    elif fields.get("delo"):
        kind, unit = "d", fields.get("delo")
    else:
        kind, unit = None, None
    return ArchivalFileId(fields.get("archive"), _code(fond), _code(fields.get("opis")), kind, _code(unit))


def _archive_tier(cited: str | None, listed: str | None) -> int | None:
    """0: same repository; 1: unknown or a renamed one; None: a different repository."""
    if cited is None or listed is None:
        return 1
    a, b = _archive_key(cited), _archive_key(listed)
    if a == b:
        return 0
    group_a, group_b = _SUCCESSOR_GROUP.get(a), _SUCCESSOR_GROUP.get(b)
    return 1 if group_a is not None and group_a == group_b else None


def match_archival_file(
    reference: ArchivalReference, entries: Iterable[Entry], *, archive: str | None = None
) -> ArchivalMatchResult:
    """The bibliography entry of the file ``reference`` cites (archive + fond + opis' + unit).

    Args:
        reference: the parsed reference.
        entries: the bibliography's entries; those without a ``fond`` field are ignored.
        archive: the repository to assume when the reference does not name it (a continuation
            or an archive-level ibid inherits it from the reference before).

    Returns:
        The key when exactly one file matches (the same repository beats a renamed one), the
        candidates when several do or when the reference cites a whole fond or opis', and
        otherwise the closest files as suggestions (a one-digit typo in a delo number is one
        edit away).
    """
    cited = ArchivalFileId(
        reference.archive or archive,
        _code(reference.fond),
        _code(reference.opis),
        reference.unit_kind,
        _code(reference.unit),
    )
    files, by_fond = _files_of(entries)
    same_place = [
        (key, tier, found)
        for key, found in by_fond.get(cited.fond, ())
        if (tier := _archive_tier(cited.archive, found.archive)) is not None
    ]
    if cited.unit is None:  # a fond or opis' as a whole: every file in it is a candidate
        keys = tuple(k for k, _, f in same_place if cited.opis is None or f.opis == cited.opis)
        return ArchivalMatchResult(None, keys)
    exact = [
        (tier, key)
        for key, tier, found in same_place
        if (found.opis, found.unit_kind, found.unit) == (cited.opis, cited.unit_kind, cited.unit)
    ]
    if exact:
        best = min(tier for tier, _ in exact)
        preferred = [key for tier, key in exact if tier == best]
        key = preferred[0] if len(preferred) == 1 else None
        return ArchivalMatchResult(key, tuple(key for _, key in sorted(exact)))
    return ArchivalMatchResult(None, (), _closest_files(cited, files))


_FileList = list[tuple[str, ArchivalFileId]]
_FILES: list[tuple[tuple[Entry, ...], _FileList, dict[str | None, _FileList]]] = []


def _files_of(entries: Iterable[Entry]) -> tuple[_FileList, dict[str | None, _FileList]]:
    """The archival files among ``entries``, and the same by fond.

    The resolver passes the same entries for every reference of an edition: their files are
    read once (kept while the same entry objects are passed), so matching a reference costs a
    look-up by fond instead of reading every entry again.
    """
    given = entries if isinstance(entries, (list, tuple)) else tuple(entries)
    for known, known_files, known_by_fond in _FILES:
        if len(known) == len(given) and all(map(operator.is_, known, given)):
            return known_files, known_by_fond
    files = [(entry.key, found) for entry in given if (found := archival_file_of(entry)) is not None]
    by_fond: dict[str | None, _FileList] = {}
    for item in files:
        by_fond.setdefault(item[1].fond, []).append(item)
    _FILES[:] = [(tuple(given), files, by_fond)]
    return files, by_fond


def _closest_files(cited: ArchivalFileId, files: list[tuple[str, ArchivalFileId]]) -> tuple[str, ...]:
    """The files nearest to ``cited`` (at most three): a few edits away over the numbers, or in the
    same fond of the same repository. A file of another fond and repository is never suggested."""
    from rapidfuzz.distance import Levenshtein

    scored: list[tuple[int, str]] = []
    for key, found in files:
        tier = _archive_tier(cited.archive, found.archive)
        distance = (
            Levenshtein.distance(cited.fond or "", found.fond or "")
            + Levenshtein.distance(cited.opis or "", found.opis or "")
            + Levenshtein.distance(cited.unit or "", found.unit or "")
            + (cited.unit_kind != found.unit_kind)
            + (0 if tier is not None else 2)
        )
        related = tier is not None and found.fond == cited.fond
        if distance <= _SUGGESTION_DISTANCE or related:
            scored.append((distance, key))
    if not scored:
        return ()
    scored.sort()
    best = scored[0][0]
    return tuple(key for distance, key in scored if distance <= best + 1)[:3]


_SUGGESTION_DISTANCE = 3


# --- The check stage ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArchivalUse:
    """One place an archival file is cited, ready for the rules.

    ``kind`` is ``reference`` (a full reference or continuation, or an archive-level ibid),
    ``locator`` (the leaves of an ibid after an archival reference: ``ibid., l. 37``) or ``tail``
    (``; see also l. 52`` right after a reference). ``lexemes`` are in note-text offsets;
    ``file`` is the file cited, the repository inherited where the text does not name it.
    """

    note: Note
    citation: Citation
    kind: str
    lexemes: tuple[Lexeme, ...]
    file: ArchivalFileId | None
    leaves: tuple[tuple[int, int], ...] = ()


def check_archival(
    parsed: ParsedEdition, resolution: Resolution, config: Config
) -> tuple[list[Diagnostic], list[ArchivalFile]]:
    """Consistency diagnostics (NC5xx) for the archival references of one edition, and a summary.

    Args:
        parsed: the split edition; archival citations are ``Form.ARCHIVAL`` (or ``Form.IBID``
            with ``fields.archival``); an ibid after them is checked for its leaf locator.
        resolution: used for the ibid antecedents and the bibliography keys, when present.
        config: ``archives`` and ``archival_style`` (the house style; by default the majority
            among the valid forms the edition uses).

    Returns:
        The diagnostics, and one :class:`ArchivalFile` per file cited, in order of first citation.
    """
    uses = collect_uses(parsed, resolution, config.archives)
    style, problems = house_style(uses, config.archival_style, config)
    diagnostics = list(problems)
    for use in uses:
        diagnostics.extend(_check_abbreviations(use, style))
        diagnostics.extend(_check_spacing(use))
        diagnostics.extend(_check_ranges(use))
        if use.kind == "reference":
            diagnostics.extend(_check_structure(use))
    diagnostics.extend(_check_unit_kinds(uses))
    return diagnostics, summarize(uses, resolution)


def archival_contexts(
    parsed: ParsedEdition, resolution: Resolution | None = None, archives: Sequence[str] = DEFAULT_ARCHIVES
) -> dict[str, ArchivalReference]:
    """The archival reference each citation stands for, with the repository filled in.

    Continuations and archive-level ibids inherit the repository of the reference before; an
    ibid with only a leaf locator (``ibid., l. 37``) stands for the file of the reference it
    repeats, with its own leaves. For the resolver: pass each to :func:`match_archival_file`.
    """
    found: dict[str, ArchivalReference] = {}
    for use in collect_uses(parsed, resolution or Resolution(), archives):
        if use.kind == "tail" or use.file is None:
            continue
        file = use.file
        found[use.citation.id] = ArchivalReference(
            archive=file.archive,
            fond=file.fond,
            opis=file.opis,
            unit_kind=file.unit_kind,
            unit=file.unit,
            leaves=use.leaves,
            verso=any(x.role == "verso" for x in use.lexemes),
            date=next((x.text.strip("() \n\t") for x in use.lexemes if x.role == "date"), None),
            tokens=tuple((x.role, x.text, x.start, x.end) for x in use.lexemes),
        )
    return found


def collect_uses(
    parsed: ParsedEdition, resolution: Resolution, archives: Sequence[str] = DEFAULT_ARCHIVES
) -> list[ArchivalUse]:
    """Every archival use of the edition, in order; ibids follow the file they repeat."""
    from notecheck.archival_grammar import reference_grammar

    grammar = reference_grammar(tuple(archives))
    uses: list[ArchivalUse] = []
    by_id: dict[str, ArchivalUse] = {}
    context: ArchivalUse | None = None  # the archival reference an ibid here would repeat
    for note in parsed.edition.notes:
        for citation in parsed.citations.get(note.index, ()):
            reference = citation.fields.archival
            if reference is not None and citation.form in (Form.ARCHIVAL, Form.IBID):
                antecedent = _antecedent(citation, resolution, by_id, context)
                use = _reference_use(note, citation, reference, antecedent or context)
                if use is None:
                    continue
                uses.append(use)
                by_id[citation.id] = context = use
                tail = _tail_use(grammar, use)
                if tail is not None:
                    uses.append(tail)
            elif citation.form == Form.IBID:
                antecedent = _antecedent(citation, resolution, by_id, context)
                use = _locator_use(grammar, note, citation, antecedent)
                if use is not None:
                    uses.append(use)
                    by_id[citation.id] = use
                elif antecedent is not None:
                    by_id[citation.id] = replace(antecedent, citation=citation, kind="locator", lexemes=())
            elif citation.form != Form.CROSSREF:
                context = None
    return _without_overlaps(uses)


def _antecedent(
    citation: Citation,
    resolution: Resolution,
    by_id: Mapping[str, ArchivalUse],
    context: ArchivalUse | None,
) -> ArchivalUse | None:
    """The archival use an ibid repeats: the resolver's antecedent when known, else the last one."""
    antecedent = resolution.of(citation).antecedent
    if antecedent is not None:
        return by_id.get(antecedent)
    return context


def _note_lexemes(note: Note, citation: Citation, reference: ArchivalReference) -> tuple[Lexeme, ...] | None:
    """The reference's tokens as lexemes in note-text offsets; None if they cannot be placed.

    The tokens should already be note-relative; tokens still relative to the citation's text
    (a splitter that did not shift them) are moved, and tokens that match neither are dropped.
    """
    from notecheck.archival_grammar import Lexeme

    for offset in (0, citation.start):
        if reference.tokens and all(
            note.text[s + offset : e + offset] == printed for _, printed, s, e in reference.tokens
        ):
            return tuple(
                Lexeme(role, printed, s + offset, e + offset) for role, printed, s, e in reference.tokens
            )
    return None


def _reference_use(
    note: Note, citation: Citation, reference: ArchivalReference, before: ArchivalUse | None
) -> ArchivalUse | None:
    lexemes = _note_lexemes(note, citation, reference)
    if lexemes is None:
        return None
    archive = reference.archive or (before.file.archive if before and before.file else None)
    fond, opis = reference.fond, reference.opis
    if fond is None and reference.archive is None and before is not None and before.file is not None:
        fond, opis = before.file.fond, opis or before.file.opis  # below the fond: ``; d. 45``
    file = ArchivalFileId(archive, fond, opis, reference.unit_kind, reference.unit)
    return ArchivalUse(note, citation, "reference", lexemes, file, reference.leaves)


@lru_cache(maxsize=1)
def _leaf_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_IBID_PREFIX = re.compile(r"^.{0,12}?bid\W*$", re.IGNORECASE | re.DOTALL)
#: How far past an ibid citation a leaf abbreviation's digit lookahead may look.
_LEAF_SLACK = 64


def _locator_use(
    grammar: Grammar, note: Note, citation: Citation, antecedent: ArchivalUse | None
) -> ArchivalUse | None:
    """The leaf locator right after an ibid (``ibid., I. 37``), if the ibid follows an archival
    reference or the splitter read its locator as leaves."""
    from notecheck.archival_grammar import parse

    leafish = citation.locator is not None and citation.locator.kind == "leaf"
    if antecedent is None and not leafish:
        return None
    start = _leaf_locator_start(note, citation)
    if start is None:
        return None
    found = parse(grammar, "leaf_locator", note.text, start)
    if not found:
        return None
    file = antecedent.file if antecedent is not None else None
    return ArchivalUse(note, citation, "locator", tuple(found), file, leaves_of(found))


def _leaf_locator_start(note: Note, citation: Citation) -> int | None:
    """Where the ibid's leaf abbreviation is: at the splitter's locator when it is placed right,
    else the first leaf abbreviation that follows the ibid word directly."""
    from notecheck.archival_grammar import LEAF_PATTERN

    pattern = _leaf_pattern(LEAF_PATTERN)
    locator = citation.locator
    if locator is not None and locator.text and note.text[locator.start : locator.end] == locator.text:
        return locator.start if pattern.match(note.text, locator.start) else None
    # Only the first leaf abbreviation inside the citation counts, so the search stops a little
    # past its end (room for the digit lookahead): searching to the note's end for every ibid of
    # a long note without leaves was quadratic.
    candidate = pattern.search(note.text, citation.start, min(len(note.text), citation.end + _LEAF_SLACK))
    if candidate is None or candidate.start() >= citation.end:
        return None
    if _IBID_PREFIX.match(note.text[citation.start : candidate.start()]):
        return candidate.start()
    return None


def _tail_use(grammar: Grammar, use: ArchivalUse) -> ArchivalUse | None:
    """``; see also l. 52`` right after a reference: more leaves of the same file."""
    from notecheck.archival_grammar import parse

    if not use.lexemes:
        return None
    found = parse(grammar, "leaf_tail", use.note.text, use.lexemes[-1].end)
    if not found:
        return None
    return ArchivalUse(use.note, use.citation, "tail", tuple(found), use.file, leaves_of(found))


def _without_overlaps(uses: list[ArchivalUse]) -> list[ArchivalUse]:
    """Drop a use whose lexemes were already seen (a tail that the splitter also cut out)."""
    seen: set[tuple[int, int]] = set()
    kept: list[ArchivalUse] = []
    for use in uses:
        places = {(use.note.index, x.start) for x in use.lexemes}
        if places & seen:
            continue
        seen |= places
        kept.append(use)
    return kept


# --- House style ----------------------------------------------------------------------------------


def _leaf_count(lexemes: Sequence[Lexeme], index: int) -> int:
    """How many leaves the leaf abbreviation at ``index`` stands before (2 means several)."""
    following: list[Lexeme] = []
    for lexeme in lexemes[index + 1 :]:
        if lexeme.role not in ("leaf.value", "leaf.to", "verso"):
            break
        following.append(lexeme)
    return sum(1 if first == last else 2 for _, _, first, last in leaf_items(following))


def _field_of(lexemes: Sequence[Lexeme], index: int) -> str:
    """The style field of the abbreviation at ``index``: its role, or leaf/leaves by count."""
    role = lexemes[index].role
    if role == "leaf":
        return "leaf" if _leaf_count(lexemes, index) <= 1 else "leaves"
    return role


def _abbreviations(use: ArchivalUse) -> Iterator[tuple[Lexeme, str]]:
    from notecheck.archival_grammar import ABBREVIATIONS

    for index, lexeme in enumerate(use.lexemes):
        if lexeme.role in ABBREVIATIONS:
            yield lexeme, _field_of(use.lexemes, index)


def _same(printed: str, wanted: str) -> bool:
    return " ".join(printed.split()) == wanted


def house_style(
    uses: Sequence[ArchivalUse], configured: Mapping[str, str] | None = None, config: Config | None = None
) -> tuple[dict[str, str], list[Diagnostic]]:
    """The house style per field, and diagnostics for unusable ``archival-style`` settings.

    A configured form wins; else the majority among the *valid* forms the edition uses (a
    damaged form never counts, however frequent; a tie goes to the canonical form); else the
    canonical default.
    """
    counts: dict[str, Counter[str]] = {name: Counter() for name in CANONICAL}
    for use in uses:
        for lexeme, name in _abbreviations(use):
            printed = " ".join(lexeme.text.split())
            if printed in VALID_FORMS[name]:
                counts[name][printed] += 1
    style: dict[str, str] = {}
    for name, default in CANONICAL.items():
        common = counts[name].most_common()
        if not common:
            style[name] = default
            continue
        top = common[0][1]
        tied = [form for form, n in common if n == top]
        style[name] = default if default in tied else tied[0]
    overrides, problems = _configured_style(configured or {}, config)
    style.update(overrides)
    return style, problems


def _configured_style(
    configured: Mapping[str, str], config: Config | None
) -> tuple[dict[str, str], list[Diagnostic]]:
    where = config.shown_file if config is not None else "<config>"
    span = Span(where, 1, 1, 1, 1)
    style: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for raw_key, raw_value in configured.items():
        key = re.sub(r"[\s.\-]+", "_", raw_key.strip().lower()).strip("_")
        value = " ".join(str(raw_value).split())
        name = _STYLE_KEYS.get(key)
        if name == "unit":
            name = "edkhr" if "khr" in value.lower() else "delo"
        if name is None:
            reason = f"unknown archival-style key {raw_key!r} (use one of {', '.join(CANONICAL)})"
            problems.append(CONFIG_INVALID.at(span, path=where, reason=reason))
            continue
        allowed = VALID_FORMS[name]
        if name in ("leaf", "leaves"):
            allowed = VALID_FORMS["leaf"] + VALID_FORMS["leaves"]
        if value not in allowed:
            reason = f"archival-style {raw_key} = {raw_value!r} is not one of {', '.join(allowed)}"
            problems.append(CONFIG_INVALID.at(span, path=where, reason=reason))
            continue
        style[name] = value
    return style, problems


# --- The rules ------------------------------------------------------------------------------------


def _fix(note: Note, start: int, end: int, replacement: str) -> Fix:
    return Fix(replacement, note.span(start, end), "safe")


def _check_abbreviations(use: ArchivalUse, style: Mapping[str, str]) -> Iterator[Diagnostic]:
    """NC501 damaged, NC502 house style, NC503 leaf number, NC506 spacing inside one token."""
    note = use.note
    for lexeme, name in _abbreviations(use):
        wanted = style[name]
        printed = lexeme.text
        if _same(printed, wanted):
            continue
        fix = _fix(note, lexeme.start, lexeme.end, wanted)
        span = note.span(lexeme.start, lexeme.end)
        field_name = _FIELD_NAMES[name]
        flat = " ".join(printed.split())
        other = "leaves" if name == "leaf" else "leaf"
        if re.sub(r"\s", "", printed) == re.sub(r"\s", "", wanted) and len(flat) < len(wanted):
            yield LOST_SPACING.at(span, note=note, fix=fix, printed=printed)
        elif flat in VALID_FORMS[name]:
            yield HOUSE_STYLE.at(span, note=note, fix=fix, printed=printed, wanted=wanted, field=field_name)
        elif name in ("leaf", "leaves") and flat in VALID_FORMS[other]:
            count = "one leaf" if name == "leaf" else "several leaves"
            yield LEAF_NUMBER.at(span, note=note, fix=fix, printed=printed, wanted=wanted, count=count)
        else:
            yield DAMAGED_ABBREVIATION.at(
                span, note=note, fix=fix, printed=printed, wanted=wanted, field=field_name
            )


_VALUES = frozenset({"fond.value", "opis.value", "unit.value", "leaf.value"})
_FIELD_STARTS = frozenset({"fond", "opis", "delo", "edkhr", "leaf"})


def _check_spacing(use: ArchivalUse) -> Iterator[Diagnostic]:
    """NC506 lost spaces and NC509 missing commas, between consecutive printed pieces."""
    note, text = use.note, use.note.text
    for before, after in zip(use.lexemes, use.lexemes[1:], strict=False):
        gap = text[before.end : after.start]
        joined = text[before.start : after.end]
        if after.role in _VALUES and before.role in _FIELD_STARTS:
            if gap == "":  # l.47
                yield LOST_SPACING.at(
                    note.span(before.start, after.end),
                    note=note,
                    fix=_fix(note, before.end, before.end, " "),
                    printed=joined,
                )
        elif after.role in _FIELD_STARTS or (
            after.role == "leaf.value" and before.role in _VALUES | {"verso"}
        ):
            yield from _check_separator(use, before, after, gap, joined)
        elif after.role in ("date", "name") and gap == "":
            yield LOST_SPACING.at(
                note.span(before.start, after.end),
                note=note,
                fix=_fix(note, before.end, before.end, " "),
                printed=joined,
            )


def _check_separator(
    use: ArchivalUse, before: Lexeme, after: Lexeme, gap: str, joined: str
) -> Iterator[Diagnostic]:
    note = use.note
    comma = gap.find(",")
    if comma < 0:
        if use.kind == "reference" or after.role != "leaf":
            yield MISSING_COMMA.at(
                note.span(before.start, after.end),
                note=note,
                fix=_fix(note, before.end, before.end, "," if gap else ", "),
                printed=after.text,
            )
        return
    if gap.endswith(","):  # 124,op. 1 -- the space after the comma is lost
        at = before.end + comma
        yield LOST_SPACING.at(
            note.span(before.start, after.end), note=note, fix=_fix(note, at, at + 1, ", "), printed=joined
        )


def _check_ranges(use: ArchivalUse) -> Iterator[Diagnostic]:
    """NC508: a leaf range that runs backwards (no fix: which digits are wrong is unknown)."""
    text = use.note.text
    for start, end, first, last in leaf_items(use.lexemes):
        if last < first:
            yield BACKWARDS_RANGE.at(use.note.span(start, end), note=use.note, printed=text[start:end])


_RANKS = {"opis": 0, "delo": 1, "edkhr": 1, "leaf": 2}
_RANK_NAMES = ("opis'", "delo or storage unit", "leaves")


def _check_structure(use: ArchivalUse) -> Iterator[Diagnostic]:
    """NC504 fields out of order or repeated; NC505 a level skipped (no fixes)."""
    note = use.note
    highest = -1
    ranks: set[int] = set()
    reported = False
    for lexeme in use.lexemes:
        rank = _RANKS.get(lexeme.role)
        if rank is None:
            continue
        ranks.add(rank)
        if rank <= highest and not reported:
            reported = True
            yield FIELD_ORDER.at(
                note.span(lexeme.start, lexeme.end), note=note, printed=lexeme.text, field=_RANK_NAMES[rank]
            )
        highest = max(highest, rank)
    if not ranks:
        return
    top = max(ranks)
    whole = note.span(use.lexemes[0].start, use.lexemes[-1].end)
    # A continuation below the fond (``; d. 45, l. 3``) inherits the levels above its first.
    first = 0 if any(x.role in ("fond", "archive") for x in use.lexemes) else min(ranks)
    for rank in range(first, top):
        if rank not in ranks:
            yield MISSING_FIELD.at(whole, note=note, field=_RANK_NAMES[rank], later=_RANK_NAMES[top])


def _check_unit_kinds(uses: Sequence[ArchivalUse]) -> Iterator[Diagnostic]:
    """NC507: a fond cited with ``d.`` in some places and ``ed. khr.`` in others (minority reported)."""
    by_fond: dict[tuple[str | None, str | None], list[tuple[str, ArchivalUse, Lexeme]]] = {}
    for use in uses:
        if use.kind != "reference" or use.file is None:
            continue
        unit = next((x for x in use.lexemes if x.role in ("delo", "edkhr")), None)
        if unit is None:
            continue
        fond_key = (_archive_key(use.file.archive), _code(use.file.fond))
        by_fond.setdefault(fond_key, []).append((unit.role, use, unit))
    for cited in by_fond.values():
        kinds = Counter(kind for kind, _, _ in cited)
        if len(kinds) < 2:
            continue
        majority = kinds.most_common(1)[0][0]  # ties: the kind cited first
        shown = {role: CANONICAL[role] for role in kinds}
        for kind, use, lexeme in cited:
            if kind != majority:
                yield UNIT_KIND.at(
                    use.note.span(lexeme.start, lexeme.end),
                    note=use.note,
                    fond=use.file.fond if use.file else "?",
                    printed=lexeme.text,
                    other=shown[majority],
                    count=kinds[majority],
                )


# --- The summary ----------------------------------------------------------------------------------


@dataclass
class _FileTally:
    file: ArchivalFileId
    key: str | None = None
    citations: int = 0
    leaves: list[tuple[int, int]] = field(default_factory=list)


def summarize(uses: Sequence[ArchivalUse], resolution: Resolution) -> list[ArchivalFile]:
    """One :class:`ArchivalFile` per file cited: how many citations, which leaves (``3-6, 9``)."""
    tallies: dict[ArchivalFileId, _FileTally] = {}
    for use in uses:
        if use.file is None:
            continue
        file = use.file
        identity = ArchivalFileId(
            _archive_key(file.archive), _code(file.fond), _code(file.opis), file.unit_kind, _code(file.unit)
        )
        tally = tallies.setdefault(identity, _FileTally(file))
        if use.kind != "tail":
            tally.citations += 1
        tally.key = tally.key or resolution.of(use.citation).key
        tally.leaves.extend(use.leaves)
    return [
        ArchivalFile(
            key=t.key,
            archive=t.file.archive,
            fond=t.file.fond,
            opis=t.file.opis,
            unit=t.file.unit,
            citations=t.citations,
            leaves=format_leaves(t.leaves),
            unit_kind=t.file.unit_kind,
        )
        for t in tallies.values()
    ]


def format_leaves(ranges: Iterable[tuple[int, int]]) -> str:
    """Leaves as a reader wants them: ``[(3, 4), (5, 6), (9, 9)]`` -> ``"3-6, 9"``."""
    ordered = sorted((min(a, b), max(a, b)) for a, b in ranges)
    merged: list[list[int]] = []
    for first, last in ordered:
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in merged)
