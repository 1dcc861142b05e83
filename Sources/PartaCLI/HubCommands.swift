import Foundation
import ArgumentParser
import PartaCore
import PartaApp
import PartaBundle

struct Hub: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("The municipal hub: schools, tasks, exchange and reports.", "Управление образования: школы, задачи, обмен и сводка."),
                             subcommands: [HubInit.self, HubSchool.self, HubSchools.self, HubNodes.self, HubNode.self, HubTask.self, HubExport.self, HubImport.self, HubReport.self, HubServe.self,
                                           HubMunicipality.self, HubMunicipalities.self, HubJoin.self, HubSyncUpstream.self, HubImportResolution.self, HubAssign.self, HubUser.self])
    }

    struct HubInit: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "init", abstract: T("Create the municipal hub on this computer.", "Создать узел управления образования на этом компьютере."))
        }
        @OptionGroup var options: GlobalOptions
        @Option(help: ArgumentHelp(T("The municipality's name.", "Название управления (муниципалитета)."), valueName: "NAME"))
        var name: String

        func run() throws {
            let node = try PartaNode.createHub(directory: options.directory, name: name, now: options.now)
            if options.json { return try options.printJSON(["node": node.replica.nodeID, "data": options.directory]) }
            print(T("Hub \(name) created (node \(node.replica.nodeID)), data in \(options.directory).",
                    "Создан узел управления «\(name)» (\(node.replica.nodeID)); данные в \(options.directory)."))
        }
    }

    struct HubSchool: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "school", abstract: T("Manage schools and their enrollment codes.", "Школы и коды подключения."), subcommands: [Add.self, Code.self])
        }
        struct Add: ParsableCommand {
            static var configuration: CommandConfiguration {
                CommandConfiguration(abstract: T("Register a school and issue the enrollment code for its first computer.", "Зарегистрировать школу и выдать код подключения для её первого компьютера."))
            }
            @OptionGroup var options: GlobalOptions
            @Argument(help: ArgumentHelp(T("A short id, e.g. school-12.", "Краткий код, например school-12."), valueName: "ID"))
            var id: String
            @Option(help: ArgumentHelp(T("The school's name.", "Название школы."), valueName: "NAME"))
            var name: String
            @Option(help: ArgumentHelp(T("Where to write the enrollment code (default: the data folder's codes/).", "Куда записать код подключения (по умолчанию — папка codes/ в папке данных)."), valueName: "FILE"))
            var codeFile: String?
            // Optional, its default said in the help's own words: argument-parser would add an English "(default: 30)".
            @Option(name: .customLong("valid-days"), parsing: .unconditional,
                    help: ArgumentHelp(T("Days the code stays valid (1–365; default 30).", "Сколько дней действует код (1–365; по умолчанию 30)."), valueName: "N"))
            var validDaysOption: Int?
            var validDays: Int { validDaysOption ?? 30 }

            @Flag(help: ArgumentHelp(T("Rename a school already registered under this id (no new code).",
                                       "Переименовать школу, уже зарегистрированную под этим кодом (без нового кода подключения).")))
            var rename = false

            func validate() throws { try validateRange(validDays, 1...365, option: "--valid-days") }

            func run() throws {
                let node = try options.openHub()
                // An id typed twice must not silently rename a school everywhere.
                let existing = try? node.schoolName(id)
                switch (existing, rename) {
                case (let old?, false):
                    throw PartaError(.invalidArgument, Message(
                        en: "School \(id) is already registered (“\(old)”); nothing was changed. For another computer of it: parta hub school code \(id). To rename it: add --rename.",
                        ru: "Школа \(id) уже зарегистрирована («\(old)»); ничего не изменено. Код для ещё одного её компьютера: parta hub school code \(id). Переименовать: добавьте --rename."))
                case (nil, true):
                    throw PartaError(.invalidArgument, Message(
                        en: "There is no school \(id) to rename; see parta hub schools.",
                        ru: "Школы \(id) нет, переименовывать нечего; список — parta hub schools."))
                default: break
                }
                let code = try node.addSchool(id: id, name: name, now: options.now, codeValidDays: validDays)
                if !options.json {
                    if let existing {
                        print(T("School \(id) renamed: “\(existing)” → “\(name)”.", "Школа \(id) переименована: «\(existing)» → «\(name)»."))
                    } else {
                        print(T("School \(id) registered: \(name).", "Школа \(id) зарегистрирована: \(name)."))
                    }
                }
                guard let code else {
                    if options.json { try options.printJSON(["school": id, "code": "", "codeFile": ""]) }
                    return
                }
                try EnrollmentCodeFile.handOver(code, school: id, name: name, to: codeFile, options: options)
            }
        }
        struct Code: ParsableCommand {
            static var configuration: CommandConfiguration {
                CommandConfiguration(abstract: T("Issue a one-time enrollment code for another computer of a school, or withdraw one (--revoke).",
                                                 "Выдать одноразовый код подключения для ещё одного компьютера школы или отозвать код (--revoke)."))
            }
            @OptionGroup var options: GlobalOptions
            @Argument(help: ArgumentHelp(T("The school's id.", "Код школы."), valueName: "ID"))
            var id: String?
            @Option(help: ArgumentHelp(T("Where to write the enrollment code (default: the data folder's codes/).", "Куда записать код подключения (по умолчанию — папка codes/ в папке данных)."), valueName: "FILE"))
            var codeFile: String?
            // Optional, its default said in the help's own words: argument-parser would add an English "(default: 30)".
            @Option(name: .customLong("valid-days"), parsing: .unconditional,
                    help: ArgumentHelp(T("Days the code stays valid (1–365; default 30).", "Сколько дней действует код (1–365; по умолчанию 30)."), valueName: "N"))
            var validDaysOption: Int?
            var validDays: Int { validDaysOption ?? 30 }
            @Option(help: ArgumentHelp(T("Withdraw this open code instead: no computer can join with it any more.",
                                         "Вместо выдачи отозвать этот код: подключиться по нему будет нельзя."), valueName: "CODE"))
            var revoke: String?

            func validate() throws {
                if revoke == nil, id == nil { throw ValidationError(T("Name the school: parta hub school code ID.", "Укажите школу: parta hub school code КОД_ШКОЛЫ.")) }
                if revoke != nil, id != nil { throw ValidationError(T("--revoke takes the code alone, without a school id.", "--revoke указывается только с кодом, без кода школы.")) }
                if let revoke { _ = try parseEnrollmentCode(revoke) }
                try validateRange(validDays, 1...365, option: "--valid-days")
            }

            func run() throws {
                let node = try options.openHub()
                if let revoke {
                    let school = try node.withdrawEnrollmentCode(try parseEnrollmentCode(revoke).description, now: options.now)
                    if options.json { return try options.printJSON(["school": school, "withdrawn": revoke]) }
                    print(T("Code \(revoke) for \(school) withdrawn: no computer can join with it.",
                            "Код \(revoke) для \(school) отозван: подключиться по нему больше нельзя."))
                    return
                }
                guard let id else { return }
                let code = try node.issueEnrollmentCode(school: id, now: options.now, validDays: validDays)
                try EnrollmentCodeFile.handOver(code, school: id, name: try node.schoolName(id), to: codeFile, options: options)
            }
        }
    }

    struct HubNodes: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "nodes", abstract: T("List the school computers enrolled at this hub.", "Список школьных компьютеров, подключённых к управлению."))
        }
        @OptionGroup var options: GlobalOptions
        func run() throws {
            let nodes = try options.openHub().listNodes()
            if options.json { return try options.printJSON(nodes) }
            var table = TextTable([T("Node", "Узел"), T("School", "Школа"), T("Name", "Название"), T("Key", "Ключ"), T("Last bundle", "Последний пакет"), T("State", "Состояние")])
            for n in nodes {
                table.add([n.id, n.school, n.name, n.key ?? "—", n.lastBundleAt.map { String($0.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? "—",
                           n.revokedAt.map { T("revoked ", "отозван ") + String($0.prefix(10)) } ?? T("trusted", "доверенный")])
            }
            print(table.render())
        }
    }

    struct HubNode: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "node", abstract: T("Manage enrolled school computers.", "Подключённые школьные компьютеры."), subcommands: [Revoke.self])
        }
        struct Revoke: ParsableCommand {
            static var configuration: CommandConfiguration {
                CommandConfiguration(abstract: T("Stop accepting a lost or retired computer's bundles (what it sent before stays).",
                                                 "Перестать принимать пакеты утерянного или списанного компьютера (присланное ранее сохраняется)."))
            }
            @OptionGroup var options: GlobalOptions
            @Argument(help: ArgumentHelp(T("The node id (see `parta hub nodes`).", "Код узла (см. `parta hub nodes`)."), valueName: "NODE"))
            var node: String

            func run() throws {
                try options.openHub().revokeNode(node, now: options.now)
                if !options.json {
                    print(T("Node \(node) is revoked: its bundles are refused from now on, and nothing new is sealed to it. What it sent before stays.",
                            "Узел \(node) отозван: его пакеты больше не принимаются, и новые пакеты для него не шифруются. Присланное ранее сохраняется."))
                }
            }
        }
    }

    struct HubSchools: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "schools", abstract: T("List the registered schools.", "Список зарегистрированных школ."))
        }
        @OptionGroup var options: GlobalOptions
        func run() throws {
            let schools = try options.openHub().listSchools()
            if options.json { return try options.printJSON(schools) }
            var table = TextTable([T("ID", "Код"), T("School", "Школа")])
            for s in schools { table.add([s.id, s.name]) }
            print(table.render())
        }
    }

    struct HubTask: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "task", abstract: T("Add and assign tasks.", "Задачи: добавить, назначить, снять."),
                                 subcommands: [Add.self, Assign.self, Unassign.self])
        }

        struct Add: ParsableCommand {
            static var configuration: CommandConfiguration { CommandConfiguration(abstract: T("Add a task.", "Добавить задачу.")) }
            @OptionGroup var options: GlobalOptions
            @Option(help: ArgumentHelp(T("The task's text.", "Текст задачи."), valueName: "T")) var title: String
            @Option(help: ArgumentHelp(T("Its number as printed, e.g. 2.1.", "Номер в документе, например 2.1."), valueName: "N")) var number: String = ""
            @Option(help: ArgumentHelp(T("Deadline, YYYY-MM-DD.", "Срок, ГГГГ-ММ-ДД."), valueName: "DATE")) var deadline: String = ""
            @Option(help: ArgumentHelp(T("Schools to assign it to, comma-separated.", "Школы, которым назначить, через запятую."), valueName: "ID,ID")) var assign: String?
            @Flag(name: .customLong("assign-all"), help: ArgumentHelp(T("Assign it to every school.", "Назначить всем школам."))) var assignAll = false

            func validate() throws {
                if assign != nil && assignAll {
                    throw ValidationError(T("Use --assign or --assign-all, not both.", "Укажите либо --assign, либо --assign-all."))
                }
            }

            func run() throws {
                let node = try options.openHub()
                let schools = assignAll ? try node.listSchools().map(\.id) : splitList(assign)
                var task = PartaNode.NewTask(title: title)
                task.number = number
                task.deadline = deadline
                let id = try node.addTask(task, assignTo: schools, now: options.now)
                if options.json { return try options.printJSON(["id": id]) }
                print(T("Task \(id) added", "Добавлена задача \(id)") + (schools.isEmpty ? "." : T(", assigned to \(Noun.school.count(schools.count, in: .en)).",
                                                                                                    ", назначена \(Noun.schoolDative.count(schools.count, in: .ru)).")))
            }
        }

        struct Assign: ParsableCommand {
            static var configuration: CommandConfiguration { CommandConfiguration(abstract: T("Assign a task to schools.", "Назначить задачу школам.")) }
            @OptionGroup var options: GlobalOptions
            @Argument(help: ArgumentHelp(T("Task id or number.", "Код или номер задачи."), valueName: "TASK")) var task: String
            @Option(help: ArgumentHelp(T("Schools, comma-separated.", "Школы через запятую."), valueName: "ID,ID")) var to: String

            func run() throws {
                try options.openHub().assign(task: task, to: splitList(to), now: options.now)
                if !options.json { print(T("Assigned. The schools get it with the next exchange.", "Назначено. Школы получат задачу при следующем обмене.")) }
            }
        }

        struct Unassign: ParsableCommand {
            static var configuration: CommandConfiguration { CommandConfiguration(abstract: T("Withdraw a task from a school.", "Снять задачу со школы.")) }
            @OptionGroup var options: GlobalOptions
            @Argument(help: ArgumentHelp(T("Task id or number.", "Код или номер задачи."), valueName: "TASK")) var task: String
            @Option(help: ArgumentHelp(T("The school.", "Школа."), valueName: "ID")) var from: String

            func run() throws {
                try options.openHub().unassign(task: task, from: from, now: options.now)
                if !options.json { print(T("Withdrawn. The school's report stays in the history.", "Задача снята. Отчёт школы сохранён в истории.")) }
            }
        }
    }

    struct HubExport: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "export", abstract: T("Write each school's bundle onto a stick (DIR/<school>/), and the region's or municipalities' ones.",
                                                                    "Записать пакеты для школ на флешку (DIR/<школа>/), а также для региона или муниципалитетов."))
        }
        @OptionGroup var options: GlobalOptions
        @Option(name: .customLong("to"), help: ArgumentHelp(T("The stick's folder.", "Папка на флешке."), valueName: "DIR")) var directory: String
        @Option(help: ArgumentHelp(T("Only these schools, comma-separated.", "Только эти школы, через запятую."), valueName: "ID")) var school: String?
        @Flag(help: ArgumentHelp(T("First remove the schools' bundles already taken in here, and leftovers of cut-off writes.",
                                   "Сначала удалить уже принятые здесь пакеты школ и остатки прерванной записи.")))
        var prune = false

        func run() throws {
            let node = try options.openHub()
            let pruned = prune ? try node.pruneCourierFolder(directory) : []
            if !options.json, prune {
                print(T("Pruned \(pruned.count) bundles already taken in.", "Удалено уже принятых пакетов: \(pruned.count)."))
            }
            var export = try node.exportForSchools(school.map(splitList), to: directory, now: options.now,
                                                   progress: Render.countProgress(T("Exporting", "Выгрузка"), options: options))
            // A municipality's courier carries its bundle for the region too.
            if school == nil, node.replica.upstream != nil { export.bundles.append(try node.exportForRegion(to: directory, now: options.now)) }
            try Render.exports(export.bundles, options: options)
            if !options.json, !export.schoolsWithoutComputers.isEmpty {
                print(T("No bundle for \(export.schoolsWithoutComputers.joined(separator: ", ")): no computer enrolled and no open code (`parta hub school code ID`).",
                        "Нет пакета для \(export.schoolsWithoutComputers.joined(separator: ", ")): нет подключённых компьютеров и действующих кодов (`parta hub school code КОД`)."))
            }
        }
    }

    struct HubImport: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "import", abstract: T("Take in the schools' bundles from a file or a stick's folder.", "Принять пакеты школ из файла или папки на флешке."))
        }
        @OptionGroup var options: GlobalOptions
        @Argument(help: ArgumentHelp(T("A bundle file or a folder.", "Файл пакета или папка."), valueName: "PATH")) var path: String

        func run() throws {
            let node = try options.openHub()
            let outcomes = try node.importBundles(at: path, now: options.now, progress: Render.progress(T("Importing", "Импорт"), options: options))
            try Render.importOutcomes(try NothingImported.check(outcomes, at: path, node: node, options: options), options: options, perSchool: true)
        }
    }

    struct HubReport: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "report", abstract: T("Progress per task and per school; as CSV or XLSX for the region.",
                                                                    "Ход выполнения по задачам и по школам; в CSV или XLSX для региона."))
        }
        // The values are listed in the options' own help, in the user's language (not argument-parser's "(values: …)").
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, json, csv, xlsx
            static var allValueStrings: [String] { [] }
        }
        enum Table: String, ExpressibleByArgument, CaseIterable {
            case schools, tasks
            static var allValueStrings: [String] { [] }
        }

        @OptionGroup var options: GlobalOptions
        @Option(name: .customLong("format"), help: ArgumentHelp(T("table (on screen, the default), json, csv (one table, for Excel) or xlsx (a workbook of both tables; needs --output).",
                                     "table (на экран, по умолчанию), json, csv (одна таблица, для Excel) или xlsx (книга с обеими таблицами; нужен --output)."),
                                   valueName: "FORMAT"))
        var formatOption: Format?
        var format: Format { formatOption ?? .table }
        @Option(help: ArgumentHelp(T("Write the csv or xlsx file here (csv without it: to standard output).",
                                     "Куда записать файл csv или xlsx (csv без него — в стандартный вывод)."), valueName: "FILE"))
        var output: String?
        @Option(help: ArgumentHelp(T("Which table: schools (the csv default) or tasks; xlsx: only that sheet.",
                                     "Какая таблица: schools (школы, по умолчанию для csv) или tasks (задачи); для xlsx — только этот лист."),
                                   valueName: "TABLE"))
        var table: Table?

        func validate() throws {
            if options.json && (format == .csv || format == .xlsx) {
                throw ValidationError(T("--json prints JSON; it does not go with --format \(format.rawValue). Use one of them.",
                                        "--json выводит JSON и не сочетается с --format \(format.rawValue). Укажите что-то одно."))
            }
            if (format == .table || format == .json) && (output != nil || table != nil) {
                throw ValidationError(T("--output and --table go with --format csv or xlsx.", "--output и --table используются с --format csv или xlsx."))
            }
            if format == .xlsx && output == nil {
                throw ValidationError(T("An .xlsx workbook is a binary file and is not printed to the terminal: add --output FILE, for example --output summary.xlsx.",
                                        "Книга .xlsx — двоичный файл, и в терминал она не выводится: добавьте --output ФАЙЛ, например --output svodka.xlsx."))
            }
            // A file named for the other format would open as garbage (or not at all) in Excel.
            if let output, let named = Self.formatNamed(by: output), named != format, format == .csv || format == .xlsx {
                let other = named.rawValue, own = format.rawValue
                let renamed = String(output.dropLast(other.count)) + own
                throw ValidationError(T("--format \(own) writes \(format == .xlsx ? "an" : "a") \(own.uppercased()) file, but --output \(output) ends in .\(other): Excel would open it wrongly or not at all. Use --format \(other), or name the file \(renamed).",
                                        "--format \(own) записывает файл \(own.uppercased()), а --output \(output) оканчивается на .\(other): Excel откроет его неправильно или не откроет вовсе. Укажите --format \(other) или назовите файл \(renamed)."))
            }
        }

        /// The export format a file's extension names (`.csv`, `.xlsx`; case ignored); nil for any other.
        static func formatNamed(by path: String) -> Format? {
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "csv": return .csv
            case "xlsx": return .xlsx
            default: return nil
            }
        }

        func run() throws {
            let node = try options.openHub()
            switch format {
            case .table, .json:
                let report = try node.hubReport(today: options.today)
                if options.json || format == .json { return try options.printJSON(report) }
                printTables(report)
            case .csv, .xlsx:
                let all = try node.summaryTables(today: options.today, language: language)
                let tables = format == .csv ? all.filter { $0.id == (table ?? .schools).rawValue }
                                            : all.filter { table == nil || $0.id == table?.rawValue }
                let bytes = format == .csv ? CSVExport.bytes(tables[0]) : XLSXExport.bytes(tables)
                guard let output else { return FileHandle.standardOutput.write(Data(bytes)) }
                try Self.write(bytes, to: output)
                let names = tables.map { T("“\($0.name)”", "«\($0.name)»") }.joined(separator: ", ")
                let rows = tables.map(\.rows.count).reduce(0, +)
                print(T("Wrote \(output): \(names), \(rows) rows.", "Записан \(output): \(names), строк — \(rows)."))
            }
        }

        /// Writes an export as bundles are written (the old file or the whole new one, never half),
        /// or says which file could not be written and why.
        static func write(_ bytes: [UInt8], to path: String) throws {
            do {
                try BundleFiles.writeAtomically(bytes, to: path)
            } catch let e as BundleError where e.code == .unwritable {
                guard let reason = e.reasonCode.flatMap({ Int32($0) }).map({ String(cString: strerror($0)) }) else {
                    throw PartaError(.invalidArgument, Message(
                        en: "Cannot write \(path): \(e.path) is a link or a special file, which Parta never writes through. Remove it, or choose another file with --output.",
                        ru: "Не удаётся записать \(path): \(e.path) — ссылка или особый файл, Parta через них не пишет. Удалите его или укажите в --output другой файл."))
                }
                throw PartaError(.invalidArgument, Message(
                    en: "Cannot write \(path) (\(reason)). Choose another file with --output, for example in your home folder.",
                    ru: "Не удаётся записать \(path) (\(reason)). Укажите в --output другой файл, например в домашней папке."))
            }
        }

        func printTables(_ report: PartaApp.HubReport) {
            func counts(_ by: [String: Int]) -> [String] { ReportStatus.allCases.map { String(by[$0.rawValue] ?? 0) } }
            let statusHeaders = ReportStatus.allCases.map { $0.label(language) }
            var tasks = TextTable([T("ID", "Код"), "№", T("Deadline", "Срок"), T("Schools", "Школ")] + statusHeaders + [T("Avg %", "Ср. %"), T("Overdue", "Просрочено"), T("Task", "Задача")])
            tasks.maxWidth = [10: 50]
            for t in report.tasks {
                tasks.add([t.id, t.number, t.deadline.isEmpty ? "—" : t.deadline, "\(t.assigned)"] + counts(t.byStatus)
                          + [String(format: "%.0f", t.averageProgress), "\(t.overdue)", t.title])
            }
            print(T("By task", "По задачам"))
            print(tasks.render())
            // At a region, a column says which municipality each school belongs to.
            let tiered = report.schools.contains { !$0.municipality.isEmpty }
            var schools = TextTable([T("ID", "Код"), T("School", "Школа")] + (tiered ? [T("Municipality", "Муниципалитет")] : []) + [T("Tasks", "Задач")]
                                    + statusHeaders + [T("Overdue", "Просрочено"), T("Last heard from", "Последний пакет")])
            for s in report.schools {
                schools.add([s.id, s.name] + (tiered ? [s.municipality.isEmpty ? "—" : s.municipality] : []) + ["\(s.assigned)"]
                            + counts(s.byStatus) + ["\(s.overdue)", PartaNode.formatTime(UInt64(s.lastHeardFrom))])
            }
            print("\n" + T("By school", "По школам"))
            print(schools.render())
        }
    }
}

func splitList(_ text: String?) -> [String] {
    (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
