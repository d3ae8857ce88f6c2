/// Encodes one column chunk of a row group: an optional dictionary page, then data pages (v1),
/// each body compressed with zstd, appended to the file's pending bytes.
///
/// The encoding is chosen from the chunk's exact statistics, without trial encoding: the
/// dictionary (`RLE_DICTIONARY` indices over a `PLAIN` dictionary page) when its page plus the
/// bit-packed indices are smaller than the `PLAIN` values and it has at most
/// ``ParquetWriterOptions/maxDictionaryEntries`` entries, else `PLAIN`. Runs of eight or more equal
/// indices become RLE runs inside the indices (see ``RLEHybridEncoder``).
struct ColumnChunkEncoder {
    let field: ParquetField
    let options: ParquetWriterOptions
    let compressor: PageCompressor

    /// Where a chunk's values come from once the encoding is chosen.
    enum Values {
        /// Indices into `dictionary`, a PLAIN-encoded dictionary page body.
        case dictionary(page: [UInt8], entries: Int, isSorted: Bool, codes: [UInt32], bitWidth: Int)
        case plainInt64([Int64])
        /// INT32 values (a DATE column), given as `Int64` that fit.
        case plainInt32([Int64])
        /// BOOLEAN values (1/0), bit-packed LSB first.
        case plainBoolean([Int64])
        case plainDouble([Double])
        case plainString(StringDictionary, codes: [UInt32])
    }

    /// Appends the chunk's pages to `out`, whose first byte is at file offset `base`, and returns
    /// the chunk's metadata.
    func encode(_ buffer: ColumnBuffer, into out: inout [UInt8], base: Int) throws(ParquetError) -> ColumnMetaData {
        let statistics: Statistics
        let values: Values
        let nulls = buffer.rows - buffer.valueCount
        switch buffer.type {
        case .int64, .timestamp:
            statistics = Self.statistics(buffer.int64s, nulls: nulls)
            values = Self.choose(buffer.int64s, maxEntries: options.maxDictionaryEntries)
        case .date:
            statistics = Self.statistics(buffer.int64s, nulls: nulls, byteWidth: 4)
            values = Self.choose(buffer.int64s, maxEntries: options.maxDictionaryEntries, byteWidth: 4)
        case .boolean:
            statistics = Self.statistics(buffer.int64s, nulls: nulls, byteWidth: 1)
            values = .plainBoolean(buffer.int64s)
        case .double:
            statistics = Self.statistics(buffer.doubles, nulls: nulls)
            values = Self.choose(buffer.doubles, maxEntries: options.maxDictionaryEntries)
        case .string:
            statistics = Self.statistics(buffer.dictionary, nulls: nulls)
            values = Self.choose(buffer.dictionary, codes: buffer.codes, maxEntries: options.maxDictionaryEntries)
        }

        var sizes = (uncompressed: 0, compressed: 0)
        var encodings: [Encoding] = []
        var encodingStats: [PageEncodingStats] = []
        var dictionaryOffset: Int64?
        let valueEncoding: Encoding
        if case .dictionary(let page, let entries, let isSorted, _, _) = values {
            dictionaryOffset = Int64(base + out.count)
            let header = PageHeader(
                type: .dictionaryPage, uncompressedPageSize: 0, compressedPageSize: 0,
                dictionaryPageHeader: DictionaryPageHeader(
                    numValues: Int32(entries), encoding: .plain, isSorted: isSorted ? true : nil))
            try writePage(page, header: header, into: &out, sizes: &sizes)
            encodings.append(.plain)
            encodingStats.append(PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1))
            valueEncoding = .rleDictionary
        } else {
            valueEncoding = .plain
        }
        if buffer.definitionLevels != nil { encodings.append(.rle) }
        encodings.append(valueEncoding)

