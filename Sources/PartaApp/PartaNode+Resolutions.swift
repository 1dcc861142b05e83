import Foundation
import Crypto
import PartaCore
import PartaStore
import PartaResolution

extension PartaNode {
    /// What importing a resolution did, or would do (`dryRun`).
    public struct ResolutionImport: Codable, Sendable {
        public enum Change: String, Codable, Sendable { case added, updated, unchanged }
        public struct Line: Codable, Sendable {
            /// The task's id here (empty in a dry run for a task not stored yet).
            public var id: String
            public var change: Change
            public var task: ResolutionTask
            /// The task's key across versions of the document (``ResolutionReview``).
            public var key: String = ""
        }
        public var resolution: String
        public var document: ResolutionDocument
        public var source: String
        public var dryRun: Bool
        public var lines: [Line]
        /// Tasks stored from an earlier version of the document that this version no longer holds
        /// (kept, with their reports; withdraw them by hand if they are gone for good).
        public var missing: [String]
        /// Corrections stored from an earlier review and applied again to this version of the document.
        public var reapplied: [TaskCorrection] = []
        /// Corrections from the review given with this import (stored in place of the earlier ones).
        public var corrected: [TaskCorrection] = []
        public var added: Int { lines.filter { $0.change == .added }.count }
        public var updated: Int { lines.filter { $0.change == .updated }.count }
        public var unchanged: Int { lines.filter { $0.change == .unchanged }.count }
    }

    /// The corrections kept for `resolution` (hub-local, never replicated), in the order they were stored.
    public func corrections(resolution: String) throws -> [TaskCorrection] {
        try ResolutionQueries(replica).corrections(resolution: resolution).map { TaskCorrection(key: $0.key, field: $0.field, value: $0.value) }
    }

    /// Replaces the corrections kept for `resolution` with `corrections`.
    func storeCorrections(_ corrections: [TaskCorrection], resolution: String, now: UInt64) throws {
        try ResolutionQueries(replica).replaceCorrections(resolution: resolution, with: corrections.map {
            CorrectionRow(key: $0.key, field: $0.field, value: $0.value)
        }, at: Int64(now))
    }

    /// The keys that recognise the tasks of `parsed` across versions (see ``importResolution(_:source:dryRun:now:review:)``).
    public static func taskKeys(_ parsed: ParsedResolution) -> [String] { sourceKeys(parsed.tasks) }

    /// Stores (or updates) where `task` stands in its document, in `task_sources`; only fields that changed are written.
    func writeSource(_ span: SourceSpan?, task: String, now: UInt64) throws {
        guard let span else { return }
        let values: [String: Value] = ["text": .text(span.text), "first": .integer(Int64(span.firstParagraph)), "last": .integer(Int64(span.lastParagraph))]
        let changed = try changedFields(values, table: "task_sources", row: task)
        if !changed.isEmpty { try replica.write(table: "task_sources", row: task, values: changed, now: now) }
    }

    /// The paragraphs of its document a task was read from, as stored with it (nil for a task added by hand,
    /// or held by a node that does not read release 2's tables).
    public func taskSource(_ reference: String) throws -> SourceSpan? {
        let id = try resolveTask(reference)
        guard let r = try TaskQueries(replica).source(id) else { return nil }
        return SourceSpan(firstParagraph: Int(r.first), lastParagraph: Int(r.last), text: r.text)
    }

    /// The stored wording of task `id` in its document, empty if none.
    func taskSourceText(_ id: String) throws -> String {
        try TaskQueries(replica).sourceText(id)
    }

    /// A resolution's id here: a digest of what names the document (kind, title, date), so a
    /// corrected version of the same document is the same resolution, and this hub's tag.
    func resolutionID(_ document: ResolutionDocument) -> String {
        let name = [document.kind, document.title, document.date].map { $0.lowercased() }.joined(separator: "\n")
        return "r-" + Hex.encode(SHA256.hash(data: Data(name.utf8))).prefix(8) + "-" + taskTag
    }

