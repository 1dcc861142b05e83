import PartaCore

/// The one error type of ``PartaApp``: requests about tasks, schools and reports that cannot be met.
public struct PartaError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let taskNotFound = Code("taskNotFound")
        public static let schoolNotFound = Code("schoolNotFound")
        public static let notAssigned = Code("notAssigned")
        public static let invalidArgument = Code("invalidArgument")
        /// The hub could not be reached over the network.
        public static let offline = Code("offline")
        /// A hub command on a school node, or the other way round.
        public static let wrongNodeKind = Code("wrongNodeKind")
        /// No replica in the data folder yet.
        public static let notInitialised = Code("notInitialised")
        public static let alreadyInitialised = Code("alreadyInitialised")
        /// A change to what a hub of another tier wrote (a region's assignment, at a municipality).
        public static let writtenByAnotherTier = Code("writtenByAnotherTier")
        /// A reviewed table of extracted tasks holds a value that does not read (the message names its row and column).
        public static let badReview = Code("badReview")
    }

    public var code: Code
    public var message: Message

    public init(_ code: Code, _ message: Message) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message.en)" }
}
