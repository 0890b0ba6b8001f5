"""The HTML report: structure, escaping, CSP, and the page opened in headless Chromium.

The browser tests run Debian's ``chromium`` with ``--dump-dom``: the page's own script runs,
applies the filter named in the URL fragment (as clicks on the filter checkboxes) and records its
state in ``data-`` attributes that the dumped DOM shows. Without chromium they skip locally, but
fail when the ``CI`` environment variable is set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from notecheck.models import CitationResolution, Form, Status
from notecheck.report import render
from notecheck.report.html import SCRIPT, STYLE, content_security_policy, csp_hash
from tests.test_report_helpers import default_diagnostics, make_document, make_edition, make_report


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def iter(self) -> list[Element]:
        found = [self]
        for child in self.children:
            if isinstance(child, Element):
                found.extend(child.iter())
        return found

    def find_all(self, tag: str, cls: str | None = None) -> list[Element]:
        return [
            e
            for e in self.iter()
            if e.tag == tag and (cls is None or cls in e.attrs.get("class", "").split())
        ]


_VOID = {"meta", "input", "br", "link", "img", "hr"}


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


# --- the page as written -------------------------------------------------------------------------


def test_page_is_self_contained_with_hashed_csp() -> None:
    html = render(make_report(), "html")
    root = parse(html)
    csp = next(m for m in root.find_all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy")
    policy = csp.attrs["content"]
    assert policy.startswith("default-src 'none'; ")
    assert f"script-src {csp_hash(SCRIPT)};" in policy
    assert f"style-src {csp_hash(STYLE)};" in policy
    assert policy == content_security_policy()
    scripts = root.find_all("script")
    styles = root.find_all("style")
    assert len(scripts) == 1 and scripts[0].text == SCRIPT
    assert len(styles) == 1 and styles[0].text == STYLE
    assert not re.search(r"\b(src|href)=\"(https?:)?//", html)
    assert "@import" not in STYLE and "url(" not in STYLE
    assert not any("style" in e.attrs for e in root.iter())
    assert not any(name.startswith("on") for e in root.iter() for name in e.attrs)


def test_notes_citations_and_links() -> None:
    root = parse(render(make_report(), "html"))
    notes = root.find_all("article", "note")
    assert len(notes) == 4
    cites = {c.attrs["id"]: c for c in root.find_all("a", "cite") if "id" in c.attrs}
    assert cites["d1-n1c1"].attrs["href"] == "#entry-1"
    assert (
        "form-full" in cites["d1-n1c1"].attrs["class"]
        and "status-resolved" in cites["d1-n1c1"].attrs["class"]
    )
    assert cites["d1-n2c1"].attrs["href"] == "#d1-n1c1"  # an ibid links to the citation it repeats
    assert "status-broken" in cites["d1-n2c2"].attrs["class"]
    assert "href" not in cites["d1-n3c2"].attrs  # unresolved: nothing to link to
    entries = {e.attrs["id"]: e.text for e in root.find_all("dt", "entry")}
    assert entries == {"entry-1": "zelnik1995", "entry-2": "smith1990"}
    assert cites["d1-n1c1"].text.startswith("Reginald E. Zelnik")


def test_every_finding_is_beside_its_marked_span() -> None:
    root = parse(render(make_report(), "html"))
    rows = root.find_all("li", "diag")
    assert {r.attrs["data-code"] for r in rows} == {"NC401", "NC301", "NC501", "NC102"}
    marks = {m.attrs["id"]: m for m in root.find_all("mark") if "id" in m.attrs}
    for row in rows:
        link = row.find_all("a", "where")[0]
        mark = marks[link.attrs["href"].removeprefix("#")]
        assert row.attrs["id"] in mark.attrs["data-diags"].split()
    by_code = {r.attrs["data-code"]: r for r in rows}
    mark = marks[by_code["NC301"].find_all("a", "where")[0].attrs["href"][1:]]
    assert mark.text == "47-49"
    note_two = root.find_all("article", "note")[1]
    assert {r.attrs["data-code"] for r in note_two.find_all("li", "diag")} == {"NC401", "NC301"}


def test_marks_split_at_citation_boundaries_stay_well_formed() -> None:
    edition = make_edition()
    citations = {2: [("Ibid., 47", Form.IBID), ("-49. See", Form.SHORT)]}
    resolutions = {"n2c1": CitationResolution("zelnik1995", Status.RESOLVED)}
    document = make_document(edition, citations, resolutions, default_diagnostics(edition))
    html = render(make_report([document]), "html")
    root = parse(html)
    note = root.find_all("article", "note")[1]
    assert note.find_all("div", "note-text")[0].text == edition.notes[1].text
    marked = "".join(m.text for m in note.find_all("mark") if "NC" not in m.text)
    assert "47-49" in marked


def test_script_in_a_note_is_text() -> None:
    html = render(make_report(), "html")
    assert "<script>alert" not in html
    assert "&lt;script&gt;</mark>alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quotes&quot;" in html
    assert "a &lt;b&gt;bold&lt;/b&gt; message &amp; more" in html
    root = parse(html)
    note = root.find_all("article", "note")[3]
    assert "<script>alert('x')</script>" in note.text
    assert len(root.find_all("script")) == 1


def test_filters_and_summary_counts() -> None:
    root = parse(render(make_report(), "html"))
    boxes = root.find_all("input")
    severities = {
        b.attrs["value"]: "checked" in b.attrs for b in boxes if b.attrs.get("data-filter") == "severity"
    }
    assert severities == {"error": True, "warning": True, "info": True, "suppressed": False}
    codes = {b.attrs["value"] for b in boxes if b.attrs.get("data-filter") == "code"}
    assert codes == {"NC102", "NC301", "NC401", "NC501"}
    counts = {d.attrs["data-count"]: d.text for d in root.find_all("dd") if "data-count" in d.attrs}
    assert counts["notes"] == "4" and counts["citations"] == "5"
    assert counts["error"] == "1" and counts["warning"] == "2" and counts["info"] == "1"
    assert counts["status-resolved"] == "3" and counts["status-broken"] == "1"


def test_page_without_bibliography_or_documents() -> None:
    html = render(make_report([], bibliography=False), "html")
    root = parse(html)
    assert root.find_all("article") == []
    assert "bibliography: none" in html


# --- the page in a browser ------------------------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium is required in CI for the HTML report tests (install Debian's chromium)")
    pytest.skip("chromium is not installed")


def dump_dom(page: Path, fragment: str, tmp_path: Path) -> str:
    """Open ``page#fragment`` in headless Chromium with a fresh profile; the DOM after scripts."""
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--dump-dom",
        page.resolve().as_uri() + fragment,
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(render(make_report(), "html"), encoding="utf-8")
    return path


