import PartaCore

/// What became of a member node found to be an older copy of itself (replication-v1 §10b).
public struct Succession: Sendable, Equatable {
    /// The id it wrote under until now; it never writes under it again.
    public var predecessor: String
    /// Its new id, a new node of the same partition with the same keys.
    public var successor: String
    /// Its own changes the hub had not acknowledged, written again under the new id (none for a
    /// copy found before it wrote: its changes stay under the old id, the original's very writes).
    public var carriedOver: Int
    /// How the copy was found, which decides what it carries over.
    public var cause: Cause

    /// How a member node was found to be a copy of itself (replication-v1 §10b).
    public enum Cause: Sendable, Equatable {
        /// Its database is another file than the one it last wrote (the folder was copied, or
        /// moved to another disk or computer), found before it wrote anything.
        case copiedOrMoved
        /// Its counter is below the mark of what it had sent from this folder (a copy put back in
        /// place), found before it wrote anything.
        case putBack
        /// Its hub holds more of its changes than it does, or refused its bundle as an older copy's:
        /// found only after it may have written under its old id.
        case hubHoldsMore

        /// Whether the copy was found before it wrote anything under its old id: then every change
        /// it holds under that id is one the original wrote too, and stays as it is.
        public var foundBeforeWriting: Bool { self != .hubHoldsMore }
    }
}

extension Replica {
    /// Whether `header`, from this member's hub, shows that this replica is an older copy of
    /// itself: the hub holds changes of this node beyond the last one this replica wrote (its data
    /// folder was copied back, or restored from a plain copy, after it had sent more), or its
    /// newest change of this node is not the one this replica wrote at that number (another copy
    /// wrote it: a cloned disk, an image put back; header extension 10).
    public func isOlderCopy(according header: ChangeSetHeader) throws -> Bool {
        guard case .member = role, header.sender == hubID else { return false }
        try reloadClock()
        if header.upper[nodeID] > counter { return true }
        // The hub's newest change of this id is not the one this replica wrote at that counter:
        // another copy of this folder wrote it, and sent it first (a cloned disk, an image put back).
        guard let held = header.newestHeld.first(where: { $0.node.bytesEqual(nodeID) }) else { return false }
        // HLC 0 names no change: the hub refused a bundle of this id, signed with these keys, as
        // a copy's (its earlier id's changes differ from the ones it holds). Not once the hub has
        // taken a change of this id (a hub bundle from before that, imported late).
        if held.time.rawValue == 0 {
            let acknowledged = try acknowledgedClock(of: hubID)?[nodeID] ?? 0
            return held.counter == keys.publicKeys.fingerprintNumber && acknowledged == 0
        }
        guard let mine = try ChangeTimeLog(database, sender: nodeID).time(atCounter: held.counter) else { return false }
        return mine != held.time.rawValue
    }

    /// The times of this school computer's own changes with counters in (`base`, `upper`] that
    /// `carried` does not hold (it overwrote them since), the highest ``ChangeSetFormat/maxOwnTimes``
    /// of those it kept (header extension 12): its hub checks them as it checks the changes it
    /// takes, so a copy that overwrote its changes at the original's numbers is found (§10b).
    func ownTimesNotCarried(after base: UInt64, through upper: UInt64, carried: [Change]) throws -> [OwnChangeTime] {
        guard case .member = role, upper > base else { return [] }
        var inBundle: Set<UInt64> = []
        for change in carried where change.stamp.node.bytesEqual(nodeID) { inBundle.insert(change.stamp.counter) }
        let log = ChangeTimeLog(database, sender: nodeID)
        var times: [OwnChangeTime] = []
        var counter = upper
        while counter > base, times.count < Int(ChangeSetFormat.maxOwnTimes) {
            if !inBundle.contains(counter), let time = try log.time(atCounter: counter) {
                times.append(OwnChangeTime(counter: counter, time: HybridTimestamp(rawValue: time)))
            }
            counter -= 1
        }
        return times.reversed()
    }

