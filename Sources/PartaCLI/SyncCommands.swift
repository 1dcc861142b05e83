import Foundation
import ArgumentParser
import Logging
import PartaCore
import PartaApp
import PartaBundle
import PartaHTTP
import PartaDashboard

extension Hub {
    struct HubServe: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "serve", abstract: T("Serve schools' syncs over HTTP until Ctrl-C.", "Принимать синхронизацию школ по HTTP (до Ctrl-C)."))
        }
        @OptionGroup var options: GlobalOptions
        // Optional, with the defaults in the help's own words: argument-parser would add an English "(default: …)".
        @Option(name: .customLong("listen"), help: ArgumentHelp(T("Address and port to listen on (port 0: any free port; default 127.0.0.1:8460).",
                                                                  "Адрес и порт (0 — любой свободный; по умолчанию 127.0.0.1:8460)."), valueName: "HOST:PORT"))
        var listenOption: String?
        var listen: String { listenOption ?? "127.0.0.1:8460" }
        @Option(name: .customLong("max-bundle-mb"), help: ArgumentHelp(T("Largest bundle a school may send, in MiB (1–4096; default \(BundleFiles.defaultMaxFileBytes >> 20)).",
                                                                         "Наибольший размер пакета от школы, МиБ (1–4096; по умолчанию \(BundleFiles.defaultMaxFileBytes >> 20))."), valueName: "MB"))
        var maxBundleMbOption: Int?
        var maxBundleMb: Int { maxBundleMbOption ?? BundleFiles.defaultMaxFileBytes >> 20 }   // a bundle file on a stick has the same bound
        @Option(help: ArgumentHelp(T("Room for unfinished uploads, in MiB (default: 8 × --max-bundle-mb).",
                                     "Место для незавершённых загрузок, МиБ (по умолчанию 8 × --max-bundle-mb)."), valueName: "MB"))
        var maxStagingMb: Int?
        @Option(name: .customLong("idle-timeout"), help: ArgumentHelp(T("Close a connection on which the client sends nothing for this long, in seconds (default 60).",
                                                                         "Закрывать соединение, по которому клиент ничего не присылает столько секунд (по умолчанию 60)."), valueName: "S"))
        var idleTimeoutOption: Int?
        var idleTimeout: Int { idleTimeoutOption ?? 60 }
        @OptionGroup var proxy: ProxyOptions

        func validate() throws {
            try checkListenHost(listen)
            try validateRange(maxBundleMb, 1...4096, option: "--max-bundle-mb")
            if let maxStagingMb { try validateRange(maxStagingMb, 1...1_048_576, option: "--max-staging-mb") }
            try validateRange(idleTimeout, 1...86_400, option: "--idle-timeout")
        }

        func run() async throws {
            let (host, port) = try parseListen(listen)
            try checkPortFree(host: host, port: port)   // before the node is opened: nothing half started
            let shared = SharedNode(try options.openHub())
            let service = try SyncService(shared: shared, maxBundleBytes: maxBundleMb << 20, inlineAnswerLimit: Sync.chunkBytes,
                                          maxStagingBytes: maxStagingMb.map { $0 << 20 }, now: currentMilliseconds())
            var logger = Logger(label: "parta.hub")
            logger.logLevel = .info
            var server = SyncServer(service: service, host: host, port: port, idleTimeout: TimeInterval(idleTimeout), logger: logger)
            let trust = try proxy.trust()
            server.proxy = trust
            server.dashboard = try Dashboard(shared: shared, clock: { currentMilliseconds() }, proxy: trust, onSignIn: SyncServer.signInLog(logger))
            let staff = try await shared.withNode { try StaffAccounts(node: $0).list().count }
            do {
                try await server.run(clock: { currentMilliseconds() }) { bound in
                    print(T("Serving on http://\(host):\(bound)/ (Ctrl-C stops after the syncs in flight).",
                            "Сервер работает: http://\(host):\(bound)/ (Ctrl-C — остановка после текущих синхронизаций)."))
                    let dashboard = trust.publicOrigin.map { "\($0)/" } ?? "http://\(host):\(bound)/"
                    print(T("Dashboard: \(dashboard)", "Веб-панель: \(dashboard)")
                          + (trust.trustedProxies.isEmpty ? "" : T(" (forwarded by \(trust.trustedProxies.joined(separator: ", ")))",
                                                                   " (через прокси \(trust.trustedProxies.joined(separator: ", ")))"))
                          + (staff == 0 ? T(" — no staff accounts yet: add one with `parta hub user add NAME --role editor`.",
                                            " — учётных записей пока нет: добавьте `parta hub user add ИМЯ --role editor`.") : ""))
                    StandardOutput.flush()
                }
            } catch let failure as AddressInUse {
                throw portInUse(failure)
            } catch {
                throw PartaError(.invalidArgument, Message(en: "The server stopped: \(error)", ru: "Сервер остановлен: \(error)"))
            }
        }
    }
}

