import Foundation
import PartaCore
import PartaStore
import PartaApp

/// What the dashboard's pages show, read from the hub's replica in a few queries whose cost
/// follows the number of assignments (one pass) and of schools and tasks.
struct DashboardData {
    let node: PartaNode
    /// `YYYY-MM-DD`: tasks due before it and not done are overdue.
    let today: String
    let now: UInt64
    var database: Database { node.replica.database }

    /// One task's roll-up over the schools it is assigned to (and the hub's own status for its own tasks).
    struct TaskRow {
        var id: String, number: String, title: String, level: String, resolution: String
        var deadline: String, deadlineText: String
        var assigned = 0, done = 0, inProgress = 0, blocked = 0, overdue = 0
        var progressSum = 0
        /// The hub's own status on its own municipal-level task; empty otherwise.
        var ownStatus = "", ownProgress = 0, ownComment = "", ownAuthor = "", ownReportedAt: Int64 = 0
        var isOwn: Bool { !ownStatus.isEmpty }
        var percentDone: Double { assigned == 0 ? (ownStatus == "done" ? 100 : 0) : Double(done) * 100 / Double(assigned) }
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
        return try database.rows("""
            SELECT t.id, t.number, t.title, t.level, coalesce(t.resolution, ''), t.deadline, t.deadline_raw,
                   h.status, coalesce(h.progress, 0), coalesce(h.comment, ''), coalesce(h.author, ''), coalesce(h.reported_at, 0)
            FROM tasks t LEFT JOIN hub_reports h ON h.id = t.id || '|' || ?
            ORDER BY t.rowid
            """, [.text(node.replica.nodeID)]).map { r in
            let id = r[0].textValue ?? "", level = r[3].textValue ?? ""
            var row = TaskRow(id: id, number: r[1].textValue ?? "", title: r[2].textValue ?? "", level: level,
                              resolution: r[4].textValue ?? "", deadline: r[5].textValue ?? "", deadlineText: r[6].textValue ?? "")
            if node.isOwnTask(id: id, level: level, hasOwnReport: r[7].textValue != nil) {
                row.ownStatus = r[7].textValue ?? "new"
                row.ownProgress = ReportStatus.shownProgress(status: r[7].textValue, stored: r[8].integerValue)
                row.ownComment = r[9].textValue ?? ""
                row.ownAuthor = r[10].textValue ?? ""
                row.ownReportedAt = r[11].integerValue ?? 0
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
        let statement = try database.statement("""
            SELECT a.task, a.school, coalesce(r.status, 'new'), coalesce(r.progress, 0)
            FROM assignments a LEFT JOIN reports r ON r.id = a.id
            """)
        defer { statement.reset() }
        while try statement.step() {
            guard let t = taskIndex[statement.text(at: 0)] else { continue }
            let school = statement.text(at: 1), status = statement.text(at: 2)
            let progress = ReportStatus.shownProgress(status: status, stored: statement.int(at: 3))
            let overdue = PartaNode.isOverdue(deadline: tasks[t].deadline, status: status, today: today)
            tasks[t].assigned += 1
            tasks[t].progressSum += progress
            tasks[t].overdue += overdue ? 1 : 0
            switch status {
            case "done": tasks[t].done += 1
            case "in_progress": tasks[t].inProgress += 1
            case "blocked": tasks[t].blocked += 1
            default: break
            }
            schoolsOfResolution[tasks[t].resolution, default: []].insert(school)
            guard let s = schoolIndex[school] else { continue }
            schools[s].assigned += 1
            schools[s].overdue += overdue ? 1 : 0
            switch status {
            case "done": schools[s].done += 1
            case "in_progress": schools[s].inProgress += 1
            case "blocked": schools[s].blocked += 1
            default: break
            }
        }

        var resolutions: [ResolutionRow] = try database.rows("SELECT id, title, kind, date FROM resolutions ORDER BY imported_at, id").map {
            ResolutionRow(id: $0[0].textValue ?? "", title: $0[1].textValue ?? "", kind: $0[2].textValue ?? "", date: $0[3].textValue ?? "")
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
                resolutions[i].ownDone += task.ownStatus == "done" ? 1 : 0
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
        var domainOf: [String: String] = [:]
        for r in try database.rows("SELECT id, coalesce(domain, '') FROM partitions") { domainOf[r[0].textValue ?? ""] = r[1].textValue ?? "" }
        let ownDomain = node.replica.domain
        // SQLite takes the bare column (path) from the row that holds max(at).
        var lastByPartition: [String: (Int64, String)] = [:], lastByDomain: [String: (Int64, String)] = [:]
        for r in try database.rows("""
            SELECT n.partition, max(e.at), coalesce(e.path, '') FROM parta_exchange e JOIN nodes n ON n.id = e.peer
            WHERE e.direction = 'in' GROUP BY n.partition
            """) { lastByPartition[r[0].textValue ?? ""] = (r[1].integerValue ?? 0, r[2].textValue ?? "") }
        for r in try database.rows("""
            SELECT n.domain, max(e.at), coalesce(e.path, '') FROM parta_exchange e JOIN nodes n ON n.id = e.peer
            WHERE e.direction = 'in' AND n.role = 'hub' AND n.domain IS NOT NULL GROUP BY n.domain
            """) { lastByDomain[r[0].textValue ?? ""] = (r[1].integerValue ?? 0, r[2].textValue ?? "") }
        let made = try node.replica.newestBundlesMade()
        return try node.listSchools().map { school in
            let domain = domainOf[school.id] ?? ""
            let municipality = domain.isEmpty || domain == ownDomain ? "" : domain
            let last = municipality.isEmpty ? lastByPartition[school.id] : lastByDomain[municipality]
            // Freshness is when the news was made, not when a stick carried it here (an old stick again changes nothing).
            let newest = municipality.isEmpty ? made.byPartition[school.id] : made.byDomain[municipality]
            return SchoolRow(id: school.id, name: school.name, municipality: municipality, lastHeard: Int64(clamping: newest ?? 0), lastChannel: last?.1 ?? "")
        }
    }

    /// One report of a task's school, for the task page.
    struct ReportRow {
        var school: String, schoolName: String
        var status: String, progress: Int, comment: String, author: String, reportedAt: Int64
        var overdue: Bool
    }

    func reports(ofTask task: String, deadline: String) throws -> [ReportRow] {
        try database.rows("""
            SELECT a.school, coalesce(s.name, a.school), coalesce(r.status, 'new'), coalesce(r.progress, 0), coalesce(r.comment, ''),
                   coalesce(r.author, ''), coalesce(r.reported_at, 0)
            FROM assignments a LEFT JOIN schools s ON s.id = a.school LEFT JOIN reports r ON r.id = a.id
            WHERE a.task = ? ORDER BY coalesce(s.name, a.school)
            """, [.text(task)]).map { r in
            let status = r[2].textValue ?? "new", school = r[0].textValue ?? ""
            // Credited to the writer of its newest field, by that field's own stamp.
            let newest = try node.reportAuthorship(task: task, school: school).newest
            return ReportRow(school: school, schoolName: r[1].textValue ?? "", status: status,
                             progress: ReportStatus.shownProgress(status: status, stored: r[3].integerValue), comment: r[4].textValue ?? "",
                             author: newest?.by ?? r[5].textValue ?? "", reportedAt: newest?.at ?? r[6].integerValue ?? 0,
                             overdue: PartaNode.isOverdue(deadline: deadline, status: status, today: today))
        }
    }

    /// One task's reports at a school, for the school page.
    struct SchoolTaskRow {
        var task: String, number: String, title: String, deadline: String, deadlineText: String
        var status: String, progress: Int, comment: String, reportedAt: Int64, overdue: Bool
    }

    func tasks(ofSchool school: String) throws -> [SchoolTaskRow] {
        try database.rows("""
            SELECT t.id, t.number, t.title, t.deadline, t.deadline_raw, coalesce(r.status, 'new'), coalesce(r.progress, 0),
                   coalesce(r.comment, ''), coalesce(r.reported_at, 0)
            FROM assignments a JOIN tasks t ON t.id = a.task LEFT JOIN reports r ON r.id = a.id
            WHERE a.school = ? ORDER BY t.deadline = '', t.deadline, t.rowid
            """, [.text(school)]).map { r in
            let status = r[5].textValue ?? "new", deadline = r[3].textValue ?? ""
            return SchoolTaskRow(task: r[0].textValue ?? "", number: r[1].textValue ?? "", title: r[2].textValue ?? "",
                                 deadline: deadline, deadlineText: r[4].textValue ?? "", status: status,
                                 progress: ReportStatus.shownProgress(status: status, stored: r[6].integerValue), comment: r[7].textValue ?? "",
                                 reportedAt: r[8].integerValue ?? 0, overdue: PartaNode.isOverdue(deadline: deadline, status: status, today: today))
        }
    }

    /// A school computer (or, at a region, the municipality's hub) and its last bundle.
    struct ComputerRow {
        var id: String, name: String, revoked: Bool, lastAt: Int64, lastChannel: String, bundles: Int
    }

    func computers(ofSchool school: String, municipality: String) throws -> [ComputerRow] {
        let condition = municipality.isEmpty ? "n.partition = ? AND n.role = 'member'" : "n.domain = ? AND n.role = 'hub'"
        return try database.rows("""
            SELECT n.id, n.name, n.revoked_at IS NOT NULL,
                   (SELECT max(at) FROM parta_exchange e WHERE e.direction = 'in' AND e.peer = n.id),
                   (SELECT coalesce(path, '') FROM parta_exchange e WHERE e.direction = 'in' AND e.peer = n.id ORDER BY seq DESC LIMIT 1),
                   (SELECT count(*) FROM parta_exchange e WHERE e.direction = 'in' AND e.peer = n.id)
            FROM nodes n WHERE \(condition) ORDER BY n.name
            """, [.text(municipality.isEmpty ? school : municipality)]).map { r in
            ComputerRow(id: r[0].textValue ?? "", name: r[1].textValue ?? "", revoked: r[2].integerValue == 1,
                        lastAt: r[3].integerValue ?? 0, lastChannel: r[4].textValue ?? "", bundles: Int(r[5].integerValue ?? 0))
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
            if let id = row.task, let r = try database.rows("SELECT number, title FROM tasks WHERE id = ?", [.text(id)]).first {
                row.taskLabel = [r[0].textValue ?? "", r[1].textValue ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
            }
            return row
        }
    }
}
