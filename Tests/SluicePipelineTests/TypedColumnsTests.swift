import Foundation
import SluiceColumnar
import SluiceSchema
import SluiceTestSupport
import SluiceWarehouse
import Testing
@testable import SluicePipeline

/// Dates, timestamps, booleans, decimal commas and the header policy, end to end: the warehouse
/// holds ISO text SQLite's date functions read, the `.scol` file days and microseconds, `verify`
/// agrees, and Parquet carries DATE, TIMESTAMP and BOOLEAN.
struct TypedColumnsTests {
    static let schema = """
        table: weather
        decimal_separator: ","
        thousands_separator: "."
        extra_columns: ignore
        missing_columns: null
        lowercase_text: false
        columns:
          day: {type: date, format: "%Y/%m/%d"}
          at: {type: timestamp, format: "%d.%m.%Y %H:%M", required: false}
          rain: real
          dry: boolean
          station: {type: text, required: false}
        """

    static let csv = """
        day;at;rain;dry;comment
        2012/01/01;01.01.2012 06:30;0,5;yes;x
        2012/02/29;;1.234,25;no;y
        2013/12/31;31.12.2013 23:59;0;1;z

        """

    func loadedWorkspace(in dir: URL) throws -> (Workspace, IngestRecord) {
        let schemaFile = try write(Self.schema, to: dir.appendingPathComponent("weather.yaml"))
        let workspace = try Workspace.create(at: dir.appendingPathComponent("ws"), schemaFile: schemaFile, queries: nil)
        let source = try write(Self.csv, to: dir.appendingPathComponent("weather.csv"))
        let record = try Ingestor(workspace: workspace, logger: quietLogger).ingest(fileAt: source, origin: .external)
        return (workspace, record)
    }

