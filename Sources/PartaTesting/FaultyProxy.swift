import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP proxy on loopback that makes a link patchy: it cuts a share of connections at a random
/// byte, in either direction, and delays every piece it forwards. For tests of syncs over a
/// poor network; POSIX sockets and two threads per connection.
///
/// It stops by itself: ``stop()``, or `lifetime` after it started, closes every connection; a
/// connection on which nothing moves for `idleTimeout` is closed. Loopback only.
///
/// `@unchecked`: its state is under `lock`, taken by POSIX threads (not tasks) that also close
/// and shut down sockets inside the same critical sections; a `Mutex` of that state would hold
/// the same sections, with the descriptors outside the checked state all the same.
public final class FaultyProxy: @unchecked Sendable {
    public struct Faults: Sendable {
        /// Share of connections cut (0…1).
        public var dropRate: Double
        /// A cut falls on a byte drawn uniformly below this, in the direction drawn (a connection
        /// that carries fewer bytes that way is not cut).
        public var cutWithin: Int
        /// Delay before forwarding each piece read, in milliseconds.
        public var latencyMs: ClosedRange<Int>

        public init(dropRate: Double = 0, cutWithin: Int = 4096, latencyMs: ClosedRange<Int> = 0...0) {
            self.dropRate = dropRate
            self.cutWithin = max(1, cutWithin)
            self.latencyMs = latencyMs
        }
    }

    /// What happens to one connection.
    public enum Cut: Sendable, Equatable {
        case none
        /// Forward this many bytes from client to server, then cut.
        case upstream(Int)
        /// Forward this many bytes from server to client, then cut.
        case downstream(Int)
    }

    public let port: Int
    public let idleTimeout: TimeInterval
    private let targetPort: Int
    private let listener: Int32
    private let deadline: Date
    private let lock = NSLock()
    private var faults: Faults
    private var plan: [Cut] = []
    private var upstreamBudget: Int?
    private var random: SeededGenerator
    private var stopped = false
    private var links: [ObjectIdentifier: Link] = [:]
    private var connectionCount = 0, cutCount = 0

