import Foundation
import Crypto
import PartaCore
import PartaApp

/// The hub's web dashboard: staff sign in and see how the schools progress on their tasks;
/// editors update the hub's own tasks. Russian unless the browser asks for English.
///
/// Guarantees: no page or export without a valid session (only the sign-in page and its style
/// sheet are public); every POST carries the CSRF token of its session (or of the sign-in form)
/// and, if the browser sends `Origin`, comes from this host; only editors write, and only the
/// hub's own reports; everything from schools or documents is HTML-escaped; pages carry a CSP
/// that allows no script at all. Requests run one at a time against the node, shared with the
/// sync server, so a page never shows a sync half-applied.
public final class Dashboard: @unchecked Sendable {
    let shared: SharedNode
    let clock: @Sendable () -> UInt64
    let sessions: Sessions
    /// Schools whose data is older than this many days are "not heard from", unless the page asks otherwise.
    public var silentDays = 7

    /// - Parameter clock: the hub's time in ms (the demo passes its simulated clock).
    public init(shared: SharedNode, clock: @escaping @Sendable () -> UInt64) throws {
        self.shared = shared
        self.clock = clock
        sessions = Sessions(key: try shared.withNode { try StaffAccounts(node: $0).sessionKey() })
    }

    /// Answers one request; text answers are gzipped for a browser that accepts it.
    public func handle(_ request: WebRequest) -> WebResponse {
        var response = answer(request)
        if response.body.count > 1024, (request.headers["accept-encoding"] ?? "").contains("gzip"),
           response.header("Content-Type")?.hasPrefix("text/") == true, let zipped = Deflate.compress(response.body, format: .gzip) {
            response.body = zipped
            response.headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        }
        return response
    }

    private func answer(_ request: WebRequest) -> WebResponse {
        let language: Language = (request.headers["accept-language"] ?? "ru").lowercased().hasPrefix("en") ? .en : .ru
        let now = clock()
        // A password check takes tens of milliseconds of scrypt: it runs without the node, so
        // sign-ins (wrong ones too) never hold up the schools' syncs.
        var checked: (StaffAccounts.SignInAttempt, Bool)?
        if request.method == "POST", request.path == "/login", let name = request.form["name"] {
            let attempt = try? shared.withNode { try StaffAccounts(node: $0).beginSignIn(name: name, now: now) }
            if let attempt { checked = (attempt, attempt.check(request.form["password"] ?? "")) }
        }
        return shared.withNode { node in
            do {
                return try route(request, node: node, language: language, now: now, checked: checked)
            } catch {
                let message = (error as? PartaError)?.message ?? (error as? DashboardError)?.message
                    ?? Message(en: "The page could not be made: \(error)", ru: "Не удалось построить страницу: \(error)")
                let layout = Layout(language: language, user: nil, csrf: nil, hubName: (try? hubName(node)) ?? "")
                return .html(500, layout.page(title: layout.t("Something went wrong", "Что-то пошло не так"),
                                              body: "<p class=\"error\">\(HTML.escape(message.text(in: language)))</p><p><a href=\"/\">\(layout.t("Back to the overview", "К обзору"))</a></p>"))
            }
        }
    }

    /// Who is signed in, from the session cookie; nil if nobody (or the session is void).
    struct Visitor {
        var user: StaffAccounts.Identity
        var csrf: String
    }

    func visitor(_ request: WebRequest, accounts: StaffAccounts, now: UInt64) throws -> Visitor? {
        guard let cookie = request.cookies[Sessions.cookieName], let session = sessions.read(cookie, now: now),
              let user = try accounts.identity(session.name), user.epoch == session.epoch else { return nil }
        return Visitor(user: user, csrf: sessions.csrfToken(for: session))
    }

