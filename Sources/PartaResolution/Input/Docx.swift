import Foundation

/// The text of a `.docx`: paragraphs of `word/document.xml` (`<w:p>`), their runs' text (`<w:t>`), tabs and
/// line breaks; list numbers that Word generates (`<w:numPr>` with `word/numbering.xml`) are written in front
/// of their paragraphs, as they appear on the page. Paragraphs are separated by blank lines. A table row
/// becomes one paragraph; when the header row names a deadline or responsible column (`Срок`,
/// `Ответственные`), those cells follow the row as `Срок: …` and `Ответственные: …` lines.
///
/// Under the ``Budget``: the archive's limits (``Zip``), XML nesting (``XMLScanner``), the extracted text
/// (``ResolutionLimits/maxTextBytes``) and the time limit; each is refused with a ``ResolutionError``.
enum Docx {
    /// Columns of a table looked at for deadline and responsible columns (Word allows 63).
    static let maxColumns = 64

    static func text(from bytes: [UInt8], budget: Budget) throws -> String {
        let file = budget.file
        let entries: [Zip.Entry]
        do { entries = try Zip.entries(bytes, budget: budget) } catch let f as Zip.Failure { throw ResolutionError.damaged(file, f.reason) }
        let named = entries.first(where: { $0.name == "word/document.xml" })
        guard let document = try named ?? mainPart(entries, bytes, budget: budget) else {
            if entries.contains(where: { $0.name == "content.xml" }) {
                throw ResolutionError.unknownFormat(file, "an OpenDocument (.odt) file", "документ OpenDocument (.odt)")
            }
            throw ResolutionError.unknownFormat(file, "a ZIP archive without word/document.xml", "ZIP-архив без word/document.xml")
        }
        do {
            let xml = try Zip.extract(document, from: bytes, budget: budget)
            var numbering: Numbering?
            if let n = entries.first(where: { $0.name == "word/numbering.xml" }) {
                numbering = try Numbering(xml: try Zip.extract(n, from: bytes, budget: budget), budget: budget)
            }
            return try paragraphs(xml: xml, numbering: numbering, budget: budget).joined(separator: "\n\n")
        } catch let f as Zip.Failure {
            throw ResolutionError.damaged(file, f.reason)
        }
    }

    /// The main document part named by `_rels/.rels` when it is not `word/document.xml`.
    /// Limits are refused; a damaged `_rels/.rels` counts as none.
    static func mainPart(_ entries: [Zip.Entry], _ bytes: [UInt8], budget: Budget) throws -> Zip.Entry? {
        guard let rels = entries.first(where: { $0.name == "_rels/.rels" }) else { return nil }
        let xml: [UInt8]
        do { xml = try Zip.extract(rels, from: bytes, budget: budget) } catch is Zip.Failure { return nil }
        var target: String?
        try XMLScanner.scan(xml, budget: budget, tag: { tag in
            if tag.name == "Relationship", tag.attributes["Type"]?.hasSuffix("/officeDocument") == true { target = tag.attributes["Target"] }
        }, text: { _ in })
        guard let t = target.map({ $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }) else { return nil }
        return entries.first { $0.name == t }
    }

