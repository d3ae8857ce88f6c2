import Foundation

/// pyarrow's Parquet+zstd figures for the same table, from `parquet_baseline.py`.
struct ParquetResult {
    var bytes: Int
    var writeSeconds: Double
    var readSeconds: Double
    var version: String
}

/// Runs `parquet_baseline.py` beside this file, if `python3` can import pyarrow.
enum ParquetBaseline {
    static func run(table: BenchTable, runs: Int) -> ParquetResult? {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-parquet-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let (text, types) = table.csvText()
            let csv = directory.appendingPathComponent("data.csv")
            try text.write(to: csv, atomically: false, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", BenchPaths.sourceDirectory + "/parquet_baseline.py", csv.path, types,
                directory.appendingPathComponent("data.parquet").path, String(runs),
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0,
                let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let bytes = json["bytes"] as? Int, let write = json["write_seconds"] as? Double,
                let read = json["read_seconds"] as? Double
            else {
                print("  (Parquet baseline unavailable: python3 with pyarrow is needed — pip install pyarrow)")
                return nil
            }
            return ParquetResult(
                bytes: bytes, writeSeconds: write, readSeconds: read, version: json["pyarrow"] as? String ?? "?")
        } catch {
            print("  (Parquet baseline failed: \(error))")
            return nil
        }
    }
}

/// Prints one scale's figures.
enum Report {
    static func print(label: String, table: BenchTable, result: ColumnarResult, parquet: ParquetResult?) {
        let decoded = Double(table.decodedBytes)
        let values = Double(table.rows * table.columns.count)
        let mb = { (seconds: Double) in decoded / seconds / 1e6 }
        func line(_ name: String, _ value: String) {
            Swift.print("  \(name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(value)")
        }
        func fmt(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        Swift.print(
            "\n== \(label): \(table.rows) rows × \(table.columns.count) columns, \(table.decodedBytes) decoded bytes =="
        )
        line("scol file size", "\(result.fileBytes) B (footer \(result.footerBytes) B, \(result.rowGroups) row groups)")
        line("scol bytes per row", fmt(Double(result.fileBytes) / Double(table.rows), 3))
        line(
            "scol chunk encodings",
            result.encodings.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
                .joined(separator: ", "))
        line("scol write (no fsync)", "\(fmt(result.writeSeconds * 1e3, 3)) ms, \(fmt(mb(result.writeSeconds))) MB/s")
        line("scol write (fsync + rename)", "\(fmt(result.durableWriteSeconds * 1e3, 3)) ms")
        line(
            "scol read (open + all columns)",
            "\(fmt(result.readSeconds * 1e3, 3)) ms, \(fmt(mb(result.readSeconds))) MB/s, \(fmt(values / result.readSeconds / 1e6)) M values/s"
        )
        line("scol footer open", "\(fmt(result.openSeconds * 1e6)) µs")
        line(
            "scol one column ('age') reads",
            "\(fmt(result.oneColumnFraction * 100, 2))% of data bytes (1/\(table.columns.count) = \(fmt(100 / Double(table.columns.count), 2))%)"
        )
        guard let parquet else { return }
        line(
            "parquet+zstd (pyarrow \(parquet.version)) size",
            "\(parquet.bytes) B, \(fmt(Double(parquet.bytes) / Double(table.rows), 3)) B/row")
        line("parquet write", "\(fmt(parquet.writeSeconds * 1e3, 3)) ms, \(fmt(mb(parquet.writeSeconds))) MB/s")
        line(
            "parquet read (all columns)",
            "\(fmt(parquet.readSeconds * 1e3, 3)) ms, \(fmt(mb(parquet.readSeconds))) MB/s, \(fmt(values / parquet.readSeconds / 1e6)) M values/s"
        )
        line("ratio size scol/parquet", fmt(Double(result.fileBytes) / Double(parquet.bytes), 3))
        line("ratio write speed scol/parquet", fmt(parquet.writeSeconds / result.writeSeconds, 2) + "x")
        line("ratio read speed scol/parquet", fmt(parquet.readSeconds / result.readSeconds, 2) + "x")
    }
}
