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

        // A forged copy of mun-b's hub registers a school under mun-a's school's id and syncs: 403, nothing written.
        try FileManager.default.copyItem(atPath: dir.file("mun-b"), toPath: dir.file("mun-b-forged"))
        try ok(["hub", "school", "add", "mun-a-s1", "--name", "Чужая школа"] + data("mun-b-forged"))
        let before = try PartaNode.open(directory: dir.file("region")).replica.canonicalDump()
        let forged = try parta.run(["hub", "sync-upstream"] + data("mun-b-forged"), language: "en")
        #expect(forged.status == 1)
        #expect(forged.stderr.contains("(403)") && forged.stderr.contains("mun-a-s1 belongs to mun-a"), "\(forged.stderr)")
        #expect(try PartaNode.open(directory: dir.file("region")).replica.canonicalDump() == before)

        // Every tier holds the same data of each school.
        region.stop()
        munA.stop()
        let regionNode = try PartaNode.open(directory: dir.file("region"))
        for m in ["mun-a", "mun-b"] {
            let school = "\(m)-s1"
            let hubDump = try PartaNode.open(directory: dir.file(m)).replica.canonicalDump(partition: school)
            #expect(try PartaNode.open(directory: dir.file(school)).replica.canonicalDump() == hubDump)
            #expect(try regionNode.replica.canonicalDump(partition: school) == hubDump)
        }
    }
}
