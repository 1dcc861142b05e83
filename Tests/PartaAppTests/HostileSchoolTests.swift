import Foundation
import Testing
import PartaApp
import PartaBundle
import PartaStore
import PartaTesting

/// An enrolled school computer with genuine keys that signs whatever it likes (issue 14, rows 1
/// and 2): the hub refuses each forged bundle whole, changes nothing, and the honest schools go
/// on syncing with the figures they earned.
@Suite struct HostileSchoolTests {
    let day = testMilliseconds(year: 2020, month: 9, day: 1)

    final class District {
        let dir = TemporaryDirectory()
        let hub: HubNode
        var schools: [String: SchoolNode] = [:]
        var time: UInt64
        let task: String, otherTask: String

        init(day: UInt64) throws {
            time = day
            hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: day)
            try hub.addSchool(id: "s1", name: "МБОУ СОШ № 1", now: day)
            try hub.addSchool(id: "s2", name: "МБОУ СОШ № 2", now: day)
            task = try hub.addTask(.init(title: "Общая задача"), assignTo: ["s1", "s2"], now: day)
            otherTask = try hub.addTask(.init(title: "Задача второй школы"), assignTo: ["s2"], now: day)
            let stick = dir.file("stick")
            _ = try hub.exportForSchools(to: stick, now: tick())
            for id in ["s1", "s2"] {
                schools[id] = try PartaNode.createSchoolNode(directory: dir.file(id), fromBundle: stick + "/" + id,
                                                             code: try hub.replica.openEnrollmentCodes(partition: id)[0], name: "PC \(id)", now: tick()).0
            }
            try exchange()
        }

        func tick() -> UInt64 { time += 60_000; return time }

        /// Every school's bundle to the hub, then the hub's answers back.
        func exchange() throws {
            let stick = dir.file("stick-\(time)")
            for school in schools.values { _ = try school.exportForHub(to: stick, now: tick()) }
            for outcome in try hub.importBundles(at: stick, now: tick()) {
                if case .failed(let error) = outcome.status { Issue.record("honest bundle refused: \(error)") }
            }
            _ = try hub.exportForSchools(to: stick, now: tick())
            for (id, school) in schools { _ = try school.importBundles(at: stick + "/" + id, now: tick()) }
        }

        /// `school`'s honest outgoing changes plus `forged` (stamped as the school's next write),
        /// signed with the school's genuine key. Returns the error code the hub refused it with,
        /// or nil if it was accepted; a refusal must leave the hub unchanged.
        func forge(by school: String, _ forged: [(table: String, row: String, partition: String, field: String, value: Value)]) throws -> StoreError.Code? {
            let sender = schools[school]!.replica
            let (header, honest) = try sender.outgoingChanges(for: .node(hub.replica.nodeID), now: tick(), bundleID: BundleExchange.newBundleID())
            var counter = header.upper[sender.nodeID]
            let changes = honest + forged.map { f in
                counter += 1
                return Change(table: f.table, row: f.row, partition: f.partition, field: f.field, value: f.value,
                              stamp: Stamp(time: HybridTimestamp(rawValue: tick() << 16), node: sender.nodeID, counter: counter))
            }
            let bytes = try signedBundle(header, changes, from: sender, to: [hub.replica])
            let before = try hub.replica.canonicalDump()
            do {
                try deliver(bytes, to: hub.replica, now: tick())
                return nil
            } catch let error as StoreError {
                #expect(try hub.replica.canonicalDump() == before)
                return error.code
            }
        }

