"""A generator of Chicago-style endnotes (notes and bibliography, 18th ed.) with known citations.

Written by hand after the Chicago Manual of Style, 18th ed., chapter 14 (and the CSL style
``chicago-notes-bibliography-subsequent-ibid``, which it follows): the first citation of a work
is full, later ones short (``Author, Short Title, page``); a note that repeats the source of the
note just before it may use ``Ibid.`` with or without a page; several works in one note are
joined by ``;`` (or ``; and``); signals (``See``, ``Cf.``, ``See also``, ``Quoted in``) lead a
citation. Options switch to what reference managers write: typographic quotes and apostrophes
and en dashes.

Every generated note comes with the citations it holds, their offsets in the note's text and the
fields the splitter must read, so tests compare the parse against the truth.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

FIRST = ("Jane", "Robert", "Anna", "Michael", "Olga", "David", "Sarah", "Peter", "Maria", "Thomas")
INITIALS = ("", "", " A.", " M.", " R.", " J. L.")
LAST = (
    "Smith",
    "Fitzpatrick",
    "Kotkin",
    "Suny",
    "O'Brien",
    "Hellbeck",
    "Engelstein",
    "Bonnell",
    "Steinberg",
    "Koenker",
    "McCaffray",
    "Wynn",
)
TITLE_HEADS = (
    "Workers and Revolution",
    "The Making of a City",
    "Moral Communities",
    "Roots of Rebellion",
    "Voices of Revolution",
    "Magnetic Mountain",
    "Stalin's Peasants",
    "The Workers' Revolution in Russia",
    "Everyday Stalinism",
    "Proletarian Imagination",
    "Soviet Civilization",
    "Revolution on My Mind",
)
SUBTITLES = (
    "",
    "",
    ": Self, Society, and the State",
    ": A Social History",
    ", 1900-1914",
    ": Writing a Diary",
)
PLACES = (
    ("Chicago", "University of Chicago Press"),
    ("New York", "Knopf"),
    ("Oxford", "Oxford University Press"),
    ("Cambridge, MA", "Harvard University Press"),
    ("Ithaca, NY", "Cornell University Press"),
    ("Berkeley", "University of California Press"),
)
JOURNALS = ("Slavic Review", "Journal of Modern History", "Russian Review", "Kritika", "Past and Present")
NEWSPAPERS = ("Chicago Tribune", "New York Times", "Pravda")
MONTHS = ("January", "March", "April", "August", "October", "December")
SIGNALS = ("See", "Cf.", "See also", "Quoted in")
COMMENTARY = (
    "This point is developed further in the next chapter.",
    "On the background to these events there is a large literature.",
    "The figures are approximate.",
)


@dataclass
class Work:
    """One work the generated notes cite."""

    kind: str  # book | edited | translated | chapter | article | thesis | newspaper
    authors: tuple[str, ...]
    title: str
    short_title: str
    year: str
    place: str = ""
    publisher: str = ""
    container: str = ""
    volume: str = ""
    issue: str = ""
    editors: tuple[str, ...] = ()
    translators: tuple[str, ...] = ()
    institution: str = ""
    date: str = ""
    quoted: bool = False


@dataclass
class Expected:
    """A citation the splitter must find: its form, offsets and the fields it must read."""

    form: str
    start: int
    end: int
    work: Work | None = None
    ranges: tuple[tuple[int, int], ...] = ()
    locator_kind: str | None = None
    signal: str | None = None
    authors: tuple[str, ...] = ()
    title: str | None = None


@dataclass
class GeneratedNote:
    text: str
    citations: list[Expected] = field(default_factory=list)


class ChicagoWriter:
    """Writes a sequence of notes citing a pool of works, remembering what was cited where."""

    def __init__(self, seed: int = 0, *, typographic: bool = False) -> None:
        self.random = random.Random(seed)
        self.typographic = typographic
        self.cited: set[int] = set()
        self.last_single: int | None = None  # the work the previous note cited alone
        self.works = [self._work(index) for index in range(8)]

    # -- typography ----------------------------------------------------------------------------
    def quote(self, text: str) -> tuple[str, str]:
        """Opening and closing quotes (the closing one after a comma, as Chicago puts it)."""
        return ("\u201c", "\u201d") if self.typographic else ('"', '"')

    def typo(self, text: str) -> str:
        if not self.typographic:
            return text
        return text.replace("'", "\u2019").replace("-", "\u2013")

    # -- works ---------------------------------------------------------------------------------
    def _name(self) -> str:
        r = self.random
        return f"{r.choice(FIRST)}{r.choice(INITIALS)} {r.choice(LAST)}"

    def _work(self, index: int) -> Work:
        r = self.random
        kind = r.choice(("book", "book", "edited", "translated", "chapter", "article", "thesis", "newspaper"))
        authors = tuple(self._name() for _ in range(r.choice((1, 1, 1, 2, 3, 4))))
        head = r.choice(TITLE_HEADS)
        title = self.typo(head + r.choice(SUBTITLES))
        short = self.typo(head)
        year = str(r.randint(1950, 2024))
        place, publisher = r.choice(PLACES)
        work = Work(kind, authors, title, short, year, self.typo(place), publisher)
        if kind == "edited":
            work.editors, work.authors = authors[:2], ()
        elif kind == "translated":
            work.translators = (self._name(),)
        elif kind == "chapter":
            work.container = self.typo(r.choice(TITLE_HEADS))
            work.editors = (self._name(),)
            work.quoted = True
        elif kind == "article":
            work.container = r.choice(JOURNALS)
            work.volume = str(r.randint(1, 80))
            work.issue = str(r.randint(1, 4))
            work.quoted = True
        elif kind == "thesis":
            work.institution = r.choice(("University of Chicago", "University of California, Berkeley"))
            work.quoted = True
        elif kind == "newspaper":
            work.container = r.choice(NEWSPAPERS)
            work.date = f"{r.choice(MONTHS)} {r.randint(1, 28)}, {year}"
            work.quoted = True
        return work

    def _authors_full(self, names: tuple[str, ...]) -> str:
        if len(names) >= 3:
            return f"{names[0]} et al."
        return " and ".join(names)

    def _authors_short(self, names: tuple[str, ...]) -> str:
        surnames = tuple(n.split()[-1] for n in names)
        if len(surnames) >= 3:
            return f"{surnames[0]} et al."
        return " and ".join(surnames)

    def _title(self, work: Work, title: str) -> str:
        if not work.quoted:
            return title
        opening, closing = self.quote(title)
        return f"{opening}{title},{closing}"

    # -- locators ------------------------------------------------------------------------------
    def locator(self) -> tuple[str, tuple[tuple[int, int], ...], str]:
        """A page, a page list, an abbreviated range, a chapter or a roman front-matter page."""
        r = self.random
        choice = r.randrange(7)
        if choice == 0:
            start = r.choice((r.randint(3, 99), r.randint(100, 1500)))
            end = start + r.choice((1, 3, 8, 12, 40))
            return self.typo(chicago_range(start, end)), ((start, end),), "page"
        if choice == 1:
            pages = sorted(r.sample(range(2, 400), 2))
            return f"{pages[0]}, {pages[1]}", tuple((p, p) for p in pages), "page"
        if choice == 2:
            chapter = r.randint(1, 12)
            return f"chap. {chapter}", ((chapter, chapter),), "chapter"
        if choice == 3:
            return r.choice(("xi", "xiv", "vii")), (), "page"
        page = r.randint(1, 500)
        return str(page), ((page, page),), "page"

    # -- citations -----------------------------------------------------------------------------
    def full(self, work: Work, with_locator: bool = True) -> tuple[str, str, tuple[tuple[int, int], ...]]:
        """The first, full citation of a work; returns (text, locator kind, ranges)."""
        loc, ranges, kind = self.locator() if with_locator else ("", (), "")
        authors = self._authors_full(work.authors)
        parts: list[str] = []
        if work.kind == "edited":
            parts.append(
                f"{' and '.join(work.editors)}, {'eds.' if len(work.editors) > 1 else 'ed.'}, {work.title}"
            )
            text = ", ".join(parts) + f" ({work.place}: {work.publisher}, {work.year})"
        elif work.kind == "translated":
            text = f"{authors}, {work.title}, trans. {work.translators[0]} ({work.place}: {work.publisher}, {work.year})"
        elif work.kind == "chapter":
            text = (
                f"{authors}, {self._title(work, work.title)} in {work.container}, ed. {work.editors[0]} "
                f"({work.place}: {work.publisher}, {work.year})"
            )
        elif work.kind == "article":
            text = f"{authors}, {self._title(work, work.title)} {work.container} {work.volume}, no. {work.issue} ({work.year})"
            if with_locator:
                return f"{text}: {loc}", kind, ranges
            return text, kind, ranges
        elif work.kind == "thesis":
            opening, closing = self.quote(work.title)
            text = f"{authors}, {opening}{work.title}{closing} (PhD diss., {work.institution}, {work.year})"
        elif work.kind == "newspaper":
            return f"{authors}, {self._title(work, work.title)} {work.container}, {work.date}", "", ()
        else:
            text = f"{authors}, {work.title} ({work.place}: {work.publisher}, {work.year})"
        if with_locator:
            text = f"{text}, {loc}"
        return text, kind, ranges

    def short(self, work: Work) -> tuple[str, str, tuple[tuple[int, int], ...]]:
        """A later, short citation: ``Author, Short Title, page``."""
        loc, ranges, kind = self.locator()
        names = work.authors or work.editors
        title = self._title(work, work.short_title)
        separator = " " if work.quoted else ", "
        if work.kind == "newspaper":
            return f"{self._authors_short(names)}, {title[:-2]}{title[-1:]}", "", ()
        return f"{self._authors_short(names)}, {title}{separator}{loc}", kind, ranges

    def note(self) -> GeneratedNote:
        """The next note of the sequence."""
        r = self.random
        note = GeneratedNote("")
        pieces: list[str] = []
        position = 0

        def add(text: str, expected: Expected | None) -> None:
            nonlocal position
            if expected is not None:
                expected.start, expected.end = position, position + len(text)
                note.citations.append(expected)
            pieces.append(text)
            position += len(text)

        if self.last_single is not None and r.random() < 0.3:
            signal = r.choice(("", "", "", "Cf. ", "Quoted in "))
            word = "ibid." if signal else "Ibid."
            if r.random() < 0.5:
                add(f"{signal}{word}", Expected("ibid", 0, 0, signal=signal.strip().lower() or None))
            else:
                loc, ranges, kind = self.locator()
                expected = Expected(
                    "ibid", 0, 0, ranges=ranges, locator_kind=kind, signal=signal.strip().lower() or None
                )
                add(f"{signal}{word}, {loc}", expected)
                add(".", None)
            if r.random() < 0.3:
                add(" " + r.choice(COMMENTARY), None)
            note.text = "".join(pieces)
            return note
        count = r.choice((1, 1, 1, 2, 3))
        citable = [i for i, w in enumerate(self.works) if not (w.kind == "newspaper" and i in self.cited)]
        chosen = r.sample(citable, min(count, len(citable)))
        count = len(chosen)
        for number, index in enumerate(chosen):
            work = self.works[index]
            if number:
                add(r.choice(("; ", "; and ")), None)
            signal = r.choice(SIGNALS) if r.random() < 0.25 else None
            if signal and number:
                signal = signal.lower() if signal != "Cf." else "cf."
            if index in self.cited:
                text, kind, ranges = self.short(work)
                form = "short"
            else:
                text, kind, ranges = self.full(work, with_locator=r.random() < 0.9)
                form = "full"
                self.cited.add(index)
            if signal:
                text = f"{signal} {text}"
            expected = Expected(
                form,
                0,
                0,
                work,
                ranges=ranges,
                locator_kind=kind or None,
                signal=signal.lower() if signal else None,
            )
            add(text, expected)
        add(".", None)
        if r.random() < 0.2:
            add(" " + r.choice(COMMENTARY), None)
        self.last_single = chosen[0] if count == 1 else None
        note.text = "".join(pieces)
        return note

    def notes(self, count: int) -> Iterator[GeneratedNote]:
        for _ in range(count):
            yield self.note()


def chicago_range(start: int, end: int) -> str:
    """A page range abbreviated by the Chicago rule (CMOS 9.64): 101-8, 321-28, 1496-500."""
    first, last = str(start), str(end)
    if start < 100 or start % 100 == 0 or len(first) != len(last):
        return f"{first}-{last}"
    differ = next((i for i, (a, b) in enumerate(zip(first, last, strict=True)) if a != b), len(last) - 1)
    keep = len(last) - differ
    if start % 100 >= 10:
        keep = max(2, keep)
    return f"{first}-{last[-keep:]}"


# --- note sequences with their bibliography -------------------------------------------------------


@dataclass
class Listed:
    """A work of a generated sequence: its bibliography key, and whether the bibliography has it."""

    work: Work
    key: str
    listed: bool = True
    short_names: str = ""  # how short forms name the authors ("Smith", or "A. Smith" when needed)


@dataclass
class Resolved:
    """What the resolver must make of one generated citation."""

    key: str | None
    status: str  # resolved | ambiguous | broken
    antecedent: str | None = None  # citation id, for an ibid
    candidates: frozenset[str] = frozenset()
    chosen: bool = False  # an ibid. after a note citing several works: a choice, reported


@dataclass
class GeneratedSequence:
    """Numbered notes, the bibliography they cite, and the resolution of every citation."""

    notes: list[GeneratedNote]
    resolutions: list[list[Resolved]]
    works: list[Listed]

    @property
    def text(self) -> str:
        """The notes as a text edition (``Notes`` heading, ``1. ...`` per note)."""
        return "Notes\n" + "".join(f"{n}. {note.text}\n" for n, note in enumerate(self.notes, start=1))

    @property
    def bibtex(self) -> str:
        return "\n".join(bibtex_entry(item) for item in self.works if item.listed)

    def expected(self) -> dict[str, Resolved]:
        """Every citation id (``n3c2``) with its expected resolution."""
        return {
            f"n{n}c{k}": resolved
            for n, note in enumerate(self.resolutions, start=1)
            for k, resolved in enumerate(note, start=1)
        }


class ChicagoSequence(ChicagoWriter):
    """Writes a sequence of notes over a designed pool of works, with the matching bibliography.

    The pool always holds two works by one author, two authors sharing a surname whose works
    share a short title (short forms then carry initials, Chicago 14.32), and one work missing
    from the bibliography. Notes cite one to three works (full at first, short after), ibid. with
    and without locators — after a note with one source (resolved), after a note with several
    (ambiguous: the work cited last, all of them as candidates), after a note with no citation
    (broken) — and ibid. inside a note after a citation.
    """

    def __init__(self, seed: int = 0, *, typographic: bool = False) -> None:
        super().__init__(seed, typographic=typographic)
        self.pool = self._pool()
        self.previous: list[tuple[str, int]] = []  # (citation id, pool index) of the previous note
        self.number = 0

    # -- the pool ----------------------------------------------------------------------------
    def _pool(self) -> list[Listed]:
        r = self.random
        surnames = r.sample(LAST, 8)
        heads = r.sample(TITLE_HEADS, 8)
        kinds = ["book", "book", "book", "book", "edited", "article", "chapter", "thesis", "translated"]
        works: list[Work] = []
        for index in range(8):
            work = self._work(index)
            kind = kinds[index] if index < 4 else r.choice(kinds[4:])
            work.kind, work.quoted = "book", False
            work.container = work.volume = work.issue = work.institution = work.date = ""
            work.editors = work.translators = ()
            work.authors = (f"{r.choice(FIRST)}{r.choice(INITIALS)} {surnames[index]}",)
            work.title = self.typo(heads[index] + r.choice(SUBTITLES))
            work.short_title = self.typo(heads[index])
            self._shape(work, kind)
            works.append(work)
        # Two works by one author.
        works[1].authors = works[0].authors
        # Two authors sharing a surname, each with a work of the same short title.
        first_a, first_b = r.sample(FIRST, 2)
        while first_a[0] == first_b[0]:  # their initials must tell them apart
            first_b = r.choice(FIRST)
        surname = surnames[2]
        works[2].authors = (f"{first_a} {surname}",)
        works[3].authors = (f"{first_b} {surname}",)
        works[3].short_title = works[2].short_title
        works[3].title = works[2].short_title + self.typo(r.choice((": A Social History", ", 1900-1914")))
        if works[3].title == works[2].title:
            works[2].title = works[2].short_title
            works[3].title = works[3].short_title + self.typo(": A Social History")
        listed: list[Listed] = []
        keys: set[str] = set()
        for index, work in enumerate(works):
            names = work.authors or work.editors
            base = names[0].split()[-1].lower().replace("'", "") + work.year
            key = base
            while key in keys:
                key += "a"
            keys.add(key)
            short = " and ".join(n.split()[-1] for n in names[:2])
            if index in (2, 3):
                short = f"{names[0].split()[0][0]}. {names[0].split()[-1]}"
            listed.append(Listed(work, key, listed=index != 7, short_names=short))
        return listed

    def _shape(self, work: Work, kind: str) -> None:
        r = self.random
        work.kind = kind
        if kind == "edited":
            work.editors, work.authors = work.authors, ()
        elif kind == "translated":
            work.translators = (self._name(),)
        elif kind == "article":
            work.container = r.choice(JOURNALS)
            work.volume, work.issue = str(r.randint(1, 80)), str(r.randint(1, 4))
            work.quoted = True
        elif kind == "chapter":
            work.container = self.typo(r.choice(("Essays in Social History", "Russia in the Age of Wars")))
            work.editors = (self._name(),)
            work.quoted = True
        elif kind == "thesis":
            work.institution = r.choice(("University of Chicago", "University of California, Berkeley"))
            work.quoted = True

    # -- notes -------------------------------------------------------------------------------
    def short(self, work: Work) -> tuple[str, str, tuple[tuple[int, int], ...]]:
        item = next(i for i in self.pool if i.work is work)
        loc, ranges, kind = self.locator()
        title = self._title(work, work.short_title)
        separator = " " if work.quoted else ", "
        return f"{item.short_names}, {title}{separator}{loc}", kind, ranges

    def sequence(self, count: int) -> GeneratedSequence:
        notes: list[GeneratedNote] = []
        resolutions: list[list[Resolved]] = []
        expected: dict[str, Resolved] = {}
        for _ in range(count):
            self.number += 1
            note, resolved = self._next(expected)
            for k, item in enumerate(resolved, start=1):
                expected[f"n{self.number}c{k}"] = item
            notes.append(note)
            resolutions.append(resolved)
        return GeneratedSequence(notes, resolutions, self.pool)

    def _next(self, expected: dict[str, Resolved]) -> tuple[GeneratedNote, list[Resolved]]:
        r = self.random
        roll = r.random()
        if roll < 0.06:
            self.previous = []
            return GeneratedNote(r.choice(COMMENTARY)), []
        if self.number > 1 and roll < 0.3:
            return self._ibid_note(expected)
        return self._citing_note(expected)

    def _ibid_text(self, capital: bool) -> tuple[str, tuple[tuple[int, int], ...], str | None]:
        word = "Ibid." if capital else "ibid."
        if self.random.random() < 0.4:
            return word, (), None
        loc, ranges, kind = self.locator()
        return f"{word}, {loc}", ranges, kind

    def _ibid_note(self, expected: dict[str, Resolved]) -> tuple[GeneratedNote, list[Resolved]]:
        text, ranges, kind = self._ibid_text(capital=True)
        end = "" if text.endswith(".") else "."
        note = GeneratedNote(text + end, [Expected("ibid", 0, len(text), ranges=ranges, locator_kind=kind)])
        this = f"n{self.number}c1"
        if not self.previous:
            resolved = Resolved(None, "broken")
        else:
            last_id, _ = self.previous[-1]
            works = {index for _, index in self.previous}
            before = expected[last_id]
            if len(works) == 1:
                resolved = Resolved(before.key, before.status, last_id, before.candidates)
            else:
                candidates = frozenset(expected[c].key for c, _ in self.previous if expected[c].key)
                status = "ambiguous" if before.key is not None else before.status
                resolved = Resolved(before.key, status, last_id, candidates, chosen=True)
        self.previous = [(this, self.previous[-1][1])] if self.previous else []
        return note, [resolved]

    def _citing_note(self, expected: dict[str, Resolved]) -> tuple[GeneratedNote, list[Resolved]]:
        r = self.random
        note = GeneratedNote("")
        resolved: list[Resolved] = []
        cited: list[tuple[str, int]] = []
        position = 0
        chosen = r.sample(range(len(self.pool)), r.choice((1, 1, 2, 2, 3)))
        for number, index in enumerate(chosen):
            item = self.pool[index]
            if number:
                separator = r.choice(("; ", "; and "))
                note.text += separator
                position += len(separator)
            if index in self.cited:
                text, kind, ranges = self.short(item.work)
                form = "short"
                status = "resolved" if item.listed else "broken"
            else:
                text, kind, ranges = self.full(item.work, with_locator=True)
                form = "full"
                status = "resolved" if item.listed else "broken"
                self.cited.add(index)
            note.citations.append(
                Expected(
                    form, position, position + len(text), item.work, ranges=ranges, locator_kind=kind or None
                )
            )
            note.text += text
            position += len(text)
            key = item.key if item.listed else None
            resolved.append(Resolved(key, status, None, frozenset({key}) if key else frozenset()))
            cited.append((f"n{self.number}c{len(resolved)}", index))
            if r.random() < 0.2 and item.work.kind != "newspaper":  # ibid. after it, in the same note
                ibid, ranges, kind = self._ibid_text(capital=False)
                note.text += "; "
                position += 2
                note.citations.append(
                    Expected("ibid", position, position + len(ibid), ranges=ranges, locator_kind=kind)
                )
                note.text += ibid
                position += len(ibid)
                resolved.append(Resolved(key, status, cited[-1][0], frozenset({key}) if key else frozenset()))
                cited.append((f"n{self.number}c{len(resolved)}", index))
        note.text += "" if note.text.endswith(".") else "."
        self.previous = cited
        return note, resolved


def bibtex_entry(item: Listed) -> str:
    """The BibTeX entry of a generated work."""
    work = item.work

    def names(people: tuple[str, ...]) -> str:
        return " and ".join(f"{p.split()[-1]}, {' '.join(p.split()[:-1])}" for p in people)

    entry_type = {
        "book": "book",
        "translated": "book",
        "edited": "collection",
        "article": "article",
        "chapter": "incollection",
        "thesis": "thesis",
    }[work.kind]
    fields = []
    if work.authors:
        fields.append(("author", names(work.authors)))
    if work.editors:
        fields.append(("editor", names(work.editors)))
    if work.translators:
        fields.append(("translator", names(work.translators)))
    fields.append(("title", work.title))
    if work.kind == "article":
        fields += [("journaltitle", work.container), ("volume", work.volume), ("number", work.issue)]
    elif work.kind == "chapter":
        fields.append(("booktitle", work.container))
    elif work.kind == "thesis":
        fields += [("type", "phdthesis"), ("institution", work.institution)]
    if work.kind not in ("article", "thesis"):
        fields += [("location", work.place), ("publisher", work.publisher)]
    fields.append(("year", work.year))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{entry_type}{{{item.key},\n{body}}}\n"
