import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PartaCore
import PartaStore
import PartaBundle
import PartaApp
import PartaHTTP
import PartaTesting

/// 7. A district's morning sync: every school POSTs its bundle to `/v1/sync` at once, on loopback,
/// to one hub running as its own process (`parta hub serve`), and applies the hub's answer. Beside
/// it, in the same run, the same bundles applied and answered in-process (``SyncService``, no
/// HTTP) by a child process working on an identical copy of the hub.
///
/// Each school is a thread with its own connection (``LoadClient``), all released at once; a
/// sampler counts the connections the hub holds open (its file descriptors) to show they are
/// open together. A sync's latency runs from its thread's release (before `connect`) to the last byte of
/// the answer; the wall time from the release to the last answer. The schools apply their answers
/// after the last one has arrived (timed apart): on this 2-core machine the hub and the 500
/// clients share the CPU, and the row is about the hub.
enum LoadBench {
    static func run(_ c: BenchConfig, _ r: Results) throws {
        let n = c.loadSchools
        log("7: \(n) schools syncing at once with one hub over HTTP (loopback); setting up \(n) enrolled school computers")
        let root = try TempRoot("parta-bench-load")
        defer { root.remove() }
        let (district, setupMs) = try timed { try LoadDistrict(root: root, schools: n) }
        r.merge(district.info)
        r["load_schools"] = n
        r["load_setup_s"] = rounded(setupMs / 1000, 1)
        let inProcessHub = try district.copyOfHub("hub-in-process")

        // Over HTTP.
        let hub = try HubProcess.start(dataDirectory: district.hubDirectory, log: root.file("hub.log"))
        defer { hub.stop() }
        let idleKB = procStatusKB("VmRSS", pid: hub.pid) ?? 0
        let cpuBefore = processCPUSeconds(hub.pid)
        log("7: hub (\(hub.label), pid \(hub.pid)) listening on port \(hub.port), \(fixed(Double(idleKB) / 1024, 1)) MB; \(n) POSTs at once")
        let run = try LoadClient.post(district.schools.map(\.bundle), port: hub.port, hubPID: hub.pid)
        let cpuSeconds = processCPUSeconds(hub.pid) - cpuBefore
        let peakKB = procStatusKB("VmHWM", pid: hub.pid) ?? 0
        let endKB = procStatusKB("VmRSS", pid: hub.pid) ?? 0
        let hubLog = hub.stop()
        let failed = run.results.enumerated().filter { $0.element.status != 200 }
        if let (i, first) = failed.first {
            throw BenchFailure("7: \(failed.count) of \(n) syncs failed; \(district.schools[i].id): status \(first.status) \(first.error ?? String(decoding: first.body.prefix(300), as: UTF8.self))")
        }
        let latencies = run.results.map { Double($0.end - $0.start) / 1e6 }
        let wallS = Double(run.results.map(\.end).max()! - run.released) / 1e9
        let releaseSpreadMs = Double(run.results.map(\.start).max()! - run.released) / 1e6
        let connectMs = run.results.map { Double($0.connected - $0.start) / 1e6 }
        let logged = HubLog(hubLog)
        try require(logged.syncs == n, "7: the hub logged \(logged.syncs) syncs with status 200, expected \(n)")
        try require(logged.applied == district.schools.map(\.changes).reduce(0, +),
                    "7: the hub applied \(logged.applied) changes, the schools sent \(district.schools.map(\.changes).reduce(0, +))")

        // The schools take in their answers (each a sealed bundle for its school).
        log("7: \(n) schools apply the hub's answers")
        let (received, applyMs) = try timed { () throws -> Int in
            var total = 0
            for (s, result) in zip(district.schools, run.results) {
                let node = try PartaNode.open(directory: s.directory)
                let report = try node.replica.apply(ChangeSetReader(bytes: result.body), now: wallMilliseconds())
                node.replica.database.close()
                try require(report.applied >= 2, "7: \(s.id) took \(report.applied) changes from the hub's answer, expected the moved deadline (2)")
                total += report.applied
            }
            return total
        }

        // The same work in-process, in a child on an identical copy of the hub.
        log("7: the same \(n) bundles applied and answered in-process (SyncService, no HTTP), in a child process")
        let child = try ImportMemory.runChild(["load-in-process-child", inProcessHub, district.bundleDirectory])
        let inTimes = (child["times_ms"] as? [Double]) ?? []
        let inWallS = child["wall_s"] as? Double ?? 0
        try require(inTimes.count == n && (child["ok"] as? Int) == n, "7: the in-process child answered \(child["ok"] ?? "nil") of \(n)")
        try require((child["applied"] as? Int) == logged.applied, "7: in-process applied \(child["applied"] ?? "nil"), over HTTP \(logged.applied)")

        let p50 = percentile(latencies, 0.50), p99 = percentile(latencies, 0.99)
        let inP50 = percentile(inTimes, 0.50), inP99 = percentile(inTimes, 0.99)
        let met = wallS < 60 && p99 < 2000
        let answerBytes = run.results.map(\.body.count).reduce(0, +)
        r.merge([
            "load_hub_process": hub.label,
            "load_http_wall_s": rounded(wallS, 2),
            "load_http_syncs_per_s": rounded(Double(n) / wallS, 1),
            "load_http_p50_ms": rounded(p50, 1), "load_http_p90_ms": rounded(percentile(latencies, 0.90), 1),
            "load_http_p99_ms": rounded(p99, 1), "load_http_max_ms": rounded(latencies.max() ?? 0, 1),
            "load_http_min_ms": rounded(latencies.min() ?? 0, 1),
            "load_http_connections_max": run.maxEstablished,
            "load_hub_connections_max": run.maxHeld,
            "load_http_connections": run.connections,
            "load_http_release_spread_ms": rounded(releaseSpreadMs, 1),
            "load_http_connect_p50_ms": rounded(percentile(connectMs, 0.5), 1), "load_http_connect_p99_ms": rounded(percentile(connectMs, 0.99), 1),
            "load_http_connect_max_ms": rounded(connectMs.max() ?? 0, 1),
            "load_http_latency_deciles_ms": (1...10).map { rounded(percentile(latencies, Double($0) / 10), 0) },
            "load_hub_service_ms_mean": rounded(logged.msTotal / Double(max(1, logged.syncs)), 2),
            "load_hub_peak_rss_mb": rounded(Double(peakKB) / 1024, 1),
            "load_hub_idle_rss_mb": rounded(Double(idleKB) / 1024, 1),
            "load_hub_end_rss_mb": rounded(Double(endKB) / 1024, 1),
            "load_hub_cpu_s": rounded(cpuSeconds, 2),
            "load_answer_bytes_mean": rounded(Double(answerBytes) / Double(n), 0),
            "load_changes_applied": logged.applied,
            "load_schools_apply_answers_s": rounded(applyMs / 1000, 2),
            "load_schools_changes_received": received,
            "load_in_process_wall_s": rounded(inWallS, 2),
            "load_in_process_syncs_per_s": rounded(Double(n) / inWallS, 1),
            "load_in_process_p50_ms": rounded(inP50, 2), "load_in_process_p99_ms": rounded(inP99, 2),
            "load_in_process_peak_rss_mb": rounded(Double(child["vmhwm_kb"] as? Int ?? 0) / 1024, 1),
            "load_http_vs_in_process_wall_ratio": rounded(wallS / inWallS, 2),
            "load_goal_met": met,
        ])
        r.add("7. \(n) schools sync at once over HTTP (\(hub.label))",
              parta: "\(fixed(Double(n) / wallS, 0)) syncs/s, all in \(fixed(wallS, 2)) s; p50 \(fixed(p50, 0)) ms, p99 \(fixed(p99, 0)) ms; hub peak \(fixed(Double(peakKB) / 1024, 0)) MB; up to \(run.maxEstablished) connections at once",
              reference: "in-process apply + answer: \(fixed(Double(n) / inWallS, 0)) syncs/s, \(fixed(inWallS, 2)) s; per sync p50 \(fixed(inP50, 1)) ms, p99 \(fixed(inP99, 1)) ms",
              goal: "\(n) in < 60 s, p99 < 2 s", met: met)
        log("7: HTTP \(fixed(wallS, 2)) s for \(n) (\(fixed(Double(n) / wallS, 0))/s), p50 \(fixed(p50, 0)) ms, p99 \(fixed(p99, 0)) ms, hub peak \(fixed(Double(peakKB) / 1024, 1)) MB, \(run.connections) connections, up to \(run.maxEstablished) at once (\(run.maxHeld) accepted); in-process \(fixed(inWallS, 2)) s")
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
    }

