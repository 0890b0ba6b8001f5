"""Rules NC1xx: reading the edition (files, encodings, note numbers, debris, note calls)."""

from notecheck.models import Severity
from notecheck.rules import rule

UNREADABLE = rule(
    "NC101",
    "binary-input",
    Severity.ERROR,
    "{path} does not look like text ({reason}); no notes were read from it",
    what="Reports an input file that is not text: NUL bytes or mostly control characters.",
    why="A binary file (a PDF, an image, a .doc) named as an edition would otherwise be checked "
    "as if it were empty, and a missing edition would pass silently.",
    example="`notecheck check scan.pdf`",
    instead="Point notecheck at the text, Markdown, TEI, LaTeX or .docx file of the edition.",
)

ENCODING_FALLBACK = rule(
    "NC102",
    "encoding-fallback",
    Severity.WARNING,
    "{path} is not valid UTF-8 (first bad byte 0x{byte:02x}); read as {encoding}",
    what="Reports a file that is not valid UTF-8 and was decoded with a fallback encoding "
    "(cp1252, then latin-1). The position is the first undecodable byte.",
    why="A wrongly decoded file turns accented names into mojibake that no bibliography entry "
    "matches; the editor should know which encoding was assumed.",
    example="A file saved as Windows-1252 with `Gol\\xe9denberg`.",
    instead="Save the edition as UTF-8.",
)

NO_NOTES = rule(
    "NC103",
    "no-notes",
    Severity.WARNING,
    "no endnotes found in {path}",
    what="Reports an input file in which the reader found no numbered note at all.",
    why="An edition without notes is almost always the wrong file or a format the reader did "
    "not recognise; checking it would report nothing and look like success.",
    example="A file holding only body text, or notes numbered in a way the reader cannot see.",
    instead="Check the file that holds the notes, numbered `1.`, `1)` or `[1]` at line starts.",
)
