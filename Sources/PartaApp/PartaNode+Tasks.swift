import Foundation
import PartaCore
import PartaStore

extension PartaNode {
    /// Finds a task by id (`t3-k3m9x2pq`), by its short id (`t3`, when one task has it, or one of
    /// this hub's own) or by its printed number (`2.1`).
    ///
    /// - Throws: ``PartaError/Code/taskNotFound`` if nothing matches, or the reference is ambiguous.
    public func resolveTask(_ reference: String) throws -> String {
        let queries = TaskQueries(replica)
        if try queries.exists(reference) { return reference }
        var matches = try queries.ids(withShortID: reference)
        if matches.count > 1, isHub {
            let own = matches.filter { $0.hasSuffix("-" + taskTag) }
            if own.count == 1 { matches = own }
        }
        if matches.isEmpty {
            // Numbers as printed: `2.1` finds `2.1.` too.
            let number = reference.hasSuffix(".") ? String(reference.dropLast()) : reference
            matches = try queries.ids(numbered: number)
        }
        if matches.count == 1 { return matches[0] }
        // Several tasks under one printed number (the bullets of one item): each with its first
        // words, so that the user can tell which code is the one meant.
        var choices = ""
        for id in matches {
            let title = try queries.title(id)
            let words = title.count > 70 ? String(title.prefix(69)) + "…" : title
            choices += "\n  \(id)  \(words)"
        }
        throw PartaError(.taskNotFound, Message(
            en: matches.count > 1
                ? "Several tasks are numbered \(reference); give the code of the one you mean:\(choices)"
                : "There is no task \(reference) here. See the list with `parta tasks`.",
            ru: matches.count > 1
                ? "Под номером \(reference) несколько задач; укажите код нужной:\(choices)"
                : "Задачи \(reference) здесь нет. Список задач — `parta tasks`."))
    }

    /// The tasks this node holds: a school's assigned tasks with its own report, or every task at the hub.
    public func tasks(today: String, onlyOverdue: Bool = false, status: ReportStatus? = nil) throws -> [TaskSummary] {
        let queries = TaskQueries(replica)
        // At the hub, the hub's own report on its own municipal-level tasks (or any it reported on); empty for the others.
        let rows = isHub ? try queries.hubTasks(hub: replica.nodeID) : try queries.schoolTasks(school: school)
        return rows.compactMap { r in
            var r = r
            // At the hub, a status only on its own tasks (``isOwnTask(id:level:hasOwnReport:)``).
            if isHub && !isOwnTask(id: r.id, level: r.level, hasOwnReport: r.hasOwnReport) { r.status = "" }
            // An empty status (not the hub's own task) shows no stored progress, as with no report.
            let summary = TaskSummary(
                id: r.id, number: r.number, title: r.title, section: r.section,
                level: r.level, deadline: r.deadline, deadlineKind: r.deadlineKind ?? "none",
                deadlineText: r.deadlineText, status: r.status, progress: ReportStatus.shownProgress(status: r.status, stored: r.progress),
                overdue: (!isHub || !r.status.isEmpty) && PartaNode.isOverdue(deadline: r.deadline, status: r.status, today: today))
            if onlyOverdue && !summary.overdue { return nil }
            if let status, summary.status != status.rawValue { return nil }
            return summary
        }
    }

    /// One task with every report this node can see.
    public func showTask(_ reference: String, today: String) throws -> TaskDetail {
        let id = try resolveTask(reference)
        guard let summary = try tasks(today: today).first(where: { $0.id == id }) else {
            throw PartaError(.taskNotFound, Message(en: "There is no task \(reference) here.", ru: "Задачи \(reference) здесь нет."))
        }
        let queries = TaskQueries(replica)
        let text = try queries.text(id)
        let schools = try queries.schools(assignedTo: id)
        let reports = try queries.reports(ofTask: id).map { r in
            SchoolReport(school: r.school, schoolName: r.schoolName, status: r.status,
                         progress: ReportStatus.shownProgress(status: r.status, stored: r.progress), comment: r.comment,
                         indicators: PartaNode.decodeIndicators(r.indicators), author: r.author,
                         reportedAt: r.reportedAt)
        }.map { report in
            var report = report
            let indicators = try indicators(task: id, school: report.school)
            report.indicators = indicators.values
            let authorship = try reportAuthorship(task: id, school: report.school, newestIndicator: indicators.newest)
            if let newest = authorship.newest { (report.author, report.reportedAt) = (newest.by, newest.at) }
            report.fields = authorship.fields
            return report
        }
        return TaskDetail(task: summary, body: text?.body ?? "", addressees: text?.addressees ?? "",
                          schools: schools, reports: reports, source: try taskSourceText(id))
    }

