import ArgumentParser
import Foundation
import SluiceCSV
import SluicePipeline
import SluiceSchema

/// `sluice-bench parse`: the prepare stage's steps alone, on one core, over generated files
/// held in memory (no disk): the CSV reader, then reading + cleaning + validation, then SHA-256
/// (portable and, where the CPU has them, with the SHA extensions).
struct ParseBenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract:
            "One-core throughput of the CSV reader, of reading + validation, and of SHA-256 on generated files in memory.",
        discussion: """
            The files come from the same generator as `sluice generate` (the bundled data's
            shape, 395 rows each). MB/s counts input bytes. SHA-256 is timed twice: the
            portable Swift code, and the kernel with the CPU's SHA extensions when present.
            """)

    @Option(help: "How many generated files.")
    var files: Int = 999

    @Option(help: "Runs per measurement; medians are printed.")
    var runs: Int = 5

    func validate() throws {
        guard files > 0, runs > 0 else { throw ValidationError("--files and --runs must be positive") }
    }

    func run() throws {
        let root = BenchPaths.repositoryRoot
        let example = try [UInt8](Data(contentsOf: URL(fileURLWithPath: root + "/data/student-mat.csv")))
        let generator = try SampleDrivenGenerator(example: example)
        let inputs = (0..<files).map { generator.file(rows: 395, seed: UInt64($0 + 1)) }
        let bytes = inputs.reduce(0) { $0 + $1.count }
        let schema = try SchemaLoader.load(contentsOf: root + "/data/student.yaml")
        let settings = FileCheck.Settings(schema: schema, policy: schema.policy)
        print(
            String(
                format: "sluice-bench parse: %d files, %.1f MB in memory; one core; medians of %d runs", files,
                Double(bytes) / 1e6, runs))

        var fields = 0
        let read = measure {
            fields = 0
            for input in inputs {
                var reader = CSVReader(bytes: input, dialect: CSVDialect(delimiter: UInt8(ascii: ";")))
                var record = CSVRecord()
                while (try? reader.next(into: &record)) == true { fields += record.count }
            }
        }
        var loaded = 0
        let check = measure {
            loaded = 0
            for (index, input) in inputs.enumerated() {
                loaded += FileCheck(settings: settings).check(input, name: "f\(index).csv").rows.loaded
            }
        }
        let portableHash = measure {
            for input in inputs { _ = SHA256.digest(input, implementation: .portable) }
        }
        var hardwareHash: Double?
        if SHA256.hardwareAvailable {
            hardwareHash = measure {
                for input in inputs { _ = SHA256.digest(input, implementation: .hardware) }
            }
        }
        func line(_ name: String, _ seconds: Double) {
            print(
                String(
                    format: "  %@ %7.3f s  %7.1f MB/s", name.padding(toLength: 52, withPad: " ", startingAt: 0),
                    seconds, Double(bytes) / seconds / 1e6))
        }
        line("CSV reader (\(fields) fields)", read)
        line("sniff + read + clean + validate (\(loaded) rows)", check)
        line("SHA-256, portable Swift", portableHash)
        if let hardwareHash {
            line("SHA-256, SHA extensions (used by ingest)", hardwareHash)
            let ratio = portableHash / hardwareHash
            print(String(format: "  SHA-256: the SHA extensions are %.1f× the portable code", ratio))
        } else {
            print("  SHA-256: this CPU has no SHA extensions; ingest uses the portable code")
        }
    }

    private func measure(_ body: () -> Void) -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            body()
            let elapsed = ContinuousClock.now - start
            times.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return median(times)
    }
}
