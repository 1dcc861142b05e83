import Foundation
import Synchronization
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import HTTPTypes
import PartaCore
import PartaApp
import PartaDashboard

/// `parta hub serve`: the hub's HTTP server (Protocol/sync-http-v1.md) on Hummingbird 2.
///
/// Serves `/healthz`, `/v1/sync`, `/v1/uploads/{id}`, `/v1/answers/{id}` and `/metrics`, and
/// the staff dashboard (``PartaDashboard/Dashboard``) on every other path if it has one; stops
/// gracefully on SIGTERM or SIGINT, finishing syncs in flight. Plain HTTP: put it behind a TLS-terminating reverse proxy (README, Examples/).
public struct SyncServer {
    public let service: SyncService
    public let host: String
    public let port: Int
    public var logger: Logger
    /// A connection on which the client sends nothing for this long while the hub waits for its
    /// request, or between requests, is closed (§4).
    public var idleTimeout: TimeInterval
    /// The staff dashboard, served on every path the sync API does not use; nil: none.
    public var dashboard: Dashboard?
    /// Whose forwarded headers are believed (`--trust-proxy`): the client address in log lines,
    /// sign-in lockouts and the scheme the dashboard sees. By default nobody's.
    public var proxy: ProxyTrust = .none
    let metrics = SyncMetrics()
    /// Connections the kernel may hold for the server before it accepts them.
    static let listenBacklog = 4096

    public init(service: SyncService, host: String, port: Int, idleTimeout: TimeInterval = 60, logger: Logger = Logger(label: "parta.hub")) {
        self.service = service
        self.host = host
        self.port = port
        self.idleTimeout = idleTimeout
        self.logger = logger
    }

    /// Runs until SIGTERM or SIGINT; `onListening` receives the bound port (useful with port 0).
    /// Throws ``AddressInUse`` if another program holds the port.
    public func run(clock now: @escaping @Sendable () -> UInt64, onListening: @escaping @Sendable (Int) -> Void) async throws {
        let router = makeRouter(clock: now)
        // A client that stalls (sends nothing for a minute while its request is due, or takes in
        // nothing of a stored answer for as long) is disconnected; a slow one that keeps moving is
        // not. The bytes of an upload it sent stay (§5.4).
        // A district's schools connect at once in the morning: with Hummingbird's default listen queue (256), a
        // connection beyond it waited for the client's SYN retransmission, a whole second (parta-bench row 7, 500
        // schools: connect p99 1.04–1.05 s and sync p99 1.34–1.36 s with 256; connect p99 25–26 ms with 4096).
        // The kernel caps the queue at net.core.somaxconn.
        // A request's head must be whole within the idle timeout, however slowly it trickles in; connections beyond
        // what the descriptors allow wait in the listen queue instead of taking the hub's last descriptor (§4).
        let logger = self.logger
        let idle = TimeAmount.milliseconds(Int64(max(0.001, idleTimeout) * 1000))
        let descriptors = SyncServer.raiseDescriptorLimit()
        let connections = SyncServer.maxConnections(descriptors: descriptors)
        logger.info("serving with at most \(connections) connections (\(descriptors) descriptors)")
        let app = Application(router: router,
                              server: .http1(configuration: .init(additionalChannelHandlers: [RequestHeadDeadline(deadline: idle)], idleTimeout: idle)),
                              configuration: .init(address: .hostname(host, port: port), serverName: "parta", backlog: SyncServer.listenBacklog,
                                                   availableConnectionsDelegate: MaximumAvailableConnections(connections, logger: logger)),
                              onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) }, logger: logger)
        do {
            try await app.runService()
        } catch where AddressInUse.isAddressInUse(error) {
            throw AddressInUse(host: host, port: port)
        }
    }

    /// Every route of the hub (sync API, uploads, answers, health, metrics, dashboard), apart from
    /// the listening socket: what `run` serves, and what router tests drive without one.
    func makeRouter(clock now: @escaping @Sendable () -> UInt64) -> Router<HubRequestContext> {
        let router = Router(context: HubRequestContext.self)
        let service = self.service, metrics = self.metrics, logger = self.logger, dashboard = self.dashboard
        let clients = ClientResolver(proxy: proxy, logger: logger)
        let requestDeadline = UInt64(max(1, 10 * idleTimeout) * 1e9)
        metrics.watch(staging: { service.staging.partialUploads })
        router.get("healthz") { _, _ in "ok\n" }
        router.get("metrics") { _, _ in metrics.render() + (dashboard?.metricsText() ?? "") }
        router.post("v1/sync") { request, context -> Response in
            let started = DispatchTime.now().uptimeNanoseconds
            let client = clients.client(request, context)
            let language = SyncServer.language(request)
            var answer: SyncAnswer
            let bytesIn: Int
            do {
                let (bundle, reserved) = try await SyncServer.readBundle(request, service: service, now: now, started: started, deadline: requestDeadline)
                // Held until applied: bundles waiting for the node (suspended, not on a thread) stay bounded in memory.
                defer { service.releaseUnverified(reserved) }
                bytesIn = bundle.count
                answer = await service.sync(bundle, now: now(), language: language)
                service.keep(&answer, byReference: request.headers[.partaResumable] == "1", upload: nil, now: now(), language: language)
            } catch {
                bytesIn = 0
                let (status, code, message) = SyncService.describe(error)
                answer = SyncAnswer(status: status, body: Array((message.text(in: language) + "\n").utf8), reason: code, sender: nil, changesApplied: 0)
            }
            return SyncServer.finish(answer, bytesIn: bytesIn, started: started, via: nil, client: client, metrics: metrics, logger: logger)
        }
        let uploads = UploadRoutes(service: service, metrics: metrics, logger: logger, now: now, idleTimeout: idleTimeout)
        router.head("v1/uploads/:id") { request, context in
            uploads.from(clients.client(request, context)).head(request, id: context.parameters.get("id") ?? "")
        }
        router.patch("v1/uploads/:id") { request, context in
            await uploads.from(clients.client(request, context)).patch(request, id: context.parameters.get("id") ?? "")
        }
        router.get("v1/answers/:id") { request, context in
            uploads.from(clients.client(request, context)).answer(request, id: context.parameters.get("id") ?? "", connection: context.channel)
        }
        router.delete("v1/answers/:id") { request, context in
            await uploads.from(clients.client(request, context)).release(request, id: context.parameters.get("id") ?? "")
        }
        if let dashboard { DashboardRoutes.add(dashboard, to: router, clients: clients) }
        return router
    }
}

