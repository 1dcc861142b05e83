import Foundation
import Synchronization
import Crypto
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
    /// The answer's id and length when it is stored for `GET /v1/answers/{id}` (§5.6); the body
    /// is then sent only if it is small.
    public var stored: (id: String, length: Int)?
    /// Whether the body goes in the HTTP answer (else only its reference does).
    public var inline = true

    init(status: Int, body: [UInt8], reason: String?, sender: String?, changesApplied: Int) {
        self.status = status
        self.body = body
        self.reason = reason
        self.sender = sender
        self.changesApplied = changesApplied
    }
}

/// The hub's side of a sync, apart from HTTP: applies a school's bundle and writes the answer, one
/// request at a time (the replica is one SQLite connection); takes resumable uploads and keeps
/// large answers in the staging folder of the hub's data folder (Protocol/sync-http-v1.md §5).
/// Safe to call from many tasks.
public final class SyncService: Sendable {
    /// The hub's node, shared with the dashboard's pages.
    public let shared: SharedNode
    /// Largest request body, and largest upload, accepted, in bytes.
    public let maxBundleBytes: Int
    /// Largest answer sent inline to a client that can fetch one by reference (§5.6).
    public let inlineAnswerLimit: Int
    let staging: UploadStaging

    /// - Parameters:
    ///   - maxStagingBytes: what partial uploads may declare together (default 8 × `maxBundleBytes`).
    ///   - now: the hub's clock (ms), to expire what a previous run left in the staging folder.
    /// - Throws: if its staging folder cannot be made.
    public convenience init(node: sending HubNode, maxBundleBytes: Int = 64 << 20, inlineAnswerLimit: Int = 1 << 20, maxStagingBytes: Int? = nil,
                            now: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)) throws {
        try self.init(shared: SharedNode(node), maxBundleBytes: maxBundleBytes, inlineAnswerLimit: inlineAnswerLimit, maxStagingBytes: maxStagingBytes, now: now)
    }

    /// A service over a node the caller shares with others (the dashboard).
    public init(shared: SharedNode, maxBundleBytes: Int = 64 << 20, inlineAnswerLimit: Int = 1 << 20, maxStagingBytes: Int? = nil,
                now: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)) throws {
        self.shared = shared
        self.maxBundleBytes = maxBundleBytes
        self.inlineAnswerLimit = inlineAnswerLimit
        staging = try UploadStaging(directory: (shared.dataDirectory as NSString).appendingPathComponent("staging"),
                                    maxTotalBytes: maxStagingBytes ?? 8 * maxBundleBytes, now: now)
    }

    /// Largest upload from a computer not enrolled yet (16 MiB); one partial upload per
    /// partition among such computers (§5.7).
    static let maxEnrollingUpload = 16 << 20

    /// Largest body of one `POST /v1/sync`: the smaller of ``maxBundleBytes`` and 8 MiB. Clients
    /// send bundles above 1 MiB as resumable uploads (§5), whose first piece is authenticated.
    public var maxPostBytes: Int { min(maxBundleBytes, 8 << 20) }
    /// What all `POST` bodies being received or waiting for the node to apply them may hold together:
    /// 8 × ``maxPostBytes``. (A handler waiting for the node holds no thread, so without this bound the
    /// bundles waiting would be bounded only by the connections.)
    public var maxUnverifiedBytes: Int { 8 * maxPostBytes }
    /// Bytes of `POST` bodies being received, or received and not yet applied.
    private let unverifiedBytes = Mutex(0)

    /// Reserves room for `count` bytes of a request body until it is applied; false if that would
    /// take the hub over ``maxUnverifiedBytes``.
    func reserveUnverified(_ count: Int) -> Bool {
        let limit = maxUnverifiedBytes
        return unverifiedBytes.withLock { held in
            guard held + count <= limit else { return false }
            held += count
            return true
        }
    }

    func releaseUnverified(_ count: Int) {
        unverifiedBytes.withLock { $0 -= count }
    }

    /// Checks a bundle's header before its body is read: for this hub, from a sender it trusts
    /// (enrolled, or with a proof for an open code). The signature is checked once the whole
    /// bundle is there; until then a revoked node is not told it was revoked.
    func admit(_ header: ChangeSetHeader, now: UInt64) async throws {
        try await shared.withNode { node in
            guard header.recipient == .node(node.replica.nodeID) else {
                throw StoreError(.wrongRecipient, Message(
                    en: "This bundle is meant for \(header.recipient), not for this hub. Nothing was kept.",
                    ru: "Этот пакет предназначен для адресата «\(header.recipient)», а не для этого управления. Ничего не сохранено."))
            }
            _ = try SyncService.trustedSigningKey(header, at: node, now: now)
        }
    }

    /// Applies `bundle` and returns the hub's bundle for the sender's partition.
    public func sync(_ bundle: [UInt8], now: UInt64, language: Language) async -> SyncAnswer {
        let maxPayload = UInt64(maxBundleBytes) * 64, staging = self.staging
        return await shared.withNode { node in
            var sender: String?
            do {
                let reader = try ChangeSetReader(bytes: bundle, maxPayload: maxPayload)
                sender = reader.header.sender
                let partition = reader.header.senderPartition
                let report = try node.replica.apply(reader, now: now, via: "http")
                let (_, answer) = try node.replica.exportBundle(for: .partition(partition), now: now, bundleID: BundleExchange.newBundleID())
                staging.dropAnswers(of: reader.header.sender)
                return SyncAnswer(status: 200, body: answer, reason: nil, sender: sender, changesApplied: report.applied)
            } catch {
                let (status, code, message) = SyncService.describe(error)
                return SyncAnswer(status: status, body: Array((message.text(in: language) + "\n").utf8), reason: code, sender: sender, changesApplied: 0)
            }
        }
    }

    /// Keeps a successful answer for `GET /v1/answers/{id}` if it is larger than
    /// ``inlineAnswerLimit`` and the client can fetch it (`byReference`), or if it answers an
    /// upload (`upload`: its id and length; the upload's bytes are deleted then).
    func keep(_ answer: inout SyncAnswer, byReference: Bool, upload: (id: String, length: Int)?, now: UInt64, language: Language) {
        guard answer.status == 200, let sender = answer.sender else { return }
        let large = answer.body.count > inlineAnswerLimit
        guard upload != nil || (byReference && large) else { return }
        do {
            let stored = try staging.store(answer: answer.body, node: sender, upload: upload?.id, uploadLength: upload?.length, now: now)
            answer.stored = (stored.id, stored.length)
            answer.inline = !large
        } catch {
            // Applied, but the answer could not be kept: the client syncs again (bundles are idempotent).
            if let upload { staging.discard(upload.id) }
            guard large else { return }
            let (status, code, message) = SyncService.describe(error)
            answer = SyncAnswer(status: status, body: Array((message.text(in: language) + "\n").utf8), reason: code, sender: sender, changesApplied: answer.changesApplied)
        }
    }

    // MARK: Uploads (§5.4)

    /// Checks the first bytes of a new upload and, if its sender may upload, begins it: the
    /// framing gives `length`, the bundle is for this hub, the sender is trusted here (or enrols
    /// with a proof for an open code) and `signature` is its signature over the upload's id.
    ///
    /// - Returns: the token to append with.
    /// - Throws: what ``describe(_:)`` turns into the refusal; nothing is kept then.
    func beginUpload(_ id: String, prefix: BundlePrefix, signature: [UInt8], length: Int, now: UInt64) async throws -> Int {
        let header = prefix.header
        let enrolling = try await shared.withNode { node -> Bool in
            guard prefix.totalLength == UInt64(length) else {
                throw UploadRefusal(400, "lengthMismatch", Message(
                    en: "Upload-Length (\(length)) is not the length of the bundle (\(prefix.totalLength) bytes).",
                    ru: "Upload-Length (\(length)) не совпадает с длиной пакета (\(prefix.totalLength) байт)."))
            }
            guard header.recipient == .node(node.replica.nodeID) else {
                throw StoreError(.wrongRecipient, Message(
                    en: "This bundle is meant for \(header.recipient), not for this hub. Nothing was kept.",
                    ru: "Этот пакет предназначен для адресата «\(header.recipient)», а не для этого управления. Ничего не сохранено."))
            }
            let (key, known) = try SyncService.trustedSigningKey(header, at: node, now: now)
            guard let checksum = UploadStaging.bytes(hex: id),
                  ChangeSetReader.isValidSignature(signature, checksum: checksum, signingKey: key) else {
                throw PartaCoreError(.badSignature, Message(
                    en: "Parta-Signature is not node \(header.sender)'s signature of this upload: it was altered, or sent by someone else under that node's name. Nothing was kept.",
                    ru: "Parta-Signature не является подписью узла \(header.sender) для этой загрузки: она изменена или отправлена кем-то другим от имени узла. Ничего не сохранено."))
            }
            // Only now, to the key's holder: whether the node was revoked, and when.
            if let known { try SyncService.refuseIfRevoked(known) }
            // (A municipality's hub joining its region brings its whole district: not bound here.)
            let joiningMunicipality = try node.listMunicipalities().contains { $0.id == header.senderPartition }
            let enrolling = known == nil && header.sender != node.replica.upstream?.id && !joiningMunicipality
            // A computer's first bundle holds its own record and what it wrote offline: small. A
            // holder of an open code could otherwise declare 64 MiB under each of many made-up ids.
            guard !enrolling || length <= SyncService.maxEnrollingUpload else {
                throw UploadRefusal(413, "tooLarge", Message(
                    en: "A computer that is not enrolled yet may upload at most \(SyncService.maxEnrollingUpload) bytes. Nothing was kept.",
                    ru: "Ещё не подключённый компьютер может загрузить не больше \(SyncService.maxEnrollingUpload) байт. Ничего не сохранено."))
            }
            return enrolling
        }
        do {
            return try staging.create(id, sender: header.sender, quota: enrolling ? "enrolling:" + header.senderPartition : nil,
                                      length: length, signature: signature, now: now)
        } catch UploadStaging.Refusal.stagingFull {
            throw UploadRefusal(503, "stagingFull", Message(
                en: "The hub has no room for another upload now. Try again later; nothing is lost.",
                ru: "Управлению сейчас некуда принять ещё одну загрузку. Повторите позже; ничего не потеряно."))
        } catch UploadStaging.Refusal.offsetMismatch(let held) {
            throw UploadRefusal.offsetMismatch(held: held)
        }
    }

    /// The key to check `header`'s sender with, without opening anything: the enrolled node's, or
    /// the header's when it carries a proof for an open enrollment code.
    /// - Returns: the key, and the sender's record if it has one (to refuse a revoked node once
    ///   its signature holds).
    private static func trustedSigningKey(_ header: ChangeSetHeader, at node: PartaNode, now: UInt64) throws -> ([UInt8], EnrolledNode?) {
        if let upstream = node.replica.upstream, header.sender == upstream.id { return (upstream.keys.signing, nil) }
        if let known = try node.replica.enrolledNode(header.sender) {
            if let keys = known.keys { return (keys.signing, known) }
        } else if let successor = try node.replica.successorKeys(for: header) {
            return (successor.signing, nil)
        } else if let proof = header.enrollmentProof, let keys = header.senderKeys,
                  try node.replica.openEnrollmentCodes(partition: header.senderPartition, now: now)
                    .contains(where: { $0.verifies(proof, node: header.sender, partition: header.senderPartition, keys: keys) }) {
            return (keys.signing, nil)
        }
        throw StoreError(.notEnrolled, Message(
            en: "Node \(header.sender) is not enrolled at this hub. Nothing was kept. A new computer joins its school with an enrollment code: `parta hub school code \(header.senderPartition)`.",
            ru: "Узел \(header.sender) не подключён к этому управлению. Ничего не сохранено. Новый компьютер подключается к школе по коду: `parta hub school code \(header.senderPartition)`."),
            context: ["node": header.sender])
    }

    private static func refuseIfRevoked(_ known: EnrolledNode) throws {
        guard let revokedAt = known.revokedAt else { return }
        throw StoreError(.revoked, Message(
            en: "Node \(known.id) (\(known.name)) was revoked on \(String(CivilTime.iso8601(milliseconds: revokedAt).prefix(10))); its bundles are no longer accepted. Nothing was kept.",
            ru: "Узел \(known.id) («\(known.name)») отозван \(String(CivilTime.iso8601(milliseconds: revokedAt).prefix(10))); его пакеты больше не принимаются. Ничего не сохранено."),
            context: ["node": known.id])
    }

    /// Whether `signature` is `node`'s signature of releasing the stored answer `id` (§5.6):
    /// Ed25519 over ``releaseContext`` followed by the 32 bytes of `id`, with the key this hub
    /// holds for the node.
    func isSignedRelease(of id: String, by node: String, signature: [UInt8]) async -> Bool {
        let key: [UInt8]? = await shared.withNode { hub in
            if let upstream = hub.replica.upstream, upstream.id == node { return upstream.keys.signing }
            return (try? hub.replica.enrolledNode(node))??.keys?.signing
        }
        guard let key, let id = UploadStaging.bytes(hex: id), signature.count == 64,
              let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key) else { return false }
        return publicKey.isValidSignature(signature, for: SyncService.releaseContext + id)
    }

    /// What a client signs, before an answer's id, to release the answer (§5.6).
    public static let releaseContext = Array("parta-answer-release-v1".utf8)

    /// Before more bytes of `sender`'s upload are kept: a node revoked since it began loses it.
    func checkUploadSender(_ sender: String, upload id: String) async throws {
        guard let known = try await shared.withNode({ try $0.replica.enrolledNode(sender) }) else { return }
        do {
            try SyncService.refuseIfRevoked(known)
        } catch {
            staging.discard(id)
            throw error
        }
    }

    /// Applies a whole upload, as `POST /v1/sync` would, once its bytes end with the id (their
    /// checksum) and the signature it began with. Deletes the upload when it is applied (its
    /// answer is stored) or refused; keeps it, whole, when the hub failed (a later empty PATCH
    /// tries again).
    func completeUpload(_ id: String, bytes: [UInt8], signature: [UInt8], now: UInt64, language: Language) async -> SyncAnswer {
        guard let trailer = ChangeSetReader.trailer(of: bytes), Hex.encode(trailer.checksum) == id, trailer.signature == signature else {
            staging.discard(id)
            let message = Message(
                en: "The uploaded bytes do not end with the checksum and signature the upload began with: they were damaged or altered on the way. The upload was discarded and nothing was changed; sync again.",
                ru: "Загруженные данные не заканчиваются контрольной суммой и подписью, с которыми загрузка начиналась: они повреждены или изменены в пути. Загрузка удалена, ничего не изменено; повторите синхронизацию.")
            return SyncAnswer(status: 400, body: Array((message.text(in: language) + "\n").utf8), reason: "checksumMismatch", sender: nil, changesApplied: 0)
        }
        var answer = await sync(bytes, now: now, language: language)
        if answer.status == 200 {
            keep(&answer, byReference: true, upload: (id, bytes.count), now: now, language: language)
        } else if answer.status >= 500 {
            staging.release(id)
        } else {
            staging.discard(id)
        }
        return answer
    }

    /// What the hub tells a client it could not authenticate (Protocol/sync-http-v1.md §3): the
    /// same for an unknown node, a bad signature, and a known node's id under someone else's
    /// signature, so a stranger learns nothing about which computers are enrolled.
    static let notAuthenticated = Message(
        en: "This hub does not recognise the sender: the computer is not enrolled here, or the bundle's signature does not hold. Nothing was kept. A new computer joins its school with an enrollment code (`parta hub school code SCHOOL` at the hub, then `parta init --from STICK --code CODE`).",
        ru: "Управление не узнаёт отправителя: компьютер здесь не подключён или подпись пакета не сходится. Ничего не сохранено. Новый компьютер подключается к школе по коду (`parta hub school code ШКОЛА` в управлении, затем `parta init --from ФЛЕШКА --code КОД`).")

    /// The HTTP status, reason code and message for a refusal (Protocol/sync-http-v1.md §3).
    static func describe(_ error: Error) -> (Int, String, Message) {
        if let e = error as? UploadRefusal { return (e.status, e.reason, e.message) }
        if let e = error as? PartaCoreError {
            switch e.code {
            case .badSignature: return (401, StoreError.Code.notEnrolled.rawValue, notAuthenticated)
            case .payloadTooLarge: return (413, e.code.rawValue, e.message)
            default: return (400, e.code.rawValue, e.message)
            }
        }
        if let e = error as? StoreError {
            switch e.code {
            case .notEnrolled: return (401, e.code.rawValue, e.context["code"] == nil ? notAuthenticated : e.message)
            case .unknownNode: return (401, e.code.rawValue, e.message)
            case .revoked, .forbidden: return (403, e.code.rawValue, e.message)
            case .wrongRecipient: return (409, e.code.rawValue, e.message)
            case .sqlite: return (500, e.code.rawValue, e.message)
            default: return (422, e.code.rawValue, e.message)
            }
        }
        return (500, "internal", Message(en: "The hub failed: \(error). Nothing was applied.", ru: "Сбой в управлении: \(error). Ничего не применено."))
    }
}

/// A refusal of an upload request that is not about the bundle itself (§5.4).
struct UploadRefusal: Error {
    var status: Int
    var reason: String
    var message: Message
    var offset: Int?

    init(_ status: Int, _ reason: String, _ message: Message, offset: Int? = nil) {
        self.status = status
        self.reason = reason
        self.message = message
        self.offset = offset
    }

    static func offsetMismatch(held: Int) -> UploadRefusal {
        UploadRefusal(409, "offsetMismatch", Message(
            en: "The hub holds \(held) bytes of this upload; continue from there.",
            ru: "У управления \(held) байт этой загрузки; продолжайте с этого места."), offset: held)
    }
}
