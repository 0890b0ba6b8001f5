"""Factories for reports built by hand (no reader, splitter or resolver), used by the report tests.

The other stages are built in parallel; the report formats are tested on editions, citations,
resolutions and diagnostics made here, so their tests do not move when those stages change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from notecheck.baseline import Baseline
from notecheck.bibliography import Bibliography
from notecheck.config import Config
from notecheck.models import (
    Citation,
    CitationResolution,
    Diagnostic,
    Edition,
    Entry,
    Fix,
    Form,
    Name,
    Note,
    Resolution,
    Severity,
    Source,
    Span,
    Status,
    TextMap,
)
from notecheck.pipeline import BibliographyReport, DocumentReport, Report, _finish
from notecheck.split import ParsedEdition

_NOTE = re.compile(r"^(\d+)\. ", re.MULTILINE)

EDITION_TEXT = (
    "The body of the edition mentions a worker.1 And another.2\n"
    "\n"
    "Notes\n"
    "1. Reginald E. Zelnik, Law and Disorder on the Narova River (Berkeley, 1995), 45.\n"
    "2. Ibid., 47-49. See also Smith, Workers, 12.\n"
    "3. Zelnik, Law and Disorder, 50; RTsKhIDNI, f. 17, op. 100, d. 12, l. 3.\n"
    "4. An editor wrote <script>alert('x')</script> & \"quotes\" here.\n"
)


def make_edition(text: str = EDITION_TEXT, path: str = "ed.txt") -> Edition:
    """An edition whose notes are the lines ``N. text`` after the line ``Notes``."""
    source = Source(path, text)
    begin = text.index("\nNotes\n") + len("\nNotes\n") if "\nNotes\n" in text else 0
    matches = [m for m in _NOTE.finditer(text) if m.start() >= begin]
    notes = []
    for index, match in enumerate(matches, start=1):
        start = match.end()
        end = matches[index].start() if index < len(matches) else len(text)
        body = text[start:end]
        notes.append(
            Note(
                index=index,
                number=int(match.group(1)),
                label=match.group(1) + ".",
                text=body,
                source=source,
                text_map=TextMap.identity(start, len(body)),
                line=source.position(match.start())[0],
                end_line=source.position(max(start, end - 1))[0],
                label_span=source.span(match.start(), match.end() - 1),
            )
        )
    return Edition(source=source, format="text", notes=tuple(notes))


def cite(note: Note, needle: str, form: Form, number: int) -> Citation:
    """A citation of ``needle`` (its first occurrence) in ``note``, with id ``n<index>c<number>``."""
    start = note.text.index(needle)
    end = start + len(needle)
    return Citation(
        id=f"n{note.index}c{number}",
        note_index=note.index,
        form=form,
        text=needle,
        start=start,
        end=end,
        span=note.span(start, end),
    )


def at(edition: Edition, needle: str, occurrence: int = 1) -> Span:
    """The source span of the ``occurrence``-th ``needle`` in the edition's text."""
    text = edition.source.text
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    return edition.source.span(start, start + len(needle))


ENTRIES = {
    "zelnik1995": Entry(
        "zelnik1995",
        "book",
        {"title": "Law and Disorder on the Narova River", "year": "1995", "address": "Berkeley"},
        Span("refs.bib", 1, 1, 5, 2),
        authors=(Name("Reginald E.", "Zelnik"),),
    ),
    "smith1990": Entry(
        "smith1990", "book", {"title": 'Workers <&> "Owners"', "year": "1990"}, Span("refs.bib", 7, 1, 9, 2)
    ),
    "unused1900": Entry("unused1900", "book", {"title": "Never Cited"}, Span("refs.bib", 11, 1, 12, 2)),
}


def make_document(
    edition: Edition | None = None,
    citations: Mapping[int, Sequence[tuple[str, Form]]] | None = None,
    resolutions: Mapping[str, CitationResolution] | None = None,
    diagnostics: Iterable[Diagnostic] = (),
) -> DocumentReport:
    """A checked document: citations per note index as ``(text, form)``, resolutions by id."""
    edition = edition or make_edition()
    parsed = ParsedEdition(edition)
    wanted = citations if citations is not None else DEFAULT_CITATIONS
    for note in edition.notes:
        parsed.citations[note.index] = tuple(
            cite(note, needle, form, number)
            for number, (needle, form) in enumerate(wanted.get(note.index, ()), 1)
        )
    resolution = Resolution(citations=dict(resolutions if resolutions is not None else DEFAULT_RESOLUTIONS))
    return DocumentReport(
        edition.path, edition.format, edition, parsed, resolution, diagnostics=list(diagnostics)
    )


