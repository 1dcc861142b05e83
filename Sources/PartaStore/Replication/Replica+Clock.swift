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
        guard clock.last.milliseconds > driftLimit(now: now) else { return nil }
        return try database.transaction {
            // Again inside the transaction: another process may have written since.
            try reloadClock()
            let limit = driftLimit(now: now)
            let aheadUntil = clock.last.milliseconds
            struct Found { var table: String, row: String, partition: String, field: String, stamp: Stamp }
            var ahead: [Found] = []
            // Its own changes include those of the ids it wrote under before it became a successor.
            let own = try lineage()
            var newestKept = HybridTimestamp.zero, newestFromOthers = HybridTimestamp.zero
            try forEachRow { table, id, loaded in
                for (field, register) in loaded.state.sortedFields {
                    if own.contains(register.stamp.node), register.stamp.time.milliseconds > limit {
                        ahead.append(Found(table: table, row: id, partition: loaded.partition ?? "", field: field, stamp: register.stamp))
                    } else {
                        newestKept = max(newestKept, register.stamp.time)
                        if !own.contains(register.stamp.node) { newestFromOthers = max(newestFromOthers, register.stamp.time) }
                    }
                }
            }
            // Its peers' clocks when they last wrote to it count too: a hub restored with a clock
            // set behind may hold no change of another node newer than its backup.
            if let created = try database.scalar("SELECT max(created) FROM parta_peer")?.integerValue {
                newestFromOthers = max(newestFromOthers, HybridTimestamp(rawValue: UInt64(bitPattern: created)))
            }
            if newestFromOthers.milliseconds > limit {
                return ClockRepair(finding: .clockBehind(newestFromOthers: newestFromOthers.milliseconds), aheadUntil: aheadUntil)
            }
            var acknowledged = VectorClock()
            var peers: [(clock: VectorClock, scope: [String]?, created: HybridTimestamp)] = []
            for row in try database.rows("SELECT node, created FROM parta_peer") {
                guard let peer = row[0].textValue, let clock = try acknowledgedClock(of: peer) else { continue }
                for id in own where clock[id] > acknowledged[id] { acknowledged[id] = clock[id] }
                peers.append((clock, try partitionsTakenIn(by: peer), HybridTimestamp(rawValue: UInt64(bitPattern: row[1].integerValue ?? 0))))
            }
            // A peer's acknowledgement covers only what was in its scope: a hub's change for one
            // school has not left because another school took a bundle after it was written.
            // Nor has one the peer's clock never reached: taking it in moves the peer's HLC past
            // its stamp, so every bundle the peer writes after is created later. (Its counter is
            // acknowledged without it when the peer took a bundle that left it out, say for a
            // task whose assignment was withdrawn then, and given back since.)
            let sent = try ahead.filter { found in
                guard found.stamp.node == nodeID else { return false }
                return try peers.contains { peer in
                    guard found.stamp.counter <= peer.clock[nodeID], peer.created >= found.stamp.time else { return false }
                    guard let scope = peer.scope else { return true }
                    return try travelled(table: found.table, row: found.row, partition: found.partition, to: scope, acknowledging: peer.clock[nodeID])
                }
            }.count
            if sent > 0 { return ClockRepair(finding: .alreadySent(count: sent), aheadUntil: aheadUntil) }
            // A predecessor's change that a peer acknowledged, yet stamped ahead here: this folder is
            // a copy whose version the original has since repaired and sent. This version is
            // dropped and the clock for that id lowered, so the peer's version comes back (§10b).
            let superseded = ahead.filter { $0.stamp.node != nodeID && $0.stamp.counter <= acknowledged[$0.stamp.node] }
            for found in superseded {
                guard let sql = tableSQL[found.table] else { continue }
                let loaded = try loadRow(sql, row: found.row)
                var kept = loaded.state
                kept[found.field] = nil
                try storeWithout(sql, row: found.row, partition: loaded.partition ?? "", state: kept, was: loaded.location)
                try database.run("UPDATE parta_clock SET ctr = min(ctr, ?) WHERE node = ?",
                                 [.integer(Int64(clamping: found.stamp.counter) - 1), .text(found.stamp.node)])
            }
            ahead.removeAll { found in superseded.contains { $0.stamp == found.stamp } }
            // New changes after everything kept, in the order of the old ones, each with a new
            // counter of this node: the old (node, counter) pairs are never used again, so a copy
            // of this folder that repairs its own version of them cannot clash with these.
            var corrected = HybridLogicalClock(last: max(newestKept, try newestHistoryStamp(upTo: limit)), maxDrift: clock.maxDrift)
            var renewed: [Stamp: Stamp] = [:]
            for found in ahead.sorted(by: { $0.stamp < $1.stamp }) where renewed[found.stamp] == nil {
                // A predecessor's own record stays its own (a node writes only its own record).
                if found.table == ReplicationSchema.nodesTable.name, found.row != nodeID {
                    renewed[found.stamp] = Stamp(time: corrected.tick(now: now), node: found.stamp.node, counter: found.stamp.counter)
                    continue
                }
                counter += 1
                renewed[found.stamp] = Stamp(time: corrected.tick(now: now), node: nodeID, counter: counter)
            }
            clock = corrected
            var rows: [String: Set<String>] = [:]
            for found in ahead { rows[found.table, default: []].insert(found.row) }
            for (table, ids) in rows {
                guard let sql = tableSQL[table] else { continue }
                for id in ids.sorted() {
                    // The row without its changes from the future, then those changes merged again
                    // under their new stamps (so the delta index and the history know them).
                    let loaded = try loadRow(sql, row: id)
                    var kept = loaded.state
                    var changes: [Change] = []
                    for (field, register) in loaded.state.sortedFields {
                        if let stamp = renewed[register.stamp] {
                            kept[field] = nil
                            changes.append(Change(table: table, row: id, partition: loaded.partition ?? "", field: field, value: register.value,
                                                  stamp: stamp, replaced: register.replaced.map { renewed[$0] ?? $0 },
                                                  seen: register.seen.map { SeenSet(latest: $0.latest, through: $0.through.map { renewed[$0] ?? $0 }) }))
                        } else if let replaced = register.replaced, let stamp = renewed[replaced] {
                            kept[field] = RowState.Register(value: register.value, stamp: register.stamp, replaced: stamp, seen: register.seen)
                        }
                    }
                    try storeWithout(sql, row: id, partition: loaded.partition ?? "", state: kept, was: loaded.location)
                    _ = try mergeRow(changes.sorted { $0.stamp < $1.stamp }[...], receivedAt: now)
                }
            }
            try flushHistory(at: now)
            try recordOwnChangeTimes(renewed.values)
            try saveClock()
            // The one place the stored clock moves back: it had run ahead of every stamp now held.
            try database.run("UPDATE parta_meta SET value = ? WHERE key = 'hlc'", [.integer(Int64(bitPattern: clock.last.rawValue))])
            try database.run("UPDATE parta_meta SET value = min(value, ?) WHERE key = 'written_max'", [.integer(Int64(bitPattern: clock.last.rawValue))])
            return ClockRepair(finding: .repaired(restamped: renewed.count), aheadUntil: aheadUntil)
        }
    }

    /// The latest wall-clock time (ms) a stamp may carry at `now`: `now` plus the drift bound (§9).
    func driftLimit(now: UInt64) -> UInt64 {
        now > UInt64.max - clock.maxDrift ? UInt64.max : now + clock.maxDrift
    }

    /// Every row of every replicated table, live or deleted, with its state: for the rare repairs
    /// (a clock put right, a copy's succession) that must look at everything once.
    func forEachRow(_ body: (_ table: String, _ row: String, _ loaded: LoadedRow) throws -> Void) throws {
        for (table, sql) in tableSQL.sorted(by: { $0.key < $1.key }) {
            var ids = try database.rows("SELECT id FROM \"\(table)\"").compactMap { $0[0].textValue }
            ids += try database.rows("SELECT row FROM parta_tombstone WHERE tbl = ?", [.text(table)]).compactMap { $0[0].textValue }
            for id in ids { try body(table, id, try loadRow(sql, row: id)) }
        }
    }

    /// The greatest stamp in this replica's history at or below `limit` (ms): what a clock put
    /// right must start above, since overwritten changes of this node (no longer in any register)
    /// may have reached others with those times. Reads the whole history, like the repair itself.
    func newestHistoryStamp(upTo limit: UInt64) throws -> HybridTimestamp {
        // Changes taken in that lost on arrival are in no history: their newest stamp is kept apart.
        let received = HybridTimestamp(rawValue: UInt64(bitPattern: try database.scalar("SELECT value FROM parta_meta WHERE key = 'received_max'")?.integerValue ?? 0))
        var newest = received.milliseconds <= limit ? received : .zero
        let s = try database.statement("SELECT changes FROM parta_log")
        defer { s.reset() }
        while try s.step() {
            for entry in try HistoryBatch(encoded: s.bytes(at: 0)).entries {
                for (_, register) in entry.applied.sortedFields where register.stamp.time.milliseconds <= limit {
                    newest = max(newest, register.stamp.time)
                }
            }
        }
        return newest
    }

    /// The partitions whose rows `peer` takes in from this node, or nil for everything (this
    /// node's hub, an upper hub, or a node this replica has no record of).
    private func partitionsTakenIn(by peer: String) throws -> [String]? {
        guard role == .hub, peer != upstream?.id,
              let record = try database.rows("SELECT role, partition, domain FROM nodes WHERE id = ?", [.text(peer)]).first else { return nil }
        if RecordedRole(stored: record[0]) == .hub { return try record[2].textValue.map { try partitions(ofDomain: $0) } }
        return record[1].textValue.map { [$0] }
    }

    /// Whether a change of `row` by this node, covered by `counter`, went to nodes that take in
    /// `partitions` (§7.2, §7.3): the row is in one of them or everywhere, or it is a referenced
    /// row that one of their rows referred to by then (a referring row with a register older
    /// than `counter`, or written by another node). An unpartitioned row of another kind is
    /// counted as gone.
    private func travelled(table: String, row: String, partition: String, to partitions: [String], acknowledging counter: UInt64) throws -> Bool {
        if partition == Change.everywhere || partitions.contains(where: { $0.bytesEqual(partition) }) { return true }
        guard partition == Change.unpartitioned else { return false }
        guard case .referenced(let via, let column) = schema.tables.first(where: { $0.name == table })?.scope else { return true }
        let referring = try database.rows("SELECT id FROM \"\(via)\" WHERE \"\(column)\" = ? AND _part IN \(Replica.placeholders(partitions.count))",
                                          [.text(row)] + partitions.map { .text($0) }).compactMap { $0[0].textValue }
        return try referring.contains { id in
            try loadRow(table: via, row: id).state.sortedFields.contains { $0.register.stamp.node != nodeID || $0.register.stamp.counter <= counter }
        }
    }
}
