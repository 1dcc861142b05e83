import Foundation

/// What went wrong in a ``WebDriver`` call.
///
/// English only: these are for the developer reading a failed test, not for school staff.
/// Match on ``code`` (and ``webDriverError``), never on the message.
public struct WebDriverError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
        /// Chromium or chromedriver is not installed.
        public static let notInstalled = Code("notInstalled")
        /// chromedriver did not start or did not answer.
        public static let driverDidNotStart = Code("driverDidNotStart")
        /// chromedriver answered but could not start the browser.
        public static let sessionNotCreated = Code("sessionNotCreated")
        /// A command came back with a WebDriver error (see ``WebDriverError/webDriverError``).
        public static let commandFailed = Code("commandFailed")
        /// A wait or an exchange ran out of time.
        public static let timedOut = Code("timedOut")
        /// chromedriver could not be reached.
        public static let connectionFailed = Code("connectionFailed")
        /// chromedriver's answer could not be read.
        public static let malformedAnswer = Code("malformedAnswer")
        /// The driver has quit.
        public static let sessionEnded = Code("sessionEnded")
    }

    public var code: Code
    public var message: String
    /// W3C WebDriver's error code, e.g. `no such element`, `timeout`, `stale element reference`.
    public var webDriverError: String?
    /// The command, e.g. `POST /element`.
    public var command: String?
    /// The page the browser was on when the command failed, when it could still say.
    public var currentURL: String?
    /// The end of chromedriver's log, for failures to start.
    public var log: String?

    public init(_ code: Code, _ message: String, webDriverError: String? = nil, command: String? = nil, currentURL: String? = nil, log: String? = nil) {
        self.code = code
        self.message = message
        self.webDriverError = webDriverError
        self.command = command
        self.currentURL = currentURL
        self.log = log
    }

    public var description: String {
        var text = "WebDriver \(code)"
        if let webDriverError { text += " (\(webDriverError))" }
        if let command { text += " in \(command)" }
        text += ": \(message)"
        if let currentURL { text += " [page: \(currentURL)]" }
        if let log, !log.isEmpty { text += "\nchromedriver log:\n\(log)" }
        return text
    }
}
