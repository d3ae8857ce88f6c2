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
        abstract: "Describe a .scol file: schema, metadata, row groups, and per column its encoding, sizes, statistics and checksum.",
        discussion: "Only the footer is read, and each chunk once to check its checksum. Example: sluice inspect columnar/student-mat-e47f9ee2.scol")

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
            print("  format \(inspection.version), \(inspection.fileBytes) bytes (footer \(inspection.footerBytes)), "
                + "\(inspection.rows) rows, \(inspection.rowGroups.count) row group(s), \(inspection.schema.count) columns")
            for key in inspection.metadata.keys.sorted() { print("  \(key): \(inspection.metadata[key] ?? "")") }
            for (index, group) in inspection.rowGroups.enumerated() {
                print("\nrow group \(index): rows \(group.firstRow)..<\(group.firstRow + group.rows)")
                let result = QueryResult(
                    columns: ["column", "type", "encoding", "zstd", "raw", "stored", "nulls", "min", "max", "checksum"],
                    rows: group.chunks.enumerated().map { position, chunk in
                        let field = inspection.schema[position]
                        return [
                            .text(chunk.column), .text(field.type.rawValue + (field.isNullable ? "?" : "")),
                            .text(chunk.encoding.rawValue), .text(chunk.compressed ? "yes" : "no"),
                            .integer(Int64(chunk.rawBytes)), .integer(Int64(chunk.storedBytes)),
                            .integer(Int64(chunk.statistics.nullCount)),
                            .text(chunk.statistics.min?.description ?? ""), .text(chunk.statistics.max?.description ?? ""),
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
            let names = columns?.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
                ?? reader.schema.fields.map(\.name)
            if format == .parquet, let output {
                let summary = try ColumnarParquet.convert(reader, columns: names, to: output)
                print("wrote \(output): \(summary.rows) rows, \(summary.bytes) bytes")
                return
            }
            var scan = try reader.scan(columns: names)
            var rows: [[SQLiteValue]] = []
            while let batch = try scan.next() {
                for row in 0..<batch.rowCount {
                    rows.append(batch.columns.map { Self.value($0, row: row) })
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

    static func value(_ column: ColumnarColumn, row: Int) -> SQLiteValue {
        if column.isNull(row) { return .null }
        switch column.values {
        case .int64(let values): return .integer(values[row])
        case .double(let values): return .real(values[row])
        case .string(let values): return .text(values[row])
        case .codedString(let dictionary, let codes): return .text(dictionary[Int(codes[row])])
        }
    }
}

/// `sluice verify`: every `.scol` file against its checksums and the ledger.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every .scol file's checksums, and that its row count matches the ledger and the warehouse.",
        discussion: "Exit 0 when everything matches, 1 otherwise, naming each problem.")

    @OptionGroup var options: WorkspaceOptions

    @Flag(help: "Print {\"files\":[{\"file\",\"ok\",\"rows\",\"problem\"}]}.")
    var json = false

    struct Finding: Encodable {
        var file: String
        var ok: Bool
        var rows: Int?
        var problem: String?
    }

    func run() throws {
        try withExitCodes {
            let workspace = try options.open()
            let warehouse = try openWarehouseReadOnly(workspace)
            let table = SQLiteIdentifier.quote(workspace.tableName)
            let ledger = try warehouse.query("""
                SELECT l.columnar, l.rows_loaded, (SELECT count(*) FROM \(table) AS d WHERE d._ingest_id = l.id)
                FROM sluice_ingests AS l WHERE l.status = 'loaded' AND l.columnar IS NOT NULL
                """)
            var findings: [Finding] = []
            var referenced = Set<String>()
            for row in ledger.rows {
                guard case .text(let path) = row[0], case .integer(let expected) = row[1], case .integer(let stored) = row[2] else { continue }
                referenced.insert(path)
                findings.append(check(path, ledgerRows: Int(expected), warehouseRows: Int(stored)))
            }
            let onDisk = (try? FileManager.default.contentsOfDirectory(atPath: workspace.layout.columnar.path)) ?? []
            for name in onDisk.sorted() where name.hasSuffix(".scol") {
                let path = workspace.layout.columnar.appendingPathComponent(name).path
                if !referenced.contains(path) {
                    findings.append(Finding(file: path, ok: false, problem: "not named by any ledger entry (left by an interrupted load?)"))
                }
            }
            if json {
                struct Output: Encodable { let files: [Finding] }
                print(ResultFormatter.json(Output(files: findings)), terminator: "")
            } else {
                for finding in findings {
                    print("\(finding.ok ? "ok  " : "FAIL") \(finding.file)" + (finding.rows.map { "  \($0) rows" } ?? "")
                        + (finding.problem.map { "  — \($0)" } ?? ""))
                }
                let failures = findings.filter { !$0.ok }.count
                print("\(findings.count) file(s) checked, \(failures) problem(s)")
            }
            if findings.contains(where: { !$0.ok }) { throw ExitCode(1) }
        }
    }

    private func check(_ path: String, ledgerRows: Int, warehouseRows: Int) -> Finding {
        guard FileManager.default.fileExists(atPath: path) else {
            return Finding(file: path, ok: false, problem: "missing")
        }
        do {
            let reader = try ColumnarReader(path: path)
            try reader.verify()
            guard reader.rowCount == ledgerRows, reader.rowCount == warehouseRows else {
                return Finding(file: path, ok: false, rows: reader.rowCount,
                               problem: "\(reader.rowCount) rows, but the ledger says \(ledgerRows) and the warehouse holds \(warehouseRows)")
            }
            return Finding(file: path, ok: true, rows: reader.rowCount)
        } catch {
            return Finding(file: path, ok: false, problem: "\(error)")
        }
    }
}
