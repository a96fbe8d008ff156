"""Lines of code of the read path, before issue 14 and now.

Usage, from the repository root::

    .venv/bin/python bench/loc.py                     # f71dbb8 (before) against HEAD
    .venv/bin/python bench/loc.py --before REV --after REV

The read path is what issue 14 names: the analyst pages' reads and data (activity, map_api, pages,
views), the caches of the counts and the report-per-day table, the API's serializers, related
lists, renderer, fields, base viewsets and timestamped model, the counts per hotspot, the
releasability rules (selectors before, querysets now, and webhooks' resources), and
authentication's token cache, token-use buffer and throttle. Modules are named by the globs
below (a module that moved is named at both places; features added since, such as the place
search, are not), read from git at both revisions: ``f71dbb8`` (the last commit before issue 14)
and HEAD. Migrations are left out at both ends (they stay in the history). Lines are counted as
``wc -l`` does, and without blank lines and comments.
"""

from __future__ import annotations

import argparse
import fnmatch
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REPO_ROOT, emit

BEFORE = "f71dbb8"
READ_PATH = [
    # The analyst pages' reads and their data (mss_portal/ before, analysis/ now).
    "mss_portal/activity.py",
    "mss_portal/map_api.py",
    "mss_portal/pages.py",
    "mss_portal/views.py",
    "analysis/activity.py",
    "analysis/map_api.py",
    "analysis/pages.py",
    "analysis/views.py",
    # Caches of the counts, and the tables kept for them (the triggers are migrations).
    "hotspots/activity_cache.py",
    "analysis/activity_cache.py",
    "core/read_cache.py",
    "operations/report_days.py",
    # The API's read path: serializers, counts per hotspot, related lists, renderers, fields, the
    # base viewsets and the timestamped model (mss_portal/ before, core/ now).
    "hotspots/api/serializers.py",
    "ingestion/api/serializers.py",
    "operations/api/serializers.py",
    "*/api/activity.py",
    "hotspots/api/places.py",
    "operations/api/contingents.py",
    "mss_portal/api/related.py",
    "mss_portal/api/renderers.py",
    "mss_portal/api/fields.py",
    "mss_portal/api/viewsets.py",
    "mss_portal/models.py",
    "core/api/related.py",
    "core/api/renderers.py",
    "core/api/fields.py",
    "core/api/viewsets.py",
    "core/models.py",
    # Releasability: three selectors modules and webhooks' resources before, querysets now.
    "hotspots/selectors.py",
    "operations/selectors.py",
    "webhooks/selectors.py",
    "*/querysets.py",
    "accounts/releasability.py",
    "webhooks/resources.py",
    # Authentication's caches, token lookup and token-use buffer (services.py), and throttle.
    "accounts/token_cache.py",
    "accounts/services.py",
    "accounts/authentication.py",
    "accounts/backends.py",
    "mss_portal/api/throttles.py",
    "accounts/throttles.py",
    "accounts/tasks.py",
]


def files(revision: str) -> list[str]:
    names = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", revision],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return sorted(
        n for n in names if "/migrations/" not in n and any(fnmatch.fnmatchcase(n, g) for g in READ_PATH)
    )


def count(revision: str, name: str) -> tuple[int, int]:
    text = subprocess.run(
        ["git", "show", f"{revision}:{name}"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout
    lines = text.splitlines()
    code = [line for line in lines if line.strip() and not line.strip().startswith("#")]
    return len(lines), len(code)


def measure(revision: str) -> dict[str, tuple[int, int]]:
    return {name: count(revision, name) for name in files(revision)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=BEFORE)
    parser.add_argument("--after", default="HEAD")
    args = parser.parse_args()
    before, after = measure(args.before), measure(args.after)
    print(f"{'file':<40} {args.before:>10} {args.after:>10}")
    for name in sorted(set(before) | set(after)):
        b, a = before.get(name, (0, 0))[0], after.get(name, (0, 0))[0]
        print(f"{name:<40} {b or '-':>10} {a or '-':>10}")
    totals = {
        "before_lines": sum(v[0] for v in before.values()),
        "after_lines": sum(v[0] for v in after.values()),
        "before_code": sum(v[1] for v in before.values()),
        "after_code": sum(v[1] for v in after.values()),
    }
    fewer = 1 - totals["after_code"] / totals["before_code"]
    print(
        f"\nlines: {totals['before_lines']:,} -> {totals['after_lines']:,}; without blanks and comments: "
        f"{totals['before_code']:,} -> {totals['after_code']:,} ({fewer:.0%} fewer; target at least 33 %)"
    )
    emit(
        "loc",
        command=" ".join(["bench/loc.py", *sys.argv[1:]]),
        before=args.before,
        after=args.after,
        files={"before": len(before), "after": len(after)},
        fewer=round(fewer, 3),
        targets={"a_third_fewer": fewer >= 1 / 3},
        **totals,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
