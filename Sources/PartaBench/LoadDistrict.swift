import Foundation
import PartaTesting
import PartaCore
import PartaStore
import PartaBundle
import PartaApp

/// One school of the load benchmark: an enrolled node in its own data folder, and the bundle it
/// POSTs on the morning of the benchmark.
struct LoadSchool {
    let id: String
    let node: String
    let directory: String
    var bundle: [UInt8] = []
    var edits = 0
    var changes = 0
}

/// 7. The district of the load benchmark: one hub with `schools` schools, each with one enrolled
/// computer that has already synced (so both sides acknowledge each other and the hub holds the
/// school's earlier reports), then a morning: the hub moves a deadline, and every school edits a
/// few reports and writes its bundle for the hub, as `parta sync` would before its POST.
///
/// Nodes are enrolled with ``Replica/enrollMember(_:partition:name:keys:now:)`` rather than with a
/// code each: the benchmark is about the steady state, and enrolment by code ends in the same rows.
/// Time is the wall clock, as the hub's server reads it.
final class LoadDistrict {
    let root: TempRoot
    let hubDirectory: String
    let bundleDirectory: String
    private(set) var schools: [LoadSchool] = []
    var info: [String: Any] = [:]

    static let tasks = 60
    static let sharedTasks = 30      // assigned to every school (the district's plan)
    static let ownTasks = 10         // and a rotating slice of the other 30
    static let priorReports = 20     // reports each school already sent on earlier days

    static func schoolID(_ i: Int) -> String { String(format: "school-%03d", i) }

    static func assignedTasks(school i: Int) -> [Int] {
        Array(1...sharedTasks) + (0..<ownTasks).map { sharedTasks + 1 + (i * 7 + $0) % (tasks - sharedTasks) }
    }

    init(root: TempRoot, schools count: Int, seed: UInt64 = 7) throws {
        self.root = root
        hubDirectory = try root.folder("hub")
        bundleDirectory = try root.folder("bundles")
        var g = SeededGenerator(seed: seed)

        let hub = try PartaNode.createHub(directory: hubDirectory, name: "Отдел образования администрации района", now: wallMilliseconds())
        let hubReplica = hub.replica
        let ids = (1...count).map(LoadDistrict.schoolID)
        let (_, hubMs) = try timed {
            try hubReplica.database.transaction {
                let now = wallMilliseconds()
                for (i, id) in ids.enumerated() {
                    try hubReplica.write(table: "schools", row: id, partition: id,
                                         values: ["name": .text("МБОУ «Средняя общеобразовательная школа № \(i + 1)»")], now: now)
                }
                for t in 1...LoadDistrict.tasks {
                    try hubReplica.write(table: "tasks", row: "t\(t)", values: LoadDistrict.taskValues(t), now: now)
                }
                for (i, id) in ids.enumerated() {
                    for t in LoadDistrict.assignedTasks(school: i + 1) {
                        try hubReplica.write(table: "assignments", row: PartaSchema.pairID(task: "t\(t)", school: id), partition: id,
                                             values: ["task": .text("t\(t)"), "school": .text(id)], now: now)
                    }
                }
            }
        }
        log("7: setup: hub with \(count) schools, \(LoadDistrict.tasks) tasks, \(count * (LoadDistrict.sharedTasks + LoadDistrict.ownTasks)) assignments (\(fixed(hubMs / 1000, 1)) s)")

        // Each school computer: created, enrolled, first answer from the hub, earlier reports sent, answered.
        let started = monotonicNanos()
        let hubKeys = TrustedHub(id: hubReplica.nodeID, keys: hubReplica.keys.publicKeys)
        for (index, id) in ids.enumerated() {
            let directory = try root.folder("schools/\(id)")
            let keys = NodeKeys.generate()
            try keys.save(in: directory)
            let nodeID = "node-\(id)"
            let name = "Школа № \(index + 1), секретарь"
            let created = try Replica.create(at: (directory as NSString).appendingPathComponent(PartaNode.databaseName), schema: PartaSchema.schema,
                                             nodeID: nodeID, role: .member(partition: id), name: name, keys: keys,
                                             trustedHub: hubKeys, now: wallMilliseconds())
            created.database.close()
            try hubReplica.enrollMember(nodeID, partition: id, name: name, keys: keys.publicKeys, now: wallMilliseconds())
            let school = try PartaNode.open(directory: directory)
            try deliver(try bundle(from: hubReplica, to: .partition(id), now: wallMilliseconds()), to: school.replica, now: wallMilliseconds())
            let assigned = LoadDistrict.assignedTasks(school: index + 1)
            for t in assigned.prefix(LoadDistrict.priorReports) {
                let r = LoadDistrict.reportValues(&g)
                try school.report(task: "t\(t)", status: r.status, progress: r.progress, comment: r.comment, indicators: r.indicators, now: wallMilliseconds())
            }
            try deliver(try bundle(from: school.replica, to: .node(hubReplica.nodeID), now: wallMilliseconds()), to: hubReplica, now: wallMilliseconds())
            try deliver(try bundle(from: hubReplica, to: .partition(id), now: wallMilliseconds()), to: school.replica, now: wallMilliseconds())
            school.replica.database.close()
            schools.append(LoadSchool(id: id, node: nodeID, directory: directory))
            if (index + 1) % 50 == 0 || index + 1 == count {
                let s = Double(monotonicNanos() - started) / 1e9
                log("7: setup: \(index + 1)/\(count) school computers created, enrolled and synced once (\(fixed(s, 1)) s)")
            }
        }
        let schoolsSeconds = Double(monotonicNanos() - started) / 1e9

        // The morning: the hub moves a deadline of the shared plan; every school edits 3 to 10 reports.
        try hubReplica.write(table: "tasks", row: "t1", values: ["deadline": .text("2020-10-15"), "deadline_raw": .text("до 15 октября 2020 года")],
                             now: wallMilliseconds())
        var totalEdits = 0, totalChanges = 0, totalBytes = 0
        for (index, var s) in schools.enumerated() {
            let school = try PartaNode.open(directory: s.directory)
            let assigned = LoadDistrict.assignedTasks(school: index + 1)
            let n = Int.random(in: 3...10, using: &g)
            var chosen: [Int] = []
            while chosen.count < n {
                let t = assigned[Int.random(in: 0..<assigned.count, using: &g)]
                if !chosen.contains(t) { chosen.append(t) }
            }
            for t in chosen {
                let r = LoadDistrict.reportValues(&g)
                try school.report(task: "t\(t)", status: r.status, progress: r.progress, comment: r.comment, indicators: r.indicators, now: wallMilliseconds())
            }
            let (header, bytes) = try school.replica.exportBundle(for: .node(hubReplica.nodeID), now: wallMilliseconds(), bundleID: randomBundleID())
            school.replica.database.close()
            try BundleFiles.writeAtomically(bytes, to: (bundleDirectory as NSString).appendingPathComponent("\(s.id).parta"))
            s.bundle = bytes
            s.edits = n
            s.changes = Int(header.changeCount)
            schools[index] = s
            totalEdits += n
            totalChanges += s.changes
            totalBytes += bytes.count
        }
        try hubReplica.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let hubMB = databaseSizeMB(PartaNodePaths.database(hubDirectory))
        hubReplica.database.close()
        info = [
            "load_setup_schools_s": rounded(schoolsSeconds, 1),
            "load_report_edits": totalEdits,
            "load_changes": totalChanges,
            "load_bundle_bytes_mean": rounded(Double(totalBytes) / Double(count), 0),
            "load_hub_db_mb": rounded(hubMB, 1),
            "load_tasks_per_school": LoadDistrict.sharedTasks + LoadDistrict.ownTasks,
        ]
        log("7: setup: the morning's bundles: \(totalEdits) report edits, \(totalChanges) changes, \(grouped(Double(totalBytes) / Double(count))) B per school on average; hub database \(fixed(hubMB, 1)) MB")
    }

