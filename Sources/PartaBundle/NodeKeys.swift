#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Crypto
import PartaCore

/// Storage of a node's private keys (``NodeKeys``, from PartaCore) in its data folder.
///
/// Private keys live in `<data>/keys/` as files readable by their owner only (mode 0600 in a 0700
/// folder). Loading refuses keys that others can read: a school PC is often shared.
/// Public keys travel in the node's own record (`signing_key`, `sealing_key`, base64) and in
/// every bundle it writes.
extension NodeKeys {
    /// Keys carried in a backup as (name, base64) rows, `signing` and `sealing`; nil if absent or damaged.
    public init?(backupRows: [(String, String)]) {
        let rows = Dictionary(backupRows, uniquingKeysWith: { $1 })
        guard let s = rows["signing"].flatMap({ Data(base64Encoded: $0) }), let k = rows["sealing"].flatMap({ Data(base64Encoded: $0) }),
              let signing = try? Curve25519.Signing.PrivateKey(rawRepresentation: s),
              let sealing = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: k) else { return nil }
        self.init(signing: signing, sealing: sealing)
    }

    /// The private keys as a backup stores them: (name, base64) rows.
    public var backupRows: [(String, String)] {
        [("signing", signing.rawRepresentation.base64EncodedString()), ("sealing", sealing.rawRepresentation.base64EncodedString())]
    }

    static func folder(_ dataDirectory: String) -> String { (dataDirectory as NSString).appendingPathComponent("keys") }

    /// Writes the private keys under `dataDirectory/keys/`, owner-only.
    public func save(in dataDirectory: String) throws {
        let folder = NodeKeys.folder(dataDirectory)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        for (name, bytes) in [("signing.key", signing.rawRepresentation), ("sealing.key", sealing.rawRepresentation)] {
            let path = (folder as NSString).appendingPathComponent(name)
            guard FileManager.default.createFile(atPath: path, contents: bytes.base64EncodedData(), attributes: [.posixPermissions: 0o600]) else {
                throw BundleFiles.unwritable(path, errno: errno)
            }
        }
    }

    /// Loads the private keys, refusing files or a folder that others may read.
    ///
    /// - Throws: ``BundleError`` (`.unreadable`) naming the file: missing, unreadable, damaged, or
    ///   readable by others (with the command that fixes it).
    public static func load(from dataDirectory: String) throws -> NodeKeys {
        let folder = folder(dataDirectory)
        var raw: [String: Data] = [:]
        for name in ["signing.key", "sealing.key"] {
            let path = (folder as NSString).appendingPathComponent(name)
            var info = stat()
            guard stat(path, &info) == 0, let text = FileManager.default.contents(atPath: path),
                  let bytes = Data(base64Encoded: text.filter { $0 != 0x0A }) else {
                throw BundleError(.unreadable, path: path, message: Message(
                    en: "The node's key \(path) is missing or damaged. Restore the data folder from a backup.",
                    ru: "Ключ узла \(path) отсутствует или повреждён. Восстановите папку данных из резервной копии."))
            }
            guard info.st_mode & 0o077 == 0 else {
                throw BundleError(.unreadable, path: path, message: Message(
                    en: "The node's private key \(path) can be read by other users of this computer. Parta will not use it. Run: chmod 600 \(path)",
                    ru: "Закрытый ключ узла \(path) доступен другим пользователям этого компьютера; Parta не будет его использовать. Выполните: chmod 600 \(path)"))
            }
            raw[name] = bytes
        }
        do {
            return NodeKeys(signing: try .init(rawRepresentation: raw["signing.key"]!),
                            sealing: try .init(rawRepresentation: raw["sealing.key"]!))
        } catch {
            throw BundleError(.unreadable, path: folder, message: Message(
                en: "The node's keys in \(folder) are damaged. Restore the data folder from a backup.",
                ru: "Ключи узла в \(folder) повреждены. Восстановите папку данных из резервной копии."))
        }
    }
}
