import Foundation
import Crypto
import _CryptoExtras
import PartaCore
import PartaStore
import PartaApp
import PartaRecords

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
    /// Until when sign-in under this name is refused from at least one client address after
    /// repeated wrong passwords there (ms; 0: not locked anywhere).
    public var lockedUntil: Int64
}

/// The hub's staff accounts for the dashboard, in the hub's database but never replicated.
///
/// Guarantees:
/// - A password is kept only as a salted scrypt hash (N = 2^15, r = 8, p = 1: 32 MiB of memory
///   per attempt, from swift-crypto).
/// - A wrong name, a wrong password and a locked name get the same error text, and an unknown
///   name is checked against a dummy hash so that it takes as long as a wrong password.
/// - Lockout is per (name, client address): after ``maxFailures`` wrong passwords in a row for a
///   name from one address, that name is refused from that address (right password or not) for
///   ``lockDuration``; a staff member at another address is not affected. Names that do not exist
///   are counted and locked the same way, so a lock says nothing about whether a name exists.
///   Each address also has a cap over all names together (``maxFailuresPerAddress``), so that
///   spraying many names from one address is stopped too. There is deliberately no lock of an
///   account for every address: it would let anyone lock staff out.
/// - Every account has a *generation*, a random value stored with it and carried in its signed
///   session cookies: adding, re-adding after removal, a new password or role, and signing out
///   everywhere each give a new one, so no earlier cookie works again, even for an account of the
///   same name added later.
///
/// Not promised: lockouts are kept in the database, so they survive a restart, but an
/// administrator clears them for a name with `parta hub user add NAME --replace`.
public struct StaffAccounts {
    /// Wrong passwords in a row for one name from one address before that pair is locked.
    public static let maxFailures = 5
    /// Wrong passwords from one address, over all names, before the address is locked.
    public static let maxFailuresPerAddress = 20
    public static let lockDuration: UInt64 = 15 * 60_000
    /// scrypt's cost: log2 of N.
    static let costLog2 = 15
    /// The name under which an address's failures over all names are counted (no account can
    /// have an empty name).
    static let anyName = ""

    let queries: StaffAccountQueries
    let replica: Replica

    /// Opens the accounts of `node` (a hub). Their tables are the store's (``PartaSchema/local``,
    /// made and upgraded when the replica opens); an account made by an earlier Parta without a
    /// generation gets one here (its sessions then end once).
    public init(node: HubNode) throws {
        replica = node.replica
        queries = StaffAccountQueries(node.replica)
        try queries.fillMissingGenerations()
    }

    /// The accounts of a hub that ``init(node:)`` has already opened (the dashboard opens them
    /// once at start, then on every request without the check of generations).
    init(opened node: HubNode) {
        replica = node.replica
        queries = StaffAccountQueries(node.replica)
    }

