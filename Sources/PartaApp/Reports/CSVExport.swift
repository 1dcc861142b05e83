import Foundation

/// A ``SummaryTable`` as CSV that Excel with Russian regional settings opens by double-click
/// (Protocol/exports-v1.md §3).
public enum CSVExport {
    /// The bytes of `table` as CSV: the UTF-8 byte order mark, then the header line and one line
    /// per row, every line (the last included) ended by CR LF, fields separated by `;`.
    ///
    /// - A field that contains `;`, `"`, CR or LF is enclosed in `"`, with each `"` doubled
    ///   (RFC 4180); no other field is quoted.
    /// - A text field (headers included) that starts with `=`, `+`, `-`, `@`, tab or CR gets a
    ///   leading `'`, so that a spreadsheet never runs it as a formula. Numbers are never changed.
    /// - Integers are written as digits with a leading `-` if negative; percentages with one
    ///   decimal and decimal numbers with two, both with a decimal comma (`33,3`); a date and time
    ///   as `YYYY-MM-DD HH:MM`, a date as `YYYY-MM-DD`; an empty cell, and a number that is not finite, as an empty field.
    ///
    /// The table's name is not written. The same table always gives the same bytes.
    public static func bytes(_ table: SummaryTable) -> [UInt8] {
        var out: [UInt8] = [0xEF, 0xBB, 0xBF]
        func line(_ fields: [String]) {
            out += Array(fields.map(quoted).joined(separator: ";").utf8)
            out += [0x0D, 0x0A]
        }
        line(table.headers.map(guarded))
        for row in table.paddedRows { line(row.map(field)) }
        return out
    }

    /// The text of one cell, before quoting.
    static func field(_ cell: SummaryTable.Cell) -> String {
        switch cell {
        case .empty: return ""
        case .text(let text): return guarded(text)
        case .integer(let n): return String(n)
        case .percent(let p): return decimal(p, places: 1)
        case .decimal(let d): return decimal(d, places: 2)
        case .dateTime(let t): return t.text
        case .date(let d): return d.dateText
        }
    }

    /// `value` rounded half away from zero to `places` decimals, with a decimal comma and no
    /// sign for a zero; empty if not finite.
    static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "" }
        var factor = 1.0
        for _ in 0..<places { factor *= 10 }
        let scaled = (value * factor).rounded(.toNearestOrAwayFromZero)
        guard scaled.magnitude < 1e15 else {
            return String(format: "%.\(places)f", value).replacingOccurrences(of: ".", with: ",")
        }
        let units = Int64(scaled), magnitude = String(units.magnitude)
        let padded = String(repeating: "0", count: max(0, places + 1 - magnitude.count)) + magnitude
        let whole = padded.dropLast(places), fraction = padded.suffix(places)
        return (units < 0 ? "-" : "") + whole + (places > 0 ? "," + fraction : "")
    }

    /// A text that a spreadsheet would take for a formula, prefixed with `'`.
    static func guarded(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    /// The field as written: quoted if it holds `;`, `"`, CR or LF.
    static func quoted(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
