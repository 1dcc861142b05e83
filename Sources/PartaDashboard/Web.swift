import Foundation

/// An HTTP request as the dashboard sees it, whatever server carries it.
public struct WebRequest: Sendable {
    public var method: String
    /// The path without the query (`/tasks/t1-x`), percent-decoded per segment by the dashboard.
    public var path: String
    public var query: [String: String]
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: [UInt8]
    /// The client's address, as the server established it (not from a header the client chose);
    /// sign-in lockouts count per (name, address). nil: unknown (all such clients share one count).
    public var clientAddress: String?
    /// The scheme the browser used (`http` or `https`), as the server established it (a trusted
    /// proxy's `X-Forwarded-Proto`, ``ProxyTrust``); nil: not known (a plain connection, which
    /// a proxy the hub does not trust may have forwarded). Decides the origin a form may come from
    /// and whether cookies are `Secure`.
    public var scheme: String?

    public init(method: String, path: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = [],
                clientAddress: String? = nil, scheme: String? = nil) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        self.body = body
        self.clientAddress = clientAddress
        self.scheme = scheme
    }

    /// Splits `/path?a=1&b=2` into path and query.
    public init(method: String, target: String, headers: [String: String] = [:], body: [UInt8] = [], clientAddress: String? = nil,
                scheme: String? = nil) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.init(method: method, path: String(parts[0]), query: parts.count > 1 ? WebRequest.parseForm(String(parts[1])) : [:],
                  headers: headers, body: body, clientAddress: clientAddress, scheme: scheme)
    }

    var cookies: [String: String] {
        var out: [String: String] = [:]
        for pair in (headers["cookie"] ?? "").split(separator: ";") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2 { out[kv[0]] = kv[1] }
        }
        return out
    }

    /// The fields of an `application/x-www-form-urlencoded` body.
    var form: [String: String] { WebRequest.parseForm(String(decoding: body, as: UTF8.self)) }

    static func parseForm(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if let key = kv.first, !key.isEmpty { out[key] = kv.count > 1 ? kv[1] : "" }
        }
        return out
    }
}

/// The dashboard's answer: status, headers and body.
public struct WebResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Headers every page carries: no caching of private data, no framing, no scripts at all.
    static let pageHeaders: [(String, String)] = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-store"),
        ("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
    ]

    static func html(_ status: Int, _ page: String, extraHeaders: [(String, String)] = []) -> WebResponse {
        WebResponse(status: status, headers: pageHeaders + extraHeaders, body: Array(page.utf8))
    }

    static func redirect(_ location: String, extraHeaders: [(String, String)] = []) -> WebResponse {
        WebResponse(status: 303, headers: [("Location", location), ("Cache-Control", "no-store")] + extraHeaders, body: [])
    }

    static func file(_ bytes: [UInt8], contentType: String, filename: String) -> WebResponse {
        WebResponse(status: 200, headers: [("Content-Type", contentType), ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"),
                                           ("Content-Disposition", "attachment; filename=\"\(filename)\"")], body: bytes)
    }
}
