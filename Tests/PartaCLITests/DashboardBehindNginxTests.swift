import Foundation
import Testing
import PartaTesting

/// The dashboard behind the shipped TLS front, for real: `Examples/systemd/nginx-parta.conf` (its
/// certificate paths, port and upstream replaced, nothing else) in a real nginx with a self-signed
/// certificate, in front of `parta hub serve --trust-proxy … --public-url https://…`, and a headless
/// Chromium signing in and posting a form over https. Skipped, with the reason printed, where
/// Chromium, chromedriver, nginx or openssl is missing (`.ci/run` installs them).
@Suite(.serialized, .enabled(if: WebDriver.isAvailable && Nginx.isAvailable,
                             "\([WebDriver.unavailableReason, Nginx.unavailableReason].compactMap { $0 }.joined(separator: "; "))"))
struct DashboardBehindNginxTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    /// The shipped example, made to run here: `text` with each of `substitutions` made, every one
    /// of which must be found (so the test fails, saying which, if the example changes shape).
    static func example(_ text: String, _ substitutions: [(String, String)]) throws -> String {
        var text = text
        for (old, new) in substitutions {
            guard text.contains(old) else { throw NginxError("Examples/systemd/nginx-parta.conf no longer contains “\(old)”") }
            text = text.replacingOccurrences(of: old, with: new)
        }
        return text
    }

    /// The shipped example (Examples/systemd/nginx-parta.conf) with the certificate `certificate`
    /// and `key`, on a free port of 127.0.0.1 (`listenExtra` added after its listen line), in
    /// front of `parta hub serve` on `hubData` started with `hubArguments(port)`. nginx's port was
    /// free when chosen; if something took it meanwhile, it starts again on another, three times.
    static func shippedNginx(_ parta: PartaBinary, hubData: String, folder: String, certificate: String, key: String,
                             listenExtra: String = "", environment: [String: String] = [:],
                             hubArguments: (Int) -> [String]) throws -> (port: Int, hub: RunningHub, nginx: Nginx) {
        let shipped = try String(contentsOfFile: TestArtifacts.packageRoot(from: #filePath) + "/Examples/systemd/nginx-parta.conf", encoding: .utf8)
        for attempt in 1...3 {
            let port = try Nginx.freePort()
            let hub = try parta.serve(data: hubData, extraArguments: hubArguments(port), environment: environment)
            let server = try example(shipped, [
                ("listen 443 ssl;", "listen 127.0.0.1:\(port) ssl;" + listenExtra),
                ("/etc/letsencrypt/live/parta.ruo.example/fullchain.pem", certificate),
                ("/etc/letsencrypt/live/parta.ruo.example/privkey.pem", key),
                ("http://127.0.0.1:8460", "http://127.0.0.1:\(hub.port)"),
            ])
            do {
                return (port, hub, try Nginx.start(http: server, in: (folder as NSString).appendingPathComponent("nginx-\(attempt)"), port: port))
            } catch where attempt < 3 {
                print("nginx did not start on \(port), trying another port: \(error)")
                hub.stop()
            } catch {
                hub.stop()
                throw error
            }
        }
        throw NginxError("nginx did not start")
    }

    @Test func aMethodologistSignsInThroughNginxOverHTTPSAndPostsAForm() throws {
        let dir = TemporaryDirectory("parta-nginx"); defer { dir.remove() }
        let demo = try parta.run(["demo", "--keep", dir.file("demo"), "--no-serve"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let hubData = dir.file("demo/hub")
        #expect(try parta.run(["hub", "user", "add", "marina", "--role", "editor", "--password-stdin", "--data", hubData], input: "марина-пароль\n").status == 0)

        // The browser is at 127.0.0.1; nginx reaches the hub from 127.0.0.2 (a line the test adds),
        // the one address the hub trusts. So the hub can name the browser only by believing nginx.
        let (certificate, key) = try Nginx.selfSignedCertificate(in: dir.file("tls"))
        let (port, hub, nginx) = try DashboardBehindNginxTests.shippedNginx(
            parta, hubData: hubData, folder: dir.path, certificate: certificate, key: key, listenExtra: "\n    proxy_bind 127.0.0.2;",
            environment: DashboardBrowserTests.now) { port in ["--trust-proxy", "127.0.0.2", "--public-url", "https://127.0.0.1:\(port)"] }
        defer { nginx.stop(); hub.stop() }
        let publicURL = "https://127.0.0.1:\(port)"

        let browser = try WebDriver.start(extraArguments: ["--ignore-certificate-errors", "--lang=ru-RU", "--accept-lang=ru-RU,ru"])
        defer { browser.quit() }
        // Whatever the browser claims about its address, nginx overwrites it.
        _ = try browser.executeCDP("Network.enable")
        _ = try browser.executeCDP("Network.setExtraHTTPHeaders", ["headers": ["X-Forwarded-For": "203.0.113.66", "X-Real-IP": "203.0.113.67"]])

        try browser.navigate(to: publicURL + "/")
        _ = try browser.waitForElement(css: "#password")
        #expect(try browser.currentURL.hasPrefix(publicURL + "/login"))
        try browser.element(css: "#name").sendKeys("marina")
        try browser.element(css: "#password").sendKeys("марина-пароль")
        try browser.element(css: "button[type=submit]").click()
        // The sign-in form passed the origin check (the browser's Origin is the public https URL).
        _ = try browser.waitForElement(css: "#progress-h")
        #expect(try browser.currentURL.hasPrefix(publicURL + "/"))
        let session = try #require(try browser.cookies().first { $0.name == "parta_session" })
        #expect(session.secure && session.httpOnly)
        #expect(session.sameSite == "Strict")
        try TestArtifacts.save(screenshotOf: browser, name: "nginx-01-overview")

        // An editor's form, posted over https through nginx, passes the origin check and the token.
        try browser.navigate(to: publicURL + "/own")
        let first = try browser.waitForElement(css: "article.card details")
        try first.element(css: "summary").click()
        try first.element(css: "select option[value=in_progress]").click()
        let progress = try first.element(css: "input[type=number]")
        try progress.clear()
        try progress.sendKeys("55")
        try first.element(css: "textarea").sendKeys("Через nginx и TLS")
        try first.element(css: "button[type=submit]").click()
        let notice = try browser.waitForElement(css: ".notice")
        #expect(try notice.text.contains("Сохранено"))
        #expect(try browser.pageSource.contains("Через nginx и TLS"))
        try TestArtifacts.save(screenshotOf: browser, name: "nginx-02-own-task-saved")

        // What nginx tells the hub besides the address: the scheme (X-Forwarded-Proto) and the
        // browser's host (Host). A form from https://127.0.0.1 (the origin on port 443) is this
        // site exactly when both arrived, whatever the client itself claimed: the hub then checks
        // its token (and refuses it: there is none), instead of refusing it as cross-site.
        let probe = try Nginx.httpsExchange(port: port, """
            POST /login HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nOrigin: https://127.0.0.1\r\nX-Forwarded-Proto: http\r\n\
            X-Forwarded-For: 203.0.113.68\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\
            Connection: close\r\n\r\nname=probe
            """)
        #expect(probe.hasPrefix("HTTP/1.1 403"), "\(probe)")
        #expect(probe.contains("устарела"), "\(probe)")

        // The hub names the browser (127.0.0.1), not its TCP peer (nginx, 127.0.0.2), nor what the browser claimed.
        let log = hub.stop()
        #expect(log.contains(#"dashboard sign-in outcome=ok name="marina" client=127.0.0.1"#), "\(log)")
        #expect(log.contains(#"dashboard sign-in outcome=bad_token name="probe" client=127.0.0.1"#), "\(log)")
        #expect(!log.contains("203.0.113.") && !log.contains("client=127.0.0.2") && !log.contains("is not a trusted proxy"), "\(log)")
        #expect(nginx.accessLog.contains("POST /own/"), "\(nginx.accessLog)")
    }
}
