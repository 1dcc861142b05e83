import Foundation

/// Word-level rules for tasks (spec §3): what makes a sentence a directive, numeric targets, labelled
/// `срок`/`ответственные` remarks inside an item, and directives of one item split by their own deadlines.
enum Tasks {
    /// The first directive infinitive of a sentence (outside quotes and parentheses, within its first
    /// 30 words), folded; nil when there is none or the sentence only agrees or assesses
    /// (`Согласиться с выводами …`, `Признать удовлетворительным …`, `Принять к сведению …`).
    static func directiveVerb(in text: String) -> String? {
        guard let (verb, _) = firstDirective(in: text) else { return nil }
        return verb
    }

    private static let bearsInMind = Pattern(#"(?<![а-яё])(?:учитывать|помнить|понимать)\s*,\s*что(?![а-яё])"#)

    /// Verbs after which an infinitive says what can be, not what to do (`… чтобы обучающийся мог продвигаться …`).
    private static let modalVerbs: Set<String> = ["мог", "могла", "могло", "могли", "может", "могут", "можно", "сможет", "смогут", "смог",
                                                  "смогла", "смогли", "хочет", "хотят", "умеет", "умеют", "стремится", "стремятся", "планирует", "планируют", "планируется", "намерен", "намерена", "намерены",
                                                  // (`Приёмка … будет проводиться …`: the future tense, a statement.)
                                                  "будет", "будут"]

    private static let closingFormula = Pattern(#"^(?:контроль\s+(?:за\s+|над\s+)?(?:исполнени|выполнени|реализаци)[а-яё]*\s+(?:(?:настоящ|данн)[а-яё]*\s+)?(?:приказ|решени|постановлени|распоряжени|протокол|поручени|резолюци|предписани|представлени)|контроль\s+[^.]{0,120}?(?:возлож|оставля[юе]|оставить\s+за\s+собой)|разослать\s*:|утратил[аио]?\s+силу|исключ[её]н[аоы]?\s*\.?\s*(?:[-–—]|$)|(?:пункт|подпункт|п\.|пп\.)\s*[\d.]+\s+(?:утратил|исключ)|(?:(?:настоящ|данн)[а-яё]+\s+)?(?:постановлени|решени|приказ|распоряжени)[а-яё]*\s+вступа[а-яё]+\s+в\s+силу|изменени[а-яё]*,?\s+(?:[а-яё]+,?\s+){0,6}?вступа[а-яё]+\s+в\s+силу)"#)

    /// An instruction that edits another act's text: `в преамбуле слова «…» заменить словами «…»`, `пункт 6 признать
    /// утратившим силу`, `приложение 1 изложить в новой редакции (прилагается)`, `дополнить пунктом 4.3 …`.
    private static let editsAnotherAct = Pattern(#"^(?:в\s+(?:преамбуле|наименовании|пункте|подпункте|абзаце|разделе|приложении|таблице)[^;]{0,160}?\s)?(?:слов[аоы]?|цифр[аы]?|абзац|пункт|подпункт|приложение|раздел|наименование|строк[уа])\s[^;]{0,240}?(?:заменить|исключить|признать\s+утратившим|изложить\s+в\s+(?:(?:новой|следующей)\s+)?редакции)|^(?:дополнить|изложить|исключить)\s+(?:[^;]{0,80}?\s)?(?:пункт|подпункт|абзац|раздел|приложени|строк|слов)[а-яё]*"#)

    /// `Контроль за исполнением решения возложить на …`, `… оставляю за собой`, `Настоящее постановление вступает в силу …`,
    /// a point marked `Утратил силу.`, an instruction that edits another act's words: never a task (spec §3).
    static func isClosingFormula(_ text: String) -> Bool {
        let folded = Russian.fold(text)
        return closingFormula.matches(folded) || editsAnotherAct.matches(folded)
    }

    /// The directive infinitive and its position among the words.
    /// `addressed`: the text follows its addressee (`заслушать информацию …` after `Постоянной комиссии …`).
    static func firstDirective(in text: String, addressed: Bool = false) -> (String, Int)? {
        // The closing formula `Контроль за исполнением решения возложить на …` assigns no work.
        if closingFormula.matches(Russian.fold(text)) { return nil }
        let words = Addressees.wordSpans(Russian.maskQuoted(text, parentheses: true)).prefix(30).map { Russian.fold($0.word) }
        var i = 0
        while i < words.count {
            let w = words[i]
            if Russian.isInfinitive(w) {
                let next = i + 1 < words.count ? words[i + 1] : ""
                if w == "считать" && ["необходимым", "целесообразным", "важным", "нужным"].contains(next) { i += 2; continue }
                if w == "принять" && next == "к" { return nil }
                // (`Постоянной депутатской комиссии … заслушать информацию … в апреле 2026 года`: a body told to hear a report acts.)
                if w == "заслушать", addressed && i == 0 || i > 0 && Addressees.leading(text) != nil { return (w, i) }
                if Russian.nonDirectiveVerbs.contains(w) { return nil }
                // `… руководителям ОО было поручено обновить …`: what was assigned before, reported.
                if i >= 2, ["поручено", "рекомендовано", "предложено", "поручалось"].contains(words[i - 1]), ["было", "были", "был", "была"].contains(words[i - 2]) {
                    return nil
                }
                // `… чтобы обучающийся мог продвигаться …`: an infinitive after a modal verb says what can be, not what to do.
                if i > 0, modalVerbs.contains(words[i - 1]) { i += 1; continue }
                // `необходимо учитывать, что …`: what to bear in mind, not what to do.
                if ["учитывать", "помнить", "понимать"].contains(w), bearsInMind.matches(Russian.fold(text)) { return nil }
                return (w, i)
            }
            i += 1
        }
        return nil
    }

    /// `При планировании уроков рекомендуется выделять …`, `Педагогам целесообразно использовать …`: a directive after an
    /// impersonal recommendation (within the three words before it).
    static func recommendsImpersonally(_ text: String) -> Bool {
        guard let (_, index) = firstDirective(in: text), index > 0 else { return false }
        let words = Addressees.wordSpans(Russian.maskQuoted(text, parentheses: true)).prefix(index).map { Russian.fold($0.word) }
        return words.suffix(3).contains { $0 == "рекомендуется" || $0 == "целесообразно" }
    }

    /// (`Министерство образования … просит в срок до 23.01.2026 направить …`: the body that speaks asks too.)
    private static let request = Pattern(#"(?<![а-яё])(?:прошу|просим|просит|просят)\s"#)
    /// `Коллеги,`, `Уважаемые коллеги!`, `Наталья Викторовна,`: a form of address opening a message.
    static let vocative = Pattern(#"^(?:(?:[Уу]важаемые\s+|[Дд]орогие\s+)?(?:[Кк]оллеги|КОЛЛЕГИ)|[А-ЯЁ][а-яё]+(?:-[а-яё]+)?\s+[А-ЯЁ][а-яё]+(?:-[а-яё]+)?(?:овна|евна|ична|инична|ович|евич|ич)|[А-ЯЁ][А-ЯЁа-яё-]+\s+(?:СОШ|ООШ|НОШ|СШ)|(?:МБОУ|МАОУ|МКОУ|СОШ|ООШ)\s+[^,!]{1,40}?)\s*[,!]\s+"#, caseSensitive: true)
    private static let leadingMeeting = Pattern(#"^(?:к|ко|до)\s+(?:следующ[а-яё]+\s+|очередн[а-яё]+\s+)?(?:совещани|заседани|педсовет|видеоконференци)[а-яё]*(?![а-яё])\s*,?|^(?:к|ко|до)\s+(?:следующ[а-яё]+\s+|очередн[а-яё]+\s+)?вкс(?![а-яё])\s*,?"#)
    private static let impersonalLead = Pattern(#"^(?:необходимо|следует|нужно|надлежит)\s+(?=(?:в\s+срок|до|не\s+позднее|к)\s)"#)
    private static let requestThenVerb = Pattern(#"(?<![а-яё])(?:прошу|просим)\s+(?:вас\s+)?(?:также\s+)?[а-яё]+(?:ть|ти)(?:ся)?(?![а-яё])"#)
    /// Verbs after `необходимо`/`следует` that say what to bear in mind or note, not what to do (`необходимо учитывать, что …`).
    private static let notingVerbs: Set<String> = ["учитывать", "помнить", "понимать", "отметить", "подчеркнуть"]
    /// `Начиная с января 2026 года информацию … необходимо направлять …`: after a start, what must be done from then on.
    private static let obligedAfterStart = Pattern(#"^начиная\s+со?\s+[^.]{3,200}?(?<![а-яё])(?<!не\s)(?:необходимо|следует|нужно|надлежит)\s+(?:также\s+)?([а-яё]+(?:ть|ти))(?![а-яё])"#)
    private static let introStart = Pattern(#"^(?:в|во|для|с|на|при|по|в целях|в рамках|в части|с целью|в соответствии|на основе|по итогам|совместно)\s"#)

    private static let leadingFrequency = Pattern(#"^(?:ежедневно|еженедельно|ежемесячно|ежеквартально|ежегодно)\s*,?\s+(?:(?:до|не\s+позднее|к)\s+\d{1,2}(?:-?го)?\s+числа(?:\s+(?:каждого\s+)?месяца)?\s*,?\s+)?"#)

    /// The words after a deadline phrase that opens the sentence (`До 1 марта провести …` → `провести …`), or nil.
    static func afterLeadingDeadline(_ text: String) -> String? {
        // `К следующему совещанию подготовить …`, `К совещанию подготовить …`: a meeting the text may date elsewhere.
        if let m = leadingMeeting.firstMatch(in: text) {
            let rest = text[m.range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
            return rest.isEmpty ? nil : rest
        }
        // `Ежемесячно до 5 числа направлять …`: the frequency opens the deadline phrase.
        if let m = leadingFrequency.firstMatch(in: text), m.range.upperBound < text.endIndex {
            let rest = String(text[m.range.upperBound...])
            return afterLeadingDeadline(rest) ?? rest
        }
        guard let found = DeadlineParser.find(in: text, reference: Day(2000, 1, 1)),
              let range = text.range(of: found.raw, options: [.caseInsensitive, .anchored]) else { return nil }
        let rest = text[range.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
        return rest.isEmpty ? nil : rest
    }

    private static let actionStem = Pattern(#"^(?:"# + actionNounStems + "|направлени|закреплени" + ")")

    /// The text opens with a noun of action in any case (`Организацию целевого обучения …`, `проведение …`): work of
    /// its own, not what a directive above acts on.
    static func opensWithActionNoun(_ text: String) -> Bool {
        guard let first = Russian.words(text).first.map(Russian.fold) else { return false }
        // A verbal noun in any case (`соблюдение`, `функционирование`, `готовность`) names work as well.
        return actionStem.matches(first) || first.count > 5 && ["ние", "нию", "ния", "нии", "цию", "ция", "ции", "ость", "ости", "тие", "тия", "тию"].contains { first.hasSuffix($0) }
            && !schoolSubjects.contains { first.hasPrefix($0) }
    }

    /// Subjects named like verbal nouns (`обществознание – 12.12.2025`), which name no work.
    private static let schoolSubjects = ["обществознан", "естествознан", "краеведен", "природоведен", "черчен", "чтен", "землеведен"]

    /// Nouns of action that open a task written as a noun (`Создание рабочей группы …`, `Проведение мониторинга …`).
    /// Stems of nouns of action (`Создание`, `Проведение`, `Мониторинг` …).
    private static let actionNounStems = "созда|совершенствова|проведе|организаци|развити|обеспече|внедре|повыше|реализаци|разработк|осуществле|усиле|формировани|продолжени|подготовк|модернизаци|активизаци|расширени|укреплени|поддержк|сопровождени|использовани|оказани|привлечени|выявлени|информировани|актуализаци|обновлени|введени|включени|участи|изучени|обобщени|распространени|проработк|увеличени|сниже|снижени|охват|мониторинг|анализ|контрол|координаци|планировани|популяризаци|профилактик|трансляци|диагностик|ознакомлени"
    private static let actionNoun = Pattern(#"^(?:"# + actionNounStems + #")[а-яё]*$"#)

    /// The text opens with a noun of action, in the nominative, followed by what it acts on.
    private static let recurrenceAdjective = Pattern("^" + DeadlineParser.recurrenceStem + "(?:ый|ая|ое|ые)$")

    static func startsWithActionNoun(_ text: String) -> Bool {
        let body = afterLeadingDeadline(text) ?? text
        let words = Russian.words(body)
        guard words.count >= 2, Addressees.leading(body) == nil else { return false }
        // (`Ежедневный контроль …`, `Ежемесячная сверка …`: the noun after a recurrence's adjective.)
        let first = Self.recurrenceAdjective.matches(Russian.fold(words[0])) && words.count >= 3 ? words[1] : words[0]
        let w = Russian.fold(first)
        // Nominative singular only: `Организациям …` names an addressee, `Организацией …` is no task.
        return actionNoun.matches(w) && !["ой", "ей", "ем", "ию", "ям", "ях", "ами", "ями", "ам"].contains { w.hasSuffix($0) }
    }

    /// In running text without a decision formula, a directive must lead its sentence: the infinitive is
    /// among the first words, after an addressee, an introductory phrase or a deadline phrase.
    static func leadsWithDirective(_ text: String) -> Bool {
        guard let (_, index) = firstDirective(in: text) else { return false }
        if index <= 1 { return true }
        if let rest = afterLeadingDeadline(text), let (_, i) = firstDirective(in: rest), i <= 1 || Addressees.leading(rest) != nil { return true }
        if Addressees.leading(text) != nil { return true }
        // `Коллеги, прошу до 20.10 направить …`: a request, after at most a form of address and a deadline.
        let folded = Russian.fold(text)
        if let r = request.firstMatch(in: folded), folded.distance(from: folded.startIndex, to: r.range.lowerBound) < 120,
           index <= Russian.words(String(folded[..<r.range.upperBound])).count + 8 { return true }
        // `Коллеги, до конца месяца обновить …`: a form of address before the directive.
        if let v = vocative.firstMatch(in: text), v.range.upperBound < text.endIndex {
            return leadsWithDirective(String(text[v.range.upperBound...]))
        }
        if reportTopic.matches(Russian.fold(text)), let (verb, _) = firstDirective(in: text), reportVerbs.contains(verb) { return true }
        // `Протоколы заседаний РМО с предложениями … направить в ИМЦ до 26 декабря.`: what to send, then the verb.
        if objectFirst.matches(folded), let (verb, i) = firstDirective(in: text), i <= 12, sendingVerbs.contains(verb),
           !states(String(text.prefix(while: { $0 != "." }))) { return true }
        if introStart.matches(Russian.fold(text)) && index <= 15 { return true }
        // `Необходимо в срок до 05.12.2025 провести …`: an impersonal directive with its deadline first.
        if let m = impersonalLead.firstMatch(in: folded), let rest = afterLeadingDeadline(String(text[text.index(text.startIndex, offsetBy: folded.distance(from: folded.startIndex, to: m.range.upperBound))...])),
           let (_, i) = firstDirective(in: rest), i == 0 { return true }
        // `Начиная с января 2026 года, информацию … прошу направлять ежемесячно …`: a request of the sentence, its verb
        // right after it.
        if let r = requestThenVerb.firstMatch(in: folded), folded.distance(from: folded.startIndex, to: r.range.lowerBound) < 300,
           !folded[..<r.range.lowerBound].contains(".") { return true }
        // `Начиная с января 2026 года информацию … необходимо направлять еженедельно …` (not `… необходимо учитывать, что …`).
        if let m = obligedAfterStart.firstMatch(in: folded), let verb = m.group(1), firstDirective(in: String(folded[m.range.lowerBound...])) != nil,
           !notingVerbs.contains(verb) { return true }
        // `К сведению и исполнению: заполнить …`, `Напоминаю: совещание 27.11 в 14:00. К совещанию подготовить …`: a
        // short lead-in (not a web page's label) and a colon, then the directive, at most after a short first sentence.
        if let colon = text.firstIndex(of: ":"), Russian.words(text[..<colon]).count <= 4, firstDirective(in: String(text[..<colon])) == nil,
           leadIn.matches(Russian.fold(String(text[..<colon]))) {
            let rest = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if !rest.isEmpty, leadsWithDirective(rest) { return true }
            if let stop = firstSentenceEnd.firstMatch(in: rest), Russian.words(rest[..<stop.range.lowerBound]).count <= 8,
               firstDirective(in: String(rest[..<stop.range.lowerBound])) == nil {
                let next = String(rest[stop.range.upperBound...])
                if let (_, i) = firstDirective(in: next), i <= 1 { return true }
                if let after = afterLeadingDeadline(next), let (_, i) = firstDirective(in: after), i <= 1 { return true }
            }
        }
        return false
    }
    /// A lead-in asking for attention (`Напоминаю`, `Внимание`, `К сведению и исполнению`), a form of address
    /// (`Коллеги`) or a topic (`По олимпиаде`); not a headline's subject (`ОГЭ-2026: подготовить …`) or a page's label
    /// (`Читайте также`, `По теме`).
    private static let leadIn = Pattern(#"^\s*(?:(?:уважаемые\s+)?коллеги\s*,\s*(?=напомина))?(?:к\s+сведению\s+и\s+(?:исполнению|руководству)|для\s+сведения\s+и\s+(?:исполнения|руководства)|к\s+исполнению|для\s+исполнения|напоминаю|напоминаем|напоминание|внимание|важно|срочно|уточнение|повторно|дополнительно|поручение|задание|просьба|(?:уважаемые\s+)?коллеги|(?:добрый\s+день|доброе\s+утро)(?:,\s*коллеги)?|по\s+(?!теме)[а-яё].*)\s*[!,]?\s*$"#)
    /// `Дополнительно сообщаем, что … проводит вебинар … . Рекомендуем обеспечить участие …`: what a letter tells, then
    /// what it asks, in one paragraph. The words of the request, when the first sentence only informs.
    /// `inALetter`: the document is a letter to the bodies its address block names, whose facts may come before its asks.
    static func requestAfterNotice(_ text: String, inALetter: Bool = false) -> String? {
        if informingLead.matches(Russian.fold(text.prefix(60))), let stop = firstSentenceEnd.firstMatch(in: text),
           firstDirective(in: String(text[..<stop.range.lowerBound])) == nil {
            let rest = String(text[stop.range.upperBound...])
            if let (_, index) = firstDirective(in: rest), index <= 1 { return rest }
        }
        // `По состоянию на 01.11.2025 … работают 1184 педагога. Просим учесть эти сведения …`, `Копия письма направлена в
        // КГИРО. Просим КГИРО в срок до … сообщить …`: a letter's facts, then a sentence that asks; the request is the task.
        guard inALetter else { return nil }
        for stop in firstSentenceEnd.matches(in: text).prefix(12) {
            let rest = String(text[stop.range.upperBound...])
            // (`… проводится вебинар … . Участие ответственных от каждой ОО обязательно.`, `… будут рассмотрены … .
            // Предложения … подлежат направлению до 05.02.2026 …`: a duty laid after facts, as a request is.)
            if obligesAtFirst(text) { return nil }
            let obliges = obligesAtFirst(rest)
            guard asksWithin(rest) || obliges else { continue }
            guard firstDirective(in: String(text[..<stop.range.lowerBound])) == nil, firstDirective(in: rest) != nil || obliges else { return nil }
            return rest
        }
        return nil
    }
    private static let addressedImpersonal = Pattern(#"(?<![а-яё])([а-яё]+(?:ам|ям|ому|ему|у|ю|ии))\s+(?:[а-яё«»"№\d.-]+\s+){0,8}?(?:следует|необходимо|надлежит)\s"#)

    /// `Итоги … доведены до руководителей … . Управлению образования … следует до 15 декабря 2025 года рассмотреть …`,
    /// `… будет проведена 10–12 марта 2026 года; её результаты общеобразовательным организациям необходимо внести … не
    /// позднее 20 марта 2026 года`: after facts, a sentence or a clause after `;` where a body in the dative is told what to
    /// do (`следует`, `необходимо`, `надлежит` and an infinitive) by a date. Its words, from the sentence's or clause's
    /// start (spec §3).
    static func addressedLater(_ text: String, reference: Day?) -> String? {
        let masked = Russian.maskQuoted(text, parentheses: true)
        guard masked.count == text.count else { return nil }
        var starts = sentenceEnd.matches(in: masked).prefix(12).map { $0.range.upperBound }
        starts += masked.indices.filter { masked[$0] == ";" }.prefix(12).map { masked.index(after: $0) }
        for start in starts.sorted() {
            let offset = masked.distance(from: masked.startIndex, to: start)
            let before = String(text.prefix(offset))
            let rest = String(text.dropFirst(offset)).trimmingCharacters(in: .whitespaces)
            var clause = rest
            if let end = sentenceEnd.firstMatch(in: rest) { clause = String(rest[..<end.range.lowerBound]) }
            if let semi = clause.firstIndex(of: ";") { clause = String(clause[..<semi]) }
            let folded = Russian.fold(clause)
            guard let m = addressedImpersonal.firstMatch(in: folded), let body = m.group(1), Addressees.isDativeHead(body),
                  Levels.ofBody(body) != nil || Addressees.leading(clause) != nil || bodyWord.matches(body),
                  let (_, _) = firstDirective(in: String(folded[m.range.upperBound...])),
                  DeadlineParser.find(in: clause, reference: reference) != nil, firstDirective(in: before) == nil else { continue }
            return rest
        }
        return nil
    }
    private static let bodyWord = Pattern(#"^(?:управлени|отдел|организаци|учреждени|руководител|учител|педагог|школ|директор|министерств|департамент|комитет)"#)

    /// `Просим КГИРО … сообщить … . Кроме того, просим КГИРО предусмотреть …`: a later sentence of the paragraph asks again.
    static func asksAgain(_ text: String) -> Bool {
        // (`… . Информацию о результатах прошу представить … до 24.12.2025.`: what is asked for first.)
        sentenceEnd.matches(in: text).prefix(12).contains { asksWithin(String(text[$0.range.upperBound...])) }
    }
    /// A later sentence, or a clause after `;`, of a duty's paragraph lays a duty or asks again
    /// (`Участие … обязательно. …; вопросы … просим направить …, до 17.12.2025. Рекомендации … должны быть доведены …`).
    static func obligesAgain(_ text: String) -> Bool {
        guard obligesAtFirst(text) else { return false }
        let masked = Russian.maskQuoted(text, parentheses: true)
        guard masked.count == text.count else { return false }
        var starts = sentenceEnd.matches(in: masked).prefix(12).map { $0.range.upperBound }
        starts += masked.indices.filter { masked[$0] == ";" }.prefix(12).map { masked.index(after: $0) }
        return starts.contains { i in
            let rest = String(text.dropFirst(masked.distance(from: masked.startIndex, to: i)))
            return obligesAtFirst(rest) || asksWithin(rest)
        }
    }
    private static let commaAnd = Pattern(#",\s+и\s+(?=[а-яё]+(?:ть|ти)\s)"#)
    /// `… рассмотреть возможность …, что позволит …, и организовать в I квартале 2026 года совещание …`: the two directives,
    /// when the one after `, и` has a time of its own and the one before has none (spec §3).
    static func joinedDirective(_ text: String, reference: Day?) -> [String]? {
        let masked = Russian.maskQuoted(text, parentheses: true)
        guard masked.count == text.count, let m = commaAnd.firstMatch(in: masked) else { return nil }
        let cut = text.index(text.startIndex, offsetBy: masked.distance(from: masked.startIndex, to: m.range.lowerBound))
        let resume = text.index(text.startIndex, offsetBy: masked.distance(from: masked.startIndex, to: m.range.upperBound))
        let first = String(text[..<cut]), second = String(text[resume...])
        guard let (verb, i) = firstDirective(in: second), i == 0, Russian.isInfinitive(verb), firstDirective(in: first) != nil,
              DeadlineParser.find(in: second, reference: reference) != nil, DeadlineParser.find(in: first, reference: reference) == nil
        else { return nil }
        return [first + ",", second]
    }

    private static let setTimes = Pattern(#"(?<![а-яё])в\s+(?:установленн|определённ|определенн)[а-яё]+\s+срок"#)
    /// `… в установленные сроки`, `… в установленный срок`: a time of its own, not dated here (spec §4).
    static func namesSetTimes(_ text: String) -> Bool { setTimes.matches(Russian.fold(text)) }

    /// The text opens with a request (`Прошу довести …`, `Кроме того, просим …`).
    static func opensWithAsking(_ text: String) -> Bool { askingSentence.matches(Russian.fold(text.prefix(40))) }
    /// `Просим …`, `Прошу …`, `Кроме того, просим …`, `Также просим …`.
    private static let askingSentence = Pattern(#"^(?:кроме\s+того\s*,\s*|также\s+|дополнительно\s+)?(?:просим|прошу)(?![а-яё])"#)
    private static let informingLead = Pattern(#"^(?:дополнительно\s+|также\s+)?(?:сообщаем|информируем|доводим\s+до\s+(?:вашего\s+)?сведения)(?![а-яё])"#)

    /// A sentence's end before a capital: not after an initial or a one-letter abbreviation (`г. в 14:00`), but after a
    /// year's `г.` (`… 19 ноября 2025 г. Рекомендуем …`). Group 1 is the mark.
    /// (After an abbreviation of three capitals or more, `… направлена в КГИРО. Просим …`, too.)
    static let sentenceEnd = Pattern(#"(?:(?<![А-ЯЁA-Z]|\s[а-яё])|(?<=[А-ЯЁ]{3})|(?<=\d{4}\sг)|(?<=\d{4}г))([.!])\s+(?=[А-ЯЁ])"#, caseSensitive: true)
    private static let firstSentenceEnd = sentenceEnd

    /// `Оператору обеспечить …`, `Муниципальным координаторам направить …`: a clause led by an addressee in the dative
    /// and a directive, the only kind of task inside an appendix that regulates (spec §3).
    static func addressedDirective(_ text: String) -> Bool {
        guard let (_, index) = firstDirective(in: text), (1...9).contains(index), let printed = Russian.words(text).first else { return false }
        // `МОУО организовать …`, `ЦДТ обеспечить …`: a body's abbreviation leads as a dative does.
        if index == 1, Russian.isAbbreviation(printed), printed.count >= 3 { return true }
        let first = Russian.fold(printed)
        // `Для проведения школьного этапа общеобразовательным учреждениям создать …`: a purpose, then the addressee.
        if purposeLead.matches(first), index >= 2, case let words = Russian.words(text), index <= words.count,
           dativeEnding.matches(Russian.fold(words[index - 1])), Addressees.isDativeHead(words[index - 1]) { return true }
        return index <= 6 && dativeEnding.matches(first) && first.count > 2
    }

    private static let statement = Pattern(#"(?<![а-яё])[а-яё]{3,}(?:ется|ются|ится|ятся|лось|лась|лись|лся|ен|ено)(?![а-яё])"#)

    /// A finite verb or a short participle (`сохраняется`, `снизилось`, `подготовлен`): a sentence that states.
    /// `отчёты будут рассмотрены …`, `… были проведены …`: a passive participle after a tense of `быть`.
    private static let passiveStatement = Pattern(#"(?<![а-яё])(?:будут|будет|были|было|была|был)\s+(?:[а-яё]+\s+)?[а-яё]{3,}(?:[её]н|[ая]н|т)[аоы]?(?![а-яё])"#)
    /// `результаты проверки будут доведены …`: the first clause states in the future or past passive.
    static func statesInFuture(_ text: String) -> Bool {
        let clause = String(Russian.maskQuoted(text).prefix { !",;:".contains($0) })
        return passiveStatement.matches(Russian.fold(clause))
    }
    static func states(_ text: String) -> Bool {
        let folded = Russian.fold(Russian.maskQuoted(text))
        return statement.matches(folded) || passiveStatement.matches(folded)
    }

    /// `информация … должна быть направлена … до 26.12.2025`, `планы подлежат согласованию до …`: what must be done to a
    /// thing (spec §3, an obligation in the passive).
    private static let passiveObligation = Pattern(#"(?<![а-яё])(?<!котор[а-яё]{1,2}\s)(?:(?:(?:должн|обязательн)(?:а|о|ы)|должен)\s+быть\s+[а-яё]{3,}(?:[её]н|[ая]н|т)[аоы]?|подлеж(?:ит|ат)\s+(?:[а-яё]+(?:ому|ему)\s+)?[а-яё]{4,}(?:ию|ии|ю|е|у)|(?:представля|направля|предоставля|сда|размеща)(?:ется|ются)\s+[^.;]{0,80}?(?:(?:до|не\s+позднее)\s+\d|ежедневно|еженедельно|ежемесячно|ежеквартально|ежегодно))(?![а-яё])"#)
    /// `Классные руководители должны провести …`, `Меню … должно размещаться …`, `… обязаны пройти обучение …`: a duty in
    /// the active voice with a modal word (not after `не`).
    private static let modalDuty = Pattern(#"(?<![а-яё])(?<!не\s)(?:должн(?:а|о|ы)|должен|обязан(?:а|о|ы)?)\s+(?:[а-яё]+\s+)?[а-яё]{3,}(?:ть|ться|ти)(?![а-яё])"#)
    static func obligesPassively(_ text: String) -> Bool { passiveObligation.matches(Russian.fold(Russian.maskQuoted(text))) }

    /// `Участие ответственных … обязательно`, `Явка руководителей ОО обязательна`, `Присутствие … является обязательным`,
    /// `Предварительная регистрация участников обязательна до 06.02.2026` (not `… не обязательно`).
    static let participationRequired = Pattern(#"^(?:[а-яё]+(?:ая|ое)\s+)?(?:участие|явка|присутствие|регистрация|проведение|прохождение|посещение)\s[^.;]{0,160}?\s(?<!не\s)(?:является\s+)?обязательн(?:о|а|ы|ым|ой)(?![а-яё])"#)
    private static let impersonalObligation = Pattern(#"^(?:[а-яё«»"№\d.,-]+\s+){0,12}?(?<!не\s)(?:следует|необходимо|нужно|надлежит)\s+(?:также\s+)?[а-яё]+(?:ть|ти)(?![а-яё])"#)
    /// A sentence that lays a duty on the addressees without a directive of its own (spec §3, an obligation in the
    /// passive): `Планы … подлежат согласованию …`, `Графики … должны быть размещены …`, `Участие … обязательно`, `В период
    /// каникул следует исключить …`. Only its first sentence is looked at.
    static func obligesAtFirst(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let sentence = sentenceEnd.firstMatch(in: trimmed).map { String(trimmed[..<$0.range.lowerBound]) } ?? trimmed
        let folded = Russian.fold(Russian.maskQuoted(sentence))
        if obligesPassively(sentence) || participationRequired.matches(folded) || modalDuty.matches(folded) { return true }
        if impersonalObligation.matches(folded), let (verb, _) = firstDirective(in: sentence), !notingVerbs.contains(verb) {
            return true
        }
        return false
    }
    /// `…; вопросы по теме вебинара просим направить заранее, до 17.12.2025, …`: a request with what is asked for first.
    static func asksWithin(_ text: String) -> Bool {
        let folded = Russian.fold(text.trimmingCharacters(in: .whitespaces).prefix(90))
        return askingSentence.matches(folded) || requestWithin.firstMatch(in: folded).map { !clauseBreak.matches(String(folded[..<$0.range.lowerBound])) } == true
    }
    private static let requestWithin = Pattern(#"(?<![а-яё])(?:прошу|просим)(?![а-яё])"#)
    private static let clauseBreak = Pattern(#"[;:]|\.\s"#)

    /// `4. Дежурство … организуется по графику: графики дежурств подлежат утверждению …`: a lead that states how
    /// something is done, then the duties after its colon; the duties, else nil.
    static func dutiesAfterStatedLead(_ text: String) -> String? {
        let masked = Russian.maskQuoted(text, parentheses: true)
        guard masked.count == text.count, let maskedColon = masked.firstIndex(of: ":") else { return nil }
        let offset = masked.distance(from: masked.startIndex, to: maskedColon)
        let lead = String(text.prefix(offset))
        let rest = String(text.dropFirst(offset + 1)).trimmingCharacters(in: .whitespaces)
        guard Russian.words(lead).count <= 25, !lead.contains("."), firstDirective(in: lead) == nil, states(lead), !rest.isEmpty,
              obligesAtFirst(rest) else { return nil }
        return rest
    }

    private static let ellipticDuty = Pattern(#"[,;]\s+((?:[а-яё]+\s+){1,5}?)[–—-]\s+(?:[а-яё]{4,}ию|[а-яё]{3,}(?:ены|ена|ено|аны|ана|ано))(?![а-яё])"#)
    /// `графики дежурств подлежат утверждению … до 25.12.2025, копии приказов – направлению … до 26.12.2025`: a second duty
    /// that leaves out `подлежат`, after a comma; the two duties, else nil.
    static func ellipticDuties(_ text: String) -> [String]? {
        let folded = Russian.fold(text)
        guard folded.count == text.count, obligesPassively(text),
              let m = ellipticDuty.firstMatch(in: folded) else { return nil }
        let cut = text.index(text.startIndex, offsetBy: folded.distance(from: folded.startIndex, to: m.range.lowerBound))
        let first = String(text[..<cut]), second = String(text[text.index(after: cut)...]).trimmingCharacters(in: .whitespaces)
        guard !second.isEmpty else { return nil }
        return [first, second]
    }

    private static let foundVerb = Pattern(#"(?<![а-яё])(?:показал[аио]?|выявил[аио]?|подтвердил[аио]?|продемонстрировал[аио]?|свидетельству[ею]т|составил[аио]?)(?![а-яё])"#)
    /// A noun item whose first clause states (`Мониторинг проведён с 6 по 10 октября …`, `Анализ выполнения заданий
    /// показал, что …`): a finding, not work to do.
    static func statesAtFirst(_ text: String) -> Bool {
        let masked = Russian.maskQuoted(text)
        let clause = String(masked.prefix { !",:;".contains($0) })
        let folded = Russian.fold(clause)
        return statement.matches(folded) || foundVerb.matches(folded)
    }

    private static let dativeEnding = Pattern(#"(?:ам|ям|ому|ему|ым|им|у|ю)$"#)
    private static let purposeLead = Pattern(#"^(?:для)$"#)
    private static let approvingHeading = Pattern(#"^(?:утвердить|назначить|установить|определить\s+(?:следующие\s+)?(?:срок|график|порядок|ответствен|состав|перечень))(?:\s+[^:]*)?\s*:?$"#)

    /// `Утвердить:`, `Утвердить прилагаемые:`, `Установить сроки представления отчётов:`: a heading whose sub-items
    /// are what the document approves or sets (spec §3).
    static func approves(_ heading: String) -> Bool {
        approvingHeading.matches(Russian.fold(heading))
    }

    /// `О результатах исполнения настоящего предписания … сообщить …`: the topic of a report, then its directive.
    private static let reportTopic = Pattern(#"^(?:о|об)\s+(?:результатах|исполнении|ходе|итогах|выполнении|принятых\s+мерах)\s"#)
    /// A paragraph that opens with what is to be sent (`Протоколы …`, `Информацию …`, `Сведения …`, `Заявки …`).
    private static let objectFirst = Pattern(#"^(?:протоколы|информацию|отч[её]ты?|сведения|заявки|списки|копии|предложения|материалы|справку|справки)(?![а-яё])"#)
    private static let sendingVerbs: Set<String> = ["направить", "представить", "предоставить", "сдать", "передать", "разместить", "выслать"]
    private static let reportVerbs: Set<String> = ["сообщить", "доложить", "проинформировать", "информировать", "представить", "направить", "уведомить"]

    private static let targetPatterns = [
        // A number starts where a run of digits starts and takes all of it (`(?<!\d)\d++`): a long run of
        // digits costs one pass, not one pass per digit.
        Pattern(#"(?:не\s+(?:менее|ниже|более|выше)\s+|более\s+|свыше\s+|до\s+)?(?<!\d)\d++(?:[.,]\d++)?\s*+%(?:\s+[а-яё]+(?:ых|их)\s+[а-яё]+|\s+(?!от\s|в\s|на\s|и\s|к\s)[а-яё]+)?"#),
        Pattern(#"не\s+(?:менее|ниже|более)\s+(?:\d+(?:[.,]\d+)?|одно[йгму]?[а-яё]*|дв[уха][а-яё]*|тр[её][хм]?[а-яё]*|четыр[а-яё]*|пят[иь][а-яё]*|шест[иь][а-яё]*|десят[иь][а-яё]*)\s+[а-яё]+(?:\s+[а-яё]+)?"#),
    ]

    /// Numeric targets as printed: `не менее 70%`, `65% обучающихся`.
    static func targets(in text: String) -> [String] {
        let masked = Russian.maskQuoted(text)
        var found: [(Range<String.Index>, String)] = []
        for p in targetPatterns {
            // The matches found so far, in order and apart (one pattern's matches never overlap): a binary
            // search finds the only one a new match could overlap.
            let taken = found.map(\.0).sorted { $0.lowerBound < $1.lowerBound }
            for m in p.matches(in: masked) {
                var low = 0, high = taken.count
                while low < high {
                    let mid = (low + high) / 2
                    if taken[mid].upperBound <= m.range.lowerBound { low = mid + 1 } else { high = mid }
                }
                if low < taken.count && taken[low].overlaps(m.range) { continue }
                found.append((m.range, m.text.trimmingCharacters(in: .whitespaces)))
            }
        }
        return found.sorted { $0.0.lowerBound < $1.0.lowerBound }.map(\.1)
    }

    private static let label = Pattern(#"(?<![а-яё])(срок[иа]?(?:\s+(?:исполнения|выполнения|реализации|проведения))?|ответственн[а-яё]*(?:\s+за\s+исполнение)?|отв\.|исполнител[а-яё]*)\s*(?:[:–—-]|(?=\s+до\s))"#)

    /// Cuts labelled remarks out of a task's text: `(срок – до 01.09.2020)`, `(отв. — Иванов И.И., срок — …)`,
    /// or a trailing `… . Срок: в течение года. Ответственные: …`.
    static func extractInline(_ text: String) -> (text: String, deadline: String?, responsible: [String]) {
        let labels = label.matches(in: text)
        guard !labels.isEmpty else { return (text, nil, []) }
        let chars = Array(text)
        // Parenthesised groups that start with a label, and a trailing run of labels after a sentence break.
        var cuts: [Range<Int>] = []
        var depth = 0, open = 0
        for (i, ch) in chars.enumerated() {
            if ch == "(" { if depth == 0 { open = i }; depth += 1 }
            if ch == ")" && depth > 0 {
                depth -= 1
                if depth == 0 {
                    let inner = String(chars[(open + 1)..<i]).trimmingCharacters(in: .whitespaces)
                    if let m = label.firstMatch(in: inner), m.range.lowerBound == inner.startIndex { cuts.append(open..<(i + 1)) }
                }
            }
        }
        // Offsets and the character before each label found incrementally: linear however many labels there are.
        var start = 0, index = text.startIndex
        for m in labels {
            start += text.distance(from: index, to: m.range.lowerBound)
            index = m.range.lowerBound
            if cuts.contains(where: { $0.contains(start) }) { continue }
            var k = start - 1
            while k >= 0 && chars[k].isWhitespace { k -= 1 }
            guard k >= 0, ".;,".contains(chars[k]) || !Russian.startsLowercase(text[index...]) else { continue }
            cuts.append(start..<chars.count)
            break
        }
        guard !cuts.isEmpty else { return (text, nil, []) }
        var deadline: String?
        var responsible: [String] = []
        for cut in cuts {
            let piece = String(chars[cut])
            let found = label.matches(in: piece)
            for (k, m) in found.enumerated() {
                let end = k + 1 < found.count ? found[k + 1].range.lowerBound : piece.endIndex
                let value = String(piece[m.range.upperBound..<end]).trimmingCharacters(in: CharacterSet(charactersIn: " ,;()"))
                if Russian.fold(m.group(1) ?? "").hasPrefix("срок") {
                    if deadline == nil { deadline = value.trimmingCharacters(in: CharacterSet(charactersIn: " .")) }
                } else {
                    responsible += Structure.splitResponsible(value)
                }
            }
        }
        // The trailing cut may cover a parenthesised one: characters are dropped by mask, not range by range.
        var dropped = [Bool](repeating: false, count: chars.count)
        for cut in cuts { for i in cut { dropped[i] = true } }
        let kept = chars.indices.lazy.filter { !dropped[$0] }.map { chars[$0] }
        let remaining = ResolutionNormalizer.collapseSpaces(Substring(String(kept))).replacingOccurrences(of: " .", with: ".")
            .replacingOccurrences(of: " ;", with: ";").replacingOccurrences(of: " ,", with: ",")
        return (remaining.trimmingCharacters(in: CharacterSet(charactersIn: " ,")), deadline, responsible)
    }

    /// Splits an item at `;` into directives that each carry their own deadline; one part otherwise.
    private static let dateAnd = Pattern(#"(?:(?<=\d{4}\s?г\.|\d{4}\sгода|\d{2}\.\d{2}\.\d{4})\s+|,\s+)и\s+(?=[а-яё]+(?:ть|ти)\s)"#)

    static func splitByDeadlines(_ text: String, reference: Day?, atSentences: Bool = false) -> [String] {
        let maskedText = Russian.maskQuoted(text, parentheses: true)
        let masked = Array(maskedText)
        let chars = Array(text)
        // (`… провести инструктажи … . Сканы записей … направить … до 16.00.`: a sentence's end too.)
        let sentenceEnds = atSentences && masked.count == chars.count
            ? Set(sentenceEnd.matches(in: maskedText).map { maskedText.distance(from: maskedText.startIndex, to: $0.range.lowerBound) }) : []
        // (`… организовать обучение … до 20 февраля 2026 года и представить … сведения … до 27 февраля 2026 года.`,
        // `разработать до 1 декабря 2025 г. планы …, и обеспечить их реализацию в течение …`: `и` after a date or a comma,
        // before an infinitive, between two directives each with its own time; the `и` is neither's.)
        var andCuts: [Int: Int] = [:]
        if masked.count == chars.count {
            for m in dateAnd.matches(in: maskedText) {
                andCuts[maskedText.distance(from: maskedText.startIndex, to: m.range.lowerBound)]
                    = maskedText.distance(from: maskedText.startIndex, to: m.range.upperBound)
            }
        }
        // Each segment with the words cut before it (an `и` between directives), given back if it joins the one before.
        var segments: [(joiner: String, text: String)] = []
        var current = "", joiner = ""
        var skipUntil = 0
        for (i, ch) in chars.enumerated() where i >= skipUntil {
            if let end = andCuts[i] {
                segments.append((joiner, current))
                current = ""
                joiner = String(chars[i..<end])
                skipUntil = end
                continue
            }
            current.append(ch)
            if masked[i] == ";" || sentenceEnds.contains(i) {
                segments.append((joiner, current))
                current = ""
                joiner = ""
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { segments.append((joiner, current)) }
        guard segments.count > 1 else { return [text] }
        var parts: [(text: String, dated: Bool)] = []
        for (joiner, seg) in segments {
            // (A sentence that names only an hour, `… направить … до 16.00.`, is due that hour of the day before it.)
            let dated = DeadlineParser.find(in: seg, reference: reference) != nil || namesSetTimes(seg)
                || atSentences && parts.last?.dated == true && DeadlineParser.hourAlone.matches(Russian.fold(seg))
            // (`… провести инструктажи … . Прошу довести настоящее письмо …`: a sentence that asks again is a task of its own.)
            // (So is one that lays a duty with a time of its own, `… . Памятки … должны быть доведены … до 26.12.2025.`, after a
            // duty's.)
            let asks = atSentences && (askingSentence.matches(Russian.fold(seg.trimmingCharacters(in: .whitespaces).prefix(40)))
                                       || (asksWithin(seg) || obligesAtFirst(seg)) && dated)
                && parts.last.map { firstDirective(in: $0.text) != nil || obligesAtFirst($0.text) } == true
            if let last = parts.last, !(last.dated && dated && directiveVerb(in: seg) != nil), !asks {
                parts[parts.count - 1] = (last.text + joiner + seg, last.dated || dated)
            } else {
                parts.append((seg, dated))
            }
        }
        return parts.map { $0.text.trimmingCharacters(in: .whitespaces) }
    }

    /// `Провести проверку …; по итогам проверки подготовить справку.`: the clauses apart by `;` (outside quotes and
    /// parentheses), when each holds a directive; else the text whole.
    static func directiveClauses(_ text: String, objectsAfterFirst: Bool = false) -> [String] {
        let masked = Array(Russian.maskQuoted(text, parentheses: true))
        let chars = Array(text)
        guard masked.count == chars.count else { return [text] }
        var clauses: [String] = [], current = ""
        for (i, ch) in chars.enumerated() {
            current.append(ch)
            if masked[i] == ";" { clauses.append(current); current = "" }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { clauses.append(current) }
        let trimmed = clauses.map { $0.trimmingCharacters(in: .whitespaces) }
        guard trimmed.count >= 2, objectsAfterFirst ? firstDirective(in: trimmed[0]) != nil : trimmed.allSatisfy({ firstDirective(in: $0) != nil }) else { return [text] }
        return trimmed
    }

    /// The bodies in a closing parenthesis that names who acts: `… (управление образования, руководители ОО).`
    static func trailingBodies(_ text: String) -> [String]? {
        var t = text
        while let last = t.last, ".;, ".contains(last) { t.removeLast() }
        guard t.hasSuffix(")"), let open = t.lastIndex(of: "(") else { return nil }
        let inner = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
        let bodies = Addressees.split(inner)
        // Named in the nominative, as actors; `(работодателями, органами власти)` names partners, not who acts.
        let oblique = ["ами", "ями", "ыми", "ими", "ом", "ем", "ой", "ей", "ам", "ям", "ым", "им"]
        let actors = bodies.allSatisfy { body in
            let first = Russian.fold(Russian.words(body).first ?? "")
            return Levels.ofBody(body) != nil && (Russian.isAbbreviation(Russian.words(body).first ?? "") || !oblique.contains { first.hasSuffix($0) })
        }
        guard !bodies.isEmpty, actors, Russian.words(inner).count <= 16 else { return nil }
        return bodies
    }

    private static let yearsOnly = Pattern(#"^\d{4}\s*[-–—−/]\s*(?:\d{4}|\d{2})"#)

    /// The words of a parenthesis closing the task that holds only a deadline: `… (ноябрь – декабрь 2023 года).`,
    /// `… (ежеквартально)`. A range of years alone (`(2021–2025 гг.)`) more often dates a named programme: not taken.
    static func closingParenthesisDeadline(_ text: String) -> String? {
        var t = text
        while let last = t.last, ".;, ".contains(last) { t.removeLast() }
        guard t.hasSuffix(")"), let open = t.lastIndex(of: "(") else { return nil }
        let inner = String(t[t.index(after: open)..<t.index(before: t.endIndex)]).trimmingCharacters(in: .whitespaces)
        // (`(в соответствии с приложением 2 к приказу от 01.09.2025 № 900)`: an act's date, no time.)
        guard Structure.isBareDeadline(inner, words: 12), !yearsOnly.matches(inner), !actDated.matches(Russian.fold(inner)) else { return nil }
        return inner
    }
    private static let actDated = Pattern(#"(?<![а-яё])от\s+\d{1,2}\.\d{1,2}\.\d{4}\s*(?:г\.?\s*)?№"#)

    /// Task text as stored: trimmed, without a trailing `;` or `,`.
    static func clean(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespaces)
        while let last = t.last, last == ";" || last == "," || last == " " { t.removeLast() }
        return t
    }
}
