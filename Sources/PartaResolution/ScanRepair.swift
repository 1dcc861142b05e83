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
        var out = ""
        var word: [Character] = []
        func flush() {
            if !word.isEmpty { out.append(contentsOf: repairWord(word)); word.removeAll() }
        }
        for ch in line {
            if ch.isLetter || ch.isNumber { word.append(ch) } else { flush(); out.append(ch) }
        }
        flush()
        return out
    }

    private static func repairWord(_ word: [Character]) -> [Character] {
        let hasCyrillic = word.contains(where: isCyrillic)
        let latin = word.filter(isLatin)
        let digits = word.filter { $0.isASCII && $0.isNumber }
        if hasCyrillic {
            // `1О`, `З1`, `2О25`: a number with letters for digits.
            if word.count >= 2, !digits.isEmpty, latin.isEmpty, word.allSatisfy({ ($0.isASCII && $0.isNumber) || $0 == "О" || $0 == "З" }) {
                return word.map { $0 == "О" ? "0" : $0 == "З" ? "3" : $0 }
            }
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
        return word
    }
}
