"""Benchmark notecheck: end-to-end throughput, scaling, memory, start-up and bibliography loading.

Run from the repository root (not part of the test suite)::

    python bench/run.py --quick          # 2,000 and 20,000 notes; under two minutes
    python bench/run.py                  # 2,000, 20,000 and 200,000 notes
    python bench/run.py --sizes 2000 --repeat 5

What it measures, each a median of several runs, each run in a fresh interpreter:

- **end to end**: ``check()`` on a generated Chicago-style corpus (read -> split -> resolve ->
  check) and the JSON report written to a file; notes per second, microseconds per note, peak
  memory of the process (``ru_maxrss``), the time of each stage, and how many citations resolved
  exactly as the generator meant (speed never buys a wrong resolution). The bibliography cache
  is off here: the bibliography is parsed every run.
- **import**: ``python -c "import notecheck"`` wall time (and ``python -c pass`` for the
  interpreter's own start-up on this machine).
- **CLI**: ``notecheck`` in the repository root (``edition/`` against ``bibliography.bib``),
  start-up included, and ``notecheck --version``.
- **bibliography**: loading 5,000- and 50,000-entry BibTeX files in a process that has already
  imported notecheck: parsed (no cache), and from the cache.

Every result records the load average (the machine has other users); the table is printed and
the whole result written as JSON under ``bench/results/``. Corpora are generated once
(deterministically, see ``bench/corpus.py``) and kept under ``bench/results/corpus/``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CORPUS = RESULTS / "corpus"

#: notes -> bibliography entries
SIZES = {2_000: 200, 20_000: 1_000, 200_000: 5_000}
BIB_SIZES = (5_000, 50_000)

TARGETS = {
    "notes_per_second_20000": 10_000,
    "scaling_ratio": 1.3,
    "peak_mb_200000": 300,
    "import_seconds": 0.150,
    "cli_edition_seconds": 1.0,
    "bib_5000_parse_seconds": 0.5,
    "bib_5000_cache_seconds": 0.05,
}


def load() -> float:
    return os.getloadavg()[0]


def python() -> list[str]:
    return [sys.executable]


def worker_env(cache: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    if cache is None:
        env["NOTECHECK_NO_CACHE"] = "1"
    else:
        env.pop("NOTECHECK_NO_CACHE", None)
        env["NOTECHECK_CACHE_DIR"] = str(cache)
    return env


def run_worker(args: list[str], cache: Path | None = None) -> dict[str, Any]:
    before = load()
    done = subprocess.run(
        [*python(), str(Path(__file__).resolve()), "--worker", *args],
        capture_output=True,
        text=True,
        env=worker_env(cache),
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"worker {args} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = round(max(before, load()), 2)
    return result


def wall(
    command: list[str], repeat: int, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> dict[str, Any]:
    times, loads = [], []
    for _ in range(repeat):
        loads.append(load())
        start = time.perf_counter()
        subprocess.run(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        times.append(time.perf_counter() - start)
    return {
        "median": statistics.median(times),
        "min": min(times),
        "runs": times,
        "load": round(max(loads), 2),
    }


def median_of(runs: list[dict[str, Any]], name: str) -> float:
    return statistics.median(run[name] for run in runs)


# --- measurements -----------------------------------------------------------------------------------


def end_to_end(notes: int, entries: int, repeat: int, out: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import generate

    corpus = generate(notes, entries, CORPUS)
    runs = []
    for number in range(repeat):
        args = ["end-to-end", str(corpus.bib), str(out), *map(str, corpus.texts)]
        if number == 0:
            args += ["--truth", str(corpus.truth)]
        runs.append(run_worker(args))
    first = runs[0]
    seconds = median_of(runs, "seconds")
    return {
        "notes": first["notes"],
        "files": len(corpus.texts),
        "entries": entries,
        "citations": first["citations"],
        "seconds": seconds,
        "cpu_seconds": median_of(runs, "cpu_seconds"),
        "notes_per_second": first["notes"] / seconds,
        "us_per_note": seconds / first["notes"] * 1e6,
        # the first run also holds the generator's truth table (about 110 MB at 200,000 notes):
        # peak memory is notecheck's own, from the other runs, when there are any
        "peak_mb": median_of(runs[1:] or runs, "peak_mb"),
        "peak_mb_scored_run": first["peak_mb"],
        "stages": {name: statistics.median(r["stages"][name] for r in runs) for name in first["stages"]},
        "correct": first["correct"],
        "load": max(r["load"] for r in runs),
        "runs": [r["seconds"] for r in runs],
    }


def import_time(repeat: int) -> dict[str, Any]:
    env = worker_env(None)
    result = {
        "import": wall([*python(), "-c", "import notecheck"], repeat, env=env),
        "python": wall([*python(), "-c", "pass"], repeat, env=env),
    }
    trace = subprocess.run(
        [*python(), "-X", "importtime", "-c", "import notecheck"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    ).stderr
    own = [line for line in trace.splitlines() if line.rstrip().endswith("| notecheck")]
    result["importtime_us"] = int(own[-1].split("|")[1]) if own else None
    return result


def cli_time(repeat: int) -> dict[str, Any]:
    executable = shutil.which("notecheck")
    command = [executable] if executable else [*python(), "-m", "notecheck"]
    with tempfile.TemporaryDirectory() as cache:
        env = worker_env(Path(cache))
        subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=False)  # warm the cache
        warm = wall(command, repeat, env=env)
    cold = wall(command, max(3, repeat // 2), env=worker_env(None))
    version = wall([*command, "--version"], repeat, env=worker_env(None))
    return {"edition": warm, "edition_no_cache": cold, "version": version}


def bibliography_time(repeat: int, quick: bool) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import bibliography_only

    results = {}
    for entries in BIB_SIZES:
        path = bibliography_only(entries, CORPUS)
        runs = repeat if entries <= 5_000 or not quick else 1
        with tempfile.TemporaryDirectory() as cache:
            measured = [run_worker(["bibliography", str(path)], Path(cache)) for _ in range(runs)]
        results[str(entries)] = {
            "entries": measured[0]["entries"],
            **{
                name: statistics.median(m[name] for m in measured)
                for name in ("parse", "parse_indexed", "parse_cpu", "parse_indexed_cpu", "cache", "cache_cpu")
            },
            "load": max(m["load"] for m in measured),
            "runs": measured,
        }
    return results


# --- workers (run in a fresh interpreter) ------------------------------------------------------------


def _peak_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024


def worker_end_to_end(bib: str, out: str, texts: list[str], truth: str | None) -> dict[str, Any]:
    """``check`` on ``texts`` with the JSON report streamed to ``out`` (as ``--format json`` does:
    each document written as it is checked, then let go), timed stage by stage."""
    from notecheck import pipeline as check_module
    from notecheck.config import Config
    from notecheck.pipeline import Run
    from notecheck.report import json as json_report

    stages: dict[str, float] = {}

    def timed(module: Any, name: str, label: str) -> None:
        original = getattr(module, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                stages[label] = stages.get(label, 0.0) + time.process_time() - start

        setattr(module, name, wrapper)

    import notecheck.archival
    import notecheck.numbering
    import notecheck.resolver
    import notecheck.split

    timed(check_module, "load_bibliography", "bibliography")
    timed(check_module, "read_edition", "read")
    timed(notecheck.numbering, "check_numbering", "numbering")
    timed(notecheck.split, "parse_edition", "split")
    timed(notecheck.resolver, "resolve", "resolve")
    timed(notecheck.archival, "check_archival", "archival")
    timed(check_module, "fingerprint", "fingerprint")
    expected = json.loads(Path(truth).read_text(encoding="utf-8")) if truth is not None else None
    correct = {"expected": 0, "right": 0, "found": 0, "wrong": []} if expected is not None else None
    notes = citations = 0

    class Observed:
        """The run, counting notes and scoring resolutions as the documents go by."""

        def __init__(self, run: Run) -> None:
            self.run = run

        def __iter__(self) -> Any:
            nonlocal notes, citations
            for document in self.run:
                notes += len(document.edition.notes) if document.edition is not None else 0
                found = document.parsed.all_citations() if document.parsed is not None else []
                citations += len(found)
                if correct is not None and expected is not None:
                    score(correct, expected[Path(document.path).name], found, document.resolution)
                yield document
                del document, found

        def report(self, documents: Any = None) -> Any:
            return self.run.report(documents)

    start = time.perf_counter()
    cpu = time.process_time()
    with open(out, "w", encoding="utf-8") as stream:
        json_report.write_run(Observed(Run(texts, bib=bib, config=Config())), stream)  # type: ignore[arg-type]
    end = time.perf_counter()
    cpu = time.process_time() - cpu
    stages["json+other"] = cpu - sum(stages.values())
    return {
        "seconds": end - start,
        "cpu_seconds": cpu,
        "notes": notes,
        "citations": citations,
        "peak_mb": _peak_mb(),
        "stages": stages,
        "correct": correct,
    }


def score(correct: dict[str, Any], expected: list[list[Any]], found: list[Any], resolution: Any) -> None:
    """Count the citations resolved exactly as the generator meant (key and status)."""
    by_id = {c.id: c for c in found}
    correct["expected"] += len(expected)
    correct["found"] += len(found)
    for citation_id, key, status in expected:
        citation = by_id.get(citation_id)
        if citation is not None:
            got = resolution.of(citation)
            if (got.key, got.status.value) == (key, status):
                correct["right"] += 1
                continue
        if len(correct["wrong"]) < 5:
            correct["wrong"].append(citation_id)


def worker_bibliography(path: str) -> dict[str, Any]:
    """One parse (no cache) in a fresh process after ``import notecheck``'s pipeline, then loads
    from the cache (written from that parse)."""
    import notecheck.pipeline  # noqa: F401  (a process that has imported notecheck's pipeline)
    from notecheck import cache
    from notecheck.bibliography import load_bibliography

    start, cpu = time.perf_counter(), time.process_time()
    bibliography = load_bibliography(path, cache=False)
    parsed, parsed_cpu = time.perf_counter(), time.process_time()
    bibliography.index  # noqa: B018  (the look-up tables the resolver needs)
    indexed, indexed_cpu = time.perf_counter(), time.process_time()
    folder = cache.cache_folder()
    assert folder is not None
    shown = bibliography.path
    key = cache.cache_key(Path(path).read_bytes(), shown)
    cache.write(folder / f"bib-{key}.cache", key, bibliography)
    loads = []
    for _ in range(5):
        cache.code_fingerprint.cache_clear()  # as in a new process
        begin, begin_cpu = time.perf_counter(), time.process_time()
        cached = load_bibliography(path, cache=True)
        cached.index  # noqa: B018  (restored with the entries)
        loads.append((time.perf_counter() - begin, time.process_time() - begin_cpu))
    assert cached.entries == bibliography.entries
    return {
        "entries": len(bibliography.entries),
        "parse": parsed - start,
        "parse_indexed": indexed - start,
        "parse_cpu": parsed_cpu - cpu,
        "parse_indexed_cpu": indexed_cpu - cpu,
        "cache": statistics.median(a for a, _ in loads),
        "cache_cpu": statistics.median(b for _, b in loads),
    }


# --- the table ----------------------------------------------------------------------------------------


def table(result: dict[str, Any]) -> str:
    """The result as the table the README shows."""
    lines = []
    rows = result["end_to_end"]
    lines.append("End to end: read -> split -> resolve -> check -> JSON report, one process, medians")
    lines.append(
        f"{'notes':>8} {'files':>5} {'entries':>7} {'citations':>9} {'wall s':>7} {'cpu s':>7} "
        f"{'notes/s':>8} {'us/note':>8} {'peak MB':>7} {'resolved as meant':>17} {'load':>5}"
    )
    for row in rows:
        correct = row["correct"]
        shown = f"{correct['right']}/{correct['expected']}" if correct else "-"
        lines.append(
            f"{row['notes']:>8} {row['files']:>5} {row['entries']:>7} {row['citations']:>9} "
            f"{row['seconds']:>7.2f} {row['cpu_seconds']:>7.2f} {row['notes_per_second']:>8.0f} "
            f"{row['us_per_note']:>8.1f} {row['peak_mb']:>7.0f} {shown:>17} {row['load']:>5}"
        )
    if len(rows) > 1:
        lines.append(
            f"scaling: time per note at {rows[-1]['notes']:,} notes = "
            f"{rows[-1]['us_per_note'] / rows[0]['us_per_note']:.2f} x the time per note at {rows[0]['notes']:,}"
        )
    lines.append("")
    lines.append("CPU microseconds per note, by stage")
    names = list(rows[0]["stages"])
    lines.append(f"{'notes':>8} " + " ".join(f"{n:>12}" for n in names))
    for row in rows:
        lines.append(
            f"{row['notes']:>8} " + " ".join(f"{row['stages'][n] / row['notes'] * 1e6:>12.1f}" for n in names)
        )
    lines.append("")
    imp, cli = result["import"], result["cli"]
    lines.append(
        f"python -c 'import notecheck': {imp['import']['median'] * 1000:.0f} ms wall "
        f"(python -c pass: {imp['python']['median'] * 1000:.0f} ms; notecheck's own import "
        f"{imp['importtime_us'] / 1000:.1f} ms)  load {imp['import']['load']}"
    )
    lines.append(
        f"notecheck on edition/: {cli['edition']['median'] * 1000:.0f} ms wall with the cache, "
        f"{cli['edition_no_cache']['median'] * 1000:.0f} ms without; notecheck --version: "
        f"{cli['version']['median'] * 1000:.0f} ms  load {cli['edition']['load']}"
    )
    for entries, bib in result["bibliography"].items():
        lines.append(
            f"bibliography of {int(entries):,} entries: parsed {bib['parse']:.3f} s wall / {bib['parse_cpu']:.3f} s cpu "
            f"(indexed {bib['parse_indexed']:.3f} / {bib['parse_indexed_cpu']:.3f}); from the cache, indexes "
            f"included, {bib['cache']:.4f} s wall / {bib['cache_cpu']:.4f} s cpu  load {bib['load']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="2,000 and 20,000 notes only (under two minutes)"
    )
    parser.add_argument("--sizes", type=int, nargs="+", choices=sorted(SIZES), help="corpus sizes (notes)")
    parser.add_argument("--repeat", type=int, help="runs per measurement (default 3; 5 for the quick ones)")
    parser.add_argument("--output", type=Path, help="the JSON result (default bench/results/<time>.json)")
    parser.add_argument("--worker", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker)
    sizes = args.sizes or ([2_000, 20_000] if args.quick else list(SIZES))
    repeat = args.repeat or 3
    started = time.perf_counter()
    result: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "quick": args.quick,
        "repeat": repeat,
        "targets": TARGETS,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        result["end_to_end"] = [
            end_to_end(notes, SIZES[notes], repeat, Path(scratch) / "report.json") for notes in sorted(sizes)
        ]
    result["import"] = import_time(max(7, repeat))
    result["cli"] = cli_time(max(5, repeat))
    result["bibliography"] = bibliography_time(repeat, args.quick)
    result["seconds"] = time.perf_counter() - started
    output = args.output or RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    output.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(table(result))
    print(
        f"\n({result['seconds']:.0f} s; written to {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output})"
    )
    return 0


def worker(argv: list[str]) -> int:
    kind, *rest = argv
    if kind == "end-to-end":
        truth = None
        if "--truth" in rest:
            truth = rest[rest.index("--truth") + 1]
            rest = rest[: rest.index("--truth")]
        result = worker_end_to_end(rest[0], rest[1], rest[2:], truth)
    elif kind == "bibliography":
        result = worker_bibliography(rest[0])
    else:
        raise SystemExit(f"unknown worker {kind}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
