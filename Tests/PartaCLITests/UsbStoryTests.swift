import Foundation
import Testing
import PartaStore
import PartaApp
import PartaTesting

/// The hub/school USB story, driven through the real `parta` binary.
@Suite struct UsbStoryTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func aHubAndTwoSchoolsExchangeByStickAndTheReportsAddUp() throws {
        let dir = TemporaryDirectory("parta-e2e")
        defer { dir.remove() }
        let hub = ["--data", dir.file("hub")], stick = dir.file("stick")
        func ok(_ args: [String], _ env: [String: String] = [:]) throws -> String {
            let r = try parta.run(args, environment: env)
            #expect(r.status == 0, "parta \(args.joined(separator: " ")) failed: \(r.stderr)")
            return r.stdout
        }
        _ = try ok(["hub", "init", "--name", "Отдел образования"] + hub)
        let s1Code = try parta.code(["hub", "school", "add", "s1", "--name", "МБОУ СОШ № 1"] + hub)
        let s2Code = try parta.code(["hub", "school", "add", "s2", "--name", "МБОУ СОШ № 2"] + hub)
        let headCode = try parta.code(["hub", "school", "code", "s1"] + hub)
        _ = try ok(["hub", "task", "add", "--title", "Обновить программу воспитания", "--number", "3.8", "--deadline", "2020-09-20", "--assign-all"] + hub)
        _ = try ok(["hub", "task", "add", "--title", "Провести диагностику", "--number", "3.9", "--deadline", "2021-03-01", "--assign", "s2"] + hub)
        _ = try ok(["hub", "export", "--to", stick] + hub)
        #expect(FileManager.default.fileExists(atPath: stick + "/s1") && FileManager.default.fileExists(atPath: stick + "/s2"))

        // School 1 has two computers; school 2 one. All start from the stick.
        // Each computer brings its own one-time code; the code picks the school's bundle off the stick.
        _ = try ok(["init", "--from", stick, "--code", s1Code, "--name", "ПК секретаря", "--data", dir.file("s1a")])
        _ = try ok(["init", "--from", stick + "/s1", "--code", headCode.lowercased(), "--name", "Ноутбук директора", "--data", dir.file("s1b")])
        _ = try ok(["init", "--from", stick, "--code", s2Code, "--name", "ПК", "--data", dir.file("s2")])
        let s1Tasks = try json(try ok(["tasks", "--json", "--data", dir.file("s1a")])) as! [[String: Any]]
        #expect(s1Tasks.map { $0["number"] as! String } == ["3.8"])
        let listing = try ok(["tasks", "--data", dir.file("s2")], ["PARTA_NOW": "2020-10-01"])
        #expect(listing.contains("Провести диагностику") && listing.contains("просрочено"))

        _ = try ok(["report", "3.8", "--status", "done", "--comment", "Утверждена", "--data", dir.file("s1a")])
        _ = try ok(["report", "3.9", "--progress", "30", "--value", "охват=48,5", "--data", dir.file("s2")])
        for node in ["s1a", "s1b", "s2"] { _ = try ok(["export", "--to", stick, "--data", dir.file(node)]) }
        let imported = try json(try ok(["hub", "import", stick, "--json"] + hub)) as! [[String: Any]]
        #expect(imported.filter { $0["result"] as? String == "applied" }.count == 3)

        let report = try json(try ok(["hub", "report", "--json"] + hub, ["PARTA_NOW": "2020-09-25"])) as! [String: Any]
        let tasks = report["tasks"] as! [[String: Any]]
        #expect((tasks[0]["byStatus"] as! [String: Int])["done"] == 1)
        #expect(tasks[0]["overdue"] as? Int == 1)   // school 2 has not finished 3.8, due 2020-09-20
        let shown = try json(try ok(["show", "3.9", "--json"] + hub)) as! [String: Any]
        let s2Report = (shown["reports"] as! [[String: Any]]).first { $0["school"] as? String == "s2" }!
        #expect(s2Report["progress"] as? Int == 30)
        #expect((s2Report["indicators"] as? [String: Double])?["охват"] == 48.5)

