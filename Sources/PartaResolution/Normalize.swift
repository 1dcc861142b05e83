/// Input normalisation (spec §1): one canonical text, whatever the source looked like.
///
/// Guarantees on the result: only `\n` line breaks; no tabs, non-breaking or other Unicode spaces, soft
/// hyphens or form feeds; no line starts or ends with a space and none holds two spaces in a row; no two
/// blank lines in a row; words hyphenated across a line are joined; running headers/footers repeated at
/// page breaks and lone page numbers are gone; a paragraph split by a page break is one line again.
/// Quotes and dashes are kept as printed.
///
/// Every step is linear in the text (patterns run on one line at a time).
public enum ResolutionNormalizer {
    public static func normalize(_ raw: String) -> String {
        (try? normalize(raw, budget: .unlimited())) ?? raw
    }

    /// ``normalize(_:)`` under a budget: a line longer than ``ResolutionLimits/maxParagraphCharacters`` is
    /// refused before any pattern sees it (the caller has usually checked already, with
    /// ``Budget/checkLines(_:)``), and the time limit is checked as lines go by.
    static func normalize(_ raw: String, budget: Budget) throws -> String {
        var lines = try cleanLines(raw, budget: budget)
        for (i, line) in lines.enumerated() {
            try budget.tick()
            try budget.checkParagraph(line)
            lines[i] = ScanRepair.repair(dropStrayStrokes(line))
        }
        lines = lines.flatMap(splitRunTogetherItems)
        try budget.check()
        lines = try dropPageArtefacts(lines, budget: budget)
        lines = joinHyphenated(lines)
        try budget.check()
        lines = joinAcrossPageBreaks(lines)
        return collapseBlankLines(lines).joined(separator: "\n")
    }

