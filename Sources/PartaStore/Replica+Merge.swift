import PartaCore

/// The merge of changes into rows: the one path that local writes and received changes share.
/// Changes are merged a row at a time: one read of the row's state, one write of the row (its
/// columns and its registers together), one entry of the delta index per origin, one history entry.
extension Replica {
    enum RowLocation { case none, live, tombstone }

    struct LoadedRow {
        var state: RowState
        var partition: String?
        var location: RowLocation
    }

    struct MergeCounts {
        var applied = 0, duplicate = 0, superseded = 0
    }

    /// The SQL of one replicated table's row operations, built once.
    struct TableSQL {
        let select: String, upsert: String, delete: String, columns: [String]

        init(_ table: ReplicatedTable) {
            let quoted = table.columns.map { "\"\($0.name)\"" }
            columns = table.columns.map(\.name)
            select = "SELECT _part, _state FROM \"\(table.name)\" WHERE id = ?"
            let names = ["id", "_part"] + quoted + ["_state"]
            let updates = (quoted + ["_state"]).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
            upsert = "INSERT INTO \"\(table.name)\" (\(names.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", "))) ON CONFLICT (id) DO UPDATE SET \(updates)"
            delete = "DELETE FROM \"\(table.name)\" WHERE id = ?"
        }
    }

    /// A row's state, wherever it is: its application table, the tombstones, or nowhere yet.
    func loadRow(table: String, row: String) throws -> LoadedRow {
        guard let sql = tableSQL[table] else { throw Replica.unknownTable(table) }
        let live = try database.statement(sql.select)
        try live.bind([.text(row)])
        if try live.step() {
            let loaded = LoadedRow(state: try RowState(encoded: live.bytes(at: 1)), partition: live.text(at: 0), location: .live)
            live.reset()
            return loaded
        }
        let dead = try database.statement("SELECT part, state FROM parta_tombstone WHERE tbl = ? AND row = ?")
        try dead.bind([.text(table), .text(row)])
        if try dead.step() {
            let loaded = LoadedRow(state: try RowState(encoded: dead.bytes(at: 1)), partition: dead.text(at: 0), location: .tombstone)
            dead.reset()
            return loaded
        }
        return LoadedRow(state: RowState(), partition: nil, location: .none)
    }

    /// Merges changes of one row (already authorised) by last-writer-wins, recording conflicts,
    /// then stores the row, its delta-index entries and one history entry.
    ///
    /// `loaded` may pass the row when the caller has just read it.
    func mergeRow(_ changes: ArraySlice<Change>, loaded preloaded: LoadedRow? = nil, receivedAt now: UInt64) throws -> MergeCounts {
        guard let first = changes.first else { return MergeCounts() }
        var row = try preloaded ?? loadRow(table: first.table, row: first.row)
        var counts = MergeCounts()
        var origins: [String: UInt64] = [:]
        var won = RowState()
        for change in changes {
            if let partition = row.partition, !partition.utf8.elementsEqual(change.partition.utf8) {
                throw StoreError(.invalidChange, Message(
                    en: "A change moves row \(change.row) of \(change.table) to another partition; rows never change partition.",
                    ru: "Изменение переносит запись \(change.row) таблицы \(change.table) в другой раздел; записи не меняют раздел."),
                    context: ["table": change.table, "row": change.row])
            }
            row.partition = change.partition
            let held = row.state[change.field]
            switch LastWriterWins.resolve(held: held.map { ($0.stamp, $0.replaced) }, incoming: (change.stamp, change.replaced)) {
            case .duplicate:
                counts.duplicate += 1
            case .incomingWins(let conflict):
                if conflict, let held, held.value != change.value {
                    try recordConflict(change, winner: (change.value, change.stamp), loser: (held.value, held.stamp), at: now)
                }
                let register = RowState.Register(value: change.value, stamp: change.stamp, replaced: change.replaced)
                row.state[change.field] = register
                won[change.field] = register
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
        try store(table: first.table, row: first.row, partition: first.partition, state: row.state, was: row.location)
        for (origin, counter) in origins {
            try database.run("""
                INSERT INTO parta_row_origin (tbl, row, origin, part, ctr) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tbl, row, origin) DO UPDATE SET ctr = max(ctr, excluded.ctr)
                """, [.text(first.table), .text(first.row), .text(origin), .text(first.partition), .integer(Int64(counter))])
        }
        pendingHistory.entries.append(.init(table: first.table, row: first.row, partition: first.partition, applied: won))
        return counts
    }

    /// Writes what the merges since the last flush put into effect as one history entry.
    func flushHistory(at now: UInt64) throws {
        guard !pendingHistory.entries.isEmpty else { return }
        let log = try database.statement("INSERT INTO parta_log (changes, received_at) VALUES (?, ?)")
        try log.bind(bytes: pendingHistory.encoded, at: 1)
        try log.bind(.integer(Int64(now)), at: 2)
        while try log.step() {}
        pendingHistory.entries.removeAll(keepingCapacity: true)
    }

    /// Writes a row's state: as an application row (columns and `_state`), or as a tombstone.
    private func store(table: String, row: String, partition: String, state: RowState, was location: RowLocation) throws {
        guard let sql = tableSQL[table] else { throw Replica.unknownTable(table) }
        let bytes = state.encoded
        if state.isDeleted {
            if location == .live { try database.run(sql.delete, [.text(row)]) }
            let s = try database.statement("""
                INSERT INTO parta_tombstone (tbl, row, part, state) VALUES (?, ?, ?, ?)
                ON CONFLICT (tbl, row) DO UPDATE SET state = excluded.state
                """)
            try s.bind([.text(table), .text(row), .text(partition)])
            try s.bind(bytes: bytes, at: 4)
            while try s.step() {}
            return
        }
        if location == .tombstone {
            try database.run("DELETE FROM parta_tombstone WHERE tbl = ? AND row = ?", [.text(table), .text(row)])
        }
        let s = try database.statement(sql.upsert)
        try s.bind([.text(row), .text(partition)] + sql.columns.map { state[$0]?.value ?? .null })
        try s.bind(bytes: bytes, at: Int32(sql.columns.count + 3))
        while try s.step() {}
    }

    private func stampValues(_ s: Stamp) -> [Value] {
        [.integer(Int64(bitPattern: s.time.rawValue)), .text(s.node), .integer(Int64(s.counter))]
    }

    private func recordConflict(_ change: Change, winner: (Value, Stamp), loser: (Value, Stamp), at now: UInt64) throws {
        try database.run("""
            INSERT OR IGNORE INTO parta_conflict (tbl, row, field, part, winner_value, winner_hlc, winner_node, winner_ctr,
                loser_value, loser_hlc, loser_node, loser_ctr, detected_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(change.table), .text(change.row), .text(change.field), .text(change.partition), winner.0]
                + stampValues(winner.1) + [loser.0] + stampValues(loser.1) + [.integer(Int64(now))])
    }

    /// Removes, on a member, rows of referenced tables that no live row in its partition refers to.
    func purgeUnreferencedRows() throws {
        guard case .member = role else { return }
        for table in schema.tables {
            guard case .referenced(let via, let column) = table.scope else { continue }
            let live = "SELECT \"\(column)\" FROM \"\(via)\" WHERE \"\(column)\" IS NOT NULL"
            for store in ["parta_tombstone", "parta_row_origin"] {
                try database.run("DELETE FROM \(store) WHERE tbl = ? AND row NOT IN (\(live))", [.text(table.name)])
            }
            try database.run("DELETE FROM \"\(table.name)\" WHERE id NOT IN (\(live))")
        }
    }
}
