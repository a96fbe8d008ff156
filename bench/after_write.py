"""What one write costs the readers: each read of the load's mix right after the data version moved,
against the same read once the answers are kept again.

Usage, from the repository root::

    .venv/bin/python bench/after_write.py                  # 1,000,000 reports, 3 rounds
    .venv/bin/python bench/after_write.py --scale 10000 --rounds 1

The portal is served as bench/load.py serves it (gunicorn, 2 workers, production settings, Redis
cache) on the same database. Each round moves the read cache's data version on, as any write does,
then reads every (role, endpoint) of bench/load.py's mix once, one at a time (the first reader of
each answer computes it), then once more (warm). It prints the sums of a round and the reads a write
costs most: what the load's p99 is made of, where the load itself only shows queues.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    REPO_ROOT,
    database_url,
    emit,
    free_port,
    get,
    serve,
)
from bench.load import mix_of
from bench.scale import CACHE_URL, measured_at_scale

SHOWN = 12


def measure(database: str, rounds: int) -> dict:
    """In a process set up for ``database``: serve it, then time each read after a write and warm."""
    from core import read_cache

    port = free_port()
    log = REPO_ROOT / "var" / "bench-after-write-gunicorn.log"
    log.parent.mkdir(exist_ok=True)
    server = serve(database, port, log, CACHE_URL=CACHE_URL)
    try:
        mix = mix_of(port)
        first: dict[str, list[float]] = {name: [] for name, _, _ in mix}
        warm: dict[str, list[float]] = {name: [] for name, _, _ in mix}
        for _ in range(rounds):
            read_cache.bump()
            for name, path, credential in mix:
                first[name].append(get(port, path, credential)[0])
            for name, path, credential in mix:
                warm[name].append(get(port, path, credential)[0])
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    mean = {name: (sum(first[name]) / rounds, sum(warm[name]) / rounds) for name in first}
    costliest = sorted(mean.items(), key=lambda item: item[1][1] - item[1][0])
    return {
        "mix": len(mix),
        "rounds": rounds,
        "after_write_ms": [round(sum(first[n][i] for n in first)) for i in range(rounds)],
        "warm_ms": [round(sum(warm[n][i] for n in warm)) for i in range(rounds)],
        "costliest": [
            {"endpoint": name, "after_write_ms": round(after, 1), "warm_ms": round(kept, 1)}
            for name, (after, kept) in costliest[:SHOWN]
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1_000_000, help="operation reports in the database")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        import django

        os.environ["DATABASE_URL"] = database_url(args.measure)
        django.setup()
        print(json.dumps(measure(args.measure, args.rounds)))
        return 0

    result = measured_at_scale(__file__, args.scale, "--rounds", str(args.rounds))
    print(f"\n{result['mix']} (role, endpoint) reads, one at a time, {args.scale:,} reports:")
    for i, (after, kept) in enumerate(zip(result["after_write_ms"], result["warm_ms"], strict=True)):
        cost = after - kept
        print(f"  round {i + 1}: after a write {after:,} ms, warm {kept:,} ms: the write cost {cost:,} ms")
    print("the reads a write costs most (mean of the rounds):")
    for row in result["costliest"]:
        print(
            f"  {row['endpoint']:<40} after a write {row['after_write_ms']:8.1f}  warm {row['warm_ms']:7.1f}"
        )
    emit(
        "after_write",
        command=" ".join(["bench/after_write.py", *sys.argv[1:]]),
        scale=args.scale,
        result=result,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
