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
        try database.select("""
            SELECT t.id, t.number, t.title, t.level, coalesce(t.resolution, '') AS resolution, t.deadline, t.deadline_raw,
                   h.status, coalesce(h.progress, 0) AS progress, coalesce(h.comment, '') AS comment, coalesce(h.author, '') AS author,
                   coalesce(h.reported_at, 0) AS reported_at
            FROM tasks t LEFT JOIN hub_reports h ON h.id = t.id || '|' || ?
            ORDER BY t.rowid
            """, [.text(hub)]).map { r in
            HubTaskRow(id: r.text("id"), number: r.text("number"), title: r.text("title"), level: r.text("level"), resolution: r.text("resolution"),
                       deadline: r.text("deadline"), deadlineText: r.text("deadline_raw"), ownStatus: r.optionalText("status"),
                       ownProgress: r.int("progress"), ownComment: r.text("comment"), ownAuthor: r.text("author"), ownReportedAt: r.int("reported_at"))
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
