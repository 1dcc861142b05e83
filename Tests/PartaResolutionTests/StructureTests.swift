import Foundation
import Testing
@testable import PartaResolution

/// Task extraction on documents written for these tests in styles the samples do not show:
/// a municipal resolution (addressee groups, lettered sub-items, labelled and parenthesised deadlines,
/// staged targets), a collegium decision (`РЕШИЛА:`, `Рекомендовать …:`, a closing formula), and
/// recommendations with lower-case addressee lines and bullets. Each also goes through hard wrapping,
/// lost blank lines and letter-spaced headings.
@Suite struct StructureTests {
    static let documents = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Documents")

    static func load(_ name: String) throws -> String {
        try String(contentsOf: documents.appendingPathComponent(name), encoding: .utf8)
    }

    /// The same text with paragraphs hard-wrapped at `width` columns, indented, with page numbers and a
    /// running footer every `pageLines` lines, as `pdftotext -layout` gives it.
    static func hardWrapped(_ text: String, width: Int = 72, pageLines: Int = 25) -> String {
        var out: [String] = []
        var count = 0, page = 1
        for line in text.components(separatedBy: "\n") {
            if line.isEmpty { out.append(""); continue }
            var current = ""
            for word in line.split(separator: " ") {
                if current.count + word.count + 1 > width && !current.isEmpty {
                    out.append("   " + current)
                    current = ""
                    count += 1
                    if count % pageLines == 0 {
                        out += ["", String(repeating: " ", count: 34) + "\(page)", "\u{0C}Резолюция — страница \(page + 1)"]
                        page += 1
                    }
                }
                current += current.isEmpty ? String(word) : " " + word
            }
            out.append("   " + current)
            count += 1
        }
        return out.joined(separator: "\n")
    }

    static func variants(_ text: String) -> [(String, String)] {
        [("as written", text),
         ("without blank lines", text.components(separatedBy: "\n").filter { !$0.isEmpty }.joined(separator: "\n")),
         ("hard-wrapped with page breaks", hardWrapped(text)),
         ("CRLF and NBSP", text.replacingOccurrences(of: "\n", with: "\r\n").replacingOccurrences(of: " образования", with: "\u{00A0}образования"))]
    }

    @Test func municipalResolution() throws {
        for (variant, text) in Self.variants(try Self.load("synthetic-municipal.txt")) {
            let parsed = ResolutionReader.parse(text: text)
            let d = parsed.document
            #expect(d.kind == "резолюция" && d.date == "2021-08-27" && d.place == "Кировского муниципального района", "\(variant): \(d)")
            #expect(d.body == "августовского совещания педагогических работников Кировского муниципального района", "\(variant)")
            let t = parsed.tasks
            #expect(t.count == 11, "\(variant): \(t.map(\.text))")
            guard t.count == 11 else { continue }
            #expect(t.map(\.number) == ["1.1.", "1.2.", "1.3.", "а)", "б)", "2.2.", "3.1.", "3.2.", "3.3.", "4.", "4."], "\(variant)")
            #expect(t[0].text == "Обеспечить методическое сопровождение школ с низкими результатами обучения.", "\(variant)")
            #expect(t[0].deadline?.deadline == .date("2021-10-01"))
            #expect(t[1].deadline?.deadline == .period(from: "2021-09-01", to: "2022-08-31"))
            #expect(t[2].deadline?.deadline == .recurring(every: "continuous"))
            #expect(t[2].responsible == ["Иванова И.И.", "Петров П.П."])
            // A deadline printed once after the last sub-item belongs to the whole group.
            #expect(t[3].deadline?.deadline == .date("2021-12-31") && t[4].deadline?.deadline == .date("2021-12-31"), "\(variant)")
            #expect(t[3].section == ["В целях развития наставничества"])
            #expect(t[5].deadline?.deadline == .period(from: "2022-01-01", to: "2022-06-30"))
            #expect(t[6].deadline?.deadline == .date("2021-09-15"), "a date without a year is the next one after the document")
            #expect(t[7].deadline?.deadline == .staged([Stage(date: "2021-12-01", target: "50% обучающихся"), Stage(date: "2022-06-01", target: "80% обучающихся")]))
            #expect(t[8].deadline?.deadline == .recurring(every: "quarter"))
            #expect(t.map(\.level) == [.municipal, .municipal, .municipal, .municipal, .municipal, .municipal, .school, .school, .school, .school, .school], "\(variant)")
            #expect(t[3].addressees == ["Муниципальному казённому учреждению «Информационно-методический центр»"])
            #expect(t[9].addressees == ["Педагогическим работникам"])
        }
    }

    @Test func collegiumDecision() throws {
        for (variant, text) in Self.variants(try Self.load("synthetic-collegium.txt")) {
            let parsed = ResolutionReader.parse(text: text)
            #expect(parsed.document.date == "2021-09-15", "the heading's own `от … №` date: \(variant)")
            #expect(parsed.document.place == "Новосибирской области")
            let t = parsed.tasks
            // Not tasks: `Информацию принять к сведению`, `Контроль за исполнением решения возложить …`.
            #expect(t.map(\.number) == ["2.1.", "2.2.", "3.1.", "3.2.", "4."], "\(variant): \(t.map(\.text))")
            guard t.count == 5 else { continue }
            #expect(t[0].addressees == ["Отделу общего образования министерства"])
            #expect(t.map(\.level) == [.regional, .regional, .municipal, .municipal, .regional])
            #expect(t[2].addressees == ["органам местного самоуправления муниципальных районов и городских округов Новосибирской области, осуществляющим управление в сфере образования"])
            #expect(t[0].deadline?.deadline == .date("2021-11-01"))
            #expect(t[1].deadline?.deadline == .period(from: "2021-10-01", to: "2021-12-31"))
            #expect(t[3].deadline?.deadline == .period(from: "2021-09-01", to: "2022-08-31"), "the academic year of the document")
            #expect(t[4].addressees == ["ГАУ ДПО НСО «Новосибирский институт повышения квалификации и переподготовки работников образования»"])
        }
    }

    @Test func recommendationsWithBullets() throws {
        for (variant, text) in Self.variants(try Self.load("synthetic-recommendations.txt")) {
            let parsed = ResolutionReader.parse(text: text)
            #expect(parsed.document.kind == "рекомендации" && parsed.document.date == "2021-11-12", "\(variant)")
            let t = parsed.tasks
            #expect(t.count == 7, "\(variant): \(t.map(\.text))")
            guard t.count == 7 else { continue }
            #expect(t.map(\.level) == [.regional, .regional, .municipal, .municipal, .school, .school, .school])
            #expect(t[3].deadline?.deadline == .period(from: "2022-01-01", to: "2022-12-31"))
            #expect(t[4].deadline?.deadline == .date("2022-09-01"))
            #expect(t[5].targets == ["не менее 70% обучающихся"])
            #expect(t[6].deadline?.deadline == .recurring(every: "continuous"))
            #expect(t.allSatisfy { $0.number.isEmpty })
        }
    }

    @Test func conferenceWithLevelSections() throws {
        for (variant, text) in Self.variants(try Self.load("synthetic-conference-sections.txt")) {
            let parsed = ResolutionReader.parse(text: text)
            #expect(parsed.document.kind == "резолюция", "`ИТОГОВАЯ РЕЗОЛЮЦИЯ`: \(variant)")
            #expect(parsed.document.place == "г. Киров" && parsed.document.date == "2022-03-24", "\(variant): \(parsed.document)")
            let t = parsed.tasks
            #expect(t.count == 10, "\(variant): \(t.map(\.text))")
            guard t.count == 10 else { continue }
            #expect(t.map(\.number) == ["1)", "2)", "1)", "2)", "3)", "1)", "2)", "3)", "", ""])
            #expect(t.map(\.level) == [.other, .other, .regional, .regional, .regional, .school, .school, .school, .municipal, .municipal], "\(variant)")
            #expect(t[0].section == ["I. На федеральном уровне"])
            #expect(t[3].deadline?.deadline == .period(from: "2022-09-01", to: "2023-08-31"))
            #expect(t[4].deadline?.deadline == .date("2022-12-31"))
            #expect(t[6].deadline?.deadline == .recurring(every: "half-year"))
            #expect(t[7].targets == ["не менее 30% молодых специалистов"])
            #expect(t[8].addressees == ["Органы местного самоуправления"])
            #expect(t[9].deadline?.deadline == .recurring(every: "month"))
        }
    }

