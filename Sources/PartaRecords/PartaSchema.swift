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
/// - `task_sources` (the task's id): the paragraphs of its document an imported task was read
///   from; travels with the task to nodes of release 2 (Protocol/replication-v1.md §6.1).
/// - `hub_reports` (`<task>|<hub node>`): a hub's progress on its own tasks (the municipal level of
///   a resolution), in the hub's own partition, like `resolutions`.
///
/// Every node checks on every change, written or received: the id of an assignment, a report or
/// a hub's report is `<task>|<its partition>` and its `task` (and `school`) fields say the same; a
/// report needs its assignment; statuses are ``ReportStatus`` words, progress 0…100, texts and
/// times bounded (Protocol/replication-v1.md §7.5).
public enum PartaSchema {
    public static let schema = ReplicationSchema(tables: [
        ReplicatedTable(name: "schools", columns: [.init("name", .text, .text(maxBytes: shortText))],
                        scope: .partitioned, writers: .hub, identity: .partition),
        ReplicatedTable(name: "resolutions", columns: [
            .init("kind", .text, .text(maxBytes: shortText)), .init("title", .text, .text(maxBytes: longText)), .init("body", .text),
            .init("place", .text, .text(maxBytes: shortText)), .init("date", .text, .text(maxBytes: shortText)),
            .init("source", .text, .text(maxBytes: shortText)), .init("digest", .text, .text(maxBytes: shortText)),
            .init("imported_at", .integer, .integer(time)),
        ], scope: .partitioned, writers: .hub),
        ReplicatedTable(name: "tasks", columns: [
            .init("number", .text, .text(maxBytes: shortText)), .init("title", .text, .text(maxBytes: longText)), .init("body", .text),
            .init("section", .text, .text(maxBytes: longText)), .init("level", .text, .text(maxBytes: shortText)),
            .init("addressees", .text, .text(maxBytes: longText)), .init("deadline", .text, .text(maxBytes: shortText)),
            .init("deadline_kind", .text, .text(maxBytes: shortText)), .init("deadline_raw", .text, .text(maxBytes: longText)),
            .init("targets", .text, .text(maxBytes: longText)), .init("resolution", .text, .text(maxBytes: shortText)),
            .init("responsible", .text, .text(maxBytes: longText)), .init("source_key", .text, .text(maxBytes: shortText)),
        ], scope: .referenced(via: "assignments", column: "task"), writers: .hub),
        ReplicatedTable(name: "assignments", columns: [.init("task", .text), .init("school", .text)],
                        scope: .partitioned, writers: .hub, identity: .keyedByPartition(keyColumn: "task", partitionColumn: "school")),
        ReplicatedTable(name: "reports", columns: [
            .init("task", .text), .init("school", .text), .init("status", .text, .oneOf(ReportStatus.allCases.map(\.rawValue))),
            .init("progress", .integer, .integer(0...100)), .init("comment", .text, .text(maxBytes: longText)),
            .init("indicators", .text, .text(maxBytes: longText)), .init("author", .text, .text(maxBytes: shortText), annotation: true),
            .init("reported_at", .integer, .integer(time), annotation: true),
        ], scope: .partitioned, writers: .partitionMembers,
           identity: .keyedByPartition(keyColumn: "task", partitionColumn: "school"), requires: [.sameRowIn(table: "assignments")]),
        // One register per reported indicator (replication-v1 §8.1): id `<task>|<name>|<school>`,
        // `key` = `<task>|<name>`. Release 2's table: it travels only to nodes that read it.
        ReplicatedTable(name: "indicators", columns: [
            .init("key", .text, .text(maxBytes: 2 * shortText + 1)), .init("school", .text), .init("value", .real),
            .init("author", .text, .text(maxBytes: shortText), annotation: true), .init("reported_at", .integer, .integer(time), annotation: true),
        ], scope: .partitioned, writers: .partitionMembers,
           identity: .keyedByPartition(keyColumn: "key", partitionColumn: "school"), requires: [.firstKeyPartRowIn(table: "assignments")],
           feature: .release2Tables),
        // Where each imported task stands in its document (resolution-import-v1 §3): id = the task's id,
        // `text` the paragraphs as normalised, `first`/`last` their indexes. An optional table, like
        // `indicators`, one step later (bit 2): a node of an earlier release refuses a bundle naming a table
        // or column it does not know, even one that reads `indicators`.
        ReplicatedTable(name: "task_sources", columns: [
            .init("text", .text), .init("first", .integer, .integer(0...Int64(Int32.max))), .init("last", .integer, .integer(0...Int64(Int32.max))),
        ], scope: .referenced(via: "assignments", column: "task"), writers: .hub, feature: .release3Tables),
        ReplicatedTable(name: "hub_reports", columns: [
            .init("task", .text), .init("status", .text, .oneOf(ReportStatus.allCases.map(\.rawValue))),
            .init("progress", .integer, .integer(0...100)), .init("comment", .text, .text(maxBytes: longText)),
            .init("author", .text, .text(maxBytes: shortText), annotation: true), .init("reported_at", .integer, .integer(time), annotation: true),
        ], scope: .partitioned, writers: .hub, identity: .keyedByPartition(keyColumn: "task", partitionColumn: nil)),
    ], local: PartaSchema.local)

    /// Names, numbers, codes, dates: at most this many bytes.
    public static let shortText = 1024
    /// Titles, comments, lists: at most this many bytes (a document's body is bound by the engine's 1 MiB).
    public static let longText = 64 << 10
    /// Times in ms since 1970: from 1970 to the end of 9999.
    public static let time: ClosedRange<Int64> = 0...253_402_300_799_999

    /// The id of the assignment and of the report of `task` at `school`.
    public static func pairID(task: String, school: String) -> String { "\(task)|\(school)" }

    /// The id of indicator `name` of the report of `task` at `school`.
    public static func indicatorID(task: String, name: String, school: String) -> String { "\(task)|\(name)|\(school)" }

    /// The fields of a report that users write and see, each credited to its own writer.
    public static let reportValueFields = ["status", "progress", "comment", "indicators"]
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

    /// The progress to show and count for a stored report: 100 when its status is `done`, else the
    /// stored percentage within 0…100. Every reader goes through this, so a value that got into a
    /// database before the receivers checked it (Protocol/replication-v1.md §7.5) can neither trap
    /// an aggregate nor show as more than done.
    public static func shownProgress(status: String?, stored: Int64?) -> Int {
        if status == ReportStatus.done.rawValue { return 100 }
        return Int(min(max(stored ?? 0, 0), 100))
    }

    /// Accepts the stored word, `in-progress`, or the Russian label.
    public init?(userText: String) {
        let t = userText.lowercased().replacingOccurrences(of: "-", with: "_")
        if let s = ReportStatus(rawValue: t) { self = s; return }
        guard let s = ReportStatus.allCases.first(where: { $0.label(.ru) == t || $0.label(.en) == t }) else { return nil }
        self = s
    }
}
