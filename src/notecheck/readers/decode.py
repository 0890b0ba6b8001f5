"""Stage read: bytes to text, with a stated fallback and a diagnostic instead of an exception.

UTF-8 (a BOM is removed and remembered) is tried first; UTF-16/32 are read when their BOM says so;
otherwise the text is decoded as cp1252 if it can be, else latin-1, which never fails. The first
undecodable byte is reported with its position. Binary files are recognised by NUL bytes or a
high share of control characters and yield no text.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from notecheck.models import Diagnostic, Source
from notecheck.rules.reading import ENCODING_FALLBACK, UNREADABLE

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_ALLOWED = {9, 10, 12, 13, 27}


@dataclass(frozen=True)
class Decoded:
    """A decoded file: its source (possibly empty) and what went wrong on the way."""

    source: Source
    diagnostics: tuple[Diagnostic, ...]
    binary: bool = False


def looks_binary(data: bytes) -> str | None:
    """Why ``data`` is not text, or None if it may be text. Looks at the first 8 KiB."""
    head = data[:8192]
    if not head:
        return None
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in head:
        return "it contains NUL bytes"
    controls = sum(1 for b in head if b < 32 and b not in _CONTROL_ALLOWED)
    if controls > len(head) * 0.1:
        return "more than a tenth of its first bytes are control characters"
    return None


def decode(data: bytes, path: str) -> Decoded:
    """Decode the bytes of an input file into a :class:`Source`, never raising."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                return _fallback(data, path, error.start + len(bom))
            return Decoded(Source(path, text, encoding, bom=True), ())
    reason = looks_binary(data)
    if reason is not None:
        source = Source(path, "")
        diagnostic = UNREADABLE.at(source.span(0, 0), path=path, reason=reason)
        return Decoded(source, (diagnostic,), binary=True)
    try:
        return Decoded(Source(path, data.decode("utf-8")), ())
    except UnicodeDecodeError as error:
        return _fallback(data, path, error.start)


def _fallback(data: bytes, path: str, bad: int) -> Decoded:
    """Decode with cp1252 (or latin-1) and report the first bad byte's position."""
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    source = Source(path, text, encoding)
    # In single-byte encodings a byte offset is a character offset.
    diagnostic = ENCODING_FALLBACK.at(source.span(bad, bad + 1), path=path, byte=data[bad], encoding=encoding)
    return Decoded(source, (diagnostic,))


def encode(source: Source, text: str) -> bytes:
    """Encode ``text`` the way ``source`` was read (encoding and BOM kept)."""
    encoding = source.encoding
    data = text.encode(encoding)
    if source.bom:
        bom = next(b for b, e in _BOMS if e == encoding)
        data = bom + data
    return data
