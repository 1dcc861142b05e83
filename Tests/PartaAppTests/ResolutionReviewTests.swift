import Foundation
import Testing
import PartaApp
import PartaStore
import PartaResolution
import PartaTesting

/// Issue 17, part 3: each task keeps the paragraphs it was read from; the review table goes out as
/// CSV and comes back with corrections; kept corrections survive a re-import.
@Suite struct ResolutionReviewTests {
    let day = testMilliseconds(year: 2020, month: 8, day: 27)

    func hub(_ dir: TemporaryDirectory) throws -> HubNode {
        let hub = try PartaNode.createHub(directory: dir.file("hub"), name: "Отдел образования", now: day)
        try hub.addSchool(id: "muchkap", name: "МБОУ Мучкапская СОШ им. А.А. Гордеева", now: day)
        return hub
    }

    func parsed(_ edit: (String) -> String = { $0 }) throws -> ParsedResolution {
        ResolutionReader.parse(text: edit(try String(contentsOfFile: ResolutionImportTests.sample, encoding: .utf8)))
    }

    /// The review table as a spreadsheet gives it back: the CSV's rows, edited by `edit` (rows as field dictionaries).
    func roundTrip(_ hub: HubNode, _ document: ParsedResolution, edit: (inout [[String: String]]) -> Void) throws -> [TaskCorrection] {
        let review = try hub.review(document)
        let bytes = ResolutionReview.csv(review.rows)
        let read = try ResolutionReview.read(bytes, file: "review.csv")
        var rows = read.map { line in line.row.cells.merging(["key": line.row.key]) { $1 } }
        edit(&rows)
        let table = SummaryTable(id: "review", name: "x", headers: ResolutionReview.headers,
                                 rows: rows.map { row in ResolutionReview.fields.map { .text(row[$0] ?? "") } })
        let back = try ResolutionReview.read(CSVExport.bytes(table), file: "review.csv")
        return try ResolutionReview.corrections(back, tasks: document.tasks, keys: review.keys, file: "review.csv")
    }

    @Test func eachTaskKeepsTheParagraphsItWasReadFromAndTheHubStoresThem() throws {
        let document = try parsed()
        let task23 = try #require(document.tasks.first { $0.number.hasPrefix("2.3") })
        let span = try #require(task23.source)
        #expect(span.text == "2.3. Разработать муниципальные программы воспитания обучающихся.\nСрок: до 01.03.2021")
        #expect(span.lastParagraph == span.firstParagraph + 1)
        // Every task has a span, in document order, inside the document.
        #expect(document.tasks.allSatisfy { $0.source != nil })
        let starts = document.tasks.compactMap { $0.source?.firstParagraph }
        #expect(starts == starts.sorted())
        // The span's words hold the task's first words.
        for task in document.tasks {
            let first = task.text.split(separator: " ").prefix(3).joined(separator: " ")
            #expect(task.source!.text.contains(first), "\(task.number) \(first)")
        }

        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try hub(dir)
        let result = try hub.importResolution(document, source: "muchkap-2020.txt", dryRun: false, now: day)
        let id = try #require(result.lines.first { $0.task.number.hasPrefix("2.3") }?.id)
        #expect(try hub.taskSource(id) == span)
        #expect(try hub.showTask(id, today: "2020-08-27").source == span.text)
        // Stored once: the same document again writes nothing.
        let clock = try hub.replica.vectorClock()
        _ = try hub.importResolution(document, source: "muchkap-2020.txt", dryRun: false, now: day + 1000)
        #expect(try hub.replica.vectorClock() == clock)
    }

