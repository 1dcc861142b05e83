import Foundation

/// The text layer of a PDF through poppler's `pdftotext -layout -enc UTF-8 /ABSOLUTE/FILE -`.
enum PDF {
    /// `pdftotext` on the `PATH`, or nil.
    static func tool() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = String(dir) + "/pdftotext"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func text(path: String) throws -> String {
        guard let tool = tool() else { throw ResolutionError.pdfToolMissing(path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        // An absolute path: a file named `-v` or `-opw…` must reach pdftotext as a file, never as
        // an option (poppler's argument parser takes any word starting with `-` as one).
        process.arguments = ["-layout", "-enc", "UTF-8", PDF.absolute(path), "-"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw ResolutionError.pdfUnreadable(path, "\(error)") }
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let errData = Box()
        let done = DispatchSemaphore(value: 0)
        let errReader = Thread {
            errData.data = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        errReader.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.wait()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errData.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ResolutionError.pdfUnreadable(path, message.isEmpty ? "exit status \(process.terminationStatus)" : message)
        }
        let text = String(decoding: data, as: UTF8.self)
        if isScan(text) { throw ResolutionError.scanned(path) }
        return text
    }

    /// `path` made absolute (against the current folder), so that it never starts with `-`.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    private final class Box: @unchecked Sendable { var data = Data() }

    /// Fewer than 40 letters per page on average: the pages are images.
    static func isScan(_ text: String) -> Bool {
        let pages = max(1, text.filter { $0 == "\u{0C}" }.count)
        let letters = text.unicodeScalars.filter { CharacterSet.letters.contains($0) }.count
        return letters < 40 * pages || letters < 80
    }
}
