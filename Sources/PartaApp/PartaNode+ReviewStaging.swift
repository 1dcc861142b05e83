import Foundation
import PartaCore
import PartaResolution

extension PartaNode {
    /// A document uploaded for review (the dashboard), kept in the hub's data folder until it is saved.
    public struct StagedDocument: Sendable {
        /// 32 lower-case hex digits, random.
        public var id: String
        /// The file's name as uploaded (its last path component, at most 200 characters).
        public var name: String
        public var parsed: ParsedResolution
    }

    /// How long an upload waits for its review to be saved before it is cleaned up, in ms.
    public static let stagedLifetime: UInt64 = 2 * 3600 * 1000
    /// At most this many uploads wait at once; the oldest go first.
    public static let maxStaged = 20

    var stagingDirectory: String { (dataDirectory as NSString).appendingPathComponent("staging") }

    /// The upload `id` read again; nil if there is none (saved, cleaned up, or not an id).
    public func stagedDocument(_ id: String) throws -> StagedDocument? {
        guard Self.isStagedID(id), FileManager.default.fileExists(atPath: stagedPath(id)) else { return nil }
        let name = (try? String(contentsOfFile: stagedPath(id) + ".name", encoding: .utf8)) ?? "document"
        do {
            return StagedDocument(id: id, name: name, parsed: try ResolutionReader.read(path: stagedPath(id)))
        } catch {
            throw Self.renamed(error, from: stagedPath(id), to: name)
        }
    }

    /// Removes the upload `id` (after its review is saved).
    public func discardStaged(_ id: String) {
        guard Self.isStagedID(id) else { return }
        try? FileManager.default.removeItem(atPath: stagedPath(id))
        try? FileManager.default.removeItem(atPath: stagedPath(id) + ".name")
    }

    /// Uploads older than ``stagedLifetime`` go, then the oldest beyond ``maxStaged`` − 1.
    func cleanStaged(now: UInt64) {
        let fm = FileManager.default
        let entries = ((try? fm.contentsOfDirectory(atPath: stagingDirectory)) ?? []).filter { Self.isStagedID($0) }
        let dated = entries.map { id -> (String, UInt64) in
            let date = (try? fm.attributesOfItem(atPath: stagedPath(id)))?[.modificationDate] as? Date
            return (id, UInt64(max(0, (date?.timeIntervalSince1970 ?? 0) * 1000)))
        }.sorted { $0.1 > $1.1 }
        for (index, (id, at)) in dated.enumerated() where index >= Self.maxStaged - 1 || at + Self.stagedLifetime < now {
            discardStaged(id)
        }
    }

    func stagedPath(_ id: String) -> String { (stagingDirectory as NSString).appendingPathComponent(id) }

    static func isStagedID(_ id: String) -> Bool { id.utf8.count == 32 && id.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) } }

    /// An error about the staged file, told with the name the user knows it by.
    static func renamed(_ error: Error, from path: String, to name: String) -> Error {
        guard let e = error as? ResolutionError else { return error }
        return PartaError(.invalidArgument, Message(en: e.en.replacingOccurrences(of: path, with: name), ru: e.ru.replacingOccurrences(of: path, with: name)))
    }
}

extension HubNode {
    /// Keeps an uploaded resolution in `<data>/staging/` (owner-only) under a random id, after checking
    /// that it reads (the same limits as `parta hub import-resolution`), and cleans up uploads older than
    /// ``stagedLifetime`` or beyond ``maxStaged``.
    ///
    /// - Throws: ``ResolutionError`` when the document does not read (too large, unknown format, no
    ///   tasks): nothing is kept then; ``PartaError/Code/invalidArgument`` if the folder cannot be written.
    public func stageDocument(_ bytes: [UInt8], name: String, now: UInt64) throws -> StagedDocument {
        let base = String((name as NSString).lastPathComponent.prefix(200))
        let cleanName = base.isEmpty ? "document" : base
        guard bytes.count <= ResolutionLimits.standard.maxFileBytes else {
            throw PartaError(.invalidArgument, Message(
                en: "\(cleanName) is larger than \(ResolutionLimits.standard.maxFileBytes >> 20) MiB: too large to be a resolution.",
                ru: "\(cleanName) больше \(ResolutionLimits.standard.maxFileBytes >> 20) МиБ: слишком велик для резолюции."))
        }
        let fm = FileManager.default
        try? fm.createDirectory(atPath: stagingDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        cleanStaged(now: now)
        let id = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let path = stagedPath(id)
        guard fm.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]),
              fm.createFile(atPath: path + ".name", contents: Data(cleanName.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw PartaError(.invalidArgument, Message(en: "Cannot keep the upload in \(stagingDirectory).",
                                                       ru: "Не удалось сохранить загруженный файл в \(stagingDirectory)."))
        }
        do {
            let parsed = try ResolutionReader.read(path: path)
            return StagedDocument(id: id, name: cleanName, parsed: parsed)
        } catch {
            discardStaged(id)
            throw Self.renamed(error, from: path, to: cleanName)
        }
    }
}
