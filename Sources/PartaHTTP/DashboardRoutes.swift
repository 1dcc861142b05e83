import Foundation
import Hummingbird
import NIOCore
import HTTPTypes
import Logging
import Synchronization
import PartaDashboard

/// The hub server's request context: Hummingbird's basics and the connection's peer, from which
/// (with ``PartaDashboard/ProxyTrust``) the client's address is known.
struct HubRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer of the connection (the proxy's, behind one).
    let remoteAddress: SocketAddress?
    /// The connection, which an answer closes when its reader has stalled.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        channel = source.channel
    }
}

/// Who a request came from, as the hub logs it and counts sign-in failures: ``ProxyTrust``'s
/// decision on the connection's peer and the forwarded headers, and a log line the first time a
/// peer that is not trusted sends forwarded headers (its proxy may be missing from `--trust-proxy`).
struct ClientResolver: Sendable {
    let proxy: ProxyTrust
    let logger: Logger
    private let warned = Warned()

    init(proxy: ProxyTrust, logger: Logger) {
        self.proxy = proxy
        self.logger = logger
    }

    private final class Warned: Sendable {
        let flag = Atomic<Bool>(false)
    }

    /// The forwarded headers of `request`, names in lower case; a header sent several times is
    /// joined with commas, as HTTP combines list headers.
    static func forwardedHeaders(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for name in ["X-Forwarded-For", "X-Forwarded-Proto", "X-Real-IP"] {
            guard let field = HTTPField.Name(name) else { continue }
            let values = request.headers[values: field]
            if !values.isEmpty { out[name.lowercased()] = values.joined(separator: ", ") }
        }
        return out
    }

    func client(_ request: Request, _ context: HubRequestContext) -> ProxyTrust.Client {
        let peer = context.remoteAddress?.ipAddress
        let headers = ClientResolver.forwardedHeaders(request)
        if proxy.ignoresForwardedHeaders(peer: peer, headers: headers),
           warned.flag.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged {
            logger.warning("""
                a request from \(peer ?? "-") carries X-Forwarded-For, X-Forwarded-Proto or X-Real-IP, which are ignored: \
                \(peer ?? "-") is not a trusted proxy. If it is your reverse proxy, start the hub with --trust-proxy \(peer ?? "ADDR") \
                (this is said once)
                """)
        }
        return proxy.client(peer: peer, headers: headers)
    }
}

/// Carries the dashboard's pages over Hummingbird: every path that is not the sync API.
enum DashboardRoutes {

    static func add(_ dashboard: Dashboard, to router: Router<HubRequestContext>, clients: ClientResolver) {
        let handler: @Sendable (Request, HubRequestContext) async throws -> Response = { request, context in
            var body: [UInt8] = []
            if request.method == .post {
                // A resolution's upload and its review table may be larger, for a signed-in visitor (``Dashboard/maxBodyBytes(path:cookieHeader:)``).
                let limit = dashboard.maxBodyBytes(path: request.uri.path, cookieHeader: request.headers[.cookie])
                guard let buffer = try? await request.body.collect(upTo: limit) else {
                    return Response(status: .contentTooLarge, headers: [.contentType: "text/plain; charset=utf-8"],
                                    body: .init(byteBuffer: ByteBuffer(string: "Форма слишком велика.\n")))
                }
                body = Array(buffer.readableBytesView)
            }
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            if let authority = request.head.authority { headers["host"] = authority }
            let client = clients.client(request, context)
            let web = WebRequest(method: request.method.rawValue, target: request.uri.description, headers: headers, body: body,
                                 clientAddress: client.address, scheme: client.scheme)
            let answer = await dashboard.respond(web)
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
            }
            return Response(status: .init(code: answer.status), headers: fields,
                            body: request.method == .head ? .init() : .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
        for method in [HTTPRequest.Method.get, .head, .post] {
            router.on("/", method: method, use: handler)
            router.on("**", method: method, use: handler)
        }
    }
}
