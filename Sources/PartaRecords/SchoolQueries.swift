import PartaCore
import PartaStore

/// A school as registered at a hub.
public struct SchoolRow: Sendable, Equatable {
    public var id: String, name: String
}

/// One assignment with its task and its report, as the hub's roll-up reads them.
public struct AssignmentProgressRow: Sendable, Equatable {
    public var task: String, number: String, title: String, deadline: String
    public var school: String
    /// `new` when the school has not reported.
    public var status: String
    public var progress: Int64
}

/// Queries of `schools` and of the hub's roll-up over assignments and reports.
public struct SchoolQueries {
    let database: Database

    public init(_ replica: Replica) { database = replica.database }

    public func exists(_ id: String) throws -> Bool {
        try database.scalar("SELECT count(*) FROM schools WHERE id = ?", [.text(id)]) != .integer(0)
    }

    /// Every school, by id.
    public func list() throws -> [SchoolRow] {
        try database.select("SELECT id, name FROM schools ORDER BY id").map { SchoolRow(id: $0.text("id"), name: $0.text("name")) }
    }

    /// A school's registered name; nil for no such school (or a name that is not text).
    public func name(_ id: String) throws -> String? {
        try database.scalar("SELECT name FROM schools WHERE id = ?", [.text(id)])?.textValue
    }

    /// Every assignment with its task and report, in the order the tasks were written, then by school.
    public func assignmentProgress() throws -> [AssignmentProgressRow] {
        try database.scan("""
            SELECT t.id, t.number, t.title, t.deadline, a.school, coalesce(r.status, 'new') AS status, coalesce(r.progress, 0) AS progress
            FROM assignments a JOIN tasks t ON t.id = a.task
            LEFT JOIN reports r ON r.id = a.id
            ORDER BY t.rowid, a.school
            """) { s in
            // One row per assignment of the district: columns looked up once, read by position.
            let id = s.column("id"), number = s.column("number"), title = s.column("title"), deadline = s.column("deadline")
            let school = s.column("school"), status = s.column("status"), progress = s.column("progress")
            return { s in
                AssignmentProgressRow(task: s.text(at: id), number: s.text(at: number), title: s.text(at: title), deadline: s.text(at: deadline),
                                      school: s.text(at: school), status: s.text(at: status), progress: s.int(at: progress))
            }
        }
    }
}
