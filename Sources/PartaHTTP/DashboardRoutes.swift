import Foundation
import Hummingbird
import NIOCore
import HTTPTypes
import PartaDashboard

/// The hub server's request context: Hummingbird's basics and the client's address, which the
/// dashboard's sign-in lockout counts by.
struct HubRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer of the connection (the proxy's, behind one).
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// Carries the dashboard's pages over Hummingbird: every path that is not the sync API.
enum DashboardRoutes {
    /// Largest form a browser may post (a comment is at most 4000 characters).
    static let maxFormBytes = 64 << 10

    static func add(_ dashboard: Dashboard, to router: Router<HubRequestContext>) {
        let handler: @Sendable (Request, HubRequestContext) async throws -> Response = { request, context in
            var body: [UInt8] = []
            if request.method == .post {
                guard let buffer = try? await request.body.collect(upTo: maxFormBytes) else {
                    return Response(status: .contentTooLarge, headers: [.contentType: "text/plain; charset=utf-8"],
                                    body: .init(byteBuffer: ByteBuffer(string: "Форма слишком велика.\n")))
                }
                body = Array(buffer.readableBytesView)
            }
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            if let authority = request.head.authority { headers["host"] = authority }
            let web = WebRequest(method: request.method.rawValue, target: request.uri.description, headers: headers, body: body,
                                 clientAddress: clientAddress(peer: context.remoteAddress, headers: headers))
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

    /// The client's address: the connection's peer; but a peer on this machine (a reverse proxy
    /// on loopback, as in Examples/systemd) may name the client with `X-Real-IP`. A proxy must
    /// therefore set that header itself (nginx: `proxy_set_header X-Real-IP $remote_addr`),
    /// never pass on the client's.
    static func clientAddress(peer: SocketAddress?, headers: [String: String]) -> String {
        let ip = peer?.ipAddress ?? "unknown"
        let loopback = ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
        if loopback, let real = headers["x-real-ip"]?.trimmingCharacters(in: .whitespaces), !real.isEmpty, real.utf8.count <= 64 {
            return real
        }
        return ip
    }
}
