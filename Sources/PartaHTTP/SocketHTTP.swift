import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PartaCore
import PartaBundle

#if canImport(Glibc)
private let systemConnect = Glibc.connect
#else
private let systemConnect = Darwin.connect
#endif

/// A failure of one HTTP request on the wire, in words a user reads after "No connection to the
/// hub (…)". `errorDescription` is English (``Doctor`` looks for "resolve" and "timed out").
struct TransportError: LocalizedError, Sendable {
    enum Kind: Sendable { case resolve, connect, timedOut, closed, malformed, tooLarge }
    var kind: Kind
    var message: Message

    var errorDescription: String? { message.en }

    static func resolve(_ host: String) -> TransportError {
        TransportError(kind: .resolve, message: Message(en: "could not resolve \(host)", ru: "не удалось найти адрес \(host)"))
    }
    static func connect(_ code: Int32) -> TransportError {
        let system = String(cString: strerror(code))
        let russian: String
        switch code {
        case ECONNREFUSED: russian = "соединение отклонено — сервер управления не запущен или порт неверен"
        case ETIMEDOUT: russian = "истекло время ожидания"
        case EHOSTUNREACH: russian = "узел недоступен"
        case ENETUNREACH: russian = "сеть недоступна"
        case ECONNRESET: russian = "соединение сброшено"
        default: russian = system
        }
        return TransportError(kind: .connect, message: Message(en: "could not connect: \(system)", ru: "не удалось подключиться: \(russian)"))
    }
    static func timedOut(_ seconds: TimeInterval) -> TransportError {
        TransportError(kind: .timedOut, message: Message(en: "timed out: nothing moved for \(Int(seconds)) s",
                                                         ru: "истекло время ожидания: \(Int(seconds)) с без движения данных"))
    }
    static let closed = TransportError(kind: .closed, message: Message(en: "the connection broke", ru: "связь прервалась"))
    static let malformed = TransportError(kind: .malformed, message: Message(en: "the answer is not HTTP", ru: "ответ не является ответом HTTP"))
    static func malformed(_ what: String, _ russian: String) -> TransportError {
        TransportError(kind: .malformed, message: Message(en: "the answer is not valid HTTP (\(what))", ru: "ответ не является корректным ответом HTTP (\(russian))"))
    }
    static func tooLarge(_ limit: Int) -> TransportError {
        TransportError(kind: .tooLarge, message: Message(en: "the answer is larger than \(limit >> 20) MiB, more than a bundle may be",
                                                         ru: "ответ больше \(limit >> 20) МиБ — больше, чем может быть пакет"))
    }
}

/// Plain HTTP/1.1 over a socket, one request per connection (`Connection: close`), for the
/// client's `http://` requests; `https://` goes through URLSession (``URLSessionTransport``).
///
/// Why not URLSession for everything: on Linux, libcurl (7.88) reports success for an answer cut
/// inside its header block, and FoundationNetworking then stops the process ("Transfer completed,
/// but there's no response"). A link that drops at any byte must be a failure to retry, never a
/// crash. Here an answer counts only once its header block is whole, and a body only once it has
/// all its `Content-Length` (or its last chunk); whatever came before a cut is still returned,
/// with the error, so a download resumes from it.
///
/// Honours `http_proxy` / `all_proxy` (and `no_proxy`) as curl does, for plain-HTTP proxies.
/// Blocking, with `timeout` as the longest time nothing may move (connecting, sending, receiving).
///
/// Whatever bytes a server sends, the reader never traps and holds a bounded amount: the header
/// block at most ``ResponseLimits/headerBytes`` in ``ResponseLimits/headerLines`` lines, at most
/// ``ResponseLimits/interimAnswers`` interim `1xx` answers, a chunk-size line at most
/// ``ResponseLimits/lineBytes``; `Content-Length` and chunk sizes are digits only (no sign, no
/// spaces inside), and the body at most `maxBody` bytes, however it is framed. Anything else is
/// `.malformed` or `.tooLarge`.
final class SocketTransport: HTTPTransport {
    let timeout: TimeInterval
    let environment: [String: String]
    let maxBody: Int

