import CSQLite
import PartaCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connection to one SQLite file: the only place in Parta that talks to the SQLite C API.
///
/// Statements are prepared once per SQL text and cached. Not thread-safe: one connection per
/// thread. ``transaction(_:)`` commits everything the closure did, or nothing if it throws.
public final class Database {
    private var handle: OpaquePointer?
    private var statements: [String: Statement] = [:]
    public let path: String

    /// Opens (creating if asked) the database at `path` with WAL journaling and foreign keys off.
    public init(path: String, create: Bool = true) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &db, flags, nil)
        guard status == SQLITE_OK, let db else {
            let detail = db.map { String(cString: sqlite3_errmsg($0)) } ?? "status \(status)"
            sqlite3_close(db)
            throw StoreError(.sqlite, Message(
                en: "Cannot open the database \(path). Check that the folder exists and is writable.",
                ru: "Не удаётся открыть базу данных \(path). Проверьте, что папка существует и доступна для записи."),
                context: ["path": path], debugDetail: detail)
        }
        handle = db
        sqlite3_busy_timeout(db, 10_000)
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=NORMAL")
        // A 16 MiB page cache (SQLite's default is 2 MiB): applying a bundle of 10,000 rows dirties
        // some 5 MiB of pages, which would otherwise spill to the WAL mid-transaction.
        try execute("PRAGMA cache_size=-16384")
        // Checkpoint at 4096 WAL pages (16 MiB) rather than SQLite's 1000: one bundle of 10,000 rows
        // writes some 2000 pages, and at 1000 nearly every apply would copy the WAL back and sync
        // the database inside its commit. The checkpoint still runs, less often, and SQLite runs
        // one when the last connection closes; durability (WAL, synchronous=NORMAL) is unchanged.
        try execute("PRAGMA wal_autocheckpoint=4096")
    }

    deinit { close() }

    public func close() {
        statements.values.forEach { $0.finalize() }
        statements.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs one or more SQL statements that take no parameters.
    public func execute(_ sql: String) throws {
        var errorPointer: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &errorPointer)
        if status != SQLITE_OK {
            let detail = errorPointer.map { String(cString: $0) } ?? "status \(status)"
            sqlite3_free(errorPointer)
            throw error(status: status, detail: detail + " in: " + sql)
        }
    }

    /// A cached prepared statement for `sql`, reset and with bindings cleared.
    public func statement(_ sql: String) throws -> Statement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard status == SQLITE_OK, let raw else { throw error(status: status, detail: "prepare: " + sql) }
        let statement = Statement(raw, database: self)
        statements[sql] = statement
        return statement
    }

    /// Runs `sql` with `arguments`, for statements that return no rows.
    public func run(_ sql: String, _ arguments: [Value] = []) throws {
        let s = try statement(sql)
        try s.bind(arguments)
        while try s.step() {}
    }

    /// All rows of a query, each as an array of column values.
    public func rows(_ sql: String, _ arguments: [Value] = []) throws -> [[Value]] {
        let s = try statement(sql)
        try s.bind(arguments)
        var result: [[Value]] = []
        while try s.step() { result.append((0..<s.columnCount).map { s.value(at: $0) }) }
        return result
    }

    /// The first column of the first row, or nil.
    public func scalar(_ sql: String, _ arguments: [Value] = []) throws -> Value? {
        let s = try statement(sql)
        try s.bind(arguments)
        guard try s.step() else { return nil }
        let v = s.value(at: 0)
        s.reset()
        return v
    }

    public var changes: Int { Int(sqlite3_changes(handle)) }

    private var transactionDepth = 0

    /// Whether a ``transaction(_:)`` is running: this connection holds the write lock, so no other
    /// connection changes the file until it ends.
    public var inTransaction: Bool { transactionDepth > 0 }

    /// Changes with every outermost ``transaction(_:)`` and every rollback: what was read in one
    /// transaction may be cached under its serial (no other connection writes meanwhile), and is
    /// stale under the next.
    public private(set) var transactionSerial: UInt64 = 0

    /// Runs `body` in one transaction (a savepoint when nested): all of it commits, or none.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let nested = transactionDepth > 0
        try execute(nested ? "SAVEPOINT parta_nested" : "BEGIN IMMEDIATE")
        if !nested { transactionSerial &+= 1 }
        transactionDepth += 1
        do {
            let result = try body()
            transactionDepth -= 1
            try execute(nested ? "RELEASE parta_nested" : "COMMIT")
            return result
        } catch {
            transactionDepth -= 1
            // What was cached under this serial may describe rolled-back work.
            transactionSerial &+= 1
            try? execute(nested ? "ROLLBACK TO parta_nested; RELEASE parta_nested" : "ROLLBACK")
            throw error
        }
    }

    /// `PRAGMA integrity_check`: "ok" for a healthy file.
    public func integrityCheck() throws -> String {
        try rows("PRAGMA integrity_check").compactMap { $0.first?.textValue }.joined(separator: "; ")
    }

    /// Copies the whole database into a new file at `path` with SQLite's online backup.
    public func backup(to path: String) throws {
        let target = try Database(path: path)
        guard let step = sqlite3_backup_init(target.handle, "main", handle, "main") else {
            throw error(status: sqlite3_errcode(target.handle), detail: "backup init")
        }
        let status = sqlite3_backup_step(step, -1)
        sqlite3_backup_finish(step)
        guard status == SQLITE_DONE else { throw error(status: status, detail: "backup step") }
    }

    func error(status: Int32, detail: String) -> StoreError {
        let code = status & 0xFF
        let message: Message
        switch code {
        case SQLITE_FULL:
            message = Message(en: "The disk holding \(path) is full. Free some space, then try again.",
                              ru: "Диск, на котором лежит \(path), заполнен. Освободите место и повторите.")
        case SQLITE_BUSY, SQLITE_LOCKED:
            message = Message(en: "The database \(path) is busy in another Parta window. Close it, then try again.",
                              ru: "База данных \(path) занята другим окном Parta. Закройте его и повторите.")
        case SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN:
            message = Message(en: "Parta may not write to \(path). Check the folder's permissions.",
                              ru: "Parta не может записывать в \(path). Проверьте права доступа к папке.")
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            message = Message(en: "The database \(path) is damaged. Restore it from a backup.",
                              ru: "База данных \(path) повреждена. Восстановите её из резервной копии.")
        default:
            message = Message(en: "The database \(path) reported an error (SQLite code \(status)).",
                              ru: "База данных \(path) сообщила об ошибке (код SQLite \(status)).")
        }
        let sqliteMessage = handle.map { String(cString: sqlite3_errmsg($0)) } ?? ""
        return StoreError(.sqlite, message, context: ["path": path, "sqliteCode": String(status)],
                          debugDetail: "\(sqliteMessage); \(detail)")
    }
}

