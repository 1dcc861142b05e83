import Foundation

/// A school's calendar as the document itself states it (spec §4, "Deadlines in words"): the days of its
/// terms (`I четверть – с 01.09.2025 по 24.10.2025`) and holidays (`Осенние каникулы – с 25.10.2025 по
/// 04.11.2025`). Terms and holidays differ between regions and years, so a phrase naming one
/// (`до конца первой четверти`, `в период осенних каникул`) has a date only when the document gives it.
///
/// Built once per document from its paragraphs; empty when the document states none, and then it
/// resolves nothing.
struct SchoolCalendar {
    /// What the calendar names: a term (`четверть`, numbered 1–4) or a holiday (`осенние`, `зимние`, `весенние`).
    enum Period: Hashable {
        case term(Int)
        case holidays(String)
    }

    private(set) var days: [Period: (from: Day, to: Day)] = [:]

    var isEmpty: Bool { days.isEmpty }

    private static let ordinal = #"(iv|i{1,3}|[1-4]|перв[а-я]*|втор[а-я]*|трет[а-я]*|четверт[а-я]*)\s*(?:-?[а-я]{1,2}\s+)?"#
    private static let season = #"(осенн|зимн|новогодн|весенн)[а-я]*\s+каникул[а-я]*"#
    private static let day = #"(\d{1,2}\.\d{1,2}(?:\.\d{2,4})?|\d{1,2}\s+"# + Russian.monthPattern + #"(?:\s+\d{4})?)"#
    /// `1 четверть – с 01.09.2025 по 24.10.2025`, `осенние каникулы: 27.10–04.11.2025`.
    private static let definition = Pattern(#"(?<![а-я])(?:"# + ordinal + #"четверт[а-я]*|"# + season + #")[^.;\d]{0,24}?(?:с\s+)?"# + day + #"(?:\s*г\.?|\s*года)?\s*(?:по|-|до)\s*"# + day)

    init(paragraphs: some Sequence<String>, reference: Day?) {
        guard let reference else { return }
        for p in paragraphs {
            let s = DeadlineParser.fold(p)
            guard s.contains("четверт") || s.contains("каникул") else { continue }
            for m in Self.definition.matches(in: s) {
                guard let period = Self.period(named: m), let from = Self.day(m.group(3) ?? "", after: reference),
                      let to = Self.day(m.group(4) ?? "", after: from), from <= to, days[period] == nil else { continue }
                days[period] = (from, to)
            }
        }
    }

    /// A day as printed, the year (if missing) the first that puts it on or after `after`.
    private static func day(_ s: String, after: Day) -> Day? {
        let parts = s.split(whereSeparator: { $0 == "." || $0 == " " })
        guard parts.count >= 2, let d = Int(parts[0]) else { return nil }
        let month = Int(parts[1]) ?? Russian.month(parts[1])
        guard let month else { return nil }
        if parts.count >= 3, let y = DeadlineParser.fullYear(String(parts[2])) { return Day.valid(y, month, d) }
        // A term's own year is the academic year's: its start on or after the document's 1 September before it.
        let start = Day(after.academicYearStart, 9, 1)
        return start.next(month: month, day: d)
    }

    /// Which of a term's or holidays' days a phrase names.
    private enum Point { case end, start, days }

    /// The term or holidays a match names: its group 1 a term's number, its group 2 a season.
    private static func period(named m: Pattern.Match) -> Period? {
        if let q = m.group(1).flatMap({ DeadlineParser.ordinal($0, max: 4) }) { return .term(q) }
        if let name = m.group(2) { return .holidays(name == "новогодн" ? "зимн" : name) }
        return nil
    }

    private static let phrases: [(Pattern, Point)] = [
        // the end of a term or holidays: `до конца первой четверти`, `по итогам II четверти`
        (Pattern(#"(?<![а-я])(?:до\s+(?:конца|окончания)|к\s+(?:концу|окончанию)|по\s+(?:итогам|окончании|завершении))\s+(?:"# + ordinal + #"четверт[а-я]*|"# + season + ")"), .end),
        // its start: `до начала зимних каникул`, `к началу второй четверти`
        (Pattern(#"(?<![а-я])(?:до\s+начала|к\s+началу)\s+(?:"# + ordinal + #"четверт[а-я]*|"# + season + ")"), .start),
        // its days: `в течение первой четверти`, `в период осенних каникул`, `на весенних каникулах`
        (Pattern(#"(?<![а-я])(?:в\s+течение|в\s+период|во\s+время|в\s+дни|на|во?)\s+(?:"# + ordinal + #"четверт[а-я]*|"# + season + ")"), .days),
    ]

    /// The deadline a phrase naming a term or holidays gives, where the calendar has their days.
    func deadline(in text: String) -> DeadlineText? {
        guard !days.isEmpty else { return nil }
        let masked = Russian.maskQuoted(text)
        let s = Russian.fold(masked)
        guard s.count == masked.count else { return nil }
        for (pattern, point) in Self.phrases {
            for m in pattern.matches(in: s) {
                guard let period = Self.period(named: m), let span = days[period] else { continue }
                let lower = s.distance(from: s.startIndex, to: m.range.lowerBound), length = s.distance(from: m.range.lowerBound, to: m.range.upperBound)
                let start = text.index(text.startIndex, offsetBy: lower), end = text.index(start, offsetBy: length)
                let raw = String(text[start..<end])
                switch point {
                case .end: return DeadlineText(raw: raw, deadline: .date(span.to.iso))
                case .start: return DeadlineText(raw: raw, deadline: .date(span.from.iso))
                case .days: return DeadlineText(raw: raw, deadline: .period(from: span.from.iso, to: span.to.iso))
                }
            }
        }
        return nil
    }
}
