import Foundation
import Testing
import PartaCore
import PartaStore
import PartaTesting

/// Failing tests for correctness bugs found in review of the replication engine.
@Suite struct ReviewFindingsTests {
    // MARK: 1. Canonically equivalent row ids are merged into one row by apply / dropped by the hub's delta.

    /// "й" precomposed (D0 B9) and decomposed (D0 B8 CC 86) are two different row ids (replication-v1 §1,
    /// vector 006). `Replica.apply` groups consecutive changes with Swift `String ==` (canonical
    /// equivalence), so the second row's changes are merged into the first row's registers.
    @Test func equivalentRowIdsFromAMemberStayTwoRowsAtTheHub() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        let precomposed = "\u{439}", decomposed = "\u{438}\u{306}"
        try d.clerk.write(table: "reports", row: precomposed, partition: "A", values: ["status": "done"], now: d.tick())
        try d.clerk.write(table: "reports", row: decomposed, partition: "A", values: ["status": "blocked"], now: d.tick())
        #expect(try d.clerk.database.scalar("SELECT count(*) FROM reports") == 2)
        try deliver(try bundle(from: d.clerk, to: .node("hub"), now: d.tick()), to: d.hub, now: d.tick())
        #expect(try d.hub.database.scalar("SELECT count(*) FROM reports") == 2)
        #expect(try d.hub.conflicts().isEmpty)
        #expect(try d.hub.canonicalDump(partition: "A").filter { $0.hasPrefix("reports|") }
                == d.clerk.canonicalDump().filter { $0.hasPrefix("reports|") })
    }

    /// Same on the way down: `hubDelta` dedupes by a `String`-keyed dictionary, so one of the two
    /// rows is dropped from the bundle (and apply would merge them anyway).
    @Test func equivalentRowIdsFromTheHubStayTwoRowsAtTheSchool() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.hub.write(table: "notices", row: "\u{439}", values: ["text": "one"], now: d.tick())
        try d.hub.write(table: "notices", row: "\u{438}\u{306}", values: ["text": "two"], now: d.tick())
        let down = try d.hub.outgoingChanges(for: .partition("A"), now: d.tick(), bundleID: Array(repeating: 0, count: 16))
        #expect(down.changes.filter { $0.table == "notices" }.count == 2)
        try d.sync(d.clerk)
        #expect(try d.clerk.database.scalar("SELECT count(*) FROM notices") == 2)
        #expect(try d.clerk.canonicalDump() == d.hub.canonicalDump(partition: "A"))
    }

    /// Same root cause on rights: `authorize` compares the origin's partition with the change's by
    /// `String ==`, so a node of school "e\u{301}" may write a report of school "\u{e9}" (another
    /// school: partitions are byte strings). The write is accepted locally and then never travels
    /// (the member delta selects partitions bytewise in SQL): a forbidden, silently stranded row.
    @Test func aNodeOfOneSchoolMayNotWriteAnEquivalentlySpelledSchoolsReports() throws {
        let dir = TemporaryDirectory("parta-review")
        defer { dir.remove() }
        let now = testMilliseconds(year: 2020, month: 9, day: 1)
        let hub = try Replica.createTestHub(at: dir.file("hub.sqlite"), schema: testSchema, now: now)
        let intruder = try Replica.createTestMember(at: dir.file("x.sqlite"), schema: testSchema, nodeID: "x", partition: "e\u{301}",
                                                    name: "X", hub: hub, now: now)
        #expect { try intruder.write(table: "reports", row: "r", partition: "\u{e9}", values: ["status": "forged"], now: now + 1) }
            throws: { ($0 as? StoreError)?.code == .forbidden }
    }

    // MARK: 2. A restored hub never gets back its own changes made after the backup.

    /// The hub writes v2 after its backup; the clerk receives it. The hub is restored from the
    /// backup (counter +2³²). The clerk's base for origin `hub` is the restored hub's upper (≥ 2³²),
    /// so it never resends v2: the clerk keeps v2 while the hub and the head keep v1, forever.
    @Test func aRestoredHubAndItsSchoolsConvergeOnTheHubsLostChanges() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.hub.write(table: "notices", row: "n1", values: ["text": "v1"], now: d.tick())
        try d.sync(d.clerk, d.head)
        try d.hub.backup(to: d.directory.file("hub.bak"))
        try d.hub.write(table: "notices", row: "n1", values: ["text": "v2"], now: d.tick())
        try d.sync(d.clerk)   // the clerk holds v2, the head does not
        let hub2 = try Replica.restore(backup: d.directory.file("hub.bak"), to: d.directory.file("hub2.sqlite"),
                                       schema: testSchema, newNodeID: "unused", name: "Hub", keys: testKeys("hub"), now: d.tick())
        for _ in 0..<3 {
            for m in [d.clerk, d.head] { try deliver(try bundle(from: m, to: .node("hub"), now: d.tick()), to: hub2, now: d.tick()) }
            for m in [d.clerk, d.head] { try deliver(try bundle(from: hub2, to: .partition("A"), now: d.tick()), to: m, now: d.tick()) }
        }
        let texts = try [hub2, d.clerk, d.head].map { try $0.database.scalar("SELECT text FROM notices WHERE id = 'n1'") }
        #expect(texts[0] == texts[1] && texts[1] == texts[2], "hub, clerk, head hold \(texts)")
        #expect(try d.clerk.canonicalDump() == hub2.canonicalDump(partition: "A"))
        #expect(try d.head.canonicalDump() == hub2.canonicalDump(partition: "A"))
    }

    // MARK: 3. Two open replicas of one file (two processes) reuse counters; a change is lost.

    /// `Replica` documents that several processes may open the same file, but `counter` and the HLC
    /// live in memory, loaded once by `open`. A second instance writes with a stale counter: the
    /// change reuses (clerk, 4), already acknowledged by the hub, and never travels.
    @Test func twoOpenInstancesOfOneReplicaNeverReuseACounterOrLoseAChange() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        let second = try Replica.openTest(at: d.directory.file("clerk.sqlite"), schema: testSchema)   // another process
        let first = try d.clerk.write(table: "reports", row: "r1|A", partition: "A", values: ["status": "done"], now: d.tick())
        try d.sync(d.clerk)                                                                     // the hub acknowledges it
        let again = try second.write(table: "reports", row: "r2|A", partition: "A", values: ["status": "blocked"], now: d.tick())
        #expect(again.first!.stamp.counter > first.last!.stamp.counter, "counter reused: \(first) / \(again)")
        try d.sync(d.clerk)
        #expect(try d.hub.database.scalar("SELECT status FROM reports WHERE id = 'r2|A'") == "blocked")
    }

    /// The stale instance also writes its stale counter back on apply: the file's counter goes backwards.
    @Test func applyingInAStaleInstanceNeverMovesTheStoredCounterBack() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        let second = try Replica.openTest(at: d.directory.file("clerk.sqlite"), schema: testSchema)
        try d.clerk.write(table: "reports", row: "r1|A", partition: "A", values: ["status": "done", "comment": "x"], now: d.tick())
        let own = try d.clerk.vectorClock()["clerk"]
        try deliver(try bundle(from: d.hub, to: .partition("A"), now: d.tick()), to: second, now: d.tick())
        let reopened = try Replica.openTest(at: d.directory.file("clerk.sqlite"), schema: testSchema)
        #expect(try reopened.vectorClock()["clerk"] >= own)
    }

    // MARK: 4. Deleting a node record (decommissioning a PC) loses that node's changes for the school.

    /// A tombstoned `nodes` record keeps its registers (§4), but `relevantOrigins` and `nodeRecord`
    /// read only the live `nodes` table: the origin stops being relevant, so the head never receives
    /// the clerk's report, and (were it sent) it would be refused as `unknownNode`.
    /// A node record is never deleted (its changes would lose their author); revoking a node is a
    /// field of its record (issue 4), so deleting one is refused and the node's changes still travel.
    @Test func aDecommissionedNodesChangesStillReachTheRestOfItsSchool() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.sync(d.clerk, d.head)
        try d.clerk.write(table: "reports", row: "r1|A", partition: "A", values: ["status": "done"], now: d.tick())
        try d.sync(d.clerk)
        #expect { try d.hub.delete(table: "nodes", row: "clerk", now: d.tick()) } throws: { ($0 as? StoreError)?.code == .forbidden }
        try d.sync(d.head)
        #expect(try d.head.database.scalar("SELECT status FROM reports WHERE id = 'r1|A'") == "done")
        #expect(try d.head.canonicalDump() == d.hub.canonicalDump(partition: "A"))
    }
}
