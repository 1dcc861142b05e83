import Foundation
import PartaCore

extension HubNode {
    /// The hub's summary as two tables, schools first, then tasks: what a municipality sends to
    /// its region (hub only). The numbers are those of ``hubReport(today:)``, as of `today`
    /// (`YYYY-MM-DD`); columns and their order are fixed by Protocol/exports-v1.md §2.
    ///
    /// - `schools` (id `schools`): one row per school, by id: id, name, municipality (only at a
    ///   region, that is when some school has one), tasks assigned, one column per
    ///   ``ReportStatus`` in its declared order, overdue, % done (empty without tasks), last heard
    ///   from (empty if never).
    /// - `tasks` (id `tasks`): one row per assigned task, in the order they were added: number
    ///   (text, as printed), the task's full text (its title if it has none), level, the deadline
    ///   as written in the resolution (the ISO date if nothing was written), schools assigned, done,
    ///   % done, average progress, overdue, and last the day it is due as a date (empty for a
    ///   recurrence such as "постоянно", or without a deadline): last, because exports-v1 only ever
    ///   adds columns at the end, so that a region's scripts that read by position keep working.
    ///
    /// Headers, sheet names and level words are Russian unless `language` is `.en`. "Last heard
    /// from" is the wall-clock time in `timeZone`.
    ///
    /// - Throws: ``PartaError/Code/wrongNodeKind`` on a school node; store errors if the data
    ///   folder cannot be read.
    public func summaryTables(today: String, language: Language = .ru, timeZone: TimeZone = .current) throws -> [SummaryTable] {
        let report = try hubReport(today: today)
        func T(_ en: String, _ ru: String) -> String { language == .en ? en : ru }
        func percent(_ part: Int, of whole: Int) -> SummaryTable.Cell {
            whole > 0 ? .percent(Double(part) * 100 / Double(whole)) : .empty
        }
        let statuses = ReportStatus.allCases
        let done = ReportStatus.done.rawValue

        let tiered = report.schools.contains { !$0.municipality.isEmpty }
        var schools = SummaryTable(
            id: "schools", name: T("Schools", "Школы"),
            headers: [T("ID", "Код"), T("School", "Школа")] + (tiered ? [T("Municipality", "Муниципалитет")] : [])
                + [T("Tasks assigned", "Назначено задач")] + statuses.map { $0.label(language) }
                + [T("Overdue", "Просрочено"), T("% done", "% выполнено"), T("Last heard from", "Последний пакет")])
        for s in report.schools {
            let counts = statuses.map { SummaryTable.Cell.integer(s.byStatus[$0.rawValue] ?? 0) }
            let heard: SummaryTable.Cell = s.lastHeardFrom > 0
                ? .dateTime(HubNode.localDateTime(milliseconds: s.lastHeardFrom, in: timeZone)) : .empty
            schools.rows.append([.text(s.id), .text(s.name)] + (tiered ? [s.municipality.isEmpty ? .empty : .text(s.municipality)] : [])
                                + [.integer(s.assigned)] + counts
                                + [.integer(s.overdue), percent(s.byStatus[done] ?? 0, of: s.assigned), heard])
        }

        // What the roll-up does not carry: each task's level, its full text and its deadline as written.
        var extra: [String: (level: String, deadline: String, text: String)] = [:]
        for row in try TaskQueries(replica).summaryExtras() { extra[row.id] = (row.level, row.deadlineText, row.body) }
        var tasks = SummaryTable(
            id: "tasks", name: T("Tasks", "Задачи"),
            headers: ["№", T("Task", "Задача"), T("Level", "Уровень"), T("Deadline", "Срок"),
                      T("Schools assigned", "Назначено школ"), T("Done", "Выполнено"), T("% done", "% выполнено"),
                      T("Average progress", "Средний прогресс"), T("Overdue", "Просрочено"), T("Deadline (date)", "Срок (дата)")])
        for t in report.tasks {
            let written = extra[t.id]?.deadline ?? ""
            let deadline = written.isEmpty ? t.deadline : written
            let date: SummaryTable.Cell = PartaNode.parseISODate(t.deadline).map { .date(SummaryTable.LocalDateTime(year: $0.year, month: $0.month, day: $0.day)) } ?? .empty
            let text = extra[t.id]?.text ?? ""
            let doneCount = t.byStatus[done] ?? 0
            tasks.rows.append([t.number.isEmpty ? .empty : .text(t.number), .text(text.isEmpty ? t.title : text),
                               HubNode.levelWords(extra[t.id]?.level ?? "", language).map { .text($0) } ?? .empty,
                               deadline.isEmpty ? .empty : .text(deadline), .integer(t.assigned), .integer(doneCount),
                               percent(doneCount, of: t.assigned), .percent(t.averageProgress), .integer(t.overdue), date])
        }
        return [schools, tasks]
    }

    /// A task's level (`school`, `municipal`, `regional`, `other`) in words; an unknown level as
    /// stored; nil for none.
    static func levelWords(_ level: String, _ language: Language) -> String? {
        let words: [String: (en: String, ru: String)] = [
            "school": ("school", "школьный"), "municipal": ("municipal", "муниципальный"),
            "regional": ("regional", "региональный"), "other": ("other", "прочий"),
        ]
        if level.isEmpty { return nil }
        guard let w = words[level] else { return level }
        return language == .en ? w.en : w.ru
    }

    /// The wall-clock time of `milliseconds` (since 1970, UTC) in `timeZone`, to the minute.
    static func localDateTime(milliseconds: Int64, in timeZone: TimeZone) -> SummaryTable.LocalDateTime {
        let seconds = milliseconds / 1000 + Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(milliseconds) / 1000)))
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (y, m, d) = CivilTime.civilFromDays(days)
        return SummaryTable.LocalDateTime(year: y, month: m, day: d, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60)
    }
}
