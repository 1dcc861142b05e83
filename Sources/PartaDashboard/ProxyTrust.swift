import Foundation
import PartaCore
#if canImport(Glibc)
import Glibc
#endif

/// Whom the hub believes about a request that came through a reverse proxy: the one place that
/// decides which client address and scheme a request has (`parta hub serve --trust-proxy ADDR
/// --public-url URL`). Pure: no sockets, no clock; the server hands it the connection's peer and
/// the request's headers.
///
/// Guarantees:
/// - Forwarded headers (`X-Forwarded-For`, `X-Forwarded-Proto`, `X-Real-IP`) are read only when
///   the connection's peer is one of ``trustedProxies``. From anyone else they are ignored: the
///   client is the peer and the scheme is not known, so a stranger cannot choose the address its
///   sign-in failures are counted under, nor claim HTTPS.
/// - Behind a trusted proxy the client is the rightmost address of `X-Forwarded-For` that is not
///   itself a trusted proxy (so addresses a client put at the left of the list are never read);
///   if every address there is a trusted proxy, the leftmost; if an entry is not an IP address,
///   the trusted hop to its right. Without `X-Forwarded-For`, `X-Real-IP` (if it is an address),
///   else the proxy itself. The scheme is `X-Forwarded-Proto` (`http` or `https`; of a list, the
///   last, which the nearest proxy wrote); without it (or with another word) it is not known.
/// - Addresses are compared and reported in one spelling (dotted IPv4, `inet_ntop`'s IPv6; an IPv4 address mapped
///   into IPv6 as plain IPv4), so `::ffff:127.0.0.1` is `127.0.0.1`.
///
/// Fails: ``init(trustedProxies:publicURL:)`` throws ``DashboardError/Code/invalidArgument``, with
/// a message in both languages, for anything in `--trust-proxy` that is not an IP address
/// (names, networks, ports) and for a public URL that is not `http(s)://host[:port]` with at most
/// a `/` as its path.
public struct ProxyTrust: Sendable, Equatable {
    /// The proxies whose forwarded headers are believed, normalised; empty: nobody's.
    public let trustedProxies: [String]
    /// The origin browsers see the dashboard at (`https://parta.ruo.example`), from `--public-url`;
    /// nil if not given. A form posted from it passes the origin check.
    public let publicOrigin: String?

    /// Believes nobody's forwarded headers and knows no public URL.
    public static let none = ProxyTrust(checked: [], publicOrigin: nil)

    private init(checked: [String], publicOrigin: String?) {
        trustedProxies = checked
        self.publicOrigin = publicOrigin
    }

    /// - Parameters:
    ///   - trustedProxies: IP addresses, each item possibly a comma-separated list (as repeated
    ///     `--trust-proxy` options give them).
    ///   - publicURL: the address browsers use, e.g. `https://parta.ruo.example`.
    public init(trustedProxies: [String] = [], publicURL: String? = nil) throws {
        var addresses: [String] = []
        for item in trustedProxies {
            for part in item.split(separator: ",", omittingEmptySubsequences: false) {
                let text = part.trimmingCharacters(in: .whitespaces)
                guard let address = ProxyTrust.normalized(text) else {
                    throw DashboardError(.invalidArgument, Message(
                        en: "--trust-proxy takes IP addresses of reverse proxies (e.g. 127.0.0.1 or ::1, several separated by commas), not “\(text)”.",
                        ru: "--trust-proxy ожидает IP-адреса обратных прокси (например 127.0.0.1 или ::1, несколько — через запятую), а не «\(text)»."))
                }
                if !addresses.contains(address) { addresses.append(address) }
            }
        }
        let origin = try publicURL.map(ProxyTrust.origin(ofPublicURL:))
        self.init(checked: addresses, publicOrigin: origin)
    }

    /// Whether browsers reach the dashboard over HTTPS, by the public URL.
    public var publicURLIsHTTPS: Bool { publicOrigin?.hasPrefix("https://") == true }

    /// Whether `address` (any spelling) is a trusted proxy.
    public func trusts(_ address: String) -> Bool {
        ProxyTrust.normalized(address).map(trustedProxies.contains) ?? false
    }

    /// A request's client as the hub believes it.
    public struct Client: Sendable, Equatable {
        /// The client's address (the peer's, unless a trusted proxy named another); "unknown" without a peer.
        public var address: String
        /// `http` or `https` as a trusted proxy said; nil if the request did not come through one,
        /// or the proxy did not say (the hub then does not know what the browser used).
        public var scheme: String?
        /// The trusted proxy the request came through; nil if it came directly.
        public var proxy: String?

