#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Runs the real `parta` binary built beside the tests.
public struct PartaBinary: Sendable {
    public let path: String

    /// Finds `parta` in the products folder of this test run (or `PARTA_BINARY`).
    public init() throws {
        let env = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let explicit = env["PARTA_BINARY"] { candidates.append(explicit) }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var folder = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("parta").path)
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("parta").path)
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw NSError(domain: "PartaBinary", code: 1, userInfo: [NSLocalizedDescriptionKey: "parta binary not found in \(candidates)"])
        }
        path = found
    }

    public struct Run {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `parta` with `arguments`, in Russian unless `language` says otherwise. With `timeout`,
    /// a run still going after that many seconds is killed (SIGKILL; its status then says so).
    /// `input`, if given, is its standard input.
    @discardableResult
    public func run(_ arguments: [String], language: String = "ru_RU.UTF-8", environment: [String: String] = [:],
                    currentDirectory: String? = nil, timeout: TimeInterval? = nil, input: String? = nil) throws -> Run {
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = language
        env["LC_ALL"] = nil
        env["LC_MESSAGES"] = nil
        for (k, v) in environment { env[k] = v }
        let child = try SpawnedProcess(path: path, arguments: arguments, environment: env, currentDirectory: currentDirectory, input: input)
        let watchdog = timeout.map { _ in DispatchWorkItem { child.kill() } }
        if let watchdog, let timeout { DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog) }
        defer { watchdog?.cancel() }
        let (status, outData, errData) = child.finish()
        return Run(status: status, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a hub command that issues an enrollment code (`hub school add … --json`,
    /// `hub school code … --json`) and returns the code.
    public func code(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let r = try run(arguments + ["--json"], environment: environment)
        guard r.status == 0, let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
              let code = object["code"] as? String, !code.isEmpty else {
            throw PartaBinaryError(description: "parta \(arguments.joined(separator: " ")) gave no code: \(r.stderr)")
        }
        return code
    }

    /// Starts `parta` without waiting, output discarded; for crash tests.
    public func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

/// A `parta hub serve` running on a free loopback port; ``stop()`` ends it with SIGTERM. Its
/// standard error (one line per sync) is read as it comes, so a long test never fills the pipe.
public final class RunningHub: Sendable {
    public let process: Process
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)/" }
    private let log = Mutex(Data())
    private let drained = DispatchSemaphore(value: 0)

    init(process: Process, port: Int, errors: Pipe, output: Pipe) {
        self.process = process
        self.port = port
        for (pipe, keep) in [(errors, true), (output, false)] {
            Thread { [self] in
                while true {
                    let chunk = pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    if keep { log.withLock { $0.append(chunk) } }
                }
                if keep { drained.signal() }
            }.start()
        }
    }

    /// What the server logged so far.
    public var logText: String { log.withLock { String(decoding: $0, as: UTF8.self) } }

    /// Stops the server as systemd would (SIGTERM) and returns its log (stderr).
    @discardableResult
    public func stop() -> String {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        // The log is whole once the server's stderr reaches its end (signalled once; a second
        // stop finds it already so).
        if drained.wait(timeout: .now() + 10) == .success { drained.signal() }
        return logText
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

extension PartaBinary {
    /// Starts `parta hub serve --listen 127.0.0.1:0` on the hub in `data` and waits until it listens.
    public func serve(data: String, extraArguments: [String] = [], environment: [String: String] = [:]) throws -> RunningHub {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["hub", "serve", "--listen", "127.0.0.1:0", "--data", data] + extraArguments
        process.environment = ProcessInfo.processInfo.environment.merging(["LANG": "en_US.UTF-8"].merging(environment) { $1 }) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let (port, seen) = PartaBinary.listeningPort(of: process, output: output)
        if let port { return RunningHub(process: process, port: port, errors: errors, output: output) }
        if process.isRunning { process.terminate() }
        throw PartaBinaryError(description: "parta hub serve did not start: \(seen) \(String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self))")
    }

    /// Reads a starting hub's standard output until it prints the address it listens on
    /// (`http://127.0.0.1:PORT/`), it exits, or `timeout` passes. Returns the port, if any, and
    /// what it printed.
    public static func listeningPort(of process: Process, output: Pipe, timeout: TimeInterval = 30) -> (port: Int?, printed: String) {
        var seen = ""
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
            if let range = seen.range(of: #"127\.0\.0\.1:(\d+)/"#, options: .regularExpression),
               let port = Int(seen[range].dropFirst("127.0.0.1:".count).dropLast()) {
                return (port, seen)
            }
        }
        return (nil, seen)
    }
}

public struct PartaBinaryError: Error, CustomStringConvertible {
    public var description: String
}

/// A child process started with `posix_spawn`, its output read through pipes. Foundation's
/// `Process.run()` on this toolchain scans `/proc/self/fd` with an over-read that crashes a test
/// run holding many descriptors (swift-corelibs-foundation PR #5472); the short runs of `parta`,
/// started by the thousand, go this way instead. Every descriptor but the three standard ones is
/// closed in the child, as `Process` does.
final class SpawnedProcess: Sendable {
    // glibc has both (2.34 and later) but declares them only for _GNU_SOURCE, which the Glibc module leaves out.
    @_silgen_name("pipe2") private static func makePipe(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
    @_silgen_name("posix_spawn_file_actions_addclosefrom_np")
    private static func closeFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ from: Int32) -> Int32
    @_silgen_name("posix_spawn_file_actions_addchdir_np")
    private static func changeDirectory(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: UnsafePointer<CChar>) -> Int32

    let pid: pid_t
    private let output: Int32, errors: Int32
    private let reaped = Mutex(false)

    init(path: String, arguments: [String], environment: [String: String], currentDirectory: String?, input: String?) throws {
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0], inPipe: [Int32] = [0, 0]
        guard Self.makePipe(&outPipe, O_CLOEXEC) == 0, Self.makePipe(&errPipe, O_CLOEXEC) == 0, Self.makePipe(&inPipe, O_CLOEXEC) == 0 else {
            throw PartaBinaryError(description: "pipe: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        _ = Self.closeFrom(&actions, 3)
        if let currentDirectory { _ = Self.changeDirectory(&actions, currentDirectory) }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        guard result == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            throw PartaBinaryError(description: "posix_spawn \(path): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        output = outPipe[0]
        errors = errPipe[0]
        if let input {
            let bytes = Array(input.utf8)
            var written = 0
            while written < bytes.count {
                let n = bytes[written...].withUnsafeBytes { Glibc.write(inPipe[1], $0.baseAddress, $0.count) }
                if n < 0 { if errno == EINTR { continue } else { break } }
                written += n
            }
        }
        close(inPipe[1])
    }

    /// Kills the child unless it was already reaped (its pid may then be another process's).
    func kill() {
        reaped.withLock { done in if !done { _ = Glibc.kill(pid, SIGKILL) } }
    }

    /// Reads its output to the end, waits for it, and returns its status (exit code, or the
    /// signal that ended it) with what it wrote.
    func finish() -> (status: Int32, stdout: Data, stderr: Data) {
        // Standard error is read beside standard output, so that neither pipe fills while the other is read.
        let errors = self.errors
        let errorData = Mutex(Data())
        let done = DispatchSemaphore(value: 0)
        Thread { errorData.withLock { $0 = SpawnedProcess.readAll(errors) }; done.signal() }.start()
        let out = SpawnedProcess.readAll(output)
        done.wait()
        // Wait for the end without reaping (so a watchdog's kill cannot reach a reused pid, and
        // is not held up by this wait), then reap under the lock.
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
        var status: Int32 = 0
        reaped.withLock { done in
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            done = true
        }
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : status & 0x7f
        return (exitCode, out, errorData.withLock { $0 })
    }

    private static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 { data.append(contentsOf: buffer[..<n]) } else if n < 0 && errno == EINTR { continue } else { break }
        }
        close(fd)
        return data
    }
}
