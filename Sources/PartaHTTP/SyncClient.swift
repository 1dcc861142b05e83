import Foundation
import Crypto
import PartaCore
import PartaStore
import PartaBundle
import PartaApp

/// The school's side of a sync over HTTP (Protocol/sync-http-v1.md): sends this node's bundle
/// for the hub, applies the answer. Retries a failed connection with backoff and jitter; a refusal
/// by the hub is not retried.
///
/// A bundle above ``chunkBytes`` goes as a resumable upload (§5): cut at any byte, the sync asks
/// the hub what it holds and goes on from there, and the bundle is applied at the hub whole and
/// once. The bundle being uploaded is kept in the data folder (`sync/upload.parta`), so that the
/// next `parta sync` resumes it while nothing new was written or received. A large answer is
/// fetched by reference, resuming with `Range` after a cut, and applied only once it is whole and
/// its SHA-256 matches.
///
/// Requests go over AsyncHTTPClient (``AsyncHTTPClientTransport``), `http://` and `https://`
/// alike; it takes an answer cut at any byte, inside its header block too, as a failed try.
public struct SyncClient {
    public let node: PartaNode
    /// Tries in a row without progress before giving up.
    public var attempts: Int
    public var timeout: TimeInterval
    /// Base of the backoff between attempts, in seconds (doubled each time, with ±50% jitter).
    public var backoff: TimeInterval
    /// The threshold of §5: a larger bundle is uploaded in pieces of this many bytes.
    public var chunkBytes: Int

    public init(node: PartaNode, attempts: Int = 4, timeout: TimeInterval = 120, backoff: TimeInterval = 1, chunkBytes: Int = 1 << 20) {
        self.node = node
        self.attempts = attempts
        self.timeout = timeout
        self.backoff = backoff
        self.chunkBytes = max(1, chunkBytes)
    }

    /// What a sync reports while it runs.
    public enum Event: Sendable {
        /// A try failed; the next one (`attempt` in a row without progress) starts in `wait` seconds.
        case retrying(attempt: Int, wait: TimeInterval)
        /// Bytes of the bundle the hub has or is being sent, of `total`.
        case sending(done: Int, total: Int)
        /// Bytes of the hub's answer received, of `total`.
        case receiving(done: Int, total: Int)
    }

    /// What one sync did.
    public struct Outcome: Sendable {
        public var sent: UInt64
        public var received: ApplyReport
        public var bytesSent: Int
        public var bytesReceived: Int
        /// Tries that failed, plus one.
        public var attempts: Int
        /// Whether the bundle went as a resumable upload (§5).
        public var chunked: Bool
        /// Offsets (above 0) the upload went on from, as the hub reported them after a cut or from an earlier run.
        public var resumedFrom: [Int]
        /// Whether the answer was fetched by reference (§5.6).
        public var answerByReference: Bool
        /// Set when the hub showed this computer to be an older copy of itself and it became a new
        /// computer of its school before syncing again (replication-v1 §10b).
        public var succession: Succession?
    }

    /// Whom this node syncs with: a school with its hub; a municipal hub with its region
    /// (`parta hub sync-upstream`).
    func target() throws -> String {
        guard node.isHub else { return node.replica.hubID }
        guard let upstream = node.replica.upstream else {
            throw SyncError(.misuse, Message(en: "This hub has not joined a region; schools sync with it.",
                                             ru: "Это управление не подключено к региону; с ним синхронизируются школы."))
        }
        return upstream.id
    }

    /// Where the bundle being uploaded is kept between runs.
    var pendingPath: String { (node.dataDirectory as NSString).appendingPathComponent("sync/upload.parta") }

    /// Syncs with the hub at `url` (its base URL).
    ///
    /// - Throws: ``SyncError`` with a message a user can act on: offline (suggesting the USB stick),
    ///   refused by the hub (with the hub's reason), or a damaged answer.
    public func sync(with url: URL, now: UInt64, language: Language, events: (@Sendable (Event) -> Void)? = nil) throws -> Outcome {
        try sync(with: url, now: now, language: language, events: events, afterSuccession: false)
    }

