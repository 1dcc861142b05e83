import PartaCore

/// How an apply regards the sender of a bundle, which decides the rights its changes need.
public enum SenderStanding: Sendable, Equatable {
    /// The member's hub, or a lower hub's upper hub: trusted for everything a hub writes.
    case above
    /// A member node of a partition, sending to its hub.
    case member(partition: String)
    /// A lower hub governing a domain, sending to its upper hub.
    case lowerHub(domain: String)
}

/// A node's record as rights checks see it: its role and its partition.
public struct NodeFacts: Sendable, Equatable {
    public var role: RecordedRole?
    public var partition: String
    /// The keys its record holds (base64), if any: they never change once written.
    public var signingKey: String?
    public var sealingKey: String?
    public init(role: RecordedRole?, partition: String, signingKey: String? = nil, sealingKey: String? = nil) {
        self.role = role
        self.partition = partition
        self.signingKey = signingKey
        self.sealingKey = sealingKey
    }
}

/// What the rights checks need to know about the receiving replica, and nothing else: who it is,
/// whom it trusts, the node records and partition claims it holds, and who wrote an unpartitioned
/// row. A ``Replica`` answers from its database (records applied earlier in the same bundle
/// included); tests answer from a dictionary.
public protocol RightsFacts {
    /// This replica's node id.
    var nodeID: String { get }
    /// The hub this replica trusts (itself, on a hub).
    var hubID: String { get }
    /// The upper hub, on a hub that joined one.
    var upstreamID: String? { get }
    /// The record of `node`, or nil if this replica holds none.
    func record(of node: String) throws -> NodeFacts?
    /// The claim on `partition` (`partitions` table): the domain that governs it and its kind.
    func partition(_ id: String) throws -> (domain: String, kind: String)?
    /// Whether data of `partition` belongs to the hub of `domain` (the domain itself, or a partition it claimed).
    func governs(domain: String, partition: String) throws -> Bool
    /// Whether `writer` may write the row `change` names in a table hubs write: a new row, or one
    /// it wrote before (not, for a lower hub, its region's task or the region's assignment of it).
    func ownsRow(_ change: Change, writer: String) throws -> Bool
}

/// Who may write which row of which table (Protocol/replication-v1.md §8, §12.3): one pure
/// decision per change, from the change, its sender's standing and the facts the receiver holds.
///
/// Rights follow the origin of a change (`stamp.node`), not its sender, so a relayed change is
/// checked as strictly as a direct one. ``check(_:sender:standing:facts:)`` either throws
/// (``StoreError/Code/forbidden``, ``StoreError/Code/unknownNode``, ``StoreError/Code/invalidChange``)
/// or says whether the change may pass only as an echo of what the receiver already holds; the
/// caller checks that. It does not check a change's shape, its row rules (``ReplicatedTable/ruleViolation(of:)``)
/// or signatures: those come before and after it in an apply.
public struct WriteRights: Sendable {
    public let schema: ReplicationSchema

    public init(schema: ReplicationSchema) {
        self.schema = schema
    }

