import Testing
@testable import PartaCore

@Suite struct LastWriterWinsTests {
    static func s(_ ms: UInt64, _ node: String, _ counter: UInt64) -> Stamp {
        Stamp(time: HybridTimestamp(milliseconds: ms, logical: 0), node: node, counter: counter)
    }

    // MARK: Stamp order

    @Test func stampsOrderByTimeThenNodeBytewiseThenCounter() {
        #expect(Self.s(1, "z", 9) < Self.s(2, "a", 1))
        #expect(Self.s(1, "a", 9) < Self.s(1, "b", 1))
        #expect(Self.s(1, "Z", 1) < Self.s(1, "a", 1), "uppercase ASCII sorts before lowercase")
        #expect(Self.s(1, "e\u{301}", 1) < Self.s(1, "f", 1), "bytes 65 CC 81 sort before 66")
        #expect(Self.s(1, "a", 1) < Self.s(1, "a", 2))
        #expect(!(Self.s(1, "a", 1) < Self.s(1, "a", 1)))
    }

    @Test func stampOrderIsATotalOrderEvenForNodeIdsUnicodeCallsEquivalent() {
        // "é" (C3 A9) and "e" + U+0301 (65 CC 81) are different node ids: they must not compare as one node.
        let a = Self.s(1, "é", 1), b = Self.s(1, "e\u{301}", 5), c = Self.s(1, "f", 0)
        #expect(a != b)
        #expect(b < c && c < a && b < a)
        var rng = SeededGenerator(seed: 0x0D3)
        let nodes = ["é", "e\u{301}", "f", "e", "й", "и\u{306}", "", "hub-ruo"]
        let stamps = (0..<60).map { _ in Self.s(UInt64.random(in: 1...2, using: &rng), nodes.randomElement(using: &rng)!, UInt64.random(in: 0...3, using: &rng)) }
        var violations: [String] = []
        for x in stamps {
            for y in stamps {
                // Exactly one of <, ==, > holds, and < is transitive.
                if [x < y, x == y, y < x].filter({ $0 }).count != 1 { violations.append("\(x) vs \(y)") }
                for z in stamps where x < y && y < z && !(x < z) { violations.append("\(x) < \(y) < \(z)") }
            }
        }
        #expect(violations.isEmpty, "\(violations.count) violations, first: \(violations.first ?? "")")
    }

    // MARK: Resolve

    @Test func aFirstWriteWinsWithoutConflict() {
        #expect(LastWriterWins.resolve(held: nil, incoming: (Self.s(1, "a", 1), nil)) == .incomingWins(conflict: false))
    }

    @Test func theSameStampIsADuplicate() {
        let a = Self.s(1, "a", 1)
        #expect(LastWriterWins.resolve(held: (a, nil), incoming: (a, nil)) == .duplicate)
    }

    @Test func aSequentialOverwriteIsNotAConflict() {
        let first = Self.s(1, "s12-clerk", 1)
        let second = Self.s(2, "s12-head", 1)          // written after seeing `first`
        #expect(LastWriterWins.resolve(held: (first, nil), incoming: (second, first)) == .incomingWins(conflict: false))
        // The same two changes arriving in the other order.
        #expect(LastWriterWins.resolve(held: (second, first), incoming: (first, nil)) == .heldWins(conflict: false))
    }

    @Test func anOverwriteOfSomethingNewerThanTheLoserIsNotAConflict() {
        let old = Self.s(1, "a", 1), middle = Self.s(2, "b", 1), newest = Self.s(3, "c", 1)
        // `newest` replaced `middle`, which itself superseded `old`: `old` arriving late is no conflict.
        #expect(LastWriterWins.resolve(held: (newest, middle), incoming: (old, nil)) == .heldWins(conflict: false))
    }

    @Test func aConcurrentOverwriteIsAConflictWhicheverArrivesFirst() {
        let base = Self.s(1, "hub-ruo", 1)
        let clerk = Self.s(2, "s12-clerk", 1)          // both replaced `base`, neither saw the other
        let head = Self.s(3, "s12-head", 1)
        #expect(LastWriterWins.resolve(held: (clerk, base), incoming: (head, base)) == .incomingWins(conflict: true))
        #expect(LastWriterWins.resolve(held: (head, base), incoming: (clerk, base)) == .heldWins(conflict: true))
        // A winner that replaced nothing never saw anything: every loser is a conflict.
        #expect(LastWriterWins.resolve(held: (clerk, nil), incoming: (head, nil)) == .incomingWins(conflict: true))
    }

