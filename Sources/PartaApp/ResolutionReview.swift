import Foundation
import PartaCore
import PartaResolution

/// A methodologist's correction of one field of one extracted task, keyed by the task's identity
/// across versions of its document (the same key a re-import recognises it by: `№2.1#1`, or the
/// first words of an unnumbered task). `value` is the field as the review CSV writes it
/// (Protocol/resolution-import-v1.md §7); `field` `dropped` (value empty) removes the task.
public struct TaskCorrection: Codable, Sendable, Equatable, Hashable {
    public var key: String
    /// `number`, `text`, `level`, `addressees`, `deadline`, `deadline_raw`, `responsible` or `dropped`.
    public var field: String
    public var value: String

    public init(key: String, field: String, value: String) {
        self.key = key
        self.field = field
        self.value = value
    }
}

/// The review of an extracted resolution as a table a methodologist edits in a spreadsheet, and
/// the corrections read back from it (Protocol/resolution-import-v1.md §7).
///
/// Writing never fails. Reading fails with ``PartaError/Code/badReview`` naming the row (as the
/// spreadsheet numbers it, the header being row 1) and the column of the first bad value; then no
/// correction is returned at all.
public enum ResolutionReview {
    /// The review's columns, in order, as the CSV's header line writes them.
    public static let headers = ["Номер", "Текст", "Уровень", "Адресаты", "Срок", "Срок в документе", "Ответственные", "Ключ"]
    /// The fields the columns hold, in the same order.
    public static let fields = ["number", "text", "level", "addressees", "deadline", "deadline_raw", "responsible", "key"]
    /// A review larger than this is refused unread (a review of the largest real resolution is under 1 MiB).
    public static let maxBytes = 16 << 20

    /// One task as the review shows it: its key and its cells, by field.
    public struct Row: Sendable, Equatable {
        public var key: String
        public var cells: [String: String]

        public init(key: String, cells: [String: String]) {
            self.key = key
            self.cells = cells
        }
    }

    /// The tasks of `parsed` with their keys, as review rows.
    public static func rows(_ tasks: [ResolutionTask], keys: [String]) -> [Row] {
        zip(tasks, keys).map { task, key in Row(key: key, cells: cells(task)) }
    }

    /// The cells of one task, by field (without `key`).
    public static func cells(_ task: ResolutionTask) -> [String: String] {
        ["number": task.number, "text": task.text, "level": levelWord(task.level),
         "addressees": task.addressees.joined(separator: "; "), "deadline": task.deadline.map { deadlineCell($0.deadline) } ?? "",
         "deadline_raw": task.deadline?.raw ?? "", "responsible": task.responsible.joined(separator: "; ")]
    }

    /// The review as a ``SummaryTable``, for ``CSVExport``.
    public static func table(_ rows: [Row]) -> SummaryTable {
        SummaryTable(id: "review", name: "Задачи", headers: headers,
                     rows: rows.map { row in fields.map { .text($0 == "key" ? row.key : row.cells[$0] ?? "") } })
    }

    /// The review's CSV bytes (UTF-8 with BOM, `;`, CR LF: Protocol/exports-v1.md §3).
    public static func csv(_ rows: [Row]) -> [UInt8] { CSVExport.bytes(table(rows)) }

    // MARK: Cells

    static let levelWords: [(TaskLevel, String)] = [(.regional, "региональный"), (.municipal, "муниципальный"), (.school, "школьный"), (.other, "прочий")]

    /// The level as the review writes it, as summary exports do (exports-v1 §2.2): `региональный`, `муниципальный`, `школьный`, `прочий`.
    public static func levelWord(_ level: TaskLevel) -> String { levelWords.first { $0.0 == level }!.1 }

    /// A level as a methodologist may write it: the review's word, the stored English word, or a word
    /// starting like one (`школа`, `ОО`, `муниципалитет`, `регион`, `краевой`, `областной`, `другое`), any case.
    public static func level(_ cell: String) -> TaskLevel? {
        let t = cell.trimmingCharacters(in: .whitespaces).lowercased()
        if let l = TaskLevel(rawValue: t) { return l }
        if let l = levelWords.first(where: { $0.1 == t }) { return l.0 }
        if t.hasPrefix("школ") || t == "оо" { return .school }
        if t.hasPrefix("муниц") { return .municipal }
        if t.hasPrefix("регион") || t.hasPrefix("краев") || t.hasPrefix("област") { return .regional }
        if t.hasPrefix("друг") || t.hasPrefix("проч") { return .other }
        return nil
    }