    @Test func schoolCouncilProtocol() throws {
        for (variant, text) in Self.variants(try Self.load("synthetic-school-protocol.txt")) {
            let parsed = ResolutionReader.parse(text: text)
            #expect(parsed.document.kind == "протокол" && parsed.document.date == "2022-08-29", "\(variant)")
            let t = parsed.tasks
            // Not tasks: `Признать работу … удовлетворительной`, `Утвердить план работы школы …` (the council approves).
            #expect(t.map(\.number) == ["1.2.", "1.3.", "2.2."], "\(variant): \(t.map(\.text))")
            guard t.count == 3 else { continue }
            #expect(t.map(\.addressees) == [["Руководителям ШМО"], ["Учителям-предметникам"], ["Классным руководителям"]])
            #expect(t.allSatisfy { $0.level == .school })
            #expect(t[1].responsible == ["заместитель директора по УВР Петрова А.А."])
            #expect(t[2].deadline?.deadline == .period(from: "2022-09-01", to: "2023-08-31"))
        }
    }

    @Test func letterSpacedHeadingAndFormula() {
        let text = "Р Е Ш Е Н И Е\n\nпедагогического совета МБОУ «СОШ № 5» г. Читы\n\nот 30 августа 2022 г.\n\nР Е Ш И Л И:\n\n1. Утвердить план работы школы на 2022-2023 учебный год.\n\n2. Классным руководителям провести родительские собрания до 15 сентября 2022 года.\n"
        let parsed = ResolutionReader.parse(text: text)
        #expect(parsed.document.kind == "решение")
        #expect(parsed.document.date == "2022-08-30")
        #expect(parsed.document.place == "г. Читы")
        #expect(parsed.tasks.last?.addressees == ["Классным руководителям"])
        #expect(parsed.tasks.last?.level == .school)
        #expect(parsed.tasks.last?.deadline?.deadline == .date("2022-09-15"))
    }

    @Test func twoDirectivesInOneItem() {
        let text = "РЕШЕНИЕ\n\nКонференция РЕШИЛА:\n\n1. Разработать план до 01.10.2020; утвердить его на совете до 01.11.2020.\n\n2. Провести семинар; подготовить отчёт до 01.12.2020.\n\n3. Обеспечить участие школ.\n\nСрок: до 01.09.2020\n\nпровести анализ участия.\n\nСрок: в течение года\n\n4. Организовать конкурс.\n\nобеспечить его освещение в СМИ.\n\nСрок: до 01.05.2021"
        let t = ResolutionReader.parse(text: text).tasks
        #expect(t.map(\.number) == ["1.", "1.", "2.", "3.", "3.", "4."], "\(t.map(\.text))")
        #expect(t.map { $0.deadline?.deadline.dueDate } == ["2020-10-01", "2020-11-01", "2020-12-01", "2020-09-01", nil, "2021-05-01"])
        #expect(t.last?.text == "Организовать конкурс. обеспечить его освещение в СМИ.")
    }

