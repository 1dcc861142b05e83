import Foundation
@testable import PartaResolution

/// A small grammar of resolution phrasings, for property tests: documents composed from parts (heading,
/// preamble, decision formula, addressee lines, numbering styles, verbs and action nouns, deadline phrases
/// in every position, decoy dates in document names, staged targets, wrapped lines), each with the tasks
/// and deadlines a correct importer returns. Deterministic for a seed.
///
/// Every document is dated 26 August 2021, so the academic year is 2021-09-01 … 2022-08-31.
struct ResolutionGrammar {
    struct Task {
        /// The first words of the task's text as stored (spec §5 matching).
        var starts: String
        var deadline: Deadline?
        /// Checked when given.
        var addressees: [String]? = nil
        /// Checked when given.
        var level: TaskLevel? = nil
    }

    struct Document {
        var text: String
        var tasks: [Task]
    }

    /// A deadline phrase: how it reads inside a sentence (`trailing`), how it opens one (`leading`), and its value.
    struct Phrase {
        var trailing: String
        var deadline: Deadline
        var leading: String { trailing.prefix(1).uppercased() + trailing.dropFirst() }
    }

    var rng: SeededGenerator
    init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    static let academic = Deadline.period(from: "2021-09-01", to: "2022-08-31")

    static let phrases: [Phrase] = [
        Phrase(trailing: "до 1 октября 2021 года", deadline: .date("2021-10-01")),
        Phrase(trailing: "до 15.11.2021", deadline: .date("2021-11-15")),
        Phrase(trailing: "к 1 декабря 2021 г.", deadline: .date("2021-12-01")),
        Phrase(trailing: "в срок до 15 октября", deadline: .date("2021-10-15")),
        Phrase(trailing: "не позднее 20 января 2022 года", deadline: .date("2022-01-20")),
        Phrase(trailing: "до конца 2021 года", deadline: .date("2021-12-31")),
        Phrase(trailing: "до 1 марта", deadline: .date("2022-03-01")),
        Phrase(trailing: "к началу 2022/2023 учебного года", deadline: .date("2022-09-01")),
        Phrase(trailing: "к началу учебного года", deadline: .date("2021-09-01")),
        Phrase(trailing: "с 1 сентября 2021 года", deadline: .date("2021-09-01")),
        Phrase(trailing: "в течение 2021/2022 учебного года", deadline: academic),
        Phrase(trailing: "в течение 2021-2022 учебного года", deadline: academic),
        Phrase(trailing: "в 2022 году", deadline: .period(from: "2022-01-01", to: "2022-12-31")),
        Phrase(trailing: "в I квартале 2022 года", deadline: .period(from: "2022-01-01", to: "2022-03-31")),
        Phrase(trailing: "в течение учебного года", deadline: academic),
        Phrase(trailing: "ежеквартально", deadline: .recurring(every: "quarter")),
        Phrase(trailing: "ежемесячно", deadline: .recurring(every: "month")),
        Phrase(trailing: "на постоянной основе", deadline: .recurring(every: "continuous")),
    ]

    /// Phrases that can stand on a `Срок:` line or as a heading (all of them).
    static let lineLabels = ["Срок: ", "Срок – ", "Срок исполнения: ", "Сроки: ", "Срок исполнения – ", "Срок выполнения: "]

    static let addressees = [
        "Управлению образования администрации района", "Отделу образования администрации Энского района",
        "Руководителям образовательных организаций", "Муниципальному методическому центру",
        "Педагогическим работникам", "Руководителям общеобразовательных организаций",
        "Заместителям директоров по учебно-воспитательной работе",
    ]

