import Foundation

/// The number or bullet that starts a list item (`2.1.`, `3)`, `а)`, `I.`, `I.2`, `-`).
struct ListMarker: Equatable {
    enum Style: Hashable {
        /// `2.`, `2.1.`, `2.1`: depth is the count of numbers.
        case arabic(depth: Int)
        /// `3)`, `2.1)`.
        case arabicParen(depth: Int)
        /// `I.`, `II)`, and `I.2` (roman with arabic sub-numbers, depth > 0).
        case roman(depth: Int)
        /// `а)`, `b)`.
        case letter
        /// `А.`, `Б)`.
        case upperLetter
        /// `-`, `•`, `—`: the character.
        case bullet(Character)
    }

    /// As printed, without trailing spaces.
    var printed: String
    var style: Style
    /// The arabic numbers (`2.1.` → [2, 1]); empty for other styles.
    var components: [Int]

    var isBullet: Bool { if case .bullet = style { return true } else { return false } }
    var isRoman: Bool { if case .roman(let depth) = style { return depth == 0 } else { return false } }
    /// The task number it gives: empty for a bullet.
    var number: String { isBullet ? "" : printed }

    private static let arabic = Pattern(#"^(\d{1,2}(?:\.\d{1,2}){0,3})([.)])?(?:\s+|(?=[«"А-ЯЁA-Z]))(?=\S)"#, caseSensitive: true)
    private static let roman = Pattern(#"^([IVXІХ]{1,5})(?:\.(\d{1,2}(?:\.\d{1,2}){0,2}))?([.)])?\s+(?=\S)"#, caseSensitive: true)
    private static let letter = Pattern(#"^([а-яёa-z])\)\s*(?=\S)"#, caseSensitive: true)
    private static let upperLetter = Pattern(#"^([А-ЯЁ])[.)]\s+(?=[А-ЯЁа-яё«])(?![А-ЯЁ]\.)"#, caseSensitive: true)
    /// Dashes and bullet signs, including the private-use symbols of Symbol and Wingdings fonts that
    /// `pdftotext` passes through, and Word's second-level `o` before a Russian word.
    private static let bullet = Pattern(#"^([-–—•·●▪■□○◦*➢►✓✔➔→◊♦\x{F000}-\x{F0FF}]|o(?=\s+[а-яё]))\s*(?=\S)"#, caseSensitive: true)

    /// The marker at the start of a paragraph and the text after it, or nil.
    static func parse(_ paragraph: String) -> (marker: ListMarker, rest: String)? {
        if let m = arabic.firstMatch(in: paragraph), let numbers = m.group(1) {
            let punct = m.group(2)
            let components = numbers.split(separator: ".").compactMap { Int($0) }
            // A bare number needs a dot inside (`2.1 Текст`) or punctuation after it (`2.`, `3)`),
            // so that `26 августа 2020 года` is not an item.
            if punct != nil || components.count > 1 {
                // `1.5 млн` and dates are not markers: a marker without punctuation is followed by a capital letter.
                let rest = String(paragraph[m.range.upperBound...])
                // `2.1 обеспечить …` is an item; `1.5 млн рублей` is not.
                if punct == nil, !Russian.startsUppercase(rest), !Russian.isInfinitive(Russian.words(rest).first ?? "") { return nil }
                let printed = numbers + (punct ?? "")
                let style: Style = punct == ")" ? .arabicParen(depth: components.count) : .arabic(depth: components.count)
                return (ListMarker(printed: printed, style: style, components: components), rest)
            }
        }
        if let m = roman.firstMatch(in: paragraph), let numeral = m.group(1) {
            let sub = m.group(2)
            guard m.group(3) != nil || sub != nil else { return nil }
            let rest = String(paragraph[m.range.upperBound...])
            guard Russian.startsUppercase(rest) || rest.first == "«" else { return nil }
            let latin = numeral.replacingOccurrences(of: "І", with: "I").replacingOccurrences(of: "Х", with: "X")
            let printed = latin + (sub.map { "." + $0 } ?? "") + (m.group(3) ?? "")
            let depth = sub.map { $0.split(separator: ".").count } ?? 0
            return (ListMarker(printed: printed, style: .roman(depth: depth), components: []), rest)
        }
        if let m = letter.firstMatch(in: paragraph), let l = m.group(1) {
            return (ListMarker(printed: l + ")", style: .letter, components: []), String(paragraph[m.range.upperBound...]))
        }
        if let m = upperLetter.firstMatch(in: paragraph) {
            let printed = String(paragraph[m.range]).trimmingCharacters(in: .whitespaces)
            return (ListMarker(printed: printed, style: .upperLetter, components: []), String(paragraph[m.range.upperBound...]))
        }
        if let m = bullet.firstMatch(in: paragraph), let b = m.group(1)?.first {
            let rest = String(paragraph[m.range.upperBound...])
            // A dash before a digit is a negative number or a range, not a bullet.
            if rest.first?.isNumber == true && b != "•" { return nil }
            return (ListMarker(printed: String(b), style: .bullet(b == "–" || b == "—" ? "-" : b), components: []), rest)
        }
        return nil
    }
}
