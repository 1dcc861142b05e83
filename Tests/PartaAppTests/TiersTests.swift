import Foundation
import Testing
import PartaApp
import PartaStore
import PartaBundle
import PartaTesting

/// School → municipality → region (Protocol/replication-v1.md §12), by stick.
@Suite struct TiersTests {
    final class District {
        let dir = TemporaryDirectory("parta-tiers")
        var now = testMilliseconds(year: 2020, month: 9, day: 1)
        let region: HubNode
        var municipalities: [String: HubNode] = [:]
        var schools: [String: SchoolNode] = [:]
        var regionCodes: [String: EnrollmentCode] = [:]

        func tick() -> UInt64 { now += 60_000; return now }

        init() throws {
            region = try PartaNode.createHub(directory: dir.file("region"), name: "Тамбовская область", now: now)
            for (id, name) in [("mun-a", "Мучкапский округ"), ("mun-b", "Сампурский округ")] {
                regionCodes[id] = try region.addMunicipality(id: id, name: name, now: tick())
                // Each municipality worked on its own before joining: its schools, its tasks.
                let hub = try PartaNode.createHub(directory: dir.file(id), name: name, now: tick())
                municipalities[id] = hub
                var codes: [String: EnrollmentCode] = [:]
                for n in 1...2 { codes["\(id)-s\(n)"] = try #require(try hub.addSchool(id: "\(id)-s\(n)", name: "Школа \(n)", now: tick())) }
                try hub.addTask(.init(title: "Задача \(name)"), assignTo: ["\(id)-s1", "\(id)-s2"], now: tick())
                _ = try hub.exportForSchools(to: dir.file("stick-\(id)"), now: tick())
                for (school, code) in codes {
                    schools[school] = try PartaNode.createSchoolNode(directory: dir.file(school), fromBundle: dir.file("stick-\(id)"),
                                                                     code: code, name: "ПК \(school)", now: tick()).0
                }
            }
        }

        /// One courier round: every school ↔ its municipality, every municipality ↔ the region.
        func exchangeAll() throws {
            for (id, hub) in municipalities {
                let stick = dir.file("stick-\(id)")
                _ = try hub.exportForSchools(to: stick, now: tick())
                for (school, node) in schools where school.hasPrefix(id) {
                    try expectApplied(try node.importBundles(at: stick, now: tick()))
                    _ = try node.exportForHub(to: stick, now: tick())
                }
                try expectApplied(try hub.importBundles(at: stick, now: tick()))
            }
            let stick = dir.file("stick-region")
            _ = try region.exportForSchools(to: stick, now: tick())
            for hub in municipalities.values {
                try expectApplied(try hub.importBundles(at: stick, now: tick()))
                _ = try hub.exportForRegion(to: stick, now: tick())
            }
            try expectApplied(try region.importBundles(at: stick, now: tick()))
        }

        func join() throws {
            // The schools have reported to their municipality before it joins: their node records go up too.
            for (school, node) in schools {
                try node.report(task: "t1", status: .inProgress, progress: 10, comment: nil, now: tick())
                let municipality = municipalities[String(school.prefix(5))]!
                _ = try node.exportForHub(to: dir.file("stick-\(school)"), now: tick())
                try expectApplied(try municipality.importBundles(at: dir.file("stick-\(school)"), now: tick()))
            }
            let stick = dir.file("stick-region")
            _ = try region.exportForSchools(to: stick, now: tick())
            for (id, hub) in municipalities {
                _ = try hub.joinRegion(fromBundle: stick, code: try #require(regionCodes[id]), now: tick())
                _ = try hub.exportForRegion(to: stick, now: tick())
            }
            let outcomes = try region.importBundles(at: stick, now: tick())
            try expectApplied(outcomes)
        }
    }

    static func expectApplied(_ outcomes: [ImportOutcome], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for o in outcomes { if case .failed(let e) = o.status { Issue.record("\(o.path): \(e.message.en)", sourceLocation: sourceLocation) } }
    }

    @Test func aRegionAboveTwoMunicipalitiesSeesEverySchoolAndItsTasksReachTheSchools() throws {
        let d = try District(); defer { d.dir.remove() }
        try d.join()
        #expect(try d.region.listMunicipalities().map { [$0.id, "\($0.schools)", $0.hub == nil ? "-" : "joined"] }
                == [["mun-a", "2", "joined"], ["mun-b", "2", "joined"]])
        #expect(try d.region.listSchools().map(\.id) == ["mun-a-s1", "mun-a-s2", "mun-b-s1", "mun-b-s2"])
        // Both municipalities' first tasks are "t1" to their users, distinct rows at the region.
        #expect(try d.region.replica.database.scalar("SELECT count(*) FROM tasks WHERE id GLOB 't1-*'") == .integer(2))

        // Schools report; the region issues a task of its own to one school of each municipality.
        try d.schools["mun-a-s1"]!.report(task: "t1", status: .done, progress: nil, comment: "сделано", now: d.tick())
        try d.schools["mun-b-s2"]!.report(task: "t1", status: .inProgress, progress: 40, comment: nil, now: d.tick())
        let regional = try d.region.addTask(.init(title: "Региональная задача"), assignTo: ["mun-a-s2", "mun-b-s1"], now: d.tick())
        try d.exchangeAll()
        try d.exchangeAll()

        #expect(try d.schools["mun-a-s2"]!.tasks(today: "2020-09-02").contains { $0.id == regional })
        #expect(try d.schools["mun-b-s1"]!.tasks(today: "2020-09-02").contains { $0.id == regional })
        #expect(try !d.schools["mun-a-s1"]!.tasks(today: "2020-09-02").contains { $0.id == regional })
        try d.schools["mun-b-s1"]!.report(task: regional, status: .done, progress: nil, comment: "региону", now: d.tick())
        try d.exchangeAll()
        try d.exchangeAll()

        let report = try d.region.hubReport(today: "2020-09-02")
        #expect(report.tasks.first { $0.id == regional }?.byStatus["done"] == 1)
        let municipalTasks = report.tasks.filter { $0.id.hasPrefix("t1-") && $0.id != regional }
        #expect(municipalTasks.map { $0.byStatus["done", default: 0] + $0.byStatus["in_progress", default: 0] } == [2, 2])
        #expect(municipalTasks.map { $0.byStatus["done", default: 0] }.sorted() == [0, 1])
        // Every tier holds the same data of each school.
        for (id, school) in d.schools {
            let municipality = d.municipalities[String(id.prefix(5))]!
            #expect(try school.replica.canonicalDump() == municipality.replica.canonicalDump(partition: id))
            #expect(try municipality.replica.canonicalDump(partition: id) == d.region.replica.canonicalDump(partition: id))
        }
        // A municipality holds nothing of the other's schools.
        for table in ["schools", "assignments", "reports", "nodes"] {
            #expect(try d.municipalities["mun-a"]!.replica.database.scalar("SELECT count(*) FROM \(table) WHERE _part GLOB 'mun-b*'") == .integer(0))
        }
    }

