import CSluiceZstd
import Synchronization

// Every zstd call in SluiceColumnar is in this file.

/// A zstd failure: the library's error name for a result code.
struct ZstdFailure: Error {
    var message: String

    /// The one place where a zstd result code becomes a Swift error; `nil` when `code` is not
    /// an error. Wraps `ZSTD_isError` and `ZSTD_getErrorName`.
    init?(code: Int) {
        guard ZSTD_isError(code) != 0 else { return nil }
        message = String(cString: ZSTD_getErrorName(code))
    }

    init(message: String) { self.message = message }
}

/// A reusable zstd compression context (`ZSTD_CCtx`), one owner at a time.
///
/// Creating a context allocates and clears its tables; a pipeline writes a small file per
/// delivery, so writers borrow contexts from ``ZstdCompressor/borrow(level:)`` and hand them
/// back when done instead of creating one each.
///
/// `@unchecked Sendable`: a context is used by one writer at a time; it only crosses threads
/// through the pool, whose lock orders the hand-over.
final class ZstdCompressor: @unchecked Sendable {
    private let context: OpaquePointer
    /// Output buffer reused across calls (its capacity only grows).
    private var scratch: [UInt8] = []
    /// The compression level, as passed to `ZSTD_c_compressionLevel`.
    let level: Int32

    /// Creates a context at `level`, with zstd's own frame checksum off (chunks carry ours)
    /// and the content size always written in the frame header.
    init(level: Int32) throws(ZstdFailure) {
        guard let context = ZSTD_createCCtx() else { throw ZstdFailure(message: "ZSTD_createCCtx failed") }
        self.context = context
        self.level = level
        for (parameter, value) in [
            (ZSTD_c_compressionLevel, level), (ZSTD_c_checksumFlag, 0), (ZSTD_c_contentSizeFlag, 1),
        ] {
            if let failure = ZstdFailure(code: ZSTD_CCtx_setParameter(context, parameter, value)) { throw failure }
        }
    }

    deinit { ZSTD_freeCCtx(context) }

    /// One zstd frame holding `input`, or `nil` if it would not be smaller than `limit` bytes.
    /// Wraps `ZSTD_compressBound` and `ZSTD_compress2`.
    ///
    /// The frame is a view of the context's reused buffer: copy it out and drop it before the
    /// next call (or the next call copies the buffer).
    func compress(_ input: [UInt8], limit: Int) throws(ZstdFailure) -> ArraySlice<UInt8>? {
        guard limit > 0 else { return nil }
        let bound = ZSTD_compressBound(input.count)
        if scratch.count < bound { scratch = [UInt8](repeating: 0, count: bound) }
        let result = scratch.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { source in
                ZSTD_compress2(context, out.baseAddress, bound, source.baseAddress, source.count)
            }
        }
        if let failure = ZstdFailure(code: result) { throw failure }
        guard result < limit else { return nil }
        return scratch[..<result]
    }

    // MARK: Pool

    /// Contexts handed back, ready for reuse, by level.
    private static let pool = Mutex<[Int32: [ZstdCompressor]]>([:])
    /// Most idle contexts kept per level (about one per thread that writes).
    private static let poolLimit = 16

    /// A context at `level`: an idle one from the pool, or a new one.
    static func borrow(level: Int32) throws(ZstdFailure) -> ZstdCompressor {
        if let idle = pool.withLock({ $0[level]?.popLast() }) { return idle }
        return try ZstdCompressor(level: level)
    }

    /// Hands `compressor` back for reuse (dropped if the pool is full). The caller must not use it again.
    static func giveBack(_ compressor: ZstdCompressor) {
        pool.withLock { idle in
            if idle[compressor.level, default: []].count < poolLimit {
                idle[compressor.level, default: []].append(compressor)
            }
        }
    }
}

/// A reusable zstd decompression context (`ZSTD_DCtx`), one per reader.
final class ZstdDecompressor {
    private let context: OpaquePointer

    /// Creates a context. Wraps `ZSTD_createDCtx`.
    init() throws(ZstdFailure) {
        guard let context = ZSTD_createDCtx() else { throw ZstdFailure(message: "ZSTD_createDCtx failed") }
        self.context = context
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses `frame`, which must be exactly one frame declaring a content size of exactly
    /// `rawSize` and decoding to exactly that many bytes.
    ///
    /// Checks, before allocating: `ZSTD_findFrameCompressedSize` equals the input size (one frame,
    /// nothing after it), and `ZSTD_getFrameContentSize` equals `rawSize` (unknown or error is a
    /// failure). Then decodes single-shot into a buffer of `rawSize` bytes (`ZSTD_decompressDCtx`),
    /// so a lying frame can never make it write more.
    func decompress(_ frame: [UInt8], rawSize: Int) throws(ZstdFailure) -> [UInt8] {
        let (frameSize, contentSize) = frame.withUnsafeBytes { source in
            (
                ZSTD_findFrameCompressedSize(source.baseAddress, source.count),
                ZSTD_getFrameContentSize(source.baseAddress, source.count)
            )
        }
        if ZSTD_isError(frameSize) != 0 || frameSize != frame.count {
            throw ZstdFailure(message: "the chunk is not exactly one zstd frame")
        }
        if contentSize == ZSTD_CONTENTSIZE_UNKNOWN || contentSize == ZSTD_CONTENTSIZE_ERROR {
            throw ZstdFailure(message: "the zstd frame does not declare its content size")
        }
        guard contentSize == UInt64(rawSize) else {
            throw ZstdFailure(message: "the zstd frame declares \(contentSize) bytes but the footer says \(rawSize)")
        }
        var output = [UInt8](repeating: 0, count: rawSize)
        let result = output.withUnsafeMutableBytes { out in
            frame.withUnsafeBytes { source in
                ZSTD_decompressDCtx(context, out.baseAddress, out.count, source.baseAddress, source.count)
            }
        }
        if let failure = ZstdFailure(code: result) { throw failure }
        guard result == rawSize else {
            throw ZstdFailure(message: "the zstd frame decoded to \(result) bytes, not the declared \(rawSize)")
        }
        return output
    }
}

/// The zstd library version, e.g. `1.5.4`. Wraps `ZSTD_versionString`.
let zstdVersion = String(cString: ZSTD_versionString())