    // MARK: Children

    /// `load-in-process-child HUBDIR BUNDLEDIR`: opens the hub as `parta hub serve` does and runs
    /// ``SyncService/sync(_:now:language:)`` on every bundle in the folder, one after another.
    static func inProcessChild(_ args: [String]) async -> Int32 {
        guard args.count == 2 else {
            log("usage: parta-bench load-in-process-child HUBDIR BUNDLEDIR")
            return 2
        }
        do {
            let node = try PartaNode.openHub(directory: args[0])
            let service = try SyncService(node: node)
            let names = try FileManager.default.contentsOfDirectory(atPath: args[1]).filter { $0.hasSuffix(".parta") }.sorted()
            let bundles = try names.map { try BundleFiles.read((args[1] as NSString).appendingPathComponent($0)) }
            var times: [Double] = []
            var ok = 0, applied = 0
            let start = monotonicNanos()
            for bundle in bundles {
                let (answer, ms) = await timed { await service.sync(bundle, now: wallMilliseconds(), language: .en) }
                times.append(ms)
                if answer.status == 200 { ok += 1 } else { log("load-in-process-child: \(answer.status) \(String(decoding: answer.body, as: UTF8.self))") }
                applied += answer.changesApplied
            }
            let wall = Double(monotonicNanos() - start) / 1e9
            ImportMemory.printJSON(["times_ms": times, "wall_s": wall, "ok": ok, "applied": applied, "vmhwm_kb": procStatusKB("VmHWM") ?? 0])
            return 0
        } catch {
            log("load-in-process-child failed: \(error)")
            return 1
        }
    }

