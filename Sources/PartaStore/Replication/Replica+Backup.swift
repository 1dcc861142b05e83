import Foundation
import PartaCore
#if canImport(Glibc)
import Glibc
private let systemOpen: @Sendable (UnsafePointer<CChar>, Int32, mode_t) -> Int32 = { Glibc.open($0, $1, $2) }
#elseif canImport(Darwin)
import Darwin
private let systemOpen: @Sendable (UnsafePointer<CChar>, Int32, mode_t) -> Int32 = { Darwin.open($0, $1, $2) }
#endif

extension Replica {
    /// The hub's counter at the backup it was restored from, while some member node (of
    /// `partition`, or of any partition for nil) has not yet answered since the restore, or a
    /// code of it is open (a computer may have joined with it after the backup, which the
    /// restored hub does not know yet); nil otherwise. Revoked nodes and copies' old ids, which
    /// never answer again, do not count.
    func restoredAt(unreconciledIn partition: String?) throws -> UInt64? {
        guard role == .hub, let k = try database.scalar("SELECT value FROM parta_meta WHERE key = 'restored_at'")?.integerValue else { return nil }
        let pending = try database.scalar("""
            SELECT count(*) FROM nodes n WHERE n.role = 'member' AND (?1 IS NULL OR n.partition = ?1) AND n.revoked_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM parta_meta m WHERE m.key = 'reconciled:' || n.id)
            AND NOT EXISTS (SELECT 1 FROM parta_meta m WHERE m.key = 'superseded:' || n.id)
            """, [partition.map { .text($0) } ?? .null])?.integerValue ?? 0
        // The newest stamp stands for "now": a restored hub's clock may be off, and this runs where no time is given.
        let codeOpen = try hasOpenEnrollmentCode(partition: partition, now: clock.last.milliseconds)
        return pending > 0 || codeOpen ? UInt64(k) : nil
    }

    /// Whether, on a restored hub, `change` is one of the hub's own changes made after the backup
    /// and lost with the old file: its schools carry those back (replication-v1.md §10a).
    func restoredHubTakesBack(_ change: Change) throws -> Bool {
        guard role == .hub, change.stamp.node == nodeID,
              let k = try database.scalar("SELECT value FROM parta_meta WHERE key = 'restored_at'")?.integerValue else { return false }
        // Above the oldest restore point: one it lost in any crash since (a second restore may
        // come before the first was made good, from the same backup or a later one).
        return change.stamp.counter > UInt64(k)
    }

    /// Notes, on a restored hub, that `member` has sent back everything the hub wrote after the backup.
    func noteReconciliation(from member: String, base: VectorClock) throws {
        guard role == .hub, let k = try database.scalar("SELECT value FROM parta_meta WHERE key = 'restored_at'")?.integerValue,
              base[nodeID] <= UInt64(k) else { return }
        try database.run("INSERT OR IGNORE INTO parta_meta (key, value) VALUES (?, 1)", [.text("reconciled:" + member)])
    }

