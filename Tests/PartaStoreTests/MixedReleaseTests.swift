import Foundation
import Testing
import PartaCore
@testable import PartaStore
import PartaTesting

/// A district upgraded one computer at a time (replication-v1 §6.1): a table of release 2 travels
/// only to nodes that read it, a node of release 1 gets bundles it can read, and a node that
/// upgrades gets, once, everything it was not sent.
@Suite struct MixedReleaseTests {
    /// The test application with a table of release 2 (as Parta's `indicators`).
    static let schema = ReplicationSchema(tables: ruledTestSchema.tables.filter { $0.name != "partitions" && $0.name != "nodes" } + [
        ReplicatedTable(name: "extras", columns: [.init("key", .text), .init("value", .real)], scope: .partitioned,
                        writers: .partitionMembers, identity: .keyedByPartition(keyColumn: "key", partitionColumn: nil),
                        requires: [.firstKeyPartRowIn(table: "assignments")], feature: .release2Tables),
    ])
    let t0 = testMilliseconds(year: 2020, month: 9, day: 1)

    /// Opens `replica` again as the next release would after its upgrade: it was written by
    /// release 1 (schema 1), so it asks every peer it heard from for everything, once.
    func upgrade(_ replica: Replica, at path: String) throws -> Replica {
        try replica.database.run("UPDATE parta_meta SET value = 1 WHERE key = 'schema_version'")
        let keys = replica.keys
        replica.database.close()
        return try Replica.open(at: path, schema: Self.schema, keys: keys)
    }

    func extras(_ replica: Replica) throws -> [String] {
        try replica.database.rows("SELECT id FROM extras ORDER BY id").compactMap { $0[0].textValue }
    }

    @Test func aSchoolComputerOfTheEarlierReleaseIsNotSentWhatItCannotReadAndGetsItAllWhenUpgraded() throws {
        let dir = TemporaryDirectory("parta-mixed"); defer { dir.remove() }
        let hub = try Replica.createTestHub(at: dir.file("hub.sqlite"), schema: Self.schema, now: t0)
        let new = try Replica.createTestMember(at: dir.file("a.sqlite"), schema: Self.schema, nodeID: "a", partition: "s1", hub: hub, now: t0)
        var old = try Replica.createTestMember(at: dir.file("b.sqlite"), schema: Self.schema, nodeID: "b", partition: "s1", hub: hub, now: t0)
        old.actsAsEarlierRelease = true
        _ = try deliver(try bundle(from: old, to: .node("hub"), now: t0 + 1), to: hub, now: t0 + 1)
        try hub.write(table: "tasks", row: "t1", values: ["title": "Task 1"], now: t0 + 2)
        try hub.write(table: "assignments", row: "t1|s1", partition: "s1", values: ["task": "t1"], now: t0 + 3)
        _ = try deliver(try bundle(from: hub, to: .partition("s1"), now: t0 + 4), to: new, now: t0 + 4)

        // The new computer writes a row of release 2; the hub takes it; its bundle for the school,
        // where one computer reads no release-2 tables, leaves it out, and the old computer reads it.
        try new.write(table: "extras", row: "t1|x|s1", partition: "s1", values: ["key": "t1|x", "value": .real(1.5)], now: t0 + 5)
        try new.write(table: "reports", row: "t1|s1", partition: "s1", values: ["task": "t1", "comment": "hello"], now: t0 + 6)
        _ = try deliver(try bundle(from: new, to: .node("hub"), now: t0 + 7), to: hub, now: t0 + 7)
        #expect(try extras(hub) == ["t1|x|s1"])
        let forOld = try bundle(from: hub, to: .partition("s1"), now: t0 + 8)
        _ = try deliver(forOld, to: old, now: t0 + 8)
        #expect(try old.database.scalar("SELECT comment FROM reports")?.textValue == "hello")
        #expect(try extras(old).isEmpty)

        // Upgraded, it asks the hub for everything (its bundle's clock says nothing of others),
        // and the hub's answer holds the row it was not sent.
        old = try upgrade(old, at: dir.file("b.sqlite"))
        #expect(try old.database.scalar("SELECT count(*) FROM parta_resync")?.integerValue == 1)
        let asking = try ChangeSetReader(bytes: try bundle(from: old, to: .node("hub"), now: t0 + 9))
        #expect(asking.header.upper.counters.keys.sorted() == ["b"], "\(asking.header.upper)")
        _ = try deliver(try bundle(from: old, to: .node("hub"), now: t0 + 10), to: hub, now: t0 + 10)
        let answer = try bundle(from: hub, to: .partition("s1"), now: t0 + 11)
        #expect(try ChangeSetReader(bytes: answer).header.base.counters.keys.allSatisfy { $0 == "b" })
        _ = try deliver(answer, to: old, now: t0 + 11)
        #expect(try extras(old) == ["t1|x|s1"])
        #expect(try old.canonicalDump() == hub.canonicalDump(partition: "s1"))
        // Answered: it asks no more, and the next bundles are deltas again.
        #expect(try old.database.scalar("SELECT count(*) FROM parta_resync")?.integerValue == 0)
        #expect(try ChangeSetReader(bytes: try bundle(from: old, to: .node("hub"), now: t0 + 12)).header.upper["hub"] > 0)
    }

