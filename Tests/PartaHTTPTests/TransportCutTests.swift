import Foundation
import PartaTesting
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import PartaHTTP

/// A loopback server for one test: for each connection, reads the request whole (its header block
/// and its `Content-Length` body), then sends what `answer` gives for that connection's number
/// (the bytes of an answer, perhaps cut short) and closes.
/// `@unchecked`: its state is under its lock, taken by its accepting thread and by the test.
final class CannedServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32

    private let requestLock = NSLock()
    private var heads: [String] = []
    /// The header blocks of the requests so far.
    var requests: [String] { requestLock.lock(); defer { requestLock.unlock() }; return heads }

    init(answer: @escaping @Sendable (Int) -> [UInt8]?) throws {
        let (fd, boundPort) = try FaultyProxy.listenOnLoopback(backlog: 64)
        listener = fd
        port = boundPort
        FaultyProxy.acceptEach(on: fd) { [self] client, number in serve(client, answer(number)) }
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)/v1/sync")! }

    private func serve(_ fd: Int32, _ answer: [UInt8]?) {
        defer { close(fd) }
        guard let request = FaultyProxy.readRequest(from: fd) else { return }
        requestLock.lock(); heads.append(request.head); requestLock.unlock()
        guard let answer else {
            // Never answers: holds the connection until the client gives up.
            var byte: UInt8 = 0
            _ = recv(fd, &byte, 1, 0)
            return
        }
        FaultyProxy.sendAll(answer, on: fd)
    }

    private let lock = NSLock()
    private var stopped = false

    /// Ends the accept loop, which closes the listener; once only (a second `shutdown` could hit a
    /// number another test's socket has taken since).
    func stop() {
        lock.lock(); defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        shutdown(listener, Int32(SHUT_RDWR))
    }
}

