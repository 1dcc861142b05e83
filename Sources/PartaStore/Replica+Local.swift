import PartaCore

/// The last bundle taken in from a peer (or from the nodes of a partition or domain): when it was
/// taken (local time, ms) and how it came (`http`, a file's path, or "").
public struct ReceivedBundle: Sendable, Equatable {
    public var at: Int64
    public var path: String
}

/// What a replica's exchange log holds about the bundles taken in from one node.
public struct BundlesReceived: Sendable, Equatable {
    /// The local time (ms) of the last one; nil for none.
    public var lastAt: Int64?
    /// How the last one came ("" for none).
    public var lastPath: String
    public var count: Int
}

extension Replica {
    /// Runs `body` in one transaction of the replica (a savepoint when nested): the writes it
    /// makes (``write(table:row:partition:values:now:)``) commit together, or none.
    public func transaction<T>(_ body: () throws -> T) throws -> T { try database.transaction(body) }

    /// The node id recorded in the replica file at `path`, read without opening it as a replica
    /// (which needs the node's keys); nil when none is recorded.
    public static func recordedNodeID(at path: String) throws -> String? {
        let probe = try Database(path: path, create: false)
        defer { probe.close() }
        return try probe.scalar("SELECT value FROM parta_meta WHERE key = 'node_id'")?.textValue
    }

    /// Closes the replica's file; the replica is not used after.
    public func closeFile() { database.close() }

    /// The stored values of `fields` of a live row of `table`, nil for no such row.
    ///
    /// - Precondition: `table` is one of the schema's tables and `fields` its columns.
    public func storedValues(table: String, row: String, fields: [String]) throws -> [String: Value]? {
        guard let definition = schema.table(named: table) else { preconditionFailure("no table \(table) in the schema") }
        for field in fields { precondition(definition.hasColumn(field), "no column \(table).\(field)") }
        let sql = "SELECT " + fields.map { "\"\($0)\"" }.joined(separator: ", ") + " FROM \"\(table)\" WHERE id = ?"
        guard let stored = try database.rows(sql, [.text(row)]).first else { return nil }
        return Dictionary(uniqueKeysWithValues: zip(fields, stored))
    }

    /// SQLite's `quick_check` of the replica's file: "ok" when intact.
    public func quickCheck() throws -> String {
        try database.scalar("PRAGMA quick_check")?.textValue ?? "?"
    }

    /// The local time (ms) of the last bundle taken in from `node`, nil for none.
    public func lastBundleReceived(from node: String) throws -> Int64? {
        try database.scalar("SELECT max(at) FROM parta_exchange WHERE direction = 'in' AND peer = ?", [.text(node)])?.integerValue
    }

    /// The bundles taken in from `node`: the last one's time and way, and how many.
    public func bundlesReceived(from node: String) throws -> BundlesReceived {
        let lastPath = try database.scalar("SELECT coalesce(path, '') FROM parta_exchange WHERE direction = 'in' AND peer = ? ORDER BY seq DESC LIMIT 1",
                                           [.text(node)])?.textValue
        let count = try database.scalar("SELECT count(*) FROM parta_exchange WHERE direction = 'in' AND peer = ?", [.text(node)])?.integerValue ?? 0
        return BundlesReceived(lastAt: try lastBundleReceived(from: node), lastPath: lastPath ?? "", count: Int(count))
    }

    /// The last bundle taken in from any node of each partition, and from any hub of each domain.
    /// `path` is that of the row holding the latest time (SQLite's bare column beside `max`).
    public func lastBundlesReceived() throws -> (byPartition: [String: ReceivedBundle], byDomain: [String: ReceivedBundle]) {
        var byPartition: [String: ReceivedBundle] = [:], byDomain: [String: ReceivedBundle] = [:]
        for r in try database.rows("""
            SELECT n.partition, max(e.at), coalesce(e.path, '') FROM parta_exchange e JOIN nodes n ON n.id = e.peer
            WHERE e.direction = 'in' GROUP BY n.partition
            """) { byPartition[r[0].textValue ?? ""] = ReceivedBundle(at: r[1].integerValue ?? 0, path: r[2].textValue ?? "") }
        for r in try database.rows("""
            SELECT n.domain, max(e.at), coalesce(e.path, '') FROM parta_exchange e JOIN nodes n ON n.id = e.peer
            WHERE e.direction = 'in' AND n.role = 'hub' AND n.domain IS NOT NULL GROUP BY n.domain
            """) { byDomain[r[0].textValue ?? ""] = ReceivedBundle(at: r[1].integerValue ?? 0, path: r[2].textValue ?? "") }
        return (byPartition, byDomain)
    }
}
