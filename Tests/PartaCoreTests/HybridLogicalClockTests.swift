import Testing
@testable import PartaCore

@Suite struct HybridLogicalClockTests {
    static let t0: UInt64 = 1_598_947_200_000   // 2020-09-01T08:00:00Z

    @Test func tickNeverGoesBackwardsWhenWallClockJumpsBack() {
        var clock = HybridLogicalClock()
        var previous = clock.tick(now: Self.t0)
        for now in [Self.t0 - 1, Self.t0 - 3_600_000, 0, Self.t0, Self.t0 + 1, Self.t0 - 86_400_000] {
            let next = clock.tick(now: now)
            #expect(next > previous, "tick at \(now)")
            previous = next
        }
    }

    @Test func tickIsStrictlyIncreasingForAnyRandomWallClock() {
        var rng = SeededGenerator(seed: 0xC10C)
        var clock = HybridLogicalClock()
        var previous = HybridTimestamp.zero
        for _ in 0..<20_000 {
            let now = Self.t0 + UInt64.random(in: 0...5, using: &rng) * 1000 - UInt64.random(in: 0...5_000, using: &rng)
            let next = clock.tick(now: now)
            #expect(next > previous)
            #expect(clock.last == next)
            previous = next
        }
    }

    @Test func tickFollowsTheWallClockWhenItIsAheadWithLogicalZero() {
        var clock = HybridLogicalClock(last: HybridTimestamp(milliseconds: Self.t0, logical: 7))
        #expect(clock.tick(now: Self.t0 + 5) == HybridTimestamp(milliseconds: Self.t0 + 5, logical: 0))
        #expect(clock.tick(now: Self.t0 + 5) == HybridTimestamp(milliseconds: Self.t0 + 5, logical: 1))
        let behind = clock.tick(now: Self.t0)
        #expect(behind > HybridTimestamp(milliseconds: Self.t0 + 5, logical: 1))
        #expect(behind.rawValue - HybridTimestamp(milliseconds: Self.t0 + 5, logical: 1).rawValue <= HybridLogicalClock.behindStep)
    }

    @Test func twoCopiesOfAClockBehindItsLastStampDoNotIssueTheSameStamps() {
        // A folder put back while its wall clock is behind its HLC must not repeat the original's stamps (§10b).
        let start = HybridLogicalClock(last: HybridTimestamp(milliseconds: Self.t0 + 60_000, logical: 0))
        var original = start, copy = start
        var same = 0
        for i in 0..<1000 {
            if original.tick(now: Self.t0 + UInt64(i)) == copy.tick(now: Self.t0 + UInt64(i)) { same += 1 }
        }
        #expect(same < 10, "\(same) of 1000 stamps alike")
        #expect(original.last.milliseconds < Self.t0 + 60_000 + 100)
    }

    @Test func logicalOverflowCarriesIntoTheNextMillisecond() {
        var clock = HybridLogicalClock(last: HybridTimestamp(milliseconds: Self.t0, logical: .max))
        let next = clock.tick(now: Self.t0)
        #expect(next == HybridTimestamp(milliseconds: Self.t0 + 1, logical: 0))
        #expect(next > HybridTimestamp(milliseconds: Self.t0, logical: .max))
        let behind = clock.tick(now: Self.t0 - 10)
        #expect(behind > next && behind.rawValue - next.rawValue <= HybridLogicalClock.behindStep)
    }

    @Test func receivingTimestampTooFarAheadThrowsAndLeavesClockUnchanged() throws {
        var clock = HybridLogicalClock(last: HybridTimestamp(milliseconds: Self.t0, logical: 3))
        let before = clock
        let remote = HybridTimestamp(milliseconds: Self.t0 + HybridLogicalClock.defaultMaxDrift + 1, logical: 0)
        do {
            try clock.receive(remote, now: Self.t0, node: "s12-clerk")
            Issue.record("a timestamp 1 h 1 ms ahead was accepted")
        } catch let error as PartaCoreError {
            #expect(error.code == .clockDriftTooLarge)
            #expect(error.context["node"] == "s12-clerk")
            #expect(error.context["remote"] == "2020-09-01T09:00:00.001Z")
            #expect(error.context["now"] == "2020-09-01T08:00:00.000Z")
        }
        #expect(clock == before)
    }