        let dataOffset = Int64(base + out.count)
        let pages = pageBoundaries(buffer, values)
        for page in pages {
            var body: [UInt8] = []
            if let levels = buffer.definitionLevels {
                RLEHybridEncoder.encodeWithLength(levels, range: page.rows, bitWidth: 1, into: &body)
            }
            switch values {
            case .dictionary(_, _, _, let codes, let bitWidth):
                body.append(UInt8(bitWidth))
                RLEHybridEncoder.encode(codes, range: page.values, bitWidth: bitWidth, into: &body)
            case .plainInt64(let numbers):
                body.reserveCapacity(body.count + 8 * page.values.count)
                for number in numbers[page.values] { PlainEncoder.append(UInt64(bitPattern: number), into: &body) }
            case .plainInt32(let numbers):
                body.reserveCapacity(body.count + 4 * page.values.count)
                for number in numbers[page.values] { PlainEncoder.append(number, byteWidth: 4, into: &body) }
            case .plainBoolean(let flags):
                var byte: UInt8 = 0
                for (position, flag) in flags[page.values].enumerated() {
                    if flag != 0 { byte |= 1 << UInt8(position & 7) }
                    if position & 7 == 7 {
                        body.append(byte)
                        byte = 0
                    }
                }
                if page.values.count & 7 != 0 { body.append(byte) }
            case .plainDouble(let numbers):
                body.reserveCapacity(body.count + 8 * page.values.count)
                for number in numbers[page.values] { PlainEncoder.append(number.bitPattern, into: &body) }
            case .plainString(let dictionary, let codes):
                for code in codes[page.values] { PlainEncoder.append(dictionary.entries[Int(code)], into: &body) }
            }
            let header = PageHeader(
                type: .dataPage, uncompressedPageSize: 0, compressedPageSize: 0,
                dataPageHeader: DataPageHeader(numValues: Int32(page.rows.count), encoding: valueEncoding))
            try writePage(body, header: header, into: &out, sizes: &sizes)
        }
        encodingStats.append(PageEncodingStats(pageType: .dataPage, encoding: valueEncoding, count: Int32(pages.count)))

        return ColumnMetaData(
            type: field.type.physicalType, encodings: encodings, pathInSchema: [field.name], codec: .zstd,
            numValues: Int64(buffer.rows), totalUncompressedSize: Int64(sizes.uncompressed),
            totalCompressedSize: Int64(sizes.compressed), dataPageOffset: dataOffset,
            dictionaryPageOffset: dictionaryOffset, statistics: statistics, encodingStats: encodingStats)
    }

    /// Plain string pages end once they hold about this many bytes.
    static let plainPageBytes = 1 << 20

    /// The rows and the (non-null) values of each data page: at most
    /// ``ParquetWriterOptions/pageRows`` rows, and for PLAIN strings about ``plainPageBytes``;
    /// at least one page, so an empty chunk still has one.
    private func pageBoundaries(_ buffer: ColumnBuffer, _ values: Values) -> [(rows: Range<Int>, values: Range<Int>)] {
        var pages: [(rows: Range<Int>, values: Range<Int>)] = []
        let levels = buffer.definitionLevels
        var lengths: (StringDictionary, [UInt32])?
        if case .plainString(let dictionary, let codes) = values { lengths = (dictionary, codes) }
        if levels == nil && lengths == nil {
            // Fixed-width values of a required column: pages are plain row ranges.
            return stride(from: 0, to: max(buffer.rows, 1), by: options.pageRows).map { start in
                let range = start..<min(start + options.pageRows, buffer.rows)
                return (range, range)
            }
        }
        var row = 0
        var value = 0
        repeat {
            let startRow = row
            let startValue = value
            var bytes = 0
            while row < buffer.rows && row - startRow < options.pageRows && bytes < Self.plainPageBytes {
                if levels?[row] ?? 1 != 0 {
                    if let (dictionary, codes) = lengths {
                        bytes += 4 + dictionary.entries[Int(codes[value])].utf8.count
                    }
                    value += 1
                }
                row += 1
            }
            pages.append((startRow..<row, startValue..<value))
        } while row < buffer.rows
        return pages
    }

    /// Compresses `body` and appends its header and the frame, adding both sizes to `sizes`.
    private func writePage(
        _ body: [UInt8], header: PageHeader, into out: inout [UInt8],
        sizes: inout (uncompressed: Int, compressed: Int)
    ) throws(ParquetError) {
        var frame: [UInt8] = []
        let stored = try compressor.compress(body, appendingTo: &frame)
        guard body.count <= Int(Int32.max), stored <= Int(Int32.max) else {
            throw ParquetError(
                code: .invalidArgument, file: "", message: "a page of column '\(field.name)' is over 2 GiB")
        }
        var header = header
        header.uncompressedPageSize = Int32(body.count)
        header.compressedPageSize = Int32(stored)
        var writer = ThriftCompactWriter()
        writer.writeStruct(header)
        out.append(contentsOf: writer.bytes)
        out.append(contentsOf: frame)
        sizes.uncompressed += writer.bytes.count + body.count
        sizes.compressed += writer.bytes.count + stored
    }
}
