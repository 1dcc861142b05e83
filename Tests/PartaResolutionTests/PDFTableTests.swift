import Foundation
import Testing
@testable import PartaResolution

/// A bordered table in a PDF whose cells are justified up to their borders (spec §1, *tables in a PDF*):
/// `pdftotext -layout` puts one space between a cell's last word and the next cell's first, so the rows
/// are read from the words' positions.
@Suite struct PDFTableTests {
    /// A page's runs for a decisions table: the header at `top`, then each row's number, its work in lines of exactly
    /// `width` characters (spaces padded between words, as justified text is) ending a few points short of the
    /// `Срок` column, its deadline and its responsible body.
    static func table(rows: [(number: String, work: [String], deadline: String, responsible: String)], top: Int, header: Bool = true) -> [TestPDF.Run] {
        var runs: [TestPDF.Run] = []
        var y = top
        if header {
            runs += [TestPDF.Run(x: 50, y: y, text: "№"), TestPDF.Run(x: 160, y: y, text: "Решение"),
                     TestPDF.Run(x: 356, y: y, text: "Срок"), TestPDF.Run(x: 446, y: y, text: "Ответственный")]
            y -= 24
        }
        for row in rows {
            runs.append(TestPDF.Run(x: 50, y: y, text: row.number))
            // Cells wrap within their columns: 14 characters (78 points) of the deadline's, 20 of the body's.
            let deadline = wrap(row.deadline.split(separator: " ").map(String.init), width: 14, justified: false)
            let body = wrap(row.responsible.split(separator: " ").map(String.init), width: 20, justified: false)
            for (k, line) in deadline.enumerated() { runs.append(TestPDF.Run(x: 350, y: y - 12 * k, text: line)) }
            for (k, line) in body.enumerated() { runs.append(TestPDF.Run(x: 440, y: y - 12 * k, text: line)) }
            for (k, line) in row.work.enumerated() { runs.append(TestPDF.Run(x: 95, y: y - 12 * k, text: line)) }
            y -= 12 * max(row.work.count, deadline.count, body.count) + 12
        }
        return runs
    }

    /// Words spread to exactly `width` characters, as a justified line is.
    static func justify(_ words: [String], width: Int) -> String {
        guard words.count > 1 else { return words.joined() }
        var gaps = [Int](repeating: 1, count: words.count - 1)
        var spare = width - words.map(\.count).reduce(0, +) - gaps.count
        var i = 0
        while spare > 0 { gaps[i % gaps.count] += 1; spare -= 1; i += 1 }
        return zip(words, gaps + [0]).map { $0 + String(repeating: " ", count: $1) }.joined()
    }

    /// Lines of `words` of at most `width` characters, every one but the last justified to `width`.
    static func wrap(_ words: [String], width: Int, justified: Bool = true) -> [String] {
        var lines: [[String]] = [[]]
        for w in words {
            if (lines[lines.count - 1] + [w]).joined(separator: " ").count > width { lines.append([]) }
            lines[lines.count - 1].append(w)
        }
        return lines.enumerated().map { $0.offset == lines.count - 1 || !justified ? $0.element.joined(separator: " ") : justify($0.element, width: width) }
    }

    static func read(_ pages: [[TestPDF.Run]]) throws -> ParsedResolution {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("protocol.pdf")
        try Data(TestPDF.make(placed: pages)).write(to: file)
        return try ResolutionReader.read(path: file.path)
    }

    static let opening = [TestPDF.Run(x: 200, y: 800, text: "ПРОТОКОЛ"), TestPDF.Run(x: 60, y: 780, text: "заседания методического совета 23.10.2025"),
                          TestPDF.Run(x: 60, y: 750, text: "Методический совет РЕШИЛ:")]

