import Foundation

/// Reading deadlines (spec §4): a `Срок:` phrase as a whole, or a deadline phrase inside a task's sentence.
///
/// `reference` is the document's date; it resolves relative phrases (`в течение года`, `к 1 ноября`,
/// `до конца учебного года`). Without it those phrases give no deadline.
public enum DeadlineParser {
    /// Reads a whole deadline phrase, such as the words after `Срок:`. Nil when it names no deadline.
    public static func parse(_ phrase: String, referenceDate: String? = nil) -> Deadline? {
        parse(phrase, reference: referenceDate.flatMap(Day.init(iso:)))
    }

    /// The first deadline phrase inside a sentence, outside quoted names and dates of laws and orders.
    public static func find(in sentence: String, referenceDate: String? = nil) -> DeadlineText? {
        find(in: sentence, reference: referenceDate.flatMap(Day.init(iso:)))
    }

    // MARK: Patterns (on folded text: lower case, ё → е, dashes → "-")

    static let numericDate = Pattern(#"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2}|\d{2})(?![\d])(?:\s*(?:г\.?|года|году|год)(?![а-я]))?"#)
    static let textDate = Pattern(#"(?<![\d.а-я])«?(\d{1,2}|"# + Russian.ordinalDayPattern + #")»?\s+"# + Russian.monthPattern + #"(?![а-я])(?:\s+(\d{4})(?:\s*(?:г\.?|года|году|год)(?![а-я]))?)?"#)
    /// A day and month without a year (`до 15.09`), not a time (`12.00`: no month 0) or a clause number (`п. 2.3`).
    static let shortNumericDate = Pattern(#"(?<![\d.]|п\.\s|п\.|пункт[а-я]{0,2}\s)(\d{1,2})\.(\d{1,2})(?![\d]|\.\d|\s*(?:ч\.?|час|мин|тыс|млн)(?![а-я])|\s*%)"#)
    /// Days of one month: `с 25 по 29 августа`, `10-15 сентября 2025 г.`.
    static let dayRange = Pattern(#"(?<![\d.])(?:с\s+)?(\d{1,2})\s*(?:по|до|-)\s*(\d{1,2})\s+("# + Russian.monthPattern + #")(?![а-я])(?:\s+(\d{4}))?"#)
    /// The coming academic year named in words: `к новому учебному году`, `в новом учебном году`, `в начале учебного года`.
    static let comingYear = Pattern(#"(?:(к|до)\s+(?:началу\s+)?|(в)\s+|(в\s+начале)\s+(?:нового\s+|следующего\s+)?)(?:(?:нов|предстоящ|наступающ)[а-я]+\s+)?учебн[а-я]+\s+год"#)
    static let comingYearNamed = Pattern(#"(?:нов|предстоящ|наступающ)[а-я]+\s+учебн"#)
    /// The end of the academic year in words: `в конце учебного года`, `по итогам учебного года`.
    static let academicYearEnd = Pattern(#"(?:в\s+конце|по\s+итогам|по\s+окончании|по\s+завершении)\s+(?:текущего\s+)?учебного\s+года"#)
    /// Summer: `летом`, `в летний период`, `в период летних каникул`, `в период летней оздоровительной кампании`.
    static let dayList = Pattern(#"(?<![\d.а-я])((?:\d{1,2}|"# + Russian.ordinalDayPattern + #")(?:\s*,\s*(?:\d{1,2}|"# + Russian.ordinalDayPattern + #"))*\s+и\s+(?:\d{1,2}|"# + Russian.ordinalDayPattern + #"))\s+("# + Russian.monthPattern + #")(?![а-я])(?:\s+(\d{4}))?"#)
    static let decade = Pattern(#"(?<![а-я])(перв[а-я]*|втор[а-я]*|трет[а-я]*|i{1,3}|[123])(?:-?[а-я]{1,2})?\s+декад[а-я]*\s+("# + Russian.monthPattern + #")(?![а-я])(?:\s+(\d{4}))?"#)
    static let season = Pattern(#"(?<![а-я])(?:(весной|осенью|зимой)|в\s+(весенн|осенн|зимн)[а-я]*\s+период)(?![а-я])(?:\s+(\d{4})\s*(?:г\.?|года|году)?)?"#)
    static let summer = Pattern(#"(?<![а-я])(?:летом|летн[а-я]+\s+(?:период|каникул|оздоровительн)[а-я]*)(?:[^\d]{0,30}?(\d{4}))?"#)
    /// Named days: `к Дню знаний`, `ко Дню учителя`, `к Новому году`.
    static let namedDays: [(Pattern, Int, Int)] = [
        (Pattern(#"(?:к|ко|до)\s+дн[юя]\s+знаний"#), 9, 1),
        (Pattern(#"(?:к|ко|до)\s+дн[юя]\s+учителя"#), 10, 5),
        (Pattern(#"(?:к|ко|до)\s+нов(?:ому|ого)\s+год"#), 12, 31),
        (Pattern(#"(?:к|ко|до)\s+дн[юя]\s+победы"#), 5, 9),
        (Pattern(#"(?:к|ко|до)\s+дн[юя]\s+защиты\s+детей"#), 6, 1),
    ]
    /// `в течение 10 рабочих дней со дня подписания настоящего приказа`: a term counted from the document.
    static let daysFromSigning = Pattern(#"(?:в\s+течение|не\s+позднее)\s+(?:(\d{1,3})\s+|(одного|двух|трех|пяти|семи|десяти|пятнадцати|тридцати)\s+)?(календарн(?:ых|ого)\s+|рабоч(?:их|его)\s+)?(дн[а-я]*|недел[а-я]*|месяц[а-я]*|декад[а-я]*)\s+(?:с|со)\s+(?:дня|даты|момента)\s+(?:(?:его|е[её])\s+)?(?:подписания|утверждения|издания|принятия|опубликования|вступления)"#)
    /// `в течение 30 дней` naming no event: counted from the document, as `в месячный срок` is.
    static let daysTerm = Pattern(#"в\s+течение\s+(?:(?:(\d{1,3})|(одного|одной|двух|трех|пяти|семи|десяти|пятнадцати|тридцати))\s+(календарн(?:ых|ого)\s+|рабоч(?:их|его)\s+)?(дн[а-я]*|недел[а-я]*|месяц[а-я]*)|(недели|декады))(?![а-я])(.{0,40})"#)
    private static let afterAnEvent = Pattern(#"^\s*,?\s*(?:с\s+момента|со\s+дня|с\s+даты|после|по\s+(?:получении|поступлении|окончании|завершении)|от\s+даты)(?![а-я])"#)
    static let academicYear = Pattern(#"(?<!\d)(\d{4})\s*([-/])\s*(\d{4}|\d{2})(?!\d)\s*(?:(уч\.?|учебн[а-я]*)\s*)?(г\.?|гг\.?|год[а-я]*)?(?![а-я])"#)
    static let quarter = Pattern(#"(?<![а-я])(iv|i{1,3}|[1-4]|перв[а-я]*|втор[а-я]*|трет[а-я]*|четверт[а-я]*)\s*(?:-?[а-я]{1,2}\s+)?квартал[а-я]*(?:\s+(\d{4}))?"#)
    /// Two quarters as a range (`II–III кварталы 2025 г.`, `во II-III кварталах`): the first's start to the second's end.
    static let quarterRange = Pattern(#"(?<![а-я])(iv|i{1,3}|[1-4])\s*-\s*(iv|i{1,3}|[1-4])\s+квартал[а-я]*(?:\s+(\d{4}))?"#)
    /// What parts quarters listed for rounds of the same work: `I квартал 2025 г., 4 квартал 2025 года`.
    static let quarterListJoint = Pattern(#"^\s*(?:г\.?|года|году|год)?\s*(?:[,;]\s*(?:и\s+)?|и\s+)$"#)
    static let half = Pattern(#"(?<![а-я])(ii|i|[12]|перв[а-я]*|втор[а-я]*)\s*(?:-?[а-я]{1,2}\s+)?полугоди[а-я]*(?:\s+(\d{4}))?"#)
    private static let monthsFromTo = Pattern(#"(?<![а-я])(?:в\s+период\s+)?с\s+("# + Russian.monthPattern + #")(?![а-я])\s+по\s+("# + Russian.monthPattern + #")(?![а-я])\s+(\d{4})"#)
    static let monthYear = Pattern(#"(?<![а-я\d])("# + Russian.monthPattern + #")(?:\s*-\s*("# + Russian.monthPattern + #"))?(?![а-я])(?:\s+(\d{4}))?"#)
    /// A half of an academic year: `во II полугодии 2024/2025 учебного года`, `первого полугодия учебного года`.
    static let academicHalf = Pattern(#"(?<![а-я])(ii|i|[12]|перв[а-я]*|втор[а-я]*)\s*(?:-?[а-я]{1,2}\s+)?полугоди[а-я]*(?:\s+(?:(\d{4})\s*[-/]\s*(?:\d{4}|\d{2})\s*)?(?:учебн[а-я]*|уч\.)|(?![а-я])(?!\s*(?:\d|календарн|текущего|следующего|года|г\.)))"#)
    /// What parts a list of months: `декабрь 2024 г., март 2025 г.`, `… и апрель 2025 г.`.
    /// Between two listed months or quarters: `, `, ` и `, `; ` or a dash, after a year word or a remark in parentheses
    /// (`март (очно), апрель (дистанционно)`, `ноябрь (школьный этап) – декабрь (муниципальный этап)`).
    static let listJoint = Pattern(#"^\s*(?:г\.?|года|году|год)?\s*(?:\([^()]{1,40}\)\s*)?(?:[,;]\s*(?:и\s+)?|и\s+|-\s*)(?:во?\s+)?$"#)
    /// The words before a stage's date name it (`первый этап – до …`, `итоговый отчёт – до …`).
    static let stageLabel = Pattern(#"[а-я.]\s*[-:]\s*(?:(?:до|к|не позднее|по)\s+)?$"#)
    private static let stageBound = Pattern(#"(?:до|к|не позднее)\s+$"#)
    /// A label naming a group (`1 группа –`, `9 классы:`) or a topic (`по математике –`), not a step of the work.
    private static let groupOrTopic = Pattern(#"(?:(?:групп|класс|поток|смен|параллел)[а-я]*|(?:^|[,;]\s*)по\s+[а-я]+(?:\s+[а-я]+)?|(?:^|[,;]\s*)(?:математик|информатик|физик|хими|биологи|географи|истори|обществознани|литератур|(?:русск|английск|немецк|иностранн)[а-я]*\s+язык)[а-я]*)\s*[-:]\s*$"#)
    /// (Also a group the stage is for, `; 5 классы –`, `; 2 полугодие –`, `, 2 группа –`.)
    private static let stageNumber = Pattern(#"\d{1,2}(?:\s*[-–]\s*\d{1,2})?\s*(?:-?[а-я]{1,2}\s+)?(?:этап|сесси[яи]|модуль|поток|тур|класс[а-я]*|полугоди[а-я]*|четверт[а-я]*|триместр[а-я]*|смен[а-я]*|курс(?![а-я])|курсы|параллел[а-я]*|групп[а-я]*)"#)
    /// `19–30.10.2026`: days of one month, the month and year printed once.
    static let dayRangeNumeric = Pattern(#"^(?:с\s+)?(\d{1,2})\s*-\s*(\d{1,2})\.(\d{1,2})(?:\.(\d{4}|\d{2}))?(?:\s*(?:г\.?|года))?$"#)
    static let startOfAcademicYear = Pattern(#"(?:к|до)\s+начал[уа]\s+(?:(?:нового|следующего|очередного)\s+)?(?:(\d{4})\s*[-/]\s*(?:\d{4}|\d{2})\s+)?учебного\s+года"#)
    /// What joins the two ends of a range of months: `года – `, ` по `.
    static let rangeJoint = Pattern(#"^\s*(?:г\.?|года|году|год)?\s*(?:-|по|до)\s*$"#)
    static let yearEnd = Pattern(#"(?<![а-я])(?:до|к)\s+конц[уа]\s+(\d{4})(?!\d)\s*(?:г\.?|года|году)?(?![а-я])"#)
    static let year = Pattern(#"(?<![\d./-])(\d{4})(?![\d./])\s*(?:г\.?|года|году|год)?(?![а-я])"#)

    static let recurrences: [(Pattern, String)] = [
        // A report due after each period: `до 20 числа месяца, следующего за отчётным кварталом`.
        (Pattern(#"следующ[а-я]+ за отчетн[а-я]+ квартал"#), "quarter"),
        (Pattern(#"следующ[а-я]+ за отчетн[а-я]+ месяц"#), "month"),
        (Pattern(#"следующ[а-я]+ за отчетн[а-я]+ год"#), "year"),
        (Pattern(#"следующ[а-я]+ за отчетн[а-я]+ полугоди"#), "half-year"),
        (Pattern(#"числа месяца,? следующ[а-я]+ за отчетн"#), "month"),
        // A day of a month within each period: `до 25 числа последнего месяца квартала`.
        (Pattern(#"числа (?:перв|последн|втор|трет)[а-я]* месяца (?:каждого )?квартал"#), "quarter"),
        (Pattern(#"числа (?:перв|последн)[а-я]* месяца (?:каждого )?полугоди"#), "half-year"),
        // (A weekday alone is a циклограмма's section, `I. ПОНЕДЕЛЬНИК`: its rows come round each week.)
        (Pattern(#"еженедельн|раза? в неделю|кажд[а-я]+ недел|(?<![а-я])по (?:понедельникам|вторникам|средам|четвергам|пятницам|субботам)(?![а-я])|^(?:понедельник|вторник|среда|четверг|пятница|суббота)$"#), "week"),
        // (`первый вторник месяца`, `2-я и 4-я среда месяца`, `последняя пятница месяца`, `третья неделя месяца`: a day of
        // every month; under a month of a plan it is read in that month, spec §4.)
        (Pattern(#"ежемесячн|раза? в месяц|кажд[а-я]+ месяц|(?:перв|втор|трет|четв[её]рт|последн|(?<![\d.])\d-?[а-я]{0,2})[а-я]*\s+(?:и\s+(?:перв|втор|трет|четв[её]рт|последн|\d-?[а-я]{0,2})[а-я]*\s+)?(?:понедельник|вторник|сред|четверг|пятниц|суббот|недел)[а-я]*\s+месяца(?![а-я])"#), "month"),
        // A school term (`раз в четверть`) is read as a quarter, the nearest shape.
        (Pattern(#"ежеквартальн|ежечетвертн|раза? в квартал|кажд[а-я]+ квартал|раза? в четверть|кажд[а-я]+ четверт"#), "quarter"),
        (Pattern(#"раза? в полугоди|раза? в пол ?года|кажд[а-я]+ полугоди|(?:два|2)\s*раза в год|дважды в год"#), "half-year"),
        (Pattern(#"ежегодн|раза? в год(?![а-я])|раз в году|кажд[а-я]+ год"#), "year"),
        (Pattern(#"постоянн|систематическ|регулярн|непрерывн|на системной основе|в течение всего периода|бессрочн|ежедневн|кажд[а-я]+ день|в течение отопительн[а-я]+ (?:период|сезон)|в течение (?!(?:летн|зимн|осенн|весенн)[а-я]+ )[а-я-]+(?:ого|его) (?:сезона|периода)"#), "continuous"),
    ]

    /// Folded text with every dash as `-` and single spaces; same meaning, easier patterns.
    static func fold(_ s: String) -> String {
        var out = ""
        for ch in Russian.fold(s) {
            switch ch {
            case "–", "—", "−", "‑", "‒", "―": out.append("-")
            default: out.append(ch)
            }
        }
        return ResolutionNormalizer.collapseSpaces(Substring(out))
    }

    static func fullYear(_ s: String) -> Int? {
        guard let n = Int(s) else { return nil }
        return s.count == 2 ? 2000 + n : n
    }

    /// A dated point in the phrase: where it is and which day it names.
    struct DatePoint {
        var range: Range<String.Index>
        var day: Day
        /// Printed without its year (`04.12`, `4 декабря`): the year was chosen from the document's date.
        var yearless = false
    }

    static func datePoints(in s: String, reference: Day?) -> [DatePoint] {
        var points: [DatePoint] = []
        for m in numericDate.matches(in: s) {
            guard let d = Int(m.group(1) ?? ""), let mo = Int(m.group(2) ?? ""), let y = fullYear(m.group(3) ?? ""),
                  let day = Day.valid(y, mo, d) else { continue }
            points.append(DatePoint(range: m.range, day: day))
        }
        for m in shortNumericDate.matches(in: s) {
            // `1.3. Создание …`: a list item's number, not a day.
            if s[..<m.range.lowerBound].allSatisfy(\.isWhitespace), let next = s[m.range.upperBound...].first, next == "." || next == ")" { continue }
            guard let ref = reference, let d = Int(m.group(1) ?? ""), let mo = Int(m.group(2) ?? ""), Day.valid(2000, mo, d) != nil,
                  let day = ref.next(month: mo, day: d) else { continue }
            points.append(DatePoint(range: m.range, day: day, yearless: true))
        }
        for m in textDate.matches(in: s) {
            let dayWords = m.group(1) ?? ""
            guard let d = Int(dayWords) ?? Russian.ordinalDay(dayWords),
                  let mo = Russian.month(Russian.words(m.text).dropFirst(Russian.words(dayWords).count).first ?? "") else { continue }
            if let ys = m.group(2), let y = Int(ys) {
                if let day = Day.valid(y, mo, d) { points.append(DatePoint(range: m.range, day: day)) }
            } else if let ref = reference, let day = ref.next(month: mo, day: d) {
                points.append(DatePoint(range: m.range, day: day, yearless: true))
            }
        }
        // In order, none overlapping the one before (so the text between two points is a valid range).
        var ordered: [DatePoint] = []
        for p in points.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) where ordered.last.map({ $0.range.upperBound <= p.range.lowerBound }) ?? true {
            ordered.append(p)
        }
        return ordered
    }

    static func academic(_ start: Int) -> Deadline {
        .period(from: Day(start, 9, 1).iso, to: Day(start + 1, 8, 31).iso)
    }

    static func isOpenEnded(_ s: String, before index: String.Index) -> Bool {
        let head = s[..<index]
        let tail = head.suffix(24)
        return tail.range(of: "до конца") != nil || tail.range(of: "к концу") != nil || tail.range(of: "до окончания") != nil
            || tail.range(of: "по итогам") != nil || tail.range(of: "по окончании") != nil
    }

    /// `до начала второго полугодия`, `к началу III квартала`: due on the day the period starts.
    static func isBeforeStart(_ s: String, before index: String.Index) -> Bool {
        let tail = s[..<index].suffix(16)
        return tail.range(of: "до начала") != nil || tail.range(of: "к началу") != nil
    }

    static func hasUntil(_ s: String, before index: String.Index) -> Bool {
        let words = Russian.words(s[..<index]).suffix(2).map { $0 }
        return words.last == "до" || words.last == "к" || words.last == "позднее" || words.last == "по" && words.first != "с"
    }

    // MARK: Whole phrase

    private static let sessionLabel = Pattern(#"(?:^|[;,]\s*)(?:\d{1,2}\s*(?:-?[а-я]{1,2}\s+)?(?:этап|сесси[яи]|модуль|поток|тур)|(?:этап|сесси[яи]|модуль|поток|тур)\s*\d{1,2}|[ivx]+\s+(?:этап|сесси[яи]|модуль|поток|тур))\s*[:–—-]\s*"#)

    private static let goesOnUntil = Pattern(#"^[^;]{0,40}?(?<![а-я])до\s+\d{1,2}\.\d{1,2}\.\d{4}"#)
    private static let numericSpan = Pattern(#"(?<![\d.])\d{1,2}\.\d{1,2}(?:\.\d{4})?\s*-\s*\d{1,2}\.\d{1,2}\.\d{4}(?![\d])"#)

    /// Two spans of days or more listed without labels (`02.02-06.02.2026; 16.02-20.02.2026 (2 потока)`, folded), each
    /// perhaps with a note in parentheses: one period from the first day to the last; nil otherwise.
    static func spansListed(_ s: String, reference: Day?) -> Deadline? {
        let spans = numericSpan.matches(in: s)
        guard spans.count >= 2, spans.count <= 12 else { return nil }
        var rest = s
        for m in spans.reversed() { rest.replaceSubrange(m.range, with: " ") }
        rest = rest.replacingOccurrences(of: #"\([^()]{0,60}\)"#, with: " ", options: .regularExpression)
        guard rest.allSatisfy({ !$0.isLetter && !$0.isNumber }) else { return nil }
        var from: String?, to: String?
        for m in spans {
            guard case .period(let a, let b)? = parse(m.text, reference: reference) else { return nil }
            if from == nil || a < from! { from = a }
            if to == nil || b > to! { to = b }
        }
        guard let from, let to else { return nil }
        return .period(from: from, to: to)
    }

    /// Two or more labelled sessions, each with its days (a `period`); nil unless every piece reads as one. Stages due
    /// by a date (`1 этап – до 01.03.2025`) are left to the reading of named stages: the last date.
    static func labelledSessions(_ s: String, reference: Day?) -> Deadline? {
        let labels = sessionLabel.matches(in: s)
        guard labels.count >= 2, labels[0].range.lowerBound == s.startIndex else { return nil }
        var first: Day?, last: Day?, running = reference
        for (k, m) in labels.enumerated() {
            let end = k + 1 < labels.count ? labels[k + 1].range.lowerBound : s.endIndex
            let piece = String(s[m.range.upperBound..<end]).trimmingCharacters(in: CharacterSet(charactersIn: " ;,."))
            guard !piece.isEmpty, labelledSessions(piece, reference: running) == nil else { return nil }
            let from: Day, to: Day
            switch parse(piece, reference: running) {
            case .period(let a, let b)?: guard let x = Day(iso: a), let y = Day(iso: b) else { return nil }; (from, to) = (x, y)
            default: return nil
            }
            if let l = last, from < l { return nil }
            first = first ?? from
            last = to
            running = from   // a later session's yearless days run forward from this one's
        }
        guard let first, let last else { return nil }
        return .period(from: first.iso, to: last.iso)
    }

    static func parse(_ raw: String, reference: Day?) -> Deadline? {
        // `с января по май 2026 года`: the months' span, as `январь – май 2026 года`.
        let s = monthsFromTo.replacing(in: fold(raw), with: "$1 - $2 $3")
        guard !s.isEmpty else { return nil }
        if s.first?.isNumber == true, let marked = YearMarks.deadline(s, reference: reference) { return marked }

        // `02.02–06.02.2026; 16.02–20.02.2026 (2 потока)`: spans of days listed, one period from the first day to the last.
        if let spans = spansListed(s, reference: reference) { return spans }

        // `до 1 декабря 2022 г., далее – ежеквартально` (a report line): the first date; the reports after it do not
        // move it. (A span going on `далее дистанционно до 19.06.2026` runs to that day.)
        if let r = s.range(of: #"[,;]?\s*(?:а\s+)?далее(?![а-я])"#, options: .regularExpression), r.lowerBound > s.startIndex,
           let first = parse(String(s[..<r.lowerBound]), reference: reference) {
            if case .period(let from, _) = first, let end = goesOnUntil.firstMatch(in: String(s[r.upperBound...])),
               case .date(let last)? = parse(end.text, reference: Day(iso: from)), last > from {
                return .period(from: from, to: last)
            }
            return first
        }

        // `1 сессия – с 02 по 06 марта 2026 г.; 2 сессия – с 11 по 15 мая 2026 г.`, `сессия 1: март; сессия 2: май`: the
        // sessions of one course, each read on its own, one period from the first day to the last (spec §4, named stages).
        if let sessions = labelledSessions(s, reference: reference) { return sessions }

        // `к началу 2022/2023 учебного года`: 1 September of its first year; `к началу учебного года`: the next 1 September.
        if let m = startOfAcademicYear.firstMatch(in: s) {
            if let y = m.group(1).flatMap({ Int($0) }) { return .date(Day(y, 9, 1).iso) }
            // The first 1 September on or after the document's date.
            if let ref = reference { return .date(Day(Day(ref.year, 9, 1) >= ref ? ref.year : ref.year + 1, 9, 1).iso) }
        }

        // `14 и 28 октября`, `четырнадцатого и двадцать восьмого октября`: days of one month listed, first to last.
        if let m = dayList.firstMatch(in: s), let mo = Russian.month(m.group(2) ?? "") {
            let days = m.text.components(separatedBy: CharacterSet(charactersIn: ",")).flatMap { $0.components(separatedBy: " и ") }
                .compactMap { part -> Int? in
                    let words = Russian.words(part).filter { Russian.month($0) == nil && Int($0).map({ $0 > 31 }) != true && $0 != "г" && $0 != "года" }
                    if let n = words.last.flatMap({ Int($0) }) { return n }
                    return words.isEmpty ? nil : Russian.ordinalDay(words.joined(separator: " "))
                }
            let y = m.group(3).flatMap { Int($0) } ?? reference.map { Day.endOfMonth($0.year, mo) >= $0 ? $0.year : $0.year + 1 }
            if days.count >= 2, let y, let a = days.min(), let b = days.max(), let from = Day.valid(y, mo, a), let to = Day.valid(y, mo, b), a < b {
                return .period(from: from.iso, to: to.iso)
            }
        }
        // `ежегодно в первой декаде сентября`, `ежегодно весной`: a recurrence, below.
        let repeats = s.range(of: #"ежегодн|ежемесячн|ежекварт|кажд[а-я]+\s+(?:год|месяц|квартал)"#, options: .regularExpression) != nil
        // `в первой декаде ноября`: days 1–10, 11–20 or 21 to the month's end.
        if !repeats, let m = decade.firstMatch(in: s), let mo = Russian.month(m.group(2) ?? "") {
            let k = m.group(1).map { $0.hasPrefix("перв") || $0 == "1" || $0 == "i" ? 1 : $0.hasPrefix("втор") || $0 == "2" || $0 == "ii" ? 2 : 3 } ?? 1
            let y = m.group(3).flatMap { Int($0) } ?? reference.map { Day.endOfMonth($0.year, mo) >= $0 ? $0.year : $0.year + 1 }
            if let y {
                let from = Day(y, mo, (k - 1) * 10 + 1), to = k == 3 ? Day.endOfMonth(y, mo) : Day(y, mo, k * 10)
                return .period(from: from.iso, to: to.iso)
            }
        }
        // `весной 2026 года`, `в осенний период`: March–May, September–November, December–February.
        if !repeats, let m = season.firstMatch(in: s) {
            let word = m.group(1) ?? m.group(2) ?? ""
            let (first, last) = word.hasPrefix("весн") ? (3, 5) : word.hasPrefix("осен") ? (9, 11) : (12, 2)
            let endYear = { (y: Int) in last < first ? y + 1 : y }
            // A winter's printed year is that of its December.
            let y = m.group(3).flatMap { Int($0) }
                ?? reference.map { r in Day.endOfMonth(endYear(r.year), last) >= r ? r.year : r.year + 1 }
            if let y { return .period(from: Day(y, first, 1).iso, to: Day.endOfMonth(endYear(y), last).iso) }
        }

        // `с 25 по 29 августа`: days of one month.
        if let m = dayRange.firstMatch(in: s), let a = Int(m.group(1) ?? ""), let b = Int(m.group(2) ?? ""), a < b,
           let mo = Russian.month(m.group(3) ?? "") {
            let y = m.group(4).flatMap { Int($0) } ?? reference.map { Day.endOfMonth($0.year, mo) >= $0 ? $0.year : $0.year + 1 }
            if let y, let from = Day.valid(y, mo, a), let to = Day.valid(y, mo, b) { return .period(from: from.iso, to: to.iso) }
        }

        if let m = dayRangeNumeric.firstMatch(in: s.trimmingCharacters(in: CharacterSet(charactersIn: " ."))), let a = Int(m.group(1) ?? ""),
           let b = Int(m.group(2) ?? ""), let mo = Int(m.group(3) ?? ""), a < b {
            let y = m.group(4).flatMap { fullYear($0) } ?? reference.map { Day.endOfMonth($0.year, mo) >= $0 ? $0.year : $0.year + 1 }
            if let y, let from = Day.valid(y, mo, a), let to = Day.valid(y, mo, b) { return .period(from: from.iso, to: to.iso) }
        }

        var points = datePoints(in: s, reference: reference)
        // `до конца 2023 года — 50%, до конца 2024 года — 100%`: a year's end is a stage's date among others.
        let ends = yearEnd.matches(in: s).compactMap { m in Int(m.group(1) ?? "").map { DatePoint(range: m.range, day: Day($0, 12, 31)) } }
        if !ends.isEmpty, points.count + ends.count >= 2 {
            var merged: [DatePoint] = []
            for p in (points + ends).sorted(by: { $0.range.lowerBound < $1.range.lowerBound })
            where merged.last.map({ $0.range.upperBound <= p.range.lowerBound }) ?? true {
                merged.append(p)
            }
            points = merged
        }

        // Recurrences come first: "ежегодно до 1 сентября" repeats every year.
        if points.count <= 1 || s.range(of: "ежегодн") != nil {
            for (pattern, unit) in recurrences where pattern.matches(s) {
                if unit == "continuous" && !points.isEmpty { continue }
                return .recurring(every: unit)
            }
        }

        if points.count >= 2 {
            // "с D1 по D2", "D1 - D2": a period.
            let between = s[points[0].range.upperBound..<points[1].range.lowerBound].trimmingCharacters(in: .whitespaces)
            if points.count == 2, ["-", "по", "до", "- по"].contains(between) {
                var (a, b) = (points[0].day, points[1].day)
                // `с 15.12 по 30.12.2025`, `04.12 – 10.01.2026`: a start without its year is the last such day on or before
                // the end, not the next one after the document's date.
                if points[0].yearless, !points[1].yearless,
                   let start = Day.valid(b.year, a.month, a.day).flatMap({ $0 <= b ? $0 : Day.valid(b.year - 1, a.month, a.day) }) {
                    a = start
                }
                return a <= b ? .period(from: a.iso, to: b.iso) : .period(from: b.iso, to: a.iso)
            }
            // `16.04.2026 и 21.04.2026`: the days of an event's rounds, bare and listed, are one period, first to last.
            if s[..<points[0].range.lowerBound].allSatisfy(\.isWhitespace), s[points[points.count - 1].range.upperBound...].allSatisfy({ $0.isWhitespace || $0 == "." }),
               points.indices.dropFirst().allSatisfy({ listJoint.matches(String(s[points[$0 - 1].range.upperBound..<points[$0].range.lowerBound])) }),
               let first = points.map(\.day).min(), let last = points.map(\.day).max() {
                return .period(from: first.iso, to: last.iso)
            }
            // `первый этап – до 01.03.2025, итоговый отчёт – до 30.05.2025`: stages named before their dates, with no
            // target after them, are one directive's steps; it is due at the last.
            // `1 этап: 12.01–16.01; 2 этап: 09.03–13.03`: stages that are spans of days, labelled before them, are one
            // period from the first day to the last.
            // `по математике – 26.03.2026, по русскому языку – 02.04.2026`, `1 группа – 24.03.2026, 2 группа – 25.03.2026`:
            // days labelled without `до`, `к` or `не позднее` are the days things happen on, one period too.
            var from = s.startIndex
            // (Not steps of one work, `первый этап – 01.02.2022, второй этап – 01.04.2022`: due at the last.)
            var labelled = true, spans = false, bounded = false, groups = true
            for p in points {
                let gap = String(s[from..<p.range.lowerBound])
                if gap.trimmingCharacters(in: .whitespaces) == "-", from > s.startIndex { spans = true } else if !stageLabel.matches(gap) { labelled = false; break }
                if stageBound.matches(gap) { bounded = true }
                if !groupOrTopic.matches(gap) { groups = false }
                from = p.range.upperBound
            }
            if !bounded, groups, points.count >= 2 { spans = true }
            if labelled {
                // The next stage's number (`; 2 этап:`) is its label, not a target.
                let rest = points.indices.map { i in
                    stageNumber.replacing(in: String(s[points[i].range.upperBound..<(i + 1 < points.count ? points[i + 1].range.lowerBound : s.endIndex)]), with: "")
                }
                if !rest.contains(where: { $0.contains(where: \.isNumber) || $0.contains("%") }), let first = points.map(\.day).min(),
                   let last = points.map(\.day).max() {
                    // Spans printed without their year run forward: `1 этап: 12.01–16.01` in a document of 14.01 is
                    // this January's, not the next.
                    if spans, let r = reference, points.indices.dropFirst().contains(where: { points[$0].day < points[$0 - 1].day }) {
                        let again = datePoints(in: s, reference: Day(r.year, 1, 1))
                        if again.count == points.count, again.indices.dropFirst().allSatisfy({ again[$0 - 1].day <= again[$0].day }),
                           let a = again.first?.day, let b = again.last?.day {
                            return .period(from: a.iso, to: b.iso)
                        }
                    }
                    return spans ? .period(from: first.iso, to: last.iso) : .date(last.iso)
                }
            }
            // Several dates: stages, each with the words that follow it as its target.
            // Offsets found incrementally, the raw text aligned once: linear however many dates there are.
            var stages: [Stage] = []
            let aligned = alignedRaw(raw, folded: s)
            var offset = 0, index = s.startIndex
            func position(_ i: String.Index) -> Int {
                offset += s.distance(from: index, to: i)
                index = i
                return offset
            }
            for (i, p) in points.enumerated() {
                let end = i + 1 < points.count ? points[i + 1].range.lowerBound : s.endIndex
                let span = position(p.range.upperBound)..<position(end)
                stages.append(Stage(date: p.day.iso, target: stageTarget(aligned: aligned, folded: s, from: p.range.upperBound, to: end, offsets: span)))
            }
            return .staged(stages)
        }

        if let p = points.first {
            // `до 1 ноября 2019 года — 65%`: one stage with its target after a dash or colon.
            let after = s[p.range.upperBound...].drop { $0 == " " }
            if let sep = after.first, "-:".contains(sep) {
                let a = s.distance(from: s.startIndex, to: p.range.upperBound)
                let target = stageTarget(aligned: alignedRaw(raw, folded: s), folded: s, from: p.range.upperBound, to: s.endIndex,
                                         offsets: a..<(a + s.distance(from: p.range.upperBound, to: s.endIndex)))
                if target.contains(where: \.isNumber) || target.contains("%") { return .staged([Stage(date: p.day.iso, target: target)]) }
            }
            return .date(p.day.iso)
        }

        let openEnded = { (i: String.Index) in isOpenEnded(s, before: i) }

        if let reference, let words = inWords(s, reference: reference) { return words }
        // `в I квартале следующего года`: the year after the document's.
        let impliedYear = reference.map { s.range(of: #"следующ[а-я]*\s+(?:календарн[а-я]*\s+)?года"#, options: .regularExpression) != nil ? $0.year + 1 : $0.year }

        // A half of an academic year: the first from 1 September to 31 December, the second from 1 January to 31 August.
        if let m = academicHalf.firstMatch(in: s), let h = ordinal(m.group(1) ?? "", max: 2),
           let y = m.group(2).flatMap({ Int($0) }) ?? reference?.academicYearStart {
            let from = h == 1 ? Day(y, 9, 1) : Day(y + 1, 1, 1), to = h == 1 ? Day(y, 12, 31) : Day(y + 1, 8, 31)
            if isBeforeStart(s, before: m.range.lowerBound) { return .date(from.iso) }
            return openEnded(m.range.lowerBound) || hasUntil(s, before: m.range.lowerBound) ? .date(to.iso) : .period(from: from.iso, to: to.iso)
        }

        // Academic years and year ranges.
        if let m = academicYear.firstMatch(in: s), let y1 = Int(m.group(1) ?? ""), let y2 = fullYear(m.group(3) ?? "") {
            let unit = m.group(5) ?? ""
            let isAcademic = m.group(4) != nil || m.group(2) == "/" || (m.group(3)?.count == 2) || (unit.hasPrefix("год") && !unit.hasPrefix("годы") && !unit.hasPrefix("годах") && !unit.hasPrefix("годов") && y2 == y1 + 1)
            if isAcademic && y2 == y1 + 1 {
                // `2025/2026 и 2026/2027 учебные годы`: school years listed, from the first's start to the last's end.
                let more = academicYear.matches(in: s).dropFirst().compactMap { n -> Int? in
                    guard let a = Int(n.group(1) ?? ""), let b = fullYear(n.group(3) ?? ""), b == a + 1, n.group(2) == "/" else { return nil }
                    return b
                }
                if let last = more.max(), last > y2, !openEnded(m.range.lowerBound), listJoint.matches(String(s[m.range.upperBound...].prefix(4))) || s[m.range.upperBound...].hasPrefix(" и ") {
                    return .period(from: Day(y1, 9, 1).iso, to: Day(last, 8, 31).iso)
                }
                return openEnded(m.range.lowerBound) ? .date(Day(y2, 8, 31).iso) : academic(y1)
            }
            if y2 >= y1 {
                return openEnded(m.range.lowerBound) || hasUntil(s, before: m.range.lowerBound)
                    ? .date(Day(y2, 12, 31).iso) : .period(from: Day(y1, 1, 1).iso, to: Day(y2, 12, 31).iso)
            }
        }

        if let m = quarterRange.firstMatch(in: s), let q1 = ordinal(m.group(1) ?? "", max: 4), let q2 = ordinal(m.group(2) ?? "", max: 4), q1 < q2,
           let y = m.group(3).flatMap({ Int($0) }) ?? impliedYear {
            let from = Day(y, (q1 - 1) * 3 + 1, 1), to = Day.endOfMonth(y, q2 * 3)
            return openEnded(m.range.lowerBound) || hasUntil(s, before: m.range.lowerBound) ? .date(to.iso) : .period(from: from.iso, to: to.iso)
        }

        // `I квартал 2025 г., 4 квартал 2025 года`: quarters listed for rounds of the same work are one period, first to last.
        let quarters = quarter.matches(in: s)
        if quarters.count >= 2,
           quarters.indices.dropFirst().allSatisfy({ quarterListJoint.matches(String(s[quarters[$0 - 1].range.upperBound..<quarters[$0].range.lowerBound])) }) {
            let spans = quarters.compactMap { m -> (Day, Day)? in
                guard let q = ordinal(m.group(1) ?? "", max: 4), let y = m.group(2).flatMap({ Int($0) }) ?? impliedYear else { return nil }
                return (Day(y, (q - 1) * 3 + 1, 1), Day.endOfMonth(y, q * 3))
            }
            if spans.count == quarters.count, let from = spans.map(\.0).min(), let to = spans.map(\.1).max() {
                return .period(from: from.iso, to: to.iso)
            }
        }

        if let m = quarter.firstMatch(in: s), let q = ordinal(m.group(1) ?? "", max: 4),
           var y = m.group(2).flatMap({ Int($0) }) ?? impliedYear {
            // (`II квартал` without its year in a plan of December 2025: the coming one, as a date without a year is.)
            if m.group(2) == nil, let reference, Day.endOfMonth(y, q * 3) < reference { y += 1 }
            let from = Day(y, (q - 1) * 3 + 1, 1), to = Day.endOfMonth(y, q * 3)
            return openEnded(m.range.lowerBound) || hasUntil(s, before: m.range.lowerBound) ? .date(to.iso) : .period(from: from.iso, to: to.iso)
        }

        if let m = half.firstMatch(in: s), let h = ordinal(m.group(1) ?? "", max: 2),
           let y = m.group(2).flatMap({ Int($0) }) ?? impliedYear {
            let from = Day(y, h == 1 ? 1 : 7, 1), to = Day.endOfMonth(y, h == 1 ? 6 : 12)
            if isBeforeStart(s, before: m.range.lowerBound) { return .date(from.iso) }
            return openEnded(m.range.lowerBound) || hasUntil(s, before: m.range.lowerBound) ? .date(to.iso) : .period(from: from.iso, to: to.iso)
        }

        // `январь 2021 года – май 2021 года`, `с сентября 2020 года по май 2021 года`.
        let months = monthYear.matches(in: s).filter { $0.group(3) != nil && $0.group(2) == nil }
        if months.count == 2, let a = Russian.month(months[0].group(1) ?? ""), let b = Russian.month(months[1].group(1) ?? ""),
           let y1 = Int(months[0].group(3) ?? ""), let y2 = Int(months[1].group(3) ?? ""),
           rangeJoint.matches(String(s[months[0].range.upperBound..<months[1].range.lowerBound])) {
            let from = Day(y1, a, 1), to = Day.endOfMonth(y2, b)
            if from <= to { return .period(from: from.iso, to: to.iso) }
        }

        // `декабрь 2024 г., март 2025 г.`: months listed for rounds of the same work are one period, first to last.
        if months.count >= 2,
           months.indices.dropFirst().allSatisfy({ listJoint.matches(String(s[months[$0 - 1].range.upperBound..<months[$0].range.lowerBound])) }) {
            let days = months.compactMap { m -> (Day, Day)? in
                guard let mo = Russian.month(m.group(1) ?? ""), let y = Int(m.group(3) ?? "") else { return nil }
                return (Day(y, mo, 1), Day.endOfMonth(y, mo))
            }
            if days.count == months.count, let from = days.map(\.0).min(), let to = days.map(\.1).max() {
                return .period(from: from.iso, to: to.iso)
            }
        }

        // `май, август 2025 г.`: months listed with the year printed once, after the last (a month after the last one
        // in the calendar is of the year before: `декабрь, март 2026 г.`).
        let bare = monthYear.matches(in: s).filter { $0.group(2) == nil }
        if bare.count >= 2, let last = bare.last, let y = last.group(3).flatMap({ Int($0) }), let lastMonth = Russian.month(last.group(1) ?? ""),
           bare.dropLast().allSatisfy({ $0.group(3) == nil }),
           bare.indices.dropFirst().allSatisfy({ listJoint.matches(String(s[bare[$0 - 1].range.upperBound..<bare[$0].range.lowerBound])) }) {
            let days = bare.compactMap { m -> (Day, Day)? in
                guard let mo = Russian.month(m.group(1) ?? "") else { return nil }
                let year = mo > lastMonth ? y - 1 : y
                return (Day(year, mo, 1), Day.endOfMonth(year, mo))
            }
            if days.count == bare.count, let from = days.map(\.0).min(), let to = days.map(\.1).max() {
                return .period(from: from.iso, to: to.iso)
            }
        }

        // `октябрь, ноябрь`: months listed with no year, from the first such month on or after the document's date.
        if bare.count >= 2, bare.allSatisfy({ $0.group(3) == nil }), let ref = reference,
           bare.indices.dropFirst().allSatisfy({ listJoint.matches(String(s[bare[$0 - 1].range.upperBound..<bare[$0].range.lowerBound])) }),
           let firstMonth = Russian.month(bare[0].group(1) ?? "") {
            var year = firstMonth >= ref.month ? ref.year : ref.year + 1
            var previous = firstMonth
            var days: [(Day, Day)] = []
            for m in bare {
                guard let mo = Russian.month(m.group(1) ?? "") else { break }
                if mo < previous { year += 1 }
                previous = mo
                days.append((Day(year, mo, 1), Day.endOfMonth(year, mo)))
            }
            if days.count == bare.count, let from = days.first?.0, let to = days.last?.1 { return .period(from: from.iso, to: to.iso) }
        }

        if let m = monthYear.firstMatch(in: s), let m1 = Russian.month(m.group(1) ?? "") {
            let m2 = m.group(2).flatMap { Russian.month($0) } ?? m1
            var y: Int?
            if let ys = m.group(3) { y = Int(ys) } else if let ref = reference {
                y = m1 >= ref.month ? ref.year : ref.year + 1
            }
            if let y {
                let from = Day(y, m1, 1)
                let to = Day.endOfMonth(m2 >= m1 ? y : y + 1, m2)
                return openEnded(m.range.lowerBound) || hasUntil(s, before: m.range.lowerBound) ? .date(to.iso) : .period(from: from.iso, to: to.iso)
            }
        }

        if let m = year.firstMatch(in: s), let y = Int(m.group(1) ?? ""), (1990...2100).contains(y) {
            if openEnded(m.range.lowerBound) || hasUntil(s, before: m.range.lowerBound) { return .date(Day(y, 12, 31).iso) }
            return .period(from: Day(y, 1, 1).iso, to: Day(y, 12, 31).iso)
        }

        // Relative to the document's date.
        guard let ref = reference else { return nil }
        let academicStart = ref.academicYearStart
        if s.range(of: "учебн") != nil {
            if s.range(of: "до конца") != nil || s.range(of: "к концу") != nil || s.range(of: "до окончания") != nil {
                return .date(Day(academicStart + 1, 8, 31).iso)
            }
            if s.range(of: "следующ") != nil || s.range(of: "будущ") != nil { return academic(academicStart + 1) }
            if s.range(of: "текущ") != nil || s.range(of: "в течение") != nil || s.range(of: "учебн[а-я]* год", options: .regularExpression) != nil {
                return academic(academicStart)
            }
        }
        if s.range(of: "до конца") != nil || s.range(of: "к концу") != nil {
            if s.range(of: "месяц") != nil { return .date(Day.endOfMonth(ref.year, ref.month).iso) }
            if s.range(of: "год") != nil { return .date(Day(ref.year, 12, 31).iso) }
        }
        if s.range(of: "в течение") != nil || s.range(of: "на протяжении") != nil {
            if s.range(of: "месяц") != nil { return .period(from: ref.iso, to: ref.adding(months: 1).adding(days: -1).iso) }
            if s.range(of: "квартал") != nil { return .period(from: ref.iso, to: ref.adding(months: 3).adding(days: -1).iso) }
            if s.range(of: "полугоди") != nil { return .period(from: ref.iso, to: ref.adding(months: 6).adding(days: -1).iso) }
            if s.range(of: "год") != nil { return .period(from: ref.iso, to: ref.adding(months: 12).adding(days: -1).iso) }
        }
        if s.range(of: "текущ[а-я]* год", options: .regularExpression) != nil || s.range(of: "в этом году") != nil {
            return .period(from: Day(ref.year, 1, 1).iso, to: Day(ref.year, 12, 31).iso)
        }
        // `Срок: в двухнедельный срок`, `Срок: незамедлительно` (spec §4).
        if let m = term.firstMatch(in: s) { return termDeadline(m, in: s, reference: ref) }
        if immediately.matches(s) { return .date(ref.iso) }
        return nil
    }

    /// A term of days, weeks or months (a match of `daysFromSigning` or `daysTerm`) counted from `ref`.
    private static func counted(_ m: Pattern.Match, from ref: Day) -> Deadline {
        let numbers = ["одного": 1, "одной": 1, "двух": 2, "трех": 3, "пяти": 5, "семи": 7, "десяти": 10, "пятнадцати": 15, "тридцати": 30]
        let n = m.group(1).flatMap { Int($0) } ?? m.group(2).flatMap { numbers[$0] } ?? 1
        let unit = m.group(4) ?? ""
        if unit.hasPrefix("месяц") { return .date(ref.adding(months: n).iso) }
        if unit.hasPrefix("недел") { return .date(ref.adding(days: 7 * n).iso) }
        if unit.hasPrefix("декад") { return .date(ref.adding(days: 10 * n).iso) }   // `в течение декады со дня подписания`
        return .date((m.group(3)?.hasPrefix("рабоч") == true ? ref.adding(workingDays: n) : ref.adding(days: n)).iso)
    }

    /// `в течение 3 рабочих дней после окончания Недели`: the term counted from `end`, the event's last day, and the
    /// event's word (`недели`), or nil when `s` is no such term.
    static func termAfterEnd(_ s: String, end: Day) -> Deadline? {
        let folded = fold(s)
        guard let m = daysTerm.firstMatch(in: folded), m.group(1) != nil || m.group(2) != nil,
              Pattern(#"^\s*(?:после\s+(?:окончания|завершения)|по\s+(?:окончании|завершении))\s"#).matches(m.group(6) ?? "") else { return nil }
        return counted(m, from: end)
    }

    /// Deadlines in words the document's date resolves (spec §4, "Deadlines in words"): named days, a term
    /// counted from signing, the end or the start of the academic year, the coming academic year, summer.
    static func inWords(_ s: String, reference ref: Day) -> Deadline? {
        for (pattern, month, day) in namedDays where pattern.matches(s) {
            if let d = ref.next(month: month, day: day) { return .date(d.iso) }
        }
        let term = daysTerm.firstMatch(in: s).flatMap { afterAnEvent.matches($0.group(6) ?? "") ? nil : $0 }
        // `в течение недели`, `в течение декады`: seven or ten days from the document's date.
        if let term, let unit = term.group(5) { return .date(ref.adding(days: unit == "декады" ? 10 : 7).iso) }
        if let m = daysFromSigning.firstMatch(in: s) ?? term { return counted(m, from: ref) }
        // The first 1 September on or after the document's date, or the one of the September it is dated in.
        let coming = ref.month <= 9 ? ref.year : ref.year + 1
        if academicYearEnd.matches(s) { return .date(Day(ref.academicYearStart + 1, 8, 31).iso) }
        if let m = comingYear.firstMatch(in: s) {
            if m.group(3) != nil { return .period(from: Day(coming, 9, 1).iso, to: Day(coming, 9, 30).iso) }
            if comingYearNamed.matches(m.text) {
                return m.group(1) != nil ? .date(Day(coming, 9, 1).iso) : academic(coming)
            }
        }
        if let m = summer.firstMatch(in: s) {
            let y = m.group(1).flatMap { Int($0) } ?? (Day(ref.year, 8, 31) >= ref ? ref.year : ref.year + 1)
            return .period(from: Day(y, 6, 1).iso, to: Day(y, 8, 31).iso)
        }
        return nil
    }

    private static let daysOnly = Pattern(#"^(?:(?:до|к|не позднее)\s+)?(\d{1,2})(?:\s*-?\s*го)?(?:\s+числа)?$"#)
    /// `последняя пятница (месяца)`: the last such day of the month.
    /// The weekdays' stems as the patterns below capture them, Monday first (the index is ``Day/weekday``).
    private static let weekdayStems = ["понедельник", "вторник", "сред", "четверг", "пятниц", "суббот"]
    private static let nthWeekday = Pattern(#"^(?:в\s+)?(перв|втор|трет|четв[её]рт|[1-4])[а-я-]*\s+(?:и\s+(перв|втор|трет|четв[её]рт|[1-4])[а-я-]*\s+)?(понедельник|вторник|сред|четверг|пятниц|суббот)[а-я]*(?:\s+месяца)?$"#)
    private static let lastWeekday = Pattern(#"^последн[а-я]+\s+(понедельник|вторник|сред|четверг|пятниц|суббот)[а-я]*(?:\s+месяца)?$"#)
    /// `23 января` under `ЯНВАРЬ`: a day of the month, with its month named again.
    private static let dayOfNamedMonth = Pattern(#"^(?:(?:до|к)\s+)?(\d{1,2})\s+("# + Russian.monthPattern + #")$"#)
    private static let dayAndMonthOnly = Pattern(#"^(?:(?:до|к|не позднее)\s+)?(\d{1,2})\.(\d{1,2})\.?$"#)
    private static let daysRangeOnly = Pattern(#"^(?:с\s+)?(\d{1,2})\s*(?:-|по|до)\s*(\d{1,2})(?:\s+числа)?$"#)
    private static let weekOnly = Pattern(#"^(?:в\s+течение\s+)?(?:([1-4])\s*(?:-?[а-я]{1,2})?\s*[-–—]\s*)?([1-5]|перв[а-я]*|втор[а-я]*|трет[а-я]*|четверт[а-я]*)\s*(?:-?[а-я]{1,2})?\s+недел[а-я]*(?:\s+месяца)?$"#)

    /// A row's own deadline under a month of a plan (`month` is its first day; spec §4, *a month of a plan*): days
    /// of that month, a week of it, or the month itself for `в течение месяца`, `по графику` and a cell that names
    /// no time. Nil when the row names a time of its own elsewhere (`own`, a recurrence, another month or year).
    static func within(month: Day, raw: String, own: Deadline?) -> Deadline? {
        let s = fold(raw).trimmingCharacters(in: CharacterSet(charactersIn: " .;"))
        let end = Day.endOfMonth(month.year, month.month)
        let whole = Deadline.period(from: month.iso, to: end.iso)
        if let m = daysOnly.firstMatch(in: s), let d = Int(m.group(1) ?? ""), let day = Day.valid(month.year, month.month, d) {
            return .date(day.iso)
        }
        // `первый вторник месяца`, `1-й вторник`; `2-я и 4-я среда месяца` → from the first named to the last.
        if let m = nthWeekday.firstMatch(in: s), let w = weekdayStems.firstIndex(of: m.group(3) ?? ""),
           let n1 = ordinal(m.group(1) ?? "", max: 4) ?? Int((m.group(1) ?? "").prefix(1)) {
            let n2 = m.group(2).flatMap { ordinal($0, max: 4) ?? Int($0.prefix(1)) } ?? n1
            let first = month.first(weekday: w)
            let from = first.adding(days: 7 * (n1 - 1)), to = first.adding(days: 7 * (max(n1, n2) - 1))
            if to <= end { return from == to ? .date(from.iso) : .period(from: from.iso, to: to.iso) }
        }
        if let m = lastWeekday.firstMatch(in: s), let w = weekdayStems.firstIndex(of: m.group(1) ?? "") {
            var day = end
            while day.weekday != w { day = day.adding(days: -1) }
            return .date(day.iso)
        }
        if let m = dayOfNamedMonth.firstMatch(in: s), let d = Int(m.group(1) ?? ""), Russian.month(m.group(2) ?? "") == month.month,
           let day = Day.valid(month.year, month.month, d) {
            return .date(day.iso)
        }
        if let m = dayAndMonthOnly.firstMatch(in: s), let d = Int(m.group(1) ?? ""), let mo = Int(m.group(2) ?? ""),
           Day.valid(2000, mo, d) != nil, let day = month.next(month: mo, day: d) {
            return .date(day.iso)
        }
        if let m = daysRangeOnly.firstMatch(in: s), let a = Int(m.group(1) ?? ""), let b = Int(m.group(2) ?? ""), a < b,
           let from = Day.valid(month.year, month.month, a), let to = Day.valid(month.year, month.month, b) {
            return .period(from: from.iso, to: to.iso)
        }
        // `3-я неделя`; `2–3-я неделя`, from the first week's start to the last's end.
        if let m = weekOnly.firstMatch(in: s), let w = ordinal(m.group(2) ?? "", max: 4) ?? Int(m.group(2) ?? "") {
            let first = m.group(1).flatMap { Int($0) }.map { min($0, w) } ?? w
            let from = Day(month.year, month.month, min(7 * (first - 1) + 1, end.day))
            let to = w >= 4 ? end : Day(month.year, month.month, 7 * w)
            return .period(from: from.iso, to: to.iso)
        }
        if s.range(of: #"^(?:в\s+течение\s+)?(?:всего\s+)?месяца$"#, options: .regularExpression) != nil { return whole }
        return own == nil ? whole : nil
    }

    /// A season phrase (`в летний период 2025 года`): a group-final line wins over it (spec §4).
    static func isSeason(_ raw: String) -> Bool { summer.matches(fold(raw)) }

    /// `I`, `II`, `2`, `второй`, `второго` → 2.
    static func ordinal(_ s: String, max: Int) -> Int? {
        let table: [(String, Int)] = [("iv", 4), ("iii", 3), ("ii", 2), ("i", 1), ("1", 1), ("2", 2), ("3", 3), ("4", 4),
                                      ("перв", 1), ("втор", 2), ("трет", 3), ("четверт", 4)]
        for (prefix, n) in table where n <= max {
            if prefix.first!.isLetter && prefix.first!.isASCII ? s == prefix : s.hasPrefix(prefix) { return n }
        }
        return nil
    }

    /// The raw phrase's characters, spaces collapsed, when they line up one for one with the folded phrase's.
    static func alignedRaw(_ raw: String, folded: String) -> [Character]? {
        let chars = Array(ResolutionNormalizer.collapseSpaces(Substring(raw)))
        return chars.count == folded.count ? chars : nil
    }

    /// The words after a stage's date: `— 65% обучающихся,` → `65% обучающихся`; `offsets` are `from..<to`
    /// as character offsets.
    static func stageTarget(aligned: [Character]?, folded: String, from: String.Index, to: String.Index, offsets: Range<Int>) -> String {
        // Offsets in the folded text map onto the raw text only when lengths agree; fall back to the folded words.
        let t = aligned.map { String($0[offsets]) } ?? String(folded[from..<to])
        var trimmed = t.trimmingCharacters(in: CharacterSet(charactersIn: " ,;.:-–—()"))
        // Drop the next stage's preposition.
        for tail in [" до", " к", " не позднее", " и", " по"] where Russian.fold(trimmed).hasSuffix(tail) {
            trimmed = String(trimmed.dropLast(tail.count)).trimmingCharacters(in: CharacterSet(charactersIn: " ,;.:-–—()"))
        }
        if ["до", "к", "не позднее", "и", "по"].contains(Russian.fold(trimmed)) { return "" }
        return trimmed
    }
}
