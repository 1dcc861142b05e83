import Foundation

/// Walks the paragraphs after the decision formula, keeping the stack of open headings and groups:
/// which items are tasks, which headings form the section path, what each task inherits (number,
/// addressees, level), where `Срок:` lines belong, and when a numbered item is two tasks.
struct TaskBuilder {
    struct Frame {
        var heading: Heading
        var taskIndices: [Int] = []
        /// The last number of a list that restarted at 1 under this numbered heading, in its own style
        /// (`1. Руководителям ОО:` then `1. …`, `2. …`).
        var subList: Int?
        /// Roman titles and headings without a number start a new numbering under them.
        var isBarrier: Bool { heading.marker == nil || heading.marker?.isRoman == true || heading.marker?.style == .upperLetter }
    }

    struct Draft {
        var task: ResolutionTask
        var deadlineFromLine = false
        /// The paragraphs this part was read from (indexes into the document's paragraphs).
        var firstParagraph = 0
        var lastParagraph = 0
        /// The deadline phrase of the part's own sentence when a `Срок:` line after it replaced it: the part keeps it
        /// if the line turns out to be its group's.
        var phraseDeadline: DeadlineText?
        /// The deadline line names this item (`Срок – 1 ноября 2022 г. (по подпункту «б»)`), so it is not the group's.
        var lineNamesItem = false
        /// The words of its own `Срок:` line, resolved or not (`по графику`, `3-я неделя`).
        var lineRaw: String?
        /// A later sentence that asks again (`… . Прошу довести настоящее письмо …`), or a directive joined by `, и` with its
        /// own time: a task of its own, whatever the part before has.
        var standsAlone = false
        /// A deadline is printed for this part, even one that could not be resolved (`в течение года` without a date).
        var hasOwnDeadline: Bool { task.deadline != nil || deadlineFromLine || countsFromAnEvent }
        /// Its sentence counts its time from an event without a date (`в течение 3 рабочих дней после его утверждения`): a
        /// deadline of its own that no date resolves, so none from a heading either.
        var countsFromAnEvent = false
    }

    /// How an emitted task got its deadline, for a deadline line printed once after its group.
    struct Origin {
        /// From a `Срок:` line or a labelled remark of its own.
        var line = false
        /// From a heading or section title above it.
        var inherited = false
        /// From a meeting's heading (`Заседание № 2 (ноябрь 2025 г.):`): the date of the agenda item, which a
        /// later row's `Срок:` does not replace.
        var fromMeeting = false
        var phraseDeadline: DeadlineText?
        var lineNamesItem = false
    }

    struct OpenItem {
        var marker: ListMarker?
        var parts: [Draft]
        var isTask: Bool
        var frameIndex: Int?
        /// A report's row of what was done: no later line makes it a task.
        var isRecord = false
        /// Not a task by what it is or stands under (approved, told, a note, the document's own act): no later line
        /// makes it one.
        var settled = false
    }

