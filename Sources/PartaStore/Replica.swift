import PartaCore

/// A node's replica: an SQLite file holding the replicated tables of a ``ReplicationSchema``,
/// this node's identity and clocks, and the bookkeeping of what peers have acknowledged.
///
/// Guarantees:
/// - Every local write and every applied change set is one SQLite transaction: after a crash
///   the file holds the state before it or after it, never between.
/// - Applying change sets is idempotent and order-independent: replicas that applied the same
///   changes hold identical registers and application rows (``canonicalDump(partition:)``).
/// - No change is applied that its origin node may not write (see ``ReplicatedTable/Writers``),
///   and a change set holding one such change is refused whole.
///
/// Not thread-safe: use one `Replica` per thread or process. Several processes may open the same
/// file; SQLite serialises their writes.
public final class Replica {
    /// The replica's SQLite file. Package-wide, not public: Parta's own queries live in
    /// PartaRecords, beside the store, and nothing else in the package writes SQL (`.ci/check-sql`).
    package let database: Database
    public let schema: ReplicationSchema
    public internal(set) var nodeID: String
    public let role: NodeRole
    /// The hub this node trusts: its own id on a hub, the hub named at creation on a member.
    public let hubID: String
    /// This node's private keys: it signs what it writes and opens what is sealed to it.
    public let keys: NodeKeys
    /// On a hub under another hub (a municipality under its region): that hub, fixed when this
    /// hub joined it (``joinUpstream(_:code:now:)``); nil otherwise.
    public internal(set) var upstream: TrustedHub?
    /// On a hub under another hub: the partition it governs there as a whole (its domain).
    public internal(set) var domain: String?
    var clock: HybridLogicalClock
    var counter: UInt64
    let tableSQL: [String: TableSQL]
    /// Applied changes not yet written to the history (``flushHistory(at:)``).
    var pendingHistory = PendingHistory()
    /// Set when the user confirmed that a hub's clock, far past every change the hub holds, is
    /// right (after a long break): ``write(table:row:partition:values:now:)`` then stamps with it.
    public var acceptsClockJump = false
    /// For tests of mixed districts: this replica writes and declares what a release before seen
    /// sets did (no seen sets on its writes, no `reads` extension), as a node not yet upgraded.
    var actsAsEarlierRelease = false
    /// What this node declares it reads in every bundle it sends (replication-v1 §6.1).
    /// For tests of mixed districts: a node of a release that reads these features only (nil: this release's).
    var readsOfEarlierRelease: ReadFeatures?
    var advertisedReads: ReadFeatures? { actsAsEarlierRelease ? nil : readsOfEarlierRelease ?? .current }

    private init(database: Database, schema: ReplicationSchema, nodeID: String, role: NodeRole, hubID: String,
                 keys: NodeKeys, clock: HybridLogicalClock, counter: UInt64) {
        self.keys = keys
        self.database = database
        self.schema = schema
        self.nodeID = nodeID
        self.role = role
        self.hubID = hubID
        self.clock = clock
        self.counter = counter
        self.tableSQL = Dictionary(uniqueKeysWithValues: schema.tables.map { ($0.name, TableSQL($0)) })
    }

    /// Creates a new replica file for a node.
    ///
    /// A member names the hub it trusts (`trustedHub`: its id and public keys); it accepts bundles
    /// signed by that key only. A member that joins with an enrollment code keeps the code until the
    /// hub has enrolled it (see ``enrollmentCode``). The node's own record (`nodes` table, with its
    /// public keys) is written as its first change.
    ///
    /// - Throws: ``StoreError/Code/alreadyExists`` if `path` already holds a replica.
    /// The schema version of replicas this release creates and migrates to (`parta_meta`);
    /// a replica of a later one is refused.
    public static var schemaVersion: Int64 { Migrations.currentVersion }

