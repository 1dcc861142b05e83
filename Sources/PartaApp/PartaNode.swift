import Foundation
import PartaCore
import PartaStore
import PartaBundle

/// One Parta installation: a hub or a school node, its replica in a data folder, and the
/// operations both kinds perform (exchange, tasks, reports, status). The CLI is a thin shell over
/// it. Every instance is a ``HubNode`` or a ``SchoolNode``, made by ``open(directory:)`` from the
/// role its replica records; what only one kind may do lives on that type, so the role is checked
/// once, when a caller asks for the kind it needs (``openHub(directory:)``, ``asHub()``), never
/// operation by operation.
///
/// Every operation is one transaction of the underlying ``Replica``. Time is passed in (`now`,
/// milliseconds since 1970; `today`, an ISO date) so that tests and the demo control it. Not
/// thread-safe: one thread (or one owner) per instance.
public class PartaNode {
    public let replica: Replica
    public let dataDirectory: String

    public static let databaseName = "replica.sqlite"

    fileprivate init(replica: Replica, dataDirectory: String) {
        self.replica = replica
        self.dataDirectory = dataDirectory
    }

    /// The node of the kind `replica` records: a ``HubNode`` (municipal or regional hub) or a
    /// ``SchoolNode``.
    static func node(replica: Replica, dataDirectory: String) -> PartaNode {
        replica.role == .hub ? HubNode(replica: replica, dataDirectory: dataDirectory)
                             : SchoolNode(replica: replica, dataDirectory: dataDirectory)
    }

    public var isHub: Bool { self is HubNode }
    public var school: String { replica.role.partition }

    static func databasePath(_ directory: String) -> String { (directory as NSString).appendingPathComponent(databaseName) }

    /// The data folder and the database files that only their owner may read: the folder (0700)
    /// and `replica.sqlite` with its `-wal` and `-shm` (0600). The keys are checked by ``NodeKeys``.
    public static func privatePaths(_ directory: String) -> (folders: [String], files: [String]) {
        let database = databasePath(directory)
        return ([directory], [database, database + "-wal", database + "-shm"])
    }

    /// Makes the data folder 0700 and its database files 0600, whatever the umask they were made under.
    static func tightenPermissions(_ directory: String) {
        let (folders, files) = privatePaths(directory)
        PrivateFiles.tighten(folders: folders, files: files)
    }

    /// Opens the node in `directory`.
    ///
    /// Unless `tighteningPermissions` is false (`parta doctor`, which reports instead), a data
    /// folder or database that others may read is made owner-only first (see ``privatePaths(_:)``).
    ///
    /// - Throws: ``PartaError/Code/notInitialised`` if there is none yet.
    public static func open(directory: String, tighteningPermissions: Bool = true) throws -> PartaNode {
        let path = databasePath(directory)
        if tighteningPermissions, FileManager.default.fileExists(atPath: path) { tightenPermissions(directory) }
        guard FileManager.default.fileExists(atPath: path) else {
            throw PartaError(.notInitialised, Message(
                en: "There is no Parta data in \(directory) yet. Start with `parta init --from BUNDLE` (school) or `parta hub init --name NAME` (hub), or point --data to the right folder.",
                ru: "В папке \(directory) ещё нет данных Parta. Начните с `parta init --from ПАКЕТ` (школа) или `parta hub init --name НАЗВАНИЕ` (управление) либо укажите нужную папку через --data."))
        }
        let keys = try NodeKeys.load(from: directory)
        return node(replica: try Replica.open(at: path, schema: PartaSchema.schema, keys: keys), dataDirectory: directory)
    }

    /// Opens the hub in `directory`.
    ///
    /// - Throws: ``PartaError/Code/wrongNodeKind`` if it holds a school node, and what
    ///   ``open(directory:tighteningPermissions:)`` throws.
    public static func openHub(directory: String, tighteningPermissions: Bool = true) throws -> HubNode {
        try open(directory: directory, tighteningPermissions: tighteningPermissions).asHub()
    }

