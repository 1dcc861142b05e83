import Foundation
import PartaCore
import PartaApp
import PartaBundle

/// Writes an enrollment code to a small owner-only text file that the office can print or read
/// out over the phone; the code must not travel on the courier's stick with the bundles.
enum EnrollmentCodeFile {
    /// Writes the code's file, then tells the user (or prints `school`, `code`, `codeFile` as JSON).
    static func handOver(_ code: EnrollmentCode, school: String, name: String, to path: String?, options: GlobalOptions,
                         municipality: Bool = false) throws {
        let file = try write(code, school: school, name: name, to: path, options: options, municipality: municipality)
        if options.json {
            return try options.printJSON([municipality ? "municipality" : "school": school, "code": code.description, "codeFile": file])
        }
        if municipality {
            print(T("Code for the hub of municipality \(school) to join this region: \(code)\n(written to \(file); hand it over apart from the bundle)",
                    "Код подключения управления муниципалитета \(school) к региону: \(code)\n(записан в \(file); передайте его отдельно от пакета)"))
        } else {
            print(T("Enrollment code for a computer of \(school): \(code)\n(written to \(file); hand it over apart from the stick, by phone or on paper)",
                    "Код подключения компьютера школы \(school): \(code)\n(записан в \(file); передайте его отдельно от флешки — по телефону или на бумаге)"))
        }
    }

    static func write(_ code: EnrollmentCode, school: String, name: String, to path: String?, options: GlobalOptions,
                      municipality: Bool = false) throws -> String {
        let folder = (options.directory as NSString).appendingPathComponent("codes")
        let file = path ?? (folder as NSString).appendingPathComponent("\(school)-\(code.normalized.prefix(4)).txt")
        // The data's codes/ folder is private (0700); a folder the user named is theirs to choose.
        if path == nil { try PrivateFiles.makeFolder(folder) }
        let text = municipality ? """
        Parta — код подключения муниципалитета к региону / a municipality's code to join its region
        Муниципалитет / municipality: \(name) (\(school))
        Код / code: \(code)

        Код одноразовый. В управлении муниципалитета: parta hub join --from ПАКЕТ --code \(code)
        Передайте код отдельно от пакета (по телефону или на бумаге).

        One-time. At the municipal hub: parta hub join --from BUNDLE --code \(code)
        Hand it over apart from the bundle (by phone or on paper).

        """ : """
        Parta — код подключения / enrollment code
        Школа / school: \(name) (\(school))
        Код / code: \(code)

        Код одноразовый: им подключается один компьютер школы.
        На компьютере школы: parta init --from ФЛЕШКА --code \(code)
        Передайте код отдельно от флешки (по телефону или на бумаге).

        One-time: it enrols one computer of the school.
        At the school: parta init --from STICK --code \(code)
        Hand it over apart from the stick (by phone or on paper).

        """
        do {
            try PrivateFiles.write(Array(text.utf8), to: file)   // 0600 whatever the umask, never through a link
        } catch let error as BundleError {
            guard let reason = error.reasonCode.flatMap({ Int32($0) }).map({ String(cString: strerror($0)) }) else {
                throw PartaError(.invalidArgument, Message(
                    en: "Cannot write \(file): \(error.path) is a link or a special file, which Parta never writes through. Remove it or choose another file.",
                    ru: "Не удалось записать \(file): \(error.path) — ссылка или особый файл, Parta через них не пишет. Удалите его или укажите другой файл."))
            }
            throw PartaError(.invalidArgument, Message(en: "Cannot write \(file) (\(reason)).", ru: "Не удалось записать \(file) (\(reason))."))
        }
        return file
    }
}
