import ArgumentParser
import Foundation
import PartaApp
import PartaResolution

extension Hub {
    /// `parta hub import-resolution FILE`: a published resolution turned into tasks.
    struct HubImportResolution: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "import-resolution", abstract: T(
                "Turn a resolution (.txt, .docx, .pdf) into tasks; --dry-run shows them first.",
                "Превратить резолюцию (.txt, .docx, .pdf) в задачи; --dry-run сначала показывает их."))
        }
        @OptionGroup var options: GlobalOptions
        @Argument(help: ArgumentHelp(T("The document.", "Документ."), valueName: "FILE")) var file: String
        @Flag(name: .customLong("dry-run"), help: ArgumentHelp(T("Show the tasks found; store nothing.", "Показать найденные задачи, ничего не сохраняя.")))
        var dryRun = false

        func run() throws {
            let node = try options.open()
            let parsed = try ResolutionReader.read(path: file)
            let result = try node.importResolution(parsed, source: (file as NSString).lastPathComponent, dryRun: dryRun, now: options.now)
            if options.json { return try options.printJSON(result) }
            print(Render.resolutionTree(result))
            if dryRun {
                print(T("Dry run: nothing was stored. Import without --dry-run to store these \(result.lines.count) tasks.",
                        "Пробный просмотр: ничего не сохранено. Чтобы сохранить эти задачи (\(result.lines.count)), запустите без --dry-run."))
            } else {
                print(T("Stored as resolution \(result.resolution): \(result.added) new, \(result.updated) updated, \(result.unchanged) unchanged.",
                        "Сохранено как резолюция \(result.resolution): новых задач — \(result.added), изменённых — \(result.updated), без изменений — \(result.unchanged)."))
                if !result.missing.isEmpty {
                    print(T("No longer in the document (kept with their reports): \(result.missing.joined(separator: ", ")).",
                            "Больше нет в документе (сохранены вместе с отчётами): \(result.missing.joined(separator: ", "))."))
                }
                print(T("Next: parta hub assign --resolution \(result.resolution) --level school --to all",
                        "Далее: parta hub assign --resolution \(result.resolution) --level school --to all"))
            }
        }
    }
}
