import Foundation
import Synchronization
import Crypto
import PartaCore

/// The hub's partial uploads and stored answers, on disk in its staging folder
/// (Protocol/sync-http-v1.md §5.7), with their limits: one partial upload per sender, a cap on
/// what partial uploads declare together, 24 hours for an idle upload, one hour (or the sender's
/// next applied bundle) for an answer.
///
/// `uploads/{id}.json` (the upload's record) is written, atomically, before `uploads/{id}.part`
/// gets its first byte, and bytes are only ever appended: a hub killed at any moment finds every
/// upload as far as it got. Safe to call from many tasks; calls do not block on each other for
/// longer than a file operation.
final class UploadStaging: Sendable {
    struct UploadRecord: Codable {
        var sender: String
        var length: Int
        /// The bundle's signature given at offset 0, base64.
        var signature: String
        /// When the upload began (ms, the hub's clock).
        var created: UInt64
        /// Who the one-partial-upload rule counts it against: the sender, or, for a computer not
        /// enrolled yet, `enrolling:<partition>`, so that made-up node ids presenting one open
        /// code share one upload between them (§5.7). Nil in records of older hubs: the sender.
        var quota: String? = nil
        var quotaKey: String { quota ?? sender }
    }

    struct StoredAnswer: Codable, Sendable {
        var id: String
        var node: String
        /// The upload this answers, if it came from one.
        var upload: String?
        var uploadLength: Int?
        var length: Int
        var created: UInt64
    }

    /// What the hub holds under an upload id.
    enum State {
        case none
        case partial(held: Int, length: Int)
        case applied(StoredAnswer)
    }

    /// What a PATCH at `offset` may do.
    enum Claim {
        /// No such upload and offset 0: check the sender, then ``create(_:sender:length:signature:now:)``.
        case new
        /// Go on writing with this token; nobody else writes the upload from now on.
        case resume(token: Int, sender: String)
        case offsetMismatch(held: Int)
        case lengthMismatch(Int)
    }

    enum Refusal: Error { case stagingFull, lengthMismatch(Int), offsetMismatch(held: Int) }

    private struct Upload {
        var record: UploadRecord
        var held: Int
        /// Last byte received (ms).
        var touched: UInt64
        /// Which request may write: a new PATCH takes over from one still receiving.
        var token: Int
        var completing = false
    }

    let directory: String
    let maxTotalBytes: Int
    let uploadLifetime: UInt64 = 24 * 3_600_000
    let answerLifetime: UInt64 = 3_600_000
    private let uploadsFolder: String
    private let answersFolder: String

    /// The uploads and answers held, and the files behind them, changed only under the lock.
    private struct Held {
        let uploadsFolder: String
        let answersFolder: String
        var uploads: [String: Upload] = [:]
        var answers: [String: StoredAnswer] = [:]
        var nextToken = 0

        mutating func newToken() -> Int {
            nextToken += 1
            return nextToken
        }

        mutating func remove(upload id: String) {
            uploads[id] = nil
            try? FileManager.default.removeItem(atPath: UploadStaging.file(uploadsFolder, id + ".part"))
            try? FileManager.default.removeItem(atPath: UploadStaging.file(uploadsFolder, id + ".json"))
        }

        mutating func remove(answer id: String) {
            answers[id] = nil
            try? FileManager.default.removeItem(atPath: UploadStaging.file(answersFolder, id + ".json"))
            try? FileManager.default.removeItem(atPath: UploadStaging.file(answersFolder, id + ".parta"))
        }

        /// Deletes idle uploads and old answers.
        mutating func sweep(now: UInt64, uploadLifetime: UInt64, answerLifetime: UInt64) {
            for (id, upload) in uploads where !upload.completing && now >= upload.touched &+ uploadLifetime { remove(upload: id) }
            for (id, answer) in answers where now >= answer.created &+ answerLifetime { remove(answer: id) }
        }
    }
    private let held: Mutex<Held>

