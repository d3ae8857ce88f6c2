import Foundation
import Sluice
import SluiceTestSupport
import Testing

/// `median`, `percentile` and `mode` on a Sluice connection, against values worked out by hand.
@Suite struct StatisticsFunctionTests {
    private func value(_ sql: String) throws -> SQLiteValue {
        let connection = try SQLiteConnection(path: ":memory:")
        let statement = try connection.prepare(sql)
        #expect(try statement.step())
        return statement.row[0]
    }

    private let numbers = "(VALUES (4), (1), (NULL), (3), (2))"

    @Test func medianAveragesTheTwoMiddleValuesOfAnEvenCount() throws {
        #expect(try value("SELECT median(column1) FROM \(numbers)") == .real(2.5))
        #expect(try value("SELECT median(column1) FROM (VALUES (5), (1), (3))") == .real(3))
        #expect(try value("SELECT median(column1) FROM (VALUES ('2.5'), (1.5))") == .real(2))
        #expect(try value("SELECT median(column1) FROM (SELECT 1 AS column1 WHERE 0)") == .null)
    }

    @Test func percentileInterpolatesBetweenTheNearestValues() throws {
        // 1…11: the 90th percentile sits at position 0.9 × 10 = 9, the value 10; the 25th at 2.5 → 3.5.
        let range =
            "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 11) SELECT x AS column1 FROM c)"
        #expect(try value("SELECT percentile(column1, 90) FROM \(range)") == .real(10))
        #expect(try value("SELECT percentile(column1, 25) FROM \(range)") == .real(3.5))
        #expect(try value("SELECT percentile(column1, 0) FROM \(range)") == .real(1))
        #expect(try value("SELECT percentile(column1, 100) FROM \(range)") == .real(11))
        #expect(
            try value("SELECT percentile(column1, 50) FROM \(numbers)")
                == value("SELECT median(column1) FROM \(numbers)"))
    }

    @Test func modeIsTheMostFrequentValueAndTheSmallestOnATie() throws {
        #expect(try value("SELECT mode(column1) FROM (VALUES ('b'), ('a'), ('b'), (NULL), (NULL))") == .text("b"))
        #expect(try value("SELECT mode(column1) FROM (VALUES (3), (1), (3), (1), (2))") == .integer(1))
        #expect(try value("SELECT mode(column1) FROM (SELECT 1 AS column1 WHERE 0)") == .null)
    }

    @Test func aValueThatIsNotANumberIsAnErrorNamingTheFunction() throws {
        #expect(throws: SQLiteError.self) { try value("SELECT median(column1) FROM (VALUES (1), ('abc'))") }
        #expect(throws: SQLiteError.self) { try value("SELECT percentile(column1, 101) FROM (VALUES (1))") }
        do {
            _ = try value("SELECT median(column1) FROM (VALUES (X'00'))")
        } catch let error as SQLiteError {
            #expect(error.message.contains("median()"))
        }
    }
}
