import PartaCore

extension Replica {
    /// Writes fields of one row as this node, in one transaction, and returns the changes made.
    ///
    /// `partition` is needed for a new row of a partitioned table; an existing row keeps its own.
    /// Writing a deleted row restores it. Fields are stamped in name order.
    ///
    /// - Throws: ``StoreError/Code/invalidChange`` for an undeclared table or column, or a missing
    ///   partition; ``StoreError/Code/forbidden`` if this node may not write the table.
    @discardableResult
    public func write(table tableName: String, row: String, partition: String? = nil, values: [String: Value], now: UInt64) throws -> [Change] {
        guard let table = schema.table(named: tableName) else { throw Replica.unknownTable(tableName) }
        for name in values.keys where !table.hasColumn(name) { throw Replica.unknownField(tableName, name) }
        try Replica.checkLimits(table: tableName, row: row, partition: partition, values: values)
        return try database.transaction {
            try reloadClock()
            try refuseClockJump(now: now)
            let loaded = try loadRow(table: tableName, row: row)
            let part = try partitionForWrite(table: table, row: row, requested: partition, existing: loaded.partition)
            try claimForDomainIfNeeded(table: table, partition: part, now: now)
            var fields = values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            if loaded.state.isDeleted {
                fields.insert((Change.deletedField, .integer(0)), at: 0)
            }
            return try writeFields(table: table, row: row, partition: part, fields: fields, loaded: loaded, now: now)
        }
    }

    /// Deletes a row as this node (a tombstone that replicates like any field).
    ///
    /// - Throws: ``StoreError/Code/rowNotFound`` if the row does not exist or is already deleted.
    public func delete(table tableName: String, row: String, now: UInt64) throws {
        guard let table = schema.table(named: tableName) else { throw Replica.unknownTable(tableName) }
        try database.transaction {
            try reloadClock()
            try refuseClockJump(now: now)
            guard let part = try database.scalar("SELECT _part FROM \"\(tableName)\" WHERE id = ?", [.text(row)])?.textValue else {
                throw StoreError(.rowNotFound, Message(
                    en: "There is no \(tableName) record \(row) to delete.",
                    ru: "Нет записи \(row) в таблице \(tableName), удалять нечего."), context: ["table": tableName, "row": row])
            }
            _ = try writeFields(table: table, row: row, partition: part, fields: [(Change.deletedField, .integer(1))],
                                loaded: try loadRow(table: tableName, row: row), now: now)
        }
    }

    /// On a hub under a region: a partition it writes in for the first time becomes one of its
    /// domain's (``claimPartitions(_:now:)``), so that what it writes there goes up to the region.
    private func claimForDomainIfNeeded(table: ReplicatedTable, partition: String, now: UInt64) throws {
        guard upstream != nil, let domain, table.scope == .partitioned, table.name != ReplicationSchema.partitionsTable.name,
              partition != Change.everywhere, try !governs(domain: domain, partition: partition, cache: nil) else { return }
        try claimPartitions([partition], now: now)
    }

    private func partitionForWrite(table: ReplicatedTable, row: String, requested: String?, existing: String?) throws -> String {
        if let existing {
            if let requested, requested != existing {
                throw StoreError(.invalidChange, Message(
                    en: "Record \(row) of \(table.name) already belongs to \(existing), not \(requested); row ids must be unique across partitions.",
                    ru: "Запись \(row) таблицы \(table.name) уже относится к разделу \(existing), а не \(requested); коды записей должны быть уникальны во всех разделах."),
                    context: ["table": table.name, "row": row, "partition": existing])
            }
            return existing
        }
        switch table.scope {
        case .everywhere: return Change.everywhere
        case .referenced: return Change.unpartitioned
        case .partitioned:
            if let requested, !requested.isEmpty { return requested }
            throw StoreError(.invalidChange, Message(
                en: "A new \(table.name) record needs a partition.", ru: "Новой записи \(table.name) нужен раздел."),
                context: ["table": table.name])
        }
    }

