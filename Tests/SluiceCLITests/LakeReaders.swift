import Foundation
import SluiceTestSupport

/// The independent readers the export tests check a lake with (pyarrow, DuckDB), as Python
/// programs; a missing module fails the test (`.ci/run` installs them).
enum LakeReaders {
    /// `python3 -c compare LAKE WAREHOUSE TABLE`: reads the lake with `pyarrow.dataset` (Hive
    /// partitioning) and the warehouse with Python's own sqlite3, and compares every value of
    /// every delivery (rows of a delivery as a multiset, since a column partitioning spreads them
    /// over folders). Prints `{"equal", "lake_rows", "warehouse_rows", "schema", "mismatch", "files"}`.
    static let compare = #"""
        import json, sqlite3, sys
        from collections import defaultdict
        import pyarrow.dataset as ds
        lake, warehouse, table = sys.argv[1], sys.argv[2], sys.argv[3]
        con = sqlite3.connect(f"file:{warehouse}?mode=ro", uri=True)
        columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        expected = defaultdict(list)
        for row in con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid"):
            expected[row[-1]].append(tuple(row))
        dataset = ds.dataset(lake, format="parquet", partitioning="hive")
        data = dataset.to_table()
        got = defaultdict(list)
        picked = data.select(columns).to_pylist()
        for row in picked:
            got[row["_ingest_id"]].append(tuple(row[c] for c in columns))
        mismatch = None
        for key in sorted(set(expected) | set(got)):
            a, b = sorted(expected.get(key, []), key=repr), sorted(got.get(key, []), key=repr)
            if a != b:
                mismatch = f"delivery {key}: warehouse {len(a)} rows, lake {len(b)}; first difference {next((x, y) for x, y in zip(a + [None] * len(b), b + [None] * len(a)) if x != y)}"
                break
        print(json.dumps({
            "equal": mismatch is None, "mismatch": mismatch,
            "lake_rows": data.num_rows, "warehouse_rows": sum(len(v) for v in expected.values()),
            "schema": [[f.name, str(f.type)] for f in data.schema], "files": len(dataset.files),
        }))
        """#

    /// `python3 -c reports LAKE QUERY.sql…`: a DuckDB view `student_data` over
    /// `read_parquet('LAKE/**/*.parquet', hive_partitioning = true)`, then each saved report.
    /// SQLite's integer division `(…) / 2` is DuckDB's `//` (the one non-portable spelling in the
    /// saved reports). Prints `{report name: rows}`, numbers as floats.
    static let reports = #"""
        import json, re, sys
        import duckdb
        lake = sys.argv[1]
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        con.execute(f"CREATE VIEW student_data AS SELECT * FROM read_parquet('{lake}/**/*.parquet', hive_partitioning = true)")
        out = {}
        for path in sys.argv[2:]:
            sql = re.sub(r"\) / 2(?![.\d])", ") // 2", open(path).read())
            name = path.rsplit("/", 1)[-1][:-4]
            out[name] = [[float(v) if isinstance(v, (int, float)) else v for v in row] for row in con.execute(sql).fetchall()]
        print(json.dumps(out))
        """#

    /// Compares the lake at `lake` with the warehouse of workspace `workspace`.
    static func compare(lake: URL, workspace: URL, table: String = "student_data") throws -> [String: Any] {
        try runPythonJSON(compare, [lake.path, workspace.appendingPathComponent("warehouse.sqlite").path, table])
            as? [String: Any] ?? [:]
    }
}
