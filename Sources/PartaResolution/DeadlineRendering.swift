/// Canonical Russian text for a deadline, as a resolution would print it after `Срок:`.
///
/// `DeadlineParser.parse(render(d))` gives `d` back for every deadline whose dates are valid days,
/// except a staged deadline of one stage without a target, which is written (and read) as a plain date.
public enum DeadlineRenderer {
    public static func russian(_ deadline: Deadline) -> String {
        switch deadline {
        case .date(let iso):
            return "до " + dotted(iso)
        case .period(let fromISO, let toISO):
            guard let from = Day(iso: fromISO), let to = Day(iso: toISO) else { return "с \(fromISO) по \(toISO)" }
            return period(from, to)
        case .recurring(let every):
            switch every {
            case "week": return "еженедельно"
            case "month": return "ежемесячно"
            case "quarter": return "ежеквартально"
            case "half-year": return "раз в полугодие"
            case "year": return "ежегодно"
            default: return "постоянно"
            }
        case .staged(let stages):
            return stages.map { stage in
                stage.target.isEmpty ? "до " + dotted(stage.date) : "до " + dotted(stage.date) + " — " + stage.target
            }.joined(separator: ", ")
        }
    }

    static func dotted(_ iso: String) -> String {
        guard let d = Day(iso: iso) else { return iso }
        return (d.day < 10 ? "0" : "") + "\(d.day)." + (d.month < 10 ? "0" : "") + "\(d.month).\(d.year)"
    }

    static let romans = ["I", "II", "III", "IV"]

    static func period(_ from: Day, _ to: Day) -> String {
        let startsMonth = from.day == 1
        let endsMonth = to.day == Day.daysIn(to.year, to.month)
        if startsMonth && endsMonth {
            if from.month == 9 && to.month == 8 && to.year == from.year + 1 {
                return "\(from.year)-\(to.year) учебный год"
            }
            if from.month == 1 && to.month == 12 {
                return from.year == to.year ? "в \(from.year) году" : "\(from.year)–\(to.year) гг."
            }
            if from.year == to.year {
                if to.month - from.month == 2 && (from.month - 1) % 3 == 0 {
                    return "\(romans[(from.month - 1) / 3]) квартал \(from.year) года"
                }
                if to.month - from.month == 5 && (from.month == 1 || from.month == 7) {
                    return "\(from.month == 1 ? "I" : "II") полугодие \(from.year) года"
                }
                if from.month == to.month {
                    return "\(Russian.nominativeMonths[from.month - 1]) \(from.year) года"
                }
                return "\(Russian.nominativeMonths[from.month - 1])–\(Russian.nominativeMonths[to.month - 1]) \(from.year) года"
            }
        }
        return "с \(dotted(from.iso)) по \(dotted(to.iso))"
    }
}
