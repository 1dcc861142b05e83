import Foundation
import PartaTesting
import CSQLite
import CZlib
import PartaCore

// MARK: - Time

@inline(__always) func monotonicNanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Runs `body` once and returns its result with the elapsed wall time in milliseconds.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = monotonicNanos()
    let result = try body()
    return (result, Double(monotonicNanos() - start) / 1_000_000)
}

func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = monotonicNanos()
    let result = try await body()
    return (result, Double(monotonicNanos() - start) / 1_000_000)
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Rounds to `digits` significant-ish decimals for JSON (keeps integers readable).
func rounded(_ v: Double, _ digits: Int = 3) -> Double {
    guard v.isFinite else { return 0 }
    let p = pow(10.0, Double(digits))
    return (v * p).rounded() / p
}

// MARK: - Logging

let benchStart = monotonicNanos()

/// Progress lines go to stderr so that `--json` leaves stdout to the one JSON object.
func log(_ text: String) {
    let start = benchStart // a lazy global: read it before the clock
    let seconds = Double(monotonicNanos() - start) / 1e9
    FileHandle.standardError.write(Data((String(format: "[%7.1fs] ", seconds) + text + "\n").utf8))
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

func require(_ condition: Bool, _ what: @autoclosure () -> String) throws {
    if !condition { throw BenchFailure(what()) }
}

// MARK: - Machine and process

/// A field of /proc/self/status in kB (VmRSS, VmHWM, …), or nil if unavailable.
func procStatusKB(_ key: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
        let digits = line.dropFirst(key.count + 1).filter { $0.isNumber }
        return Int(digits)
    }
    return nil
}

func cpuModel() -> String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
        if let colon = line.firstIndex(of: ":") { return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) }
    }
    return "unknown"
}

func loadAverage() -> String {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}

func memTotalMB() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
        return (Int(line.filter { $0.isNumber }) ?? 0) / 1024
    }
    return 0
}

func fileSizeMB(_ paths: [String]) -> Double {
    var total: UInt64 = 0
    for p in paths {
        if let attrs = try? FileManager.default.attributesOfItem(atPath: p), let size = attrs[.size] as? NSNumber {
            total += size.uint64Value
        }
    }
    return Double(total) / 1_048_576
}

func databaseSizeMB(_ path: String) -> Double { fileSizeMB([path, path + "-wal"]) }

/// The path of this executable (for re-invoking it as a child process).
func selfExecutablePath() -> String {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
    return Bundle.main.executablePath ?? CommandLine.arguments[0]
}

// MARK: - Temporary folders

/// A fresh folder under NSTemporaryDirectory(), removed by ``remove()``.
final class TempRoot {
    let path: String

    init(_ label: String) throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func folder(_ name: String) throws -> String {
        let p = file(name)
        try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

// MARK: - Deterministic data

// SeededGenerator (SplitMix64) comes from PartaTesting: the same seed gives the same data in Parta and in the reference.

func randomBundleID() -> [UInt8] {
    var g = SystemRandomNumberGenerator()
    return (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
}

/// Milliseconds for a UTC date and hour.
func milliseconds(year: Int, month: Int, day: Int, hour: Int = 12) -> UInt64 {
    UInt64(CivilTime.daysFromCivil(year: year, month: month, day: day) * 86_400 + hour * 3600) * 1000
}

// MARK: - Raw SQLite (the reference)

let SQLITE_TRANSIENT_BENCH = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A bare SQLite connection through the C API, with the same journal settings as Parta's
/// ``Database`` (WAL, synchronous=NORMAL), so the reference differs only in what Parta adds.
final class RawDB {
    private(set) var handle: OpaquePointer?
    let path: String

    init(path: String, readOnly: Bool = false) throws {
        self.path = path
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK else {
            throw BenchFailure("cannot open \(path): \(String(cString: sqlite3_errmsg(handle)))")
        }
        if !readOnly {
            try exec("PRAGMA journal_mode=WAL")
            try exec("PRAGMA synchronous=NORMAL")
        }
    }

    deinit { sqlite3_close_v2(handle) }

    func exec(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &err) != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? "?"
            sqlite3_free(err)
            throw BenchFailure("sqlite: \(message) in \(sql.prefix(120))")
        }
    }

    func prepare(_ sql: String) throws -> RawStatement {
        var s: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &s, nil) == SQLITE_OK, let s else {
            throw BenchFailure("prepare: \(String(cString: sqlite3_errmsg(handle))) in \(sql.prefix(120))")
        }
        return RawStatement(s, db: self)
    }

    var errorMessage: String { String(cString: sqlite3_errmsg(handle)) }
}

