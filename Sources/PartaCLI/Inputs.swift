import Foundation
import ArgumentParser
import PartaCore
import PartaApp
import PartaHTTP

// What a clerk types, read forgivingly where the meaning is clear, and refused with the reason
// (exit 2, usage) where it is not.

/// Reads an enrollment code as typed: Cyrillic look-alikes read as the Latin letters; any other
/// mistake is named with its position.
func parseEnrollmentCode(_ text: String) throws -> EnrollmentCode {
    switch EnrollmentCode.parse(text) {
    case .success(let code): return code
    case .failure(.character(let character, let position)):
        let shown = visible(character)
        throw ValidationError(T("\"\(text)\" is not an enrollment code: character \(position), \(shown), is never part of a code. A code has 16 Latin letters and digits, like 7KQ2-M9XD-4TPA-W3HC.",
                                "«\(text)» — не код подключения: \(position)-й символ, \(shown), в кодах не встречается. Код состоит из 16 латинских букв и цифр, например 7KQ2-M9XD-4TPA-W3HC."))
    case .failure(.length(let count)):
        throw ValidationError(T("\"\(text)\" is not an enrollment code: it has \(count) letters and digits, a code has 16 (dashes and spaces aside), like 7KQ2-M9XD-4TPA-W3HC.",
                                "«\(text)» — не код подключения: в нём \(count) \(RussianPlural.form(count, one: "буква или цифра", few: "буквы или цифры", many: "букв или цифр")), а в коде их 16 (не считая дефисов и пробелов), например 7KQ2-M9XD-4TPA-W3HC."))
    }
}

