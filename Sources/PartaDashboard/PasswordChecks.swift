import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs the dashboard's password checks (scrypt: about 0.1 s of CPU and 32 MiB each) a few at a
/// time, on threads of their own.
///
/// Guarantees:
/// - At most ``concurrency`` checks run at once, each on a thread started for the purpose (at a
///   lower CPU priority, nice 10, on Linux), never on Swift's cooperative pool: async work of the
///   same process (syncs, `/healthz`) never waits for a thread behind a sign-in.
/// - At most ``queueLimit`` checks wait; one more is refused at once (the caller answers 503).
/// - At most ``perClientLimit`` checks of one client (its address) wait or run at once; one more
///   is refused at once. A flood from one computer holds that many places, not the queue, so a
///   sign-in from another address is served unless the flood comes from about ``queueLimit``
///   addresses or more.
/// - A check that has waited longer than ``maxWait`` when its turn comes is not run, and is
///   refused too; so a waiting sign-in is answered within about ``maxWait`` plus one check.
/// - Every check run is counted (``checksRun``), and every refusal (``refused``).
///
/// Not promised: service during a flood from many addresses; it fills the queue for everyone, and
/// a refused sign-in is answered at once with "try again" (the dashboard also refuses locked
/// (name, address) pairs before they reach this queue).
public final class PasswordChecks: Sendable {
    public let concurrency: Int
    public let queueLimit: Int
    public let maxWait: TimeInterval
    public let perClientLimit: Int

    private struct Job {
        let client: String
        let enqueued: UInt64
        let work: @Sendable () -> Bool
        let done: @Sendable (Bool?) -> Void
    }

    /// The name of the checking threads (as `ps -L` and debuggers show it).
    static let threadName = "parta-pwcheck"

    /// Everything the checking threads and the callers share, behind one lock.
    private struct State {
        var queue: [Job] = []
        var workers = 0
        /// Jobs a worker has taken and not finished.
        var active = 0
        var run = 0, refusedCount = 0
        /// Checks waiting or running, per client.
        var perClient: [String: Int] = [:]

        /// One of `client`'s checks ended.
        mutating func finished(_ client: String) {
            let left = perClient[client, default: 1] - 1
            perClient[client] = left > 0 ? left : nil
        }
    }
    private let state = Mutex(State())

    /// One check at a time on a machine of up to 3 cores, two from 4 cores; 8 waiting, for 2 s;
    /// two per client address.
    public init(concurrency: Int = max(1, min(2, ProcessInfo.processInfo.activeProcessorCount / 2)),
                queueLimit: Int = 8, maxWait: TimeInterval = 2, perClientLimit: Int = 2) {
        self.concurrency = max(1, concurrency)
        self.queueLimit = max(0, queueLimit)
        self.maxWait = maxWait
        self.perClientLimit = max(1, perClientLimit)
    }

    /// Checks run so far.
    public var checksRun: Int { state.withLock { $0.run } }
    /// Checks refused so far (queue full, or waited too long).
    public var refused: Int { state.withLock { $0.refusedCount } }
    /// Checks waiting for a thread now.
    var waiting: Int { state.withLock { $0.queue.count } }

    /// Runs `work` for `client` (its address) on a checking thread and returns its result, or nil
    /// if it was refused.
    public func run(client: String, _ work: @escaping @Sendable () -> Bool) async -> Bool? {
        await withCheckedContinuation { continuation in
            submit(client: client, work) { continuation.resume(returning: $0) }
        }
    }

    /// As ``run(client:_:)``, blocking the calling thread (for callers outside Swift concurrency).
    public func runBlocking(client: String, _ work: @escaping @Sendable () -> Bool) -> Bool? {
        final class Box: Sendable { let value = Mutex<Bool?>(nil) }
        let box = Box(), done = DispatchSemaphore(value: 0)
        submit(client: client, work) { result in box.value.withLock { $0 = result }; done.signal() }
        done.wait()
        return box.value.withLock { $0 }
    }

    private func submit(client: String, _ work: @escaping @Sendable () -> Bool, done: @escaping @Sendable (Bool?) -> Void) {
        let (queueLimit, concurrency, perClientLimit) = (self.queueLimit, self.concurrency, self.perClientLimit)
        let (accepted, startWorker): (Bool, Bool) = state.withLock { state in
            // In all: those running, and those waiting (a worker about to start takes one of them).
            guard state.queue.count + state.active < queueLimit + concurrency, state.perClient[client, default: 0] < perClientLimit else {
                state.refusedCount += 1
                return (false, false)
            }
            state.perClient[client, default: 0] += 1
            state.queue.append(Job(client: client, enqueued: DispatchTime.now().uptimeNanoseconds, work: work, done: done))
            guard state.workers < concurrency else { return (true, false) }
            state.workers += 1
            return (true, true)
        }
        guard accepted else { return done(nil) }
        if startWorker {
            let thread = Thread { [self] in drain() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// A worker: takes jobs until none is left, then ends.
    private func drain() {
        #if canImport(Glibc)
        // Linux names threads, and keeps nice values, per thread; 0 names the calling one.
        let comm = open("/proc/thread-self/comm", O_WRONLY)
        if comm >= 0 {
            _ = PasswordChecks.threadName.withCString { write(comm, $0, strlen($0)) }
            close(comm)
        }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
        while true {
            let next: Job? = state.withLock { state in
                guard !state.queue.isEmpty else {
                    state.workers -= 1
                    return nil
                }
                state.active += 1
                return state.queue.removeFirst()
            }
            guard let job = next else { return }
            if Double(DispatchTime.now().uptimeNanoseconds - job.enqueued) / 1e9 > maxWait {
                state.withLock { $0.refusedCount += 1; $0.active -= 1; $0.finished(job.client) }
                job.done(nil)
                continue
            }
            let result = job.work()
            state.withLock { $0.run += 1; $0.active -= 1; $0.finished(job.client) }
            job.done(result)
        }
    }
}
