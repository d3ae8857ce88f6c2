import Testing
import SluiceSchema

/// A schema's YAML mappings cost time in proportion to their size: a repeated key is found by
/// lookup, not by comparing each key with every earlier one (which took minutes for a
/// `labels:` mapping of a few tens of thousands of codes, well inside the 16 MiB file limit).
@Suite struct LargeMappingTests {
    /// A schema whose column `code` labels `count` integer codes, one per line: code `i` is on
    /// line 6 + i (lines 1–5 are `table`, `columns`, `code`, `type`, `labels`).
    private func labelledSchema(count: Int) -> String {
        var yaml = "table: t\ncolumns:\n  code:\n    type: integer\n    labels:\n"
        for code in 0..<count { yaml += "      \(code): label \(code)\n" }
        return yaml
    }

    @Test func aMappingOfSixtyThousandKeysLoadsInSeconds() throws {
        let count = 60_000
        let clock = ContinuousClock()
        let start = clock.now
        let schema = try SchemaLoader.load(yaml: labelledSchema(count: count))
        let elapsed = clock.now - start
        let labels = try #require(schema.columns.first?.valueLabels)
        #expect(labels.count == count)
        #expect(labels["59999"] == "label 59999")
        // Before, every key was compared with every earlier one: about 1.8 billion string
        // comparisons here, minutes even in a release build.
        #expect(elapsed < .seconds(15), "took \(elapsed)")
    }

    @Test func aKeyRepeatedAfterSixtyThousandOthersIsStillReportedWithItsFirstLine() {
        let count = 60_000
        let yaml = labelledSchema(count: count) + "      7: again\n"
        let error = TestSupport.loadError(yaml)
        #expect(error?.code == .duplicateKey)
        #expect(error?.line == 6 + count)
        #expect(
            error?.message.contains("duplicate key '7' (first given at line 13)") == true,
            "\(String(describing: error))")
    }
}
