"""Stage load, cache: parsed bibliographies kept on disk, keyed by the file's content.

Parsing a large BibTeX file costs far more than reading back what it produced: a 5,000-entry
file takes about half a second to parse and index, and a few hundredths of a second to restore
from here. The cache is an optimisation only; it can never change a result:

- **Keyed by content.** The key is a hash of the file's bytes, the path shown in reports (every
  span carries it), this cache's format, notecheck's version, the Python version and the size
  and modification time of every module of notecheck and of the parsers it uses. Editing the
  file, upgrading or editing notecheck, or switching interpreters is a miss, never a stale hit.
- **Checked on the way in.** A cache file starts with a magic string, the format and the full
  key; anything that does not match, cannot be read, or does not have the expected shape is
  ignored (and overwritten by the next write).
- **Plain data.** Entries, names, spans, diagnostics and indexes are stored as tuples, lists,
  dicts and strings with :mod:`marshal` (never pickle: nothing in a cache file can name code to
  run) and rebuilt into the model's dataclasses.
- **Written atomically** (a temporary file renamed into place), and pruned to the
  :data:`KEEP` most recently written files.

Where: ``$NOTECHECK_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/notecheck``, else
``~/.cache/notecheck`` (``%LOCALAPPDATA%\\notecheck\\cache`` on Windows). ``NOTECHECK_NO_CACHE=1``
turns it off. :func:`notecheck.pipeline.check` and the command line use it;
:func:`notecheck.bibliography.load_bibliography` uses it when asked (``cache=True``).
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notecheck.models import Diagnostic, Entry, Fix, Name, Severity, Span

if TYPE_CHECKING:
    from notecheck.bibliography import Bibliography

#: Bumped whenever the stored shape changes (a cache file of another format is ignored).
FORMAT = 1
MAGIC = b"notecheck-bibliography-cache\0"
#: How many cache files are kept (the most recently written).
KEEP = 32
_KEY_BYTES = 32


def cache_folder() -> Path | None:
    """The folder cache files go in, or None when the cache is turned off."""
    if os.environ.get("NOTECHECK_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("NOTECHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "notecheck"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "notecheck" / "cache"
    return Path.home() / ".cache" / "notecheck"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """What the parse depends on besides the file: versions, and every module's size and time."""
    from notecheck import __version__

    parts = [str(FORMAT), __version__, sys.version]
    package = Path(__file__).resolve().parent
    for folder, _, files in sorted(os.walk(package)):
        for name in sorted(files):
            if name.endswith((".py", ".json")):
                info = os.stat(os.path.join(folder, name))
                parts.append(
                    f"{os.path.relpath(os.path.join(folder, name), package)}:{info.st_size}:{info.st_mtime_ns}"
                )
    for dependency in ("bibtexparser", "pylatexenc"):
        parts.append(f"{dependency}:{_module_stamp(dependency)}")
    return "\n".join(parts)


