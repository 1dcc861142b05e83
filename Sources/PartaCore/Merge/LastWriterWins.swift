/// The merge rule of a replicated field: the change with the greatest ``Stamp`` wins.
///
/// The rule is commutative, associative and idempotent, so replicas that received the same set of
/// changes, in any order and with any duplication, hold the same winner.
///
/// A *conflict* is a losing change that the winner's author could not have seen: written by
/// another node, and its stamp greater than the stamp the winner replaced. A sequential overwrite
/// (the winner replaced the loser, or something newer than it, or the loser was the winner's
/// author's own earlier value) is not a conflict.
///
/// A winner that carries a ``SeenSet`` is judged by it alone, which is complete: the loser is a
/// conflict exactly when the winner's writer had seen neither it nor a later change of its origin
/// to the register. A winner without one (written by an earlier release, or relayed by one) is
/// judged by its replaced stamp, as below.
///
/// What a writer records as replaced (``replacedStamp(overwriting:by:)``) is the newest value of
/// *another* node it saw in the register: overwriting its own value, a node keeps what that value
/// replaced. So a node that wrote twice without seeing a third node's value in between still
/// shows, with its second write, that it never saw it.
public enum LastWriterWins {
    public enum Outcome: Equatable, Sendable {
        /// The incoming change is the one already held (same stamp): nothing to do.
        case duplicate
        /// The incoming change wins; `conflict` tells whether it overwrote the held value unseen.
        case incomingWins(conflict: Bool)
        /// The held value stays; `conflict` tells whether the incoming change lost unseen.
        case heldWins(conflict: Bool)
    }

    /// Decides between the held winner of a field (its stamp, the stamp it replaced and its seen
    /// set) and an incoming change.
    public static func resolve(held: (stamp: Stamp, replaced: Stamp?, seen: SeenSet?)?,
                               incoming: (stamp: Stamp, replaced: Stamp?, seen: SeenSet?)) -> Outcome {
        guard let held else { return .incomingWins(conflict: false) }
        if held.stamp == incoming.stamp { return .duplicate }
        if incoming.stamp > held.stamp {
            return .incomingWins(conflict: isUnseen(loser: held.stamp, winner: incoming.stamp, replaced: incoming.replaced, seen: incoming.seen))
        }
        return .heldWins(conflict: isUnseen(loser: incoming.stamp, winner: held.stamp, replaced: held.replaced, seen: held.seen))
    }

    /// ``resolve(held:incoming:)`` for changes without seen sets.
    public static func resolve(held: (stamp: Stamp, replaced: Stamp?)?, incoming: (stamp: Stamp, replaced: Stamp?)) -> Outcome {
        resolve(held: held.map { ($0.stamp, $0.replaced, nil) }, incoming: (incoming.stamp, incoming.replaced, nil))
    }

    /// The replaced stamp of a new write by `writer` over the register's held value: the held
    /// value's stamp, or, when `writer` wrote the held value itself, what that value replaced.
    public static func replacedStamp(overwriting held: (stamp: Stamp, replaced: Stamp?)?, by writer: String) -> Stamp? {
        guard let held else { return nil }
        return held.stamp.node.utf8.elementsEqual(writer.utf8) ? held.replaced : held.stamp
    }

    static func isUnseen(loser: Stamp, winner: Stamp, replaced: Stamp?, seen: SeenSet?) -> Bool {
        // A node sees its own earlier writes.
        if loser.node.utf8.elementsEqual(winner.node.utf8) { return false }
        if let seen { return !seen.covers(loser) }
        guard let replaced else { return true }
        return loser > replaced
    }
}
