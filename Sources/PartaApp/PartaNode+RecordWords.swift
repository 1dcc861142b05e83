import Foundation
import PartaCore
import PartaStore

/// A replicated record and one of its fields, as people name them: «задача 3.2, поле
/// «комментарий»», never a row id (`t18-wk7z5u32|muchkap`) or a column (`reported_at`).
public struct RecordWords: Sendable, Equatable {
    /// The record: «задача 3.2», «задача 3.2 (Шапкинский филиал)», «назначение: задача 3.7 — Сергиевский филиал».
    public var record: Message
    /// The field: «комментарий», «показатель «охват, %»».
    public var field: Message
    /// Both, for a sentence: «задача 3.2, поле «комментарий»», «задача 3.2, показатель «охват, %»».
    public var text: Message
}

extension PartaNode {
    /// Names a record of this replica and one of its fields in words, reading what it needs
    /// (a task's number, a school's or a computer's name) from the replica. Every table Parta
    /// replicates has its words (reports, indicators, tasks, assignments, the hub's own reports,
    /// schools, resolutions, computers, partitions); a table this release does not know reads
    /// «запись более новой версии Parta». A task this computer does not hold (withdrawn from the
    /// school, or never sent here) reads «задача (неизвестна этому компьютеру)»; a number several
    /// tasks share (the bullets of one item of a resolution) gets the start of the task's title.
    ///
    /// At a hub the school a report belongs to is named too; a school computer knows whose it is.
    public func words(table: String, row: String, field: String) throws -> RecordWords {
        let parts = row.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let fieldName = Self.fieldNames[table]?[field] ?? Self.commonFieldNames[field] ?? Message(en: field, ru: field)
        func plain(_ record: Message) -> RecordWords {
            RecordWords(record: record, field: fieldName,
                        text: Message(en: "\(record.en), field “\(fieldName.en)”", ru: "\(record.ru), поле «\(fieldName.ru)»"))
        }
        switch table {
        case "reports" where parts.count == 2:
            return plain(try taskWords(parts[0], school: isHub ? parts[1] : nil))
        case "hub_reports" where parts.count == 2:
            let task = try taskWords(parts[0], school: nil)
            return plain(Message(en: "the department's report on \(task.en)", ru: "отчёт отдела: \(task.ru)"))
        case "indicators" where parts.count >= 3:
            // `<task>|<name>|<school>`; a name may itself hold `|`.
            let name = parts[1..<(parts.count - 1)].joined(separator: "|")
            let task = try taskWords(parts[0], school: isHub ? parts[parts.count - 1] : nil)
            let indicator = Message(en: "indicator “\(name)”", ru: "показатель «\(name)»")
            if field == "value" {
                return RecordWords(record: task, field: indicator,
                                   text: Message(en: "\(task.en), \(indicator.en)", ru: "\(task.ru), \(indicator.ru)"))
            }
            return RecordWords(record: Message(en: "\(task.en), \(indicator.en)", ru: "\(task.ru), \(indicator.ru)"), field: fieldName,
                               text: Message(en: "\(task.en), \(indicator.en), field “\(fieldName.en)”",
                                             ru: "\(task.ru), \(indicator.ru), поле «\(fieldName.ru)»"))
        case "assignments" where parts.count == 2:
            let task = try taskWords(parts[0], school: nil), school = try schoolWords(parts[1])
            let record = Message(en: "assignment of \(task.en) to \(school.en)", ru: "назначение: \(task.ru) — \(school.ru)")
            if field == Self.deletedField {
                return RecordWords(record: record, field: fieldName,
                                   text: Message(en: "\(record.en), withdrawn", ru: "\(record.ru), снятие задачи"))
            }
            return plain(record)
        case "tasks":
            return plain(try taskWords(row, school: nil))
        case "schools":
            return plain(try schoolWords(row))
        case "resolutions":
            let title = try ResolutionQueries(replica).title(row) ?? ""
            return plain(title.isEmpty ? Message(en: "a resolution (unknown to this computer)", ru: "решение (неизвестно этому компьютеру)")
                                       : Message(en: "resolution “\(Self.shorten(title))”", ru: "решение «\(Self.shorten(title))»"))
        case "nodes":
            let name = try self.name(ofNode: row)
            return plain(name.isEmpty ? Message(en: "a computer (unknown to this computer)", ru: "компьютер (неизвестен этому компьютеру)")
                                      : Message(en: "computer “\(name)”", ru: "компьютер «\(name)»"))
        case "partitions":
            let name = try NodeQueries(replica).partitionName(row) ?? ""
            let school = try SchoolQueries(replica).name(row) ?? ""
            // A hub's own partition is its node id.
            let hub = try self.name(ofNode: row)
            let shown = [school, name, hub].first { !$0.isEmpty } ?? ""
            return plain(shown.isEmpty ? Message(en: "the data of a school or municipality (unknown to this computer)",
                                                 ru: "данные школы или муниципалитета (неизвестны этому компьютеру)")
                                       : Message(en: "the data of “\(shown)”", ru: "данные «\(shown)»"))
        default:
            let known = PartaSchema.schema.table(named: table) != nil
            return plain(known ? Message(en: "a record of another kind", ru: "запись другого вида")
                               : Message(en: "a record of a later Parta version", ru: "запись более новой версии Parta"))
        }
    }

