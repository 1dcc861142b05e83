import Foundation
import ArgumentParser
import PartaApp

struct Demo: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("Show the whole story: a hub and three schools exchanging by USB stick.",
                                         "Показать всю историю: отдел образования и три школы обмениваются через флешку."))
    }
    @Option(help: ArgumentHelp(T("Keep the demo's data in this folder (default: a temporary folder, removed at the end).",
                                 "Сохранить данные демонстрации в этой папке (по умолчанию — временная папка, удаляется в конце)."), valueName: "DIR"))
    var keep: String?

    func run() throws {
        let directory = keep ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("parta-demo-\(UUID().uuidString.prefix(8))")
        if FileManager.default.fileExists(atPath: directory), let keep,
           !(try FileManager.default.contentsOfDirectory(atPath: keep)).isEmpty {
            throw ValidationError(T("\(keep) is not empty; give an empty or new folder.", "Папка \(keep) не пуста; укажите пустую или новую папку."))
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let result = try PartaDemo.run(in: directory, language: language) { print($0) }
        if let keep {
            print(T("\nThe demo's data is in \(keep): try `parta tasks --data \(keep)/shapkino` or `parta hub report --data \(keep)/hub`.",
                    "\nДанные демонстрации — в \(keep): попробуйте `parta tasks --data \(keep)/shapkino` или `parta hub report --data \(keep)/hub`."))
        }
        if !result.replicasAgree || !result.revokedNodeRefused { throw ExitCode(4) }
    }
}
