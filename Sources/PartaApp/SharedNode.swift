import Dispatch
import Synchronization

/// A hub's node shared by the tasks of its server (syncs, uploads, the dashboard's pages): the
/// node is one SQLite connection, so one caller uses it at a time, and a page never sees a sync
/// half-applied.
///
/// Its one owner is a serial queue of its own. Async callers (the server's handlers) use
/// ``withNode(_:)``, which runs the work on that queue and suspends the caller meanwhile: a long
/// SQLite write never holds a thread of Swift's cooperative pool, which the server's I/O and the
/// other handlers need. Callers outside Swift concurrency (a command's setup, tests, the
/// benchmark) use ``withNodeBlocking(_:)`` on their own thread; both take the same lock, so the
/// two never overlap.
///
/// The node is reachable only inside the body, which may neither keep it nor hand out anything
/// that is not `Sendable`; the compiler checks both. Do not call either method from inside a body
/// (the lock is not reentrant), and do not call ``withNodeBlocking(_:)`` from async code: it
/// would hold a thread of the cooperative pool while it waits for the lock.
public final class SharedNode: Sendable {
    private let node: Mutex<HubNode>
    private let queue: DispatchQueue
    /// The node's data folder, which never changes: readable without the lock.
    public let dataDirectory: String

    public init(_ node: sending HubNode) {
        dataDirectory = node.dataDirectory
        self.node = Mutex(node)
        queue = DispatchQueue(label: "parta.hub.node")
    }

    /// Runs `body` with the node, alone, on the node's own queue; the caller waits suspended.
    public func withNode<T: Sendable, E: Error>(_ body: @escaping @Sendable (HubNode) throws(E) -> T) async throws(E) -> T {
        let outcome: Result<T, E> = await withCheckedContinuation { finished in
            queue.async {
                finished.resume(returning: self.node.withLock { node in Result { () throws(E) -> T in try body(node) } })
            }
        }
        return try outcome.get()
    }

    /// Runs `body` with the node, alone, on the calling thread (which waits for the lock).
    public func withNodeBlocking<T: Sendable, E: Error>(_ body: @Sendable (HubNode) throws(E) -> T) throws(E) -> T {
        try node.withLock { node throws(E) -> T in try body(node) }
    }
}
