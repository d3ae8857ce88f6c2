import ArgumentParser
import Foundation
import SluicePipeline

/// `sluice schema …`: work with schemas.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Work with schemas: infer one from CSV files.",
        subcommands: [SchemaInferCommand.self])
}

/// `sluice schema infer FILE… [--sample N] [--output F]`.
struct SchemaInferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Print a commented YAML schema for CSV files: types, required, ranges, allowed values, date formats.",
        discussion: """
            Every row is read (unless --sample), so the schema accepts every row of the
            files given: integer, real, text, date, timestamp or boolean per column, with
            the date format and the decimal and thousands separators it recognised;
            required only when no value is empty; min/max; an allowed list when a text
            column has few distinct values. Text is kept as written. The table is named
            after the first file. Then:

              sluice schema infer weather.csv --output weather.yaml
              sluice init ws --schema weather.yaml
              cp weather.csv ws/inbox/ && sluice ingest -w ws
            """)

    @Argument(help: ArgumentHelp("The CSV files (all with the same columns).", valueName: "file"))
    var files: [String]

    @Option(
        help: ArgumentHelp(
            "Read only the first N data rows of each file (faster; other rows may not fit).", valueName: "n"))
    var sample: Int?

    @Option(help: ArgumentHelp("Write the schema to this file instead of standard output.", valueName: "file"))
    var output: String?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one CSV file") }
        if let sample, sample < 1 { throw ValidationError("--sample must be at least 1") }
    }

    func run() throws {
        try withExitCodes {
            for file in files where !FileManager.default.fileExists(atPath: file) {
                throw CLIError(message: "\(file) does not exist", exitCode: 2)
            }
            let inferred = try SchemaInference.infer(
                files: files.map { URL(fileURLWithPath: $0) },
                options: SchemaInference.Options(sample: sample))
            guard let output else {
                print(inferred.yaml, terminator: "")
                return
            }
            do { try inferred.yaml.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                throw CLIError(message: "cannot write \(output): \(error.localizedDescription)")
            }
            printError(
                "Wrote \(output): table \(inferred.schema.table ?? "data"), \(inferred.schema.columns.count) columns, from \(inferred.rows) rows"
            )
        }
    }
}
