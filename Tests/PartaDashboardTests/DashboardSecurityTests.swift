import Foundation
import Testing
import PartaCore
import PartaApp
@testable import PartaDashboard

/// The dashboard's promises about who sees and changes what (issue 7, "Security tests").
@Suite(.serialized) struct DashboardSecurityTests {
    static let pages = ["/", "/own", "/conflicts", "/exports", "/resolutions/-", "/schools/s1", "/export/schools.csv", "/export/summary.xlsx"]

    @Test func noPageOrExportWithoutSigningIn() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        for page in DashboardSecurityTests.pages + ["/tasks/\(f.schoolTask)"] {
            let r = browser.get(page)
            #expect(r.status == 303, "\(page)")
            #expect(r.header("Location")?.hasPrefix("/login") == true, "\(page)")
            #expect(!r.text.contains("СОШ"), "\(page)")
        }
        #expect(browser.post("/own/\(f.ownTask)", ["status": "done"]).status == 401)
        #expect(try f.ownReport() == nil)
        #expect(browser.get("/login").status == 200)
        #expect(browser.get("/style.css").status == 200)
    }

    @Test func aForgedOrExpiredSessionCookieIsNoSession() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        #expect(browser.signIn("viewer").status == 303)
        #expect(browser.get("/").status == 200)
        let good = browser.cookies["parta_session"]!
        // Another name in the payload, the same signature.
        let parts = good.split(separator: ".").map(String.init)
        let payload = String(decoding: Base64URL.decode(parts[0])!, as: UTF8.self).replacingOccurrences(of: "viewer|", with: "editor|")
        browser.cookies["parta_session"] = Base64URL.encode(Array(payload.utf8)) + "." + parts[1]
        #expect(browser.get("/").status == 303)
        browser.cookies["parta_session"] = good
        f.now += Sessions.lifetime + 1
        #expect(browser.get("/").status == 303)
    }

    @Test func repeatedWrongPasswordsLockTheNameAtThatAddressThenItOpensAgain() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        let unknown = browser.signIn("nobody", "whatever1")
        #expect(unknown.status == 401)
        let unknownMessage = browser.lastPage
        for attempt in 1..<StaffAccounts.maxFailures {
            let r = browser.signIn("editor", "wrong password \(attempt)")
            #expect(r.status == 401)
            // The same words for a wrong password as for an unknown name.
            #expect(r.text.contains("Неверное имя пользователя или пароль"))
        }
        #expect(unknownMessage.contains("Неверное имя пользователя или пароль"))
        let locking = browser.signIn("editor", "wrong again")
        #expect(locking.status == 401)
        // Now even the right password is refused from this address, and no session is given.
        let checks = f.dashboard.passwordChecks.checksRun
        let refused = browser.signIn("editor")
        #expect(refused.status == 401)
        #expect(browser.cookies["parta_session"] == nil)
        #expect(f.dashboard.passwordChecks.checksRun == checks, "a locked pair is refused before any scrypt")
        #expect(try StaffAccounts(node: f.hub).list().first { $0.name == "editor" }!.lockedUntil > Int64(f.now))
        // The other account is not affected.
        var other = TestBrowser(f.dashboard)
        #expect(other.signIn("viewer").status == 303)
        f.now += StaffAccounts.lockDuration + 1
        #expect(browser.signIn("editor").status == 303)
        #expect(browser.get("/").status == 200)
    }

    @Test func aStrangerAtAnotherAddressCannotLockStaffOut() throws {
        let f = try DashboardFixture()
        var stranger = TestBrowser(f.dashboard)
        stranger.address = "203.0.113.66"
        for attempt in 0..<(StaffAccounts.maxFailures * 2) { stranger.signIn("editor", "guess \(attempt)") }
        #expect(stranger.signIn("editor").status == 401, "locked for the stranger's address, even with the right password")
        var staff = TestBrowser(f.dashboard)
        staff.address = "192.0.2.10"
        #expect(staff.signIn("editor").status == 303)
        #expect(staff.get("/").status == 200)
    }

    @Test func aLockedOrUnknownNameAnswersExactlyAsAWrongPassword() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        /// The answer without what differs per request anyway (the form's token).
        func shape(_ r: WebResponse) -> String {
            "\(r.status) " + r.text.replacingOccurrences(of: #"name="csrf" value="[^"]*""#, with: "", options: .regularExpression)
        }
        let wrong = shape(browser.signIn("editor", "wrong password"))
        var checks = f.dashboard.passwordChecks.checksRun
        let unknown = shape(browser.signIn("nobody", "wrong password"))
        #expect(unknown == wrong)
        // An unknown name costs a password check (a dummy hash), so it takes as long.
        #expect(f.dashboard.passwordChecks.checksRun == checks + 1)
        // Unknown names lock the same way, so a lock tells nothing about a name either.
        for _ in 0..<StaffAccounts.maxFailures { browser.signIn("editor", "x"); browser.signIn("nobody", "x") }
        checks = f.dashboard.passwordChecks.checksRun
        #expect(shape(browser.signIn("editor")) == wrong)
        #expect(shape(browser.signIn("nobody")) == wrong)
        #expect(f.dashboard.passwordChecks.checksRun == checks)
        #expect(!browser.lastPage.contains("заблокирован"))
    }

    @Test func oneAddressTryingManyNamesIsStoppedForEveryName() throws {
        let f = try DashboardFixture()
        var sprayer = TestBrowser(f.dashboard)
        for i in 0..<StaffAccounts.maxFailuresPerAddress { #expect(sprayer.signIn("name\(i)", "guess").status == 401) }
        let checks = f.dashboard.passwordChecks.checksRun
        #expect(sprayer.signIn("viewer").status == 401)
        #expect(sprayer.signIn("someone-new", "guess").status == 401)
        #expect(f.dashboard.passwordChecks.checksRun == checks)
        var elsewhere = TestBrowser(f.dashboard)
        elsewhere.address = "198.51.100.7"
        #expect(elsewhere.signIn("viewer").status == 303)
    }

    @Test func addingTheAccountAgainWithReplaceClearsItsLockout() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        for _ in 0..<StaffAccounts.maxFailures { browser.signIn("editor", "wrong password") }
        #expect(browser.signIn("editor").status == 401)
        try StaffAccounts(node: f.hub).add(name: "editor", role: .editor, password: "a new password", replace: true, now: f.now)
        #expect(browser.signIn("editor", "a new password").status == 303)
    }

    @Test func signInChecksOriginAndTokenBeforeAnyPasswordCheck() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.get("/login")
        let right = ["name": "editor", "password": DashboardFixture.password]
        #expect(browser.post("/login", right.merging(["csrf": "forged"]) { $1 }).status == 403)
        #expect(browser.post("/login", right, withToken: false).status == 403)
        browser.origin = "http://evil.example"
        #expect(browser.post("/login", right).status == 403)
        browser.origin = "null"
        #expect(browser.post("/login", right).status == 403)
        browser.origin = nil
        browser.extraHeaders = ["Sec-Fetch-Site": "cross-site"]
        #expect(browser.post("/login", right).status == 403)
        // The same path spelled otherwise is the same sign-in, with the same checks.
        browser.extraHeaders = [:]
        #expect(browser.post("/login/", right.merging(["csrf": "forged"]) { $1 }).status == 403)
        #expect(browser.post("/%6Cogin", right.merging(["csrf": "forged"]) { $1 }).status == 403)
        var stranger = TestBrowser(f.dashboard)
        #expect(stranger.post("/login", right).status == 403, "no sign-in cookie, no token")
        #expect(f.dashboard.passwordChecks.checksRun == 0)
        #expect(browser.cookies["parta_session"] == nil)
        #expect(f.dashboard.metricsText().contains("parta_dashboard_password_checks_total 0"))
        browser.extraHeaders = ["Sec-Fetch-Site": "same-origin"]
        browser.origin = "http://hub.test"
        #expect(browser.signIn("editor").status == 303)
        #expect(f.dashboard.passwordChecks.checksRun == 1)
        #expect(f.dashboard.metricsText().contains("parta_dashboard_password_checks_total 1"))
        #expect(f.dashboard.metricsText().contains(#"parta_dashboard_signins_total{outcome="bad_token"} 5"#))
    }

    @Test func aSignInRefusedForTooManyChecksAtOnceIsA503WithRetryAfter() throws {
        // Every check "waits too long": the queue answers busy at once.
        let f = try DashboardFixture(passwordChecks: PasswordChecks(concurrency: 1, queueLimit: 0, maxWait: -1))
        var browser = TestBrowser(f.dashboard)
        let r = browser.signIn("editor")
        #expect(r.status == 503)
        #expect(r.header("Retry-After") == "5")
        #expect(browser.cookies["parta_session"] == nil)
        #expect(f.dashboard.passwordChecks.checksRun == 0)
        #expect(f.dashboard.passwordChecks.refused == 1)
        // A refusal is no wrong password: it counts toward no lock.
        #expect(try StaffAccounts(node: f.hub).list().allSatisfy { $0.lockedUntil == 0 })
    }

    @Test func passwordChecksRunAFewAtATimeOnTheirOwnThreadsAndRefuseTheRestWhenFull() async throws {
        let checks = PasswordChecks(concurrency: 1, queueLimit: 1, maxWait: 30)
        let release = DispatchSemaphore(value: 0)
        // `@unchecked`: every field is read and written under `lock`, by the checks' threads and the test.
        final class Seen: @unchecked Sendable { let lock = NSLock(); var names: [String] = []; var running = 0, most = 0 }
        let seen = Seen()
        let work: @Sendable () -> Bool = {
            seen.lock.withLock { seen.names.append(DashboardSecurityTests.currentThreadName()); seen.running += 1; seen.most = max(seen.most, seen.running) }
            release.wait()
            seen.lock.withLock { seen.running -= 1 }
            return true
        }
        async let first = checks.run(client: "10.0.0.1", work)
        async let second = checks.run(client: "10.0.0.2", work)
        // Whatever happens below, the held checks end (before the async lets are awaited at the end).
        defer { for _ in 0..<3 { release.signal() } }
        // One runs, one waits; a third finds the queue full and is refused at once.
        let deadline = Date().addingTimeInterval(30)
        while seen.lock.withLock({ seen.names.count }) < 1 || checks.waiting < 1 {
            try #require(Date() < deadline, "one check running and one waiting")
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(await checks.run(client: "10.0.0.3", work) == nil)
        release.signal()
        release.signal()
        #expect(await first == true)
        #expect(await second == true)
        #expect(seen.most == 1)
        #expect(seen.names == [PasswordChecks.threadName, PasswordChecks.threadName])
        #expect(checks.checksRun == 2)
        #expect(checks.refused == 1)
    }

    @Test func oneFloodingAddressHoldsTwoPlacesAndAnotherAddressIsStillChecked() async throws {
        let checks = PasswordChecks(concurrency: 1, queueLimit: 4, maxWait: 30)
        let release = DispatchSemaphore(value: 0)
        let work: @Sendable () -> Bool = { release.wait(); return true }
        async let first = checks.run(client: "203.0.113.9", work)
        async let second = checks.run(client: "203.0.113.9", work)
        defer { for _ in 0..<4 { release.signal() } }
        let deadline = Date().addingTimeInterval(30)
        while checks.waiting < 1 {
            try #require(Date() < deadline, "one check running and one waiting")
            try await Task.sleep(for: .milliseconds(5))
        }
        // The flooder's third and fourth are refused at once, though the queue has room...
        #expect(await checks.run(client: "203.0.113.9", work) == nil)
        #expect(await checks.run(client: "203.0.113.9", work) == nil)
        // ...which a sign-in from the office's address takes.
        async let staff = checks.run(client: "192.0.2.10", work)
        for _ in 0..<3 { release.signal() }
        #expect(await staff == true)
        #expect(await first == true)
        #expect(await second == true)
        #expect(checks.refused == 2)
        // Once its checks ended, the address is served again.
        release.signal()
        #expect(await checks.run(client: "203.0.113.9", work) == true)
    }

    static func currentThreadName() -> String {
        ((try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .newlines)
    }

    @Test func aSessionOfARemovedAccountStaysVoidWhenTheNameIsAddedAgain() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        #expect(browser.signIn("viewer").status == 303)
        #expect(browser.get("/").status == 200)
        let accounts = try StaffAccounts(node: f.hub)
        try accounts.remove(name: "viewer")
        #expect(browser.get("/").status == 303)
        try accounts.add(name: "viewer", role: .editor, password: DashboardFixture.password, now: f.now)
        #expect(browser.get("/").status == 303, "the old cookie does not come back to life, with the new role or any")
        browser.get("/login")
        #expect(browser.post("/own/\(f.ownTask)", ["status": "done"]).status == 401)
        #expect(try f.ownReport() == nil)
    }

    @Test func aNewPasswordOrRoleEndsTheAccountsSessions() throws {
        let f = try DashboardFixture()
        let accounts = try StaffAccounts(node: f.hub)
        var browser = TestBrowser(f.dashboard)
        browser.signIn("viewer")
        try accounts.add(name: "viewer", role: .editor, password: DashboardFixture.password, replace: true, now: f.now)
        #expect(browser.get("/").status == 303, "a new role")
        browser.signIn("viewer")
        #expect(browser.get("/").status == 200)
        try accounts.add(name: "viewer", role: .editor, password: "another password", replace: true, now: f.now)
        #expect(browser.get("/").status == 303, "a new password")
    }

    @Test func aDatabaseFromBeforeGenerationsOpensAndItsOldSessionsEnd() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.signIn("editor")
        // The table as an earlier Parta made it: no generation column; a cookie carrying its epoch.
        let db = f.hub.replica.database
        try db.execute("""
            CREATE TABLE old_staff AS SELECT name, role, password, failures, locked_until, epoch, created_at FROM dashboard_staff;
            DROP TABLE dashboard_staff;
            CREATE TABLE dashboard_staff (
                name TEXT PRIMARY KEY NOT NULL, role TEXT NOT NULL, password TEXT NOT NULL,
                failures INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,
                epoch INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL) WITHOUT ROWID;
            INSERT INTO dashboard_staff SELECT * FROM old_staff;
            DROP TABLE old_staff;
            """)
        // Such a replica records no local version: the store upgrades its local tables (adds the
        // column) when this release opens it, as at the first start after an update.
        try db.run("DELETE FROM parta_meta WHERE key = 'local_schema_version'")
        _ = try PartaNode.openHub(directory: f.hub.dataDirectory)
        let oldCookie = Sessions(key: try StaffAccounts(node: f.hub).sessionKey()).issue(name: "editor", generation: "0", now: f.now)
        let accounts = try StaffAccounts(node: f.hub)
        let generations = try db.rows("SELECT generation FROM dashboard_staff").compactMap { $0[0].textValue }
        #expect(generations.count == 2 && generations.allSatisfy { $0.count == 32 } && Set(generations).count == 2)
        #expect(try accounts.identity("editor")?.role == .editor)
        #expect(browser.get("/").status == 303, "sessions from before the upgrade end once")
        var old = TestBrowser(f.dashboard)
        old.cookies["parta_session"] = oldCookie
        #expect(old.get("/").status == 303)
        #expect(browser.signIn("editor").status == 303)
        #expect(browser.get("/").status == 200)
        // Opening again changes nothing.
        _ = try StaffAccounts(node: f.hub)
        #expect(browser.get("/").status == 200)
    }

    static let hostileNext = [
        "/%09/evil.example", "/\t/evil.example", "//evil.example", "///evil.example", "/\\evil.example", "/%5cevil.example",
        "/%5Cevil.example", "/%2f/evil.example", "/%2F%2Fevil.example", "/%252f%252fevil.example", "/%0a/evil.example",
        "/%0d%0aSet-Cookie:x=1", "/\n/evil.example", "/ /evil.example", "/%20/evil.example", "https://evil.example/",
        "http:/evil.example", "javascript:alert(1)", "evil.example", "", " /", "/%e3%80%80/evil.example", "/%c2%85x",
        "/%00", "/x\u{7f}", "/схема", "\\/evil.example", "/.\\evil.example", "/%2509/evil.example",
    ]

    @Test(arguments: hostileNext) func aHostileNextGoesToTheOverview(_ next: String) {
        #expect(Dashboard.redirectTarget(next) == "/", "\(next.debugDescription)")
    }

    @Test func aNextOnThisSiteIsKept() {
        for next in ["/", "/tasks/t7-k3m9x2pq", "/own?saved=t1#task-t1", "/schools/%D1%88%D0%BA", "/?days=14", "/a/b/../c", "/%25"] {
            #expect(Dashboard.redirectTarget(next) == next, "\(next)")
        }
    }

    @Test func signingInFromALinkWithAHostileNextLandsOnTheOverview() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        // The attacker's link: the query is decoded once into the form's hidden field.
        browser.get("/login?next=/%09/evil.example")
        #expect(browser.lastPage.contains("name=\"next\" value=\"/\t/evil.example\""))
        let r = browser.post("/login", ["name": "viewer", "password": DashboardFixture.password, "next": "/\t/evil.example"])
        #expect(r.status == 303)
        #expect(r.header("Location") == "/")
        browser.cookies["parta_session"] = nil
        browser.get("/login?next=%2Fschools%2Fs1")
        #expect(browser.post("/login", ["name": "viewer", "password": DashboardFixture.password, "next": "/schools/s1"]).header("Location") == "/schools/s1")
    }

    @Test func everyFormNeedsItsSessionsToken() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        // The sign-in form itself: without the token of its cookie, nobody signs in.
        browser.get("/login")
        #expect(browser.post("/login", ["name": "editor", "password": DashboardFixture.password, "csrf": "forged"]).status == 403)
        #expect(browser.cookies["parta_session"] == nil)
        browser.signIn("editor")
        browser.get("/own")
        let form = ["status": "done", "progress": "100", "comment": "Проведено"]
        #expect(browser.post("/own/\(f.ownTask)", form, withToken: false).status == 403)
        #expect(browser.post("/own/\(f.ownTask)", form.merging(["csrf": ""]) { $1 }).status == 403)
        // Another session's token is not this session's.
        var other = TestBrowser(f.dashboard)
        other.signIn("editor")
        other.get("/own")
        #expect(browser.post("/own/\(f.ownTask)", form.merging(["csrf": other.csrf!]) { $1 }).status == 403)
        // A form posted from another site is refused even with a token.
        browser.origin = "http://evil.example"
        #expect(browser.post("/own/\(f.ownTask)", form).status == 403)
        #expect(try f.ownReport() == nil)
        browser.origin = "http://hub.test"
        browser.get("/own")
        #expect(browser.post("/own/\(f.ownTask)", form).status == 303)
        #expect(try f.ownReport()?.first == "'done'" || f.ownReport()?.first == "done")
    }

    @Test func aViewerSeesButCannotEdit() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.signIn("viewer")
        let page = browser.get("/own")
        #expect(page.status == 200)
        #expect(page.text.contains("Провести совещание"))
        #expect(!page.text.contains("action=\"/own/"))
        let r = browser.post("/own/\(f.ownTask)", ["status": "done"])
        #expect(r.status == 403)
        #expect(r.text.contains("только редактор") || r.text.contains("может только редактор"))
        #expect(try f.ownReport() == nil)
    }

    @Test func htmlFromSchoolsIsShownAsText() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.signIn("viewer")
        for page in ["/tasks/\(f.schoolTask)", "/schools/s1", "/conflicts", "/"] {
            let r = browser.get(page)
            #expect(r.status == 200, "\(page)")
            #expect(!r.text.lowercased().contains("<script"), "\(page)")
            #expect(r.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
        }
        let task = browser.get("/tasks/\(f.schoolTask)").text
        #expect(task.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;кавычки&quot;") || task.contains("Директор: почти готово"))
        let conflicts = browser.get("/conflicts").text
        #expect(conflicts.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
    }

    @Test func signingOutEndsTheSession() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.signIn("editor")
        browser.get("/")
        let cookie = browser.cookies["parta_session"]!
        #expect(browser.post("/logout", [:]).status == 303)
        var replay = TestBrowser(f.dashboard)
        replay.cookies["parta_session"] = cookie
        #expect(replay.get("/").status == 303)
    }

    @Test func passwordsAreStoredAsScryptHashesOnly() throws {
        let f = try DashboardFixture()
        let stored = try f.hub.replica.database.rows("SELECT password FROM dashboard_staff").compactMap { $0[0].textValue }
        #expect(stored.count == 2)
        for s in stored {
            #expect(s.hasPrefix("scrypt$15$8$1$"))
            #expect(!s.contains(DashboardFixture.password))
        }
        #expect(stored[0] != stored[1], "salted: the same password hashes differently")
        #expect(StaffAccounts.verify(password: DashboardFixture.password, stored: stored[0]))
        #expect(!StaffAccounts.verify(password: "correct horsE", stored: stored[0]))
        #expect { try StaffAccounts(node: f.hub).add(name: "x", role: .viewer, password: "short", now: 0) } throws: {
            ($0 as? DashboardError)?.code == .invalidArgument
        }
    }
}
