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

    // MARK: Seen sets (replication-v1 §5.1)

    @Test func aSeenSetFindsTheLossOneReplacedStampHides() {
        // replication-v1 §13's blind spot: A writes at 10:00 by a slow clock; B writes at 10:05
        // without seeing it; C sees only B's value and overwrites it. C's replaced stamp (B's,
        // 10:05) is later than A's value, so by replaced stamps alone A's loss looks seen.
        let a = Self.s(10, "s12-a", 1), b = Self.s(15, "s12-b", 1), c = Self.s(20, "s12-c", 1)
        let bSeen = SeenSet.knowledge(of: nil)
        let cSeen = SeenSet.knowledge(of: (b, nil, bSeen))
        #expect(cSeen == SeenSet(latest: VectorClock(["s12-b": 1])))
        #expect(LastWriterWins.resolve(held: (a, nil), incoming: (c, b)) == .incomingWins(conflict: false), "the blind spot")
        #expect(LastWriterWins.resolve(held: (a, nil, SeenSet()), incoming: (c, b, cSeen)) == .incomingWins(conflict: true))
        #expect(LastWriterWins.resolve(held: (c, b, cSeen), incoming: (a, nil, SeenSet())) == .heldWins(conflict: true))
        // Had B seen A's value, C's knowledge includes it through B's, and nothing is a conflict.
        let bSawA = SeenSet.knowledge(of: (a, nil, SeenSet()))
        let cSawA = SeenSet.knowledge(of: (b, a, bSawA))
        #expect(LastWriterWins.resolve(held: (c, b, cSawA), incoming: (a, nil, SeenSet())) == .heldWins(conflict: false))
    }

    @Test func aWinnerWithoutASeenSetIsJudgedByItsReplacedStampAndPassesItOnAsThrough() {
        let old = Self.s(1, "s12-old", 4), clerk = Self.s(5, "s12-clerk", 1)
        // A value of an earlier release's writer that replaced `old`: its writer saw everything up to it.
        let later = SeenSet.knowledge(of: (clerk, old, nil))
        #expect(later.through == old && later.latest == VectorClock(["s12-clerk": 1]))
        #expect(later.covers(Self.s(0, "s12-other", 9)) && !later.covers(Self.s(2, "s12-other", 1)))
        // A later change of a loser's own origin to the register covers the loser.
        #expect(later.covers(Self.s(4, "s12-clerk", 1)))
    }

    @Test func seenSetVerdictsMatchWhatEachWriterActuallySawInRandomHistories() {
        // Nodes write one register and pass their current winner around at random; each write's
        // ground truth is the set of writes its node had been shown (a value it held, or one the
        // writer of a value it held had been shown). A value received that lost at once was
        // never shown: it is in that node's conflict log, not in what it saw. With seen sets, a
        // loss is a conflict exactly when its winner's writer had been shown neither it nor a
        // later write of the loser's node.
        var rng = SeededGenerator(seed: 0x5EE7)
        let nodes = ["s12-a", "s12-b", "s12-c", "hub-ruo"]
        for _ in 0..<300 {
            typealias Written = (stamp: Stamp, replaced: Stamp?, seen: SeenSet?)
            var held: [String: Written] = [:]
            var truth: [String: Set<Stamp>] = [:]          // what each node has been shown
            var sawOf: [Stamp: Set<Stamp>] = [:]           // what each write's writer had received
            var counters: [String: UInt64] = [:]
            var all: [Written] = []
            for _ in 0..<Int.random(in: 2...12, using: &rng) {
                let node = nodes.randomElement(using: &rng)!
                if Bool.random(using: &rng) {
                    counters[node, default: 0] += 1
                    let stamp = Self.s(UInt64.random(in: 1...30, using: &rng), node, counters[node]!)
                    let current = held[node]
                    let w: Written = (stamp, LastWriterWins.replacedStamp(overwriting: current.map { ($0.stamp, $0.replaced) }, by: node),
                                      SeenSet.knowledge(of: current))
                    sawOf[stamp] = truth[node, default: []]
                    truth[node, default: []].insert(stamp)
                    all.append(w)
                    if let current, case .heldWins = LastWriterWins.resolve(held: (w.stamp, w.replaced, w.seen), incoming: current) {
                        held[node] = w
                    } else if current == nil || w.stamp > current!.stamp {
                        held[node] = w
                    }
                } else if let from = held[nodes.randomElement(using: &rng)!] {
                    // `node` receives another node's winner; shown if it wins, with what its writer had seen.
                    if held[node] == nil || from.stamp > held[node]!.stamp {
                        held[node] = from
                        truth[node, default: []].formUnion(sawOf[from.stamp, default: []].union([from.stamp]))
                    }
                }
            }
            for winner in all {
                for loser in all where loser.stamp < winner.stamp && loser.stamp.node != winner.stamp.node {
                    let saw = sawOf[winner.stamp, default: []]
                    let seen = saw.contains(loser.stamp) || saw.contains { $0.node == loser.stamp.node && $0.counter > loser.stamp.counter }
                    let verdict = LastWriterWins.resolve(held: winner, incoming: loser)
                    #expect(verdict == .heldWins(conflict: !seen), "\(loser.stamp) under \(winner.stamp): seen \(seen)")
                }
            }
        }
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
