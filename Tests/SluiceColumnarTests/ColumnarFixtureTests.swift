import Foundation
import SluiceColumnar
import SluiceTestSupport
import Testing

/// The committed fixtures: the fuzz seed corpus (small valid files) and regression inputs
/// (files that once crashed or hung the reader). Set `SLUICE_WRITE_FIXTURES=1` to regenerate
/// the seeds.
struct ColumnarFixtureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The seed files: name → (columns, schema, options).
    static func seeds() -> [(String, [ColumnarColumn], ColumnarSchema, ColumnarWriterOptions)] {
        let plain = ColumnarWriterOptions(zstdLevel: 0, durable: false)
        let one = { (name: String, values: ColumnValues) in
            (
                name, [ColumnarColumn(values: values)],
                ColumnarSchema(fields: [ColumnarField(name: "c", type: values.type)]), plain
            )
        }
        return [
            ("mixed-raw.scol", SampleData.mixedColumns(rows: 40), SampleData.mixedSchema, plain),
            (
                "mixed-zstd.scol", SampleData.mixedColumns(rows: 300), SampleData.mixedSchema,
                .init(zstdLevel: 3, durable: false)
            ),
            (
                "mixed-groups.scol", SampleData.mixedColumns(rows: 50), SampleData.mixedSchema,
                .init(rowGroupRows: 16, zstdLevel: 0, durable: false)
            ),
            ("empty.scol", SampleData.mixedColumns(rows: 0), SampleData.mixedSchema, plain),
            one("int-for.scol", .int64((0..<64).map { Int64($0 * 7 % 93) })),
            one("int-rle.scol", .int64((0..<64).map { Int64($0 / 16) * 1_000_000_000 })),
            one("int-dict.scol", .int64((0..<64).map { [Int64.min, 5, Int64.max][$0 % 3] })),
            one("int-plain.scol", .int64((0..<8).map { Int64(bitPattern: UInt64($0) &* 0x9E37_79B9_7F4A_7C15) })),
            one("double-dict.scol", .double((0..<64).map { [0.5, .nan, -2][$0 % 3] })),
            one("double-plain.scol", .double((0..<8).map { Double($0) / 3 })),
            one("string-rle.scol", .string((0..<64).map { "a long repeated value \($0 / 32)" })),
            one("string-plain.scol", .string((0..<8).map { "ü\($0)" })),
        ]
    }

    @Test func seedCorpusFilesAreValid() throws {
        let corpus = Self.fixtures.appendingPathComponent("corpus")
        if ProcessInfo.processInfo.environment["SLUICE_WRITE_FIXTURES"] == "1" {
            try? FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
            for (name, columns, schema, options) in Self.seeds() {
                try? FileManager.default.removeItem(at: corpus.appendingPathComponent(name))
                try SampleData.write(columns, schema: schema, to: corpus, name: name, options: options)
            }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).filter { $0.hasSuffix(".scol") }
        #expect(names.count >= 10)
        for name in names {
            let reader = try ColumnarReader(path: corpus.appendingPathComponent(name).path)
            try reader.verify()
        }
    }

    /// Every hostile input in `Fixtures/regressions` (see its README) is refused when checksums
    /// are verified, and never crashes the reader when they are not. The folder must exist and
    /// hold inputs: a missing folder fails, it does not pass by checking nothing.
    @Test func regressionInputsAreRefused() throws {
        let directory = Self.fixtures.appendingPathComponent("regressions")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".scol") }
            .sorted()
        #expect(names.count >= 10, "Fixtures/regressions holds \(names.count) inputs")
        for name in names {
            let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            var limits = ColumnarLimits()
            limits.verifyChecksums = true
            #expect(throws: (any Error).self, "\(name) must be refused") {
                let reader = try ColumnarReader(bytes: bytes, name: name, limits: limits)
                _ = try SampleData.readAll(reader)
                try reader.verify()
            }
            limits.verifyChecksums = false
            if let reader = try? ColumnarReader(bytes: bytes, name: name, limits: limits) {
                _ = try? SampleData.readAll(reader)
                _ = reader.inspect(verifyingChecksums: true)
            }
        }
    }
}