    init(timeout: TimeInterval, environment: [String: String] = ProcessInfo.processInfo.environment,
         maxBody: Int = ResponseLimits.defaultMaxBody) {
        self.timeout = timeout
        self.environment = environment
        self.maxBody = maxBody
    }

    func perform(_ request: URLRequest, sent: ((Int64) -> Void)? = nil, received: ((Int) -> Void)? = nil) -> TransportResult {
        var result = TransportResult(response: nil, data: Data(), error: nil)
        guard let url = request.url, let host = url.host, !host.isEmpty else {
            result.error = TransportError.resolve(request.url?.absoluteString ?? "?")
            return result
        }
        let port = url.port ?? 80
        let proxy = SocketTransport.proxy(for: host, environment: environment)
        let fd: Int32
        do {
            fd = try connect(host: proxy?.host ?? host, port: proxy?.port ?? port)
        } catch {
            result.error = error
            return result
        }
        defer { close(fd) }

        let method = request.httpMethod ?? "GET"
        let body = request.httpBody ?? Data()
        var path = url.path.isEmpty ? "/" : url.path
        if let query = url.query { path += "?" + query }
        let hostField = url.port.map { "\(SocketTransport.bracketed(host)):\($0)" } ?? SocketTransport.bracketed(host)
        let target = proxy == nil ? path : "http://\(hostField)\(path)"
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(hostField)\r\nConnection: close\r\nUser-Agent: parta\r\n"
        if let credentials = proxy?.credentials { head += "Proxy-Authorization: Basic \(Data(credentials.utf8).base64EncodedString())\r\n" }
        for (name, value) in request.allHTTPHeaderFields ?? [:] where !["host", "connection", "content-length"].contains(name.lowercased()) {
            head += "\(name): \(value)\r\n"
        }
        if method != "GET" && method != "HEAD" || !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"

        // Send; a hub that answers early (a refusal before reading the body) may close meanwhile,
        // so a failed send still reads what the hub said.
        var sendError: Error?
        do {
            try sendAll(fd, Array(head.utf8), progress: nil)
            if !body.isEmpty { try sendAll(fd, [UInt8](body), progress: sent) }
        } catch {
            sendError = error
        }
        let reader = ResponseReader(fd: fd, timeout: timeout, isHead: method == "HEAD", maxBody: maxBody, received: received)
        let (reply, data, readError) = reader.read()
        result.data = data
        if let reply {
            result.response = HTTPURLResponse(url: url, statusCode: reply.status, httpVersion: "HTTP/1.1", headerFields: reply.headers)
        }
        result.error = readError ?? (reply == nil ? sendError : nil)
        return result
    }

    // MARK: Connecting

    private func connect(host: String, port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        guard getaddrinfo(name, String(port), &hints, &list) == 0, let first = list else { throw TransportError.resolve(host) }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = ECONNREFUSED
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { lastError = errno; continue }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if systemConnect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            guard errno == EINPROGRESS else { lastError = errno; close(fd); continue }
            guard SocketTransport.wait(fd, for: Int16(POLLOUT), timeout: timeout) else { close(fd); throw TransportError.timedOut(timeout) }
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
            if code == 0 { return fd }
            lastError = code
            close(fd)
        }
        throw TransportError.connect(lastError)
    }

    private func sendAll(_ fd: Int32, _ bytes: [UInt8], progress: ((Int64) -> Void)?) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, min(64 << 10, bytes.count - sent), Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                sent += n
                progress?(Int64(sent))
                continue
            }
            if n < 0, errno == EINTR { continue }
            if n < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                guard SocketTransport.wait(fd, for: Int16(POLLOUT), timeout: timeout) else { throw TransportError.timedOut(timeout) }
                continue
            }
            throw TransportError.closed
        }
    }

    /// Waits until `fd` is ready for `events`, for at most `timeout` seconds.
    static func wait(_ fd: Int32, for events: Int16, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            var poller = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&poller, 1, Int32(min(left * 1000, 60_000).rounded(.up)))
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { return true }   // the next read or send says what is wrong
        }
    }

    static func bracketed(_ host: String) -> String { host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host }

    // MARK: Proxies

    /// The plain-HTTP proxy curl would use for `host`: `http_proxy`, else `all_proxy` / `ALL_PROXY`,
    /// unless `no_proxy` / `NO_PROXY` names the host (a suffix of it, or `*`).
    static func proxy(for host: String, environment: [String: String]) -> (host: String, port: Int, credentials: String?)? {
        guard let text = environment["http_proxy"] ?? environment["all_proxy"] ?? environment["ALL_PROXY"], !text.isEmpty else { return nil }
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
        return (proxyHost, url.port ?? 1080, credentials)
    }
}

