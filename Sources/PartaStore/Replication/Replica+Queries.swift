import PartaCore

/// One entry of the conflict log: a change that lost to one its author had not seen.
public struct ConflictRecord: Sendable, Equatable {
    public var table: String
    public var row: String
    public var field: String
    public var winnerValue: Value
    public var winner: Stamp
    public var loserValue: Value
    public var loser: Stamp
    public var detectedAt: UInt64
}

/// One accepted change in the local history (``Replica/history(limit:)``).
public struct HistoryEntry: Sendable, Equatable {
    public var table: String
    public var row: String
    public var field: String
    public var value: Value
    public var stamp: Stamp
    public var receivedAt: UInt64
}

extension Replica {
    /// Every conflict recorded here: a change that lost (by ``LastWriterWins``) to a value its
    /// author had not seen, and that differed from it. Two nodes writing the same value undo
    /// nothing and are not recorded.
    public func conflicts() throws -> [ConflictRecord] {
        try database.rows("""
            SELECT tbl, row, field, winner_value, winner_hlc, winner_node, winner_ctr, loser_value, loser_hlc, loser_node, loser_ctr, detected_at
            FROM parta_conflict ORDER BY id
            """).map { r in
            ConflictRecord(table: r[0].textValue ?? "", row: r[1].textValue ?? "", field: r[2].textValue ?? "",
                           winnerValue: r[3], winner: Replica.stamp(r[4], r[5], r[6]),
                           loserValue: r[7], loser: Replica.stamp(r[8], r[9], r[10]),
                           detectedAt: UInt64(r[11].integerValue ?? 0))
        }
    }

    /// The newest `limit` entries of the history, newest first: every change that held its field
    /// when it arrived here, whether written here or received. (A change that arrived already
    /// superseded is not history here; if it was made unseen, it is in ``conflicts()``.)
    public func history(limit: Int = 50) throws -> [HistoryEntry] {
        let s = try database.statement("SELECT changes, received_at FROM parta_log ORDER BY seq DESC")
        var entries: [HistoryEntry] = []
        while entries.count < limit, try s.step() {
            let batch = try HistoryBatch(encoded: s.bytes(at: 0))
            for entry in batch.entries.reversed() where entries.count < limit {
                for (field, r) in entry.applied.sortedFields.reversed() where entries.count < limit {
                    entries.append(HistoryEntry(table: entry.table, row: entry.row, field: field, value: r.value,
                                                stamp: r.stamp, receivedAt: UInt64(s.int(at: 1))))
                }
            }
        }
        s.reset()
        return entries
    }

    /// How many changes this node made that its hub has not acknowledged yet.
    public func unacknowledgedChangeCount() throws -> Int {
        let acknowledged = try acknowledgedClock(of: hubID)?[nodeID] ?? 0
        return counter > acknowledged ? Int(counter - acknowledged) : 0
    }

    /// Who wrote each field of a row, and when: the stamp of each register (of a live or deleted
    /// row; `$deleted` included), empty if there is no such row. Authorship per field, so a value
    /// is never credited to whoever last wrote another field of its row.
    public func fieldStamps(table: String, row: String) throws -> [String: Stamp] {
        try registers(table: table, row: row).mapValues(\.stamp)
    }

    /// A row's registers as held here (value, stamp, replaced stamp per field; a deleted row's
    /// too), empty if there is no such row.
    public func registers(table: String, row: String) throws -> [String: RowState.Register] {
        var result: [String: RowState.Register] = [:]
        for (field, register) in try loadRow(table: table, row: row).state.sortedFields { result[field] = register }
        return result
    }

