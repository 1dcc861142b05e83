import PartaCore

/// The one error type of ``PartaStore``: SQLite failures, refused changes and misuse.
///
/// Tests match on ``code``. ``message`` is for people; SQL and row values stay in ``debugDetail``.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// SQLite reported an error (full disk, locked, I/O error, …).
        public static let sqlite = Code("sqlite")
        /// The database file is missing where a replica was expected.
        public static let notFound = Code("notFound")
        /// A replica already exists where a new one was to be created.
        public static let alreadyExists = Code("alreadyExists")
        /// The database was written by a newer Parta (schema version).
        public static let schemaTooNew = Code("schemaTooNew")
        /// A change was written by a node that may not write it.
        public static let forbidden = Code("forbidden")
        /// A change came from a node this replica does not know.
        public static let unknownNode = Code("unknownNode")
        /// A change names a table or field the schema does not declare, or breaks its shape.
        public static let invalidChange = Code("invalidChange")
        /// A change set was addressed to another node or partition.
        public static let wrongRecipient = Code("wrongRecipient")
        /// A change is stamped too far in the future (see ``HybridLogicalClock``).
        public static let clockDriftTooLarge = Code("clockDriftTooLarge")
        /// A hub's clock reads far past every change it holds: it writes nothing until the date
        /// is set right, or confirmed (``Replica/acceptsClockJump``).
        public static let clockJumped = Code("clockJumped")
        /// A bundle came from a node the hub has revoked.
        public static let revoked = Code("revoked")
        /// A bundle came from a node the hub has not enrolled, without a valid enrollment proof.
        public static let notEnrolled = Code("notEnrolled")
        /// A bundle came from an older copy of a node (it holds fewer of its own changes than the hub).
        public static let olderCopy = Code("olderCopy")
        /// A hub's bundle reuses one of the hub's counters with another time: two copies of the
        /// hub's folder are in use.
        public static let hubCopies = Code("hubCopies")
        /// A bundle would have no recipient able to open it.
        public static let noRecipient = Code("noRecipient")
        /// A row that was asked for does not exist.
        public static let rowNotFound = Code("rowNotFound")
    }

    public var code: Code
    public var message: Message
    public var context: [String: String]
    public var debugDetail: String

    public init(_ code: Code, _ message: Message, context: [String: String] = [:], debugDetail: String = "") {
        self.code = code
        self.message = message
        self.context = context
        self.debugDetail = debugDetail
    }

    public var description: String { "\(code): \(message.en)" + (debugDetail.isEmpty ? "" : " [\(debugDetail)]") }
}