def test_browser_shows_notes_and_findings(page: Path, tmp_path: Path) -> None:
    root = parse(dump_dom(page, "", tmp_path))
    body = root.find_all("body")[0]
    assert body.attrs.get("data-ready") == "true"  # the page's script ran under its own CSP
    assert body.attrs.get("data-styled") == "true"  # and its style sheet applied
    assert body.attrs.get("data-shown") == "4"
    assert len(root.find_all("article", "note")) == 4
    rows = root.find_all("li", "diag")
    assert len(rows) == 4 and not any("hidden" in r.attrs for r in rows)
    shown = next(p for p in root.find_all("p") if p.attrs.get("id") == "shown")
    assert shown.text == "4 of 4 findings shown"
    note = root.find_all("article", "note")[3]
    assert "<script>alert('x')</script>" in note.text
    assert len(root.find_all("script")) == 1


def test_browser_filter_hides_a_deselected_severity(page: Path, tmp_path: Path) -> None:
    root = parse(dump_dom(page, "#hide=warning", tmp_path))
    body = root.find_all("body")[0]
    assert body.attrs.get("data-ready") == "true"
    rows = root.find_all("li", "diag")
    hidden = {r.attrs["data-code"] for r in rows if "hidden" in r.attrs}
    visible = {r.attrs["data-code"] for r in rows if "hidden" not in r.attrs}
    assert hidden == {"NC301", "NC102"}
    assert visible == {"NC401", "NC501"}
    assert body.attrs.get("data-shown") == "2"
    marks = [m for m in root.find_all("mark") if m.text == "47-49"]
    assert marks and "off" in marks[0].attrs["class"].split()


def test_browser_filter_by_rule_and_only_notes_with_findings(page: Path, tmp_path: Path) -> None:
    root = parse(dump_dom(page, "#hide=NC401,NC501&only-findings", tmp_path))
    body = root.find_all("body")[0]
    assert body.attrs.get("data-shown") == "2"
    notes = root.find_all("article", "note")
    assert ["hidden" in n.attrs for n in notes] == [True, False, True, False]


