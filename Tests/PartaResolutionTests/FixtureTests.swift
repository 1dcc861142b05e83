import Foundation
import Testing
@testable import PartaResolution

/// An expected-output fixture (spec §6).
struct Fixture: Decodable {
    struct Task: Decodable {
        var number: String?
        var starts: String
        var level: TaskLevel
        var deadline: DeadlineText?
    }

    var source: String?
    var document: ResolutionDocument
    var tasks: [Task]
}

/// Spec §5 scores of one document.
struct Score {
    var name: String
    var fixtureTasks = 0
    var producedTasks = 0
    var matched = 0
    var deadlinesEqual = 0
    var levelsEqual = 0
    var documentFailures: [String] = []
    var error: String?
    /// `written` for a document written for the evaluation, `real` for a public one (the fixture's `source`).
    var origin = ""

    var recall: Double { fixtureTasks == 0 ? 1 : Double(matched) / Double(fixtureTasks) }
    var precision: Double { producedTasks == 0 ? (fixtureTasks == 0 ? 1 : 0) : Double(matched) / Double(producedTasks) }
    var deadlineAccuracy: Double { matched == 0 ? 0 : Double(deadlinesEqual) / Double(matched) }
    var levelAccuracy: Double { matched == 0 ? 0 : Double(levelsEqual) / Double(matched) }
}

enum Scoring {
    /// §5: lower case, `ё` → `е`, Latin look-alikes read as Cyrillic and `0` beside a letter as `о`, only letters
    /// and digits, separated by single spaces.
    static func normalize(_ s: String) -> String {
        let lookAlikes: [Character: Character] = ["a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у",
                                                  "b": "в", "h": "н", "k": "к", "m": "м", "t": "т"]
        var words: [String] = []
        var current: [Character] = []
        func flush() {
            guard !current.isEmpty else { return }
            for i in current.indices where current[i] == "0" {
                if (i > 0 && current[i - 1].isLetter) || (i + 1 < current.count && current[i + 1].isLetter) { current[i] = "о" }
            }
            words.append(String(current.map { lookAlikes[$0] ?? $0 }))
            current = []
        }
        for ch in s.lowercased().replacingOccurrences(of: "ё", with: "е") {
            if ch.isLetter || ch.isNumber { current.append(ch) } else { flush() }
        }
        flush()
        return words.joined(separator: " ")
    }

    static func score(name: String, fixture: Fixture, parsed: ParsedResolution) -> Score {
        var s = Score(name: name, fixtureTasks: fixture.tasks.count, producedTasks: parsed.tasks.count)
        var used = Set<Int>()
        let produced = parsed.tasks.map { normalize($0.text) }
        for expected in fixture.tasks {
            let prefix = normalize(expected.starts)
            guard let i = produced.indices.first(where: { !used.contains($0) && produced[$0].hasPrefix(prefix) }) else { continue }
            used.insert(i)
            s.matched += 1
            if parsed.tasks[i].deadline?.deadline == expected.deadline?.deadline { s.deadlinesEqual += 1 }
            if parsed.tasks[i].level == expected.level { s.levelsEqual += 1 }
        }
        let d = fixture.document, p = parsed.document
        if d.kind != p.kind { s.documentFailures.append("kind") }
        if d.date != p.date { s.documentFailures.append("date") }
        for (field, want, got) in [("title", d.title, p.title), ("body", d.body, p.body), ("place", d.place, p.place)]
            where !normalize(want).isEmpty && !normalize(got).contains(normalize(want)) {
            s.documentFailures.append(field)
        }
        return s
    }

    /// The document next to `name.expected.json`: `name.txt`, `.docx` or `.pdf`, or any other file named `name.*`.
    static func document(for fixture: URL) -> URL? {
        let dir = fixture.deletingLastPathComponent()
        let base = fixture.lastPathComponent.replacingOccurrences(of: ".expected.json", with: "")
        for ext in ["txt", "docx", "pdf"] {
            let url = dir.appendingPathComponent(base + "." + ext)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        let others = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return others.first { $0.hasPrefix(base + ".") && !$0.hasSuffix(".json") }.map { dir.appendingPathComponent($0) }
    }

    static func fixtures(in dir: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".expected.json") }.sorted().map { dir.appendingPathComponent($0) }
    }

    static func run(_ url: URL) -> Score {
        let name = url.lastPathComponent.replacingOccurrences(of: ".expected.json", with: "")
        do {
            let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
            guard let doc = document(for: url) else { return Score(name: name, error: "no document next to the fixture") }
            let parsed = ResolutionReader.parse(text: try ResolutionReader.text(fromFile: doc.path))
            var s = score(name: name, fixture: fixture, parsed: parsed)
            s.origin = origin(of: fixture.source)
            return s
        } catch {
            return Score(name: name, error: "\(error)")
        }
    }

    /// `real` when the fixture's source is a public address, `written` when the document was written
    /// for the evaluation, `sample` otherwise (the development documents name a file).
    static func origin(of source: String?) -> String {
        guard let source else { return "" }
        if source.hasPrefix("http://") || source.hasPrefix("https://") { return "real" }
        if source.lowercased().contains("written for the evaluation") { return "written" }
        return "sample"
    }

    /// All documents of a group pooled: each task counts once, whatever its document.
    static func pooled(_ name: String, _ scores: [Score]) -> Score {
        var all = Score(name: name)
        for s in scores where s.error == nil {
            all.fixtureTasks += s.fixtureTasks
            all.producedTasks += s.producedTasks
            all.matched += s.matched
            all.deadlinesEqual += s.deadlinesEqual
            all.levelsEqual += s.levelsEqual
        }
        return all
    }

    static func table(_ title: String, _ scores: [Score]) -> String {
        func pct(_ x: Double) -> String { String(format: "%5.1f%%", x * 100) }
        func row(_ s: Score, heading: String) -> String {
            "\(s.name.padding(toLength: 32, withPad: " ", startingAt: 0)) \(s.origin.padding(toLength: 7, withPad: " ", startingAt: 0)) \(String(format: "%5d  %5d", s.fixtureTasks, s.producedTasks)) \(pct(s.recall)) \(pct(s.precision)) \(pct(s.deadlineAccuracy)) \(pct(s.levelAccuracy))  \(heading)"
        }
        var lines = ["\(title)", "document                         origin  tasks  found  recall  precis  deadln   level  heading"]
        for s in scores {
            if let e = s.error { lines.append("\(s.name.padding(toLength: 32, withPad: " ", startingAt: 0)) ERROR \(e)"); continue }
            lines.append(row(s, heading: s.documentFailures.isEmpty ? "ok" : "differs: " + s.documentFailures.joined(separator: ",")))
        }
        if scores.count > 1 { lines.append(row(pooled("(all tasks pooled)", scores), heading: "")) }
        return lines.joined(separator: "\n")
    }
}

