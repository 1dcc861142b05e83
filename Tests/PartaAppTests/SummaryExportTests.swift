import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import PartaCore
import PartaApp
@testable import PartaResolution   // its ZIP reader opens the workbooks: a reader written apart from the writer
import PartaTesting

/// The summary a municipality sends its region (Protocol/exports-v1.md): its tables, the CSV
/// bytes, and the XLSX package taken apart entry by entry.
@Suite struct SummaryExportTests {
    let day = testMilliseconds(year: 2020, month: 9, day: 1)
    let moscow = TimeZone(identifier: "Europe/Moscow")!

    /// Three schools (one with `"` and `;` in its name, one named like a formula, one without
    /// tasks) and two tasks; school s1 reports over a stick, so the hub has heard from it.
    func smallHub(_ dir: TemporaryDirectory) throws -> (hub: HubNode, school: SchoolNode) {
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Отдел образования", now: day)
        try hub.addSchool(id: "s1", name: #"МБОУ "Лицей № 1"; корпус 2"#, now: day)
        try hub.addSchool(id: "s2", name: #"=HYPERLINK("http://x";"click")"#, now: day)
        try hub.addSchool(id: "s3", name: "СОШ № 3", now: day)
        var first = PartaNode.NewTask(title: "Обновить программу воспитания")
        first.number = "2.1"; first.deadline = "2020-09-10"; first.deadlineRaw = "до 10.09.2020"
        try hub.addTask(first, assignTo: ["s1", "s2"], now: day)
        var second = PartaNode.NewTask(title: "-10% отчислений")
        second.level = "municipal"
        try hub.addTask(second, assignTo: ["s1"], now: day)
        let stick = dir.file("stick")
        _ = try hub.exportForSchools(to: stick, now: day + 1)
        let (s1, _) = try PartaNode.createSchoolNode(directory: dir.file("s1"), fromBundle: stick + "/s1",
                                                     code: try hub.replica.openEnrollmentCodes(partition: "s1")[0], name: "PC", now: day + 2)
        try s1.report(task: "t1", status: .done, progress: nil, comment: "ok", now: day + 3)
        try s1.report(task: "t2", status: .inProgress, progress: 40, comment: nil, now: day + 3)
        _ = try s1.exportForHub(to: stick, now: day + 4)
        _ = try hub.importBundles(at: stick, now: day + 5)
        return (hub, s1)
    }

    static func csv(_ lines: [String]) -> [UInt8] { [0xEF, 0xBB, 0xBF] + Array(lines.map { $0 + "\r\n" }.joined().utf8) }

    // MARK: Tables and CSV

    @Test func theSchoolsCSVIsExactBytesWithBOMSemicolonsCRLFQuotingAndTheFormulaGuard() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (hub, _) = try smallHub(dir)
        let tables = try hub.summaryTables(today: "2020-09-20", timeZone: moscow)
        #expect(tables.map(\.id) == ["schools", "tasks"])
        #expect(tables.map(\.name) == ["Школы", "Задачи"])
        // The stick was taken in at 12:00 UTC, 15:00 in Moscow; s2 was never heard from, s3 has no tasks.
        #expect(CSVExport.bytes(tables[0]) == Self.csv([
            "Код;Школа;Назначено задач;не начато;в работе;выполнено;есть препятствия;Просрочено;% выполнено;Последний пакет",
            #"s1;"МБОУ ""Лицей № 1""; корпус 2";2;0;1;1;0;0;50,0;2020-09-01 15:00"#,
            #"s2;"'=HYPERLINK(""http://x"";""click"")";1;1;0;0;0;1;0,0;"#,
            "s3;СОШ № 3;0;0;0;0;0;0;;",
        ]))
    }

    @Test func theTasksCSVGivesTheDeadlineAsWrittenTheLevelInWordsAndAverageProgress() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (hub, _) = try smallHub(dir)
        let tasks = try hub.summaryTables(today: "2020-09-20", timeZone: moscow)[1]
        #expect(CSVExport.bytes(tasks) == Self.csv([
            "№;Задача;Уровень;Срок;Назначено школ;Выполнено;% выполнено;Средний прогресс;Просрочено;Срок (дата)",
            "2.1;Обновить программу воспитания;школьный;до 10.09.2020;2;1;50,0;50,0;1;2020-09-10",
            ";'-10% отчислений;муниципальный;;1;0;0,0;40,0;0;",
        ]))
    }

    @Test func englishTablesHaveEnglishHeadersSheetNamesAndLevels() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (hub, _) = try smallHub(dir)
        let tables = try hub.summaryTables(today: "2020-09-20", language: .en, timeZone: moscow)
        #expect(tables.map(\.name) == ["Schools", "Tasks"])
        #expect(tables[0].headers == ["ID", "School", "Tasks assigned", "new", "in progress", "done", "blocked", "Overdue", "% done", "Last heard from"])
        #expect(tables[1].headers == ["№", "Task", "Level", "Deadline", "Schools assigned", "Done", "% done", "Average progress", "Overdue", "Deadline (date)"])
        #expect(tables[1].rows.map { $0[2] } == [.text("school"), .text("municipal")])
    }

    @Test func theTablesCarryTheNumbersOfTheHubReport() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (hub, _) = try smallHub(dir)
        let report = try hub.hubReport(today: "2020-09-20")
        let tables = try hub.summaryTables(today: "2020-09-20", timeZone: moscow)
        #expect(tables[0].rows.map { $0[0] } == report.schools.map { .text($0.id) })
        #expect(tables[0].rows.map { $0[2] } == report.schools.map { .integer($0.assigned) })
        #expect(tables[1].rows.map { $0[8] } == report.tasks.map { .integer($0.overdue) })
        #expect(tables[1].rows.map { $0[7] } == report.tasks.map { .percent($0.averageProgress) })
    }

    @Test func atARegionTheSchoolsTableNamesEachSchoolsMunicipalityAndAMunicipalitysDoesNot() throws {
        let d = try TiersTests.District(); defer { d.dir.remove() }
        try d.join()
        let region = try d.region.summaryTables(today: "2020-09-02", timeZone: moscow)[0]
        #expect(region.headers.prefix(4) == ["Код", "Школа", "Муниципалитет", "Назначено задач"])
        #expect(region.rows.map { $0[2] } == [.text("mun-a"), .text("mun-a"), .text("mun-b"), .text("mun-b")])
        #expect(region.rows.allSatisfy { $0.count == region.headers.count })
        // Heard from through the municipality's hub.
        #expect(region.rows.allSatisfy { if case .dateTime = $0[10] { true } else { false } })
        let municipality = try d.municipalities["mun-a"]!.summaryTables(today: "2020-09-02", timeZone: moscow)[0]
        #expect(municipality.headers[2] == "Назначено задач" && municipality.headers.count == 10)
    }

    @Test func aSchoolNodeHasNoSummaryToExport() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (_, school) = try smallHub(dir)
        // A school node has no such method; opened as a hub, its folder is refused.
        #expect { try PartaNode.openHub(directory: school.dataDirectory).summaryTables(today: "2020-09-20") } throws: { ($0 as? PartaError)?.code == .wrongNodeKind }
    }

    @Test func csvNumbersUseADecimalCommaAndRoundHalfAwayFromZeroAndOnlyTextIsGuarded() {
        let table = SummaryTable(id: "t", name: "T", headers: ["=A", "B"], rows: [
            [.percent(100.0 / 3), .decimal(2.5)],
            [.percent(6.25), .decimal(-1.125)],
            [.percent(-0.04), .integer(-5)],
            [.percent(.nan), .decimal(.infinity)],
            [.text("+7 900"), .text("@user")],
            [.text("\tx"), .text("\rx")],
            [.text("a\nb"), .text("plain 'quote'")],
            [.dateTime(.init(year: 2021, month: 1, day: 2, hour: 3, minute: 4))],
        ])
        #expect(CSVExport.bytes(table) == Self.csv([
            "'=A;B",
            "33,3;2,50",
            "6,3;-1,13",
            "0,0;-5",
            ";",
            "'+7 900;'@user",
            "'\tx;\"'\rx\"",
            "\"a\nb\";plain 'quote'",
            "2021-01-02 03:04;",
        ]))
    }

    // MARK: XLSX

    /// Every entry of the archive, checked: local header and central directory agree, names are
    /// flagged UTF-8, data is deflated, and unpacking passes the CRC-32 (`Zip.extract`).
    func entries(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> [(name: String, data: [UInt8])] {
        try Zip.entries(bytes).map { entry in
            let h = entry.localHeaderOffset
            #expect(Zip.u32(bytes, h) == 0x0403_4B50, sourceLocation: sourceLocation)
            #expect(Zip.u16(bytes, h + 6) == 0x0800 && entry.flags == 0x0800, "\(entry.name): flags", sourceLocation: sourceLocation)
            #expect(Zip.u16(bytes, h + 8) == 8 && entry.method == 8, "\(entry.name): deflated", sourceLocation: sourceLocation)
            #expect(Zip.u32(bytes, h + 14) == entry.crc32, sourceLocation: sourceLocation)
            #expect(Int(Zip.u32(bytes, h + 18)) == entry.compressedSize && Int(Zip.u32(bytes, h + 22)) == entry.uncompressedSize,
                    sourceLocation: sourceLocation)
            let nameLength = Int(Zip.u16(bytes, h + 26))
            #expect(String(decoding: bytes[(h + 30)..<(h + 30 + nameLength)], as: UTF8.self) == entry.name, sourceLocation: sourceLocation)
            return (entry.name, try Zip.extract(entry, from: bytes))
        }
    }

    @Test func theWorkbookIsAZipOfTheMinimalPartsEachWithItsChecksumAndWellFormedXML() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (hub, _) = try smallHub(dir)
        let bytes = XLSXExport.bytes(try hub.summaryTables(today: "2020-09-20", timeZone: moscow))
        let parts = try entries(bytes)
        #expect(parts.map(\.name) == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                      "xl/styles.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"])
        let xml = try Dictionary(uniqueKeysWithValues: parts.map { ($0.name, try ParsedXML.parse($0.data)) })
        // The end-of-central-directory record closes the file and counts every entry.
        #expect(Zip.u32(bytes, bytes.count - 22) == 0x0605_4B50 && Zip.u16(bytes, bytes.count - 12) == 7)

        let overrides = xml["[Content_Types].xml"]!.all("Override").map { $0["PartName"] ?? "" }
        #expect(Set(overrides) == ["/xl/workbook.xml", "/xl/styles.xml", "/xl/worksheets/sheet1.xml", "/xl/worksheets/sheet2.xml"])
        #expect(xml["_rels/.rels"]!.all("Relationship").map { $0["Target"] } == ["xl/workbook.xml"])
        #expect(xml["xl/_rels/workbook.xml.rels"]!.all("Relationship").map { $0["Target"] ?? "" }
                == ["worksheets/sheet1.xml", "worksheets/sheet2.xml", "styles.xml"])

        let workbook = xml["xl/workbook.xml"]!
        #expect(workbook.all("sheet").map { $0["name"] ?? "" } == ["Школы", "Задачи"])
        #expect(workbook.all("sheet").map { $0["r:id"] ?? "" } == ["rId1", "rId2"])
        #expect(workbook.all("definedName").map(\.text) == ["'Школы'!$A$1:$J$4", "'Задачи'!$A$1:$J$3"])

        // A bold header style and the percent and date-time formats.
        let styles = xml["xl/styles.xml"]!
        let xfs = styles.all("cellXfs").first!.all("xf")
        #expect(xfs.count == 6)
        let fonts = styles.all("font")
        #expect(fonts[Int(xfs[1]["fontId"]!)!].all("b").count == 1)
        #expect(fonts[Int(xfs[0]["fontId"]!)!].all("b").isEmpty)
        let formats = Dictionary(uniqueKeysWithValues: styles.all("numFmt").map { ($0["numFmtId"]!, $0["formatCode"]!) })
        #expect(formats[xfs[2]["numFmtId"]!] == "0.0%" && formats[xfs[4]["numFmtId"]!] == "yyyy-mm-dd hh:mm")
        #expect(xfs[3]["numFmtId"] == "2")
        #expect(formats[xfs[5]["numFmtId"]!] == "yyyy-mm-dd")

        let schools = xml["xl/worksheets/sheet1.xml"]!
        #expect(schools.all("dimension").first?["ref"] == "A1:J4")
        #expect(schools.all("autoFilter").first?["ref"] == "A1:J4")
        let pane = try #require(schools.all("pane").first)
        #expect(pane["state"] == "frozen" && pane["ySplit"] == "1" && pane["topLeftCell"] == "A2")
        #expect(schools.all("sheetView").first?["tabSelected"] == "1")
        #expect(xml["xl/worksheets/sheet2.xml"]!.all("sheetView").first?["tabSelected"] == nil)
        let widths = schools.all("col").map { Double($0["width"]!)! }
        #expect(widths.count == 10 && widths.allSatisfy { (8...60).contains($0) })
        #expect(widths[1] > widths[0])   // names are longer than ids

        let cells = SheetCell.all(in: schools)
        #expect(cells["A1"] == SheetCell(type: "inlineStr", style: "1", value: "Код"))
        #expect(cells["J1"] == SheetCell(type: "inlineStr", style: "1", value: "Последний пакет"))
        #expect(cells["B2"] == SheetCell(type: "inlineStr", style: nil, value: #"МБОУ "Лицей № 1"; корпус 2"#))
        // In a workbook a text is never a formula, so it needs no guard.
        #expect(cells["B3"] == SheetCell(type: "inlineStr", style: nil, value: #"=HYPERLINK("http://x";"click")"#))
        #expect(schools.all("f").isEmpty)
        #expect(cells["C2"] == SheetCell(type: nil, style: nil, value: "2"))
        #expect(cells["I2"] == SheetCell(type: nil, style: "2", value: "0.5"))
        // 2020-09-01 15:00 is 44075 days after 1899-12-30, and 15/24 of a day.
        #expect(cells["J2"].map { $0.style == "4" && Double($0.value) == 44075 + 15.0 / 24 } == true)
        #expect(cells["J3"] == nil && cells["I4"] == nil)   // never heard from; no tasks, no share
        #expect(cells.keys.filter { $0.hasSuffix("4") }.sorted() == ["A4", "B4", "C4", "D4", "E4", "F4", "G4", "H4"])

        let tasks = SheetCell.all(in: xml["xl/worksheets/sheet2.xml"]!)
        #expect(tasks["A3"] == nil && tasks["B3"]?.value == "-10% отчислений" && tasks["C3"]?.value == "муниципальный")
        #expect(tasks["D2"]?.value == "до 10.09.2020" && tasks["H3"] == SheetCell(type: nil, style: "2", value: "0.4"))
    }

    /// What a region's reader needs of a task (issue 16): its number as text in a column of its
    /// own (`3.10` stays `3.10`), its whole text, and the deadline as a date Excel sorts and filters,
    /// as well as in the words of the resolution. The date is the last column: exports-v1 only ever
    /// adds columns at the end.
    @Test func theTasksSheetHasTheNumberAsTextTheFullTextAndTheDeadlineAsADateAsWellAsInWords() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Отдел образования", now: day)
        try hub.addSchool(id: "s1", name: "СОШ № 1", now: day)
        let long = "Обеспечить участие педагогов в региональных семинарах по вопросам реализации обновлённых федеральных государственных образовательных стандартов начального и основного общего образования. "
            + "Организовать методическое сопровождение; обеспечить контроль."
        var dated = PartaNode.NewTask(title: "Обеспечить участие педагогов в региональных семинарах…")
        dated.number = "3.10"; dated.body = long; dated.deadline = "2020-10-10"; dated.deadlineRaw = "до 10.10.2020"
        try hub.addTask(dated, assignTo: ["s1"], now: day)
        var yearLong = PartaNode.NewTask(title: "Вести мониторинг")
        yearLong.number = "3.11"; yearLong.deadlineRaw = "в течение года"
        try hub.addTask(yearLong, assignTo: ["s1"], now: day)

        let parts = try entries(XLSXExport.bytes(try hub.summaryTables(today: "2020-09-20", timeZone: moscow)))
        let styles = try ParsedXML.parse(parts.first { $0.name == "xl/styles.xml" }!.data)
        let xfs = styles.all("cellXfs").first!.all("xf")
        let formats = Dictionary(uniqueKeysWithValues: styles.all("numFmt").map { ($0["numFmtId"]!, $0["formatCode"]!) })
        let sheet = try ParsedXML.parse(parts.first { $0.name == "xl/worksheets/sheet2.xml" }!.data)
        let cells = SheetCell.all(in: sheet)
        #expect(cells["D1"]?.value == "Срок" && cells["J1"]?.value == "Срок (дата)")
        // The number: an inline string, never a number (3.10 would become 3.1).
        #expect(cells["A2"] == SheetCell(type: "inlineStr", style: nil, value: "3.10"))
        // The whole text, not the title cut at 160 characters.
        #expect(cells["B2"] == SheetCell(type: "inlineStr", style: nil, value: long))
        // The deadline: a number (no `t`), 2020-10-10 being 44114 days after 1899-12-30, in a date format.
        let d2 = try #require(cells["J2"])
        #expect(d2.type == nil && Double(d2.value) == 44114)
        let dateStyle = try #require(d2.style.flatMap(Int.init))
        #expect(formats[xfs[dateStyle]["numFmtId"] ?? ""] == "yyyy-mm-dd")
        #expect(cells["D2"] == SheetCell(type: "inlineStr", style: nil, value: "до 10.10.2020"))
        // No day it is due (a deadline only in words): the date cell stays empty, the words are kept.
        #expect(cells["J3"] == nil && cells["D3"]?.value == "в течение года" && cells["A3"]?.value == "3.11")
        // The CSV carries the same: the words, and the date last.
        let csv = String(decoding: CSVExport.bytes(try hub.summaryTables(today: "2020-09-20", timeZone: moscow)[1]), as: UTF8.self)
        #expect(csv.contains("\r\n3.10;\"" + long + "\";школьный;до 10.10.2020;1;0;0,0;0,0;0;2020-10-10\r\n"), "\(csv)")
        #expect(csv.contains("\r\n3.11;Вести мониторинг;школьный;в течение года;1;"), "\(csv)")
    }

    @Test func theSameTablesGiveTheSameBytes() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let (hub, _) = try smallHub(dir)
        let tables = try hub.summaryTables(today: "2020-09-20", timeZone: moscow)
        #expect(XLSXExport.bytes(tables) == XLSXExport.bytes(tables))
        #expect(CSVExport.bytes(tables[1]) == CSVExport.bytes(tables[1]))
    }

    @Test func sheetNamesAreMadeValidShortAndDistinct() throws {
        let names = ["Итоги [2020/21]: *?", "итоги [2020/21]", "History", "'в кавычках'",
                     "Очень длинное название листа для проверки", "", "[]"]
        let bytes = XLSXExport.bytes(names.map { SummaryTable(id: "x", name: $0, headers: ["A"]) })
        let parts = try entries(bytes)
        let workbook = try ParsedXML.parse(parts.first { $0.name == "xl/workbook.xml" }!.data)
        let written = workbook.all("sheet").map { $0["name"] ?? "" }
        #expect(written == ["Итоги 202021", "итоги 202021 (2)", "History (2)", "в кавычках",
                            "Очень длинное название листа дл", "Sheet6", "Sheet7"])
        #expect(written.allSatisfy { $0.utf16.count <= 31 })
        #expect(parts.count == 5 + names.count)
    }

    @Test func textsAreEscapedStrippedOfWhatXMLForbidsAndCutToExcelsLimit() throws {
        let table = SummaryTable(id: "x", name: "X", headers: ["<&>\"", "B", "C", "D"], rows: [
            [.text("a\u{1}b\u{FFFE}c\u{B}"), .text("line 1\r\nline 2\ttab"), .text("_x0041_ stays"),
             .text(String(repeating: "я", count: 40_000))],
        ])
        let parts = try entries(XLSXExport.bytes([table]))
        let cells = SheetCell.all(in: try ParsedXML.parse(parts.first { $0.name == "xl/worksheets/sheet1.xml" }!.data))
        #expect(cells["A1"]?.value == "<&>\"")
        #expect(cells["A2"]?.value == "abc")
        #expect(cells["B2"]?.value == "line 1\r\nline 2\ttab")
        // Excel reads _xHHHH_ as a character; the writer escapes the underscore so that the letters stay.
        #expect(cells["C2"]?.value == "_x005F_x0041_ stays")
        #expect(cells["D2"]?.value.utf16.count == 32_767)
    }

    @Test func aWorkbookOfNoTablesHasOneEmptySheet() throws {
        let parts = try entries(XLSXExport.bytes([]))
        #expect(parts.map(\.name).last == "xl/worksheets/sheet1.xml" && parts.count == 6)
        let workbook = try ParsedXML.parse(parts[2].data)
        #expect(workbook.all("sheet").map { $0["name"] } == ["Sheet1"])
        #expect(workbook.all("definedName").isEmpty)
        let sheet = try ParsedXML.parse(parts[5].data)
        #expect(sheet.all("autoFilter").isEmpty && sheet.all("c").isEmpty)
    }
}

