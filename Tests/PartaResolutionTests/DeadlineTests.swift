import Foundation
import Testing
@testable import PartaResolution

/// Deadline phrases of spec §4, generated from a seed, and the normalised deadline each must give.
@Suite struct DeadlineTests {
    /// Spec §4 *months listed*: remarks in parentheses, also with digits, and a dash between the months.
    @Test func monthsListedWithRemarks() {
        let ref = Day(2025, 9, 1)
        #expect(DeadlineParser.parse("март (очно), апрель (дистанционно)", reference: ref) == .period(from: "2026-03-01", to: "2026-04-30"))
        #expect(DeadlineParser.parse("ноябрь (школьный этап) – декабрь (муниципальный этап)", reference: ref) == .period(from: "2025-11-01", to: "2025-12-31"))
        #expect(DeadlineParser.parse("февраль (1 поток), март (2 поток), апрель (3 поток)", reference: ref) == .period(from: "2026-02-01", to: "2026-04-30"))
    }

    static let iterations = 400
    static let prepositions = ["до ", "к ", "не позднее ", "в срок до ", ""]

    /// A day written in one of the date formats of a resolution.
    static func write(_ d: Day, using g: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<6, using: &g) {
        case 0: return "\(pad2(d.day)).\(pad2(d.month)).\(d.year)"
        case 1: return "\(d.day).\(pad2(d.month)).\(d.year) г."
        case 2: return "\(pad2(d.day)).\(pad2(d.month)).\(pad2(d.year % 100))"
        case 3: return "\(d.day) \(Russian.genitiveMonths[d.month - 1]) \(d.year) года"
        case 4: return "\(d.day) \(Russian.genitiveMonths[d.month - 1]) \(d.year) г."
        default: return "«\(pad2(d.day))» \(Russian.genitiveMonths[d.month - 1]) \(d.year) года"
        }
    }

    @Test func datesInEveryFormat() {
        var g = SeededGenerator(seed: 1)
        for _ in 0..<Self.iterations {
            let d = g.day()
            let phrase = g.pick(Self.prepositions) + Self.write(d, using: &g)
            #expect(DeadlineParser.parse(phrase) == .date(d.iso), "\(phrase)")
            #expect(DeadlineParser.parse("Срок исполнения: " + phrase) == .date(d.iso) || phrase.isEmpty, "\(phrase)")
        }
    }

    /// Spec §4 *at once*: a duty with each case, its noun qualified (`о каждом несчастном случае`), is continuous.
    @Test func eachCaseWithAQualifiedNoun() {
        for phrase in ["о каждом несчастном случае с ребенком незамедлительно информировать управление образования",
                       "о каждом случае травмирования незамедлительно сообщать", "незамедлительно сообщать о каждом выявленном случае"] {
            #expect(DeadlineParser.find(in: phrase, referenceDate: "2025-05-14")?.deadline == .recurring(every: "continuous"), "\(phrase)")
        }
        #expect(DeadlineParser.find(in: "незамедлительно довести приказ до сведения работников", referenceDate: "2025-05-14")?.deadline == .date("2025-05-14"))
    }

    /// Spec §4: spans of days with the month printed once, stages that are spans, months listed without a year, a
    /// season's duty, terms counted from the document's approval.
    @Test func spansSeasonsAndTermsFromApproval() {
        let reference = "2025-12-18"
        // Cells of a plan's `Срок` column.
        let cells: [(String, Deadline)] = [
            ("19–30.10.2026", .period(from: "2026-10-19", to: "2026-10-30")),
            ("1 этап: 12.01–16.01; 2 этап: 09.03–13.03", .period(from: "2026-01-12", to: "2026-03-13")),
            ("1 сессия: 12.01–16.01; 2 сессия: 09.03–13.03", .period(from: "2026-01-12", to: "2026-03-13")),
            ("октябрь, ноябрь", .period(from: "2026-10-01", to: "2026-11-30")),
            ("ноябрь, январь", .period(from: "2026-11-01", to: "2027-01-31")),
            ("первый этап – до 01.03.2026, итоговый отчёт – до 30.05.2026", .date("2026-05-30")),
        ]
        for (cell, deadline) in cells {
            #expect(DeadlineParser.parse(cell, reference: Day(iso: reference)) == deadline, "\(cell)")
        }
        let cases: [(String, Deadline)] = [
            ("обеспечить в течение эпидемического сезона соблюдение режима", .recurring(every: "continuous")),
            ("в течение осенне-зимнего периода проверять", .recurring(every: "continuous")),
            ("не позднее 5 рабочих дней со дня утверждения настоящего Положения", .date("2025-12-25")),
            ("довести приказ в течение 10 рабочих дней со дня его подписания", .date("2026-01-01")),
        ]
        for (phrase, deadline) in cases {
            #expect(DeadlineParser.find(in: phrase, referenceDate: reference)?.deadline == deadline, "\(phrase)")
        }
        // A season of the year keeps its months.
        #expect(DeadlineParser.find(in: "в течение летнего периода 2026 года провести", referenceDate: reference)?.deadline != .recurring(every: "continuous"))
    }

    /// Spec §4 *relative days*: counted from the document's (a chat message's) day, weaker than a dated phrase.
    @Test func relativeDays() {
        let tuesday = "2025-10-14"
        let cases: [(String, String)] = [("Сегодня до 16:00 прошу заполнить мониторинг", "2025-10-14"), ("Завтра к 10:00 прошу направить протоколы", "2025-10-15"),
                                         ("послезавтра провести совещание", "2025-10-16"), ("прошу до конца недели устранить замечания", "2025-10-17"),
                                         ("до конца месяца обновить раздел сайта", "2025-10-31"),
                                         ("до пятницы провести единый урок", "2025-10-17"), ("к понедельнику подготовить списки", "2025-10-20"),
                                         ("до вторника направить заявки", "2025-10-21"), ("сегодня прошу направить до 20.10.2025 сведения", "2025-10-20")]
        for (phrase, day) in cases {
            #expect(DeadlineParser.find(in: phrase, referenceDate: tuesday)?.deadline == .date(day), "\(phrase)")
        }
    }

    /// Spec §4 *deadlines in words*: ten-day parts of a month, seasons, days of one month listed for an event, a bare
    /// half of the academic year.
    @Test func decadesSeasonsAndListedDays() {
        let reference = "2025-08-27"
        let cases: [(String, Deadline)] = [
            ("в первой декаде ноября провести", .period(from: "2025-11-01", to: "2025-11-10")),
            ("во второй декаде февраля 2026 года", .period(from: "2026-02-11", to: "2026-02-20")),
            ("в третьей декаде сентября", .period(from: "2025-09-21", to: "2025-09-30")),
            ("весной 2026 года провести конкурс", .period(from: "2026-03-01", to: "2026-05-31")),
            ("осенью провести семинар", .period(from: "2025-09-01", to: "2025-11-30")),
            ("в зимний период организовать", .period(from: "2025-12-01", to: "2026-02-28")),
            ("семинары, которые пройдут 14 и 28 октября", .period(from: "2025-10-14", to: "2025-10-28")),
            ("семинары, которые пройдут четырнадцатого и двадцать восьмого октября", .period(from: "2025-10-14", to: "2025-10-28")),
            ("провести заседание РМО двадцать девятого октября.", .date("2025-10-29")),
            ("провести заседание РМО двадцать девятого октября в режиме ВКС.", .date("2025-10-29")),
            ("провести семинар 12 ноября в 15:00 на базе МБОУ «СОШ № 3».", .date("2025-11-12")),
            ("провести совещание 3 декабря 2025 года в онлайн-формате;", .date("2025-12-03")),
            ("в течение первого полугодия провести диагностику", .period(from: "2025-09-01", to: "2025-12-31")),
        ]
        for (phrase, deadline) in cases {
            #expect(DeadlineParser.find(in: phrase, referenceDate: reference)?.deadline == deadline, "\(phrase)")
        }
        // A calendar half-year stays one; an act's date is no event.
        #expect(DeadlineParser.find(in: "в I полугодии 2026 года", referenceDate: reference)?.deadline == .period(from: "2026-01-01", to: "2026-06-30"))
        #expect(DeadlineParser.find(in: "в соответствии с приказом от 29 октября", referenceDate: reference) == nil)
    }

    @Test func dateWithoutYearIsTheNextOnOrAfterTheDocument() {
        var g = SeededGenerator(seed: 2)
        for _ in 0..<Self.iterations {
            let reference = g.day()
            let target = g.day(years: reference.year...reference.year)
            let expected = reference.next(month: target.month, day: target.day)!
            let phrase = g.pick(["к ", "до ", ""]) + "\(target.day) \(Russian.genitiveMonths[target.month - 1])"
            #expect(DeadlineParser.parse(phrase, referenceDate: reference.iso) == .date(expected.iso), "\(phrase) from \(reference)")
            #expect(expected >= reference)
        }
    }

    @Test func academicYearsRunAcrossTheNewYear() {
        var g = SeededGenerator(seed: 3)
        for _ in 0..<Self.iterations {
            let y = Int.random(in: 2000...2090, using: &g)
            let next = y + 1
            let phrase = g.pick([
                "\(y)-\(next) уч. год", "\(y)–\(next) учебный год", "\(y)/\(pad2(next % 100)) учебный год",
                "в течение \(y)-\(next) учебного года", "\(y)/\(next) уч.г.", "в \(y)—\(next) учебном году",
                "на протяжении \(y)/\(pad2(next % 100)) учебного года", "\(y)-\(next) учебного года",
            ])
            #expect(DeadlineParser.parse(phrase) == .period(from: "\(y)-09-01", to: "\(next)-08-31"), "\(phrase)")
            #expect(DeadlineParser.parse("до конца \(y)/\(pad2(next % 100)) учебного года") == .date("\(next)-08-31"))
        }
    }

    @Test func yearsQuartersHalvesAndMonths() {
        var g = SeededGenerator(seed: 4)
        let romans = ["I", "II", "III", "IV"]
        for _ in 0..<Self.iterations {
            let y = Int.random(in: 2000...2090, using: &g)
            let wholeYear = Deadline.period(from: "\(y)-01-01", to: "\(y)-12-31")
            let yearPhrase = g.pick(["в \(y) году", "в течение \(y) года", "\(y) год", "в \(y) г.", "\(y) г."])
            #expect(DeadlineParser.parse(yearPhrase) == wholeYear, "\(yearPhrase)")
            let endPhrase = g.pick(["до конца \(y) года", "до \(y) года", "к \(y) году", "к концу \(y) года"])
            #expect(DeadlineParser.parse(endPhrase) == .date("\(y)-12-31"), "\(endPhrase)")

            let span = Int.random(in: 1...6, using: &g)
            let range = g.pick(["\(y)–\(y + span) гг.", "\(y)-\(y + span) годы", "в \(y)—\(y + span) годах"])
            #expect(DeadlineParser.parse(range) == .period(from: "\(y)-01-01", to: "\(y + span)-12-31"), "\(range)")

            let q = Int.random(in: 1...4, using: &g)
            let quarterPhrase = g.pick(["\(romans[q - 1]) квартал \(y) года", "\(q) квартал \(y) г.", "в \(romans[q - 1]) квартале \(y) года", "\(q)-й квартал \(y)"])
            #expect(DeadlineParser.parse(quarterPhrase) == .period(from: Day(y, q * 3 - 2, 1).iso, to: Day.endOfMonth(y, q * 3).iso), "\(quarterPhrase)")
            #expect(DeadlineParser.parse("до конца \(romans[q - 1]) квартала \(y) года") == .date(Day.endOfMonth(y, q * 3).iso))

            let h = Int.random(in: 1...2, using: &g)
            let halfPhrase = g.pick(["\(romans[h - 1]) полугодие \(y) года", "\(h) полугодие \(y)", "в \(h == 1 ? "первом" : "втором") полугодии \(y) года"])
            #expect(DeadlineParser.parse(halfPhrase) == .period(from: Day(y, h == 1 ? 1 : 7, 1).iso, to: Day.endOfMonth(y, h == 1 ? 6 : 12).iso), "\(halfPhrase)")

            let m = Int.random(in: 1...12, using: &g)
            let prepositional = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре", "октябре", "ноябре", "декабре"]
            let monthPhrase = g.pick(["\(Russian.nominativeMonths[m - 1]) \(y)", "\(Russian.nominativeMonths[m - 1]) \(y) года", "в \(prepositional[m - 1]) \(y) года"])
            #expect(DeadlineParser.parse(monthPhrase) == .period(from: Day(y, m, 1).iso, to: Day.endOfMonth(y, m).iso), "\(monthPhrase)")
        }
    }

    @Test func monthRangesAcrossTheNewYear() {
        var g = SeededGenerator(seed: 9)
        let genitive = Russian.genitiveMonths
        for _ in 0..<Self.iterations {
            let y = Int.random(in: 2000...2089, using: &g)
            let m1 = Int.random(in: 1...12, using: &g), m2 = Int.random(in: 1...12, using: &g)
            let y2 = m2 > m1 ? y + Int.random(in: 0...1, using: &g) : y + 1
            let phrase = g.pick([
                "\(Russian.nominativeMonths[m1 - 1]) \(y) года – \(Russian.nominativeMonths[m2 - 1]) \(y2) года",
                "с \(genitive[m1 - 1]) \(y) года по \(Russian.nominativeMonths[m2 - 1]) \(y2) года",
                "\(Russian.nominativeMonths[m1 - 1]) \(y) - \(Russian.nominativeMonths[m2 - 1]) \(y2)",
            ])
            #expect(DeadlineParser.parse(phrase) == .period(from: Day(y, m1, 1).iso, to: Day.endOfMonth(y2, m2).iso), "\(phrase)")
        }
    }

    @Test func periodsBetweenTwoDates() {
        var g = SeededGenerator(seed: 5)
        for _ in 0..<Self.iterations {
            let a = g.day(), b = g.day()
            let (from, to) = a <= b ? (a, b) : (b, a)
            let phrase = g.pick(["с \(Self.write(from, using: &g)) по \(Self.write(to, using: &g))",
                                 "\(Self.write(from, using: &g)) – \(Self.write(to, using: &g))"])
            #expect(DeadlineParser.parse(phrase) == .period(from: from.iso, to: to.iso), "\(phrase)")
        }
    }

    @Test func relativeToTheDocument() {
        var g = SeededGenerator(seed: 6)
        for _ in 0..<Self.iterations {
            let ref = g.day(years: 2000...2089)
            let start = ref.month >= 8 ? ref.year : ref.year - 1
            #expect(DeadlineParser.parse("в течение года", referenceDate: ref.iso)
                == .period(from: ref.iso, to: ref.adding(months: 12).adding(days: -1).iso))
            #expect(DeadlineParser.parse(g.pick(["в течение учебного года", "в течение текущего учебного года"]), referenceDate: ref.iso)
                == .period(from: "\(start)-09-01", to: "\(start + 1)-08-31"))
            #expect(DeadlineParser.parse("до конца учебного года", referenceDate: ref.iso) == .date("\(start + 1)-08-31"))
            #expect(DeadlineParser.parse("до конца года", referenceDate: ref.iso) == .date("\(ref.year)-12-31"))
            #expect(DeadlineParser.parse("в течение года") == nil, "no document date, no deadline")
        }
    }

    @Test func recurrences() {
        let cases: [(String, String)] = [
            ("постоянно", "continuous"), ("на постоянной основе", "continuous"), ("систематически", "continuous"),
            ("еженедельно", "week"), ("раз в неделю", "week"), ("ежемесячно", "month"), ("ежеквартально", "quarter"),
            ("раз в полугодие", "half-year"), ("2 раза в год", "half-year"), ("ежегодно", "year"), ("ежегодно, до 1 сентября", "year"),
        ]
        for (phrase, unit) in cases {
            #expect(DeadlineParser.parse(phrase, referenceDate: "2020-08-26") == .recurring(every: unit), "\(phrase)")
        }
    }

    @Test func stagedTargets() {
        var g = SeededGenerator(seed: 7)
        for _ in 0..<Self.iterations {
            let n = Int.random(in: 2...4, using: &g)
            var stages: [Stage] = []
            var day = g.day(years: 2015...2060)
            for _ in 0..<n {
                let target = g.pick(["\(Int.random(in: 1...100, using: &g))% обучающихся", "\(Int.random(in: 1...100, using: &g))%",
                                     "не менее \(Int.random(in: 1...100, using: &g))%", "\(Int.random(in: 2...50, using: &g)) школ"])
                stages.append(Stage(date: day.iso, target: target))
                day = day.adding(days: Int.random(in: 30...400, using: &g))
            }
            let phrase = stages.map { "до " + Self.write(Day(iso: $0.date)!, using: &g) + g.pick([" — ", " - ", ": ", " – "]) + $0.target }
                .joined(separator: g.pick([", ", "; "]))
            #expect(DeadlineParser.parse(phrase) == .staged(stages), "\(phrase)")
        }
        #expect(DeadlineParser.parse("до 1 ноября 2019 года — 65% обучающихся, до 1 мая 2020 года — 80%")
            == .staged([Stage(date: "2019-11-01", target: "65% обучающихся"), Stage(date: "2020-05-01", target: "80%")]))
    }

    /// Any deadline, written as canonical Russian and read back, is the same deadline.
    @Test func roundTrip() {
        var g = SeededGenerator(seed: 8)
        for _ in 0..<(Self.iterations * 3) {
            let deadline: Deadline
            switch Int.random(in: 0..<8, using: &g) {
            case 0: deadline = .date(g.day().iso)
            case 1:
                let a = g.day(), b = g.day()
                deadline = .period(from: min(a, b).iso, to: max(a, b).iso)
            case 2:
                let y = Int.random(in: 2000...2090, using: &g)
                deadline = .period(from: "\(y)-09-01", to: "\(y + 1)-08-31")
            case 3:
                let y = Int.random(in: 2000...2090, using: &g), span = Int.random(in: 0...5, using: &g)
                deadline = .period(from: "\(y)-01-01", to: "\(y + span)-12-31")
            case 4:
                let y = Int.random(in: 2000...2090, using: &g)
                let m1 = Int.random(in: 1...12, using: &g), m2 = Int.random(in: m1...12, using: &g)
                deadline = .period(from: Day(y, m1, 1).iso, to: Day.endOfMonth(y, m2).iso)
            case 5: deadline = .recurring(every: g.pick(Deadline.recurrenceUnits))
            default:
                let n = Int.random(in: 1...4, using: &g)
                let stages = (0..<n).map { _ in
                    Stage(date: g.day().iso, target: n == 1 || Bool.random(using: &g) ? "\(Int.random(in: 1...100, using: &g))% обучающихся" : "")
                }
                deadline = .staged(stages)
            }
            let text = DeadlineRenderer.russian(deadline)
            #expect(DeadlineParser.parse(text) == deadline, "\(deadline) → «\(text)»")
        }
    }

    @Test func dueDates() {
        #expect(Deadline.date("2020-10-10").dueDate == "2020-10-10")
        #expect(Deadline.period(from: "2020-09-01", to: "2021-08-31").dueDate == "2021-08-31")
        #expect(Deadline.recurring(every: "year").dueDate == nil)
        #expect(Deadline.staged([Stage(date: "2019-11-01", target: "65%"), Stage(date: "2020-05-01", target: "80%")]).dueDate == "2020-05-01")
    }

    @Test func jsonShape() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let cases: [(DeadlineText, String)] = [
            (DeadlineText(raw: "до 10.10.2020", deadline: .date("2020-10-10")), #"{"date":"2020-10-10","kind":"date","raw":"до 10.10.2020"}"#),
            (DeadlineText(raw: "2020-2021 уч. год", deadline: .period(from: "2020-09-01", to: "2021-08-31")),
             #"{"from":"2020-09-01","kind":"period","raw":"2020-2021 уч. год","to":"2021-08-31"}"#),
            (DeadlineText(raw: "ежегодно", deadline: .recurring(every: "year")), #"{"every":"year","kind":"recurring","raw":"ежегодно"}"#),
            (DeadlineText(raw: "до 1 ноября 2019 года — 65%", deadline: .staged([Stage(date: "2019-11-01", target: "65%")])),
             #"{"kind":"staged","raw":"до 1 ноября 2019 года — 65%","stages":[{"date":"2019-11-01","target":"65%"}]}"#),
        ]
        for (value, json) in cases {
            #expect(String(decoding: try encoder.encode(value), as: UTF8.self) == json)
            #expect(try JSONDecoder().decode(DeadlineText.self, from: Data(json.utf8)) == value)
        }
        let task = ResolutionTask(number: "2.1", text: "Обеспечить …")
        let encoded = String(decoding: try encoder.encode(task), as: UTF8.self)
        #expect(encoded.contains(#""deadline":null"#))
        #expect(try JSONDecoder().decode(ResolutionTask.self, from: Data(encoded.utf8)) == task)
    }

    @Test func deadlinesInsideSentences() {
        let ref = "2020-08-26"
        let cases: [(String, Deadline?)] = [
            ("разработать к 1 сентября 2021 года во всех школах края рабочие программы", .date("2021-09-01")),
            ("организовать внедрение в 2021 году модели персонифицированного финансирования", .period(from: "2021-01-01", to: "2021-12-31")),
            ("организовать и провести в 2023 г. региональную конференцию", .period(from: "2023-01-01", to: "2023-12-31")),
            ("обеспечить в 2022-2023 учебном году деятельность площадок", .period(from: "2022-09-01", to: "2023-08-31")),
            ("Реализовать «Региональную концепцию по работе со школами до 2022 года»", nil),
            ("в соответствии с приказом от 07.10.2022 № 830 обеспечить выполнение", nil),
            ("разработать стратегию развития на период до 2030 года", nil),
            ("проводить ежегодных мониторингов по 9 направлениям", nil),
            ("ежегодно проводить мониторинг", .recurring(every: "year")),
            ("обеспечить участие в течение учебного года", .period(from: "2020-09-01", to: "2021-08-31")),
        ]
        for (sentence, expected) in cases {
            #expect(DeadlineParser.find(in: sentence, referenceDate: ref)?.deadline == expected, "\(sentence)")
        }
    }

    /// Spec §4, forms met in part 13: an event's day after it; the start and the outcome of a half; a range of quarters
    /// after a dash; a span whose first day omits the year; `в течение недели`; a condition that opens the task;
    /// `работ` before a time (no `от` of a date); weeks of a plan's month.
    @Test func eventDaysHalvesAndConditions() {
        let ref = "2025-11-14"
        let cases: [(String, Deadline?)] = [
            ("Накануне дня проведения итогового сочинения (02.12.2025) провести инструктаж", .date("2025-12-02")),
            ("Обеспечить в день проведения итогового сочинения 3 декабря 2025 года соблюдение требований", .date("2025-12-03")),
            ("Обеспечить обучение педагогов до начала второго полугодия 2025/2026 учебного года", .date("2026-01-01")),
            ("Провести анализ выполнения программ по итогам I полугодия", .date("2025-12-31")),
            ("Представить отчёт о результатах ГИА-2026 – III–IV кварталы 2026 года.", .period(from: "2026-07-01", to: "2026-12-31")),
            ("Организовать с 08.12 по 19.12.2025 проверку исправности котельных", .period(from: "2025-12-08", to: "2025-12-19")),
            ("Руководителям площадок в течение недели представить акты готовности", .date("2025-11-21")),
            ("При отсутствии по болезни 20% и более обучающихся класса незамедлительно информировать управление", .recurring(every: "continuous")),
            ("Обеспечить завершение ремонтных работ в августе 2026 года", .period(from: "2026-08-01", to: "2026-08-31")),
        ]
        for (sentence, expected) in cases {
            #expect(DeadlineParser.find(in: sentence, referenceDate: ref)?.deadline == expected, "\(sentence)")
        }
        #expect(DeadlineParser.within(month: Day(2025, 9, 1), raw: "2–3-я неделя", own: nil) == .period(from: "2025-09-08", to: "2025-09-21"))
        // Sessions of a course written other ways: each read alone, one period; yearless days run forward.
        for (cell, expected) in [("1 сессия – с 02 по 06 марта 2026 г.; 2 сессия – с 11 по 15 мая 2026 г.", Deadline.period(from: "2026-03-02", to: "2026-05-15")),
                                 ("1 сессия – март 2026 г., 2 сессия – май 2026 г.", .period(from: "2026-03-01", to: "2026-05-31")),
                                 ("сессия 1: 02.02–06.02.2026; сессия 2: 13.04–17.04.2026", .period(from: "2026-02-02", to: "2026-04-17")),
                                 ("1 сессия: 15.12–19.12; 2 сессия: 12.01–16.01", .period(from: "2025-12-15", to: "2026-01-16")),
                                 ("1 этап – до 01.03.2026; 2 этап – до 30.05.2026", .date("2026-05-30"))] {
            #expect(DeadlineParser.parse(cell, referenceDate: ref) == expected, "\(cell)")
        }
        let dated = ResolutionReader.parse(text: "ПЛАН\nработы РМО на 2025/2026 учебный год\n1. Заседание РМО «Функциональная грамотность».\nДата проведения: 18.03.2026\n")
        #expect(dated.tasks.first?.deadline?.deadline == .date("2026-03-18"), "\(dated.tasks.map(\.text))")
    }

    /// `к началу учебного года` is the first 1 September on or after the document's date; a start is a date;
    /// years in another document's name are not a deadline, a day after it is.
    @Test func startsOfYearsStartsAndNamesOfDocuments() {
        #expect(DeadlineParser.parse("к началу учебного года", referenceDate: "2021-08-26") == .date("2021-09-01"))
        #expect(DeadlineParser.parse("к началу учебного года", referenceDate: "2021-09-01") == .date("2021-09-01"))
        #expect(DeadlineParser.parse("к началу учебного года", referenceDate: "2022-03-10") == .date("2022-09-01"))
        #expect(DeadlineParser.parse("к началу 2023/2024 учебного года", referenceDate: "2022-03-10") == .date("2023-09-01"))
        #expect(DeadlineParser.find(in: "С 1 сентября 2021 года организовать работу", referenceDate: "2021-08-26")?.deadline == .date("2021-09-01"))
        #expect(DeadlineParser.find(in: "с 01.09.2021 по 31.12.2021 провести", referenceDate: "2021-08-26")?.deadline == .period(from: "2021-09-01", to: "2021-12-31"))
        #expect(DeadlineParser.find(in: "Обеспечить реализацию программы развития района на 2020-2025 годы", referenceDate: "2021-08-26") == nil)
        #expect(DeadlineParser.find(in: "Выполнить план мероприятий в 2021-2025 годах", referenceDate: "2021-08-26") == nil)
        #expect(DeadlineParser.find(in: "в соответствии со Стратегией развития воспитания до 2025 года", referenceDate: "2021-08-26") == nil)
        #expect(DeadlineParser.find(in: "Разработать план мероприятий до 1 октября 2021 года", referenceDate: "2021-08-26")?.deadline == .date("2021-10-01"))
        #expect(DeadlineParser.find(in: "Обеспечить выполнение плана мероприятий в течение 2021/2022 учебного года", referenceDate: "2021-08-26")?.deadline
            == .period(from: "2021-09-01", to: "2022-08-31"))
        #expect(DeadlineParser.find(in: "Обеспечить в 2022 году охват: до 1 ноября 2021 года — 65%, до 1 мая 2022 года — 80%", referenceDate: "2021-08-26")?.deadline
            == .period(from: "2022-01-01", to: "2022-12-31"))
    }

    /// Spec §4 (issue 17, part 14): days listed before a remark in parentheses and months listed with the year printed
    /// once are one period; under a month of a plan, `до 10-го`, `последняя пятница` and `23 января` are days of it.
    @Test func listedDaysAndDaysOfAPlansMonth() {
        let ref = "2026-01-15"
        #expect(DeadlineParser.find(in: "Обеспечить проведение итогового собеседования в 9-х классах 11.02.2026, 11.03.2026 и 20.04.2026 (основной и дополнительные сроки).", referenceDate: ref)?.deadline
            == .period(from: "2026-02-11", to: "2026-04-20"))
        #expect(DeadlineParser.find(in: "Обеспечить участие обучающихся в тренировочных мероприятиях в марте и в апреле 2026 года.", referenceDate: ref)?.deadline
            == .period(from: "2026-03-01", to: "2026-04-30"))
        let september = Day(2025, 9, 1), november = Day(2025, 11, 1), january = Day(2026, 1, 1)
        #expect(DeadlineParser.within(month: september, raw: "до 10-го", own: nil) == .date("2025-09-10"))
        #expect(DeadlineParser.within(month: november, raw: "последняя пятница", own: nil) == .date("2025-11-28"))
        #expect(DeadlineParser.within(month: january, raw: "23 января", own: nil) == .date("2026-01-23"))
        let plan = ResolutionReader.parse(text: ["ПЛАН", "работы школы на 2025/2026 учебный год", "", "ДЕКАБРЬ",
                                                 "1. Новогодние утренники для 1–4 классов – до начала зимних каникул – классные руководители 1–4 классов,",
                                                 "Зимние каникулы – с 29.12.2025 по 11.01.2026", "", "ЯНВАРЬ",
                                                 "1. Открытие месячника военно-патриотической работы – 23 января – преподаватель-организатор ОБЗР Тарасов А.Н"].joined(separator: "\n"))
        #expect(plan.tasks.map { $0.deadline?.deadline } == [.date("2025-12-29"), .date("2026-01-23")], "\(plan.tasks.map(\.text))")
        #expect(plan.tasks.first?.text.contains("Зимние каникулы") == false)
    }

    /// Spec §4 (issue 17, part 15): days listed with their month once or each with its own, months of two years, an event's
    /// date after `провести`, a recurrence with the day of each round over its period, `ежечетвертно`.
    @Test func listedDaysSpansOfTwoYearsAndRounds() {
        let ref = "2025-10-01"
        #expect(DeadlineParser.find(in: "Оргкомитету провести заседания 1 и 8 декабря 2025 г. в режиме ВКС.", referenceDate: ref)?.deadline
            == .period(from: "2025-12-01", to: "2025-12-08"))
        #expect(DeadlineParser.find(in: "Провести школьный этап 29 октября и 5 ноября 2025 г.", referenceDate: ref)?.deadline
            == .period(from: "2025-10-29", to: "2025-11-05"))
        #expect(DeadlineParser.find(in: "Обеспечить прохождение курсов в декабре 2025 года – феврале 2026 года.", referenceDate: ref)?.deadline
            == .period(from: "2025-12-01", to: "2026-02-28"))
        #expect(DeadlineParser.find(in: "Направить отчёт до 1 и 8 декабря 2025 г.", referenceDate: ref)?.deadline == .date("2025-12-08"))
        #expect(DeadlineParser.find(in: "Учителям провести 25 мая 2026 г. итоговую тренировочную работу.", referenceDate: ref)?.deadline == .date("2026-05-25"))
        #expect(DeadlineParser.find(in: "Социальному педагогу в период летних каникул ежемесячно, до 5 числа, представлять информацию.", referenceDate: ref)?.deadline
            == .recurring(every: "month"))
        #expect(DeadlineParser.find(in: "Обеспечить проведение комплексных работ (срок – ежечетвертно);", referenceDate: ref)?.deadline == .recurring(every: "quarter"))
    }

    /// Spec §4 (issue 17, part 15): a plan appended to an order, its days with their weekday heading the events under
    /// them, `В течение Недели` between them, and the event the order sets named by a capital or a pronoun.
    @Test func aWeeksPlanByDays() {
        let found = ResolutionReader.parse(text: ["РАСПОРЯЖЕНИЕ", "от 02 марта 2026 года № 214-р", "", "РАСПОРЯЖАЮСЬ:",
                                                  "1. Провести с 16 по 20 марта 2026 года в общеобразовательных организациях района Неделю финансовой грамотности.",
                                                  "2. МКУ «ВИМЦ» обеспечить сопровождение Недели в период её проведения.",
                                                  "Приложение 1", "к распоряжению комитета", "ПЛАН проведения районной Недели финансовой грамотности",
                                                  "16 марта 2026 года (понедельник) – День семейного бюджета",
                                                  "1. Открытие Недели: единый классный час «Семейный бюджет» для обучающихся 1–11-х классов.",
                                                  "17 марта 2026 года (вторник) – День финансовой безопасности",
                                                  "2. Родительские собрания «Финансовая безопасность ребёнка» (классные руководители).",
                                                  "В течение Недели",
                                                  "3. Книжные выставки «Финансовая грамотность – это просто» в школьных библиотеках."].joined(separator: "\n"))
        let week = Deadline.period(from: "2026-03-16", to: "2026-03-20")
        #expect(found.tasks.map { $0.deadline?.deadline } == [week, week, .date("2026-03-16"), .date("2026-03-17"), week], "\(found.tasks.map(\.text))")
    }

    /// Spec §1, §3, §4 (issue 17, part 15, round 2): a циклограмма's sections by frequency, an event with its own day under
    /// any heading, a tab-typed term plan with a `Дата, время` column (weekday and hour, `по средам`, `3-я неделя марта`,
    /// `в течение четверти`), and measures that are no tasks.
    @Test func aCyclogramATermPlanAndMeasures() {
        let cyclogram = ResolutionReader.parse(text: ["ЦИКЛОГРАММА", "работы управления образования на 2025/2026 учебный год", "", "I. ЕЖЕНЕДЕЛЬНО", "",
                                                      "1. Аппаратное совещание при начальнике УО (понедельник, 9.00) – начальник УО.", "", "II. ЕЖЕГОДНО", "",
                                                      "1. Сбор статистической отчётности по форме ОО-1 (до 20 сентября) – главный специалист УО.", "",
                                                      "III. МЕРОПРИЯТИЯ С ФИКСИРОВАННЫМИ СРОКАМИ", "",
                                                      "1. Муниципальный конкурс «Педагог года – 2026» – II декада февраля 2026 г. – МАУ «ИМЦ».", "",
                                                      "IV. ПОКАЗАТЕЛИ", "1. Доля педагогов, прошедших курсы повышения квалификации"].joined(separator: "\n"))
        #expect(cyclogram.document.kind == "циклограмма")
        #expect(cyclogram.tasks.map { $0.deadline?.deadline } == [.recurring(every: "week"), .recurring(every: "year"), .period(from: "2026-02-11", to: "2026-02-20")],
                "\(cyclogram.tasks.map(\.text))")
        let plan = ResolutionReader.parse(text: ["ПЛАН", "мероприятий ИМЦ на III четверть 2025/2026 учебного года", "(III четверть: 12.01.2026 – 20.03.2026)", "",
                                                 "№\tМероприятие\tКатегория участников\tДата, время\tМесто\tОтветственный",
                                                 "1.1.\tСовещание руководителей ОО\tруководители ОО\t14.01 (ср), 15.00\tактовый зал\tметодист ИМЦ",
                                                 "1.2.\tСеминар заместителей директоров\tзаместители\t05.02, 12.02, 19.02 (чт), 14.30\tИМЦ\tметодист ИМЦ",
                                                 "1.3.\tКонсультации для аттестуемых педагогов\tпедагоги\tпо средам, 14.00–16.00\tИМЦ\tметодист ИМЦ",
                                                 "1.4.\tЗаседание РМО учителей математики\tучителя\t3-я неделя марта\tИМЦ\tруководитель РМО",
                                                 "1.5.\tМетодический десант в сельские школы\tпедагоги\tв течение четверти\tОО\tметодисты ИМЦ"].joined(separator: "\n"))
        #expect(plan.tasks.map { $0.deadline?.deadline } == [.date("2026-01-14"), .period(from: "2026-02-05", to: "2026-02-19"), .recurring(every: "week"),
                                                            .period(from: "2026-03-15", to: "2026-03-21"), .period(from: "2026-01-12", to: "2026-03-20")],
                "\(plan.tasks.map(\.text))")
    }

    /// Spec §4, the past is not a deadline: a `Срок:` line naming a time already over gives way to the task's own.
    @Test func aPastLineGivesWayToTheTasksOwnTime() {
        let found = ResolutionReader.parse(text: ["ПРОТОКОЛ № 1", "заседания совета руководителей", "28 января 2026 г.", "РЕШИЛИ:",
                                                  "1. Представить в управление образования аналитическую справку об организации питания до 10 февраля.",
                                                  "Срок: по итогам I полугодия", "Ответственные: руководители ОО"].joined(separator: "\n"))
        #expect(found.tasks.first?.deadline?.deadline == .date("2026-02-10"), "\(found.tasks.map(\.text))")
    }
}
