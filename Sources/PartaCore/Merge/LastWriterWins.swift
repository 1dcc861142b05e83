/// The merge rule of a replicated field: the change with the greatest ``Stamp`` wins.
///
/// The rule is commutative, associative and idempotent, so replicas that received the same set of
/// changes, in any order and with any duplication, hold the same winner.
///
/// A *conflict* is a losing change that the winner's author could not have seen: its stamp is
/// greater than the stamp the winner replaced. A sequential overwrite (the winner replaced the
/// loser, or something newer than it) is not a conflict.
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
            return .incomingWins(conflict: isUnseen(loser: held.stamp, winnerReplaced: incoming.replaced))
        }
        return .heldWins(conflict: isUnseen(loser: incoming.stamp, winnerReplaced: held.replaced))
    }

    static func isUnseen(loser: Stamp, winnerReplaced: Stamp?) -> Bool {
        guard let winnerReplaced else { return true }
        return loser > winnerReplaced
    }
}
