import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceColumnar

/// A path that is not a regular file is refused without being read. Before, opening a FIFO
/// named `x.scol` blocked until something wrote to it: `sluice inspect`, `sluice cat` and
/// `sluice verify` (over a `.scol` file swapped for a FIFO) hung.
struct ColumnarFileTypeTests {
    @Test func aFIFOIsRefusedWithoutBlocking() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("x.scol").path
            #expect(mkfifo(path, 0o600) == 0)
            // Without the check the open blocks until a writer comes: after 5 s a thread of its
            // own becomes that writer (and closes at once), so that the test fails rather than
            // hangs. With the check, its open finds no reader and does nothing.
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: 5)
                let descriptor = open(path, O_WRONLY | O_NONBLOCK)
                if descriptor >= 0 { close(descriptor) }
            }
            do throws(ColumnarError) {
                _ = try ColumnarReader(path: path)
                Issue.record("a FIFO opened as a columnar file")
            } catch {
                #expect(error.code == .notColumnar, "\(error)")
                #expect(error.message.contains("not a regular file"), "\(error)")
            }
        }
    }

    @Test func aFolderAndADeviceAreRefusedUnread() throws {
        try withTemporaryDirectory { dir in
            for path in [dir.path, "/dev/zero"] {
                do throws(ColumnarError) {
                    _ = try ColumnarReader(path: path)
                    Issue.record("\(path) opened as a columnar file")
                } catch {
                    #expect(error.code == .notColumnar, "\(path): \(error)")
                }
            }
        }
    }
}
