import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import PartaTesting

/// An enrolled school computer that writes its own bundles with `Tests/Hostile/partaforge.py`,
/// an encoder written from Protocol/ alone, and sends them to the real `parta hub serve`.
@Suite struct HostileNodeTests {
    @Test(.enabled(if: Forge.isAvailable, "needs python3 with the cryptography package (Tests/Hostile/README.md)"))
    func aReportForgedFromTheProtocolAloneIsAcceptedLikeOnePartaWrote() throws {
        let parta = try PartaBinary()
        let dir = TemporaryDirectory("parta-hostile")
        defer { dir.remove() }
        let hub = ["--data", dir.file("hub")]
        try parta.run(["hub", "init", "--name", "H"] + hub)
        let code = try parta.code(["hub", "school", "add", "s1", "--name", "S1"] + hub)
        try parta.run(["hub", "school", "add", "s2", "--name", "S2"] + hub)
        try parta.run(["hub", "task", "add", "--title", "T", "--assign-all"] + hub)
        try parta.run(["hub", "export", "--to", dir.file("stick")] + hub)
        let school = dir.file("s1")
        let joined = try parta.run(["init", "--from", dir.file("stick"), "--code", code, "--data", school])
        #expect(joined.status == 0, "\(joined.stderr)")

        let server = try parta.serve(data: dir.file("hub"))
        defer { server.stop() }
        // Enrolment the honest way: the school's first sync carries its record and the code's proof.
        let enrolled = try parta.run(["sync", server.url, "--data", school])
        #expect(enrolled.status == 0, "\(enrolled.stderr)")

        let tasks = try JSONSerialization.jsonObject(with: Data(try parta.run(["tasks", "--json", "--data", school]).stdout.utf8)) as? [[String: Any]]
        let task = try #require(tasks?.first?["id"] as? String)
        let now = Int(Date().timeIntervalSince1970 * 1000)
        // What `parta report TASK --status in_progress --progress 40 --comment …` writes, in field order.
        let fields: [(String, Any)] = [("author", "ПК секретаря"), ("comment", "Написано partaforge"), ("indicators", "{}"),
                                       ("progress", 40), ("reported_at", now), ("school", "s1"), ("status", "in_progress"),
                                       ("task", task)]
        let description: [String: Any] = [
            "from": school,   // sender, keys, the hub's id and sealing key, clock and next counter
            "changes": fields.map { ["table": "reports", "row": "\(task)|s1", "partition": "s1", "field": $0.0, "value": $0.1] },
        ]
        let honest = try Forge.bundle(description)
        let answer = postBundle(server.url + "v1/sync", honest)
        #expect(answer.status == 200, "Parta-Reason: \(answer.reason ?? "none")")

        let report = try JSONSerialization.jsonObject(with: Data(try parta.run(["hub", "report", "--json"] + hub).stdout.utf8)) as? [String: Any]
        let s1 = (report?["schools"] as? [[String: Any]])?.first { $0["id"] as? String == "s1" }
        #expect((s1?["byStatus"] as? [String: Int])?["in_progress"] == 1, "\(String(describing: report))")
        let shown = try parta.run(["show", task, "--json"] + hub)
        #expect(shown.stdout.contains("Написано partaforge"), "\(shown.stdout)")
    }
}
