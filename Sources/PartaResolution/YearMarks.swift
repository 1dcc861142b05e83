import Foundation

/// A plan whose table says when each measure runs by marks under year columns (`№ | Мероприятие | 2025 | 2026 |
/// 2027 | Ответственный`, spec §1 and §4 "Year columns"): `+` or `✓` for the whole year, a month, quarter or half for
/// that part of it, `–` or nothing for not that year.
///
/// The table readers write a row's marks as its `Срок:` line, `2025: IV квартал; 2026: +; 2027: +`, and the deadline
/// of such a line is one `period` from the first day of the earliest marked span to the last day of the latest.
enum YearMarks {
    /// A header cell that is only a year (`2025`, `2025 г.`, `2025 год`) or a school year (`2025/2026 уч. год`,
    /// `2025-2026 учебный год`).
    private static let yearCell = Pattern(#"^((?:19|20)\d{2})\s*(?:г\.?|год)?$"#)
    private static let schoolYearCell = Pattern(#"^((?:19|20)\d{2})\s*[-–—/]\s*(?:(?:19|20)?\d{2})\s*(?:уч\.?|учебн[а-яё]*)\s*(?:г\.?|год[а-яё]*)?$"#)
    /// A mark that means the whole year.
    private static let wholeYear: Set<String> = ["+", "✓", "✔", "v", "х", "x", "*", "да", "•", "в течение года"]
    /// A mark that means not that year (or not that part of it).
    static let none: Set<String> = ["-", "–", "—", "−", "нет", "0"]

    /// The year columns of a header row, by index, when it names two or more.
    static func columns(header cells: [String]) -> [Column]? {
        let found = cells.indices.compactMap { i -> Column? in
            let cell = Russian.fold(cells[i]).trimmingCharacters(in: .whitespaces)
            if let y = yearCell.firstMatch(in: cell)?.group(1).flatMap({ Int($0) }) { return Column(index: i, year: y, schoolYear: false) }
            if let y = schoolYearCell.firstMatch(in: cell)?.group(1).flatMap({ Int($0) }) { return Column(index: i, year: y, schoolYear: true) }
            return nil
        }
        return found.count >= 2 ? found : nil
    }

    /// A year column: its index, and the year it names (a school year by its first calendar year).
    struct Column {
        var index: Int
        var year: Int
        var schoolYear: Bool
        /// How the column is named on a `Срок:` line: `2025`, `2025/2026 уч. год`.
        var label: String { schoolYear ? "\(year)/\(year + 1) уч. год" : "\(year)" }
    }

    /// The row's marks as a `Срок:` line's words (`2025: +; 2026: сентябрь`), or nil when no year is marked.
    static func line(_ row: [String], columns: [Column]) -> String? {
        let marks = columns.compactMap { c -> String? in
            guard c.index < row.count else { return nil }
            let mark = row[c.index].trimmingCharacters(in: .whitespacesAndNewlines)
            guard !mark.isEmpty, !none.contains(Russian.fold(mark)) else { return nil }
            return "\(c.label): \(mark)"
        }
        return marks.isEmpty ? nil : marks.joined(separator: "; ")
    }

    private static let marked = Pattern(#"^(?:(?:19|20)\d{2}(?:/(?:19|20)\d{2}\s+уч\.\s+год)?:\s*[^;:]{1,40}(?:;\s*|$))+$"#)
    private static let entry = Pattern(#"((?:19|20)\d{2})(/(?:19|20)\d{2}\s+уч\.\s+год)?:\s*([^;]+)"#)

    private static func span(of deadline: Deadline) -> (Day, Day)? {
        switch deadline {
        case .period(let from, let to): return Day(iso: from).flatMap { a in Day(iso: to).map { (a, $0) } }
        case .date(let d): return Day(iso: d).map { ($0, $0) }
        default: return nil
        }
    }

    /// The deadline of a line of year marks (folded text), or nil when the line is not one.
    static func deadline(_ s: String, reference: Day?) -> Deadline? {
        guard s.count <= 400, marked.matches(s) else { return nil }
        var spans: [(Day, Day)] = []
        for m in entry.matches(in: s) {
            guard let year = m.group(1).flatMap({ Int($0) }), let mark = m.group(3)?.trimmingCharacters(in: .whitespaces) else { continue }
            if m.group(2) != nil {
                // A school year's column: 1 September to 31 August; a month or half of it read in that year.
                let first = Day(year, 9, 1), last = Day(year + 1, 8, 31)
                if wholeYear.contains(mark) || mark.hasPrefix("в течение") {
                    spans.append((first, last))
                } else if let d = DeadlineParser.parse(mark, reference: Day(year, 8, 31)), let span = Self.span(of: d), first <= span.0, span.1 <= last {
                    spans.append(span)
                } else {
                    spans.append((first, last))
                }
                continue
            }
            if wholeYear.contains(mark) {
                spans.append((Day(year, 1, 1), Day(year, 12, 31)))
                continue
            }
            // A month, quarter or half of the column's year: read as the mark with that year printed.
            switch DeadlineParser.parse("\(mark) \(year) г.", reference: nil) {
            case .period(let from, let to)?:
                if let a = Day(iso: from), let b = Day(iso: to), a.year == year || b.year == year { spans.append((a, b)) }
            case .date(let d)?:
                if let day = Day(iso: d), day.year == year { spans.append((day, day)) }
            default:
                spans.append((Day(year, 1, 1), Day(year, 12, 31)))
            }
        }
        guard let from = spans.map(\.0).min(), let to = spans.map(\.1).max() else { return nil }
        return .period(from: from.iso, to: to.iso)
    }
}

/// A plan whose table says when each measure runs by marks under columns of the year's parts (`Сентябрь–октябрь |
/// Ноябрь–декабрь | …`, `I кв. | II кв. | …`; spec §1 and §4 "Period columns"): a mark (`+`, `✓`, `х` unless the
/// document's legend says `х` is not held) for that part, nothing or `–` for not then.
///
/// The table readers write a row's marks as its `Срок:` line, `Сентябрь–октябрь: +; Январь–февраль: ✓`, and the
/// deadline of such a line is one `period` from the first day of the earliest marked part to the last day of the
/// latest, the parts read in order from the plan's start.
enum PeriodMarks {
    private static let month = Russian.nominativeMonthPattern
    /// A part of the year as a header names it: a month or two (`Сентябрь–октябрь`), a quarter (`I кв.`), a half.
    private static let part = month + #"(?:\s*[-–—]\s*"# + month + #")?|(?:iv|i{1,3}|[1-4])\s*(?:-?й\s+)?(?:кв\.?|квартал)|(?:ii|i|[12])\s*(?:-?е\s+)?полугодие"#
    private static let partCell = Pattern("^(?:" + part + ")$")
    private static let romanMonths = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

    /// The part columns of a header row, by index, with their labels as printed, when it names two or more.
    /// (Months in Roman figures, `IX | X | … | V`, four or more with December among them, are labelled by their names.)
    static func columns(header cells: [String]) -> [(index: Int, label: String)]? {
        let roman = cells.indices.compactMap { i -> (index: Int, month: Int)? in
            let label = cells[i].trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "Х", with: "X")
                .replacingOccurrences(of: "І", with: "I")
            return romanMonths.firstIndex(of: label).map { (i, $0 + 1) }
        }
        // (`V | VI | VII | VIII | IX` under `Классы` are classes: months run through December.)
        if roman.count >= 4, roman.contains(where: { $0.month == 12 }), Set(roman.map(\.month)).count == roman.count {
            return roman.map { ($0.index, Russian.nominativeMonths[$0.month - 1].capitalized) }
        }
        let found = cells.indices.compactMap { i -> (index: Int, label: String)? in
            let label = cells[i].trimmingCharacters(in: .whitespacesAndNewlines)
            return partCell.matches(Russian.fold(label)) ? (i, label) : nil
        }
        // (Each part named once: a row of marks, `IV квартал | IV квартал`, names none.)
        return found.count >= 2 && Set(found.map { Russian.fold($0.label) }).count == found.count ? found : nil
    }

    /// The row's marks as a `Срок:` line's words; the words themselves when one cell spans every part (`в течение
    /// учебного года`); nil when no part is marked.
    static func line(_ row: [String], columns: [(index: Int, label: String)]) -> String? {
        let cells = columns.map { $0.index < row.count ? row[$0.index].trimmingCharacters(in: .whitespacesAndNewlines) : "" }
        // (A cell merged across the parts may be read once, the others empty; a month written in a part's cell, `март`, is
        // that month.)
        let filled = cells.filter { !$0.isEmpty }
        if let only = filled.first, only.count > 3, filled.allSatisfy({ $0 == only }) { return only }
        let marks = zip(columns, cells).filter { !$0.1.isEmpty && !YearMarks.none.contains(Russian.fold($0.1)) }.map { "\($0.0.label): \($0.1)" }
        return marks.isEmpty ? nil : marks.joined(separator: "; ")
    }

    private static let entry = Pattern("^(" + part + #"):\s*(\S.{0,40})$"#)

    /// `26.09`, `10–14.11`: days written in a part's cell (group 1 the first day, 2 the last, 3 the month).
    private static let daysMark = Pattern(#"^(\d{1,2})(?:\s*[-–—]\s*(\d{1,2}))?\.(\d{1,2})\.?$"#)

    /// The deadline of a line of part marks, or nil when the line is not one. `notHeld`: the marks the document's legend
    /// says are no holding (`х` not held, `*` a reserve).
    static func deadline(_ raw: String, reference: Day?, notHeld: Set<String>) -> Deadline? {
        let entries = raw.split(separator: ";").map { Russian.fold($0).trimmingCharacters(in: .whitespaces) }
        guard entries.count <= 12 else { return nil }
        var running = reference, spans: [(Day, Day)] = [], days: [(Day, Day)?] = []
        for e in entries {
            guard let m = entry.firstMatch(in: e), var label = m.group(1), let mark = m.group(2)?.trimmingCharacters(in: .whitespaces) else { return nil }
            label = label.replacingOccurrences(of: "кв.", with: "квартал")
            // (Each part on or after the one before: `Сентябрь–октябрь`, then `Январь–февраль` of the next year.)
            switch DeadlineParser.parse(label.hasSuffix("квартал") || label.hasSuffix("полугодие") ? label : "в " + label, reference: running) {
            case .period(let from, let to)?:
                guard let a = Day(iso: from), let b = Day(iso: to) else { return nil }
                running = b
                if notHeld.contains(mark) { continue }
                spans.append((a, b))
                days.append(Self.days(mark, within: (a, b)))
            default: return nil
            }
        }
        // (`IX: 26.09`, `II: 12.02; III: *`: the one part held names its days.)
        if spans.count == 1, let (a, b) = days[0] ?? nil {
            return a == b ? .date(a.iso) : .period(from: a.iso, to: b.iso)
        }
        guard let from = spans.map(\.0).min(), let to = spans.map(\.1).max() else { return nil }
        return .period(from: from.iso, to: to.iso)
    }

    /// The days a mark names inside its part (`26.09` in September 2025), or nil.
    private static func days(_ mark: String, within part: (Day, Day)) -> (Day, Day)? {
        guard let m = daysMark.firstMatch(in: mark), let first = Int(m.group(1) ?? ""), let month = Int(m.group(3) ?? "") else { return nil }
        let last = Int(m.group(2) ?? "") ?? first
        for year in Set([part.0.year, part.1.year]).sorted() {
            guard let a = Day.valid(year, month, first), let b = Day.valid(year, month, last), a >= part.0, b <= part.1, a <= b else { continue }
            return (a, b)
        }
        return nil
    }
}