    /// Keys that recognise a task across versions of a document: `№2.1#1` (the first task numbered
    /// 2.1), or the first words of an unnumbered task (`~обеспечить реализацию…#1`).
    static func sourceKeys(_ tasks: [ResolutionTask]) -> [String] {
        var seen: [String: Int] = [:]
        return tasks.map { task in
            let number = task.number.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
            let base: String
            if number.isEmpty {
                let words = task.text.lowercased().replacingOccurrences(of: "ё", with: "е")
                    .split(whereSeparator: { !($0.isLetter || $0.isNumber) }).prefix(8)
                base = "~" + words.joined(separator: " ")
            } else {
                base = "№" + number
            }
            seen[base, default: 0] += 1
            return "\(base)#\(seen[base]!)"
        }
    }

    static func taskValues(_ task: ResolutionTask, resolution: String, key: String) -> [String: Value] {
        let deadline = task.deadline
        return [
            "number": .text(task.number), "title": .text(PartaNode.title(of: task.text)), "body": .text(task.text),
            "section": .text(task.section.joined(separator: " / ")), "level": .text(task.level.rawValue),
            "addressees": .text(task.addressees.joined(separator: "; ")),
            "deadline": .text(deadline?.deadline.dueDate ?? ""), "deadline_kind": .text(deadline.map { PartaNode.kind(of: $0.deadline) } ?? "none"),
            "deadline_raw": .text(deadline?.raw ?? ""), "targets": .text(task.targets.joined(separator: "; ")),
            "responsible": .text(task.responsible.joined(separator: "; ")), "resolution": .text(resolution), "source_key": .text(key),
        ]
    }

    static func kind(of deadline: Deadline) -> String {
        switch deadline {
        case .date: return "date"
        case .period: return "period"
        case .recurring: return "recurring"
        case .staged: return "staged"
        }
    }

