import Foundation
import PartaApp
import PartaResolution

extension Render {
    static func level(_ level: TaskLevel) -> String { Render.level(level.rawValue) }

    /// A resolution's tasks as a tree a methodologist can check against the document: its
    /// headings, then under each addressee line one row per task (number, level, deadline as
    /// printed with its normalised form, first words).
    static func resolutionTree(_ result: PartaNode.ResolutionImport) -> String {
        let d = result.document
        var out = [d.title.isEmpty ? d.kind : d.title]
        out.append([d.place, d.date].filter { !$0.isEmpty }.joined(separator: ", "))
        let levels = TaskLevel.allCases.map { level in "\(Render.level(level)) \(result.lines.filter { $0.task.level == level }.count)" }
        let dated = result.lines.filter { $0.task.deadline != nil }.count
        out.append(T("\(result.lines.count) tasks (\(levels.joined(separator: ", "))); \(dated) with a deadline",
                     "Задач: \(result.lines.count) (\(levels.joined(separator: ", "))); со сроком: \(dated)"))
        var section: [String] = []
        var addressees: [String]? = nil
        for line in result.lines {
            let task = line.task
            let common = zip(section, task.section).prefix { $0 == $1 }.count
            for (depth, heading) in task.section.enumerated().dropFirst(common) {
                out.append("")
                out.append(String(repeating: "  ", count: depth) + "▸ " + heading)
                addressees = nil
            }
            section = task.section
            let indent = String(repeating: "  ", count: task.section.count)
            if task.addressees != addressees, !task.addressees.isEmpty {
                out.append(indent + "→ " + task.addressees.joined(separator: ", "))
            }
            addressees = task.addressees
            let mark = line.change == .added ? "" : line.change == .updated ? T(" [changed]", " [изменена]") : T(" [as before]", " [без изменений]")
            let number = task.number.isEmpty ? "·" : task.number
            let words = String(task.text.prefix(70)) + (task.text.count > 70 ? "…" : "")
            out.append(indent + "  " + [number.padding(toLength: max(number.count, 6), withPad: " ", startingAt: 0),
                                       level(task.level).padding(toLength: 9, withPad: " ", startingAt: 0), words].joined(separator: " ") + mark)
            if let deadline = task.deadline {
                out.append(indent + "  " + String(repeating: " ", count: 17) + T("due: ", "срок: ") + deadline.raw + "  → " + describe(deadline.deadline))
            }
        }
        return out.joined(separator: "\n")
    }

    static func describe(_ deadline: Deadline) -> String {
        switch deadline {
        case .date(let date): return date
        case .period(let from, let to): return "\(from) … \(to)"
        case .recurring(let every):
            let ru = ["continuous": "постоянно", "week": "еженедельно", "month": "ежемесячно", "quarter": "ежеквартально",
                      "half-year": "раз в полугодие", "year": "ежегодно"]
            return language == .ru ? ru[every] ?? every : every
        case .staged(let stages): return stages.map { "\($0.date): \($0.target)" }.joined(separator: "; ")
        }
    }

    /// ` (№2.1#1: срок; …)`: which fields of which tasks corrections touch, empty for none.
    static func corrections(_ list: [TaskCorrection]) -> String {
        guard !list.isEmpty else { return "" }
        let names = ["number": T("number", "номер"), "text": T("text", "текст"), "level": T("level", "уровень"),
                     "addressees": T("addressees", "адресаты"), "deadline": T("deadline", "срок"),
                     "deadline_raw": T("deadline as written", "срок в документе"), "responsible": T("responsible", "ответственные"),
                     "dropped": T("dropped", "убрана")]
        var order: [String] = []
        var byKey: [String: [String]] = [:]
        for c in list {
            if byKey[c.key] == nil { order.append(c.key) }
            byKey[c.key, default: []].append(names[c.field] ?? c.field)
        }
        return " (" + order.map { "\($0): \(byKey[$0]!.joined(separator: ", "))" }.joined(separator: "; ") + ")"
    }
}
