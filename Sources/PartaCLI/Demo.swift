import Foundation
import Synchronization
import ArgumentParser
import PartaApp
import PartaHTTP
import PartaCore
import PartaDashboard
import Logging

struct Demo: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("Show the whole story: a hub and five schools exchanging over HTTP and by USB stick, the region above, and the dashboard.",
                                         "Показать всю историю: отдел образования и пять школ обмениваются по HTTP и через флешку, над ними — регион, в конце — веб-панель."))
    }
    @Option(help: ArgumentHelp(T("Keep the demo's data in this folder (default: a temporary folder, removed at the end).",
                                 "Сохранить данные демонстрации в этой папке (по умолчанию — временная папка, удаляется в конце)."), valueName: "DIR"))
    var keep: String?
    @Flag(help: ArgumentHelp(T("Do not serve the dashboard at the end; just tell the story.", "Не запускать веб-панель в конце, только рассказать историю.")))
    var noServe = false
    @Option(name: .customLong("listen"), help: ArgumentHelp(T("Where the dashboard listens (port 0: any free port, the default, on 127.0.0.1).",
                                                              "Адрес веб-панели (порт 0 — любой свободный; по умолчанию 127.0.0.1:0)."), valueName: "HOST:PORT"))
    var listenOption: String?
    var listen: String { listenOption ?? "127.0.0.1:0" }
    @OptionGroup var proxy: ProxyOptions

    func validate() throws { try checkListenHost(listen) }

    func run() async throws {
        let directory = keep ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("parta-demo-\(UUID().uuidString.prefix(8))")
        if FileManager.default.fileExists(atPath: directory), let keep,
           !(try FileManager.default.contentsOfDirectory(atPath: keep)).isEmpty {
            throw ValidationError(T("\(keep) is not empty; give an empty or new folder.", "Папка \(keep) не пуста; укажите пустую или новую папку."))
        }
        let (host, port) = try parseListen(listen)
        try checkPortFree(host: host, port: port)   // before the story, not halfway through it
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let network = DemoNetwork(host: host, port: port, proxy: try proxy.trust())
        do {
            try await tell(in: directory, network: network)
        } catch {
            await network.stop()
            throw error
        }
        await network.stop()
    }

    private func tell(in directory: String, network: DemoNetwork) async throws {
        // The story's SQLite work and the sync client's waits block their thread: they run on a
        // queue of their own, so the server's handlers always find a thread of the cooperative pool.
        let result = try await withTaskExecutorPreference(BlockingWorkExecutor(label: "parta.demo.story")) {
            try await PartaDemo.run(in: directory, language: language, network: network.sync) { print($0) }
        }
        if let keep {
            print(T("\nThe demo's data is in \(keep): try `parta tasks --data \(keep)/shapkino` or `parta hub report --data \(keep)/hub`.",
                    "\nДанные демонстрации — в \(keep): попробуйте `parta tasks --data \(keep)/shapkino` или `parta hub report --data \(keep)/hub`."))
        }
        if !result.replicasAgree || !result.revokedNodeRefused || !result.regionAgrees { throw ExitCode(4) }
        guard !noServe, let shared = network.shared, let url = network.url else { return }
        // A staff account for the visitor, with a password made for this run.
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        let password = String((0..<10).map { _ in alphabet.randomElement()! })
        try await shared.withNode { try StaffAccounts(node: $0).add(name: "demo", role: .editor, password: password, replace: true, now: result.endedAt) }
        network.clock.now = result.endedAt
        print("\n" + T("== The municipality's dashboard", "== Веб-панель отдела образования"))
        let address = network.proxy.publicOrigin.map { $0 + "/" } ?? url.absoluteString
        print(T("Open \(address) and sign in as demo / \(password) (an editor). Ctrl-C stops the demo.",
                "Откройте \(address) и войдите как demo / \(password) (редактор). Ctrl-C — завершить демонстрацию."))
        StandardOutput.flush()
        await network.waitUntilStopped()
    }
}

/// The demo's network: the hub served by the real HTTP server (sync API and dashboard) on
/// 127.0.0.1, started at the first sync and kept for the dashboard at the end, and the schools'
/// real client. Used by the story's task alone.
final class DemoNetwork {
    /// The demo's simulated time, read by the server's tasks.
    final class Clock: Sendable {
        private let value = Atomic<UInt64>(0)
        var now: UInt64 {
            get { value.load(ordering: .relaxed) }
            set { value.store(newValue, ordering: .relaxed) }
        }
    }
    let host: String
    let requestedPort: Int
    let proxy: ProxyTrust
    let clock = Clock()
    private(set) var shared: SharedNode?
    private(set) var url: URL?
    /// The server, running until it is cancelled or told to stop (Ctrl-C, SIGTERM).
    private var server: Task<Void, Error>?

    init(host: String, port: Int, proxy: ProxyTrust = .none) {
        self.host = host
        requestedPort = port
        self.proxy = proxy
    }

    func sync(hub: HubNode, school: SchoolNode, now: UInt64) async throws -> String {
        clock.now = now
        let url = try await start(hub)
        let outcome = try SyncClient(node: school, attempts: 2).sync(with: url, now: now, language: language)
        return T("\(school.school) ↔ \(url.absoluteString)v1/sync: sent \(outcome.sent) changes (\(outcome.bytesSent) B), received \(outcome.received.applied) (\(outcome.bytesReceived) B).",
                 "\(school.school) ↔ \(url.absoluteString)v1/sync: отправлено изменений — \(outcome.sent) (\(outcome.bytesSent) Б), получено — \(outcome.received.applied) (\(outcome.bytesReceived) Б).")
    }

    private func start(_ hub: HubNode) async throws -> URL {
        if let url { return url }
        // The server gets an instance of its own on the hub's folder, as `parta hub serve` beside
        // the clerk's commands would (replication-v1 §10a): the demo goes on using `hub`.
        let shared = SharedNode(try PartaNode.openHub(directory: hub.dataDirectory))
        let clock = self.clock
        var server = SyncServer(service: try SyncService(shared: shared), host: host, port: requestedPort,
                                logger: Logger(label: "parta.demo", factory: { _ in SwiftLogNoOpLogHandler() }))
        server.proxy = proxy
        server.dashboard = try Dashboard(shared: shared, clock: { clock.now }, proxy: proxy)
        let (bound, port) = AsyncStream.makeStream(of: Int.self)
        let serving = server
        let task = Task(executorPreference: globalConcurrentExecutor) {
            defer { port.finish() }
            try await serving.run(clock: { clock.now }) { port.yield($0) }
        }
        self.server = task
        var ports = bound.makeAsyncIterator()
        let listening = await ports.next()
        // The server ended before it listened: say why.
        if listening == nil, case .failure(let failure) = await task.result, let inUse = failure as? AddressInUse { throw portInUse(inUse) }
        guard let listening, listening > 0, let url = URL(string: "http://\(host):\(listening)/") else {
            throw PartaError(.offline, Message(en: "The demo's HTTP server did not start on \(host):\(requestedPort).",
                                               ru: "HTTP-сервер демонстрации не запустился на \(host):\(requestedPort)."))
        }
        self.shared = shared
        self.url = url
        return url
    }

    /// Waits until the server stops (Ctrl-C or SIGTERM).
    func waitUntilStopped() async {
        _ = await server?.result
    }

    func stop() async {
        guard let server else { return }
        server.cancel()
        _ = await server.result
        self.server = nil
    }
}
