import PartaCore

/// The one error type of ``PartaDashboard``: staff accounts and sign-in that cannot be done.
public struct DashboardError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let invalidArgument = Code("invalidArgument")
        public static let userNotFound = Code("userNotFound")
        public static let userExists = Code("userExists")
        /// Wrong name or password (the message does not say which).
        public static let wrongPassword = Code("wrongPassword")
        /// Too many wrong passwords in a row: sign-in is refused until the lock ends.
        public static let lockedOut = Code("lockedOut")
    }

    public var code: Code
    public var message: Message

    public init(_ code: Code, _ message: Message) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message.en)" }
}
