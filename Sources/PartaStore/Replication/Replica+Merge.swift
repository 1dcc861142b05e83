import PartaCore

/// The merge of changes into rows: the one path that local writes and received changes share.
/// Changes are merged a row at a time: one read of the row's state, one write of the row (its
/// columns, its registers and its primary origin together), an entry of `parta_row_origin` per
/// other origin (none in the common case of one origin), one history entry.
extension Replica {
    enum RowLocation { case none, live, tombstone }

    struct LoadedRow {
        var state: RowState
        var partition: String?
        var location: RowLocation
    }

    /// History entries merged since the last flush, already encoded (``HistoryBatch`` format).
    struct PendingHistory {
        struct Entries {
            private(set) var count = 0
            private(set) var bytes: [UInt8] = []
            var isEmpty: Bool { count == 0 }

            mutating func append(table: String, row: String, partition: String, encodedState: [UInt8]) {
                HistoryBatch.appendEntry(table: table, row: row, partition: partition, encodedState: encodedState, to: &bytes)
                count += 1
            }

            mutating func removeAll(keepingCapacity: Bool = false) {
                count = 0
                bytes.removeAll(keepingCapacity: keepingCapacity)
            }
        }

        var entries = Entries()
        var encoded: [UInt8] { HistoryBatch.encoded(count: entries.count, entries: entries.bytes) }
    }

    struct MergeCounts {
        var applied = 0, duplicate = 0, superseded = 0
    }

    /// The SQL of one replicated table's row operations, built once, and their prepared statements,
    /// held here so that the merge loop does not look them up by their text for every row.
    final class TableSQL {
        let name: String, select: String, upsert: String, delete: String, columns: [String]
        /// Annotation columns (``ReplicatedTable/Column/annotation``): no conflict is recorded on them.
        let annotations: Set<String>
        private var statements: [Statement?] = Array(repeating: nil, count: Slot.allCases.count)
        /// The transaction (``Database/transactionSerial``) in which this table was seen to have no
        /// tombstones; only this connection writes during it, and it stores every tombstone through
        /// ``Replica/store(_:row:partition:state:bytes:was:)``, which clears this.
        var noTombstonesIn: UInt64?

        enum Slot: Int, CaseIterable { case select, upsert, delete, tombstoneSelect, tombstoneUpsert, tombstoneDelete, tombstoneAny, rowOrigin, exists }

        static let tombstoneSelect = "SELECT part, state FROM parta_tombstone WHERE tbl = ? AND row = ?"
        static let tombstoneUpsert = """
            INSERT INTO parta_tombstone (tbl, row, part, state) VALUES (?, ?, ?, ?)
            ON CONFLICT (tbl, row) DO UPDATE SET state = excluded.state
            """
        static let tombstoneDelete = "DELETE FROM parta_tombstone WHERE tbl = ? AND row = ?"
        static let tombstoneAny = "SELECT 1 FROM parta_tombstone WHERE tbl = ? LIMIT 1"
        static let rowOrigin = """
            INSERT INTO parta_row_origin (tbl, row, origin, part, ctr) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (tbl, row, origin) DO UPDATE SET ctr = max(ctr, excluded.ctr)
            """

        init(_ table: ReplicatedTable) {
            let quoted = table.columns.map { "\"\($0.name)\"" }
            name = table.name
            columns = table.columns.map(\.name)
            annotations = Set(table.columns.filter(\.annotation).map(\.name))
            select = "SELECT _part, _state FROM \"\(table.name)\" WHERE id = ?"
            let names = ["id", "_part"] + quoted + ["_state", "_origin", "_ctr"]
            let updates = (quoted + ["_state", "_origin", "_ctr"]).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
            upsert = "INSERT INTO \"\(table.name)\" (\(names.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", "))) ON CONFLICT (id) DO UPDATE SET \(updates)"
            delete = "DELETE FROM \"\(table.name)\" WHERE id = ?"
        }

