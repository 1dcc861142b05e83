/// The one error type of ``PartaCore``: clock, codec and merge failures.
///
/// Tests match on ``code``; ``message`` is for people and may be reworded.
public struct PartaCoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable, extensible code (new codes break no `switch`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A received timestamp is further ahead of the local wall clock than the allowed drift.
        public static let clockDriftTooLarge = Code("clockDriftTooLarge")
        /// The input ended before the structure it announced was complete.
        public static let truncated = Code("truncated")
        /// The input does not start with Parta's bundle magic bytes.
        public static let badMagic = Code("badMagic")
        /// The bundle was written by a newer format version than this reader knows.
        public static let unsupportedVersion = Code("unsupportedVersion")
        /// A reserved flag, field or required extension is set that this reader does not know.
        public static let unsupportedFeature = Code("unsupportedFeature")
        /// The SHA-256 checksum does not match the bytes: the file was damaged or altered.
        public static let checksumMismatch = Code("checksumMismatch")
        /// The bytes are framed correctly but their content is not valid.
        public static let malformed = Code("malformed")
        /// The payload would decompress to more than the reader allows.
        public static let payloadTooLarge = Code("payloadTooLarge")
        /// The bundle's signature does not hold for the key the receiver trusts for its sender.
        public static let badSignature = Code("badSignature")
        /// No recipient stanza of a sealed bundle opens with this node's key or the codes given.
        public static let notForThisNode = Code("notForThisNode")
        /// zlib could not compress or decompress the payload.
        public static let compression = Code("compression")
    }

    public var code: Code
    public var message: Message
    public var context: [String: String]

    public init(_ code: Code, _ message: Message, context: [String: String] = [:]) {
        self.code = code
        self.message = message
        self.context = context
    }

    public var description: String { "\(code): \(message.en)" }
}

extension PartaCoreError {
    static func truncated(_ what: String) -> PartaCoreError {
        PartaCoreError(.truncated, Message(
            en: "The data ends in the middle of the \(what): the file is incomplete (for example, copied before the copy finished).",
            ru: "Данные обрываются посреди поля «\(what)»: файл неполный (например, скопирован не до конца)."),
            context: ["field": what])
    }

    public static func malformed(_ what: String) -> PartaCoreError {
        PartaCoreError(.malformed, Message(
            en: "The data is damaged: \(what).",
            ru: "Данные повреждены: \(what)."),
            context: ["detail": what])
    }
}
