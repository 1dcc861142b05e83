import Foundation
import Testing
import PartaCore
import PartaApp
import PartaTesting
@testable import PartaDashboard

/// The dashboard's counts agree with the demo's, and with their nouns (issue 16, words).
@Suite(.serialized) struct DashboardWordsTests {
    /// The department's own tasks (``PartaNode/isOwnTask(id:level:hasOwnReport:)``): the demo's
    /// figure, the overview's card and the «Задачи отдела» page count the same tasks.
    @Test func theDemoAndTheDashboardCountTheDepartmentsOwnTasksAlike() async throws {
        let dir = TemporaryDirectory("parta-own-tasks"); defer { dir.remove() }
        var lines: [String] = []
        let result = try await PartaDemo.run(in: dir.path, language: .ru) { lines.append($0) }
        let said = try #require(lines.first { $0.contains("собственных задач отдела — ") })
        let match = try #require(said.firstMatch(of: try Regex(#"собственных задач отдела — (\d+), из них (\d+) вместе со школами"#)))
        let demoOwn = try #require(match[1].substring.flatMap { Int($0) }), demoShared = try #require(match[2].substring.flatMap { Int($0) })
        // The August conference: section 2 is the department's alone, section 3 shared with the schools.
        #expect(said.contains("35 задач"), "\(said)")
        #expect(demoOwn == 28 && demoShared == 14, "\(said)")

        let hub = try PartaNode.openHub(directory: dir.file("hub"))
        #expect(try hub.ownTasks().count == demoOwn)
        // `parta tasks` at the hub gives a status to the same tasks.
        #expect(try hub.tasks(today: "2020-09-25").filter { !$0.status.isEmpty }.count == demoOwn)
        try StaffAccounts(node: hub).add(name: "viewer", role: .viewer, password: DashboardFixture.password, now: result.endedAt)
        // The dashboard owns the node from here on.
        let dashboard = try Dashboard(shared: SharedNode(hub), clock: { result.endedAt })
        var browser = TestBrowser(dashboard)
        browser.signIn("viewer")
        let overview = browser.get("/").text
        #expect(overview.contains("собственных задач отдела выполнено 0 из \(demoOwn)"), "\(overview)")
        let own = browser.get("/own").text
        #expect(own.components(separatedBy: "<article class=\"card\" id=\"task-").count - 1 == demoOwn)
    }

    @Test func countsOnThePagesAgreeWithTheirNouns() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.signIn("viewer")
        let overview = browser.get("/").text
        // Two tasks outside resolutions, two assignments to two schools.
        #expect(overview.contains("<b>2</b>задачи"), "\(overview)")
        #expect(overview.contains("2 назначения — 2 школам"), "\(overview)")
        #expect(overview.contains("молчащие дольше 7 дней"))
        #expect(browser.get("/?days=1").text.contains("<b class=\"warn\">2</b>школы без данных дольше 1 дня"))
        #expect(browser.get("/?days=21").text.contains("дольше 21 дня"))
        #expect(overview.contains("10 дней назад"), "\(overview)")   // s1 sent its bundles on 2 September; it is the 13th
        let task = browser.get("/tasks/5.1").text
        #expect(task.contains("<b>2</b>школы"), "\(task)")
        let school = browser.get("/schools/s1").text
        #expect(school.contains("<b>1</b>задача"), "\(school)")
        // The conflict log names the field in words, never a row id or a column.
        let conflicts = browser.get("/conflicts").text
        #expect(conflicts.contains("<td>комментарий</td>"), "\(conflicts)")
        #expect(!conflicts.contains(f.schoolTask + "|") && !conflicts.contains("reported_at"), "\(conflicts)")
        browser.language = "en"
        let english = browser.get("/").text
        #expect(english.contains("<b>2</b>tasks") && english.contains("2 assignments to 2 schools"), "\(english)")
        #expect(browser.get("/schools/s1").text.contains("<b>1</b>task<"))
    }
}
