import Foundation
import ArgumentParser
import PartaCore
import PartaApp

struct Init: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("Set up this computer as a school node from the hub's bundle.",
                                         "Подключить этот компьютер как узел школы по пакету от управления."))
    }
    @OptionGroup var options: GlobalOptions
    @Option(name: .customLong("from"), help: ArgumentHelp(T("The hub's bundle for the school (a file or the stick's folder).", "Пакет управления для школы (файл или папка на флешке)."), valueName: "BUNDLE"))
    var bundle: String
    @Option(help: ArgumentHelp(T("The one-time enrollment code the municipal office gave the school (Cyrillic look-alike letters read as Latin).",
                                 "Одноразовый код подключения, выданный школе управлением (похожие русские буквы читаются как латинские)."), valueName: "CODE"))
    var code: String
    @Option(name: .customLong("name"), help: ArgumentHelp(T("A name for this computer, e.g. \"Clerk's PC\" (default: its host name).",
                                                            "Название этого компьютера, например «ПК секретаря» (по умолчанию — его сетевое имя)."), valueName: "NAME"))
    var nameOption: String?
    var name: String { nameOption ?? ProcessInfo.processInfo.hostName }

    func validate() throws { _ = try parseEnrollmentCode(code) }

    func run() throws {
        let (node, outcomes) = try PartaNode.createSchoolNode(directory: options.directory, fromBundle: bundle, code: try parseEnrollmentCode(code),
                                                              name: name, now: options.now)
        if !options.json {
            let schoolName = (try? node.schoolName(node.school)) ?? ""
            let school = schoolName.isEmpty ? node.school : T("“\(schoolName)” (\(node.school))", "«\(schoolName)» (\(node.school))")
            print(T("This computer (“\(name)”, \(node.replica.nodeID)) now works for school \(school); its data is in \(options.directory).",
                    "Этот компьютер («\(name)», \(node.replica.nodeID)) подключён к школе \(school); данные в \(options.directory)."))
        }
        try Render.importOutcomes(outcomes, options: options)
    }
}

struct Tasks: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("List the tasks (a school's assigned tasks with its progress).", "Список задач (для школы — назначенные ей задачи и ход выполнения)."))
    }
    @OptionGroup var options: GlobalOptions
    @Flag(help: ArgumentHelp(T("Only tasks past their deadline and not done.", "Только просроченные и не выполненные задачи.")))
    var overdue = false
    @Option(help: ArgumentHelp(T("Only tasks with this status: new, in_progress, done, blocked.", "Только задачи с этим статусом: new, in_progress, done, blocked."), valueName: "S"))
    var status: String?

    func validate() throws {
        try validateStatus(status)
    }

    func run() throws {
        let node = try options.open()
        let tasks = try node.tasks(today: options.today, onlyOverdue: overdue, status: status.flatMap(ReportStatus.init(userText:)))
        if options.json { return try options.printJSON(tasks) }
        if tasks.isEmpty { return print(T("No tasks.", "Задач нет.")) }
        var table = node.isHub
            ? TextTable([T("ID", "Код"), "№", T("Level", "Уровень"), T("Deadline", "Срок"), T("Own status", "Свой статус"), T("Task", "Задача")])
            : TextTable([T("ID", "Код"), "№", T("Deadline", "Срок"), T("Status", "Статус"), "%", T("Task", "Задача")])
        table.maxWidth = node.isHub ? [3: 34, 5: 64] : [2: 34, 5: 60]
        for t in tasks {
            // The mark first: a long deadline is cut at the column's end, never the word that matters.
            let deadline = (t.overdue ? T("overdue: ", "просрочено: ") : "") + Render.deadline(t)
            // At a hub, its own tasks (the municipal level) carry the hub's status; schools' tasks show "—".
            table.add(node.isHub ? [t.id, t.number, Render.level(t.level), deadline, t.status.isEmpty ? "—" : Render.status(t.status) + " \(t.progress)%", t.title]
                                 : [t.id, t.number, deadline, Render.status(t.status), "\(t.progress)", t.title])
        }
        print(table.render())
    }
}

