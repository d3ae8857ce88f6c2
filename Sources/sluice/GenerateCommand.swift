import ArgumentParser
import Foundation
import SluicePipeline

/// `sluice generate DIR`: synthetic deliveries for benchmarks and demos.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write synthetic CSV files shaped like the bundled data (or another example file).",
        discussion: """
            Each column's values are drawn with the frequencies of the example and
            written as the example writes them (same quoting quirks, delimiter, header);
            every file is distinct and the same --seed gives the same files. Example:
            sluice generate /tmp/files --files 999
            """)

    @Argument(help: ArgumentHelp("The folder to write into (created if needed).", valueName: "dir"))
    var directory: String

    @Option(help: "How many files.")
    var files: Int = 999

    @Option(help: "Rows per file.")
    var rows: Int = 395

    @Option(help: "Seed of the first file; file i uses seed + i.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("The example CSV (default: the bundled data/student-mat.csv).", valueName: "file"))
    var example: String?

    func validate() throws {
        guard files >= 1, rows >= 1 else { throw ValidationError("--files and --rows must be at least 1") }
    }

    func run() throws {
        try withExitCodes {
            let examplePath = try example ?? BundledAssets.locate().demoData.path
            guard let data = FileManager.default.contents(atPath: examplePath) else {
                throw CLIError(message: "\(examplePath): cannot read the example file", exitCode: 2)
            }
            let generator = try SampleDrivenGenerator(example: [UInt8](data))
            let folder = URL(fileURLWithPath: directory, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var bytes = 0
            for index in 0..<files {
                let content = generator.file(rows: rows, seed: seed &+ UInt64(index))
                bytes += content.count
                let name = String(format: "delivery-%06d.csv", index)
                try Data(content).write(to: folder.appendingPathComponent(name))
            }
            print("Wrote \(files) files, \(files * rows) rows, \(bytes) bytes to \(folder.path)")
        }
    }
}
