import CSluiceZstd
import Testing

/// The zstd system library is linked now so the columnar format can build on it.
struct SystemLibraryTests {
    @Test func zstdIsLinkedAndRoundTrips() {
        #expect(ZSTD_versionNumber() >= 10_400)
        let input = [UInt8](repeating: 42, count: 4096)
        var compressed = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let size = ZSTD_compress(&compressed, compressed.count, input, input.count, 3)
        #expect(ZSTD_isError(size) == 0)
        #expect(size < 100)
        var output = [UInt8](repeating: 0, count: input.count)
        let restored = ZSTD_decompress(&output, output.count, compressed, size)
        #expect(restored == input.count)
        #expect(output == input)
    }
}
