import Foundation
import PartaCore
import PartaApp
import PartaTesting
@testable import PartaDashboard

/// A hub with two schools, one of them with two computers, a school task with reports (one
/// comment carrying HTML, one concurrent edit in the conflict log), the hub's own task, and two
/// staff accounts: `editor` and `viewer`, password `correct horse`.
/// `@unchecked`: built once per test and only read after, except `now`, whose `Clock` is below.
final class DashboardFixture: @unchecked Sendable {
    let dir = TemporaryDirectory("parta-dashboard")
    let hub: HubNode
    let shared: SharedNode
    let dashboard: Dashboard
    /// The dashboard's clock; tests move it.
    var now: UInt64 {
        get { clock.now }
        set { clock.now = newValue }
    }
    /// `@unchecked`: set by the test between requests, read by the dashboard it serves on the same thread.
    final class Clock: @unchecked Sendable { var now: UInt64 = 0 }
    private let clock = Clock()
    let schoolTask: String
    let ownTask: String
    static let password = "correct horse"
    static let hostileComment = "<script>alert('x')</script> & \"кавычки\""

    init(passwordChecks: PasswordChecks = PasswordChecks(), proxy: ProxyTrust = .none,
         onSignIn: (@Sendable (SignInEvent) -> Void)? = nil) throws {
        let day = testMilliseconds(year: 2020, month: 9, day: 1)
        hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Отдел образования", now: day)
        let code1 = try hub.addSchool(id: "s1", name: "МБОУ СОШ № 1", now: day)!
        let code2 = try hub.addSchool(id: "s2", name: "МБОУ СОШ № 2", now: day)!
        let code1b = try hub.issueEnrollmentCode(school: "s1", now: day)
        var task = PartaNode.NewTask(title: "Утвердить программу воспитания")
        task.number = "5.1"; task.deadline = "2020-09-10"
        schoolTask = try hub.addTask(task, assignTo: ["s1", "s2"], now: day + 1)
        var own = PartaNode.NewTask(title: "Провести совещание руководителей")
        own.number = "2.1"; own.level = "municipal"; own.deadline = "2020-10-01"
        ownTask = try hub.addTask(own, now: day + 2)
        let stick = dir.file("stick")
        _ = try hub.exportForSchools(to: stick, now: day + 3)
        let s1 = try PartaNode.createSchoolNode(directory: dir.file("s1"), fromBundle: stick, code: code1, name: "ПК секретаря", now: day + 4).0
        let s1b = try PartaNode.createSchoolNode(directory: dir.file("s1b"), fromBundle: stick, code: code1b, name: "Ноутбук директора", now: day + 4).0
        _ = try PartaNode.createSchoolNode(directory: dir.file("s2"), fromBundle: stick, code: code2, name: "ПК школы 2", now: day + 4)
        try s1.report(task: schoolTask, status: .inProgress, progress: 40, comment: DashboardFixture.hostileComment, now: day + 86_400_000)
        try s1b.report(task: schoolTask, status: .inProgress, progress: 60, comment: "Директор: почти готово", now: day + 86_400_000 + 60_000)
        let back = dir.file("back")
        _ = try s1.exportForHub(to: back, now: day + 86_400_000 + 120_000)
        _ = try s1b.exportForHub(to: back, now: day + 86_400_000 + 180_000)
        _ = try hub.importBundles(at: back, now: day + 2 * 86_400_000)
        shared = SharedNode(hub)
        let accounts = try StaffAccounts(node: hub)
        try accounts.add(name: "editor", role: .editor, password: DashboardFixture.password, now: day)
        try accounts.add(name: "viewer", role: .viewer, password: DashboardFixture.password, now: day)
        let clock = self.clock
        clock.now = day + 12 * 86_400_000
        dashboard = try Dashboard(shared: shared, clock: { clock.now }, passwordChecks: passwordChecks, proxy: proxy, onSignIn: onSignIn)
    }

    deinit { dir.remove() }

    func ownReport() throws -> [String]? {
        try hub.replica.database.rows("SELECT status, progress, comment, author FROM hub_reports WHERE task = ?", [.text(ownTask)]).first?.map { $0.description }
    }
}

/// A browser in miniature: keeps cookies, sends forms with the token of the page it last read.
struct TestBrowser {
    let dashboard: Dashboard
    var cookies: [String: String] = [:]
    var language = "ru-RU,ru;q=0.9"
    var origin: String?
    /// The address the server sees this browser at.
    var address = "192.0.2.10"
    /// The scheme the server established (a trusted proxy's word); nil: not known.
    var scheme: String?
    /// The `Host` header (what a proxy passes on as the browser's host).
    var host = "hub.test"
    var lastPage = ""

    init(_ dashboard: Dashboard) { self.dashboard = dashboard }

    @discardableResult
    mutating func get(_ target: String) -> WebResponse {
        // A browser keeps the fragment to itself.
        send(WebRequest(method: "GET", target: String(target.prefix { $0 != "#" }), headers: headers(), clientAddress: address, scheme: scheme))
    }

    @discardableResult
    mutating func post(_ target: String, _ form: [String: String], withToken: Bool = true) -> WebResponse {
        var form = form
        if withToken, form["csrf"] == nil, let token = csrf { form["csrf"] = token }
        let body = form.map { "\(escape($0.key))=\(escape($0.value))" }.joined(separator: "&")
        var h = headers()
        h["Content-Type"] = "application/x-www-form-urlencoded"
        return send(WebRequest(method: "POST", target: target, headers: h, body: Array(body.utf8), clientAddress: address, scheme: scheme))
    }

    /// Posts a `multipart/form-data` form with one file, as a browser's upload does.
    @discardableResult
    mutating func upload(_ target: String, field: String, filename: String, bytes: [UInt8], _ form: [String: String], withToken: Bool = true) -> WebResponse {
        var form = form
        if withToken, form["csrf"] == nil, let token = csrf { form["csrf"] = token }
        let boundary = "----PartaTestBoundary7MA4YWxkTrZu0gW"
        var body: [UInt8] = []
        for (name, value) in form.sorted(by: { $0.key < $1.key }) {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += bytes + Array("\r\n--\(boundary)--\r\n".utf8)
        var h = headers()
        h["Content-Type"] = "multipart/form-data; boundary=\(boundary)"
        return send(WebRequest(method: "POST", target: target, headers: h, body: body, clientAddress: address, scheme: scheme))
    }

    /// Signs in (reading the sign-in form first, as a browser does).
    @discardableResult
    mutating func signIn(_ name: String, _ password: String = DashboardFixture.password, extra: [String: String] = [:]) -> WebResponse {
        get("/login")
        return post("/login", ["name": name, "password": password].merging(extra) { $1 })
    }

    /// The CSRF token in the last page's first form.
    var csrf: String? {
        guard let range = lastPage.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(lastPage[range.upperBound...].prefix { $0 != "\"" })
    }

    /// Extra headers every request carries (`Sec-Fetch-Site` …).
    var extraHeaders: [String: String] = [:]

    private func headers() -> [String: String] {
        var h = ["Accept-Language": language, "Host": host]
        if !cookies.isEmpty { h["Cookie"] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let origin { h["Origin"] = origin }
        return h.merging(extraHeaders) { $1 }
    }

    private mutating func send(_ request: WebRequest) -> WebResponse {
        let response = dashboard.handle(request)
        for (name, value) in response.headers where name.lowercased() == "set-cookie" {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { if pair[1].isEmpty { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] } }
        }
        if response.header("Content-Type")?.hasPrefix("text/html") == true { lastPage = response.text }
        return response
    }

    private func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