        /// The prepared statement of `slot`, reset; with its bindings cleared for the upsert, whose
        /// callers bind only the columns a row has (every other slot's callers bind all parameters).
        func statement(_ slot: Slot, in database: Database) throws -> Statement {
            if let s = statements[slot.rawValue] {
                if slot == .upsert { s.reset() } else { s.rewind() }
                return s
            }
            let sql: String
            switch slot {
            case .select: sql = select
            case .upsert: sql = upsert
            case .delete: sql = delete
            case .tombstoneSelect: sql = TableSQL.tombstoneSelect
            case .tombstoneUpsert: sql = TableSQL.tombstoneUpsert
            case .tombstoneDelete: sql = TableSQL.tombstoneDelete
            case .tombstoneAny: sql = TableSQL.tombstoneAny
            case .rowOrigin: sql = TableSQL.rowOrigin
            case .exists: sql = "SELECT 1 FROM \"\(name)\" WHERE id = ?"
            }
            let s = try database.statement(sql)
            statements[slot.rawValue] = s
            return s
        }
    }

    /// A row's state, wherever it is: its application table, the tombstones, or nowhere yet.
    func loadRow(table: String, row: String) throws -> LoadedRow {
        guard let sql = tableSQL[table] else { throw Replica.unknownTable(table) }
        return try loadRow(sql, row: row)
    }

    /// Whether `table` holds `row`, live or deleted, without reading its state (a row rule's
    /// requirement, checked for every row of an apply).
    func rowExists(table: String, row: String) throws -> Bool {
        guard let sql = tableSQL[table] else { throw Replica.unknownTable(table) }
        let live = try sql.statement(.exists, in: database)
        let found = try live.withText(row, at: 1) { () throws -> Bool in
            defer { live.reset() }
            return try live.step()
        }
        if found { return true }
        guard try mayHaveTombstones(sql) else { return false }
        let dead = try sql.statement(.tombstoneSelect, in: database)
        try dead.bind(text: sql.name, at: 1)
        try dead.bind(text: row, at: 2)
        defer { dead.reset() }
        return try dead.step()
    }

    func loadRow(_ sql: TableSQL, row: String) throws -> LoadedRow {
        let live = try sql.statement(.select, in: database)
        let found = try live.withText(row, at: 1) { () throws -> LoadedRow? in
            guard try live.step() else { return nil }
            defer { live.reset() }
            return LoadedRow(state: try RowState(encoded: live.bytes(at: 1)), partition: live.text(at: 0), location: .live)
        }
        if let found { return found }
        guard try mayHaveTombstones(sql) else { return LoadedRow(state: RowState(), partition: nil, location: .none) }
        let dead = try sql.statement(.tombstoneSelect, in: database)
        try dead.bind(text: sql.name, at: 1)
        try dead.bind(text: row, at: 2)
        if try dead.step() {
            let loaded = LoadedRow(state: try RowState(encoded: dead.bytes(at: 1)), partition: dead.text(at: 0), location: .tombstone)
            dead.reset()
            return loaded
        }
        return LoadedRow(state: RowState(), partition: nil, location: .none)
    }

    /// Whether `table` may have tombstones. Within a transaction the answer "none" is remembered
    /// (until this connection stores one), which saves a lookup per new row of a large apply.
    private func mayHaveTombstones(_ sql: TableSQL) throws -> Bool {
        guard database.inTransaction else { return true }
        let serial = database.transactionSerial
        if sql.noTombstonesIn == serial { return false }
        let any = try sql.statement(.tombstoneAny, in: database)
        try any.bind(text: sql.name, at: 1)
        if try any.step() {
            any.reset()
            return true
        }
        sql.noTombstonesIn = serial
        return false
    }

