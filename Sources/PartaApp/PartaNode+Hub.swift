import Foundation
import PartaCore
import PartaStore

extension PartaNode {
    public struct SchoolEntry: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
    }

    static func codeValidity(days: Int) throws -> UInt64 {
        guard (1...365).contains(days) else {
            throw PartaError(.invalidArgument, Message(
                en: "A code is valid for 1 to 365 days.", ru: "Код может действовать от 1 до 365 дней."))
        }
        return UInt64(days) * 86_400_000
    }

    /// A school computer as the hub sees it.
    public struct NodeEntry: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var school: String
        /// Fingerprint of its signing key.
        public var key: String?
        public var revokedAt: String?
        public var lastBundleAt: String?
    }

    public func listSchools() throws -> [SchoolEntry] {
        try SchoolQueries(replica).list().map { SchoolEntry(id: $0.id, name: $0.name) }
    }

    /// The registered name of school `id`.
    ///
    /// - Throws: ``PartaError/Code/schoolNotFound`` naming the commands that list and add schools.
    public func schoolName(_ id: String) throws -> String {
        guard let name = try SchoolQueries(replica).name(id) else {
            throw PartaError(.schoolNotFound, Message(
                en: "There is no school \(id). See the list with `parta hub schools`, or add it with `parta hub school add`.",
                ru: "Школы \(id) нет. Список — `parta hub schools`, добавить — `parta hub school add`."))
        }
        return name
    }

    /// The fields of a new task.
    public struct NewTask: Sendable {
        public var title: String
        public var number: String = ""
        public var body: String = ""
        public var section: String = ""
        public var level: String = "school"
        public var addressees: String = ""
        public var deadline: String = ""
        public var deadlineKind: String = "none"
        public var deadlineRaw: String = ""
        public var targets: String = ""
        public var resolution: String = ""

        public init(title: String) { self.title = title }
    }

    /// The part of this hub's task ids that tells them from other hubs' (its node id without `hub-`).
    public var taskTag: String {
        replica.nodeID.hasPrefix("hub-") ? String(replica.nodeID.dropFirst(4)) : replica.nodeID
    }

    /// The id of this hub's next task: `t<n>-<hub>`, unique across hubs, so a region holds every
    /// municipality's tasks side by side. After a restore, `t<n>.<restore tag>-<hub>`: the tasks
    /// written between the backup and the loss are missing here (the schools bring them back
    /// later), so the next number may be one of theirs, but not with this tag.
    func nextTaskID() throws -> String {
        let suffix = "-" + taskTag
        let next = try TaskQueries(replica).largestNumber(suffix: suffix) + 1
        return "t\(next)" + (try replica.restoreTag().map { "." + $0 } ?? "") + suffix
    }

}

extension HubNode {
    /// Registers a school (hub only) and issues the first enrollment code for its computers.
    /// Re-adding an existing id renames it and issues no code.
    @discardableResult
    public func addSchool(id: String, name: String, now: UInt64, codeValidDays: Int = 30) throws -> EnrollmentCode? {
        try PartaNode.checkID(id)
        if let owner = try municipality(ofSchool: id) ?? (try listMunicipalities().contains { $0.id == id } ? id : nil) {
            throw PartaError(.invalidArgument, Message(
                en: "\(id) is already used in the region (by municipality \(owner)); choose another id, for example with your municipality's prefix.",
                ru: "Код \(id) уже занят в регионе (муниципалитет \(owner)); выберите другой, например с префиксом вашего муниципалитета."))
        }
        let isNew = try !SchoolQueries(replica).exists(id)
        return try replica.transaction {
            // The school's partition is this hub's: a region above accepts its data from this hub only.
            try replica.claimPartitions([id], now: now)
            try replica.write(table: "schools", row: id, partition: id, values: ["name": .text(name)], now: now)
            return isNew ? try replica.issueEnrollmentCode(partition: id, now: now, validity: try PartaNode.codeValidity(days: codeValidDays)) : nil
        }
    }

    /// Issues a one-time enrollment code for another computer of `school` (hub only), open for
    /// `validDays` days (1…365).
    public func issueEnrollmentCode(school: String, now: UInt64, validDays: Int = 30) throws -> EnrollmentCode {
        _ = try schoolName(school)
        return try replica.issueEnrollmentCode(partition: school, now: now, validity: try PartaNode.codeValidity(days: validDays))
    }

    /// Withdraws an open enrollment code as typed by a person (hub only).
    ///
    /// - Returns: the school (or municipality) the code was for.
    /// - Throws: ``PartaError/Code/invalidArgument`` for text that is not a code; the store's
    ///   `rowNotFound` for a code this hub never issued or that was used already.
    public func withdrawEnrollmentCode(_ text: String, now: UInt64) throws -> String {
        guard let code = EnrollmentCode(text) else {
            throw PartaError(.invalidArgument, Message(
                en: "\(text) is not an enrollment code (16 letters and digits, as XXXX-XXXX-XXXX-XXXX).",
                ru: "\(text) — не код подключения (16 букв и цифр, вида XXXX-XXXX-XXXX-XXXX)."))
        }
        return try replica.withdrawEnrollmentCode(code, now: now)
    }

    /// The school computers enrolled at this hub, with their state (hub only).
    public func listNodes() throws -> [NodeEntry] {
        return try replica.nodes().filter { $0.role == .member }.map { node in
            let last = try replica.lastBundleReceived(from: node.id)
            return NodeEntry(id: node.id, name: node.name, school: node.partition, key: node.keys?.fingerprint,
                             revokedAt: node.revokedAt.map { CivilTime.iso8601(milliseconds: $0) },
                             lastBundleAt: last.map { CivilTime.iso8601(milliseconds: UInt64($0)) })
        }
    }

