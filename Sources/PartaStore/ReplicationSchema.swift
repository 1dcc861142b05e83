@_exported import PartaCore

/// How an application declares what replicates: tables, their fields, who may write them, and
/// which nodes hold which rows. The engine knows nothing else about the application.
public struct ReplicationSchema: Sendable {
    public let tables: [ReplicatedTable]
    /// The application's tables that never travel (``LocalSchema``), made and upgraded by the store.
    public let local: LocalSchema
    private let byName: [String: ReplicatedTable]

    /// The engine's own table of nodes (`id`, `role`, `name`, `partition`, the public keys
    /// `signing_key` (Ed25519) and `sealing_key` (X25519) in base64, `revoked_at`, the hub's
    /// time in ms when it stopped trusting the node, and, for a hub under another hub, `domain`:
    /// the partition it governs there). A node writes its own record except `revoked_at`; a hub
    /// also writes records of others. Hubs' records are held everywhere, members' records within
    /// their partition.
    public static let nodesTable = ReplicatedTable(
        name: "nodes",
        columns: [.init("role"), .init("name"), .init("partition"), .init("signing_key"), .init("sealing_key"), .init("revoked_at"),
                  .init("domain")],
        scope: .partitioned, writers: .hub)

    /// The engine's table of partitions that hubs govern (Protocol/replication-v1.md §12, tiers):
    /// row `P`, in partition `P`, says which `domain` governs `P` (empty: the top hub itself), its
    /// `kind` (`domain` for a partition that a lower hub governs as a whole, else a member
    /// partition such as a school) and a display `name`. A lower hub claims its partitions here;
    /// its upper hub accepts its data only in the partitions it claimed first.
    public static let partitionsTable = ReplicatedTable(
        name: "partitions",
        columns: [.init("domain", .text), .init("kind", .text), .init("name", .text)],
        scope: .partitioned, writers: .hub)

    /// - Precondition: table names are unique, not `nodes` or `partitions`, and every name is a plain identifier.
    public init(tables: [ReplicatedTable], local: LocalSchema = LocalSchema(version: 0, tables: [])) {
        // Claims first, then node records: each authorises what follows it in a bundle (replication-v1.md §7.4).
        let all = [ReplicationSchema.partitionsTable, ReplicationSchema.nodesTable] + tables
        precondition(Set(all.map(\.name)).count == all.count, "replicated table names must be unique, and not nodes or partitions")
        for table in all {
            precondition(ReplicationSchema.isIdentifier(table.name), "table name \(table.name) must be [a-z_][a-z0-9_]*")
            for column in table.columns {
                precondition(ReplicationSchema.isIdentifier(column.name) && !column.name.hasPrefix("_") && column.name != "id",
                             "column \(table.name).\(column.name) must be a plain identifier, not id or _-prefixed")
            }
            if case .keyedByPartition(let key, let part) = table.identity {
                precondition(table.hasColumn(key) && (part.map(table.hasColumn) ?? true), "\(table.name)'s identity names a column it lacks")
            }
            for case .sameRowIn(let other) in table.requires {
                precondition(all.contains { $0.name == other && $0.scope == table.scope }, "\(table.name) requires a table of its scope")
            }
        }
        for table in local.tables {
            precondition(ReplicationSchema.isIdentifier(table.name) && !table.name.hasPrefix("parta_") && !all.contains { $0.name == table.name },
                         "local table name \(table.name) must be a plain identifier, not parta_-prefixed nor a replicated table's")
        }
        self.tables = all
        self.local = local
        self.byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    }

    public func table(named name: String) -> ReplicatedTable? {
        // A few tables are found faster by comparing names than by hashing one (this is called
        // for every change of an apply); the dictionary serves large schemas.
        if tables.count <= 16 {
            for i in tables.indices where tables[i].name == name { return tables[i] }
            return nil
        }
        return byName[name]
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }
}

/// One replicated table: every column is a last-writer-wins register; rows are addressed by a
/// text `id` and belong to one partition, fixed when the row is created.
public struct ReplicatedTable: Sendable {
    public struct Column: Sendable {
        /// The column's SQLite type. `text`, `integer` and `real` are also enforced on every change,
        /// written here or received (a value of another type, other than null, is refused); `any`
        /// takes every type.
        public enum Affinity: String, Sendable { case text = "TEXT", integer = "INTEGER", real = "REAL", any = "" }
        public var name: String
        public var affinity: Affinity
        /// What values the column takes beyond its type; checked on every change at every node.
        public var constraint: ValueConstraint?
        /// Bookkeeping about the row's other fields (who wrote it, when), not a value of its own: it
        /// merges like any field, but no conflict is recorded on it, since the fields it annotates
        /// record theirs. Conflict counts and conflict logs then agree with what users see.
        public var annotation: Bool
        public init(_ name: String, _ affinity: Affinity = .any, _ constraint: ValueConstraint? = nil, annotation: Bool = false) {
            self.name = name
            self.affinity = affinity
            self.constraint = constraint
            self.annotation = annotation
        }
    }

