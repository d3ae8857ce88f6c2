/// The projected columns of one row group, as returned by a scan.
public struct ColumnarBatch: Sendable, Hashable {
    /// The row group this batch comes from.
    public var rowGroup: Int
    /// The index of the batch's first row in the file.
    public var firstRow: Int
    /// The number of rows.
    public var rowCount: Int
    /// The projected column names, in the order asked for.
    public var names: [String]
    /// The projected columns, parallel to ``names``.
    public var columns: [ColumnarColumn]

    /// The column called `name`, if it was projected.
    public func column(_ name: String) -> ColumnarColumn? {
        names.firstIndex(of: name).map { columns[$0] }
    }

    /// The values of the integer column called `name`, if it was projected and is `int64`.
    public func int64(_ name: String) -> [Int64]? {
        if case .int64(let values)? = column(name)?.values { return values }
        return nil
    }

    /// The values of the double column called `name`, if it was projected and is `double`.
    public func double(_ name: String) -> [Double]? {
        if case .double(let values)? = column(name)?.values { return values }
        return nil
    }

    /// The values of the string column called `name`, if it was projected and is `string`.
    public func string(_ name: String) -> [String]? {
        column(name)?.values.strings
    }
}

/// A scan in progress: call ``next()`` until it returns `nil`. Only the projected chunks of
/// the row groups that may match are read.
public struct ColumnarScan {
    private let reader: ColumnarReader
    private let columns: [Int]
    private let groups: [Int]
    private var position = 0

    init(reader: ColumnarReader, columns: [Int], groups: [Int]) {
        self.reader = reader
        self.columns = columns
        self.groups = groups
    }

    /// The row groups the scan will read, in order (those the predicate could not rule out).
    public var rowGroups: [Int] { groups }

    /// The next batch, or `nil` when the scan is done.
    ///
    /// - Throws: ``ColumnarError`` if a chunk is damaged.
    public mutating func next() throws(ColumnarError) -> ColumnarBatch? {
        guard position < groups.count else { return nil }
        let group = groups[position]
        position += 1
        var result: [ColumnarColumn] = []
        for column in columns { result.append(try reader.readChunk(rowGroup: group, column: column)) }
        let info = reader.rowGroups[group]
        return ColumnarBatch(
            rowGroup: group, firstRow: info.firstRow, rowCount: info.rowCount,
            names: columns.map { reader.schema.fields[$0].name }, columns: result
        )
    }

    /// Reads every remaining batch.
    public mutating func collect() throws(ColumnarError) -> [ColumnarBatch] {
        var batches: [ColumnarBatch] = []
        while let batch = try next() { batches.append(batch) }
        return batches
    }
}

extension ColumnarReader {
    /// Starts a scan of `columns` over the row groups that `predicate` does not rule out.
    ///
    /// - Parameters:
    ///   - columns: The column names to read, in the order wanted; empty reads none.
    ///   - predicate: A condition whose statistics test skips row groups (not a row filter).
    /// - Throws: ``ColumnarError`` (`columnNotFound`) for a name not in the schema.
    public func scan(columns: [String], where predicate: ColumnPredicate? = nil) throws(ColumnarError) -> ColumnarScan {
        var indices: [Int] = []
        for name in columns { indices.append(try columnIndex(name)) }
        return ColumnarScan(reader: self, columns: indices, groups: try rowGroups(matching: predicate))
    }

    /// The indices of the row groups whose statistics do not rule out `predicate`.
    ///
    /// - Throws: ``ColumnarError`` (`columnNotFound`) for a name not in the schema.
    public func rowGroups(matching predicate: ColumnPredicate?) throws(ColumnarError) -> [Int] {
        guard let predicate else { return Array(rowGroups.indices) }
        var indices: [String: Int] = [:]
        for name in predicate.columnNames { indices[name] = try columnIndex(name) }
        return rowGroups.indices.filter { group in
            predicate.mayMatch(rows: rowGroups[group].rowCount) { name in
                indices[name].map { rowGroups[group].columns[$0].statistics }
            }
        }
    }
}
