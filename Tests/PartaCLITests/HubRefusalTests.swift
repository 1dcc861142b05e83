import Foundation
import Testing
import Crypto
import PartaCore
import PartaStore
import PartaApp
import PartaTesting

/// What the hub refuses when a school's answer is wrong, through the real `parta hub import`;
/// the bundles are forged with the library, as an attacker with a stick and the code would.
@Suite struct HubRefusalTests {
    let parta: PartaBinary
    let dir = TemporaryDirectory("parta-hub-refusal")
    var hubData: String { dir.file("hub") }
    var schoolData: String { dir.file("school") }

    init() throws {
        parta = try PartaBinary()
        let hub = ["--data", dir.file("hub")]
        try parta.run(["hub", "init", "--name", "H"] + hub)
        let code = try parta.code(["hub", "school", "add", "s1", "--name", "S1"] + hub)
        try parta.run(["hub", "school", "add", "s2", "--name", "S2"] + hub)
        try parta.run(["hub", "task", "add", "--title", "T", "--assign-all"] + hub)
        try parta.run(["hub", "export", "--to", dir.file("stick")] + hub)
        try parta.run(["init", "--from", dir.file("stick"), "--code", code, "--data", dir.file("school")])
        try parta.run(["export", "--to", dir.file("stick"), "--data", dir.file("school")])
        try parta.run(["hub", "import", dir.file("stick")] + hub)
    }

    /// Imports `path` at the hub; expects exit 3, the file and `reason` named, and nothing changed.
    func expectRefusedAtHub(_ path: String, mentioning reason: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try PartaNode.openHub(directory: hubData).replica.canonicalDump()
        let r = try parta.run(["hub", "import", path, "--data", hubData], language: "en")
        #expect(r.status == 3, "exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(path) && r.stderr.contains(reason), "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(try PartaNode.openHub(directory: hubData).replica.canonicalDump() == before, sourceLocation: sourceLocation)
    }

    @Test func aBundleFromANodeTheHubNeverEnrolledIsRefused() throws {
        defer { dir.remove() }
        let hub = try PartaNode.openHub(directory: hubData)
        let stranger = try Replica.createTestMember(at: dir.file("stranger.sqlite"), schema: PartaSchema.schema, nodeID: "node-stranger",
                                                    partition: "s1", hub: hub.replica, enrol: false, now: 1_600_000_000_000)
        let path = dir.file("stranger.parta")
        try Data(try bundle(from: stranger, to: .node(hub.replica.nodeID), now: 1_600_000_001_000)).write(to: URL(fileURLWithPath: path))
        try expectRefusedAtHub(path, mentioning: "is not enrolled at this hub")
    }

    @Test func aCorrectlySignedBundleWithOneChangeOutsideItsRightsIsRefusedWhole() throws {
        defer { dir.remove() }
        let school = try PartaNode.open(directory: schoolData), hub = try PartaNode.openHub(directory: hubData)
        try school.report(task: "t1", status: .done, progress: nil, comment: "ok", now: 1_700_000_000_000)
        let (header, changes) = try school.replica.outgoingChanges(for: .node(hub.replica.nodeID), now: 1_700_000_001_000,
                                                                   bundleID: Array(repeating: 3, count: 16))
        let forged = Change(table: "reports", row: "t1|s2", partition: "s2", field: "status", value: "done",
                            stamp: Stamp(time: HybridTimestamp(milliseconds: 1_700_000_000_500, logical: 0), node: school.replica.nodeID, counter: 999))
        let path = dir.file("outside-rights.parta")
        try Data(try signedBundle(header, changes + [forged], from: school.replica, to: [hub.replica])).write(to: URL(fileURLWithPath: path))
        try expectRefusedAtHub(path, mentioning: "may not write record t1|s2 of reports")
    }

    @Test func aBundleDeclaringAnEnormousPayloadIsRefusedBeforeUnpacking() throws {
        defer { dir.remove() }
        let school = try PartaNode.open(directory: schoolData), hub = try PartaNode.openHub(directory: hubData)
        var bytes = try bundle(from: school.replica, to: .node(hub.replica.nodeID), now: 1_700_000_000_000)
        // Declare 2^40 unpacked bytes, then make checksum and signature consistent again.
        let headerLength = Int(bytes[10]) << 24 | Int(bytes[11]) << 16 | Int(bytes[12]) << 8 | Int(bytes[13])
        let u = 14 + headerLength
        for i in 0..<8 { bytes[u + i] = UInt8(truncatingIfNeeded: UInt64(1 << 40) >> (56 - 8 * UInt64(i))) }
        let end = bytes.count - 96
        let checksum = Array(SHA256.hash(data: bytes[0..<end]))
        bytes.replaceSubrange(end..<end + 32, with: checksum)
        let signature = try school.replica.keys.signing.signature(for: ChangeSetFormat.signatureContext + checksum)
        bytes.replaceSubrange(end + 32..<bytes.count, with: Array(signature))
        let path = dir.file("bomb.parta")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try expectRefusedAtHub(path, mentioning: "more than the")
    }

    @Test func anExportToAPlaceThatCannotTakeItFailsNamingThePath() throws {
        defer { dir.remove() }
        let stick = dir.file("bad-stick")
        try FileManager.default.createDirectory(atPath: stick, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: stick + "/s1", contents: Data("a file where the school's folder goes".utf8))
        let r = try parta.run(["export", "--to", stick, "--data", schoolData], language: "en")
        #expect(r.status == 1 && r.stderr.contains(stick + "/s1/"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: stick) == ["s1"])
        let hub = try parta.run(["hub", "export", "--to", stick, "--data", hubData], language: "en")
        #expect(hub.status == 1 && hub.stderr.contains(stick + "/s1/"), "\(hub.stderr)")
    }
}