    /// «задача 3.2», with the school at a hub; a number several tasks share gets the task's title.
    private func taskWords(_ id: String, school: String?) throws -> Message {
        let schoolPart = try school.map { try schoolWords($0) }
        func withSchool(_ m: Message) -> Message {
            guard let schoolPart else { return m }
            return Message(en: "\(m.en) (\(schoolPart.en))", ru: "\(m.ru) (\(schoolPart.ru))")
        }
        let queries = TaskQueries(replica)
        guard let r = try queries.numberAndTitle(id) else {
            return withSchool(Message(en: "a task (unknown to this computer)", ru: "задача (неизвестна этому компьютеру)"))
        }
        let stored = r.number ?? "", title = r.title ?? ""
        let number = stored.hasSuffix(".") ? String(stored.dropLast()) : stored
        if number.isEmpty {
            return withSchool(Message(en: "task “\(Self.shorten(title))”", ru: "задача «\(Self.shorten(title))»"))
        }
        // Several tasks may share a printed number (the bullets of one item of a resolution).
        let sharing = try queries.count(numbered: number) ?? 1
        if sharing > 1 {
            return withSchool(Message(en: "task \(number) “\(Self.shorten(title))”", ru: "задача \(number) «\(Self.shorten(title))»"))
        }
        return withSchool(Message(en: "task \(number)", ru: "задача \(number)"))
    }

    private func schoolWords(_ id: String) throws -> Message {
        if let name = try SchoolQueries(replica).name(id), !name.isEmpty {
            return Message(en: name, ru: name)
        }
        let role = try NodeQueries(replica).role(id)
        if id == replica.nodeID || role == .hub {
            return Message(en: "the department", ru: "отдел образования")
        }
        return Message(en: "a school unknown to this computer", ru: "школа, неизвестная этому компьютеру")
    }

    /// A title cut at a word to about 40 characters, with an ellipsis when cut.
    static func shorten(_ text: String, to limit: Int = 40) -> String {
        let flat = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard flat.count > limit else { return flat }
        var cut = String(flat.prefix(limit))
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > limit / 2 { cut = String(cut[..<space]) }
        return cut.trimmingCharacters(in: CharacterSet(charactersIn: " ,;:")) + "…"
    }

    /// The engine's field a deletion is recorded under.
    static let deletedField = "$deleted"

    /// Field names of each table, as users call them.
    static let fieldNames: [String: [String: Message]] = [
        "reports": report, "hub_reports": report,
        "indicators": ["key": Message(en: "indicator", ru: "показатель"), "value": Message(en: "value", ru: "значение")],
        "tasks": [
            "number": Message(en: "number", ru: "номер"), "title": Message(en: "title", ru: "название"), "body": Message(en: "text", ru: "текст"),
            "section": Message(en: "section", ru: "раздел"), "level": Message(en: "level", ru: "уровень"),
            "addressees": Message(en: "addressed to", ru: "адресаты"), "deadline": Message(en: "deadline", ru: "срок"),
            "deadline_kind": Message(en: "kind of deadline", ru: "вид срока"),
            "deadline_raw": Message(en: "deadline as written", ru: "срок в документе"),
            "targets": Message(en: "targets", ru: "целевые показатели"), "resolution": Message(en: "resolution", ru: "решение"),
            "responsible": Message(en: "responsible", ru: "ответственные"), "source_key": Message(en: "place in the document", ru: "место в документе"),
        ],
        "assignments": [deletedField: Message(en: "withdrawn", ru: "снята")],
        "schools": ["name": Message(en: "name", ru: "название")],
        "resolutions": [
            "kind": Message(en: "kind", ru: "вид"), "title": Message(en: "title", ru: "название"), "body": Message(en: "text", ru: "текст"),
            "place": Message(en: "place", ru: "место"), "date": Message(en: "date", ru: "дата"), "source": Message(en: "file", ru: "файл"),
            "digest": Message(en: "checksum", ru: "контрольная сумма"), "imported_at": Message(en: "imported", ru: "импортировано"),
        ],
        "nodes": [
            "role": Message(en: "role", ru: "роль"), "name": Message(en: "name", ru: "название"),
            "partition": Message(en: "school", ru: "школа"), "signing_key": Message(en: "signing key", ru: "ключ подписи"),
            "sealing_key": Message(en: "sealing key", ru: "ключ шифрования"), "revoked_at": Message(en: "revoked", ru: "отозван"),
            "domain": Message(en: "municipality", ru: "муниципалитет"),
        ],
        "partitions": [
            "domain": Message(en: "municipality", ru: "муниципалитет"), "kind": Message(en: "kind", ru: "вид"), "name": Message(en: "name", ru: "название"),
        ],
    ]

