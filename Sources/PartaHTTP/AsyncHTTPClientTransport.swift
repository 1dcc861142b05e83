import Foundation
import Synchronization
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import PartaCore

/// One request at a time over AsyncHTTPClient (SwiftNIO), bridged to the synchronous sync client:
/// the calling thread waits for the answer; bytes are reported as they go.
///
/// What it keeps of the socket client it replaced (a hand-written HTTP/1.1 client, written because
/// URLSession over libcurl trapped on an answer cut inside its header block):
/// - a connection per request (`Connection: close`): a request is never re-sent on a pooled
///   connection that died meanwhile, and a proxy in tests counts connections as requests;
/// - an answer counts once its header block is whole and its body has every byte of its
///   `Content-Length` (or its last chunk); the bytes that came before a cut are returned, with the
///   error, so that a download resumes from them;
/// - `timeout` as the longest time nothing may move (connecting, sending, receiving);
/// - bounds on what a server may send: at most ``ResponseLimits/headerLines`` header lines and
///   ``ResponseLimits/interimAnswers`` interim answers (counted in the connection's pipeline:
///   AsyncHTTPClient drops them silently, so a server sending `100 Continue` forever would hold
///   the client for ever), the header block within SwiftNIO's 80 KiB, the body within `maxBody`;
/// - `http_proxy` / `https_proxy` / `all_proxy` and `no_proxy` as curl reads them, plain http
///   forwarded by the proxy (absolute-form request line), https tunnelled (CONNECT);
/// - errors as ``TransportError`` (English `errorDescription`: ``Doctor`` looks for "resolve" and
///   "timed out").
///
/// No redirects are followed and nothing is decompressed; `https://` is checked against the
/// system's trust roots (SwiftNIO SSL, BoringSSL inside: no libcurl, no OpenSSL), or those of the
/// file `SSL_CERT_FILE` names.
final class AsyncHTTPClientTransport: HTTPTransport {
    let timeout: TimeInterval
    let environment: [String: String]
    let maxBody: Int

    init(timeout: TimeInterval, environment: [String: String] = ProcessInfo.processInfo.environment,
         maxBody: Int = ResponseLimits.defaultMaxBody) {
        self.timeout = timeout
        self.environment = environment
        self.maxBody = maxBody
    }

    func perform(_ request: SyncRequest, sent: (@Sendable (Int64) -> Void)? = nil, received: (@Sendable (Int) -> Void)? = nil) -> TransportResult {
        var result = TransportResult(response: nil, data: Data(), error: nil)
        let url = request.url
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty else {
            result.error = TransportError.resolve(url.absoluteString)
            return result
        }
        let method = request.httpMethod
        let body = request.httpBody ?? Data()
        let proxy = ProxySettings.proxy(for: host, scheme: scheme, environment: environment)
        // Plain http through a proxy goes as curl sends it: to the proxy, the request line naming the
        // whole URL. (AsyncHTTPClient's own proxy support opens a CONNECT tunnel, which proxies
        // commonly allow to port 443 only; https goes that way, as with curl.)
        var target = url
        let forwarding = scheme == "http" && proxy != nil
        if forwarding, let proxy, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            components.host = proxy.host
            components.port = proxy.port
            target = components.url ?? url
        }
        let client = AsyncHTTPClientTransport.client(proxy: forwarding ? nil : proxy, forwarding: forwarding, timeout: timeout,
                                                     trustRoots: environment["SSL_CERT_FILE"])

