import Foundation
import PartaCore

/// Charts drawn on the server as SVG: no script, nothing fetched. Each one is an image with a
/// title and a description for screen readers (`role="img"`, `aria-labelledby`), every bar
/// labelled in text as well as colour, colours with at least 4.5:1 contrast on white; the same
/// figures are in a table on the page.
enum Charts {
    static let done = "#1b6e3a", inProgress = "#0b57a4", blocked = "#a4231b", new = "#8a9099", warn = "#8a5300"

    /// One bar of a stacked chart: a label (and a link), its parts, and the text at its end.
    struct StackedBar {
        var label: String
        var link: String?
        var parts: [(value: Int, colour: String)]
        var note: String
    }

    /// Charts are fluid: the SVG is as wide as the page (`width="100%"`, no `viewBox`), bars and
    /// columns are placed in percentages of that width and texts keep their size, so a phone
    /// 390 px wide shows the same chart as a desktop, narrower, and no text leaves the screen.
    /// Texts are placed so that they fit in `narrowest` px (a phone's width less the page's
    /// margins): the legend wraps there, and a bar's label is shortened so that it and its note
    /// fit on one line (the full label stays in its tooltip, and every figure is in a table).
    static let narrowest = 340.0
    /// About how wide a character of the charts' 13 px text is, in px (DejaVu Sans, Cyrillic,
    /// rounded up: a phone's system font is narrower).
    static let characterWidth = 7.8

    /// Horizontal stacked bars, one per row (progress by school): the label and the note on one
    /// line, the bar below it across the whole width.
    static func stackedBars(id: String, title: String, description: String, bars: [StackedBar], legend: [(String, String)]) -> String {
        let rowHeight = 42.0
        let (key, keyHeight) = legendRows(legend, top: 0)
        let top = keyHeight + 6
        let height = top + rowHeight * Double(max(1, bars.count)) + 4
        var svg = open(id: id, title: title, description: description, height: height) + key
        let lineLength = Int(narrowest / characterWidth)
        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * rowHeight
            let room = max(12, lineLength - bar.note.count - 2)
            let label = "<text x=\"0\" y=\"\(f(y + 14))\">\(HTML.escape(shorten(bar.label, room)))<title>\(HTML.escape(bar.label))</title></text>"
            svg += bar.link.map { "<a href=\"\(HTML.escape($0))\">\(label)</a>" } ?? label
            svg += "<text x=\"100%\" y=\"\(f(y + 14))\" text-anchor=\"end\" fill=\"#4a4f57\">\(HTML.escape(bar.note))</text>"
            let total = max(1, bar.parts.reduce(0) { $0 + $1.value })
            var x = 0.0
            for part in bar.parts where part.value > 0 {
                let w = 100 * Double(part.value) / Double(total)
                svg += "<rect x=\"\(f(x))%\" y=\"\(f(y + 20))\" width=\"\(f(w))%\" height=\"14\" fill=\"\(part.colour)\"/>"
                x += w
            }
        }
        return svg + "</svg>"
    }

    /// One column of the deadlines chart.
    struct Column {
        var label: String
        /// Shown under the column where the year changes (and under the first); empty otherwise.
        var year: String = ""
        var parts: [(value: Int, colour: String)]
    }

    /// Vertical stacked columns (deadlines by month), with the count above each column. With more
    /// than 12 columns every other label is marked `minor`, which a narrow screen hides.
    static func columns(id: String, title: String, description: String, columns: [Column], legend: [(String, String)]) -> String {
        let (key, keyHeight) = legendRows(legend, top: 0)
        let top = keyHeight + 22, plotHeight = 160.0, bottom = 36.0
        let height = top + plotHeight + bottom
        let slot = 100 / Double(max(1, columns.count))
        let peak = max(1, columns.map { $0.parts.reduce(0) { $0 + $1.value } }.max() ?? 1)
        var svg = open(id: id, title: title, description: description, height: height) + key
        svg += "<line x1=\"0\" y1=\"\(f(top + plotHeight))\" x2=\"100%\" y2=\"\(f(top + plotHeight))\" stroke=\"#4a4f57\"/>"
        for (i, column) in columns.enumerated() {
            let centre = "\(f((Double(i) + 0.5) * slot))%"
            var y = top + plotHeight
            let total = column.parts.reduce(0) { $0 + $1.value }
            for part in column.parts where part.value > 0 {
                let h = plotHeight * Double(part.value) / Double(peak)
                y -= h
                svg += "<rect x=\"\(f((Double(i) + 0.15) * slot))%\" y=\"\(f(y))\" width=\"\(f(slot * 0.7))%\" height=\"\(f(h))\" fill=\"\(part.colour)\"/>"
            }
            let minor = columns.count > 12 && i % 2 == 1 ? " class=\"minor\"" : ""
            svg += "<text x=\"\(centre)\" y=\"\(f(y - 4))\" text-anchor=\"middle\" font-size=\"12\">\(total)</text>"
            svg += "<text x=\"\(centre)\" y=\"\(f(top + plotHeight + 15))\" text-anchor=\"middle\" font-size=\"12\"\(minor)>\(HTML.escape(column.label))</text>"
            if !column.year.isEmpty {
                svg += "<text x=\"\(centre)\" y=\"\(f(top + plotHeight + 30))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#4a4f57\">\(HTML.escape(column.year))</text>"
            }
        }
        return svg + "</svg>"
    }

    private static func open(id: String, title: String, description: String, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"100%\" height=\"\(f(height))\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" font-family=\"system-ui, sans-serif\" font-size=\"13\" fill=\"#1a1a1a\">"
            + "<title id=\"\(id)-title\">\(HTML.escape(title))</title><desc id=\"\(id)-desc\">\(HTML.escape(description))</desc>"
    }

    /// The legend, wrapped into as many rows as it needs to fit in ``narrowest``; its height.
    private static func legendRows(_ legend: [(String, String)], top: Double) -> (svg: String, height: Double) {
        var svg = "", x = 0.0, y = top + 14
        for (label, colour) in legend {
            let width = 18 + Double(label.count) * characterWidth
            if x > 0 && x + width > narrowest {
                x = 0
                y += 20
            }
            svg += "<rect x=\"\(f(x))\" y=\"\(f(y - 11))\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(f(x + 17))\" y=\"\(f(y))\">\(HTML.escape(label))</text>"
            x += width + 14
        }
        return (svg, y + 6 - top)
    }

    static func shorten(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    private static func f(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
