import Foundation
import Crypto

/// Signed session cookies and the CSRF tokens bound to them.
///
/// A cookie is `<payload>.<mac>`, both base64url: the payload is `name|generation|expires|nonce`,
/// the mac its HMAC-SHA256 under the hub's session key. Nothing is stored per session; a cookie
/// stops working when it expires, when the account's generation changes (new password, role or
/// sign-out everywhere) or when the account is removed, and stays void if an account of the same
/// name is added later (it gets a new random generation). A form's CSRF token is the HMAC of the session's
/// nonce, so it is good for that session only; the sign-in form, before any session, uses a
/// random cookie that the form must repeat.
struct Sessions {
    static let cookieName = "parta_session"
    static let loginCookieName = "parta_login"
    static let lifetime: UInt64 = 12 * 3600_000

    let key: SymmetricKey

    struct Session: Equatable {
        var name: String
        var generation: String
        var expires: UInt64
        var nonce: String
    }

    func issue(name: String, generation: String, now: UInt64) -> String {
        let nonce = Base64URL.encode((0..<16).map { _ in UInt8.random(in: 0...255) })
        let payload = "\(name)|\(generation)|\(now + Sessions.lifetime)|\(nonce)"
        return Base64URL.encode(Array(payload.utf8)) + "." + Base64URL.encode(mac(payload))
    }

    /// The session a cookie carries, if its signature holds and it has not expired.
    func read(_ cookie: String, now: UInt64) -> Session? {
        let parts = cookie.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payloadBytes = Base64URL.decode(String(parts[0])), let given = Base64URL.decode(String(parts[1])),
              HMAC<SHA256>.isValidAuthenticationCode(given, authenticating: payloadBytes, using: key) else { return nil }
        let fields = String(decoding: payloadBytes, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, !fields[1].isEmpty, let expires = UInt64(fields[2]), expires > now else { return nil }
        return Session(name: fields[0], generation: fields[1], expires: expires, nonce: fields[3])
    }

    /// The token the session's forms carry.
    func csrfToken(for session: Session) -> String { csrfToken(forNonce: "session|" + session.nonce) }

    /// The token the sign-in form carries: bound to its random cookie.
    func csrfToken(forLoginCookie value: String) -> String { csrfToken(forNonce: "login|" + value) }

    private func csrfToken(forNonce nonce: String) -> String { Base64URL.encode(mac("csrf|" + nonce)) }

    /// Compares a form's token with the expected one in constant time.
    static func tokensMatch(_ given: String?, _ expected: String) -> Bool {
        guard let given else { return false }
        let a = Array(given.utf8), b = Array(expected.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func mac(_ text: String) -> [UInt8] { Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key)) }
}

/// Base64 with the URL- and cookie-safe alphabet, without padding.
enum Base64URL {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map(Array.init)
    }
}