        // The hub answers; the head's laptop learns the clerk's report through the hub.
        _ = try ok(["hub", "export", "--to", stick] + hub)
        _ = try ok(["import", stick, "--data", dir.file("s1b")])
        let seen = try json(try ok(["tasks", "--json", "--data", dir.file("s1b")])) as! [[String: Any]]
        #expect(seen.first?["status"] as? String == "done")
        let status = try json(try ok(["status", "--json", "--data", dir.file("s1b")])) as! [String: Any]
        #expect(status["unsentChanges"] as? Int == 0)
    }

    @Test func messagesAreRussianByDefaultAndEnglishWithLangEn() throws {
        let dir = TemporaryDirectory("parta-lang")
        defer { dir.remove() }
        let ru = try parta.run(["tasks", "--data", dir.file("none")])
        #expect(ru.status == 1)
        #expect(ru.stderr.hasPrefix("Ошибка: В папке"))
        let en = try parta.run(["tasks", "--data", dir.file("none")], language: "en_US.UTF-8")
        #expect(en.stderr.hasPrefix("Error: There is no Parta data in"))
        #expect(!en.stderr.contains("Fatal") && !en.stderr.contains("Stack"))
    }

    /// An id typed twice must not rename a school everywhere: it is refused, and `--rename` says it.
    @Test func addingASchoolUnderAnIdInUseIsRefusedUnlessItIsARename() throws {
        let dir = TemporaryDirectory("parta-school-twice")
        defer { dir.remove() }
        let hub = ["--data", dir.file("hub")]
        #expect(try parta.run(["hub", "init", "--name", "Отдел образования"] + hub).status == 0)
        _ = try parta.code(["hub", "school", "add", "muchkap", "--name", "МБОУ Мучкапская СОШ"] + hub)
        let again = try parta.run(["hub", "school", "add", "muchkap", "--name", "СОШ № 2"] + hub)
        #expect(again.status == 1 && again.stderr.contains("Школа muchkap уже зарегистрирована («МБОУ Мучкапская СОШ»); ничего не изменено"), "\(again.stderr)")
        #expect(try parta.run(["hub", "schools"] + hub).stdout.contains("МБОУ Мучкапская СОШ"))
        let renamed = try parta.run(["hub", "school", "add", "muchkap", "--name", "МБОУ Мучкапская СОШ им. А.А. Гордеева", "--rename"] + hub)
        #expect(renamed.status == 0 && renamed.stdout.contains("Школа muchkap переименована: «МБОУ Мучкапская СОШ» → «МБОУ Мучкапская СОШ им. А.А. Гордеева»"), "\(renamed.stdout)\(renamed.stderr)")
        #expect(try parta.run(["hub", "schools"] + hub).stdout.contains("им. А.А. Гордеева"))
        let nothing = try parta.run(["hub", "school", "add", "nowhere", "--name", "X", "--rename"] + hub)
        #expect(nothing.status == 1 && nothing.stderr.contains("Школы nowhere нет"), "\(nothing.stderr)")
    }

    @Test func aSchoolCannotRunHubCommands() throws {
        let dir = TemporaryDirectory("parta-kind")
        defer { dir.remove() }
        try parta.run(["hub", "init", "--name", "H", "--data", dir.file("hub")])
        let code = try parta.code(["hub", "school", "add", "s1", "--name", "S", "--data", dir.file("hub")])
        try parta.run(["hub", "export", "--to", dir.file("stick"), "--data", dir.file("hub")])
        try parta.run(["init", "--from", dir.file("stick"), "--code", code, "--data", dir.file("s1")])
        let r = try parta.run(["hub", "task", "add", "--title", "x", "--data", dir.file("s1")], language: "en")
        #expect(r.status == 1)
        #expect(r.stderr == "Error: This is a school node; `parta hub …` commands run on the municipal hub.\n")
    }

    @Test func theDemoTellsTheStoryAndChecksItself() throws {
        let r = try parta.run(["demo", "--no-serve"], language: "en")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("All 6 school replicas hold exactly the hub's data for their school."))
        #expect(r.stdout.contains("set aside"))
        #expect(r.stdout.contains("v1/sync: sent"))
        #expect(r.stdout.contains("The region holds exactly the district's data of every school."))
    }

    @Test func helpTextIsPinned() throws {
        let r = try parta.run(["--help"], language: "en")
        #expect(r.stdout == """
            OVERVIEW: Tasks from education resolutions, school reports, and their exchange
            by USB stick or over the network.

            USAGE: parta [--version] <subcommand>

            OPTIONS:
              --version               Print the version of Parta, and of the protocol,
                                      bundle format and replica schema it speaks.
              -h, --help              Show help information.

            SUBCOMMANDS:
              hub                     The municipal hub: schools, tasks, exchange and
                                      reports.
              init                    Set up this computer as a school node from the hub's
                                      bundle.
              tasks                   List the tasks (a school's assigned tasks with its
                                      progress).
              show                    Show one task with its reports.
              report                  Record this school's progress on a task.
              status                  This node, its last exchange and what waits to be
                                      sent.
              conflicts               Edits made at the same time on two computers, and
                                      which one was kept.
              log                     The history of accepted changes, newest first.
              export                  Write this school's changes for the hub onto a stick.
              import                  Take in the hub's bundle from a file or a stick's
                                      folder.
              sync                    Exchange with the hub over the network (the address
                                      is remembered).
              doctor                  Check what breaks exchanges: data, keys, disk, the
                                      hub's address, the clock.
              backup                  Copy this computer's Parta data into a backup file
                                      (safe while Parta is in use).
              restore                 Bring Parta data back from a backup file into an
                                      empty data folder.
              demo                    Show the whole story: a hub and five schools
                                      exchanging over HTTP and by USB stick, the region
                                      above, and the dashboard.

              See 'parta help <subcommand>' for detailed help.

            """)
    }
}

@Suite struct ClockTroubleTests {
    @Test func aComputerWhoseClockWasYearsAheadIsRefusedAtTheHubAndWarnedAtHome() throws {
        let parta = try PartaBinary()
        let dir = TemporaryDirectory("parta-clock")
        defer { dir.remove() }
        let hub = ["--data", dir.file("hub")], now = ["PARTA_NOW": "2020-09-01T10:00"]
        #expect(try parta.run(["hub", "init", "--name", "H"] + hub, environment: now).status == 0)
        let code = try parta.code(["hub", "school", "add", "s1", "--name", "S"] + hub, environment: now)
        for args in [["hub", "task", "add", "--title", "T", "--assign-all"], ["hub", "export", "--to", dir.file("stick")]] {
            #expect(try parta.run(args + hub, environment: now).status == 0)
        }
        #expect(try parta.run(["init", "--from", dir.file("stick"), "--code", code, "--data", dir.file("s1")], environment: now).status == 0)
        // A dead CMOS battery: the school PC believes it is 2035.
        let future = ["PARTA_NOW": "2035-01-01T10:00"]
        #expect(try parta.run(["report", "t1", "--status", "done", "--data", dir.file("s1")], environment: future).status == 0)
        #expect(try parta.run(["export", "--to", dir.file("stick"), "--data", dir.file("s1")], environment: future).status == 0)
        let refused = try parta.run(["hub", "import", dir.file("stick")] + hub, language: "en", environment: ["PARTA_NOW": "2020-09-02T10:00"])
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("stamped its changes 2035-01-01") && refused.stderr.contains("Set the correct date and time"))
        let report = try parta.run(["hub", "report", "--json"] + hub, environment: ["PARTA_NOW": "2020-09-02T10:00"])
        #expect(report.stdout.contains("\"done\"") == false)
        // The clock is fixed; the school is told what happened, and its report now reaches the hub.
        let status = try parta.run(["status", "--data", dir.file("s1")], language: "en", environment: ["PARTA_NOW": "2020-09-03T10:00"])
        #expect(status.stderr.contains("had been set in the future (it stamped changes up to 2035-01-01"), "\(status.stderr)")
        #expect(!status.stdout.contains("Warning"))
        #expect(try parta.run(["export", "--to", dir.file("stick"), "--data", dir.file("s1")], environment: ["PARTA_NOW": "2020-09-03T10:01"]).status == 0)
        #expect(try parta.run(["hub", "import", dir.file("stick")] + hub, environment: ["PARTA_NOW": "2020-09-03T10:02"]).status == 0)
        let after = try parta.run(["hub", "report", "--json"] + hub, environment: ["PARTA_NOW": "2020-09-03T10:03"])
        #expect(after.stdout.contains("\"done\""))
    }
}
