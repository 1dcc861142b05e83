import Foundation
import Testing
import PartaCore
import PartaStore
import PartaTesting

/// A hub, school A with two nodes (clerk and head), school B with one.
struct SmallDistrict {
    let directory = TemporaryDirectory("parta-store")
    let hub: Replica, clerk: Replica, head: Replica, other: Replica
    var now = testMilliseconds(year: 2020, month: 9, day: 1)

    init() throws {
        hub = try Replica.createTestHub(at: directory.file("hub.sqlite"), schema: testSchema, now: now)
        clerk = try Replica.createTestMember(at: directory.file("clerk.sqlite"), schema: testSchema, nodeID: "clerk", partition: "A", name: "Clerk", hub: hub, now: now)
        head = try Replica.createTestMember(at: directory.file("head.sqlite"), schema: testSchema, nodeID: "head", partition: "A", name: "Head", hub: hub, now: now)
        other = try Replica.createTestMember(at: directory.file("other.sqlite"), schema: testSchema, nodeID: "other", partition: "B", name: "Other", hub: hub, now: now)
    }

    mutating func tick(_ ms: UInt64 = 1000) -> UInt64 { now += ms; return now }

    /// Member -> hub, then hub -> member, for each member given.
    mutating func sync(_ members: Replica...) throws {
        for m in members { try deliver(try bundle(from: m, to: .node("hub"), now: tick()), to: hub, now: tick()) }
        for m in members {
            try deliver(try bundle(from: hub, to: .partition(m.role.partition), now: tick()), to: m, now: tick())
        }
    }
}

