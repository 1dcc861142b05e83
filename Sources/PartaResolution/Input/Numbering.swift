import Foundation

/// Word's list numbering: formats per list and level, and the running counters.
struct Numbering {
    struct Level {
        var start = 1
        var format = "decimal"
        var text = "%1."
    }

    var abstractLevels: [String: [Int: Level]] = [:]
    var numToAbstract: [String: String] = [:]
    var counters: [String: [Int]] = [:]

    init(xml: [UInt8]) {
        var abstractID: String?, levelIndex: Int?, level = Level(), numID: String?
        var levels: [String: [Int: Level]] = [:]
        var map: [String: String] = [:]
        XMLScanner.scan(xml, tag: { tag in
            switch (tag.name, tag.closing) {
            case ("w:abstractNum", false): abstractID = tag.attributes["w:abstractNumId"]
            case ("w:abstractNum", true): abstractID = nil
            case ("w:lvl", false) where abstractID != nil:
                levelIndex = Int(tag.attributes["w:ilvl"] ?? "")
                level = Level()
            case ("w:lvl", true):
                if let a = abstractID, let l = levelIndex { levels[a, default: [:]][l] = level }
                levelIndex = nil
            case ("w:start", false) where levelIndex != nil: level.start = Int(tag.attributes["w:val"] ?? "1") ?? 1
            case ("w:numFmt", false) where levelIndex != nil: level.format = tag.attributes["w:val"] ?? "decimal"
            case ("w:lvlText", false) where levelIndex != nil: level.text = tag.attributes["w:val"] ?? ""
            case ("w:num", false): numID = tag.attributes["w:numId"]
            case ("w:num", true): numID = nil
            case ("w:abstractNumId", false): if let n = numID, let a = tag.attributes["w:val"] { map[n] = a }
            default: break
            }
        }, text: { _ in })
        abstractLevels = levels
        numToAbstract = map
    }

    /// The label Word shows for the next paragraph of list `numID` at `level` (`2.1.`, `а)`, `•`).
    mutating func label(numID: String, level: Int) -> String {
        guard numID != "0", let abstract = numToAbstract[numID], let levels = abstractLevels[abstract],
              let lvl = levels[level] else { return "" }
        var c = counters[numID] ?? [Int](repeating: 0, count: 10)
        guard level < c.count else { return "" }
        c[level] = c[level] == 0 ? lvl.start : c[level] + 1
        for deeper in (level + 1)..<c.count { c[deeper] = 0 }
        counters[numID] = c
        if lvl.format == "bullet" { return lvl.text == "-" || lvl.text == "–" || lvl.text == "—" ? "-" : "•" }
        if lvl.format == "none" { return "" }
        var out = lvl.text
        for k in stride(from: 9, through: 1, by: -1) where out.contains("%\(k)") {
            let l = levels[k - 1] ?? Level()
            let value = c[k - 1] == 0 ? l.start : c[k - 1]
            out = out.replacingOccurrences(of: "%\(k)", with: Numbering.format(value, l.format))
        }
        return out
    }

    static func format(_ n: Int, _ format: String) -> String {
        let russian = Array("абвгдежзиклмнопрстуфхцчшщэюя")
        switch format {
        case "lowerLetter": return n >= 1 ? String(Character(Unicode.Scalar(UInt8(96 + (n - 1) % 26 + 1)))) : ""
        case "upperLetter": return n >= 1 ? String(Character(Unicode.Scalar(UInt8(64 + (n - 1) % 26 + 1)))) : ""
        case "russianLower": return n >= 1 ? String(russian[(n - 1) % russian.count]) : ""
        case "russianUpper": return n >= 1 ? String(russian[(n - 1) % russian.count]).uppercased() : ""
        case "lowerRoman": return roman(n).lowercased()
        case "upperRoman": return roman(n)
        case "decimalZero": return n < 10 ? "0\(n)" : "\(n)"
        default: return "\(n)"
        }
    }

    static func roman(_ n: Int) -> String {
        let table = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var n = n, out = ""
        for (v, s) in table { while n >= v { out += s; n -= v } }
        return out
    }
}
