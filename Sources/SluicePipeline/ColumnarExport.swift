import Foundation
import SluiceColumnar
import SluiceSchema

/// Writes the rows of one accepted file as `columnar/<name>-<sha8>.scol`: exactly the rows that
/// go into the warehouse, same values, same types, same order.
enum ColumnarExport {
    /// The `.scol` file name for a delivery: its name without extension, and the start of its
    /// hash (`student-mat-1a2b3c4d.scol`).
    static func fileName(for source: String, sha256: String) -> String {
        let stem = (source as NSString).deletingPathExtension
        return "\(stem)-\(sha256.prefix(8)).scol"
    }

    /// The columnar schema for a table schema: required columns are not nullable.
    static func schema(for schema: Schema) -> ColumnarSchema {
        ColumnarSchema(
            fields: schema.columns.map { column in
                let type: ColumnarType =
                    switch column.type.storage {
                    case .integer: .int64
                    case .real: .double
                    case .text: .string
                    }
                let logical: ColumnarLogicalType? =
                    switch column.type {
                    case .date: .date
                    case .timestamp: .timestamp
                    case .boolean: .boolean
                    case .integer, .real, .text: nil
                    }
                return ColumnarField(
                    name: column.name, type: type, isNullable: !column.isRequired, logicalType: logical)
            })
    }

    /// Writes the file through a temporary name and a rename to `url` (a hidden name the writer
    /// stage renames into place at commit). It is not fsynced here: the writer stage flushes
    /// once for a whole group of files before their rows commit.
    static func write(_ outcome: ValidationOutcome, schema: Schema, to url: URL, metadata: [String: String]) throws
        -> ColumnarFileSummary
    {
        let writer = try ColumnarWriter(
            path: url.path, schema: Self.schema(for: schema), metadata: metadata,
            options: ColumnarWriterOptions(durable: false))
        let columns = zip(outcome.columns, outcome.validity).map { column, validity in
            let values: ColumnValues =
                switch column {
                case .integer(let numbers): .int64(numbers)
                case .real(let numbers): .double(numbers)
                case .text(let texts): .codedString(dictionary: texts.dictionary, codes: texts.codes)
                }
            return ColumnarColumn(values: values, validity: validity.map(ValidityBitmap.init))
        }
        try writer.append(columns: columns)
        return try writer.finish()
    }
}
