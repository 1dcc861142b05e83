import Foundation

/// A school's calendar as the document itself states it (spec §4, "Deadlines in words"): the days of its
/// terms (`I четверть – с 01.09.2025 по 24.10.2025`) and holidays (`Осенние каникулы – с 25.10.2025 по
/// 04.11.2025`). Terms and holidays differ between regions and years, so a phrase naming one
/// (`до конца первой четверти`, `в период осенних каникул`) has a date only when the document gives it. So do the
/// stages of a contest or an olympiad it dates (`заочный этап – с 20 января по 10 февраля 2026 года`), for `в период
/// заочного этапа`.
///
/// It also holds the schedules the document gives in its appendices (`Приложение 1` … `График проведения …`),
/// which `в соответствии с графиком (приложение 1)` refers to (spec §4, "A schedule in an appendix").
///
/// Built once per document from its paragraphs; empty when the document states none, and then it
/// resolves nothing.
struct SchoolCalendar {
    /// What the calendar names: a term (`четверть`, numbered 1–4), a holiday (`осенние`, `зимние`, `весенние`) or a
    /// stage the document dates (`заочный этап`, by its name's stem: `заочн`).
    enum Period: Hashable {
        case term(Int)
        case holidays(String)
        case stage(String)
    }

    private(set) var days: [Period: (from: Day, to: Day)] = [:]
    /// The document's date, which a term already over does not reach.
    private(set) var reference: Day?

    /// The first and last dated row of each appendix schedule, by the appendix's number, and the schedule's title.
    private(set) var schedules: [Int: (from: Day, to: Day, title: String)] = [:]

    var isEmpty: Bool { days.isEmpty && schedules.isEmpty }