    /// `Срок: до 14.11.2025 2.6. Ознакомить …`: a list marker in mid-line after a sentence end or a date, before a
    /// capitalised infinitive, starts a line of its own (spec §1); a clause cited (`согласно п. 2.3. Провести`) or an
    /// abbreviation's number (`д. 5. Обеспечить`, `каб. 12. Подготовить`) does not, and a one-level marker (`3.`) only after
    /// `;` or a date.
    private static let runTogether = Pattern(#"(?<![\s(][Пп]\.)(?<![Пп]п\.)(?<![\s(]ст\.)(?<![\s(]ч\.)(?<![\s(]д\.)(?<!каб\.)(?<!ул\.)(?<!гл\.)(?<!разд\.)(?<!корп\.)(?:(?<=[.;!?])|(?<=\d{2}\.\d{2}\.\d{4})|(?<=\d{4} г\.))\s+(?=(?:\d{1,2}(?:\.\d{1,2}){1,3}\.?|(?<=;\s)\d{1,2}\.|(?<=\d{4}\s)\d{1,2}\.)\s+[А-ЯЁ][а-яё]{2,}(?:ть|ти|ться)(?![а-яё]))"#, caseSensitive: true)

    static func splitRunTogetherItems(_ line: String) -> [String] {
        guard line.count >= 12, line.contains(where: \.isNumber) else { return [line] }
        let cuts = runTogether.matches(in: line)
        guard !cuts.isEmpty else { return [line] }
        var out: [String] = [], start = line.startIndex
        for m in cuts {
            out.append(String(line[start..<m.range.lowerBound]))
            start = m.range.upperBound
        }
        out.append(String(line[start...]))
        return out.filter { !$0.isEmpty }
    }

    /// Unicode spaces, soft hyphens, zero-width characters; CR LF; trimmed lines with single spaces.
    /// A form feed becomes a line of its own (`\u{0C}`), a page boundary for the next step.
    static func cleanLines(_ raw: String, budget: Budget = .unlimited()) throws -> [String] {
        // Each pass over the whole text checks the time limit as it goes (a megabyte takes about a second each in a
        // debug build).
        let delimited = try DelimitedTable.rows(raw, budget: budget) ?? raw
        let drawn = try BoxTable.rows(delimited, budget: budget) ?? delimited
        let aligned = try AlignedTable.rows(drawn, budget: budget) ?? drawn
        let russian = BilingualHeader.rows(aligned) ?? aligned
        let raw = TwoColumnHeader.rows(russian) ?? russian
        var text = String()
        text.reserveCapacity(raw.utf8.count)
        var previousCR = false
        for scalar in raw.unicodeScalars {
            try budget.tick()
            if previousCR && scalar != "\n" { text.unicodeScalars.append("\n") }
            previousCR = false
            switch scalar.value {
            case 0x0D: previousCR = true
            case 0x0A: text.unicodeScalars.append("\n")
            case 0x0C: text.unicodeScalars.append(contentsOf: "\n\u{0C}\n".unicodeScalars)
            case 0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: break
            case 0x09: text.unicodeScalars.append(contentsOf: "   ".unicodeScalars) // a column gap, see `splitColumns`
            case 0x0B, 0x00A0, 0x1680, 0x2000...0x200A, 0x202F, 0x205F, 0x3000, 0x2028, 0x2029:
                text.unicodeScalars.append(" ")
            case 0x00...0x1F: break // other control characters
            default: text.unicodeScalars.append(scalar)
            }
        }
        if previousCR { text.unicodeScalars.append("\n") }
        return text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { splitColumns($0) }
    }

    private static let rowNumber = Pattern(#"^\d{1,2}(?:\.\d{1,2}){0,3}[.)]?$"#)

    /// A row of a plan table laid out in text columns (cells apart by a tab or three spaces or more):
    /// `1.   Создание рабочей группы   до 01.10.2021   Отдел образования` → `1. Создание рабочей группы`,
    /// `Срок: до 01.10.2021`, `Ответственные: Отдел образования`. Only a row whose first cell is a
    /// number or a list item and that has a cell holding only a deadline is split; its column headings
    /// (`№  Мероприятие  Срок  Ответственный`) are dropped. Any other line is one line, spaces collapsed.
    static func splitColumns(_ line: Substring) -> [String] {
        guard line.contains("   ") else { return [collapseSpaces(line)] }
        var cells: [String] = []
        var current = Substring(), spaces = 0
        var start = line.startIndex, i = line.startIndex
        while i < line.endIndex {
            if line[i] == " " { spaces += 1 } else {
                if spaces >= 3 {
                    current = line[start..<line.index(i, offsetBy: -spaces)]
                    let cell = collapseSpaces(current)
                    if !cell.isEmpty { cells.append(cell) }
                    start = i
                }
                spaces = 0
            }
            i = line.index(after: i)
        }
        let last = collapseSpaces(line[start...])
        if !last.isEmpty { cells.append(last) }
        guard cells.count >= 2, cells.count <= 8 else { return [collapseSpaces(line)] }
        let folded = cells.map { Russian.fold($0) }
        if cells.count >= 3, folded.contains(where: { $0.hasPrefix("срок") }), folded.contains(where: { $0.hasPrefix("мероприят") || $0.hasPrefix("содержание") || $0.hasPrefix("наименование") || $0.hasPrefix("ответствен") || $0.hasPrefix("исполнител") }),
           cells.allSatisfy({ $0.count < 40 }) {
            return []
        }
        guard rowNumber.matches(cells[0]) || ListMarker.parse(cells[0]) != nil,
              let d = cells.indices.dropFirst().first(where: { Structure.isBareDeadline(cells[$0]) }), d >= 1 else { return [collapseSpaces(line)] }
        var item = cells[..<d].joined(separator: " ")
        if rowNumber.matches(cells[0]), !cells[0].hasSuffix("."), !cells[0].hasSuffix(")"), d >= 2 {
            item = cells[0] + ". " + cells[1..<d].joined(separator: " ")
        }
        var out = [item, "Срок: " + cells[d]]
        if d + 1 < cells.count { out.append("Ответственные: " + cells[(d + 1)...].joined(separator: ", ")) }
        return out
    }

    static func collapseSpaces(_ line: Substring) -> String {
        var out = ""
        var space = false
        for ch in line {
            if ch == " " {
                space = true
            } else {
                if space && !out.isEmpty { out.append(" ") }
                space = false
                out.append(ch)
            }
        }
        return out
    }

    // MARK: Pages

    private static let pageNumber = Pattern(#"^(?:[-–—]\s*\d{1,4}\s*[-–—]|\d{1,3}|(?:стр\.?|страница|с\.)\s*\d{1,4}(?:\s*(?:из|/)\s*\d{1,4})?|\d{1,4}\s*(?:из|/)\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"#)

    static func isPageNumber(_ line: String) -> Bool { pageNumber.matches(line) }
    private static let pageLabelled = Pattern(#"\S.*\s(?:стр\.?|страница)\s*\d{1,4}(?:\s*(?:из|/)\s*\d{1,4})?$"#)

    private static let strayStroke = Pattern(#"^[|¦]\s+(?=\d{1,2}[.)]\s|[А-ЯЁ])|(?<=\s)[|¦](?=\s)"#)
    private static let scanDash = Pattern(#"^—-\s*"#)
    /// `| 4. Заместителю …` → `4. Заместителю …`, `—- провести …` → `– провести …`, `включив в него ¦ график` → `включив в
    /// него  график`: a scan's stray strokes (spec §1).
    static func dropStrayStrokes(_ line: String) -> String {
        guard line.contains(where: { $0 == "|" || $0 == "¦" || $0 == "—" }) else { return line }
        var out = line
        if let m = scanDash.firstMatch(in: out) { out = "– " + out[m.range.upperBound...] }
        // (Not a drawn table's row, with two strokes or more.)
        guard out.filter({ $0 == "|" || $0 == "¦" }).count == 1 else { return out }
        if let m = strayStroke.firstMatch(in: out) { out.replaceSubrange(m.range, with: "") }
        return out
    }

    /// The line with its digits masked, so `Резолюция — 3` and `Резолюция — 4` compare equal.
    private static func headerKey(_ line: String) -> String {
        String(line.map { $0.isNumber ? "#" : $0 })
    }

    /// Drops form feeds, lone page numbers, and lines repeated next to two or more page boundaries
    /// (running headers and footers).
    static func dropPageArtefacts(_ lines: [String], budget: Budget = .unlimited()) throws -> [String] {
        // Page boundaries: form feeds, and lone page numbers.
        var boundary = [Bool](repeating: false, count: lines.count)
        var drop = [Bool](repeating: false, count: lines.count)
        for (i, line) in lines.enumerated() where try budget.tick() == () && (line == "\u{0C}" || isPageNumber(line)) {
            boundary[i] = true
            drop[i] = true
        }
        // `Приказ № 147-о от 03.09.2025   стр. 2`, twice or more: a running header naming its page marks a page break.
        let labelled = lines.indices.filter { lines[$0].count <= 120 && pageLabelled.matches(lines[$0]) }
        if Set(labelled.map { headerKey(lines[$0]) }).count < labelled.count {
            for i in labelled { boundary[i] = true; drop[i] = true }
        }
        let boundaries = boundary.indices.filter { boundary[$0] }
        guard !boundaries.isEmpty else { return lines }
        // Candidates: the two non-blank lines on either side of each boundary, and the top and bottom of the text.
        // A running header or footer is a candidate line that occurs at two or more places.
        var seenAt: [String: Set<Int>] = [:]
        var candidates: [Int: String] = [:]
        func collect(from start: Int, step: Int) {
            var i = start, taken = 0
            while i >= 0 && i < lines.count && taken < 2 {
                if boundary[i] { break }
                if !lines[i].isEmpty {
                    let key = headerKey(lines[i])
                    seenAt[key, default: []].insert(i)
                    candidates[i] = key
                    taken += 1
                }
                i += step
            }
        }
        collect(from: 0, step: 1)
        collect(from: lines.count - 1, step: -1)
        for b in boundaries {
            collect(from: b - 1, step: -1)
            collect(from: b + 1, step: 1)
        }
        let pages = boundaries.count + 1
        for (i, key) in candidates {
            guard let places = seenAt[key], places.count >= max(2, pages / 2), key.count >= 3, !looksLikeContent(lines[i]) else { continue }
            drop[i] = true
        }
        return lines.indices.filter { !drop[$0] }.map { lines[$0] }
    }

    /// Lines that may repeat at page breaks by chance and must stay: deadlines, list items, sentence ends.
    private static let contentStart = Pattern(#"^(?:срок|ответствен|исполнител|\d{1,2}[.)]|[-–—•])"#)

    static func looksLikeContent(_ line: String) -> Bool {
        contentStart.matches(line) || line.hasSuffix(";") || line.hasSuffix(":")
    }

    private static let labelLine = Pattern(#"^\(?\s*(?:срок|ответствен|исполнител)"#)

    /// `Срок: до 10.10.2020`, `Ответственные: …`: complete without a full stop.
    static func isLabelLine(_ line: String) -> Bool { labelLine.matches(line) }

    // MARK: Hyphenation and page breaks

    /// `организа-` + `ции` → `организации`; a compound's hyphen (`научно-` + `практической`) is kept.
    static func joinHyphenated(_ lines: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < lines.count {
            var line = lines[i]
            // Appends in place: a run of many hyphenated lines is joined in linear time.
            while line.hasSuffix("-"), line.dropLast().last?.isLetter == true {
                // The next non-blank line, at most one blank line away (a page break may sit between).
                var j = i + 1
                if j < lines.count && lines[j].isEmpty { j += 1 }
                guard j < lines.count, let first = lines[j].first, first.isLetter, first.isLowercase else { break }
                let fragment = String(line.dropLast().reversed().prefix { $0.isLetter }.reversed())
                if !keepsHyphen(fragment), !joinsPost(fragment, lines[j]) { line.removeLast() }
                line += lines[j]
                i = j
            }
            out.append(line)
            i += 1
        }
        return out
    }

    /// `педагога-` | `психолога`: a post named by two nouns, whose hyphen stays at a line's end.
    static func joinsPost(_ fragment: String, _ next: String) -> Bool {
        let f = Russian.fold(fragment), n = Russian.fold(next)
        return ["педагог", "учител"].contains(where: f.hasPrefix)
            && ["психолог", "организатор", "библиотекар", "логопед", "дефектолог", "предметник", "наставник"].contains(where: n.hasPrefix)
    }

    /// The first part of a compound adjective (`научно-`, `психолого-`, `историко-`), whose hyphen stays.
    static func keepsHyphen(_ fragment: String) -> Bool {
        let f = Russian.fold(fragment)
        guard f.count >= 5 else { return false }
        // `психолого-`, `социолого-`: a first part in `-ого`.
        if f.count >= 7, f.hasSuffix("лого") { return true }
        guard f.hasSuffix("но") || f.hasSuffix("ко") || f.hasSuffix("го") else { return false }
        let beforeSuffix = f.dropLast(2).last
        return beforeSuffix.map { !"аеёиоуыэюя".contains($0) } ?? false
    }

    /// A sentence cut by a blank line (a page break): the line before does not end a sentence and the
    /// line after starts in lower case.
    static func joinAcrossPageBreaks(_ lines: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < lines.count {
            if lines[i].isEmpty, let last = out.last, !last.isEmpty {
                var j = i
                while j < lines.count && lines[j].isEmpty { j += 1 }
                // A date-and-number line (`23.01.2026 № 1`) ends its block: `коллегия РЕШИЛА:` below it is the formula.
                // (A `Срок:` line cut after its preposition, `… 4–8 классы: до` | `21.04.2026.`, goes on too.)
                if j < lines.count, !endsSentence(last), !isLabelLine(last) || continuesDate(last, lines[j]),
                   !Self.dateAndNumber.matches(last.trimmingCharacters(in: .whitespaces)),
                   startsContinuation(lines[j]) || continuesDate(last, lines[j]) {
                    out[out.count - 1] = last + " " + lines[j]
                    i = j + 1
                    continue
                }
            }
            out.append(lines[i])
            i += 1
        }
        return out
    }

    private static let dateAndNumber = Pattern(#"^(?:от\s+)?\d{1,2}\.\d{1,2}\.\d{4}(?:\s*г\.?)?\s+№\s*\S+$"#)

    static func endsSentence(_ line: String) -> Bool {
        guard let last = line.last(where: { !"»\"”)*".contains($0) }) else { return true }
        return ".!?:;".contains(last)
    }

    /// Words after which a phrase of date goes on: prepositions, `до конца`, `не позднее`, a month (`до 1 марта` | `2022 года`).
    /// `I квартале 2022 года`, `II полугодии`: a period numbered in roman figures.
    private static let romanPeriod = Pattern(#"^[IVX]{1,3}\s+(?:квартал|полугоди)"#, caseSensitive: true)

    private static let fullDate = Pattern(#"^\d{1,2}\.\d{1,2}\.\d{4}(?!\d)"#)
    static let dateLead: Set<String> = ["до", "к", "с", "по", "в", "во", "от", "на", "за", "позднее", "позже"]
    private static let dateLeadStems = ["конц", "начал", "течени", "срок", "окончани", "квартал", "полугоди", "протяжени"]

    /// A date cut by a blank line: the line before ends in a preposition or a month, the line after starts
    /// with a number (or a roman-numbered quarter or half) that is not a list item (`… не позднее 20 января` |
    /// `2022 года.`, `… в` | `I квартале 2022 года`).
    static func continuesDate(_ previous: String, _ line: String) -> Bool {
        guard line.first?.isNumber == true || romanPeriod.matches(line), ListMarker.parse(line) == nil || fullDate.matches(line),
              let lastWord = Russian.words(previous).last.map({ Russian.fold($0) }) else { return false }
        return dateLead.contains(lastWord) || dateLeadStems.contains(where: lastWord.hasPrefix) || Russian.month(lastWord) != nil
    }

    /// Starts in lower case, and is not a list item (`а)`, `б)`).
    static func startsContinuation(_ line: String) -> Bool {
        guard let first = line.first, first.isLetter, first.isLowercase else { return false }
        let chars = Array(line.prefix(2))
        if chars.count == 2 && chars[1] == ")" { return false }
        return true
    }

    static func collapseBlankLines(_ lines: [String]) -> [String] {
        var out: [String] = []
        for line in lines {
            if line.isEmpty && (out.isEmpty || out.last?.isEmpty == true) { continue }
            out.append(line)
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out
    }
}

/// A letterhead typed in two languages side by side (spec §1): `БАШҠОРТОСТАН РЕСПУБЛИКАҺЫ      РЕСПУБЛИКА БАШКОРТОСТАН`,
/// `БОЙОРОҠ      ПРИКАЗ`. When two or more of the first thirty lines have letters Russian has not on one side only, each
/// line of two sides among them keeps its Russian side, so that the kind word, the body and the place are read in Russian.
/// Nothing else changes.
enum BilingualHeader {
    private static let beside = Pattern(#"^(\s*\S.*?\S)(?:\s{3,}|\t+)(\S.*?)\s*$"#)

    static func rows(_ raw: String) -> String? {
        guard Russian.isInAnotherLanguage(raw.prefix(4000)) else { return nil }
        var lines = raw.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let sides: [(index: Int, left: String, right: String)] = lines.indices.prefix(30).compactMap { i in
            guard let m = beside.firstMatch(in: lines[i].replacingOccurrences(of: "\r", with: "")), let l = m.group(1), let r = m.group(2) else { return nil }
            return (i, l, r)
        }
        let foreignLeft = sides.filter { Russian.isInAnotherLanguage($0.left) && !Russian.isInAnotherLanguage($0.right) }.count
        let foreignRight = sides.filter { Russian.isInAnotherLanguage($0.right) && !Russian.isInAnotherLanguage($0.left) }.count
        guard max(foreignLeft, foreignRight) >= 2, min(foreignLeft, foreignRight) == 0 else { return nil }
        for side in sides {
            let kept = (foreignLeft > 0 ? side.right : side.left).trimmingCharacters(in: .whitespaces)
            lines[side.index] = kept + (lines[side.index].hasSuffix("\r") ? "\r" : "")
        }
        return lines.joined(separator: "\n")
    }
}

/// A header typed in two columns (spec §1). An address block beside the outgoing number: `17.02.2025 № 01-26/1134`,
/// many spaces (or tabs), `Руководителям органов местного`, then `На № ___ от ___`, spaces, `самоуправления …` and lines
/// indented to that column; its pieces become one line after the lines they shared, so that the letter's addressees
/// are read (spec §2). Two stamps side by side (`СОГЛАСОВАНО … УТВЕРЖДАЮ`): the left stamp's lines, then the right's,
/// so that neither's body is read into the other. Joined by the spaces between words, the columns would interleave.
/// Only the first 40 lines are looked at; nothing else changes.
enum TwoColumnHeader {
    private static let beside = Pattern(#"^(\s*\S.*?\S)\s{6,}(\S.*?)\s*$"#)
    private static let besideNarrow = Pattern(#"^(\s*\S.*?\S)\s{3,}(\S.*?)\s*$"#)
    private static let stampWord = Pattern(#"^(?:утверждаю|утвержд[её]н[аоы]?|согласовано|принято?|рассмотрено?|одобрено?)(?![а-яё])"#)

    static func rows(_ raw: String) -> String? {
        guard raw.contains("      ") || raw.contains("\t") else { return nil }
        var lines = raw.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in lines.indices.prefix(40) {
            let line = expanded(lines[i])
            let left: String?, first: String, start: Int
            if let m = beside.firstMatch(in: line), let l = m.group(1), let r = m.group(2) {
                (left, first, start) = (l, r, rightColumn(line, of: r))
            } else {
                // (The address block's first line may stand alone in the right column, the letterhead's lines beside or
                // between the next: `Заместителю министра –` | `АДМИНИСТРАЦИЯ ГОРОДА …` | `пр. Маркса, д. 52 …   общего …`.)
                let indent = line.prefix { $0 == " " }.count, text = line.trimmingCharacters(in: .whitespaces)
                guard indent >= 30, !text.isEmpty else { continue }
                (left, first, start) = (nil, text, indent)
            }
            guard start >= 24, let word = Russian.words(first).first else { continue }
            let stamps = left.map { stampWord.matches(Russian.fold(first)) && stampWord.matches(Russian.fold($0.trimmingCharacters(in: .whitespaces))) } ?? false
            guard stamps || start >= 30 && word.contains(where: \.isLowercase) && Addressees.isDativeHead(word) else { continue }
            var pieces = [first], lefts = left.map { [$0] } ?? [], end = i + 1
            while end < lines.count, end < i + 12 {
                let next = expanded(lines[end])
                let indent = next.prefix { $0 == " " }.count
                if !next.trimmingCharacters(in: .whitespaces).isEmpty, abs(indent - start) <= 4 {
                    pieces.append(next.trimmingCharacters(in: .whitespaces))
                } else if let n = besideNarrow.firstMatch(in: next), let l = n.group(1), let r = n.group(2), abs(rightColumn(next, of: r) - start) <= 4 {
                    lefts.append(l)
                    pieces.append(r)
                } else if stamps, !next.trimmingCharacters(in: .whitespaces).isEmpty, indent < start - 4 {
                    lefts.append(next)   // the left stamp goes on below the right one's last line
                } else if left == nil, !next.trimmingCharacters(in: .whitespaces).isEmpty, next.trimmingCharacters(in: .whitespaces).count + indent < start - 2 {
                    lefts.append(next)   // a letterhead's line between the address block's lines, wholly left of it
                } else {
                    break
                }
                end += 1
            }
            if stamps {
                lines.replaceSubrange(i..<end, with: lefts + [""] + pieces + [""])
                return lines.joined(separator: "\n")
            }
            let block = pieces.joined(separator: " ")
            guard Structure.isAddresseeLine(marker: nil, text: block) else { return nil }
            lines.replaceSubrange(i..<end, with: lefts + ["", block, ""])
            return lines.joined(separator: "\n")
        }
        return nil
    }

    /// The line without its CR, tabs set to stops every eight columns.
    private static func expanded(_ line: String) -> String {
        guard line.contains("\t") || line.contains("\r") else { return line }
        var out = ""
        for ch in line where ch != "\r" {
            if ch == "\t" { out += String(repeating: " ", count: 8 - out.count % 8) } else { out.append(ch) }
        }
        return out
    }

    /// The column where `right`, the end of `line`, starts.
    private static func rightColumn(_ line: String, of right: String) -> Int {
        let trimmed = String(line.reversed().drop(while: \.isWhitespace).reversed())
        return trimmed.count - right.count
    }
}

/// A table saved from a spreadsheet as delimited text (spec §1): cells apart by `;` (the Russian
/// spreadsheet default) or a tab, a cell in double quotes when it holds the delimiter, a quote (doubled)
/// or a line break. Each record becomes one line whose cells stand three spaces apart, as text columns
/// do, so that a plan table's rows are read as rows (``ResolutionNormalizer/splitColumns(_:)``); a
/// line break inside a cell becomes a space.
enum DelimitedTable {
    /// A row number alone in a table's first cell (`1`, `2.`, `3.1.`, `4)`); the drawn and aligned
    /// tables' rows are found by it too.
    static let rowNumber = Pattern(#"^\d{1,3}(?:\.\d{1,3}){0,3}[.)]?$"#)

    /// A cell's text with the next piece of it, wrapped onto the next line: a word hyphenated at the
    /// line's end is joined (`организа-` | `ции`), otherwise the pieces are apart by a space.
    static func joinWrapped(_ cell: String, _ piece: String) -> String {
        if cell.isEmpty { return piece }
        if cell.hasSuffix("-"), piece.first?.isLowercase == true {
            let fragment = String(cell.dropLast().reversed().prefix { $0.isLetter }.reversed())
            let keeps = ResolutionNormalizer.keepsHyphen(fragment) || ResolutionNormalizer.joinsPost(fragment, piece)
            return keeps ? cell + piece : String(cell.dropLast()) + piece
        }
        return cell + " " + piece
    }

    /// The text with each record on one line, or nil when it is not such a table: at least three
    /// records of three cells or more, a third of its non-empty records or more (the rest are the
    /// heading's lines, one cell each), with a heading row (`№`, `Срок`, `Мероприятие` …) or two rows
    /// numbered in their first cell. (Prose with `;` between clauses has neither.)
    static func rows(_ raw: String, budget: Budget = .unlimited()) throws -> String? {
        for delimiter in [Character(";"), Character("\t")] {
            guard raw.contains(delimiter) else { continue }
            let records = try parse(raw, delimiter: delimiter, budget: budget)
            try budget.check()
            let filled = records.map { $0.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty } }.filter { !$0.isEmpty }
            let wide = filled.filter { $0.count >= 3 }
            let numbered = wide.filter { rowNumber.matches($0[0]) }.count
            let heading = wide.contains { cells in
                let folded = cells.map { Russian.fold($0) }
                return folded.contains { $0.hasPrefix("срок") || $0.hasPrefix("дата") || $0.hasPrefix("время") || $0.hasPrefix("день недели") } && folded.contains { cell in
                    ["№", "мероприят", "содержание", "наименование", "ответствен", "исполнител"].contains { cell.hasPrefix($0) } }
            }
            // (Under a heading row, rows with an empty last cell count too: `27.10.2025 – 04.11.2025 | Осенние каникулы | `.)
            let rows = heading ? filled.filter { $0.count >= 2 }.count : wide.count
            guard wide.count >= 3, rows * 3 >= filled.count else { continue }
            guard numbered >= 2 || heading else { continue }
            let flat = records.map { cells in
                cells.map { $0.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces) }
            }
            var columns: Columns?
            var justHeaded = false, otherTable = false
            var lines: [String] = []
            for cells in flat {
                // (Each section of a циклограмма may have its own heading row: the latest names the columns.)
                if cells.allSatisfy({ $0.count < 40 }), let found = Columns(heading: cells) {
                    columns = found
                    justHeaded = true
                    otherTable = false
                    continue
                }
                // `Срок исполнения` over two cells, `начало | окончание` in the row under it; the columns' numbers (`1 | 2 | 3`).
                if justHeaded, var current = columns {
                    if let end = Columns.endColumn(subHeading: cells, deadline: current.deadline) {
                        current.deadlineEnd = end
                        columns = current
                        continue
                    }
                    if Columns.numbersTheColumns(cells) { continue }
                }
                justHeaded = false
                // Another table's heading row (`№ п/п | Показатель | Ед. изм. | 2025 г. (факт)`, `№ п/п | Наименование ОО |
                // Дата приёмки`): its rows are no plan's.
                if columns != nil, Columns.headsAnotherTable(cells) { columns = nil; otherTable = true }
                if let columns, let row = columns.lines(cells) { lines += row; continue }
                // (Such a table's rows are one line each, cells apart by `; `: not columns to read again as a plan's.)
                lines.append(cells.filter { !$0.isEmpty }.joined(separator: otherTable ? "; " : "   "))
            }
            return lines.joined(separator: "\n")
        }
        return nil
    }

    /// Where a plan table's heading row puts the number, the work, its deadline and who answers for it
    /// (`№ п/п; Содержание работы; Форма проведения; Сроки; Ответственные; Отметка о выполнении`).
    /// Each numbered row under it is read by these columns, whatever else the table holds: the work as
    /// the item, then `Срок:` and `Ответственные:` lines for the cells that are filled. A row that is
    /// not numbered and holds one cell (`Заседание № 1 (28 августа 2025 г.)`, `Сентябрь`) is a group
    /// row: it stays one line, read as the heading of the rows under it.
    struct Columns {
        /// Without a number column (`Время | Содержание работы | Ответственный`), each row with its work and another cell
        /// filled is an item all the same.
        var number: Int?, work: Int, deadline: Int, responsible: Int?
        /// The deadline's second column under a heading `Срок исполнения` over `начало | окончание`.
        var deadlineEnd: Int?
        /// The deadline column is a day's hours (`Время`): a cell of hours alone (`9.20–10.05`) names no day.
        var byHour = false

        init?(heading cells: [String]) {
            let folded = cells.map { Russian.fold($0) }
            func column(_ prefixes: [String]) -> Int? { folded.firstIndex { cell in prefixes.contains { cell.hasPrefix($0) } } }
            // (`Дата, время`, `Дата проведения`: a plan of events names its column by the day; a циклограмма's day by the
            // hour, `Время`.)
            // (`Наименование ОО`, `Наименование организации`: a list of bodies, not a plan's works.)
            guard let work = column(["мероприят", "содержание", "наименование"]), !Self.namesBodies.matches(folded[work]),
                  let deadline = column(["срок"]) ?? column(["дата"]) ?? column(["день недели"]) ?? column(["время"]) else { return nil }
            self.number = column(["№", "n п/п", "номер"])
            self.work = work
            self.deadline = deadline
            self.responsible = column(["ответствен", "исполнител"])
            self.byHour = folded[deadline].hasPrefix("время")
            guard (number ?? -1) < work else { return nil }
        }

        private static let namesBodies = Pattern(#"^наименование\s+(?:оо|оу|доо|организаци|учреждени|школ|образовательн|получател|участник)"#)

        /// The column right of the deadline's, under a sub-heading row naming the start and the end (`начало | окончание`,
        /// `с | по`, `дата начала | дата окончания`), nothing else in the row.
        static func endColumn(subHeading cells: [String], deadline: Int) -> Int? {
            let folded = cells.map { Russian.fold($0) }
            guard deadline + 1 < folded.count, ["начало", "с", "дата начала"].contains(folded[deadline]),
                  ["окончание", "по", "дата окончания", "завершение"].contains(folded[deadline + 1]),
                  folded.enumerated().allSatisfy({ $0.offset == deadline || $0.offset == deadline + 1 || $0.element.isEmpty }) else { return nil }
            return deadline + 1
        }

        /// `1 | 2 | 3 | 4 | 5 | 6` under a heading: the columns' numbers.
        static func numbersTheColumns(_ cells: [String]) -> Bool {
            let filled = cells.filter { !$0.isEmpty }
            return filled.count >= 3 && filled.enumerated().allSatisfy { $0.element == String($0.offset + 1) }
        }

        /// A heading row of a table other than a plan: `№` first, short cells, no row number.
        static func headsAnotherTable(_ cells: [String]) -> Bool {
            let filled = cells.filter { !$0.isEmpty }
            guard filled.count >= 3, filled.allSatisfy({ $0.count < 40 }), let first = filled.first,
                  first.hasPrefix("№") || Russian.fold(first).hasPrefix("n п/п") else { return false }
            return Columns(heading: cells) == nil
        }

        /// The deadline's text: `01.04.2026 – 15.04.2026`, `июнь – август` from both columns; the one that is filled.
        private func deadlineText(_ cell: (Int?) -> String) -> String {
            let start = cell(deadline), end = cell(deadlineEnd)
            if start.isEmpty || end.isEmpty { return start.isEmpty ? end : start }
            return start + " – " + end
        }

        private static let hours = Pattern(#"^(?:(?:до|с|в)\s+)?\d{1,2}[.:]\d{2}(?:\s*[-–—]\s*\d{1,2}[.:]\d{2})?$"#)

        func lines(_ cells: [String]) -> [String]? {
            func cell(_ i: Int?) -> String { i.flatMap { $0 < cells.count ? cells[$0] : nil } ?? "" }
            let number = cell(self.number), work = cell(self.work)
            let filled = cells.filter { !$0.isEmpty }
            let numbered = self.number == nil ? filled.count >= 2 : rowNumber.matches(number)
            guard numbered, !work.isEmpty else {
                // A group row: one cell, no number.
                return filled.count == 1 && !rowNumber.matches(filled[0]) ? [Structure.groupRow(filled[0])] : nil
            }
            // `27.10.2025 – 04.11.2025 | Осенние каникулы`: the school calendar, as a line stating it (spec §4, *terms and holidays*).
            if self.number == nil, !cell(deadline).isEmpty, SchoolCalendar.states(work + " – " + cell(deadline)) { return [work + " – " + cell(deadline)] }
            var out = [self.number == nil ? (ListMarker.parse(work) == nil ? "• " + work : work)
                                          : number + (number.hasSuffix(".") || number.hasSuffix(")") ? " " : ". ") + work]
            let due = deadlineText(cell)
            if !due.isEmpty, !(byHour && Self.hours.matches(due)) { out.append("Срок: " + due) }
            if !cell(responsible).isEmpty { out.append("Ответственные: " + cell(responsible)) }
            return out
        }
    }

    /// RFC 4180 records with `delimiter`: quoted cells may hold it, doubled quotes and line breaks.
    static func parse(_ raw: String, delimiter: Character, budget: Budget = .unlimited()) throws -> [[String]] {
        var records: [[String]] = [], cells: [String] = [], cell = ""
        var quoted = false, atCellStart = true
        var chars = raw.makeIterator()
        var pending: Character?
        func next() -> Character? { if let p = pending { pending = nil; return p }; return chars.next() }
        while let ch = next() {
            try budget.tick()
            if quoted {
                if ch == "\"" {
                    if let after = next() {
                        if after == "\"" { cell.append("\"") } else { quoted = false; pending = after }
                    } else { quoted = false }
                } else {
                    cell.append(ch)
                }
                continue
            }
            switch ch {
            case "\"" where atCellStart: quoted = true; atCellStart = false
            case delimiter: cells.append(cell); cell = ""; atCellStart = true
            case "\r\n", "\n", "\r":
                cells.append(cell); records.append(cells); cells = []; cell = ""; atCellStart = true
            default: cell.append(ch); atCellStart = false
            }
        }
        if !cell.isEmpty || !cells.isEmpty { cells.append(cell); records.append(cells) }
        return records
    }
}

/// A table drawn with characters (spec §1): `+----+----+` or `├───┼───┤` border lines and cells apart
/// by `|`, `¦` or `│`, a cell's text wrapped over several lines within its column. Each row becomes one
/// line whose cells stand three spaces apart, as text columns do; lines outside the table stay as
/// they are.
enum BoxTable {
    private static let separators: Set<Character> = ["|", "¦", "│", "┃", "║"]
    private static let borderCharacters: Set<Character> = ["+", "-", "=", "─", "━", "═", "┼", "┬", "┴", "├", "┤", "┌", "┐", "└", "┘", "╋", "╬", "╠", "╣", "╦", "╩", "╔", "╗", "╚", "╝", "|", "¦", "│", "║", " ", "\t"]

    private static let rowNumber = Pattern(#"^\d{1,3}\.?$"#)

    static func isBorder(_ line: Substring) -> Bool {
        line.contains { $0 == "-" || $0 == "─" || $0 == "═" || $0 == "━" || $0 == "=" } && line.allSatisfy { borderCharacters.contains($0) }
    }

    /// The cells of a line drawn with separators, or nil for a line with fewer than two.
    static func cells(_ line: Substring) -> [String]? {
        guard line.filter({ separators.contains($0) }).count >= 2 else { return nil }
        var parts = line.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }
        // The outer borders leave an empty piece before the first separator and after the last.
        if parts.first?.isEmpty == true, line.drop(while: { $0 == " " }).first.map({ separators.contains($0) }) == true { parts.removeFirst() }
        if parts.last?.isEmpty == true, line.reversed().drop(while: { $0 == " " }).first.map({ separators.contains($0) }) == true { parts.removeLast() }
        return parts
    }

    /// The text with each drawn row on one line, or nil when it holds no drawn table (three lines of
    /// cells at least, and a border line).
    static func rows(_ raw: String, budget: Budget = .unlimited()) throws -> String? {
        let lines = raw.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        try budget.check()
        guard try lines.contains(where: { try budget.tick(); return isBorder($0) }),
              try lines.filter({ try budget.tick(); return cells($0) != nil }).count >= 3 else { return nil }
        var out: [String] = []
        var row: [String]?
        // A Markdown table (`| … |`, then `|---|---|` under its heading row, no other border) has a row on each line.
        let firstCells = lines.firstIndex { cells($0) != nil }
        let borders = lines.indices.filter { isBorder(lines[$0]) }
        let markdown = firstCells.map { borders.first == $0 + 1 && borders.count == 1 } ?? false
        // `| № | Наименование программы | … | Сроки проведения | … |`: the heading row names the work and its time.
        var timeColumn: Int?, responsibleColumn: Int?
        func flush() {
            guard let cells = row?.map({ $0.replacingOccurrences(of: "**", with: "") }) else { return }
            row = nil
            let folded = cells.map { Russian.fold($0) }
            if timeColumn == nil, let t = folded.firstIndex(where: { $0.hasPrefix("срок") || $0.hasPrefix("дата") }),
               folded.contains(where: { c in ["мероприят", "наименовани", "содержани", "программ", "тема"].contains { c.hasPrefix($0) } }) {
                timeColumn = t
                responsibleColumn = folded.firstIndex { $0.hasPrefix("ответствен") || $0.hasPrefix("исполнител") }
                return
            }
            // (A row numbered in its first cell, by those columns: its time cell is its `Срок:` line whatever it says.)
            if let t = timeColumn, t < cells.count, !cells[t].isEmpty, let first = cells.first, rowNumber.matches(first) {
                let number = first.hasSuffix(".") ? first : first + "."
                let rest = cells.indices.dropFirst().filter { $0 != t && $0 != responsibleColumn && !cells[$0].isEmpty }.map { cells[$0] }
                out.append(([number] + rest).joined(separator: "   "))
                out.append("Срок: " + cells[t])
                if let r = responsibleColumn, r < cells.count, !cells[r].isEmpty { out.append("Ответственные: " + cells[r]) }
                return
            }
            out.append(cells.filter { !$0.isEmpty }.joined(separator: "   "))
        }
        for line in lines {
            try budget.tick()
            if isBorder(line) { flush(); continue }
            guard let parts = cells(line) else { flush(); out.append(String(line)); continue }
            // A line whose first cell holds text starts a row (a table without a border between rows);
            // one whose first cell is empty goes on with the row above, column by column.
            if !markdown, var current = row, parts.first?.isEmpty ?? true {
                for (i, part) in parts.enumerated() where !part.isEmpty {
                    if i < current.count {
                        current[i] = DelimitedTable.joinWrapped(current[i], part)
                    } else {
                        current.append(part)
                    }
                }
                row = current
            } else {
                flush()
                row = parts
            }
        }
        flush()
        return out.joined(separator: "\n")
    }
}

/// A plan table laid out in text columns whose cells wrap over several lines within their columns
/// (spec §1): a row starts on a line whose first cell is a row number; the lines after it, up to the
/// next such line or a blank one, that start right of the number's column go on with its cells, each
/// piece in the column it stands under. Each row becomes one line whose cells stand three spaces
/// apart. Lines outside such rows stay as they are.
enum AlignedTable {

    /// The pieces of a line apart by three spaces or more (or a tab), with the column each starts at.
    static func pieces(_ line: Substring) -> [(column: Int, text: String)] {
        var out: [(Int, String)] = []
        var column = 0, start: Int?, text = "", spaces = 0
        for ch in line {
            if ch == " " || ch == "\t" {
                spaces += ch == "\t" ? 3 : 1
                if spaces >= 3, let s = start { out.append((s, text.trimmingCharacters(in: .whitespaces))); start = nil; text = "" }
                if start != nil { text.append(" ") }
            } else {
                if start == nil { start = column; text = "" }
                spaces = 0
                text.append(ch)
            }
            column += ch == "\t" ? 3 : 1
        }
        if let s = start { out.append((s, text.trimmingCharacters(in: .whitespaces))) }
        return out.filter { !$0.1.isEmpty }
    }

    /// The text with each wrapped row on one line, or nil when it holds no such table (two numbered
    /// rows of two cells or more, one of them wrapped).
    static func rows(_ raw: String, budget: Budget = .unlimited()) throws -> String? {
        let lines = raw.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        try budget.check()
        let split = try lines.map { line in try budget.tick(); return pieces(line) }
        // `1  2  3  4  5` under a heading numbers its columns: no row.
        func numbersColumns(_ p: [(column: Int, text: String)]) -> Bool { p.count >= 3 && p.indices.allSatisfy { p[$0].text == String($0 + 1) } }
        func startsRow(_ p: [(column: Int, text: String)]) -> Bool { p.count >= 2 && DelimitedTable.rowNumber.matches(p[0].text) && !numbersColumns(p) }
        guard try split.filter({ try budget.tick(); return startsRow($0) }).count >= 2 else { return nil }
        var out: [String] = []
        var wrapped = false
        // A heading row naming the work and its deadline: the centre of each heading, and what the columns are.
        var heading: (centres: [Double], columns: DelimitedTable.Columns)?
        var i = 0
        while i < lines.count {
            try budget.tick()
            guard startsRow(split[i]) else {
                if split[i].count >= 3, let columns = DelimitedTable.Columns(heading: split[i].map(\.text)) {
                    heading = (split[i].map { Double($0.column) + Double($0.text.count) / 2 }, columns)
                }
                out.append(String(lines[i])); i += 1; continue
            }
            var columns = split[i].map(\.column), cells = split[i].map(\.text)
            var j = i + 1
            while j < lines.count, !split[j].isEmpty, !startsRow(split[j]), split[j][0].column > columns[0] {
                // A column that starts only on a later line (an empty cell on the row's first line).
                for piece in split[j] where !columns.contains(where: { abs($0 - piece.column) <= 1 }) && piece.column > columns.last! + 1 {
                    columns.append(piece.column); cells.append("")
                }
                for piece in split[j] {
                    // The column it stands under: the last that starts at or left of it (a cell's text may
                    // sit a space or two right of its column's start).
                    let k = columns.lastIndex(where: { $0 <= piece.column + 1 }) ?? 0
                    if k == 0 { continue }
                    cells[k] = DelimitedTable.joinWrapped(cells[k], piece.text)
                }
                wrapped = true
                j += 1
            }
            i = j
            if let heading, let read = byHeading(columns: columns, cells: cells, lineEnd: lines[(j - 1)...].first.map(\.count) ?? 0, heading: heading) {
                out += read
                continue
            }
            out.append(String(repeating: " ", count: columns[0]) + cells.filter { !$0.isEmpty }.joined(separator: "   "))
        }
        return wrapped ? out.joined(separator: "\n") : nil
    }

    /// A row's cells put under the headings whose centres are nearest their columns' centres, then read by the
    /// heading's columns (`1.3. Сверка …`, `Срок: …`, `Ответственные: …`); nil when two cells fall under one heading.
    private static func byHeading(columns: [Int], cells: [String], lineEnd: Int, heading: (centres: [Double], columns: DelimitedTable.Columns)) -> [String]? {
        var placed = Array(repeating: "", count: heading.centres.count)
        for k in cells.indices where !cells[k].isEmpty {
            let end = k + 1 < columns.count ? columns[k + 1] : max(lineEnd, columns[k] + cells[k].count)
            let centre = Double(columns[k] + end) / 2
            guard let nearest = heading.centres.indices.min(by: { abs(heading.centres[$0] - centre) < abs(heading.centres[$1] - centre) }),
                  placed[nearest].isEmpty else { return nil }
            placed[nearest] = cells[k]
        }
        return heading.columns.lines(placed)
    }
}
