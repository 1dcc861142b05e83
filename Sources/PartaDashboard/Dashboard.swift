import Foundation
import Synchronization
import Crypto
import PartaCore
import PartaApp
import PartaZlib

/// The hub's web dashboard: staff sign in and see how the schools progress on their tasks;
/// editors update the hub's own tasks. Russian unless the browser asks for English.
///
/// Guarantees: no page or export without a valid session (only the sign-in page and its style
/// sheet are public); every POST carries the CSRF token of its session (or of the sign-in form),
/// comes from this site if the browser sends `Origin` (``ProxyTrust/publicOrigin``, or the
/// request's scheme and `Host`), and is refused if the browser says (`Sec-Fetch-Site`) that
/// another site sent it; cookies are `Secure` when the browser uses HTTPS (by the public URL or a
/// trusted proxy's word); only editors write, and only the hub's own
/// reports; everything from schools or documents is HTML-escaped; pages carry a CSP that allows no
/// script at all. Requests run one at a time against the node, shared with the sync server, so a
/// page never shows a sync half-applied.
///
/// Sign-in (`POST /login`) checks, in this order and each before anything costlier: the origin,
/// the sign-in form's CSRF token, the lockout of (name, client address) (``StaffAccounts``); only
/// then is the password checked, by scrypt on ``passwordChecks``' own threads, never while holding
/// the node. After a sign-in the browser goes to `next` only if it is a path on this site
/// (``redirectTarget(_:)``), otherwise to the overview.
public final class Dashboard: Sendable {
    let shared: SharedNode
    let clock: @Sendable () -> UInt64
    let sessions: Sessions
    /// Where sign-ins' password checks run: a few at once, off Swift's cooperative pool.
    public let passwordChecks: PasswordChecks
    /// Schools whose data is older than this many days are "not heard from", unless the page asks otherwise.
    public let silentDays = 7
    private let counters = SignInCounters()
    /// The public URL (for the origin check and `Secure` cookies); the server's ``ProxyTrust``.
    public let proxy: ProxyTrust
    let onSignIn: (@Sendable (SignInEvent) -> Void)?

    /// - Parameters:
    ///   - clock: the hub's time in ms (the demo passes its simulated clock).
    ///   - proxy: the public URL, if any (the server resolves forwarded headers with the same value).
    ///   - onSignIn: told every sign-in's outcome, for the server's log.
    public init(shared: SharedNode, clock: @escaping @Sendable () -> UInt64, passwordChecks: PasswordChecks = PasswordChecks(),
                proxy: ProxyTrust = .none, onSignIn: (@Sendable (SignInEvent) -> Void)? = nil) throws {
        self.shared = shared
        self.clock = clock
        self.passwordChecks = passwordChecks
        self.proxy = proxy
        self.onSignIn = onSignIn
        sessions = Sessions(key: try shared.withNodeBlocking { try StaffAccounts(node: $0).sessionKey() })
    }

    /// Answers one request, blocking the calling thread while a password is checked (for tests
    /// and callers outside Swift concurrency); text answers are gzipped for a browser that accepts it.
    public func handle(_ request: WebRequest) -> WebResponse {
        let language = Dashboard.language(request), now = clock()
        switch shared.withNodeBlocking({ begin(request, node: $0, language: language, now: now) }) {
        case .answered(let response): return compressed(response, for: request)
        case .checkPassword(let pending):
            let password = pending.password, attempt = pending.attempt
            let matches = passwordChecks.runBlocking(client: pending.client) { attempt.check(password) }
            return compressed(shared.withNodeBlocking { finishSignIn(pending, passwordMatches: matches, node: $0) }, for: request)
        }
    }

    /// Answers one request from async code (the HTTP server): a password check waits without
    /// holding a thread of the cooperative pool.
    public func respond(_ request: WebRequest) async -> WebResponse {
        let language = Dashboard.language(request), now = clock()
        switch await shared.withNode({ self.begin(request, node: $0, language: language, now: now) }) {
        case .answered(let response): return compressed(response, for: request)
        case .checkPassword(let pending):
            let password = pending.password, attempt = pending.attempt
            let matches = await passwordChecks.run(client: pending.client) { attempt.check(password) }
            return compressed(await shared.withNode { self.finishSignIn(pending, passwordMatches: matches, node: $0) }, for: request)
        }
    }

