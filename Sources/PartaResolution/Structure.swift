import Foundation

/// What one paragraph is, for the task builder: a deadline or responsible line, a heading, a group
/// introduction, a list item, or something else.
enum Block {
    /// `Срок: до 10.10.2020` (the words after the label).
    case deadline(String)
    /// `Ответственные: отдел образования, МУ ЦОКО`.
    case responsible([String])
    /// A heading or an introduction that ends in `:`, with or without a marker.
    case heading(Heading)
    /// A list item or a paragraph of running text.
    case item(marker: ListMarker?, text: String)

    var isDeadline: Bool { if case .deadline = self { return true } else { return false } }
}

struct Heading {
    var marker: ListMarker?
    /// The text without the marker and without the trailing `:`.
    var text: String
    /// Ends in `:` (introduces a group), as opposed to a title line (`I. Обновление содержания …`).
    var introduces: Bool
    /// Bodies named by the heading (`Руководителям образовательных организаций:`).
    var addressees: [String]
    /// The heading's words assign work (an infinitive, an addressee line, `Задачи …`), so the items under it
    /// are tasks even when they are nouns of action.
    var directive: Bool
    /// For headings without a number: which earlier heading it replaces (`tasks`, `aspect`, `addressee`,
    /// `deadline` for a heading that is only a deadline, …).
    var key: String
    /// Level named by the heading itself.
    var level: TaskLevel?
    /// A deadline phrase in a heading that introduces a group (`До 31 декабря 2021 года:`): the deadline of
    /// every task of the group that names none of its own.
    var deadline: String?
    /// Names a meeting (`Заседание № 1 (28 августа 2025 г.):`): its date is that of its agenda's items, even
    /// where an item's words name a year or school year it is about.
    var isMeeting = false
}

