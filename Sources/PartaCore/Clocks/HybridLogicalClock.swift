/// A hybrid logical clock for one replica.
///
/// Every timestamp returned by ``tick(now:)`` is strictly greater than any timestamp this clock
/// has returned or accepted through ``receive(_:now:)``, even if the wall clock goes backwards.
/// So a node whose clock is behind still orders its own later edits after everything it has seen.
///
/// The clock never jumps forward further than ``maxDrift`` past the local wall clock because of a
/// received timestamp: such a timestamp is refused, so one node with a wrong clock cannot drag
/// every clock it touches into the future.
///
/// Not promised: that timestamps of different nodes reflect real-time order beyond ``maxDrift``.
public struct HybridLogicalClock: Sendable, Equatable {
    /// The largest timestamp this clock has issued or accepted.
    public private(set) var last: HybridTimestamp
    /// How far ahead of the local wall clock a received timestamp may be, in milliseconds.
    public var maxDrift: UInt64

    /// One hour: generous for badly set school PCs (a wrong time zone shifts UTC by hours only when
    /// the clock itself was set wrong), small enough that a dead CMOS battery is caught.
    public static let defaultMaxDrift: UInt64 = 3_600_000

    public init(last: HybridTimestamp = .zero, maxDrift: UInt64 = defaultMaxDrift) {
        self.last = last
        self.maxDrift = maxDrift
    }

    /// Issues a new timestamp for a local event at wall-clock time `now` (milliseconds since 1970).
    public mutating func tick(now: UInt64) -> HybridTimestamp {
        var generator = SystemRandomNumberGenerator()
        return tick(now: now, using: &generator)
    }

    /// ``tick(now:)`` with the random steps a wall clock behind `last` takes drawn from `generator`.
    ///
    /// While the wall clock is behind `last`, the timestamp moves on by a random step of 1 to
    /// ``behindStep`` (the logical part, carrying into the milliseconds): two copies of one replica
    /// in that state (a folder put back) would otherwise issue the very same stamps at the same
    /// counters, which no receiver could tell apart (replication-v1 §2, §10b). In step with the
    /// wall clock, or in its current millisecond, it moves by one.
    public mutating func tick<G: RandomNumberGenerator>(now: UInt64, using generator: inout G) -> HybridTimestamp {
        let next: HybridTimestamp
        if now > last.milliseconds {
            next = HybridTimestamp(milliseconds: now, logical: 0)
        } else {
            let step = now < last.milliseconds ? UInt64.random(in: 1...Self.behindStep, using: &generator) : 1
            next = HybridTimestamp(rawValue: last.rawValue + step)
        }
        last = next
        return next
    }

    /// The largest step of a tick while the wall clock is behind `last` (a sixteenth of a millisecond's logical range).
    public static let behindStep: UInt64 = 4096

    /// Checks a remote timestamp against the drift bound without changing the clock.
    ///
    /// - Throws: ``PartaCoreError/Code/clockDriftTooLarge`` if `remote` is more than ``maxDrift``
    ///   ahead of `now`.
    public func check(_ remote: HybridTimestamp, now: UInt64, node: String) throws {
        // Compared as a difference: `now + maxDrift` would wrap for a large maxDrift and refuse everything.
        guard remote.milliseconds <= now || remote.milliseconds - now <= maxDrift else {
            let aheadMinutes = (remote.milliseconds - now) / 60_000
            let remoteText = CivilTime.iso8601(milliseconds: remote.milliseconds)
            throw PartaCoreError(.clockDriftTooLarge, Message(
                en: "Node \(node) stamped its changes \(remoteText), \(aheadMinutes) minutes ahead of this computer's clock (at most \(maxDrift / 60_000) allowed). Set the correct date and time on node \(node) (or on this computer, if its clock is behind), then exchange again.",
                ru: "Узел \(node) пометил изменения временем \(remoteText) — на \(aheadMinutes) мин. впереди часов этого компьютера (допустимо не более \(maxDrift / 60_000) мин.). Установите верные дату и время на узле \(node) (или на этом компьютере, если его часы отстают) и повторите обмен."),
                context: ["node": node, "remote": remoteText, "now": CivilTime.iso8601(milliseconds: now)])
        }
    }

    /// Moves the clock forward to `timestamp` if it is behind it (for a clock another instance of
    /// the same replica has moved on); never moves it back, never checks drift.
    public mutating func advance(to timestamp: HybridTimestamp) {
        if timestamp > last { last = timestamp }
    }

    /// Accepts a timestamp seen on a remote change, so later local ticks order after it.
    ///
    /// - Throws: ``PartaCoreError/Code/clockDriftTooLarge`` if `remote` is more than ``maxDrift``
    ///   ahead of `now`. The clock is then left unchanged.
    public mutating func receive(_ remote: HybridTimestamp, now: UInt64, node: String) throws {
        try check(remote, now: now, node: node)
        if remote > last { last = remote }
    }
}
