import SluiceParquet

/// How an export splits rows into Hive-style folders (`COLUMN=value/`).
enum LakePartitioning: Sendable, Equatable {
    /// One folder per load date, `loaded_date=YYYY-MM-DD`, from the ledger's `ingested_at` (UTC).
    case loadedDate
    /// One folder per value of a data column (which the files then leave out, as Hive does).
    case column(name: String, index: Int)

    /// The default partition column's name.
    static let loadedDateName = "loaded_date"

    /// The folder name's key.
    var name: String {
        switch self {
        case .loadedDate: Self.loadedDateName
        case .column(let name, _): name
        }
    }

    /// The value Hive, Spark, pyarrow and DuckDB read as NULL (Hive's default partition name).
    static let nullFolderValue = "__HIVE_DEFAULT_PARTITION__"

    /// The folder for a partition value: `name=value`, with the characters Hive escapes written
    /// as `%XX` (so `a/b` is `a%2Fb`), and null (or the empty string, which Hive cannot tell
    /// from null) as ``nullFolderValue``.
    func folder(for value: String?) -> String {
        guard let value, !value.isEmpty else { return "\(Self.escape(name))=\(Self.nullFolderValue)" }
        return "\(Self.escape(name))=\(Self.escape(value))"
    }

    /// Hive's path escaping (`FileUtils.escapePathName`): control characters and
    /// `"#%'*/:=?\^[]{}` and DEL as `%XX`; everything else, UTF-8 included, as it is.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x20 || value == 0x7F || "\"#%'*/:=?\\^[]{}".unicodeScalars.contains(scalar) {
                out += "%" + String(value, radix: 16, uppercase: true).leftPadded(to: 2)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The partition value of each row of a batch (data columns in schema order), for a column
    /// partitioning: integers in decimal, doubles as Swift prints them, text as it is, `nil` for null.
    static func values(of column: ParquetColumn) -> [String?] {
        let strings: [String]
        switch column.values {
        case .int64(let numbers): strings = numbers.map { String($0) }
        case .double(let numbers): strings = numbers.map { String($0) }
        case .string(let texts): strings = texts
        case .codedString(let dictionary, let codes):
            strings = codes.map { Int($0) < dictionary.count ? dictionary[Int($0)] : "" }
        }
        guard let validity = column.validity else { return strings }
        return zip(strings, validity).map { $1 ? $0 : nil }
    }
}

extension String {
    /// The string with zeros in front up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