/// Bounds on what the client takes from a server (see ``SocketTransport``).
enum ResponseLimits {
    /// The largest answer body: the largest bundle a file may hold, plus 1 MiB for framing and text.
    static let defaultMaxBody = BundleFiles.defaultMaxFileBytes + (1 << 20)
    static let headerBytes = 64 << 10
    static let headerLines = 100
    static let interimAnswers = 8
    static let lineBytes = 4096

    /// A `Content-Length`: 1 to 18 decimal digits, nothing else (no sign, no spaces inside, no list).
    static func decimal(_ text: String) -> Int? {
        let digits = text.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        guard (1...18).contains(digits.utf8.count), digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(digits)
    }

    /// A chunk size: 1 to 15 hex digits, before any `;extension`, nothing else.
    static func hexadecimal(_ line: String) -> Int? {
        let digits = (line.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        guard (1...15).contains(digits.utf8.count),
              digits.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        return Int(digits, radix: 16)
    }
}

/// Reads one HTTP/1.1 answer: the header block (interim `1xx` answers skipped), then the body by
/// `Content-Length`, chunked, or until the hub closes; within ``ResponseLimits`` and `maxBody`.
private struct ResponseReader {
    let fd: Int32
    let timeout: TimeInterval
    let isHead: Bool
    let maxBody: Int
    let received: ((Int) -> Void)?

    struct Head {
        var status: Int
        var headers: [String: String]
    }

    func read() -> (Head?, Data, Error?) {
        var buffer: [UInt8] = []
        var head: Head?
        var interim = 0
        while head == nil {
            let terminator: [UInt8] = [13, 10, 13, 10]
            if let end = buffer.firstRange(of: terminator) {
                guard end.lowerBound <= ResponseLimits.headerBytes else {
                    return (nil, Data(), TransportError.malformed("header block over 64 KiB", "заголовки больше 64 КиБ"))
                }
                guard let parsed = ResponseReader.parse(buffer[..<end.lowerBound]) else { return (nil, Data(), TransportError.malformed) }
                buffer.removeSubrange(..<end.upperBound)
                if (100..<200).contains(parsed.status) {
                    interim += 1
                    guard interim <= ResponseLimits.interimAnswers else {
                        return (nil, Data(), TransportError.malformed("endless interim answers", "бесконечные промежуточные ответы"))
                    }
                    continue
                }
                head = parsed
                break
            }
            guard buffer.count < ResponseLimits.headerBytes else {
                return (nil, Data(), TransportError.malformed("header block over 64 KiB", "заголовки больше 64 КиБ"))
            }
            switch more(&buffer) {
            case .some(let error): return (nil, Data(), error)
            case .none: continue
            }
        }
        let answer = head!
        if isHead || answer.status == 204 || answer.status == 304 { return (answer, Data(), nil) }
        let field = { (name: String) in answer.headers.first { $0.key.lowercased() == name }?.value }
        if field("transfer-encoding")?.lowercased().contains("chunked") == true {
            return readChunked(answer, buffer)
        }
        var body = Data(buffer)
        if let text = field("content-length") {
            guard let length = ResponseLimits.decimal(text) else {
                return (answer, Data(), TransportError.malformed("Content-Length: \(text.prefix(40))", "Content-Length: \(text.prefix(40))"))
            }
            guard length <= maxBody else { return (answer, Data(), TransportError.tooLarge(maxBody)) }
            if body.count > length { body = body.prefix(length) }
            if !body.isEmpty { received?(body.count) }
            while body.count < length {
                var piece: [UInt8] = []
                if let error = more(&piece, until: length - body.count) { return (answer, body, error) }
                body.append(contentsOf: piece)
                received?(body.count)
            }
            return (answer, body, nil)
        }
        // No length: the body ends where the hub closes.
        if !body.isEmpty { received?(body.count) }
        while true {
            guard body.count <= maxBody else { return (answer, body.prefix(maxBody), TransportError.tooLarge(maxBody)) }
            var piece: [UInt8] = []
            if let error = more(&piece) {
                if let transport = error as? TransportError, transport.kind == .closed, piece.isEmpty { return (answer, body, nil) }
                return (answer, body, error)
            }
            body.append(contentsOf: piece)
            received?(body.count)
        }
    }

