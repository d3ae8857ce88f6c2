import Foundation
import Logging
import SluiceTestSupport
@testable import SluicePipeline

/// The bundled data set and schema.
let studentCSV = repositoryRoot.appendingPathComponent("data/student-mat.csv")
let studentSchema = repositoryRoot.appendingPathComponent("data/student.yaml")
let bundledQueries = repositoryRoot.appendingPathComponent("queries")

/// The header and first two data lines of student-mat.csv, verbatim (`;`, quoted text and G1/G2).
let studentHeader =
    "school;sex;age;address;famsize;Pstatus;Medu;Fedu;Mjob;Fjob;reason;guardian;traveltime;studytime;failures;schoolsup;famsup;paid;activities;nursery;higher;internet;romantic;famrel;freetime;goout;Dalc;Walc;health;absences;G1;G2;G3"
let studentRow1 =
    #""GP";"F";18;"U";"GT3";"A";4;4;"at_home";"teacher";"course";"mother";2;2;0;"yes";"no";"no";"no";"yes";"yes";"no";"no";4;3;4;1;1;3;6;"5";"6";6"#
let studentRow2 =
    #""GP";"F";17;"U";"GT3";"T";1;1;"at_home";"other";"course";"father";1;2;0;"no";"yes";"no";"no";"no";"yes";"yes";"no";5;3;3;1;1;3;4;"5";"5";6"#

/// A workspace in a temporary folder, with the bundled schema and reports.
func makeWorkspace(in dir: URL, schema: URL = studentSchema) throws -> Workspace {
    try Workspace.create(at: dir.appendingPathComponent("ws"), schemaFile: schema, queries: bundledQueries)
}

/// A logger that drops everything.
let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// Writes `text` as a file and returns its URL.
@discardableResult
func write(_ text: String, to url: URL) throws -> URL {
    try Data(text.utf8).write(to: url)
    return url
}

/// Reads a JSON file into a dictionary.
func readJSON(_ url: URL) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    return object as? [String: Any] ?? [:]
}

/// The names in a folder, sorted.
func contents(of url: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
}