    @Test func theWarehouseHoldsISOTextThatSQLiteDateFunctionsRead() throws {
        try withTemporaryDirectory { dir in
            let (workspace, record) = try loadedWorkspace(in: dir)
            #expect(record.status == .loaded)
            #expect(record.rowsLoaded == 3)
            let warehouse = try Warehouse(path: workspace.layout.warehouse.path, readOnly: true)
            let rows = try warehouse.query(
                """
                SELECT day, strftime('%m', day), at, strftime('%H', at), rain, dry, station IS NULL, typeof(dry)
                FROM weather ORDER BY rowid
                """
            ).rows
            #expect(
                rows == [
                    [
                        .text("2012-01-01"), .text("01"), .text("2012-01-01 06:30:00"), .text("06"), .real(0.5),
                        .integer(1), .integer(1), .text("integer"),
                    ],
                    [
                        .text("2012-02-29"), .text("02"), .null, .null, .real(1234.25), .integer(0), .integer(1),
                        .text("integer"),
                    ],
                    [
                        .text("2013-12-31"), .text("12"), .text("2013-12-31 23:59:00"), .text("23"), .real(0),
                        .integer(1), .integer(1), .text("integer"),
                    ],
                ])
            // The header policy is recorded with the delivery.
            let header = try #require(record.header)
            #expect(header.ignored == ["comment"])
            #expect(header.filledWithNull == ["station"])
            #expect(header.policy == ErrorReport.HeaderPolicy(extraColumns: .ignore, missingColumns: .null))
            let stored = try warehouse.query("SELECT header FROM sluice_ingests").rows
            guard case .text(let json) = stored.first?.first else { Issue.record("no header JSON"); return }
            #expect(json.contains(#""filled_with_null":["station"]"#))
            #expect(json.contains(#""policy":{"extra_columns":"ignore","missing_columns":"null"}"#))
        }
    }

    @Test func theColumnarFileHoldsDaysAndMicrosecondsAndVerifyAgrees() throws {
        try withTemporaryDirectory { dir in
            let (workspace, record) = try loadedWorkspace(in: dir)
            let path = try #require(record.columnarFile)
            let reader = try ColumnarReader(
                path: path.hasPrefix("/") ? path : workspace.layout.root.appendingPathComponent(path).path)
            #expect(reader.schema.fields.map(\.logicalType) == [.date, .timestamp, nil, .boolean, nil])
            // 2012-01-01 is day 15340, 2012-02-29 day 15399, 2013-12-31 day 16070 (Python datetime).
            #expect(try reader.readColumn(0) == .int64([15340, 15399, 16070]))
            #expect(try reader.readColumn(3) == .int64([1, 0, 1]))
            let findings = try workspace.verify()
            #expect(findings.count == 1)
            #expect(findings.allSatisfy { $0.ok }, "\(findings)")
        }
    }

    @Test func parquetFromTheColumnarFileAndFromTheWarehouseCarriesTheTypes() throws {
        try withTemporaryDirectory { dir in
            let (workspace, record) = try loadedWorkspace(in: dir)
            let scol = try #require(record.columnarFile)
            let scolPath = scol.hasPrefix("/") ? scol : workspace.layout.root.appendingPathComponent(scol).path
            let converted = dir.appendingPathComponent("from-scol.parquet").path
            _ = try ColumnarParquet.convert(
                try ColumnarReader(path: scolPath), to: converted,
                options: .init(durable: false))
            // Without its .scol file the delivery is read back from the warehouse's ISO text.
            try FileManager.default.removeItem(atPath: scolPath)
            let lake = dir.appendingPathComponent("lake")
            _ = try LakeExporter(
                workspace: workspace, directory: lake, options: .init(parquet: .init(durable: false)),
                logger: quietLogger
            ).export()
            let script = #"""
                import json, sys, glob, pyarrow.parquet as pq
                out = []
                for path in [sys.argv[1]] + sorted(glob.glob(sys.argv[2] + "/**/*.parquet", recursive=True)):
                    t = pq.read_table(path)
                    out.append({"types": {f.name: str(f.type) for f in t.schema},
                                "day": [str(v) for v in t.column("day").to_pylist()],
                                "at": [None if v is None else str(v) for v in t.column("at").to_pylist()],
                                "dry": t.column("dry").to_pylist()})
                print(json.dumps(out))
                """#
            let files = try #require(try runPythonJSON(script, [converted, lake.path]) as? [[String: Any]])
            #expect(files.count == 2)
            for file in files {
                let types = try #require(file["types"] as? [String: String])
                #expect(types["day"] == "date32[day]")
                #expect(types["at"] == "timestamp[us]")
                #expect(types["dry"] == "bool")
                #expect(file["day"] as? [String] == ["2012-01-01", "2012-02-29", "2013-12-31"])
                #expect(
                    (file["at"] as? [Any])?.map { $0 as? String } == [
                        "2012-01-01 06:30:00", nil, "2013-12-31 23:59:00",
                    ])
                #expect(file["dry"] as? [Bool] == [true, false, true])
            }
        }
    }

    @Test func aRequiredColumnMissingFromTheHeaderIsStillRefusedAndTheReportSaysWhy() throws {
        try withTemporaryDirectory { dir in
            let schemaFile = try write(Self.schema, to: dir.appendingPathComponent("weather.yaml"))
            let workspace = try Workspace.create(
                at: dir.appendingPathComponent("ws"), schemaFile: schemaFile, queries: nil)
            let source = try write("day;rain\n2012/01/01;1\n", to: dir.appendingPathComponent("short.csv"))
            let record = try Ingestor(workspace: workspace, logger: quietLogger).ingest(
                fileAt: source, origin: .external)
            #expect(record.status == .rejected)
            #expect(record.reason == .headerMismatch)
            let report = try readJSON(workspace.layout.failed.appendingPathComponent("short.csv.errors.json"))
            let header = try #require(report["header"] as? [String: Any])
            #expect(header["missing"] as? [String] == ["dry"])
            #expect((header["policy"] as? [String: String])?["missing_columns"] == "null")
            let errors = try #require(report["errors"] as? [[String: Any]])
            #expect((errors.first?["hint"] as? String)?.contains("required") == true)
        }
    }

    @Test func badDatesAndBooleansGetTheirOwnCodes() throws {
        try withTemporaryDirectory { dir in
            let schemaFile = try write(Self.schema, to: dir.appendingPathComponent("weather.yaml"))
            let workspace = try Workspace.create(
                at: dir.appendingPathComponent("ws"), schemaFile: schemaFile, queries: nil)
            let source = try write(
                "day;at;rain;dry\n2012-01-01;01.01.2012 06:30;1;yes\n2012/01/02;1.1.2012;1;perhaps\n",
                to: dir.appendingPathComponent("bad.csv"))
            let record = try Ingestor(workspace: workspace, logger: quietLogger).ingest(
                fileAt: source, origin: .external)
            #expect(record.status == .rejected)
            let report = try readJSON(workspace.layout.failed.appendingPathComponent("bad.csv.errors.json"))
            #expect(
                report["counts_by_code"] as? [String: Int] == [
                    "date-error": 1, "timestamp-error": 1, "boolean-error": 1,
                ])
        }
    }
}
