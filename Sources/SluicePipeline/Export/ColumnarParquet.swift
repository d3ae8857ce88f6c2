import SluiceColumnar
import SluiceParquet

/// Moves rows from the `.scol` format to Parquet: the schema, the columns (strings stay
/// dictionary-coded), and whole files (`sluice cat FILE.scol --format parquet`).
public enum ColumnarParquet {
    /// The Parquet schema for a `.scol` schema: same names, order, types and nullability; dates,
    /// timestamps and booleans as Parquet's `DATE`, `TIMESTAMP(MICROS)` and `BOOLEAN`.
    public static func schema(for schema: ColumnarSchema) -> ParquetSchema {
        ParquetSchema(
            fields: schema.fields.map { field in
                let type: ParquetColumnType =
                    switch (field.type, field.logicalType) {
                    case (.int64, .date?): .date
                    case (.int64, .timestamp?): .timestamp
                    case (.int64, .boolean?): .boolean
                    case (.int64, _): .int64
                    case (.double, _): .double
                    case (.string, _): .string
                    }
                return ParquetField(name: field.name, type: type, isNullable: field.isNullable)
            })
    }

    /// A `.scol` column as a Parquet column, without copying values or decoding coded strings.
    public static func column(_ column: ColumnarColumn) -> ParquetColumn {
        let values: ParquetValues =
            switch column.values {
            case .int64(let numbers): .int64(numbers)
            case .double(let numbers): .double(numbers)
            case .string(let strings): .string(strings)
            case .codedString(let dictionary, let codes): .codedString(dictionary: dictionary, codes: codes)
            }
        let validity = column.validity.flatMap { bitmap in
            bitmap.nullCount == 0 ? nil : (0..<bitmap.count).map { bitmap[$0] }
        }
        return ParquetColumn(values: values, validity: validity)
    }

    /// The rows `rows` of `column`, in that order.
    static func gather(_ column: ParquetColumn, rows: [Int]) -> ParquetColumn {
        let values: ParquetValues =
            switch column.values {
            case .int64(let numbers): .int64(rows.map { numbers[$0] })
            case .double(let numbers): .double(rows.map { numbers[$0] })
            case .string(let strings): .string(rows.map { strings[$0] })
            case .codedString(let dictionary, let codes):
                .codedString(dictionary: dictionary, codes: rows.map { codes[$0] })
            }
        return ParquetColumn(values: values, validity: column.validity.map { validity in rows.map { validity[$0] } })
    }

    /// Every row of the `.scol` file `reader` reads (the `columns` given, or all), written as one
    /// Parquet file at `path` through a temporary name.
    ///
    /// - Throws: `ColumnarError` for a damaged `.scol` file or an unknown column,
    ///   `ParquetError` if the Parquet file cannot be written.
    public static func convert(
        _ reader: ColumnarReader, columns: [String]? = nil, to path: String,
        options: ParquetWriterOptions = .init()
    ) throws -> ParquetFileSummary {
        var indices: [Int] = []
        for name in columns ?? reader.schema.fields.map(\.name) {
            guard let index = reader.schema.index(of: name) else {
                throw ColumnarError(code: .columnNotFound, file: reader.path, message: "no column named '\(name)'")
            }
            indices.append(index)
        }
        let projected = ColumnarSchema(fields: indices.map { reader.schema.fields[$0] })
        let writer = try ParquetWriter(
            path: path, schema: schema(for: projected), options: options,
            metadata: ["sluice.source": reader.path])
        for group in reader.rowGroups.indices {
            var batch: [ParquetColumn] = []
            for index in indices {
                batch.append(column(try reader.readChunkKeepingCodes(rowGroup: group, column: index)))
            }
            try writer.append(batch)
        }
        return try writer.finish()
    }
}
