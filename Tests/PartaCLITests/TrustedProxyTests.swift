import Foundation
import Testing
import PartaTesting

/// `parta hub serve --trust-proxy ADDR --public-url URL` over real HTTP on 127.0.0.1: forwarded
/// headers are believed from a trusted proxy only, and then name the client in the log and in
/// sign-in lockouts; from anyone else they change nothing. (Through a real nginx with TLS:
/// ``DashboardBehindNginxTests``.)
@Suite(.serialized) struct TrustedProxyTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    /// A hub with the editor `marina`, served with `arguments`.
    func hub(_ dir: TemporaryDirectory, _ arguments: [String]) throws -> RunningHub {
        let hub = ["--data", dir.file("hub")]
        #expect(try parta.run(["hub", "init", "--name", "Отдел образования"] + hub).status == 0)
        #expect(try parta.run(["hub", "user", "add", "marina", "--role", "editor", "--password-stdin"] + hub, input: "долгий пароль\n").status == 0)
        return try parta.serve(data: dir.file("hub"), extraArguments: arguments)
    }

    static func forged(_ n: Int) -> [String: String] {
        ["X-Forwarded-For": "203.0.113.\(n)", "X-Real-IP": "198.51.100.\(n)", "X-Forwarded-Proto": "https"]
    }

    @Test func forwardedHeadersFromAPeerThatIsNotATrustedProxyAreNotBelieved() throws {
        let dir = TemporaryDirectory("parta-untrusted-peer"); defer { dir.remove() }
        // A proxy is trusted, but not the peer these requests come from (127.0.0.1).
        let server = try hub(dir, ["--trust-proxy", "127.0.0.2"])
        defer { server.stop() }
        let port = server.port
        // A claim of https does not make the cookie Secure (it would be lost on plain http).
        let form = try #require(try RawHTTP.request(port: port, "GET", "/login", headers: TrustedProxyTests.forged(1)))
        #expect(form.headers["set-cookie"]?.contains("Secure") == false)
        let (cookie, token) = try DashboardOverHTTPTests.signInForm(port: port)
        // Five wrong passwords, each claiming another address: all count against 127.0.0.1 ...
        for n in 1...5 {
            #expect(try DashboardOverHTTPTests.postSignIn(port: port, cookie: cookie, token: token, name: "marina", password: "guess \(n)",
                                                         headers: TrustedProxyTests.forged(n))?.status == 401)
        }
        // ... so the right password, claiming yet another, is refused: the name is locked at the real address.
        #expect(try DashboardOverHTTPTests.postSignIn(port: port, cookie: cookie, token: token, name: "marina", password: "долгий пароль",
                                                     headers: TrustedProxyTests.forged(6))?.status == 401)
        // A sync's log line names the real peer too.
        #expect(try RawHTTP.request(port: port, "POST", "/v1/sync", headers: TrustedProxyTests.forged(7), body: Array(repeating: 7, count: 64))?.status == 400)
        let log = server.stop()
        #expect(log.contains(#"dashboard sign-in outcome=wrong name="marina" client=127.0.0.1"#), "\(log)")
        #expect(log.contains(#"dashboard sign-in outcome=locked name="marina" client=127.0.0.1"#), "\(log)")
        #expect(log.split(separator: "\n").contains { $0.contains("sync node=- status=400") && $0.hasSuffix("client=127.0.0.1") }, "\(log)")
        #expect(!log.contains("203.0.113.") && !log.contains("198.51.100.") && !log.contains("proxy="), "\(log)")
        // The operator is told, once, that forwarded headers came from a peer not trusted.
        #expect(log.components(separatedBy: "is not a trusted proxy").count == 2, "\(log)")
    }

    @Test func aTrustedProxyNamesTheClientInTheLogAndInLockouts() throws {
        let dir = TemporaryDirectory("parta-trusted-proxy"); defer { dir.remove() }
        let server = try hub(dir, ["--trust-proxy", "127.0.0.1", "--public-url", "https://parta.ruo.example"])
        defer { server.stop() }
        let port = server.port
        let (cookie, token) = try DashboardOverHTTPTests.signInForm(port: port)
        // The proxy appended the client to what the client sent: the left part is never read.
        let client = ["X-Forwarded-For": "198.51.100.99, 203.0.113.7", "X-Forwarded-Proto": "https"]
        for n in 1...5 {
            #expect(try DashboardOverHTTPTests.postSignIn(port: port, cookie: cookie, token: token, name: "marina", password: "guess \(n)",
                                                         origin: "https://parta.ruo.example", headers: client)?.status == 401)
        }
        #expect(try DashboardOverHTTPTests.postSignIn(port: port, cookie: cookie, token: token, name: "marina", password: "долгий пароль",
                                                     origin: "https://parta.ruo.example", headers: client)?.status == 401)
        // Marina at another address is not locked out, and gets a Secure cookie.
        let colleague = client.merging(["X-Forwarded-For": "203.0.113.8"]) { $1 }
        let signedIn = try #require(try DashboardOverHTTPTests.postSignIn(port: port, cookie: cookie, token: token, name: "marina", password: "долгий пароль",
                                                                          origin: "https://parta.ruo.example", headers: colleague))
        #expect(signedIn.status == 303)
        #expect(signedIn.headers["set-cookie"]?.hasSuffix("HttpOnly; SameSite=Strict; Secure") == true, "\(signedIn.headers)")
        // A form from the plain-http spelling of the public site is another origin.
        #expect(try DashboardOverHTTPTests.postSignIn(port: port, cookie: cookie, token: token, name: "marina", password: "долгий пароль",
                                                     origin: "http://parta.ruo.example", headers: colleague)?.status == 403)
        #expect(try RawHTTP.request(port: port, "POST", "/v1/sync", headers: client, body: Array(repeating: 7, count: 64))?.status == 400)
        let log = server.stop()
        #expect(log.contains(#"dashboard sign-in outcome=locked name="marina" client=203.0.113.7"#), "\(log)")
        #expect(log.contains(#"dashboard sign-in outcome=ok name="marina" client=203.0.113.8"#), "\(log)")
        #expect(log.contains(#"dashboard sign-in outcome=cross_site name="marina" client=203.0.113.8"#), "\(log)")
        #expect(log.split(separator: "\n").contains { $0.contains("sync node=- status=400") && $0.hasSuffix("client=203.0.113.7 proxy=127.0.0.1") }, "\(log)")
        #expect(!log.contains("198.51.100.99") && !log.contains("is not a trusted proxy"), "\(log)")
    }

    @Test func aMalformedPublicURLOrProxyAddressIsAUsageError() throws {
        let dir = TemporaryDirectory("parta-proxy-options"); defer { dir.remove() }
        let data = ["--data", dir.file("hub")]
        #expect(try parta.run(["hub", "init", "--name", "Отдел образования"] + data).status == 0)
        let cases: [([String], String)] = [
            (["hub", "serve"] + data + ["--trust-proxy", "localhost"], "localhost"),
            (["hub", "serve"] + data + ["--trust-proxy", "127.0.0.1,10.0.0.0/8"], "10.0.0.0/8"),
            (["hub", "serve"] + data + ["--public-url", "parta.ruo.example"], "parta.ruo.example"),
            (["hub", "serve"] + data + ["--public-url", "https://parta.ruo.example/panel"], "https://parta.ruo.example/panel"),
            (["demo", "--no-serve", "--public-url", "ftp://parta.ruo.example"], "ftp://parta.ruo.example"),
        ]
        for (arguments, value) in cases {
            let ru = try parta.run(arguments, timeout: 30)
            #expect(ru.status == 2, "\(arguments): \(ru.stderr)")
            #expect(ru.stderr.contains("ожидает") && ru.stderr.contains(value), "\(ru.stderr)")
            let en = try parta.run(arguments, language: "en_US.UTF-8", timeout: 30)
            #expect(en.status == 2, "\(arguments): \(en.stderr)")
            #expect(en.stderr.contains("takes") && en.stderr.contains(value), "\(en.stderr)")
        }
    }
}
