import Foundation
import Testing
import PartaTesting

/// Enrolment, revocation and the courier's mailbox, through the real `parta` binary.
@Suite struct TrustAndMailboxTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func aDistrictStickWithEnrolmentRevocationPerSchoolSummaryAndPruning() throws {
        let dir = TemporaryDirectory("parta-trust-e2e")
        defer { dir.remove() }
        let hub = ["--data", dir.file("hub")], stick = dir.file("stick")
        func ok(_ args: [String], language: String = "ru_RU.UTF-8") throws -> String {
            let r = try parta.run(args, language: language)
            #expect(r.status == 0, "parta \(args.joined(separator: " ")) failed: \(r.stderr)")
            return r.stdout
        }
        _ = try ok(["hub", "init", "--name", "Отдел"] + hub)
        // The code is printed and written to an owner-only file.
        let added = try ok(["hub", "school", "add", "s1", "--name", "Школа 1"] + hub)
        let printed = try #require(added.split(separator: "\n").first { $0.contains("Код подключения") })
        let s1Code = String(printed.split(separator: " ").last!)
        let codeFiles = try FileManager.default.contentsOfDirectory(atPath: dir.file("hub/codes"))
        #expect(codeFiles.count == 1)
        let codeFile = dir.file("hub/codes/" + codeFiles[0])
        #expect(try String(contentsOfFile: codeFile, encoding: .utf8).contains(s1Code))
        #expect(try FileManager.default.attributesOfItem(atPath: codeFile)[.posixPermissions] as? Int == 0o600)
        let s2Code = try parta.code(["hub", "school", "add", "s2", "--name", "Школа 2"] + hub)
        let laptopCode = try parta.code(["hub", "school", "code", "s1"] + hub)
        _ = try ok(["hub", "task", "add", "--title", "Секретная задача про Ивановых", "--assign-all"] + hub)
        _ = try ok(["hub", "export", "--to", stick] + hub)

        // A lost stick leaks no task text.
        for file in try FileManager.default.subpathsOfDirectory(atPath: stick) where file.hasSuffix(".parta") {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: stick + "/" + file))
            #expect(bytes.range(of: Data("Ивановых".utf8)) == nil)
        }

        // A wrong code opens nothing and creates nothing.
        let wrong = try parta.run(["init", "--from", stick, "--code", "0000-0000-0000-0000", "--data", dir.file("bad")], language: "en")
        #expect(wrong.status != 0 && wrong.stderr.contains("opens with the code"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("bad/replica.sqlite")))
        let typo = try parta.run(["init", "--from", stick, "--code", "12345", "--data", dir.file("bad")], language: "en")
        #expect(typo.status == 2 && typo.stderr.contains("not an enrollment code"))

        _ = try ok(["init", "--from", stick, "--code", s1Code, "--name", "ПК", "--data", dir.file("pc")])
        _ = try ok(["init", "--from", stick, "--code", laptopCode, "--name", "Ноутбук", "--data", dir.file("laptop")])
        _ = try ok(["init", "--from", stick, "--code", s2Code, "--name", "ПК", "--data", dir.file("s2")])
        for node in ["pc", "laptop", "s2"] {
            _ = try ok(["report", "t1", "--status", "in_progress", "--data", dir.file(node)])
            _ = try ok(["export", "--to", stick, "--data", dir.file(node)])
        }
        // The hub takes in the whole stick: one line per school.
        let taken = try ok(["hub", "import", stick] + hub, language: "en")
        #expect(taken.contains("By school"))
        #expect(taken.split(separator: "\n").contains { $0.hasPrefix("s1 ") && $0.contains(" 2 ") })
        let nodes = try json(try ok(["hub", "nodes", "--json"] + hub)) as! [[String: Any]]
        #expect(nodes.count == 3 && nodes.allSatisfy { $0["revokedAt"] == nil })

        // The laptop is lost: revoked, its next bundle is refused and named in the summary; the PC goes on.
        let laptopID = try #require(nodes.first { $0["name"] as? String == "Ноутбук" }?["id"] as? String)
        _ = try ok(["hub", "node", "revoke", laptopID] + hub)
        for node in ["pc", "laptop"] {
            _ = try ok(["report", "t1", "--status", "done", "--data", dir.file(node)])
            _ = try ok(["export", "--to", stick, "--data", dir.file(node)])
        }
        let refused = try parta.run(["hub", "import", stick] + hub, language: "en")
        #expect(refused.status == 3)
        #expect(refused.stderr.contains(laptopID) && refused.stderr.contains("revoked"))
        #expect(refused.stdout.contains("computer revoked"))
        let listed = try ok(["hub", "nodes"] + hub, language: "en")
        #expect(listed.contains("revoked"))

        // Pruning removes what the hub has taken in, keeps the refused laptop's answer? No: a revoked
        // computer's answer will never be taken, so it goes too; the hub's fresh bundles are written after.
        try Data("half".utf8).write(to: URL(fileURLWithPath: stick + "/s1/from-node-cut.parta.partial"))
        let pruned = try ok(["hub", "export", "--to", stick, "--prune"] + hub, language: "en")
        #expect(pruned.contains("Pruned 4 bundles"))
        let left = try FileManager.default.subpathsOfDirectory(atPath: stick).filter { $0.contains(".parta") }.sorted()
        #expect(left.allSatisfy { $0.contains("from-hub") }, "\(left)")
        #expect(left.count == 2)
        // The laptop can no longer open what the hub writes for its school; the PC can.
        #expect(try parta.run(["import", stick, "--data", dir.file("laptop")]).status == 3)
        _ = try ok(["import", stick, "--data", dir.file("pc")])
    }
}