extension SyncServer {
    /// Raises this process's soft limit of open descriptors to its hard limit (at most 65,536)
    /// and returns the limit in force. The default soft limit (often 1,024) is what an attacker
    /// with a thousand half-open requests exhausts; systemd's `LimitNOFILE=` sets the hard one.
    static func raiseDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        let wanted = min(limit.rlim_max, 65_536)
        if limit.rlim_cur < wanted {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(min(limit.rlim_cur, 1 << 20))
    }

    /// Connections served at once: 4,096 at most (a district's schools all at once, with room),
    /// and never so many that the database, the staging files and the logs run out of descriptors.
    static func maxConnections(descriptors: Int) -> Int {
        max(16, min(4096, descriptors - 256))
    }

    static func language(_ request: Request) -> Language {
        (request.headers[.acceptLanguage] ?? "ru").hasPrefix("en") ? .en : .ru
    }

    /// The body of `POST /v1/sync`, read as it arrives and checked before it is kept
    /// (Protocol/sync-http-v1.md §2.2): a `Content-Length` or a bundle framing above
    /// ``SyncService/maxPostBytes`` is refused at once; the framing and header, read first, must
    /// name this hub and a sender it trusts before more is read; the bytes read and not yet
    /// applied by all requests together stay within ``SyncService/maxUnverifiedBytes``; and the
    /// body must have arrived within `deadline` nanoseconds of `started`.
    /// Reads a bundle sent in one request. Its length is reserved against the hub's bound on bundles held
    /// in memory (``SyncService/reserveUnverified(_:)``) until the caller releases `reserved`, after the
    /// bundle was applied: bundles waiting for the node count too.
    static func readBundle(_ request: Request, service: SyncService, now: () -> UInt64, started: UInt64, deadline: UInt64) async throws -> (bytes: [UInt8], reserved: Int) {
        let limit = service.maxPostBytes
        if let declared = UploadRoutes.number(request.headers[.contentLength]), declared > limit {
            throw UploadRefusal(413, "tooLarge", SyncServer.postTooLarge(service))
        }
        var bytes: [UInt8] = []
        var total: Int?
        var reserved = 0, handedOver = false
        defer { if reserved > 0 && !handedOver { service.releaseUnverified(reserved) } }
        var pieces = request.body.makeAsyncIterator()
        while true {
            let next: ByteBuffer?
            do { next = try await pieces.next() } catch {
                // The connection broke, or its framing (a chunk size) was not HTTP: nothing was kept.
                throw UploadRefusal(400, "incomplete", Message(
                    en: "The request's body broke off or was not valid HTTP before the bundle arrived whole. Nothing was kept; sync again.",
                    ru: "Тело запроса оборвалось или нарушало HTTP до того, как пакет пришёл целиком. Ничего не сохранено; повторите синхронизацию."))
            }
            guard let buffer = next else { break }
            if DispatchTime.now().uptimeNanoseconds - started > deadline {
                throw UploadRefusal(503, "tooSlow", Message(
                    en: "The bundle did not arrive within \(deadline / 1_000_000_000) s; nothing was kept. Sync again.",
                    ru: "Пакет не пришёл за \(deadline / 1_000_000_000) с; ничего не сохранено. Повторите синхронизацию."))
            }
            bytes += buffer.readableBytesView
            if total == nil {
                if let prefix = try ChangeSetReader.readPrefix(bytes, maxPayload: UInt64(service.maxBundleBytes) * 64) {
                    guard prefix.totalLength <= UInt64(limit) else { throw UploadRefusal(413, "tooLarge", SyncServer.postTooLarge(service)) }
                    try await service.admit(prefix.header, now: now())
                    guard service.reserveUnverified(Int(prefix.totalLength)) else {
                        throw UploadRefusal(503, "busy", Message(
                            en: "The hub is receiving too much at once. Try again in a minute; nothing is lost.",
                            ru: "Управление сейчас принимает слишком много данных одновременно. Повторите через минуту; ничего не потеряно."))
                    }
                    reserved = Int(prefix.totalLength)
                    total = reserved
                } else if bytes.count > ChangeSetFormat.framingOverhead + Int(ChangeSetFormat.maxHeaderLength) {
                    throw PartaCoreError.malformed("the bundle's header does not end")
                }
            }
            if let total, bytes.count > total {
                throw PartaCoreError.malformed("there are \(bytes.count - total) extra bytes after the signature")
            }
        }
        handedOver = true
        return (bytes, reserved)
    }