    /// A copy of the hub's data folder (the database was checkpointed and closed).
    func copyOfHub(_ name: String) throws -> String {
        let path = root.file(name)
        try FileManager.default.copyItem(atPath: hubDirectory, toPath: path)
        return path
    }

    // MARK: Data

    static func taskValues(_ t: Int) -> [String: Value] {
        var values: [String: Value] = [:]
        for (k, v) in Workload.taskFields(t) { values[k] = .text(v) }
        values["body"] = .text("Во исполнение решения августовской конференции педагогических работников района обеспечить выполнение мероприятия № \(t): "
            + "назначить ответственных, утвердить план мероприятий, провести разъяснительную работу с педагогами и родителями, "
            + "результаты разместить на официальном сайте образовательной организации.")
        values["section"] = .text("Раздел \(t % 6 + 1). \(["Воспитание", "Качество образования", "Кадры", "Безопасность", "Цифровая среда", "Инклюзия"][t % 6])")
        values["addressees"] = .text("Руководителям общеобразовательных организаций")
        values["deadline_raw"] = values["deadline"]
        values["targets"] = .text("охват обучающихся не менее \(60 + t % 40)%")
        values["resolution"] = .text("Решение конференции от 27.08.2020, п. \(t / 10 + 1).\(t % 10 + 1)")
        return values
    }

    static let sentences = [
        "Проведено совещание при директоре, назначены ответственные за выполнение.",
        "Мероприятие проведено в 5–9 классах, информация размещена на сайте школы.",
        "Ожидаем поставку оборудования по муниципальному контракту, срок поставки перенесён поставщиком.",
        "Приказ по школе издан, план мероприятий утверждён педагогическим советом.",
        "Работа ведётся по плану; промежуточные итоги рассмотрены на методическом объединении.",
        "Отчёт направлен в управление образования письмом от директора.",
        "Есть препятствия: не выделено финансирование, направлена заявка учредителю.",
        "Проведены родительские собрания во всех классах, явка около 70%.",
        "Педагоги прошли курсы повышения квалификации (72 часа), удостоверения получены.",
        "Разработана и утверждена рабочая программа, внесены изменения в учебный план.",
        "Закуплены учебники и пособия, обеспеченность обучающихся составляет 100%.",
        "Проведён мониторинг, результаты обсуждены с классными руководителями.",
    ]

    /// One report edit as a school clerk writes it: a status, a progress, a comment of one to three
    /// sentences (about 100–400 bytes of UTF-8) and, sometimes, an indicator.
    static func reportValues(_ g: inout SeededGenerator) -> (status: ReportStatus, progress: Int, comment: String, indicators: [String: Double]) {
        let status = [ReportStatus.inProgress, .inProgress, .done, .blocked][Int.random(in: 0..<4, using: &g)]
        let progress = status == .done ? 100 : Int.random(in: 5...95, using: &g)
        let comment = (0..<Int.random(in: 1...3, using: &g)).map { _ in sentences[Int.random(in: 0..<sentences.count, using: &g)] }
            .joined(separator: " ") + " Охват: \(Int.random(in: 12...900, using: &g)) обучающихся."
        let indicators: [String: Double] = Int.random(in: 0..<3, using: &g) == 0 ? ["охват": Double(Int.random(in: 10...100, using: &g))] : [:]
        return (status, progress, comment, indicators)
    }
}

/// The wall clock in milliseconds, as the hub's server reads it.
func wallMilliseconds() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }
