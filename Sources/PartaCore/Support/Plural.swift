/// Russian plural forms: the noun after a count agrees with the count's last digits
/// (1 школа, 2 школы, 5 школ, 11 школ, 21 школа, 22 школы, 111 школ).
public enum RussianPlural {
    /// The form of a noun (or a phrase) that goes with `n`: `one` after 1, 21, 101… (not 11),
    /// `few` after 2–4, 22–24… (not 12–14), `many` after everything else (0, 5–20, 25…).
    public static func form(_ n: Int, one: String, few: String, many: String) -> String {
        let last2 = n.magnitude % 100, last = n.magnitude % 10
        if (11...14).contains(last2) { return many }
        switch last {
        case 1: return one
        case 2, 3, 4: return few
        default: return many
        }
    }
}

/// English plural forms: `one` after exactly 1, `other` after every other count (0 schools, 1 school, 2 schools).
public enum EnglishPlural {
    public static func form(_ n: Int, one: String, other: String) -> String {
        n.magnitude == 1 ? one : other
    }
}

/// A noun with its forms after a count in each language Parta speaks: the one place counts
/// printed to users get their words (`Noun.school.count(5, in: .ru)` is «5 школ»).
public struct Noun: Sendable, Hashable {
    public var en: (one: String, other: String)
    public var ru: (one: String, few: String, many: String)

    public init(en one: String, _ other: String, ru ruOne: String, _ ruFew: String, _ ruMany: String) {
        en = (one, other)
        ru = (ruOne, ruFew, ruMany)
    }

    /// The form that goes with `n`, without the number.
    public func form(_ n: Int, in language: Language) -> String {
        language == .en ? EnglishPlural.form(n, one: en.one, other: en.other)
                        : RussianPlural.form(n, one: ru.one, few: ru.few, many: ru.many)
    }

    /// The number and the form that goes with it: «21 школа», "1 school".
    public func count(_ n: Int, in language: Language) -> String { "\(n) " + form(n, in: language) }

    /// ``count(_:in:)`` in both languages.
    public func count(_ n: Int) -> Message { Message(en: count(n, in: .en), ru: count(n, in: .ru)) }

    public static func == (a: Noun, b: Noun) -> Bool { a.en == b.en && a.ru == b.ru }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(en.one); hasher.combine(en.other); hasher.combine(ru.one); hasher.combine(ru.few); hasher.combine(ru.many)
    }

    public static let school = Noun(en: "school", "schools", ru: "школа", "школы", "школ")
    /// After «назначена», «по»: «назначена 1 школе», «21 школе», «5 школам».
    public static let schoolDative = Noun(en: "school", "schools", ru: "школе", "школам", "школам")
    public static let task = Noun(en: "task", "tasks", ru: "задача", "задачи", "задач")
    public static let change = Noun(en: "change", "changes", ru: "изменение", "изменения", "изменений")
    public static let newChange = Noun(en: "new change", "new changes", ru: "новое изменение", "новых изменения", "новых изменений")
    public static let conflict = Noun(en: "conflict", "conflicts", ru: "конфликт", "конфликта", "конфликтов")
    public static let assignment = Noun(en: "assignment", "assignments", ru: "назначение", "назначения", "назначений")
    public static let day = Noun(en: "day", "days", ru: "день", "дня", "дней")
    /// After «дольше», «более»: «дольше 1 дня», «дольше 5 дней».
    public static let dayGenitive = Noun(en: "day", "days", ru: "дня", "дней", "дней")
    public static let minute = Noun(en: "minute", "minutes", ru: "минута", "минуты", "минут")
    public static let byte = Noun(en: "byte", "bytes", ru: "байт", "байта", "байт")
    public static let computer = Noun(en: "computer", "computers", ru: "компьютер", "компьютера", "компьютеров")
    public static let bundle = Noun(en: "bundle", "bundles", ru: "пакет", "пакета", "пакетов")
}
