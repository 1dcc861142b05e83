import Foundation
import Testing
@testable import PartaResolution

/// Readings found wrong by an attacker's review of the rules of issue 17, part 10 (chats, scans, year columns,
/// relative days), each kept as the spec now says it must be read.
@Suite struct AttackRegressionTests {
    static func tasks(_ lines: [String]) -> [ResolutionTask] { ResolutionReader.parse(text: lines.joined(separator: "\n") + "\n").tasks }

    /// The tasks of a `.docx` of `paragraphs` over one table of `rows`.
    static func docxTasks(_ paragraphs: [String], _ rows: [[String]], after: [String] = []) throws -> [ResolutionTask] {
        let xml = DocxBuilder.document(paragraphs: paragraphs, table: rows, after: after)
        return try ResolutionReader.read(bytes: makeZip([("word/document.xml", Array(xml.utf8))], deflated: false), name: "plan.docx").tasks
    }

    /// Spec §1: a schedule's lines (`14.10.2025 10:00 – математика: кабинет 12`) are no chat messages.
    @Test func aScheduleIsNoChat() {
        let found = Self.tasks(["ПРИКАЗ", "от 01.10.2025 № 120", "ПРИКАЗЫВАЮ:", "1. Провести школьный этап олимпиады по графику:",
                                "14.10.2025 10:00 – математика: кабинет 12", "15.10.2025 10:00 – русский язык: кабинет 14",
                                "16.10.2025 10:00 – физика: кабинет 12", "2. Учителям-предметникам обеспечить проверку работ до 22.10.2025."])
        #expect(found.contains { $0.text.hasPrefix("Учителям-предметникам обеспечить проверку") && $0.deadline?.deadline == .date("2025-10-22") })
    }

    /// Spec §1 *a chat export*: only a message about a deadline moves one; `вчерашнего сообщения` names an earlier day's
    /// item; the new date is the last `до`/`на`.
    @Test func movedDeadlines() {
        let chat = ["Чат «Руководители ОО Энского района»",
                    "[13.10.2025 09:05] Ляхова И.С. (РОО): Коллеги, к исполнению:", "1. Направить отчёт о питании до 17.10.", "2. Обновить раздел сайта до 17.10.",
                    "3. Разработать положение о ВСОКО до 20.10.",
                    "[13.10.2025 09:20] МБОУ СОШ № 1: Принято",
                    "[14.10.2025 08:00] Ляхова И.С. (РОО): Коллеги, ещё поручения:", "1. Провести родительские собрания до 20.10.", "2. Сдать списки на курсы до 16.10.",
                    "[14.10.2025 12:00] Ляхова И.С. (РОО): По п.2 вчерашнего сообщения срок продлён до 24.10",
                    "[14.10.2025 12:05] Ляхова И.С. (РОО): Срок по п. 1 переносится с 20.10 на 28.10",
                    "[14.10.2025 12:10] Ляхова И.С. (РОО): Прошу до 30.10 внести изменения в п. 3 положения об оплате труда."]
        let found = Self.tasks(chat)
        func deadline(_ starts: String) -> Deadline? { found.first { $0.text.hasPrefix(starts) }?.deadline?.deadline }
        #expect(deadline("Обновить раздел сайта") == .date("2025-10-24"))
        #expect(deadline("Сдать списки на курсы") == .date("2025-10-16"))
        #expect(deadline("Провести родительские собрания") == .date("2025-10-28"))
        #expect(deadline("Разработать положение о ВСОКО") == .date("2025-10-20"))
        #expect(deadline("Прошу до 30.10 внести изменения") == .date("2025-10-30"))
    }

    /// Spec §4: narrative words are no deadlines; report rounds and yearly duties are not one-off dates.
    @Test func narrativeAndRecurringWords() {
        let found = Self.tasks(["РЕЗОЛЮЦИЯ", "педагогического совета", "28 августа 2025 года", "Педагогический совет РЕШИЛ:",
                                "1. Руководителям ОО проанализировать результаты ВПР, проведённых весной, и учесть их в планах.",
                                "2. Руководителям ОО представить сведения о численности обучающихся по состоянию на 1 сентября.",
                                "3. Руководителям ОО повысить охват детей дополнительным образованием, который сегодня составляет 68%.",
                                "4. Руководителям ОО ежегодно в первой декаде сентября проводить дни открытых дверей.",
                                "5. Руководителям ОО представлять отчёт до конца месяца, следующего за отчётным кварталом."])
        #expect(found.map { $0.deadline?.deadline } == [nil, nil, nil, .recurring(every: "year"), nil], "\(found.map { $0.deadline?.raw })")
    }

    /// Spec §1 *year columns*: years under a header that names a `Срок` column (financing by year) are no year marks.
    @Test func yearsUnderAFinancingHeading() throws {
        let rows = [["№ п/п", "Мероприятие", "Срок исполнения", "Объём финансирования", "Объём финансирования", "Ответственный"],
                    ["", "", "", "2025", "2026", ""],
                    ["1", "Приобретение оборудования для кабинета химии", "до 01.09.2026", "0,0", "350,0", "Отдел образования"],
                    ["2", "Ремонт спортивного зала", "III квартал 2025 г.", "1200,0", "0,0", "Отдел образования"]]
        let found = try Self.docxTasks(["ПЛАН", "мероприятий на 2025–2027 годы"], rows)
        #expect(found.map { $0.deadline?.deadline } == [.date("2026-09-01"), .period(from: "2025-07-01", to: "2025-09-30")], "\(found.map(\.text))")
        #expect(found.map(\.responsible) == [["Отдел образования"], ["Отдел образования"]])
    }

    // Found by an attacker's review of the rules of issue 17, part 11.

