import Foundation

/// Who must act: the dative phrase that introduces a task or a group (`Руководителям образовательных
/// организаций:`, `Рекомендовать органам местного самоуправления …`), split into separate bodies.
enum Addressees {
    /// Verbs that put the addressee after them: `Рекомендовать руководителям …`.
    static let assigningVerbs: Set<String> = ["рекомендовать", "поручить", "предложить", "просить", "обязать", "порекомендовать"]

    /// Verbs that end an addressee phrase without being infinitives.
    static let impersonalVerbs: Set<String> = [
        "рекомендуется", "предлагается", "поручается", "необходимо", "следует", "надлежит", "рекомендовано", "предложено",
        "поручено", "рекомендуем", "предлагаем", "нужно", "важно", "целесообразно",
    ]

    /// Words that name a body or its people; a dative phrase without one is not an addressee.
    private static let bodyStem = Pattern(
        #"(?:руковод|отдел|управлени|министерств|министр[уа](?![а-яё])|департамент|организаци|учреждени|орган|служб|центр|институт|педагог|учител|специалист|школ|администраци|комитет|директор|заместител|совет|ассоциаци|методист|воспитател|родител|обучающ|участник|коллектив|сообществ|объединени|кафедр|лаборатори|муниципалитет|правительств|губернатор|глав[аеуы]|работник|кадр|профсоюз|член|эксперт|образовательн|предприяти|колледж|техникум|вуз|университет|академи|гимнази|лице[йяю]|сад|мбоу|маоу|мкоу|мбдоу|мадоу|гбоу|"# + Levels.regionalSchoolPrefixes + #"|\bмоу\b|\bсош\b|\bоош\b|\bсш\b|\b(?:имц|гимц|ммц|рмк|рмо|цоко|моуо)\b|префектур|больниц|поликлиник|\bцрб\b|\b(?:"# + Levels.regionalHealthPrefixes + #")\b|омвд|полици|роспотребнадзор|комисси|\bпмпк\b|\b(?:оао|зао|пао)\b|\bооо\s*[«"]|компани|\bмчс\b|пожарн)"#)

    private static let notDativeWords: Set<String> = [
        "по", "ко", "при", "ему", "ей", "им", "ним", "ней", "нему", "какому", "каждой", "своему", "своей", "этому", "этой",
        "тому", "той", "всему", "итогу", "счету", "ходу", "поэтому", "сему", "кому", "чему", "задачу", "работу", "информацию",
        "программу", "систему", "деятельность", "модель", "новой", "новому",
    ]
    private static let datives: Set<String> = ["администрации", "комиссии", "ассоциации", "лаборатории", "всем", "каждому"]

    /// The word looks like the head of a dative phrase naming a body: `Руководителям`, `Отделу`, `МБОУ`, `Краевому`.
    static func isDativeHead(_ word: String) -> Bool {
        if Russian.isAbbreviation(word) { return true }
        let w = Russian.fold(word)
        guard w.count >= 3, !notDativeWords.contains(w) else { return false }
        if datives.contains(w) { return true }
        for ending in ["ам", "ям", "ому", "ему", "ым", "им", "у", "ю", "ой", "ей"] where w.hasSuffix(ending) { return true }
        return false
    }

    /// A participle opening a clause that describes the body before it (`, осуществляющим управление …`).
    static func isParticiple(_ word: String) -> Bool {
        let w = Russian.fold(word)
        return ["ющ", "ящ", "ащ", "ущ", "вш", "емым", "имым", "нным", "енным"].contains { w.contains($0) } && w.count > 6
    }

    /// The addressees named at the start of a task or heading, and the words that follow them.
    /// `phrase` is the text without its list marker and without a trailing `:`.
    static func leading(_ phrase: String) -> (addressees: [String], rest: String)? {
        let masked = Russian.maskQuoted(phrase, parentheses: true)
        let words = wordSpans(masked)
        guard let first = words.first else { return nil }
        var start = first.range.lowerBound
        var afterVerb = false
        if assigningVerbs.contains(Russian.fold(first.word)) {
            guard words.count > 1 else { return nil }
            start = words[1].range.lowerBound
            afterVerb = true
        }
        let startWord = afterVerb ? words[1].word : first.word
        guard isDativeHead(startWord) || afterVerb && Russian.fold(startWord) != "к" else { return nil }
        // `Сетевой проект для обучающихся …`: an adjective in `-ой` before a noun not in the dative is nominative (a
        // dative one goes with a dative noun: `Районной комиссии`, `Городскому методическому центру`).
        let startIndex = afterVerb ? 1 : 0
        if startIndex + 1 < words.count, ["ой", "ей"].contains(where: { Russian.fold(startWord).hasSuffix($0) }) {
            let next = Russian.fold(words[startIndex + 1].word)
            if words[startIndex + 1].word.first?.isLowercase == true, next.count >= 3,
               !["е", "и", "у", "ю", "ам", "ям", "ому", "ему", "ой", "ей", "ым", "им"].contains(where: { next.hasSuffix($0) }) { return nil }
        }
        // The phrase runs to the first infinitive or impersonal verb (`рекомендуется`), or to the end.
        var end = masked.endIndex
        for w in words where w.range.lowerBound > start && (Russian.isInfinitive(w.word) || impersonalVerbs.contains(Russian.fold(w.word))) {
            end = w.range.lowerBound
            break
        }
        // Nor does it run into a deadline (`Классным руководителям в течение учебного года информировать …`).
        if let d = DeadlineParser.find(in: String(masked[start..<end]), reference: Day(2000, 1, 1)),
           let r = masked[start..<end].range(of: d.raw) {
            end = r.lowerBound
        }
        let offsetStart = masked.distance(from: masked.startIndex, to: start)
        let offsetEnd = masked.distance(from: masked.startIndex, to: end)
        let chars = Array(phrase)
        let span = String(chars[offsetStart..<offsetEnd])
        guard bodyStem.matches(span) else { return nil }
        let rest = String(chars[offsetEnd...]).trimmingCharacters(in: .whitespaces)
        let bodies = split(span)
        return bodies.isEmpty ? nil : (bodies, rest)
    }

    /// Finite verbs by which the body that speaks assigns work to the one named after them.
    private static let finiteAssigningVerbs: Set<String> = [
        "предписывает", "предписываю", "поручает", "поручаю", "обязывает", "обязываю", "предлагает", "предлагаю",
        "рекомендует", "рекомендую",
    ]

    /// The addressees named after a finite verb that assigns the group (`Министерство … ПРЕДПИСЫВАЕТ муниципальному
    /// … учреждению … школе № 3 устранить выявленные нарушения …`), when a directive follows them.
    static func afterFiniteAssigningVerb(_ phrase: String) -> (addressees: [String], rest: String)? {
        let masked = Russian.maskQuoted(phrase, parentheses: true)
        let words = wordSpans(masked)
        guard let i = words.firstIndex(where: { finiteAssigningVerbs.contains(Russian.fold($0.word)) }), i + 1 < words.count,
              isDativeHead(words[i + 1].word) else { return nil }
        let offset = masked.distance(from: masked.startIndex, to: words[i].range.upperBound)
        let after = String(Array(phrase)[offset...]).trimmingCharacters(in: .whitespaces)
        guard let lead = leading(after), let next = Russian.words(lead.rest).first, Russian.isInfinitive(next) else { return nil }
        return lead
    }

    /// Splits `Отделу образования администрации района, МУ ЦОКО, образовательным организациям` into bodies;
    /// keeps `органам местного самоуправления, осуществляющим управление …` and `Министерству образования и науки` whole.
    /// Parenthesised remarks are dropped.
    static func split(_ phrase: String) -> [String] {
        let withoutRemarks = removeParentheses(phrase)
        let masked = Russian.maskQuoted(withoutRemarks)
        let chars = Array(withoutRemarks), maskedChars = Array(masked)
        var parts: [String] = []
        var current = ""
        var i = 0
        func nextWord(from j: Int) -> String {
            var k = j
            while k < chars.count && !chars[k].isLetter { k += 1 }
            var w = ""
            while k < chars.count && (chars[k].isLetter || chars[k] == "-") { w.append(chars[k]); k += 1 }
            return w
        }
        while i < chars.count {
            let ch = maskedChars[i]
            if ch == "," || ch == ";" {
                let next = nextWord(from: i + 1)
                if !next.isEmpty && !isParticiple(next) && (isDativeHead(next) || Russian.isAbbreviation(next)) && Russian.fold(next) != "в" {
                    parts.append(current)
                    current = ""
                    i += 1
                    continue
                }
            }
            if ch == "и", i > 0, chars[i - 1] == " ", i + 1 < chars.count, chars[i + 1] == " " {
                let next = nextWord(from: i + 1)
                let w = Russian.fold(next)
                if Russian.isAbbreviation(next) || (w.hasSuffix("ам") || w.hasSuffix("ям")) && w.count > 4 && !isParticiple(next) {
                    parts.append(current)
                    current = ""
                    i += 1
                    continue
                }
            }
            current.append(chars[i])
            i += 1
        }
        parts.append(current)
        return parts.map { part in
            let t = part.trimmingCharacters(in: CharacterSet(charactersIn: " ,;:.–—-"))
            // The dot of a closing initial stays (`Заместителю директора Орловой Т.С.`).
            return initialAtEnd.matches(t) && part.contains(t + ".") ? t + "." : t
        }.filter { !$0.isEmpty }
    }

    private static let initialAtEnd = Pattern(#"(?:^|[\s.])[А-ЯЁA-Z]$"#, caseSensitive: true)

    static func removeParentheses(_ s: String) -> String {
        var out = ""
        var depth = 0
        for ch in s {
            if ch == "(" { depth += 1; continue }
            if ch == ")" && depth > 0 { depth -= 1; continue }
            if depth == 0 { out.append(ch) }
        }
        return ResolutionNormalizer.collapseSpaces(Substring(out)).replacingOccurrences(of: " ,", with: ",")
    }

    struct WordSpan {
        var word: String
        var range: Range<String.Index>
    }

    /// Words of letters (and inner hyphens) with their positions; masked characters (`·`) end a word.
    static func wordSpans(_ s: String) -> [WordSpan] {
        var spans: [WordSpan] = []
        var start: String.Index?
        var i = s.startIndex
        while i < s.endIndex {
            let ch = s[i]
            let isWord = ch.isLetter || ch.isNumber || (ch == "-" && start != nil)
            if isWord {
                if start == nil { start = i }
            } else if let st = start {
                spans.append(WordSpan(word: String(s[st..<i]), range: st..<i))
                start = nil
            }
            i = s.index(after: i)
        }
        if let st = start { spans.append(WordSpan(word: String(s[st...]), range: st..<s.endIndex)) }
        return spans.map { span in
            var w = span
            while w.word.hasSuffix("-") { w.word.removeLast() }
            return w
        }
    }
}
