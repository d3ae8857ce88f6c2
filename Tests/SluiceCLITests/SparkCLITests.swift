import Foundation
import SluiceTestSupport
import Testing

/// Apache Spark (pyspark, local mode; installed by `.ci/run`, Java 17) reads the exported lake:
/// the same row count, sums and distinct values as the warehouse. Separate from the other
/// export tests because starting a JVM takes tens of seconds.
struct SparkCLITests {
    static let spark = #"""
        import json, sys
        from pyspark.sql import SparkSession, functions as F
        lake, ints, texts = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
        spark = (SparkSession.builder.master("local[1]").appName("sluice-lake-test")
                 .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        df = spark.read.parquet(lake)
        sums = df.agg(*[F.sum(c).alias(c) for c in ints]).collect()[0].asDict()
        distinct = {c: sorted(r[0] for r in df.select(c).distinct().collect()) for c in texts}
        out = {"count": df.count(), "sums": {c: int(v) for c, v in sums.items()}, "distinct": distinct,
               "columns": df.columns, "dates": sorted(str(r[0]) for r in df.select("loaded_date").distinct().collect())}
        spark.stop()
        print(json.dumps(out))
        """#

    @Test func sparkReadsTheLakeLikeTheWarehouse() throws {
        try withTemporaryDirectory { dir in
            #expect(try sluice(["demo", "-w", "ws"], in: dir).status == 0)
            #expect(
                try sluice(["generate", "gen", "--files", "3", "--rows", "150", "--seed", "5"], in: dir).status == 0)
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("gen").path)
                .sorted()
            #expect(try sluice(["ingest", "-w", "ws"] + names.map { "gen/\($0)" }, in: dir).status == 0)
            #expect(try sluice(["export", "lake", "-w", "ws"], in: dir).status == 0)
            #expect(try sluice(["forget", "-w", "ws", "3"], in: dir).status == 0)
            #expect(try sluice(["export", "lake", "-w", "ws"], in: dir).status == 0)

            let schema = try sluice(
                ["query", "-w", "ws", "--format", "json", "SELECT name, type FROM pragma_table_info('student_data')"],
                in: dir)
            let columns = try #require(try schema.json()["rows"] as? [[String]])
            let ints = columns.filter { $0[1] == "INTEGER" }.map { $0[0] }
            let texts = columns.filter { $0[1] == "TEXT" }.map { $0[0] }
            #expect(ints.count == 17 && texts.count == 17)
            let result = try #require(
                try runPythonJSON(
                    Self.spark,
                    [
                        dir.appendingPathComponent("lake").path,
                        ints.joined(separator: ","), texts.joined(separator: ","),
                    ]) as? [String: Any])

            let sumSQL = "SELECT count(*), " + ints.map { "sum(\($0))" }.joined(separator: ", ") + " FROM student_data"
            let sums = try #require(
                try sluice(["query", "-w", "ws", "--format", "json", sumSQL], in: dir).json()["rows"] as? [[Int]])
            #expect(result["count"] as? Int == sums[0][0])
            let sparkSums = try #require(result["sums"] as? [String: Int])
            for (index, name) in ints.enumerated() { #expect(sparkSums[name] == sums[0][index + 1], "sum(\(name))") }
            let distinct = try #require(result["distinct"] as? [String: [String]])
            for name in texts {
                let query = try sluice(
                    ["query", "-w", "ws", "--format", "json", "SELECT DISTINCT \(name) FROM student_data ORDER BY 1"],
                    in: dir)
                let values = try #require(try query.json()["rows"] as? [[String]]).map { $0[0] }
                #expect(distinct[name] == values, "distinct \(name)")
            }
            #expect((result["columns"] as? [String])?.suffix(2) == ["_ingest_id", "loaded_date"])
            #expect((result["dates"] as? [String])?.count == 1)
        }
    }
}
