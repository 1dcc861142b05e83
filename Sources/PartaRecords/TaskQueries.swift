import PartaCore
import PartaStore

/// A task as a list shows it, with the report that goes with it here: a school's own report on its
/// assigned task, or at the hub the hub's own report (`hasOwnReport`) on any task.
public struct TaskListRow: Sendable, Equatable {
    public var id: String, number: String, title: String, section: String, level: String
    public var deadline: String
    /// nil when not stored.
    public var deadlineKind: String?
    public var deadlineText: String
    /// The report's status word, `new` when there is none.
    public var status: String
    public var progress: Int64
    /// At the hub: whether the hub reported on the task itself.
    public var hasOwnReport: Bool
}

/// A task's text beside its summary.
public struct TaskText: Sendable, Equatable {
    public var body: String?, addressees: String?
}

/// One school's report on a task, with the school's name (its id when unknown).
public struct TaskReportRow: Sendable, Equatable {
    public var school: String, schoolName: String
    /// `new` when the school has not reported.
    public var status: String
    public var progress: Int64
    public var comment: String, indicators: String, author: String
    public var reportedAt: Int64
}

/// A task's full stored text, for its page.
public struct TaskDetailRow: Sendable, Equatable {
    public var number: String?, title: String?, body: String?, level: String?, addressees: String?
    public var deadline: String?, deadlineText: String?, targets: String?
    public var resolution: String, responsible: String
}

/// One of a hub's tasks with what tells whether it is the hub's own.
public struct OwnTaskCandidate: Sendable, Equatable {
    public var id: String, level: String
    public var hasOwnReport: Bool, assignedToSchools: Bool
}

/// One indicator's register of a report.
public struct IndicatorRow: Sendable, Equatable {
    public var id: String?, key: String?, value: Double?
}

/// Queries of `tasks`, `assignments`, `reports`, `indicators`, `task_sources` and `hub_reports`.
public struct TaskQueries {
    let database: Database

    public init(_ replica: Replica) { database = replica.database }

    public func exists(_ id: String) throws -> Bool {
        try database.scalar("SELECT 1 FROM tasks WHERE id = ?", [.text(id)]) != nil
    }

    /// Ids of the form `<short>-…` (a short id such as `t3`), sorted.
    public func ids(withShortID short: String) throws -> [String] {
        try database.select("SELECT id FROM tasks WHERE substr(id, 1, ?) = ? ORDER BY id",
                            [.integer(Int64(short.utf8.count + 1)), .text(short + "-")]).compactMap { $0.optionalText("id") }
    }

    /// Ids of the tasks numbered `number` or `number.`, sorted.
    public func ids(numbered number: String) throws -> [String] {
        try database.select("SELECT id FROM tasks WHERE number IN (?, ?) ORDER BY id", [.text(number), .text(number + ".")])
            .compactMap { $0.optionalText("id") }
    }

    /// How many tasks are numbered `number` or `number.`.
    public func count(numbered number: String) throws -> Int64? {
        try database.scalar("SELECT count(*) FROM tasks WHERE number IN (?, ?)", [.text(number), .text(number + ".")])?.integerValue
    }

    /// A task's title ("" for none).
    public func title(_ id: String) throws -> String {
        try database.scalar("SELECT title FROM tasks WHERE id = ?", [.text(id)])?.textValue ?? ""
    }

    /// A task's number and title (nil when not stored), nil for no such task.
    public func numberAndTitle(_ id: String) throws -> (number: String?, title: String?)? {
        try database.selectFirst("SELECT number, title FROM tasks WHERE id = ?", [.text(id)]).map { ($0.optionalText("number"), $0.optionalText("title")) }
    }

    /// The query behind a school's task list (one parameter: the school id); public so the
    /// benchmark can time the SQL alone beside the node's task list.
    public static let schoolTasksSQL = """
        SELECT t.id, t.number, t.title, t.section, t.level, t.deadline, t.deadline_kind, t.deadline_raw,
               coalesce(r.status, 'new') AS status, coalesce(r.progress, 0) AS progress
        FROM assignments a JOIN tasks t ON t.id = a.task
        LEFT JOIN reports r ON r.id = a.id
        WHERE a.school = ?
        ORDER BY t.deadline = '', t.deadline, t.rowid
        """

    /// A school's assigned tasks with its report, soonest deadline first (tasks without one last).
    public func schoolTasks(school: String) throws -> [TaskListRow] {
        try database.scan(TaskQueries.schoolTasksSQL, [.text(school)]) { TaskQueries.listRowReader($0, own: nil) }
    }

    /// Every task in the order written, with the hub `hub`'s own report on it.
    public func hubTasks(hub: String) throws -> [TaskListRow] {
        try database.scan("""
            SELECT t.id, t.number, t.title, t.section, t.level, t.deadline, t.deadline_kind, t.deadline_raw,
                   coalesce(h.status, 'new') AS status, coalesce(h.progress, 0) AS progress, h.id IS NOT NULL AS own
            FROM tasks t LEFT JOIN hub_reports h ON h.id = t.id || '|' || ?
            ORDER BY t.rowid
            """, [.text(hub)]) { TaskQueries.listRowReader($0, own: $0.column("own")) }
    }

