import Foundation

/// A messenger group's history saved as text (spec §1, *a chat export*): lines that open with a message's date,
/// time and author (`[13.10.2025 09:05] Ляхова И.С. (РОО): …`, `13.10.2025, 09:05 - Ляхова И.С. (РОО): …`), the
/// lines after one going on with it, and a heading above the first.
///
/// Only the issuer's messages (the author of the most) are read, each as a short document dated by its own day; a
/// forwarded message assigns nothing. Built from the raw text before normalisation, so that a message's lines are
/// never joined to another's.
struct ChatExport {
    struct Message {
        var day: Day
        var author: String
        var lines: [String]
        /// `[Пересланное сообщение]`: another document passed on.
        var forwarded: Bool
    }

    var heading: [String]
    var messages: [Message]
    /// The author of the most messages that assign work (a request or a directive), then of the most messages.
    var issuer: String

    /// `[13.10.2025 09:05] Author:` (Viber, Telegram) or `13.10.2025, 09:05 - Author:` (WhatsApp); a schedule's line
    /// (`14.10.2025 10:00 – математика: кабинет 12`) has neither the brackets nor the comma.
    private static let prefix = Pattern(#"^(?:\[(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2}),?\s+\d{1,2}:\d{2}(?::\d{2})?\]\s*|(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2}),\s+\d{1,2}:\d{2}(?::\d{2})?\s+[-–]\s+)([^:\[\]<>]{2,80}?):(?:\s+|$)"#)
    /// Telegram Desktop's copy: `Чечек Монгуш, [03.11.2025 18:44]` alone on its line, the text on the lines after it.
    private static let headerLine = Pattern(#"^([^,:\[\]<>]{2,80}?),\s*\[(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2}),?\s+\d{1,2}:\d{2}(?::\d{2})?\]\s*$"#)
    /// A channel's post copied with its date and time alone on a line (`10 ноября 2025, 08:47`, `12.11.2025 14:20`): the
    /// channel is every post's author, the text on the lines after it.
    /// (A VK wall writes the month short, under the author's line: `7 ноя 2025 в 16:40`.)
    private static let postLine = Pattern(#"^(\d{1,2})(?:\.(\d{1,2})\.|\s+("# + Russian.monthPattern + #"|"# + shortMonth + #")\s+)(\d{4})(?:\s*г\.?)?,?\s+(?:в\s+)?\d{1,2}:\d{2}$"#)
    private static let shortMonth = #"(?:янв|фев|мар|апр|мая|июн|июл|авг|сент?|окт|нояб?|дек)\.?"#
    /// A VK post's counters (`Нравится 31   Комментарии 3   Поделиться 4   👁 688`): the post ends; comments follow.
    private static let postCounters = Pattern(#"^нравится\s+\d+"#)
    /// A community page's own lines above its posts: `Сообщество · Образование · 1 248 участников`, `Записи сообщества`.
    private static let pageFurniture = Pattern(#"^(?:записи\s+сообщества|сообщество\s*·.*|.*\d\s*(?:участник|подписчик)[а-я]*)$"#)
    /// A post's own furniture, not its text: views (`👁 1 487`), a line of hashtags (`#руководителям #ОРВИ`), an
    /// attachment (`📎 Вакансии_форма.xlsx`).
    private static let postFurniture = Pattern(#"^(?:👁\s*[\d\s.,кk]+|(?:#[^\s#]+\s*)+|📎.*)$"#)
    /// The channel's author: its posts have none.
    static let channelAuthor = "канал"

    /// A line of the messenger itself, with a date and time but no author (`10.11.2025, 08:12 - Вы создали группу
    /// "Замы по УВР"`, `… - Галина Ивановна вышла`): neither a message nor a message's line.
    private static let systemLine = Pattern(#"^(?:\[\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2}),?\s+\d{1,2}:\d{2}(?::\d{2})?\]|\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2}),\s+\d{1,2}:\d{2}(?::\d{2})?\s+[-–])\s*(.*)$"#)
    /// `создал(а) группу "…"`, `изменил(а) название группы на «…»`: the group's name, the chat's heading.
    private static let groupNamed = Pattern(#"(?:создал[а-я()-]*\s+группу|изменил[а-я()-]*\s+(?:название|тему)(?:\s+группы)?(?:\s+с\s+["«][^"»]*["»])?\s+на)\s+["«]([^"»]{2,120})["»]"#)
    private static let request = Pattern(#"(?<![а-я])(?:прошу|просим|необходимо|напоминаю)(?![а-я])"#)
    /// A message passed on or given for information (`Для сведения — кратко по приказу …:`; not `Для сведения и
    /// исполнения`): it assigns nothing.
    private static let forwardedMark = Pattern(#"^\s*\[?(?:пересланное\s+сообщение|forwarded\s+message|переслано\s+(?:от|из)|для\s+(?:сведения|информации)(?![а-яё])(?!\s+и\s+(?:исполнени|руководств|использовани|работ))|к\s+сведению(?![а-яё])(?!\s+и\s+(?:исполнени|руководств)))"#)

    /// The chat, or nil when the text is not one: three or more message lines, a third or more of its non-blank lines.
    static func parse(_ text: String, budget: Budget) throws -> ChatExport? {
        // Cheap refusal first: a chat's message lines start near its top, with `[` or a digit.
        let head = text.prefix(8000).split(whereSeparator: \.isNewline).prefix(200)
        guard head.filter({ line in
            line.first.map { $0 == "[" || $0.isNumber } == true && (prefix.matches(String(line)) || postLine.matches(String(line)))
                || line.last == "]" && headerLine.matches(String(line))
        }).count >= 3 else { return nil }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var heading: [String] = [], messages: [Message] = []
        var groupName: String?
        var nonBlank = 0
        var headersAlone = 0
        // A channel's posts: how many, and how many with a post's furniture (views, hashtags) under them.
        var posts = 0, furnished = Set<Int>()
        var afterBlank = true
        // Under a VK post's counters, the comments of others, up to the next post.
        var inComments = false
        // The line that opened after a blank line (a VK post's author, over the post's date), and where it went.
        var loneLine: (inHeading: Bool, message: Int?)?
        for line in lines {
            try budget.tick()
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            defer { afterBlank = trimmed.isEmpty }
            guard !trimmed.isEmpty else { continue }
            nonBlank += 1
            let wasAfterBlank = afterBlank, headingCount = heading.count, messageCount = messages.count
            let lastLines = messages.last?.lines.count ?? 0
            var skippedAlone = false
            defer {
                if wasAfterBlank, skippedAlone { loneLine = (false, nil) }
                else if wasAfterBlank, heading.count > headingCount { loneLine = (true, nil) }
                else if wasAfterBlank, messages.count == messageCount, messageCount > 0, messages[messageCount - 1].lines.count > lastLines { loneLine = (false, messageCount - 1) }
                else { loneLine = nil }
            }
            if trimmed.first.map({ $0 == "[" || $0.isNumber }) == true, let m = prefix.firstMatch(in: trimmed), let d = Int(m.group(1) ?? m.group(4) ?? ""), let mo = Int(m.group(2) ?? m.group(5) ?? ""),
               let y = DeadlineParser.fullYear(m.group(3) ?? m.group(6) ?? ""), let day = Day.valid(y, mo, d) {
                let rest = String(trimmed[m.range.upperBound...])
                messages.append(Message(day: day, author: (m.group(7) ?? "").trimmingCharacters(in: .whitespaces),
                                        lines: rest.isEmpty ? [] : [rest], forwarded: forwardedMark.matches(rest)))
            } else if trimmed.last == "]", let m = headerLine.firstMatch(in: trimmed), let d = Int(m.group(2) ?? ""), let mo = Int(m.group(3) ?? ""),
                      let y = DeadlineParser.fullYear(m.group(4) ?? ""), let day = Day.valid(y, mo, d) {
                messages.append(Message(day: day, author: (m.group(1) ?? "").trimmingCharacters(in: .whitespaces), lines: [], forwarded: false))
                headersAlone += 1
            } else if afterBlank || loneLine != nil, trimmed.first?.isNumber == true, let m = postLine.firstMatch(in: trimmed), let d = Int(m.group(1) ?? ""),
                      let mo = m.group(2).flatMap({ Int($0) }) ?? m.group(3).flatMap({ Russian.month($0) }), let y = Int(m.group(4) ?? ""),
                      let day = Day.valid(y, mo, d) {
                // A post opens after a blank line: `который состоится` | `20 ноября 2025, 15:00` goes on with its sentence.
                // On a VK wall its author's line comes first: that line is the post's, not the text above.
                if !afterBlank, let lone = loneLine {
                    if lone.inHeading { heading.removeLast() } else if let i = lone.message, !messages[i].lines.isEmpty { messages[i].lines.removeLast() }
                }
                messages.append(Message(day: day, author: channelAuthor, lines: [], forwarded: false))
                posts += 1
                inComments = false
            } else if !messages.isEmpty, messages[messages.count - 1].author == channelAuthor, postCounters.matches(Russian.fold(trimmed)) {
                furnished.insert(messages.count - 1)
                inComments = true
                nonBlank -= 1
                continue
            } else if inComments {
                nonBlank -= 1
                skippedAlone = true
                continue
            } else if !messages.isEmpty, messages[messages.count - 1].author == channelAuthor, postFurniture.matches(trimmed) {
                furnished.insert(messages.count - 1)
                nonBlank -= 1
                continue
            } else if trimmed.first.map({ $0 == "[" || $0.isNumber }) == true, let m = systemLine.firstMatch(in: trimmed) {
                if let name = groupNamed.firstMatch(in: m.group(1) ?? "")?.group(1) { groupName = name }
            } else if messages.isEmpty {
                if messages.isEmpty && nonBlank > 40 { return nil }
                if pageFurniture.matches(Russian.fold(trimmed)) { continue }
                heading.append(trimmed)
            } else {
                if messages[messages.count - 1].lines.isEmpty, forwardedMark.matches(trimmed) { messages[messages.count - 1].forwarded = true }
                messages[messages.count - 1].lines.append(trimmed)
            }
        }
        // A header alone on its line counts with the line of text under it; headers with no text under them (a list
        // of applicants `Лебедева Н.Н., [06.11.2025 14:00]`) are no chat.
        if headersAlone + posts > 0, messages.filter({ !$0.lines.isEmpty }).count < 3 { return nil }
        // A channel's copy shows its posts' views or hashtags (a letter's schedule of dates and times does not), or is
        // mostly posts.
        if posts > 0, furnished.count * 2 < posts, (posts + headersAlone) * 3 < nonBlank { return nil }
        guard messages.count >= 3, (messages.count + headersAlone) * 3 >= nonBlank || furnished.count * 2 >= posts && posts >= 3 else { return nil }
        // The issuer assigns work: the author of the most messages with a request or a directive, then of the most.
        var counts: [String: (assigning: Int, all: Int)] = [:]
        for m in messages {
            let text = m.lines.joined(separator: " ")
            let assigns = request.matches(Russian.fold(text)) || Tasks.directiveVerb(in: text) != nil
            counts[m.author, default: (0, 0)].all += 1
            if assigns { counts[m.author, default: (0, 0)].assigning += 1 }
        }
        let top = counts.values.max { ($0.assigning, $0.all) < ($1.assigning, $1.all) }
        guard let top, let issuer = messages.first(where: { counts[$0.author].map { $0 == top } == true })?.author else { return nil }
        if heading.isEmpty, let groupName { heading = [groupName] }
        return ChatExport(heading: heading, messages: messages, issuer: issuer)
    }

    /// The text of a message as a document: without lines in angle brackets (`<Стикер>`, `<Файл: …>`).
    /// A post's pictographs before its words (`❗️ В срок до 12.11 направить …`) are not read, and its title line
    /// (`Вебинар для муниципальных координаторов ВсОШ` over `Коллеги, прошу …`) is a paragraph of its own.
    static func text(of message: Message) -> String {
        let lines = message.lines.filter { !($0.hasPrefix("<") && $0.hasSuffix(">")) }.map(withoutLeadingPictographs)
        var out: [String] = []
        for (k, line) in lines.enumerated() {
            out.append(line)
            if k == 0, k + 1 < lines.count, line.count <= 80, !ResolutionNormalizer.endsSentence(line), !",:;".contains(line.last ?? ","),
               Russian.startsUppercase(lines[k + 1]) {
                out.append("")
            }
        }
        return out.joined(separator: "\n")
    }

    static func withoutLeadingPictographs(_ line: String) -> String {
        let scalars = line.unicodeScalars.drop { $0.value >= 0x2190 && ($0.properties.isEmoji || $0.value == 0xFE0F || $0.value == 0x200D) || $0 == " " }
        return scalars.count == line.unicodeScalars.count ? line : String(String.UnicodeScalarView(scalars))
    }

    /// `По п.3 вчерашнего сообщения срок продлён до 24.10`, `Пункт 4 — новый срок 30.10`: the item named (`п. 3`, `п. 2.1`).
    private static let itemNamed = Pattern(#"(?<![а-я])(?:п\.|пункт[ау]?)\s*(\d{1,2}(?:\.\d{1,2})*)\.?(?![\d])"#)
    /// What a move names: an item's number (`п. 2`), or the topic of an item (`срок по мониторингу питания`) as the
    /// first letters of its words.
    enum MovedItem: Equatable {
        case number(String)
        case topic([String])
        /// `По вчерашнему — срок до четверга`: the item of an earlier day that had no deadline.
        case undated

        /// Whether a task of the given number and text is the item named.
        func names(number: String, text: String) -> Bool {
            switch self {
            case .number(let n): return number.trimmingCharacters(in: CharacterSet(charactersIn: ".)")) == n
            case .topic(let stems):
                let words = Russian.words(Russian.fold(text))
                return stems.allSatisfy { stem in words.contains { $0.hasPrefix(stem) } }
            case .undated: return true
            }
        }
    }
    private static let topicNamed = Pattern(#"срок[а-я]*\s+(?:сдачи\s+|представления\s+|подачи\s+)?(?:по\s+)?((?:[а-я]+\s+){1,4}?)(?:продл|перенос|перенес|сдвин|измен)|^((?:[а-я]+\s+){1,4}?)[-–—:]\s*срок[а-я]*\s+(?:продл|перенос|перенес|сдвин|измен)"#)

    /// `ПЕРЕНОС: справку по ВПР сдаём не 20.11, а 24.11`: the topic between the word and the verb or the old date.
    private static let topicAfterMove = Pattern(#"^перенос[а-я]*(?:\s+срок[а-я]*)?\s*[:!.-]\s*((?:[а-я]+\s+){1,4}?)(?:сда[её]м|представляем|направляем|не\s+\d|[-–—]\s*(?:до|на)\s)"#)
    /// `По вчерашнему — срок до четверга`: a deadline given to an earlier day's item that had none.
    private static let deadlineForYesterday = Pattern(#"^по\s+вчерашн[а-я]*(?:\s+(?:сообщени|поручени|вопрос)[а-я]*)?\s*[-–—:,]?\s*срок[а-я]*\s"#)
    /// A deadline moved: `срок продлён (продлили, переносится, сдвинут, изменён)`, `новый срок`.
    private static let moved = Pattern(#"^перенос[а-я]*(?:\s+срок[а-я]*)?\s*[:!.-]|срок[а-я]*\s+(?:[а-я.\d]+\s+){0,6}?(?:продл|перенос|перенес|сдвин|изменен|измен[её]н)|(?:продл|перенос|перенес|сдвин|измен)[а-я]*\s+(?:[а-я.\d]+\s+){0,4}?срок|нов[а-я]*\s+срок"#)
    /// The new date: a `до …` or `на …` (`переносится с 17.10 на 28.10`), or a date after `новый срок`; not the date struck out: `не на 25.11, а на 28.11`, `вместо 20.11 сдаём 27.11`.
    private static let newDate = Pattern(#"(?:(?<![а-я])(?<!не\s)(?:до|на)|срок[а-я]*\s*[-–—:]?|,\s*а(?:\s+(?:до|на))?|сда[её]м|представляем|направляем)\s+(?=\d)"#)
    /// `по п. 2 поста от 12 ноября`: the day of the post whose item is named.
    private static let postNamed = Pattern(#"(?:поста|сообщения|публикации|письма)\s+от\s+(\d{1,2})(?:\.(\d{1,2})\.?|\s+("# + Russian.monthPattern + #"))"#)

    /// The day of the post or message a move names by its date (`по п. 2 поста от 12 ноября`), the last such day before `reference`.
    static func namedPostDay(in text: String, reference: Day) -> Day? {
        guard let m = postNamed.firstMatch(in: Russian.fold(text)), let d = Int(m.group(1) ?? ""),
              let mo = m.group(2).flatMap({ Int($0) }) ?? m.group(3).flatMap({ Russian.month($0) }) else { return nil }
        for year in [reference.year, reference.year - 1] {
            if let day = Day.valid(year, mo, d), !(reference < day) { return day }
        }
        return nil
    }

    /// The item's number, its new deadline and whether the item was set on an earlier day (`вчерашнего сообщения`), when
    /// the message moves one; nil for a message that is a request of its own (`Прошу … внести изменения в п. 3 …`).
    static func movedItem(in text: String, reference: Day) -> (item: MovedItem, deadline: DeadlineText, earlierDay: Bool)? {
        // `❗️ПЕРЕНОС: …`: a post's pictograph before the words is not read.
        let text = String(text.drop { !$0.isLetter && !$0.isNumber })
        let folded = Russian.fold(text)
        guard folded.count == text.count else { return nil }
        if deadlineForYesterday.matches(folded), let deadline = DeadlineParser.find(in: text, reference: reference) {
            return (.undated, deadline, true)
        }
        // The new date is the first after the words that move it (`срок продлён до 26.11 — министерство продлило опрос до
        // 28 ноября`), else the last (`переносится с 17.10 на 28.10`).
        guard let move = moved.firstMatch(in: folded),
              let at = newDate.matches(in: folded).first(where: { $0.range.lowerBound >= move.range.upperBound }) ?? newDate.matches(in: folded).last
        else { return nil }
        let item: MovedItem
        if let number = itemNamed.firstMatch(in: folded)?.group(1) {
            item = .number(number)
        } else if let topic = topicNamed.firstMatch(in: folded).flatMap({ $0.group(1) ?? $0.group(2) }) ?? topicAfterMove.firstMatch(in: folded)?.group(1) {
            // `срок по мониторингу питания переносится на 12.11`: the item about `мониторинг … питания`.
            let stems = Russian.words(topic).filter { $0.count >= 4 }.map { String($0.prefix(5)) }
            guard !stems.isEmpty else { return nil }
            item = .topic(stems)
        } else {
            return nil
        }
        let offset = folded.distance(from: folded.startIndex, to: at.range.upperBound)
        let rest = "до " + text[text.index(text.startIndex, offsetBy: offset)...]
        guard let deadline = DeadlineParser.find(in: rest, reference: reference) else { return nil }
        return (item, deadline, folded.contains("вчерашн"))
    }
}