    /// Opens the school node in `directory`.
    ///
    /// - Throws: ``PartaError/Code/wrongNodeKind`` if it holds a hub, and what
    ///   ``open(directory:tighteningPermissions:)`` throws.
    public static func openSchool(directory: String, tighteningPermissions: Bool = true) throws -> SchoolNode {
        try open(directory: directory, tighteningPermissions: tighteningPermissions).asSchool()
    }

    /// Creates a municipal hub in `directory`.
    public static func createHub(directory: String, name: String, now: UInt64) throws -> HubNode {
        try prepare(directory)
        let keys = NodeKeys.generate()
        try keys.save(in: directory)
        let replica = try Replica.create(at: databasePath(directory), schema: PartaSchema.schema,
                                         nodeID: newNodeID(prefix: "hub"), role: .hub, name: name, keys: keys, now: now)
        tightenPermissions(directory)
        return HubNode(replica: replica, dataDirectory: directory)
    }

    /// Creates a school node from a bundle its hub wrote for the school and the one-time
    /// enrollment code the hub issued, then imports that bundle.
    ///
    /// `path` may be the bundle or a courier's folder: the bundle is the one the code opens. The
    /// code also vouches for the hub's keys in that bundle, which the node trusts from then on.
    public static func createSchoolNode(directory: String, fromBundle path: String, code: EnrollmentCode,
                                        name: String, now: UInt64) throws -> (SchoolNode, [ImportOutcome]) {
        var found: (path: String, header: ChangeSetHeader)?
        var lastError: Error?
        let candidates = try BundleFiles.bundlePaths(at: path)
        guard !candidates.isEmpty else {
            // Not the code's fault: say so, or the user retypes a right code.
            throw PartaError(.invalidArgument, Message(
                en: "There are no Parta bundles (.parta files) in \(path). Check that this is the courier's stick and the right folder; the code has not been used.",
                ru: "В \(path) нет пакетов Parta (файлов .parta). Проверьте, та ли это флешка и та ли папка; код не израсходован."))
        }
        for candidate in candidates {
            do {
                let reader = try ChangeSetReader(bytes: BundleFiles.read(candidate))
                guard case .partition = reader.header.recipient, reader.header.senderPartition == Change.everywhere,
                      reader.header.stanzas.contains(where: { $0.kind == .enrollmentCode }) else { continue }
                try reader.verifySignature(signingKey: reader.header.senderKeys?.signing ?? [])
                try reader.open(with: nil, codes: [code])
                found = (candidate, reader.header)
                break
            } catch {
                lastError = BundleError.wrap(error, path: candidate)
            }
        }
        guard let (bundlePath, header) = found, case .partition(let school) = header.recipient, let hubKeys = header.senderKeys else {
            if let lastError, candidates.count == 1 { throw lastError }
            throw PartaError(.invalidArgument, Message(
                en: "No bundle in \(path) opens with the code \(code). A new school computer starts from the bundle its hub exported for the school after issuing the code; check the code, or ask the municipal office to export again.",
                ru: "Ни один пакет в \(path) не открывается кодом \(code). Новый школьный компьютер подключается по пакету, выгруженному управлением для школы после выдачи кода; проверьте код или попросите управление выгрузить пакеты заново."))
        }
        try prepare(directory)
        // All or nothing: the node is made and its first bundle imported in a folder beside the
        // data folder, which takes its place only once the import has succeeded.
        let staging = try stagingFolder(beside: directory)
        let outcomes: [ImportOutcome]
        do {
            let keys = NodeKeys.generate()
            try keys.save(in: staging)
            let replica = try Replica.create(at: databasePath(staging), schema: PartaSchema.schema,
                                             nodeID: newNodeID(prefix: "node"), role: .member(partition: school), name: name, keys: keys,
                                             trustedHub: TrustedHub(id: header.sender, keys: hubKeys), enrollmentCode: code, now: now)
            outcomes = try SchoolNode(replica: replica, dataDirectory: staging).importBundles(at: bundlePath, now: now)
            replica.closeFile()
            for outcome in outcomes {
                guard case .failed(let error) = outcome.status else { continue }
                throw BundleError(error.code, path: error.path, reasonCode: error.reasonCode, message: Message(
                    en: error.message.en + " This computer was not set up; nothing was created in \(directory).",
                    ru: error.message.ru + " Компьютер не подключён; в \(directory) ничего не создано."))
            }
            try install(staging, as: directory)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        tightenPermissions(directory)
        let node = try openSchool(directory: directory)
        // From the first moment: a copy of the folder made before its first command is found too.
        try node.recordFileIdentity()
        return (node, outcomes)
    }

    /// A new private folder beside `directory` (same file system, so it can be renamed into place).
    static func stagingFolder(beside directory: String) throws -> String {
        let name = "." + FilePath.lastComponent(directory) + ".init-" + RandomID.symbols(8)
        let path = FilePath.joining(FilePath.parent(directory), name)
        try PrivateFiles.makeFolder(path)
        return path
    }

    /// Moves a node made in `staging` to `directory`: a rename if there is no such folder yet;
    /// otherwise entry by entry, the database last, since its presence is what makes a node.
    static func install(_ staging: String, as directory: String) throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: directory) {
            guard rename(staging, directory) == 0 else { throw BundleFiles.unwritable(directory, errno: errno) }
            return
        }
        let database = (databasePath(staging) as NSString).lastPathComponent
        let entries = try manager.contentsOfDirectory(atPath: staging)
        for entry in entries.filter({ $0 != database }) + entries.filter({ $0 == database }) {
            let target = (directory as NSString).appendingPathComponent(entry)
            // Without a database here (``prepare(_:)``), keys or journals left by an interrupted
            // set-up belong to no node.
            if manager.fileExists(atPath: target) { try? manager.removeItem(atPath: target) }
            guard rename((staging as NSString).appendingPathComponent(entry), target) == 0 else {
                throw BundleFiles.unwritable(target, errno: errno)
            }
        }
        try? manager.removeItem(atPath: staging)
    }

    /// School computer: whether this data folder is a copy of its node, found before it writes a
    /// change whose number the original may use too (replication-v1 §10b): its database is
    /// another file than the one this node last wrote (``FileIdentity``: the folder was copied, or
    /// moved to another disk or computer), or its counter is below the mark ``SentMark`` keeps
    /// beside the folder (a copy put back in place after the computer had sent more). If so it
    /// becomes a new computer of its school at once; everything it holds stays as it is.
    ///
    /// A hub only records its file's identity: it keeps its id wherever its folder goes (a hub's
    /// folder used in two places is refused by its schools).
    public func becomeSuccessorIfCopied(now: UInt64) throws -> Succession? {
        let recorded = try replica.recordedFileIdentity()
        let identity = FileIdentity.of(PartaNode.databasePath(dataDirectory), recorded: recorded)
        var cause: Succession.Cause?
        if !isHub, let identity, let recorded, identity != recorded {
            cause = .copiedOrMoved
        } else if !isHub, let sent = SentMark.read(dataDirectory: dataDirectory, node: replica.nodeID),
                  sent > (try replica.vectorClock())[replica.nodeID] {
            cause = .putBack
        }
        guard cause != nil || (identity != nil && identity != recorded) else { return nil }
        return try replica.transaction {
            let succession = try cause.map { try replica.becomeSuccessor(now: now, cause: $0) }
            if let identity { try replica.recordFileIdentity(identity) }
            return succession
        }
    }

    /// Records the identity of this node's database file (``FileIdentity``), where it has one.
    func recordFileIdentity() throws {
        if let identity = FileIdentity.of(PartaNode.databasePath(dataDirectory)) { try replica.recordFileIdentity(identity) }
    }

    /// Checks that `directory` holds no node yet, and makes it a private folder (0700).
    static func prepare(_ directory: String) throws {
        if FileManager.default.fileExists(atPath: databasePath(directory)) {
            throw PartaError(.alreadyInitialised, Message(
                en: "\(directory) already holds a Parta node. Use it as it is, or choose another folder with --data.",
                ru: "В папке \(directory) уже есть узел Parta. Используйте его или укажите другую папку через --data."))
        }
        try PrivateFiles.makeFolder(directory)
    }

    static func newNodeID(prefix: String) -> String {
        prefix + "-" + RandomID.symbols(8)
    }

    /// This node as a hub; a school node refuses, with a message saying where hub work belongs.
    public func asHub() throws -> HubNode {
        guard let hub = self as? HubNode else {
            throw PartaError(.wrongNodeKind, Message(
                en: "This is a school node; `parta hub …` commands run on the municipal hub.",
                ru: "Это узел школы; команды `parta hub …` выполняются в управлении образования."))
        }
        return hub
    }

    /// This node as a school node; a hub refuses, with a message saying where school work belongs.
    public func asSchool() throws -> SchoolNode {
        guard let school = self as? SchoolNode else {
            throw PartaError(.wrongNodeKind, Message(
                en: "This is the municipal hub; use `parta hub …` commands here (school commands run at schools).",
                ru: "Это узел управления образования; используйте команды `parta hub …` (школьные команды выполняются в школах)."))
        }
        return school
    }

    // MARK: Exchange

    /// Imports a bundle file or a whole stick folder.
    public func importBundles(at path: String, now: UInt64, progress: ((String, UInt64, UInt64) -> Void)? = nil) throws -> [ImportOutcome] {
        try BundleExchange(replica: replica).importBundles(at: path, now: now, progress: progress)
    }

    /// What a hub's export wrote, and the schools it could not write for.
    public struct SchoolsExport: Sendable {
        public var bundles: [ExportedBundle] = []
        /// Schools with no enrolled computer and no open enrollment code: nobody could open their bundle.
        public var schoolsWithoutComputers: [String] = []
    }
}

