import Foundation
import Testing
import PartaStore
import PartaApp
import PartaTesting

/// School → municipality → region through the real binary: three hubs on 127.0.0.1, schools on
/// HTTP and on a stick, municipalities syncing upstream over HTTP.
@Suite struct RegionOverHTTPTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func aRegionAboveTwoMunicipalitiesOverHTTPAndStickConvergesAndRefusesACrossMunicipalityWrite() throws {
        let dir = TemporaryDirectory("parta-region")
        defer { dir.remove() }
        func data(_ name: String) -> [String] { ["--data", dir.file(name)] }
        @discardableResult func ok(_ arguments: [String]) throws -> PartaBinary.Run {
            let r = try parta.run(arguments)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            return r
        }

        try ok(["hub", "init", "--name", "Регион"] + data("region"))
        var joinCodes: [String: String] = [:]
        for m in ["mun-a", "mun-b"] {
            let r = try ok(["hub", "municipality", "add", m, "--name", "Округ \(m)", "--json"] + data("region"))
            joinCodes[m] = try #require((try json(r.stdout) as? [String: String])?["code"])
            try ok(["hub", "init", "--name", "Округ \(m)"] + data(m))
            let code = try parta.code(["hub", "school", "add", "\(m)-s1", "--name", "Школа \(m)"] + data(m))
            try ok(["hub", "task", "add", "--title", "Муниципальная задача \(m)", "--assign-all"] + data(m))
            try ok(["hub", "export", "--to", dir.file("stick-\(m)")] + data(m))
            try ok(["init", "--from", dir.file("stick-\(m)"), "--code", code] + data("\(m)-s1"))
        }
        // The region's bundles for both municipalities travel on a stick; each hub joins with its code.
        try ok(["hub", "export", "--to", dir.file("region-stick")] + data("region"))
        for m in ["mun-a", "mun-b"] {
            try ok(["hub", "join", "--from", dir.file("region-stick"), "--code", joinCodes[m]!] + data(m))
        }

        let region = try parta.serve(data: dir.file("region"))
        defer { region.stop() }
        let munA = try parta.serve(data: dir.file("mun-a"))
        defer { munA.stop() }

        // mun-a's school syncs over HTTP; mun-b's school by stick.
        try ok(["report", "t1", "--status", "done", "--comment", "по сети"] + data("mun-a-s1"))
        try ok(["sync", munA.url] + data("mun-a-s1"))
        try ok(["report", "t1", "--status", "in_progress", "--progress", "30"] + data("mun-b-s1"))
        try ok(["export", "--to", dir.file("stick-mun-b")] + data("mun-b-s1"))
        try ok(["hub", "import", dir.file("stick-mun-b")] + data("mun-b"))
        for m in ["mun-a", "mun-b"] { try ok(["hub", "sync-upstream", region.url] + data(m)) }

        let municipalities = try json(try ok(["hub", "municipalities", "--json"] + data("region")).stdout) as! [[String: Any]]
        #expect(municipalities.map { "\($0["id"]!):\($0["schools"]!):\($0["hub"] != nil)" } == ["mun-a:1:true", "mun-b:1:true"])

        // The region assigns a task of its own to both schools; it flows down and the reports flow up.
        let added = try json(try ok(["hub", "task", "add", "--title", "Региональная задача", "--assign", "mun-a-s1,mun-b-s1", "--json"] + data("region")).stdout)
        let regional = try #require((added as? [String: String])?["id"])
        for m in ["mun-a", "mun-b"] { try ok(["hub", "sync-upstream"] + data(m)) }   // the address is remembered
        try ok(["sync"] + data("mun-a-s1"))
        try ok(["hub", "export", "--to", dir.file("stick-mun-b")] + data("mun-b"))
        try ok(["import", dir.file("stick-mun-b")] + data("mun-b-s1"))
        for school in ["mun-a-s1", "mun-b-s1"] {
            let tasks = try json(try ok(["tasks", "--json"] + data(school)).stdout) as! [[String: Any]]
            #expect(tasks.contains { $0["id"] as? String == regional }, "\(school) lacks the regional task")
            try ok(["report", regional, "--status", "done"] + data(school))
        }
        try ok(["sync"] + data("mun-a-s1"))
        try ok(["export", "--to", dir.file("stick-mun-b")] + data("mun-b-s1"))
        try ok(["hub", "import", dir.file("stick-mun-b")] + data("mun-b"))
        for m in ["mun-a", "mun-b"] { try ok(["hub", "sync-upstream"] + data(m)) }
        let report = try json(try ok(["hub", "report", "--json"] + data("region")).stdout) as! [String: Any]
        let regionalRow = try #require((report["tasks"] as! [[String: Any]]).first { $0["id"] as? String == regional })
        #expect((regionalRow["byStatus"] as? [String: Int])?["done"] == 2)
        for m in ["mun-a", "mun-b"] {
            let school = try #require((report["schools"] as! [[String: Any]]).first { $0["id"] as? String == "\(m)-s1" })
            #expect(school["municipality"] as? String == m && (school["lastHeardFrom"] as? Int ?? 0) > 0, "\(school)")
        }
        let table = try parta.run(["hub", "report"] + data("region"), language: "en")
        #expect(table.stdout.contains("Municipality") && table.stdout.contains("mun-b"), "\(table.stdout)")

