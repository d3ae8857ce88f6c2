import Foundation
import Testing
import SluiceSchema

/// A schema path that names a FIFO or a device is refused without reading it. Before, the open
/// of a FIFO blocked until something wrote to it, so `schema: pipe.yaml` in `sluice.yaml` hung
/// every command of the workspace, readers included.
@Suite struct SchemaFileTypeTests {
    @Test func aFIFONamedAsTheSchemaIsRefusedWithoutBlocking() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("schema-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("schema.yaml").path
        #expect(mkfifo(path, 0o600) == 0)
        // Without the check the open blocks until a writer comes: after 5 s a thread of its own
        // (not one of the test's) becomes that writer with a valid schema, so that the test
        // fails rather than hangs. With the check, its open finds no reader and does nothing.
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 5)
            let descriptor = open(path, O_WRONLY | O_NONBLOCK)
            guard descriptor >= 0 else { return }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            try? handle.write(contentsOf: Data("table: t\ncolumns:\n  a: integer\n".utf8))
            try? handle.close()
        }
        do {
            _ = try SchemaLoader.load(contentsOf: path)
            Issue.record("a FIFO loaded as a schema")
        } catch {
            #expect(error.code == .unreadable, "\(error)")
            #expect(error.message.contains("not a regular file"), "\(error)")
        }
    }

    @Test func aDeviceNamedAsTheSchemaIsRefusedUnread() {
        do {
            _ = try SchemaLoader.load(contentsOf: "/dev/zero")
            Issue.record("/dev/zero loaded as a schema")
        } catch {
            #expect(error.code == .unreadable)
            #expect(error.message.contains("not a regular file"), "\(error)")
        }
    }
}
