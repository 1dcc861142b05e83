import PartaCore

/// What applying one change set did.
public struct ApplyReport: Sendable, Equatable {
    /// Changes that now hold their field.
    public var applied = 0
    /// Changes this replica already held (a replayed or overlapping bundle).
    public var alreadyHad = 0
    /// Changes older than what this replica holds; kept in the history only.
    public var superseded = 0
    /// Conflicts this apply recorded, one per field, as ``Replica/conflicts()`` lists them.
    public var conflicts = 0
    /// Set when the bundle showed this member to be an older copy of itself, and it became a new
    /// node of its school before applying it (``Replica/becomeSuccessor(now:)``).
    public var succession: Succession?
    /// Whether the bundle started at or before this replica's clock for every origin it covers, so
    /// the clock could advance to the sender's. False means an earlier bundle is still missing.
    public var clockAdvanced = true
    public var total: Int { applied + alreadyHad + superseded }
    public init() {}
}

extension Replica {
    final class NodeCache {
        var records: [String: NodeRecordFacts?] = [:] { didSet { last = nil } }
        /// `partitions` rows (tiers), forgotten when a bundle changes one.
        var partitions: [String: (domain: String, kind: String)?] = [:]
        /// The record last asked for: consecutive changes usually share their origin.
        var last: (id: String, record: NodeRecordFacts?)?
    }

    /// Checks the sender's signature, opens the sealed payload and applies the change set in one
    /// transaction: every change, the clock advance, the peer's acknowledgement, history, conflicts
    /// and a consumed enrollment code commit together, or nothing does.
    ///
    /// - Throws: ``StoreError/Code/wrongRecipient`` if the set is for another node or partition;
    ///   ``StoreError/Code/notEnrolled`` / ``StoreError/Code/revoked`` if the sender may not send here;
    ///   ``PartaCoreError`` `.badSignature` / `.notForThisNode` if the signature fails or the payload does not open;
    ///   ``StoreError/Code/forbidden`` / ``StoreError/Code/unknownNode`` if any change was written
    ///   by a node without the right; ``StoreError/Code/invalidChange`` for a change outside the
    ///   schema; ``StoreError/Code/clockDriftTooLarge`` for a change stamped too far ahead;
    ///   ``PartaCoreError`` if the set's bytes are damaged. In every case nothing is changed.
    ///
    /// `via` says how the bundle came (`http`, or the file's path); it is kept with the exchange's
    /// record, for the hub's dashboard.
    public func apply(_ reader: ChangeSetReader, now: UInt64, via: String? = nil, batchSize: Int = 10_000,
                      progress: ((_ done: UInt64, _ total: UInt64) -> Void)? = nil) throws -> ApplyReport {
        let header = reader.header
        try checkRecipient(header)
        try checkFeatures(of: header)
        let savedClock = clock
        let savedCounter = counter
        let savedNodeID = nodeID
        do {
            return try database.transaction {
                // 1. Open: who sent it, may they send here, and the payload unsealed.
                let incoming = try open(reader, now: now)
                while let batch = try reader.nextBatch(maxCount: batchSize) {
                    for group in Replica.rowGroups(of: batch) {
                        // 2. Rights: every change of the row, before any of it is written.
                        try admit(group, incoming, now: now)
                        // 3. Merge: last writer wins per field, conflicts and history recorded.
                        incoming.merged(group, try mergeRow(group, receivedAt: now), in: self)
                    }
                    try recordBatch(batch, incoming, now: now)
                    progress?(incoming.done, header.changeCount)
                }
                try checkSenderClaims(incoming)
                // 4. Bookkeeping: clocks, acknowledgements, enrolment, the exchange's record.
                return try finish(incoming, now: now, via: via)
            }
        } catch {
            clock = savedClock
            counter = savedCounter
            nodeID = savedNodeID
            pendingHistory.entries.removeAll()
            // Nothing of the bundle was taken; the hub only notes whom to tell (§10b).
            if let refusal = error as? StoreError, refusal.code == .olderCopy, refusal.context["lineage"] != nil {
                try? noteRefusedCopy(header, now: now)
            }
            throw error
        }
    }