    @Test func aCrossingEditIsAConflictEvenWhenItsWriterWroteTwice() {
        // Issue 15, item 4: the clerk writes at 10:00; the head, not having seen it, writes at
        // 10:01 and again at 10:02. Before, the second write's replaced stamp (10:01, the head's
        // own) made the clerk's value look seen.
        let base = Self.s(1, "hub-ruo", 1)
        let clerk = Self.s(10, "s12-clerk", 1)
        let head1 = Self.s(11, "s12-head", 1)
        let replaced1 = LastWriterWins.replacedStamp(overwriting: (base, nil), by: "s12-head")
        let head2 = Self.s(12, "s12-head", 2)
        let replaced2 = LastWriterWins.replacedStamp(overwriting: (head1, replaced1), by: "s12-head")
        #expect(replaced1 == base && replaced2 == base)
        #expect(LastWriterWins.resolve(held: (clerk, base), incoming: (head2, replaced2)) == .incomingWins(conflict: true))
        #expect(LastWriterWins.resolve(held: (head2, replaced2), incoming: (clerk, base)) == .heldWins(conflict: true))
        // The head's own first write, overwritten by its second, is no conflict.
        #expect(LastWriterWins.resolve(held: (head2, replaced2), incoming: (head1, replaced1)) == .heldWins(conflict: false))
        // Had the head seen the clerk's value before its first write, nothing is a conflict.
        let seen1 = LastWriterWins.replacedStamp(overwriting: (clerk, base), by: "s12-head")
        let seen2 = LastWriterWins.replacedStamp(overwriting: (head1, seen1), by: "s12-head")
        #expect(seen2 == clerk)
        #expect(LastWriterWins.resolve(held: (head2, seen2), incoming: (clerk, base)) == .heldWins(conflict: false))
    }

    @Test func theConflictVerdictForAPairDoesNotDependOnArrivalOrder() {
        var rng = SeededGenerator(seed: 0x1A57)
        let nodes = ["hub-ruo", "s12-clerk", "s12-head"]
        func stamp() -> Stamp { Self.s(UInt64.random(in: 1...5, using: &rng), nodes.randomElement(using: &rng)!, UInt64.random(in: 1...3, using: &rng)) }
        for _ in 0..<2_000 {
            let a = (stamp: stamp(), replaced: Bool.random(using: &rng) ? stamp() : nil)
            let b = (stamp: stamp(), replaced: Bool.random(using: &rng) ? stamp() : nil)
            let ab = LastWriterWins.resolve(held: a, incoming: b)
            let ba = LastWriterWins.resolve(held: b, incoming: a)
            switch (ab, ba) {
            case (.duplicate, .duplicate): #expect(a.stamp == b.stamp)
            case (.incomingWins(let c1), .heldWins(let c2)), (.heldWins(let c1), .incomingWins(let c2)): #expect(c1 == c2)
            default: Issue.record("\(ab) / \(ba) for \(a) and \(b)")
            }
        }
    }

    /// Folds changes into one field the way a replica does and returns the held winner.
    static func fold(_ changes: [(stamp: Stamp, replaced: Stamp?)]) -> Stamp? {
        var held: (stamp: Stamp, replaced: Stamp?)?
        for change in changes {
            if case .incomingWins = LastWriterWins.resolve(held: held, incoming: change) { held = change }
        }
        return held?.stamp
    }

    @Test func everyArrivalOrderWithAnyDuplicationEndsWithTheSameWinner() {
        var rng = SeededGenerator(seed: 0xC0FF)
        let nodes = ["hub-ruo", "s12-clerk", "s12-head", "й", "и\u{306}"]
        for _ in 0..<300 {
            var changes: [(stamp: Stamp, replaced: Stamp?)] = []
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let stamp = Self.s(UInt64.random(in: 1...4, using: &rng), nodes.randomElement(using: &rng)!, UInt64.random(in: 1...4, using: &rng))
                changes.append((stamp, changes.isEmpty || Bool.random(using: &rng) ? nil : changes.randomElement(using: &rng)!.stamp))
            }
            let expected = changes.map(\.stamp).max()
            for _ in 0..<20 {
                var delivery = changes.shuffled(using: &rng)
                delivery += (0..<Int.random(in: 0...4, using: &rng)).map { _ in changes.randomElement(using: &rng)! }   // replays
                delivery.shuffle(using: &rng)
                #expect(Self.fold(delivery) == expected)
                #expect(Self.fold(delivery + delivery) == expected, "applying everything twice changes nothing")
            }
        }
    }
}
