import Dispatch

/// A task executor over one serial dispatch queue of its own, for async code that blocks its
/// thread (synchronous SQLite, the sync client waiting for an answer). Under
/// `withTaskExecutorPreference` such code runs on this queue's thread instead of on Swift's
/// cooperative pool, which has only as many threads as the machine has cores and which a server
/// in the same process needs.
///
/// Jobs run one at a time, in the order they were enqueued. Do not use it for work that waits for
/// other work enqueued on the same executor: it would wait for ever.
public final class BlockingWorkExecutor: TaskExecutor {
    private let queue: DispatchQueue

    public init(label: String) { queue = DispatchQueue(label: label) }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job), executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