    /// Merges changes of one row (already authorised) by last-writer-wins, recording conflicts,
    /// then stores the row, its delta-index entries and one history entry.
    ///
    /// `loaded` may pass the row when the caller has just read it.
    func mergeRow(_ changes: ArraySlice<Change>, loaded preloaded: LoadedRow? = nil, receivedAt now: UInt64) throws -> MergeCounts {
        guard let first = changes.first else { return MergeCounts() }
        guard let sql = tableSQL[first.table] else { throw Replica.unknownTable(first.table) }
        var row = try preloaded ?? loadRow(sql, row: first.row)
        let wasEmpty = row.state.isEmpty
        // The primary origin the application row holds now (none for a tombstone or a new row).
        let oldPrimary = row.location == .live ? Replica.primaryOrigin(of: row.state) : nil
        var counts = MergeCounts()
        // The highest counter per origin among the changes that won: usually one origin, kept
        // apart so that the common case allocates nothing.
        var origin: (node: String, counter: UInt64)?
        var otherOrigins: [(node: String, counter: UInt64)] = []
        // What this merge applied, for the history; for a row that held nothing, its whole state.
        var won = RowState()
        // By index: the changes are read in place rather than copied one by one.
        for i in changes.indices {
            if let partition = row.partition, !partition.bytesEqual(changes[i].partition) {
                throw StoreError(.invalidChange, Message(
                    en: "A change moves row \(changes[i].row) of \(changes[i].table) to another partition; rows never change partition.",
                    ru: "Изменение переносит запись \(changes[i].row) таблицы \(changes[i].table) в другой раздел; записи не меняют раздел."),
                    context: ["table": changes[i].table, "row": changes[i].row])
            }
            if row.partition == nil { row.partition = changes[i].partition }
            let held = row.state[changes[i].field]
            switch LastWriterWins.resolve(held: held?.written, incoming: (changes[i].stamp, changes[i].replaced, changes[i].seen)) {
            case .duplicate:
                counts.duplicate += 1
            case .incomingWins(let conflict):
                if conflict, let held, held.value != changes[i].value, !sql.annotations.contains(changes[i].field) {
                    try recordConflict(changes[i], winner: (changes[i].value, changes[i].stamp), loser: (held.value, held.stamp), at: now)
                }
                let register = RowState.Register(value: changes[i].value, stamp: changes[i].stamp, replaced: changes[i].replaced, seen: changes[i].seen)
                row.state[changes[i].field] = register
                if !wasEmpty { won[changes[i].field] = register }
                if origin == nil {
                    origin = (changes[i].stamp.node, changes[i].stamp.counter)
                } else if origin!.node == changes[i].stamp.node {
                    origin!.counter = max(origin!.counter, changes[i].stamp.counter)
                } else if let k = otherOrigins.firstIndex(where: { $0.node == changes[i].stamp.node }) {
                    otherOrigins[k].counter = max(otherOrigins[k].counter, changes[i].stamp.counter)
                } else {
                    otherOrigins.append((changes[i].stamp.node, changes[i].stamp.counter))
                }
                counts.applied += 1
            case .heldWins(let conflict):
                if conflict, let held, held.value != changes[i].value, !sql.annotations.contains(changes[i].field) {
                    try recordConflict(changes[i], winner: (held.value, held.stamp), loser: (changes[i].value, changes[i].stamp), at: now)
                }
                counts.superseded += 1
            }
        }
        guard counts.applied > 0 else { return counts }
        let bytes = row.state.encoded
        let primary = row.state.isDeleted ? nil : Replica.primaryOrigin(of: row.state)
        try store(sql, row: first.row, partition: first.partition, state: row.state, bytes: bytes, was: row.location, primary: primary)
        let rowID = first.row, partition = first.partition
        func writeOrigin(_ node: String, _ counter: UInt64) throws {
            let s = try sql.statement(.rowOrigin, in: database)
            try s.bind(text: sql.name, at: 1)
            try s.bind(.integer(Int64(counter)), at: 5)
            try s.withText(rowID, at: 2) { try s.withText(node, at: 3) { try s.withText(partition, at: 4) { while try s.step() {} } } }
        }
        // An origin that stops being primary (another became primary, or the row became a tombstone)
        // keeps its registers' highest counter in parta_row_origin.
        if let old = oldPrimary, !(primary.map { $0.node.bytesEqual(old.node) } ?? false),
           let kept = Replica.highestCounter(of: old.node, in: row.state) {
            if let o = origin, o.node.bytesEqual(old.node) {
                origin!.counter = max(o.counter, kept)
            } else if let k = otherOrigins.firstIndex(where: { $0.node.bytesEqual(old.node) }) {
                otherOrigins[k].counter = max(otherOrigins[k].counter, kept)
            } else {
                otherOrigins.append((old.node, kept))
            }
        }
        func isPrimary(_ node: String) -> Bool { primary.map { $0.node.bytesEqual(node) } ?? false }
        if let origin, !isPrimary(origin.node) { try writeOrigin(origin.node, origin.counter) }
        for other in otherOrigins where !isPrimary(other.node) { try writeOrigin(other.node, other.counter) }
        // A row that held nothing before holds exactly what this merge applied: its bytes serve twice.
        pendingHistory.entries.append(table: first.table, row: first.row, partition: first.partition,
                                      encodedState: wasEmpty ? bytes : won.encoded)
        return counts
    }