    private func sync(with url: URL, now: UInt64, language: Language, events: (@Sendable (Event) -> Void)?, afterSuccession: Bool) throws -> Outcome {
        let target = try self.target()
        let (header, bundle) = try outgoingBundle(to: target, now: now)
        if case .member = node.replica.role {
            SentMark.record(dataDirectory: node.dataDirectory, node: node.replica.nodeID, counter: header.upper[node.replica.nodeID])
        }
        let exchange = Exchange(client: self, url: url, language: language, events: events)
        let answer: [UInt8]
        do {
            if bundle.count <= chunkBytes {
                try? FileManager.default.removeItem(atPath: pendingPath)
                answer = try exchange.post(bundle)
            } else {
                answer = try exchange.upload(bundle)
            }
        } catch let error as SyncError where error.code == .refused {
            try? FileManager.default.removeItem(atPath: pendingPath)
            // An older copy of this computer: it becomes a new computer of its school (same keys),
            // keeping every edit the hub had not acknowledged, and syncs again as that one.
            if error.reason == StoreError.Code.olderCopy.rawValue, !afterSuccession {
                let succession = try node.replica.becomeSuccessor(now: now)
                var outcome = try sync(with: url, now: now, language: language, events: events, afterSuccession: true)
                outcome.succession = succession
                return outcome
            }
            // A hub that does not know this computer (restored from a backup taken before its
            // enrolment): everything again, with its own record and its code's proof (§11.3).
            if error.reason == StoreError.Code.notEnrolled.rawValue, !afterSuccession, case .member = node.replica.role,
               try node.replica.forgetAcknowledgement(of: target) {
                return try sync(with: url, now: now, language: language, events: events, afterSuccession: true)
            }
            throw error
        }
        let reader: ChangeSetReader
        do {
            reader = try ChangeSetReader(bytes: answer)
        } catch {
            throw SyncError(.badAnswer, Message(en: "The hub's answer is damaged: \(error). Sync again.",
                                                ru: "Ответ управления повреждён: \(error). Повторите синхронизацию."))
        }
        // The hub took the bundle (its answer came): only now does `parta status` count it as sent.
        try node.replica.recordExport(of: header, now: now)
        let report = try node.replica.apply(reader, now: now)
        try? FileManager.default.removeItem(atPath: pendingPath)
        exchange.release()
        return Outcome(sent: header.changeCount, received: report, bytesSent: bundle.count, bytesReceived: answer.count,
                       attempts: exchange.retry.failures + 1, chunked: bundle.count > chunkBytes, resumedFrom: exchange.resumedFrom,
                       answerByReference: exchange.answerByReference)
    }

    /// The bundle for the hub: the one an earlier run began uploading, if nothing was written or
    /// received since (its upper clock is this replica's clock), else a new one, kept if it will
    /// be uploaded.
    func outgoingBundle(to target: String, now: UInt64) throws -> (ChangeSetHeader, [UInt8]) {
        let hub = Recipient.node(target)
        if let data = FileManager.default.contents(atPath: pendingPath), data.count > chunkBytes,
           let pending = try? ChangeSetReader(bytes: [UInt8](data)), pending.header.sender == node.replica.nodeID,
           pending.header.recipient == hub, pending.header.upper == (try node.replica.vectorClock()) {
            return (pending.header, [UInt8](data))
        }
        let (header, bundle) = try node.replica.exportBundle(for: hub, now: now, bundleID: BundleExchange.newBundleID(), recording: false)
        if bundle.count > chunkBytes {
            try? PrivateFiles.makeFolder(FilePath.parent(pendingPath))
            try? PrivateFiles.write(bundle, to: pendingPath)
        } else {
            try? FileManager.default.removeItem(atPath: pendingPath)
        }
        return (header, bundle)
    }

    /// One request, on the transport ``Exchange`` would use (for `parta doctor`).
    static func send(_ request: SyncRequest) -> (Data?, SyncResponse?, Error?) {
        let r = makeTransport(for: request.url, timeout: request.timeoutInterval).perform(request)
        return (r.data, r.response, r.error)
    }
}

/// Counts tries without progress and waits between them (§3): 1 s, doubled each time up to a
/// minute, ±50%.
struct Retry {
    let attempts: Int
    let backoff: TimeInterval
    let url: URL
    let events: (@Sendable (SyncClient.Event) -> Void)?
    /// Failed tries since the last progress.
    private(set) var inARow = 0
    private(set) var failures = 0

