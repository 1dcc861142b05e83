import Foundation

/// Which level a body, heading or task belongs to (spec §3).
enum Levels {
    private static let municipalBody = Pattern(#"местного самоуправления|омсу|моуо|муниципальн[а-яё]* (?:орган|служб|методическ|управлен|центр|казенн|учреждени[ея] [а-яё]* ?(?:центр|служб))|муниципальн[а-яё]* (?:бюджетн|автономн|казенн)[а-яё]* учреждени[а-яё]* (?:дополнительного|«?[а-яё]* ?«?(?:центр|служб))|совет[а-яё]* депутатов|муниципальн[а-яё]* (?:[а-яё-]+ )?комисси|депутатск[а-яё]* комисси|(?:городск|районн|территориальн)[а-яё]* (?:пмпк|психолого-медико-педагогическ)|(?:отдел|управлени|комитет|департамент)[а-яё]* (?:по )?образовани[яюем][а-яё]* (?:и [а-яё]+ )?(?:администрации )?(?:[а-яё-]+ )?(?:района|города|г\.|округа|кожууна|улуса|муниципальн|городск|мо\b|го\b|мр\b)|(?:городск|районн|муниципальн)[а-яё]* методическ[а-яё]* объединени|(?:отдел|управлени|комитет)[а-яё]* (?:по )?образовани[яюем][а-яё]*(?: администрации)?$|районн[а-яё]* (?:методическ|отдел)|\bму\b|\bмау\b|\b(?:уо|руо|гуо)\b|\bмбу\b|\bмку\b|\bимц\b|\bгмо\b|\bрмо\b|\bммо\b|\bрмц\b|\bммц\b|\bрмк\b|муниципальн[а-яё]* уров|(?:исполнительн[а-яё]* комитет|администраци|глав)[а-яё]* (?:[а-яё-]+ ){0,2}(?:муниципальн[а-яё]* (?:район|округ)|городск[а-яё]* (?:округ|поселени)|сельск[а-яё]* поселени)|уров[а-яё]* муниципал|администраци[а-яё]* (?:[а-яё-]+ )?(?:район|город|округ|кожуун|улус)[а-яё]*"#)
    /// A region's own prefixes of its state schools (`КОГОБУ СШ …`, `ОГБОУ …` without `ДПО`) and health bodies
    /// (`КОГБУЗ`, `ГУЗ`): one list for the level of a body and for an addressee before a directive.
    static let regionalSchoolPrefixes = "когобу|когоау|огбоу|огаоу|кгбоу|кгаоу"
    static let regionalHealthPrefixes = "гауз|гбуз|гуз|огуз|огбуз|когбуз|кгбуз"
    private static let schoolBody = Pattern(#"образовательн[а-яё]* организаци|\bсш\b|"# + regionalSchoolPrefixes + #"|образовательн[а-яё]* учреждени|школ|\bсош\b|\bоош\b|\bнош\b|\bоо\b|\bоу\b|\bудо\b|\bдоо\b|\bдоу\b|мбоу|маоу|мкоу|мбдоу|мадоу|\bмоу\b|гбоу|гоу|\bшмо\b|гимнази|лице[йяюе]|педагог|учител|классн[а-яё]* руковод|директор|воспитател|детск[а-яё]* сад|по (?:увр|вр|учебно-воспитательн|воспитательн)|уров[а-яё]* образовательн[а-яё]* организаци|школьн[а-яё]* уров|институциональн[а-яё]* уров"#)
    private static let regionalBody = Pattern(#"министерств|министр[уа]?\s|департамент|краев|областн|регионал|республиканск|\bиро\b|институт|ккипк|цнппм|\bрцоко\b|\bкцоко\b|правительств|губернатор|\bкрая\b|\bобласти\b|республик|дополнительного профессионального образования|\bдпо\b"#)
    /// (`г. Улан-Удэ` alone, listed with districts: the city's own authority)
    private static let municipalLoose = Pattern(#"муниципал|префектур|район|кожуун|улус|городск|\bгорода\b|\bцоко\b|\bимц\b|\bгимц\b|\bммц\b|^г\.\s*[а-яё][а-яё-]+$"#)

    /// Federal bodies and institutions, universities and public organisations: `other`, whatever region they name
    /// (`ФГБОУ ВО «… государственный университет»`, `региональному отделению общественного движения`).
    private static let ownSchool = Pattern(#"^(?:муниципальн|государственн)[а-яё]* (?:казенн|бюджетн|автономн)[а-яё]* (?:обще|дошкольн[а-яё]* )образовательн[а-яё]* (?:учреждени|организаци)"#)
    private static let otherBody = Pattern(#"фгбоу|фгаоу|фгбну|фгбу|фгау|университет|(?:организаци|учреждени)[а-яё]* высшего образования|\bвуз|профсоюз|профессиональн[а-яё]* союз|надзорн[а-яё]* деятельност|\bонд(?:и|\s+и\s+)?пр\b|\b(?:оао|зао|пао)\b|\bооо\s*[«"]|компани(?:я|и|ю|ей)(?![а-яё])|общероссийск|всероссийск|общественн[а-яё]* (?:движени|организаци|объединени|палат)|федеральн[а-яё]* (?:орган|служб|агентств|институт|центр|государственн)|минпросвещени|рособрнадзор|минобрнауки росси|\b(?:мвд|мчс|фсб|фсин|уфсин|гибдд)\b|роспотребнадзор|росгварди|прокуратур|[а-яё]+ россии\b|внутренних\s+дел|российской\s+федерации"#)
    /// Regional institutions whose name also fits a school (`ОГБОУ ДПО`) or a district (`… районная больница`).
    private static let regionalInstitution = Pattern(#"\bдпо\b|дополнительного профессионального (?:педагогического )?образования|\b(?:"# + regionalHealthPrefixes + #"|гбусо|гаусо|когаусо|гку|когку|огку|гку?з|рг[бка](?:лпу|уз|у|усо))\b|государственн[а-яё]* (?:[а-яё]+ )?учреждени[а-яё]* (?:здравоохранени|социальн|культур)|центральн[а-яё]* (?:пмпк|психолого-медико-педагогическ)"#)

    /// `Департамент образования и науки города Севастополя`, `Комитет по образованию Санкт-Петербурга`.
    private static let federalCityBody = Pattern(#"(?:департамент|комитет|министерств)[а-яё]* (?:[а-яё-]+ ){0,5}(?:города |г\. )?(?:москвы|санкт-петербурга|севастополя)\b"#)

    private static let trailingPerson = Pattern(#"\s+[а-яё]+(?:-[а-яё]+)?\s+[а-яё]\.\s?[а-яё]\.?$"#)

    /// The level of one addressee; `terms` are the abbreviations the document defines (``definedTerms(in:)``).
    static func ofBody(_ body: String, terms: [String: String] = [:]) -> TaskLevel? {
        // `Главному специалисту управления образования Сафроновой И.Г.`: the person's name says nothing of the level.
        var s = trailingPerson.replacing(in: Russian.fold(body), with: "")
        // `членам РМО`, where the document spelt out `регионального методического объединения (РМО)`.
        for (term, words) in terms.sorted(by: { $0.key < $1.key }) where s.contains(term.prefix { $0 != "[" }) {
            s = Pattern(#"(?<![а-яё])"# + term + #"(?![а-яё])"#).replacing(in: s, with: words)
        }
        if otherBody.matches(s) { return .other }
        // `МУНИЦИПАЛЬНОЕ КАЗЁННОЕ ОБЩЕОБРАЗОВАТЕЛЬНОЕ УЧРЕЖДЕНИЕ «…»`: a school, whatever its founder and its kind of funding.
        if ownSchool.matches(s) { return .school }
        // A head of schools is at the school level even when the schools are municipal.
        if Pattern(#"^(?:руководител|директор|заместител)[а-яё]* (?:(?:муниципальн|государственн)[а-яё]* )?(?:обще)?образовательн"#).matches(s) { return .school }
        // A federal city is a region: its own department or committee of education is regional, a district's is not.
        if federalCityBody.matches(s), !s.contains("район"), !s.contains("округ") { return .regional }
        if municipalBody.matches(s) { return .municipal }
        if regionalInstitution.matches(s) { return .regional }
        if schoolBody.matches(s) && !regionalBody.matches(s) { return .school }
        if regionalBody.matches(s) {
            if schoolBody.matches(s), Pattern(#"^[^ ]*(?:школ|сош|мбоу|гбоу|гимнази|лице|учител|педагог)"#).matches(s) { return .school }
            return .regional
        }
        if municipalLoose.matches(s) { return .municipal }
        if schoolBody.matches(s) { return .school }
        return nil
    }

    /// The level of the responsible bodies when nobody is addressed: the first with a known level; a person named
    /// alone (`Ершова Л.М.`) takes the level of the body the document names with that person (`people`).
    static func ofResponsible(_ bodies: [String], people: [String: TaskLevel], terms: [String: String] = [:]) -> TaskLevel? {
        for b in bodies { if let l = ofBody(b, terms: terms) ?? people[personKey(b)] { return l } }
        return nil
    }

    private static let unitNoun = Pattern(#"^(?:кафедр|сектор|лаборатори)[а-яё]*(?![а-яё])"#)
    private static let unitOrBody = Pattern(#"^(?:[а-яё-]+\s+)?(?:отдел|центр)[а-яё]*(?![а-яё])"#)

    /// `Кафедра дошкольного образования`, `учебный отдел`: a unit of the body that issues the document (spec §3).
    static func namesAUnit(_ body: String) -> Bool {
        let folded = Russian.fold(body)
        return unitNoun.matches(folded) || (unitOrBody.matches(folded) || postInAUnit.matches(folded)) && ofBody(body) == nil
    }
    /// `главный специалист отдела общего образования`: a post in a unit of the issuing body.
    private static let postInAUnit = Pattern(#"^(?:[а-яё-]+\s+)?(?:специалист|начальник|заведующ[а-яё]*|методист)[а-яё]*\s+(?:[а-яё-]+\s+)?(?:отдел|сектор)[а-яё]*(?![а-яё])"#)

    /// A person's name as a key: `Ершова Л. М.` and `Ершова Л.М.` alike.
    static func personKey(_ name: String) -> String { Russian.fold(name).filter { !$0.isWhitespace } }

    private static let personAfterBody = Pattern(#"([^,;:()]{3,160}?)\s*\(([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ]\.\s*[А-ЯЁ]\.)\)"#, caseSensitive: true)

    /// People named in parentheses after a body (`Управление образования (Ершова Л.М.)`, `Департаменту … (Сидорова
    /// Н.В.):`), with that body's level.
    static func people(in paragraphs: some Sequence<String>) -> [String: TaskLevel] {
        var out: [String: TaskLevel] = [:]
        for p in paragraphs where p.contains("(") {
            for m in personAfterBody.matches(in: p) {
                guard let body = m.group(1), let name = m.group(2), let level = ofBody(body) else { continue }
                let key = personKey(name)
                if out[key] == nil { out[key] = level }
            }
        }
        return out
    }

    /// The level of a list of addressees: the first (lead) body with a known level.
    static func ofAddressees(_ bodies: [String], terms: [String: String] = [:]) -> TaskLevel? {
        for b in bodies { if let l = ofBody(b, terms: terms) { return l } }
        return nil
    }

    private static let abbreviationDefined = Pattern(#"\((?:далее\s*[-–—]\s*)?([А-ЯЁ]{2,6})\)"#, caseSensitive: true)

    private static let termsInTurn = Pattern(#"\(\s*далее(?:\s+соответственно)?\s*[-–—]?\s*([^()]{3,200})\)"#, caseSensitive: true)
    private static let listSeparator = Pattern(#"\s*(?:,|;|\s+и\s+)\s*"#)

    /// `Министерству образования и Автономному учреждению «…»` → the two bodies: split at a comma or `и` before a
    /// word that heads a dative phrase, outside quotes.
    static func bodiesInTurn(_ phrase: String) -> [String] {
        let chars = Array(phrase), masked = Array(Russian.maskQuoted(phrase, parentheses: true))
        var parts: [String] = [], start = 0
        for i in chars.indices {
            let separates = masked[i] == "," || masked[i] == "и" && i > 0 && masked[i - 1] == " " && i + 1 < chars.count && masked[i + 1] == " "
            guard separates else { continue }
            let next = Russian.words(String(chars[(i + 1)...])).first ?? ""
            // A dative (`… и Автономному учреждению`) or, after `на`, an accusative starting a name (`… и Муниципальное
            // казённое учреждение`).
            guard Addressees.isDativeHead(next) || next.first?.isUppercase == true, !Addressees.isParticiple(next) else { continue }
            parts.append(String(chars[start..<i]))
            start = i + 1
        }
        parts.append(String(chars[start...]))
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static let workNoun = Pattern(#"(?:ние|ции|ция|тие)$"#)
    private static let wordDefined = Pattern(#"\(\s*далее\s*[-–—]\s*([А-ЯЁа-яё]{4,})(?:\s+[А-ЯЁ][а-яё]+)?\s*\)"#, caseSensitive: true)

    /// Terms the document defines for bodies: an abbreviation spelt out (`регионального методического объединения
    /// (РМО)`, `… (далее – РМО)`), keyed by the abbreviation, folded, with the words whose initials it is; a word
    /// (`Автономному учреждению … «Институт развития образования» (далее – Оператор)`), keyed by its stem as a
    /// pattern (`оператор[а-яё]*`), with the words of the body before it. Only a term whose words read at another
    /// level than the term itself is kept.
    static func definedTerms(in paragraphs: some Sequence<String>) -> [String: String] {
        var out: [String: String] = [:]
        func define(_ word: String, as body: String) {
            guard word.first!.isUppercase || word.count > 4 else { return }
            // (`Провести социально-психологическое тестирование … (далее – тестирование)`: a work defined, not a body.)
            if word.first!.isLowercase && Self.workNoun.matches(word) { return }
            var stem = Russian.fold(word)
            if let last = stem.last, "аяоеыиуюйь".contains(last) { stem.removeLast() }
            let key = stem + "[а-яё]*"
            guard out[key] == nil, let level = ofBody(body), level != ofBody(word) else { return }
            out[key] = Russian.fold(body)
        }
        /// The bodies before a definition: from the last clause break before the parenthesis, without a list marker.
        func bodies(before range: Range<String.Index>, in p: String) -> String {
            var before = String(p[..<range.lowerBound])
            if let cut = before.lastIndex(where: { ":;()".contains($0) }) { before = String(before[before.index(after: cut)...]) }
            return Structure.textWithoutMarker(before.trimmingCharacters(in: .whitespaces))
        }
        for p in paragraphs where p.contains("(") {
            for m in wordDefined.matches(in: p) {
                guard let word = m.group(1) else { continue }
                define(word, as: bodies(before: m.range, in: p))
            }
            // `Министерству … и Автономному учреждению … (далее соответственно – Министерство, Оператор)`: the words
            // name the last bodies before them, in turn (a preamble may stand before the first).
            for m in termsInTurn.matches(in: p) {
                guard let list = m.group(1) else { continue }
                let words = Self.listSeparator.replacing(in: list, with: "\u{1}").split(separator: "\u{1}").compactMap { Russian.words($0).first }
                let named = Self.bodiesInTurn(bodies(before: m.range, in: p))
                guard words.count >= 2, named.count >= words.count else { continue }
                for (word, body) in zip(words, named.suffix(words.count)) { define(word, as: body) }
            }
            for m in abbreviationDefined.matches(in: p) {
                guard let abbreviation = m.group(1), out[Russian.fold(abbreviation)] == nil else { continue }
                let letters = Array(Russian.fold(abbreviation))
                let before = Russian.words(p[..<m.range.lowerBound]).suffix(letters.count).map { Russian.fold($0) }
                guard before.count == letters.count, zip(before, letters).allSatisfy({ $0.first == $1 }),
                      let level = ofBody(before.joined(separator: " ")), level != ofBody(abbreviation) else { continue }
                out[Russian.fold(abbreviation)] = before.joined(separator: " ")
            }
        }
        return out
    }

    private static let association = Pattern(#"(?:^|\s)([а-яё]+)\s+методическ[а-яё]*\s+объединени|(?<![а-яё])(шмо|рмо|гмо|ммо)(?![а-яё])"#)

    /// The level of a methodical association a heading names (spec §3, *an association's own decision*):
    /// `регионального методического объединения` → regional, `районного …`/`РМО` → municipal, `ШМО` → school.
    static func ofAssociation(_ heading: String, terms: [String: String] = [:]) -> TaskLevel? {
        if let level = ofContestCommittee(heading) { return level }
        // The association is the document's own body (`ПЛАН РАБОТЫ районного методического объединения …`), not a
        // topic in quotes (`семинара «Деятельность школьных методических объединений …»`).
        let folded = Russian.fold(Russian.maskQuoted(heading))
        guard let m = association.firstMatch(in: folded),
              Russian.words(folded[..<m.range.lowerBound]).count <= 4 else { return nil }
        if let abbreviation = m.group(2) { return terms[abbreviation].flatMap { ofBody($0) } ?? (abbreviation == "шмо" ? .school : .municipal) }
        let adjective = m.group(1) ?? ""
        for (stems, level) in [(["регионал", "республиканск", "краев", "областн", "межрегионал"], TaskLevel.regional),
                               (["районн", "городск", "муниципальн", "межрайонн", "межмуниципальн"], .municipal),
                               (["школьн", "внутришкольн"], .school)] where stems.contains(where: { adjective.hasPrefix($0) }) {
            return level
        }
        return nil
    }

    /// `заседания организационного комитета Московского городского конкурса …`, `жюри муниципального этапа олимпиады`.
    private static let contestCommittee = Pattern(#"(?:оргкомитет|организационн[а-яё]*\s+комитет|жюри)[а-яё]*\s+(?:[а-яё]+\s+){0,3}?(?:(московск|санкт-петербургск|севастопольск)[а-яё]*\s+)?([а-яё]+)\s+(?:этап[а-яё]*|(?:[а-яё]+\s+)?(?:конкурс|олимпиад|фестивал|смотр|турнир|чемпионат)[а-яё]*)(?![а-яё])"#)

    /// The level of a contest's organising committee or jury that the document's title names: that of the contest or
    /// stage (`Московского городского конкурса`: a federal city's, regional; `муниципального этапа олимпиады`: municipal).
    static func ofContestCommittee(_ heading: String) -> TaskLevel? {
        guard let m = contestCommittee.firstMatch(in: Russian.fold(Russian.maskQuoted(heading))), let adjective = m.group(2) else { return nil }
        if m.group(1) != nil, adjective.hasPrefix("городск") { return .regional }
        for (stems, level) in [(["регионал", "республиканск", "краев", "областн", "межрегионал"], TaskLevel.regional),
                               (["районн", "городск", "муниципальн", "межрайонн", "межмуниципальн"], .municipal),
                               (["школьн", "внутришкольн"], .school)] where stems.contains(where: { adjective.hasPrefix($0) }) {
            return level
        }
        return nil
    }

    /// `краевого уровня`, `на региональном и муниципальном уровнях`, `задачи муниципальной системы образования` (the first
    /// level named counts).
    private static let regionalHeading = Pattern(#"(?:краев|областн|регионал|республиканск)[а-яё]*(?:\s+и\s+[а-яё]+)?\s+уров|задач[а-яё]*(?:\s+[а-яё]+){0,2}\s+(?:краев|областн|регионал|республиканск)[а-яё]*\s+систем[а-яё]*\s+образовани|уров[а-яё]* (?:кра|обла|регион|республик|субъект)"#)
    private static let municipalHeading = Pattern(#"в\s+каждом\s+муниципальн[а-яё]*\s+(?:образовани|район|округ)|муниципальн[а-яё]*(?:\s+и\s+[а-яё]+)?\s+уров|задач[а-яё]*(?:\s+[а-яё]+){0,2}\s+муниципальн[а-яё]*\s+систем[а-яё]*\s+образовани|уров[а-яё]* (?:муниципал|района|города)"#)
    private static let schoolHeading = Pattern(#"уров[а-яё]* (?:образовательн|школ|оо\b)|(?:школьн|институциональн)[а-яё]*(?:\s+и\s+[а-яё]+)?\s+уров"#)

    /// The level named by a heading or a task's words: `Задачи краевого уровня`, `на муниципальном уровне`.
    static func ofWords(_ text: String) -> TaskLevel? {
        let s = Russian.fold(text)
        var best: (TaskLevel, String.Index)?
        for (pattern, level) in [(regionalHeading, TaskLevel.regional), (municipalHeading, .municipal), (schoolHeading, .school)] {
            if let m = pattern.firstMatch(in: s), best == nil || m.range.lowerBound < best!.1 { best = (level, m.range.lowerBound) }
        }
        return best?.0
    }
}
