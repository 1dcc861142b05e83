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

    /// Decides between the held winner of a field (stamp and the stamp it replaced) and an incoming change.
    public static func resolve(held: (stamp: Stamp, replaced: Stamp?)?, incoming: (stamp: Stamp, replaced: Stamp?)) -> Outcome {
        guard let held else { return .incomingWins(conflict: false) }
        if held.stamp == incoming.stamp { return .duplicate }
        if incoming.stamp > held.stamp {
            return .incomingWins(conflict: isUnseen(loser: held.stamp, winner: incoming.stamp, winnerReplaced: incoming.replaced))
        }
        return .heldWins(conflict: isUnseen(loser: incoming.stamp, winner: held.stamp, winnerReplaced: held.replaced))
    }

    /// The replaced stamp of a new write by `writer` over the register's held value: the held
    /// value's stamp, or, when `writer` wrote the held value itself, what that value replaced.
    public static func replacedStamp(overwriting held: (stamp: Stamp, replaced: Stamp?)?, by writer: String) -> Stamp? {
        guard let held else { return nil }
        return held.stamp.node.utf8.elementsEqual(writer.utf8) ? held.replaced : held.stamp
    }

    static func isUnseen(loser: Stamp, winner: Stamp, winnerReplaced: Stamp?) -> Bool {
        // A node sees its own earlier writes.
        if loser.node.utf8.elementsEqual(winner.node.utf8) { return false }
        guard let winnerReplaced else { return true }
        return loser > winnerReplaced
    }
}
