import Foundation
import Hummingbird
import Logging
import NIOCore
import HTTPTypes
import PartaCore
import PartaApp

/// `parta hub serve`: the hub's HTTP server (Protocol/sync-http-v1.md) on Hummingbird 2.
///
/// Serves `/healthz`, `/v1/sync` and `/metrics`; stops gracefully on SIGTERM or SIGINT, finishing
/// syncs in flight. Plain HTTP: put it behind a TLS-terminating reverse proxy (README, Examples/).
public struct SyncServer {
    public let service: SyncService
    public let host: String
    public let port: Int
    public var logger: Logger
    let metrics = SyncMetrics()
    /// Connections the kernel may hold for the server before it accepts them.
    static let listenBacklog = 4096

    public init(service: SyncService, host: String, port: Int, logger: Logger = Logger(label: "parta.hub")) {
        self.service = service
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// Runs until SIGTERM or SIGINT; `onListening` receives the bound port (useful with port 0).
    public func run(clock now: @escaping @Sendable () -> UInt64, onListening: @escaping @Sendable (Int) -> Void) async throws {
        let router = Router()
        let service = self.service, metrics = self.metrics, logger = self.logger
        router.get("healthz") { _, _ in "ok\n" }
        router.get("metrics") { _, _ in metrics.render() }
        router.post("v1/sync") { request, _ -> Response in
            let started = DispatchTime.now().uptimeNanoseconds
            let language: Language = (request.headers[.acceptLanguage] ?? "ru").hasPrefix("en") ? .en : .ru
            let answer: SyncAnswer
            let bytesIn: Int
            do {
                let body = try await request.body.collect(upTo: service.maxBundleBytes)
                bytesIn = body.readableBytes
                answer = service.sync(Array(body.readableBytesView), now: now(), language: language)
            } catch {
                bytesIn = 0
                let message = Message(en: "The bundle is larger than this hub accepts (\(service.maxBundleBytes) bytes).",
                                      ru: "Пакет больше, чем принимает управление (\(service.maxBundleBytes) байт).")
                answer = SyncAnswer(status: 413, body: Array((message.text(in: language) + "\n").utf8), reason: "tooLarge", sender: nil, changesApplied: 0)
            }
            let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
            metrics.record(status: answer.status, bytesIn: bytesIn, bytesOut: answer.body.count, applied: answer.changesApplied)
            logger.info("sync node=\(answer.sender ?? "-") status=\(answer.status) in=\(bytesIn)B out=\(answer.body.count)B applied=\(answer.changesApplied) ms=\(String(format: "%.1f", ms))\(answer.reason.map { " reason=\($0)" } ?? "")")
            var headers = HTTPFields()
            headers[.contentType] = answer.status == 200 ? "application/vnd.parta.bundle" : "text/plain; charset=utf-8"
            if let reason = answer.reason, let name = HTTPField.Name("Parta-Reason") { headers[name] = reason }
            return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        // A client that stalls (sends or reads nothing for a minute) is disconnected; a slow one that keeps moving is not.
        // A district's schools connect at once in the morning: with Hummingbird's default listen queue (256), a
        // connection beyond it waited for the client's SYN retransmission, a whole second (parta-bench row 7, 500
        // schools: connect p99 1.04–1.05 s and sync p99 1.34–1.36 s with 256; connect p99 25–26 ms with 4096).
        // The kernel caps the queue at net.core.somaxconn.
        let app = Application(router: router, server: .http1(configuration: .init(idleTimeout: .seconds(60))),
                              configuration: .init(address: .hostname(host, port: port), serverName: "parta", backlog: SyncServer.listenBacklog),
                              onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) }, logger: logger)
        try await app.runService()
    }
}

/// Counters for `/metrics`, in Prometheus text format.
final class SyncMetrics: @unchecked Sendable {
    private let lock = NSLock()
    private var byStatus: [Int: Int] = [:]
    private var bytesIn = 0, bytesOut = 0, applied = 0

    func record(status: Int, bytesIn: Int, bytesOut: Int, applied: Int) {
        lock.lock(); defer { lock.unlock() }
        byStatus[status, default: 0] += 1
        self.bytesIn += bytesIn
        self.bytesOut += bytesOut
        self.applied += applied
    }

    func render() -> String {
        lock.lock(); defer { lock.unlock() }
        var lines = ["# HELP parta_syncs_total Sync requests by HTTP status.", "# TYPE parta_syncs_total counter"]
        for (status, count) in byStatus.sorted(by: { $0.key < $1.key }) { lines.append("parta_syncs_total{status=\"\(status)\"} \(count)") }
        lines += ["# TYPE parta_sync_bytes_in_total counter", "parta_sync_bytes_in_total \(bytesIn)",
                  "# TYPE parta_sync_bytes_out_total counter", "parta_sync_bytes_out_total \(bytesOut)",
                  "# TYPE parta_sync_changes_applied_total counter", "parta_sync_changes_applied_total \(applied)"]
        return lines.joined(separator: "\n") + "\n"
    }
}
