import PartaCore

extension Replica {
    /// The change set this node owes `recipient`: every change in the recipient's scope that the
    /// clock it last acknowledged does not cover (cumulative, so a lost bundle costs only bytes).
    ///
    /// A member sends to its hub (``Recipient/node(_:)``); a hub sends to a partition
    /// (``Recipient/partition(_:)``), starting from the smallest clock any of that partition's
    /// nodes acknowledged, or from nothing while a code for a new node of it is open. A row of a referenced table travels whole when a row that refers to it
    /// travels, so a task assigned long after it was written still arrives complete.
    ///
    /// Cost grows with the number of changes sent and of nodes in the recipient's scope, not with
    /// the size of the database: every query walks an index from the acknowledged counter.
    public func outgoingChanges(for recipient: Recipient, now: UInt64, bundleID: [UInt8]) throws -> (header: ChangeSetHeader, changes: [Change]) {
        try database.transaction {
            try reloadClock()
            let created = clock.tick(now: now)
            try saveClock()
            let base: VectorClock
            let upper: VectorClock
            var changes: [Change] = []
            var senderPartition = role.partition
            // What every node that will take this bundle in reads (§6.1).
            var recipientReads: ReadFeatures = []
            // Whether a node taking this bundle in owes this one everything (§6.1): then `upper`
            // says nothing of other origins, so the next bundle it sends here starts from nothing.
            var asksForEverything = false
            // To a school's computers: the newest change of each that this hub holds (§10b).
            var newestHeld: [HeldChange] = []
            var ownTimes: [OwnChangeTime] = []
            var lineageTimes: [LineageTimes] = []
            switch (role, recipient) {
            case (.member, .node(let hub)) where hub == hubID:
                var acknowledged = try acknowledgedClock(of: hubID) ?? VectorClock()
                // A successor sends its earlier ids' changes from where it became one, until its
                // hub takes a bundle of it: the hub checks them (§10b).
                for (id, kept) in try lineageAcknowledged() where kept < acknowledged[id] { acknowledged[id] = kept }
                base = acknowledged
                upper = try vectorClock()
                recipientReads = try features(readBy: hubID)
                asksForEverything = try isResyncing(with: [hubID])
                for origin in try origins() {
                    for part in [role.partition, Change.everywhere, Change.unpartitioned] {
                        changes += try changedRegisters(partition: part, origin: origin, since: base[origin])
                    }
                }
            case (.hub, .node(let upperHub)) where upperHub == upstream?.id:
                // A lower hub to its upper hub: like a member to its hub, over every partition of its domain.
                guard let domain else { throw StoreError(.wrongRecipient, Message(en: "This hub has no domain.", ru: "У этого управления нет домена.")) }
                base = try acknowledgedClock(of: upperHub) ?? VectorClock()
                upper = try vectorClock()
                recipientReads = try features(readBy: upperHub)
                asksForEverything = try isResyncing(with: [upperHub])
                let parts = try partitions(ofDomain: domain) + [Change.everywhere, Change.unpartitioned]
                for origin in try origins() {
                    for part in parts { changes += try changedRegisters(partition: part, origin: origin, since: base[origin]) }
                }
                senderPartition = domain
            case (.hub, .partition(let domain)) where try isDomain(domain, cache: nil):
                // An upper hub to a lower hub's domain: the hub→partition delta over all its partitions.
                let parts = try partitions(ofDomain: domain)
                var relevant: Set<String> = [nodeID, hubID]
                for row in try database.rows("SELECT id, role, partition FROM nodes") {
                    guard let id = row[0].textValue else { continue }
                    if RecordedRole(stored: row[1]) == .hub || parts.contains(where: { $0.bytesEqual(row[2].textValue ?? "") }) { relevant.insert(id) }
                }
                let hubs = try database.rows("SELECT id FROM nodes WHERE role = 'hub' AND domain = ? AND revoked_at IS NULL", [.text(domain)])
                    .compactMap { $0[0].textValue }
                var acknowledged: [VectorClock] = []
                for hub in hubs { acknowledged.append(try acknowledgedClock(of: hub) ?? VectorClock()) }
                // A hub joining with an open code has acknowledged nothing: it starts from the whole domain.
                if try hasOpenEnrollmentCode(partition: domain, now: now) { acknowledged.append(VectorClock()) }
                recipientReads = try commonFeatures(readBy: hubs)
                asksForEverything = try isResyncing(with: hubs)
                base = VectorClock(VectorClock.pointwiseMinimum(acknowledged).counters.filter { relevant.contains($0.key) })
                // Most of the clock is relevant here (every hub, every node of the domain): read it whole.
                upper = VectorClock(try vectorClock().counters.filter { relevant.contains($0.key) })
                changes = try hubDelta(partitions: parts, base: base, origins: relevant)
            case (.hub, .partition(let partition)):
                let relevant = try relevantOrigins(for: partition)
                // A revoked node never answers again: its last acknowledgement must not hold the others back.
                // Nor does a copied-back folder's old id, once its successor has answered (§10b).
                let superseded = try supersededMembers(of: partition)
                let members = try database.rows("SELECT id FROM nodes WHERE partition = ? AND role = 'member' AND revoked_at IS NULL",
                                                [.text(partition)]).compactMap { $0[0].textValue }.filter { !superseded.contains($0) }
                var acknowledged: [VectorClock] = []
                for member in members { acknowledged.append(try acknowledgedClock(of: member) ?? VectorClock()) }
                // A computer joining with an open code has acknowledged nothing: its first bundle
                // must hold the school's whole state, not a delta over what its siblings hold.
                if try hasOpenEnrollmentCode(partition: partition, now: now) { acknowledged.append(VectorClock()) }
                recipientReads = try commonFeatures(readBy: members)
                asksForEverything = try isResyncing(with: members)
                base = VectorClock(VectorClock.pointwiseMinimum(acknowledged).counters.filter { relevant.contains($0.key) })
                var advertised = try vectorClock(of: relevant)
                // Until every member node of every school has answered: what one school carries back
                // (a task, a notice) may be another school's too, and must reach it (§10a).
                if let k = try restoredAt(unreconciledIn: nil) { advertised[nodeID] = min(advertised[nodeID], k) }
                upper = advertised
                newestHeld = try newestHeldChanges(of: partition)
                changes = try hubDelta(partitions: [partition], base: base, origins: relevant)
            default:
                throw StoreError(.wrongRecipient, Message(
                    en: "This node (\(role)) does not send bundles to \(recipient).",
                    ru: "Этот узел (\(role)) не отправляет пакеты адресату \(recipient)."), context: ["recipient": recipient.description])
            }
            // A release before features used none (for tests of mixed districts).
            if actsAsEarlierRelease { recipientReads = [] }
            // Tables a recipient does not read stay out: a release without them refuses a bundle naming them.
            let unread = Set(schema.tables.filter { !recipientReads.isSuperset(of: $0.feature) }.map(\.name))
            if !unread.isEmpty { changes.removeAll { unread.contains($0.table) } }
            // To its hub, from a school computer: the times of its own changes the bundle does not carry (§10b).
            if case .member = role, case .node(let hub) = recipient, hub == hubID {
                ownTimes = try ownTimesNotCarried(after: base[nodeID], through: upper[nodeID], carried: changes)
                lineageTimes = try lineageTimesNotCarried(upper: upper, carried: changes)
            }
            let order = Dictionary(uniqueKeysWithValues: schema.tables.enumerated().map { ($1.name, $0) })
            changes.sort {
                let (l, r) = (order[$0.table] ?? 0, order[$1.table] ?? 0)
                if l != r { return l < r }
                if !$0.row.utf8.elementsEqual($1.row.utf8) { return $0.row.utf8.lexicographicallyPrecedes($1.row.utf8) }
                return $0.field.utf8.lexicographicallyPrecedes($1.field.utf8)
            }
            let stated = asksForEverything ? VectorClock([nodeID: upper[nodeID]]) : upper
            var header = ChangeSetHeader(bundleID: bundleID, created: created, sender: nodeID, senderPartition: senderPartition,
                                         recipient: recipient, base: base, upper: stated, changeCount: UInt64(changes.count))
            header.reads = advertisedReads
            header.writtenFor = actsAsEarlierRelease ? nil : recipientReads
            header.carriesSeenSets = recipientReads.contains(.seenSets)
            if !actsAsEarlierRelease {
                header.newestHeld = newestHeld
                header.ownTimes = ownTimes
                header.lineageTimes = lineageTimes
            }
            if !header.carriesSeenSets {
                for i in changes.indices { changes[i].seen = nil }
            }
            return (header, changes)
        }
    }

