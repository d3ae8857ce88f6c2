import SluiceCSV
import SluiceSchema
import Synchronization

/// Remembers, per header line, how it maps onto the schema and a validator prepared for it, so
/// that a run of deliveries with the same header maps it and compiles the column rules once,
/// not once per file. Shared by the preparing workers.
///
/// The key is everything the mapping depends on: the header line's bytes as delivered and the
/// dialect that split them into names (the schema and the policies are fixed for one
/// ``FilePreparer``). Only headers that map are kept; a mismatch is worked out, and reported,
/// each time. At most ``capacity`` headers are kept: memory stays flat however many differ.
final class HeaderCache: Sendable {
    /// What a header line and its dialect determine.
    struct Key: Hashable, Sendable {
        var line: [UInt8]
        var delimiter: UInt8
        var quote: UInt8
        var quotePolicy: CSVQuotePolicy
    }

    /// The mapping of one header, and a validator for it that has seen no row yet.
    struct Entry: Sendable {
        var mapping: HeaderMapping
        var validator: RowValidator
    }

    /// Most headers kept; past it the cache starts again empty.
    static let capacity = 32

    private let entries = Mutex<[Key: Entry]>([:])

    /// The entry for `key`, if that header was seen before.
    func entry(for key: Key) -> Entry? {
        entries.withLock { $0[key] }
    }

    /// Keeps `entry` for `key`.
    func remember(_ entry: Entry, for key: Key) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[key] = entry
        }
    }
}
