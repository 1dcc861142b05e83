import Foundation
import Testing
import PartaCore
import PartaStore
import PartaTesting

/// Protocol/replication-v1.md §11: who may send a bundle, who can open it, how nodes join and leave.
@Suite struct TrustTests {
    func storeCode(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as StoreError { return e.code.rawValue } catch let e as PartaCoreError { return e.code.rawValue } catch { return "\(error)" }
    }

    @Test func aNewNodeEnrolsWithAOneTimeCodeAndTheCodeCannotBeUsedTwice() throws {
        let dir = TemporaryDirectory("parta-trust"); defer { dir.remove() }
        var now = testMilliseconds(year: 2020, month: 9, day: 1)
        func tick() -> UInt64 { now += 1000; return now }
        let hub = try Replica.createTestHub(at: dir.file("hub.sqlite"), schema: testSchema, now: tick())
        let code = try hub.issueEnrollmentCode(partition: "A", now: tick())
        try hub.write(table: "notices", row: "n1", values: ["text": "hello"], now: tick())
        let first = try bundle(from: hub, to: .partition("A"), now: tick())

        // The new computer trusts the hub's keys it finds in the bundle the code opens.
        let anchor = TrustedHub(id: hub.nodeID, keys: try #require(try ChangeSetReader(bytes: first).header.senderKeys))
        let clerk = try Replica.create(at: dir.file("clerk.sqlite"), schema: testSchema, nodeID: "clerk", role: .member(partition: "A"),
                                       name: "Clerk", keys: testKeys("clerk"), trustedHub: anchor, enrollmentCode: code, now: tick())
        try deliver(first, to: clerk, now: tick())
        #expect(try clerk.database.scalar("SELECT text FROM notices") == "hello")
        #expect(clerk.awaitsEnrollment)

        // A second computer reusing the same code opens the hub's bundle too, but the hub enrols only the first to answer.
        let thief = try Replica.create(at: dir.file("thief.sqlite"), schema: testSchema, nodeID: "thief", role: .member(partition: "A"),
                                       name: "Thief", keys: testKeys("thief"), trustedHub: anchor, enrollmentCode: code, now: tick())
        try deliver(first, to: thief, now: tick())
        try clerk.write(table: "reports", row: "r1", partition: "A", values: ["status": "done"], now: tick())
        let report = try deliver(try bundle(from: clerk, to: .node(hub.nodeID), now: tick()), to: hub, now: tick())
        #expect(report.applied > 0)
        #expect(try hub.openEnrollmentCodes(partition: "A").isEmpty)
        let before = try hub.canonicalDump()
        #expect(storeCode { try deliver(try bundle(from: thief, to: .node(hub.nodeID), now: tick()), to: hub, now: tick()) } == "notEnrolled")
        #expect(try hub.canonicalDump() == before)

        // The hub's answer is sealed to the clerk's own key now; the clerk is enrolled (it keeps its code, §11.3).
        try deliver(try bundle(from: hub, to: .partition("A"), now: tick()), to: clerk, now: tick())
        #expect(!clerk.awaitsEnrollment)
        try deliver(try bundle(from: clerk, to: .node(hub.nodeID), now: tick()), to: hub, now: tick())
        #expect(storeCode { try deliver(try bundle(from: hub, to: .partition("A"), now: tick()), to: thief, now: tick()) } == "notForThisNode")
    }

    @Test func aBundleFromAnUnknownNodeOrWithAWrongCodeIsRefused() throws {
        let dir = TemporaryDirectory("parta-trust"); defer { dir.remove() }
        let now = testMilliseconds(year: 2020, month: 9, day: 1)
        let hub = try Replica.createTestHub(at: dir.file("hub.sqlite"), schema: testSchema, now: now)
        _ = try hub.issueEnrollmentCode(partition: "A", now: now)
        let stranger = try Replica.createTestMember(at: dir.file("x.sqlite"), schema: testSchema, nodeID: "x", partition: "A",
                                                    hub: hub, enrol: false, now: now)
        #expect(storeCode { try deliver(try bundle(from: stranger, to: .node("hub"), now: now + 1), to: hub, now: now + 2) } == "notEnrolled")
        let guessed = try Replica.create(at: dir.file("y.sqlite"), schema: testSchema, nodeID: "y", role: .member(partition: "A"), name: "Y",
                                         keys: testKeys("y"), trustedHub: TrustedHub(id: "hub", keys: hub.keys.publicKeys),
                                         enrollmentCode: EnrollmentCode.generate(), now: now)
        #expect(storeCode { try deliver(try bundle(from: guessed, to: .node("hub"), now: now + 1), to: hub, now: now + 2) } == "notEnrolled")
        #expect(try hub.nodes(partition: "A").isEmpty)
    }

    @Test func aBundleSignedWithAnotherKeyIsRefusedAtTheHubAndAtTheSchool() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.sync(d.clerk)
        // A forger who knows the clerk's id but not its key.
        let (header, changes) = try d.clerk.outgoingChanges(for: .node("hub"), now: d.tick(), bundleID: Array(repeating: 7, count: 16))
        let impostor = try Replica.createTestHub(at: d.directory.file("impostor.sqlite"), schema: testSchema, nodeID: "impostor", now: d.now)
        let forged = try signedBundle(header, changes, from: impostor, to: [d.hub])
        #expect(storeCode { try deliver(forged, to: d.hub, now: d.tick()) } == "badSignature")
        // And a "hub" bundle written by someone else for the school.
        let (down, downChanges) = try d.hub.outgoingChanges(for: .partition("A"), now: d.tick(), bundleID: Array(repeating: 8, count: 16))
        let fake = try signedBundle(down, downChanges, from: impostor, to: [d.clerk])
        #expect(storeCode { try deliver(fake, to: d.clerk, now: d.tick()) } == "badSignature")
    }

