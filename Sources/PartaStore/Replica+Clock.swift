import PartaCore

/// What ``Replica/repairClock(now:)`` found about a clock that had run ahead, and what it did.
public struct ClockRepair: Sendable, Equatable {
    public enum Finding: Sendable, Equatable {
        /// This computer's clock had been ahead and has been put right: its own changes stamped in
        /// the future, which no receiver with a right clock accepted, were re-stamped with the
        /// corrected time.
        case repaired(restamped: Int)
        /// The clock reads earlier than what other computers stamped (beyond the drift bound): it
        /// is this clock that is behind now. Nothing was changed.
        case clockBehind(newestFromOthers: UInt64)
        /// Changes of this node stamped in the future have already been taken in elsewhere: they
        /// cannot be re-stamped. Nothing was changed.
        case alreadySent(count: Int)
    }
    public var finding: Finding
    /// The latest time this node had used (ms), ahead of `now`.
    public var aheadUntil: UInt64
}

extension Replica {
    /// After this computer's clock was set back from a wrong date in the future (replication-v1
    /// §9.1): re-stamps this node's own changes stamped more than the drift bound ahead of `now`
    /// with fresh times from the corrected clock, in their order, and sets the clock back.
    ///
    /// Safe because such changes never left: a receiver whose clock is right refuses a bundle that
    /// carries them (§9), so no other replica holds them. It checks that too: if any peer has
    /// acknowledged one of them, nothing is changed (``ClockRepair/Finding/alreadySent(count:)``).
    /// If other nodes' stamps are themselves ahead of `now`, it is this clock that is wrong now
    /// (``ClockRepair/Finding/clockBehind(newestFromOthers:)``) and nothing is changed either.
    ///
    /// - Returns: nil when the clock has not run ahead of `now` by more than the drift bound
    ///   (a comparison, cheap enough for every command); otherwise what it found. The repair
    ///   itself reads every row once, like a backup: it is rare.
    public func repairClock(now: UInt64) throws -> ClockRepair? {
        try reloadClock()
        let limit = now > UInt64.max - clock.maxDrift ? UInt64.max : now + clock.maxDrift
        guard clock.last.milliseconds > limit else { return nil }
        let aheadUntil = clock.last.milliseconds
        return try database.transaction {
            struct Found { var table: String, row: String, field: String, stamp: Stamp }
            var ahead: [Found] = []
            var newestKept = HybridTimestamp.zero, newestFromOthers = HybridTimestamp.zero
            for (table, sql) in tableSQL {
                var ids = try database.rows("SELECT id FROM \"\(table)\"").compactMap { $0[0].textValue }
                ids += try database.rows("SELECT row FROM parta_tombstone WHERE tbl = ?", [.text(table)]).compactMap { $0[0].textValue }
                for id in ids {
                    for (field, register) in try loadRow(sql, row: id).state.sortedFields {
                        if register.stamp.node == nodeID, register.stamp.time.milliseconds > limit {
                            ahead.append(Found(table: table, row: id, field: field, stamp: register.stamp))
                        } else {
                            newestKept = max(newestKept, register.stamp.time)
                            if register.stamp.node != nodeID { newestFromOthers = max(newestFromOthers, register.stamp.time) }
                        }
                    }
                }
            }
            if newestFromOthers.milliseconds > limit {
                return ClockRepair(finding: .clockBehind(newestFromOthers: newestFromOthers.milliseconds), aheadUntil: aheadUntil)
            }
            var acknowledged: UInt64 = 0
            for row in try database.rows("SELECT node FROM parta_peer") {
                guard let peer = row[0].textValue else { continue }
                acknowledged = max(acknowledged, try acknowledgedClock(of: peer)?[nodeID] ?? 0)
            }
            let sent = ahead.filter { $0.stamp.counter <= acknowledged }.count
            if sent > 0 { return ClockRepair(finding: .alreadySent(count: sent), aheadUntil: aheadUntil) }
            // New stamps after everything kept, in the order of the old ones (their counters stay).
            var corrected = HybridLogicalClock(last: newestKept, maxDrift: clock.maxDrift)
            var renewed: [Stamp: Stamp] = [:]
            for found in ahead.sorted(by: { $0.stamp < $1.stamp }) where renewed[found.stamp] == nil {
                renewed[found.stamp] = Stamp(time: corrected.tick(now: now), node: nodeID, counter: found.stamp.counter)
            }
            var rows: [String: Set<String>] = [:]
            for found in ahead { rows[found.table, default: []].insert(found.row) }
            for (table, ids) in rows {
                guard let sql = tableSQL[table] else { continue }
                for id in ids {
                    let loaded = try loadRow(sql, row: id)
                    var state = loaded.state
                    for (field, register) in loaded.state.sortedFields {
                        var updated = register
                        if let stamp = renewed[register.stamp] { updated.stamp = stamp }
                        if let replaced = register.replaced, let stamp = renewed[replaced] { updated.replaced = stamp }
                        state[field] = updated
                    }
                    try store(sql, row: id, partition: loaded.partition ?? "", state: state, bytes: state.encoded, was: loaded.location,
                              primary: state.isDeleted ? nil : Replica.primaryOrigin(of: state))
                }
            }
            // The one place the stored clock moves back: it had run ahead of every stamp now held.
            clock = corrected
            try database.run("UPDATE parta_meta SET value = ? WHERE key = 'hlc'", [.integer(Int64(bitPattern: corrected.last.rawValue))])
            return ClockRepair(finding: .repaired(restamped: renewed.count), aheadUntil: aheadUntil)
        }
    }
}
