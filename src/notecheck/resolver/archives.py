"""Stage resolve, archives: archival references to file entries, and other archives' collections.

Russian-style references (repository, fond, opis', unit) are matched by
:func:`notecheck.archival.match_archival_file`; a reference that does not name its repository (a
continuation ``and f. 124, ...``, an archive-level ibid.) inherits it from the nearest earlier
archival reference.

References to other archives (``MS. Department of State, Continental Congress Papers, No. 59, I,
281``; ``National Archives, RG 59, file 102.5/7-953``) resolve to ``@misc`` entries that describe
the collection with ``archive``, ``collection``, ``series`` and ``file`` fields: the entry's words
must be in the reference, its ``series``/``file`` identifiers too, and what follows the last
matched part is the item (``I, 281``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from notecheck.bibliography import fold, title_words
from notecheck.models import ArchivalReference, Citation, CitationResolution, Entry, Note, Severity, Status
from notecheck.resolver.context import ArchivalContext, Context, Outcome, ambiguous
from notecheck.rules.resolution import (
    AMBIGUOUS_REFERENCE,
    ARCHIVE_IBID_GAP,
    IBID_WITHOUT_ANTECEDENT,
    UNKNOWN_ARCHIVAL_FILE,
)


def resolve_archival(citation: Citation, context: Context) -> Outcome:
    """An archival reference (or a document described just before one) to its file entry."""
    reference = citation.fields.archival
    if reference is not None and _below_fond(reference):
        reference = _inherit(reference, context)
    if reference is None or reference.fond is None:
        collection = resolve_collection(citation, context)
        if collection is not None:
            return collection
        if reference is None:
            return Outcome(CitationResolution(None, Status.UNRESOLVED))
    assert reference is not None
    archive = reference.archive or (context.archival.archive if context.archival is not None else None)
    _remember(citation, context, archive, reference)
    return _match(citation, context, reference, archive, antecedent=None)


def _below_fond(reference: ArchivalReference) -> bool:
    """A continuation below the fond (``; d. 45, l. 3``, ``Ibid., d. 5785``): no repository, no
    fond, but an opis' or a unit."""
    return reference.archive is None and reference.fond is None and bool(reference.opis or reference.unit)


def _inherit(reference: ArchivalReference, context: Context) -> ArchivalReference:
    """The fond (and the opis', when not printed) of the archival reference before."""
    prior = context.archival.reference if context.archival is not None else None
    if prior is None:
        return reference
    return replace(reference, fond=prior.fond, opis=reference.opis or prior.opis)


def resolve_archive_ibid(citation: Citation, context: Context) -> Outcome:
    """``Ibid., f. 124, op. 1, ed. khr. 816, ll. 15-17``: the repository of the nearest earlier
    archival reference, and the file named here; a warning when notes without an archival
    reference lie between."""
    reference = citation.fields.archival
    assert reference is not None
    if _below_fond(reference):
        reference = _inherit(reference, context)
    note = context.note_of(citation)
    prior = context.archival
    diagnostics = []
    if prior is None:
        diagnostics.append(
            IBID_WITHOUT_ANTECEDENT.at(
                citation.span, note=note, where="names a file but no archival reference comes before it"
            )
        )
    elif prior.note.index != note.index and context.previous_note(note) is not prior.note:
        between = context.notes_between(prior.note, note)
        silent = [n for n in between if not context.sources(n)]
        numbers = ", ".join(_number(n) for n in between)
        what = "cites nothing" if len(silent) == len(between) else "cites no archival reference"
        plural = "notes" if len(between) > 1 else "note"
        verb = what.replace("cites", "cite") if len(between) > 1 else what
        diagnostics.append(
            ARCHIVE_IBID_GAP.at(
                citation.span,
                note=note,
                archive=prior.archive or "unnamed",
                number=_number(prior.note),
                between=f"{plural} {numbers}, which {verb}",
            )
        )
    archive = reference.archive or (prior.archive if prior is not None else None)
    _remember(citation, context, archive, reference)
    outcome = _match(citation, context, reference, archive, antecedent=prior.citation.id if prior else None)
    return Outcome(outcome.resolution, (*diagnostics, *outcome.diagnostics))


def _number(note: Note) -> str:
    """A note as messages name it: its printed number, or ``#index`` when it has none."""
    return str(note.number) if note.number is not None else f"#{note.index}"


def _remember(
    citation: Citation, context: Context, archive: str | None, reference: ArchivalReference | None = None
) -> None:
    context.archives[citation.id] = archive
    context.archival = ArchivalContext(archive, citation, context.note_of(citation), reference)