    /// Copies the replica, while it stays in use, into a new file at `path` (SQLite's online backup).
    ///
    /// The file is created new with mode 0600 whatever the umask (SQLite gives its `-wal` and
    /// `-journal` the same mode), never through a link.
    ///
    /// - Throws: ``StoreError/Code/alreadyExists`` if anything is at `path` (a link included);
    ///   ``StoreError/Code/sqlite`` if the copy fails (the partial file is removed).
    public func backup(to path: String) throws {
        // A new file, owner-only whatever the umask (it holds everything the replica holds), and
        // never through a link: O_EXCL|O_NOFOLLOW refuses anything already there, a dangling link too.
        let fd = systemOpen(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST || errno == ELOOP {
                throw StoreError(.alreadyExists, Message(
                    en: "\(path) already exists. Choose a new file name for the backup.",
                    ru: "\(path) уже существует. Укажите новое имя файла для резервной копии."), context: ["path": path])
            }
            let reason = String(cString: strerror(errno))
            throw StoreError(.sqlite, Message(
                en: "Cannot create the backup \(path) (\(reason)). Choose another place for it.",
                ru: "Не удаётся создать резервную копию \(path) (\(reason)). Выберите для неё другое место."), context: ["path": path])
        }
        let modeSet = fchmod(fd, 0o600) == 0
        close(fd)
        guard modeSet else {
            unlink(path)
            throw StoreError(.sqlite, Message(
                en: "Cannot make the backup \(path) private to its owner. Choose another place for it.",
                ru: "Не удаётся закрыть доступ к резервной копии \(path) для других пользователей. Выберите для неё другое место."), context: ["path": path])
        }
        do {
            try database.backup(to: path)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// ``backup(to:)``, with `attachments` (name and text; an application's secrets that the
    /// backup must carry, such as its node's keys) in the copy's table `parta_backup_keys`, which
    /// only backups have: ``restore(backup:to:schema:newNodeID:name:keys:enrollmentCode:now:)``
    /// drops it from the restored replica.
    public func backup(to path: String, attaching attachments: [(name: String, value: String)]) throws {
        try backup(to: path)
        let copy = try Database(path: path, create: false)
        defer { copy.close() }
        try copy.execute("CREATE TABLE parta_backup_keys (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        for (name, value) in attachments {
            try copy.run("INSERT INTO parta_backup_keys VALUES (?, ?)", [.text(name), .text(value)])
        }
    }

    /// What a backup file holds besides the replica: the attachments of
    /// ``backup(to:attaching:)`` (nil for a backup made without), and whether it is a hub's.
    ///
    /// - Throws: ``StoreError/Code/notFound`` if `path` cannot be opened as a database.
    public static func backupContents(at path: String) throws -> (attachments: [(name: String, value: String)]?, isHub: Bool) {
        let database: Database
        do {
            database = try Database(path: path, create: false)
        } catch {
            throw StoreError(.notFound, Message(en: "\(path) is not a Parta backup.", ru: "\(path) — не резервная копия Parta."), context: ["path": path])
        }
        defer { database.close() }
        var attachments: [(name: String, value: String)]?
        if try database.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'parta_backup_keys'") == .integer(1) {
            attachments = try database.rows("SELECT name, value FROM parta_backup_keys").map { ($0[0].textValue ?? "", $0[1].textValue ?? "") }
        }
        let isHub = try database.scalar("SELECT value FROM parta_meta WHERE key = 'role'") == .text("hub")
        return (attachments, isHub)
    }

    /// Restores a backup into a new replica file at `path`.
    ///
    /// Counters must never repeat: another replica may already hold changes this node made after
    /// the backup. So a restored member becomes a new node (`newNodeID`, same partition; the old
    /// id's changes are kept as any other origin's), and a restored hub keeps its id (members
    /// trust it) and continues its counter a random multiple of 2³² higher; until every member node has answered, it
    /// advertises its own counter as at the backup, so the members send back what it wrote after
    /// the backup and lost. A restored member must send first: the hub
    /// learns of the new node from its bundle, and its answer then holds everything the member lacks.
    ///
    /// `keys` are the hub's own keys (a restored hub keeps its identity) or the new member node's
    /// keys; a new member node joins with `enrollmentCode`, like any new computer of its school.
    public static func restore(backup: String, to path: String, schema: ReplicationSchema, newNodeID: String,
                               name: String, keys: NodeKeys, enrollmentCode: EnrollmentCode? = nil, now: UInt64) throws -> Replica {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.alreadyExists, Message(
                en: "A replica already exists at \(path). Move it away first; restoring never overwrites data.",
                ru: "В \(path) уже есть база. Сначала переместите её; восстановление никогда не затирает данные."), context: ["path": path])
        }
        let source = try Replica.open(at: backup, schema: schema, keys: keys)
        try source.database.backup(to: path)
        source.database.close()
        let restored = try Replica.open(at: path, schema: schema, keys: keys)
        let db = restored.database
        // What ``backup(to:attaching:)`` added belongs to the backup, not to a replica.
        try db.execute("DROP TABLE IF EXISTS parta_backup_keys")
        switch restored.role {
        case .hub:
            // The changes it made after the backup live on only at members: until each member node
            // has answered, the hub tells them it holds its own changes only up to the backup
            // (`restored_at`), so their next bundles carry those changes back (see Protocol/replication-v1.md).
            // A hub restored again keeps its oldest restore point: what it lost the first time may
            // not all have come back yet, and members send back everything above it.
            try db.run("""
                INSERT OR REPLACE INTO parta_meta (key, value)
                SELECT 'restored_at', min(c.value, coalesce((SELECT value FROM parta_meta WHERE key = 'restored_at'), c.value))
                FROM parta_meta c WHERE c.key = 'counter'
                """)
            try db.run("DELETE FROM parta_meta WHERE key GLOB 'reconciled:*'")
            // A window of 2³² counters at a random place above the backup's: a hub restored twice from
            // one backup (two crashes, no backup between) must not count through the same numbers.
            let jump = Int64(1 + Int64.random(in: 0..<(1 << 20))) << 32
            try db.run("UPDATE parta_meta SET value = value + ? WHERE key = 'counter'", [.integer(jump)])
            try db.run("UPDATE parta_clock SET ctr = ctr + ? WHERE node = ?", [.integer(jump), .text(restored.nodeID)])
            try db.run("INSERT OR REPLACE INTO parta_meta (key, value) VALUES ('restore_tag', ?)", [.text(Replica.newRestoreTag())])
            return try Replica.open(at: path, schema: schema, keys: keys)
        case .member(let partition):
            try db.transaction {
                try db.run("UPDATE parta_meta SET value = ? WHERE key = 'node_id'", [.text(newNodeID)])
                try db.run("UPDATE parta_meta SET value = 0 WHERE key = 'counter'")
                try db.run("DELETE FROM parta_peer")   // what the hub acknowledged was for the old node
                try db.run("DELETE FROM parta_meta WHERE key = 'enrollment_code'")
                if let enrollmentCode {
                    try db.run("INSERT INTO parta_meta (key, value) VALUES ('enrollment_code', ?)", [.text(restored.codeVault.seal(enrollmentCode))])
                }
            }
            let member = try Replica.open(at: path, schema: schema, keys: keys)
            let record: [String: Value] = ["role": RecordedRole.member.value, "name": .text(name), "partition": .text(partition),
                                           "signing_key": .text(keys.publicKeys.signingBase64), "sealing_key": .text(keys.publicKeys.sealingBase64)]
            try member.write(table: ReplicationSchema.nodesTable.name, row: newNodeID, partition: partition, values: record, now: now)
            return member
        }
    }

    /// A tag renewed by every restore of this hub (nil if it was never restored). Ids a hub makes
    /// from what its database holds (the next number after the largest) can repeat after a restore,
    /// since rows written after the backup are missing; an id that carries this tag cannot.
    public func restoreTag() throws -> String? {
        try database.scalar("SELECT value FROM parta_meta WHERE key = 'restore_tag'")?.textValue
    }

    /// Four random symbols (about 20 bits): two restores of one hub do not meet.
    static func newRestoreTag() -> String { RandomID.symbols(4) }
}
