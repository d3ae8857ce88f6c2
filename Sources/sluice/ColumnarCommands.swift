import ArgumentParser
import Foundation
import SluiceColumnar
import SluicePipeline
import SluiceWarehouse

/// Opens a `.scol` file given on the command line, with a usage error when it is missing.
private func openColumnar(_ path: String) throws -> ColumnarReader {
    guard FileManager.default.fileExists(atPath: path) else {
        throw CLIError(message: "\(path): no such file", exitCode: 2)
    }
    return try ColumnarReader(path: path)
}

/// `sluice inspect FILE.scol`: what a columnar file holds, without decoding its data.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract:
            "Describe a .scol file: schema, metadata, row groups, and per column its encoding, sizes, statistics and checksum.",
        discussion:
            "Only the footer is read, and each chunk once to check its checksum. Example: sluice inspect columnar/student-mat-e47f9ee2.scol"
    )

    @Argument(help: ArgumentHelp("The .scol file.", valueName: "file"))
    var file: String

    @Flag(help: "Print the description as JSON.")
    var json = false

    func run() throws {
        try withExitCodes {
            let inspection = try openColumnar(file).inspect(verifyingChecksums: true)
            if json {
                print(ResultFormatter.json(inspection), terminator: "")
                return
            }
            print("\(inspection.path)")
            print(
                "  format \(inspection.version), \(inspection.fileBytes) bytes (footer \(inspection.footerBytes)), "
                    + "\(inspection.rows) rows, \(inspection.rowGroups.count) row group(s), \(inspection.schema.count) columns"
            )
            for key in inspection.metadata.keys.sorted() { print("  \(key): \(inspection.metadata[key] ?? "")") }
            for (index, group) in inspection.rowGroups.enumerated() {
                print("\nrow group \(index): rows \(group.firstRow)..<\(group.firstRow + group.rows)")
                let result = QueryResult(
                    columns: [
                        "column", "type", "encoding", "zstd", "raw", "stored", "nulls", "min", "max", "checksum",
                    ],
                    rows: group.chunks.enumerated().map { position, chunk in
                        let field = inspection.schema[position]
                        return [
                            .text(chunk.column), .text(field.type.rawValue + (field.isNullable ? "?" : "")),
                            .text(chunk.encoding.rawValue), .text(chunk.compressed ? "yes" : "no"),
                            .integer(Int64(chunk.rawBytes)), .integer(Int64(chunk.storedBytes)),
                            .integer(Int64(chunk.statistics.nullCount)),
                            .text(chunk.statistics.min?.description ?? ""),
                            .text(chunk.statistics.max?.description ?? ""),
                            .text("\(chunk.checksum) \(chunk.checksumStatus.rawValue)"),
                        ]
                    })
                print(ResultFormatter.render(result, as: .table), terminator: "")
            }
            let bad = inspection.rowGroups.flatMap(\.chunks).filter { $0.checksumStatus != .ok }
            if !bad.isEmpty { throw CLIError(message: "\(bad.count) chunk(s) failed their checksum", exitCode: 1) }
        }
    }
}

/// `sluice cat FILE.scol`: the rows back out.
struct CatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print the rows of a .scol file as CSV or JSON, or write them as a Parquet file.",
        discussion: """
            Only the projected columns' chunks are read. The CSV output can be ingested
            again and gives the same warehouse rows. Examples: sluice cat x.scol
            --columns school,age --format json;  sluice cat x.scol --format parquet
            --output x.parquet
            """)

    @Argument(help: ArgumentHelp("The .scol file.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Columns to print, comma-separated (default: all).", valueName: "a,b"))
    var columns: String?

    @Option(help: "Output format: csv, json or parquet (parquet needs --output).")
    var format: CatFormat = .csv

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    enum CatFormat: String, ExpressibleByArgument { case csv, json, parquet }

    func validate() throws {
        if format == .parquet && output == nil { throw ValidationError("--format parquet needs --output FILE") }
    }

    func run() throws {
        try withExitCodes {
            let reader = try openColumnar(file)
            let names =
                columns?.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                ?? reader.schema.fields.map(\.name)
            if format == .parquet, let output {
                let summary = try ColumnarParquet.convert(reader, columns: names, to: output)
                print("wrote \(output): \(summary.rows) rows, \(summary.bytes) bytes")
                return
            }
            var scan = try reader.scan(columns: names)
            let logicalTypes = names.map { name in reader.schema.fields.first { $0.name == name }?.logicalType }
            var rows: [[SQLiteValue]] = []
            while let batch = try scan.next() {
                for row in 0..<batch.rowCount {
                    rows.append(
                        zip(batch.columns, logicalTypes).map { ColumnarValue.at($0, row: row, logicalType: $1) })
                }
            }
            let result = QueryResult(columns: names, rows: rows)
            let text = ResultFormatter.render(result, as: format == .csv ? .csv : .json)
            if let output {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            } else {
                print(text, terminator: "")
            }
        }
    }
}

/// `sluice verify`: the warehouse, the `.scol` files and the ledger agree, value for value.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove that the warehouse rows, the .scol files and the ledger agree, value for value.",
        discussion: """
            For each loaded delivery: the .scol file's checksums, its footer's source
            SHA-256 against the ledger's, the row counts, and a digest of the values
            (recorded at load) recomputed from the .scol file and from the warehouse
            rows; a difference names the file and the first differing row. .scol files
            that no delivery names are reported too. Read-only; safe while ingesting.
            Exit 0 when everything matches, 1 otherwise, naming each problem.
            """)

    @OptionGroup var options: WorkspaceOptions

    @Flag(
        help:
            "Print {\"files\":[{\"file\",\"ledger_id\",\"ok\",\"rows\",\"problem\"}],\"seconds\",\"rows_per_second\"}.")
    var json = false

    func run() throws {
        try withExitCodes {
            let workspace = try options.open()
            let started = Date()
            let findings = try workspace.verify()
            let seconds = Date().timeIntervalSince(started)
            let rows = findings.reduce(0) { $0 + ($1.rows ?? 0) }
            if json {
                struct Output: Encodable {
                    let files: [VerifyFinding], seconds: Double, rowsPerSecond: Int
                    enum CodingKeys: String, CodingKey { case files, seconds, rowsPerSecond = "rows_per_second" }
                }
                print(
                    ResultFormatter.json(
                        Output(files: findings, seconds: seconds, rowsPerSecond: Int(Double(rows) / max(seconds, 1e-6)))
                    ),
                    terminator: "")
            } else {
                for finding in findings {
                    print(
                        "\(finding.ok ? "ok  " : "FAIL") \(finding.file)" + (finding.rows.map { "  \($0) rows" } ?? "")
                            + (finding.problem.map { "  — \($0)" } ?? ""))
                }
                let failures = findings.filter { !$0.ok }.count
                print(
                    String(
                        format: "%d delivery file(s) checked, %d problem(s); %d rows in %.2f s", findings.count,
                        failures, rows, seconds))
            }
            if findings.contains(where: { !$0.ok }) { throw ExitCode(1) }
        }
    }
}