struct Show: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("Show one task with its reports.", "Показать задачу и отчёты по ней."))
    }
    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp(T("Task id (t3) or number as printed (2.1).", "Код задачи (t3) или её номер в документе (2.1)."), valueName: "TASK"))
    var task: String

    func run() throws {
        let detail = try options.open().showTask(task, today: options.today)
        if options.json { return try options.printJSON(detail) }
        let t = detail.task
        let number = t.number.hasSuffix(".") ? String(t.number.dropLast()) : t.number
        print("\(number.isEmpty ? "" : number + ". ")\(t.title)  [\(t.id)]")
        if !detail.body.isEmpty && detail.body != t.title { print(detail.body) }
        if !t.section.isEmpty { print(T("Section: ", "Раздел: ") + t.section) }
        if !detail.addressees.isEmpty { print(T("Addressed to: ", "Адресаты: ") + detail.addressees) }
        print(T("Deadline: ", "Срок: ") + Render.deadline(t) + (t.overdue ? T(" (overdue)", " (просрочено)") : ""))
        if !detail.source.isEmpty { print(T("Wording in the document: ", "Текст в документе: ") + detail.source.replacingOccurrences(of: "\n", with: "\n  ")) }
        var table = TextTable([T("School", "Школа"), T("Status", "Статус"), "%", T("Comment", "Комментарий"), T("By", "Кто"), T("When", "Когда")])
        table.maxWidth = [3: 50]
        for r in detail.reports {
            var comment = r.comment
            if !r.indicators.isEmpty { comment += (comment.isEmpty ? "" : "; ") + r.indicators.sorted { $0.key < $1.key }.map { "\($0.key)=\(PartaNode.numberText($0.value, language))" }.joined(separator: ", ") }
            table.add([r.schoolName, Render.status(r.status), "\(r.progress)", comment, r.author,
                       PartaNode.formatTime(UInt64(r.reportedAt))])
        }
        print(table.render())
        // A report written in parts by several computers names each part's writer.
        for r in detail.reports where Set(r.fields.values.map(\.by)).count > 1 {
            let names = ["status": T("status", "статус"), "progress": "%", "comment": T("comment", "комментарий"), "indicators": T("indicators", "показатели")]
            let parts = PartaSchema.reportValueFields.compactMap { field in
                r.fields[field].map { "\(names[field] ?? field) — \($0.by), \(PartaNode.formatTime(UInt64($0.at)))" }
            }
            print("\(r.schoolName): " + parts.joined(separator: "; "))
        }
    }
}