@Suite struct ReplicaTests {
    @Test func aTaskAssignedLongAfterItWasWrittenArrivesCompleteAtTheSchool() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.hub.write(table: "tasks", row: "t1", values: ["title": "Old task", "deadline": "2020-10-01"], now: d.tick())
        try d.hub.write(table: "tasks", row: "t2", values: ["title": "Other"], now: d.tick())
        try d.hub.write(table: "assignments", row: "t2|A", partition: "A", values: ["task": "t2"], now: d.tick())
        try d.sync(d.clerk)
        #expect(try d.clerk.database.rows("SELECT id FROM tasks").map { $0[0] } == ["t2"])
        // Many syncs later, t1 (whose changes are all "old") is assigned.
        try d.sync(d.clerk)
        try d.hub.write(table: "assignments", row: "t1|A", partition: "A", values: ["task": "t1"], now: d.tick())
        try d.sync(d.clerk)
        let t1 = try d.clerk.database.rows("SELECT title, deadline FROM tasks WHERE id = 't1'")
        #expect(t1 == [["Old task", "2020-10-01"]])
    }

    @Test func anUnassignedTaskLeavesTheSchoolAndComesBackWhenReassigned() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.hub.write(table: "tasks", row: "t1", values: ["title": "Task"], now: d.tick())
        try d.hub.write(table: "assignments", row: "t1|A", partition: "A", values: ["task": "t1"], now: d.tick())
        try d.sync(d.clerk)
        #expect(try d.clerk.database.scalar("SELECT count(*) FROM tasks") == 1)
        try d.hub.delete(table: "assignments", row: "t1|A", now: d.tick())
        try d.sync(d.clerk)
        #expect(try d.clerk.database.scalar("SELECT count(*) FROM tasks") == 0)
        #expect(try d.clerk.canonicalDump().filter { $0.hasPrefix("tasks|") }.isEmpty)
        try d.hub.write(table: "tasks", row: "t1", values: ["title": "Task, renamed while away"], now: d.tick())
        try d.hub.write(table: "assignments", row: "t1|A", partition: "A", values: ["task": "t1"], now: d.tick())
        try d.sync(d.clerk)
        #expect(try d.clerk.database.rows("SELECT title FROM tasks") == [["Task, renamed while away"]])
    }

    @Test func concurrentEditsFromTwoNodesOfOneSchoolLandInTheConflictLogWithBothValues() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.hub.write(table: "tasks", row: "t1", values: ["title": "Task"], now: d.tick())
        try d.hub.write(table: "assignments", row: "t1|A", partition: "A", values: ["task": "t1"], now: d.tick())
        try d.sync(d.clerk, d.head)
        try d.clerk.write(table: "reports", row: "t1|A", partition: "A", values: ["status": "done"], now: d.tick())
        try d.head.write(table: "reports", row: "t1|A", partition: "A", values: ["status": "blocked"], now: d.tick())
        try d.sync(d.clerk, d.head)
        try d.sync(d.clerk)
        let conflicts = try d.hub.conflicts()
        #expect(conflicts.count == 1)
        #expect(conflicts.first?.winnerValue == "blocked")
        #expect(conflicts.first?.loserValue == "done")
        #expect(conflicts.first?.loser.node == "clerk")
        // Every node ends with the same winner.
        for r in [d.hub, d.clerk, d.head] {
            #expect(try r.database.scalar("SELECT status FROM reports WHERE id = 't1|A'") == "blocked")
        }
        #expect(try d.clerk.conflicts().count == 1)
    }

    @Test func aSequentialOverwriteIsNotAConflict() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.hub.write(table: "tasks", row: "t1", values: ["title": "Task"], now: d.tick())
        try d.hub.write(table: "assignments", row: "t1|A", partition: "A", values: ["task": "t1"], now: d.tick())
        try d.sync(d.clerk, d.head)
        try d.clerk.write(table: "reports", row: "t1|A", partition: "A", values: ["status": "in_progress"], now: d.tick())
        try d.sync(d.clerk, d.head)
        try d.head.write(table: "reports", row: "t1|A", partition: "A", values: ["status": "done"], now: d.tick())
        try d.sync(d.head, d.clerk)
        for r in [d.hub, d.clerk, d.head] {
            #expect(try r.conflicts().isEmpty)
            #expect(try r.database.scalar("SELECT status FROM reports WHERE id = 't1|A'") == "done")
        }
    }

    @Test func aSchoolWhoseClockIsBehindStillWinsWithItsLaterEdit() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.hub.write(table: "tasks", row: "t1", values: ["title": "Task"], now: d.tick())
        try d.hub.write(table: "assignments", row: "t1|A", partition: "A", values: ["task": "t1"], now: d.tick())
        try d.sync(d.clerk, d.head)
        try d.head.write(table: "reports", row: "t1|A", partition: "A", values: ["comment": "first"], now: d.tick())
        try d.sync(d.head, d.clerk)
        // The clerk's PC is three days slow, but it has seen the head's edit: its later edit wins.
        try d.clerk.write(table: "reports", row: "t1|A", partition: "A", values: ["comment": "second"], now: d.now - 3 * 86_400_000)
        try d.sync(d.clerk, d.head)
        for r in [d.hub, d.clerk, d.head] {
            #expect(try r.database.scalar("SELECT comment FROM reports WHERE id = 't1|A'") == "second")
            #expect(try r.conflicts().isEmpty)
        }
    }

    @Test func aChangeStampedYearsAheadIsRefusedWholeNamingTheNode() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.hub.write(table: "tasks", row: "t1", values: ["title": "Task"], now: d.tick())
        try d.hub.write(table: "assignments", row: "t1|A", partition: "A", values: ["task": "t1"], now: d.tick())
        try d.sync(d.clerk)
        let future = testMilliseconds(year: 2035, month: 1, day: 1)
        try d.clerk.write(table: "reports", row: "t1|A", partition: "A", values: ["status": "done"], now: future)
        let before = try d.hub.canonicalDump()
        let bytes = try bundle(from: d.clerk, to: .node("hub"), now: future)
        #expect {
            try deliver(bytes, to: d.hub, now: d.tick())
        } throws: { error in
            guard let e = error as? StoreError else { return false }
            return e.code == .clockDriftTooLarge && e.context["node"] == "clerk"
        }
        #expect(try d.hub.canonicalDump() == before)
        #expect(d.hub.lastTimestamp.milliseconds < future)
    }

    @Test func aSchoolMayNotWriteAnotherSchoolsReports() throws {
        let d = try SmallDistrict()
        defer { d.directory.remove() }
        #expect(throws: StoreError.self) {
            try d.clerk.write(table: "reports", row: "t1|B", partition: "B", values: ["status": "done"], now: d.now)
        }
        #expect(throws: StoreError.self) {
            try d.clerk.write(table: "tasks", row: "t9", values: ["title": "Forged"], now: d.now)
        }
    }

    @Test func aBundleForAnotherSchoolIsRefusedAndChangesNothing() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.hub.write(table: "notices", row: "n1", values: ["text": "hello"], now: d.tick())
        let forB = try bundle(from: d.hub, to: .partition("B"), now: d.tick())
        let before = try d.clerk.canonicalDump()
        #expect { try deliver(forB, to: d.clerk, now: d.tick()) } throws: { ($0 as? StoreError)?.code == .wrongRecipient }
        #expect(try d.clerk.canonicalDump() == before)
    }

    @Test func applyingTheSameBundleTwiceIsANoOp() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.hub.write(table: "tasks", row: "t1", values: ["title": "Task"], now: d.tick())
        try d.hub.write(table: "assignments", row: "t1|A", partition: "A", values: ["task": "t1"], now: d.tick())
        let bytes = try bundle(from: d.hub, to: .partition("A"), now: d.tick())
        let first = try deliver(bytes, to: d.clerk, now: d.tick())
        let dump = try d.clerk.canonicalDump()
        let second = try deliver(bytes, to: d.clerk, now: d.tick())
        #expect(first.applied > 0)
        #expect(second.applied == 0 && second.alreadyHad == first.applied)
        #expect(try d.clerk.canonicalDump() == dump)
    }

    @Test func aDeltaAfterOneEditCarriesOnlyThatEdit() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        for i in 1...200 {
            try d.hub.write(table: "tasks", row: "t\(i)", values: ["title": .text("Task \(i)")], now: d.tick())
            try d.hub.write(table: "assignments", row: "t\(i)|A", partition: "A", values: ["task": .text("t\(i)")], now: d.tick())
        }
        // Both computers of school A are enrolled: the partition's bundle starts from what both acknowledged.
        try d.sync(d.clerk, d.head)
        try d.sync(d.clerk, d.head)
        try d.clerk.write(table: "reports", row: "t7|A", partition: "A", values: ["status": "done"], now: d.tick())
        let up = try d.clerk.outgoingChanges(for: .node("hub"), now: d.tick(), bundleID: Array(repeating: 0, count: 16))
        #expect(up.changes.map(\.field) == ["status"])
        try d.sync(d.clerk, d.head)
        try d.hub.write(table: "tasks", row: "t9", values: ["title": "Renamed"], now: d.tick())
        let down = try d.hub.outgoingChanges(for: .partition("A"), now: d.tick(), bundleID: Array(repeating: 0, count: 16))
        // The hub's edit, and the clerk's one edit that the head has not seen yet.
        #expect(down.changes.map(\.row) == ["t9", "t7|A"])
    }

    @Test func aDeltaFindsAnOriginThatStoppedBeingARowsPrimaryOrigin() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.sync(d.clerk, d.head)
        try d.sync(d.clerk, d.head)
        // The clerk's edit reaches the hub (the row's primary origin is the clerk there)...
        try d.clerk.write(table: "reports", row: "r|A", partition: "A", values: ["status": "done"], now: d.tick())
        try d.sync(d.clerk)
        // ...then a newer edit by the head makes the head primary before the head has the clerk's edit.
        try d.head.write(table: "reports", row: "r|A", partition: "A", values: ["comment": "checked"], now: d.tick())
        try d.sync(d.head)
        let row = "SELECT id, _part, status, comment, _state, _origin, _ctr FROM reports"
        #expect(try d.head.database.rows(row).map { $0.map(\.description) } == d.hub.database.rows(row).map { $0.map(\.description) })
        #expect(try d.head.database.scalar("SELECT status FROM reports WHERE id = 'r|A'") == .text("done"))
        #expect(try d.hub.database.scalar("SELECT _origin FROM reports WHERE id = 'r|A'") == .text("head"))
        // A tombstone keeps every origin findable: the clerk's deletion and the head's comment.
        try d.clerk.delete(table: "reports", row: "r|A", now: d.tick())
        try d.sync(d.clerk)
        try d.sync(d.head)
        #expect(try d.head.database.scalar("SELECT count(*) FROM reports") == .integer(0))
        #expect(try d.head.database.scalar("SELECT count(*) FROM parta_tombstone WHERE tbl = 'reports'") == .integer(1))
    }

    @Test func aReplicaFromBeforeThePrimaryOriginColumnsOpensAndGainsThem() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.clerk.write(table: "reports", row: "t1|A", partition: "A", values: ["status": "done"], now: d.tick())
        // As the replica was before: no _origin, _ctr or their index; every origin in parta_row_origin.
        for table in testSchema.tables {
            try d.clerk.database.execute("""
                DROP INDEX "\(table.name)_by_origin"; ALTER TABLE "\(table.name)" DROP COLUMN _origin; ALTER TABLE "\(table.name)" DROP COLUMN _ctr;
                """)
        }
        try d.clerk.database.execute("INSERT INTO parta_row_origin (tbl, row, origin, part, ctr) VALUES ('reports', 't1|A', 'clerk', 'A', 999)")
        let reopened = try Replica.openTest(at: d.directory.file("clerk.sqlite"), schema: testSchema)
        #expect(try reopened.database.scalar("SELECT count(*) FROM reports WHERE _origin IS NULL") == .integer(1))
        let up = try reopened.outgoingChanges(for: .node("hub"), now: d.tick(), bundleID: Array(repeating: 0, count: 16))
        #expect(up.changes.filter { $0.table == "reports" }.map(\.field) == ["status"])
    }

    @Test func aReplicaOpensAgainWithItsIdentityAndClock() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.clerk.write(table: "reports", row: "t1|A", partition: "A", values: ["status": "done"], now: d.tick())
        let clock = try d.clerk.vectorClock()
        let reopened = try Replica.openTest(at: d.directory.file("clerk.sqlite"), schema: testSchema)
        #expect(reopened.nodeID == "clerk" && reopened.role == .member(partition: "A") && reopened.hubID == "hub")
        #expect(try reopened.vectorClock() == clock)
        #expect(reopened.lastTimestamp == d.clerk.lastTimestamp)
    }
}

