import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import PartaStore
import PartaApp
import PartaTesting

/// `parta hub serve` and `parta sync` through the real binary, on loopback only.
@Suite struct SyncOverHTTPTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    func get(_ url: String) throws -> (Int, String) {
        let done = DispatchSemaphore(value: 0)
        // `nonisolated(unsafe)`: written by the completion handler before `done.signal()`, read after `done.wait()`.
        nonisolated(unsafe) var result = (0, "")
        URLSession.shared.dataTask(with: URL(string: url)!) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
            done.signal()
        }.resume()
        done.wait()
        return result
    }


    @Test func junkUnsignedMisSignedReplayedAndOversizeRequestsAreAnsweredAndChangeNothingWrongly() throws {
        let dir = TemporaryDirectory("parta-http-bad")
        defer { dir.remove() }
        let hub = ["--data", dir.file("hub")]
        try parta.run(["hub", "init", "--name", "H"] + hub)
        let code = try parta.code(["hub", "school", "add", "s1", "--name", "S"] + hub)
        try parta.run(["hub", "task", "add", "--title", "T", "--assign-all"] + hub)
        try parta.run(["hub", "export", "--to", dir.file("stick")] + hub)
        try parta.run(["init", "--from", dir.file("stick"), "--code", code, "--data", dir.file("s1")])
        try parta.run(["report", "t1", "--status", "done", "--comment", "сделано", "--data", dir.file("s1")])
        try parta.run(["export", "--to", dir.file("out"), "--data", dir.file("s1")])
        let file = try #require(try FileManager.default.subpathsOfDirectory(atPath: dir.file("out")).first { $0.hasSuffix(".parta") })
        let bundle = try Data(contentsOf: URL(fileURLWithPath: dir.file("out/" + file)))

        let server = try parta.serve(data: dir.file("hub"), extraArguments: ["--max-bundle-mb", "1"])
        defer { server.stop() }
        let sync = server.url + "v1/sync"
        #expect(postBundle(sync, Data("not a bundle".utf8)) == (400, "badMagic"))
        var forged = bundle
        forged[forged.count - 1] ^= 1
        #expect(postBundle(sync, forged) == (401, "notEnrolled"))   // a stranger is not told which check failed
        var unsigned = bundle   // the signature's 64 bytes zeroed: an unsigned bundle
        unsigned.replaceSubrange((unsigned.count - 64)..., with: Data(count: 64))
        #expect(postBundle(sync, unsigned) == (401, "notEnrolled"))
        #expect(postBundle(sync, bundle.prefix(bundle.count - 64)) == (400, "truncated"), "no signature at all")
        #expect(postBundle(sync, Data(count: 2 << 20)).0 == 413)
        func appliedSoFar() throws -> Int {
            let (_, metrics) = try get(server.url + "metrics")
            let line = metrics.split(separator: "\n").first { $0.hasPrefix("parta_sync_changes_applied_total") }
            return line.map { Int($0.split(separator: " ").last!)! } ?? 0
        }
        #expect(postBundle(sync, bundle).0 == 200)
        let once = try appliedSoFar()
        #expect(postBundle(sync, bundle).0 == 200)   // a replay is harmless: nothing is applied twice
        #expect(try appliedSoFar() == once)
        let (_, metrics) = try get(server.url + "metrics")
        let applied = metrics.split(separator: "\n").first { $0.hasPrefix("parta_sync_changes_applied_total") }
        let report = try json(try parta.run(["show", "t1", "--json"] + hub).stdout) as! [String: Any]
        #expect((report["reports"] as! [[String: Any]]).first?["status"] as? String == "done")
        #expect(applied.map { Int($0.split(separator: " ").last!)! } ?? 0 > 0)
        #expect(metrics.contains("parta_syncs_total{status=\"200\"} 2"))
    }

    @Test func doctorChecksTheHubTheClockAndTheData() throws {
        let dir = TemporaryDirectory("parta-doctor")
        defer { dir.remove() }
        let hub = ["--data", dir.file("hub")]
        try parta.run(["hub", "init", "--name", "H"] + hub)
        let code = try parta.code(["hub", "school", "add", "s1", "--name", "S"] + hub)
        try parta.run(["hub", "export", "--to", dir.file("stick")] + hub)
        try parta.run(["init", "--from", dir.file("stick"), "--code", code, "--data", dir.file("s1")])
        let usbOnly = try parta.run(["doctor", "--data", dir.file("s1")], language: "en")
        #expect(usbOnly.status == 0 && usbOnly.stdout.contains("exchanges by USB stick"))

        let server = try parta.serve(data: dir.file("hub"))
        let healthy = try parta.run(["doctor", server.url, "--data", dir.file("s1")], language: "en")
        #expect(healthy.status == 0 && healthy.stdout.contains("✓ hub") && healthy.stdout.contains("✓ clock"), "\(healthy.stdout)")
        let wrongClock = try parta.run(["doctor", server.url, "--data", dir.file("s1")], language: "en",
                                       environment: ["PARTA_NOW": String(UInt64(Date().timeIntervalSince1970 * 1000) + 3 * 3_600_000)])
        #expect(wrongClock.status == 1 && wrongClock.stdout.contains("min ahead of the hub's"), "\(wrongClock.stdout)")
        server.stop()
        let down = try parta.run(["doctor", server.url, "--data", dir.file("s1")])
        #expect(down.status == 1 && down.stdout.contains("управление не отвечает"))
        chmod(dir.file("s1/keys/signing.key"), 0o644)
        let keys = try parta.run(["doctor", "--data", dir.file("s1")], language: "en")
        #expect(keys.status == 1 && keys.stdout.contains("chmod 600"))
    }

    @Test func oneSchoolSyncsOverHTTPAnotherByStickAndAllConverge() throws {
        let dir = TemporaryDirectory("parta-http")
        defer { dir.remove() }
        let hub = ["--data", dir.file("hub")], stick = dir.file("stick")
        func ok(_ args: [String], language: String = "ru_RU.UTF-8", environment: [String: String] = [:]) throws -> String {
            let r = try parta.run(args, language: language, environment: environment)
            #expect(r.status == 0, "parta \(args.joined(separator: " ")) failed: \(r.stderr)")
            return r.stdout
        }
        _ = try ok(["hub", "init", "--name", "Отдел"] + hub)
        let c1 = try parta.code(["hub", "school", "add", "s1", "--name", "Школа 1"] + hub)
        let c2 = try parta.code(["hub", "school", "add", "s2", "--name", "Школа 2"] + hub)
        let laptop = try parta.code(["hub", "school", "code", "s1"] + hub)
        _ = try ok(["hub", "task", "add", "--title", "Провести педсовет", "--assign-all"] + hub)
        _ = try ok(["hub", "export", "--to", stick] + hub)
        for (node, code) in [("s1", c1), ("s2", c2), ("s1-laptop", laptop)] {
            _ = try ok(["init", "--from", stick, "--code", code, "--name", node, "--data", dir.file(node)])
        }

        let server = try parta.serve(data: dir.file("hub"))
        #expect(try get(server.url + "healthz") == (200, "ok\n"))

        // School 1 over HTTP (the address is remembered), school 2 by stick, in one story.
        _ = try ok(["report", "t1", "--status", "in_progress", "--progress", "50", "--data", dir.file("s1")])
        let first = try ok(["sync", server.url, "--data", dir.file("s1")], language: "en")
        #expect(first.contains("sent") && first.contains("received"))
        _ = try ok(["report", "t1", "--status", "done", "--data", dir.file("s2")])
        _ = try ok(["export", "--to", stick, "--data", dir.file("s2")])
        _ = try ok(["hub", "import", stick] + hub)
        _ = try ok(["hub", "task", "add", "--title", "Новая задача", "--assign-all"] + hub)
        let second = try json(try ok(["sync", "--json", "--data", dir.file("s1")])) as! [String: Any]
        #expect(second["received"] as? Int ?? 0 > 0)
        let s1Status = try json(try ok(["status", "--json", "--data", dir.file("s1")])) as! [String: Any]
        #expect((s1Status["lastSyncAt"] as? Int ?? 0) > 0 && s1Status["syncURL"] as? String == server.url)
        #expect(s1Status["unsentChanges"] as? Int == 0 && s1Status["awaitingEnrollment"] as? Bool == false)
        _ = try ok(["sync", server.url, "--data", dir.file("s1-laptop")])
        let laptopTasks = try json(try ok(["tasks", "--json", "--data", dir.file("s1-laptop")])) as! [[String: Any]]
        #expect(laptopTasks.count == 2 && laptopTasks.contains { $0["status"] as? String == "in_progress" })
        let report = try json(try ok(["hub", "report", "--json"] + hub)) as! [String: Any]
        let byStatus = ((report["tasks"] as! [[String: Any]]).first { ($0["id"] as? String)?.hasPrefix("t1-") == true }!)["byStatus"] as! [String: Int]
        #expect(byStatus == ["in_progress": 1, "done": 1])

        // A revoked computer is refused with 403 and the hub's reason, and nothing is written.
        let nodes = try json(try ok(["hub", "nodes", "--json"] + hub)) as! [[String: Any]]
        let laptopID = try #require(nodes.first { $0["name"] as? String == "s1-laptop" }?["id"] as? String)
        _ = try ok(["hub", "node", "revoke", laptopID] + hub)
        _ = try ok(["report", "t1", "--status", "blocked", "--data", dir.file("s1-laptop")])
        let refused = try parta.run(["sync", "--data", dir.file("s1-laptop")], language: "en")
        #expect(refused.status == 1 && refused.stderr.contains("(403)") && refused.stderr.contains("revoked"), "\(refused.stderr)")

        let (status, metrics) = try get(server.url + "metrics")
        #expect(status == 200 && metrics.contains("parta_syncs_total{status=\"200\"} 3") && metrics.contains("parta_syncs_total{status=\"403\"} 1"))
        let log = server.stop()
        #expect(log.contains("sync node=") && log.contains("status=403") && log.contains("reason=revoked"))
        #expect(!server.process.isRunning)

        // With the hub gone: a plain message that suggests the stick, and nothing lost.
        let offline = try parta.run(["sync", "--data", dir.file("s1")], language: "en", environment: ["PARTA_SYNC_ATTEMPTS": "2"])
        #expect(offline.status == 1 && offline.stderr.contains("No connection to the hub") && offline.stderr.contains("parta export --to"))
    }
}
