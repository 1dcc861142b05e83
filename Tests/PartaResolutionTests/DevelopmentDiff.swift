import Foundation
import Testing
@testable import PartaResolution

/// Per-task differences on one **development** document (`Fixtures/NAME.expected.json`), for whoever
/// writes rules: `PARTA_DIFF=NAME swift test --skip-build --filter DevelopmentDiff` (with `PARTA_DIFF_OUT=FILE`, also into FILE; `PARTA_DIFF_TEXT=FILE` writes the text as read). Never on the unseen
/// set: a name with a path in it is refused, and only `Fixtures/` itself and `Fixtures/in-work/` are read.
@Suite struct DevelopmentDiff {
    @Test func printDifferences() throws {
        guard let name = ProcessInfo.processInfo.environment["PARTA_DIFF"], !name.isEmpty else { return }
        #expect(!name.contains("/") && !name.contains("held-out"), "development documents only")
        guard !name.contains("/"), !name.contains("held-out") else { return }
        // A development document still in work (`Fixtures/in-work/`, below a goal and not yet gated) is looked for there too.
        let seen = fixturesDirectory.appendingPathComponent(name + ".expected.json")
        let inWork = fixturesDirectory.appendingPathComponent("in-work").appendingPathComponent(name + ".expected.json")
        let url = FileManager.default.fileExists(atPath: seen.path) ? seen : inWork
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        guard let doc = Scoring.document(for: url) else { return }
        let text = try ResolutionReader.text(fromFile: doc.path)
        // `PARTA_DIFF_TEXT=FILE`: the document's text as read (before normalisation), to see what a reader made of it.
        if let out = ProcessInfo.processInfo.environment["PARTA_DIFF_TEXT"], !out.isEmpty {
            try text.write(toFile: out, atomically: true, encoding: .utf8)
        }
        let parsed = ResolutionReader.parse(text: text)
        var used = Set<Int>()
        let produced = parsed.tasks.map { Scoring.normalize($0.text) }
        func show(_ d: DeadlineText?) -> String { d.map { "\($0.deadline) «\($0.raw)»" } ?? "nil" }
        var lines = ["document: \(parsed.document)"]
        for e in fixture.tasks {
            let prefix = Scoring.normalize(e.starts)
            guard let i = produced.indices.first(where: { !used.contains($0) && produced[$0].hasPrefix(prefix) }) else {
                lines.append("MISSING \(e.number ?? "") \(e.starts)"); continue
            }
            used.insert(i)
            let t = parsed.tasks[i]
            let dOK = t.deadline?.deadline == e.deadline?.deadline, lOK = t.level == e.level
            if dOK && lOK { lines.append("ok      \(t.number) \(e.starts.prefix(40))"); continue }
            lines.append("DIFFERS \(t.number) \(e.starts.prefix(50))")
            if !dOK { lines.append("    deadline want \(show(e.deadline)) got \(show(t.deadline))") }
            if !lOK { lines.append("    level want \(e.level) got \(t.level) addressees \(t.addressees) section \(t.section)") }
        }
        for i in parsed.tasks.indices where !used.contains(i) {
            lines.append("EXTRA   \(parsed.tasks[i].number) \(parsed.tasks[i].text.prefix(90)) | \(show(parsed.tasks[i].deadline))")
        }
        // Long reports can be cut in the test log; `PARTA_DIFF_OUT=FILE` writes the whole report there.
        if let out = ProcessInfo.processInfo.environment["PARTA_DIFF_OUT"], !out.isEmpty {
            try lines.joined(separator: "\n").write(toFile: out, atomically: true, encoding: .utf8)
        }
        print(lines.joined(separator: "\n"))
    }
}