enum Structure {
    private static let deadlineLine = Pattern(#"^\(?\s*(?:срок[иа]?(?:\s+(?:исполнения|выполнения|реализации|проведения|представления))?\s*(?:(?=подпункт|пункт|пп\.)|[:–—-]\s*|\s+(?=(?:до|к|в|не|с|по)\s|\d|постоянно|ежегодно|ежемесячно|ежеквартально|еженедельно|систематически))|(?:доклад|отч[её]т)\s*[:–—-]\s*(?=(?:до|к|в|не|с|по|на|один)\s|\d|постоянно|ежегодно|ежемесячно|ежеквартально|еженедельно|ежедекадно|раз\s)|дат[аы]\s+проведения\s*:\s*)(.*?)\)?$"#)
    /// `(по подпункту «б»)`, `по пункту 2.3`: a deadline line that names the one item it is for.
    static let namesItsItem = Pattern(#"(?<![а-яё])по\s+(?:под)?пункт[а-яё]*\s"#)
    private static let responsibleLine = Pattern(#"^\(?\s*(?:ответственн[а-яё]*|исполнител[а-яё]*|отв\.)(?:\s+за\s+исполнение)?\s*[:–—-]\s*(.*?)\)?$"#)
    private static let itemLabel = Pattern(#"^(?:Поручени[ея]|ПОРУЧЕНИЕ|Решение|РЕШЕНИЕ)\s+(?:№\s*)?(\d{1,2}(?:\.\d{1,2}){0,2})\s*[.:–—-]\s+(?=\S)"#, caseSensitive: true)

    /// `Поручение 1.1: Обеспечить …` → `1.1. Обеспечить …`: a labelled number is that numbered item, decided by its label
    /// (spec §3).
    static func unlabelledItem(_ paragraph: String) -> String? {
        guard paragraph.count > 12, let first = paragraph.first, "ПР".contains(first), let m = itemLabel.firstMatch(in: paragraph),
              let number = m.group(1) else { return nil }
        // (`Поручение 2.1: выполнено, информация направлена …` reports on an old one.)
        let rest = String(paragraph[m.range.upperBound...])
        guard Tasks.firstDirective(in: rest) != nil || Tasks.startsWithActionNoun(rest) else { return nil }
        return number + ". " + rest
    }

    private static let formulaVerb = Pattern(#"(?<![а-яё])(?:решил[аио]?|решили|постановил[аио]?|постановля[а-яё]*|приказыва[а-яё]*|решает|реша[юе]т|рекоменду[юе]т|рекомендуем|предлага(?:[юе]т|ю)|предлагаем|считает необходимым|считают необходимым|считаем необходимым|рекомендовано|определил[аи]?|принял[аи]? решение|приняли решение|поручает|поручил[аи]?|поручено|решено|постановлено|пришли к выводу о необходимости|необходимо|следует|требую|предписыва[юе]т?|обязыва[юе]т?)(?![а-яё])"#)

    private static let standaloneFormula = Pattern(#"^(?:решение|решения|рекомендации|предложения)(?:\s+[а-яё-]+){0,4}\s*:$"#)

    /// `РЕШИЛИ:`, `конференция РЕШИЛА:`, `Участники симпозиума предлагают:` — the formula after which tasks follow.
    static func isDecisionFormula(_ p: String) -> Bool {
        let cleaned = Russian.joinLetterSpacing(p.replacingOccurrences(of: "*", with: "")).trimmingCharacters(in: .whitespaces)
        guard cleaned.hasSuffix(":") else { return false }
        // `РЕШЕНИЕ:`, `Решения совещания:`, `Предложения:` standing alone after the preamble.
        if standaloneFormula.matches(Russian.fold(cleaned)) { return true }
        let lastClause = cleaned.split(separator: ",").last.map(String.init) ?? cleaned
        guard formulaVerb.matches(Russian.fold(lastClause)) else { return false }
        // `Рекомендовать …:` addresses someone; a formula has a finite verb, not an infinitive at its start.
        if let first = Russian.words(lastClause).first, Russian.isInfinitive(first) { return false }
        // `… необходимо в срок до 15 декабря 2025 года представить в министерство:`: a directive over its items.
        if let m = impersonalThenInfinitive.firstMatch(in: Russian.fold(lastClause)),
           Russian.words(Russian.fold(lastClause)[m.range.upperBound...]).prefix(12).contains(where: { Russian.isInfinitive($0) }) { return false }
        return lastClause.count <= 120
    }

    private static let impersonalThenInfinitive = Pattern(#"(?<![а-яё])(?:необходимо|следует)(?![а-яё])"#)

    /// `СЛУШАЛИ: …`, and a question's topic before it on one line (`5. РАЗНОЕ. СЛУШАЛИ: …`).
    private static let reportOpening = Pattern(#"^(?:[\dIVX]+[.)]\s*)?(?:[^.:;]{1,100}\.\s+)?(?:слушали|выступили)\s*[:–—-]"#)

    /// `Приложение 1`, `Приложение № 2 к приказу …`: an appendix starts.
    static func opensAppendix(_ p: String) -> Bool {
        p.count <= 200 && !p.hasSuffix(".") && !p.hasSuffix(";") && p.prefix(10).lowercased().hasPrefix("приложени")
            && appendixOpening.matches(Russian.fold(p))
    }
    private static let appendixOpening = Pattern(#"^приложени[ея](?:\s*(?:№\s*)?\d{1,2}(?![\d.])|\s*$|\s+к\s)"#)

    /// Whether an appendix's first paragraphs hold a regulation's title (`ПОЛОЖЕНИЕ о …`, `ПОРЯДОК действий …`,
    /// `ПРАВИЛА`, `РЕГЛАМЕНТ`, `ИНСТРУКЦИЯ`) or a list of members (`СОСТАВ …`): a title line, not a sentence.
    static func regulates(_ paragraphs: ArraySlice<String>) -> Bool {
        paragraphs.contains { p in
            regulationTitle.matches(Russian.fold(Russian.joinLetterSpacing(p))) && p.count <= 300 && !(p.hasSuffix(".") || p.hasSuffix(";"))
        }
    }
    private static let regulationTitle = Pattern(#"^(?:положение|порядок|правила|регламент|инструкция|состав)(?:\s|$)"#)

    /// `УТВЕРЖДЕН приказом … от 10.09.2025 № 320`, `СОГЛАСОВАНО`: an approval stamp, never a heading or a task.
    static func isStamp(_ p: String) -> Bool {
        p.count <= 240 && stampOpening.matches(Russian.fold(p.prefix(20)))
    }
    private static let stampOpening = Pattern(#"^(?:утвержд[её]н[аоы]?|утверждаю|согласовано|принят[аоы]?|рассмотрено)(?![а-яё])"#)

    /// A paragraph's text without its list marker.
    static func textWithoutMarker(_ p: String) -> String { ListMarker.parse(p)?.rest ?? p }

    /// `СЛУШАЛИ: …`, `2. ВЫСТУПИЛИ: …`: what was said at a meeting, up to its decision formula.
    static func opensReport(_ p: String) -> Bool { reportOpening.matches(Russian.fold(Russian.joinLetterSpacing(p))) }

    /// Splits `Ответственные: отдел образования, МУ ЦОКО; ОО` into bodies.
    static func splitResponsible(_ s: String) -> [String] {
        Addressees.removeParentheses(s).split(whereSeparator: { $0 == "," || $0 == ";" }).map { piece in
            var t = piece.trimmingCharacters(in: .whitespaces)
            // A closing full stop goes, the dot of an initial (`Иванов И.И.`) stays.
            if t.hasSuffix("."), !initialAtEnd.matches(t) { t.removeLast() }
            return t.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
    }

    private static let initialAtEnd = Pattern(#"(?:^|[\s.])[А-ЯЁA-Z]\.$"#, caseSensitive: true)

    static func classify(_ paragraph: String) -> Block {
        let p = paragraph.replacingOccurrences(of: "**", with: "").trimmingCharacters(in: .whitespaces)
        // The closing parenthesis the patterns leave out belongs to the line's own words when they opened one
        // (`Срок: март (очно), апрель (дистанционно)`), not to a line wrapped in parentheses (`(Срок: до 1 мая)`).
        func closed(_ rest: String) -> String { rest.filter { $0 == "(" }.count > rest.filter { $0 == ")" }.count && p.hasSuffix(")") ? rest + ")" : rest }
        if let m = deadlineLine.firstMatch(in: p), let rest = m.group(1) {
            return .deadline(closed(rest).trimmingCharacters(in: CharacterSet(charactersIn: " .;")))
        }
        if let m = responsibleLine.firstMatch(in: p), let rest = m.group(1) {
            return .responsible(splitResponsible(closed(rest)))
        }
        // A month standing alone in the nominative heads the rows of a plan under it (spec §4, *a month of a plan*); so
        // does a deadline in capitals (`В ТЕЧЕНИЕ ГОДА`), which is a heading, not a line after a task.
        let letters = p.filter(\.isLetter)
        if monthHeading.matches(Russian.fold(p)) || letters.count >= 5 && letters.allSatisfy(\.isUppercase) && isBareDeadline(p) {
            return .heading(heading(marker: nil, text: p, introduces: true))
        }
        // `16 марта 2026 года (понедельник) – День семейного бюджета`: a day of a plan's week over its events (spec §4,
        // *a month of a plan*); not a bare date line after an item, which names no weekday and no day's title.
        if let m = dayHeading.firstMatch(in: p), let date = m.group(1) {
            var h = heading(marker: nil, text: p, introduces: true)
            h.deadline = date
            h.key = "deadline"
            return .heading(h)
        }
        if isBareDeadline(p) { return .deadline(p.trimmingCharacters(in: CharacterSet(charactersIn: " .;()"))) }
        // `II. ЕЖЕНЕДЕЛЬНО`, `IV. ЕЖЕКВАРТАЛЬНО`: a section of a циклограмма named by how often its rows recur.
        if let parsed = ListMarker.parse(p), !parsed.marker.isBullet, frequencySection.matches(Russian.fold(parsed.rest)) {
            var h = heading(marker: parsed.marker, text: parsed.rest, introduces: true)
            h.deadline = parsed.rest
            h.key = "deadline"
            return .heading(h)
        }
        // `I. ПОНЕДЕЛЬНИК`: a section of a циклограмма named by its weekday; its rows come round each week.
        // (Also unnumbered, in capitals: `ПОНЕДЕЛЬНИК`.)
        if let (marker, rest) = ListMarker.parse(p).map({ ($0.marker as ListMarker?, $0.rest) }) ?? (p.filter(\.isLetter).allSatisfy(\.isUppercase) ? (nil, p) : nil),
           marker?.isBullet != true, let m = weekdaySection.firstMatch(in: Russian.fold(rest)) {
            let name = rest.trimmingCharacters(in: CharacterSet(charactersIn: " :"))
            var h = heading(marker: marker, text: name, introduces: true)
            // (`I. ПОНЕДЕЛЬНИК (09.02.2026)`, `II. Вторник, 10 февраля`: a day of a plan's week, dated.)
            h.deadline = m.group(1) ?? name
            h.key = "deadline"
            return .heading(h)
        }
        let parsed = ListMarker.parse(p)
        let marker = parsed?.marker
        let text = parsed?.rest ?? p
        if text.hasSuffix(":") {
            return .heading(heading(marker: marker, text: String(text.dropLast()).trimmingCharacters(in: .whitespaces), introduces: true))
        }
        if isTitleLine(marker: marker, text: text) {
            // (`3. Задачи на II полугодие …` over `1. Провести …`: the list under it is its own.)
            return .heading(heading(marker: marker, text: text, introduces: marker.map { !$0.isBullet } == true && tasksFor.matches(Russian.fold(text))))
        }
        if isAddresseeLine(marker: marker, text: text) {
            return .heading(heading(marker: marker, text: text, introduces: true))
        }
        return .item(marker: marker, text: text)
    }

    private static let frequencySection = Pattern(#"^(?:ежедневно|еженедельно|ежемесячно|ежеквартально|ежечетвертно|ежегодно|(?:один\s+|1\s+)?раз\s+в\s+(?:неделю|месяц|квартал|четверть|полугодие|год)|по\s+мере\s+необходимости)\s*(?:\([^()]{1,40}\))?\s*:?$"#)
    private static let weekdaySection = Pattern(#"^(?:понедельник|вторник|среда|четверг|пятница|суббота)(?:\s*(?:[,–—-]|\()\s*(\d{1,2}\.\d{1,2}(?:\.\d{2,4})?|\d{1,2}\s+"# + Russian.monthPattern + #"(?:\s+\d{4})?)(?:\s*г\.?)?\)?)?\s*:?$"#)

    /// `ПОНЕДЕЛЬНИК`, `ЕЖЕМЕСЯЧНО`: a циклограмма's section of days, no line of its title.
    static func namesDaysOfASection(_ p: String) -> Bool {
        let rest = ListMarker.parse(p)?.rest ?? p
        return weekdaySection.matches(Russian.fold(rest)) || frequencySection.matches(Russian.fold(rest))
    }
    private static let dayHeading = Pattern(#"^(\d{1,2}\s+"# + Russian.monthPattern + #"\s+\d{4}(?:\s*(?:года|г\.?))?|\d{1,2}\.\d{1,2}\.\d{4}(?:\s*г\.?)?)\s*(?:\((?:понедельник|вторник|среда|четверг|пятница|суббота|воскресенье)\)\s*(?:[-–—]\s*[А-ЯЁ][^.;:]{0,80})?|[-–—]\s*[А-ЯЁ][^.;:]{0,80})$"#, caseSensitive: true)

    /// A group row of a plan table, as a line: one that is only a deadline (`Сентябрь`, `В течение учебного года`) or
    /// ends with one in parentheses (`Заседание № 1 (28 августа 2025 г.)`) introduces the rows under it, as a
    /// heading ending in `:` does (spec §1, §4 *a month of a plan*, *a meeting*).
    static func groupRow(_ text: String) -> String {
        guard !text.hasSuffix(":") else { return text }
        return text + (DeadlineParser.endsWithDeadline(text) || isBareDeadline(text) ? ":" : "")
    }

    /// A line that is only a month or two in the nominative, as a plan's month heading (`СЕНТЯБРЬ`, `Май – июнь`,
    /// `Октябрь 2025 г.`).
    static let monthHeading = Pattern("^" + Russian.nominativeMonthPattern + #"(?:\s*[-–—−]\s*"# + Russian.nominativeMonthPattern + #")?(?:\s+\d{4}(?:\s*(?:г\.?|года))?)?$"#)

    private static let bareDeadlineStart = Pattern(#"^\(?(?:(?:до|к|ко|не позднее|в течение|в срок до|с|по мере|постоянно|ежегодно|ежемесячно|ежеквартально|еженедельно|ежедневно|систематически|в|во|на постоянной|до конца|летом)(?![а-яё])|\d|[IVX]+(?:\s*[-–—]\s*[IVX]+)?\s+(?:квартал|полугоди)|январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр)"#)

    /// A paragraph that is only a deadline (`до 01.10.2020`, `2020-2021 уч. год`), as in a table's
    /// deadline column or a line after a task without the `Срок:` label.
    /// `words` bounds its length: a line of its own is short; a closing parenthesis may list months (`(сентябрь 2021 г.,
    /// январь 2022 г., апрель 2022 г.)`).
    static func isBareDeadline(_ p: String, words: Int = 8) -> Bool {
        guard p.count <= words * 15 / 2, !p.hasSuffix(":"), bareDeadlineStart.matches(p), Tasks.directiveVerb(in: p) == nil else { return false }
        // A numbered item of words (`1. Анализ результатов первого полугодия`) is an item, whatever period it names.
        if let rest = ListMarker.parse(p)?.rest, rest.first?.isLetter == true, !isBareDeadline(rest, words: words) { return false }
        return Russian.words(p).count <= words && DeadlineParser.parse(p, reference: Day(2000, 1, 1)) != nil
    }

    /// A question of minutes named by its topic: `Об организации горячего питания обучающихся`, `Разное`.
    private static let miscellany = Pattern(#"^(?:разное|текущие\s+вопросы)$"#)
    private static let questionTopic = Pattern(#"^(?:(?:о|об|обо)\s|разное$|текущие\s+вопросы$)"#)

    /// A section title without `:` — `I. Обновление содержания …`, `ЗАДАЧИ МУНИЦИПАЛЬНОГО УРОВНЯ`.
    static func isTitleLine(marker: ListMarker?, text: String) -> Bool {
        guard let last = text.last, !";!?,".contains(last), text.count <= 200 else { return false }
        if Tasks.directiveVerb(in: text) != nil { return false }
        // A numbered line all in capitals is a title even with a full stop (an agenda item of a protocol, `4. РАЗНОЕ.`).
        let capitals = text.filter(\.isLetter)
        if capitals.count >= 6, capitals.allSatisfy(\.isUppercase), marker?.isBullet != true, Russian.words(text).count <= 8 {
            return true
        }
        // `3. Разное.`, `4. Текущие вопросы.`: a question of minutes with nothing else to it.
        if case .arabic(depth: 1)? = marker?.style, last == ".", miscellany.matches(Russian.fold(String(text.dropLast()))) { return true }
        // A title may end in the dot of a year's abbreviation (`… до 1 декабря 2021 г.`), not in a full stop.
        if last == ".", !Pattern(#"\d\s*гг?\.$"#).matches(text) { return false }
        if let marker {
            // A question of minutes by its topic (`2. Об организации горячего питания обучающихся`, `5. Разное`).
            if case .arabic(depth: 1) = marker.style, last != ".", questionTopic.matches(Russian.fold(text)) { return true }
            // `3. Задачи на II полугодие 2025/2026 учебного года` over a list of its own: a section of a report.
            if case .arabic(depth: 1) = marker.style, last != ".", Russian.startsUppercase(text), tasksFor.matches(Russian.fold(text)) { return true }
            switch marker.style {
            case .roman(let depth): return depth == 0
            case .upperLetter: return true
            default: return false
            }
        }
        let letters = text.filter(\.isLetter)
        if letters.count >= 6 && letters.allSatisfy(\.isUppercase) { return true }
        let folded = Russian.fold(text)
        return Russian.startsUppercase(text) && (folded.hasPrefix("ключевые задачи") || tasksTitle.matches(folded))
    }

    /// `Руководителям образовательных организаций` on a line of its own, without the colon.
    static func isAddresseeLine(marker: ListMarker?, text: String) -> Bool {
        guard marker == nil || marker?.isBullet == false, let last = text.last, !".;!?,".contains(last),
              Russian.words(text).count <= 20, Tasks.directiveVerb(in: text) == nil,
              let lead = Addressees.leading(text) else { return false }
        return lead.rest.isEmpty
    }

    private static let aspectStart = Pattern(#"^(?:в|во|для|по|с|на|при|в части|в целях|в рамках|в сфере|в области|в целях|с целью|в условиях|по направлению)\s"#)

    /// A heading's deadline phrase (`Руководителям ОО в срок до 1 октября:`, `В течение 2021/2022 учебного года:`)
    /// and the heading's words without it. Only a heading that introduces a group carries a deadline for it.
    static func headingDeadline(_ text: String) -> (raw: String, rest: String)? {
        // In a heading that names tasks (`Задачи на 2024/2025 учебный год`) or is only that phrase, `на 2024/2025 учебный
        // год` / `на 2024 год` is when its tasks are due; elsewhere it says what a plan or a priority is for.
        let namesTasks = tasksTitle.matches(Russian.fold(text)) || Russian.fold(text).hasPrefix("на ")
        // (`… информирует о проведении в период с 1 по 12 декабря 2025 года мониторинга … и просит в срок до 28 ноября 2025
        // г.:`: the time of what it asks, after the asking verb, not of what it tells before.)
        let asked = askingVerb.firstMatch(in: text).flatMap { DeadlineParser.find(in: String(text[$0.range.upperBound...]), reference: Day(2000, 1, 1))?.raw }
        // (`16 марта 2026 года (понедельник)`: the day without its weekday.)
        let day = trailingWeekday.replacing(in: text, with: "")
        let raw = asked ?? DeadlineParser.find(in: day, reference: Day(2000, 1, 1))?.raw ?? (namesTasks ? headingYear.firstMatch(in: text)?.text : nil)
            ?? (monthHeading.matches(Russian.fold(text)) ? text : nil)
            // (`I квартал:` over a plan's rows: a heading that is only a deadline.)
            ?? (Russian.words(day).count <= 4 && isBareDeadline(day) ? day : nil)
        guard let raw, let range = text.range(of: raw) else { return nil }
        let found = (raw: raw, ())
        var rest = text
        rest.removeSubrange(range)
        return (found.raw, ResolutionNormalizer.collapseSpaces(Substring(rest)).trimmingCharacters(in: CharacterSet(charactersIn: " ,")))
    }

    /// `… (понедельник)` ending a day's line.
    private static let trailingWeekday = Pattern(#"\s*\(\s*(?:[Пп]онедельник|[Вв]торник|[Сс]реда|[Чч]етверг|[Пп]ятница|[Сс]уббота|[Вв]оскресенье)\s*\)\s*$"#)
    private static let askingVerb = Pattern(#"(?<![а-яё])(?:просит|просим|прошу|предлагает|предлагаем|предлагаю|поручает|поручаю)(?![а-яё])"#)

    /// Words of a section title that names the tasks under it (`II. Задачи, подлежащие исполнению до …`,
    /// `Поручения на 2024 год`, `Мероприятия, проводимые на постоянной основе`).
    /// A meeting, whose date is the date of its agenda's items: `Заседание № 2`, `Совещание руководителей ОО`.
    private static let meeting = Pattern(#"^(?:заседани|совещани|семинар|педсовет|педагогическ[а-яё]+ совет|собрани|конференци|сесси)[а-яё]*(?![а-яё])"#)

    private static let linkingPhrase = Pattern(#"^(?:в\s+связи\s+с\s+этим|в\s+этой\s+связи|кроме\s+того|дополнительно|также)\s*,?\s+"#)
    private static let tasksTitle = Pattern(#"^(?:задач|поручени|мероприяти)"#)
    private static let tasksFor = Pattern(#"^(?:основные\s+)?задачи\s+(?:на|в)\s"#)
    /// A verb in the past (`решались`, `ставились`, `были поставлены`): a heading that tells what was done.
    private static let doneList = Pattern(#"(?<![а-яё])(?:проведен[аоы]?|организован[аоы]?|выполнен[аоы]?|реализован[аоы]?|утвержден[аоы]?|состоял[аио]сь|прошл[аио]?)\s+(?:[а-яё]+\s+){0,3}?следующ"#)
    private static let toldInThePast = Pattern(#"(?<![а-яё])(?:[а-яё]{3,}(?:лись|лась|лось)|были|была|был|(?:реша|стави|выполня|реализовыва|стоя)л[аи]?)(?![а-яё])"#)

    /// (`Задачи на II полугодие 2025/2026 учебного года`: a half of a school year too.)
    private static let headingYear = Pattern(#"(?<![а-яё])на\s+(?:(?:ii|i|[12]|перв[а-яё]*|втор[а-яё]*)\s+полугодие\s+)?\d{4}(?:\s*[-–—/]\s*(?:\d{4}|\d{2}))?\s*(?:уч\.?|учебн[а-яё]*)?\s*(?:г\.|год[а]?(?![а-яё]))"#)

    static func heading(marker: ListMarker?, text: String, introduces: Bool) -> Heading {
        // A title without `:` carries a deadline only when it names the tasks under it.
        guard introduces || tasksTitle.matches(Russian.fold(text)), let d = headingDeadline(text) else {
            return plainHeading(marker: marker, text: text, introduces: introduces)
        }
        var h = plainHeading(marker: marker, text: d.rest, introduces: introduces)
        h.text = text
        // A heading that describes (`Считать приоритетными направлениями на 2021-2022 учебный год:`) sets no
        // deadline; one that names who acts, assigns work, states an aim or is only a deadline does.
        // A meeting's heading (`Заседание № 1 (28 августа 2025 г.):`) dates the agenda under it.
        h.isMeeting = introduces && meeting.matches(Russian.fold(d.rest))
        // (`3.3. Информационная работа (в течение 2025/2026 учебного года):`: a title's deadline in parentheses is its items'.)
        // (Not a narrative's days ending in a list's lead: `… неделя открытых уроков (17–21 февраля 2025 г.). Педагоги школы
        // приняли участие в конкурсах:`.)
        // (Labelled too: `(срок – в течение 2025/2026 учебного года)`, `(сроки: сентябрь – октябрь 2025 г.)`.)
        let inParentheses = introduces && text.count <= 150 && !text.contains(". ") && text.range(of: d.raw).map { r in
            let before = text[..<r.lowerBound], after = text[r.upperBound...]
            guard let open = before.lastIndex(of: "("), !before[open...].contains(")"), let close = after.firstIndex(of: ")") else { return false }
            let label = Russian.fold(before[before.index(after: open)...]).trimmingCharacters(in: CharacterSet(charactersIn: " :–—-"))
            return (label.isEmpty || label == "срок" || label == "сроки") && after[..<close].trimmingCharacters(in: .whitespaces).isEmpty
        } ?? false
        // (`16 марта 2026 года (понедельник)`: a day with its weekday is only a deadline.)
        let onlyDeadline = d.rest.isEmpty || trailingWeekday.replacing(in: d.rest, with: "").isEmpty
        if onlyDeadline || h.directive || h.key == "aspect" || !introduces && !toldInThePast.matches(Russian.fold(text)) || h.isMeeting || inParentheses
            || introduces && askingVerb.matches(Russian.fold(d.rest)) {
            h.deadline = d.raw
            if onlyDeadline { h.key = "deadline" }
        }
        return h
    }

    /// `Министерство образования … просит:`: the body that speaks, before what it asks; not who acts.
    private static let speaksVerbs: Set<String> = ["просит", "просим", "прошу", "предлагает", "предлагаем", "рекомендует", "рекомендуем",
                                                   "сообщает", "информирует", "напоминает", "направляет", "обращает", "считает",
                                                   "постановляет", "решила", "решил", "решили", "постановила", "постановил"]

    static func plainHeading(marker: ListMarker?, text: String, introduces: Bool) -> Heading {
        let folded = Russian.fold(text)
        var addressees: [String] = []
        var key = "other"
        // `2. АНАЛИЗ ОБРАЗОВАТЕЛЬНОЙ ДЕЯТЕЛЬНОСТИ`: a title in capitals is read for its words, not as abbreviations.
        let inCapitals = text == text.uppercased() && Russian.words(text).filter { $0.count >= 4 }.count >= 2
        // `ПЛАН мероприятий по повышению … общеобразовательных организаций`: a document's title names no addressee.
        let titled = Header.headingNouns.contains(Russian.words(folded).first ?? "")
        let namesBodies = !titled && (!inCapitals || Addressees.leading(text.prefix(1) + text.dropFirst().lowercased()) != nil)
        // `Для достижения цели … решались следующие задачи:` tells what was done.
        // `В рамках месячника проведены следующие мероприятия:`, `… утверждено следующее расписание …:` tell what was done
        // or set; what follows is no task either.
        let told = folded.contains("задач") && toldInThePast.matches(folded) || doneList.matches(folded)
        // `В связи с этим руководителям ОО:`: a linking phrase before the addressee.
        let unlinked = linkingPhrase.firstMatch(in: text).map { String(text[$0.range.upperBound...]) }
        if text.isEmpty { key = "deadline" } else if told, !folded.contains("задач") {
            key = "told"
        } else if namesBodies, let lead = Addressees.leading(text) ?? Addressees.afterFiniteAssigningVerb(text)
                                                                        ?? unlinked.flatMap(Addressees.leading) {
            addressees = lead.addressees
            key = "addressee"
        } else if !told, folded.contains("задач") || folded.contains("уровн") {
            key = "tasks"
        } else if introduces, namesBodies, !aspectStart.matches(folded), Russian.words(text).count <= 10, Tasks.directiveVerb(in: text) == nil,
                  Levels.ofBody(text) != nil, ListMarker.parse(text) == nil, !Tasks.vocative.matches(text),
                  // A body named, not a statement naming it (`Диагностика проводится в муниципальных образованиях в
                  // следующие сроки:`).
                  !Russian.words(folded).contains(where: { $0.hasSuffix("тся") }),
                  !speaksVerbs.contains(Russian.words(folded).last ?? "") {
            // A body named in the nominative: `Образовательные организации:`.
            addressees = Addressees.split(text)
            key = "addressee"
        } else if told {
            key = "told"
        } else if aspectStart.matches(folded) {
            key = "aspect"
        } else if let first = Russian.words(folded).first {
            key = "other:" + first
        }
        let verb = Tasks.directiveVerb(in: text)
        let directive = verb != nil || !addressees.isEmpty || folded.contains("задач") && !told
            || Addressees.assigningVerbs.contains(Russian.words(folded).first ?? "")
        // `Для образовательных организаций:` names who acts without being an addressee line.
        var level = Levels.ofWords(text)
        if level == nil, addressees.isEmpty, folded.hasPrefix("для ") { level = Levels.ofBody(String(folded.dropFirst(4))) }
        return Heading(marker: marker, text: text, introduces: introduces, addressees: addressees,
                       directive: directive, key: key, level: level)
    }
}
