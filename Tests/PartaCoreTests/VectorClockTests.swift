import Testing
@testable import PartaCore

@Suite struct VectorClockTests {
    static func random(_ rng: inout SeededGenerator) -> VectorClock {
        var clock = VectorClock()
        for node in ["hub-ruo", "s12-clerk", "s12-head", "s7-clerk"] where Bool.random(using: &rng) {
            clock[node] = UInt64.random(in: 0...20, using: &rng)
        }
        return clock
    }

    @Test func zeroCountersAreNeverStoredAndEqualityIgnoresThem() {
        #expect(VectorClock(["a": 0, "b": 2]).counters == ["b": 2])
        var clock = VectorClock(["a": 3])
        clock["a"] = 0
        #expect(clock.counters.isEmpty)
        #expect(clock == VectorClock())
        #expect(clock["never-seen"] == 0)
    }

    @Test func coversMeansCounterAtOrBelowTheEntry() {
        let clock = VectorClock(["hub-ruo": 5])
        #expect(clock.covers(node: "hub-ruo", counter: 5))
        #expect(!clock.covers(node: "hub-ruo", counter: 6))
        #expect(clock.covers(node: "other", counter: 0))
        #expect(!clock.covers(node: "other", counter: 1))
    }

    @Test func mergeIsPointwiseMaximumCommutativeAssociativeAndIdempotent() {
        var rng = SeededGenerator(seed: 0xFEC)
        for _ in 0..<500 {
            let (a, b, c) = (Self.random(&rng), Self.random(&rng), Self.random(&rng))
            #expect(a.merged(with: b) == b.merged(with: a))
            #expect(a.merged(with: b).merged(with: c) == a.merged(with: b.merged(with: c)))
            #expect(a.merged(with: a) == a)
            for node in ["hub-ruo", "s12-clerk", "s12-head", "s7-clerk"] {
                #expect(a.merged(with: b)[node] == max(a[node], b[node]))
            }
        }
    }

    @Test func pointwiseMinimumTreatsMissingNodesAsZero() {
        #expect(VectorClock.pointwiseMinimum([]) == VectorClock())
        let a = VectorClock(["hub-ruo": 5, "s12-clerk": 2])
        let b = VectorClock(["hub-ruo": 3, "s12-head": 9])
        #expect(VectorClock.pointwiseMinimum([a, b]) == VectorClock(["hub-ruo": 3]))
        #expect(VectorClock.pointwiseMinimum([a]) == a)
    }

    @Test func entriesAreSortedBytewiseNotByUnicodeCollation() {
        // "e" + U+0301 is "é" to Swift's String comparison (which would sort it after "f"); bytewise it is 65 CC 81 < 66.
        let clock = VectorClock(["f": 1, "e\u{301}": 2, "Z": 3, "a": 4, "я": 5])
        #expect(clock.sortedEntries.map(\.node) == ["Z", "a", "e\u{301}", "f", "я"])
        #expect(clock.sortedEntries.map { Array($0.node.utf8) }[2] == [0x65, 0xCC, 0x81])
    }

    @Test func encodingIsCountThenSortedNodeCounterPairs() throws {
        let clock = VectorClock(["s12-clerk": 300, "hub-ruo": 2])
        let expected: [UInt8] = [0x02, 0x07] + Array("hub-ruo".utf8) + [0x02, 0x09] + Array("s12-clerk".utf8) + [0xAC, 0x02]
        #expect(clock.encoded == expected)
        #expect(try VectorClock(encoded: expected) == clock)
        #expect(VectorClock().encoded == [0x00])
    }

    @Test func randomClocksRoundTripThroughTheirEncoding() throws {
        var rng = SeededGenerator(seed: 0xC0DE)
        for _ in 0..<500 {
            var clock = Self.random(&rng)
            clock["Школа-\(UInt8.random(in: 0...3, using: &rng))"] = rng.next()
            #expect(try VectorClock(encoded: clock.encoded) == clock)
        }
    }

    @Test func decodingRejectsUnsortedDuplicateAndZeroEntries() {
        func clock(_ entries: [(String, UInt64)]) -> [UInt8] {
            var w = ByteWriter()
            w.varint(UInt64(entries.count))
            for (node, counter) in entries { w.string(node); w.varint(counter) }
            return w.bytes
        }
        #expect(errorCode { _ = try VectorClock(encoded: clock([("b", 1), ("a", 1)])) } == .malformed)
        #expect(errorCode { _ = try VectorClock(encoded: clock([("a", 1), ("a", 2)])) } == .malformed)
        #expect(errorCode { _ = try VectorClock(encoded: clock([("a", 0)])) } == .malformed)
        #expect(errorCode { _ = try VectorClock(encoded: clock([("f", 1), ("e\u{301}", 1)])) } == .malformed)
        #expect(errorCode { _ = try VectorClock(encoded: [0x01, 0x03, 0x61]) } == .truncated)
        #expect(errorCode { _ = try VectorClock(encoded: []) } == .truncated)
    }
}
