import Foundation
import Testing
import PartaTesting

/// The dashboard in a real headless Chromium, driven over WebDriver against the real
/// `parta hub serve` holding the demo's district: sign-in, the overview, a task page, an editor's
/// update, a CSV download, a phone-sized window, and a viewer who cannot edit. Screenshots are
/// saved as test artefacts (`.test-artifacts/`, or `PARTA_ARTIFACTS`). Skipped, with the reason
/// printed, where Chromium and chromedriver are not installed (`.ci/run` installs them).
@Suite(.serialized, .enabled(if: WebDriver.isAvailable, "\(WebDriver.unavailableReason ?? "")"))
struct DashboardBrowserTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    static let now = ["PARTA_NOW": "2020-09-25T12:00"]

    @Test func aMethodologistSignsInReadsTheOverviewAndATaskUpdatesHerTaskAndDownloadsTheSummary() throws {
        let dir = TemporaryDirectory("parta-browser"); defer { dir.remove() }
        let demo = try parta.run(["demo", "--keep", dir.file("demo"), "--no-serve"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let hub = dir.file("demo/hub")
        #expect(try parta.run(["hub", "user", "add", "marina", "--role", "editor", "--password-stdin", "--data", hub], input: "марина-пароль\n").status == 0)
        #expect(try parta.run(["hub", "user", "add", "olga", "--password-stdin", "--data", hub], input: "ольга-пароль\n").status == 0)
        let server = try parta.serve(data: hub, environment: DashboardBrowserTests.now)
        defer { server.stop() }
        let downloads = dir.file("downloads")
        let browser = try WebDriver.start(downloadDirectory: downloads, extraArguments: ["--lang=ru-RU", "--accept-lang=ru-RU,ru"])
        defer { browser.quit() }

        // No page without signing in: the browser lands on the sign-in form.
        try browser.navigate(to: server.url)
        #expect(try browser.currentURL.contains("/login"))
        try TestArtifacts.save(screenshotOf: browser, name: "01-sign-in")
        try browser.element(css: "#name").sendKeys("marina")
        try browser.element(css: "#password").sendKeys("марина-пароль")
        try browser.element(css: "button[type=submit]").click()
        _ = try browser.waitForElement(css: "#progress-h")

        // The overview: the resolution's card, three charts, every school.
        #expect(try browser.title.hasPrefix("Обзор"))
        let page = try browser.pageSource
        #expect(page.contains("Куликовский филиал"))
        #expect(try browser.elements(css: "svg[role=img]").count == 3)
        #expect(try browser.elements(css: ".cards .card").count >= 1)
        try TestArtifacts.save(screenshotOf: browser, name: "02-overview")
        // The keyboard reaches the skip link first.
        try browser.pressKeys(WebDriver.Key.tab)
        #expect(try browser.activeElement.text == "К содержанию")

        // A task page, reached by links: every assigned school with its status.
        try browser.element(css: ".card h2 a").click()
        _ = try browser.waitForElement(css: "table a[href^='/tasks/']")
        // The first task that schools have (the department's own ones have none).
        let href = try browser.executeScript("""
            return [...document.querySelectorAll('tbody tr')].find(r => +r.cells[3].textContent > 0).querySelector('a').getAttribute('href')
            """).string ?? ""
        #expect(href.hasPrefix("/tasks/"))
        try browser.element(css: "a[href='\(href)']").click()
        _ = try browser.waitForElement(css: "h2")
        #expect(try browser.title.hasPrefix("Задача"))
        #expect(try browser.elements(css: "tbody tr").count >= 1)
        try TestArtifacts.save(screenshotOf: browser, name: "03-task")

        // The editor updates one of the department's own tasks.
        try browser.element(css: "nav a[href='/own']").click()
        let first = try browser.waitForElement(css: "article.card details")
        try first.element(css: "summary").click()
        try first.element(css: "select option[value=in_progress]").click()
        let progress = try first.element(css: "input[type=number]")
        try progress.clear()
        try progress.sendKeys("40")
        try first.element(css: "textarea").sendKeys("Совещание назначено на 30 сентября")
        try first.element(css: "button[type=submit]").click()
        let notice = try browser.waitForElement(css: ".notice")
        #expect(try notice.text.contains("Сохранено"))
        #expect(try browser.pageSource.contains("Совещание назначено на 30 сентября"))
        try TestArtifacts.save(screenshotOf: browser, name: "04-own-task-saved")

        // The summary for the region, as a file: the same bytes as the terminal's.
        try browser.element(css: "nav a[href='/exports']").click()
        try browser.waitForElement(css: "a[href='/export/schools.csv']").click()
        let file = try browser.waitForDownload(named: "parta-schools-2020-09-25.csv")
        let downloaded = try Data(contentsOf: URL(fileURLWithPath: file))
        let terminal = try parta.run(["hub", "report", "--format", "csv", "--output", dir.file("terminal.csv"), "--data", hub],
                                     environment: DashboardBrowserTests.now)
        #expect(terminal.status == 0, "\(terminal.stderr)")
        #expect(downloaded == (try Data(contentsOf: URL(fileURLWithPath: dir.file("terminal.csv")))))
        #expect(Array(downloaded.prefix(3)) == [0xEF, 0xBB, 0xBF])

        // On a phone: nothing wider than the screen but what scrolls on purpose (tables, charts).
        try browser.setViewportSize(.phone)
        try browser.navigate(to: server.url)
        _ = try browser.waitForElement(css: "#progress-h")
        let overflow = try browser.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        #expect(overflow == 0, "the page is wider than the phone by \(overflow)")
        try TestArtifacts.save(screenshotOf: browser, name: "05-overview-phone")

        // Signing out, then a viewer: she sees the department's tasks but gets no form.
        try browser.setWindowSize(.desktop)
        try browser.element(css: "form.logout button").click()
        _ = try browser.waitForElement(css: "#password")
        try browser.element(css: "#name").sendKeys("olga")
        try browser.element(css: "#password").sendKeys("ольга-пароль")
        try browser.element(css: "button[type=submit]").click()
        _ = try browser.waitForElement(css: "#progress-h")
        try browser.navigate(to: server.url + "own")
        _ = try browser.waitForElement(css: "article.card")
        #expect(try browser.elements(css: "form[action^='/own/']").isEmpty)
        #expect(try browser.pageSource.contains("Совещание назначено на 30 сентября"))
    }

    /// What a phone 390 px wide shows (issue 16): every chart's texts (labels, notes, legends,
    /// counts) inside the screen and not on top of each other; in every table the key column (the
    /// school, the task's number) on screen even with the table scrolled to its far end; and an
    /// editor updating the department's own task from its page, which shows the department's
    /// status rather than an empty table of schools.
    @Test func onAPhoneChartsAndKeyColumnsStayOnScreenAndTheDepartmentsTaskIsUpdatedFromItsPage() throws {
        let dir = TemporaryDirectory("parta-browser-phone"); defer { dir.remove() }
        let demo = try parta.run(["demo", "--keep", dir.file("demo"), "--no-serve"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let hub = dir.file("demo/hub")
        #expect(try parta.run(["hub", "user", "add", "marina", "--role", "editor", "--password-stdin", "--data", hub], input: "марина-пароль\n").status == 0)
        let server = try parta.serve(data: hub, environment: DashboardBrowserTests.now)
        defer { server.stop() }
        let browser = try WebDriver.start(extraArguments: ["--lang=ru-RU", "--accept-lang=ru-RU,ru"])
        defer { browser.quit() }
        try browser.setViewportSize(.phone)
        try browser.navigate(to: server.url + "login")
        try browser.element(css: "#name").sendKeys("marina")
        try browser.element(css: "#password").sendKeys("марина-пароль")
        try browser.element(css: "button[type=submit]").click()
        _ = try browser.waitForElement(css: "#progress-h")

        // The charts: three, each as wide as the screen allows, every visible text inside the
        // viewport and clear of the others.
        let charts = try browser.executeScript(Self.chartCheck)
        #expect(charts["charts"]?.int == 3, "\(charts)")
        #expect((charts["texts"]?.int ?? 0) > 20, "\(charts)")
        #expect(charts["outside"]?.array == [], "texts outside the 390 px screen: \(charts)")
        #expect(charts["overlapping"]?.array == [], "texts on top of each other: \(charts)")
        #expect(try browser.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth").int == 0)
        try browser.executeScript("document.getElementById('progress-h').scrollIntoView()")
        try TestArtifacts.save(screenshotOf: browser, name: "06-phone-progress-chart")
        try browser.executeScript("document.getElementById('months-h').scrollIntoView()")
        try TestArtifacts.save(screenshotOf: browser, name: "07-phone-deadlines-and-freshness")

        // Tables: the key column stays on screen, at the start and scrolled to the far end.
        func checkTables(_ page: String, _ artefact: String) throws {
            let tables = try browser.executeScript(Self.tableCheck)
            #expect((tables["tables"]?.int ?? 0) >= 1, "\(page): \(tables)")
            #expect((tables["keyCells"]?.int ?? 0) >= 1, "\(page): \(tables)")
            #expect(tables["hidden"]?.array == [], "\(page): key cells off screen or covered: \(tables)")
            #expect(try browser.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth").int == 0, "\(page)")
            try TestArtifacts.save(screenshotOf: browser, name: artefact)
        }
        try checkTables("overview", "08-phone-schools-table")
        let resolution = try browser.element(css: ".card h2 a").attribute("href") ?? ""
        try browser.navigate(to: server.url + String(resolution.dropFirst()))
        _ = try browser.waitForElement(css: "table")
        try checkTables("resolution", "09-phone-tasks-table")
        try browser.executeScript("document.querySelector('.table-wrap').scrollLeft = 10000")
        try browser.wait(until: { try browser.executeScript("return document.querySelector('.table-wrap').scrollLeft").int ?? 0 > 0 }, "the table scrolled")
        Thread.sleep(forTimeInterval: 0.3)   // the compositor's next frame
        try TestArtifacts.save(screenshotOf: browser, name: "09b-phone-tasks-table-scrolled")
        let schoolTask = try browser.executeScript("""
            return [...document.querySelectorAll('tbody tr')].find(r => +r.cells[3].textContent > 0).querySelector('a').getAttribute('href')
            """).string ?? ""
        try browser.navigate(to: server.url + String(schoolTask.dropFirst()))
        _ = try browser.waitForElement(css: "table")
        try checkTables("task", "10-phone-task-schools")
        let school = try browser.element(css: "tbody th a").attribute("href") ?? ""
        try browser.navigate(to: server.url + String(school.dropFirst()))
        _ = try browser.waitForElement(css: "table")
        try checkTables("school", "11-phone-school-tasks")

        // The department's own task, from its page: its status, a form, no table of schools.
        try browser.navigate(to: server.url + "own")
        let link = try browser.waitForElement(css: "article.card h2 a")
        try link.click()
        let own = try browser.waitForElement(css: "#own")
        #expect(try own.text.contains("Работа отдела"))
        #expect(try browser.elements(css: "table").isEmpty, "an own task's page has no table of schools")
        try own.element(css: "select option[value=blocked]").click()
        let progress = try own.element(css: "input[type=number]")
        try progress.clear()
        try progress.sendKeys("15")
        try own.element(css: "textarea").sendKeys("Ждём приказ министерства")
        try own.element(css: "button[type=submit]").click()
        let notice = try browser.waitForElement(css: "#own .notice")
        #expect(try notice.text.contains("Сохранено"))
        #expect(try browser.currentURL.contains("/tasks/") && browser.currentURL.contains("saved=1"))
        let shown = try browser.element(css: "#own").text
        #expect(shown.contains("есть препятствия") && shown.contains("15%") && shown.contains("Ждём приказ министерства") && shown.contains("marina"), "\(shown)")
        #expect(try browser.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth").int == 0)
        try browser.executeScript("document.getElementById('own').scrollIntoView()")
        try TestArtifacts.save(screenshotOf: browser, name: "12-phone-own-task-saved")

        // The same charts on a desktop: as clear.
        try browser.setViewportSize(.desktop)
        try browser.navigate(to: server.url)
        _ = try browser.waitForElement(css: "#progress-h")
        let wide = try browser.executeScript(Self.chartCheck)
        #expect(wide["charts"]?.int == 3 && wide["outside"]?.array == [] && wide["overlapping"]?.array == [], "\(wide)")
        try browser.executeScript("document.getElementById('progress-h').scrollIntoView()")
        try TestArtifacts.save(screenshotOf: browser, name: "13-desktop-charts")
    }

    /// Every visible `<text>` of every chart: inside the viewport's width, and not overlapping
    /// another text of its chart.
    static let chartCheck = """
        const width = document.documentElement.clientWidth, outside = [], overlapping = [];
        let texts = 0;
        const charts = [...document.querySelectorAll('svg[role=img]')];
        for (const svg of charts) {
          const boxes = [];
          for (const t of svg.querySelectorAll('text')) {
            const r = t.getBoundingClientRect();
            if (r.width === 0 || getComputedStyle(t).display === 'none') continue;
            texts++;
            const name = svg.getAttribute('aria-labelledby') + ': ' + t.firstChild.textContent;
            if (r.left < 0 || r.right > width) outside.push(name + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
            for (const b of boxes) {
              if (r.left < b.r.right - 1 && b.r.left < r.right - 1 && r.top < b.r.bottom - 1 && b.r.top < r.bottom - 1) overlapping.push(name + ' / ' + b.name);
            }
            boxes.push({r, name});
          }
        }
        return {charts: charts.length, texts, outside, overlapping};
        """

    /// Every table's key column (its first cell in each row) after scrolling the table to its
    /// far end: on screen and the topmost thing there (not covered by the scrolled cells).
    static let tableCheck = """
        const width = document.documentElement.clientWidth, hidden = [];
        let keyCells = 0;
        const wraps = [...document.querySelectorAll('.table-wrap')];
        for (const wrap of wraps) {
          wrap.scrollLeft = wrap.scrollWidth;
          for (const row of [...wrap.querySelectorAll('tr')].slice(0, 6)) {
            const cell = row.cells[0];
            if (!cell || cell.colSpan > 1) continue;
            cell.scrollIntoView({block: 'center', inline: 'nearest'});
            wrap.scrollLeft = wrap.scrollWidth;
            const r = cell.getBoundingClientRect();
            const x = Math.max(1, r.left + Math.min(20, r.width / 2)), y = r.top + Math.min(12, r.height / 2);
            const top = document.elementFromPoint(x, y);
            keyCells++;
            if (r.width === 0 || r.left < 0 || r.right > width || !(top && cell.contains(top))) {
              hidden.push(cell.textContent.trim().slice(0, 30) + ' ' + Math.round(r.left) + '..' + Math.round(r.right) + ' under ' + (top ? top.tagName + ' ' + top.textContent.trim().slice(0, 20) : 'nothing'));
            }
          }
        }
        for (const wrap of wraps) wrap.scrollLeft = 0;
        window.scrollTo(0, wraps.length ? wraps[wraps.length - 1].getBoundingClientRect().top + window.scrollY - 60 : 0);
        return {tables: wraps.length, keyCells, hidden};
        """

    /// Issue 17, part 3: an editor uploads a resolution, corrects a deadline and a level in the
    /// review table and saves; the school that then takes in the hub's bundle has the corrected
    /// task, with its wording in the document.
    @Test func anEditorReviewsAnUploadedResolutionAndTheSchoolGetsTheCorrectedTask() throws {
        let dir = TemporaryDirectory("parta-browser-review"); defer { dir.remove() }
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../PartaResolutionTests/Fixtures/muchkap-2020.txt").standardizedFileURL.path
        let hub = dir.file("hub")
        func ok(_ arguments: [String]) throws -> String {
            let r = try parta.run(arguments, environment: DashboardBrowserTests.now)
            #expect(r.status == 0, "parta \(arguments.joined(separator: " ")): \(r.stderr)")
            return r.stdout
        }
        _ = try ok(["hub", "init", "--name", "Отдел образования", "--data", hub])
        let code = try parta.code(["hub", "school", "add", "muchkap", "--name", "МБОУ Мучкапская СОШ им. А.А. Гордеева", "--data", hub],
                                  environment: DashboardBrowserTests.now)
        #expect(try parta.run(["hub", "user", "add", "marina", "--role", "editor", "--password-stdin", "--data", hub], input: "марина-пароль\n").status == 0)
        let server = try parta.serve(data: hub, environment: DashboardBrowserTests.now)
        defer { server.stop() }
        let browser = try WebDriver.start(extraArguments: ["--lang=ru-RU", "--accept-lang=ru-RU,ru"])
        defer { browser.quit() }

        try browser.navigate(to: server.url + "login")
        try browser.element(css: "#name").sendKeys("marina")
        try browser.element(css: "#password").sendKeys("марина-пароль")
        try browser.element(css: "button[type=submit]").click()
        _ = try browser.waitForElement(css: "#progress-h")
        try browser.element(css: "nav a[href='/review']").click()
        try browser.waitForElement(css: "input[type=file]").sendKeys(sample)
        try browser.element(css: "form[action='/review'] button[type=submit]").click()
        _ = try browser.waitForElement(css: "table.review", timeout: 30)
        try TestArtifacts.save(screenshotOf: browser, name: "20-review-table")
        func row(_ number: String) throws -> Int {
            Int(try browser.executeScript("""
                return [...document.querySelectorAll('input[name^="number."]')].find(e => e.value === arguments[0]).name.split('.')[1]
                """, .string(number)).string ?? "") ?? -1
        }
        let r51 = try row("5.1."), r23 = try row("2.3.")
        #expect(r51 >= 0 && r23 >= 0)
        let deadline = try browser.element(css: "#deadline-\(r51)")
        #expect(try deadline.property("value").string == "2020-08-30")
        try deadline.clear()
        try deadline.sendKeys("01.10.2021")
        try browser.element(css: "#level-\(r23) option[value='школьный']").click()
        try browser.element(css: "form[action^='/review/'] button[type=submit]").click()
        try browser.wait(until: { try browser.currentURL.contains("/resolutions/") }, timeout: 30)
        try TestArtifacts.save(screenshotOf: browser, name: "21-review-saved")

        // The school: assigned, exported, taken in.
        let dry = try #require(try JSONSerialization.jsonObject(with: Data(try ok(["hub", "import-resolution", sample, "--dry-run", "--json", "--data", hub]).utf8)) as? [String: Any])
        let resolution = try #require(dry["resolution"] as? String)
        _ = try ok(["hub", "assign", "--resolution", resolution, "--level", "school", "--to", "all", "--data", hub])
        _ = try ok(["hub", "export", "--to", dir.file("stick"), "--data", hub])
        _ = try ok(["init", "--from", dir.file("stick"), "--code", code, "--name", "ПК", "--data", dir.file("school")])
        let tasks = try #require(try JSONSerialization.jsonObject(with: Data(try ok(["tasks", "--json", "--data", dir.file("school")]).utf8)) as? [[String: Any]])
        #expect(tasks.first { $0["number"] as? String == "5.1." }?["deadline"] as? String == "2021-10-01")
        #expect(tasks.first { $0["number"] as? String == "2.3." }?["level"] as? String == "school")
        let show = try ok(["show", "2.3", "--data", dir.file("school")])
        #expect(show.contains("Текст в документе: 2.3. Разработать муниципальные программы воспитания"), "\(show)")
    }
}
