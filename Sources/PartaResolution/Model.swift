import Foundation

/// The heading of a resolution (spec §2): what kind of document it is, who adopted it, where and when.
///
/// Every field is a string, empty when the document does not say; `date` is ISO `YYYY-MM-DD` or empty
/// (a year alone is not a date).
public struct ResolutionDocument: Codable, Sendable, Equatable {
    /// The first heading word in lower case: `резолюция`, `решение`, `рекомендации`, …
    public var kind: String
    /// The heading lines up to the first paragraph of running text, joined by single spaces.
    public var title: String
    /// Who adopted it, as printed (`августовской конференции … Мучкапского района`).
    public var body: String
    /// The region, district or town named in the heading or first paragraph, as printed.
    public var place: String
    /// The date of the event or the document, `YYYY-MM-DD`, or empty.
    public var date: String

    public init(kind: String = "", title: String = "", body: String = "", place: String = "", date: String = "") {
        self.kind = kind
        self.title = title
        self.body = body
        self.place = place
        self.date = date
    }
}

/// Who must act on a task (spec §3): decided by the addressees, else the section heading, else the task's words.
public enum TaskLevel: String, Codable, Sendable, CaseIterable {
    case regional, municipal, school, other
}

/// One stage of a staged deadline: a date and what must be reached by then (`65% обучающихся`).
public struct Stage: Codable, Sendable, Equatable, Hashable {
    /// ISO `YYYY-MM-DD`.
    public var date: String
    /// The target as printed, may be empty.
    public var target: String

    public init(date: String, target: String) {
        self.date = date
        self.target = target
    }
}

/// A deadline normalised to one of four shapes (spec §4). All dates are ISO `YYYY-MM-DD`.
///
/// JSON: `{"kind":"date","date":…}`, `{"kind":"period","from":…,"to":…}`, `{"kind":"recurring","every":…}`,
/// `{"kind":"staged","stages":[{"date":…,"target":…}]}`.
public enum Deadline: Codable, Sendable, Equatable, Hashable {
    /// Due by this day (`до 10.10.2020`, `до конца 2021 года`).
    case date(String)
    /// Work during this period, both ends included (`2020-2021 уч. год`, `в 2021 году`, `I квартал 2021 года`).
    case period(from: String, to: String)
    /// Repeats: `every` is one of ``Deadline/recurrenceUnits`` (`continuous`, `week`, `month`, `quarter`, `half-year`, `year`).
    case recurring(every: String)
    /// Targets by dates, in the order printed (`до 1 ноября 2019 года — 65%, до 1 мая 2020 года — 80%`).
    case staged([Stage])

    /// The values `recurring(every:)` takes.
    public static let recurrenceUnits = ["continuous", "week", "month", "quarter", "half-year", "year"]

    /// Whether the work repeats (`ежемесячно`) rather than falls due once.
    public var isRecurring: Bool { if case .recurring = self { return true } else { return false } }

    /// The day by which the task is due: the date, the end of the period, the last stage; nil for a recurrence.
    public var dueDate: String? {
        switch self {
        case .date(let d): return d
        case .period(_, let to): return to
        case .recurring: return nil
        case .staged(let stages): return stages.map(\.date).max()
        }
    }

    /// The `kind` written in JSON.
    public var kind: String {
        switch self {
        case .date: return "date"
        case .period: return "period"
        case .recurring: return "recurring"
        case .staged: return "staged"
        }
    }

    enum CodingKeys: String, CodingKey { case kind, date, from, to, every, stages }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        switch kind {
        case "date": self = .date(try c.decode(String.self, forKey: .date))
        case "period": self = .period(from: try c.decode(String.self, forKey: .from), to: try c.decode(String.self, forKey: .to))
        case "recurring": self = .recurring(every: try c.decode(String.self, forKey: .every))
        case "staged": self = .staged(try c.decode([Stage].self, forKey: .stages))
        default:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown deadline kind \(kind)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        switch self {
        case .date(let d): try c.encode(d, forKey: .date)
        case .period(let from, let to):
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
        case .recurring(let every): try c.encode(every, forKey: .every)
        case .staged(let stages): try c.encode(stages, forKey: .stages)
        }
    }
}

/// A deadline together with the words it was read from. JSON is one flat object: the ``Deadline``'s fields plus `raw`.
public struct DeadlineText: Codable, Sendable, Equatable, Hashable {
    /// The words as printed (`до 10.10.2020`, `2020-2021 уч. год`).
    public var raw: String
    public var deadline: Deadline

