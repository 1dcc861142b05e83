/// A day of the proleptic Gregorian calendar, with the little arithmetic deadlines need.
struct Day: Comparable, Hashable, Sendable, CustomStringConvertible {
    var year: Int
    var month: Int
    var day: Int

    init(_ year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// A valid day, or nil (`31.02.2020`, month 13).
    static func valid(_ year: Int, _ month: Int, _ day: Int) -> Day? {
        guard (1...12).contains(month), year >= 1000, year <= 9999, day >= 1, day <= daysIn(year, month) else { return nil }
        return Day(year, month, day)
    }

    init?(iso: String) {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let d = Day.valid(parts[0], parts[1], parts[2]) else { return nil }
        self = d
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func endOfMonth(_ y: Int, _ m: Int) -> Day { Day(y, m, daysIn(y, m)) }

    var iso: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))" }

    /// As a document prints it, `09.02.2026`: what a deadline line the reader composes holds.
    var printed: String { "\(Self.pad(day, 2)).\(Self.pad(month, 2)).\(Self.pad(year, 4))" }

    private static func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }

    var description: String { iso }

    static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    init(ordinal z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }

    /// The month a period covers exactly (`2025-09-01 … 2025-09-30`), as its first day; nil for any other period.
    static func month(from: String, to: String) -> Day? {
        guard let a = Day(iso: from), let b = Day(iso: to), a.day == 1, b == Day.endOfMonth(a.year, a.month) else { return nil }
        return a
    }

    /// Monday 0 … Sunday 6.
    var weekday: Int { ((ordinal + 3) % 7 + 7) % 7 }

    /// The first day on or after this one that falls on `weekday` (0 Monday … 6 Sunday).
    func first(weekday w: Int) -> Day { adding(days: ((w - weekday) % 7 + 7) % 7) }

    /// `n` working days later, Monday to Friday (public holidays are not counted out).
    func adding(workingDays n: Int) -> Day {
        var d = self, left = n
        while left > 0 {
            d = d.adding(days: 1)
            if d.weekday < 5 { left -= 1 }
        }
        return d
    }

    /// The same day `n` months later (clamped to the month's end).
    func adding(months n: Int) -> Day {
        let total = year * 12 + (month - 1) + n
        let y = total / 12, m = total % 12 + 1
        return Day(y, m, min(day, Day.daysIn(y, m)))
    }

    /// The first year of the academic year this day belongs to: from 1 September of the day's year if the
    /// month is August or later (an August conference speaks of the year about to begin), else the year before.
    var academicYearStart: Int { month >= 8 ? year : year - 1 }

    /// The next occurrence of day/month on or after this day.
    func next(month m: Int, day d: Int) -> Day? {
        for y in [year, year + 1, year + 2, year + 3, year + 4] {
            if let candidate = Day.valid(y, m, d), candidate >= self { return candidate }
        }
        return nil
    }
}
