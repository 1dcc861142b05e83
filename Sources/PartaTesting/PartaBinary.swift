import Foundation
import Synchronization

/// Runs the real `parta` binary built beside the tests.
public struct PartaBinary {
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["LANG"] = language
        env["LC_ALL"] = nil
        env["LC_MESSAGES"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        try process.run()
        if let stdin, let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        let watchdog = timeout.map { seconds in
            DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        }
        if let watchdog, let timeout { DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog) }
        defer { watchdog?.cancel() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
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
