import Foundation
import SluiceTestSupport
import Testing
@testable import SluicePipeline

/// One hostile or awkward input and the outcome it must have.
struct HostileFixture: Sendable, CustomStringConvertible {
    var file: String
    var status: IngestStatus
    /// The file-level reason, for rejected files.
    var reason: RejectionReason? = nil
    /// Error codes the reason report must count (exactly these).
    var codes: [String] = []
    /// Line of the first listed error, when it matters.
    var firstLine: Int? = nil
    /// Record number of the first listed error, when it matters.
    var firstRecord: Int? = nil
    var loaded = 0
    var dropped = 0

    var description: String { file }
}

/// Every file in `Fixtures/hostile/` (and a few generated large ones) gets its stated outcome:
/// a specific reason and error code, a quarantined copy and a report, or the right rows loaded
/// — and the row accounting always balances. None may crash or hang.
struct HostileInputTests {
    static let fixtures: [HostileFixture] = [
        // Not text, or no content.
        .init(file: "empty.csv", status: .rejected, reason: .emptyFile, codes: ["empty-file"]),
        .init(file: "whitespace-only.csv", status: .rejected, reason: .emptyFile, codes: ["empty-file"]),
        .init(file: "header-only.csv", status: .rejected, reason: .noDataRows, codes: ["no-data-rows"]),
        .init(file: "header-only-no-newline.csv", status: .rejected, reason: .noDataRows, codes: ["no-data-rows"]),
        .init(
            file: "nul-byte-in-value.csv", status: .rejected, reason: .binaryFile, codes: ["binary-file"], firstLine: 2),
        .init(file: "gzip-compressed.csv", status: .rejected, reason: .binaryFile, codes: ["binary-file"]),
        .init(file: "zip-archive.csv", status: .rejected, reason: .binaryFile, codes: ["binary-file"]),
        .init(file: "pdf-document.csv", status: .rejected, reason: .binaryFile, codes: ["binary-file"]),
        .init(file: "sqlite-database.csv", status: .rejected, reason: .binaryFile, codes: ["binary-file"]),
        .init(file: "random-binary.csv", status: .rejected, reason: .binaryFile, codes: ["binary-file"]),
        // Encodings.
        .init(
            file: "invalid-utf8.csv", status: .rejected, reason: .invalidEncoding, codes: ["invalid-encoding"],
            firstLine: 2),
        .init(
            file: "latin1-without-config.csv", status: .rejected, reason: .invalidEncoding, codes: ["invalid-encoding"],
            firstLine: 3),
        .init(file: "utf16-odd-length.csv", status: .rejected, reason: .invalidEncoding, codes: ["invalid-encoding"]),
        .init(file: "utf16le-with-bom.csv", status: .loaded, loaded: 2),
        .init(file: "utf16be-with-bom.csv", status: .loaded, loaded: 2),
        .init(file: "utf8-with-bom.csv", status: .loaded, loaded: 2),
        // Dialects and line ends.
        .init(file: "crlf-line-endings.csv", status: .loaded, loaded: 2),
        .init(file: "lone-cr-line-endings.csv", status: .loaded, loaded: 2),
        .init(file: "mixed-line-endings.csv", status: .loaded, loaded: 2),
        .init(file: "comma-delimited.csv", status: .loaded, loaded: 2),
        .init(file: "tab-delimited.csv", status: .loaded, loaded: 2),
        .init(file: "pipe-delimited.csv", status: .loaded, loaded: 2),
        .init(file: "blank-lines-between-rows.csv", status: .loaded, loaded: 2),
        .init(file: "ambiguous-delimiter.csv", status: .rejected, reason: .dialectError, codes: ["dialect-error"]),
        .init(
            file: "inconsistent-column-count.csv", status: .rejected, reason: .dialectError, codes: ["dialect-error"]),
        .init(file: "header-looks-like-data.csv", status: .rejected, reason: .dialectError, codes: ["dialect-error"]),
        // CSV syntax.
        .init(
            file: "unterminated-quote-at-eof.csv", status: .rejected, reason: .malformedCSV,
            codes: ["unterminated-quote"], firstLine: 4),
        .init(
            file: "quote-inside-unquoted-field.csv", status: .rejected, reason: .malformedCSV,
            codes: ["unexpected-quote"], firstLine: 3),
        .init(
            file: "text-after-closing-quote.csv", status: .rejected, reason: .malformedCSV, codes: ["text-after-quote"],
            firstLine: 3),
        .init(
            file: "missing-cell.csv", status: .rejected, reason: .invalidValues, codes: ["missing-cell"], firstLine: 3,
            firstRecord: 3),
        .init(
            file: "extra-cell.csv", status: .rejected, reason: .invalidValues, codes: ["extra-cell"], firstLine: 3,
            firstRecord: 3),
        // Headers.
        .init(
            file: "trailing-delimiter-everywhere.csv", status: .rejected, reason: .headerMismatch,
            codes: ["blank-label"]),
        .init(
            file: "duplicate-header-name.csv", status: .rejected, reason: .headerMismatch,
            codes: ["duplicate-label", "missing-label"]),
        .init(
            file: "blank-header-name.csv", status: .rejected, reason: .headerMismatch,
            codes: ["blank-label", "missing-label"]),
        .init(
            file: "unknown-column.csv", status: .rejected, reason: .headerMismatch,
            codes: ["extra-label", "missing-label"]),
        .init(file: "missing-column.csv", status: .rejected, reason: .headerMismatch, codes: ["missing-label"]),
        .init(
            file: "single-column.csv", status: .rejected, reason: .headerMismatch,
            codes: ["extra-label", "missing-label"]),
        .init(file: "columns-in-another-order.csv", status: .loaded, loaded: 2),
        .init(file: "header-case-and-spaces.csv", status: .loaded, loaded: 2),
        // Values.
        .init(
            file: "integer-overflow.csv", status: .rejected, reason: .invalidValues, codes: ["type-error"], firstLine: 3
        ),
        .init(
            file: "float-1e309-in-integer-column.csv", status: .rejected, reason: .invalidValues, codes: ["type-error"],
            firstLine: 3),
        .init(
            file: "nan-in-integer-column.csv", status: .rejected, reason: .invalidValues, codes: ["type-error"],
            firstLine: 3),
        .init(
            file: "age-above-range.csv", status: .rejected, reason: .invalidValues, codes: ["constraint-error"],
            firstLine: 3),
        .init(
            file: "age-below-range.csv", status: .rejected, reason: .invalidValues, codes: ["constraint-error"],
            firstLine: 3),
        .init(
            file: "school-not-allowed.csv", status: .rejected, reason: .invalidValues, codes: ["constraint-error"],
            firstLine: 3),
        .init(
            file: "text-too-long.csv", status: .rejected, reason: .invalidValues, codes: ["constraint-error"],
            firstLine: 3),
        .init(
            file: "sql-injection-in-value.csv", status: .rejected, reason: .invalidValues, codes: ["constraint-error"],
            firstLine: 3),
        .init(
            file: "quoted-newline-in-value.csv", status: .rejected, reason: .invalidValues, codes: ["constraint-error"],
            firstLine: 2, firstRecord: 2),
        .init(
            file: "bad-value-after-blank-lines.csv", status: .rejected, reason: .invalidValues,
            codes: ["constraint-error"], firstLine: 5, firstRecord: 3),
        .init(file: "values-with-spaces.csv", status: .loaded, loaded: 2),
        // Rows dropped, and counted.
        .init(file: "missing-value-dropped.csv", status: .loaded, loaded: 1, dropped: 1),
        .init(file: "only-delimiters-row.csv", status: .loaded, loaded: 2, dropped: 1),
        .init(file: "duplicate-rows.csv", status: .loaded, loaded: 2, dropped: 1),
        .init(file: "real-data-sample.csv", status: .loaded, loaded: 10),
    ]

