import PartaCore

/// What values a column takes beyond its type (Protocol/replication-v1.md §7.5).
///
/// Checked on every change, written on this node or received from any other, so a value that the
/// writer's own program would never make (a progress of 2^63−1, a status nobody knows) is refused
/// at the receiver, not trusted because the sender's CLI checks it. `null` always passes: it is
/// how a field is cleared.
public enum ValueConstraint: Sendable, Equatable {
    /// A text of at most this many UTF-8 bytes.
    case text(maxBytes: Int)
    /// A text that is one of these words exactly.
    case oneOf([String])
    /// An integer within the range.
    case integer(ClosedRange<Int64>)

    /// Whether `value` satisfies the constraint.
    public func admits(_ value: Value) -> Bool {
        if value == .null { return true }
        switch self {
        case .text(let maxBytes):
            guard case .text(let t) = value else { return false }
            return t.utf8.count <= maxBytes
        case .oneOf(let words):
            guard case .text(let t) = value else { return false }
            return words.contains { $0.bytesEqual(t) }
        case .integer(let range):
            guard case .integer(let i) = value else { return false }
            return range.contains(i)
        }
    }

    var summary: String {
        switch self {
        case .text(let maxBytes): return "a text of at most \(maxBytes) bytes"
        case .oneOf(let words): return "one of " + words.joined(separator: ", ")
        case .integer(let range): return "an integer from \(range.lowerBound) to \(range.upperBound)"
        }
    }
}

/// How a row's id is tied to its partition and to its own fields (Protocol/replication-v1.md §7.5).
///
/// Without such a tie, a member could create, in its own partition, a row whose id names another
/// partition (a report `task|other-school`) and which every query joining by id would take for the
/// other partition's.
public enum RowIdentity: Sendable, Equatable {
    /// Any id (the writer's own business: the hub's tasks and documents).
    case free
    /// The id is the row's partition (one row per partition: a school's record).
    case partition
    /// The id is `<key>|<partition>` with a non-empty key. The field `keyColumn`, when written,
    /// holds the key; `partitionColumn`, if any, holds the partition.
    case keyedByPartition(keyColumn: String, partitionColumn: String?)
}

/// A row that must already exist before a row of the declaring table may be written.
public enum RowRequirement: Sendable, Equatable {
    /// The row of the same id in `table` exists here, live or deleted (a report needs its
    /// assignment: a school reports only on tasks given to it). A deleted row still counts, so a
    /// report written before its task was withdrawn is not refused when it travels later.
    case sameRowIn(table: String)
    /// The row of `table` whose id is this row's key up to its first `|`, then `|` and the
    /// partition: an indicator `<task>|<name>|<school>` needs the assignment `<task>|<school>`.
    /// A key without `|` names no such row.
    case firstKeyPartRowIn(table: String)
}

/// Why a change breaks its table's declared rules (see ``ReplicatedTable/ruleViolation(of:)``).
public struct RuleViolation: Sendable, Equatable, CustomStringConvertible {
    public var table: String
    public var row: String
    public var field: String
    /// Which rule: `type`, `constraint`, `identity` or `requirement`.
    public var rule: String
    /// What the rule asks, in words (English; for logs and the error's context).
    public var detail: String
    public var description: String { "\(table)[\(row)].\(field): \(rule): \(detail)" }
}