    /// What one apply has learned so far, carried from opening the bundle to its bookkeeping.
    final class Incoming {
        let header: ChangeSetHeader
        /// The sender, if this bundle enrols it (its code's proof checked).
        let admission: Admission?
        let standing: SenderStanding
        let cache = NodeCache()
        var report = ApplyReport()
        let conflictsBefore: Int64
        /// At a hub, a member's own changes must not reuse a counter with a later time (§10b).
        let checksCopies: Bool
        let senderHigh: (counter: UInt64, time: HybridTimestamp)?
        var newHigh: (counter: UInt64, time: HybridTimestamp)?
        let changeTimes: ChangeTimeLog
        /// At a hub, the other ids of the sender's computer (members of its partition with its
        /// keys: the ids it wrote under before it became a successor), whose changes it relays.
        var lineage: Set<String> = []
        /// The times of the changes of `lineage` ids this hub took, by id.
        var lineageTimes: [String: ChangeTimeLog] = [:]
        var touchedReferences = false
        var done: UInt64 = 0
        var newestReceived = HybridTimestamp.zero

        init(header: ChangeSetHeader, admission: Admission?, standing: SenderStanding, conflictsBefore: Int64,
             checksCopies: Bool, senderHigh: (counter: UInt64, time: HybridTimestamp)?, changeTimes: ChangeTimeLog) {
            self.header = header
            self.admission = admission
            self.standing = standing
            self.conflictsBefore = conflictsBefore
            self.checksCopies = checksCopies
            self.senderHigh = senderHigh
            self.newHigh = senderHigh
            self.changeTimes = changeTimes
        }

        func merged(_ group: ArraySlice<Change>, _ counts: MergeCounts, in replica: Replica) {
            report.applied += counts.applied
            report.alreadyHad += counts.duplicate
            report.superseded += counts.superseded
            let table = group.first!.table
            if table == ReplicationSchema.nodesTable.name { cache.records.removeAll() }
            if table == ReplicationSchema.partitionsTable.name { cache.partitions.removeAll() }
            if replica.isReferenceRelevant(table) { touchedReferences = true }
            if counts.applied > 0, case .member = replica.role, replica.isReferencedScope(table) {
                appliedReferenced[RowKey(table: table, row: group.first!.row), default: 0] += counts.applied
            }
        }

        struct RowKey: Hashable { var table: String, row: String }
        /// On a member, the changes applied per row of a referenced table (tasks, by their
        /// assignments): a row nothing here refers to is purged at the end of the apply, and its
        /// changes were not new here (an old bundle of a task since withdrawn from the school).
        var appliedReferenced: [RowKey: Int] = [:]
    }

    /// A release before seen sets refuses header extension 5 (a critical one it does not know).
    private func checkFeatures(of header: ChangeSetHeader) throws {
        if actsAsEarlierRelease, header.carriesSeenSets {
            throw StoreError(.invalidChange, Message(en: "The bundle needs a feature this Parta does not know (header extension 5). Update Parta, then import again.",
                                                     ru: "Пакету нужна возможность, неизвестная этой версии Parta (расширение заголовка 5). Обновите Parta и повторите импорт."))
        }
    }

    /// Checks the signature and the sender's right to send here, unseals the payload, and settles
    /// how its changes will be judged.
    private func open(_ reader: ChangeSetReader, now: UInt64) throws -> Incoming {
        let header = reader.header
        try reloadClock()
        let admission = try authenticateAndOpen(reader, now: now)
        // The hub holds more of this node's changes than it wrote: it is an older copy of
        // itself, and stops writing under that id before it takes anything in (§10b).
        let succession = try isOlderCopy(according: header) ? try becomeSuccessor(now: now) : nil
        // The hub took a bundle of this id, which carried its earlier ids' changes from where it
        // became a successor: the hub holds them as written here (§10b).
        if succession == nil, case .member = role, header.sender == hubID, header.upper[nodeID] > 0,
           try !lineageAcknowledged().isEmpty {
            try setLineageAcknowledged([:])
        }
        let conflictsBefore = try lastConflictID()
        let cache = NodeCache()
        let standing = try standing(of: header, cache: cache)
        var checksCopies = false
        if role == .hub, case .member = standing { checksCopies = true }
        let incoming = Incoming(header: header, admission: admission, standing: standing, conflictsBefore: conflictsBefore,
                                checksCopies: checksCopies, senderHigh: checksCopies ? try highestChange(of: header.sender) : nil,
                                changeTimes: ChangeTimeLog(database, sender: header.sender))
        incoming.report.succession = succession
        if checksCopies {
            incoming.lineage = try otherIDs(ofComputer: header)
            try checkOwnTimes(incoming)
            try checkLineageTimes(incoming)
        }
        return incoming
    }

