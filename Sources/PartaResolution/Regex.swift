import Foundation

/// A thin wrapper over `NSRegularExpression` returning Swift ranges and capture groups.
///
/// Patterns are ICU syntax, always case-insensitive and Unicode-aware unless `caseSensitive` is set.
struct Pattern: Sendable {
    let regex: NSRegularExpression

    init(_ pattern: String, caseSensitive: Bool = false) {
        var options: NSRegularExpression.Options = [.useUnicodeWordBoundaries]
        if !caseSensitive { options.insert(.caseInsensitive) }
        do {
            regex = try NSRegularExpression(pattern: pattern, options: options)
        } catch {
            fatalError("bad pattern \(pattern): \(error)")
        }
    }

    struct Match {
        let range: Range<String.Index>
        let groups: [Range<String.Index>?]
        let source: String

        var text: String { String(source[range]) }
        func group(_ i: Int) -> String? {
            guard i < groups.count, let r = groups[i] else { return nil }
            return String(source[r])
        }
    }

    func matches(in s: String, from start: String.Index? = nil) -> [Match] {
        let ns = NSRange((start ?? s.startIndex)..<s.endIndex, in: s)
        return regex.matches(in: s, options: [], range: ns).compactMap { m in
            guard let r = Range(m.range, in: s) else { return nil }
            var groups: [Range<String.Index>?] = []
            for i in 0..<m.numberOfRanges {
                let g = m.range(at: i)
                groups.append(g.location == NSNotFound ? nil : Range(g, in: s))
            }
            return Match(range: r, groups: groups, source: s)
        }
    }

    func firstMatch(in s: String, from start: String.Index? = nil) -> Match? {
        let ns = NSRange((start ?? s.startIndex)..<s.endIndex, in: s)
        guard let m = regex.firstMatch(in: s, options: [], range: ns), let r = Range(m.range, in: s) else { return nil }
        var groups: [Range<String.Index>?] = []
        for i in 0..<m.numberOfRanges {
            let g = m.range(at: i)
            groups.append(g.location == NSNotFound ? nil : Range(g, in: s))
        }
        return Match(range: r, groups: groups, source: s)
    }

    func matches(_ s: String) -> Bool { firstMatch(in: s) != nil }

    func replacing(in s: String, with template: String) -> String {
        regex.stringByReplacingMatches(in: s, options: [], range: NSRange(s.startIndex..<s.endIndex, in: s), withTemplate: template)
    }
}
