import Foundation
import Crypto
import _CryptoExtras
import PartaCore
import PartaStore
import PartaApp

/// What a staff member may do on the dashboard.
public enum StaffRole: String, Sendable, CaseIterable, Codable {
    /// Sees every page and export.
    case viewer
    /// Also updates the hub's own tasks.
    case editor

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.viewer, .ru): return "просмотр"
        case (.editor, .ru): return "редактор"
        case (.viewer, .en): return "viewer"
        case (.editor, .en): return "editor"
        }
    }
}

/// A staff account as listed (never its password hash).
public struct StaffUser: Sendable, Equatable, Codable {
    public var name: String
    public var role: StaffRole
    /// Until when sign-in is refused after repeated wrong passwords (ms; 0: not locked).
    public var lockedUntil: Int64
}

/// The hub's staff accounts for the dashboard, in the hub's database but never replicated.
///
/// Guarantees: a password is kept only as a salted scrypt hash (N = 2^15, r = 8, p = 1: 32 MiB of
/// memory per attempt, from swift-crypto); a wrong name and a wrong password get the same answer
/// in about the same time; after ``maxFailures`` wrong passwords in a row the account refuses
/// every sign-in, right or wrong, for ``lockDuration``; a changed password or role ends the
/// account's sessions (its `epoch` changes).
public struct StaffAccounts {
    public static let maxFailures = 5
    public static let lockDuration: UInt64 = 15 * 60_000
    /// scrypt's cost: log2 of N.
    static let costLog2 = 15

    let database: Database
    let replica: Replica

    /// Opens the accounts of `node` (a hub), creating their table on first use.
    public init(node: PartaNode) throws {
        try node.requireHub()
        replica = node.replica
        database = node.replica.database
        try database.execute("""
            CREATE TABLE IF NOT EXISTS dashboard_staff (
                name TEXT PRIMARY KEY NOT NULL, role TEXT NOT NULL, password TEXT NOT NULL,
                failures INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,
                epoch INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL) WITHOUT ROWID;
            """)
    }

    /// Adds an account, or with `replace` sets a new password and role for an existing one.
    public func add(name: String, role: StaffRole, password: String, replace: Bool = false, now: UInt64) throws {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 64, !name.contains(where: { $0.isNewline || $0 == "|" }) else {
            throw DashboardError(.invalidArgument, Message(
                en: "A user name is 1 to 64 characters, without line breaks or |.",
                ru: "Имя пользователя — от 1 до 64 символов, без переводов строки и знака |."))
        }
        guard password.count >= 8 else {
            throw DashboardError(.invalidArgument, Message(
                en: "The password is too short: use at least 8 characters.", ru: "Пароль слишком короткий: нужно не меньше 8 символов."))
        }
        let exists = try database.scalar("SELECT 1 FROM dashboard_staff WHERE name = ?", [.text(name)]) != nil
        if exists && !replace {
            throw DashboardError(.userExists, Message(
                en: "There is already a user \(name); to set a new password, add --replace.",
                ru: "Пользователь \(name) уже есть; чтобы задать новый пароль, добавьте --replace."))
        }
        let stored = try StaffAccounts.hash(password: password)
        try database.run("""
            INSERT INTO dashboard_staff (name, role, password, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET role = excluded.role, password = excluded.password, failures = 0, locked_until = 0, epoch = epoch + 1
            """, [.text(name), .text(role.rawValue), .text(stored), .integer(Int64(now))])
    }

    public func remove(name: String) throws {
        guard try database.scalar("SELECT 1 FROM dashboard_staff WHERE name = ?", [.text(name)]) != nil else { throw StaffAccounts.notFound(name) }
        try database.run("DELETE FROM dashboard_staff WHERE name = ?", [.text(name)])
    }

    public func list() throws -> [StaffUser] {
        try database.rows("SELECT name, role, locked_until FROM dashboard_staff ORDER BY name").map {
            StaffUser(name: $0[0].textValue ?? "", role: StaffRole(rawValue: $0[1].textValue ?? "") ?? .viewer, lockedUntil: $0[2].integerValue ?? 0)
        }
    }

    /// A signed-in staff member: who, with which role, and the account's epoch (sessions of an
    /// earlier epoch are void).
    public struct Identity: Sendable, Equatable {
        public var name: String
        public var role: StaffRole
        public var epoch: Int64
    }

    /// The account `name` as it is now, if it exists.
    public func identity(_ name: String) throws -> Identity? {
        guard let row = try database.rows("SELECT role, epoch FROM dashboard_staff WHERE name = ?", [.text(name)]).first,
              let role = StaffRole(rawValue: row[0].textValue ?? "") else { return nil }
        return Identity(name: name, role: role, epoch: row[1].integerValue ?? 0)
    }

    /// Checks a sign-in. Counts a wrong password against the account, and locks it at the
    /// ``maxFailures``-th; a right one resets the count.
    ///
    /// - Throws: ``DashboardError/Code/wrongPassword`` (the same for an unknown name) or
    ///   ``DashboardError/Code/lockedOut``.
    public func signIn(name: String, password: String, now: UInt64) throws -> Identity {
        let attempt = try beginSignIn(name: name, now: now)
        return try finishSignIn(attempt, passwordMatches: attempt.check(password), now: now)
    }

    /// A sign-in between reading the account and recording the outcome: the password check (some
    /// 50 ms of scrypt) runs between the two, without holding the hub's database.
    public struct SignInAttempt: Sendable {
        let name: String
        let stored: String?