    /// Records this school's report on a task (school nodes only). Only the given fields change.
    public func report(task reference: String, status: ReportStatus?, progress: Int?, comment: String?,
                       indicators: [String: Double] = [:], now: UInt64) throws {
        if isHub { return try reportOwnTask(reference, status: status, progress: progress, comment: comment, now: now) }
        let id = try resolveTask(reference)
        guard try TaskQueries(replica).isAssigned(task: id, school: school) else {
            throw PartaError(.notAssigned, Message(
                en: "Task \(reference) is not assigned to this school.", ru: "Задача \(reference) не назначена этой школе."))
        }
        for name in indicators.keys where name.isEmpty || name.utf8.count > PartaSchema.shortText {
            throw PartaError(.invalidArgument, Message(
                en: "An indicator needs a name of 1 to \(PartaSchema.shortText) bytes.", ru: "Показателю нужно имя длиной от 1 до \(PartaSchema.shortText) байт."))
        }
        let pair = PartaSchema.pairID(task: id, school: school)
        var values = try reportValues(task: id, status: status, progress: progress, comment: comment, now: now)
        values["school"] = .text(school)
        // One register per indicator where the hub reads them (§8.1); else, for a hub of the
        // earlier release, all of them in the report's one `indicators` field, as it did.
        let hubReadsIndicators = try replica.features(readBy: replica.hubID).contains(.release2Tables)
        let perIndicator = !indicators.isEmpty && hubReadsIndicators
        if !indicators.isEmpty && !perIndicator {
            let existing = try TaskQueries(replica).reportIndicators(pair)
            values["indicators"] = .text(PartaNode.encodeIndicators(PartaNode.decodeIndicators(existing).merging(indicators) { $1 }))
        }
        try replica.transaction {
            try replica.write(table: "reports", row: pair, partition: school, values: values, now: now)
            guard perIndicator else { return }
            for (name, value) in indicators.sorted(by: { $0.key < $1.key }) {
                try replica.write(table: "indicators", row: PartaSchema.indicatorID(task: id, name: name, school: school), partition: school, values: [
                    "key": .text("\(id)|\(name)"), "school": .text(school), "value": .real(value),
                    "author": values["author"] ?? .null, "reported_at": .integer(Int64(now)),
                ], now: now)
            }
        }
    }

    /// The indicators of the report of `task` at `school`: its `indicators` field (written by the
    /// earlier release) with, per name, the indicator's own register where that is newer (§8.1).
    func indicators(task: String, school: String) throws -> (values: [String: Double], newest: Stamp?) {
        let pair = PartaSchema.pairID(task: task, school: school)
        let blobStamp = try replica.fieldStamps(table: "reports", row: pair)["indicators"]
        var values = PartaNode.decodeIndicators(try TaskQueries(replica).reportIndicators(pair))
        var newest = blobStamp
        let prefix = task + "|"
        for row in try TaskQueries(replica).indicators(school: school, keyPrefix: prefix) {
            guard let id = row.id, let key = row.key, key.hasPrefix(prefix),
                  let stamp = try replica.fieldStamps(table: "indicators", row: id)["value"] else { continue }
            let name = String(key.dropFirst(prefix.count))
            if values[name] == nil || blobStamp.map({ stamp > $0 }) ?? true {
                values[name] = row.value
            }
            if newest.map({ stamp > $0 }) ?? true { newest = stamp }
        }
        return (values, newest)
    }