    /// Checks the times a member states of its own changes it overwrote since (header extension
    /// 12) against the times of the changes this hub took at those counters, and keeps them: a copy that wrote other changes at the
    /// numbers the original used is refused, even when it sends only later numbers (§10b).
    private func checkOwnTimes(_ incoming: Incoming) throws {
        let header = incoming.header
        guard !header.ownTimes.isEmpty else { return }
        // By the exact time only: a change overwritten by a clock repair keeps the time of the
        // clock that ran ahead, later than changes of higher counters. Entries above the sender's
        // own clock, or without a time, say nothing.
        for entry in header.ownTimes where entry.counter <= header.upper[header.sender] && entry.time.rawValue != 0 {
            // The newest change the hub names to the school (extension 10) counts it: a copy whose
            // change at that number differs is told so by the hub's next bundle.
            if entry.counter > incoming.newHigh?.counter ?? 0 { incoming.newHigh = (entry.counter, entry.time) }
            if let held = try incoming.changeTimes.time(atCounter: entry.counter) {
                if held != entry.time.rawValue { throw try olderCopyRefusal(header, held: entry.counter) }
            } else {
                try incoming.changeTimes.record(Stamp(time: entry.time, node: header.sender, counter: entry.counter))
            }
        }
        try incoming.changeTimes.flush()
    }

    /// Checks the times a successor states of changes it wrote under its earlier ids and
    /// overwrote since (header extension 14) as the changes it relays are checked: one that
    /// differs from the time this hub took at that (id, counter) refuses the bundle; one it lacks
    /// is kept (§10b). Entries of an id that is not one of the sender's computer, above what the
    /// sender holds of it, or without a time, say nothing.
    private func checkLineageTimes(_ incoming: Incoming) throws {
        let header = incoming.header
        for lineage in header.lineageTimes where incoming.lineage.contains(lineage.node) {
            let log = incoming.lineageTimes[lineage.node] ?? ChangeTimeLog(database, sender: lineage.node)
            incoming.lineageTimes[lineage.node] = log
            for entry in lineage.times where entry.counter <= header.upper[lineage.node] && entry.time.rawValue != 0 {
                if let held = try log.time(atCounter: entry.counter) {
                    if held != entry.time.rawValue { throw try olderCopyRefusal(header, held: entry.counter, earlierID: lineage.node) }
                } else {
                    try log.record(Stamp(time: entry.time, node: lineage.node, counter: entry.counter))
                }
            }
            try log.flush()
        }
    }

    /// Consecutive changes of the same row: each is merged as one group.
    static func rowGroups(of batch: [Change]) -> [ArraySlice<Change>] {
        var groups: [ArraySlice<Change>] = []
        var start = batch.startIndex
        while start < batch.endIndex {
            var end = start + 1
            while end < batch.endIndex, batch[end].table.bytesEqual(batch[start].table),
                  batch[end].row.bytesEqual(batch[start].row) { end += 1 }
            groups.append(batch[start..<end])
            start = end
        }
        return groups
    }

    /// Refuses the whole bundle if any change of `group` may not be taken in: a stamp too far ahead or
    /// reused by a copy, a shape outside the schema, a writer without the right, a missing requirement.
    private func admit(_ group: ArraySlice<Change>, _ incoming: Incoming, now: UInt64) throws {
        let header = incoming.header
        for change in group {
            if change.stamp.node == header.sender { try checkChangeTime(change, header: header, log: incoming.changeTimes) }
            if incoming.checksCopies, change.stamp.node == header.sender {
                if let high = incoming.senderHigh, change.stamp.counter <= high.counter, change.stamp.time > high.time {
                    throw try olderCopyRefusal(header, held: high.counter)
                }
                if change.stamp.counter > incoming.newHigh?.counter ?? 0 { incoming.newHigh = (change.stamp.counter, change.stamp.time) }
            }
            // (Not an earlier id's own record: a clock repair writes it again in each copy, with
            // the same content; those versions merge as any register, replication-v1 §10b, §13.)
            if incoming.checksCopies, change.stamp.node != header.sender, incoming.lineage.contains(change.stamp.node),
               change.table != ReplicationSchema.nodesTable.name {
                try checkLineageChangeTime(change, incoming)
            }
            try validateShape(change, standing: incoming.standing, cache: incoming.cache)
            if try authorize(change, sender: header.sender, standing: incoming.standing, cache: incoming.cache), try !holdsAtLeast(change),
               try !restoredHubTakesBack(change) {
                throw forbidden(change, reason: "it is neither the sender's to write nor already held here")
            }
            incoming.newestReceived = max(incoming.newestReceived, change.stamp.time)
            do {
                try clock.receive(change.stamp.time, now: now, node: change.stamp.node)
            } catch let error as PartaCoreError {
                throw clockRefusal(error, change: change, header: header, now: now)
            }
        }
        // From the node above (trusted for everything), a row whose requirement this
        // replica lacks is taken as it comes: the hub believes it sent the required row
        // already, which a folder copied back may have lost (§8.1, §10b); it comes again.
        if incoming.standing != .above {
            do {
                try checkRequirements(of: group.first!)
            } catch let error as StoreError where error.code == .invalidChange {
                // A change this replica holds already brings nothing: a hub that sent it back to a
                // school (restored, it took a report on trust, §10a) takes it back again.
                guard try group.allSatisfy({ try holdsAtLeast($0) }) else { throw error }
            }
        }
    }

