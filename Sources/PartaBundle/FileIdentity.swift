#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The identity of a data folder's database file: its file number on its disk, which a copy of
/// the file never shares (`cp`, a backup tool or a copy to another computer makes a new file)
/// and a rename on the same disk keeps. A school computer records it; a folder whose database has
/// another identity is a copy of its node, found before it writes a change (replication-v1 §10b).
///
/// Best effort: `nil` where the number says nothing (FAT, exFAT and FUSE disks number files
/// afresh at every mount) or the file cannot be read; then the mark beside the folder
/// (``SentMark``) and the hub's checks remain. A restore that writes into the existing file
/// (`rsync --inplace`), or a whole disk's image or snapshot, keeps file numbers, and is found by
/// those. Holds nothing secret.
public enum FileIdentity {
    /// `ino:<number>` for the file at `path`, or `nil` (see above). `recorded` is the identity
    /// recorded before: when the number still matches it, the file system (checked when it was
    /// recorded) is not read again, so the everyday case costs one `stat`.
    public static func of(_ path: String, recorded: String? = nil) -> String? {
        var file = stat()
        guard stat(path, &file) == 0 else { return nil }
        let identity = "ino:\(file.st_ino)"
        if identity == recorded { return identity }
        guard let type = fileSystemType(of: path),
              !["vfat", "msdos", "exfat", "fuseblk", "fuse"].contains(type), !type.hasPrefix("fuse.") else { return nil }
        return identity
    }

    /// The type of the file system `path` is on, from the longest mount point above it in
    /// `/proc/self/mounts` (`nil` if that cannot be read).
    static func fileSystemType(of path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        let full = String(cString: resolved)
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return nil }
        var best: (point: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            // Spaces and tabs in mount points are written as octal escapes.
            let point = String(fields[1]).replacingOccurrences(of: "\\040", with: " ").replacingOccurrences(of: "\\011", with: "\t")
            let above = point == "/" || full == point || full.hasPrefix(point + "/")
            if above, point.count >= (best?.point.count ?? -1) { best = (point, String(fields[2])) }
        }
        return best?.type
    }
}