extension ReplicatedTable {
    /// The first declared rule that `change` breaks, or nil: its field's type and constraint, and
    /// the tie between its row id, its partition and its identity fields. Pure: no lookups, so it
    /// is checked the same way on every node; ``requires`` needs the database and is checked by
    /// the store.
    ///
    /// Tombstone changes (``Change/deletedField``) are checked for identity only; their value is
    /// the engine's.
    public func ruleViolation(of change: Change) -> RuleViolation? {
        func violation(_ rule: String, _ detail: String) -> RuleViolation {
            RuleViolation(table: name, row: change.row, field: change.field, rule: rule, detail: detail)
        }
        switch identity {
        case .free: break
        case .partition:
            guard change.row.bytesEqual(change.partition) else { return violation("identity", "the id must be the row's partition \(change.partition)") }
        case .keyedByPartition(let keyColumn, let partitionColumn):
            // Bytewise, like every id: Swift's == would take canonically equivalent texts as one.
            // Checked for every change of an apply, so without copying the id.
            let row = change.row.utf8, partition = change.partition.utf8
            let keyLength = row.count - partition.count - 1
            guard keyLength > 0, row.dropFirst(keyLength).first == UInt8(ascii: "|"),
                  row.dropFirst(keyLength + 1).elementsEqual(partition) else {
                return violation("identity", "the id must be <\(keyColumn)>|\(change.partition)")
            }
            func holds(_ text: String) -> Bool { change.value.textValue.map { $0.bytesEqual(text) } ?? false }
            if change.field == keyColumn {
                let key = String(decoding: row.prefix(keyLength), as: UTF8.self)
                if !holds(key) { return violation("identity", "\(keyColumn) must be \(key), as the id says") }
            }
            if let partitionColumn, change.field == partitionColumn, !holds(change.partition) {
                return violation("identity", "\(partitionColumn) must be the row's partition \(change.partition)")
            }
        }
        guard change.field != Change.deletedField, let column = column(named: change.field) else { return nil }
        let typeOK: Bool
        switch (column.affinity, change.value) {
        case (.any, _), (_, .null), (.text, .text), (.integer, .integer), (.real, .real), (.real, .integer): typeOK = true
        default: typeOK = false
        }
        guard typeOK else { return violation("type", "the value must be of type \(column.affinity.rawValue)") }
        if let constraint = column.constraint, !constraint.admits(change.value) {
            return violation("constraint", "the value must be \(constraint.summary)")
        }
        return nil
    }
}

extension Replica {
    /// Refuses a change whose row needs another row (``ReplicatedTable/requires``) that this
    /// replica does not hold, live or deleted. Checked once per row of a bundle, after the rows
    /// before it were merged: a bundle lists tables in schema order, so a row's requirement
    /// travels ahead of it.
    func checkRequirements(of change: Change, local: Bool = false) throws {
        guard let table = schema.table(named: change.table), !table.requires.isEmpty else { return }
        for requirement in table.requires {
            switch requirement {
            case .sameRowIn(let other):
                guard try !rowExists(table: other, row: change.row) else { continue }
                // A restored hub lost the rows it wrote after its backup; until the partition's
                // nodes have carried them back, a row that needs one of them is taken on trust.
                if !local, try restoredAt(unreconciledIn: change.partition) != nil { continue }
                throw Replica.broken(RuleViolation(table: change.table, row: change.row, field: change.field, rule: "requirement",
                                                   detail: "there is no \(other) record \(change.row) here"), partition: change.partition, local: local)
            case .firstKeyPartRowIn(let other):
                let row = Array(change.row.utf8)
                let needed = row.firstIndex(of: UInt8(ascii: "|")).map { String(decoding: row[..<$0], as: UTF8.self) + "|" + change.partition }
                if let needed, try rowExists(table: other, row: needed) { continue }
                if !local, try restoredAt(unreconciledIn: change.partition) != nil { continue }
                throw Replica.broken(RuleViolation(table: change.table, row: change.row, field: change.field, rule: "requirement",
                                                   detail: "there is no \(other) record \(needed ?? "for \(change.row)") here"), partition: change.partition, local: local)
            }
        }
    }

    /// The error for a change that breaks its table's rules: it names the record and the rule;
    /// the whole bundle (or the local write) is refused.
    static func broken(_ violation: RuleViolation, partition: String, local: Bool = false) -> StoreError {
        let ru: String
        switch violation.rule {
        case "type": ru = "значение поля \(violation.field) не того типа"
        case "constraint": ru = "значение поля \(violation.field) вне допустимого"
        case "identity": ru = "код записи не соответствует её разделу \(partition) или её полям"
        default: ru = "нет записи, на которую она опирается (например, задача не назначена этой школе)"
        }
        return StoreError(.invalidChange, Message(
            en: "Record \(violation.row) of \(violation.table) breaks a rule of its table (\(violation.detail)). "
                + (local ? "Nothing was changed." : "The whole bundle was refused; nothing was changed."),
            ru: "Запись \(violation.row) таблицы \(violation.table) нарушает правила таблицы (\(ru)). "
                + (local ? "Ничего не изменено." : "Пакет отклонён целиком; ничего не изменено.")),
            context: ["table": violation.table, "row": violation.row, "field": violation.field, "partition": partition,
                      "rule": violation.rule, "reason": violation.detail])
    }
}
