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
    private static let monthDays = Pattern(#"^(?:по\s+графику|по\s+плану|в\s+течение\s+(?:всего\s+)?месяца|[1-5]\s*-?\s*(?:я|ая)?\s+недел[а-яё]*|(?:с\s+)?\d{1,2}\s*(?:[-–—]|по)\s*\d{1,2}|(?:до\s+)?\d{1,2}\.\d{1,2}\.?|(?:(?:до|к)\s+)?\d{1,2}\s*-?\s*го(?:\s+числа)?|(?:до|к)\s+\d{1,2}(?:\s+числа)?|последн[а-яё]+\s+(?:понедельник|вторник|сред[ау]|четверг|пятниц[ау]|суббот[ау])(?:\s+месяца)?|\d{1,2}\s+"# + Russian.monthPattern + #"|(?:i{1,3}|[1-3])\s*(?:-?я\s+)?декад[а-яё]*\s+"# + Russian.monthPattern + #"(?:\s+\d{4}(?:\s*г\.?|\s+года)?)?)$"#)

    static func isDeadline(_ s: String) -> Bool {
        let t = s.trimmingCharacters(in: CharacterSet(charactersIn: " .;,"))
        return !t.isEmpty && (Structure.isBareDeadline(t) || monthDays.matches(Russian.fold(t)))
    }

    init(_ text: String) {
        var rest = text.trimmingCharacters(in: CharacterSet(charactersIn: " .;"))
        takeParenthesis(&rest)
        // Pieces after dashes, from the end. A dash inside a quoted name does not cut.
        let chars = Array(rest), masked = Array(Russian.maskQuoted(rest))
        var end = chars.count
        if masked.count == chars.count, chars.count >= 3 {
            let cuts = (1..<(chars.count - 1)).filter { masked[$0 - 1] == " " && masked[$0 + 1] == " " && "–—-".contains(masked[$0]) }
            for cut in cuts.reversed() {
                let piece = String(chars[min(cut + 2, end)..<end]).trimmingCharacters(in: .whitespaces)
                guard take(piece) else { break }
                end = cut - 1
            }
        }
        rest = String(chars[..<max(0, end)]).trimmingCharacters(in: .whitespaces)
        takeParenthesis(&rest)
    }

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
