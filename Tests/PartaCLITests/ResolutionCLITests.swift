import Foundation
import Testing
import PartaTesting

/// A published resolution through the real binary: checked with --dry-run, imported, assigned by
/// rule and by the school it names, and carried to the schools by the stick and over HTTP.
@Suite struct ResolutionCLITests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    /// Runs `parta` and expects success; its standard output.
    @discardableResult func ok(_ arguments: [String], language: String = "ru_RU.UTF-8") throws -> String {
        let r = try parta.run(arguments, language: language)
        #expect(r.status == 0, "parta \(arguments.joined(separator: " ")) failed (\(r.status)): \(r.stderr)")
        return r.stdout
    }
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../PartaResolutionTests/Fixtures/muchkap-2020.txt").standardizedFileURL.path

    @Test func aResolutionBecomesTasksThatReachTheSchoolsItAddresses() throws {
        let dir = TemporaryDirectory("parta-resolution-cli")
        defer { dir.remove() }
        func data(_ name: String) -> [String] { ["--data", dir.file(name)] }
        try ok(["hub", "init", "--name", "Отдел образования администрации Мучкапского района"] + data("hub"))
        let muchkapCode = try parta.code(["hub", "school", "add", "muchkap", "--name", "МБОУ Мучкапская СОШ им. А.А. Гордеева"] + data("hub"))
        let shapkinoCode = try parta.code(["hub", "school", "add", "shapkino", "--name", "Шапкинский филиал"] + data("hub"))

        // The dry run: a tree to check, nothing stored.
        let tree = try ok(["hub", "import-resolution", Self.sample, "--dry-run"] + data("hub"))
        #expect(tree.contains("Задач: 35") && tree.contains("→ Руководителям образовательных организаций"), "\(tree)")
        #expect(tree.contains("срок: до 10.10.2020  → 2020-10-10") && tree.contains("2020-2021 уч. год  → 2020-09-01 … 2021-08-31"))
        #expect(tree.contains("ничего не сохранено"))
        #expect((try JSONSerialization.jsonObject(with: Data(try ok(["tasks", "--json"] + data("hub")).utf8)) as? [Any])?.isEmpty == true)

        // Stored; a second import changes nothing.
        let stored = try ok(["hub", "import-resolution", Self.sample, "--json"] + data("hub"))
        let result = try #require(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any])
        let resolution = try #require(result["resolution"] as? String)
        #expect((result["lines"] as? [[String: Any]])?.count == 35)
        let again = try ok(["hub", "import-resolution", Self.sample] + data("hub"), language: "en")
        #expect(again.contains("0 new, 0 updated, 35 unchanged"), "\(again)")

        // Assigned by level; section 4 names "МБОУ Мучканской СОШ" (sic), which goes to muchkap alone.
        let assigned = try ok(["hub", "assign", "--resolution", resolution, "--level", "school", "--to", "all"] + data("hub"), language: "en")
        #expect(assigned.contains("muchkap (named in the text)") && assigned.contains("10 new assignments"), "\(assigned)")

        // The department's own task: its status at the hub.
        try ok(["report", "2.3", "--status", "in_progress", "--progress", "40"] + data("hub"))
        let hubTasks = try #require(try JSONSerialization.jsonObject(with: Data(try ok(["tasks", "--json"] + data("hub")).utf8)) as? [[String: Any]])
        #expect(hubTasks.first { ($0["number"] as? String)?.hasPrefix("2.3") == true }?["status"] as? String == "in_progress")

        // To the schools: muchkap by stick, shapkino over HTTP.
        try ok(["hub", "export", "--to", dir.file("stick")] + data("hub"))
        try ok(["init", "--from", dir.file("stick"), "--code", muchkapCode, "--name", "ПК", "--data", dir.file("muchkap")])
        try ok(["init", "--from", dir.file("stick"), "--code", shapkinoCode, "--name", "ПК", "--data", dir.file("shapkino")])
        let hub = try parta.serve(data: dir.file("hub"))
        defer { hub.stop() }
        try ok(["report", "5.1", "--status", "done", "--comment", "Программа утверждена"] + data("shapkino"))
        try ok(["sync", hub.url] + data("shapkino"))
        func numbers(_ school: String) throws -> [String] {
            let list = try #require(try JSONSerialization.jsonObject(with: Data(try ok(["tasks", "--json"] + data(school)).utf8)) as? [[String: Any]])
            return list.compactMap { $0["number"] as? String }.sorted()
        }
        #expect(try numbers("muchkap") == ["4.1.", "4.2.", "4.3.", "4.4.", "5.1.", "5.2.", "5.3."])
        #expect(try numbers("shapkino") == ["5.1.", "5.2.", "5.3."])
        let show = try ok(["show", "5.1", "--json"] + data("hub"))
        #expect(show.contains("Программа утверждена"))
    }

    @Test func aFileThatIsNotAResolutionGetsAMessageNamingIt() throws {
        let dir = TemporaryDirectory("parta-resolution-bad")
        defer { dir.remove() }
        try parta.run(["hub", "init", "--name", "H", "--data", dir.file("hub")])
        let image = dir.file("scan.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 100)).write(to: URL(fileURLWithPath: image))
        let r = try parta.run(["hub", "import-resolution", image, "--data", dir.file("hub")], language: "en")
        #expect(r.status == 1 && r.stderr.contains("scan.png") && !r.stderr.contains("Fatal"), "\(r.stderr)")
        let missing = try parta.run(["hub", "import-resolution", dir.file("nope.docx"), "--data", dir.file("hub")])
        #expect(missing.status == 1 && missing.stderr.contains("nope.docx") && missing.stderr.contains("Ошибка"), "\(missing.stderr)")
    }

    /// Row 18b of issue 14: a file named like an option.
    @Test func aPDFNamedDashVReachesPdftotextAsAFileNotAnOption() throws {
        let dir = TemporaryDirectory("parta-dash-v"); defer { dir.remove() }
        try parta.run(["hub", "init", "--name", "H", "--data", dir.file("hub")])
        let work = dir.file("work"), tools = dir.file("tools"), log = dir.file("pdftotext-arguments")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: tools, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: work + "/-v", contents: Data("%PDF-1.4\n".utf8))
        // A stand-in for poppler's pdftotext: notes its arguments, prints a resolution's text.
        let script = """
        #!/bin/sh
        printf '%s\\n' "$@" > '\(log)'
        printf 'РЕШЕНИЕ\\n1. Образовательным организациям обеспечить участие обучающихся в олимпиадах и конкурсах различного уровня в течение учебного года.\\n'
        """
        FileManager.default.createFile(atPath: tools + "/pdftotext", contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
        let path = tools + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try parta.run(["hub", "import-resolution", "--dry-run", "--data", dir.file("hub"), "--", "-v"], language: "en",
                                environment: ["PATH": path], currentDirectory: work)
        let arguments = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
        #expect(!arguments.contains("-v"), "pdftotext got -v as an option: \(arguments)")
        #expect(arguments.contains { $0.hasPrefix("/") && $0.hasSuffix("/-v") }, "\(arguments)\n\(r.stderr)")
    }

    /// Issue 17, part 3: `--review` writes the tasks for a methodologist and stores nothing;
    /// `--from-review` imports with her corrections (a bad row refused, exit 2, nothing stored); a
    /// re-import keeps them; a school gets the corrected task with its wording in the document.
    @Test func aReviewedTableCorrectsTheImportAndTheCorrectionsSurviveAReimport() throws {
        let dir = TemporaryDirectory("parta-resolution-review")
        defer { dir.remove() }
        func data(_ name: String) -> [String] { ["--data", dir.file(name)] }
        try ok(["hub", "init", "--name", "Отдел образования"] + data("hub"))
        let code = try parta.code(["hub", "school", "add", "muchkap", "--name", "МБОУ Мучкапская СОШ им. А.А. Гордеева"] + data("hub"))
        let review = dir.file("review.csv")
        let wrote = try ok(["hub", "import-resolution", Self.sample, "--review", review] + data("hub"))
        #expect(wrote.contains("Задачи (35) записаны"), "\(wrote)")
        #expect((try JSONSerialization.jsonObject(with: Data(try ok(["tasks", "--json"] + data("hub")).utf8)) as? [Any])?.isEmpty == true)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: review)))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        var lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines[0] == "Номер;Текст;Уровень;Адресаты;Срок;Срок в документе;Ответственные;Ключ")

        // A bad deadline: refused with its row and column, exit 2, nothing stored.
        let row51 = try #require(lines.firstIndex { $0.hasPrefix("5.1.;") })
        var bad = lines
        bad[row51] = bad[row51].replacingOccurrences(of: ";школьный;", with: ";школа;")
        var cells = bad[row51].components(separatedBy: ";")
        cells[4] = "к осени"
        bad[row51] = cells.joined(separator: ";")
        try Data([0xEF, 0xBB, 0xBF] + Array(bad.joined(separator: "\r\n").utf8)).write(to: URL(fileURLWithPath: dir.file("bad.csv")))
        let refused = try parta.run(["hub", "import-resolution", Self.sample, "--from-review", dir.file("bad.csv")] + data("hub"))
        #expect(refused.status == 2 && refused.stderr.contains("строка \(row51 + 1), столбец E «Срок»"), "\(refused.status) \(refused.stderr)")
        #expect((try JSONSerialization.jsonObject(with: Data(try ok(["tasks", "--json"] + data("hub")).utf8)) as? [Any])?.isEmpty == true)

        // The methodologist moves 5.1's deadline, makes 2.3 a school task and deletes the row of 2.7.
        cells = lines[row51].components(separatedBy: ";")
        cells[4] = "01.10.2021"
        lines[row51] = cells.joined(separator: ";")
        let row23 = try #require(lines.firstIndex { $0.hasPrefix("2.3.;") })
        lines[row23] = lines[row23].replacingOccurrences(of: ";муниципальный;", with: ";школьный;")
        lines.removeAll { $0.hasPrefix("2.7.;") }
        try Data([0xEF, 0xBB, 0xBF] + Array(lines.joined(separator: "\r\n").utf8)).write(to: URL(fileURLWithPath: review))
        let imported = try ok(["hub", "import-resolution", Self.sample, "--from-review", review] + data("hub"))
        #expect(imported.contains("Исправлений из проверки: 3"), "\(imported)")
        func task(_ number: String, _ node: String) throws -> [String: Any] {
            let list = try #require(try JSONSerialization.jsonObject(with: Data(try ok(["tasks", "--json"] + data(node)).utf8)) as? [[String: Any]])
            return list.first { $0["number"] as? String == number } ?? [:]
        }
        #expect(try task("5.1.", "hub")["deadline"] as? String == "2021-10-01")
        #expect(try task("2.3.", "hub")["level"] as? String == "school")
        #expect(try task("2.7.", "hub").isEmpty)

        // A plain re-import keeps the corrections and says so.
        let again = try ok(["hub", "import-resolution", Self.sample] + data("hub"))
        #expect(again.contains("Применены снова исправления из прежней проверки: 3") && again.contains("новых задач — 0, изменённых — 0"), "\(again)")
        #expect(try task("5.1.", "hub")["deadline"] as? String == "2021-10-01")

        // The school gets the corrected task, and its wording in the document.
        let resolution = try #require(try JSONSerialization.jsonObject(with: Data(try ok(["hub", "import-resolution", Self.sample, "--json"] + data("hub")).utf8)) as? [String: Any])["resolution"] as? String
        try ok(["hub", "assign", "--resolution", try #require(resolution), "--level", "school", "--to", "all"] + data("hub"))
        try ok(["hub", "export", "--to", dir.file("stick")] + data("hub"))
        try ok(["init", "--from", dir.file("stick"), "--code", code, "--name", "ПК", "--data", dir.file("muchkap")])
        #expect(try task("5.1.", "muchkap")["deadline"] as? String == "2021-10-01")
        #expect(try task("2.3.", "muchkap")["level"] as? String == "school")
        let show = try ok(["show", "5.1", "--data", dir.file("muchkap")])
        #expect(show.contains("Текст в документе: 5.1."), "\(show)")
    }
}
