import Foundation
@testable import PartaResolution

/// A seeded generator (SplitMix64), so property tests replay the same cases on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SeededGenerator {
    mutating func day(years: ClosedRange<Int> = 2000...2090) -> Day {
        let y = Int.random(in: years, using: &self)
        let m = Int.random(in: 1...12, using: &self)
        return Day(y, m, Int.random(in: 1...Day.daysIn(y, m), using: &self))
    }

    mutating func pick<T>(_ xs: [T]) -> T { xs[Int.random(in: 0..<xs.count, using: &self)] }
}

func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

/// CRC-32 (IEEE), for ZIP archives built by the tests.
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var table = [UInt32](repeating: 0, count: 256)
    for i in 0..<256 {
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        table[i] = c
    }
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
}

/// A minimal ZIP archive. `deflated` stores each member as a raw DEFLATE stream of stored blocks
/// (method 8), which exercises the reader's inflater without needing a compressor in the tests.
func makeZip(_ members: [(name: String, data: [UInt8])], deflated: Bool) -> [UInt8] {
    func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }
    func storedBlocks(_ d: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        repeat {
            let n = min(65_535, d.count - i)
            let final: UInt8 = i + n >= d.count ? 1 : 0
            out.append(final)
            out += le16(n) + le16(~n & 0xFFFF)
            out += d[i..<(i + n)]
            i += n
        } while i < d.count
        return out
    }
    var body: [UInt8] = []
    var central: [UInt8] = []
    for m in members {
        let name = Array(m.name.utf8)
        let payload = deflated ? storedBlocks(m.data) : m.data
        let crc = crc32(m.data)
        let offset = UInt32(body.count)
        let method = deflated ? 8 : 0
        body += le32(0x0403_4B50) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0)
        body += le32(crc) + le32(UInt32(payload.count)) + le32(UInt32(m.data.count)) + le16(name.count) + le16(0)
        body += name + payload
        central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(method) + le16(0) + le16(0)
        central += le32(crc) + le32(UInt32(payload.count)) + le32(UInt32(m.data.count))
        central += le16(name.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + name
    }
    let eocd = le32(0x0605_4B50) + le16(0) + le16(0) + le16(members.count) + le16(members.count)
        + le32(UInt32(central.count)) + le32(UInt32(body.count)) + le16(0)
    return body + central + eocd
}

/// A scratch directory removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("parta-resolution-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Where the fixtures live: next to this file.
let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
