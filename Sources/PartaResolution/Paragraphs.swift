/// Logical paragraphs of a normalised text.
///
/// Blank lines always separate paragraphs. Inside a block of consecutive lines (a PDF's hard-wrapped
/// text, or a file with one paragraph per line and no blank lines) a line break starts a new paragraph
/// when the next line is a list item, a `Срок:`/`Ответственные:` line or a heading, when the line before
/// ends in `:` or `;`, ends a sentence before a capital, or is clearly shorter than the block's wrap width;
/// otherwise the lines are one wrapped paragraph and are joined by a space.
enum Paragraphs {
    /// (After a lower-case noun, not a name's adjective: `организаций города`, not `Шилкинского района`, `муниципального района`.)
    private static let personInParentheses = Pattern(#"^\([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.\)"#, caseSensitive: true)
    private static let awaitsAName = Pattern(#"(?:^|\s)[а-яё]+(?<!ого|его|ской|цкой)\s+(?:города|г\.|района|округа|области|края|республики|поселка|посёлка|села|имени|им\.)$"#, caseSensitive: true)

    static func split(_ normalized: String) -> [String] {
        (try? split(normalized, budget: .unlimited())) ?? []
    }

    /// ``split(_:)`` under a budget: a paragraph longer than ``ResolutionLimits/maxParagraphCharacters``
    /// is refused, and the time limit is checked as paragraphs go by.
    static func split(_ normalized: String, budget: Budget) throws -> [String] {
        let lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        // The wrap width of the whole text: most wrapped lines are about as long as the longest ones.
        let lengths = lines.map(\.count).filter { $0 > 0 }.sorted()
        let width = lengths.count >= 8 ? lengths[lengths.count * 9 / 10] : nil
        var paragraphs: [String] = []
        var block: [String] = []
        func flush() throws {
            if !block.isEmpty {
                for p in try unwrap(block, wrapWidth: width, budget: budget) {
                    try budget.check()
                    paragraphs.append(contentsOf: splitAfterFormula(p))
                }
            }
            block = []
        }
        for line in lines {
            if line.isEmpty { try flush() } else { block.append(String(line)) }
        }
        try flush()
        return paragraphs
    }

    private static let inlineFormula = Pattern(#"(?:РЕШИЛ[АИО]?|ПОСТАНОВИЛ[АИО]?|ПОСТАНОВЛЯ[ЕЮ]Т|ПОСТАНОВЛЯЮ|ПРИКАЗЫВАЮ|РЕКОМЕНДУ[ЕЮ]Т|ПРЕДЛАГА[ЕЮ]Т|\b[Рр]ешил[аио]?|\b[Пп]остановил[аио]?)\s*:\s+(?=\S)"#, caseSensitive: true)

    /// `Конференция РЕШИЛА: 1. Обеспечить …` — the formula and the first item are two paragraphs.
    /// Iterative, one pass over the paragraph however many formulas it holds.
    static func splitAfterFormula(_ paragraph: String) -> [String] {
        var out: [String] = []
        var start = paragraph.startIndex
        while let m = inlineFormula.firstMatch(in: paragraph, from: start) {
            out.append(String(paragraph[start..<m.range.upperBound]).trimmingCharacters(in: .whitespaces))
            start = m.range.upperBound
        }
        out.append(String(paragraph[start...]))
        return out
    }

    /// A line that is a stage of a staged target: `до 1 декабря 2021 года — 80% …`.
    private static let stageLine = Pattern(#"^(?:до|к|не позднее)\s+\d{1,2}[\s.][^%]{0,40}?[-–—]\s*(?:не\s+(?:менее|ниже)\s+)?\d+(?:[.,]\d+)?\s*%"#)

    private static let labelStart = Pattern(#"^\(?(?:срок[иа]?(?![а-яё])|ответственн|исполнител)"#)
    /// A label in lower case that names itself as one (`срок – до …`, `ответственные: …`); without a
    /// separator it is a word of the sentence wrapped onto the line (`… в двухнедельный` | `срок;`).
    private static let labelWithSeparator = Pattern(#"^\(?(?:срок[иа]?(?:\s+(?:исполнения|выполнения|реализации|проведения))?|ответственн[а-яё]*|исполнител[а-яё]*)\s*(?:[:–—-]|\s+до\s)"#)

    /// A `Срок:`/`Ответственные:` line: the label in capitals, or followed by its separator.
    static func isLabelLine(_ line: String) -> Bool {
        guard labelStart.matches(line) else { return false }
        let body = line.hasPrefix("(") ? String(line.dropFirst()) : line
        return Russian.startsUppercase(body) || labelWithSeparator.matches(line)
    }

    /// Joins a block's wrapped lines into paragraphs. A paragraph growing past
    /// ``ResolutionLimits/maxParagraphCharacters`` is refused as soon as it does, and the time limit is
    /// checked as lines go by, so a block of a million short lines costs no more than its first paragraph.
    static func unwrap(_ lines: [String], wrapWidth: Int?, budget: Budget = .unlimited()) throws -> [String] {
        guard lines.count > 1 else {
            try lines.forEach { try budget.checkParagraph($0) }
            return lines
        }
        let limit = budget.limits.maxParagraphCharacters
        var out: [String] = []
        var current = lines[0]
        var length = current.unicodeScalars.count
        // Quotes opened and not closed in the paragraph so far, kept as lines are added.
        func balance(_ s: String) -> Int { s.reduce(0) { $0 + ($1 == "«" ? 1 : $1 == "»" ? -1 : 0) } }
        var open = balance(current)
        for (previous, line) in zip(lines, lines.dropFirst()) {
            try budget.tick()
            if length > limit { throw budget.refuse(.paragraphTooLong(limit: limit)) }
            if startsNewParagraph(after: previous, line: line, wrapWidth: wrapWidth, insideQuotes: open > 0) {
                out.append(current)
                current = line
                length = line.unicodeScalars.count
                open = balance(line)
            } else {
                current += " " + line
                length += 1 + line.unicodeScalars.count
                open += balance(line)
            }
        }
        if length > limit { throw budget.refuse(.paragraphTooLong(limit: limit)) }
        out.append(current)
        return out
    }

    /// An upper-case line that can be a heading: not an abbreviation ending a list item or a sentence wrapped
    /// onto it (`ФГОС;`, `ФГОС.`).
    static func isUpperCaseHeading(_ line: String) -> Bool {
        let letters = line.filter(\.isLetter)
        guard let last = line.last, !";,".contains(last) else { return false }
        if last == ".", Russian.words(line).count == 1 { return false }
        return line.count <= 60 && letters.count >= 4 && letters.allSatisfy(\.isUppercase)
    }

    private static let addressAbbreviations: Set<String> = ["д", "ул", "с", "пос", "п", "им", "корп", "стр", "каб", "кв", "пр", "пер", "мкр", "оф", "пр-т"]
    private static let labelOnly = Pattern(#"^срок[иа]?\s*:$"#)
    private static let eventAnnounced = Pattern(#"(?<![а-яё])(?:состоится|состоятся|пройд[её]т|пройдут)\s*:$"#)
    private static let dateFirst = Pattern(#"^\d{1,2}(?:\s+"# + Russian.monthPattern + #"(?![а-яё])|\.\d{1,2}\.)"#)
    private static let greeting = Pattern(#"^(?:Уважаем(?:ые|ый|ая)|Дорогие)\s+[А-ЯЁа-яё]"#, caseSensitive: true)

    private static let subjectStart = Pattern(#"^Об?\s+[а-яё]"#, caseSensitive: true)

    private static let dateLine = Pattern(#"^(?:«?\d{1,2}»?\s+"# + Russian.monthPattern + #"|\d{1,2}\.\d{1,2}\.)\s*\d{4}\s*(?:г\.?|года)?$"#)

    static func isMonthLine(_ line: String) -> Bool {
        line.count <= 40 && Structure.monthHeading.matches(Russian.fold(line.hasSuffix(":") ? String(line.dropLast()) : line))
    }

    /// A line that is only a date (`26 августа 2021 года`, `26.08.2021 г.`): a heading line of its own.
    static func isDateLine(_ line: String) -> Bool { line.count <= 40 && dateLine.matches(line) }

    /// `… в III` | `– IV кварталах 2022 года`: a range of quarters or halves cut at its dash.
    private static let romanAtEnd = Pattern(#"(?<![А-ЯЁA-Za-zа-яё])[IVX]{1,4}$"#, caseSensitive: true)
    private static let romanPeriodRest = Pattern(#"^[IVX]{1,4}\s+(?:квартал|полугоди)"#, caseSensitive: true)

    private static func balance(_ s: Substring) -> Int { s.reduce(0) { $0 + ($1 == "«" ? 1 : $1 == "»" ? -1 : 0) } }

    static func startsNewParagraph(after previous: String, line: String, wrapWidth: Int?, insideQuotes: Bool = false) -> Bool {
        // `… в` | `срок до 15 октября`: a line cut after a preposition goes on, even into a label's word.
        if let lastWord = Russian.words(previous).last, previous.last?.isLetter == true,
           ResolutionNormalizer.dateLead.contains(Russian.fold(lastWord)), ListMarker.parse(line) == nil { return false }
        // `… ул. Школьная, д.` | `9);`: a line cut after an address's abbreviation goes on.
        if previous.hasSuffix("."), case let lastWord = String(previous.dropLast().reversed().prefix { $0.isLetter }.reversed()),
           !lastWord.isEmpty, lastWord == lastWord.lowercased(), addressAbbreviations.contains(Russian.fold(lastWord)),
           ListMarker.parse(line) == nil { return false }
        // A stage of a staged target goes on from the stage before (`… — 65%;` | `до 1 декабря — 80%`).
        if stageLine.matches(line), previous.contains("%") { return false }
        // `… до 1 ноября 2021 года` | `- не менее 48% …`: a dash before lower case in mid-sentence is no bullet. (Under a
        // heading line, `Сентябрь` or `I. ЕЖЕДНЕВНО` | `- контроль посещаемости …;`, it is one.)
        if let last = previous.last, !".;:!?".contains(last), !isMonthLine(previous), !isUpperCaseHeading(previous),
           ListMarker.parse(previous).map({ !$0.marker.isRoman }) ?? true, let parsed = ListMarker.parse(line),
           case .bullet(let b) = parsed.marker.style, b == "-",
           Russian.startsLowercase(parsed.rest) || romanPeriodRest.matches(parsed.rest) && romanAtEnd.matches(previous) { return false }
        // `… (далее` | `– Оператор):`: a dash inside a parenthesis left open is no bullet.
        if let parsed = ListMarker.parse(line), parsed.marker.isBullet,
           previous.filter({ $0 == "(" }).count > previous.filter({ $0 == ")" }).count,
           let close = parsed.rest.firstIndex(of: ")"), !parsed.rest[..<close].contains("(") { return false }
        // `… устранить выявленные нарушения в следующие` | `сроки:`: the sentence's last word, not a label line.
        if Russian.startsLowercase(line), labelOnly.matches(line), !ResolutionNormalizer.endsSentence(previous), !";:".contains(previous.last ?? ".") {
            return false
        }
        // `№ п/п; Показатель; 2024; …`: a table's heading row starts a paragraph of its own.
        if line.hasPrefix("№ п/п") || line.hasPrefix("№ п.п") { return true }
        // `… Департамента образования` | `(Сафонова Е.В.):`: a person in parentheses goes on the body's line.
        if personInParentheses.matches(line) { return false }
        if isLabelLine(line) || ListMarker.parse(line) != nil { return true }
        // A letter's greeting (`Уважаемые коллеги!`) stands alone.
        if greeting.matches(line) { return true }
        // A post's title opening with a pictograph (`🍲 Мониторинг организации горячего питания`) stands alone.
        if let first = previous.unicodeScalars.first, first.value >= 0x2190, first.properties.isEmoji, previous.count <= 80,
           !ResolutionNormalizer.endsSentence(previous), !",".contains(previous.last ?? "."), Russian.startsUppercase(line) { return true }
        // `… МБОУ «СОШ № 3 г.` | `Энска» …`: a line that ends inside a quoted name goes on.
        if insideQuotes, line.contains("»") { return false }
        // `Семинар … состоится:` | `12 ноября 2025 г., 14:00, МБОУ СОШ № 4`: the event's day goes on its sentence.
        if eventAnnounced.matches(Russian.fold(previous)), dateFirst.matches(Russian.fold(line)) { return false }
        if isDateLine(previous) || isDateLine(line) { return true }
        // A letter's subject (`О мониторинге …`, `Об организации …`) after its address block: `О` in capitals does not
        // go on a sentence.
        if subjectStart.matches(line), !".,;:".contains(line.last ?? "."), !ResolutionNormalizer.endsSentence(previous) { return true }
        // A plan's month (`Сентябрь`, `ДЕКАБРЬ:`, a group row) stands alone, as does a line stating a term's or holidays'
        // days (`Зимние каникулы – с 29.12.2025 по 11.01.2026`).
        if isMonthLine(previous) || isMonthLine(line) || SchoolCalendar.states(line) { return true }
        // `Зимние каникулы – с 29.12.2025 по 11.01.2026.`: a line naming a period after a dash is a statement of its own.
        // A dash inside a quoted name (`«Учитель года – 2026».`) is the name's, not the statement's.
        if Russian.startsUppercase(line), line.hasSuffix("."), let dash = line.range(of: " – ", options: .backwards) ?? line.range(of: " - ", options: .backwards),
           balance(line[..<dash.lowerBound]) <= 0,
           Structure.isBareDeadline(String(line[dash.upperBound...].dropLast())) { return true }
        // A `Срок:`/`Ответственные:` line ends before a capital unless it ends in a comma (a list of bodies going on)
        // or inside parentheses (`Управление образования (Ершова` | `Л.М.), руководители ОО`), or the next line opens
        // them (`отдел образования` | `(Ершова Л.М.)`).
        if labelStart.matches(previous), Russian.startsUppercase(line), previous.last != ",", line.first != "(",
           previous.filter({ $0 == "(" }).count <= previous.filter({ $0 == ")" }).count { return true }
        // A numbered section title (`I. Обновление содержания образования`) ends its line when a capital follows.
        if Russian.startsUppercase(line), let parsed = ListMarker.parse(previous), parsed.marker.isRoman || parsed.marker.style == .upperLetter,
           Structure.isTitleLine(marker: parsed.marker, text: parsed.rest) { return true }
        guard let last = previous.last else { return true }
        // `… мероприятиями программы:` | `до 1 ноября — 65%, …`: a line cut at the margin after a colon goes on.
        if last == ":", let width = wrapWidth, width >= 40, previous.count >= width * 85 / 100,
           Russian.startsLowercase(line), !line.hasSuffix(":"), Tasks.directiveVerb(in: line) == nil,
           !Structure.isDecisionFormula(previous), Addressees.leading(line) == nil { return false }
        if !ResolutionNormalizer.endsSentence(previous), ResolutionNormalizer.continuesDate(previous, line) { return false }
        // `… (декабрь 2021 г.;` | `май 2022 г.).`: a `;` inside a parenthesis opened on the line, the next line closing it.
        if last == ";", Russian.startsLowercase(line), line.contains(")"),
           previous.filter({ $0 == "(" }).count > previous.filter({ $0 == ")" }).count { return false }
        if last == ":" || last == ";" { return true }
        let endsSentence = ResolutionNormalizer.endsSentence(previous) && last != ","
        if endsSentence && !Russian.startsLowercase(line) { return true }
        // `… обеспечить их анализ на заседаниях` | `ШМО.`: a sentence's last word or two wrapped onto the line.
        if last.isLetter, Russian.words(line).count <= 2, line.count <= 24, line.hasSuffix(".") || line.hasSuffix(";") { return false }
        // `… организаций города` | `Муравленко (далее – …):`: the name a place word awaits goes on its line, however short.
        if awaitsAName.matches(previous), Russian.startsUppercase(line) { return false }
        if let width = wrapWidth, width >= 40, !Russian.startsLowercase(line) {
            if previous.count < width * 7 / 10 { return true }
            // A heading or formula line ending in `:` after a line that stops short of the margin.
            if line.hasSuffix(":") && last != "," && previous.count < width * 85 / 100 { return true }
        }
        // An upper-case heading line (`РЕЗОЛЮЦИЯ`, `ИТОГОВАЯ РЕЗОЛЮЦИЯ`) stands alone.
        if isUpperCaseHeading(previous) || isUpperCaseHeading(line) { return true }
        return false
    }
}
