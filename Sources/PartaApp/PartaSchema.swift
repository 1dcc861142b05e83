import PartaCore
import PartaStore

/// Parta's replicated tables, declared to the generic engine.
///
/// - `schools`: written by the hub; each school's record lives in its own partition.
/// - `tasks`: written by the hub; held by the hub and by schools that have an assignment for them.
/// - `assignments` (`<task>|<school>`): written by the hub, in the school's partition. Deleting one
///   unassigns the task; the task then leaves the school's replica.
/// - `reports` (`<task>|<school>`): written by the school's own nodes only.
/// - `resolutions` (`r-<digest>-<hub>`): the documents tasks were imported from, in the importing
///   hub's own partition (its node id): they stay at the hub and go up to its region.
/// - `hub_reports` (`<task>|<hub node>`): a hub's progress on its own tasks (the municipal level of
///   a resolution), in the hub's own partition, like `resolutions`.
public enum PartaSchema {
    public static let schema = ReplicationSchema(tables: [
        ReplicatedTable(name: "schools", columns: [.init("name", .text)], scope: .partitioned, writers: .hub),
        ReplicatedTable(name: "resolutions", columns: [
            .init("kind", .text), .init("title", .text), .init("body", .text), .init("place", .text), .init("date", .text),
            .init("source", .text), .init("digest", .text), .init("imported_at", .integer),
        ], scope: .partitioned, writers: .hub),
        ReplicatedTable(name: "tasks", columns: [
            .init("number", .text), .init("title", .text), .init("body", .text), .init("section", .text),
            .init("level", .text), .init("addressees", .text), .init("deadline", .text),
            .init("deadline_kind", .text), .init("deadline_raw", .text), .init("targets", .text),
            .init("resolution", .text), .init("responsible", .text), .init("source_key", .text),
        ], scope: .referenced(via: "assignments", column: "task"), writers: .hub),
        ReplicatedTable(name: "assignments", columns: [.init("task", .text), .init("school", .text)],
                        scope: .partitioned, writers: .hub),
        ReplicatedTable(name: "reports", columns: [
            .init("task", .text), .init("school", .text), .init("status", .text), .init("progress", .integer),
            .init("comment", .text), .init("indicators", .text), .init("author", .text), .init("reported_at", .integer),
        ], scope: .partitioned, writers: .partitionMembers),
        ReplicatedTable(name: "hub_reports", columns: [
            .init("task", .text), .init("status", .text), .init("progress", .integer), .init("comment", .text),
            .init("author", .text), .init("reported_at", .integer),
        ], scope: .partitioned, writers: .hub),
    ])

    /// The id of the assignment and of the report of `task` at `school`.
    public static func pairID(task: String, school: String) -> String { "\(task)|\(school)" }
}

/// A report's status, as stored (English words) and as shown (Russian or English).
public enum ReportStatus: String, CaseIterable, Sendable {
    case new, inProgress = "in_progress", done, blocked

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.new, .ru): return "не начато"
        case (.inProgress, .ru): return "в работе"
        case (.done, .ru): return "выполнено"
        case (.blocked, .ru): return "есть препятствия"
        case (.new, .en): return "new"
        case (.inProgress, .en): return "in progress"
        case (.done, .en): return "done"
        case (.blocked, .en): return "blocked"
        }
    }

    /// Accepts the stored word, `in-progress`, or the Russian label.
    public init?(userText: String) {
        let t = userText.lowercased().replacingOccurrences(of: "-", with: "_")
        if let s = ReportStatus(rawValue: t) { self = s; return }
        guard let s = ReportStatus.allCases.first(where: { $0.label(.ru) == t || $0.label(.en) == t }) else { return nil }
        self = s
    }
}
