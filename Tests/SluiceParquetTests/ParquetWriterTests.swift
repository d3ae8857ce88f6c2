import Foundation
@testable import SluiceParquet
import SluiceTestSupport
import Testing

/// Files written by ``ParquetWriter``, read back by the tests' own footer and page decoders.
struct ParquetWriterTests {
    static let schema = ParquetSchema(fields: [
        ParquetField(name: "id", type: .int64),
        ParquetField(name: "score", type: .double, isNullable: true),
        ParquetField(name: "school", type: .string),
        ParquetField(name: "note", type: .string, isNullable: true),
    ])

    /// `rows` rows: ids 0…, every third score null, two schools, notes with nulls and repeats.
    static func sample(rows: Int) -> [ParquetColumn] {
        [
            ParquetColumn(values: .int64((0..<rows).map { Int64($0) * 1_000_003 - 7 })),
            ParquetColumn(values: .double((0..<rows).map { Double($0) / 4 }), validity: (0..<rows).map { $0 % 3 != 0 }),
            ParquetColumn(
                values: .codedString(
                    dictionary: ["gp", "ms", "unused"], codes: (0..<rows).map { UInt32($0 % 7 == 0 ? 1 : 0) })),
            ParquetColumn(
                values: .string((0..<rows).map { "note \($0 % 5) ☃" }), validity: (0..<rows).map { $0 % 4 != 1 }),
        ]
    }

    static func expected(_ columns: [ParquetColumn]) -> [[String?]] {
        columns.map { column in
            let strings: [String] =
                switch column.values {
                case .int64(let values): values.map { String($0) }
                case .double(let values): values.map { "0x" + String($0.bitPattern, radix: 16) }
                case .string(let values): values
                case .codedString(let dictionary, let codes): codes.map { dictionary[Int($0)] }
                }
            return strings.enumerated().map { row, value in column.validity?[row] == false ? nil : value }
        }
    }

    @Test func rowGroupsAndPagesReadBackExactly() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("t.parquet").path
            let writer = try ParquetWriter(
                path: path, schema: Self.schema,
                options: ParquetWriterOptions(rowGroupRows: 1000, pageRows: 300, durable: false),
                metadata: ["sluice.ledger_ids": "1,2"])
            let first = Self.sample(rows: 1500)
            try writer.append(first)
            try writer.endRowGroup()
            let second = Self.sample(rows: 10)
            try writer.append(second)
            let summary = try writer.finish()
            #expect(summary.rows == 1510)
            #expect(summary.rowGroups == 3)  // 1000 + 500 (ended by the caller) + 10
            #expect(summary.bytes == (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int))

