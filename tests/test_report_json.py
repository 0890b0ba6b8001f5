"""The JSON report: the contract's shape, validated by the project's schema, written as a stream."""

from __future__ import annotations

import io
import json
from typing import Any

import jsonschema

from notecheck.baseline import Baseline, BaselineEntry
from notecheck.config import Accepted, Config
from notecheck.report import json as json_format
from notecheck.report import render
from tests.test_report_helpers import make_document, make_edition, make_report


def test_report_validates_against_the_schema(report_schema: dict[str, Any]) -> None:
    data = json.loads(render(make_report(), "json"))
    jsonschema.validate(data, report_schema)
    document = data["documents"][0]
    assert [n["number"] for n in document["notes"]] == [1, 2, 3, 4]
    ibid = document["notes"][1]["citations"][0]
    assert ibid["form"] == "ibid"
    assert ibid["antecedent"] == "n1c1"
    assert ibid["key"] == "zelnik1995"
    assert (ibid["line"], ibid["column"]) == (5, 4)
    assert data["summary"] == {
        "documents": 1,
        "notes": 4,
        "citations": 5,
        "errors": 1,
        "warnings": 2,
        "info": 1,
        "suppressed": 0,
    }
    assert data["bibliography"]["unused"] == ["unused1900"]


def test_streamed_json_equals_the_whole_object() -> None:
    report = make_report()
    assert json.loads(render(report, "json")) == json_format.to_dict(report)


def test_stream_writes_one_note_and_one_diagnostic_per_line() -> None:
    buffer = io.StringIO()
    json_format.write(make_report(), buffer)
    lines = buffer.getvalue().splitlines()
    note_lines = [line for line in lines if line.lstrip().startswith('{"index":')]
    diagnostic_lines = [line for line in lines if line.lstrip().startswith('{"code":')]
    assert len(note_lines) == 4
    assert len(diagnostic_lines) == 4
    for line in note_lines + diagnostic_lines:
        json.loads(line.strip().rstrip(","))


def test_stream_is_written_in_pieces_not_at_once() -> None:
    class Recorder(io.StringIO):
        writes = 0

        def write(self, text: str) -> int:
            Recorder.writes += 1
            return super().write(text)

    edition = make_edition("Notes\n" + "".join(f"{n}. Note {n}.\n" for n in range(1, 201)))
    report = make_report([make_document(edition, citations={}, resolutions={})])
    json_format.write(report, Recorder())
    assert Recorder.writes > 200


def test_empty_report_is_valid(report_schema: dict[str, Any]) -> None:
    report = make_report([], bibliography=False)
    data = json.loads(render(report, "json"))
    jsonschema.validate(data, report_schema)
    assert data["documents"] == []
    assert data["diagnostics"] == []


def test_suppressed_findings_carry_their_reason(report_schema: dict[str, Any]) -> None:
    plain = make_report()
    by_code = {d.code: d for d in plain.all_diagnostics()}
    accepted = Accepted("NC401", by_code["NC401"].fingerprint, "the editors keep this form")
    known = Baseline((BaselineEntry("NC301", by_code["NC301"].fingerprint),))
    report = make_report(config=Config(accept=(accepted,)), baseline=known)
    data = json.loads(render(report, "json"))
    jsonschema.validate(data, report_schema)
    found = {d["code"]: d for d in data["documents"][0]["diagnostics"]}
    assert found["NC401"]["suppressed"] is True
    assert found["NC401"]["suppression"] == {"kind": "accepted", "reason": "the editors keep this form"}
    assert found["NC301"]["suppression"] == {"kind": "baseline", "reason": ""}
    assert found["NC501"]["suppression"] is None
    assert data["summary"]["suppressed"] == 2
    assert data["summary"]["errors"] == 0


def test_text_with_quotes_and_controls_round_trips() -> None:
    edition = make_edition('Notes\n1. He said "\\u2028" \u2028 and \x07 and </script>.\n')
    report = make_report([make_document(edition, citations={}, resolutions={})])
    data = json.loads(render(report, "json"))
    assert data["documents"][0]["notes"][0]["label"] == "1."
