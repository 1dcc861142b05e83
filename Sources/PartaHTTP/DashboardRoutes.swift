import Foundation
import Hummingbird
import NIOCore
import HTTPTypes
import PartaDashboard

/// Carries the dashboard's pages over Hummingbird: every path that is not the sync API.
enum DashboardRoutes {
    /// Largest form a browser may post (a comment is at most 4000 characters).
    static let maxFormBytes = 64 << 10

    static func add(_ dashboard: Dashboard, to router: Router<BasicRequestContext>) {
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
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
            let web = WebRequest(method: request.method.rawValue, target: request.uri.description, headers: headers, body: body)
            let answer = dashboard.handle(web)
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
