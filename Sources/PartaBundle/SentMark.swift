#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The highest change counter a school computer has sent to its hub, kept outside its data folder
/// (in `$XDG_STATE_HOME/parta/sent/`, default `~/.local/state/parta/sent/`), so that a copy of the
/// folder put back in its place is recognised the next time Parta opens it: its counter is below
/// what it had sent, and its next changes would reuse numbers the hub holds (replication-v1 §10b).
///
/// Best effort: a computer whose state folder cannot be written simply has no mark, and the hub's
/// own check (`olderCopy`) remains. Never holds anything secret: a node id and a number.
public enum SentMark {
    /// The folder of the marks: `$PARTA_STATE` if set (tests), else `$XDG_STATE_HOME/parta/sent`,
    /// else `~/.local/state/parta/sent`.
    static var folder: String {
        let env = ProcessInfo.processInfo.environment
        if let state = env["PARTA_STATE"], !state.isEmpty { return (state as NSString).appendingPathComponent("sent") }
        let base = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/state")
        return ((base as NSString).appendingPathComponent("parta") as NSString).appendingPathComponent("sent")
    }

    static func path(_ node: String) -> String? {
        // Node ids are Parta's own (`node-…`); anything else is not a file name here.
        guard !node.isEmpty, node.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else { return nil }
        return (folder as NSString).appendingPathComponent(node)
    }

    /// The highest counter `node` is known to have sent from this computer, if any.
    public static func read(_ node: String) -> UInt64? {
        guard let path = path(node), let data = FileManager.default.contents(atPath: path) else { return nil }
        return UInt64(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Raises the mark of `node` to `counter` (never lowers it).
    public static func record(_ node: String, counter: UInt64) {
        guard let path = path(node), counter > (read(node) ?? 0) else { return }
        try? PrivateFiles.makeFolder(folder)
        try? BundleFiles.writeAtomically(Array("\(counter)\n".utf8), to: path, mode: 0o600)
    }
}
