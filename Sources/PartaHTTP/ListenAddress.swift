import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

#if canImport(Glibc)
private let systemBind = Glibc.bind
private let sockStream = Int32(SOCK_STREAM.rawValue)
#else
private let systemBind = Darwin.bind
private let sockStream = SOCK_STREAM
#endif

/// The server could not listen on its address because another program holds the port.
///
/// ``SyncServer/run(clock:onListening:)`` throws it instead of the networking library's bind
/// error, and ``checkAvailable(host:port:)`` before anything starts, so that a user reads which
/// port is taken rather than a socket error.
public struct AddressInUse: Error, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { "\(host):\(port) is in use" }

    /// Throws ``AddressInUse`` if a server could not listen on `host:port` now because another
    /// socket listens there, and ``ListenHostUnusable`` if `host` names no address of this
    /// computer (a name that does not resolve, or another computer's address). Other trouble (no
    /// permission) is left for the server itself to report. Port 0 (any free port) is never in use.
    public static func checkAvailable(host: String, port: Int) throws {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_socktype = sockStream
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw ListenHostUnusable(host: host, resolves: false)
        }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            defer { entry = info.pointee.ai_next }
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            // As the server sets it: a port left in TIME_WAIT by a server just stopped is free.
            var on: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
            if systemBind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
                if errno == EADDRINUSE, port > 0 { throw AddressInUse(host: host, port: port) }
                if errno == EADDRNOTAVAIL { throw ListenHostUnusable(host: host, resolves: true) }
            }
        }
    }

    /// Whether `error`, thrown while a server started, says its address was in use.
    static func isAddressInUse(_ error: Error) -> Bool {
        if error is AddressInUse { return true }
        if let io = error as? IOError { return io.errnoCode == EADDRINUSE }
        return "\(error)".contains("Address already in use")
    }
}

/// `--listen` names a host the server cannot listen on: a name that does not resolve, or an
/// address that is not this computer's (``AddressInUse/checkAvailable(host:port:)``).
public struct ListenHostUnusable: Error, Sendable {
    public var host: String
    /// Whether the name resolved (to an address of another computer).
    public var resolves: Bool
}