    private func readChunked(_ head: Head, _ start: [UInt8]) -> (Head?, Data, Error?) {
        var pending = start
        var body = Data()
        enum Line { case text(String), cut, tooLong }
        func line() -> Line {
            while true {
                if let end = pending.firstRange(of: [13, 10]) {
                    guard end.lowerBound <= ResponseLimits.lineBytes else { return .tooLong }
                    let text = String(decoding: pending[..<end.lowerBound], as: UTF8.self)
                    pending.removeSubrange(..<end.upperBound)
                    return .text(text)
                }
                guard pending.count <= ResponseLimits.lineBytes else { return .tooLong }
                if more(&pending) != nil { return .cut }
            }
        }
        while true {
            let sizeText: String
            switch line() {
            case .cut: return (head, body, TransportError.closed)
            case .tooLong: return (head, body, TransportError.malformed("chunk size line too long", "слишком длинная строка размера блока"))
            case .text(let text): sizeText = text
            }
            guard let size = ResponseLimits.hexadecimal(sizeText) else {
                return (head, body, TransportError.malformed("chunk size \(sizeText.prefix(40))", "размер блока \(sizeText.prefix(40))"))
            }
            if size == 0 { return (head, body, nil) }
            guard size <= maxBody - body.count else { return (head, body, TransportError.tooLarge(maxBody)) }
            while pending.count < size + 2 {
                if more(&pending, until: size + 2 - pending.count) != nil {
                    body.append(contentsOf: pending.prefix(size))
                    return (head, body, TransportError.closed)
                }
            }
            guard pending[size] == 13, pending[size + 1] == 10 else {
                return (head, body, TransportError.malformed("chunk not ended by CRLF", "блок не завершён CRLF"))
            }
            body.append(contentsOf: pending[..<size])
            pending.removeSubrange(..<(size + 2))
            received?(body.count)
        }
    }

    /// Reads what is there into `buffer` (at most `until` bytes); nil, or the error: a timeout,
    /// or `.closed` at the end of the stream.
    private func more(_ buffer: inout [UInt8], until limit: Int = 64 << 10) -> Error? {
        var chunk = [UInt8](repeating: 0, count: min(64 << 10, max(1, limit)))
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[..<n])
                return nil
            }
            if n == 0 { return TransportError.closed }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                guard SocketTransport.wait(fd, for: Int16(POLLIN), timeout: timeout) else { return TransportError.timedOut(timeout) }
                continue
            }
            return TransportError.closed
        }
    }

    /// `HTTP/1.x NNN reason` and `Name: value` lines; nil if the status is not three digits from
    /// 100 to 599 or there are more than ``ResponseLimits/headerLines`` lines.
    static func parse(_ bytes: ArraySlice<UInt8>) -> Head? {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        guard lines.count <= ResponseLimits.headerLines + 1, let status = lines.first, status.hasPrefix("HTTP/1."), status.utf8.count >= 12 else { return nil }
        let digits = status.utf8.dropFirst(9).prefix(3)
        guard digits.allSatisfy({ (0x30...0x39).contains($0) }), let code = Int(String(decoding: digits, as: UTF8.self)),
              (100...599).contains(code) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            if let existing = headers[name] { headers[name] = existing + ", " + value } else { headers[name] = value }
        }
        return Head(status: code, headers: headers)
    }
}
