"""Safe input handling: nothing in an input is fetched, opened, expanded or executed (issue 11, part 4).

* XML (TEI, the parts of a .docx) is parsed with entity declarations refused, external entities
  and DTDs never loaded and no network access: proven here by making every socket and URL
  opener, and ``open`` itself, fail loudly while hostile files are read.
* Expansion bombs (billion laughs, the quadratic blow-up of one large entity) are refused at
  once with NC153, before any expansion.
* The configuration is data: TOML read by :mod:`tomllib`, never evaluated, whatever it holds.
* The HTML report escapes every character of every note and message and loads nothing remote:
  a property over arbitrary note text checks there is no markup from the note in the page, no
  ``src``/``href`` to another site, no ``@import`` or ``url()``, and the hashed CSP.
"""

from __future__ import annotations

import builtins
import io
import json
import socket
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notecheck.baseline import Baseline
from notecheck.config import Config, load_config
from notecheck.pipeline import check
from notecheck.readers import read_edition_bytes
from notecheck.report import render
from notecheck.report.html import content_security_policy

from .test_docx import fixture_parts, zipped

TEI_HEAD = "<TEI xmlns='http://www.tei-c.org/ns/1.0'><text><body><p>Body."


def tei(doctype: str, note: str) -> bytes:
    return f"<?xml version='1.0'?>\n{doctype}\n{TEI_HEAD}<note n='1'>{note}</note></p></body></text></TEI>".encode()


class Forbidden(AssertionError):
    """Raised by every network or file opener while hostile input is read."""


