import Foundation
import PartaCore
import PartaStore
import PartaBundle

/// One Parta installation: a hub or a school node, its replica in a data folder, and the
/// operations its users perform. The CLI is a thin shell over this type.
///
/// Every operation is one transaction of the underlying ``Replica``. Time is passed in (`now`,
/// milliseconds since 1970; `today`, an ISO date) so that tests and the demo control it.
public final class PartaNode {
    public let replica: Replica
    public let dataDirectory: String

    public static let databaseName = "replica.sqlite"

    init(replica: Replica, dataDirectory: String) {
        self.replica = replica
        self.dataDirectory = dataDirectory
    }

    public var isHub: Bool { replica.role == .hub }
    public var school: String { replica.role.partition }

    static func databasePath(_ directory: String) -> String { (directory as NSString).appendingPathComponent(databaseName) }

    /// Opens the node in `directory`.
    ///
    /// - Throws: ``PartaError/Code/notInitialised`` if there is none yet.
    public static func open(directory: String) throws -> PartaNode {
        let path = databasePath(directory)
        guard FileManager.default.fileExists(atPath: path) else {
            throw PartaError(.notInitialised, Message(
                en: "There is no Parta data in \(directory) yet. Start with `parta init --from BUNDLE` (school) or `parta hub init --name NAME` (hub), or point --data to the right folder.",
                ru: "В папке \(directory) ещё нет данных Parta. Начните с `parta init --from ПАКЕТ` (школа) или `parta hub init --name НАЗВАНИЕ` (управление) либо укажите нужную папку через --data."))
        }
        _ = try NodeKeys.load(from: directory)
        return PartaNode(replica: try Replica.open(at: path, schema: PartaSchema.schema), dataDirectory: directory)
    }

    /// Creates a municipal hub in `directory`.
    public static func createHub(directory: String, name: String, now: UInt64) throws -> PartaNode {
        try prepare(directory)
        let keys = NodeKeys.generate()
        try keys.save(in: directory)
        let replica = try Replica.create(at: databasePath(directory), schema: PartaSchema.schema,
                                         nodeID: newNodeID(prefix: "hub"), role: .hub, name: name, publicKeys: keys.publicRecord, now: now)
        return PartaNode(replica: replica, dataDirectory: directory)
    }

    /// Creates a school node from a bundle its hub wrote for the school, then imports that bundle.
    public static func createSchoolNode(directory: String, fromBundle path: String, name: String, now: UInt64) throws -> (PartaNode, [ImportOutcome]) {
        // The first bundle addressed to a school (on a district's stick, the folder holds many).
        var found: (path: String, header: ChangeSetHeader)?
        for candidate in try BundleFiles.bundlePaths(at: path) {
            guard let header = try? ChangeSetReader(bytes: BundleFiles.read(candidate)).header else { continue }
            if case .partition = header.recipient { found = (candidate, header); break }
        }
        let bundlePath = found?.path ?? path
        let header: ChangeSetHeader
        do {
            header = try found?.header ?? ChangeSetReader(bytes: BundleFiles.read(bundlePath)).header
        } catch {
            throw BundleError.wrap(error, path: bundlePath)
        }
        guard case .partition(let school) = header.recipient, header.senderPartition == Change.everywhere else {
            throw PartaError(.invalidArgument, Message(
                en: "\(bundlePath) is not a bundle from a hub to a school; a new school node starts from the bundle its hub exported for the school.",
                ru: "\(bundlePath) — не пакет от управления для школы; новый узел школы создаётся из пакета, выгруженного управлением для этой школы."))
        }
        try prepare(directory)
        let keys = NodeKeys.generate()
        try keys.save(in: directory)
        let replica = try Replica.create(at: databasePath(directory), schema: PartaSchema.schema,
                                         nodeID: newNodeID(prefix: "node"), role: .member(partition: school),
                                         name: name, hubID: header.sender, publicKeys: keys.publicRecord, now: now)
        let node = PartaNode(replica: replica, dataDirectory: directory)
        return (node, try node.importBundles(at: bundlePath, now: now))
    }

