import Foundation
import Testing
import PartaTesting

/// The dashboard as a user meets it: accounts made with the real `parta`, pages served by the
/// real `parta hub serve` (and `parta demo`) on 127.0.0.1, beside the sync API.
@Suite(.serialized) struct DashboardOverHTTPTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    /// Signs in over HTTP the way a browser does; returns the session cookie.
    static func signIn(port: Int, name: String, password: String) throws -> String {
        let form = try #require(try RawHTTP.request(port: port, "GET", "/login"))
        let loginCookie = try #require(form.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        let token = try #require(form.text.range(of: "name=\"csrf\" value=\"").map { String(form.text[$0.upperBound...].prefix { $0 != "\"" }) })
        let body = "csrf=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&name=\(name)&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        let answer = try #require(try RawHTTP.request(port: port, "POST", "/login", headers: [
            "Cookie": loginCookie, "Content-Type": "application/x-www-form-urlencoded", "Origin": "http://127.0.0.1:\(port)", "Host": "127.0.0.1:\(port)",
        ], body: Array(body.utf8)))
        #expect(answer.status == 303, "\(answer.text)")
        return try #require(answer.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
    }

    @Test func aHubServesItsDashboardBesideTheSyncAPI() throws {
        let dir = TemporaryDirectory("parta-dashboard-http"); defer { dir.remove() }
        let hub = ["--data", dir.file("hub")]
        #expect(try parta.run(["hub", "init", "--name", "Отдел образования"] + hub).status == 0)
        #expect(try parta.run(["hub", "school", "add", "s1", "--name", "МБОУ СОШ № 1"] + hub).status == 0)
        let short = try parta.run(["hub", "user", "add", "marina", "--role", "editor", "--password-stdin"] + hub, input: "short\n")
        #expect(short.status != 0)
        #expect(short.stderr.contains("не меньше 8"))
        let added = try parta.run(["hub", "user", "add", "marina", "--role", "editor", "--password-stdin"] + hub, input: "долгий пароль\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try parta.run(["hub", "user", "list"] + hub).stdout.contains("редактор"))
        let server = try parta.serve(data: dir.file("hub"))
        defer { server.stop() }
        #expect(try RawHTTP.request(port: server.port, "GET", "/healthz")?.text == "ok\n")
        #expect(try RawHTTP.request(port: server.port, "GET", "/")?.status == 303)
        let cookie = try DashboardOverHTTPTests.signIn(port: server.port, name: "marina", password: "долгий пароль")
        let overview = try #require(try RawHTTP.request(port: server.port, "GET", "/", headers: ["Cookie": cookie]))
        #expect(overview.status == 200)
        #expect(overview.headers["content-security-policy"]?.contains("default-src 'none'") == true)
        #expect(overview.text.contains("МБОУ СОШ № 1"))
        let school = try #require(try RawHTTP.request(port: server.port, "GET", "/schools/s1", headers: ["Cookie": cookie]))
        #expect(school.text.contains("Компьютеры ещё не подключены"))
        // Removing the account ends its session at once, and adding the name again does not
        // bring the session back.
        #expect(try parta.run(["hub", "user", "remove", "marina"] + hub).status == 0)
        #expect(try RawHTTP.request(port: server.port, "GET", "/", headers: ["Cookie": cookie])?.status == 303)
        #expect(try parta.run(["hub", "user", "add", "marina", "--role", "viewer", "--password-stdin"] + hub, input: "другой пароль\n").status == 0)
        #expect(try RawHTTP.request(port: server.port, "GET", "/", headers: ["Cookie": cookie])?.status == 303)
    }

    /// The sign-in form as a browser gets it: its cookie (`parta_login=…`) and its CSRF token.
    static func signInForm(port: Int) throws -> (cookie: String, token: String) {
        let form = try #require(try RawHTTP.request(port: port, "GET", "/login"))
        let cookie = try #require(form.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        let token = try #require(form.text.range(of: "name=\"csrf\" value=\"").map { String(form.text[$0.upperBound...].prefix { $0 != "\"" }) })
        return (cookie, token)
    }

    /// Posts a sign-in; `address` is the client as a proxy on loopback names it (`X-Forwarded-For`;
    /// believed only by a hub started with `--trust-proxy 127.0.0.1`), `headers` are more headers.
    static func postSignIn(port: Int, cookie: String?, token: String, name: String, password: String, origin: String? = nil,
                           address: String? = nil, headers extra: [String: String] = [:]) throws -> RawHTTP.Reply? {
        let body = "csrf=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&name=\(name)&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        var headers = ["Content-Type": "application/x-www-form-urlencoded", "Origin": origin ?? "http://127.0.0.1:\(port)"]
        if let cookie { headers["Cookie"] = cookie }
        if let address { headers["X-Forwarded-For"] = address }
        return try RawHTTP.request(port: port, "POST", "/login", headers: headers.merging(extra) { $1 }, body: Array(body.utf8))
    }

    static func passwordChecks(port: Int) throws -> Int? {
        let metrics = try RawHTTP.request(port: port, "GET", "/metrics")?.text ?? ""
        return metrics.split(separator: "\n").first { $0.hasPrefix("parta_dashboard_password_checks_total ") }
            .flatMap { Int($0.split(separator: " ").last ?? "") }
    }

    @Test func aSignInFloodNeverHoldsUpHealthzAndForgedSignInsCostNoPasswordCheck() throws {
        let dir = TemporaryDirectory("parta-dashboard-flood"); defer { dir.remove() }
        let hub = ["--data", dir.file("hub")]
        #expect(try parta.run(["hub", "init", "--name", "Отдел образования"] + hub).status == 0)
        #expect(try parta.run(["hub", "user", "add", "marina", "--role", "editor", "--password-stdin"] + hub, input: "долгий пароль\n").status == 0)
        // The flood's clients come through a proxy on loopback that the hub trusts.
        let server = try parta.serve(data: dir.file("hub"), extraArguments: ["--trust-proxy", "127.0.0.1"])
        defer { server.stop() }
        let port = server.port
        let (cookie, token) = try DashboardOverHTTPTests.signInForm(port: port)

        // Forged sign-ins are refused before any password check: a wrong token, another site, no cookie.
        for _ in 0..<10 {
            #expect(try DashboardOverHTTPTests.postSignIn(port: port, cookie: cookie, token: "forged", name: "marina", password: "долгий пароль")?.status == 403)
            #expect(try DashboardOverHTTPTests.postSignIn(port: port, cookie: cookie, token: token, name: "marina", password: "долгий пароль",
                                                         origin: "http://evil.example")?.status == 403)
            #expect(try DashboardOverHTTPTests.postSignIn(port: port, cookie: nil, token: token, name: "marina", password: "долгий пароль")?.status == 403)
        }
        #expect(try DashboardOverHTTPTests.passwordChecks(port: port) == 0)

        // 16 clients post wrong passwords with good tokens as fast as they are answered, each
        // request from an address of its own (so no lock stops them: every one wants scrypt).
        // `@unchecked`: its counts are under its lock, taken by the clients' threads and the test.
        final class Tally: @unchecked Sendable {
            let lock = NSLock()
            var statuses: [Int: Int] = [:]
            var stop = false
        }
        let tally = Tally()
        let done = DispatchGroup()
        for client in 0..<16 {
            done.enter()
            Thread {
                var n = 0
                while !tally.lock.withLock({ tally.stop }) {
                    n += 1
                    let status = (try? DashboardOverHTTPTests.postSignIn(port: port, cookie: cookie, token: token, name: "marina",
                                                                        password: "guess \(n)", address: "10.\(client).\(n / 250).\(n % 250)"))??.status ?? -1
                    tally.lock.withLock { tally.statuses[status, default: 0] += 1 }
                }
                done.leave()
            }.start()
        }
        Thread.sleep(forTimeInterval: 0.5)
        var healthz: [Double] = []
        let end = Date().addingTimeInterval(4)
        while Date() < end {
            let started = Date()
            let reply = try RawHTTP.request(port: port, "GET", "/healthz", timeout: 10)
            healthz.append(Date().timeIntervalSince(started))
            #expect(reply?.text == "ok\n")
            Thread.sleep(forTimeInterval: 0.05)
        }
        tally.lock.withLock { tally.stop = true }
        #expect(done.wait(timeout: .now() + 60) == .success)
        let statuses = tally.lock.withLock { tally.statuses }
        let slowest = healthz.max() ?? 0
        print("sign-in flood: /healthz \(healthz.count) times, slowest \(Int(slowest * 1000)) ms; sign-in answers \(statuses.sorted { $0.key < $1.key })")
        // A generous bound: before, the flood held /healthz for 2.6–4.8 s.
        #expect(slowest < 1.0)
        // Every answer is a wrong password (checked) or "busy, retry" (503); how many of each
        // depends on the machine's load (the checks run at a lower priority than the server).
        #expect(statuses.values.reduce(0, +) > 0)
        #expect(Set(statuses.keys).isSubset(of: [401, 503]), "\(statuses)")
        let checks = try #require(try DashboardOverHTTPTests.passwordChecks(port: port))
        #expect(checks <= statuses[401, default: 0])

        // The staff member, at her own address, still signs in once the flood is over.
        var signedIn = false
        for _ in 0..<20 where !signedIn {
            let r = try DashboardOverHTTPTests.postSignIn(port: port, cookie: cookie, token: token, name: "marina", password: "долгий пароль", address: "192.0.2.10")
            signedIn = r?.status == 303
            if !signedIn { Thread.sleep(forTimeInterval: 0.5) }
        }
        #expect(signedIn)
    }

    @Test func theDemoEndsServingItsDashboardUntilInterrupted() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: parta.path)
        process.arguments = ["demo"]
        process.environment = ProcessInfo.processInfo.environment.merging(["LANG": "en_US.UTF-8"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        var printed = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, process.isRunning, !printed.contains("Ctrl-C stops the demo") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        let line = try #require(printed.split(separator: "\n").last { $0.contains("sign in as demo / ") })
        let port = try #require(line.range(of: #"127\.0\.0\.1:(\d+)/"#, options: .regularExpression).flatMap { Int(line[$0].dropFirst(10).dropLast()) })
        let password = try #require(line.range(of: "demo / ").map { String(line[$0.upperBound...].prefix { $0 != " " }) })
        let cookie = try DashboardOverHTTPTests.signIn(port: port, name: "demo", password: password)
        let overview = try #require(try RawHTTP.request(port: port, "GET", "/", headers: ["Cookie": cookie, "Accept-Language": "ru"]))
        #expect(overview.text.contains("Куликовский филиал"))
        #expect(overview.text.contains("Ход работы по школам"))
        let conflicts = try #require(try RawHTTP.request(port: port, "GET", "/conflicts", headers: ["Cookie": cookie]))
        #expect(conflicts.text.contains("Наставники назначены приказом № 112"))
        kill(process.processIdentifier, SIGINT)
        let stopBy = Date().addingTimeInterval(15)
        while process.isRunning && Date() < stopBy { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!process.isRunning)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
