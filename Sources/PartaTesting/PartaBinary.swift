import Foundation

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

    /// Runs `parta` with `arguments`, in Russian unless `language` says otherwise.
    @discardableResult
    public func run(_ arguments: [String], language: String = "ru_RU.UTF-8", environment: [String: String] = [:],
                    currentDirectory: String? = nil) throws -> Run {
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
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Starts `parta` without waiting, output discarded; for crash tests.
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

public struct PartaBinaryError: Error, CustomStringConvertible {
    public var description: String
}