struct Report: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("Record this school's progress on a task.", "Отметить ход выполнения задачи школой."))
    }
    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp(T("Task id or number.", "Код или номер задачи."), valueName: "TASK"))
    var task: String
    @Option(help: ArgumentHelp(T("new, in_progress, done or blocked.", "new (не начато), in_progress (в работе), done (выполнено), blocked (есть препятствия)."), valueName: "S"))
    var status: String?
    // Unconditional: `--progress -5` is a value to refuse with its range, not an unknown option.
    @Option(parsing: .unconditional, help: ArgumentHelp(T("Percent done, 0–100 (40 or 40%).", "Процент выполнения, 0–100 (40 или 40%)."), valueName: "N"))
    var progress: PercentArgument?
    @Option(help: ArgumentHelp(T("A comment for the hub.", "Комментарий для управления."), valueName: "TEXT"))
    var comment: String?
    @Option(name: .customLong("value"), help: ArgumentHelp(T("An indicator value, e.g. --value covered=65.", "Значение показателя, например --value охват=65."), valueName: "NAME=N"))
    var values: [String] = []

    func validate() throws {
        try validateStatus(status)
        try progress?.validate(option: "--progress")
        if status == nil && progress == nil && comment == nil && values.isEmpty {
            throw ValidationError(T("Say what to record: --status, --progress, --comment or --value.", "Укажите, что отметить: --status, --progress, --comment или --value."))
        }
        for v in values where parseValue(v) == nil {
            throw ValidationError(T("\(v) is not NAME=NUMBER.", "\(v) — не в виде НАЗВАНИЕ=ЧИСЛО."))
        }
    }

    func parseValue(_ text: String) -> (String, Double)? {
        guard let eq = text.firstIndex(of: "=") else { return nil }
        let name = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, let number = Double(text[text.index(after: eq)...].replacingOccurrences(of: ",", with: ".")) else { return nil }
        return (name, number)
    }

    func run() throws {
        let node = try options.open()
        let indicators = Dictionary(values.compactMap(parseValue), uniquingKeysWith: { $1 })
        try node.report(task: task, status: status.flatMap(ReportStatus.init(userText:)), progress: progress?.value, comment: comment,
                        indicators: indicators, now: options.now)
        if options.json { return }
        if node.isHub {
            print(T("Recorded as this hub's own report. A region above sees it after the next exchange (parta hub sync-upstream or parta hub export).",
                    "Записано как отчёт самого управления. Вышестоящий регион увидит его после следующего обмена (parta hub sync-upstream или parta hub export)."))
        } else {
            print(T("Recorded. It reaches the hub with the next exchange (parta sync, or parta export and the stick).", "Записано. Отчёт уйдёт в управление при следующем обмене (parta sync или parta export и флешка)."))
        }
    }
}

struct Status: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("This node, its last exchange and what waits to be sent.", "Этот узел, последний обмен и что ждёт отправки."))
    }
    @OptionGroup var options: GlobalOptions

    func run() throws {
        let s = try options.open().status(now: options.now)
        if options.json { return try options.printJSON(s) }
        // Names first; the ids stay in brackets, for whoever helps over the phone.
        func named(_ name: String, _ id: String) -> String { name.isEmpty ? id : T("“\(name)” (\(id))", "«\(name)» (\(id))") }
        print(T("This computer: ", "Этот компьютер: ") + named(s.name, s.node)
              + (s.role == "hub" ? T(", municipal hub", ", управление образования") : T(", school ", ", школа ") + named(s.schoolName, s.school)))
        if s.role != "hub" { print(T("Hub: ", "Управление: ") + named(s.hubName, s.hub)) }
        print(T("Last import: ", "Последний приём: ") + (s.lastImportAt == 0 ? T("never", "не было") : PartaNode.formatTime(UInt64(s.lastImportAt)) + " (" + Noun.change.count(s.lastImportChanges, in: language) + ")"))
        print(T("Last export: ", "Последняя выгрузка: ") + (s.lastExportAt == 0 ? T("never", "не было") : PartaNode.formatTime(UInt64(s.lastExportAt)) + " (" + Noun.change.count(s.lastExportChanges, in: language) + ")"))
        if s.lastSyncAt > 0 {
            print(T("Last sync over the network: ", "Последняя синхронизация по сети: ") + PartaNode.formatTime(UInt64(s.lastSyncAt)) + " (\(s.syncURL))")
        }
        if s.awaitingEnrollment {
            print(T("Waiting for the hub to confirm this computer: send it a bundle (parta export or parta sync).",
                    "Ожидается подтверждение подключения от управления: отправьте ему пакет (parta export или parta sync)."))
        }
        if s.role != "hub" {
            print(s.unsentChanges == 0
                  ? T("Everything recorded here has reached the hub.", "Всё, что записано здесь, дошло до управления.")
                  : T("Not yet confirmed by the hub: \(Noun.change.count(s.unsentChanges, in: .en)) (run parta export and take the stick to the hub).",
                      "Ещё не подтверждено управлением: изменений — \(s.unsentChanges) (выполните parta export и передайте флешку в управление)."))
        }
        if s.conflicts > 0 { print(T("Conflicts: \(s.conflicts) (see parta conflicts)", "Конфликтов: \(s.conflicts) (см. parta conflicts)")) }
        // What the clock check found when the node was opened (a repair is done and told then).
        if s.clockBehindMinutes > s.clockToleranceMinutes {
            print(T("Warning: this computer's clock reads \(s.clockBehindMinutes) minutes earlier than times already used here. See the note above: either the clock is behind now, or changes stamped in the future have already been sent.",
                    "Внимание: часы этого компьютера показывают время на \(s.clockBehindMinutes) мин. раньше уже использованного здесь. См. примечание выше: либо часы сейчас отстают, либо изменения с будущим временем уже отправлены."))
        }
    }
}

