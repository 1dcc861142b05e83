import PartaCore

/// Tiers (Protocol/replication-v1.md §12): a hub may sit under another hub (a municipality under
/// its region). Toward its schools it is their hub; toward the upper hub it is a **lower hub**
/// governing one partition there as a whole, its **domain**, and every partition it claims in the
/// `partitions` table (its schools).
///
/// Guarantees:
/// - The upper hub accepts from a lower hub only data of the partitions that lower hub governs,
///   written by itself or by its schools' nodes; a partition already claimed by another domain
///   stays refused, so a municipality cannot write another municipality's data.
/// - Anything else a lower hub relays (the upper hub's own changes, other hubs' records) is
///   accepted only if the receiver already holds it or something newer: an echo, never news.
/// - The lower hub accepts from its upper hub, signed by the key it joined with, only data of its
///   own domain, `*` and referenced rows.
extension Replica {
    func standing(of header: ChangeSetHeader, cache: NodeCache?) throws -> SenderStanding {
        if case .member = role { return .above }
        if let upstream, header.sender == upstream.id { return .above }
        if try isDomain(header.senderPartition, cache: cache) { return .lowerHub(domain: header.senderPartition) }
        return .member(partition: header.senderPartition)
    }

    /// The `partitions` row of `id`: which domain governs it and its kind.
    func partitionRecord(_ id: String, cache: NodeCache?) throws -> (domain: String, kind: String)? {
        if let cached = cache?.partitions[id] { return cached }
        let row = try database.rows("SELECT domain, kind FROM partitions WHERE id = ?", [.text(id)]).first
        let record = row.map { (domain: $0[0].textValue ?? "", kind: $0[1].textValue ?? "") }
        cache?.partitions[id] = record
        return record
    }

    /// Whether a lower hub governs `partition` here as a whole.
    func isDomain(_ partition: String, cache: NodeCache?) throws -> Bool {
        try partitionRecord(partition, cache: cache)?.kind == PartitionKind.domain
    }

    /// Whether data of `partition` belongs to the hub of `domain`: the domain itself, or a
    /// partition that hub claimed.
    func governs(domain: String, partition: String, cache: NodeCache?) throws -> Bool {
        if partition.bytesEqual(domain) { return true }
        guard let record = try partitionRecord(partition, cache: cache) else { return false }
        return record.domain.bytesEqual(domain) && record.kind != PartitionKind.domain
    }

