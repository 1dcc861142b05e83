import Foundation
import Testing
import PartaTesting

/// The browser harness itself, mostly on a page written to a temporary folder and opened by
/// file://: typing and submitting a form, reading text, screenshots, a phone-sized window, the
/// keyboard's focus order, a download arriving byte for byte; and cookies over loopback HTTP. Skipped, with the reason, where Chromium
/// or chromedriver is missing (.ci/run installs both).
@Suite(.serialized, .enabled(if: WebDriver.isAvailable, Comment(rawValue: WebDriver.unavailableReason ?? "")))
struct WebDriverSmokeTests {
    /// What the page's download link carries: Cyrillic, a comma and CRLF, to catch any re-encoding.
    static let csv = "школа,задачи\r\nШкола № 12,3\r\n"

    /// The page, in a fresh temporary folder.
    struct Page {
        let folder = TemporaryDirectory("parta-webdriver-page")
        var url: String { URL(fileURLWithPath: folder.file("page.html")).absoluteString }

        init() throws {
            let data = WebDriverSmokeTests.csv.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Parta smoke</title>
            <style>
              body { font-family: sans-serif; margin: 24px; }
              form { display: flex; flex-direction: row; gap: 12px; align-items: center; }
              @media (max-width: 600px) { form { flex-direction: column; align-items: stretch; } }
            </style></head>
            <body>
            <h1>Parta smoke test</h1>
            <form id="form">
              <label for="name">School name</label>
              <input id="name" name="name" type="text" autocomplete="off">
              <button id="save" type="submit">Save</button>
            </form>
            <p id="result" role="status"></p>
            <a id="download" download="summary.csv" href="data:text/csv;charset=utf-8,\(data)">Download summary</a>
            <script>
              document.getElementById('form').addEventListener('submit', function (event) {
                event.preventDefault();
                document.getElementById('result').textContent = 'Saved: ' + document.getElementById('name').value;
                document.title = 'Saved';
              });
            </script>
            </body></html>
            """
            try html.write(toFile: folder.file("page.html"), atomically: true, encoding: .utf8)
        }
    }

    @Test func typingIntoTheFormAndSubmittingShowsTheResult() throws {
        let page = try Page()
        defer { page.folder.remove() }
        let started = Date()
        let driver = try WebDriver.start()
        defer { driver.quit() }
        let sessionReady = Date()
        try driver.navigate(to: page.url)
        print("WebDriver: chromedriver + session \(Int(sessionReady.timeIntervalSince(started) * 1000)) ms, first page loaded after \(Int(Date().timeIntervalSince(started) * 1000)) ms")

        #expect(try driver.title == "Parta smoke")
        #expect(try driver.currentURL == page.url)
        #expect(try driver.element(css: "label").attribute("for") == "name")
        let input = try driver.element(css: "#name")
        try input.sendKeys("Школа 12")
        #expect(try input.property("value").string == "Школа 12")
        try driver.element(css: "#save").click()
        try driver.wait(until: { try driver.element(css: "#result").text == "Saved: Школа 12" }, timeout: 5, "the saved message")
        #expect(try driver.title == "Saved")
        #expect(try driver.pageSource.contains("Saved: Школа 12"))
        #expect(try driver.executeScript("return arguments[0] + arguments[1]", 2, 3).int == 5)
        try input.clear()
        #expect(try input.property("value").string == "")
    }

    @Test func aMissingElementFailsNamingTheSelectorTheErrorAndThePage() throws {
        let page = try Page()
        defer { page.folder.remove() }
        let driver = try WebDriver.start()
        defer { driver.quit() }
        try driver.navigate(to: page.url)

        do {
            _ = try driver.element(css: "#nowhere")
            Issue.record("found an element that is not there")
        } catch let error as WebDriverError {
            #expect(error.code == .commandFailed)
            #expect(error.webDriverError == "no such element")
            #expect(error.currentURL == page.url)
            #expect(error.description.contains("#nowhere"))
        }
        do {
            try driver.wait(until: { try driver.element(css: "#nowhere").isDisplayed }, timeout: 0.3, "#nowhere")
            Issue.record("a wait for nothing succeeded")
        } catch let error as WebDriverError {
            #expect(error.code == .timedOut)
            #expect(error.currentURL == page.url)
        }
    }

    @Test func screenshotIsAPNGOfTheWindowAndLandsInTheArtifactsFolder() throws {
        let page = try Page()
        defer { page.folder.remove() }
        let driver = try WebDriver.start(windowSize: .desktop)
        defer { driver.quit() }
        try driver.navigate(to: page.url)

        let path = try TestArtifacts.save(screenshotOf: driver, name: "webdriver-smoke-desktop")
        let png = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(pngSize(png)?.width == WebDriver.WindowSize.desktop.width)
        #expect(path.hasPrefix(try TestArtifacts.directory()))
    }

    @Test func aPhoneSizedWindowGivesAPhoneViewportAndTheNarrowLayout() throws {
        let page = try Page()
        defer { page.folder.remove() }
        let driver = try WebDriver.start()
        defer { driver.quit() }
        try driver.navigate(to: page.url)
        #expect(try driver.element(css: "#form").cssValue("flex-direction") == "row")

        try driver.setWindowSize(.phone)
        #expect(try driver.command("GET", "/window/rect")["width"]?.int == 390)
        #expect(try driver.executeScript("return window.innerWidth").int == 390)
        try driver.setViewportSize(.phone)
        #expect(try driver.executeScript("return [window.innerWidth, window.innerHeight]") == [390, 844])
        #expect(try driver.element(css: "#form").cssValue("flex-direction") == "column")
        let png = try driver.screenshot()
        #expect(pngSize(png)?.width == 390 && pngSize(png)?.height == 844)
        try TestArtifacts.save(screenshotOf: driver, name: "webdriver-smoke-phone")
    }

    @Test func tabMovesKeyboardFocusThroughTheFormInOrderAndShiftTabBack() throws {
        let page = try Page()
        defer { page.folder.remove() }
        let driver = try WebDriver.start()
        defer { driver.quit() }
        try driver.navigate(to: page.url)

        func focused() throws -> String {
            try driver.executeScript("return document.activeElement.id || document.activeElement.tagName").string ?? ""
        }
        #expect(try focused() == "BODY")
        var order: [String] = []
        for _ in 0..<3 {
            try driver.pressKeys(WebDriver.Key.tab)
            order.append(try focused())
        }
        #expect(order == ["name", "save", "download"])
        try driver.pressKeys(WebDriver.Key.shift + WebDriver.Key.tab)
        #expect(try focused() == "save")
        #expect(try driver.activeElement.attribute("id") == "save")
    }

    @Test func theDownloadLinkSavesExactlyItsBytesInTheDownloadFolder() throws {
        let page = try Page()
        let downloads = TemporaryDirectory("parta-webdriver-downloads")
        defer { page.folder.remove(); downloads.remove() }
        let driver = try WebDriver.start(downloadDirectory: downloads.path)
        defer { driver.quit() }
        try driver.navigate(to: page.url)

        try driver.element(css: "#download").click()
        let path = try driver.waitForDownload(named: "summary.csv", timeout: 20)
        #expect((path as NSString).deletingLastPathComponent == URL(fileURLWithPath: downloads.path).standardizedFileURL.path)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path))) == Array(Self.csv.utf8))

        // A second download of the same name gets a name of its own, and "any file" finds it.
        try driver.element(css: "#download").click()
        let second = try driver.waitForDownload(timeout: 20)
        #expect(second != path)
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: second))) == Array(Self.csv.utf8))
    }

    @Test func quitStopsChromedriverAndTheBrowserAndLeavesNoTemporaryFolder() throws {
        let driver = try WebDriver.start()
        // The profile and Chromium's temporary files are in the session's own folder, not in /tmp.
        let work = try FileManager.default.contentsOfDirectory(atPath: driver.workDirectory + "/tmp")
        #expect(work.contains { $0.hasPrefix("org.chromium.Chromium.scoped_dir.") })
        let driverPID = driver.driverProcessID
        let browserPID = try #require(driver.browserProcessID)
        #expect(WebDriver.isRunning(driverPID) && WebDriver.isRunning(browserPID))
        let quitting = Date()
        driver.quit()
        print("WebDriver: quit took \(Int(Date().timeIntervalSince(quitting) * 1000)) ms")
        driver.quit()
        #expect(!WebDriver.isRunning(driverPID))
        #expect(!WebDriver.isRunning(browserPID))
        #expect(processesInGroup(driverPID).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: driver.workDirectory))
        #expect(throws: WebDriverError.self) { try driver.currentURL }
    }

    @Test func aDriverNeverQuitStopsItsProcessesWhenReleased() throws {
        var driver: WebDriver? = try WebDriver.start()
        let driverPID = try #require(driver?.driverProcessID)
        let browserPID = try #require(driver?.browserProcessID)
        driver = nil
        #expect(!WebDriver.isRunning(driverPID))
        #expect(!WebDriver.isRunning(browserPID))
        #expect(processesInGroup(driverPID).isEmpty)
    }

    /// Cookies need a page served over HTTP: Chromium keeps none for file://.
    @Test func cookiesSetByTheServerAreSeenAddedAndDeletedForGood() throws {
        let server = try OnePageServer(html: "<!doctype html><title>Cookies</title><p>hello</p>",
                                       setCookie: "parta_session=abc123; Path=/; HttpOnly; SameSite=Lax")
        defer { server.stop() }
        let driver = try WebDriver.start()
        defer { driver.quit() }
        try driver.navigate(to: server.url)
        #expect(try driver.title == "Cookies")

        let session = try #require(try driver.cookies().first { $0.name == "parta_session" })
        #expect(session.value == "abc123" && session.httpOnly && session.path == "/")
        try driver.addCookie(name: "theme", value: "dark")
        #expect(try Set(driver.cookies().map(\.name)) == ["parta_session", "theme"])
        try driver.deleteCookie(named: "theme")
        #expect(try driver.cookies().map(\.name) == ["parta_session"])
        try driver.refresh()
        #expect(server.lastCookieHeader == "parta_session=abc123")

        try driver.deleteCookies()
        #expect(try driver.cookies().isEmpty)
        server.setCookie = nil
        try driver.refresh()
        #expect(server.lastCookieHeader == nil)
    }

    /// Width and height from a PNG's IHDR chunk.
    func pngSize(_ png: Data) -> (width: Int, height: Int)? {
        let bytes = Array(png)
        guard bytes.count >= 24 else { return nil }
        func int(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (int(16), int(20))
    }

    /// Live (not zombie) processes whose process group is `group`.
    func processesInGroup(_ group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && fields[0] != "Z" && Int32(fields[2]) == group
        }
    }
}

/// Answers every request on a loopback port with one HTML page, optionally setting a cookie, and
/// remembers the `Cookie` header of the last request. For these tests only; stops by `stop()`.
/// `@unchecked`: its state is under its lock, taken by its accepting thread and by the test.
final class OnePageServer: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let html: String
    private let lock = NSLock()
    private var stopped = false
    private var _setCookie: String?
    private var _lastCookie: String?

    var url: String { "http://127.0.0.1:\(port)/" }
    var setCookie: String? {
        get { lock.lock(); defer { lock.unlock() }; return _setCookie }
        set { lock.lock(); _setCookie = newValue; lock.unlock() }
    }
    var lastCookieHeader: String? { lock.lock(); defer { lock.unlock() }; return _lastCookie }

    init(html: String, setCookie: String?) throws {
        self.html = html
        self._setCookie = setCookie
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else { throw WebDriverError(.connectionFailed, "test server: bind/listen errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in serve() }.start()
    }

    func stop() { lock.lock(); stopped = true; lock.unlock() }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    private func serve() {
        defer { close(listener) }
        let deadline = Date().addingTimeInterval(120)
        while !isStopped && Date() < deadline {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            var request = Data()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while request.range(of: Data("\r\n\r\n".utf8)) == nil {
                var reader = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
                guard poll(&reader, 1, 2000) > 0 else { break }
                let n = recv(client, &buffer, buffer.count, 0)
                if n <= 0 { break }
                request.append(contentsOf: buffer[0..<n])
            }
            let head = String(decoding: request, as: UTF8.self)
            let cookie = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("cookie:") }
                .map { String($0.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            lock.lock()
            if head.hasPrefix("GET / ") { _lastCookie = cookie }
            let setCookie = _setCookie
            lock.unlock()
            let body = Data(html.utf8)
            var answer = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
            if let setCookie { answer += "Set-Cookie: \(setCookie)\r\n" }
            let bytes = Data((answer + "\r\n").utf8) + body
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
            close(client)
        }
    }
}