    /// Encodes ``outgoingChanges(for:now:bundleID:)`` as bundle bytes, sealed to whoever may open
    /// it (``sealRecipients(for:)``) and signed with this node's key, and, unless `recording` is
    /// false, records the export (what `parta status` shows as the last one). A caller that may
    /// still fail to deliver the bytes (a stick that cannot be written, a hub that cannot be
    /// reached) passes `recording: false` and calls ``recordExport(of:now:)`` once they arrived.
    ///
    /// - Throws: ``StoreError/Code/noRecipient`` if no node (and no enrollment code) could open it.
    public func exportBundle(for recipient: Recipient, now: UInt64, bundleID: [UInt8], recording: Bool = true) throws -> (header: ChangeSetHeader, bytes: [UInt8]) {
        let recipients = try sealRecipients(for: recipient, now: now)
        var (header, changes) = try outgoingChanges(for: recipient, now: now, bundleID: bundleID)
        let writer = try ChangeSetWriter(header: header)
        try writer.append(contentsOf: changes)
        let proof = try enrollmentProofToSend(to: recipient)
        let bytes = try writer.finish(signedBy: keys, sealedFor: recipients, enrollmentProof: proof)
        header = writer.header
        if recording { try recordExport(of: header, now: now) }
        return (header, bytes)
    }