    static func postTooLarge(_ service: SyncService) -> Message {
        Message(en: "A bundle sent in one request may be at most \(service.maxPostBytes) bytes; a larger one goes as a resumable upload (`parta sync` does this by itself).",
                ru: "Пакет в одном запросе может занимать не больше \(service.maxPostBytes) байт; больший передаётся загрузкой по частям (`parta sync` делает это сам).")
    }

    static func tooLarge(_ service: SyncService) -> Message {
        Message(en: "The bundle is larger than this hub accepts (\(service.maxBundleBytes) bytes).",
                ru: "Пакет больше, чем принимает управление (\(service.maxBundleBytes) байт).")
    }

    /// The HTTP answer to a sync (a POST, or the PATCH that completed an upload): records it in
    /// the metrics and logs one line, ending with the client's address (and the trusted proxy it
    /// came through).
    /// `bytesIn` is logged; it is counted in the metrics unless `counted` (an upload's pieces were, as they came).
    static func finish(_ answer: SyncAnswer, bytesIn: Int, counted: Bool = false, started: UInt64, via: String?, extraHeaders: HTTPFields = [:],
                       client: ProxyTrust.Client?, metrics: SyncMetrics, logger: Logger) -> Response {
        let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        let sent = answer.inline ? answer.body.count : 0
        metrics.record(status: answer.status, bytesIn: counted ? 0 : bytesIn, bytesOut: sent, applied: answer.changesApplied)
        let out = answer.stored.map { answer.inline ? "\($0.length)B" : "\($0.length)B(stored)" } ?? "\(answer.body.count)B"
        logger.info("sync node=\(answer.sender ?? "-") status=\(answer.status) in=\(bytesIn)B out=\(out) applied=\(answer.changesApplied) ms=\(String(format: "%.1f", ms))\(via.map { " via=\($0)" } ?? "")\(answer.reason.map { " reason=\($0)" } ?? "")\(SyncServer.logFields(client))")
        var headers = extraHeaders
        headers[.partaResumable] = "1"
        headers[.cacheControl] = "no-store"
        headers[.contentType] = answer.status == 200 ? "application/vnd.parta.bundle" : "text/plain; charset=utf-8"
        if let reason = answer.reason { headers[.partaReason] = reason }
        if let stored = answer.stored {
            headers[.partaAnswer] = stored.id
            headers[.partaAnswerLength] = String(stored.length)
        }
        if answer.status == 503 { headers[.retryAfter] = "60" }
        return Response(status: .init(code: answer.status), headers: headers,
                        body: answer.inline ? .init(byteBuffer: ByteBuffer(bytes: answer.body)) : .init())
    }
}

