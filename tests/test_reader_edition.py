"""The text reader on the edition itself: 85 notes on their true lines, debris, sections, calls.

The tables below are test oracles made by reading edition/kanatchikov.txt line by line; the
reader itself knows nothing of them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from notecheck.models import Edition, Section, Severity
from notecheck.numbering import check_numbering
from notecheck.readers import read_edition, read_edition_bytes, read_edition_text
from tests.conftest import EDITION

#: Line where each note's number is printed (note n is FIRST_LINES[n - 1]).
FIRST_LINES = (
    922, 931, 935, 944, 953, 959, 968, 977, 981, 985,
    991, 1001, 1002, 1005, 1016, 1017, 1023, 1026, 1028, 1031,
    1032, 1034, 1042, 1050, 1052, 1057, 1060, 1066, 1071, 1077,
    1080, 1081, 1086, 1090, 1091, 1095, 1108, 1113, 1120, 1127,
    1128, 1129, 1136, 1141, 1146, 1148, 1157, 1158, 1169, 1170,
    1171, 1172, 1173, 1180, 1181, 1182, 1184, 1189, 1191, 1193,
    1196, 1198, 1201, 1202, 1205, 1208, 1216, 1219, 1224, 1228,
    1232, 1236, 1241, 1246, 1249, 1251, 1260, 1264, 1266, 1269,
    1272, 1278, 1279, 1280, 1284,
)  # fmt: skip

#: Last line of each note's text (debris after a note is not part of it).
LAST_LINES = (
    929, 934, 943, 951, 957, 965, 974, 979, 983, 988,
    998, 1001, 1003, 1015, 1016, 1022, 1024, 1027, 1030, 1031,
    1033, 1041, 1048, 1051, 1055, 1059, 1064, 1070, 1076, 1079,
    1080, 1084, 1089, 1090, 1094, 1107, 1112, 1119, 1126, 1127,
    1128, 1135, 1140, 1145, 1147, 1156, 1157, 1168, 1169, 1170,
    1171, 1172, 1179, 1180, 1181, 1183, 1188, 1190, 1192, 1195,
    1197, 1200, 1201, 1204, 1207, 1215, 1218, 1223, 1227, 1231,
    1235, 1240, 1245, 1248, 1250, 1259, 1263, 1265, 1268, 1270,
    1277, 1278, 1279, 1283, 1285,
)  # fmt: skip

#: Lines of quote-mark debris between and inside notes, each "If" in columns 1-3.
DEBRIS_LINES = (966, 970, 972, 975, 989, 999, 1013)

#: (note number, line, label) of the calls the reader finds in the body.
CALLS = (
    (1, 7, "1"), (5, 59, "S"), (6, 64, "6"), (7, 69, "7"), (11, 91, "11"), (14, 115, "14"),
    (15, 125, "IS"), (16, 132, "16"), (18, 138, "IS"), (21, 163, "21"), (22, 165, "22"),
    (23, 173, "23"), (24, 186, "24"), (25, 193, "25"), (27, 217, "27"), (28, 229, "28"),
    (29, 236, "29"), (31, 249, "31"), (33, 260, "33"), (36, 290, "36"), (38, 295, "38"),
    (39, 314, "39"), (43, 354, "43"), (49, 433, "49"), (50, 443, "so"), (65, 577, "65"),
    (67, 589, "67"), (76, 767, "76"), (79, 795, "79"), (81, 852, "81"), (82, 857, "82"),
    (84, 886, "84"), (85, 905, "8S"),
)  # fmt: skip


@pytest.fixture(scope="module")
def edition() -> Edition:
    return read_edition(EDITION)


def test_reads_exactly_85_notes_numbered_1_to_85(edition: Edition) -> None:
    assert len(edition.notes) == 85
    assert [n.number for n in edition.notes] == list(range(1, 86))
    assert [n.index for n in edition.notes] == list(range(1, 86))
    assert edition.format == "text"
    assert edition.diagnostics == ()


def test_every_note_starts_on_the_line_its_number_is_printed(edition: Edition) -> None:
    assert tuple(n.line for n in edition.notes) == FIRST_LINES
    assert tuple(n.end_line for n in edition.notes) == LAST_LINES


def test_label_span_is_the_printed_number(edition: Edition) -> None:
    for note in edition.notes:
        span = note.label_span
        assert span.line == note.line
        printed = edition.source.line_text(span.line)[span.column - 1 : span.end_column - 1]
        assert printed == note.label
    assert edition.notes[29].label_span.column == 2  # " 30." is indented by one space


def test_note_5_is_printed_s_and_read_as_5(edition: Edition) -> None:
    note = edition.notes[4]
    assert (note.number, note.label, note.line) == (5, "s.", 953)
    assert (note.label_span.column, note.label_span.end_column) == (1, 3)
    assert note.text.startswith("In a personal statement accompanying an anketa")


def test_a_number_alone_on_its_line_takes_the_text_after_the_blank_line(edition: Edition) -> None:
    first = edition.notes[0]
    assert first.label == "1."
    assert first.text.startswith("A RadicalWorker in Tsarist Russia")
    assert first.text.endswith("xi.\n\nOn the various")
    assert edition.notes[6].text == "Avtobiograjiia, 1."  # "7." then debris, then the text
    assert edition.notes[7].text == "A Radical Worker, 34."


@pytest.mark.parametrize(
    ("number", "wrapped"),
    [(46, "\n217. Skrypnik was"), (48, "\n1905. Howard D."), (57, "\n1906. Arrested"), (76, "\n1961. (See")],
)
def test_years_and_pages_wrapped_to_a_line_start_continue_the_note(
    edition: Edition, number: int, wrapped: str
) -> None:
    assert wrapped in edition.notes[number - 1].text


def test_a_year_alone_on_the_last_line_continues_the_note(edition: Edition) -> None:
    assert edition.notes[71].text.endswith("probably shot in\n1941.")


def test_debris_is_left_out_of_note_text_and_listed_as_skipped(edition: Edition) -> None:
    assert [(s.span.line, s.span.column, s.span.end_column) for s in edition.skipped] == [
        (line, 1, 3) for line in DEBRIS_LINES
    ]
    assert {s.text for s in edition.skipped} == {"If"}
    assert all(s.reason == "OCR debris" for s in edition.skipped)
    note_14 = edition.notes[13].text
    assert "1905.\n So was there a second marriage" in note_14  # the "If" line between is gone
    for note in edition.notes:
        assert "\nIf\n" not in note.text


def test_note_text_maps_every_character_back_to_the_file(edition: Edition) -> None:
    text = edition.source.text
    for note in edition.notes:
        assert note.text == note.text.strip()
        for i, char in enumerate(note.text):
            assert text[note.text_map.to_source(i)] == char


def test_sections_are_the_body_three_documents_and_the_notes(edition: Edition) -> None:
    assert edition.sections == (
        Section("body", "Introduction", None, 1),
        Section("document", "Document 1", 1, 313),
        Section("document", "Document 2", 2, 794),
        Section("document", "Document 3", 3, 851),
        Section("notes", "Notes", None, 921),
    )


def test_calls_found_in_the_body(edition: Edition) -> None:
    found = tuple((c.number, c.span.line, c.label) for c in edition.calls)
    assert found == CALLS
    assert all(c.in_sequence for c in edition.calls)
    for call in edition.calls:
        line = edition.source.line_text(call.span.line)
        assert line[call.span.column - 1 : call.span.end_column - 1] == call.label


def test_numbering_diagnostics_on_the_edition(edition: Edition) -> None:
    diagnostics = check_numbering(edition)
    assert Counter(d.code for d in diagnostics) == {"NC107": 1, "NC109": 7, "NC111": 1}
    (damaged,) = [d for d in diagnostics if d.code == "NC107"]
    assert (damaged.span.line, damaged.span.column, damaged.span.end_column) == (953, 1, 3)
    assert damaged.severity is Severity.ERROR and damaged.note == 5
    assert damaged.fix is not None and damaged.fix.replacement == "5." and damaged.fix.applicability == "safe"
    assert damaged.fix.span == damaged.span
    skipped = sorted((d.span.line, d.note) for d in diagnostics if d.code == "NC109")
    assert skipped == [(966, 6), (970, 7), (972, 7), (975, 7), (989, 10), (999, 11), (1013, 14)]
    (uncalled,) = [d for d in diagnostics if d.code == "NC111"]
    assert uncalled.span.line == 921
    assert uncalled.message.startswith("no recognisable call in the body for 52 of 85 notes: 2-4, 8-10,")


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda b: b.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda b: b.replace(b"\n", b"\r"), id="lone-cr"),
        pytest.param(lambda b: b"\xef\xbb\xbf" + b, id="utf8-bom"),
        pytest.param(lambda b: b"\xff\xfe" + b.decode("utf-8").encode("utf-16-le"), id="utf16-bom"),
    ],
)
def test_line_ends_and_byte_order_marks_do_not_change_what_is_read(
    edition: Edition, transform: object
) -> None:
    assert callable(transform)
    variant = read_edition_bytes(transform(Path(EDITION).read_bytes()), "variant.txt")
    assert [(n.number, n.label, n.line, n.end_line) for n in variant.notes] == [
        (n.number, n.label, n.line, n.end_line) for n in edition.notes
    ]
    assert [" ".join(n.text.split()) for n in variant.notes] == [
        " ".join(n.text.split()) for n in edition.notes
    ]
    assert [s.span.line for s in variant.skipped] == list(DEBRIS_LINES)
    assert variant.sections == edition.sections
    assert [(c.number, c.span.line, c.span.column) for c in variant.calls] == [
        (c.number, c.span.line, c.span.column) for c in edition.calls
    ]
    for note in variant.notes:
        for i, char in enumerate(note.text):
            assert variant.source.text[note.text_map.to_source(i)] == char


def test_a_no_break_space_in_a_note_reads_as_a_space_at_the_same_offsets() -> None:
    from notecheck.archival import find_archival

    text = "Notes\n1. RGASPI, f.\u00a017, op.\u00a03, d.\u00a045, l.\u202f12.\n"
    edition = read_edition_text(text, "t.txt")
    (note,) = edition.notes
    assert note.text == "RGASPI, f. 17, op. 3, d. 45, l. 12."
    (found,) = find_archival(note.text, ("RGASPI",))
    assert found.reference.unit == "45"
    assert note.span(0, len(note.text)) == edition.source.span(9, len(text) - 1)