@Suite struct ReplicaShapeTests {
    @Test func aRowNeverMovesPartitionEvenThroughAFieldItHasNotUsedYet() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.sync(d.clerk, d.other)
        try d.clerk.write(table: "reports", row: "shared", partition: "A", values: ["status": "done"], now: d.tick())
        try d.sync(d.clerk)
        try d.other.write(table: "reports", row: "shared", partition: "B", values: ["comment": "mine"], now: d.tick())
        let bytes = try bundle(from: d.other, to: .node("hub"), now: d.tick())
        #expect { try deliver(bytes, to: d.hub, now: d.tick()) } throws: { ($0 as? StoreError)?.code == .invalidChange }
    }

    @Test func aValueTheReaderWouldRefuseIsNeverWritten() throws {
        let d = try SmallDistrict()
        defer { d.directory.remove() }
        #expect { try d.clerk.write(table: "reports", row: String(repeating: "x", count: 2000), partition: "A", values: ["status": "done"], now: d.now) }
            throws: { ($0 as? StoreError)?.code == .invalidChange }
        #expect { try d.clerk.write(table: "reports", row: "r", partition: "A", values: ["comment": .text(String(repeating: "я", count: 600_000))], now: d.now) }
            throws: { ($0 as? StoreError)?.code == .invalidChange }
    }
}
