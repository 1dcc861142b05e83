import Foundation

/// An event of a plan written on one line (spec §3, *events of a plan*): after the event's words, past
/// dashes or in a parenthesis, the days it is held and the staff who answer for it (`Торжественная линейка
/// «День знаний» – 1 сентября – заместитель директора по ВР`, `Неделя математики (3-я неделя) – руководитель
/// ШМО`, `Неделя безопасности (классные руководители 1–11 классов)`). The event's text stays as printed; only
/// these pieces are read, as its `Срок:` and `Ответственные:` lines would be.
struct PlanRow {
    var deadline: String?
    var responsible: [String] = []

    private static let staff = Pattern(#"(?<![а-яё])(?:директор|заместител|зам\.|руководител|учител|педагог|классн|социальн|психолог|библиотекар|вожат|медицинск|отдел|управлени|администраци|шмо|мо\s|совет|комитет|ответственн|преподавател|организатор|инспектор|(?<![а-яё])(?:мау|мбу|мку|мбоу|маоу|мкоу|гбу|гау|имц|цоко|рмо|оо)(?![а-яё])|[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ](?:\.|$))"#)
    /// Days of the month a plan's row names (spec §4, *a month of a plan*).
    private static let monthDays = Pattern(#"^(?:по\s+графику|по\s+плану|в\s+течение\s+(?:всего\s+)?месяца|(?:[1-5]|iv|i{1,3}|перв|втор|трет|четв[её]рт|последн)[а-яё]*(?:\s*[-–]\s*[1-4])?\s*-?\s*(?:я|ая)?\s+недел[а-яё]*(?:\s+"# + Russian.monthPattern + #")?|(?:с\s+)?\d{1,2}\s*(?:[-–—]|по)\s*\d{1,2}|(?:до\s+)?\d{1,2}\.\d{1,2}\.?|(?:(?:до|к)\s+)?\d{1,2}\s*-?\s*го(?:\s+числа)?|(?:до|к)\s+\d{1,2}(?:\s+числа)?|(?:перв|втор|трет|четв[её]рт|последн|[1-5]-?[а-яё]{0,2})[а-яё]*\s+(?:и\s+(?:перв|втор|трет|четв[её]рт|последн|[1-5]-?[а-яё]{0,2})[а-яё]*\s+)?(?:понедельник|вторник|сред[ау]|четверг|пятниц[ау]|суббот[ау]|недел[яи])\s+месяца|последн[а-яё]+\s+(?:понедельник|вторник|сред[ау]|четверг|пятниц[ау]|суббот[ау])(?:\s+месяца)?|\d{1,2}\s+"# + Russian.monthPattern + #"|(?:i{1,3}|[1-3])\s*(?:-?я\s+)?декад[а-яё]*\s+"# + Russian.monthPattern + #"(?:\s+\d{4}(?:\s*г\.?|\s+года)?)?)$"#)

    static func isDeadline(_ s: String) -> Bool {
        let t = s.trimmingCharacters(in: CharacterSet(charactersIn: " .;,"))
        // `10.00–10.10`, `10.40–12.05`: a programme's hours, not days (a side whose month would be 0 or above 12).
        if let m = hours.firstMatch(in: t), [m.group(1), m.group(2)].contains(where: { Int($0 ?? "").map { $0 == 0 || $0 > 12 } ?? false }) { return false }
        return !t.isEmpty && (Structure.isBareDeadline(t) || monthDays.matches(Russian.fold(t)) || termDays.matches(Russian.fold(t))
            || eventDays.matches(t))
    }
    /// `в течение Декады`, `в течение недели`: the days of the event the document sets (spec §4, *the day of an event*).
    private static let eventDays = Pattern(#"^[Вв]\s+течение\s+(?:недели|декады|месячника|[А-ЯЁ][а-яё]+)$"#, caseSensitive: true)
    private static let hours = Pattern(#"^\d{1,2}[.:](\d{2})\s*[-–—]\s*\d{1,2}[.:](\d{2})$"#)
    /// `в течение I четверти`, `в течение четверти`: a term the document's calendar dates.
    private static let termDays = Pattern(#"^(?:в\s+течение\s+)?(?:(?:iv|i{1,3}|[1-4]|перв|втор|трет|четв[её]рт)[а-яё]*\s+)?четверт[а-яё]*$"#)

    init(_ text: String) {
        var rest = text.trimmingCharacters(in: CharacterSet(charactersIn: " .;"))
        takeParenthesis(&rest)
        // Pieces after dashes, from the end. A dash inside a quoted name does not cut.
        let chars = Array(rest), masked = Array(Russian.maskQuoted(rest))
        var end = chars.count
        if masked.count == chars.count, chars.count >= 3 {
            let cuts = (1..<(chars.count - 1)).filter { masked[$0 - 1] == " " && masked[$0 + 1] == " " && "–—-".contains(masked[$0]) }
            var tookDeadline = false
            for cut in cuts.reversed() {
                let piece = String(chars[min(cut + 2, end)..<end]).trimmingCharacters(in: .whitespaces)
                // `– сентябрь – октябрь 2025 г. –`, `– 12.01 – 23.01.2026 –`: a range's start before its end.
                if tookDeadline, let d = deadline, Self.rangeStart.matches(Russian.fold(piece)) {
                    deadline = piece + " – " + d
                    end = cut - 1
                    tookDeadline = false
                    continue
                }
                let before = deadline
                guard take(piece) else { break }
                tookDeadline = before == nil && deadline != nil
                end = cut - 1
            }
        }
        rest = String(chars[..<max(0, end)]).trimmingCharacters(in: .whitespaces)
        takeParenthesis(&rest)
    }

    /// The start of a range, a month or a day without its year: `сентябрь`, `12.01`.
    private static let rangeStart = Pattern("^(?:" + Russian.nominativeMonthPattern + #"|\d{1,2}\.\d{1,2})$"#)

    /// Reads a piece as the days (if none yet) or the staff (if none yet); false when it is neither.
    private mutating func take(_ piece: String) -> Bool {
        if deadline == nil, Self.isDeadline(piece) {
            deadline = piece
            return true
        }
        if responsible.isEmpty, Self.staff.matches(piece), !Self.isDeadline(piece) {
            responsible = Structure.splitResponsible(piece)
            return true
        }
        return false
    }

    /// A closing parenthesis of days or staff, taken off `rest`.
    private mutating func takeParenthesis(_ rest: inout String) {
        guard rest.hasSuffix(")"), let open = rest.lastIndex(of: "(") else { return }
        let inside = String(rest[rest.index(after: open)..<rest.index(before: rest.endIndex)])
        if take(inside) { rest = String(rest[..<open]).trimmingCharacters(in: .whitespaces) }
    }
}
