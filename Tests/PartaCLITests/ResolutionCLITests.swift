import Foundation
import Testing
import PartaTesting

/// A published resolution through the real binary: checked with --dry-run, imported, assigned by
/// rule and by the school it names, and carried to the schools by the stick and over HTTP.
@Suite struct ResolutionCLITests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../PartaResolutionTests/Fixtures/muchkap-2020.txt").standardizedFileURL.path

    @Test func aResolutionBecomesTasksThatReachTheSchoolsItAddresses() throws {
        let dir = TemporaryDirectory("parta-resolution-cli")
        defer { dir.remove() }
        func data(_ name: String) -> [String] { ["--data", dir.file(name)] }
        @discardableResult func ok(_ arguments: [String], language: String = "ru_RU.UTF-8") throws -> String {
            let r = try parta.run(arguments, language: language)
            #expect(r.status == 0, "parta \(arguments.joined(separator: " ")) failed (\(r.status)): \(r.stderr)")
            return r.stdout
        }
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
}
