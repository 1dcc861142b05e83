/// Text read from a scan (OCR) with look-alike characters inside words, read as a reader of the page sees them
/// (spec §1): Latin `a c e o p x y` and `A B C E H K M O P T X Y` in a word holding a Cyrillic letter are the
/// Cyrillic ones, `0` in such a word is `О`/`о`, and `О`/`З` in a number are `0`/`3`.
///
/// A word with any other Latin letter, or of Latin letters only, is left as printed; so is a line with nothing to
/// repair (the common case: the line is returned as it is, without being rebuilt).
enum ScanRepair {
    private static let latinToCyrillic: [Character: Character] = [
        "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у",
        "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К", "M": "М", "O": "О", "P": "Р", "T": "Т", "X": "Х", "Y": "У",
    ]

    private static func isCyrillic(_ c: Character) -> Bool {
        c.unicodeScalars.first.map { (0x0400...0x04FF).contains($0.value) } ?? false
    }

    private static func isLatin(_ c: Character) -> Bool { c.isASCII && c.isLetter }

    static func repair(_ line: String) -> String {
        // Only a line that mixes scripts in a word, or digits with letters, can need it.
        guard line.contains(where: isLatin) || line.contains(where: { $0 == "0" || $0 == "О" || $0 == "З" }) else { return line }
        // Words and what stands between them, so that a word can be read with the one after it.
        var pieces: [(word: [Character], after: String)] = []
        var word: [Character] = [], gap = "", leading = ""
        for ch in line {
            if ch.isLetter || ch.isNumber {
                if !gap.isEmpty {
                    if word.isEmpty { leading = gap } else { pieces.append((word, gap)) }
                    word = []
                    gap = ""
                }
                word.append(ch)
            } else {
                gap.append(ch)
            }
        }
        pieces.append((word, gap))
        var out = leading
        for (i, piece) in pieces.enumerated() {
            let next = i + 1 < pieces.count ? String(pieces[i + 1].word) : ""
            out.append(contentsOf: repairWord(piece.word, followedBy: piece.after, next: next))
            out.append(contentsOf: piece.after)
        }
        return out
    }

    private static func repairWord(_ word: [Character], followedBy gap: String, next: String) -> [Character] {
        guard !word.isEmpty else { return word }
        let hasCyrillic = word.contains(where: isCyrillic)
        let latin = word.filter(isLatin)
        let digits = word.filter { $0.isASCII && $0.isNumber }
        if hasCyrillic {
            // `1О`, `З1`, `2О25`: a number with letters for digits. A class (`5З класса`, `10О`) ends in its letter: a
            // trailing `О`/`З` is a digit only before a month (`1О июля`) or inside a date (`З0.11.2025`).
            if word.count >= 2, !digits.isEmpty, latin.isEmpty, word.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "О" || $0 == "З" }) {
                let trailingLetter = word.count <= 3 && (word.last == "О" || word.last == "З") && word.filter({ !$0.isNumber }).count == 1
                let beforeMonth = Russian.month(next) != nil || Russian.month(String(next.prefix(3))) != nil && gap.allSatisfy { $0 == " " }
                if !trailingLetter || beforeMonth || gap.hasPrefix(".") && next.first?.isNumber == true {
                    return word.map { $0 == "О" ? "0" : $0 == "З" ? "3" : $0 }
                }
                return word
            }
            // `MAXе`: a Latin name in capitals with a Russian ending stays.
            if latin.count >= 2, latin.allSatisfy(\.isUppercase), word.prefix(latin.count).allSatisfy(isLatin), word.count - latin.count <= 3 { return word }
            guard latin.allSatisfy({ latinToCyrillic[$0] != nil }) else { return word }
            // `0тделу`: the digit for the letter, in a word of letters otherwise.
            let zeroIsLetter = !digits.isEmpty && digits.allSatisfy { $0 == "0" } && word.count >= 3
            var out = word
            for i in out.indices {
                if let c = latinToCyrillic[out[i]] { out[i] = c }
                if zeroIsLetter, out[i] == "0" {
                    let neighbours = [i > 0 ? word[i - 1] : nil, i + 1 < word.count ? word[i + 1] : nil].compactMap { $0 }.filter(\.isLetter)
                    let upper = i == 0 || neighbours.allSatisfy(\.isUppercase)
                    out[i] = upper ? "О" : "о"
                }
            }
            return out
        }
        // `2l.11.2025`, `l5.O1.2026`: a date's number with Latin letters for digits.
        if !digits.isEmpty, word.count <= 4, word.allSatisfy({ ($0.isASCII && $0.isNumber) || "lIOo".contains($0) }),
           gap.hasPrefix("."), next.first?.isNumber == true || next.first.map({ "lIOo".contains($0) }) == true {
            return word.map { $0 == "l" || $0 == "I" ? "1" : $0 == "O" || $0 == "o" ? "0" : $0 }
        }
        return word
    }
}
