import Foundation
import PartaCore
import PartaStore
import PartaApp
import PartaRecords

/// What the dashboard's pages show, read from the hub's replica in a few queries whose cost
/// follows the number of assignments (one pass) and of schools and tasks.
struct DashboardData {
    let node: HubNode
    /// `YYYY-MM-DD`: tasks due before it and not done are overdue.
    let today: String
    let now: UInt64
    var queries: DashboardQueries { DashboardQueries(node.replica) }

    /// One task's roll-up over the schools it is assigned to (and the hub's own status for its own tasks).
    struct TaskRow {
        var id: String, number: String, title: String, level: String, resolution: String
        var deadline: String, deadlineText: String
        var assigned = 0, done = 0, inProgress = 0, blocked = 0, overdue = 0
        var progressSum = 0
        /// The hub's own status on its own municipal-level task; empty otherwise.
        var ownStatus = "", ownProgress = 0, ownComment = "", ownAuthor = "", ownReportedAt: Int64 = 0
        var isOwn: Bool { !ownStatus.isEmpty }
        var percentDone: Double { assigned == 0 ? (ownStatus == ReportStatus.done.rawValue ? 100 : 0) : Double(done) * 100 / Double(assigned) }
        var averageProgress: Double { assigned == 0 ? Double(ownProgress) : Double(progressSum) / Double(assigned) }
    }

    /// One school's roll-up over its tasks, with when and how its data last came.
    struct SchoolRow {
        var id: String, name: String, municipality: String
        var assigned = 0, done = 0, inProgress = 0, blocked = 0, overdue = 0
        /// Local time (ms) of the last bundle from the school (at a region: from its municipality); 0: never.
        var lastHeard: Int64 = 0
        /// `http`, a file's path (a USB stick), or empty if unknown.
        var lastChannel = ""
        var new: Int { assigned - done - inProgress - blocked }
        var percentDone: Double { assigned == 0 ? 0 : Double(done) * 100 / Double(assigned) }
    }

    struct ResolutionRow {
        var id: String, title: String, kind: String, date: String
        var tasks = 0, assignments = 0, done = 0, overdue = 0, ownTasks = 0, ownDone = 0
        var schools: Set<String> = []
        var silentSchools = 0
        var percentDone: Double { assignments == 0 ? 0 : Double(done) * 100 / Double(assignments) }
    }

    struct Rollup {
        var tasks: [TaskRow]
        var schools: [SchoolRow]
        var resolutions: [ResolutionRow]
    }

    /// Every task, with the hub's own status on its own tasks, but no roll-up over schools.
    func taskRows() throws -> [TaskRow] {
        return try queries.hubTasks(hub: node.replica.nodeID).map { r in
            var row = TaskRow(id: r.id, number: r.number, title: r.title, level: r.level,
                              resolution: r.resolution, deadline: r.deadline, deadlineText: r.deadlineText)
            if node.isOwnTask(id: r.id, level: r.level, hasOwnReport: r.ownStatus != nil) {
                row.ownStatus = r.ownStatus ?? ReportStatus.new.rawValue
                row.ownProgress = ReportStatus.shownProgress(status: r.ownStatus, stored: r.ownProgress)
                row.ownComment = r.ownComment
                row.ownAuthor = r.ownAuthor
                row.ownReportedAt = r.ownReportedAt
            }
            return row
        }
    }

    /// Every task and school rolled up in one pass over the assignments.
    func rollup(silentDays: Int) throws -> Rollup {
        var tasks = try taskRows()
        var taskIndex: [String: Int] = [:]
        for (i, task) in tasks.enumerated() { taskIndex[task.id] = i }
        var schools = try schoolRows()
        var schoolIndex: [String: Int] = [:]
        for (i, s) in schools.enumerated() { schoolIndex[s.id] = i }
        var schoolsOfResolution: [String: Set<String>] = [:]

        // One pass over every assignment with its report: the cost of the overview.
        try queries.forEachAssignment { task, school, status, stored in
            guard let t = taskIndex[task] else { return }
            let progress = ReportStatus.shownProgress(status: status, stored: stored)
            let overdue = PartaNode.isOverdue(deadline: tasks[t].deadline, status: status, today: today)
            tasks[t].assigned += 1
            tasks[t].progressSum += progress
            tasks[t].overdue += overdue ? 1 : 0
            let known = ReportStatus(rawValue: status)
            switch known {
            case .done: tasks[t].done += 1
            case .inProgress: tasks[t].inProgress += 1
            case .blocked: tasks[t].blocked += 1
            case .new, nil: break
            }
            schoolsOfResolution[tasks[t].resolution, default: []].insert(school)
            guard let s = schoolIndex[school] else { return }
            schools[s].assigned += 1
            schools[s].overdue += overdue ? 1 : 0
            switch known {
            case .done: schools[s].done += 1
            case .inProgress: schools[s].inProgress += 1
            case .blocked: schools[s].blocked += 1
            case .new, nil: break
            }
        }

        var resolutions: [ResolutionRow] = try ResolutionQueries(node.replica).list().map {
            ResolutionRow(id: $0.id, title: $0.title, kind: $0.kind, date: $0.date)
        }
        var resolutionIndex: [String: Int] = [:]
        for (i, r) in resolutions.enumerated() { resolutionIndex[r.id] = i }
        if tasks.contains(where: { resolutionIndex[$0.resolution] == nil }) {
            resolutionIndex[""] = resolutions.count
            resolutions.append(ResolutionRow(id: "", title: "", kind: "", date: ""))
        }
        for task in tasks {
            let i = resolutionIndex[task.resolution] ?? resolutionIndex[""]!
            resolutions[i].tasks += 1
            resolutions[i].assignments += task.assigned
            resolutions[i].done += task.done
            resolutions[i].overdue += task.overdue + (task.isOwn && PartaNode.isOverdue(deadline: task.deadline, status: task.ownStatus, today: today) ? 1 : 0)
            if task.isOwn {
                resolutions[i].ownTasks += 1
                resolutions[i].ownDone += task.ownStatus == ReportStatus.done.rawValue ? 1 : 0
            }
            resolutions[i].schools.formUnion(schoolsOfResolution[task.resolution] ?? [])
        }
        let silentBefore = Int64(now) - Int64(silentDays) * 86_400_000
        let silent = Set(schools.filter { $0.lastHeard < silentBefore }.map(\.id))
        for i in resolutions.indices { resolutions[i].silentSchools = resolutions[i].schools.intersection(silent).count }
        return Rollup(tasks: tasks, schools: schools, resolutions: resolutions)
    }

