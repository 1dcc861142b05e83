import Foundation

/// Reads a resolution (text, `.docx` or PDF) and extracts its heading and tasks.
///
/// `parse(text:)` never fails: a text with no tasks gives an empty list. `read(path:limits:)` fails with a
/// ``ResolutionError`` that names the file when the file cannot be read, is of an unknown format, is a
/// scanned PDF, goes over one of the ``ResolutionLimits`` (code `documentTooLarge` or `timeLimitExceeded`),
/// or holds no tasks. Whatever the file holds, reading it ends within about the limits' time and memory:
/// it never traps, hangs or grows without bound.
public enum ResolutionReader {
    /// Reads the file and parses it; throws ``ResolutionError`` (code `noTasks` if nothing was found).
    public static func read(path: String, limits: ResolutionLimits = .standard) throws -> ParsedResolution {
        let budget = Budget(limits: limits, file: path)
        let parsed = try parse(text: try text(fromFile: path, budget: budget), budget: budget)
        guard !parsed.tasks.isEmpty else { throw ResolutionError.noTasks(path) }
        return parsed
    }

    /// Reads a resolution held in memory, as ``read(path:limits:)`` reads a file: text or `.docx` (a PDF
    /// needs a file, for `pdftotext`, and is refused as `unknownFormat`). `name` stands for the file in errors.
    public static func read(bytes: [UInt8], name: String, limits: ResolutionLimits = .standard) throws -> ParsedResolution {
        let budget = Budget(limits: limits, file: name)
        guard bytes.count <= limits.maxFileBytes else { throw budget.refuse(.fileTooLarge(limit: limits.maxFileBytes)) }
        if isPDF(bytes) { throw ResolutionError.unknownFormat(name, "a PDF given without a file", "PDF, переданный не файлом") }
        let parsed = try parse(text: try text(fromBytes: bytes, path: name, budget: budget), budget: budget)
        guard !parsed.tasks.isEmpty else { throw ResolutionError.noTasks(name) }
        return parsed
    }

    /// Normalises the text (spec §1), reads the heading (§2) and the tasks (§3, §4). No limits apply:
    /// the caller already holds the text.
    public static func parse(text: String) -> ParsedResolution {
        (try? parse(text: text, budget: .unlimited())) ?? ParsedResolution(document: ResolutionDocument(), tasks: [])
    }

    /// ``parse(text:)`` under a budget: the text's size, each line's and paragraph's length, and the time
    /// limit, checked between paragraphs.
    static func parse(text: String, budget: Budget) throws -> ParsedResolution {
        guard text.utf8.count <= budget.limits.maxTextBytes else { throw budget.refuse(.textTooLarge(limit: budget.limits.maxTextBytes)) }
        try budget.checkLines(text)
        if let chat = try ChatExport.parse(text, budget: budget) { return try parse(chat: chat, budget: budget) }
        let paragraphs = withoutQuotedMail(webPageText(try Paragraphs.split(ResolutionNormalizer.normalize(text, budget: budget), budget: budget)))
        try budget.check()
        let header = Header.parse(paragraphs)
        let body = paragraphs.indices.dropFirst(header.bodyStart)
        let calendar = SchoolCalendar(paragraphs: paragraphs, reference: header.reference)
        // Tasks follow the decision formula when there is one, else the heading.
        let formula = try body.first(where: { try budget.check(); return Structure.isDecisionFormula(paragraphs[$0]) })
        var builder = TaskBuilder(reference: header.reference, rootDirective: formula != nil, isPlan: isPlan(header.document, paragraphs: ArraySlice(paragraphs.lazy.filter { !$0.isEmpty }.prefix(12))), calendar: calendar)
        builder.letterAddressees = header.addressees
        builder.isReport = Header.reportNouns.contains(header.document.kind)
        builder.isRecommendations = header.document.kind.hasPrefix("рекомендац") && Russian.fold(header.document.title).contains("методическ")
        builder.unitsLevel = header.approverLevel
        builder.terms = Levels.definedTerms(in: paragraphs)
        // A methodical association's own decision or plan: its members act on what names nobody.
        builder.issuerLevel = header.issuerLevel ?? Levels.ofAssociation(header.document.title, terms: builder.terms)
        builder.calendarYear = header.document.kind.hasPrefix("план") ? calendarYear(of: header.document.title) : nil
        builder.documentBody = paragraphs[header.bodyStart...]
        builder.isCyclogram = header.document.kind == "циклограмма" || Russian.fold(header.document.title).contains("циклограмм")
        if case .period(let from, let to)? = DeadlineParser.find(in: header.document.title, reference: header.reference)?.deadline,
           let first = Day(iso: from), let last = Day(iso: to), last.ordinal - first.ordinal <= 6 {
            builder.documentWeek = first...last
        }
        if let formula, formula >= header.bodyStart {
            builder.preamblePeriod = TaskBuilder.preamblePeriod(in: paragraphs[header.bodyStart...formula], reference: header.reference)
        } else if formula == nil, let first = body.first(where: { ListMarker.parse(paragraphs[$0]) != nil }) {
            // A letter without a decision formula: the paragraphs before its first request's list (`просим …:` | `а) …`).
            builder.preamblePeriod = TaskBuilder.preamblePeriod(in: paragraphs[header.bodyStart..<first], reference: header.reference)
        }
        builder.mainTerm = TaskBuilder.mainTerm(in: paragraphs, reference: header.reference)
        let tasks = try builder.run(paragraphs[(formula ?? header.bodyStart)...], budget: budget)
        return ParsedResolution(document: header.document, tasks: tasks)
    }

