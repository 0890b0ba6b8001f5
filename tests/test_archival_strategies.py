"""Hypothesis strategies for archival references: well-formed ones, and their printed pieces."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

ARCHIVES = ("RTsKhIDNI", "RGASPI", "GARF", "RGALI", "TsGAIPD SPb")


@dataclass(frozen=True)
class Rendered:
    """A reference as printed in canonical form, with the fields it must parse back to.

    ``pieces`` are the printed pieces in order, as (kind, text): ``abbr:<field>`` for an
    abbreviation, ``sep`` for a separator, anything else for values and names.
    """

    pieces: tuple[tuple[str, str], ...]
    archive: str
    fond: str
    opis: str
    unit_kind: str
    unit: str
    leaves: tuple[tuple[int, int], ...]
    verso: bool
    date: str | None

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.pieces)


NAME_WORDS = st.sampled_from(
    ["Tsentral'nyi", "Komitet", "Vsesoiuznoe", "obshchestvo", "pri", "TsK", "VKP(b)", "Soiuza", "1917"]
)


@st.composite
def leaf_items(draw: st.DrawFn) -> tuple[int, int]:
    first = draw(st.integers(1, 999))
    length = draw(st.integers(0, 30))
    return first, first + length


@st.composite
def references(draw: st.DrawFn) -> Rendered:
    """A well-formed reference in canonical house style."""
    archive = draw(st.sampled_from(ARCHIVES))
    fond = draw(st.one_of(st.integers(1, 9999).map(str), st.integers(1, 9999).map(lambda n: f"R-{n}")))
    name = draw(st.none() | st.lists(NAME_WORDS, min_size=1, max_size=6).map(" ".join))
    opis = draw(st.integers(1, 999).map(str) | st.integers(1, 99).map(lambda n: f"{n}a"))
    unit_kind = draw(st.sampled_from(["d", "ed. khr."]))
    unit = str(draw(st.integers(1, 999_999)))
    leaves = tuple(draw(st.lists(leaf_items(), max_size=4)))
    verso = bool(leaves) and draw(st.booleans())
    date = draw(st.none() | st.integers(1900, 1999).map(str))
    pieces: list[tuple[str, str]] = [("archive", archive), ("sep", ", "), ("abbr:fond", "f."), ("sep", " ")]
    pieces.append(("fond", fond))
    if name:
        pieces.append(("name", f" ({name})"))
    pieces += [("sep", ", "), ("abbr:opis", "op."), ("sep", " "), ("opis", opis), ("sep", ", ")]
    pieces += [("abbr:delo" if unit_kind == "d" else "abbr:edkhr", "d." if unit_kind == "d" else "ed. khr.")]
    pieces += [("sep", " "), ("unit", unit)]
    if leaves:
        several = len(leaves) > 1 or leaves[0][0] != leaves[0][1]
        pieces += [("sep", ", "), ("abbr:leaves" if several else "abbr:leaf", "ll." if several else "l.")]
        pieces.append(("sep", " "))
        for index, (first, last) in enumerate(leaves):
            if index:
                pieces.append(("sep", ", "))
            pieces.append(("leaf", f"{first}-{last}" if last != first else str(first)))
        if verso:
            pieces += [("sep", " "), ("abbr:verso", "ob.")]
    if date:
        pieces.append(("date", f" ({date})"))
    return Rendered(tuple(pieces), archive, fond, opis, unit_kind, unit, leaves, verso, date)
