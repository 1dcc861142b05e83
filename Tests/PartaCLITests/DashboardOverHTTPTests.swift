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
        // Removing the account ends its session at once.
        #expect(try parta.run(["hub", "user", "remove", "marina"] + hub).status == 0)
        #expect(try RawHTTP.request(port: server.port, "GET", "/", headers: ["Cookie": cookie])?.status == 303)
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
