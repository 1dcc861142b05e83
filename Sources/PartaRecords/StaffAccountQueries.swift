import PartaCore
import PartaStore

/// A staff account as stored (never replicated): `dashboard_staff`.
public struct StaffAccountRow: Sendable, Equatable {
    public var name: String
    /// The stored role word (`viewer`, `editor`); the dashboard reads it into its own role.
    public var role: String
    /// Until when sign-in under this name is refused from at least one address (ms; 0: nowhere).
    public var lockedUntil: Int64
}

/// A count of wrong passwords under one (name, address): `dashboard_signin_failures`.
public struct SignInFailureRow: Sendable, Equatable {
    public var failures: Int64
    public var lastAt: Int64
}

/// The hub dashboard's accounts and sign-in failures (tables of ``PartaSchema/local``).
public struct StaffAccountQueries {
    let database: Database

    public init(_ replica: Replica) { database = replica.database }

    /// Gives every account without a generation (made by a release before generations) a random one.
    /// Reads first: the accounts are opened on every request, and a write would take SQLite's write lock.
    public func fillMissingGenerations() throws {
        if try database.scalar("SELECT 1 FROM dashboard_staff WHERE generation = '' LIMIT 1") != nil {
            try database.run("UPDATE dashboard_staff SET generation = lower(hex(randomblob(16))) WHERE generation = ''")
        }
    }

    public func exists(_ name: String) throws -> Bool {
        try database.scalar("SELECT 1 FROM dashboard_staff WHERE name = ?", [.text(name)]) != nil
    }

    /// Adds an account or, for an existing name, sets its role, password and generation and clears
    /// its old lock columns; and forgets the name's counted failures. One transaction.
    public func upsert(name: String, role: String, password: String, createdAt: Int64, generation: String) throws {
        try database.transaction {
            try database.run("""
                INSERT INTO dashboard_staff (name, role, password, created_at, generation) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET role = excluded.role, password = excluded.password, failures = 0, locked_until = 0,
                    epoch = epoch + 1, generation = excluded.generation
                """, [.text(name), .text(role), .text(password), .integer(createdAt), .text(generation)])
            try database.run("DELETE FROM dashboard_signin_failures WHERE name = ?", [.text(name)])
        }
    }

    /// Removes an account and its counted failures. One transaction.
    public func remove(_ name: String) throws {
        try database.transaction {
            try database.run("DELETE FROM dashboard_staff WHERE name = ?", [.text(name)])
            try database.run("DELETE FROM dashboard_signin_failures WHERE name = ?", [.text(name)])
        }
    }

    /// Every account by name, with its longest lock.
    public func list() throws -> [StaffAccountRow] {
        try database.select("""
            SELECT s.name, s.role, coalesce((SELECT max(f.locked_until) FROM dashboard_signin_failures f WHERE f.name = s.name), 0) AS locked_until
            FROM dashboard_staff s ORDER BY s.name
            """).map { StaffAccountRow(name: $0.text("name"), role: $0.text("role"), lockedUntil: $0.int("locked_until")) }
    }

    /// The stored role word and generation of `name` (each nil when NULL), nil for no such account.
    public func roleAndGeneration(_ name: String) throws -> (role: String?, generation: String?)? {
        try database.selectFirst("SELECT role, generation FROM dashboard_staff WHERE name = ?", [.text(name)])
            .map { ($0.optionalText("role"), $0.optionalText("generation")) }
    }

    /// The stored password hash of `name`: nil for no such account, "" for a value that is not text.
    public func passwordHash(_ name: String) throws -> String? {
        try database.scalar("SELECT password FROM dashboard_staff WHERE name = ?", [.text(name)]).map { $0.textValue ?? "" }
    }

    /// The stored password hash of `name` as text: nil for no such account or a value that is not text.
    public func storedPassword(_ name: String) throws -> String? {
        try database.scalar("SELECT password FROM dashboard_staff WHERE name = ?", [.text(name)])?.textValue
    }

    /// Whether sign-in from `address` is locked, for `name` or for `anyName` (every name), at `now`.
    public func isLocked(address: String, name: String, anyName: String, now: Int64) throws -> Bool {
        try database.scalar("""
            SELECT 1 FROM dashboard_signin_failures WHERE address = ? AND name IN (?, ?) AND locked_until > ? LIMIT 1
            """, [.text(address), .text(name), .text(anyName), .integer(now)]) != nil
    }

    public func clearFailures(name: String, address: String) throws {
        try database.run("DELETE FROM dashboard_signin_failures WHERE name = ? AND address = ?", [.text(name), .text(address)])
    }

    /// Forgets counts last touched before `quietBefore` and not locked at `now`.
    public func forgetQuietFailures(quietBefore: Int64, now: Int64) throws {
        try database.run("DELETE FROM dashboard_signin_failures WHERE last_at < ? AND locked_until < ?", [.integer(quietBefore), .integer(now)])
    }

    public func failures(name: String, address: String) throws -> SignInFailureRow? {
        try database.selectFirst("SELECT failures, last_at FROM dashboard_signin_failures WHERE name = ? AND address = ?",
                                 [.text(name), .text(address)])
            .map { SignInFailureRow(failures: $0.int("failures"), lastAt: $0.int("last_at")) }
    }

    public func setFailures(name: String, address: String, failures: Int64, lockedUntil: Int64, lastAt: Int64) throws {
        try database.run("""
            INSERT INTO dashboard_signin_failures (name, address, failures, locked_until, last_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (name, address) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, last_at = excluded.last_at
            """, [.text(name), .text(address), .integer(failures), .integer(lockedUntil), .integer(lastAt)])
    }

    public func setGeneration(_ generation: String, of name: String) throws {
        try database.run("UPDATE dashboard_staff SET generation = ? WHERE name = ?", [.text(generation), .text(name)])
    }

    /// Runs `body` in one transaction of the accounts' database.
    public func transaction<T>(_ body: () throws -> T) throws -> T { try database.transaction(body) }
}