    @Test func noFormulaMeansLeadingDirectivesOnly() {
        let text = "РЕКОМЕНДАЦИИ\n\nсеминара директоров школ\n\nСеминар прошёл в режиме онлайн. Участники отметили, что важно обеспечить преемственность.\n\nОбеспечить преемственность программ начального и основного общего образования.\n\nРуководителям школ организовать стажировки молодых учителей в 2023 году.\n\nКонтроль за исполнением рекомендаций возложить на методический совет."
        let t = ResolutionReader.parse(text: text).tasks
        #expect(t.map(\.text) == ["Обеспечить преемственность программ начального и основного общего образования.",
                                  "Руководителям школ организовать стажировки молодых учителей в 2023 году."])
        #expect(t.last?.addressees == ["Руководителям школ"])
        #expect(t.last?.level == .school)
    }

    @Test func labelledRemarksAreCutFromTheText() {
        let cases: [(String, String, String?, [String])] = [
            ("Провести семинар (срок – до 01.09.2020).", "Провести семинар.", "до 01.09.2020", []),
            ("Провести семинар (отв. — Иванов И.И., Петров П.П.; срок — до 01.10.2021);", "Провести семинар;", "до 01.10.2021", ["Иванов И.И.", "Петров П.П."]),
            ("Провести семинар. Срок: в течение года. Ответственные: отдел образования, ИМЦ.", "Провести семинар.", "в течение года", ["отдел образования", "ИМЦ"]),
            ("Установить сроки проведения олимпиады по согласованию с ИРО.", "Установить сроки проведения олимпиады по согласованию с ИРО.", nil, []),
        ]
        for (input, text, deadline, responsible) in cases {
            let r = Tasks.extractInline(input)
            #expect(r.text == text && r.deadline == deadline && r.responsible == responsible, "\(input) → \(r)")
        }
    }

    @Test func markersFormulasAndTrailingBodies() {
        let text = """
        Решение
        совещания руководителей
        Заслушав информацию, совещание РЕШИЛО: 1. Провести мониторинг (руководители ОО).
        2.1 обеспечить участие педагогов в курсах
        \u{F0B7} организовать наставничество;
        o подготовить отчёт до 01.12.2021.
        """
        let t = ResolutionReader.parse(text: text).tasks
        #expect(t.map(\.text) == ["Провести мониторинг (руководители ОО).", "обеспечить участие педагогов в курсах", "организовать наставничество", "подготовить отчёт до 01.12.2021."], "\(t.map(\.text))")
        #expect(t.first?.level == .school, "the bodies in a closing parenthesis say who acts")
        #expect(t.map(\.number) == ["1.", "2.1", "", ""])
        let standalone = ResolutionReader.parse(text: "РЕЗОЛЮЦИЯ\n\nсеминара\n\nУчастники обсудили, как обеспечить качество.\n\nРЕШЕНИЕ:\n\n- обеспечить качество подготовки;\n- провести семинар.").tasks
        #expect(standalone.map(\.text) == ["обеспечить качество подготовки", "провести семинар."])
    }

    @Test func groupDeadlineBeforeResponsibleLine() {
        let text = "РЕШЕНИЕ\n\nСовет РЕШИЛ:\n\n1. В целях развития наставничества:\n\nа) провести конкурс;\n\nб) сформировать базу наставников.\n\nСрок: до 01.12.2021\n\nОтветственные: ИМЦ\n\n2. Провести семинар."
        let t = ResolutionReader.parse(text: text).tasks
        #expect(t.map { $0.deadline?.deadline } == [.date("2021-12-01"), .date("2021-12-01"), nil])
        #expect(t[1].responsible == ["ИМЦ"])
    }

    @Test func addresseeLinesWithoutColon() {
        let text = "РЕЗОЛЮЦИЯ\n\nкруглого стола «Школа и семья»\n\nУчастники круглого стола рекомендуем:\n\nМинистерству образования Республики Бурятия\n1. Разработать региональную программу поддержки родительских сообществ.\n2. Провести в 2023 году республиканский форум родителей.\n\nРуководителям образовательных организаций\n1. Обеспечить работу родительских клубов.\n2. Информировать родителей о мероприятиях ежемесячно."
        let t = ResolutionReader.parse(text: text).tasks
        #expect(t.map(\.addressees) == [["Министерству образования Республики Бурятия"], ["Министерству образования Республики Бурятия"], ["Руководителям образовательных организаций"], ["Руководителям образовательных организаций"]])
        #expect(t.map(\.level) == [.regional, .regional, .school, .school])
        #expect(t.map(\.number) == ["1.", "2.", "1.", "2."])
    }

    @Test func levelsOfBodies() {
        let cases: [(String, TaskLevel?)] = [
            ("Министерству образования и науки Забайкальского края", .regional),
            ("Краевому центру оценки качества образования", .regional),
            ("ГАУ ДПО «Институт развития образования»", .regional),
            ("управлению образования и науки Тамбовской области", .regional),
            ("Отделу образования администрации района", .municipal),
            ("Управлению образования", .municipal),
            ("МУ ЦОКО", .municipal),
            ("органам местного самоуправления, осуществляющим управление в сфере образования", .municipal),
            ("Руководителям муниципальных общеобразовательных организаций", .school),
            ("МБОУ «Гимназия № 1»", .school),
            ("Классным руководителям", .school),
            ("Участникам конференции", nil),
        ]
        for (body, level) in cases { #expect(Levels.ofBody(body) == level, "\(body)") }
    }

    @Test func addresseesAreSplitIntoBodies() {
        #expect(Addressees.split("Отделу образования администрации района, МУ ЦОКО, образовательным организациям")
            == ["Отделу образования администрации района", "МУ ЦОКО", "образовательным организациям"])
        #expect(Addressees.split("Министерству образования и науки края") == ["Министерству образования и науки края"])
        #expect(Addressees.split("руководителям и педагогам школ") == ["руководителям", "педагогам школ"])
        #expect(Addressees.split("МБОУ Мучканской СОШ (в текущем году создан Центр «Точка роста»)") == ["МБОУ Мучканской СОШ"])
    }

    /// Spec §3 *Tables*, *The approver's units*, §4 *named stages*: in a plan of courses an institute's rector approved,
    /// each numbered row with its own time is a task whatever its first word, the institute's (regional), whoever is
    /// taught; sessions labelled before their days are one period.
    @Test func aPlanOfCourses() throws {
        let rows = [["№", "Наименование программы", "Категория слушателей", "Объём (ч)", "Сроки проведения"],
                    ["Кафедра управления образованием", "Кафедра управления образованием", "Кафедра управления образованием", "Кафедра управления образованием", "Кафедра управления образованием"],
                    ["1", "Управление общеобразовательной организацией", "руководители ОО", "72", "12.01–23.01.2026"],
                    ["2", "Школа молодого руководителя", "руководители ОО со стажем до 3 лет", "36", "1 сессия: 02.03–06.03; 2 сессия: 11.05–15.05"],
                    ["3", "Наставничество в образовательной организации", "педагоги-наставники", "24", "по мере комплектования групп"],
                    ["", "Итого: 3 программы", "", "132", ""]]
        let found = try AttackRegressionTests.docxTasks(["УТВЕРЖДАЮ", "Ректор БУ ДПО «Институт развития образования Омской области»",
                                                         "_____________ О.В. Кравец", "«22» декабря 2025 г.", "ПЛАН",
                                                         "курсов повышения квалификации на 2026 год"], rows)
        #expect(found.map(\.number) == ["1.", "2.", "3."], "\(found.map(\.text))")
        #expect(found.map(\.level) == [.regional, .regional, .regional])
        #expect(found.map { $0.deadline?.deadline } == [.period(from: "2026-01-12", to: "2026-01-23"), .period(from: "2026-03-02", to: "2026-05-15"), nil])
    }

    /// Spec §2, §3: a decree copied from a legal database: its list of amending documents is not the heading; a point
    /// marked `Утратил силу.` and the decree's coming into force are no tasks; `ГУЗ`, `КОГБУЗ` name regional bodies.
    @Test func aDecreeFromALegalDatabase() {
        let found = ResolutionReader.parse(text: ["Документ предоставлен КонсультантПлюс", "АДМИНИСТРАЦИЯ ОРИЧЕВСКОГО РАЙОНА", "",
                                                  "ПОСТАНОВЛЕНИЕ", "от 12 марта 2025 г. N 245", "", "ОБ ОРГАНИЗАЦИИ ОТДЫХА ДЕТЕЙ В 2025 ГОДУ", "",
                                                  "Список изменяющих документов", "(в ред. Постановления Администрации от 21.04.2025 N 356)", "",
                                                  "В целях обеспечения отдыха детей администрация района ПОСТАНОВЛЯЕТ:", "",
                                                  "1. Рекомендовать ГУЗ «Оричевская больница» обеспечить осмотры работников лагерей до 16 мая 2025 года.", "",
                                                  "2. Рекомендовать КОГБУЗ «Оричевская ЦРБ» организовать медицинское обслуживание детей.", "",
                                                  "3. Утратил силу. - Постановление Администрации от 21.04.2025 N 356.", "",
                                                  "4. Настоящее постановление вступает в силу после его официального опубликования."].joined(separator: "\n"))
        #expect(found.document.title == "ПОСТАНОВЛЕНИЕ от 12 марта 2025 г. N 245 ОБ ОРГАНИЗАЦИИ ОТДЫХА ДЕТЕЙ В 2025 ГОДУ")
        #expect(found.document.body == "")
        #expect(found.tasks.map(\.number) == ["1.", "2."], "\(found.tasks.map(\.text))")
        #expect(found.tasks.map(\.level) == [.regional, .regional])
        let school = ResolutionReader.parse(text: "ПРИКАЗ\nот 01.09.2025 № 5\nПРИКАЗЫВАЮ:\n1. КОГОБУ СШ с УИОП г. Котельнича провести мониторинг до 01.10.2025.\n")
        #expect(school.tasks.first?.level == .school, "\(school.tasks.map(\.addressees))")
    }

    /// Spec §3: the questions of minutes named by their topic (`2. Об организации горячего питания обучающихся`, `5.
    /// Разное`) are titles, not tasks; `ПОРУЧЕНО:` is a decision formula, so what follows the speeches is read again.
    @Test func questionsOfMinutesAndTheirFormulas() {
        let found = ResolutionReader.parse(text: ["ПРОТОКОЛ № 9", "селекторного совещания управления образования", "14.11.2025",
                                                  "1. О подготовке к итоговому сочинению", "СЛУШАЛИ: Кудряшову Е.В.", "РЕШИЛИ:",
                                                  "1.1. Руководителям ОО в срок до 25.11 представить сведения о составе комиссий.",
                                                  "2. Об организации горячего питания обучающихся", "СЛУШАЛИ: Гришину Т.А.", "ПОРУЧЕНО:",
                                                  "2.1. Руководителям ОО обеспечить ежедневно до 10:00 внесение сведений об охвате питанием.",
                                                  "5. Разное", "СЛУШАЛИ: Сафонову М.В.", "РЕШИЛИ:",
                                                  "5.1. Руководителям ОО в срок до пятницы направить заявки на конкурс."].joined(separator: "\n"))
        #expect(found.tasks.map(\.number) == ["1.1.", "2.1.", "5.1."], "\(found.tasks.map(\.text))")
    }

    /// Spec §3 (issue 17, part 14): a numbered item with its own `Срок:` line is a task in any document (a letter's table
    /// of the reports it asks for); a federal city's own department is regional; a question's topic before `СЛУШАЛИ`
    /// on one line is a speech; a dash inside a quoted name does not end a paragraph.
    @Test func aLettersTableOfReportsAndAFederalCity() {
        let letter = ResolutionReader.parse(text: ["МИНИСТЕРСТВО ОБРАЗОВАНИЯ И НАУКИ", "РЕСПУБЛИКИ КАЛМЫКИЯ", "Исх. № 01-14/2873 от 14.10.2025", "",
                                                   "О представлении отчётной информации", "", "Уважаемые руководители!", "",
                                                   "1. Сведения о численности обучающихся, не приступивших к учебным занятиям",
                                                   "Срок: до 20.10.2025",
                                                   "2. Рейтинговые таблицы и протоколы результатов муниципального этапа олимпиады",
                                                   "Срок: ноябрь – декабрь 2025 г."].joined(separator: "\n"))
        #expect(letter.tasks.map(\.number) == ["1.", "2."], "\(letter.tasks.map(\.text))")
        #expect(Levels.ofBody("Департаменту образования и науки города Севастополя") == .regional)
        #expect(Levels.ofBody("Комитету по образованию Санкт-Петербурга") == .regional)
        #expect(Levels.ofBody("отделу образования администрации Кировского района Санкт-Петербурга") == .municipal)
        let minutes = ResolutionReader.parse(text: ["ПРОТОКОЛ № 1", "заседания совета директоров", "28 января 2026 г.",
                                                    "1. О подготовке к ГИА. СЛУШАЛИ: Иванову И.И.", "РЕШИЛИ:",
                                                    "1.1. Руководителям ОО провести пробный экзамен до 18.02.2026.",
                                                    "5. РАЗНОЕ. СЛУШАЛИ: Ковтун И.В. о внесении сведений в ФИС ФРДО.", "РЕШИЛИ:",
                                                    "5.1. Руководителям ОО внести сведения в ФИС ФРДО до 01.03.2026."].joined(separator: "\n"))
        #expect(minutes.tasks.map(\.number) == ["1.1.", "5.1."], "\(minutes.tasks.map(\.text))")
        let quoted = ResolutionReader.parse(text: ["РЕЗОЛЮЦИЯ", "городской конференции", "26 августа 2025 года", "",
                                                   "     1. Педагогическим работникам:",
                                                   "     1.1. принять участие в городском конкурсе профессионального мастерства",
                                                   "«Учитель года города Севастополя – 2026»."].joined(separator: "\n"))
        #expect(quoted.tasks.first?.text.hasSuffix("– 2026».") == true, "\(quoted.tasks.map(\.text))")
    }

    /// Spec §2: a plan's date is its approval's, not that of the grounds stated under its heading; a head's title that
    /// names no body goes on with the stamp's next line (`Директор … филиала` | `ГАОУ ДПО …`).
    @Test func groundsAndABranchsApproval() {
        let plan = ResolutionReader.parse(text: ["УТВЕРЖДАЮ", "Директор МБОУ «СОШ № 16» округа Муром", "____________ Е.В. Сорокина", "«24» ноября 2025 г.", "",
                                                 "ПЛАН", "мероприятий по устранению нарушений", "",
                                                 "Основание: предписание от 10.11.2025 № 214-П (проверка проведена с 27.10.2025 по 07.11.2025).", "",
                                                 "1. Провести повторный инструктаж работников пищеблока", "Срок: незамедлительно",
                                                 "Ответственные: заместитель директора по АХЧ"].joined(separator: "\n"))
        #expect(plan.document.date == "2025-11-24")
        #expect(plan.tasks.first?.deadline?.deadline == .date("2025-11-24"))
        let courses = ResolutionReader.parse(text: ["УТВЕРЖДАЮ", "Директор Каменск-Уральского филиала", "ГАОУ ДПО СО «Институт развития образования»",
                                                    "_____________ С.Г. Вершинина", "«19» декабря 2025 г.", "",
                                                    "ПЛАН", "реализации программ повышения квалификации на 2026 год", "",
                                                    "1. Управление образовательной организацией (руководители ОО)", "Срок: 10.02–14.02.2026"].joined(separator: "\n"))
        #expect(courses.tasks.map(\.level) == [.regional], "\(courses.tasks.map(\.text))")
    }

    /// Spec §2, a chat export (issue 17, part 14): a channel's posts copied with their date and time alone on a line; views,
    /// hashtags and attachments are no text; the heading's `для …` names the members; a post's pictograph title stands
    /// alone; a move takes the first date after its words.
    @Test func aChannelsPosts() {
        let found = ResolutionReader.parse(text: ["Управление образования администрации города Прокопьевска", "Telegram-канал @uo_prokopyevsk",
                                                  "Официальный канал для руководителей и педагогов образовательных организаций города", "",
                                                  "10 ноября 2025, 08:47", "Доброе утро, коллеги! Сегодня стартует Неделя психологии.", "#новости", "👁 1 487", "",
                                                  "12 ноября 2025, 14:20", "Коллеги, по посту выше:", "1) до 21.11 обеспечить прохождение опроса педагогами;",
                                                  "2) до 24.11 направить информацию о количестве педагогов, прошедших опрос.", "#ГИА2026 #руководителям", "👁 998", "",
                                                  "13 ноября 2025, 16:10", "🍲 Мониторинг организации горячего питания",
                                                  "Руководителям ОО заполнить форму мониторинга организации горячего питания по ссылке.", "📎 форма.xlsx", "#питание", "",
                                                  "17 ноября 2025, 08:50", "Коллеги, напоминаем: до конца недели провести родительские собрания в 9-х классах.", "",
                                                  "21 ноября 2025, 12:00", "Уточнение: по п. 2 поста от 12 ноября срок продлён до 26.11 — министерство продлило опрос до 28 ноября."].joined(separator: "\n"))
        #expect(found.document.kind == "чат")
        #expect(found.tasks.map { String($0.text.prefix(11)) } == ["до 21.11 об", "до 24.11 на", "Руководител", "Коллеги, на"], "\(found.tasks.map(\.text))")
        #expect(found.tasks.map(\.level) == [.school, .school, .school, .school])
        #expect(found.tasks[1].deadline?.deadline == .date("2025-11-26"))
        #expect(found.tasks[3].deadline?.deadline == .date("2025-11-21"))
    }

    /// Spec §1, §3, §4 (issue 17, part 15): a VK wall's posts (a short month under the author's line, counters, comments),
    /// a topic's numbered title, `ИМЦ:` before a leading deadline, what to send before its verb, `… состоится:` over the
    /// event's date line dating the participation asked for.
    @Test func aVKWallsPosts() {
        let found = ResolutionReader.parse(text: ["Отдел образования администрации округа", "Сообщество · Образование · 1 248 участников", "Записи сообщества", "",
                                                  "Отдел образования администрации округа", "7 ноя 2025 в 16:40", "",
                                                  "Уважаемые коллеги! Публикуем ноябрьский выпуск вестника методиста. Вопросы – методисту отдела образования Соколовой М.А., тел. 4-15-37.",
                                                  "🔹 1. Семинар для заместителей директоров по УВР", "Муниципальный семинар «Функциональная грамотность: от диагностики к результату» состоится:",
                                                  "12 ноября 2025 г., 14:00, МБОУ СОШ № 4",
                                                  "Руководителям ОО обеспечить участие заместителей директоров по УВР в семинаре.",
                                                  "ИМЦ: до 20.11 подготовить сводную информацию о результатах входной диагностики.",
                                                  "Руководителям РМО: в ноябре – декабре провести заседания РМО.",
                                                  "Протоколы заседаний РМО с предложениями направить в ИМЦ до 26 декабря.",
                                                  "#методвестник", "Нравится 31   Комментарии 3   Поделиться 4   👁 688",
                                                  "МБОУ «Козловская СОШ»", "Заявки на курсы подавать в свободной форме?", "7 ноя в 17:05   Ответить", "",
                                                  "Отдел образования администрации округа", "14 ноя 2025 в 11:02", "",
                                                  "❗️ Совещание руководителей ОО", "Очередное совещание руководителей общеобразовательных организаций состоится:",
                                                  "27 ноября 2025 г., 10:00, актовый зал администрации округа (ул. Энергетиков, д. 13)",
                                                  "Повестка: 1) итоги входной диагностики по математике в 5-х классах; 2) подготовка к итоговому сочинению (изложению).",
                                                  "Руководителям ОО к совещанию подготовить информацию о готовности ОО.", "#совещание", "",
                                                  "Отдел образования администрации округа", "18 ноя 2025 в 09:30", "",
                                                  "🏆 Поздравляем победителей муниципального этапа олимпиады!", "#олимпиада"].joined(separator: "\n"))
        #expect(found.document.kind == "чат")
        #expect(found.tasks.map { String($0.text.prefix(10)) } == ["Руководите", "ИМЦ: до 20", "Руководите", "Протоколы ", "Руководите"], "\(found.tasks.map(\.text))")
        #expect(found.tasks.map { $0.deadline?.deadline } == [.date("2025-11-12"), .date("2025-11-20"), .period(from: "2025-11-01", to: "2025-12-31"),
                                                             .date("2025-12-26"), .date("2025-11-27")])
        #expect(found.tasks[1].addressees == ["ИМЦ"] && found.tasks[1].level == .municipal)
    }

    /// Spec §3 (issue 17, part 15): method text of recommendations, a stamp's protocol in parentheses, another act's quoted
    /// decisions, a list of people, decisions about pupils; a `.docx` letterhead beside the address block.
    @Test func methodTextQuotationsPeopleAndPupils() {
        let recommendations = ResolutionReader.parse(text: ["УТВЕРЖДЕНЫ", "решением научно-методического совета", "(протокол от 16.10.2025 № 7)", "",
                                                            "МЕТОДИЧЕСКИЕ РЕКОМЕНДАЦИИ", "по формированию читательской грамотности", "",
                                                            "При планировании уроков рекомендуется выделять этап работы с текстом.", "",
                                                            "Педагогам рекомендуется чередовать сплошные и несплошные тексты.", "",
                                                            "Руководителям общеобразовательных организаций:",
                                                            "– включить вопросы читательской грамотности в планы работы ШМО (срок – до 15 декабря 2025 г.);"].joined(separator: "\n"))
        #expect(recommendations.document.kind == "рекомендации")
        #expect(recommendations.tasks.map { String($0.text.prefix(8)) } == ["включить"], "\(recommendations.tasks.map(\.text))")
        let letter = ResolutionReader.parse(text: ["ПРИКАЗ", "24.11.2025 № 12", "Во исполнение решения коллегии от 30.10.2025 № 5/3, которым поручено:",
                                                   "«1. Органам местного самоуправления обеспечить до 15 декабря 2025 года проведение рейдов.",
                                                   "2. Рекомендовать руководителям общеобразовательных организаций организовать работу служб примирения.",
                                                   "3. Центру провести в феврале 2026 года областной семинар»,", "ПРИКАЗЫВАЮ:",
                                                   "1. Допустить к государственной итоговой аттестации обучающихся 9-х классов.",
                                                   "2. Перевести условно в следующий класс обучающихся, имеющих академическую задолженность.",
                                                   "3. Утвердить состав рабочей группы:", "1) Левченко Ирина Александровна – заместитель директора;",
                                                   "4. Классным руководителям провести родительские собрания до 20 декабря 2025 г."].joined(separator: "\n"))
        #expect(letter.tasks.map { String($0.text.prefix(9)) } == ["Классным "], "\(letter.tasks.map(\.text))")
        let cells = [[["АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА", "03.09.2025 № 01-15/1842"], ["", "Руководителям общеобразовательных организаций", "(по списку рассылки)"]]]
        #expect(Docx.render(cells) == ["АДМИНИСТРАЦИЯ ГОРОДСКОГО ОКРУГА", "03.09.2025 № 01-15/1842", "Руководителям общеобразовательных организаций", "(по списку рассылки)"])
    }

    /// Spec §3, §4 (issue 17, part 15, from three documents moved up): an event's day without its year after `завтра`, a
    /// move naming `п. 2 вчерашнего поста`, a frequency before a leading deadline, a republic's `РГБЛПУ`.
    @Test func aChannelsEventDayMoveAndFrequency() {
        let found = ResolutionReader.parse(text: ["Образование района", "Канал комитета по образованию для руководителей ОО", "",
                                                  "Образование района, [17.10.2025 08:50]",
                                                  "Просим обеспечить явку участников НПК «Шаг в будущее», который пройдёт завтра, 18.10, в 10:00 на базе МБОУ «СОШ № 3».", "",
                                                  "Образование района, [20.10.2025 09:00]", "📋 Задачи на неделю:",
                                                  "1. До 22.10 внести в ФИС ФРДО сведения о выданных аттестатах.",
                                                  "2. До конца недели обновить паспорта доступности ОО.", "",
                                                  "Образование района, [21.10.2025 11:20]", "Уточнение: срок по п. 2 вчерашнего поста переносится на 29.10.", "",
                                                  "Образование района, [29.10.2025 16:20]",
                                                  "📌 Ежемесячно до 5 числа направлять в комитет сведения об обучающихся, пропускающих занятия."].joined(separator: "\n"))
        #expect(found.tasks.map { $0.deadline?.deadline } == [.date("2025-10-18"), .date("2025-10-22"), .date("2025-10-29"), .recurring(every: "month")],
                "\(found.tasks.map(\.text))")
        #expect(Levels.ofBody("РГБЛПУ «Усть-Джегутинская центральная районная больница»") == .regional)
    }

    /// Spec §3 (issue 17, part 14, from three documents moved up): a statement before a list of districts with dates is no
    /// addressee line; districts listed with their own deadlines under a directive are a task each (districts before one
    /// noun one addressee, a city alone its authority); `Установить сроки …` is the document's; a `кожуун` is a district;
    /// `о ходе летней оздоровительной кампании` is what a report is about.
    @Test func districtsListedAndTimesTheDocumentSets() {
        let letter = ResolutionReader.parse(text: ["МИНИСТЕРСТВО ОБРАЗОВАНИЯ И НАУКИ РЕСПУБЛИКИ БУРЯТИЯ", "08.10.2025 № 02-13/4417", "",
                                                   "Руководителям органов местного самоуправления, осуществляющих управление в сфере образования", "",
                                                   "О проведении диагностики", "", "Уважаемые коллеги!", "",
                                                   "Диагностика проводится в муниципальных образованиях в следующие сроки:",
                                                   "– г. Улан-Удэ – 21 и 22 октября 2025 г.;", "– Кабанский, Прибайкальский районы – 30 октября 2025 г.", "",
                                                   "Министерство просит:",
                                                   "1. Направить в БРИОП протоколы проведения диагностики в следующие сроки:",
                                                   "– г. Улан-Удэ – до 27 октября 2025 г.;", "– Баргузинский, Курумканский районы – до 29 октября 2025 г.;",
                                                   "– остальные муниципальные образования – не позднее 11 ноября 2025 г.",
                                                   "2. Обеспечить объективность проведения диагностики."].joined(separator: "\n"))
        #expect(letter.tasks.map(\.addressees) == [["г. Улан-Удэ"], ["Баргузинский, Курумканский районы"], ["остальные муниципальные образования"],
                                                   ["Руководителям органов местного самоуправления, осуществляющих управление в сфере образования"]],
                "\(letter.tasks.map(\.text))")
        #expect(letter.tasks.map(\.level) == [.municipal, .municipal, .municipal, .municipal])
        #expect(letter.tasks.prefix(3).map { $0.deadline?.deadline } == [.date("2025-10-27"), .date("2025-10-29"), .date("2025-11-11")])
        let order = ResolutionReader.parse(text: ["ПРИКАЗ", "14.04.2026 № 87-о", "О проведении промежуточной аттестации", "ПРИКАЗЫВАЮ:",
                                                  "1. Установить сроки ликвидации академической задолженности: первая пересдача – с 07.09.2026 по 18.09.2026.",
                                                  "2. Установить видеонаблюдение в аудиториях до 20.04.2026."].joined(separator: "\n"))
        #expect(order.tasks.map(\.number) == ["2."], "\(order.tasks.map(\.text))")
        #expect(Levels.ofBody("Управлению образования администрации Кызылского кожууна") == .municipal)
        #expect(Levels.ofBody("Отделу по молодёжной политике и спорту администрации Кызылского кожууна") == .municipal)
        #expect(DeadlineParser.find(in: "Представлять в министерство информацию о ходе летней оздоровительной кампании еженедельно, по пятницам.",
                                    referenceDate: "2026-03-20")?.deadline == .recurring(every: "week"))
    }

    /// Spec §3 (issue 17, part 14, round 2, precision): rows of figures, findings (`Мониторинг проведён …`, `Анализ …
    /// показал, что …`), section titles over their rows, a plan's title, a form's fields and what a heading of mistakes or
    /// principles lists are no tasks; `Контроль за реализацией планов` in a plan is work, `Контроль за исполнением
    /// приказа возложить …` is not; a справка dated under its signature.
    @Test func findingsFiguresFormsAndMistakesAreNoTasks() {
        func tasks(_ lines: [String]) -> [ResolutionTask] { AttackRegressionTests.tasks(lines) }
        let order = tasks(["ПРИКАЗ", "14.11.2025 № 412", "Об итогах мониторинга", "ПРИКАЗЫВАЮ:",
                                "1. Руководителям общеобразовательных организаций обеспечить реализацию школьных планов до 01.12.2025.",
                                "2. Контроль за исполнением настоящего приказа возложить на заместителя председателя.",
                                "Приложение 1", "АНАЛИТИЧЕСКАЯ СПРАВКА", "по итогам мониторинга",
                                "Мониторинг проведён с 6 по 10 октября 2025 года в соответствии с планом работы Комитета.",
                                "1. 186 61,4 17,2 11,1", "Ответственные: МБОУ «Средняя школа № 1»",
                                "Выводы:", "1. Средний процент выполнения работы снизился по сравнению с 2024 годом.",
                                "2. Анализ выполнения отдельных заданий показал, что умения интерпретировать информацию сформированы слабо.",
                                "Приложение 2", "ПЛАН мероприятий по повышению уровня читательской грамотности обучающихся общеобразовательных организаций",
                                "1. Организационно-управленческие мероприятия", "1.1. Рассмотрение итогов мониторинга на совещании руководителей ОО",
                                "Срок: ноябрь 2025 г.", "Ответственные: Комитет образования",
                                "1.2. Контроль за реализацией школьных планов по повышению уровня читательской грамотности", "Срок: в течение учебного года",
                                "Ответственные: Комитет образования"])
        #expect(order.map(\.number) == ["1.", "1.1.", "1.2."], "\(order.map(\.text))")
        #expect(order.dropFirst().map(\.level) == [.municipal, .municipal])
        let recommendations = tasks(["МЕТОДИЧЕСКИЕ РЕКОМЕНДАЦИИ", "по организации работы с обучающимися", "",
                                          "Работа основывается на следующих принципах:", "1. Ситуация успеха: задания подбираются так, чтобы обучающийся мог продвигаться и видеть свой результат.",
                                          "При этом необходимо учитывать, что повторение эффективно только с обратной связью.",
                                          "5. ТИПИЧНЫЕ ОШИБКИ ПРИ ОРГАНИЗАЦИИ РАБОТЫ", "Анализ практики позволил выделить ряд типичных ошибок:",
                                          "1. Проведение дополнительных занятий по принципу «натаскивания» на типовые задания.",
                                          "6. ПРЕДЛОЖЕНИЯ ПО ОРГАНИЗАЦИИ РАБОТЫ", "6.1. Органам местного самоуправления, осуществляющим управление в сфере образования:",
                                          "6.1.1. Организовать мониторинг работы с обучающимися до 1 декабря 2025 года."])
        #expect(recommendations.map(\.number) == ["6.1.1."], "\(recommendations.map(\.text))")
        let form = tasks(["ПРИКАЗ", "27.10.2025 № 318-од", "ПРИКАЗЫВАЮ:", "1. Руководителям ОО направить заявки до 07.11.2025.", "Приложение 2", "ЗАЯВКА",
                               "1. Фамилия, имя, отчество участника ____________________", "2. Тема урока, класс ____________________"])
        #expect(form.map(\.number) == ["1."], "\(form.map(\.text))")
        let spravka = ResolutionReader.parse(text: ["Муниципальное бюджетное общеобразовательное учреждение", "«Средняя общеобразовательная школа № 7»", "",
                                                    "АНАЛИТИЧЕСКАЯ СПРАВКА", "по итогам всероссийских проверочных работ в 2025 году", "", "Рекомендации:",
                                                    "1. Заместителю директора по УВР обеспечить контроль за объективностью оценивания в течение учебного года.", "",
                                                    "Заместитель директора по УВР   Л.А. Сорокина", "12.09.2025"].joined(separator: "\n"))
        #expect(spravka.document.kind == "справка")
        #expect(spravka.document.date == "2025-09-12")
        #expect(spravka.tasks.first?.deadline?.deadline == .period(from: "2025-09-01", to: "2026-08-31"))
    }

    /// Part 16's development documents, spec §1–§4: a циклограмма's tab tables with the time first and no `№`; a plan's
    /// unnumbered rows; a calendar of dates and a project's aims, which describe; a form appended to a letter; a report
    /// sent up; a term counted from an undated event; a декада from signing; a schedule named in a few words.
    @Test func partSixteenDevelopmentRules() {
        let cyclogram = AttackRegressionTests.tasks(["ЦИКЛОГРАММА", "работы методического кабинета на 2025/2026 учебный год", "", "I. ПОНЕДЕЛЬНИК",
                                                     "Время\tСодержание работы\tОтветственный", "9.00\tПланёрка специалистов\tДёмина С.В.",
                                                     "первый вторник месяца, 14.00\tЗаседание методического совета\tДёмина С.В.", "",
                                                     "II. МЕРОПРИЯТИЯ С УСТАНОВЛЕННЫМИ СРОКАМИ", "Дата\tМероприятие\tОтветственный",
                                                     "28.08.2025\tАвгустовское совещание педагогов\tУправление"])
        #expect(cyclogram.map { $0.deadline?.deadline } == [.recurring(every: "week"), .recurring(every: "month"), .date("2025-08-28")],
                "\(cyclogram.map(\.text))")
        let calendar = AttackRegressionTests.tasks(["ПЛАН", "воспитательной работы на 2025/2026 учебный год", "", "Модуль «Основные школьные дела»",
                                                    "• Всероссийская акция «Блокадный хлеб»", "Срок: 27.01.2026",
                                                    "Календарь памятных дат (основа для классных часов)", "• День российской науки", "Срок: 8 февраля",
                                                    "Модуль «Работа с родителями»", "• Родительское собрание", "Срок: февраль 2026 г."])
        #expect(calendar.map(\.text) == ["Всероссийская акция «Блокадный хлеб»", "Родительское собрание"], "\(calendar.map(\.text))")
        let passport = AttackRegressionTests.tasks(["ПАСПОРТ", "муниципального проекта «Грамотность» на 2025/2026 учебный год", "",
                                                    "3. Задачи проекта:", "– создание муниципальной системы диагностики;", "– выявление лучших практик.",
                                                    "4. План мероприятий", "Подготовительный этап (сентябрь – октябрь 2025 г.):",
                                                    "1. Установочный семинар для заместителей руководителей", "Срок: 24.09.2025"])
        #expect(passport.map(\.text) == ["Установочный семинар для заместителей руководителей"], "\(passport.map(\.text))")
        let letter = AttackRegressionTests.tasks(["УПРАВЛЕНИЕ ОБРАЗОВАНИЯ", "19.12.2025 № 01-14/2231", "Директору МБОУ «СОШ № 3»", "",
                                                  "О принятии мер", "", "В целях обеспечения объективности в 2026 году прошу:",
                                                  "1. Провести в срок до 16.01.2026 заседание педагогического совета.",
                                                  "2. Разместить план на сайте школы в течение 3 рабочих дней после его утверждения.",
                                                  "3. Организовать консультации в течение декады со дня подписания настоящего письма.",
                                                  "", "Приложение", "к письму от 19.12.2025 № 01-14/2231", "ФОРМА ОТВЕТА",
                                                  "1. Заседание педагогического совета", "Срок: до 16.01.2026"])
        #expect(letter.map { $0.deadline?.deadline } == [.date("2026-01-16"), nil, .date("2025-12-29")], "\(letter.map(\.text))")
        let report = AttackRegressionTests.tasks(["МБОУ «СРЕДНЯЯ ОБЩЕОБРАЗОВАТЕЛЬНАЯ ШКОЛА № 6»", "Исх. № 412 от 24.12.2025",
                                                  "Председателю комитета по образованию администрации города", "", "ИНФОРМАЦИЯ",
                                                  "о выполнении плана мероприятий в I полугодии 2025/2026 учебного года", "",
                                                  "1. Проведённые мероприятия", "Проведено 25 мероприятий.", "",
                                                  "2. Задачи на II полугодие 2025/2026 учебного года", "1. Провести в январе 2026 г. встречу с инспектором.",
                                                  "2. Продолжить работу отряда ЮИД."])
        #expect(report.map(\.level) == [.school, .school] && report.last?.deadline?.deadline == .period(from: "2026-01-01", to: "2026-08-31"),
                "\(report.map { ($0.text, $0.level, $0.deadline?.raw ?? "") })")
        let order = AttackRegressionTests.tasks(["ПРИКАЗ", "08.12.2025 № 1418", "ПРИКАЗЫВАЮ:",
                                                 "1. Направить участников в соответствии с графиком проведения регионального этапа (приложение 2).",
                                                 "2. Муниципальному бюджетному учреждению дополнительного профессионального образования «Центр развития образования» провести сборы с 04.12 по 19.12.2025.",
                                                 "3. Руководителям ОО обеспечить участие обучающихся в сборах, указанных в пункте 2, в период их проведения.",
                                                 "", "Приложение 2", "к приказу от 08.12.2025 № 1418", "ГРАФИК", "проведения регионального этапа олимпиады",
                                                 "Дата\tПредмет\tМесто проведения", "13.01.2026\tлитература\tБелГУ", "20.02.2026\tрусский язык\tБелГУ"])
        #expect(order.map { $0.deadline?.deadline } == [.period(from: "2026-01-13", to: "2026-02-20"), .period(from: "2025-12-04", to: "2025-12-19"),
                                                        .period(from: "2025-12-04", to: "2025-12-19")], "\(order.map(\.text))")
        #expect(order.dropFirst().first?.level == .municipal)
    }

    /// Part 16, the seventeenth set's three moved up, spec §2–§4: a телефонограмма's fields and formula; two sentences of
    /// one item; a statement over a list; a quoted form; the preamble's period; an hour before a date; a receipt list; a
    /// quarter's heading; school years listed; the body that speaks asks.
    @Test func aTelephoneMessageAndAQuartersPlan() {
        let message = AttackRegressionTests.tasks(["МКУ «УПРАВЛЕНИЕ ОБРАЗОВАНИЯ»", "ТЕЛЕФОНОГРАММА № 14",
                                                   "Дата передачи: 12.02.2026 Передал: Шогенова З.Х. Кому: руководителям общеобразовательных организаций Копия: МКУ «ЦОД»",
                                                   "О принятии дополнительных мер",
                                                   "Во исполнение телефонограммы министерства от 11.02.2026 № 27-т и в связи с введением на территории района с 12 по 23 февраля 2026 года усиленного режима несения службы (период проведения массовых мероприятий, посвящённых Дню защитника Отечества), в целях обеспечения безопасности обучающихся",
                                                   "ПРЕДЛАГАЮ:",
                                                   "1. Сегодня, 12.02.2026, до 15.00 провести внеплановые инструктажи. Сканы записей направить на адрес управления до 16.00.",
                                                   "2. Ежедневно до 08.30 докладывать дежурному по форме:", "«МКОУ «СОШ ___», происшествий нет».",
                                                   "3. Не допускать в указанный период стоянки автотранспорта у входов в здания.",
                                                   "4. Графики дежурства на выходные дни 14 и 15 февраля 2026 года направить до 14.00 13.02.2026.",
                                                   "5. Повторно: информацию о системах контроля доступа представить в срок до 13.02.2026. Информация не поступила от:",
                                                   "– МКОУ «СОШ с. Учебное»;", "– МКОУ «СОШ с. Карагач».", "", "ТЕЛЕФОНОГРАММУ ПРИНЯЛИ:",
                                                   "№\tОрганизация\tФ.И.О. принявшего\tВремя", "7\tМКОУ «СОШ ст. Солдатской»\tЛитвинова Е.С.\t11.02"])
        #expect(message.map(\.number) == ["1.", "1.", "2.", "3.", "4.", "5."], "\(message.map(\.text))")
        #expect(message.allSatisfy { $0.level == .school })
        #expect(message.map { $0.deadline?.deadline } == [.date("2026-02-12"), .date("2026-02-12"), .recurring(every: "continuous"),
                                                          .period(from: "2026-02-12", to: "2026-02-23"), .date("2026-02-13"), .date("2026-02-13")])
        let plan = AttackRegressionTests.tasks(["ПЛАН", "мероприятий Управления образования на 2026 год", "", "I квартал:",
                                                "1. Муниципальный конкурс сочинений «Моя семья»", "Ответственные: МКУ «РМК»", "II квартал:",
                                                "2. Организация участия в акции «Диктант»", "Срок: в течение квартала",
                                                "3. Реализация курса «Алтай – мой край»", "Срок: 2025/2026 и 2026/2027 учебные годы"])
        #expect(plan.map { $0.deadline?.deadline } == [.period(from: "2026-01-01", to: "2026-03-31"), .period(from: "2026-04-01", to: "2026-06-30"),
                                                       .period(from: "2025-09-01", to: "2027-08-31")], "\(plan.map(\.text))")
        let letter = AttackRegressionTests.tasks(["МИНИСТЕРСТВО ОБРАЗОВАНИЯ КИРОВСКОЙ ОБЛАСТИ", "12.01.2026 № 145-44-05",
                                                  "Руководителям органов местного самоуправления", "", "О проведении мониторинга", "",
                                                  "Министерство образования Кировской области просит в срок до 23.01.2026 направить сведения о питании.", "",
                                                  "Приложение: 1. Положение о мониторинге на 4 л. в 1 экз."])
        #expect(letter.count == 1 && letter.first?.deadline?.deadline == .date("2026-01-23"), "\(letter.map(\.text))")
    }

    /// Part 17's rules from its development documents, spec §3–§4, in made-up wording.
    @Test func partSeventeenDevelopmentRules() {
        func tasks(_ lines: [String]) -> [ResolutionTask] { AttackRegressionTests.tasks(lines) }
        let order = tasks(["УПРАВЛЕНИЕ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ЭНСКОГО МУНИЦИПАЛЬНОГО РАЙОНА", "ПРИКАЗ", "19.01.2026 № 27", "ПРИКАЗЫВАЮ:",
                           "1. Провести районный фестиваль 16–20 марта 2026 года.",
                           "2. Методическому центру:", "2.1. принять заявки участников до 2 февраля 2026 года;",
                           "2.2. провести совещание с участниками 4 февраля 2026 года в 15.00 в методическом центре (ул. Мира, д. 8);",
                           "2.3. направить до 2 марта 2026 г. заявки на участие в областном этапе, который пройдёт с 23 по 27 марта 2026 г.",
                           "3. Руководителям ОО направить заявки в срок, указанный в подпункте 2.1 настоящего приказа.",
                           "4. Рекомендовать ООО «Энская транспортная компания» обеспечить подвоз участников."])
        #expect(order.map { $0.deadline?.deadline } == [.period(from: "2026-03-16", to: "2026-03-20"), .date("2026-02-02"), .date("2026-02-04"),
                                                        .date("2026-03-02"), .date("2026-02-02"), nil], "\(order.map(\.text))")
        #expect(order.map(\.level) == [.municipal, .municipal, .municipal, .municipal, .school, .other], "\(order.map { ($0.text, $0.level) })")
        let measures = tasks(["ПРИКАЗ", "03.09.2025 № 1187", "ПРИКАЗЫВАЮ:",
                              "1. Руководителям ОО обеспечить выполнение следующих мероприятий:", "1.1. Контроль качества:",
                              "1.1.1. Ежедневный контроль качества готовой продукции;", "1.1.2. Сверка списков – к 15 числу месяца, следующего за отчётным кварталом.",
                              "1.2. Информационная работа (в течение 2025/2026 учебного года):", "1.2.1. Размещение информации на сайтах учреждений.",
                              "1.3. Охват горячим питанием: до 90 % – к 1 января 2026 г., до 95 % – к 1 сентября 2026 г."])
        #expect(measures.map { $0.deadline?.deadline } == [.recurring(every: "continuous"), .recurring(every: "quarter"),
                                                           .period(from: "2025-09-01", to: "2026-08-31"),
                                                           .staged([Stage(date: "2026-01-01", target: "до 90 %"), Stage(date: "2026-09-01", target: "до 95 %")])],
                "\(measures.map(\.text))")
        let letter = tasks(["МИНИСТЕРСТВО ОБРАЗОВАНИЯ ЭНСКОЙ ОБЛАСТИ", "14.11.2025 № 03-12/5874", "Руководителям органов местного самоуправления",
                            "О мониторинге", "Министерство информирует о проведении в период с 1 по 12 декабря 2025 года мониторинга деятельности школьных клубов.",
                            "В связи с изложенным просим в срок до 28 ноября 2025 г.:", "а) назначить муниципальных координаторов;",
                            "б) довести до сведения руководителей организаций, что:", "– мониторинг проводится в электронной форме;",
                            "– результаты будут учтены при распределении субсидий;", "Просим также:",
                            "в) обеспечить участие организаций в мониторинге в установленный период."])
        #expect(letter.map { $0.deadline?.deadline } == [.date("2025-11-28"), .date("2025-11-28"), .period(from: "2025-12-01", to: "2025-12-12")],
                "\(letter.map(\.text))")
    }

    /// Part 17's second round, for the genres the unseen figures name weakest, spec §1–§4: period columns with their
    /// legend; an address block beside a letterhead; a letter's asks after its facts; an OCR'd date; aims of an association.
    @Test func partSeventeenWeakGenres() throws {
        let plan = try AttackRegressionTests.docxTasks(["ПЛАН РАБОТЫ", "районного методического объединения учителей на 2025/2026 учебный год", "",
                                                        "«х» – мероприятие в указанный период не проводится."],
                                                       [["№", "Содержание работы", "Сентябрь–октябрь", "Ноябрь–декабрь", "Январь–февраль", "Ответственный"],
                                                        ["1.", "Заседание РМО № 1", "✓", "", "", "Кудрявцева Н.В."],
                                                        ["2.", "Заседание РМО № 2", "", "х", "✓", "Кудрявцева Н.В."],
                                                        ["3.", "Обновление банка данных", "+", "", "+", "Шестакова Л.П."]])
        #expect(plan.map { $0.deadline?.deadline } == [.period(from: "2025-09-01", to: "2025-10-31"), .period(from: "2026-01-01", to: "2026-02-28"),
                                                       .period(from: "2025-09-01", to: "2026-02-28")], "\(plan.map(\.text))")
        let pad = String(repeating: " ", count: 54)
        let letter = ResolutionReader.parse(text: [
            "                Калужская область", pad + "Заместителю министра –", "АДМИНИСТРАЦИЯ ГОРОДА ОБНИНСКА", pad + "начальнику управления",
            "   пр. Маркса, д. 52, г. Обнинск        " + "       общего образования министерства", pad + "Калужской области",
            "     21.11.2025 № 01-19/2846                       Е.В. Тарасовой", "", "О кадровом обеспечении", "",
            "Уважаемая Елена Викторовна!",
            "По состоянию на 01.11.2025 в ОО работают 1184 педагога. Просим учесть эти сведения при формировании банка вакансий.",
            "Копия письма направлена в КГИРО. Просим КГИРО в срок до 15 декабря 2025 г. сообщить сроки набора. Кроме того, просим КГИРО предусмотреть во II квартале 2026 года стажировку.",
            "Нам известно, что министерство планирует провести совещание. Просим предоставить возможность выступления."].joined(separator: "\n") + "\n").tasks
        #expect(letter.map(\.text) == ["Просим учесть эти сведения при формировании банка вакансий.", "Просим КГИРО в срок до 15 декабря 2025 г. сообщить сроки набора.",
                                       "Кроме того, просим КГИРО предусмотреть во II квартале 2026 года стажировку.", "Просим предоставить возможность выступления."],
                "\(letter.map(\.text))")
        #expect(letter.allSatisfy { $0.level == .regional }, "\(letter.map { ($0.addressees, $0.level) })")
        #expect(ScanRepair.repair("провести собеседования до 2l.11.2025;") == "провести собеседования до 21.11.2025;")
        let aims = AttackRegressionTests.tasks(["ПЛАН РАБОТЫ", "районного методического объединения учителей математики на 2025/2026 учебный год", "",
                                                "Задачи РМО на 2025/2026 учебный год:", "1. Совершенствование методики работы с текстом.",
                                                "2. Обеспечить методическое сопровождение молодых учителей.", "", "Мероприятия:",
                                                "1. Заседание РМО – август – руководитель РМО."])
        #expect(aims.map(\.text) == ["Обеспечить методическое сопровождение молодых учителей.", "Заседание РМО – август – руководитель РМО."], "\(aims.map(\.text))")
    }
    /// Part 18's rules from the development documents: labelled items, keyed `Срок:` parts, Roman month columns with
    /// days and a reserve mark, a plan's bare `Задачи:`, a heading over people, a post in the issuer's unit.
    @Test func partEighteenDevelopmentRules() throws {
        let minutes = AttackRegressionTests.tasks(["МКУ «УПРАВЛЕНИЕ ОБРАЗОВАНИЯ АДМИНИСТРАЦИИ ГОРОДА ЭНСКА»", "", "ПРОТОКОЛ № 3", "рабочего совещания", "", "22.01.2026", "",
                                                   "2. О результатах мониторинга", "", "СЛУШАЛИ: Суханову Е.П. В мониторинге участвовали 34 ОО.", "",
                                                   "Решение 2.1: Информацию Сухановой Е.П. принять к сведению.", "",
                                                   "Поручение 2.2: Провести перекрёстную проверку тетрадей; по итогам проверки подготовить аналитическую справку.",
                                                   "Ответственный: Суханова Е.П., главный специалист отдела общего образования.",
                                                   "Срок: проверка – 09.02–13.02.2026; справка – до 20.02.2026.", "",
                                                   "Поручение 2.3: Рассмотреть вопрос на заседаниях педагогических советов ОО.", "Ответственный: руководители ОО.", "Срок: март 2026 г."])
        #expect(minutes.map(\.number) == ["2.2.", "2.2.", "2.3."], "\(minutes.map(\.text))")
        #expect(minutes.map { $0.deadline?.deadline } == [.period(from: "2026-02-09", to: "2026-02-13"), .date("2026-02-20"), .period(from: "2026-03-01", to: "2026-03-31")])
        #expect(minutes.map(\.level) == [.municipal, .municipal, .school], "\(minutes.map(\.responsible))")
        let plan = try AttackRegressionTests.docxTasks(["ПЛАН РАБОТЫ", "городского методического объединения учителей начальных классов на 2025/2026 учебный год", "",
                                                        "Цель: совершенствование профессиональных компетенций учителей.", "Задачи:",
                                                        "– обеспечить методическое сопровождение учителей;", "– организовать работу с молодыми учителями.",
                                                        "Актив ГМО (руководители ШМО учителей начальных классов):", "Гусева Наталья Ивановна – МБОУ СОШ № 1;",
                                                        "* – резервный месяц (используется только при переносе мероприятия);"],
                                                       [["№", "Содержание работы", "IX", "X", "XI", "XII", "I", "II", "Форма"],
                                                        ["1.1.", "Заседание ГМО № 1 (отв. – руководитель ГМО)", "26.09", "", "", "", "", "", "заседание"],
                                                        ["1.2.", "Заседание ГМО № 2 (отв. – руководители ШМО)", "", "", "+", "*", "", "", "заседание"],
                                                        ["1.3.", "Методическая неделя (отв. – руководители ШМО)", "", "", "10–14.11", "", "", "", "уроки"],
                                                        ["1.4.", "Мастер-классы учителей (отв. – руководители ШМО)", "", "", "", "V", "", "+", "мастер-класс"]])
        #expect(plan.map { $0.deadline?.deadline } == [.date("2025-09-26"), .period(from: "2025-11-01", to: "2025-11-30"),
                                                       .period(from: "2025-11-10", to: "2025-11-14"), .period(from: "2025-12-01", to: "2026-02-28")],
                "\(plan.map(\.text))")
        #expect(plan.map(\.level).dropFirst() == [.school, .school, .school], "\(plan.map(\.addressees))")
    }
    /// Part 18's rules from a ministry's reply letter: a lead with `необходимо` and its time over dashes, a table of figures,
    /// an impersonal directive, a request later in its sentence, asking again, a directive joined in a request.
    @Test func partEighteenReplyLetter() {
        let letter = AttackRegressionTests.tasks(["МИНИСТЕРСТВО ОБРАЗОВАНИЯ ЭНСКОЙ ОБЛАСТИ", "", "18.11.2025 № 1203/11874", "",
            "Начальнику Управления образования Администрации Энского городского округа", "", "О подвозе обучающихся", "", "Уважаемая Татьяна Николаевна!", "",
            "По данным мониторинга подвоз осуществляется по 11 маршрутам (сведения приведены в таблице). Дополнительно просим представить в министерство до 01.12.2025 уточнённые сведения.",
            "1. МАОУ «СОШ № 31» № 4: п. Тургояк – МАОУ «СОШ № 31» 12,4 38", "2. МКОУ «ООШ № 37» № 9: с. Новоандреевка – д. Устиново 14,1 19",
            "В целях подготовки распределения необходимо в срок до 15 декабря 2025 года представить в министерство:", "– копии паспортов маршрутов;",
            "– сведения о водителях школьных автобусов по прилагаемой форме.", "Прошу Вас обеспечить соблюдение требований Правил на всех маршрутах.",
            "Необходимо в срок до 05.12.2025 провести внеплановый технический осмотр школьных автобусов.",
            "Руководителям МАОУ «СОШ № 31» необходимо в срок до 01.12.2025 провести инструктажи. Прошу довести настоящее письмо до сведения руководителей.",
            "Начиная с января 2026 года, информацию об исполнении графиков подвоза прошу направлять ежемесячно, до 5 числа месяца, следующего за отчётным.",
            "Просим также рассмотреть возможность передачи маршрута № 9 на автобус МАОУ «СОШ № 31» с 12 января 2026 года, что позволит вывести автобус из эксплуатации, и организовать в I квартале 2026 года муниципальное совещание.",
            "", "Заместитель министра Д.А. Лаптев"])
        #expect(letter.map { String($0.text.prefix(24)) } == ["Дополнительно просим пре", "копии паспортов маршруто", "сведения о водителях шко",
                                                              "Прошу Вас обеспечить соб", "Необходимо в срок до 05.", "Руководителям МАОУ «СОШ ",
                                                              "Прошу довести настоящее ", "Начиная с января 2026 го", "Просим также рассмотреть",
                                                              "организовать в I квартал"], "\(letter.map(\.text))")
        #expect(letter.map { $0.deadline?.deadline } == [.date("2025-12-01"), .date("2025-12-15"), .date("2025-12-15"), nil, .date("2025-12-05"),
                                                         .date("2025-12-01"), nil, .recurring(every: "month"), nil, .period(from: "2026-01-01", to: "2026-03-31")])
    }
    /// Part 18: a body told later in a paragraph of facts, with a time; without one it stays advice.
    @Test func aBodyToldLaterInAParagraph() {
        let found = AttackRegressionTests.tasks(["МЕТОДИЧЕСКИЕ РЕКОМЕНДАЦИИ", "по итогам выездной поддержки школ", "13.11.2025", "",
            "Итоги выездной поддержки доведены до руководителей ОО 24 октября 2025 года. Управлению образования администрации округа следует до 15 декабря 2025 года рассмотреть итоги на совещании руководителей.",
            "Повторная диагностическая работа будет проведена 10–12 марта 2026 года; её результаты общеобразовательным организациям необходимо внести в систему мониторинга не позднее 20 марта 2026 года.",
            "Опыт площадок показывает, что учителям следует чаще использовать задания из открытого банка."])
        #expect(found.map { String($0.text.prefix(30)) } == ["Управлению образования админис", "её результаты общеобразователь"], "\(found.map(\.text))")
        #expect(found.map { $0.deadline?.deadline } == [.date("2025-12-15"), .date("2026-03-20")])
    }
    /// Part 18: a Markdown table from a web page, read by its heading row; spans of days listed; a quarter without its year.
    @Test func aMarkdownCoursePlan() {
        let found = AttackRegressionTests.tasks(["ПЛАН-ГРАФИК", "курсов повышения квалификации на I полугодие 2026 года", "", "Опубликовано: 10.12.2025", "",
            "| № | Наименование программы | Категория слушателей | Объём, ч | Сроки проведения | Форма обучения |", "|---|---|---|---|---|---|",
            "|   | **Кафедра естественно-математического образования** |   |   |   |   |",
            "| 1 | Методика решения заданий ОГЭ по математике | учителя математики | 36 | 02.02–06.02.2026; 16.02–20.02.2026 (2 потока) | очно |",
            "| 2 | Реализация ФОП ДО | воспитатели ДОО | 72 | 25.05–29.05.2026 (очная часть), далее дистанционно до 19.06.2026 | очно-заочно |",
            "| 3 | Современные подходы к обучению иностранному языку | учителя английского языка | 24 | II квартал | дистанционно |",
            "| 4 | Цифровые образовательные ресурсы | учителя-предметники | 24 | по согласованию с ОО | выездные занятия |"])
        #expect(found.map(\.number) == ["1.", "2.", "3.", "4."], "\(found.map(\.text))")
        #expect(found.map { $0.deadline?.deadline } == [.period(from: "2026-02-02", to: "2026-02-20"), .period(from: "2026-05-25", to: "2026-06-19"),
                                                        .period(from: "2026-04-01", to: "2026-06-30"), nil])
    }
}