    static let fixtureFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/hostile")

    @Test func everyFixtureFileIsListedOnce() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixtureFolder.path).sorted()
        #expect(files == Self.fixtures.map(\.file).sorted())
        #expect(files.count >= 40)
    }

    @Test(arguments: fixtures)
    func fixtureGetsItsOutcome(_ fixture: HostileFixture) throws {
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let source = Self.fixtureFolder.appendingPathComponent(fixture.file)
            let record = try Ingestor(workspace: workspace, logger: quietLogger).ingest(
                fileAt: source, origin: .external)
            try check(record, against: fixture, workspace: workspace)
        }
    }

    /// Large hostile inputs made at test time rather than committed.
    static let generated: [(name: String, make: @Sendable () -> [UInt8], reason: RejectionReason, code: String)] = [
        (
            "100000-columns.csv", { Array(((0..<100_000).map { "c\($0)" }.joined(separator: ";") + "\n1\n").utf8) },
            .tooManyColumns, "too-many-columns"
        ),
        (
            "2-MiB-field.csv",
            {
                Array(
                    (studentHeader + "\n"
                        + studentRow1.replacingOccurrences(
                            of: "\"teacher\"", with: "\"" + String(repeating: "x", count: 2 << 20) + "\"") + "\n").utf8)
            },
            .fieldTooLarge, "field-too-large"
        ),
        (
            "unbalanced-quote-over-the-limit.csv",
            { Array((studentHeader + "\n\"GP" + String(repeating: "a;b;c\n", count: 400_000)).utf8) },
            .fieldTooLarge, "field-too-large"
        ),
        (
            "6-MiB-record.csv",
            {
                Array(
                    (studentHeader + "\n"
                        + (0..<33).map { _ in String(repeating: "y", count: 200_000) }.joined(separator: ";") + "\n")
                        .utf8)
            },
            .lineTooLarge, "line-too-large"
        ),
    ]

    @Test(arguments: 0..<4)
    func largeHostileInputIsRefusedWithinTheLimits(_ index: Int) throws {
        let input = Self.generated[index]
        try withTemporaryDirectory { dir in
            let workspace = try makeWorkspace(in: dir)
            let source = dir.appendingPathComponent(input.name)
            try Data(input.make()).write(to: source)
            let record = try Ingestor(workspace: workspace, logger: quietLogger).ingest(
                fileAt: source, origin: .external)
            try check(
                record,
                against: HostileFixture(file: input.name, status: .rejected, reason: input.reason, codes: [input.code]),
                workspace: workspace)
        }
    }

    private func check(_ record: IngestRecord, against fixture: HostileFixture, workspace: Workspace) throws {
        #expect(record.status == fixture.status, "\(fixture.file): \(record.message)")
        #expect(record.reason == fixture.reason, "\(fixture.file)")
        #expect(record.balances, "\(fixture.file): rows do not add up")
        #expect(record.rowsLoaded == fixture.loaded, "\(fixture.file)")
        #expect(record.rowsDropped == fixture.dropped, "\(fixture.file)")
        guard fixture.status == .rejected else {
            #expect(record.errorsReport == nil, "\(fixture.file)")
            return
        }
        let reportPath = try #require(record.errorsReport, "\(fixture.file) has no reason report")
        #expect(
            FileManager.default.fileExists(atPath: try #require(record.storedAt)), "\(fixture.file) was not quarantined"
        )
        let report = try JSONDecoder().decode(
            ErrorReport.self, from: Data(contentsOf: URL(fileURLWithPath: reportPath)))
        #expect(report.reason == fixture.reason?.rawValue, "\(fixture.file)")
        #expect(report.countsByCode.keys.map(\.description).sorted() == fixture.codes, "\(fixture.file)")
        #expect(report.countsByCode.keys.allSatisfy { $0.isKnown }, "\(fixture.file): a code the library does not name")
        #expect(report.rows.balances, "\(fixture.file)")
        #expect(report.message.count < 1_000, "\(fixture.file): message too long")
        let first = try #require(report.errors.first, "\(fixture.file) lists no error")
        #expect(
            !first.message.isEmpty && first.hint?.isEmpty == false,
            "\(fixture.file): first error needs a message and a hint")
        if let line = fixture.firstLine { #expect(first.line == line, "\(fixture.file)") }
        if let number = fixture.firstRecord { #expect(first.record == number, "\(fixture.file)") }
    }
}
