#!/usr/bin/env python3
"""Baseline for `sluice-bench export`: pyarrow's own Parquet+zstd of the same table.

Usage: export_baseline.py WAREHOUSE TABLE OUT.parquet RUNS
  WAREHOUSE  the workspace's warehouse.sqlite (read-only)
  TABLE      the data table; every column is read, _ingest_id included (as in the lake)
Builds one Arrow table (integers as int64, text as string, in rowid order) and writes it with
pq.write_table(compression="zstd") and pyarrow's other defaults, RUNS times.
Prints one JSON object: bytes, write_seconds (median), rows, pyarrow.
"""
import json
import os
import sqlite3
import statistics
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq


def main() -> None:
    db, table, out, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    info = con.execute(f"PRAGMA table_info({table})").fetchall()
    names = [row[1] for row in info]
    types = [pa.int64() if row[2].upper() == "INTEGER" else pa.float64() if row[2].upper() == "REAL" else pa.string() for row in info]
    rows = con.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY rowid").fetchall()
    columns = list(zip(*rows)) if rows else [[] for _ in names]
    data = pa.table([pa.array(values, type=kind) for values, kind in zip(columns, types)], names=names)
    writes = []
    for _ in range(runs):
        start = time.perf_counter()
        pq.write_table(data, out, compression="zstd")
        writes.append(time.perf_counter() - start)
    print(json.dumps({
        "bytes": os.path.getsize(out),
        "write_seconds": statistics.median(writes),
        "rows": data.num_rows,
        "pyarrow": pa.__version__,
    }))


if __name__ == "__main__":
    main()
