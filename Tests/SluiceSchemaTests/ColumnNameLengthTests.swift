import Testing
import SluiceSchema

/// A column name must fit the `.scol` footer (1–255 UTF-8 bytes). Before, a longer name loaded,
/// and then every file of the workspace was deferred at its columnar write, run after run, never
/// loaded nor quarantined.
@Suite struct ColumnNameLengthTests {
    @Test func aColumnNameOf255BytesLoads() throws {
        let name = String(repeating: "a", count: 255)
        let schema = try SchemaLoader.load(yaml: "table: t\ncolumns:\n  b: integer\n  \(name): text\n")
        #expect(schema.columns.map(\.name) == ["b", name])
    }

    @Test func aColumnNameOf256BytesIsRefusedAtItsLine() {
        let name = String(repeating: "a", count: 256)
        let error = TestSupport.loadError("table: t\ncolumns:\n  b: integer\n  \(name): text\n")
        #expect(error?.code == .limitExceeded)
        #expect(error?.line == 4)
        #expect(error?.column == 3)
        #expect(error?.message.contains("is 256 UTF-8 bytes") == true, "\(String(describing: error))")
    }

    /// Bytes, not characters: 128 two-byte letters (`é`, U+00E9) are 256 bytes.
    @Test func theLimitCountsUTF8Bytes() {
        let name = String(repeating: "é", count: 128)
        let error = TestSupport.loadError("table: t\ncolumns:\n  \(name): text\n")
        #expect(error?.code == .limitExceeded)
        #expect(error?.message.contains("is 256 UTF-8 bytes") == true, "\(String(describing: error))")
    }

    /// The legacy flat format goes through the same checks.
    @Test func theLegacyFlatFormatIsCheckedToo() {
        let error = TestSupport.loadError("school: VARCHAR(10)\n\(String(repeating: "x", count: 300)): INTEGER\n")
        #expect(error?.code == .limitExceeded)
        #expect(error?.line == 2)
    }
}