struct Conflicts: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("Edits made at the same time on two computers, and which one was kept.", "Одновременные правки с двух компьютеров и какая из них сохранена."))
    }
    @OptionGroup var options: GlobalOptions

    func run() throws {
        let conflicts = try options.open().conflicts(language: language)
        if options.json { return try options.printJSON(conflicts) }
        if conflicts.isEmpty { return print(T("No conflicts.", "Конфликтов нет.")) }
        for c in conflicts {
            print(T("\(c.about), field “\(c.fieldName)”: kept \"\(c.keptText)\" (\(c.keptBy), \(c.keptAt)); set aside \"\(c.setAsideText)\" (\(c.setAsideBy), \(c.setAsideAt)), made without seeing the kept one.",
                    "\(c.about), поле «\(c.fieldName)»: сохранено «\(c.keptText)» (\(c.keptBy), \(c.keptAt)); отложено «\(c.setAsideText)» (\(c.setAsideBy), \(c.setAsideAt)) — внесено, не видя сохранённого значения."))
        }
    }
}

struct Log: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("The history of accepted changes, newest first.", "История принятых изменений, сначала новые."))
    }
    @OptionGroup var options: GlobalOptions
    @Option(name: .customLong("limit"), parsing: .unconditional, help: ArgumentHelp(T("How many entries (default 30).", "Сколько записей (по умолчанию 30)."), valueName: "N"))
    var limitOption: Int?
    var limit: Int { limitOption ?? 30 }

    func validate() throws { try validateRange(limit, 1...1_000_000, option: "--limit") }

    func run() throws {
        let entries = try options.open().history(limit: limit, language: language)
        if options.json { return try options.printJSON(entries) }
        var table = TextTable([T("When", "Когда"), T("Who", "Кто"), T("Record", "Запись"), T("Field", "Поле"), T("Value", "Значение")])
        table.maxWidth = [2: 60, 4: 40]
        for e in entries {
            table.add([e.at, e.by, e.about, e.fieldName, e.valueText])
        }
        print(table.render())
    }
}

struct Export: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("Write this school's changes for the hub onto a stick.", "Записать изменения школы для управления на флешку."))
    }
    @OptionGroup var options: GlobalOptions
    @Option(name: .customLong("to"), help: ArgumentHelp(T("The stick's folder.", "Папка на флешке."), valueName: "DIR"))
    var directory: String

    func run() throws {
        try Render.exports([try options.openSchool().exportForHub(to: directory, now: options.now)], options: options)
    }
}

struct Import: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("Take in the hub's bundle from a file or a stick's folder.", "Принять пакет управления из файла или папки на флешке."))
    }
    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp(T("A bundle file or a folder.", "Файл пакета или папка."), valueName: "PATH"))
    var path: String

    func run() throws {
        let node = try options.open()
        let outcomes = try node.importBundles(at: path, now: options.now, progress: Render.progress(T("Importing", "Импорт"), options: options))
        try Render.importOutcomes(try NothingImported.check(outcomes, at: path, node: node, options: options), options: options)
    }
}

/// Refuses a status word that is not one of the four, in the user's language.
func validateStatus(_ status: String?) throws {
    if let status, ReportStatus(userText: status) == nil {
        throw ValidationError(T("Unknown status \(status); use new, in_progress, done or blocked.", "Неизвестный статус \(status); допустимы new, in_progress, done, blocked."))
    }
}
