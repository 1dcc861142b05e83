import Foundation
import ArgumentParser
import PartaApp
import PartaHTTP
import PartaCore
import Logging

struct Demo: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("Show the whole story: a hub and three schools exchanging by USB stick and over HTTP, and the region above.",
                                         "Показать всю историю: отдел образования и три школы обмениваются через флешку и по HTTP, а над ними — регион."))
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
        let result = try PartaDemo.run(in: directory, language: language, network: DemoNetwork.sync) { print($0) }
        if let keep {
            print(T("\nThe demo's data is in \(keep): try `parta tasks --data \(keep)/shapkino` or `parta hub report --data \(keep)/hub`.",
                    "\nДанные демонстрации — в \(keep): попробуйте `parta tasks --data \(keep)/shapkino` или `parta hub report --data \(keep)/hub`."))
        }
        if !result.replicasAgree || !result.revokedNodeRefused || !result.regionAgrees { throw ExitCode(4) }
    }
}

/// The demo's network step: the hub served by the real HTTP server on 127.0.0.1 (any free port)
/// for the one sync, and the school's real client.
enum DemoNetwork {
    static func sync(hub: PartaNode, school: PartaNode, now: UInt64) throws -> String {
        let server = SyncServer(service: try SyncService(node: hub), host: "127.0.0.1", port: 0, logger: Logger(label: "parta.demo", factory: { _ in SwiftLogNoOpLogHandler() }))
        let listening = DispatchSemaphore(value: 0), stopped = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var port = 0
        let task = Task {
            try? await server.run(clock: { now }) { bound in port = bound; listening.signal() }
            stopped.signal()
        }
        defer { task.cancel(); stopped.wait() }
        guard listening.wait(timeout: .now() + 30) == .success, let url = URL(string: "http://127.0.0.1:\(port)/") else {
            throw PartaError(.offline, Message(en: "The demo's HTTP server did not start.", ru: "HTTP-сервер демонстрации не запустился."))
        }
        let outcome = try SyncClient(node: school, attempts: 2).sync(with: url, now: now, language: language)
        return T("\(school.school) ↔ \(url.absoluteString)v1/sync: sent \(outcome.sent) changes (\(outcome.bytesSent) B), received \(outcome.received.applied) (\(outcome.bytesReceived) B).",
                 "\(school.school) ↔ \(url.absoluteString)v1/sync: отправлено изменений — \(outcome.sent) (\(outcome.bytesSent) Б), получено — \(outcome.received.applied) (\(outcome.bytesReceived) Б).")
    }
}
