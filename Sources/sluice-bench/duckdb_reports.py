#!/usr/bin/env python3
"""DuckDB baseline for `sluice-bench reports`: the saved reports over the same rows.

Usage: duckdb_reports.py CSV_GLOB TEXT_COLUMNS DB RUNS QUERY.sql...
  CSV_GLOB      the delivered files (the workspace's archive/*.csv)
  TEXT_COLUMNS  comma-separated names of the text columns, lower-cased like Sluice cleans them;
                every other column is a BIGINT
  DB            a DuckDB file to create
Loads the files into table student_data (every field read as text, names normalised, text
trimmed and lower-cased, the rest cast to BIGINT; DuckDB's own type guess would make yes/no a
BOOLEAN), then runs each query RUNS times. SQLite's integer division `/ 2` is DuckDB's `// 2`.
Prints one JSON object: load_seconds, rows, and per query its median seconds and its rows.
"""
import json
import re
import statistics
import sys
import time

import duckdb


def main() -> None:
    csv_glob, text_columns, db, runs = sys.argv[1], sys.argv[2].split(","), sys.argv[3], int(sys.argv[4])
    con = duckdb.connect(db)
    con.execute("SET enable_progress_bar = false")  # it writes to stdout past 2 s
    start = time.time()
    relation = f"read_csv('{csv_glob}', delim=';', header=true, normalize_names=true, all_varchar=true)"
    names = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]
    select = ", ".join(f"lower(trim({n})) AS {n}" if n in text_columns else f"CAST(trim({n}) AS BIGINT) AS {n}" for n in names)
    con.execute(f"CREATE TABLE student_data AS SELECT {select} FROM {relation}")
    load = time.time() - start
    rows = con.execute("SELECT count(*) FROM student_data").fetchone()[0]
    results = {}
    for path in sys.argv[5:]:
        sql = re.sub(r"\) / 2\b", ") // 2", open(path).read())
        times, answer = [], None
        for _ in range(runs):
            start = time.time()
            answer = con.execute(sql).fetchall()
            times.append(time.time() - start)
        results[path.rsplit("/", 1)[-1][:-4]] = {
            "seconds": statistics.median(times),
            "rows": [[float(v) if isinstance(v, (int, float)) else v for v in row] for row in answer],
        }
    print(json.dumps({"load_seconds": load, "rows": rows, "reports": results}))


if __name__ == "__main__":
    main()