DEFAULT_CITATIONS: dict[int, list[tuple[str, Form]]] = {
    1: [("Reginald E. Zelnik, Law and Disorder on the Narova River (Berkeley, 1995), 45", Form.FULL)],
    2: [("Ibid., 47-49", Form.IBID), ("Smith, Workers, 12", Form.SHORT)],
    3: [
        ("Zelnik, Law and Disorder, 50", Form.SHORT),
        ("RTsKhIDNI, f. 17, op. 100, d. 12, l. 3", Form.ARCHIVAL),
    ],
}
DEFAULT_RESOLUTIONS = {
    "n1c1": CitationResolution("zelnik1995", Status.RESOLVED),
    "n2c1": CitationResolution("zelnik1995", Status.RESOLVED, antecedent="n1c1"),
    "n2c2": CitationResolution(None, Status.BROKEN, suggestions=("smith1990",)),
    "n3c1": CitationResolution("zelnik1995", Status.RESOLVED),
    "n3c2": CitationResolution(None, Status.UNRESOLVED),
}


def default_diagnostics(edition: Edition) -> list[Diagnostic]:
    """An error with a safe fix, a warning, an info and a finding on the note with ``<script>``."""
    note = {n.index: n for n in edition.notes}
    return [
        Diagnostic(
            "NC401",
            Severity.ERROR,
            "no bibliography entry matches 'Smith, Workers'",
            at(edition, "Smith, Workers"),
            note=2,
            note_index=2,
        ),
        Diagnostic(
            "NC301",
            Severity.WARNING,
            "page range 47-49 should be written 47–49",
            at(edition, "47-49"),
            note=2,
            note_index=2,
            fix=Fix("47–49", at(edition, "47-49")),
        ),
        Diagnostic(
            "NC501",
            Severity.INFO,
            "archival reference to RTsKhIDNI, f. 17",
            at(edition, "RTsKhIDNI, f. 17"),
            note=3,
            note_index=note[3].index,
        ),
        Diagnostic(
            "NC102",
            Severity.WARNING,
            "a <b>bold</b> message & more",
            at(edition, "<script>"),
            note=4,
            note_index=4,
        ),
    ]


def make_report(
    documents: Sequence[DocumentReport] | None = None,
    *,
    config: Config | None = None,
    baseline: Baseline | None = None,
    tool: Iterable[Diagnostic] = (),
    bibliography: bool = True,
) -> Report:
    """A finished report: selected, fingerprinted, suppressed and sorted like ``check`` does."""
    if documents is None:
        edition = make_edition()
        documents = [make_document(edition, diagnostics=default_diagnostics(edition))]
    if bibliography:
        bib = Bibliography("refs.bib", entries=dict(ENTRIES))
        bib_report = BibliographyReport("refs.bib", "bibtex", bib, unused=["unused1900"])
    else:
        bib_report = BibliographyReport(None, None, None)
    report = Report(list(documents), bib_report, list(tool))
    _finish(report, config or Config(root=Path.cwd()), baseline or Baseline())
    return report


def test_factory_places_citations_and_spans() -> None:
    edition = make_edition()
    assert [n.number for n in edition.notes] == [1, 2, 3, 4]
    document = make_document(edition)
    assert document.parsed is not None
    ibid = document.parsed.citations[2][0]
    assert ibid.text == "Ibid., 47-49"
    assert edition.source.text[edition.source.offset(ibid.span.line, ibid.span.column) :].startswith("Ibid.")


def test_factory_report_is_fingerprinted_and_sorted() -> None:
    report = make_report()
    found = report.all_diagnostics()
    assert all(d.fingerprint for d in found)
    assert [d.sort_key for d in found] == sorted(d.sort_key for d in found)
    assert report.summary.errors == 1
    assert report.summary.warnings == 2
