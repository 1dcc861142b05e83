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
}