    static let recurrenceWords: [(String, String)] = [
        ("continuous", "постоянно"), ("week", "еженедельно"), ("month", "ежемесячно"), ("quarter", "ежеквартально"),
        ("half-year", "раз в полугодие"), ("year", "ежегодно"),
    ]

    /// A deadline as the review writes it: `2021-12-31`; `2020-09-01..2021-08-31`; `ежемесячно`;
    /// `2019-11-01 — 65% обучающихся; 2020-05-01 — 80%`.
    public static func deadlineCell(_ deadline: Deadline) -> String {
        switch deadline {
        case .date(let d): return d
        case .period(let from, let to): return from + ".." + to
        case .recurring(let every): return recurrenceWords.first { $0.0 == every }?.1 ?? every
        case .staged(let stages): return stages.map { $0.target.isEmpty ? $0.date : $0.date + " — " + $0.target }.joined(separator: "; ")
        }
    }

    /// A date written `YYYY-MM-DD` or `DD.MM.YYYY` (as a spreadsheet may turn it), as ISO; nil if not a real day.
    static func isoDate(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        var iso = t
        let dotted = t.split(separator: ".", omittingEmptySubsequences: false)
        if dotted.count == 3, dotted[2].count == 4, let d = Int(dotted[0]), let m = Int(dotted[1]), let y = Int(dotted[2]) {
            iso = String(format: "%04d-%02d-%02d", y, m, d)
        }
        guard iso.count == 10, let p = PartaNode.parseISODate(iso) else { return nil }
        var c = DateComponents(); (c.year, c.month, c.day) = (p.year, p.month, p.day)
        var calendar = Calendar(identifier: .gregorian); calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: c), calendar.component(.day, from: date) == p.day else { return nil }
        return iso
    }

    /// A deadline cell read back.
    enum DeadlineReading: Equatable { case none, deadline(Deadline), invalid }

    /// A deadline cell read back: `.none` for an empty cell, `.invalid` for one that is none of the forms.
    static func deadline(_ cell: String) -> DeadlineReading {
        let t = cell.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return .none }
        if let d = isoDate(t) { return .deadline(.date(d)) }
        let lower = t.lowercased()
        if let r = recurrenceWords.first(where: { $0.0 == lower || $0.1 == lower }) { return .deadline(.recurring(every: r.0)) }
        for separator in ["..", " – ", " — ", " - ", "–", "—"] where t.contains(separator) && !t.contains(";") {
            let ends = t.components(separatedBy: separator)
            if ends.count == 2, let from = isoDate(ends[0]), let to = isoDate(ends[1]), from <= to { return .deadline(.period(from: from, to: to)) }
        }
        var stages: [Stage] = []
        for piece in t.split(separator: ";") {
            let p = piece.trimmingCharacters(in: .whitespaces)
            let date = String(p.prefix(while: { $0.isNumber || $0 == "-" || $0 == "." }))
            guard let iso = isoDate(date) else { return .invalid }
            let target = p.dropFirst(date.count).trimmingCharacters(in: CharacterSet(charactersIn: " —–-:"))
            stages.append(Stage(date: iso, target: target))
        }
        return stages.isEmpty ? .invalid : .deadline(.staged(stages))
    }

    static func list(_ cell: String) -> [String] {
        cell.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    // MARK: Corrections

    /// Applies `corrections` to the tasks (keys as ``PartaNode`` computes them for the document): a
    /// task with a `dropped` correction is left out. Returns the tasks kept with their keys, and the
    /// corrections that found their task. A stored value that no longer reads (it cannot be, as
    /// only checked values are stored) leaves its field as extracted.
    public static func apply(_ corrections: [TaskCorrection], to tasks: [ResolutionTask], keys: [String])
        -> (tasks: [ResolutionTask], keys: [String], applied: [TaskCorrection]) {
        let byKey = Dictionary(grouping: corrections, by: \.key)
        var out: [ResolutionTask] = [], outKeys: [String] = [], applied: [TaskCorrection] = []
        for (task, key) in zip(tasks, keys) {
            var task = task
            let mine = byKey[key] ?? []
            applied += mine
            if mine.contains(where: { $0.field == "dropped" }) { continue }
            for c in mine { set(c.field, c.value, on: &task) }
            out.append(task)
            outKeys.append(key)
        }
        return (out, outKeys, applied)
    }

    /// Sets one field from its review cell; a cell that does not read changes nothing.
    static func set(_ field: String, _ value: String, on task: inout ResolutionTask) {
        switch field {
        case "number": task.number = value.trimmingCharacters(in: .whitespaces)
        case "text": task.text = value.trimmingCharacters(in: .whitespaces)
        case "level": if let l = level(value) { task.level = l }
        case "addressees": task.addressees = list(value)
        case "responsible": task.responsible = list(value)
        case "deadline":
            switch deadline(value) {
            case .none: task.deadline = nil
            case .deadline(let d): task.deadline = DeadlineText(raw: task.deadline?.raw ?? "", deadline: d)
            case .invalid: break
            }
        case "deadline_raw":
            if let d = task.deadline { task.deadline = DeadlineText(raw: value.trimmingCharacters(in: .whitespaces), deadline: d.deadline) }
        default: break
        }
    }

    /// The corrections an edited review makes to the tasks as extracted (keys as for ``apply(_:to:keys:)``):
    /// every cell that reads differently from the extraction, and `dropped` for each task whose row is gone.
    ///
    /// - Throws: ``PartaError/Code/badReview`` naming the row and column of the first value that does not
    ///   read (a level, a deadline, an empty text), a key that names no task of the document or comes twice.
    public static func corrections(_ rows: [(line: Int, row: Row)], tasks: [ResolutionTask], keys: [String], file: String) throws -> [TaskCorrection] {
        let extracted = Dictionary(zip(keys, tasks), uniquingKeysWith: { a, _ in a })
        var seen: Set<String> = []
        var out: [TaskCorrection] = []
        for (line, row) in rows {
            func refuse(_ field: String, _ en: String, _ ru: String) -> PartaError {
                let column = headers[fields.firstIndex(of: field)!]
                let letter = String(UnicodeScalar(UInt8(65 + fields.firstIndex(of: field)!)))
                return PartaError(.badReview, Message(
                    en: "\(file), row \(line), column \(letter) «\(column)»: \(en). Nothing was stored.",
                    ru: "\(file), строка \(line), столбец \(letter) «\(column)»: \(ru). Ничего не сохранено."))
            }
            guard let task = extracted[row.key] else {
                throw refuse("key", "«\(row.key)» names no task of the document; keep the key column as the review wrote it (add new tasks with `parta hub task add`)",
                             "«\(row.key)» не указывает ни на одну задачу документа; оставьте столбец ключей как есть (новые задачи добавляйте командой `parta hub task add`)")
            }
            guard seen.insert(row.key).inserted else {
                throw refuse("key", "the task «\(row.key)» comes twice", "задача «\(row.key)» указана дважды")
            }
            let original = cells(task)
            let cell = { (field: String) in (row.cells[field] ?? "").trimmingCharacters(in: .whitespaces) }
            if cell("text").isEmpty { throw refuse("text", "a task needs its text (delete the row to drop the task)", "у задачи должен быть текст (чтобы убрать задачу, удалите строку)") }
            guard let newLevel = level(cell("level")) else {
                throw refuse("level", "«\(cell("level"))» is not a level; write школьный, муниципальный, региональный or прочий",
                             "«\(cell("level"))» — не уровень; укажите школьный, муниципальный, региональный или прочий")
            }
            let reading = deadline(cell("deadline"))
            guard reading != .invalid else {
                throw refuse("deadline", "«\(cell("deadline"))» is not a deadline; write a date (2021-09-01 or 01.09.2021), a period (2021-09-01..2022-05-31), a word such as ежемесячно, or leave it empty",
                             "«\(cell("deadline"))» — не срок; укажите дату (2021-09-01 или 01.09.2021), период (2021-09-01..2022-05-31), слово вроде «ежемесячно» или оставьте пустым")
            }
            var newDeadline: Deadline?
            if case .deadline(let d) = reading { newDeadline = d }
            for field in ["number", "text"] where cell(field) != original[field] {
                out.append(TaskCorrection(key: row.key, field: field, value: cell(field)))
            }
            if newLevel != task.level { out.append(TaskCorrection(key: row.key, field: "level", value: levelWord(newLevel))) }
            for field in ["addressees", "responsible"] where list(cell(field)) != list(original[field] ?? "") {
                out.append(TaskCorrection(key: row.key, field: field, value: list(cell(field)).joined(separator: "; ")))
            }
            if newDeadline != task.deadline?.deadline {
                out.append(TaskCorrection(key: row.key, field: "deadline", value: newDeadline.map(deadlineCell) ?? ""))
            }
            if newDeadline != nil, cell("deadline_raw") != (task.deadline?.raw ?? "") {
                out.append(TaskCorrection(key: row.key, field: "deadline_raw", value: cell("deadline_raw")))
            }
        }
        for key in keys where !seen.contains(key) { out.append(TaskCorrection(key: key, field: "dropped", value: "")) }
        return out
    }

    // MARK: Reading CSV

    /// The rows of a review CSV, each with its row number as a spreadsheet shows it (the header is row 1).
    /// Accepts what a spreadsheet saves back: UTF-8 with or without BOM, or Windows-1251; `;` (or, when the
    /// header holds none, `,`) between fields; CR LF or LF; fields quoted as RFC 4180. A leading `'` that
    /// the writer put before a formula character is removed. Columns are found by the header's names,
    /// so their order may change; blank rows are skipped.
    ///
    /// - Throws: ``PartaError/Code/badReview`` when the file is larger than ``maxBytes``, its header lacks
    ///   a column, or a row has no key.
    public static func read(_ bytes: [UInt8], file: String) throws -> [(line: Int, row: Row)] {
        guard bytes.count <= maxBytes else {
            throw PartaError(.badReview, Message(en: "\(file) is larger than \(maxBytes >> 20) MiB: it is not a review of one resolution.",
                                                 ru: "\(file) больше \(maxBytes >> 20) МиБ: это не проверка одной резолюции."))
        }
        var body = bytes
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
        let text = String(bytes: body, encoding: .utf8) ?? String(bytes: body, encoding: .windowsCP1251) ?? ""
        let firstLine = text.prefix(while: { $0 != "\n" && $0 != "\r" })
        let separator: Character = firstLine.contains(";") || !firstLine.contains(",") ? ";" : ","
        let records = parseCSV(text, separator: separator)
        guard let header = records.first else {
            throw PartaError(.badReview, Message(en: "\(file) is empty.", ru: "\(file) пуст."))
        }
        let names = header.map { unguard($0).trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [String: Int] = [:]
        for (field, name) in zip(fields, headers) {
            guard let i = names.firstIndex(where: { $0 == name.lowercased() || $0 == field }) else {
                throw PartaError(.badReview, Message(
                    en: "\(file), row 1: the column «\(name)» is missing; keep the header line as the review wrote it. Nothing was stored.",
                    ru: "\(file), строка 1: нет столбца «\(name)»; оставьте первую строку такой, какой её записала проверка. Ничего не сохранено."))
            }
            index[field] = i
        }
        var out: [(line: Int, row: Row)] = []
        for (n, record) in records.enumerated().dropFirst() {
            if record.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            var cells: [String: String] = [:]
            for (field, i) in index { cells[field] = i < record.count ? unguard(record[i]) : "" }
            let key = (cells.removeValue(forKey: "key") ?? "").trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else {
                throw PartaError(.badReview, Message(
                    en: "\(file), row \(n + 1), column H «Ключ»: the key is empty; keep the key column as the review wrote it. Nothing was stored.",
                    ru: "\(file), строка \(n + 1), столбец H «Ключ»: ключ пуст; оставьте столбец ключей как есть. Ничего не сохранено."))
            }
            out.append((n + 1, Row(key: key, cells: cells)))
        }
        return out
    }

    /// A cell without the `'` the writer puts before `=`, `+`, `-`, `@`, tab or CR.
    static func unguard(_ cell: String) -> String {
        guard cell.hasPrefix("'"), let next = cell.unicodeScalars.dropFirst().first, "=+-@\t\r".unicodeScalars.contains(next) else { return cell }
        return String(cell.dropFirst())
    }

    /// RFC 4180 records (CR LF or LF line ends; CR LF inside quotes kept as written).
    static func parseCSV(_ text: String, separator: Character) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" && field.isEmpty && !wasQuoted {
                quoted = true; wasQuoted = true
            } else if c == separator {
                record.append(field); field = ""; wasQuoted = false
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                record.append(field); field = ""; wasQuoted = false
                records.append(record); record = []
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty || wasQuoted { record.append(field); records.append(record) }
        return records
    }
}
