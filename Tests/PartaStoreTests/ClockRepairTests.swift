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