    /// After each batch: the origins seen, the history and change times of its changes.
    private func recordBatch(_ batch: [Change], _ incoming: Incoming, now: UInt64) throws {
        for origin in Replica.distinctOrigins(of: batch) {
            try database.run("INSERT OR IGNORE INTO parta_origin (node) VALUES (?)", [.text(origin)])
        }
        try flushHistory(at: now)
        try incoming.changeTimes.flush()
        for log in incoming.lineageTimes.values { try log.flush() }
        incoming.done += UInt64(batch.count)
    }

    /// What the header claims about its sender must match the records: a lower hub governs the
    /// domain it names, a member belongs to the partition it names.
    private func checkSenderClaims(_ incoming: Incoming) throws {
        let header = incoming.header
        if case .lowerHub(let domain) = incoming.standing, let sender = try enrolledNode(header.sender),
           sender.role != .hub || sender.domain != domain {
            throw StoreError(.forbidden, Message(
                en: "The bundle says it comes from the municipality \(domain), but its sender \(header.sender) does not govern it here. The whole bundle was refused; nothing was changed.",
                ru: "Пакет указывает отправителем муниципалитет \(domain), но узел \(header.sender) здесь им не управляет. Пакет отклонён целиком; ничего не изменено."),
                context: ["node": header.sender, "partition": domain])
        }
        if case .member = incoming.standing, let sender = try nodeRecord(header.sender, cache: incoming.cache), sender.partition != header.senderPartition {
            throw StoreError(.forbidden, Message(
                en: "The bundle says it comes from \(header.senderPartition), but its sender \(header.sender) belongs to \(sender.partition). The whole bundle was refused; nothing was changed.",
                ru: "Пакет указывает отправителем раздел \(header.senderPartition), но узел \(header.sender) относится к \(sender.partition). Пакет отклонён целиком; ничего не изменено."),
                context: ["node": header.sender, "partition": sender.partition])
        }
    }

    /// The bookkeeping of an apply whose every change was admitted and merged: enrolment, clocks,
    /// the sender's acknowledgement, what it no longer needs to resend, and the exchange's record.
    private func finish(_ incoming: Incoming, now: UInt64, via: String?) throws -> ApplyReport {
        let header = incoming.header
        var report = incoming.report
        if let enrolled = incoming.admission {
            try confirmEnrollment(of: header.sender, partition: header.senderPartition, keys: enrolled.keys, standing: incoming.standing)
            if role == .hub, enrolled.asSuccessor { try noteSuccession(of: header.sender, partition: header.senderPartition, keys: enrolled.keys) }
        }
        if role == .hub { try noteAnswered(by: header.sender) }
        // Every stamp taken in was within the drift bound: a clock put right later starts above them (§9.1).
        try database.run("""
            INSERT INTO parta_meta (key, value) VALUES ('received_max', ?)
            ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)
            """, [.integer(Int64(bitPattern: incoming.newestReceived.rawValue))])
        if incoming.checksCopies, let newHigh = incoming.newHigh, newHigh.counter != incoming.senderHigh?.counter {
            try database.run("INSERT OR REPLACE INTO parta_high (node, ctr, hlc) VALUES (?, ?, ?)",
                             [.text(header.sender), .integer(Int64(newHigh.counter)), .integer(Int64(bitPattern: newHigh.time.rawValue))])
        }
        if incoming.touchedReferences {
            try purgeUnreferencedRows()
            // Changes to rows out of this member's scope, taken in and purged again, show nothing
            // new: counted as older than what it holds (the withdrawal), not as new changes.
            for (key, count) in incoming.appliedReferenced where try !rowExists(table: key.table, row: key.row) {
                report.applied -= count
                report.superseded += count
            }
        }
        report.clockAdvanced = try advanceClock(with: header, standing: incoming.standing, cache: incoming.cache)
        try noteReconciliation(from: header.sender, base: header.base)
        // A bundle's `created` is not drift-checked: one made while the sender's clock ran
        // ahead must not make its next, rightly dated bundles look older than it (§9.1).
        let createdCap = HybridTimestamp(milliseconds: min(driftLimit(now: now), UInt64.max >> 16), logical: 0)
        try recordAcknowledgement(from: header.sender, clock: header.upper, created: min(header.created, createdCap),
                                  reads: header.reads ?? [], now: now)
        try noteEnrollmentConfirmed(by: header)
        // A bundle that starts from nothing but this node's own changes, written for all this
        // node reads that the sender reads too, holds everything the sender had for it: no
        // more need to ask (§6.1). A sender holds no rows of tables it does not read, and one
        // of the earlier release (no extension 8) never had anything to leave out.
        if header.writtenFor.map({ $0.isSuperset(of: ReadFeatures.current.intersection(header.reads ?? [])) }) ?? true,
           header.base.counters.keys.allSatisfy({ $0.bytesEqual(nodeID) }) {
            try database.run("DELETE FROM parta_resync WHERE peer = ?", [.text(header.sender)])
        }
        report.conflicts = Int(try database.scalar("SELECT count(*) FROM parta_conflict WHERE id > ?",
                                                   [.integer(incoming.conflictsBefore)])?.integerValue ?? 0)
        try saveClock()
        try database.run("INSERT INTO parta_exchange (direction, peer, bundle, changes, at, path) VALUES ('in', ?, ?, ?, ?, ?)",
                         [.text(header.sender), .text(header.bundleIDHex), .integer(Int64(header.changeCount)), .integer(Int64(now)),
                          via.map { .text($0) } ?? .null])
        return report
    }