    /// The fields every report carries, a school's or a hub's own: only those given, `done`
    /// meaning 100% unless said otherwise, the author's name and the time.
    ///
    /// - Throws: ``PartaError/Code/invalidArgument`` for a progress outside 0…100.
    private func reportValues(task: String, status: ReportStatus?, progress: Int?, comment: String?, author: String? = nil, now: UInt64) throws -> [String: Value] {
        if let progress, !(0...100).contains(progress) {
            throw PartaError(.invalidArgument, Message(
                en: "Progress is a percentage from 0 to 100.", ru: "Прогресс указывается в процентах, от 0 до 100."))
        }
        var values: [String: Value] = ["task": .text(task), "reported_at": .integer(Int64(now))]
        if let status { values["status"] = .text(status.rawValue) }
        if let progress { values["progress"] = .integer(Int64(progress)) }
        if status == .done && progress == nil { values["progress"] = .integer(100) }
        if let comment { values["comment"] = .text(comment) }
        values["author"] = .text(try author ?? { let own = try self.name(ofNode: replica.nodeID); return own.isEmpty ? replica.nodeID : own }())
        return values
    }

    /// A hub's report on one of its own tasks (the municipal level of a resolution): same statuses
    /// and fields as a school's, kept in the hub's own partition, so it goes up to its region.
    /// `author` names who wrote it (a dashboard user); by default the hub's name.
    public func reportOwnTask(_ reference: String, status: ReportStatus?, progress: Int?, comment: String?, author: String? = nil, now: UInt64) throws {
        let id = try resolveTask(reference)
        guard id.hasSuffix("-" + taskTag) else {
            throw PartaError(.notAssigned, Message(
                en: "Task \(reference) was issued by another hub; a hub reports on its own tasks only.",
                ru: "Задача \(reference) выдана другим управлением; управление отчитывается только о своих задачах."))
        }
        let values = try reportValues(task: id, status: status, progress: progress, comment: comment, author: author, now: now)
        try replica.write(table: "hub_reports", row: PartaSchema.pairID(task: id, school: replica.nodeID), partition: replica.nodeID,
                          values: values, now: now)
    }

    // MARK: Status, conflicts, history

    /// This node's state as `parta status` shows it, at wall-clock time `now`.
    public func status(now: UInt64) throws -> NodeStatus {
        let name = try self.name(ofNode: replica.nodeID)
        let lastIn = try replica.lastExchange(direction: "in")
        let lastOut = try replica.lastExchange(direction: "out")
        var status = NodeStatus(node: replica.nodeID, name: name, role: isHub ? "hub" : "school", school: isHub ? "" : school,
                          hub: replica.hubID, lastImportAt: Int64(lastIn?.at ?? 0), lastImportChanges: lastIn?.changes ?? 0,
                          lastExportAt: Int64(lastOut?.at ?? 0), lastExportChanges: lastOut?.changes ?? 0,
                          unsentChanges: isHub ? 0 : try replica.unacknowledgedChangeCount(),
                          conflicts: try replica.conflicts().filter { !PartaNode.isBookkeeping($0) }.count,
                          vectorClock: try replica.vectorClock().counters,
                          clockBehindMinutes: Int(replica.lastTimestamp.milliseconds > now ? (replica.lastTimestamp.milliseconds - now) / 60_000 : 0),
                          clockToleranceMinutes: Int(replica.maxDrift / 60_000))
        status.lastSyncAt = Int64(try replica.localSetting("last_sync_at") ?? "0") ?? 0
        status.syncURL = try replica.localSetting("sync_url") ?? ""
        status.awaitingEnrollment = replica.awaitsEnrollment
        if !isHub { status.schoolName = (try? schoolName(school)) ?? "" }
        status.hubName = try self.name(ofNode: replica.hubID)
        return status
    }

    /// Conflicts in words, in `language`. `author` and `reported_at` are left out: who and when are shown anyway.
    public func conflicts(language: Language = .ru) throws -> [ConflictView] {
        try replica.conflicts().filter { !PartaNode.isBookkeeping($0) }.map { c in
            let words = try words(table: c.table, row: c.row, field: c.field)
            return ConflictView(table: c.table, row: c.row, field: c.field,
                                keptValue: c.winnerValue.description, keptBy: try nodeName(c.winner.node),
                                keptAt: PartaNode.formatTime(c.winner.time.milliseconds),
                                setAsideValue: c.loserValue.description, setAsideBy: try nodeName(c.loser.node),
                                setAsideAt: PartaNode.formatTime(c.loser.time.milliseconds),
                                about: words.record.text(in: language), fieldName: words.field.text(in: language),
                                keptText: valueWords(table: c.table, field: c.field, value: c.winnerValue).text(in: language),
                                setAsideText: valueWords(table: c.table, field: c.field, value: c.loserValue).text(in: language))
        }
    }

