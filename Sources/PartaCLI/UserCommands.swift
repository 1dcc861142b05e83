import Foundation
import ArgumentParser
import PartaCore
import PartaApp
import PartaDashboard

extension StaffRole: ExpressibleByArgument {
    /// The roles are listed in the option's own help, in the user's language.
    public static var allValueStrings: [String] { [] }
}

extension Hub {
    /// `parta hub user`: the staff accounts of the dashboard.
    struct HubUser: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "user", abstract: T("Staff accounts of the dashboard.", "Учётные записи сотрудников для веб-панели."),
                                 subcommands: [Add.self, List.self, Remove.self])
        }

        struct Add: ParsableCommand {
            static var configuration: CommandConfiguration {
                CommandConfiguration(abstract: T("Add a staff account (the password is asked for, or read from standard input).",
                                                 "Добавить учётную запись (пароль запрашивается или читается со стандартного ввода)."))
            }
            @OptionGroup var options: GlobalOptions
            @Argument(help: ArgumentHelp(T("The user's name, used to sign in.", "Имя пользователя для входа."), valueName: "NAME"))
            var name: String
            @Option(name: .customLong("role"), help: ArgumentHelp(T("viewer (sees everything; the default) or editor (also updates the department's tasks).",
                                         "viewer (просмотр; по умолчанию) или editor (ещё и обновляет задачи отдела)."), valueName: "ROLE"))
            var roleOption: StaffRole?
            var role: StaffRole { roleOption ?? .viewer }
            @Flag(help: ArgumentHelp(T("Set a new password and role for an existing account (its sessions end).",
                                       "Задать новый пароль и роль существующей записи (её сеансы завершатся).")))
            var replace = false
            @Flag(help: ArgumentHelp(T("Read the password from the first line of standard input.", "Прочитать пароль из первой строки стандартного ввода.")))
            var passwordStdin = false

            func run() throws {
                let node = try options.openHub()
                let accounts = try StaffAccounts(node: node)
                let password = try readPassword()
                try accounts.add(name: name, role: role, password: password, replace: replace, now: options.now)
                if options.json { return try options.printJSON(["user": name, "role": role.rawValue]) }
                print(T("User \(name) can now sign in to the dashboard (\(role.label(.en))).",
                        "Пользователь \(name) может входить в веб-панель (\(role.label(.ru)))."))
            }

            private func readPassword() throws -> String {
                if !passwordStdin && isatty(STDIN_FILENO) == 1 {
                    guard let first = getpass(T("Password: ", "Пароль: ")).map({ String(cString: $0) }),
                          let second = getpass(T("Password again: ", "Пароль ещё раз: ")).map({ String(cString: $0) }) else {
                        throw ValidationError(T("No password was given.", "Пароль не введён."))
                    }
                    guard first == second else { throw ValidationError(T("The passwords differ.", "Пароли не совпадают.")) }
                    return first
                }
                guard let line = Swift.readLine(strippingNewline: true) else {
                    throw ValidationError(T("No password on standard input.", "На стандартном вводе нет пароля."))
                }
                return line
            }
        }

        struct List: ParsableCommand {
            static var configuration: CommandConfiguration {
                CommandConfiguration(abstract: T("List the staff accounts.", "Список учётных записей."))
            }
            @OptionGroup var options: GlobalOptions

            func run() throws {
                let users = try StaffAccounts(node: try options.openHub()).list()
                if options.json { return try options.printJSON(users) }
                var table = TextTable([T("User", "Пользователь"), T("Role", "Роль"), T("Locked until", "Заблокирован до")])
                for user in users {
                    table.add([user.name, user.role.label(language), user.lockedUntil > Int64(options.now) ? PartaNode.formatTime(UInt64(user.lockedUntil)) : "—"])
                }
                print(users.isEmpty ? T("No accounts yet: add one with `parta hub user add NAME --role editor`.",
                                        "Учётных записей нет: добавьте командой `parta hub user add ИМЯ --role editor`.") : table.render())
            }
        }

        struct Remove: ParsableCommand {
            static var configuration: CommandConfiguration {
                CommandConfiguration(abstract: T("Remove a staff account (its sessions end at once).", "Удалить учётную запись (её сеансы сразу завершаются)."))
            }
            @OptionGroup var options: GlobalOptions
            @Argument(help: ArgumentHelp(T("The user's name.", "Имя пользователя."), valueName: "NAME"))
            var name: String

            func run() throws {
                try StaffAccounts(node: try options.openHub()).remove(name: name)
                if !options.json { print(T("User \(name) removed.", "Пользователь \(name) удалён.")) }
            }
        }
    }
}