    let reference: Day?
    var stack: [Frame] = []
    var tasks: [ResolutionTask] = []
    /// One per task, in step with `tasks`.
    var origins: [Origin] = []
    /// People named with a body in parentheses, and that body's level (for `Ответственный: Ершова Л.М.`).
    var people: [String: TaskLevel] = [:]
    /// What the document says of its events' days, read once (``events(in:reference:)``).
    var events = Events()
    var open: OpenItem?
    /// Under the last heading seen, items describe (`… ряд типичных ошибок:`, `Выводы:`): its numbered items may pop it.
    var describing = false
    /// The document's legend says a column's `х` marks a part when the measure is not held (`«х» – мероприятие в указанный
    /// период не проводится`).
    /// The marks a plan's legend says are no holding: `х` (`не проводится`), `*` (`резервный месяц`).
    var notHeldMarks: Set<String> = []
    /// What describes is a list of aims (`Задачи методической недели:`), whose infinitives are aims, not directives.
    var describingAims = false
    /// Under a plan's bare `Задачи:`, whose aims end at the first numbered item after dashes, or where the numbers of
    /// numbered aims go down or deeper (the plan's measures).
    var describingPlanAims = false
    var planAimsBulleted = false
    var lastPlanAim = 0
    /// The paragraph before was a row of a table of figures: a `Срок:` line now is that row's year cell.
    var lastWasFiguresRow = false
    private static let decimalFigure = Pattern(#"(?<![\d.,])\d+,\d+(?![\d.,])"#)
    /// The paragraph after `index` is a `Срок:` line naming a time not over (`до 01.09.2026` under a plan's row with its
    /// financing by year), not a year cell of a table of figures (`(2014) ПАЗ 32053-70`).
    func followedByItsTime(_ index: Int) -> Bool {
        guard index + 1 < paragraphs.endIndex, case .deadline(let raw) = Structure.classify(paragraphs[index + 1]),
              let d = parseDeadline(raw) else { return false }
        return !endsBeforeDocument(d)
    }
    private static let figuresAtTheEnd = Pattern(#"\s\d+,\d+\s+\d+(?:,\d+)?$"#)
    /// A numbered line with two decimal figures or more (or ending in two figures, one decimal: `… 12,4 38`), no directive
    /// and no time: a row of a table of figures.
    static func figuresRow(_ p: String) -> Bool {
        guard let parsed = ListMarker.parse(p), !parsed.marker.isBullet,
              decimalFigure.matches(in: parsed.rest).count >= 2 || figuresAtTheEnd.matches(parsed.rest),
              Tasks.firstDirective(in: parsed.rest) == nil, DeadlineParser.find(in: parsed.rest, reference: nil) == nil else { return false }
        return true
    }

    /// Where the last sentence of `text` starts: its last sentence end (``Tasks/sentenceEnd``) outside quotes.
    static func lastSentenceEnd(_ text: String) -> Range<String.Index>? {
        let masked = Russian.maskQuoted(text)
        guard masked.count == text.count, let m = Tasks.sentenceEnd.matches(in: masked).last else { return nil }
        func index(_ i: String.Index) -> String.Index { text.index(text.startIndex, offsetBy: masked.distance(from: masked.startIndex, to: i)) }
        return index(m.range.lowerBound)..<index(m.range.upperBound)
    }

    /// The document's paragraphs from below its heading, where the days of its events may be set before the decision formula.
    var documentBody: ArraySlice<String>?
    /// Whether the document is a циклограмма, whose weekday sections recur each week.
    var isCyclogram = false
    /// The days of the one week the document is about (`… Недели математики с 9 по 13 февраля 2026 года`), if any.
    var documentWeek: ClosedRange<Day>?
    static let weekdays = ["понедельник", "вторник", "среда", "четверг", "пятница", "суббота"]

    /// After an item closing with a statement over a list (`Информация не поступила от:`): its dash lines are no tasks.
    var listAfterStatement = false
    /// The one period a preamble states, for `в указанный период`.
    var preamblePeriod: Deadline?
    /// The paragraph of a form's words, quoted after an item that ends in `:`, read with that item.
    var quotedForm: Int?
    /// Inside an appendix that is a form to fill in (`ФОРМА ОТВЕТА`) or a schedule (`График проведения …`).
    var inFormOrSchedule = false
    var rootDirective: Bool
    var lastWasDeadlineLine = false
    /// The paragraphs being walked and the index of the one at hand, for each task's ``SourceSpan``.
    var paragraphs: ArraySlice<String> = []
    /// Past the first `Приложение`: a regulation's or a form's duties are not the letter's (spec §3).
    var inAppendix = false
    /// The main term's day the whole document states (``mainTerm(in:reference:)``), for `в основной срок`.
    var mainTerm: Day?
    var current = 0
    /// A document adopted or signed does what `Утвердить …`/`Назначить …` say by itself; a chat message does not (it
    /// asks its readers to).
    var adoptsItself = true
    /// The meeting an earlier message of a chat announced (`Следующее совещание — 27.11`).
    var announcedMeeting: Day?
    /// Sub-items already read into the item that introduces them (``objectsListed(after:under:)``).
    var coveredThrough: Int?
    /// (`ПЕРЕЧЕНЬ МЕРОПРИЯТИЙ …` appended is a plan too.)
    private static let planTitle = Pattern(#"^(?:(?:ПЛАН|План)(?:-ГРАФИК|-график)?(?:\s+(?:проведения|мероприятий|работы)|$)|(?:ПЕРЕЧЕНЬ|Перечень)\s+(?:МЕРОПРИЯТИЙ|мероприятий))"#, caseSensitive: true)
    /// A chat's message or a channel's post: a numbered line of nouns there is a topic's title (`🔹 1. Семинар для …`).
    var isMessage = false
    /// The last paragraph of a quotation of another act's decisions being skipped (``quotationEnd(at:)``).
    var quotedThrough: Int?
    /// The paragraphs of another act's items in their new wording, read as the document's own (``newWordingEnd(after:)``).
    var newWording: ClosedRange<Int>?
    /// The frame of the last item emitted.
    var lastClosedFrame: Int?

    /// The document is a plan (`ПЛАН …`): items under a month are its events (spec §3, *events of a plan*).
    var isPlan = false
    /// Inside `СЛУШАЛИ:` / `ВЫСТУПИЛИ:` of minutes, up to the next `РЕШИЛИ:`: what was said, not decided.
    var reporting = false
    /// An analysis, report or note (`АНАЛИЗ РАБОТЫ …`, `ОТЧЁТ …`, `СПРАВКА …`): rows dated in the past record what was done.
    var isReport = false
    /// Methodological recommendations (`МЕТОДИЧЕСКИЕ РЕКОМЕНДАЦИИ …`): a plain paragraph recommending impersonally
    /// (`При планировании уроков рекомендуется выделять …`) describes good practice (spec §3, *method text*).
    var isRecommendations = false
    /// The level of the body that approves the document: the level of its units named as responsible.
    var unitsLevel: TaskLevel?
    /// The year of a plan for a calendar year (`ПЛАН … на 2026 год`): its halves named bare are that year's (spec §4).
    var calendarYear: Int?
    /// Inside an appendix that regulates (`Приложение 1` … `ПОЛОЖЕНИЕ о …`): its clauses describe, and only a clause
    /// led by an addressee and a directive is a task (spec §3, *an appendix that regulates*). Holds the directive
    /// context to return to at the next appendix.
    var regulationReturnsTo: Bool?
    /// Inside a regulation, under an addressee heading (`2.1. Образовательным организациям:`): its bullet directives are tasks.
    var regulationAddressee = false

    /// A letter's address block: who acts for an item that names nobody, under no heading naming anybody or a level.
    var letterAddressees: [String] = []
    /// The level of a task nothing else gives one (`school` in a school's own order).
    var issuerLevel: TaskLevel?
    /// Terms the document defines for bodies, with the words they stand for (spec §3, *abbreviations the document defines*).
    var terms: [String: String] = [:]

    /// The terms and holidays the document states, for phrases naming them (`до конца первой четверти`).
    var calendar = SchoolCalendar(paragraphs: [String](), reference: nil)

    init(reference: Day?, rootDirective: Bool, isPlan: Bool = false, calendar: SchoolCalendar? = nil) {
        self.reference = reference
        self.rootDirective = rootDirective
        self.isPlan = isPlan
        if let calendar { self.calendar = calendar }
    }

    /// The tasks of `paragraphs`; the budget's time limit is checked before each paragraph.
    mutating func run(_ paragraphs: ArraySlice<String>, budget: Budget) throws -> [ResolutionTask] {
        self.paragraphs = paragraphs
        people = Levels.people(in: paragraphs)
        if paragraphs.contains(where: { Self.xLegend.matches(Russian.fold($0)) }) { notHeldMarks.formUnion(["х", "x"]) }
        if paragraphs.contains(where: { Self.reserveLegend.matches(Russian.fold($0)) }) { notHeldMarks.insert("*") }
        // Only a document that names an event by its time (`в день проведения`, `в период её проведения`, `В течение
        // Недели`) needs them: a pass of the event patterns over every paragraph is not free on long, hostile text.
        if paragraphs.contains(where: { Self.namesEventByTime.matches($0) }) {
            // (The days may be set before the decision formula: an agenda's `О проведении Недели … с 17 по 21 ноября`.)
            events = Self.events(in: documentBody ?? paragraphs, reference: reference)
        }
        for (index, printed) in zip(paragraphs.indices, paragraphs) {
            try budget.check()
            current = index
            if index == quotedForm { continue }
            var p = printed
            // `5. МКОУ «ООШ № 37» Устиново Итого 5 маршрутов 14,1 75,2 19 158`: a row of a table of figures (and the `Срок:`
            // line its year cells make) is neither work nor a heading.
            if Self.figuresRow(p) && !followedByItsTime(index) || lastWasFiguresRow && Structure.classify(p).isDeadline {
                closeOpen()
                lastWasFiguresRow = true
                continue
            }
            lastWasFiguresRow = false
            // `Поручение 1.1: Обеспечить …`: the item numbered, under a decision of its own (as after `РЕШИЛИ:`).
            if let item = Structure.unlabelledItem(printed) {
                closeOpen()
                popFrames(to: 0)
                rootDirective = true
                reporting = false
                p = item
            }
            if Structure.isDecisionFormula(p) {
                closeOpen()
                popFrames(to: 0)
                rootDirective = true
                reporting = false
                lastWasDeadlineLine = false
                continue
            }
            if Structure.opensAppendix(p) {
                inAppendix = true
                let regulates = Structure.regulates(paragraphs[(index + 1)...].prefix(8))
                // `Приложение 1` | … | `ПЛАН проведения …`: a plan appended to an order; its events are read as a plan's.
                if paragraphs[(index + 1)...].prefix(6).contains(where: { Self.planTitle.matches($0) }) { isPlan = true }
                // `Приложение` | … | `ФОРМА ОТВЕТА`, `Форма отчёта о …`: a form to fill in, its lines what to report, no tasks;
                // `График проведения ВПР`: a schedule, its rows the days things happen on, no tasks.
                // `ПЕРЕЧЕНЬ` | `остановочных пунктов …, подлежащих обустройству`: a list of things, not of work.
                let next = paragraphs[(index + 1)...].prefix(4)
                inFormOrSchedule = paragraphs[(index + 1)...].prefix(6).contains { Self.indicatorsTitle.matches(Russian.fold($0)) } || next.contains { p in
                    p.count <= 120 && (Self.formTitle.matches(Russian.fold(p)) || Russian.fold(p).hasPrefix("график"))
                } || next.indices.contains { listsThings(at: $0) } || schedulesEvents(after: index)
                closeOpen()
                popFrames(to: 0)
                if regulates {
                    if regulationReturnsTo == nil { regulationReturnsTo = rootDirective }
                    rootDirective = true
                } else if let before = regulationReturnsTo {
                    rootDirective = before
                    regulationReturnsTo = nil
                }
                lastWasDeadlineLine = false
                continue
            }
            // `ПЕРЕЧЕНЬ` | `организаций – социальных партнёров …` in capitals on its own line after the plan: a list of things
            // up to the next appendix, as in an appendix.
            // `Лист рассылки`, `Разослать:`: who gets copies, up to the next appendix.
            if ["ПЕРЕЧЕНЬ", "СПИСОК"].contains(p.prefix { !$0.isWhitespace }) && p.count <= 200 && listsThings(at: index)
                || Self.distributionList.matches(Russian.fold(p)) {
                closeOpen()
                popFrames(to: 0)
                inFormOrSchedule = true
                continue
            }
            if inFormOrSchedule {
                closeOpen()
                continue
            }
            if Structure.isStamp(p) {
                closeOpen()
                continue
            }
            // `№ п/п; Показатель; 2024; …`: a table's heading row is no item's words.
            if p.hasPrefix("№ п/п") || p.hasPrefix("№ п.п") {
                closeOpen()
                lastWasDeadlineLine = false
                continue
            }
            if regulationReturnsTo != nil, !regulationReads(p) {
                closeOpen()
                lastWasDeadlineLine = false
                continue
            }
            // `СЛУШАЛИ: …`, `ВЫСТУПИЛИ: …` of minutes report what was said until the next `РЕШИЛИ:` (spec §3).
            if Structure.opensReport(p) {
                closeOpen()
                reporting = true
                lastWasDeadlineLine = false
                continue
            }
            if let skip = coveredThrough, index <= skip { continue }
            // `1.3. пункт 3 изложить в следующей редакции:` | `«3. Руководителям …:` | `3.1. …;` … `3.5. ….»;`: the amended act's
            // items in their new wording are the document's own, numbered as quoted; the lead is none.
            if let wording = newWording, index > wording.upperBound {
                closeOpen()
                popFrames(to: 0)
                newWording = nil
            }
            if newWording == nil, let end = newWordingEnd(after: index) {
                closeOpen()
                popFrames(to: 0)
                newWording = (index + 1)...end
                lastWasDeadlineLine = false
                continue
            }
            if let wording = newWording {
                if index == wording.lowerBound { p = String(p.drop { $0 == "«" || $0 == " " }) }
                if index == wording.upperBound { p = Self.closingQuote.replacing(in: p, with: "") }
            }
            // `…, которым поручено:` | `«1. Органам … обеспечить …` | `2. …` | `3. … медиации»,`: another act's decisions quoted.
            if newWording == nil, let through = quotedThrough ?? quotationEnd(at: index) {
                quotedThrough = index < through ? through : nil
                closeOpen()
                lastWasDeadlineLine = false
                continue
            }
            // `Зимние каникулы – с 29.12.2025 по 11.01.2026` between a plan's events: the calendar, not the event above.
            if isPlan, SchoolCalendar.states(p) {
                closeOpen()
                lastWasDeadlineLine = false
                continue
            }
            if p.hasSuffix(":") { (describing, describingAims) = describesHere(p) }
            var block = Structure.classify(p)
            // `11. Повторно: информацию … представить в срок до 13.02.2026. Информация не поступила от:` | `– МКОУ «…»;`: the
            // item is its directive; the list after its closing statement names whom the statement is about, no tasks.
            // (`г) довести до сведения руководителей …, что:` | `– мониторинг проводится …;`: the lines are what to tell.)
            if p.hasSuffix(":"), let parsed = ListMarker.parse(p), !parsed.marker.isBullet,
               Self.closesWithStatement(parsed.rest) || Self.tellsThat.matches(Russian.fold(parsed.rest)) && Tasks.directiveVerb(in: parsed.rest) != nil {
                block = .item(marker: parsed.marker, text: parsed.rest)
                listAfterStatement = true
            } else if case .item(let marker, _) = block, marker?.isBullet == true, listAfterStatement {
                closeOpen()
                continue
            } else if ListMarker.parse(p).map({ !$0.marker.isBullet }) ?? !p.hasPrefix("Срок") {
                listAfterStatement = false
            }
            // `3. Ежедневно до 08.30 докладывать … по форме:` | `«МКОУ «СОШ ___», происшествий нет …».`: the words to report,
            // quoted on the next line, are the item's own.
            if p.hasSuffix(":"), index + 1 < paragraphs.endIndex, let next = paragraphs[index + 1].first, "«\"„".contains(next),
               let parsed = ListMarker.parse(p), !parsed.marker.isBullet, Tasks.directiveVerb(in: parsed.rest) != nil {
                block = .item(marker: parsed.marker, text: parsed.rest + " " + paragraphs[index + 1])
                quotedForm = index + 1
            }
            // `2.4. Включить в план ремонтных работ … в зданиях:` over lines that only name what it acts on (`– МБОУ «…»
            // (…);`, `– 4 классы;`): one task, the lines what it covers (spec §3, *one list item*).
            if case .heading(let h) = block, h.introduces, let marker = h.marker, !marker.isBullet,
               Tasks.leadsWithDirective(h.text), !Tasks.approves(h.text),
               Tasks.firstDirective(in: h.text).map({ !Addressees.assigningVerbs.contains($0.0) }) ?? true,
               let (last, covered) = objectsListed(after: index, under: marker) {
                closeOpen()
                // `– МБОУ СОШ № 3 – до 01.06.2025;`, `– МБОУ «Гимназия № 1» – до 10.06.2025.`: each its own task.
                // Stages or subjects with their dates (`– по школьному этапу – до 05.11.2025;`, `– 4 классы – 15.04.2026;`) are
                // one directive's, due at the last (spec §4, named stages).
                let deadlines = covered.map(dashedDeadline), bodies = covered.map(namedBodies)
                if covered.count >= 2, !deadlines.contains(nil), Set(deadlines.map { $0?.deadline }).count > 1, !bodies.contains(where: { $0 == nil }) {
                    for (k, text) in covered.enumerated() {
                        closeOpen()
                        startItem(marker: marker, text: h.text + ": " + text)
                        // `– МБОУ «Гимназия № 1» – до 10.06.2025`: the school named acts, not every one the directive names.
                        if let named = bodies[k], var item = open, !item.parts.isEmpty {
                            item.parts[0].task.addressees = named.bodies
                            item.parts[0].task.level = named.level
                            item.parts[0].task.deadline = deadlines[k]
                            open = item
                        }
                    }
                } else {
                    startItem(marker: marker, text: h.text + ": " + covered.joined(separator: " "))
                }
                coveredThrough = last
                lastWasDeadlineLine = false
                continue
            }
            if reporting {
                if case .heading = block {} else { continue }
            }
            // An event of a plan under its month: `1. Неделя безопасности – 3-я неделя – классные руководители`.
            // (Under any heading, a row with its own time after a dash: `1. Праздник «Последний звонок» в ОО – 25.05.2026 – …`.)
            if isPlan, !describing, case .item(let marker?, let text) = block,
               stack.last?.heading.key == "deadline" || !marker.isBullet && PlanRow(text).deadline != nil && !Tasks.states(text) {
                let row = PlanRow(text)
                closeOpen()
                startItem(marker: marker, text: text)   // the event's words as printed; its pieces read below
                // Under a section named by how often (`ЕЖЕМЕСЯЧНО`), a row's day (`третий четверг месяца`, `до 5 числа`) is
                // the day of each round: the section's frequency is its time.
                let top = stack.last?.heading
                let recurs = top?.deadline.flatMap { parseDeadline($0) }?.isRecurring ?? false
                // (The row's own frequency, `– 1 раз в четверть`, or a day with its year, `– 21.11.2025`, is its own.)
                let ownWins = row.deadline.map { raw in parseDeadline(raw)?.isRecurring == true || Header.findYear(in: raw) != nil } ?? false
                if let raw = row.deadline, !recurs || ownWins { attachDeadline(raw) }
                if recurs, !ownWins, let raw = top?.deadline, let d = parseDeadline(raw), var item = open {
                    for k in item.parts.indices { item.parts[k].task.deadline = DeadlineText(raw: raw, deadline: d) }
                    open = item
                }
                if var item = open, !item.parts.isEmpty {
                    if !row.responsible.isEmpty { item.parts[item.parts.count - 1].task.responsible = row.responsible }
                    item.isTask = true
                    open = item
                }
                lastWasDeadlineLine = false
                continue
            }
            // `В течение Недели` between a plan's days and over numbered events: a heading of its own, not the row above's.
            if isPlan, Self.isDeadlineLine(block) || namedEventPeriod(p) != nil,
               stack.last?.heading.key == "deadline" || open.map({ $0.marker == nil }) ?? true, Russian.startsUppercase(p),
               index + 1 < paragraphs.endIndex, ListMarker.parse(paragraphs[index + 1]).map({ !$0.marker.isBullet }) == true,
               case .heading(var h) = Structure.classify(p + ":") {
                h.key = "deadline"
                h.deadline = h.deadline ?? p
                block = .heading(h)
            }
            switch block {
            case .deadline(let raw):
                attachDeadline(raw)
                lastWasDeadlineLine = true
                continue
            case .responsible(let bodies):
                if var item = open, !item.parts.isEmpty {
                    item.parts[item.parts.count - 1].task.responsible = bodies
                    item.parts[item.parts.count - 1].lastParagraph = current
                    if isPlanRow(item) { item.isTask = true }
                    open = item
                }
                continue // a `Срок:` line just before still counts as the last line of the group
            case .heading(let h):
                closeOpen()
                // A heading after a `Срок:` line ends the group of the item before it, whatever the heading's rank:
                // the group takes the deadline and closes, so the heading does not open a sub-group of it.
                if lastWasDeadlineLine, let f = lastClosedFrame, f < stack.count, shareGroupDeadline(stack[f]) {
                    popFrames(to: f)
                }
                // (A table's heading row, `№ Организация Ф.И.О. принявшего Время`, `Время   Содержание`, goes on with what it is under.)
                if !(describing && (h.text.first?.isLetter == false || Self.namesColumns(h.text))) { (describing, describingAims) = describesHere(h.text) }
                var h = h
                // `Актив ГМО (руководители ШМО …):` over `Гусева Наталья Ивановна – МБОУ СОШ № 1;`: a list of people, whom no
                // work below is addressed to.
                if !h.addressees.isEmpty, let next = paragraphs[(current + 1)...].first, Self.personListed.matches(next) {
                    h.addressees = []
                    h.level = nil
                }
                // `I. ПОНЕДЕЛЬНИК` recurs each week in a циклограмма; in a plan of one week (`ПЛАН проведения Недели математики с 9
                // по 13 февраля 2026 года`) it is that week's Monday, and elsewhere no time.
                // (`II. Вторник, 10 февраля` in such a plan: the week's Tuesday, whatever year the document's date gives it.)
                if !isCyclogram, let raw = h.deadline {
                    if let week = documentWeek, let first = Russian.words(h.text).first, let w = Self.weekdays.firstIndex(of: Russian.fold(first)) {
                        h.deadline = week.lowerBound.first(weekday: w).printed
                    } else if Self.weekdays.contains(Russian.fold(raw)) {
                        h.deadline = nil
                        h.key = "other"
                    }
                }
                place(h)
            case .item(let marker, let text):
                // (Aims written as a numbered list, `Задачи:` | `1. Обеспечить …` | `2. Организовать …`, end where the numbers
                // go down or deeper: the plan's measures.)
                if describingPlanAims, let marker, !marker.isBullet {
                    let n = marker.components.first ?? 0
                    if planAimsBulleted || marker.components.count != 1 || n <= lastPlanAim {
                        (describing, describingAims, describingPlanAims) = (false, false, false)
                    } else {
                        lastPlanAim = n
                    }
                } else if describingPlanAims, marker?.isBullet == true, lastPlanAim == 0 {
                    planAimsBulleted = true
                }
                // `Календарь памятных дат (информационная основа …)`, `Модуль «Классное руководство»`: a table's group row, a
                // title without its `:`, starts or ends what describes.
                if marker == nil, text.count < 200, let last = text.last, !".;".contains(last), text.first?.isUppercase == true,
                   Tasks.firstDirective(in: text) == nil {
                    if !(describing && Self.namesColumns(text)) { (describing, describingAims) = describesHere(text) }
                }
                // `Срок – до 26.12.2025.` closing a group of `а)`, `б)` sub-items, then a paragraph of its own (`О
                // результатах … сообщить …`): the group has ended and takes its line.
                if marker == nil, lastWasDeadlineLine, Russian.startsUppercase(text), let item = open, item.marker.map({ $0.isBullet || $0.style == .letter }) == true,
                   let f = item.frameIndex, f < stack.count, stack[f].heading.marker != nil {
                    closeOpen()
                    if shareGroupDeadline(stack[f]) { popFrames(to: f) }
                }
                // `… необходимо в срок до 15 декабря … представить в министерство:` | `– копии …;` | `– сведения … по прилагаемой
                // форме.` | `Прошу Вас обеспечить …`: the list under an unnumbered lead with its deadline has ended with its last
                // item's full stop; the lead's deadline is not the next paragraph's.
                if marker == nil, Russian.startsUppercase(text), let item = open, item.marker?.isBullet == true,
                   item.parts.last?.task.text.hasSuffix(".") == true || Tasks.opensWithAsking(text) || Tasks.leadsWithDirective(text),
                   let f = item.frameIndex, f < stack.count,
                   stack[f].heading.marker == nil, stack[f].heading.introduces, stack[f].heading.addressees.isEmpty,
                   stack[f].heading.deadline != nil {
                    closeOpen()
                    popFrames(to: f)
                }
                if marker == nil, continues(text) {
                    var draft = makeDraft(text: text, number: open!.parts[0].task.number)
                    sharesAddressees(&draft, with: open!.parts[0])
                    open!.parts.append(draft)
                } else {
                    closeOpen()
                    startItem(marker: marker, text: text)
                }
            }
            lastWasDeadlineLine = false
        }
        closeOpen()
        popFrames(to: 0)
        resolveItemReferences()
        return tasks
    }

    /// Whether the paragraph at `index` opens the title of a list of things (`ПЕРЕЧЕНЬ` | `остановочных пунктов …`), not of
    /// work (`Перечень мероприятий`, `… поручений`, `… мер`, `… задач`, `… работ`, `… действий`).
    func listsThings(at index: Int) -> Bool {
        let folded = Russian.fold(paragraphs[index])
        return (folded.hasPrefix("перечень") || folded.hasPrefix("список"))
            && !Self.workListed.matches(Russian.fold(paragraphs[index...].prefix(2).joined(separator: " ")))
    }

    /// `в срок, указанный в подпункте 3.1 настоящего приказа`: the deadline of the item it names, when that item has one.
    mutating func resolveItemReferences() {
        for i in tasks.indices where tasks[i].deadline == nil {
            guard let m = Self.itemsTime.firstMatch(in: Russian.fold(tasks[i].text)), let named = m.group(1) else { continue }
            let number = named.trimmingCharacters(in: CharacterSet(charactersIn: "."))
            guard let other = tasks.first(where: { $0.number.trimmingCharacters(in: CharacterSet(charactersIn: ".")) == number }),
                  let deadline = other.deadline else { continue }
            tasks[i].deadline = DeadlineText(raw: m.text, deadline: deadline.deadline)
        }
        // `… сообщить его ФИО … в тот же срок, что и заявку`: the time of the nearest task before it that names the thing.
        for i in tasks.indices where tasks[i].deadline == nil {
            guard let m = Self.sameTimeAs.firstMatch(in: Russian.fold(tasks[i].text)), let thing = m.group(1) else { continue }
            let stem = String(thing.prefix(max(4, thing.count - 2)))
            // (Else the nearest after it: `… в тот же срок, что и отчёт о готовности` | `5. Отчёт о готовности … до 19.12.2025`.)
            let namesIt = { (task: ResolutionTask) in task.deadline != nil && Russian.fold(task.text).contains(stem) }
            guard let other = tasks[..<i].last(where: namesIt) ?? tasks[(i + 1)...].first(where: namesIt) else { continue }
            tasks[i].deadline = DeadlineText(raw: m.text, deadline: other.deadline!.deadline)
        }
    }
    private static let sameTimeAs = Pattern(#"(?<![а-яё])в\s+тот\s+же\s+срок\s*,?\s+что\s+и\s+([а-яё]{4,})"#)
    private static let itemsTime = Pattern(#"(?<![а-яё])в\s+сроки?\s*,?\s+(?:указанн|установленн|определенн|предусмотренн)[а-яё]*\s+(?:в\s+)?(?:(?:под)?пункт[а-яё]*|п\.|пп\.)\s*(\d{1,2}(?:\.\d{1,2}){0,3}\.?)"#)

    private static let quotationClosing = Pattern(#"»\s*[,.;]?\s*$"#)
    /// When the paragraph at `index` opens a quotation after a lead-in ending in `:` (`…, которым поручено:` | `«1. …`)
    /// that runs over several paragraphs and closes within twenty: the index of the paragraph that closes it.
    func quotationEnd(at index: Int) -> Int? {
        if let wording = newWording, wording.contains(index) { return nil }
        guard paragraphs[index].hasPrefix("«"), index > paragraphs.startIndex, paragraphs[index - 1].hasSuffix(":") else { return nil }
        var depth = 0
        for j in index..<min(paragraphs.endIndex, index + 20) {
            for ch in paragraphs[j] where ch == "«" || ch == "»" { depth += ch == "«" ? 1 : -1 }
            if depth <= 0 { return j > index ? j : nil }
            // `3. … на базе ГАУ ДПО «ИРО»,`: the quotation's and a name's closing marks printed as one, the next
            // paragraph no item of the quoted list.
            if j > index, Self.quotationClosing.matches(paragraphs[j]),
               j + 1 == paragraphs.endIndex || ListMarker.parse(paragraphs[j + 1]).map({ $0.marker.isBullet }) ?? true { return j }
        }
        return nil
    }

    /// The last paragraph of a new wording quoted after its lead (`пункт 3 изложить в следующей редакции:`, `дополнить
    /// пунктом 4.3 следующего содержания:`) at `index`, the quotation opening the next paragraph and closing within thirty.
    func newWordingEnd(after index: Int) -> Int? {
        guard Self.newWordingLead.matches(Russian.fold(paragraphs[index])), paragraphs.indices.contains(index + 1),
              paragraphs[index + 1].hasPrefix("«") else { return nil }
        var depth = 0
        for j in (index + 1)..<min(paragraphs.endIndex, index + 31) {
            for ch in paragraphs[j] where ch == "«" || ch == "»" { depth += ch == "«" ? 1 : -1 }
            if depth <= 0 { return j }
        }
        return nil
    }
    private static let newWordingLead = Pattern(#"(?:в\s+(?:следующей|новой)\s+редакции|следующего\s+содержания)\s*:\s*$"#)
    private static let closingQuote = Pattern(#"»\s*[;.,]?\s*$"#)

    private static let meetingNamed = Pattern(#"(?<![а-яё])(?:к|ко|до)\s+(?:следующ[а-яё]+\s+|очередн[а-яё]+\s+)?(?:совещани[а-яё]*|заседани[а-яё]*|вкс|видеоконференци[а-яё]*)(?![а-яё])(?!\s*\(?\d)"#)
    private static let meetingDated = Pattern(#"(?<![а-яё])(?:следующ[а-яё]*\s+(?:совещани|заседани)[а-яё]*(?:\s+[а-яё]+){0,6}?\s*[-–—:]\s*(?=\d{1,2}[.\s])|(?:совещани[а-яё]*|заседани[а-яё]*|следующ[а-яё]*\s+(?:вкс|видеоконференци[а-яё]*))(?:\s+[а-яё]+){0,3}?\s*(?:[-–—:]|(?:состоится|пройд[её]т)\s*:?|(?:запланировано|назначено)\s+на)?\s*(?=\d{1,2}[.\s]))"#)

    /// The day a meeting is announced for in `paragraphs` (`Следующее совещание — 27.11 в 14:00`, `совещание 27.11`).
    static func announcedMeeting(in paragraphs: some Sequence<String>, reference: Day?) -> Day? {
        for p in paragraphs {
            for m in meetingDated.matches(in: p) {
                let after = String(p[m.range.upperBound...].prefix(30))
                if let found = DeadlineParser.find(in: "до " + after, reference: reference), case .date(let iso) = found.deadline, let day = Day(iso: iso) {
                    return day
                }
            }
        }
        return nil
    }

    /// `к следующему совещанию`, `К совещанию подготовить …`: the day the text read gives that meeting, else the one a
    /// chat announced before.
    func nextMeetingDeadline(_ text: String) -> DeadlineText? {
        guard let named = Self.meetingNamed.firstMatch(in: text),
              let day = Self.announcedMeeting(in: paragraphs, reference: reference) ?? announcedMeeting else { return nil }
        return DeadlineText(raw: named.text, deadline: .date(day.iso))
    }

    /// `обеспечить участие заместителей директоров … в семинаре`: taking part in an event named by its kind.
    private static let participation = Pattern(#"(?<![а-яё])участи[а-яё]*\s+(?:[^.;]{0,160}?\s)?в\s+(вебинар|семинар|практикум|конференци|форум|мастер-класс|совещани|заседани|круглом\s+стол|круглый\s+стол)[а-яё]*"#)
    /// A full date: `11 сентября 2025 г.`, `12.11.2025`.
    private static let fullDate = Pattern(#"(?<![\d.])(?:\d{1,2}\s+"# + Russian.monthPattern + #"(?![а-яё])\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{4})(?![\d])"#)

    /// The day of an event the task asks to take part in, named by its kind (`… участие … в семинаре`), that the text
    /// around it dates: a sentence of the same paragraph, or of the two paragraphs before or after it, naming the kind
    /// with a full date (`… 11 сентября 2025 г. в 14:00 ЦППМСП проводит вебинар …`), or a `… состоится:` over a line that
    /// opens with one (`Семинар … состоится:` | `12 ноября 2025 г., 14:00, МБОУ СОШ № 4`) (spec §4, *the day of an event*).
    func participationDeadline(_ text: String) -> DeadlineText? {
        guard let m = Self.participation.firstMatch(in: Russian.fold(text)), let kind = m.group(1) else { return nil }
        let stem = String(kind.prefix(6))
        let nearby = [current] + [current - 1, current + 1, current - 2, current + 2].filter { paragraphs.indices.contains($0) && $0 != current }
        for i in nearby where paragraphs.indices.contains(i) {
            let sentences = Tasks.sentenceEnd.replacing(in: paragraphs[i], with: "$1\u{2}").components(separatedBy: "\u{2}").map(Russian.fold)
            for sentence in sentences where sentence.contains(stem) {
                var dated = sentence
                // `… состоится:` | `12 ноября 2025 г., 14:00, …`: the date on the next line.
                if sentence.hasSuffix("состоится:") || sentence.hasSuffix("состоятся:"), paragraphs.indices.contains(i + 1) {
                    dated = String(Russian.fold(paragraphs[i + 1]).prefix(40))
                    guard fullDateAtStart(dated) else { continue }
                }
                if let d = Self.fullDate.firstMatch(in: dated), let found = DeadlineParser.find(in: "до " + d.text, reference: reference) {
                    return DeadlineText(raw: d.text, deadline: found.deadline)
                }
            }
        }
        return nil
    }

    private func fullDateAtStart(_ s: String) -> Bool { Self.fullDate.firstMatch(in: s)?.range.lowerBound == s.startIndex }

    /// Whether a sentence names a date or a period to keep (not a frequency).
    func hasDatedDeadline(_ text: String) -> Bool {
        switch DeadlineParser.find(in: text, reference: reference)?.deadline {
        case .date?, .period?, .staged?: return true
        default: return false
        }
    }

    /// `в день проведения итогового собеседования`, `в период их проведения`: an event the task names without its date.
    private static let eventTimeNamed = Pattern(#"(?<![а-яё])(?:в\s+(?:(?:каждый\s+)?день|дни|период)\s+(?:(?:их|е[её]|его)\s+)?проведения|во\s+время(?:\s+(?:их|е[её]|его))?(?:\s+проведения)?)(?:\s+((?:[а-яё-]+\s+){0,2}[а-яё-]+))?"#)
    /// `итоговое собеседование пройдёт 11 февраля 2026 года`, `… работы в 2026 году пройдут с 13 апреля по 15 мая 2026 года`.
    private static let eventStated = Pattern(#"((?:[а-яё-]+\s+){1,5}?)(?:в\s+\d{4}\s+году\s+)?(пройд[её]т|пройдут|состоится|состоятся)\s"#)

    /// The day or days the document gives elsewhere (in a speech, an agenda) to the event the task names without its
    /// date: the event's words after `в день проведения` (else the task's words before `в период их проведения`) hold
    /// every word, two or more, of the subject of a sentence that says when it takes place (spec §4, *the day of an event*).
    func eventDayDeadline(_ text: String) -> DeadlineText? {
        let folded = Russian.fold(text)
        guard let m = Self.eventTimeNamed.firstMatch(in: folded) else { return nil }
        func stems(_ s: String) -> Set<String> {
            Set(Russian.words(s).filter { $0.count >= 4 && $0.allSatisfy(\.isLetter) }.map { String($0.prefix(5)) })
        }
        let before = String(folded[..<m.range.lowerBound])
        let named = stems(m.group(1) ?? before)
        for stated in events.stated {
            let subject = stems(stated.subject.joined(separator: " "))
            if subject.count >= 2, subject.isSubset(of: named) { return DeadlineText(raw: m.text, deadline: stated.deadline) }
        }
        // The named words as printed (their capitals tell a name).
        let printed: String? = m.group(1).flatMap { named in
            guard folded.count == text.count, m.groups.count > 1, let r = m.groups[1] else { return nil }
            return String(text.dropFirst(folded.distance(from: folded.startIndex, to: r.lowerBound)).prefix(named.count))
        }
        // `в дни проведения диагностики` after `ЦОКО перенёс региональную диагностику … на 2–4 декабря 2025 года`: the
        // moved event's new days.
        if m.group(1) != nil, let moved = events.moved.first(where: { !stems($0.words.joined(separator: " ")).isDisjoint(with: named) }) {
            return DeadlineText(raw: m.text, deadline: moved.period)
        }
        // `в день проведения Конференции`: the day the document sets for the event named with a capital, as a document names
        // what it defines (`… (далее – Конференция)`).
        if let printed, let period = eventPeriod(namedBy: Russian.words(printed).filter { $0.first?.isUppercase == true }) {
            return DeadlineText(raw: m.text, deadline: period)
        }
        // `… сопровождение Недели в период её проведения`: the period the document sets for the noun before the phrase.
        // (`… в учебно-тренировочных сборах, указанных в подпункте 3.1 настоящего приказа, в период их проведения`: the
        // nearest of the last few nouns the document sets days for; a short noun's stem without its ending, `сбор`.)
        if m.group(1) == nil {
            for noun in Russian.words(before).suffix(8).reversed() where noun.count >= 4 && noun.allSatisfy(\.isLetter) {
                if let period = eventPeriod(stem: String(noun.prefix(min(5, max(4, noun.count - 2))))) {
                    return DeadlineText(raw: m.text, deadline: period)
                }
            }
        }
        return nil
    }

    private static let eventOpening = Pattern(#"(?<![а-яё])(?:к|до)\s+(?:открыти[юя]|началу|начала)\s+((?:[а-яё-]+\s+){0,2}[а-яё-]+)"#)
    private static let mainTermNamed = Pattern(#"(?<![а-яё])в\s+основной\s+срок(?![а-яё])"#)
    private static let mainTermStated = Pattern(#"(?<![а-яё])основной\s+срок\s*(?:[–—-]|:)?\s*((?:\d{1,2}\s+[а-яё]+\s+\d{4}|\d{1,2}\.\d{1,2}\.\d{4})(?:\s*(?:г\.?|года))?)"#)
    /// `в день проведения итогового сочинения (изложения) в основной срок`: the day the document gives the main term
    /// (`… в основной срок – 3 декабря 2025 года и в дополнительные сроки – …`; spec §4, *the day of an event*).
    func mainTermDeadline(_ text: String) -> DeadlineText? {
        guard let mainTerm, let named = Self.mainTermNamed.firstMatch(in: Russian.fold(text)) else { return nil }
        return DeadlineText(raw: named.text, deadline: .date(mainTerm.iso))
    }
    /// The main term's day the document states anywhere, its preamble too (`… в основной срок – 3 декабря 2025 года …`).
    static func mainTerm(in paragraphs: [String], reference: Day?) -> Day? {
        for p in paragraphs.prefix(400) where p.contains("сновной") {
            if let m = mainTermStated.firstMatch(in: Russian.fold(p)), let day = m.group(1),
               case .date(let d)? = DeadlineParser.parse(day, reference: reference) {
                return Day(iso: d)
            }
        }
        return nil
    }

    /// `Приложение 3` | … | `План-график проведения Недели науки` | rows of days, events, classes and places, no one
    /// responsible: the days the event's parts happen on, no tasks (spec §3). (A plan naming who is responsible is work.)
    func schedulesEvents(after index: Int) -> Bool {
        guard paragraphs[(index + 1)...].prefix(4).contains(where: { Russian.fold($0).hasPrefix("план-график проведения") && $0.count <= 120 }) else { return false }
        let rest = paragraphs[(index + 1)...].prefix { !Structure.opensAppendix($0) }.prefix(200)
        return !rest.contains { Self.namesResponsible.matches(Russian.fold($0)) }
    }
    private static let namesResponsible = Pattern(#"(?<![а-яё])(?:ответствен|исполнител|отв\.)"#)

    /// `к открытию Недели науки`: the first day the document sets for the event so named (spec §4, *the day of an event*).
    func eventStartDeadline(_ text: String) -> DeadlineText? {
        guard let m = Self.eventOpening.firstMatch(in: Russian.fold(text)), let named = m.group(1) else { return nil }
        switch eventPeriod(namedBy: Russian.words(named)) {
        case .period(let from, _)?: return DeadlineText(raw: m.text, deadline: .date(from))
        case .date(let day)?: return DeadlineText(raw: m.text, deadline: .date(day))
        default: return nil
        }
    }

    /// The one period a preamble states (`… в связи с введением с 12 по 23 февраля 2026 года усиленного режима …
    /// ПРЕДЛАГАЮ:`), which `в указанный период` names; nil when it states none or several.
    static func preamblePeriod(in preamble: ArraySlice<String>, reference: Day?) -> Deadline? {
        var stated: [Deadline] = []
        for p in preamble.prefix(30) where p.count > 60 {
            if let found = DeadlineParser.find(in: p, reference: reference), case .period = found.deadline, !stated.contains(found.deadline) {
                stated.append(found.deadline)
            }
        }
        return stated.count == 1 ? stated[0] : nil
    }

    /// `2.2. провести классные часы в течение Недели`: the event the document sets, named by a capital in running text; in
    /// lower case (`в течение декады`, `в период месячника`) only a Неделя, Декада or месячник the document sets (else
    /// `в течение недели` is seven days).
    func eventNamedInText(_ text: String) -> DeadlineText? {
        let masked = Russian.maskQuoted(text)
        guard !events.periods.isEmpty, let m = Self.duringEventInText.firstMatch(in: masked) ?? Self.duringSetEventInText.firstMatch(in: masked),
              let noun = m.group(1),
              let period = eventPeriod(stem: String(Russian.fold(noun).prefix(5))) else { return nil }
        return DeadlineText(raw: m.text, deadline: period)
    }
    private static let duringSetEventInText = Pattern(#"(?<![а-яё])в\s+(?:течение|период|дни)\s+(?:проведения\s+)?(декады|недели|месячника)(?![а-яё])(?!\s+(?:с\s+|со\s+|после|по\s+получени))"#)
    private static let duringEventInText = Pattern(#"(?<![А-ЯЁа-яё])[Вв]\s+(?:течение|период|дни)\s+(?:проведения\s+)?([А-ЯЁ][а-яё]+)(?![а-яё])"#, caseSensitive: true)

    /// `в указанный период` (`в этот период`, `в данный период`): the one period the preamble states.
    func periodReferredTo(_ text: String) -> DeadlineText? {
        guard let period = preamblePeriod, let m = Self.periodNamedBefore.firstMatch(in: Russian.fold(text)) else { return nil }
        return DeadlineText(raw: m.text, deadline: period)
    }
    private static let periodNamedBefore = Pattern(#"(?<![а-яё])(?:в|на)\s+(?:указанный|этот|данный|обозначенный|вышеуказанный|установленный)\s+период(?![а-яё])"#)

    /// The sub-items right after `index` that only name what the directive above acts on or when (`– МБОУ
    /// «Ерахтурская средняя школа» (с. Ерахтур, ул. Школьная, д. 9);`, `– 4 классы;`, `- математика – 10.12.2025;`,
    /// `- перед осенними каникулами;`): short, no directive, no noun of action. Their texts without markers and the
    /// index of the last; nil when the first does not.
    func objectsListed(after index: Int, under heading: ListMarker) -> (last: Int, texts: [String])? {
        var last: Int?, texts: [String] = []
        func found() -> (last: Int, texts: [String])? { last.map { ($0, texts) } }
        for i in paragraphs.indices where i > index {
            let marker: ListMarker?, text: String
            switch Structure.classify(paragraphs[i]) {
            case .item(let m, let t): (marker, text) = (m, t)
            // `МБОУ «Ерахтурская средняя школа»,` on a line of its own reads like an addressee.
            case .heading(let h) where !h.introduces && Levels.ofBody(h.text) != nil: (marker, text) = (h.marker, h.text)
            default: return found()
            }
            if let marker {
                // A deeper number (`1.1.`) heads a task of its own unless it only names a body.
                if case .arabic = marker.style, marker.components.count <= heading.components.count || Levels.ofBody(text) == nil { break }
                if marker.isRoman || marker.style == .upperLetter { break }
            }
            // `МБОУ СОШ № 1 п. Добринка, МБОУ СОШ № 2 п. Добринка – до 16 мая 2025 года;`: short before its own deadline.
            let named = dashedDeadline(text) != nil ? Self.atLastDash(text)?.before ?? text : text
            guard Russian.words(named).count <= 14, Tasks.firstDirective(in: text) == nil, Tasks.directiveVerb(in: text) == nil,
                  !Tasks.startsWithActionNoun(text), !Tasks.opensWithActionNoun(text), !Tasks.isClosingFormula(text) else { break }
            // A plain paragraph is an object only when it reads as one: a body, or a line cut by `,`/`;` from the next.
            // (`– 4 классы;` is no bullet to the marker reader: a dash before a number.)
            if marker == nil, Levels.ofBody(text) == nil, !(text.hasSuffix(",") || text.hasSuffix(";")),
               !text.hasPrefix("–"), !text.hasPrefix("-"), !text.hasPrefix("—") { break }
            last = i
            texts.append(text.trimmingCharacters(in: CharacterSet(charactersIn: "–—- ")))
        }
        return found()
    }

    /// The deadline a listed object ends with after a dash (`МБОУ СОШ № 3 – до 01.06.2025;`, `математика – 10.12.2025`).
    func dashedDeadline(_ text: String) -> DeadlineText? {
        guard let tail = Self.atLastDash(text.trimmingCharacters(in: CharacterSet(charactersIn: ";.,: ")))?.after,
              Russian.words(tail).count <= 8 else { return nil }
        // `– 15.04.2026`, `– сентябрь 2025 г.`, `– с 02.06.2025 по 25.06.2025`: a bare cell's time.
        guard let deadline = DeadlineParser.find(in: tail.first?.isNumber == true ? "до " + tail : tail, reference: reference)?.deadline
            ?? (Structure.isBareDeadline(tail) ? DeadlineParser.parse(tail, reference: reference) : nil) else { return nil }
        return DeadlineText(raw: tail, deadline: deadline)
    }

    /// `МБОУ СОШ № 3 – до 01.06.2025` → what stands before and after its last spaced dash.
    static func atLastDash(_ text: String) -> (before: String, after: String)? {
        guard let dash = text.range(of: #"\s[–—-]\s"#, options: [.regularExpression, .backwards]) else { return nil }
        return (String(text[..<dash.lowerBound]), String(text[dash.upperBound...]))
    }

    private static let prepositions: Set<String> = ["по", "с", "со", "для", "в", "во", "на", "к", "о", "об", "при", "от", "до", "за", "из", "у"]

    /// The bodies a listed object names before its dash (`МБОУ СОШ № 1, МБОУ СОШ № 2 – до 16 мая`), nil when it names
    /// something else (`математика – 10.12.2025`).
    func namedBodies(_ text: String) -> (bodies: [String], level: TaskLevel)? {
        guard let before = Self.atLastDash(text)?.before else { return nil }
        var bodies = Addressees.split(before)
        // `Баргузинский, Курумканский, Северо-Байкальский районы`: districts listed before their one noun are one body.
        if bodies.count > 1, bodies.dropLast().allSatisfy({ Levels.ofBody($0, terms: terms) == nil && Russian.words($0).count == 1 }),
           Levels.ofBody(before, terms: terms) != nil {
            bodies = [before]
        }
        // `по школьному этапу`, `с заместителями директоров`: what or with whom, not who.
        guard !bodies.isEmpty, let level = Levels.ofAddressees(bodies, terms: terms),
              bodies.allSatisfy({ Levels.ofBody($0, terms: terms) != nil && !Self.prepositions.contains(Russian.fold(Russian.words($0).first ?? "")) })
        else { return nil }
        return (bodies, level)
    }

    // MARK: Frames

    /// Pops frames from `index` up; the innermost popped group takes a deadline printed once after its last item.
    mutating func popFrames(to index: Int) {
        guard index < stack.count else { return }
        let innermost = stack[stack.count - 1]
        if lastWasDeadlineLine { shareGroupDeadline(innermost) } else { shareLineAbove(innermost) }
        stack.removeSubrange(index...)
    }

    /// A `Срок:` line after the last sub-item of a group goes to the group's items without a deadline of their own
    /// (none, or only a heading's), unless another item has its own line (then each line is its item's) or the line
    /// names its item. The last item then keeps the phrase of its own sentence, if it had one.
    /// True when the deadline was shared (the line was the group's).
    @discardableResult
    mutating func shareGroupDeadline(_ frame: Frame) -> Bool {
        let indices = frame.taskIndices
        guard indices.count >= 2 else { return false }
        guard let last = indices.last, origins[last].line, !origins[last].lineNamesItem,
              let d = tasks[last].deadline else { return false }
        let others = indices.dropLast()
        guard !others.contains(where: { origins[$0].line }) else { return false }
        // Rows of a plan, each with its own `Ответственные:` line, keep their own cells: an empty one is no deadline.
        guard !indices.allSatisfy({ !tasks[$0].responsible.isEmpty }) else { return false }
        // A season in an item's sentence (`… лагерей … в летний период`) says when what it names takes place.
        let takers = others.filter { tasks[$0].deadline == nil || origins[$0].inherited && !origins[$0].fromMeeting
            || tasks[$0].deadline.map { DeadlineParser.isSeason($0.raw) } == true }
        guard !takers.isEmpty else { return false }
        for i in takers {
            tasks[i].deadline = d
            origins[i].inherited = false
        }
        // (Not a school year the sentence names, `… собрания по вопросам … в 2025/2026 учебном году`, nor the results it
        // works from, `по итогам I полугодия`: the line wins; `в течение 2021/2022 учебного года` is the item's own time.)
        if let own = origins[last].phraseDeadline, !(Self.wholeSchoolYear(own.deadline) && !own.raw.contains("течени")),
           !Russian.fold(own.raw).hasPrefix("по итогам") { tasks[last].deadline = own }
        return true
    }

    /// `3. Заместителю …:` | `– разработать …;` `– обеспечить …;` `– сформировать ….` | `Срок: до 26.09.2025.` | `– организовать …
    /// в период с …`: the one line in the middle of a numbered item's dashes, after the dash that ends with a full stop,
    /// covers the dashes above it that have no time (spec §4).
    mutating func shareLineAbove(_ frame: Frame) {
        let indices = frame.taskIndices
        guard indices.count >= 2, let l = indices.last(where: { origins[$0].line }), l != indices.last, !origins[l].lineNamesItem,
              let d = tasks[l].deadline, indices.allSatisfy({ tasks[$0].responsible.isEmpty }),
              // (Dashes under one item, all of its number, the line's ending with a full stop; or sub-items of one item, the
              // line's not ending with a full stop (its semicolon is dropped), the list going on: `5.1. назначить …;` | `5.2. разработать …;` | `Срок: до
              // 24.10.2025.` | `5.3. …`. Not numbered items of their own, each its own.)
              Self.dashesOfOneItem(indices.map { tasks[$0].number }) && tasks[l].text.hasSuffix(".")
                || Self.subItemsOfOneItem(indices.map { tasks[$0].number }) && !tasks[l].text.hasSuffix("."),
              !tasks[l].number.isEmpty,
              !indices.contains(where: { $0 != l && origins[$0].line }) else { return }
        for i in indices where i < l && tasks[i].deadline == nil { tasks[i].deadline = d }
    }

    private static func dashesOfOneItem(_ numbers: [String]) -> Bool { Set(numbers).count == 1 }

    /// `5.1`, `5.2`, `5.3`: sub-items of one item, each once.
    private static func subItemsOfOneItem(_ numbers: [String]) -> Bool {
        let parents = Set(numbers.map { n in n.split(separator: ".", omittingEmptySubsequences: true).dropLast().joined(separator: ".") })
        return Set(numbers).count == numbers.count && parents.count == 1 && parents.first?.isEmpty == false
    }

    /// A period of a whole school year (1 September to 31 August).
    static func wholeSchoolYear(_ d: Deadline) -> Bool {
        if case .period(let from, let to) = d, from.hasSuffix("-09-01"), to.hasSuffix("-08-31") { return true }
        return false
    }

    /// Whether an agenda item's own phrase is a period (`Анализ результатов ОГЭ в 2025 году`, `… на 2025/2026
    /// учебный год`): under a meeting's heading it says what the item is about; the meeting says when it is done.
    static func namesAPeriod(_ own: Deadline?) -> Bool {
        if case .period? = own { return true }
        return false
    }

    /// A numbered item with its own `Ответственные:` line (and usually a `Срок:` line) is a row of a plan of
    /// measures: a task, whatever its first word (`Утверждение …`, `Психолого-педагогическое сопровождение …`,
    /// an agenda row `Анализ результатов …` dated by its meeting's row) — unless it is a report's record or settled as
    /// no task.
    func isPlanRow(_ item: OpenItem) -> Bool {
        guard !item.isRecord, !item.settled, let marker = item.marker, !marker.isBullet, let last = item.parts.last else { return false }
        return !last.task.responsible.isEmpty
    }

    /// Where a numbered paragraph goes: next to the frame of the same numbering, under its parent.
    mutating func popForMarker(_ marker: ListMarker) {
        // A list that starts again at 1 right under a numbered heading of the same style is that heading's
        // sub-list while its numbers go on one by one; any other number returns to the outer list.
        if marker.components.count == 1, let top = stack.last, top.heading.introduces, let tm = top.heading.marker,
           tm.style == marker.style {
            let n = marker.components[0]
            if top.subList == nil, n == 1, top.taskIndices.isEmpty {
                stack[stack.count - 1].subList = 1
                return
            }
            if let last = top.subList, n == last + 1 {
                stack[stack.count - 1].subList = n
                return
            }
        }
        var i = stack.count - 1
        while i >= 0 {
            let f = stack[i]
            if marker.isRoman {
                if f.heading.marker?.isRoman == true { popFrames(to: i); return }
                i -= 1
                continue
            }
            if f.isBarrier { return }
            guard let fm = f.heading.marker else { return }
            switch (fm.style, marker.style) {
            case (.arabic(let a), .arabic(let b)), (.arabicParen(let a), .arabicParen(let b)), (.roman(let a), .roman(let b)):
                if a >= b { popFrames(to: i); return }
                if a < b { return } // the parent group
            default:
                if fm.style == marker.style { popFrames(to: i); return }
            }
            i -= 1
        }
    }

    /// `inner` numbers a sub-item of `outer`: `1.` → `1.1.`, `1.` → `а)`.
    func numberedInside(_ inner: ListMarker?, _ outer: ListMarker?) -> Bool {
        guard let inner, let outer, !inner.isBullet else { return false }
        if !outer.components.isEmpty && !inner.components.isEmpty { return inner.components.count > outer.components.count }
        return inner.style != outer.style
    }

    mutating func place(_ h: Heading) {
        // A heading that is only a deadline (`До 31 декабря 2021 года:`) covers the items up to the next heading.
        // (In a plan, a month's own sub-headings, `Сентябрь` | `Мероприятия:`, are within it.)
        let withinMonth = isPlan && h.marker == nil && h.key != "deadline" && h.introduces
            && stack.last.map { Structure.monthHeading.matches(Russian.fold($0.heading.text)) } == true
        if let top = stack.last, top.heading.key == "deadline", !withinMonth { popFrames(to: stack.count - 1) }
        // One addressee's group ends at the next addressee's heading, numbered or not (`1. Руководителям ОО:` …
        // `Педагогическим работникам:`), unless the new one is numbered inside the old (`1.` → `1.1.`).
        if let top = stack.last, top.heading.key == "addressee", h.key == "addressee", !numberedInside(h.marker, top.heading.marker) {
            popFrames(to: stack.count - 1)
        }
        if let marker = h.marker {
            popForMarker(marker)
        } else {
            // An unnumbered heading replaces the open heading of the same kind (`Задачи краевого уровня:` → `Задачи муниципального уровня:`).
            var i = stack.count - 1
            while i >= 0, stack[i].heading.marker == nil {
                if stack[i].heading.key == h.key { popFrames(to: i); break }
                i -= 1
            }
        }
        stack.append(Frame(heading: h))
    }

    // MARK: Items

    var directiveContext: Bool {
        // `1. Руководителям … обеспечить выполнение следующих мероприятий:` | `1.1. Контроль качества:` | `1.1.1. Ежедневный
        // контроль …;`: a title numbered inside a directive's list is within the directive.
        if stack.count >= 2, let top = stack.last, !top.heading.directive, top.heading.introduces, top.heading.key != "addressee",
           stack[stack.count - 2].heading.directive, numberedInside(top.heading.marker, stack[stack.count - 2].heading.marker) {
            return true
        }
        if let top = stack.last {
            // After the decision formula a section title (`II. Развитие кадрового потенциала`) keeps the formula's
            // directive context, as do aspect and deadline headings (`В целях …:`, `До 1 марта:`).
            return top.heading.directive || rootDirective && (!top.heading.introduces || top.heading.key == "aspect" || top.heading.key == "deadline")
        }
        return rootDirective
    }

    /// `на этом совещании`, `в ходе данного семинара`: an event named before; group 1 the noun's stem.
    private static let eventPointedBack = Pattern(#"(?<![а-яё])(?:на|в|в\s+ходе|во\s+время|к|в\s+рамках|для)\s+(?:(?:эт|данн|(?:выше)?указанн)(?:ом|ой|ого|ому|ую|ый|ое|от|у|о)|этот|эту)\s+(совещани|семинар|заседани|конференци|мероприяти|форум|вебинар|совет|собрани)"#)
    /// An event's noun in the facts before, for `указанном мероприятии`.
    private static let anEvent = Pattern(#"(?<![а-яё])(?:совещани|семинар|заседани|конференци|форум|вебинар|собрани|фестивал|конкурс|олимпиад|слет|акци)[а-яё]*"#)

    /// An unnumbered paragraph right after a numbered task continues it (a second directive of the same item).
    func continues(_ text: String) -> Bool {
        guard let item = open, item.isTask, let marker = item.marker, !marker.isBullet else { return false }
        return Russian.startsLowercase(text) || Tasks.directiveVerb(in: text) != nil && Tasks.firstDirective(in: text)!.1 <= 1
    }

    mutating func startItem(marker: ListMarker?, text given: String) {
        // `Дополнительно сообщаем, что … . Рекомендуем обеспечить участие …`: the request is the task, not the notice.
        // (In a letter without a decision formula, a numbered paragraph too: `7. 18.12.2025 … проводится вебинар … . Участие
        // ответственных от каждой ОО обязательно. …`.)
        let inALetter = !letterAddressees.isEmpty && !rootDirective
        var asked: String?
        if marker == nil || inALetter && !inAppendix && !marker!.isBullet {
            asked = Tasks.requestAfterNotice(given, inALetter: !letterAddressees.isEmpty) ?? (inALetter ? Tasks.dutiesAfterStatedLead(given) : nil)
        }
        // `Итоги … доведены … . Управлению образования … следует до 15 декабря 2025 года рассмотреть …`: facts, then a
        // body told what to do by a date.
        let told = marker == nil && asked == nil && !Tasks.leadsWithDirective(given) ? Tasks.addressedLater(given, reference: reference) : nil
        let text = asked ?? told ?? given
        if let marker { popForMarker(marker) }
        var isTask: Bool
        if told != nil {
            isTask = true
        } else if directiveContext, (Tasks.firstDirective(in: text)?.0 ?? "быть") == "быть", Tasks.obligesPassively(text),
                  DeadlineParser.find(in: text, reference: reference) != nil {
            // `информация … должна быть направлена в управление образования до 26.12.2025;`: an obligation in the passive.
            isTask = true
        } else if !letterAddressees.isEmpty, !inAppendix, Tasks.obligesAtFirst(text),
                  DeadlineParser.find(in: text, reference: reference) != nil || calendar.deadline(in: text) != nil || asked != nil {
            // In a letter to its address block, `1. Планы мероприятий ОО … подлежат согласованию … до 22.12.2025.`: a duty laid
            // in the passive, with a time (spec §3).
            isTask = true
        } else if Tasks.directiveVerb(in: text) != nil {
            // A numbered or bulleted item after the formula may put its verb late (`В рамках проекта «…» провести …`);
            // a plain paragraph must lead with it, so that closing remarks are not read as tasks.
            isTask = (rootDirective || !stack.isEmpty) && marker != nil ? true : Tasks.leadsWithDirective(text)
        } else if Tasks.firstDirective(in: text) == nil, hasNonDirectiveVerb(text) {
            isTask = false
        } else {
            // A paragraph that opens with a noun of action and ends as a list item does (`Создание рабочей группы …;`).
            let ended = text.hasSuffix(";") || text.hasSuffix(".")
            let listLike = marker != nil || ended && (Russian.startsLowercase(text) || Tasks.startsWithActionNoun(text))
            // `Мониторинг проведён с 6 по 10 октября …`: a noun of action whose clause states is a finding (a remark under
            // a directive, `Школьный автобус не оснащён …`, is what to put right).
            isTask = directiveContext && listLike && !(Tasks.startsWithActionNoun(text) && Tasks.statesAtFirst(text))
            // `… поставка одного автобуса;` | `вопрос о поставке двух автобусов будет рассмотрен …`: the rest of a statement
            // the line before broke, no item.
            if isTask, marker == nil, Russian.startsLowercase(text), Tasks.states(text) { isTask = false }
            // A numbered item of nouns with its own deadline on its line (`1. Проведение пробного ОГЭ. Срок: декабрь
            // 2025 г.`; in a plan, `1. Повышение квалификации … – I полугодие.`) is a task wherever it stands.
            // In a message, any numbered line of nouns with its own time after a dash is one (`2. Отчёт по ВПР – до 17.11`).
            if !isTask, let marker, !marker.isBullet, Tasks.startsWithActionNoun(text) || isMessage || isPlan,
               Tasks.extractInline(text).deadline != nil || (isPlan || isMessage) && PlanRow(text).deadline != nil {
                isTask = true
            }
        }
        // `1.3. результаты проверки будут доведены … на совещании 20.03.2026;`: a statement in the future, numbered or not.
        if isTask, told == nil, Tasks.firstDirective(in: text) == nil, Tasks.statesInFuture(text) { isTask = false }
        // What is told or approved, notes and closing formulas are no tasks, and no later `Срок:` line makes them one
        // (`1. Утвердить график …:` | `1.1. Русский язык` | `Срок: 23.09.2025`).
        var settled = false
        // `Утвердить план работы …`, `Назначить ответственным …` with nobody named is done by adopting or signing the
        // document itself, not a task; with a time of its own (`Утвердить план … | Срок: до 01.03.2025`) it is work to do
        // by then.
        // `Установить, что решение … принимается …` sets a rule by the document itself, as `Утвердить` does.
        if Self.establishesThat.matches(Russian.fold(text.prefix(48))),
           Tasks.firstDirective(in: String(text.dropFirst(10))) == nil,
           namesNobody {
            isTask = false
        }
        if adoptsItself, let (verb, index) = Tasks.firstDirective(in: text), ["утвердить", "назначить"].contains(verb), index == 0,
           namesNobody {
            isTask = false
        }
        // In a report, an item without a directive that states (`Показатели стабильны, качество снизилось …`) or
        // names a time wholly past (`Районный конкурс педагогических достижений – ноябрь 2024`) records what was done.
        if isTask, isReport, Tasks.directiveVerb(in: text) == nil, Tasks.firstDirective(in: text) == nil,
           Tasks.states(text) || recordsThePast(text) {
            isTask = false
        }
        // `Для достижения цели … решались следующие задачи: 1. Обеспечить …`: what was done, not what is assigned.
        if stack.last?.heading.key == "told" { settled = true }
        // In a report, a numbered line of nouns without final punctuation (`1. Результаты обучения`) is a title.
        if isTask, isReport, Tasks.firstDirective(in: text) == nil, !(text.hasSuffix(".") || text.hasSuffix(";")) { isTask = false }
        // `Примечание: 1. Сроки … могут быть изменены …`: notes, save one led by a directive.
        if stack.last.map({ Self.notesHeading.matches(Russian.fold($0.heading.text.prefix(12))) }) == true,
           !Tasks.leadsWithDirective(text) {
            settled = true
        }
        // `5. ТИПИЧНЫЕ ОШИБКИ …`, `… основывается на следующих принципах:`, `Выводы:`, `Календарь памятных дат`: items that
        // describe (a holiday's day is no event of the plan's), save one led by a directive.
        // (Under a week's or a project's aims, `Задачи декады:` | `2. Выявить одарённых обучающихся.`, an infinitive is an aim too.)
        if describing, !Tasks.leadsWithDirective(text) || describingAims {
            settled = true
        }
        // `При организации групповой работы целесообразно использовать приёмы …`: method text, not an assignment.
        // (Not a conference's `РЕКОМЕНДАЦИИ`, and not a paragraph with a date or period to keep: that is an assignment.)
        if isRecommendations, marker == nil, !directiveContext, Tasks.recommendsImpersonally(text), !hasDatedDeadline(text) { settled = true }
        // `1. Утвердить:` over `1.1. Положение о …`, `1.2. Состав оргкомитета …`: the sub-items are what is approved.
        if let top = stack.last, top.heading.introduces, Tasks.approves(top.heading.text),
           namesNobody {
            settled = true
        }
        if Tasks.isClosingFormula(text) { settled = true }
        // `1. 186 61,4 17,2 11,1`: a row of figures, with no word, is no work.
        if !Russian.words(text).contains(where: { $0.contains(where: \.isLetter) }) { settled = true }
        // `2. Анализ выполнения заданий показал, что …`: a finding, whatever line follows.
        if Tasks.firstDirective(in: text).map({ $0.1 > 3 }) ?? true, Tasks.startsWithActionNoun(text), Tasks.statesAtFirst(text),
           !Tasks.obligesAtFirst(text) { settled = true }
        // `1. Организационно-управленческие мероприятия` over `1.1. …`: a section's title.
        if let marker, !marker.isBullet, Tasks.firstDirective(in: text) == nil, !(text.hasSuffix(".") || text.hasSuffix(";")),
           opensSubItems(of: marker, after: current) {
            settled = true
        }
        // `1. Левченко Ирина Александровна – заместитель руководителя …`: a member of a list of people, not work.
        if Self.personListed.matches(text), Tasks.firstDirective(in: text) == nil { settled = true }
        // `Допустить к государственной итоговой аттестации …`, `Перевести в следующий класс …`: a council's decision
        // about pupils, done by adopting it.
        // (`…; классным руководителям ознакомить родителей …`: work the decision assigns besides is a task.)
        if Self.decidesAboutPupils.matches(Russian.fold(text.prefix(80))), namesNobody,
           Tasks.firstDirective(in: String(text.drop { $0.isLetter })) == nil { settled = true }
        // `🔹 7. Курсы повышения квалификации` over a post's paragraphs: the topic's title.
        if isMessage, let marker, !marker.isBullet, Tasks.firstDirective(in: text) == nil, !(text.hasSuffix(".") || text.hasSuffix(";")),
           DeadlineParser.find(in: text, reference: reference) == nil { settled = true }
        // `1. Доля выпускников 9 классов, не преодолевших …`, `2. Количество проведённых мероприятий`: an indicator or a
        // report form's field, not work.
        // (Under `Прошу … направить следующие сведения:`, or with a time of its own, it is what to report: a task.)
        if Self.measure.matches(Russian.fold(text)), Tasks.firstDirective(in: text) == nil, !(stack.last?.heading.directive ?? false),
           Tasks.extractInline(text).deadline == nil, DeadlineParser.find(in: text, reference: reference) == nil { isTask = false }
        // `1. Фамилия, имя, отчество участника ______`: a form's field to fill, not work.
        if text.contains("_____") { settled = true }
        if settled { isTask = false }
        // `* Даты … могут быть изменены …`: a footnote, neither led by a directive nor opened by a noun of action.
        if isTask, case .bullet("*")? = marker?.style, !Tasks.leadsWithDirective(text), !Tasks.startsWithActionNoun(text) { isTask = false }
        var number = marker?.number ?? ""
        if number.isEmpty, marker == nil || marker!.isBullet {
            // A sub-item inherits the number of the item that introduces its group.
            if let m = stack.last(where: { $0.heading.introduces && $0.heading.marker.map { !$0.isBullet && !$0.isRoman } == true })?.heading.marker {
                number = m.printed
            }
        }
        // (Under a decision formula, `ПРЕДЛАГАЮ:` or `РЕШИЛИ:`, a sentence with its own directive and time is a task too.)
        let parts = isTask ? Tasks.splitByDeadlines(text, reference: reference, atSentences: rootDirective && !isMessage || Tasks.asksAgain(text)
                                                    || !letterAddressees.isEmpty && Tasks.obligesAgain(text)) : [text]
        // (`Просим также рассмотреть возможность … , что позволит …, и организовать в I квартале 2026 года совещание …`: in a
        // request, a directive joined by `, и` with a time of its own is a task of its own.)
        let joined = isTask && parts.count == 1 && Tasks.opensWithAsking(text) ? Tasks.joinedDirective(text, reference: reference)
            : isTask && parts.count == 1 && !letterAddressees.isEmpty ? Tasks.ellipticDuties(text) : nil
        var drafts = (joined ?? parts).map { makeDraft(text: $0, number: number) }
        // (`… обеспечить выполнение мероприятий плана-графика в установленные сроки; назначить … до 27 февраля 2026 г.`:
        // the first directive has its time, undated; the date is the second's only.)
        // (`… . Информацию о результатах прошу представить …`, `… . Памятки … должны быть доведены …`: a later sentence that
        // asks or lays a duty stands alone too.)
        for i in drafts.indices.dropFirst() where joined != nil
            || (Tasks.opensWithAsking(parts[i]) || Tasks.asksWithin(parts[i]) || Tasks.obligesAtFirst(parts[i]))
                && (Tasks.firstDirective(in: parts[i - 1]) != nil || Tasks.obligesAtFirst(parts[i - 1]))
            || Tasks.namesSetTimes(parts[i - 1]) && drafts[i].task.deadline != nil {
            drafts[i].standsAlone = true
        }
        // `… до 15.00 провести … . Сканы … направить … до 16.00.`: the later part's hour is of the earlier part's day.
        for i in drafts.indices.dropFirst() where drafts[i].task.deadline == nil {
            if case .date(let day)? = drafts[i - 1].task.deadline?.deadline, let m = DeadlineParser.hourAlone.firstMatch(in: drafts[i].task.text) {
                drafts[i].task.deadline = DeadlineText(raw: m.text, deadline: .date(day))
            }
        }
        for i in drafts.indices.dropFirst() { sharesAddressees(&drafts[i], with: drafts[0]) }
        // `Нам известно, что в феврале 2026 года … планирует провести региональное совещание … . Просим предоставить на
        // этом совещании …`: a request pointing back to an event the facts before it date is due in the event's time.
        // The time is the one the sentence naming the event gives before the event's noun (`Сообщаем, что в марте 2026 года
        // … проводит совещание по итогам первого полугодия`), a day too (`Информируем, что 12 февраля 2026 года …`).
        if isTask, text.count < given.count, drafts[0].task.deadline == nil,
           let event = Self.eventPointedBack.firstMatch(in: Russian.fold(drafts[0].task.text))?.group(1)
               ?? (Tasks.participationRequired.matches(Russian.fold(drafts[0].task.text)) ? "мероприяти" : nil),
           case let facts = String(given.dropLast(text.count)), case let folded = Russian.fold(facts),
           let noun = event == "мероприяти" ? Self.anEvent.matches(in: folded).last?.range : folded.range(of: event, options: .backwards) {
            let upTo = String(facts.prefix(folded.distance(from: folded.startIndex, to: noun.lowerBound)))
            let sentence = Tasks.sentenceEnd.matches(in: upTo).last.map { String(upTo[$0.range.upperBound...]) } ?? upTo
            let days = DeadlineParser.datePoints(in: DeadlineParser.fold(sentence), reference: reference)
            if let found = DeadlineParser.find(in: sentence, reference: reference) {
                drafts[0].task.deadline = found
            } else if days.count == 1, let day = days.first {
                drafts[0].task.deadline = DeadlineText(raw: String(DeadlineParser.fold(sentence)[day.range]), deadline: .date(day.day.iso))
            }
        }
        open = OpenItem(marker: marker, parts: drafts, isTask: isTask, frameIndex: stack.isEmpty ? nil : stack.count - 1, settled: settled)
    }

    /// A later directive of one item (`Учителю информатики … создать …; обновлять …`) has the addressees the item
    /// names at its start, and their level.
    func sharesAddressees(_ draft: inout Draft, with first: Draft) {
        guard draft.task.addressees.isEmpty, !first.task.addressees.isEmpty else { return }
        draft.task.addressees = first.task.addressees
        draft.task.level = first.task.level
    }

    /// `Разместить … информацию о порядке … в срок до 20 марта 2026 года. Приём заявлений … осуществляется с 1 апреля по 15
    /// мая 2026 года.`: the directive's (or duty's) first sentence, when the sentences after it only state; their times are
    /// not the task's (spec §4). Else nil.
    static func headWhenTheRestStates(_ text: String) -> String? {
        let masked = Russian.maskQuoted(text, parentheses: true)
        guard masked.count == text.count else { return nil }
        let ends = Tasks.sentenceEnd.matches(in: masked).prefix(8).map { masked.distance(from: masked.startIndex, to: $0.range.upperBound) }
        guard let first = ends.first else { return nil }
        let head = String(text.prefix(first))
        var later: [String] = []
        for (i, start) in ends.enumerated() {
            let end = i + 1 < ends.count ? ends[i + 1] : text.count
            later.append(String(text.dropFirst(start).prefix(end - start)))
        }
        guard Tasks.firstDirective(in: head) != nil || Tasks.obligesAtFirst(head),
              later.allSatisfy({ Tasks.firstDirective(in: $0) == nil && !Tasks.obligesAtFirst($0) && !Tasks.asksWithin($0) && Tasks.states($0) })
        else { return nil }
        return head
    }

    /// `в течение года`, `в течение года (по заявкам)`: the whole of a plan's calendar year.
    private static let wholeYear = Pattern(#"^в\s+течение\s+(?:всего\s+)?года(?![а-яё])(?!\s*\d)"#)
    /// `Установить, что …`, `Установить сроки ликвидации академической задолженности: …`, `Установить режим работы …`:
    /// a rule or a time the document sets itself.
    private static let establishesThat = Pattern(#"^установить(?:\s*,\s*что(?![а-яё])|\s+(?:следующи[ей]\s+)?(?:срок|сроки|график|режим|порядок|продолжительност[а-яё]*|дат[уы]|время)(?![а-яё]))"#)
    private static let duringTheWhole = Pattern(#"^в\s+течение\s+(?:всего\s+)?(?:квартала|полугодия)$"#)
    private static let duringAStage = Pattern(#"^(?:в\s+течение|на\s+протяжении|в\s+ходе)\s+(?:[а-яё]+\s+)?этапа$"#)
    /// `Перечень мероприятий`, `… поручений`, `… мер`, `… задач`, `… работ`: a list of work to do.
    private static let workListed = Pattern(#"(?<![а-яё])(?:мероприят|поручени|мер(?![а-яё])|задач|работ(?![а-яё])|действи)"#)
    /// `МБОУ «СОШ № 2» и МАОУ «Лицей», включённых по итогам ВПР-2025 в перечень …`: the bodies without the clause that
    /// describes them, for how long the addressee is.
    static func withoutDescription(_ addressee: String) -> String {
        describingClause.firstMatch(in: addressee).map { String(addressee[..<$0.range.lowerBound]) } ?? addressee
    }
    private static let describingClause = Pattern(#",\s+[а-яё]+(?:нн|вш|ющ|ящ|ащ|ущ)[а-яё]*(?:ых|их)(?![а-яё])"#)
    private static let recommends: Set<String> = ["рекомендовать", "порекомендовать", "предложить", "просить"]
    /// `Повторно: информацию … представить в срок до 13.02.2026. Информация не поступила от`: a directive's sentence, then a
    /// short one without a directive that introduces a list.
    static func closesWithStatement(_ text: String) -> Bool {
        guard let stop = lastSentenceEnd(text), Tasks.directiveVerb(in: String(text[..<stop.lowerBound])) != nil else { return false }
        let statement = String(text[stop.upperBound...])
        return Tasks.directiveVerb(in: statement) == nil && Russian.words(statement).count <= 8
    }
    private static let xLegend = Pattern(#"^[«"]?[хx][»"]?\s*[-–—:]\s*[^.;]{0,60}?не\s+(?:проводится|планируется|выполняется|проводятся)"#)
    private static let reserveLegend = Pattern(#"(?:^|[;:,]\s*)[«"]?\*[»"]?\s*[-–—:]\s*[^.;]{0,40}?резерв"#)
    private static let tellsThat = Pattern(#"(?<![а-яё])что\s*:$"#)
    /// (`ПАМЯТКА участнику …`: rules to know, no tasks, as a form's lines are none.)
    /// `ПЛАНОВЫЕ ПОКАЗАТЕЛИ охвата детей отдыхом …`: an appendix of figures, no tasks.
    private static let indicatorsTitle = Pattern(#"^(?:плановые\s+|целевые\s+)?показатели(?![а-яё])"#)
    private static let formTitle = Pattern(#"^памятк[аи](?![а-яё])|^форма(?:\s+(?:ответа|отчета|отчетности|информации|заявки|предоставления|представления|мониторинга|сведений)(?![а-яё])|\s*$|\s+№)"#)
    private static let distributionList = Pattern(#"^(?:лист|список|указатель)\s+рассылки\s*:?$|^(?:разослать|рассылка)\s*:"#)
    private static let termFromAnEvent = Pattern(#"(?<![а-яё])в\s+течение\s+(?:\d{1,3}|одного|двух|трех|пяти|семи|десяти|пятнадцати|тридцати)\s+(?:календарн(?:ых|ого)\s+|рабоч(?:их|его)\s+)?(?:дн|недел|месяц)[а-яё]*\s+(?:после|с\s+момента|со\s+дня\s+(?:получения|поступления)|по\s+(?:получении|поступлении|окончании|завершении))(?![а-яё])"#)
    private static let measure = Pattern(#"^(?:доля|количество|число|средний\s+(?:тестовый\s+)?балл|удельный\s+вес|процент|ссылка\s+на)(?![а-яё])"#)
    /// (`Андреев Илья Сергеевич` alone, or before a birth date, in a list of participants, is a person too.)
    private static let personListed = Pattern(#"^[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(?:вич|вна|ична|ич)(?:\s*[-–—,]|\s*$|\s+\d{1,2}\.\d{1,2}\.\d{4})"#, caseSensitive: true)
    /// (`Поставить обучающуюся 7 «Б» класса С. на внутришкольный учёт …`, `Снять … с учёта`: a council's decision about a pupil.)
    private static let decidesAboutPupils = Pattern(#"^(?:допустить\s+к\s|перевести\s+(?:условно\s+)?(?:\d+\s+обучающ[а-яё]*\s+(?:[^.]{0,60}?\s)?)?в\s+следующий\s+класс|(?:поставить|снять)\s+(?:[^;]{0,60}?\s)?(?:на|с)\s+(?:внутришкольн[а-яё]*\s+|профилактическ[а-яё]*\s+)?(?:учет|учета)(?![а-яё]))"#)
    private static let describingHeading = Pattern(#"(?<![а-яё])(?:типичн[а-яё]*\s+ошиб(?:к|ок)|ошибк[аи]\s+при|недостатк[а-яё]*\s+в\s+работе|следующ[а-яё]+\s+принцип|принцип[а-яё]*\s+(?:организации|работы)|выводы\s*:?$|^выводы|(?:памятн|знаменательн|праздничн)[а-яё]*\s+(?:и\s+[а-яё]+\s+)?даты?(?![а-яё])|(?<![а-яё])принял[аи]?\s*:?$|^(?:режим|распорядок)\s+дня(?![а-яё]))"#)
    /// ``describes(_:)``, and in a plan a bare `Задачи:` after its `Цель: …` (the plan's aims, whatever their form).
    mutating func describesHere(_ heading: String) -> (Bool, Bool) {
        let found = Self.describes(heading)
        if !found.0, isPlan, Self.bareAims.matches(Russian.fold(heading)),
           paragraphs[..<current].suffix(3).contains(where: { Russian.fold($0).hasPrefix("цел") }) {
            (describingPlanAims, planAimsBulleted, lastPlanAim) = (true, false, 0)
            return (true, true)
        }
        return found
    }
    private static let bareAims = Pattern(#"^(?:основные\s+)?задачи\s*:?$"#)

    /// Whether a heading starts what describes, and whether that is a list of aims.
    static func describes(_ heading: String) -> (Bool, Bool) {
        let folded = Russian.fold(heading)
        let aims = aimsHeading.matches(folded)
        return (aims || describingHeading.matches(folded) || associationAims.matches(folded), aims)
    }
    /// `Задачи методической недели:`, `Цели и задачи декады:`, `Основные задачи проекта:`.
    private static let aimsHeading = Pattern(#"(?<![а-яё])(?:цел[ьи]|задачи)\s+(?:и\s+задачи\s+)?(?:[а-яё]+\s+)?(?:проекта|программы|недели|декады|месячника|семинара|конференции)(?![а-яё])"#)
    /// `Задачи РМО на 2025/2026 учебный год:` at the head of a methodical association's plan: aims written as nouns
    /// (`1. Совершенствование методики …`), but what it is told to do when written as directives (`1. Обеспечить …`).
    private static let associationAims = Pattern(#"^(?:цел[ьи]\s+и\s+)?задачи\s+(?:рмо|гмо|шмо|ммо)(?![а-яё])"#)
    /// The words of a table's heading row (`Время   Содержание`, `Дата   Мероприятие   Место проведения`).
    private static let columnNames: Set<String> = ["время", "дата", "срок", "сроки", "содержание", "мероприятие", "мероприятия", "место", "проведения", "ответственный", "ответственные"]
    private static func namesColumns(_ text: String) -> Bool { Russian.words(text).allSatisfy { columnNames.contains(Russian.fold($0)) } }
    private static let notesHeading = Pattern(#"^(?:примечани|справочно)"#)
    private static let bareHalf = Pattern(#"((?:ii|i|[12]|перв[а-яё]*|втор[а-яё]*)\s*(?:-?[а-яё]{1,2}\s+)?полугоди[а-яё]*)(?![а-яё])(?!\s*(?:\d|учебн|уч\.|календарн|текущего|следующего|года|г\.))"#)

    private static let bareQuarter = Pattern(#"(?<![а-яёa-z])((?:iv|iii|ii|i|[1-4]|перв[а-яё]*|втор[а-яё]*|трет[а-яё]*|четверт[а-яё]*)\s*(?:-?[а-яё]{1,2}\s+)?квартал[а-яё]*)(?![а-яё])(?!\s*(?:\d|текущего|следующего|года|г\.))"#)

    /// `text` with the plan's calendar year after each half or quarter named bare (`I полугодие` → `I полугодие 2026
    /// года`, `I квартал` → `I квартал 2026 года`).
    func withCalendarHalves(_ text: String) -> String {
        guard let year = calendarYear else { return text }
        var out = text
        if out.range(of: "полугоди", options: .caseInsensitive) != nil { out = Self.bareHalf.replacing(in: out, with: "$1 \(year) года") }
        if out.range(of: "квартал", options: .caseInsensitive) != nil { out = Self.bareQuarter.replacing(in: out, with: "$1 \(year) года") }
        return out
    }

    /// No heading above names who acts, nor does a letter's address block (`Руководителям органов …` over `Прошу: 3.
    /// Назначить муниципальных координаторов …`): an item opening with `Утвердить` or `Установить, что` is then done by
    /// the document itself.
    var namesNobody: Bool { letterAddressees.isEmpty && !stack.contains { !$0.heading.addressees.isEmpty || $0.heading.level != nil } }

    /// The whole of the plan's calendar year, for `в течение года` in a plan for one.
    func wholeCalendarYear(_ raw: String) -> Deadline? {
        guard let year = calendarYear, Self.wholeYear.matches(Russian.fold(raw)) else { return nil }
        return .period(from: Day(year, 1, 1).iso, to: Day(year, 12, 31).iso)
    }

    /// A deadline line's words read as a deadline (spec §4), a plan's calendar year included.
    func parseDeadline(_ raw: String) -> Deadline? {
        // `14.01 (ср), 15.00`, `05.02, 12.02, 19.02 (чт), 14.30`: a plan's day with its weekday and hour is that day.
        let raw = Self.weekdayAndHour.replacing(in: raw, with: "")
        return namedEventPeriod(raw) ?? weekOfMonth(raw) ?? wholeCalendarYear(raw) ?? dayOfTheWeek(raw)
            ?? PeriodMarks.deadline(raw, reference: planReference, notHeld: notHeldMarks)
            ?? DeadlineParser.parse(withCalendarHalves(raw), reference: planReference) ?? calendar.deadline(in: raw)?.deadline
            ?? eventDayDeadline(raw)?.deadline ?? eventStartDeadline(raw)?.deadline ?? mainTermDeadline(raw)?.deadline
            ?? nextMeetingDeadline(raw)?.deadline
    }

    /// `в течение 3 рабочих дней после окончания Недели` for a row whose work names the Week with its days (`Информация о
    /// проведении мероприятий «Недели безопасности» (15–19 декабря 2025 г.)`): counted from the event's last day (spec §4).
    func termAfterEventEnd(_ raw: String, work: String) -> Deadline? {
        guard let m = Self.afterTheEndOf.firstMatch(in: Russian.fold(raw)), let noun = m.group(1) else { return nil }
        let stem = String(noun.prefix(5))
        // The event's days in the row's work (`«Недели безопасности» (15–19 декабря 2025 г.)`), else those the document sets
        // for it (`… перенёс региональную диагностику … на 2–4 декабря 2025 года`).
        let inWork = Russian.fold(work).contains(stem) ? DeadlineParser.find(in: work, reference: reference)?.deadline : nil
        var period = eventPeriod(stem: stem)
        if case .period? = inWork { period = inWork }
        guard case .period(_, let to)? = period, let end = Day(iso: to) else { return nil }
        return DeadlineParser.termAfterEnd(raw, end: end)
    }

    /// `… в течение двух рабочих дней после окончания диагностики заполнить …`: the term in a task's sentence.
    func termAfterEventEndInText(_ text: String) -> DeadlineText? {
        guard let r = text.range(of: #"в\s+течение\s+[^,;.]{1,40}?\s(?:после|по)\s+(?:окончани|завершени)[а-яё]*\s+[А-ЯЁа-яё]+"#,
                                 options: [.regularExpression, .caseInsensitive]) else { return nil }
        let raw = String(text[r])
        return termAfterEventEnd(raw, work: text).map { DeadlineText(raw: raw, deadline: $0) }
    }
    private static let afterTheEndOf = Pattern(#"(?:после\s+(?:окончания|завершения)|по\s+(?:окончании|завершении))\s+([а-яё]{5,})"#)

    /// `Понедельник` alone in a plan of one week (`ПЛАН проведения Недели психологии 9–13 февраля 2026 года`): that week's
    /// Monday, not every Monday.
    func dayOfTheWeek(_ raw: String) -> Deadline? {
        guard !isCyclogram, let week = documentWeek,
              let w = Self.weekdays.firstIndex(of: Russian.fold(raw.trimmingCharacters(in: CharacterSet(charactersIn: " .,;:")))) else { return nil }
        return .date(week.lowerBound.first(weekday: w).iso)
    }

    private static let weekdayAndHour = Pattern(#"\s*\((?:пн|вт|ср|чт|пт|сб|вс)\.?\)|,\s*\d{1,2}[.:]\d{2}(?:\s*[-–—]\s*\d{1,2}[.:]\d{2})?\s*$"#)
    private static let weekOfMonthPhrase = Pattern(#"^((?:[1-4]|iv|i{1,3}|перв|втор|трет|четв[её]рт)(?:\s*[-–]\s*[1-4])?)[а-яё]*\s*-?\s*(?:я|ая)?\s+недел[а-яё]*\s+("# + Russian.monthPattern + #")(?![а-яё])"#)

    /// `3-я неделя марта`: days 15–21 of that month, the month the first on or after the document's date.
    func weekOfMonth(_ raw: String) -> Deadline? {
        guard let m = Self.weekOfMonthPhrase.firstMatch(in: Russian.fold(raw.trimmingCharacters(in: .whitespaces))), let n = m.group(1),
              let monthWord = m.group(2), case .period(let from, _)? = DeadlineParser.parse("в " + monthWord, reference: planReference),
              let first = Day(iso: from) else { return nil }
        let numbers = ["i": "1", "ii": "2", "iii": "3", "iv": "4", "перв": "1", "втор": "2", "трет": "3", "четв": "4", "четвёрт": "4", "четверт": "4"]
        let week = numbers[n] ?? n.replacingOccurrences(of: "–", with: "-")
        return DeadlineParser.within(month: first, raw: week + "-я неделя", own: nil)
    }

    static func isDeadlineLine(_ block: Block) -> Bool { if case .deadline = block { return true } else { return false } }

    /// `В течение Недели` (a capital: the week the document holds, not any seven days): the event's own days.
    private static let duringNamedEvent = Pattern(#"^в\s+течение\s+([А-ЯЁ][а-яё]+)$"#, caseSensitive: false)
    /// `Провести с 16 по 20 марта 2026 года … районную Неделю финансовой грамотности`: an event the document sets.
    private static let eventMoved = Pattern(#"перен[её]с(?:ен[аоы]?|ли|ла|ло)?\s+([^.;]{3,200}?)\s(?:с\s+[^.;]{1,60}?\s)?на\s+(\d{1,2}\s*[-–—]\s*\d{1,2}\s+[а-яё]+(?:\s+\d{4})?|\d{1,2}\.\d{1,2}(?:\.\d{4})?\s*[-–—]\s*\d{1,2}\.\d{1,2}\.\d{4})"#)
    private static let eventMovedPassive = Pattern(#"([^.;:]{3,200}?)\s(?:был[аио]?\s+)?перенесен[аоы]?\s+(?:с\s+[^.;]{1,60}?\s)?на\s+([^.;]{3,60}?)(?=[.;]|,\s|$)"#)
    private static let eventSet = Pattern(#"(?<![а-яё])(?:провести|проведени[а-яё]*|пройд[её]т|пройдут|состоится|состоятся)(?![а-яё])"#)

    /// The days the document sets for an event it names by a capitalised noun (`в течение Недели`), or by a pronoun after
    /// its name (`сопровождение Недели в период её проведения`): the period of a paragraph that holds the event's verb
    /// (`Провести с 16 по 20 марта 2026 года … Неделю …`) and the noun (spec §4, *the day of an event*).
    func namedEventPeriod(_ raw: String) -> Deadline? {
        guard let m = Self.duringNamedEvent.firstMatch(in: raw.trimmingCharacters(in: .whitespaces)), let noun = m.group(1) else { return nil }
        let stem = String(Russian.fold(noun).prefix(5))
        // (`в течение декады` in lower case is the Декада too, when the document sets one; any other lower-case noun is any
        // such stretch of days.)
        guard noun.first?.isUppercase == true || ["недел", "декад", "месяч"].contains(stem) else { return nil }
        // (`В течение недели` in a plan of one week, `ПЛАН проведения методической недели … 16–20 марта 2026 года`: that week.)
        if stem == "недел", let week = documentWeek, eventPeriod(stem: stem) == nil {
            return .period(from: week.lowerBound.iso, to: week.upperBound.iso)
        }
        return eventPeriod(stem: stem)
    }

    func eventPeriod(stem: String) -> Deadline? {
        events.periods.first { $0.words.contains { $0.hasPrefix(stem) } }?.period
    }

    /// The days the document sets for the first of `words` (four letters or more, as printed) that names an event.
    func eventPeriod(namedBy words: [String]) -> Deadline? {
        words.lazy.filter { $0.count >= 4 && $0.allSatisfy(\.isLetter) }.compactMap { self.eventPeriod(stem: String(Russian.fold($0).prefix(5))) }.first
    }

    /// The days a document gives its events, for tasks that name an event without them: sentences saying when one takes
    /// place (`итоговое собеседование пройдёт 11 февраля 2026 года`: the last three words of the subject, the days), and
    /// paragraphs setting one's period (`Провести с 16 по 20 марта 2026 года … Неделю …`: the words, the period).
    struct Events {
        var stated: [(subject: [String], deadline: Deadline)] = []
        var periods: [(words: [String], period: Deadline)] = []
        /// Events the text says were moved, by the first words naming them (`региональную диагностику`), their new days.
        var moved: [(words: [String], period: Deadline)] = []
    }

    /// `Декада памяти … – с 19 по 28 января 2026 года; Неделя науки … – с 9 по 13 февраля …; месячник … – февраль 2026 года`: a
    /// plan's events named with their days, no verb needed.
    private static let eventNamed = Pattern(#"(?<![А-ЯЁа-яё])(?:Недел[яиюе]|Декад[аыуе]|[Мм]есячник[а-яё]*)(?![а-яё])"#, caseSensitive: true)

    /// `в день проведения`, `в период её проведения`, `В течение Недели`: a task naming an event by its time.
    private static let namesEventByTime = Pattern(#"[Пп]роведения|(?:течение|период|дни)\s+(?:[А-ЯЁ]|недели|декады|месячника)"#, caseSensitive: true)

    /// Read once per document, so that a task naming an event costs a look-up, not a pass over the document.
    static func events(in paragraphs: ArraySlice<String>, reference: Day?) -> Events {
        var events = Events()
        // `Приложение 1` | … | `ГРАФИК` | `проведения социально-психологического тестирования …` | rows with their days: the
        // schedule's days are its events' first, for `… тестирования в период его проведения` (spec §4, *a schedule in an
        // appendix*; `в период проведения СПТ` is `SchoolCalendar`'s). Only when the document gives exactly one such
        // schedule: two leave the work's days unknown.
        let schedules = SchoolCalendar.schedules(in: Array(paragraphs))
        if schedules.count == 1, let schedule = schedules.values.first {
            events.periods.insert((Russian.words(schedule.title), .period(from: schedule.from.iso, to: schedule.to.iso)), at: 0)
        }
        for p in paragraphs {
            let folded = Russian.fold(p)
            for stated in folded.contains("пройд") || folded.contains("состо") ? eventStated.matches(in: folded) : [] {
                // The date or days right after the verb, up to the clause's end (`…, дополнительные сроки – …` is not it).
                let rest = folded[stated.range.upperBound...]
                let clause = rest.range(of: #"[,;]\s|\.\s|\.$"#, options: .regularExpression).map { rest[..<$0.lowerBound] } ?? rest
                if let found = DeadlineParser.find(in: (stated.group(2) ?? "") + " " + clause, reference: reference) {
                    events.stated.append((Russian.words(stated.group(1) ?? "").suffix(3), found.deadline))
                }
            }
            // `ЦОКО перенёс региональную диагностику … с 18–20 ноября на 2–4 декабря 2025 года`: an event moved is held on its new
            // days.
            if events.periods.count < 400, folded.contains("перен"), let moved = eventMoved.firstMatch(in: folded), let days = moved.group(2),
               let found = DeadlineParser.find(in: "в период " + days, reference: reference), case .period = found.deadline {
                events.periods.append((Russian.words(moved.group(1) ?? ""), found.deadline))
                events.moved.append((Russian.words(moved.group(1) ?? "").prefix(2).map { $0 }, found.deadline))
            } else if events.periods.count < 400, folded.contains("перенес"), let moved = eventMovedPassive.firstMatch(in: folded),
                      let days = moved.group(2), let found = DeadlineParser.find(in: days, reference: reference) {
                // (`… диагностика … перенесена с 18–20 ноября на 2–4 декабря 2025 года`: the event named before the verb.)
                let words = Russian.words(moved.group(1) ?? "").suffix(6).map { $0 }
                events.periods.append((words, found.deadline))
                events.moved.append((words, found.deadline))
            }
            // (`Провести … конференцию … (далее – Конференция) … 27 февраля 2026 года в 14.00.`: an event of one day too.)
            if events.periods.count < 400, folded.contains("провести"), let found = DeadlineParser.find(in: p, reference: reference),
               case .date = found.deadline, !folded.contains(" до ") {
                events.periods.append((Russian.words(folded), found.deadline))
            }
            if events.periods.count < 400, eventSet.matches(folded) || eventNamed.matches(p), let found = DeadlineParser.find(in: p, reference: reference),
               case .period = found.deadline {
                // `Провести с 1 по 10 декабря … Декаду науки, с 15 по 19 декабря … – Неделю русского языка`: each clause's
                // days are its own event's; the whole paragraph's first days are for a noun no clause holds with days.
                // (`Неделя науки, посвящённая Дню российской науки, – с 9 по 13 февраля …`: a clause without the noun does
                // not hold it; the part between semicolons does.)
                let clauses = p.split(whereSeparator: { $0 == "," || $0 == ";" }), parts = p.split(separator: ";")
                for pieces in [clauses, parts] where pieces.count > 1 {
                    for piece in pieces.prefix(20) {
                        if let own = DeadlineParser.find(in: String(piece), reference: reference), case .period = own.deadline {
                            events.periods.append((Russian.words(Russian.fold(String(piece))), own.deadline))
                        }
                    }
                }
                events.periods.append((Russian.words(folded), found.deadline))
            }
        }
        return events
    }

    /// The day a plan's deadlines without a year are read from: a plan for a calendar year approved before it starts
    /// (`на 2026 год`, approved 25.12.2025) is read from that year's first day (`декабрь` → December 2026).
    var planReference: Day? {
        guard let year = calendarYear, let reference, reference < Day(year, 1, 1) else { return reference }
        return Day(year, 1, 1)
    }

    /// The deadline phrase of a sentence (spec §4), a plan's calendar halves included; its raw words as printed.
    func findDeadline(_ text: String) -> DeadlineText? {
        guard let year = calendarYear else { return DeadlineParser.find(in: text, reference: reference) }
        guard var found = DeadlineParser.find(in: withCalendarHalves(text), reference: planReference) else { return nil }
        found.raw = found.raw.replacingOccurrences(of: " \(year) года", with: "")
        if let whole = wholeCalendarYear(found.raw) { found.deadline = whole }
        return found
    }

    /// Inside an appendix that regulates, whether a paragraph is read (spec §3): a clause led by an addressee and a
    /// directive, an addressee heading (`2.1. Образовательным организациям:`) and the bullet directives under it; the
    /// rest describes.
    mutating func regulationReads(_ p: String) -> Bool {
        let text = Structure.textWithoutMarker(p)
        if regulationAddressee, ListMarker.parse(p)?.marker.isBullet == true, Tasks.leadsWithDirective(text) { return true }
        regulationAddressee = p.hasSuffix(":") && Structure.isAddresseeLine(marker: nil, text: text)
        return regulationAddressee || Tasks.addressedDirective(text)
    }

    /// A time named in `text` that ended before the document's date (`ноябрь 2024` in an analysis of August 2025).
    func recordsThePast(_ text: String) -> Bool { endsBeforeDocument(DeadlineParser.find(in: text, reference: nil)?.deadline) }

    /// Whether a time read without the document's date (`ноябрь 2024`) ended before that date.
    func endsBeforeDocument(_ deadline: Deadline?) -> Bool {
        guard let reference, let due = deadline?.dueDate, let day = Day(iso: due) else { return false }
        return day < reference
    }

    func hasNonDirectiveVerb(_ text: String) -> Bool {
        let words = Addressees.wordSpans(Russian.maskQuoted(text, parentheses: true)).prefix(30).map { Russian.fold($0.word) }
        return words.contains { Russian.isInfinitive($0) }
    }

    func makeDraft(text: String, number: String) -> Draft {
        let inline = Tasks.extractInline(text)
        var deadline: DeadlineText?
        if let main = mainTermDeadline(inline.text) {
            deadline = main
        } else if let raw = inline.deadline, let d = parseDeadline(raw) {
            deadline = DeadlineText(raw: raw, deadline: d)
        } else if let raw = Tasks.closingParenthesisDeadline(inline.text), let d = parseDeadline(raw) {
            deadline = DeadlineText(raw: raw, deadline: d)
        } else {
            // (`Участие … обязательно. Ссылка … будет направлена 04.02.2026.`: the time is the directive's sentence's only.)
            let own = Self.headWhenTheRestStates(inline.text) ?? inline.text
            deadline = eventNamedInText(own) ?? findDeadline(own) ?? calendar.deadline(in: own) ?? nextMeetingDeadline(inline.text) ?? eventDayDeadline(inline.text) ?? eventStartDeadline(inline.text)
                ?? participationDeadline(inline.text) ?? periodReferredTo(inline.text) ?? termAfterEventEndInText(inline.text)
        }
        var addressees: [String] = []
        // `Классным руководителям [в течение года] информировать …`: a dative body, then the directive.
        // `До 1 марта руководителям ОО провести …`: the addressee may follow a leading deadline.
        let body = Tasks.clean(inline.text)
        // (The deadline between them does not count: `Руководителям ОО еженедельно, по понедельникам до 12.00, начиная с
        // 09.02.2026, направлять …`.)
        if let lead = Addressees.leading(body) ?? Tasks.afterLeadingDeadline(body).flatMap(Addressees.leading),
           let index = [lead.rest, deadline.map { lead.rest.replacingOccurrences(of: $0.raw, with: "") }].compactMap({ $0.flatMap { Tasks.firstDirective(in: $0, addressed: true) }?.1 }).min(),
           index <= 8, !Self.dutyWord.matches(Russian.fold(lead.addressees.joined(separator: " "))),
           Addressees.wordSpans(Russian.maskQuoted(Self.withoutDescription(lead.addressees.joined(separator: ", ")))).count <= 20 {
            addressees = lead.addressees
            // `Руководителям ОО до 1 октября обеспечить …`: the deadline is not part of who acts.
            if let raw = deadline?.raw, let last = addressees.last, let r = last.range(of: raw) {
                let cut = last[..<r.lowerBound].trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
                if cut.isEmpty { addressees.removeLast() } else { addressees[addressees.count - 1] = cut }
            }
        }
        // `Оператору обеспечить …` (the document defined `… (далее – Оператор)`), `Муниципальным координаторам направить …`:
        // a body in the dative that the usual reading misses leads.
        if addressees.isEmpty, let (_, index) = Tasks.firstDirective(in: body), (1...4).contains(index), Tasks.addressedDirective(body) {
            // The words before the directive as printed, a quoted name with them (`МБУ «Районный методический кабинет»`).
            let masked = Russian.maskQuoted(body, parentheses: true)
            let spans = Addressees.wordSpans(masked)
            let lead = index < spans.count && masked.count == body.count
                ? String(body.prefix(masked.distance(from: masked.startIndex, to: spans[index].range.lowerBound)))
                    .trimmingCharacters(in: CharacterSet(charactersIn: " ,:–—-"))
                : Russian.words(body).prefix(index).joined(separator: " ")
            if Levels.ofBody(lead, terms: terms) != nil { addressees = [lead] }
        }
        if addressees.isEmpty, let frame = stack.last(where: { !$0.heading.addressees.isEmpty }) {
            addressees = frame.heading.addressees
        } else if addressees.isEmpty, !stack.contains(where: { $0.heading.level != nil }) {
            addressees = letterAddressees
        }
        // The section path: headings and group introductions, not addressee lines; an introduction that only
        // leads into titled sections (`3. Определить приоритеты … по четырем направлениям:` above `I. …`) is left out.
        let firstTitle = stack.firstIndex { !$0.heading.introduces }
        let section = stack.enumerated().compactMap { (i, f) -> String? in
            guard f.heading.addressees.isEmpty else { return nil }
            if let t = firstTitle, i < t, f.heading.marker != nil { return nil }
            if let m = f.heading.marker, m.isRoman || m.style == .upperLetter, !f.heading.introduces { return m.printed + " " + f.heading.text }
            return f.heading.text
        }
        let cleaned = Tasks.clean(inline.text)
        // `Отделу общего образования Комитета`: a unit of the issuing body acts at its level.
        let unit: TaskLevel? = addressees.first.map(Levels.namesAUnit) == true ? unitsLevel : nil
        let named: TaskLevel? = Levels.ofAddressees(addressees, terms: terms) ?? unit
        let headed: TaskLevel? = stack.reversed().lazy.compactMap(\.heading.level).first
        let worded: TaskLevel? = Levels.ofWords(cleaned) ?? Tasks.trailingBodies(cleaned).flatMap { Levels.ofAddressees($0, terms: terms) }
        // A plan its body's head approved (`УТВЕРЖДАЮ Ректор БУ ДПО «Институт развития образования …»`) is that body's
        // work where it names nobody: `руководители ОО` in a course's row are who is taught, not who acts.
        let approvers: TaskLevel? = isPlan ? unitsLevel : nil
        // (`6. Рекомендовать ООО «…»:` | `6.1. … провести …`: a body the issuer recommends to is not the issuer's own.)
        let recommended = ([cleaned] + stack.map(\.heading.text)).contains { Self.recommends.contains(Russian.fold(Russian.words($0).first ?? "")) }
        let level: TaskLevel = named ?? headed ?? approvers ?? worded ?? (recommended ? nil : issuerLevel) ?? .other
        let task = ResolutionTask(number: number, text: cleaned, section: section, addressees: addressees, level: level,
                                  deadline: deadline, responsible: inline.responsible, targets: Tasks.targets(in: cleaned))
        return Draft(task: task, deadlineFromLine: inline.deadline != nil, firstParagraph: current, lastParagraph: current,
                     countsFromAnEvent: deadline == nil && Self.termFromAnEvent.matches(Russian.fold(cleaned)))
    }

    mutating func attachDeadline(_ raw: String) {
        guard var item = open, !item.parts.isEmpty else { return }
        // A numbered item of nouns (`3. Создание рабочей группы …`, a plan table's row) followed by its own
        // deadline line is a task; so is any item of nouns with its own deadline line in a directive context.
        if !item.isTask, !item.settled, item.marker?.isBullet == false || directiveContext, Tasks.startsWithActionNoun(item.parts[0].task.text) {
            item.isTask = true
        }
        // A numbered row with its own time (`1. Управление общеобразовательной организацией … | 12.01–23.01.2026`, a
        // course of a plan of courses, `1. Сведения о численности … | до 20.10.2025` in a letter's table of reports) is
        // work to do by then, whatever its first word; a section over its own rows (`1. Организационно-методическая
        // работа` | `Срок: …` over `1.1. …`) is not, nor is a row marked `Утратил силу.`, nor a report's record.
        if !item.isTask, !item.settled, let marker = item.marker, !marker.isBullet, !isReport, !opensSubItems(of: marker, after: current),
           !Tasks.isClosingFormula(item.parts[0].task.text) {
            item.isTask = true
        }
        // So is a plan table's unnumbered row (`• Августовское совещание …` under `Дата | Мероприятие | Ответственный`).
        // (Not a row merged across the table, its words repeated in every cell, `Срок` too.)
        if !item.isTask, !item.settled, isPlan, !isReport, case .bullet("•")? = item.marker?.style,
           !Tasks.isClosingFormula(item.parts[0].task.text), !item.parts[0].task.text.contains(raw) {
            item.isTask = true
        }
        let title = item.parts[0].task.text
        if item.isTask, let marker = item.marker, !marker.isBullet, Tasks.firstDirective(in: title) == nil,
           !(title.hasSuffix(".") || title.hasSuffix(";")), opensSubItems(of: marker, after: current) {
            item.isTask = false
        }
        // `Срок: по п. 2.5 – до 30.09.2025, по п. 2.6 – апрель – май 2026 г.`: each item the line names takes its part;
        // `Срок исполнения подпунктов «а» и «б» – до 14 ноября 2025 года` (`… подпунктов 4.1–4.3 – …`): the sub-items it names
        // take its time.
        if let named = subItemsNamed(raw).map({ labels, d in labels.map { ($0, d) } }) ?? itemsNamed(raw), !named.isEmpty {
            let own = Self.bareNumber(item.parts[0].task.number)
            for (number, d) in named {
                if number == own {
                    let last = item.parts.count - 1
                    item.parts[last].task.deadline = d
                    item.parts[last].deadlineFromLine = true
                    item.parts[last].lineNamesItem = true
                    item.parts[last].lineRaw = raw
                    item.parts[last].lastParagraph = current
                } else if let i = tasks.indices.reversed().prefix(30).first(where: { Self.bareNumber(tasks[$0].number) == number }) {
                    tasks[i].deadline = d
                    origins[i].line = true
                    origins[i].lineNamesItem = true
                }
            }
            open = item
            return
        }
        // `Срок: проверка – 09.02–13.02.2026; справка – до 20.02.2026` over `Провести проверку …; по итогам проверки
        // подготовить справку.`: each directive with its part (spec §4).
        // (A plan's row is one measure, whatever its line says of its steps.)
        if item.isTask, !isPlan, item.parts.count == 1, !item.parts[0].deadlineFromLine, let keyed = keyedParts(raw) {
            // (`обеспечить подготовку класса …; техническое сопровождение экзамена …`: a later clause may be the first
            // directive's second object, named by its key.)
            var pieces = Tasks.directiveClauses(item.parts[0].task.text, objectsAfterFirst: true)
            // (`обеспечить подготовку компьютерного класса и техническое сопровождение экзамена` | `Срок: подготовка класса –
            // …; сопровождение – …`: two objects of one directive, joined by `и`, each named by its key.)
            if pieces.count == 1, keyed.count == 2, let two = Self.objectsJoined(pieces[0], keys: keyed.map(\.key)) { pieces = two }
            // (Each key names its directive's work, `диагностика` the clause `провести диагностику …`; keys that name
            // halves of the year or groups of classes are no directives' parts.)
            if pieces.count == keyed.count, zip(pieces, keyed).allSatisfy({ Self.keyNames($1.key, $0) }) {
                var drafts = pieces.map { makeDraft(text: $0, number: item.parts[0].task.number) }
                let whole = item.parts[0].task
                for i in drafts.indices {
                    if i > 0 { sharesAddressees(&drafts[i], with: drafts[0]) }
                    // (An `Ответственный:` line read before this one is both tasks'.)
                    if !whole.responsible.isEmpty {
                        drafts[i].task.responsible = whole.responsible
                        drafts[i].task.level = whole.level
                    }
                    drafts[i].task.deadline = keyed[i].time
                    drafts[i].deadlineFromLine = true
                    drafts[i].lineRaw = raw
                    drafts[i].lastParagraph = current
                }
                item.parts = drafts
                open = item
                return
            }
        }
        let last = item.parts.count - 1
        // (Before a time the row's own dash gave: `… 2027 – 100% ОО` is a target, not a time.)
        // `… 2025 – 80%; 2026 – 82%; 2027 – 85%` | `Срок: поэтапно`: targets by year, each due at its year's end.
        if Self.inStages.matches(Russian.fold(raw)), let stages = Self.yearTargets(item.parts[last].task.text) {
            item.parts[last].phraseDeadline = item.parts[last].task.deadline
            item.parts[last].task.deadline = DeadlineText(raw: raw, deadline: .staged(stages))
            item.parts[last].deadlineFromLine = true
            item.parts[last].lineRaw = raw
            open = item
            return
        }
        guard !item.parts[last].deadlineFromLine else { return }
        // `Срок: 9, 11 классы – март 2026 г., 4–8 классы – апрель 2026 г.`: one directive's times for groups are one period, from
        // the first group's start to the last group's end (days after `до` alone: the last of them).
        if !isPlan, let keyed = keyedParts(raw), keyed.count >= 2, keyed.allSatisfy({ Self.groupKey.matches(Russian.fold($0.key)) }), let union = Self.union(keyed.map(\.time.deadline), bounded: keyed.allSatisfy { Self.bound.matches(Russian.fold($0.time.raw)) }),
           case .period = union {
            item.parts[last].phraseDeadline = item.parts[last].task.deadline
            item.parts[last].task.deadline = DeadlineText(raw: raw, deadline: union)
            item.parts[last].deadlineFromLine = true
            item.parts[last].lineRaw = raw
            open = item
            return
        }
        // A report's table of what was done (`Районный конкурс … | ноябрь 2024 | лауреат`): a record, not a task.
        if isReport, endsBeforeDocument(DeadlineParser.parse(raw, reference: nil)) {
            item.isTask = false
            item.isRecord = true
            open = item
            return
        }
        item.parts[last].phraseDeadline = item.parts[last].task.deadline
        if DeadlineParser.immediately.matches(Russian.fold(raw)), DeadlineParser.arisesWithEachCase(item.parts[last].task.text) {
            // `Информировать … о каждом случае травматизма` | `Срок: незамедлительно`: a standing duty (spec §4, *at once*).
            item.parts[last].task.deadline = DeadlineText(raw: raw, deadline: .recurring(every: "continuous"))
        } else if let d = termAfterEventEnd(raw, work: item.parts[last].task.text) {
            item.parts[last].task.deadline = DeadlineText(raw: raw, deadline: d)
        } else if let d = parseDeadline(raw) {
            // A line naming a time already over (`по итогам I полугодия` in late January) gives way to the task's own
            // time still to come (`… до 10 февраля`): the past is no deadline (spec §4).
            // Not a bare day, which may date something else (`… собрания, проведённые 25 января`).
            if endsBeforeDocument(d), let own = item.parts[last].phraseDeadline, !endsBeforeDocument(own.deadline),
               own.raw.first?.isNumber == false {
                item.parts[last].task.deadline = own
            } else {
                item.parts[last].task.deadline = DeadlineText(raw: raw, deadline: d)
            }
        } else if let d = calendar.deadline(in: raw) {
            item.parts[last].task.deadline = d
        } else if Self.duringAStage.matches(Russian.fold(raw)) {
            // `Срок: в течение основного этапа` under `Основной этап (ноябрь 2025 г. – апрель 2026 г.)`: the stage's days,
            // which the heading above states.
            item.parts[last].lineRaw = raw
            item.parts[last].lastParagraph = current
            open = item
            return
        }
        item.parts[last].deadlineFromLine = true
        item.parts[last].lineRaw = raw
        item.parts[last].lineNamesItem = Structure.namesItsItem.matches(Russian.fold(raw))
        item.parts[last].lastParagraph = current
        if isPlanRow(item) { item.isTask = true }
        open = item
    }

    private static let subItemsLine = Pattern(#"^(?:подпункт(?:а|ов)|пунктов|пп\.)\s+(.{1,60}?)\s+[–—-]\s+(.+)$"#)
    private static let subItemLabel = Pattern(#"(\d{1,2}(?:\.\d{1,2}){0,3})|[«"]([а-я])[»"]|(?<![а-яё])([а-я])\)"#)
    /// A list item's number without its trailing `.` or `)`: `4.1.` → `4.1`, `а)` → `а`.
    static func bareNumber(_ number: String) -> String { number.trimmingCharacters(in: CharacterSet(charactersIn: ".) ")) }

    /// `подпунктов «а» и «б» – до 14 ноября 2025 года`, `подпунктов 4.1–4.3 – …`: the sub-items named (a range spelled
    /// out) and the time.
    func subItemsNamed(_ raw: String) -> ([String], DeadlineText)? {
        let folded = Russian.fold(raw)
        guard let m = Self.subItemsLine.firstMatch(in: folded), let named = m.group(1), let time = m.group(2),
              let d = parseDeadline(time) else { return nil }
        let labels = Self.subItemLabel.matches(in: named).compactMap { $0.group(1) ?? $0.group(2) ?? $0.group(3) }
        guard !labels.isEmpty else { return nil }
        var out: [String] = []
        // (`4.1–4.3`, `«а»–«в»`: a range between two labels.)
        for (i, label) in labels.enumerated() {
            if i > 0, let previous = out.last, let r = named.range(of: label), named[..<r.lowerBound].reversed().drop(while: { "«»()\" ".contains($0) }).first.map({ "–—-".contains($0) }) == true {
                if let a = previous.unicodeScalars.last, let b = label.unicodeScalars.last, a.value < b.value, b.value - a.value < 12,
                   previous.dropLast() == label.dropLast() {
                    for v in (a.value + 1)..<b.value { if let u = Unicode.Scalar(v) { out.append(String(previous.dropLast()) + String(Character(u))) } }
                }
            }
            out.append(label)
        }
        return (out, DeadlineText(raw: time, deadline: d))
    }

    private static let itemNamedPart = Pattern(#"(?<![а-яё])по\s+(?:п\.|пп\.|пункту|подпункту)\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s*[–—-]\s*(.+?)\s*(?=[,;]\s*по\s+(?:п\.|пп\.|пункт|подпункт)|$)"#)

    /// `по п. 2.5 – до 30.09.2025, по п. 2.6 – апрель – май 2026 г. (по графику …)`: two parts or more, each naming its item.
    func itemsNamed(_ raw: String) -> [(String, DeadlineText)]? {
        let found = Self.itemNamedPart.matches(in: raw)
        guard found.count >= 2 else { return nil }
        var out: [(String, DeadlineText)] = []
        for m in found {
            guard let number = m.group(1), let time = m.group(2), let d = parseDeadline(time) else { return nil }
            out.append((number, DeadlineText(raw: time, deadline: d)))
        }
        return out
    }

    private static let keyedPart = Pattern(#"^\s*([а-яё\d][а-яё\d ,–-]{2,40}?)\s*(?:\s[–—-]|:)\s*(\S.*?)\s*\.?\s*$"#)

    /// `обеспечить подготовку компьютерного класса и техническое сопровождение экзамена …`: the text cut at the `и` after
    /// which the second key's work is named (within three words), the first key's before it; else nil.
    static func objectsJoined(_ text: String, keys: [String]) -> [String]? {
        let folded = Russian.fold(text)
        // (Not topics after a preposition, `два семинара – по математике и по русскому языку`: one work.)
        let prepositions: Set<String> = ["по", "в", "во", "на", "с", "со", "к", "для", "о", "об", "при"]
        guard folded.count == text.count, keys.count == 2,
              !keys.contains(where: { Russian.words(Russian.fold($0)).first.map(prepositions.contains) ?? true }) else { return nil }
        for r in folded.ranges(of: " и ") {
            let cut = folded.distance(from: folded.startIndex, to: r.lowerBound)
            let first = String(text.prefix(cut)), second = String(text.dropFirst(cut + 3))
            // (Objects, not verbs: `Разработать и утвердить модель …` | `разработка проекта – …; утверждение – …` is one work.)
            if let word = Russian.words(second).first, Russian.isInfinitive(word) { continue }
            // (Not nouns a preposition governs, `по математике и русскому языку`.)
            let before = Russian.words(Russian.fold(first))
            if let k = before.lastIndex(where: { $0.hasPrefix(String(Russian.words(Russian.fold(keys[0])).first?.prefix(4) ?? "")) }), k > 0,
               prepositions.contains(before[k - 1]) || k > 1 && prepositions.contains(before[k - 2]) { continue }
            if keyNames(keys[0], first), keyNames(keys[1], Russian.words(second).prefix(3).joined(separator: " ")), !keyNames(keys[1], first) {
                return [first, second]
            }
        }
        return nil
    }

    private static let bound = Pattern(#"^\s*(?:(?:в\s+срок\s+)?до|к|не\s+позднее)\s"#)
    private static let inStages = Pattern(#"^\s*поэтапно\s*\.?\s*$"#)
    private static let yearTarget = Pattern(#"(?<![\d.])(20\d{2})\s*(?:г\.?|год)?\s*[–—-]\s*([^;]*?\d[\d,]*\s*%[^;]*?)\s*(?=;|$)"#)
    /// `2025 – 80%; 2026 – 82%; 2027 – 85%`: two or more targets by year, each a stage at the year's last day.
    static func yearTargets(_ text: String) -> [Stage]? {
        let stages = yearTarget.matches(in: text).compactMap { m -> Stage? in
            guard let year = m.group(1), let target = m.group(2) else { return nil }
            return Stage(date: "\(year)-12-31", target: target.trimmingCharacters(in: CharacterSet(charactersIn: " .,")))
        }
        return stages.count >= 2 ? stages : nil
    }

    /// (`Меню и информация … должны быть актуализированы`: the subject of a duty, not who is told.)
    private static let dutyWord = Pattern(#"(?<![а-яё])(?:должн|подлеж|обязан)"#)

    /// A key naming a group of pupils (`9, 11 классы`, `1 группа`, `2 смена`), not a step of the work.
    static let groupKey = Pattern(#"(?<![а-яё])(?:класс|групп|поток|смен|параллел)[а-яё]*(?![а-яё])"#)

    /// The span of several times: a period from the earliest start to the latest end, or with `bounded` dates only the
    /// last date; nil when a time is neither a date nor a period.
    static func union(_ times: [Deadline], bounded: Bool) -> Deadline? {
        var from: [String] = [], to: [String] = []
        for t in times {
            switch t {
            case .date(let d): from.append(d); to.append(d)
            case .period(let a, let b): from.append(a); to.append(b)
            default: return nil
            }
        }
        guard let a = from.min(), let b = to.max() else { return nil }
        if bounded, times.allSatisfy({ if case .date = $0 { return true } else { return false } }) { return .date(b) }
        return a == b ? .date(a) : .period(from: a, to: b)
    }

    /// Whether a `Срок:` part's key names a clause's work: its first word's first four letters are in the clause's words
    /// (`диагностика` in `провести диагностику …`), and a key opening with a number (`9 классы`) has that number there too.
    static func keyNames(_ key: String, _ clause: String) -> Bool {
        let words = Russian.words(Russian.fold(key))
        guard let word = words.first(where: { $0.count >= 3 && $0.allSatisfy(\.isLetter) }) else { return false }
        let folded = Russian.fold(clause)
        guard folded.contains(String(word.prefix(4))) else { return false }
        let number = key.prefix(while: \.isNumber)
        if !number.isEmpty {
            return Pattern(#"(?<!\d)"# + number + #"(?!\d)"#).matches(folded)
        }
        return true
    }

    /// `проверка – 09.02–13.02.2026; справка – до 20.02.2026`, `собрания – до 30.01.2026, ознакомление – до 06.02.2026`,
    /// `диагностика: 02.02–06.02.2026; консультации: до 27.02.2026`: two or more parts apart by `;` (or `,` when no part
    /// has one), each a few words, a dash or a colon, and a time.
    func keyedParts(_ raw: String) -> [(key: String, time: DeadlineText)]? {
        for separator in [";", ","] {
            var parts = raw.split(separator: Character(separator)).map(String.init)
            // (`9, 11 классы – март 2026 г., 4–8 классы – …`: a key's own comma; the part with no dash goes on into the next.)
            if separator == "," {
                var joined: [String] = []
                var pending = ""
                for part in parts {
                    if Self.keyedPart.firstMatch(in: pending + part) == nil, !part.contains(where: \.isLetter) || !part.contains("–") && !part.contains(":") && !part.contains(" -") {
                        pending += part + ","
                    } else {
                        joined.append(pending + part)
                        pending = ""
                    }
                }
                if !pending.isEmpty { joined.append(String(pending.dropLast())) }
                parts = joined
            }
            guard parts.count >= 2 else { continue }
            var out: [(key: String, time: DeadlineText)] = []
            for part in parts {
                // (Not a year's column, `2025 – I полугодие; 2026 – март`.)
                guard let m = Self.keyedPart.firstMatch(in: String(part)), let key = m.group(1), let time = m.group(2),
                      !key.trimmingCharacters(in: .whitespaces).prefix(4).allSatisfy(\.isNumber),
                      Russian.words(key).count <= 4, let d = parseDeadline(time) else { out = []; break }
                out.append((key, DeadlineText(raw: time, deadline: d)))
            }
            if !out.isEmpty { return out }
            if separator == ";" { return nil }
        }
        return nil
    }

    /// Whether the next list item after paragraph `index` (past its `Срок:` and `Ответственные:` lines) is a sub-item of
    /// `marker` (`1.1.` under `1.`).
    func opensSubItems(of marker: ListMarker, after index: Int) -> Bool {
        for p in paragraphs[(index + 1)...].prefix(3) {
            switch Structure.classify(p) {
            case .deadline, .responsible: continue
            default:
                guard let next = ListMarker.parse(p)?.marker, !next.isBullet, !next.isRoman else { return false }
                return next.components.count > marker.components.count && Array(next.components.prefix(marker.components.count)) == marker.components
            }
        }
        return false
    }

    /// Emits the open item: continuation parts that do not carry their own deadline join the part before.
    mutating func closeOpen() {
        guard let item = open else { return }
        open = nil
        lastClosedFrame = item.frameIndex
        guard item.isTask else { return }
        var merged: [Draft] = []
        for part in item.parts {
            if var last = merged.last, !(last.hasOwnDeadline && part.hasOwnDeadline), !part.standsAlone {
                last.task.text += " " + part.task.text
                last.task.deadline = last.task.deadline ?? part.task.deadline
                last.deadlineFromLine = last.deadlineFromLine || part.deadlineFromLine
                last.task.responsible += part.task.responsible
                last.task.targets += part.task.targets
                last.lastParagraph = max(last.lastParagraph, part.lastParagraph)
                merged[merged.count - 1] = last
            } else {
                merged.append(part)
            }
        }
        // An `Ответственный:` line after an item of two directives is both tasks' (spec §3).
        if merged.count > 1, let shared = merged.last?.task.responsible, !shared.isEmpty {
            for i in merged.indices.dropLast() where merged[i].task.responsible.isEmpty { merged[i].task.responsible = shared }
        }
        for var draft in merged {
            var origin = Origin(line: draft.deadlineFromLine, phraseDeadline: draft.phraseDeadline, lineNamesItem: draft.lineNamesItem)
            // A task without a deadline of its own takes the deadline of the nearest heading that states one.
            if let f = item.frameIndex, f < stack.count,
               let heading = stack[...f].last(where: { $0.heading.deadline != nil })?.heading, let raw = heading.deadline {
                let stated = parseDeadline(raw).map { DeadlineText(raw: raw, deadline: $0) }
                if !draft.hasOwnDeadline
                    || heading.isMeeting && !draft.deadlineFromLine && Self.namesAPeriod(draft.task.deadline?.deadline) {
                    draft.task.deadline = stated
                    // `23 января`, `последняя пятница` under `ЯНВАРЬ`: days of the month that need it to be read.
                    if case .period(let from, let to)? = stated?.deadline, let month = Day.month(from: from, to: to),
                       draft.deadlineFromLine, let raw = draft.lineRaw, let within = DeadlineParser.within(month: month, raw: raw, own: nil) {
                        draft.task.deadline = DeadlineText(raw: raw, deadline: within)
                    }
                    origin.inherited = draft.task.deadline != nil
                    origin.fromMeeting = origin.inherited && heading.isMeeting
                } else if let stated, case .period = stated.deadline, draft.deadlineFromLine, let raw = draft.lineRaw,
                          Self.duringTheWhole.matches(Russian.fold(raw)) {
                    // `Срок: в течение квартала` under `II квартал:`: the heading's quarter, not three months from the document.
                    draft.task.deadline = DeadlineText(raw: raw, deadline: stated.deadline)
                    origin.inherited = true
                } else if case .period(let from, let to)? = stated?.deadline, let month = Day.month(from: from, to: to),
                          draft.deadlineFromLine, let raw = draft.lineRaw,
                          let within = DeadlineParser.within(month: month, raw: raw, own: draft.task.deadline?.deadline) {
                    // Under a month of a plan, a row's own days are of that month (spec §4, *a month of a plan*).
                    draft.task.deadline = DeadlineText(raw: raw, deadline: within)
                    origin.inherited = true
                }
            }
            // Nobody addressed: the responsible bodies say who acts (a protocol's `РЕШИЛИ:` items, a plan's rows).
            // The approving body's own unit (`кафедра дошкольного образования` in an institute's plan) is at its level.
            // (Without an approver, the issuer's units: `главный специалист отдела общего образования` in its minutes.)
            let ownUnit = draft.task.responsible.first.map(Levels.namesAUnit) == true ? unitsLevel
                : draft.task.responsible.dropFirst().first.map(Levels.namesAUnit) == true ? unitsLevel ?? issuerLevel : nil
            if draft.task.addressees.isEmpty, let level = ownUnit ?? Levels.ofResponsible(draft.task.responsible, people: people, terms: terms) {
                draft.task.level = level
            }
            let span = draft.firstParagraph...max(draft.firstParagraph, draft.lastParagraph)
            if paragraphs.indices.contains(span.lowerBound), paragraphs.indices.contains(span.upperBound) {
                draft.task.source = SourceSpan(firstParagraph: span.lowerBound, lastParagraph: span.upperBound,
                                               text: paragraphs[span].joined(separator: "\n"))
            }
            if let f = item.frameIndex, f < stack.count { stack[f].taskIndices.append(tasks.count) }
            tasks.append(draft.task)
            origins.append(origin)
        }
    }
}
