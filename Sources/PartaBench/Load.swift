import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PartaCore
import PartaStore
import PartaBundle
import PartaApp
import PartaHTTP

/// 7. A district's morning sync: every school POSTs its bundle to `/v1/sync` at once, on loopback,
/// to one hub running as its own process (`parta hub serve`), and applies the hub's answer. Beside
/// it, in the same run, the same bundles applied and answered in-process (``SyncService``, no
/// HTTP) by a child process working on an identical copy of the hub.
///
/// The client is URLSession (as `parta sync`), one session with `httpMaximumConnectionsPerHost`
/// raised to the number of schools, so every school has its own connection; a sampler counts the
/// hub's established connections in /proc/net/tcp to show it. Latency is from a request's
/// `resume()` to its completion handler. The schools apply their answers after the last answer
/// has arrived (timed apart): on this 2-core machine the hub and 500 clients share the CPU, and
/// the row is about the hub.
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
        let url = URL(string: "http://127.0.0.1:\(hub.port)/v1/sync")!
        let run = try LoadClient.post(district.schools.map(\.bundle), to: url, hubPort: hub.port)
        let cpuSeconds = processCPUSeconds(hub.pid) - cpuBefore
        let peakKB = procStatusKB("VmHWM", pid: hub.pid) ?? 0
        let endKB = procStatusKB("VmRSS", pid: hub.pid) ?? 0
        let hubLog = hub.stop()
        let failed = run.results.enumerated().filter { $0.element.status != 200 }
        if let (i, first) = failed.first {
            throw BenchFailure("7: \(failed.count) of \(n) syncs failed; \(district.schools[i].id): status \(first.status) \(first.error ?? String(decoding: first.body.prefix(300), as: UTF8.self))")
        }
        let latencies = run.results.map { Double($0.end - $0.start) / 1e6 }
        let wallS = Double(run.results.map(\.end).max()! - run.results.map(\.start).min()!) / 1e9
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
                let report = try node.replica.apply(ChangeSetReader(bytes: [UInt8](result.body)), now: wallMilliseconds())
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
            "load_http_connections_max": run.maxConnections,
            "load_http_client_resume_ms": rounded(run.resumeMs, 1),
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
              parta: "\(fixed(Double(n) / wallS, 0)) syncs/s, all in \(fixed(wallS, 2)) s; p50 \(fixed(p50, 0)) ms, p99 \(fixed(p99, 0)) ms; hub peak \(fixed(Double(peakKB) / 1024, 0)) MB; \(run.maxConnections) connections",
              reference: "in-process apply + answer: \(fixed(Double(n) / inWallS, 0)) syncs/s, \(fixed(inWallS, 2)) s; per sync p50 \(fixed(inP50, 1)) ms, p99 \(fixed(inP99, 1)) ms",
              goal: "\(n) in < 60 s, p99 < 2 s", met: met)
        log("7: HTTP \(fixed(wallS, 2)) s for \(n) (\(fixed(Double(n) / wallS, 0))/s), p50 \(fixed(p50, 0)) ms, p99 \(fixed(p99, 0)) ms, hub peak \(fixed(Double(peakKB) / 1024, 1)) MB, \(run.maxConnections) connections; in-process \(fixed(inWallS, 2)) s")
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]
    }

    // MARK: Children

    /// `load-in-process-child HUBDIR BUNDLEDIR`: opens the hub as `parta hub serve` does and runs
    /// ``SyncService/sync(_:now:language:)`` on every bundle in the folder, one after another.
    static func inProcessChild(_ args: [String]) -> Int32 {
        guard args.count == 2 else {
            log("usage: parta-bench load-in-process-child HUBDIR BUNDLEDIR")
            return 2
        }
        do {
            let node = try PartaNode.open(directory: args[0])
            let service = try SyncService(node: node)
            let names = try FileManager.default.contentsOfDirectory(atPath: args[1]).filter { $0.hasSuffix(".parta") }.sorted()
            let bundles = try names.map { try BundleFiles.read((args[1] as NSString).appendingPathComponent($0)) }
            var times: [Double] = []
            var ok = 0, applied = 0
            let start = monotonicNanos()
            for bundle in bundles {
                let (answer, ms) = timed { service.sync(bundle, now: wallMilliseconds(), language: .en) }
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
    static func serveChild(_ args: [String]) -> Int32 {
        guard args.count == 1 else {
            log("usage: parta-bench serve-child HUBDIR")
            return 2
        }
        do {
            let service = try SyncService(node: try PartaNode.open(directory: args[0]))
            let server = SyncServer(service: service, host: "127.0.0.1", port: 0)
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var failure: Error?
            Task {
                do {
                    try await server.run(clock: { wallMilliseconds() }) { bound in
                        print("Serving on http://127.0.0.1:\(bound)/")
                        fflush(stdout)
                    }
                } catch {
                    failure = error
                }
                done.signal()
            }
            done.wait()
            if let failure { log("serve-child: \(failure)"); return 1 }
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
    static func start(dataDirectory: String, log logPath: String) throws -> HubProcess {
        let me = selfExecutablePath()
        let parta = ((me as NSString).deletingLastPathComponent as NSString).appendingPathComponent("parta")
        func modified(_ path: String) -> Date? { (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date }
        let process = Process()
        let label: String
        if FileManager.default.isExecutableFile(atPath: parta), let a = modified(parta), let b = modified(me), a >= b.addingTimeInterval(-600) {
            process.executableURL = URL(fileURLWithPath: parta)
            process.arguments = ["hub", "serve", "--listen", "127.0.0.1:0", "--data", dataDirectory]
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
        var seen = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: #"127\.0\.0\.1:(\d+)/"#, options: .regularExpression),
               let port = Int(seen[range].dropFirst("127.0.0.1:".count).dropLast()) {
                return HubProcess(process: process, port: port, label: label, logPath: logPath)
            }
        }
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

/// Many concurrent POSTs through one URLSession, each on its own connection.
enum LoadClient {
    struct Result {
        var status = 0
        var body = Data()
        var error: String?
        var start: UInt64 = 0
        var end: UInt64 = 0
    }

    struct Run {
        var results: [Result]
        var maxConnections: Int
        /// How long the loop that resumes every task took.
        var resumeMs: Double
    }

    static func post(_ bodies: [[UInt8]], to url: URL, hubPort: Int) throws -> Run {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = bodies.count
        configuration.timeoutIntervalForRequest = 300
        configuration.timeoutIntervalForResource = 600
        configuration.urlCache = nil
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: nil, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }

        let results = ResultBox(count: bodies.count)
        let group = DispatchGroup()
        var tasks: [URLSessionDataTask] = []
        for (i, body) in bodies.enumerated() {
            var request = URLRequest(url: url, timeoutInterval: 300)
            request.httpMethod = "POST"
            request.setValue("application/vnd.parta.bundle", forHTTPHeaderField: "Content-Type")
            request.setValue("en", forHTTPHeaderField: "Accept-Language")
            request.httpBody = Data(body)
            group.enter()
            tasks.append(session.dataTask(with: request) { data, response, error in
                let end = monotonicNanos()
                results.update(i) {
                    $0.end = end
                    $0.status = (response as? HTTPURLResponse)?.statusCode ?? 0
                    $0.body = data ?? Data()
                    $0.error = error.map { "\($0)" }
                }
                group.leave()
            })
        }
        let sampler = ConnectionSampler(port: hubPort)
        sampler.start()
        let resumeStart = monotonicNanos()
        for (i, task) in tasks.enumerated() {
            let start = monotonicNanos()
            results.update(i) { $0.start = start }
            task.resume()
        }
        let resumeMs = Double(monotonicNanos() - resumeStart) / 1e6
        guard group.wait(timeout: .now() + 600) == .success else { throw BenchFailure("7: the syncs did not finish in 10 minutes") }
        let maxConnections = sampler.stop()
        return Run(results: results.all, maxConnections: maxConnections, resumeMs: resumeMs)
    }

    /// The results, written from the session's queue and read once every request has finished.
    final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Result]
        init(count: Int) { items = [Result](repeating: Result(), count: count) }
        func update(_ i: Int, _ body: (inout Result) -> Void) { lock.lock(); body(&items[i]); lock.unlock() }
        var all: [Result] { lock.lock(); defer { lock.unlock() }; return items }
    }
}

/// Counts, every 10 ms, the established TCP connections whose local port is the hub's (the
/// hub's side of each connection, in /proc/net/tcp), and keeps the largest count.
final class ConnectionSampler {
    let port: Int
    private let lock = NSLock()
    private var running = true
    private var maximum = 0
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    init(port: Int) { self.port = port }

    func start() {
        let needle = String(format: ":%04X", port)
        let thread = Thread { [self] in
            while true {
                lock.lock(); let go = running; lock.unlock()
                if !go { break }
                var count = 0
                if let text = try? String(contentsOfFile: "/proc/net/tcp", encoding: .ascii) {
                    for line in text.split(separator: "\n").dropFirst() {
                        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                        if fields.count > 3, fields[1].hasSuffix(needle), fields[3] == "01" { count += 1 }
                    }
                }
                lock.lock(); maximum = max(maximum, count); lock.unlock()
                usleep(10_000)
            }
            finished.signal()
        }
        self.thread = thread
        thread.start()
    }

    /// Stops sampling and returns the largest count seen.
    func stop() -> Int {
        lock.lock(); running = false; lock.unlock()
        finished.wait()
        lock.lock(); defer { lock.unlock() }
        return maximum
    }
}

// MARK: - Another process's memory and CPU

/// A field of /proc/PID/status in kB (VmRSS, VmHWM, …), or nil if unavailable.
func procStatusKB(_ key: String, pid: Int32) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
        return Int(line.dropFirst(key.count + 1).filter { $0.isNumber })
    }
    return nil
}

/// User plus system CPU time of a process so far, in seconds (/proc/PID/stat).
func processCPUSeconds(_ pid: Int32) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = text.lastIndex(of: ")") else { return 0 }
    let fields = text[text.index(after: close)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}