    /// Every school with its municipality (at a region) and its last bundle.
    func schoolRows() throws -> [SchoolRow] {
        let domainOf = try NodeQueries(node.replica).domainsByPartition()
        let ownDomain = node.replica.domain
        let (lastByPartition, lastByDomain) = try node.replica.lastBundlesReceived()
        let made = try node.replica.newestBundlesMade()
        return try node.listSchools().map { school in
            let domain = domainOf[school.id] ?? ""
            let municipality = domain.isEmpty || domain == ownDomain ? "" : domain
            let last = municipality.isEmpty ? lastByPartition[school.id] : lastByDomain[municipality]
            // Freshness is when the news was made, not when a stick carried it here (an old stick again changes nothing).
            let newest = municipality.isEmpty ? made.byPartition[school.id] : made.byDomain[municipality]
            return SchoolRow(id: school.id, name: school.name, municipality: municipality, lastHeard: Int64(clamping: newest ?? 0), lastChannel: last?.path ?? "")
        }
    }

    /// One report of a task's school, for the task page.
    struct ReportRow {
        var school: String, schoolName: String
        var status: String, progress: Int, comment: String, author: String, reportedAt: Int64
        var overdue: Bool
    }

    func reports(ofTask task: String, deadline: String) throws -> [ReportRow] {
        try TaskQueries(node.replica).reportsBySchoolName(ofTask: task).map { r in
            let status = r.status, school = r.school
            // Credited to the writer of its newest field, by that field's own stamp.
            let newest = try node.reportAuthorship(task: task, school: school).newest
            return ReportRow(school: school, schoolName: r.schoolName, status: status,
                             progress: ReportStatus.shownProgress(status: status, stored: r.progress), comment: r.comment,
                             author: newest?.by ?? r.author, reportedAt: newest?.at ?? r.reportedAt,
                             overdue: PartaNode.isOverdue(deadline: deadline, status: status, today: today))
        }
    }

    /// One task's reports at a school, for the school page.
    struct SchoolTaskRow {
        var task: String, number: String, title: String, deadline: String, deadlineText: String
        var status: String, progress: Int, comment: String, reportedAt: Int64, overdue: Bool
    }

    func tasks(ofSchool school: String) throws -> [SchoolTaskRow] {
        try queries.tasks(ofSchool: school).map { r in
            let status = r.status, deadline = r.deadline
            return SchoolTaskRow(task: r.task, number: r.number, title: r.title,
                                 deadline: deadline, deadlineText: r.deadlineText, status: status,
                                 progress: ReportStatus.shownProgress(status: status, stored: r.progress), comment: r.comment,
                                 reportedAt: r.reportedAt, overdue: PartaNode.isOverdue(deadline: deadline, status: status, today: today))
        }
    }

    /// A school computer (or, at a region, the municipality's hub) and its last bundle.
    struct ComputerRow {
        var id: String, name: String, revoked: Bool, lastAt: Int64, lastChannel: String, bundles: Int
    }

    func computers(ofSchool school: String, municipality: String) throws -> [ComputerRow] {
        let nodes = NodeQueries(node.replica)
        let computers = municipality.isEmpty ? try nodes.computers(partition: school) : try nodes.hubs(domain: municipality)
        return try computers.map { c in
            let bundles = try node.replica.bundlesReceived(from: c.id)
            return ComputerRow(id: c.id, name: c.name, revoked: c.revoked,
                               lastAt: bundles.lastAt ?? 0, lastChannel: bundles.lastPath, bundles: bundles.count)
        }
    }

    /// A conflict with the task and school it concerns, when it is about a report.
    struct ConflictRow {
        var view: ConflictView
        var task: String?, school: String?
        /// The task's number and title, as people know it.
        var taskLabel = ""
    }

    func conflicts(ofTask task: String? = nil, language: Language) throws -> [ConflictRow] {
        try node.conflicts(language: language).compactMap { c in
            var row = ConflictRow(view: c)
            if c.table == "reports" || c.table == "hub_reports" {
                let parts = c.row.split(separator: "|", maxSplits: 1).map(String.init)
                // A hub's own report's partition is the hub itself, not a school.
                if parts.count == 2 { row.task = parts[0]; row.school = c.table == "reports" ? parts[1] : nil }
            } else if c.table == "indicators" {
                // `<task>|<name>|<school>`: the field reads «показатель «…»».
                let parts = c.row.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                if parts.count >= 3 { row.task = parts[0]; row.school = parts[parts.count - 1] }
            }
            if let task, row.task != task { return nil }
            if let id = row.task, let r = try TaskQueries(node.replica).numberAndTitle(id) {
                row.taskLabel = [r.number ?? "", r.title ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
            }
            return row
        }
    }
}
