"""Benchmark corpus: deterministic Chicago-style notes at scale, with their BibTeX and the truth.

A thin wrapper around the test suite's generator (``tests/chicago.py``): :class:`ChicagoSequence`
writes the notes — full first citations, short forms, ibid. with and without locators, several
works per note, commentary — and knows what every citation must resolve to. This module widens
its pool from 8 works to a bibliography of any size (distinct generated surnames and titles, so
the corpus exercises indexed look-ups over thousands of entries), and adds archival references
(``RGASPI, f. 17, op. 3, d. 1204, ll. 5-7``) to ``@misc`` file entries, archive-level ibid., and
commentary after citations.

The same ``(notes, entries, seed)`` always gives the same files, byte for byte.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.chicago import (  # noqa: E402
    COMMENTARY,
    FIRST,
    INITIALS,
    TITLE_HEADS,
    ChicagoSequence,
    Expected,
    GeneratedNote,
    Listed,
    Resolved,
    bibtex_entry,
)

SYLLABLES = (
    "ka",
    "ro",
    "vin",
    "mel",
    "sto",
    "bar",
    "dan",
    "le",
    "pet",
    "ush",
    "gor",
    "nik",
    "tal",
    "mir",
    "ze",
    "bro",
    "fen",
    "hol",
    "is",
    "jak",
)
ENDINGS = ("ov", "ski", "man", "son", "er", "ova", "in", "ley", "berg", "ton")
ADJECTIVES = (
    "Red",
    "Silent",
    "Iron",
    "Distant",
    "Common",
    "Hidden",
    "Broken",
    "New",
    "Old",
    "Urban",
    "Rural",
    "Foreign",
    "Sacred",
    "Bitter",
    "Open",
)
NOUNS = (
    "Factory",
    "Village",
    "Workers",
    "Empire",
    "Frontier",
    "Memory",
    "Reform",
    "Rebellion",
    "Commune",
    "Harvest",
    "Bureaucracy",
    "Republic",
    "Faith",
    "Market",
    "Household",
)
PLACES = (
    "Moscow",
    "the Volga",
    "Petersburg",
    "Siberia",
    "Odessa",
    "Kiev",
    "the Urals",
    "Baku",
    "Riga",
    "Tiflis",
)
ARCHIVES = ("RGASPI", "GARF", "RGALI", "RGIA", "RGAE")
COMMENT_TAILS = (
    *COMMENTARY,
    "I am grateful to the archivists for their help with this file.",
    "The translation is mine throughout.",
)


#: Notes per file: a corpus larger than this is several files (the text reader reads note numbers
#: of up to five digits, and a back catalogue is many documents anyway).
PER_FILE = 20_000


@dataclass(frozen=True)
class Corpus:
    """A generated corpus on disk: one or more text files and their bibliography."""

    notes: int
    entries: int
    texts: tuple[Path, ...]
    bib: Path
    truth: Path  # JSON: {file name: [[citation id, key or null, status], ...]}


class BenchSequence(ChicagoSequence):
    """:class:`ChicagoSequence` over a bibliography of ``entries`` works and archival files."""

    def __init__(self, seed: int, entries: int) -> None:
        self.size = entries - max(2, entries // 25)  # works; the rest are archival files
        self.names: set[str] = set()
        self.titles: set[str] = set()
        super().__init__(seed)
        self.by_work = {id(item.work): item for item in self.pool}
        self.files = self._files(entries - self.size)

    def restart(self, seed: int) -> None:
        """Start a new document: numbering, first citations and ibid. begin again (same pool)."""
        self.random = random.Random(seed)
        self.cited = set()
        self.previous = []
        self.last_single = None
        self.number = 0

    # -- the pool ----------------------------------------------------------------------------
    def _surname(self) -> str:
        r = self.random
        while True:
            name = "".join(r.choice(SYLLABLES) for _ in range(r.choice((1, 2, 2, 3)))) + r.choice(ENDINGS)
            name = name.capitalize()
            if name not in self.names:
                self.names.add(name)
                return name

    def _head(self) -> str:
        r = self.random
        while True:
            head = f"The {r.choice(ADJECTIVES)} {r.choice(NOUNS)}"
            if r.random() < 0.7:
                head += f" of {r.choice(PLACES)}"
            if r.random() < 0.3:
                head = f"{r.choice(NOUNS)} and t{head[1:]}"
            if head not in self.titles and head not in TITLE_HEADS:
                self.titles.add(head)
                return head
            if len(self.titles) > 4 * len(ADJECTIVES) * len(NOUNS) * len(PLACES):
                head += f" {len(self.titles)}"
                self.titles.add(head)
                return head

    def _pool(self) -> list[Listed]:
        listed = super()._pool()  # the designed cases: one author twice, a shared surname, a missing work
        keys = {item.key for item in listed}
        kinds = ("book", "book", "book", "edited", "article", "chapter", "thesis", "translated")
        r = self.random
        while len(listed) < self.size + 1:  # the pool's one unlisted work is not in the bibliography
            work = self._work(len(listed))
            work.kind, work.quoted = "book", False
            work.container = work.volume = work.issue = work.institution = work.date = ""
            work.editors = work.translators = ()
            work.authors = tuple(
                f"{r.choice(FIRST)}{r.choice(INITIALS)} {self._surname()}"
                for _ in range(r.choice((1, 1, 1, 2)))
            )
            head = self._head()
            work.short_title = head
            work.title = head + r.choice(("", ": A Social History", ", 1890-1917", ": Essays"))
            self._shape(work, r.choice(kinds))
            names = work.authors or work.editors
            key = names[0].split()[-1].lower() + work.year
            while key in keys:
                key += "a"
            keys.add(key)
            short = " and ".join(n.split()[-1] for n in names[:2])
            listed.append(Listed(work, key, listed=True, short_names=short))
        return listed

    def _files(self, count: int) -> list[tuple[str, str, str, str, str, str]]:
        """Archival files: (key, archive, fond, opis, unit kind, unit)."""
        r = self.random
        files = []
        seen = set()
        while len(files) < count:
            archive = r.choice(ARCHIVES)
            fond, opis, unit = str(r.randint(1, 9999)), str(r.randint(1, 120)), str(r.randint(1, 99999))
            kind = r.choice(("d.", "d.", "ed. khr."))
            key = f"{archive.lower()}-f{fond}-op{opis}-{'d' if kind == 'd.' else 'ekh'}{unit}"
            if key in seen:
                continue
            seen.add(key)
            files.append((key, archive, fond, opis, kind, unit))
        return files

    @property
    def bibtex(self) -> str:
        entries = [bibtex_entry(item) for item in self.pool if item.listed]
        for key, archive, fond, opis, kind, unit in self.files:
            unit_field = "delo" if kind == "d." else "edkhr"
            entries.append(
                f"@misc{{{key},\n  title = {{File {unit} of fond {fond}}},\n  archive = {{{archive}}},\n"
                f"  fond = {{{fond}}},\n  opis = {{{opis}}},\n  {unit_field} = {{{unit}}},\n}}\n"
            )
        return "\n".join(entries)

    # -- notes -------------------------------------------------------------------------------
    def short(self, work: object) -> tuple[str, str, tuple[tuple[int, int], ...]]:
        item = self.by_work[id(work)]  # the parent searches the pool: linear in its size
        loc, ranges, kind = self.locator()
        title = self._title(item.work, item.work.short_title)
        separator = " " if item.work.quoted else ", "
        return f"{item.short_names}, {title}{separator}{loc}", kind, ranges

    def _leaves(self) -> str:
        r = self.random
        start = r.randint(1, 300)
        if r.random() < 0.5:
            return f"l. {start}"
        return f"ll. {start}-{start + r.randint(1, 9)}"

    def _archival_note(self) -> tuple[GeneratedNote, list[Resolved]]:
        r = self.random
        key, archive, fond, opis, kind, unit = r.choice(self.files)
        lead = r.choice(("", "", "See "))
        text = f"{archive}, f. {fond}, op. {opis}, {kind} {unit}, {self._leaves()}"
        start = len(lead)
        note = GeneratedNote(lead + text + ".", [Expected("archival", start, start + len(text))])
        self.previous = [(f"n{self.number}c1", -1 - self.files.index((key, archive, fond, opis, kind, unit)))]
        return note, [Resolved(key, "resolved", None, frozenset({key}))]

    def _next(self, expected: dict[str, Resolved]) -> tuple[GeneratedNote, list[Resolved]]:
        if self.number > 1 and self.random.random() < 0.08:
            return self._archival_note()
        note, resolved = super()._next(expected)
        if note.citations and self.random.random() < 0.15:  # commentary after the citations
            note.text += " " + self.random.choice(COMMENT_TAILS)
        return note, resolved


def generate(notes: int, entries: int, folder: Path, seed: int = 10, per_file: int = PER_FILE) -> Corpus:
    """Write (or reuse) the corpus of ``notes`` notes over ``entries`` bibliography entries.

    Each file is its own sequence of notes (numbered from 1, its own first citations and ibid.),
    all citing one pool of works: the one bibliography.
    """
    folder = folder / f"corpus-{notes}-{entries}-s{seed}"
    count = max(1, -(-notes // per_file))
    texts = tuple(folder / f"part-{number:03d}.txt" for number in range(1, count + 1))
    corpus = Corpus(notes, entries, texts, folder / "bibliography.bib", folder / "truth.json")
    if corpus.bib.exists() and corpus.truth.exists() and all(t.exists() for t in texts):
        return corpus
    folder.mkdir(parents=True, exist_ok=True)
    sequence = BenchSequence(seed, entries)
    truth: dict[str, list[tuple[str, str | None, str]]] = {}
    left = notes
    for number, path in enumerate(texts):
        size = min(per_file, left)
        left -= size
        sequence.restart(seed * 1000 + number)
        lines = ["Notes\n"]
        found = truth[path.name] = []
        expected: dict[str, Resolved] = {}
        for _ in range(size):
            sequence.number += 1
            note, resolved = sequence._next(expected)
            lines.append(f"{sequence.number}. {note.text}\n")
            for k, item in enumerate(resolved, start=1):
                found.append((f"n{sequence.number}c{k}", item.key, item.status))
                expected[f"n{sequence.number}c{k}"] = item
        path.write_text("".join(lines), encoding="utf-8")
    corpus.bib.write_text(sequence.bibtex, encoding="utf-8")
    corpus.truth.write_text(json.dumps(truth), encoding="utf-8")
    return corpus


def bibliography_only(entries: int, folder: Path, seed: int = 11) -> Path:
    """A BibTeX file of ``entries`` entries (for load-time measurements)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bib-{entries}-s{seed}.bib"
    if not path.exists():
        path.write_text(BenchSequence(seed, entries).bibtex, encoding="utf-8")
    return path


if __name__ == "__main__":
    made = generate(
        int(sys.argv[1]),
        int(sys.argv[2]),
        Path(sys.argv[3]) if len(sys.argv) > 3 else ROOT / "bench" / ".corpus",
    )
    print(made)
