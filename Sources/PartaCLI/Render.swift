import Foundation
import PartaCore
import PartaStore
import PartaBundle
import PartaApp

/// Text for what commands print, in this run's language.
enum Render {
    /// A note for the user on stderr, so that `--json` output stays clean.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((T("Note: ", "Примечание: ") + text + "\n").utf8))
    }

    /// Tells the user (on stderr) that this computer was found to be an older copy of itself and
    /// became a new computer of its school.
    static func succession(_ s: Succession) {
        let text: String
        switch s.cause {
        case .copiedOrMoved:
            text = T("This data folder is a copy (it was copied, or moved from another disk or computer): its database is not the file this computer last wrote in. So that the copy and the original never write under one name, it is now computer \(s.successor) of its school. Everything it holds is kept and goes with the next exchange. Nothing was lost.",
                     "Эта папка данных — копия (её скопировали или перенесли с другого диска или компьютера): база данных не тот файл, в который этот компьютер писал последним. Чтобы копия и оригинал никогда не писали под одним именем, теперь это компьютер \(s.successor) своей школы. Всё, что в ней есть, сохранено и уйдёт со следующим обменом. Ничего не потеряно.")
        case .putBack:
            text = T("This data folder is an older copy put back in place: this computer had already sent more than the folder holds. It is now computer \(s.successor) of its school; everything the folder holds is kept, and the next exchange brings back what was sent after the copy was made. Nothing was lost.",
                     "Эта папка данных — более старая копия, возвращённая на место: этот компьютер уже отправил больше, чем в ней есть. Теперь это компьютер \(s.successor) своей школы; всё, что в папке есть, сохранено, а следующий обмен вернёт то, что было отправлено после создания копии. Ничего не потеряно.")
        case .hubHoldsMore:
            text = T("This computer's data folder was an older copy of itself: the hub already held more of its changes (the folder was copied back or restored from a copy). It is now computer \(s.successor) of its school; the \(s.carriedOver) edits it had not sent are kept and go with the next exchange. Nothing was lost.",
                     "Папка данных этого компьютера оказалась более старой копией: в управлении уже больше его изменений (папку скопировали обратно или восстановили из копии). Теперь это компьютер \(s.successor) своей школы; неотправленные правки (\(s.carriedOver)) сохранены и уйдут со следующим обменом. Ничего не потеряно.")
        }
        note(text)
    }

    /// Tells the user (on stderr) that the clock reads far later than anything this node has seen.
    static func clockFarAhead(now: UInt64, lastSeen: UInt64) {
        let days = (now - lastSeen) / 86_400_000
        let text = T("This computer's clock reads \(PartaNode.formatTime(now)), \(Noun.day.count(Int(days), in: .en)) after the last change written or taken in here (\(PartaNode.formatTime(lastSeen))). If the date is wrong, set it before you write anything: changes stamped with a date in the future are refused by the hub. If it is right (after the holidays), carry on.",
                     "Часы этого компьютера показывают \(PartaNode.formatTime(now)) — на \(Noun.day.count(Int(days), in: .ru)) позже последнего изменения, записанного или принятого здесь (\(PartaNode.formatTime(lastSeen))). Если дата неверна, исправьте её до того, как что-либо записывать: изменения с датой в будущем управление не примет. Если дата верна (после каникул), продолжайте.")
        note(text)
    }

    /// Tells the user (on stderr, so `--json` stays clean) what the clock check found.
    static func clockRepair(_ repair: ClockRepair) {
        let ahead = PartaNode.formatTime(repair.aheadUntil)
        let text: String
        switch repair.finding {
        case .repaired(let count):
            text = T("This computer's clock had been set in the future (it stamped changes up to \(ahead)); it is right now. \(Noun.change.count(count, in: .en)) made then \(count == 1 ? "was" : "were") given the current time, so the hub will take them.",
                     "Часы этого компьютера раньше спешили (изменения помечены временем до \(ahead)); сейчас они верные. Изменениям, сделанным тогда (\(count)), присвоено текущее время, и управление их примет.")
        case .clockBehind(let newest):
            text = T("This computer's clock is behind: it reads earlier than data other computers wrote at \(PartaNode.formatTime(newest)). Set the right date and time; until then the hub's bundles will be refused here.",
                     "Часы этого компьютера отстают: они показывают время раньше, чем данные, записанные другими компьютерами в \(PartaNode.formatTime(newest)). Установите верные дату и время; до этого пакеты управления здесь не будут приниматься.")
        case .alreadySent(let count):
            text = T("This computer's clock had been set in the future (up to \(ahead)) and \(Noun.change.count(count, in: .en)) stamped then \(count == 1 ? "has" : "have") already reached the hub; they will win over newer edits until that time. Tell the municipal office.",
                     "Часы этого компьютера раньше спешили (до \(ahead)), и изменения, помеченные тогда (\(count)), уже дошли до управления; до этого времени они будут побеждать более новые правки. Сообщите в управление образования.")
        }
        note(text)
    }

    static func status(_ s: String) -> String { ReportStatus(rawValue: s)?.label(language) ?? s }

    /// A task's level as stored (`school`, `municipal`, `regional`, `other`), in words.
    static func level(_ level: String) -> String {
        let words: [String: (String, String)] = ["school": ("schools", "школы"), "municipal": ("municipal", "муницип."),
                                                 "regional": ("regional", "регион"), "other": ("other", "прочие")]
        guard let (en, ru) = words[level] else { return level.isEmpty ? "—" : level }
        return T(en, ru)
    }

    static func deadline(_ task: TaskSummary) -> String {
        if !task.deadlineText.isEmpty && task.deadlineText != task.deadline { return task.deadlineText }
        return task.deadline.isEmpty ? "—" : task.deadline
    }

    struct ImportJSON: Encodable {
        var path: String, sender: String?, school: String?, result: String, applied: Int, alreadyHad: Int, superseded: Int,
            conflicts: Int, complete: Bool, reason: String?, reasonCode: String?
    }

    /// Prints the outcome of an import and throws ``ImportFailed`` if any bundle failed. With
    /// `perSchool`, a table per school follows (for the hub taking in a courier's stick).
    static func importOutcomes(_ outcomes: [ImportOutcome], options: GlobalOptions, perSchool: Bool = false) throws {
        let failed = outcomes.filter { if case .failed = $0.status { return true } else { return false } }.count
        if options.json {
            try options.printJSON(outcomes.map { o -> ImportJSON in
                switch o.status {
                case .applied(let r):
                    return ImportJSON(path: o.path, sender: o.sender, school: o.senderPartition, result: "applied", applied: r.applied, alreadyHad: r.alreadyHad,
                                      superseded: r.superseded, conflicts: r.conflicts, complete: r.clockAdvanced, reason: nil, reasonCode: nil)
                case .skipped(let m):
                    return ImportJSON(path: o.path, sender: o.sender, school: o.senderPartition, result: "skipped", applied: 0, alreadyHad: 0, superseded: 0,
                                      conflicts: 0, complete: true, reason: m.text(in: language), reasonCode: nil)
                case .failed(let e):
                    return ImportJSON(path: o.path, sender: o.sender, school: o.senderPartition, result: "failed", applied: 0, alreadyHad: 0, superseded: 0,
                                      conflicts: 0, complete: false, reason: e.message.text(in: language), reasonCode: e.reasonCode)
                }
            })
        } else {
            if outcomes.isEmpty { print(T("No bundles found.", "Пакеты не найдены.")) }
            for o in outcomes {
                switch o.status {
                case .applied(let r):
                    if let succession = r.succession { Render.succession(succession) }
                    var line = T("Imported \(o.path): \(Noun.newChange.count(r.applied, in: .en)), \(r.alreadyHad) already here",
                                 "Импортирован \(o.path): \(Noun.newChange.count(r.applied, in: .ru)), уже были — \(r.alreadyHad)")
                    if r.superseded > 0 { line += T(", \(r.superseded) older than what is here", ", устаревших — \(r.superseded)") }
                    if r.conflicts > 0 {
                        line += T(", \(Noun.conflict.count(r.conflicts, in: .en)) (see parta conflicts)", ", \(Noun.conflict.count(r.conflicts, in: .ru)) (см. parta conflicts)")
                    }
                    print(line + ".")
                    if !r.clockAdvanced {
                        print(T("  Note: an earlier bundle from this sender has not arrived yet; its changes will come with the next one.",
                                "  Примечание: более ранний пакет от этого отправителя ещё не поступил; его изменения придут со следующим."))
                    }
                case .skipped(let m):
                    // The reason is a sentence of its own, ending in its stop (or "?", "!") already.
                    func sentence(_ text: String) -> String { text.hasSuffix(".") || text.hasSuffix("?") || text.hasSuffix("!") ? text : text + "." }
                    print(T("Skipped \(o.path): \(sentence(m.en))", "Пропущен \(o.path): \(sentence(m.ru))"))
                case .failed(let e):
                    FileHandle.standardError.write(Data((T("Not imported: ", "Не импортирован: ") + e.message.text(in: language) + "\n").utf8))
                }
            }
            if perSchool, outcomes.count > 1 { print("\n" + schoolSummary(outcomes)) }
        }
        if failed > 0 { throw ImportFailed(count: failed) }
    }

    /// One line per school: bundles taken in, changes accepted and already held, bundles refused and why.
    static func schoolSummary(_ outcomes: [ImportOutcome]) -> String {
        struct Line { var bundles = 0, accepted = 0, alreadyHad = 0, refused = 0, skipped = 0; var reasons: [String] = [] }
        var lines: [String: Line] = [:]
        for o in outcomes {
            let school = o.senderPartition ?? FilePath.lastComponent(FilePath.parent(o.path))
            var line = lines[school] ?? Line()
            line.bundles += 1
            switch o.status {
            case .applied(let r): line.accepted += r.applied; line.alreadyHad += r.alreadyHad + r.superseded
            case .skipped: line.skipped += 1
            case .failed(let e):
                line.refused += 1
                line.reasons.append(e.reasonCode.map(reasonLabel) ?? T("unreadable", "не читается"))
            }
            lines[school] = line
        }
        var table = TextTable([T("School", "Школа"), T("Bundles", "Пакетов"), T("Accepted", "Принято"), T("Already had", "Уже были"),
                               T("Refused", "Отклонено")])
        table.maxWidth = [4: 60]
        for (school, l) in lines.sorted(by: { $0.key < $1.key }) where l.skipped < l.bundles {
            let refused = l.refused == 0 ? "0" : "\(l.refused): " + Array(Set(l.reasons)).sorted().joined(separator: ", ")
            table.add([school, "\(l.bundles - l.skipped)", "\(l.accepted)", "\(l.alreadyHad)", refused])
        }
        return T("By school", "По школам") + "\n" + table.render()
    }

    /// A short name for a refusal's reason code, for tables.
    static func reasonLabel(_ code: String) -> String {
        switch code {
        case "badSignature": return T("bad signature", "неверная подпись")
        case "notForThisNode": return T("sealed for others", "зашифрован для других")
        case "revoked": return T("computer revoked", "компьютер отозван")
        case "notEnrolled": return T("computer not enrolled", "компьютер не подключён")
        case "forbidden": return T("outside its rights", "вне прав отправителя")
        case "wrongRecipient": return T("for someone else", "для другого адресата")
        case "clockDriftTooLarge": return T("clock far ahead", "часы спешат")
        case "clockJumped": return T("this computer's date far ahead", "дата этого компьютера далеко впереди")
        case "olderCopy": return T("an older copy of a computer", "старая копия компьютера")
        case "hubCopies": return T("two copies of the hub in use", "используются две копии управления")
        case "checksumMismatch", "truncated", "malformed": return T("damaged", "повреждён")
        case "unsupportedVersion", "unsupportedFeature": return T("other Parta version", "другая версия Parta")
        case "tooLarge": return T("too large", "слишком большой")
        case "notRegularFile": return T("link or special file", "ссылка или особый файл")
        default: return code
        }
    }

    static func exports(_ bundles: [ExportedBundle], options: GlobalOptions) throws {
        struct ExportJSON: Encodable { var path: String, recipient: String, changes: UInt64, bytes: Int }
        if options.json {
            try options.printJSON(bundles.map { ExportJSON(path: $0.path, recipient: $0.recipient.description, changes: $0.changeCount, bytes: $0.byteCount) })
            return
        }
        for b in bundles {
            let changes = Int(clamping: b.changeCount)
            print(T("Wrote \(b.path): \(Noun.change.count(changes, in: .en)), \(Noun.byte.count(b.byteCount, in: .en)).",
                    "Записан \(b.path): \(Noun.change.count(changes, in: .ru)), \(Noun.byte.count(b.byteCount, in: .ru))."))
        }
    }

    /// A bar over a count of items (schools), shown from 20 items on, on a terminal only.
    static func countProgress(_ label: String, options: GlobalOptions) -> ((Int, Int) -> Void)? {
        guard !options.json else { return nil }
        let bar = ProgressBar(label: label)
        return { done, total in if total >= 20 { bar.update(done: UInt64(done), total: UInt64(total)) } }
    }

    /// Bars for the bytes of a sync over the network (the bundle sent, then the answer), for a
    /// transfer larger than `threshold` (the size above which transfers resume, 1 MiB), on a
    /// terminal only, never with --json.
    static func transferProgress(options: GlobalOptions, threshold: Int) -> TransferBars? {
        options.json ? nil : TransferBars(threshold: threshold)
    }

    final class TransferBars: Sendable {
        let threshold: Int
        let sending = ProgressBar(label: T("Sending  ", "Отправка "))
        let receiving = ProgressBar(label: T("Receiving", "Получение"))

        init(threshold: Int) { self.threshold = threshold }

        func update(receiving isReceiving: Bool, done: Int, total: Int) {
            guard total > threshold else { return }
            (isReceiving ? receiving : sending).update(done: UInt64(max(0, done)), total: UInt64(total))
        }

        /// Ends a bar's line before a message (a retry, an error).
        func interrupt() {
            sending.interrupt()
            receiving.interrupt()
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
