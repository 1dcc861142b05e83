import Foundation
import PartaCore
import PartaStore
import PartaBundle
import PartaApp

/// What the hub answers to one sync request (Protocol/sync-http-v1.md): a status, a body (the
/// hub's bundle for the sender's school, or a message) and, for refusals, the reason code.
public struct SyncAnswer: Sendable {
    public var status: Int
    public var body: [UInt8]
    public var reason: String?
    public var sender: String?
    public var changesApplied: Int
}

/// The hub's side of a sync, apart from HTTP: applies a school's bundle and writes the answer, one
/// request at a time (the replica is one SQLite connection). Safe to call from many tasks.
public final class SyncService: @unchecked Sendable {
    private let node: PartaNode
    private let lock = NSLock()
    /// Largest request body accepted, in bytes.
    public let maxBundleBytes: Int

    public init(node: PartaNode, maxBundleBytes: Int = 64 << 20) throws {
        try node.requireHub()
        self.node = node
        self.maxBundleBytes = maxBundleBytes
    }

    /// Applies `bundle` and returns the hub's bundle for the sender's partition.
    public func sync(_ bundle: [UInt8], now: UInt64, language: Language) -> SyncAnswer {
        lock.lock()
        defer { lock.unlock() }
        var sender: String?
        do {
            let reader = try ChangeSetReader(bytes: bundle, maxPayload: UInt64(maxBundleBytes) * 64)
            sender = reader.header.sender
            let partition = reader.header.senderPartition
            let report = try node.replica.apply(reader, now: now)
            let (_, answer) = try node.replica.exportBundle(for: .partition(partition), now: now, bundleID: BundleExchange.newBundleID())
            return SyncAnswer(status: 200, body: answer, reason: nil, sender: sender, changesApplied: report.applied)
        } catch {
            let (status, code, message) = SyncService.describe(error)
            return SyncAnswer(status: status, body: Array((message.text(in: language) + "\n").utf8), reason: code, sender: sender, changesApplied: 0)
        }
    }

    /// The HTTP status, reason code and message for a refusal (Protocol/sync-http-v1.md §3).
    static func describe(_ error: Error) -> (Int, String, Message) {
        if let e = error as? PartaCoreError {
            switch e.code {
            case .badSignature: return (401, e.code.rawValue, e.message)
            case .payloadTooLarge: return (413, e.code.rawValue, e.message)
            default: return (400, e.code.rawValue, e.message)
            }
        }
        if let e = error as? StoreError {
            switch e.code {
            case .notEnrolled, .unknownNode: return (401, e.code.rawValue, e.message)
            case .revoked, .forbidden: return (403, e.code.rawValue, e.message)
            case .wrongRecipient: return (409, e.code.rawValue, e.message)
            case .sqlite: return (500, e.code.rawValue, e.message)
            default: return (422, e.code.rawValue, e.message)
            }
        }
        return (500, "internal", Message(en: "The hub failed: \(error). Nothing was applied.", ru: "Сбой в управлении: \(error). Ничего не применено."))
    }
}