    @Test func aHubUpgradedAfterItsSchoolsGetsWhatTheyLeftOut() throws {
        let dir = TemporaryDirectory("parta-mixed-hub"); defer { dir.remove() }
        var hub = try Replica.createTestHub(at: dir.file("hub.sqlite"), schema: Self.schema, now: t0)
        hub.actsAsEarlierRelease = true
        let school = try Replica.createTestMember(at: dir.file("a.sqlite"), schema: Self.schema, nodeID: "a", partition: "s1", hub: hub, now: t0)
        try hub.write(table: "tasks", row: "t1", values: ["title": "Task 1"], now: t0 + 1)
        try hub.write(table: "assignments", row: "t1|s1", partition: "s1", values: ["task": "t1"], now: t0 + 2)
        _ = try deliver(try bundle(from: hub, to: .partition("s1"), now: t0 + 3), to: school, now: t0 + 3)

        // The school (release 2) writes a row its hub (release 1) does not read: left out, no error.
        try school.write(table: "extras", row: "t1|x|s1", partition: "s1", values: ["key": "t1|x", "value": .real(2)], now: t0 + 4)
        try school.write(table: "reports", row: "t1|s1", partition: "s1", values: ["task": "t1", "comment": "hi"], now: t0 + 5)
        _ = try deliver(try bundle(from: school, to: .node("hub"), now: t0 + 6), to: hub, now: t0 + 6)
        #expect(try hub.database.scalar("SELECT comment FROM reports")?.textValue == "hi")
        _ = try deliver(try bundle(from: hub, to: .partition("s1"), now: t0 + 7), to: school, now: t0 + 7)

        // Upgraded, the hub asks the school for everything; the school's next bundle holds the row.
        hub = try upgrade(hub, at: dir.file("hub.sqlite"))
        _ = try deliver(try bundle(from: hub, to: .partition("s1"), now: t0 + 8), to: school, now: t0 + 8)
        _ = try deliver(try bundle(from: school, to: .node("hub"), now: t0 + 9), to: hub, now: t0 + 9)
        #expect(try extras(hub) == ["t1|x|s1"])
        #expect(try hub.database.scalar("SELECT count(*) FROM parta_resync")?.integerValue == 0)
        #expect(try school.canonicalDump() == hub.canonicalDump(partition: "s1"))
    }