        /// Whether `password` is the account's (for an unknown name, checked against a dummy hash
        /// so that it takes as long, and false).
        public func check(_ password: String) -> Bool {
            guard let stored else {
                _ = StaffAccounts.verify(password: password, stored: StaffAccounts.dummyHash)
                return false
            }
            return StaffAccounts.verify(password: password, stored: stored)
        }
    }

    /// Reads the account for a sign-in.
    ///
    /// - Throws: ``DashboardError/Code/lockedOut`` while the account is locked.
    public func beginSignIn(name: String, now: UInt64) throws -> SignInAttempt {
        guard let row = try database.rows("SELECT password, locked_until FROM dashboard_staff WHERE name = ?", [.text(name)]).first else {
            return SignInAttempt(name: name, stored: nil)
        }
        let lockedUntil = UInt64(max(0, row[1].integerValue ?? 0))
        if lockedUntil > now { throw StaffAccounts.locked(until: lockedUntil) }
        return SignInAttempt(name: name, stored: row[0].textValue ?? "")
    }

    /// Records the outcome of a checked password and returns who signed in.
    ///
    /// - Throws: as ``signIn(name:password:now:)``.
    public func finishSignIn(_ attempt: SignInAttempt, passwordMatches: Bool, now: UInt64) throws -> Identity {
        guard attempt.stored != nil,
              let row = try database.rows("SELECT failures, locked_until FROM dashboard_staff WHERE name = ?", [.text(attempt.name)]).first else {
            throw StaffAccounts.wrong
        }
        // Locked by another attempt meanwhile.
        let lockedUntil = UInt64(max(0, row[1].integerValue ?? 0))
        if lockedUntil > now { throw StaffAccounts.locked(until: lockedUntil) }
        guard passwordMatches else {
            let failures = (row[0].integerValue ?? 0) + 1
            let lock = failures >= Int64(StaffAccounts.maxFailures) ? now + StaffAccounts.lockDuration : 0
            try database.run("UPDATE dashboard_staff SET failures = ?, locked_until = ? WHERE name = ?",
                             [.integer(lock > 0 ? 0 : failures), .integer(Int64(lock)), .text(attempt.name)])
            if lock > 0 { throw StaffAccounts.locked(until: lock) }
            throw StaffAccounts.wrong
        }
        try database.run("UPDATE dashboard_staff SET failures = 0, locked_until = 0 WHERE name = ?", [.text(attempt.name)])
        guard let identity = try identity(attempt.name) else { throw StaffAccounts.wrong }
        return identity
    }

    /// Ends every session of `name` (its cookies stop working).
    public func endSessions(of name: String) throws {
        try database.run("UPDATE dashboard_staff SET epoch = epoch + 1 WHERE name = ?", [.text(name)])
    }

    /// The key that signs session cookies and CSRF tokens: 32 random bytes made on first use and
    /// kept in the hub's local settings (never replicated).
    public func sessionKey() throws -> SymmetricKey {
        if let hex = try replica.localSetting("dashboard_key"), let bytes = Hex.decode(hex), bytes.count == 32 {
            return SymmetricKey(data: bytes)
        }
        let key = SymmetricKey(size: .bits256)
        try replica.setLocalSetting("dashboard_key", key.withUnsafeBytes { Hex.encode(Array($0)) })
        return key
    }

    // MARK: Password hashing

    /// `scrypt$<log2 N>$<r>$<p>$<salt, base64>$<hash, base64>`.
    static func hash(password: String, salt: [UInt8]? = nil, costLog2: Int = costLog2) throws -> String {
        var salt = salt ?? []
        if salt.isEmpty { salt = (0..<16).map { _ in UInt8.random(in: 0...255) } }
        let key = try KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: salt, outputByteCount: 32,
                                           rounds: 1 << costLog2, blockSize: 8, parallelism: 1)
        let hash = key.withUnsafeBytes { Data($0).base64EncodedString() }
        return "scrypt$\(costLog2)$8$1$\(Data(salt).base64EncodedString())$\(hash)"
    }

    static func verify(password: String, stored: String) -> Bool {
        let parts = stored.split(separator: "$").map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let log2 = Int(parts[1]), (10...20).contains(log2),
              let salt = Data(base64Encoded: parts[4]), let expected = Data(base64Encoded: parts[5]),
              let computed = try? hash(password: password, salt: Array(salt), costLog2: log2).split(separator: "$").last,
              let actual = Data(base64Encoded: String(computed)) else { return false }
        // Constant time: every byte is compared whatever the first difference.
        guard actual.count == expected.count else { return false }
        return zip(actual, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Checked against when the name is unknown, so that answer takes as long as a wrong password.
    static let dummyHash = (try? hash(password: "not a password", salt: Array(repeating: 7, count: 16))) ?? ""

    static let wrong = DashboardError(.wrongPassword, Message(
        en: "Wrong user name or password.", ru: "Неверное имя пользователя или пароль."))

    static func locked(until: UInt64) -> DashboardError {
        let time = PartaNode.formatTime(until)
        return DashboardError(.lockedOut, Message(
            en: "Too many wrong passwords: sign-in for this account is locked until \(time). Ask an administrator if you have forgotten the password (`parta hub user add NAME --replace`).",
            ru: "Слишком много неверных паролей: вход для этой учётной записи заблокирован до \(time). Если пароль забыт, обратитесь к администратору (`parta hub user add ИМЯ --replace`)."))
    }

    static func notFound(_ name: String) -> DashboardError {
        DashboardError(.userNotFound, Message(
            en: "There is no user \(name); see the list with `parta hub user list`.",
            ru: "Пользователя \(name) нет; список — `parta hub user list`."))
    }
}

/// Lower-case hexadecimal.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
    static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
}
