import Foundation
import ArgumentParser

/// What a usage error (exit 2) prints: argument-parser's message (the reason, the usage line,
/// where the help is), in Russian unless the language is English, its reasons too where their form
/// is known (a missing value, an unknown option…); a mistyped command names the nearest one.
enum UsageError {
    static func message(for error: Error, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> String {
        if let unknown = CommandSuggestion.unknownCommandMessage(arguments) { return T("Error: ", "Ошибка: ") + unknown }
        let full = Parta.fullMessage(for: error)
        guard language == .ru else { return full }
        return full.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("Error: ") { return "Ошибка: " + russian(String(line.dropFirst("Error: ".count))) }
            if line.hasPrefix("Usage: ") { return "Вызов: " + line.dropFirst("Usage: ".count) }
            if line.hasPrefix("Help: ") { return "Справка: " + line.dropFirst("Help: ".count) }
            return String(line).replacingOccurrences(of: #"^(\s*)See '(.*)' for more information\.$"#, with: "$1Подробнее: $2", options: .regularExpression)
        }.joined(separator: "\n")
    }

    /// argument-parser's reasons in Russian, where their form is known; others as they are.
    static func russian(_ reason: String) -> String {
        let forms: [(String, String)] = [
            (#"^Unknown option '([^']*)'\. Did you mean '([^']*)'\?$"#, "Неизвестный параметр «$1»; возможно, вы имели в виду «$2»?"),
            (#"^Unknown option '([^']*)'$"#, "Неизвестный параметр «$1»."),
            (#"^Missing value for '([^']*)'$"#, "Не указано значение для «$1»."),
            (#"^Missing expected argument '([^']*)'$"#, "Не хватает аргумента «$1»."),
            (#"^Unexpected argument '([^']*)'$"#, "Лишний аргумент «$1»."),
            (#"^(\d+) unexpected arguments: (.*)$"#, "Лишние аргументы ($1): $2."),
            (#"^The value '([^']*)' is invalid for '([^']*)'(.*)$"#, "Значение «$1» не подходит для «$2»$3."),
            (#"^The option '([^']*)' does not take any value, but '([^']*)' was specified\.$"#, "Параметр «$1» не принимает значения, а указано «$2»."),
            (#"^Missing required subcommand\.$"#, "Не указана команда."),
        ]
        for (pattern, template) in forms where reason.range(of: pattern, options: .regularExpression) != nil {
            return reason.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        }
        return reason
    }
}

/// A mistyped command (`parta stauts`, `parta hub improt`, or `parta ыефегы` typed on the Russian
/// layout): argument-parser only says "Unexpected argument"; this names the nearest command.
enum CommandSuggestion {
    /// The message for `arguments` (without the program's name) if one of them stands where a
    /// command is expected and names none; nil if the commands are all known.
    static func unknownCommandMessage(_ arguments: [String], root: ParsableCommand.Type = Parta.self) -> String? {
        var command = root
        var path = [root._commandName]
        for argument in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !argument.hasPrefix("-"), argument != "help" else { return nil }
            if let next = subcommands.first(where: { names(of: $0).contains(argument) }) {
                command = next
                path.append(next._commandName)
                continue
            }
            let known = subcommands.map { $0._commandName }
            let parent = path.joined(separator: " ")
            if let nearest = nearest(to: argument, among: known) {
                return T("Unknown command '\(argument)'; did you mean '\(nearest)'? (\(parent) \(nearest); all commands: \(parent) --help)",
                         "Неизвестная команда «\(argument)»; возможно, вы имели в виду «\(nearest)»? (\(parent) \(nearest); все команды: \(parent) --help)")
            }
            return T("Unknown command '\(argument)'. The commands of \(parent): \(known.joined(separator: ", ")) (see \(parent) --help).",
                     "Неизвестная команда «\(argument)». Команды \(parent): \(known.joined(separator: ", ")) (подробнее: \(parent) --help).")
        }
        return nil
    }

    static func names(of command: ParsableCommand.Type) -> [String] {
        [command._commandName] + command.configuration.aliases
    }

    /// The known name closest to `typed`: the same word typed on the Russian keyboard layout, the
    /// only name it begins, or one within two edits (one for short names; a swap of two letters is
    /// one edit). Nil when nothing is that close, or two names are equally close.
    static func nearest(to typed: String, among names: [String]) -> String? {
        let word = typed.lowercased()
        let latin = String(word.map { russianLayout[$0] ?? $0 })
        if latin != word, names.contains(latin) { return latin }
        let prefixed = names.filter { $0.hasPrefix(latin) }
        if latin.count >= 3, prefixed.count == 1 { return prefixed[0] }
        let scored = names.map { ($0, distance(latin, $0)) }.sorted { $0.1 < $1.1 }
        guard let best = scored.first, best.1 <= (best.0.count <= 4 ? 1 : 2) else { return nil }
        if scored.count > 1, scored[1].1 == best.1 { return nil }
        return best.0
    }

    /// Edit distance with swaps of neighbouring letters counted as one edit (optimal string alignment).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }

    /// The Latin letter on the same key of a Russian (ЙЦУКЕН) keyboard.
    static let russianLayout: [Character: Character] = {
        let russian = Array("йцукенгшщзхъфывапролджэячсмитьбю")
        let latin = Array("qwertyuiop[]asdfghjkl;'zxcvbnm,.")
        return Dictionary(uniqueKeysWithValues: zip(russian, latin))
    }()
}