    /// The dashboard's counters in Prometheus text format, for the hub's `/metrics`.
    public func metricsText() -> String {
        var lines = ["# HELP parta_dashboard_password_checks_total Password checks (scrypt) run for sign-ins.",
                     "# TYPE parta_dashboard_password_checks_total counter",
                     "parta_dashboard_password_checks_total \(passwordChecks.checksRun)",
                     "# HELP parta_dashboard_signins_total Sign-in attempts by outcome.",
                     "# TYPE parta_dashboard_signins_total counter"]
        for (outcome, count) in counters.snapshot() { lines.append("parta_dashboard_signins_total{outcome=\"\(outcome)\"} \(count)") }
        return lines.joined(separator: "\n") + "\n"
    }

    private func compressed(_ answer: WebResponse, for request: WebRequest) -> WebResponse {
        var response = answer
        if response.body.count > 1024, (request.headers["accept-encoding"] ?? "").contains("gzip"),
           response.header("Content-Type")?.hasPrefix("text/") == true, let zipped = Deflater.compress(response.body, format: .gzip) {
            response.body = zipped
            response.headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        }
        return response
    }

    /// A sign-in that passed every cheap check and waits for its password check.
    struct PendingSignIn: Sendable {
        var request: WebRequest
        var attempt: StaffAccounts.SignInAttempt
        var password: String
        var language: Language
        var now: UInt64
        /// Whose check it is, for ``PasswordChecks``' per-client limit: the request's address.
        var client: String { request.clientAddress ?? "unknown" }
    }

    enum Step: Sendable {
        case answered(WebResponse)
        case checkPassword(PendingSignIn)
    }

    static func language(_ request: WebRequest) -> Language {
        (request.headers["accept-language"] ?? "ru").lowercased().hasPrefix("en") ? .en : .ru
    }

    static func segments(_ path: String) -> [String] {
        path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
    }

    /// Everything up to a password check, under the node (cheap: no scrypt here).
    private func begin(_ request: WebRequest, node: HubNode, language: Language, now: UInt64) -> Step {
        do {
            if request.method == "POST" && Dashboard.segments(request.path) == ["login"] {
                return try beginSignIn(request, node: node, language: language, now: now)
            }
            return .answered(try route(request, node: node, language: language, now: now))
        } catch {
            return .answered(failure(error, node: node, language: language))
        }
    }

    private func failure(_ error: any Error, node: HubNode, language: Language) -> WebResponse {
        let message = (error as? PartaError)?.message ?? (error as? DashboardError)?.message
            ?? Message(en: "The page could not be made: \(error)", ru: "Не удалось построить страницу: \(error)")
        let layout = Layout(language: language, user: nil, csrf: nil, hubName: (try? hubName(node)) ?? "")
        return .html(500, layout.page(title: layout.t("Something went wrong", "Что-то пошло не так"),
                                      body: "<p class=\"error\">\(HTML.escape(message.text(in: language)))</p><p><a href=\"/\">\(layout.t("Back to the overview", "К обзору"))</a></p>"))
    }

    /// The origins a form may be posted from: the public URL's, and this request's `Host` with
    /// the scheme a trusted proxy named (either scheme when no proxy said: the hub cannot tell).
    func acceptedOrigins(_ request: WebRequest) -> [String] {
        var origins = proxy.publicOrigin.map { [$0] } ?? []
        let host = (request.headers["host"] ?? "").lowercased()
        if !host.isEmpty { origins += (request.scheme.map { [$0] } ?? ["http", "https"]).map { "\($0)://\(host)" } }
        return origins
    }

    /// Attributes every cookie carries: `Secure` once the browser uses HTTPS (the public URL is
    /// https, or a trusted proxy says the request came over https).
    func cookieAttributes(_ request: WebRequest) -> String {
        "HttpOnly; SameSite=Strict" + (proxy.publicURLIsHTTPS || request.scheme == "https" ? "; Secure" : "")
    }

