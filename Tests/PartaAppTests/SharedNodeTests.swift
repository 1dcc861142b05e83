import Testing
import Foundation
import Synchronization
import PartaTesting
@testable import PartaApp

/// The hub's node and the threads of Swift concurrency (issue 18, step 4): the server's handlers
/// wait for the node suspended, not holding a thread.
@Suite struct SharedNodeTests {
    /// One body holds the node until this test lets it go; meanwhile callers wait for the node.
    /// The test and its callers all run on one thread of their own (a one-thread executor, so that
    /// other tests busy on the cooperative pool change nothing). Were the callers to wait on that
    /// thread, the test could never let the body go, and the body would give up after 30 s.
    @Test func callersWaitingForABusyNodeHoldNoThread() async throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let shared = SharedNode(try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: 1_600_000_000_000))
        let lane = BlockingWorkExecutor(label: "parta.tests.one-thread")
        let holding = Atomic(false)
        let letGo = DispatchSemaphore(value: 0)
        let busy = Task(executorPreference: lane) {
            await shared.withNode { _ in
                holding.store(true, ordering: .sequentiallyConsistent)
                return letGo.wait(timeout: .now() + 30) == .success
            }
        }
        try await withTaskExecutorPreference(lane) {
            while !holding.load(ordering: .sequentiallyConsistent) { try await Task.sleep(for: .milliseconds(2)) }
            let waiting = (0..<4).map { _ in Task(executorPreference: lane) { await shared.withNode { $0.replica.nodeID } } }
            try await Task.sleep(for: .milliseconds(200))   // time for the callers to take the thread, were they to
            letGo.signal()
            #expect(await busy.value, "the node's body waited 30 s for the test's thread: a caller waiting for the node held it")
            for caller in waiting { #expect(await !caller.value.isEmpty) }
        }
    }

    /// Callers outside Swift concurrency take the same lock, on their own thread.
    @Test func aBlockingCallerAndAnAsyncOneNeverOverlap() async throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let shared = SharedNode(try PartaNode.createHub(directory: dir.file("hub"), name: "Hub", now: 1_600_000_000_000))
        let inside = Atomic(0), overlapped = Atomic(false)
        @Sendable func enter() {
            if inside.add(1, ordering: .sequentiallyConsistent).newValue > 1 { overlapped.store(true, ordering: .sequentiallyConsistent) }
            usleep(1_000)
            inside.subtract(1, ordering: .sequentiallyConsistent)
        }
        let blocking = Thread { for _ in 0..<50 { shared.withNodeBlocking { _ in enter() } } }
        blocking.start()
        for _ in 0..<50 { await shared.withNode { _ in enter() } }
        while !blocking.isFinished { try await Task.sleep(for: .milliseconds(5)) }
        let sawOverlap = overlapped.load(ordering: .sequentiallyConsistent)
        #expect(!sawOverlap)
    }
}