    static let verbs = ["Обеспечить", "Организовать", "Провести", "Продолжить", "Усилить", "Активизировать", "Осуществлять"]
    static let objects = [
        "работу по сопровождению молодых педагогов", "мониторинг качества подготовки обучающихся",
        "методическую поддержку школ с низкими результатами обучения", "участие педагогов в конкурсах профессионального мастерства",
        "работу по повышению функциональной грамотности обучающихся", "контроль за организацией горячего питания",
        "информирование родителей о результатах оценочных процедур", "работу по профилактике правонарушений несовершеннолетних",
        "взаимодействие с учреждениями культуры и спорта", "работу школьных методических объединений",
    ]
    static let nouns = ["Создание", "Совершенствование", "Проведение", "Организация", "Развитие", "Обеспечение", "Внедрение", "Повышение"]
    static let nounObjects = [
        "рабочей группы по введению обновлённых ФГОС", "условий для развития инклюзивного образования",
        "мониторинга качества подготовки обучающихся", "системы наставничества в образовательных организациях",
        "эффективности работы школьных методических объединений", "муниципальной системы оценки качества образования",
        "сетевого взаимодействия с организациями дополнительного образования", "квалификации педагогов по вопросам цифровизации",
    ]
    /// Names of other documents carrying years, which are not deadlines.
    static let decoys = [
        "в рамках реализации программы развития образования района на 2020-2025 годы",
        "в соответствии с планом мероприятий в 2021-2025 годах",
        "в соответствии со Стратегией развития воспитания до 2025 года",
        "в рамках Концепции развития математического образования на 2021-2024 годы",
        "во исполнение Указа Президента Российской Федерации от 21.07.2020 № 474",
        "в рамках региональной программы «Развитие образования» до 2030 года",
        "с учётом плана работы на 2021-2022 учебный год",
        "в соответствии с планом мероприятий («дорожной картой») в 2021-2023 годах",
        "в рамках национального проекта «Образование» до 2024 года",
    ]
    static let titles = [
        "I. Обновление содержания и технологий образования", "II. Развитие кадрового потенциала",
        "ЗАДАЧИ МУНИЦИПАЛЬНОГО УРОВНЯ", "III. Воспитание и дополнительное образование",
    ]
    static let preambles = [
        "Заслушав и обсудив доклад начальника управления образования о результатах работы в 2020-2021 учебном году, участники конференции отмечают, что в районе создана система поддержки школ с низкими результатами.",
        "В 2020 году 85% выпускников продолжили обучение в вузах, доля педагогов с высшей категорией выросла до 42%.",
        "Конференция отмечает, что работа по реализации национального проекта «Образование» ведётся системно.",
        "Обсудив вопросы развития системы образования района до 2025 года, участники совещания",
    ]
    /// Bodies as named after `Ответственные:` (nominative), with their level (spec §3).
    static let responsibleBodies: [(String, TaskLevel)] = [
        ("Управление образования", .municipal), ("отдел образования администрации района", .municipal),
        ("МКУ «Информационно-методический центр»", .municipal), ("МАУ «Центр развития образования»", .municipal),
        ("МБУ «Центр психолого-педагогической помощи»", .municipal), ("муниципальная методическая служба", .municipal),
        ("руководители ОО", .school), ("Руководители общеобразовательных организаций", .school),
        ("заместители директоров по УВР", .school), ("классные руководители", .school), ("педагоги-психологи ОО", .school),
        ("руководители ШМО", .school), ("министерство образования края", .regional), ("Институт развития образования", .regional),
        ("ФГБОУ ВО «Энский государственный университет»", .other),
    ]
    /// Invented people, each named once with a body in parentheses and elsewhere alone.
    static let people = ["Ершова Л.М.", "Пестова А.Н.", "Кузнецова Т.Г.", "Сидоров В.В.", "Миронов О.П."]
    /// Verbal nouns of action outside the importer's list of action nouns, opening a plan's rows.
    static let rowNouns = ["Утверждение", "Назначение", "Рассмотрение", "Ознакомление участников с", "Размещение", "Освещение",
                           "Психолого-педагогическое сопровождение", "Согласование", "Приобретение"]
    static let rowObjects = ["плана подготовки к государственной итоговой аттестации", "итогов мониторинга на совещании руководителей",
                             "информации о порядке проведения экзаменов на сайтах", "ответственных за организацию летнего отдыха",
                             "выпускников группы риска", "графика проведения пробных экзаменов", "учебного оборудования для центров"]
    /// Addressee lines with their level (spec §3): municipal institutions that are not schools, heads of municipal
    /// administrations, federal and public bodies.
    static let addresseeLevels: [(String, TaskLevel)] = [
        ("МАУ «Центр образования им. И.А. Петрова» (методическая служба города)", .municipal),
        ("МБУ «Информационно-методический центр»", .municipal),
        ("Рекомендовать главам администраций муниципальных районов и городских округов края", .municipal),
        ("Предложить ФГБОУ ВО «Энский государственный педагогический университет»", .other),
        ("Рекомендовать региональному отделению общероссийского общественного движения «Родители края»", .other),
        ("Руководителям общеобразовательных организаций", .school), ("Министерству образования Энской области", .regional),
        ("ОГБОУ ДПО «Энский институт развития образования»", .regional),
        ("Рекомендовать государственному автономному учреждению здравоохранения «Энская центральная районная больница»", .regional),
        ("Исполнительному комитету Энского муниципального района Республики Энск", .municipal),
        ("Рекомендовать Отделу МВД России по Энскому району", .other),
        ("Главному специалисту управления образования Сафроновой И.Г.", .municipal),
    ]
    static let formulas = ["РЕШИЛИ:", "Конференция РЕШИЛА:", "Участники конференции постановили:", "ПОСТАНОВЛЯЕТ:", "Совещание рекомендует:"]