extension PartaNode {
    /// Writes an online backup of this node's replica to `path` (a new file), with the node's
    /// private keys inside it (a hub restored from it keeps the identity its schools trust; keep
    /// backups as safe as the computer itself). The file is made owner-only (0600) whatever the
    /// umask, and never through a link: anything already at `path` is refused.
    public func backup(to path: String) throws {
        let keys = try NodeKeys.load(from: dataDirectory)
        try replica.backup(to: path, attaching: keys.backupRows.map { (name: $0.0, value: $0.1) })
    }

    /// Restores a backup into `directory` (which must not hold a node yet). A school computer comes
    /// back as a new node of the same school, which joins with a new enrollment `code` from the hub;
    /// once it has sent its first bundle to the hub, the hub's answer holds everything the hub has
    /// for the school. A hub comes back with the keys its schools trust, which the backup carries.
    public static func restore(backup: String, into directory: String, name: String, code: EnrollmentCode?, now: UInt64) throws -> PartaNode {
        try prepare(directory)
        let contents: (attachments: [(name: String, value: String)]?, isHub: Bool)
        do {
            contents = try Replica.backupContents(at: backup)
        } catch let error as StoreError where error.code == .notFound {
            throw PartaError(.invalidArgument, Message(en: "\(backup) is not a Parta backup.", ru: "\(backup) — не резервная копия Parta."))
        }
        let saved = contents.attachments.flatMap { NodeKeys(backupRows: $0.map { ($0.name, $0.value) }) }
        let isHub = contents.isHub
        let keys: NodeKeys
        if isHub {
            guard let saved else {
                throw PartaError(.invalidArgument, Message(
                    en: "The backup \(backup) of a hub holds no keys, so its schools would not trust the restored hub. Use a backup made with `parta backup`.",
                    ru: "В резервной копии управления \(backup) нет ключей, и школы не будут доверять восстановленному узлу. Используйте копию, сделанную командой `parta backup`."))
            }
            keys = saved
        } else {
            guard code != nil else {
                throw PartaError(.invalidArgument, Message(
                    en: "A restored school computer joins as a new computer: ask the municipal office for an enrollment code and run `parta restore FILE --code CODE`.",
                    ru: "Восстановленный школьный компьютер подключается как новый: получите в управлении код подключения и выполните `parta restore ФАЙЛ --code КОД`."))
            }
            keys = NodeKeys.generate()
        }
        let replica = try Replica.restore(backup: backup, to: databasePath(directory), schema: PartaSchema.schema,
                                          newNodeID: newNodeID(prefix: "node"), name: name, keys: keys,
                                          enrollmentCode: isHub ? nil : code, now: now)
        tightenPermissions(directory)
        try keys.save(in: directory)
        let restored = node(replica: replica, dataDirectory: directory)
        // The backup's record names the file it was made from; this is the restored node's own.
        try restored.recordFileIdentity()
        return restored
    }
}