    /// Records that the bundle with `header` left this node (written to a stick, or taken by the hub).
    public func recordExport(of header: ChangeSetHeader, now: UInt64) throws {
        try database.run("INSERT INTO parta_exchange (direction, peer, bundle, changes, at) VALUES ('out', ?, ?, ?, ?)",
                         [.text(header.recipient.description), .text(header.bundleIDHex), .integer(Int64(header.changeCount)), .integer(Int64(now))])
    }

    /// `(?, ?, …)` with `count` parameters, for an SQL `IN` list.
    static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }

    /// Whether this replica wrote the bundle whose id is `bundleIDHex` (its exchange log says so).
    public func hasExported(bundleIDHex: String) throws -> Bool {
        try database.scalar("SELECT 1 FROM parta_exchange WHERE direction = 'out' AND bundle = ?", [.text(bundleIDHex)]) != nil
    }

    /// Whether this node still asks one of `peers` for everything (§6.1, `parta_resync`).
    private func isResyncing(with peers: [String]) throws -> Bool {
        for peer in peers where try database.scalar("SELECT 1 FROM parta_resync WHERE peer = ?", [.text(peer)]) != nil { return true }
        return false
    }

    /// The features every one of `nodes` reads (``features(readBy:)``).
    private func commonFeatures(readBy nodes: [String]) throws -> ReadFeatures {
        var result = ReadFeatures.current
        for node in nodes { result.formIntersection(try features(readBy: node)) }
        return result
    }

    private func origins() throws -> [String] {
        try database.rows("SELECT node FROM parta_origin ORDER BY node").compactMap { $0[0].textValue }
    }

    /// Hubs and the partition's own members: the only nodes that can write in its scope.
    private func relevantOrigins(for partition: String) throws -> Set<String> {
        var result: Set<String> = [nodeID, hubID]
        for row in try database.rows("SELECT id FROM nodes WHERE role = 'hub' OR partition = ?", [.text(partition)]) {
            if let id = row[0].textValue { result.insert(id) }
        }
        return result
    }

    private func hubDelta(partitions: [String], base: VectorClock, origins: Set<String>) throws -> [Change] {
        // Keyed by bytes, not by String: canonically equivalent ids are different rows.
        var byKey: [[UInt8]: Change] = [:]
        func add(_ list: [Change]) { for c in list { byKey[Array(c.table.utf8) + [0] + Array(c.row.utf8) + [0] + Array(c.field.utf8)] = c } }
        var direct: [Change] = []
        let inPartitions = Replica.placeholders(partitions.count)
        for origin in origins.sorted() {
            for part in partitions + [Change.everywhere] {
                direct += try changedRegisters(partition: part, origin: origin, since: base[origin])
            }
            for table in schema.tables {
                guard case .referenced(let via, let column) = table.scope else { continue }
                add(try changedRegisters(partition: Change.unpartitioned, origin: origin, since: base[origin], table: table.name,
                                         extraCondition: "EXISTS (SELECT 1 FROM \"\(via)\" v WHERE v.\"\(column)\" = o.row AND v._part IN \(inPartitions))",
                                         extraArguments: partitions.map { .text($0) }))
            }
        }
        add(direct)
        // Scope entry: a referring row that travels drags the whole current referenced row along.
        for table in schema.tables {
            guard case .referenced(let via, let column) = table.scope else { continue }
            let referring = Dictionary(direct.filter { $0.table == via }.map { (Array($0.row.utf8), $0.row) }, uniquingKeysWith: { a, _ in a })
            for row in referring.values {
                guard let target = try database.scalar("SELECT \"\(column)\" FROM \"\(via)\" WHERE id = ?", [.text(row)])?.textValue else { continue }
                add(try rowChanges(table: table.name, row: target))
            }
        }
        return Array(byKey.values)
    }

    /// Fields of `partition` whose winning change was made by `origin` after counter `since`, found
    /// through the delta index (both its parts, see ``Migrations``, each walked from `since`) and
    /// re-checked against the rows' registers. `extraCondition` may refer to `o.tbl` and `o.row`.
    func changedRegisters(partition: String, origin: String, since: UInt64, table: String? = nil,
                          extraCondition: String? = nil, extraArguments: [Value] = []) throws -> [Change] {
        var condition = "o.part = ? AND o.origin = ? AND o.ctr > ?"
        var arguments: [Value] = [.text(partition), .text(origin), .integer(Int64(since))]
        if let table { condition += " AND o.tbl = ?"; arguments.append(.text(table)) }
        if let extraCondition { condition += " AND " + extraCondition; arguments += extraArguments }
        // Rows whose primary origin is `origin`, table by table (the subquery is flattened, so each
        // walks its table's delta index), then rows where `origin` is another of their origins.
        var sources: [String] = []
        for t in schema.tables where table.map({ $0 == t.name }) ?? true {
            let literal = "'" + t.name.replacingOccurrences(of: "'", with: "''") + "'"
            sources.append("(SELECT \(literal) AS tbl, id AS row, _part AS part, _origin AS origin, _ctr AS ctr FROM \"\(t.name)\")")
        }
        sources.append("parta_row_origin")
        var seen: Set<[UInt8]> = []
        var result: [Change] = []
        for source in sources {
            for r in try database.rows("SELECT o.tbl, o.row FROM \(source) o WHERE " + condition, arguments) {
                let (tbl, row) = (r[0].textValue ?? "", r[1].textValue ?? "")
                // A row may be found in both parts (an entry left from before its origin became primary).
                guard seen.insert(Array(tbl.utf8) + [0] + Array(row.utf8)).inserted else { continue }
                result += try rowChanges(table: tbl, row: row) {
                    $0.stamp.node.utf8.elementsEqual(origin.utf8) && $0.stamp.counter > since
                }
            }
        }
        return result
    }

    /// The registers of one row as changes, those that pass `include`.
    func rowChanges(table: String, row: String, include: (RowState.Register) -> Bool = { _ in true }) throws -> [Change] {
        let loaded = try loadRow(table: table, row: row)
        guard let partition = loaded.partition else { return [] }
        return loaded.state.sortedFields.filter { include($0.register) }.map {
            Change(table: table, row: row, partition: partition, field: $0.field, value: $0.register.value,
                   stamp: $0.register.stamp, replaced: $0.register.replaced, seen: $0.register.seen)
        }
    }
}
