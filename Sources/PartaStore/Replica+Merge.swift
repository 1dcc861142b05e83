import PartaCore

/// The merge of one change into the registers and application rows: the one path that local
/// writes and received changes share.
extension Replica {
    struct HeldRegister {
        var stamp: Stamp
        var replaced: Stamp?
        var value: Value
        var partition: String
    }

    enum MergeResult { case applied, duplicate, superseded }

    func heldRegister(table: String, row: String, field: String) throws -> HeldRegister? {
        let s = try database.statement("SELECT value, hlc, node, ctr, prev_hlc, prev_node, prev_ctr, part FROM parta_register WHERE tbl = ? AND row = ? AND field = ?")
        try s.bind([.text(table), .text(row), .text(field)])
        guard try s.step() else { return nil }
        let stamp = Stamp(time: HybridTimestamp(rawValue: UInt64(bitPattern: s.int(at: 1))), node: s.text(at: 2), counter: UInt64(s.int(at: 3)))
        let replaced = s.isNull(at: 4) ? nil : Stamp(time: HybridTimestamp(rawValue: UInt64(bitPattern: s.int(at: 4))), node: s.text(at: 5), counter: UInt64(s.int(at: 6)))
        let held = HeldRegister(stamp: stamp, replaced: replaced, value: s.value(at: 0), partition: s.text(at: 7))
        s.reset()
        return held
    }

    /// Merges `change` (already authorised) by last-writer-wins, logging history and conflicts.
    func merge(_ change: Change, receivedAt now: UInt64) throws -> MergeResult {
        let held = try heldRegister(table: change.table, row: change.row, field: change.field)
        let rowPartition = try held.map(\.partition) ?? database.scalar(
            "SELECT part FROM parta_register WHERE tbl = ? AND row = ? LIMIT 1", [.text(change.table), .text(change.row)])?.textValue
        if let rowPartition, rowPartition != change.partition {
            throw StoreError(.invalidChange, Message(
                en: "A change moves row \(change.row) of \(change.table) to another partition; rows never change partition.",
                ru: "Изменение переносит запись \(change.row) таблицы \(change.table) в другой раздел; записи не меняют раздел."),
                context: ["table": change.table, "row": change.row])
        }
        let outcome = LastWriterWins.resolve(held: held.map { ($0.stamp, $0.replaced) }, incoming: (change.stamp, change.replaced))
        switch outcome {
        case .duplicate:
            return .duplicate
        case .incomingWins(let conflict):
            try database.run("""
                INSERT INTO parta_register (tbl, row, field, part, value, hlc, node, ctr, prev_hlc, prev_node, prev_ctr)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tbl, row, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc, node = excluded.node,
                    ctr = excluded.ctr, prev_hlc = excluded.prev_hlc, prev_node = excluded.prev_node, prev_ctr = excluded.prev_ctr
                """, [.text(change.table), .text(change.row), .text(change.field), .text(change.partition), change.value]
                + stampValues(change.stamp) + optionalStampValues(change.replaced))
            try materialize(change)
            if conflict, let held, held.value != change.value {
                try recordConflict(change, winner: (change.value, change.stamp), loser: (held.value, held.stamp), at: now)
            }
            try log(change, outcome: "applied", at: now)
            return .applied
        case .heldWins(let conflict):
            if conflict, let held, held.value != change.value {
                try recordConflict(change, winner: (held.value, held.stamp), loser: (change.value, change.stamp), at: now)
            }
            try log(change, outcome: "superseded", at: now)
            return .superseded
        }
    }

    private func stampValues(_ s: Stamp) -> [Value] {
        [.integer(Int64(bitPattern: s.time.rawValue)), .text(s.node), .integer(Int64(s.counter))]
    }

    private func optionalStampValues(_ s: Stamp?) -> [Value] {
        guard let s else { return [.null, .null, .null] }
        return stampValues(s)
    }

    private func log(_ change: Change, outcome: String, at now: UInt64) throws {
        try database.run("""
            INSERT OR IGNORE INTO parta_log (node, ctr, tbl, row, field, part, value, hlc, outcome, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(change.stamp.node), .integer(Int64(change.stamp.counter)), .text(change.table), .text(change.row),
                  .text(change.field), .text(change.partition), change.value,
                  .integer(Int64(bitPattern: change.stamp.time.rawValue)), .text(outcome), .integer(Int64(now))])
    }

    private func recordConflict(_ change: Change, winner: (Value, Stamp), loser: (Value, Stamp), at now: UInt64) throws {
        try database.run("""
            INSERT OR IGNORE INTO parta_conflict (tbl, row, field, part, winner_value, winner_hlc, winner_node, winner_ctr,
                loser_value, loser_hlc, loser_node, loser_ctr, detected_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(change.table), .text(change.row), .text(change.field), .text(change.partition), winner.0]
                + stampValues(winner.1) + [loser.0] + stampValues(loser.1) + [.integer(Int64(now))])
    }

    /// Keeps the application row of `change` in step with its registers.
    private func materialize(_ change: Change) throws {
        let table = "\"\(change.table)\""
        if change.field == Change.deletedField {
            if change.value == .integer(1) {
                try database.run("DELETE FROM \(table) WHERE id = ?", [.text(change.row)])
            } else {
                try rebuildRow(table: change.table, row: change.row, partition: change.partition)
            }
            return
        }
        try database.run("UPDATE \(table) SET \"\(change.field)\" = ? WHERE id = ?", [change.value, .text(change.row)])
        if database.changes == 0 {
            let deleted = try database.scalar("SELECT value FROM parta_register WHERE tbl = ? AND row = ? AND field = ?",
                                              [.text(change.table), .text(change.row), .text(Change.deletedField)])
            if deleted != .integer(1) {
                try database.run("INSERT INTO \(table) (id, _part, \"\(change.field)\") VALUES (?, ?, ?)",
                                 [.text(change.row), .text(change.partition), change.value])
            }
        }
    }

    private func rebuildRow(table: String, row: String, partition: String) throws {
        let fields = try database.rows("SELECT field, value FROM parta_register WHERE tbl = ? AND row = ? AND field <> ?",
                                       [.text(table), .text(row), .text(Change.deletedField)])
        let names = ["id", "_part"] + fields.compactMap { $0[0].textValue }
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        try database.run("INSERT OR REPLACE INTO \"\(table)\" (\(names.map { "\"\($0)\"" }.joined(separator: ", "))) VALUES (\(placeholders))",
                         [.text(row), .text(partition)] + fields.map { $0[1] })
    }

    /// Removes, on a member, rows of referenced tables that no live row in its partition refers to.
    func purgeUnreferencedRows() throws {
        guard case .member = role else { return }
        for table in schema.tables {
            guard case .referenced(let via, let column) = table.scope else { continue }
            let live = "SELECT \"\(column)\" FROM \"\(via)\" WHERE \"\(column)\" IS NOT NULL"
            try database.run("DELETE FROM parta_register WHERE tbl = ? AND row NOT IN (\(live))", [.text(table.name)])
            try database.run("DELETE FROM \"\(table.name)\" WHERE id NOT IN (\(live))")
        }
    }
}
