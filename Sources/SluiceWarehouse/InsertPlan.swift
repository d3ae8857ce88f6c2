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
                textRanges.append(dictionary.map { value in
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
