"""Stage resolve: ``\\cite`` keys recorded in notes (LaTeX) checked against the bibliography.

A ``\\cite{key}`` names its entry directly, so it needs no matching: the key is there or it is
not (NC480, with a did-you-mean when a key is close). Keys found count as used entries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from notecheck.models import Diagnostic, Edition

if TYPE_CHECKING:
    from notecheck.bibliography import Bibliography


def cited_keys(edition: Edition) -> set[str]:
    """Every ``\\cite`` key in the edition's notes (count them as used bibliography entries)."""
    return {key for note in edition.notes for key, _, _ in note.cite_keys}


def check_cite_keys(edition: Edition, bibliography: Bibliography | None) -> list[Diagnostic]:
    """NC480 for every ``\\cite`` key in a note that the bibliography does not have.

    Args:
        edition: a read edition (only LaTeX notes carry cite keys).
        bibliography: the loaded bibliography; with none, nothing is reported (the missing
            bibliography is reported once elsewhere).

    Returns:
        One diagnostic per unknown key occurrence, at the key in the .tex file, with a
        did-you-mean hint when a key is close.
    """
    from notecheck.rules.resolution import CITE_KEY_UNKNOWN

    if bibliography is None:
        return []
    known = list(bibliography.entries)
    found: list[Diagnostic] = []
    for note in edition.notes:
        for key, start, end in note.cite_keys:
            if key in bibliography.entries:
                continue
            hint = _did_you_mean(key, known)
            found.append(CITE_KEY_UNKNOWN.at(note.span(start, end), note=note, key=key, hint=hint))
    return found


def _did_you_mean(key: str, known: Iterable[str]) -> str:
    candidates = list(known)
    same_case = [k for k in candidates if k.lower() == key.lower()]
    if same_case:
        return f" (did you mean {same_case[0]!r}? keys are case-sensitive)"
    from rapidfuzz import fuzz, process

    best = process.extractOne(key, candidates, scorer=fuzz.ratio, score_cutoff=75)
    return f" (did you mean {best[0]!r}?)" if best else ""
