import Foundation

/// A bordered table in a PDF whose cells are justified up to their borders (spec §1, *a table in a
/// PDF*). `pdftotext -layout` lays such a row out with a single space between the last word of one
/// cell and the first of the next, and shifts the next column from line to line, so no text column
/// can be found. Read instead from the position of each word (`pdftotext -bbox`): on a page with a
/// header row naming a `Срок` column (or going on with the table of the page before), each numbered
/// row's words are given to the header's columns by the gutter that no row of the table covers, and
/// the row becomes a list item (its number and its work) followed by its `Срок:` and `Ответственные:`
/// lines, as a table in text columns is read. The page's other lines keep their words in order,
/// single-spaced, with a blank line where the vertical gap between lines is wide.
///
/// Pages without such a table keep `pdftotext -layout`'s text unchanged. Not read as a table: cells whose
/// text is centred vertically, and a second table on one page (their rows come out as the layout text has them).
enum PDFTable {
    struct Word: Equatable {
        var x0: Double, y0: Double, x1: Double, y1: Double
        var text: String
    }

    /// Whether `layout` (`pdftotext -layout`'s text) has a header with a `Срок` column on one line or up to three
    /// (headings centred in their cells take several): worth reading the words' positions.
    static func mayHoldTable(_ layout: String, budget: Budget = .unlimited()) throws -> Bool {
        let pieces = try layout.split(separator: "\n", omittingEmptySubsequences: false).map { line -> [String] in
            try budget.tick()
            return line.count <= 400 ? AlignedTable.pieces(line).map(\.text) : []
        }
        for i in pieces.indices {
            try budget.tick()
            for k in 1...3 where i + k <= pieces.count && isHeaderLine(pieces[i..<(i + k)].flatMap { $0 }) { return true }
        }
        return false
    }

    /// Words that name the work in a heading: its column is the item's text.
    static let workHeadings = ["решени", "мероприят", "содержани", "наименовани", "требовани", "поручени", "задач", "тема", "замечани", "нарушени", "недостат"]

    /// A header: three cells or more, one naming `Срок` and one the work, both opening with a capital (`Срок`,
    /// `Решение`): a justified line of prose spreads its words apart too, but `срок` and `решения` in lower case.
    /// (Two cells too when they are only those, the work's first: `Поручение | Срок и ответственный`.)
    static func isHeaderLine(_ cells: [String]) -> Bool {
        func heading(_ test: (String) -> Bool) -> Bool {
            cells.contains { c in c.first?.isUppercase == true && test(Russian.fold(c)) }
        }
        if cells.count == 2 {
            let first = Russian.fold(cells[0]), second = Russian.fold(cells[1])
            return cells.allSatisfy { $0.first?.isUppercase == true } && workHeadings.contains(where: first.hasPrefix) && second.hasPrefix("срок")
        }
        guard cells.count >= 3 else { return false }
        return heading { $0.hasPrefix("срок") } && heading { f in workHeadings.contains(where: f.hasPrefix) }
    }

    /// The words of each page of `pdftotext -bbox` output (XHTML), in the order written.
    static func pages(bbox xhtml: String, budget: Budget = .unlimited()) throws -> [[Word]] {
        var pages: [[Word]] = []
        for chunk in xhtml.components(separatedBy: "<page ").dropFirst() {
            var words: [Word] = []
            for part in chunk.components(separatedBy: "<word ").dropFirst() {
                try budget.tick()
                guard let close = part.range(of: ">"), let end = part.range(of: "</word>") , close.upperBound <= end.lowerBound else { continue }
                let attributes = part[..<close.lowerBound]
                func number(_ name: String) -> Double? {
                    guard let r = attributes.range(of: name + "=\"") else { return nil }
                    return Double(attributes[r.upperBound...].prefix { $0 != "\"" })
                }
                guard let x0 = number("xMin"), let y0 = number("yMin"), let x1 = number("xMax"), let y1 = number("yMax") else { continue }
                let text = unescape(String(part[close.upperBound..<end.lowerBound]))
                if !text.isEmpty { words.append(Word(x0: x0, y0: y0, x1: x1, y1: y1, text: text)) }
            }
            pages.append(words)
        }
        return pages
    }

