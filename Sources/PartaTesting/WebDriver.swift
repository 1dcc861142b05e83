import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real browser for tests: a headless Chromium driven over W3C WebDriver (HTTP/JSON) through a
/// chromedriver that this object starts itself, on a free loopback port.
///
/// Every call is synchronous and bounded: an HTTP exchange with chromedriver gives up after
/// ``commandTimeout``, a page load after ``pageLoadTimeout``, and every wait takes a timeout. A
/// failure throws ``WebDriverError``, whose description names the command, the WebDriver error
/// (`no such element`, `timeout` …) and the page the browser was on.
///
/// ``quit()`` ends the session, stops chromedriver and then any process left in its process
/// group, so no Chromium outlives the test; `deinit` does the same for a driver never quit.
/// Not promised: cleaning up after the test process itself is killed (SIGKILL), and sharing one
/// driver between threads that call it at the same time (calls are serialised, but the page is
/// one page).
///
/// Downloads land in ``downloadDirectory`` through Chromium's own preferences
/// (`download.default_directory`, no prompt, several downloads per page allowed), which
/// `--headless=new` honours as a windowed Chromium does: a second `summary.csv` becomes
/// `summary (1).csv`, as a person would see it. The DevTools command `Browser.setDownloadBehavior`
/// (which the old headless mode needed) is deliberately not sent: with it, Chromium 156 overwrites
/// a file of the same name instead, so waiting for a second download could find the first.
///
/// Misuse: any call after ``quit()`` throws ``WebDriverError/Code/sessionEnded``.
///
/// `@unchecked`: a session is one conversation with chromedriver. ``command(_:_:_:)`` holds `lock`
/// across its whole blocking HTTP exchange, so that commands from several tasks never interleave;
/// the rest of its state is under the same lock.
public final class WebDriver: @unchecked Sendable {
    // MARK: Finding the browser

    /// Chromium's executable names, in the order looked for on `PATH`.
    public static let chromiumNames = ["chromium", "chromium-browser"]

    /// The Chromium and chromedriver to use: `PARTA_CHROMIUM` / `PARTA_CHROMEDRIVER` if set (and
    /// then nothing else), else the first match on `PATH`; nil when either is missing.
    public static var executables: (chromium: String, chromedriver: String)? {
        guard let chromium = find("PARTA_CHROMIUM", chromiumNames).path, let driver = find("PARTA_CHROMEDRIVER", ["chromedriver"]).path else { return nil }
        return (chromium, driver)
    }

    /// True when both Chromium and chromedriver are installed (see ``executables``).
    public static var isAvailable: Bool { executables != nil }

    /// Why the browser tests cannot run here, or nil when they can.
    public static var unavailableReason: String? {
        let problems = [find("PARTA_CHROMIUM", chromiumNames).problem, find("PARTA_CHROMEDRIVER", ["chromedriver"]).problem].compactMap { $0 }
        guard !problems.isEmpty else { return nil }
        return problems.joined(separator: "; ") + " (on Debian: apt-get install chromium chromium-driver)"
    }

    private static func find(_ variable: String, _ names: [String]) -> (path: String?, problem: String?) {
        if let explicit = ProcessInfo.processInfo.environment[variable], !explicit.isEmpty {
            return FileManager.default.isExecutableFile(atPath: explicit) ? (explicit, nil) : (nil, "\(variable)=\(explicit) is not an executable file")
        }
        if let found = names.lazy.compactMap(onPath).first { return (found, nil) }
        return (nil, "\(names[0]) not found on PATH")
    }

    private static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").lazy.map { "\($0)/\(name)" }.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    }

    // MARK: A session

    /// A window size in CSS pixels.
    public struct WindowSize: Sendable, Equatable {
        public var width: Int
        public var height: Int
        public init(width: Int, height: Int) { self.width = width; self.height = height }
        /// 1280×800, a small laptop.
        public static let desktop = WindowSize(width: 1280, height: 800)
        /// 390×844, a current phone held upright.
        public static let phone = WindowSize(width: 390, height: 844)
    }

