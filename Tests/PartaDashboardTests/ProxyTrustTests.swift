import Foundation
import Testing
import PartaCore
@testable import PartaDashboard

/// ``ProxyTrust``: whose forwarded headers are believed, and what the dashboard does with the
/// answer (the origin a form may come from, `Secure` cookies, the address lockouts count under).
@Suite struct ProxyTrustTests {
    let loopback = try! ProxyTrust(trustedProxies: ["127.0.0.1"])

    @Test func forwardedHeadersFromAPeerThatIsNotTrustedAreIgnored() throws {
        let forged = ["x-forwarded-for": "203.0.113.7", "x-real-ip": "203.0.113.8", "x-forwarded-proto": "https"]
        #expect(ProxyTrust.none.client(peer: "127.0.0.1", headers: forged) == .init(address: "127.0.0.1", scheme: nil, proxy: nil))
        #expect(loopback.client(peer: "198.51.100.4", headers: forged) == .init(address: "198.51.100.4", scheme: nil, proxy: nil))
        #expect(loopback.client(peer: "127.0.0.2", headers: forged).address == "127.0.0.2")
        #expect(loopback.ignoresForwardedHeaders(peer: "198.51.100.4", headers: forged))
        #expect(!loopback.ignoresForwardedHeaders(peer: "198.51.100.4", headers: [:]))
        #expect(!loopback.ignoresForwardedHeaders(peer: "127.0.0.1", headers: forged))
        #expect(ProxyTrust.none.client(peer: nil, headers: forged).address == "unknown")
    }

    @Test func behindATrustedProxyTheClientIsTheRightmostAddressThatIsNotAProxy() throws {
        let two = try ProxyTrust(trustedProxies: ["127.0.0.1", "10.0.0.5"])
        func client(_ xff: String?, realIP: String? = nil, proto: String? = nil, peer: String = "127.0.0.1", _ trust: ProxyTrust? = nil) -> ProxyTrust.Client {
            var headers: [String: String] = [:]
            headers["x-forwarded-for"] = xff
            headers["x-real-ip"] = realIP
            headers["x-forwarded-proto"] = proto
            return (trust ?? two).client(peer: peer, headers: headers)
        }
        #expect(client("203.0.113.7") == .init(address: "203.0.113.7", scheme: nil, proxy: "127.0.0.1"))
        // What the client wrote at the left is never read: the proxies' own hops are skipped.
        #expect(client("1.1.1.1, 203.0.113.7").address == "203.0.113.7")
        #expect(client("1.1.1.1, 203.0.113.7, 10.0.0.5").address == "203.0.113.7")
        #expect(client("evil, 203.0.113.7").address == "203.0.113.7")
        // Every hop a proxy: the leftmost; garbage next to a proxy: that proxy.
        #expect(client("10.0.0.5, 127.0.0.1").address == "10.0.0.5")
        #expect(client("203.0.113.7, bogus, 10.0.0.5").address == "10.0.0.5")
        #expect(client("bogus").address == "127.0.0.1")
        // Ports and brackets as some proxies write them; one spelling for an address.
        #expect(client("203.0.113.7:55012").address == "203.0.113.7")
        #expect(client("[2001:DB8::1]:443").address == "2001:db8::1")
        #expect(client("2001:db8:0:0::1").address == "2001:db8::1")
        #expect(client("::ffff:203.0.113.7").address == "203.0.113.7")
        // X-Real-IP when there is no X-Forwarded-For; the proxy itself without either.
        #expect(client(nil, realIP: "203.0.113.9").address == "203.0.113.9")
        #expect(client("203.0.113.7", realIP: "203.0.113.9").address == "203.0.113.7")
        #expect(client(nil, realIP: "not an address").address == "127.0.0.1")
        #expect(client(nil).address == "127.0.0.1")
        // The scheme: https or http, the nearest proxy's (last) word; anything else is not known.
        #expect(client(nil, proto: "https").scheme == "https")
        #expect(client(nil, proto: "HTTPS").scheme == "https")
        #expect(client(nil, proto: "https, http").scheme == "http")
        #expect(client(nil, proto: "gopher").scheme == nil)
        // A peer on a dual-stack socket, IPv4 mapped into IPv6, is the IPv4 address.
        #expect(client("203.0.113.7", peer: "::ffff:127.0.0.1").address == "203.0.113.7")
        #expect(try ProxyTrust(trustedProxies: ["::1"]).client(peer: "::1", headers: ["x-forwarded-for": "203.0.113.7"]).address == "203.0.113.7")
    }