        var outgoing: HTTPClient.Request
        do {
            outgoing = try HTTPClient.Request(url: target, method: HTTPMethod(rawValue: method))
        } catch {
            result.error = TransportError.resolve(url.absoluteString)
            return result
        }
        for (name, value) in request.allHTTPHeaderFields where !["host", "connection", "content-length"].contains(name.lowercased()) {
            outgoing.headers.replaceOrAdd(name: name, value: value)
        }
        if forwarding, let proxy {
            let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            outgoing.headers.replaceOrAdd(name: "Host", value: url.port.map { "\(bracketed):\($0)" } ?? bracketed)
            if let credentials = proxy.credentials {
                outgoing.headers.replaceOrAdd(name: "Proxy-Authorization", value: "Basic \(Data(credentials.utf8).base64EncodedString())")
            }
        }
        outgoing.headers.replaceOrAdd(name: "Connection", value: "close")
        outgoing.headers.replaceOrAdd(name: "User-Agent", value: "parta")
        if !body.isEmpty {
            // In pieces, so that progress moves as the socket takes them.
            let bytes = [UInt8](body)
            outgoing.body = .stream(contentLength: Int64(bytes.count)) { writer in
                AsyncHTTPClientTransport.write(bytes, from: 0, to: writer)
            }
        } else if method != "GET" && method != "HEAD" {
            outgoing.body = .bytes([UInt8]())
        }

        let delegate = Collector(maxBody: maxBody, sent: sent, received: received)
        let task = client.execute(request: outgoing, delegate: delegate, deadline: nil)
        let error: Error?
        do {
            _ = try task.futureResult.wait()
            error = nil
        } catch let failure {
            error = failure
        }
        let collected = delegate.collected()
        result.response = collected.response
        result.data = collected.data
        if let error {
            result.error = collected.error ?? AsyncHTTPClientTransport.transportError(error, host: proxy?.host ?? host, timeout: timeout)
        }
        return result
    }

    private static func write(_ bytes: [UInt8], from start: Int, to writer: HTTPClient.Body.StreamWriter) -> EventLoopFuture<Void> {
        let end = min(bytes.count, start + (64 << 10))
        let piece = writer.write(.byteBuffer(ByteBuffer(bytes: bytes[start..<end])))
        guard end < bytes.count else { return piece }
        return piece.flatMap { write(bytes, from: end, to: writer) }
    }

    // MARK: One client per process (per proxy)

    private static let clients = Mutex<[String: HTTPClient]>([:])

    /// The process's client for this proxy, timeout and trust roots, made on first use and kept until the
    /// process ends (the CLI makes one or two).
    ///
    /// `proxy` is a proxy to tunnel through (CONNECT); a `forwarding` client sends each request's
    /// line in absolute form, built from its `Host`, for a proxy it is addressed to.
    static func client(proxy: ProxySettings.Proxy?, forwarding: Bool = false, timeout: TimeInterval, trustRoots: String?) -> HTTPClient {
        let key = "\(proxy.map { "\($0.host):\($0.port):\($0.credentials ?? "")" } ?? "-")|\(forwarding)|\(timeout)|\(trustRoots ?? "")"
        return clients.withLock { cache in
            if let client = cache[key] { return client }
            let seconds = TimeAmount.milliseconds(Int64(max(1, (timeout * 1000).rounded())))
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: seconds, read: seconds, write: seconds),
                proxy: proxy.map { proxy in
                    .server(host: proxy.host, port: proxy.port,
                            authorization: proxy.credentials.map { .basic(credentials: Data($0.utf8).base64EncodedString()) })
                },
                decompression: .disabled,
                http1_1ConnectionDebugInitializer: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPResponseDecoder>.self)
                        try pipeline.addHandler(AnswerBounds(), position: .after(decoder))
                        if forwarding {
                            let encoder = try pipeline.handler(type: HTTPRequestEncoder.self)
                            try pipeline.addHandler(AbsoluteForm(), position: .after(encoder))
                        }
                    }
                }
            )
            configuration.httpVersion = .http1Only
            // As OpenSSL's tools and Go do: `SSL_CERT_FILE` names the roots to trust instead of the system's.
            if let roots = trustRoots, !roots.isEmpty {
                var tls = TLSConfiguration.makeClientConfiguration()
                tls.trustRoots = .file(roots)
                configuration.tlsConfiguration = tls
            }
            // A refused connection is a failed try now (the sync client waits and retries), not a
            // wait until the connect timeout.
            configuration.connectionPool.retryConnectionEstablishment = false
            configuration.connectionPool.idleTimeout = .seconds(1)
            // A connection carries one request, whatever the server answers to `Connection: close`.
            configuration.maximumUsesPerConnection = 1
            let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
            cache[key] = client
            return client
        }
    }

    // MARK: Errors

    /// A failure from SwiftNIO or AsyncHTTPClient in the words of ``TransportError``.
    static func transportError(_ error: Error, host: String, timeout: TimeInterval) -> Error {
        if let error = error as? TransportError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .readTimeout, .writeTimeout, .deadlineExceeded, .tlsHandshakeTimeout:
                return TransportError.timedOut(timeout)
            case .remoteConnectionClosed, .cancelled:
                return TransportError.closed
            case .invalidURL, .emptyHost, .emptyScheme:
                return TransportError.resolve(host)
            default:
                return TransportError(kind: .closed, message: Message(en: "the connection broke (\(error))", ru: "связь прервалась (\(error))"))
            }
        }
        if let error = error as? HTTPParserError {
            switch error {
            case .invalidEOFState:
                return TransportError.closed   // cut before the answer was whole
            case .headerOverflow:
                return TransportError.malformed("header block over 80 KiB", "заголовки больше 80 КиБ")
            case .invalidContentLength, .unexpectedContentLength:
                return TransportError.malformed("Content-Length", "Content-Length")
            case .invalidChunkSize:
                return TransportError.malformed("chunk size", "размер блока")
            default:
                return TransportError.malformed("\(error)", "\(error)")
            }
        }
        if let error = error as? NIOConnectionError {
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil { return TransportError.resolve(host) }
            if let io = error.connectionErrors.lazy.compactMap({ $0.error as? IOError }).first { return TransportError.connect(io.errnoCode) }
            return TransportError.connect(ECONNREFUSED)
        }
        if error is SocketAddressError { return TransportError.resolve(host) }
        if let error = error as? IOError {
            if error.errnoCode == ECONNREFUSED || error.errnoCode == EHOSTUNREACH || error.errnoCode == ENETUNREACH {
                return TransportError.connect(error.errnoCode)
            }
            return TransportError.closed
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return TransportError.timedOut(timeout)
            default: return TransportError.closed
            }
        }
        return TransportError(kind: .closed, message: Message(en: "\(error)", ru: "\(error)"))
    }
}

