import Foundation
import ArgumentParser
import PartaCore
import PartaApp
import PartaHTTP

/// School → municipality → region: the region registers municipalities; a municipal hub joins
/// its region and exchanges with it by stick (`hub export` / `hub import`) or over HTTP.
extension Hub {
    struct HubMunicipality: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "municipality", abstract: T("Region: register municipalities and issue their hubs' join codes.",
                                                                          "Регион: муниципалитеты и коды подключения их управлений."),
                                 subcommands: [Add.self, Code.self])
        }
        struct Add: ParsableCommand {
            static var configuration: CommandConfiguration {
                CommandConfiguration(abstract: T("Register a municipality and issue the code its hub joins with.", "Зарегистрировать муниципалитет и выдать код для подключения его управления."))
            }
            @OptionGroup var options: GlobalOptions
            @Argument(help: ArgumentHelp(T("A short id, e.g. muchkap.", "Краткий код, например muchkap."), valueName: "ID")) var id: String
            @Option(help: ArgumentHelp(T("The municipality's name.", "Название муниципалитета."), valueName: "NAME")) var name: String
            @Option(help: ArgumentHelp(T("Where to write the code (default: the data folder's codes/).", "Куда записать код (по умолчанию — папка codes/ в папке данных)."), valueName: "FILE"))
            var codeFile: String?

            func run() throws {
                let code = try options.openHub().addMunicipality(id: id, name: name, now: options.now)
                if !options.json { print(T("Municipality \(id) registered: \(name).", "Муниципалитет \(id) зарегистрирован: \(name).")) }
                try EnrollmentCodeFile.handOver(code, school: id, name: name, to: codeFile, options: options, municipality: true)
            }
        }
        struct Code: ParsableCommand {
            static var configuration: CommandConfiguration {
                CommandConfiguration(abstract: T("Issue another join code for a municipality's hub (a replacement computer).", "Выдать ещё один код подключения для управления муниципалитета (замена компьютера)."))
            }
            @OptionGroup var options: GlobalOptions
            @Argument(help: ArgumentHelp(T("The municipality's id.", "Код муниципалитета."), valueName: "ID")) var id: String
            @Option(help: ArgumentHelp(T("Where to write the code.", "Куда записать код."), valueName: "FILE")) var codeFile: String?

            func run() throws {
                let node = try options.openHub()
                let code = try node.issueMunicipalityCode(id, now: options.now)
                let name = try node.listMunicipalities().first { $0.id == id }?.name ?? id
                try EnrollmentCodeFile.handOver(code, school: id, name: name, to: codeFile, options: options, municipality: true)
            }
        }
    }

    struct HubMunicipalities: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "municipalities", abstract: T("Region: list the municipalities and their hubs.", "Регион: список муниципалитетов и их управлений."))
        }
        @OptionGroup var options: GlobalOptions
        func run() throws {
            let list = try options.openHub().listMunicipalities()
            if options.json { return try options.printJSON(list) }
            var table = TextTable([T("ID", "Код"), T("Municipality", "Муниципалитет"), T("Hub", "Управление"), T("Schools", "Школ"), T("Last bundle", "Последний пакет")])
            for m in list {
                table.add([m.id, m.name, m.hub ?? T("not joined", "не подключено"), "\(m.schools)",
                           m.lastBundleAt.map { String($0.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? "—"])
            }
            print(table.render())
        }
    }

    struct HubJoin: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "join", abstract: T("Municipality: join the region with its bundle and one-time code.", "Муниципалитет: подключиться к региону по его пакету и одноразовому коду."))
        }
        @OptionGroup var options: GlobalOptions
        @Option(name: .customLong("from"), help: ArgumentHelp(T("The region's bundle, or the stick's folder holding it.", "Пакет региона или папка на флешке с ним."), valueName: "PATH"))
        var path: String
        @Option(help: ArgumentHelp(T("The code the region issued.", "Код, выданный регионом."), valueName: "CODE")) var code: String

        func validate() throws { _ = try parseEnrollmentCode(code) }

        func run() throws {
            let enrollment = try parseEnrollmentCode(code)
            let node = try options.openHub()
            let report = try node.joinRegion(fromBundle: path, code: enrollment, now: options.now)
            let (region, domain) = try node.requireRegion()
            if options.json { return try options.printJSON(["region": region.id, "municipality": domain, "received": "\(report.applied)"]) }
            print(T("Joined region \(region.id) as municipality \(domain) (received \(Noun.change.count(report.applied, in: .en))). Send the region your data: `parta hub sync-upstream URL`, or `parta hub export --to STICK`.",
                    "Управление подключено к региону \(region.id) как муниципалитет \(domain) (получено \(Noun.change.count(report.applied, in: .ru))). Передайте региону данные: `parta hub sync-upstream АДРЕС` или `parta hub export --to ФЛЕШКА`."))
        }
    }

    struct HubSyncUpstream: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "sync-upstream", abstract: T("Municipality: exchange with the region over the network (the address is remembered).",
                                                                          "Муниципалитет: обмен с регионом по сети (адрес запоминается)."))
        }
        @OptionGroup var options: GlobalOptions
        @Argument(help: ArgumentHelp(T("The region's address, e.g. http://region.example:8460/ or 10.0.0.1:8460 (only the first time).",
                                        "Адрес региона, например http://region.example:8460/ или 10.0.0.1:8460 (только в первый раз)."), valueName: "URL")) var url: String?

        func validate() throws { if let url { _ = try parseHubURL(url, example: "http://region.example:8460/") } }

        func run() throws {
            let node = try options.openHub()
            let (region, _) = try node.requireRegion()
            guard let text = try url ?? node.replica.localSetting("upstream_url") else {
                throw ValidationError(T("Give the region's address once: parta hub sync-upstream http://REGION:8460/ (or just REGION:8460)",
                                        "Укажите адрес региона один раз: parta hub sync-upstream http://АДРЕС:8460/ (или просто АДРЕС:8460)"))
            }
            let address = try parseHubURL(text, example: "http://region.example:8460/")
            let outcome = try Sync.exchange(node, with: address, options: options)
            if url != nil { try node.replica.setLocalSetting("upstream_url", address.absoluteString) }
            try node.replica.setLocalSetting("last_upstream_sync_at", String(options.now))
            if options.json {
                struct UpstreamJSON: Encodable {
                    var region, sent, received: String
                    var chunked: Bool
                    var resumedFrom: [Int]
                    var answerByReference: Bool
                }
                return try options.printJSON(UpstreamJSON(region: region.id, sent: "\(outcome.sent)", received: "\(outcome.received.applied)",
                                                          chunked: outcome.chunked, resumedFrom: outcome.resumedFrom,
                                                          answerByReference: outcome.answerByReference))
            }
            print(T("Synced with the region \(address.absoluteString): received \(Noun.change.count(outcome.received.applied, in: .en)), sent \(outcome.sent).",
                    "Синхронизация с регионом \(address.absoluteString): получено \(Noun.change.count(outcome.received.applied, in: .ru)), отправлено — \(outcome.sent)."))
        }
    }
}
