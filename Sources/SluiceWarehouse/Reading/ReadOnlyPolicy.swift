/// The authorizer policy of every dashboard query: reading only.
///
/// Allowed: `SELECT`, reading any column, recursive CTEs, functions other than
/// `load_extension` and `fts3_tokenizer`, and a short list of pragmas that only report
/// (`table_info`, `index_list`, `data_version`, …; settable ones such as `user_version` only
/// without a value). Everything else is denied while the statement compiles: `INSERT`,
/// `UPDATE`, `DELETE`, `CREATE`, `DROP`, `ALTER`, `ATTACH`, `DETACH`, transactions,
/// savepoints, `REINDEX`, `ANALYZE`, virtual tables and every other pragma.
///
/// Table-valued pragma functions (`SELECT * FROM pragma_table_info('t')`) are refused too:
/// SQLite asks to update `sqlite_master` while it sets them up. `PRAGMA table_info(t)` works.
///
/// The policy keeps the first refusal so the error can name it.
package final class ReadOnlyPolicy {
    /// The first action refused since ``reset()``, e.g. `ATTACH` or `PRAGMA journal_mode = delete`.
    package private(set) var lastRefusal: String?

    /// Pragmas that only report, with or without an argument (a table or index name).
    package static let reportingPragmas: Set<String> = [
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
        "foreign_key_check", "database_list", "collation_list", "function_list", "module_list", "pragma_list",
        "compile_options", "data_version", "page_count", "freelist_count", "integrity_check", "quick_check",
    ]
    /// Pragmas that report without an argument but change a setting with one.
    package static let settingPragmas: Set<String> = [
        "user_version", "schema_version", "application_id", "page_size", "journal_mode", "query_only", "encoding",
        "foreign_keys", "cache_size", "busy_timeout",
    ]
    /// Functions that reach outside the database.
    package static let refusedFunctions: Set<String> = ["load_extension", "fts3_tokenizer"]

    /// Forgets the last refusal (call before compiling the next statement).
    package func reset() { lastRefusal = nil }

    /// Decides one action.
    package func decide(_ request: SQLiteAuthorizerRequest) -> SQLiteAuthorizerDecision {
        switch request.action {
        case .select, .read, .recursive:
            return .allow
        case .function:
            let name = (request.secondDetail ?? "").lowercased()
            guard Self.refusedFunctions.contains(name) else { return .allow }
            return refuse("the function \(name)()")
        case .pragma:
            let name = (request.firstDetail ?? "").lowercased()
            if Self.reportingPragmas.contains(name) { return .allow }
            if Self.settingPragmas.contains(name), request.secondDetail == nil { return .allow }
            let value = request.secondDetail.map { " = \($0)" } ?? ""
            return refuse("PRAGMA \(name)\(value)")
        default:
            var subject = request.action.description
            if let detail = request.firstDetail, !detail.isEmpty, request.action != .attach { subject += " \(detail)" }
            // `DROP TABLE t` is first seen as a change to sqlite_master; say so in words.
            if ["sqlite_master", "sqlite_temp_master", "sqlite_schema"].contains(request.firstDetail ?? "") {
                subject = "changing the database schema (\(subject))"
            }
            return refuse(subject)
        }
    }

    private func refuse(_ what: String) -> SQLiteAuthorizerDecision {
        if lastRefusal == nil { lastRefusal = what }
        return .deny
    }
}