    static func paragraphs(xml: [UInt8], numbering: Numbering?, budget: Budget) throws -> [String] {
        var numbering = numbering
        var paragraphs: [String] = []
        // UTF-8 bytes of text so far (the paragraph being read and those done), against maxTextBytes.
        var size = 0
        let maxText = budget.limits.maxTextBytes
        func grow(_ n: Int) throws {
            size += n
            if size > maxText { throw budget.refuse(.textTooLarge(limit: maxText)) }
        }
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
        try XMLScanner.scan(xml, budget: budget, tag: { tag in
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
                    try grow(label.utf8.count + 2)
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
            case ("w:vMerge", false) where tag.attributes["w:val"] != "restart":
                // A cell merged down from the row above: marked, so that a deadline or responsible cell spans its rows.
                if var table = tables.popLast() {
                    if !table.isEmpty, !table[table.count - 1].isEmpty { table[table.count - 1][table[table.count - 1].count - 1].append(mergedFromAbove) }
                    tables.append(table)
                }
            case ("w:pPr", _): inParagraphProperties = !tag.closing && !tag.selfClosing
            case ("w:t", _): inText = !tag.closing && !tag.selfClosing
            case ("w:tab", false) where !inParagraphProperties: current += "\t"; try grow(1)
            case ("w:br", false), ("w:cr", false): current += "\n"; try grow(1)
            case ("w:noBreakHyphen", false): current += "-"; try grow(1)
            case ("w:numId", false) where inParagraphProperties: numID = tag.attributes["w:val"]
            case ("w:ilvl", false) where inParagraphProperties:
                level = Numbering.clamped(tag.attributes["w:val"], to: Numbering.levels) ?? 0
            default: break
            }
        }, text: { chunk in
            if inText && fallbackDepth == 0 {
                let text = XMLScanner.decodeEntities(chunk)
                try grow(text.utf8.count)
                current += text
            }
        })
        return paragraphs
    }

    private static let personName = Pattern(#"[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.|[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+"#, caseSensitive: true)

    /// Without a header row: a column whose cells are mostly bare deadlines, and one whose cells are mostly
    /// bodies or people (`Отдел образования`, `Иванова И.И.`), in a table of three or more columns.
    static func columnsByContent(_ rows: [[String]]) -> (deadline: Int?, responsible: Int?) {
        guard let width = rows.map(\.count).max().map({ min($0, maxColumns) }), width >= 3, rows.count >= 2 else { return (nil, nil) }
        var deadline: Int?, responsible: Int?
        for j in 0..<width {
            let cells = rows.compactMap { $0.count > j && !$0[j].isEmpty ? $0[j] : nil }
            guard cells.count >= 2 else { continue }
            let dated = cells.filter { Structure.isBareDeadline($0) }.count
            let bodies = cells.filter { $0.count <= 120 && (Levels.ofBody($0) != nil || personName.matches($0)) && Tasks.directiveVerb(in: $0) == nil }.count
            if deadline == nil, dated * 10 >= cells.count * 6 { deadline = j } else if responsible == nil, j > 0, bodies * 10 >= cells.count * 6 { responsible = j }
        }
        return (deadline, responsible)
    }

    /// Stands for a cell merged down from the one above it (`<w:vMerge/>`) until the table is rendered.
    static let mergedFromAbove = "\u{1}"

    private static let numberCell = Pattern(#"^\d{1,2}(?:\.\d{1,2}){0,3}[.)]?$"#)

    private static let enumerator = Pattern(#"^(\d{1,2})\)\s+"#)
    private static let enumeratorStart = Pattern(#"(?<=\s)(\d{1,2}\)\s)"#)

    /// The paragraphs of a row's work cell when they are `1) …`, `2) …` in order (two or more), without their
    /// numbers and closing `;`.
    static func enumeratedParts(_ cells: [[String]], skipping: [Int?]) -> [String]? {
        for (c, paragraphs) in cells.enumerated() where !skipping.contains(where: { $0 == c }) {
            let texts = paragraphs.filter { $0 != mergedFromAbove }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard texts.count >= 2 else { continue }
            let numbers = texts.map { enumerator.firstMatch(in: $0)?.group(1).flatMap { Int($0) } }
            guard numbers == Array(1...texts.count).map(Optional.some) else { continue }
            return texts.map { t in
                let rest = enumerator.replacing(in: t, with: "")
                return rest.hasSuffix(";") ? String(rest.dropLast()) : rest
            }
        }
        return nil
    }

    /// `1) до 14.11.2025; 2) до 28.11.2025`, `1) 20.11.2025 2) 28.11.2025` → its pieces in order; the whole cell when it is
    /// not listed so.
    static func enumeratedPieces(_ cell: String) -> [String] {
        let pieces = enumeratorStart.replacing(in: cell, with: ";$1").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard pieces.count >= 2, pieces.enumerated().allSatisfy({ enumerator.firstMatch(in: $0.element)?.group(1) == String($0.offset + 1) }) else { return [cell] }
        return pieces.map { enumerator.replacing(in: $0, with: "") }
    }

    private static let outcomeHeadings = ["результат", "ожидаемый результат", "планируемый результат", "отметк", "примечани", "информация о выполнении", "информация об исполнении", "статус", "выполнено"]

    /// `Руководителям общеобразовательных организаций`, `Директору …`: the first line of a letter's address block.
    private static let addressBlock = Pattern(#"^(?:(?:и\.\s?о\.|исполняющему\s+обязанности|врио)\s+(?:директора|начальника|главы|руководителя|заведующего|председателя)|(?:и\.\s?о\.\s+)?(?:руководител(?:ям|ю)|директор(?:ам|у)|начальник(?:ам|у)|глав(?:ам|е)|заведующ(?:им|ему)|председател(?:ям|ю)))(?![а-яё])"#)

    /// A header cell naming the column that says when: `Срок`, `Сроки исполнения`, `Дата исполнения`, `Дата проведения`,
    /// `Дата`, `День недели` (not `Дата рождения`).
    private static func namesWhen(_ folded: String) -> Bool {
        ["срок", "дата исполнения", "дата проведения", "день недели", "дни недели"].contains(where: folded.hasPrefix)
            || ["дата", "дата, время", "дата и время"].contains(folded)
    }

    /// Rows as paragraphs; deadline and responsible columns, named in a header row, as labelled lines.
    static func render(_ table: [[[String]]]) -> [String] {
        // A letterhead beside the address block in one row of two cells: each cell's lines, left then right, as a letter
        // typed without the table has them (spec §1), so that the address block is read as one.
        if table.count == 1, table[0].count == 2 {
            // (A cell's lines may be paragraphs or line breaks in one; the address block may be one line.)
            let cells = table[0].map { $0.flatMap { $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty && $0 != mergedFromAbove } }
            if cells[0].count >= 2, let first = cells[1].first, addressBlock.matches(Russian.fold(first)) {
                return cells[0] + cells[1]
            }
        }
        let merged = table.map { row in row.map { $0.contains(mergedFromAbove) } }
        // A cell holding only a dash (`—` under `Срок` of `Информацию принять к сведению`) is empty.
        let rows = table.map { row in row.map { cell -> String in
            let text = cell.filter { $0 != mergedFromAbove }.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }.joined(separator: " ")
            return text.allSatisfy({ "-–—".contains($0) }) ? "" : text
        } }
        var out: [String] = []
        var (deadlineColumn, responsibleColumn) = columnsByContent(rows)
        var namedColumns = false
        var yearColumns: [YearMarks.Column]?
        var partColumns: [(index: Int, label: String)]?
        var outcomeColumns: Set<Int> = []
        var headerWidth: Int?
        var signSheet = false
        var above: [String] = []
        // Group rows are looked for in tables of three columns or more (not in a letterhead's two).
        let wide = rows.contains { $0.count >= 3 }
        for (r, var row) in rows.enumerated() {
            // A deadline or responsible cell merged down over several rows is each row's (spec §3, Tables).
            for c in row.indices where merged[r][c] && row[c].isEmpty && (c == deadlineColumn || c == responsibleColumn) && c < above.count {
                row[c] = above[c]
            }
            defer { above = row }
            // A header row names its columns in short cells; a row wider than Word allows is not one.
            let folded = row.count <= maxColumns ? row.map { Russian.fold($0) } : []
            // (`ФИО | Должность | Дата | Подпись` under `С приказом ознакомлены:`: a sheet to sign, its date the signing's; its
            // rows are who signs, no items.)
            let signs = folded.contains { $0.hasPrefix("подпис") } && row.allSatisfy({ $0.count < 60 })
            if signs, folded.contains(where: { $0.hasPrefix("ф.и.о") || $0.hasPrefix("фио") || $0.hasPrefix("фамилия") }) {
                signSheet = true
                continue
            }
            if signSheet { continue }
            let d = signs ? nil : folded.firstIndex(where: Self.namesWhen)
            let named = folded.firstIndex { $0.hasPrefix("ответствен") || $0.hasPrefix("исполнител") }
            // A table of indicators by year (`Показатель | 2024 (факт) | 2025 | 2026`) holds values, not deadlines.
            let indicators = folded.contains { $0.contains("показател") && $0.count < 60 }
                && !folded.contains { $0.hasPrefix("мероприят") || $0.hasPrefix("содержание") }
            let years = d == nil && !indicators ? YearMarks.columns(header: row) : nil
            // (`Сентябрь–октябрь | Ноябрь–декабрь | …` under `Сроки проведения в 2025/2026 уч. г.`: parts of the year.)
            // (Not a row of marks that names parts, `1. | … | IV квартал | IV квартал | ✓`: a header is not numbered.)
            let parts = d == nil && years == nil && !indicators && !(row.first.map { numberCell.matches($0) } ?? false)
                ? PeriodMarks.columns(header: row) : nil
            // `Результат`, `Отметка о выполнении`, `Примечание`: what was done or noted, neither the work nor who does it.
            let outcomes = Set(folded.indices.filter { i in Self.outcomeHeadings.contains { folded[i].hasPrefix($0) } })
            // Years under a header that names a `Срок` column (`Объём финансирования` by year) are no year marks (spec §1).
            if years != nil, d == nil, named == nil, deadlineColumn != nil { continue }
            if (d != nil || named != nil || years != nil || parts != nil) && row.allSatisfy({ $0.count < 60 }) {
                headerWidth = row.count
                deadlineColumn = d
                responsibleColumn = named
                yearColumns = years
                partColumns = parts
                namedColumns = d != nil || years != nil || parts != nil
                outcomeColumns = outcomes
                continue
            }
            // A row of the columns' numbers under the header (`1 | 2 | 3 | … | 7`) is no row.
            let cellsFilled = row.filter { !$0.isEmpty }
            if cellsFilled.count >= 3, cellsFilled.enumerated().allSatisfy({ $0.element.trimmingCharacters(in: .whitespaces) == String($0.offset + 1) }) { continue }
            // A row merged across the table (`Сентябрь`, `Заседание № 1 (28 августа 2025 г.)`) is a group row, also one
            // cell spanning the header's columns when the first of them says when (`День недели | Мероприятие | …`).
            let filled = Set(row.filter { !$0.isEmpty })
            if filled.count == 1, let only = filled.first, !numberCell.matches(only), wide,
               row.indices.allSatisfy({ row[$0].isEmpty || ($0 != deadlineColumn && $0 != responsibleColumn) })
                || row.count == 1 && (headerWidth ?? 0) >= 3 {
                out.append(Structure.groupRow(only))
                continue
            }
            let yearIndices = Set((yearColumns ?? []).map(\.index) + (partColumns ?? []).map(\.index))
            var main = row.indices.filter { $0 != deadlineColumn && $0 != responsibleColumn && !yearIndices.contains($0) && !outcomeColumns.contains($0) }
                .map { row[$0] }.filter { !$0.isEmpty }
            // A number column (`1`, `2.1`) numbers the row's item: `1. Создание рабочей группы`.
            if main.count >= 2, numberCell.matches(main[0]) {
                main[0] = main[0].hasSuffix(".") || main[0].hasSuffix(")") ? main[0] : main[0] + "."
            } else if namedColumns, !main.isEmpty, ListMarker.parse(main[0]) == nil {
                // Under a heading row naming a `Срок` column, an unnumbered row is a list item all the same.
                main[0] = "• " + main[0]
            }
            // `2.3. | 1) Провести мониторинг …; / 2) Разместить результаты … | 1) до 14.11.2025; 2) до 28.11.2025`: a row
            // whose work cell lists decisions as `1)`, `2)` paragraphs is that many items of the row's number, each with
            // its own part of the deadline cell when that is listed the same way.
            if let parts = enumeratedParts(table[r], skipping: [deadlineColumn, responsibleColumn]), main.count >= 2, numberCell.matches(main[0]) {
                let deadlines = deadlineColumn.flatMap { $0 < row.count ? row[$0] : nil }.map { Self.enumeratedPieces($0) } ?? []
                // `1) Иванова И.И.; 2) Петрова П.П.` under `Ответственный`: each item its own; otherwise all of them are every item's.
                let responsibles = responsibleColumn.flatMap { $0 < row.count ? row[$0] : nil }.map { Self.enumeratedPieces($0) } ?? []
                for (k, part) in parts.enumerated() {
                    out.append(main[0] + " " + part)
                    // Pieces that do not match the items one to one: the last, the date all of them are done by.
                    let deadline = deadlines.count == parts.count ? deadlines[k] : deadlines.count > 1 ? deadlines[deadlines.count - 1]
                        : deadlineColumn.flatMap { $0 < row.count ? row[$0] : nil } ?? ""
                    if !deadline.isEmpty { out.append("Срок: " + deadline) }
                    let responsible = responsibles.count == parts.count ? responsibles[k] : responsibles.joined(separator: "; ")
                    if !responsible.isEmpty { out.append("Ответственные: " + responsible) }
                }
                continue
            }
            if !main.isEmpty { out.append(main.joined(separator: " ")) }
            // `1) 20.11.2025 2) 28.11.2025` not matched to items: the dates without their numbers, not stages.
            if let d = deadlineColumn, d < row.count, !row[d].isEmpty {
                let pieces = Self.enumeratedPieces(row[d])
                // `февраль` | `октябрь` as two paragraphs of the cell: months listed, `февраль, октябрь` (spec §4).
                let paragraphs = d < table[r].count ? table[r][d].filter { $0 != mergedFromAbove }.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty } : []
                let listed = pieces.count <= 1 && paragraphs.count >= 2 && paragraphs.count <= 6 && paragraphs.allSatisfy { Structure.monthHeading.matches(Russian.fold($0)) }
                out.append("Срок: " + (listed ? paragraphs.joined(separator: ", ") : pieces.count > 1 ? pieces[pieces.count - 1] : row[d]))
            }
            if let yearColumns, let marks = YearMarks.line(row, columns: yearColumns) { out.append("Срок: " + marks) }
            // (A row whose one cell spans every part, `в течение учебного года`, has fewer cells than the header: that cell.)
            if let partColumns, let first = partColumns.first {
                let spanning = row.count < (headerWidth ?? 0) && first.index < row.count && row[first.index].count > 3
                if let marks = spanning ? row[first.index] : PeriodMarks.line(row, columns: partColumns) { out.append("Срок: " + marks) }
            }
            if let r = responsibleColumn, r < row.count, !row[r].isEmpty { out.append("Ответственные: " + row[r]) }
        }
        return out
    }
}
