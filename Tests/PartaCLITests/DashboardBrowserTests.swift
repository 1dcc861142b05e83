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
}
