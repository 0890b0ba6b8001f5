"""Test support for the archival checker: citations built from ``find_archival`` alone.

Until the citation splitter lands, the archival tests build their ``ParsedEdition`` here: every
archival reference ``find_archival`` finds becomes a ``Form.ARCHIVAL`` citation, an ``Ibid.``
followed by a reference becomes an archive-level ibid, and any other ``ibid.`` an ibid citation
running to the next ``)``, ``;`` or sentence end. Also builds notes straight from strings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from notecheck.archival import DEFAULT_ARCHIVES, find_archival
from notecheck.models import Citation, CitationFields, Edition, Form, Note, Source, TextMap
from notecheck.split import ParsedEdition

IBID = re.compile(r"(?<![\w])[Il1!|i]bid\b\.?,?")
IBID_END = re.compile(r"[);]|\.(?=\s+[A-Z])|\.?$")


def note_from_text(text: str, *, index: int = 1, path: str = "<test>") -> Note:
    """A note whose text is ``text`` and whose source is that text alone."""
    source = Source(path, text)
    return Note(
        index=index,
        number=index,
        label=f"{index}.",
        text=text,
        source=source,
        text_map=TextMap.identity(0, len(text)),
        line=1,
        end_line=source.line_count,
        label_span=source.span(0, 0),
    )


def edition_from_notes(*texts: str) -> Edition:
    """An edition of consecutive notes, one per text, in one source (notes separated by newlines)."""
    joined = "\n".join(texts)
    source = Source("<test>", joined)
    notes: list[Note] = []
    offset = 0
    for index, text in enumerate(texts, start=1):
        notes.append(
            Note(
                index=index,
                number=index,
                label=f"{index}.",
                text=text,
                source=source,
                text_map=TextMap.identity(offset, len(text)),
                line=source.position(offset)[0],
                end_line=source.position(offset + len(text))[0],
                label_span=source.span(offset, offset),
            )
        )
        offset += len(text) + 1
    return Edition(source=source, format="text", notes=tuple(notes))


def archival_citations(note: Note, archives: Sequence[str] = DEFAULT_ARCHIVES) -> list[Citation]:
    """The archival and ibid citations of one note, as the splitter would produce them."""
    text = note.text
    matches = find_archival(text, archives)
    pieces: list[tuple[int, int, Form, CitationFields]] = []
    used: set[int] = set()
    for ibid in IBID.finditer(text):
        follows = next(
            (m for m in matches if m.start >= ibid.end() and not text[ibid.end() : m.start].strip(" ,\n")),
            None,
        )
        if follows is not None:
            used.add(follows.start)
            pieces.append((ibid.start(), follows.end, Form.IBID, CitationFields(archival=follows.reference)))
            continue
        end_match = IBID_END.search(text, ibid.end())
        end = end_match.start() if end_match else len(text)
        pieces.append((ibid.start(), end, Form.IBID, CitationFields()))
    for m in matches:
        if m.start not in used:
            pieces.append((m.start, m.end, Form.ARCHIVAL, CitationFields(archival=m.reference)))
    pieces.sort(key=lambda piece: piece[0])
    return [
        Citation(
            id=f"n{note.index}c{number}",
            note_index=note.index,
            form=form,
            text=text[start:end],
            start=start,
            end=end,
            span=note.span(start, end),
            fields=fields,
        )
        for number, (start, end, form, fields) in enumerate(pieces, start=1)
    ]


def parse_archival(edition: Edition, archives: Sequence[str] = DEFAULT_ARCHIVES) -> ParsedEdition:
    """A ``ParsedEdition`` whose citations are the archival ones (and the ibids) of every note."""
    parsed = ParsedEdition(edition)
    for note in edition.notes:
        parsed.citations[note.index] = tuple(archival_citations(note, archives))
    return parsed


def test_support_builds_archive_level_ibid_and_locator_ibid() -> None:
    edition = edition_from_notes(
        "RGASPI, f. 17, op. 100, d. 5, l. 3; ibid., l. 4.",
        "Ibid., f. 124, op. 1, ed. khr. 816, l. 9.",
    )
    parsed = parse_archival(edition)
    forms = [(c.form, c.fields.archival is not None) for c in parsed.all_citations()]
    assert forms == [(Form.ARCHIVAL, True), (Form.IBID, False), (Form.IBID, True)]
    assert parsed.citations[1][1].text == "ibid., l. 4"