    mutating func pick<T>(_ xs: [T]) -> T { rng.pick(xs) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func count(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }

    /// The heading, an optional preamble and the decision formula.
    mutating func opening(preamble: Bool = true) -> [String] {
        var out = ["РЕЗОЛЮЦИЯ", "августовской конференции педагогических работников Энского района", "26 августа 2021 года"]
        if preamble { for _ in 0..<count(0...2) { out.append(pick(Self.preambles)) } }
        out.append(pick(Self.formulas))
        return out
    }

    /// A directive sentence without deadline, without final punctuation.
    mutating func directive() -> String { pick(Self.verbs) + " " + pick(Self.objects) }
    mutating func actionNoun() -> String { pick(Self.nouns) + " " + pick(Self.nounObjects) }

    /// Markers for `n` items in one style.
    mutating func markers(_ n: Int, parent: String? = nil) -> [String] {
        let letters = Array("абвгдежзик")
        let style = count(0...5)
        return (0..<n).map { i in
            switch style {
            case 0: return parent.map { "\($0)\(i + 1)." } ?? "\(i + 1)."
            case 1: return parent.map { "\($0)\(i + 1)" } ?? "\(i + 1))"
            case 2: return "\(i + 1))"
            case 3: return "\(letters[i]))"
            case 4: return "–"
            default: return "•"
            }
        }
    }

    static func number(of marker: String) -> String { marker == "–" || marker == "•" ? "" : marker }

    static func sentence(_ s: String, last: Bool) -> String { s.hasSuffix(".") && last ? s : s + (last ? "." : ";") }

    static func join(_ paragraphs: [String]) -> String { paragraphs.joined(separator: "\n\n") + "\n" }

    /// `text` in lines of at most `width` characters, as a cell wraps within its column.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        return lines + (line.isEmpty ? [] : [line])
    }
}

extension ResolutionGrammar {
    /// Runs `generate` for `count` seeds; returns a description of the first few failures, empty when all pass.
    /// The same paragraphs laid out three ways, by `variant`: apart by blank lines, one a line, or
    /// hard-wrapped at `width` columns and indented as `pdftotext -layout` gives them.
    static func layout(_ text: String, variant: Int, width: Int) -> String {
        switch variant % 3 {
        case 0: return text
        case 1: return text.replacingOccurrences(of: "\n\n", with: "\n")
        default: return StructureTests.hardWrapped(text, width: width, pageLines: 10_000)
        }
    }

    /// Runs `generate` for `count` seeds, each document in one of the three layouts when `layouts`;
    /// returns a description of the first few failures, empty when all pass.
    static func failures(count: Int, seed: UInt64, layouts: Bool = true, _ generate: (inout ResolutionGrammar) -> Document) -> [String] {
        var out: [String] = []
        for i in 0..<count {
            var g = ResolutionGrammar(seed: seed &+ UInt64(i) &* 7919)
            var doc = generate(&g)
            if layouts { doc.text = layout(doc.text, variant: i, width: g.count(60...100)) }
            if let problem = check(doc) {
                out.append("— case \(i): \(problem)\n--- document ---\n\(doc.text)--- end ---")
                if out.count >= 3 { break }
            }
        }
        return out
    }

    /// Nil when the importer returns exactly the document's tasks, in order, with their deadlines.
    static func check(_ doc: Document) -> String? {
        check(doc, tasks: ResolutionReader.parse(text: doc.text).tasks)
    }

    /// Nil when `tasks` are exactly the document's tasks, in order, with their deadlines.
    static func check(_ doc: Document, tasks: [ResolutionTask]) -> String? {
        let got = tasks.map { "[\($0.number)] \($0.text) ⇒ \(describe($0.deadline?.deadline))" }.joined(separator: "\n  ")
        let want = doc.tasks.map { "\($0.starts) ⇒ \(describe($0.deadline))" }.joined(separator: "\n  ")
        let report = "expected \(doc.tasks.count) tasks:\n  \(want)\ngot \(tasks.count):\n  \(got)"
        guard tasks.count == doc.tasks.count else { return report }
        for (t, e) in zip(tasks, doc.tasks) {
            if !Scoring.normalize(t.text).hasPrefix(Scoring.normalize(e.starts)) || t.deadline?.deadline != e.deadline { return report }
            if let a = e.addressees, a != t.addressees { return report + "\naddressees: expected \(a), got \(t.addressees)" }
            if let l = e.level, l != t.level { return report + "\nlevel of «\(e.starts)»: expected \(l), got \(t.level)" }
        }
        return nil
    }

    static func describe(_ d: Deadline?) -> String {
        switch d {
        case nil: return "—"
        case .date(let x): return x
        case .period(let a, let b): return "\(a)…\(b)"
        case .recurring(let e): return "every \(e)"
        case .staged(let s): return "staged " + s.map { "\($0.date)=\($0.target)" }.joined(separator: ",")
        }
    }
}