    /// `serve-child HUBDIR`: the hub's server as `parta hub serve --listen 127.0.0.1:0` runs it (the
    /// same ``SyncService`` and ``SyncServer``), for a build that has no `parta` beside this binary.
    static func serveChild(_ args: [String]) async -> Int32 {
        guard args.count == 1 else {
            log("usage: parta-bench serve-child HUBDIR")
            return 2
        }
        do {
            let service = try SyncService(node: try PartaNode.openHub(directory: args[0]))
            let server = SyncServer(service: service, host: "127.0.0.1", port: 0)
            try await server.run(clock: { wallMilliseconds() }) { bound in
                print("Serving on http://127.0.0.1:\(bound)/")
                fflush(nil)
            }
            return 0
        } catch {
            log("serve-child failed: \(error)")
            return 1
        }
    }
}

// MARK: - The hub's process

/// `parta hub serve` on a free loopback port, its log in a file (a pipe left unread would fill
/// and stall the server after a few hundred log lines).
final class HubProcess {
    let process: Process
    let port: Int
    let label: String
    let logPath: String
    private var stopped = false

    var pid: Int32 { process.processIdentifier }

    private init(process: Process, port: Int, label: String, logPath: String) {
        self.process = process
        self.port = port
        self.label = label
        self.logPath = logPath
    }

