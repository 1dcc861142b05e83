import Foundation
import PartaTesting
import PartaCore
import PartaStore
import PartaApp

// MARK: - Workload data (shared by Parta and the raw reference)

enum Workload {
    static let school = "school-1"

    /// The replicated fields of task `i` (five of the schema's eleven), in a fixed order.
    static func taskFields(_ i: Int) -> [(String, String)] {
        let monthIndex = i % 10            // September 2020 … June 2021
        let year = monthIndex < 4 ? 2020 : 2021
        let month = monthIndex < 4 ? 9 + monthIndex : monthIndex - 3
        let day = i % 28 + 1
        return [
            ("number", "\(i / 100 + 1).\(i % 100 + 1)"),
            ("title", "Обеспечить выполнение мероприятия № \(i) плана работы на учебный год"),
            ("level", i % 3 == 0 ? "municipal" : "school"),
            ("deadline", String(format: "%04d-%02d-%02d", year, month, day)),
            ("deadline_kind", "date"),
        ]
    }

    static let taskColumns = taskFields(0).map(\.0)

    static func reportRow(task i: Int) -> String { PartaSchema.pairID(task: "t\(i)", school: school) }

    static let statuses = ["new", "in_progress", "done", "blocked"]
    static let phrases = [
        "Проведено совещание с педагогическим коллективом",
        "Мероприятие проведено, информация размещена на сайте школы",
        "Ожидаем поставку оборудования",
        "Приказ издан, ответственные назначены",
        "Работа ведётся по плану",
        "Отчёт направлен в управление образования",
        "Есть препятствия: нет финансирования",
    ]
}

/// One report edit: the status, progress and comment fields of one report row.
struct ReportEdit {
    var row: String
    var status: String
    var progress: Int64
    var comment: String

    var values: [String: Value] { ["status": .text(status), "progress": .integer(progress), "comment": .text(comment)] }
}

/// Generates report edits whose three fields all differ from the row's previous edit, so every
/// edit is exactly three field changes in Parta and three changed columns for SQLite's session.
struct EditFactory {
    var generator: SeededGenerator
    private(set) var current: [String: ReportEdit] = [:]
    private var round = 0

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func edits(forTasks tasks: ClosedRange<Int>) -> [ReportEdit] {
        round += 1
        return tasks.map { i in
            let row = Workload.reportRow(task: i)
            let old = current[row]
            let oldStatus = old.flatMap { Workload.statuses.firstIndex(of: $0.status) } ?? Int.random(in: 0..<4, using: &generator)
            let status = Workload.statuses[(oldStatus + Int.random(in: 1...3, using: &generator)) % 4]
            var progress = Int64.random(in: 0...100, using: &generator)
            if progress == old?.progress { progress = (progress + 7) % 101 }
            let phrase = Workload.phrases[Int.random(in: 0..<Workload.phrases.count, using: &generator)]
            let comment = "\(phrase) (этап \(round), охват \(Int.random(in: 10...900, using: &generator)) уч.)"
            let edit = ReportEdit(row: row, status: status, progress: progress, comment: comment)
            current[row] = edit
            return edit
        }
    }
}

// MARK: - A district: one hub with many tasks, one school member with its assignments synced

final class District {
    let root: TempRoot
    let hub: PartaNode
    let member: PartaNode
    let school = Workload.school
    private(set) var now: UInt64
    var setupInfo: [String: Any] = [:]

    var hubID: String { hub.replica.nodeID }

    func tick(_ ms: UInt64 = 1000) -> UInt64 { now += ms; return now }

