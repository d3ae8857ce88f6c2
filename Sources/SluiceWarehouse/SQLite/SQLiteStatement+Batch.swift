/// A ``ColumnBatch`` laid out for the insert loop: values in typed arrays reached by slot (no
/// enum payload to unpack per value), and the text of every dictionary in one UTF-8 buffer.
struct InsertPlan {
    /// How a column's values are bound.
    enum Kind {
        case integer, real, text, constant
    }

    /// Per table column: its kind and the index of its array among those of that kind.
    var columns: [(kind: Kind, slot: Int)] = []
    var integers: [[Int64]] = []
    var reals: [[Double]] = []
    /// Per text column: the code of each row.
    var codes: [[UInt32]] = []
    /// Per text column: where each dictionary value lies in ``text``.
    var textRanges: [[(offset: Int, count: Int)]] = []
    var constants: [SQLiteValue] = []
    /// Per table column: whether some row holds `NULL`, and if so which rows hold a value.
    var nullable: [Bool] = []
    var validity: [[Bool]] = []
    /// The UTF-8 of all dictionary values, one after another, plus one spare byte so that even
    /// an empty value has an address inside the buffer.
    var text: [UInt8] = []

    init(_ batch: ColumnBatch) {
        for column in batch.columns {
            nullable.append(column.validity != nil)
            validity.append(column.validity ?? [])
            switch column.values {
            case .integers(let values):
                columns.append((.integer, integers.count))
                integers.append(values)
            case .reals(let values):
                columns.append((.real, reals.count))
                reals.append(values)
            case .texts(let dictionary, let rowCodes):
                columns.append((.text, codes.count))
                codes.append(rowCodes)
                textRanges.append(
                    dictionary.map { value in
                        let range = (offset: text.count, count: value.utf8.count)
                        text.append(contentsOf: value.utf8)
                        return range
                    })
            case .constant(let value):
                columns.append((.constant, constants.count))
                constants.append(value)
            }
        }
        text.append(0)
    }
}

extension SQLiteStatement {
    /// Runs this `INSERT` once per row of `batch`, binding column `i` to parameter `i + 1`.
    ///
    /// Text is bound without a copy: the batch's dictionary values are laid out once in one
    /// UTF-8 buffer that stays alive around the whole loop, each row binds an address in it
    /// (`SQLITE_STATIC`), and the bindings are cleared before the buffer goes.
    func insertRows(of batch: ColumnBatch) throws(SQLiteError) {
        let plan = InsertPlan(batch)
        try plan.text.withUnsafeBufferPointer { (text: UnsafeBufferPointer<UInt8>) throws(SQLiteError) in
            defer { clearBindings() }  // no binding may outlive the buffer
            guard let base = text.baseAddress else { return }
            for row in 0..<batch.rowCount {
                for (index, column) in plan.columns.enumerated() {
                    let parameter = Int32(index + 1)
                    if plan.nullable[index], !plan.validity[index][row] {
                        try bindNull(at: parameter)
                        continue
                    }
                    switch column.kind {
                    case .integer: try bind(plan.integers[column.slot][row], at: parameter)
                    case .real: try bind(plan.reals[column.slot][row], at: parameter)
                    case .text:
                        let value = plan.textRanges[column.slot][Int(plan.codes[column.slot][row])]
                        try bindUnretainedText(base + value.offset, count: value.count, at: parameter)
                    case .constant: try bind(plan.constants[column.slot], at: parameter)
                    }
                }
                defer { reset() }
                try step()
            }
        }
    }
}
