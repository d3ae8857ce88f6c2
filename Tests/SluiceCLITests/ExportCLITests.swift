import Foundation
import SluiceTestSupport
import Testing

/// `sluice export DIR --format parquet` and `sluice cat --format parquet`, checked by pyarrow
/// and DuckDB (installed by `.ci/run`; a missing reader fails these tests).
struct ExportCLITests {
    /// Generates `files` deliveries of `rows` rows into `folder` and ingests them into `ws`.
    private func deliver(files: Int, rows: Int, seed: Int, folder: String, in dir: URL) throws {
        #expect(
            try sluice(["generate", folder, "--files", "\(files)", "--rows", "\(rows)", "--seed", "\(seed)"], in: dir)
                .status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(folder).path)
            .sorted()
        let ingest = try sluice(["ingest", "-w", "ws"] + names.map { "\(folder)/\($0)" }, in: dir)
        #expect(ingest.status == 0, "\(ingest.stderr)")
    }

    /// Runs `sluice export lake -w ws --json …` and returns its totals.
    private func export(_ extra: [String] = [], in dir: URL) throws -> [String: Int] {
        let result = try sluice(["export", "lake", "-w", "ws", "--json"] + extra, in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        return try result.json()["totals"] as? [String: Int] ?? [:]
    }

    private func manifest(in dir: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent("lake/_sluice_manifest.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// The visible data files of the lake (relative paths), which readers would pick up.
    private func visibleFiles(in dir: URL) throws -> Set<String> {
        let lake = dir.appendingPathComponent("lake")
        let enumerator = FileManager.default.enumerator(atPath: lake.path)
        var files = Set<String>()
        while let path = enumerator?.nextObject() as? String {
            let name = (path as NSString).lastPathComponent
            if name.hasSuffix(".parquet") && !name.hasPrefix(".") && !name.hasPrefix("_") { files.insert(path) }
        }
        return files
    }

    private func expectLakeEqualsWarehouse(_ dir: URL, _ comment: String) throws {
        let result = try LakeReaders.compare(
            lake: dir.appendingPathComponent("lake"), workspace: dir.appendingPathComponent("ws"))
        #expect(result["equal"] as? Bool == true, "\(comment): \(result["mismatch"] ?? "")")
        #expect(result["lake_rows"] as? Int == result["warehouse_rows"] as? Int, "\(comment)")
    }

    @Test func exportsAreIncrementalAndExact() throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["demo", "-w", "ws"], in: dir).status == 0)
            try deliver(files: 3, rows: 120, seed: 1, folder: "gen1", in: dir)
            let first = try export(in: dir)
            #expect(first["files_written"] == 1)
            #expect(first["deliveries_exported"] == 4)
            #expect(first["rows_written"] == 395 + 360)
            #expect(first["deliveries_from_warehouse"] == 0)  // every .scol file found and used
            #expect(first["bytes_written"] ?? 0 > 0)
            let result = try LakeReaders.compare(
                lake: dir.appendingPathComponent("lake"), workspace: dir.appendingPathComponent("ws"))
            #expect(result["equal"] as? Bool == true, "\(result["mismatch"] ?? "")")
            let schema = try #require(result["schema"] as? [[String]])
            #expect(schema.count == 33 + 2)
            #expect(schema.first == ["school", "string"])
            #expect(schema.dropLast().last == ["_ingest_id", "int64"])
            #expect(schema.last?.first == "loaded_date")
            #expect(schema.filter { $0[1] == "int64" }.count == 16 + 1)

            let firstFiles = try visibleFiles(in: dir)
            #expect(firstFiles.count == 1)
            let firstFile = dir.appendingPathComponent("lake/\(try #require(firstFiles.first))")
            let before = try Data(contentsOf: firstFile)
            let inode = try FileManager.default.attributesOfItem(atPath: firstFile.path)[.systemFileNumber] as? Int

            #expect(try export(in: dir)["files_written"] == 0)  // nothing new: nothing written

            try deliver(files: 2, rows: 80, seed: 2, folder: "gen2", in: dir)
            let second = try export(in: dir)
            #expect(second["files_written"] == 1)
            #expect(second["deliveries_exported"] == 2)
            #expect(second["rows_written"] == 160)
            #expect(second["files_rewritten"] == 0)
            #expect(try Data(contentsOf: firstFile) == before)  // earlier files untouched
            #expect(
                try FileManager.default.attributesOfItem(atPath: firstFile.path)[.systemFileNumber] as? Int == inode)
            try expectLakeEqualsWarehouse(dir, "after the second export")

            // Forget a delivery of the first file: that file is rewritten without it.
            #expect(try sluice(["forget", "-w", "ws", "2"], in: dir).status == 0)
            let third = try export(in: dir)
            #expect(third["files_rewritten"] == 1)
            #expect(third["deliveries_retracted"] == 1)
            #expect(third["rows_written"] == 395 + 240)
            #expect(try visibleFiles(in: dir).count == 2)
            try expectLakeEqualsWarehouse(dir, "after forgetting one delivery")

            // Forget both deliveries of the second file: it is removed.
            #expect(try sluice(["forget", "-w", "ws", "5"], in: dir).status == 0)
            #expect(try sluice(["forget", "-w", "ws", "6"], in: dir).status == 0)
            let fourth = try export(in: dir)
            #expect(fourth["files_removed"] == 1)
            #expect(fourth["rows_in_lake"] == 395 + 240)
            #expect(try visibleFiles(in: dir) == firstFiles)
            try expectLakeEqualsWarehouse(dir, "after forgetting a whole file")
            let files = try #require(try manifest(in: dir)["files"] as? [[String: Any]])
            #expect(files.map { $0["ledger_ids"] as? [Int] } == [[1, 3, 4]])
        }
    }

    @Test func duckDBAnswersTheFiveSavedReportsLikeSluice() throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["demo", "-w", "ws"], in: dir).status == 0)
            try deliver(files: 4, rows: 150, seed: 3, folder: "gen", in: dir)
            #expect(try export(in: dir)["deliveries_exported"] == 5)
            let queries = try FileManager.default.contentsOfDirectory(
                atPath: repositoryRoot.appendingPathComponent("queries/full").path
            )
            .filter { $0.hasSuffix(".sql") }.sorted().map {
                repositoryRoot.appendingPathComponent("queries/full/\($0)").path
            }
            #expect(queries.count == 5)
            let duck = try #require(
                try runPythonJSON(LakeReaders.reports, [dir.appendingPathComponent("lake").path] + queries)
                    as? [String: [[Any]]])
            let report = try sluice(["report", "-w", "ws", "--format", "json"], in: dir)
            let reports = try #require(try report.json()["reports"] as? [[String: Any]])
            #expect(reports.count == 5)
            for entry in reports {
                let name = try #require(entry["name"] as? String)
                let expected = try #require(entry["rows"] as? [[Any]])
                let got = try #require(duck[name], "DuckDB did not run \(name)")
                #expect(Self.normalized(got) == Self.normalized(expected), "\(name)")
                #expect(!expected.isEmpty, "\(name)")
            }
        }
    }

    /// Rows with numbers as doubles and text as text, for comparing JSON from two programs.
    static func normalized(_ rows: [[Any]]) -> [[String]] {
        rows.map { $0.map { value in (value as? NSNumber).map { String($0.doubleValue) } ?? "\(value)" } }
    }

    @Test func partitioningByAColumnSplitsFoldersAndStaysExact() throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["demo", "-w", "ws"], in: dir).status == 0)
            try deliver(files: 2, rows: 200, seed: 4, folder: "gen", in: dir)
            let first = try export(["--partition-by", "school"], in: dir)
            #expect(first["files_written"] == 2)
            #expect(
                try visibleFiles(in: dir).map { $0.split(separator: "/")[0] }.sorted() == ["school=gp", "school=ms"])
            try expectLakeEqualsWarehouse(dir, "partitioned by school")
            #expect(try sluice(["forget", "-w", "ws", "1"], in: dir).status == 0)
            let second = try export(["--partition-by", "school"], in: dir)
            #expect(second["files_rewritten"] == 2)
            try expectLakeEqualsWarehouse(dir, "partitioned by school, after forget")
            // One partition's file vanishes (deleted, or a run killed between the manifest and
            // the rename): its deliveries come out of the other partition's files and are
            // exported again, whole, so no row is lost or doubled.
            let ms = try #require(try visibleFiles(in: dir).first { $0.hasPrefix("school=ms/") })
            try FileManager.default.removeItem(at: dir.appendingPathComponent("lake/\(ms)"))
            let third = try export(["--partition-by", "school"], in: dir)
            #expect(third["files_removed"] == 1)  // the school=gp file held the same deliveries
            #expect(third["files_written"] == 2)
            #expect(third["deliveries_retracted"] == 0)
            try expectLakeEqualsWarehouse(dir, "partitioned by school, after a file vanished")
            // The folder keeps its partitioning: another one is refused, as is an unknown column.
            #expect(try sluice(["export", "lake", "-w", "ws"], in: dir).status == 2)
            #expect(try sluice(["export", "other", "-w", "ws", "--partition-by", "nope"], in: dir).status == 2)
        }
    }

    @Test(arguments: [UInt64(11), 12])
    func killNineMidExportLeavesNoPartialFileAndTheNextRunCompletes(seed: UInt64) throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["init", "ws"], in: dir).status == 0)
            var random = SeededRandom(state: seed)
            var killedMidRun = 0
            for round in 0..<6 {
                try deliver(files: 6, rows: 400, seed: Int(seed) * 1000 + round * 10, folder: "gen\(round)", in: dir)
                if round == 3 { #expect(try sluice(["forget", "-w", "ws", "2"], in: dir).status == 0) }
                let process = Process()
                process.executableURL = sluiceBinary
                process.arguments = ["export", "lake", "-w", "ws"]
                process.currentDirectoryURL = dir
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                Thread.sleep(forTimeInterval: Double(random.next() % 250) / 1000)
                if process.isRunning { killedMidRun += 1 }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                // Whatever the moment: every visible file is complete and recorded in the manifest.
                let visible = try visibleFiles(in: dir)
                if !visible.isEmpty {
                    let recorded = Set(
                        (try manifest(in: dir)["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String })
                    #expect(visible.isSubset(of: recorded), "round \(round): \(visible.subtracting(recorded))")
                }
                for path in visible {
                    let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent("lake/\(path)")))
                    #expect(
                        bytes.count > 12 && Array(bytes.suffix(4)) == Array("PAR1".utf8),
                        "round \(round): \(path) is partial")
                }
            }
            #expect(killedMidRun > 0)
            let count = try sluice(
                ["query", "-w", "ws", "--format", "csv", "SELECT count(*) FROM student_data"], in: dir)
            let warehouseRows = Int(count.stdout.split(separator: "\n").last ?? "")
            #expect(warehouseRows == (6 * 6 - 1) * 400)
            #expect(try export(in: dir)["rows_in_lake"] == warehouseRows)
            try expectLakeEqualsWarehouse(dir, "after the kills")
            // Nothing hidden is left behind by the completed run.
            let leftovers = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("lake").path)
                .filter { ($0 as NSString).lastPathComponent.hasPrefix(".") }
            #expect(leftovers.isEmpty, "\(leftovers)")
            // What a run killed between writing and publishing leaves (a pending file, a writer's
            // temporary file) is removed by the next run and never read.
            let folder = try #require(try visibleFiles(in: dir).first.map { String($0.split(separator: "/")[0]) })
            for name in [".part-999999-0000.parquet.pending", "..part-999999-0001.parquet.pending.42.tmp"] {
                try Data("partial".utf8).write(to: dir.appendingPathComponent("lake/\(folder)/\(name)"))
            }
            #expect(try export(in: dir)["files_written"] == 0)
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("lake/\(folder)").path)
                    .allSatisfy { !$0.hasPrefix(".") })
            // A data file deleted by hand is exported again, once.
            let victim = try #require(try visibleFiles(in: dir).sorted().first)
            try FileManager.default.removeItem(at: dir.appendingPathComponent("lake/\(victim)"))
            #expect(try export(in: dir)["files_written"] == 1)
            try expectLakeEqualsWarehouse(dir, "after a file was deleted by hand")
        }
    }

    @Test func nullsAndRealsSurviveAndADeliveryWithoutItsScolFileComesFromTheWarehouse() throws {
        try withTemporaryDirectory { dir in
            let schema = """
                table: readings
                columns:
                  site: {type: text}
                  note: {type: text, required: false}
                  count: {type: integer, required: false}
                  level: {type: real, required: false}
                """
            try Data(schema.utf8).write(to: dir.appendingPathComponent("readings.yaml"))
            #expect(try sluice(["init", "ws", "--schema", "readings.yaml"], in: dir).status == 0)
            for file in 0..<3 {
                var lines = ["site;note;count;level"]
                for row in 0..<60 {
                    let note = row % 4 == 0 ? "" : "n\(row % 3) é"
                    let count = row % 5 == 0 ? "" : "\(row * 7 - 100)"
                    let level = row % 6 == 0 ? "" : "\(Double(row) / 8 - 2.5)"
                    lines.append("s\(file)-\(row % 2);\(note);\(count);\(level)")
                }
                try Data((lines.joined(separator: "\n") + "\n").utf8).write(
                    to: dir.appendingPathComponent("r\(file).csv"))
            }
            let ingest = try sluice(["ingest", "-w", "ws", "r0.csv", "r1.csv", "r2.csv"], in: dir)
            #expect(ingest.status == 0, "\(ingest.stderr)")
            // The second delivery's .scol file is gone: its rows come from the warehouse.
            let columnar = dir.appendingPathComponent("ws/columnar")
            let scol = try #require(
                try FileManager.default.contentsOfDirectory(atPath: columnar.path).first { $0.hasPrefix("r1-") })
            try FileManager.default.removeItem(at: columnar.appendingPathComponent(scol))
            let totals = try export(in: dir)
            #expect(totals["rows_written"] == 180)
            #expect(totals["deliveries_from_warehouse"] == 1)
            let result = try LakeReaders.compare(
                lake: dir.appendingPathComponent("lake"), workspace: dir.appendingPathComponent("ws"), table: "readings"
            )
            #expect(result["equal"] as? Bool == true, "\(result["mismatch"] ?? "")")
            let types = try #require(result["schema"] as? [[String]])
            #expect(types.prefix(4).map { $0[1] } == ["string", "string", "int64", "double"])
        }
    }

    @Test func catWritesOneScolFileAsParquet() throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["demo", "-w", "ws"], in: dir).status == 0)
            let files = try FileManager.default.contentsOfDirectory(
                atPath: dir.appendingPathComponent("ws/columnar").path)
            let scol = "ws/columnar/\(try #require(files.first))"
            #expect(try sluice(["cat", scol, "--format", "parquet"], in: dir).status == 2)  // needs --output
            let cat = try sluice(["cat", scol, "--format", "parquet", "--output", "out.parquet"], in: dir)
            #expect(cat.status == 0, "\(cat.stderr)")
            let json = try sluice(["cat", scol, "--format", "json"], in: dir)
            let expected = try #require(try json.json()["rows"] as? [[Any]])
            let code = """
                import json, sys
                import pyarrow.parquet as pq
                t = pq.read_table(sys.argv[1])
                print(json.dumps({"rows": [list(r.values()) for r in t.to_pylist()], "names": t.schema.names}))
                """
            let read = try #require(
                try runPythonJSON(code, [dir.appendingPathComponent("out.parquet").path]) as? [String: Any])
            let rows = try #require(read["rows"] as? [[Any]])
            #expect(rows.count == 395)
            #expect(Self.normalized(rows) == Self.normalized(expected))
            #expect((read["names"] as? [String])?.count == 33)
        }
    }
}
