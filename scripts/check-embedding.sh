#!/usr/bin/env bash
# Proves the library's front door as an embedder meets it: builds Examples/EmbedSluice (the
# "Getting started" article's code) against this checkout as a path dependency named `sluice`
# with `traits: []`, checks that SwiftPM resolved nothing but swift-log (no Hummingbird, SwiftNIO,
# swift-crypto, AsyncHTTPClient, argument-parser), runs it, and checks its output: one record,
# loaded, 395 rows; q5's medians equal to Python's statistics.median over the same CSV.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ln -s "$repo" "$work/sluice"
mkdir "$work/app"
cp -R "$repo/Examples/EmbedSluice/Package.swift" "$repo/Examples/EmbedSluice/Sources" "$work/app/"
cd "$work/app"
swift build 2>&1 | tail -3
pins=$(python3 -c 'import json,sys; print(" ".join(sorted(p["identity"] for p in json.load(open("Package.resolved"))["pins"])))' 2>/dev/null || echo "")
echo "resolved: ${pins:-nothing}"
if [ "$pins" != "swift-log" ]; then
    echo "error: an engine-only embedder resolved more than swift-log: $pins" >&2
    exit 1
fi
out="$(swift run --skip-build EmbedSluice "$repo")"
echo "$out"
python3 - "$repo/data/student-mat.csv" "$out" <<'PY'
import csv, json, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1], newline=""), delimiter=";"))
lines = sys.argv[2].splitlines()
assert lines[0].split()[:2] == ["loaded", str(len(rows))], f"first line: {lines[0]!r}, want loaded {len(rows)}"
report = json.loads(lines[1])
assert report["name"].startswith("q5_") and report["columns"] == ["sex", "famrel", "median_absences"], report
groups = {}
for row in rows:
    if int(row["famrel"]) in (1, 2, 3):
        groups.setdefault((row["sex"].lower(), int(row["famrel"])), []).append(int(row["absences"]))
want = [[sex, famrel, statistics.median(values)] for (sex, famrel), values in sorted(groups.items())]
got = [[sex.lower(), famrel, value] for sex, famrel, value in report["rows"]]
assert got == want, f"q5 rows {got} != Python's medians {want}"
print(f"ok: {len(rows)} rows loaded; q5's {len(want)} medians match Python's statistics.median")
PY
