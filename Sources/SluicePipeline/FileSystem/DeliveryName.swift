/// A delivered file's name, made safe to show and to store.
///
/// A name on Linux is any bytes but `/` and NUL, up to 255 of them. Sluice shows names in its
/// log (one line per event), in JSON, in the ledger and as names of new files, so:
/// - ``display(_:)`` escapes what is not printable UTF-8 — invalid bytes as `\xFF`, control
///   and bidirectional-override characters as `\u{202E}` — so a name can neither forge a log
///   line nor reorder what a person reads;
/// - ``fitted(_:maxBytes:)`` shortens a name that is too long to take a suffix
///   (`.errors.json`, `~2`, `-1a2b3c4d.scol`), keeping its extension and a hash of the whole name.
public enum DeliveryName {
    /// The longest file name the file system takes.
    public static let maxBytes = 255
    /// Room kept for the suffixes Sluice adds to a name in `failed/`, `archive/` and `columnar/`.
    public static let suffixRoom = 40

    /// `bytes` as printable UTF-8, with anything else escaped.
    public static func display(_ bytes: [UInt8]) -> String {
        var result = ""
        var index = 0
        while index < bytes.count {
            let length = sequenceLength(bytes, at: index)
            guard length > 0 else {
                result += "\\x" + hex(bytes[index])
                index += 1
                continue
            }
            let scalarText = String(decoding: bytes[index..<(index + length)], as: UTF8.self)
            for scalar in scalarText.unicodeScalars {
                result += isUnsafe(scalar) ? escaped(scalar) : String(scalar)
            }
            index += length
        }
        return result
    }

    /// `name` as it would be shown: escaped where it is not printable UTF-8.
    public static func display(_ name: String) -> String {
        display(Array(name.utf8))
    }

    /// Whether `name` needs no escaping.
    public static func isPrintable(_ name: String) -> Bool {
        !name.unicodeScalars.contains(where: isUnsafe)
    }

    /// `name` unchanged when it has at most `maxBytes` bytes; otherwise its start, a `~`, eight
    /// hex digits of its SHA-256 (two long names that share a start stay apart) and its
    /// extension, in at most `maxBytes` bytes, cut on a character boundary.
    public static func fitted(_ name: String, maxBytes: Int = maxBytes - suffixRoom) -> String {
        guard name.utf8.count > maxBytes else { return name }
        let dot = name.lastIndex(of: ".")
        var ext = dot.map { String(name[$0...]) } ?? ""
        if ext.utf8.count > 16 { ext = "" }
        let tag = "~" + SHA256.hexDigest(Array(name.utf8)).prefix(8)
        let room = max(0, maxBytes - tag.utf8.count - ext.utf8.count)
        var stem = ""
        for character in (ext.isEmpty ? name[...] : name[..<dot!]) {
            if stem.utf8.count + character.utf8.count > room { break }
            stem.append(character)
        }
        return stem + tag + ext
    }

    /// Control characters (C0, DEL, C1), line and paragraph separators, and the bidirectional
    /// formatting characters that can make a name read differently from its bytes.
    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x061C, 0x2028, 0x2029: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        scalar.value < 0x80
            ? "\\x" + hex(UInt8(scalar.value)) : "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    /// The length of the valid UTF-8 sequence at `index`, or 0 when the byte there starts none.
    private static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        let second = bytes[index + 1]
        let secondRange: ClosedRange<UInt8> =
            switch lead {
            case 0xE0: 0xA0...0xBF
            case 0xED: 0x80...0x9F
            case 0xF0: 0x90...0xBF
            case 0xF4: 0x80...0x8F
            default: 0x80...0xBF
            }
        guard secondRange.contains(second) else { return 0 }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return 0 }
        return length
    }
}
