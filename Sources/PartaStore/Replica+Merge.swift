import PartaCore

/// The merge of changes into the registers and application rows: the one path that local writes
/// and received changes share. Changes are merged a row at a time: one read of the row's
/// registers, one write per winning field, one write of the application row, one of the delta index.
extension Replica {
    struct HeldRegister {
        var stamp: Stamp
        var replaced: Stamp?
        var value: Value
        var partition: String
    }

    struct MergeCounts {
        var applied = 0, duplicate = 0, superseded = 0
    }

    /// The registers of one row, by field.
    func heldRow(table: String, row: String) throws -> [String: HeldRegister] {
        let s = try database.statement("SELECT field, value, hlc, node, ctr, prev_hlc, prev_node, prev_ctr, part FROM parta_register WHERE tbl = ? AND row = ?")
        try s.bind([.text(table), .text(row)])
        var result: [String: HeldRegister] = [:]
        while try s.step() {
            let stamp = Stamp(time: HybridTimestamp(rawValue: UInt64(bitPattern: s.int(at: 2))), node: s.text(at: 3), counter: UInt64(s.int(at: 4)))
            let replaced = s.isNull(at: 5) ? nil : Stamp(time: HybridTimestamp(rawValue: UInt64(bitPattern: s.int(at: 5))), node: s.text(at: 6), counter: UInt64(s.int(at: 7)))
            result[s.text(at: 0)] = HeldRegister(stamp: stamp, replaced: replaced, value: s.value(at: 1), partition: s.text(at: 8))
        }
        return result
    }

    /// Merges changes of one row (already authorised) by last-writer-wins, logging the applied ones
    /// and conflicts, then brings the application row and the delta index in step.
    ///
    /// `held` may pass the row's registers when the caller has just read them.
    func mergeRow(_ changes: ArraySlice<Change>, held preloaded: [String: HeldRegister]? = nil, receivedAt now: UInt64) throws -> MergeCounts {
        guard let first = changes.first else { return MergeCounts() }
        var row = try preloaded ?? heldRow(table: first.table, row: first.row)
        var counts = MergeCounts()
        var origins: [String: UInt64] = [:]
        for change in changes {
            if let partition = row.values.first?.partition, partition != change.partition {
                throw StoreError(.invalidChange, Message(
                    en: "A change moves row \(change.row) of \(change.table) to another partition; rows never change partition.",
                    ru: "Изменение переносит запись \(change.row) таблицы \(change.table) в другой раздел; записи не меняют раздел."),
                    context: ["table": change.table, "row": change.row])
            }
            let held = row[change.field]
            switch LastWriterWins.resolve(held: held.map { ($0.stamp, $0.replaced) }, incoming: (change.stamp, change.replaced)) {
            case .duplicate:
                counts.duplicate += 1
            case .incomingWins(let conflict):
                try database.run("""
                    INSERT INTO parta_register (tbl, row, field, part, value, hlc, node, ctr, prev_hlc, prev_node, prev_ctr)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (tbl, row, field) DO UPDATE SET value = excluded.value, hlc = excluded.hlc, node = excluded.node,
                        ctr = excluded.ctr, prev_hlc = excluded.prev_hlc, prev_node = excluded.prev_node, prev_ctr = excluded.prev_ctr
                    """, [.text(change.table), .text(change.row), .text(change.field), .text(change.partition), change.value]
                    + stampValues(change.stamp) + optionalStampValues(change.replaced))
                if conflict, let held, held.value != change.value {
                    try recordConflict(change, winner: (change.value, change.stamp), loser: (held.value, held.stamp), at: now)
                }
                try database.run("""
                    INSERT INTO parta_log (node, ctr, tbl, row, field, part, value, hlc, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text(change.stamp.node), .integer(Int64(change.stamp.counter)), .text(change.table), .text(change.row),
                          .text(change.field), .text(change.partition), change.value,
                          .integer(Int64(bitPattern: change.stamp.time.rawValue)), .integer(Int64(now))])
                row[change.field] = HeldRegister(stamp: change.stamp, replaced: change.replaced, value: change.value, partition: change.partition)
                origins[change.stamp.node] = max(origins[change.stamp.node] ?? 0, change.stamp.counter)
                counts.applied += 1
            case .heldWins(let conflict):
                if conflict, let held, held.value != change.value {
                    try recordConflict(change, winner: (held.value, held.stamp), loser: (change.value, change.stamp), at: now)
                }
                counts.superseded += 1
            }
        }
        guard counts.applied > 0 else { return counts }
        try materialize(table: first.table, row: first.row, partition: first.partition, registers: row)
        for (origin, counter) in origins {
            try database.run("""
                INSERT INTO parta_row_origin (tbl, row, origin, part, ctr) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tbl, row, origin) DO UPDATE SET ctr = max(ctr, excluded.ctr)
                """, [.text(first.table), .text(first.row), .text(origin), .text(first.partition), .integer(Int64(counter))])
        }
        return counts
    }

    private func stampValues(_ s: Stamp) -> [Value] {
        [.integer(Int64(bitPattern: s.time.rawValue)), .text(s.node), .integer(Int64(s.counter))]
    }

    private func optionalStampValues(_ s: Stamp?) -> [Value] {
        guard let s else { return [.null, .null, .null] }
        return stampValues(s)
    }

    private func recordConflict(_ change: Change, winner: (Value, Stamp), loser: (Value, Stamp), at now: UInt64) throws {
        try database.run("""
            INSERT OR IGNORE INTO parta_conflict (tbl, row, field, part, winner_value, winner_hlc, winner_node, winner_ctr,
                loser_value, loser_hlc, loser_node, loser_ctr, detected_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(change.table), .text(change.row), .text(change.field), .text(change.partition), winner.0]
                + stampValues(winner.1) + [loser.0] + stampValues(loser.1) + [.integer(Int64(now))])
    }

    /// Makes the application row what the registers say: absent if deleted, else every column.
    private func materialize(table: String, row: String, partition: String, registers: [String: HeldRegister]) throws {
        guard let declared = schema.table(named: table) else { return }
        if registers[Change.deletedField]?.value == .integer(1) {
            try database.run("DELETE FROM \"\(table)\" WHERE id = ?", [.text(row)])
            return
        }
        let columns = declared.columns.map { "\"\($0.name)\"" }
        let placeholders = Array(repeating: "?", count: columns.count + 2).joined(separator: ", ")
        let updates = columns.map { "\($0) = excluded.\($0)" }
        let sql = "INSERT INTO \"\(table)\" (id, _part\(columns.isEmpty ? "" : ", " + columns.joined(separator: ", "))) VALUES (\(placeholders))"
            + (updates.isEmpty ? " ON CONFLICT (id) DO NOTHING" : " ON CONFLICT (id) DO UPDATE SET " + updates.joined(separator: ", "))
        try database.run(sql, [.text(row), .text(partition)] + declared.columns.map { registers[$0.name]?.value ?? .null })
    }

    /// Removes, on a member, rows of referenced tables that no live row in its partition refers to.
    func purgeUnreferencedRows() throws {
        guard case .member = role else { return }
        for table in schema.tables {
            guard case .referenced(let via, let column) = table.scope else { continue }
            let live = "SELECT \"\(column)\" FROM \"\(via)\" WHERE \"\(column)\" IS NOT NULL"
            for store in ["parta_register", "parta_row_origin"] {
                try database.run("DELETE FROM \(store) WHERE tbl = ? AND row NOT IN (\(live))", [.text(table.name)])
            }
            try database.run("DELETE FROM \"\(table.name)\" WHERE id NOT IN (\(live))")
        }
    }
}
