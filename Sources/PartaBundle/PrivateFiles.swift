#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import PartaCore

/// Files only their owner may read: a node's data folder (its database holds the dashboard's
/// signing key, staff password hashes and open enrolment codes), its keys, codes and backups.
///
/// Modes are set explicitly after creating (`fchmod`/`chmod`), so they hold whatever the umask:
/// folders 0700, files 0600. New files are never written through a link. The data folder itself
/// may be a link the owner made (`--data` pointing elsewhere): its target is what gets checked
/// and tightened, as inside a 0700 folder only the owner can have made links.
public enum PrivateFiles {
    /// The mode of a private folder.
    public static let folderMode: mode_t = 0o700
    /// The mode of a private file.
    public static let fileMode: mode_t = 0o600

    /// Creates `path` (and missing parents) if needed and makes it 0700.
    ///
    /// - Throws: ``BundleError/Code/unwritable`` if it cannot be created, is not a folder, or its
    ///   mode cannot be set.
    public static func makeFolder(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw BundleFiles.unwritable(path, errno: EACCES)
        }
        guard chmod(path, folderMode) == 0 else { throw BundleFiles.unwritable(path, errno: errno) }
    }

    /// Writes `bytes` to `path` atomically as an owner-only (0600) file, never through a link.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try BundleFiles.writeAtomically(bytes, to: path, mode: fileMode)
    }

    /// Creates `path` as a new, empty owner-only file (0600 whatever the umask); refuses anything
    /// already there, a dangling link included.
    ///
    /// - Throws: ``BundleError/Code/unwritable`` naming the file (`EEXIST` if something is there).
    public static func createEmpty(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, fileMode)
        guard fd >= 0 else { throw BundleFiles.unwritable(path, errno: errno) }
        defer { close(fd) }
        guard fchmod(fd, fileMode) == 0 else { throw BundleFiles.unwritable(path, errno: errno) }
    }

    /// A private path whose mode lets others in.
    public struct LooseMode: Sendable, Equatable {
        public var path: String
        public var mode: mode_t
        public var isFolder: Bool
        /// The command that fixes it, e.g. `chmod 700 /var/lib/parta`.
        public var fix: String { "chmod \(isFolder ? "700" : "600") \(path)" }
        /// The mode as `ls` shows it in octal, e.g. `0755`.
        public var octal: String { "0" + String(mode & 0o777, radix: 8) }
    }

    /// Which of `folders` and `files` (those that exist) others may read, write or enter.
    public static func looseModes(folders: [String], files: [String]) -> [LooseMode] {
        var loose: [LooseMode] = []
        for (path, isFolder) in folders.map({ ($0, true) }) + files.map({ ($0, false) }) {
            var info = stat()
            guard stat(path, &info) == 0, info.st_mode & 0o077 != 0 else { continue }
            loose.append(LooseMode(path: path, mode: info.st_mode, isFolder: isFolder))
        }
        return loose
    }

    /// Makes `folders` 0700 and `files` 0600, those that exist; what cannot be changed (another
    /// owner) is left for `parta doctor` to report.
    public static func tighten(folders: [String], files: [String]) {
        for loose in looseModes(folders: folders, files: files) {
            _ = chmod(loose.path, loose.isFolder ? folderMode : fileMode)
        }
    }
}
