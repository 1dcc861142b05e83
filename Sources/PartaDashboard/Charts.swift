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

    /// Horizontal stacked bars, one per row (progress by school).
    static func stackedBars(id: String, title: String, description: String, bars: [StackedBar], legend: [(String, String)]) -> String {
        let labelWidth = 260.0, barWidth = 320.0, noteWidth = 200.0, rowHeight = 26.0, top = 34.0
        let width = labelWidth + barWidth + noteWidth
        let height = top + rowHeight * Double(max(1, bars.count)) + 8
        var svg = open(id: id, title: title, description: description, width: width, height: height)
        svg += legendRow(legend, x: labelWidth, y: 14)
        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * rowHeight
            let total = max(1, bar.parts.reduce(0) { $0 + $1.value })
            let label = "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(y + 16))\" text-anchor=\"end\">\(HTML.escape(shorten(bar.label, 32)))<title>\(HTML.escape(bar.label))</title></text>"
            svg += bar.link.map { "<a href=\"\(HTML.escape($0))\">\(label)</a>" } ?? label
            var x = labelWidth
            for part in bar.parts where part.value > 0 {
                let w = barWidth * Double(part.value) / Double(total)
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y + 4))\" width=\"\(f(w))\" height=\"\(f(rowHeight - 8))\" fill=\"\(part.colour)\"/>"
                x += w
            }
            svg += "<text x=\"\(f(labelWidth + barWidth + 8))\" y=\"\(f(y + 16))\">\(HTML.escape(bar.note))</text>"
        }
        return svg + "</svg>"
    }

    /// One column of the deadlines chart.
    struct Column {
        var label: String
        var parts: [(value: Int, colour: String)]
    }

    /// Vertical stacked columns (deadlines by month), with the count above each column.
    static func columns(id: String, title: String, description: String, columns: [Column], legend: [(String, String)]) -> String {
        let left = 36.0, top = 40.0, plotHeight = 180.0, bottom = 40.0
        let columnWidth = max(28.0, min(56.0, 640.0 / Double(max(1, columns.count))))
        let width = left + columnWidth * Double(max(1, columns.count)) + 16
        let height = top + plotHeight + bottom
        let peak = max(1, columns.map { $0.parts.reduce(0) { $0 + $1.value } }.max() ?? 1)
        var svg = open(id: id, title: title, description: description, width: max(width, 360), height: height)
        svg += legendRow(legend, x: left, y: 14)
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(width - 8))\" y2=\"\(f(top + plotHeight))\" stroke=\"#4a4f57\"/>"
        for (i, column) in columns.enumerated() {
            let x = left + Double(i) * columnWidth + 4
            var y = top + plotHeight
            let total = column.parts.reduce(0) { $0 + $1.value }
            for part in column.parts where part.value > 0 {
                let h = plotHeight * Double(part.value) / Double(peak)
                y -= h
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(columnWidth - 8))\" height=\"\(f(h))\" fill=\"\(part.colour)\"/>"
            }
            svg += "<text x=\"\(f(x + (columnWidth - 8) / 2))\" y=\"\(f(y - 4))\" text-anchor=\"middle\">\(total)</text>"
            svg += "<text x=\"\(f(x + (columnWidth - 8) / 2))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\" font-size=\"12\">\(HTML.escape(column.label))</text>"
        }
        return svg + "</svg>"
    }

    private static func open(id: String, title: String, description: String, width: Double, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" font-family=\"system-ui, sans-serif\" font-size=\"13\" fill=\"#1a1a1a\">"
            + "<title id=\"\(id)-title\">\(HTML.escape(title))</title><desc id=\"\(id)-desc\">\(HTML.escape(description))</desc>"
    }

    private static func legendRow(_ legend: [(String, String)], x: Double, y: Double) -> String {
        var svg = "", cursor = x
        for (label, colour) in legend {
            svg += "<rect x=\"\(f(cursor))\" y=\"\(f(y - 10))\" width=\"12\" height=\"12\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(f(cursor + 16))\" y=\"\(f(y))\">\(HTML.escape(label))</text>"
            cursor += 30 + Double(label.count) * 8.5
        }
        return svg
    }

    static func shorten(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    private static func f(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
