import ArgumentParser
import Foundation
import PartaApp
import PartaResolution
import PartaCore

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
        @Option(name: .customLong("review"), help: ArgumentHelp(T("Write the tasks found to this CSV for a methodologist to correct; store nothing.",
                                                                 "Записать найденные задачи в этот CSV для проверки методистом; ничего не сохранять."), valueName: "OUT.csv"))
        var review: String?
        @Option(name: .customLong("from-review"), help: ArgumentHelp(T("Import with the corrections of this reviewed CSV (a deleted row drops its task).",
                                                                      "Импортировать с исправлениями из проверенного CSV (удалённая строка убирает задачу)."), valueName: "REVIEW.csv"))
        var fromReview: String?

        func validate() throws {
            if review != nil && (fromReview != nil || dryRun) {
                throw ValidationError(T("--review writes a table and stores nothing: give it without --from-review and --dry-run.",
                                        "--review записывает таблицу и ничего не сохраняет: укажите его без --from-review и --dry-run."))
            }
        }

        func run() throws {
            let node = try options.openHub()
            let parsed = try ResolutionReader.read(path: file)
            if let review {
                let rows = try node.review(parsed)
                do {
                    try Data(ResolutionReview.csv(rows.rows)).write(to: URL(fileURLWithPath: review), options: .atomic)
                } catch {
                    throw PartaError(.invalidArgument, Message(en: "Cannot write \(review) (\(error.localizedDescription)).",
                                                               ru: "Не удалось записать \(review) (\(error.localizedDescription))."))
                }
                if options.json { return try options.printJSON(["file": review, "tasks": "\(rows.rows.count)", "resolution": rows.resolution]) }
                print(T("Wrote \(rows.rows.count) tasks to \(review); nothing was stored. Correct it in a spreadsheet (keep the column «Ключ», delete the row of a task that is not one), then: parta hub import-resolution \(file) --from-review \(review)",
                        "Задачи (\(rows.rows.count)) записаны в \(review); ничего не сохранено. Исправьте таблицу (столбец «Ключ» не меняйте, строку лишней задачи удалите), затем: parta hub import-resolution \(file) --from-review \(review)"))
                return
            }
            var corrections: [TaskCorrection]?
            if let fromReview {
                let bytes = try ReviewFile.read(fromReview, limit: ResolutionReview.maxBytes)
                let rows = try ResolutionReview.read(bytes, file: (fromReview as NSString).lastPathComponent)
                corrections = try ResolutionReview.corrections(rows, tasks: parsed.tasks, keys: PartaNode.taskKeys(parsed),
                                                               file: (fromReview as NSString).lastPathComponent)
            }
            let result = try node.importResolution(parsed, source: (file as NSString).lastPathComponent, dryRun: dryRun, now: options.now,
                                                   review: corrections)
            if options.json { return try options.printJSON(result) }
            print(Render.resolutionTree(result))
            if fromReview != nil {
                print(T("Corrections from the review: \(result.corrected.count)\(Render.corrections(result.corrected)).",
                        "Исправлений из проверки: \(result.corrected.count)\(Render.corrections(result.corrected))."))
            } else if !result.reapplied.isEmpty {
                print(T("Corrections kept from an earlier review, applied again: \(result.reapplied.count)\(Render.corrections(result.reapplied)).",
                        "Применены снова исправления из прежней проверки: \(result.reapplied.count)\(Render.corrections(result.reapplied))."))
            }
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

/// A reviewed CSV read whole, bounded: a file over the limit is refused before it is read.
enum ReviewFile {
    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let name = (path as NSString).lastPathComponent
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let attributes, (attributes[.type] as? FileAttributeType) == .typeRegular,
              let handle = FileHandle(forReadingAtPath: path) else {
            throw PartaError(.invalidArgument, Message(en: "Cannot read \(path): there is no such file, or it is not a file.",
                                                       ru: "Не удалось прочитать \(path): такого файла нет или это не файл."))
        }
        defer { try? handle.close() }
        if let size = attributes[.size] as? NSNumber, size.intValue > limit {
            throw PartaError(.badReview, Message(en: "\(name) is larger than \(limit >> 20) MiB: it is not a review of one resolution.",
                                                 ru: "\(name) больше \(limit >> 20) МиБ: это не проверка одной резолюции."))
        }
        return [UInt8]((try? handle.read(upToCount: limit + 1)) ?? Data())
    }
}
