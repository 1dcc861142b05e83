import Foundation

/// The text of a `.docx`: paragraphs of `word/document.xml` (`<w:p>`), their runs' text (`<w:t>`), tabs and
/// line breaks; list numbers that Word generates (`<w:numPr>` with `word/numbering.xml`) are written in front
/// of their paragraphs, as they appear on the page. Paragraphs are separated by blank lines. A table row
/// becomes one paragraph; when the header row names a deadline or responsible column (`Срок`,
/// `Ответственные`), those cells follow the row as `Срок: …` and `Ответственные: …` lines.
enum Docx {
    static func text(from bytes: [UInt8], file: String) throws -> String {
        let entries: [Zip.Entry]
        do { entries = try Zip.entries(bytes) } catch let f as Zip.Failure { throw ResolutionError.damaged(file, f.reason) }
        guard let document = entries.first(where: { $0.name == "word/document.xml" }) else {
            throw ResolutionError.unknownFormat(file, "a ZIP archive without word/document.xml", "ZIP-архив без word/document.xml")
        }
        do {
            let xml = try Zip.extract(document, from: bytes)
            var numbering: Numbering?
            if let n = entries.first(where: { $0.name == "word/numbering.xml" }) {
                numbering = Numbering(xml: try Zip.extract(n, from: bytes))
            }
            return paragraphs(xml: xml, numbering: numbering).joined(separator: "\n\n")
        } catch let f as Zip.Failure {
            throw ResolutionError.damaged(file, f.reason)
        }
    }

    static func paragraphs(xml: [UInt8], numbering: Numbering?) -> [String] {
        var numbering = numbering
        var paragraphs: [String] = []
        var current = ""
        var inText = false, inParagraphProperties = false, fallbackDepth = 0
        var numID: String?, level = 0
        // Open tables, innermost last: rows of cells of paragraphs.
        var tables: [[[[String]]]] = []
        func emit(_ paragraph: String) {
            if tables.isEmpty {
                paragraphs.append(paragraph)
            } else if var table = tables.popLast() {
                if table.isEmpty { table.append([]) }
                if table[table.count - 1].isEmpty { table[table.count - 1].append([]) }
                table[table.count - 1][table[table.count - 1].count - 1].append(paragraph)
                tables.append(table)
            }
        }
        XMLScanner.scan(xml, tag: { tag in
            if tag.name == "mc:Fallback" {
                if !tag.selfClosing { fallbackDepth += tag.closing ? -1 : 1 }
                return
            }
            guard fallbackDepth == 0 else { return }
            switch (tag.name, tag.closing) {
            case ("w:p", false):
                current = ""
                numID = nil
                level = 0
                if tag.selfClosing { paragraphs.append("") }
            case ("w:p", true):
                var label = ""
                if let id = numID, var n = numbering {
                    label = n.label(numID: id, level: level)
                    numbering = n
                }
                emit(label.isEmpty ? current : label + " " + current)
                current = ""
            case ("w:tbl", false) where !tag.selfClosing: tables.append([])
            case ("w:tbl", true):
                if let table = tables.popLast() { for row in render(table) { emit(row) } }
            case ("w:tr", false) where !tag.selfClosing:
                if var table = tables.popLast() { table.append([]); tables.append(table) }
            case ("w:tc", false) where !tag.selfClosing:
                if var table = tables.popLast() {
                    if table.isEmpty { table.append([]) }
                    table[table.count - 1].append([])
                    tables.append(table)
                }
            case ("w:pPr", _): inParagraphProperties = !tag.closing && !tag.selfClosing
            case ("w:t", _): inText = !tag.closing && !tag.selfClosing
            case ("w:tab", false) where !inParagraphProperties: current += "\t"
            case ("w:br", false), ("w:cr", false): current += "\n"
            case ("w:noBreakHyphen", false): current += "-"
            case ("w:numId", false) where inParagraphProperties: numID = tag.attributes["w:val"]
            case ("w:ilvl", false) where inParagraphProperties: level = Int(tag.attributes["w:val"] ?? "0") ?? 0
            default: break
            }
        }, text: { chunk in
            if inText && fallbackDepth == 0 { current += XMLScanner.decodeEntities(chunk) }
        })
        return paragraphs
    }