    /// A try failed: waits before the next, or throws ``SyncError/Code/offline`` after `attempts` in a row.
    mutating func failed(_ detail: String?) throws {
        inARow += 1
        failures += 1
        guard inARow < max(1, attempts) else {
            let detail = detail ?? "the hub failed"
            throw SyncError(.offline, Message(
                en: "No connection to the hub at \(url.absoluteString) (\(detail)). Nothing is lost: your changes stay here. Try again later, or exchange by USB stick: parta export --to STICK.",
                ru: "Нет связи с управлением по адресу \(url.absoluteString) (\(detail)). Ничего не потеряно: изменения сохранены на этом компьютере. Повторите позже или обменяйтесь через флешку: parta export --to ФЛЕШКА."))
        }
        let wait = min(backoff * pow(2, Double(inARow - 1)), Retry.longestWait) * Double.random(in: 0.5...1.5)
        events?(.retrying(attempt: inARow + 1, wait: wait))
        Thread.sleep(forTimeInterval: wait)
    }

    /// The wait stops doubling here (seconds), before its jitter.
    static let longestWait: TimeInterval = 60

    /// Something moved: the count of tries in a row starts again.
    mutating func progressed() { inARow = 0 }
}

/// One sync's requests: the single POST (§2), or an upload (§5.4) and a stored answer (§5.6).
final class Exchange {
    let client: SyncClient
    let url: URL
    let language: Language
    let events: (@Sendable (SyncClient.Event) -> Void)?
    let transport: HTTPTransport
    var retry: Retry
    var resumedFrom: [Int] = []
    var answerByReference = false
    /// The id of the answer the hub keeps for this sync (§5.6), to release once it is applied.
    var storedAnswer: String?

    init(client: SyncClient, url: URL, language: Language, events: (@Sendable (SyncClient.Event) -> Void)?) {
        self.client = client
        self.url = url
        self.language = language
        self.events = events
        transport = makeTransport(for: url, timeout: client.timeout)
        retry = Retry(attempts: client.attempts, backoff: client.backoff, url: url, events: events)
    }

    func request(_ method: String, _ path: String) -> SyncRequest {
        var request = SyncRequest(url: url.appendingPathComponent(path), timeoutInterval: client.timeout)
        request.httpMethod = method
        request.setValue(language == .en ? "en" : "ru", forHTTPHeaderField: "Accept-Language")
        request.setValue("1", forHTTPHeaderField: "Parta-Resumable")
        return request
    }

