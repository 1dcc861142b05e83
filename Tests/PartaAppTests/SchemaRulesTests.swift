import Foundation
import Testing
import PartaApp
import PartaStore
import PartaTesting

/// Parta's declared row rules, table by table, without a database: every rule gets forgeries
/// generated from its declaration, and an honest change of every column passes.
@Suite struct SchemaRulesTests {
    let stamp = Stamp(time: HybridTimestamp(rawValue: 1 << 40), node: "node-a", counter: 1)

    func change(_ table: ReplicatedTable, row: String, partition: String, field: String, value: Value) -> Change {
        Change(table: table.name, row: row, partition: partition, field: field, value: value, stamp: stamp)
    }

    /// An id and partition that satisfy `table`'s identity, and the honest value of each identity field.
    func honestRow(_ table: ReplicatedTable) -> (row: String, partition: String, identityValues: [String: Value]) {
        switch table.identity {
        case .free: return ("r-1", table.scope == .partitioned ? "s1" : "", [:])
        case .partition: return ("s1", "s1", [:])
        case .keyedByPartition(let key, let part):
            var values: [String: Value] = [key: .text("t-1")]
            if let part { values[part] = .text("s1") }
            return ("t-1|s1", "s1", values)
        }
    }

    /// A value each column admits.
    func honestValue(_ column: ReplicatedTable.Column) -> Value {
        switch column.constraint {
        case .oneOf(let words)?: return .text(words[0])
        case .integer(let range)?: return .integer(range.lowerBound)
        case .text?, nil: return column.affinity == .integer ? .integer(7) : column.affinity == .real ? .real(52.5) : .text("Текст")
        }
    }

    /// Values each column must refuse, generated from its declaration.
    func forgedValues(_ column: ReplicatedTable.Column) -> [Value] {
        var values: [Value] = []
        switch column.affinity {
        case .text: values += [.integer(1), .real(1.5)]
        case .integer: values += [.text("5"), .real(0.5)]
        case .real, .any: break
        }
        switch column.constraint {
        case .text(let maxBytes)?: values.append(.text(String(repeating: "я", count: maxBytes / 2 + 1)))
        case .oneOf(let words)?: values += [.text("finished"), .text(words[0].uppercased()), .text(words[0] + " "), .text("")]
        case .integer(let range)?:
            if range.lowerBound > .min { values.append(.integer(range.lowerBound - 1)) }
            if range.upperBound < .max { values += [.integer(range.upperBound + 1), .integer(.max)] }
        case nil: break
        }
        return values
    }

    @Test func everyHonestValueOfEveryColumnPasses() {
        for table in PartaSchema.schema.tables {
            let (row, partition, identityValues) = honestRow(table)
            for column in table.columns {
                let value = identityValues[column.name] ?? honestValue(column)
                let violation = table.ruleViolation(of: change(table, row: row, partition: partition, field: column.name, value: value))
                #expect(violation == nil, "\(table.name).\(column.name) = \(value)")
            }
            #expect(table.ruleViolation(of: change(table, row: row, partition: partition, field: Change.deletedField, value: .integer(1))) == nil)
        }
    }

    @Test func everyValueOutsideAColumnsTypeOrConstraintIsRefused() {
        var forgeries = 0
        for table in PartaSchema.schema.tables {
            let (row, partition, _) = honestRow(table)
            for column in table.columns {
                for value in forgedValues(column) {
                    let violation = table.ruleViolation(of: change(table, row: row, partition: partition, field: column.name, value: value))
                    #expect(violation != nil, "\(table.name).\(column.name) = \(value) passed")
                    forgeries += 1
                }
            }
        }
        #expect(forgeries > 60)
    }

    @Test func nullClearsAnyFieldButAnIdentityField() {
        for table in PartaSchema.schema.tables {
            let (row, partition, identityValues) = honestRow(table)
            for column in table.columns {
                let violation = table.ruleViolation(of: change(table, row: row, partition: partition, field: column.name, value: .null))
                #expect((violation == nil) == (identityValues[column.name] == nil), "\(table.name).\(column.name)")
            }
        }
    }

    @Test func aRowWhoseIdNamesAnotherPartitionIsRefusedInEveryField() throws {
        let keyed = PartaSchema.schema.tables.filter { if case .keyedByPartition = $0.identity { return true } else { return false } }
        #expect(Set(keyed.map(\.name)) == ["assignments", "reports", "hub_reports", "indicators"])
        for table in keyed {
            // The attack of issue 14: rows of another school, or no school, stamped in the sender's own partition.
            for forgedRow in ["t-1|s2", "t-1", "|s1", "t-1|s1|s2", "t-1|s1 ", "t-1|S1", "t-1|s1\u{0}", "s1"] {
                for column in table.columns + [.init(Change.deletedField)] {
                    let value = honestRow(table).identityValues[column.name] ?? honestValue(column)
                    let violation = table.ruleViolation(of: change(table, row: forgedRow, partition: "s1", field: column.name, value: value))
                    #expect(violation?.rule == "identity", "\(table.name) \(forgedRow).\(column.name)")
                }
            }
        }
    }

    @Test func anIdentityFieldMustSayWhatTheIdSays() throws {
        let reports = try #require(PartaSchema.schema.table(named: "reports"))
        for (field, value) in [("task", "t-2"), ("task", "t-1|s1"), ("school", "s2"), ("school", ""), ("task", "T-1")] {
            let violation = reports.ruleViolation(of: change(reports, row: "t-1|s1", partition: "s1", field: field, value: .text(value)))
            #expect(violation?.rule == "identity", "\(field) = \(value)")
        }
        // Ids compare bytewise: a canonically equivalent spelling is another id.
        let composed = "t-é|s1", decomposed = "t-e\u{301}"
        #expect(reports.ruleViolation(of: change(reports, row: composed, partition: "s1", field: "task", value: .text(decomposed)))?.rule == "identity")
    }

    @Test func aSchoolsRecordIsItsOwnPartition() throws {
        let schools = try #require(PartaSchema.schema.table(named: "schools"))
        #expect(schools.ruleViolation(of: change(schools, row: "s2", partition: "s1", field: "name", value: "Чужая"))?.rule == "identity")
        #expect(schools.ruleViolation(of: change(schools, row: "s1", partition: "s1", field: "name", value: "Своя")) == nil)
    }

    @Test func aReportNeedsItsAssignment() throws {
        let reports = try #require(PartaSchema.schema.table(named: "reports"))
        #expect(reports.requires == [.sameRowIn(table: "assignments")])
    }
}
