import Foundation
import ArgumentParser
import PartaApp

struct Backup: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("Copy this computer's Parta data into a backup file (safe while Parta is in use).",
                                         "Сохранить данные Parta этого компьютера в файл резервной копии (можно во время работы)."))
    }
    @OptionGroup var options: GlobalOptions
    @Option(name: .customLong("to"), help: ArgumentHelp(T("The new backup file.", "Новый файл резервной копии."), valueName: "FILE"))
    var file: String

    func run() throws {
        try options.open().backup(to: file)
        if !options.json { print(T("Backup written to \(file).", "Резервная копия записана в \(file).")) }
    }
}

struct Restore: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("Bring Parta data back from a backup file into an empty data folder.",
                                         "Восстановить данные Parta из резервной копии в пустую папку данных."))
    }
    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp(T("The backup file.", "Файл резервной копии."), valueName: "FILE"))
    var file: String
    @Option(name: .customLong("name"), help: ArgumentHelp(T("A name for this computer (default: its host name).", "Название этого компьютера (по умолчанию — его сетевое имя)."), valueName: "NAME"))
    var nameOption: String?
    var name: String { nameOption ?? ProcessInfo.processInfo.hostName }
    @Option(help: ArgumentHelp(T("For a school computer: a new enrollment code from the municipal office (a restored computer joins as a new one).",
                                 "Для школьного компьютера: новый код подключения от управления (восстановленный компьютер подключается как новый)."), valueName: "CODE"))
    var code: String?

    func validate() throws { if let code { _ = try parseEnrollmentCode(code) } }

    func run() throws {
        let node = try PartaNode.restore(backup: file, into: options.directory, name: name, code: try code.map(parseEnrollmentCode), now: options.now)
        if options.json { return try options.printJSON(["node": node.replica.nodeID]) }
        print(node.isHub
              ? T("The hub is restored. Import the schools' bundles to catch up with what they sent since the backup.",
                  "Узел управления восстановлен. Импортируйте пакеты школ, чтобы получить присланное ими после создания копии.")
              : T("Restored as node \(node.replica.nodeID) of school \(node.school). Run parta export and take the stick to the hub: its answer brings back everything the hub holds.",
                  "Восстановлено как узел \(node.replica.nodeID) школы \(node.school). Выполните parta export и передайте флешку в управление: ответный пакет вернёт всё, что есть в управлении."))
    }
}