    /// Listens on a free loopback port and forwards to `127.0.0.1:targetPort`.
    public init(to targetPort: Int, faults: Faults = Faults(), seed: UInt64 = 1, lifetime: TimeInterval = 300, idleTimeout: TimeInterval = 60) throws {
        self.targetPort = targetPort
        self.faults = faults
        self.random = SeededGenerator(seed: seed)
        self.deadline = Date().addingTimeInterval(lifetime)
        self.idleTimeout = idleTimeout
        (listener, port) = try FaultyProxy.listenOnLoopback(backlog: 128)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    public var url: String { "http://127.0.0.1:\(port)/" }

    /// Connections accepted and connections cut so far.
    public var stats: (connections: Int, cuts: Int) {
        lock.lock(); defer { lock.unlock() }
        return (connectionCount, cutCount)
    }

    /// The next connections meet these cuts, in order, before random faults apply again.
    public func plan(_ cuts: [Cut]) {
        lock.lock(); defer { lock.unlock() }
        plan = cuts
    }

    /// Forwards at most `bytes` more from clients to the server, over all connections, then cuts
    /// every connection at once; nil lifts the limit.
    public func limitUpstream(to bytes: Int?) {
        lock.lock(); defer { lock.unlock() }
        upstreamBudget = bytes
    }

    public func setFaults(_ faults: Faults) {
        lock.lock(); defer { lock.unlock() }
        self.faults = faults
    }

    /// Closes the listener and every connection.
    public func stop() {
        lock.lock()
        guard !stopped else { lock.unlock(); return }
        stopped = true
        let open = Array(links.values)
        lock.unlock()
        for link in open { link.cut() }
    }

    private var isStopped: Bool {
        lock.lock(); defer { lock.unlock() }
        if Date() >= deadline { stopped = true }
        return stopped
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func acceptLoop() {
        defer { close(listener) }
        while !isStopped {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = FaultyProxy.loopback(port: UInt16(targetPort))
            let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard server >= 0, connected == 0 else {
                close(client)
                if server >= 0 { close(server) }
                continue
            }
            let cut = nextCut()
            let link = Link(client: client, server: server)
            lock.lock()
            links[ObjectIdentifier(link)] = link
            lock.unlock()
            if case .upstream(0) = cut { countCut(); link.cut() }
            for upstream in [true, false] {
                Thread { [self] in
                    pump(link, upstream: upstream, cutAt: {
                        switch cut {
                        case .upstream(let n): return upstream ? n : nil
                        case .downstream(let n): return upstream ? nil : n
                        case .none: return nil
                        }
                    }())
                }.start()
            }
        }
        for link in lock.withLock({ Array(links.values) }) { link.cut() }
    }

    private func nextCut() -> Cut {
        lock.lock(); defer { lock.unlock() }
        connectionCount += 1
        if let budget = upstreamBudget, budget <= 0 { return .upstream(0) }
        if !plan.isEmpty { return plan.removeFirst() }
        guard Double(random.next() % 1_000_000) / 1_000_000 < faults.dropRate else { return .none }
        let at = Int(random.next() % UInt64(faults.cutWithin))
        return random.next() % 2 == 0 ? .upstream(at) : .downstream(at)
    }

    private func countCut() {
        lock.lock(); defer { lock.unlock() }
        cutCount += 1
    }

    private func latency() -> UInt32 {
        lock.lock(); defer { lock.unlock() }
        let range = faults.latencyMs
        return UInt32(range.lowerBound + Int(random.next() % UInt64(range.count)))
    }

    /// Forwards one direction until either side closes, the proxy stops or the cut.
    private func pump(_ link: Link, upstream: Bool, cutAt: Int?) {
        defer {
            if link.finishOne() {
                lock.lock()
                links[ObjectIdentifier(link)] = nil
                lock.unlock()
            }
        }
        let from = upstream ? link.client : link.server, to = upstream ? link.server : link.client
        var forwarded = 0
        var buffer = [UInt8](repeating: 0, count: 16 << 10)
        while !isStopped, !link.isCut {
            var poller = pollfd(fd: from, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 200)
            if ready == 0 {
                if Date().timeIntervalSince(link.lastActivity) > idleTimeout { link.cut(); return }
                continue
            }
            let n = buffer.withUnsafeMutableBytes { read(from, $0.baseAddress, $0.count) }
            guard n > 0 else {
                shutdown(to, Int32(SHUT_WR))
                return
            }
            link.touch()
            let delay = latency()
            if delay > 0 { usleep(delay * 1000) }
            var count = n
            var cutHere = false
            if let cutAt, forwarded + n >= cutAt {
                count = cutAt - forwarded
                cutHere = true
            }
            if upstream {
                lock.lock()
                if let budget = upstreamBudget {
                    if count >= budget { count = budget; cutHere = true }
                    upstreamBudget = budget - count
                }
                lock.unlock()
            }
            var sent = 0
            while sent < count {
                let m = buffer.withUnsafeBytes { send(to, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                if m <= 0 { link.cut(); return }
                sent += m
            }
            forwarded += count
            if cutHere {
                countCut()
                link.cut()
                return
            }
        }
    }

    /// Both sockets of one connection; closed when both directions are done.
    ///
    /// `@unchecked` for the reason ``FaultyProxy`` is: its two threads shut down and close the
    /// descriptors under `lock`, so that a late cut never touches a number already reused.
    private final class Link: @unchecked Sendable {
        let client: Int32, server: Int32
        private let lock = NSLock()
        private var cutDone = false
        private var running = 2
        private var last = Date()

        init(client: Int32, server: Int32) {
            self.client = client
            self.server = server
        }

        var isCut: Bool { lock.withLock { cutDone } }
        var lastActivity: Date { lock.withLock { last } }
        func touch() { lock.withLock { last = Date() } }

        /// Breaks the connection both ways at once.
        func cut() {
            lock.lock(); defer { lock.unlock() }
            guard !cutDone else { return }
            cutDone = true
            shutdown(client, Int32(SHUT_RDWR))
            shutdown(server, Int32(SHUT_RDWR))
        }

        /// One direction is done; closes the sockets after the second. Returns true then.
        func finishOne() -> Bool {
            lock.lock(); defer { lock.unlock() }
            running -= 1
            guard running == 0 else { return false }
            // A cut that comes later (from `stop()`) must not shut down descriptors that by then
            // belong to another socket of this process: they were seen to break other tests'
            // connections when the parallel tests reused the numbers.
            cutDone = true
            close(client)
            close(server)
            return true
        }
    }
}

/// A bare HTTP/1.1 exchange over a socket, for tests that send what a well-behaved client never
/// would: a body cut short, a body longer than declared, a header left out.
public enum RawHTTP {
    public struct Reply: Sendable {
        public var status: Int
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: [UInt8]
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends `bytes` (a request's beginning) and then nothing, as a stalled client would; waits
    /// for the server to close the connection, for at most `within` seconds (a bound, so that the
    /// test ends, not a measure). Returns whether the server closed it, and what it sent.
    public static func stall(port: Int, sending bytes: [UInt8], within: TimeInterval = 60) throws -> (closed: Bool, reply: [UInt8]) {
        let connection = try RawConnection(port: port)
        try connection.send(bytes)
        return connection.readToEnd(within: within)
    }

    /// Sends `bytes` one at a time, `every` seconds apart, as a client that keeps a request's
    /// head trickling in would, until the server closes the connection or `within` seconds pass.
    /// Returns the seconds until the server closed it, or nil if it never did.
    public static func trickle(port: Int, sending bytes: [UInt8], every: TimeInterval, within: TimeInterval) throws -> TimeInterval? {
        let connection = try RawConnection(port: port)
        let start = Date()
        var index = 0
        while Date().timeIntervalSince(start) < within {
            do {
                try connection.send([bytes[index % bytes.count]])
            } catch {
                return Date().timeIntervalSince(start)
            }
            index += 1
            Thread.sleep(forTimeInterval: every)
        }
        return nil
    }

    /// Sends a request with `Connection: close` and reads the reply. With `cutAfter`, sends only
    /// that many bytes of the body, then closes the connection (a cut) and returns nil.
    /// `Content-Length` is the body's unless `headers` gives one.
    public static func request(port: Int, _ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = [],
                               cutAfter: Int? = nil, timeout: TimeInterval = 30) throws -> Reply? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PartaBinaryError(description: "socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { throw PartaBinaryError(description: "connect to \(port): \(errno)") }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        var fields = headers
        if !fields.keys.contains(where: { $0.lowercased() == "content-length" }), method != "GET", method != "HEAD" {
            fields["Content-Length"] = String(body.count)
        }
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + body.prefix(cutAfter ?? body.count)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw PartaBinaryError(description: "send: \(errno)") }
            sent += n
        }
        if cutAfter != nil {
            shutdown(fd, Int32(SHUT_RDWR))
            return nil
        }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            reply += buffer[0..<n]
        }
        guard let split = reply.firstRange(of: Array("\r\n\r\n".utf8)) else {
            throw PartaBinaryError(description: "no HTTP reply to \(method) \(path): \(String(decoding: reply, as: UTF8.self))")
        }
        let lines = String(decoding: reply[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var parsed: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            parsed[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var payload = Array(reply[split.upperBound...])
        if let length = parsed["content-length"].flatMap(Int.init), method != "HEAD" { payload = Array(payload.prefix(length)) }
        return Reply(status: status, headers: parsed, body: method == "HEAD" ? [] : payload)
    }
}

/// One loopback TCP connection driven by hand, for tests of clients that misbehave: one that
/// stops reading (a small receive buffer makes the server's writes block soon), one that stalls.
public final class RawConnection {
    let fd: Int32

    /// Connects to `127.0.0.1:port`; `receiveBuffer` (bytes) shrinks this side's receive window.
    public init(port: Int, receiveBuffer: Int? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PartaBinaryError(description: "socket: \(errno)") }
        if var size = receiveBuffer.map(Int32.init) {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { close(fd); throw PartaBinaryError(description: "connect to \(port): \(errno)") }
    }

    deinit { close(fd) }

    public func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw PartaBinaryError(description: "send: \(errno)") }
            sent += n
        }
    }

    /// Reads until the server closes the connection, for at most `within` seconds (a bound so
    /// that a test ends). Returns whether it closed, and the bytes read.
    public func readToEnd(within: TimeInterval = 60) -> (closed: Bool, reply: [UInt8]) {
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        let end = Date().addingTimeInterval(within)
        while Date() < end {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return (true, reply) }
            reply += buffer[0..<n]
        }
        return (false, reply)
    }
}

extension FaultyProxy {
    /// A listening TCP socket on 127.0.0.1 at a port the system chooses: its descriptor and port.
    /// For the test servers that stand in for a hub or cut links (the caller closes it).
    public static func listenOnLoopback(backlog: Int32) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PartaBinaryError(description: "socket: \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, backlog) == 0 else { close(fd); throw PartaBinaryError(description: "bind/listen: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Accepts connections on `listener` until it is shut down (then closes it), handing each to
    /// `handle` on a thread of its own with its number (0, 1, …).
    public static func acceptEach(on listener: Int32, _ handle: @escaping @Sendable (_ client: Int32, _ number: Int) -> Void) {
        Thread {
            var count = 0
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { if errno == EINTR { continue } else { close(listener); return } }
                let number = count
                count += 1
                Thread { handle(client, number) }.start()
            }
        }.start()
    }

    /// Reads one HTTP request from `fd`: its header block (without the blank line) and, by its
    /// Content-Length, its body; nil if the connection ends first.
    public static func readRequest(from fd: Int32) -> (head: String, bytes: [UInt8])? {
        var request: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var needed: Int?
        var head = ""
        while needed.map({ request.count < $0 }) ?? true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return nil }
            request += chunk[..<n]
            if needed == nil, let end = request.firstRange(of: [13, 10, 13, 10]) {
                head = String(decoding: request[..<end.lowerBound], as: UTF8.self)
                let length = head.lowercased().components(separatedBy: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
                needed = end.upperBound + length
            }
        }
        return (head, request)
    }

    /// Sends all of `bytes` on `fd`; false if the connection ended first.
    @discardableResult
    public static func sendAll(_ bytes: [UInt8], on fd: Int32) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }
}
