/// What the writer of a change had seen of that change's register when it wrote it
/// (replication-v1 §5.1): every change of origin `n` with a counter up to ``latest``[n], and
/// every change stamped at or below ``through``.
///
/// It makes the conflict verdict complete: a losing change is a conflict exactly when the
/// winner's seen set does not cover it. One replaced stamp cannot say that (replication-v1 §13):
/// it claims everything older than the value overwritten, which that value's writer may not have
/// seen either.
///
/// ``through`` carries what writers of earlier releases stated, a replaced stamp, into the
/// knowledge of later writers: a register last written by such a writer is known only that far.
///
/// A seen set is advisory: it never changes which value wins, only whether a loss is shown as a
/// conflict. A hostile writer can hide conflicts among values of the registers it may write, as
/// it could with a replaced stamp; it cannot change any other register.
public struct SeenSet: Hashable, Sendable, CustomStringConvertible {
    /// Per origin node, the highest counter of a change to the register the writer had seen,
    /// itself or through a change it saw.
    public var latest: VectorClock
    /// Every change at or below this stamp counts as seen (knowledge from writers that state only
    /// a replaced stamp); nil for none.
    public var through: Stamp?

    /// The most entries a seen set holds on the wire and on disk: far more than the computers that
    /// ever write one field, and, with node ids of at most ``maxNodeBytes``, no more than a
    /// comment (64 KiB), which every later writer of the register carries on. A writer whose
    /// knowledge is larger drops entries (``bounded``): at worst a loss is then shown as a
    /// conflict that was not one.
    public static let maxEntries = 64
    /// The longest node id a seen set names, in UTF-8 bytes (as in a bundle's header).
    public static let maxNodeBytes = 1024

    public init(latest: VectorClock = VectorClock(), through: Stamp? = nil) {
        self.latest = latest
        self.through = through
    }

    /// Whether the change stamped `stamp` is covered: seen, or superseded by a later change of its
    /// own origin to the same register that was seen.
    public func covers(_ stamp: Stamp) -> Bool {
        if latest[stamp.node] >= stamp.counter { return true }
        if let through, stamp <= through { return true }
        return false
    }

    /// What a node knows of a register whose held winner is `held`, and so the seen set of a new
    /// write over it by `writer`: the winner itself, what its writer had seen, or, for a winner
    /// without a seen set, everything up to the stamp it replaced. Nothing for a register with no
    /// value. The writer's own entry is left out: its own changes are never its conflicts, and
    /// whoever overwrites its change learns them from that change's stamp.
    public static func knowledge(of held: (stamp: Stamp, replaced: Stamp?, seen: SeenSet?)?, by writer: String? = nil) -> SeenSet {
        guard let held else { return SeenSet() }
        var result = held.seen ?? SeenSet(through: held.replaced)
        if result.latest[held.stamp.node] < held.stamp.counter { result.latest[held.stamp.node] = held.stamp.counter }
        if let writer { result.latest[writer] = 0 }
        return result.bounded
    }

    /// Whether the set says nothing: no entry, no through stamp.
    public var isEmpty: Bool { latest.counters.isEmpty && through == nil }

    /// This set with at most ``maxEntries`` entries: those of the bytewise-first nodes.
    public var bounded: SeenSet {
        guard latest.counters.count > SeenSet.maxEntries else { return self }
        let kept = latest.sortedEntries.prefix(SeenSet.maxEntries)
        return SeenSet(latest: VectorClock(Dictionary(kept.map { ($0.node, $0.counter) }, uniquingKeysWith: max)), through: through)
    }

    public var description: String { "\(latest)" + (through.map { " through \($0)" } ?? "") }
}
