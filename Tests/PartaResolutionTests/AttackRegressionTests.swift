import Foundation
import Testing
@testable import PartaResolution

/// Readings found wrong by an attacker's review of the rules of issue 17, part 10 (chats, scans, year columns,
/// relative days), each kept as the spec now says it must be read.
@Suite struct AttackRegressionTests {
    static func tasks(_ lines: [String]) -> [ResolutionTask] { ResolutionReader.parse(text: lines.joined(separator: "\n") + "\n").tasks }

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
        let xml = DocxBuilder.document(paragraphs: ["ПЛАН", "мероприятий на 2025–2027 годы"], table: rows)
        let found = try ResolutionReader.read(bytes: makeZip([("word/document.xml", Array(xml.utf8))], deflated: false), name: "plan.docx").tasks
        #expect(found.map { $0.deadline?.deadline } == [.date("2026-09-01"), .period(from: "2025-07-01", to: "2025-09-30")], "\(found.map(\.text))")
        #expect(found.map(\.responsible) == [["Отдел образования"], ["Отдел образования"]])
    }
}
