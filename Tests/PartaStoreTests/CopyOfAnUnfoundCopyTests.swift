import Foundation
import Testing
import PartaCore
import PartaStore
import PartaTesting

/// A folder that is itself a copy nobody had found yet (a disk image put back, mark and all),
/// copied again before its hub found it (replication-v1 §10b, "By a successor's earlier ids").
@Suite struct CopyOfAnUnfoundCopyTests {
    /// A school computer whose disk image, put back, wrote progress 50 at the number at which the
    /// original had written and sent a comment; the image's folder is then copied `copies` times
    /// (each copy found before it writes). Returns the world and the copies.
    func imageCopiedAgain(_ copies: Int, overwritten: Bool = false) throws -> (world: World, copies: [Replica]) {
        var world = try World(seed: 7, schools: 1, nodesPerSchool: { _ in 1 })
        try world.seedTasks()
        let original = world.members[0].replica
        let task = try #require(try original.database.rows("SELECT task FROM assignments").compactMap { $0[0].textValue }.sorted().first)
        try original.write(table: "reports", row: "\(task)|school0", partition: "school0", values: ["task": .text(task), "progress": .integer(10)],
                           now: world.now(original.nodeID))
        try world.receive(try bundle(from: original, to: .node("hub"), now: world.now(original.nodeID)), by: world.hub)
        let imagePath = world.directory.file("image.sqlite")
        try original.backup(to: imagePath)
        try original.write(table: "reports", row: "\(task)|school0", partition: "school0", values: ["comment": .text("оригинал")],
                           now: world.now(original.nodeID))
        try world.receive(try bundle(from: original, to: .node("hub"), now: world.now(original.nodeID)), by: world.hub)
        let image = try Replica.open(at: imagePath, schema: ruledTestSchema, keys: original.keys)
        try image.write(table: "reports", row: "\(task)|school0", partition: "school0", values: ["progress": .integer(50)], now: world.now(image.nodeID))
        // Written over at once: the image's change at the original's number is gone from every register.
        if overwritten {
            try image.write(table: "reports", row: "\(task)|school0", partition: "school0", values: ["progress": .integer(60)], now: world.now(image.nodeID))
        }
        var made: [Replica] = []
        for i in 0..<copies {
            let path = world.directory.file("copy-\(i).sqlite")
            try image.backup(to: path)
            let copy = try Replica.open(at: path, schema: ruledTestSchema, keys: original.keys)
            _ = try copy.becomeSuccessor(now: world.now(copy.nodeID), cause: .copiedOrMoved)
            made.append(copy)
        }
        return (world, made)
    }

