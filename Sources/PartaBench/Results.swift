import Foundation

/// One line of the printed table.
struct TableRow {
    var name: String
    var parta: String
    var reference: String
    var goal: String
    var met: String
}

/// What the run found: JSON keys and table rows.
final class Results {
    var json: [String: Any] = [:]
    var rows: [TableRow] = []

    subscript(key: String) -> Any? {
        get { json[key] }
        set { json[key] = newValue }
    }

    func merge(_ other: [String: Any]) { for (k, v) in other { json[k] = v } }

    func add(_ name: String, parta: String, reference: String, goal: String, met: Bool?) {
        rows.append(TableRow(name: name, parta: parta, reference: reference, goal: goal,
                             met: met.map { $0 ? "yes" : "NO" } ?? "—"))
    }

    func renderTable() -> String {
        let header = TableRow(name: "Measurement", parta: "Parta", reference: "Raw SQLite reference", goal: "Goal", met: "Met?")
        let all = [header] + rows
        func width(_ f: (TableRow) -> String) -> Int { all.map { f($0).count }.max() ?? 0 }
        let w = [width(\.name), width(\.parta), width(\.reference), width(\.goal), width(\.met)]
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        func line(_ r: TableRow) -> String {
            [pad(r.name, w[0]), pad(r.parta, w[1]), pad(r.reference, w[2]), pad(r.goal, w[3]), r.met].joined(separator: " | ")
        }
        let rule = w.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }

    func renderJSON() throws -> String {
        let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
