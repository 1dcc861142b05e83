import Foundation

/// Word's list numbering: formats per list and level, and the running counters.
///
/// Every number a document supplies is bounded before use: levels outside Word's `0...8` are ignored
/// (a paragraph's level is clamped into that range), starts and counters stay in ``counterRange``
/// (a counter at the top stays there), and ``format(_:_:)`` renders any `Int` without trapping or
/// looping more than a few dozen times. A level's text longer than ``maxLevelText`` is ignored, so a
/// label can never be longer than a few hundred characters.
struct Numbering {
    /// Word's list levels.
    static let levels = 0...8
    /// Starts and counters: Word's own maximum start is 32767.
    static let counterRange = 0...100_000
    /// The longest `w:lvlText` used (Word writes a few characters: `%1.%2.`).
    static let maxLevelText = 64

    struct Level {
        var start = 1
        var format = "decimal"
        var text = "%1."
    }

    var abstractLevels: [String: [Int: Level]] = [:]
    var numToAbstract: [String: String] = [:]
    /// Per list, the current value at each level; nil until the level is first used (or after a
    /// higher level moved on).
    var counters: [String: [Int?]] = [:]

    /// A number attribute clamped into `range`; nil when it is not a number at all.
    static func clamped(_ attribute: String?, to range: ClosedRange<Int>) -> Int? {
        guard let a = attribute?.trimmingCharacters(in: .whitespaces), !a.isEmpty else { return nil }
        if let v = Int(a) { return min(max(v, range.lowerBound), range.upperBound) }
        // Digits beyond Int's range: the nearest end.
        let digits = a.drop { $0 == "-" || $0 == "+" }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return a.hasPrefix("-") ? range.lowerBound : range.upperBound
    }

    init(xml: [UInt8], budget: Budget) throws {
        var abstractID: String?, levelIndex: Int?, level = Level(), numID: String?
        var levels: [String: [Int: Level]] = [:]
        var map: [String: String] = [:]
        try XMLScanner.scan(xml, budget: budget, tag: { tag in
            switch (tag.name, tag.closing) {
            case ("w:abstractNum", false): abstractID = tag.attributes["w:abstractNumId"]
            case ("w:abstractNum", true): abstractID = nil
            case ("w:lvl", false) where abstractID != nil:
                // A level outside 0...8 is not Word's: ignored.
                levelIndex = Int(tag.attributes["w:ilvl"] ?? "").flatMap { Numbering.levels.contains($0) ? $0 : nil }
                level = Level()
            case ("w:lvl", true):
                if let a = abstractID, let l = levelIndex { levels[a, default: [:]][l] = level }
                levelIndex = nil
            case ("w:start", false) where levelIndex != nil:
                level.start = Numbering.clamped(tag.attributes["w:val"], to: Numbering.counterRange) ?? 1
            case ("w:numFmt", false) where levelIndex != nil: level.format = tag.attributes["w:val"] ?? "decimal"
            case ("w:lvlText", false) where levelIndex != nil:
                let text = tag.attributes["w:val"] ?? ""
                level.text = text.count <= Numbering.maxLevelText ? text : ""
            case ("w:num", false): numID = tag.attributes["w:numId"]
            case ("w:num", true): numID = nil
            case ("w:abstractNumId", false): if let n = numID, let a = tag.attributes["w:val"] { map[n] = a }
            default: break
            }
        }, text: { _ in })
        abstractLevels = levels
        numToAbstract = map
    }

    /// The label Word shows for the next paragraph of list `numID` at `level` (`2.1.`, `а)`, `•`); empty for
    /// an unknown list or level. `level` is clamped into ``levels``.
    mutating func label(numID: String, level: Int) -> String {
        let level = min(max(level, Numbering.levels.lowerBound), Numbering.levels.upperBound)
        guard numID != "0", let abstract = numToAbstract[numID], let levels = abstractLevels[abstract],
              let lvl = levels[level] else { return "" }
        var c = counters[numID] ?? [Int?](repeating: nil, count: Numbering.levels.count)
        c[level] = c[level].map { min($0 + 1, Numbering.counterRange.upperBound) } ?? lvl.start
        for deeper in (level + 1)..<c.count { c[deeper] = nil }
        counters[numID] = c
        if lvl.format == "bullet" { return lvl.text == "-" || lvl.text == "–" || lvl.text == "—" ? "-" : "•" }
        if lvl.format == "none" { return "" }
        var out = lvl.text
        for k in stride(from: 9, through: 1, by: -1) where out.contains("%\(k)") {
            let l = levels[k - 1] ?? Level()
            out = out.replacingOccurrences(of: "%\(k)", with: Numbering.format(c[k - 1] ?? l.start, l.format))
        }
        return out
    }

    /// `n` as Word prints it in `format`. Letters wrap after 26 (Russian: 28); letters and roman numerals
    /// of values below 1 are empty; roman numerals above 3999 are written in digits. Never traps.
    static func format(_ n: Int, _ format: String) -> String {
        let russian = Array("абвгдежзиклмнопрстуфхцчшщэюя")
        switch format {
        case "lowerLetter": return n >= 1 ? String(Character(Unicode.Scalar(UInt8(96 + (n - 1) % 26 + 1)))) : ""
        case "upperLetter": return n >= 1 ? String(Character(Unicode.Scalar(UInt8(64 + (n - 1) % 26 + 1)))) : ""
        case "russianLower": return n >= 1 ? String(russian[(n - 1) % russian.count]) : ""
        case "russianUpper": return n >= 1 ? String(russian[(n - 1) % russian.count]).uppercased() : ""
        case "lowerRoman": return roman(n).lowercased()
        case "upperRoman": return roman(n)
        case "decimalZero": return (0..<10).contains(n) ? "0\(n)" : "\(n)"
        default: return "\(n)"
        }
    }

    /// Roman numerals for 1...3999 (at most 15 symbols); empty below 1, digits above 3999.
    static func roman(_ n: Int) -> String {
        guard n >= 1 else { return "" }
        guard n <= 3999 else { return "\(n)" }
        let table = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var n = n, out = ""
        for (v, s) in table { while n >= v { out += s; n -= v } }
        return out
    }
}