    @Test func optionsAreCheckedAndNormalised() throws {
        let trust = try ProxyTrust(trustedProxies: ["127.0.0.1, ::1", "10.0.0.5", "127.0.0.1"], publicURL: "HTTPS://Parta.RUO.example/")
        #expect(trust.trustedProxies == ["127.0.0.1", "::1", "10.0.0.5"])
        #expect(trust.publicOrigin == "https://parta.ruo.example")
        #expect(trust.publicURLIsHTTPS)
        #expect(trust.trusts("0:0:0:0:0:0:0:1"))
        #expect(try ProxyTrust(publicURL: "https://parta.ruo.example:443").publicOrigin == "https://parta.ruo.example")
        #expect(try ProxyTrust(publicURL: "https://127.0.0.1:8443").publicOrigin == "https://127.0.0.1:8443")
        #expect(try ProxyTrust(publicURL: "http://hub.local:80").publicOrigin == "http://hub.local")
        #expect(try !ProxyTrust(publicURL: "http://hub.local:8460").publicURLIsHTTPS)
        #expect(try ProxyTrust(publicURL: "https://[::1]:8443").publicOrigin == "https://[::1]:8443")
        for bad in ["localhost", "127.0.0.0/8", "127.0.0.1:80", "", "1.2.3", "::1::2", "fe80::1%eth0"] {
            #expect(throws: DashboardError.self, "\(bad)") { try ProxyTrust(trustedProxies: [bad]) }
        }
        for bad in ["parta.ruo.example", "ftp://parta.ruo.example", "https://", "https://parta.ruo.example/dashboard",
                    "https://user@parta.ruo.example", "https://parta.ruo.example/?a=1", "https://parta.ruo.example:99999", "https://pa rta.example"] {
            #expect(throws: DashboardError.self, "\(bad)") { try ProxyTrust(publicURL: bad) }
        }
        do {
            _ = try ProxyTrust(trustedProxies: ["proxy.local"])
        } catch let error as DashboardError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.en.contains("proxy.local") && error.message.ru.contains("proxy.local"))
        }
    }

    // MARK: The dashboard behind a proxy

    @Test func behindTLSAFormFromThePublicOriginPassesAndCookiesAreSecure() throws {
        let f = try DashboardFixture(proxy: try ProxyTrust(trustedProxies: ["127.0.0.1"], publicURL: "https://parta.ruo.example:8443"))
        var browser = TestBrowser(f.dashboard)
        // nginx passes `Host $host` (no port) and `X-Forwarded-Proto https`; the browser's Origin has the port.
        browser.host = "parta.ruo.example"
        browser.scheme = "https"
        browser.origin = "https://parta.ruo.example:8443"
        let form = browser.get("/login")
        #expect(form.header("Set-Cookie")?.contains("; Secure") == true)
        let signedIn = browser.signIn("editor")
        #expect(signedIn.status == 303)
        #expect(signedIn.header("Set-Cookie")?.hasPrefix("parta_session=") == true)
        #expect(signedIn.header("Set-Cookie")?.contains("HttpOnly; SameSite=Strict; Secure") == true)
        // A form on the page, posted from the public origin, passes the origin check.
        browser.get("/own")
        #expect(browser.post("/own/\(f.ownTask)", ["status": "in_progress", "progress": "30", "comment": ""]).status == 303)
        // Another site, or the plain-http spelling of this one, does not.
        browser.get("/own")
        browser.origin = "https://evil.example"
        #expect(browser.post("/own/\(f.ownTask)", ["status": "done", "progress": "", "comment": ""]).status == 403)
        browser.origin = "http://parta.ruo.example"
        #expect(browser.post("/own/\(f.ownTask)", ["status": "done", "progress": "", "comment": ""]).status == 403)
        #expect(try f.ownReport()?.first?.contains("in_progress") == true)
    }

    @Test func theForwardedSchemeAndHostAreAnOriginWithoutAPublicURL() throws {
        let f = try DashboardFixture(proxy: try ProxyTrust(trustedProxies: ["127.0.0.1"]))
        var browser = TestBrowser(f.dashboard)
        browser.host = "parta.ruo.example"
        browser.scheme = "https"
        browser.origin = "https://parta.ruo.example"
        #expect(browser.signIn("editor").header("Set-Cookie")?.contains("Secure") == true)
        // Over TLS, a page at http:// (which anyone on the path could forge) is another origin.
        var plain = TestBrowser(f.dashboard)
        plain.host = "parta.ruo.example"
        plain.scheme = "https"
        plain.origin = "http://parta.ruo.example"
        #expect(plain.signIn("editor").status == 403)
        // A direct request (no proxy said a scheme): either scheme with this Host, as before; no Secure.
        var direct = TestBrowser(f.dashboard)
        direct.origin = "http://hub.test"
        let answer = direct.signIn("editor")
        #expect(answer.status == 303)
        #expect(answer.header("Set-Cookie")?.contains("Secure") == false)
    }

    @Test func everySignInIsToldWithTheClientAddressItIsCountedUnder() throws {
        // `@unchecked`: appended to by the logger's handler and read after the requests, under its lock.
        final class Events: @unchecked Sendable {
            let lock = NSLock()
            var all: [SignInEvent] = []
        }
        let events = Events()
        let f = try DashboardFixture(onSignIn: { event in events.lock.withLock { events.all.append(event) } })
        var browser = TestBrowser(f.dashboard)
        browser.address = "203.0.113.7"
        #expect(browser.signIn("editor", "wrong").status == 401)
        #expect(browser.signIn("editor").status == 303)
        browser.origin = "https://evil.example"
        #expect(browser.signIn("editor").status == 403)
        #expect(events.lock.withLock { events.all } == [
            SignInEvent(outcome: "wrong", name: "editor", client: "203.0.113.7"),
            SignInEvent(outcome: "ok", name: "editor", client: "203.0.113.7"),
            SignInEvent(outcome: "cross_site", name: "editor", client: "203.0.113.7"),
        ])
    }
}
