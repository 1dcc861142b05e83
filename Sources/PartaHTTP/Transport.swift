import Foundation
import PartaCore
import PartaBundle

/// One request of the sync client: what ``HTTPTransport`` sends. (Not Foundation's `URLRequest`,
/// which on Linux lives in FoundationNetworking, over libcurl.)
struct SyncRequest {
    var url: URL
    var httpMethod = "GET"
    /// The longest time nothing may move (connecting, sending, receiving).
    var timeoutInterval: TimeInterval
    /// Header fields, by name as given; ``setValue(_:forHTTPHeaderField:)`` replaces whatever case.
    private(set) var allHTTPHeaderFields: [String: String] = [:]
    var httpBody: Data?

    init(url: URL, timeoutInterval: TimeInterval) {
        self.url = url
        self.timeoutInterval = timeoutInterval
    }

    mutating func setValue(_ value: String?, forHTTPHeaderField name: String) {
        for key in allHTTPHeaderFields.keys where key.caseInsensitiveCompare(name) == .orderedSame { allHTTPHeaderFields[key] = nil }
        if let value { allHTTPHeaderFields[name] = value }
    }
}

/// The status and header block of an answer, once the header block was whole.
struct SyncResponse: Sendable {
    var statusCode: Int
    /// Every field as it came, in order.
    var fields: [(name: String, value: String)]

    /// A field's value, its name in any case; several fields of the name are joined with ", ".
    func value(forHTTPHeaderField name: String) -> String? {
        let values = fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }
}

/// What one HTTP request came to: the answer's status and headers once its header block was
/// whole, the body bytes that came (all of them, or those before a cut), and the failure if any.
struct TransportResult {
    var response: SyncResponse?
    var data: Data
    var error: Error?
}

/// Sends one request at a time, on a connection of its own, reporting bytes as they go.
protocol HTTPTransport: AnyObject {
    func perform(_ request: SyncRequest, sent: (@Sendable (Int64) -> Void)?, received: (@Sendable (Int) -> Void)?) -> TransportResult
}

extension HTTPTransport {
    func perform(_ request: SyncRequest, sent: (@Sendable (Int64) -> Void)? = nil, received: (@Sendable (Int) -> Void)? = nil) -> TransportResult {
        perform(request, sent: sent, received: received)
    }
}

/// The transport for the sync client and `parta doctor`, for `http://` and `https://` alike.
func makeTransport(for url: URL, timeout: TimeInterval) -> HTTPTransport {
    AsyncHTTPClientTransport(timeout: timeout)
}

/// A failure of one HTTP request on the wire, in words a user reads after "No connection to the
/// hub (…)". `errorDescription` is English (``Doctor`` looks for "resolve" and "timed out").
struct TransportError: LocalizedError, Sendable {
    enum Kind: Sendable { case resolve, connect, timedOut, closed, malformed, tooLarge }
    var kind: Kind
    var message: Message

    var errorDescription: String? { message.en }

    static func resolve(_ host: String) -> TransportError {
        TransportError(kind: .resolve, message: Message(en: "could not resolve \(host)", ru: "не удалось найти адрес \(host)"))
    }
    static func connect(_ code: Int32) -> TransportError {
        let system = String(cString: strerror(code))
        let russian: String
        switch code {
        case ECONNREFUSED: russian = "соединение отклонено — сервер управления не запущен или порт неверен"
        case ETIMEDOUT: russian = "истекло время ожидания"
        case EHOSTUNREACH: russian = "узел недоступен"
        case ENETUNREACH: russian = "сеть недоступна"
        case ECONNRESET: russian = "соединение сброшено"
        default: russian = system
        }
        return TransportError(kind: .connect, message: Message(en: "could not connect: \(system)", ru: "не удалось подключиться: \(russian)"))
    }
    static func timedOut(_ seconds: TimeInterval) -> TransportError {
        TransportError(kind: .timedOut, message: Message(en: "timed out: nothing moved for \(Int(seconds)) s",
                                                         ru: "истекло время ожидания: \(Int(seconds)) с без движения данных"))
    }
    static let closed = TransportError(kind: .closed, message: Message(en: "the connection broke", ru: "связь прервалась"))
    static let malformed = TransportError(kind: .malformed, message: Message(en: "the answer is not HTTP", ru: "ответ не является ответом HTTP"))
    static func malformed(_ what: String, _ russian: String) -> TransportError {
        TransportError(kind: .malformed, message: Message(en: "the answer is not valid HTTP (\(what))", ru: "ответ не является корректным ответом HTTP (\(russian))"))
    }
    static func tooLarge(_ limit: Int) -> TransportError {
        TransportError(kind: .tooLarge, message: Message(en: "the answer is larger than \(limit >> 20) MiB, more than a bundle may be",
                                                         ru: "ответ больше \(limit >> 20) МиБ — больше, чем может быть пакет"))
    }
}

/// Bounds on what the client takes from a server (see ``AsyncHTTPClientTransport``).
enum ResponseLimits {
    /// The largest answer body: the largest bundle a file may hold, plus 1 MiB for framing and text.
    static let defaultMaxBody = BundleFiles.defaultMaxFileBytes + (1 << 20)
    static let headerLines = 100
    static let interimAnswers = 8

    /// A `Content-Length`: 1 to 18 decimal digits, nothing else (no sign, no spaces inside, no list).
    static func decimal(_ text: String) -> Int? {
        let digits = text.trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        guard (1...18).contains(digits.utf8.count), digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(digits)
    }
}
