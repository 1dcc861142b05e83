import PartaCore

/// A task as a school or the hub lists it, with this school's report (or the hub's roll-up).
public struct TaskSummary: Codable, Sendable, Equatable {
    public var id: String
    public var number: String
    public var title: String
    public var section: String
    public var level: String
    /// ISO date (`2020-09-01`) when the deadline is a date; empty otherwise.
    public var deadline: String
    /// `date`, `period`, `recurring` or `none`.
    public var deadlineKind: String
    /// The deadline as written in the resolution ("до 01.09.2020", "в течение года").
    public var deadlineText: String
    public var status: String
    public var progress: Int
    public var overdue: Bool
}

/// One school's report on one task.
public struct SchoolReport: Codable, Sendable, Equatable {
    public var school: String
    public var schoolName: String
    public var status: String
    public var progress: Int
    public var comment: String
    public var indicators: [String: Double]
    /// Who wrote the report's newest field (a computer's name); see ``fields`` for each field.
    public var author: String
    /// Milliseconds since 1970 when the report's newest field was written (its stamp), 0 if never.
    public var reportedAt: Int64
    /// Each field's writer and time (`status`, `progress`, `comment`, `indicators`): two computers
    /// of a school may each have written a part.
    public var fields: [String: FieldAuthor] = [:]
}

/// Who wrote one field's value, and when (the value's own stamp, not the row's last change).
public struct FieldAuthor: Codable, Sendable, Equatable {
    public var by: String
    public var at: Int64
}

/// Everything about one task: its text, deadline and every visible report.
public struct TaskDetail: Codable, Sendable, Equatable {
    public var task: TaskSummary
    public var body: String
    public var addressees: String
    public var schools: [String]
    public var reports: [SchoolReport]
    /// The task's wording in its document (the paragraphs it was read from), empty when not known here.
    public var source: String = ""
}

/// The hub's roll-up of one task across its schools.
public struct TaskProgress: Codable, Sendable, Equatable {
    public var id: String
    public var number: String
    public var title: String
    public var deadline: String
    public var assigned: Int
    public var byStatus: [String: Int]
    public var averageProgress: Double
    public var overdue: Int
}

/// The hub's roll-up of one school across its tasks.
public struct SchoolProgress: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var assigned: Int
    public var byStatus: [String: Int]
    public var overdue: Int
    /// When the newest bundle this hub took from any of the school's nodes was made (ms, the
    /// bundle's own stamp; at a region: its municipality hub's newest), 0 if none. An old stick
    /// imported again does not move it.
    public var lastHeardFrom: Int64
    /// At a region: the municipality the school belongs to; empty for a school of this hub's own.
    public var municipality: String = ""
}

public struct HubReport: Codable, Sendable, Equatable {
    public var tasks: [TaskProgress]
    public var schools: [SchoolProgress]
}

/// What `parta status` shows.
public struct NodeStatus: Codable, Sendable, Equatable {
    public var node: String
    public var name: String
    public var role: String
    public var school: String
    public var hub: String
    public var lastImportAt: Int64
    public var lastImportChanges: Int
    public var lastExportAt: Int64
    public var lastExportChanges: Int
    public var unsentChanges: Int
    public var conflicts: Int
    public var vectorClock: [String: UInt64]
    /// How many minutes this computer's clock is behind the latest time this node has issued or
    /// accepted (0 normally). Beyond ``clockToleranceMinutes`` the clock was wrong at some point.
    public var clockBehindMinutes: Int
    public var clockToleranceMinutes: Int
    /// When this node last completed a sync over the network (ms; 0 if never), and with which address.
    public var lastSyncAt: Int64 = 0
    public var syncURL: String = ""
    /// Whether this school computer still waits for the hub to confirm its enrolment.
    public var awaitingEnrollment: Bool = false
    /// The school's name and the hub's (empty where unknown), so that people read names, not ids.
    public var schoolName: String = ""
    public var hubName: String = ""
}

/// A conflict in words: who changed what, which value stayed, which was set aside.
public struct ConflictView: Codable, Sendable, Equatable {
    public var table: String
    public var row: String
    public var field: String
    public var keptValue: String
    public var keptBy: String
    public var keptAt: String
    public var setAsideValue: String
    public var setAsideBy: String
    public var setAsideAt: String
    /// The record in words, in the language asked for (``PartaNode/words(table:row:field:)``):
    /// «задача 3.2», never the row id.
    public var about: String = ""
    /// The field in words: «комментарий», «показатель «охват, %»».
    public var fieldName: String = ""
    /// The kept and the set-aside values in words (a status as its label, a time as a date).
    public var keptText: String = ""
    public var setAsideText: String = ""
}

public struct HistoryView: Codable, Sendable, Equatable {
    public var table: String
    public var row: String
    public var field: String
    public var value: String
    public var by: String
    public var at: String
    /// The record, the field and the value in words, in the language asked for
    /// (``PartaNode/words(table:row:field:)``).
    public var about: String = ""
    public var fieldName: String = ""
    public var valueText: String = ""
}