    private static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        return s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Words on one baseline, left to right.
    struct Line {
        var words: [Word]
        var y0: Double { words.map(\.y0).min() ?? 0 }
        var y1: Double { words.map(\.y1).max() ?? 0 }
        var x0: Double { words.first?.x0 ?? 0 }
        var text: String { words.map(\.text).joined(separator: " ") }
    }

    static func lines(_ words: [Word]) -> [Line] {
        var out: [Line] = []
        for w in words.sorted(by: { ($0.y0, $0.x0) < ($1.y0, $1.x0) }) {
            if let last = out.last, abs(last.words[0].y0 - w.y0) <= max(1, (w.y1 - w.y0) * 0.4) {
                out[out.count - 1].words.append(w)
            } else {
                out.append(Line(words: [w]))
            }
        }
        for i in out.indices { out[i].words.sort { $0.x0 < $1.x0 } }
        return out
    }

    /// The most columns a table is read with.
    static let maxColumns = 12

    /// Whether a table's first heading (`№`, `№ п/п`, `Номер`) names a column of row numbers.
    static func numbersRows(_ heading: String) -> Bool {
        let f = Russian.fold(heading)
        return f.hasPrefix("№") || f.hasPrefix("n") || f.contains("п/п") || f.hasPrefix("номер")
    }