def _match(
    citation: Citation,
    context: Context,
    reference: ArchivalReference,
    archive: str | None,
    antecedent: str | None,
) -> Outcome:
    from notecheck.archival import match_archival_file

    files = context.catalogue.archival_files
    if not files:
        # A bibliography that lists no archival file at all follows a style that leaves files
        # out (the reference itself says where the file is): nothing to resolve, nothing wrong.
        return Outcome(CitationResolution(None, Status.UNRESOLVED, antecedent=antecedent))
    found = match_archival_file(reference, files, archive=archive)
    # A document described before its reference shares the reference: report once, there.
    report = citation.fields.extra.get("kind") != "document"
    note = context.note_of(citation)
    text = " ".join(citation.text.split())
    if found.key is not None:
        return Outcome(CitationResolution(found.key, Status.RESOLVED, (found.key,), antecedent=antecedent))
    if len(found.candidates) == 1:  # a fond or opis' cited as a whole, with one file listed
        key = found.candidates[0]
        return Outcome(CitationResolution(key, Status.RESOLVED, (key,), antecedent=antecedent))
    if found.candidates:
        guess = context.latest(list(found.candidates)) or found.candidates[0]
        whole = reference.unit is None
        choice = (
            f"the reference cites a {'fond' if reference.opis is None else 'opis'} as a whole; taken as {guess!r}"
            if whole
            else f"the bibliography lists the file more than once; taken as {guess!r}"
        )
        diagnostics = (
            (
                AMBIGUOUS_REFERENCE.at(
                    citation.span, note=note, text=text, candidates=", ".join(found.candidates), choice=choice
                ),
            )
            if report
            else ()
        )
        return Outcome(
            CitationResolution(guess, Status.AMBIGUOUS, found.candidates, antecedent=antecedent), diagnostics
        )
    hint = f"; did you mean {', '.join(found.suggestions)}?" if found.suggestions else ""
    # A near miss (a file of the same fond, a digit off) is almost certainly a wrong number; a file
    # of a fond the bibliography does not list at all may simply be missing from it.
    severity = None if found.suggestions else Severity.WARNING
    diagnostics = (
        (UNKNOWN_ARCHIVAL_FILE.at(citation.span, note=note, text=text, hint=hint, severity=severity),)
        if report
        else ()
    )
    return Outcome(CitationResolution(None, Status.BROKEN, (), found.suggestions, antecedent), diagnostics)


# --- collections of other archives ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CollectionMatch:
    """The collection entry a reference cites, every entry it could be, and the item cited."""

    key: str | None
    candidates: tuple[str, ...] = ()
    item: str = ""


_IDENTIFIER_FIELDS = ("series", "file")
_WORD_FIELDS = ("archive", "collection")


def match_collection(text: str, entries: list[Entry]) -> CollectionMatch:
    """The collection entry (among ``entries``, see ``Catalogue.collections``) whose words and
    identifiers a reference contains.

    Every ``series``/``file`` identifier of the entry must be in the reference (spacing and case
    aside), and either half the distinctive words of its ``collection`` or, with an identifier,
    half those of its ``archive``. The score counts the words and (twice) the identifiers found:
    an entry for the file beats the entry for its series. The best score wins; a tie is
    ambiguous. The item is what follows the last part matched.

    Example: ``MS. Department of State, Continental Congress Papers, No. 59, I, 281`` and
    ``@misc{ccp59, archive = {Department of State}, collection = {Continental Congress Papers},
    series = {No. 59}}`` give ``ccp59`` with the item ``I, 281``.
    """
    folded = fold(text)
    words = set(folded.split())
    scored: list[tuple[float, str, int]] = []
    for entry in entries:
        score, end = _collection_score(text, folded, words, entry)
        if score > 0:
            scored.append((score, entry.key, end))
    if not scored:
        return CollectionMatch(None)
    scored.sort(key=lambda s: -s[0])
    best = scored[0][0]
    top = [s for s in scored if s[0] == best]
    candidates = tuple(key for _, key, _ in top)
    item = text[top[0][2] :].strip(" ,.;:") if len(top) == 1 else ""
    return CollectionMatch(candidates[0] if len(top) == 1 else None, candidates, item)


def _collection_score(text: str, folded: str, words: set[str], entry: Entry) -> tuple[float, int]:
    end = 0
    identifiers = 0
    for name in _IDENTIFIER_FIELDS:
        value = entry.fields.get(name)
        if not value:
            continue
        found = _find_identifier(text, value)
        if found is None:
            return 0.0, 0
        identifiers += 1
        end = max(end, found)
    matched = 0
    coverage: dict[str, float] = {}
    for name in _WORD_FIELDS:
        wanted = title_words(entry.fields.get(name, ""))
        hits = [w for w in wanted if w in words]
        matched += len(hits)
        coverage[name] = len(hits) / len(wanted) if wanted else 0.0
        for word in hits:
            where = re.search(r"(?i)\b" + r"\W*".join(re.escape(c) for c in word), text)
            if where is not None:
                end = max(end, where.end())
    # The collection named, or an identifier under the repository named: the repository's name
    # alone says nothing about which of its collections is meant.
    if coverage["collection"] < 0.5 and not (identifiers and coverage["archive"] >= 0.5):
        return 0.0, 0
    return matched + 2.0 * identifiers, end


def _find_identifier(text: str, value: str) -> int | None:
    """The end offset of ``value`` (``No. 59``, ``RG 59``) in ``text``, spacing and case aside,
    not inside a longer number."""
    parts = [re.escape(p) for p in re.findall(r"[A-Za-z]+|\d+|[^\sA-Za-z\d]", value)]
    if not parts:
        return None
    pattern = r"(?i)(?<![\w])" + r"\s*".join(parts) + r"(?![\d])"
    found = re.search(pattern, text)
    return found.end() if found else None


def resolve_collection(citation: Citation, context: Context) -> Outcome | None:
    """A citation that is a reference to a collection entry, or None when no entry fits."""
    entries = context.catalogue.collections
    if not entries:
        return None
    found = match_collection(citation.text, entries)
    if found.key is not None:
        return Outcome(CitationResolution(found.key, Status.RESOLVED, (found.key,)))
    if found.candidates:
        guess = context.latest(list(found.candidates)) or found.candidates[0]
        choice = f"the reference fits several collections equally; taken as {guess!r}"
        return ambiguous(citation, context.note_of(citation), found.candidates, guess, choice)
    return None
