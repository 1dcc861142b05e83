import PartaCore

/// The engine's own tables. Replicated state lives in the application tables: each row carries
/// its registers (every field's winning value, stamp and replaced stamp) in a `_state` column
/// beside the plain columns that applications query. A deleted row leaves its application table
/// and keeps its state in `parta_tombstone`. Everything else is local bookkeeping that never travels.
///
/// The delta index has two parts. A live application row carries its primary origin (`_origin`, the
/// node of its newest register, and `_ctr`, that node's highest counter among the row's registers),
/// indexed with its partition; both follow from the registers alone, so replicas that hold the same
/// registers hold the same columns. `parta_row_origin` holds, for each row and each other origin
/// whose change holds one of its fields (and for every origin of a tombstone), the highest such
/// counter. A delta walks both from an acknowledged counter, so its cost follows the number of rows
/// changed; a row edited by one node (the common case) costs no entry in `parta_row_origin` at all.
/// Entries may be stale (their field since overwritten, or an origin since made primary); readers
/// re-check the registers.
enum Migrations {
    /// 2: registers may hold seen sets (``RowState``), which releases reading schema 1 would misread.
    /// 3: the node reads the tables of feature bit 2 (``ReadFeatures/release3Tables``); opening a
    /// replica of schema 2 makes it ask its peers for everything once, as for bit 1 (replication-v1 §6.1).
    static let currentVersion: Int64 = 3

    static let version1 = """
    CREATE TABLE parta_meta (key TEXT PRIMARY KEY NOT NULL, value) WITHOUT ROWID;
    CREATE TABLE parta_tombstone (
        tbl TEXT NOT NULL, row TEXT NOT NULL, part TEXT NOT NULL, state BLOB NOT NULL,
        PRIMARY KEY (tbl, row)) WITHOUT ROWID;
    CREATE TABLE parta_row_origin (
        tbl TEXT NOT NULL, row TEXT NOT NULL, origin TEXT NOT NULL, part TEXT NOT NULL, ctr INTEGER NOT NULL,
        PRIMARY KEY (tbl, row, origin)) WITHOUT ROWID;
    CREATE INDEX parta_row_origin_delta ON parta_row_origin (part, origin, ctr);
    CREATE TABLE parta_clock (node TEXT PRIMARY KEY NOT NULL, ctr INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE parta_origin (node TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
    CREATE TABLE parta_peer (node TEXT PRIMARY KEY NOT NULL, clock BLOB NOT NULL, created INTEGER NOT NULL, seen_at INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE parta_log (seq INTEGER PRIMARY KEY, changes BLOB NOT NULL, received_at INTEGER NOT NULL);
    CREATE TABLE parta_conflict (
        id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, row TEXT NOT NULL, field TEXT NOT NULL, part TEXT NOT NULL,
        winner_value, winner_hlc INTEGER NOT NULL, winner_node TEXT NOT NULL, winner_ctr INTEGER NOT NULL,
        loser_value, loser_hlc INTEGER NOT NULL, loser_node TEXT NOT NULL, loser_ctr INTEGER NOT NULL,
        detected_at INTEGER NOT NULL,
        UNIQUE (tbl, row, field, loser_node, loser_ctr));
    CREATE TABLE parta_exchange (
        seq INTEGER PRIMARY KEY, direction TEXT NOT NULL, peer TEXT NOT NULL, bundle TEXT NOT NULL,
        changes INTEGER NOT NULL, at INTEGER NOT NULL, path TEXT);
    """

    /// Added by the trust layer: enrollment codes a hub issued, each usable by one node.
    static let version2 = """
    CREATE TABLE IF NOT EXISTS parta_enrollment (
        code TEXT PRIMARY KEY NOT NULL, part TEXT NOT NULL, issued_at INTEGER NOT NULL,
        used_by TEXT, used_at INTEGER) WITHOUT ROWID;
    """

    /// Added for copies (replication-v1 §10b): per member node, the highest counter a hub took from
    /// it and that change's HLC. A node's counters and HLCs grow together, so a change with a
    /// counter at or below it but a later HLC was written by an older copy reusing the counter.
    static let highestChanges = """
    CREATE TABLE IF NOT EXISTS parta_high (node TEXT PRIMARY KEY NOT NULL, ctr INTEGER NOT NULL, hlc INTEGER NOT NULL) WITHOUT ROWID;
    """

    /// Enrollment codes expire (`expires_at`, ms; NULL for codes issued before expiry existed,
    /// which expire 30 days after `issued_at`) and can be withdrawn (`withdrawn_at`). `code` holds
    /// the code's fingerprint and `sealed` the code encrypted under the hub's key
    /// (``EnrollmentCodeVault``), NULL once used; rows from before that hold the code itself in
    /// `code` until ``Replica`` seals them at open.
    static func addEnrollmentColumns(in database: Database) throws {
        let existing = Set(try database.rows("SELECT name FROM pragma_table_info('parta_enrollment')").compactMap { $0[0].textValue })
        for (column, type) in [("expires_at", "INTEGER"), ("withdrawn_at", "INTEGER"), ("sealed", "TEXT")] where !existing.contains(column) {
            try database.execute("ALTER TABLE parta_enrollment ADD COLUMN \(column) \(type)")
        }
    }

