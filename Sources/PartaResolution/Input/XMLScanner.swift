import Foundation

/// A forgiving scanner over XML bytes: tags with attributes, and text between them. No DTDs, no validation.
///
/// Linear in the input: every byte is looked at a bounded number of times, and no entity is expanded
/// beyond one character. Under a ``Budget`` it stops with a ``ResolutionError`` when elements nest deeper
/// than ``ResolutionLimits/maxXMLDepth`` (open tags not yet closed) or the time limit passes.
enum XMLScanner {
    struct Tag {
        var name: String
        var attributes: [String: String]
        var closing: Bool
        var selfClosing: Bool
    }

    static func scan(_ b: [UInt8], budget: Budget, tag onTag: (Tag) throws -> Void, text onText: (ArraySlice<UInt8>) throws -> Void) throws {
        var i = 0
        let n = b.count
        var depth = 0
        let maxDepth = budget.limits.maxXMLDepth
        while i < n {
            try budget.tick()
            if b[i] != UInt8(ascii: "<") {
                var j = i
                while j < n && b[j] != UInt8(ascii: "<") { j += 1 }
                try onText(b[i..<j])
                i = j
                continue
            }
            // Comments, declarations, CDATA.
            if i + 3 < n && b[i + 1] == UInt8(ascii: "!") && b[i + 2] == UInt8(ascii: "-") && b[i + 3] == UInt8(ascii: "-") {
                var j = i + 4
                while j + 2 < n && !(b[j] == UInt8(ascii: "-") && b[j + 1] == UInt8(ascii: "-") && b[j + 2] == UInt8(ascii: ">")) { j += 1 }
                i = j + 3
                continue
            }
            var j = i + 1
            var quote: UInt8?
            while j < n {
                let c = b[j]
                if let q = quote { if c == q { quote = nil } } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { quote = c } else if c == UInt8(ascii: ">") { break }
                j += 1
            }
            guard j < n else { return }
            let inner = b[(i + 1)..<j]
            i = j + 1
            guard let first = inner.first, first != UInt8(ascii: "?"), first != UInt8(ascii: "!") else { continue }
            let tag = parseTag(inner)
            if tag.closing {
                depth = max(0, depth - 1)
            } else if !tag.selfClosing {
                depth += 1
                if depth > maxDepth { throw budget.refuse(.nestedTooDeep(limit: maxDepth)) }
            }
            try onTag(tag)
        }
    }

    static func parseTag(_ inner: ArraySlice<UInt8>) -> Tag {
        var s = inner
        var closing = false, selfClosing = false
        if s.first == UInt8(ascii: "/") { closing = true; s = s.dropFirst() }
        if s.last == UInt8(ascii: "/") { selfClosing = true; s = s.dropLast() }
        let isSpace = { (c: UInt8) in c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        let nameEnd = s.firstIndex(where: isSpace) ?? s.endIndex
        let name = String(decoding: s[s.startIndex..<nameEnd], as: UTF8.self)
        var attributes: [String: String] = [:]
        var k = nameEnd
        while k < s.endIndex {
            while k < s.endIndex && isSpace(s[k]) { k += 1 }
            let keyStart = k
            while k < s.endIndex && s[k] != UInt8(ascii: "=") && !isSpace(s[k]) { k += 1 }
            let key = String(decoding: s[keyStart..<k], as: UTF8.self)
            while k < s.endIndex && s[k] != UInt8(ascii: "\"") && s[k] != UInt8(ascii: "'") { k += 1 }
            guard k < s.endIndex else { break }
            let q = s[k]
            k += 1
            let valueStart = k
            while k < s.endIndex && s[k] != q { k += 1 }
            attributes[key] = decodeEntities(s[valueStart..<min(k, s.endIndex)])
            k += 1
        }
        return Tag(name: name, attributes: attributes, closing: closing, selfClosing: selfClosing)
    }

    /// `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&#1072;`, `&#x430;`.
    static func decodeEntities(_ bytes: ArraySlice<UInt8>) -> String {
        let s = String(decoding: bytes, as: UTF8.self)
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "&", let semi = s[i...].prefix(12).firstIndex(of: ";") {
                let entity = s[s.index(after: i)..<semi]
                var replacement: String?
                switch entity {
                case "amp": replacement = "&"
                case "lt": replacement = "<"
                case "gt": replacement = ">"
                case "quot": replacement = "\""
                case "apos": replacement = "'"
                default:
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X"), let v = UInt32(entity.dropFirst(2), radix: 16), let u = Unicode.Scalar(v) {
                        replacement = String(Character(u))
                    } else if entity.hasPrefix("#"), let v = UInt32(entity.dropFirst()), let u = Unicode.Scalar(v) {
                        replacement = String(Character(u))
                    }
                }
                if let r = replacement {
                    out += r
                    i = s.index(after: semi)
                    continue
                }
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }
}