    /// Stores `state`, a row with some of its registers taken out (a clock repair's changes from
    /// the future, merged again after; a copy's stale version dropped), and keeps every origin
    /// of what is left findable by the delta: the primary origin may move to another node, and
    /// the one it leaves must get its entry in `parta_row_origin`, as a merge gives it.
    func storeWithout(_ sql: TableSQL, row: String, partition: String, state: RowState, was location: RowLocation) throws {
        let primary = state.isDeleted || state.isEmpty ? nil : Replica.primaryOrigin(of: state)
        try store(sql, row: row, partition: partition, state: state, bytes: state.encoded, was: location, primary: primary)
        var highest: [String: UInt64] = [:]
        for (_, register) in state.sortedFields { highest[register.stamp.node] = max(highest[register.stamp.node] ?? 0, register.stamp.counter) }
        for (node, counter) in highest.sorted(by: { $0.key < $1.key }) where !(primary.map { $0.node.bytesEqual(node) } ?? false) {
            let s = try sql.statement(.rowOrigin, in: database)
            try s.bind(text: sql.name, at: 1)
            try s.bind(.integer(Int64(counter)), at: 5)
            try s.withText(row, at: 2) { try s.withText(node, at: 3) { try s.withText(partition, at: 4) { while try s.step() {} } } }
        }
    }

    /// A row's primary origin: the node of its newest register, with that node's highest counter
    /// among the row's registers. A function of the registers alone, so it converges with them.
    static func primaryOrigin(of state: RowState) -> (node: String, counter: UInt64)? {
        var newest: Stamp?
        for (_, register) in state.sortedFields where newest.map({ $0 < register.stamp }) ?? true {
            newest = register.stamp
        }
        guard let node = newest?.node else { return nil }
        return highestCounter(of: node, in: state).map { (node, $0) }
    }

    /// The highest counter among `node`'s registers in `state`, or nil if it holds none.
    static func highestCounter(of node: String, in state: RowState) -> UInt64? {
        var highest: UInt64?
        for (_, register) in state.sortedFields where register.stamp.node.bytesEqual(node) {
            highest = max(highest ?? 0, register.stamp.counter)
        }
        return highest
    }

    /// The distinct origins (by String `==`, as a `Set` of them) of `changes`, without hashing
    /// every change's: runs of one origin are skipped, and a few origins are kept in a list.
    static func distinctOrigins(of changes: [Change]) -> [String] {
        var seen: [String] = []
        var large: Set<String>?
        for change in changes {
            let node = change.stamp.node
            if let last = seen.last, last.bytesEqual(node) { continue }
            if large != nil { large!.insert(node); continue }
            if seen.contains(where: { $0 == node }) { continue }
            seen.append(node)
            if seen.count > 16 { large = Set(seen) }
        }
        return large.map(Array.init) ?? seen
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
    func store(_ sql: TableSQL, row: String, partition: String, state: RowState, bytes: [UInt8], was location: RowLocation,
                       primary: (node: String, counter: UInt64)?) throws {
        if state.isDeleted {
            if location == .live {
                let s = try sql.statement(.delete, in: database)
                try s.bind(text: row, at: 1)
                while try s.step() {}
            }
            sql.noTombstonesIn = nil
            let s = try sql.statement(.tombstoneUpsert, in: database)
            try s.bind(text: sql.name, at: 1)
            try s.bind(text: row, at: 2)
            try s.bind(text: partition, at: 3)
            try s.bind(bytes: bytes, at: 4)
            while try s.step() {}
            return
        }
        if location == .tombstone {
            let s = try sql.statement(.tombstoneDelete, in: database)
            try s.bind(text: sql.name, at: 1)
            try s.bind(text: row, at: 2)
            while try s.step() {}
        }
        let s = try sql.statement(.upsert, in: database)
        // Bindings start out NULL (the statement's bindings were cleared): bind the fields the
        // row has, each to its column's parameter; the id, partition and state in place.
        for (field, register) in state.sortedFields {
            guard let i = sql.columns.firstIndex(where: { $0 == field }) else { continue }
            try s.bind(register.value, at: Int32(i + 3))
        }
        if let primary {
            try s.bind(text: primary.node, at: Int32(sql.columns.count + 4))
            try s.bind(.integer(Int64(primary.counter)), at: Int32(sql.columns.count + 5))
        }
        try s.withText(row, at: 1) {
            try s.withText(partition, at: 2) {
                try s.withBytes(bytes, at: Int32(sql.columns.count + 3)) { while try s.step() {} }
            }
        }
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