    /// The time of every change a sender sent of its own, by its counter (replication-v1 §10b): a
    /// counter that comes again with another time was written by a second copy of that sender's
    /// folder, whatever its clock (behind, too). 64 counters a row (`block` = counter / 64,
    /// `times` = 64 big-endian u64 HLCs, 0 for none): an apply of new changes touches one row per
    /// 64 of them.
    static let changeTimes = """
    CREATE TABLE IF NOT EXISTS parta_change_time (node TEXT NOT NULL, block INTEGER NOT NULL, times BLOB NOT NULL, PRIMARY KEY (node, block)) WITHOUT ROWID;
    """

    /// At a hub, the nodes whose bundles it refused as an older copy's because they carried
    /// changes of an earlier id of the same computer (same keys) that differ from the ones it holds
    /// (replication-v1 §10b): named in the partition's bundles (header extension 10) until a bundle
    /// of theirs is taken, so that a computer that exchanges only by stick is told. At most
    /// ``Replica/refusedCopiesPerKey`` rows per signing key, the newest.
    static let refusedCopies = """
    CREATE TABLE IF NOT EXISTS parta_refused_copy (node TEXT PRIMARY KEY NOT NULL, partition TEXT NOT NULL,
        signing_key TEXT NOT NULL, refused_at INTEGER NOT NULL) WITHOUT ROWID;
    """

    /// Peers this node asks for everything once (replication-v1 §6.1): those it heard from before
    /// it read the tables of release 2, which they left out of what they sent it.
    static let resync = """
    CREATE TABLE IF NOT EXISTS parta_resync (peer TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
    """

    /// What each peer declared it reads (``ReadFeatures``, from its last bundle taken in): 0 for
    /// peers of earlier releases.
    static func addPeerReads(in database: Database) throws {
        let existing = Set(try database.rows("SELECT name FROM pragma_table_info('parta_peer')").compactMap { $0[0].textValue })
        if !existing.contains("reads") { try database.execute("ALTER TABLE parta_peer ADD COLUMN reads INTEGER NOT NULL DEFAULT 0") }
    }

    /// Adds columns an application (or the engine's `nodes` table) declared after the replica was created.
    static func addMissingColumns(_ schema: ReplicationSchema, in database: Database) throws {
        for table in schema.tables {
            let existing = Set(try database.rows("SELECT name FROM pragma_table_info(?)", [.text(table.name)]).compactMap { $0[0].textValue })
            for column in table.columns where !existing.contains(column.name) {
                try database.execute("ALTER TABLE \"\(table.name)\" ADD COLUMN \"\(column.name)\" \(column.affinity.rawValue)")
            }
            // The primary origin's columns (rows written before them keep all their origins in parta_row_origin).
            for (column, type) in [("_origin", "TEXT"), ("_ctr", "INTEGER")] where !existing.contains(column) {
                try database.execute("ALTER TABLE \"\(table.name)\" ADD COLUMN \(column) \(type)")
            }
        }
    }

    /// The application tables: one row per replicated row, one column per field, kept in step with
    /// the registers by the engine. Applications read them with plain SQL.
    static func applicationTables(_ schema: ReplicationSchema) -> String {
        var sql = ""
        for table in schema.tables {
            let columns = table.columns.map { "\"\($0.name)\" \($0.affinity.rawValue)" }
            sql += "CREATE TABLE IF NOT EXISTS \"\(table.name)\" (id TEXT PRIMARY KEY NOT NULL, _part TEXT NOT NULL"
            sql += columns.isEmpty ? "" : ", " + columns.joined(separator: ", ")
            sql += ", _state BLOB NOT NULL, _origin TEXT, _ctr INTEGER);\n"
        }
        return sql
    }

    /// The application tables' indexes, once their columns exist: the delta index (which serves
    /// lookups by partition too) and the references of referenced tables.
    static func applicationIndexes(_ schema: ReplicationSchema) -> String {
        var sql = ""
        for table in schema.tables {
            sql += "CREATE INDEX IF NOT EXISTS \"\(table.name)_by_origin\" ON \"\(table.name)\" (_part, _origin, _ctr);\n"
        }
        for table in schema.tables {
            if case .referenced(let via, let column) = table.scope {
                sql += "CREATE INDEX IF NOT EXISTS \"\(via)_by_\(column)\" ON \"\(via)\" (\"\(column)\", _part);\n"
            }
        }
        return sql
    }

    /// Brings the application's local tables up to `local.version` (see ``LocalSchema``), in one
    /// transaction that re-reads the recorded version: two processes opening the replica at once
    /// upgrade it once. A replica of a later local version is left as it is.
    static func upgradeLocalTables(_ local: LocalSchema, in database: Database) throws {
        func recorded() throws -> Int64 {
            try database.scalar("SELECT value FROM parta_meta WHERE key = 'local_schema_version'")?.integerValue ?? 0
        }
        guard try recorded() < local.version else { return }
        try database.transaction {
            guard try recorded() < local.version else { return }
            for table in local.tables {
                try database.execute("CREATE TABLE IF NOT EXISTS \"\(table.name)\" \(table.definition)")
                let existing = Set(try database.rows("SELECT name FROM pragma_table_info(?)", [.text(table.name)]).compactMap { $0[0].textValue })
                for column in table.addedColumns where !existing.contains(column.name) {
                    try database.execute("ALTER TABLE \"\(table.name)\" ADD COLUMN \"\(column.name)\" \(column.definition)")
                }
            }
            try database.run("INSERT INTO parta_meta (key, value) VALUES ('local_schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             [.integer(local.version)])
        }
    }
}
