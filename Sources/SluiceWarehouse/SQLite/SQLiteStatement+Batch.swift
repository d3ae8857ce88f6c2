/// A ``ColumnBatch`` laid out for the insert loop: per table column a kind and the offset of
/// its values in one flat array per kind (no enum payload to unpack, no nested array to reach
/// per value), and the text of every dictionary in one UTF-8 buffer.
struct InsertPlan {
    /// How a column's values are bound.
    enum Kind: UInt8 {
        case integer, real, text, constant
    }

    /// Per table column: its kind.
    var kinds: [Kind] = []
    /// Per table column: where its first row lies in the flat array of its kind (for a text
    /// column, in ``codes``; for a constant, its index in ``constants``).
    var bases: [Int] = []
    /// Per table column: where its validity starts in ``validity``, or -1 when no row is `NULL`.
    var validityBases: [Int] = []
    /// Every integer column's values, column after column.
    var integers: [Int64] = []
    /// Every real column's values, column after column.
    var reals: [Double] = []
    /// Every text column's row codes, column after column, each offset to index ``textOffsets``.
    var codes: [Int] = []
    /// Where each dictionary value of every text column lies in ``text``.
    var textOffsets: [Int] = []
    /// The UTF-8 length of each dictionary value, in the order of ``textOffsets``.
    var textCounts: [Int32] = []
    var constants: [SQLiteValue] = []
    /// Which rows hold a value, for the columns that have a `NULL`, column after column.
    var validity: [Bool] = []
    /// The UTF-8 of all dictionary values, one after another, plus one spare byte so that even
    /// an empty value has an address inside the buffer.
    var text: [UInt8] = []

    init(_ batch: ColumnBatch) {
        for column in batch.columns {
            if let valid = column.validity {
                validityBases.append(validity.count)
                validity.append(contentsOf: valid)
            } else {
                validityBases.append(-1)
            }
            switch column.values {
            case .integers(let values):
                kinds.append(.integer)
                bases.append(integers.count)
                integers.append(contentsOf: values)
            case .reals(let values):
                kinds.append(.real)
                bases.append(reals.count)
                reals.append(contentsOf: values)
            case .texts(let dictionary, let rowCodes):
                kinds.append(.text)
                bases.append(codes.count)
                let first = textOffsets.count
                codes.append(contentsOf: rowCodes.lazy.map { first + Int($0) })
                for value in dictionary {
                    textOffsets.append(text.count)
                    textCounts.append(Int32(value.utf8.count))
                    text.append(contentsOf: value.utf8)
                }
            case .constant(let value):
                kinds.append(.constant)
                bases.append(constants.count)
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
        let rowCount = batch.rowCount
        // Every index the loop reads is checked against the layout here, once, not per value.
        for (index, kind) in plan.kinds.enumerated() {
            let base = plan.bases[index]
            switch kind {
            case .integer: precondition(base + rowCount <= plan.integers.count)
            case .real: precondition(base + rowCount <= plan.reals.count)
            case .text: precondition(base + rowCount <= plan.codes.count)
            case .constant: precondition(base < plan.constants.count)
            }
            let validityBase = plan.validityBases[index]
            precondition(validityBase < 0 || validityBase + rowCount <= plan.validity.count)
        }
        precondition(plan.codes.allSatisfy { $0 >= 0 && $0 < plan.textOffsets.count })
        try plan.text.withUnsafeBufferPointer { (text: UnsafeBufferPointer<UInt8>) throws(SQLiteError) in
            defer { clearBindings() }  // no binding may outlive the buffer
            guard let base = text.baseAddress else { return }
            let (kinds, bases, validityBases) = (plan.kinds.span, plan.bases.span, plan.validityBases.span)
            let (integers, reals, codes, validity) = (
                plan.integers.span, plan.reals.span, plan.codes.span, plan.validity.span
            )
            let (offsets, counts) = (plan.textOffsets.span, plan.textCounts.span)
            for row in 0..<rowCount {
                for index in 0..<kinds.count {
                    let parameter = Int32(index + 1)
                    let validityBase = validityBases[unchecked: index]
                    if validityBase >= 0, !validity[unchecked: validityBase + row] {
                        try bindNull(at: parameter)
                        continue
                    }
                    let at = bases[unchecked: index]
                    switch kinds[unchecked: index] {
                    case .integer: try bind(integers[unchecked: at + row], at: parameter)
                    case .real: try bind(reals[unchecked: at + row], at: parameter)
                    case .text:
                        let value = codes[unchecked: at + row]
                        try bindUnretainedText(
                            base + offsets[unchecked: value], count: Int(counts[unchecked: value]), at: parameter)
                    case .constant: try bind(plan.constants[at], at: parameter)
                    }
                }
                defer { reset() }
                try step()
            }
        }
    }
}
