import SluiceCSV
import SluicePipeline
import SluiceSchema

/// Runs arbitrary bytes through everything a CSV delivery meets before the warehouse:
/// decoding, dialect sniffing, reading, header mapping, cleaning and validation, under both
/// error policies. Returning normally is the only acceptable outcome; the findings must
/// always account for every row read.
enum CSVFuzzTarget {
    /// A five-column schema with every kind of rule, so mutations reach every check.
    static let schema: Schema = {
        let yaml = """
            table: fuzz
            null_tokens: ["", NA]
            aliases: {full_name: name}
            columns:
              name: {type: text, max_length: 12}
              kind: {type: text, allowed: [a, b]}
              age: {type: integer, min: 0, max: 120}
              score: {type: real, min: 0, max: 1, required: false}
              level: {type: integer, allowed: [1, 2, 3]}
            """
        do { return try SchemaLoader.load(yaml: yaml, file: "fuzz.yaml") } catch { fatalError("fuzz schema: \(error)") }
    }()

    static func run(_ bytes: [UInt8]) {
        var limits = CSVReaderLimits()
        limits.maxFieldBytes = 4_096
        limits.maxRecordBytes = 16_384
        limits.maxFields = 256
        for (onError, quotePolicy) in [
            (ErrorPolicy.rejectFile, CSVQuotePolicy.strict), (.rejectRows, .strict), (.rejectRows, .lenient),
        ] {
            var policy = schema.policy
            policy.onError = onError
            policy.maxErrorRate = 0.5
            var pins = CSVDialectPins()
            pins.quotePolicy = quotePolicy
            let check = FileCheck(settings: .init(schema: schema, policy: policy, pins: pins, limits: limits))
            let findings = check.check(bytes, name: "fuzz.csv")
            precondition(findings.rows.balances, "rows do not add up: \(findings.rows)")
            precondition(findings.reason != nil || findings.outcome != nil, "neither loaded nor refused")
            if let outcome = findings.outcome {
                precondition(outcome.columns.allSatisfy { $0.count == outcome.rowsAccepted }, "ragged columns")
            }
        }
    }
}
