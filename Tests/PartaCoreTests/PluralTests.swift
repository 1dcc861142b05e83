import Testing
import PartaCore

/// Counts printed with their nouns agree in Russian and English (issue 16).
@Suite struct PluralTests {
    /// (count, the form of «школа», of «задача», of «день») as a Russian reader expects them.
    static let russian: [(Int, String, String, String)] = [
        (0, "школ", "задач", "дней"), (1, "школа", "задача", "день"), (2, "школы", "задачи", "дня"),
        (3, "школы", "задачи", "дня"), (4, "школы", "задачи", "дня"), (5, "школ", "задач", "дней"),
        (10, "школ", "задач", "дней"), (11, "школ", "задач", "дней"), (12, "школ", "задач", "дней"),
        (14, "школ", "задач", "дней"), (15, "школ", "задач", "дней"), (19, "школ", "задач", "дней"),
        (20, "школ", "задач", "дней"), (21, "школа", "задача", "день"), (22, "школы", "задачи", "дня"),
        (24, "школы", "задачи", "дня"), (25, "школ", "задач", "дней"), (100, "школ", "задач", "дней"),
        (101, "школа", "задача", "день"), (102, "школы", "задачи", "дня"), (111, "школ", "задач", "дней"),
        (112, "школ", "задач", "дней"), (114, "школ", "задач", "дней"), (121, "школа", "задача", "день"),
        (1001, "школа", "задача", "день"), (1011, "школ", "задач", "дней"), (-1, "школа", "задача", "день"),
        (-3, "школы", "задачи", "дня"),
    ]

    @Test(arguments: russian) func russianFormsFollowTheLastDigits(n: Int, school: String, task: String, day: String) {
        #expect(RussianPlural.form(n, one: "школа", few: "школы", many: "школ") == school)
        #expect(Noun.school.form(n, in: .ru) == school)
        #expect(Noun.task.form(n, in: .ru) == task)
        #expect(Noun.day.form(n, in: .ru) == day)
        #expect(Noun.school.count(n, in: .ru) == "\(n) \(school)")
    }

    @Test func everyNounHasItsThreeRussianForms() {
        #expect(Noun.change.count(1).ru == "1 изменение")
        #expect(Noun.change.count(3).ru == "3 изменения")
        #expect(Noun.change.count(11).ru == "11 изменений")
        #expect(Noun.newChange.count(21).ru == "21 новое изменение")
        #expect(Noun.newChange.count(0).ru == "0 новых изменений")
        #expect(Noun.conflict.count(2).ru == "2 конфликта")
        #expect(Noun.conflict.count(5).ru == "5 конфликтов")
        #expect(Noun.assignment.count(1).ru == "1 назначение")
        #expect(Noun.byte.count(2).ru == "2 байта")
        #expect(Noun.byte.count(1_000).ru == "1000 байт")
        #expect(Noun.minute.count(22).ru == "22 минуты")
        #expect(Noun.schoolDative.count(21).ru == "21 школе" && Noun.schoolDative.count(3).ru == "3 школам")
        #expect(Noun.dayGenitive.count(1).ru == "1 дня" && Noun.dayGenitive.count(7).ru == "7 дней")
    }

    @Test(arguments: [(0, "0 schools"), (1, "1 school"), (2, "2 schools"), (11, "11 schools"), (21, "21 schools"), (-1, "-1 school")])
    func englishHasOneAndOther(n: Int, expected: String) {
        #expect(Noun.school.count(n, in: .en) == expected)
        #expect(EnglishPlural.form(n, one: "day", other: "days") == (abs(n) == 1 ? "day" : "days"))
    }
}