    /// Where downloads land (made if missing).
    public let downloadDirectory: String
    /// chromedriver's port on 127.0.0.1.
    public let port: Int
    /// The WebDriver session id.
    public let sessionID: String
    /// chromedriver's process id.
    public let driverProcessID: Int32
    /// The browser's main process id, as chromedriver reported it (nil if it did not).
    public let browserProcessID: Int32?
    /// The longest one exchange with chromedriver may take.
    public let commandTimeout: TimeInterval
    /// The longest a navigation may take (WebDriver's `pageLoad` timeout).
    public let pageLoadTimeout: TimeInterval

    private let process: DriverProcess
    /// This session's own folder: chromedriver's log, and the browser's profile and temporary
    /// files (chromedriver and Chromium get it as `TMPDIR`), and the download folder when none was
    /// given. ``quit()`` removes it.
    public let workDirectory: String
    private let lock = NSRecursiveLock()
    private var ended = false
    private var deliveredDownloads: Set<String> = []

    private init(process: DriverProcess, port: Int, sessionID: String, browserProcessID: Int32?,
                 workDirectory: String, downloadDirectory: String, commandTimeout: TimeInterval, pageLoadTimeout: TimeInterval) {
        self.process = process
        self.port = port
        self.sessionID = sessionID
        self.driverProcessID = process.pid
        self.browserProcessID = browserProcessID
        self.workDirectory = workDirectory
        self.downloadDirectory = downloadDirectory
        self.commandTimeout = commandTimeout
        self.pageLoadTimeout = pageLoadTimeout
    }

    deinit { quit() }

