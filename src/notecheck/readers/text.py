"""Stage read: plain-text editions, including raw OCR, to notes with exact positions.

PLACEHOLDER: a naive reader (a line starting with a number and a period opens a note) that the
foundation issue replaces with the OCR-tolerant reader.
"""

from __future__ import annotations

import re

from notecheck.models import Edition, Note, Source, TextMap
from notecheck.rules.reading import NO_NOTES

_NOTE_START = re.compile(r"^[ \t]*(\d{1,6})[.)][ \t]", re.MULTILINE)


def read_source(source: Source) -> Edition:
    """Split ``source`` into notes."""
    text = source.text
    starts = list(_NOTE_START.finditer(text))
    notes: list[Note] = []
    for index, match in enumerate(starts, start=1):
        body_start = match.end()
        body_end = starts[index].start() if index < len(starts) else len(text)
        body = text[body_start:body_end]
        label = match.group(1) + text[match.end(1)]
        line, _ = source.position(match.start(1))
        notes.append(
            Note(
                index=index,
                number=int(match.group(1)),
                label=label,
                text=body,
                source=source,
                text_map=TextMap.identity(body_start, len(body)),
                line=line,
                end_line=source.position(max(body_start, body_end - 1))[0],
                label_span=source.span(match.start(1), match.end(1) + 1),
            )
        )
    diagnostics = () if notes else (NO_NOTES.at(source.span(0, 0), path=source.path),)
    return Edition(source=source, format="text", notes=tuple(notes), diagnostics=diagnostics)
