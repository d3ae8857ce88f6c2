import Foundation
import Testing
@testable import SluiceSchema

@Suite struct SchemaLoaderTests {
    @Test func theBundledStudentSchemaHasAllThirtyThreeColumnsWithTheirRules() throws {
        let schema = try SchemaLoader.load(contentsOf: TestSupport.studentSchemaPath)
        #expect(schema.format == .sluice)
        #expect(schema.table == "student_data")
        #expect(schema.columns.count == 33)
        #expect(schema.columns.first?.name == "school")
        #expect(schema.columns.last?.name == "g3")
        #expect(schema.columns.allSatisfy { $0.name == $0.name.lowercased() })

        let age = try #require(schema.column(named: "age"))
        #expect(age.type == .integer)
        #expect(age.minimum == 15)
        #expect(age.maximum == 22)

        let school = try #require(schema.column(named: "School"))
        #expect(school.type == .text)
        #expect(school.allowedValues == ["gp", "ms"])
        #expect(school.maxLength == 2)

        #expect(schema.column(named: "pstatus")?.allowedValues == ["t", "a"])
        #expect(schema.column(named: "failures")?.maximum == 4)
        #expect(schema.column(named: "absences")?.maximum == 93)
        #expect(schema.column(named: "romantic")?.allowedValues == ["yes", "no"])
        #expect(schema.column(named: "g1")?.minimum == 0)
        #expect(schema.column(named: "g1")?.maximum == 20)
        #expect(schema.column(named: "mjob")?.allowedValues?.count == 5)
        #expect(schema.column(named: "age")?.description == "age in years")
    }

    @Test func theLegacyFlatFileLoadsWithoutATableAndWithoutATrailingNewline() throws {
        let schema = try SchemaLoader.load(contentsOf: TestSupport.fixture("schema.yaml"))
        #expect(schema.format == .legacyFlat)
        #expect(schema.table == nil)
        #expect(schema.columns.count == 33)
        #expect(schema.columns[0] == ColumnSchema(name: "school", type: .text, maxLength: 10))
        #expect(schema.columns[1] == ColumnSchema(name: "sex", type: .text, maxLength: 1))
        #expect(schema.columns[2] == ColumnSchema(name: "age", type: .integer))
        #expect(schema.columns[32] == ColumnSchema(name: "g3", type: .integer))
        #expect(schema.column(named: "address")?.maxLength == 100)
    }

    @Test func theLegacySQLFileLoadsWithItsTableAndMixedCaseTypes() throws {
        let schema = try SchemaLoader.load(contentsOf: TestSupport.fixture("schema_sql.yaml"))
        #expect(schema.format == .legacySQL)
        #expect(schema.table == "student_data")
        #expect(schema.columns.count == 33)
        #expect(schema.column(named: "age")?.type == .integer)  // written "Integer"
        #expect(schema.column(named: "activities")?.maxLength == 10)
        #expect(
            schema.columns.map(\.name)
                == (try SchemaLoader.load(contentsOf: TestSupport.fixture("schema.yaml"))).columns.map(\.name))
    }

    @Test(
        arguments: [
            ("integer", ColumnType.integer, nil), ("INT", .integer, nil), ("BigInt", .integer, nil),
            ("Integer", .integer, nil),
            ("real", .real, nil), ("Float", .real, nil), ("DOUBLE", .real, nil), ("numeric", .real, nil),
            ("DECIMAL(10,2)", .real, nil), ("decimal( 5 )", .real, nil),
            ("text", .text, nil), ("String", .text, nil), ("VARCHAR(10)", .text, 10), ("char(3)", .text, 3),
        ] as [(String, ColumnType, Int?)])
    func typeSpellingsAreAcceptedCaseInsensitively(spelling: String, type: ColumnType, maxLength: Int?) throws {
        let schema = try SchemaLoader.load(yaml: "c: \(spelling)")
        #expect(schema.columns == [ColumnSchema(name: "c", type: type, maxLength: maxLength)])
    }

    @Test(arguments: [
        "VARCHR(10)", "VARCHAR(0)", "VARCHAR(x)", "VARCHAR(10", "integer(4)", "date(3)", "time", "DECIMAL(1,2,3)",
    ])
    func malformedTypeSpellingsAreRejected(spelling: String) {
        #expect(TypeSpelling(spelling) == nil)
    }

    @Test func columnNamesAreTrimmedAndLowerCasedInEveryFormat() throws {
        let flat = try SchemaLoader.load(yaml: "' Pstatus ': TEXT\nG1: int\n")
        #expect(flat.columns.map(\.name) == ["pstatus", "g1"])
        let sql = try SchemaLoader.load(yaml: "t:\n  - {name: ' Medu', type: INTEGER}\n")
        #expect(sql.columns.map(\.name) == ["medu"])
        let sluice = try SchemaLoader.load(yaml: "table: t\ncolumns:\n  Walc: integer\n")
        #expect(sluice.columns.map(\.name) == ["walc"])
    }

    @Test func sluiceSpecsReadAllRulesAndCanonicaliseNumericAllowedValues() throws {
        let schema = try SchemaLoader.load(
            yaml: """
                table: t
                columns:
                  code:  {type: varchar(8), allowed: [A1, b2]}
                  name:  {type: varchar(8), max_length: 3, description: "short"}
                  level: {type: integer, allowed: ["+01", 2]}
                  ratio: {type: real, min: -0.5, max: 1e1, allowed: [0.50, 2]}
                """)
        #expect(
            schema.columns[0] == ColumnSchema(name: "code", type: .text, allowedValues: ["A1", "b2"], maxLength: 8))
        #expect(schema.columns[1] == ColumnSchema(name: "name", type: .text, maxLength: 3, description: "short"))
        #expect(schema.columns[2].allowedValues == ["1", "2"])
        #expect(
            schema.columns[3]
                == ColumnSchema(name: "ratio", type: .real, minimum: -0.5, maximum: 10, allowedValues: ["0.5", "2"]))
    }

    @Test func aColumnNamedColumnsInAFlatFileIsStillTheFlatFormat() throws {
        let schema = try SchemaLoader.load(yaml: "columns: integer\nother: text\n")
        #expect(schema.format == .legacyFlat)
        #expect(schema.columns.map(\.name) == ["columns", "other"])
    }

    @Test func yamlAnchorsWithoutAliasesAreAccepted() throws {
        let schema = try SchemaLoader.load(yaml: "table: t\ncolumns: &cols\n  a: integer\n")
        #expect(schema.columns.map(\.name) == ["a"])
    }
}
