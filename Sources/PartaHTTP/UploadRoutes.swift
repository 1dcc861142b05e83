import Foundation
import Synchronization
import Hummingbird
import Logging
import NIOCore
import HTTPTypes
import PartaCore
import PartaApp
import PartaStore
import PartaDashboard

/// The routes of resumable transfers (Protocol/sync-http-v1.md §5): `HEAD` and `PATCH
/// /v1/uploads/{id}`, `GET` and `DELETE /v1/answers/{id}`. HTTP only: what they decide is in ``SyncService``
/// and ``UploadStaging``.
struct UploadRoutes: Sendable {
    let service: SyncService
    let metrics: SyncMetrics
    let logger: Logger
    let now: @Sendable () -> UInt64
    /// How long a client may take to read the next piece of an answer before it is disconnected.
    var idleTimeout: TimeInterval = 60
    /// The client of the request being answered, for the log line.
    var client: ProxyTrust.Client?

    /// These routes answering a request of `client`.
    func from(_ client: ProxyTrust.Client) -> UploadRoutes {
        var routes = self
        routes.client = client
        return routes
    }

    /// §5.3: how much of an upload the hub holds, and its answer once applied.
    func head(_ request: Request, id: String) -> Response {
        guard UploadStaging.isValidID(id) else { return refusal(UploadRefusal(400, "badUploadID", UploadRoutes.badID), request) }
        var headers = UploadRoutes.headers()
        switch service.staging.state(of: id) {
        case .none:
            return Response(status: .notFound, headers: headers)
        case .partial(let held, let length):
            headers[.uploadOffset] = String(held)
            headers[.uploadLength] = String(length)
        case .applied(let answer):
            headers[.uploadOffset] = String(answer.uploadLength ?? 0)
            headers[.uploadLength] = String(answer.uploadLength ?? 0)
            headers[.partaAnswer] = answer.id
            headers[.partaAnswerLength] = String(answer.length)
        }
        return Response(status: .ok, headers: headers)
    }

