import Foundation
import PartaResolution
import ArgumentParser
import PartaCore
import PartaStore
import PartaBundle
import PartaApp
import PartaDashboard

/// `parta`: the school node and municipal hub of Parta.
struct Parta: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "parta",
            abstract: T("Tasks from education resolutions, school reports, and their exchange by USB stick or over the network.",
                        "Задачи из решений советов по образованию, отчёты школ и обмен ими через флешку или по сети."),
            subcommands: [Hub.self, Init.self, Tasks.self, Show.self, Report.self, Status.self, Conflicts.self,
                          Log.self, Export.self, Import.self, Sync.self, Doctor.self, Backup.self, Restore.self, Demo.self])
    }

    // Our own flag rather than CommandConfiguration(version:): argument-parser's says "Show the
    // version." in English, and on every subcommand's help too.
    @Flag(name: .customLong("version"), help: ArgumentHelp(T("Print the version of Parta, and of the protocol, bundle format and replica schema it speaks.",
                                                             "Показать версию Parta и версии протокола, формата пакетов и схемы реплики.")))
    var version = false

    func run() throws {
        guard version else { throw CleanExit.helpRequest(self) }
        print(PartaRelease.versionText)
    }
}

@main
enum PartaMain {
    static func main() async {
        StandardOutput.flushEveryLine()
        do {
            var command = try Parta.parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(with: error)
        }
    }

    /// The one place that turns errors into what a user reads and into exit codes:
    /// 1 = the request could not be done, 2 = usage, 3 = a bundle was damaged or refused.
    static func exit(with error: Error) -> Never {
        let (message, code): (Message?, Int32)
        switch error {
        case let e as PartaError: (message, code) = (e.message, e.code == .badReview ? 2 : 1)
        case let e as BundleError: (message, code) = (e.message, e.code == .unwritable || e.code == .unreadable ? 1 : 3)
        case let e as StoreError: (message, code) = (e.message, 1)
        case let e as DashboardError: (message, code) = (e.message, 1)
        case let e as PartaCoreError: (message, code) = (e.message, 3)
        case let e as ImportFailed: (message, code) = (e.message, 3)
        case let e as ResolutionError: (message, code) = (Message(en: e.en, ru: e.ru), 1)
        default: (message, code) = (nil, 0)
        }
        guard let message else {
            // ArgumentParser's usage errors exit with 64 (EX_USAGE); Parta promises 2 for usage.
            guard Parta.exitCode(for: error).rawValue == 64 else { Parta.exit(withError: error) }
            FileHandle.standardError.write(Data((UsageError.message(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
        FileHandle.standardError.write(Data((T("Error: ", "Ошибка: ") + message.text(in: language) + "\n").utf8))
        if ProcessInfo.processInfo.environment["PARTA_DEBUG"] != nil {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
        }
        Foundation.exit(code)
    }
}

/// Some bundles of an import failed; their reasons were already printed.
struct ImportFailed: Error {
    var count: Int
    var message: Message {
        Message(en: "\(count) bundle(s) were not imported; see the reasons above. Everything else was imported.",
                ru: "Не импортировано пакетов: \(count); причины указаны выше. Всё остальное импортировано.")
    }
}