    private func lastConflictID() throws -> Int64 {
        try database.scalar("SELECT coalesce(max(id), 0) FROM parta_conflict")?.integerValue ?? 0
    }

    /// Whether `tableName` is a referenced table (its rows live on a member while a row refers to them).
    func isReferencedScope(_ tableName: String) -> Bool {
        schema.tables.contains { table in
            if case .referenced = table.scope { return table.name == tableName }
            return false
        }
    }

    func isReferenceRelevant(_ tableName: String) -> Bool {
        schema.tables.contains { table in
            if case .referenced(let via, _) = table.scope { return via == tableName || table.name == tableName }
            return false
        }
    }

    func checkRecipient(_ header: ChangeSetHeader) throws {
        let forMe: Bool
        switch header.recipient {
        case .node(let id): forMe = id == nodeID
        case .partition(let p):
            if case .member(let mine) = role { forMe = p.utf8.elementsEqual(mine.utf8) } else { forMe = domain.map { p.bytesEqual($0) } ?? false }
        }
        guard forMe, header.sender != nodeID else {
            let mine = role == .hub ? "hub \(nodeID)" : "\(role.partition)"
            throw StoreError(.wrongRecipient, Message(
                en: header.sender == nodeID
                    ? "This bundle was written by this very computer; it is meant for the other side. Nothing was changed."
                    : "This bundle is meant for \(header.recipient), not for \(mine). Nothing was changed; give it to its recipient.",
                ru: header.sender == nodeID
                    ? "Этот пакет выгружен на этом же компьютере и предназначен для другой стороны. Ничего не изменено."
                    : "Этот пакет предназначен для \(Replica.recipientText(header.recipient)), а не для \(mine). Ничего не изменено; передайте его адресату."),
                context: ["recipient": header.recipient.description, "sender": header.sender])
        }
        if case .member = role, header.sender != hubID {
            throw StoreError(.unknownNode, Message(
                en: "This bundle comes from node \(header.sender), not from the hub \(hubID) this replica trusts. Nothing was changed.",
                ru: "Этот пакет выгружен узлом \(header.sender), а не узлом \(hubID), которому доверяет эта база. Ничего не изменено."),
                context: ["sender": header.sender, "hub": hubID])
        }
        if role == .hub, case .partition = header.recipient, let upstream, header.sender != upstream.id {
            throw StoreError(.unknownNode, Message(
                en: "This bundle comes from node \(header.sender), not from the upper hub \(upstream.id) this hub reports to. Nothing was changed.",
                ru: "Этот пакет выгружен узлом \(header.sender), а не вышестоящим управлением \(upstream.id). Ничего не изменено."),
                context: ["sender": header.sender, "hub": upstream.id])
        }
    }

    static func recipientText(_ recipient: Recipient) -> String {
        switch recipient {
        case .node(let id): return "узла \(id)"
        case .partition(let p): return "раздела \(p)"
        }
    }