    /// §5.4: the next bytes of an upload, kept as they arrive; the sync once they are all there.
    func patch(_ request: Request, id: String) async -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let language = SyncServer.language(request)
        guard UploadStaging.isValidID(id) else { return refusal(UploadRefusal(400, "badUploadID", UploadRoutes.badID), request) }
        guard let offset = UploadRoutes.number(request.headers[.uploadOffset]), let length = UploadRoutes.number(request.headers[.uploadLength]) else {
            return refusal(UploadRefusal(400, "badHeader", Message(
                en: "A PATCH needs Upload-Offset and Upload-Length, as decimal numbers of bytes.",
                ru: "Запросу PATCH нужны заголовки Upload-Offset и Upload-Length — десятичные числа байт.")), request)
        }
        guard let contentLength = UploadRoutes.number(request.headers[.contentLength]) else {
            return refusal(UploadRefusal(411, "lengthRequired", Message(
                en: "A PATCH needs Content-Length.", ru: "Запросу PATCH нужен заголовок Content-Length.")), request)
        }
        guard length <= service.maxBundleBytes else { return refusal(UploadRefusal(413, "tooLarge", SyncServer.tooLarge(service)), request) }
        guard offset <= length, contentLength <= length - offset else {
            return refusal(UploadRefusal(400, "beyondLength", Message(
                en: "The body runs past Upload-Length (\(offset) + \(contentLength) > \(length) bytes). Nothing was kept.",
                ru: "Тело запроса выходит за Upload-Length (\(offset) + \(contentLength) > \(length) байт). Ничего не сохранено.")), request)
        }
        // Every piece of an upload in progress carries the signature it began with, checked before
        // the piece may take over from one still arriving: knowing an upload's id is not enough.
        if let began = service.staging.signature(of: id) {
            let given = request.headers[.partaSignature].flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? []
            guard UploadRoutes.sameBytes(given, began) else {
                return refusal(UploadRefusal(401, StoreError.Code.notEnrolled.rawValue, SyncService.notAuthenticated), request)
            }
        }
        var body = request.body.makeAsyncIterator()
        var held = offset
        let token: Int
        switch service.staging.claim(id, offset: offset, length: length) {
        case .offsetMismatch(let held):
            return mismatch(held, id, request)
        case .lengthMismatch(let began):
            return refusal(UploadRefusal(400, "lengthMismatch", Message(
                en: "This upload began with Upload-Length \(began), not \(length).",
                ru: "Эта загрузка начата с Upload-Length \(began), а не \(length).")), request)
        case .resume(let t, let sender):
            do { try await service.checkUploadSender(sender, upload: id) } catch { return refusal(error, request, sender: sender) }
            token = t
        case .new:
            guard let signature = request.headers[.partaSignature].flatMap({ Data(base64Encoded: $0) }), signature.count == 64 else {
                return refusal(UploadRefusal(400, "badHeader", Message(
                    en: "The PATCH at offset 0 needs Parta-Signature: the bundle's signature, base64.",
                    ru: "Запросу PATCH со смещением 0 нужен заголовок Parta-Signature — подпись пакета в base64.")), request)
            }
            // The framing and header first: a sender the hub would refuse never has a byte kept.
            var first: [UInt8] = []
            var prefix: BundlePrefix?
            do {
                while prefix == nil, first.count < contentLength, let buffer = try await body.next() {
                    first += buffer.readableBytesView
                    prefix = try ChangeSetReader.readPrefix(first, maxPayload: UInt64(service.maxBundleBytes) * 64)
                }
            } catch let error as PartaCoreError {
                return refusal(error, request)
            } catch {
                return Response(status: .badRequest)   // the connection broke: nothing was kept
            }
            guard let prefix else {
                if first.count < contentLength { return Response(status: .badRequest) }   // the connection broke: nothing was kept
                return refusal(UploadRefusal(400, "headerIncomplete", Message(
                    en: "The first PATCH of an upload must hold the bundle's framing and header (30 + header length bytes).",
                    ru: "Первый запрос PATCH загрузки должен содержать рамку и заголовок пакета (30 байт + длина заголовка).")), request)
            }
            do {
                token = try await service.beginUpload(id, prefix: prefix, signature: [UInt8](signature), length: length, now: now())
                guard let h = try first.withUnsafeBytes({ try service.staging.append(id, token: token, $0, now: now()) }) else { return mismatch(nil, id, request) }
                held = h
                metrics.add(bytesIn: first.count)
            } catch let refused as UploadRefusal where refused.offset != nil {
                return mismatch(refused.offset, id, request)
            } catch {
                return refusal(error, request, sender: prefix.header.sender)
            }
        }
        // The rest as it arrives: a cut keeps what came.
        do {
            while let buffer = try await body.next() {
                guard let h = try buffer.withUnsafeReadableBytes({ try service.staging.append(id, token: token, $0, now: now()) }) else {
                    return mismatch(nil, id, request)   // another request took over
                }
                held = h
                metrics.add(bytesIn: buffer.readableBytes)
            }
        } catch let error as POSIXError {
            return refusal(error, request)   // the disk: what was written stays
        } catch {
            return Response(status: .badRequest)   // the connection broke
        }
        guard held == length else {
            var headers = UploadRoutes.headers()
            headers[.uploadOffset] = String(held)
            return Response(status: .noContent, headers: headers)
        }
        // The whole bundle comes into memory and may wait for the node: it counts against the same bound as a POST's
        // (a bundle larger than the whole bound, allowed by `--max-bundle-mb`, takes all of it, alone).
        let reserved = min(length, service.maxUnverifiedBytes)
        guard service.reserveUnverified(reserved) else {
            return refusal(UploadRefusal(503, "busy", Message(
                en: "The hub is receiving too much at once. Try again in a minute; the upload is kept.",
                ru: "Управление сейчас принимает слишком много данных одновременно. Повторите через минуту; загрузка сохранена.")), request)
        }
        defer { service.releaseUnverified(reserved) }
        let whole: (bytes: [UInt8], signature: [UInt8])?
        do { whole = try service.staging.takeWhole(id, token: token) } catch { return refusal(error, request) }
        guard let whole else { return mismatch(nil, id, request) }
        let answer = await service.completeUpload(id, bytes: whole.bytes, signature: whole.signature, now: now(), language: language)
        var extra = HTTPFields()
        if answer.status == 200 { extra[.uploadOffset] = String(length) }
        return SyncServer.finish(answer, bytesIn: length, counted: true, started: started, via: "upload", extraHeaders: extra,
                                 client: client, metrics: metrics, logger: logger)
    }

    /// §5.6: a stored answer, whole or from a byte on, on `connection` (closed if its reader stalls).
    func answer(_ request: Request, id: String, connection: any Channel) -> Response {
        guard UploadStaging.isValidID(id) else { return refusal(UploadRefusal(400, "badUploadID", UploadRoutes.badID), request) }
        guard let (answer, path) = service.staging.answer(id),
              let file = FileHandle(forReadingAtPath: path) else {
            return Response(status: .notFound, headers: UploadRoutes.headers())
        }
        var headers = UploadRoutes.headers()
        headers[.contentType] = "application/vnd.parta.bundle"
        headers[.acceptRanges] = "bytes"
        let total = answer.length
        var range = 0..<total
        if let text = request.headers[.range] {
            guard let asked = UploadRoutes.byteRange(text, total: total) else {
                try? file.close()
                headers[.contentRange] = "bytes */\(total)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
            range = asked
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(total)"
        }
        let metrics = self.metrics, logger = self.logger, sent = range, idle = idleTimeout, client = self.client
        let body = ResponseBody(contentLength: sent.count) { writer in
            defer { try? file.close() }
            try file.seek(toOffset: UInt64(sent.lowerBound))
            var left = sent.count
            while left > 0 {
                let piece = try file.read(upToCount: min(left, 256 << 10)) ?? Data()
                guard !piece.isEmpty else { break }
                do {
                    try await UploadRoutes.write(ByteBuffer(bytes: piece), to: &writer, within: idle, closing: connection)
                } catch is StalledReader {
                    logger.info("answer id=\(id) stalled: the client read nothing for \(Int(idle)) s, closed after \(sent.count - left) of \(sent.count)B\(SyncServer.logFields(client))")
                    throw StalledReader()
                } catch {
                    logger.info("answer id=\(id) cut: \(String(describing: error)) after \(sent.count - left) of \(sent.count)B\(SyncServer.logFields(client))")
                    throw error
                }
                metrics.add(bytesOut: piece.count)
                left -= piece.count
            }
            try await writer.finish(nil)
        }
        return Response(status: request.headers[.range] == nil ? .ok : .partialContent, headers: headers, body: body)
    }

    /// §5.6: the client has the answer and applied it; the hub need not keep it. `204` whether
    /// or not it was still there, so that a client may repeat it after a cut; `401` unless the
    /// request carries the answer's recipient's signature of its release.
    func release(_ request: Request, id: String) async -> Response {
        guard UploadStaging.isValidID(id) else { return refusal(UploadRefusal(400, "badUploadID", UploadRoutes.badID), request) }
        if let (answer, _) = service.staging.answer(id) {
            let given = request.headers[.partaSignature].flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? []
            guard await service.isSignedRelease(of: id, by: answer.node, signature: given) else {
                return refusal(UploadRefusal(401, StoreError.Code.notEnrolled.rawValue, SyncService.notAuthenticated), request)
            }
            service.staging.discardAnswer(id)
        }
        return Response(status: .noContent, headers: UploadRoutes.headers())
    }

    /// Equal bytes, compared in time that does not depend on where they differ.
    static func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    // MARK: Helpers

    struct StalledReader: Error {}

    /// Writes one piece of an answer, or throws ``StalledReader`` if the client takes in none of
    /// it for `seconds`. The idle timeout of the server guards only what it reads.
    ///
    /// A write blocked on a client that reads nothing does not end when its task is cancelled, so
    /// a timer closes `connection` instead, which ends the write with an error.
    static func write(_ buffer: ByteBuffer, to writer: inout any ResponseBodyWriter, within seconds: TimeInterval,
                      closing connection: any Channel) async throws {
        let stalled = StallFlag()
        let timer = Task {
            guard (try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))) != nil else { return }
            stalled.set()
            connection.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            try await writer.write(buffer)
        } catch {
            throw stalled.isSet ? StalledReader() : error
        }
        if stalled.isSet { throw StalledReader() }
    }

    /// Whether the timer of one ``write(_:to:within:closing:)`` fired.
    final class StallFlag: Sendable {
        private let fired = Atomic<Bool>(false)
        func set() { fired.store(true, ordering: .releasing) }
        var isSet: Bool { fired.load(ordering: .acquiring) }
    }

    static let badID = Message(en: "An upload or answer id is 64 lowercase hexadecimal digits.",
                               ru: "Идентификатор загрузки или ответа — 64 строчные шестнадцатеричные цифры.")

    static func headers() -> HTTPFields {
        var headers = HTTPFields()
        headers[.partaResumable] = "1"
        headers[.cacheControl] = "no-store"
        return headers
    }

    /// `409` with the offset the hub holds (looked up again when `held` is nil), and the reason
    /// in words in the request's language.
    func mismatch(_ held: Int?, _ id: String, _ request: Request) -> Response {
        let offset: Int
        if let held { offset = held } else {
            switch service.staging.state(of: id) {
            case .none: offset = 0
            case .partial(let h, _): offset = h
            case .applied(let answer): offset = answer.uploadLength ?? 0
            }
        }
        var headers = UploadRoutes.headers()
        headers[.uploadOffset] = String(offset)
        headers[.partaReason] = "offsetMismatch"
        headers[.contentType] = "text/plain; charset=utf-8"
        let text = UploadRefusal.offsetMismatch(held: offset).message.text(in: SyncServer.language(request)) + "\n"
        return Response(status: .conflict, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A refusal, logged and counted like a refused sync.
    func refusal(_ error: Error, _ request: Request, sender: String? = nil) -> Response {
        let (status, code, message) = SyncService.describe(error)
        let answer = SyncAnswer(status: status, body: Array((message.text(in: SyncServer.language(request)) + "\n").utf8), reason: code,
                                sender: sender, changesApplied: 0)
        return SyncServer.finish(answer, bytesIn: 0, started: DispatchTime.now().uptimeNanoseconds, via: "upload", client: client, metrics: metrics, logger: logger)
    }

    /// A decimal number of bytes: digits only, no sign, no leading zero, below 2⁶³.
    static func number(_ text: String?) -> Int? {
        guard let text, !text.isEmpty, text.utf8.count <= 18 || (text.utf8.count == 19 && Int(text) != nil),
              text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), text == "0" || !text.hasPrefix("0") else { return nil }
        return Int(text)
    }

    /// `bytes=K-` or `bytes=K-L` within `total` bytes.
    static func byteRange(_ text: String, total: Int) -> Range<Int>? {
        guard text.hasPrefix("bytes="), !text.contains(",") else { return nil }
        let parts = text.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let start = number(String(parts[0])), start < total else { return nil }
        if parts[1].isEmpty { return start..<total }
        guard let last = number(String(parts[1])), last >= start else { return nil }
        return start..<min(total, last + 1)
    }
}
