import Testing
import SluiceSchema

@Suite struct HeaderMappingTests {
    private let schema = Schema(
        table: "t",
        columns: [
            ColumnSchema(name: "pstatus", type: .text),
            ColumnSchema(name: "g1", type: .integer),
            ColumnSchema(name: "g3", type: .integer),
        ],
        format: .sluice)

    @Test func normalisingTrimsWhitespaceAndLowerCases() {
        #expect(HeaderNormalizer.normalize("  Pstatus\t") == "pstatus")
        #expect(HeaderNormalizer.normalize("G1\r\n") == "g1")
        #expect(HeaderNormalizer.normalize("\u{FEFF}School") == "school")
        #expect(HeaderNormalizer.normalize("ÄGE") == "äge")
    }

    @Test func headersMatchRegardlessOfCaseWhitespaceAndOrder() throws {
        let mapping = try schema.mapHeader([" G3", "PSTATUS ", "g1"])
        #expect(mapping.originalNames == [" G3", "PSTATUS ", "g1"])
        #expect(mapping.normalizedNames == ["g3", "pstatus", "g1"])
        #expect(mapping.schemaIndexForField == [2, 0, 1])
        #expect(mapping.fieldCount == 3)
    }

    @Test func missingUnknownAndDuplicateColumnsAreReportedTogether() {
        #expect(throws: HeaderMismatch(missing: ["g3"], unknown: ["g4"], duplicates: ["g1"])) {
            try schema.mapHeader(["Pstatus", "G1", "g4", " g1"])
        }
    }

    @Test func theMismatchDescriptionListsEachKindThatOccurred() throws {
        do {
            _ = try schema.mapHeader(["pstatus", "g1", "g4"])
            Issue.record("expected a mismatch")
        } catch {
            #expect(error.description == "header does not match the schema: missing columns: g3; unknown columns: g4")
        }
        let all = HeaderMismatch(missing: ["a", "b"], unknown: ["c"], duplicates: ["d"])
        #expect(
            all.description
                == "header does not match the schema: missing columns: a, b; unknown columns: c; duplicate columns: d")
    }

    @Test func theStudentHeaderMapsOntoTheBundledSchema() throws {
        let schema = try SchemaLoader.load(contentsOf: TestSupport.studentSchemaPath)
        let header = """
            school;sex;age;address;famsize;Pstatus;Medu;Fedu;Mjob;Fjob;reason;guardian;traveltime;studytime;\
            failures;schoolsup;famsup;paid;activities;nursery;higher;internet;romantic;famrel;freetime;goout;\
            Dalc;Walc;health;absences;G1;G2;G3
            """
        let mapping = try schema.mapHeader(header.split(separator: ";").map(String.init))
        #expect(mapping.schemaIndexForField == Array(0..<33))
        #expect(mapping.normalizedNames[5] == "pstatus")
    }
}
