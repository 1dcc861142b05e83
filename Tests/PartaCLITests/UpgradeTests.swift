import Foundation
import Testing
import PartaApp
import PartaCore
import PartaTesting

/// Data written by an earlier release opens in this one and goes on exchanging (issue 15): the
/// fixtures under Tests/Upgrade/ were written by that release's binary with
/// Tests/Upgrade/make-fixture.sh and are checked in.
@Suite struct UpgradeTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @discardableResult
    func ok(_ args: [String], at now: String) throws -> String {
        let r = try parta.run(args, language: "en_US.UTF-8", environment: ["PARTA_NOW": now])
        #expect(r.status == 0, "parta \(args.joined(separator: " ")) failed: \(r.stderr)")
        return r.stdout
    }

    /// A copy of fixture `name` in `dir`, with the modes git does not keep: folders 0700, files 0600.
    func copy(_ name: String, to dir: TemporaryDirectory, filePath: String = #filePath) throws -> String {
        let source = (TestArtifacts.packageRoot(from: filePath) as NSString).appendingPathComponent("Tests/Upgrade/" + name)
        let target = dir.file(name)
        try FileManager.default.copyItem(atPath: source, toPath: target)
        for entry in FileManager.default.enumerator(atPath: target)?.compactMap({ $0 as? String }) ?? [] {
            let path = target + "/" + entry
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            try FileManager.default.setAttributes([.posixPermissions: isFolder.boolValue ? 0o700 : 0o600], ofItemAtPath: path)
        }
        return target
    }

    @Test func aDistrictWrittenByTheReleaseOf20261205OpensAndGoesOn() throws {
        let dir = TemporaryDirectory("parta-upgrade"); defer { dir.remove() }
        let root = try copy("2026-12-05", to: dir)
        let hub = ["--data", root + "/hub"], s1 = ["--data", root + "/s1"], stick = root + "/stick"

        // The upgraded hub takes in the answer the old release's school left on the stick.
        try ok(["hub", "import", stick] + hub, at: "2026-12-03T09:00")
        let report = try json(try ok(["hub", "report", "--json"] + hub, at: "2026-12-03T09:01")) as! [String: Any]
        let tasks = report["tasks"] as! [[String: Any]]
        #expect(tasks.first { $0["number"] as? String == "1.2" }.flatMap { ($0["byStatus"] as? [String: Int])?["done"] } == 1, "\(tasks)")
        #expect(tasks.first { $0["number"] as? String == "1.1" }?["averageProgress"] as? Double == 25, "\(tasks)")

        // The store made the local tables the old release had not made yet (issue 18): the dashboard's accounts work.
        let added = try parta.run(["hub", "user", "add", "marina", "--role", "editor", "--password-stdin"] + hub,
                                  language: "en_US.UTF-8", environment: ["PARTA_NOW": "2026-12-03T09:01"], input: "долгий пароль\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try ok(["hub", "user", "list"] + hub, at: "2026-12-03T09:01").contains("marina"))

        // The code the old release kept in clear is sealed now, and still enrols a computer.
        let code = try String(contentsOfFile: root + "/open-code.txt", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let normalized = code.replacingOccurrences(of: "-", with: "")
        for file in ["replica.sqlite", "replica.sqlite-wal"] {
            guard let bytes = FileManager.default.contents(atPath: root + "/hub/" + file) else { continue }
            #expect(bytes.range(of: Data(normalized.utf8)) == nil, "\(file) still holds the open code in clear")
        }
        try ok(["hub", "export", "--to", stick] + hub, at: "2026-12-03T09:02")
        // The school's computer last spoke as the old release, which reads no seen sets: the
        // upgraded hub sends it none, so an old computer could still read this bundle (§6.1).
        #expect(try newestHubBundle(in: stick + "/s1").carriesSeenSets == false)
        try ok(["init", "--from", stick, "--code", code, "--name", "Ноутбук директора", "--data", root + "/s1b"], at: "2026-12-03T10:00")
        let s1bTasks = try json(try ok(["tasks", "--json", "--data", root + "/s1b"], at: "2026-12-03T10:01")) as! [[String: Any]]
        #expect(Set(s1bTasks.compactMap { $0["number"] as? String }) == ["1.1", "1.2"])

        // The upgraded school computer goes on: it takes in the hub's bundle, reports, and the hub takes that.
        try ok(["import", stick] + s1, at: "2026-12-03T11:00")
        try ok(["report", "1.1", "--progress", "80"] + s1, at: "2026-12-03T11:01")
        try ok(["export", "--to", stick] + s1, at: "2026-12-03T11:02")
        try ok(["hub", "import", stick] + hub, at: "2026-12-03T12:00")
        let shown = try json(try ok(["show", "1.1", "--json"] + hub, at: "2026-12-03T12:01")) as! [String: Any]
        #expect((shown["reports"] as? [[String: Any]])?.first { $0["school"] as? String == "s1" }?["progress"] as? Int == 80)

        // The school's computers now declare they read seen sets (the new laptop by its first
        // bundle): the hub's next bundle carries them.
        try ok(["export", "--to", stick, "--data", root + "/s1b"], at: "2026-12-03T12:10")
        try ok(["hub", "import", stick] + hub, at: "2026-12-03T12:20")
        try ok(["hub", "export", "--to", stick] + hub, at: "2026-12-03T12:30")
        let upgraded = try newestHubBundle(in: stick + "/s1")
        #expect(upgraded.carriesSeenSets && upgraded.reads == .current)
    }

    /// The header of the newest bundle a hub left in a school's stick folder.
    func newestHubBundle(in folder: String) throws -> ChangeSetHeader {
        var newest: ChangeSetHeader?
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name),
                  let header = try? ChangeSetReader(bytes: [UInt8](data)).header, header.recipient == .partition("s1") else { continue }
            if newest.map({ header.created > $0.created }) ?? true { newest = header }
        }
        return try #require(newest)
    }
}
