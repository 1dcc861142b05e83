import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The plumbing under WebDriver: chromedriver as a child process, and HTTP to it.

extension WebDriver {
    /// HTTP/1.1 over a loopback socket, one request per connection, bounded by a deadline.
    /// (Not URLSession: FoundationNetworking is not otherwise needed here, and every byte must be
    /// bounded in time.)
    enum HTTP {
        static func loopback(port: UInt16) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            return address
        }

        static func exchange(_ method: String, port: Int, path: String, body: Data?, timeout: TimeInterval) throws -> (status: Int, body: Data) {
            let deadline = Date().addingTimeInterval(timeout)
            let name = "\(method) \(path)"
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw WebDriverError(.connectionFailed, "socket: errno \(errno)", command: name) }
            defer { close(fd) }
            #if canImport(Darwin)
            var yes: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))
            let sendFlags: Int32 = 0
            #else
            let sendFlags = Int32(MSG_NOSIGNAL)
            #endif
            var address = loopback(port: UInt16(port))
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                throw WebDriverError(.connectionFailed, "cannot connect to chromedriver on 127.0.0.1:\(port): \(String(cString: strerror(errno)))", command: name)
            }
            let body = body ?? Data()
            var request = Data("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: application/json\r\nConnection: close\r\n".utf8)
            if method != "GET" && method != "DELETE" || !body.isEmpty {
                request.append(Data("Content-Type: application/json; charset=utf-8\r\nContent-Length: \(body.count)\r\n".utf8))
            }
            request.append(Data("\r\n".utf8))
            request.append(body)
            var sent = 0
            while sent < request.count {
                try waitFor(Int16(POLLOUT), fd: fd, deadline: deadline, name: name, timeout: timeout)
                let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, request.count - sent, sendFlags) }
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw WebDriverError(.connectionFailed, "sending to chromedriver failed: \(String(cString: strerror(errno)))", command: name)
                }
                sent += n
            }
            var received = Data()
            var buffer = [UInt8](repeating: 0, count: 65536)
            var headerEnd: Int?
            var contentLength: Int?
            var chunked = false
            while true {
                if let end = headerEnd, let length = contentLength, received.count - end >= length { break }
                try waitFor(Int16(POLLIN), fd: fd, deadline: deadline, name: name, timeout: timeout)
                let n = recv(fd, &buffer, buffer.count, 0)
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw WebDriverError(.connectionFailed, "reading from chromedriver failed: \(String(cString: strerror(errno)))", command: name)
                }
                if n == 0 { break }
                received.append(contentsOf: buffer[0..<n])
                if headerEnd == nil, let range = received.range(of: Data("\r\n\r\n".utf8)) {
                    headerEnd = range.upperBound
                    let head = String(decoding: received[..<range.lowerBound], as: UTF8.self).lowercased()
                    for line in head.split(separator: "\r\n") {
                        if line.hasPrefix("content-length:") { contentLength = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) }
                        if line.hasPrefix("transfer-encoding:") && line.contains("chunked") { chunked = true }
                    }
                }
            }
            guard let end = headerEnd else {
                throw WebDriverError(.malformedAnswer, "chromedriver closed the connection before a whole answer (\(received.count) bytes)", command: name)
            }
            let statusLine = String(decoding: received[..<(received.range(of: Data("\r\n".utf8))?.lowerBound ?? end)], as: UTF8.self)
            let parts = statusLine.split(separator: " ")
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
                throw WebDriverError(.malformedAnswer, "not an HTTP answer: \(statusLine.prefix(80))", command: name)
            }
            var payload = Data(received[end...])
            if let length = contentLength {
                guard payload.count >= length else {
                    throw WebDriverError(.malformedAnswer, "answer cut at \(payload.count) of \(length) bytes", command: name)
                }
                payload = payload.prefix(length)
            } else if chunked {
                payload = try dechunk(payload, name: name)
            }
            return (status, Data(payload))
        }

        private static func waitFor(_ events: Int16, fd: Int32, deadline: Date, name: String, timeout: TimeInterval) throws {
            while true {
                let left = deadline.timeIntervalSinceNow
                if left <= 0 { throw WebDriverError(.timedOut, "chromedriver gave no answer within \(timeout) s", command: name) }
                var poller = pollfd(fd: fd, events: events, revents: 0)
                let ready = poll(&poller, 1, Int32(min(left, 1) * 1000) + 1)
                if ready > 0 { return }
                if ready < 0 && errno != EINTR {
                    throw WebDriverError(.connectionFailed, "poll: \(String(cString: strerror(errno)))", command: name)
                }
            }
        }

        private static func dechunk(_ data: Data, name: String) throws -> Data {
            var out = Data()
            var index = data.startIndex
            while index < data.endIndex {
                guard let lineEnd = data[index...].range(of: Data("\r\n".utf8)) else { break }
                let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                    throw WebDriverError(.malformedAnswer, "bad chunk size", command: name)
                }
                if size == 0 { return out }
                let start = lineEnd.upperBound
                guard data.endIndex - start >= size else { throw WebDriverError(.malformedAnswer, "chunked answer cut short", command: name) }
                out.append(data[start..<(start + size)])
                index = start + size + 2
            }
            throw WebDriverError(.malformedAnswer, "chunked answer cut short", command: name)
        }
    }
}