    /// The real `parta` beside this binary if it was built with it (not older than this binary);
    /// otherwise this binary's `serve-child`, which runs the same server code.
    /// `extraArguments` go to `parta hub serve` (not to `serve-child`).
    static func start(dataDirectory: String, log logPath: String, extraArguments: [String] = []) throws -> HubProcess {
        let me = selfExecutablePath()
        let parta = ((me as NSString).deletingLastPathComponent as NSString).appendingPathComponent("parta")
        func modified(_ path: String) -> Date? { (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date }
        let process = Process()
        let label: String
        if FileManager.default.isExecutableFile(atPath: parta), let a = modified(parta), let b = modified(me), a >= b.addingTimeInterval(-600) {
            process.executableURL = URL(fileURLWithPath: parta)
            process.arguments = ["hub", "serve", "--listen", "127.0.0.1:0", "--data", dataDirectory] + extraArguments
            label = "parta hub serve"
        } else {
            process.executableURL = URL(fileURLWithPath: me)
            process.arguments = ["serve-child", dataDirectory]
            label = "parta-bench serve-child"
        }
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = "en_US.UTF-8"
        env["PARTA_NOW"] = nil
        process.environment = env
        guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw BenchFailure("cannot create \(logPath)") }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        let (port, seen) = PartaBinary.listeningPort(of: process, output: output)
        if let port { return HubProcess(process: process, port: port, label: label, logPath: logPath) }
        if process.isRunning { process.terminate() }
        throw BenchFailure("the hub did not start: \(seen) \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
    }

    /// Stops the hub with SIGTERM (as systemd would) and returns its log.
    @discardableResult
    func stop() -> String {
        if !stopped {
            stopped = true
            if process.isRunning { process.terminate() }
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        return (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }
}

/// What the hub's log lines (`sync node=… status=200 in=…B out=…B applied=N ms=…`) add up to.
struct HubLog {
    var syncs = 0
    var applied = 0
    var msTotal = 0.0

    init(_ text: String) {
        for line in text.split(separator: "\n") where line.contains(" status=200 ") {
            syncs += 1
            for field in line.split(separator: " ") {
                if field.hasPrefix("applied="), let v = Int(field.dropFirst(8)) { applied += v }
                if field.hasPrefix("ms="), let v = Double(field.dropFirst(3)) { msTotal += v }
            }
        }
    }
}

// MARK: - The schools' side

/// Many schools POSTing at once: one thread and one TCP connection per school, all released
/// together, each connecting, sending its request (`Connection: close`) and reading the answer.
///
/// Not URLSession: measured first, one session (with `httpMaximumConnectionsPerHost` raised) took
/// about 1 ms per `resume()` on its single work queue, so 500 requests went out over half a second
/// and never more than two dozen connections were open at once: a test of the client, not of the
/// hub. A thread per school is what 500 computers are: each on its own, at once.
enum LoadClient {
    struct Result {
        var status = 0
        var body: [UInt8] = []
        var error: String?
        /// When this school's thread started its sync (after the common release), had its
        /// connection, and finished reading the answer.
        var start: UInt64 = 0
        var connected: UInt64 = 0
        var end: UInt64 = 0
    }

    struct Run {
        var results: [Result]
        /// When every thread was released.
        var released: UInt64
        /// The most connections the hub held open at once, and the most established (held, or
        /// waiting in the hub's listen queue), sampled every 5 ms.
        var maxHeld: Int
        var maxEstablished: Int
        /// Distinct connections to the hub seen (established or closing), counted after the run.
        var connections: Int
    }

    static func post(_ bodies: [[UInt8]], port: Int, hubPID: Int32) throws -> Run {
        let results = ResultBox(count: bodies.count)
        let gate = Gate()
        let ready = DispatchGroup(), done = DispatchGroup()
        for (i, body) in bodies.enumerated() {
            ready.enter()
            done.enter()
            let thread = Thread {
                gate.pass { ready.leave() }
                var r = Result()
                r.start = monotonicNanos()
                do {
                    (r.status, r.body) = try exchange(body, port: port) { r.connected = monotonicNanos() }
                } catch {
                    r.error = "\(error)"
                }
                r.end = monotonicNanos()
                results.set(i, r)
                done.leave()
            }
            thread.stackSize = 256 << 10
            thread.start()
        }
        ready.wait()
        let sampler = ConnectionSampler(pid: hubPID, port: port)
        sampler.start()
        let released = gate.open()
        guard done.wait(timeout: .now() + 600) == .success else { throw BenchFailure("7: the syncs did not finish in 10 minutes") }
        let (held, established) = sampler.stop()
        return Run(results: results.all, released: released, maxHeld: held, maxEstablished: established,
                   connections: ConnectionSampler.distinctConnections(port: port))
    }

    /// One HTTP/1.1 POST of `body` to 127.0.0.1:`port`/v1/sync; returns the status and the body.
    static func exchange(_ body: [UInt8], port: Int, connected onConnect: () -> Void) throws -> (Int, [UInt8]) {
        let fd = try connectLoopback(port: port)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 300, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        onConnect()
        let head = "POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/vnd.parta.bundle\r\n"
            + "Accept-Language: en\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let request = Array(head.utf8) + body
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw BenchFailure("write: \(String(cString: strerror(errno)))") }
            sent += n
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            guard n > 0 else { throw BenchFailure("read: \(String(cString: strerror(errno)))") }
            response += buffer[0..<n]
            if let (status, answer) = parse(response) { return (status, answer) }
        }
        guard let (status, answer) = parse(response, complete: true) else { throw BenchFailure("an incomplete HTTP answer (\(response.count) bytes)") }
        return (status, answer)
    }

    /// The status and body of an HTTP/1.1 response, once it is complete: by its Content-Length,
    /// or, without one, at the end of the connection (`complete`).
    static func parse(_ bytes: [UInt8], complete: Bool = false) -> (Int, [UInt8])? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headEnd = (0..<max(0, bytes.count - 3)).first(where: { bytes[$0..<$0 + 4].elementsEqual(separator) }) else { return nil }
        let head = String(decoding: bytes[0..<headEnd], as: UTF8.self).lowercased()
        let lines = head.components(separatedBy: "\r\n")
        guard let statusText = lines.first?.split(separator: " ").dropFirst().first, let status = Int(statusText) else { return nil }
        let bodyStart = headEnd + 4
        if let line = lines.first(where: { $0.hasPrefix("content-length:") }), let length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) {
            return bytes.count >= bodyStart + length ? (status, Array(bytes[bodyStart..<bodyStart + length])) : nil
        }
        return complete ? (status, Array(bytes[bodyStart...])) : nil
    }

    /// Where every school's thread waits until all are started.
    final class Gate: Sendable {
        private let condition = NSCondition()
        /// Read and written under `condition`'s lock; atomic so that the type is checked Sendable.
        private let isOpen = Atomic<Bool>(false)

        /// Calls `arrived` once waiting (under the gate's lock), then returns when the gate opens.
        func pass(arrived: () -> Void) {
            condition.lock()
            arrived()
            while !isOpen.load(ordering: .relaxed) { condition.wait() }
            condition.unlock()
        }

        /// Opens the gate for every thread and returns the moment it did.
        func open() -> UInt64 {
            condition.lock()
            defer { condition.unlock() }
            isOpen.store(true, ordering: .relaxed)
            condition.broadcast()
            return monotonicNanos()
        }
    }

    /// The results, written by each school's thread and read once every one has finished.
    final class ResultBox: Sendable {
        private let items: Mutex<[Result]>
        init(count: Int) { items = Mutex([Result](repeating: Result(), count: count)) }
        func set(_ i: Int, _ r: Result) { items.withLock { $0[i] = r } }
        var all: [Result] { items.withLock { $0 } }
    }
}