    /// A plan, whatever its heading's first word: `ПЛАН …`, `ЦИКЛОГРАММА`, `ДОРОЖНАЯ КАРТА`, `ГРАФИК …`, `КАЛЕНДАРНЫЙ ПЛАН`,
    /// `ПЕРЕЧЕНЬ МЕРОПРИЯТИЙ`, `КОМПЛЕКС МЕР`, `МЕРОПРИЯТИЯ …` (spec §3, *events of a plan*).
    static func isPlan(_ document: ResolutionDocument, paragraphs: ArraySlice<String> = []) -> Bool {
        document.kind.hasPrefix("план") || document.kind == "циклограмма" || planTitle.matches(Russian.fold(document.title))
            || paragraphs.contains { p in
                // (`ДОРОЖНАЯ КАРТА по развитию …`: the title's lines may be one paragraph; its words in capitals open it.)
                let capitals = p.prefix { !$0.isLowercase }
                return capitals.count <= 80 && planTitle.matches(Russian.fold(String(capitals)))
            }
    }
    private static let planTitle = Pattern(#"^(?:дорожная\s+карта|график(?:\s|$)|календарный\s+план|перечень\s+мероприятий|комплекс\s+мер|мероприятия\s)"#)

    private static let yearPlan = Pattern(#"(?<![а-яё])на\s+((?:19|20)\d{2})\s*(?:год|г\.)(?![а-яё])"#)

    /// The year of a plan for a calendar year (`ПЛАН работы … на 2026 год`), not a school year's.
    static func calendarYear(of title: String) -> Int? {
        let folded = Russian.fold(title)
        guard !folded.contains("учебн"), !Pattern(#"\d{4}\s*[/–—-]\s*\d{2,4}"#).matches(folded) else { return nil }
        return yearPlan.firstMatch(in: folded)?.group(1).flatMap { Int($0) }
    }


    private static let postscript = Pattern(#"^P\.\s?S\.\s*"#, caseSensitive: true)
    private static let quoteHeader = Pattern(#"^-{2,}\s*(?:исходное\s+сообщение|original\s+message)\s*-{2,}$"#)

    /// An e-mail's reply quotes the letter it answers (`-----Исходное сообщение-----`, lines opening with `>`): what that
    /// letter asked is not today's (spec §2, *an e-mail*). The quoted text is no part of the document.
    static func withoutQuotedMail(_ paragraphs: [String]) -> [String] {
        var out: [String] = []
        for p in paragraphs {
            if quoteHeader.matches(Russian.fold(p.trimmingCharacters(in: .whitespaces))) { break }
            if p.hasPrefix(">") { continue }
            // (`P.S. Просим подтвердить получение …`: the postscript's mark is no part of its words.)
            out.append(postscript.replacing(in: p, with: ""))
        }
        return out
    }

    private static let relatedLinks = Pattern(#"^(?:читайте\s+также|другие\s+новости|похожие\s+(?:новости|материалы|записи)|смотрите\s+также)\s*:?\s*$"#)
    private static let pageFurniture = Pattern(#"^(?:поделиться|теги|метки|просмотров)\s*:"#)

    /// A page saved from a website (spec §3): its share line and tags are no text, and its related links end it.
    static func webPageText(_ paragraphs: [String]) -> [String] {
        var out: [String] = []
        for p in paragraphs {
            let folded = Russian.fold(p)
            if relatedLinks.matches(folded) { break }
            if !pageFurniture.matches(folded) { out.append(p) }
        }
        return out
    }

    /// A chat export (spec §1): the heading read as any document's, then each of the issuer's messages as a short
    /// document in a directive context dated by its day; a message moving an earlier item's deadline moves it.
    static func parse(chat: ChatExport, budget: Budget) throws -> ParsedResolution {
        let heading = try Paragraphs.split(ResolutionNormalizer.normalize(chat.heading.joined(separator: "\n"), budget: budget), budget: budget)
        var header = Header.parse(heading)
        header.document.kind = "чат"
        let first = chat.messages.first?.day
        if header.document.date.isEmpty, let first { header.document.date = first.iso }
        let own = chat.messages.filter { $0.author == chat.issuer && !$0.forwarded }
        var bodies: [[String]] = []
        for message in own {
            bodies.append(try Paragraphs.split(ResolutionNormalizer.normalize(ChatExport.text(of: message), budget: budget), budget: budget))
        }
        let calendar = SchoolCalendar(paragraphs: bodies.flatMap { $0 }, reference: first)
        // The chat's members (`Руководители ОО …`) act on what names nobody; a channel says whom it is for (`Официальный
        // канал для руководителей и педагогов образовательных организаций`), its owner's name above does not.
        let audience = chat.heading.lazy.compactMap { line -> TaskLevel? in
            guard let r = Russian.fold(line).range(of: #"(?<![а-яё])для\s+"#, options: .regularExpression) else { return nil }
            return Levels.ofBody(String(Russian.fold(line)[r.upperBound...]))
        }.first
        let members = audience ?? Levels.ofBody(header.document.title)
        var tasks: [ResolutionTask] = []
        var taskDays: [Day] = []
        var offset = heading.count
        var announced: Day?
        for (message, paragraphs) in zip(own, bodies) {
            try budget.check()
            defer { offset += paragraphs.count }
            let text = paragraphs.joined(separator: " ")
            let namedDay = ChatExport.namedPostDay(in: text, reference: message.day)
            if let move = ChatExport.movedItem(in: text, reference: message.day),
               let k = tasks.indices.last(where: { i in move.item.names(number: tasks[i].number, text: tasks[i].text)
                                                && (namedDay.map { taskDays[i] == $0 } ?? true)
                                                && (!move.earlierDay || taskDays[i] < message.day)
                                                && (move.item != .undated || tasks[i].deadline == nil) }) {
                tasks[k].deadline = move.deadline
                continue
            }
            var builder = TaskBuilder(reference: message.day, rootDirective: true, calendar: calendar)
            builder.issuerLevel = members
            builder.adoptsItself = false
            builder.isMessage = true
            builder.announcedMeeting = announced
            if let day = TaskBuilder.announcedMeeting(in: paragraphs, reference: message.day) { announced = day }
            for var task in try builder.run(paragraphs[...], budget: budget) {
                if var span = task.source {
                    span.firstParagraph += offset
                    span.lastParagraph += offset
                    task.source = span
                }
                tasks.append(task)
                taskDays.append(message.day)
            }
        }
        return ParsedResolution(document: header.document, tasks: tasks)
    }

    /// The bytes of a regular file of at most the budget's ``ResolutionLimits/maxFileBytes``: the
    /// size is checked with `fstat` on the opened file before anything is read, at most one byte
    /// over the limit is read (a file that grows is refused too), and a FIFO or device is refused
    /// without blocking.
    static func boundedContents(_ path: String, budget: Budget) throws -> [UInt8] {
        let limit = budget.limits.maxFileBytes
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw ResolutionError.unreadable(path, "permission denied or read error", "нет прав на чтение или ошибка чтения") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ResolutionError.unreadable(path, "permission denied or read error", "нет прав на чтение или ошибка чтения") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw ResolutionError.unreadable(path, "it is not a regular file (a pipe or a device)", "это не обычный файл (канал или устройство)") }
        guard info.st_size <= Int64(limit) else { throw budget.refuse(.fileTooLarge(limit: limit)) }
        let data: Data
        do { data = try handle.read(upToCount: limit == .max ? .max : limit + 1) ?? Data() } catch {
            throw ResolutionError.unreadable(path, "read error", "ошибка чтения")
        }
        guard data.count <= limit else { throw budget.refuse(.fileTooLarge(limit: limit)) }
        return [UInt8](data)
    }

    /// The text of a file, by its content rather than its name: `.docx` (a ZIP with `word/document.xml`),
    /// PDF (through `pdftotext`), or plain text in UTF-8 (with or without BOM), UTF-16 with BOM, or CP1251.
    /// A file over ``ResolutionLimits/maxFileBytes`` is refused before it is read.
    public static func text(fromFile path: String, limits: ResolutionLimits = .standard) throws -> String {
        try text(fromFile: path, budget: Budget(limits: limits, file: path))
    }

    static func text(fromFile path: String, budget: Budget) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ResolutionError.missing(path)
        }
        guard !isDirectory.boolValue else { throw ResolutionError.unreadable(path, "it is a folder", "это папка, а не файл") }
        let bytes = try boundedContents(path, budget: budget)
        if isPDF(bytes) { return try PDF.text(path: path, budget: budget) }
        return try text(fromBytes: bytes, path: path, budget: budget)
    }

    static func isPDF(_ bytes: [UInt8]) -> Bool { bytes.starts(with: Array("%PDF-".utf8)) }

    /// Text or `.docx` bytes to text; other formats are refused as `unknownFormat`.
    static func text(fromBytes bytes: [UInt8], path: String, budget: Budget) throws -> String {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            return try Docx.text(from: bytes, budget: budget)
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
        // UTF-8 keeps its size, CP1251 grows: a file over the text bound cannot fit (a UTF-16 file of mostly
        // ASCII could, and is refused all the same).
        let maxText = budget.limits.maxTextBytes
        guard bytes.count <= maxText else { throw budget.refuse(.textTooLarge(limit: maxText)) }
        try budget.check()
        return TextDecoding.decode(bytes)
    }
}