extension SyncServer {
    /// ` client=ADDR` (and ` proxy=PEER` when a trusted proxy forwarded it), for log lines.
    static func logFields(_ client: ProxyTrust.Client?) -> String {
        guard let client else { return "" }
        return " client=\(client.address)" + (client.proxy.map { " proxy=\($0)" } ?? "")
    }

    /// A log line per dashboard sign-in (for ``PartaDashboard/Dashboard``'s `onSignIn`):
    /// `dashboard sign-in outcome=wrong name="marina" client=203.0.113.7`. The name is as typed,
    /// at most 64 characters, anything but letters, digits and `.-_@` shown as `?`.
    public static func signInLog(_ logger: Logger) -> @Sendable (SignInEvent) -> Void {
        { event in
            let name = String(event.name.prefix(64).map { $0.isLetter || $0.isNumber || ".-_@".contains($0) ? $0 : "?" })
            let line = "dashboard sign-in outcome=\(event.outcome) name=\"\(name)\" client=\(event.client)"
            if event.outcome == "ok" || event.outcome == "wrong" { logger.info("\(line)") } else { logger.notice("\(line)") }
        }
    }
}

extension HTTPField.Name {
    static let partaReason = Self("Parta-Reason")!
    static let partaResumable = Self("Parta-Resumable")!
    static let partaSignature = Self("Parta-Signature")!
    static let partaAnswer = Self("Parta-Answer")!
    static let partaAnswerLength = Self("Parta-Answer-Length")!
    static let uploadOffset = Self("Upload-Offset")!
    static let uploadLength = Self("Upload-Length")!
}

/// Counters for `/metrics`, in Prometheus text format.
final class SyncMetrics: Sendable {
    private struct Counters {
        var byStatus: [Int: Int] = [:]
        var bytesIn = 0, bytesOut = 0, applied = 0
        /// Partial uploads now (bytes held, count), read when rendering.
        var staging: (@Sendable () -> (bytes: Int, count: Int))?
    }
    private let counters = Mutex(Counters())

    /// Where ``render()`` reads the partial uploads from.
    func watch(staging: @escaping @Sendable () -> (bytes: Int, count: Int)) {
        counters.withLock { $0.staging = staging }
    }

    func record(status: Int, bytesIn: Int, bytesOut: Int, applied: Int) {
        counters.withLock { c in
            c.byStatus[status, default: 0] += 1
            c.bytesIn += bytesIn
            c.bytesOut += bytesOut
            c.applied += applied
        }
    }

    /// Bytes that are not a whole sync: pieces of uploads, stored answers served.
    func add(bytesIn: Int = 0, bytesOut: Int = 0) {
        counters.withLock { c in
            c.bytesIn += bytesIn
            c.bytesOut += bytesOut
        }
    }

    func render() -> String {
        let (c, staging) = counters.withLock { c in
            var copy = c
            copy.staging = nil
            return (copy, c.staging)
        }
        var lines = ["# HELP parta_syncs_total Sync requests by HTTP status.", "# TYPE parta_syncs_total counter"]
        for (status, count) in c.byStatus.sorted(by: { $0.key < $1.key }) { lines.append("parta_syncs_total{status=\"\(status)\"} \(count)") }
        lines += ["# TYPE parta_sync_bytes_in_total counter", "parta_sync_bytes_in_total \(c.bytesIn)",
                  "# TYPE parta_sync_bytes_out_total counter", "parta_sync_bytes_out_total \(c.bytesOut)",
                  "# TYPE parta_sync_changes_applied_total counter", "parta_sync_changes_applied_total \(c.applied)"]
        if let (bytes, count) = staging?() {
            lines += ["# HELP parta_staging_uploads Partial uploads the hub holds.", "# TYPE parta_staging_uploads gauge", "parta_staging_uploads \(count)",
                      "# TYPE parta_staging_upload_bytes gauge", "parta_staging_upload_bytes \(bytes)"]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
