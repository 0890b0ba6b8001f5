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
