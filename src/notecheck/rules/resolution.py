"""Rules NC4xx: resolution (full, short, ibid, declared abbreviations, cross-references)."""

from notecheck.models import Severity
from notecheck.rules import rule

CITE_KEY_UNKNOWN = rule(
    "NC480",
    "cite-key-unknown",
    Severity.ERROR,
    "\\cite key {key!r} is not in the bibliography{hint}",
    what="Reports a key of a LaTeX `\\cite` (`\\autocite`, `\\footcite`, ...) inside a note "
    "that no bibliography entry has.",
    why="LaTeX prints the missing key in bold or as `[?]` instead of the citation: the reader "
    "cannot find what is cited.",
    example="`\\footnote{See \\cite{zelnik1968}.}` when the bibliography has `zelnik1986`.",
    instead="Correct the key (`\\cite{zelnik1986}`) or add the entry to the bibliography.",
)
