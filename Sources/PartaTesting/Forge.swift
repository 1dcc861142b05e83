import Foundation

/// The independent bundle writer `Tests/Hostile/partaforge.py` (Python 3 and `cryptography`),
/// for tests that send the real hub what a hostile enrolled node could write. The description
/// format is in `Tests/Hostile/README.md`.
public enum Forge {
    /// `Tests/Hostile/partaforge.py` under the package root (found from the caller's source file,
    /// like ``TestArtifacts``).
    public static func scriptPath(filePath: String = #filePath) -> String {
        (TestArtifacts.packageRoot(from: filePath) as NSString).appendingPathComponent("Tests/Hostile/partaforge.py")
    }

    /// Why the forge cannot run here (no `python3`, no `cryptography`, no script), or nil when it can.
    public static func unavailableReason(filePath: String = #filePath) -> String? {
        let script = scriptPath(filePath: filePath)
        guard FileManager.default.fileExists(atPath: script) else { return "\(script) is missing" }
        guard let probe = try? run(["python3", "-c", "import cryptography"]) else { return "python3 is not installed" }
        if probe.status == 127 { return "python3 is not installed" }
        if probe.status != 0 { return "python3 lacks the cryptography package (pip install cryptography)" }
        return nil
    }

    /// True when ``unavailableReason(filePath:)`` is nil: for `.enabled(if:)`.
    public static var isAvailable: Bool { unavailableReason() == nil }

    /// The bundle `description` asks for (a JSON object, as in `Tests/Hostile/README.md`).
    public static func bundle(_ description: [String: Any], filePath: String = #filePath) throws -> Data {
        let json = try JSONSerialization.data(withJSONObject: description, options: [.sortedKeys])
        return try bundle(json: json, filePath: filePath)
    }

    /// The bundle the JSON text `json` describes.
    public static func bundle(json: Data, filePath: String = #filePath) throws -> Data {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("parta-forge-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = (folder as NSString).appendingPathComponent("description.json")
        let output = (folder as NSString).appendingPathComponent("bundle.parta")
        try json.write(to: URL(fileURLWithPath: input))
        let r = try run(["python3", scriptPath(filePath: filePath), "make", input, "-o", output])
        guard r.status == 0 else {
            throw PartaBinaryError(description: "partaforge failed (exit \(r.status)): \(r.stderr)")
        }
        return try Data(contentsOf: URL(fileURLWithPath: output))
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errData, as: UTF8.self))
    }
}