    @Test func aRevokedNodeIsRefusedNoLongerSealedToAndNoLongerHoldsBackItsSchool() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.sync(d.clerk, d.head)
        try d.clerk.write(table: "reports", row: "r1", partition: "A", values: ["status": "done"], now: d.tick())
        try d.sync(d.clerk, d.head)
        try d.hub.revoke(node: "head", now: d.tick())
        #expect(try d.hub.enrolledNode("head")?.revokedAt != nil)
        #expect(try d.hub.database.scalar("SELECT status FROM reports WHERE id = 'r1'") == "done")   // earlier changes stay
        try d.head.write(table: "reports", row: "r2", partition: "A", values: ["status": "blocked"], now: d.tick())
        #expect(storeCode { try deliver(try bundle(from: d.head, to: .node("hub"), now: d.tick()), to: d.hub, now: d.tick()) } == "revoked")
        // The school's bundles are sealed to the clerk alone, and start from what the clerk acknowledged.
        for i in 1...50 { try d.hub.write(table: "notices", row: "n\(i)", values: ["text": "x"], now: d.tick()) }
        try d.sync(d.clerk)
        try d.sync(d.clerk)   // the clerk acknowledges the notices; the head never will
        try d.hub.write(table: "notices", row: "n1", values: ["text": "changed"], now: d.tick())
        let down = try bundle(from: d.hub, to: .partition("A"), now: d.tick())
        #expect(try ChangeSetReader(bytes: down).header.stanzas.count == 1)
        #expect(try ChangeSetReader(bytes: down).header.changeCount < 5)
        #expect(storeCode { try deliver(down, to: d.head, now: d.tick()) } == "notForThisNode")
        try deliver(down, to: d.clerk, now: d.tick())
        // A member may not lift its own revocation.
        #expect(storeCode { try d.head.write(table: "nodes", row: "head", partition: "A", values: ["revoked_at": .null], now: d.tick()) } == "forbidden")
    }

    @Test func nothingWrittenByAUserIsReadableInABundleWithoutTheKey() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.sync(d.clerk)
        try d.clerk.write(table: "reports", row: "r1", partition: "A", values: ["comment": "Секретный комментарий школы"], now: d.tick())
        let bytes = try bundle(from: d.clerk, to: .node("hub"), now: d.tick())
        for secret in ["Секретный", "comment", "reports"] {
            let needle = Array(secret.utf8)
            let found = (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<$0 + needle.count]) == needle }
            #expect(!found, "\(secret) is readable in the bundle")
        }
    }

    @Test func aSchoolCannotForgeTheHubsChangesButMayEchoThem() throws {
        var d = try SmallDistrict()
        defer { d.directory.remove() }
        try d.hub.write(table: "notices", row: "n1", values: ["text": "от управления"], now: d.tick())
        try d.sync(d.clerk)
        try d.clerk.write(table: "reports", row: "r1", partition: "A", values: ["status": "done"], now: d.tick())
        // Echo: the clerk's honest bundle may carry the hub's own changes back; they are held, so they pass.
        let (header, honest) = try d.clerk.outgoingChanges(for: .node("hub"), now: d.tick(), bundleID: Array(repeating: 1, count: 16))
        let (_, everything) = try d.hub.outgoingChanges(for: .partition("B"), now: d.tick(), bundleID: Array(repeating: 9, count: 16))
        let echo = try #require(everything.first { $0.table == "notices" && $0.row == "n1" && $0.field == "text" })
        let hubChange = echo
        try deliver(try signedBundle(header, honest + [echo], from: d.clerk, to: [d.hub]), to: d.hub, now: d.tick())
        // Forgery: a change stamped with the hub's id and a counter the hub never used, or the lost
        // laptop's revocation lifted in the hub's name. Each is refused whole.
        let hubClock = try d.hub.vectorClock()["hub"]
        let forgedNotice = Change(table: "notices", row: "n1", partition: Change.everywhere, field: "text", value: .text("подделка"),
                                  stamp: Stamp(time: HybridTimestamp(rawValue: hubChange.stamp.time.rawValue + 1000), node: "hub", counter: hubClock + 1),
                                  replaced: hubChange.stamp)
        let (h2, _) = try d.clerk.outgoingChanges(for: .node("hub"), now: d.tick(), bundleID: Array(repeating: 2, count: 16))
        #expect(storeCode { try deliver(try signedBundle(h2, [forgedNotice], from: d.clerk, to: [d.hub]), to: d.hub, now: d.tick()) } == "forbidden")
        try d.hub.revoke(node: "head", now: d.tick())
        let unrevoke = Change(table: "nodes", row: "head", partition: "A", field: "revoked_at", value: .null,
                              stamp: Stamp(time: HybridTimestamp(rawValue: d.now << 16), node: "hub", counter: hubClock + 5), replaced: nil)
        #expect(storeCode { try deliver(try signedBundle(h2, [unrevoke], from: d.clerk, to: [d.hub]), to: d.hub, now: d.tick()) } == "forbidden")
        #expect(try d.hub.enrolledNode("head")?.revokedAt != nil)
        #expect(try d.hub.database.scalar("SELECT text FROM notices WHERE id = 'n1'") == "от управления")
    }
}