    /// A list title: the task's first sentence, at most 160 characters, cut at a word.
    static func title(of text: String) -> String {
        var sentence = text
        if let end = text.range(of: ". ") ?? text.range(of: "; ") { sentence = String(text[..<end.lowerBound]) }
        guard sentence.count > 160 else { return sentence }
        let cut = sentence.prefix(160)
        return (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + "…"
    }

    /// The entries of `values` that differ from the stored row (all of them for a row not stored), read in one query.
    fileprivate func changedFields(_ values: [String: Value], table: String, row: String) throws -> [String: Value] {
        guard let stored = try replica.storedValues(table: table, row: row, fields: values.keys.sorted()) else { return values }
        return values.filter { field, value in stored[field] != value }
    }

}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension HubNode {
    /// The review of a parsed resolution (hub only): its tasks with the corrections kept for it applied,
    /// as rows of the review table; with the keys of every task as extracted (for ``ResolutionReview/corrections(_:tasks:keys:file:)``).
    public func review(_ parsed: ParsedResolution) throws -> (rows: [ResolutionReview.Row], keys: [String], resolution: String) {
        let resolution = resolutionID(parsed.document)
        let keys = PartaNode.sourceKeys(parsed.tasks)
        let corrected = ResolutionReview.apply(try corrections(resolution: resolution), to: parsed.tasks, keys: keys)
        return (ResolutionReview.rows(corrected.tasks, keys: corrected.keys), keys, resolution)
    }

    /// Stores the tasks of a parsed resolution (hub only), linked to the resolution, in one
    /// transaction. Importing the same document again changes nothing; a changed version updates
    /// only the fields of the tasks that changed, adds new tasks and lists the tasks it no longer
    /// holds. Tasks are recognised across versions by their printed number (and their rank among
    /// tasks of the same number), or, unnumbered, by their first words. Nothing is assigned: see
    /// ``assign(resolution:level:to:onlyTasks:now:)``.
    ///
    /// A methodologist's corrections (``ResolutionReview``) are kept per resolution, keyed by the task's
    /// key: `review` replaces the kept ones (and is stored unless `dryRun`); without it, the kept ones
    /// are applied again, so a re-import never undoes a correction (``ResolutionImport/reapplied``).
    ///
    /// - Parameter dryRun: compute the same result and write nothing.
    /// - Parameter review: the corrections of a reviewed table, read with ``ResolutionReview/corrections(_:tasks:keys:file:)``.
    /// - Throws: ``PartaError/Code/invalidArgument`` when the document holds no task (or the review dropped them all).
    public func importResolution(_ parsed: ParsedResolution, source: String, dryRun: Bool, now: UInt64,
                                 review: [TaskCorrection]? = nil) throws -> ResolutionImport {
        guard !parsed.tasks.isEmpty else {
            throw PartaError(.invalidArgument, Message(
                en: "No tasks were found in \(source): it holds no directive items (\"Обеспечить…\", \"Срок: …\"). Check that it is a resolution, or add the tasks by hand with `parta hub task add`.",
                ru: "В \(source) не найдено задач: нет поручений («Обеспечить…», «Срок: …»). Проверьте, что это резолюция, или добавьте задачи вручную: `parta hub task add`."))
        }
        let resolution = resolutionID(parsed.document)
        let digest = Hex.encode(SHA256.hash(data: Data(try JSONEncoder.sorted.encode(parsed))))
        var result = ResolutionImport(resolution: resolution, document: parsed.document, source: source, dryRun: dryRun, lines: [], missing: [])
        let corrected = ResolutionReview.apply(try review ?? corrections(resolution: resolution), to: parsed.tasks, keys: PartaNode.sourceKeys(parsed.tasks))
        if review == nil { result.reapplied = corrected.applied } else { result.corrected = review ?? [] }
        guard !corrected.tasks.isEmpty else {
            throw PartaError(.invalidArgument, Message(
                en: "The review drops every task of \(source): nothing to import.", ru: "При проверке из \(source) убраны все задачи: импортировать нечего."))
        }
        let keys = corrected.keys
        let write = {
            let document: [String: Value] = [
                "kind": .text(parsed.document.kind), "title": .text(parsed.document.title), "body": .text(parsed.document.body),
                "place": .text(parsed.document.place), "date": .text(parsed.document.date), "source": .text(source), "digest": .text(digest)]
            let documentChanges = try self.changedFields(document, table: "resolutions", row: resolution)
            if !dryRun, !documentChanges.isEmpty {
                try self.replica.write(table: "resolutions", row: resolution, partition: self.replica.nodeID,
                                       values: documentChanges.merging(["imported_at": .integer(Int64(now))]) { $1 }, now: now)
            }
            var seen: Set<String> = []
            if let review, !dryRun { try self.storeCorrections(review, resolution: resolution, now: now) }
            for (task, key) in zip(corrected.tasks, keys) {
                let values = PartaNode.taskValues(task, resolution: resolution, key: key)
                if let existing = try TaskQueries(self.replica).id(sourceKey: key, suffix: "-" + self.taskTag) {
                    seen.insert(existing)
                    let changed = try self.changedFields(values, table: "tasks", row: existing)
                    if !changed.isEmpty && !dryRun { try self.replica.write(table: "tasks", row: existing, values: changed, now: now) }
                    if !dryRun { try self.writeSource(task.source, task: existing, now: now) }
                    result.lines.append(.init(id: existing, change: changed.isEmpty ? .unchanged : .updated, task: task, key: key))
                } else {
                    let id = dryRun ? "" : try self.nextTaskID()
                    if !dryRun {
                        try self.replica.write(table: "tasks", row: id, values: values, now: now)
                        try self.writeSource(task.source, task: id, now: now)
                    }
                    seen.insert(id)
                    result.lines.append(.init(id: id, change: .added, task: task, key: key))
                }
            }
            result.missing = try TaskQueries(self.replica).ids(ofResolution: resolution).filter { !seen.contains($0) && $0.hasSuffix("-" + self.taskTag) }
        }
        if dryRun { try write() } else { try replica.transaction { try write() } }
        return result
    }
}