    static func prepare(_ directory: String) throws {
        if FileManager.default.fileExists(atPath: databasePath(directory)) {
            throw PartaError(.alreadyInitialised, Message(
                en: "\(directory) already holds a Parta node. Use it as it is, or choose another folder with --data.",
                ru: "В папке \(directory) уже есть узел Parta. Используйте его или укажите другую папку через --data."))
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    static func newNodeID(prefix: String) -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return prefix + "-" + String((0..<8).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Refuses hub operations on a school node, with a message saying where they belong.
    public func requireHub() throws {
        guard isHub else {
            throw PartaError(.wrongNodeKind, Message(
                en: "This is a school node; `parta hub …` commands run on the municipal hub.",
                ru: "Это узел школы; команды `parta hub …` выполняются в управлении образования."))
        }
    }

    func requireSchool() throws {
        guard !isHub else {
            throw PartaError(.wrongNodeKind, Message(
                en: "This is the municipal hub; use `parta hub …` commands here (school commands run at schools).",
                ru: "Это узел управления образования; используйте команды `parta hub …` (школьные команды выполняются в школах)."))
        }
    }

    // MARK: Exchange

    /// Imports a bundle file or a whole stick folder.
    public func importBundles(at path: String, now: UInt64, progress: ((String, UInt64, UInt64) -> Void)? = nil) throws -> [ImportOutcome] {
        try BundleExchange(replica: replica).importBundles(at: path, now: now, progress: progress)
    }

    /// School: writes this node's answer for the hub under `directory/<school>/`.
    public func exportForHub(to directory: String, now: UInt64) throws -> ExportedBundle {
        try requireSchool()
        return try BundleExchange(replica: replica).export(for: .node(replica.hubID), partitionFolder: school, to: directory, now: now)
    }

    /// Hub: writes one bundle per school (all registered schools, or the given ones).
    public func exportForSchools(_ schools: [String]? = nil, to directory: String, now: UInt64) throws -> [ExportedBundle] {
        try requireHub()
        let targets = try schools ?? listSchools().map(\.id)
        for id in targets { _ = try schoolName(id) }
        let exchange = BundleExchange(replica: replica)
        return try targets.map { try exchange.export(for: .partition($0), partitionFolder: $0, to: directory, now: now) }
    }
}

extension PartaNode {
    /// Writes an online backup of this node's replica to `path` (a new file), with the node's
    /// private keys inside it (a hub restored from it keeps the identity its schools trust; keep
    /// backups as safe as the computer itself).
    public func backup(to path: String) throws {
        try replica.backup(to: path)
        let keys = try NodeKeys.load(from: dataDirectory)
        let copy = try Database(path: path, create: false)
        try copy.execute("CREATE TABLE parta_backup_keys (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        try copy.run("INSERT INTO parta_backup_keys VALUES ('signing', ?), ('sealing', ?)",
                     [.text(keys.signing.rawRepresentation.base64EncodedString()), .text(keys.sealing.rawRepresentation.base64EncodedString())])
        copy.close()
    }

    /// Restores a backup into `directory` (which must not hold a node yet). A school computer comes
    /// back as a new node of the same school; once it has sent its first bundle to the hub, the hub's
    /// answer holds everything the hub has for the school.
    public static func restore(backup: String, into directory: String, name: String, now: UInt64) throws -> PartaNode {
        try prepare(directory)
        // A restored school computer is a new node with new keys; a restored hub takes back the
        // keys its schools trust, which the backup carries.
        var keys = NodeKeys.generate()
        let replica = try Replica.restore(backup: backup, to: databasePath(directory), schema: PartaSchema.schema,
                                          newNodeID: newNodeID(prefix: "node"), name: name, publicKeys: keys.publicRecord, now: now)
        let hasKeys = try replica.database.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'parta_backup_keys'") == .integer(1)
        let saved = hasKeys ? try replica.database.rows("SELECT name, value FROM parta_backup_keys") : []
        if replica.role == .hub, let restoredKeys = NodeKeys(backupRows: saved.map { ($0[0].textValue ?? "", $0[1].textValue ?? "") }) {
            keys = restoredKeys
        }
        try replica.database.execute("DROP TABLE IF EXISTS parta_backup_keys")
        try keys.save(in: directory)
        return PartaNode(replica: replica, dataDirectory: directory)
    }
}
