import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceColumnar

struct ColumnarRoundTripTests {
    /// Writes one column, reads it back, and returns the chosen encoding and the values read.
    private func roundTrip(_ values: ColumnValues, validity: ValidityBitmap? = nil) throws -> (
        ColumnarEncoding, ColumnarColumn
    ) {
        try withTemporaryDirectory { directory in
            let schema = ColumnarSchema(fields: [
                ColumnarField(name: "c", type: values.type, isNullable: validity != nil)
            ])
            let path = try SampleData.write(
                [ColumnarColumn(values: values, validity: validity)], schema: schema, to: directory)
            let reader = try ColumnarReader(path: path)
            try reader.verify()
            return (reader.rowGroups.first?.columns[0].encoding ?? .constant, try reader.readColumnWithValidity(0))
        }
    }

    static let integerCases: [(ColumnarEncoding, [Int64])] = {
        var random = SampleData.Generator(seed: 7)
        return [
            (.constant, Array(repeating: 42, count: 500)),
            (.frameOfReference, (0..<500).map { _ in Int64.random(in: 0...93, using: &random) }),
            (
                .dictionary,
                (0..<500).map { _ in [-5, 1_000_000_007, Int64.min, Int64.max].randomElement(using: &random)! }
            ),
            (.runLength, (0..<500).map { Int64($0 / 100) * 1_000_000_000_000 }),
            (.plain, (0..<500).map { _ in Int64.random(in: .min ... .max, using: &random) }),
            (.frameOfReference, [Int64.min, Int64.max, 0, -1]),
        ]
    }()

