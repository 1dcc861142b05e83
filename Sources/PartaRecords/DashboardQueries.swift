import PartaCore
import PartaStore

/// A task with the hub's own report on it, as the dashboard's overview reads it.
public struct HubTaskRow: Sendable, Equatable {
    public var id: String, number: String, title: String, level: String, resolution: String
    public var deadline: String, deadlineText: String
    /// The hub's own report's status; nil when the hub has not reported on the task.
    public var ownStatus: String?
    public var ownProgress: Int64, ownComment: String, ownAuthor: String, ownReportedAt: Int64
}

/// One of a school's tasks with its report, as the dashboard's school page lists them.
public struct SchoolTaskRow: Sendable, Equatable {
    public var task: String, number: String, title: String, deadline: String, deadlineText: String
    /// `new` when the school has not reported.
    public var status: String
    public var progress: Int64, comment: String, reportedAt: Int64
}

/// The dashboard's reads that are not another concern's: the hub's overview in a few queries
/// whose cost follows the number of assignments.
public struct DashboardQueries {
    let database: Database

    public init(_ replica: Replica) { database = replica.database }

    /// Every task in the order written, with hub `hub`'s own report on it.
    public func hubTasks(hub: String) throws -> [HubTaskRow] {
        try database.scan("""
            SELECT t.id, t.number, t.title, t.level, coalesce(t.resolution, '') AS resolution, t.deadline, t.deadline_raw,
                   h.status, coalesce(h.progress, 0) AS progress, coalesce(h.comment, '') AS comment, coalesce(h.author, '') AS author,
                   coalesce(h.reported_at, 0) AS reported_at
            FROM tasks t LEFT JOIN hub_reports h ON h.id = t.id || '|' || ?
            ORDER BY t.rowid
            """, [.text(hub)]) { s in
            // One row per task of the district: columns looked up once, read by position.
            let id = s.column("id"), number = s.column("number"), title = s.column("title"), level = s.column("level")
            let resolution = s.column("resolution"), deadline = s.column("deadline"), raw = s.column("deadline_raw")
            let status = s.column("status"), progress = s.column("progress"), comment = s.column("comment")
            let author = s.column("author"), reported = s.column("reported_at")
            return { s in
                HubTaskRow(id: s.text(at: id), number: s.text(at: number), title: s.text(at: title), level: s.text(at: level),
                           resolution: s.text(at: resolution), deadline: s.text(at: deadline), deadlineText: s.text(at: raw),
                           ownStatus: s.optionalText(at: status), ownProgress: s.int(at: progress), ownComment: s.text(at: comment),
                           ownAuthor: s.text(at: author), ownReportedAt: s.int(at: reported))
            }
        }
    }

    /// Calls `body` with every assignment's task, school, report status (`new` when none) and
    /// stored progress, in one pass without building rows: the cost of the overview. The texts
    /// passed are valid during the call only as values (they are copied out of SQLite).
    public func forEachAssignment(_ body: (_ task: String, _ school: String, _ status: String, _ progress: Int64) throws -> Void) throws {
        let statement = try database.statement("""
            SELECT a.task, a.school, coalesce(r.status, 'new') AS status, coalesce(r.progress, 0) AS progress
            FROM assignments a LEFT JOIN reports r ON r.id = a.id
            """)
        defer { statement.reset() }
        // Positions looked up by name once, then read by position in the loop.
        let task = statement.column("task"), school = statement.column("school")
        let status = statement.column("status"), progress = statement.column("progress")
        while try statement.step() {
            try body(statement.text(at: task), statement.text(at: school), statement.text(at: status), statement.int(at: progress))
        }
    }

    /// A school's tasks with its report, soonest deadline first (tasks without one last).
    public func tasks(ofSchool school: String) throws -> [SchoolTaskRow] {
        try database.select("""
            SELECT t.id, t.number, t.title, t.deadline, t.deadline_raw, coalesce(r.status, 'new') AS status, coalesce(r.progress, 0) AS progress,
                   coalesce(r.comment, '') AS comment, coalesce(r.reported_at, 0) AS reported_at
            FROM assignments a JOIN tasks t ON t.id = a.task LEFT JOIN reports r ON r.id = a.id
            WHERE a.school = ? ORDER BY t.deadline = '', t.deadline, t.rowid
            """, [.text(school)]).map { r in
            SchoolTaskRow(task: r.text("id"), number: r.text("number"), title: r.text("title"), deadline: r.text("deadline"),
                          deadlineText: r.text("deadline_raw"), status: r.text("status"), progress: r.int("progress"),
                          comment: r.text("comment"), reportedAt: r.int("reported_at"))
        }
    }
}
