import Foundation

/// Finding a deadline phrase inside a task's sentence (`… к 1 сентября 2021 года`, `… в 2023 г.`).
extension DeadlineParser {
    private static let dash = "[-–—−]"
    private static let numeric = #"\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})(?![\d])(?:\s*(?:г\.?|года)(?![а-яё]))?"#
    private static let textual = #"\d{1,2}\s+"# + Russian.monthPattern + #"(?![а-яё])(?:\s+\d{4}(?:\s*(?:г\.?|года)(?![а-яё]))?)?"#
    private static let date = "(?:\(numeric)|\(textual))"
    private static let yearWord = #"(?:г\.?|гг\.?|года|году|год)(?![а-яё])"#

    /// Deadline phrases, strongest first. Matched case-insensitively on the sentence with quoted names masked.
    private static let phrases: [Pattern] = [
        // с 01.09.2020 по 31.12.2020
        Pattern(#"(?<![а-яё])с\s+"# + date + #"\s*(?:по|до|"# + dash + #")\s*"# + date),
        // до / к / не позднее / в срок до + date
        Pattern(#"(?<![а-яё])(?:не\s+позднее|не\s+позже|в\s+срок\s+до|до|к)\s+"# + date),
        // academic years and year ranges
        Pattern(#"(?<![а-яё])(?:в\s+течение|в|на\s+протяжении|до\s+конца|к\s+концу)\s+\d{4}\s*[-–—−/]\s*(?:\d{4}|\d{2})(?!\d)\s*(?:уч\.?|учебн[а-яё]*)?\s*(?:г\.?|гг\.?|год[а-яё]*)(?![а-яё])"#),
        // until the end of a month, quarter, half
        Pattern(#"(?<![а-яё])(?:до\s+конца|к\s+концу|в\s+течение|в|до)\s+(?:iv|i{1,3}|[1-4]|перв[а-яё]*|втор[а-яё]*|трет[а-яё]*|четверт[а-яё]*)\s*(?:-?[а-яё]{1,2}\s+)?(?:квартал|полугоди)[а-яё]*(?:\s+\d{4}(?:\s*"# + yearWord + ")?)?"),
        Pattern(#"(?<![а-яё])(?:до\s+конца|к\s+концу|в\s+течение|в|до)\s+"# + Russian.monthPattern + #"(?:\s*[-–—−]\s*"# + Russian.monthPattern + #")?(?![а-яё])\s+\d{4}(?:\s*"# + yearWord + ")?"),
        // years
        Pattern(#"(?<![а-яё])(?:в\s+течение|в|до\s+конца|к\s+концу|до|к|не\s+позднее)\s+\d{4}(?![\d.])\s*"# + yearWord),
        // relative to the document
        Pattern(#"(?<![а-яё])(?:в\s+течение\s+(?:всего\s+)?(?:текущего\s+|следующего\s+)?(?:учебного\s+|календарного\s+)?(?:года|месяца|квартала|полугодия)|до\s+конца\s+(?:текущего\s+|этого\s+)?(?:учебного\s+|календарного\s+)?года|к\s+концу\s+(?:текущего\s+)?(?:учебного\s+)?года|в\s+(?:текущем|следующем|новом)\s+учебном\s+году|в\s+текущем\s+году)(?![а-яё])"#),
        // recurrences
        Pattern(#"(?<![а-яё])(?:еженедельно|ежемесячно|ежеквартально|ежегодно|постоянно|систематически|регулярно|на\s+(?:постоянной|регулярной|системной)\s+основе|в\s+постоянном\s+режиме|раз\s+в\s+(?:неделю|месяц|квартал|полугодие|год)|(?:два|2)\s+раза\s+в\s+год)(?![а-яё])"#),
    ]

    /// Words just before a phrase that make it a horizon or a name, not a deadline (`на период до 2030 года`).
    private static let horizon = Pattern(#"(?:период|перспектив[а-яё]*|от|№|стратеги[а-яё]*)\s*$"#)

    /// `до 1 декабря 2021 года — 50% обучающихся, до 1 июня 2022 года — 80%` from `start` to the end of the
    /// clause: staged when every stage has a numeric target.
    static func stagedTargets(in masked: String, from start: String.Index, reference: Day?) -> DeadlineText? {
        var tail = String(masked[start...])
        if let semicolon = tail.firstIndex(of: ";") { tail = String(tail[..<semicolon]) }
        tail = tail.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
        guard case .staged(let stages)? = parse(tail, reference: reference), stages.count >= 2,
              stages.allSatisfy({ $0.target.contains(where: \.isNumber) || $0.target.contains("%") }) else { return nil }
        return DeadlineText(raw: tail, deadline: .staged(stages))
    }

    static func find(in sentence: String, reference: Day?) -> DeadlineText? {
        let masked = Russian.maskQuoted(sentence)
        for pattern in phrases {
            for m in pattern.matches(in: masked) {
                let before = masked[..<m.range.lowerBound].suffix(30)
                if horizon.matches(String(before)) { continue }
                let after = masked[m.range.upperBound...].prefix(6)
                if after.contains("№") { continue }
                let raw = m.text.trimmingCharacters(in: .whitespaces)
                if let staged = stagedTargets(in: masked, from: m.range.lowerBound, reference: reference) { return staged }
                if let d = parse(raw, reference: reference) { return DeadlineText(raw: raw, deadline: d) }
            }
        }
        return nil
    }
}
