import Foundation
import PartaCore
import PartaStore
import PartaBundle
import Crypto

/// A fresh temporary folder, removed by ``remove()``.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "parta-test") {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A small, fast, seeded random generator (SplitMix64): the same seed gives the same schedule.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Milliseconds for a UTC date, for tests that need a fixed "now".
public func testMilliseconds(year: Int, month: Int, day: Int, hour: Int = 12) -> UInt64 {
    UInt64(CivilTime.daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600) * 1000
}

/// Exports from `sender` for `recipient` and returns the bundle bytes.
public func bundle(from sender: Replica, to recipient: Recipient, now: UInt64) throws -> [UInt8] {
    try sender.exportBundle(for: recipient, now: now, bundleID: BundleExchange.newBundleID()).bytes
}

/// Applies bundle bytes to `receiver`.
@discardableResult
public func deliver(_ bytes: [UInt8], to receiver: Replica, now: UInt64) throws -> ApplyReport {
    try receiver.apply(ChangeSetReader(bytes: bytes), now: now)
}

/// Keys derived from a node id, so that tests can reopen a replica without storing its keys.
public func testKeys(_ nodeID: String) -> NodeKeys {
    func seed(_ purpose: String) -> [UInt8] { Array(SHA256.hash(data: Array("parta test key \(purpose) \(nodeID)".utf8))) }
    return NodeKeys(signingSeed: seed("signing"), sealingSeed: seed("sealing"))!
}

extension Replica {
    /// A hub with ``testKeys(_:)``.
    public static func createTestHub(at path: String, schema: ReplicationSchema, nodeID: String = "hub", name: String = "Hub",
                                     now: UInt64) throws -> Replica {
        try Replica.create(at: path, schema: schema, nodeID: nodeID, role: .hub, name: name, keys: testKeys(nodeID), now: now)
    }

    /// A member with ``testKeys(_:)`` that trusts `hub`, enrolled at the hub directly unless `enrol` is false.
    public static func createTestMember(at path: String, schema: ReplicationSchema, nodeID: String, partition: String,
                                        name: String? = nil, hub: Replica, enrol: Bool = true, now: UInt64) throws -> Replica {
        let keys = testKeys(nodeID)
        let member = try Replica.create(at: path, schema: schema, nodeID: nodeID, role: .member(partition: partition), name: name ?? nodeID,
                                        keys: keys, trustedHub: TrustedHub(id: hub.nodeID, keys: hub.keys.publicKeys), now: now)
        if enrol { try hub.enrollMember(nodeID, partition: partition, name: name ?? nodeID, keys: keys.publicKeys, now: now) }
        return member
    }

    /// Opens a replica made with ``testKeys(_:)`` (another window, another process).
    public static func openTest(at path: String, schema: ReplicationSchema) throws -> Replica {
        let nodeID = try Replica.recordedNodeID(at: path) ?? ""
        return try Replica.open(at: path, schema: schema, keys: testKeys(nodeID))
    }
}

/// Encodes `changes` as a bundle signed by `sender`'s keys and sealed to `receivers`: for tests
/// that forge what an honest node would never write.
public func signedBundle(_ header: ChangeSetHeader, _ changes: [Change], from sender: Replica, to receivers: [Replica],
                         enrollmentProof: [UInt8]? = nil) throws -> [UInt8] {
    var header = header
    header.changeCount = UInt64(changes.count)
    let writer = try ChangeSetWriter(header: header)
    try writer.append(contentsOf: changes)
    return try writer.finish(signedBy: sender.keys, sealedFor: receivers.map { .node(sealingKey: $0.keys.publicKeys.sealing) },
                             enrollmentProof: enrollmentProof)
}
