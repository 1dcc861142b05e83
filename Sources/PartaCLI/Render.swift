import Foundation
import PartaCore
import PartaStore
import PartaBundle
import PartaApp

/// Text for what commands print, in this run's language.
enum Render {
    static func status(_ s: String) -> String { ReportStatus(rawValue: s)?.label(language) ?? s }

    static func deadline(_ task: TaskSummary) -> String {
        if !task.deadlineText.isEmpty && task.deadlineText != task.deadline { return task.deadlineText }
        return task.deadline.isEmpty ? "—" : task.deadline
    }

    struct ImportJSON: Encodable {
        var path: String, sender: String?, result: String, applied: Int, alreadyHad: Int, superseded: Int,
            conflicts: Int, complete: Bool, reason: String?, reasonCode: String?
    }

    /// Prints the outcome of an import and throws ``ImportFailed`` if any bundle failed.
    static func importOutcomes(_ outcomes: [ImportOutcome], options: GlobalOptions) throws {
        let failed = outcomes.filter { if case .failed = $0.status { return true } else { return false } }.count
        if options.json {
            try options.printJSON(outcomes.map { o -> ImportJSON in
                switch o.status {
                case .applied(let r):
                    return ImportJSON(path: o.path, sender: o.sender, result: "applied", applied: r.applied, alreadyHad: r.alreadyHad,
                                      superseded: r.superseded, conflicts: r.conflicts, complete: r.clockAdvanced, reason: nil, reasonCode: nil)
                case .skipped(let m):
                    return ImportJSON(path: o.path, sender: o.sender, result: "skipped", applied: 0, alreadyHad: 0, superseded: 0,
                                      conflicts: 0, complete: true, reason: m.text(in: language), reasonCode: nil)
                case .failed(let e):
                    return ImportJSON(path: o.path, sender: o.sender, result: "failed", applied: 0, alreadyHad: 0, superseded: 0,
                                      conflicts: 0, complete: false, reason: e.message.text(in: language), reasonCode: e.reasonCode)
                }
            })
        } else {
            if outcomes.isEmpty { print(T("No bundles found.", "Пакеты не найдены.")) }
            for o in outcomes {
                switch o.status {
                case .applied(let r):
                    var line = T("Imported \(o.path): \(r.applied) new changes, \(r.alreadyHad) already here",
                                 "Импортирован \(o.path): новых изменений — \(r.applied), уже были — \(r.alreadyHad)")
                    if r.superseded > 0 { line += T(", \(r.superseded) older than what is here", ", устаревших — \(r.superseded)") }
                    if r.conflicts > 0 { line += T(", conflicts: \(r.conflicts) (see parta conflicts)", ", конфликтов — \(r.conflicts) (см. parta conflicts)") }
                    print(line + ".")
                    if !r.clockAdvanced {
                        print(T("  Note: an earlier bundle from this sender has not arrived yet; its changes will come with the next one.",
                                "  Примечание: более ранний пакет от этого отправителя ещё не поступил; его изменения придут со следующим."))
                    }
                case .skipped(let m):
                    print(T("Skipped \(o.path): \(m.en).", "Пропущен \(o.path): \(m.ru)."))
                case .failed(let e):
                    FileHandle.standardError.write(Data((T("Not imported: ", "Не импортирован: ") + e.message.text(in: language) + "\n").utf8))
                }
            }
        }
        if failed > 0 { throw ImportFailed(count: failed) }
    }

    static func exports(_ bundles: [ExportedBundle], options: GlobalOptions) throws {
        struct ExportJSON: Encodable { var path: String, recipient: String, changes: UInt64, bytes: Int }
        if options.json {
            try options.printJSON(bundles.map { ExportJSON(path: $0.path, recipient: $0.recipient.description, changes: $0.changeCount, bytes: $0.byteCount) })
            return
        }
        for b in bundles {
            print(T("Wrote \(b.path): \(b.changeCount) changes, \(b.byteCount) bytes.",
                    "Записан \(b.path): изменений — \(b.changeCount), \(b.byteCount) байт."))
        }
    }

    static func progress(_ label: String, options: GlobalOptions) -> ((String, UInt64, UInt64) -> Void)? {
        guard !options.json else { return nil }
        var bars: [String: ProgressBar] = [:]
        return { path, done, total in
            guard total >= 5_000 else { return }
            let bar = bars[path] ?? ProgressBar(label: label)
            bars[path] = bar
            bar.update(done: done, total: total)
        }
    }
}

extension Render {
    static func tableName(_ table: String) -> String {
        guard language == .ru else { return table }
        switch table {
        case "reports": return "отчёт"
        case "tasks": return "задача"
        case "assignments": return "назначение"
        case "schools": return "школа"
        case "nodes": return "узел"
        default: return table
        }
    }
}
