import Foundation
import SluiceColumnar

/// Medians of write, read and open times for one table.
struct ColumnarResult {
    var fileBytes: Int
    var footerBytes: Int
    var dataBytes: Int
    var rowGroups: Int
    var writeSeconds: Double
    var durableWriteSeconds: Double
    var readSeconds: Double
    var openSeconds: Double
    var oneColumnFraction: Double
    var encodings: [ColumnarEncoding: Int]
}

/// Writes and reads one table as .scol, `runs` times each.
struct ColumnarBenchmark {
    var table: BenchTable
    var runs: Int
    var zstdLevel: Int

    func run() throws -> ColumnarResult {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bench.scol").path

        func write(durable: Bool) throws -> Double {
            try? FileManager.default.removeItem(atPath: path)
            let start = ContinuousClock.now
            let writer = try ColumnarWriter(
                path: path, schema: table.schema, metadata: ["source": "student-mat.csv"],
                options: .init(zstdLevel: zstdLevel, durable: durable)
            )
            try writer.append(table.columns)
            try writer.finish()
            return seconds(ContinuousClock.now - start)
        }
        let writes = try (0..<runs).map { _ in try write(durable: false) }
        let durableWrites = try (0..<max(1, runs / 2)).map { _ in try write(durable: true) }

        var reads: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            let reader = try ColumnarReader(path: path)
            var checked = 0
            for index in reader.schema.fields.indices { checked += try reader.readColumn(index).count }
            reads.append(seconds(ContinuousClock.now - start))
            precondition(checked == table.rows * table.columns.count)
        }
        // Verify the round trip once, outside the timings.
        let reader = try ColumnarReader(path: path)
        for index in reader.schema.fields.indices {
            let same = try reader.readColumn(index).isIdentical(to: table.columns[index])
            precondition(same, "round trip differs")
        }

        let opens = try (0..<max(runs, 200)).map { _ in
            let start = ContinuousClock.now
            _ = try ColumnarReader(path: path)
            return seconds(ContinuousClock.now - start)
        }
        let projected = try ColumnarReader(path: path)
        _ = try projected.readColumn(named: "age")
        let dataBytes = projected.rowGroups.reduce(0) { $0 + $1.columns.reduce(0) { $0 + $1.storedSize } }
        var encodings: [ColumnarEncoding: Int] = [:]
        for group in projected.rowGroups { for chunk in group.columns { encodings[chunk.encoding, default: 0] += 1 } }
        return ColumnarResult(
            fileBytes: projected.fileSize, footerBytes: projected.footerSize, dataBytes: dataBytes,
            rowGroups: projected.rowGroups.count, writeSeconds: median(writes),
            durableWriteSeconds: median(durableWrites),
            readSeconds: median(reads), openSeconds: median(opens),
            oneColumnFraction: Double(projected.dataBytesRead) / Double(max(dataBytes, 1)), encodings: encodings
        )
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}
