/// The language a user reads Parta's messages in.
///
/// Russian is the default: Parta's users are school clerks and heads.
/// English is chosen when the caller asks for it (the CLI does so for `LANG=en…`).
public enum Language: String, Sendable, CaseIterable {
    case ru, en

    /// Picks the language from a `LANG`/`LC_ALL`-style value: English for values starting
    /// with `en`, Russian for everything else, including no value at all.
    public static func from(localeValue: String?) -> Language {
        guard let value = localeValue?.lowercased(), value.hasPrefix("en") else { return .ru }
        return .en
    }
}

/// A user-facing text in every language Parta speaks.
///
/// Messages say what happened, to what, and what to do next. They never contain SQL or
/// raw row values; those belong in an error's `debugDescription`.
public struct Message: Sendable, Hashable, CustomStringConvertible {
    public var en: String
    public var ru: String

    public init(en: String, ru: String) {
        self.en = en
        self.ru = ru
    }

    public func text(in language: Language) -> String {
        language == .en ? en : ru
    }

    /// The English text; use ``text(in:)`` for anything a user reads.
    public var description: String { en }
}
