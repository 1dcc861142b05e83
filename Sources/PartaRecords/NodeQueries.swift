import PartaCore
import PartaStore

/// A municipality (a domain partition) registered at a region's hub.
public struct DomainRow: Sendable, Equatable {
    public var id: String, name: String
}

/// A computer as a school's (or a municipality's) page lists it.
public struct ComputerRow: Sendable, Equatable {
    public var id: String, name: String, revoked: Bool
}

/// Reads of the engine's replicated `nodes` and `partitions` tables (application tables like
/// Parta's own, which applications read; the store's private `parta_*` tables go through ``Replica``).
public struct NodeQueries {
    let database: Database

    public init(_ replica: Replica) { database = replica.database }

    /// A node's name; nil for a node this replica does not know.
    public func name(_ id: String) throws -> String? {
        try database.scalar("SELECT name FROM nodes WHERE id = ?", [.text(id)])?.textValue
    }

    /// A node's recorded role, nil for a node this replica does not know.
    public func role(_ id: String) throws -> RecordedRole? {
        RecordedRole(stored: try database.scalar("SELECT role FROM nodes WHERE id = ?", [.text(id)]))
    }

    /// A partition's name (a municipality's), nil when none.
    public func partitionName(_ id: String) throws -> String? {
        try database.scalar("SELECT name FROM partitions WHERE id = ?", [.text(id)])?.textValue
    }

    /// The domain (municipality) partition `id` belongs to, nil when none.
    public func domain(ofPartition id: String) throws -> String? {
        try database.scalar("SELECT domain FROM partitions WHERE id = ?", [.text(id)])?.textValue
    }

    /// The domain of every partition ("" for none), by partition id.
    public func domainsByPartition() throws -> [String: String] {
        var result: [String: String] = [:]
        for r in try database.select("SELECT id, coalesce(domain, '') AS domain FROM partitions") { result[r.text("id")] = r.text("domain") }
        return result
    }

    /// The partitions of kind `kind`, by id.
    public func partitions(kind: String) throws -> [DomainRow] {
        try database.select("SELECT id, name FROM partitions WHERE kind = ? ORDER BY id", [.text(kind)]).map { DomainRow(id: $0.text("id"), name: $0.text("name")) }
    }

    /// The first live hub of `domain`, by id.
    public func hub(ofDomain domain: String) throws -> String? {
        try database.scalar("SELECT id FROM nodes WHERE role = 'hub' AND domain = ? AND revoked_at IS NULL ORDER BY id LIMIT 1", [.text(domain)])?.textValue
    }

    /// How many partitions of domain `domain` are not of kind `kind`.
    public func countPartitions(inDomain domain: String, notOfKind kind: String) throws -> Int64 {
        try database.scalar("SELECT count(*) FROM partitions WHERE domain = ? AND kind <> ?", [.text(domain), .text(kind)])?.integerValue ?? 0
    }

    /// The school computers of `partition`, or the hubs of `domain`, by name.
    public func computers(partition: String) throws -> [ComputerRow] {
        try computers(where: "n.partition = ? AND n.role = 'member'", partition)
    }

    public func hubs(domain: String) throws -> [ComputerRow] {
        try computers(where: "n.domain = ? AND n.role = 'hub'", domain)
    }

    private func computers(where condition: String, _ argument: String) throws -> [ComputerRow] {
        try database.select("SELECT n.id, n.name, n.revoked_at IS NOT NULL AS revoked FROM nodes n WHERE \(condition) ORDER BY n.name", [.text(argument)])
            .map { ComputerRow(id: $0.text("id"), name: $0.text("name"), revoked: $0.bool("revoked")) }
    }
}
