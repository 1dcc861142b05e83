import Foundation
import Testing
import PartaApp
import PartaTesting

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
        let tables = try PartaNode.open(directory: dir.file("hub")).summaryTables(today: "2020-09-20")
        #expect(fileBytes(path) == CSVExport.bytes(tables[1]))
        #expect(String(decoding: fileBytes(path), as: UTF8.self).contains("2.1;Обновить программу воспитания;школьный;2020-09-10;2;0;0,0;0,0;2\r\n"))
    }

    @Test func xlsxGoesToTheFileGivenAndIsTheLibrarysWorkbook() throws {
        defer { dir.remove() }
        let path = dir.file("svodka.xlsx")
        let r = try report(["--format", "xlsx", "--output", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Записан \(path): «Школы», «Задачи», строк — 3.\n")
        let written = fileBytes(path)
        #expect(written.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        #expect(written == XLSXExport.bytes(try PartaNode.open(directory: dir.file("hub")).summaryTables(today: "2020-09-20")))
        // --table keeps one sheet.
        let one = dir.file("schools.xlsx")
        #expect(try report(["--format", "xlsx", "--table", "schools", "--output", one]).status == 0)
        #expect(fileBytes(one) == XLSXExport.bytes([try PartaNode.open(directory: dir.file("hub")).summaryTables(today: "2020-09-20")[0]]))
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

    @Test func withLangEnTheHeadersAndSheetNamesAreEnglish() throws {
        defer { dir.remove() }
        let csv = try report(["--format", "csv", "--table", "tasks"], language: "en_US.UTF-8")
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("\u{FEFF}№;Task;Level;Deadline;Schools assigned;Done;% done;Average progress;Overdue\r\n2.1;Обновить программу воспитания;school;"), "\(csv.stdout)")
        let path = dir.file("summary.xlsx")
        let xlsx = try report(["--format", "xlsx", "--output", path], language: "en_US.UTF-8")
        #expect(xlsx.stdout == "Wrote \(path): “Schools”, “Tasks”, 3 rows.\n")
        #expect(fileBytes(path) == XLSXExport.bytes(try PartaNode.open(directory: dir.file("hub")).summaryTables(today: "2020-09-20", language: .en)))
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
