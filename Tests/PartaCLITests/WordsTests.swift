import Foundation
import Testing
import PartaTesting

/// What the clerk and the methodologist read names tasks and fields as they know them, counts
/// agree with their nouns, and numbers print once (issue 16, words): through the real `parta`,
/// over the demo's district kept in a folder.
@Suite(.serialized) struct WordsTests {
    let parta: PartaBinary
    init() throws { parta = try PartaBinary() }

    /// A row id (`t18-wk7z5u32`, `t3.k3m9-…`, `<task>|<school>`) or a stored column name.
    static func leaks(_ text: String) -> [String] {
        let patterns = [#"\bt[0-9]+(\.[a-z0-9]+)?-[a-z0-9]{4,}"#, #"\|"#, #"reported_at|deadline_raw|deadline_kind|source_key|\$deleted|\bhub_reports\b"#,
                        #"\b(reports|indicators|assignments|tasks) t"#]
        return patterns.flatMap { pattern in
            text.ranges(of: try! Regex(pattern)).map { String(text[$0]) }
        }
    }

    /// Every «N noun» in `text` whose noun is one Parta counts, with the form it should have had
    /// where it has another (checked here apart from the product's own function).
    static func disagreements(_ text: String) -> [String] {
        let nouns: [(one: String, few: String, many: String)] = [
            ("школа", "школы", "школ"), ("задача", "задачи", "задач"), ("изменение", "изменения", "изменений"),
            ("новое изменение", "новых изменения", "новых изменений"), ("конфликт", "конфликта", "конфликтов"),
            ("день", "дня", "дней"), ("назначение", "назначения", "назначений"), ("байт", "байта", "байт"),
        ]
        var wrong: [String] = []
        for match in text.matches(of: try! Regex(#"(?:^|[^\d.,:])(\d+) (новое|новых)? ?(школ[а-я]*|задач[а-я]*|изменени[а-я]*|конфликт[а-я]*|дн[а-я]+|день|назначени[а-я]*|байт[а-я]*)"#)) {
            guard let n = match[1].substring.flatMap({ Int($0) }) else { continue }
            let phrase = [match[2].substring, match[3].substring].compactMap { $0.map(String.init) }.joined(separator: " ")
            guard let noun = nouns.first(where: { [$0.one, $0.few, $0.many].contains(phrase) }) else { continue }
            let expected = (11...14).contains(n % 100) ? noun.many : n % 10 == 1 ? noun.one : (2...4).contains(n % 10) ? noun.few : noun.many
            if phrase != expected { wrong.append("\(n) \(phrase) (\(expected))") }
        }
        return wrong
    }

    @Test func conflictsLogAndTheDemoNameTasksByNumberAndFieldsInWords() throws {
        let dir = TemporaryDirectory("parta-words"); defer { dir.remove() }
        let demo = try parta.run(["demo", "--no-serve", "--keep", dir.file("demo")], timeout: 300)
        #expect(demo.status == 0, "\(demo.stderr)")
        // The demo's conflict log: both fields of the crossing edit of task 3.2's third bullet at Muchkap.
        let log = demo.stdout.components(separatedBy: "== Журнал конфликтов")[1].components(separatedBy: "==")[0]
        #expect(log.contains("задача 3.2 «"), "\(log)")
        #expect(log.contains("(МБОУ Мучкапская СОШ им. А.А. Гордеева), поле «комментарий»: сохранено «Наставники назначены приказом № 112»"), "\(log)")
        #expect(log.contains("поле «прогресс, %»"), "\(log)")
        #expect(WordsTests.leaks(log).isEmpty, "\(WordsTests.leaks(log))")
        // Counts agree with their nouns all through the story: «35 задач», «21 задача», «17 задач».
        #expect(demo.stdout.contains("35 задач (со сроком — 35); школам — 21; собственных задач отдела — 28, из них 14 вместе со школами"), "\(demo.stdout)")
        #expect(demo.stdout.contains("muchkap: 21 задача") && demo.stdout.contains("shapkino: 17 задач"), "\(demo.stdout)")
        #expect(WordsTests.disagreements(demo.stdout).isEmpty, "\(WordsTests.disagreements(demo.stdout))")
        #expect(WordsTests.disagreements("1 школ, 2 школ, 21 школы, 11 школа, 3 дней") == ["1 школ (школа)", "2 школ (школы)", "21 школы (школа)", "11 школа (школ)", "3 дней (дня)"])

        func run(_ arguments: [String], english: Bool = false) throws -> String {
            let r = try parta.run(arguments, language: english ? "en_US.UTF-8" : "ru_RU.UTF-8", environment: ["PARTA_NOW": "2020-09-26"])
            #expect(r.status == 0, "parta \(arguments.joined(separator: " ")): \(r.stderr)")
            return r.stdout
        }
        let hub = ["--data", dir.file("demo/hub")], clerk = ["--data", dir.file("demo/muchkap-clerk")]
        let sergievka = ["--data", dir.file("demo/sergievka")]

        let conflicts = try run(["conflicts"] + hub)
        #expect(conflicts.contains("поле «комментарий»: сохранено «Наставники назначены приказом № 112»"), "\(conflicts)")
        #expect(WordsTests.leaks(conflicts).isEmpty, "\(WordsTests.leaks(conflicts))")
        let english = try run(["conflicts"] + hub, english: true)
        #expect(english.contains(", field “comment”: kept \"Наставники назначены приказом № 112\""), "\(english)")
        #expect(english.contains("task 3.2 “"), "\(english)")
        #expect(WordsTests.leaks(english).isEmpty, "\(WordsTests.leaks(english))")
        // A school computer knows whose reports it holds: no school in its words.
        let atSchool = try run(["conflicts"] + clerk)
        #expect(atSchool.contains("поле «комментарий»") && !atSchool.contains("(МБОУ"), "\(atSchool)")

        // The hub's whole history: reports, indicators, tasks, assignments, schools, computers, the resolution.
        let history = try run(["log", "--limit", "2000"] + hub)
        for words in ["задача 5.1", "показатель «охват, %»", "статус", "комментарий", "время отчёта", "срок", "название",
                      "назначение: задача 3.7", "Сергиевский филиал", "решение «", "компьютер «ПК секретаря»", "выполнено"] {
            #expect(history.contains(words), "no \(words) in the hub's log")
        }
        #expect(WordsTests.leaks(history).isEmpty, "\(Set(WordsTests.leaks(history)))")
        let englishHistory = try run(["log", "--limit", "2000"] + hub, english: true)
        for words in ["task 5.1", "indicator “охват, %”", "time of the report", "deadline", "assignment of task 3.7 to Сергиевский филиал"] {
            #expect(englishHistory.contains(words), "no \(words) in the hub's English log")
        }
        #expect(WordsTests.leaks(englishHistory).isEmpty, "\(Set(WordsTests.leaks(englishHistory)))")
        // The clerk's log names its indicator by task and name.
        let clerkLog = try run(["log", "--limit", "500"] + clerk)
        #expect(clerkLog.contains("задача 5.3") && clerkLog.contains("показатель «охват, %»"), "\(clerkLog)")
        #expect(WordsTests.leaks(clerkLog).isEmpty, "\(Set(WordsTests.leaks(clerkLog)))")
        // Task 3.7 was withdrawn from Sergievka and left its replica: its history still reads in words.
        let withdrawn = try run(["log", "--limit", "500"] + sergievka)
        #expect(withdrawn.contains("задача (неизвестна этому компьютеру)"), "\(withdrawn)")
        #expect(WordsTests.leaks(withdrawn).isEmpty, "\(Set(WordsTests.leaks(withdrawn)))")
        let json = try run(["log", "--limit", "5", "--json"] + clerk)
        #expect(json.contains("\"about\"") && json.contains("\"fieldName\"") && json.contains("\"row\""), "\(json)")

        // The clerk's status and exchanges count in agreeing words.
        let status = try run(["status"] + clerk)
        #expect(status.contains(" изменени"), "\(status)")
        #expect(WordsTests.disagreements(status).isEmpty, "\(WordsTests.disagreements(status))")
        let exported = try run(["export", "--to", dir.file("stick2")] + clerk)
        #expect(exported.contains(" байт") && WordsTests.disagreements(exported).isEmpty, "\(exported)")
        let imported = try run(["hub", "import", dir.file("stick2")] + hub)
        #expect(imported.contains("новых изменений") || imported.contains("новое изменение") || imported.contains("новых изменения"), "\(imported)")
        #expect(WordsTests.disagreements(imported).isEmpty, "\(WordsTests.disagreements(imported))")

        // Another school's computer skips that bundle, giving the reason once, with one stop, and
        // says that nothing on the stick was for it (exit 1).
        let skipped = try parta.run(["import", dir.file("stick2")] + sergievka, environment: ["PARTA_NOW": "2020-09-26"])
        #expect(skipped.status == 1 && skipped.stdout.contains("Пропущен") && !skipped.stdout.contains(".."), "\(skipped.stdout)")
        #expect(skipped.stderr.contains("нет пакета для этого компьютера"), "\(skipped.stderr)")

        // Three bullets of one item share the number 3.2: asked for 3.2, each is listed with its code
        // and first words.
        let shared = try parta.run(["show", "3.2"] + clerk, environment: ["PARTA_NOW": "2020-09-26"])
        #expect(shared.status == 1 && shared.stderr.contains("Под номером 3.2 несколько задач"), "\(shared.stderr)")
        #expect(shared.stderr.components(separatedBy: "\n").filter { $0.hasPrefix("  t") && $0.contains("обеспечить") }.count == 3, "\(shared.stderr)")

        // A reported whole number reads as typed: 52, not 52.0.
        let indicator = try run(["show", "5.3"] + clerk)
        #expect(indicator.contains("охват, %=52") && !indicator.contains("52.0"), "\(indicator)")

        // An overdue task says so whole, however long its deadline's words.
        let list = try run(["tasks"] + clerk)
        #expect(list.contains("просрочено: до 01.09.2020") && !list.contains("просроче…"), "\(list)")

        // A number ending in a dot prints once.
        let show = try run(["show", "5.1"] + clerk)
        #expect(show.hasPrefix("5.1. Разработать рабочую программу воспитания"), "\(show)")
        #expect(!show.contains(".."), "\(show)")
    }
}