        // A forged copy of mun-b's hub registers a school under mun-a's school's id and syncs: 403, nothing written.
        try FileManager.default.copyItem(atPath: dir.file("mun-b"), toPath: dir.file("mun-b-forged"))
        try ok(["hub", "school", "add", "mun-a-s1", "--name", "Чужая школа"] + data("mun-b-forged"))
        let before = try PartaNode.openHub(directory: dir.file("region")).replica.canonicalDump()
        let forged = try parta.run(["hub", "sync-upstream"] + data("mun-b-forged"), language: "en")
        #expect(forged.status == 1)
        #expect(forged.stderr.contains("(403)") && forged.stderr.contains("mun-a-s1 belongs to mun-a"), "\(forged.stderr)")
        #expect(try PartaNode.openHub(directory: dir.file("region")).replica.canonicalDump() == before)

        // Every tier holds the same data of each school.
        region.stop()
        munA.stop()
        let regionNode = try PartaNode.openHub(directory: dir.file("region"))
        for m in ["mun-a", "mun-b"] {
            let school = "\(m)-s1"
            let hubDump = try PartaNode.open(directory: dir.file(m)).replica.canonicalDump(partition: school)
            #expect(try PartaNode.open(directory: dir.file(school)).replica.canonicalDump() == hubDump)
            #expect(try regionNode.replica.canonicalDump(partition: school) == hubDump)
        }
    }

    @Test func aMunicipalityUploadsToItsRegionInResumablePiecesThroughACutLink() throws {
        let dir = TemporaryDirectory("parta-region-resume")
        defer { dir.remove() }
        func data(_ name: String) -> [String] { ["--data", dir.file(name)] }
        @discardableResult func ok(_ arguments: [String], environment: [String: String] = [:]) throws -> PartaBinary.Run {
            let r = try parta.run(arguments, environment: environment, timeout: 120)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            return r
        }
        try ok(["hub", "init", "--name", "Регион"] + data("region"))
        let added = try ok(["hub", "municipality", "add", "mun-a", "--name", "Округ А", "--json"] + data("region"))
        let joinCode = try #require((try json(added.stdout) as? [String: String])?["code"])
        try ok(["hub", "init", "--name", "Округ А"] + data("mun-a"))
        _ = try parta.code(["hub", "school", "add", "mun-a-s1", "--name", "Школа А"] + data("mun-a"))
        try ok(["hub", "export", "--to", dir.file("region-stick")] + data("region"))
        try ok(["hub", "join", "--from", dir.file("region-stick"), "--code", joinCode] + data("mun-a"))
        // The municipality's tasks for its school: its bundle for the region is several pieces long.
        for n in 1...3 { try ok(["hub", "task", "add", "--title", noisyText(900, seed: UInt64(n)), "--assign-all"] + data("mun-a")) }

        let env = ["PARTA_CHUNK_BYTES": "512", "PARTA_SYNC_BACKOFF_MS": "10", "PARTA_SYNC_ATTEMPTS": "6"]
        let region = try parta.serve(data: dir.file("region"), environment: ["PARTA_CHUNK_BYTES": "512"])
        defer { region.stop() }
        let proxy = try FaultyProxy(to: region.port, lifetime: 120)
        defer { proxy.stop() }

        // HEAD, a PATCH cut in its body, HEAD, a PATCH whose answer is cut inside its headers.
        proxy.plan([.none, .upstream(700), .none, .downstream(40)])
        let first = try json(try ok(["hub", "sync-upstream", proxy.url, "--json"] + data("mun-a"), environment: env).stdout) as? [String: Any] ?? [:]
        #expect(first["chunked"] as? Bool == true && !((first["resumedFrom"] as? [Int]) ?? []).isEmpty, "\(first)")
        #expect(proxy.stats.cuts == 2)

        // The link dies for good mid-upload: the run says so (in Russian by default) and keeps the
        // bundle; the next run goes on from what the region holds.
        for n in 4...6 { try ok(["hub", "task", "add", "--title", noisyText(900, seed: UInt64(n)), "--assign-all"] + data("mun-a")) }
        proxy.limitUpstream(to: 1500)
        let cut = try parta.run(["hub", "sync-upstream"] + data("mun-a"), environment: env, timeout: 120)
        #expect(cut.status == 1 && cut.stderr.contains("Нет связи") && !cut.stderr.contains("Fatal"), "\(cut.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.file("mun-a/sync/upload.parta")))
        proxy.limitUpstream(to: nil)
        let second = try json(try ok(["hub", "sync-upstream", "--json"] + data("mun-a"), environment: env).stdout) as? [String: Any] ?? [:]
        #expect(((second["resumedFrom"] as? [Int])?.first ?? 0) > 0, "\(second)")
        #expect(!FileManager.default.fileExists(atPath: dir.file("mun-a/sync/upload.parta")))

        region.stop()
        for folder in ["uploads", "answers"] {
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: dir.file("region/staging/\(folder)"))) ?? []).isEmpty, "\(folder)")
        }
        let school = "mun-a-s1"
        let hubDump = try PartaNode.openHub(directory: dir.file("mun-a")).replica.canonicalDump(partition: school)
        #expect(try PartaNode.openHub(directory: dir.file("region")).replica.canonicalDump(partition: school) == hubDump)
    }
}