/// The sync client's transport against answers cut at every byte, the header block included
/// (Protocol/sync-http-v1.md §3): an answer counts only once its header block is whole and its
/// body has every byte; before that, the request failed (to be retried), and the body bytes that
/// came are kept for a download to resume from. Never a trap, never a success.
@Suite struct TransportCutTests {
    static let answers: [(name: String, bytes: [UInt8], body: [UInt8])] = [
        ("Content-Length", Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nParta-Resumable: 1\r\n\r\n0123456789".utf8), Array("0123456789".utf8)),
        ("chunked", Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n".utf8), Array("helloworld".utf8)),
        ("after 100 Continue", Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 206 Partial Content\r\nContent-Length: 4\r\n\r\nabcd".utf8), Array("abcd".utf8)),
    ]

    static func transport(timeout: TimeInterval = 10, environment: [String: String] = [:]) -> HTTPTransport {
        AsyncHTTPClientTransport(timeout: timeout, environment: environment)
    }

    static func request(_ url: URL, body: Int = 300) -> SyncRequest {
        var request = SyncRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.httpBody = Data(repeating: 7, count: body)
        return request
    }

    @Test func anAnswerCutAtAnyByteIsAFailureKeepingTheBodyBytesThatCame() throws {
        for answer in TransportCutTests.answers {
            let bytes = answer.bytes
            let server = try CannedServer { cut in Array(bytes.prefix(cut)) }
            defer { server.stop() }
            let transport = TransportCutTests.transport()
            // Where the final answer's header block ends: before it, there is no answer yet.
            let headEnd = bytes.count - (answer.name == "chunked" ? 25 : answer.body.count)
            for cut in 0...bytes.count {
                // `nonisolated(unsafe)`: appended to by the transport's progress callbacks, which run one at a time during the sync, and read after it.
                nonisolated(unsafe) var sent: [Int64] = [], received: [Int] = []
                let r = transport.perform(TransportCutTests.request(server.url), sent: { sent.append($0) }, received: { received.append($0) })
                #expect(sent.last == 300 && sent == sent.sorted(), "bytes sent, as they go: \(sent)")
                #expect(received.last ?? 0 == r.data.count && received == received.sorted(), "bytes received, as they come: \(received)")
                let where_ = "\(answer.name), cut after \(cut) of \(bytes.count)"
                if cut == bytes.count {
                    #expect(r.error == nil, "\(where_): \(String(describing: r.error))")
                    #expect(r.response?.statusCode ?? 0 >= 200 && [UInt8](r.data) == answer.body, "\(where_)")
                    continue
                }
                // After the last chunk's size line, the body is whole; a client need not wait for
                // the blank line that ends the trailers.
                if answer.name == "chunked", cut >= bytes.count - 2, r.error == nil {
                    #expect([UInt8](r.data) == answer.body, "\(where_)")
                    continue
                }
                #expect(r.error != nil, "\(where_): taken as whole (\(r.response?.statusCode ?? 0), \(r.data.count) bytes)")
                let kind = (r.error as? TransportError)?.kind
                #expect(kind == .closed, "\(where_): \(String(describing: r.error))")
                if cut < headEnd { #expect(r.response == nil, "\(where_)") } else { #expect(r.response != nil, "\(where_)") }
                #expect(answer.body.starts(with: [UInt8](r.data)), "\(where_): \([UInt8](r.data))")
                if answer.name == "Content-Length", cut >= bytes.count - answer.body.count {
                    #expect(r.data.count == cut - (bytes.count - answer.body.count), "\(where_): kept \(r.data.count)")
                }
            }
        }
    }

    @Test func theWordsDoctorLooksFor() throws {
        let silent = try CannedServer { _ in nil }
        defer { silent.stop() }
        let timedOut = TransportCutTests.transport(timeout: 1).perform(TransportCutTests.request(silent.url))
        #expect(timedOut.error?.localizedDescription.contains("timed out") == true, "\(String(describing: timedOut.error))")

        let unknown = TransportCutTests.transport().perform(TransportCutTests.request(URL(string: "http://no-such-host.invalid:8080/v1/sync")!))
        #expect(unknown.error?.localizedDescription.contains("resolve") == true, "\(String(describing: unknown.error))")

        let closedPort = silent.port   // a port nobody listens on once stopped
        silent.stop()
        Thread.sleep(forTimeInterval: 0.2)
        let started = Date()
        let refused = TransportCutTests.transport().perform(TransportCutTests.request(URL(string: "http://127.0.0.1:\(closedPort)/v1/sync")!))
        #expect(refused.error?.localizedDescription.contains("could not connect") == true, "\(String(describing: refused.error))")
        #expect(Date().timeIntervalSince(started) < 5, "a refused connection fails at once")
    }

    @Test func endlessInterimAnswersAreRefused() throws {
        let endless = Array(String(repeating: "HTTP/1.1 100 Continue\r\n\r\n", count: 5000).utf8)
        let server = try CannedServer { _ in endless }
        defer { server.stop() }
        let started = Date()
        let r = TransportCutTests.transport().perform(TransportCutTests.request(server.url))
        #expect((r.error as? TransportError)?.kind == .malformed, "\(String(describing: r.error))")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func aProxyFromTheEnvironmentIsUsedUnlessNoProxyNamesTheHost() throws {
        let proxy = try CannedServer { _ in Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8) }
        defer { proxy.stop() }
        let hub = URL(string: "http://hub.invalid:8460/v1/sync")!
        let through = TransportCutTests.transport(environment: ["http_proxy": "http://school:p%40ss@127.0.0.1:\(proxy.port)"])
            .perform(TransportCutTests.request(hub))
        #expect(through.error == nil && through.response?.statusCode == 200 && through.data == Data("ok".utf8), "\(String(describing: through.error))")
        let head = try #require(proxy.requests.first)
        #expect(head.hasPrefix("POST http://hub.invalid:8460/v1/sync HTTP/1.1\r\n"), "\(head)")
        #expect(head.contains("Proxy-Authorization: Basic \(Data("school:p@ss".utf8).base64EncodedString())"), "\(head)")

        for exception in ["hub.invalid", ".invalid", "*"] {
            let direct = TransportCutTests.transport(environment: ["http_proxy": "127.0.0.1:\(proxy.port)", "no_proxy": "localhost, \(exception)"])
                .perform(TransportCutTests.request(hub))
            #expect(direct.error?.localizedDescription.contains("resolve") == true, "\(exception): \(String(describing: direct.error))")
        }
        #expect(proxy.requests.count == 1)
        // `http_proxy` is for http only; https goes through `https_proxy` (or `all_proxy`).
        #expect(ProxySettings.proxy(for: "hub.example", scheme: "https", environment: ["http_proxy": "127.0.0.1:3128"]) == nil)
        #expect(ProxySettings.proxy(for: "hub.example", scheme: "https", environment: ["https_proxy": "127.0.0.1:3128"])?.port == 3128)
        #expect(ProxySettings.proxy(for: "hub.example", scheme: "http", environment: ["ALL_PROXY": "proxy.lan"])?.port == 1080)
    }
}