    /// Which nodes hold a row.
    public enum Scope: Sendable, Equatable {
        /// Every node holds every row (partition ``Change/everywhere``).
        case everywhere
        /// A row belongs to one partition (for Parta, a school); hubs and that partition's members hold it.
        case partitioned
        /// Rows live on hubs (partition ``Change/unpartitioned``) and reach a member while some live row
        /// of table `via` in the member's partition names the row's id in column `column`.
        /// The referencing row drags the whole current row along when it reaches a member.
        case referenced(via: String, column: String)
    }

    /// Who may write a table's rows.
    public enum Writers: Sendable, Equatable {
        /// Hub nodes only.
        case hub
        /// Member nodes, each only rows of its own partition.
        case partitionMembers
    }

    public var name: String
    public var columns: [Column]
    public var scope: Scope
    public var writers: Writers
    /// How a row's id is tied to its partition and fields (``RowIdentity``).
    public var identity: RowIdentity
    /// Rows that must exist (live or deleted) before a change to a row of this table is accepted.
    public var requires: [RowRequirement]
    /// The feature a node must read to hold this table (replication-v1 §6.1): its rows travel only
    /// to nodes that declared it, since a release without the table refuses a bundle naming it.
    /// Empty for the tables every release knows.
    public var feature: ReadFeatures

    public init(name: String, columns: [Column], scope: Scope, writers: Writers,
                identity: RowIdentity = .free, requires: [RowRequirement] = [], feature: ReadFeatures = []) {
        self.name = name
        self.columns = columns
        self.scope = scope
        self.writers = writers
        self.identity = identity
        self.requires = requires
        self.feature = feature
    }

    func hasColumn(_ name: String) -> Bool { columns.contains { $0.name == name } }

    public func column(named name: String) -> Column? { columns.first { $0.name == name } }
}

/// The role a node's record states (column `role` of the engine's `nodes` table): what rights
/// checks compare against. A record with any other text has neither role, so no rights.
public enum RecordedRole: String, Sendable, Codable, Equatable {
    /// A hub: writes the hub's tables; its record is held everywhere.
    case hub
    /// A member of one partition (a school computer).
    case member

    /// The role a stored `role` value states, or nil for anything else.
    public init?(stored value: Value?) {
        guard let text = value?.textValue, let role = RecordedRole(rawValue: text) else { return nil }
        self = role
    }

    /// The value written in a record.
    public var value: Value { .text(rawValue) }
}

/// What a node is in the tree of replicas.
public enum NodeRole: Hashable, Sendable, CustomStringConvertible {
    /// Holds every row and writes the hub's tables.
    case hub
    /// Holds its partition's rows (and rows they reference); writes only its partition's member tables.
    case member(partition: String)

    public var partition: String {
        switch self {
        case .hub: return Change.everywhere
        case .member(let p): return p
        }
    }

    public var description: String {
        switch self {
        case .hub: return "hub"
        case .member(let p): return "member of \(p)"
        }
    }
}

/// The tables an application keeps on one computer only (accounts, its own bookkeeping): never
/// replicated, never in a bundle, but in the replica's file, so in its backups too.
///
/// The store makes them at ``Replica/create(at:schema:nodeID:role:name:keys:trustedHub:enrollmentCode:now:maxDrift:)``
/// and brings them up to date at ``Replica/open(at:schema:keys:)`` when the replica's recorded
/// local version (`parta_meta`, `local_schema_version`) is below ``version``: in one transaction,
/// each table is created if missing and given the ``LocalTable/addedColumns`` it lacks. Both
/// steps keep what a replica holds, so a table an earlier release made by itself (before the store
/// owned it) is taken up as it is. Raise ``version`` with every change of the declarations.
public struct LocalSchema: Sendable {
    public var version: Int64
    public var tables: [LocalTable]
    public init(version: Int64, tables: [LocalTable]) {
        self.version = version
        self.tables = tables
    }
}

/// One table of a ``LocalSchema``.
public struct LocalTable: Sendable {
    /// A column added after the table first shipped: `definition` as in `ALTER TABLE … ADD COLUMN`
    /// (a `NOT NULL` column needs a default).
    public struct AddedColumn: Sendable {
        public var name: String
        public var definition: String
        public init(_ name: String, _ definition: String) {
            self.name = name
            self.definition = definition
        }
    }

    public var name: String
    /// What follows the table's name in `CREATE TABLE`: its columns and constraints in parentheses,
    /// and options (`WITHOUT ROWID`); the added columns included.
    public var definition: String
    public var addedColumns: [AddedColumn]
    public init(name: String, definition: String, addedColumns: [AddedColumn] = []) {
        self.name = name
        self.definition = definition
        self.addedColumns = addedColumns
    }
}
