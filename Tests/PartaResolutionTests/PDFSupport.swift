import Foundation
@testable import PartaResolution

/// Builds small PDFs for the tests: Helvetica with a `/Differences` encoding that names the Cyrillic
/// glyphs (`/afii10017` = А …), so `pdftotext` maps the bytes back to Russian text.
enum TestPDF {
    /// CP1251-style byte for a character, and the glyph name at that byte.
    static func glyphs() -> [(byte: UInt8, char: Character, name: String)] {
        var out: [(UInt8, Character, String)] = []
        for i in 0..<32 {
            let upper = Character(Unicode.Scalar(0x0410 + UInt32(i))!), lower = Character(Unicode.Scalar(0x0430 + UInt32(i))!)
            out.append((UInt8(0xC0 + i), upper, "afii\(10017 + i + (i >= 6 ? 1 : 0))"))
            out.append((UInt8(0xE0 + i), lower, "afii\(10065 + i + (i >= 6 ? 1 : 0))"))
        }
        out += [(0xA8, "Ё", "afii10023"), (0xB8, "ё", "afii10071"), (0xAB, "«", "guillemotleft"), (0xBB, "»", "guillemotright"),
                (0x96, "–", "endash"), (0x97, "—", "emdash"), (0xB9, "№", "afii61352")]
        return out
    }

    static func stringLiteral(_ text: String) -> String {
        let table = Dictionary(uniqueKeysWithValues: glyphs().map { ($0.char, $0.byte) })
        var out = "("
        for ch in text {
            if let b = table[ch] {
                out += "\\" + String(b, radix: 8)
            } else if ch == "(" || ch == ")" || ch == "\\" {
                out += "\\" + String(ch)
            } else if let a = ch.asciiValue {
                out += String(UnicodeScalar(a))
            }
        }
        return out + ")"
    }

    /// A PDF with one page per element of `pages`, each a list of lines; a page of `nil` has no text (a scan).
    /// One piece of text placed on a page: its left edge and baseline in points from the bottom left.
    struct Run {
        var x: Int, y: Int, text: String
    }

    /// A PDF with one page per element of `pages`, each a list of lines from the top (14 points apart).
    static func make(pages: [[String]?]) -> [UInt8] {
        make(placed: pages.map { lines in lines.map { $0.enumerated().map { Run(x: 40, y: 800 - 14 * $0.offset, text: $0.element) } } })
    }

    /// A PDF whose pages hold text runs at given places; a page of `nil` has no text (a scan).
    static func make(placed pages: [[Run]?]) -> [UInt8] {
        let differences = glyphs().sorted { $0.byte < $1.byte }.map { "\($0.byte) /\($0.name)" }.joined(separator: " ")
        var objects: [String] = []
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        let pageIDs = pages.indices.map { 4 + $0 * 2 }
        objects.append("<< /Type /Pages /Kids [\(pageIDs.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pages.count) >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 0 /LastChar 255 /Widths [\((0..<256).map { $0 == 32 ? "278" : "556" }.joined(separator: " "))] /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [\(differences)] >> >>")
        for lines in pages {
            var content = ""
            if let lines {
                for run in lines {
                    content += "BT /F1 10 Tf \(run.x) \(run.y) Td \(stringLiteral(run.text)) Tj ET\n"
                }
            } else {
                content = "0.5 g 40 40 500 700 re f\n"
            }
            let pageID = objects.count + 1
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents \(pageID + 1) 0 R >>")
            objects.append("<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream")
        }
        var pdf = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (i, o) in objects.enumerated() {
            offsets.append(pdf.utf8.count)
            pdf += "\(i + 1) 0 obj\n\(o)\nendobj\n"
        }
        let xref = pdf.utf8.count
        pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { pdf += String(format: "%010d 00000 n \n", o) }
        pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(pdf.utf8)
    }
}