/// Spec §5 goals (issue 17): task recall ≥ 0.95, deadline accuracy ≥ 0.9, precision ≥ 0.9.
enum Goals {
    static let recall = 0.95
    static let deadlineAccuracy = 0.9
    static let precision = 0.9
}

@Suite struct FixtureTests {
    /// Development documents (`Fixtures/*.expected.json`), read while the importer's rules were written:
    /// the goals are gated here, per document.
    @Test func development() {
        let scores = Scoring.fixtures(in: fixturesDirectory).map(Scoring.run)
        print(Scoring.table("Seen: development documents (Fixtures/), gated", scores))
        #expect(!scores.isEmpty, "no fixtures in \(fixturesDirectory.path)")
        for s in scores {
            #expect(s.error == nil, "\(s.name): \(s.error ?? "")")
            #expect(s.recall >= Goals.recall, "\(s.name): task recall \(s.recall)")
            #expect(s.deadlineAccuracy >= Goals.deadlineAccuracy, "\(s.name): deadline accuracy \(s.deadlineAccuracy)")
            #expect(s.precision >= Goals.precision, "\(s.name): precision \(s.precision)")
        }
    }

    /// The development samples (the three documents supplied with the project) stay perfect while general rules are added: every task found, nothing
    /// else, every deadline and level right (a rule that costs a sample is not general).
    @Test func samplesStayPerfect() {
        // The documents supplied with the project, not those written for the evaluation (gated by `development`).
        for s in Scoring.fixtures(in: fixturesDirectory).map(Scoring.run) where s.origin == "sample" {
            #expect(s.error == nil && s.recall == 1 && s.precision == 1 && s.deadlineAccuracy == 1 && s.levelAccuracy == 1,
                    "\(s.name): recall \(s.recall), precision \(s.precision), deadlines \(s.deadlineAccuracy), levels \(s.levelAccuracy)")
        }
    }

    /// Development documents still in work (`Fixtures/in-work/`): seen, committed with their truth before the importer first
    /// ran on them, and below a goal when the day ended. Reported here, not gated, until their rules are written; then
    /// they move up to `Fixtures/` and are gated there. A document here that meets every goal is said so, to be moved.
    @Test func inWork() {
        let scores = Scoring.fixtures(in: fixturesDirectory.appendingPathComponent("in-work")).map(Scoring.run)
        guard !scores.isEmpty else { return }
        print(Scoring.table("In work: development documents below a goal (Fixtures/in-work/), reported, not gated", scores))
        for s in scores where s.error == nil && s.recall >= Goals.recall && s.deadlineAccuracy >= Goals.deadlineAccuracy && s.precision >= Goals.precision {
            print("\(s.name) meets every goal now: move it up to Fixtures/, where it is gated")
        }
    }

    /// Unseen documents (`Fixtures/held-out/`), never read by whoever writes the importer's rules
    /// (see the README there): their figures are printed against the same goals but not gated, so that
    /// nobody is pushed to tune the rules to them. A document the importer cannot read is printed as
    /// an ERROR row, also not gated. An empty set (being refilled) is said so and passes.
    @Test func unseen() {
        let dir = fixturesDirectory.appendingPathComponent("held-out")
        let scores = Scoring.fixtures(in: dir).map(Scoring.run)
        // The set may be empty while it is refilled (or the folder absent): nothing to score is not a failure.
        guard !scores.isEmpty else {
            print("Unseen: no held-out documents (no *.expected.json in Fixtures/held-out/): nothing to score")
            return
        }
        print(Scoring.table("Unseen: held-out documents (Fixtures/held-out/), reported, not gated", scores))
        let below = scores.filter { $0.error != nil || $0.recall < Goals.recall || $0.deadlineAccuracy < Goals.deadlineAccuracy || $0.precision < Goals.precision }
        print("Unseen documents below a goal (recall ≥ \(Goals.recall), deadlines ≥ \(Goals.deadlineAccuracy), precision ≥ \(Goals.precision)): \(below.count) of \(scores.count)")
    }
}
