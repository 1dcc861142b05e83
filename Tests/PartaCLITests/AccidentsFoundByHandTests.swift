import Foundation
import Testing
import PartaTesting

/// Accidents found by testing by hand (a stick linked as `E`, a hub restored from an older backup,
/// an old stick imported again), each through the real binary with `PARTA_NOW`.
@Suite struct AccidentsFoundByHandTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    @discardableResult
    func ok(_ args: [String], at now: String = "2026-09-01T09:00:00", in folder: String? = nil) throws -> String {
        let r = try parta.run(args, language: "en_US.UTF-8", environment: ["PARTA_NOW": now], currentDirectory: folder)
        #expect(r.status == 0, "parta \(args.joined(separator: " ")) failed (\(r.status)): \(r.stderr)")
        return r.stdout + r.stderr
    }

    func code(_ args: [String], at now: String = "2026-09-01T09:00:00", in folder: String? = nil) throws -> String {
        let r = try parta.run(args + ["--json"], language: "en_US.UTF-8", environment: ["PARTA_NOW": now], currentDirectory: folder)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return try #require(object?["code"] as? String, "parta \(args.joined(separator: " ")): \(r.stderr)")
    }

    // Foundation's deletingLastPathComponent crashed on a one-letter relative path.
    @Test func oneLetterRelativeFoldersWorkForTheHubsStickTheDataAndTheSchoolsStick() throws {
        let dir = TemporaryDirectory("parta-one-letter"); defer { dir.remove() }
        let here = dir.path
        try ok(["hub", "init", "--name", "Hub", "--data", "H"], in: here)
        let first = try code(["hub", "school", "add", "s1", "--name", "S1", "--data", "H"], in: here)
        try ok(["hub", "task", "add", "--title", "T1", "--number", "1", "--assign-all", "--data", "H"], in: here)
        try ok(["hub", "export", "--to", "E", "--data", "H"], in: here)
        try ok(["init", "--from", "E", "--code", first, "--name", "PC1", "--data", "A"], at: "2026-09-01T10:00:00", in: here)
        try ok(["report", "1", "--progress", "40", "--comment", "one letter", "--data", "A"], at: "2026-09-01T11:00:00", in: here)
        try ok(["export", "--to", "K", "--data", "A"], at: "2026-09-01T12:00:00", in: here)
        try ok(["export", "--to", "./K", "--data", "./A"], at: "2026-09-01T12:01:00", in: here)
        try ok(["hub", "import", "K", "--data", "H"], at: "2026-09-01T13:00:00", in: here)
        #expect(try ok(["show", "1", "--json", "--data", "H"], at: "2026-09-01T13:01:00", in: here).contains("one letter"))
    }

    // A school added after the hub's backup is unknown to the restored hub: the refusal says so and
    // what to do, and doing it brings the school's earlier reports to the hub.
    @Test func aSchoolAddedAfterTheHubsBackupIsToldHowToComeBackAndDoes() throws {
        let dir = TemporaryDirectory("parta-restored-school"); defer { dir.remove() }
        let hub = ["--data", dir.file("hub")], stick = dir.file("stick")
        try ok(["hub", "init", "--name", "Hub"] + hub)
        let c1 = try code(["hub", "school", "add", "s1", "--name", "S1"] + hub)
        try ok(["hub", "task", "add", "--title", "T1", "--number", "1", "--assign-all"] + hub)
        try ok(["hub", "export", "--to", stick] + hub)
        try ok(["init", "--from", stick, "--code", c1, "--name", "PC1", "--data", dir.file("s1")], at: "2026-09-01T10:00:00")
        try ok(["backup", "--to", dir.file("hub.bak")] + hub, at: "2026-09-02T09:00:00")
        let c2 = try code(["hub", "school", "add", "s2", "--name", "S2"] + hub, at: "2026-09-02T10:00:00")
        try ok(["hub", "task", "assign", "1", "--to", "s2"] + hub, at: "2026-09-02T10:00:00")
        try ok(["hub", "export", "--to", stick] + hub, at: "2026-09-02T10:00:00")
        let s2 = ["--data", dir.file("s2")]
        try ok(["init", "--from", stick, "--code", c2, "--name", "S2PC"] + s2, at: "2026-09-02T11:00:00")
        try ok(["report", "1", "--progress", "40", "--comment", "s2report"] + s2, at: "2026-09-02T12:00:00")
        try ok(["export", "--to", stick] + s2, at: "2026-09-02T13:00:00")
        try ok(["hub", "import", stick] + hub, at: "2026-09-02T13:00:00")

        // The hub's disk dies; it is restored from the backup made before s2 was added.
        try FileManager.default.removeItem(atPath: dir.file("hub"))
        try ok(["restore", dir.file("hub.bak")] + hub, at: "2026-09-03T10:00:00")
        try ok(["export", "--to", stick] + s2, at: "2026-09-03T11:00:00")
        let refused = try parta.run(["hub", "import", stick] + hub, language: "en_US.UTF-8", environment: ["PARTA_NOW": "2026-09-03T11:00:00"])
        let said = refused.stdout + refused.stderr
        #expect(said.contains("which this hub does not know"), "\(said)")
        #expect(said.contains("parta hub school add s2 --name"), "\(said)")
        #expect(!said.contains("Issue a new code"), "\(said)")

        // What the message says to do.
        let c3 = try code(["hub", "school", "add", "s2", "--name", "S2"] + hub, at: "2026-09-03T12:00:00")
        try ok(["backup", "--to", dir.file("s2.bak")] + s2, at: "2026-09-03T12:10:00")
        let s2b = ["--data", dir.file("s2b")]
        try ok(["restore", dir.file("s2.bak"), "--code", c3] + s2b, at: "2026-09-03T12:20:00")
        try FileManager.default.removeItem(atPath: stick + "/s2")
        try ok(["export", "--to", stick] + s2b, at: "2026-09-03T12:30:00")
        try ok(["hub", "import", stick] + hub, at: "2026-09-03T12:40:00")
        let shown = try ok(["show", "1", "--json"] + hub, at: "2026-09-03T12:50:00")
        #expect(shown.contains("s2report"), "\(shown)")
    }

    // A second computer of a known school, enrolled with a code issued after the hub's backup: the
    // restored hub says it was restored instead of sending the clerk to issue a code, and takes the
    // computer in once its sibling has brought its record back.
    @Test func aComputerEnrolledAfterTheHubsBackupIsToldToWaitAndIsTakenIn() throws {
        let dir = TemporaryDirectory("parta-restored-sibling"); defer { dir.remove() }
        let hub = ["--data", dir.file("hub")], stick = dir.file("stick"), a = ["--data", dir.file("a")], b = ["--data", dir.file("b")]
        try ok(["hub", "init", "--name", "Hub"] + hub)
        let c1 = try code(["hub", "school", "add", "s1", "--name", "S1"] + hub)
        try ok(["hub", "task", "add", "--title", "T1", "--number", "1", "--assign-all"] + hub)
        try ok(["hub", "export", "--to", stick] + hub)
        try ok(["init", "--from", stick, "--code", c1, "--name", "PC1"] + a, at: "2026-09-01T10:00:00")
        try ok(["backup", "--to", dir.file("hub.bak")] + hub, at: "2026-09-02T09:00:00")
        let c2 = try code(["hub", "school", "code", "s1"] + hub, at: "2026-09-02T10:00:00")
        try ok(["hub", "export", "--to", stick] + hub, at: "2026-09-02T10:00:00")
        try ok(["init", "--from", stick, "--code", c2, "--name", "PC2"] + b, at: "2026-09-02T11:00:00")
        try ok(["report", "1", "--progress", "40", "--comment", "from PC2"] + b, at: "2026-09-02T12:00:00")
        for node in [a, b] { try ok(["export", "--to", stick] + node, at: "2026-09-02T13:00:00") }
        try ok(["hub", "import", stick] + hub, at: "2026-09-02T13:00:00")
        try ok(["hub", "export", "--to", stick] + hub, at: "2026-09-02T13:00:00")
        for node in [a, b] { try ok(["import", stick] + node, at: "2026-09-02T13:00:00") }

        try FileManager.default.removeItem(atPath: dir.file("hub"))
        try ok(["restore", dir.file("hub.bak")] + hub, at: "2026-09-03T10:00:00")
        var said = ""
        for hour in ["11", "12", "13"] {
            let now = "2026-09-03T\(hour):00:00"
            for node in [a, b] { try ok(["export", "--to", stick] + node, at: now) }
            let r = try parta.run(["hub", "import", stick] + hub, language: "en_US.UTF-8", environment: ["PARTA_NOW": now])
            said += r.stdout + r.stderr
            try ok(["hub", "export", "--to", stick] + hub, at: now)
            for node in [a, b] {
                let r = try parta.run(["import", stick] + node, language: "en_US.UTF-8", environment: ["PARTA_NOW": now])
                said += r.stdout + r.stderr
            }
        }
        #expect(said.contains("This hub was restored from a backup"), "\(said)")
        #expect(!said.contains("Issue a new code"), "\(said)")
        #expect(!said.contains("Nothing was changed. Nothing was changed."), "\(said)")
        #expect(try ok(["show", "1", "--json"] + hub, at: "2026-09-03T14:00:00").contains("from PC2"))
    }

    // An old hub bundle holding a task since withdrawn from the school shows nothing new.
    @Test func anOldHubBundleWithAWithdrawnTaskCountsNoNewChanges() throws {
        let dir = TemporaryDirectory("parta-stale-hub-bundle"); defer { dir.remove() }
        let hub = ["--data", dir.file("hub")], stick = dir.file("stick"), old = dir.file("old"), s1 = ["--data", dir.file("s1")]
        try ok(["hub", "init", "--name", "Hub"] + hub)
        let c1 = try code(["hub", "school", "add", "s1", "--name", "S1"] + hub)
        try ok(["hub", "task", "add", "--title", "T1", "--number", "1", "--assign-all"] + hub)
        try ok(["hub", "export", "--to", stick] + hub)
        try ok(["init", "--from", stick, "--code", c1, "--name", "PC1"] + s1, at: "2026-09-01T10:00:00")
        try ok(["hub", "task", "add", "--title", "T3", "--number", "3", "--assign-all"] + hub, at: "2026-09-02T09:00:00")
        try ok(["hub", "export", "--to", old] + hub, at: "2026-09-02T09:00:00")   // forgotten in a drawer
        try ok(["hub", "task", "unassign", "3", "--from", "s1"] + hub, at: "2026-09-02T09:05:00")
        try ok(["hub", "export", "--to", stick] + hub, at: "2026-09-02T10:00:00")
        try ok(["import", stick] + s1, at: "2026-09-02T10:00:00")
        for minute in ["11:00", "11:01"] {
            let said = try ok(["import", old] + s1, at: "2026-09-02T" + minute + ":00")
            #expect(said.contains(": 0 new changes"), "\(said)")
        }
        let tasks = try ok(["tasks"] + s1, at: "2026-09-02T11:02:00")
        #expect(!tasks.contains("T3"), "\(tasks)")
    }
}