    /// Task lists run to thousands of rows (benchmark row 4): columns looked up once, read by position.
    private static func listRowReader(_ s: Statement, own: Int?) -> (Statement) -> TaskListRow {
        let id = s.column("id"), number = s.column("number"), title = s.column("title"), section = s.column("section")
        let level = s.column("level"), deadline = s.column("deadline"), kind = s.column("deadline_kind"), raw = s.column("deadline_raw")
        let status = s.column("status"), progress = s.column("progress")
        return { s in
            TaskListRow(id: s.text(at: id), number: s.text(at: number), title: s.text(at: title), section: s.text(at: section),
                        level: s.text(at: level), deadline: s.text(at: deadline), deadlineKind: s.optionalText(at: kind),
                        deadlineText: s.text(at: raw), status: s.text(at: status), progress: s.int(at: progress),
                        hasOwnReport: own.map { s.int(at: $0) == 1 } ?? false)
        }
    }

    public func text(_ id: String) throws -> TaskText? {
        try database.selectFirst("SELECT body, addressees FROM tasks WHERE id = ?", [.text(id)])
            .map { TaskText(body: $0.optionalText("body"), addressees: $0.optionalText("addressees")) }
    }

    /// Everything a task's page shows of it, nil for no such task.
    public func detail(_ id: String) throws -> TaskDetailRow? {
        try database.selectFirst("""
            SELECT number, title, body, level, addressees, deadline, deadline_raw, targets,
                   coalesce(resolution, '') AS resolution, coalesce(responsible, '') AS responsible
            FROM tasks WHERE id = ?
            """, [.text(id)]).map {
            TaskDetailRow(number: $0.optionalText("number"), title: $0.optionalText("title"), body: $0.optionalText("body"),
                          level: $0.optionalText("level"), addressees: $0.optionalText("addressees"), deadline: $0.optionalText("deadline"),
                          deadlineText: $0.optionalText("deadline_raw"), targets: $0.optionalText("targets"),
                          resolution: $0.text("resolution"), responsible: $0.text("responsible"))
        }
    }

    /// The schools a task is assigned to, by id.
    public func schools(assignedTo task: String) throws -> [String] {
        try database.select("SELECT school FROM assignments WHERE task = ? ORDER BY school", [.text(task)]).compactMap { $0.optionalText("school") }
    }

    /// The schools a task is assigned to, as stored.
    public func assignedSchools(of task: String) throws -> [String] {
        try database.select("SELECT school FROM assignments WHERE task = ?", [.text(task)]).compactMap { $0.optionalText("school") }
    }

    /// Every report on `task` by school id (a school that has not reported: `new`).
    public func reports(ofTask task: String) throws -> [TaskReportRow] {
        try database.select("""
            SELECT a.school, coalesce(s.name, a.school) AS school_name, coalesce(r.status, 'new') AS status, coalesce(r.progress, 0) AS progress,
                   coalesce(r.comment, '') AS comment, coalesce(r.indicators, '') AS indicators, coalesce(r.author, '') AS author,
                   coalesce(r.reported_at, 0) AS reported_at
            FROM assignments a LEFT JOIN reports r ON r.id = a.id LEFT JOIN schools s ON s.id = a.school
            WHERE a.task = ? ORDER BY a.school
            """, [.text(task)]).map(TaskQueries.reportRow)
    }

    /// Every report on `task` by school name, as the dashboard lists them.
    public func reportsBySchoolName(ofTask task: String) throws -> [TaskReportRow] {
        try database.select("""
            SELECT a.school, coalesce(s.name, a.school) AS school_name, coalesce(r.status, 'new') AS status, coalesce(r.progress, 0) AS progress,
                   coalesce(r.comment, '') AS comment, '' AS indicators, coalesce(r.author, '') AS author, coalesce(r.reported_at, 0) AS reported_at
            FROM assignments a LEFT JOIN schools s ON s.id = a.school LEFT JOIN reports r ON r.id = a.id
            WHERE a.task = ? ORDER BY coalesce(s.name, a.school)
            """, [.text(task)]).map(TaskQueries.reportRow)
    }

    private static func reportRow(_ r: Row) -> TaskReportRow {
        TaskReportRow(school: r.text("school"), schoolName: r.text("school_name"), status: r.text("status"), progress: r.int("progress"),
                      comment: r.text("comment"), indicators: r.text("indicators"), author: r.text("author"), reportedAt: r.int("reported_at"))
    }

    public func isAssigned(task: String, school: String) throws -> Bool {
        try database.scalar("SELECT 1 FROM assignments WHERE task = ? AND school = ?", [.text(task), .text(school)]) != nil
    }