    /// Refuses a change its origin node may not write. Rights follow the origin, not the sender,
    /// so relayed changes are checked as strictly as direct ones.
    ///
    /// - Returns: true for a change that is not news its sender may bring (a hub's change relayed
    ///   by a school, another municipality's data relayed by a lower hub): it passes only if this
    ///   replica already holds it or something newer (``holdsAtLeast(_:)``), as an echo.
    public func check(_ change: Change, sender: String, standing: SenderStanding, facts: some RightsFacts) throws -> Bool {
        if case .lowerHub(let domain) = standing {
            return try checkFromLowerHub(change, sender: sender, domain: domain, facts: facts)
        }
        let origin = change.stamp.node
        let fromAbove = standing == .above
        let originIsHub = try origin == facts.hubID || origin == facts.upstreamID || facts.record(of: origin)?.role == .hub
        if change.table == ReplicationSchema.nodesTable.name {
            if change.field == Change.deletedField { throw WriteRights.forbidden(change, reason: "a node record is never deleted, so its changes keep their author") }
            if originIsHub { return !fromAbove }
            if origin == change.row {
                // A hub's own record (held everywhere) reaches a node only from the hub above it.
                let hubRecordFromAbove = fromAbove && change.partition == Change.everywhere
                if change.field == "role", change.value != RecordedRole.member.value, !(hubRecordFromAbove && change.value == RecordedRole.hub.value) {
                    throw WriteRights.forbidden(change, reason: "a node may not make itself a hub")
                }
                if change.field == "partition", change.value != .text(change.partition) { throw WriteRights.forbidden(change, reason: "a node stays in its partition") }
                if change.field == "revoked_at" { throw WriteRights.forbidden(change, reason: "only the hub revokes a node") }
                // Keys go with a computer (its successors hold them, revocation follows them): a
                // record naming another computer's keys would make it one of that computer's ids.
                if !fromAbove, change.field == "signing_key" || change.field == "sealing_key", let record = try facts.record(of: change.row),
                   let held = change.field == "signing_key" ? record.signingKey : record.sealingKey, change.value != .text(held) {
                    throw WriteRights.forbidden(change, reason: "a node's keys never change once recorded (a new computer is enrolled instead)")
                }
                if change.field == "domain", !hubRecordFromAbove { throw WriteRights.forbidden(change, reason: "only a hub governs a domain") }
                if change.partition == Change.everywhere, !hubRecordFromAbove { throw WriteRights.forbidden(change, reason: "a member node belongs to a partition") }
                return false
            }
            throw WriteRights.forbidden(change, reason: "a node may write only its own record")
        }
        guard let table = schema.table(named: change.table) else { throw Replica.unknownTable(change.table) }
        switch table.writers {
        case .hub:
            guard originIsHub else { throw WriteRights.forbidden(change, reason: "only the hub writes \(change.table)") }
            return !fromAbove
        case .partitionMembers:
            guard let record = try facts.record(of: origin) else {
                // From above (trusted for everything), a writer this replica has no record of yet:
                // a folder copied back from before it joined; its record comes with a later bundle.
                if fromAbove { return false }
                throw StoreError(.unknownNode, Message(
                    en: "Record \(change.table) \(change.row) was written by node \(origin), which this replica does not know. Nothing was changed. If this hub was restored from a backup taken before that computer joined, it is known again once that computer has taken in the hub's next bundle and sent its own (over the network: at its next sync).",
                    ru: "Запись \(change.table) \(change.row) сделана узлом \(origin), который этой базе неизвестен. Ничего не изменено. Если управление восстановлено из копии, сделанной до подключения этого компьютера, он станет снова известен, когда примет следующий пакет управления и отправит свой (по сети — при следующей синхронизации)."),
                    context: ["node": origin, "table": change.table, "row": change.row])
            }
            guard record.role == .member, record.partition.bytesEqual(change.partition) else {
                throw WriteRights.forbidden(change, reason: "node \(origin) belongs to \(record.partition), not \(change.partition)")
            }
            // A member relays nothing from outside its partition: a member's bundle that carries
            // another partition's member changes is forged, even if each change is well-formed.
            if case .member(let senderPartition) = standing, !record.partition.bytesEqual(senderPartition) {
                throw WriteRights.forbidden(change, reason: "a bundle from \(senderPartition) carries it")
            }
            return false
        }
    }

    static func forbidden(_ change: Change, reason: String) -> StoreError {
        StoreError(.forbidden, Message(
            en: "Node \(change.stamp.node) may not write record \(change.row) of \(change.table) (\(reason)). The whole bundle was refused; nothing was changed.",
            ru: "Узел \(change.stamp.node) не вправе изменять запись \(change.row) таблицы \(change.table) (\(reason)). Пакет отклонён целиком; ничего не изменено."),
            context: ["node": change.stamp.node, "table": change.table, "row": change.row, "field": change.field, "reason": reason])
    }

    // MARK: Rights from a lower hub

