import Foundation
import Testing
@testable import PartaResolution

/// Input normalisation (spec §1) and reading files in every supported encoding and format.
@Suite struct NormalizationTests {
    /// Spec §1, text from a scan: look-alikes are repaired inside Russian words and numbers only.
    @Test func scanLookAlikes() {
        let cases: [(String, String)] = [
            ("пpовести мoниторинг", "провести мониторинг"), ("Cpок: до 1О июля 2025 г.", "Срок: до 10 июля 2025 г."),
            ("0тделу образования", "Отделу образования"), ("З1.10.2025", "31.10.2025"), ("ОТДЕЛ 0БРАЗОВАНИЯ", "ОТДЕЛ ОБРАЗОВАНИЯ"),
            ("IT-куб, Wi-Fi, 3D-принтер, 4а класс, ФГИС «Моя школа»", "IT-куб, Wi-Fi, 3D-принтер, 4а класс, ФГИС «Моя школа»"),
            ("в I квартале 2026 года", "в I квартале 2026 года"), ("Pyccкий язык", "Русский язык"), ("школа Nº 5", "школа Nº 5"),
            ("учащимся 5З класса и 10О класса", "учащимся 5З класса и 10О класса"), ("в MAXе", "в MAXе"), ("до З0.11.2025", "до 30.11.2025"),
            ("— пpовести", "— провести"),
        ]
        for (scanned, read) in cases { #expect(ScanRepair.repair(scanned) == read, "\(scanned)") }
        // Two items run together on one line are two lines; a clause cited is not an item.
        #expect(ResolutionNormalizer.splitRunTogetherItems("Срок: до 14.11.2025 2.6. Ознакомить обучающихся с порядком") == ["Срок: до 14.11.2025", "2.6. Ознакомить обучающихся с порядком"])
        #expect(ResolutionNormalizer.splitRunTogetherItems("в течение года; 3. Провести семинар") == ["в течение года;", "3. Провести семинар"])
        for kept in ["согласно п. 2.3. Провести семинар", "по адресу ул. Мира, д. 5. Обеспечить явку", "в каб. 12. Подготовить материалы",
                     "в 2025 году. 3. Провести семинар"] {
            #expect(ResolutionNormalizer.splitRunTogetherItems(kept) == [kept], "\(kept)")
        }
    }

    @Test func spacesHyphensAndLineEnds() {
        let raw = "Обеспечить\u{00A0}реализацию  проекта\u{2009}«Школа»\r\nорганиза-\r\nции и сопро\u{00AD}вождение\rнаучно-\nпрактической конференции\t— «итоги»"
        let n = ResolutionNormalizer.normalize(raw)
        #expect(n == "Обеспечить реализацию проекта «Школа»\nорганизации и сопровождение\nнаучно-практической конференции — «итоги»")
        #expect(!n.contains("\r") && !n.contains("\u{00A0}") && !n.contains("  "))
    }

    @Test func quotesAndDashesAreKeptAsPrinted() {
        let raw = "«Точка роста» „Сириус“ \"ИРО\" – — − -"
        #expect(ResolutionNormalizer.normalize(raw) == raw)
    }

    @Test func pageBreakArtefacts() {
        let raw = """
        РЕЗОЛЮЦИЯ
        августовской конференции

        1. Обеспечить реализацию

        Резолюция августовской конференции 2020 — стр. 1
        \u{0C}
        Резолюция августовской конференции 2020 — стр. 2

        проекта «Успех каждого ребенка» в школах района.
        2. Провести анализ результатов.
        - 2 -
        Резолюция августовской конференции 2020 — стр. 2
        \u{0C}
        Резолюция августовской конференции 2020 — стр. 3
        3. Организовать обучение педагогов.
        12
        """
        let n = ResolutionNormalizer.normalize(raw)
        #expect(!n.contains("стр."), "running header or footer left: \(n)")
        #expect(!n.contains("- 2 -") && !n.contains("\n12") && !n.contains("\u{0C}"))
        #expect(n.contains("1. Обеспечить реализацию проекта «Успех каждого ребенка» в школах района."), "\(n)")
        let tasks = ResolutionReader.parse(text: raw).tasks
        #expect(tasks.map(\.number) == ["1.", "2.", "3."])
        #expect(tasks.first?.text == "Обеспечить реализацию проекта «Успех каждого ребенка» в школах района.")
    }

    @Test func repeatedHeadingsAreNotRunningHeaders() {
        let raw = "Задачи краевого уровня:\n\nорганизовать X;\n\nЗадачи краевого уровня:\n\nорганизовать Y.\n\nСрок: до 01.09.2020\n\nСрок: до 01.09.2020"
        #expect(ResolutionNormalizer.normalize(raw).components(separatedBy: "Задачи краевого уровня:").count == 3)
        #expect(ResolutionNormalizer.normalize(raw).components(separatedBy: "Срок: до 01.09.2020").count == 3)
    }

    @Test func paragraphBrokenByABlankLine() {
        let n = ResolutionNormalizer.normalize("обсуждения; кураторство как\n\nинновационная практика наставничества.\n\nСрок: до 10.10.2020\n\nактивизировать работу")
        #expect(n == "обсуждения; кураторство как инновационная практика наставничества.\n\nСрок: до 10.10.2020\n\nактивизировать работу")
    }

    @Test func hardWrappedParagraphsAreUnwrapped() {
        let text = """
        1. Обеспечить реализацию регионального проекта «Институт классного руководства» с учетом
        методических рекомендаций Минпросвещения России и опыта образовательных организаций
        района.
        Срок: до 01.09.2020
        2. Разработать муниципальные программы воспитания обучающихся в срок до
        01.03.2021;
        а) провести совещание руководителей образовательных организаций района и
        муниципальной методической службы;
        """
        let paragraphs = Paragraphs.split(ResolutionNormalizer.normalize(text))
        #expect(paragraphs.count == 4, "\(paragraphs)")
        #expect(paragraphs.first?.hasSuffix("опыта образовательных организаций района.") == true)
    }

    // MARK: Files

    static let sample = "РЕШЕНИЕ\n\nконференции педагогов района\n\nКонференция РЕШИЛА:\n\n1. Обеспечить участие школ в олимпиаде «Сириус».\n\nСрок: до 01.10.2020\n"

    @Test func utf8WithAndWithoutBOM() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = dir.appendingPathComponent("plain.txt"), bom = dir.appendingPathComponent("bom.txt")
        try Data(Self.sample.utf8).write(to: plain)
        try Data([0xEF, 0xBB, 0xBF] + Array(Self.sample.utf8)).write(to: bom)
        #expect(try ResolutionReader.text(fromFile: plain.path) == Self.sample)
        #expect(try ResolutionReader.text(fromFile: bom.path) == Self.sample)
        #expect(try ResolutionReader.read(path: bom.path).tasks.first?.deadline?.deadline == .date("2020-10-01"))
    }

