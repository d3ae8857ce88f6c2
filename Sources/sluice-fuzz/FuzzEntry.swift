// libFuzzer entry for Sluice's parsers, and a replay tool for crash files.
//
// Fuzzing build (libFuzzer provides `main`; -DFUZZING hides the replay tool's):
//   swift build -c debug --product sluice-fuzz -Xswiftc -sanitize=fuzzer,address \
//       -Xswiftc -DFUZZING --scratch-path .build-fuzz
//   mkdir -p /tmp/scol-corpus
//   SLUICE_FUZZ_TARGET=columnar .build-fuzz/debug/sluice-fuzz /tmp/scol-corpus \
//       Tests/SluiceColumnarTests/Fixtures/corpus -max_len=16384 -rss_limit_mb=2048 -max_total_time=600
// Replay (normal build): swift run sluice-fuzz crash-<hash> …   (same targets, same env var)
//
// SLUICE_FUZZ_TARGET selects the parser: `columnar` (the default) runs the .scol reader; `csv`
// runs decoding, sniffing, reading, header mapping and validation of a CSV delivery.

import Foundation
import SluiceColumnar

/// The fuzz targets, selected by `SLUICE_FUZZ_TARGET`.
enum FuzzTargets {
    /// The target named in the environment, read once.
    static let selected: String = ProcessInfo.processInfo.environment["SLUICE_FUZZ_TARGET"] ?? "columnar"

    /// Runs the selected target on one input. Returning normally or throwing is fine; a trap,
    /// a sanitizer report, a hang or unbounded memory is a bug.
    static func run(_ bytes: [UInt8]) {
        switch selected {
        case "columnar": ColumnarFuzzTarget.run(bytes)
        case "csv": CSVFuzzTarget.run(bytes)
        default:
            FileHandle.standardError.write(
                Data("unknown SLUICE_FUZZ_TARGET '\(selected)' (known: columnar, csv)\n".utf8))
            exit(2)
        }
    }
}

/// Opens the bytes as a `.scol` file and exercises every read path, twice: with checksums
/// verified (the production path) and with checksums off, so mutations reach the footer
/// parser and the chunk decoders instead of stopping at the checksum.
enum ColumnarFuzzTarget {
    static func run(_ bytes: [UInt8]) {
        var limits = ColumnarLimits()
        limits.maxRowsPerGroup = 1 << 16
        limits.maxRawChunkBytes = 8 << 20
        limits.maxRows = 1 << 22
        for verify in [true, false] {
            limits.verifyChecksums = verify
            exercise(bytes, limits: limits)
        }
    }

    private static func exercise(_ bytes: [UInt8], limits: ColumnarLimits) {
        do {
            let reader = try ColumnarReader(bytes: bytes, name: "fuzz.scol", limits: limits)
            _ = reader.inspect(verifyingChecksums: true)
            for field in reader.schema.fields {
                let probe: ColumnarScalar =
                    switch field.type {
                    case .int64: .int64(17)
                    case .double: .double(1.5)
                    case .string: .string("gp")
                    }
                _ = try reader.rowGroups(matching: .or([.equals(field.name, probe), .isNull(field.name)]))
            }
            for index in reader.schema.fields.indices {
                let column = try reader.readColumnWithValidity(index)
                precondition(column.count == reader.rowCount, "a column's row count differs from the file's")
            }
            try reader.verify()
        } catch {
            _ = error.description
        }
    }
}

#if FUZZING
    /// The libFuzzer entry point.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        FuzzTargets.run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }

    /// libFuzzer's documented driver entry (`FuzzerInterface.h`), declared here because no module
    /// exports it.
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// SwiftPM links every executable target with `main` renamed to `<module>_main` (so tests can
    /// import executables), which hides libFuzzer's own `main`. This is that symbol: it hands the
    /// command line to libFuzzer's driver.
    @_cdecl("sluice_fuzz_main")
    public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
        var count = argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        return runFuzzerDriver(&count, &arguments) { data, size in
            FuzzTargets.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        }
    }
#else
    /// Replays inputs (crash files, corpus entries) through the same targets, without libFuzzer.
    @main
    struct FuzzReplay {
        static func main() {
            let paths = CommandLine.arguments.dropFirst()
            guard !paths.isEmpty else {
                print("usage: SLUICE_FUZZ_TARGET=columnar sluice-fuzz FILE…   (replays inputs through the fuzz target)")
                exit(2)
            }
            for path in paths {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("\(path): cannot read")
                    exit(1)
                }
                FuzzTargets.run([UInt8](data))
                print("\(path): ok (\(data.count) bytes)")
            }
        }
    }
#endif
