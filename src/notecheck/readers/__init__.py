"""Stage read: input files to an :class:`~notecheck.models.Edition`, chosen by extension.

Every reader returns the same model (notes with positions, sections, skipped spans, note calls,
reading diagnostics). ``read_edition`` raises ``OSError`` only when the path cannot be opened;
problems in the content are diagnostics.
"""

from __future__ import annotations

from pathlib import Path

from notecheck.models import Edition
from notecheck.readers.decode import decode

#: File extension -> input format name (the contract's ``format`` values).
FORMATS_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".xml": "tei",
    ".tei": "tei",
    ".docx": "docx",
    ".tex": "latex",
}


def format_for(path: str | Path, input_format: str | None = None) -> str:
    """The input format of ``path``: ``input_format`` if given, else by extension, else text."""
    if input_format:
        return input_format
    return FORMATS_BY_EXTENSION.get(Path(path).suffix.lower(), "text")


def display_path(path: str | Path) -> str:
    """The path as reports show it: as given, with POSIX separators."""
    return Path(path).as_posix() if not isinstance(path, str) else path.replace("\\", "/")


def read_edition(path: str | Path, *, input_format: str | None = None) -> Edition:
    """Read an edition file. Raises ``OSError`` if it cannot be opened; never for its content."""
    data = Path(path).read_bytes()
    return read_edition_bytes(data, display_path(path), input_format=format_for(path, input_format))


def read_edition_bytes(data: bytes, path: str, *, input_format: str = "text") -> Edition:
    """Read an edition from bytes already in memory (standard input, a test)."""
    decoded = decode(data, path)
    from notecheck.readers import text as text_reader

    edition = text_reader.read_source(decoded.source)
    return Edition(
        source=edition.source,
        format=edition.format,
        notes=edition.notes,
        sections=edition.sections,
        skipped=edition.skipped,
        calls=edition.calls,
        diagnostics=decoded.diagnostics + edition.diagnostics,
    )


def read_edition_text(text: str, path: str = "<string>", *, input_format: str = "text") -> Edition:
    """Read an edition from a string (no decoding involved)."""
    from notecheck.models import Source
    from notecheck.readers import text as text_reader

    return text_reader.read_source(Source(path, text))
