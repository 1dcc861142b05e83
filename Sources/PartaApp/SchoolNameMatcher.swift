import Foundation

/// Finds the registered school a resolution names in any grammatical case: "МБОУ Мучкапской СОШ"
/// (genitive, dative …) matches the school registered as "МБОУ Мучкапская СОШ им. А.А. Гордеева".
///
/// Guarantees: a mention matches a school when it holds at least one distinctive word (not a generic
/// one such as `школа`, `СОШ`, `МБОУ`) and every distinctive word has the same stem as some word of
/// the school's name (case endings removed, `ё` read as `е`, quotes, dots and case ignored; a stem
/// of six letters or more may differ by one typed letter).
/// A branch (`филиал`) is matched only by a mention that says `филиал`.
/// A mention that fits several schools equally matches none of them: the methodologist assigns
/// it by hand.
public struct SchoolNameMatcher: Sendable {
    public struct School: Sendable { public var id: String; public var name: String
        public init(id: String, name: String) { self.id = id; self.name = name } }

    let schools: [(id: String, stems: Set<String>)]

    public init(_ schools: [School]) {
        self.schools = schools.map { ($0.id, Set(SchoolNameMatcher.stems(of: $0.name))) }
    }

    /// The id of the one school `mention` names, or nil.
    public func school(namedIn mention: String) -> String? {
        let all = SchoolNameMatcher.stems(of: mention)
        // Generic words ("средней школе" for "СОШ") do not tell schools apart: only the others must fit.
        let wanted = all.filter { !SchoolNameMatcher.stopWords.contains($0) && !SchoolNameMatcher.genericStems.contains($0) }
        guard !wanted.isEmpty else { return nil }
        // A branch's name holds its parent school's name ("Шапкинский филиал МБОУ Мучкапской СОШ"):
        // it is meant only when the mention says "филиал" too.
        let branch = SchoolNameMatcher.stem("филиал")
        let fits = schools.filter { school in
            wanted.allSatisfy { word in school.stems.contains { SchoolNameMatcher.sameWord(word, $0) } }
                && (!school.stems.contains(branch) || all.contains(branch))
        }
        return fits.count == 1 ? fits[0].id : nil
    }

    /// Every school named in `text` (an addressee line may name several), by the longest
    /// school-like phrases it holds: runs of words that start with a school's type abbreviation.
    public func schools(namedIn text: String) -> [String] {
        var found: [String] = []
        for part in text.components(separatedBy: CharacterSet(charactersIn: ",;")) {
            for mention in SchoolNameMatcher.mentions(in: part) {
                if let id = school(namedIn: mention), !found.contains(id) { found.append(id) }
            }
        }
        return found
    }

    /// Phrases that name one organisation: from an organisational abbreviation (`МБОУ`, `МКОУ`,
    /// `ГБОУ` …) to the next one or the end; a phrase without one is taken whole.
    static func mentions(in text: String) -> [String] {
        let words = text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        var result: [String] = []
        var current: [String] = []
        for word in words {
            let bare = word.trimmingCharacters(in: .punctuationCharacters).uppercased()
            if organisationForms.contains(bare), !current.isEmpty {
                result.append(current.joined(separator: " "))
                current = []
            }
            current.append(word)
        }
        if !current.isEmpty { result.append(current.joined(separator: " ")) }
        return result
    }

    /// Equal stems, or long ones one letter apart: resolutions are typed by hand ("Мучканской" for
    /// "Мучкапской" in a real one).
    static func sameWord(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let x = Array(a), y = Array(b)
        guard min(x.count, y.count) >= 6, abs(x.count - y.count) <= 1 else { return false }
        var i = 0
        while i < min(x.count, y.count), x[i] == y[i] { i += 1 }
        if x.count == y.count { return x[(i + 1)...] == y[(i + 1)...] }
        return x.count < y.count ? x[i...] == y[(i + 1)...] : x[(i + 1)...] == y[i...]
    }

    /// Lower-cased stems of the words of `text`: letters and digits only, `ё` → `е`, a Russian
    /// case ending removed when at least three letters stay.
    static func stems(of text: String) -> [String] {
        let lowered = text.lowercased().replacingOccurrences(of: "ё", with: "е")
        let words = lowered.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
        return words.map(stem)
    }

    static func stem(_ word: String) -> String {
        guard word.count > 3, word.unicodeScalars.allSatisfy({ (0x0430...0x044F).contains($0.value) }) else { return word }
        for ending in endings where word.hasSuffix(ending) && word.count - ending.count >= 3 {
            return String(word.dropLast(ending.count))
        }
        return word
    }

    /// Adjective and noun case endings, longest first.
    static let endings = ["ыми", "ими", "ого", "его", "ому", "ему", "ая", "яя", "ое", "ее", "ой", "ей", "ую", "юю",
                          "ый", "ий", "ым", "им", "ом", "ем", "ах", "ях", "ам", "ям", "ы", "и", "а", "я", "у", "ю", "е", "о", "ь"]
    static let organisationForms: Set<String> = ["МБОУ", "МАОУ", "МКОУ", "МОУ", "ГБОУ", "ГАОУ", "ГКОУ", "МБДОУ", "МАДОУ", "МКДОУ",
                                                 "МДОУ", "МБУДО", "МАУДО", "МБУ", "МАУ", "ЧОУ", "ГОУ"]
    /// Words that say what kind of organisation, not which one.
    static let genericStems: Set<String> = Set((organisationForms.map { $0.lowercased() } + ["сош", "оош", "нош", "цо", "доу",
                                                "школа", "средняя", "основная", "начальная", "общеобразовательная", "муниципальное",
                                                "бюджетное", "казенное", "автономное", "учреждение", "организация", "гимназия", "лицей",
                                                "филиал", "детский", "сад", "образовательная"]).map(stem))
    static let stopWords: Set<String> = ["им", "имени", "и", "в", "с", "г", "п", "д"]
}
