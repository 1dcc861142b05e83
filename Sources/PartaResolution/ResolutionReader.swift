import Foundation

/// Reads a resolution (text, `.docx` or PDF) and extracts its heading and tasks.
///
/// `parse(text:)` never fails: a text with no tasks gives an empty list. `read(path:)` fails with a
/// ``ResolutionError`` that names the file when the file cannot be read, is of an unknown format, is a
/// scanned PDF, or holds no tasks.
public enum ResolutionReader {
    /// Reads the file and parses it; throws ``ResolutionError`` (code `noTasks` if nothing was found).
    public static func read(path: String) throws -> ParsedResolution {
        let parsed = parse(text: try text(fromFile: path))
        guard !parsed.tasks.isEmpty else { throw ResolutionError.noTasks(path) }
        return parsed
    }

    /// Normalises the text (spec §1), reads the heading (§2) and the tasks (§3, §4).
    public static func parse(text: String) -> ParsedResolution {
        let paragraphs = Paragraphs.split(ResolutionNormalizer.normalize(text))
        let header = Header.parse(paragraphs)
        let body = paragraphs.indices.dropFirst(header.bodyStart)
        var builder: TaskBuilder
        let tasks: [ResolutionTask]
        if let formula = body.first(where: { Structure.isDecisionFormula(paragraphs[$0]) }) {
            builder = TaskBuilder(reference: header.reference, rootDirective: true)
            tasks = builder.run(paragraphs[formula...])
        } else {
            builder = TaskBuilder(reference: header.reference, rootDirective: false)
            tasks = builder.run(paragraphs[header.bodyStart...])
        }
        return ParsedResolution(document: header.document, tasks: tasks)
    }

    /// The largest resolution file read (256 MiB, the bound a `.docx` member may unpack to).
    static let maximumFileSize = Zip.maximumSize

    /// The bytes of a regular file of at most ``maximumFileSize``: the size is checked with `fstat`
    /// on the opened file before anything is read, and a FIFO or device is refused without blocking.
    static func boundedContents(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ResolutionError.unreadable(path, "permission denied or read error") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ResolutionError.unreadable(path, "permission denied or read error") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw ResolutionError.unreadable(path, "it is not a regular file (a pipe or a device)") }
        guard info.st_size <= maximumFileSize else {
            throw ResolutionError.unreadable(path, "it is \(info.st_size) bytes, more than the \(maximumFileSize) bytes (256 MiB) a resolution may have")
        }
        do {
            return [UInt8](try handle.read(upToCount: maximumFileSize) ?? Data())
        } catch {
            throw ResolutionError.unreadable(path, "read error")
        }
    }

    /// The text of a file, by its content rather than its name: `.docx` (a ZIP with `word/document.xml`),
    /// PDF (through `pdftotext`), or plain text in UTF-8 (with or without BOM), UTF-16 with BOM, or CP1251.
    public static func text(fromFile path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ResolutionError.unreadable(path, "no such file")
        }
        guard !isDirectory.boolValue else { throw ResolutionError.unreadable(path, "it is a folder") }
        let bytes = try boundedContents(path)
        if bytes.starts(with: Array("%PDF-".utf8)) { return try PDF.text(path: path) }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return try Docx.text(from: bytes, file: path)
        }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw ResolutionError.unknownFormat(path, "a legacy Word .doc file", "документ Word старого формата .doc")
        }
        if bytes.starts(with: Array("{\\rtf".utf8)) {
            throw ResolutionError.unknownFormat(path, "an RTF file", "файл RTF")
        }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) || bytes.starts(with: [0xFF, 0xD8, 0xFF]) || bytes.starts(with: Array("GIF8".utf8))
            || bytes.starts(with: [0x49, 0x49, 0x2A, 0x00]) || bytes.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) {
            throw ResolutionError.unknownFormat(path, "an image (a scan?)", "изображение (скан?)")
        }
        let isUTF16 = bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
        if !isUTF16 && TextDecoding.looksBinary(bytes) {
            throw ResolutionError.unknownFormat(path, "a binary file", "двоичный файл")
        }
        return TextDecoding.decode(bytes)
    }
}