    private static let report: [String: Message] = [
        "status": Message(en: "status", ru: "статус"), "progress": Message(en: "progress, %", ru: "прогресс, %"),
        "comment": Message(en: "comment", ru: "комментарий"), "indicators": Message(en: "indicators", ru: "показатели"),
    ]

    /// Stored words of a few fields (a task's level and kind of deadline, a partition's kind).
    static let storedWords: [String: Message] = [
        "school": Message(en: "schools", ru: "школьный"), "municipal": Message(en: "municipal", ru: "муниципальный"),
        "regional": Message(en: "regional", ru: "региональный"), "other": Message(en: "other", ru: "прочие"),
        "date": Message(en: "a date", ru: "дата"), "period": Message(en: "a period", ru: "период"),
        "recurring": Message(en: "recurring", ru: "регулярно"), "none": Message(en: "none", ru: "без срока"),
        "member": Message(en: "a school", ru: "школа"), "domain": Message(en: "a municipality", ru: "муниципалитет"),
    ]

    /// Fields several tables share.
    static let commonFieldNames: [String: Message] = [
        "task": Message(en: "task", ru: "задача"), "school": Message(en: "school", ru: "школа"),
        "author": Message(en: "author", ru: "автор"), "reported_at": Message(en: "time of the report", ru: "время отчёта"),
        deletedField: Message(en: "deleted", ru: "удалено"),
    ]

    /// A field's value in words: a status as its label, a time as a date, a deletion as yes/no;
    /// other values as they are (texts without the quotes of their stored form).
    public func valueWords(table: String, field: String, value: Value) -> Message {
        switch field {
        case "status":
            if let text = value.textValue, let status = ReportStatus(rawValue: text) {
                return Message(en: status.label(.en), ru: status.label(.ru))
            }
        case "reported_at", "imported_at", "revoked_at":
            if let ms = value.integerValue, ms > 0 {
                let time = PartaNode.formatTime(UInt64(ms))
                return Message(en: time, ru: time)
            }
        case Self.deletedField:
            let deleted = value.integerValue.map { $0 != 0 } ?? false
            return deleted ? Message(en: "yes", ru: "да") : Message(en: "no", ru: "нет")
        case "task" where table != "tasks":
            if let id = value.textValue, let words = try? taskWords(id, school: nil) { return words }
        case "domain":
            if let id = value.textValue, !id.isEmpty,
               let name = try? NodeQueries(replica).partitionName(id), !name.isEmpty {
                return Message(en: name, ru: name)
            }
        case "role" where table == "nodes":
            if let text = value.textValue {
                return text == "hub" ? Message(en: "a hub", ru: "управление") : Message(en: "a school's computer", ru: "компьютер школы")
            }
        case "level" where table == "tasks", "deadline_kind" where table == "tasks", "kind" where table == "partitions":
            if let text = value.textValue, let words = Self.storedWords[text] { return words }
        case "key" where table == "indicators":
            if let key = value.textValue, let bar = key.firstIndex(of: "|") {
                let name = String(key[key.index(after: bar)...])
                return Message(en: name, ru: name)
            }
        case "resolution" where table == "tasks":
            if let id = value.textValue, !id.isEmpty,
               let title = try? ResolutionQueries(replica).title(id), !title.isEmpty {
                return Message(en: Self.shorten(title), ru: Self.shorten(title))
            }
        case "school", "partition":
            if let id = value.textValue, let words = try? schoolWords(id) { return words }
        default: break
        }
        if let text = value.textValue { return Message(en: text, ru: text) }
        if value == .null { return Message(en: "—", ru: "—") }
        if case .real(let number) = value { return Message(en: Self.numberText(number, .en), ru: Self.numberText(number, .ru)) }
        return Message(en: value.description, ru: value.description)
    }

    /// A reported number as a person writes it: `52`, not `52.0`; `52.5` in English, `52,5` in Russian.
    public static func numberText(_ number: Double, _ language: Language) -> String {
        guard number.isFinite else { return "—" }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        let text = String(number)
        return language == .ru ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}
