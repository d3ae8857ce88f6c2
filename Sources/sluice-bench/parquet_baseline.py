#!/usr/bin/env python3
"""Parquet baseline for `sluice-bench columnar`: writes the same data with pyarrow + zstd.

Usage: parquet_baseline.py DATA.csv TYPES OUT.parquet RUNS
  DATA.csv  semicolon-separated, header row, no quoting (written by the bench)
  TYPES     comma-separated list of int64|double|string, one per column
Prints one JSON object: bytes, write_seconds and read_seconds (medians over RUNS), rows.
Single-threaded on both sides (use_threads=False) to match the one-thread Swift figures.
"""
import json
import statistics
import sys
import time

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq


def main() -> None:
    csv_path, types, out_path, runs = sys.argv[1], sys.argv[2].split(","), sys.argv[3], int(sys.argv[4])
    pa.set_cpu_count(1)
    with open(csv_path, encoding="utf-8") as handle:
        names = handle.readline().rstrip("\n").split(";")
    arrow_types = {"int64": pa.int64(), "double": pa.float64(), "string": pa.string()}
    table = pacsv.read_csv(
        csv_path,
        read_options=pacsv.ReadOptions(use_threads=False),
        parse_options=pacsv.ParseOptions(delimiter=";", quote_char=False),
        convert_options=pacsv.ConvertOptions(
            column_types={n: arrow_types[t] for n, t in zip(names, types)},
            strings_can_be_null=False,
        ),
    )
    writes, reads = [], []
    for _ in range(runs):
        start = time.perf_counter()
        pq.write_table(table, out_path, compression="zstd")
        writes.append(time.perf_counter() - start)
        start = time.perf_counter()
        back = pq.read_table(out_path, use_threads=False)
        reads.append(time.perf_counter() - start)
        assert back.num_rows == table.num_rows
    import os

    print(json.dumps({
        "bytes": os.path.getsize(out_path),
        "write_seconds": statistics.median(writes),
        "read_seconds": statistics.median(reads),
        "rows": table.num_rows,
        "pyarrow": pa.__version__,
    }))


if __name__ == "__main__":
    main()