    /// `I.`, `II.`: a section row's number (`I. Организационно-подготовительный этап` under the header), no heading.
    private static let sectionNumber = Pattern(#"^[IVXІХ]{1,4}\.$"#, caseSensitive: true)

    /// `1.`, `2.3.`, `1)`: a row's number in its first cell.
    private static let rowNumber = Pattern(#"^\d{1,3}(?:\.\d{1,3}){0,3}[.)]?$"#)

    /// A page with a table: its header's headings, and the page read into pieces.
    struct Page {
        /// `carry`: lines at the page's top that go on with the last row of the page before (a row broken by the page).
        enum Piece { case text(Line), header(top: Double, bottom: Double), row([Line]), carry([Line]) }
        var headings: [Word]
        var pieces: [Piece]
        var height: Double
        /// Whether the first column numbers the rows; else each row is an unnumbered list item.
        var numbered = true
        var deadlineColumn: Int?
        var responsibleColumn: Int?
        /// The columns whose headings name the work (`Решение`; `Содержание нарушения`, `Требование об устранении`):
        /// the item's text. Others (`Форма проведения`, `Отметка о выполнении`) are left out.
        var workColumns: [Int] = []
        var hasHeader = true
        /// Every line of every row.
        var rowLines: [Line] { pieces.flatMap { piece -> [Line] in if case .row(let r) = piece { return r } else { return [] } } }

        /// Whether `other` has the same columns (a header repeated on the next page).
        func sameColumns(as other: Page) -> Bool {
            headings.count == other.headings.count && zip(headings, other.headings).allSatisfy { abs($0.x0 - $1.x0) <= height }
        }
    }

    /// The page read into text lines, its header, and rows (a numbered line and the lines under it, right of
    /// the number, up to a wide gap), or nil when the page holds no table's header. A page without a header
    /// whose lines go on as rows of the table on the page before (`previous`, Word's default when a table
    /// crosses a page) is read by that table's columns.
    static func page(_ words: [Word], previous: Page? = nil) -> Page? {
        let lines = lines(words)
        guard !lines.isEmpty else { return nil }
        let height = lines.map { $0.y1 - $0.y0 }.sorted()[lines.count / 2]
        func close(_ a: Line, _ b: Line) -> Bool { b.y0 - a.y1 <= height * 0.9 }
        // The header: one line or up to three close ones (headings centred in their cells), from the top one.
        var header: (start: Int, end: Int, headings: [Word])?
        // `Таблица 2` right above the header is its caption, not a heading.
        let caption = Pattern(#"^(?:таблица|приложение|форма)\s*(?:№\s*)?[\d.]*$"#)
        search: for i in lines.indices where !caption.matches(Russian.fold(lines[i].text)) {
            var k = 1
            while k <= 3, i + k <= lines.count, k == 1 || close(lines[i + k - 2], lines[i + k - 1]) {
                let cells = headerCells(Array(lines[i..<(i + k)]))
                if isHeaderLine(cells.map(\.text)) { header = (i, i + k, cells); break search }
                k += 1
            }
        }
        var headings: [Word]
        var bodyStart = 0
        if var found = header {
            // A heading's further lines below (`п/п` under `№`, `Требование об устранении` centred a line lower) stand
            // within the headings' spans, or right of the first, or in two headings or more; a group row under the
            // header (`По первому вопросу`, one stretch of words from the left) does not.
            while found.end < lines.count, found.end - found.start < 5, close(lines[found.end - 1], lines[found.end]),
                  !rowNumber.matches(lines[found.end].words[0].text), !sectionNumber.matches(lines[found.end].words[0].text),
                  lines[found.end].words.allSatisfy({ w in found.headings.contains { w.x0 >= $0.x0 - height && w.x1 <= $0.x1 + height } })
                    || lines[found.end].x0 > found.headings[0].x1 || headerCells(lines[found.end]).count >= 2 {
                // Without a number column a row's first line could pass for the header's next one: a heading's further
                // words (`устранения`, `исполнитель`) start in lower case, a row's cells do not.
                if !numbersRows(found.headings[0].text), lines[found.end].words.contains(where: { $0.text.first?.isUppercase == true }) { break }
                found.end += 1
                found.headings = headerCells(Array(lines[found.start..<found.end]))
            }
            headings = found.headings
            bodyStart = found.end
            header = found
        } else if let previous {
            headings = previous.headings
        } else {
            return nil
        }
        // A real table has a handful of columns; more is not a table (and would cost a pass over the rows per column).
        guard (2...maxColumns).contains(headings.count) else { return nil }
        let folded = headings.map { Russian.fold($0.text) }
        let numberRight = headings[0].x1
        // A table without a number column (`Школа | Замечание | Срок устранения | Ответственный`): a row starts on a
        // line whose first work cell opens with a capital and whose deadline cell is filled, the columns' edges taken
        // from the page's lines under the header.
        let numbered = numbersRows(headings[0].text)
        let deadlineIndex = folded.firstIndex { $0.hasPrefix("срок") || $0.hasPrefix("дата исполнения") }
        // (In a table of two columns the work is the first: its cells open with their typed numbers, `1.1. Управлению …`.)
        let firstWork = folded.indices.first { i in (i > 0 || headings.count == 2) && workHeadings.contains(where: folded[i].hasPrefix) }
        // A line of a row with cells side by side has a wide gap between them; a line of prose has none.
        func hasGap(_ line: Line) -> Bool { zip(line.words, line.words.dropFirst()).contains { $1.x0 - $0.x1 >= height * 1.5 } }
        // Prose under the table ends it: a line from the left margin across more than half the table without a gap
        // between cells (a row's line that starts at the margin has its first cell apart from the next).
        let margin = lines.map(\.x0).min() ?? 0
        let tableWidth = (headings.last?.x1 ?? 0) - (headings.first?.x0 ?? 0)
        func isProse(_ line: Line) -> Bool {
            line.x0 <= margin + height && !hasGap(line) && (line.words.last?.x1 ?? 0) - line.x0 > tableWidth * 0.5
        }
        // The columns' edges from the table's lines with cells side by side, up to the prose under it.
        let body = lines[min(bodyStart, lines.count)...]
        let edges = numbered ? [] : boundaries(row: body.prefix { !isProse($0) }.filter(hasGap), headings: headings)
        func column(_ w: Word) -> Int { edges.firstIndex { w.x0 < $0 } ?? edges.count }
        // The header again (the next table of the page, `Таблица 2`): up to three close lines naming the same columns.
        func repeatedHeader(at i: Int) -> Int? {
            for k in 1...3 where i + k <= lines.count && (k == 1 || close(lines[i + k - 2], lines[i + k - 1])) {
                let cells = headerCells(Array(lines[i..<(i + k)]))
                if cells.count == headings.count, isHeaderLine(cells.map(\.text)) {
                    // With the headings' further words below (`устранения`), in lower case.
                    var end = i + k
                    while end < lines.count, close(lines[end - 1], lines[end]), lines[end].words.allSatisfy({ $0.text.first?.isLowercase == true }) { end += 1 }
                    return end
                }
            }
            return nil
        }
        // A row starts with its number in the number's column (`18.3.1` wrapped to the start of a cell's line is a
        // norm's number in the text).
        func startsRow(_ line: Line) -> Bool {
            guard let first = line.words.first else { return false }
            if numbered { return rowNumber.matches(first.text) && first.x0 <= numberRight + height }
            guard let work = firstWork, let deadline = deadlineIndex,
                  let opening = line.words.first(where: { column($0) == work })?.text.first else { return false }
            return (opening.isUppercase || headings.count == 2 && opening.isNumber) && line.words.contains { column($0) == deadline }
        }
        // In a row the number's cell and the next stand apart by two cells' padding; a numbered paragraph of the page
        // (`3. Контроль … возложить …` under the table) puts a space after its number. It ends the table.
        func isParagraph(_ line: Line) -> Bool {
            line.words.count >= 2 && line.words[1].x0 - line.words[0].x1 < height * 0.5
        }
        var pieces: [Page.Piece] = []
        var ended = false
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if let header, i == header.start {
                pieces.append(.header(top: line.y0, bottom: lines[header.end - 1].y1))
                i = header.end
                continue
            }
            if numbered, i >= bodyStart, startsRow(line), isParagraph(line) { ended = true }
            if !numbered, !ended, i >= bodyStart {
                if let end = repeatedHeader(at: i) {
                    pieces.append(.header(top: line.y0, bottom: lines[end - 1].y1))
                    i = end
                    continue
                }
                if isProse(line) { ended = true }
            }
            // Above the page's header, the rows of the table the page before goes on with.
            let continuing = previous != nil && header.map { i < $0.start } != false
            // A row broken by the page: its further lines at the page's top, before any row of this page.
            if continuing, !numbered, !ended, !pieces.contains(where: { if case .row = $0 { return true } else { return false } }),
               !startsRow(line), !isProse(line), line.words.contains(where: { column($0) > 0 }), line.words.count > 1 || Int(line.text) == nil {
                if case .carry(let above)? = pieces.last { pieces[pieces.count - 1] = .carry(above + [line]) } else { pieces.append(.carry([line])) }
                i += 1
                continue
            }
            guard !ended, i >= bodyStart || continuing, startsRow(line), let first = line.words.first else {
                pieces.append(.text(line))
                i += 1
                continue
            }
            var row = [line]
            var j = i + 1
            while j < lines.count, close(row.last!, lines[j]), numbered ? lines[j].x0 > first.x1 : !isProse(lines[j]) && repeatedHeader(at: j) == nil,
                  !startsRow(lines[j]), !sectionNumber.matches(lines[j].words[0].text) {
                row.append(lines[j])
                j += 1
            }
            pieces.append(.row(row))
            i = j
        }
        guard header != nil || pieces.contains(where: { switch $0 { case .row, .carry: return true; default: return false } }) else { return nil }
        let work = folded.indices.filter { i in (i > 0 || headings.count == 2) && workHeadings.contains(where: folded[i].hasPrefix) }
        return Page(headings: headings, pieces: pieces, height: height, numbered: numbered,
                    deadlineColumn: folded.firstIndex { $0.hasPrefix("срок") || $0.hasPrefix("дата исполнения") },
                    responsibleColumn: folded.firstIndex { $0.hasPrefix("ответствен") || $0.hasPrefix("исполнител") },
                    workColumns: work, hasHeader: header != nil)
    }

    /// The page's text: its lines in order, single-spaced, a blank line where the gap between lines is wide; each
    /// row as a list item (its number and its work) with its `Срок:` and `Ответственные:` lines, its words given
    /// to the columns that end at `bounds`.
    private static let typedNumber = Pattern(#"^\d{1,2}(?:\.\d{1,2}){0,3}\.?\s"#)

    static func text(of page: Page, bounds: [Double]) -> String {
        var out: [String] = []
        var previousBottom: Double?
        func emit(_ text: String, top: Double, bottom: Double) {
            if let p = previousBottom, top - p > page.height * 0.9 { out.append("") }
            out.append(text)
            previousBottom = bottom
        }
        // Above the header the page's lines keep their columns, as `pdftotext -layout` prints them: a letterhead beside
        // the address block is read by column (§2), not run together.
        let aboveHeader = page.pieces.firstIndex { if case .header = $0 { return true } else { return false } } ?? 0
        let top = page.pieces.prefix(aboveHeader).compactMap { if case .text(let l) = $0 { return l } else { return nil } }
        let left = top.map(\.x0).min() ?? 0
        let letters = top.reduce(0) { $0 + $1.words.reduce(0) { $0 + $1.text.count } }
        let character = letters == 0 ? 1 : top.reduce(0.0) { $0 + $1.words.reduce(0.0) { $0 + ($1.x1 - $1.x0) } } / Double(letters)
        for (index, piece) in page.pieces.enumerated() {
            switch piece {
            case .text(let line):
                emit(index < aboveHeader ? spaced(line, left: left, character: character) : line.text, top: line.y0, bottom: line.y1)
            case .header(let top, let bottom):
                emit(page.headings.map(\.text).joined(separator: "   "), top: top, bottom: bottom)
            case .carry:
                continue
            case .row(let row):
                var cells = [String](repeating: "", count: page.headings.count)
                for l in row {
                    for w in l.words {
                        let k = bounds.firstIndex { w.x0 < $0 } ?? bounds.count
                        cells[k] = cells[k].isEmpty ? w.text : DelimitedTable.joinWrapped(cells[k], w.text)
                    }
                }
                let columns = page.workColumns.isEmpty
                    ? cells.indices.filter { ($0 != 0 || !page.numbered) && $0 != page.deadlineColumn && $0 != page.responsibleColumn } : page.workColumns
                let work = columns.map { cells[$0] }.filter { !$0.isEmpty }
                // `1` is printed `1.` so that it is read as the row's number; a number typed at the start of the work's cell
                // (`1.1. Управлению …`) is the row's.
                let typed = !page.numbered && page.headings.count == 2 && work.first.map { typedNumber.matches($0) } == true
                let number = typed ? "" : !page.numbered ? "•" : cells[0].last.map { $0.isNumber } == true ? cells[0] + "." : cells[0]
                var text = ([number].filter { !$0.isEmpty } + work).joined(separator: " ")
                var lineColumns = [("Срок", page.deadlineColumn), ("Ответственные", page.responsibleColumn)]
                // `Срок и ответственный` in one cell: the time, then who is responsible.
                if page.responsibleColumn == nil, let d = page.deadlineColumn, Russian.fold(page.headings[d].text).contains("ответствен"),
                   let found = DeadlineParser.find(in: cells[d], reference: nil), let r = cells[d].range(of: found.raw) {
                    let rest = cells[d][r.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " ,;"))
                    text += "\nСрок: " + String(cells[d][..<r.upperBound]).trimmingCharacters(in: .whitespaces)
                    if !rest.isEmpty { text += "\nОтветственные: " + rest }
                    lineColumns = []
                }
                for (label, column) in lineColumns {
                    if let column, cells[column].contains(where: { $0.isLetter || $0.isNumber }) {
                        text += "\n\(label): " + cells[column]
                    }
                }
                emit(text, top: row[0].y0, bottom: row.last!.y1)
            }
        }
        return out.joined(separator: "\n")
    }

    /// A line laid out by its words' places: a word starts at the column its left edge falls in (`character`, the
    /// mean width of a character above the header), where the gap before it is wider than three characters; else one
    /// space apart.
    static func spaced(_ line: Line, left: Double, character: Double) -> String {
        guard character > 0 else { return line.text }
        var out = ""
        var end = left
        for w in line.words {
            let column = Int(((w.x0 - left) / character).rounded())
            if out.isEmpty || w.x0 - end > character * 3 {
                out += String(repeating: " ", count: max(out.isEmpty ? 0 : 3, column - out.count))
            } else {
                out += " "
            }
            out += w.text
            end = w.x1
        }
        return out
    }

    /// `layout` with each page that holds a table (by `bbox`, the same document's words) read from its words.
    /// The pages stay apart by form feeds; if the two disagree on the number of pages, `layout` is kept.
    static func merge(layout: String, bbox: String, budget: Budget = .unlimited()) throws -> String {
        var layoutPages = layout.components(separatedBy: "\u{0C}")
        let wordPages = try pages(bbox: bbox, budget: budget)
        guard layoutPages.count == wordPages.count || layoutPages.count == wordPages.count + 1 else { return layout }
        // Each page's table, a page without a header going on with the table of the page before; a table is one
        // group of pages (its first, and those that repeat its header or go on without one), whose rows together
        // give the columns' edges: a justified line's wide spaces differ from row to row, the gutter is empty in all.
        var tables: [Page?] = []
        var group: [Int?] = []
        var groups: [(first: Page, rows: [Line])] = []
        for words in wordPages {
            try budget.check()
            let previous = tables.last ?? nil
            guard let table = words.isEmpty ? nil : page(words, previous: previous) else { tables.append(nil); group.append(nil); continue }
            if let previous, let g = group.last ?? nil, !table.hasHeader || previous.sameColumns(as: table) {
                groups[g].rows += table.rowLines
                group.append(g)
            } else {
                groups.append((table, table.rowLines))
                group.append(groups.count - 1)
            }
            tables.append(table)
        }
        // A row broken by a page takes its lines from the next page's top.
        for i in tables.indices.dropFirst() {
            guard let table = tables[i], case .carry(let lines)? = table.pieces.first, var above = tables[i - 1],
                  let last = above.pieces.lastIndex(where: { if case .row = $0 { return true } else { return false } }),
                  case .row(let row) = above.pieces[last] else { continue }
            above.pieces[last] = .row(row + lines)
            tables[i - 1] = above
        }
        var bounds: [[Double]] = []
        for g in groups {
            try budget.check()
            bounds.append(boundaries(row: g.rows, headings: g.first.headings))
        }
        for (i, table) in tables.enumerated() {
            guard let table, let g = group[i] else { continue }
            layoutPages[i] = text(of: table, bounds: bounds[g]) + "\n"
        }
        return layoutPages.joined(separator: "\u{0C}")
    }

    /// The header's words grouped into headings: words whose spans overlap or stand closer than a wide space,
    /// on any of the header's lines, are one heading (its words in reading order).
    static func headerCells(_ lines: [Line]) -> [Word] {
        let words = lines.flatMap(\.words).sorted { $0.x0 < $1.x0 }
        var groups: [[Word]] = []
        var right = -Double.infinity
        for w in words {
            if !groups.isEmpty, w.x0 - right < (w.y1 - w.y0) * 0.8 {
                groups[groups.count - 1].append(w)
                right = max(right, w.x1)
            } else {
                groups.append([w])
                right = w.x1
            }
        }
        return groups.map { g in
            let ordered = g.sorted { ((($0.y0) / 3).rounded(), $0.x0) < ((($1.y0) / 3).rounded(), $1.x0) }
            return Word(x0: g.map(\.x0).min()!, y0: g.map(\.y0).min()!, x1: g.map(\.x1).max()!, y1: g.map(\.y1).max()!,
                        text: ordered.map(\.text).joined(separator: " "))
        }
    }

    static func headerCells(_ line: Line) -> [Word] { headerCells([line]) }

    /// Where each column ends: between a heading's centre and the left edge of the next heading (a column's text
    /// starts at or left of its centred heading), the middle of the widest stretch that no word of the row covers
    /// (a justified cell fills its lines up to its border; the gutter is empty on all of them). `row` is every line
    /// of every row of the table.
    static func boundaries(row: [Line], headings: [Word]) -> [Double] {
        let words = row.flatMap(\.words)
        return zip(headings, headings.dropFirst()).map { (a, b) in
            let left = (a.x0 + a.x1) / 2, right = max(b.x0, left + 1)
            // Empty stretches between `left` and `right`: the complement of the words' spans, clipped; the gutter is
            // the widest (a justified line's wide spaces differ from row to row, the gutter is empty in all).
            let spans = words.map { (max($0.x0, left), min($0.x1, right)) }.filter { $0.0 < $0.1 }.sorted { $0.0 < $1.0 }
            var best = (width: -1.0, middle: (left + right) / 2)
            var cursor = left
            for (a, b) in spans {
                if a - cursor > best.width { best = (a - cursor, (a + cursor) / 2) }
                cursor = max(cursor, b)
            }
            if right - cursor > best.width { best = (right - cursor, (right + cursor) / 2) }
            return best.middle
        }
    }
}