/// A prepared statement owned by its ``Database``.
public final class Statement {
    private var raw: OpaquePointer?
    private unowned let database: Database

    init(_ raw: OpaquePointer, database: Database) {
        self.raw = raw
        self.database = database
    }

    func finalize() { sqlite3_finalize(raw); raw = nil }

    public func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    /// Resets the statement but keeps its bindings, for a caller that binds every parameter anew.
    public func rewind() { sqlite3_reset(raw) }

    public func bind(_ values: [Value]) throws {
        for (i, v) in values.enumerated() { try bind(v, at: Int32(i + 1)) }
    }

    public func bind(_ value: Value, at index: Int32) throws {
        let status: Int32
        switch value {
        case .null: status = sqlite3_bind_null(raw, index)
        case .integer(let v): status = sqlite3_bind_int64(raw, index, v)
        case .real(let v): status = sqlite3_bind_double(raw, index, v)
        case .text(let v): status = bindText(v, at: index)
        }
        guard status == SQLITE_OK else { throw database.error(status: status, detail: "bind \(index)") }
    }

    /// Binds a text without the temporary C string of Swift's implicit bridging: a native string's
    /// UTF-8 is bound in place (SQLite copies it). As with a C string, the text ends at its first
    /// NUL byte, if any, so the stored text is the same as before this fast path.
    public func bind(text: String, at index: Int32) throws {
        let status = bindText(text, at: index)
        guard status == SQLITE_OK else { throw database.error(status: status, detail: "bind \(index)") }
    }

