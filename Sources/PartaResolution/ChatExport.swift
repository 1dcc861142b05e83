import Foundation

/// A messenger group's history saved as text (spec §1, *a chat export*): lines that open with a message's date,
/// time and author (`[13.10.2025 09:05] Ляхова И.С. (РОО): …`, `13.10.2025, 09:05 - Ляхова И.С. (РОО): …`), the
/// lines after one going on with it, and a heading above the first.
///
/// Only the issuer's messages (the author of the most) are read, each as a short document dated by its own day; a
/// forwarded message assigns nothing. Built from the raw text before normalisation, so that a message's lines are
/// never joined to another's.
struct ChatExport {
    struct Message {
        var day: Day
        var author: String
        var lines: [String]
        /// `[Пересланное сообщение]`: another document passed on.
        var forwarded: Bool
    }

    var heading: [String]
    var messages: [Message]
    /// The author of the most messages (the first of them on a tie).
    var issuer: String

    private static let prefix = Pattern(#"^\[?(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2}),?\s+\d{1,2}:\d{2}(?::\d{2})?\]?\s*(?:[-–]\s*)?([^:\[\]<>]{2,80}?):(?:\s+|$)"#)
    private static let forwardedMark = Pattern(#"^\s*\[?(?:пересланное\s+сообщение|forwarded\s+message|переслано\s+от)"#)

    /// The chat, or nil when the text is not one: three or more message lines, a third or more of its non-blank lines.
    static func parse(_ text: String, budget: Budget) throws -> ChatExport? {
        // Cheap refusal first: a chat's first message line is near its top.
        guard text.prefix(4000).contains(where: { $0 == ":" }) else { return nil }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var heading: [String] = [], messages: [Message] = []
        var nonBlank = 0
        for line in lines {
            try budget.tick()
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            nonBlank += 1
            if let m = prefix.firstMatch(in: trimmed), let d = Int(m.group(1) ?? ""), let mo = Int(m.group(2) ?? ""),
               let y = DeadlineParser.fullYear(m.group(3) ?? ""), let day = Day.valid(y, mo, d) {
                let rest = String(trimmed[m.range.upperBound...])
                messages.append(Message(day: day, author: (m.group(4) ?? "").trimmingCharacters(in: .whitespaces),
                                        lines: rest.isEmpty ? [] : [rest], forwarded: forwardedMark.matches(rest)))
            } else if messages.isEmpty {
                if messages.isEmpty && nonBlank > 40 { return nil }
                heading.append(trimmed)
            } else {
                messages[messages.count - 1].lines.append(trimmed)
            }
        }
        guard messages.count >= 3, messages.count * 3 >= nonBlank else { return nil }
        var counts: [String: Int] = [:]
        for m in messages { counts[m.author, default: 0] += 1 }
        let top = counts.values.max() ?? 0
        guard let issuer = messages.first(where: { counts[$0.author] == top })?.author else { return nil }
        return ChatExport(heading: heading, messages: messages, issuer: issuer)
    }

    /// The text of a message as a document: without lines in angle brackets (`<Стикер>`, `<Файл: …>`).
    static func text(of message: Message) -> String {
        message.lines.filter { !($0.hasPrefix("<") && $0.hasSuffix(">")) }.joined(separator: "\n")
    }

    /// `По п.3 вчерашнего сообщения срок продлён до 24.10`: the item's number, when the message moves a deadline.
    private static let move = Pattern(#"(?:п\.|пункт[ау]?)\s*(\d{1,2})(?![\d.]\d)[^.!?]{0,80}?(?:продл[её]н|продлева|перенос|перенес|изменен|сдвига|устанавлива)|(?:продл[её]н|перенос|перенес|изменен)[а-я]*[^.!?]{0,40}?(?:п\.|пункт[ау]?)\s*(\d{1,2})(?![\d.]\d)"#)

    /// The item's number and its new deadline, when the message moves one (`… переносится на 28.10`: `на` as `до`).
    static func movedItem(in text: String, reference: Day) -> (item: String, deadline: DeadlineText)? {
        let folded = Russian.fold(text)
        guard folded.count == text.count, let m = move.firstMatch(in: folded), let item = m.group(1) ?? m.group(2) else { return nil }
        let offset = folded.distance(from: folded.startIndex, to: m.range.upperBound)
        var rest = String(text[text.index(text.startIndex, offsetBy: offset)...])
        if let on = rest.range(of: #"^[а-яё]*\s+на\s"#, options: .regularExpression) {
            rest = String(rest[..<on.upperBound].dropLast(3)) + "до " + rest[on.upperBound...]
        }
        guard let deadline = DeadlineParser.find(in: rest, reference: reference) ?? DeadlineParser.find(in: text, reference: reference) else { return nil }
        return (item, deadline)
    }
}