    /// A conflict on a report's author or time: who and when are shown with the fields anyway.
    static func isBookkeeping(_ c: ConflictRecord) -> Bool { c.table == "reports" && ["author", "reported_at"].contains(c.field) }

    /// The newest `limit` accepted changes, newest first, with their records and values in words in `language`.
    public func history(limit: Int, language: Language = .ru) throws -> [HistoryView] {
        try replica.history(limit: limit).map { h in
            let words = try words(table: h.table, row: h.row, field: h.field)
            return HistoryView(table: h.table, row: h.row, field: h.field, value: h.value.description, by: try nodeName(h.stamp.node),
                               at: PartaNode.formatTime(h.stamp.time.milliseconds),
                               about: words.record.text(in: language), fieldName: words.field.text(in: language),
                               valueText: valueWords(table: h.table, field: h.field, value: h.value).text(in: language))
        }
    }

    /// Each written field of a school's report on a task with its writer and time, from the
    /// fields' own stamps, and the newest of them.
    public func reportAuthorship(task: String, school: String) throws -> (fields: [String: FieldAuthor], newest: FieldAuthor?) {
        try reportAuthorship(task: task, school: school, newestIndicator: indicators(task: task, school: school).newest)
    }

    /// ``reportAuthorship(task:school:)`` when the caller has just read the report's indicators.
    func reportAuthorship(task: String, school: String, newestIndicator: Stamp?) throws -> (fields: [String: FieldAuthor], newest: FieldAuthor?) {
        var stamps = try replica.fieldStamps(table: "reports", row: PartaSchema.pairID(task: task, school: school))
        if let newestIndicator { stamps["indicators"] = newestIndicator }
        var fields: [String: FieldAuthor] = [:]
        var newest: (Stamp, FieldAuthor)?
        for field in PartaSchema.reportValueFields {
            guard let stamp = stamps[field] else { continue }
            let author = FieldAuthor(by: try nodeName(stamp.node), at: Int64(clamping: stamp.time.milliseconds))
            fields[field] = author
            if newest.map({ stamp > $0.0 }) ?? true { newest = (stamp, author) }
        }
        return (fields, newest?.1)
    }

    /// The name a node was given (`ПК секретаря`), or "" for a node this replica does not know:
    /// the one query every "name, not id" shown to people goes through.
    public func name(ofNode id: String) throws -> String {
        try NodeQueries(replica).name(id) ?? ""
    }

    func nodeName(_ id: String) throws -> String {
        let name = try self.name(ofNode: id)
        return name.isEmpty ? id : "\(name) (\(id))"
    }

    // MARK: Helpers

    public static func isOverdue(deadline: String, status: String, today: String) -> Bool {
        !deadline.isEmpty && status != ReportStatus.done.rawValue && deadline < today
    }

    public static func parseISODate(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        let days = CivilTime.daysFromCivil(year: y, month: m, day: d)
        let back = CivilTime.civilFromDays(days)
        return back == (y, m, d) ? (y, m, d) : nil
    }

    /// Local date and time (the machine's time zone), e.g. `2020-09-01 14:05`.
    public static func formatTime(_ milliseconds: UInt64) -> String {
        guard milliseconds > 0 else { return "—" }
        return timeFormatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// The local date of `milliseconds` as `YYYY-MM-DD`.
    public static func isoDate(_ milliseconds: UInt64) -> String {
        dateFormatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    // Made once: a listing formats a time per row. Parta uses them from one thread.
    private static let timeFormatter = localFormatter("yyyy-MM-dd HH:mm")
    private static let dateFormatter = localFormatter("yyyy-MM-dd")

    private static func localFormatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.dateFormat = format
        formatter.timeZone = TimeZone.current
        return formatter
    }

    static func encodeIndicators(_ values: [String: Double]) -> String {
        guard !values.isEmpty, let data = try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeIndicators(_ text: String) -> [String: Double] {
        guard !text.isEmpty, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
}
