import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PartaCore
import PartaStore
import PartaBundle
import PartaApp

/// `parta doctor`: what breaks syncs in the field, checked one by one, each with what to do.
public enum Doctor {
    public struct Check: Sendable, Codable {
        public enum Level: String, Sendable, Codable { case ok, warning, failure, info }
        public var name: String
        public var level: Level
        public var message: String
    }

    /// Runs the checks for the node in `dataDirectory` and, if given, the hub at `hubURL`.
    public static func run(dataDirectory: String, hubURL: URL?, now: UInt64, language: Language) -> [Check] {
        func T(_ en: String, _ ru: String) -> String { language == .en ? en : ru }
        var checks: [Check] = []
        var maxDrift: UInt64 = HybridLogicalClock.defaultMaxDrift
        var url = hubURL
        // Before opening: opening makes them owner-only, and the doctor reports rather than fixes.
        let (folders, files) = PartaNode.privatePaths(dataDirectory)
        let loose = PrivateFiles.looseModes(folders: folders, files: files)
        if !loose.isEmpty {
            let list = loose.map { "\($0.path) (\($0.octal))" }.joined(separator: ", ")
            let fixes = loose.map(\.fix).joined(separator: "; ")
            checks.append(Check(name: T("permissions", "права доступа"), level: .failure,
                                message: T("other users of this computer can read \(list), which hold staff password hashes and enrolment codes. Run: \(fixes)",
                                           "другие пользователи этого компьютера могут читать \(list), а там хеши паролей сотрудников и коды подключения. Выполните: \(fixes)")))
        } else if FileManager.default.fileExists(atPath: dataDirectory) {
            checks.append(Check(name: T("permissions", "права доступа"), level: .ok,
                                message: T("the data folder and the database are private to their owner", "папка данных и база доступны только владельцу")))
        }
        do {
            let node = try PartaNode.open(directory: dataDirectory, tighteningPermissions: false)
            checks.append(Check(name: T("keys and data", "ключи и данные"), level: .ok,
                                message: T("readable, private keys visible to their owner only", "читаются, закрытые ключи доступны только владельцу")))
            let integrity = try node.replica.quickCheck()
            checks.append(Check(name: T("database", "база данных"), level: integrity == "ok" ? .ok : .failure,
                                message: integrity == "ok" ? T("intact", "в порядке")
                                    : T("damaged (\(integrity)): restore it with parta restore from a backup", "повреждена (\(integrity)): восстановите её из резервной копии (parta restore)")))
            maxDrift = node.replica.maxDrift
            if url == nil, let saved = try node.replica.localSetting("sync_url") { url = URL(string: saved) }
        } catch let error as PartaError {
            checks.append(Check(name: T("keys and data", "ключи и данные"), level: .failure, message: error.message.text(in: language)))
        } catch let error as BundleError {
            checks.append(Check(name: T("keys and data", "ключи и данные"), level: .failure, message: error.message.text(in: language)))
        } catch {
            checks.append(Check(name: T("keys and data", "ключи и данные"), level: .failure, message: "\(error)"))
        }

        var fs = statvfs()
        if statvfs(dataDirectory, &fs) == 0 {
            let freeMB = UInt64(fs.f_bavail) * UInt64(fs.f_frsize) / 1_048_576
            checks.append(Check(name: T("disk space", "место на диске"), level: freeMB < 200 ? .warning : .ok,
                                message: freeMB < 200 ? T("only \(freeMB) MB free: free some space before the next exchange", "свободно только \(freeMB) МБ: освободите место до следующего обмена")
                                    : T("\(freeMB) MB free", "свободно \(freeMB) МБ")))
        }

        let environment = ProcessInfo.processInfo.environment
        if let proxy = ["https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY"].compactMap({ environment[$0] }).first {
            checks.append(Check(name: T("proxy", "прокси"), level: .info,
                                message: T("a proxy is set (\(proxy)); if the hub is on the local network, add its address to no_proxy",
                                           "задан прокси (\(proxy)); если управление в локальной сети, добавьте его адрес в no_proxy")))
        }

        guard let url else {
            checks.append(Check(name: T("hub address", "адрес управления"), level: .info,
                                message: T("none yet: this computer exchanges by USB stick (parta sync URL sets one)", "не задан: обмен через флешку (адрес задаётся командой parta sync АДРЕС)")))
            return checks
        }
        var request = SyncRequest(url: url.appendingPathComponent("healthz"), timeoutInterval: 10)
        request.httpMethod = "GET"
        let (data, response, error) = SyncClient.send(request)
        guard let http = response, error == nil else {
            let detail = error.map { ($0 as NSError).localizedDescription } ?? "?"
            let lower = detail.lowercased()
            let hint = lower.contains("resolve") ? T("the name does not resolve: check the address or the DNS settings", "имя не находится: проверьте адрес или настройки DNS")
                : lower.contains("timed out") || lower.contains("timeout") ? T("no answer in 10 s: a firewall or a broken link may be in the way", "нет ответа за 10 с: возможно, мешает межсетевой экран или обрыв связи")
                : T("the hub does not answer: check the address and that the hub is running", "управление не отвечает: проверьте адрес и что сервер управления запущен")
            checks.append(Check(name: T("hub", "управление"), level: .failure, message: "\(url.absoluteString): \(hint) (\(detail))"))
            return checks
        }
        let healthy = http.statusCode == 200 && String(decoding: data ?? Data(), as: UTF8.self).hasPrefix("ok")
        checks.append(Check(name: T("hub", "управление"), level: healthy ? .ok : .failure,
                            message: healthy ? T("\(url.absoluteString) answers", "\(url.absoluteString) отвечает")
                                : T("\(url.absoluteString) answered \(http.statusCode): is it a Parta hub? A proxy may be answering instead",
                                    "\(url.absoluteString) ответил \(http.statusCode): это точно управление Parta? Возможно, отвечает прокси")))
        if let date = http.value(forHTTPHeaderField: "Date").flatMap(parseHTTPDate) {
            let hubMs = Int64(date.timeIntervalSince1970 * 1000)
            let offset = Int64(now) - hubMs
            let minutes = abs(offset) / 60_000
            let level: Check.Level = UInt64(abs(offset)) > maxDrift ? .failure : minutes >= 5 ? .warning : .ok
            let direction = offset > 0 ? T("ahead of", "спешат относительно") : T("behind", "отстают от")
            checks.append(Check(name: T("clock", "часы"), level: level,
                                message: level == .ok ? T("within a few minutes of the hub's", "совпадают с часами управления")
                                    : T("\(minutes) min \(direction) the hub's: set the date and time on this computer",
                                        "на \(minutes) мин \(direction) часов управления: исправьте дату и время на этом компьютере")
                                    + (level == .failure ? T(" (its changes would be refused)", " (иначе изменения будут отклонены)") : "")))
        }
        return checks
    }

    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