final class RawStatement {
    let s: OpaquePointer
    unowned let db: RawDB
    init(_ s: OpaquePointer, db: RawDB) { self.s = s; self.db = db }
    deinit { sqlite3_finalize(s) }

    @inline(__always) func bind(_ index: Int32, _ text: String) { sqlite3_bind_text(s, index, text, -1, SQLITE_TRANSIENT_BENCH) }
    @inline(__always) func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(s, index, value) }

    /// Steps to completion (for statements without rows) and resets.
    func run() throws {
        var status = sqlite3_step(s)
        while status == SQLITE_ROW { status = sqlite3_step(s) }
        sqlite3_reset(s)
        guard status == SQLITE_DONE else { throw BenchFailure("step: \(db.errorMessage)") }
    }

    func step() throws -> Bool {
        let status = sqlite3_step(s)
        if status == SQLITE_ROW { return true }
        sqlite3_reset(s)
        guard status == SQLITE_DONE else { throw BenchFailure("step: \(db.errorMessage)") }
        return false
    }
}

// MARK: - zlib

/// zlib (RFC 1950) compression with compress2, as the session-extension reference uses.
func zlibCompress(_ input: UnsafeRawBufferPointer, level: Int32 = 6) throws -> [UInt8] {
    var destLength = compressBound(uLong(input.count))
    var out = [UInt8](repeating: 0, count: Int(destLength))
    let status = out.withUnsafeMutableBufferPointer { dest in
        compress2(dest.baseAddress, &destLength, input.bindMemory(to: Bytef.self).baseAddress, uLong(input.count), level)
    }
    guard status == Z_OK else { throw BenchFailure("compress2 failed: \(status)") }
    return Array(out.prefix(Int(destLength)))
}

func zlibCompress(_ input: [UInt8], level: Int32 = 6) throws -> [UInt8] {
    try input.withUnsafeBytes { try zlibCompress($0, level: level) }
}

// MARK: - SQLite session extension

/// A session attached to one table of a raw connection; ``changeset()`` returns SQLite's own
/// binary change set of everything done to the table since attaching.
final class SessionRecorder {
    private var session: OpaquePointer?

    init(_ db: RawDB, table: String) throws {
        guard sqlite3session_create(db.handle, "main", &session) == SQLITE_OK else { throw BenchFailure("sqlite3session_create failed") }
        guard sqlite3session_attach(session, table) == SQLITE_OK else { throw BenchFailure("sqlite3session_attach failed") }
    }

    deinit { sqlite3session_delete(session) }

    func changeset() throws -> [UInt8] {
        var size: Int32 = 0
        var buffer: UnsafeMutableRawPointer?
        guard sqlite3session_changeset(session, &size, &buffer) == SQLITE_OK else { throw BenchFailure("sqlite3session_changeset failed") }
        defer { sqlite3_free(buffer) }
        guard let buffer, size > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: buffer, count: Int(size)))
    }
}

// MARK: - Bundle anatomy

/// The parts of a bundle (Protocol/bundle-format-v2.md): magic 8, flags 2, header length 4 (u32 BE
/// at offset 10), header, uncompressed length u64, sealed length u64, sealed payload (the zlib
/// stream and a 16-byte tag), SHA-256, signature.
struct BundleAnatomy {
    let total: Int
    let headerLength: Int
    let uncompressedLength: Int
    let compressedLength: Int

    init(_ bytes: [UInt8]) throws {
        try require(bytes.count >= ChangeSetFormat.framingOverhead, "bundle shorter than its framing")
        func be(_ offset: Int, _ n: Int) -> Int { (0..<n).reduce(0) { $0 << 8 | Int(bytes[offset + $1]) } }
        total = bytes.count
        headerLength = be(10, 4)
        uncompressedLength = be(14 + headerLength, 8)
        compressedLength = be(22 + headerLength, 8) - 16
        try require(payloadBytes == compressedLength, "bundle framing mismatch: \(payloadBytes) vs \(compressedLength)")
    }

    /// The bundle minus its header and fixed framing (with the seal's tag): the compressed changes alone.
    var payloadBytes: Int { total - ChangeSetFormat.framingOverhead - headerLength }
}

// MARK: - Output

/// Formats an integer-ish number with thin grouping: 1234567 -> "1,234,567".
func grouped(_ v: Double) -> String {
    let n = Int(v.rounded())
    let s = String(abs(n))
    var out = ""
    for (i, c) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

func fixed(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }

/// A TCP connection to 127.0.0.1:`port` (the benchmarks' servers run on loopback only).
func connectLoopback(port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BenchFailure("socket: \(String(cString: strerror(errno)))") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        let reason = String(cString: strerror(errno))
        close(fd)
        throw BenchFailure("connect: \(reason)")
    }
    return fd
}