    /// Spec §1: a table without a number column (`Школа | Замечание | Срок устранения | Ответственный`), the school
    /// merged down its rows: a row starts where its remark opens with a capital beside a filled deadline; the next
    /// table's caption and header, a row broken by the page and the prose under the table are told apart.
    @Test func aTableWithoutANumberColumn() throws {
        guard PDF.tool() != nil else { Issue.record("pdftotext is not installed"); return }
        func header(_ y: Int, caption: String) -> [TestPDF.Run] {
            [TestPDF.Run(x: 470, y: y + 16, text: caption), TestPDF.Run(x: 60, y: y, text: "Школа"), TestPDF.Run(x: 170, y: y, text: "Замечание"),
             TestPDF.Run(x: 330, y: y, text: "Срок"), TestPDF.Run(x: 318, y: y - 12, text: "устранения"), TestPDF.Run(x: 430, y: y, text: "Ответственный")]
        }
        func rows(_ y: inout Int, school: [String], _ remarks: [(work: [String], deadline: String, responsible: [String])]) -> [TestPDF.Run] {
            var runs: [TestPDF.Run] = []
            var schoolLines = school[...]
            for r in remarks {
                let height = max(r.work.count, r.responsible.count)
                for k in 0..<height {
                    if let s = schoolLines.popFirst() { runs.append(TestPDF.Run(x: 40, y: y - 12 * k, text: s)) }
                    if k < r.work.count { runs.append(TestPDF.Run(x: 140, y: y - 12 * k, text: r.work[k])) }
                    if k < r.responsible.count { runs.append(TestPDF.Run(x: 420, y: y - 12 * k, text: r.responsible[k])) }
                }
                runs.append(TestPDF.Run(x: 310, y: y, text: r.deadline))
                y -= 12 * height + 4
            }
            return runs
        }
        var y = 660
        var page1 = Self.opening + [TestPDF.Run(x: 60, y: 700, text: "3. Устранить замечания в сроки, указанные в таблицах:")] + header(y, caption: "Таблица 1")
        y -= 28
        page1 += rows(&y, school: ["МБОУ «СОШ", "№ 1»"], [
            (["Не завершена замена оконных", "блоков в кабинетах"], "до 25.08.2025", ["директор школы"]),
            (["Не проведены испытания", "пожарной лестницы"], "до 20.08.2025", ["директор школы"]),
        ])
        y -= 20
        page1 += header(y, caption: "Таблица 2")
        y -= 28
        page1 += rows(&y, school: ["МБОУ «Пушкинская", "ООШ»"], [
            (["Неисправна кнопка тревожной", "сигнализации"], "незамедлительно", ["директор школы"]),
            (["Школьный автобус не оснащён"], "до 01.09.2025", ["МКУ «ЦХМО»"]),
        ])
        // The last row goes on at the next page's top; prose under the table ends it.
        var page2 = [TestPDF.Run(x: 140, y: 800, text: "тахографом с блоком СКЗИ"), TestPDF.Run(x: 420, y: 800, text: "(Лапшин А.И.)")]
        page2.append(TestPDF.Run(x: 40, y: 770, text: "4. Управлению образования провести повторную проверку школ района до 28.11.2025."))
        let parsed = try Self.read([page1, page2])
        #expect(parsed.tasks.map(\.text) == ["Не завершена замена оконных блоков в кабинетах", "Не проведены испытания пожарной лестницы",
                                            "Неисправна кнопка тревожной сигнализации", "Школьный автобус не оснащён тахографом с блоком СКЗИ",
                                            "Управлению образования провести повторную проверку школ района до 28.11.2025."], "\(parsed.tasks.map(\.text))")
        #expect(parsed.tasks.map { $0.deadline?.deadline } == [.date("2025-08-25"), .date("2025-08-20"), .date("2025-10-23"), .date("2025-09-01"), .date("2025-11-28")]
