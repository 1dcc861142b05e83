import Foundation
import PartaCore
import PartaApp

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
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
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
        guard FileManager.default.createFile(atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw PartaError(.invalidArgument, Message(en: "Cannot write \(file).", ru: "Не удалось записать \(file)."))
        }
        return file
    }
}