        public init(address: String, scheme: String?, proxy: String?) {
            self.address = address
            self.scheme = scheme
            self.proxy = proxy
        }
    }

    /// The client of a request whose connection's peer is `peer`, with `headers` (names in lower
    /// case; a header that came several times joined with commas).
    public func client(peer: String?, headers: [String: String]) -> Client {
        guard let peerText = peer else { return Client(address: "unknown", scheme: nil, proxy: nil) }
        guard let peerAddress = ProxyTrust.normalized(peerText) else { return Client(address: peerText, scheme: nil, proxy: nil) }
        guard trustedProxies.contains(peerAddress) else { return Client(address: peerAddress, scheme: nil, proxy: nil) }
        var address = peerAddress
        let chain = (headers["x-forwarded-for"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if !chain.isEmpty {
            for entry in chain.reversed() {
                guard let hop = ProxyTrust.normalized(entry, allowingPort: true) else { break }
                address = hop
                if !trustedProxies.contains(hop) { break }
            }
        } else if let real = headers["x-real-ip"].flatMap({ ProxyTrust.normalized($0.trimmingCharacters(in: .whitespaces), allowingPort: true) }) {
            address = real
        }
        let proto = (headers["x-forwarded-proto"] ?? "").split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return Client(address: address, scheme: proto == "https" || proto == "http" ? proto : nil, proxy: peerAddress)
    }

    /// Whether a request from `peer` carries forwarded headers that are ignored because the peer
    /// is not a trusted proxy (a hint for the log: the proxy may be missing from `--trust-proxy`).
    public func ignoresForwardedHeaders(peer: String?, headers: [String: String]) -> Bool {
        guard let peer, !trusts(peer) else { return false }
        return headers["x-forwarded-for"] != nil || headers["x-real-ip"] != nil || headers["x-forwarded-proto"] != nil
    }

    // MARK: Parsing

    /// The one spelling of an IP address, or nil if `text` is not one. With `allowingPort`, also
    /// `1.2.3.4:80`, `[::1]` and `[::1]:80` (as some proxies write `X-Forwarded-For`).
    static func normalized(_ text: String, allowingPort: Bool = false) -> String? {
        var text = text
        if allowingPort {
            if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                let rest = text[text.index(after: close)...]
                guard rest.isEmpty || (rest.hasPrefix(":") && rest.count > 1 && rest.dropFirst().allSatisfy(\.isASCII) && rest.dropFirst().allSatisfy(\.isNumber)) else { return nil }
                text = String(text[text.index(after: text.startIndex)..<close])
            } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
                let port = text[text.index(after: colon)...]
                guard !port.isEmpty, port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
                text = String(text[..<colon])
            }
        }
        guard !text.isEmpty, text.utf8.count <= 45, text.allSatisfy({ $0.isASCII && ($0.isHexDigit || $0 == "." || $0 == ":") }) else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { $0.map(String.init).joined(separator: ".") }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        // ::ffff:a.b.c.d is a.b.c.d, as a dual-stack socket reports an IPv4 peer.
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return bytes[12...].map(String.init).joined(separator: ".")
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        guard inet_ntop(AF_INET6, &v6, &buffer, socklen_t(INET6_ADDRSTRLEN)) != nil else { return nil }
        return String(cString: buffer)
    }

    /// `scheme://host[:port]` of a public URL, as a browser writes it in `Origin` (lower case,
    /// without the scheme's default port).
    static func origin(ofPublicURL text: String) throws -> String {
        let refusal = DashboardError(.invalidArgument, Message(
            en: "--public-url takes the address browsers use, like https://parta.ruo.example (http or https, a host, perhaps a port; no path), not “\(text)”.",
            ru: "--public-url ожидает адрес, по которому открывают панель в браузере, например https://parta.ruo.example (http или https, имя, возможно порт; без пути), а не «\(text)»."))
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = parts.host?.lowercased(), !host.isEmpty, parts.user == nil, parts.password == nil,
              parts.query == nil, parts.fragment == nil, parts.path.isEmpty || parts.path == "/",
              host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.:[]".contains($0)) }) else { throw refusal }
        let port = parts.port
        if let port, !(1...65535).contains(port) { throw refusal }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let defaultPort = scheme == "https" ? 443 : 80
        return "\(scheme)://\(bracketed)" + (port.map { $0 == defaultPort ? "" : ":\($0)" } ?? "")
    }
}