    @Test(arguments: 0..<6)
    func roundTripsEveryIntegerEncoding(_ index: Int) throws {
        let (expected, values) = Self.integerCases[index]
        let (encoding, column) = try roundTrip(.int64(values))
        if index < 5 { #expect(encoding == expected) }
        #expect(column.values == .int64(values))
    }

    @Test func roundTripsEveryStringEncoding() throws {
        var random = SampleData.Generator(seed: 3)
        let cases: [(ColumnarEncoding, [String])] = [
            (.constant, Array(repeating: "at_home", count: 300)),
            (.dictionary, (0..<300).map { _ in ["yes", "no"].randomElement(using: &random)! }),
            (.runLength, (0..<300).map { "a fairly long value number \($0 / 100) to make runs pay" }),
            (.plain, (0..<300).map { "v\($0)-\(UInt32.random(in: 0 ... .max, using: &random))" }),
            (.constant, Array(repeating: "", count: 10)),
        ]
        for (expected, values) in cases {
            let (encoding, column) = try roundTrip(.string(values))
            #expect(encoding == expected)
            #expect(column.values.isIdentical(to: .string(values)))
        }
    }

    @Test func roundTripsEveryDoubleEncoding() throws {
        var random = SampleData.Generator(seed: 4)
        let cases: [(ColumnarEncoding, [Double])] = [
            (.constant, Array(repeating: 2.5, count: 100)),
            (.dictionary, (0..<300).map { _ in [0.5, -1e300, .nan, .infinity].randomElement(using: &random)! }),
            (.runLength, (0..<300).map { Double($0 / 100) + 0.125 }),
            (.plain, (0..<300).map { _ in Double.random(in: -1...1, using: &random) }),
        ]
        for (expected, values) in cases {
            let (encoding, column) = try roundTrip(.double(values))
            #expect(encoding == expected)
            #expect(column.values.isIdentical(to: .double(values)))
        }
    }

    @Test func keepsCanonicallyEquivalentStringsDistinct() throws {
        let values = ["é", "e\u{301}", "é", "e\u{301}"]
        let (_, column) = try roundTrip(.string(values))
        #expect(column.values.isIdentical(to: .string(values)))
    }

    @Test func roundTripsNullsWithValidityBitmaps() throws {
        let valid = ValidityBitmap((0..<300).map { $0 % 3 != 0 })
        let values = (0..<300).map { Int64($0 % 3 == 0 ? 0 : $0 % 11) }
        let (_, column) = try roundTrip(.int64(values), validity: valid)
        #expect(column.validity == valid)
        #expect(column.values == .int64(values))
        let (encoding, allNull) = try roundTrip(
            .string(Array(repeating: "", count: 9)), validity: ValidityBitmap(count: 9, valid: false))
        #expect(encoding == .constant)
        #expect(allNull.nullCount == 9)
    }

    @Test func writesAndReadsAnEmptyFile() throws {
        try withTemporaryDirectory { directory in
            let path = try SampleData.write(SampleData.mixedColumns(rows: 0), to: directory)
            let reader = try ColumnarReader(path: path)
            #expect(reader.rowCount == 0)
            #expect(reader.rowGroups.isEmpty)
            #expect(try reader.readColumn(1) == .int64([]))
            #expect(reader.schema == SampleData.mixedSchema)
        }
    }

    @Test func splitsRowsIntoManyRowGroupsAcrossOddBatches() throws {
        try withTemporaryDirectory { directory in
            let columns = SampleData.mixedColumns(rows: 1_050)
            let path = directory.appendingPathComponent("many.scol").path
            let writer = try ColumnarWriter(
                path: path, schema: SampleData.mixedSchema, options: .init(rowGroupRows: 100, durable: false)
            )
            var start = 0
            for size in [37, 100, 1, 250, 662] {
                try writer.append(
                    columns: columns.map { column in
                        func cut<T>(_ v: [T]) -> [T] { Array(v[start..<start + size]) }
                        let values: ColumnValues =
                            switch column.values {
                            case .int64(let v): .int64(cut(v))
                            case .double(let v): .double(cut(v))
                            case .string(let v): .string(cut(v))
                            case .codedString(let d, let codes): .codedString(dictionary: d, codes: cut(codes))
                            }
                        let validity = column.validity.map { bitmap in
                            ValidityBitmap(cut((0..<bitmap.count).map { bitmap[$0] }))
                        }
                        return ColumnarColumn(values: values, validity: validity)
                    })
                start += size
            }
            let summary = try writer.finish()
            #expect(summary.rows == 1_050 && summary.rowGroups == 11)
            let reader = try ColumnarReader(path: path)
            #expect(reader.rowGroups.map(\.rowCount) == Array(repeating: 100, count: 10) + [50])
            let read = try SampleData.readAll(reader)
            for (a, b) in zip(read, columns) { #expect(SampleData.same(a, b)) }
        }
    }

    @Test func roundTripsMetadataAndSchema() throws {
        try withTemporaryDirectory { directory in
            let metadata = ["source": "student-mat.csv", "sha256": String(repeating: "ab", count: 32), "ünï": ""]
            let path = try SampleData.write(SampleData.mixedColumns(rows: 10), to: directory, metadata: metadata)
            let reader = try ColumnarReader(path: path)
            #expect(reader.metadata == metadata)
            #expect(reader.schema == SampleData.mixedSchema)
            #expect(reader.rowCount == 10)
            let inspection = reader.inspect(verifyingChecksums: true)
            #expect(inspection.rowGroups[0].chunks.allSatisfy { $0.checksumStatus == .ok })
            #expect(try JSONEncoder().encode(inspection).count > 100)
        }
    }

    @Test func publishesTheFileOnlyOnFinish() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("late.scol").path
            do {
                let writer = try ColumnarWriter(
                    path: path, schema: SampleData.mixedSchema, options: .init(durable: false))
                try writer.append(columns: SampleData.mixedColumns(rows: 5))
                #expect(!FileManager.default.fileExists(atPath: path))
                #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).count == 1)
            }
            // The writer was dropped without finish(): no final file, no temporary left behind.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        }
    }

    @Test func rejectsBatchesThatDoNotMatchTheSchema() throws {
        try withTemporaryDirectory { directory in
            let writer = try ColumnarWriter(
                path: directory.appendingPathComponent("x.scol").path, schema: SampleData.mixedSchema)
            #expect(throws: ColumnarError.self) { try writer.append([.int64([1])]) }
            let schema = ColumnarSchema(fields: [ColumnarField(name: "a", type: .int64)])
            let strict = try ColumnarWriter(path: directory.appendingPathComponent("y.scol").path, schema: schema)
            let nulls = ColumnarColumn(values: .int64([1, 2]), validity: ValidityBitmap([true, false]))
            let error = #expect(throws: ColumnarError.self) { try strict.append(columns: [nulls]) }
            #expect(error?.code == .invalidArgument)
        }
    }
}