    public static func create(at path: String, schema: ReplicationSchema, nodeID: String, role: NodeRole,
                              name: String, keys: NodeKeys, trustedHub: TrustedHub? = nil, enrollmentCode: EnrollmentCode? = nil,
                              now: UInt64, maxDrift: UInt64 = HybridLogicalClock.defaultMaxDrift) throws -> Replica {
        let hubID = trustedHub?.id
        if case .member = role, (hubID ?? "").isEmpty {
            throw StoreError(.invalidChange, Message(
                en: "A member replica must name the hub it trusts.", ru: "Для узла-участника нужно указать его узел-концентратор."))
        }
        let database = try Database(path: path)
        if try database.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'parta_meta'")?.integerValue ?? 0 > 0 {
            throw StoreError(.alreadyExists, Message(
                en: "A Parta replica already exists at \(path). Use it, or choose another place.",
                ru: "В \(path) уже есть база Parta. Используйте её или выберите другое место."),
                context: ["path": path])
        }
        let trustedHubID: String
        switch role {
        case .hub: trustedHubID = nodeID
        case .member: trustedHubID = hubID ?? ""
        }
        try database.transaction {
            try database.execute(Migrations.version1)
            try database.execute(Migrations.version2)
            try database.execute(Migrations.highestChanges)
            try Migrations.addEnrollmentColumns(in: database)
            try Migrations.addPeerReads(in: database)
            try database.execute(Migrations.resync)
            try database.execute(Migrations.changeTimes)
            try database.execute(Migrations.refusedCopies)
            try database.execute(Migrations.applicationTables(schema))
            try database.execute(Migrations.applicationIndexes(schema))
            var meta: [(String, Value)] = [
                ("schema_version", .integer(Migrations.currentVersion)), ("node_id", .text(nodeID)),
                ("role", (role == .hub ? RecordedRole.hub : .member).value), ("partition", .text(role.partition)),
                ("hub_id", .text(trustedHubID)), ("hlc", .integer(0)), ("counter", .integer(0)),
                ("max_drift", .integer(Int64(maxDrift))),
            ]
            if let trustedHub, case .member = role {
                meta += [("hub_signing_key", .text(trustedHub.keys.signingBase64)), ("hub_sealing_key", .text(trustedHub.keys.sealingBase64))]
                if let enrollmentCode { meta.append(("enrollment_code", .text(EnrollmentCodeVault(keys: keys).seal(enrollmentCode)))) }
            }
            for (key, value) in meta {
                try database.run("INSERT INTO parta_meta (key, value) VALUES (?, ?)", [.text(key), value])
            }
            try Migrations.upgradeLocalTables(schema.local, in: database)
        }
        let replica = Replica(database: database, schema: schema, nodeID: nodeID, role: role, hubID: trustedHubID,
                              keys: keys, clock: HybridLogicalClock(maxDrift: maxDrift), counter: 0)
        let record: [String: Value] = ["role": (role == .hub ? RecordedRole.hub : .member).value, "name": .text(name),
                                       "partition": .text(role.partition), "signing_key": .text(keys.publicKeys.signingBase64),
                                       "sealing_key": .text(keys.publicKeys.sealingBase64)]
        try replica.write(table: "nodes", row: nodeID, partition: role.partition, values: record, now: now)
        return replica
    }

    /// Opens an existing replica.
    ///
    /// - Throws: ``StoreError/Code/notFound`` if there is none at `path`;
    ///   ``StoreError/Code/schemaTooNew`` if a newer Parta wrote it.
    public static func open(at path: String, schema: ReplicationSchema, keys: NodeKeys) throws -> Replica {
        let database: Database
        do {
            database = try Database(path: path, create: false)
        } catch {
            throw StoreError(.notFound, Message(
                en: "There is no Parta replica at \(path). Create one first, or open the right file.",
                ru: "В \(path) нет базы Parta. Сначала создайте её или откройте нужный файл."),
                context: ["path": path])
        }
        func meta(_ key: String) throws -> Value? {
            try database.scalar("SELECT value FROM parta_meta WHERE key = ?", [.text(key)])
        }
        guard try database.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'parta_meta'")?.integerValue ?? 0 > 0,
              let nodeID = try meta("node_id")?.textValue else {
            throw StoreError(.notFound, Message(
                en: "The file \(path) is not a Parta replica.",
                ru: "Файл \(path) не является базой Parta."), context: ["path": path])
        }
        let version = try meta("schema_version")?.integerValue ?? 0
        guard version <= Migrations.currentVersion else {
            throw StoreError(.schemaTooNew, Message(
                en: "The replica \(path) was written by a newer Parta (schema \(version)). Update Parta on this computer.",
                ru: "База \(path) записана более новой версией Parta (схема \(version)). Обновите Parta на этом компьютере."),
                context: ["path": path])
        }
        try database.execute(Migrations.version2)
        try database.execute(Migrations.highestChanges)
        try Migrations.addEnrollmentColumns(in: database)
        try Migrations.addPeerReads(in: database)
        try database.execute(Migrations.resync)
        try database.execute(Migrations.changeTimes)
        try database.execute(Migrations.refusedCopies)
        try database.execute(Migrations.applicationTables(schema))
        try Migrations.addMissingColumns(schema, in: database)
        try database.execute(Migrations.applicationIndexes(schema))
        try Migrations.upgradeLocalTables(schema.local, in: database)
        if version < Migrations.currentVersion {
            // Its peers left out the tables of release 2, which it did not read: it asks each for everything once.
            try database.run("INSERT OR IGNORE INTO parta_resync (peer) SELECT node FROM parta_peer")
            try database.run("UPDATE parta_meta SET value = ? WHERE key = 'schema_version'", [.integer(Migrations.currentVersion)])
        }
        let partition = try meta("partition")?.textValue ?? ""
        let role: NodeRole = try meta("role")?.textValue == "hub" ? .hub : .member(partition: partition)
        let clock = HybridLogicalClock(last: HybridTimestamp(rawValue: UInt64(bitPattern: try meta("hlc")?.integerValue ?? 0)),
                                       maxDrift: UInt64(try meta("max_drift")?.integerValue ?? Int64(HybridLogicalClock.defaultMaxDrift)))
        let replica = Replica(database: database, schema: schema, nodeID: nodeID, role: role,
                              hubID: try meta("hub_id")?.textValue ?? "", keys: keys, clock: clock,
                              counter: UInt64(try meta("counter")?.integerValue ?? 0))
        if let id = try meta("upstream_id")?.textValue,
           let upstreamKeys = NodePublicKeys(signingBase64: try meta("upstream_signing_key")?.textValue,
                                             sealingBase64: try meta("upstream_sealing_key")?.textValue) {
            replica.upstream = TrustedHub(id: id, keys: upstreamKeys)
            replica.domain = try meta("domain")?.textValue
        }
        try replica.sealLegacyEnrollmentCodes()
        return replica
    }

    /// The largest hybrid timestamp this node has issued or accepted.
    public var lastTimestamp: HybridTimestamp { clock.last }

    /// How far ahead of the received changes' allowed drift a received timestamp may be (ms).
    public var maxDrift: UInt64 { clock.maxDrift }

    /// Takes up the clock and counter as stored: another instance of this replica (another window,
    /// another process) may have moved them on. Called at the start of every write transaction.
    func reloadClock() throws {
        // Another process on this replica may have made it a successor (§10b): its id comes first.
        if let stored = try database.scalar("SELECT value FROM parta_meta WHERE key = 'node_id'")?.textValue, !stored.bytesEqual(nodeID) {
            nodeID = stored
            counter = 0
        }
        let stored = try database.rows("SELECT key, value FROM parta_meta WHERE key IN ('hlc', 'counter')")
        for row in stored {
            let value = UInt64(bitPattern: row[1].integerValue ?? 0)
            if row[0] == "hlc" { clock.advance(to: HybridTimestamp(rawValue: value)) } else { counter = max(counter, value) }
        }
    }

    /// Stores the clock and counter; never moves either back.
    func saveClock() throws {
        try database.run("UPDATE parta_meta SET value = max(value, ?) WHERE key = 'hlc'", [.integer(Int64(bitPattern: clock.last.rawValue))])
        try database.run("UPDATE parta_meta SET value = max(value, ?) WHERE key = 'counter'", [.integer(Int64(counter))])
        try database.run("INSERT INTO parta_clock (node, ctr) VALUES (?, ?) ON CONFLICT (node) DO UPDATE SET ctr = max(ctr, excluded.ctr)",
                         [.text(nodeID), .integer(Int64(counter))])
    }

    /// This replica's vector clock (see ``VectorClock`` for what it promises).
    public func vectorClock() throws -> VectorClock {
        var vc = VectorClock()
        for row in try database.rows("SELECT node, ctr FROM parta_clock") {
            if let node = row[0].textValue, let ctr = row[1].integerValue { vc[node] = UInt64(ctr) }
        }
        return vc
    }

    /// The entries of ``vectorClock()`` for `nodes` only. A hub's clock holds a row per node of
    /// its district; a sync with one school needs the few in the school's scope.
    func vectorClock<Nodes: Sequence>(of nodes: Nodes) throws -> VectorClock where Nodes.Element == String {
        var vc = VectorClock()
        for node in nodes {
            if let ctr = try database.scalar("SELECT ctr FROM parta_clock WHERE node = ?", [.text(node)])?.integerValue { vc[node] = UInt64(ctr) }
        }
        return vc
    }

    /// A local value of the engine's key-value bookkeeping (never replicated).
    public func localSetting(_ key: String) throws -> String? {
        try database.scalar("SELECT value FROM parta_meta WHERE key = ?", [.text("app." + key)])?.textValue
    }

    public func setLocalSetting(_ key: String, _ value: String) throws {
        try database.run("INSERT INTO parta_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         [.text("app." + key), .text(value)])
    }
}
