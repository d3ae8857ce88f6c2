import Foundation
import SluiceParquet
import SluiceTestSupport
import Testing

/// DATE, TIMESTAMP and BOOLEAN columns read back by pyarrow and DuckDB (installed by `.ci/run`;
/// a missing reader fails the test): physical and logical types as the Parquet spec names them,
/// and every value, printed by Python as day and microsecond counts it computes itself.
struct ParquetLogicalTypeTests {
    static let dump = #"""
        import json, sys, datetime
        import pyarrow.parquet as pq, duckdb
        path = sys.argv[1]
        epoch_day, epoch = datetime.date(1970, 1, 1), datetime.datetime(1970, 1, 1)
        def enc(v):
            if v is None: return None
            if isinstance(v, bool): return "true" if v else "false"
            if isinstance(v, datetime.datetime):
                d = v - epoch
                return str(d.days * 86400000000 + d.seconds * 1000000 + d.microseconds)
            if isinstance(v, datetime.date): return str((v - epoch_day).days)
            return str(v)
        pf = pq.ParquetFile(path)
        table = pf.read()
        columns = [pf.schema.column(i) for i in range(len(table.columns))]
        rows = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").fetchall()
        types = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
        stats = pf.metadata.row_group(0).column(0).statistics
        print(json.dumps({
            "arrow": [str(f.type) for f in table.schema],
            "physical": [c.physical_type for c in columns],
            "logical": [str(c.logical_type) for c in columns],
            "duckdb_types": [t[1] for t in types],
            "pyarrow": [[enc(v) for v in col.to_pylist()] for col in table.columns],
            "duckdb": [[enc(r[i]) for r in rows] for i in range(len(table.columns))],
            "date_stats": [enc(stats.min), enc(stats.max)],
        }))
        """#

    @Test func datesTimestampsAndBooleansKeepTheirTypesAndValues() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("typed.parquet").path
            let schema = ParquetSchema(fields: [
                ParquetField(name: "day", type: .date), ParquetField(name: "at", type: .timestamp, isNullable: true),
                ParquetField(name: "ok", type: .boolean), ParquetField(name: "maybe", type: .boolean, isNullable: true),
            ])
            let rows = 1_000
            // Days from 0001-01-01 (-719162) to 9999-12-31 (2932896) and around the epoch.
            let days: [Int64] = (0..<rows).map { row in
                switch row {
                case 0: -719_162
                case 1: 2_932_896
                default: Int64(row % 40) * 400 - 8_000
                }
            }
            let micros: [Int64] = (0..<rows).map { Int64($0) * 86_400_000_123 - 500_000 }
            let flags: [Int64] = (0..<rows).map { $0 % 3 == 0 ? 1 : 0 }
            let columns = [
                ParquetColumn(values: .int64(days)),
                ParquetColumn(values: .int64(micros), validity: (0..<rows).map { $0 % 7 != 0 }),
                ParquetColumn(values: .int64(flags)),
                ParquetColumn(values: .int64(flags.map { 1 - $0 }), validity: (0..<rows).map { $0 % 5 != 0 }),
            ]
            let writer = try ParquetWriter(
                path: path, schema: schema,
                options: ParquetWriterOptions(rowGroupRows: 600, pageRows: 100, durable: false))
            try writer.append(columns)
            try writer.finish()

            let result = try #require(try runPythonJSON(Self.dump, [path]) as? [String: Any])
            #expect(result["arrow"] as? [String] == ["date32[day]", "timestamp[us]", "bool", "bool"])
            #expect(result["physical"] as? [String] == ["INT32", "INT64", "BOOLEAN", "BOOLEAN"])
            let logical = try #require(result["logical"] as? [String])
            #expect(logical[0] == "Date")
            #expect(logical[1].contains("isAdjustedToUTC=false") && logical[1].contains("microseconds"))
            #expect(result["duckdb_types"] as? [String] == ["DATE", "TIMESTAMP", "BOOLEAN", "BOOLEAN"])
            let expected: [[String?]] = columns.indices.map { index in
                guard case .int64(let values) = columns[index].values else { return [] }
                return values.enumerated().map { row, value in
                    if columns[index].validity?[row] == false { return nil }
                    if schema.fields[index].type == .boolean { return value == 1 ? "true" : "false" }
                    return String(value)
                }
            }
            for reader in ["pyarrow", "duckdb"] {
                let got = try #require(result[reader] as? [[Any]]).map { $0.map { $0 as? String } }
                for index in expected.indices { #expect(got[index] == expected[index], "\(reader), column \(index)") }
            }
            // Row group 0 holds rows 0…599: the smallest and largest day are rows 0 and 1.
            #expect(result["date_stats"] as? [String] == ["-719162", "2932896"])
        }
    }

    @Test func aDayOutsideInt32IsRefused() throws {
        try withTemporaryDirectory { dir in
            let writer = try ParquetWriter(
                path: dir.appendingPathComponent("x.parquet").path,
                schema: ParquetSchema(fields: [ParquetField(name: "day", type: .date)]),
                options: ParquetWriterOptions(durable: false))
            #expect(throws: ParquetError.self) {
                try writer.append([ParquetColumn(values: .int64([Int64(Int32.max) + 1]))])
            }
        }
    }
}