/// Counts interim (`1xx`) answers on a connection and refuses more than
/// ``ResponseLimits/interimAnswers``: AsyncHTTPClient skips them without telling its delegate.
private final class AnswerBounds: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias InboundOut = HTTPClientResponsePart
    private var interim = 0
    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        if case .head(let head) = unwrapInboundIn(data), head.status.code < 200, head.status != .switchingProtocols {
            interim += 1
            if interim > ResponseLimits.interimAnswers {
                refused = true
                context.fireErrorCaught(TransportError.malformed("endless interim answers", "бесконечные промежуточные ответы"))
                context.close(promise: nil)
                return
            }
        }
        context.fireChannelRead(data)
    }
}

/// Writes a request's line in absolute form (`POST http://hub:8460/v1/sync HTTP/1.1`), from its
/// `Host`, as a forward proxy takes it.
private final class AbsoluteForm: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head(var head) = unwrapOutboundIn(data), head.uri.hasPrefix("/"), let host = head.headers.first(name: "host") {
            head.uri = "http://\(host)\(head.uri)"
            context.write(wrapOutboundOut(.head(head)), promise: promise)
            return
        }
        context.write(data, promise: promise)
    }
}

/// Gathers one answer for ``AsyncHTTPClientTransport``: its head, its body within `maxBody`, and
/// the error of ours that ended it (a bound), reporting bytes sent and received as they go. Its
/// state is behind a mutex: AsyncHTTPClient calls it on an event loop while the caller waits.
private final class Collector: HTTPClientResponseDelegate, Sendable {
    typealias Response = Void
    private struct State {
        var response: SyncResponse?
        var data = Data()
        var error: TransportError?
        var sentBytes: Int64 = 0
    }
    private let state = Mutex(State())
    private let maxBody: Int
    private let sent: (@Sendable (Int64) -> Void)?
    private let received: (@Sendable (Int) -> Void)?