, "\(parsed.tasks.map { $0.deadline?.deadline })")
        #expect(parsed.tasks.prefix(4).map { $0.responsible.first } == ["директор школы", "директор школы", "директор школы", "МКУ «ЦХМО»"], "\(parsed.tasks.map(\.responsible))")
    }

    @Test func aJustifiedTableIsReadByItsColumns() throws {
        guard PDF.tool() != nil else { Issue.record("pdftotext is not installed"); return }
        let rows = [
            ("1.1.", Self.wrap("Подготовить адресные методические рекомендации для общеобразовательных организаций и направить их руководителям".split(separator: " ").map(String.init), width: 45),
             "до 20.11.2025", "ИМЦ"),
            ("1.2.", Self.wrap("Включить в планы работы методических объединений разбор заданий с проведением открытых занятий".split(separator: " ").map(String.init), width: 45),
             "ноябрь–декабрь 2025", "руководители ГМО"),
            ("2.1.", Self.wrap("Обеспечить закрепление наставников за всеми молодыми педагогами и утвердить программы".split(separator: " ").map(String.init), width: 45),
             "постоянно", "руководители ОО"),
        ]
        let parsed = try Self.read([Self.opening + Self.table(rows: rows, top: 720)])
        #expect(parsed.tasks.map(\.number) == ["1.1.", "1.2.", "2.1."], "\(parsed.tasks.map(\.text))")
        #expect(parsed.tasks.map { $0.deadline?.deadline } == [.date("2025-11-20"), .period(from: "2025-11-01", to: "2025-12-31"), .recurring(every: "continuous")])
        #expect(parsed.tasks.map(\.responsible) == [["ИМЦ"], ["руководители ГМО"], ["руководители ОО"]])
        #expect(parsed.tasks.first?.text == "Подготовить адресные методические рекомендации для общеобразовательных организаций и направить их руководителям")
        #expect(parsed.tasks.map(\.level) == [.municipal, .municipal, .school])
    }

    /// Spec §1/§2 (issue 17, part 14): above a table's header the page keeps its columns, so a letter's letterhead typed
    /// beside its address block is read by column, and the rows, which name nobody, are the address block's.
    @Test func aLetterheadBesideTheAddressBlockAboveATable() throws {
        guard PDF.tool() != nil else { Issue.record("pdftotext is not installed"); return }
        let head: [TestPDF.Run] = [
            .init(x: 50, y: 800, text: "МИНИСТЕРСТВО ОБРАЗОВАНИЯ И НАУКИ"), .init(x: 60, y: 786, text: "РЕСПУБЛИКИ КАЛМЫКИЯ"),
            .init(x: 330, y: 786, text: "Руководителям органов местного"), .init(x: 330, y: 772, text: "самоуправления, осуществляющих"),
            .init(x: 50, y: 758, text: "ул. Пюрбеева, д. 11, г. Элиста"), .init(x: 330, y: 758, text: "управление в сфере образования"),
            .init(x: 50, y: 730, text: "Исх. № 01-14/2873 от 14.10.2025"),
            .init(x: 50, y: 700, text: "О представлении отчётной информации"),
        ]
        let rows = [("1.", ["Сведения о численности обучающихся,", "не приступивших к занятиям"], "до 20.10.2025", "отдел"),
                    ("2.", ["Информация о комплектовании", "педагогическими кадрами"], "до 01.11.2025", "отдел"),
                    ("3.", ["Рейтинговые таблицы муниципального", "этапа олимпиады"], "декабрь 2025 г.", "отдел")]
        let parsed = try Self.read([head + Self.table(rows: rows, top: 660)])
        #expect(parsed.tasks.map(\.number) == ["1.", "2.", "3."], "\(parsed.tasks.map(\.text))")
        #expect(parsed.tasks.first?.addressees == ["Руководителям органов местного самоуправления, осуществляющих управление в сфере образования"],
                "\(parsed.tasks.map(\.addressees))")
        #expect(parsed.tasks.map(\.level) == [.municipal, .municipal, .municipal])
    }

    /// Property: whatever the rows' words, deadlines, bodies and page breaks (the header repeated on each page), each
    /// row is one task with its own deadline and responsible body, and no word of another column.
    @Test func generatedTablesAreReadRowByRow() throws {
        guard PDF.tool() != nil else { Issue.record("pdftotext is not installed"); return }
        var rng = SeededGenerator(seed: 17)
        let verbs = ["Провести", "Организовать", "Обеспечить", "Подготовить", "Разработать", "Представить"]
        let words = ["анализ", "результатов", "мониторинг", "семинар", "педагогов", "методических", "объединений", "рекомендации",
                     "обучающихся", "программ", "наставников", "олимпиады", "городского", "этапа", "занятий", "организаций"]
        let deadlines = ["до 20.11.2025", "ноябрь–декабрь 2025", "постоянно", "ежемесячно", "до 01.12.2025", "в течение учебного года", "январь 2026"]
        let bodies = ["ИМЦ", "руководители ОО", "Отдел образования", "руководители ГМО"]
        for _ in 0..<40 {
            let count = Int.random(in: 3...7, using: &rng)
            let rows = (1...count).map { n -> (String, [String], String, String) in
                let text = [verbs.randomElement(using: &rng)!] + (0..<Int.random(in: 6...16, using: &rng)).map { _ in words.randomElement(using: &rng)! }
                return ("\(n).", Self.wrap(text, width: 45), deadlines.randomElement(using: &rng)!, bodies.randomElement(using: &rng)!)
            }
            let split = Int.random(in: 1...count, using: &rng)
            let pages = [Self.opening + Self.table(rows: Array(rows[..<split]), top: 720), Self.table(rows: Array(rows[split...]), top: 800)]
            let parsed = try Self.read(split == count ? [pages[0]] : pages)
            #expect(parsed.tasks.count == count, "\(parsed.tasks.map(\.text))")
            for (task, row) in zip(parsed.tasks, rows) {
                #expect(task.number == row.0)
                #expect(task.text == row.1.map { ResolutionNormalizer.collapseSpaces(Substring($0)) }.joined(separator: " "))
                #expect(task.deadline?.deadline == DeadlineParser.parse(row.2, reference: Day(2025, 10, 23)), "\(row.2)")
                #expect(task.responsible == [row.3])
            }
        }
    }

    /// Hostile: ninety pages each repeating the header over rows of many words, and a header of more columns than a
    /// table has, are read in time linear in the words (the columns' edges are found once per table, not per page).
    @Test func manyTablePagesAndAHeaderOfManyColumnsAreReadQuickly() throws {
        guard PDF.tool() != nil else { return }
        var rng = SeededGenerator(seed: 5)
        let words = ["анализ", "результатов", "мониторинга", "семинар", "педагогов", "олимпиады", "этапа", "занятий", "программ"]
        let pages = (1...90).map { p in
            // Eleven rows of up to four lines fit a page.
            Self.table(rows: (1...11).map { r in
                let text = ["Провести"] + (0..<15).map { _ in words.randomElement(using: &rng)! }
                return ("\(p).\(r).", Self.wrap(text, width: 45), "до 20.11.2025", "ИМЦ")
            }, top: p == 1 ? 720 : 800)
        }
        // A header of 37 headings (as many as a page's width holds) over rows: more columns than a table has.
        var wide = [TestPDF.Run(x: 10, y: 800, text: "Срок"), TestPDF.Run(x: 45, y: 800, text: "Решение")]
        wide += (0..<35).map { TestPDF.Run(x: 100 + $0 * 14, y: 800, text: "№") }
        wide += (0..<40).map { TestPDF.Run(x: 10, y: 780 - $0 * 12, text: "\($0 + 1). " + String(repeating: "№ ", count: 40)) }
        let started = ContinuousClock.now
        let parsed = try Self.read([Self.opening + pages[0]] + pages.dropFirst() + [wide])
        let seconds = Double((ContinuousClock.now - started).components.seconds)
        let rows = parsed.tasks.filter { $0.number.filter { $0 == "." }.count == 2 }   // `p.r.`; the wide page's are `n.`
        #expect(rows.count == 11 * 90, "\(rows.count)")
        #expect(rows.allSatisfy { $0.deadline?.deadline == .date("2025-11-20") && $0.responsible == ["ИМЦ"] })
        // Reading the 990 tasks' text is most of it (seconds in a debug build on a shared machine); the pages' columns
        // found once per table, not once per page, and a header of too many columns refused, keep the rest small.
        #expect(seconds < 20, "\(seconds) s")
    }

    /// What an attack on the first version found (each wrong before): a page going on without the header, a numbered
    /// paragraph under the table, headings on two lines (`Срок` under `Срок`'s neighbour), an extra `Отметка о
    /// выполнении` column, and a justified line of prose that spreads `срок` and `решения` apart.
    @Test func pagesWithoutTheHeaderParagraphsUnderTheTableAndTwoLineHeadings() throws {
        guard PDF.tool() != nil else { return }
        func row(_ n: String, _ text: String, _ deadline: String, _ body: String, _ mark: String = "") -> (String, [String], String, String) {
            (n, Self.wrap(text.split(separator: " ").map(String.init), width: 45), deadline, body)
        }
        let first = [row("1.", "Подготовить адресные методические рекомендации для общеобразовательных организаций по итогам ВПР", "до 20.11.2025", "ИМЦ"),
                     row("2.", "Включить в планы работы методических объединений разбор заданий с низким процентом выполнения", "ноябрь–декабрь 2025", "руководители ГМО")]
        let second = [row("3.", "Обеспечить закрепление наставников за всеми молодыми педагогами и утвердить программы", "постоянно", "руководители ОО")]
        // Headings on two lines: `Наименование` / `мероприятия` beside `Срок`, and a fifth column `Отметка`.
        var header = [TestPDF.Run(x: 50, y: 720, text: "№"), TestPDF.Run(x: 150, y: 726, text: "Наименование"), TestPDF.Run(x: 150, y: 714, text: "мероприятия"),
                      TestPDF.Run(x: 356, y: 720, text: "Срок"), TestPDF.Run(x: 446, y: 720, text: "Ответственный"), TestPDF.Run(x: 545, y: 720, text: "Отметка")]
        header += [TestPDF.Run(x: 545, y: 696, text: "да")]
        let page1 = Self.opening + header + Self.table(rows: first, top: 696, header: false)
        let prose = [TestPDF.Run(x: 50, y: 600, text: "4. Руководителям ОО обеспечить выполнение настоящего решения в срок до 01.12.2025."),
                     TestPDF.Run(x: 50, y: 580, text: "Голосовали    за    принятие    решения    в    срок    единогласно.")]
        let page2 = Self.table(rows: second, top: 800, header: false) + prose
        let parsed = try Self.read([page1, page2])
        #expect(parsed.tasks.map(\.number) == ["1.", "2.", "3.", "4."], "\(parsed.tasks.map { "\($0.number) \($0.text)" })")
        #expect(parsed.tasks.prefix(3).map { $0.deadline?.deadline } == [.date("2025-11-20"), .period(from: "2025-11-01", to: "2025-12-31"), .recurring(every: "continuous")])
        #expect(parsed.tasks.prefix(3).map(\.responsible) == [["ИМЦ"], ["руководители ГМО"], ["руководители ОО"]])
        #expect(parsed.tasks.first?.text == "Подготовить адресные методические рекомендации для общеобразовательных организаций по итогам ВПР")
        #expect(parsed.tasks.last?.text == "Руководителям ОО обеспечить выполнение настоящего решения в срок до 01.12.2025.")
        #expect(parsed.tasks.last?.deadline?.deadline == .date("2025-12-01"))
        #expect(!PDFTable.isHeaderLine(["настоящего", "решения", "в", "срок"]))
    }

    @Test func aHeaderOfMoreColumnsThanATableHasIsNoTable() {
        func word(_ x: Double, _ text: String) -> PDFTable.Word { PDFTable.Word(x0: x, y0: 40, x1: x + 6 * Double(text.count), y1: 50, text: text) }
        let row = [PDFTable.Word(x0: 50, y0: 70, x1: 60, y1: 80, text: "1."), PDFTable.Word(x0: 80, y0: 70, x1: 140, y1: 80, text: "Провести")]
        let four = [word(50, "№"), word(150, "Решение"), word(350, "Срок"), word(450, "Ответственный")]
        #expect(PDFTable.page(four + row)?.headings.count == 4)
        let many = [word(10, "Срок"), word(45, "Решение")] + (0..<35).map { word(100 + Double($0) * 14, "№") }
        #expect(PDFTable.page(many + row) == nil)
    }

    @Test func wordsAreReadFromTheBoxesWithTheirEntities() throws {
        let xhtml = """
        <doc><page width="595" height="842">
        <word xMin="50.0" yMin="40.5" xMax="70.0" yMax="52.0">&quot;А&amp;Б&quot;</word>
        <word xMin="80.0" yMin="40.5" xMax="99.5" yMax="52.0">&lt;в&gt;</word>
        </page><page width="595" height="842"></page></doc>
        """
        let pages = try PDFTable.pages(bbox: xhtml)
        #expect(pages.count == 2)
        #expect(pages[0].map(\.text) == ["\"А&Б\"", "<в>"])
        #expect(pages[0].first?.x1 == 70)
        #expect(pages[1].isEmpty)
    }
}
