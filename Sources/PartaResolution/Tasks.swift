import Foundation

/// Turning classified paragraphs into tasks (spec §3): which items are tasks, how numbered items with
/// several directives split, which headings form the section path, and what each task inherits.
enum Tasks {
    /// The first directive infinitive of a sentence (outside quotes and parentheses, within its first
    /// 30 words), folded; nil when there is none or the sentence only agrees or assesses
    /// (`Согласиться с выводами …`, `Признать удовлетворительным …`, `Принять к сведению …`).
    static func directiveVerb(in text: String) -> String? {
        guard let (verb, _) = firstDirective(in: text) else { return nil }
        return verb
    }

    private static let closingFormula = Pattern(#"^контроль\s+(?:за\s+|над\s+)?(?:исполнени|выполнени|реализаци)"#)

    /// The directive infinitive and its position among the words.
    static func firstDirective(in text: String) -> (String, Int)? {
        // The closing formula `Контроль за исполнением решения возложить на …` assigns no work.
        if closingFormula.matches(Russian.fold(text)) { return nil }
        let words = Addressees.wordSpans(Russian.maskQuoted(text, parentheses: true)).prefix(30).map { Russian.fold($0.word) }
        var i = 0
        while i < words.count {
            let w = words[i]
            if Russian.isInfinitive(w) {
                let next = i + 1 < words.count ? words[i + 1] : ""
                if w == "считать" && ["необходимым", "целесообразным", "важным", "нужным"].contains(next) { i += 2; continue }
                if w == "принять" && next == "к" { return nil }
                if Russian.nonDirectiveVerbs.contains(w) { return nil }
                return (w, i)
            }
            i += 1
        }
        return nil
    }

    private static let introStart = Pattern(#"^(?:в|во|для|с|на|при|по|в целях|в рамках|в части|с целью|в соответствии|на основе|по итогам|совместно)\s"#)

    /// In running text without a decision formula, a directive must lead its sentence: the infinitive is
    /// among the first words, after an addressee or an introductory phrase.
    static func leadsWithDirective(_ text: String) -> Bool {
        guard let (_, index) = firstDirective(in: text) else { return false }
        if index <= 1 { return true }
        if Addressees.leading(text) != nil { return true }
        return introStart.matches(Russian.fold(text)) && index <= 15
    }

    private static let targetPatterns = [
        Pattern(#"(?:не\s+(?:менее|ниже|более|выше)\s+|более\s+|свыше\s+|до\s+)?\d+(?:[.,]\d+)?\s*%(?:\s+[а-яё]+(?:ых|их)\s+[а-яё]+|\s+(?!от\s|в\s|на\s|и\s|к\s)[а-яё]+)?"#),
        Pattern(#"не\s+(?:менее|ниже|более)\s+(?:\d+(?:[.,]\d+)?|одно[йгму]?[а-яё]*|дв[уха][а-яё]*|тр[её][хм]?[а-яё]*|четыр[а-яё]*|пят[иь][а-яё]*|шест[иь][а-яё]*|десят[иь][а-яё]*)\s+[а-яё]+(?:\s+[а-яё]+)?"#),
    ]

    /// Numeric targets as printed: `не менее 70%`, `65% обучающихся`.
    static func targets(in text: String) -> [String] {
        let masked = Russian.maskQuoted(text)
        var found: [(Range<String.Index>, String)] = []
        for p in targetPatterns {
            for m in p.matches(in: masked) where !found.contains(where: { $0.0.overlaps(m.range) }) {
                found.append((m.range, m.text.trimmingCharacters(in: .whitespaces)))
            }
        }
        return found.sorted { $0.0.lowerBound < $1.0.lowerBound }.map(\.1)
    }

    private static let label = Pattern(#"(?<![а-яё])(срок[иа]?(?:\s+(?:исполнения|выполнения|реализации|проведения))?|ответственн[а-яё]*(?:\s+за\s+исполнение)?|отв\.|исполнител[а-яё]*)\s*(?:[:–—-]|(?=\s+до\s))"#)

    /// Cuts labelled remarks out of a task's text: `(срок – до 01.09.2020)`, `(отв. — Иванов И.И., срок — …)`,
    /// or a trailing `… . Срок: в течение года. Ответственные: …`.
    static func extractInline(_ text: String) -> (text: String, deadline: String?, responsible: [String]) {
        let labels = label.matches(in: text)
        guard !labels.isEmpty else { return (text, nil, []) }
        let chars = Array(text)
        func offset(_ i: String.Index) -> Int { text.distance(from: text.startIndex, to: i) }
        // Parenthesised groups that start with a label, and a trailing run of labels after a sentence break.
        var cuts: [Range<Int>] = []
        var depth = 0, open = 0
        for (i, ch) in chars.enumerated() {
            if ch == "(" { if depth == 0 { open = i }; depth += 1 }
            if ch == ")" && depth > 0 {
                depth -= 1
                if depth == 0 {
                    let inner = String(chars[(open + 1)..<i]).trimmingCharacters(in: .whitespaces)
                    if let m = label.firstMatch(in: inner), m.range.lowerBound == inner.startIndex { cuts.append(open..<(i + 1)) }
                }
            }
        }
        for m in labels {
            let start = offset(m.range.lowerBound)
            if cuts.contains(where: { $0.contains(start) }) { continue }
            let before = String(chars[..<start]).trimmingCharacters(in: .whitespaces)
            guard let last = before.last, ".;,".contains(last) || !Russian.startsLowercase(String(chars[start...])) else { continue }
            cuts.append(start..<chars.count)
            break
        }
        guard !cuts.isEmpty else { return (text, nil, []) }
        var deadline: String?
        var responsible: [String] = []
        for cut in cuts {
            let piece = String(chars[cut])
            let found = label.matches(in: piece)
            for (k, m) in found.enumerated() {
                let end = k + 1 < found.count ? found[k + 1].range.lowerBound : piece.endIndex
                let value = String(piece[m.range.upperBound..<end]).trimmingCharacters(in: CharacterSet(charactersIn: " ,;()"))
                if Russian.fold(m.group(1) ?? "").hasPrefix("срок") {
                    if deadline == nil { deadline = value.trimmingCharacters(in: CharacterSet(charactersIn: " .")) }
                } else {
                    responsible += Structure.splitResponsible(value)
                }
            }
        }
        var kept = chars
        for cut in cuts.sorted(by: { $0.lowerBound > $1.lowerBound }) { kept.removeSubrange(cut) }
        let remaining = ResolutionNormalizer.collapseSpaces(Substring(String(kept))).replacingOccurrences(of: " .", with: ".")
            .replacingOccurrences(of: " ;", with: ";").replacingOccurrences(of: " ,", with: ",")
        return (remaining.trimmingCharacters(in: CharacterSet(charactersIn: " ,")), deadline, responsible)
    }

    /// Splits an item at `;` into directives that each carry their own deadline; one part otherwise.
    static func splitByDeadlines(_ text: String, reference: Day?) -> [String] {
        let masked = Array(Russian.maskQuoted(text, parentheses: true))
        let chars = Array(text)
        var segments: [String] = []
        var current = ""
        for (i, ch) in chars.enumerated() {
            current.append(ch)
            if masked[i] == ";" {
                segments.append(current)
                current = ""
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { segments.append(current) }
        guard segments.count > 1 else { return [text] }
        var parts: [(text: String, dated: Bool)] = []
        for seg in segments {
            let dated = DeadlineParser.find(in: seg, reference: reference) != nil
            if let last = parts.last, !(last.dated && dated && directiveVerb(in: seg) != nil) {
                parts[parts.count - 1] = (last.text + seg, last.dated || dated)
            } else {
                parts.append((seg, dated))
            }
        }
        return parts.map { $0.text.trimmingCharacters(in: .whitespaces) }
    }

    /// The bodies in a closing parenthesis that names who acts: `… (управление образования, руководители ОО).`
    static func trailingBodies(_ text: String) -> [String]? {
        var t = text
        while let last = t.last, ".;, ".contains(last) { t.removeLast() }
        guard t.hasSuffix(")"), let open = t.lastIndex(of: "(") else { return nil }
        let inner = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
        let bodies = Addressees.split(inner)
        // Named in the nominative, as actors; `(работодателями, органами власти)` names partners, not who acts.
        let oblique = ["ами", "ями", "ыми", "ими", "ом", "ем", "ой", "ей", "ам", "ям", "ым", "им"]
        let actors = bodies.allSatisfy { body in
            let first = Russian.fold(Russian.words(body).first ?? "")
            return Levels.ofBody(body) != nil && (Russian.isAbbreviation(Russian.words(body).first ?? "") || !oblique.contains { first.hasSuffix($0) })
        }
        guard !bodies.isEmpty, actors, Russian.words(inner).count <= 16 else { return nil }
        return bodies
    }

    /// Task text as stored: trimmed, without a trailing `;` or `,`.
    static func clean(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespaces)
        while let last = t.last, last == ";" || last == "," || last == " " { t.removeLast() }
        return t
    }
}

/// Walks the paragraphs after the decision formula, keeping the stack of open headings and groups.
struct TaskBuilder {
    struct Frame {
        var heading: Heading
        var taskIndices: [Int] = []
        /// Roman titles and headings without a number start a new numbering under them.
        var isBarrier: Bool { heading.marker == nil || heading.marker?.isRoman == true || heading.marker?.style == .upperLetter }
    }

    struct Draft {
        var task: ResolutionTask
        var deadlineFromLine = false
        /// A deadline is printed for this part, even one that could not be resolved (`в течение года` without a date).
        var hasOwnDeadline: Bool { task.deadline != nil || deadlineFromLine }
    }

    struct OpenItem {
        var marker: ListMarker?
        var parts: [Draft]
        var isTask: Bool
        var frameIndex: Int?
    }

    let reference: Day?
    var stack: [Frame] = []
    var tasks: [ResolutionTask] = []
    var open: OpenItem?
    var rootDirective: Bool
    var lastWasDeadlineLine = false

    init(reference: Day?, rootDirective: Bool) {
        self.reference = reference
        self.rootDirective = rootDirective
    }

    mutating func run(_ paragraphs: ArraySlice<String>) -> [ResolutionTask] {
        for p in paragraphs {
            if Structure.isDecisionFormula(p) {
                closeOpen()
                popFrames(to: 0)
                rootDirective = true
                lastWasDeadlineLine = false
                continue
            }
            let block = Structure.classify(p)
            switch block {
            case .deadline(let raw):
                attachDeadline(raw)
                lastWasDeadlineLine = true
                continue
            case .responsible(let bodies):
                if var item = open, !item.parts.isEmpty {
                    item.parts[item.parts.count - 1].task.responsible = bodies
                    open = item
                }
            case .heading(let h):
                closeOpen()
                place(h)
            case .item(let marker, let text):
                if marker == nil, continues(text) {
                    open!.parts.append(makeDraft(text: text, number: open!.parts[0].task.number))
                } else {
                    closeOpen()
                    startItem(marker: marker, text: text)
                }
            }
            lastWasDeadlineLine = false
        }
        closeOpen()
        popFrames(to: 0)
        return tasks
    }

    // MARK: Frames

    /// Pops frames from `index` up; the innermost popped group takes a deadline printed once after its last item.
    mutating func popFrames(to index: Int) {
        guard index < stack.count else { return }
        let innermost = stack[stack.count - 1]
        if lastWasDeadlineLine { shareGroupDeadline(innermost) }
        stack.removeSubrange(index...)
    }

    /// A `Срок:` after the last sub-item of a group whose other items have no deadline belongs to them all.
    mutating func shareGroupDeadline(_ frame: Frame) {
        let indices = frame.taskIndices
        guard indices.count >= 2, let last = indices.last, let d = tasks[last].deadline else { return }
        guard indices.dropLast().allSatisfy({ tasks[$0].deadline == nil }) else { return }
        for i in indices.dropLast() { tasks[i].deadline = d }
    }

    /// Where a numbered paragraph goes: next to the frame of the same numbering, under its parent.
    mutating func popForMarker(_ marker: ListMarker) {
        var i = stack.count - 1
        while i >= 0 {
            let f = stack[i]
            if marker.isRoman {
                if f.heading.marker?.isRoman == true { popFrames(to: i); return }
                i -= 1
                continue
            }
            if f.isBarrier { return }
            guard let fm = f.heading.marker else { return }
            switch (fm.style, marker.style) {
            case (.arabic(let a), .arabic(let b)), (.arabicParen(let a), .arabicParen(let b)), (.roman(let a), .roman(let b)):
                if a >= b { popFrames(to: i); return }
                if a < b { return } // the parent group
            default:
                if fm.style == marker.style { popFrames(to: i); return }
            }
            i -= 1
        }
    }

    mutating func place(_ h: Heading) {
        if let marker = h.marker {
            popForMarker(marker)
        } else {
            // An unnumbered heading replaces the open heading of the same kind (`Задачи краевого уровня:` → `Задачи муниципального уровня:`).
            var i = stack.count - 1
            while i >= 0, stack[i].heading.marker == nil {
                if stack[i].heading.key == h.key { popFrames(to: i); break }
                i -= 1
            }
        }
        stack.append(Frame(heading: h))
    }

    // MARK: Items

    var directiveContext: Bool {
        if let top = stack.last { return top.heading.directive || (top.heading.introduces && rootDirective && top.heading.key == "aspect") }
        return rootDirective
    }

    /// An unnumbered paragraph right after a numbered task continues it (a second directive of the same item).
    func continues(_ text: String) -> Bool {
        guard let item = open, item.isTask, let marker = item.marker, !marker.isBullet else { return false }
        return Russian.startsLowercase(text) || Tasks.directiveVerb(in: text) != nil && Tasks.firstDirective(in: text)!.1 <= 1
    }

    mutating func startItem(marker: ListMarker?, text: String) {
        if let marker { popForMarker(marker) }
        var isTask: Bool
        if Tasks.directiveVerb(in: text) != nil {
            // A numbered or bulleted item after the formula may put its verb late (`В рамках проекта «…» провести …`);
            // a plain paragraph must lead with it, so that closing remarks are not read as tasks.
            isTask = (rootDirective || !stack.isEmpty) && marker != nil ? true : Tasks.leadsWithDirective(text)
        } else if Tasks.firstDirective(in: text) == nil, hasNonDirectiveVerb(text) {
            isTask = false
        } else {
            let listLike = marker != nil || ((text.hasSuffix(";") || text.hasSuffix(".")) && Russian.startsLowercase(text))
            isTask = directiveContext && listLike
        }
        // `Утвердить план работы …` with nobody named is the council approving a document, not a task.
        if isTask, let (verb, index) = Tasks.firstDirective(in: text), verb == "утвердить", index == 0,
           !stack.contains(where: { !$0.heading.addressees.isEmpty || $0.heading.level != nil }) {
            isTask = false
        }
        var number = marker?.number ?? ""
        if number.isEmpty, marker == nil || marker!.isBullet {
            // A sub-item inherits the number of the item that introduces its group.
            if let m = stack.last(where: { $0.heading.introduces && $0.heading.marker.map { !$0.isBullet && !$0.isRoman } == true })?.heading.marker {
                number = m.printed
            }
        }
        let parts = isTask ? Tasks.splitByDeadlines(text, reference: reference) : [text]
        open = OpenItem(marker: marker, parts: parts.map { makeDraft(text: $0, number: number) }, isTask: isTask,
                        frameIndex: stack.isEmpty ? nil : stack.count - 1)
    }

    func hasNonDirectiveVerb(_ text: String) -> Bool {
        let words = Addressees.wordSpans(Russian.maskQuoted(text, parentheses: true)).prefix(30).map { Russian.fold($0.word) }
        return words.contains { Russian.isInfinitive($0) }
    }

    func makeDraft(text: String, number: String) -> Draft {
        let inline = Tasks.extractInline(text)
        var deadline: DeadlineText?
        if let raw = inline.deadline, let d = DeadlineParser.parse(raw, reference: reference) {
            deadline = DeadlineText(raw: raw, deadline: d)
        } else {
            deadline = DeadlineParser.find(in: inline.text, reference: reference)
        }
        var addressees: [String] = []
        // `Классным руководителям [в течение года] информировать …`: a dative body, then the directive.
        if let lead = Addressees.leading(Tasks.clean(inline.text)), let (_, index) = Tasks.firstDirective(in: lead.rest), index <= 8,
           lead.addressees.joined(separator: " ").split(separator: " ").count <= 14 {
            addressees = lead.addressees
        }
        if addressees.isEmpty, let frame = stack.last(where: { !$0.heading.addressees.isEmpty }) {
            addressees = frame.heading.addressees
        }
        // The section path: headings and group introductions, not addressee lines; an introduction that only
        // leads into titled sections (`3. Определить приоритеты … по четырем направлениям:` above `I. …`) is left out.
        let firstTitle = stack.firstIndex { !$0.heading.introduces }
        let section = stack.enumerated().compactMap { (i, f) -> String? in
            guard f.heading.addressees.isEmpty else { return nil }
            if let t = firstTitle, i < t, f.heading.marker != nil { return nil }
            if let m = f.heading.marker, m.isRoman || m.style == .upperLetter, !f.heading.introduces { return m.printed + " " + f.heading.text }
            return f.heading.text
        }
        let cleaned = Tasks.clean(inline.text)
        let level = Levels.ofAddressees(addressees)
            ?? stack.reversed().lazy.compactMap(\.heading.level).first
            ?? Levels.ofWords(cleaned)
            ?? Tasks.trailingBodies(cleaned).flatMap(Levels.ofAddressees)
            ?? .other
        let task = ResolutionTask(number: number, text: cleaned, section: section, addressees: addressees, level: level,
                                  deadline: deadline, responsible: inline.responsible, targets: Tasks.targets(in: cleaned))
        return Draft(task: task, deadlineFromLine: inline.deadline != nil)
    }

    mutating func attachDeadline(_ raw: String) {
        guard var item = open, !item.parts.isEmpty else { return }
        let last = item.parts.count - 1
        guard !item.parts[last].deadlineFromLine else { return }
        if let d = DeadlineParser.parse(raw, reference: reference) {
            item.parts[last].task.deadline = DeadlineText(raw: raw, deadline: d)
        }
        item.parts[last].deadlineFromLine = true
        open = item
    }

    /// Emits the open item: continuation parts that do not carry their own deadline join the part before.
    mutating func closeOpen() {
        guard let item = open else { return }
        open = nil
        guard item.isTask else { return }
        var merged: [Draft] = []
        for part in item.parts {
            if var last = merged.last, !(last.hasOwnDeadline && part.hasOwnDeadline) {
                last.task.text += " " + part.task.text
                last.task.deadline = last.task.deadline ?? part.task.deadline
                last.deadlineFromLine = last.deadlineFromLine || part.deadlineFromLine
                last.task.responsible += part.task.responsible
                last.task.targets += part.task.targets
                merged[merged.count - 1] = last
            } else {
                merged.append(part)
            }
        }
        for draft in merged {
            if let f = item.frameIndex, f < stack.count { stack[f].taskIndices.append(tasks.count) }
            tasks.append(draft.task)
        }
    }
}
