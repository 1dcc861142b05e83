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

    @Test func repeatedWrongPasswordsLockTheAccountThenItOpensAgain() throws {
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
        #expect(locking.status == 429)
        #expect(locking.text.contains("заблокирован"))
        // Now even the right password is refused, and no session is given.
        let refused = browser.signIn("editor")
        #expect(refused.status == 429)
        #expect(browser.cookies["parta_session"] == nil)
        #expect(try StaffAccounts(node: f.hub).list().first { $0.name == "editor" }!.lockedUntil > Int64(f.now))
        // The other account is not affected.
        var other = TestBrowser(f.dashboard)
        #expect(other.signIn("viewer").status == 303)
        f.now += StaffAccounts.lockDuration + 1
        #expect(browser.signIn("editor").status == 303)
        #expect(browser.get("/").status == 200)
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