    private func route(_ request: WebRequest, node: PartaNode, language: Language, now: UInt64,
                       checked: (StaffAccounts.SignInAttempt, Bool)?) throws -> WebResponse {
        let accounts = try StaffAccounts(node: node)
        let segments = request.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let layoutBase = Layout(language: language, user: nil, csrf: nil, hubName: try hubName(node))
        if request.method == "GET" && segments == ["style.css"] {
            return WebResponse(status: 200, headers: [("Content-Type", "text/css; charset=utf-8"), ("Cache-Control", "max-age=3600")], body: Array(Layout.css.utf8))
        }
        if request.method == "POST", let origin = request.headers["origin"], let host = request.headers["host"],
           origin != "http://\(host)" && origin != "https://\(host)" {
            return forbidden(layoutBase, Message(en: "The form was sent from another site; nothing was changed.",
                                                 ru: "Форма отправлена с другого сайта; ничего не изменено."))
        }
        if segments == ["login"] {
            return request.method == "POST" ? try login(request, accounts: accounts, layout: layoutBase, now: now, checked: checked)
                                            : loginPage(request, layout: layoutBase, error: nil, status: 200)
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
            guard Sessions.tokensMatch(request.form["csrf"], visitor.csrf) else {
                return forbidden(layout, Message(en: "The form's security token is missing or out of date; reload the page and try again. Nothing was changed.",
                                                 ru: "У формы нет действительного ключа безопасности; обновите страницу и попробуйте снова. Ничего не изменено."))
            }
            switch segments {
            case ["logout"]:
                try accounts.endSessions(of: visitor.user.name)
                return .redirect("/login", extraHeaders: [("Set-Cookie", "\(Sessions.cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict")])
            case let s where s.count == 2 && s[0] == "own":
                guard visitor.user.role == .editor else {
                    return forbidden(layout, Message(en: "Only an editor can change the department's tasks; your account can view them.",
                                                     ru: "Изменять задачи отдела может только редактор; ваша учётная запись — только для просмотра."))
                }
                return try updateOwnTask(s[1], form: request.form, node: node, layout: layout, user: visitor.user, now: now)
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
        case let s where s.count == 2 && s[0] == "tasks": return try pages.task(s[1]).map { .html(200, $0) } ?? notFound(layout)
        case let s where s.count == 2 && s[0] == "schools": return try pages.school(s[1]).map { .html(200, $0) } ?? notFound(layout)
        case ["conflicts"]: return .html(200, try pages.conflictLog())
        case ["own"]: return .html(200, try pages.ownTasks(saved: request.query["saved"], error: nil))
        case ["exports"]: return .html(200, pages.exports())
        case let s where s.count == 2 && s[0] == "export": return try export(s[1], node: node, language: language, now: now) ?? notFound(layout)
        default: return notFound(layout)
        }
    }

    func hubName(_ node: PartaNode) throws -> String {
        try node.replica.database.scalar("SELECT name FROM nodes WHERE id = ?", [.text(node.replica.nodeID)])?.textValue ?? node.replica.nodeID
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
                     extraHeaders: existing == nil ? [("Set-Cookie", "\(Sessions.loginCookieName)=\(cookie); Path=/login; HttpOnly; SameSite=Strict")] : [])
    }

    private func login(_ request: WebRequest, accounts: StaffAccounts, layout: Layout, now: UInt64,
                       checked: (StaffAccounts.SignInAttempt, Bool)?) throws -> WebResponse {
        let form = request.form
        guard let cookie = request.cookies[Sessions.loginCookieName],
              Sessions.tokensMatch(form["csrf"], sessions.csrfToken(forLoginCookie: cookie)) else {
            return loginPage(request, layout: layout, error: Message(
                en: "The sign-in form was out of date; please try again.", ru: "Форма входа устарела; попробуйте ещё раз."), status: 403)
        }
        do {
            // The password was checked before the node was taken; a locked account was refused then (checked is nil).
            let user = try checked.map { try accounts.finishSignIn($0.0, passwordMatches: $0.1, now: now) }
                ?? accounts.signIn(name: form["name"] ?? "", password: form["password"] ?? "", now: now)
            let next = form["next"] ?? ""
            let target = next.hasPrefix("/") && !next.hasPrefix("//") && !next.contains("\\") ? next : "/"
            return .redirect(target, extraHeaders: [
                ("Set-Cookie", "\(Sessions.cookieName)=\(sessions.issue(name: user.name, epoch: user.epoch, now: now)); Path=/; HttpOnly; SameSite=Strict"),
            ])
        } catch let error as DashboardError {
            return loginPage(request, layout: layout, error: error.message, status: error.code == .lockedOut ? 429 : 401)
        }
    }

    // MARK: Editing the hub's own tasks

    private func updateOwnTask(_ task: String, form: [String: String], node: PartaNode, layout: Layout, user: StaffAccounts.Identity, now: UInt64) throws -> WebResponse {
        let pages = Pages(data: DashboardData(node: node, today: PartaNode.isoDate(now), now: now), layout: layout)
        guard let status = ReportStatus(rawValue: form["status"] ?? "") else {
            return .html(400, try pages.ownTasks(saved: nil, error: Message(en: "Choose a status.", ru: "Выберите статус.")))
        }
        let progressText = (form["progress"] ?? "").trimmingCharacters(in: .whitespaces)
        guard progressText.isEmpty || Int(progressText).map({ (0...100).contains($0) }) == true else {
            return .html(400, try pages.ownTasks(saved: nil, error: Message(
                en: "Progress is a whole percentage from 0 to 100.", ru: "Прогресс — целое число процентов от 0 до 100.")))
        }
        guard let own = try DashboardData(node: node, today: PartaNode.isoDate(now), now: now).taskRows().first(where: { $0.id == task }),
              own.isOwn else {
            return .html(400, try pages.ownTasks(saved: nil, error: Message(
                en: "This is not one of the department's own tasks; schools report on theirs.",
                ru: "Это не задача отдела; о своих задачах отчитываются школы.")))
        }
        let comment = String((form["comment"] ?? "").replacingOccurrences(of: "\r\n", with: "\n").prefix(4000))
        do {
            try node.reportOwnTask(task, status: status, progress: Int(progressText), comment: comment, author: user.name, now: now)
        } catch let error as PartaError {
            return .html(400, try pages.ownTasks(saved: nil, error: error.message))
        }
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
    func export(_ file: String, node: PartaNode, language: Language, now: UInt64) throws -> WebResponse? {
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
