/// Word-level helpers for Russian text: infinitives, months, quotes, letter case.
enum Russian {
    /// Lower case with `ё` → `е`.
    static func fold(_ s: some StringProtocol) -> String {
        s.lowercased().replacingOccurrences(of: "ё", with: "е")
    }

    /// Cyrillic letters of the republics' own languages that Russian has not (Tatar, Bashkir, Chuvash, Yakut, Komi,
    /// Udmurt, Mari, Kabardian …): a letterhead's line in such a language (`Татарстан Республикасы Бөгелмә …`).
    private static let otherLanguageLetters = Set("әөүңҗһҡғҙҫӑӗӳҕҥӧӝӟӥӵӓӱӹӏӀӘӨҮҢҖҺҠҒҘҪӐӖӲҔҤӦӜӞӤӴӒӰӸ")

    /// Whether a line is written (partly) in another language of Russia: it has a letter Russian has not.
    static func isInAnotherLanguage(_ s: some StringProtocol) -> Bool {
        s.contains { otherLanguageLetters.contains($0) }
    }

    /// The words (runs of letters, digits, inner hyphens) of a text, in order.
    static func words(_ s: some StringProtocol) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in s {
            if ch.isLetter || ch.isNumber || (ch == "-" && !current.isEmpty) {
                current.append(ch)
            } else if !current.isEmpty {
                out.append(current.hasSuffix("-") ? String(current.dropLast()) : current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current.hasSuffix("-") ? String(current.dropLast()) : current) }
        return out
    }

    static func isCyrillic(_ ch: Character) -> Bool {
        guard let s = ch.unicodeScalars.first else { return false }
        return (0x0400...0x04FF).contains(s.value)
    }

    /// The first letter of the text is lower case (quotes, dashes and spaces before it are skipped).
    static func startsLowercase(_ s: some StringProtocol) -> Bool {
        guard let ch = s.first(where: { $0.isLetter || $0.isNumber }) else { return false }
        return ch.isLetter && ch.isLowercase
    }

    static func startsUppercase(_ s: some StringProtocol) -> Bool {
        guard let ch = s.first(where: { $0.isLetter || $0.isNumber }) else { return false }
        return ch.isUppercase
    }

    /// An abbreviation such as `МБОУ`, `ОО`, `ЦОКО`, `ИРО`: two or more letters, all upper case.
    static func isAbbreviation(_ w: String) -> Bool {
        let letters = w.filter(\.isLetter)
        return letters.count >= 2 && letters.allSatisfy(\.isUppercase)
    }

    /// `Р Е Ш И Л И:` → `РЕШИЛИ:`: runs of three or more single letters separated by single spaces are joined.
    static func joinLetterSpacing(_ s: String) -> String {
        let tokens = s.split(separator: " ", omittingEmptySubsequences: false)
        var out: [String] = []
        var run: [Substring] = []
        func flush() {
            if run.count >= 3 { out.append(run.joined()) } else { out.append(contentsOf: run.map(String.init)) }
            run = []
        }
        for t in tokens {
            let letters = t.filter(\.isLetter)
            if letters.count == 1 && t.count <= 2 && t.first!.isLetter { run.append(t) } else { flush(); out.append(String(t)) }
        }
        flush()
        return out.joined(separator: " ")
    }

    // MARK: Infinitives

    /// Nouns and numerals that end like infinitives.
    private static let notInfinitives: Set<String> = [
        "часть", "власть", "сеть", "путь", "мать", "тетрадь", "память", "пять", "шесть", "девять", "десять",
        "двадцать", "тридцать", "треть", "четверть", "нить", "суть", "ртуть", "смерть", "печать", "кровать", "рать",
        "благодать", "знать", "опять", "плоть", "жуть", "муть", "речь", "ночь", "дочь", "печь", "сечь", "мощь",
        "скорость", "связь", "грусть", "радость", "пусть", "мысль", "степь", "зелень", "тень", "лень", "роль",
        "ведомость", "есть", "пасть", "гать", "чуть",
    ]

    /// A Russian infinitive (`обеспечить`, `провести`, `достичь`, `реализоваться`), by its ending.
    static func isInfinitive(_ word: some StringProtocol) -> Bool {
        let w = fold(word)
        guard w.count >= 4, w.allSatisfy({ isCyrillic($0) || $0 == "-" }) else { return false }
        if notInfinitives.contains(w) { return false }
        if w.hasSuffix("ться") || w.hasSuffix("тись") || w.hasSuffix("чься") { return true }
        if w.hasSuffix("ть") {
            if w.hasSuffix("ость") || w.hasSuffix("сть") {
                // Nouns in -ость/-асть/-есть; a few verbs in -сть.
                return ["учесть", "прочесть", "счесть", "класть", "сесть", "попасть", "перечесть", "присесть"].contains(w)
            }
            if w.hasSuffix("уть") { return w.hasSuffix("нуть") }
            if w.hasSuffix("дцать") { return false }
            return true
        }
        if w.hasSuffix("ти") {
            // Verbs in -сти/-зти/-йти; not the oblique cases of -сть nouns (`области`, `деятельности`).
            if w.hasSuffix("йти") || w.hasSuffix("зти") || w.hasSuffix("идти") { return true }
            let stems = ["вести", "нести", "мести", "плести", "цвести", "грести", "трясти", "пасти", "расти", "обрести"]
            return stems.contains { w.hasSuffix($0) }
        }
        if w.hasSuffix("чь") {
            return w.hasSuffix("ечь") || w.hasSuffix("ичь") || w.hasSuffix("очь")
        }
        return false
    }