    /// Stops accepting bundles from a lost or retired school computer (hub only). What it sent
    /// before stays; the school's other computers are not affected.
    public func revokeNode(_ id: String, now: UInt64) throws {
        try replica.revoke(node: id, now: now)
    }

    /// Adds a task (hub only) and returns its id (`t1-k3m9x2pq`, `t2-k3m9x2pq`, …; `parta` accepts
    /// the short `t1` wherever it is unambiguous).
    @discardableResult
    public func addTask(_ task: NewTask, assignTo schools: [String] = [], now: UInt64) throws -> String {
        guard !task.title.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw PartaError(.invalidArgument, Message(en: "A task needs a title.", ru: "У задачи должно быть название."))
        }
        if !task.deadline.isEmpty, PartaNode.parseISODate(task.deadline) == nil {
            throw PartaError(.invalidArgument, Message(
                en: "The deadline \(task.deadline) is not a date; write it as YYYY-MM-DD (for example 2020-09-01).",
                ru: "Срок \(task.deadline) — не дата; укажите его как ГГГГ-ММ-ДД (например, 2020-09-01)."))
        }
        for school in schools { _ = try schoolName(school) }
        return try replica.transaction {
            let id = try nextTaskID()
            var kind = task.deadlineKind
            if !task.deadline.isEmpty && kind == "none" { kind = "date" }
            try replica.write(table: "tasks", row: id, values: [
                "number": .text(task.number), "title": .text(task.title), "body": .text(task.body),
                "section": .text(task.section), "level": .text(task.level), "addressees": .text(task.addressees),
                "deadline": .text(task.deadline), "deadline_kind": .text(kind),
                "deadline_raw": .text(task.deadlineRaw.isEmpty ? task.deadline : task.deadlineRaw),
                "targets": .text(task.targets), "resolution": .text(task.resolution),
            ], now: now)
            try assign(task: id, to: schools, now: now)
            return id
        }
    }

    /// Assigns a task to schools (hub only); already assigned schools are left as they are (nothing
    /// is written for them).
    ///
    /// - Returns: how many assignments are new.
    @discardableResult
    public func assign(task: String, to schools: [String], now: UInt64) throws -> Int {
        let id = try resolveTask(task)
        let queries = TaskQueries(replica)
        return try replica.transaction {
            var added = 0
            for school in schools {
                _ = try schoolName(school)
                let pair = PartaSchema.pairID(task: id, school: school)
                if try queries.assignmentExists(pair) { continue }
                try replica.write(table: "assignments", row: pair, partition: school, values: ["task": .text(id), "school": .text(school)], now: now)
                added += 1
            }
            return added
        }
    }

    /// Withdraws a task from a school (hub only). The school's report stays in the history.
    public func unassign(task: String, from school: String, now: UInt64) throws {
        let id = try resolveTask(task)
        let row = PartaSchema.pairID(task: id, school: school)
        let writers = try replica.writers(ofRow: row, in: "assignments")
        if let upstream = replica.upstream, !writers.isEmpty, !writers.contains(replica.nodeID) {
            throw PartaError(.writtenByAnotherTier, Message(
                en: "Task \(task) was assigned to \(school) by the region (\(upstream.id)); only the region can withdraw it. Nothing was changed.",
                ru: "Задачу \(task) школе \(school) назначил регион (\(upstream.id)); снять её может только регион. Ничего не изменено."))
        }
        do {
            try replica.delete(table: "assignments", row: row, now: now)
        } catch let error as StoreError where error.code == .rowNotFound {
            throw PartaError(.notAssigned, Message(
                en: "Task \(task) is not assigned to \(school).", ru: "Задача \(task) не назначена школе \(school)."))
        }
    }

    /// Progress per task and per school, as of `today` (hub only).
    public func hubReport(today: String) throws -> HubReport {
        let rows = try SchoolQueries(replica).assignmentProgress()
        var tasks: [String: TaskProgress] = [:]
        var taskOrder: [String] = []
        var schools: [String: SchoolProgress] = [:]
        var progressSums: [String: Double] = [:]
        // Freshness is when the school (or, at a region, its municipality's hub) made its newest bundle.
        let made = try replica.newestBundlesMade()
        for school in try listSchools() {
            let municipality = try municipality(ofSchool: school.id)
            schools[school.id] = SchoolProgress(id: school.id, name: school.name, assigned: 0, byStatus: [:], overdue: 0,
                                                lastHeardFrom: Int64(clamping: (municipality.map { made.byDomain[$0] } ?? made.byPartition[school.id]) ?? 0),
                                                municipality: municipality ?? "")
        }
        for r in rows {
            let id = r.task, deadline = r.deadline, school = r.school
            let status = r.status, progress = Double(ReportStatus.shownProgress(status: status, stored: r.progress))
            let overdue = PartaNode.isOverdue(deadline: deadline, status: status, today: today)
            if tasks[id] == nil {
                taskOrder.append(id)
                tasks[id] = TaskProgress(id: id, number: r.number, title: r.title, deadline: deadline,
                                         assigned: 0, byStatus: [:], averageProgress: 0, overdue: 0)
            }
            tasks[id]!.assigned += 1
            tasks[id]!.byStatus[status, default: 0] += 1
            tasks[id]!.overdue += overdue ? 1 : 0
            progressSums[id, default: 0] += progress
            schools[school]?.assigned += 1
            schools[school]?.byStatus[status, default: 0] += 1
            schools[school]?.overdue += overdue ? 1 : 0
        }
        for id in taskOrder { tasks[id]!.averageProgress = (progressSums[id] ?? 0) / Double(max(1, tasks[id]!.assigned)) }
        return HubReport(tasks: taskOrder.compactMap { tasks[$0] },
                         schools: schools.values.sorted { $0.id < $1.id })
    }
}