    private func validateShape(_ change: Change, standing: SenderStanding, cache: NodeCache?) throws {
        guard let table = schema.table(named: change.table) else { throw Replica.unknownTable(change.table) }
        // A release without the table's feature did not know the table.
        if actsAsEarlierRelease, !table.feature.isEmpty { throw Replica.unknownTable(change.table) }
        guard change.field == Change.deletedField || table.hasColumn(change.field) else {
            throw Replica.unknownField(change.table, change.field)
        }
        if let violation = table.ruleViolation(of: change) { throw Replica.broken(violation, partition: change.partition) }
        let ok: Bool
        switch table.scope {
        case .everywhere: ok = change.partition == Change.everywhere
        case .referenced: ok = change.partition == Change.unpartitioned
        case .partitioned:
            ok = !change.partition.isEmpty && (change.partition != Change.everywhere || table.name == ReplicationSchema.nodesTable.name)
        }
        guard ok, change.table != ReplicationSchema.partitionsTable.name || change.row.bytesEqual(change.partition) else {
            throw StoreError(.invalidChange, Message(
                en: "Record \(change.row) of \(change.table) has a partition that does not fit its table.",
                ru: "Запись \(change.row) таблицы \(change.table) отнесена к разделу, недопустимому для этой таблицы."),
                context: ["table": change.table, "row": change.row])
        }
        if case .member(let mine) = role, ![mine, Change.everywhere, Change.unpartitioned].contains(where: { $0.bytesEqual(change.partition) }) {
            throw StoreError(.forbidden, Message(
                en: "The bundle holds data of \(change.partition), which does not belong on this computer (\(mine)). Nothing was changed.",
                ru: "Пакет содержит данные \(change.partition), которым не место на этом компьютере (\(mine)). Ничего не изменено."),
                context: ["partition": change.partition, "row": change.row])
        }
        if role == .hub, standing == .above, let domain, change.partition != Change.everywhere, !change.partition.isEmpty,
           try !governs(domain: domain, partition: change.partition, cache: cache) {
            throw StoreError(.forbidden, Message(
                en: "The upper hub's bundle holds data of \(change.partition), which is not this municipality's (\(domain)). Nothing was changed.",
                ru: "Пакет вышестоящего управления содержит данные \(change.partition), не относящиеся к этому муниципалитету (\(domain)). Ничего не изменено."),
                context: ["partition": change.partition, "row": change.row])
        }
    }

    /// Refuses a change its origin node may not write (``WriteRights``, over this replica's facts).
    ///
    /// - Returns: true for a change that is not news its sender may bring: it passes only if this
    ///   replica already holds it or something newer (``holdsAtLeast(_:)``), as an echo.
    func authorize(_ change: Change, sender: String, standing: SenderStanding, cache: NodeCache?) throws -> Bool {
        try WriteRights(schema: schema).check(change, sender: sender, standing: standing, facts: ReplicaFacts(replica: self, cache: cache))
    }

    func forbidden(_ change: Change, reason: String) -> StoreError { WriteRights.forbidden(change, reason: reason) }

    /// What an apply reads of a node record: its role, partition and keys.
    typealias NodeRecordFacts = (role: RecordedRole?, partition: String, signingKey: String?, sealingKey: String?)

    func nodeRecord(_ id: String, cache: NodeCache?) throws -> NodeRecordFacts? {
        if let last = cache?.last, last.id == id { return last.record }
        if let cached = cache?.records[id] {
            cache?.last = (id, cached)
            return cached
        }
        let row = try database.rows("SELECT role, partition, signing_key, sealing_key FROM nodes WHERE id = ?", [.text(id)]).first
        let record = row.map { (role: RecordedRole(stored: $0[0]), partition: $0[1].textValue ?? "", signingKey: $0[2].textValue, sealingKey: $0[3].textValue) }
        cache?.records[id] = record
        return record
    }