    @Test func aTimestampExactlyMaxDriftAheadIsAccepted() throws {
        var clock = HybridLogicalClock()
        let remote = HybridTimestamp(milliseconds: Self.t0 + HybridLogicalClock.defaultMaxDrift, logical: .max)
        try clock.receive(remote, now: Self.t0, node: "s12-clerk")
        #expect(clock.last == remote)
        #expect(clock.tick(now: Self.t0) > remote)
    }

    @Test func theDefaultDriftIsOneHourAndConfigurable() {
        #expect(HybridLogicalClock.defaultMaxDrift == 3_600_000)
        var strict = HybridLogicalClock(maxDrift: 1_000)
        #expect(errorCode { try strict.receive(HybridTimestamp(milliseconds: Self.t0 + 1_001, logical: 0), now: Self.t0, node: "n") } == .clockDriftTooLarge)
        #expect(errorCode { try strict.receive(HybridTimestamp(milliseconds: Self.t0 + 1_000, logical: 0), now: Self.t0, node: "n") } == nil)
    }

    @Test func anUnboundedDriftAcceptsEveryTimestampWithoutWrappingAround() throws {
        // maxDrift = UInt64.max reads as "no bound"; now + maxDrift must not wrap to a time in the past.
        var clock = HybridLogicalClock(maxDrift: .max)
        let farFuture = HybridTimestamp(milliseconds: Self.t0 * 3, logical: 0)
        try clock.receive(farFuture, now: Self.t0, node: "n")
        #expect(clock.last == farFuture)
    }

    @Test func checkNeverChangesTheClock() throws {
        let clock = HybridLogicalClock(last: HybridTimestamp(milliseconds: Self.t0, logical: 0))
        try clock.check(HybridTimestamp(milliseconds: Self.t0 + 10, logical: 0), now: Self.t0, node: "n")
        #expect(clock.last == HybridTimestamp(milliseconds: Self.t0, logical: 0))
    }

    @Test func receivingAnOlderTimestampNeverMovesTheClockBack() throws {
        var clock = HybridLogicalClock(last: HybridTimestamp(milliseconds: Self.t0, logical: 9))
        try clock.receive(HybridTimestamp(milliseconds: Self.t0 - 60_000, logical: 0), now: Self.t0, node: "n")
        #expect(clock.last == HybridTimestamp(milliseconds: Self.t0, logical: 9))
    }

    @Test func aNodeWithASlowWallClockOrdersItsLaterEditsAfterWhatItSaw() throws {
        // The school PC's clock is 40 minutes behind the hub's; the hub's change is within the drift bound.
        let hubEdit = HybridTimestamp(milliseconds: Self.t0, logical: 0)
        var school = HybridLogicalClock()
        let schoolNow = Self.t0 - 40 * 60_000
        try school.receive(hubEdit, now: schoolNow, node: "hub-ruo")
        let schoolEdit = school.tick(now: schoolNow + 1_000)
        #expect(schoolEdit > hubEdit)
        #expect(Stamp(time: schoolEdit, node: "s12-clerk", counter: 1) > Stamp(time: hubEdit, node: "hub-ruo", counter: 99))
    }

    @Test func timestampsPackMillisecondsAboveSixteenLogicalBitsAndCompareAsIntegers() {
        let t = HybridTimestamp(milliseconds: 0x1234_5678_9ABC, logical: 0xDEF0)
        #expect(t.rawValue == 0x1234_5678_9ABC_DEF0)
        #expect(t.milliseconds == 0x1234_5678_9ABC)
        #expect(t.logical == 0xDEF0)
        #expect(HybridTimestamp(milliseconds: 1, logical: 0) > HybridTimestamp(milliseconds: 0, logical: .max))
        #expect(HybridTimestamp(milliseconds: Self.t0, logical: 0).description == "2020-09-01T08:00:00.000Z")
        #expect(HybridTimestamp(milliseconds: Self.t0 + 7, logical: 2).description == "2020-09-01T08:00:00.007Z+2")
    }

    @Test func civilTimeRoundTripsEveryDayOverCenturies() {
        for days in stride(from: -800_000, through: 800_000, by: 37) {
            let (y, m, d) = CivilTime.civilFromDays(days)
            #expect(CivilTime.daysFromCivil(year: y, month: m, day: d) == days)
        }
        #expect(CivilTime.daysFromCivil(year: 1970, month: 1, day: 1) == 0)
        #expect(CivilTime.daysFromCivil(year: 2000, month: 3, day: 1) == 11_017)
        #expect(CivilTime.iso8601(milliseconds: 951_782_400_000) == "2000-02-29T00:00:00.000Z")
    }
}