    @Test func aRowOfAnUnassignedTaskIsRefusedAtTheHub() throws {
        let dir = TemporaryDirectory("parta-mixed-rule"); defer { dir.remove() }
        let hub = try Replica.createTestHub(at: dir.file("hub.sqlite"), schema: Self.schema, now: t0)
        let school = try Replica.createTestMember(at: dir.file("a.sqlite"), schema: Self.schema, nodeID: "a", partition: "s1", hub: hub, now: t0)
        try hub.write(table: "tasks", row: "t1", values: ["title": "Task 1"], now: t0 + 1)
        try hub.write(table: "assignments", row: "t1|s1", partition: "s1", values: ["task": "t1"], now: t0 + 2)
        _ = try deliver(try bundle(from: hub, to: .partition("s1"), now: t0 + 3), to: school, now: t0 + 3)
        // Task t2 is not s1's: refused when written here, and in a forged bundle at the hub.
        #expect(throws: StoreError.self) {
            try school.write(table: "extras", row: "t2|x|s1", partition: "s1", values: ["key": "t2|x", "value": .real(1)], now: t0 + 4)
        }
        for forged in ["t2|x|s1", "nobar|s1"] {
            let change = Change(table: "extras", row: forged, partition: "s1", field: "key", value: .text(String(forged.dropLast(3))),
                                stamp: Stamp(time: HybridTimestamp(milliseconds: t0 + 5, logical: 0), node: "a", counter: 99))
            let header = ChangeSetHeader(bundleID: Array(repeating: 7, count: 16), created: HybridTimestamp(milliseconds: t0 + 5, logical: 0),
                                         sender: "a", senderPartition: "s1", recipient: .node("hub"), base: VectorClock(), upper: VectorClock(["a": 99]))
            let writer = try ChangeSetWriter(header: header)
            try writer.append(change)
            let bytes = try writer.finish(signedBy: school.keys, sealedFor: [.node(sealingKey: hub.keys.publicKeys.sealing)])
            do {
                _ = try deliver(bytes, to: hub, now: t0 + 6)
                Issue.record("\(forged) was taken")
            } catch let error as StoreError {
                #expect("\(error)".contains("assignments"), "\(forged): \(error)")
            }
        }
        #expect(try extras(hub).isEmpty)
    }

    /// Issue 17: a table declared with feature bit 2 (Parta's `task_sources`) is not sent to a node
    /// that reads bit 1 only (the release before it, which knows `indicators` but not this table and
    /// would refuse the bundle); once upgraded (schema 2 → 3), the node asks once and gets it.
    @Test func aTableOfBit2SkipsANodeThatReadsBit1OnlyAndReachesItWhenUpgraded() throws {
        let dir = TemporaryDirectory("parta-mixed-bit2"); defer { dir.remove() }
        let later = ReplicatedTable(name: "later", columns: [.init("text", .text)], scope: .referenced(via: "assignments", column: "task"),
                                    writers: .hub, feature: .release3Tables)
        let full = ReplicationSchema(tables: Self.schema.tables.filter { $0.name != "partitions" && $0.name != "nodes" } + [later])
        let hub = try Replica.createTestHub(at: dir.file("hub.sqlite"), schema: full, now: t0)
        // The release before: reads seen sets and bit 1's tables, does not know `later`.
        var school = try Replica.createTestMember(at: dir.file("a.sqlite"), schema: Self.schema, nodeID: "a", partition: "s1", hub: hub, now: t0)
        school.readsOfEarlierRelease = [.seenSets, .release2Tables]
        _ = try deliver(try bundle(from: school, to: .node("hub"), now: t0 + 1), to: hub, now: t0 + 1)
        try hub.write(table: "tasks", row: "t1", values: ["title": "Task 1"], now: t0 + 2)
        try hub.write(table: "later", row: "t1", values: ["text": "2.3. Разработать …"], now: t0 + 3)
        try hub.write(table: "assignments", row: "t1|s1", partition: "s1", values: ["task": "t1"], now: t0 + 4)
        let forSchool = try bundle(from: hub, to: .partition("s1"), now: t0 + 5)
        // Its schema has no `later`: a bundle naming it would be refused here.
        _ = try deliver(forSchool, to: school, now: t0 + 5)
        #expect(try school.database.scalar("SELECT title FROM tasks WHERE id = 't1'")?.textValue == "Task 1")

        // Upgraded: it asks the hub for everything once, gets the row, and asks no more.
        try school.database.run("UPDATE parta_meta SET value = 2 WHERE key = 'schema_version'")
        let keys = school.keys
        school.database.close()
        school = try Replica.open(at: dir.file("a.sqlite"), schema: full, keys: keys)
        #expect(try school.database.scalar("SELECT count(*) FROM parta_resync")?.integerValue == 1)
        _ = try deliver(try bundle(from: school, to: .node("hub"), now: t0 + 6), to: hub, now: t0 + 6)
        _ = try deliver(try bundle(from: hub, to: .partition("s1"), now: t0 + 7), to: school, now: t0 + 7)
        #expect(try school.database.scalar("SELECT text FROM later WHERE id = 't1'")?.textValue == "2.3. Разработать …")
        #expect(try school.database.scalar("SELECT count(*) FROM parta_resync")?.integerValue == 0)
    }
}