    /// Refuses a change in a lower hub's bundle that is not that hub's to write: data outside its
    /// domain, a claim on a partition another domain holds, or a change of another origin that
    /// this hub does not already hold. Returns whether the change may only be an echo.
    func checkFromLowerHub(_ change: Change, sender: String, domain: String, facts: some RightsFacts) throws -> Bool {
        let origin = change.stamp.node
        let partition = change.partition
        if change.table == ReplicationSchema.partitionsTable.name {
            let current = try facts.partition(partition)
            // A hub that joined a region takes over, locally, the partitions it claimed while it stood alone.
            let ownFormerClaim = sender == facts.nodeID && current?.domain.isEmpty == true && current?.kind != Replica.PartitionKind.domain
            if let current, !ownFormerClaim, !current.domain.bytesEqual(domain) || current.kind == Replica.PartitionKind.domain {
                if origin == sender { throw WriteRights.forbidden(change, reason: "\(partition) belongs to \(current.domain.isEmpty ? facts.nodeID : current.domain)") }
                return true
            }
            if origin != sender { return true }
            if change.field == "domain", change.value != .text(domain) { throw WriteRights.forbidden(change, reason: "a hub claims partitions for its own domain only") }
            if change.field == "kind", change.value == .text(Replica.PartitionKind.domain) { throw WriteRights.forbidden(change, reason: "only the upper hub makes domains") }
            if change.field == Change.deletedField { throw WriteRights.forbidden(change, reason: "a claim is never withdrawn") }
            return false
        }
        if partition != Change.everywhere, !partition.isEmpty, !(try facts.governs(domain: domain, partition: partition)) {
            // Data outside the domain may come back only as an echo of what this hub holds.
            return true
        }
        // Rows every node holds are written by the top hub alone; a lower hub only relays them back.
        if partition == Change.everywhere, change.table != ReplicationSchema.nodesTable.name { return true }
        if change.table == ReplicationSchema.nodesTable.name {
            if change.field == Change.deletedField { throw WriteRights.forbidden(change, reason: "a node record is never deleted, so its changes keep their author") }
            if origin == sender, change.row == sender {
                switch change.field {
                case "role": if change.value != RecordedRole.hub.value { throw WriteRights.forbidden(change, reason: "a hub stays a hub") }
                case "partition": if change.value != .text(Change.everywhere) { throw WriteRights.forbidden(change, reason: "a hub's record is held everywhere") }
                case "domain": if change.value != .text(domain) { throw WriteRights.forbidden(change, reason: "a hub governs the domain it joined for") }
                case "revoked_at": throw WriteRights.forbidden(change, reason: "only the upper hub revokes a hub")
                default: break
                }
                return false
            }
            if partition == Change.everywhere { return true }
            if origin == sender { return false }   // the lower hub writes its schools' node records (revocations)
            if origin == change.row {              // a school node's own record, relayed
                if change.field == "role", change.value != RecordedRole.member.value { throw WriteRights.forbidden(change, reason: "a node may not make itself a hub") }
                if change.field == "partition", change.value != .text(partition) { throw WriteRights.forbidden(change, reason: "a node stays in its partition") }
                if change.field == "revoked_at" { throw WriteRights.forbidden(change, reason: "only the hub revokes a node") }
                return false
            }
            return true
        }
        guard let table = schema.table(named: change.table) else { throw Replica.unknownTable(change.table) }
        switch table.writers {
        case .hub:
            guard origin == sender else { return true }
            // A row the upper hub wrote (its task, its assignment of that task to a school) is
            // withdrawn or changed by the upper hub alone: the lower hub may only relay it back.
            if try !facts.ownsRow(change, writer: sender) { return true }
            return false
        case .partitionMembers:
            guard let record = try facts.record(of: origin), record.role == .member else { return true }
            guard record.partition.bytesEqual(partition) else {
                throw WriteRights.forbidden(change, reason: "node \(origin) belongs to \(record.partition), not \(partition)")
            }
            return false
        }
    }

}
