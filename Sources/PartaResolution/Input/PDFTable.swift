import Foundation

/// A bordered table in a PDF whose cells are justified up to their borders (spec §1, *tables in a
/// PDF*). `pdftotext -layout` lays such a row out with a single space between the last word of one
/// cell and the first of the next, and shifts the next column from line to line, so no text column
/// can be found. Read instead from the position of each word (`pdftotext -bbox`): on a page with a
/// header row naming a `Срок` column, each numbered row's words are given to the header's columns by
/// the widest vertical gap between two column headings, and the row becomes a list item (its number and
/// its work) followed by its `Срок:` and `Ответственные:` lines, as a table in text columns is read. The page's other lines keep their words in
/// order, single-spaced, with a blank line where the vertical gap between lines is wide.
///
/// Pages without such a header keep `pdftotext -layout`'s text unchanged.
enum PDFTable {
    struct Word: Equatable {
        var x0: Double, y0: Double, x1: Double, y1: Double
        var text: String
    }

    /// Whether `layout` (`pdftotext -layout`'s text) has a line that looks like a table's header with a `Срок`
    /// column: worth reading the words' positions.
    static func mayHoldTable(_ layout: String, budget: Budget = .unlimited()) throws -> Bool {
        try layout.split(separator: "\n").contains { line in
            try budget.tick()
            return line.count <= 400 && isHeaderLine(AlignedTable.pieces(line).map(\.text))
        }
    }

    static func isHeaderLine(_ cells: [String]) -> Bool {
        guard cells.count >= 3 else { return false }
        let folded = cells.map { Russian.fold($0) }
        return folded.contains { $0.hasPrefix("срок") }
            && folded.contains { ["решени", "мероприят", "содержани", "наименовани", "требовани", "поручени", "задач"].contains(where: $0.hasPrefix) }
    }