/// One `<c>` of a worksheet: its `t` and `s` attributes and its value (`<v>` or inline text).
struct SheetCell: Equatable {
    var type: String?
    var style: String?
    var value: String

    static func all(in sheet: ParsedXML) -> [String: SheetCell] {
        Dictionary(uniqueKeysWithValues: sheet.all("c").map { c in
            let value = c.all("v").first?.text ?? c.all("t").map(\.text).joined()
            return (c["r"] ?? "", SheetCell(type: c["t"], style: c["s"], value: value))
        })
    }
}

/// An element parsed by Foundation's `XMLParser`: enough of a DOM to look parts up by name.
final class ParsedXML {
    let name: String
    let attributes: [String: String]
    var children: [ParsedXML] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    subscript(attribute: String) -> String? { attributes[attribute] }

    /// Every element below this one (and itself) with that name, in document order.
    func all(_ name: String) -> [ParsedXML] {
        (self.name == name ? [self] : []) + children.flatMap { $0.all(name) }
    }

    struct Malformed: Error { var description: String }

    /// Parses `data`, which must be well-formed XML 1.0.
    static func parse(_ data: [UInt8]) throws -> ParsedXML {
        final class Builder: NSObject, XMLParserDelegate {
            var stack = [ParsedXML(name: "#document", attributes: [:])]
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                let node = ParsedXML(name: name, attributes: attributes)
                stack.last!.children.append(node)
                stack.append(node)
            }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
                stack.removeLast()
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last!.text += string }
        }
        let parser = XMLParser(data: Data(data))
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse() else {
            throw Malformed(description: "\(parser.parserError.map(String.init(describing:)) ?? "?") at line \(parser.lineNumber)")
        }
        return builder.stack[0]
    }
}
