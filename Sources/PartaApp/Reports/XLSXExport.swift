import PartaCore

/// ``SummaryTable``s as one Excel workbook (Office Open XML, `.xlsx`), one sheet per table
/// (Protocol/exports-v1.md §4).
public enum XLSXExport {
    /// The bytes of an `.xlsx` workbook holding `tables` as sheets, in order; the first is the
    /// active one. With no tables, the workbook has one empty sheet, `Sheet1`.
    ///
    /// Guarantees, for any input:
    /// - a ZIP archive whose entries are, in order, `[Content_Types].xml`, `_rels/.rels`,
    ///   `xl/workbook.xml`, `xl/_rels/workbook.xml.rels`, `xl/styles.xml` and
    ///   `xl/worksheets/sheet1.xml` … `sheetN.xml`, each deflated, with a correct CRC-32;
    /// - well-formed XML 1.0: every text is escaped, and characters XML 1.0 does not allow
    ///   (controls other than tab, LF, CR; U+FFFE, U+FFFF) are removed; a text longer than
    ///   Excel's 32,767 characters per cell is cut to that length;
    /// - sheet names Excel accepts: `[ ] : * ? / \` removed, no leading or trailing `'`, at most
    ///   31 characters, distinct regardless of case (a repeated name gets ` (2)`, ` (3)` …), and
    ///   `SheetN` for a name left empty, no leading or trailing space;
    /// - a bold header row that stays in view (frozen) and carries an autofilter, column widths
    ///   from the longest value, texts as inline strings, numbers as numbers (percentages as the
    ///   fraction with format `0.0%`, date-times as date serial numbers with `yyyy-mm-dd hh:mm`,
    ///   dates as whole serial numbers with `yyyy-mm-dd`).
    ///
    /// The same tables always give the same bytes (every entry is dated 1980-01-01 00:00).
    /// Not promised: that zlib of another version compresses to the same bytes, or dates before
    /// 1900-03-01 (Excel's 1900 leap-year bug shifts them by a day).
    public static func bytes(_ tables: [SummaryTable]) -> [UInt8] {
        let tables = tables.isEmpty ? [SummaryTable(id: "", name: "", headers: [])] : tables
        let names = sheetNames(tables.map(\.name))
        var zip = ZipWriter()
        zip.add("[Content_Types].xml", Array(contentTypes(sheets: tables.count).utf8))
        zip.add("_rels/.rels", Array(packageRelationships.utf8))
        zip.add("xl/workbook.xml", Array(workbook(tables, names: names).utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array(workbookRelationships(sheets: tables.count).utf8))
        zip.add("xl/styles.xml", Array(styles.utf8))
        for (i, table) in tables.enumerated() {
            zip.add("xl/worksheets/sheet\(i + 1).xml", Array(worksheet(table, selected: i == 0).utf8))
        }
        return zip.finish()
    }

    // MARK: Parts

    static let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    static let mainNS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static func contentTypes(sheets: Int) -> String {
        let ml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        var xml = header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + #"<Override PartName="/xl/workbook.xml" ContentType="\#(ml).sheet.main+xml"/>"#
            + #"<Override PartName="/xl/styles.xml" ContentType="\#(ml).styles+xml"/>"#
        for i in 1...sheets { xml += #"<Override PartName="/xl/worksheets/sheet\#(i).xml" ContentType="\#(ml).worksheet+xml"/>"# }
        return xml + "</Types>"
    }

    static let packageRelationships = header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="\#(relationshipNS)/officeDocument" Target="xl/workbook.xml"/></Relationships>"#

    static func workbookRelationships(sheets: Int) -> String {
        var xml = header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for i in 1...sheets { xml += #"<Relationship Id="rId\#(i)" Type="\#(relationshipNS)/worksheet" Target="worksheets/sheet\#(i).xml"/>"# }
        return xml + #"<Relationship Id="rId\#(sheets + 1)" Type="\#(relationshipNS)/styles" Target="styles.xml"/></Relationships>"#
    }

    static func workbook(_ tables: [SummaryTable], names: [String]) -> String {
        var xml = header + #"<workbook xmlns="\#(mainNS)" xmlns:r="\#(relationshipNS)"><bookViews><workbookView activeTab="0"/></bookViews><sheets>"#
        for (i, name) in names.enumerated() { xml += #"<sheet name="\#(escape(name))" sheetId="\#(i + 1)" r:id="rId\#(i + 1)"/>"# }
        xml += "</sheets>"
        // Excel keeps each sheet's autofilter range in a hidden name as well.
        let filters = tables.enumerated().compactMap { i, table in
            filterRange(table).map { #"<definedName name="_xlnm._FilterDatabase" localSheetId="\#(i)" hidden="1">"#
                + escape("'" + names[i].replacingOccurrences(of: "'", with: "''") + "'!" + $0.absolute) + "</definedName>" }
        }
        if !filters.isEmpty { xml += "<definedNames>" + filters.joined() + "</definedNames>" }
        return xml + "</workbook>"
    }

    /// Cell formats (`s` attributes): 0 plain, 1 bold header, 2 percent, 3 decimal, 4 date-time, 5 date.
    enum Style: Int { case plain = 0, header, percent, decimal, dateTime, date }

    static let styles = header + #"<styleSheet xmlns="\#(mainNS)">"#
        + #"<numFmts count="3"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="166" formatCode="yyyy-mm-dd"/></numFmts>"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#
        + #"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#

    static func worksheet(_ table: SummaryTable, selected: Bool) -> String {
        let rows = table.paddedRows
        let width = max(table.headers.count, rows.map(\.count).max() ?? 0)
        var xml = header + #"<worksheet xmlns="\#(mainNS)" xmlns:r="\#(relationshipNS)">"#
        xml += #"<dimension ref="\#(width == 0 ? "A1" : "A1:\(column(width - 1))\(rows.count + 1)")"/>"#
        xml += #"<sheetViews><sheetView workbookViewId="0"\#(selected ? #" tabSelected="1""# : "")>"#
            + #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            + #"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"#
        xml += #"<sheetFormatPr defaultRowHeight="15"/>"#
        if width > 0 {
            xml += "<cols>"
            for c in 0..<width {
                let longest = max(c < table.headers.count ? displayLength(.text(table.headers[c])) + 2 : 0,
                                  rows.map { c < $0.count ? displayLength($0[c]) : 0 }.max() ?? 0)
                let w = min(60, max(8, longest + 2))
                xml += #"<col min="\#(c + 1)" max="\#(c + 1)" width="\#(w)" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        xml += row(1, table.headers.map { SummaryTable.Cell.text($0) }, style: .header)
        for (i, cells) in rows.enumerated() { xml += row(i + 2, cells, style: nil) }
        xml += "</sheetData>"
        if let range = filterRange(table) { xml += #"<autoFilter ref="\#(range.relative)"/>"# }
        return xml + "</worksheet>"
    }

    /// One `<row>`; `style` overrides the cells' own (for the header).
    static func row(_ rowNumber: Int, _ cells: [SummaryTable.Cell], style: Style?) -> String {
        var xml = #"<row r="\#(rowNumber)">"#
        for (i, cell) in cells.enumerated() {
            let ref = "\(column(i))\(rowNumber)"
            func numeric(_ value: Double, _ own: Style) -> String {
                guard value.isFinite else { return "" }
                let s = (style ?? own).rawValue
                return #"<c r="\#(ref)"\#(s == 0 ? "" : #" s="\#(s)""#)><v>\#(value)</v></c>"#
            }
            switch cell {
            case .empty: continue
            case .text(let text):
                let s = (style ?? .plain).rawValue
                xml += #"<c r="\#(ref)"\#(s == 0 ? "" : #" s="\#(s)""#) t="inlineStr"><is><t xml:space="preserve">"#
                    + escape(literalUnderscores(cut(text))) + "</t></is></c>"
            case .integer(let n):
                let s = (style ?? .plain).rawValue
                xml += #"<c r="\#(ref)"\#(s == 0 ? "" : #" s="\#(s)""#)><v>\#(n)</v></c>"#
            case .percent(let p): xml += numeric(p / 100, .percent)
            case .decimal(let d): xml += numeric(d, .decimal)
            case .dateTime(let t): xml += numeric(serial(t), .dateTime)
            case .date(let d): xml += numeric(serial(SummaryTable.LocalDateTime(year: d.year, month: d.month, day: d.day)), .date)
            }
        }
        return xml + "</row>"
    }

    /// The autofilter's range, the header row and every row below it; nil for a table without columns.
    static func filterRange(_ table: SummaryTable) -> (relative: String, absolute: String)? {
        let width = max(table.headers.count, table.rows.map(\.count).max() ?? 0)
        guard width > 0 else { return nil }
        let last = column(width - 1), bottom = table.rows.count + 1
        return ("A1:\(last)\(bottom)", "$A$1:$\(last)$\(bottom)")
    }

    // MARK: Values

    /// The column letters of zero-based column `index`: A … Z, AA … .
    static func column(_ index: Int) -> String {
        var n = index + 1, letters = ""
        while n > 0 {
            let r = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + r))) + letters
            n = (n - 1) / 26
        }
        return letters
    }

    /// Days since 1899-12-30, the day fraction being the time: what Excel stores for a date.
    static func serial(_ t: SummaryTable.LocalDateTime) -> Double {
        let days = CivilTime.daysFromCivil(year: t.year, month: t.month, day: t.day) - CivilTime.daysFromCivil(year: 1899, month: 12, day: 30)
        return Double(days) + Double(t.hour * 60 + t.minute) / 1440
    }

    /// About how many characters wide a cell shows (its longest line).
    static func displayLength(_ cell: SummaryTable.Cell) -> Int {
        switch cell {
        case .empty: return 0
        case .text(let text): return text.split(whereSeparator: \.isNewline).map(\.count).max() ?? 0
        case .integer(let n): return String(n).count
        case .percent: return 7
        case .decimal(let d): return d.isFinite ? String(Int(d.magnitude.rounded())).count + 4 : 0
        case .dateTime: return 16
        case .date: return 10
        }
    }

    /// Excel's limit on a cell's text, in UTF-16 code units.
    static let maximumCellText = 32_767

    static func cut(_ text: String) -> String {
        guard text.utf16.count > maximumCellText else { return text }
        var out = "", units = 0
        for character in text {
            units += character.utf16.count
            if units > maximumCellText { break }
            out.append(character)
        }
        return out
    }

    /// Excel reads `_xHHHH_` in a text as the character U+HHHH; a text that holds those letters
    /// keeps them by escaping its underscore as `_x005F_`.
    static func literalUnderscores(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if scalars[i] == "_", i + 6 < scalars.count, scalars[i + 1] == "x", scalars[i + 6] == "_",
               scalars[(i + 2)...(i + 5)].allSatisfy({ $0.properties.isASCIIHexDigit }) {
                out.append(contentsOf: "_x005F".unicodeScalars)
            }
            out.append(scalars[i])
            i += 1
        }
        return String(out)
    }

    /// `text` for XML element content or a double-quoted attribute: `& < > "` escaped, CR kept
    /// as `&#13;` (a parser would turn a literal one into LF), characters XML 1.0 forbids removed.
    static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for s in text.unicodeScalars {
            switch s {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r": out += "&#13;"
            case "\t", "\n": out.unicodeScalars.append(s)
            default:
                if s.value < 0x20 || s.value == 0xFFFE || s.value == 0xFFFF { continue }
                out.unicodeScalars.append(s)
            }
        }
        return out
    }

    /// Names Excel accepts for sheets, one per given name (see ``bytes(_:)``).
    static func sheetNames(_ wanted: [String]) -> [String] {
        let forbidden = Set("[]:*?/\\".unicodeScalars)
        var used: Set<String> = ["history"]   // reserved by Excel
        var names: [String] = []
        for (i, name) in wanted.enumerated() {
            var base = String(String.UnicodeScalarView(name.unicodeScalars.filter {
                !forbidden.contains($0) && !($0.value < 0x20 || $0.value == 0xFFFE || $0.value == 0xFFFF)
            }))
            base = base.trimmingApostrophes()
            if base.isEmpty { base = "Sheet\(i + 1)" }
            var candidate = fit(base, suffix: ""), n = 1
            while used.contains(candidate.lowercased()) {
                n += 1
                candidate = fit(base, suffix: " (\(n))")
            }
            used.insert(candidate.lowercased())
            names.append(candidate)
        }
        return names
    }

    /// `base` cut so that it and `suffix` make at most 31 UTF-16 units, without a trailing `'` or space.
    static func fit(_ base: String, suffix: String) -> String {
        var out = ""
        for character in base {
            if (out + String(character)).utf16.count + suffix.utf16.count > 31 { break }
            out.append(character)
        }
        return out.trimmingApostrophes() + suffix
    }
}

extension String {
    /// Without leading and trailing apostrophes and white space.
    fileprivate func trimmingApostrophes() -> String {
        var s = Substring(self)
        while let f = s.first, f == "'" || f.isWhitespace { s.removeFirst() }
        while let l = s.last, l == "'" || l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
