import Foundation
import Testing
import PartaApp
import PartaTesting
@testable import PartaResolution   // its ZIP reader opens the workbook: a reader written apart from the writer

/// `parta hub report --format csv|xlsx` through the real binary: what it writes where, in which
/// language, and what it refuses (Protocol/exports-v1.md).
@Suite struct ReportExportCLITests {
    let parta: PartaBinary
    let dir = TemporaryDirectory("parta-report-export")
    var hub: [String] { ["--data", dir.file("hub")] }
    static let now = ["PARTA_NOW": "2020-09-20"]

    init() throws {
        parta = try PartaBinary()
        for arguments in [["hub", "init", "--name", "Отдел образования"],
                          ["hub", "school", "add", "s1", "--name", #"МБОУ "Лицей № 1"; корпус 2"#],
                          ["hub", "school", "add", "s2", "--name", "=1+2"],
                          ["hub", "task", "add", "--title", "Обновить программу воспитания", "--number", "2.1",
                           "--deadline", "2020-09-10", "--assign-all"]] {
            let r = try parta.run(arguments + hub, environment: ["PARTA_NOW": "2020-09-01"])
            #expect(r.status == 0, "parta \(arguments.joined(separator: " ")): \(r.stderr)")
        }
    }

    func report(_ arguments: [String], language: String = "ru_RU.UTF-8") throws -> PartaBinary.Run {
        try parta.run(["hub", "report"] + arguments + hub, language: language, environment: Self.now)
    }

    func fileBytes(_ path: String) -> [UInt8] { FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? [] }

    @Test func csvGoesToStandardOutputAsTheSchoolsTableForRussianExcel() throws {
        defer { dir.remove() }
        let r = try report(["--format", "csv"])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        #expect(r.stdout == "\u{FEFF}" + [
            "Код;Школа;Назначено задач;не начато;в работе;выполнено;есть препятствия;Просрочено;% выполнено;Последний пакет",
            #"s1;"МБОУ ""Лицей № 1""; корпус 2";1;1;0;0;0;1;0,0;"#,
            "s2;'=1+2;1;1;0;0;0;1;0,0;",
        ].map { $0 + "\r\n" }.joined())
    }

    @Test func csvOfTheTasksTableGoesToAFileAndTheCommandSaysWhatItWrote() throws {
        defer { dir.remove() }
        let path = dir.file("out/zadachi.csv")
        let r = try report(["--format", "csv", "--table", "tasks", "--output", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Записан \(path): «Задачи», строк — 1.\n")
        let tables = try PartaNode.openHub(directory: dir.file("hub")).summaryTables(today: "2020-09-20")
        #expect(fileBytes(path) == CSVExport.bytes(tables[1]))
        #expect(String(decoding: fileBytes(path), as: UTF8.self).contains("2.1;Обновить программу воспитания;школьный;2020-09-10;2;0;0,0;0,0;2;2020-09-10\r\n"))
    }

    @Test func xlsxGoesToTheFileGivenAndIsTheLibrarysWorkbook() throws {
        defer { dir.remove() }
        let path = dir.file("svodka.xlsx")
        let r = try report(["--format", "xlsx", "--output", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Записан \(path): «Школы», «Задачи», строк — 3.\n")
        let written = fileBytes(path)
        #expect(written.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        #expect(written == XLSXExport.bytes(try PartaNode.openHub(directory: dir.file("hub")).summaryTables(today: "2020-09-20")))
        // --table keeps one sheet.
        let one = dir.file("schools.xlsx")
        #expect(try report(["--format", "xlsx", "--table", "schools", "--output", one]).status == 0)
        #expect(fileBytes(one) == XLSXExport.bytes([try PartaNode.openHub(directory: dir.file("hub")).summaryTables(today: "2020-09-20")[0]]))
    }

    @Test func xlsxWithoutOutputIsRefusedRatherThanWrittenToTheTerminal() throws {
        defer { dir.remove() }
        let ru = try report(["--format", "xlsx"])
        #expect(ru.status == 2 && ru.stdout.isEmpty)
        #expect(ru.stderr.hasPrefix("Ошибка: Книга .xlsx — двоичный файл, и в терминал она не выводится: добавьте --output ФАЙЛ, например --output svodka.xlsx.\n"), "\(ru.stderr)")
        let en = try report(["--format", "xlsx"], language: "en_US.UTF-8")
        #expect(en.status == 2 && en.stdout.isEmpty)
        #expect(en.stderr.hasPrefix("Error: An .xlsx workbook is a binary file and is not printed to the terminal: add --output FILE, for example --output summary.xlsx.\n"), "\(en.stderr)")
    }

    @Test func aFileNamedForTheOtherFormatIsRefusedInBothLanguages() throws {
        defer { dir.remove() }
        let xlsx = dir.file("svodka.xlsx"), csv = dir.file("Svodka.CSV")
        let ru = try report(["--format", "csv", "--output", xlsx])
        #expect(ru.status == 2 && ru.stdout.isEmpty, "\(ru.status) \(ru.stderr)")
        #expect(ru.stderr.hasPrefix("Ошибка: --format csv записывает файл CSV, а --output \(xlsx) оканчивается на .xlsx: Excel откроет его неправильно или не откроет вовсе. Укажите --format xlsx или назовите файл \(dir.file("svodka.csv")).\n"), "\(ru.stderr)")
        let en = try report(["--format", "xlsx", "--output", csv], language: "en_US.UTF-8")
        #expect(en.status == 2 && en.stdout.isEmpty, "\(en.status) \(en.stderr)")
        #expect(en.stderr.hasPrefix("Error: --format xlsx writes an XLSX file, but --output \(csv) ends in .csv: Excel would open it wrongly or not at all. Use --format csv, or name the file \(dir.file("Svodka.xlsx")).\n"), "\(en.stderr)")
        #expect(!FileManager.default.fileExists(atPath: xlsx) && !FileManager.default.fileExists(atPath: csv))
        // Any other name is the user's choice.
        #expect(try report(["--format", "csv", "--output", dir.file("svodka.txt")]).status == 0)
    }

    /// A real resolution's tasks in the workbook, read back from the ZIP: each deadline that is a
    /// date is a date cell (a number with a date format) in the last column, the words of the
    /// resolution in column 4 as before; the number has its own text column, and the text is whole.
    @Test func theWorkbooksDeadlinesAreDateCellsAsWellAsTheWordsOfTheResolution() throws {
        defer { dir.remove() }
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../PartaResolutionTests/Fixtures/muchkap-2020.txt").standardizedFileURL.path
        for arguments in [["hub", "import-resolution", sample], ["hub", "assign", "--resolution", "latest", "--level", "school", "--to", "all"]] {
            let r = try parta.run(arguments + hub, environment: ["PARTA_NOW": "2020-09-01"])
            #expect(r.status == 0, "parta \(arguments.joined(separator: " ")): \(r.stderr)")
        }
        let path = dir.file("svodka.xlsx")
        #expect(try report(["--format", "xlsx", "--output", path]).status == 0)
        let bytes = fileBytes(path)
        let parts = try Zip.entries(bytes).map { ($0.name, String(decoding: try Zip.extract($0, from: bytes), as: UTF8.self)) }
        let styles = try #require(parts.first { $0.0 == "xl/styles.xml" }?.1)
        let sheet = try #require(parts.first { $0.0 == "xl/worksheets/sheet2.xml" }?.1)
        // Style 5 is a date format.
        #expect(styles.contains(#"<numFmt numFmtId="166" formatCode="yyyy-mm-dd"/>"#))
        let xfs = styles.components(separatedBy: "<cellXfs")[1].components(separatedBy: "<xf ").dropFirst()
        #expect(xfs.count == 6 && xfs[xfs.startIndex + 5].hasPrefix(#"numFmtId="166""#), "\(styles)")
        #expect(sheet.contains(#"<c r="D1" s="1" t="inlineStr"><is><t xml:space="preserve">Срок</t></is></c>"#))
        #expect(sheet.contains(#"<c r="J1" s="1" t="inlineStr"><is><t xml:space="preserve">Срок (дата)</t></is></c>"#))

        // Rows by their cells: "D7" -> the <c> element.
        var cells: [String: String] = [:]
        for piece in sheet.components(separatedBy: "<c r=\"").dropFirst() {
            let ref = String(piece.prefix { $0 != "\"" })
            cells[ref] = "<c r=\"" + (piece.components(separatedBy: "</c>").first ?? "") + "</c>"
        }
        func text(_ ref: String) -> String? {
            guard let c = cells[ref], c.contains(#"t="inlineStr""#) else { return nil }
            return c.components(separatedBy: #"<t xml:space="preserve">"#).last?.components(separatedBy: "</t>").first
        }
        let rows = Set(cells.keys.map { String($0.drop { $0.isLetter }) }).compactMap(Int.init).filter { $0 > 1 }.sorted()
        #expect(rows.count >= 5)
        var dated = 0, words: Set<String> = []
        for row in rows {
            // The number: text of its own (3.10 never read as 3.1), as printed.
            let number = try #require(text("A\(row)"), "row \(row): \(cells["A\(row)"] ?? "none")")
            #expect(number.first?.isNumber == true && !number.contains(" "), "row \(row): \(number)")
            // The whole text, never cut with an ellipsis.
            let task = try #require(text("B\(row)"))
            #expect(!task.hasSuffix("…") && task.count > 10, "row \(row): \(task)")
            let written = text("D\(row)") ?? ""
            if let date = cells["J\(row)"] {
                // A number (no t attribute), style 5, a whole day; "до 10.10.2020" is 44114.
                #expect(date.hasPrefix(#"<c r="J\#(row)" s="5"><v>"#) && !date.contains(" t="), "\(date)")
                let serial = Double(date.components(separatedBy: "<v>")[1].components(separatedBy: "</v>")[0]) ?? 0
                #expect(serial == serial.rounded() && (43466...46022).contains(serial), "\(date)")   // 2019–2025
                if written == "до 10.10.2020" { #expect(serial == 44114) }
                if written == "до 31.12.2020" { #expect(serial == 44196) }
                // A period is due on its last day: "в течение года" from 2020-08-26 ends 2021-08-25.
                if written == "в течение года" { #expect(serial == 44433) }
                dated += 1
            }
            words.insert(written)
            #expect(!written.isEmpty || cells["J\(row)"] == nil, "row \(row): no words for its deadline")
        }
        // Every deadline of this resolution has a day it is due.
        #expect(dated == rows.count, "\(dated) of \(rows.count) deadlines became dates")
        #expect(words.contains { $0.hasPrefix("до ") }, "\(words)")
        #expect(rows.contains { (text("B\($0)")?.count ?? 0) > 160 }, "no task text longer than a title")
    }

    @Test func withLangEnTheHeadersAndSheetNamesAreEnglish() throws {
        defer { dir.remove() }
        let csv = try report(["--format", "csv", "--table", "tasks"], language: "en_US.UTF-8")
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("\u{FEFF}№;Task;Level;Deadline;Schools assigned;Done;% done;Average progress;Overdue;Deadline (date)\r\n2.1;Обновить программу воспитания;school;2020-09-10;"), "\(csv.stdout)")
        let path = dir.file("summary.xlsx")
        let xlsx = try report(["--format", "xlsx", "--output", path], language: "en_US.UTF-8")
        #expect(xlsx.stdout == "Wrote \(path): “Schools”, “Tasks”, 3 rows.\n")
        #expect(fileBytes(path) == XLSXExport.bytes(try PartaNode.openHub(directory: dir.file("hub")).summaryTables(today: "2020-09-20", language: .en)))
    }

    @Test func theTableStaysTheDefaultAndFormatJsonIsTheJsonFlag() throws {
        defer { dir.remove() }
        let table = try report([])
        #expect(table.status == 0 && table.stdout.hasPrefix("По задачам\n") && table.stdout.contains("\nПо школам\n"), "\(table.stdout)")
        let explicit = try report(["--format", "table"])
        #expect(explicit.stdout == table.stdout)
        let json = try report(["--format", "json"]), flag = try report(["--json"])
        #expect(json.status == 0 && json.stdout == flag.stdout)
    }

    @Test func contradictoryOptionsAreUsageErrorsAndAnUnwritableFileFailsNamingIt() throws {
        defer { dir.remove() }
        for arguments in [["--format", "csv", "--json"], ["--output", dir.file("x.txt")], ["--format", "json", "--table", "tasks"],
                          ["--format", "ods"]] {
            let r = try report(arguments, language: "en_US.UTF-8")
            #expect(r.status == 2 && r.stdout.isEmpty, "\(arguments): \(r.status) \(r.stderr)")
        }
        try "".write(toFile: dir.file("a-file"), atomically: true, encoding: .utf8)
        let path = dir.file("a-file/summary.xlsx")   // a folder that is a file
        let r = try report(["--format", "xlsx", "--output", path], language: "en_US.UTF-8")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("Error: Cannot write \(path) (") && r.stderr.contains("Choose another file with --output"), "\(r.stderr)")
    }
}