    /// When the nodes of each partition made the newest bundle this replica took from any of them
    /// (ms: the wall-clock part of the bundle's `created` stamp), by partition; and when the hubs of
    /// each domain made theirs, by domain. This is how fresh a school's news is, not when a stick
    /// arrived: importing an old bundle again changes nothing, since a peer's `created` only grows.
    public func newestBundlesMade() throws -> (byPartition: [String: UInt64], byDomain: [String: UInt64]) {
        var byPartition: [String: UInt64] = [:], byDomain: [String: UInt64] = [:]
        for r in try database.rows("""
            SELECT n.partition, n.role, n.domain, max(p.created) FROM parta_peer p JOIN nodes n ON n.id = p.node
            GROUP BY n.partition, n.role, n.domain
            """) {
            let made = HybridTimestamp(rawValue: UInt64(bitPattern: r[3].integerValue ?? 0)).milliseconds
            if RecordedRole(stored: r[1]) == .hub, let domain = r[2].textValue {
                byDomain[domain] = max(byDomain[domain] ?? 0, made)
            } else if let partition = r[0].textValue {
                byPartition[partition] = max(byPartition[partition] ?? 0, made)
            }
        }
        return (byPartition, byDomain)
    }

    /// The last bundle exchanged in `direction` (`in` or `out`): peer, change count and local time.
    public func lastExchange(direction: String) throws -> (peer: String, changes: Int, at: UInt64)? {
        guard let r = try database.rows("SELECT peer, changes, at FROM parta_exchange WHERE direction = ? ORDER BY seq DESC LIMIT 1",
                                        [.text(direction)]).first else { return nil }
        return (r[0].textValue ?? "", Int(r[1].integerValue ?? 0), UInt64(r[2].integerValue ?? 0))
    }

    /// Every register in scope of `partition` (all of them for nil), as canonical text lines sorted
    /// bytewise: replicas that hold the same data give identical dumps. No local ids or receipt times.
    public func canonicalDump(partition: String? = nil) throws -> [String] {
        var liveReferences: [String: Set<String>] = [:]
        for table in schema.tables {
            guard let partition, case .referenced(let via, let column) = table.scope else { continue }
            liveReferences[table.name] = Set(try database.rows("SELECT \"\(column)\" FROM \"\(via)\" WHERE _part = ?", [.text(partition)]).compactMap { $0[0].textValue })
        }
        var lines: [String] = []
        func add(table: String, row: String, part: String, state: RowState) {
            if let partition {
                if let live = liveReferences[table] {
                    guard live.contains(row) else { return }
                } else if part != partition && part != Change.everywhere {
                    return
                }
            }
            for (field, r) in state.sortedFields {
                let replaced = r.replaced.map { "\($0.time.rawValue)|\($0.node)|\($0.counter)" } ?? "-"
                lines.append("\(table)|\(row)|\(field)|\(part)|\(Replica.canonical(r.value))|\(r.stamp.time.rawValue)|\(r.stamp.node)|\(r.stamp.counter)|\(replaced)")
            }
        }
        for table in schema.tables {
            let s = try database.statement("SELECT id, _part, _state FROM \"\(table.name)\"")
            while try s.step() { add(table: table.name, row: s.text(at: 0), part: s.text(at: 1), state: try RowState(encoded: s.bytes(at: 2))) }
        }
        let s = try database.statement("SELECT tbl, row, part, state FROM parta_tombstone")
        while try s.step() { add(table: s.text(at: 0), row: s.text(at: 1), part: s.text(at: 2), state: try RowState(encoded: s.bytes(at: 3))) }
        return lines.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
    }

    static func canonical(_ value: Value) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let v): return "i\(v)"
        case .real(let v): return "r\(v.bitPattern)"
        case .text(let v): return "t" + v.unicodeScalars.map { $0 == "|" || $0 == "\\" || $0 == "\n" ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        }
    }

    static func stamp(_ hlc: Value, _ node: Value, _ ctr: Value) -> Stamp {
        Stamp(time: HybridTimestamp(rawValue: UInt64(bitPattern: hlc.integerValue ?? 0)), node: node.textValue ?? "", counter: UInt64(ctr.integerValue ?? 0))
    }
}
