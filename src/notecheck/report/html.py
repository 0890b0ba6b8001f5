"""Stage report: one self-contained HTML page showing every note with its findings beside it.

Each note is shown with its citations highlighted by form and resolution status; a resolved
citation links to its bibliography entry (the entries cited are rendered at the end of the
page), an ibid links to the citation it repeats, and each finding is listed beside the note with
a link to the span it marks. Checkboxes filter the findings by severity and by rule; the state
is kept in the URL fragment (``#hide=warning,NC401&only-findings``), so a filtered view can be
shared or opened directly.

Safety: every piece of text from the edition, the bibliography or the configuration is escaped;
the page loads nothing from anywhere (no remote fonts, scripts or images), and its
Content-Security-Policy admits only the page's own script and style by their SHA-256 hashes.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, TextIO

from notecheck.models import Citation, Diagnostic, Entry, Form, Note, Severity, Status

if TYPE_CHECKING:
    from notecheck.pipeline import DocumentReport, Report

_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

STYLE = """
:root{--error:#b3261e;--warning:#9a6700;--info:#0b57d0;--ok:#1a7f37;--muted:#5f6368;--line:#dadce0;
--bg:#fff;--fg:#202124;--mark-error:#fce8e6;--mark-warning:#fef7e0;--mark-info:#e8f0fe}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{position:sticky;top:0;z-index:2;background:#f8f9fa;border-bottom:1px solid var(--line);padding:.6rem 1.2rem}
h1{font-size:1.2rem;margin:0 0 .2rem}
h2{font-size:1.1rem;margin:1.4rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
.meta{color:var(--muted);margin:0;font-size:.85rem}
.summary{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;margin:.4rem 0;padding:0}
.summary div{display:flex;gap:.3rem;align-items:baseline}
.summary dt{color:var(--muted);font-size:.8rem}
.summary dd{margin:0;font-weight:600}
.summary .error dd{color:var(--error)}.summary .warning dd{color:var(--warning)}.summary .info dd{color:var(--info)}
#filters{display:flex;flex-wrap:wrap;gap:.3rem 1rem;align-items:center;font-size:.85rem}
#filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem .7rem;align-items:center}
#filters legend{float:left;font-weight:600;margin-right:.4rem}
#filters label{white-space:nowrap;cursor:pointer}
#shown{color:var(--muted);font-size:.85rem;margin:.2rem 0 0}
main{padding:0 1.2rem 2rem;max-width:90rem}
[hidden]{display:none!important}
.note{display:grid;grid-template-columns:minmax(0,3fr) minmax(16rem,2fr);gap:.2rem 1.2rem;
border-bottom:1px solid var(--line);padding:.5rem 0;scroll-margin-top:9rem}
.note-head{grid-column:1/-1;font-size:.8rem;color:var(--muted)}
.note-head .label{font-weight:700;color:var(--fg);text-decoration:none;margin-right:.4rem}
.note-text{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;font:inherit}
.cite{color:inherit;text-decoration:none;border-bottom:2px solid var(--muted);scroll-margin-top:9rem}
.cite:target,mark:target,.entry:target{outline:2px solid var(--info);outline-offset:1px}
.form-full{border-bottom-style:solid}.form-short{border-bottom-style:dashed}.form-ibid{border-bottom-style:dotted;font-style:italic}
.form-archival{border-bottom-style:double;border-bottom-width:3px}.form-crossref{border-bottom-style:dashed;border-bottom-width:1px}
.status-resolved{border-bottom-color:var(--ok)}.status-ambiguous{border-bottom-color:var(--warning)}
.status-broken{border-bottom-color:var(--error)}.status-unresolved{border-bottom-color:#9aa0a6}
mark{background:var(--mark-info);color:inherit;border-radius:2px;scroll-margin-top:9rem}
mark.sev-error{background:var(--mark-error)}mark.sev-warning{background:var(--mark-warning)}
mark.off{background:none}
mark.point::after{content:"\\2041";color:var(--error);font-weight:700}
mark.point.off::after{content:none}
.diagnostics{list-style:none;margin:0;padding:0;font-size:.85rem}
.diagnostics li{border-left:3px solid var(--info);padding:.1rem .5rem;margin:0 0 .3rem}
.diagnostics li.sev-error{border-left-color:var(--error)}.diagnostics li.sev-warning{border-left-color:var(--warning)}
.diagnostics li.suppressed{opacity:.6}
.diagnostics .code{font-weight:700;font-family:ui-monospace,monospace}
.sev-error .code{color:var(--error)}.sev-warning .code{color:var(--warning)}.sev-info .code{color:var(--info)}
.diagnostics .where{color:var(--muted);text-decoration:none;font-family:ui-monospace,monospace}
.fix{display:block;color:var(--ok)}
.why{display:block;color:var(--muted)}
.entries dt{font-family:ui-monospace,monospace;font-weight:700;scroll-margin-top:9rem}
.entries dd{margin:0 0 .5rem 1.5rem}
.legend{color:var(--muted);font-size:.85rem}
.legend span{margin-right:1rem}
code{font-family:ui-monospace,monospace}
"""

SCRIPT = """
(function () {
  "use strict";
  var all = function (selector) { return Array.prototype.slice.call(document.querySelectorAll(selector)); };
  var boxes = all("input[data-filter]");
  var onlyFindings = document.getElementById("only-findings");
  var rows = all("li.diag");
  var notes = all("article.note");
  var marks = all("mark.diag");
  function enabled(kind) {
    var on = {};
    boxes.forEach(function (box) { if (box.dataset.filter === kind && box.checked) { on[box.value] = true; } });
    return on;
  }
  function apply() {
    var severities = enabled("severity"), codes = enabled("code"), visible = {}, shown = 0;
    rows.forEach(function (row) {
      var show = severities[row.dataset.severity] === true && codes[row.dataset.code] === true;
      row.hidden = !show;
      if (show) { visible[row.id] = true; shown += 1; }
    });
    marks.forEach(function (mark) {
      var on = mark.dataset.diags.split(" ").some(function (id) { return visible[id] === true; });
      mark.classList.toggle("off", !on);
    });
    notes.forEach(function (note) {
      note.hidden = onlyFindings.checked && note.querySelector("li.diag:not([hidden])") === null;
    });
    document.getElementById("shown").textContent = shown + " of " + rows.length + " findings shown";
    document.body.dataset.shown = String(shown);
    var hidden = boxes.filter(function (box) { return !box.checked; }).map(function (box) { return box.value; });
    var state = [];
    if (hidden.length) { state.push("hide=" + hidden.join(",")); }
    if (onlyFindings.checked) { state.push("only-findings"); }
    if (window.history && history.replaceState) {
      try { history.replaceState(null, "", state.length ? "#" + state.join("&") : location.pathname + location.search); }
      catch (ignored) { /* some viewers forbid it; the filter still works */ }
    }
  }
  boxes.concat([onlyFindings]).forEach(function (box) { box.addEventListener("change", apply); });
  location.hash.replace(/^#/, "").split("&").forEach(function (part) {
    var pair = part.split("=");
    if (pair[0] === "hide" && pair[1]) {
      decodeURIComponent(pair[1]).split(",").forEach(function (value) {
        boxes.forEach(function (box) { if (box.value === value && box.checked) { box.click(); } });
      });
    }
    if (pair[0] === "only-findings" && !onlyFindings.checked) { onlyFindings.click(); }
  });
  apply();
  var header = document.querySelector("header");
  document.body.dataset.styled = String(header !== null && getComputedStyle(header).position === "sticky");
  document.body.dataset.ready = "true";
})();
"""


def csp_hash(text: str) -> str:
    """The CSP source expression for an inline script or style: ``'sha256-<base64>'``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy() -> str:
    """Nothing from anywhere, except this page's own script and style (by hash)."""
    return (
        f"default-src 'none'; script-src {csp_hash(SCRIPT)}; style-src {csp_hash(STYLE)}; "
        "base-uri 'none'; form-action 'none'"
    )


def _e(text: object) -> str:
    return escape(str(text), quote=True)


@dataclass
class _Ids:
    """Element ids for one page: citations per document, entries by key, findings in order."""

    entries: dict[str, str]
    counter: int = 0

    def diagnostic(self) -> str:
        self.counter += 1
        return f"f{self.counter}"


def write(report: Report, stream: TextIO) -> None:
    """Write the report as one self-contained HTML page."""
    from notecheck import __version__

    entries = _entries_cited(report)
    ids = _Ids({key: f"entry-{number}" for number, key in enumerate(entries, start=1)})
    title = ", ".join(d.path for d in report.documents) or "no documents"
    stream.write(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(content_security_policy())}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>notecheck: {_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    )
    stream.write(_header(report, __version__))
    stream.write("<main>\n")
    if report.diagnostics:
        stream.write('<section id="tool"><h2>Configuration and tool</h2>\n')
        stream.write(_diagnostic_list(report.diagnostics, ids, None))
        stream.write("</section>\n")
    for number, document in enumerate(report.documents, start=1):
        _write_document(document, number, ids, stream)
    stream.write(_bibliography(report, entries, ids))
    stream.write(_legend())
    stream.write(f"</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n")


def render(report: Report) -> str:
    """The HTML page as a string (see :func:`write`)."""
    import io

    buffer = io.StringIO()
    write(report, buffer)
    return buffer.getvalue()


def _header(report: Report, version: str) -> str:
    summary = report.summary
    everything = report.all_diagnostics()
    statuses: Counter[str] = Counter()
    for document in report.documents:
        if document.parsed is not None:
            for citation in document.parsed.all_citations():
                statuses[str(document.resolution.of(citation).status)] += 1
    bib = report.bibliography
    bib_text = f"{_e(bib.path)} ({bib.entries} entries)" if bib.path else "none"
    counts = [
        ("notes", "Notes", summary.notes),
        ("citations", "Citations", summary.citations),
        *((f"status-{s}", s.value, statuses[s.value]) for s in Status if statuses[s.value]),
        ("error", "Errors", summary.errors),
        ("warning", "Warnings", summary.warnings),
        ("info", "Info", summary.info),
        ("suppressed", "Suppressed", summary.suppressed),
    ]
    parts = [
        "<header>\n<h1>notecheck report</h1>\n",
        f'<p class="meta">notecheck {_e(version)} · {summary.documents} document(s) · bibliography: {bib_text}</p>\n',
        '<dl class="summary" id="summary">',
        *(
            f'<div class="{_e(c)}"><dt>{_e(label)}</dt><dd data-count="{_e(c)}">{n}</dd></div>'
            for c, label, n in counts
        ),
        "</dl>\n",
        _filters(everything),
        '<p id="shown" aria-live="polite"></p>\n</header>\n',
    ]
    return "".join(parts)


def _filters(diagnostics: Sequence[Diagnostic]) -> str:
    severities: Counter[str] = Counter("suppressed" if d.suppressed else str(d.severity) for d in diagnostics)
    codes: Counter[str] = Counter(d.code for d in diagnostics)
    boxes = ['<div id="filters"><fieldset><legend>Severity</legend>']
    for severity in ("error", "warning", "info", "suppressed"):
        checked = "" if severity == "suppressed" else " checked"
        boxes.append(
            f'<label><input type="checkbox" data-filter="severity" value="{severity}"{checked}> '
            f"{severity} ({severities[severity]})</label>"
        )
    boxes.append("</fieldset><fieldset><legend>Rules</legend>")
    for code in sorted(codes):
        boxes.append(
            f'<label><input type="checkbox" data-filter="code" value="{_e(code)}" checked> '
            f"{_e(code)} ({codes[code]})</label>"
        )
    boxes.append(
        '</fieldset><label><input type="checkbox" id="only-findings"> only notes with findings</label></div>\n'
    )
    return "".join(boxes)


def _write_document(document: DocumentReport, number: int, ids: _Ids, stream: TextIO) -> None:
    edition = document.edition
    fmt = f" <small>({_e(document.format)})</small>" if edition is not None else ""
    stream.write(f'<section class="document" id="doc-{number}">\n<h2>{_e(document.path)}{fmt}</h2>\n')
    placed, loose = _place(document)
    if loose:
        stream.write(_diagnostic_list(loose, ids, None))
    if edition is not None:
        citations = document.parsed.citations if document.parsed is not None else {}
        for note in edition.notes:
            found = placed.get(note.index, [])
            stream.write(_note(document, number, note, citations.get(note.index, ()), found, ids))
    stream.write("</section>\n")


def _place(document: DocumentReport) -> tuple[dict[int, list[Diagnostic]], list[Diagnostic]]:
    """Each finding to its note (by note index, else by position); the rest to the document."""
    placed: dict[int, list[Diagnostic]] = {}
    loose: list[Diagnostic] = []
    notes = document.edition.notes if document.edition is not None else ()
    ranges = [(n.line, n.end_line, n.index) for n in notes]
    known = {n.index for n in notes}
    for diagnostic in document.diagnostics:
        index = diagnostic.note_index
        if index is None or index not in known:
            line = diagnostic.span.line
            index = next((i for start, end, i in ranges if start <= line <= end), None)
            if diagnostic.span.path != document.path:
                index = None
        if index is None:
            loose.append(diagnostic)
        else:
            placed.setdefault(index, []).append(diagnostic)
    return placed, loose


def _note(
    document: DocumentReport,
    doc_number: int,
    note: Note,
    citations: Sequence[Citation],
    diagnostics: list[Diagnostic],
    ids: _Ids,
) -> str:
    note_id = f"d{doc_number}-note-{note.index}"
    numbered = [(d, ids.diagnostic()) for d in diagnostics]
    text, anchored = _note_text(document, doc_number, note, citations, numbered, ids)
    on_label = [
        (d, n)
        for d, n in numbered
        if n not in anchored
        and (d.span.line, d.span.column) == (note.label_span.line, note.label_span.column)
    ]
    label = _e(note.label)
    if on_label:
        names = " ".join(n for _, n in on_label)
        worst = min((d.severity for d, _ in on_label), key=lambda sev: _SEVERITY_RANK[sev])
        label = f'<mark class="diag sev-{worst}" id="m-{on_label[0][1]}" data-diags="{names}">{label}</mark>'
        label += "".join(f'<span class="anchor" id="m-{n}"></span>' for _, n in on_label[1:])
        anchored |= {n for _, n in on_label}
    shown_number = str(note.number) if note.number is not None else "?"
    details = [f"line {note.line}"]
    if on_label or note.label.rstrip(".)") != shown_number:
        details.append(f"printed “{label}”")
    if note.number != note.index:
        details.append(f"note {note.index} in order")
    head = (
        f'<div class="note-head"><a class="label" href="#{note_id}">{_e(shown_number)}</a>'
        f"{' · '.join(details)}</div>"
    )
    listing = _diagnostic_list([d for d, _ in numbered], ids, [i for _, i in numbered], anchored)
    return (
        f'<article class="note" id="{note_id}" data-findings="{len(diagnostics)}">{head}'
        f'<div class="note-text">{text}</div>{listing}</article>\n'
    )


def _diagnostic_list(
    diagnostics: Sequence[Diagnostic],
    ids: _Ids,
    numbers: Sequence[str] | None,
    anchored: set[str] | None = None,
) -> str:
    """Findings as list items; those whose span is marked in the note link to the mark."""
    if not diagnostics:
        return '<ul class="diagnostics"></ul>'
    items = []
    for position, diagnostic in enumerate(diagnostics):
        number = numbers[position] if numbers is not None else ids.diagnostic()
        items.append(_diagnostic_item(diagnostic, number, marked=number in (anchored or ())))
    return '<ul class="diagnostics">' + "".join(items) + "</ul>"


def _diagnostic_item(diagnostic: Diagnostic, number: str, *, marked: bool) -> str:
    span = diagnostic.span
    severity = "suppressed" if diagnostic.suppressed else str(diagnostic.severity)
    classes = f"diag sev-{diagnostic.severity}" + (" suppressed" if diagnostic.suppressed else "")
    where = f"{span.line}:{span.column}"
    if marked:
        where_html = f'<a class="where" href="#m-{number}" title="show the marked text">{where}</a>'
    else:
        where_html = f'<span class="where">{_e(span.path)}:{where}</span>'
    parts = [
        f'<li class="{classes}" id="{number}" data-severity="{severity}" data-code="{_e(diagnostic.code)}">',
        f'{where_html} <span class="code">{_e(diagnostic.code)}</span> {_e(diagnostic.message)}',
    ]
    if diagnostic.fix is not None:
        fix = diagnostic.fix
        label = "fix" if fix.applicability == "safe" else "unsafe fix"
        parts.append(f'<span class="fix">{label}: replace with “{_e(fix.replacement)}”</span>')
    if diagnostic.suppressed:
        reason = diagnostic.suppression or "suppressed"
        if diagnostic.justification:
            reason += f": {diagnostic.justification}"
        parts.append(f'<span class="why">suppressed ({_e(reason)})</span>')
    parts.append("</li>")
    return "".join(parts)


def _text_offset(note: Note, source_offset: int) -> int | None:
    """The note-text offset of a source offset, or None if it is outside the note's text."""
    for text_start, source_start, text_length, source_length in note.text_map.pieces:
        if source_start <= source_offset <= source_start + source_length:
            if text_length == source_length:
                return text_start + (source_offset - source_start)
            return text_start if source_offset == source_start else text_start + text_length
    return None


def _note_text(
    document: DocumentReport,
    doc_number: int,
    note: Note,
    citations: Sequence[Citation],
    numbered: Sequence[tuple[Diagnostic, str]],
    ids: _Ids,
) -> tuple[str, set[str]]:
    """The note's text with citations as links and findings as marks (never overlapping tags).

    Returns the HTML and the ids of the findings whose span is marked in it.
    """
    text = note.text
    size = len(text)
    spans: list[tuple[int, int, str, Severity]] = []
    for diagnostic, number in numbered:
        if diagnostic.span.path != note.source.path:
            continue
        source = note.source
        start = _text_offset(note, source.offset(diagnostic.span.line, diagnostic.span.column))
        end = _text_offset(note, source.offset(diagnostic.span.end_line, diagnostic.span.end_column))
        if start is None and end is None:
            continue
        start = start if start is not None else 0
        end = max(start, end if end is not None else size)
        spans.append((start, min(end, size), number, diagnostic.severity))
    links = _citation_links(document, doc_number, citations, ids, size)
    cuts = {0, size}
    for start, end, _, _ in spans:
        cuts.update((start, end))
    for start, end, _ in links:
        cuts.update((start, end))
    out: list[str] = []
    anchored: set[str] = set()
    open_link: tuple[int, int, str] | None = None
    points = sorted((s, n, sev) for s, e, n, sev in spans if s == e)
    ordered = sorted(cuts)
    for left, right in zip(ordered, [*ordered[1:], size + 1], strict=True):
        for at, number, severity in points:
            if at == left:
                anchored.add(number)
                out.append(
                    f'<mark class="diag point sev-{severity}" id="m-{number}" data-diags="{number}"></mark>'
                )
        if right > size:
            break
        link = next((k for k in links if k[0] <= left and right <= k[1]), None)
        if link is not open_link:
            if open_link is not None:
                out.append("</a>")
            if link is not None:
                out.append(link[2])
            open_link = link
        covering = [(n, sev) for s, e, n, sev in spans if s <= left and right <= e and s < e]
        piece = _e(text[left:right])
        if covering:
            worst = min((sev for _, sev in covering), key=lambda sev: _SEVERITY_RANK[sev])
            names = " ".join(n for n, _ in covering)
            pending = [n for n, _ in covering if n not in anchored]
            anchor = f' id="m-{pending[0]}"' if pending else ""
            # A piece has one id; findings that start on it too get an empty anchor before it.
            out.extend(f'<span class="anchor" id="m-{n}"></span>' for n in pending[1:])
            anchored.update(pending)
            title = f' title="{_e(names)}"'
            piece = f'<mark class="diag sev-{worst}"{anchor} data-diags="{names}"{title}>{piece}</mark>'
        out.append(piece)
    if open_link is not None:
        out.append("</a>")
    return "".join(out), anchored


def _citation_links(
    document: DocumentReport, doc_number: int, citations: Sequence[Citation], ids: _Ids, size: int
) -> list[tuple[int, int, str]]:
    """The opening tag of each citation's link, by note-text range (overlaps dropped)."""
    links: list[tuple[int, int, str]] = []
    cursor = 0
    for citation in sorted(citations, key=lambda c: (c.start, c.end)):
        if not (cursor <= citation.start < citation.end <= size):
            continue
        resolved = document.resolution.of(citation)
        target = ""
        if citation.form == Form.IBID and resolved.antecedent:
            target = f"#d{doc_number}-{resolved.antecedent}"
        elif resolved.key is not None and resolved.key in ids.entries:
            target = f"#{ids.entries[resolved.key]}"
        title = [str(citation.form), str(resolved.status)]
        if resolved.key:
            title.append(resolved.key)
        if resolved.antecedent:
            title.append(f"repeats {resolved.antecedent}")
        if resolved.candidates and resolved.status != Status.RESOLVED:
            title.append("candidates: " + ", ".join(resolved.candidates))
        if resolved.suggestions:
            title.append("did you mean: " + ", ".join(resolved.suggestions))
        href = f' href="{_e(target)}"' if target else ""
        tag = (
            f'<a class="cite form-{_e(citation.form)} status-{_e(resolved.status)}" '
            f'id="d{doc_number}-{_e(citation.id)}"{href} title="{_e(" · ".join(title))}" '
            f'data-key="{_e(resolved.key or "")}">'
        )
        links.append((citation.start, citation.end, tag))
        cursor = citation.end
    return links


def _entries_cited(report: Report) -> list[str]:
    """Keys of the bibliography entries the page links to or names, in order of first use."""
    bibliography = report.bibliography.bibliography
    if bibliography is None:
        return []
    seen: dict[str, None] = {}
    for document in report.documents:
        if document.parsed is None:
            continue
        for citation in document.parsed.all_citations():
            resolved = document.resolution.of(citation)
            for key in (resolved.key, *resolved.candidates, *resolved.suggestions):
                if key is not None and key in bibliography.entries:
                    seen.setdefault(key, None)
    return list(seen)


def _bibliography(report: Report, keys: Iterable[str], ids: _Ids) -> str:
    bib = report.bibliography
    parts = ['<section id="bibliography">']
    parts.append(f"<h2>Bibliography{': ' + _e(bib.path) if bib.path else ''}</h2>")
    if bib.diagnostics:
        parts.append(_diagnostic_list(bib.diagnostics, ids, None))
    entries = bib.bibliography.entries if bib.bibliography is not None else {}
    listed = [k for k in keys if k in entries]
    if listed:
        parts.append(f'<h3>Entries cited ({len(listed)})</h3><dl class="entries">')
        for key in listed:
            parts.append(
                f'<dt class="entry" id="{ids.entries[key]}">{_e(key)}</dt><dd>{_e(format_entry(entries[key]))}</dd>'
            )
        parts.append("</dl>")
    if bib.unused:
        parts.append(f"<h3>Entries never cited ({len(bib.unused)})</h3><p>")
        parts.append(", ".join(f"<code>{_e(k)}</code>" for k in bib.unused))
        parts.append("</p>")
    parts.append("</section>\n")
    return "".join(parts)


def format_entry(entry: Entry) -> str:
    """A bibliography entry as one plain line: authors, title, container, place, publisher, year."""
    fields = entry.fields
    if entry.authors:
        who = "; ".join(f"{n.last}, {n.first}".strip(", ") for n in entry.authors)
    else:
        who = fields.get("author", "") or fields.get("editor", "")
    pieces = [
        who,
        fields.get("title", ""),
        fields.get("journal", "") or fields.get("journaltitle", "") or fields.get("booktitle", ""),
        fields.get("volume", ""),
        ": ".join(
            p
            for p in (fields.get("address", "") or fields.get("location", ""), fields.get("publisher", ""))
            if p
        ),
        entry.year,
        fields.get("pages", ""),
    ]
    cleaned = (" ".join(p.replace("{", "").replace("}", "").split()).rstrip(".") for p in pieces)
    line = ". ".join(p for p in cleaned if p)
    return f"{line} [{entry.entry_type}]" if line else f"[{entry.entry_type}]"


def _legend() -> str:
    forms = "".join(f'<span><a class="cite form-{f}">{f}</a></span>' for f in Form)
    statuses = "".join(f'<span><a class="cite form-full status-{s}">{s}</a></span>' for s in Status)
    return (
        f'<footer class="legend"><p>Citation forms: {forms}</p><p>Resolution: {statuses}</p>'
        "<p>Links go from a citation to its bibliography entry, and from an ibid to the citation it "
        "repeats. Marked text carries a finding; the list beside each note explains it.</p></footer>\n"
    )
