import Foundation

/// A hub's node shared by the tasks of its server (syncs, uploads, the dashboard's pages): the
/// node is one SQLite connection, so one caller uses it at a time, and a page never sees a sync
/// half-applied.
public final class SharedNode: @unchecked Sendable {
    private let node: PartaNode
    /// Held while a caller uses the node; ``withNode(_:)`` takes it. Exposed for code that must
    /// hold it across steps of its own (the sync service's upload checks).
    public let lock = NSLock()

    public init(_ node: PartaNode) { self.node = node }

    /// Runs `body` with the node, alone.
    public func withNode<T>(_ body: (PartaNode) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(node)
    }

    /// The node, for callers that already hold ``lock``, or that read only what never changes
    /// (its id, its folder).
    public var unguarded: PartaNode { node }
}
