import Foundation
import Synchronization

/// A plain-text table for terminals: columns padded to their widest cell (counted in characters,
/// so Cyrillic lines up), long cells cut with "…".
public struct TextTable {
    public var headers: [String]
    public var rows: [[String]] = []
    public var maxWidth: [Int: Int] = [:]

    public init(_ headers: [String]) { self.headers = headers }

    public mutating func add(_ row: [String]) { rows.append(row) }

    public func render() -> String {
        let cut: ([String]) -> [String] = { row in
            row.enumerated().map { i, cell in
                let single = cell.replacingOccurrences(of: "\n", with: " ")
                guard let limit = maxWidth[i], single.count > limit else { return single }
                return String(single.prefix(limit - 1)) + "…"
            }
        }
        // Cells are cut and counted once each: a listing of 10,000 tasks stays fast.
        let all = ([headers] + rows.map(cut)).map { row in row.map { ($0, $0.count) } }
        var widths = Array(repeating: 0, count: headers.count)
        for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.1) } }
        func line(_ row: [(String, Int)]) -> String {
            var text = ""
            for (i, cell) in row.enumerated() {
                if i > 0 { text += "  " }
                text += cell.0
                if i < row.count - 1, i < widths.count { text += String(repeating: " ", count: widths[i] - cell.1) }
            }
            return text
        }
        var out = [line(all[0]), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
        out += all.dropFirst().map(line)
        return out.joined(separator: "\n")
    }
}

/// A progress bar on standard error, drawn only when it is a terminal.
public final class ProgressBar: Sendable {
    private let label: String
    private let enabled: Bool
    private let lastDrawn = Mutex(-1)

    public init(label: String, enabled: Bool = isatty(2) == 1) {
        self.label = label
        self.enabled = enabled
    }

    public func update(done: UInt64, total: UInt64) {
        guard enabled, total > 0 else { return }
        let percent = Int(min(100, done * 100 / total))
        let changed = lastDrawn.withLock { last in
            defer { last = percent }
            return last != percent
        }
        guard changed else { return }
        let filled = percent * 30 / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 30 - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)% (\(done)/\(total))".utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// Ends a line left unfinished (so that a message does not run into the bar); the next
    /// update draws the bar again.
    public func interrupt() {
        guard enabled else { return }
        let last = lastDrawn.withLock { last in
            defer { last = -1 }
            return last
        }
        if last >= 0, last < 100 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