    static func newGeneration() -> String { Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255) }) }

    /// Adds an account, or with `replace` sets a new password and role for an existing one (and
    /// clears its lockouts). Either way the account gets a new generation: its sessions end.
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
        let exists = try queries.exists(name)
        if exists && !replace {
            throw DashboardError(.userExists, Message(
                en: "There is already a user \(name); to set a new password, add --replace.",
                ru: "Пользователь \(name) уже есть; чтобы задать новый пароль, добавьте --replace."))
        }
        let stored = try StaffAccounts.hash(password: password)
        try queries.upsert(name: name, role: role.rawValue, password: stored, createdAt: Int64(now), generation: StaffAccounts.newGeneration())
    }

    /// Removes an account; its sessions end at once (and stay ended if the name is added again).
    public func remove(name: String) throws {
        guard try queries.exists(name) else { throw StaffAccounts.notFound(name) }
        try queries.remove(name)
    }

    public func list() throws -> [StaffUser] {
        try queries.list().map { StaffUser(name: $0.name, role: StaffRole(rawValue: $0.role) ?? .viewer, lockedUntil: $0.lockedUntil) }
    }

    /// A signed-in staff member: who, with which role, and the account's generation (sessions of
    /// another generation are void).
    public struct Identity: Sendable, Equatable {
        public var name: String
        public var role: StaffRole
        public var generation: String
    }

    /// The account `name` as it is now, if it exists.
    public func identity(_ name: String) throws -> Identity? {
        guard let row = try queries.roleAndGeneration(name),
              let role = StaffRole(rawValue: row.role ?? ""), let generation = row.generation, !generation.isEmpty else { return nil }
        return Identity(name: name, role: role, generation: generation)
    }

    /// Checks a sign-in from `address` on the calling thread. Counts a wrong password against
    /// (name, address) and the address, and locks at the limits; a right one resets the pair's count.
    ///
    /// - Throws: ``DashboardError/Code/wrongPassword`` (the same for an unknown name) or
    ///   ``DashboardError/Code/lockedOut`` (with the same message).
    public func signIn(name: String, password: String, address: String = "unknown", now: UInt64) throws -> Identity {
        let attempt = try beginSignIn(name: name, address: address, now: now)
        return try finishSignIn(attempt, passwordMatches: attempt.check(password), now: now)
    }

    /// A sign-in between reading the account and recording the outcome: the password check (some
    /// 100 ms of scrypt) runs between the two, without holding the hub's database.
    public struct SignInAttempt: Sendable {
        let name: String
        let address: String
        let stored: String?

        /// Whether `password` is the account's (for an unknown name, checked against a dummy hash
        /// so that it takes as long, and false). This is the expensive step.
        public func check(_ password: String) -> Bool {
            guard let stored else {
                _ = StaffAccounts.verify(password: password, stored: StaffAccounts.dummyHash)
                return false
            }
            return StaffAccounts.verify(password: password, stored: stored)
        }
    }

    /// The keys a sign-in is counted under: at most 64 characters each (longer names cannot exist).
    static func keys(name: String, address: String) -> (name: String, address: String) {
        (String(name.prefix(64)), String(address.prefix(64)))
    }

    /// Reads the account for a sign-in from `address`; cheap (no password check).
    ///
    /// - Throws: ``DashboardError/Code/lockedOut`` while the name is locked for this address, or
    ///   the address for every name; the message is that of a wrong password.
    public func beginSignIn(name: String, address: String, now: UInt64) throws -> SignInAttempt {
        let (name, address) = StaffAccounts.keys(name: name, address: address)
        if try queries.isLocked(address: address, name: name, anyName: StaffAccounts.anyName, now: Int64(now)) { throw StaffAccounts.locked }
        let stored = try queries.passwordHash(name)
        return SignInAttempt(name: name, address: address, stored: stored)
    }

    /// Records the outcome of a checked password and returns who signed in. A right password
    /// counts only if the account still has the hash that was checked (not removed or given a new
    /// password meanwhile) and the pair was not locked meanwhile.
    ///
    /// - Throws: as ``signIn(name:password:address:now:)``.
    public func finishSignIn(_ attempt: SignInAttempt, passwordMatches: Bool, now: UInt64) throws -> Identity {
        // The transaction commits what it counted; the refusal is thrown after it.
        let outcome: Result<Identity, DashboardError> = try queries.transaction {
            if passwordMatches, let stored = attempt.stored, try queries.storedPassword(attempt.name) == stored {
                if try queries.isLocked(address: attempt.address, name: attempt.name, anyName: StaffAccounts.anyName, now: Int64(now)) {
                    return .failure(StaffAccounts.locked)
                }
                try queries.clearFailures(name: attempt.name, address: attempt.address)
                guard let identity = try identity(attempt.name) else { return .failure(StaffAccounts.wrong) }
                return .success(identity)
            }
            // Forget counts that have gone quiet, so that the table stays small.
            try queries.forgetQuietFailures(quietBefore: Int64(now) - Int64(StaffAccounts.lockDuration), now: Int64(now))
            let pair = try countFailure(name: attempt.name, address: attempt.address, limit: StaffAccounts.maxFailures, now: now)
            let any = try countFailure(name: StaffAccounts.anyName, address: attempt.address, limit: StaffAccounts.maxFailuresPerAddress, now: now)
            return .failure(pair || any ? StaffAccounts.locked : StaffAccounts.wrong)
        }
        return try outcome.get()
    }

    /// Counts one wrong password under (name, address); returns whether that locked it. A count
    /// left alone for ``lockDuration`` starts again.
    private func countFailure(name: String, address: String, limit: Int, now: UInt64) throws -> Bool {
        let row = try queries.failures(name: name, address: address)
        let stale = (row?.lastAt ?? 0) + Int64(StaffAccounts.lockDuration) < Int64(now)
        let failures = (row == nil || stale ? 0 : row?.failures ?? 0) + 1
        let locks = failures >= Int64(limit)
        try queries.setFailures(name: name, address: address, failures: locks ? 0 : failures,
                                lockedUntil: locks ? Int64(now + StaffAccounts.lockDuration) : 0, lastAt: Int64(now))
        return locks
    }

    /// Ends every session of `name` (its cookies stop working): a new generation.
    public func endSessions(of name: String) throws {
        try queries.setGeneration(StaffAccounts.newGeneration(), of: name)
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
        en: "Wrong user name or password. After five wrong tries, sign-in from this computer pauses for 15 minutes.",
        ru: "Неверное имя пользователя или пароль. После пяти неверных попыток вход с этого компьютера приостанавливается на 15 минут."))

    /// A locked (name, address) or address: the code says so, the text is a wrong password's, so
    /// that the answer does not tell whether the name exists.
    static let locked = DashboardError(.lockedOut, wrong.message)

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