    private static let personName = Pattern(#"[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.|[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+"#, caseSensitive: true)

    /// Without a header row: a column whose cells are mostly bare deadlines, and one whose cells are mostly
    /// bodies or people (`Отдел образования`, `Иванова И.И.`), in a table of three or more columns.
    static func columnsByContent(_ rows: [[String]]) -> (deadline: Int?, responsible: Int?) {
        guard let width = rows.map(\.count).max(), width >= 3, rows.count >= 2 else { return (nil, nil) }
        var deadline: Int?, responsible: Int?
        for j in 0..<width {
            let cells = rows.compactMap { $0.count > j && !$0[j].isEmpty ? $0[j] : nil }
            guard cells.count >= 2 else { continue }
            let dated = cells.filter(Structure.isBareDeadline).count
            let bodies = cells.filter { $0.count <= 120 && (Levels.ofBody($0) != nil || personName.matches($0)) && Tasks.directiveVerb(in: $0) == nil }.count
            if deadline == nil, dated * 10 >= cells.count * 6 { deadline = j } else if responsible == nil, j > 0, bodies * 10 >= cells.count * 6 { responsible = j }
        }
        return (deadline, responsible)
    }

    /// Rows as paragraphs; deadline and responsible columns, named in a header row, as labelled lines.
    static func render(_ table: [[[String]]]) -> [String] {
        let rows = table.map { row in row.map { cell in cell.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }.joined(separator: " ") } }
        var out: [String] = []
        var (deadlineColumn, responsibleColumn) = columnsByContent(rows)
        for row in rows {
            let folded = row.map { Russian.fold($0) }
            let d = folded.firstIndex { $0.hasPrefix("срок") || $0.hasPrefix("дата исполнения") }
            let r = folded.firstIndex { $0.hasPrefix("ответствен") || $0.hasPrefix("исполнител") }
            if (d != nil || r != nil) && row.allSatisfy({ $0.count < 60 }) {
                deadlineColumn = d
                responsibleColumn = r
                continue
            }
            let main = row.indices.filter { $0 != deadlineColumn && $0 != responsibleColumn }.map { row[$0] }.filter { !$0.isEmpty }
            if !main.isEmpty { out.append(main.joined(separator: " ")) }
            if let d = deadlineColumn, d < row.count, !row[d].isEmpty { out.append("Срок: " + row[d]) }
            if let r = responsibleColumn, r < row.count, !row[r].isEmpty { out.append("Ответственные: " + row[r]) }
        }
        return out
    }
}

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

/// A forgiving scanner over XML bytes: tags with attributes, and text between them. No DTDs, no validation.
enum XMLScanner {
    struct Tag {
        var name: String
        var attributes: [String: String]
        var closing: Bool
        var selfClosing: Bool
    }

    static func scan(_ b: [UInt8], tag onTag: (Tag) -> Void, text onText: (ArraySlice<UInt8>) -> Void) {
        var i = 0
        let n = b.count
        while i < n {
            if b[i] != UInt8(ascii: "<") {
                var j = i
                while j < n && b[j] != UInt8(ascii: "<") { j += 1 }
                onText(b[i..<j])
                i = j
                continue
            }
            // Comments, declarations, CDATA.
            if i + 3 < n && b[i + 1] == UInt8(ascii: "!") && b[i + 2] == UInt8(ascii: "-") && b[i + 3] == UInt8(ascii: "-") {
                var j = i + 4
                while j + 2 < n && !(b[j] == UInt8(ascii: "-") && b[j + 1] == UInt8(ascii: "-") && b[j + 2] == UInt8(ascii: ">")) { j += 1 }
                i = j + 3
                continue
            }
            var j = i + 1
            var quote: UInt8?
            while j < n {
                let c = b[j]
                if let q = quote { if c == q { quote = nil } } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { quote = c } else if c == UInt8(ascii: ">") { break }
                j += 1
            }
            guard j < n else { return }
            let inner = b[(i + 1)..<j]
            i = j + 1
            guard let first = inner.first, first != UInt8(ascii: "?"), first != UInt8(ascii: "!") else { continue }
            onTag(parseTag(inner))
        }
    }

    static func parseTag(_ inner: ArraySlice<UInt8>) -> Tag {
        var s = inner
        var closing = false, selfClosing = false
        if s.first == UInt8(ascii: "/") { closing = true; s = s.dropFirst() }
        if s.last == UInt8(ascii: "/") { selfClosing = true; s = s.dropLast() }
        let isSpace = { (c: UInt8) in c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        let nameEnd = s.firstIndex(where: isSpace) ?? s.endIndex
        let name = String(decoding: s[s.startIndex..<nameEnd], as: UTF8.self)
        var attributes: [String: String] = [:]
        var k = nameEnd
        while k < s.endIndex {
            while k < s.endIndex && isSpace(s[k]) { k += 1 }
            let keyStart = k
            while k < s.endIndex && s[k] != UInt8(ascii: "=") && !isSpace(s[k]) { k += 1 }
            let key = String(decoding: s[keyStart..<k], as: UTF8.self)
            while k < s.endIndex && s[k] != UInt8(ascii: "\"") && s[k] != UInt8(ascii: "'") { k += 1 }
            guard k < s.endIndex else { break }
            let q = s[k]
            k += 1
            let valueStart = k
            while k < s.endIndex && s[k] != q { k += 1 }
            attributes[key] = decodeEntities(s[valueStart..<min(k, s.endIndex)])
            k += 1
        }
        return Tag(name: name, attributes: attributes, closing: closing, selfClosing: selfClosing)
    }

    /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#1072;`, `&#x430;`.
    static func decodeEntities(_ bytes: ArraySlice<UInt8>) -> String {
        let s = String(decoding: bytes, as: UTF8.self)
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "&", let semi = s[i...].prefix(12).firstIndex(of: ";") {
                let entity = s[s.index(after: i)..<semi]
                var replacement: String?
                switch entity {
                case "amp": replacement = "&"
                case "lt": replacement = "<"
                case "gt": replacement = ">"
                case "quot": replacement = "\""
                case "apos": replacement = "'"
                default:
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X"), let v = UInt32(entity.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) {
                        replacement = String(Character(u))
                    } else if entity.hasPrefix("#"), let v = UInt32(entity.dropFirst()), let u = Unicode.Scalar(v) {
                        replacement = String(Character(u))
                    }
                }
                if let r = replacement {
                    out += r
                    i = s.index(after: semi)
                    continue
                }
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }
}
