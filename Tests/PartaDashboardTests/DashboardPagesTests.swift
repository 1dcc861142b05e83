import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import PartaCore
import PartaApp
import PartaTesting
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

    /// The department's own task (issue 16): its page shows the department's status, not an
    /// empty table of schools, and an editor updates it there.
    @Test func theDepartmentsOwnTaskPageShowsItsStatusAndAnEditorUpdatesItThere() throws {
        let f = try DashboardFixture()
        var viewer = TestBrowser(f.dashboard)
        viewer.signIn("viewer")
        let seen = viewer.get("/tasks/\(f.ownTask)").text
        #expect(seen.contains("<h2 id=\"own-h\">Работа отдела</h2>"))
        #expect(seen.contains("не начато") && seen.contains("ещё нет отчёта"))
        #expect(seen.contains("не назначена ни одной школе"))
        #expect(!seen.contains("<h2>Школы</h2>") && !seen.contains("<table"))
        // A viewer sees it but gets no form, and a post of hers changes nothing.
        #expect(!seen.contains("action=\"/own/") && seen.contains("обновлять может редактор"))
        #expect(viewer.post("/own/\(f.ownTask)", ["status": "done", "back": "task"]).status == 403)
        #expect(try f.ownReport() == nil)

        var editor = TestBrowser(f.dashboard)
        editor.signIn("editor")
        let page = editor.get("/tasks/\(f.ownTask)").text
        #expect(page.contains("<form method=\"post\" action=\"/own/\(f.ownTask)\" class=\"stack\"><input type=\"hidden\" name=\"csrf\" value=\""))
        #expect(page.contains("<input type=\"hidden\" name=\"back\" value=\"task\">"))
        // A form sent from another site, or without the page's token, is refused.
        editor.origin = "http://evil.example"
        #expect(editor.post("/own/\(f.ownTask)", ["status": "done", "back": "task"]).status == 403)
        editor.origin = "http://hub.test"
        #expect(editor.post("/own/\(f.ownTask)", ["status": "done", "back": "task", "csrf": "forged"]).status == 403)
        #expect(try f.ownReport() == nil)

        editor.get("/tasks/\(f.ownTask)")
        let saved = editor.post("/own/\(f.ownTask)", ["status": "in_progress", "progress": "30", "comment": "Совещание <в пятницу>", "back": "task"])
        #expect(saved.status == 303)
        #expect(saved.header("Location") == "/tasks/\(f.ownTask)?saved=1#own")
        #expect(try f.ownReport()?.prefix(2).joined(separator: " ").contains("in_progress") == true)
        let after = editor.get(saved.header("Location")!).text
        #expect(after.contains("Сохранено"))
        #expect(after.contains("в работе") && after.contains("30%") && after.contains("Совещание &lt;в пятницу&gt;"))
        #expect(after.contains("editor, "))
        // Bad input: the task page again, with the reason, and nothing changed.
        let bad = editor.post("/own/\(f.ownTask)", ["status": "done", "progress": "150", "back": "task"])
        #expect(bad.status == 400)
        #expect(bad.text.contains("от 0 до 100") && bad.text.contains("Работа отдела"))
        #expect(try f.ownReport()?.first?.contains("in_progress") == true)
        // The viewer now reads what the editor wrote.
        #expect(viewer.get("/tasks/\(f.ownTask)").text.contains("Совещание &lt;в пятницу&gt;"))
    }

    @Test func aTaskForTheDepartmentAndSchoolsShowsBoth() throws {
        let f = try DashboardFixture()
        var both = PartaNode.NewTask(title: "Провести мониторинг программ воспитания")
        both.number = "2.4"; both.level = "municipal"; both.deadline = "2020-11-01"
        let id = try f.hub.addTask(both, assignTo: ["s1"], now: testMilliseconds(year: 2020, month: 9, day: 5))
        var browser = TestBrowser(f.dashboard)
        browser.signIn("editor")
        let page = browser.get("/tasks/\(id)").text
        #expect(page.contains("Работа отдела") && page.contains("action=\"/own/\(id)\""))
        #expect(page.contains("<h2>Школы</h2>") && page.contains("МБОУ СОШ № 1") && !page.contains("МБОУ СОШ № 2"))
        // A school's task has no department section.
        let school = browser.get("/tasks/\(f.schoolTask)").text
        #expect(!school.contains("Работа отдела") && !school.contains("action=\"/own/"))
    }

    /// Charts fit any width (issue 16): no viewBox to shrink their text, positions in percent,
    /// a bar's label cut to leave room for its note, and past 12 months every other month's
    /// name marked for a phone to leave out.
    @Test func chartsAreFluidAndTheirTextsFitAPhone() throws {
        let long = String(repeating: "Муниципальное бюджетное ", count: 4)
        let bars = Charts.stackedBars(id: "b", title: "T", description: "D",
                                      bars: [Charts.StackedBar(label: long, link: "/schools/x", parts: [(3, Charts.done), (1, Charts.new)], note: "9 дн. назад · флешка")],
                                      legend: [("выполнено", Charts.done), ("в работе", Charts.inProgress), ("есть препятствия", Charts.blocked), ("не начато", Charts.new)])
        #expect(bars.contains("width=\"100%\"") && !bars.contains("viewBox"))
        #expect(bars.contains("<rect x=\"0%\" y=") && bars.contains("width=\"75%\""))
        let shown = try #require(bars.components(separatedBy: "<text x=\"0\" y=\"").dropFirst().last?.split(separator: ">", maxSplits: 1).last?.prefix { $0 != "<" })
        #expect(shown.count + "9 дн. назад · флешка".count + 2 <= Int(Charts.narrowest / Charts.characterWidth) && shown.hasSuffix("…"), "\(shown)")
        #expect(bars.contains("<title>\(long)</title>"))
        // The legend takes two rows within the narrowest width.
        #expect(bars.contains("<text x=\"17\" y=\"34\">не начато</text>"), "\(bars)")
        let months = (0..<14).map { i in Charts.Column(label: "м\(i)", year: i == 0 || i == 5 ? "202\(i == 0 ? 0 : 1)" : "", parts: [(i, Charts.done)]) }
        let columns = Charts.columns(id: "c", title: "T", description: "D", columns: months, legend: [("выполнено", Charts.done)])
        #expect(columns.components(separatedBy: "class=\"minor\"").count - 1 == 7)
        #expect(columns.contains(">2020</text>") && columns.contains(">2021</text>"))
        try DashboardPagesTests.checkCharts(in: bars + columns, expected: 2)
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