    /// Advances this replica's clock per origin where the bundle starts at or before it.
    /// A hub advances only origins of the sender's partition, or of a lower hub's domain (the
    /// sender's scope is smaller than the hub's); a member, or a lower hub hearing from its upper
    /// hub, advances every origin it reports.
    ///
    /// Reads and writes only the entries of the origins the bundle names (a hub's clock has one
    /// per node of its district, which every sync used to read and rewrite). With the hub→partition
    /// delta reading only its partition's entries, this halved a sync at a hub of 500 schools
    /// (parta-bench row 7, in-process: 500 syncs in 0.92–1.08 s before, 0.48–0.52 s after).
    private func advanceClock(with header: ChangeSetHeader, standing: SenderStanding, cache: NodeCache) throws -> Bool {
        let local = try vectorClock(of: header.upper.counters.keys.filter { $0 != nodeID })
        var complete = true
        for (origin, upper) in header.upper.counters where origin != nodeID {
            switch standing {
            case .above: break
            case .member(let partition):
                guard let record = try nodeRecord(origin, cache: cache), record.partition == partition else { continue }
            case .lowerHub(let domain):
                // The lower hub's clock speaks for itself and for its schools' nodes, nobody else.
                if origin != header.sender {
                    guard let record = try nodeRecord(origin, cache: cache), record.role == .member,
                          try governs(domain: domain, partition: record.partition, cache: cache) else { continue }
                }
            }
            guard header.base[origin] <= local[origin] else { complete = false; continue }
            if upper > local[origin] {
                try database.run("INSERT INTO parta_clock (node, ctr) VALUES (?, ?) ON CONFLICT (node) DO UPDATE SET ctr = excluded.ctr",
                                 [.text(origin), .integer(Int64(upper))])
            }
        }
        if header.upper[nodeID] > counter { counter = header.upper[nodeID] }
        return complete
    }

    /// Refuses a change of the sender's own whose counter this node took before with another time:
    /// a second copy of the sender's folder wrote it (§10b). At a hub the sender then becomes a
    /// successor; at a school, two computers run the hub, which only its office can settle.
    func checkChangeTime(_ change: Change, header: ChangeSetHeader, log: ChangeTimeLog) throws {
        if let held = try log.time(of: change.stamp) {
            guard held != change.stamp.time.rawValue else { return }
            if role == .hub { throw try olderCopyRefusal(header, held: change.stamp.counter) }
            throw StoreError(.hubCopies, Message(
                en: "The hub \(header.sender) sent its change number \(change.stamp.counter) twice, with two different times: two copies of the hub's data are in use. Nothing was changed. Tell the municipal office: only one computer may run the hub (to move it, copy its folder and stop the old one).",
                ru: "Управление \(header.sender) прислало своё изменение № \(change.stamp.counter) дважды, с разным временем: используются две копии данных управления. Ничего не изменено. Сообщите в управление образования: управление может работать только на одном компьютере (чтобы перенести, скопируйте папку и остановите старый)."),
                context: ["node": header.sender, "counter": String(change.stamp.counter)])
        }
        try log.record(change.stamp)
    }

    /// Refuses a change of an earlier id of the sender's computer (a successor relays what it
    /// wrote before) whose counter this hub took with another time: the folder the successor was
    /// made from was itself a copy nobody had found yet (a disk image put back, mark and all), and
    /// wrote at numbers the original used too (§10b). A time this hub lacks is kept, so that the
    /// other copy is found whichever comes second.
    private func checkLineageChangeTime(_ change: Change, _ incoming: Incoming) throws {
        let origin = change.stamp.node
        let log = incoming.lineageTimes[origin] ?? ChangeTimeLog(database, sender: origin)
        incoming.lineageTimes[origin] = log
        guard let held = try log.time(of: change.stamp) else { return try log.record(change.stamp) }
        guard held != change.stamp.time.rawValue else { return }
        throw try olderCopyRefusal(incoming.header, held: change.stamp.counter, earlierID: origin)
    }

    /// The times of one sender's own changes, for one apply, 64 counters a row
    /// (``Migrations/changeTimes``): the rows touched are kept in memory and written back by
    /// ``flush()``, so an apply of new changes costs a row per 64 of them.
    final class ChangeTimeLog {
        private let database: Database
        private let sender: String
        private var blocks: [UInt64: [UInt64]] = [:]
        private var dirty: Set<UInt64> = []
        private var lastDirty: UInt64?

        init(_ database: Database, sender: String) {
            self.database = database
            self.sender = sender
        }

        private func block(_ index: UInt64) throws -> [UInt64] {
            if let cached = blocks[index] { return cached }
            var times = [UInt64](repeating: 0, count: 64)
            let find = try database.statement("SELECT times FROM parta_change_time WHERE node = ? AND block = ?")
            try find.bind(text: sender, at: 1)
            try find.bind(.integer(Int64(bitPattern: index)), at: 2)
            if try find.step() {
                let bytes = find.bytes(at: 0)
                for slot in 0..<min(64, bytes.count / 8) {
                    times[slot] = bytes[(slot * 8)..<(slot * 8 + 8)].reduce(0) { $0 << 8 | UInt64($1) }
                }
            }
            find.reset()
            blocks[index] = times
            return times
        }

        /// The HLC recorded for `stamp`'s counter, as raw bits; nil if none.
        func time(of stamp: Stamp) throws -> UInt64? {
            try time(atCounter: stamp.counter)
        }

