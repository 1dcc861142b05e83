import Foundation
import Testing
import PartaCore
import PartaStore
import PartaTesting

/// Clock repair at a hub (replication-v1 §9.1): which of its changes stamped in the future have
/// left. A school's acknowledgement covers only what was in its scope.
@Suite struct ClockRepairTests {
    static let day: Int64 = 86_400_000

    @Test func aHubChangeForOneSchoolHasNotLeftBecauseAnotherSchoolAcknowledgedALaterCounter() throws {
        var world = try World(seed: 1, schools: 2, nodesPerSchool: { _ in 1 })
        defer { world.directory.remove() }
        try world.finalExchange()
        let (first, second) = (world.members[0].replica, world.members[1].replica)
        #expect(world.members.map(\.school) == ["school0", "school1"])

        // The hub's date is set three days ahead; it writes a task for the first school only.
        world.skew["hub"] = 3 * Self.day
        try world.hub.write(table: "tasks", row: "ahead", values: ["title": .text("written ahead")], now: world.now("hub"))
        try world.hub.write(table: "assignments", row: "ahead|school0", partition: "school0", values: ["task": .text("ahead")], now: world.now("hub"))
        // The first school, whose clock is right, refuses it; the second takes a bundle whose
        // clock covers those counters, holding nothing of them, and says so to the hub.
        #expect(throws: StoreError.self) {
            try world.receive(try bundle(from: world.hub, to: .partition("school0"), now: world.now("hub")), by: first)
        }
        try world.receive(try bundle(from: world.hub, to: .partition("school1"), now: world.now("hub")), by: second)
        try world.receive(try bundle(from: second, to: .node("hub"), now: world.now(second.nodeID)), by: world.hub)
        #expect(try world.hub.acknowledgedClock(of: second.nodeID)?["hub"] == (try world.hub.vectorClock())["hub"])