        deinit { dir.remove() }
    }

    @Test func aSchoolCannotWriteAnotherSchoolsReportNorOneWhoseIdNamesAnotherSchool() throws {
        let d = try District(day: day)
        let t = d.task
        // The attack as found: another school's report id, stamped in the sender's own partition.
        for row in ["\(t)|s2", "\(t)|s2|s1", "\(t)", "s1"] {
            #expect(try d.forge(by: "s1", [("reports", row, "s1", "status", "done"), ("reports", row, "s1", "progress", 100)]) == .invalidChange, "\(row)")
        }
        // Its own report's id, but fields that name another school or task.
        #expect(try d.forge(by: "s1", [("reports", "\(t)|s1", "s1", "school", "s2")]) == .invalidChange)
        #expect(try d.forge(by: "s1", [("reports", "\(t)|s1", "s1", "task", .text(d.otherTask))]) == .invalidChange)
        // A report on a task that is not assigned to it.
        #expect(try d.forge(by: "s1", [("reports", "\(d.otherTask)|s1", "s1", "status", "done")]) == .invalidChange)
        // Another partition outright, and a school's record or an assignment of its own making.
        #expect(try d.forge(by: "s1", [("reports", "\(t)|s2", "s2", "status", "done")]) == .forbidden)
        #expect(try d.forge(by: "s1", [("assignments", "\(d.otherTask)|s1", "s1", "task", .text(d.otherTask))]) == .forbidden)
        #expect(try d.forge(by: "s1", [("schools", "s1", "s1", "name", "Лучшая школа")]) == .forbidden)

        // The real school 2 reports on the same task, and every honest exchange still goes through.
        try d.schools["s2"]!.report(task: t, status: .inProgress, progress: 30, comment: nil, now: d.tick())
        try d.schools["s1"]!.report(task: t, status: .inProgress, progress: 60, comment: nil, now: d.tick())
        try d.exchange()
        try d.exchange()
        let shown = try d.hub.showTask(t, today: "2020-09-02").reports.map { ($0.school, $0.status, $0.progress) }
        #expect(shown.map(\.0) == ["s1", "s2"])
        #expect(shown.map(\.2) == [60, 30])
        #expect(try d.schools["s1"]!.replica.canonicalDump(partition: "s1") == d.hub.replica.canonicalDump(partition: "s1"))
        #expect(try d.schools["s2"]!.replica.canonicalDump(partition: "s2") == d.hub.replica.canonicalDump(partition: "s2"))
    }

    @Test func valuesOutsideTheDeclaredRangesAreRefusedAtTheHub() throws {
        let d = try District(day: day)
        let row = "\(d.task)|s1"
        let forgeries: [(String, Value)] = [
            ("progress", .integer(.max)), ("progress", .integer(-1)), ("progress", .integer(101)), ("progress", "50"),
            ("status", "finished"), ("status", .integer(1)), ("reported_at", .integer(-5)), ("reported_at", "вчера"),
            ("comment", .text(String(repeating: "ж", count: 40_000))), ("author", .text(String(repeating: "a", count: 2000))),
            ("indicators", .integer(3)),
        ]
        for (field, value) in forgeries {
            #expect(try d.forge(by: "s1", [("reports", row, "s1", field, value)]) == .invalidChange, "\(field) = \(value)")
        }
        #expect(try d.forge(by: "s1", [("reports", row, "s1", "progress", 100)]) == nil)
        #expect(try d.hub.hubReport(today: "2020-09-02").tasks.first { $0.id == d.task }?.averageProgress == 50)
    }

    @Test func aProgressStoredBeforeTheChecksNeitherTrapsNorCountsAsMoreThanDone() throws {
        let d = try District(day: day)
        try d.schools["s1"]!.report(task: d.task, status: .inProgress, progress: 10, comment: nil, now: d.tick())
        try d.exchange()
        // As a hub upgraded from a release that did not check ranges might hold it.
        try d.hub.replica.database.run("UPDATE reports SET progress = ? WHERE id = ?", [.integer(.max), .text("\(d.task)|s1")])
        let report = try d.hub.hubReport(today: "2020-09-02")
        #expect(report.tasks.first { $0.id == d.task }?.averageProgress == 50)
        #expect(try d.hub.showTask(d.task, today: "2020-09-02").reports.first?.progress == 100)
        _ = try d.hub.summaryTables(today: "2020-09-02", language: .ru)
    }
}
