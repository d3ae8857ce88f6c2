import Foundation
import SluiceParquet
import SluiceTestSupport
import Testing

/// Files from ``ParquetWriter`` read by independent readers: pyarrow and DuckDB (installed by
/// `.ci/run`; a missing reader fails these tests).
struct ParquetInteropTests {
    /// Prints a file's schema, statistics and every value as JSON, by pyarrow and by DuckDB:
    /// doubles as their IEEE bit patterns, strings as the hex of their UTF-8 bytes.
    static let dump = #"""
        import json, struct, sys
        import pyarrow.parquet as pq, duckdb
        path = sys.argv[1]
        def enc(v):
            if v is None: return None
            if isinstance(v, float): return "0x%x" % struct.unpack("<Q", struct.pack("<d", v))[0]
            if isinstance(v, str): return v.encode("utf-8").hex()
            return str(v)
        table = pq.read_table(path)
        meta = pq.ParquetFile(path).metadata
        stats = []
        for g in range(meta.num_row_groups):
            for c in range(meta.num_columns):
                s = meta.row_group(g).column(c).statistics
                stats.append(None if s is None or not s.has_min_max else [enc(s.min), enc(s.max), s.null_count])
        rows = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").fetchall()
        print(json.dumps({
            "schema": [[f.name, str(f.type), f.nullable] for f in table.schema],
            "rows": table.num_rows,
            "pyarrow": [[enc(v) for v in col.to_pylist()] for col in table.columns],
            "duckdb": [[enc(r[i]) for r in rows] for i in range(len(table.columns))],
            "stats": stats,
            "created_by": meta.created_by,
        }))
        """#

    @Test func pyarrowAndDuckDBReadEveryValue() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("t.parquet").path
            let schema = ParquetSchema(fields: [
                ParquetField(name: "n", type: .int64), ParquetField(name: "x", type: .double, isNullable: true),
                ParquetField(name: "s", type: .string), ParquetField(name: "t", type: .string, isNullable: true),
                ParquetField(name: "k", type: .int64, isNullable: true),
            ])
            let rows = 2_500
            let strange: [Double] = [0.0, -0.0, .infinity, -.infinity, Double(bitPattern: 0x1234), .pi, -1.5]
            let words = ["", "a", "é", "e\u{301}", "snow ☃", "𝄞", String(repeating: "long ", count: 40)]
            let numbers: [Int64] = (0..<rows).map { (row: Int) -> Int64 in
                if row == 0 { return .min }
                if row == 1 { return .max }
                return Int64(row * row) - 1_000_000
            }
            let doubles: [Double] = (0..<rows).map { strange[$0 % strange.count] + Double($0 / 100) }
            let codes: [UInt32] = (0..<rows).map { UInt32($0 % words.count) }
            let labels: [String] = (0..<rows).map { "row \($0)" }
            let small: [Int64] = (0..<rows).map { Int64($0 % 3) }
            let columns: [ParquetColumn] = [
                ParquetColumn(values: .int64(numbers)),
                ParquetColumn(values: .double(doubles), validity: (0..<rows).map { $0 % 11 != 0 }),
                ParquetColumn(values: .codedString(dictionary: words, codes: codes)),
                ParquetColumn(values: .string(labels), validity: (0..<rows).map { $0 % 2 == 0 }),
                ParquetColumn(values: .int64(small), validity: (0..<rows).map { $0 % 5 != 0 }),
            ]
            let writer = try ParquetWriter(
                path: path, schema: schema,
                options: ParquetWriterOptions(rowGroupRows: 1_000, pageRows: 256, durable: false))
            try writer.append(columns)
            try writer.finish()

            let result = try #require(try runPythonJSON(Self.dump, [path]) as? [String: Any])
            #expect(result["rows"] as? Int == rows)
            let schemaRows = try #require(result["schema"] as? [[Any]])
            #expect(schemaRows.map { $0[0] as? String } == ["n", "x", "s", "t", "k"])
            #expect(schemaRows.map { $0[1] as? String } == ["int64", "double", "string", "string", "int64"])
            #expect(schemaRows.map { $0[2] as? Bool } == [false, true, false, true, true])
            #expect(result["created_by"] as? String == ParquetWriter.createdBy)

            let expected: [[String?]] = columns.map { column in
                let values: [String] =
                    switch column.values {
                    case .int64(let v): v.map { String($0) }
                    case .double(let v): v.map { "0x" + String($0.bitPattern, radix: 16) }
                    case .string(let v): v.map(Self.hex)
                    case .codedString(let dictionary, let codes): codes.map { Self.hex(dictionary[Int($0)]) }
                    }
                return values.enumerated().map { column.validity?[$0] == false ? nil : $1 }
            }
            for reader in ["pyarrow", "duckdb"] {
                let got = try #require(result[reader] as? [[Any]])
                let strings = got.map { $0.map { $0 as? String } }
                for index in expected.indices {
                    #expect(strings[index] == expected[index], "\(reader), column \(index)")
                }
            }

            // Row group 0's statistics, as pyarrow decodes them.
            let stats = try #require(result["stats"] as? [Any])
            let ints = try #require(stats[0] as? [Any])
            #expect(ints[0] as? String == String(Int64.min))
            #expect(ints[1] as? String == String(Int64.max))
            let texts = try #require(stats[2] as? [Any])
            #expect(texts[0] as? String == Self.hex(""))
            #expect(texts[1] as? String == Self.hex("𝄞"))
            #expect((stats[3] as? [Any])?[2] as? Int == 500)
        }
    }

    static func hex(_ string: String) -> String {
        string.utf8.map { String(format: "%02x", $0) }.joined()
    }
}
