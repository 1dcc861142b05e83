import Foundation
import PartaCore
import PartaApp
import ArgumentParser

/// The language of this run: Russian unless `LC_ALL`, `LC_MESSAGES` or `LANG` starts with `en`.
let language: Language = {
    let env = ProcessInfo.processInfo.environment
    let value = [env["LC_ALL"], env["LC_MESSAGES"], env["LANG"]].compactMap { $0 }.first { !$0.isEmpty }
    return Language.from(localeValue: value)
}()

/// Picks the text for this run's language.
func T(_ en: String, _ ru: String) -> String { language == .en ? en : ru }

/// The current time in milliseconds. `PARTA_NOW` (milliseconds, or `YYYY-MM-DD[THH:MM]`) overrides
/// it, for demonstrations, tests and simulating a computer whose clock is wrong.
func currentMilliseconds() -> UInt64 {
    if let text = ProcessInfo.processInfo.environment["PARTA_NOW"], !text.isEmpty {
        if let ms = UInt64(text) { return ms }
        let parts = text.split(whereSeparator: { $0 == "T" || $0 == " " })
        if let date = PartaNode.parseISODate(String(parts[0])) {
            var ms = UInt64(CivilTime.daysFromCivil(year: date.year, month: date.month, day: date.day) * 86_400_000)
            if parts.count > 1 {
                let hm = parts[1].split(separator: ":").compactMap { UInt64($0) }
                if hm.count >= 2 { ms += (hm[0] * 3600 + hm[1] * 60) * 1000 }
            }
            return ms
        }
    }
    return UInt64(Date().timeIntervalSince1970 * 1000)
}

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp(T("Data folder (default: $PARTA_HOME, else ~/.local/share/parta).",
                                                             "Папка данных (по умолчанию $PARTA_HOME, иначе ~/.local/share/parta)."), valueName: "DIR"))
    var data: String?

    @Flag(name: .customLong("json"), help: ArgumentHelp(T("Print machine-readable JSON instead of tables.", "Вывести JSON вместо таблиц.")))
    var json = false

    @Flag(name: .customLong("clock-is-right"), help: ArgumentHelp(T(
        "On a hub: write although this computer's date is months past every change the hub holds (after a long break).",
        "В управлении: записать, хотя дата этого компьютера на месяцы позже всех изменений управления (после долгого перерыва).")))
    var clockIsRight = false

    var directory: String {
        if let data { return data }
        let env = ProcessInfo.processInfo.environment
        if let home = env["PARTA_HOME"], !home.isEmpty { return home }
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("parta")
    }

    /// Opens the node; if this computer's clock had run ahead and has been put right, its changes
    /// stamped in the future are re-stamped first, and the user is told (replication-v1 §9.1).
    func open() throws -> PartaNode {
        let node = try PartaNode.open(directory: directory)
        node.replica.acceptsClockJump = clockIsRight
        if let succession = try node.becomeSuccessorIfCopied(now: now) { Render.succession(succession) }
        if let repair = try node.replica.repairClock(now: now) { Render.clockRepair(repair) }
        // A clock far past everything this node has seen may have jumped ahead: say so before the
        // next edit is stamped with it (once a change is written, the clock has moved on).
        let last = node.replica.lastTimestamp.milliseconds
        // (School computers: a hub is used every working day, and its exports must stay quiet.)
        if !node.isHub, last > 0, now > last, now - last > GlobalOptions.quietDays * 86_400_000 { Render.clockFarAhead(now: now, lastSeen: last) }
        return node
    }

    /// Opens the node as a hub: a school's folder is refused here, once, with a message saying
    /// where hub work belongs.
    func openHub() throws -> HubNode { try open().asHub() }

    /// Opens the node as a school computer: a hub's folder is refused here, once.
    func openSchool() throws -> SchoolNode { try open().asSchool() }

    var now: UInt64 { currentMilliseconds() }

    /// Days without any change, written or taken in, after which a clock reading later is worth a word.
    static let quietDays: UInt64 = 14
    var today: String { PartaNode.isoDate(now) }

    /// Prints `value` as stable, pretty, key-sorted JSON.
    func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