    @Test func cp1251() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Encode the sample by the Windows-1251 table, byte by byte.
        var bytes: [UInt8] = []
        for scalar in (Self.sample + "Ёё№ — «»").unicodeScalars {
            let v = scalar.value
            if v < 0x80 { bytes.append(UInt8(v)) } else if (0x0410...0x044F).contains(v) { bytes.append(UInt8(v - 0x0410 + 0xC0)) } else if let i = TextDecoding.cp1251High.firstIndex(of: v) {
                bytes.append(UInt8(0x80 + i))
            } else { Issue.record("no CP1251 byte for \(scalar)") }
        }
        let file = dir.appendingPathComponent("cp1251.txt")
        try Data(bytes).write(to: file)
        #expect(try ResolutionReader.text(fromFile: file.path) == Self.sample + "Ёё№ — «»")
        #expect(try ResolutionReader.read(path: file.path).tasks.count == 1)
    }

    @Test func utf16WithBOM() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("utf16.txt")
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in Self.sample.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try Data(bytes).write(to: file)
        #expect(try ResolutionReader.text(fromFile: file.path) == Self.sample)
    }

    static func documentXML(_ body: String) -> [UInt8] {
        Array(("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
        """ + body + "<w:sectPr/></w:body></w:document>").utf8)
    }

    static let docxBody = """
    <w:p><w:r><w:t>РЕЗОЛЮЦИЯ</w:t></w:r></w:p>
    <w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t xml:space="preserve">августовской конференции </w:t></w:r><w:r><w:t>педагогов</w:t></w:r></w:p>
    <w:p><w:r><w:t>Участники конференции РЕШИЛИ:</w:t></w:r></w:p>
    <w:p><w:r><w:t>1.</w:t></w:r><w:r><w:tab/><w:t>Руководителям ОО:</w:t></w:r></w:p>
    <w:p><w:r><w:t xml:space="preserve">1.1. Обеспечить участие в проекте &laquo;</w:t></w:r><w:r><w:t>Сириус&#187; &amp; «Точка роста»;</w:t></w:r><w:r><w:br/><w:t>Срок: до 01.10.2020</w:t></w:r></w:p>
    <w:p><w:r><w:delText>удалённый текст</w:delText><w:t>1.2. Провести анализ.</w:t></w:r></w:p>
    <w:tbl><w:tr><w:tc><w:p><w:r><w:t>№</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Мероприятие</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Срок</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Ответственные</w:t></w:r></w:p></w:tc></w:tr>
    <w:tr><w:tc><w:p><w:r><w:t>2.</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Организовать обучение педагогов</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>в течение 2020-2021 учебного года</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Отдел образования, ИМЦ</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
    """

    @Test(arguments: [false, true]) func docx(deflated: Bool) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("resolution.docx")
        let zip = makeZip([("[Content_Types].xml", Array("<Types/>".utf8)), ("word/document.xml", Self.documentXML(Self.docxBody))], deflated: deflated)
        try Data(zip).write(to: file)
        let text = try ResolutionReader.text(fromFile: file.path)
        #expect(text.hasPrefix("РЕЗОЛЮЦИЯ\n\nавгустовской конференции педагогов\n\nУчастники конференции РЕШИЛИ:\n\n1.\tРуководителям ОО:"), "\(text)")
        #expect(text.contains("1.1. Обеспечить участие в проекте &laquo;Сириус» & «Точка роста»;\nСрок: до 01.10.2020"))
        #expect(!text.contains("удалённый"))
        let parsed = try ResolutionReader.read(path: file.path)
        #expect(parsed.document.kind == "резолюция")
        #expect(parsed.tasks.map(\.number) == ["1.1.", "1.2.", "2."])
        #expect(parsed.tasks.first?.addressees == ["Руководителям ОО"])
        #expect(parsed.tasks.first?.level == .school)
        #expect(parsed.tasks.first?.deadline?.deadline == .date("2020-10-01"))
        #expect(parsed.tasks.last?.text == "Организовать обучение педагогов")
        #expect(parsed.tasks.last?.deadline?.deadline == .period(from: "2020-09-01", to: "2021-08-31"))
        #expect(parsed.tasks.last?.responsible == ["Отдел образования", "ИМЦ"])
    }

    @Test func docxGeneratedListNumbers() throws {
        let numbering = """
        <w:numbering xmlns:w="x"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl></w:abstractNum>
        <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl></w:abstractNum>
        <w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="6"><w:abstractNumId w:val="1"/></w:num></w:numbering>
        """
        func p(_ num: Int, _ level: Int, _ text: String) -> String {
            "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"\(level)\"/><w:numId w:val=\"\(num)\"/></w:numPr></w:pPr><w:r><w:t>\(text)</w:t></w:r></w:p>"
        }
        let body = "<w:p><w:r><w:t>РЕШЕНИЕ</w:t></w:r></w:p><w:p><w:r><w:t>Совет РЕШИЛ:</w:t></w:r></w:p>"
            + p(5, 0, "Отделу образования:") + p(5, 1, "Разработать план.") + p(5, 1, "Провести семинар.")
            + p(5, 0, "Руководителям ОО:") + p(5, 1, "Обновить программы.") + p(6, 0, "обеспечить участие педагогов;")
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("numbered.docx")
        try Data(makeZip([("word/document.xml", Self.documentXML(body)), ("word/numbering.xml", Array(numbering.utf8))], deflated: true)).write(to: file)
        let parsed = try ResolutionReader.read(path: file.path)
        #expect(parsed.tasks.map(\.number) == ["1.1.", "1.2.", "2.1.", "2."], "a bullet under item 2 inherits its number")
        #expect(parsed.tasks.map(\.level) == [.municipal, .municipal, .school, .school])
    }

    @Test func docxTableWithoutHeaderRow() throws {
        func cell(_ t: String) -> String { "<w:tc><w:p><w:r><w:t>\(t)</w:t></w:r></w:p></w:tc>" }
        func row(_ cells: String...) -> String { "<w:tr>" + cells.map(cell).joined() + "</w:tr>" }
        let body = "<w:p><w:r><w:t>РЕШЕНИЕ</w:t></w:r></w:p><w:p><w:r><w:t>Совещание РЕШИЛО:</w:t></w:r></w:p><w:tbl>"
            + row("1.", "Провести анализ результатов ВПР", "до 01.10.2021", "Отдел образования")
            + row("2.", "Организовать курсы для учителей", "в течение 2021-2022 учебного года", "ИМЦ, Иванова И.И.")
            + row("3.", "Обновить программы воспитания", "сентябрь 2021", "Руководители ОО") + "</w:tbl>"
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("table.docx")
        try Data(makeZip([("word/document.xml", Self.documentXML(body))], deflated: false)).write(to: file)
        let t = try ResolutionReader.read(path: file.path).tasks
        #expect(t.map(\.text) == ["Провести анализ результатов ВПР", "Организовать курсы для учителей", "Обновить программы воспитания"])
        #expect(t.map { $0.deadline?.deadline } == [.date("2021-10-01"), .period(from: "2021-09-01", to: "2022-08-31"), .period(from: "2021-09-01", to: "2021-09-30")])
        #expect(t.map(\.responsible) == [["Отдел образования"], ["ИМЦ", "Иванова И.И."], ["Руководители ОО"]])
    }

    @Test func damagedDocx() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var zip = makeZip([("word/document.xml", Self.documentXML(Self.docxBody))], deflated: true)
        zip[200] ^= 0xFF // inside the member: the checksum no longer holds
        let file = dir.appendingPathComponent("damaged.docx")
        try Data(zip).write(to: file)
        #expect { try ResolutionReader.text(fromFile: file.path) } throws: { ($0 as? ResolutionError)?.code == .damagedDocument }
        let notWord = dir.appendingPathComponent("other.zip")
        try Data(makeZip([("readme.txt", Array("hi".utf8))], deflated: false)).write(to: notWord)
        #expect { try ResolutionReader.text(fromFile: notWord.path) } throws: { ($0 as? ResolutionError)?.code == .unknownFormat }
        let odt = dir.appendingPathComponent("resolution.odt")
        try Data(makeZip([("mimetype", Array("application/vnd.oasis.opendocument.text".utf8)), ("content.xml", Array("<office:document-content/>".utf8))], deflated: false)).write(to: odt)
        #expect { try ResolutionReader.text(fromFile: odt.path) } throws: { ($0 as? ResolutionError)?.en.contains(".odt") == true }
    }

    @Test func docxMainPartNamedByRelationships() throws {
        let rels = #"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document2.xml"/></Relationships>"#
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("other.docx")
        try Data(makeZip([("_rels/.rels", Array(rels.utf8)), ("word/document2.xml", Self.documentXML(Self.docxBody))], deflated: true)).write(to: file)
        #expect(try ResolutionReader.read(path: file.path).tasks.count == 3)
    }

    /// Spec §1, §2: an address block typed in a column beside the outgoing number is read as one line after it, so the
    /// letter's items are its addressees' (`Назначить …` among them); a table's columns further down are left alone.
    @Test func anAddressBlockBesideTheOutgoingNumber() {
        let text = ["     МИНИСТЕРСТВО ОБРАЗОВАНИЯ САРАТОВСКОЙ ОБЛАСТИ", "",
                    "17.02.2025 № 01-26/1134                           Руководителям органов местного",
                    "На № ________ от ________                         самоуправления муниципальных",
                    "                                                  районов области, осуществляющих",
                    "                                                  управление в сфере образования", "",
                    "Об обеспечении объективности оценочных процедур", "",
                    "      Прошу:",
                    "      1. Довести настоящее письмо до сведения руководителей школ в срок до 21.02.2025.",
                    "      2. Назначить муниципальных координаторов в срок до 28.02.2025."].joined(separator: "\n")
        let lines = ResolutionNormalizer.normalize(text).split(separator: "\n").map(String.init)
        #expect(lines.contains("17.02.2025 № 01-26/1134"))
        #expect(lines.contains("Руководителям органов местного самоуправления муниципальных районов области, осуществляющих управление в сфере образования"))
        let found = ResolutionReader.parse(text: text)
        #expect(found.document.date == "2025-02-17")
        #expect(found.tasks.map(\.number) == ["1.", "2."], "\(found.tasks.map(\.text))")
        #expect(found.tasks.allSatisfy { $0.level == .municipal && $0.addressees.count == 1 })
    }
}
