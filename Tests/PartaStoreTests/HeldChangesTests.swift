import Foundation
import Testing
import PartaCore
import PartaStore
import PartaTesting

/// A change a replica holds already brings nothing, whatever the rules of its table say now.
@Suite struct HeldChangesTests {
    // Found by the accident property test (seed 1936 of 2000): a hub restored twice held a school's
    // report without the assignment it needs (taken on trust while restored, §10a), sent it back
    // to a school, and refused it when the school sent it on again, for good. A change a replica
    // holds already brings nothing: it passes; a new change to that report is still refused.
    @Test func aHeldChangeWhoseRequirementIsMissingPassesAndANewOneDoesNot() throws {
        var world = try World(seed: 5, schools: 1, nodesPerSchool: { _ in 1 })
        defer { world.directory.remove() }
        try world.seedTasks()
        let school = world.members[0].replica
        let task = try #require(try school.database.rows("SELECT task FROM assignments").compactMap { $0[0].textValue }.sorted().first)
        try school.write(table: "reports", row: "\(task)|school0", partition: "school0", values: ["task": .text(task), "progress": .integer(40)],
                         now: world.now(school.nodeID))
        let old = try bundle(from: school, to: .node("hub"), now: world.now(school.nodeID))
        try world.receive(old, by: world.hub)
        // The hub's state as that restored hub's: the report, and no assignment for it at all.
        try world.hub.database.run("DELETE FROM assignments WHERE id = ?", [.text("\(task)|school0")])
        let before = try world.hub.canonicalDump()
        let again = try deliver(old, to: world.hub, now: world.now("hub"))
        #expect(again.applied == 0 && again.alreadyHad > 0, "\(again)")
        #expect(try world.hub.canonicalDump() == before)
        try school.write(table: "reports", row: "\(task)|school0", partition: "school0", values: ["progress": .integer(50)], now: world.now(school.nodeID))
        let refused = #expect(throws: StoreError.self) {
            _ = try deliver(try bundle(from: school, to: .node("hub"), now: world.now(school.nodeID)), to: world.hub, now: world.now("hub"))
        }
        #expect(refused?.code == .invalidChange, "\(String(describing: refused))")
    }
}