    /// Infinitives that do not assign work: agreement and assessment (spec §3).
    static let nonDirectiveVerbs: Set<String> = [
        "согласиться", "признать", "одобрить", "отметить", "приветствовать", "поблагодарить", "считать",
        "констатировать", "выразить", "заслушать",
    ]

    // MARK: Months

    /// Month number for a month word in any case (`сентября`, `сентябрь`, `сентябре`, `сент.`).
    static func month(_ word: some StringProtocol) -> Int? {
        let w = fold(word).trimmingCharacters(in: .init(charactersIn: "."))
        let stems = ["январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"]
        if ["май", "мая", "мае", "маю"].contains(w) { return 5 }
        if w == "мар" || w == "март" || w == "марта" || w == "марте" { return 3 }
        for (i, stem) in stems.enumerated() where i != 4 && i != 2 && w.hasPrefix(stem) && w.count <= stem.count + 2 { return i + 1 }
        let short = ["янв": 1, "фев": 2, "апр": 4, "июн": 6, "июл": 7, "авг": 8, "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12]
        return short[w]
    }

    static let genitiveMonths = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]
    static let nominativeMonths = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"]

    /// ICU alternation matching a month word in the nominative, as a plan names it (`сентябрь`).
    static let nominativeMonthPattern = "(?:" + nominativeMonths.joined(separator: "|") + ")"

    /// ICU alternation matching a month word in any case.
    static let monthPattern = "(?:январ[ьяею]|феврал[ьяею]|марта?|марте|апрел[ьяею]|ма[йяею]|июн[ьяею]|июл[ьяею]|августа?|августе|сентябр[ьяею]|октябр[ьяею]|ноябр[ьяею]|декабр[ьяею])"

    /// A day of the month in words, as an ordinal in the genitive or dative: `пятнадцатого`, `двадцать первого`,
    /// `первому` (`до пятнадцатого октября`, `к первому сентября`).
    static let ordinalDayPattern = "(?:(?:двадцать|тридцать)\\s+)?(?:перв|втор|трет|четверт|пят|шест|седьм|восьм|девят|десят|одиннадцат|двенадцат|тринадцат|четырнадцат|пятнадцат|шестнадцат|семнадцат|восемнадцат|девятнадцат|двадцат|тридцат)(?:ого|ому|ьего|ьему)"

    /// The day an ordinal in words names (`двадцать первого` → 21), or nil.
    static func ordinalDay(_ phrase: some StringProtocol) -> Int? {
        let stems: [(String, Int)] = [("одиннадцат", 11), ("двенадцат", 12), ("тринадцат", 13), ("четырнадцат", 14), ("пятнадцат", 15),
                                      ("шестнадцат", 16), ("семнадцат", 17), ("восемнадцат", 18), ("девятнадцат", 19), ("двадцат", 20),
                                      ("тридцат", 30), ("перв", 1), ("втор", 2), ("трет", 3), ("четверт", 4), ("пят", 5), ("шест", 6),
                                      ("седьм", 7), ("восьм", 8), ("девят", 9), ("десят", 10)]
        let w = words(fold(phrase))
        guard let last = w.last, let unit = stems.first(where: { last.hasPrefix($0.0) })?.1 else { return nil }
        let tens = w.count >= 2 ? (w[w.count - 2] == "двадцать" ? 20 : w[w.count - 2] == "тридцать" ? 30 : 0) : 0
        let day = tens + unit
        return (1...31).contains(day) ? day : nil
    }

    // MARK: Quotes

    /// The ranges (as character offsets) strictly inside balanced quotes `«…»`, `„…“`, `“…”`, `"…"`, nested or not.
    static func quotedSpans(_ chars: [Character], parentheses: Bool = false) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var stack: [(start: Int, closers: Set<Character>)] = []
        for (i, ch) in chars.enumerated() {
            if let top = stack.last, top.closers.contains(ch) {
                stack.removeLast()
                spans.append((top.start + 1)..<i)
                continue
            }
            switch ch {
            case "«": stack.append((i, ["»"]))
            case "„": stack.append((i, ["“", "”"]))
            case "“": stack.append((i, ["”"]))
            case "\"":
                stack.append((i, ["\""]))
            case "(" where parentheses: stack.append((i, [")"]))
            default: break
            }
        }
        return spans
    }

    /// The text with everything inside balanced quotes (and parentheses, if asked) replaced by `·`,
    /// character for character, so offsets stay the same.
    /// Linear however deeply the quotes nest: the spans are marked by their ends, then summed in one pass.
    static func maskQuoted(_ s: String, parentheses: Bool = false) -> String {
        var chars = Array(s)
        var opened = [Int](repeating: 0, count: chars.count + 1)
        for span in quotedSpans(chars, parentheses: parentheses) where !span.isEmpty {
            opened[span.lowerBound] += 1
            opened[span.upperBound] -= 1
        }
        var depth = 0
        for i in chars.indices {
            depth += opened[i]
            if depth > 0 { chars[i] = "·" }
        }
        return String(chars)
    }
}
