import ArgumentParser
import Foundation
import PartaApp
import PartaCore

extension Hub {
    /// `parta hub assign`: the assignment rules of a resolution's tasks.
    struct HubAssign: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "assign", abstract: T(
                "Assign a resolution's tasks of one level to schools (schools the text names get their tasks).",
                "Назначить задачи резолюции одного уровня школам (названные в тексте школы получают свои задачи)."))
        }
        @OptionGroup var options: GlobalOptions
        @Option(help: ArgumentHelp(T("The resolution (id, part of it, or latest).", "Резолюция (код, его часть или latest)."), valueName: "R"))
        var resolution: String
        @Option(name: .customLong("level"), help: ArgumentHelp(T("Tasks of this level: school (the default), municipal, regional, other, or any.",
                                     "Задачи этого уровня: school (школы, по умолчанию), municipal, regional, other или any (все)."), valueName: "LEVEL"))
        var levelOption: String?
        var level: String { levelOption ?? "school" }
        @Option(help: ArgumentHelp(T("all, or school ids comma-separated.", "all (все школы) или коды школ через запятую."), valueName: "all|ID,ID"))
        var to: String?
        @Option(help: ArgumentHelp(T("Schools whose name holds this word (СОШ, гимназия, филиал…).", "Школы, в названии которых есть это слово (СОШ, гимназия, филиал…)."), valueName: "TYPE"))
        var type: String?
        @Option(help: ArgumentHelp(T("Only these tasks (numbers or ids, comma-separated), whatever their level.", "Только эти задачи (номера или коды через запятую), любого уровня."), valueName: "N,N"))
        var task: String?
        @Flag(help: ArgumentHelp(T("Name every school of every task (by default a task going to more than \(HubAssign.listedSchools) schools shows their number).",
                                   "Перечислить все школы каждой задачи (по умолчанию для задачи, назначенной больше чем \(HubAssign.listedSchools) школам, выводится их число).")))
        var verbose = false

        /// Up to this many schools a task's line names them; beyond, it gives their number (unless --verbose).
        static let listedSchools = 5

        func validate() throws {
            guard (to == nil) != (type == nil) else {
                throw ValidationError(T("Say whom to assign to: --to all, --to ID,ID or --type TYPE.", "Укажите, кому назначить: --to all, --to КОД,КОД или --type ТИП."))
            }
            guard level == "any" || ["school", "municipal", "regional", "other"].contains(level) else {
                throw ValidationError(T("--level is school, municipal, regional, other or any.", "--level: school, municipal, regional, other или any."))
            }
        }

        func run() throws {
            let node = try options.openHub()
            let target: PartaNode.AssignmentTarget
            if let type { target = .type(type) } else if to == "all" { target = .all } else { target = .schools(splitList(to)) }
            let summary = try node.assign(resolution: resolution, level: level == "any" ? nil : level, to: target,
                                          onlyTasks: splitList(task), now: options.now)
            if options.json { return try options.printJSON(summary) }
            var table = TextTable(["№", T("Task", "Задача"), T("Schools", "Школы")])
            for line in summary.lines {
                let count = line.schools.count
                let schools = verbose || count <= HubAssign.listedSchools ? line.schools.joined(separator: ", ")
                    : Noun.school.count(count, in: language)
                table.add([line.number, line.task, schools + (line.namedInText ? T(" (named in the text)", " (названа в тексте)") : "")])
            }
            print(table.render())
            print(T("\(summary.assigned) new assignments. The schools get them with the next exchange (USB or network).",
                    "Новых назначений: \(summary.assigned). Школы получат задачи при следующем обмене (флешка или сеть)."))
        }
    }
}
