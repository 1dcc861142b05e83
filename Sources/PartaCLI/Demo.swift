import Foundation
import Synchronization
import ArgumentParser
import PartaApp
import PartaHTTP
import PartaCore
import PartaDashboard
import Logging

struct Demo: ParsableCommand {
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

    func run() throws {
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
        defer { network.stop() }
        let result = try PartaDemo.run(in: directory, language: language, network: network.sync) { print($0) }
        if let keep {
            print(T("\nThe demo's data is in \(keep): try `parta tasks --data \(keep)/shapkino` or `parta hub report --data \(keep)/hub`.",
                    "\nДанные демонстрации — в \(keep): попробуйте `parta tasks --data \(keep)/shapkino` или `parta hub report --data \(keep)/hub`."))
        }
        if !result.replicasAgree || !result.revokedNodeRefused || !result.regionAgrees { throw ExitCode(4) }
        guard !noServe, let shared = network.shared, let url = network.url else { return }
        // A staff account for the visitor, with a password made for this run.
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        let password = String((0..<10).map { _ in alphabet.randomElement()! })
        try shared.withNode { try StaffAccounts(node: $0).add(name: "demo", role: .editor, password: password, replace: true, now: result.endedAt) }
        network.clock.now = result.endedAt
        print("\n" + T("== The municipality's dashboard", "== Веб-панель отдела образования"))
        let address = network.proxy.publicOrigin.map { $0 + "/" } ?? url.absoluteString
        print(T("Open \(address) and sign in as demo / \(password) (an editor). Ctrl-C stops the demo.",
                "Откройте \(address) и войдите как demo / \(password) (редактор). Ctrl-C — завершить демонстрацию."))
        StandardOutput.flush()
        network.waitUntilStopped()
    }
}

/// The demo's network: the hub served by the real HTTP server (sync API and dashboard) on
/// 127.0.0.1, started at the first sync and kept for the dashboard at the end, and the schools'
/// real client.
final class DemoNetwork {
    /// The demo's simulated time, read by the server's tasks.
    final class Clock: Sendable {
        private let value = Atomic<UInt64>(0)
        var now: UInt64 {
            get { value.load(ordering: .relaxed) }
            set { value.store(newValue, ordering: .relaxed) }
        }
    }
    /// What the server's task reports back: the port it bound, or why it stopped.
    private final class Start: Sendable {
        let port = Atomic<Int>(0)
        let failure = Mutex<Error?>(nil)
    }
    let host: String
    let requestedPort: Int
    let proxy: ProxyTrust
    let clock = Clock()
    private(set) var shared: SharedNode?
    private(set) var url: URL?
    private var task: Task<Void, Never>?
    private let stopped = DispatchSemaphore(value: 0)

    init(host: String, port: Int, proxy: ProxyTrust = .none) {
        self.host = host
        requestedPort = port
        self.proxy = proxy
    }

    func sync(hub: HubNode, school: SchoolNode, now: UInt64) throws -> String {
        clock.now = now
        let url = try start(hub)
        let outcome = try SyncClient(node: school, attempts: 2).sync(with: url, now: now, language: language)
        return T("\(school.school) ↔ \(url.absoluteString)v1/sync: sent \(outcome.sent) changes (\(outcome.bytesSent) B), received \(outcome.received.applied) (\(outcome.bytesReceived) B).",
                 "\(school.school) ↔ \(url.absoluteString)v1/sync: отправлено изменений — \(outcome.sent) (\(outcome.bytesSent) Б), получено — \(outcome.received.applied) (\(outcome.bytesReceived) Б).")
    }

    private func start(_ hub: HubNode) throws -> URL {
        if let url { return url }
        // The server gets an instance of its own on the hub's folder, as `parta hub serve` beside
        // the clerk's commands would (replication-v1 §10a): the demo goes on using `hub`.
        let shared = SharedNode(try PartaNode.openHub(directory: hub.dataDirectory))
        let clock = self.clock
        var server = SyncServer(service: try SyncService(shared: shared), host: host, port: requestedPort,
                                logger: Logger(label: "parta.demo", factory: { _ in SwiftLogNoOpLogHandler() }))
        server.proxy = proxy
        server.dashboard = try Dashboard(shared: shared, clock: { clock.now }, proxy: proxy)
        let listening = DispatchSemaphore(value: 0), stopped = self.stopped
        let start = Start()
        let finished = server
        task = Task {
            do {
                try await finished.run(clock: { clock.now }) { bound in
                    start.port.store(bound, ordering: .relaxed)
                    listening.signal()
                }
            } catch {
                start.failure.withLock { $0 = error }
            }
            listening.signal()
            stopped.signal()
        }
        let started = listening.wait(timeout: .now() + 30) == .success
        if let inUse = start.failure.withLock({ $0 }) as? AddressInUse { throw portInUse(inUse) }
        let port = start.port.load(ordering: .relaxed)
        guard started, port > 0, let url = URL(string: "http://\(host):\(port)/") else {
            throw PartaError(.offline, Message(en: "The demo's HTTP server did not start on \(host):\(requestedPort).",
                                               ru: "HTTP-сервер демонстрации не запустился на \(host):\(requestedPort)."))
        }
        self.shared = shared
        self.url = url
        return url
    }

    /// Blocks until the server stops (Ctrl-C or SIGTERM).
    func waitUntilStopped() {
        guard task != nil else { return }
        stopped.wait()
        stopped.signal()
    }

    func stop() {
        guard let task else { return }
        task.cancel()
        stopped.wait()
        stopped.signal()
        self.task = nil
    }
}