    private static let ordinal = #"(iv|i{1,3}|[1-4]|перв[а-я]*|втор[а-я]*|трет[а-я]*|четверт[а-я]*)\s*(?:-?[а-я]{1,2}\s+)?"#
    private static let season = #"(осенн|зимн|новогодн|весенн)[а-я]*\s+каникул[а-я]*"#
    private static let day = #"(\d{1,2}\.\d{1,2}(?:\.\d{2,4})?|\d{1,2}\s+"# + Russian.monthPattern + #"(?:\s+\d{4})?)"#
    /// `1 четверть – с 01.09.2025 по 24.10.2025`, `осенние каникулы: 27.10–04.11.2025`.
    private static let definition = Pattern(#"(?<![а-я])(?:"# + ordinal + #"четверт[а-я]*|"# + season + #")[^.;\d]{0,120}?(?:с\s+)?"# + day + #"(?:\s*г\.?|\s*года)?\s*(?:по|-|до)\s*"# + day)

    /// A line that only states a term's or holidays' days (`Зимние каникулы – с 29.12.2025 по 11.01.2026`,
    /// `I четверть: 01.09–24.10.2025`), its name first.
    static func states(_ p: String) -> Bool {
        // (also as a plan's bullet: `- Осенние каникулы – с 27.10.2025 по 04.11.2025`)
        let s = DeadlineParser.fold(ListMarker.parse(p)?.rest ?? p).trimmingCharacters(in: CharacterSet(charactersIn: " .;"))
        guard s.count <= 90, s.contains("четверт") || s.contains("каникул"), let m = definition.firstMatch(in: s) else { return false }
        return m.range.lowerBound == s.startIndex && m.range.upperBound == s.endIndex
    }

    init(paragraphs: some Collection<String>, reference: Day?) {
        schedules = Self.schedules(in: Array(paragraphs))
        self.reference = reference
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
        for p in paragraphs {
            let s = DeadlineParser.fold(p)
            guard s.contains("этап") else { continue }
            for m in Self.stageSpan.matches(in: s) + Self.stageDay.matches(in: s) {
                guard let name = m.group(1), let first = m.group(2) else { continue }
                let from: Day?, to: Day?
                if let d = Int(first) {
                    // A first day without its month is of the last day's month.
                    to = m.group(3).flatMap { Self.day($0, after: reference) }
                    from = to.flatMap { Day.valid($0.year, $0.month, d) }
                } else {
                    from = Self.day(first, after: reference)
                    to = from.flatMap { f in m.group(3).map { Self.day($0, after: f) } ?? f }
                }
                guard let from, let to, from <= to, days[.stage(Self.stem(name))] == nil else { continue }
                days[.stage(Self.stem(name))] = (from, to)
            }
        }
    }

    /// A stage's name: an adjective (`заочный`, `муниципального`, `первый`), not a number (`в три этапа`).
    /// (`I (заочный) этап`, `первый (заочный) этап`: the name in parentheses after a number.)
    private static let stageName = #"(?<![а-я])(?:(?:[ivx]+|\d|[а-я]+(?:ый|ий|ой))\s*\(\s*)?([а-я]+(?:ый|ий|ой|ого|его))\s*\)?\s+этап[а-я]*"#
    /// `заочный этап – с 20 января по 10 февраля 2026 года`, `муниципальный этап олимпиады проводится с 10.11 по
    /// 20.12.2025`: group 1 the name, 2 and 3 the first and last days.
    /// (`очный этап – с 16 по 20 февраля 2026 года`: the first day may be printed without its month.)
    private static let stageSpan = Pattern(stageName + #"(?:(?!этап)[^.;\d]){0,80}?(?:с\s+)?(\d{1,2}(?=\s*(?:по|-)\s*\d)|"# + day.dropFirst() + #"(?:\s*г\.?|\s*года)?\s*(?:по|-|до)\s*"# + day)
    /// `финальный этап – 27 февраля 2026 года`: one day, right after a dash or colon.
    /// (`очный этап Конкурса – 27 февраля 2026 года`: a word or two may name what it is a stage of.)
    private static let stageDay = Pattern(stageName + #"(?:\s+[а-я]+){0,2}\s*[:-]\s*"# + day + #"(?!\d|\s*(?:г\.?|года)?\s*(?:по|-|до)\s*\d)"#)

    /// A stage's name without its ending: `заочного` and `заочный` are `заочн`, `третьего` and `третий` `трет`.
    private static func stem(_ word: String) -> String {
        var w = Substring(word)
        for ending in ["ого", "его", "ый", "ий", "ой"] where w.hasSuffix(ending) {
            w = w.dropLast(ending.count)
            break
        }
        return String(w.hasSuffix("ь") ? w.dropLast() : w)
    }

    private static let appendix = Pattern(#"^приложени[ея]\s*(?:№\s*)?(\d{1,2})(?![\d.])"#)
    /// A row's full date; not an act's (`от 13.05.2025 № 1013`).
    private static let fullDate = Pattern(#"(?<![\d.]|от\s)(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.]*\d)(?!\s*(?:г\.?\s*)?№)"#)

    /// A span's first day printed without its year, the year its last day's (`09.02–11.02.2026`).
    private static let shortSpanStart = Pattern(#"(?<![\d.])(\d{1,2})\.(\d{1,2})\s*[-–—]\s*\d{1,2}\.\d{1,2}\.(\d{4})(?!\d)"#)
    /// A row that opens with a month and its year (`Октябрь 2025 г.   МОУ «СОШ № 1», …`).
    private static let monthRow = Pattern(#"^("# + Russian.nominativeMonthPattern + #")\s+(\d{4})(?!\d)"#)

    /// Each appendix whose title (within five paragraphs of `Приложение N`, or `«Приложение N` quoted in its new wording) starts with `График` (or `План-график`), with the
    /// first and last of the full dates (or days of rows naming a month and year) printed after that title and before the next appendix: at least
    /// two, within a year of each other.
    static func schedules(in paragraphs: [String]) -> [Int: (from: Day, to: Day, title: String)] {
        var found: [Int: (from: Day, to: Day, title: String)] = [:]
        let starts = paragraphs.indices.compactMap { i -> (Int, Int)? in
            // (`«Приложение 2` over an appendix quoted in its new wording.)
            let s = String(DeadlineParser.fold(paragraphs[i]).drop { $0 == "«" || $0 == " " })
            guard s.hasPrefix("приложени"), let n = appendix.firstMatch(in: s)?.group(1).flatMap({ Int($0) }) else { return nil }
            return (i, n)
        }
        for (k, (start, number)) in starts.enumerated() where found[number] == nil {
            let end = k + 1 < starts.count ? starts[k + 1].0 : paragraphs.endIndex
            let window = paragraphs[start..<end]
            guard let title = window.prefix(6).firstIndex(where: { DeadlineParser.fold($0).hasPrefix("график") || DeadlineParser.fold($0).hasPrefix("план-график") }) else { continue }
            var dates: [Day] = []
            // The rows (with the title, which a layout may join to them; an act's date there is no row's).
            for p in paragraphs[title..<end] {
                for m in fullDate.matches(in: p) {
                    if let d = Int(m.group(1) ?? ""), let mo = Int(m.group(2) ?? ""), let y = Int(m.group(3) ?? ""),
                       let day = Day.valid(y, mo, d) { dates.append(day) }
                }
                // A span's first day printed without its year (`09.02–11.02.2026`).
                for m in shortSpanStart.matches(in: p) {
                    if let d = Int(m.group(1) ?? ""), let mo = Int(m.group(2) ?? ""), let y = Int(m.group(3) ?? ""),
                       let day = Day.valid(y, mo, d) { dates.append(day) }
                }
                // A row of a month (`Октябрь 2025 г.   МОУ «СОШ № 1», …`): all its days.
                if let m = monthRow.firstMatch(in: DeadlineParser.fold(p)), let mo = m.group(1).flatMap({ Russian.month($0) }),
                   let y = m.group(2).flatMap({ Int($0) }), let first = Day.valid(y, mo, 1) {
                    dates += [first, Day.endOfMonth(y, mo)]
                }
            }
            guard dates.count >= 2, let first = dates.min(), let last = dates.max(), last.ordinal - first.ordinal <= 366 else { continue }
            // (`ГРАФИК` | `проведения регионального этапа …`: the title may go on over the next lines.)
            found[number] = (first, last, DeadlineParser.fold(paragraphs[title..<min(title + 3, end)].joined(separator: " ")))
        }
        return found
    }

    /// `в соответствии с графиком (приложение 1)`: the appendix's number.
    /// (`в соответствии с графиком проведения регионального этапа (приложение 2)`: a few words may name the schedule.)
    /// (`в дни проведения ВПР согласно приложению 1`: the days of what an appendix schedules.)
    private static let scheduleReference = Pattern(#"(?<![а-я])(?:(?:в\s+соответствии\s+с|согласно|по)\s+(?:план[а-я]*-)?график[а-я]*(?:\s+[а-я]+){0,5}?\s*\(\s*(?:см\.\s*)?приложени[а-я]*\s*(?:№\s*)?(\d{1,2})\s*\)|в\s+(?:день|дни)\s+проведения\s+[^,;.]{1,40}?\s+(?:согласно|в\s+соответствии\s+с)\s+приложени[а-я]*\s*(?:№\s*)?(\d{1,2}))"#)
    /// `в день проведения работы`, `в дни проведения олимпиады`: group 1 the work.
    /// (`в дни конкурсных испытаний`, the schedule's title `… проведения конкурсных испытаний …`: without `проведения` too.)
    /// (`во время тестирования`, `во время проведения СПТ` too.)
    private static let dayOfTheScheduled = Pattern(#"(?<![а-я])(?:в\s+(?:день|дни|период)|во\s+время)\s+(?:проведения\s+)?([а-я]+)"#)

    /// `… СПТ`: the phrase ends with an abbreviation in capitals.
    private static func namesByAbbreviation(_ printed: String) -> Bool {
        guard let word = Russian.words(printed).last else { return false }
        return (2...6).contains(word.count) && word.allSatisfy { $0.isUppercase && $0.isLetter }
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
        // a plan's cell that only names them: `осенние каникулы`, `II четверть`
        (Pattern(#"^(?:"# + ordinal + #"четверт[а-я]*|"# + season + #")\s*$"#), .days),
    ]

    /// `в период заочного этапа`, `до начала очного этапа`, `по итогам муниципального этапа`: group 1 the stage's name.
    private static let ofAStage = #"\s+(?:проведения\s+)?([а-я]+(?:ого|его))\s+этапа(?![а-я])"#
    private static let stagePhrases: [(Pattern, Point)] = [
        (Pattern(#"(?<![а-я])(?:до\s+(?:конца|окончания)|к\s+(?:концу|окончанию)|по\s+(?:итогам|окончании|завершении))"# + ofAStage), .end),
        (Pattern(#"(?<![а-я])(?:до\s+начала|к\s+началу)"# + ofAStage), .start),
        (Pattern(#"(?<![а-я])(?:в\s+течение|в\s+период|в\s+ходе|во\s+время|в\s+дни|на\s+протяжении)"# + ofAStage), .days),
    ]

    private static let theTerm = Pattern(#"(?<![а-я])(?:в\s+течение|в\s+период|во\s+время)\s+четверти(?![а-я])"#)

    /// The deadline a phrase naming a term or holidays gives, where the calendar has their days.
    func deadline(in text: String) -> DeadlineText? {
        guard !isEmpty else { return nil }
        let masked = Russian.maskQuoted(text)
        let s = Russian.fold(masked)
        guard s.count == masked.count else { return nil }
        // The words as printed where `m` matched the folded text (same length, so the same offsets).
        func raw(_ m: Pattern.Match) -> String {
            let lower = s.distance(from: s.startIndex, to: m.range.lowerBound), length = s.distance(from: m.range.lowerBound, to: m.range.upperBound)
            let start = text.index(text.startIndex, offsetBy: lower)
            return String(text[start..<text.index(start, offsetBy: length)])
        }
        if !schedules.isEmpty {
            if let m = Self.scheduleReference.firstMatch(in: s), let n = (m.group(1) ?? m.group(2)).flatMap({ Int($0) }), let span = schedules[n] {
                return DeadlineText(raw: raw(m), deadline: .period(from: span.from.iso, to: span.to.iso))
            }
            // The work held on those days: `работы`/`работ` (of a schedule of works), a word of the schedule's title, or an
            // abbreviation (`в период проведения СПТ`).
            if schedules.count == 1, let span = schedules.values.first, let m = Self.dayOfTheScheduled.firstMatch(in: s),
               let work = m.group(1).map({ String($0.prefix(5)) }),
               work.hasPrefix("работ") || span.title.contains(work) || Self.namesByAbbreviation(raw(m)) {
                return DeadlineText(raw: raw(m), deadline: .period(from: span.from.iso, to: span.to.iso))
            }
        }
        // `в течение четверти` naming none, where the document states one term (a term's plan): that term's days.
        if let m = Self.theTerm.firstMatch(in: s) {
            let terms = days.filter { if case .term = $0.key { return true } else { return false } }
            // (Not a term already over when the document was written: `По итогам I четверти (с 01.09.2025 по 24.10.2025)`.)
            if terms.count == 1, let span = terms.first?.value, reference.map({ !(span.to < $0) }) ?? true {
                return DeadlineText(raw: raw(m), deadline: .period(from: span.from.iso, to: span.to.iso))
            }
        }
        let named: [(Pattern.Match, Point, Period?)] = Self.phrases.flatMap { pattern, point in
            pattern.matches(in: s).map { ($0, point, Self.period(named: $0)) }
        } + Self.stagePhrases.flatMap { pattern, point in
            pattern.matches(in: s).map { ($0, point, $0.group(1).map { Period.stage(Self.stem($0)) }) }
        }
        // `до начала каникул`, `В период каникул` naming no season, where the document states one holidays' days.
        let holidays = days.filter { if case .holidays = $0.key { return true } else { return false } }
        let bare: [(Pattern.Match, Point, Period?)] = holidays.count == 1 ? Self.bareHolidays.flatMap { pattern, point in
            pattern.matches(in: s).map { ($0, point, holidays.first?.key) }
        } : []
        for (m, point, period) in named + bare {
            guard let period, let span = days[period] else { continue }
            let raw = raw(m)
            switch point {
            case .end: return DeadlineText(raw: raw, deadline: .date(span.to.iso))
            case .start: return DeadlineText(raw: raw, deadline: .date(span.from.iso))
            case .days: return DeadlineText(raw: raw, deadline: .period(from: span.from.iso, to: span.to.iso))
            }
        }
        return nil
    }
    private static let bareHolidays: [(Pattern, Point)] = [
        (Pattern(#"(?<![а-я])(?:до\s+(?:конца|окончания)|к\s+(?:концу|окончанию)|по\s+(?:окончании|завершении))\s+каникул(?![а-я])"#), .end),
        (Pattern(#"(?<![а-я])(?:до\s+начала|к\s+началу)\s+каникул(?![а-я])"#), .start),
        (Pattern(#"(?<![а-я])(?:в\s+период|во\s+время|в\s+дни|на\s+время)\s+каникул(?![а-я])"#), .days),
    ]
}
