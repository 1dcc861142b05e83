import Foundation

/// The document's heading (spec §2) and where its running text starts.
enum Header {
    struct Result {
        var document: ResolutionDocument
        /// Index of the first paragraph after the heading.
        var bodyStart: Int
        /// The day relative deadlines are counted from: the document's date, else a day guessed from its year.
        var reference: Day?
        /// A letter's address block (`Руководителям органов местного самоуправления …`): who acts for its items
        /// that name nobody (spec §2, *a letter*).
        var addressees: [String] = []
        /// The level of a task nothing else gives one: `school` in a school's own order (spec §3, *a school's own order*).
        var issuerLevel: TaskLevel?
        /// The level of the body whose head approves the document in the stamp above its heading, else of the body
        /// in its letterhead: its own units (`кафедра …`, `Отделу общего образования Комитета`) act at that level (spec §3).
        var approverLevel: TaskLevel?
    }

    /// Nouns that name a document's kind (`kind` is the first of them in the heading).
    static let documentNouns: Set<String> = [
        "резолюция", "решение", "рекомендации", "постановление", "протокол", "обращение", "приказ", "распоряжение",
        "меморандум", "декларация", "заключение", "положение", "резолюции", "решения", "план", "перечень", "предписание",
        "представление",
        "программа", "чат", "циклограмма", "паспорт", "телефонограмма",
    ]

    /// Words that open a resolution's heading: a document noun, or a word before one (`Итоговая резолюция`, `Проект решения`).
    static let kinds: Set<String> = documentNouns.union(["итоговый", "итоговая", "проект"])

    /// Nouns that name a report's kind only on a heading line of their own (`АНАЛИЗ РАБОТЫ …`, not `Анализ показал, что …`).
    static let reportNouns: Set<String> = ["анализ", "отчет", "справка", "информация"]
    static let headingNouns = documentNouns.union(reportNouns)