    /// The partitions of a domain: the domain itself and every partition claimed for it, sorted bytewise.
    public func partitions(ofDomain domain: String) throws -> [String] {
        var result = [domain]
        for row in try database.rows("SELECT id FROM partitions WHERE domain = ? AND kind <> ?", [.text(domain), .text(PartitionKind.domain)]) {
            if let id = row[0].textValue, !id.bytesEqual(domain) { result.append(id) }
        }
        return result.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Values of the `partitions` table's `kind`.
    public enum PartitionKind {
        /// Governed as a whole by a lower hub (a municipality under its region).
        public static let domain = "domain"
        /// A member partition (a school).
        public static let member = "member"
    }

    // MARK: Upper hub

    /// Registers `id` as a domain a lower hub will govern, and issues the one-time code with
    /// which that hub joins (``joinUpstream(_:code:now:)`` on its side).
    public func addDomain(_ id: String, name: String, now: UInt64) throws -> EnrollmentCode {
        guard role == .hub else { throw onlyHubs() }
        if let record = try partitionRecord(id, cache: nil), record.kind != PartitionKind.domain {
            throw StoreError(.alreadyExists, Message(
                en: "\(id) is already a school here; choose another id for the municipality.",
                ru: "\(id) уже используется здесь как школа; выберите для муниципалитета другой идентификатор."), context: ["partition": id])
        }
        try write(table: ReplicationSchema.partitionsTable.name, row: id, partition: id, values: [
            "domain": .text(domain ?? ""), "kind": .text(PartitionKind.domain), "name": .text(name)], now: now)
        return try issueEnrollmentCode(partition: id, now: now)
    }

    /// Claims, for this hub's domain, every partition this hub holds member data of and has not
    /// claimed yet, so that its upper hub accepts their data. A hub without an upper hub claims
    /// them for itself (domain empty), which keeps a lower hub from claiming them later.
    ///
    /// - Returns: the partitions claimed now.
    @discardableResult
    public func claimPartitions(_ partitions: [String], now: UInt64) throws -> [String] {
        guard role == .hub else { return [] }
        var claimed: [String] = []
        try database.transaction {
            for partition in partitions where partition != Change.everywhere && !partition.isEmpty {
                if let domain, partition.bytesEqual(domain) { continue }
                if let record = try partitionRecord(partition, cache: nil) {
                    // Already ours; or claimed by a lower hub, which a top hub leaves alone. A hub
                    // that just joined takes over the partitions it had claimed as a top hub.
                    if record.domain == (domain ?? "") || !record.domain.isEmpty || domain == nil { continue }
                }
                try write(table: ReplicationSchema.partitionsTable.name, row: partition, partition: partition, values: [
                    "domain": .text(domain ?? ""), "kind": .text(PartitionKind.member)], now: now)
                claimed.append(partition)
            }
        }
        return claimed
    }

    // MARK: Lower hub

    /// Joins this hub to an upper hub: `reader` holds the upper hub's bundle for the domain this
    /// hub will govern, sealed to the one-time `code` the upper hub issued for it. Opening it
    /// with the code authenticates the upper hub's keys, which become this hub's trust anchor for
    /// everything from above; the bundle is then applied. All in one transaction.
    ///
    /// - Throws: ``StoreError/Code/alreadyExists`` if this hub already has an upper hub;
    ///   ``StoreError/Code/invalidChange`` for a bundle that is not an upper hub's domain bundle;
    ///   ``PartaCoreError`` `.badSignature` / `.notForThisNode` if the code does not open it.
    public func joinUpstream(_ reader: ChangeSetReader, code: EnrollmentCode, now: UInt64) throws -> ApplyReport {
        guard role == .hub else { throw onlyHubs() }
        if let upstream {
            throw StoreError(.alreadyExists, Message(
                en: "This hub already reports to \(upstream.id) (domain \(domain ?? "")).",
                ru: "Это управление уже подчинено узлу \(upstream.id) (домен \(domain ?? ""))."))
        }
        let header = reader.header
        guard case .partition(let newDomain) = header.recipient, header.senderPartition == Change.everywhere,
              let upstreamKeys = header.senderKeys, header.sender != nodeID else {
            throw StoreError(.invalidChange, Message(
                en: "This is not an upper hub's bundle for a municipality; ask the region to export the bundle for yours.",
                ru: "Это не пакет вышестоящего управления для муниципалитета; попросите регион выгрузить пакет для вашего."))
        }
        do {
            return try database.transaction {
                for (key, value) in [("upstream_id", header.sender), ("upstream_signing_key", upstreamKeys.signingBase64),
                                     ("upstream_sealing_key", upstreamKeys.sealingBase64), ("upstream_code", codeVault.seal(code)),
                                     ("domain", newDomain)] {
                    try database.run("INSERT INTO parta_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                     [.text(key), .text(value)])
                }
                upstream = TrustedHub(id: header.sender, keys: upstreamKeys)
                domain = newDomain
                let report = try apply(reader, now: now)
                try write(table: ReplicationSchema.nodesTable.name, row: nodeID, partition: Change.everywhere,
                          values: ["domain": .text(newDomain)], now: now)
                try claimPartitions(try memberPartitions(), now: now)
                return report
            }
        } catch {
            upstream = nil
            domain = nil
            throw error
        }
    }

    /// The code this lower hub joined with, kept until its upper hub has enrolled it.
    func upstreamCode() throws -> EnrollmentCode? {
        try database.scalar("SELECT value FROM parta_meta WHERE key = 'upstream_code'")?.textValue.flatMap(codeVault.open)
    }

    /// Every partition of this hub's member nodes and schools-like rows: the partitions it holds
    /// other than `*`, the empty one and its own domain.
    public func memberPartitions() throws -> [String] {
        var result: Set<String> = []
        for table in schema.tables where table.scope == .partitioned && table.name != ReplicationSchema.partitionsTable.name {
            for row in try database.rows("SELECT DISTINCT _part FROM \"\(table.name)\"") {
                if let p = row[0].textValue, p != Change.everywhere, !p.isEmpty, p != domain { result.insert(p) }
            }
        }
        return result.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private func onlyHubs() -> StoreError {
        StoreError(.forbidden, Message(en: "Only a hub has municipalities or an upper hub.", ru: "Муниципалитеты и вышестоящее управление бывают только у управления."))
    }

    // MARK: Rights from a lower hub

    /// ``WriteRights`` for a change in a lower hub's bundle (or one this hub, under a region, is about to write).
    func authorizeFromLowerHub(_ change: Change, sender: String, domain: String, cache: NodeCache?) throws -> Bool {
        try WriteRights(schema: schema).check(change, sender: sender, standing: .lowerHub(domain: domain), facts: ReplicaFacts(replica: self, cache: cache))
    }

    /// Whether a lower hub may write a row of a table hubs write: one that is new here, or one it
    /// wrote before. A row written only by others (the region's task, the region's assignment of
    /// it) is not its to change.
    func ownsRow(_ change: Change, writer: String) throws -> Bool {
        let loaded = try loadRow(table: change.table, row: change.row)
        if loaded.partition == nil { return true }
        return loaded.state.sortedFields.contains { $0.register.stamp.node == writer }
    }

    /// The nodes whose changes the row's registers hold (live or deleted row); empty if there is no such row.
    public func writers(ofRow row: String, in table: String) throws -> Set<String> {
        Set(try loadRow(table: table, row: row).state.sortedFields.map(\.register.stamp.node))
    }

    /// Whether this replica already holds `change` or something newer in its register: relaying
    /// it changes nothing, so any sender may.
    func holdsAtLeast(_ change: Change) throws -> Bool {
        guard let held = try loadRow(table: change.table, row: change.row).state[change.field] else { return false }
        return held.stamp >= change.stamp
    }
}

/// A replica's answers to ``RightsFacts``, through the apply's cache of node records and claims.
struct ReplicaFacts: RightsFacts {
    let replica: Replica
    let cache: Replica.NodeCache?

    var nodeID: String { replica.nodeID }
    var hubID: String { replica.hubID }
    var upstreamID: String? { replica.upstream?.id }

    func record(of node: String) throws -> NodeFacts? {
        try replica.nodeRecord(node, cache: cache).map { NodeFacts(role: $0.role, partition: $0.partition, signingKey: $0.signingKey, sealingKey: $0.sealingKey) }
    }

    func partition(_ id: String) throws -> (domain: String, kind: String)? {
        try replica.partitionRecord(id, cache: cache)
    }

    func governs(domain: String, partition: String) throws -> Bool {
        try replica.governs(domain: domain, partition: partition, cache: cache)
    }

    func ownsRow(_ change: Change, writer: String) throws -> Bool {
        try replica.ownsRow(change, writer: writer)
    }
}