    /// For each earlier id of this successor whose acknowledgement it keeps, the times of that
    /// id's changes it wrote itself with counters in (kept acknowledgement, `upper[id]`] that
    /// `carried` does not hold (header extension 14), the highest ones, at most
    /// ``ChangeSetFormat/maxOwnTimes`` in all: a change the folder it was made from overwrote at
    /// a number the original used is found by its hub too (§10b).
    func lineageTimesNotCarried(upper: VectorClock, carried: [Change]) throws -> [LineageTimes] {
        guard case .member = role else { return [] }
        var budget = Int(ChangeSetFormat.maxOwnTimes)
        var result: [LineageTimes] = []
        let kept = try lineageAcknowledged()
        let settled = try lineageFoundByHub()
        for id in kept.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).prefix(Int(ChangeSetFormat.maxLineageIDs))
        where id != nodeID && !settled.contains(id) && budget > 0 {
            let from = kept[id] ?? 0
            var counter = upper[id]
            guard counter > from else { continue }
            var inBundle: Set<UInt64> = []
            for change in carried where change.stamp.node.bytesEqual(id) { inBundle.insert(change.stamp.counter) }
            let log = ChangeTimeLog(database, sender: id)
            var times: [OwnChangeTime] = []
            while counter > from, times.count < budget {
                if !inBundle.contains(counter), let time = try log.time(atCounter: counter) {
                    times.append(OwnChangeTime(counter: counter, time: HybridTimestamp(rawValue: time)))
                }
                counter -= 1
            }
            budget -= times.count
            if !times.isEmpty { result.append(LineageTimes(node: id, times: times.reversed())) }
        }
        return result
    }

    /// Records the times of this school computer's own new changes by counter, so that its hub's
    /// word on the newest change of it that it holds can be checked (§10b). Local.
    func recordOwnChangeTimes(_ stamps: some Sequence<Stamp>) throws {
        guard case .member = role else { return }
        let log = ChangeTimeLog(database, sender: nodeID)
        for stamp in stamps where stamp.node.bytesEqual(nodeID) { try log.record(stamp) }
        try log.flush()
    }

    /// Makes this member node, a copy of itself, a new node of the same partition: a fresh id (same
    /// keys, which its hub already trusts) and its own record. From then on nothing is written
    /// under the old id, so no (node, counter) pair is ever used twice; the old id's changes stay
    /// as any origin's, and nothing is lost.
    ///
    /// A copy found before it wrote (`cause.foundBeforeWriting`) holds under the old id only what
    /// the original wrote too, with the same stamps: those changes go to the hub as they are, and a
    /// correction made there since keeps its place. A copy found by its hub may have written under
    /// the old id numbers the original used too: every change of its own the hub has not
    /// acknowledged is written again under the new id, in order, with the values and replaced
    /// stamps they had, one tick after the times they were written at, so that a correction made
    /// since keeps its place (replication-v1 §10b, §13).
    ///
    /// Runs in the caller's transaction if there is one (an import), else in its own.
    public func becomeSuccessor(now: UInt64, cause: Succession.Cause = .hubHoldsMore) throws -> Succession {
        guard case .member(let partition) = role else {
            throw StoreError(.forbidden, Message(en: "Only a school computer is made a new node of its school.",
                                                 ru: "Новым узлом школы становится только школьный компьютер."))
        }
        let savedID = nodeID, savedCounter = counter
        do {
            return try database.transaction {
                try reloadClock()
                let old = nodeID
                // Its own changes: under this id and under the ids it wrote under before (a copy of a copy).
                let own = try lineage()
                // What the hub acknowledged of each id of its own. Of an earlier id, no more than
                // it had when this computer last became a successor: what the hub acknowledged
                // since under that id may be another copy's changes at the same numbers (§10b).
                let acknowledgedNow = try acknowledgedClock(of: hubID) ?? VectorClock()
                let pinned = try lineageAcknowledged()
                var acknowledged = acknowledgedNow
                for (id, kept) in pinned where kept < acknowledged[id] { acknowledged[id] = kept }
                let ownTimes = Dictionary(uniqueKeysWithValues: own.map { ($0, ChangeTimeLog(database, sender: $0)) })
                let limit = driftLimit(now: now)
                struct Unsent { var table: String, row: String, partition: String, field: String, register: RowState.Register }
                // Found before it wrote, it holds under the old id only the original's changes: it
                // carries over none of them.
                let carriesOver = !cause.foundBeforeWriting
                var unsent: [Unsent] = []
                if carriesOver {
                    var newestKept = HybridTimestamp.zero
                    try forEachRow { table, id, loaded in
                        for (field, register) in loaded.state.sortedFields {
                            // Not acknowledged by the hub, or stamped by a clock that ran ahead (no right clock took it).
                            let stamp = register.stamp
                            // Above a kept acknowledgement, only what this computer wrote: the hub
                            // may have sent it the original's changes at those numbers too.
                            let writtenHere = try pinned[stamp.node] == nil || stamp.counter > acknowledgedNow[stamp.node]
                                || ownTimes[stamp.node]?.time(of: stamp) == stamp.time.rawValue
                            if table != ReplicationSchema.nodesTable.name, own.contains(stamp.node), writtenHere,
                               stamp.counter > acknowledged[stamp.node] || stamp.time.milliseconds > limit {
                                unsent.append(Unsent(table: table, row: id, partition: loaded.partition ?? "", field: field, register: register))
                            } else if register.stamp.time.milliseconds <= limit {
                                newestKept = max(newestKept, register.stamp.time)
                            }
                        }
                    }
                    // The carried-over changes are stamped by the right clock, never by one that ran ahead.
                    if clock.last.milliseconds > limit {
                        clock = HybridLogicalClock(last: max(newestKept, try newestHistoryStamp(upTo: limit)), maxDrift: clock.maxDrift)
                    }
                }
                let name = try enrolledNode(old)?.name ?? old
                let new = Replica.successorID(of: old)
                try database.run("UPDATE parta_meta SET value = ? WHERE key = 'node_id'", [.text(new)])
                try database.run("UPDATE parta_meta SET value = 0 WHERE key = 'counter'")
                try database.run("INSERT OR REPLACE INTO parta_meta (key, value) VALUES ('predecessor', ?)", [.text(old)])
                try database.run("INSERT OR REPLACE INTO parta_meta (key, value) VALUES ('lineage', ?)", [.text(own.sorted().joined(separator: " "))])
                // Kept until the hub takes a bundle of the new id, which carries the changes above it.
                try setLineageAcknowledged(Dictionary(uniqueKeysWithValues: own.map { ($0, acknowledged[$0]) }))
                // Found by its hub, it wrote again under the new id all it wrote above that: the times
                // of those ids' changes are stated no more (the hub holds others at those numbers).
                if carriesOver {
                    let settled = try lineageFoundByHub().union(own)
                    try database.run("INSERT OR REPLACE INTO parta_meta (key, value) VALUES ('lineage_found_by_hub', ?)",
                                     [.text(settled.sorted().joined(separator: " "))])
                }
                // What the hub acknowledged was for the old id; the new one starts from nothing.
                try database.run("DELETE FROM parta_peer")
                // Of the old id's changes, this copy surely holds those the hub acknowledged; the
                // counters above may name other changes at the hub (the ones made after the copy
                // was taken), which must come back here: the clock says so.
                for id in own where carriesOver {
                    try database.run("UPDATE parta_clock SET ctr = min(ctr, ?) WHERE node = ?", [.integer(Int64(clamping: acknowledged[id])), .text(id)])
                }
                // The hub enrolled the old id (it holds its changes): the successor joins by its keys
                // (and keeps the code, for a hub restored from a backup older than the old id).
                nodeID = new
                counter = 0
                // A carried-over change is stamped one tick after the time it was written at: after
                // its old-id version, which it replaces here, and before any change made since (a
                // correction of a value the hub had taken from the original), which keeps its place.
                // Only a time from a clock that ran ahead is stamped anew. Times stay in counter order.
                var lastCarried = HybridTimestamp.zero
                func carriedTime(_ written: HybridTimestamp) -> HybridTimestamp {
                    if written.milliseconds > limit {
                        lastCarried = clock.tick(now: now)
                    } else {
                        lastCarried = HybridTimestamp(rawValue: max(written.rawValue, lastCarried.rawValue) + 1)
                        clock.advance(to: lastCarried)
                    }
                    return lastCarried
                }
                var groups: [String: [Change]] = [:], order: [String] = []
                for item in unsent.sorted(by: { $0.register.stamp < $1.register.stamp }) {
                    counter += 1
                    let change = Change(table: item.table, row: item.row, partition: item.partition, field: item.field,
                                        value: item.register.value, stamp: Stamp(time: carriedTime(item.register.stamp.time), node: new, counter: counter),
                                        replaced: item.register.replaced, seen: item.register.seen.map { seen in
                                            // Counters of its lineage above what the hub acknowledged may name
                                            // other changes there (the original's, after the copy): not seen.
                                            var latest = seen.latest
                                            for id in own where latest[id] > acknowledged[id] { latest[id] = acknowledged[id] }
                                            return SeenSet(latest: latest, through: seen.through)
                                        })
                    let key = item.table + "\u{0}" + item.row
                    if groups[key] == nil { order.append(key) }
                    groups[key, default: []].append(change)
                }
                for key in order { _ = try mergeRow(groups[key]![...], receivedAt: now) }
                try flushHistory(at: now)
                try recordOwnChangeTimes(groups.values.joined().map(\.stamp))
                // The clock as put right, stored before the record is written (a write reloads the
                // stored clock, which may still be the one that ran ahead).
                try database.run("UPDATE parta_meta SET value = ? WHERE key = 'hlc'", [.integer(Int64(bitPattern: clock.last.rawValue))])
                // Its record last, so that its counters and times grow together (§10b).
                try write(table: ReplicationSchema.nodesTable.name, row: new, partition: partition, values: [
                    "role": RecordedRole.member.value, "name": .text(name), "partition": .text(partition),
                    "signing_key": .text(keys.publicKeys.signingBase64), "sealing_key": .text(keys.publicKeys.sealingBase64)], now: now)
                try database.run("INSERT OR IGNORE INTO parta_origin (node) VALUES (?)", [.text(new)])
                try database.run("UPDATE parta_meta SET value = ? WHERE key = 'hlc'", [.integer(Int64(bitPattern: clock.last.rawValue))])
                try saveClock()
                return Succession(predecessor: old, successor: new, carriedOver: unsent.count, cause: cause)
            }
        } catch {
            nodeID = savedID
            counter = savedCounter
            throw error
        }
    }

    /// The identity of the database file this replica last wrote in (``recordFileIdentity(_:)``),
    /// if one was recorded: a copy of the folder carries it to a file of another identity.
    public func recordedFileIdentity() throws -> String? {
        try database.scalar("SELECT value FROM parta_meta WHERE key = 'file_identity'")?.textValue
    }

    /// Records the identity of the database file this replica is in (its file number), so that a
    /// copy of the folder, opened elsewhere, is told apart from the original (§10b). Local: not
    /// part of the exchange.
    public func recordFileIdentity(_ identity: String) throws {
        try database.run("INSERT OR REPLACE INTO parta_meta (key, value) VALUES ('file_identity', ?)", [.text(identity)])
    }

    /// The ids this node writes or wrote under: its own and, if it became a successor, every one
    /// before (§10b). Clock repair and successions treat their changes as its own.
    func lineage() throws -> Set<String> {
        let before = try database.scalar("SELECT value FROM parta_meta WHERE key = 'lineage'")?.textValue ?? ""
        return Set(before.split(separator: " ").map(String.init) + [nodeID])
    }

    /// What the hub had acknowledged of each id of this computer's lineage when it last became a
    /// successor, kept until the hub takes a bundle of its current id (§10b). Until then it sends
    /// its earlier ids' changes from there: if the folder it was made from was itself a copy nobody
    /// had found yet, the hub's acknowledgement since may count another copy's changes at the same
    /// numbers, and only the changes themselves let the hub tell. Empty when none is kept.
    func lineageAcknowledged() throws -> [String: UInt64] {
        let text = try database.scalar("SELECT value FROM parta_meta WHERE key = 'lineage_acknowledged'")?.textValue ?? ""
        var result: [String: UInt64] = [:]
        for entry in text.split(separator: " ") {
            let parts = entry.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let counter = UInt64(parts[1]) { result[String(parts[0])] = counter }
        }
        return result
    }

    /// The ids of this computer's lineage under which it was found a copy by its hub (§10b): what
    /// it wrote under them above the hub's acknowledgement it wrote again under a later id.
    func lineageFoundByHub() throws -> Set<String> {
        let text = try database.scalar("SELECT value FROM parta_meta WHERE key = 'lineage_found_by_hub'")?.textValue ?? ""
        return Set(text.split(separator: " ").map(String.init))
    }

    func setLineageAcknowledged(_ kept: [String: UInt64]) throws {
        if kept.isEmpty {
            try database.run("DELETE FROM parta_meta WHERE key = 'lineage_acknowledged'")
        } else {
            let text = kept.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            try database.run("INSERT OR REPLACE INTO parta_meta (key, value) VALUES ('lineage_acknowledged', ?)", [.text(text)])
        }
    }

    /// The id this node wrote under before it became a successor (§10b), if it did.
    public func predecessor() throws -> String? {
        try database.scalar("SELECT value FROM parta_meta WHERE key = 'predecessor'")?.textValue
    }

    /// The id of a copy's successor: the same prefix (`node-`) and 8 fresh random symbols.
    static func successorID(of old: String) -> String {
        let prefix = old.split(separator: "-").first.map(String.init) ?? "node"
        return prefix + "-" + RandomID.symbols(8)
    }

    // MARK: At the hub

    /// Whether `header`'s unknown sender is the successor of a member of its partition: it signs
    /// with the keys of an enrolled, unrevoked member of the same partition (a copy that became a
    /// new node keeps its keys). Returns those keys; its first bundle must carry its own record
    /// with them, as a new node's must.
    public func successorKeys(for header: ChangeSetHeader) throws -> NodePublicKeys? {
        guard role == .hub, let keys = header.senderKeys, try enrolledNode(header.sender) == nil else { return nil }
        let sharing = try nodes(partition: header.senderPartition).filter { $0.role == .member && $0.keys == keys }
        // A revoked computer's keys open nothing, under any id.
        guard !sharing.isEmpty, !sharing.contains(where: { $0.revokedAt != nil }) else { return nil }
        return keys
    }

    /// Whether some node holding `keys` was revoked: revocation goes with the keys, so that a
    /// successor (or an id a stolen computer made up) is revoked with its predecessor.
    func keysRevoked(_ keys: NodePublicKeys) throws -> Bool {
        try database.scalar("SELECT count(*) FROM nodes WHERE signing_key = ? AND revoked_at IS NOT NULL",
                            [.text(keys.signingBase64)])?.integerValue ?? 0 > 0
    }

    /// After a successor's first bundle: the hub stops waiting for its predecessors'
    /// acknowledgements (a copied-back folder's old id never answers again), until one of them
    /// sends again (a copy on a second computer that goes on working).
    func noteSuccession(of successor: String, partition: String, keys: NodePublicKeys) throws {
        for node in try nodes(partition: partition) where node.id != successor && node.role == .member && node.keys == keys {
            try database.run("INSERT OR REPLACE INTO parta_meta (key, value) VALUES (?, ?)", [.text("superseded:" + node.id), .text(successor)])
        }
    }

    /// The newest change this hub took from each computer of `partition` in its own bundles
    /// (header extension 10), in bytewise order of their ids, for computers neither revoked nor
    /// superseded by a successor: a computer whose own change at that counter differs is a copy
    /// of itself (§10b).
    func newestHeldChanges(of partition: String) throws -> [HeldChange] {
        // The newest ids first, at most ``newestHeldPerKey`` per computer (signing key): one that
        // makes up ids takes no room from its siblings.
        var held: [HeldChange] = []
        var perKey: [String: Int] = [:]
        for row in try database.rows("""
            SELECT h.node, h.ctr, h.hlc, n.signing_key FROM parta_high h JOIN nodes n ON n.id = h.node
            WHERE n.partition = ? AND n.role = 'member' AND n.revoked_at IS NULL AND h.ctr > 0 AND h.hlc <> 0
              AND NOT EXISTS (SELECT 1 FROM parta_meta m WHERE m.key = 'superseded:' || h.node)
            ORDER BY h.hlc DESC, h.node LIMIT ?
            """, [.text(partition), .integer(Int64(ChangeSetFormat.maxNewestHeld) * 4)]) {
            guard held.count < Int(ChangeSetFormat.maxNewestHeld) else { break }
            guard let node = row[0].textValue, let ctr = row[1].integerValue, let hlc = row[2].integerValue else { continue }
            let key = row[3].textValue ?? node
            guard perKey[key, default: 0] < Replica.newestHeldPerKey else { continue }
            perKey[key, default: 0] += 1
            held.append(HeldChange(node: node, counter: UInt64(ctr), time: HybridTimestamp(rawValue: UInt64(bitPattern: hlc))))
        }
        // A copy refused for its earlier id's changes, with no entry of its own: HLC 0, which
        // names no change, and its signing key's fingerprint as the counter, so that only the
        // computer that signed the refused bundle learns it is a copy (§10b).
        let named = Set(held.map(\.node))
        for row in try database.rows("SELECT node, signing_key FROM parta_refused_copy WHERE partition = ? ORDER BY refused_at DESC, node",
                                     [.text(partition)]) {
            guard held.count < Int(ChangeSetFormat.maxNewestHeld) else { break }
            guard let node = row[0].textValue, !named.contains(node), let signing = row[1].textValue.flatMap(Base64.decode) else { continue }
            held.append(HeldChange(node: node, counter: NodePublicKeys.fingerprintNumber(ofSigningKey: signing), time: .zero))
        }
        return held.sorted { $0.node.utf8.lexicographicallyPrecedes($1.node.utf8) }
    }

    /// How many ids of one computer (signing key) a hub names with their newest change
    /// (extension 10): its current id and a few before, the most recently written.
    static let newestHeldPerKey = 4

    /// How many refused copies a hub keeps per signing key (``Migrations/refusedCopies``): a
    /// computer with genuine keys can make up ids, but takes no room from its siblings.
    static let refusedCopiesPerKey = 4

    /// Notes, after refusing it, a bundle whose sender relayed changes of its computer's earlier
    /// id that differ from the ones this hub holds: the partition's next bundles name it
    /// (extension 10), since a computer that exchanges by stick hears no refusal.
    func noteRefusedCopy(_ header: ChangeSetHeader, now: UInt64) throws {
        guard role == .hub, let keys = header.senderKeys else { return }
        try database.transaction {
            try database.run("""
                INSERT INTO parta_refused_copy (node, partition, signing_key, refused_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (node) DO UPDATE SET refused_at = excluded.refused_at
                """, [.text(header.sender), .text(header.senderPartition), .text(keys.signingBase64), .integer(Int64(now))])
            try database.run("""
                DELETE FROM parta_refused_copy WHERE signing_key = ?1 AND node NOT IN
                    (SELECT node FROM parta_refused_copy WHERE signing_key = ?1 ORDER BY refused_at DESC, node LIMIT ?2)
                """, [.text(keys.signingBase64), .integer(Int64(Replica.refusedCopiesPerKey))])
        }
    }

    /// The other ids of the computer that sent `header`: members of its partition holding its
    /// keys (the ids it wrote under before it became a successor, §10b).
    func otherIDs(ofComputer header: ChangeSetHeader) throws -> Set<String> {
        guard let keys = header.senderKeys else { return [] }
        return Set(try database.rows("SELECT id FROM nodes WHERE partition = ? AND role = 'member' AND signing_key = ? AND id <> ?",
                                     [.text(header.senderPartition), .text(keys.signingBase64), .text(header.sender)])
            .compactMap { $0[0].textValue })
    }

    /// Called for every bundle a hub accepts: its sender answers again, so it is waited for again.
    func noteAnswered(by sender: String) throws {
        try database.run("DELETE FROM parta_meta WHERE key = ?", [.text("superseded:" + sender)])
        try database.run("DELETE FROM parta_refused_copy WHERE node = ?", [.text(sender)])
    }

    /// Members of `partition` whose successor answered since they last did (``noteSuccession(of:partition:keys:)``).
    func supersededMembers(of partition: String) throws -> Set<String> {
        Set(try database.rows("""
            SELECT substr(m.key, 12) FROM parta_meta m JOIN nodes n ON n.id = substr(m.key, 12)
            WHERE m.key GLOB 'superseded:*' AND n.partition = ?
            """, [.text(partition)]).compactMap { $0[0].textValue })
    }

    /// The highest counter this hub took from member `node`, with that change's HLC (§10b).
    func highestChange(of node: String) throws -> (counter: UInt64, time: HybridTimestamp)? {
        guard let row = try database.rows("SELECT ctr, hlc FROM parta_high WHERE node = ?", [.text(node)]).first,
              let ctr = row[0].integerValue, let hlc = row[1].integerValue else { return nil }
        return (UInt64(max(0, ctr)), HybridTimestamp(rawValue: UInt64(bitPattern: hlc)))
    }

    /// Refuses a new bundle from a member that holds fewer of its own changes than this hub: an
    /// older copy of itself (its folder copied back after it had sent more), whose next changes
    /// would reuse (node, counter) pairs this hub holds with other values. An old bundle taken in
    /// again (not newer than the last one from that node) is no copy and passes.
    func refuseOlderCopy(_ header: ChangeSetHeader, name: String) throws {
        let held = try vectorClock(of: [header.sender])[header.sender]
        guard held > header.upper[header.sender] else { return }
        let lastCreated = try database.scalar("SELECT created FROM parta_peer WHERE node = ?", [.text(header.sender)])?.integerValue
        guard header.created.rawValue > UInt64(bitPattern: lastCreated ?? 0) else { return }
        throw try olderCopyRefusal(header, held: held, name: name)
    }

    /// The refusal of a bundle from an older copy of its sender: `held` is the highest counter
    /// this hub holds from it, which the copy's counters reuse.
    func olderCopyRefusal(_ header: ChangeSetHeader, held: UInt64, name: String? = nil, earlierID: String? = nil) throws -> StoreError {
        if let earlier = earlierID {
            let name = try enrolledNode(earlier)?.name ?? earlier
            return StoreError(.olderCopy, Message(
                en: "Computer \(header.sender) (\(name)) sent change number \(held) of its earlier id \(earlier), and this hub holds that change with other content: the folder it was made from was itself an older copy (a disk image put back, say) that wrote at numbers the original had used. Nothing was changed. On that computer, import the hub's latest bundle for the school (or run `parta sync`): it then becomes a new computer of its school and keeps every edit.",
                ru: "Компьютер \(header.sender) («\(name)») прислал изменение № \(held) своего прежнего идентификатора \(earlier), а в управлении это изменение хранится с другим содержимым: папка, из которой он сделан, сама была старой копией (например, восстановленным образом диска) и писала под номерами, которые уже использовал оригинал. Ничего не изменено. На этом компьютере примите последний пакет управления для школы (или выполните `parta sync`): он станет новым компьютером школы и сохранит все правки."),
                context: ["node": header.sender, "held": String(held), "lineage": earlier])
        }
        let name = try name ?? enrolledNode(header.sender)?.name ?? header.sender
        return StoreError(.olderCopy, Message(
            en: "Computer \(header.sender) (\(name)) sent a bundle from an older copy of its data: it numbers its changes again from where the copy was taken, and this hub already holds its changes up to number \(held) with other content (its folder was copied back, or restored from a copy, after it had sent more). Nothing was changed. On that computer, import the hub's latest bundle for the school (or run `parta sync`): it then becomes a new computer of its school and keeps every edit.",
            ru: "Компьютер \(header.sender) («\(name)») прислал пакет из более старой копии своих данных: он снова нумерует изменения с того места, где была сделана копия, а в управлении уже есть его изменения до номера \(held) с другим содержимым (папку скопировали обратно или восстановили из копии после того, как он отправил больше). Ничего не изменено. На этом компьютере примите последний пакет управления для школы (или выполните `parta sync`): он станет новым компьютером школы и сохранит все правки."),
            context: ["node": header.sender, "held": String(held), "written": String(header.upper[header.sender])])
    }
}
