"""A long coverage-guided fuzz run of notecheck with atheris (not part of the test suite).

Usage::

    pip install -e '.[fuzz]'
    python fuzz/run.py --minutes 30                    # editions, every input format
    python fuzz/run.py --minutes 30 --target bibliography
    python fuzz/run.py --runs 2000                     # a fixed number of inputs

Crashing inputs (an exception, an NC904 finding, an invalid JSON report) are written to
``fuzz/crashes/`` by libFuzzer (``crash-<sha1>``); replay one with
``python fuzz/run.py --target edition fuzz/crashes/crash-...``. The corpus grows in
``fuzz/corpus/<target>/``, starting from the harness's seeds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

#: The modules instrumented for coverage (imported lazily by notecheck, so imported here first).
STAGES = [
    "notecheck.pipeline",
    "notecheck.readers.text",
    "notecheck.readers.markdown",
    "notecheck.readers.latex",
    "notecheck.readers.tei",
    "notecheck.readers.docx",
    "notecheck.readers.decode",
    "notecheck.numbering",
    "notecheck.grammar",
    "notecheck.split",
    "notecheck.archival_grammar",
    "notecheck.archival",
    "notecheck.bibliography",
    "notecheck.resolver",
    "notecheck.fixes",
    "notecheck.report.json",
    "notecheck.report.html",
    "notecheck.report.text",
    "notecheck.report.sarif",
    "notecheck.report.github",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", choices=["edition", "bibliography"], default="edition")
    parser.add_argument("--minutes", type=float, default=None, help="stop after this long")
    parser.add_argument("--runs", type=int, default=None, help="stop after this many inputs")
    parser.add_argument("--max-len", type=int, default=4096, help="longest input, in bytes")
    parser.add_argument("inputs", nargs="*", help="replay these files instead of fuzzing")
    args = parser.parse_args(argv)
    try:
        import atheris
    except ImportError:
        print("fuzz/run.py needs atheris: pip install -e '.[fuzz]'", file=sys.stderr)
        return 2

    with atheris.instrument_imports():  # coverage of every stage guides the fuzzer
        import importlib

        for module in STAGES:
            importlib.import_module(module)
    import harness

    folder = Path(tempfile.mkdtemp(prefix="notecheck-fuzz-"))
    seeds = harness.EDITION_SEEDS if args.target == "edition" else harness.BIBLIOGRAPHY_SEEDS
    if args.target == "edition":
        target = harness.fuzz_edition
    else:

        def target(data: bytes) -> None:
            harness.fuzz_bibliography(data, folder)

    corpus = HERE / "corpus" / args.target
    crashes = HERE / "crashes"
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(exist_ok=True)
    for index, seed in enumerate(seeds):
        (corpus / f"seed-{index}").write_bytes(seed)
    libfuzzer = [sys.argv[0], f"-max_len={args.max_len}", f"-artifact_prefix={crashes}/"]
    if args.inputs:
        libfuzzer += args.inputs
    else:
        if args.minutes is not None:
            libfuzzer.append(f"-max_total_time={int(args.minutes * 60)}")
        if args.runs is not None:
            libfuzzer.append(f"-runs={args.runs}")
        libfuzzer.append(str(corpus))
    atheris.Setup(libfuzzer, target)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