            let file = try TestParquetFile(path: path)
            #expect(file.numRows == 1510)
            #expect(file.rowGroups.compactMap { $0[3]?.integer } == [1000, 500, 10])
            #expect(file.footer[1]?.integer == 1)
            #expect(file.footer[6]?.string == "sluice version 0.1.0")
            #expect(file.footer[5]?.list?.first?[1]?.string == "sluice.ledger_ids")
            #expect(file.footer[7]?.list?.count == 4)
            let expected = zip(Self.expected(first), Self.expected(second)).map { $0 + $1 }
            for index in 0..<4 { #expect(try file.values(ofColumn: index) == expected[index], "column \(index)") }
        }
    }

    @Test func theSchemaCarriesPhysicalAndLogicalTypes() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("t.parquet").path
            let writer = try ParquetWriter(path: path, schema: Self.schema, options: .init(durable: false))
            try writer.append(Self.sample(rows: 20))
            try writer.finish()
            let elements = try TestParquetFile(path: path).schemaElements
            #expect(elements[0][4]?.string == "schema")
            #expect(elements[0][5]?.integer == 4)
            #expect(elements.dropFirst().map { $0[4]?.string } == ["id", "score", "school", "note"])
            #expect(elements.dropFirst().map { $0[1]?.integer } == [2, 5, 6, 6])  // INT64, DOUBLE, BYTE_ARRAY
            #expect(elements.dropFirst().map { $0[3]?.integer } == [0, 1, 0, 1])  // REQUIRED / OPTIONAL
            #expect(elements.dropFirst().map { $0[6]?.integer } == [18, nil, 0, 0])  // INT_64, –, UTF8, UTF8
            #expect(elements[1][10]?[10]?[1]?.integer == 64)  // INTEGER(64, signed)
            #expect(elements[1][10]?[10]?[2]?.bool == true)
            #expect(elements[3][10]?.fieldIDs == [1])  // STRING
        }
    }

    @Test func eachChunkGetsTheCheaperEncoding() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("t.parquet").path
            let writer = try ParquetWriter(path: path, schema: Self.schema, options: .init(durable: false))
            try writer.append(Self.sample(rows: 2000))
            try writer.finish()
            let file = try TestParquetFile(path: path)
            let chunks = (0..<4).map { file.chunk(group: 0, column: $0) }
            // ids are all distinct: PLAIN, no dictionary page. Schools: two values, dictionary.
            #expect(chunks[0][2]?.list?.compactMap(\.integer) == [0])
            #expect(chunks[0][11] == nil)
            #expect(chunks[2][2]?.list?.compactMap(\.integer) == [0, 8])
            #expect((chunks[2][11]?.integer ?? .max) < (chunks[2][9]?.integer ?? 0))  // dictionary page first
            #expect(chunks[3][2]?.list?.compactMap(\.integer) == [0, 3, 8])  // dictionary + RLE levels
            #expect(chunks.allSatisfy { $0[4]?.integer == 6 })  // ZSTD
            // The first column chunk starts right after the leading magic.
            #expect(chunks[0][9]?.integer == 4)
        }
    }

    @Test func statisticsFollowEachTypesOrder() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("t.parquet").path
            let schema = ParquetSchema(fields: [
                ParquetField(name: "n", type: .int64), ParquetField(name: "x", type: .double, isNullable: true),
                ParquetField(name: "s", type: .string), ParquetField(name: "all_nan", type: .double),
            ])
            let writer = try ParquetWriter(path: path, schema: schema, options: .init(durable: false))
            try writer.append([
                ParquetColumn(values: .int64([5, -3, Int64.max, 0])),
                ParquetColumn(values: .double([0.0, .nan, 1.5, 99]), validity: [true, true, true, false]),
                ParquetColumn(values: .string(["b", "Z", "é", "a"])),
                ParquetColumn(values: .double([.nan, .nan, .nan, .nan])),
            ])
            try writer.finish()
            let file = try TestParquetFile(path: path)
            let chunks = (0..<4).map { file.chunk(group: 0, column: $0)[12] ?? .structure([:]) }
            let le = { (value: UInt64) in (0..<8).map { UInt8(truncatingIfNeeded: value >> UInt64($0 * 8)) } }
            #expect(chunks[0][6]?.binary == le(UInt64(bitPattern: -3)))
            #expect(chunks[0][5]?.binary == le(UInt64(bitPattern: Int64.max)))
            #expect(chunks[0][3]?.integer == 0)
            #expect(chunks[1][6]?.binary == le((-0.0).bitPattern))  // a zero minimum is written -0.0
            #expect(chunks[1][5]?.binary == le((1.5).bitPattern))  // the null 99 does not count
            #expect(chunks[1][9]?.integer == 1)
            #expect(chunks[1][3]?.integer == 1)
            #expect(chunks[2][6]?.binary == Array("Z".utf8))  // byte order: "Z" < "a" < "b" < "é"
            #expect(chunks[2][5]?.binary == Array("é".utf8))
            #expect(chunks[2][1] == nil && chunks[2][2] == nil)  // no deprecated bounds for strings
            #expect(chunks[3][5] == nil && chunks[3][6] == nil)  // all NaN: no bounds
            #expect(chunks[3][9]?.integer == 4)
        }
    }

    @Test func canonicallyEquivalentStringsStayDistinct() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("t.parquet").path
            let schema = ParquetSchema(fields: [ParquetField(name: "s", type: .string)])
            let writer = try ParquetWriter(path: path, schema: schema, options: .init(durable: false))
            let composed = "\u{E9}", decomposed = "e\u{301}"
            try writer.append([ParquetColumn(values: .string([composed, decomposed, composed]))])
            try writer.append([ParquetColumn(values: .codedString(dictionary: [decomposed, composed], codes: [0, 1]))])
            try writer.finish()
            let values = try TestParquetFile(path: path).values(ofColumn: 0)
            #expect(
                values.map { $0.map { Array($0.utf8) } }
                    == [composed, decomposed, composed, decomposed, composed].map { Array($0.utf8) })
        }
    }

    @Test func badBatchesAreRefused() throws {
        try withTemporaryDirectory { dir in
            let writer = try ParquetWriter(path: dir.appendingPathComponent("t.parquet").path, schema: Self.schema)
            let good = Self.sample(rows: 3)
            let cases: [[ParquetColumn]] = [
                Array(good.prefix(3)),
                [ParquetColumn(values: .string(["a", "b", "c"]))] + good.dropFirst(),
                good.enumerated().map { $0 == 0 ? ParquetColumn(values: .int64([1, 2])) : $1 },
                [ParquetColumn(values: .int64([1, 2, 3]), validity: [true, false, true])] + good.dropFirst(),
                good.enumerated().map {
                    $0 == 2 ? ParquetColumn(values: .codedString(dictionary: ["x"], codes: [0, 1, 0])) : $1
                },
            ]
            for batch in cases {
                #expect { try writer.append(batch) } throws: { ($0 as? ParquetError)?.code == .invalidArgument }
            }
            #expect(throws: ParquetError.self) {
                try ParquetWriter(
                    path: dir.appendingPathComponent("u.parquet").path,
                    schema: ParquetSchema(fields: [
                        ParquetField(name: "a", type: .int64), ParquetField(name: "a", type: .int64),
                    ]))
            }
        }
    }

    @Test func anUnfinishedWriterLeavesNothingBehind() throws {
        try withTemporaryDirectory { dir in
            do {
                let writer = try ParquetWriter(path: dir.appendingPathComponent("t.parquet").path, schema: Self.schema)
                try writer.append(Self.sample(rows: 100))
                try writer.endRowGroup()
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        }
    }

    @Test func anEmptyFileHasASchemaAndNoRowGroups() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("t.parquet").path
            let summary = try ParquetWriter(path: path, schema: Self.schema, options: .init(durable: false)).finish()
            #expect(summary.rows == 0)
            let file = try TestParquetFile(path: path)
            #expect(file.numRows == 0)
            #expect(file.rowGroups.isEmpty)
            #expect(file.schemaElements.count == 5)
        }
    }
}
