import Foundation
import PartaCore
import PartaApp

/// Writes an enrollment code to a small owner-only text file that the office can print or read
/// out over the phone; the code must not travel on the courier's stick with the bundles.
enum EnrollmentCodeFile {
    /// Writes the code's file, then tells the user (or prints `school`, `code`, `codeFile` as JSON).
    static func handOver(_ code: EnrollmentCode, school: String, name: String, to path: String?, options: GlobalOptions) throws {
        let file = try write(code, school: school, name: name, to: path, options: options)
        if options.json { return try options.printJSON(["school": school, "code": code.description, "codeFile": file]) }
        print(T("Enrollment code for a computer of \(school): \(code)\n(written to \(file); hand it over apart from the stick, by phone or on paper)",
                "Код подключения компьютера школы \(school): \(code)\n(записан в \(file); передайте его отдельно от флешки — по телефону или на бумаге)"))
    }

    static func write(_ code: EnrollmentCode, school: String, name: String, to path: String?, options: GlobalOptions) throws -> String {
        let folder = (options.directory as NSString).appendingPathComponent("codes")
        let file = path ?? (folder as NSString).appendingPathComponent("\(school)-\(code.normalized.prefix(4)).txt")
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let text = """
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
