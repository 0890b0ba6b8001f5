"""The TEI reader: ``<note>`` elements, positions in the XML, and safe parsing of hostile files."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from notecheck.models import Edition, Span
from notecheck.readers import read_edition_bytes, read_edition_text
from tests.test_formats import assert_pieces_cover

TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{}</body></text></TEI>'


def read(xml: str) -> Edition:
    return read_edition_text(xml, "notes.xml", input_format="tei")


def codes(edition: Edition) -> list[str]:
    return [d.code for d in edition.diagnostics]


def test_notes_with_n_and_place() -> None:
    edition = read(
        TEI.format(
            '<p>A.<note place="foot" n="1">One.</note> B.<note n="2">Two.</note>'
            '<note place="end" n="iii">Three.</note><note>Four.</note></p>'
        )
    )
    assert [(n.number, n.label, n.text) for n in edition.notes] == [
        (1, "1", "One."),
        (2, "2", "Two."),
        (3, "iii", "Three."),
        (4, "", "Four."),
    ]
    assert edition.fixable is False
    assert len(edition.calls) == 4


def test_text_of_bibl_title_ref_and_what_is_left_out() -> None:
    edition = read(
        TEI.format(
            '<p>A.<note n="1"><ref target="#n0">Ibid.</ref>, 45; <bibl><author>Bonnell</author>, '
            "<title>Roots</title>, <choice><sic>l40</sic><corr>140</corr></choice>"
            '<del>deleted</del><app><lem>kept</lem><rdg wit="#b">variant</rdg></app>'
            '.<lb/>Next<lb break="no"/>line</bibl></note></p>'
        )
    )
    assert edition.notes[0].text == "Ibid., 45; Bonnell, Roots, 140kept. Nextline"


def test_header_notes_are_not_read_and_margin_notes_are_skipped() -> None:
    xml = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><notesStmt><note>Header.</note>'
        '</notesStmt></teiHeader><text><body><p>A.<note place="margin">Gloss.</note>'
        '<note n="1">Real.</note></p></body></text></TEI>'
    )
    edition = read(xml)
    assert [n.text for n in edition.notes] == ["Real."]
    (skipped,) = edition.skipped
    assert skipped.text == '<note place="margin">Gloss.</note>'
    assert "margin" in skipped.reason


def test_back_matter_notes_have_no_call() -> None:
    edition = read(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>A.</p></body><back>'
        '<div type="notes"><head>Notes</head><note n="1">Ibid.</note></div></back></text></TEI>'
    )
    assert [n.text for n in edition.notes] == ["Ibid."]
    assert edition.calls == ()
    assert [(s.kind, s.title) for s in edition.sections] == [("notes", "Notes")]


def test_back_matter_notes_are_called_by_a_body_ref_or_their_anchor() -> None:
    xml = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>A.<ref target="#n1">1</ref>\n'
        'B.<anchor xml:id="a2"/> C.<ptr target="#n3"/></p></body><back><div type="notes">'
        '<note n="1" place="end" xml:id="n1">See <ref target="#n3">note 3</ref>.</note>'
        '<note n="2" place="end" target="#a2">Two.</note>'
        '<note n="3" place="end" xml:id="n3">Three.</note>'
        '<note n="4" place="end" xml:id="n4">Never called.</note></div></back></text></TEI>'
    )
    edition = read(xml)
    assert [n.text for n in edition.notes] == ["See note 3.", "Two.", "Three.", "Never called."]
    lines = xml.splitlines()
    calls = [(c.number, lines[c.span.line - 1][c.span.column - 1 :][:5]) for c in edition.calls]
    assert calls == [(1, "<ref "), (2, "<anch"), (3, "<ptr ")]


def test_whitespace_character_references_read_as_a_space() -> None:
    edition = read(TEI.format('<p>A.<note n="1">RGASPI, f.&#160;17, op.&#xA0;10,&#32;d.\u00a045.</note></p>'))
    (note,) = edition.notes
    assert note.text == "RGASPI, f. 17, op. 10, d. 45."
    at = note.text.index("17")
    assert note.span(at, at + 2).column == note.source.text.index("17") + 1


def test_positions_are_where_the_parser_reports_the_text() -> None:
    xml = (
        '<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n'
        '<p>Text.<note n="7">Zelnik, <title>Radical\n      Worker</title>, 387&#8211;91 &amp; Sem\u00ebn.</note></p>\n'
        "</body></text></TEI>\n"
    )
    edition = read(xml)
    (note,) = edition.notes
    assert note.text == "Zelnik, Radical Worker, 387–91 & Semën."
    assert (note.line, note.end_line) == (3, 4)
    assert note.label_span == Span("notes.xml", 3, 18, 3, 19)  # the value of @n
    worker = note.text.index("Worker")
    assert note.span(worker, worker + 6) == Span("notes.xml", 4, 7, 4, 13)
    line = edition.source.line_text(4)

    def in_file(start: int, end: int) -> str:
        span = note.span(start, end)
        assert span.line == span.end_line == 4
        return line[span.column - 1 : span.end_column - 1]

    dash = note.text.index("–")
    assert in_file(dash, dash + 1) == "&#8211;"
    amp = note.text.index("&")
    assert in_file(amp, amp + 1) == "&amp;"
    name = note.text.index("Semën")
    assert note.span(name, name + 5) == Span("notes.xml", 4, 42, 4, 47)  # code points, not bytes
    assert in_file(name, name + 5) == "Semën"
    assert_pieces_cover(note, {"\n": " "})


def test_declared_latin1_encoding_and_crlf() -> None:
    xml = '<?xml version="1.0" encoding="ISO-8859-1"?>\r\n' + TEI.format(
        '<p>A.<note n="1">Sem\u00ebn,\r\n  45.</note></p>'
    )
    edition = read_edition_bytes(xml.encode("latin-1"), "notes.xml", input_format="tei")
    assert codes(edition) == []
    (note,) = edition.notes
    assert note.text == "Semën, 45."
    assert note.span(7, 9).line == 3


def test_billion_laughs_is_refused_nc153() -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE TEI [\n <!ENTITY lol "lol">\n'
        + "".join(
            f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
            for i in range(1, 10)
        )
        + "]>\n"
        + TEI.format('<p><note n="1">&lol9;</note></p>')
    )
    started = time.perf_counter()
    edition = read(laughs)
    assert time.perf_counter() - started < 1.0
    assert codes(edition) == ["NC153"]
    assert edition.notes == ()
    diagnostic = edition.diagnostics[0]
    assert "billion laughs" in diagnostic.message and "'lol'" in diagnostic.message
    assert diagnostic.span.line == 3


def test_external_entity_is_refused_nc153() -> None:
    xxe = '<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + TEI.format(
        '<p><note n="1">&xxe;</note></p>'
    )
    edition = read(xxe)
    assert codes(edition) == ["NC153"]
    assert "file:///etc/passwd" in edition.diagnostics[0].message
    assert "root:" not in "".join(n.text for n in edition.notes)


def test_external_parameter_entity_is_refused_nc153() -> None:
    xml = '<!DOCTYPE TEI [<!ENTITY % remote SYSTEM "http://example.invalid/evil.dtd"> %remote;]><TEI/>'
    assert codes(read(xml)) == ["NC153"]


def test_external_dtd_is_not_loaded_and_its_entities_stay_nc159() -> None:
    xml = '<!DOCTYPE TEI SYSTEM "http://example.invalid/tei_all.dtd">' + TEI.format(
        '<p><note n="1">387&ndash;91</note></p>'
    )
    edition = read(xml)
    assert codes(edition) == ["NC159"]
    assert edition.notes[0].text == "387&ndash;91"
    column = xml.index("&ndash;") + 1
    assert edition.diagnostics[0].span == Span("notes.xml", 1, column, 1, column + len("&ndash;"))


def test_malformed_xml_nc154_keeps_notes_read_before() -> None:
    edition = read(TEI.format('<p><note n="1">Ibid., 4.</note><note n="2">Zelnik, <title>Radical</note></p>'))
    assert codes(edition) == ["NC154"]
    assert [n.text for n in edition.notes] == ["Ibid., 4."]
    diagnostic = edition.diagnostics[0]
    assert "mismatched tag" in diagnostic.message and "1 notes were read before it" in diagnostic.message
    assert diagnostic.span.line == 1


def test_undefined_entity_without_dtd_nc154() -> None:
    assert codes(read(TEI.format('<p><note n="1">a&nbsp;b</note></p>'))) == ["NC154"]


def test_no_notes_nc103() -> None:
    assert codes(read(TEI.format("<p>No notes.</p>"))) == ["NC103"]


def test_binary_nc101() -> None:
    edition = read_edition_bytes(b"\x00\x00\x00\x01", "x.xml", input_format="tei")
    assert codes(edition) == ["NC101"]


_PIECES = st.sampled_from(
    [
        "a", " ", "\n", "\n    ", ".", "&amp;", "&#8211;", "&#x41;", "<title>", "</title>", "<lb/>",
        "<hi>", "</hi>", "<![CDATA[x<y]]>", "é", "\r\n", "<choice><sic>s</sic><corr>c</corr></choice>",
    ]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_property_note_characters_map_into_the_file(body: str) -> None:
    edition = read(TEI.format(f'<p><note n="1">{body}</note></p>'))
    for note in edition.notes:
        assert_pieces_cover(note, {"\n": " ", "\r": " "})
        for index in range(len(note.text)):
            assert 1 <= note.span(index, index + 1).line <= edition.source.line_count


@given(st.text(max_size=200))
def test_property_any_text_never_raises(text: str) -> None:
    edition = read(text)
    assert edition.format == "tei"
