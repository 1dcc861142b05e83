import Foundation
import Testing
import PartaCore
import PartaApp
import PartaStore
import PartaTesting

/// `PartaNode.words(table:row:field:)`: every table's records and fields as people name them,
/// at the hub and at a school, for records this computer does not know too (issue 16, words).
@Suite struct RecordWordsTests {
    let day = testMilliseconds(year: 2020, month: 9, day: 1)

    @Test func everyTableReadsInWordsAtTheHubAndAtASchool() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Отдел образования", now: day)
        let code = try #require(try hub.addSchool(id: "s1", name: "МБОУ СОШ № 1", now: day))
        var task = PartaNode.NewTask(title: "Утвердить программу воспитания"); task.number = "5.1."; task.deadline = "2020-09-10"
        let t51 = try hub.addTask(task, assignTo: ["s1"], now: day)
        var first = PartaNode.NewTask(title: "обеспечить возможности изучения предметной области «Технология»"); first.number = "3.2."
        let t32a = try hub.addTask(first, assignTo: ["s1"], now: day)
        first.title = "обеспечить внедрение целевой модели наставничества"
        let t32b = try hub.addTask(first, now: day)
        var own = PartaNode.NewTask(title: "Провести совещание руководителей"); own.number = "2.1"; own.level = "municipal"
        let t21 = try hub.addTask(own, now: day)
        let unnumbered = try hub.addTask(PartaNode.NewTask(title: "Представить план работы на второе полугодие"), now: day)
        _ = try hub.exportForSchools(to: dir.file("stick"), now: day + 1)
        let school = try PartaNode.createSchoolNode(directory: dir.file("s1"), fromBundle: dir.file("stick"), code: code, name: "ПК секретаря", now: day + 2).0

        func ru(_ node: PartaNode, _ table: String, _ row: String, _ field: String) throws -> String { try node.words(table: table, row: row, field: field).text.ru }
        func en(_ node: PartaNode, _ table: String, _ row: String, _ field: String) throws -> String { try node.words(table: table, row: row, field: field).text.en }
        let report = PartaSchema.pairID(task: t51, school: "s1")
        #expect(try ru(school, "reports", report, "comment") == "задача 5.1, поле «комментарий»")
        #expect(try en(school, "reports", report, "comment") == "task 5.1, field “comment”")
        #expect(try ru(hub, "reports", report, "comment") == "задача 5.1 (МБОУ СОШ № 1), поле «комментарий»")
        #expect(try ru(school, "reports", report, "reported_at") == "задача 5.1, поле «время отчёта»")
        #expect(try ru(school, "reports", report, "progress") == "задача 5.1, поле «прогресс, %»")
        let indicator = PartaSchema.indicatorID(task: t51, name: "охват, %", school: "s1")
        #expect(try ru(school, "indicators", indicator, "value") == "задача 5.1, показатель «охват, %»")
        #expect(try en(school, "indicators", indicator, "value") == "task 5.1, indicator “охват, %”")
        #expect(try ru(school, "indicators", indicator, "author") == "задача 5.1, показатель «охват, %», поле «автор»")
        #expect(try ru(school, "indicators", PartaSchema.indicatorID(task: t51, name: "a|b", school: "s1"), "value") == "задача 5.1, показатель «a|b»")
        #expect(try ru(hub, "tasks", t51, "deadline") == "задача 5.1, поле «срок»")
        #expect(try ru(hub, "tasks", t51, "deadline_raw") == "задача 5.1, поле «срок в документе»")
        // A number two tasks share gets the start of each one's title.
        #expect(try ru(hub, "tasks", t32a, "title") == "задача 3.2 «обеспечить возможности изучения…», поле «название»")
        #expect(try ru(hub, "tasks", t32b, "body") == "задача 3.2 «обеспечить внедрение целевой модели…», поле «текст»")
        // …and one the school holds alone does not.
        #expect(try ru(school, "tasks", t32a, "title") == "задача 3.2, поле «название»")
        #expect(try ru(hub, "tasks", unnumbered, "title") == "задача «Представить план работы на второе…», поле «название»")
        #expect(try ru(hub, "hub_reports", PartaSchema.pairID(task: t21, school: hub.replica.nodeID), "status") == "отчёт отдела: задача 2.1, поле «статус»")
        #expect(try ru(hub, "assignments", report, "school") == "назначение: задача 5.1 — МБОУ СОШ № 1, поле «школа»")
        #expect(try ru(hub, "assignments", report, "$deleted") == "назначение: задача 5.1 — МБОУ СОШ № 1, снятие задачи")
        #expect(try en(hub, "assignments", report, "$deleted") == "assignment of task 5.1 to МБОУ СОШ № 1, withdrawn")
        #expect(try ru(hub, "schools", "s1", "name") == "МБОУ СОШ № 1, поле «название»")
        #expect(try ru(school, "nodes", school.replica.nodeID, "name") == "компьютер «ПК секретаря», поле «название»")
        // What this computer does not hold still reads in words.
        #expect(try ru(school, "reports", PartaSchema.pairID(task: t21, school: "s1"), "status") == "задача (неизвестна этому компьютеру), поле «статус»")
        #expect(try en(school, "reports", "t99-zzzz|s1", "status") == "a task (unknown to this computer), field “status”")
        #expect(try ru(hub, "assignments", "t99-zzzz|s9", "task") == "назначение: задача (неизвестна этому компьютеру) — школа, неизвестная этому компьютеру, поле «задача»")
        #expect(try ru(hub, "future_table", "x1", "colour") == "запись более новой версии Parta, поле «colour»")
        // Values in words.
        #expect(hub.valueWords(table: "reports", field: "status", value: .text("in_progress")).ru == "в работе")
        #expect(hub.valueWords(table: "reports", field: "task", value: .text(t51)).ru == "задача 5.1")
        #expect(hub.valueWords(table: "indicators", field: "key", value: .text("\(t51)|охват, %")).ru == "охват, %")
        #expect(hub.valueWords(table: "tasks", field: "level", value: .text("municipal")).ru == "муниципальный")
        #expect(hub.valueWords(table: "assignments", field: "$deleted", value: .integer(1)).ru == "да")
        #expect(hub.valueWords(table: "reports", field: "comment", value: .null).ru == "—")
    }

    @Test func theDepartmentsOwnTasksAreMunicipalWhetherOrNotSchoolsShareThem() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Отдел образования", now: day)
        try hub.addSchool(id: "s1", name: "МБОУ СОШ № 1", now: day)
        var alone = PartaNode.NewTask(title: "Провести совещание"); alone.level = "municipal"
        var shared = PartaNode.NewTask(title: "Обеспечить информирование"); shared.level = "municipal"
        let a = try hub.addTask(alone, now: day)
        let b = try hub.addTask(shared, assignTo: ["s1"], now: day)
        let schools = try hub.addTask(PartaNode.NewTask(title: "Утвердить программу"), assignTo: ["s1"], now: day)
        let reported = try hub.addTask(PartaNode.NewTask(title: "Собрать сведения"), now: day)
        try hub.reportOwnTask(reported, status: .inProgress, progress: 10, comment: nil, now: day + 1)
        let own = try hub.ownTasks()
        #expect(own.map(\.id) == [a, b, reported])
        #expect(own.map(\.sharedWithSchools) == [false, true, false])
        #expect(!hub.isOwnTask(id: schools, level: "school", hasOwnReport: false))
        // `parta tasks` at the hub: a status on exactly those.
        #expect(try hub.tasks(today: "2020-09-02").filter { !$0.status.isEmpty }.map(\.id) == [a, b, reported])
    }
}