/// A character quoted for a message, or its code point when it cannot be seen.
private func visible(_ character: Character) -> String {
    let scalars = character.unicodeScalars
    if scalars.allSatisfy({ $0.properties.isWhitespace || $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
        return scalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ")
    }
    return T("'\(character)'", "«\(character)»")
}

/// A hub's address as a person types it: `http://hub:8460/`, `https://…`, or just `HOST:PORT`
/// (read as `http://`) or `HOST` (read as `http://HOST:8460/`, the port `parta hub serve` listens
/// on unless told otherwise; a URL with a scheme keeps its scheme's port, as behind a TLS proxy).
/// Anything else is refused with an example (exit 2).
func parseHubURL(_ typed: String, example: String = "http://10.0.0.5:8460/") throws -> URL {
    let text = typed.trimmingCharacters(in: .whitespacesAndNewlines)
    let full = text.contains("://") ? text : "http://" + text
    func refuse(_ en: String, _ ru: String) -> ValidationError {
        ValidationError(T("\"\(typed)\" is not the address of a Parta hub: \(en) Give it as http://HOST:PORT/ or HOST:PORT, e.g. \(example) or 10.0.0.5:8460.",
                          "«\(typed)» — не адрес сервера Parta: \(ru) Укажите его как http://АДРЕС:ПОРТ/ или АДРЕС:ПОРТ, например \(example) или 10.0.0.5:8460."))
    }
    guard !text.isEmpty else { throw refuse("it is empty.", "он пуст.") }
    guard !text.contains(where: { $0.isWhitespace }) else { throw refuse("it holds a space.", "в нём есть пробел.") }
    guard let components = URLComponents(string: full), let scheme = components.scheme?.lowercased() else {
        throw refuse("it cannot be read as an address.", "его не удаётся прочитать как адрес.")
    }
    guard scheme == "http" || scheme == "https" else {
        throw refuse("Parta talks to hubs over http:// or https://, not \(scheme)://.", "Parta связывается с управлением только по http:// или https://, а не по \(scheme)://.")
    }
    guard let host = components.host, !host.isEmpty, !["http", "https"].contains(host.lowercased()) else {
        throw refuse("it names no computer.", "в нём нет имени или адреса компьютера.")
    }
    if let port = components.port, !(1...65535).contains(port) {
        throw refuse("port \(port) is not a port (1–65535).", "порт \(port) вне допустимого диапазона 1–65535.")
    }
    var normalized = components
    normalized.scheme = scheme
    if !text.contains("://"), normalized.port == nil { normalized.port = 8460 }
    if normalized.path.isEmpty { normalized.path = "/" }
    guard let url = normalized.url else { throw refuse("it cannot be read as an address.", "его не удаётся прочитать как адрес.") }
    return url
}

/// `HOST:PORT` for `--listen` (port 0: any free port), or a usage error naming the form and the range.
func parseListen(_ text: String) throws -> (host: String, port: Int) {
    guard let colon = text.lastIndex(of: ":"), !text[..<colon].isEmpty, let port = Int(text[text.index(after: colon)...]) else {
        throw ValidationError(T("--listen takes HOST:PORT, e.g. 127.0.0.1:8460.", "--listen ожидает АДРЕС:ПОРТ, например 127.0.0.1:8460."))
    }
    guard (0...65535).contains(port) else {
        throw ValidationError(T("--listen: port \(port) is out of range; a port is 1–65535 (0: any free port).",
                                "--listen: порт \(port) вне допустимого диапазона 1–65535 (0 — любой свободный)."))
    }
    return (String(text[..<colon]), port)
}

/// Fails with ``portInUse(_:)`` if another program listens on `host:port` (checked before
/// anything starts, so that nothing is half done), and with ``listenHostUnusable(_:host:)`` if the
/// host is not this computer's.
func checkPortFree(host: String, port: Int) throws {
    do { try AddressInUse.checkAvailable(host: host, port: port) } catch let e as AddressInUse { throw portInUse(e) }
    catch let e as ListenHostUnusable { throw listenHostUnusable(e, host: host) }
}

/// In a command's `validate()`: `--listen`'s host is one this computer can listen on (a usage
/// error, exit 2, with the command's own usage line, if not). A port in use is left to `run()`.
func checkListenHost(_ listen: String) throws {
    let (host, port) = try parseListen(listen)
    do { try checkPortFree(host: host, port: port) } catch is PartaError {}
}

/// The usage error for a `--listen` host this computer cannot listen on.
func listenHostUnusable(_ e: ListenHostUnusable, host: String) -> ValidationError {
    ValidationError(e.resolves
        ? T("--listen: \(host) is not an address of this computer. Give one of its own: 127.0.0.1 (this computer only), 0.0.0.0 (every network), or its IP address.",
            "--listen: \(host) — не адрес этого компьютера. Укажите его собственный: 127.0.0.1 (только этот компьютер), 0.0.0.0 (все сети) или его IP-адрес.")
        : T("--listen: there is no computer called \(host). Give an IP address: 127.0.0.1 (this computer only), 0.0.0.0 (every network), or this computer's IP address.",
            "--listen: компьютера с именем \(host) не найдено. Укажите IP-адрес: 127.0.0.1 (только этот компьютер), 0.0.0.0 (все сети) или IP-адрес этого компьютера."))
}

/// The message for a port another program holds: which port, and what to do (exit 1).
func portInUse(_ e: AddressInUse) -> PartaError {
    let other = "\(e.host):\(e.port == 65535 ? 8460 : e.port + 1)"
    return PartaError(.invalidArgument, Message(
        en: "Port \(e.port) is in use by another program (perhaps Parta's hub is already running there). Choose another port with --listen, e.g. --listen \(other), or stop that program.",
        ru: "Порт \(e.port) занят другой программой (возможно, там уже работает сервер Parta). Укажите другой порт в --listen, например --listen \(other), или остановите ту программу."))
}

/// A percentage as typed: `40`, `40%` or `40 %`. Kept as typed; ``value`` is nil for text that is
/// not a whole number, and `validate` says what is wrong.
struct PercentArgument: ExpressibleByArgument {
    let text: String
    let value: Int?

    init?(argument: String) {
        text = argument
        var digits = argument.trimmingCharacters(in: .whitespaces)
        if digits.hasSuffix("%") { digits = String(digits.dropLast()).trimmingCharacters(in: .whitespaces) }
        value = Int(digits)
    }

    /// Refuses a value that is not a whole number from 0 to 100, naming the option and the range.
    func validate(option: String) throws {
        guard let value else {
            throw ValidationError(T("\(option) takes a whole number from 0 to 100 (a % sign may follow), not \"\(text)\".",
                                    "\(option) ожидает целое число от 0 до 100 (можно со знаком %), а не «\(text)»."))
        }
        try validateRange(value, 0...100, option: option)
    }
}

/// Refuses `value` outside `range`, naming the option and the range (exit 2).
func validateRange(_ value: Int, _ range: ClosedRange<Int>, option: String) throws {
    guard !range.contains(value) else { return }
    throw ValidationError(T("\(option) \(value) is out of range: allowed \(range.lowerBound)–\(range.upperBound).",
                            "\(option) \(value) вне допустимого диапазона: \(range.lowerBound)–\(range.upperBound)."))
}