    /// A POST that another site sent, by the browser's word (`Origin`, `Sec-Fetch-Site`); nil if none says so.
    private func crossSiteRefusal(_ request: WebRequest, layout: Layout) -> WebResponse? {
        var foreign = false
        if let origin = request.headers["origin"] {
            foreign = !acceptedOrigins(request).contains(origin.lowercased())
        }
        if let site = request.headers["sec-fetch-site"]?.lowercased(), site == "cross-site" || site == "same-site" { foreign = true }
        guard foreign else { return nil }
        return forbidden(layout, Message(en: "The form was sent from another site; nothing was changed.",
                                         ru: "Форма отправлена с другого сайта; ничего не изменено."))
    }

    /// Who is signed in, from the session cookie; nil if nobody (or the session is void).
    struct Visitor {
        var user: StaffAccounts.Identity
        var csrf: String
    }

    func visitor(_ request: WebRequest, accounts: StaffAccounts, now: UInt64) throws -> Visitor? {
        guard let cookie = request.cookies[Sessions.cookieName], let session = sessions.read(cookie, now: now),
              let user = try accounts.identity(session.name), user.generation == session.generation else { return nil }
        return Visitor(user: user, csrf: sessions.csrfToken(for: session))
    }

    private func route(_ request: WebRequest, node: HubNode, language: Language, now: UInt64) throws -> WebResponse {
        let accounts = StaffAccounts(opened: node)
        let segments = Dashboard.segments(request.path)
        let layoutBase = Layout(language: language, user: nil, csrf: nil, hubName: try hubName(node))
        if request.method == "GET" && segments == ["style.css"] {
            return WebResponse(status: 200, headers: [("Content-Type", "text/css; charset=utf-8"), ("Cache-Control", "max-age=3600")], body: Array(Layout.css.utf8))
        }
        if request.method == "POST", let refusal = crossSiteRefusal(request, layout: layoutBase) { return refusal }
        if segments == ["login"] && request.method != "POST" {
            return loginPage(request, layout: layoutBase, error: nil, status: 200)
        }
        guard let visitor = try visitor(request, accounts: accounts, now: now) else {
            if request.method == "GET" {
                let next = request.path == "/" ? "" : "?next=" + (request.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                return .redirect("/login" + next)
            }
            return .html(401, layoutBase.page(title: layoutBase.t("Please sign in", "Войдите в систему"),
                                              body: "<p><a href=\"/login\">\(layoutBase.t("Sign in", "Войти"))</a></p>"))
        }
        let layout = Layout(language: language, user: visitor.user, csrf: visitor.csrf, hubName: layoutBase.hubName)
        if request.method == "POST" {
            guard Sessions.tokensMatch(request.fields["csrf"], visitor.csrf) else {
                return forbidden(layout, Message(en: "The form's security token is missing or out of date; reload the page and try again. Nothing was changed.",
                                                 ru: "У формы нет действительного ключа безопасности; обновите страницу и попробуйте снова. Ничего не изменено."))
            }
            switch segments {
            case ["logout"]:
                try accounts.endSessions(of: visitor.user.name)
                return .redirect("/login", extraHeaders: [("Set-Cookie", "\(Sessions.cookieName)=; Path=/; Max-Age=0; \(cookieAttributes(request))")])
            case let s where s.count == 2 && s[0] == "own":
                guard visitor.user.role == .editor else {
                    return forbidden(layout, Message(en: "Only an editor can change the department's tasks; your account can view them.",
                                                     ru: "Изменять задачи отдела может только редактор; ваша учётная запись — только для просмотра."))
                }
                return try updateOwnTask(s[1], form: request.form, node: node, layout: layout, user: visitor.user, now: now)
            case let s where (s.count == 1 || s.count == 2) && s[0] == "review":
                guard visitor.user.role == .editor else {
                    return forbidden(layout, Message(en: "Only an editor can import a resolution; your account can view.",
                                                     ru: "Импортировать резолюцию может только редактор; ваша учётная запись — только для просмотра."))
                }
                if s.count == 1 { return try upload(request, node: node, layout: layout, now: now) }
                return try saveReview(s[1], form: request.form, node: node, layout: layout, now: now)
            default:
                return notFound(layout)
            }
        }
        guard request.method == "GET" || request.method == "HEAD" else {
            return WebResponse(status: 405, headers: [("Allow", "GET, POST")], body: [])
        }
        let pages = Pages(data: DashboardData(node: node, today: PartaNode.isoDate(now), now: now), layout: layout)
        switch segments {
        case []: return .html(200, try pages.overview(silentDays: Int(request.query["days"] ?? "").map { min(365, max(1, $0)) } ?? silentDays))
        case let s where s.count == 2 && s[0] == "resolutions": return try pages.resolution(s[1]).map { .html(200, $0) } ?? notFound(layout)
        case let s where s.count == 2 && s[0] == "tasks": return try pages.task(s[1], saved: request.query["saved"] != nil).map { .html(200, $0) } ?? notFound(layout)
        case let s where s.count == 2 && s[0] == "schools": return try pages.school(s[1]).map { .html(200, $0) } ?? notFound(layout)
        case ["conflicts"]: return .html(200, try pages.conflictLog())
        case ["own"]: return .html(200, try pages.ownTasks(saved: request.query["saved"], error: nil))
        case ["exports"]: return .html(200, pages.exports())
        case ["review"]: return .html(200, pages.reviewUpload(error: nil))
        case let s where s.count == 2 && s[0] == "review":
            guard let staged = try node.stagedDocument(s[1]) else { return .html(404, pages.reviewGone()) }
            return .html(200, try pages.review(staged, error: nil))
        case let s where s.count == 2 && s[0] == "export": return try export(s[1], node: node, language: language, now: now) ?? notFound(layout)
        default: return notFound(layout)
        }
    }

    func hubName(_ node: HubNode) throws -> String {
        let name = try node.name(ofNode: node.replica.nodeID)
        return name.isEmpty ? node.replica.nodeID : name
    }

    // MARK: Sign-in

    private func loginPage(_ request: WebRequest, layout: Layout, error: Message?, status: Int) -> WebResponse {
        let existing = request.cookies[Sessions.loginCookieName].flatMap { Base64URL.decode($0)?.count == 16 ? $0 : nil }
        let cookie = existing ?? Base64URL.encode((0..<16).map { _ in UInt8.random(in: 0...255) })
        let next = request.query["next"] ?? request.form["next"] ?? ""
        let t = layout.t
        let body = """
            \(error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0.text(in: layout.language)))</p>" } ?? "")
            <form method="post" action="/login" class="stack">
            <input type="hidden" name="csrf" value="\(HTML.escape(sessions.csrfToken(forLoginCookie: cookie)))">
            <input type="hidden" name="next" value="\(HTML.escape(next))">
            <label for="name">\(t("User name", "Имя пользователя"))</label>
            <input type="text" id="name" name="name" autocomplete="username" required autofocus>
            <label for="password">\(t("Password", "Пароль"))</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required>
            <p><button type="submit">\(t("Sign in", "Войти"))</button></p>
            </form>
            <p class="muted">\(t("Accounts are made at the hub with", "Учётные записи создаются на сервере отдела командой")) <code>parta hub user add</code>.</p>
            """
        return .html(status, layout.page(title: t("Sign in to the dashboard", "Вход в панель отдела"), body: body),
                     extraHeaders: existing == nil ? [("Set-Cookie", "\(Sessions.loginCookieName)=\(cookie); Path=/login; \(cookieAttributes(request))")] : [])
    }

    /// The cheap checks of a sign-in, in order: origin, the form's CSRF token, the lockout of
    /// (name, address). Only a sign-in that passes them all has its password checked.
    private func beginSignIn(_ request: WebRequest, node: HubNode, language: Language, now: UInt64) throws -> Step {
        let layout = Layout(language: language, user: nil, csrf: nil, hubName: try hubName(node))
        if let refusal = crossSiteRefusal(request, layout: layout) {
            record("cross_site", request)
            return .answered(refusal)
        }
        let form = request.form
        guard let cookie = request.cookies[Sessions.loginCookieName],
              Sessions.tokensMatch(form["csrf"], sessions.csrfToken(forLoginCookie: cookie)) else {
            record("bad_token", request)
            return .answered(loginPage(request, layout: layout, error: Message(
                en: "The sign-in form was out of date; please try again.", ru: "Форма входа устарела; попробуйте ещё раз."), status: 403))
        }
        do {
            let attempt = try StaffAccounts(opened: node).beginSignIn(name: form["name"] ?? "", address: request.clientAddress ?? "unknown", now: now)
            return .checkPassword(PendingSignIn(request: request, attempt: attempt, password: form["password"] ?? "", language: language, now: now))
        } catch let error as DashboardError {
            record(error.code == .lockedOut ? "locked" : "wrong", request)
            return .answered(loginPage(request, layout: layout, error: error.message, status: 401))
        }
    }

    /// Counts a sign-in's outcome for `/metrics` and tells ``onSignIn``.
    private func record(_ outcome: String, _ request: WebRequest) {
        counters.add(outcome)
        onSignIn?(SignInEvent(outcome: outcome, name: request.form["name"] ?? "", client: request.clientAddress ?? "unknown"))
    }

    /// Records a checked password (nil: the check was refused, too many at once) and answers.
    private func finishSignIn(_ pending: PendingSignIn, passwordMatches: Bool?, node: HubNode) -> WebResponse {
        do {
            let layout = Layout(language: pending.language, user: nil, csrf: nil, hubName: try hubName(node))
            guard let passwordMatches else {
                record("busy", pending.request)
                var busy = loginPage(pending.request, layout: layout, error: Message(
                    en: "The hub is checking many sign-ins at once; please try again in a few seconds.",
                    ru: "Сервер проверяет сразу много входов; попробуйте ещё раз через несколько секунд."), status: 503)
                busy.headers.append(("Retry-After", "5"))
                return busy
            }
            do {
                let user = try StaffAccounts(opened: node).finishSignIn(pending.attempt, passwordMatches: passwordMatches, now: pending.now)
                record("ok", pending.request)
                return .redirect(Dashboard.redirectTarget(pending.request.form["next"] ?? ""), extraHeaders: [
                    ("Set-Cookie", "\(Sessions.cookieName)=\(sessions.issue(name: user.name, generation: user.generation, now: pending.now)); Path=/; \(cookieAttributes(pending.request))"),
                ])
            } catch let error as DashboardError {
                record(error.code == .lockedOut ? "locked" : "wrong", pending.request)
                // A locked name gets the words and status of a wrong password.
                return loginPage(pending.request, layout: layout, error: error.message, status: 401)
            }
        } catch {
            return failure(error, node: node, language: pending.language)
        }
    }

    /// Where to go after signing in: `next` if it is a path on this site, else the overview.
    ///
    /// Accepted: printable ASCII (no space, no control character) of at most 2000 bytes that
    /// starts with a single `/`, contains no `//` and no backslash anywhere, and still does so
    /// after percent-decoding (once, twice, … five times): so `%09`, `%0a`, `%0d`, `%5c` or `%2f`
    /// cannot smuggle a tab, line break, backslash or second slash past the check, and decoded
    /// text holds no whitespace or control character of any script. Anything else, an absolute
    /// URL or `javascript:` included, gives `/`. The target returned is `next` as given.
    static func redirectTarget(_ next: String) -> String {
        var bytes = Array(next.utf8)
        guard bytes.count <= 2000, bytes.allSatisfy({ (0x21...0x7E).contains($0) }) else { return "/" }
        for _ in 0..<5 {
            guard sameSitePath(bytes) else { return "/" }
            let decoded = percentDecoded(bytes)
            if decoded == bytes { return next }
            bytes = decoded
        }
        return "/"
    }

    private static func sameSitePath(_ bytes: [UInt8]) -> Bool {
        let slash = UInt8(ascii: "/")
        guard bytes.first == slash else { return false }
        for (i, byte) in bytes.enumerated() {
            if byte < 0x21 || byte == 0x7F || byte == UInt8(ascii: "\\") { return false }
            if byte == slash, i + 1 < bytes.count, bytes[i + 1] == slash { return false }
        }
        // Decoded text beyond ASCII: no whitespace (U+00A0, U+3000 …) and no C1 control.
        if let text = String(validating: bytes, as: UTF8.self) {
            return !text.unicodeScalars.contains { $0.properties.isWhitespace || (0x80...0x9F).contains($0.value) }
        }
        return true
    }

    private static func percentDecoded(_ bytes: [UInt8]) -> [UInt8] {
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    // MARK: Editing the hub's own tasks

    /// Saves an editor's update of the department's report on one of its tasks, from the list of
    /// the department's tasks or (`back=task` in the form) from the task's own page, and goes back
    /// there; a refused update shows that page again with the reason.
    private func updateOwnTask(_ task: String, form: [String: String], node: HubNode, layout: Layout, user: StaffAccounts.Identity, now: UInt64) throws -> WebResponse {
        let pages = Pages(data: DashboardData(node: node, today: PartaNode.isoDate(now), now: now), layout: layout)
        let fromTask = form["back"] == "task"
        func refused(_ message: Message) throws -> WebResponse {
            if fromTask, let page = try pages.task(task, error: message) { return .html(400, page) }
            return .html(400, try pages.ownTasks(saved: nil, error: message))
        }
        guard let status = ReportStatus(rawValue: form["status"] ?? "") else {
            return try refused(Message(en: "Choose a status.", ru: "Выберите статус."))
        }
        let progressText = (form["progress"] ?? "").trimmingCharacters(in: .whitespaces)
        guard progressText.isEmpty || Int(progressText).map({ (0...100).contains($0) }) == true else {
            return try refused(Message(en: "Progress is a whole percentage from 0 to 100.", ru: "Прогресс — целое число процентов от 0 до 100."))
        }
        guard let own = try DashboardData(node: node, today: PartaNode.isoDate(now), now: now).taskRows().first(where: { $0.id == task }),
              own.isOwn else {
            return try refused(Message(en: "This is not one of the department's own tasks; schools report on theirs.",
                                       ru: "Это не задача отдела; о своих задачах отчитываются школы."))
        }
        let comment = String((form["comment"] ?? "").replacingOccurrences(of: "\r\n", with: "\n").prefix(4000))
        do {
            try node.reportOwnTask(task, status: status, progress: Int(progressText), comment: comment, author: user.name, now: now)
        } catch let error as PartaError {
            return try refused(error.message)
        }
        if fromTask { return .redirect("/tasks/" + HTML.segment(task) + "?saved=1#own") }
        return .redirect("/own?saved=" + HTML.segment(task) + "#task-" + HTML.segment(task))
    }

    // MARK: Answers

    private func forbidden(_ layout: Layout, _ message: Message) -> WebResponse {
        .html(403, layout.page(title: layout.t("Not allowed", "Действие запрещено"),
                               body: "<p class=\"error\" role=\"alert\">\(HTML.escape(message.text(in: layout.language)))</p><p><a href=\"/\">\(layout.t("Back to the overview", "К обзору"))</a></p>"))
    }

    private func notFound(_ layout: Layout) -> WebResponse {
        .html(404, layout.page(title: layout.t("Page not found", "Страница не найдена"),
                               body: "<p><a href=\"/\">\(layout.t("Back to the overview", "К обзору"))</a></p>"))
    }

    /// The summary files a municipality sends upward (Protocol/exports-v1.md): `schools.csv`,
    /// `tasks.csv`, `summary.xlsx`; the same bytes as `parta hub report --format csv|xlsx`.
    func export(_ file: String, node: HubNode, language: Language, now: UInt64) throws -> WebResponse? {
        let tables = try node.summaryTables(today: PartaNode.isoDate(now), language: language)
        let stamp = PartaNode.isoDate(now)
        switch file {
        case "schools.csv", "tasks.csv":
            guard let table = tables.first(where: { $0.id + ".csv" == file }) else { return nil }
            return .file(CSVExport.bytes(table), contentType: "text/csv; charset=utf-8", filename: "parta-\(table.id)-\(stamp).csv")
        case "summary.xlsx":
            return .file(XLSXExport.bytes(tables), contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         filename: "parta-summary-\(stamp).xlsx")
        default:
            return nil
        }
    }
}

/// One sign-in's outcome, for the server's log: `ok`, `wrong` (a wrong password or an unknown
/// name), `locked` (refused, or just locked, for too many wrong passwords: the name at this
/// client address, or the address), `busy` (too many checks at once), `cross_site` or
/// `bad_token` (refused before any check). `name` is as typed (not checked to exist); `client`
/// is the address the lockout counts under.
public struct SignInEvent: Sendable, Equatable {
    public let outcome: String
    public let name: String
    public let client: String

    public init(outcome: String, name: String, client: String) {
        self.outcome = outcome
        self.name = name
        self.client = client
    }
}

/// Sign-in attempts by outcome, for `/metrics`.
final class SignInCounters: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func add(_ outcome: String) { counts.withLock { $0[outcome, default: 0] += 1 } }
    func snapshot() -> [(String, Int)] { counts.withLock { $0.sorted { $0.key < $1.key } } }
}
