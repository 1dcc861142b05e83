import Foundation

/// Why a document could not be imported, in words a user can act on, in English and Russian.
///
/// Tests match on ``code``; the messages name the file and say what to do, and may be reworded.
public struct ResolutionError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// A stable code (new codes break no `switch`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file does not exist or cannot be read.
        public static let unreadableFile = Code("unreadableFile")
        /// Not text, `.docx` or PDF (for example a legacy `.doc`, RTF, an image, or a ZIP that is not a Word document).
        public static let unknownFormat = Code("unknownFormat")
        /// The `.docx` archive is damaged.
        public static let damagedDocument = Code("damagedDocument")
        /// A PDF whose pages are images (a scan): there is no text to read.
        public static let scannedPDF = Code("scannedPDF")
        /// `pdftotext` (poppler-utils) is not installed.
        public static let pdfToolMissing = Code("pdfToolMissing")
        /// `pdftotext` failed (an encrypted or damaged PDF).
        public static let pdfUnreadable = Code("pdfUnreadable")
        /// The document was read but holds no tasks.
        public static let noTasks = Code("noTasks")
        /// The file goes over one of the ``ResolutionLimits`` (size on disk, unpacked size, parts,
        /// compression ratio, XML nesting, text, paragraph length): too large to be a resolution.
        public static let documentTooLarge = Code("documentTooLarge")
        /// Reading the file took longer than ``ResolutionLimits/timeLimit`` and was stopped.
        public static let timeLimitExceeded = Code("timeLimitExceeded")
    }

    /// A message in both languages.
    public struct Message: Sendable, Equatable {
        public var en: String
        public var ru: String
        public init(en: String, ru: String) {
            self.en = en
            self.ru = ru
        }
    }

    public var code: Code
    /// The file the error is about, as given.
    public var file: String
    public var message: Message

    public init(_ code: Code, file: String, en: String, ru: String) {
        self.code = code
        self.file = file
        self.message = Message(en: en, ru: ru)
    }

    public var en: String { message.en }
    public var ru: String { message.ru }
    public var description: String { "\(code): \(message.en)" }
    public var errorDescription: String? { message.en }

    static func unreadable(_ file: String, _ reason: String, _ reasonRu: String) -> ResolutionError {
        ResolutionError(.unreadableFile, file: file,
            en: "Cannot read \(file): \(reason). Check the path and that the file is readable.",
            ru: "Не удаётся прочитать файл \(file): \(reasonRu). Проверьте путь и права на чтение.")
    }

    static func missing(_ file: String) -> ResolutionError {
        ResolutionError(.unreadableFile, file: file,
            en: "There is no file \(file). Check the file's name and folder (a relative name is read from the current folder, \(FileManager.default.currentDirectoryPath)).",
            ru: "Файл \(file) не найден. Проверьте имя файла и папку (имя без пути ищется в текущей папке, \(FileManager.default.currentDirectoryPath)).")
    }

    static func unknownFormat(_ file: String, _ what: String, _ whatRu: String) -> ResolutionError {
        ResolutionError(.unknownFormat, file: file,
            en: "\(file) is \(what), not a text, .docx or PDF file. Save the resolution as .docx, PDF or plain text (UTF-8) and import that.",
            ru: "Файл \(file) — \(whatRu), а не текст, .docx или PDF. Сохраните резолюцию как .docx, PDF или обычный текст (UTF-8) и импортируйте его.")
    }

    static func damaged(_ file: String, _ reason: String) -> ResolutionError {
        ResolutionError(.damagedDocument, file: file,
            en: "\(file) is a damaged Word document (\(reason)). Open it in Word or LibreOffice, save it again as .docx, and retry.",
            ru: "Документ Word \(file) повреждён (\(reason)). Откройте его в Word или LibreOffice, сохраните заново как .docx и повторите.")
    }

    static func scanned(_ file: String) -> ResolutionError {
        ResolutionError(.scannedPDF, file: file,
            en: "The PDF has no text layer (a scan): \(file) holds only page images. Ask for the original .docx or a text PDF, or run OCR first (for example `ocrmypdf -l rus`).",
            ru: "В PDF нет текстового слоя (это скан): \(file) содержит только изображения страниц. Запросите исходный .docx или PDF с текстом либо сначала распознайте текст (например, `ocrmypdf -l rus`).")
    }

    static func pdfToolMissing(_ file: String) -> ResolutionError {
        ResolutionError(.pdfToolMissing, file: file,
            en: "Reading \(file) needs pdftotext, which is not installed. Install poppler-utils (`apt-get install poppler-utils`) or save the resolution as .docx or text.",
            ru: "Для чтения \(file) нужна программа pdftotext, она не установлена. Установите poppler-utils (`apt-get install poppler-utils`) или сохраните резолюцию как .docx или текст.")
    }

    static func pdfUnreadable(_ file: String, _ detail: String) -> ResolutionError {
        ResolutionError(.pdfUnreadable, file: file,
            en: "pdftotext could not read \(file) (\(detail)); the PDF may be encrypted or damaged. Save it again without a password, or as .docx.",
            ru: "pdftotext не смог прочитать \(file) (\(detail)); возможно, PDF защищён паролем или повреждён. Сохраните его заново без пароля или как .docx.")
    }

    static func noTasks(_ file: String) -> ResolutionError {
        ResolutionError(.noTasks, file: file,
            en: "No tasks found in \(file): no numbered or bulleted directives (\"Обеспечить …\", \"Руководителям …:\") after the decision formula. Check that this is the resolution itself and not a report or a scan.",
            ru: "В файле \(file) не найдено задач: нет пунктов-поручений («Обеспечить …», «Руководителям …:») после слов «решил(и)». Проверьте, что это сама резолюция, а не доклад или скан.")
    }

    static func tooLarge(_ file: String, _ reason: LimitReason) -> ResolutionError {
        ResolutionError(.documentTooLarge, file: file,
            en: "\(file) is too large to import as a resolution: \(reason.en). A resolution is a few dozen pages; check that this is the right file, or save the resolution alone as .docx, PDF or text and import that.",
            ru: "Файл \(file) слишком велик для импорта резолюции: \(reason.ru). Резолюция занимает несколько десятков страниц; проверьте, тот ли это файл, или сохраните одну резолюцию как .docx, PDF или текст и импортируйте её.")
    }

    static func tooSlow(_ file: String, _ limit: Duration) -> ResolutionError {
        let seconds = limit.components.seconds
        return ResolutionError(.timeLimitExceeded, file: file,
            en: "Reading \(file) took longer than \(seconds) seconds and was stopped; the file may be built to stall the importer. Check that this is the right file, or save the resolution again as plain text and import that.",
            ru: "Чтение файла \(file) заняло больше \(seconds) с и было остановлено; возможно, файл составлен так, чтобы остановить импорт. Проверьте, тот ли это файл, или сохраните резолюцию заново как обычный текст и импортируйте его.")
    }
}