        // Put right, the hub re-stamps both changes: neither has left.
        world.skew["hub"] = 0
        let repair = try #require(try world.hub.repairClock(now: world.now("hub")))
        #expect(repair.finding == .repaired(restamped: 2))   // the task's title, its assignment's task
        try world.receive(try bundle(from: world.hub, to: .partition("school0"), now: world.now("hub")), by: first)
        #expect(try first.canonicalDump() == (try world.hub.canonicalDump(partition: "school0")))
    }

    // Found by the accident property test: a school acknowledges a counter whose change was left
    // out of its bundle then (the task's assignment was withdrawn), and the task is assigned to it
    // again later. Its clock, which never reached the change's stamp, shows it never took it.
    @Test func aChangeLeftOutOfASchoolsBundleThenHasNotLeftThoughItsTaskIsAssignedAgain() throws {
        var world = try World(seed: 1, schools: 1, nodesPerSchool: { _ in 1 })
        defer { world.directory.remove() }
        let school = world.members[0].replica
        func exchange() throws {
            try world.receive(try bundle(from: world.hub, to: .partition("school0"), now: world.now("hub")), by: school)
            try world.receive(try bundle(from: school, to: .node("hub"), now: world.now(school.nodeID)), by: world.hub)
        }
        try world.hub.write(table: "tasks", row: "later", values: ["title": .text("Задача")], now: world.now("hub"))
        try world.hub.write(table: "assignments", row: "later|school0", partition: "school0", values: ["task": .text("later")], now: world.now("hub"))
        try exchange()
        try world.hub.delete(table: "assignments", row: "later|school0", now: world.now("hub"))
        try exchange()
        // Three days ahead, the hub renames the task: the school's bundle leaves it out (not its task
        // now), so the school takes it and acknowledges the counter. Then the task is assigned again.
        world.skew["hub"] = 3 * Self.day
        try world.hub.write(table: "tasks", row: "later", values: ["title": .text("Задача, переименована")], now: world.now("hub"))
        try exchange()
        #expect(try world.hub.acknowledgedClock(of: school.nodeID)?["hub"] == (try world.hub.vectorClock())["hub"])
        try world.hub.write(table: "assignments", row: "later|school0", partition: "school0", values: ["task": .text("later")], now: world.now("hub"))

        world.skew["hub"] = 0
        let repair = try #require(try world.hub.repairClock(now: world.now("hub")))
        guard case .repaired = repair.finding else { Issue.record("\(repair)"); return }
        try exchange()
        #expect(try school.canonicalDump() == (try world.hub.canonicalDump(partition: "school0")))
        #expect(try school.database.scalar("SELECT title FROM tasks WHERE id = 'later'")?.textValue == "Задача, переименована")
    }

    // Found by the accident property test: a copy of a computer whose clock had run ahead repairs
    // it, writing its predecessor's changes from the future again under its own id. Its
    // predecessor's other changes of that row, written with the right clock and never sent,
    // must stay findable by the delta, though another node's register is now the row's newest.
    @Test func aRepairedCopyStillSendsItsPredecessorsChangesWrittenWithTheRightClock() throws {
        var world = try World(seed: 3, schools: 1, nodesPerSchool: { _ in 2 })
        defer { world.directory.remove() }
        try world.seedTasks()
        let (first, second) = (world.members[0].replica, world.members[1].replica)
        let task = try #require(try first.database.rows("SELECT task FROM assignments").compactMap { $0[0].textValue }.sorted().first)
        let row = "\(task)|school0"
        try first.write(table: "reports", row: row, partition: "school0", values: ["task": .text(task), "progress": .integer(10)], now: world.now(first.nodeID))
        try second.write(table: "reports", row: row, partition: "school0", values: ["task": .text(task), "comment": .text("от второго")], now: world.now(second.nodeID))
        world.skew[first.nodeID] = 3 * Self.day
        try first.write(table: "reports", row: row, partition: "school0", values: ["status": .text("done")], now: world.now(first.nodeID))
        // The second computer's comment arrives after: older than the status from the future, newer
        // than the progress.
        try world.receive(try bundle(from: second, to: .node("hub"), now: world.now(second.nodeID)), by: world.hub)
        try world.receive(try bundle(from: world.hub, to: .partition("school0"), now: world.now("hub")), by: first)
        // Its folder is copied (found before it writes), and the copy's clock is put right.
        let path = world.directory.file("copy.sqlite")
        try first.backup(to: path)
        let copy = try Replica.open(at: path, schema: ruledTestSchema, keys: first.keys)
        _ = try copy.becomeSuccessor(now: world.now(copy.nodeID), cause: .copiedOrMoved)
        let repair = try #require(try copy.repairClock(now: world.now("hub")))
        guard case .repaired = repair.finding else { Issue.record("\(repair)"); return }
        try world.receive(try bundle(from: copy, to: .node("hub"), now: world.now("hub")), by: world.hub)
        let shown = try world.hub.database.rows("SELECT progress, status, comment FROM reports WHERE id = ?", [.text(row)])
        #expect(shown.first?[0].integerValue == 10 && shown.first?[1].textValue == "done" && shown.first?[2].textValue == "от второго", "\(shown)")
    }

    @Test func aCodeIssuedWhileTheHubsClockIsBehindStaysOpenForItsDaysOnceTheClockIsRight() throws {
        var world = try World(seed: 2, schools: 1, nodesPerSchool: { _ in 1 })
        defer { world.directory.remove() }
        try world.finalExchange()
        world.skew["hub"] = -40 * Self.day
        let code = try world.hub.issueEnrollmentCode(partition: "school0", now: world.now("hub"))
        world.skew["hub"] = 0
        let issued = try #require(try world.hub.issuedEnrollmentCodes(partition: "school0").first { $0.code == code })
        let now = world.now("hub")
        #expect(issued.isUnexpired(at: now))
        #expect(issued.expiresAt > now + 29 * UInt64(Self.day))
    }
}