/// Samples, every 5 ms, the hub's open file descriptors beyond those it held when idle (each
/// accepted connection is one) and the connections established to its port (/proc/net/tcp, read
/// by its fixed columns: splitting a thousand lines into strings every few milliseconds took CPU
/// from the hub on this 2-core machine), and keeps the largest of each.
final class ConnectionSampler: Sendable {
    let pid: Int32
    private let baseline: Int
    let port: Int
    private struct State { var running = true, maximum = 0, maximumEstablished = 0 }
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)

    init(pid: Int32, port: Int) {
        self.pid = pid
        self.port = port
        baseline = ConnectionSampler.openFiles(pid)
    }

    /// Established connections to `port` as the kernel sees them (the hub's side, accepted by
    /// the hub or still waiting in its listen queue). /proc/net/tcp has fixed columns: local
    /// address at 6..<19 (`XXXXXXXX:PPPP`), remote at 20..<33, state at 34..<36 (`01` established).
    ///
    /// Counted by the client's port, once each: the kernel writes the file a page per read()
    /// while sockets come and go, so one reading may list a socket twice (a run of 500 schools
    /// showed 632 "at once").
    static func establishedConnections(port: Int, in bytes: [UInt8]) -> Int {
        let hex = Array(String(format: "%04X", port).utf8)
        var clients = Set<UInt16>()
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 10 { end += 1 }
            if end - start > 36, bytes[start + 15..<start + 19].elementsEqual(hex), bytes[start + 34] == 48, bytes[start + 35] == 49,
               let client = UInt16(String(decoding: bytes[start + 29..<start + 33], as: UTF8.self), radix: 16) {
                clients.insert(client)
            }
            start = end + 1
        }
        return clients.count
    }

    static func openFiles(_ pid: Int32) -> Int {
        guard let dir = opendir("/proc/\(pid)/fd") else { return 0 }
        defer { closedir(dir) }
        var count = 0
        while readdir(dir) != nil { count += 1 }
        return count
    }

    func start() {
        let thread = Thread { [self] in
            while state.withLock({ $0.running }) {
                let count = ConnectionSampler.openFiles(pid) - baseline
                let established = readProcBytes("/proc/net/tcp").map { ConnectionSampler.establishedConnections(port: port, in: $0) } ?? 0
                state.withLock { $0.maximum = max($0.maximum, count); $0.maximumEstablished = max($0.maximumEstablished, established) }
                usleep(5_000)
            }
            finished.signal()
        }
        thread.start()
    }

    /// Connections to or from `port` in /proc/net/tcp in any state but LISTEN, counted by their
    /// other end's port: after a run, the closed ones linger in TIME_WAIT for a minute, so this
    /// counts the connections the run used.
    static func distinctConnections(port: Int) -> Int {
        let needle = String(format: ":%04X", port)
        var peers: Set<Substring> = []
        guard let text = readProcFile("/proc/net/tcp") else { return 0 }
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 3, fields[3] != "0A" else { continue }
            if fields[1].hasSuffix(needle) { peers.insert(fields[2]) } else if fields[2].hasSuffix(needle) { peers.insert(fields[1]) }
        }
        return peers.count
    }

    /// Stops sampling and returns the largest counts seen: connections the hub held, and
    /// connections established (held or waiting to be accepted).
    func stop() -> (held: Int, established: Int) {
        state.withLock { $0.running = false }
        finished.wait()
        return state.withLock { ($0.maximum, $0.maximumEstablished) }
    }
}

// MARK: - Another process's memory and CPU

/// The whole of a /proc file. (`String(contentsOfFile:)` trusts the size /proc reports, and stops
/// after the first page of /proc/net/tcp: two dozen sockets.)
func readProcFile(_ path: String) -> String? {
    readProcBytes(path).map { String(decoding: $0, as: UTF8.self) }
}

func readProcBytes(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64 << 10)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return bytes
}

/// A field of /proc/PID/status in kB (VmRSS, VmHWM, …), or nil if unavailable.
func procStatusKB(_ key: String, pid: Int32) -> Int? {
    guard let text = readProcFile("/proc/\(pid)/status") else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
        return Int(line.dropFirst(key.count + 1).filter { $0.isNumber })
    }
    return nil
}

/// User plus system CPU time of a process so far, in seconds (/proc/PID/stat).
func processCPUSeconds(_ pid: Int32) -> Double {
    guard let text = readProcFile("/proc/\(pid)/stat"),
          let close = text.lastIndex(of: ")") else { return 0 }
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}