def _module_stamp(name: str) -> str:
    """The location, size and time of an installed package's ``__init__`` (without importing it)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return "missing"
    origin = spec.origin if spec is not None else None
    if not origin:
        return "missing"
    try:
        info = os.stat(origin)
    except OSError:
        return f"{origin}:?"
    return f"{origin}:{info.st_size}:{info.st_mtime_ns}"


def cache_key(data: bytes, path: str) -> str:
    """The key of a bibliography file's bytes, shown as ``path``, parsed by this notecheck."""
    digest = hashlib.blake2b(digest_size=_KEY_BYTES // 2)
    digest.update(code_fingerprint().encode("utf-8", "surrogatepass"))
    digest.update(b"\0" + path.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(data)
    return digest.hexdigest()


def load_cached(
    data: bytes, path: str, parse: Callable[[bytes, str], Bibliography], folder: Path | None = None
) -> Bibliography:
    """The bibliography of ``data``: from the cache when a valid entry exists, else parsed by
    ``parse`` (and then stored, with its indexes). Cache problems are never errors."""
    folder = folder if folder is not None else cache_folder()
    if folder is None:
        return parse(data, path)
    key = cache_key(data, path)
    file = folder / f"bib-{key}.cache"
    found = read(file, key)
    if found is not None:
        return found
    bibliography = parse(data, path)
    write(file, key, bibliography)
    return bibliography


# --- reading -----------------------------------------------------------------------------------------


def read(file: Path, key: str) -> Bibliography | None:
    """The bibliography stored in ``file`` under ``key``, or None (missing, stale or damaged)."""
    try:
        blob = file.read_bytes()
    except OSError:
        return None
    head = MAGIC + FORMAT.to_bytes(2, "big") + key.encode("ascii")
    if not blob.startswith(head):
        return None
    enabled = gc.isenabled()
    gc.disable()  # many small objects, none of them cyclic garbage: collecting would only cost
    try:
        return _restore(marshal.loads(memoryview(blob)[len(head) :]), key)
    except Exception:  # a damaged or foreign file is a miss, whatever is wrong with it
        return None
    finally:
        if enabled:
            gc.enable()


def _restore(stored: Any, key: str) -> Bibliography:
    from notecheck.bibliography import Bibliography, _Index

    version, stored_key, path, format, strings, names, entries, diagnostics, index = stored
    if version != FORMAT or stored_key != key:
        raise ValueError("another format or key")
    people = [Name(*parts) for parts in names]
    person = people.__getitem__
    bibliography = Bibliography(path, format, strings=dict(strings))
    restored = bibliography.entries
    for entry_key, entry_type, fields, (line, column, end_line, end_column), a, e, t in entries:
        restored[entry_key] = Entry(
            entry_key,
            entry_type,
            fields,
            Span(path, line, column, end_line, end_column),
            tuple(map(person, a)) if a else (),
            tuple(map(person, e)) if e else (),
            tuple(map(person, t)) if t else (),
        )
    bibliography.diagnostics = [_diagnostic(item) for item in diagnostics]
    size, folded_keys, surnames, short_titles, words, order = index
    if size != len(restored):
        raise ValueError("index of another size")
    bibliography._index = _Index(size, folded_keys, surnames, short_titles, words, order)
    return bibliography


def _diagnostic(item: Any) -> Diagnostic:
    code, severity, message, span, note, note_index, fix, fingerprint, suppressed, suppression, why = item
    return Diagnostic(
        code,
        Severity(severity),
        message,
        Span(*span),
        note,
        note_index,
        Fix(fix[0], Span(*fix[1]), fix[2]) if fix is not None else None,
        fingerprint,
        suppressed,
        suppression,
        why,
    )


# --- writing -----------------------------------------------------------------------------------------


def write(file: Path, key: str, bibliography: Bibliography) -> bool:
    """Store ``bibliography`` (with its indexes) under ``key``; False when it could not be written."""
    try:
        blob = (
            MAGIC
            + FORMAT.to_bytes(2, "big")
            + key.encode("ascii")
            + marshal.dumps(_stored(bibliography, key))
        )
    except (ValueError, TypeError):  # something marshal cannot hold: simply not cached
        return False
    temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(blob)
        os.replace(temporary, file)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        return False
    _prune(file.parent)
    return True


def _stored(bibliography: Bibliography, key: str) -> tuple[Any, ...]:
    intern = sys.intern  # shared strings are written once and read back as one object
    names: dict[Name, int] = {}  # each person once; entries name them by number

    def people(found: tuple[Name, ...]) -> tuple[int, ...]:
        return tuple(names.setdefault(n, len(names)) for n in found)

    entries = [
        (
            entry.key,
            intern(entry.entry_type),
            {intern(name): value for name, value in entry.fields.items()},
            (entry.span.line, entry.span.column, entry.span.end_line, entry.span.end_column),
            people(entry.authors),
            people(entry.editors),
            people(entry.translators),
        )
        for entry in bibliography.entries.values()
    ]
    index = bibliography.index
    return (
        FORMAT,
        key,
        bibliography.path,
        bibliography.format,
        dict(bibliography.strings),
        [(n.first, n.last, n.von, n.jr) for n in names],
        entries,
        [_stored_diagnostic(d) for d in bibliography.diagnostics],
        (index.size, index.folded_keys, index.surnames, index.short_titles, index.words, index.order),
    )


def _span(span: Span) -> tuple[str, int, int, int, int]:
    return (span.path, span.line, span.column, span.end_line, span.end_column)


def _stored_diagnostic(d: Diagnostic) -> tuple[Any, ...]:
    fix = (d.fix.replacement, _span(d.fix.span), d.fix.applicability) if d.fix is not None else None
    return (
        d.code,
        str(d.severity),
        d.message,
        _span(d.span),
        d.note,
        d.note_index,
        fix,
        d.fingerprint,
        d.suppressed,
        d.suppression,
        d.justification,
    )


def _prune(folder: Path) -> None:
    """Keep the :data:`KEEP` most recently written cache files; remove stale temporary files."""
    try:
        files = [
            (entry.stat().st_mtime_ns, entry.path)
            for entry in os.scandir(folder)
            if entry.name.startswith("bib-")
        ]
    except OSError:
        return
    if len(files) <= KEEP:
        return
    files.sort(reverse=True)
    for _, path in files[KEEP:]:
        with contextlib.suppress(OSError):
            os.remove(path)