    /// Starts chromedriver on a free loopback port and opens a headless Chromium session in it.
    ///
    /// - Parameters:
    ///   - downloadDirectory: where downloads land; nil gives a fresh temporary folder (removed by
    ///     ``quit()``; a folder you pass is never removed).
    ///   - windowSize: the browser window; the page's viewport is as wide but less tall (see
    ///     ``setWindowSize(_:)``; ``setViewportSize(_:)`` sets the viewport exactly).
    ///   - extraArguments: more Chromium switches, e.g. `--lang=ru-RU`.
    ///   - startTimeout: the longest chromedriver may take to answer and the browser to start.
    /// - Throws: ``WebDriverError/Code/notInstalled`` when Chromium or chromedriver is missing,
    ///   ``WebDriverError/Code/driverDidNotStart`` (with chromedriver's log) or
    ///   ``WebDriverError/Code/sessionNotCreated``. Nothing is left running after a throw.
    public static func start(downloadDirectory: String? = nil, windowSize: WindowSize = .desktop, extraArguments: [String] = [],
                             startTimeout: TimeInterval = 30, commandTimeout: TimeInterval = 60,
                             pageLoadTimeout: TimeInterval = 30) throws -> WebDriver {
        guard let (chromium, chromedriver) = executables else {
            throw WebDriverError(.notInstalled, unavailableReason ?? "chromium or chromedriver not found")
        }
        let work = (NSTemporaryDirectory() as NSString).appendingPathComponent("parta-webdriver-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let downloads = downloadDirectory ?? (work as NSString).appendingPathComponent("downloads")
        do {
            try FileManager.default.createDirectory(atPath: downloads, withIntermediateDirectories: true)
        } catch {
            try? FileManager.default.removeItem(atPath: work)
            throw WebDriverError(.sessionNotCreated, "cannot make the download folder \(downloads): \(error)")
        }
        let downloadsAbsolute = URL(fileURLWithPath: downloads).standardizedFileURL.path
        let deadline = Date().addingTimeInterval(startTimeout)
        var lastError: WebDriverError?
        // A port found free may be taken before chromedriver binds it: try another.
        for attempt in 1...3 {
            let log = (work as NSString).appendingPathComponent("chromedriver-\(attempt).log")
            let (process, port): (DriverProcess, Int)
            do {
                (process, port) = try launchDriver(chromedriver, log: log, deadline: deadline)
            } catch let error as WebDriverError {
                lastError = error
                if Date() < deadline { continue } else { break }
            }
            let capabilities: JSON = ["capabilities": ["alwaysMatch": [
                "browserName": "chrome",
                "pageLoadStrategy": "normal",
                "timeouts": ["pageLoad": .number((pageLoadTimeout * 1000).rounded()), "script": .number((pageLoadTimeout * 1000).rounded()), "implicit": 0],
                "goog:chromeOptions": [
                    "binary": .string(chromium),
                    "args": .array(([
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=\(windowSize.width),\(windowSize.height)",
                        "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-default-apps", "--disable-domain-reliability", "--no-pings",
                    ] + extraArguments).map(JSON.string)),
                    "prefs": [
                        "download.default_directory": .string(downloadsAbsolute),
                        "download.prompt_for_download": false,
                        "download.directory_upgrade": true,
                        "safebrowsing.enabled": false,
                        // Several downloads from one page (a dashboard's exports) without a prompt.
                        "profile.default_content_setting_values.automatic_downloads": 1,
                    ],
                ],
            ]]]
            let answer: (status: Int, body: Data)
            do {
                answer = try HTTP.exchange("POST", port: port, path: "/session", body: capabilities.encoded(),
                                           timeout: max(1, deadline.timeIntervalSinceNow))
            } catch {
                process.stop(browser: nil)
                let log = tail(of: log)
                try? FileManager.default.removeItem(atPath: work)
                throw WebDriverError(.sessionNotCreated, "chromedriver did not open a session: \(error)", log: log)
            }
            let value = (try? JSON.decode(answer.body))?["value"]
            guard answer.status == 200, let id = value?["sessionId"]?.string else {
                process.stop(browser: nil)
                let log = tail(of: log)
                try? FileManager.default.removeItem(atPath: work)
                throw WebDriverError(.sessionNotCreated, "chromedriver could not start \(chromium): \(value?["message"]?.string ?? "HTTP \(answer.status)")",
                                     webDriverError: value?["error"]?.string, log: log)
            }
            let browserPID = value?["capabilities"]?["goog:processID"]?.int.map(Int32.init)
            let driver = WebDriver(process: process, port: port, sessionID: id, browserProcessID: browserPID,
                                   workDirectory: work, downloadDirectory: downloadsAbsolute, commandTimeout: commandTimeout,
                                   pageLoadTimeout: pageLoadTimeout)
            driver.deliveredDownloads = Set((try? FileManager.default.contentsOfDirectory(atPath: downloadsAbsolute)) ?? [])
            return driver
        }
        try? FileManager.default.removeItem(atPath: work)
        throw lastError ?? WebDriverError(.driverDidNotStart, "chromedriver did not start within \(Int(startTimeout)) s")
    }

    /// Starts chromedriver on a port found free and waits until it says it is ready.
    private static func launchDriver(_ chromedriver: String, log: String, deadline: Date) throws -> (DriverProcess, Int) {
        let port = try freeLoopbackPort()
        let process: DriverProcess
        do {
            let temporary = ((log as NSString).deletingLastPathComponent as NSString).appendingPathComponent("tmp")
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            process = try DriverProcess(chromedriver, ["--port=\(port)", "--allowed-ips=127.0.0.1", "--log-path=\(log)"], output: log + ".out",
                                        temporaryDirectory: temporary)
        } catch {
            throw WebDriverError(.driverDidNotStart, "cannot run \(chromedriver): \(error)")
        }
        while Date() < deadline {
            if process.hasExited {
                process.stop(browser: nil)
                throw WebDriverError(.driverDidNotStart, "chromedriver exited before answering on port \(port)",
                                     log: tail(of: log) + "\n" + tail(of: log + ".out"))
            }
            if let answer = try? HTTP.exchange("GET", port: port, path: "/status", body: nil, timeout: 2), answer.status == 200,
               (try? JSON.decode(answer.body))?["value"]?["ready"]?.bool == true {
                return (process, port)
            }
            usleep(20_000)
        }
        process.stop(browser: nil)
        throw WebDriverError(.driverDidNotStart, "chromedriver did not answer on port \(port) in time", log: tail(of: log))
    }

    /// Ends the session, stops chromedriver, and kills anything left of the browser. Idempotent;
    /// never throws; bounded (a few seconds at most).
    public func quit() {
        lock.lock()
        guard !ended else { lock.unlock(); return }
        ended = true
        lock.unlock()
        _ = try? HTTP.exchange("DELETE", port: port, path: "/session/\(sessionID)", body: nil, timeout: 10)
        // Asked to shut down, chromedriver exits by itself within a few milliseconds.
        let shutdown = (try? HTTP.exchange("GET", port: port, path: "/shutdown", body: nil, timeout: 3)) != nil
        process.stop(browser: browserProcessID, grace: shutdown ? 2 : 0)
        // A download folder that was passed in lies elsewhere and is left alone.
        try? FileManager.default.removeItem(atPath: workDirectory)
    }

    /// True if `pid` runs and is not a zombie, and its name says Chromium (so a reused pid is left alone).
    static func isLiveChromium(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        guard let close = stat.lastIndex(of: ")") else { return false }
        let name = stat[stat.index(after: stat.firstIndex(of: "(") ?? stat.startIndex)..<close]
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return name.lowercased().contains("chrom") && state != "Z" && state != "X"
    }

    /// True while `pid` runs (a zombie does not count).
    public static func isRunning(_ pid: Int32) -> Bool {
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
            let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
            return state != "Z" && state != "X"
        }
        return kill(pid, 0) == 0
    }

    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WebDriverError(.driverDidNotStart, "socket: errno \(errno)") }
        defer { close(fd) }
        var address = HTTP.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw WebDriverError(.driverDidNotStart, "cannot find a free loopback port: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func tail(of path: String, lines: Int = 15) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        return text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines).joined(separator: "\n")
    }

    // MARK: Commands

    /// Sends one command to the session and returns its `value`.
    ///
    /// - Throws: ``WebDriverError`` with the WebDriver error and, when the browser can still say
    ///   it, the current URL.
    @discardableResult
    public func command(_ method: String, _ path: String, _ body: JSON? = nil) throws -> JSON {
        lock.lock(); defer { lock.unlock() }
        let name = "\(method) \(path)"
        guard !ended else { throw WebDriverError(.sessionEnded, "this WebDriver has quit", command: name) }
        let full = "/session/\(sessionID)\(path)"
        let answer: (status: Int, body: Data)
        do {
            answer = try HTTP.exchange(method, port: port, path: full, body: (body ?? (method == "POST" ? [:] : nil))?.encoded(), timeout: commandTimeout)
        } catch let error as WebDriverError {
            var error = error
            error.command = name
            if process.hasExited { error.message += " (chromedriver has exited)" }
            throw error
        }
        guard let json = try? JSON.decode(answer.body) else {
            throw WebDriverError(.malformedAnswer, "chromedriver answered HTTP \(answer.status) with no JSON", command: name)
        }
        let value = json["value"] ?? .null
        guard answer.status == 200 else {
            var message = value["message"]?.string ?? "HTTP \(answer.status)"
            if let cut = message.range(of: "\n  (Session info") { message = String(message[..<cut.lowerBound]) }
            let webDriverError = value["error"]?.string
            var url: String?
            if path != "/url", webDriverError != "invalid session id", webDriverError != "no such window" {
                url = (try? HTTP.exchange("GET", port: port, path: "/session/\(sessionID)/url", body: nil, timeout: 5))
                    .flatMap { try? JSON.decode($0.body) }?["value"]?.string
            }
            throw WebDriverError(.commandFailed, message, webDriverError: webDriverError, command: name, currentURL: url)
        }
        return value
    }

    /// Runs a Chrome DevTools Protocol command through chromedriver and returns its result.
    @discardableResult
    public func executeCDP(_ command: String, _ parameters: JSON = [:]) throws -> JSON {
        try self.command("POST", "/goog/cdp/execute", ["cmd": .string(command), "params": parameters])
    }

    /// Opens `url` and returns once the page has loaded (or throws a `timeout` after ``pageLoadTimeout``).
    public func navigate(to url: String) throws {
        try command("POST", "/url", ["url": .string(url)])
    }

    /// Opens `url` and returns once the page has loaded.
    public func navigate(to url: URL) throws { try navigate(to: url.absoluteString) }

    public func back() throws { try command("POST", "/back") }
    public func refresh() throws { try command("POST", "/refresh") }

    /// The page's URL now.
    public var currentURL: String { get throws { try command("GET", "/url").string ?? "" } }
    /// The page's title now.
    public var title: String { get throws { try command("GET", "/title").string ?? "" } }
    /// The page's DOM serialised as HTML now (not the bytes the server sent).
    public var pageSource: String { get throws { try command("GET", "/source").string ?? "" } }

    /// The first element matching `css`.
    ///
    /// - Throws: ``WebDriverError`` whose ``WebDriverError/webDriverError`` is `no such element`
    ///   when nothing matches now (this does not wait: see ``waitForElement(css:timeout:)``).
    public func element(css selector: String) throws -> Element {
        try element(from: command("POST", "/element", ["using": "css selector", "value": .string(selector)]), command: "element(css: \(selector))")
    }

    /// Every element matching `css`, in document order; empty when none does.
    public func elements(css selector: String) throws -> [Element] {
        try (command("POST", "/elements", ["using": "css selector", "value": .string(selector)]).array ?? [])
            .map { try element(from: $0, command: "elements(css: \(selector))") }
    }

    /// The element that has keyboard focus (`document.activeElement`; the body when none has).
    public var activeElement: Element {
        get throws { try element(from: command("GET", "/element/active"), command: "activeElement") }
    }

    /// The first element matching `css`, waiting up to `timeout` seconds for one to appear.
    public func waitForElement(css selector: String, timeout: TimeInterval = 10) throws -> Element {
        var found: Element?
        try wait(until: {
            found = try self.elements(css: selector).first
            return found != nil
        }, timeout: timeout, "an element matching \(selector)")
        return found!
    }

    /// Turns a web element reference (as an answer or a script returns it) into an ``Element``.
    public func element(from reference: JSON, command: String = "element") throws -> Element {
        guard let id = reference[Element.key]?.string else {
            throw WebDriverError(.malformedAnswer, "expected an element reference, got \(reference)", command: command)
        }
        return Element(id: id, driver: self)
    }

    /// Runs `script` as the body of a function in the page (`arguments[0]` … are `arguments`) and
    /// returns what it returns; an element comes back as a reference (``element(from:command:)``).
    @discardableResult
    public func executeScript(_ script: String, _ arguments: JSON...) throws -> JSON {
        try command("POST", "/execute/sync", ["script": .string(script), "args": .array(arguments)])
    }

    /// Polls `condition` every `interval` until it returns true, for at most `timeout` seconds.
    ///
    /// A `no such element` or `stale element reference` thrown by `condition` counts as "not yet";
    /// any other error ends the wait and is rethrown.
    ///
    /// - Throws: ``WebDriverError/Code/timedOut`` naming `description`, the last "not yet" error
    ///   and the current URL.
    public func wait(until condition: () throws -> Bool, timeout: TimeInterval = 10, interval: TimeInterval = 0.05,
                     _ description: String = "a condition") throws {
        let deadline = Date().addingTimeInterval(timeout)
        var lastError: WebDriverError?
        while true {
            do {
                if try condition() { return }
            } catch let error as WebDriverError where error.webDriverError == "no such element" || error.webDriverError == "stale element reference" {
                lastError = error
            }
            if Date() >= deadline { break }
            usleep(useconds_t(max(0.001, interval) * 1_000_000))
        }
        let url = try? currentURL
        throw WebDriverError(.timedOut, "waited \(timeout) s for \(description)" + (lastError.map { "; last: \($0.message)" } ?? ""),
                             webDriverError: lastError?.webDriverError, command: "wait", currentURL: url)
    }

    /// The viewport as a PNG.
    public func screenshot() throws -> Data {
        guard let base64 = try command("GET", "/screenshot").string, let data = Data(base64Encoded: base64) else {
            throw WebDriverError(.malformedAnswer, "the screenshot was not base64", command: "GET /screenshot")
        }
        return data
    }

    /// Writes the viewport as a PNG to `path` (its folder is made if missing) and returns the bytes.
    @discardableResult
    public func screenshot(to path: String) throws -> Data {
        let data = try screenshot()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
        return data
    }

    /// Resizes the browser window. Headless Chromium still reserves room for its (unseen)
    /// toolbars, so the page gets the full width but less height (143 px less in Chromium 156);
    /// ``setViewportSize(_:)`` gives the page exactly a size.
    public func setWindowSize(_ size: WindowSize) throws {
        try command("POST", "/window/rect", ["width": .number(Double(size.width)), "height": .number(Double(size.height))])
    }

    /// Resizes the browser window (see ``setWindowSize(_:)``).
    public func setWindowSize(width: Int, height: Int) throws { try setWindowSize(WindowSize(width: width, height: height)) }

    /// Resizes the window so that the page's viewport (`window.innerWidth` × `innerHeight`, what a
    /// screenshot shows) is exactly `size`, e.g. ``WindowSize/phone``. Pixels are CSS pixels at
    /// a device pixel ratio of 1; this is not a phone emulation (no touch, no mobile user agent).
    ///
    /// - Throws: ``WebDriverError/Code/timedOut`` if the viewport does not reach `size` within 5 s.
    public func setViewportSize(_ size: WindowSize) throws {
        func viewport() throws -> WindowSize? {
            let inner = try executeScript("return [window.innerWidth, window.innerHeight]")
            guard let width = inner[0]?.int, let height = inner[1]?.int else { return nil }
            return WindowSize(width: width, height: height)
        }
        try setWindowSize(size)
        if let now = try viewport(), now != size {
            try setWindowSize(WindowSize(width: size.width * 2 - now.width, height: size.height * 2 - now.height))
        }
        try wait(until: { try viewport() == size }, timeout: 5, "a \(size.width)×\(size.height) viewport")
    }

    /// Presses `keys` on whatever has keyboard focus, as a person would: one key down and up per
    /// character; a modifier (``Key/shift``, ``Key/control``, ``Key/alt``, ``Key/meta``) stays held
    /// until the end, so `Key.shift + Key.tab` is Shift+Tab.
    public func pressKeys(_ keys: String) throws {
        let modifiers: Set<Character> = [Character(Key.shift), Character(Key.control), Character(Key.alt), Character(Key.meta)]
        var actions: [JSON] = []
        var held: [Character] = []
        for key in keys {
            actions.append(["type": "keyDown", "value": .string(String(key))])
            if modifiers.contains(key) { held.append(key) } else { actions.append(["type": "keyUp", "value": .string(String(key))]) }
        }
        for key in held.reversed() { actions.append(["type": "keyUp", "value": .string(String(key))]) }
        try command("POST", "/actions", ["actions": [["type": "key", "id": "keyboard", "actions": .array(actions)]]])
        try command("DELETE", "/actions")
    }

    /// The cookies visible to the current page.
    public func cookies() throws -> [Cookie] {
        (try command("GET", "/cookie").array ?? []).map(Cookie.init)
    }

    /// Sets a cookie for the current page's domain.
    public func addCookie(name: String, value: String, path: String = "/") throws {
        try command("POST", "/cookie", ["cookie": ["name": .string(name), "value": .string(value), "path": .string(path)]])
    }

    /// Deletes every cookie visible to the current page.
    public func deleteCookies() throws { try command("DELETE", "/cookie") }

    /// Deletes one cookie by name.
    public func deleteCookie(named name: String) throws {
        try command("DELETE", "/cookie/\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name)")
    }

    /// Waits until a download has finished in ``downloadDirectory`` and returns its path.
    ///
    /// With `name`, waits for that file; without, for any file. Either way a file that was in the
    /// folder when the session started, or that an earlier call returned, does not count (a
    /// repeated download of `summary.csv` arrives as `summary (1).csv`). A file counts as finished
    /// once Chromium has no `.crdownload` for it and its size held still over two polls.
    ///
    /// - Throws: ``WebDriverError/Code/timedOut`` listing what the folder holds.
    public func waitForDownload(named name: String? = nil, timeout: TimeInterval = 30) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var sizes: [String: Int] = [:]
        while true {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: downloadDirectory)) ?? []
            lock.lock(); let delivered = deliveredDownloads; lock.unlock()
            let partial = entries.filter { $0.hasSuffix(".crdownload") }
            let done = entries.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".crdownload") && !$0.hasSuffix(".tmp") }
                .filter { !delivered.contains($0) && (name == nil || $0 == name) }
                .filter { file in !partial.contains { $0.hasPrefix(file) } }
                .sorted()
            var next: [String: Int] = [:]
            for file in done {
                let path = (downloadDirectory as NSString).appendingPathComponent(file)
                let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? -1
                if size >= 0, sizes[file] == size {
                    lock.lock(); deliveredDownloads.insert(file); lock.unlock()
                    return path
                }
                next[file] = size
            }
            sizes = next
            if Date() >= deadline {
                let url = try? currentURL
                throw WebDriverError(.timedOut, "waited \(timeout) s for a download\(name.map { " named \($0)" } ?? "") in \(downloadDirectory); it holds: \(entries.isEmpty ? "nothing" : entries.sorted().joined(separator: ", "))",
                                     command: "waitForDownload", currentURL: url)
            }
            usleep(50_000)
        }
    }

    // MARK: Elements, keys, cookies

    /// An element of the current page. It goes stale when the page changes
    /// (`stale element reference`).
    public struct Element: Sendable, Equatable, CustomStringConvertible {
        /// The key of a web element reference in WebDriver's JSON.
        public static let key = "element-6066-11e4-a52e-4f735466cecf"
        public let id: String
        public let driver: WebDriver

        public static func == (a: Element, b: Element) -> Bool { a.id == b.id && a.driver === b.driver }
        public var description: String { "Element(\(id))" }
        /// This element as a script argument.
        public var json: JSON { [Element.key: .string(id)] }

        /// Clicks the middle of the element, scrolling it into view first.
        public func click() throws { try driver.command("POST", "/element/\(id)/click") }
        /// Empties an input or textarea.
        public func clear() throws { try driver.command("POST", "/element/\(id)/clear") }
        /// Focuses the element and types `text` into it (``Key`` values for special keys).
        public func sendKeys(_ text: String) throws { try driver.command("POST", "/element/\(id)/value", ["text": .string(text)]) }
        /// The rendered text, as a person sees it.
        public var text: String { get throws { try driver.command("GET", "/element/\(id)/text").string ?? "" } }
        /// The lower-case tag name.
        public var tagName: String { get throws { try driver.command("GET", "/element/\(id)/name").string ?? "" } }
        /// The HTML attribute `name` as written (nil if absent).
        public func attribute(_ name: String) throws -> String? {
            try driver.command("GET", "/element/\(id)/attribute/\(name)").string
        }
        /// The DOM property `name` now (e.g. `value`, `checked`).
        public func property(_ name: String) throws -> JSON {
            try driver.command("GET", "/element/\(id)/property/\(name)")
        }
        /// The computed CSS value of `name`.
        public func cssValue(_ name: String) throws -> String {
            try driver.command("GET", "/element/\(id)/css/\(name)").string ?? ""
        }
        public var isDisplayed: Bool { get throws { try driver.command("GET", "/element/\(id)/displayed").bool ?? false } }
        public var isEnabled: Bool { get throws { try driver.command("GET", "/element/\(id)/enabled").bool ?? false } }
        /// The first descendant matching `css`.
        public func element(css selector: String) throws -> Element {
            try driver.element(from: driver.command("POST", "/element/\(id)/element", ["using": "css selector", "value": .string(selector)]),
                               command: "element(css: \(selector))")
        }
        /// Every descendant matching `css`.
        public func elements(css selector: String) throws -> [Element] {
            try (driver.command("POST", "/element/\(id)/elements", ["using": "css selector", "value": .string(selector)]).array ?? [])
                .map { try driver.element(from: $0, command: "elements(css: \(selector))") }
        }
    }

    /// WebDriver's codes for keys that are not characters.
    public enum Key {
        public static let backspace = "\u{E003}", tab = "\u{E004}", enter = "\u{E007}", shift = "\u{E008}", control = "\u{E009}",
                          alt = "\u{E00A}", escape = "\u{E00C}", space = "\u{E00D}", pageUp = "\u{E00E}", pageDown = "\u{E00F}",
                          end = "\u{E010}", home = "\u{E011}", arrowLeft = "\u{E012}", arrowUp = "\u{E013}", arrowRight = "\u{E014}",
                          arrowDown = "\u{E015}", delete = "\u{E017}", meta = "\u{E03D}"
    }

    /// A cookie as WebDriver reports it.
    public struct Cookie: Sendable, Equatable {
        public var name: String
        public var value: String
        public var path: String?
        public var domain: String?
        public var secure: Bool
        public var httpOnly: Bool
        public var sameSite: String?
        /// Seconds since 1970; nil for a session cookie.
        public var expiry: Int?

        init(_ json: JSON) {
            name = json["name"]?.string ?? ""
            value = json["value"]?.string ?? ""
            path = json["path"]?.string
            domain = json["domain"]?.string
            secure = json["secure"]?.bool ?? false
            httpOnly = json["httpOnly"]?.bool ?? false
            sameSite = json["sameSite"]?.string
            expiry = json["expiry"]?.int
        }
    }
}
