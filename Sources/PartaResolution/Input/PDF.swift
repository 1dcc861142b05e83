import Foundation
import Synchronization

/// The text layer of a PDF through poppler's `pdftotext -layout -enc UTF-8 /ABSOLUTE/FILE -` (and `-bbox` for
/// pages with a table, ``PDFTable``).
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

    /// The text layer, read as `pdftotext -layout` writes it; a page holding a table with a `Срок` column is read
    /// from its words' positions instead (``PDFTable``). Output beyond ``ResolutionLimits/maxTextBytes`` stops the
    /// tool and refuses the file; so does the time limit (the tool is terminated, its pipe closes, reading ends).
    static func text(path: String, budget: Budget) throws -> String {
        guard let tool = tool() else { throw ResolutionError.pdfToolMissing(path) }
        guard let layout = try run(tool, ["-layout"], path: path, budget: budget, refuseOverLimit: true) else { return "" }
        if isScan(layout) { throw ResolutionError.scanned(path) }
        // The words' boxes take about ten times the text's bytes; over the limit the layout text is kept.
        guard try PDFTable.mayHoldTable(layout, budget: budget), let bbox = try run(tool, ["-bbox"], path: path, budget: budget, refuseOverLimit: false) else {
            return layout
        }
        try budget.check()
        return try PDFTable.merge(layout: layout, bbox: bbox, budget: budget)
    }

    /// `pdftotext OPTIONS -enc UTF-8 FILE -`'s output; nil when it goes over the text limit and `refuseOverLimit` is false.
    private static func run(_ tool: String, _ options: [String], path: String, budget: Budget, refuseOverLimit: Bool) throws -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        // An absolute path: a file named `-v` or `-opw…` must reach pdftotext as a file, never as
        // an option (poppler's argument parser takes any word starting with `-` as one).
        process.arguments = options + ["-enc", "UTF-8", PDF.absolute(path), "-"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw ResolutionError.pdfUnreadable(path, "\(error)") }
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let errData = Box()
        let done = DispatchSemaphore(value: 0)
        let errReader = Thread {
            // At most 64 KiB of messages are kept; the rest is read and dropped.
            while case let chunk = err.fileHandleForReading.availableData, !chunk.isEmpty {
                errData.data.withLock { kept in
                    if kept.count < 65_536 { kept.append(chunk.prefix(65_536 - kept.count)) }
                }
            }
            done.signal()
        }
        errReader.start()
        // The watchdog: past the time limit the tool is stopped, which ends the reads below.
        let stopped = Box()
        let watchdog = DispatchWorkItem {
            guard process.isRunning else { return }
            stopped.flag.store(true, ordering: .relaxed)
            process.terminate()
        }
        // What is left of the document's time: the layout run and the words' run share it.
        let left = budget.remaining
        let seconds = Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + min(seconds, 86_400 * 365), execute: watchdog)
        let maxText = budget.limits.maxTextBytes
        var data = Data()
        var tooLarge = false
        while case let chunk = out.fileHandleForReading.availableData, !chunk.isEmpty {
            data.append(chunk)
            if data.count > maxText {
                tooLarge = true
                process.terminate()
                break
            }
        }
        if tooLarge { while !out.fileHandleForReading.availableData.isEmpty {} }
        process.waitUntilExit()
        watchdog.cancel()
        done.wait()
        if tooLarge {
            if refuseOverLimit { throw budget.refuse(.textTooLarge(limit: maxText)) }
            return nil
        }
        if stopped.flag.load(ordering: .relaxed) { throw ResolutionError.tooSlow(path, budget.limits.timeLimit) }
        try budget.check()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errData.data.withLock { $0 }, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ResolutionError.pdfUnreadable(path, message.isEmpty ? "exit status \(process.terminationStatus)" : message)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// `path` made absolute (against the current folder), so that it never starts with `-`.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    /// What the reader thread and the watchdog tell the caller: the tool's messages, and whether it was stopped.
    private final class Box: Sendable {
        let data = Mutex(Data())
        let flag = Atomic<Bool>(false)
    }

    /// Fewer than 40 letters per page on average: the pages are images.
    static func isScan(_ text: String) -> Bool {
        let pages = max(1, text.filter { $0 == "\u{0C}" }.count)
        let letters = text.unicodeScalars.filter { CharacterSet.letters.contains($0) }.count
        return letters < 40 * pages || letters < 80
    }
}