    @Test func theHubRefusesTheCopysCopyAndTellsItByStick() throws {
        var (world, copies) = try imageCopiedAgain(1)
        defer { world.directory.remove() }
        let copy = copies[0]
        let refused = #expect(throws: StoreError.self) {
            _ = try deliver(try bundle(from: copy, to: .node("hub"), now: world.now(copy.nodeID)), to: world.hub, now: world.now("hub"))
        }
        #expect(refused?.code == .olderCopy && refused?.context["lineage"] == world.members[0].replica.nodeID, "\(String(describing: refused))")
        // The hub's next bundle for the school names the copy with HLC 0; the copy becomes a new
        // computer on import, and writes the image's edit again under its new id.
        let told = try deliver(try bundle(from: world.hub, to: .partition("school0"), now: world.now("hub")), to: copy, now: world.now(copy.nodeID))
        #expect(told.succession?.carriedOver ?? 0 >= 1, "\(told)")
        _ = try deliver(try bundle(from: copy, to: .node("hub"), now: world.now(copy.nodeID)), to: world.hub, now: world.now("hub"))
        _ = try deliver(try bundle(from: world.hub, to: .partition("school0"), now: world.now("hub")), to: copy, now: world.now(copy.nodeID))
        // The original goes on under its id: once it sends again, the hub waits for it again (§10b).
        let original = world.members[0].replica
        _ = try deliver(try bundle(from: original, to: .node("hub"), now: world.now(original.nodeID)), to: world.hub, now: world.now("hub"))
        _ = try deliver(try bundle(from: world.hub, to: .partition("school0"), now: world.now("hub")), to: original, now: world.now(original.nodeID))
        let shown = try world.hub.database.rows("SELECT progress, comment FROM reports")
        #expect(shown.count == 1 && shown.first?[0].integerValue == 50 && shown.first?[1].textValue == "оригинал", "\(shown)")
        let atHub = try world.hub.canonicalDump(partition: "school0")
        for replica in [copy, original] {
            let here = try replica.canonicalDump()
            #expect(here == atHub, "\(replica.nodeID): only here \(Set(here).subtracting(atHub).sorted()), only at the hub \(Set(atHub).subtracting(here).sorted())")
        }
    }

    // From an attacker's review: the image overwrote its change at the original's number, so the
    // copy relays only a later number the hub lacks. It states the time of the overwritten one
    // (header extension 14), and the hub finds it as before.
    @Test func aChangeTheImageOverwroteAtTheOriginalsNumberIsFoundByItsTime() throws {
        var (world, copies) = try imageCopiedAgain(1, overwritten: true)
        defer { world.directory.remove() }
        let copy = copies[0]
        let outgoing = try copy.outgoingChanges(for: .node("hub"), now: world.now(copy.nodeID), bundleID: Array(repeating: 1, count: 16))
        #expect(outgoing.header.lineageTimes.map(\.node) == [world.members[0].replica.nodeID], "\(outgoing.header.lineageTimes)")
        let refused = #expect(throws: StoreError.self) {
            _ = try deliver(try bundle(from: copy, to: .node("hub"), now: world.now(copy.nodeID)), to: world.hub, now: world.now("hub"))
        }
        #expect(refused?.code == .olderCopy && refused?.context["lineage"] == world.members[0].replica.nodeID, "\(String(describing: refused))")
        let told = try deliver(try bundle(from: world.hub, to: .partition("school0"), now: world.now("hub")), to: copy, now: world.now(copy.nodeID))
        #expect(told.succession != nil)
        _ = try deliver(try bundle(from: copy, to: .node("hub"), now: world.now(copy.nodeID)), to: world.hub, now: world.now("hub"))
        _ = try deliver(try bundle(from: world.hub, to: .partition("school0"), now: world.now("hub")), to: copy, now: world.now(copy.nodeID))
        let shown = try world.hub.database.rows("SELECT progress, comment FROM reports")
        #expect(shown.first?[0].integerValue == 60 && shown.first?[1].textValue == "оригинал", "\(shown)")
        let atHub = try world.hub.canonicalDump(partition: "school0"), here = try copy.canonicalDump()
        #expect(here == atHub, "only here \(Set(here).subtracting(atHub).sorted()), only at the hub \(Set(atHub).subtracting(here).sorted())")
    }

    // A computer with genuine keys can make up successor ids and have each refused: the hub names
    // at most four per signing key, so it takes no room from its siblings (principle 3).
    @Test func refusedCopiesAreNamedAtMostFourPerKey() throws {
        var (world, copies) = try imageCopiedAgain(6)
        defer { world.directory.remove() }
        for copy in copies {
            #expect(throws: StoreError.self) {
                _ = try deliver(try bundle(from: copy, to: .node("hub"), now: world.now(copy.nodeID)), to: world.hub, now: world.now("hub"))
            }
        }
        let header = try ChangeSetReader(bytes: try bundle(from: world.hub, to: .partition("school0"), now: world.now("hub"))).header
        let named = header.newestHeld.filter { $0.time.rawValue == 0 }
        #expect(Set(named.map(\.node)) == Set(copies.suffix(4).map(\.nodeID)), "\(header.newestHeld)")
        // Each names the keys that signed the refused bundle: only that computer acts on it.
        #expect(named.allSatisfy { $0.counter == world.members[0].replica.keys.publicKeys.fingerprintNumber })
        #expect(header.newestHeld.contains { $0.node == world.members[0].replica.nodeID && $0.time.rawValue != 0 })
    }

    // From an attacker's review: a sibling that reads a new computer's id off the stick and sends
    // a bundle under that id with its own keys, to have it refused, gets that id named with its
    // own keys' fingerprint: the computer holding the id does not act on it.
    @Test func onlyTheComputerWhoseBundleWasRefusedActsOnTheEntry() throws {
        var (world, copies) = try imageCopiedAgain(1)
        defer { world.directory.remove() }
        let copy = copies[0]
        _ = try? deliver(try bundle(from: copy, to: .node("hub"), now: world.now(copy.nodeID)), to: world.hub, now: world.now("hub"))
        let header = try ChangeSetReader(bytes: try bundle(from: world.hub, to: .partition("school0"), now: world.now("hub"))).header
        let entry = try #require(header.newestHeld.first { $0.node == copy.nodeID })
        #expect(entry.time.rawValue == 0 && entry.counter == copy.keys.publicKeys.fingerprintNumber)
        var squatted = header
        squatted.newestHeld = [HeldChange(node: copy.nodeID, counter: entry.counter &+ 1, time: .zero)]
        #expect(try copy.isOlderCopy(according: squatted) == false)
        #expect(try copy.isOlderCopy(according: header))
    }
}
