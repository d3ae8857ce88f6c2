import Foundation
import SluiceWarehouse
import Testing

/// The one number format of the views for people, and the machine formats that keep numbers exact.
struct ReadableNumberTests {
    // Expected texts from Python 3, an independent formatter:
    //   s = f"{abs(x):,.2f}".rstrip("0").rstrip(".")      # two decimals, thousands, no trailing zeros
    //   if s == "0" and x != 0: s = f"{abs(x):.2g}"         # closer to zero than 0.005: 2 significant digits
    //   (exponent written without padding: 1.2e-07 → 1.2e-7), then "-" for negative x;
    //   repr(x) from 1e18 on (Swift's description gives the same "1e+18", "1.5e+20").
    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (10.0, "10"), (-10.0, "-10"), (1_226.0, "1,226"), (1_232.8, "1,232.8"),
        (3.333_3, "3.33"), (4.5, "4.5"), (12.10, "12.1"), (0.1 + 0.2, "0.3"), (999.999, "1,000"),
        (-1_234_567.891, "-1,234,567.89"), (1e14, "100,000,000,000,000"),
        (123_456_789_012_345_678.0, "123,456,789,012,345,680"), (9.99e17, "999,000,000,000,000,000"),
        (1e18, "1e+18"), (1.5e20, "1.5e+20"),
        (0.05, "0.05"), (0.004, "0.004"), (-0.004, "-0.004"), (0.0049, "0.0049"), (0.005, "0.01"),
        (0.00999, "0.01"), (0.000_123, "0.00012"), (1.234e-7, "1.2e-7"), (-2.5e-9, "-2.5e-9"),
    ])
    func realsHaveOneFormat(number: Double, text: String) {
        #expect(ReadableNumber.text(number) == text)
    }

    @Test func nonFiniteRealsAndTheSmallestDoubleDoNotTrapOrPrintZero() {
        #expect(ReadableNumber.text(Double.nan) == "NaN")
        #expect(ReadableNumber.text(Double.infinity) == "∞")
        #expect(ReadableNumber.text(-Double.infinity) == "-∞")
        // Python: f"{5e-324:.2g}" == "4.9e-324" (the scaling loop may round the last digit).
        let smallest = ReadableNumber.text(Double.leastNonzeroMagnitude)
        #expect(smallest.hasSuffix("e-324") && smallest != "0", "\(smallest)")
        #expect(ReadableNumber.text(Double.greatestFiniteMagnitude) == "1.7976931348623157e+308")
    }

    @Test func integersAreGroupedAndExactAtAnySize() {
        // Exact even where a Double would round: 2⁵³ + 1 and Int64's ends.
        #expect(ReadableNumber.text(Int64(9_007_199_254_740_993)) == "9,007,199,254,740,993")
        #expect(ReadableNumber.text(Int64.max) == "9,223,372,036,854,775,807")
        #expect(ReadableNumber.text(Int64.min) == "-9,223,372,036,854,775,808")
        #expect(ReadableNumber.text(Int64(0)) == "0")
        #expect(ReadableNumber.text(Int64(-999)) == "-999")
        #expect(ReadableNumber.text(Int64(1_000)) == "1,000")
    }

    @Test func cellsFormatNumbersAndLeaveEverythingElseAsTheShellShowsIt() {
        #expect(ReadableNumber.text(of: .real(10)) == "10")
        #expect(ReadableNumber.text(of: .integer(25_000)) == "25,000")
        #expect(ReadableNumber.text(of: .text("1234.5")) == "1234.5")  // text stays text
        #expect(ReadableNumber.text(of: .null) == "")
        #expect(ReadableNumber.text(of: .blob([0xAB, 0x01])) == "x'ab01'")
    }

    @Test func theTerminalTableUsesItAndTheMachineFormatsStayExact() throws {
        let result = QueryResult(
            columns: ["sex", "students", "mean_g3", "share"],
            rows: [
                [.text("f"), .integer(1_226), .real(10.0), .real(0.004)],
                [.text("m"), .integer(7), .real(1_232.8), .null],
            ])
        #expect(
            ResultFormatter.render(result, as: .table) == """
                sex  students  mean_g3  share
                ---  --------  -------  -----
                f       1,226       10  0.004
                m           7  1,232.8
                """ + "\n")
        // CSV and Markdown keep SQLite's shell text (10.0 stays 10.0: it is a REAL), JSON its numbers.
        #expect(
            ResultFormatter.render(result, as: .csv) == "sex,students,mean_g3,share\nf,1226,10.0,0.004\nm,7,1232.8,\n")
        #expect(ResultFormatter.render(result, as: .markdown).contains("| f | 1226 | 10.0 | 0.004 |"))
        #expect(ResultFormatter.render(result, as: .json).contains(#"["f",1226,10,0.004]"#))
    }
}