    /// Whether the assignment (or report) id `pair` is assigned.
    public func assignmentExists(_ pair: String) throws -> Bool {
        try database.scalar("SELECT 1 FROM assignments WHERE id = ?", [.text(pair)]) != nil
    }

    /// The `indicators` field of report `pair` ("" for none).
    public func reportIndicators(_ pair: String) throws -> String {
        try database.scalar("SELECT indicators FROM reports WHERE id = ?", [.text(pair)])?.textValue ?? ""
    }

    /// The indicator registers of `school` whose key starts with `prefix` (`<task>|`).
    public func indicators(school: String, keyPrefix prefix: String) throws -> [IndicatorRow] {
        try database.select("SELECT id, key, value FROM indicators WHERE _part = ? AND substr(key, 1, ?) = ?",
                            [.text(school), .integer(Int64(prefix.utf8.count)), .text(prefix)])
            .map { IndicatorRow(id: $0.optionalText("id"), key: $0.optionalText("key"), value: $0.optionalNumber("value")) }
    }

    /// Every task in the order written, with whether hub `hub` reported on it and whether it is assigned to schools.
    public func ownTaskCandidates(hub: String) throws -> [OwnTaskCandidate] {
        try database.select("""
            SELECT t.id, coalesce(t.level, '') AS level, h.id IS NOT NULL AS own,
                   EXISTS (SELECT 1 FROM assignments a WHERE a.task = t.id) AS assigned
            FROM tasks t LEFT JOIN hub_reports h ON h.id = t.id || '|' || ?
            ORDER BY t.rowid
            """, [.text(hub)]).map {
            OwnTaskCandidate(id: $0.text("id"), level: $0.text("level"), hasOwnReport: $0.bool("own"), assignedToSchools: $0.bool("assigned"))
        }
    }

    /// The largest `n` among ids `t<n><suffix>` (0 for none).
    public func largestNumber(suffix: String) throws -> Int64 {
        try database.scalar("SELECT max(CAST(substr(id, 2, length(id) - 1 - ?) AS INTEGER)) FROM tasks WHERE id GLOB 't[0-9]*' AND substr(id, -?) = ?",
                            [.integer(Int64(suffix.utf8.count)), .integer(Int64(suffix.utf8.count)), .text(suffix)])?.integerValue ?? 0
    }

    /// The task of `suffix` (`-<hub tag>`) imported under source key `key`, if any.
    public func id(sourceKey key: String, suffix: String) throws -> String? {
        try database.scalar("SELECT id FROM tasks WHERE source_key = ? AND substr(id, -?) = ?",
                            [.text(key), .integer(Int64(suffix.utf8.count)), .text(suffix)])?.textValue
    }

    /// The tasks of a resolution, in the order written.
    public func ids(ofResolution resolution: String) throws -> [String] {
        try database.select("SELECT id FROM tasks WHERE resolution = ? ORDER BY rowid", [.text(resolution)]).compactMap { $0.optionalText("id") }
    }

    /// A resolution's tasks in the order written, with what assigning them reads.
    public func assignable(ofResolution resolution: String) throws -> [(id: String, number: String, level: String?, addressees: String)] {
        try database.select("SELECT id, number, level, addressees FROM tasks WHERE resolution = ? ORDER BY rowid", [.text(resolution)])
            .map { ($0.text("id"), $0.text("number"), $0.optionalText("level"), $0.text("addressees")) }
    }

    /// What the summary tables add to the roll-up, by task id: level, deadline as written, full text.
    public func summaryExtras() throws -> [(id: String, level: String, deadlineText: String, body: String)] {
        try database.select("SELECT id, level, deadline_raw, coalesce(body, '') AS body FROM tasks")
            .map { ($0.text("id"), $0.text("level"), $0.text("deadline_raw"), $0.text("body")) }
    }

    /// Where an imported task stands in its document, nil when not stored (or its text is NULL).
    public func source(_ id: String) throws -> (text: String, first: Int64, last: Int64)? {
        guard let r = try database.selectFirst("SELECT text, first, last FROM task_sources WHERE id = ?", [.text(id)]),
              let text = r.optionalText("text") else { return nil }
        return (text, r.int("first"), r.int("last"))
    }

    /// The stored wording of a task in its document ("" for none).
    public func sourceText(_ id: String) throws -> String {
        try database.scalar("SELECT text FROM task_sources WHERE id = ?", [.text(id)])?.textValue ?? ""
    }

    /// How many tasks are assigned to at least one school.
    public func countAssignedTasks() throws -> Int64 {
        try database.scalar("SELECT count(DISTINCT task) FROM assignments")?.integerValue ?? 0
    }

    /// How many reports are stored.
    public func countReports() throws -> Int64 {
        try database.scalar("SELECT count(*) FROM reports")?.integerValue ?? 0
    }
}