    /// Spec §4 *a plan for a calendar year*: an undated plan `на 2026 год` reads its halves, bare or after a dash or
    /// `до конца`, in 2026.
    @Test func halvesOfAnUndatedCalendarPlan() {
        let found = Self.tasks(["ПЛАН", "мероприятий управления образования на 2026 год", "",
                                "1. Организовать стажировку молодых педагогов – I полугодие.", "2. Провести семинар. Срок: во II полугодии.",
                                "3. Обновить положение о наставничестве. Срок: до конца I полугодия.",
                                "4. Организовать курсы для педагогов – первое полугодие."])
        #expect(found.map { $0.deadline?.deadline } == [.period(from: "2026-01-01", to: "2026-06-30"), .period(from: "2026-07-01", to: "2026-12-31"),
                                                        .date("2026-06-30"), .period(from: "2026-01-01", to: "2026-06-30")])
    }

    /// Spec §3: what `Утвердить состав …:` lists is approved; `Контроль оставляю за собой` closes; `Установить, что …`
    /// with a directive after it is a task; a stamp line in an appendix names nobody.
    @Test func approvedListsStampsAndClosingWords() {
        let found = Self.tasks(["ПРИКАЗ", "от 02.09.2025 № 112", "ПРИКАЗЫВАЮ:", "1. Утвердить состав межведомственной комиссии:",
                                "а) Иванов И.И. – председатель;", "б) Петров П.П. – секретарь.",
                                "2. Установить, что ответственным является методист ИМЦ, и обеспечить размещение информации на сайте до 1 октября 2025 года.",
                                "3. Контроль оставляю за собой.", "Начальник управления\tА.А. Орлов",
                                "Приложение № 2 к приказу от 02.09.2025 № 112", "УТВЕРЖДЕН приказом управления образования от 02.09.2025 № 112",
                                "План мероприятий", "1. Провести муниципальный форум наставников.", "Срок: ноябрь 2025 г.", "Ответственные: МКУ «ИМЦ»."])
        #expect(!found.contains { $0.text.hasPrefix("Иванов") || $0.text.hasPrefix("Петров") || $0.text.hasPrefix("Контроль") })
        #expect(found.contains { $0.text.hasPrefix("Установить, что ответственным") })
        let forum = found.first { $0.text.hasPrefix("Провести муниципальный форум") }
        #expect(forum?.addressees == [] && forum?.level == .municipal)
    }

    /// Spec §1: names with times in brackets and no text under them are a list, not a chat; spec §3: a topic in quotes
    /// names no association; spec §3: a federal institute spelt out is `other`.
    @Test func notAChatNotAnAssociationNotRegional() {
        let protocolText = Self.tasks(["ПРОТОКОЛ № 7", "заседания аттестационной комиссии от 12.11.2025", "Рассмотрены заявления:",
                                       "Лебедева Н.Н., [06.11.2025 14:00]", "Орлова Т.Т., [07.11.2025 15:30]", "Соколов Д.Д., [07.11.2025 16:45]",
                                       "РЕШИЛИ:", "1. Секретарю комиссии подготовить выписки из протокола в течение 5 рабочих дней."])
        #expect(protocolText.first?.deadline?.deadline == .date("2025-11-19"))
        let seminar = ResolutionReader.parse(text: "РЕЗОЛЮЦИЯ регионального семинара-совещания «Деятельность школьных методических объединений»\n14.11.2025\nРЕШИЛИ:\n1. Провести региональный конкурс методических разработок в марте 2026 года.\n")
        #expect(seminar.tasks.first?.level != .school)
        #expect(Levels.ofBody("Федеральному государственному бюджетному учреждению «Федеральный институт оценки качества образования»") == .other)
    }

    /// Spec §3 *an appendix that regulates*: a sentence naming an appendix opens none; inside a regulation, bullet
    /// directives under an addressee heading are tasks.
    @Test func appendicesNamedAndAddressedInsideARegulation() {
        let found = Self.tasks(["РЕЗОЛЮЦИЯ", "августовского совещания 28.08.2025", "РЕШИЛИ:",
                                "1. Приложение 1 к резолюции содержит перечень лучших практик.", "ПОРЯДОК работы секций",
                                "2. Обеспечить участие педагогов в курсах в течение учебного года.",
                                "Приложение 2", "ПОЛОЖЕНИЕ о конкурсе", "1. Конкурс проводится с 16 по 27 февраля 2026 года.",
                                "2.1. Образовательным организациям:", "– направить заявки участников до 6 февраля 2026 года;", "– обеспечить явку участников."])
        #expect(found.contains { $0.text.hasPrefix("Обеспечить участие педагогов в курсах") })
        #expect(found.contains { $0.text.hasPrefix("направить заявки участников") && $0.level == .school })
        #expect(!found.contains { $0.text.hasPrefix("Конкурс проводится") })
    }

    /// Spec §3 *noun tasks*: a numbered item of nouns with its deadline on its own line, or after a dash in a plan.
    @Test func nounItemsWithTheirDeadlineOnTheirLine() {
        let found = Self.tasks(["ПЛАН", "мероприятий управления образования на 2026 год", "",
                                "1. Проведение пробного ОГЭ по математике. Срок: декабрь 2026 г. Ответственные: управление образования.",
                                "2. Повышение квалификации педагогов по программам ФГОС – II полугодие."])
        #expect(found.map { $0.deadline?.deadline } == [.period(from: "2026-12-01", to: "2026-12-31"), .period(from: "2026-07-01", to: "2026-12-31")])
    }

    /// Spec §3: a body's abbreviation leading a directive (`МОУО организовать …`) and an addressee heading after a
    /// linking phrase (`В связи с этим руководителям …:`) name who acts.
    @Test func abbreviationsAndLinkingPhrasesNameWhoActs() {
        let found = Self.tasks(["РАСПОРЯЖЕНИЕ", "от 10.11.2025 № 1520", "1. МОУО организовать информирование родителей до 1 декабря 2025 года.",
                                "В связи с этим руководителям общеобразовательных организаций:", "2. Провести классные часы до 28 ноября 2025 года."])
        #expect(found.map(\.level) == [.municipal, .school])
    }

    /// Spec §3 *abbreviations the document defines*: words defined in turn (`(далее соответственно – Оператор,
    /// Центр)`) name the bodies before them; a preamble before the first body does not shift them.
    @Test func termsDefinedInTurn() {
        let found = Self.tasks(["ПРИКАЗ", "от 12.09.2025 № 455", "О мониторинге адаптации первоклассников",
                                "В целях проведения мониторинга, поручить Автономному учреждению «Институт развития образования» и Государственному бюджетному учреждению Энской области «Центр оценки качества» (далее соответственно – Оператор, Центр),",
                                "ПРИКАЗЫВАЮ:", "1. Оператору разработать инструментарий мониторинга до 01.10.2025.",
                                "2. Центру обеспечить сбор данных до 15.11.2025."])
        #expect(found.map(\.level) == [.regional, .regional], "\(found.map(\.text))")
    }

    /// Spec §3: `Установить сроки представления отчётов:` sets them by the document; its sub-items are no tasks.
    @Test func deadlinesTheDocumentSetsAreNoTasks() {
        let found = Self.tasks(["ПРИКАЗ", "от 12.09.2025 № 455", "ПРИКАЗЫВАЮ:", "1. Руководителям ОО обеспечить сбор данных до 15.11.2025.",
                                "2. Установить сроки представления отчётов:", "2.1. за I полугодие – до 15 января 2026 года;",
                                "2.2. за год – до 15 июня 2026 года.", "3. Контроль за исполнением приказа оставляю за собой."])
        #expect(found.map(\.text) == ["Руководителям ОО обеспечить сбор данных до 15.11.2025."])
    }

    /// Spec §3 *Tables*: a column of outcomes (`Результат`, `Отметка о выполнении`) is neither the work nor who does it.
    @Test func outcomeColumnsAreLeftOut() throws {
        let rows = [["№", "Мероприятие", "Срок", "Результат"],
                    ["1", "Провести школьный этап олимпиады", "октябрь 2025", "Отдел образования проинформирован"],
                    ["2", "Обновить программу развития", "до 01.03.2026", "в работе"]]
        let found = try Self.docxTasks(["ПЛАН", "работы школы на 2025/2026 учебный год"], rows)
        #expect(found.map(\.text) == ["Провести школьный этап олимпиады", "Обновить программу развития"])
        #expect(found.allSatisfy { $0.responsible.isEmpty })
    }

    /// Spec §1: a line cut inside a parenthesis (`… (далее` | `– Оператор):`) goes on; its dash is no bullet.
    @Test func aDashInsideAnOpenParenthesisIsNoBullet() {
        let found = Self.tasks(["ПРИКАЗ", "от 12.09.2025 № 455", "ПРИКАЗЫВАЮ:",
                                "1. Автономному учреждению Энской области «Институт развития образования» (далее",
                                "– Оператор):", "1.1. разработать инструментарий мониторинга до 01.10.2025;",
                                "2. Оператору обеспечить сбор данных до 15.11.2025."])
        #expect(found.map(\.level) == [.regional, .regional], "\(found.map(\.text))")
        #expect(!found.contains { $0.text.hasPrefix("Оператор)") })
    }

    // MARK: Part 12: an attacker's review of the day's rules

    static func chat(_ messages: [String]) -> [ResolutionTask] {
        tasks(["10.11.2025, 08:12 - Вы создали группу \"Замы по УВР\""] + messages.enumerated().map { "12.11.2025, 09:\(10 + $0.offset) - Ляхова И.С. (ГорОО): \($0.element)" })
    }

    /// Spec §1 *a chat export*: `Для сведения и исполнения` asks for action; a short lead-in or first sentence may stand
    /// before the directive; a meeting announced earlier dates `к следующему совещанию`; moves in other words.
    @Test func chatMessagesThatAssignAndMove() {
        let found = Self.chat(["Для сведения и исполнения: письмо о ВПР. Прошу до 20.11 ознакомить учителей с графиком.",
                               "К сведению и исполнению: заполнить таблицу по питанию до 19.11.",
                               "Следующее совещание — 27.11 в 14:00.",
                               "Подготовить отчёт по ВПР к следующему совещанию.",
                               "Напоминаю: совещание 27.11 в 14:00. К совещанию подготовить предложения по графику.",
                               "Подготовить справку по ВПР до 20.11.",
                               "Срок сдачи справки по ВПР переносится на 24.11."])
        func deadline(_ starts: String) -> Deadline?? { found.first { $0.text.hasPrefix(starts) }.map { $0.deadline?.deadline } }
        #expect(deadline("Для сведения и исполнения") == .some(.date("2025-11-20")))
        #expect(deadline("К сведению и исполнению") == .some(.date("2025-11-19")))
        #expect(deadline("Подготовить отчёт по ВПР") == .some(.date("2025-11-27")))
        #expect(deadline("Напоминаю: совещание") == .some(.date("2025-11-27")))
        #expect(deadline("Подготовить справку по ВПР") == .some(.date("2025-11-24")))
        #expect(!found.contains { $0.text.hasPrefix("Следующее совещание") })
        // (12.11.2025 is a Wednesday.)
        let named = Self.chat(["Доброе утро, коллеги!", "Коллеги, прошу до 14.11 направить сведения о педагогах.",
                               "Руководителям ОО в срок до пятницы назначить ответственного за питание."]).last
        #expect(named?.addressees == ["Руководителям ОО"])
        #expect(named?.deadline?.deadline == .date("2025-11-14"))
    }

    /// Spec §4 *a plan for a calendar year*: approved before its year, its yearless words are of that year.
    @Test func aCalendarYearPlanApprovedTheYearBefore() {
        let found = Self.tasks(["УТВЕРЖДЕН", "приказом от 25.12.2025 № 410", "ПЛАН", "работы управления образования на 2026 год", "",
                                "1. Провести итоговое совещание.", "Срок: декабрь", "2. Провести приёмку школ.", "Срок: до конца года",
                                "3. Подготовить план на 2027 год.", "Срок: до 25 декабря"])
        #expect(found.map { $0.deadline?.deadline } == [.period(from: "2026-12-01", to: "2026-12-31"), .date("2026-12-31"), .date("2026-12-25")])
    }

    /// Spec §2 `date`: an approval beside an agreement or adoption on shared lines dates the document.
    @Test func approvalsBesideOtherStamps() {
        let agreed = ResolutionReader.parse(text: ["СОГЛАСОВАНО                                      УТВЕРЖДАЮ",
                                                   "Председатель профкома                            Директор МБОУ «СОШ № 27»",
                                                   "«27» августа 2025 г.                             «29» августа 2025 г.", "",
                                                   "ПЛАН", "работы на 2025/2026 учебный год", "", "1. Провести педсовет – 1 сентября."].joined(separator: "\n") + "\n")
        #expect(agreed.document.date == "2025-08-29")
        let adopted = ResolutionReader.parse(text: ["ПРИНЯТО                                          УТВЕРЖДАЮ",
                                                    "на заседании педагогического совета              Директор МБОУ «СОШ № 27»",
                                                    "Протокол № 1 от «28» августа 2025 г.             Приказ № 187-од от «29» августа 2025 г.", "",
                                                    "ПЛАН", "внеурочной деятельности на 2025/2026 учебный год", "", "1. Провести педсовет – 1 сентября."].joined(separator: "\n") + "\n")
        #expect(adopted.document.date == "2025-08-29")
        #expect(adopted.document.kind == "план")
    }

    /// Spec §3 *one list item*: a directive over what it acts on (`– 4 классы;`, bodies on plain lines, times) is one
    /// task; `Предложить …:` over its sub-items is not.
    @Test func objectsListedUnderADirective() {
        let found = Self.tasks(["ПРИКАЗ", "от 15.11.2025 № 234", "ПРИКАЗЫВАЮ:",
                                "1. Провести ВПР в следующих классах:", "– 4 классы;", "– 5 классы.",
                                "2. Обеспечить подвоз обучающихся в следующие школы:", "МБОУ «Ерахтурская средняя школа»,", "МБОУ «Кирицкая основная школа».",
                                "Срок: до 01.12.2025.",
                                "3. Классным руководителям провести инструктажи по технике безопасности:", "- перед осенними каникулами;", "- перед зимними каникулами.",
                                "4. Предложить ФГБОУ ВО «Энский государственный университет»:", "4.1. Организацию целевого обучения выпускников;",
                                "4.2. Направление студентов на практику."])
        #expect(found.map(\.number) == ["1.", "2.", "3.", "4.1.", "4.2."], "\(found.map(\.text))")
        #expect(found[1].deadline?.deadline == .date("2025-12-01"))
        #expect(found[2].level == .school)
    }

    /// Spec §2 *a letterhead*: an official addressed above the heading — beside the letterhead, `Главе …`, `И.о.
    /// начальника …` — acts for the items that name nobody; `в установленный законом месячный срок`.
    @Test func officialsAddressedAboveTheHeading() {
        for (address, level) in [("ПРОКУРАТУРА РОССИЙСКОЙ ФЕДЕРАЦИИ          Директору МБОУ «Краснохолмская", TaskLevel.school),
                                 ("Главе Шиловского муниципального района", .municipal),
                                 ("И.о. начальника управления образования администрации Шиловского муниципального района", .municipal)] {
            let found = Self.tasks([address, "ПРОКУРАТУРА ОРЕНБУРГСКОЙ ОБЛАСТИ          средняя общеобразовательная школа»", "Петровой Н.В.", "ул. Ленина, д. 5",
                                    "03.10.2025 № 21-2025/Прдп-55-25", "", "ПРЕДСТАВЛЕНИЕ", "об устранении нарушений законодательства", "",
                                    "ТРЕБУЮ:", "1. Принять меры по устранению нарушений.",
                                    "2. О результатах сообщить в прокуратуру района в установленный законом месячный срок."])
            #expect(found.map(\.level) == [level, level], "\(address)")
            #expect(found.last?.deadline?.deadline == .date("2025-11-03"))
        }
    }

    /// Spec §4 *at once*: a duty about cases in other words is standing; the adjective reads as the adverb.
    @Test func atOnceForCasesInOtherWords() {
        let found = Self.tasks(["ПРИКАЗ", "от 15.11.2025 № 234", "ПРИКАЗЫВАЮ:",
                                "1. Руководителям ОО незамедлительно информировать управление о всех случаях жестокого обращения.",
                                "2. Руководителям ОО обеспечить незамедлительное информирование о фактах самовольного ухода обучающихся.",
                                "3. Руководителям ОО незамедлительно устранить нарушения."])
        #expect(found.map { $0.deadline?.deadline } == [.recurring(every: "continuous"), .recurring(every: "continuous"), .date("2025-11-15")])
    }

    /// Spec §3 *abbreviations the document defines*: words in turn after bodies in the accusative, and without
    /// `соответственно`.
    @Test func termsInTurnInOtherForms() {
        let accusative = Self.tasks(["ПРИКАЗ", "от 12.09.2025 № 455", "ПРИКАЗЫВАЮ:",
                                     "1. Возложить организацию мониторинга на Государственное автономное учреждение Энской области «Центр оценки качества» и Муниципальное казённое учреждение «Управление образования Энского района» (далее соответственно – Центр, Управление).",
                                     "2. Центру обеспечить сбор данных до 15.11.2025.", "3. Управлению обеспечить информирование школ до 20.11.2025."])
        #expect(accusative.filter { $0.text.hasPrefix("Центру") || $0.text.hasPrefix("Управлению") }.map(\.level) == [.regional, .municipal])
    }

    /// Spec §3 *Tables*: a `Срок` cell listed `1) … 2) …` that does not match the row's items gives the last date.
    @Test func listedDeadlinesThatDoNotMatchTheItems() throws {
        let rows = [["№", "Мероприятие", "Срок", "Ответственный"],
                    ["1", "Провести тренировочное собеседование\nПроанализировать результаты", "1) 20.11.2025 2) 28.11.2025", "Заместитель директора"],
                    ["2", "1) Провести собеседование;\n2) Проанализировать результаты;\n3) Подготовить справку.", "1) до 20.11.2025; 2) до 28.11.2025", "Заместитель директора"]]
        let found = try Self.docxTasks(["ПЛАН", "мероприятий по подготовке к ГИА-2026 от 10.11.2025"], rows)
        #expect(found.map { $0.deadline?.deadline } == [.date("2025-11-28"), .date("2025-11-28"), .date("2025-11-28"), .date("2025-11-28")], "\(found.map(\.text))")
    }

    /// Spec §3 *Tables*: an `Ответственный` cell listed `1) … 2) …` like the work cell gives each item its own person;
    /// one not listed so, or listed to another count, names every item's.
    @Test func responsiblesListedLikeTheItems() throws {
        let rows = [["№", "Мероприятие", "Срок", "Ответственный"],
                    ["1", "1) Провести собеседование;\n2) Подготовить справку.", "1) до 20.11.2025; 2) до 28.11.2025", "1) Иванова И.И.;\n2) Петрова П.П."],
                    ["2", "1) Провести педсовет;\n2) Обновить сайт.", "до 01.12.2025", "Иванова И.И., Петрова П.П."],
                    ["3", "1) Провести анкетирование;\n2) Обобщить итоги.", "до 10.12.2025", "1) Сидорова С.С. 2) Иванова И.И. 3) Петрова П.П."]]
        let found = try Self.docxTasks(["ПЛАН", "мероприятий по подготовке к ГИА-2026 от 10.11.2025"], rows)
        #expect(found.map(\.responsible) == [["Иванова И.И."], ["Петрова П.П."], ["Иванова И.И.", "Петрова П.П."], ["Иванова И.И.", "Петрова П.П."],
                                             ["Сидорова С.С.", "Иванова И.И.", "Петрова П.П."], ["Сидорова С.С.", "Иванова И.И.", "Петрова П.П."]],
                "\(found.map(\.responsible))")
    }

    /// Spec §3 *one list item*: bodies listed under a directive, each with its own deadline after a dash, are a task each
    /// (the directive with the body, the item's number, the body as addressee); the same date for all keeps one task, and
    /// so do subjects or stages with their dates (due at the last, §4 *named stages*).
    @Test func objectsListedWithDeadlinesOfTheirOwn() {
        let found = Self.tasks(["ПРИКАЗ", "от 12.03.2025 № 45", "ПРИКАЗЫВАЮ:",
                                "1. Руководителям ОО представить паспорта кабинетов в отдел образования:",
                                "– МБОУ СОШ № 3 – до 01.06.2025;", "– МБОУ «Гимназия № 1» – в срок до 10.06.2025;", "— МБОУ ООШ с. Ивановка — 15.06.2025.",
                                "2. Заместителям директора провести пробные экзамены:", "- математика – 10.12.2025;", "- обществознание – в течение декабря.",
                                "3. Представить отчёты:", "– МБОУ СОШ № 3 – до 01.06.2025;", "– МБОУ СОШ № 5 – до 01.06.2025.",
                                "4. Провести выездные проверки организации питания:", "– МБОУ «Кировская СОШ» – сентябрь 2025 г.;", "– МБОУ «Луговская ООШ» – октябрь 2025 г.",
                                "5. Руководителям ОО представить отчёты об олимпиаде:", "– по школьному этапу – до 05.11.2025;", "– по муниципальному этапу – до 20.12.2025."])
        #expect(found.map(\.number) == ["1.", "1.", "1.", "2.", "3.", "4.", "4.", "5."], "\(found.map(\.text))")
        #expect(found[1].text == "Руководителям ОО представить паспорта кабинетов в отдел образования: МБОУ «Гимназия № 1» – в срок до 10.06.2025")
        #expect(found.map { $0.deadline?.deadline } == [.date("2025-06-01"), .date("2025-06-10"), .date("2025-06-15"),
                                                         .period(from: "2025-12-01", to: "2025-12-31"), .date("2025-06-01"),
                                                         .period(from: "2025-09-01", to: "2025-09-30"), .period(from: "2025-10-01", to: "2025-10-31"),
                                                         .date("2025-12-20")])
        #expect(found.map(\.addressees) == [["МБОУ СОШ № 3"], ["МБОУ «Гимназия № 1»"], ["МБОУ ООШ с. Ивановка"], ["Заместителям директора"], [],
                                            ["МБОУ «Кировская СОШ»"], ["МБОУ «Луговская ООШ»"], ["Руководителям ОО"]], "\(found.map(\.addressees))")
        #expect(found.prefix(4).allSatisfy { $0.level == .school })
    }

    /// Spec §3: the document's coming into force and repealed points in other words, and `Контроль возложить на …`,
    /// are no tasks; work that names `утратившим силу` in its sentence still is.
    @Test func comingIntoForceAndRepealInOtherWords() {
        let found = Self.tasks(["ПРИКАЗ", "от 26.08.2025 № 5", "ПРИКАЗЫВАЮ:", "1. Руководителям ОО обеспечить исполнение Порядка.",
                                "2. Приказ вступает в силу с момента подписания.", "3. Данное распоряжение вступает в силу со дня его подписания.",
                                "4. Изменения, внесённые настоящим приказом, вступают в силу с 01.09.2025.",
                                "5. Пункт 2 утратил силу с 1 января 2025 г. - Постановление Администрации от 21.12.2024 N 356.",
                                "6. Исключен. - Постановление Администрации от 21.12.2024 N 356.", "7. Контроль возложить на заместителя начальника Иванову И.И.",
                                "8. Методисту Петровой А.А. подготовить перечень актов, признанных утратившими силу, до 01.10.2025."])
        #expect(found.map(\.number) == ["1.", "8."], "\(found.map(\.text))")
    }

    /// Spec §2, §3: `Министерство … просит:` names the sender, not who acts; the address block (typed beside the number with
    /// tabs) does; `работ в августе 2025 года` is a deadline (`от` ending a word is no `от` of a date).
    @Test func theSenderAsksTheAddressBlock() {
        let found = Self.tasks(["МИНИСТЕРСТВО ОБРАЗОВАНИЯ КИРОВСКОЙ ОБЛАСТИ", "",
                                "17.02.2025 № 01-26/1134\t\t\tРуководителям органов местного", "На № ___ от ___\t\t\t\tсамоуправления, осуществляющих",
                                "\t\t\t\t\tуправление в сфере образования", "", "О ремонте школ", "", "Министерство образования Кировской области просит:",
                                "1. Назначить ответственных за ремонт в срок до 25.02.2025.", "2. Обеспечить завершение ремонтных работ в августе 2025 года."])
        #expect(found.map(\.level) == [.municipal, .municipal], "\(found.map(\.addressees))")
        #expect(found.allSatisfy { $0.addressees == ["Руководителям органов местного самоуправления, осуществляющих управление в сфере образования"] })
        #expect(found.last?.deadline?.deadline == .period(from: "2025-08-01", to: "2025-08-31"))
    }

    /// Spec §1, §2: stamps typed side by side (`СОГЛАСОВАНО … УТВЕРЖДАЮ`) are read column by column: the school's head
    /// approves, so the plan's rows are the school's, not the agreeing department's.
    @Test func stampsSideBySideAreReadByColumn() {
        let found = Self.tasks(["СОГЛАСОВАНО                              УТВЕРЖДАЮ",
                                "Начальник управления образования         Директор МБОУ «СОШ № 3»",
                                "администрации города Энска               ___________ О.В. Кузнецова",
                                "___________ Л.М. Ершова                  Приказ от 29.08.2025 № 187", "29.08.2025", "", "ПЛАН",
                                "работы по профилактике правонарушений на 2025/2026 учебный год", "",
                                "1. Сверка списков обучающихся, состоящих на учёте.", "Срок: сентябрь 2025 г.",
                                "2. Заседания Совета профилактики.", "Срок: ежемесячно"])
        #expect(found.map(\.level) == [.school, .school], "\(found.map(\.text))")
    }

    /// Spec §3: in a plan, a numbered section title over its own rows is no task even with a `Срок:` line; a row marked
    /// `Утратил силу.` is none though it has one; the stamp's `И.о. директора …` signs and is nobody's addressee.
    @Test func planSectionsRepealedRowsAndStampLines() {
        let found = Self.tasks(["УТВЕРЖДАЮ", "И.о. директора КОГОБУ СШ пгт Нема", "___________ А.А. Петров", "01.09.2025", "",
                                "ПЛАН", "работы школы по подготовке к ГИА на 2025/2026 учебный год", "",
                                "1. Организационно-методическая работа", "Срок: в течение учебного года",
                                "1.1. Изучение нормативных документов по ГИА-2026 на заседаниях ШМО.", "Срок: сентябрь – октябрь 2025 г.",
                                "1.2. Утратил силу.", "Срок: январь 2026 г.",
                                "2. Работа с родителями", "Срок: в течение учебного года",
                                "2.1. Родительские собрания по вопросам ГИА.", "Срок: октябрь 2025 г."])
        #expect(found.map(\.number) == ["1.1.", "2.1."], "\(found.map(\.text))")
        #expect(found.allSatisfy { $0.addressees.isEmpty && $0.level == .school })
    }

    /// Attack on part 14's rules, spec §3: a `Срок:` line does not make a task of what an approval lists, of notes, or
    /// of what a heading telling in the past introduces; what the document would do itself with a time of its own is work.
    @Test func aTimeOfItsOwnDoesNotMakeATaskOfWhatIsApprovedOrNoted() {
        let found = Self.tasks(["ПРИКАЗ", "05.09.2025 № 201", "ПРИКАЗЫВАЮ:",
                                "1. Утвердить график проведения школьного этапа олимпиады:", "1.1. Русский язык, литература", "Срок: 23.09.2025",
                                "1.2. Математика", "Срок: 30.09.2025",
                                "2. Руководителям общеобразовательных организаций обеспечить проведение школьного этапа.",
                                "Примечание:", "1. Мониторинг по математике проводится на втором уроке", "Срок: 10.03.2026"])
        #expect(found.map(\.number) == ["2."], "\(found.map(\.text))")
        let plan = Self.tasks(["РЕШЕНИЕ", "конференции", "26 августа 2025 года", "РЕШИЛИ:", "1. Утвердить план мероприятий по развитию наставничества.",
                               "Срок: до 01.10.2025"])
        #expect(plan.map(\.number) == ["1."], "\(plan.map(\.text))")
    }

    /// Attack on part 14's rules, spec §2 *a chat export*: a letter's schedule of webinars is no channel; a post starts
    /// after a blank line; pictographs before a post's words are not read; a move skips the date it strikes out and
    /// names a post by its day.
    @Test func channelsLettersAndMoves() {
        let letter = Self.tasks(["МИНИСТЕРСТВО ОБРАЗОВАНИЯ И НАУКИ КУРГАНСКОЙ ОБЛАСТИ", "10.11.2025 № 1234", "",
                                 "Руководителям органов местного самоуправления, осуществляющих управление в сфере образования", "",
                                 "О проведении вебинаров", "", "Министерство просит:", "1. Обеспечить участие учителей в вебинарах.",
                                 "2. Направить списки участников до 14.11.2025.", "", "График вебинаров:",
                                 "17 ноября 2025, 15:00", "Критерии оценивания итогового сочинения", "18 ноября 2025, 15:00", "Типичные ошибки",
                                 "19 ноября 2025, 15:00", "Работа с черновиком"])
        #expect(letter.map(\.number) == ["1.", "2."], "\(letter.map(\.text))")
        let channel = Self.tasks(["Управление образования Администрации города Кургана", "Официальный канал для руководителей образовательных организаций города", "",
                                  "10 ноября 2025, 09:00", "❗️ В срок до 12.11 направить сведения о педагогах по прилагаемой форме.", "👁 2 100", "",
                                  "12 ноября 2025, 14:20", "Коллеги, по итогам совещания:", "1. Назначить ответственных за проведение сочинения до 17.11.",
                                  "2. Направить сведения о численности обучающихся до 20.11.", "👁 1 205", "",
                                  "13 ноября 2025, 09:10", "Коллеги, по итогам вебинара:", "1. Ознакомить педагогов с рекомендациями до 19.11.",
                                  "2. Обновить рабочие программы до 21.11.", "👁 1 011", "",
                                  "14 ноября 2025, 10:12", "Уточнение по п. 2 поста от 12 ноября: срок продлевается — вместо 20.11 сдаём 27.11.", "👁 876", "",
                                  "15 ноября 2025, 11:05", "ПЕРЕНОС: срок по рабочим программам переносится не на 25.11, а на 28.11.", "👁 801"])
        func deadline(_ starts: String) -> Deadline? { channel.first { $0.text.hasPrefix(starts) }?.deadline?.deadline }
        #expect(deadline("В срок до 12.11 направить") == .date("2025-11-12"), "\(channel.map(\.text))")
        #expect(deadline("Направить сведения о численности") == .date("2025-11-27"))
        #expect(deadline("Обновить рабочие программы") == .date("2025-11-28"))
        let post = Self.tasks(["Министерство образования Оренбургской области", "Официальный канал для специалистов муниципальных органов управления образованием", "",
                               "11.11.2025 10:30", "Коллеги, прошу обеспечить участие координаторов в вебинаре, который состоится", "20 ноября 2025, 15:00", "👁 1 530", "",
                               "16.11.2025 10:00", "Коллеги, прошу проверить заполнение ФИС ФРДО до 28.11.", "👁 500", "",
                               "17.11.2025 10:00", "Коллеги, прошу обновить сведения на сайтах до 29.11.", "👁 500"])
        #expect(post.first?.deadline?.deadline == .date("2025-11-20"), "\(post.map(\.text))")
    }

    /// Attack on part 14's rules: a past `Срок:` line gives way to a time to come, not to a bare day that dates something
    /// else; an okrug's body in a federal city is municipal; heads of state schools act at the school level; a plan's
    /// `22-го` is its month's day and a bulleted holidays line is the calendar.
    @Test func pastLinesFederalCitiesAndPlanDays() {
        let minutes = Self.tasks(["ПРОТОКОЛ № 2", "заседания методического совета", "28.01.2026", "РЕШИЛИ:",
                                  "1. Классным руководителям провести родительские собрания, посвящённые итогам полугодия, проведённым 25 января.",
                                  "Срок: до 25.01.2026", "2. Педагогу-психологу провести тренинги для выпускников в феврале.", "Срок: до 20.01.2026"])
        #expect(minutes.map { $0.deadline?.deadline } == [.date("2026-01-25"), .period(from: "2026-02-01", to: "2026-02-28")], "\(minutes.map(\.text))")
        #expect(Levels.ofBody("Управлению образования Зеленоградского административного округа Департамента образования и науки города Москвы") == .municipal)
        #expect(Levels.ofBody("Руководителям государственных образовательных учреждений, находящихся в ведении Комитета по образованию") == .school)
        #expect(Levels.ofBody("Государственному бюджетному учреждению дополнительного профессионального педагогического образования") == .regional)
        let plan = Self.tasks(["ПЛАН", "воспитательной работы школы на 2025/2026 учебный год", "", "МАЙ",
                               "1. Последний звонок – 22-го – заместитель директора по ВР", "", "НОЯБРЬ",
                               "- Осенние каникулы – с 27.10.2025 по 04.11.2025", "- Первенство школы по пионерболу – до 15-го – учитель физической культуры"])
        #expect(plan.map { $0.deadline?.deadline } == [.date("2026-05-22"), .date("2025-11-15")], "\(plan.map(\.text))")
    }

    /// Attack on part 14's rules, spec §3: a letter telling what was done lists no tasks; `3. Разное.` is a question, and
    /// `Решили: 3.1. …` in mixed case ends before its item.
    @Test func whatWasDoneAndMixedCaseFormulas() {
        let letter = ResolutionReader.parse(text: ["МУНИЦИПАЛЬНОЕ БЮДЖЕТНОЕ ОБЩЕОБРАЗОВАТЕЛЬНОЕ УЧРЕЖДЕНИЕ", "«СРЕДНЯЯ ОБЩЕОБРАЗОВАТЕЛЬНАЯ ШКОЛА № 12»", "",
                                                   "20.10.2025 № 214", "", "Начальнику управления образования", "администрации г. Шадринска", "",
                                                   "Об исполнении плана мероприятий месячника безопасности", "",
                                                   "МБОУ «СОШ № 12» информирует о выполнении плана. В рамках месячника проведены следующие мероприятия:", "",
                                                   "1. Учебная эвакуация обучающихся и работников школы", "Срок: 05.09.2025", "",
                                                   "2. Единый классный час «Безопасная дорога»", "Срок: до 15.09.2025"].joined(separator: "\n"))
        #expect(letter.tasks.isEmpty, "\(letter.tasks.map(\.text))")
        let minutes = Self.tasks(["ПРОТОКОЛ № 5", "заседания педагогического совета", "", "26.03.2026", "", "1. СЛУШАЛИ: Смирнову Е.В.", "РЕШИЛИ:",
                                  "1.1. Классным руководителям провести собрания до 01.04.2026.", "", "3. Разное.",
                                  "Слушали: Петрову А.А. о проведении субботника.", "Решили: 3.1. Завхозу обеспечить инвентарём до 20.04.2026."])
        #expect(minutes.map(\.number) == ["1.1.", "3.1."], "\(minutes.map(\.text))")
    }

    /// Attack on part 14's rules: a date-and-number line under the heading ends its block before a lower-case formula
    /// (`коллегия РЕШИЛА:`); an abbreviation's quoted name leads with it (`МБУ «Районный методический кабинет»`); a range
    /// of months without a year is a period.
    @Test func aDateLineAQuotedBodyAndAYearlessRangeOfMonths() {
        let found = ResolutionReader.parse(text: ["РЕШЕНИЕ", "коллегии управления образования администрации Белгородского района", "",
                                                  "23.01.2026 № 1", "", "коллегия РЕШИЛА:", "",
                                                  "1. МБУ «Районный методический кабинет» провести семинар в феврале – марте."].joined(separator: "\n"))
        #expect(found.document.date == "2026-01-23")
        #expect(found.tasks.first?.addressees == ["МБУ «Районный методический кабинет»"], "\(found.tasks.map(\.addressees))")
        #expect(found.tasks.first?.deadline?.deadline == .period(from: "2026-02-01", to: "2026-03-31"))
    }

    /// Attack on part 15's rules, spec §3: a decision about pupils that assigns work besides, and people each given work,
    /// are tasks; a year's `г.` ends the notice before a request; a post's numbered nouns with their time after a dash
    /// are tasks; a conference's `РЕКОМЕНДАЦИИ` with dates are no method text; a quotation whose closing mark is a name's.
    @Test func pupilsPeopleNoticesPostsAndQuotations() {
        let council = Self.tasks(["ПРОТОКОЛ № 9", "заседания педагогического совета", "25.05.2026", "РЕШИЛИ:",
                                  "1. Допустить к государственной итоговой аттестации обучающихся 9-х классов; классным руководителям ознакомить родителей с решением под подпись до 27.05.2026.",
                                  "2. Левченко Ирина Александровна – подготовить сводный протокол до 15.06.2026."])
        #expect(council.map { $0.deadline?.deadline } == [.date("2026-05-27"), .date("2026-06-15")], "\(council.map(\.text))")
        let letter = ResolutionReader.parse(text: ["ОТДЕЛ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ РАЙОНА", "12.11.2025 № 01-15/1102", "", "Руководителям общеобразовательных организаций", "",
                                                   "О проведении мониторинга", "", "Уважаемые руководители!", "",
                                                   "Дополнительно сообщаем, что вебинар по заполнению формы мониторинга пройдёт 19 ноября 2025 г. Рекомендуем обеспечить участие ответственных в вебинаре."].joined(separator: "\n"))
        #expect(letter.tasks.map { $0.deadline?.deadline } == [.date("2025-11-19")], "\(letter.tasks.map(\.text))")
        let conference = Self.tasks(["РЕКОМЕНДАЦИИ", "августовского совещания педагогических работников округа", "28 августа 2025 года", "",
                                     "Руководителям общеобразовательных организаций рекомендуется обеспечить охват педагогов курсами до 31 декабря 2025 года."])
        #expect(conference.count == 1)
        let order = Self.tasks(["ПРИКАЗ", "01.12.2025 № 40", "В соответствии с решением коллегии министерства от 30.10.2025, которым поручено:",
                                "«1. Органам местного самоуправления обеспечить работу служб медиации.", "2. Руководителям ОО назначить кураторов служб медиации.",
                                "3. Организовать обучение кураторов на базе ГАУ ДПО «ИРО»,", "ПРИКАЗЫВАЮ:", "1. Руководителям ОО представить планы до 20.12.2025."])
        #expect(order.map(\.number) == ["1."], "\(order.map(\.text))")
    }

    /// Attack on part 15's rules, spec §4: `провести` before a bound or a reference day dates nothing; months named with
    /// their years as one span, not a period reported on; rounds after their first day; `В течение Недели` before the
    /// first day of an appended plan heads its events.
    @Test func boundsSpansRoundsAndAWeeksHeading() {
        let ref = "2025-10-01"
        #expect(DeadlineParser.find(in: "Руководителям ОО провести после 15 декабря 2025 г. анализ результатов.", referenceDate: ref) == nil)
        #expect(DeadlineParser.find(in: "МКУ «ИМЦ» провести по состоянию на 1 декабря 2025 г. сверку списков.", referenceDate: ref) == nil)
        #expect(DeadlineParser.find(in: "Провести коррекционную работу – декабрь 2025 г. – февраль 2026 г.", referenceDate: ref)?.deadline
            == .period(from: "2025-12-01", to: "2026-02-28"))
        #expect(DeadlineParser.find(in: "Представить сведения за период декабрь 2025 года – февраль 2026 года.", referenceDate: ref) == nil)
        #expect(DeadlineParser.find(in: "Руководителям ОО с 09.02.2026 еженедельно по пятницам направлять сведения.", referenceDate: ref)?.deadline
            == .recurring(every: "week"))
        let plan = Self.tasks(["ПРИКАЗ", "02.03.2026 № 58", "ПРИКАЗЫВАЮ:", "1. Провести с 16 по 20 марта 2026 года районную Неделю финансовой грамотности.",
                               "2. Утвердить план проведения Недели (приложение 1).", "", "Приложение 1", "к приказу от 02.03.2026 № 58", "", "ПЛАН",
                               "проведения районной Недели финансовой грамотности", "", "В течение Недели",
                               "1. Оформление информационных стендов в ОО – классные руководители.",
                               "16 марта 2026 года (понедельник) – День семейного бюджета", "2. Классные часы «Бюджет моей семьи» – классные руководители."])
        #expect(plan.map { $0.deadline?.deadline } == [.period(from: "2026-03-16", to: "2026-03-20"), .period(from: "2026-03-16", to: "2026-03-20"), .date("2026-03-16")],
                "\(plan.map(\.text))")
    }

    /// Attack on part 15's second round, spec §3, §4: measures a request lists are what to report; a plan not titled ПЛАН; a
    /// row's range with spaced dashes, its term, its own date under a frequency, a programme's hours; weeks in words.
    @Test func measuresAskedForPlansByOtherNamesAndRowsPieces() {
        let letter = Self.tasks(["ОТДЕЛ ОБРАЗОВАНИЯ", "29.09.2025 № 12", "Руководителям ОО", "", "О представлении сведений", "",
                                 "Прошу в срок до 03.10.2025 направить на адрес отдела следующие сведения:",
                                 "1. Количество обучающихся 1–11 классов;", "2. Число обучающихся, охваченных горячим питанием."])
        #expect(letter.count == 2 && letter.allSatisfy { $0.deadline?.deadline == .date("2025-10-03") }, "\(letter.map(\.text))")
        let roadmap = Self.tasks(["МБОУ «СОШ № 3»", "", "УТВЕРЖДАЮ", "Директор ____ А.П. Зорин", "01.09.2025", "", "ДОРОЖНАЯ КАРТА",
                                  "подготовки к государственной итоговой аттестации в 2026 году", "", "I. ЕЖЕЧЕТВЕРТНО",
                                  "1. Педсовет по итогам четверти – классные руководители.", "2. Пробное собеседование – 21.11.2025 – учителя русского языка.", "",
                                  "II. Мероприятия", "1. Школьный этап ВсОШ – сентябрь – октябрь 2025 г. – руководители ОО.",
                                  "2. Открытие семинара – 10.00–10.10 – директор.", "3. Методический день – третья неделя марта – заместитель директора."])
        #expect(roadmap.filter { !$0.text.hasPrefix("Открытие") }.map { $0.deadline?.deadline }
                    == [.recurring(every: "quarter"), .date("2025-11-21"), .period(from: "2025-09-01", to: "2025-10-31"), .period(from: "2026-03-15", to: "2026-03-21")],
                "\(roadmap.map(\.text))")
        #expect(roadmap.first { $0.text.hasPrefix("Открытие") }?.deadline == nil)
    }

    /// Attack on part 15's second round, spec §1: dash bullets under a plan's month or a циклограмма's section are items,
    /// not the heading's words going on.
    @Test func dashBulletsUnderAMonthOrASection() {
        let plan = Self.tasks(["ПЛАН", "работы с родителями на 2025/2026 учебный год", "", "Сентябрь", "- общешкольное родительское собрание;",
                               "- заседание родительского комитета;", "Октябрь", "- день открытых дверей."])
        #expect(plan.map { $0.deadline?.deadline } == [.period(from: "2025-09-01", to: "2025-09-30"), .period(from: "2025-09-01", to: "2025-09-30"),
                                                       .period(from: "2025-10-01", to: "2025-10-31")], "\(plan.map(\.text))")
        let cyclogram = Self.tasks(["ЦИКЛОГРАММА", "деятельности заведующего на 2025/2026 учебный год", "", "I. ЕЖЕДНЕВНО",
                                    "- контроль посещаемости воспитанников;", "- контроль организации питания;"])
        #expect(cyclogram.map { $0.deadline?.deadline } == [.recurring(every: "continuous"), .recurring(every: "continuous")], "\(cyclogram.map(\.text))")
    }

    /// Attack on part 15's rules, left over and mended in part 16, spec §1–§4: a циклограмма's weekday sections; the
    /// clause of a paragraph setting two events; `в течение декады` in lower case; a range's start without its year; a list
    /// of participants with birth dates; a letter to one school's `И.о. директора` beside its letterhead.
    @Test func weekdaysTwoEventsYearlessStartsParticipantsAndAnActingHead() throws {
        let cyclogram = Self.tasks(["ЦИКЛОГРАММА", "работы старшего воспитателя на неделю", "", "I. ПОНЕДЕЛЬНИК", "1. Планёрка с воспитателями – 8.30.",
                                    "2. Проверка календарных планов – в течение дня.", "II. СРЕДА", "3. Консультации для воспитателей – 13.30.",
                                    "III. ЕЖЕМЕСЯЧНО", "4. Педагогический час – последний четверг месяца."])
        #expect(cyclogram.map { $0.deadline?.deadline } == [.recurring(every: "week"), .recurring(every: "week"), .recurring(every: "week"),
                                                            .recurring(every: "month")], "\(cyclogram.map(\.text))")
        let order = Self.tasks(["ПРИКАЗ", "17.11.2025 № 301", "ПРИКАЗЫВАЮ:",
                                "1. Провести с 1 по 10 декабря 2025 года районную Декаду науки, с 15 по 19 декабря 2025 года – Неделю русского языка.",
                                "2. Утвердить план мероприятий (приложение).", "", "Приложение", "к приказу от 17.11.2025 № 301", "", "ПЛАН",
                                "мероприятий Недели русского языка и Декады науки", "", "В течение Недели", "1. Конкурс каллиграфии – учителя начальных классов.",
                                "2. Выставка проектов – в течение декады – учителя физики."])
        #expect(order.dropFirst().map { $0.deadline?.deadline } == [.period(from: "2025-12-15", to: "2025-12-19"), .period(from: "2025-12-01", to: "2025-12-10")],
                "\(order.map(\.text))")
        let ref = "2025-12-19"
        #expect(DeadlineParser.find(in: "Руководителям ОО организовать работу кружков с 15.12 по 30.12.2025.", referenceDate: ref)?.deadline
            == .period(from: "2025-12-15", to: "2025-12-30"))
        #expect(DeadlineParser.find(in: "Провести анализ участия в олимпиаде в период 04.12 – 10.01.2026.", referenceDate: ref)?.deadline
            == .period(from: "2025-12-04", to: "2026-01-10"))
        #expect(DeadlineParser.find(in: "Представить сведения за период 01.09 – 30.11.2026.", referenceDate: ref)?.deadline
            != .period(from: "2026-09-01", to: "2026-11-30"))
        let participants = Self.tasks(["ПРИКАЗ", "12.01.2026 № 14", "ПРИКАЗЫВАЮ:", "1. Руководителям ОО обеспечить сопровождение участников.", "",
                                       "Приложение", "к приказу от 12.01.2026 № 14", "", "Список участников регионального этапа",
                                       "№\tФИО участника\tДата рождения\tНаименование ОО", "1\tАндреев Илья Сергеевич\t14.03.2009\tМОУ «СОШ № 3»",
                                       "2\tБелова Анна Игоревна\t02.11.2008\tМОУ «СОШ № 4»"])
        #expect(participants.count == 1, "\(participants.map(\.text))")
        let letter = try Self.docxTasks([], [["ОТДЕЛ ОБРАЗОВАНИЯ\n12.11.2025 № 01-15/1102\nО проведении мониторинга",
                                              "И.о. директора МБОУ «Шиловская СОШ № 1»\nМорозовой Е.В."]],
                                        after: ["Уважаемая Елена Викторовна!", "Просим в срок до 25.11.2025 заполнить форму мониторинга."])
        #expect(letter.count == 1 && letter.allSatisfy { $0.level == .school }, "\(letter.map { ($0.text, $0.level) })")
    }

    /// Attack on part 16's rules, spec §1–§4: a Дата table with holidays' rows; hours in a Время column; a period reported on;
    /// weekday sections in a plan of one week and unnumbered in a циклограмма; a weekday of every month; a holidays' list in
    /// a month; `в течение Недели` in running text; a plan's sentence under a stamp.
    @Test func holidaysRowsHoursReportedPeriodsWeekdaysAndANamedWeek() {
        let plan = Self.tasks(["УТВЕРЖДАЮ", "Директор МБОУ «СОШ № 8»", "Приказ от 29.08.2025 № 160", "", "ПЛАН",
                               "воспитательной работы МБОУ «СОШ № 8» на 2025/2026 учебный год", "", "Учебный год начинается 01.09.2025 и заканчивается 31.08.2026.", "",
                               "Дата\tМероприятие\tОтветственный", "01.09.2025\tТоржественная линейка\tЗаместитель директора по ВР",
                               "27.10.2025 – 04.11.2025\tОсенние каникулы\t", "05.10.2025\tДень учителя\t", "30.08\tПедсовет\tДиректор"])
        #expect(plan.map(\.text) == ["Торжественная линейка", "День учителя", "Педсовет"], "\(plan.map(\.text))")
        #expect(plan.last?.deadline?.deadline == .date("2025-08-30"))
        let day = Self.tasks(["ЦИКЛОГРАММА", "работы заместителя директора на 2025/2026 учебный год", "", "ПОНЕДЕЛЬНИК",
                              "Время\tСодержание работы\tОтветственный", "9.20–10.05\tПосещение уроков\tЗаместитель директора",
                              "первый вторник месяца\tСовещание при директоре\tДиректор", "", "ЕЖЕМЕСЯЧНО", "1. Мониторинг – до 5 числа – ИМЦ."])
        #expect(day.map { $0.deadline?.deadline } == [.recurring(every: "week"), .recurring(every: "month"), .recurring(every: "month")], "\(day.map(\.text))")
        let week = Self.tasks(["УТВЕРЖДАЮ", "Директор МБОУ «СОШ № 7»", "05.02.2026", "", "ПЛАН", "проведения Недели математики с 9 по 13 февраля 2026 года", "", "I. ПОНЕДЕЛЬНИК",
                               "1. Открытие Недели – учителя математики", "II. Вторник, 10 февраля", "2. Викторина – руководитель ШМО"])
        #expect(week.map { $0.deadline?.deadline } == [.date("2026-02-09"), .date("2026-02-10")], "\(week.map(\.text))")
        let month = Self.tasks(["ПЛАН", "воспитательной работы на 2025/2026 учебный год", "", "Сентябрь", "Знаменательные даты:",
                                "1. День знаний – 1 сентября", "Мероприятия:", "2. Совещание классных руководителей – первый вторник месяца – заместитель директора"])
        #expect(month.map { $0.deadline?.deadline } == [.date("2025-09-02")], "\(month.map(\.text))")
        let order = Self.tasks(["ПРИКАЗ", "02.03.2026 № 58", "ПРИКАЗЫВАЮ:", "1. Провести с 16 по 20 марта 2026 года Неделю финансовой грамотности.",
                                "2. Руководителям ОО провести классные часы в течение Недели.",
                                "3. Руководителям ОО сведения о проведённых в период с 1 по 20 декабря 2025 года собраниях представить до 24.03.2026."])
        #expect(order.dropFirst().map { $0.deadline?.deadline } == [.period(from: "2026-03-16", to: "2026-03-20"), .date("2026-03-24")], "\(order.map(\.text))")
        #expect(Levels.ofBody("Муниципальной психолого-медико-педагогической комиссии") == .municipal)
        #expect(Levels.ofBody("Городской ПМПК") == .municipal)
    }

    /// Part 16's attack leftovers, spec §3–§4: stages the document dates, named in a task's `Срок:`; `в течение декады` in
    /// running text after an addressee; a city ПМПК addressed; a municipal report's plans; a camp's daily routine.
    @Test func datedStagesADecadeACommissionAMunicipalReportAndADailyRoutine() {
        let order = Self.tasks(["ПРИКАЗ", "12.01.2026 № 14", "ПРИКАЗЫВАЮ:",
                                "1. Провести конкурс в три этапа: заочный этап – с 20 января по 10 февраля 2026 года, очный этап – с 16 по 20 февраля 2026 года, финальный этап – 27 февраля 2026 года.",
                                "2. Информационно-методическому центру обеспечить экспертизу материалов.", "Срок: в период заочного этапа.",
                                "3. Руководителям ОО направить заявки участников.", "Срок: до начала заочного этапа.",
                                "4. Отделу образования в течение декады провести совещание с руководителями.",
                                "5. Городской ПМПК провести обследование детей.", "Срок: в течение очного этапа.",
                                "6. Жюри подвести итоги по окончании финального этапа."])
        #expect(order.dropFirst().map { $0.deadline?.deadline } == [.period(from: "2026-01-20", to: "2026-02-10"), .date("2026-01-20"), .date("2026-01-22"),
                                                                    .period(from: "2026-02-16", to: "2026-02-20"), .date("2026-02-27")], "\(order.map(\.text))")
        #expect(order.dropFirst(3).first?.addressees == ["Отделу образования"])
        #expect(order.dropFirst(4).first.map { ($0.addressees, $0.level) } ?? ([], .other) == (["Городской ПМПК"], .municipal))
        let undated = Self.tasks(["ПРИКАЗ", "12.01.2026 № 14", "ПРИКАЗЫВАЮ:", "1. Руководителям ОО направить заявки.", "Срок: в период заочного этапа."])
        #expect(undated.first?.deadline?.deadline == nil)
        let report = Self.tasks(["УПРАВЛЕНИЕ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ЭНСКОГО МУНИЦИПАЛЬНОГО ОКРУГА", "", "Министру образования Энской области",
                                 "Н.П. Сергеевой", "", "ИНФОРМАЦИЯ", "о выполнении плана мероприятий за I квартал 2026 года", "",
                                 "1. Проведено совещание с руководителями 15.01.2026.", "", "Задачи на II квартал 2026 года:",
                                 "1. Провести пробный ЕГЭ по русскому языку до 15.04.2026."])
        #expect(report.map(\.level) == [.municipal], "\(report.map { ($0.text, $0.level) })")
        let camp = Self.tasks(["МБОУ «СОШ № 4»", "ПРИКАЗ", "20.05.2026 № 88", "ПРИКАЗЫВАЮ:", "1. Начальнику лагеря укомплектовать отряды до 29.05.2026.",
                               "2. Утвердить режим дня лагеря (приложение 1).", "", "Приложение 1", "к приказу от 20.05.2026 № 88", "", "Режим дня лагеря", "",
                               "Время\tСодержание", "8.30–8.45\tСбор детей, зарядка", "13.00–14.00\tОбед", "14.30\tУход домой"])
        #expect(camp.map(\.text) == ["Начальнику лагеря укомплектовать отряды до 29.05.2026."], "\(camp.map(\.text))")
        let schedule = Self.tasks(["ПРИКАЗ", "02.03.2026 № 61", "ПРИКАЗЫВАЮ:", "1. Утвердить график проведения ВПР (приложение 1).",
                                   "2. Руководителям ОО обеспечить проведение ВПР в соответствии с графиком (приложение 1).", "", "Приложение 1",
                                   "к приказу от 02.03.2026 № 61", "", "График проведения ВПР", "", "1. Русский язык, 4 класс – 14.04.2026.",
                                   "2. Математика, 4 класс – 16.04.2026."])
        #expect(schedule.map { $0.deadline?.deadline } == [.period(from: "2026-04-14", to: "2026-04-16")], "\(schedule.map(\.text))")
    }

    /// Attack on part 17's rules, spec §2–§4: a school's казённое letterhead; ОУ and УДО; aims worded as infinitives;
    /// stages named in parentheses; a декада or месячник the order sets, in lower case; a week plan's heading days in other
    /// forms and its bare weekdays; a lead that tells a period and asks by a date; labelled deadlines in a title's
    /// parentheses; report rounds by halves; an hour's span and address; `п. 2.1`; a council's commission.
    @Test func casualLetterheadsAimsStagesWeeksAndLeads() {
        let school = Self.tasks(["МУНИЦИПАЛЬНОЕ КАЗЁННОЕ ОБЩЕОБРАЗОВАТЕЛЬНОЕ УЧРЕЖДЕНИЕ «СРЕДНЯЯ ОБЩЕОБРАЗОВАТЕЛЬНАЯ ШКОЛА № 3» С. ПОКРОВКА", "ПРИКАЗ",
                                 "01.09.2025 № 95", "ПРИКАЗЫВАЮ:", "1. Провести родительское собрание до 15.09.2025."])
        #expect(school.map(\.level) == [.school])
        #expect(Levels.ofBody("Руководителям ОУ") == .school && Levels.ofBody("Руководителям УДО") == .school)
        #expect(Levels.ofBody("Комиссии по социальной политике Совета депутатов") == .municipal)
        let aims = Self.tasks(["ПЛАН", "проведения методической недели 23–27 марта 2026 года", "", "Основные задачи методической недели:",
                               "1. Повысить уровень профессиональной компетентности педагогов.", "2. Обобщить опыт работы учителей.",
                               "Мероприятия недели:", "1. Открытие методической недели – 23 марта – заместитель директора."])
        #expect(aims.map(\.text) == ["Открытие методической недели – 23 марта – заместитель директора."], "\(aims.map(\.text))")
        let stages = Self.tasks(["ПРИКАЗ", "12.01.2026 № 35", "ПРИКАЗЫВАЮ:",
                                 "1. Провести конкурс: I (заочный) этап – с 20 января по 10 февраля 2026 года, II (очный) этап Конкурса – 27 февраля 2026 года.",
                                 "2. Институту в период заочного этапа организовать экспертизу.", "3. Институту в течение очного этапа обеспечить работу жюри."])
        #expect(stages.dropFirst().map { $0.deadline?.deadline } == [.period(from: "2026-01-20", to: "2026-02-10"), .period(from: "2026-02-27", to: "2026-02-27")],
                "\(stages.map(\.text))")
        let decade = Self.tasks(["ПРИКАЗ", "10.11.2025 № 402", "ПРИКАЗЫВАЮ:", "1. Провести городскую декаду математики с 1 по 10 декабря 2025 года.",
                                 "2. Руководителям ОО в течение декады провести открытые уроки.",
                                 "3. Руководителям ОО в течение декады со дня подписания настоящего приказа назначить ответственных."])
        #expect(decade.dropFirst().map { $0.deadline?.deadline } == [.period(from: "2025-12-01", to: "2025-12-10"), .date("2025-11-20")], "\(decade.map(\.text))")
        let week = Self.tasks(["УТВЕРЖДАЮ", "Директор МАОУ «Гимназия № 2»", "Приказ от 02.03.2026 № 77", "", "ПЛАН", "проведения недели начальной школы с 16 по 20 марта 2026 года", "",
                               "День недели\tМероприятие\tОтветственный", "Понедельник\tКонкурс чтецов\tУчителя 2-х классов",
                               "Среда\tМатематический марафон\tУчителя 3-х классов"])
        #expect(week.map { $0.deadline?.deadline } == [.date("2026-03-16"), .date("2026-03-18")], "\(week.map(\.text))")
        #expect(ResolutionReader.parse(text: "УТВЕРЖДАЮ\nДиректор МАОУ «Гимназия № 2»\nПриказ от 02.03.2026 № 77\n\nПЛАН\nпроведения недели с 16 по 20 марта 2026 года\n\n1. Конкурс чтецов – 16 марта – учителя.\n").document.date == "2026-03-02")
        let letter = Self.tasks(["МИНИСТЕРСТВО ОБРАЗОВАНИЯ ЭНСКОЙ ОБЛАСТИ", "12.11.2025 № 03-12/5800", "", "Руководителям органов местного самоуправления", "",
                                 "О мониторинге", "", "Уважаемые руководители!", "",
                                 "Министерство информирует о проведении в период с 1 по 12 декабря 2025 года мониторинга и просит в срок до 28 ноября 2025 г.:",
                                 "а) назначить муниципальных координаторов;", "б) обеспечить участие школ в мониторинге в установленный период."])
        #expect(letter.map { $0.deadline?.deadline } == [.date("2025-11-28"), .period(from: "2025-12-01", to: "2025-12-12")], "\(letter.map(\.text))")
        let order = Self.tasks(["ПРИКАЗ", "01.09.2025 № 312", "ПРИКАЗЫВАЮ:", "1. Руководителям ОО:", "1.1. принять заявки до 30 января 2026 года;",
                                "1.2. разместить информацию на сайтах в срок, указанный в п. 1.1;",
                                "1.3. направлять сведения не позднее 10 числа месяца, следующего за отчётным полугодием;",
                                "1.4. провести совещание 25 февраля 2026 г. с 9.00 до 13.00 в зале заседаний (2 этаж);",
                                "1.5. провести семинар 11 февраля 2026 года в 14:00 по адресу: г. Выкса, ул. Ленина, д. 15.",
                                "2. Руководителям ОО обеспечить выполнение мероприятий:",
                                "2.1. Организационная работа (срок – в течение 2025/2026 учебного года):", "2.1.1. Оформление информационных стендов;",
                                "3. Руководителям ОО обеспечить:", "3.1. ежемесячную сверку списков обучающихся."])
        let ref = Day(2025, 12, 10)
        #expect(DeadlineParser.find(in: "Представить отчёт за IV квартал 2025 года к 15 числу месяца, следующего за отчётным кварталом.", reference: ref)?.deadline
            == .date("2026-01-15"))
        #expect(DeadlineParser.find(in: "Представлять отчёт ежеквартально к 15 числу месяца, следующего за отчётным кварталом.", reference: ref)?.deadline
            == .recurring(every: "quarter"))
        #expect(DeadlineParser.find(in: "Обеспечить охват: 60 % – к концу 2026 года, 75 % – к концу 2027 года.", reference: ref)?.deadline
            == .staged([Stage(date: "2026-12-31", target: "60 %"), Stage(date: "2027-12-31", target: "75 %")]))
        #expect(Levels.ofBody("специалистов Центральной ПМПК Кировской области") == .regional)
        #expect(order.map { $0.deadline?.deadline } == [.date("2026-01-30"), .date("2026-01-30"), .recurring(every: "half-year"), .date("2026-02-25"),
                                                        .date("2026-02-11"), .period(from: "2025-09-01", to: "2026-08-31"), .recurring(every: "month")],
                "\(order.map(\.text))")
    }
    /// Part 18: a possibility's own time, a request pointing back to the event its letter's facts date, a date after an
    /// event's clause, a company named like a school.
    @Test func aPossibilitysTimeAndAnEventPointedBack() {
        let ref = Day(2025, 11, 21)
        #expect(DeadlineParser.find(in: "рассмотреть возможность открытия в 2026/2027 учебном году на базе МБОУ «СОШ № 7» класса;", reference: ref) == nil)
        #expect(DeadlineParser.find(in: "Рассмотреть вопрос о профилактике ДДТТ на педагогическом совете в марте 2026 г.", reference: ref)?.deadline
            == .period(from: "2026-03-01", to: "2026-03-31"))
        #expect(DeadlineParser.find(in: "Рассмотреть возможность участия в конкурсе до 1 марта 2026 г.", reference: ref)?.deadline == .date("2026-03-01"))
        let letter = Self.tasks(["УПРАВЛЕНИЕ ОБРАЗОВАНИЯ ГОРОДА ЭНСКА", "21.11.2025 № 01-19/2846", "", "Министерство образования Энской области", "",
                                 "О кадровом обеспечении", "", "Уважаемая Елена Викторовна!", "",
                                 "Нам известно, что в феврале 2026 года министерство планирует провести региональное совещание по вопросам кадров. Просим предоставить на этом совещании возможность выступления представителю управления.",
                                 "Нам известно, что министерство планирует семинар. Просим предоставить на этом совещании слово директору."])
        #expect(letter.map { $0.deadline?.deadline } == [.period(from: "2026-02-01", to: "2026-02-28"), nil], "\(letter.map(\.text))")
        // A date right after an event's clause, before a directive, is the task's own; after a gerund, the event's.
        #expect(DeadlineParser.find(in: "Руководителям ОО в связи с семинаром, который состоится 12 марта 2026 года, до 5 марта направить заявки.", reference: ref)?.deadline
            == .date("2026-03-05"))
        #expect(DeadlineParser.find(in: "Принять участие в вебинаре, который состоится 12.12.2025, зарегистрировавшись до 10.12.2025.", reference: ref)?.deadline
            == .date("2025-12-12"))
        #expect(Levels.ofBody("ООО «Школа безопасности»") == .other)
    }
    /// Found by an attacker's review of the rules of issue 17, part 18.
    @Test func partEighteenAttack() throws {
        let ref = Day(2025, 11, 20)
        #expect(DeadlineParser.find(in: "В целях подготовки к конференции, которая пройдёт 20 февраля 2026 года, руководителям ОО в срок до 1 февраля 2026 года представить тезисы.", reference: ref)?.deadline == .date("2026-02-01"))
        #expect(DeadlineParser.find(in: "Руководителям ОО по возможности в декабре 2025 года провести родительские собрания.", reference: ref)?.deadline
            == .period(from: "2025-12-01", to: "2025-12-31"))
        #expect(DeadlineParser.find(in: "Управлению образования обеспечить возможность прохождения курсов в 2026 году.", reference: ref)?.deadline
            == .period(from: "2026-01-01", to: "2026-12-31"))
        #expect(DeadlineParser.find(in: "Руководителям ОО рассмотреть возможность введения курса на методическом совете в январе 2026 года.", reference: ref)?.deadline
            == .period(from: "2026-01-01", to: "2026-01-31"))
        let minutes = Self.tasks(["ПРОТОКОЛ № 4", "рабочего совещания", "15.12.2025", "", "1. Об исполнении поручений", "",
                                  "Поручение 2.1: выполнено, информация направлена в министерство 20.11.2025.", "",
                                  "Поручение 2.2: Руководителям ОО представить отчёты до 25.12.2025."])
        #expect(minutes.map(\.number) == ["2.2."], "\(minutes.map(\.text))")
        let classes = try Self.docxTasks(["ПЛАН", "внеурочной деятельности на 2025/2026 учебный год"],
                                         [["№", "Мероприятие", "V", "VI", "VII", "VIII", "IX", "Срок"],
                                          ["1.", "Шахматный турнир", "+", "+", "", "", "", "декабрь 2025 г."]])
        #expect(classes.map { $0.deadline?.deadline } == [.period(from: "2025-12-01", to: "2025-12-31")], "\(classes.map(\.text))")
        let aims = Self.tasks(["ПЛАН РАБОТЫ", "городского методического объединения учителей русского языка на 2025/2026 учебный год", "",
                               "Цель: повышение качества преподавания.", "Задачи:", "1. Обеспечить методическое сопровождение учителей.",
                               "2. Организовать работу с молодыми учителями.", "", "1. Заседание ГМО «Анализ результатов ГИА-2025» – сентябрь 2025 г."])
        #expect(aims.map { String($0.text.prefix(14)) } == ["Заседание ГМО "], "\(aims.map(\.text))")
    }
    /// Part 18: in an appended regulation, a body's abbreviation or an addressee after a purpose leads a directive.
    @Test func regulationDirectivesAfterAPurposeOrAnAbbreviation() {
        let found = Self.tasks(["УПРАВЛЕНИЕ ОБРАЗОВАНИЯ ГОРОДА ЭНСКА", "19.01.2026 № 0219", "", "Руководителям общеобразовательных учреждений", "",
                                "О конкурсе", "", "Направляем Положение о конкурсе.", "", "Приложение", "", "ПОЛОЖЕНИЕ", "о городском конкурсе", "",
                                "4. Сроки проведения Конкурса", "4.1. Конкурс проводится с 1 февраля по 15 апреля 2026 года.",
                                "4.2. Для проведения школьного этапа общеобразовательным учреждениям создать школьные жюри до 30 января 2026 года.",
                                "4.3. Очный этап проводится 10 апреля 2026 года.",
                                "4.4. ЦДТ обеспечить рассылку приглашений участникам очного этапа не позднее 30 марта 2026 года."])
        #expect(found.map { String($0.text.prefix(16)) } == ["Для проведения ш", "ЦДТ обеспечить р"], "\(found.map(\.text))")
    }
    /// Part 18: `в установленные сроки` is a directive's own undated time; a recurrence right after its verb.
    @Test func setTimesAndARecurrenceAfterItsVerb() {
        let found = Self.tasks(["ПРИКАЗ", "16.02.2026 № 118", "ПРИКАЗЫВАЮ:",
                                "1. Руководителям ОУ обеспечить выполнение мероприятий плана-графика в установленные сроки; назначить приказами ответственных до 27 февраля 2026 г.",
                                "2. Руководителям ОУ организовать ежедневный контроль пропускного режима."])
        #expect(found.map { $0.deadline?.deadline } == [nil, .date("2026-02-27"), .recurring(every: "continuous")], "\(found.map(\.text))")
    }
    /// Part 18: an order read by OCR: stray strokes, a running header naming its page, a line in the middle of dashes, a
    /// line naming its items.
    @Test func anOrderReadByOCR() {
        #expect(ResolutionNormalizer.dropStrayStrokes("| 4. Заместителю директора по безопасности:") == "4. Заместителю директора по безопасности:")
        #expect(ResolutionNormalizer.dropStrayStrokes("—- провести инструктажи;") == "– провести инструктажи;")
        let found = Self.tasks(["ПРИКАЗ", "03.09.2025 № 147-о", "ПРИКАЗЫВАЮ:", "2. Заместителю директора Соколовой И.В.:",
                                "2.5. разработать план подготовки к ГИА-2026;", "2.6. организовать участие обучающихся во ВПР.",
                                "Срок: по п. 2.5 – до 30.09.2025, по п. 2.6 – апрель – май 2026 г.",
                                "3. Заместителю директора Мухиной О.С.:", "—- разработать календарный план воспитательной работы;",
                                "—- сформировать банк данных обучающихся.", "", "", "Приказ № 147-о от 03.09.2025      стр. 2", "",
                                "Срок: до 26.09.2025.", "—- организовать тестирование в период с 06.10.2025 по 24.10.2025;",
                                "| 4. Классным руководителям:", "—- обновить социальные паспорта классов;",
                                "—- провести родительские собрания в 2025/2026 учебном году.", "Срок: до 19.09.2025.", "", "",
                                "Приказ № 147-о от 03.09.2025      стр. 3", "", "5. Контроль за исполнением приказа оставляю за собой."])
        #expect(found.map { $0.deadline?.deadline } == [.date("2025-09-30"), .period(from: "2026-04-01", to: "2026-05-31"), .date("2025-09-26"),
                                                        .date("2025-09-26"), .period(from: "2025-10-06", to: "2025-10-24"), .date("2025-09-19"),
                                                        .date("2025-09-19")], "\(found.map(\.text))")
    }
    /// Part 18's attack, left for part 19: an obligation after a start, in the passive, a future statement in a list, a
    /// letter sent up to a body named in the nominative.
    @Test func obligationsInThePassiveAndALetterSentUp() {
        let letter = Self.tasks(["УПРАВЛЕНИЕ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ГАЙСКОГО ГОРОДСКОГО ОКРУГА", "", "03.12.2025 № 01-15/2878", "",
                                 "Министерство образования Оренбургской области", "", "О подвозе обучающихся", "",
                                 "Просим направить в адрес управления методические рекомендации по организации подвоза до 20 декабря 2025 года.", "",
                                 "Начиная с января 2026 года информацию о подвозе необходимо направлять еженедельно по пятницам.", "",
                                 "Начиная с 2024 года необходимо учитывать, что маршруты согласуются с ГИБДД.", "",
                                 "Начальник управления образования                     Л.П. Ерёмина"])
        #expect(letter.map(\.level) == [.regional, .regional], "\(letter.map(\.text))")
        #expect(letter.last?.deadline?.deadline == .recurring(every: "week"))
        let order = Self.tasks(["УПРАВЛЕНИЕ ОБРАЗОВАНИЯ", "", "ПРИКАЗ", "", "от 01.12.2025 № 455", "", "О проведении месячника безопасности", "",
                                "ПРИКАЗЫВАЮ:", "1. Руководителям ОО:", "провести месячник безопасности с 1 по 25 декабря 2025 года;",
                                "информация о проведённых мероприятиях должна быть направлена в управление образования до 26.12.2025;",
                                "отчёты будут рассмотрены на совещании руководителей в январе 2026 года.",
                                "2. Контроль за исполнением приказа оставляю за собой."])
        #expect(order.map { $0.deadline?.deadline } == [.period(from: "2025-12-01", to: "2025-12-25"), .date("2025-12-26")], "\(order.map(\.text))")
    }
    /// Part 18's attack, left for part 19: an event pointed back to, dated to its day or named `указанное мероприятие`;
    /// `Срок:` parts keyed with colons or commas; a stage's group before its date.
    @Test func eventsPointedBackAndKeyedTimes() {
        let letter = Self.tasks(["МИНИСТЕРСТВО ОБРАЗОВАНИЯ", "", "01.12.2025 № 6-04/5512", "",
                                 "Руководителям органов местного самоуправления, осуществляющих управление в сфере образования", "",
                                 "О подготовке к совещанию", "", "Уважаемые руководители!", "",
                                 "Информируем, что 12 февраля 2026 года министерство проводит республиканское совещание по итогам первого полугодия. Просим подготовить к данному совещанию информацию о посещаемости.", "",
                                 "Сообщаем, что в марте 2026 года пройдёт республиканский форум молодых педагогов. Просим обеспечить участие молодых педагогов в указанном мероприятии.", "",
                                 "Министр                                                   Л.Ч. Монгуш"])
        #expect(letter.map { $0.deadline?.deadline } == [.date("2026-02-12"), .period(from: "2026-03-01", to: "2026-03-31")], "\(letter.map(\.text))")
        let order = Self.tasks(["ПРИКАЗ", "26.01.2026 № 41-о", "ПРИКАЗЫВАЮ:",
                                "1. Классным руководителям 9 классов провести родительские собрания; ознакомить родителей с графиком ГИА.",
                                "Сроки: собрания – до 30.01.2026, ознакомление – до 06.02.2026.",
                                "2. Педагогу-психологу провести диагностику тревожности; по итогам провести консультации.",
                                "Срок исполнения: диагностика: 02.02–06.02.2026; консультации: до 27.02.2026.",
                                "3. Заместителю директора организовать дежурство учителей; обеспечить контроль за графиком дежурства.",
                                "Срок: 1 полугодие – до 30.01.2026; 2 полугодие – до 31.05.2026.",
                                "4. Заместителю директора организовать проведение ВПР.", "Срок: 4 классы – до 15.04.2026; 5–8 классы – до 17.04.2026.",
                                "5. Заместителю директора организовать проведение пробных работ.", "Срок: 4 классы – 15.04.2026; 5–8 классы – 17.04.2026."])
        #expect(order.map { $0.deadline?.deadline } == [.date("2026-01-30"), .date("2026-02-06"), .period(from: "2026-02-02", to: "2026-02-06"),
                                                        .date("2026-02-27"), .date("2026-05-31"), .date("2026-04-17"),
                                                        .period(from: "2026-04-15", to: "2026-04-17")], "\(order.map(\.text))")
    }
    /// Part 19: a letter of duties in the passive (a development document's genre): numbered duties, a duty after facts,
    /// a stated lead before its duties, a second duty without its verb, a later request, holidays named without a season.
    @Test func dutiesInALetter() {
        let found = Self.tasks(["УПРАВЛЕНИЕ ОБРАЗОВАНИЯ", "", "15.12.2025 № 2184", "", "Руководителям общеобразовательных организаций", "",
                                "Об организации работы в период зимних каникул", "", "Уважаемые руководители!", "",
                                "Зимние каникулы установлены с 29.12.2025 по 11.01.2026 включительно.", "",
                                "1. Планы мероприятий ОО на период зимних каникул подлежат согласованию с Управлением образования до 22.12.2025.", "",
                                "2. Инструктажи по безопасному поведению должны быть проведены с обучающимися до начала каникул.", "",
                                "3. Дежурство в ОО в период каникул организуется по графику: графики дежурств подлежат утверждению приказом руководителя ОО до 25.12.2025, копии приказов – направлению в Управление образования до 26.12.2025.", "",
                                "4. 18.12.2025 в 10.00 министерством проводится вебинар «Безопасные каникулы». Участие ответственных от каждой ОО обязательно. На указанном мероприятии будет представлен порядок информирования; вопросы по теме вебинара просим направить заранее, до 17.12.2025, на адрес vr@edu.ru.", "",
                                "Приёмка лагерей будет проводиться с 25 по 29 мая 2026 года. Копии заключений прошу направить в Управление образования не позднее 29 мая 2026 года.", "",
                                "Начальник                Е.А. Мищерина"])
        #expect(found.map { String($0.text.prefix(14)) } == ["Планы мероприя", "Инструктажи по", "графики дежурс", "копии приказов", "Участие ответс",
                                                             "вопросы по тем", "Копии заключен"], "\(found.map(\.text))")
        #expect(found.map { $0.deadline?.deadline } == [.date("2025-12-22"), .date("2025-12-29"), .date("2025-12-25"), .date("2025-12-26"),
                                                        .date("2025-12-18"), .date("2025-12-17"), .date("2026-05-29")], "\(found.map(\.text))")
        let told = Self.tasks(["ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ", "", "11.12.2025 № 2184", "", "Руководителям органов местного самоуправления", "", "О мерах", "",
                               "Прошу взять на личный контроль исполнение поручений совещания от 04.12.2025. Информацию о результатах прошу представить в Департамент до 24.12.2025.", "",
                               "На совещании 12.02.2026 просим руководителей МБОУ «СОШ № 1» представить краткую информацию (до 5 минут) о работе служб примирения.", "",
                               "Разместить на сайтах информацию о приёме заявлений в срок до 20 марта 2026 года. Приём заявлений осуществляется с 1 апреля по 15 мая 2026 года.", "",
                               "Директор                Е.А. Мищерина"])
        #expect(told.map { $0.deadline?.deadline } == [nil, .date("2025-12-24"), .date("2026-02-12"), .date("2026-03-20")], "\(told.map(\.text))")
    }
    /// Part 19: keyed times for groups and objects, labelled event days, an event named by its capital, a schedule appended
    /// as a `План-график` naming no one responsible.
    @Test func keyedTimesEventsAndSchedules() {
        let order = Self.tasks(["ПРИКАЗ", "16.02.2026 № 84", "ПРИКАЗЫВАЮ:",
                                "1. Провести для учителей два семинара – по математике и по русскому языку.", "Срок: по математике – 26.03.2026, по русскому языку – 02.04.2026.",
                                "2. Руководителям ОО обеспечить проведение работ в соответствии с графиком.", "Срок: 9, 11 классы – март 2026 г., 4–8 классы – апрель 2026 г.",
                                "3. Руководителям ОО провести собеседование в 9 классах; провести тренировочный экзамен в 11 классах.", "Срок: 9 классы: 12.03.2026; 11 классы: 19.03.2026.",
                                "4. Директору школы обеспечить подготовку компьютерного класса и техническое сопровождение экзамена.",
                                "Срок: подготовка класса – до 20.03.2026; сопровождение – 24–25.03.2026."])
        #expect(order.map { $0.deadline?.deadline } == [.period(from: "2026-03-26", to: "2026-04-02"), .period(from: "2026-03-01", to: "2026-04-30"),
                                                        .date("2026-03-12"), .date("2026-03-19"), .date("2026-03-20"), .period(from: "2026-03-24", to: "2026-03-25")],
                "\(order.map(\.text))")
        let week = Self.tasks(["ПРИКАЗ", "19.01.2026 № 14-од", "ПРИКАЗЫВАЮ:", "1. Провести Неделю науки с 16 по 21 февраля 2026 года.",
                               "2. Провести школьную конференцию (далее – Конференция) 27 февраля 2026 года в 14.00.",
                               "3. Библиотекарю оформить книжную выставку к открытию Недели науки.", "4. Жюри Конференции подвести итоги.",
                               "Срок: в день проведения Конференции.", "5. Учителям обеспечить проведение мониторинга в день проведения работы.", // (the one schedule's days)
                               "6. Классным руководителям обеспечить посещение мероприятий в соответствии с планом-графиком (приложение 1).",
                               "", "Приложение 1", "к приказу от 19.01.2026 № 14-од", "План-график проведения Недели науки",
                               "16.02.2026 – Открытие Недели науки, линейка, 1–11 классы", "21.02.2026 – Закрытие Недели науки, 5–11 классы"])
        #expect(week.map { $0.deadline?.deadline } == [.period(from: "2026-02-16", to: "2026-02-21"), .date("2026-02-27"), .date("2026-02-16"),
                                                       .date("2026-02-27"), .period(from: "2026-02-16", to: "2026-02-21"),
                                                       .period(from: "2026-02-16", to: "2026-02-21")], "\(week.map(\.text))")
    }
    /// Part 19: targets by year under `поэтапно`, a line naming lettered sub-items, the main term's day, a memo appended.
    @Test func stagesByYearSubItemsAndTheMainTerm() {
        let plan = Self.tasks(["ДОРОЖНАЯ КАРТА", "по развитию дополнительного образования на 2025–2027 годы", "",
                               "1. Обеспечение охвата детей дополнительным образованием 2025 – 80%; 2026 – 82%; 2027 – 85%",
                               "Срок: поэтапно", "Ответственные: Управление образования"])
        #expect(plan.first?.deadline?.deadline == .staged([Stage(date: "2025-12-31", target: "80%"), Stage(date: "2026-12-31", target: "82%"),
                                                           Stage(date: "2027-12-31", target: "85%")]), "\(plan.map(\.text))")
        let order = Self.tasks(["ПРИКАЗ", "14.10.2025 № 312-п", "О проведении итогового сочинения", "",
                                "В целях проведения итогового сочинения в основной срок – 3 декабря 2025 года и в дополнительные сроки – 4 февраля 2026 года", "",
                                "ПРИКАЗЫВАЮ:", "1. Отделу образования:", "а) провести семинар для экспертов;", "б) сформировать состав комиссии;",
                                "в) обеспечить 3 декабря 2025 года получение комплектов тем;", "Срок исполнения подпунктов «а» и «б» – до 14 ноября 2025 года.",
                                "2. Руководителям ОО обеспечить присутствие медицинского работника в день проведения итогового сочинения в основной срок.",
                                "", "Приложение 1", "к приказу от 14.10.2025 № 312-п", "ПАМЯТКА участнику итогового сочинения",
                                "1. Участник должен прибыть не позднее 9:30.", "2. Ознакомиться с результатами можно в школе."])
        #expect(order.map { $0.deadline?.deadline } == [.date("2025-11-14"), .date("2025-11-14"), .date("2025-12-03"), .date("2025-12-03")],
                "\(order.map(\.text))")
    }
    /// Found by an attacker's review of the rules of issue 17, part 19: duties' variants and false friends.
    @Test func partNineteenAttack() {
        let letter = Self.tasks(["УПРАВЛЕНИЕ ОБРАЗОВАНИЯ", "", "15.01.2026 № 88", "", "Руководителям общеобразовательных организаций", "",
                                 "О совещании", "", "1. 21.01.2026 в 10.00 проводится совещание. Явка руководителей ОО обязательна.", "",
                                 "2. Участие в вебинаре не обязательно, запись будет размещена на сайте 04.02.2026.", "",
                                 "3. Сведения об охвате горячим питанием подлежат направлению в Управление ежемесячно, до 5 числа.", "",
                                 "4. Классные руководители должны провести с обучающимися беседы до 26.01.2026.", "",
                                 "5. На совещании 03.12.2025 руководителям ОО было поручено обновить паспорта до 25.12.2025.", "",
                                 "6. Начиная с января 2026 года информацию о питании не нужно направлять, она формируется автоматически.", "",
                                 "Приложение", "", "ПОЛОЖЕНИЕ о конкурсе", "", "2.1. Заявки на участие подлежат направлению в ИРО до 20.01.2026.",
                                 "", "Начальник управления                     Л.П. Ерёмина"])
        #expect(letter.map(\.number) == ["1.", "3.", "4."], "\(letter.map(\.text))")
        #expect(letter.map { $0.deadline?.deadline } == [.date("2026-01-21"), .recurring(every: "month"), .date("2026-01-26")], "\(letter.map(\.text))")
        let order = Self.tasks(["ПРИКАЗ", "02.03.2026 № 95", "ПРИКАЗЫВАЮ:", "1. Руководителям ОО:",
                                "1.1. провести проверку ведения журналов до 06.03.2026;",
                                "1.2. результаты проверки будут доведены до педагогов на совещании 20.03.2026.",
                                "2. Руководителям ОО провести диагностические работы по математике и русскому языку.",
                                "Срок: математика – 10.03.2026; русский язык – 12.03.2026."])
        #expect(order.map { $0.deadline?.deadline } == [.date("2026-03-06"), .period(from: "2026-03-10", to: "2026-03-12")], "\(order.map(\.text))")
    }
    /// Part 19: an e-mail reply, its fields, its quoted letter, a replaced time, a postscript.
    @Test func anEmailReply() {
        let parsed = ResolutionReader.parse(text: ["Тема: RE: Диагностика – новые сроки", "От: МКУ «ИМЦ» <imc@edu.example>",
                                                   "Кому: Руководители ОО района (рассылка) <oo@edu.example>", "Дата: 14 ноября 2025 г., 11:47", "",
                                                   "Уважаемые руководители!", "", "Просим:",
                                                   "1. Заявку направить в ИМЦ до 21.11.2025 – вместо 10.11.2025, как было указано ранее.",
                                                   "2. Провести тренировочную работу в период с 24 по 28 ноября 2025 года (вместо 12–14 ноября).", "",
                                                   "P.S. Просим подтвердить получение письма до 17.11.2025.", "",
                                                   "-----Исходное сообщение-----", "От: Иванова", "", "> Просим ответить сегодня, до 13.00.",
                                                   ">> 1. Направить заявку до 10.11.2025."].joined(separator: "\n") + "\n")
        #expect(parsed.document.kind == "письмо" && parsed.document.title == "Диагностика – новые сроки" && parsed.document.date == "2025-11-14")
        #expect(parsed.tasks.map { $0.deadline?.deadline } == [.date("2025-11-21"), .period(from: "2025-11-24", to: "2025-11-28"), .date("2025-11-17")],
                "\(parsed.tasks.map(\.text))")
        #expect(parsed.tasks.last?.text.hasPrefix("Просим подтвердить") == true && parsed.tasks.allSatisfy { $0.level == .school })
    }
    /// Part 20: a bilingual letterhead, a monthly work after `организовать проведение`, results worked from in a group's
    /// last item, a `Срок:` line among numbered sub-items.
    @Test func bilingualLetterheadAndLinesAmongSubItems() {
        let order = Self.tasks(["Татарстан Республикасы Бөгелмә муниципаль районы Башкарма", "комитетының «Мәгариф идарәсе»",
                                "МУНИЦИПАЛЬНОЕ КАЗЁННОЕ УЧРЕЖДЕНИЕ «УПРАВЛЕНИЕ ОБРАЗОВАНИЯ", "ИСПОЛНИТЕЛЬНОГО КОМИТЕТА БУГУЛЬМИНСКОГО МУНИЦИПАЛЬНОГО РАЙОНА",
                                "", "П Р И К А З", "", "15.10.2025 № 387", "", "О подготовке к ГИА", "", "ПРИКАЗЫВАЮ:",
                                "1. Заместителю начальника управления Ахметзяновой Гульнаре Ильдаровне:",
                                "– организовать проведение ежемесячных совещаний с заместителями директоров;",
                                "– обеспечить контроль за выполнением школьных планов;",
                                "– провести собеседования с руководителями ОО по итогам I полугодия 2025/2026 учебного года.",
                                "Срок: январь 2026 года.", "2. Отделу общего образования сформировать базу данных участников ГИА.",
                                "3. Руководителям ОО:", "3.1. назначить ответственных за подготовку к ГИА-2026;", "3.2. разработать школьные планы;",
                                "Срок: до 24.10.2025.", "3.3. проводить дополнительные занятия не реже двух раз в неделю."])
        #expect(order.map(\.level) == [.municipal, .municipal, .municipal, .municipal, .school, .school, .school], "\(order.map(\.text))")
        #expect(order.map { $0.deadline?.deadline } == [.recurring(every: "month"), .period(from: "2026-01-01", to: "2026-01-31"),
                                                        .period(from: "2026-01-01", to: "2026-01-31"), nil, .date("2025-10-24"), .date("2025-10-24"),
                                                        .recurring(every: "week")], "\(order.map(\.text))")
    }
    /// Part 20: a spreadsheet's plan with `Срок исполнения` over `начало | окончание`, its columns' numbers, an indicator
    /// table and a list of schools after it; a rule's number that looks like a date.
    @Test func aSpreadsheetPlanWithTwoDeadlineColumns() {
        let plan = Self.tasks([";;;;УТВЕРЖДЁН;;", ";;;;приказом управления образования от 27.03.2026 № 214;;",
                               "План мероприятий по подготовке ОО к новому 2026/2027 учебному году;;;;;;", ";;;;;;",
                               "№ п/п;Наименование мероприятия;Срок исполнения;;Ответственные исполнители;Форма завершения;",
                               ";;начало;окончание;;;", "1;2;3;4;5;6;", "I. Организационные мероприятия;;;;;;",
                               "1.1;Издание приказов ОО о подготовке к новому учебному году;01.04.2026;15.04.2026;Руководители ОО;приказ ОО;",
                               "1.2;Формирование муниципальной комиссии по приёмке ОО к новому учебному году;;30.04.2026;Управление образования;приказ;",
                               "1.3;Ремонт (замена) ограждений территорий ОО;май;июль;Руководители ОО;акт;",
                               "1.4;Лабораторный контроль качества питьевой воды (в соответствии с СанПиН 2.1.3684-21);июль;;Руководители ОО;протоколы;",
                               ";;;;;;", "Целевые показатели;;;;;;", "№ п/п;Показатель;Ед. изм.;2025 г. (факт);2026 г. (план);;",
                               "1;Доля ОО, принятых комиссией без замечаний;%;91,3;95;;", "2;Доля ОО, в которых выполнен ремонт;%;100;100;;",
                               ";;;;;;", "Перечень ОО, подлежащих приёмке к 2026/2027 учебному году;;;;;;",
                               "№ п/п;Наименование ОО;Дата приёмки;;Руководитель;;", "1;МБОУ «СШ № 1 г. Кстово»;01.07.2026;;Шмелёва О.А.;;",
                               "2;МБУ ДО «Дом детского творчества г. Кстово»;10.08.2026;;Крылова Л.Б.;;"])
        #expect(plan.map(\.number) == ["1.1.", "1.2.", "1.3.", "1.4."], "\(plan.map(\.text))")
        #expect(plan.map { $0.deadline?.deadline } == [.period(from: "2026-04-01", to: "2026-04-15"), .date("2026-04-30"),
                                                       .period(from: "2026-05-01", to: "2026-07-31"), .period(from: "2026-07-01", to: "2026-07-31")],
                "\(plan.map(\.text))")
    }
    /// Part 20: minutes whose `Срок:` lines say `незамедлительно` for each incident and `к следующему совещанию`, the next
    /// meeting dated at the end; a report row's term after the end of the Week its work dates.
    @Test func theNextMeetingAndATermAfterAnEvent() throws {
        let minutes = Self.tasks(["ПРОТОКОЛ № 7", "совещания при главе администрации города", "", "г. Новочебоксарск 10.04.2026", "",
                                  "Поручения:", "1.1. Информировать управление образования о каждом происшествии с детьми в период работы лагерей.",
                                  "Срок: незамедлительно.", "Ответственные: начальники лагерей.",
                                  "1.2. Доложить о ходе подготовки образовательных организаций к новому учебному году.",
                                  "Ответственные: управление образования.", "Срок: к следующему совещанию.", "",
                                  "Следующее совещание при главе администрации по данным вопросам – 15.05.2026 в 10.00, малый зал."])
        #expect(minutes.map { $0.deadline?.deadline } == [.recurring(every: "continuous"), .date("2026-05-15")], "\(minutes.map(\.text))")
        let letter = try Self.docxTasks(["ОТДЕЛ ОБРАЗОВАНИЯ", "05.12.2025 № 01-15/1450", "Руководителям общеобразовательных организаций",
                                         "О сроках представления отчётности", "Просим представить отчёты в следующие сроки:"],
                                        [["№", "Форма отчёта", "Срок представления", "Куда"],
                                         ["1", "Информация о проведении мероприятий «Недели безопасности» (15–19 декабря 2025 г.)",
                                          "в течение 3 рабочих дней после окончания Недели", "obr@example"],
                                         ["2", "Сведения о питании", "до 10.12.2025", "obr@example"],
                                         ["3", "Отчёт о каникулах", "по отдельному запросу", "obr@example"]])
        #expect(letter.prefix(2).map { $0.deadline?.deadline } == [.date("2025-12-24"), .date("2025-12-10")], "\(letter.map(\.text))")
    }
    /// Part 20: an order amending another, under a letterhead in two languages side by side: the edits are no tasks, the
    /// items in their new wording are, numbered as quoted; a distribution list after the signature.
    @Test func anAmendingOrderUnderABilingualLetterhead() {
        let order = ResolutionReader.parse(text: [
            "БАШҠОРТОСТАН РЕСПУБЛИКАҺЫ                    РЕСПУБЛИКА БАШКОРТОСТАН",
            "ИШЕМБАЙ РАЙОНЫ                               МУНИЦИПАЛЬНОЕ КАЗЕННОЕ УЧРЕЖДЕНИЕ",
            "ХАКИМИӘТЕНЕҢ «МӘҒАРИФ                        «ОТДЕЛ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ",
            "БҮЛЕГЕ» МУНИЦИПАЛЬ ҠАҘНА                     МУНИЦИПАЛЬНОГО РАЙОНА»", "",
            "            БОЙОРОҠ                                       ПРИКАЗ", "",
            "«20» ноябрь 2025 й.               № 538               «20» ноября 2025 г.", "",
            "О внесении изменений в приказ от 08.09.2025 № 421", "",
            "ПРИКАЗЫВАЮ:", "1. Внести в приказ № 421 следующие изменения:",
            "1.1. в преамбуле слова «письмом от 25.08.2025» заменить словами «письмами от 25.08.2025, от 12.11.2025»;",
            "1.2. пункт 3 изложить в следующей редакции:", "«3. Руководителям общеобразовательных организаций:",
            "3.1. назначить ответственных за подготовку к ГИА-2026 до 28 ноября 2025 года;",
            "3.2. провести родительские собрания в период с января по май 2026 года.»;",
            "1.3. пункт 6 признать утратившим силу;", "1.4. дополнить пунктом 7.1 следующего содержания:",
            "«7.1. Главному специалисту Юлдашевой Г.Р. организовать обучение организаторов до 20 февраля 2026 года и представить в Министерство сведения о прохождении обучения до 27 февраля 2026 года.»;",
            "1.5. приложение 1 изложить в новой редакции (прилагается).",
            "2. Опубликовать настоящий приказ на официальном сайте в течение одного рабочего дня со дня его подписания.", "",
            "Начальник                                  Р.Ф. Галимов", "", "Лист рассылки", "", "1. В дело", "2. МБОУ СОШ № 2"].joined(separator: "\n") + "\n")
        #expect(order.document.kind == "приказ" && order.document.date == "2025-11-20", "\(order.document)")
        #expect(order.tasks.map(\.number) == ["3.1.", "3.2.", "7.1.", "7.1.", "2."], "\(order.tasks.map(\.text))")
        #expect(order.tasks.map { $0.deadline?.deadline } == [.date("2025-11-28"), .period(from: "2026-01-01", to: "2026-05-31"),
                                                              .date("2026-02-20"), .date("2026-02-27"), .date("2025-11-21")], "\(order.tasks.map(\.text))")
        #expect(order.tasks.map(\.level) == [.school, .school, .municipal, .municipal, .municipal], "\(order.tasks.map(\.text))")
    }
    /// Part 20: an event the letter says was moved, dated by its new days; the time of another request named by its thing;
    /// a remark in parentheses after an event's hour; a term after the moved event's end.
    @Test func aMovedEventAndTimesNamedBack() {
        let letter = ResolutionReader.parse(text: ["Тема: Диагностика – новые сроки", "От: МКУ «ИМЦ» <imc@edu.example>",
                                                   "Кому: Руководители ОО района <oo@edu.example>", "Дата: 14 ноября 2025 г., 11:47", "",
                                                   "Сообщаем, что ЦОКО перенёс региональную диагностику функциональной грамотности с 18–20 ноября на 2–4 декабря 2025 года.", "",
                                                   "Просим:", "1. Заявку на участие направить в ИМЦ до 21.11.2025.",
                                                   "2. Назначить школьного координатора и сообщить его ФИО в тот же срок, что и заявку.",
                                                   "3. Технических специалистов направить на инструктаж 26.11.2025 в 14.00 (МОБУ СОШ № 8, каб. 21).",
                                                   "4. Обеспечить присутствие наблюдателя в каждой аудитории в дни проведения диагностики.",
                                                   "5. В течение двух рабочих дней после окончания диагностики заполнить анкету школы."].joined(separator: "\n") + "\n")
        #expect(letter.tasks.map { $0.deadline?.deadline } == [.date("2025-11-21"), .date("2025-11-21"), .date("2025-11-26"),
                                                               .period(from: "2025-12-02", to: "2025-12-04"), .date("2025-12-08")],
                "\(letter.tasks.map(\.text))")
    }
    /// Part 20: an appended schedule dates the work named by an abbreviation, by a word of its title, or by `его` after
    /// it; a body's line goes on into a person in parentheses; a table of figures appended holds no tasks.
    @Test func anAppendedScheduleAndItsWork() {
        let order = Self.tasks(["ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ГОРОДА ГУБКИНСКОГО", "", "ПРИКАЗ", "05.09.2025 № 412-о", "",
                                "Об организации социально-психологического тестирования в 2025/2026 учебном году", "",
                                "В целях раннего выявления … п р и к а з ы в а ю:",
                                "1. Провести социально-психологическое тестирование обучающихся (далее – СПТ) в соответствии с графиком (приложение 1).",
                                "2. Отделу общего и дополнительного образования Департамента образования", "(Сафонова Е.В.):",
                                "2.1. обеспечить консультирование ответственных в период проведения СПТ;",
                                "2.2. обеспечить сопровождение тестирования в период его проведения.",
                                "3. Руководителям ОО обеспечить во время тестирования присутствие члена комиссии в аудитории.",
                                "4. Руководителям ОО проводить совещания в последнюю среду каждого месяца.", "",
                                "Приложение 1", "к приказу Департамента образования", "Администрации города Губкинского", "от 05.09.2025 № 412-о",
                                "ГРАФИК", "проведения социально-психологического тестирования обучающихся",
                                "1   МБОУ «СОШ № 1»   7–11   29.09.2025", "2   МБОУ «СОШ № 2»   7–11   22.09.2025, 23.09.2025",
                                "3   МБОУ «СОШ № 3»   7–11   03.10.2025", "", "Приложение 2", "к приказу от 05.09.2025 № 412-о",
                                "ПЛАНОВЫЕ ПОКАЗАТЕЛИ", "охвата обучающихся тестированием",
                                "1. МБОУ «СОШ № 1»   01.09.2025 – 30.09.2025   120"])
        let schedule = Deadline.period(from: "2025-09-22", to: "2025-10-03")
        #expect(order.map { $0.deadline?.deadline } == [schedule, schedule, schedule, schedule, .recurring(every: "month")], "\(order.map(\.text))")
        #expect(order.dropFirst().first?.addressees.first?.hasPrefix("Отделу общего") == true, "\(order.map(\.addressees))")
    }
    /// Found by an attacker's review of the rules of issue 17, part 20: a meeting named with a month is no announced day;
    /// an act's date in a closing parenthesis is no time.
    @Test func partTwentyAttack() {
        let minutes = Self.tasks(["ПРОТОКОЛ № 4", "заседания муниципальной комиссии по делам несовершеннолетних", "", "12.11.2025", "",
                                  "ПОСТАНОВИЛИ:", "1. Управлению образования подготовить информацию о занятости подростков.",
                                  "Срок: к следующему заседанию.", "2. Управлению образования представить анализ правонарушений.",
                                  "Срок: к заседанию комиссии в марте 2026 года.", "",
                                  "Очередное заседание комиссии назначить на 18 декабря 2025 года в 10.00."])
        #expect(minutes.first?.deadline?.deadline == .date("2025-12-18"), "\(minutes.map(\.text))")
        let order = Self.tasks(["ПРИКАЗ", "от 14.11.2025 № 501", "ПРИКАЗЫВАЮ:",
                                "1. Руководителям ОО обеспечить подготовку раздаточных материалов к 28.11.2025 (в соответствии с приложением 2 к приказу от 01.09.2025 № 900)."])
        #expect(order.first?.deadline?.deadline == .date("2025-11-28"), "\(order.map(\.text))")
    }
    /// Part 20's attack, second round: `обо всех случаях`, the same time as a task after it, rounds on the last day of a
    /// quarter or the last Friday of a month, a second table's heading row after a spreadsheet plan.
    @Test func partTwentyAttackSecondRound() {
        let order = Self.tasks(["ПРИКАЗ", "от 01.12.2025 № 610", "ПРИКАЗЫВАЮ:",
                                "1. Руководителям ОО незамедлительно сообщать в управление образования обо всех случаях травматизма обучающихся.",
                                "2. Руководителям ОО представить графики дежурства в тот же срок, что и отчёт о готовности.",
                                "3. Руководителям ОО представить отчёт о готовности до 19.12.2025.",
                                "4. Руководителям ОО представлять информацию в последний рабочий день каждого квартала.",
                                "5. Руководителям ОО проводить родительские собрания в каждую последнюю пятницу месяца."])
        #expect(order.map { $0.deadline?.deadline } == [.recurring(every: "continuous"), .date("2025-12-19"), .date("2025-12-19"),
                                                        .recurring(every: "quarter"), .recurring(every: "month")], "\(order.map(\.text))")
        let plan = Self.tasks(["План мероприятий по подготовке к ГИА;;;;;", ";;;;;",
                               "№ п/п;Наименование мероприятия;Срок исполнения;;Ответственные;Ожидаемый результат", ";;начало;окончание;;",
                               "1;Проведение пробных экзаменов;01.12.2025;05.12.2025;Руководители ОО;Справка",
                               "2;Обучение организаторов ППЭ;02.02.2026;27.02.2026;МКУ «ИМЦ»;Сертификаты", ";;;;;",
                               "№ п/п;Показатель;2024;2025;2026 (план);", "1;Доля выпускников, получивших аттестат;98,5;99,1;100;"])
        #expect(plan.map(\.text) == ["Проведение пробных экзаменов", "Обучение организаторов ППЭ"], "\(plan.map(\.text))")
    }
}