    public init(raw: String, deadline: Deadline) {
        self.raw = raw
        self.deadline = deadline
    }

    /// See ``Deadline/dueDate``.
    public var dueDate: String? { deadline.dueDate }

    enum CodingKeys: String, CodingKey { case raw }

    public init(from decoder: Decoder) throws {
        deadline = try Deadline(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        raw = try c.decodeIfPresent(String.self, forKey: .raw) ?? ""
    }

    public func encode(to encoder: Encoder) throws {
        try deadline.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(raw, forKey: .raw)
    }
}

/// Where a task stands in the document (spec §3, `source`): the paragraphs it was extracted from, as
/// normalised text, and their indexes among the document's paragraphs after normalisation (§1).
///
/// `firstParagraph ≤ lastParagraph`, both counted from 0 over every paragraph of the document (heading
/// included); `text` is those paragraphs joined by LF, so it holds the task's own `Срок:` and
/// `Ответственные:` lines and its number as printed. Two tasks split from one paragraph share a span.
public struct SourceSpan: Codable, Sendable, Equatable, Hashable {
    public var firstParagraph: Int
    public var lastParagraph: Int
    public var text: String

    public init(firstParagraph: Int, lastParagraph: Int, text: String) {
        self.firstParagraph = firstParagraph
        self.lastParagraph = lastParagraph
        self.text = text
    }
}

/// One task of a resolution (spec §3).
///
/// `text` is normalised and holds neither the number nor the `Срок:`/`Ответственные:` lines; `section` runs
/// outermost first; `deadline` is nil when the document gives none. JSON writes `"deadline": null` explicitly.
public struct ResolutionTask: Codable, Sendable, Equatable {
    /// As printed (`2.1.`, `3)`, `а)`, `I.2`), empty for a bullet or an unnumbered paragraph.
    public var number: String
    public var text: String
    /// Headings above the task, outermost first.
    public var section: [String]
    /// Who must act, as printed, one body per element.
    public var addressees: [String]
    public var level: TaskLevel
    public var deadline: DeadlineText?
    /// Bodies after `Ответственные:` / `Исполнители:`.
    public var responsible: [String]
    /// Numeric targets as printed (`не менее 70%`).
    public var targets: [String]
    /// The paragraphs the task was read from; nil for a task not read from a document (JSON leaves it out).
    public var source: SourceSpan?

    public init(number: String = "", text: String, section: [String] = [], addressees: [String] = [],
                level: TaskLevel = .other, deadline: DeadlineText? = nil, responsible: [String] = [], targets: [String] = [],
                source: SourceSpan? = nil) {
        self.number = number
        self.text = text
        self.section = section
        self.addressees = addressees
        self.level = level
        self.deadline = deadline
        self.responsible = responsible
        self.targets = targets
        self.source = source
    }

    enum CodingKeys: String, CodingKey { case number, text, section, addressees, level, deadline, responsible, targets, source }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        number = try c.decodeIfPresent(String.self, forKey: .number) ?? ""
        text = try c.decode(String.self, forKey: .text)
        section = try c.decodeIfPresent([String].self, forKey: .section) ?? []
        addressees = try c.decodeIfPresent([String].self, forKey: .addressees) ?? []
        level = try c.decodeIfPresent(TaskLevel.self, forKey: .level) ?? .other
        deadline = try c.decodeIfPresent(DeadlineText.self, forKey: .deadline)
        responsible = try c.decodeIfPresent([String].self, forKey: .responsible) ?? []
        targets = try c.decodeIfPresent([String].self, forKey: .targets) ?? []
        source = try c.decodeIfPresent(SourceSpan.self, forKey: .source)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(number, forKey: .number)
        try c.encode(text, forKey: .text)
        try c.encode(section, forKey: .section)
        try c.encode(addressees, forKey: .addressees)
        try c.encode(level, forKey: .level)
        if let deadline { try c.encode(deadline, forKey: .deadline) } else { try c.encodeNil(forKey: .deadline) }
        try c.encode(responsible, forKey: .responsible)
        try c.encode(targets, forKey: .targets)
        try c.encodeIfPresent(source, forKey: .source)
    }
}

/// What the importer read from one document: its heading and its tasks in document order.
public struct ParsedResolution: Codable, Sendable {
    public var document: ResolutionDocument
    public var tasks: [ResolutionTask]

    public init(document: ResolutionDocument, tasks: [ResolutionTask]) {
        self.document = document
        self.tasks = tasks
    }
}
