import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import PartaCore
import PartaApp
@testable import PartaDashboard

/// What the pages show (issue 7, "Pages" and "Charts").
@Suite(.serialized) struct DashboardPagesTests {
    @Test func theOverviewShowsProgressOverdueAndSilentSchools() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.signIn("viewer")
        let page = browser.get("/").text
        #expect(page.contains("Задачи вне решений"))
        #expect(page.contains("МБОУ СОШ № 1"))
        // Due 10 September, not done at either school, and it is the 13th.
        #expect(page.contains("<b class=\"overdue\">2</b>просрочено"))
        // s1's data is 10 days old, s2 never sent anything: both are silent after 7 days, only s2 after 30.
        #expect(page.contains("<b class=\"warn\">2</b>школы без данных дольше 7 дней"))
        #expect(browser.get("/?days=30").text.contains("<b class=\"warn\">1</b>школа без данных дольше 30 дней"))
        try DashboardPagesTests.checkCharts(in: page, expected: 3)
    }

    @Test func theTaskPageShowsEverySchoolAndItsConflicts() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.signIn("viewer")
        let page = browser.get("/tasks/5.1").text
        #expect(page.contains("МБОУ СОШ № 1"))
        #expect(page.contains("МБОУ СОШ № 2"))
        #expect(page.contains("не начато"))
        #expect(page.contains("в работе"))
        #expect(page.contains("60%"))
        #expect(page.contains("Директор: почти готово"))
        #expect(page.contains("Ноутбук директора"))
        // Both computers edited the comment unseen: the earlier one is set aside, and shown.
        #expect(page.contains("комментарий"))
        #expect(browser.get("/tasks/nope").status == 404)
    }

    @Test func theSchoolPageShowsItsComputersAndHowTheirDataCame() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.signIn("viewer")
        let page = browser.get("/schools/s1").text
        #expect(page.contains("ПК секретаря"))
        #expect(page.contains("Ноутбук директора"))
        #expect(page.contains("флешка (файл)"))
        #expect(page.contains("Утвердить программу воспитания"))
        let silent = browser.get("/schools/s2").text
        #expect(silent.contains("нет данных"))
        #expect(browser.get("/schools/zzz").status == 404)
    }

    @Test func anEditorUpdatesTheDepartmentsOwnTask() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.signIn("editor")
        let form = browser.get("/own").text
        #expect(form.contains("<label for=\"status-\(f.ownTask)\">Статус</label>"))
        let r = browser.post("/own/\(f.ownTask)", ["status": "in_progress", "progress": "30", "comment": "Совещание назначено на <пятницу>"])
        #expect(r.status == 303)
        let row = try f.hub.replica.database.rows("SELECT status, progress, comment, author FROM hub_reports WHERE task = ?", [.text(f.ownTask)]).first!
        #expect(row[0].textValue == "in_progress")
        #expect(row[1].integerValue == 30)
        #expect(row[2].textValue == "Совещание назначено на <пятницу>")
        #expect(row[3].textValue == "editor")
        let after = browser.get(r.header("Location")!).text
        #expect(after.contains("Сохранено"))
        #expect(after.contains("Совещание назначено на &lt;пятницу&gt;"))
        // Bad input is refused with a reason and changes nothing.
        let bad = browser.post("/own/\(f.ownTask)", ["status": "done", "progress": "150"])
        #expect(bad.status == 400)
        #expect(bad.text.contains("от 0 до 100"))
        #expect(try f.ownReport()?[0].contains("in_progress") == true)
        // A school's task is not the hub's to report on.
        browser.get("/own")
        let school = browser.post("/own/\(f.schoolTask)", ["status": "done"])
        #expect(school.status == 400)
        #expect(school.text.contains("Это не задача отдела"))
    }

    @Test func pagesSpeakEnglishWhenTheBrowserAsks() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.language = "en-GB,en;q=0.9"
        browser.signIn("viewer")
        let page = browser.get("/").text
        #expect(page.contains("<html lang=\"en\">"))
        #expect(page.contains("Progress by school"))
        #expect(page.contains("Sign out"))
    }

    @Test func pagesAreGzippedForBrowsersThatAcceptIt() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.signIn("viewer")
        let plain = browser.get("/")
        let cookie = browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        let zipped = f.dashboard.handle(WebRequest(method: "GET", target: "/", headers: ["Cookie": cookie, "Accept-Encoding": "gzip, deflate"]))
        #expect(zipped.header("Content-Encoding") == "gzip")
        #expect(Array(zipped.body.prefix(2)) == [0x1f, 0x8b])
        #expect(zipped.body.count * 3 < plain.body.count)
        #expect(plain.header("Content-Encoding") == nil)
    }

    /// Every chart is well-formed SVG with a title and a description for screen readers.
    static func checkCharts(in page: String, expected: Int) throws {
        var rest = Substring(page), count = 0
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            let svg = String(rest[start.lowerBound..<end.upperBound])
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(parser.parse(), "chart \(count) is not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(svg.contains("role=\"img\""))
            #expect(svg.contains("<title id="))
            #expect(svg.contains("<desc id="))
            count += 1
            rest = rest[end.upperBound...]
        }
        #expect(count == expected)
    }
}


extension DashboardPagesTests {
    @Test func exportsAreTheSameFilesAsTheTerminals() throws {
        let f = try DashboardFixture()
        var browser = TestBrowser(f.dashboard)
        browser.signIn("viewer")
        #expect(browser.get("/exports").text.contains("href=\"/export/schools.csv\""))
        let tables = try f.hub.summaryTables(today: PartaNode.isoDate(f.now), language: .ru)
        let csv = browser.get("/export/schools.csv")
        #expect(csv.status == 200)
        #expect(csv.header("Content-Type") == "text/csv; charset=utf-8")
        #expect(csv.header("Content-Disposition") == "attachment; filename=\"parta-schools-2020-09-13.csv\"")
        #expect(csv.body == CSVExport.bytes(tables[0]))
        #expect(Array(csv.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(browser.get("/export/tasks.csv").body == CSVExport.bytes(tables[1]))
        let xlsx = browser.get("/export/summary.xlsx")
        #expect(xlsx.body == XLSXExport.bytes(tables))
        #expect(Array(xlsx.body.prefix(2)) == Array("PK".utf8))
        #expect(browser.get("/export/other.csv").status == 404)
    }
}