extension HubNode {
    /// Hub: removes from a courier's folder what nobody needs any more: schools' answers the hub
    /// has fully taken in (its clock covers their `upper` for every origin), answers from revoked
    /// computers, and `.partial` files left by a write that was cut off. Reads headers only; keeps
    /// anything it cannot read, so a damaged file is still there to be reported. Never follows a
    /// link: only regular files are removed, links and special files stay (an import names them).
    ///
    /// - Returns: the removed paths.
    public func pruneCourierFolder(_ directory: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        let local = try replica.vectorClock()
        var removed: [String] = []
        for path in try BundleFiles.bundlePaths(at: directory) {
            guard let header = try? ChangeSetReader(bytes: BundleFiles.read(path)).header,
                  case .node(let recipient) = header.recipient, recipient == replica.nodeID else { continue }
            let revoked = (try replica.enrolledNode(header.sender))?.revokedAt != nil
            let covered = header.upper.counters.allSatisfy { local[$0.key] >= $0.value }
            if revoked || covered {
                try BundleFiles.removeBundle(path)
                removed.append(path)
            }
        }
        removed += BundleFiles.removePartials(below: directory)
        return removed.sorted()
    }

    /// Hub: writes one bundle per school (the schools it governs directly and, on a region, one
    /// per municipality; or the given ones). A recipient that nobody could open a bundle for is
    /// listed, not written; named explicitly, it is an error.
    public func exportForSchools(_ schools: [String]? = nil, to directory: String, now: UInt64,
                                 progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> SchoolsExport {
        let municipalities = Set(try listMunicipalities().map(\.id))
        let targets = try schools ?? (directlyGovernedSchools() + municipalities.sorted())
        for id in targets where !municipalities.contains(id) {
            _ = try schoolName(id)
            if let owner = try municipality(ofSchool: id) {
                throw PartaError(.invalidArgument, Message(
                    en: "School \(id) belongs to municipality \(owner); its bundles come from that municipality's hub. Export for \(owner) instead.",
                    ru: "Школа \(id) относится к муниципалитету \(owner); её пакеты выгружает управление этого муниципалитета. Выгрузите пакет для \(owner)."))
            }
        }
        let exchange = BundleExchange(replica: replica)
        var result = SchoolsExport()
        for (index, id) in targets.enumerated() {
            defer { progress?(index + 1, targets.count) }
            do {
                result.bundles.append(try exchange.export(for: .partition(id), partitionFolder: id, to: directory, now: now))
            } catch let error as StoreError where error.code == .noRecipient && schools == nil {
                result.schoolsWithoutComputers.append(id)
            } catch let error as StoreError where error.code == .noRecipient {
                throw PartaError(.invalidArgument, Message(
                    en: "\(id) has no enrolled computer and no open enrollment code, so nobody could open its bundle. Issue a code with `parta hub school code \(id)` (or `parta hub municipality code \(id)`).",
                    ru: "У \(id) нет подключённых компьютеров и действующих кодов подключения, поэтому пакет некому открыть. Выдайте код: `parta hub school code \(id)` (или `parta hub municipality code \(id)`)."))
            }
        }
        return result
    }
}

extension SchoolNode {
    /// School: writes this node's answer for the hub under `directory/<school>/`.
    public func exportForHub(to directory: String, now: UInt64) throws -> ExportedBundle {
        let exported = try BundleExchange(replica: replica).export(for: .node(replica.hubID), partitionFolder: school, to: directory, now: now)
        SentMark.record(dataDirectory: dataDirectory, node: replica.nodeID, counter: try replica.vectorClock()[replica.nodeID])
        return exported
    }
}

/// A municipal or regional hub: a ``PartaNode`` with the work only a hub does (schools and
/// codes, tasks and resolutions, exports for schools, tiers, the courier's folder). Made only
/// from a replica whose role is `hub`, so its methods never check the role again.
public final class HubNode: PartaNode {}

/// A school computer: a ``PartaNode`` with the work only a school does (its answer for the hub,
/// copies of its folder). Made only from a replica of a school's partition.
public final class SchoolNode: PartaNode {}
