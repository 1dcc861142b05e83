import PartaCore
import PartaStore

/// The one error type of ``PartaBundle``: a bundle file that could not be written, read or applied.
///
/// Every error names the file and wraps the reason (a ``PartaCoreError`` for damaged bytes, a
/// ``StoreError`` for refused content, or an I/O failure) with what to do next.
public struct BundleError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file or folder could not be read (missing, unreadable, not a regular file).
        public static let unreadable = Code("unreadable")
        /// The file could not be written (read-only or full disk, missing folder).
        public static let unwritable = Code("unwritable")
        /// A link, a FIFO, a device or a folder where a bundle file should be: never read.
        public static let notRegularFile = Code("notRegularFile")
        /// The file is larger than a bundle may be; it was not read.
        public static let tooLarge = Code("tooLarge")
        /// The file is empty: nothing was copied into it.
        public static let empty = Code("empty")
        /// The file's bytes are not a valid bundle; ``reasonCode`` says how.
        public static let damaged = Code("damaged")
        /// The bundle is valid but its content was refused; ``reasonCode`` says why.
        public static let refused = Code("refused")
    }

    public var code: Code
    /// The underlying ``PartaCoreError`` or ``StoreError`` code, when there is one.
    public var reasonCode: String?
    public var path: String
    public var message: Message

    public init(_ code: Code, path: String, reasonCode: String? = nil, message: Message) {
        self.code = code
        self.path = path
        self.reasonCode = reasonCode
        self.message = message
    }

    public var description: String { "\(code)(\(reasonCode ?? "-")): \(message.en)" }

    /// Wraps any error met while handling the bundle at `path`, keeping its reason code.
    public static func wrap(_ error: Error, path: String) -> BundleError {
        if let e = error as? BundleError { return e }
        if let e = error as? PartaCoreError {
            // A bad signature or a bundle sealed for others is whole and readable: it is refused, not damaged.
            let refused = e.code == .badSignature || e.code == .notForThisNode
            // Most of the core's messages say already that nothing was changed: said once.
            func once(_ text: String, _ nothing: String) -> String { text.hasSuffix(nothing) ? text : text + " " + nothing }
            return BundleError(refused ? .refused : .damaged, path: path, reasonCode: e.code.rawValue, message: Message(
                en: "\(path): " + once(e.message.en, "Nothing was changed."),
                ru: "\(path): " + once(e.message.ru, "Ничего не изменено.")))
        }
        if let e = error as? StoreError {
            return BundleError(.refused, path: path, reasonCode: e.code.rawValue, message: Message(
                en: "\(path): \(e.message.en)", ru: "\(path): \(e.message.ru)"))
        }
        return BundleError(.unreadable, path: path, message: Message(
            en: "\(path): \(error)", ru: "\(path): \(error)"))
    }
}
