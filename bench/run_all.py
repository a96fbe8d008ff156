"""Run every benchmark and print one table: figures, their baselines from the same run, scale ratios, targets.

Usage, from the repository root (``make bench`` runs it)::

    .venv/bin/python bench/run_all.py [--quick] [--only extract,ingest] [--docs]

Each benchmark is a script under bench/ that prints, as its last line, ``BENCH {json}``; this
runner starts each one, shows its output as it goes (and keeps it in var/bench/<name>.log), reads
that line and builds the table. A benchmark that is not there yet, fails, or prints no such line
is reported as such in the table; the others still run. ``--docs`` also writes the table into
docs/benchmarks.md (between its ``bench:table`` markers); var/bench/last-run.md and .json always
get it.

The machine is shared with other work, so absolute times vary from run to run: every benchmark
measures its baseline (naive extraction, raw SQL) in the same run, and the ratios are the figures
to compare.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import BENCH_PREFIX, PYTHON, REPO_ROOT, machine

OUT = REPO_ROOT / "var" / "bench"
DOCS = REPO_ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:table:start -->", "<!-- bench:table:end -->"
# The table the run before wrote, kept below the new one so that both can be read side by side.
PREVIOUS_START, PREVIOUS_END = "<!-- bench:previous:start -->", "<!-- bench:previous:end -->"
TIMEOUT = 4 * 3600
NONE = "-"

# name: (script, arguments, arguments with --quick)
BENCHES: dict[str, tuple[str, list[str], list[str]]] = {
    "extract": ("bench/extract.py", [], []),
    "api": ("bench/api.py", [], []),
    "map": ("bench/map.py", [], []),
    "ingest": ("bench/ingest.py", [], ["--quick"]),
    "scale": ("bench/scale.py", [], ["--quick"]),
    "heldout": ("bench/heldout.py", [], []),
    "ingest_memory": ("bench/ingest_memory.py", [], ["--size-mb", "100"]),
    "load": ("bench/load.py", [], ["--scale", "10000", "--seconds", "20"]),
    "loc": ("bench/loc.py", [], []),
}


def run(name: str, quick: bool) -> dict:
    """Run one benchmark; returns its BENCH document, or what went wrong."""
    script, args, quick_args = BENCHES[name]
    command = [script, *(quick_args if quick else args)]
    if not (REPO_ROOT / script).exists():
        return {
            "bench": name,
            "status": f"not available ({script} is not there yet)",
            "command": " ".join(command),
        }
    OUT.mkdir(parents=True, exist_ok=True)
    log = OUT / f"{name}.log"
    print(f"\n### {' '.join(command)}", flush=True)
    started = time.perf_counter()
    lines: list[str] = []
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            [PYTHON, *command], cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        try:
            for line in process.stdout:
                sys.stdout.write(line)
                sink.write(line)
                lines.append(line.rstrip("\n"))
            code = process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            code = "timeout"
    seconds = round(time.perf_counter() - started)
    document = next(
        (json.loads(line[len(BENCH_PREFIX) :]) for line in reversed(lines) if line.startswith(BENCH_PREFIX)),
        None,
    )
    if document is None:
        document = {"bench": name, **fallback(name, lines)}
        document["status"] = (
            document.get("status") or f"exit {code}, no BENCH line (see var/bench/{name}.log)"
        )
    else:
        document.setdefault("status", "ok" if code == 0 else f"ok, exit {code} (a target not met)")
    document.update(command=" ".join(command), seconds=seconds, exit=code)
    return document


def fallback(name: str, lines: list[str]) -> dict:
    """Figures read from a benchmark's own text when it prints no BENCH line yet (bench/map.py's wording)."""
    text = "\n".join(lines)
    if name == "map":
        found = {}
        for key, pattern in {
            "markers_ms": r"Navigation to markers: median ([\d,.]+) ms",
            "first_request_kb": r"First data request:\s+([\d,.]+) KB gzip",
            "first_request_ms": r"answered in:\s+median ([\d,.]+) ms",
        }.items():
            match = re.search(pattern, text)
            if match:
                found[key] = float(match.group(1).replace(",", ""))
        if found:
            return {"parsed_from_text": found, "status": "ok (read from its text output)"}
    return {}


# --- The table ------------------------------------------------------------------------------------


def _fmt(value, unit: str = "") -> str:
    if value is None:
        return NONE
    if isinstance(value, float):
        value = f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value}{unit}"


def _met(flag) -> str:
    return NONE if flag is None else ("met" if flag else "**not met**")


def rows_extract(doc: dict) -> list[list[str]]:
    cases = doc.get("cases", {})
    synthetic, seed = cases.get("synthetic", {}), cases.get("seed", {})
    ours, base = synthetic.get("posts_per_second"), synthetic.get("baseline_posts_per_second")
    scale = ours / seed["posts_per_second"] if ours and seed.get("posts_per_second") else None
    targets = doc.get("targets", {})
    return [
        [
            "extraction, 10,000 aliases (posts/s, one core)",
            _fmt(ours),
            f"{_fmt(base)} (regex per alias)",
            _fmt(ours / base if ours and base else None, "x"),
            f"{_fmt(scale, 'x')} (108 → 10,000 aliases)",
            "≥ 5,000/s and ≥ 20x",
            _met(targets.get("posts_per_second") and targets.get("vs_baseline")),
        ]
    ]


def rows_ingest(doc: dict) -> list[list[str]]:
    results = doc.get("results", [])
    if not results:
        return []
    first, last = results[0], results[-1]
    rows = []
    for r in results:
        rows.append(
            [
                f"ingestion end to end, {r['posts']:,} posts, at {r['reports']:,} reports / {r['updates']:,} "
                "updates (posts/s)",
                _fmt(r["posts_per_second"]),
                f"store alone {_fmt(r['store_posts_per_second'])}/s",
                NONE,
                _fmt(doc.get("scale_ratio"), "x") if r is last and len(results) > 1 else "",
                "≥ 200/s on 2 cores",
                _met(r["posts_per_second"] >= 200),
            ]
        )
    rss = max(r["rss_max_mb"] for r in results)
    rows.append(
        [
            "worker process RSS, max over the runs (MB)",
            _fmt(rss),
            NONE,
            NONE,
            _fmt(last["rss_max_mb"] / first["rss_max_mb"] if first["rss_max_mb"] else None, "x"),
            "< 300 MB",
            _met(rss < 300),
        ]
    )
    return rows


def rows_scale(doc: dict) -> list[list[str]]:
    results = doc.get("results", [])
    if not results:
        return []
    last, first = results[-1], results[0]
    multi = len(results) > 1
    at = f"{last['reports']:,} reports / {last['updates']:,} updates"
    rows = []
    for name, c in last["collections"].items():
        before = first["collections"][name]
        rows.append(
            [
                f"API /{name}/ first 100-item page at {at} (ms)",
                _fmt(c["first_ms"]),
                f"{_fmt(c['raw_first_ms'])} (raw SQL + json)",
                _fmt(c["first_vs_raw"], "x"),
                _fmt(c["first_ms"] / before["first_ms"], "x") if multi else "",
                "≤ 3x raw",
                _met(c["first_vs_raw"] <= 3),
            ]
        )
        rows.append(
            [
                f"API /{name}/ deep page (90 % down) at {at} (ms)",
                _fmt(c["deep_ms"]),
                f"first page {_fmt(c['first_ms'])}",
                _fmt(c["deep_vs_first"], "x"),
                _fmt(c["deep_ms"] / before["deep_ms"], "x") if multi else "",
                "≤ 1.2x the first",
                _met(c["deep_vs_first"] <= 1.2),
            ]
        )
    m, m0 = last["map"], first["map"]
    rows.append(
        [
            f"map first request, cached, at {at} (ms)",
            _fmt(m["warm_ms"]),
            f"uncached {_fmt(m['cold_ms'])}",
            NONE,
            _fmt(m["warm_ms"] / m0["warm_ms"], "x") if multi else "",
            "< 50 ms",
            _met(m["warm_ms"] < 50),
        ]
    )
    rows.append(
        [
            f"map first request, nothing cached (data version moved on), at {at} (ms)",
            _fmt(m["cold_ms"]),
            NONE,
            NONE,
            _fmt(m["cold_ms"] / m0["cold_ms"], "x") if multi else "",
            "< 150 ms",
            _met(m["cold_ms"] < 150),
        ]
    )
    rows.append(
        [
            "map first request, size (KB gzip)",
            _fmt(m["bytes_gzip"] / 1000),
            NONE,
            NONE,
            _fmt(m["bytes_gzip"] / m0["bytes_gzip"], "x") if multi else "",
            "< 250 KB (issue 5)",
            _met(m["bytes_gzip"] < 250_000),
        ]
    )
    for row in last.get("endpoints", []):
        if "ms" not in row:
            continue
        cold = row.get("cold_ms")
        rows.append(
            [
                f"{row['endpoint']}, {row['role']}, first request at {at} (ms)",
                _fmt(row["ms"]),
                f"nothing cached {_fmt(cold)}" if cold is not None else NONE,
                NONE,
                "",
                "< 200 ms",
                _met(row["ms"] < 200),
            ]
        )
    return rows


def rows_load(doc: dict) -> list[list[str]]:
    r = doc["result"]
    what = f"{r['clients']} clients, 2 gunicorn workers, {doc['scale']:,} reports, {r['seconds']:.0f} s"
    return [
        [f"load: requests/s ({what})", _fmt(r["rps"]), NONE, NONE, "", "≥ 75/s", _met(r["rps"] >= 75)],
        [
            f"load: p99 (ms), p50 {_fmt(r['p50_ms'])}",
            _fmt(r["p99_ms"]),
            NONE,
            NONE,
            "",
            "< 1,000 ms",
            _met(r["p99_ms"] < 1000),
        ],
        [
            f"load: errors of {r['requests']:,} requests",
            str(r["errors"]),
            NONE,
            NONE,
            "",
            "0",
            _met(not r["errors"]),
        ],
    ]


def rows_loc(doc: dict) -> list[list[str]]:
    return [
        [
            f"read path, lines without blanks and comments ({doc['files']['after']} files at {doc['after']})",
            f"{doc['after_code']:,}",
            f"{doc['before_code']:,} at {doc['before']}",
            f"{1 - doc['fewer']:.2f}x",
            "",
            "≥ a third fewer",
            _met(doc["targets"]["a_third_fewer"]),
        ]
    ]


def rows_generic(doc: dict) -> list[list[str]]:
    """A benchmark of another issue: its own `table` rows if it gives them, else its figures as they are."""
    if isinstance(doc.get("table"), list):
        return [
            [
                str(r.get("measure", "?")),
                _fmt(r.get("value")),
                _fmt(r.get("baseline")),
                _fmt(r.get("ratio"), "x"),
                _fmt(r.get("scale_ratio"), "x"),
                str(r.get("target", NONE)),
                _met(r.get("met")),
            ]
            for r in doc["table"]
        ]
    figures = doc.get("parsed_from_text") or {
        k: v for k, v in doc.items() if k not in ("bench", "status", "command", "seconds", "exit", "machine")
    }
    if not figures:
        return []
    summary = "; ".join(f"{k} {v}" for k, v in figures.items() if not isinstance(v, dict | list))
    return [[f"{doc['bench']}: {summary[:300]}", "", "", "", "", "see its issue", NONE]]


def rows_map(doc: dict) -> list[list[str]]:
    """bench/map.py: its own `table` rows once it prints them, else the figures read from its text."""
    if isinstance(doc.get("table"), list):
        return rows_generic(doc)
    found = doc.get("parsed_from_text") or {}
    if not found:
        return rows_generic(doc)
    at = "1,000 hotspots / 100,000 updates"
    rows = []
    if "markers_ms" in found:
        ms = found["markers_ms"]
        label = f"map: navigation to all markers drawn, {at} (ms, Chromium)"
        rows.append([label, _fmt(ms), NONE, NONE, NONE, "≤ 1,500 ms (issue 5)", _met(ms <= 1500)])
    if "first_request_kb" in found:
        kb = found["first_request_kb"]
        label, served = (
            f"map: first data request, {at} (KB gzip)",
            f"answered in {_fmt(found.get('first_request_ms'))} ms",
        )
        rows.append([label, _fmt(kb), served, NONE, NONE, "< 250 KB (issue 5)", _met(kb < 250)])
    return rows


def rows_heldout(doc: dict) -> list[list[str]]:
    """Extraction on the held-out posts (ingestion/data/heldout): the score, not a time."""
    rows = []
    for key, label, target in [
        ("kind_accuracy", "kinds right", 0.9),
        ("figure_exactness", "posts with every figure right", 1.0),
        ("hotspot_recall", "hotspot mentions found", 1.0),
    ]:
        value = doc.get(key)
        rows.append(
            [
                f"held-out set, {doc.get('posts', 0):,} posts: {label} (%)",
                _fmt(value * 100 if value is not None else None),
                "69.0 / 86.9 / 100 before issue 12 changed the classifier (the set's README)",
                NONE,
                NONE,
                f"≥ {target:.0%}",
                _met(value is not None and value >= target),
            ]
        )
    return rows


def rows_ingest_memory(doc: dict) -> list[list[str]]:
    return [
        [
            f"ingest_posts peak memory, {doc.get('file_mb', 0):,.0f} MB JSON Lines, "
            f"{doc.get('posts', 0):,} posts (MB)",
            _fmt(doc.get("peak_rss_mb")),
            f"{_fmt(doc.get('check_rss_mb'))} (manage.py check)",
            _fmt(doc.get("ratio_to_check"), "x"),
            f"{_fmt(doc.get('ratio_to_small_file'), 'x')} (vs a 2 MB file)",
            f"≤ {doc.get('target_mb', 300)} MB for 1 GB",
            _met(doc.get("target_met")),
        ]
    ]


ROWS = {
    "extract": rows_extract,
    "ingest": rows_ingest,
    "scale": rows_scale,
    "map": rows_map,
    "heldout": rows_heldout,
    "ingest_memory": rows_ingest_memory,
    "load": rows_load,
    "loc": rows_loc,
}
HEADER = ["measure", "result", "baseline (same run)", "vs baseline", "10k → 1M", "target", "met"]


def table(documents: list[dict]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for doc in documents:
        try:
            rows = ROWS.get(doc["bench"], rows_generic)(doc) if doc.get("status", "").startswith("ok") else []
        except (KeyError, TypeError, ZeroDivisionError) as exc:
            rows, doc["status"] = [], f"{doc.get('status')}; could not read its figures ({exc!r})"
        if not rows:
            rows = [[f"{doc['bench']}: {doc.get('status', '?')}", "", "", "", "", "", NONE]]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def report(documents: list[dict], facts: dict[str, str], started: str) -> str:
    commands = "\n".join(
        f"- `{doc['command']}`: {doc.get('status')}, {_fmt(doc.get('seconds'))} s" for doc in documents
    )
    machine_lines = "\n".join(f"- {key}: {value}" for key, value in facts.items())
    return (
        f"Run of {started} (UTC).\n\n{table(documents)}\n\n"
        f"Machine:\n\n{machine_lines}\n\n"
        f"Commands (from the repository root, `.venv/bin/python ...`):\n\n{commands}\n"
    )


def with_table(document: str, text: str) -> str:
    """docs/benchmarks.md with ``text`` as the last run's table, and the table it replaces as the run
    before (between the `bench:previous` markers, added after the table when missing)."""
    head, rest = document.split(START, 1)
    before, tail = rest.split(END, 1)
    if PREVIOUS_START in tail and PREVIOUS_END in tail:
        tail_head, tail_rest = tail.split(PREVIOUS_START, 1)
        _, tail_tail = tail_rest.split(PREVIOUS_END, 1)
        tail = f"{tail_head}{PREVIOUS_START}\n{before.strip()}\n{PREVIOUS_END}{tail_tail}"
    else:
        tail = f"\n\n## The run before\n\n{PREVIOUS_START}\n{before.strip()}\n{PREVIOUS_END}{tail}"
    return f"{head}{START}\n{text}\n{END}{tail}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="smaller runs (ingest and scale at 10k and 100k)"
    )
    parser.add_argument("--only", help="comma-separated names: " + ", ".join(BENCHES))
    parser.add_argument("--docs", action="store_true", help="also write the table into docs/benchmarks.md")
    parser.add_argument(
        "--rebuild", action="store_true", help="no run: the table again from var/bench/last-run.json"
    )
    args = parser.parse_args()
    names = args.only.split(",") if args.only else list(BENCHES)
    unknown = set(names) - set(BENCHES)
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(sorted(unknown))}")

    if args.rebuild:
        saved = json.loads((OUT / "last-run.json").read_text(encoding="utf-8"))
        started, facts, documents = saved["started"], saved["machine"], saved["documents"]
    else:
        started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
        facts = machine()
        documents = [run(name, args.quick) for name in names]
    text = report(documents, facts, started)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "last-run.md").write_text(text, encoding="utf-8")
    saved = {"started": started, "machine": facts, "documents": documents}
    (OUT / "last-run.json").write_text(json.dumps(saved, indent=1, default=str), encoding="utf-8")
    if args.docs and DOCS.exists():
        current = DOCS.read_text(encoding="utf-8")
        if START in current and END in current:
            DOCS.write_text(with_table(current, text), encoding="utf-8")
    print("\n" + "=" * 100 + "\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
