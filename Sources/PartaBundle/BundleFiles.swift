#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import PartaCore

/// Reading and writing bundle files so that a pulled-out stick never holds a half file that
/// looks valid: bytes go to a temporary name, are flushed to the device, then renamed.
public enum BundleFiles {
    /// The file extension of bundles.
    public static let fileExtension = "parta"

    /// Writes `bytes` to `path` atomically: the old file or the complete new one, never a mix.
    ///
    /// - Throws: ``BundleError/Code/unwritable`` naming the path and the reason (read-only, full…).
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true)
        } catch {
            throw unwritable(path, errno: EACCES)
        }
        let temporary = path + ".partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw unwritable(path, errno: errno) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                let e = errno
                close(fd)
                unlink(temporary)
                throw unwritable(path, errno: e)
            }
            written += n
        }
        if fsync(fd) != 0 {
            let e = errno
            close(fd)
            unlink(temporary)
            throw unwritable(path, errno: e)
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let e = errno
            unlink(temporary)
            throw unwritable(path, errno: e)
        }
        let dirFD = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if dirFD >= 0 { fsync(dirFD); close(dirFD) }
    }

    static func unwritable(_ path: String, errno code: Int32) -> BundleError {
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

    /// Reads a whole bundle file.
    ///
    /// - Throws: ``BundleError/Code/unreadable`` or ``BundleError/Code/empty``.
    public static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BundleError(.unreadable, path: path, message: Message(
                en: "Cannot read \(path): it does not exist or Parta may not read it. Check the path and the stick.",
                ru: "Не удаётся прочитать \(path): файла нет или к нему нет доступа. Проверьте путь и флешку."))
        }
        guard !data.isEmpty else {
            throw BundleError(.empty, path: path, message: Message(
                en: "\(path) is empty (0 bytes): the copy did not finish. Export the bundle again.",
                ru: "\(path) пуст (0 байт): копирование не завершилось. Выгрузите пакет заново."))
        }
        return [UInt8](data)
    }

    /// Bundle files at `path`: the file itself, or every `*.parta` file below a folder, sorted by path.
    public static func bundlePaths(at path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw BundleError(.unreadable, path: path, message: Message(
                en: "\(path) does not exist. Check that the stick is plugged in and the path is right.",
                ru: "\(path) не существует. Проверьте, что флешка вставлена и путь указан верно."))
        }
        guard isDirectory.boolValue else { return [path] }
        guard let walker = FileManager.default.enumerator(atPath: path) else { return [] }
        var result: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix("." + fileExtension) { result.append((path as NSString).appendingPathComponent(relative)) }
        }
        return result.sorted()
    }
}
