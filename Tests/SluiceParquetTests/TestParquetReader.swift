@testable import SluiceParquet
import Foundation

/// A minimal Parquet reader for the tests, for the flat files Sluice writes: it decodes the
/// footer and every page with the independent decoders here, so the writer's output is checked
/// without trusting its own code. Values come back as strings, `nil` for null.
struct TestParquetFile {
    let bytes: [UInt8]
    let footer: ThriftValue

    init(path: String) throws {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        guard data.count >= 12, Array(data.prefix(4)) == Array("PAR1".utf8), Array(data.suffix(4)) == Array("PAR1".utf8)
        else {
            throw ThriftDecodeError(description: "no PAR1 magic at both ends")
        }
        bytes = data
        let lengthAt = data.count - 8
        let length = (0..<4).reduce(0) { $0 | Int(data[lengthAt + $1]) << ($1 * 8) }
        var decoder = ThriftCompactDecoder(Array(data[(lengthAt - length)..<lengthAt]))
        footer = try decoder.readStruct()
        guard decoder.offset == length else { throw ThriftDecodeError(description: "footer has trailing bytes") }
    }

    var rowGroups: [ThriftValue] { footer[4]?.list ?? [] }
    var schemaElements: [ThriftValue] { footer[2]?.list ?? [] }
    var numRows: Int64? { footer[3]?.integer }

    /// The `ColumnMetaData` of one column chunk (an empty struct if there is none).
    func chunk(group: Int, column: Int) -> ThriftValue {
        rowGroups[group][1]?.list?[column][3] ?? .structure([:])
    }

    /// Every value of column `index`, row group after row group.
    func values(ofColumn index: Int) throws -> [String?] {
        let element = schemaElements[index + 1]
        let nullable = element[3]?.integer == 1
        let physical = element[1]?.integer
        var result: [String?] = []
        for group in rowGroups {
            guard let meta = group[1]?.list?[index][3] else {
                throw ThriftDecodeError(description: "no column metadata")
            }
            let total = Int(meta[5]?.integer ?? -1)
            var offset = Int(meta[11]?.integer ?? meta[9]?.integer ?? 0)
            var dictionary: [String]?
            var read = 0
            while read < total {
                var decoder = ThriftCompactDecoder(bytes, offset: offset)
                let header = try decoder.readStruct()
                let stored = Int(header[3]?.integer ?? 0)
                let frame = Array(bytes[decoder.offset..<decoder.offset + stored])
                offset = decoder.offset + stored
                guard let body = zstdDecompressFrame(frame), body.count == Int(header[2]?.integer ?? -1) else {
                    throw ThriftDecodeError(description: "page body is not one zstd frame of the declared size")
                }
                if header[1]?.integer == 2 {
                    let count = Int(header[7]?[1]?.integer ?? 0)
                    var cursor = 0
                    dictionary = try plain(body, &cursor, count: count, physical: physical)
                    continue
                }
                let count = Int(header[5]?[1]?.integer ?? 0)
                var cursor = 0
                var defined = [UInt32](repeating: 1, count: count)
                if nullable {
                    let length = (0..<4).reduce(0) { $0 | Int(body[$1]) << ($1 * 8) }
                    defined = try decodeRLEHybrid(Array(body[4..<4 + length]), bitWidth: 1, count: count)
                    cursor = 4 + length
                }
                let present = defined.filter { $0 == 1 }.count
                var dense: [String]
                if header[5]?[2]?.integer == 8 {
                    guard let dictionary else {
                        throw ThriftDecodeError(description: "dictionary indices without a dictionary page")
                    }
                    let width = Int(body[cursor])
                    let codes = try decodeRLEHybrid(Array(body[(cursor + 1)...]), bitWidth: width, count: present)
                    dense = try codes.map { code in
                        guard Int(code) < dictionary.count else {
                            throw ThriftDecodeError(description: "index past the dictionary")
                        }
                        return dictionary[Int(code)]
                    }
                } else {
                    dense = try plain(body, &cursor, count: present, physical: physical)
                    guard cursor == body.count else {
                        throw ThriftDecodeError(description: "bytes left after PLAIN values")
                    }
                }
                var next = 0
                for flag in defined {
                    if flag == 1 { result.append(dense[next]); next += 1 } else { result.append(nil) }
                }
                read += count
            }
        }
        return result
    }

    private func plain(_ body: [UInt8], _ cursor: inout Int, count: Int, physical: Int64?) throws -> [String] {
        var out: [String] = []
        for _ in 0..<count {
            switch physical {
            case 2, 5:
                let bits = (0..<8).reduce(UInt64(0)) { $0 | UInt64(body[cursor + $1]) << UInt64($1 * 8) }
                cursor += 8
                out.append(physical == 2 ? String(Int64(bitPattern: bits)) : "0x" + String(bits, radix: 16))
            case 6:
                let length = (0..<4).reduce(0) { $0 | Int(body[cursor + $1]) << ($1 * 8) }
                out.append(String(decoding: body[(cursor + 4)..<(cursor + 4 + length)], as: UTF8.self))
                cursor += 4 + length
            default: throw ThriftDecodeError(description: "unexpected physical type")
            }
        }
        return out
    }
}