    init(maxBody: Int, sent: (@Sendable (Int64) -> Void)?, received: (@Sendable (Int) -> Void)?) {
        self.maxBody = maxBody
        self.sent = sent
        self.received = received
    }

    func collected() -> (response: SyncResponse?, data: Data, error: TransportError?) {
        state.withLock { ($0.response, $0.data, $0.error) }
    }

    private func fail(_ error: TransportError, task: HTTPClient.Task<Void>) -> EventLoopFuture<Void> {
        state.withLock { $0.error = error }
        return task.eventLoop.makeFailedFuture(error)
    }

    func didSendRequestPart(task: HTTPClient.Task<Void>, _ part: IOData) {
        let total = state.withLock { state in
            state.sentBytes += Int64(part.readableBytes)
            return state.sentBytes
        }
        sent?(total)
    }

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        guard head.headers.count <= ResponseLimits.headerLines else {
            return fail(TransportError.malformed, task: task)
        }
        let lengths = head.headers["content-length"]
        if let text = lengths.first {
            guard lengths.count == 1, let length = ResponseLimits.decimal(text) else {
                return fail(TransportError.malformed("Content-Length: \(text.prefix(40))", "Content-Length: \(text.prefix(40))"), task: task)
            }
            guard length <= maxBody else { return fail(TransportError.tooLarge(maxBody), task: task) }
        }
        let response = SyncResponse(statusCode: Int(head.status.code), fields: head.headers.map { ($0.name, $0.value) })
        state.withLock { $0.response = response }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let total: Int? = state.withLock { state in
            guard state.data.count + buffer.readableBytes <= maxBody else { return nil }
            state.data.append(contentsOf: buffer.readableBytesView)
            return state.data.count
        }
        guard let total else { return fail(TransportError.tooLarge(maxBody), task: task) }
        received?(total)
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {}
}

/// The proxy curl would use for a URL, read from the environment.
enum ProxySettings {
    struct Proxy: Equatable {
        var host: String
        var port: Int
        var credentials: String?
    }

    /// `http_proxy` for `http://` (`https_proxy` / `HTTPS_PROXY` for `https://`), else `all_proxy` /
    /// `ALL_PROXY`, unless `no_proxy` / `NO_PROXY` names the host (a suffix of it, or `*`). The
    /// proxy itself is spoken to in plain HTTP.
    static func proxy(for host: String, scheme: String = "http", environment: [String: String]) -> Proxy? {
        let named = scheme == "https" ? environment["https_proxy"] ?? environment["HTTPS_PROXY"] : environment["http_proxy"]
        guard let text = named ?? environment["all_proxy"] ?? environment["ALL_PROXY"], !text.isEmpty else { return nil }
        let exceptions = (environment["no_proxy"] ?? environment["NO_PROXY"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        let lowered = host.lowercased()
        for exception in exceptions {
            if exception == "*" { return nil }
            let bare = exception.hasPrefix(".") ? String(exception.dropFirst()) : exception
            if lowered == bare || lowered.hasSuffix("." + bare) { return nil }
        }
        guard let url = URL(string: text.contains("://") ? text : "http://" + text), url.scheme == "http", let proxyHost = url.host else { return nil }
        let credentials = url.user.map { user in "\(user.removingPercentEncoding ?? user):\(url.password?.removingPercentEncoding ?? "")" }
        return Proxy(host: proxyHost, port: url.port ?? 1080, credentials: credentials)
    }
}
