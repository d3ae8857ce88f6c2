import Foundation
import Testing
import SluiceSchema

@Suite struct RowValidatorTests {
    private let header = "name;kind;age;score;level"

    @Test func valuesAreTrimmedLowerCasedAndStoredByColumnType() throws {
        let outcome = try TestSupport.validate([header, "  Ann ;A;15; 0.25 ;+2", "BOB\t;b;22\r;1;3"])
        #expect(outcome.rowsRead == 2)
        #expect(outcome.rowsAccepted == 2)
        #expect(outcome.sourceLines == [2, 3])
        #expect(outcome.columns[0].texts == ["ann", "bob"])
        #expect(outcome.columns[1].texts == ["a", "b"])
        #expect(outcome.columns[2].integers == [15, 22])
        #expect(outcome.columns[3].reals == [0.25, 1])
        #expect(outcome.columns[4].integers == [2, 3])
        #expect(outcome.totalIssues == 0)
        #expect(outcome.issues.isEmpty)
    }

    @Test func columnsMayArriveInAnyOrder() throws {
        let outcome = try TestSupport.validate(["LEVEL;Score;age;kind;name", "1;0.5;16;a;Zoe"])
        #expect(outcome.columns[0].texts == ["zoe"])
        #expect(outcome.columns[2].integers == [16])
        #expect(outcome.columns[4].integers == [1])
    }

    @Test func textIsKeptAsWrittenWhenLowerCasingIsOff() throws {
        let outcome = try TestSupport.validate(
            [header, "Ann;B;15;0;1", "Ann;A;15;0;1"],
            options: CleaningOptions(lowercaseText: false))
        #expect(outcome.columns[0].texts == ["Ann"])
        #expect(outcome.rowsInvalid == 1)
        #expect(outcome.issues.first?.rule == .allowed)
        #expect(outcome.issues.first?.line == 3)
    }

    @Test func rowsWithAMissingValueAreDroppedAndCountedBeforeOtherRules() throws {
        let outcome = try TestSupport.validate([header, "ann;a;15;0;1", "bob;a;  ;0;1", "cy;zzz;99;x;", "dee;b;16;1;2"])
        #expect(outcome.rowsRead == 4)
        #expect(outcome.rowsDroppedMissing == 2)
        #expect(outcome.rowsInvalid == 0)
        #expect(outcome.totalIssues == 0)
        #expect(outcome.sourceLines == [2, 5])
    }

    @Test func missingRequiredValuesAreErrorsWhenDroppingIsOff() throws {
        let outcome = try TestSupport.validate(
            [header, ";a;15;0;1", "ann;a;;0;1"],
            options: CleaningOptions(dropRowsWithMissingValues: false))
        #expect(outcome.rowsDroppedMissing == 0)
        #expect(outcome.rowsInvalid == 2)
        #expect(outcome.issues.map(\.rule) == [.required, .required])
        #expect(outcome.issues.map(\.column) == ["name", "age"])
        #expect(outcome.issues[1].message == "missing value for required column 'age'")
    }

    @Test func withoutTheEmptyNullTokenAnEmptyValueIsCheckedLikeAnyOther() throws {
        let outcome = try TestSupport.validate(
            [header, ";a;15;0;1", "ann;a;;0;1"],
            options: CleaningOptions(nullTokens: ["NA"]))
        #expect(outcome.columns[0].texts == [""])
        #expect(outcome.rowsInvalid == 1)
        #expect(outcome.issues.map(\.rule) == [.type])
        #expect(outcome.issues[0].message == "missing value for integer column 'age'")
    }

    @Test func duplicateRowsAfterCleaningAreDroppedKeepingTheFirst() throws {
        let outcome = try TestSupport.validate([
            header, "Ann;a;15;0.5;1", " ann ;A;+15;.5;1", "ann;a;15;0.5;2", "ANN;a;015;5e-1;1",
        ])
        #expect(outcome.rowsDroppedDuplicate == 2)
        #expect(outcome.sourceLines == [2, 4])
        #expect(outcome.columns[4].integers == [1, 2])
    }

    @Test func duplicatesAreKeptWhenDeduplicationIsOff() throws {
        let outcome = try TestSupport.validate(
            [header, "ann;a;15;0;1", "ann;a;15;0;1"],
            options: CleaningOptions(dropDuplicateRows: false))
        #expect(outcome.rowsDroppedDuplicate == 0)
        #expect(outcome.sourceLines == [2, 3])
    }

    @Test func invalidRowsAreNotTreatedAsDuplicates() throws {
        let outcome = try TestSupport.validate([header, "ann;a;99;0;1", "ann;a;99;0;1"])
        #expect(outcome.rowsInvalid == 2)
        #expect(outcome.rowsDroppedDuplicate == 0)
        #expect(outcome.issueCountsByRule == [.maximum: 2])
    }

    @Test func outOfRangeNumbersAreReportedWithTheBound() throws {
        let outcome = try TestSupport.validate([
            header, "ann;a;25;0;1", "bob;a;14;0;1", "cy;a;15;1.5;1", "di;a;15;-0.1;1",
        ])
        #expect(outcome.rowsInvalid == 4)
        #expect(outcome.issues.map(\.rule) == [.maximum, .minimum, .maximum, .minimum])
        #expect((outcome.issues[0].line, outcome.issues[0].column, outcome.issues[0].value) == (2, "age", "25"))
        #expect(outcome.issues[0].message == "value 25 is above the maximum 22 for column 'age'")
        #expect(outcome.issues[0].hint == "the schema allows 15–22")
        #expect(outcome.issues[1].message == "value 14 is below the minimum 15 for column 'age'")
        #expect(outcome.issues[2].message == "value 1.5 is above the maximum 1 for column 'score'")
        #expect(outcome.issues[3].message == "value -0.1 is below the minimum 0 for column 'score'")
    }

    @Test func valuesOutsideTheAllowedListAreReported() throws {
        let outcome = try TestSupport.validate([header, "ann;c;15;0;1", "bob;a;15;0;4", "cy;a;15;0;02"])
        #expect(outcome.rowsInvalid == 2)
        #expect(outcome.rowsAccepted == 1)
        #expect((outcome.issues[0].line, outcome.issues[0].column, outcome.issues[0].value) == (2, "kind", "c"))
        #expect(outcome.issues[0].message == "value 'c' is not one of the allowed values (a, B) for column 'kind'")
        #expect(outcome.issues[0].hint == "use one of: a, B")
        #expect(outcome.issues[1].column == "level")
        #expect(outcome.issues[1].message == "value 4 is not one of the allowed values (1, 2, 3) for column 'level'")
        #expect(outcome.columns[4].integers == [2])
    }
}