    /// Binds `text` at `index` for the time of `body` only (which steps the statement): a native
    /// string's bytes are bound in place, without SQLite's copy, and unbound again before `body`'s
    /// end lets them go. Ends, like ``bind(text:at:)``, at a NUL byte.
    public func withText<T>(_ text: String, at index: Int32, _ body: () throws -> T) throws -> T {
        let result = text.utf8.withContiguousStorageIfAvailable { buffer -> Result<T, Error> in
            let status: Int32
            if let base = buffer.baseAddress, buffer.count > 0 {
                let length = memchr(base, 0, buffer.count).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? buffer.count
                status = base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    sqlite3_bind_text(raw, index, $0, Int32(length), SQLITE_STATIC)
                }
            } else {
                status = sqlite3_bind_text(raw, index, "", 0, SQLITE_TRANSIENT)
            }
            guard status == SQLITE_OK else { return .failure(database.error(status: status, detail: "bind \(index)")) }
            defer { sqlite3_bind_null(raw, index) }
            return Result { try body() }
        }
        if let result { return try result.get() }
        try bind(text: text, at: index)
        return try body()
    }

    /// Binds `value` at `index` for the time of `body` (see ``withText(_:at:_:)``).
    public func withValue<T>(_ value: Value, at index: Int32, _ body: () throws -> T) throws -> T {
        if case .text(let text) = value { return try withText(text, at: index, body) }
        try bind(value, at: index)
        return try body()
    }

    /// Binds `bytes` as a BLOB at `index` for the time of `body` (see ``withText(_:at:_:)``).
    public func withBytes<T>(_ bytes: [UInt8], at index: Int32, _ body: () throws -> T) throws -> T {
        try bytes.withUnsafeBytes { buffer in
            let status = sqlite3_bind_blob(raw, index, buffer.baseAddress, Int32(buffer.count), SQLITE_STATIC)
            guard status == SQLITE_OK else { throw database.error(status: status, detail: "bind blob \(index)") }
            defer { sqlite3_bind_null(raw, index) }
            return try body()
        }
    }

    private func bindText(_ v: String, at index: Int32) -> Int32 {
        if let status = v.utf8.withContiguousStorageIfAvailable({ buffer -> Int32 in
            // SQLite needs a non-null pointer for an empty text (a null one would bind NULL).
            guard let base = buffer.baseAddress, buffer.count > 0 else { return sqlite3_bind_text(raw, index, "", 0, SQLITE_TRANSIENT) }
            let length = memchr(base, 0, buffer.count).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? buffer.count
            return base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                sqlite3_bind_text(raw, index, $0, Int32(length), SQLITE_TRANSIENT)
            }
        }) { return status }
        return sqlite3_bind_text(raw, index, v, -1, SQLITE_TRANSIENT)
    }

    /// Advances to the next row; false when done (the statement is then reset).
    public func step() throws -> Bool {
        let status = sqlite3_step(raw)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: sqlite3_reset(raw); return false
        default:
            let e = database.error(status: status, detail: String(cString: sqlite3_sql(raw)))
            sqlite3_reset(raw)
            throw e
        }
    }

    public var columnCount: Int { Int(sqlite3_column_count(raw)) }

    /// The name SQLite gives result column `index` (a table column's name, or an expression's alias).
    public func columnName(at index: Int) -> String {
        sqlite3_column_name(raw, Int32(index)).map { String(cString: $0) } ?? ""
    }

    /// The statement's SQL text, for messages.
    public var sql: String { sqlite3_sql(raw).map { String(cString: $0) } ?? "" }

    public func value(at index: Int) -> Value {
        let i = Int32(index)
        switch sqlite3_column_type(raw, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(raw, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(raw, i))
        case SQLITE_NULL: return .null
        default:
            guard let text = sqlite3_column_text(raw, i) else { return .null }
            return .text(String(cString: text))
        }
    }

    public func int(at index: Int) -> Int64 { sqlite3_column_int64(raw, Int32(index)) }

    /// Binds bytes as a BLOB.
    public func bind(bytes: [UInt8], at index: Int32) throws {
        let status = bytes.withUnsafeBytes { sqlite3_bind_blob(raw, index, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT) }
        guard status == SQLITE_OK else { throw database.error(status: status, detail: "bind blob \(index)") }
    }

    /// The bytes of a BLOB column (empty for NULL).
    public func bytes(at index: Int) -> [UInt8] {
        let i = Int32(index)
        let count = Int(sqlite3_column_bytes(raw, i))
        guard count > 0, let pointer = sqlite3_column_blob(raw, i) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    public func text(at index: Int) -> String {
        guard let text = sqlite3_column_text(raw, Int32(index)) else { return "" }
        return String(cString: text)
    }

    public func isNull(at index: Int) -> Bool { sqlite3_column_type(raw, Int32(index)) == SQLITE_NULL }
}

private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
private let SQLITE_STATIC: sqlite3_destructor_type? = nil
