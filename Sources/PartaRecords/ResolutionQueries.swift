import PartaCore
import PartaStore

/// An imported resolution as listed.
public struct ResolutionRow: Sendable, Equatable {
    public var id: String, title: String, kind: String, date: String
}

/// A correction a hub made to a task of an imported resolution (hub-local, never replicated).
public struct CorrectionRow: Sendable, Equatable {
    public var key: String, field: String, value: String
    public init(key: String, field: String, value: String) {
        self.key = key
        self.field = field
        self.value = value
    }
}

/// Queries of `resolutions` and of the hub-local `resolution_corrections`.
public struct ResolutionQueries {
    let database: Database

    public init(_ replica: Replica) { database = replica.database }

    /// The resolution imported last.
    public func latest() throws -> String? {
        try database.scalar("SELECT id FROM resolutions ORDER BY imported_at DESC, rowid DESC LIMIT 1")?.textValue
    }

    public func exists(_ id: String) throws -> Bool {
        try database.scalar("SELECT 1 FROM resolutions WHERE id = ?", [.text(id)]) != nil
    }

    /// Resolutions whose id contains `fragment` (`%` taken literally) or whose source is `fragment`.
    public func ids(matching fragment: String) throws -> [String] {
        try database.select("SELECT id FROM resolutions WHERE id LIKE ? ESCAPE '\\' OR source = ?",
                            [.text("%" + fragment.replacingOccurrences(of: "%", with: "\\%") + "%"), .text(fragment)])
            .compactMap { $0.optionalText("id") }
    }

    /// A resolution's title; nil for none.
    public func title(_ id: String) throws -> String? {
        try database.scalar("SELECT title FROM resolutions WHERE id = ?", [.text(id)])?.textValue
    }

    /// Every resolution in the order imported.
    public func list() throws -> [ResolutionRow] {
        try database.select("SELECT id, title, kind, date FROM resolutions ORDER BY imported_at, id").map {
            ResolutionRow(id: $0.text("id"), title: $0.text("title"), kind: $0.text("kind"), date: $0.text("date"))
        }
    }

    /// The corrections kept for `resolution`, in the order stored.
    public func corrections(resolution: String) throws -> [CorrectionRow] {
        try database.select("SELECT key, field, value FROM resolution_corrections WHERE resolution = ? ORDER BY rowid", [.text(resolution)])
            .map { CorrectionRow(key: $0.text("key"), field: $0.text("field"), value: $0.text("value")) }
    }

    /// Replaces the corrections kept for `resolution` (in the caller's transaction, if any).
    public func replaceCorrections(resolution: String, with corrections: [CorrectionRow], at now: Int64) throws {
        try database.run("DELETE FROM resolution_corrections WHERE resolution = ?", [.text(resolution)])
        for c in corrections {
            try database.run("INSERT OR REPLACE INTO resolution_corrections (resolution, key, field, value, at) VALUES (?, ?, ?, ?, ?)",
                             [.text(resolution), .text(c.key), .text(c.field), .text(c.value), .integer(now)])
        }
    }
}