/// Random schedules of a district upgraded one computer at a time (replication-v1 §6.1): the hub
/// and some school computers start on the earlier release, rows of a table of release 2 are
/// written wherever the hub reads them, and nodes are upgraded at random moments. In the end,
/// every node upgraded, every replica holds its scope exactly as the hub does, the table of
/// release 2 included, and no report write is silently lost.
@Suite struct UpgradePropertyTests {
    static let schedules = max(1, (Int(ProcessInfo.processInfo.environment["PARTA_PROPERTY_SCHEDULES"] ?? "") ?? 1000) / 4)

    @Test func aDistrictUpgradedOneComputerAtATimeConvergesAndLosesNothing() throws {
        var upgradesMidway = 0
        let only = ProcessInfo.processInfo.environment["PARTA_UPGRADE_SEED"].flatMap { UInt64($0) }
        for seed in only.map({ $0...$0 }) ?? 1...UInt64(Self.schedules) {
            var rng = SeededGenerator(seed: seed &* 104_729)
            let schools = Int.random(in: 1...2, using: &rng)
            let hubFirst = Bool.random(using: &rng)
            var world = try World(seed: seed, schools: schools, nodesPerSchool: { _ in Int.random(in: 1...2, using: &rng) },
                                  schema: MixedReleaseTests.schema,
                                  earlierRelease: { id in id == "hub" ? !hubFirst : Int.random(in: 0..<2, using: &rng) == 0 })
            defer { world.directory.remove() }
            try world.seedTasks()
            for _ in 0..<Int.random(in: 30...90, using: &rng) {
                if !world.earlierRelease.isEmpty, Int.random(in: 0..<25, using: &rng) == 0 {
                    try world.upgrade(world.earlierRelease.sorted().randomElement(using: &rng)!)
                    upgradesMidway += 1
                } else {
                    try world.step()
                }
            }
            while let (bytes, to) = world.inFlight.popLast() {
                if Bool.random(using: &world.rng) { try world.deliverAnywhere(bytes, to: to) }
            }
            for id in world.earlierRelease.sorted() { try world.upgrade(id) }
            // Asking for everything takes one more round trip than an ordinary exchange.
            try world.finalExchange()
            try world.finalExchange()
            for (replica, school) in world.members {
                let mine = try replica.canonicalDump(), hubs = try world.hub.canonicalDump(partition: school)
                #expect(mine == hubs, "seed \(seed): \(replica.nodeID) differs: only here \(Set(mine).subtracting(hubs).sorted()), only at the hub \(Set(hubs).subtracting(mine).sorted())")
                #expect(try replica.database.scalar("SELECT count(*) FROM parta_resync")?.integerValue == 0, "seed \(seed): \(replica.nodeID) still asks")
            }
            #expect(try world.hub.database.scalar("SELECT count(*) FROM parta_resync")?.integerValue == 0, "seed \(seed): the hub still asks")
            var blindSpot: [String] = []
            let lost = try world.knowledge.lost(hub: world.hub, replicas: [world.hub] + world.members.map(\.replica), blindSpot: &blindSpot)
            #expect(lost.isEmpty, "seed \(seed): \(lost)")
        }
        print("upgrades: \(Self.schedules) schedules, \(upgradesMidway) nodes upgraded midway")
    }
}
