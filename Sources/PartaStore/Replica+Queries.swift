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
        try database.rows("""
            SELECT tbl, row, field, value, hlc, node, ctr, received_at FROM parta_log ORDER BY seq DESC LIMIT ?
            """, [.integer(Int64(limit))]).map { r in
            HistoryEntry(table: r[0].textValue ?? "", row: r[1].textValue ?? "", field: r[2].textValue ?? "", value: r[3],
                         stamp: Replica.stamp(r[4], r[5], r[6]), receivedAt: UInt64(r[7].integerValue ?? 0))
        }
    }

    /// How many of this node's own changes its hub has not acknowledged yet.
    public func unacknowledgedChangeCount() throws -> Int {
        let acknowledged = try acknowledgedClock(of: hubID)?[nodeID] ?? 0
        return Int(try database.scalar("SELECT count(*) FROM parta_log WHERE node = ? AND ctr > ?",
                                       [.text(nodeID), .integer(Int64(acknowledged))])?.integerValue ?? 0)
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
        var lines: [String] = []
        let rows = try database.rows("SELECT tbl, row, field, part, quote(value), hlc, node, ctr, prev_hlc, prev_node, prev_ctr FROM parta_register")
        let referenced = Dictionary(uniqueKeysWithValues: schema.tables.compactMap { t -> (String, (String, String))? in
            if case .referenced(let via, let column) = t.scope { return (t.name, (via, column)) } else { return nil }
        })
        var liveReferences: [String: Set<String>] = [:]
        if let partition {
            for (name, (via, column)) in referenced {
                liveReferences[name] = Set(try database.rows("SELECT \"\(column)\" FROM \"\(via)\" WHERE _part = ?", [.text(partition)]).compactMap { $0[0].textValue })
            }
        }
        for r in rows {
            let table = r[0].textValue ?? "", row = r[1].textValue ?? "", part = r[3].textValue ?? ""
            if let partition {
                if referenced[table] != nil {
                    guard liveReferences[table]?.contains(row) == true else { continue }
                } else if part != partition && part != Change.everywhere {
                    continue
                }
            }
            lines.append(r.map { $0.description }.joined(separator: "|"))
        }
        return lines.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
    }

    static func stamp(_ hlc: Value, _ node: Value, _ ctr: Value) -> Stamp {
        Stamp(time: HybridTimestamp(rawValue: UInt64(bitPattern: hlc.integerValue ?? 0)), node: node.textValue ?? "", counter: UInt64(ctr.integerValue ?? 0))
    }
}
