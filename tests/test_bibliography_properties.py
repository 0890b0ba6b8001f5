"""Properties of the bibliography loader: round trips from BibTeX and CSL-JSON, never a crash."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bibtexparser import Library, write_string
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.model import Entry as BibtexEntry
from bibtexparser.model import Field
from hypothesis import given
from hypothesis import strategies as st

from notecheck.bibliography import (
    fold,
    load_bibliography_bytes,
    load_bibliography_text,
    split_names,
)
from notecheck.models import Name

# ------------------------------------------------------------------------------ generated entries

_TEXT_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;!?()&/'=@éüžčʹЖ"
text_values = (
    st.text(_TEXT_ALPHABET, min_size=1, max_size=40)
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and "''" not in s)
)
name_words = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from("ABCDEFGKLMNOPRSTVZŽČ"),
    st.text("abcdefghijklmnoprstuvzž'", min_size=0, max_size=8),
).filter(lambda word: "''" not in word)  # TeX's closing quote, decoded as such
names = st.builds(
    lambda first, last: Name(first=" ".join(first), last=" ".join(last)),
    st.lists(name_words, min_size=1, max_size=2),
    st.lists(name_words, min_size=1, max_size=2),
)
years = st.integers(1000, 2099).map(str)

#: biblatex type -> (CSL type, required text fields, names: "author"/"editor")
TYPES = {
    "book": ("book", (), "author"),
    "collection": ("book", (), "editor"),
    "article": ("article-journal", ("journaltitle",), "author"),
    "incollection": ("chapter", ("booktitle",), "author"),
    "thesis": ("thesis", ("type", "institution"), "author"),
    "report": ("report", ("type", "institution"), "author"),
    "unpublished": ("manuscript", (), "author"),
    "misc": ("document", (), "author"),
}
#: optional biblatex field -> CSL variable (publisher is institution for thesis and report)
OPTIONAL = {
    "location": "publisher-place",
    "publisher": "publisher",
    "volume": "volume",
    "pages": "page",
    "shorttitle": "title-short",
    "note": "note",
    "edition": "edition",
}
CSL_OF = {
    "title": "title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "type": "genre",
    "institution": "publisher",
    **OPTIONAL,
}


@dataclass
class Spec:
    key: str
    entry_type: str
    fields: dict[str, str]
    people: list[Name] = field(default_factory=list)

    @property
    def role(self) -> str:
        return TYPES[self.entry_type][2]


@st.composite
def specs(draw: st.DrawFn, key: str) -> Spec:
    entry_type = draw(st.sampled_from(sorted(TYPES)))
    required = TYPES[entry_type][1]
    fields = {"title": draw(text_values), "year": draw(years)}
    for name in required:
        fields[name] = draw(text_values)
    for name in draw(st.sets(st.sampled_from(sorted(OPTIONAL)), max_size=4)):
        if name == "publisher" and entry_type in ("thesis", "report"):
            continue
        fields[name] = draw(text_values)
    return Spec(key, entry_type, fields, draw(st.lists(names, min_size=1, max_size=3)))


@st.composite
def bibliographies(draw: st.DrawFn) -> list[Spec]:
    keys = draw(
        st.lists(st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True), min_size=1, max_size=6, unique=True)
    )
    return [draw(specs(key)) for key in keys]


def name_text(name: Name) -> str:
    return f"{name.last}, {name.first}"


def to_bibtex(entries: list[Spec]) -> str:
    library = Library()
    for spec in entries:
        fields = [Field(name, value) for name, value in spec.fields.items()]
        fields.append(Field(spec.role, " and ".join(name_text(n) for n in spec.people)))
        library.add(BibtexEntry(spec.entry_type, spec.key, fields))
    return str(write_string(library))


def to_csl(entries: list[Spec]) -> str:
    items = []
    for spec in entries:
        item: dict[str, object] = {"id": spec.key, "type": TYPES[spec.entry_type][0]}
        for name, value in spec.fields.items():
            if name == "year":
                item["issued"] = {"date-parts": [[int(value)]]}
            else:
                item[CSL_OF[name]] = value
        item[spec.role] = [{"family": n.last, "given": n.first} for n in spec.people]
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=1)


def expected_fields(spec: Spec) -> dict[str, str]:
    return {**spec.fields, spec.role: " and ".join(name_text(n) for n in spec.people)}


def check_round_trip(entries: list[Spec], text: str, path: str) -> None:
    bib = load_bibliography_text(text, path)
    assert [(d.code, d.message) for d in bib.diagnostics] == []
    assert list(bib.entries) == [spec.key for spec in entries]
    for spec in entries:
        entry = bib.entries[spec.key]
        assert entry.entry_type == spec.entry_type
        assert dict(entry.fields) == expected_fields(spec)
        assert list(entry.authors if spec.role == "author" else entry.editors) == spec.people
        covered = "\n".join(text.splitlines()[entry.span.line - 1 : entry.span.end_line])
        assert spec.key in covered


@given(bibliographies())
def test_generated_entries_load_back_from_bibtex(entries: list[Spec]) -> None:
    check_round_trip(entries, to_bibtex(entries), "generated.bib")


@given(bibliographies())
def test_generated_entries_load_back_from_csl_json(entries: list[Spec]) -> None:
    check_round_trip(entries, to_csl(entries), "generated.json")


@given(bibliographies())
def test_bibtex_and_csl_json_load_into_the_same_entries(entries: list[Spec]) -> None:
    from_bibtex = load_bibliography_text(to_bibtex(entries), "a.bib")
    from_csl = load_bibliography_text(to_csl(entries), "a.json")
    for key, entry in from_bibtex.entries.items():
        other = from_csl.entries[key]
        assert (entry.entry_type, dict(entry.fields)) == (other.entry_type, dict(other.fields))
        assert (entry.authors, entry.editors) == (other.authors, other.editors)


# ------------------------------------------------------------------------------ robustness

_BIB_ALPHABET = "@{}(),=\"#%\\ \n\tabcxyz0123ABé'~-"


@given(st.text(_BIB_ALPHABET, max_size=300))
def test_any_bibtex_text_loads_without_raising(text: str) -> None:
    bib = load_bibliography_text(text, "any.bib")
    lines = text.count("\n") + text.count("\r") + 1
    for diagnostic in bib.diagnostics:
        assert 1 <= diagnostic.span.line <= diagnostic.span.end_line <= lines
        assert diagnostic.span.column >= 1


@given(st.text(max_size=200))
def test_any_unicode_text_loads_without_raising(text: str) -> None:
    load_bibliography_text(text, "any.bib")
    load_bibliography_text(text, "any.json")


@given(st.binary(max_size=300))
def test_any_bytes_load_without_raising(data: bytes) -> None:
    bib = load_bibliography_bytes(data, "any.bib")
    assert bib.diagnostics or bib.entries


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["id", "type", "title", "author", "issued", "editor", "page"]),
                inner,
                max_size=4,
            )
        ),
        max_leaves=12,
    )
)
def test_any_json_loads_without_raising(document: object) -> None:
    load_bibliography_text(json.dumps(document), "any.json")
    load_bibliography_text(json.dumps([document]), "any.json")


# ------------------------------------------------------------------------------ fast paths agree


any_case_names = st.builds(
    lambda first, last: Name(first=" ".join(first), last=" ".join(last)),
    st.lists(
        name_words | st.text("abcdežč'", min_size=1, max_size=6).filter(lambda w: "''" not in w),
        min_size=1,
        max_size=2,
    ),
    st.lists(name_words | st.sampled_from(["von", "de", "la"]), min_size=1, max_size=2),
)


@given(st.lists(any_case_names, min_size=1, max_size=4), st.booleans())
def test_name_fast_path_agrees_with_bibtexparser(people: list[Name], last_first: bool) -> None:
    text = " and ".join(name_text(n) if last_first else f"{n.first} {n.last}" for n in people)
    fast, problems = split_names(text)
    assert problems == []
    slow = [
        parse_single_name_into_parts(person, strict=False) for person in split_multiple_persons_names(text)
    ]
    assert [(n.first, n.von, n.last, n.jr) for n in fast] == [
        (" ".join(p.first), " ".join(p.von), " ".join(p.last), " ".join(p.jr)) for p in slow
    ]


@given(st.text(max_size=60))
def test_fold_is_idempotent_and_plain(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert folded == folded.casefold().strip()
    assert not any(c in folded for c in "'’ʹ\"-–")
