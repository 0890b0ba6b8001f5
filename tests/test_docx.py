"""The Word .docx reader: notes parts from a zip the tests assemble, numbering, positions, guards."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notecheck.models import Edition
from notecheck.readers import docx as docx_reader
from notecheck.readers import read_edition, read_edition_bytes, read_edition_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

#: The notes of the shared fixture (tests/data/formats/notes.txt); ``*...*`` is set in italics.
NOTES = [
    "Reginald E. Zelnik, ed. and trans., *A Radical Worker in Tsarist Russia: The Autobiography of "
    "Semën Ivanovich Kanatchikov* (Stanford: Stanford University Press, 1986), 387–91.",
    "Ibid., 45.",
    "Victoria E. Bonnell, *Roots of Rebellion: Workers' Politics and Organizations in St. Petersburg "
    "and Moscow, 1900–1914* (Berkeley: University of California Press, 1983), 112–14.",
    "RGASPI, f. 17, op. 100, d. 134977, l. 47.",
    "Zelnik, *Radical Worker*, 12–14.",
    "Mark D. Steinberg, “Vanguard Workers and the Morality of Class,” in *Making Workers Soviet: "
    "Power, Class, and Identity*, ed. Lewis H. Siegelbaum and Ronald Grigor Suny (Ithaca, NY: "
    "Cornell University Press, 1994), 66–84.",
    "Ibid., 70; see also Bonnell, *Roots of Rebellion*, 140.",
    "Kanatchikov to the Moscow Committee, 3 May 1905, RGASPI, f. 17, op. 4, d. 56, ll. 3–6; "
    "Theodore H. Von Laue, *Sergei Witte and the Industrialization of Russia* (New York: Columbia "
    "University Press, 1963), 201.",
]

BODY = [
    "Kanatchikov describes his first winter in Moscow.",
    "He returned to the theme in later letters.",
    "The strike wave is treated by Bonnell.",
    "The party file survives.",
    "See also the autobiography.",
    "Steinberg reads the same scene differently.",
    "He adds a second example.",
    "A letter of 1905 closes the series.",
]


def runs(text: str) -> str:
    """Word runs for ``text``, ``*...*`` in italics, one run split mid-word as Word often does."""
    parts = re.split(r"(\*[^*]+\*)", text)
    xml = []
    for part in parts:
        if not part:
            continue
        italic = part.startswith("*")
        chunk = part.strip("*") if italic else part
        properties = "<w:rPr><w:i/></w:rPr>" if italic else ""
        halves = [chunk[: len(chunk) // 2], chunk[len(chunk) // 2 :]] if len(chunk) > 8 else [chunk]
        for half in halves:
            xml.append(f'<w:r>{properties}<w:t xml:space="preserve">{escape(half)}</w:t></w:r>')
    return "".join(xml)


def note_xml(kind: str, note_id: str, paragraphs: list[str]) -> str:
    first, *rest = paragraphs
    mark = f'<w:r><w:rPr><w:rStyle w:val="{kind.title()}Reference"/></w:rPr><w:{kind}Ref/></w:r>'
    space = '<w:r><w:t xml:space="preserve"> </w:t></w:r>'
    xml = f'<w:{kind} w:id="{note_id}"><w:p><w:pPr><w:pStyle w:val="{kind.title()}Text"/></w:pPr>'
    xml += mark + space + runs(first) + "</w:p>"
    xml += "".join(f"<w:p>{runs(p)}</w:p>" for p in rest)
    return xml + f"</w:{kind}>"


def notes_part(kind: str, notes: list[tuple[str, list[str]]], *, extra: str = "") -> str:
    separators = (
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
        f"<w:r><w:separator/></w:r></w:p></w:{kind}>"
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:{kind}>"
    )
    body = "".join(note_xml(kind, note_id, paragraphs) for note_id, paragraphs in notes)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:{kind}s xmlns:w="{W}" xmlns:r="{R}">{separators}{body}{extra}</w:{kind}s>'
    )


def document_part(paragraphs: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{"".join(paragraphs)}'
        '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr></w:body></w:document>'
    )


def paragraph_with_reference(text: str, kind: str, note_id: str, *, custom: str | None = None) -> str:
    if custom is None:
        reference = f'<w:r><w:rPr><w:rStyle w:val="{kind.title()}Reference"/></w:rPr><w:{kind}Reference w:id="{note_id}"/></w:r>'
    else:
        reference = (
            f'<w:r><w:{kind}Reference w:customMarkFollows="1" w:id="{note_id}"/>'
            f"<w:t>{escape(custom)}</w:t></w:r>"
        )
    return f"<w:p>{runs(text)}{reference}</w:p>"


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{R}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rId2" Type="{R}/endnotes" Target="endnotes.xml"/>'
    f'<Relationship Id="rId3" Type="{R}/footnotes" Target="footnotes.xml"/>'
    "</Relationships>"
)


def settings_part(endnote_format: str | None = "decimal", start: int | None = None) -> str:
    properties = ""
    if endnote_format:
        properties += f'<w:numFmt w:val="{endnote_format}"/>'
    if start is not None:
        properties += f'<w:numStart w:val="{start}"/>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:settings xmlns:w="{W}"><w:endnotePr>{properties}'
        '<w:endnote w:id="-1"/><w:endnote w:id="0"/></w:endnotePr></w:settings>'
    )


def zipped(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def fixture_parts(*, settings: str | None = None) -> dict[str, str | bytes]:
    """The shared fixture as a .docx: endnote ids 2-9, the notes part not in reference order."""
    ids = [str(i + 2) for i in range(len(NOTES))]
    paragraphs = ["<w:p><w:r><w:t>A Radical Worker: Selected Documents</w:t></w:r></w:p>"]
    paragraphs += [paragraph_with_reference(text, "endnote", i) for text, i in zip(BODY, ids, strict=True)]
    stored = list(zip(ids, NOTES, strict=True))
    stored[3], stored[4] = stored[4], stored[3]  # Word numbers by reference, not by storage order
    footnotes = notes_part("footnote", [])
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/document.xml": document_part(paragraphs),
        "word/endnotes.xml": notes_part("endnote", [(i, [text]) for i, text in stored]),
        "word/footnotes.xml": footnotes,
        "word/settings.xml": settings if settings is not None else settings_part(),
    }


def fixture_docx() -> bytes:
    return zipped(fixture_parts())


def read(data: bytes, path: str = "edition.docx") -> Edition:
    return read_edition_bytes(data, path, input_format="docx")


def codes(edition: Edition) -> list[str]:
    return [d.code for d in edition.diagnostics]


def plain(text: str) -> str:
    return text.replace("*", "")


# --- reading ---------------------------------------------------------------------------------


def test_reads_endnotes_in_reference_order_with_word_numbers() -> None:
    edition = read(fixture_docx())
    assert edition.format == "docx"
    assert edition.fixable is False
    assert codes(edition) == []
    assert [n.number for n in edition.notes] == list(range(1, 9))
    assert [n.label for n in edition.notes] == [str(i) for i in range(1, 9)]
    assert [n.text for n in edition.notes] == [plain(t) for t in NOTES]
    # the body paragraph that calls each note: paragraph 1 is the title
    assert [n.document_paragraph for n in edition.notes] == list(range(2, 10))


def test_virtual_text_has_one_line_per_paragraph_of_the_notes_part() -> None:
    edition = read(fixture_docx())
    source = edition.source
    # lines 1-2: the separator and continuation separator; then one paragraph per stored note
    assert source.line_text(1) == "" and source.line_text(2) == ""
    assert source.line_count == 2 + len(NOTES)
    fourth_stored = edition.notes[4]  # note 5 is stored fourth (line 6)
    assert fourth_stored.line == 6
    assert source.line_text(6) == "5 " + plain(NOTES[4])
    # the label is Word's reference mark, column 1; the text starts after it and the space
    assert (fourth_stored.label_span.line, fourth_stored.label_span.column) == (6, 1)
    first_char = fourth_stored.span(0, 1)
    assert (first_char.line, first_char.column) == (6, 3)


def test_positions_name_paragraph_and_code_point_column() -> None:
    edition = read(fixture_docx())
    note = edition.notes[0]
    start = note.text.index("Semën")
    span = note.span(start, start + len("Semën"))
    line_text = edition.source.line_text(span.line)
    assert span.line == note.line == 3
    assert line_text[span.column - 1 : span.end_column - 1] == "Semën"


def test_word_default_endnote_numbering_is_lower_roman_and_num_start_applies() -> None:
    parts = fixture_parts(settings=settings_part(endnote_format=None, start=3))
    edition = read(zipped(parts))
    assert [n.number for n in edition.notes] == list(range(3, 11))
    assert [n.label for n in edition.notes][:3] == ["iii", "iv", "v"]
    assert edition.source.line_text(edition.notes[0].line).startswith("iii ")


@pytest.mark.parametrize(
    ("number", "style", "label"),
    [(4, "upperRoman", "IV"), (28, "lowerLetter", "bb"), (5, "chicago", "**"), (12, "decimal", "12")],
)
def test_format_number(number: int, style: str, label: str) -> None:
    assert docx_reader.format_number(number, style) == label


def test_custom_mark_is_the_label_and_takes_no_number() -> None:
    document = document_part(
        [
            paragraph_with_reference("First.", "footnote", "1"),
            paragraph_with_reference("Starred.", "footnote", "2", custom="*"),
            paragraph_with_reference("Second.", "footnote", "3"),
        ]
    )
    parts = {
        "word/document.xml": document,
        "word/footnotes.xml": notes_part(
            "footnote", [("1", ["Ibid., 4."]), ("2", ["Translator's note."]), ("3", ["Ibid., 5."])]
        ),
    }
    edition = read(zipped(parts))
    assert [(n.number, n.label) for n in edition.notes] == [(1, "1"), (None, "*"), (2, "2")]
    assert codes(edition) == []


def test_multi_paragraph_note_and_tabs_breaks_hidden_text() -> None:
    special = (
        '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Zelnik,'
        "</w:t><w:tab/><w:t>45</w:t><w:br/><w:t>on</w:t></w:r>"
        "<w:del><w:r><w:delText>deleted</w:delText></w:r></w:del>"
        '<w:r><w:instrText xml:space="preserve"> PAGEREF x </w:instrText></w:r>'
        "<w:r><w:noBreakHyphen/><w:t>word</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Second paragraph.</w:t></w:r></w:p></w:footnote>"
    )
    parts = {
        "word/document.xml": document_part([paragraph_with_reference("Text.", "footnote", "1")]),
        "word/footnotes.xml": notes_part("footnote", [], extra=special),
    }
    edition = read(zipped(parts))
    (note,) = edition.notes
    assert note.text == "Zelnik,\t45 on-word\nSecond paragraph."
    assert (note.line, note.end_line) == (3, 4)


def test_both_parts_read_endnotes_first_with_info() -> None:
    parts = fixture_parts()
    parts["word/footnotes.xml"] = notes_part("footnote", [("1", ["Translator's remark."])])
    document = parts["word/document.xml"]
    assert isinstance(document, str)
    parts["word/document.xml"] = document.replace(
        "</w:body>", paragraph_with_reference("Remark.", "footnote", "1") + "</w:body>", 1
    ).replace("<w:sectPr>", "", 0)
    edition = read(zipped(parts))
    assert codes(edition) == ["NC162"]
    assert [n.number for n in edition.notes] == [*range(1, 9), 1]
    remark = edition.notes[-1]
    assert remark.text == "Translator's remark."
    assert remark.line == 2 + len(NOTES) + 3  # after the endnotes part's paragraphs


def test_read_edition_by_extension(tmp_path: Path) -> None:
    path = tmp_path / "edition.docx"
    path.write_bytes(fixture_docx())
    edition = read_edition(path)
    assert edition.format == "docx" and len(edition.notes) == 8
    assert edition.path == path.as_posix()


def test_docx_from_text_is_a_diagnostic() -> None:
    edition = read_edition_text("not a zip", "x.docx", input_format="docx")
    assert codes(edition) == ["NC155"] and edition.notes == ()


# --- damaged and hostile files ---------------------------------------------------------------


def test_not_a_zip_nc155() -> None:
    edition = read(b"%PDF-1.4 this is a PDF")
    assert codes(edition) == ["NC155"]
    assert "not a zip archive" in edition.diagnostics[0].message
    assert edition.notes == ()


def test_old_binary_doc_nc155() -> None:
    edition = read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert codes(edition) == ["NC155"]
    assert ".doc" in edition.diagnostics[0].message


def test_empty_file_nc155() -> None:
    assert codes(read(b"")) == ["NC155"]


def test_truncated_zip_nc155() -> None:
    data = fixture_docx()
    assert codes(read(data[: len(data) // 2])) == ["NC155"]


def test_missing_main_document_nc155() -> None:
    parts = fixture_parts()
    del parts["word/document.xml"]
    edition = read(zipped(parts))
    assert codes(edition) == ["NC155"]
    assert "word/document.xml" in edition.diagnostics[0].message


def test_missing_notes_parts_is_no_notes() -> None:
    parts = {"word/document.xml": document_part(["<w:p><w:r><w:t>Just text.</w:t></w:r></w:p>"])}
    edition = read(zipped(parts))
    assert codes(edition) == ["NC103"]


def test_damaged_member_crc_nc155() -> None:
    data = bytearray(fixture_docx())
    # flip a byte inside the deflated endnotes part: CRC or inflate fails, never a traceback
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/endnotes.xml")
    body = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[body + info.compress_size // 2] ^= 0xFF
    edition = read(bytes(data))
    assert codes(edition) == ["NC155"]


def test_zip_bomb_ratio_nc156() -> None:
    parts = fixture_parts()
    parts["word/endnotes.xml"] = b"<w:endnotes>" + b" " * (4 * 1024 * 1024) + b"</w:endnotes>"
    edition = read(zipped(parts))
    assert codes(edition) == ["NC156"]
    assert "compressed" in edition.diagnostics[0].message


def test_zip_bomb_size_nc156(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_PART_BYTES", 1000)
    edition = read(fixture_docx())
    assert codes(edition) == ["NC156"]


def test_zip_bomb_total_nc156(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_reader, "MAX_TOTAL_BYTES", 6000)
    assert codes(read(fixture_docx())) == ["NC156"]


def test_billion_laughs_in_a_part_nc153() -> None:
    parts = fixture_parts()
    laughs = '<!DOCTYPE w:endnotes [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    endnotes = parts["word/endnotes.xml"]
    assert isinstance(endnotes, str)
    parts["word/endnotes.xml"] = endnotes.replace("\n", "\n" + laughs, 1).replace("Ibid., 45.", "&lol2;")
    edition = read(zipped(parts))
    assert codes(edition) == ["NC153"]
    assert "word/endnotes.xml" in edition.diagnostics[0].message
    assert edition.notes == ()


def test_external_entity_in_document_nc153() -> None:
    parts = fixture_parts()
    document = parts["word/document.xml"]
    assert isinstance(document, str)
    xxe = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    parts["word/document.xml"] = document.replace("\n", "\n" + xxe, 1)
    edition = read(zipped(parts))
    assert codes(edition) == ["NC153"]
    assert "file:///etc/passwd" in edition.diagnostics[0].message


def test_malformed_notes_part_nc154() -> None:
    parts = fixture_parts()
    endnotes = parts["word/endnotes.xml"]
    assert isinstance(endnotes, str)
    parts["word/endnotes.xml"] = endnotes.replace("</w:endnotes>", "")
    edition = read(zipped(parts))
    assert "NC154" in codes(edition)
    assert "word/endnotes.xml" in next(d.message for d in edition.diagnostics if d.code == "NC154")
    assert len(edition.notes) == 8  # the notes read before the error are kept


def test_uncalled_note_nc160() -> None:
    parts = fixture_parts()
    endnotes = parts["word/endnotes.xml"]
    assert isinstance(endnotes, str)
    parts["word/endnotes.xml"] = endnotes.replace(
        "</w:endnotes>", note_xml("endnote", "42", ["Orphaned, 12."]) + "</w:endnotes>"
    )
    edition = read(zipped(parts))
    assert codes(edition) == ["NC160"]
    orphan = edition.notes[-1]
    assert (orphan.number, orphan.text, orphan.document_paragraph) == (None, "Orphaned, 12.", None)


def test_reference_to_missing_note_nc161() -> None:
    parts = fixture_parts()
    document = parts["word/document.xml"]
    assert isinstance(document, str)
    parts["word/document.xml"] = document.replace(
        "<w:sectPr>", paragraph_with_reference("Dangling.", "endnote", "77") + "<w:sectPr>"
    )
    edition = read(zipped(parts))
    assert codes(edition) == ["NC161"]
    assert "paragraph 10" in edition.diagnostics[0].message


@given(st.binary(max_size=400))
def test_any_bytes_never_raise(data: bytes) -> None:
    edition = read(data)
    assert edition.format == "docx"


@given(st.text(max_size=200))
def test_any_notes_part_never_raises(xml: str) -> None:
    parts = fixture_parts()
    parts["word/endnotes.xml"] = xml
    edition = read(zipped(parts))
    assert all(n.text == n.text.strip() for n in edition.notes)
