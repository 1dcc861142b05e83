import Foundation
import PartaCore
import PartaStore

/// What happened to one bundle file during an import.
public struct ImportOutcome: Sendable {
    public enum Status: Sendable {
        case applied(ApplyReport)
        /// Not for this node (another school's, or this node's own outgoing bundle): left alone.
        case skipped(Message)
        case failed(BundleError)
    }
    public var path: String
    public var sender: String?
    /// The sender's partition as its header states it (a school id, `*` for a hub), once the header was read.
    public var senderPartition: String? = nil
    public var status: Status
}

/// A bundle written by an export.
public struct ExportedBundle: Sendable {
    public var path: String
    public var recipient: Recipient
    public var changeCount: UInt64
    public var byteCount: Int
}

/// USB exchange for one replica: writes the bundles it owes, and imports bundle files or whole
/// folders (a courier's stick), each bundle in its own transaction.
///
/// Folder layout: `DIR/<partition>/from-<sender-node>.parta`. Each export replaces the sender's
/// previous bundle in that folder: bundles are cumulative, so the newest one carries everything.
public struct BundleExchange {
    public let replica: Replica
    public var maxPayload: UInt64
    /// The largest bundle file read (``BundleFiles/defaultMaxFileBytes``); a larger one fails unread.
    public var maxFileBytes: Int

    public init(replica: Replica, maxPayload: UInt64 = ChangeSetFormat.defaultMaxPayload, maxFileBytes: Int = BundleFiles.defaultMaxFileBytes) {
        self.replica = replica
        self.maxPayload = maxPayload
        self.maxFileBytes = maxFileBytes
    }

    public static func bundleName(sender: String) -> String { "from-\(sender).\(BundleFiles.fileExtension)" }

    /// Writes the bundle this node owes `recipient` under `directory/<partition>/`.
    ///
    /// `directory` may be reached through links; the partition's folder and the bundle may not
    /// (``BundleFiles/writeAtomically(_:under:subfolder:name:mode:)``).
    public func export(for recipient: Recipient, partitionFolder: String, to directory: String, now: UInt64) throws -> ExportedBundle {
        // Recorded only once the file is on the stick: a stick that cannot be written leaves
        // `parta status` saying nothing went out.
        let (header, bytes) = try replica.exportBundle(for: recipient, now: now, bundleID: BundleExchange.newBundleID(), recording: false)
        let path: String
        do {
            path = try BundleFiles.writeAtomically(bytes, under: directory, subfolder: partitionFolder,
                                                   name: BundleExchange.bundleName(sender: replica.nodeID))
        } catch let error as BundleError {
            throw BundleFiles.onStick(error, stick: directory)
        }
        try replica.recordExport(of: header, now: now)
        // A copy that became a new node leaves no bundle it wrote under its old id on the stick:
        // the hub would refuse it at every import. A bundle of the old id that the original
        // computer wrote before the copy was put back stays: it may hold the only copy of what was
        // written after the copy was taken, and the hub takes it as ever.
        if let predecessor = try replica.predecessor() {
            let old = FilePath.joining(FilePath.parent(path), BundleExchange.bundleName(sender: predecessor))
            if FileManager.default.fileExists(atPath: old),
               let header = try? ChangeSetReader(bytes: try BundleFiles.read(old, maxBytes: maxFileBytes), maxPayload: maxPayload).header,
               try replica.hasExported(bundleIDHex: header.bundleIDHex) {
                try? BundleFiles.removeBundle(old)
            }
        }
        return ExportedBundle(path: path, recipient: recipient, changeCount: header.changeCount, byteCount: bytes.count)
    }

    /// Imports a bundle file, or every bundle in a folder tree, oldest first.
    ///
    /// A single file that is not for this node fails; in a folder such files are skipped, so one
    /// stick can carry a whole district's bundles. A failing bundle changes nothing and does not
    /// stop the others.
    public func importBundles(at path: String, now: UInt64,
                              progress: ((_ path: String, _ done: UInt64, _ total: UInt64) -> Void)? = nil) throws -> [ImportOutcome] {
        let paths = try BundleFiles.bundlePaths(at: path)
        let isFolder = paths != [path]
        // First pass: check every file and learn its header; only one bundle is in memory at a time.
        var accepted: [(path: String, created: HybridTimestamp, partition: String)] = []
        var outcomes: [ImportOutcome] = []
        for file in paths {
            do {
                let header = try ChangeSetReader(bytes: try BundleFiles.read(file, maxBytes: maxFileBytes), maxPayload: maxPayload).header
                if isFolder, let reason = skipReason(header) {
                    outcomes.append(ImportOutcome(path: file, sender: header.sender, senderPartition: header.senderPartition, status: .skipped(reason)))
                } else {
                    accepted.append((file, header.created, header.senderPartition))
                }
            } catch {
                outcomes.append(ImportOutcome(path: file, sender: nil, status: .failed(BundleError.wrap(error, path: file))))
            }
        }
        // Second pass, oldest first: read again (the file may have changed since: it is checked again) and apply.
        accepted.sort { $0.created < $1.created }
        for (file, _, partition) in accepted {
            var sender: String?
            do {
                let reader = try ChangeSetReader(bytes: try BundleFiles.read(file, maxBytes: maxFileBytes), maxPayload: maxPayload)
                sender = reader.header.sender
                let report = try replica.apply(reader, now: now, via: file) { done, total in progress?(file, done, total) }
                outcomes.append(ImportOutcome(path: file, sender: sender, senderPartition: partition, status: .applied(report)))
            } catch {
                outcomes.append(ImportOutcome(path: file, sender: sender, senderPartition: partition, status: .failed(BundleError.wrap(error, path: file))))
            }
        }
        return outcomes
    }

    private func skipReason(_ header: ChangeSetHeader) -> Message? {
        if header.sender == replica.nodeID {
            return Message(en: "written by this computer", ru: "выгружен этим компьютером")
        }
        switch (replica.role, header.recipient) {
        case (.hub, .node(let id)) where id == replica.nodeID: return nil
        case (.hub, .partition(let p)) where p == replica.domain: return nil
        case (.member(let mine), .partition(let p)) where p == mine: return nil
        case (_, .partition(let p)): return Message(en: "for school \(p)", ru: "для школы \(p)")
        case (.member, .node(let id)) where id == replica.hubID:
            return Message(en: "written for the hub (a school's computer takes the hub's bundle, not its siblings')",
                           ru: "это пакет для управления (компьютер школы принимает пакеты управления, а не других компьютеров)")
        case (_, .node(let id)): return Message(en: "for another computer (\(id))", ru: "для другого компьютера (\(id))")
        }
    }

    public static func newBundleID() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