        /// The HLC recorded for `counter`, as raw bits; nil if none.
        func time(atCounter counter: UInt64) throws -> UInt64? {
            let held = try block(counter / 64)[Int(counter % 64)]
            return held == 0 ? nil : held
        }

        func record(_ stamp: Stamp) throws {
            let index = stamp.counter / 64
            if blocks[index] == nil { _ = try block(index) }
            blocks[index]![Int(stamp.counter % 64)] = stamp.time.rawValue   // in place: no copy of the row
            if index != lastDirty {
                dirty.insert(index)
                lastDirty = index
            }
        }

        /// Writes back the rows changed.
        func flush() throws {
            let upsert = try database.statement("""
                INSERT INTO parta_change_time (node, block, times) VALUES (?, ?, ?)
                ON CONFLICT (node, block) DO UPDATE SET times = excluded.times
                """)
            for index in dirty.sorted() {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(512)
                for time in blocks[index]! { for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: time >> UInt64(shift))) } }
                upsert.rewind()
                try upsert.bind(text: sender, at: 1)
                try upsert.bind(.integer(Int64(bitPattern: index)), at: 2)
                try upsert.bind(bytes: bytes, at: 3)
                while try upsert.step() {}
            }
            dirty.removeAll()
            lastDirty = nil
        }
    }

    /// What `peer` holds, as its last bundle taken in states, and what it reads, as any of its
    /// bundles did: a node's features only grow (an old stick imported late must not make a
    /// peer look as if it read less, which would leave rows out for good; replication-v1 §6.1).
    private func recordAcknowledgement(from peer: String, clock peerClock: VectorClock, created: HybridTimestamp,
                                       reads: ReadFeatures, now: UInt64) throws {
        let s = try database.statement("""
            INSERT INTO parta_peer (node, clock, created, seen_at, reads) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (node) DO UPDATE SET clock = excluded.clock, created = max(created, excluded.created), seen_at = excluded.seen_at,
                reads = reads | excluded.reads
            """)
        try s.bind([.text(peer), .null, .integer(Int64(bitPattern: created.rawValue)), .integer(Int64(now)), .integer(Int64(bitPattern: reads.rawValue))])
        try s.bind(bytes: peerClock.encoded, at: 2)
        while try s.step() {}
    }

    /// The features `peer` declared it reads in any bundle taken in (0 for a peer heard from
    /// before this release recorded them). A peer never heard from is taken to read what this
    /// node reads: a new computer runs at least its hub's release, and one that does not is
    /// refused its first bundle with a plain "update Parta" (replication-v1 §6.1).
    public func features(readBy peer: String) throws -> ReadFeatures {
        guard let recorded = try database.scalar("SELECT reads FROM parta_peer WHERE node = ?", [.text(peer)])?.integerValue else {
            return .current
        }
        return ReadFeatures(rawValue: UInt64(bitPattern: recorded))
    }

    /// The clock `peer` last reported holding, or nil if it never sent a bundle here.
    public func acknowledgedClock(of peer: String) throws -> VectorClock? {
        let s = try database.statement("SELECT clock FROM parta_peer WHERE node = ?")
        try s.bind([.text(peer)])
        guard try s.step() else { return nil }
        let bytes = s.bytes(at: 0)
        s.reset()
        return try VectorClock(encoded: bytes)
    }

    /// A bundle stamped too far ahead of this computer's clock, said from the user's side: at a
    /// school, the likelier fault (this computer's clock behind) first, then the other; a hub
    /// names the computer whose clock is ahead.
    private func clockRefusal(_ error: PartaCoreError, change: Change, header: ChangeSetHeader, now: UInt64) -> StoreError {
        guard case .member = role, header.sender == hubID else { return StoreError(.clockDriftTooLarge, error.message, context: error.context) }
        let here = CivilTime.iso8601(milliseconds: now), there = CivilTime.iso8601(milliseconds: change.stamp.time.milliseconds)
        return StoreError(.clockDriftTooLarge, Message(
            en: "This computer's clock reads \(here), but the hub (\(header.sender)) wrote this bundle at \(there). Most likely the clock here is behind: set the right date and time on this computer, then import again. If this computer's date is right, the hub's clock is ahead: tell the municipal office. Nothing was changed.",
            ru: "Часы этого компьютера показывают \(here), а управление (\(header.sender)) записало этот пакет в \(there). Скорее всего, здесь отстают часы: установите на этом компьютере верные дату и время и повторите приём. Если дата здесь верна, спешат часы управления: сообщите в управление образования. Ничего не изменено."),
            context: error.context.merging(["clock": "behind"]) { $1 })
    }
}
