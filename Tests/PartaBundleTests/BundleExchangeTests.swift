import Foundation
import Testing
import PartaStore
import PartaBundle
import PartaTesting

let bundleSchema = ReplicationSchema(tables: [
    ReplicatedTable(name: "notes", columns: [.init("text")], scope: .partitioned, writers: .partitionMembers),
    ReplicatedTable(name: "notices", columns: [.init("text")], scope: .everywhere, writers: .hub),
])

struct TwoSchools {
    let dir = TemporaryDirectory("parta-bundle")
    let hub: Replica, a: Replica, b: Replica
    var now = testMilliseconds(year: 2021, month: 2, day: 1)

    init() throws {
        hub = try Replica.createTestHub(at: dir.file("hub.sqlite"), schema: bundleSchema, now: now)
        a = try Replica.createTestMember(at: dir.file("a.sqlite"), schema: bundleSchema, nodeID: "na", partition: "A", name: "A", hub: hub, now: now)
        b = try Replica.createTestMember(at: dir.file("b.sqlite"), schema: bundleSchema, nodeID: "nb", partition: "B", name: "B", hub: hub, now: now)
    }
}

@Suite struct BundleExchangeTests {
    @Test func aWholeDistrictsBundlesShareOneStickAndEachNodeTakesOnlyItsOwn() throws {
        let w = try TwoSchools(); defer { w.dir.remove() }
        let stick = w.dir.file("stick")
        try w.a.write(table: "notes", row: "a1", partition: "A", values: ["text": "from A"], now: w.now + 1)
        try w.b.write(table: "notes", row: "b1", partition: "B", values: ["text": "from B"], now: w.now + 1)
        let ea = try BundleExchange(replica: w.a).export(for: .node("hub"), partitionFolder: "A", to: stick, now: w.now + 2)
        _ = try BundleExchange(replica: w.b).export(for: .node("hub"), partitionFolder: "B", to: stick, now: w.now + 2)
        #expect(ea.path.hasSuffix("stick/A/from-na.parta"))
        let atHub = try BundleExchange(replica: w.hub).importBundles(at: stick, now: w.now + 3)
        #expect(atHub.allSatisfy { if case .applied = $0.status { return true } else { return false } })
        try w.hub.write(table: "notices", row: "n", values: ["text": "hello"], now: w.now + 4)
        for p in ["A", "B"] { _ = try BundleExchange(replica: w.hub).export(for: .partition(p), partitionFolder: p, to: stick, now: w.now + 5) }
        let atA = try BundleExchange(replica: w.a).importBundles(at: stick, now: w.now + 6)
        let applied = atA.filter { if case .applied = $0.status { return true } else { return false } }
        let skipped = atA.filter { if case .skipped = $0.status { return true } else { return false } }
        #expect(applied.map(\.path) == [w.dir.file("stick/A/from-hub.parta")])
        #expect(skipped.count == 3)    // A's own bundle, B's bundle for the hub, the hub's bundle for B
        #expect(try w.a.database.rows("SELECT text FROM notices") == [["hello"]])
        #expect(try w.a.database.rows("SELECT id FROM notes") == [["a1"]])
    }

    @Test func aNewExportReplacesTheSendersPreviousBundleAtomically() throws {
        let w = try TwoSchools(); defer { w.dir.remove() }
        let stick = w.dir.file("stick")
        try w.a.write(table: "notes", row: "a1", partition: "A", values: ["text": "v1"], now: w.now + 1)
        _ = try BundleExchange(replica: w.a).export(for: .node("hub"), partitionFolder: "A", to: stick, now: w.now + 2)
        try w.a.write(table: "notes", row: "a1", partition: "A", values: ["text": "v2"], now: w.now + 3)
        let second = try BundleExchange(replica: w.a).export(for: .node("hub"), partitionFolder: "A", to: stick, now: w.now + 4)
        #expect(try FileManager.default.contentsOfDirectory(atPath: stick + "/A") == ["from-na.parta"])
        #expect(second.changeCount >= 1)
        _ = try BundleExchange(replica: w.hub).importBundles(at: stick, now: w.now + 5)
        #expect(try w.hub.database.rows("SELECT text FROM notes") == [["v2"]])
    }

    @Test func aStickThatCannotTakeTheBundleFailsNamingThePathAndLeavesNoPartialFile() throws {
        let w = try TwoSchools(); defer { w.dir.remove() }
        // A file stands where the school's folder must go: no user, root included, can write there.
        let stick = w.dir.file("stick")
        try FileManager.default.createDirectory(atPath: stick, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: stick + "/A", contents: Data("not a folder".utf8))
        #expect { _ = try BundleExchange(replica: w.a).export(for: .node("hub"), partitionFolder: "A", to: stick, now: w.now) }
            throws: { error in
                guard let e = error as? BundleError else { return false }
                return e.code == .unwritable && e.message.en.contains(stick + "/A/from-na.parta")
            }
        #expect(try FileManager.default.contentsOfDirectory(atPath: stick) == ["A"])
    }

    @Test func aForgedRelayOfAnotherSchoolsChangesIsRefusedWhole() throws {
        let w = try TwoSchools(); defer { w.dir.remove() }
        // The hub knows both schools' nodes.
        for r in [w.a, w.b] { try deliver(try bundle(from: r, to: .node("hub"), now: w.now + 1), to: w.hub, now: w.now + 2) }
        // A's bundle carries a change stamped as if written by B's node, in B's partition.
        let (header, changes) = try w.a.outgoingChanges(for: .node("hub"), now: w.now + 3, bundleID: Array(repeating: 1, count: 16))
        let forged = Change(table: "notes", row: "b-forged", partition: "B", field: "text", value: "forged",
                            stamp: Stamp(time: HybridTimestamp(milliseconds: w.now + 3, logical: 0), node: "nb", counter: 99))
        let path = w.dir.file("forged.parta")
        try BundleFiles.writeAtomically(try signedBundle(header, changes + [forged], from: w.a, to: [w.hub]), to: path)
        let before = try w.hub.canonicalDump()
        let outcome = try BundleExchange(replica: w.hub).importBundles(at: path, now: w.now + 4)
        guard case .failed(let error) = outcome.first?.status else { Issue.record("forged bundle was applied"); return }
        #expect(error.code == .refused && error.reasonCode == "forbidden")
        #expect(error.message.en.contains(path) && error.message.en.contains("b-forged"))
        #expect(try w.hub.canonicalDump() == before)
    }

    @Test func aBundleDeclaringAnEnormousPayloadIsRefusedBeforeUnpacking() throws {
        let w = try TwoSchools(); defer { w.dir.remove() }
        try w.a.write(table: "notes", row: "a1", partition: "A", values: ["text": .text(String(repeating: "x", count: 100_000))], now: w.now + 1)
        let exported = try BundleExchange(replica: w.a).export(for: .node("hub"), partitionFolder: "A", to: w.dir.file("stick"), now: w.now + 2)
        let outcome = try BundleExchange(replica: w.hub, maxPayload: 10_000).importBundles(at: exported.path, now: w.now + 3)
        guard case .failed(let error) = outcome.first?.status else { Issue.record("oversized bundle was applied"); return }
        #expect(error.code == .damaged && error.reasonCode == "payloadTooLarge")
    }
}
