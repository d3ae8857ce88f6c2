#if os(Linux)
    import Glibc

    /// The Linux inotify calls, in one place: a watch on one folder for files closed after writing
    /// (`IN_CLOSE_WRITE`) or renamed into it (`IN_MOVED_TO`). Owns the inotify descriptor.
    final class InotifyQueue {
        /// What one `read` of the queue reported.
        struct Batch {
            /// Names of files closed or moved into the folder, in event order.
            var names: [String] = []
            /// The kernel's queue overflowed: some events were lost, rescan the folder.
            var overflowed = false
            /// The folder itself went away (deleted, unmounted).
            var folderGone = false
        }

        private let descriptor: Int32

        /// Starts watching `path`. Wraps `inotify_init1` and `inotify_add_watch`.
        init(watching path: String) throws {
            descriptor = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
            guard descriptor >= 0 else {
                throw PipelineError(
                    code: .io,
                    message: "cannot start watching \(path): inotify_init1: \(String(cString: strerror(errno)))")
            }
            let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)
            guard inotify_add_watch(descriptor, path, mask) >= 0 else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw PipelineError(code: .io, message: "cannot watch \(path): inotify_add_watch: \(reason)")
            }
        }

        deinit {
            close(descriptor)
        }

        /// Waits up to `timeoutMilliseconds` for events and returns them (empty on timeout).
        /// Wraps `poll` and `read`.
        func next(timeoutMilliseconds: Int32) throws -> Batch {
            var waiter = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&waiter, 1, timeoutMilliseconds)
            if ready < 0, errno != EINTR {
                throw PipelineError(code: .io, message: "watching failed: poll: \(String(cString: strerror(errno)))")
            }
            guard ready > 0 else { return Batch() }
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            let count = buffer.withUnsafeMutableBytes { raw in read(descriptor, raw.baseAddress, raw.count) }
            guard count > 0 else { return Batch() }
            return Self.parse(buffer[0..<count])
        }

        /// Decodes `struct inotify_event` records: wd, mask, cookie, len (4 bytes each, native
        /// byte order), then `len` bytes of NUL-padded name.
        static func parse(_ bytes: ArraySlice<UInt8>) -> Batch {
            var batch = Batch()
            var offset = bytes.startIndex
            func word(_ at: Int) -> UInt32 {
                UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3])
                    << 24
            }
            while offset + 16 <= bytes.endIndex {
                let mask = word(offset + 4)
                let length = Int(word(offset + 12))
                let nameStart = offset + 16
                guard nameStart + length <= bytes.endIndex else { break }
                if mask & UInt32(IN_Q_OVERFLOW) != 0 { batch.overflowed = true }
                if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 { batch.folderGone = true }
                if mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0, length > 0 {
                    let name = bytes[nameStart..<(nameStart + length)].prefix { $0 != 0 }
                    batch.names.append(String(decoding: name, as: UTF8.self))
                }
                offset = nameStart + length
            }
            return batch
        }
    }
#endif