@pytest.fixture
def no_network_no_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every socket, URL opener and ``open`` call fails and is recorded."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def refused(*args: object, **kwargs: object) -> Any:
            attempts.append(f"{what}{args!r}")
            raise Forbidden(f"{what} called while reading input: {args!r}")

        return refused

    # Warm the readers first, so that importing them (which reads source files) is not counted.
    read_edition_bytes(tei("", "x"), "warm.xml", input_format="tei")
    read_edition_bytes(zipped(fixture_parts()), "warm.docx", input_format="docx")
    monkeypatch.setattr(socket, "socket", refuse("socket.socket"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(urllib.request, "urlopen", refuse("urllib.request.urlopen"))
    monkeypatch.setattr(builtins, "open", refuse("open"))
    monkeypatch.setattr(io, "open", refuse("io.open"))
    return attempts


def hostile_tei(secret: Path) -> dict[str, bytes]:
    """XML that would fetch a URL or read a local file if entities or DTDs were honoured."""
    url = "http://127.0.0.1:9/notecheck-must-not-fetch"
    return {
        "external entity (url)": tei(f"<!DOCTYPE TEI [<!ENTITY e SYSTEM '{url}'>]>", "&e; Ibid., 4."),
        "external entity (file)": tei(f"<!DOCTYPE TEI [<!ENTITY e SYSTEM 'file://{secret}'>]>", "&e;"),
        "external DTD": tei(f"<!DOCTYPE TEI SYSTEM '{url}.dtd'>", "&nbsp; Ibid."),
        "public DTD": tei(f"<!DOCTYPE TEI PUBLIC '-//TEI//DTD' '{url}.dtd'>", "Ibid."),
        "parameter entity": tei(f"<!DOCTYPE TEI [<!ENTITY % p SYSTEM '{url}'> %p;]>", "Ibid."),
        "unparsed entity": tei(f"<!DOCTYPE TEI [<!ENTITY u SYSTEM '{url}' NDATA png>]>", "Ibid."),
        "xinclude": tei("", f"<xi:include xmlns:xi='http://www.w3.org/2001/XInclude' href='{url}'/>Ibid."),
        "stylesheet": f"<?xml-stylesheet href='{url}.xsl'?>".encode() + tei("", "Ibid."),
    }


def hostile_docx(secret: Path) -> dict[str, bytes]:
    url = "http://127.0.0.1:9/notecheck-must-not-fetch"
    parts = fixture_parts()
    entity = parts["word/endnotes.xml"]
    assert isinstance(entity, str)
    declaration = f"<!DOCTYPE x [<!ENTITY e SYSTEM 'file://{secret}'>]>"
    with_entity = entity.replace("?>\n", f"?>\n{declaration}", 1).replace("Ibid., 45.", "&e; Ibid., 45.")
    rels = parts["word/_rels/document.xml.rels"]
    assert isinstance(rels, str)
    external = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rId9" Type="x/attachedTemplate" Target="{url}" TargetMode="External"/>'
        "</Relationships>",
    )
    return {
        "entity in the notes part": zipped({**parts, "word/endnotes.xml": with_entity}),
        "external DTD in the document": zipped(
            {
                **parts,
                "word/document.xml": str(parts["word/document.xml"]).replace(
                    "?>\n", f"?>\n<!DOCTYPE x SYSTEM '{url}'>", 1
                ),
            }
        ),
        "external relationship": zipped({**parts, "word/_rels/document.xml.rels": external}),
    }


SECRET = "notecheck-secret-3f9a"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


def test_xml_reading_fetches_nothing_and_opens_nothing(secret: Path, no_network_no_files: list[str]) -> None:
    """TEI and .docx with external entities, DTDs, XInclude and external relationships: read with
    every socket and ``open`` refused, no attempt is made, and no outside content gets in."""
    cases = [(name, "tei", data) for name, data in hostile_tei(secret).items()]
    cases += [(name, "docx", data) for name, data in hostile_docx(secret).items()]
    for name, input_format, data in cases:
        edition = read_edition_bytes(data, f"hostile.{input_format}", input_format=input_format)
        assert no_network_no_files == [], name
        assert all(SECRET not in note.text for note in edition.notes), name
        assert SECRET not in edition.source.text, name
        codes = {d.code for d in edition.diagnostics}
        if "entity" in name or name == "external DTD":  # an entity is used: reported
            assert codes & {"NC153", "NC154", "NC159"}, (name, codes)


def test_entity_declarations_are_refused_with_nc153(secret: Path) -> None:
    for name in ("external entity (url)", "external entity (file)", "parameter entity", "unparsed entity"):
        edition = read_edition_bytes(hostile_tei(secret)[name], "hostile.xml", input_format="tei")
        assert "NC153" in {d.code for d in edition.diagnostics}, name


@pytest.mark.parametrize("input_format", ["tei", "docx"])
def test_expansion_bombs_are_refused_at_once(input_format: str) -> None:
    """Billion laughs and the quadratic blow-up (one 100 kB entity used 10,000 times)."""
    laughs = "".join(f"<!ENTITY l{i} '{f'&l{i - 1};' * 10}'>" for i in range(1, 10))
    bombs = [
        f"<!DOCTYPE TEI [<!ENTITY l0 'lol'>{laughs}]>",
        f"<!DOCTYPE TEI [<!ENTITY big '{'x' * 100_000}'>]>",
    ]
    for doctype, body in zip(bombs, ["&l9;", "&big;" * 10_000], strict=True):
        if input_format == "tei":
            data = tei(doctype, body)
        else:
            parts = fixture_parts()
            notes = str(parts["word/endnotes.xml"]).replace("?>\n", f"?>\n{doctype}", 1)
            data = zipped({**parts, "word/endnotes.xml": notes.replace("Ibid., 45.", body)})
        started = time.perf_counter()
        edition = read_edition_bytes(data, f"bomb.{input_format}", input_format=input_format)
        assert time.perf_counter() - started < 5
        assert "NC153" in {d.code for d in edition.diagnostics}
        assert all(len(note.text) < 100_000 for note in edition.notes)


# --- configuration is data -----------------------------------------------------------------------

PYTHONISH = [
    "__import__('os').system('touch {marker}')",
    "open('{marker}', 'w').write('x')",
    "$(touch {marker})",
    "`touch {marker}`",
    "{{{{ 7 * 7 }}}}",
    "${{HOME}}",
    "!!python/object/apply:os.system ['touch {marker}']",
    "lambda: exec('x')",
]


@contextmanager
def no_evaluation() -> Iterator[None]:
    """``eval``, ``exec`` and ``compile`` fail while the configuration is loaded."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise Forbidden(f"evaluated configuration: {args!r}")

    saved = {name: getattr(builtins, name) for name in ("eval", "exec", "compile")}
    try:
        for name in saved:
            setattr(builtins, name, refuse)
        yield
    finally:
        for name, original in saved.items():
            setattr(builtins, name, original)


@settings(suppress_health_check=[*settings().suppress_health_check, HealthCheck.function_scoped_fixture])
@given(
    value=st.one_of(st.sampled_from(PYTHONISH), st.text(max_size=40)),
    key=st.sampled_from(["paths", "select", "ignore", "bibliography", "exclude", "baseline", "no-such-key"]),
    as_list=st.booleans(),
)
def test_configuration_is_data_whatever_it_holds(value: str, key: str, as_list: bool, tmp_path: Path) -> None:
    marker = tmp_path / "executed"
    text = value.format(marker=marker) if "{marker}" in value else value
    quoted = json.dumps(text)  # a TOML basic string is written like a JSON string
    (tmp_path / "notecheck.toml").write_text(f"{key} = {'[' + quoted + ']' if as_list else quoted}\n")
    load_config(file=tmp_path / "notecheck.toml")  # first, so lazy imports are done before the guard
    with no_evaluation():
        config = load_config(file=tmp_path / "notecheck.toml")
    assert not marker.exists()
    assert isinstance(config, Config)
    values = {"paths": config.paths, "bibliography": [config.bibliography]}.get(key)
    if values is not None and not config.diagnostics:
        assert text in values  # kept as the string it is


@given(text=st.text(max_size=200))
def test_any_configuration_text_loads_without_raising(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "notecheck.toml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        config = load_config(file=path)
        assert isinstance(config, Config)


# --- the HTML report -----------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects every tag, attribute and the text of style elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


#: The elements the report writes itself; anything else would have come from the input.
OWN_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "script",
    "body",
    "header",
    "main",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "p",
    "a",
    "mark",
    "span",
    "div",
    "ul",
    "ol",
    "li",
    "label",
    "input",
    "select",
    "option",
    "button",
    "nav",
    "footer",
    "details",
    "summary",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "small",
    "strong",
    "em",
    "fieldset",
    "legend",
    "aside",
    "dl",
    "dt",
    "dd",
    "br",
    "b",
    "abbr",
    "time",
    "form",
    "output",
    "sup",
    "q",
    "var",
    "kbd",
    "samp",
    "i",
    "s",
    "u",
    "hr",
}
ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='http://evil.invalid'>x</a>",
    "<link rel=stylesheet href=//evil.invalid/x.css>",
    "<style>@import url(http://evil.invalid);</style>",
    '"><svg onload=alert(1)>',
    "</mark></article><iframe src=https://evil.invalid>",
    "&lt;b&gt;",
    "<!--",
    "]]>",
    "<zqx",
    "javascript:alert(1)",
    "url(http://evil.invalid/a.png)",
    "\u2028",
    "<\x00script>",
]


@settings(max_examples=max(10, settings().max_examples // 2))
@given(
    note=st.lists(st.one_of(st.sampled_from(ATTACKS), st.text(max_size=10)), max_size=12).map("".join),
    citing=st.booleans(),
)
def test_html_report_escapes_every_note_and_loads_nothing_remote(note: str, citing: bool) -> None:
    text = note.replace("\r", " ").replace("\n", " ").replace("\x85", " ").replace("\u2028", " ")
    body = f"Zelnik, Radical Worker, 4; {text}" if citing else text
    edition = f"Body.1\n\nNotes\n1. {body}\n2. Ibid. {text}\n".encode("utf-8", "surrogatepass")
    report = check(
        ["edition.txt"], bib=None, config=Config(), baseline=Baseline(), contents={"edition.txt": edition}
    )
    html = render(report, "html")
    page = _Page()
    page.feed(html)
    page.close()
    assert "<zqx" not in html and "<script>alert" not in html and "<img" not in html
    assert {tag for tag, _ in page.tags} <= OWN_TAGS
    for tag, attributes in page.tags:
        for name, value in attributes:
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            if name in ("src", "href", "action", "formaction", "data", "srcset", "poster"):
                assert value is not None and not value.lower().lstrip().startswith(
                    ("http:", "https:", "//", "javascript:", "data:")
                ), (tag, name, value)
    assert "@import" not in page.style and "url(" not in page.style
    policies = [dict(a).get("content") for t, a in page.tags if t == "meta" and dict(a).get("http-equiv")]
    assert policies == [content_security_policy()]
    assert sum(1 for tag, _ in page.tags if tag == "script") == 1
