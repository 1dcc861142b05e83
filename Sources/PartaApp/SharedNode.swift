import Synchronization

/// A hub's node shared by the tasks of its server (syncs, uploads, the dashboard's pages): the
/// node is one SQLite connection, so one caller uses it at a time, and a page never sees a sync
/// half-applied.
///
/// The node is reachable only inside ``withNode(_:)``, whose body may neither keep it nor hand out
/// anything that is not `Sendable`; the compiler checks both. Do not call ``withNode(_:)`` from
/// inside its own body (the lock is not reentrant).
public final class SharedNode: Sendable {
    private let node: Mutex<HubNode>
    /// The node's data folder, which never changes: readable without the lock.
    public let dataDirectory: String

    public init(_ node: sending HubNode) {
        dataDirectory = node.dataDirectory
        self.node = Mutex(node)
    }

    /// Runs `body` with the node, alone.
    public func withNode<T: Sendable>(_ body: @Sendable (HubNode) throws -> T) rethrows -> T {
        try node.withLock { node in try body(node) }
    }
}
