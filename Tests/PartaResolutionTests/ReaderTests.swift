import Foundation
import Testing
@testable import PartaResolution

/// Reading files: PDF through pdftotext, and the errors a user sees.
@Suite struct ReaderTests {
    static var hasPDFTool: Bool { PDF.tool() != nil }

    @Test func pdfWithTextLayer() throws {
        guard Self.hasPDFTool else {
            Issue.record("pdftotext is not installed (apt-get install poppler-utils): the PDF path is untested here")
            return
        }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("resolution.pdf")
        let pdf = TestPDF.make(pages: [
            ["РЕШЕНИЕ", "педагогического совета Шилкинского района", "Педагогический совет РЕШИЛ:",
             "1. Управлению образования:", "1.1. Обеспечить проведение муниципального этапа олимпиады", "школьников по всем предметам.",
             "Срок: до 01.11.2020", "", "Решение педсовета — 1"],
            ["Решение педсовета — 2", "1.2. Провести анализ результатов ЕГЭ с определением проблем и задач",
             "на 2021 год.", "Срок: I квартал 2021 года", "2. Руководителям ОО обеспечить участие педагогов в", "курсах повышения квалификации ежегодно."],
        ])
        try Data(pdf).write(to: file)
        let text = try ResolutionReader.text(fromFile: file.path)
        #expect(text.contains("Шилкинского района"), "\(text)")
        let parsed = try ResolutionReader.read(path: file.path)
        #expect(parsed.document.kind == "решение")
        #expect(parsed.document.place == "Шилкинского района")
        #expect(parsed.tasks.map(\.number) == ["1.1.", "1.2.", "2."], "\(parsed.tasks)")
        #expect(parsed.tasks.first?.text == "Обеспечить проведение муниципального этапа олимпиады школьников по всем предметам.")
        #expect(parsed.tasks.map { $0.deadline?.deadline } == [.date("2020-11-01"), .period(from: "2021-01-01", to: "2021-03-31"), .recurring(every: "year")])
        #expect(parsed.tasks.map(\.level) == [.municipal, .municipal, .school])
        #expect(parsed.tasks.last?.addressees == ["Руководителям ОО"])
    }

    @Test func scannedPDFIsRefusedClearly() throws {
        guard Self.hasPDFTool else { return }
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("scan.pdf")
        try Data(TestPDF.make(pages: [nil, nil])).write(to: file)
        do {
            _ = try ResolutionReader.text(fromFile: file.path)
            Issue.record("a scan was read as text")
        } catch let e as ResolutionError {
            #expect(e.code == .scannedPDF)
            #expect(e.en.hasPrefix("The PDF has no text layer (a scan)"))
            #expect(e.en.contains(file.path) && e.ru.contains(file.path))
        }
    }

    @Test func aPipeOrAFileOver64MiBIsRefusedWithoutBeingRead() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("resheniye.txt").path
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect(throws: ResolutionError.self) { try ResolutionReader.text(fromFile: fifo) }   // no writer: reading it would block
        let huge = dir.appendingPathComponent("huge.docx").path
        #expect(FileManager.default.createFile(atPath: huge, contents: nil))
        #expect(truncate(huge, 3 << 30) == 0)   // sparse: no disk, but 3 GiB to read
        do {
            _ = try ResolutionReader.text(fromFile: huge)
            Issue.record("a 3 GiB file was read")
        } catch let error as ResolutionError {
            #expect(error.code == .documentTooLarge && error.en.contains(huge), "\(error.en)")
        }
    }

    @Test func errorsNameTheFileAndSayWhatToDo() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func code(_ path: String) -> ResolutionError.Code? {
            do { _ = try ResolutionReader.read(path: path); return nil } catch { return (error as? ResolutionError)?.code }
        }
        let missing = dir.appendingPathComponent("missing.txt").path
        #expect(code(missing) == .unreadableFile)
        #expect(code(dir.path) == .unreadableFile)

        let doc = dir.appendingPathComponent("old.doc")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 100)).write(to: doc)
        #expect(code(doc.path) == .unknownFormat)
        let png = dir.appendingPathComponent("photo.txt")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0]).write(to: png)
        #expect(code(png.path) == .unknownFormat)
        let rtf = dir.appendingPathComponent("r.rtf")
        try Data("{\\rtf1\\ansi text}".utf8).write(to: rtf)
        #expect(code(rtf.path) == .unknownFormat)

        let report = dir.appendingPathComponent("report.txt")
        try Data("Доклад начальника отдела образования.\n\nВ 2020 году школы района работали стабильно.".utf8).write(to: report)
        #expect(code(report.path) == .noTasks)
        do { _ = try ResolutionReader.read(path: report.path) } catch let e as ResolutionError {
            #expect(e.en.contains(report.path) && e.ru.contains(report.path))
            #expect(e.ru.contains("не найдено задач"))
        }
    }
}