struct Sync: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("Exchange with the hub over the network (the address is remembered).",
                                         "Обмен с управлением по сети (адрес запоминается)."))
    }
    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp(T("The hub's address, e.g. http://hub.example:8460/ or 10.0.0.5:8460 (only the first time).",
                                   "Адрес управления, например http://hub.example:8460/ или 10.0.0.5:8460 (только в первый раз)."), valueName: "URL"))
    var url: String?

    func validate() throws { if let url { _ = try parseHubURL(url) } }

    func run() throws {
        let node = try options.open()
        guard let text = try url ?? node.replica.localSetting("sync_url") else {
            throw ValidationError(T("Give the hub's address once: parta sync http://HUB:8460/ (or just HUB:8460)",
                                    "Укажите адрес управления один раз: parta sync http://АДРЕС:8460/ (или просто АДРЕС:8460)"))
        }
        let address = try parseHubURL(text)
        let outcome = try Sync.exchange(node, with: address, options: options)
        if url != nil { try node.replica.setLocalSetting("sync_url", address.absoluteString) }
        try node.replica.setLocalSetting("last_sync_at", String(options.now))
        if options.json {
            struct SyncJSON: Encodable {
                var sent, received, bytesSent, bytesReceived, attempts: Int
                var chunked: Bool
                var resumedFrom: [Int]
                var answerByReference: Bool
            }
            return try options.printJSON(SyncJSON(sent: Int(outcome.sent), received: outcome.received.applied, bytesSent: outcome.bytesSent,
                                                  bytesReceived: outcome.bytesReceived, attempts: outcome.attempts, chunked: outcome.chunked,
                                                  resumedFrom: outcome.resumedFrom, answerByReference: outcome.answerByReference))
        }
        if let succession = outcome.succession { Render.succession(succession) }
        let sent = Int(clamping: outcome.sent)
        print(T("Synced with \(address.absoluteString): received \(Noun.change.count(outcome.received.applied, in: .en)), sent \(sent).",
                "Синхронизация с \(address.absoluteString): получено \(Noun.change.count(outcome.received.applied, in: .ru)), отправлено — \(sent)."))
    }
}

extension Sync {
    /// One sync over HTTP with the hub at `address` (a school's `parta sync`, a municipal hub's
    /// `parta hub sync-upstream`): retries with backoff and jitter, resumes large transfers, and
    /// shows progress bars for long ones and a line for each retry, unless --json.
    ///
    /// `PARTA_SYNC_ATTEMPTS` (tries in a row without progress, default 4) and
    /// `PARTA_SYNC_BACKOFF_MS` (the first wait, default 1000) are for tests.
    static func exchange(_ node: PartaNode, with address: URL, options: GlobalOptions) throws -> SyncClient.Outcome {
        let env = ProcessInfo.processInfo.environment
        let client = SyncClient(node: node, attempts: env["PARTA_SYNC_ATTEMPTS"].flatMap(Int.init).map { max(1, $0) } ?? 4,
                                backoff: env["PARTA_SYNC_BACKOFF_MS"].flatMap(Double.init).map { max(0, $0) / 1000 } ?? 1,
                                chunkBytes: Sync.chunkBytes)
        let bars = Render.transferProgress(options: options, threshold: client.chunkBytes)
        do {
            return try client.sync(with: address, now: options.now, language: language) { event in
                switch event {
                case .retrying(let attempt, let wait):
                    guard !options.json else { return }
                    bars?.interrupt()
                    let seconds = String(format: wait < 10 ? "%.1f" : "%.0f", wait)
                    FileHandle.standardError.write(Data(T("No answer; attempt \(attempt) in \(seconds) s…\n",
                                                         "Нет ответа; попытка \(attempt) через \(seconds) с…\n").utf8))
                case .sending(let done, let total): bars?.update(receiving: false, done: done, total: total)
                case .receiving(let done, let total): bars?.update(receiving: true, done: done, total: total)
                }
            }
        } catch let error as SyncError {
            bars?.interrupt()
            throw PartaError(error.code == .offline ? .offline : .invalidArgument, error.message)
        }
    }

    /// The threshold and piece size of resumable transfers (Protocol/sync-http-v1.md §5): 1 MiB;
    /// `PARTA_CHUNK_BYTES` sets another, for tests (a school's uploads, a hub's inline answers).
    static var chunkBytes: Int {
        ProcessInfo.processInfo.environment["PARTA_CHUNK_BYTES"].flatMap(Int.init).map { max(64, $0) } ?? 1 << 20
    }
}

struct Doctor: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(abstract: T("Check what breaks exchanges: data, keys, disk, the hub's address, the clock.",
                                         "Проверить, что мешает обмену: данные, ключи, диск, адрес управления, часы."))
    }
    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp(T("The hub's address (default: the one parta sync remembered).", "Адрес управления (по умолчанию — запомненный parta sync)."), valueName: "URL"))
    var url: String?

    func validate() throws { if let url { _ = try parseHubURL(url) } }

    func run() throws {
        let checks = PartaHTTP.Doctor.run(dataDirectory: options.directory, hubURL: try url.map { try parseHubURL($0) }, now: options.now, language: language)
        if options.json { try options.printJSON(checks) } else {
            for c in checks {
                let mark = ["ok": "✓", "warning": "!", "failure": "✗", "info": "·"][c.level.rawValue] ?? "?"
                print("\(mark) \(c.name): \(c.message)")
            }
        }
        if checks.contains(where: { $0.level == .failure }) { throw ExitCode(1) }
    }
}