    @Test func theReviewCSVGoesOutAndComesBackUnchangedAsNoCorrection() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try hub(dir)
        let document = try parsed()
        let review = try hub.review(document)
        let bytes = ResolutionReview.csv(review.rows)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let header = String(decoding: bytes.dropFirst(3).prefix { $0 != 0x0D }, as: UTF8.self)
        #expect(header == "Номер;Текст;Уровень;Адресаты;Срок;Срок в документе;Ответственные;Ключ")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("2.3.;Разработать муниципальные программы воспитания обучающихся.;муниципальный;"))
        #expect(text.contains(";2021-03-01;до 01.03.2021;"))
        let read = try ResolutionReview.read(bytes, file: "review.csv")
        #expect(read.count == document.tasks.count)
        #expect(read.map(\.row) == review.rows)
        #expect(read.first?.line == 2)
        #expect(try ResolutionReview.corrections(read, tasks: document.tasks, keys: review.keys, file: "review.csv").isEmpty)
        // A spreadsheet's rewrite of dates (01.03.2021) is the same deadline.
        let rewritten = try roundTrip(hub, document) { rows in
            for i in rows.indices { rows[i]["deadline"] = rows[i]["deadline"]!.replacingOccurrences(of: "2021-03-01", with: "01.03.2021") }
        }
        #expect(rewritten.isEmpty)
    }

    @Test func correctionsFromTheReviewAreImportedKeptAndAppliedAgainOnReimport() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try hub(dir)
        let document = try parsed()
        let key23 = try #require(try hub.review(document).rows.first { $0.cells["number"] == "2.3." }?.key)
        let key27 = try #require(try hub.review(document).rows.first { $0.cells["number"] == "2.7." }?.key)
        let corrections = try roundTrip(hub, document) { rows in
            let i = rows.firstIndex { $0["key"] == key23 }!
            rows[i]["deadline"] = "2021-04-15"
            rows[i]["level"] = "школьный"
            rows.removeAll { $0["key"] == key27 }
        }
        #expect(Set(corrections) == [TaskCorrection(key: key23, field: "deadline", value: "2021-04-15"),
                                      TaskCorrection(key: key23, field: "level", value: "школьный"),
                                      TaskCorrection(key: key27, field: "dropped", value: "")])
        let first = try hub.importResolution(document, source: "muchkap-2020.txt", dryRun: false, now: day, review: corrections)
        #expect(first.lines.count == document.tasks.count - 1)
        let stored = try hub.tasks(today: "2020-08-27")
        let task23 = try #require(stored.first { $0.number == "2.3." })
        #expect(task23.deadline == "2021-04-15" && task23.level == "school" && task23.deadlineText == "до 01.03.2021")
        #expect(!stored.contains { $0.number == "2.7." })

        // The same document again, then a corrected version (2.3's deadline moved in the text): the
        // methodologist's corrections stay, and the import says so.
        let again = try hub.importResolution(document, source: "muchkap-2020.txt", dryRun: false, now: day + 1000)
        #expect(again.updated == 0 && again.added == 0)
        #expect(Set(again.reapplied) == Set(corrections))
        let revised = try parsed {
            $0.replacingOccurrences(of: "Срок: до 01.03.2021", with: "Срок: до 01.05.2021")
              .replacingOccurrences(of: "2.8. Обеспечить активное", with: "2.8. Обеспечить самое активное")
        }
        let third = try hub.importResolution(revised, source: "muchkap-2020-v2.txt", dryRun: false, now: day + 2000)
        #expect(Set(third.reapplied) == Set(corrections))
        let after = try hub.tasks(today: "2020-08-27")
        #expect(after.first { $0.number == "2.3." }?.deadline == "2021-04-15")
        #expect(after.first { $0.number == "2.3." }?.level == "school")
        #expect(!after.contains { $0.number == "2.7." })
        #expect(third.updated >= 1, "2.8's new words are taken")
        // The review of the next version shows the kept corrections.
        let review = try hub.review(revised)
        #expect(review.rows.first { $0.key == key23 }?.cells["deadline"] == "2021-04-15")
        #expect(!review.rows.contains { $0.key == key27 })
    }

    @Test func aBadValueIsRefusedNamingItsRowAndColumnAndNothingIsStored() throws {
        let dir = TemporaryDirectory(); defer { dir.remove() }
        let hub = try hub(dir)
        let document = try parsed()
        func refusal(_ edit: (inout [[String: String]]) -> Void) -> String {
            do {
                _ = try roundTrip(hub, document, edit: edit)
                return ""
            } catch let error as PartaError {
                #expect(error.code == .badReview)
                return error.message.ru
            } catch { return "\(error)" }
        }
        #expect(refusal { $0[2]["deadline"] = "к осени" }.contains("строка 4, столбец E «Срок»"))
        #expect(refusal { $0[0]["level"] = "федеральный" }.contains("строка 2, столбец C «Уровень»"))
        #expect(refusal { $0[1]["text"] = "  " }.contains("строка 3, столбец B «Текст»"))
        #expect(refusal { $0[1]["key"] = "№99#1" }.contains("строка 3, столбец H «Ключ»"))
        #expect(refusal { $0[1]["key"] = $0[0]["key"] }.contains("дважды"))
        #expect(refusal { $0[1]["deadline"] = "31.02.2021" }.contains("столбец E"))
        #expect(try hub.tasks(today: "2020-08-27").isEmpty)
        // A header without the key column.
        #expect(throws: PartaError.self) { try ResolutionReview.read(Array("Номер;Текст\r\n1;a\r\n".utf8), file: "x.csv") }
    }

    @Test func theReaderTakesWhatSpreadsheetsSaveBack() throws {
        // Windows-1251 without BOM, LF ends, columns in another order, a quoted field with `;` and a line break.
        let text = "Ключ;Текст;Номер;Уровень;Адресаты;Срок;Срок в документе;Ответственные\n"
            + "№1#1;\"Обеспечить; и \"\"так\"\"\nдалее\";1.;Школьный;;01.09.2021–31.05.2022;;\n\n"
        let cp1251 = try #require(text.data(using: .windowsCP1251))
        let rows = try ResolutionReview.read([UInt8](cp1251), file: "x.csv")
        #expect(rows.count == 1)
        #expect(rows[0].row.cells["text"] == "Обеспечить; и \"так\"\nдалее")
        #expect(ResolutionReview.level(rows[0].row.cells["level"]!) == .school)
        let task = ResolutionTask(number: "1.", text: "Обеспечить")
        let corrections = try ResolutionReview.corrections(rows, tasks: [task], keys: ["№1#1"], file: "x.csv")
        #expect(corrections.contains(TaskCorrection(key: "№1#1", field: "deadline", value: "2021-09-01..2022-05-31")))
        let applied = ResolutionReview.apply(corrections, to: [task], keys: ["№1#1"])
        #expect(applied.tasks.first?.deadline?.deadline == .period(from: "2021-09-01", to: "2022-05-31"))
        // A text the writer guarded against formulas comes back as it was.
        let guarded = ResolutionReview.csv([ResolutionReview.Row(key: "№1#1", cells: ["text": "-5% к прошлому году", "level": "прочий"])])
        #expect(try ResolutionReview.read(guarded, file: "x.csv").first?.row.cells["text"] == "-5% к прошлому году")
    }
}