    private static let dateAlone = Pattern(#"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*г\.?)?\s*$"#)
    private static let signature = Pattern(#"(?:[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+|[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.)\s*$"#, caseSensitive: true)
    private static let headTitle = Pattern(#"^(?:директор|ректор|заведующ[а-яё]*|начальник|руководител[а-яё]*)$"#)

    static func parse(_ given: [String]) -> Result {
        // `Р Е З О Л Ю Ц И Я` is read as `РЕЗОЛЮЦИЯ`.
        let paragraphs = given.prefix(12).map(Russian.joinLetterSpacing) + given.dropFirst(12)
        guard !paragraphs.isEmpty else { return Result(document: ResolutionDocument(), bodyStart: 0, reference: nil) }
        if let mail = email(paragraphs) { return mail }
        // The heading starts at the first paragraph that opens with a kind word, else at the top.
        var kindAt: Int?
        // Stamps above the heading (`ПРИНЯТ …`, `УТВЕРЖДАЮ …`) take up to a dozen lines of their own.
        let stamped = paragraphs.prefix(10).contains { stampWord.matches(Russian.fold($0)) }
        for (i, p) in paragraphs.prefix(16).enumerated() {
            let words = Russian.words(p)
            guard let w = words.first else { continue }
            // Below a tall letterhead and address block (a prosecutor's, a ministry's) only a heading in capitals
            // (`ПРЕДСТАВЛЕНИЕ`) is looked for.
            if i >= 10, !stamped, !w.allSatisfy(\.isUppercase) || w.count < 4 { continue }
            // `КОМПЛЕКСНЫЙ МЕЖВЕДОМСТВЕННЫЙ ПЛАН …`: adjectives before the document noun.
            // (`АНАЛИТИЧЕСКАЯ СПРАВКА`, on a heading line of its own)
            // (`Приложение: 1. Положение о конкурсе на 4 л.`: a noun in `-ие` is no adjective.)
            let afterAdjectives = words.count <= 24 && adjective.matches(Russian.fold(w)) && !["ение", "ание", "тие"].contains(where: { Russian.fold(w).hasSuffix($0) })
                && words.prefix(3).contains { documentNouns.contains(Russian.fold($0)) || reportNouns.contains(Russian.fold($0)) && isHeadingLine(p) && words.count <= 4 }
            let report = reportNouns.contains(Russian.fold(w)) && isHeadingLine(p) && !Tasks.states(p) && !reportSentence.matches(Russian.fold(p))
            // `ПЛАН-ГРАФИК`, `План-схема`: a document noun joined to another.
            let compound = documentNouns.contains(String(Russian.fold(w).prefix { $0 != "-" })) && w.contains("-")
            guard kinds.contains(Russian.fold(w)) || afterAdjectives || report || compound else { continue }
            // `Приказ от 29.08.2025 № 154` under `УТВЕРЖДАЮ` is the approval stamp's order, not the heading.
            // So is `Протокол от 28.08.2025 № 1` under `ПРИНЯТ на заседании педагогического совета`.
            if stampReference.matches(Russian.fold(p)), paragraphs[max(0, i - 5)..<i].contains(where: { stampWord.matches(Russian.fold($0)) }) { continue }
            kindAt = i
            break
        }
        if kindAt == nil, let letter = letter(paragraphs) { return letter }
        // A letter's subject above the first kind word (`О конкурсе` | … | `Приложение` | `ПОЛОЖЕНИЕ о конкурсе`): the kind word
        // heads an appendix; the document is the letter.
        if let k = kindAt, k > 2, let letter = letter(Array(paragraphs.prefix(k))), letter.bodyStart <= k,
           paragraphs[..<k].contains(where: { Structure.opensAppendix($0) }) {
            return letter
        }
        let start = kindAt ?? 0
        var end = start + 1
        // A legal database's `Список изменяющих документов` and its `(в ред. …)` lines follow the heading; they are not of it.
        while end < paragraphs.count && end - start < 6 && isHeadingLine(paragraphs[end]) && !Russian.fold(paragraphs[end]).hasPrefix("список изменяющих") { end += 1 }
        // A title page's place and year under the title (`Вологда` | `2025`) are not of it.
        if end - start >= 3, Self.loneYear.matches(paragraphs[end - 1]) {
            end -= 1
            if end - start >= 2, Self.lonePlace.matches(paragraphs[end - 1]) { end -= 1 }
        }
        let headingLines = Array(paragraphs[start..<end])
        let title = headingLines.joined(separator: " ")
        // `Итоговая резолюция`, `Проект решения`: the kind is the first document noun among the first words.
        let firstWords = Russian.words(title).prefix(3).map { Russian.fold($0) }
        let kindWord = firstWords.first(where: { headingNouns.contains($0) || headingNouns.contains(String($0.prefix { $0 != "-" })) }) ?? firstWords.first ?? ""

        // The first paragraphs of running text, before the decision formula and the first list item.
        var running: [String] = []
        for p in paragraphs[end...].prefix(2) {
            if Structure.isDecisionFormula(p) || ListMarker.parse(p) != nil { break }
            running.append(p)
        }
        let place = findPlace(in: title) ?? running.lazy.compactMap { findPlace(in: $0) }.first ?? ""
        // An approval stamp above the heading (`УТВЕРЖДЕН приказом … от 15.01.2024 № 12`) dates a plan that has no date of its own.
        var stamp = paragraphs[..<start].joined(separator: " ")
        var sideBySide: Day?
        // `ПРИНЯТА … (протокол от 28.08.2025 № 1)` beside `УТВЕРЖДЕНА … от 29.08.2025`: the approval dates it.
        if let approval = stamp.range(of: "утвержд", options: .caseInsensitive) {
            stamp = String(stamp[approval.lowerBound...])
            // Two stamps typed side by side share their lines (`Протокол от 28.08.2025 № 1      Приказ от 29.08.2025 №
            // 187-од`): the adopting council's protocol is not the approval while an order dates it.
            let withoutProtocol = Self.adoptingProtocol.replacing(in: stamp, with: " ")
            if findDate(in: withoutProtocol, numbered: true) != nil { stamp = withoutProtocol }
            // `СОГЛАСОВАНО … УТВЕРЖДАЮ` on shared lines, the approval on the right: each line's second date is its.
            if let line = paragraphs[..<start].first(where: { $0.range(of: "утвержд", options: .caseInsensitive) != nil }),
               let at = Russian.fold(line).range(of: "утвержд"), Self.otherStampWord.firstMatch(in: String(Russian.fold(line)[..<at.lowerBound])) != nil,
               let last = DeadlineParser.datePoints(in: DeadlineParser.fold(stamp), reference: nil).last {
                sideBySide = last.day
            }
        } else if paragraphs[..<start].contains(where: { stampWord.matches(Russian.fold($0)) }) {
            // `РАССМОТРЕНО … протокол от 27.08.2025 № 1` alone: an adoption, not the document's date.
            stamp = ""
        }
        // `20.11.2025 № 02-01-2025/Прдп214` between a letterhead and `ПРЕДСТАВЛЕНИЕ`: the outgoing number's date, before a
        // date in the text under the heading (`Проверкой, проведённой 14.10.2025, …`).
        let outgoing = paragraphs[..<start].contains(where: { stampWord.matches(Russian.fold($0)) }) ? nil
            : paragraphs[..<start].lazy.compactMap { numberedDate(in: $0) }.first
        // `Основание: предписание … от 10.11.2025 …, проверка проведена с 27.10.2025 по 07.11.2025`: the grounds' dates, not
        // the document's.
        // (`Сроки III четверти: с 12 января по 20 марта 2026 года …` under a plan's heading: a sentence of the plan's, not its
        // date line.)
        // (Nor a sentence ending in a full stop: `Учебный год начинается 01.09.2025 и заканчивается 31.08.2026.`)
        let approved = stamp.range(of: "утвержд", options: .caseInsensitive) != nil
        let dated = running.filter { p in
            !Russian.fold(p).hasPrefix("основани")
                && !(approved && (p.count > 80 || p.hasSuffix(".") && !Self.yearAbbreviationAtEnd.matches(p)))
        }
        // `23.01.2026 № 1` on its own line under the heading: the document's date and number.
        let numberLine = dated.first.flatMap { $0.count <= 40 ? Self.numberedDate(in: $0) : nil }
        let stampDate = sideBySide ?? (stamp.isEmpty ? nil : findDate(in: stamp, numbered: true))
        // `ПЛАН проведения методической недели … 16–20 марта 2026 года` under `УТВЕРЖДАЮ … приказ от 02.03.2026`: the
        // heading's days are the event's; the approval dates the plan.
        // (Also `с 16 по 20 марта 2026 года`, `(16.03.2026 – 20.03.2026)`: any span of days the heading names.)
        let eventDays = approved && stampDate != nil && namesDays(title, reference: stampDate)
        // (Nor is a line under such a heading: `16 марта 2026 года (понедельник)` is the week's first day.)
        let date = eventDays ? outgoing ?? numberLine ?? stampDate
            : findDate(in: title, numbered: true) ?? outgoing ?? numberLine ?? dated.lazy.compactMap { findDate(in: $0, numbered: false) }.first ?? stampDate
        // A справка or letter dated only under its signature (`Заместитель директора по УВР  Л.А. Сорокина` | `12.09.2025`).
        let tail = Array(given.suffix(20))
        let signed = date == nil ? tail.indices.dropFirst().reversed().lazy.compactMap { i -> Day? in
            // A date alone on its line right under a signature (a name with initials), not a row's date.
            guard let m = Self.dateAlone.firstMatch(in: tail[i]), Self.signature.matches(tail[i - 1]),
                  let d = Int(m.group(1) ?? ""), let mo = Int(m.group(2) ?? ""), let y = Int(m.group(3) ?? "") else { return nil }
            return Day.valid(y, mo, d)
        }.first : nil

        var reference = date ?? signed
        if reference == nil, let y = findYear(in: title) ?? running.lazy.compactMap({ findYear(in: $0) }).first {
            // A plan for an academic year (`на 2024/2025 учебный год`) is counted from the eve of that year.
            let academic = academicYearNamed.firstMatch(in: Russian.fold(title)).flatMap { $0.group(1) }.flatMap { Int($0) }
            reference = academic.map { Day($0, 8, 31) } ?? (Russian.fold(title).contains("август") ? Day(y, 8, 31) : Day(y, 1, 1))
        }
        let document = ResolutionDocument(kind: kindWord, title: title, body: body(of: title), place: place, date: (date ?? signed)?.iso ?? "")
        // A school's letterhead above its own order, a school head's approval above its own analysis or plan, a
        // school named as what the heading is about: its staff act on what names nobody.
        let above = paragraphs[..<start]
        let ownOrder = ["приказ", "распоряжение"].contains(kindWord)
            && (above.contains { Levels.ofBody($0) == .school } || schoolOrderHeading.matches(Russian.fold(title)))
        // The approval stamp's lines after `УТВЕРЖДАЮ` (a stamp beside another in a table may share its paragraph).
        let approval: [String] = above.firstIndex { Russian.fold($0).contains("утверждаю") }.map { i in
            let first = above[i]
            let word = first.range(of: "утверждаю", options: .caseInsensitive)
            let after = word.map { String(first[$0.upperBound...]) } ?? first
            // `СОГЛАСОВАНО … УТВЕРЖДАЮ` side by side on shared lines (a `.docx` row of two cells): each line's approval is
            // its right part, from its last title.
            let beside = word.map { otherStampWord.firstMatch(in: Russian.fold(String(first[..<$0.lowerBound]))) != nil } ?? false
            func own(_ line: String) -> String {
                beside ? stampTitle.matches(in: line).last.map { String(line[$0.range.lowerBound...]) } ?? line : line
            }
            var lines = ([own(after)] + above[(i + 1)...].prefix(3).map(own)).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            // `Директор Каменск-Уральского филиала` | `ГАОУ ДПО СО «Институт развития образования»`: a head's title that
            // names no body of its own goes on with the line under it.
            for k in lines.indices.dropLast() {
                let words = Russian.words(lines[k])
                guard let first = words.first, headTitle.matches(Russian.fold(first)),
                      Levels.ofBody(words.dropFirst().joined(separator: " ")) == nil else { continue }
                lines[k] += " " + lines[k + 1]
                break
            }
            return lines
        } ?? []
        let approvedBySchool = approval.contains { Pattern(#"^(?:директор|заведующ)"#).matches(Russian.fold($0)) && Levels.ofBody($0) == .school }
        let aboutASchool = schoolAsSubject.matches(Russian.fold(title))
        // `УТВЕРЖДАЮ Ректор ГАОУ ДПО «…института развития образования»`: the body whose head approves the document.
        // Else the letterhead's body (`КОМИТЕТ ПО ОБРАЗОВАНИЮ АДМИНИСТРАЦИИ Г. УЛАН-УДЭ`), whose units its order addresses.
        let approver = approval.lazy.compactMap { Levels.ofBody($0) }.first
            ?? (approval.isEmpty ? above.filter { !Russian.isInAnotherLanguage($0) && !Self.regionOnly.matches(Russian.fold($0)) }.prefix(4)
                .lazy.compactMap { Levels.ofBody($0) }.first : nil)
        // `Начальнику отдела образования администрации … района` above `ПРЕДСТАВЛЕНИЕ`/`ПРЕДПИСАНИЕ`: as in a letter,
        // the address block acts for items that name nobody.
        // The lines of a stamp (`УТВЕРЖДАЮ` / `И.о. директора КОГОБУ СШ пгт Нема`) name who signs, not who acts.
        let unstamped = above.indices.filter { i in !above[max(above.startIndex, i - 4)...i].contains { stampWord.matches(Russian.fold($0)) } }.map { above[$0] }
        // `УПРАВЛЕНИЕ ОБРАЗОВАНИЯ …` above its `ПРИКАЗ`: the department's staff act on an item that names nobody (`1.
        // Провести муниципальный этап конкурса …`).
        let departmentOrder = ["приказ", "распоряжение"].contains(kindWord) && approval.isEmpty && approver == .municipal
        // (A report sent up, `ИНФОРМАЦИЯ о выполнении …` to `Председателю комитета …`: the address block receives it; the
        // work it names is the sender's.)
        let sentUp = reportNouns.contains(kindWord) && kindWord != "анализ"
        // `Кому: руководителям общеобразовательных организаций …` among a телефонограмма's fields: its address block.
        // (Looked for only when no address block is found.)
        let toWhom = paragraphs.prefix(24).prefix { !Structure.isDecisionFormula($0) }.lazy
            .compactMap { p in Self.toWhom.firstMatch(in: p)?.group(1).flatMap { Addressees.leading($0)?.addressees } }
        let addressed = sentUp ? [] : unstamped.lazy.filter(isAddressBlock).compactMap { Addressees.leading($0)?.addressees }.first
            ?? unstamped.lazy.compactMap(addressedOfficial).first.map { [$0] } ?? toWhom.first ?? []
        return Result(document: document, bodyStart: end, reference: reference, addressees: addressed,
                      issuerLevel: ownOrder || approvedBySchool || aboutASchool ? .school : sentUp || departmentOrder ? approver : nil,
                      approverLevel: approver)
    }

    private static let messageField = Pattern(#"^(?:Дата\s+передачи|Время\s+передачи|Передал[аи]?|Кому|Копия|Отметка|От\s+кого)\s*:"#, caseSensitive: true)
    /// (The fields may share a paragraph: `Передал: … Кому: руководителям … Копия: …`.)
    private static let toWhom = Pattern(#"(?:^|\s)Кому\s*:\s*(.{3,300}?)(?=\s+(?:Копия|Отметка|Передал[аи]?|Принял[аи]?|Дата|Время|От кого|Адрес)\s*:|$)"#, caseSensitive: true)
    private static let officialAddressed = Pattern(#"(?<![А-ЯЁа-яё])(?:(?:И\.\s?о\.|Исполняющему\s+обязанности|ВрИО|Врио)\s+(?:директора|начальника|главы|руководителя|министра|председателя|заведующего|ректора)|(?:Директору|Начальнику|Главе|Руководителю|Министру|Председателю|Заведующему|Ректору|Заместителю|Управляющему))\s"#, caseSensitive: true)
    private static let addressEnd = Pattern(#"\s(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.|[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+|ул\.|[А-ЯЁ]{7,})"#, caseSensitive: true)

    /// `Главе Шиловского муниципального района`, `И.о. начальника управления образования …`, `Директору МБОУ …` above a
    /// heading, also beside a letterhead on shared lines: the official addressed, up to a person's name or an address.
    static func addressedOfficial(_ p: String) -> String? {
        guard let m = officialAddressed.firstMatch(in: p) else { return nil }
        var rest = String(p[m.range.lowerBound...])
        // The end is looked for after the title word, whose own capitals (`И.о.`) are no person's initials.
        let titleEnd = rest.index(rest.startIndex, offsetBy: p.distance(from: m.range.lowerBound, to: m.range.upperBound))
        if let end = addressEnd.firstMatch(in: rest, from: titleEnd) { rest = String(rest[..<end.range.lowerBound]) }
        rest = rest.trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
        return Levels.ofBody(rest) != nil ? rest : nil
    }

    /// `ПРИКАЗ МБОУ «СОШ № 5»`, `Приказ по МКОУ …`: a school's own order named in its heading.
    private static let schoolOrderHeading = Pattern(#"^(?:приказ|распоряжение)\s+(?:по\s+)?(?:мбоу|маоу|мкоу|гбоу|моу|гоу|чоу|мбноу|маноу)(?![а-яё])"#)

    /// `АНАЛИЗ РАБОТЫ муниципального бюджетного общеобразовательного учреждения …`, `План работы МБОУ «СОШ № 3»`.
    private static let schoolAsSubject = Pattern(#"^(?:анализ|отчет|справка|план|программа)[а-яё]*(?:\s+[а-яё]+){0,3}?\s+(?:(?:(?:муниципальн|государственн|частн)[а-яё]*\s+)?(?:(?:бюджетн|казенн|автономн)[а-яё]*\s+)?(?:обще)?образовательн[а-яё]*\s+(?:учреждени|организаци)[а-яё]*(?!\s+(?:район|город|округ|област|кра|республик|муниципальн))|(?:мбоу|маоу|мкоу|гбоу|моу|сош|школы|гимназии|лицея)(?![а-яё]))"#)

    private static let mailField = Pattern(#"^(Тема|От|Кому|Копия|Дата|Отправлено|Вложения)\s*:\s*(.*)$"#, caseSensitive: true)
    private static let replyPrefix = Pattern(#"^(?:(?:RE|Re|FW|Fw|Fwd|FWD|Ответ|Пересл)\s*:\s*)+"#, caseSensitive: true)

    /// An e-mail saved as text (spec §2): its fields (`Тема:`, `От:`, `Кому:`, `Копия:`, `Дата:`, `Вложения:`) open it. The
    /// subject without `RE:` is the title, `От:` the body, `Дата:` the date, `Кому:` who acts for its items that name nobody.
    static func email(_ paragraphs: [String]) -> Result? {
        var fields: [String: String] = [:]
        var end = 0
        for (i, p) in paragraphs.prefix(10).enumerated() {
            guard let m = mailField.firstMatch(in: p), let name = m.group(1) else { break }
            fields[name] = m.group(2)?.trimmingCharacters(in: .whitespaces) ?? ""
            end = i + 1
        }
        guard let subject = fields["Тема"], fields["От"] != nil || fields["Кому"] != nil, end >= 2 else { return nil }
        let title = replyPrefix.replacing(in: subject, with: "")
        let date = (fields["Дата"] ?? fields["Отправлено"]).flatMap { findDate(in: $0, numbered: false) }
        // (`Руководители ОО Мелеузовского района (рассылка) <oo@…>`: the addressees as named, without the address.)
        let to = fields["Кому"].map { String($0.prefix { $0 != "<" && $0 != "(" }).trimmingCharacters(in: .whitespaces) }
        let from = fields["От"].map { String($0.prefix { $0 != "<" }).trimmingCharacters(in: .whitespaces) } ?? ""
        let document = ResolutionDocument(kind: "письмо", title: title, body: from, place: findPlace(in: from) ?? "", date: date?.iso ?? "")
        return Result(document: document, bodyStart: end, reference: date, addressees: to.flatMap { $0.isEmpty ? nil : [$0] } ?? [])
    }

    /// A letter (spec §2): no kind word; a subject (`О мониторинге …`) after the letterhead and an outgoing number's
    /// date or an address block. Its address block is who acts for items that name nobody.
    static func letter(_ paragraphs: [String]) -> Result? {
        guard let subject = paragraphs.indices.dropFirst().prefix(11).first(where: { i in
            let p = paragraphs[i], folded = Russian.fold(p)
            guard folded.hasPrefix("о ") || folded.hasPrefix("об "), p.count <= 300, let last = p.last, !".;:!".contains(last),
                  ListMarker.parse(p) == nil else { return false }
            return paragraphs[..<i].contains { $0.contains("№") && findDate(in: $0, numbered: true) != nil || isAddressBlock($0) }
        }) else { return nil }
        let above = paragraphs[..<subject]
        // (`И.о. директора МБОУ «СОШ № 3»` | `Петровой А.В.`: the official addressed by a title in the genitive.)
        // (A `.docx` letterhead's row gives its right cell, the address block, after the subject.)
        let addressees = above.lazy.filter(isAddressBlock).compactMap { Addressees.leading($0)?.addressees }.first
            ?? (above + paragraphs[(subject + 1)...].prefix(2)).lazy.compactMap(addressedOfficial).first.map { [$0] }
            ?? nominativeAddressee(above) ?? []
        let title = paragraphs[subject]
        let running = paragraphs[(subject + 1)...].prefix(2)
        let place = findPlace(in: title) ?? running.lazy.compactMap { findPlace(in: $0) }.first
            ?? above.lazy.compactMap { findPlace(in: $0) }.first ?? ""
        let date = findDate(in: above.joined(separator: " "), numbered: true)
        let document = ResolutionDocument(kind: "письмо", title: title, body: paragraphs[0], place: place, date: date?.iso ?? "")
        return Result(document: document, bodyStart: subject + 1, reference: date, addressees: addressees)
    }

    private static let nominativeBody = Pattern(#"^(?:министерство|управление|департамент|комитет|отдел|администрация|институт|центр|прокуратура|комиссия|(?:гау|гбу|гку|гбоу|гаоу|гбуз|гуз|мку|мбу|мау|мбоу|маоу|мкоу|моау|моу|фгбу|фгбоу)(?:\s+(?:дпо|до|во|ро|со))?\s+[«"]?)\s*[а-яё«"]"#)
    /// `03.12.2025 № 01-15/2878` | `Министерство образования Оренбургской области` | `О подвозе …`: a body named in the
    /// nominative on a line of its own between the outgoing number and the subject, the letter sent up to it.
    private static func nominativeAddressee(_ above: ArraySlice<String>) -> [String]? {
        guard let numbered = above.lastIndex(where: { $0.contains("№") && findDate(in: $0, numbered: true) != nil }) else { return nil }
        return above[(numbered + 1)...].lazy.first { p in
            p.count <= 160 && Russian.words(p).first?.contains(where: \.isLowercase) == true && !".;:!?".contains(p.last ?? ".")
                && nominativeBody.matches(Russian.fold(p)) && Levels.ofBody(p) != nil && Tasks.firstDirective(in: p) == nil
        }.map { [$0] }
    }

    /// `Руководителям органов местного самоуправления …` above a letter's subject. The letterhead in capitals
    /// (`МИНИСТЕРСТВО …`) reads like an abbreviation; an address block is in words.
    private static func isAddressBlock(_ p: String) -> Bool {
        Russian.words(p).first?.contains(where: \.isLowercase) == true && Structure.isAddresseeLine(marker: nil, text: p)
    }

    /// A heading line: short, not a sentence or a list item, not a decision formula.
    static func isHeadingLine(_ p: String) -> Bool {
        guard p.count <= 300, let last = p.last else { return false }
        // A place and date line ends in the dot of `г.` (`г. Очер 22 января 2024 г.`), not in a full stop.
        if ".,;:".contains(last), !(last == "." && yearAbbreviationAtEnd.matches(p)) { return false }
        if ListMarker.parse(p) != nil { return false }
        if Structure.isDecisionFormula(p) { return false }
        // A телефонограмма's fields (`Дата передачи: … Кому: …`), a циклограмма's first section (`ПОНЕДЕЛЬНИК`) are not a title.
        if messageField.matches(p) || Structure.namesDaysOfASection(p) { return false }
        if Structure.monthHeading.matches(Russian.fold(p)) { return false }
        // A line of running text starting with a date: `26 августа 2020 года в режиме онлайн состоялась …`.
        if p.first?.isNumber == true && p.count > 40 { return false }
        return true
    }

    private static let documentNumber = Pattern(#"^\s*№\s*[0-9A-Za-zА-ЯЁа-яё/-]+"#)
    private static let yearAbbreviationAtEnd = Pattern(#"\d\s*г\.$"#)

    /// The words after the kind word up to the quoted name or a date; a trailing `от` is dropped.
    static func body(of title: String) -> String {
        let words = Addressees.wordSpans(title)
        guard let first = words.prefix(3).first(where: { headingNouns.contains(Russian.fold($0.word)) }) ?? words.first else { return "" }
        var rest = String(title[first.range.upperBound...])
        // The document's number after the kind word (`ПРОТОКОЛ № 1 совещания …`) is not where the body ends.
        if let m = documentNumber.firstMatch(in: rest) { rest = String(rest[m.range.upperBound...]) }
        let cut = [DeadlineParser.numericDate, DeadlineParser.textDate].compactMap { p -> String.Index? in
            p.firstMatch(in: rest).map(\.range.lowerBound)
        }
        var end = rest.endIndex
        for c in cut where c < end { end = c }
        if let q = rest.firstIndex(where: { "«\"„“".contains($0) }), q < end { end = q }
        if let n = rest.firstIndex(of: "№"), n < end { end = n }
        rest = String(rest[..<end])
        var trimmed = rest.trimmingCharacters(in: CharacterSet(charactersIn: " ,.:;-–—"))
        if trimmed.hasSuffix(" от") || Russian.fold(trimmed) == "от" { trimmed = String(trimmed.dropLast(2)).trimmingCharacters(in: .whitespaces) }
        // A year closing the body is the date part of the heading (`… педагогического совета 2020 года`).
        if let m = Pattern(#"\s+(?:от\s+)?(?:19|20)\d{2}\s*(?:года|год|г\.?)?$"#).firstMatch(in: trimmed), m.range.lowerBound > trimmed.startIndex {
            trimmed = String(trimmed[..<m.range.lowerBound])
        }
        return trimmed
    }

    private static let placePatterns: [Pattern] = [
        Pattern(#"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?(?:ского|цкого|ской|цкой|ого|ой|его|ей)\s+(?:автономного\s+|автономной\s+|муниципального\s+|городского\s+)?(?:района|края|области|округа|кожууна|улуса)(?![а-яё])"#, caseSensitive: true),
        Pattern(#"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)?(?:ский|цкий|ская|цкая)\s+(?:муниципальный\s+|городской\s+)?(?:район|край|область|округ)(?![а-яё])"#, caseSensitive: true),
        // `Республики Марий Эл`, `Республики Саха (Якутия)`: a republic's name may have two words.
        Pattern(#"Республик[аиеу]\s+[А-ЯЁ][а-яё]+(?:\s+[А-ЯЁ][а-яё]+(?![а-яё]))?(?:\s+\([А-ЯЁ][а-яё]+\))?"#, caseSensitive: true),
        Pattern(#"(?:г\.|города|город|городе)\s*[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)*"#, caseSensitive: true),
        Pattern(#"(?<![А-ЯЁа-яё])(?:Москв[аыеу]|Санкт-Петербург[аеу]?|Севастопол[ьяюе])(?![а-яё])"#, caseSensitive: true),
    ]

    /// The first region, district or town named, as printed; `Российской Федерации` is not a place.
    static func findPlace(in text: String) -> String? {
        var best: Pattern.Match?
        for p in placePatterns {
            for m in p.matches(in: text) {
                let t = m.text
                if t.hasPrefix("Российск") || t.hasPrefix("Федеральн") { continue }
                if best == nil || m.range.lowerBound < best!.range.lowerBound { best = m }
                break
            }
        }
        return best?.text
    }

    /// The first full date. In running text a date with a number (`от 21.07.2020 № 474`) is a law or an
    /// order's and is skipped; in the heading it is the document's own (`РЕШЕНИЕ … от 15.09.2021 № 3`).
    /// A date followed by its document's number (`20.11.2025 № 02-01`), alone.
    static func numberedDate(in text: String) -> Day? {
        let folded = DeadlineParser.fold(text)
        // (`ПРИКАЗ № 538 «20» ноября 2025 г.`: the number before the date opening the heading, as a bilingual letterhead's
        // line keeps it.)
        return DeadlineParser.datePoints(in: folded, reference: nil).first { point in
            folded[point.range.upperBound...].prefix(8).contains("№") || numberBefore.matches(String(folded[..<point.range.lowerBound]))
        }?.day
    }
    /// `РЕСПУБЛИКА БАШКОРТОСТАН`, `Красноярский край` over a letterhead: where the body is, not the body.
    private static let regionOnly = Pattern(#"^(?:российская\s+федерация|республика\s+[а-яё-]+(?:\s*[-–—]\s*[а-яё]+)?|[а-яё-]+\s+(?:край|область)|[а-яё-]+\s+автономный\s+округ(?:\s*[-–—]\s*[а-яё]+)?)\s*$"#)
    /// (Only opening the heading: `ПРИКАЗ № 538 «20» ноября 2025 г.`.)
    private static let numberBefore = Pattern(#"^(?:[а-я]+\s+)?№\s*\d[\w/-]*\s*$"#)

    static func findDate(in text: String, numbered: Bool) -> Day? {
        let folded = DeadlineParser.fold(text)
        // An event of several days (`24–25 марта 2022 года`) is dated by its first day.
        if let m = dayRange.firstMatch(in: folded), let d = Int(m.group(1) ?? ""), let month = Russian.month(m.group(2) ?? ""),
           let y = Int(m.group(3) ?? ""), let day = Day.valid(y, month, d) {
            return day
        }
        let points = DeadlineParser.datePoints(in: folded, reference: nil)
        // In the heading the dated, numbered line is the document's own (`20 сентября 2022 г. № 14-П`), even after the
        // date of the meeting it follows (`…, состоявшегося 12 сентября 2022 года`).
        if numbered, let own = numberedDate(in: text) { return own }
        for point in points {
            let after = folded[point.range.upperBound...].prefix(8)
            if !numbered && (after.contains("№") || after.contains(" n ")) { continue }
            return point.day
        }
        return nil
    }

    /// Whether a heading names a span of days (`16–20 марта 2026 года`, `с 16 по 20 марта …`, `(16.03.2026 – 20.03.2026)`).
    private static func namesDays(_ title: String, reference: Day?) -> Bool {
        if dayRange.matches(DeadlineParser.fold(title)) { return true }
        if case .period? = DeadlineParser.find(in: title, reference: reference)?.deadline { return true }
        return false
    }

    private static let dayRange = Pattern(#"(?<![\d.])(\d{1,2})\s*-\s*\d{1,2}\s+("# + Russian.monthPattern + #")\s+(\d{4})"#)

    private static let academicYearNamed = Pattern(#"(?<!\d)(20\d{2})\s*[-–—/]\s*(?:20)?\d{2}(?!\d)\s*(?:уч\.|учебн)"#)

    private static let adjective = Pattern(#"^[а-я]{3,}(?:ый|ий|ой|ая|яя|ое|ее|ые|ие)$"#)
    /// A stamp's reference to the act that approved or adopted the document: `Приказ от 29.08.2025 № 154`; a protocol's
    /// only when the line holds nothing but its date and number (`Протокол от 28.08.2025 № 1`, also in parentheses) or the other stamp's
    /// order beside it (`Протокол от 28.08.2025 № 1      Приказ от 29.08.2025 № 187-од`), as `ПРОТОКОЛ № 3` over its
    /// meeting is a heading.
    private static let stampReference = Pattern(#"^\(?(?:(?:приказ|распоряжение|постановление|решение)[а-я]*\s+(?:от|№)\s|протокол[а-я]*\s+(?:№\s*[0-9a-zа-я/-]+\s+)?от\s+(?:[0-9.]+|«?\d{1,2}»?\s+[а-я]+\s+\d{4})(?:\s*г\.?)?(?:\s+№\s*[0-9a-zа-я/-]+)?\)?\s*(?:$|(?:приказ|распоряжение|постановление|решение)[а-я]*\s+(?:от|№)\s))"#)
    /// `Отчёт о проведении … показал, что …`: a sentence about a report, not a report's heading.
    private static let reportSentence = Pattern(#"(?:показал|выявил|свидетельству|подтвердил)[а-яё]*|,\s*что(?![а-яё])"#)
    private static let adoptingProtocol = Pattern(#"протокол[а-я]*\s+(?:№\s*[0-9a-zа-я/-]+\s+)?от\s+(?:[0-9.]+|«?\d{1,2}»?\s+[а-я]+\s+\d{4})(?:\s*г\.?)?(?:\s+№\s*[0-9a-zа-я/-]+)?"#)
    private static let stampTitle = Pattern(#"(?<![А-ЯЁа-яё])(?:Директор|Начальник|Ректор|Заведующ[а-яё]*|Глава|Председател[а-яё]*|Министр|Руководител[а-яё]*|И\.\s?о\.)(?![а-яё])"#, caseSensitive: true)
    private static let otherStampWord = Pattern(#"(?<![а-я])(?:согласован|принят|рассмотрен|одобрен)[а-я]*(?![а-я])"#)
    private static let loneYear = Pattern(#"^(?:19|20)\d{2}(?:\s*г\.?)?$"#)
    private static let lonePlace = Pattern(#"^(?:г\.\s*)?[А-ЯЁ][а-яё]+(?:[- ][А-ЯЁ][а-яё]+)?$"#, caseSensitive: true)
    private static let stampWord = Pattern(#"^(?:утвержд|принят|рассмотрен|согласован|одобрен)"#)

    static func findYear(in text: String) -> Int? {
        let m = Pattern(#"(?<!\d)((?:19|20)\d{2})(?!\d)"#).firstMatch(in: text)
        return m.flatMap { $0.group(1) }.flatMap { Int($0) }
    }
}