def test_browser_refuses_a_script_the_csp_does_not_name(page: Path, tmp_path: Path) -> None:
    tampered = page.with_name("tampered.html")
    html = page.read_text(encoding="utf-8")
    tampered.write_text(html.replace("<script>", "<script>/* changed */", 1), encoding="utf-8")
    root = parse(dump_dom(tampered, "", tmp_path))
    assert "data-ready" not in root.find_all("body")[0].attrs


def test_browser_refuses_a_style_the_csp_does_not_name(page: Path, tmp_path: Path) -> None:
    tampered = page.with_name("restyled.html")
    html = page.read_text(encoding="utf-8")
    tampered.write_text(html.replace("<style>", "<style>/* changed */", 1), encoding="utf-8")
    body = parse(dump_dom(tampered, "", tmp_path)).find_all("body")[0]
    assert body.attrs.get("data-ready") == "true"
    assert body.attrs.get("data-styled") == "false"


def test_every_link_on_the_page_has_a_target() -> None:
    root = parse(render(make_report(), "html"))
    ids = {e.attrs["id"] for e in root.iter() if "id" in e.attrs}
    targets = [a.attrs["href"] for a in root.find_all("a") if a.attrs.get("href", "").startswith("#")]
    assert targets
    assert [t for t in targets if t[1:] not in ids] == []
    assert len(ids) == sum(1 for e in root.iter() if "id" in e.attrs)  # ids are unique


def test_browser_on_the_edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from notecheck.pipeline import check
    from tests.conftest import ROOT

    monkeypatch.chdir(ROOT)
    report = check(["edition/kanatchikov.txt"], bib="bibliography.bib")
    page = tmp_path / "edition.html"
    page.write_text(render(report, "html"), encoding="utf-8")
    root = parse(dump_dom(page, "#hide=info", tmp_path))
    body = root.find_all("body")[0]
    assert body.attrs.get("data-ready") == "true"
    assert len(root.find_all("article", "note")) == report.summary.notes == 85
    rows = root.find_all("li", "diag")
    assert len(rows) == len(report.all_diagnostics())
    hidden = [r for r in rows if "hidden" in r.attrs]
    assert all(r.attrs["data-severity"] in ("info", "suppressed") for r in hidden)
    assert int(body.attrs["data-shown"]) == report.summary.errors + report.summary.warnings
    ids = {e.attrs["id"] for e in root.iter() if "id" in e.attrs}
    targets = [a.attrs["href"][1:] for a in root.find_all("a") if a.attrs.get("href", "").startswith("#")]
    assert [t for t in targets if t not in ids] == []


def test_overlapping_findings_each_get_an_anchor() -> None:
    from notecheck.models import Diagnostic, Severity
    from tests.test_report_helpers import at

    edition = make_edition()
    whole = at(edition, "Smith, Workers, 12")
    found = [
        Diagnostic("NC905", Severity.ERROR, "a", whole, note_index=2),
        Diagnostic("NC905", Severity.WARNING, "b", at(edition, "Smith"), note_index=2),
        Diagnostic("NC905", Severity.INFO, "c", at(edition, "Smith, Workers"), note_index=2),
    ]
    root = parse(render(make_report([make_document(edition, diagnostics=found)]), "html"))
    ids = {e.attrs["id"] for e in root.iter() if "id" in e.attrs}
    links = [r.find_all("a", "where")[0].attrs["href"][1:] for r in root.find_all("li", "diag")]
    assert len(links) == 3 and all(link in ids for link in links)
    worst = [m for m in root.find_all("mark") if m.text == "Smith"]
    assert "sev-error" in worst[0].attrs["class"]


def test_a_finding_on_the_note_label_marks_the_label() -> None:
    from notecheck.models import Diagnostic, Severity

    edition = make_edition()
    note = edition.notes[2]
    found = [Diagnostic("NC905", Severity.ERROR, "damaged label", note.label_span, note_index=note.index)]
    root = parse(render(make_report([make_document(edition, diagnostics=found)]), "html"))
    article = root.find_all("article", "note")[2]
    (mark,) = article.find_all("mark")
    assert mark.text == "3."
    link = article.find_all("a", "where")[0]
    assert link.attrs["href"] == "#" + mark.attrs["id"]