/// chromedriver as a child process: started with `posix_spawn` in a process group of its own,
/// with no signal blocked and default signal handlers.
///
/// Not Foundation's `Process`: that hands the child the spawning thread's signal mask, and under
/// `swift test` that mask blocks SIGTERM, so chromedriver ignored ``stop(browser:)``'s SIGTERM and
/// each quit waited for the SIGKILL. The group of its own lets ``stop(browser:)`` end whatever
/// chromedriver started and left behind.
///
/// `TMPDIR` points into a folder of the caller's (``WebDriver``'s work folder), so the profile
/// chromedriver makes and Chromium's singleton folder land there and go with it, even when a
/// process had to be killed. (Chromium 156 leaves its `org.chromium.Chromium.XXXXXX` singleton
/// folder in the temporary folder after every session, even one ended cleanly.)
///
/// `@unchecked`: `reaped` is under `lock`, held across `waitpid`, so that the child is reaped
/// once and its pid never signalled after (it could be another process's by then).
final class DriverProcess: @unchecked Sendable {
    let pid: pid_t
    private let lock = NSLock()
    private var reaped = false

    init(_ path: String, _ arguments: [String], output: String, temporaryDirectory: String) throws {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer { posix_spawn_file_actions_destroy(&actions); posix_spawnattr_destroy(&attributes) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = temporaryDirectory
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, path, &actions, &attributes, argv, envp)
        guard status == 0 else { throw WebDriverError(.driverDidNotStart, "posix_spawn \(path): \(String(cString: strerror(status)))") }
        pid = child
    }

    deinit { stop(browser: nil) }

    /// True once chromedriver has exited, whether or not it was reaped yet.
    var hasExited: Bool {
        lock.lock(); defer { lock.unlock() }
        return reaped || !WebDriver.isRunning(pid)
    }

    /// Waits up to `grace` seconds for chromedriver to exit by itself, then SIGTERM, SIGKILL if it
    /// is still there after 3 s more; then, before reaping it (so that its pid and group id cannot
    /// be reused meanwhile), SIGKILL to whatever is left in its process group, waiting up to 2 s for
    /// those to die, and to the browser's main process if it still runs elsewhere. Bounded (about
    /// `grace` + 7 s at most); idempotent.
    func stop(browser: pid_t?, grace: TimeInterval = 0) {
        lock.lock(); defer { lock.unlock() }
        guard !reaped else { return }
        let graceful = Date().addingTimeInterval(grace)
        while WebDriver.isRunning(pid) && Date() < graceful { usleep(10_000) }
        if WebDriver.isRunning(pid) {
            kill(pid, SIGTERM)
            let deadline = Date().addingTimeInterval(3)
            while WebDriver.isRunning(pid) && Date() < deadline { usleep(10_000) }
            if WebDriver.isRunning(pid) { kill(pid, SIGKILL) }
            let hard = Date().addingTimeInterval(2)
            while WebDriver.isRunning(pid) && Date() < hard { usleep(10_000) }
        }
        if killpg(pid, SIGKILL) == 0 {
            let deadline = Date().addingTimeInterval(2)
            while !DriverProcess.liveMembers(ofGroup: pid).isEmpty && Date() < deadline { usleep(10_000) }
        }
        if let browser, WebDriver.isLiveChromium(browser) { kill(browser, SIGKILL) }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid || (result < 0 && errno == ECHILD) { reaped = true }
    }

    /// Processes in process group `group` that have not exited (zombies do not count), from /proc.
    static func liveMembers(ofGroup group: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && fields[0] != "Z" && fields[0] != "X" && pid_t(fields[2]) == group
        }
    }
}
