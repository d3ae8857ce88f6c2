import Foundation
import SluicePipeline
import SluiceWarehouse

/// One row of the ingest ledger (`sluice_ingests`), as served by `GET /api/ingests`.
public struct IngestEntry: Sendable, Hashable, Encodable {
    /// The ledger id.
    public var id: Int64
    /// The file name as delivered.
    public var source: String
    /// `loaded`, `rejected` or `duplicate`.
    public var status: String
    /// Why it was rejected (`invalid-values`, `binary-file`, …), if it was.
    public var reason: String?
    /// The one-line outcome.
    public var message: String
    /// What to do about a refusal.
    public var hint: String?
    /// The first problem listed in the file's reason report (`line 3, column age: value 25 is above …`).
    public var firstError: String?
    /// File size in bytes.
    public var size: Int64
    /// Row counts.
    public var rowsRead: Int64, rowsLoaded: Int64, rowsDropped: Int64, rowsRejected: Int64
    /// When it was recorded (ISO 8601, UTC).
    public var ingestedAt: String
    /// The reason report, the quarantined or archived copy.
    public var errorsReport: String?, storedAt: String?

    private enum CodingKeys: String, CodingKey {
        case id, source, status, reason, message, hint, size
        case firstError = "first_error", rowsRead = "rows_read", rowsLoaded = "rows_loaded", rowsDropped =
            "rows_dropped"
        case rowsRejected = "rows_rejected", ingestedAt = "ingested_at", errorsReport = "errors_report", storedAt =
            "stored_at"
    }
}

/// Totals over the whole ledger (the library's ``LedgerSummary``).
public typealias IngestLedgerTotals = LedgerSummary

extension LedgerSummary {
    /// Zero files, zero rows, never loaded.
    public static var empty: LedgerSummary { LedgerSummary() }
}

/// The ingest ledger read back: newest entries first, and the totals. Served by `GET /api/ingests`
/// as `{"ingests":[…],"totals":{…}}`.
public struct IngestHistory: Sendable, Hashable, Encodable {
    /// The most recent entries, newest first (after skipping ``offset``).
    public var ingests: [IngestEntry]
    /// How many of the newest entries were skipped (paging).
    public var offset: Int = 0
    /// Totals over every entry.
    public var totals: IngestLedgerTotals

    /// An empty history (no ledger yet).
    public init(ingests: [IngestEntry] = [], totals: IngestLedgerTotals = .empty) {
        self.ingests = ingests
        self.totals = totals
    }

    /// Reads the ledger through its read model.
    ///
    /// - Parameters:
    ///   - ledger: The workspace's ledger (`nil` before anything was ingested).
    ///   - limit: Most entries listed (totals always cover all of them).
    ///   - offset: Newest entries skipped, for paging.
    public init(ledger: Ledger?, limit: Int = 100, offset: Int = 0) throws {
        self.init()
        self.offset = max(0, offset)
        guard let ledger else { return }
        totals = try ledger.summary()
        ingests = try ledger.recent(limit: max(1, limit), offset: self.offset).map { entry in
            IngestEntry(
                id: entry.id, source: entry.source, status: entry.status.rawValue, reason: entry.reason,
                message: entry.message, hint: entry.hint,
                firstError: entry.errorsReport.flatMap(Self.firstError(inReport:)),
                size: Int64(entry.size), rowsRead: Int64(entry.rowsRead), rowsLoaded: Int64(entry.rowsLoaded),
                rowsDropped: Int64(entry.rowsDropped), rowsRejected: Int64(entry.rowsRejected),
                ingestedAt: entry.ingestedAt,
                errorsReport: entry.errorsReport, storedAt: entry.storedAt)
        }
    }

    /// The rejected entries among ``ingests``.
    public var rejected: [IngestEntry] { ingests.filter { $0.status == "rejected" } }

    /// The first error of a reason report (`failed/<name>.errors.json`), as one line.
    static func firstError(inReport path: String) -> String? {
        // Non-blocking and size-capped: a FIFO or a huge file under the report's name must not
        // hang or swamp the page and /api/quarantine.
        guard let data = RegularFileReader.contents(of: path, limit: 16 << 20),
            let report = try? JSONDecoder().decode(ErrorReport.self, from: data),
            let first = report.errors.first
        else { return nil }
        var place = "line \(first.line)"
        if let column = first.column { place += ", column \(column)" }
        return "\(place): \(first.message)"
    }
}
