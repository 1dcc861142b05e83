import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PartaCore
import PartaStore
import PartaBundle
import PartaApp

/// The school's side of a sync over HTTP (Protocol/sync-http-v1.md): sends this node's bundle
/// for the hub, applies the answer. Retries a failed connection with backoff and jitter; a refusal
/// by the hub is not retried.
///
/// URLSession (FoundationNetworking, over the system's libcurl) rather than AsyncHTTPClient: the
/// client makes one request at a time, and it saves the CLI a second TLS stack and ~90 s of build.
public struct SyncClient {
    public let node: PartaNode
    public var attempts: Int
    public var timeout: TimeInterval
    /// Base of the backoff between attempts, in seconds (doubled each time, with ±50% jitter).
    public var backoff: TimeInterval

    public init(node: PartaNode, attempts: Int = 4, timeout: TimeInterval = 120, backoff: TimeInterval = 1) {
        self.node = node
        self.attempts = attempts
        self.timeout = timeout
        self.backoff = backoff
    }

    /// What one sync did.
    public struct Outcome: Sendable {
        public var sent: UInt64
        public var received: ApplyReport
        public var bytesSent: Int
        public var bytesReceived: Int
        public var attempts: Int
    }

    /// Syncs with the hub at `url` (its base URL).
    ///
    /// - Throws: ``SyncError`` with a message a user can act on: offline (suggesting the USB stick),
    ///   refused by the hub (with the hub's reason), or a damaged answer.
    public func sync(with url: URL, now: UInt64, language: Language,
                     progress: ((_ attempt: Int, _ wait: TimeInterval) -> Void)? = nil) throws -> Outcome {
        // A school syncs with its hub; a municipal hub with its region (`parta hub sync-upstream`).
        let target: String
        if node.isHub {
            guard let upstream = node.replica.upstream else {
                throw SyncError(.misuse, Message(en: "This hub has not joined a region; schools sync with it.",
                                                 ru: "Это управление не подключено к региону; с ним синхронизируются школы."))
            }
            target = upstream.id
        } else {
            target = node.replica.hubID
        }
        let (header, bundle) = try node.replica.exportBundle(for: .node(target), now: now, bundleID: BundleExchange.newBundleID())
        var request = URLRequest(url: url.appendingPathComponent("v1/sync"), timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/vnd.parta.bundle", forHTTPHeaderField: "Content-Type")
        request.setValue(language == .en ? "en" : "ru", forHTTPHeaderField: "Accept-Language")
        request.httpBody = Data(bundle)
        var lastFailure: Error?
        for attempt in 1...max(1, attempts) {
            if attempt > 1 {
                let wait = backoff * pow(2, Double(attempt - 2)) * Double.random(in: 0.5...1.5)
                progress?(attempt, wait)
                Thread.sleep(forTimeInterval: wait)
            }
            let (data, response, error) = SyncClient.send(request)
            if let error {
                lastFailure = error
                continue
            }
            guard let http = response as? HTTPURLResponse, let data else { continue }
            if http.statusCode == 200 {
                let reader: ChangeSetReader
                do {
                    reader = try ChangeSetReader(bytes: [UInt8](data))
                } catch {
                    throw SyncError(.badAnswer, Message(en: "The hub's answer is damaged: \(error). Sync again.",
                                                        ru: "Ответ управления повреждён: \(error). Повторите синхронизацию."))
                }
                let report = try node.replica.apply(reader, now: now)
                return Outcome(sent: header.changeCount, received: report, bytesSent: bundle.count, bytesReceived: data.count, attempts: attempt)
            }
            if http.statusCode >= 500 { lastFailure = nil; continue }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw SyncError(.refused, Message(en: "The hub refused the sync (\(http.statusCode)): \(text)",
                                              ru: "Управление отклонило синхронизацию (\(http.statusCode)): \(text)"),
                            reason: http.value(forHTTPHeaderField: "Parta-Reason"))
        }
        let detail = lastFailure.map { ($0 as NSError).localizedDescription } ?? "the hub failed"
        throw SyncError(.offline, Message(
            en: "No connection to the hub at \(url.absoluteString) (\(detail)). Nothing is lost: your changes stay here. Try again later, or exchange by USB stick: parta export --to STICK.",
            ru: "Нет связи с управлением по адресу \(url.absoluteString) (\(detail)). Ничего не потеряно: изменения сохранены на этом компьютере. Повторите позже или обменяйтесь через флешку: parta export --to ФЛЕШКА."))
    }

    static func send(_ request: URLRequest) -> (Data?, URLResponse?, Error?) {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Data?, URLResponse?, Error?) = (nil, nil, nil)
        URLSession.shared.dataTask(with: request) { data, response, error in
            result = (data, response, error)
            done.signal()
        }.resume()
        done.wait()
        return result
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