    /// Builds the hub (`tasks` tasks, the first `assigned` assigned to the school), creates the
    /// school member from the hub's bundle, and syncs both ways so each has acknowledged the other.
    init(root: TempRoot, tasks: Int, assigned: Int) throws {
        self.root = root
        var now = milliseconds(year: 2020, month: 9, day: 1, hour: 8)
        let hub = try PartaNode.createHub(directory: try root.folder("hub"), name: "Управление образования", now: now)
        guard let code = try hub.addSchool(id: Workload.school, name: "Школа № 1", now: now) else { throw BenchFailure("no enrollment code") }
        var info: [String: Any] = [:]

        let hubReplica = hub.replica
        log("setup: writing \(tasks) tasks × \(Workload.taskColumns.count) fields and \(assigned) assignments at the hub (one transaction)")
        let (_, buildMs) = try timed {
            try hubReplica.database.transaction {
                for i in 1...tasks {
                    now += 1
                    var values: [String: Value] = [:]
                    for (k, v) in Workload.taskFields(i) { values[k] = .text(v) }
                    try hubReplica.write(table: "tasks", row: "t\(i)", values: values, now: now)
                }
                for i in 1...assigned {
                    now += 1
                    try hubReplica.write(table: "assignments", row: Workload.reportRow(task: i), partition: Workload.school,
                                         values: ["task": .text("t\(i)"), "school": .text(Workload.school)], now: now)
                }
            }
        }
        let localChanges = tasks * Workload.taskColumns.count + assigned * 2
        info["setup_hub_write_changes"] = localChanges
        info["setup_hub_write_s"] = rounded(buildMs / 1000)
        info["setup_hub_write_changes_per_s"] = rounded(Double(localChanges) / (buildMs / 1000), 0)
        log("setup: hub written in \(fixed(buildMs / 1000, 1)) s (\(grouped(Double(localChanges) / (buildMs / 1000))) local field writes/s)")

        let stick = try root.folder("stick")
        now += 60_000
        let (exported, exportMs) = try timed { try hub.exportForSchools([Workload.school], to: stick, now: now) }
        guard let first = exported.bundles.first else { throw BenchFailure("hub exported nothing") }
        info["setup_school_bundle_changes"] = Int(first.changeCount)
        info["setup_school_bundle_bytes"] = first.byteCount
        info["setup_school_bundle_export_s"] = rounded(exportMs / 1000)
        log("setup: hub's first bundle for the school: \(first.changeCount) changes, \(first.byteCount) bytes, \(fixed(exportMs / 1000, 2)) s")

        now += 60_000
        let ((created, outcomes), createMs) = try timed {
            try PartaNode.createSchoolNode(directory: try root.folder("school"), fromBundle: first.path, code: code, name: "Школа № 1, завуч", now: now)
        }
        let member = created
        for outcome in outcomes {
            if case .failed(let error) = outcome.status { throw BenchFailure("school creation import failed: \(error)") }
        }
        info["setup_school_import_s"] = rounded(createMs / 1000)
        info["setup_school_import_changes_per_s"] = rounded(Double(first.changeCount) / (createMs / 1000), 0)
        log("setup: school node created and first bundle applied in \(fixed(createMs / 1000, 2)) s")
        self.hub = hub
        self.member = member
        self.now = now
        self.setupInfo = info

        // The school introduces itself to the hub, and the hub answers: both now acknowledge each other.
        _ = try memberToHub()
        _ = try hubToMember()
        try checkpoint()
    }

    /// The member's delta for the hub, applied at the hub.
    @discardableResult
    func memberToHub() throws -> (bytes: [UInt8], report: ApplyReport) {
        let (_, bytes) = try member.replica.exportBundle(for: .node(hubID), now: tick(), bundleID: randomBundleID())
        let report = try hub.replica.apply(ChangeSetReader(bytes: bytes), now: tick())
        return (bytes, report)
    }

    /// The hub's delta for the school, applied at the member.
    @discardableResult
    func hubToMember() throws -> (bytes: [UInt8], report: ApplyReport) {
        let (_, bytes) = try hub.replica.exportBundle(for: .partition(school), now: tick(), bundleID: randomBundleID())
        let report = try member.replica.apply(ChangeSetReader(bytes: bytes), now: tick())
        return (bytes, report)
    }

    /// Writes report edits at the member, all in one transaction (as a burst of local work).
    func writeAtMember(_ edits: [ReportEdit]) throws {
        let replica = member.replica
        try replica.database.transaction {
            for e in edits {
                try replica.write(table: "reports", row: e.row, partition: school, values: e.values, now: tick(1))
            }
        }
    }

    /// Folds the WAL into the main files so no measurement pays for an earlier step's checkpoint.
    func checkpoint() throws {
        try hub.replica.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try member.replica.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// A consistent copy of the hub's database (SQLite's online backup) under the run's folder.
    func hubCopy(_ name: String) throws -> String {
        let path = root.file(name)
        try hub.replica.database.backup(to: path)
        return path
    }

    /// A copy of a closed database file (its WAL was folded in).
    func copyDatabase(_ source: String, to name: String) throws -> String {
        let path = root.file(name)
        removeDatabase(path)
        try FileManager.default.copyItem(atPath: source, toPath: path)
        return path
    }

    func removeDatabase(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    var hubDatabasePath: String { hub.replica.database.path }
    var memberDatabasePath: String { member.replica.database.path }
    var memberDirectory: String { member.dataDirectory }
}