    /// §2: one request with the whole bundle.
    func post(_ bundle: [UInt8]) throws -> [UInt8] {
        var request = request("POST", "v1/sync")
        request.setValue("application/vnd.parta.bundle", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(bundle)
        while true {
            let r = transport.perform(request, sent: { [events] in events?(.sending(done: Int($0), total: bundle.count)) })
            guard r.error == nil, let http = r.response else { try failed(r.error); continue }
            switch http.statusCode {
            case 200:
                return try answer(http, r.data)
            case 500...:
                try retry.failed(Exchange.text(r.data, http))
            default:
                throw refused(http, r.data)
            }
        }
    }

    /// §5.8: HEAD, then PATCH a chunk at a time from what the hub holds, until it answers.
    func upload(_ bundle: [UInt8]) throws -> [UInt8] {
        guard let (checksum, signature) = ChangeSetReader.trailer(of: bundle),
              let prefix = try ChangeSetReader.readPrefix(bundle), prefix.totalLength == UInt64(bundle.count) else {
            throw SyncError(.misuse, Message(en: "The bundle to upload is damaged.", ru: "Пакет для загрузки повреждён."))
        }
        let id = Hex.encode(checksum)
        var offset: Int?
        var best = 0
        func confirmed(_ held: Int) {
            if held > best { best = held; retry.progressed() }
            events?(.sending(done: held, total: bundle.count))
        }
        while true {
            if offset == nil {
                let r = transport.perform(request("HEAD", "v1/uploads/\(id)"))
                guard r.error == nil, let http = r.response else { try failed(r.error); continue }
                guard http.value(forHTTPHeaderField: "Parta-Resumable") == "1" else {
                    if http.statusCode >= 500 { try retry.failed(Exchange.text(r.data, http)); continue }
                    return try post(bundle)   // a hub without §5
                }
                switch http.statusCode {
                case 404:
                    offset = 0
                case 200:
                    if let reference = answerReference(http) { return try download(reference) }
                    guard let held = Exchange.number(http, "Upload-Offset"), held <= bundle.count else { try retry.failed("Upload-Offset"); continue }
                    if held > 0 { resumedFrom.append(held) }
                    offset = held
                    confirmed(held)
                case 500...:
                    try retry.failed(Exchange.text(r.data, http))
                    continue
                default:
                    throw refused(http, r.data)
                }
            }
            let start = offset!
            let end = start == 0 ? min(bundle.count, max(client.chunkBytes, prefix.length)) : min(bundle.count, start + client.chunkBytes)
            var request = request("PATCH", "v1/uploads/\(id)")
            request.setValue("application/offset+octet-stream", forHTTPHeaderField: "Content-Type")
            request.setValue(String(start), forHTTPHeaderField: "Upload-Offset")
            request.setValue(String(bundle.count), forHTTPHeaderField: "Upload-Length")
            // Every piece, not only the first: the hub takes no piece of an upload from anyone without it (§5.4).
            request.setValue(Data(signature).base64EncodedString(), forHTTPHeaderField: "Parta-Signature")
            request.httpBody = Data(bundle[start..<end])
            let r = transport.perform(request, sent: { [events] in events?(.sending(done: start + Int($0), total: bundle.count)) })
            guard r.error == nil, let http = r.response else {
                offset = nil
                try failed(r.error)
                continue
            }
            switch http.statusCode {
            case 204:
                guard let held = Exchange.number(http, "Upload-Offset"), held <= bundle.count else { offset = nil; try retry.failed("Upload-Offset"); continue }
                offset = held
                confirmed(held)
            case 200:
                confirmed(bundle.count)
                return try answer(http, r.data)
            case 409 where http.value(forHTTPHeaderField: "Parta-Reason") == "offsetMismatch":
                let held = Exchange.number(http, "Upload-Offset")
                // All there: HEAD names the answer (or shows it still to be applied).
                offset = held == bundle.count ? nil : held
                if let held, held > best { confirmed(held) } else { try retry.failed("offsetMismatch") }
            case 500...:
                offset = nil
                try retry.failed(Exchange.text(r.data, http))
            default:
                throw refused(http, r.data)
            }
        }
    }

    /// The answer a `200` carries, or names (§5.6): inline when its body is the whole answer,
    /// else fetched.
    func answer(_ http: SyncResponse, _ data: Data) throws -> [UInt8] {
        guard let reference = answerReference(http) else { return [UInt8](data) }
        if data.count == reference.length, Hex.encode(SHA256.hash(data: data)) == reference.id { return [UInt8](data) }
        return try download(reference)
    }

    /// §5.6: GET the stored answer, resuming with `Range` after a cut; checks its length and SHA-256.
    func download(_ reference: (id: String, length: Int)) throws -> [UInt8] {
        answerByReference = true
        var got: [UInt8] = []
        got.reserveCapacity(reference.length)
        var restarted = false
        while true {
            if got.count == reference.length {
                if Hex.encode(SHA256.hash(data: got)) == reference.id { return got }
                guard !restarted else {
                    throw SyncError(.badAnswer, Message(
                        en: "The hub's answer does not match its checksum, twice. Sync again.",
                        ru: "Ответ управления дважды не совпал со своей контрольной суммой. Повторите синхронизацию."))
                }
                restarted = true
                got = []
            }
            var request = request("GET", "v1/answers/\(reference.id)")
            if !got.isEmpty { request.setValue("bytes=\(got.count)-", forHTTPHeaderField: "Range") }
            let before = got.count
            let r = transport.perform(request, received: { [events] in events?(.receiving(done: before + $0, total: reference.length)) })
            guard let http = r.response else { try failed(r.error); continue }
            switch http.statusCode {
            case 200, 206:
                let from = http.statusCode == 200 ? 0 : Exchange.rangeStart(http)
                guard from == before || from == 0 else { try retry.failed("Content-Range"); continue }
                if from == 0 { got = [] }
                got += r.data.prefix(reference.length - got.count)
                if got.count > before { retry.progressed() }
                if r.error != nil { try failed(r.error) }
            case 404:
                throw SyncError(.badAnswer, Message(
                    en: "The hub no longer holds its answer (it keeps one for an hour). Your changes reached the hub; sync again to receive what it has for you.",
                    ru: "Ответ управления больше не хранится (он хранится час). Ваши изменения дошли до управления; повторите синхронизацию, чтобы получить ответ."))
            case 416:
                got = []
                try retry.failed("416")
            case 500...:
                try retry.failed(Exchange.text(r.data, http))
            default:
                throw refused(http, r.data)
            }
        }
    }

    /// A request failed on the wire: a cut or a timeout waits and tries again (``Retry``); an
    /// answer that is not HTTP or larger than a bundle may be is not the hub's, and is not retried.
    func failed(_ error: Error?) throws {
        if let transport = error as? TransportError, transport.kind == .malformed || transport.kind == .tooLarge {
            let text = transport.message.text(in: language)
            throw SyncError(.badAnswer, Message(
                en: "The server at \(url.absoluteString) did not answer as a Parta hub does: \(text). Nothing was changed. Check the address (is a proxy answering?), or exchange by USB stick: parta export --to STICK.",
                ru: "Сервер по адресу \(url.absoluteString) ответил не так, как отвечает управление Parta: \(text). Ничего не изменено. Проверьте адрес (не отвечает ли прокси?) или обменяйтесь через флешку: parta export --to ФЛЕШКА."))
        }
        try retry.failed(detail(error))
    }

    /// A failed request in the user's language when it is ours (a ``TransportError``), else as the system says it.
    func detail(_ error: Error?) -> String? {
        guard let error else { return nil }
        if let transport = error as? TransportError { return transport.message.text(in: language) }
        return error.localizedDescription
    }

    func refused(_ http: SyncResponse, _ data: Data) -> SyncError {
        let text = Exchange.text(data, http)
        return SyncError(.refused, Message(en: "The hub refused the sync (\(http.statusCode)): \(text)",
                                           ru: "Управление отклонило синхронизацию (\(http.statusCode)): \(text)"),
                         reason: http.value(forHTTPHeaderField: "Parta-Reason"))
    }

    static func text(_ data: Data, _ http: SyncResponse) -> String {
        let text = String(decoding: data.prefix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "HTTP \(http.statusCode)" : text
    }

    /// A header's value as a count: decimal digits only (no sign), at most 18 of them.
    static func number(_ http: SyncResponse, _ name: String) -> Int? {
        http.value(forHTTPHeaderField: name).flatMap(ResponseLimits.decimal)
    }

    /// The stored answer a `200` names (§5.6); noted, to release it later. A length beyond what an
    /// answer may be (``ResponseLimits/defaultMaxBody``) names nothing.
    func answerReference(_ http: SyncResponse) -> (id: String, length: Int)? {
        guard let id = http.value(forHTTPHeaderField: "Parta-Answer"), UploadStaging.isValidID(id),
              let length = Exchange.number(http, "Parta-Answer-Length"), length <= ResponseLimits.defaultMaxBody else { return nil }
        storedAnswer = id
        return (id, length)
    }

    /// §5.6: once the answer is applied, tells the hub it need not keep it (`DELETE`), trying as
    /// long as a sync would; a failure only leaves it to expire, the sync has succeeded.
    func release() {
        guard let id = storedAnswer else { return }
        var tries = Retry(attempts: client.attempts, backoff: client.backoff, url: url, events: nil)
        while true {
            var release = request("DELETE", "v1/answers/\(id)")
            if let idBytes = UploadStaging.bytes(hex: id),
               let signature = try? client.node.replica.keys.signing.signature(for: SyncService.releaseContext + idBytes) {
                release.setValue(Data(signature).base64EncodedString(), forHTTPHeaderField: "Parta-Signature")
            }
            let r = transport.perform(release)
            if let http = r.response, http.statusCode < 500 { return }
            do { try tries.failed(nil) } catch { return }
        }
    }

    /// The first byte of a `206`'s `Content-Range: bytes K-L/N`.
    static func rangeStart(_ http: SyncResponse) -> Int? {
        guard let text = http.value(forHTTPHeaderField: "Content-Range"), text.hasPrefix("bytes ") else { return nil }
        return text.dropFirst(6).split(separator: "-").first.flatMap { ResponseLimits.decimal(String($0)) }
    }
}

/// The one error type of ``PartaHTTP``.
public struct SyncError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable { case offline, refused, badAnswer, misuse }
    public var code: Code
    public var message: Message
    /// The hub's reason code for a refusal (`revoked`, `badSignature`, …).
    public var reason: String?

    public init(_ code: Code, _ message: Message, reason: String? = nil) {
        self.code = code
        self.message = message
        self.reason = reason
    }

    public var description: String { "\(code): \(message.en)" }
}
