import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceColumnar

/// A path that is not a regular file is refused without being read. Before, opening a FIFO
/// named `x.scol` blocked until something wrote to it: `sluice inspect`, `sluice cat` and
/// `sluice verify` (over a `.scol` file swapped for a FIFO) hung.
struct ColumnarFileTypeTests {
    @Test func aFIFOIsRefusedWithoutBlocking() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("x.scol").path
            #expect(mkfifo(path, 0o600) == 0)
            let opening = Task.detached { () -> ColumnarError? in
                do {
                    _ = try ColumnarReader(path: path)
                    return nil
                } catch {
                    return error
                }
            }
            // Without the check the open blocks until a writer comes: after 5 s, be that writer
            // (and close at once), so that the test fails rather than hangs.
            let unblock = Task.detached {
                try? await Task.sleep(for: .seconds(5))
                guard !Task.isCancelled else { return }
                let descriptor = open(path, O_WRONLY | O_NONBLOCK)
                if descriptor >= 0 { close(descriptor) }
            }
            let error = await opening.value
            unblock.cancel()
            #expect(error?.code == .notColumnar, "\(String(describing: error))")
            #expect(error?.message.contains("not a regular file") == true, "\(String(describing: error))")
        }
    }

    @Test func aFolderAndADeviceAreRefusedUnread() throws {
        try withTemporaryDirectory { dir in
            for path in [dir.path, "/dev/zero"] {
                #expect(throws: ColumnarError.self) { _ = try ColumnarReader(path: path) }
                do {
                    _ = try ColumnarReader(path: path)
                } catch {
                    #expect(error.code == .notColumnar, "\(path): \(error)")
                }
            }
        }
    }
}