    /// Opens the staging folder `directory` (created if missing), takes up what a previous run
    /// left and deletes what has expired.
    init(directory: String, maxTotalBytes: Int, now: UInt64) throws {
        self.directory = directory
        self.maxTotalBytes = maxTotalBytes
        let uploadsFolder = (directory as NSString).appendingPathComponent("uploads")
        let answersFolder = (directory as NSString).appendingPathComponent("answers")
        self.uploadsFolder = uploadsFolder
        self.answersFolder = answersFolder
        let file = UploadStaging.file
        let fm = FileManager.default
        for folder in [uploadsFolder, answersFolder] {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        var state = Held(uploadsFolder: uploadsFolder, answersFolder: answersFolder)
        let decoder = JSONDecoder()
        let names = (try? fm.contentsOfDirectory(atPath: uploadsFolder)) ?? []
        for name in names {
            let path = file(uploadsFolder, name)
            if name.hasSuffix(".part"), names.contains(String(name.dropLast(5)) + ".json") { continue }
            let id = String(name.dropLast(5))
            guard name.hasSuffix(".json"), UploadStaging.isValidID(id),
                  let record = try? decoder.decode(UploadRecord.self, from: Data(contentsOf: URL(fileURLWithPath: path))) else {
                // A part without its record, a damaged record, a temporary file of a write cut short.
                try? fm.removeItem(atPath: path)
                if name.hasSuffix(".json") { try? fm.removeItem(atPath: file(uploadsFolder, id + ".part")) }
                continue
            }
            let part = file(uploadsFolder, id + ".part")
            let attributes = try? fm.attributesOfItem(atPath: part)
            let heldBytes = (attributes?[.size] as? Int) ?? 0
            if attributes == nil { _ = fm.createFile(atPath: part, contents: nil, attributes: [.posixPermissions: 0o600]) }
            let modified = (attributes?[.modificationDate] as? Date).map { UInt64(max(0, $0.timeIntervalSince1970) * 1000) } ?? 0
            guard heldBytes <= record.length else { state.remove(upload: id); continue }
            state.uploads[id] = Upload(record: record, held: heldBytes, touched: max(record.created, modified), token: 0)
        }
        for name in (try? fm.contentsOfDirectory(atPath: answersFolder)) ?? [] where name.hasSuffix(".json") {
            let id = String(name.dropLast(5))
            let path = file(answersFolder, name)
            guard UploadStaging.isValidID(id), let answer = try? decoder.decode(StoredAnswer.self, from: Data(contentsOf: URL(fileURLWithPath: path))),
                  ((try? fm.attributesOfItem(atPath: file(answersFolder, id + ".parta")))?[.size] as? Int) == answer.length else {
                try? fm.removeItem(atPath: path)
                try? fm.removeItem(atPath: file(answersFolder, id + ".parta"))
                continue
            }
            state.answers[id] = answer
        }
        for name in (try? fm.contentsOfDirectory(atPath: answersFolder)) ?? [] where !name.hasSuffix(".json") {
            let id = name.hasSuffix(".parta") ? String(name.dropLast(6)) : ""
            if state.answers[id] == nil { try? fm.removeItem(atPath: file(answersFolder, name)) }
        }
        state.sweep(now: now, uploadLifetime: uploadLifetime, answerLifetime: answerLifetime)
        held = Mutex(state)
    }

    private static func file(_ folder: String, _ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
    private func partPath(_ id: String) -> String { UploadStaging.file(uploadsFolder, id + ".part") }

    static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 64 && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    static func bytes(hex: String) -> [UInt8]? {
        guard hex.utf8.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }

    // MARK: Uploads

    func state(of id: String) -> State {
        held.withLock { held in
            if let upload = held.uploads[id] { return .partial(held: upload.held, length: upload.record.length) }
            if let answer = held.answers.values.first(where: { $0.upload == id }) { return .applied(answer) }
            return .none
        }
    }

    /// Whether a PATCH at `offset` for an upload of `length` bytes may go on, and with which token.
    func claim(_ id: String, offset: Int, length: Int) -> Claim {
        held.withLock { held in
            if var upload = held.uploads[id] {
                guard upload.record.length == length else { return .lengthMismatch(upload.record.length) }
                guard !upload.completing, offset == upload.held else { return .offsetMismatch(held: upload.held) }
                upload.token = held.newToken()
                held.uploads[id] = upload
                return .resume(token: upload.token, sender: upload.record.sender)
            }
            if let answer = held.answers.values.first(where: { $0.upload == id }) {
                return .offsetMismatch(held: answer.uploadLength ?? length)
            }
            return offset == 0 ? .new : .offsetMismatch(held: 0)
        }
    }

    /// Begins an upload whose sender the caller has authenticated: drops the sender's other
    /// partial upload, checks the cap, writes the record.
    ///
    /// - Throws: ``Refusal/stagingFull`` if the partial uploads would then declare more than the
    ///   cap; the file system's error if the record cannot be written (nothing is kept then).
    func create(_ id: String, sender: String, quota: String? = nil, length: Int, signature: [UInt8], now: UInt64) throws -> Int {
        let (maxTotalBytes, uploadLifetime, answerLifetime) = (self.maxTotalBytes, self.uploadLifetime, self.answerLifetime)
        let recordPath = UploadStaging.file(uploadsFolder, id + ".json"), partPath = partPath(id)
        return try held.withLock { held in
            if let existing = held.uploads[id] {
                // Another request began the same upload meanwhile: take over if nothing was written.
                guard existing.held == 0, !existing.completing else { throw Refusal.offsetMismatch(held: existing.held) }
                let token = held.newToken()
                held.uploads[id]?.token = token
                return token
            }
            let key = quota ?? sender
            for (other, upload) in held.uploads where upload.record.quotaKey == key && !upload.completing { held.remove(upload: other) }
            held.sweep(now: now, uploadLifetime: uploadLifetime, answerLifetime: answerLifetime)
            let declared = held.uploads.values.reduce(0) { $0 + $1.record.length }
            guard declared + length <= maxTotalBytes else { throw Refusal.stagingFull }
            let record = UploadRecord(sender: sender, length: length, signature: Data(signature).base64EncodedString(), created: now, quota: quota)
            let data = try JSONEncoder().encode(record)
            try data.write(to: URL(fileURLWithPath: recordPath), options: .atomic)
            guard FileManager.default.createFile(atPath: partPath, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                try? FileManager.default.removeItem(atPath: recordPath)
                throw CocoaError(.fileWriteUnknown)
            }
            let token = held.newToken()
            held.uploads[id] = Upload(record: record, held: 0, touched: now, token: token)
            return token
        }
    }

    /// Appends `bytes` to the upload if `token` still holds it.
    ///
    /// - Returns: the bytes held afterwards, or nil if another request took over, the upload is
    ///   gone, or the bytes would run past its length (nothing is written then).
    func append(_ id: String, token: Int, _ bytes: UnsafeRawBufferPointer, now: UInt64) throws -> Int? {
        let partPath = partPath(id)
        return try held.withLock { held in
            guard var upload = held.uploads[id], upload.token == token, !upload.completing,
                  upload.held + bytes.count <= upload.record.length else { return nil }
            guard !bytes.isEmpty else { return upload.held }
            let fd = open(partPath, O_WRONLY | O_APPEND)
            guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            defer { close(fd) }
            var written = 0
            while written < bytes.count {
                let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    let code = errno
                    // What did reach the file stays: the record of the upload follows the file.
                    upload.held += written
                    held.uploads[id] = upload
                    throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
                }
                written += n
            }
            upload.held += written
            upload.touched = now
            held.uploads[id] = upload
            return upload.held
        }
    }

    /// The whole upload's bytes and the signature it began with, if it is whole and `token`
    /// holds it; marks it as being completed, so that no other request writes or completes it.
    func takeWhole(_ id: String, token: Int) throws -> (bytes: [UInt8], signature: [UInt8])? {
        let taken: Upload? = held.withLock { held in
            guard var upload = held.uploads[id], upload.token == token, !upload.completing, upload.held == upload.record.length else {
                return nil
            }
            upload.completing = true
            held.uploads[id] = upload
            return upload
        }
        guard let upload = taken else { return nil }
        do {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: partPath(id))))
            return (bytes, [UInt8](Data(base64Encoded: upload.record.signature) ?? Data()))
        } catch {
            release(id)
            throw error
        }
    }

    /// After a failure of the hub while completing: the upload stays, whole, for another try.
    func release(_ id: String) {
        held.withLock { $0.uploads[id]?.completing = false }
    }

    /// Deletes an upload (completed, refused, replaced or expired).
    func discard(_ id: String) {
        held.withLock { $0.remove(upload: id) }
    }

    // MARK: Answers

    /// Stores the answer to a bundle from `node` (replacing that node's earlier answers),
    /// deletes the upload it answers, if any, and what has expired.
    func store(answer bytes: [UInt8], node: String, upload: String?, uploadLength: Int?, now: UInt64) throws -> StoredAnswer {
        let id = Hex.encode(SHA256.hash(data: bytes))
        let answer = StoredAnswer(id: id, node: node, upload: upload, uploadLength: uploadLength, length: bytes.count, created: now)
        try Data(bytes).write(to: URL(fileURLWithPath: UploadStaging.file(answersFolder, id + ".parta")), options: .atomic)
        try JSONEncoder().encode(answer).write(to: URL(fileURLWithPath: UploadStaging.file(answersFolder, id + ".json")), options: .atomic)
        let (uploadLifetime, answerLifetime) = (self.uploadLifetime, self.answerLifetime)
        held.withLock { held in
            for (other, old) in held.answers where old.node == node && other != id { held.remove(answer: other) }
            held.answers[id] = answer
            if let upload { held.remove(upload: upload) }
            held.sweep(now: now, uploadLifetime: uploadLifetime, answerLifetime: answerLifetime)
        }
        return answer
    }

    /// A later bundle from `node` was applied: its stored answers are no longer needed.
    func dropAnswers(of node: String) {
        held.withLock { held in
            for (id, answer) in held.answers where answer.node == node { held.remove(answer: id) }
        }
    }

    /// The signature an upload in progress began with (§5.4), which every later piece must carry.
    func signature(of id: String) -> [UInt8]? {
        held.withLock { $0.uploads[id].flatMap { Data(base64Encoded: $0.record.signature) }.map { [UInt8]($0) } }
    }

    /// The client has the answer `id`: it is deleted (nothing happens if it is gone already).
    func discardAnswer(_ id: String) {
        held.withLock { held in
            if held.answers[id] != nil { held.remove(answer: id) }
        }
    }

    /// The stored answer `id`: its record and file.
    func answer(_ id: String) -> (StoredAnswer, path: String)? {
        let answersFolder = self.answersFolder
        return held.withLock { $0.answers[id].map { ($0, UploadStaging.file(answersFolder, id + ".parta")) } }
    }

    // MARK: Limits

    /// Deletes idle uploads (24 h) and old answers (1 h).
    func sweep(now: UInt64) {
        let (uploadLifetime, answerLifetime) = (self.uploadLifetime, self.answerLifetime)
        held.withLock { $0.sweep(now: now, uploadLifetime: uploadLifetime, answerLifetime: answerLifetime) }
    }

    /// Bytes held by partial uploads, and how many there are.
    var partialUploads: (bytes: Int, count: Int) {
        held.withLock { held in (held.uploads.values.reduce(0) { $0 + $1.held }, held.uploads.count) }
    }
}
