import Foundation
import SluiceColumnar
import SluiceTestSupport
import Testing

/// Format 1.1: int64 columns annotated as dates, timestamps or booleans, and files of 1.0 (the
/// committed fixtures) still read, and still written byte for byte, when nothing is annotated.
struct ColumnarLogicalTypeTests {
    static let typedSchema = ColumnarSchema(fields: [
        ColumnarField(name: "label", type: .string),
        ColumnarField(name: "day", type: .int64, logicalType: .date),
        ColumnarField(name: "count", type: .int64),
        ColumnarField(name: "at", type: .int64, isNullable: true, logicalType: .timestamp),
        ColumnarField(name: "ok", type: .int64, logicalType: .boolean),
    ])

    @Test func annotatedColumnsRoundTripAsFormat11() throws {
        try withTemporaryDirectory { directory in
            let rows = 300
            let columns = [
                ColumnarColumn(values: .string((0..<rows).map { "r\($0 % 9)" })),
                ColumnarColumn(values: .int64((0..<rows).map { Int64($0) - 100 })),
                ColumnarColumn(values: .int64((0..<rows).map { Int64($0 * 3) })),
                ColumnarColumn(
                    values: .int64((0..<rows).map { Int64($0) * 1_000_003 }),
                    validity: ValidityBitmap((0..<rows).map { $0 % 4 != 0 })),
                ColumnarColumn(values: .int64((0..<rows).map { Int64($0 % 2) })),
            ]
            let path = try SampleData.write(
                columns, schema: Self.typedSchema, to: directory,
                options: .init(rowGroupRows: 128, durable: false))
            let reader = try ColumnarReader(path: path)
            try reader.verify()
            #expect(reader.minorVersion == 1)
            #expect(reader.schema == Self.typedSchema)
            let read = try SampleData.readAll(reader)
            for index in columns.indices { #expect(SampleData.same(read[index], columns[index]), "column \(index)") }
        }
    }

    @Test func theCommittedFormat10FixturesReadWithoutAnnotationsAndAreStillWrittenTheSame() throws {
        let corpus = ColumnarFixtureTests.fixtures.appendingPathComponent("corpus")
        for (name, columns, schema, options) in ColumnarFixtureTests.seeds() {
            let committed = [UInt8](try Data(contentsOf: corpus.appendingPathComponent(name)))
            let reader = try ColumnarReader(bytes: committed, name: name)
            #expect(reader.minorVersion == 0, "\(name)")
            #expect(reader.schema.fields.allSatisfy { $0.logicalType == nil }, "\(name)")
            try withTemporaryDirectory { directory in
                let path = try SampleData.write(columns, schema: schema, to: directory, name: name, options: options)
                #expect(
                    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == committed,
                    "\(name) is written differently")
            }
        }
    }

    @Test func anAnnotationOnANonIntegerColumnIsRefused() throws {
        try withTemporaryDirectory { directory in
            let schema = ColumnarSchema(fields: [ColumnarField(name: "d", type: .string, logicalType: .date)])
            #expect(throws: ColumnarError.self) {
                _ = try ColumnarWriter(path: directory.appendingPathComponent("x.scol").path, schema: schema)
            }
        }
    }
}
