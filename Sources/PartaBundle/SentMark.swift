#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PartaCore

/// The highest change counter a school computer has sent to its hub, kept beside its data folder
/// (`<parent>/.<folder>.parta-sent`), not in it: a copy of the folder put back in its place is then
/// recognised the next time Parta opens it, since its counter is below what it had sent and its
/// next changes would reuse numbers the hub holds (replication-v1 §10b).
///
/// Best effort: where the parent folder cannot be written there is no mark, and the hub's own
/// check (`olderCopy`) remains. A folder moved elsewhere leaves its mark behind, which is right:
/// nothing there says it is a copy. Holds nothing secret: a node id and a number.
public enum SentMark {
    static func path(dataDirectory: String) -> String {
        let folder = (dataDirectory as NSString).standardizingPath
        return FilePath.joining(FilePath.parent(folder), "." + FilePath.lastComponent(folder) + ".parta-sent")
    }

    /// The highest counter `node` is known to have sent from the folder `dataDirectory`, if any.
    public static func read(dataDirectory: String, node: String) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: path(dataDirectory: dataDirectory)) else { return nil }
        let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, fields[0] == node else { return nil }
        return UInt64(fields[1])
    }

    /// Raises the mark of `node` to `counter` (never lowers it; a mark of another id is replaced).
    public static func record(dataDirectory: String, node: String, counter: UInt64) {
        guard counter > (read(dataDirectory: dataDirectory, node: node) ?? 0) else { return }
        try? BundleFiles.writeAtomically(Array("\(node) \(counter)\n".utf8), to: path(dataDirectory: dataDirectory), mode: 0o600)
    }
}