    /// The words of each page of `pdftotext -bbox` output (XHTML), in the order written.
    static func pages(bbox xhtml: String) -> [[Word]] {
        var pages: [[Word]] = []
        for chunk in xhtml.components(separatedBy: "<page ").dropFirst() {
            var words: [Word] = []
            for part in chunk.components(separatedBy: "<word ").dropFirst() {
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

    /// `1.`, `2.3.`, `1)`: a row's number in its first cell.
    private static let rowNumber = Pattern(#"^\d{1,2}(?:\.\d{1,2}){0,3}[.)]?$"#)

    /// A page with a table: its header's headings, and the page read into pieces.
    struct Page {
        enum Piece { case text(Line), header(top: Double, bottom: Double), row([Line]) }
        var headings: [Word]
        var pieces: [Piece]
        var height: Double
        var deadlineColumn: Int?
        var responsibleColumn: Int?
        /// Every line of every row.
        var rowLines: [Line] { pieces.flatMap { piece -> [Line] in if case .row(let r) = piece { return r } else { return [] } } }

        /// Whether `other` has the same columns (a header repeated on the next page).
        func sameColumns(as other: Page) -> Bool {
            headings.count == other.headings.count && zip(headings, other.headings).allSatisfy { abs($0.x0 - $1.x0) <= height }
        }
    }

    /// The page read into text lines, its header, and rows (a numbered line and the lines under it, right of
    /// the number, up to a wide gap), or nil when no line of the page is a table's header.
    static func page(_ words: [Word]) -> Page? {
        let lines = lines(words)
        guard let h = lines.firstIndex(where: { isHeaderLine(headerCells($0).map(\.text)) }) else { return nil }
        let height = lines.map { $0.y1 - $0.y0 }.sorted()[lines.count / 2]
        // Headings may take several lines, centred in their cells (`Требование об устранении` a line below `Срок`):
        // the header is every line from the one naming `Срок` to the first numbered row, at most four.
        var bandEnd = h + 1
        // A group row under the header (`По первому вопросу`, one stretch of words from the left) is not part of it.
        while bandEnd < lines.count, bandEnd - h < 4, !rowNumber.matches(lines[bandEnd].words[0].text),
              lines[bandEnd].y0 - lines[bandEnd - 1].y1 <= height * 0.9,
              headerCells(lines[bandEnd]).count >= 2 || lines[bandEnd].x0 > lines[h].words[0].x1 { bandEnd += 1 }
        let headings = headerCells(Array(lines[h..<bandEnd]))
        // A real table has a handful of columns; more is not a table (and would cost a pass over the rows per column).
        guard (3...maxColumns).contains(headings.count) else { return nil }
        let folded = headings.map { Russian.fold($0.text) }
        let numberRight = headings[0].x1
        // A row starts with its number in the number's column (`18.3.1` wrapped to the start of a cell's line is a
        // norm's number in the text).
        func startsRow(_ line: Line) -> Bool {
            guard let first = line.words.first else { return false }
            return rowNumber.matches(first.text) && first.x0 <= numberRight + height
        }
        var pieces: [Page.Piece] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if i == h {
                pieces.append(.header(top: line.y0, bottom: lines[bandEnd - 1].y1))
                i = bandEnd
                continue
            }
            guard i > h, startsRow(line), let first = line.words.first else {
                pieces.append(.text(line))
                i += 1
                continue
            }
            var row = [line]
            var j = i + 1
            while j < lines.count, lines[j].y0 - row.last!.y1 <= height * 0.9, lines[j].x0 > first.x1, !startsRow(lines[j]) {
                row.append(lines[j])
                j += 1
            }
            pieces.append(.row(row))
            i = j
        }
        return Page(headings: headings, pieces: pieces, height: height,
                    deadlineColumn: folded.firstIndex { $0.hasPrefix("срок") || $0.hasPrefix("дата исполнения") },
                    responsibleColumn: folded.firstIndex { $0.hasPrefix("ответствен") || $0.hasPrefix("исполнител") })
    }

    /// The page's text: its lines in order, single-spaced, a blank line where the gap between lines is wide; each
    /// row as a list item (its number and its work) with its `Срок:` and `Ответственные:` lines, its words given
    /// to the columns that end at `bounds`.
    static func text(of page: Page, bounds: [Double]) -> String {
        var out: [String] = []
        var previousBottom: Double?
        func emit(_ text: String, top: Double, bottom: Double) {
            if let p = previousBottom, top - p > page.height * 0.9 { out.append("") }
            out.append(text)
            previousBottom = bottom
        }
        for piece in page.pieces {
            switch piece {
            case .text(let line):
                emit(line.text, top: line.y0, bottom: line.y1)
            case .header(let top, let bottom):
                emit(page.headings.map(\.text).joined(separator: "   "), top: top, bottom: bottom)
            case .row(let row):
                var cells = [String](repeating: "", count: page.headings.count)
                for l in row {
                    for w in l.words {
                        let k = bounds.firstIndex { w.x0 < $0 } ?? bounds.count
                        cells[k] = cells[k].isEmpty ? w.text : DelimitedTable.joinWrapped(cells[k], w.text)
                    }
                }
                let work = cells.indices.filter { $0 != 0 && $0 != page.deadlineColumn && $0 != page.responsibleColumn }
                    .map { cells[$0] }.filter { !$0.isEmpty }
                var text = ([cells[0]] + work).joined(separator: " ")
                for (label, column) in [("Срок", page.deadlineColumn), ("Ответственные", page.responsibleColumn)] {
                    if let column, cells[column].contains(where: { $0.isLetter || $0.isNumber }) {
                        text += "\n\(label): " + cells[column]
                    }
                }
                emit(text, top: row[0].y0, bottom: row.last!.y1)
            }
        }
        return out.joined(separator: "\n")
    }

    /// `layout` with each page that holds a table (by `bbox`, the same document's words) read from its words.
    /// The pages stay apart by form feeds; if the two disagree on the number of pages, `layout` is kept.
    static func merge(layout: String, bbox: String, budget: Budget = .unlimited()) throws -> String {
        var layoutPages = layout.components(separatedBy: "\u{0C}")
        let wordPages = pages(bbox: bbox)
        guard layoutPages.count == wordPages.count || layoutPages.count == wordPages.count + 1 else { return layout }
        var tables: [Page?] = []
        for words in wordPages {
            try budget.check()
            tables.append(words.isEmpty ? nil : page(words))
        }
        // The columns' edges from every row of a table, on its first page and the pages that repeat its header:
        // a justified line's wide spaces differ from row to row; the gutter between two columns is empty in all.
        var groups: [(first: Page, rows: [Line])] = []
        var groupOf: [Int: Int] = [:]
        for (i, table) in tables.enumerated() {
            guard let table else { continue }
            if let g = groups.firstIndex(where: { $0.first.sameColumns(as: table) }) {
                groups[g].rows += table.rowLines
                groupOf[i] = g
            } else {
                groups.append((table, table.rowLines))
                groupOf[i] = groups.count - 1
            }
        }
        var bounds: [[Double]] = []
        for group in groups {
            try budget.check()
            bounds.append(boundaries(row: group.rows, headings: group.first.headings))
        }
        for (i, table) in tables.enumerated() {
            guard let table, let g = groupOf[i] else { continue }
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
            // Empty stretches between `left` and `right`: the complement of the words' spans, clipped.
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
