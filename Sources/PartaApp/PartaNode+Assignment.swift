import Foundation
import PartaCore
import PartaStore

extension PartaNode {
    /// Which schools an assignment rule gives a resolution's tasks to.
    public enum AssignmentTarget: Sendable, Equatable {
        /// Every school this hub governs directly.
        case all
        /// These school ids.
        case schools([String])
        /// Schools whose registered name holds this word in any case form (`СОШ`, `гимназия`, `филиал`).
        case type(String)
    }

    /// What ``assign(resolution:level:to:onlyTasks:now:)`` did.
    public struct AssignmentSummary: Codable, Sendable, Equatable {
        public struct Line: Codable, Sendable, Equatable {
            public var task: String
            public var number: String
            public var schools: [String]
            /// True when the resolution names the schools itself (they replace the rule's schools).
            public var namedInText: Bool
        }
        public var resolution: String
        public var lines: [Line]
        /// New assignments written (a school that had the task already is not counted).
        public var assigned: Int
    }

    /// The id of a resolution imported here: its full id, the end of it, or `latest`.
    public func resolveResolution(_ reference: String) throws -> String {
        let queries = ResolutionQueries(replica)
        if reference == "latest", let id = try queries.latest() { return id }
        if try queries.exists(reference) { return reference }
        let matches = try queries.ids(matching: reference)
        if matches.count == 1 { return matches[0] }
        throw PartaError(.invalidArgument, Message(
            en: matches.isEmpty ? "There is no resolution \(reference) here. See `parta hub resolutions`."
                                : "Several resolutions answer to \(reference) (\(matches.joined(separator: ", "))); give the full id.",
            ru: matches.isEmpty ? "Резолюции \(reference) здесь нет. Список — `parta hub resolutions`."
                                : "\(reference) подходит к нескольким резолюциям (\(matches.joined(separator: ", "))); укажите полный код."))
    }
}

extension HubNode {
    /// Assigns the tasks of `resolution` at `level` (hub only) to the schools `target` selects. A
    /// task whose addressees name registered schools ("МБОУ Мучкапской СОШ") goes to those schools
    /// only, whatever the rule. `onlyTasks` (numbers or ids) narrows the rule to some tasks: a
    /// per-task override. Existing assignments stay. One transaction.
    ///
    /// - Throws: ``PartaError/Code/invalidArgument`` for an unknown resolution or a rule that selects
    ///   no school; ``PartaError/Code/schoolNotFound`` for an unknown school id.
    public func assign(resolution reference: String, level: String?, to target: AssignmentTarget,
                       onlyTasks: [String] = [], now: UInt64) throws -> AssignmentSummary {
        let resolution = try resolveResolution(reference)
        let governed = try directlyGovernedSchools()
        let chosen: [String]
        switch target {
        case .all: chosen = governed
        case .schools(let ids):
            for id in ids { _ = try schoolName(id) }
            chosen = ids
        case .type(let word):
            let stem = SchoolNameMatcher.stem(word.lowercased().replacingOccurrences(of: "ё", with: "е"))
            chosen = try listSchools().filter { governed.contains($0.id) && SchoolNameMatcher.stems(of: $0.name).contains(stem) }.map(\.id)
            if chosen.isEmpty {
                throw PartaError(.invalidArgument, Message(
                    en: "No school's name holds \"\(word)\". See the names with `parta hub schools`.",
                    ru: "Ни в одном названии школы нет слова «\(word)». Названия — `parta hub schools`."))
            }
        }
        let only = try Set(onlyTasks.map { try resolveTask($0) })
        let matcher = SchoolNameMatcher(try listSchools().filter { governed.contains($0.id) }.map { .init(id: $0.id, name: $0.name) })
        let rows = try TaskQueries(replica).assignable(ofResolution: resolution)
        var summary = AssignmentSummary(resolution: resolution, lines: [], assigned: 0)
        try replica.transaction {
            for row in rows {
                let id = row.id
                guard id.hasSuffix("-" + taskTag), only.isEmpty || only.contains(id) else { continue }
                if let level, row.level != level, only.isEmpty { continue }
                let named = matcher.schools(namedIn: row.addressees)
                let schools = named.isEmpty ? chosen : named
                summary.assigned += try assign(task: id, to: schools, now: now)
                summary.lines.append(.init(task: id, number: row.number, schools: schools, namedInText: !named.isEmpty))
            }
        }
        return summary
    }
}
