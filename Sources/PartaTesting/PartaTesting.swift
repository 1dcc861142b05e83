import Foundation
import PartaCore
import PartaStore
import PartaBundle

/// A fresh temporary folder, removed by ``remove()``.
public struct TemporaryDirectory {
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