    @Test func aMunicipalityCannotWriteAnotherMunicipalitysDataNorTheRegionsTasks() throws {
        let d = try District(); defer { d.dir.remove() }
        try d.join()
        try d.exchangeAll()
        let a = d.municipalities["mun-a"]!, b = d.municipalities["mun-b"]!
        let regional = try d.region.addTask(.init(title: "Региональная задача"), assignTo: ["mun-a-s1"], now: d.tick())
        try d.exchangeAll()
        let aTask = try #require(try d.region.replica.database.scalar("SELECT task FROM assignments WHERE _part = 'mun-a-s2' AND task GLOB 't1-*'")?.textValue)

        // Honest software refuses at home what the region would refuse: the region's task is not the municipality's.
        #expect { try a.replica.write(table: "tasks", row: regional, values: ["title": "Подменено"], now: d.tick()) }
            throws: { ($0 as? StoreError)?.code == .forbidden }

        // A hub that misbehaves writes its bundle by hand: its honest changes plus one forged change
        // in its own name, signed with its own key. The region refuses each whole and changes nothing.
        func forged(by hub: HubNode, _ table: String, row: String, partition: String, field: String, value: Value) throws -> String? {
            let (header, honest) = try hub.replica.outgoingChanges(for: .node(d.region.replica.nodeID), now: d.tick(), bundleID: BundleExchange.newBundleID())
            let stamp = Stamp(time: HybridTimestamp(rawValue: d.tick() << 16), node: hub.replica.nodeID, counter: header.upper[hub.replica.nodeID] + 1)
            let change = Change(table: table, row: row, partition: partition, field: field, value: value, stamp: stamp, replaced: nil)
            let bytes = try signedBundle(header, honest + [change], from: hub.replica, to: [d.region.replica])
            let before = try d.region.replica.canonicalDump()
            do {
                try deliver(bytes, to: d.region.replica, now: d.tick())
                return nil
            } catch let error as StoreError {
                #expect(try d.region.replica.canonicalDump() == before)
                return error.code == .forbidden ? error.message.en : "\(error.code)"
            }
        }
        #expect(try forged(by: b, "partitions", row: "mun-a-s1", partition: "mun-a-s1", field: "domain", value: "mun-b")?.contains("mun-a-s1 belongs to mun-a") == true)
        #expect(try forged(by: b, "schools", row: "mun-a-s1", partition: "mun-a-s1", field: "name", value: "Чужая") != nil)
        #expect(try forged(by: b, "tasks", row: regional, partition: "", field: "title", value: "Подменено") != nil)
        #expect(try forged(by: b, "tasks", row: aTask, partition: "", field: "title", value: "Подменено") != nil)
        #expect(try forged(by: a, "tasks", row: regional, partition: "", field: "title", value: "Подменено") != nil)
        #expect(try forged(by: b, "nodes", row: b.replica.nodeID, partition: "*", field: "domain", value: "mun-a") != nil)
        #expect(try forged(by: b, "partitions", row: "mun-c", partition: "mun-c", field: "kind", value: "domain") != nil)
        // Its own task, for its own school, a municipality may of course write.
        #expect(try forged(by: a, "tasks", row: aTask, partition: "", field: "title", value: "Уточнено") == nil)

        // A copy of B's hub that registers a school under A's school's id (it cannot know it is taken) is refused at the region.
        try b.backup(to: d.dir.file("b.bak"))
        let copy = try PartaNode.restore(backup: d.dir.file("b.bak"), into: d.dir.file("b-copy"), name: "B", code: nil, now: d.tick()).asHub()
        _ = try copy.addSchool(id: "mun-a-s1", name: "Чужая", now: d.tick())
        _ = try copy.exportForRegion(to: d.dir.file("stick-copy"), now: d.tick())
        let outcome = try d.region.importBundles(at: d.dir.file("stick-copy"), now: d.tick())
        #expect(outcome.contains { if case .failed(let e) = $0.status { return e.message.en.contains("mun-a-s1 belongs to mun-a") } else { return false } })
        // The honest hubs go on exchanging as before.
        try d.exchangeAll()
    }
}
