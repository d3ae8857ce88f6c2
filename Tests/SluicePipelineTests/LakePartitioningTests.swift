@testable import SluicePipeline
import SluiceParquet
import Testing

/// Hive-style partition folder names, as Hive, Spark, pyarrow and DuckDB read them back.
struct LakePartitioningTests {
    @Test func datesAndPlainValuesNameFoldersAsTheyAre() {
        #expect(LakePartitioning.loadedDate.folder(for: "2026-05-01") == "loaded_date=2026-05-01")
        #expect(LakePartitioning.column(name: "mjob", index: 8).folder(for: "at_home") == "mjob=at_home")
        #expect(LakePartitioning.column(name: "city", index: 0).folder(for: "São Paulo") == "city=São Paulo")
    }

    @Test func hiveEscapesPathAndControlCharacters() {
        let partitioning = LakePartitioning.column(name: "k", index: 0)
        #expect(partitioning.folder(for: "a/b") == "k=a%2Fb")
        #expect(partitioning.folder(for: "50%=half?") == "k=50%25%3Dhalf%3F")
        #expect(partitioning.folder(for: "tab\there") == "k=tab%09here")
        #expect(partitioning.folder(for: "#'*:\\^[]{}\"") == "k=%23%27%2A%3A%5C%5E%5B%5D%7B%7D%22")
    }

    @Test func nullAndEmptyAreHivesDefaultPartition() {
        let partitioning = LakePartitioning.column(name: "note", index: 1)
        #expect(partitioning.folder(for: nil) == "note=__HIVE_DEFAULT_PARTITION__")
        #expect(partitioning.folder(for: "") == "note=__HIVE_DEFAULT_PARTITION__")
    }

    @Test func partitionValuesComeFromEachColumnType() {
        #expect(
            LakePartitioning.values(of: ParquetColumn(values: .int64([15, -2]), validity: [true, false])) == [
                "15", nil,
            ])
        #expect(LakePartitioning.values(of: ParquetColumn(values: .double([1.5]))) == ["1.5"])
        #expect(
            LakePartitioning.values(
                of: ParquetColumn(values: .codedString(dictionary: ["gp", "ms"], codes: [1, 0, 1]))) == [
                    "ms", "gp", "ms",
                ])
    }
}
