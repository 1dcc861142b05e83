#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import PartaCore

#if canImport(Glibc)
private let systemRead = Glibc.read
#else
private let systemRead = Darwin.read
#endif

/// Reading and writing bundle files on a courier's stick, which anyone may have handled.
///
/// Writing: a pulled-out stick never holds a half file that looks valid (bytes go to a temporary
/// file, are flushed to the device, then renamed over the bundle), and nothing planted on the
/// stick makes Parta write elsewhere: temporaries are new files with a random name
/// (`O_CREAT|O_EXCL|O_NOFOLLOW`), and a bundle, a stale `.partial` or a school folder that is a
/// link (or not a regular file or folder) is refused, naming it.
///
/// Reading: only regular files, never through a link (`O_NOFOLLOW`), never a FIFO or a device;
/// the size is checked on the opened file before a byte is read, and the magic before the rest
/// (Protocol/bundle-format-v2.md, "Files on a stick").
public enum BundleFiles {
    /// The file extension of bundles.
    public static let fileExtension = "parta"

    /// The largest bundle file Parta reads (64 MiB), the same as the hub's default
    /// `--max-bundle-mb` for bundles sent over HTTP.
    public static let defaultMaxFileBytes = 64 << 20

    /// Writes `bytes` to `path` atomically: the old file or the complete new one, never a mix.
    ///
    /// The folder of `path` is created if missing, and may be reached through links (it is the
    /// user's choice); `path` itself must be absent or a regular file.
    ///
    /// - Throws: ``BundleError/Code/unwritable`` naming the path and the reason (read-only, full,
    ///   a link or a special file in the way…).
    public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        let directory = FilePath.parent(path)
        try writeAtomically(bytes, under: directory.isEmpty ? "." : directory, subfolder: nil,
                            name: FilePath.lastComponent(path), mode: mode)
    }

    /// Writes `bytes` to `root/subfolder/name` atomically, where `subfolder` is one folder name
    /// (a school's folder on a stick): created if missing, refused if it is a link or not a folder.
    ///
    /// `root` may be reached through links (the user named it). The temporary file is
    /// `name.<random>.partial`, created new; stale regular `name.partial` and `name.*.partial`
    /// files (a write that was cut off) are removed first, without following links.
    ///
    /// - Returns: the path written.
    /// - Throws: ``BundleError/Code/unwritable`` naming the file or folder in the way, and why.
    @discardableResult
    public static func writeAtomically(_ bytes: [UInt8], under root: String, subfolder: String?, name: String,
                                       mode: mode_t = 0o644) throws -> String {
        var directory = root
        if let subfolder { directory = (root as NSString).appendingPathComponent(subfolder) }
        let path = (directory as NSString).appendingPathComponent(name)
        guard isPlainName(name), subfolder.map(isPlainName) ?? true else { throw unwritable(path, errno: EINVAL) }
        let made = makeFolders(root)
        guard made == 0 else { throw unwritable(path, errno: made) }
        var dirFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dirFD >= 0 else { throw unwritable(path, errno: errno) }
        defer { close(dirFD) }
        if let subfolder {
            if mkdirat(dirFD, subfolder, 0o755) != 0, errno != EEXIST { throw unwritable(path, errno: errno) }
            let sub = openat(dirFD, subfolder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard sub >= 0 else {
                let e = errno
                if let kind = specialKind(dirFD, subfolder) { throw notAPlainEntry(directory, kind: kind, writing: path) }
                throw unwritable(path, errno: e)
            }
            close(dirFD)
            dirFD = sub
        }
        // The bundle itself: absent or a regular file (renaming over a link would be harmless,
        // but a link there was planted: say so rather than work around it).
        if let kind = specialKind(dirFD, name, regularFilesOnly: true) { throw notAPlainEntry(path, kind: kind, writing: path) }
        try removeStalePartials(of: name, in: dirFD, directory: directory, writing: path)

        let temporary = "\(name).\(randomHex(8)).partial"
        let fd = openat(dirFD, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw unwritable(path, errno: errno) }
        func fail(_ e: Int32) -> BundleError {
            close(fd)
            unlinkat(dirFD, temporary, 0)
            return unwritable(path, errno: e)
        }
        // Owner-only files get their mode whatever the umask; others keep the umask's say.
        if mode & 0o077 == 0, fchmod(fd, mode) != 0 { throw fail(errno) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail(errno)
            }
            written += n
        }
        if fsync(fd) != 0 { throw fail(errno) }
        close(fd)
        guard renameat(dirFD, temporary, dirFD, name) == 0 else {
            let e = errno
            unlinkat(dirFD, temporary, 0)
            throw unwritable(path, errno: e)
        }
        fsync(dirFD)
        return path
    }

    /// Creates `path` and its missing parents (following links: the user named it); 0 or the
    /// `errno` of the first folder that could not be made (a read-only stick: `EROFS`).
    static func makeFolders(_ path: String) -> Int32 {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) { return isFolder.boolValue ? 0 : ENOTDIR }
        let parent = FilePath.parent(path)
        if !parent.isEmpty, parent != path {
            let made = makeFolders(parent)
            if made != 0 { return made }
        }
        return mkdir(path, 0o755) == 0 || errno == EEXIST ? 0 : errno
    }

    /// The error for a bundle that could not be written onto the stick (or folder) `stick`: a
    /// write-protected stick or folder is named as such, whichever file or folder the write
    /// stopped at; other errors are left as they are.
    public static func onStick(_ error: BundleError, stick: String) -> BundleError {
        guard error.code == .unwritable, let code = error.reasonCode.flatMap({ Int32($0) }) else { return error }
        var result = error
        switch code {
        case EROFS:
            result.message = Message(
                en: "Cannot write the bundle \(error.path): the stick is write-protected (its file system is read-only). Slide the write-protect switch on the stick to unlocked (or use another stick) and export again.",
                ru: "Не удаётся записать пакет \(error.path): флешка защищена от записи (файловая система только для чтения). Сдвиньте переключатель защиты записи на флешке (или возьмите другую флешку) и повторите выгрузку.")
        case EACCES, EPERM:
            result.message = Message(
                en: "Cannot write the bundle \(error.path): the stick or folder \(stick) is write-protected for this user (no permission to write). Choose another folder or stick, or allow writing there, and export again.",
                ru: "Не удаётся записать пакет \(error.path): флешка или папка \(stick) защищена от записи для этого пользователя (нет права записи). Выберите другую папку или флешку либо разрешите запись в неё и повторите выгрузку.")
        default:
            break
        }
        return result
    }

    /// Removes `name.partial` and `name.*.partial` left in the folder by writes that were cut off,
    /// if they are regular files; anything else under such a name is refused.
    private static func removeStalePartials(of name: String, in dirFD: Int32, directory: String, writing path: String) throws {
        for entry in entries(dirFD) where entry == name + ".partial" || (entry.hasPrefix(name + ".") && entry.hasSuffix(".partial")) {
            if let kind = specialKind(dirFD, entry, regularFilesOnly: true) {
                throw notAPlainEntry((directory as NSString).appendingPathComponent(entry), kind: kind, writing: path)
            }
            unlinkat(dirFD, entry, 0)
        }
    }

    /// The names in the folder open at `dirFD` (without `.` and `..`).
    static func entries(_ dirFD: Int32) -> [String] {
        let copy = dup(dirFD)
        guard copy >= 0, let stream = fdopendir(copy) else { return [] }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// What is at `name` in the folder `dirFD` if it is not what Parta may use there: a link, a
    /// FIFO, a device, a socket, or (when `regularFilesOnly`) a folder. Nil if absent or fine.
    static func specialKind(_ dirFD: Int32, _ name: String, regularFilesOnly: Bool = false) -> EntryKind? {
        var info = stat()
        guard fstatat(dirFD, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        let kind = EntryKind(info.st_mode)
        switch kind {
        case .regular: return nil
        case .folder: return regularFilesOnly ? kind : nil
        default: return kind
        }
    }

    /// What a file-system entry is, in words for a message.
    enum EntryKind: Equatable {
        case regular, folder, link, fifo, device, socket

        init(_ mode: mode_t) {
            switch mode & S_IFMT {
            case S_IFREG: self = .regular
            case S_IFDIR: self = .folder
            case S_IFLNK: self = .link
            case S_IFIFO: self = .fifo
            case S_IFSOCK: self = .socket
            default: self = .device
            }
        }

        var words: Message {
            switch self {
            case .regular: Message(en: "a file", ru: "файл")
            case .folder: Message(en: "a folder", ru: "папка")
            case .link: Message(en: "a symbolic link", ru: "символическая ссылка")
            case .fifo: Message(en: "a named pipe (FIFO)", ru: "именованный канал (FIFO)")
            case .device: Message(en: "a device", ru: "устройство")
            case .socket: Message(en: "a socket", ru: "сокет")
            }
        }
    }

    static func notAPlainEntry(_ entry: String, kind: EntryKind, writing path: String) -> BundleError {
        BundleError(.unwritable, path: entry, reasonCode: "notRegularFile", message: Message(
            en: "Cannot write the bundle \(path): \(entry) is \(kind.words.en). Parta never writes through links or into special files on a stick; someone may have tampered with it. Remove \(entry), or use another stick.",
            ru: "Не удаётся записать пакет \(path): \(entry) — \(kind.words.ru). Parta никогда не пишет через ссылки и в особые файлы на флешке; возможно, её подменили. Удалите \(entry) или возьмите другую флешку."))
    }

    static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
    }

    static func randomHex(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in String(UInt8.random(in: 0..<16, using: &generator), radix: 16) }.joined()
    }

    /// The error for a file or folder that could not be written, with the reason and what to do.
    public static func unwritable(_ path: String, errno code: Int32) -> BundleError {
        let reason = String(cString: strerror(code))
        let hint: Message
        switch code {
        case ENOSPC, EDQUOT: hint = Message(en: "The disk is full: free some space or use another stick.", ru: "Диск заполнен: освободите место или возьмите другую флешку.")
        case EROFS: hint = Message(en: "The disk is read-only: check the stick's write-protect switch.", ru: "Диск доступен только для чтения: проверьте переключатель защиты записи на флешке.")
        case EACCES, EPERM: hint = Message(en: "Parta may not write there: choose another folder.", ru: "Parta не может записывать в эту папку: выберите другую.")
        default: hint = Message(en: "Check the stick and try again.", ru: "Проверьте флешку и повторите.")
        }
        return BundleError(.unwritable, path: path, reasonCode: String(code), message: Message(
            en: "Cannot write the bundle \(path) (\(reason)). \(hint.en)",
            ru: "Не удаётся записать пакет \(path) (\(reason)). \(hint.ru)"))
    }

    /// Reads a whole bundle file, of at most `maxBytes`.
    ///
    /// Guarantees: a link, a FIFO, a device or a folder is refused without being read (and a
    /// FIFO without blocking); the size is taken with `fstat` on the opened file and a larger file
    /// is refused before a byte is read; a file that does not start with a bundle's magic is
    /// refused after reading its first 8 bytes. Not promised: that the file is a valid bundle
    /// (``ChangeSetReader`` checks that).
    ///
    /// - Throws: ``BundleError/Code/unreadable`` (missing or not readable), ``BundleError/Code/empty``,
    ///   ``BundleError/Code/notRegularFile``, ``BundleError/Code/tooLarge``, or the
    ///   ``PartaCoreError`` of a wrong start (`.badMagic`, `.unsupportedVersion`).
    public static func read(_ path: String, maxBytes: Int = defaultMaxFileBytes) throws -> [UInt8] {
        var before = stat()
        guard lstat(path, &before) == 0 else { throw cannotRead(path) }
        let kind = EntryKind(before.st_mode)
        guard kind == .regular else { throw notARegularFile(path, kind: kind) }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ELOOP { throw notARegularFile(path, kind: .link) }
            throw cannotRead(path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw cannotRead(path) }
        guard EntryKind(info.st_mode) == .regular else { throw notARegularFile(path, kind: EntryKind(info.st_mode)) }
        let size = Int(info.st_size)
        guard size > 0 else {
            throw BundleError(.empty, path: path, message: Message(
                en: "\(path) is empty (0 bytes): the copy did not finish. Export the bundle again.",
                ru: "\(path) пуст (0 байт): копирование не завершилось. Выгрузите пакет заново."))
        }
        guard size <= maxBytes else {
            throw BundleError(.tooLarge, path: path, reasonCode: "tooLarge", message: Message(
                en: "\(path) is \(size) bytes (\(mebibytes(size)) MiB), more than the \(maxBytes) bytes (\(mebibytes(maxBytes)) MiB) a bundle may have. It was not read: it is not a bundle Parta wrote, or someone put it there. Nothing was changed.",
                ru: "\(path) занимает \(size) байт (\(mebibytes(size)) МиБ) — больше допустимых для пакета \(maxBytes) байт (\(mebibytes(maxBytes)) МиБ). Файл не прочитан: это не пакет Parta, либо его кто-то подложил. Ничего не изменено."))
        }
        // The magic first: a file that is not a bundle is refused before the rest is read.
        var bytes = [UInt8](repeating: 0, count: size)
        let head = try fill(&bytes, 0..<min(size, ChangeSetFormat.magic.count), fd, path)
        _ = try ChangeSetReader.readPrefix(Array(bytes[0..<head]))
        let total = head < min(size, ChangeSetFormat.magic.count) ? head : try fill(&bytes, head..<size, fd, path)
        return total == size ? bytes : Array(bytes[0..<total])
    }

    /// Reads into `bytes[range]` until it is full or the file ends; the end position reached.
    private static func fill(_ bytes: inout [UInt8], _ range: Range<Int>, _ fd: Int32, _ path: String) throws -> Int {
        var at = range.lowerBound
        while at < range.upperBound {
            let n = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + at, range.upperBound - at) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw cannotRead(path) }
            if n == 0 { break }
            at += n
        }
        return at
    }

    static func mebibytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }

    static func cannotRead(_ path: String) -> BundleError {
        BundleError(.unreadable, path: path, message: Message(
            en: "Cannot read \(path): it does not exist or Parta may not read it. Check the path and the stick.",
            ru: "Не удаётся прочитать \(path): файла нет или к нему нет доступа. Проверьте путь и флешку."))
    }

    /// A path this process's user may not reach: most often a stick the desktop mounted for the
    /// person signed in (`/media/<name>/`, closed to others), read by the hub's own user.
    static func closedToThisUser(_ path: String) -> BundleError {
        let user = getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? String(geteuid())
        return BundleError(.unreadable, path: path, message: Message(
            en: "Parta runs as user \(user), who may not open \(path) (it is there, but closed to \(user)). A stick the desktop mounted for someone else (under /media/<their name>/) is theirs alone: copy its folder where \(user) can read it, or run the command as its owner.",
            ru: "Parta работает от имени пользователя \(user), которому закрыт доступ к \(path) (путь есть, но закрыт для \(user)). Флешка, подключённая рабочим столом для другого пользователя (в /media/<его имя>/), доступна только ему: скопируйте папку туда, где \(user) может её прочитать, или выполните команду от имени владельца."))
    }

    static func notARegularFile(_ path: String, kind: EntryKind) -> BundleError {
        BundleError(.notRegularFile, path: path, reasonCode: "notRegularFile", message: Message(
            en: "\(path) is \(kind.words.en), not a regular file: Parta reads only regular files from a stick, never through links. Someone may have tampered with the stick; remove \(path). Nothing was changed.",
            ru: "\(path) — \(kind.words.ru), а не обычный файл: Parta читает с флешки только обычные файлы и никогда не переходит по ссылкам. Возможно, флешку подменили; удалите \(path). Ничего не изменено."))
    }

    /// Bundle files at `path`: the file itself, or every `*.parta` entry below a folder, sorted by path.
    ///
    /// A folder is walked without following links: a `*.parta` entry that is a link, a FIFO or a
    /// device, and a link to a folder (a planted school folder), are listed so that ``read(_:maxBytes:)``
    /// refuses them by name; other entries are ignored. `path` itself may be a link to a folder
    /// (the user named it).
    public static func bundlePaths(at path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        var info = stat()
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) || lstat(path, &info) == 0 else {
            if errno == EACCES { throw closedToThisUser(path) }
            throw BundleError(.unreadable, path: path, message: Message(
                en: "\(path) does not exist. Check that the stick is plugged in and the path is right.",
                ru: "\(path) не существует. Проверьте, что флешка вставлена и путь указан верно."))
        }
        guard isDirectory.boolValue else { return [path] }
        let root = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw errno == EACCES ? closedToThisUser(path) : cannotRead(path) }
        var result: [String] = []
        walk(root, path, depth: 0) { entry, kind, fd, name in
            if name.hasSuffix("." + fileExtension) && kind != .folder { result.append(entry); return }
            if kind == .link {
                var target = stat()
                if fstatat(fd, name, &target, 0) == 0, EntryKind(target.st_mode) == .folder { result.append(entry) }
            }
        }
        return result.sorted()
    }

    /// Calls `visit` for every entry below the folder open at `dirFD` (which it closes), descending
    /// only into real folders, at most 16 levels deep.
    static func walk(_ dirFD: Int32, _ path: String, depth: Int, _ visit: (_ path: String, _ kind: EntryKind, _ dirFD: Int32, _ name: String) -> Void) {
        defer { close(dirFD) }
        for name in entries(dirFD) {
            var info = stat()
            guard fstatat(dirFD, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let entry = (path as NSString).appendingPathComponent(name)
            let kind = EntryKind(info.st_mode)
            if kind == .folder, depth < 16 {
                let sub = openat(dirFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if sub >= 0 { walk(sub, entry, depth: depth + 1, visit) }
            }
            visit(entry, kind, dirFD, name)
        }
    }

    /// Removes, below `directory`, the regular `*.parta.partial` and `*.parta.*.partial` files that
    /// writes cut off left behind, never following links (a link under such a name is left alone).
    ///
    /// - Returns: the removed paths.
    public static func removePartials(below directory: String) -> [String] {
        let root = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return [] }
        var removed: [String] = []
        walk(root, directory, depth: 0) { entry, kind, fd, name in
            guard kind == .regular, name.hasSuffix(".partial"), name.contains("." + fileExtension + ".") else { return }
            if unlinkat(fd, name, 0) == 0 { removed.append(entry) }
        }
        return removed
    }

    /// Removes the bundle file at `path` if it is still a regular file (never a link's target, never a folder).
    public static func removeBundle(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0, EntryKind(info.st_mode) == .regular else { return }
        guard unlink(path) == 0 else { throw unwritable(path, errno: errno) }
    }
}
