import Foundation
import Testing
@testable import PartaResolution

/// Property tests: documents composed by ``ResolutionGrammar`` from many phrasings, one class of rule
/// each (spec §3, §4). Each test checks that the importer returns exactly the generated tasks with the
/// generated deadlines; silent on success, it prints the first failing documents on failure.
@Suite struct GrammarTests {
    static let cases = 300

    static func run(_ seed: UInt64, layouts: Bool = true, _ generate: (inout ResolutionGrammar) -> ResolutionGrammar.Document) {
        let failures = ResolutionGrammar.failures(count: cases, seed: seed, layouts: layouts, generate)
        if !failures.isEmpty { print(failures.joined(separator: "\n\n")) }
        // `PARTA_GRAMMAR_OUT=FILE`: the failing documents there too (a long report can be cut in the test log).
        if !failures.isEmpty, let out = ProcessInfo.processInfo.environment["PARTA_GRAMMAR_OUT"], !out.isEmpty {
            try? failures.joined(separator: "\n\n").write(toFile: out, atomically: true, encoding: .utf8)
        }
        #expect(failures.isEmpty)
    }

    /// Class 1: a deadline stated once for a group — a `Срок:` line after the group's last item, or a
    /// deadline in the heading that introduces the group — belongs to every task of the group without its own.
    @Test func groupDeadlineBelongsToEveryTaskOfTheGroup() {
        Self.run(1001) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            var openAddressees: [String] = []
            // Groups numbered `1.`, `2.` (items `1.1.`) throughout, or headings without numbers.
            let numbered = g.chance(0.4)
            for groupIndex in 0..<g.count(1...3) {
                var addressee = g.pick(ResolutionGrammar.addressees)
                var named = [addressee]
                if g.chance(0.3) {
                    named = [addressee.prefix(1).lowercased() + addressee.dropFirst()]
                    addressee = "Рекомендовать " + named[0]
                }
                let shared = g.pick(ResolutionGrammar.phrases)
                let inHeading = g.chance(0.5)
                // Items as lower-case lines without markers (`обеспечить …;`).
                let bare = !numbered && g.chance(0.25)
                var heading = addressee
                if inHeading {
                    // A heading that is only a deadline opens a sub-group of the addressee group still open, unless
                    // numbered as its sibling.
                    if g.chance(0.5) { heading = shared.leading; named = numbered ? [] : openAddressees } else { heading = addressee + " " + shared.trailing }
                }
                // A group closed by a `Срок:` line after its last item is no longer open.
                if heading != shared.leading { openAddressees = inHeading ? named : [] }
                paragraphs.append((numbered ? "\(groupIndex + 1). " : "") + heading + ":")
                let n = g.count(2...4)
                let markers = numbered && g.chance(0.6) ? (0..<n).map { "\(groupIndex + 1).\($0 + 1)." } : g.markers(n)
                for i in 0..<n {
                    let text = g.directive()
                    // Under a heading with a deadline an item may still name its own.
                    let own: ResolutionGrammar.Phrase? = inHeading && g.chance(0.25) ? g.pick(ResolutionGrammar.phrases) : nil
                    let body = own.map { text + " " + $0.trailing } ?? text
                    if bare {
                        paragraphs.append(ResolutionGrammar.sentence(body.prefix(1).lowercased() + body.dropFirst(), last: i == n - 1))
                    } else {
                        paragraphs.append(markers[i] + " " + ResolutionGrammar.sentence(body, last: i == n - 1))
                    }
                    tasks.append(.init(starts: text, deadline: own?.deadline ?? shared.deadline, addressees: named))
                }
                if !inHeading {
                    // `Срок: …`, or the deadline alone on its line (`В течение 2021/2022 учебного года.`).
                    switch g.count(0...4) {
                    case 0: paragraphs.append(shared.leading + (g.chance(0.5) ? "." : ""))
                    case 1: paragraphs.append("(срок – " + shared.trailing + ")")
                    default: paragraphs.append(g.pick(ResolutionGrammar.lineLabels) + shared.trailing + (g.chance(0.5) ? "." : ""))
                    }
                    if g.chance(0.3) { paragraphs.append("Ответственные: " + g.pick(["Иванова И.И.", "отдел образования, МУ ЦОКО", "руководители ОО"])) }
                }
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 2: a task may open with its deadline (`До 1 марта провести …`, `К началу учебного года
    /// обеспечить …`, `В срок до 15 октября представить …`), numbered or not, after an addressee or not.
    @Test func taskOpeningWithItsDeadlineIsATaskWithThatDeadline() {
        Self.run(2002) { g in
            // With or without the decision formula: without it, the directive must lead its sentence.
            var paragraphs = g.opening()
            if g.chance(0.3) {
                // Without the formula, no preamble that runs into it (`Обсудив …, участники совещания`).
                paragraphs.removeLast()
                paragraphs.removeAll { $0.hasPrefix("Обсудив") }
            }
            var tasks: [ResolutionGrammar.Task] = []
            let n = g.count(2...6)
            let numbered = g.chance(0.6)
            let markers = g.markers(n)
            for i in 0..<n {
                let phrase = g.pick(ResolutionGrammar.phrases)
                let verb = g.pick(ResolutionGrammar.verbs).lowercased(), object = g.pick(ResolutionGrammar.objects)
                let text: String
                let addressee = g.pick(ResolutionGrammar.addressees)
                var named: [String] = []
                if g.chance(0.25) {
                    text = addressee + " " + phrase.trailing + " " + verb + " " + object
                    named = [addressee]
                } else if g.chance(0.25) {
                    let lower = addressee.prefix(1).lowercased() + addressee.dropFirst()
                    text = phrase.leading + " " + lower + " " + verb + " " + object
                    named = [lower]
                } else {
                    text = phrase.leading + " " + verb + " " + object
                }
                paragraphs.append((numbered ? markers[i] + " " : "") + ResolutionGrammar.sentence(text, last: !numbered || i == n - 1))
                tasks.append(.init(starts: text, deadline: phrase.deadline, addressees: named))
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 3: years in the names of other documents (`программы … на 2020-2025 годы`, `Стратегии … до
    /// 2025 года`, `Указа … от 21.07.2020 № 474`) are not deadlines; a start (`с 1 сентября 2021 года`) is a date.
    @Test func yearsInDocumentNamesAreNotDeadlinesAndAStartIsADate() {
        Self.run(3003) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            // A heading naming another document's years gives its group no deadline.
            let decoyHeading = g.chance(0.3)
            if decoyHeading {
                let decoy = g.pick(ResolutionGrammar.decoys.filter { !$0.contains("№") })
                paragraphs.append(decoy.prefix(1).uppercased() + decoy.dropFirst() + ":")
            }
            let n = g.count(2...5)
            let markers = g.markers(n)
            for i in 0..<n {
                let decoy = g.pick(ResolutionGrammar.decoys)
                let verb = g.pick(ResolutionGrammar.verbs), object = g.pick(ResolutionGrammar.objects)
                let real: ResolutionGrammar.Phrase? = g.chance(0.7) ? g.pick(ResolutionGrammar.phrases) : nil
                var text: String, line: String?
                // Under a heading, a `Срок:` line after the last item would be the group's (class 1).
                switch (real, g.count(0...(decoyHeading && i == n - 1 ? 2 : 3))) {
                case (nil, _): text = g.chance(0.5) ? "\(verb) \(object) \(decoy)" : "\(decoy.prefix(1).uppercased() + decoy.dropFirst()) \(verb.lowercased()) \(object)"
                case (let r?, 0): text = "\(verb) \(object) \(r.trailing) \(decoy)"
                case (let r?, 1): text = "\(r.leading) \(verb.lowercased()) \(object) \(decoy)"
                case (let r?, 2): text = "\(decoy.prefix(1).uppercased() + decoy.dropFirst()) \(r.trailing) \(verb.lowercased()) \(object)"
                case (let r?, _): text = "\(verb) \(object) \(decoy)"; line = g.pick(ResolutionGrammar.lineLabels) + r.trailing
                }
                paragraphs.append(markers[i] + " " + ResolutionGrammar.sentence(text, last: i == n - 1))
                if let line { paragraphs.append(line) }
                tasks.append(.init(starts: text, deadline: real?.deadline))
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 4: tasks written as nouns of action (`Создание рабочей группы …`) after the decision formula
    /// or under a directive heading, as list items or paragraphs, and rows of a plan table
    /// (`№ | Мероприятие | Срок | Ответственный`), are tasks.
    @Test func actionNounsAndTableRowsAreTasks() {
        Self.run(4004) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            if g.chance(0.4) {
                // Achievements described in nouns before the formula are not tasks.
                let formula = paragraphs.removeLast()
                paragraphs.append(g.pick(["Участники конференции отмечают:", "В районе в 2020-2021 учебном году обеспечены:"]))
                for i in 0..<g.count(1...3) { paragraphs.append("– " + ResolutionGrammar.sentence(g.actionNoun().lowercased(), last: i == 2)) }
                paragraphs.append(formula)
            }
            for _ in 0..<g.count(1...2) {
                if g.chance(0.3) { paragraphs.append(g.pick(ResolutionGrammar.titles)) }
                if g.chance(0.5) { paragraphs.append(g.pick(ResolutionGrammar.addressees) + ":") }
                let n = g.count(2...5)
                let marked = g.chance(0.7)
                let markers = g.markers(n)
                for i in 0..<n {
                    let text = g.actionNoun()
                    let own: ResolutionGrammar.Phrase? = g.chance(0.5) ? g.pick(ResolutionGrammar.phrases) : nil
                    // (Not after the group's last item, where a `Срок:` line is the group's, class 1.)
                    if let own, i < n - 1, g.chance(0.4) {
                        // The noun line without punctuation, its deadline on a line of its own.
                        paragraphs.append((marked ? markers[i] + " " : "") + text)
                        paragraphs.append(g.pick(ResolutionGrammar.lineLabels) + own.trailing)
                    } else {
                        let body = own.map { text + " " + $0.trailing } ?? text
                        paragraphs.append((marked ? markers[i] + " " : "") + ResolutionGrammar.sentence(body, last: i == n - 1))
                    }
                    tasks.append(.init(starts: text, deadline: own?.deadline))
                }
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 4, tables: a plan table (`№ | Мероприятие | Срок | Ответственный`), in a `.docx` or as text
    /// columns apart by tabs or runs of spaces, gives one task per row with the row's deadline, whether the
    /// activity is a verb or a noun and the number has a dot or not.
    @Test func planTableRowsAreTasksWithTheirDeadlines() throws {
        var failures: [String] = []
        for i in 0..<Self.cases {
            var g = ResolutionGrammar(seed: 4104 &+ UInt64(i) &* 7919)
            var tasks: [ResolutionGrammar.Task] = []
            let header = ["№", g.pick(["Мероприятие", "Содержание мероприятия", "Наименование мероприятия"]), g.pick(["Срок", "Сроки исполнения", "Срок исполнения"]), g.pick(["Ответственный", "Ответственные", "Исполнители"])]
            var rows = [header]
            let dotted = g.chance(0.5)
            for r in 0..<g.count(2...6) {
                let text = g.chance(0.5) ? g.actionNoun() : g.directive()
                let phrase = g.pick(ResolutionGrammar.phrases)
                rows.append(["\(r + 1)" + (dotted ? "." : ""), text, phrase.trailing, g.pick(ResolutionGrammar.addressees)])
                tasks.append(.init(starts: text, deadline: phrase.deadline))
            }
            let before = g.opening(preamble: false)
            let doc = ResolutionGrammar.Document(text: ResolutionGrammar.join(before) + rows.map { $0.joined(separator: " | ") }.joined(separator: "\n"), tasks: tasks)
            let xml = DocxBuilder.document(paragraphs: before, table: rows)
            let parsed = try ResolutionReader.read(bytes: makeZip([("word/document.xml", Array(xml.utf8))], deflated: false), name: "plan.docx")
            let expected = ResolutionGrammar.Document(text: doc.text, tasks: tasks)
            if let problem = ResolutionGrammar.check(expected, tasks: parsed.tasks) {
                failures.append("— case \(i), .docx: \(problem)\n--- table ---\n\(doc.text)\n--- end ---")
                if failures.count >= 3 { break }
            }
            // The same table as text columns, as `pdftotext -layout` or a tab-separated file gives it.
            let gap = g.chance(0.5) ? "\t" : String(repeating: " ", count: g.count(3...8))
            let columns = ResolutionGrammar.join(before) + rows.map { "   " + $0.joined(separator: gap) }.joined(separator: "\n") + "\n"
            if let problem = ResolutionGrammar.check(.init(text: columns, tasks: tasks)) {
                failures.append("— case \(i), text columns: \(problem)\n--- document ---\n\(columns)--- end ---")
                if failures.count >= 3 { break }
            }
            // The same table saved from a spreadsheet as delimited text: `;` or a tab between cells, quoted
            // cells holding the delimiter, a doubled quote or a line break, rows padded with empty cells.
            let delimiter = g.chance(0.6) ? ";" : "\t"
            func cell(_ text: String, column: Int, _ g: inout ResolutionGrammar) -> String {
                var text = text
                if g.chance(0.3), let space = text.firstIndex(of: " ") { text.replaceSubrange(space...space, with: "\n") }
                // Who acts, with a centre named in quotes after a delimiter.
                if column == 3, g.chance(0.3) { text += delimiter == ";" ? "; центр \"Точка роста\"" : ", центр \"Точка роста\"" }
                let needs = text.contains(delimiter) || text.contains("\"") || text.contains("\n")
                return needs || g.chance(0.2) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
            }
            // The heading lines, one cell each; then the table (its number and heading cells as typed).
            var saved = before.filter { !$0.isEmpty }.map { $0 + (g.chance(0.5) ? String(repeating: delimiter, count: 3) : "") }.joined(separator: "\n") + "\n"
            for (r, row) in rows.enumerated() {
                let cells = row.enumerated().map { c, text in r == 0 || c == 0 ? (g.chance(0.3) ? "\"" + text + "\"" : text) : cell(text, column: c, &g) }
                saved += cells.joined(separator: delimiter) + String(repeating: delimiter, count: g.count(0...2)) + (g.chance(0.5) ? "\r\n" : "\n")
            }
            if let problem = ResolutionGrammar.check(.init(text: saved, tasks: tasks)) {
                failures.append("— case \(i), delimited (\(delimiter == ";" ? "semicolons" : "tabs")): \(problem)\n--- document ---\n\(saved.replacingOccurrences(of: "\r", with: "␍"))--- end ---")
                if failures.count >= 3 { break }
            }
            // The same table drawn with characters, as a legal database saves it: `+---+` borders (after
            // every row, or only under the heading), cells apart by `|` or `¦`, text wrapped in its column.
            let bar = g.pick(["|", "¦"]), ruleEveryRow = g.chance(0.5)
            let widths = [4, g.count(22...40), g.count(14...22), g.count(16...28)]
            let rule = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+"
            var drawn = ResolutionGrammar.join(before) + rule + "\n"
            for (r, row) in rows.enumerated() {
                let wrapped = row.enumerated().map { ResolutionGrammar.wrap($1, width: widths[$0]) }
                for k in 0..<(wrapped.map(\.count).max() ?? 1) {
                    drawn += bar + wrapped.enumerated().map { c, cell in
                        let text = k < cell.count ? cell[k] : ""
                        return " " + text + String(repeating: " ", count: max(0, widths[c] - text.count)) + " "
                    }.joined(separator: bar) + bar + "\n"
                }
                if r == 0 || ruleEveryRow || r == rows.count - 1 { drawn += rule + "\n" }
            }
            // The same table as fixed-width text (a report printed to text): columns apart by spaces,
            // each cell's text wrapped within its column.
            var aligned = ResolutionGrammar.join(before)
            for row in rows {
                let wrapped = row.enumerated().map { ResolutionGrammar.wrap($1, width: widths[$0]) }
                for k in 0..<(wrapped.map(\.count).max() ?? 1) {
                    aligned += "  " + wrapped.enumerated().map { c, cell in
                        let text = k < cell.count ? cell[k] : ""
                        return text + String(repeating: " ", count: max(0, widths[c] - text.count) + 3)
                    }.joined() + "\n"
                }
            }
            aligned = aligned.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n")
            if let problem = ResolutionGrammar.check(.init(text: aligned, tasks: tasks)) {
                failures.append("— case \(i), fixed width: \(problem)\n--- document ---\n\(aligned)--- end ---")
                if failures.count >= 3 { break }
            }
            if let problem = ResolutionGrammar.check(.init(text: drawn, tasks: tasks)) {
                failures.append("— case \(i), drawn (\(ruleEveryRow ? "a rule after every row" : "a rule under the heading")): \(problem)\n--- document ---\n\(drawn)--- end ---")
                if failures.count >= 3 { break }
            }
        }
        if !failures.isEmpty { print(failures.joined(separator: "\n\n")) }
        #expect(failures.isEmpty)
    }

    /// Class 5: staged targets (`до 1 ноября — 65%, до 1 декабря — 80%`) are the deadline only when the task
    /// names no deadline of its own; a deadline the task names (in its sentence or on a `Срок:` line) wins.
    @Test func stagedTargetsGiveWayToTheTasksOwnDeadline() {
        Self.run(5005) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            let n = g.count(1...4)
            let markers = g.markers(n)
            for i in 0..<n {
                let pcts = [g.count(40...60), g.count(61...80), g.count(81...99)]
                let months = [("1 ноября 2021 года", "2021-11-01"), ("1 декабря 2021 года", "2021-12-01"), ("1 мая 2022 года", "2022-05-01")]
                let k = g.count(2...3)
                let noun = g.pick(["обучающихся", "педагогов", "школ"])
                let prep = g.pick(["до", "к"]), least = g.pick(["", "не менее "]), dash = g.pick(["—", "–", "-"])
                let stages = (0..<k).map { j in (text: "\(prep) \(months[j].0) \(dash) \(least)\(pcts[j])% \(noun)", stage: Stage(date: months[j].1, target: "\(least)\(pcts[j])% \(noun)")) }
                var stagesText = stages.map(\.text).joined(separator: g.pick([", ", "; "]))
                if g.chance(0.2) { stagesText = "(" + stagesText + ")" }
                let head = "Обеспечить охват \(noun) мероприятиями программы"
                let own: ResolutionGrammar.Phrase? = g.chance(0.6) ? g.pick(ResolutionGrammar.phrases.filter { !$0.trailing.hasPrefix("с ") }) : nil
                var text: String, line: String?
                switch (own, g.count(0...2)) {
                case (nil, _): text = "\(head): \(stagesText)"
                case (let o?, 0): text = "\(head) \(o.trailing): \(stagesText)"
                case (let o?, 1): text = "\(o.leading) обеспечить охват \(noun) мероприятиями программы: \(stagesText)"
                case (let o?, _): text = "\(head): \(stagesText)"; line = g.pick(ResolutionGrammar.lineLabels) + o.trailing
                }
                paragraphs.append(markers[i] + " " + ResolutionGrammar.sentence(text, last: i == n - 1))
                if let line { paragraphs.append(line) }
                tasks.append(.init(starts: String(text.prefix(30)), deadline: own?.deadline ?? .staged(stages.map(\.stage))))
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 6: preambles, section titles and a sentence wrapped onto the next paragraph (continuing in
    /// lower case) are not tasks of their own; the wrapped sentence is one task.
    @Test func preamblesTitlesAndWrappedLinesAreNotTasks() {
        Self.run(6006, layouts: false) { g in
            let formula = g.chance(0.7)
            var paragraphs = formula ? g.opening() : Array(g.opening().dropLast())
            var tasks: [ResolutionGrammar.Task] = []
            if formula && g.chance(0.5) {
                // Statements of agreement, assessment and priorities after the formula are not tasks.
                paragraphs.append(g.pick(["Информацию начальника управления образования принять к сведению.",
                                          "Признать работу муниципальной системы образования в 2020-2021 учебном году удовлетворительной.",
                                          "Согласиться с выводами доклада о результатах работы в 2020-2021 учебном году."]))
                if g.chance(0.5) {
                    paragraphs.append(g.pick(["Считать приоритетными направлениями работы в 2021-2022 учебном году:", "Считать приоритетными направлениями работы:"]))
                    for i in 0..<g.count(2...3) { paragraphs.append("– " + ResolutionGrammar.sentence(g.actionNoun().lowercased(), last: i == 2)) }
                }
            }
            for _ in 0..<g.count(1...3) {
                if g.chance(0.5) { paragraphs.append(g.pick(ResolutionGrammar.titles)) }
                let addressee = g.pick(ResolutionGrammar.addressees)
                paragraphs.append(addressee + ":")
                let n = g.count(1...4)
                let markers = g.markers(n)
                for i in 0..<n {
                    let verb = g.pick(ResolutionGrammar.verbs)
                    let object = g.pick(ResolutionGrammar.objects)
                    let tail = g.pick(["с учётом результатов оценочных процедур", "в соответствии с рекомендациями методических служб", "во взаимодействии с родительской общественностью"])
                    let own: ResolutionGrammar.Phrase? = g.chance(0.5) ? g.pick(ResolutionGrammar.phrases) : nil
                    let whole = "\(verb) \(object) \(tail)" + (own.map { " " + $0.trailing } ?? "")
                    let end = i == n - 1 ? (whole.hasSuffix(".") ? "" : ".") : ";"
                    if g.chance(0.6) {
                        // Wrapped: the sentence breaks after any word but the first, the rest starts in lower case.
                        let words = (whole + end).split(separator: " ").map(String.init)
                        let cut = g.count(1...(words.count - 1))
                        paragraphs.append(markers[i] + " " + words[..<cut].joined(separator: " "))
                        paragraphs.append(words[cut...].joined(separator: " "))
                    } else {
                        paragraphs.append(markers[i] + " " + whole + end)
                    }
                    tasks.append(.init(starts: whole, deadline: own?.deadline))
                }
            }
            if g.chance(0.5) { paragraphs.append("Контроль за исполнением решения возложить на заместителя главы администрации района.") }
            // Paragraphs apart, one a line, or hard-wrapped at a narrow width as from a PDF.
            switch g.count(0...2) {
            case 0: return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
            case 1: return .init(text: paragraphs.joined(separator: "\n") + "\n", tasks: tasks)
            default: return .init(text: StructureTests.hardWrapped(ResolutionGrammar.join(paragraphs), width: g.count(50...90), pageLines: 10_000), tasks: tasks)
            }
        }
    }

    /// Class 7: a section title that names its tasks and a deadline (`II. Задачи, подлежащие исполнению до 1
    /// марта 2024 года`, `III. Задачи на 2022/2023 учебный год`, `Задачи, исполняемые на постоянной основе`) gives
    /// that deadline to every task under it without its own, up to the next title; a `Срок:` line after a
    /// group's last item wins over it for that group; a title without a deadline gives none.
    @Test func sectionTitleDeadlineCoversItsTasksAndAGroupLineWinsForItsGroup() {
        Self.run(7007) { g in
            let dated = ResolutionGrammar.phrases.filter {
                if case .recurring = $0.deadline { return false }
                return !$0.trailing.hasPrefix("с ")
            }
            let yearTitles: [(String, Deadline)] = [
                ("Задачи на 2022/2023 учебный год", .period(from: "2022-09-01", to: "2023-08-31")),
                ("Задачи на 2022 год", .period(from: "2022-01-01", to: "2022-12-31")),
                ("Задачи, исполняемые на постоянной основе", .recurring(every: "continuous")),
                ("Мероприятия, проводимые ежеквартально", .recurring(every: "quarter")),
                ("Поручения на 2022-2023 учебный год", .period(from: "2022-09-01", to: "2023-08-31")),
            ]
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            let romans = ["I", "II", "III", "IV"]
            var number = 1
            // Titles numbered throughout or not at all; a title in lower case without a number must name tasks (spec §3).
            let numbered = g.chance(0.7)
            for t in 0..<g.count(1...3) {
                var title: String, shared: Deadline?
                switch g.count(0...(numbered ? 3 : 2)) {
                case 0:
                    let p = g.pick(dated)
                    (title, shared) = (g.pick(["Задачи, подлежащие исполнению ", "Задачи, исполняемые ", "Поручения со сроком исполнения "]) + p.trailing, p.deadline)
                case 1, 2: (title, shared) = g.pick(yearTitles)
                default: (title, shared) = (g.pick(["Развитие кадрового потенциала", "Воспитание и дополнительное образование"]), nil)
                }
                paragraphs.append((numbered ? romans[t] + ". " : "") + title)
                for _ in 0..<g.count(1...2) {
                    let addressee = g.pick(ResolutionGrammar.addressees)
                    paragraphs.append("\(number). \(addressee):")
                    let n = g.count(2...4)
                    let groupLine: ResolutionGrammar.Phrase? = g.chance(0.3) ? g.pick(dated) : nil
                    for i in 0..<n {
                        let text = g.directive().lowercased()
                        // Own phrases only before the last item, so that a group line is plainly the group's.
                        let own: ResolutionGrammar.Phrase? = i < n - 1 && g.chance(0.25) ? g.pick(dated) : nil
                        paragraphs.append("\(number).\(i + 1). " + ResolutionGrammar.sentence(text + (own.map { " " + $0.trailing } ?? ""), last: i == n - 1))
                        tasks.append(.init(starts: text, deadline: own?.deadline ?? groupLine?.deadline ?? shared))
                    }
                    if let groupLine { paragraphs.append("Срок: " + groupLine.trailing + ".") }
                    number += 1
                }
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 8: a deadline line after a group's last item — `Срок – …`, `Доклад – …`, `Отчёт – …` — goes to every
    /// item of the group without a deadline of its own; the last item keeps its own phrase; a line that names its
    /// sub-item (`(по подпункту «б»)`) is that sub-item's only; `Доклад – до X, далее – ежеквартально` is X.
    @Test func groupLineGoesToTheItemsWithoutTheirOwnDeadline() {
        Self.run(8008) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            let letters = ["а", "б", "в", "г", "д"]
            for group in 0..<g.count(1...3) {
                paragraphs.append("\(group + 1). " + g.pick(ResolutionGrammar.addressees) + ":")
                let n = g.count(2...5)
                var line: String, value: Deadline
                let p = g.pick(ResolutionGrammar.phrases)
                switch g.count(0...3) {
                case 0: (line, value) = (g.pick(["Доклад – ", "Доклад: ", "Отчёт – ", "Отчет – "]) + p.trailing, p.deadline)
                case 1: (line, value) = ("Доклад – до 1 декабря 2021 г., далее – " + g.pick(["ежеквартально", "ежемесячно", "один раз в полугодие"]), .date("2021-12-01"))
                default: (line, value) = (g.pick(ResolutionGrammar.lineLabels) + p.trailing, p.deadline)
                }
                let namesLast = g.chance(0.2)
                if namesLast { line += " (по подпункту «\(letters[n - 1])»)" }
                var owns: [Deadline?] = []
                for i in 0..<n {
                    let text = g.directive().lowercased()
                    let own: ResolutionGrammar.Phrase? = g.chance(0.35) ? g.pick(ResolutionGrammar.phrases) : nil
                    paragraphs.append("\(letters[i])) " + ResolutionGrammar.sentence(text + (own.map { " " + $0.trailing } ?? ""), last: i == n - 1))
                    tasks.append(.init(starts: text, deadline: own?.deadline))
                    owns.append(own?.deadline)
                }
                paragraphs.append(line + ".")
                if g.chance(0.4) { paragraphs.append(g.pick(["Ответственные: ", "Ответственный: ", "Ответственная: "]) + g.pick(ResolutionGrammar.people)) }
                let first = tasks.count - n
                let takers = (0..<(n - 1)).filter { owns[$0] == nil }
                if namesLast || takers.isEmpty {
                    tasks[first + n - 1].deadline = value
                } else {
                    for i in takers { tasks[first + i].deadline = value }
                    tasks[first + n - 1].deadline = owns[n - 1] ?? value
                }
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 9: when nobody is addressed (a protocol's `РЕШИЛИ:` items, a plan of measures), the first body
    /// after `Ответственные:` with a known level gives the task's level, and a person named alone the level of
    /// the body named with them in parentheses elsewhere; a numbered item with its own `Срок:` and
    /// `Ответственные:` lines is a task whatever its first word; a numbered line in capitals (`4. РАЗНОЕ.`) is
    /// not a task.
    @Test func responsibleBodiesGiveTheLevelWhenNobodyIsAddressed() {
        Self.run(9009) { g in
            let protocolStyle = g.chance(0.5)
            var paragraphs = protocolStyle ? ["ПРОТОКОЛ № 3", "совещания руководителей общеобразовательных организаций Энского района", "26 августа 2021 года"]
                : ["ПЛАН", "мероприятий по подготовке к государственной итоговой аттестации в Энском районе", "26 августа 2021 года"]
            var tasks: [ResolutionGrammar.Task] = []
            // People introduced with their body somewhere in the document, then named alone.
            var known: [(String, TaskLevel)] = []
            let bodies = ResolutionGrammar.responsibleBodies
            for section in 1...g.count(1...3) {
                if protocolStyle {
                    paragraphs.append(g.chance(0.3) ? "\(section). РАЗНОЕ." : "\(section). СЛУШАЛИ:")
                    paragraphs.append("Информацию специалиста управления образования о ходе подготовки к экзаменам.")
                    paragraphs.append("РЕШИЛИ:")
                } else if g.chance(0.5) {
                    paragraphs.append("\(section). " + g.pick(["Организационные мероприятия", "Работа с педагогическими кадрами", "Информационное сопровождение"]))
                }
                for i in 1...g.count(2...4) {
                    var text: String, expected: Deadline?
                    if protocolStyle && g.chance(0.5) {
                        // `До 1 марта провести …`: the item opens with its deadline.
                        let lead = g.pick(ResolutionGrammar.phrases)
                        (text, expected) = (lead.leading + " " + g.directive().lowercased(), lead.deadline)
                    } else {
                        text = protocolStyle ? g.directive() : g.pick(ResolutionGrammar.rowNouns) + " " + g.pick(ResolutionGrammar.rowObjects)
                    }
                    paragraphs.append("\(section).\(i). " + text + ".")
                    if !protocolStyle || expected == nil && g.chance(0.5) {
                        let line = g.pick(ResolutionGrammar.phrases)
                        paragraphs.append("Срок: " + line.trailing + ".")
                        expected = line.deadline
                    }
                    // Bodies, a body with a person, or a person alone whose body the document names elsewhere.
                    var printed: [String], level: TaskLevel
                    if g.chance(0.3), !known.isEmpty {
                        let person = g.pick(known)
                        (printed, level) = ([person.0], person.1)
                    } else {
                        let named = (0..<g.count(1...2)).map { _ in g.pick(bodies) }
                        (printed, level) = (named.map(\.0), named[0].1)
                        if g.chance(0.3), let person = ResolutionGrammar.people.first(where: { p in !known.contains { $0.0 == p } }) {
                            printed[0] += " (\(person))"
                            known.append((person, named[0].1))
                        }
                    }
                    paragraphs.append((printed.count == 1 && g.chance(0.5) ? "Ответственный: " : "Ответственные: ") + printed.joined(separator: ", ") + ".")
                    tasks.append(.init(starts: text, deadline: expected, addressees: [], level: level))
                }
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 10: levels of addressee groups named by bodies other than schools and authorities: municipal
    /// institutions (`МАУ`, `МБУ`), heads of municipal administrations, federal and public bodies (`other`).
    @Test func institutionsAndFederalOrPublicBodiesHaveTheirLevels() {
        Self.run(10010) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            for group in 1...g.count(1...3) {
                let (addressee, level) = g.pick(ResolutionGrammar.addresseeLevels)
                paragraphs.append("\(group). \(addressee):")
                let n = g.count(1...3)
                for i in 1...n {
                    let text = g.chance(0.5) ? g.actionNoun() : g.directive()
                    paragraphs.append("\(group).\(i). " + ResolutionGrammar.sentence(text, last: i == n))
                    tasks.append(.init(starts: text, deadline: nil, level: level))
                }
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 11: a closing parenthesis that holds only a deadline (`(ноябрь – декабрь 2021 года)`,
    /// `(ежеквартально)`) is the task's deadline, a range of years alone (`(2021–2025 гг.)`) is not; staged
    /// targets may open with `до конца 2021 года`.
    @Test func aClosingParenthesisDeadlineAndYearEndStages() {
        Self.run(11011) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            let parenthesised: [(String, Deadline?)] = [
                ("(ноябрь – декабрь 2021 года)", .period(from: "2021-11-01", to: "2021-12-31")),
                ("(сентябрь 2021 г.)", .period(from: "2021-09-01", to: "2021-09-30")),
                ("(ежеквартально)", .recurring(every: "quarter")),
                ("(до 15.11.2021)", .date("2021-11-15")),
                ("(в течение 2021/2022 учебного года)", ResolutionGrammar.academic),
                ("в рамках программы развития образования (2021–2025 гг.)", nil),
            ]
            let n = g.count(2...5)
            for i in 1...n {
                let text = g.directive()
                var whole = text, deadline: Deadline?
                if g.chance(0.6) {
                    let (tail, d) = g.pick(parenthesised)
                    whole += " " + tail
                    deadline = d
                } else {
                    let first = g.count(30...60), second = g.count(70...100)
                    whole += ": до конца 2021 года — \(first)% обучающихся, до конца 2022 года — \(second)%"
                    deadline = .staged([Stage(date: "2021-12-31", target: "\(first)% обучающихся"), Stage(date: "2022-12-31", target: "\(second)%")])
                }
                paragraphs.append("\(i). " + ResolutionGrammar.sentence(whole, last: i == n))
                tasks.append(.init(starts: text, deadline: deadline))
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 12 (spec §2): the heading of a plan, a list of instructions or a protocol — after an approval stamp
    /// (`УТВЕРЖДЕН приказом … от … № 12`) or not, with a place and date line ending in `г.` — gives the kind word
    /// of its first line, the document's own numbered date over the date of the meeting it follows, and a
    /// republic's name of two words as the place.
    @Test func headingsOfPlansInstructionsAndProtocols() {
        var failures: [String] = []
        for i in 0..<Self.cases {
            var g = ResolutionGrammar(seed: 12012 &+ UInt64(i) &* 7919)
            var lines: [String] = []
            let stamped = g.chance(0.4)
            if stamped {
                lines += ["УТВЕРЖДЕН", "приказом управления образования администрации Энского района", "от 10.01.2024 № 12"]
            }
            let (kindLine, kind) = g.pick([("ПЛАН", "план"), ("ПЕРЕЧЕНЬ ПОРУЧЕНИЙ", "перечень"), ("ПРОТОКОЛ № 3", "протокол"),
                                           ("РЕШЕНИЕ", "решение"), ("План", "план")])
            lines.append(kindLine)
            let (place, printedPlace) = g.pick([("Республики Марий Эл", "Республики Марий Эл"), ("Энского района", "Энского района"),
                                                ("Энского городского округа", "Энского городского округа")])
            var (day, iso) = g.pick([("15 января 2024", "2024-01-15"), ("20 сентября 2022", "2022-09-20"), ("3 марта 2023", "2023-03-03")])
            let meeting = g.chance(0.5)
            let bodyLine = g.pick(["совещания руководителей образовательных организаций ", "мероприятий по подготовке к экзаменам в ", "Главы "])
            lines.append(bodyLine + place
                         + (meeting ? ", состоявшегося 2 " + g.pick(["января", "февраля"]) + " 2022 года" : ""))
            let dateLine = (g.chance(0.5) ? "г. Энск   " : "") + day + " г." + (meeting || g.chance(0.5) ? " № 14-П" : "")
            // A plan without a date of its own is dated by its approval stamp.
            if stamped && !meeting && g.chance(0.5) { iso = "2024-01-10" } else { lines.append(dateLine) }
            lines += ["РЕШИЛИ:", "1. Обеспечить работу по сопровождению молодых педагогов."]
            // One a line only with the kind in capitals: a mixed-case `План` under a stamp line reads as going on from it.
            let text = kindLine.uppercased() == kindLine && g.chance(0.5) ? lines.joined(separator: "\n") + "\n" : ResolutionGrammar.join(lines)
            let d = ResolutionReader.parse(text: text).document
            // The body runs from the words after the kind word and its number.
            let bodyStarts = Scoring.normalize(d.body).hasPrefix(Scoring.normalize(kindLine.dropFirst(kindLine.hasPrefix("ПЕРЕЧЕНЬ") ? 9 : kindLine.count) + " " + bodyLine))
            if d.kind != kind || d.date != iso || !Scoring.normalize(d.place).contains(Scoring.normalize(printedPlace)) || !bodyStarts {
                failures.append("— case \(i): expected \(kind), \(iso), \(printedPlace); got \(d.kind), \(d.date), \(d.place), body «\(d.body)»\n--- document ---\n\(text)--- end ---")
                if failures.count >= 3 { break }
            }
        }
        if !failures.isEmpty { print(failures.joined(separator: "\n\n")) }
        #expect(failures.isEmpty)
    }

    /// Where a class's phrase stands: trailing the task's sentence, opening it, on a `Срок:` line after it, in a
    /// labelled parenthesis (`(срок – …)`), or (when `parenthesis`) in a closing parenthesis of its own.
    static func placed(_ phrase: String, _ deadline: Deadline?, marker: String, last: Bool,
                       positions: [Int], g: inout ResolutionGrammar) -> (paragraphs: [String], starts: String) {
        let verb = g.pick(ResolutionGrammar.verbs), object = g.pick(ResolutionGrammar.objects)
        switch g.pick(positions) {
        case 0:
            let text = "\(verb) \(object) \(phrase)"
            return ([marker + " " + ResolutionGrammar.sentence(text, last: last)], "\(verb) \(object)")
        case 1:
            let text = phrase.prefix(1).uppercased() + phrase.dropFirst() + " " + verb.lowercased() + " " + object
            return ([marker + " " + ResolutionGrammar.sentence(text, last: last)], text)
        case 2:
            let text = "\(verb) \(object)"
            return ([marker + " " + ResolutionGrammar.sentence(text, last: true), g.pick(ResolutionGrammar.lineLabels) + phrase + (phrase.hasSuffix(".") ? "" : ".")], text)
        case 3:
            let text = "\(verb) \(object)"
            return ([marker + " " + ResolutionGrammar.sentence(text + " (" + g.pick(["срок – ", "срок: ", "срок исполнения – "]) + phrase + ")", last: last)], text)
        default:
            let text = "\(verb) \(object)"
            return ([marker + " " + ResolutionGrammar.sentence(text + " (" + phrase + ")", last: last)], text)
        }
    }

    /// Class 13 (spec §4): months listed for rounds of the same work (`октябрь 2021 г., март 2022 г.`) are one
    /// period, first month to last; a half of an academic year (`во II полугодии 2021/2022 учебного года`, `в
    /// течение первого полугодия учебного года`) is a period from 1 September to 31 December or from 1 January
    /// to 31 August, and `до конца первого полугодия …` its last day.
    @Test func listedMonthsAndHalvesOfAnAcademicYearArePeriods() {
        let lists: [(String, Deadline)] = [
            ("октябрь 2021 г., март 2022 г.", .period(from: "2021-10-01", to: "2022-03-31")),
            ("сентябрь 2021 г., январь 2022 г., апрель 2022 г.", .period(from: "2021-09-01", to: "2022-04-30")),
            ("ноябрь 2021 года и февраль 2022 года", .period(from: "2021-11-01", to: "2022-02-28")),
            ("декабрь 2021 г.; май 2022 г.", .period(from: "2021-12-01", to: "2022-05-31")),
            ("февраль 2022 года, апрель 2022 года", .period(from: "2022-02-01", to: "2022-04-30")),
        ]
        let first = Deadline.period(from: "2021-09-01", to: "2021-12-31"), second = Deadline.period(from: "2022-01-01", to: "2022-08-31")
        let halves: [(String, Deadline)] = [
            ("в I полугодии 2021/2022 учебного года", first), ("во II полугодии 2021/2022 учебного года", second),
            ("в течение второго полугодия 2021/2022 учебного года", second), ("в первом полугодии 2021-2022 учебного года", first),
            ("во втором полугодии учебного года", second), ("в течение первого полугодия учебного года", first),
            ("до конца первого полугодия 2021/2022 учебного года", .date("2021-12-31")),
            ("к концу второго полугодия учебного года", .date("2022-08-31")),
            ("до конца I полугодия 2022 года", .date("2022-06-30")),
        ]
        Self.run(13013) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            let n = g.count(2...6)
            let markers = (1...n).map { "\($0)." }
            for i in 0..<n {
                // Lists stand on their own (a line, a parenthesis); halves anywhere in the sentence too.
                let list = g.chance(0.5)
                let (phrase, deadline) = list ? g.pick(lists) : g.pick(halves)
                let placed = Self.placed(phrase, deadline, marker: markers[i], last: i == n - 1,
                                         positions: list ? [2, 3, 4] : [0, 1, 2, 3], g: &g)
                paragraphs += placed.paragraphs
                tasks.append(.init(starts: placed.starts, deadline: deadline))
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 14 (spec §4): frequencies (`не реже одного раза в месяц`, `не реже 2 раз в месяц`, `раз в
    /// четверть`) are recurring by their unit; a recurrence right before a date (`Ежегодно, до 1 октября`) is
    /// recurring; stages named before their dates without targets (`первый этап – до …, итоговый отчёт – до …`)
    /// give the last date; no time set (`по мере необходимости`, `в течение 10 дней после …`) is no deadline.
    @Test func frequenciesNamedStagesAndNoTimeSet() {
        let frequencies: [(String, Deadline)] = [
            ("не реже одного раза в месяц", .recurring(every: "month")), ("не реже 2 раз в месяц", .recurring(every: "month")),
            ("не реже одного раза в четверть", .recurring(every: "quarter")), ("раз в четверть", .recurring(every: "quarter")),
            ("не реже одного раза в неделю", .recurring(every: "week")), ("не реже одного раза в полугодие", .recurring(every: "half-year")),
            ("не реже одного раза в год", .recurring(every: "year")), ("два раза в год", .recurring(every: "half-year")),
            ("не реже трёх раз в месяц", .recurring(every: "month")),
        ]
        let before: [(String, Deadline)] = [
            ("ежегодно, до 1 октября", .recurring(every: "year")), ("ежеквартально, до 10.10.2021", .recurring(every: "quarter")),
            ("ежемесячно до 5 числа", .recurring(every: "month")), ("ежегодно до 15 сентября", .recurring(every: "year")),
        ]
        let stages: [(String, Deadline)] = [
            ("первый этап – до 01.03.2022, итоговый отчёт – до 30.05.2022", .date("2022-05-30")),
            ("I этап – до 1 декабря 2021 года, II этап – до 1 марта 2022 года", .date("2022-03-01")),
            ("промежуточный отчёт – до 15.12.2021; итоговый отчёт – до 15.05.2022", .date("2022-05-15")),
            ("первый этап – 01.02.2022, второй этап – 01.04.2022", .date("2022-04-01")),
        ]
        let none: [(String, Deadline?)] = [
            ("по мере необходимости", nil), ("по мере поступления документов", nil),
            ("в течение 10 дней после проведения пробного экзамена", nil), ("в течение 3 рабочих дней после получения результатов", nil),
            ("до 25.10.2021, далее – по мере поступления документов", .date("2021-10-25")),
        ]
        Self.run(14014) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            let n = g.count(2...6)
            let markers = (1...n).map { "\($0)." }
            for i in 0..<n {
                let placed: (paragraphs: [String], starts: String), deadline: Deadline?
                switch g.count(0...3) {
                case 0:
                    let (p, d) = g.pick(frequencies)
                    placed = Self.placed(p, d, marker: markers[i], last: i == n - 1, positions: [0, 1, 2, 3, 4], g: &g)
                    deadline = d
                case 1:
                    let (p, d) = g.pick(before)
                    placed = Self.placed(p, d, marker: markers[i], last: i == n - 1, positions: [1, 2, 3], g: &g)
                    deadline = d
                case 2:
                    let (p, d) = g.pick(stages)
                    placed = Self.placed(p, d, marker: markers[i], last: i == n - 1, positions: [2], g: &g)
                    deadline = d
                default:
                    let (p, d) = g.pick(none)
                    placed = Self.placed(p, d, marker: markers[i], last: i == n - 1, positions: [2, 3], g: &g)
                    deadline = d
                }
                paragraphs += placed.paragraphs
                tasks.append(.init(starts: placed.starts, deadline: deadline))
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 16 (spec §4): a report due after each period (`в срок до 20 числа месяца, следующего за
    /// отчётным кварталом`) recurs with that period; `незамедлительно` is the document's date for a
    /// one-off action and a standing duty for one that arises with each case; `в двухнедельный срок` is
    /// the document's date plus the term, and no deadline when counted from an undated event; the day
    /// an event `состоится` on is the task's date. Documents are dated 26 August 2021.
    @Test func reportRoundsAtOnceTermsAndEventDays() {
        let phrases: [(String, Deadline?)] = [
            ("в срок до 20 числа месяца, следующего за отчётным кварталом", .recurring(every: "quarter")),
            ("до 5 числа месяца, следующего за отчётным месяцем", .recurring(every: "month")),
            ("не позднее 15 числа месяца, следующего за отчётным годом", .recurring(every: "year")),
            ("в двухнедельный срок", .date("2021-09-09")), ("в недельный срок", .date("2021-09-02")),
            ("в десятидневный срок", .date("2021-09-05")), ("в трёхдневный срок", .date("2021-08-29")),
            ("в месячный срок", .date("2021-09-26")),
            ("в двухнедельный срок с момента поступления запроса", nil), ("в десятидневный срок со дня получения обращения", nil),
        ]
        let events = ["в семинаре «Функциональная грамотность», который состоится 15.09.2021",
                      "в совещании руководителей, которое пройдёт 1 октября 2021 года",
                      "в вебинаре по вопросам наставничества, который состоится 12 ноября 2021 г. в 10:00"]
        let eventDays: [Deadline] = [.date("2021-09-15"), .date("2021-10-01"), .date("2021-11-12")]
        Self.run(16016) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            let n = g.count(2...6)
            for i in 0..<n {
                let marker = "\(i + 1).", last = i == n - 1
                switch g.count(0...3) {
                case 0:
                    let (p, d) = g.pick(phrases)
                    let placed = Self.placed(p, d, marker: marker, last: last, positions: [0, 1], g: &g)
                    paragraphs += placed.paragraphs
                    tasks.append(.init(starts: placed.starts, deadline: d))
                case 1:
                    let text = "Незамедлительно " + g.pick(["довести настоящее решение до сведения педагогов", "направить сведения в управление образования", "назначить ответственных за организацию работы"])
                    paragraphs.append(marker + " " + ResolutionGrammar.sentence(text, last: last))
                    tasks.append(.init(starts: text, deadline: .date("2021-08-26")))
                case 2:
                    let text = "Незамедлительно информировать управление образования о каждом случае " + g.pick(["травмирования обучающихся", "самовольного ухода обучающегося из школы", "выявления нарушений"])
                    paragraphs.append(marker + " " + ResolutionGrammar.sentence(text, last: last))
                    tasks.append(.init(starts: text, deadline: .recurring(every: "continuous")))
                default:
                    let k = g.count(0...2)
                    let text = "Обеспечить участие педагогов " + events[k]
                    paragraphs.append(marker + " " + ResolutionGrammar.sentence(text, last: last))
                    tasks.append(.init(starts: "Обеспечить участие педагогов", deadline: eventDays[k]))
                }
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 15 (spec §3): a head's order (`ПРИКАЗ`, `ПРИКАЗЫВАЮ:`): `Утвердить …` and `Назначить …` naming nobody
    /// are done by signing it, not tasks (under an addressee they are); staff addressed by post and name give
    /// their sub-items school level; an item split by its own deadlines keeps its addressee in both tasks;
    /// schools named by quoted names after `Рекомендовать директорам` are addressees however long the names;
    /// `Контроль за исполнением приказа оставляю за собой` is no task.
    @Test func anOrdersItemsAddresseesAndSelfExecutingItems() {
        let posts = ["Заместителю директора по УВР Петровой А.И.", "Заместителю директора по воспитательной работе Орловой Т.С.",
                     "Руководителям школьных методических объединений", "Учителям-предметникам, работающим в 9-х классах",
                     "Классным руководителям 11-х классов", "Педагогу-психологу Никитиной О.В.", "Учителю информатики Андреевой К.Ю."]
        let schools = ["МБОУ «СОШ № 3 г. Энска»", "МОУ «ООШ с. Заречье»", "МАОУ «Лицей № 2 имени А.С. Пушкина»", "МБОУ «СОШ с. Нижнее Поле»"]
        Self.run(15015) { g in
            var paragraphs = ["Муниципальное бюджетное общеобразовательное учреждение", "«Средняя общеобразовательная школа № 5» г. Энска",
                              "ПРИКАЗ", "26.08.2021 № 214-о", "О подготовке к государственной итоговой аттестации",
                              "В соответствии с Федеральным законом от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации», в целях качественной подготовки обучающихся к государственной итоговой аттестации в 2022 году",
                              g.pick(["ПРИКАЗЫВАЮ:", "П Р И К А З Ы В А Ю:", "приказываю:"])]
            var tasks: [ResolutionGrammar.Task] = []
            var number = 0
            func next() -> Int { number += 1; return number }
            // Self-executing items first, in any order.
            for _ in 0..<g.count(0...2) {
                paragraphs.append("\(next()). " + g.pick(["Утвердить план мероприятий по подготовке к государственной итоговой аттестации (приложение 1).",
                                                       "Назначить ответственным за организацию подготовки к экзаменам заместителя директора по УВР Петрову А.И.",
                                                       "Утвердить состав рабочей группы по введению обновлённых ФГОС (приложение 2).",
                                                       "Назначить координатором работы по наставничеству учителя математики Кузьмина Д.А."]))
            }
            for _ in 0..<g.count(1...3) {
                let n = next()
                switch g.count(0...3) {
                case 0:
                    // A staff group with sub-items and their `Срок:` lines.
                    let post = g.pick(posts)
                    paragraphs.append("\(n). \(post):")
                    let addressees = Addressees.split(post)
                    for i in 1...g.count(1...3) {
                        let verb = g.pick(ResolutionGrammar.verbs), object = g.pick(ResolutionGrammar.objects)
                        let text = i == 1 && g.chance(0.3) ? "Назначить ответственных за \(object)" : "\(verb) \(object)"
                        let phrase = g.pick(ResolutionGrammar.phrases)
                        paragraphs += ["\(n).\(i). \(text).", "Срок: " + phrase.trailing + "."]
                        tasks.append(.init(starts: text, deadline: phrase.deadline, addressees: addressees, level: .school))
                    }
                case 1:
                    // One item, two directives with their own deadlines: both the addressee's.
                    let post = g.pick(posts.filter { !$0.contains(",") })
                    let (a, b) = (g.pick(ResolutionGrammar.phrases), g.pick(ResolutionGrammar.phrases))
                    let first = "\(post) \(g.pick(ResolutionGrammar.verbs).lowercased()) \(g.pick(ResolutionGrammar.objects))"
                    let second = "\(g.pick(ResolutionGrammar.verbs).lowercased()) \(g.pick(ResolutionGrammar.objects))"
                    paragraphs.append("\(n). \(first) \(a.trailing); \(second) \(b.trailing).")
                    tasks.append(.init(starts: first, deadline: a.deadline, addressees: [post], level: .school))
                    tasks.append(.init(starts: second, deadline: b.deadline, addressees: [post], level: .school))
                case 2:
                    // Schools by their quoted names.
                    var named = schools
                    named.shuffle(using: &g.rng)
                    named = Array(named.prefix(g.count(2...4)))
                    let text = "Рекомендовать директорам " + named.joined(separator: ", ") + " " + g.directive().lowercased()
                    let phrase = g.pick(ResolutionGrammar.phrases)
                    paragraphs += ["\(n). \(text).", "Срок исполнения: " + phrase.trailing + "."]
                    tasks.append(.init(starts: text, deadline: phrase.deadline, addressees: ["директорам " + named[0]] + named.dropFirst(), level: .school))
                default:
                    // A post and a name opening the item.
                    let post = g.pick(posts.filter { !$0.contains(",") })
                    let text = "\(post) \(g.pick(ResolutionGrammar.verbs).lowercased()) \(g.pick(ResolutionGrammar.objects))"
                    let phrase = g.pick(ResolutionGrammar.phrases)
                    paragraphs += ["\(n). \(text).", "Срок: " + phrase.trailing + "."]
                    tasks.append(.init(starts: text, deadline: phrase.deadline, addressees: [post], level: .school))
                }
            }
            paragraphs.append("\(next()). " + g.pick(["Контроль за исполнением приказа оставляю за собой.", "Контроль за исполнением настоящего приказа оставляю за собой."]))
            paragraphs += ["Директор школы С.Н. Ковалёв", "С приказом ознакомлены:"]
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 17 (spec §4): quarters as a range (`во II–III кварталах 2022 года`) and listed for rounds
    /// (`Срок: I квартал 2022 г., IV квартал 2022 г.`) are one period; an event's day ending the sentence
    /// with its year is the task's date; `в период с … по …` is that period; a year wholly before the
    /// document's date (`нарушения, выявленные в 2020 году`) is the past, no deadline.
    @Test func quarterRangesEventDaysPeriodsAndThePast() {
        Self.run(17017) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            let n = g.count(2...6)
            for i in 0..<n {
                let marker = "\(i + 1).", last = i == n - 1
                switch g.count(0...4) {
                case 0:
                    let text = g.directive() + " " + g.pick(["во II–III кварталах 2022 года", "во II-III кварталах 2022 г.", "в III – IV кварталах 2022 года"])
                    let deadline: Deadline = text.contains("IV") ? .period(from: "2022-07-01", to: "2022-12-31") : .period(from: "2022-04-01", to: "2022-09-30")
                    paragraphs.append(marker + " " + ResolutionGrammar.sentence(text, last: last))
                    tasks.append(.init(starts: String(text.prefix(20)), deadline: deadline))
                case 1:
                    let text = g.directive()
                    paragraphs.append(marker + " " + ResolutionGrammar.sentence(text, last: last))
                    paragraphs.append(g.pick(["Срок: I квартал 2022 г., IV квартал 2022 г.", "Срок: II–III кварталы 2022 г.", "Срок исполнения: I квартал 2022 года и III квартал 2022 года"]))
                    let line = paragraphs[paragraphs.count - 1]
                    let deadline: Deadline = line.contains("IV") ? .period(from: "2022-01-01", to: "2022-12-31")
                        : line.contains("II–III") ? .period(from: "2022-04-01", to: "2022-09-30") : .period(from: "2022-01-01", to: "2022-09-30")
                    tasks.append(.init(starts: text, deadline: deadline))
                case 2:
                    let text = g.pick(["Провести совещание руководителей образовательных организаций", "Организовать семинар для заместителей директоров"])
                        + " " + g.pick(["«Новые ориентиры» ", ""]) + g.pick(["27 сентября 2021 года", "27.09.2021"])
                    paragraphs.append(marker + " " + ResolutionGrammar.sentence(text, last: last))
                    tasks.append(.init(starts: String(text.prefix(30)), deadline: .date("2021-09-27")))
                case 3:
                    let text = g.directive() + " в период с 20 сентября по 10 октября 2021 года"
                    paragraphs.append(marker + " " + ResolutionGrammar.sentence(text, last: last))
                    tasks.append(.init(starts: String(text.prefix(20)), deadline: .period(from: "2021-09-20", to: "2021-10-10")))
                default:
                    let text = g.pick(["Устранить нарушения, выявленные в ходе проверок в 2020 году", "Учесть замечания, высказанные на коллегии в 2019 году"])
                    paragraphs.append(marker + " " + ResolutionGrammar.sentence(text, last: last))
                    tasks.append(.init(starts: String(text.prefix(20)), deadline: nil))
                }
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 18 (spec §1, §3, §4): a plan table saved as delimited text whose heading row names its
    /// columns (`№ п/п; Содержание работы; Форма проведения; Сроки; Ответственные`): every numbered row is
    /// a task whatever its first word, read by those columns; a row with an empty deadline cell takes the
    /// date of the meeting row above it (`Заседание № 2 (ноябрь 2021 г.)`), even when its words name the
    /// year or school year it is about.
    @Test func meetingRowsDateTheAgendaRowsUnderThem() {
        var failures: [String] = []
        for i in 0..<Self.cases {
            var g = ResolutionGrammar(seed: 18018 &+ UInt64(i) &* 7919)
            var tasks: [ResolutionGrammar.Task] = []
            let d = g.chance(0.6) ? ";" : "\t"
            var saved = "ПЛАН РАБОТЫ" + String(repeating: d, count: 4) + "\nметодического объединения на 2021/2022 учебный год" + String(repeating: d, count: 4) + "\n"
                + "26 августа 2021 года" + String(repeating: d, count: 4) + "\n"
            saved += ["№ п/п", "Содержание работы", "Форма проведения", g.pick(["Сроки", "Срок", "Срок проведения"]), "Ответственные"].joined(separator: d) + "\n"
            let meetings: [(String, Deadline)] = [("28 августа 2021 г.", .date("2021-08-28")), ("ноябрь 2021 г.", .period(from: "2021-11-01", to: "2021-11-30")),
                                                  ("март 2022 г.", .period(from: "2022-03-01", to: "2022-03-31")), ("май 2022 г.", .period(from: "2022-05-01", to: "2022-05-31"))]
            for (m, meeting) in meetings.prefix(g.count(1...4)).enumerated() {
                saved += d + "Заседание № \(m + 1) (\(meeting.0))" + String(repeating: d, count: 3) + "\n"
                if g.chance(0.5) { saved += d + "Тема: «Итоги и задачи»" + String(repeating: d, count: 3) + "\n" }
                for r in 0..<g.count(2...3) {   // a table has three rows or more (spec §1)
                    var text = g.actionNoun()
                    if g.chance(0.3) { text += g.pick([" в 2021 году", " на 2021/2022 учебный год"]) }
                    let own = g.chance(0.25) ? g.pick(ResolutionGrammar.phrases.filter { $0.trailing.hasPrefix("до ") }) : nil
                    let form = g.pick(["доклад", "обсуждение", "мастер-класс"]), who = g.pick(ResolutionGrammar.addressees)
                    let cells: [String] = ["\(m + 1).\(r + 1).", text, form, own?.trailing ?? "", who]
                    saved += cells.joined(separator: d) + "\n"
                    tasks.append(.init(starts: text, deadline: own?.deadline ?? meeting.1))
                }
            }
            if let problem = ResolutionGrammar.check(.init(text: saved, tasks: tasks)) {
                failures.append("— case \(i): \(problem)\n--- document ---\n\(saved)--- end ---")
                if failures.count >= 3 { break }
            }
        }
        if !failures.isEmpty { print(failures.joined(separator: "\n\n")) }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }

    /// Class 19 (spec §4, "Deadlines in words"): the coming academic year, its start and end, summer, named days,
    /// terms in digits and counted from signing, a quarter of the next year, report rounds without the period's
    /// noun, days and months without a year, an event's day with its hour; school terms and winter holidays give
    /// none. The document is dated Thursday 26 August 2021.
    @Test func deadlinesInWords() {
        let phrases: [(String, Deadline?)] = [
            ("к новому учебному году", .date("2021-09-01")), ("к началу нового учебного года", .date("2021-09-01")),
            ("в новом учебном году", .period(from: "2021-09-01", to: "2022-08-31")),
            ("в предстоящем учебном году", .period(from: "2021-09-01", to: "2022-08-31")),
            ("в начале учебного года", .period(from: "2021-09-01", to: "2021-09-30")),
            ("в конце учебного года", .date("2022-08-31")), ("по итогам учебного года", .date("2022-08-31")),
            ("летом 2022 года", .period(from: "2022-06-01", to: "2022-08-31")),
            ("в летний период", .period(from: "2021-06-01", to: "2021-08-31")),
            ("в период летней оздоровительной кампании 2022 года", .period(from: "2022-06-01", to: "2022-08-31")),
            ("к Дню знаний", .date("2021-09-01")), ("ко Дню учителя", .date("2021-10-05")),
            ("к Новому году", .date("2021-12-31")), ("к Дню Победы", .date("2022-05-09")),
            ("в 10-дневный срок", .date("2021-09-05")), ("в 3-дневный срок", .date("2021-08-29")),
            ("в течение 5 рабочих дней со дня подписания настоящего решения", .date("2021-09-02")),
            ("в течение 10 дней со дня подписания настоящего решения", .date("2021-09-05")),
            ("в течение месяца со дня подписания настоящего решения", .date("2021-09-26")),
            ("в I квартале следующего года", .period(from: "2022-01-01", to: "2022-03-31")),
            ("до 10 числа месяца, следующего за отчетным", .recurring(every: "month")),
            ("в период с 25 по 29 октября", .period(from: "2021-10-25", to: "2021-10-29")),
            ("до пятнадцатого октября", .date("2021-10-15")), ("до двадцать первого сентября", .date("2021-09-21")),
            ("до 15.10", .date("2021-10-15")), ("в сентябре", .period(from: "2021-09-01", to: "2021-09-30")),
            ("в течение ноября", .period(from: "2021-11-01", to: "2021-11-30")), ("до конца декабря", .date("2021-12-31")),
            ("до конца первой четверти", nil), ("в период новогодних каникул", nil),
            ("ежедневно", .recurring(every: "continuous")), ("в течение отопительного периода", .recurring(every: "continuous")),
            ("в течение 30 дней", .date("2021-09-25")), ("в течение 3 рабочих дней с момента выявления", nil),
        ]
        Self.run(19019) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            let n = g.count(2...6)
            for i in 0..<n {
                let marker = "\(i + 1).", last = i == n - 1
                if g.chance(0.15) {
                    let text = g.pick(["Провести совещание руководителей образовательных организаций", "Организовать семинар для заместителей директоров"])
                        + " 2 сентября 2021 г. " + g.pick(["до 12.00", "в 10:00", "в 14.30"])
                    paragraphs.append(marker + " " + ResolutionGrammar.sentence(text, last: last))
                    tasks.append(.init(starts: String(text.prefix(30)), deadline: .date("2021-09-02")))
                    continue
                }
                if g.chance(0.1) {
                    // The topic of a report leads its directive; named stages in the sentence are due at the last.
                    let text = g.chance(0.5)
                        ? "О результатах исполнения настоящего решения с приложением подтверждающих документов сообщить в управление образования в срок до 1 декабря 2021 года"
                        : g.directive() + " (корректировка – до 01.12.2021, утверждение – до 15.12.2021)"
                    paragraphs.append(marker + " " + ResolutionGrammar.sentence(text, last: last))
                    tasks.append(.init(starts: String(text.prefix(30)), deadline: .date(text.hasPrefix("О ") ? "2021-12-01" : "2021-12-15")))
                    continue
                }
                let (p, d) = g.pick(phrases)
                let placed = Self.placed(p, d, marker: marker, last: last, positions: [0, 1, 2], g: &g)
                paragraphs += placed.paragraphs
                tasks.append(.init(starts: placed.starts, deadline: d))
            }
            if g.chance(0.3) { paragraphs += ["Председатель                И.И. Иванов", "Разослать: дело, управление образования, МКУ «ЦОДОУ», руководителям ОО."] }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 21 (spec §3, Tables): a `.docx` table whose first column (`Направление`) is merged down over the rows
    /// of each direction and whose `Срок` cell is sometimes merged down over several rows: every row is a task
    /// (unnumbered rows too), the direction's words stay with its first row, and a merged `Срок` is each row's.
    @Test func mergedCellsOfADocxTable() throws {
        var failures: [String] = []
        let deadlines: [(String, Deadline)] = [("в течение учебного года", .period(from: "2021-09-01", to: "2022-08-31")),
                                               ("до 31 декабря 2021 г.", .date("2021-12-31")), ("IV квартал 2021 г.", .period(from: "2021-10-01", to: "2021-12-31")),
                                               ("постоянно", .recurring(every: "continuous"))]
        func cell(_ text: String, merge: String? = nil) -> String {
            "<w:tc>" + (merge.map { "<w:tcPr>\($0)</w:tcPr>" } ?? "") + (text.isEmpty ? "<w:p/>" : DocxBuilder.paragraph(text)) + "</w:tc>"
        }
        for i in 0..<Self.cases {
            var g = ResolutionGrammar(seed: 21021 &+ UInt64(i) &* 7919)
            var tasks: [ResolutionGrammar.Task] = []
            let numbered = g.chance(0.3)   // with a `№` column of its own
            var rows = ["<w:tr>" + (numbered ? cell("№") : "") + cell("Направление") + cell("Задачи") + cell("Срок") + "</w:tr>"]
            var shown: [String] = []
            var number = 0
            for direction in ["Повышение качества общего образования", "Кадровое обеспечение", "Цифровая образовательная среда"].prefix(g.count(1...3)) {
                var pendingDeadline: (Deadline, Int)?   // a merged Срок: its deadline and the rows it still spans
                for r in 0..<g.count(2...3) {
                    number += 1
                    let text = g.directive()
                    var deadlineCell: String
                    var deadline: Deadline?
                    if let (d, left) = pendingDeadline, left > 0 {
                        deadlineCell = cell("", merge: "<w:vMerge/>")
                        deadline = d
                        pendingDeadline = left > 1 ? (d, left - 1) : nil
                    } else if g.chance(0.3) {
                        let (raw, d) = g.pick(deadlines)
                        deadlineCell = cell(raw, merge: "<w:vMerge w:val=\"restart\"/>")
                        deadline = d
                        pendingDeadline = (d, 1)
                    } else if g.chance(0.7) {
                        let (raw, d) = g.pick(deadlines)
                        deadlineCell = cell(raw)
                        deadline = d
                    } else {
                        deadlineCell = cell("")
                        deadline = nil
                    }
                    let work = text
                    let first = r == 0
                    rows.append("<w:tr>" + (numbered ? cell("\(number)") : "") + (first ? cell(direction, merge: "<w:vMerge w:val=\"restart\"/>") : cell("", merge: "<w:vMerge/>")) + cell(work) + deadlineCell + "</w:tr>")
                    shown.append((first ? direction : "↓") + " | " + work + " | " + ResolutionGrammar.describe(deadline))
                    tasks.append(.init(starts: first ? direction + " " + text : text, deadline: deadline))
                }
            }
            let xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#
                + ["РЕЗОЛЮЦИЯ", "августовской конференции педагогических работников Энского района", "26 августа 2021 года", "Участники конференции РЕШИЛИ:"].map(DocxBuilder.paragraph).joined()
                + "<w:tbl>" + rows.joined() + "</w:tbl></w:body></w:document>"
            let parsed = try ResolutionReader.read(bytes: makeZip([("word/document.xml", Array(xml.utf8))], deflated: false), name: "resolution.docx")
            if let problem = ResolutionGrammar.check(.init(text: shown.joined(separator: "\n"), tasks: tasks), tasks: parsed.tasks) {
                failures.append("— case \(i): \(problem)\n--- table ---\n\(shown.joined(separator: "\n"))\n--- end ---")
                if failures.count >= 3 { break }
            }
        }
        if !failures.isEmpty { print(failures.joined(separator: "\n\n")) }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }

    /// Class 22 (spec §3, *events of a plan*): a school's plan typed as text, month headings in capitals, events
    /// numbered from 1 under each or dash-bulleted under `В ТЕЧЕНИЕ ГОДА`, their days and staff after dashes or in
    /// parentheses, lines stating holidays between them: every event is a task, dated by its own days or its month.
    @Test func eventsOfAPlanUnderItsMonths() {
        var failures: [String] = []
        let months: [(String, Int, Int)] = [("СЕНТЯБРЬ", 2025, 9), ("ОКТЯБРЬ", 2025, 10), ("НОЯБРЬ", 2025, 11), ("ФЕВРАЛЬ", 2026, 2), ("АПРЕЛЬ", 2026, 4)]
        let events = ["Торжественная линейка «День знаний»", "Неделя безопасности дорожного движения", "Школьный этап всероссийской олимпиады школьников",
                      "Родительские собрания по итогам четверти", "Неделя математики и информатики", "Выставка рисунков «Моя малая родина»",
                      "Классные часы, посвящённые Дню народного единства", "Смотр строя и песни"]
        let staff = ["заместитель директора по ВР Петрова А.С.", "классные руководители 1–11 классов", "руководители ШМО", "педагог-организатор", "социальный педагог Лукина Е.В."]
        func iso(_ y: Int, _ m: Int, _ d: Int) -> String { Day(y, m, d).iso }
        for i in 0..<Self.cases {
            var g = ResolutionGrammar(seed: 22022 &+ UInt64(i) &* 7919)
            var lines = ["УТВЕРЖДАЮ", "Директор МБОУ «СОШ № 7»", "_________ А.А. Орлова", "Приказ от 29.08.2025 № 154", "",
                         "ПЛАН РАБОТЫ", "МБОУ «СОШ № 7» на 2025/2026 учебный год", "", "II. ПЛАН МЕРОПРИЯТИЙ", ""]
            var tasks: [ResolutionGrammar.Task] = []
            let chosen = months.filter { _ in g.chance(0.6) }
            for (name, y, m) in chosen.isEmpty ? [months[0]] : chosen {
                lines += [name, ""]
                let end = Day.endOfMonth(y, m).day
                for k in 0..<g.count(2...4) {
                    let event = g.pick(events)
                    let days: [(String?, Deadline)] = [
                        (nil, .period(from: iso(y, m, 1), to: iso(y, m, end))), ("по графику", .period(from: iso(y, m, 1), to: iso(y, m, end))),
                        ("3-я неделя", .period(from: iso(y, m, 15), to: iso(y, m, 21))), (String(format: "до 20.%02d", m), .date(iso(y, m, 20))),
                        ("12 \(Russian.genitiveMonths[m - 1])", .date(iso(y, m, 12))), ("с 10 по 14", .period(from: iso(y, m, 10), to: iso(y, m, 14))),
                    ]
                    let (day, deadline) = g.pick(days)
                    let who = g.pick(staff)
                    var line = "\(k + 1). \(event)"
                    switch (day, g.count(0...2)) {
                    case (let d?, 0): line += " – \(d) – \(who)"
                    case (let d?, 1): line += " (\(d)) – \(who)"
                    case (let d?, _): line += " – \(d) (\(who))"
                    case (nil, 0): line += " – \(who)"
                    case (nil, _): line += " (\(who))"
                    }
                    lines.append(line)
                    tasks.append(.init(starts: event, deadline: deadline))
                }
                if g.chance(0.4) { lines.append(g.pick(["Осенние каникулы – с 27.10.2025 по 04.11.2025.", "Зимние каникулы – с 29.12.2025 по 11.01.2026."])) }
                if g.chance(0.5) { lines.append("") }
            }
            lines += ["", "В ТЕЧЕНИЕ ГОДА", ""]
            lines.append("– Мониторинг посещаемости учебных занятий – ежемесячно – \(g.pick(staff))")
            tasks.append(.init(starts: "Мониторинг посещаемости учебных занятий", deadline: .recurring(every: "month")))
            lines.append("– Работа школьной службы медиации (\(g.pick(staff)))")
            tasks.append(.init(starts: "Работа школьной службы медиации", deadline: .period(from: "2025-08-29", to: "2026-08-28")))
            let text = lines.joined(separator: "\n")
            if let problem = ResolutionGrammar.check(.init(text: text, tasks: tasks)) {
                failures.append("— case \(i): \(problem)\n--- document ---\n\(text)\n--- end ---")
                if failures.count >= 3 { break }
            }
        }
        if !failures.isEmpty { print(failures.joined(separator: "\n\n")) }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }

    /// Class 23 (spec §3, *what was said is not decided*): minutes whose questions each have `СЛУШАЛИ:`, `ВЫСТУПИЛИ:`
    /// with speakers proposing work in infinitives, then `РЕШИЛИ:` with the decisions: only the decisions are tasks.
    @Test func minutesSpeechesAreNotDecisions() {
        Self.run(23023) { g in
            var paragraphs = ["ПРОТОКОЛ № 1", "заседания педагогического совета МБОУ «СОШ № 3»", "26 августа 2021 года",
                              "Председатель – Иванова И.И.", "Присутствовали: 34 человека."]
            var tasks: [ResolutionGrammar.Task] = []
            for q in 1...g.count(1...3) {
                paragraphs.append("\(q). СЛУШАЛИ: " + g.pick(["заместителя директора по УВР Петрову А.С. об итогах работы за 2020/2021 учебный год.", "директора школы Орлову А.А., которая предложила " + g.directive().lowercased() + "."]))
                paragraphs.append("ВЫСТУПИЛИ:")
                for _ in 0..<g.count(1...3) {
                    paragraphs.append(g.pick(["Сидорова Н.П., руководитель ШМО, предложила ", "Егоров В.В.: ", "Учитель математики Котова Е.А. – "]) + g.directive().lowercased() + " до 1 октября 2021 года.")
                }
                paragraphs.append("РЕШИЛИ:")
                for k in 1...g.count(1...3) {
                    let text = g.directive()
                    paragraphs.append("\(q).\(k). " + text + " до 15 октября 2021 года.")
                    tasks.append(.init(starts: text, deadline: .date("2021-10-15")))
                }
                paragraphs.append("Голосовали: «за» – 34, «против» – нет.")
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 24 (spec §4, "Deadlines in words"): school terms and holidays have days only when the document states
    /// them (`I четверть – с 01.09.2021 по 24.10.2021`, `осенние каникулы – с 25.10 по 01.11`); then the phrases naming
    /// them are dated by them, and without that statement they give no deadline.
    @Test func termsAndHolidaysTheDocumentStates() {
        let phrases: [(String, Deadline)] = [
            ("до конца первой четверти", .date("2021-10-24")), ("по итогам I четверти", .date("2021-10-24")),
            ("в течение второй четверти", .period(from: "2021-11-02", to: "2021-12-26")),
            ("в период осенних каникул", .period(from: "2021-10-25", to: "2021-11-01")),
            ("до начала зимних каникул", .date("2021-12-27")),
            ("в период новогодних каникул", .period(from: "2021-12-27", to: "2022-01-09")),
        ]
        Self.run(24024) { g in
            var paragraphs = g.opening(preamble: false)
            let stated = g.chance(0.7)
            if stated {
                let year = g.chance(0.5)
                let y1 = year ? ".2021" : "", y2 = year ? ".2022" : ""
                let calendar = "I четверть – с 01.09\(y1) по 24.10\(y1), осенние каникулы – с 25.10\(y1) по 01.11\(y1), II четверть – с 02.11\(y1) по 26.12\(y1), зимние каникулы – с 27.12\(y1) по 09.01\(y2)"
                paragraphs.insert(g.pick(["В соответствии с календарным учебным графиком на 2021/2022 учебный год (" + calendar + ") участники конференции отмечают необходимость согласованных действий.",
                                          "Календарный учебный график: " + calendar + "."]), at: paragraphs.count - 1)
            }
            var tasks: [ResolutionGrammar.Task] = []
            let n = g.count(2...5)
            for i in 0..<n {
                let (p, d) = g.pick(phrases)
                let placed = Self.placed(p, d, marker: "\(i + 1).", last: i == n - 1, positions: [0, 1, 2], g: &g)
                paragraphs += placed.paragraphs
                tasks.append(.init(starts: placed.starts, deadline: stated ? d : nil))
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 25 (spec §2 *a letter*, §3 `addressees` and *a school's own order*): who acts where an item names nobody —
    /// a letter's address block under its letterhead and outgoing number; the school whose letterhead stands over its
    /// own order; the body named after the finite verb of an inspection's `ПРЕДПИСЫВАЕТ`. The issuer's letterhead over
    /// a letter or a `ПРЕДПИСАНИЕ` says nothing of who acts.
    @Test func whoActsInLettersOrdersAndInspections() {
        let blocks: [(String, TaskLevel)] = [
            ("Руководителям органов местного самоуправления муниципальных районов и городских округов Энской области, осуществляющих управление в сфере образования", .municipal),
            ("Руководителям общеобразовательных организаций Энского района", .school),
            ("Начальнику управления образования администрации Энского района", .municipal),
            ("Директору МБОУ «СОШ № 5 г. Энска»", .school),
        ]
        let letterheads = [["МИНИСТЕРСТВО ОБРАЗОВАНИЯ ЭНСКОЙ ОБЛАСТИ", "ул. Ленина, д. 1, г. Энск, 100000, тел. (123) 45-67-89"],
                           ["Управление образования администрации Энского района", "ул. Мира, д. 5, г. Энск"]]
        Self.run(25025) { g in
            var tasks: [ResolutionGrammar.Task] = []
            var paragraphs: [String] = []
            func items(level: TaskLevel) {
                for i in 1...g.count(2...4) {
                    let text = g.directive()
                    let (phrase, deadline) = g.pick([("в срок до 20.11.2026", Deadline.date("2026-11-20")), ("ежемесячно", .recurring(every: "month")), ("", nil)])
                    paragraphs.append("\(i). " + text + (phrase.isEmpty ? "." : " " + phrase + "."))
                    tasks.append(.init(starts: text, deadline: deadline, level: level))
                }
            }
            switch g.count(0...2) {
            case 0:
                // A letter: letterhead, outgoing number, address block, subject, greeting, narrative, `прошу:`.
                let (block, level) = g.pick(blocks)
                paragraphs += g.pick(letterheads)
                paragraphs += ["12.11.2025 № 06-1/" + String(g.count(100...9999)), g.pick(["На № ___________ от ___________", ""]), block,
                               g.pick(["О мониторинге реализации мер по профилактике безнадзорности", "Об организации работы по наставничеству"]),
                               g.pick(["Уважаемые коллеги!", "Уважаемые руководители!"]),
                               "Министерство образования Энской области в соответствии с планом работы на 2025 год проводит мониторинг.",
                               g.pick(["В целях своевременного представления информации прошу:", "Просим:"])]
                paragraphs = paragraphs.filter { !$0.isEmpty }
                items(level: level)
                paragraphs.append("Министр\tИ.И. Иванов")
            case 1:
                // A school's own order, its founder's lines over the school's name.
                paragraphs += g.pick([["Администрация города Энска", "Управление образования"], []])
                paragraphs += ["Муниципальное бюджетное общеобразовательное учреждение", "«Средняя общеобразовательная школа № 7»",
                               "ПРИКАЗ", "23.03.2026\t№ 112-о", "Об организации всероссийских проверочных работ",
                               "В соответствии с приказом управления образования от 01.03.2026 № 45", "ПРИКАЗЫВАЮ:"]
                items(level: .school)
                let text = "Секретарю Никитиной О.П. ознакомить с настоящим приказом работников"
                paragraphs.append("9. " + text + ".")
                tasks.append(.init(starts: text, deadline: nil, level: .school))
            default:
                // An inspection's order: the ministry's letterhead, `ПРЕДПИСАНИЕ`, the school named after `ПРЕДПИСЫВАЕТ`.
                paragraphs += ["МИНИСТЕРСТВО ОБРАЗОВАНИЯ ЭНСКОЙ ОБЛАСТИ", "ул. Ленина, д. 1, г. Энск", "ПРЕДПИСАНИЕ",
                               "об устранении выявленных нарушений обязательных требований от 14 октября 2025 г. № 112-К",
                               "По результатам плановой выездной проверки, руководствуясь статьей 93 Федерального закона от 29.12.2012 № 273-ФЗ, Министерство образования Энской области ПРЕДПИСЫВАЕТ " + g.pick(["муниципальному бюджетному общеобразовательному учреждению «СОШ № 3»", "МБОУ «СОШ № 3 с. Заречье»"]) + " устранить выявленные нарушения в следующие сроки:"]
                items(level: .school)
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 26 (spec §4 *months listed*, §3 *footnotes*): the days of an event's rounds listed bare at the end of its
    /// sentence, and months listed with `и в`, are one period from the first to the last; a paragraph marked `*` with
    /// neither a directive nor a noun of action is a footnote.
    @Test func roundsListedAndFootnotes() {
        let rounds: [(String, Deadline)] = [
            ("16.04.2026 и 21.04.2026", .period(from: "2026-04-16", to: "2026-04-21")),
            ("10.03.2026, 17.03.2026 и 24.03.2026", .period(from: "2026-03-10", to: "2026-03-24")),
            ("в декабре 2025 г. и в марте 2026 г.", .period(from: "2025-12-01", to: "2026-03-31")),
            ("в октябре 2025 года, в январе 2026 года и в апреле 2026 года", .period(from: "2025-10-01", to: "2026-04-30")),
            ("до 01.12.2025", .date("2025-12-01")),
        ]
        Self.run(26026) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            for i in 1...g.count(2...5) {
                let text = g.directive()
                let (phrase, deadline) = g.pick(rounds)
                paragraphs.append("\(i). " + text + " " + phrase + ".")
                tasks.append(.init(starts: text, deadline: deadline))
            }
            if g.chance(0.6) {
                paragraphs.append("* " + g.pick(["Конкретный учебный предмет для каждого класса определяется Рособрнадзором и становится известен за 2 дня до работы.",
                                                 "Даты проведения работ могут быть изменены решением организатора."]))
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 27 (spec §4, "A schedule in an appendix"): `в соответствии с графиком (приложение N)` is the span of the
    /// dates the document's appendix N lists under a title starting `График`; `в день проведения …` is that span when
    /// the document gives one schedule; an appendix that is no schedule, or a schedule the document does not give,
    /// dates nothing.
    @Test func aScheduleInAnAppendix() {
        Self.run(27027) { g in
            var paragraphs = g.opening()
            var tasks: [ResolutionGrammar.Task] = []
            // One or two appendices, each a schedule of rows dated in spring 2022 or a list of names.
            var spans: [Int: (Day, Day)] = [:]
            var appendix: [String] = []
            for n in 1...g.count(1...2) {
                appendix += ["Приложение " + (g.chance(0.3) ? "№ " : "") + "\(n)", "к приказу от 26.08.2021 № 3\(n)"]
                guard g.chance(0.8) else {
                    appendix += ["Перечень образовательных организаций", "МБОУ «СОШ № 1»", "МБОУ «СОШ № 2»"]
                    continue
                }
                appendix.append(g.pick(["График проведения всероссийских проверочных работ в 2022 году", "График проведения школьного этапа олимпиады"]))
                let days = (0..<g.count(2...6)).map { _ in Day(2022, g.count(3...5), g.count(1...28)) }
                for (k, d) in days.enumerated() {
                    let date = String(format: "%02d.%02d.%d", d.day, d.month, d.year)
                    appendix.append(g.pick(["\(k + 4)а\t\(g.pick(["Русский язык", "Математика"]))\t\(date)", "Математика, \(k + 5) класс – \(date)"]))
                }
                spans[n] = (days.min()!, days.max()!)
            }
            for i in 1...g.count(2...4) {
                let text = g.directive()
                let n = g.count(1...2)
                let forms: [(String, Deadline?)] = [
                    ("в соответствии с графиком (приложение \(n))", spans[n].map { .period(from: $0.0.iso, to: $0.1.iso) }),
                    ("согласно графику (приложение № \(n))", spans[n].map { .period(from: $0.0.iso, to: $0.1.iso) }),
                    ("в день проведения работы", spans.count == 1 && appendix.filter({ $0.hasPrefix("График") }).count == 1
                        ? spans.values.first.map { .period(from: $0.0.iso, to: $0.1.iso) } : nil),
                    ("в сроки, установленные графиком Рособрнадзора", nil),
                ]
                let (phrase, deadline) = g.pick(forms)
                paragraphs.append("\(i). " + text + " " + phrase + ".")
                tasks.append(.init(starts: text, deadline: deadline))
            }
            paragraphs.append("Контроль за исполнением настоящего приказа оставляю за собой.")
            return .init(text: ResolutionGrammar.join(paragraphs + appendix), tasks: tasks)
        }
    }

    /// Class 28 (spec §1 and §4 *year columns*): a programme's plan says when each measure runs by marks under year
    /// columns; the marks are the row's deadline, one period from the earliest marked span to the latest.
    @Test func yearColumnsOfAProgrammesPlan() throws {
        var failures: [String] = []
        let years = [2025, 2026, 2027]
        for i in 0..<Self.cases {
            var g = ResolutionGrammar(seed: 28028 &+ UInt64(i) &* 7919)
            // Calendar years, or school years (`2025/2026 уч. год`: 1 September to 31 August).
            let schoolYears = g.chance(0.35)
            let labels = years.map { y in schoolYears ? g.pick(["\(y)/\(y + 1) уч. год", "\(y)-\(y + 1) учебный год"]) : g.chance(0.3) ? "\(y) г." : "\(y)" }
            var rows: [[String]] = [["№", g.pick(["Мероприятие", "Наименование мероприятия"])] + labels + ["Ответственный", "Ожидаемый результат"]]
            // A row of the columns' numbers under the header is no row.
            if g.chance(0.3) { rows.append(rows[0].indices.map { String($0 + 1) }) }
            var tasks: [ResolutionGrammar.Task] = []
            for n in 1...g.count(3...6) {
                var spans: [(Day, Day)] = []
                let marks = years.map { y -> String in
                    let options: [(String, (Day, Day)?)] = schoolYears ? [
                        ("+", (Day(y, 9, 1), Day(y + 1, 8, 31))), ("в течение года", (Day(y, 9, 1), Day(y + 1, 8, 31))), ("–", nil), ("", nil),
                        ("сентябрь", (Day(y, 9, 1), Day(y, 9, 30))), ("март", (Day(y + 1, 3, 1), Day(y + 1, 3, 31))),
                        ("I полугодие", (Day(y, 9, 1), Day(y, 12, 31))),
                    ] : [
                        ("+", (Day(y, 1, 1), Day(y, 12, 31))), ("✓", (Day(y, 1, 1), Day(y, 12, 31))),
                        ("–", nil), ("", nil),
                        ("сентябрь", (Day(y, 9, 1), Day(y, 9, 30))), ("март", (Day(y, 3, 1), Day(y, 3, 31))),
                        ("IV квартал", (Day(y, 10, 1), Day(y, 12, 31))), ("I полугодие", (Day(y, 1, 1), Day(y, 6, 30))),
                    ]
                    let (mark, span) = g.pick(options)
                    if let span { spans.append(span) }
                    return mark
                }
                let text = g.actionNoun()
                rows.append(["\(n)."] + [text] + marks + [g.pick(["директор школы", "заместитель директора по УВР Тарасова Л.Н."]), "не менее 90% педагогов"])
                let deadline: Deadline? = spans.isEmpty ? nil : .period(from: spans.map(\.0).min()!.iso, to: spans.map(\.1).max()!.iso)
                tasks.append(.init(starts: text, deadline: deadline))
            }
            let before = ["ПРОГРАММА РАЗВИТИЯ", "МБОУ «СОШ № 1» на 2025–2027 годы", "План мероприятий по реализации Программы"]
            let xml = DocxBuilder.document(paragraphs: before, table: rows)
            let parsed = try ResolutionReader.read(bytes: makeZip([("word/document.xml", Array(xml.utf8))], deflated: false), name: "plan.docx").tasks
            let shown = rows.map { $0.joined(separator: " | ") }.joined(separator: "\n")
            if let problem = ResolutionGrammar.check(.init(text: shown, tasks: tasks), tasks: parsed) {
                failures.append("— case \(i): \(problem)\n--- document ---\n\(shown)\n--- end ---")
                if failures.count >= 3 { break }
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }

    /// Class 29 (spec §1, text columns read by their heading; §4 *months listed*, *report rounds*): a plan printed to
    /// fixed-width text, its headings centred over the columns and its cells wrapped within them, is read by the
    /// heading: the deadline cell is the row's `Срок:` line whatever it says.
    @Test func fixedWidthColumnsReadByTheirCentredHeading() {
        let deadlines: [(String, Deadline?)] = [
            ("по отдельному плану", nil),
            ("до 25 числа последнего месяца квартала", .recurring(every: "quarter")),
            ("ежеквартально, до 10 числа месяца, следующего за отчетным кварталом", .recurring(every: "quarter")),
            ("май, август 2022 г.", .period(from: "2022-05-01", to: "2022-08-31")),
            ("декабрь 2021 г., июнь 2022 г.", .period(from: "2021-12-01", to: "2022-06-30")),
            ("до 1 октября 2021 г., далее – по мере обновления", .date("2021-10-01")),
        ]
        func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
        func centred(_ s: String, _ width: Int) -> String { pad(String(repeating: " ", count: max(0, (width - s.count) / 2)) + s, width) }
        let widths = [9, 47, 23, 38, 26]
        Self.run(29029, layouts: false) { g in
            var lines = ["КОМПЛЕКСНЫЙ ПЛАН МЕРОПРИЯТИЙ", "по профилактике правонарушений несовершеннолетних на 2021/2022 учебный год", "",
                         zip(["№ п/п", "Наименование мероприятия", "Срок исполнения", "Исполнители", "Ожидаемый результат"], widths).map { centred($0, $1) }.joined(),
                         zip(["1", "2", "3", "4", "5"], widths).map { centred($0, $1) }.joined(), ""]
            var tasks: [ResolutionGrammar.Task] = []
            for n in 1...g.count(3...6) {
                let text = g.actionNoun() + " " + g.pick(["в общеобразовательных организациях района", "с участием сотрудников ПДН", "и их родителями (законными представителями)"])
                let (cell, deadline) = g.pick(deadlines)
                let columns = ["1.\(n).", text, cell, g.pick(["общеобразовательные организации", "органы местного самоуправления муниципальных районов (по согласованию)"]), "Охват не менее 85% обучающихся"]
                let wrapped = zip(columns, widths).map { ResolutionGrammar.wrap($0, width: $1 - 3) }
                for k in 0..<wrapped.map(\.count).max()! {
                    lines.append(zip(wrapped, widths).map { pad(k < $0.count ? $0[k] : "", $1) }.joined().replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression))
                }
                tasks.append(.init(starts: String(text.split(separator: " ").prefix(3).joined(separator: " ")), deadline: deadline))
            }
            return .init(text: lines.joined(separator: "\n") + "\n", tasks: tasks)
        }
    }

    /// Class 30 (spec §1, text from a scan): Latin look-alikes inside Russian words, `0` for `О` and `О`/`З` for
    /// digits in numbers are read as the page shows them: the same tasks and deadlines as the clean text, in Cyrillic.
    @Test func textReadFromAScan() {
        let toLatin: [Character: Character] = ["а": "a", "с": "c", "е": "e", "о": "o", "р": "p", "х": "x", "у": "y", "С": "C", "О": "O", "Р": "P", "Е": "E", "Т": "T", "М": "M", "К": "K", "Н": "H"]
        func damage(_ text: String, _ g: inout ResolutionGrammar) -> String {
            var out = "", word: [Character] = []
            func flush(_ g: inout ResolutionGrammar) {
                defer { word = [] }
                guard !word.isEmpty else { return }
                if word.allSatisfy({ $0.isNumber }), word.count >= 2, g.chance(0.4) {
                    out += String(word.map { $0 == "0" ? "О" : $0 == "3" ? "З" : $0 }); return
                }
                if word.count >= 4, word[0] == "О", word[1].isLowercase, g.chance(0.5) { word[0] = "0" }
                if word.count >= 3, g.chance(0.4), let i = word.indices.filter({ toLatin[word[$0]] != nil }).randomElement(using: &g.rng) {
                    word[i] = toLatin[word[i]]!
                }
                out += String(word)
            }
            for ch in text {
                if ch.isLetter || ch.isNumber { word.append(ch) } else { flush(&g); out.append(ch) }
            }
            flush(&g)
            return out
        }
        Self.run(30030) { g in
            var paragraphs = g.opening(preamble: false)
            var tasks: [ResolutionGrammar.Task] = []
            for i in 1...g.count(2...5) {
                let phrase = g.pick(ResolutionGrammar.phrases)
                let text = phrase.leading + " " + g.pick(ResolutionGrammar.verbs).lowercased() + " " + g.pick(ResolutionGrammar.objects)
                paragraphs.append("\(i). " + ResolutionGrammar.sentence(text, last: true))
                tasks.append(.init(starts: text, deadline: phrase.deadline))
            }
            let clean = ResolutionGrammar.join(paragraphs)
            let scanned = damage(clean, &g)
            // Repaired in Cyrillic, not merely matched by the look-alike folding of §5.
            let latin = ResolutionReader.parse(text: scanned).tasks.filter { $0.text.contains { Set(toLatin.values).contains($0) } }
            return .init(text: latin.isEmpty ? scanned : "ЛАТИНИЦА ОСТАЛАСЬ: " + latin.map(\.text).joined(separator: " | "), tasks: tasks)
        }
    }

    /// Class 31 (spec §1 *a chat export*, §3 *requests*, §4 *relative days*): a messenger group's history — the
    /// issuer's messages are read, each dated by its day (`сегодня`, `завтра`, `до конца недели`, a date without a
    /// year); replies, media lines and a forwarded order are not tasks; a message moving an item's deadline moves it.
    @Test func aChatExport() {
        Self.run(31031, layouts: false) { g in
            let format = g.count(0...2)    // Viber/Telegram, WhatsApp, Telegram Desktop's copy
            let whatsApp = format == 1
            let issuer = g.pick(["Ляхова И.С. (РОО)", "Петрова Н.В. (УО)", "Методист ИМЦ Соколова"])
            let schools = ["Сафонова О.Н. (СОШ №1)", "Ишмухаметов Р.Р. (Черкасская СОШ)", "Котельникова А.П."]
            func line(_ day: Day, _ time: String, _ author: String, _ text: String) -> String {
                let date = String(format: "%02d.%02d.%d", day.day, day.month, day.year)
                if format == 2 { return "\(author), [\(date) \(time)]\n\(text)\n" }
                return whatsApp ? "\(date), \(time) - \(author): \(text)" : "[\(date) \(time)] \(author): \(text)"
            }
            var lines = ["Чат «Руководители ОО Энского района»", "Экспорт истории сообщений, 13.10.2025 – 24.10.2025", ""]
            var tasks: [ResolutionGrammar.Task] = []
            var day = Day(2025, 10, 13)    // a Monday
            var numberedList: (day: Day, count: Int)?
            for _ in 1...g.count(3...6) {
                lines.append(line(day, "08:4\(g.count(0...9))", issuer, g.pick(["Доброе утро, коллеги!", "<Стикер>"])))
                let text = g.directive().lowercased()
                let forms: [(String, Deadline)] = [
                    ("Коллеги, прошу до 20.10 \(text).", .date("2025-10-20")),
                    ("Сегодня до 16:00 прошу \(text).", .date(day.iso)),
                    ("Завтра к 10:00 прошу \(text).", .date(day.adding(days: 1).iso)),
                    ("Коллеги, до конца недели \(text).", .date(day.adding(days: day.weekday <= 4 ? 4 - day.weekday : 6 - day.weekday).iso)),
                    ("Коллеги, до конца месяца \(text).", .date("2025-10-31")),
                ]
                let (message, deadline) = g.pick(forms)
                lines.append(line(day, "09:1\(g.count(0...9))", issuer, message))
                tasks.append(.init(starts: String(message.dropLast()), deadline: deadline))
                lines.append(line(day, "09:3\(g.count(0...9))", g.pick(schools), g.pick(["Принято", "+", "Ирина Сергеевна, по всем классам заполнять?", "Направили"])))
                if g.chance(0.4) {
                    lines.append(line(day, "10:05", issuer, "Коллеги, поручения по итогам совещания у главы района:"))
                    let n = g.count(2...3)
                    for k in 1...n {
                        let item = g.directive()
                        lines.append("\(k). \(item) до 2\(k).10.2025.")
                        tasks.append(.init(starts: item, deadline: .date("2025-10-2\(k)")))
                    }
                    numberedList = (day, n)
                } else if let list = numberedList, g.chance(0.6) {
                    // `По п.2 вчерашнего сообщения срок продлён до 28.10`: the last item numbered 2 moves.
                    let k = g.count(1...list.count)
                    if let i = tasks.lastIndex(where: { $0.deadline == .date("2025-10-2\(k)") }) { tasks[i].deadline = .date("2025-10-28") }
                    lines.append(line(day, "11:00", issuer, g.pick(["По п.\(k) вчерашнего сообщения срок продлён до 28.10 — совещание перенесли.", "Уточнение: срок по п. \(k) переносится на 28.10."])))
                    numberedList = nil
                }
                if g.chance(0.3) {
                    lines += [line(day, "13:45", issuer, "[Пересланное сообщение]"), "Министерство образования Энской области", "ПРИКАЗ от 10.10.2025 № 1623",
                              "ПРИКАЗЫВАЮ:", "1. Провести региональный мониторинг 19 ноября 2025 года.", "2. Руководителям органов местного самоуправления назначить координаторов до 31.10.2025."]
                    lines.append(line(day, "13:46", issuer, "<Файл: Приказ_1623.pdf>"))
                }
                day = day.adding(days: 1)
            }
            return .init(text: lines.joined(separator: "\n") + "\n", tasks: tasks)
        }
    }

    /// Class 34 (spec §1 *a chat export*, §4 *relative days*, *the day of an event*): a WhatsApp group exported on
    /// Android — the messenger's own lines (`Вы создали группу "…"`, `… вышел(а)`) are neither messages nor their
    /// lines and name the group; a message given for information assigns nothing; `назначить …` is a task in a chat;
    /// `в понедельник до 12:00`, `к совещанию 27.11` and `к следующему совещанию` dated in the message are days; a
    /// move names its item by topic (`ПЕРЕНОС: … не 20.11, а 24.11`) or gives yesterday's undated item a deadline.
    @Test func anAndroidWhatsAppExport() {
        Self.run(34034, layouts: false) { g in
            func stamp(_ day: Day, _ time: String) -> String { String(format: "%02d.%02d.%d, ", day.day, day.month, day.year) + time + " - " }
            let issuer = g.pick(["Ирина Петровна (ГМЦ)", "Методист ИМЦ Соколова", "Петрова Н.В. (УО)"])
            let deputies = ["Ольга Викторовна СОШ 1", "Наталья Юрьевна Гимназия 9", "+7 912 345-67-89"]
            var day = Day(2025, 11, 10)    // a Monday
            var lines: [String] = []
            if g.chance(0.5) { lines.append(stamp(day, "08:10") + "Сообщения и звонки защищены сквозным шифрованием. Никто вне этого чата, даже WhatsApp, не может прочитать или прослушать их.") }
            lines.append(stamp(day, "08:12") + "Вы создали группу \"Замы по УВР Энского района\"")
            lines += deputies.map { stamp(day, "08:13") + "Вы добавили " + $0 }
            var tasks: [ResolutionGrammar.Task] = []
            var undatedYesterday = false
            var topicSet = false
            func nextWeekday(_ target: Int, after d: Day) -> Day { let ahead = (target - d.weekday + 7) % 7; return d.adding(days: ahead == 0 ? 7 : ahead) }
            for _ in 1...g.count(3...5) {
                let text = g.directive().lowercased()
                if undatedYesterday {
                    // `По вчерашнему — срок до четверга`: yesterday's undated item takes the next Thursday.
                    lines.append(stamp(day, "09:05") + issuer + ": По вчерашнему — срок до четверга. Кто уже сделал, напишите «+».")
                    if let i = tasks.lastIndex(where: { $0.deadline == nil }) { tasks[i].deadline = .date(nextWeekday(3, after: day).iso) }
                    undatedYesterday = false
                }
                let forms: [(String, Deadline?)] = [
                    ("Коллеги, в понедельник до 12:00 прошу \(text).", .date(nextWeekday(0, after: day).iso)),
                    ("Коллеги, к совещанию 27.11 прошу \(text).", .date("2025-11-27")),
                    ("Коллеги, прошу до 28.11 \(text).", .date("2025-11-28")),
                    ("Коллеги, прошу также \(text).", nil),
                ]
                let (message, deadline) = g.pick(forms)
                lines.append(stamp(day, "09:14") + issuer + ": " + message)
                tasks.append(.init(starts: String(message.dropLast()), deadline: deadline, level: .school))
                if deadline == nil { undatedYesterday = true }
                lines.append(stamp(day, "09:20") + g.pick(deputies) + ": " + g.pick(["Принято", "Сделаем", "+"]))
                if g.chance(0.3) { lines.append(stamp(day, "10:00") + g.pick(deputies) + " вышел(а)") }
                if g.chance(0.4) {
                    lines += [stamp(day, "10:03") + issuer + ": Для сведения — кратко по приказу Управления образования от 07.11.2025 № 412 (приказ выше):",
                              "1. Провести муниципальный этап олимпиады с 17.11.2025 по 12.12.2025.", "2. Руководителям ОО обеспечить явку участников."]
                }
                if g.chance(0.5) {
                    lines += [stamp(day, "16:05") + issuer + ": По олимпиаде от школ нужно:",
                              "1) до 14.11 направить в ГМЦ заявки на участие в муниципальном этапе;",
                              "2) назначить приказом ответственных за сопровождение участников, копию приказа прислать до 17.11."]
                    tasks.append(.init(starts: "до 14.11 направить в ГМЦ заявки на участие", deadline: .date(day > Day(2025, 11, 14) ? "2026-11-14" : "2025-11-14"), level: .school))
                    tasks.append(.init(starts: "назначить приказом ответственных за сопровождение", deadline: .date(day > Day(2025, 11, 17) ? "2026-11-17" : "2025-11-17"), level: .school))
                }
                if !topicSet, g.chance(0.4) {
                    lines.append(stamp(day, "17:10") + issuer + ": Коллеги, прошу подготовить справку об адаптации первоклассников до 20.11.")
                    tasks.append(.init(starts: "Коллеги, прошу подготовить справку об адаптации первоклассников", deadline: .date("2025-11-20"), level: .school))
                    topicSet = true
                } else if topicSet, g.chance(0.5) {
                    lines.append(stamp(day, "17:15") + issuer + ": ПЕРЕНОС: справку об адаптации сдаём не 20.11, а 24.11.")
                    if let i = tasks.lastIndex(where: { $0.starts.contains("адаптации") }) { tasks[i].deadline = .date("2025-11-24") }
                }
                if g.chance(0.3) {
                    lines.append(stamp(day, "17:30") + issuer + ": Коллеги, спасибо за работу на совещании. Следующее совещание — 27.11 в 14:00, там же.")
                    lines.append("Руководителям ШМО провести консультации для молодых учителей к следующему совещанию.")
                    tasks.append(.init(starts: "Руководителям ШМО провести консультации для молодых учителей", deadline: .date("2025-11-27"), level: .school))
                }
                day = day.adding(days: 1)
            }
            return .init(text: lines.joined(separator: "\n") + "\n", tasks: tasks)
        }
    }

    /// Class 35 (spec §2 *a letterhead*, §3 *one list item*): a prosecutor's представление or an inspection's
    /// предписание under a tall letterhead and an address block — the heading is found below them, the address block
    /// acts for the items that name nobody; a directive over sub-items that only name bodies is one task, its
    /// sub-items of directives each a task; one `Срок –` line after a group is each of its tasks'.
    @Test func aRepresentationUnderATallLetterhead() {
        Self.run(35035) { g in
            let (addressBlock, level): ([String], TaskLevel) = g.pick([
                (["Начальнику отдела образования", "администрации Энского", "муниципального района", "Энской области"], .municipal),
                (["Министру образования", "Энской области"], .regional),
                (["Директору МБОУ «Энская средняя", "общеобразовательная школа № 2»"], .school)])
            var paragraphs = ["ПРОКУРАТУРА", "РОССИЙСКОЙ ФЕДЕРАЦИИ", "ПРОКУРАТУРА", "ЭНСКОЙ ОБЛАСТИ", "ПРОКУРАТУРА", "ЭНСКОГО РАЙОНА",
                              "ул. Советская, д. 12, р.п. Энск, 391500", "", "20.08.2021 № 02-01-2021/Прдп214-21", ""]
            paragraphs += addressBlock.map { String(repeating: " ", count: 40) + $0 }
            paragraphs += ["", String(repeating: " ", count: 40) + "Тереховой Н.А.", "",
                           g.pick(["ПРЕДСТАВЛЕНИЕ", "ПРЕДПИСАНИЕ"]), "об устранении нарушений законодательства об образовании", "",
                           "Прокуратурой района проведена проверка исполнения законодательства об образовании. Проверкой, проведённой 14.08.2021, установлено, что требования статьи 29 Федерального закона от 29.12.2012 № 273-ФЗ не соблюдены.", "",
                           g.pick(["ТРЕБУЮ:", "На основании изложенного, руководствуясь статьёй 24 Федерального закона «О прокуратуре Российской Федерации», ТРЕБУЮ:"]), ""]
            var tasks: [ResolutionGrammar.Task] = []
            var n = 0
            for _ in 0..<g.count(1...3) {
                n += 1
                let text = g.directive(), phrase = g.pick(ResolutionGrammar.phrases)
                paragraphs.append("\(n). \(text) \(phrase.trailing).")
                tasks.append(.init(starts: text, deadline: phrase.deadline, level: level))
            }
            if g.chance(0.7) {
                // A directive over the bodies it covers: one task, its deadline on the line after the list.
                n += 1
                let covered = "Включить в план ремонтных работ на 2022 год капитальный ремонт кровли в зданиях"
                paragraphs += ["\(n). \(covered):", "– МБОУ «Ерахтурская средняя школа» (с. Ерахтур, ул. Школьная, д. 9);",
                               "– МБОУ «Инякинская средняя школа» (с. Инякино, ул. Центральная, д. 21).", "Срок – до 30.01.2022."]
                tasks.append(.init(starts: covered, deadline: .date("2022-01-30"), level: level))
            }
            if g.chance(0.7) {
                // Sub-items of directives: each a task, the group's line each one's.
                n += 1
                paragraphs.append("\(n). Обеспечить устранение нарушений в следующих общеобразовательных организациях:")
                for (k, letter) in ["а", "б"].enumerated() {
                    let text = g.directive().lowercased() + (k == 0 ? " в МБОУ «Желудевская средняя школа»" : "")
                    paragraphs.append("\(letter)) \(text);")
                    tasks.append(.init(starts: text, deadline: .date("2021-12-26"), level: level))
                }
                paragraphs.append("Срок – до 26.12.2021.")
            }
            paragraphs += ["", "О результатах рассмотрения настоящего представления сообщить в прокуратуру района в письменной форме до 20.12.2021.", "",
                           "Прокурор района", "советник юстиции" + String(repeating: " ", count: 20) + "А.В. Кузнецов"]
            tasks.append(.init(starts: "О результатах рассмотрения настоящего представления сообщить", deadline: .date("2021-12-20"), level: level))
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 32 (spec §2 *kind*, §3 *an association's own decision*, *a school's own document*, *abbreviations the
    /// document defines*): what names nobody in a methodical association's decision is the association's work, at its
    /// level; an abbreviation the document spells out reads as its words (a republic's `РМО` is regional); a school's
    /// analysis approved by its director is `анализ` and its tasks are the school's.
    @Test func whoActsInAnAssociationsOrASchoolsOwnDocument() {
        Self.run(32032) { g in
            var paragraphs: [String] = []
            var tasks: [ResolutionGrammar.Task] = []
            func items(_ level: TaskLevel) {
                for i in 1...g.count(2...4) {
                    let text = g.directive()
                    let (phrase, deadline) = g.pick([("в течение учебного года", ResolutionGrammar.academic), ("до 15.11.2021", Deadline.date("2021-11-15")), ("", nil)])
                    paragraphs.append("\(i). " + text + (phrase.isEmpty ? "." : " " + phrase + "."))
                    tasks.append(.init(starts: text, deadline: deadline, level: level))
                }
            }
            if g.chance(0.5) {
                let (adjective, level) = g.pick([("регионального", TaskLevel.regional), ("республиканского", .regional), ("районного", .municipal), ("городского", .municipal)])
                paragraphs += ["РЕШЕНИЕ", "\(adjective) методического объединения учителей " + g.pick(["истории и обществознания", "математики", "начальных классов"]),
                               "26 августа 2021 года"]
                let defined = g.chance(0.6)
                paragraphs.append("26 августа 2021 года прошло заседание \(adjective) методического объединения" + (defined ? " (РМО)" : "")
                                  + " учителей. В работе приняли участие 64 педагога из 12 муниципальных образований.")
                paragraphs.append("РЕШИЛИ:")
                items(level)
                if defined {
                    let text = "Членам РМО подготовить подборку методических материалов"
                    paragraphs.append("9. " + text + " до 1 октября 2021 года.")
                    tasks.append(.init(starts: text, deadline: .date("2021-10-01"), level: level))
                }
            } else {
                paragraphs += g.pick([["РАССМОТРЕНО", "на заседании педагогического совета", "протокол от 25.08.2021 № 1"], []])
                paragraphs += ["УТВЕРЖДАЮ", "Директор МБОУ «СОШ № 27»", "____________ Е.Р. Сагитова", "приказ от 26.08.2021 № 214-о", "",
                               "АНАЛИЗ РАБОТЫ", "муниципального бюджетного общеобразовательного учреждения «Средняя общеобразовательная школа № 27»",
                               "за 2020/2021 учебный год",
                               "1. Общие сведения", "В 2020/2021 учебном году в школе обучалось 1 184 человека в 44 классах-комплектах.",
                               "Для достижения цели в течение учебного года решались следующие задачи:",
                               "– повышение качества образования и объективности оценивания;", "– развитие системы поддержки одарённых детей.",
                               "Анализ результатов показал снижение качества знаний в 5–6 классах: 36,2% против 41,0% годом ранее.",
                               "№\tКонкурс\tДата\tУчастник\tРезультат",
                               "1\tРайонный конкурс педагогических достижений\tноябрь 2020\tКравец А.И.\tлауреат",
                               "2\tВсероссийский конкурс «Навигаторы детства»\tапрель 2021\tКарпенко Д.С.\tучастник",
                               "3\tКонкурс «Учитель года – 2021»\tфевраль 2021\tТрофимова Е.В.\tпризёр",
                               "Выводы и задачи:",
                               "1. Показатели успеваемости стабильны, качество знаний снизилось на 1,1 %.",
                               "2. Сохраняется снижение качества знаний при переходе в основную школу.",
                               "Задачи на 2021/2022 учебный год:"]
                // The heading's academic year is the deadline of the tasks without their own.
                let start = tasks.count
                items(.school)
                for i in start..<tasks.count where tasks[i].deadline == nil { tasks[i].deadline = ResolutionGrammar.academic }
            }
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
        // Telegram Desktop's copy; a move naming the item's topic; `до пятницы` from the message's day.
        let chat = ResolutionReader.parse(text: [
            "Директора ОО Энского района", "Скопировано из Telegram", "",
            "Чечек Монгуш, [05.11.2025 8:05]", "Коллеги, прошу:", "1. До 07.11 заполнить мониторинг организации горячего питания.",
            "2. До пятницы провести единый урок безопасности.", "",
            "Айдын Ондар, [05.11.2025 8:20]", "Принято", "",
            "Чечек Монгуш, [06.11.2025 9:00]", "[Переслано от Министерство образования]", "1. Обеспечить заполнение формы до 14.11.2025.", "",
            "Чечек Монгуш, [06.11.2025 9:30]", "Коллеги, срок по мониторингу питания переносится на 12.11.", "",
        ].joined(separator: "\n"))
        #expect(chat.document.kind == "чат")
        #expect(chat.tasks.map(\.deadline?.deadline) == [.date("2025-11-12"), .date("2025-11-07")])
        let analysis = ResolutionReader.parse(text: "УТВЕРЖДАЮ\nДиректор МБОУ «СОШ № 27»\nприказ от 29.08.2025 № 214-о\n\nАНАЛИЗ РАБОТЫ\nМБОУ «СОШ № 27»\nза 2024/2025 учебный год\n\n1. Обеспечить реализацию программ.\n")
        #expect(analysis.document.kind == "анализ")
        #expect(analysis.document.date == "2025-08-29")
        // `Анализ показал, что …` is a sentence, not a heading.
        #expect(ResolutionReader.parse(text: "РЕШЕНИЕ\nпедагогического совета\n\nАнализ показал, что качество знаний снизилось.\n1. Обеспечить реализацию программ.\n").document.kind == "решение")
    }

    /// Class 33 (spec §3 *an appendix that regulates*, *abbreviations the document defines*, self-executing items):
    /// an order approving a regulation — `Утвердить:` over what it approves and `Установить, что …` are no tasks;
    /// the regulation's clauses describe, save one led by an addressee and a directive; a body defined `(далее –
    /// Оператор)` reads as that body wherever it leads a directive.
    @Test func anOrderApprovingARegulation() {
        Self.run(33033) { g in
            var paragraphs = ["ДЕПАРТАМЕНТ ОБРАЗОВАНИЯ ЭНСКОЙ ОБЛАСТИ", "ПРИКАЗ", "26.08.2021\t№ 10-П-312",
                              "Об утверждении Положения о региональном конкурсе методических разработок",
                              "В соответствии с государственной программой Энской области «Развитие образования»",
                              g.pick(["ПРИКАЗЫВАЮ:", "п р и к а з ы в а ю:"]),
                              "1. Утвердить:", "1.1. Положение о региональном конкурсе методических разработок (приложение 1);",
                              "1.2. Состав организационного комитета конкурса (приложение 2)."]
            var tasks: [ResolutionGrammar.Task] = []
            var n = 2
            if g.chance(0.5) {
                paragraphs.append("2. Установить, что итоги конкурса утверждаются приказом Департамента.")
                n = 3
            }
            paragraphs.append("\(n). Автономному учреждению дополнительного профессионального образования Энской области «Институт развития образования» (далее – Оператор):")
            for k in 1...g.count(1...3) {
                let text = g.directive()
                let phrase = g.pick(ResolutionGrammar.phrases)
                paragraphs.append("\(n).\(k). \(text) \(phrase.trailing);")
                tasks.append(.init(starts: text, deadline: phrase.deadline, level: .regional))
            }
            paragraphs += ["\(n + 1). Контроль за исполнением настоящего приказа оставляю за собой.", "Директор Департамента\tИ.И. Иванов",
                           "Приложение 1", "к приказу Департамента", "от 26.08.2021 № 10-П-312",
                           g.pick(["ПОЛОЖЕНИЕ", "ПОРЯДОК"]), "о региональном конкурсе методических разработок",
                           "1. Общие положения", "1.1. Настоящее Положение определяет порядок организации и проведения конкурса.",
                           "1.2. Конкурс проводится с 10 по 20 февраля 2022 года.",
                           "2. Задачи конкурса:", "– развитие профессиональной компетентности педагогов;", "– создание условий для распространения опыта.",
                           "3. Порядок проведения", "3.1. Заявки на участие принимаются до 1 февраля 2022 года."]
            let own = "Оператору обеспечить размещение информации о конкурсе на официальном сайте"
            paragraphs.append("3.2. \(own) до 15.11.2021.")
            tasks.append(.init(starts: own, deadline: .date("2021-11-15"), level: .regional))
            if g.chance(0.5) {
                let municipal = "Муниципальным координаторам направить Оператору сводные заявки участников"
                paragraphs.append("3.3. \(municipal) до 1 февраля 2022 года.")
                tasks.append(.init(starts: municipal, deadline: .date("2022-02-01"), level: .municipal))
            }
            paragraphs += ["3.4. Итоги конкурса подводятся не позднее 10 апреля 2022 года.",
                           "Приложение 2", "к приказу Департамента", "СОСТАВ", "организационного комитета конкурса",
                           "Иванов И.И. – директор Департамента, председатель;", "Петрова А.С. – ректор Института, заместитель председателя."]
            return .init(text: ResolutionGrammar.join(paragraphs), tasks: tasks)
        }
    }

    /// Class 20 (spec §1, §4 *a month of a plan*): a plan's month rows — merged across a `.docx` table, a row of one
    /// cell in delimited text, or a month standing alone on a line above numbered rows — date the rows under them;
    /// a row's own cell naming only days (`до 15.09`, `до 20`, `10–15`, `3-я неделя`) is read in its month, `в течение
    /// месяца` and `по графику` are the month, a full date or a recurrence of its own wins. Months without a year are
    /// of the academic year the plan's heading names.
    @Test func monthRowsOfAPlanDateTheRowsUnderThem() throws {
        var failures: [String] = []
        let months: [(String, Int, Int)] = [("Сентябрь", 2021, 9), ("Октябрь", 2021, 10), ("Декабрь", 2021, 12), ("Январь", 2022, 1), ("Март", 2022, 3), ("Май", 2022, 5)]
        func iso(_ y: Int, _ m: Int, _ d: Int) -> String { Day(y, m, d).iso }
        for i in 0..<Self.cases {
            var g = ResolutionGrammar(seed: 20020 &+ UInt64(i) &* 7919)
            var tasks: [ResolutionGrammar.Task] = []
            var rows: [[String]] = [["№ п/п", "Мероприятие", g.pick(["Срок", "Сроки", "Срок исполнения"]), "Ответственные"]]
            var number = 0
            let chosen = months.enumerated().filter { _ in g.chance(0.6) }.map(\.element)
            let plan = chosen.isEmpty ? [months[0]] : chosen
            for (name, y, m) in plan {
                rows.append([g.chance(0.3) ? name.uppercased() : name])
                for _ in 0..<(plan.count == 1 ? g.count(3...4) : g.count(1...3)) {   // a table has three rows or more (spec §1)
                    number += 1
                    let end = Day.endOfMonth(y, m).day
                    let cells: [(String, Deadline)] = [
                        ("", .period(from: iso(y, m, 1), to: iso(y, m, end))),
                        ("в течение месяца", .period(from: iso(y, m, 1), to: iso(y, m, end))),
                        ("по графику", .period(from: iso(y, m, 1), to: iso(y, m, end))),
                        (String(format: "до 15.%02d", m), .date(iso(y, m, 15))),
                        ("до 20", .date(iso(y, m, 20))),
                        ("10–15", .period(from: iso(y, m, 10), to: iso(y, m, 15))),
                        ("3-я неделя", .period(from: iso(y, m, 15), to: iso(y, m, 21))),
                        ("4-я неделя", .period(from: iso(y, m, 22), to: iso(y, m, end))),
                        (String(format: "25.%02d.%d", m, y), .date(iso(y, m, 25))),
                        ("ежемесячно", .recurring(every: "month")),
                    ]
                    let (cell, deadline) = g.pick(cells)
                    let text = g.actionNoun()
                    rows.append(["\(number)", text, cell, g.pick(ResolutionGrammar.addressees)])
                    tasks.append(.init(starts: text, deadline: deadline))
                }
            }
            let before = ["ПЛАН РАБОТЫ", "управления образования администрации Энского района на 2021/2022 учебный год"]
            let layout = g.count(0...2)
            do {
                let parsed: [ResolutionTask]
                let shown: String
                switch layout {
                case 0:
                    let xml = DocxBuilder.document(paragraphs: before, table: rows)
                    parsed = try ResolutionReader.read(bytes: makeZip([("word/document.xml", Array(xml.utf8))], deflated: false), name: "plan.docx").tasks
                    shown = rows.map { $0.joined(separator: " | ") }.joined(separator: "\n")
                case 1:
                    let d = g.chance(0.5) ? ";" : "\t"
                    shown = ResolutionGrammar.join(before) + rows.map { $0.joined(separator: d) }.joined(separator: "\n") + "\n"
                    parsed = ResolutionReader.parse(text: shown).tasks
                default:
                    // A plan typed as text: the month alone on a line, then numbered rows with labelled lines.
                    var lines = before + [""]
                    for row in rows.dropFirst() {
                        if row.count == 1 { lines += [row[0], ""]; continue }
                        lines.append(row[0] + ". " + row[1])
                        if !row[2].isEmpty { lines.append("Срок: " + row[2]) }
                        lines += ["Ответственные: " + row[3], ""]
                    }
                    shown = lines.joined(separator: "\n")
                    parsed = ResolutionReader.parse(text: shown).tasks
                }
                if let problem = ResolutionGrammar.check(.init(text: shown, tasks: tasks), tasks: parsed) {
                    failures.append("— case \(i), layout \(layout): \(problem)\n--- document ---\n\(shown)\n--- end ---")
                    if failures.count >= 3 { break }
                }
            }
        }
        if !failures.isEmpty { print(failures.joined(separator: "\n\n")) }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }
}

/// A minimal `word/document.xml`: paragraphs, then one table.
enum DocxBuilder {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func paragraph(_ s: String) -> String { "<w:p><w:r><w:t xml:space=\"preserve\">\(escape(s))</w:t></w:r></w:p>" }

    static func document(paragraphs: [String], table: [[String]], after: [String] = []) -> String {
        // A cell's lines are its paragraphs.
        let rows = table.map { row in "<w:tr>" + row.map { "<w:tc>" + $0.components(separatedBy: "\n").map(paragraph).joined() + "</w:tc>" }.joined() + "</w:tr>" }.joined()
        return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#
            + paragraphs.map(paragraph).joined() + "<w:tbl>" + rows + "</w:tbl>" + after.map(paragraph).joined() + "</w:body></w:document>"
    }
}