    private func writeFields(table: ReplicatedTable, row: String, partition: String, fields: [(String, Value)],
                             loaded: LoadedRow, now: UInt64) throws -> [Change] {
        var changes: [Change] = []
        for (field, value) in fields {
            let previous = loaded.state[field]
            if previous?.value == value, field != Change.deletedField { continue }
            counter += 1
            let stamp = Stamp(time: clock.tick(now: now), node: nodeID, counter: counter)
            let replaced = LastWriterWins.replacedStamp(overwriting: previous.map { ($0.stamp, $0.replaced) }, by: nodeID)
            let knowledge = SeenSet.knowledge(of: previous?.written, by: nodeID)
            // Nothing seen of another node and nothing replaced: no seen set, which says the same (§5.1).
            let seen = actsAsEarlierRelease || knowledge.isEmpty && replaced == nil ? nil : knowledge
            let change = Change(table: table.name, row: row, partition: partition, field: field, value: value,
                                stamp: stamp, replaced: replaced, seen: seen)
            if let violation = table.ruleViolation(of: change) { throw Replica.broken(violation, partition: partition, local: true) }
            if changes.isEmpty { try checkRequirements(of: change, local: true) }
            _ = try authorize(change, sender: nodeID, standing: role == .hub ? .above : .member(partition: role.partition), cache: nil)
            // A hub under a region writes only what the region will accept from it, or its exchange upward would stall.
            if upstream != nil, let domain, try authorizeFromLowerHub(change, sender: nodeID, domain: domain, cache: nil) {
                throw forbidden(change, reason: "it is the region's, not this municipality's (\(domain))")
            }
            changes.append(change)
        }
        guard !changes.isEmpty else { return [] }
        _ = try mergeRow(changes[...], loaded: loaded, receivedAt: now)
        try database.run("""
            INSERT INTO parta_meta (key, value) VALUES ('written_max', ?)
            ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)
            """, [.integer(Int64(bitPattern: changes.map(\.stamp.time.rawValue).max() ?? 0))])
        try flushHistory(at: now)
        try recordOwnChangeTimes(changes.map(\.stamp))
        try database.run("INSERT OR IGNORE INTO parta_origin (node) VALUES (?)", [.text(nodeID)])
        try saveClock()
        return changes
    }

    /// The reader's limits (Protocol/bundle-format-v2.md): a value the reader would refuse must never
    /// be written, or every later cumulative bundle would carry it and be refused too.
    static let maxIdentifierBytes = 1024
    static let maxTextBytes = 1 << 20

    static func checkLimits(table: String, row: String, partition: String?, values: [String: Value]) throws {
        let tooLong = row.utf8.count > maxIdentifierBytes || (partition?.utf8.count ?? 0) > maxIdentifierBytes
            || values.values.contains { $0.textValue.map { $0.utf8.count > maxTextBytes } ?? false }
        guard !tooLong else {
            throw StoreError(.invalidChange, Message(
                en: "A value for \(table) is too long (ids up to 1 KiB, texts up to 1 MiB). Shorten it.",
                ru: "Значение для \(table) слишком длинное (коды до 1 КиБ, тексты до 1 МиБ). Сократите его."),
                context: ["table": table])
        }
    }

    /// How far past every change it holds a hub's clock may read before the hub refuses to write
    /// with it (replication-v1 §9.2): longer than the summer holidays, when schools send nothing.
    public static let clockJumpLimit: UInt64 = 100 * 86_400_000

    /// Refuses, on a hub, to stamp a change at `now` when `now` is more than ``clockJumpLimit``
    /// past every change the hub holds (its own, and what its schools sent): most likely its clock
    /// jumped ahead (a wrong year typed in), and every school would refuse what it writes.
    func refuseClockJump(now: UInt64) throws {
        guard role == .hub, !acceptsClockJump else { return }
        var newest: UInt64 = 0
        for key in ["written_max", "received_max"] {
            let raw = UInt64(bitPattern: try database.scalar("SELECT value FROM parta_meta WHERE key = ?", [.text(key)])?.integerValue ?? 0)
            newest = max(newest, HybridTimestamp(rawValue: raw).milliseconds)
        }
        guard newest > 0, now > newest, now - newest > Replica.clockJumpLimit else { return }
        let here = CivilTime.iso8601(milliseconds: now), there = CivilTime.iso8601(milliseconds: newest)
        let days = Int(clamping: (now - newest) / 86_400_000)
        throw StoreError(.clockJumped, Message(
            en: "This computer's clock reads \(here), \(Noun.day.count(days, in: .en)) after the newest change this hub holds (\(there), its own or a school's). If the date is wrong, set the right date and time first: every school would refuse what the hub writes now. If it is right (a long break), repeat the command with --clock-is-right. Nothing was changed.",
            ru: "Часы этого компьютера показывают \(here) — на \(Noun.day.count(days, in: .ru)) позже самого нового изменения в управлении (\(there), своего или школьного). Если дата неверна, сначала установите верные дату и время: всё записанное сейчас школы отклонят. Если верна (был долгий перерыв), повторите команду с --clock-is-right. Ничего не изменено."),
            context: ["now": here, "newest": there])
    }

    static func unknownTable(_ name: String) -> StoreError {
        StoreError(.invalidChange, Message(
            en: "The table \(name) is not replicated by this application.",
            ru: "Таблица \(name) не входит в реплицируемые таблицы приложения."), context: ["table": name])
    }

    static func unknownField(_ table: String, _ field: String) -> StoreError {
        StoreError(.invalidChange, Message(
            en: "The table \(table) has no field \(field).",
            ru: "В таблице \(table) нет поля \(field)."), context: ["table": table, "field": field])
    }
}
