import CSluiceZstd

// Every zstd call in SluiceParquet is in this file.

/// A zstd compression context (`ZSTD_CCtx`) that appends one frame per call; one owner.
///
/// Parquet compresses each page on its own (`CompressionCodec.ZSTD`: a page body is one
/// complete zstd frame), so a writer keeps one context for all its pages.
final class PageCompressor {
    private let context: OpaquePointer
    /// The compression level, as passed to `ZSTD_c_compressionLevel`.
    let level: Int32

    /// Creates a context at `level` with zstd's frame checksum off (as other Parquet writers
    /// do) and the content size written in each frame header.
    init(level: Int32) throws(ParquetError) {
        guard let context = ZSTD_createCCtx() else {
            throw ParquetError(code: .zstd, file: "", message: "ZSTD_createCCtx failed")
        }
        self.context = context
        self.level = level
        for (parameter, value) in [
            (ZSTD_c_compressionLevel, level), (ZSTD_c_checksumFlag, 0), (ZSTD_c_contentSizeFlag, 1),
        ] {
            try Self.check(ZSTD_CCtx_setParameter(context, parameter, value))
        }
    }

    deinit { ZSTD_freeCCtx(context) }

    /// The one place where a zstd result code becomes a Swift error. Wraps `ZSTD_isError` and
    /// `ZSTD_getErrorName`.
    @discardableResult
    private static func check(_ code: Int) throws(ParquetError) -> Int {
        guard ZSTD_isError(code) != 0 else { return code }
        throw ParquetError(code: .zstd, file: "", message: String(cString: ZSTD_getErrorName(code)))
    }

    /// Appends one zstd frame holding `input` to `output` and returns the frame's size.
    /// Wraps `ZSTD_compressBound` and `ZSTD_compress2`.
    func compress(_ input: [UInt8], appendingTo output: inout [UInt8]) throws(ParquetError) -> Int {
        let bound = ZSTD_compressBound(input.count)
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bound))
        let result = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { source in
                ZSTD_compress2(context, out.baseAddress! + start, bound, source.baseAddress, source.count)
            }
        }
        let size: Int
        do { size = try Self.check(result) } catch {
            output.removeSubrange(start...)
            throw error
        }
        output.removeSubrange((start + size)...)
        return size
    }
}

@available(*, unavailable, message: "a zstd context is used by one writer at a time")
extension PageCompressor: Sendable {}

/// Decompresses one zstd frame whose content size is in its header; for tests and checks of
/// written files. Wraps `ZSTD_getFrameContentSize` and `ZSTD_decompress`. Returns `nil` for
/// anything but one well-formed frame of at most `limit` bytes.
func zstdDecompressFrame(_ frame: [UInt8], limit: Int = 1 << 30) -> [UInt8]? {
    let size = frame.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
    guard size != ZSTD_CONTENTSIZE_UNKNOWN, size != ZSTD_CONTENTSIZE_ERROR, size <= UInt64(limit) else { return nil }
    var output = [UInt8](repeating: 0, count: Int(size))
    let result = output.withUnsafeMutableBytes { out in
        frame.withUnsafeBytes { source in ZSTD_decompress(out.baseAddress, out.count, source.baseAddress, source.count)
        }
    }
    guard ZSTD_isError(result) == 0, result == output.count else { return nil }
    return output
}
