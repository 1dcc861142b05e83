import PartaCore

/// The hub a member trusts: its node id and public keys, fixed when the member is created.
public struct TrustedHub: Hashable, Sendable {
    public var id: String
    public var keys: NodePublicKeys
    public init(id: String, keys: NodePublicKeys) {
        self.id = id
        self.keys = keys
    }
}

/// A node as the hub knows it: its record, and whether it is still trusted.
public struct EnrolledNode: Sendable, Equatable {
    public var id: String
    public var name: String
    public var partition: String
    public var role: RecordedRole?
    public var keys: NodePublicKeys?
    /// When the hub revoked it (ms), or nil while it is trusted.
    public var revokedAt: UInt64?
    /// For a lower hub: the domain (municipality) it governs here.
    public var domain: String?
}

/// Trust (Protocol/replication-v1.md §11): who may send a bundle here, who can open the bundles
/// this node writes, and how new nodes join.
///
/// - A member accepts bundles only from its hub, signed by the key it was created with.
/// - A hub accepts bundles only from enrolled, unrevoked nodes, signed by the key in their record.
///   A node it does not know yet must prove, with a one-time enrollment code the hub issued for
///   its partition, that someone at the school gave it the code; its first bundle then enrols it.
/// - Bundles are sealed to the recipient's nodes (and, while a code is open, to its holder).
extension Replica {
    /// Checks the sender's signature against the key this replica trusts for it, then opens the
    /// payload. Runs inside the apply transaction: a code it consumes is consumed only if the
    /// bundle applies.
    ///
    /// - Returns: the keys of a node enrolled by this bundle (the caller checks that the bundle
    ///   carried the node's own record with those keys).
    func authenticateAndOpen(_ reader: ChangeSetReader, now: UInt64) throws -> Admission? {
        let header = reader.header
        guard let headerKeys = header.senderKeys else { throw PartaCoreError.malformed("the bundle names no sender keys") }
        switch role {
        case .member:
            guard let hubKeys = try trustedHubKeys() else {
                throw StoreError(.unknownNode, Message(
                    en: "This replica does not know its hub's key, so it cannot check any bundle. Create the node again from the hub's bundle.",
                    ru: "Этой базе неизвестен ключ управления, поэтому она не может проверить пакет. Создайте узел заново из пакета управления."))
            }
            try reader.verifySignature(signingKey: hubKeys.signing)
            let code = try enrollmentCode()
            try reader.open(with: keys, codes: code.map { [$0] } ?? [])
            return nil
        case .hub:
            if let upstream, header.sender == upstream.id {
                try reader.verifySignature(signingKey: upstream.keys.signing)
                let code = try upstreamCode()
                try reader.open(with: keys, codes: code.map { [$0] } ?? [])
                return nil
            }
            if let known = try enrolledNode(header.sender) {
                // The signature first: whether a node exists and when it was revoked is told only
                // to someone holding its key, not to anyone who writes its id into a header.
                if let revokedKeys = known.keys, known.revokedAt != nil { try reader.verifySignature(signingKey: revokedKeys.signing) }
                if let revokedAt = known.revokedAt {
                    throw StoreError(.revoked, Message(
                        en: "Node \(header.sender) (\(known.name)) was revoked on \(String(CivilTime.iso8601(milliseconds: revokedAt).prefix(10))); its bundles are no longer accepted. Nothing was changed. If the computer was found, enrol it again with a new code.",
                        ru: "Узел \(header.sender) («\(known.name)») отозван \(String(CivilTime.iso8601(milliseconds: revokedAt).prefix(10))); его пакеты больше не принимаются. Ничего не изменено. Если компьютер нашёлся, подключите его заново с новым кодом."),
                        context: ["node": header.sender])
                }
                guard let enrolledKeys = known.keys else { throw notEnrolled(header) }
                try reader.verifySignature(signingKey: enrolledKeys.signing)
                // Its keys were revoked under another id (a successor's predecessor, or the other way).
                if known.role == .member, try keysRevoked(enrolledKeys) { throw notEnrolled(header) }
                if known.role == .member { try refuseOlderCopy(header, name: known.name) }
                try reader.open(with: keys)
                return nil
            }
            // A copy that became a new node of its school signs with its predecessor's keys (it may
            // also prove the code it kept: its keys decide).
            if let successor = try successorKeys(for: header) {
                try reader.verifySignature(signingKey: successor.signing)
                try reader.open(with: keys)
                return Admission(keys: successor, asSuccessor: true)
            }
            guard let proof = header.enrollmentProof else { throw notEnrolled(header) }
            let issued = try issuedEnrollmentCodes(partition: header.senderPartition)
                .first { $0.code?.verifies(proof, node: header.sender, partition: header.senderPartition, keys: headerKeys) == true }
            if let issued, issued.usedBy == nil, let closed = issued.withdrawnAt.map({ ("withdrawn", $0) }) ?? (issued.isUnexpired(at: now) ? nil : ("expired", issued.expiresAt)) {
                let day = String(CivilTime.iso8601(milliseconds: closed.1).prefix(10))
                throw StoreError(.notEnrolled, Message(
                    en: "Node \(header.sender) presents an enrollment code for \(header.senderPartition) that \(closed.0 == "expired" ? "expired" : "was withdrawn") on \(day). Nothing was changed. Issue a new code with `parta hub school code \(header.senderPartition)`.",
                    ru: "Узел \(header.sender) предъявил код подключения для \(header.senderPartition), который \(closed.0 == "expired" ? "истёк" : "отозван") \(day). Ничего не изменено. Выдайте новый код: `parta hub school code \(header.senderPartition)`."),
                    context: ["node": header.sender, "partition": header.senderPartition, "code": closed.0])
            }
            guard let code = issued.flatMap({ $0.usedBy == nil ? $0.code : nil }) else {
                if issued == nil { try refuseUnknownToARestoredHub(header) }
                throw StoreError(.notEnrolled, Message(
                    en: "Node \(header.sender) presents an enrollment code for \(header.senderPartition) that is not open here (wrong, already used, or for another school). Nothing was changed. Issue a new code with `parta hub school code \(header.senderPartition)`.",
                    ru: "Узел \(header.sender) предъявил код подключения для \(header.senderPartition), который здесь не действует (неверный, уже использован или выдан другой школе). Ничего не изменено. Выдайте новый код: `parta hub school code \(header.senderPartition)`."),
                    context: ["node": header.sender, "partition": header.senderPartition])
            }
            try reader.verifySignature(signingKey: headerKeys.signing)
            try reader.open(with: keys)
            // Once used, only the fingerprint stays: the code itself can open nothing any more.
            try database.run("UPDATE parta_enrollment SET used_by = ?, used_at = ?, sealed = NULL WHERE code = ?",
                             [.text(header.sender), .integer(Int64(now)), .text(codeVault.fingerprint(code))])
            return Admission(keys: headerKeys, asSuccessor: false)
        }
    }

    /// How a hub took in the first bundle of a node it had no record of: by an enrollment code's
    /// proof, or by the keys of an enrolled member it succeeds (§10b).
    struct Admission {
        var keys: NodePublicKeys
        var asSuccessor: Bool
    }

    /// After a bundle enrolled its sender: the node's record, which the bundle must carry, holds the keys it signed with.
    func confirmEnrollment(of node: String, partition: String, keys: NodePublicKeys, standing: SenderStanding) throws {
        let expected: Bool
        if let record = try enrolledNode(node), record.keys == keys {
            if case .lowerHub = standing {
                expected = record.role == .hub && record.domain == partition
            } else {
                expected = record.role == .member && record.partition == partition
            }
        } else {
            expected = false
        }
        guard expected else {
            throw StoreError(.notEnrolled, Message(
                en: "The first bundle of node \(node) does not carry the node's own record with the keys it was signed with. Nothing was changed.",
                ru: "Первый пакет узла \(node) не содержит записи самого узла с ключами, которыми он подписан. Ничего не изменено."),
                context: ["node": node])
        }
    }

    /// A code this hub never issued, from a school it does not know or on a hub restored from a
    /// backup: said so, with what to do, instead of advice that fails (a code for a school the hub
    /// has no record of).
    private func refuseUnknownToARestoredHub(_ header: ChangeSetHeader) throws {
        let school = header.senderPartition
        if try partitionRecord(school, cache: nil) == nil {
            throw StoreError(.notEnrolled, Message(
                en: "Node \(header.sender) writes for school \(school), which this hub does not know: most likely the hub was restored from a backup made before the school was added. Nothing was changed. Add the school again with `parta hub school add \(school) --name NAME` (and `parta hub school code \(school)` for each further computer); then on each of the school's computers run `parta backup --to FILE` and `parta restore FILE --code NEW-CODE --data NEW-FOLDER`, and work in the new folder from then on. Its first bundle brings the school's earlier work back.",
                ru: "Узел \(header.sender) пишет за школу \(school), которой это управление не знает: скорее всего, управление восстановлено из резервной копии, сделанной до добавления школы. Ничего не изменено. Добавьте школу заново: `parta hub school add \(school) --name НАЗВАНИЕ` (и `parta hub school code \(school)` для каждого следующего компьютера); затем на каждом компьютере школы выполните `parta backup --to ФАЙЛ` и `parta restore ФАЙЛ --code НОВЫЙ-КОД --data НОВАЯ-ПАПКА` и дальше работайте в новой папке. Её первый пакет вернёт прежнюю работу школы."),
                context: ["node": header.sender, "partition": school, "reason": "unknownPartition"])
        }
        guard try database.scalar("SELECT value FROM parta_meta WHERE key = 'restored_at'") != nil else { return }
        throw StoreError(.notEnrolled, Message(
            en: "Node \(header.sender) presents an enrollment code for \(school) that this hub does not know. This hub was restored from a backup: if the computer joined after that backup, nothing needs doing if the school has another computer that exchanges: its bundle brings this computer's record back, and this one is taken at the next exchange. Nothing was changed. If it is still refused after that, issue a new code with `parta hub school code \(school)`, and on that computer run `parta backup --to FILE` and `parta restore FILE --code NEW-CODE --data NEW-FOLDER`.",
            ru: "Узел \(header.sender) предъявил код подключения для \(school), которого это управление не знает. Управление восстановлено из резервной копии: если компьютер подключили после неё, ничего делать не нужно, если у школы есть другой компьютер, который обменивается пакетами: его пакет вернёт запись этого компьютера, и этот пакет будет принят при следующем обмене. Ничего не изменено. Если и после этого пакет не принят, выдайте новый код (`parta hub school code \(school)`) и на этом компьютере выполните `parta backup --to ФАЙЛ` и `parta restore ФАЙЛ --code НОВЫЙ-КОД --data НОВАЯ-ПАПКА`."),
            context: ["node": header.sender, "partition": school])
    }

    private func notEnrolled(_ header: ChangeSetHeader) -> StoreError {
        StoreError(.notEnrolled, Message(
            en: "Node \(header.sender) is not enrolled at this hub. Nothing was changed. A new computer joins its school with an enrollment code: `parta hub school code \(header.senderPartition)`, then `parta init --from BUNDLE --code CODE` at the school.",
            ru: "Узел \(header.sender) не подключён к этому управлению. Ничего не изменено. Новый компьютер подключается к школе по коду: `parta hub school code \(header.senderPartition)`, затем в школе `parta init --from ПАКЕТ --code КОД`."),
            context: ["node": header.sender, "partition": header.senderPartition])
    }

    /// The hub's public keys, on a member.
    public func trustedHubKeys() throws -> NodePublicKeys? {
        NodePublicKeys(signingBase64: try meta("hub_signing_key"), sealingBase64: try meta("hub_sealing_key"))
    }

    /// A member's enrollment code, kept until the hub has enrolled this node.
    public func enrollmentCode() throws -> EnrollmentCode? {
        try meta("enrollment_code").flatMap(codeVault.open)
    }

    /// How this node keeps enrollment codes in its database: fingerprints and codes sealed under
    /// its own key, never the codes themselves.
    var codeVault: EnrollmentCodeVault { EnrollmentCodeVault(keys: keys) }

    /// Seals the codes stored in clear before codes were sealed at rest (a hub's issued codes, a
    /// member's or lower hub's own), once, at open. Only when the keys it was opened with are this
    /// node's own (a vault opens only its own node's seals). The old text is overwritten on disk
    /// too: secure delete for the rewrite, then a checkpoint that empties the write-ahead log.
    func sealLegacyEnrollmentCodes() throws {
        let legacyIssued = try database.scalar("SELECT count(*) FROM parta_enrollment WHERE length(code) = 16")?.integerValue ?? 0
        let legacyOwn = try database.rows("SELECT key, value FROM parta_meta WHERE key IN ('enrollment_code', 'upstream_code') AND length(value) = 16")
        guard legacyIssued > 0 || !legacyOwn.isEmpty, try enrolledNode(nodeID)?.keys == keys.publicKeys else { return }
        let previous = try database.scalar("PRAGMA secure_delete")?.integerValue ?? 0
        try database.execute("PRAGMA secure_delete = ON")
        defer { try? database.execute("PRAGMA secure_delete = \(previous)") }
        try database.transaction {
            for row in try database.rows("SELECT code, used_by FROM parta_enrollment WHERE length(code) = 16") {
                guard let stored = row[0].textValue, let code = EnrollmentCode(stored) else { continue }
                try database.run("UPDATE parta_enrollment SET code = ?, sealed = ? WHERE code = ?",
                                 [.text(codeVault.fingerprint(code)), row[1] == .null ? .text(codeVault.seal(code)) : .null, .text(stored)])
            }
            for row in legacyOwn {
                guard let key = row[0].textValue, let code = row[1].textValue.flatMap(EnrollmentCode.init) else { continue }
                try database.run("UPDATE parta_meta SET value = ? WHERE key = ?", [.text(codeVault.seal(code)), .text(key)])
            }
        }
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Whether this member still waits for its hub to confirm its enrollment.
    public var awaitsEnrollment: Bool { (try? enrollmentCode()) != nil && (try? meta("enrollment_confirmed")) == nil }

    private func meta(_ key: String) throws -> String? {
        try database.scalar("SELECT value FROM parta_meta WHERE key = ?", [.text(key)])?.textValue
    }

    /// Called after a hub's bundle applied on a member: once the hub holds this node's changes it
    /// has enrolled the node, and the code is forgotten.
    func noteEnrollmentConfirmed(by header: ChangeSetHeader) throws {
        guard header.upper[nodeID] > 0 else { return }
        // A school computer keeps its code (sealed; once used it opens nothing for anyone else) and
        // goes on proving it: a hub restored from a backup taken before the enrolment knows the
        // computer again by it (replication-v1 §11.3).
        if case .member = role {
            try database.run("INSERT OR REPLACE INTO parta_meta (key, value) VALUES ('enrollment_confirmed', 'yes')")
            return
        }
        if let upstream, header.sender == upstream.id {
            try database.run("DELETE FROM parta_meta WHERE key = 'upstream_code'")
        }
    }

    /// Forgets what `peer` acknowledged, so the next bundle for it holds everything (a hub that
    /// lost this node: restored from an older backup). Whether there was anything to forget and
    /// this node still holds its enrollment code to prove itself with.
    public func forgetAcknowledgement(of peer: String) throws -> Bool {
        guard try enrollmentCode() != nil, try acknowledgedClock(of: peer) != nil else { return false }
        try database.run("DELETE FROM parta_peer WHERE node = ?", [.text(peer)])
        return true
    }

    /// A node's record, or nil if this replica has none.
    public func enrolledNode(_ id: String) throws -> EnrolledNode? {
        try database.rows("SELECT id, name, partition, role, signing_key, sealing_key, revoked_at, domain FROM nodes WHERE id = ?", [.text(id)])
            .first.map(Replica.enrolledNode)
    }

    /// Every node record this replica holds, by partition and id.
    public func nodes(partition: String? = nil) throws -> [EnrolledNode] {
        let sql = "SELECT id, name, partition, role, signing_key, sealing_key, revoked_at, domain FROM nodes"
        let rows = try partition.map { try database.rows(sql + " WHERE partition = ? ORDER BY id", [.text($0)]) }
            ?? database.rows(sql + " ORDER BY partition, id")
        return rows.map(Replica.enrolledNode)
    }

    private static func enrolledNode(_ row: [Value]) -> EnrolledNode {
        EnrolledNode(id: row[0].textValue ?? "", name: row[1].textValue ?? "", partition: row[2].textValue ?? "",
                     role: RecordedRole(stored: row[3]), keys: NodePublicKeys(signingBase64: row[4].textValue, sealingBase64: row[5].textValue),
                     revokedAt: row[6].integerValue.map { UInt64($0) }, domain: row[7].textValue)
    }

    // MARK: Hub: enrollment and revocation

    /// How long an enrollment code stays open unless the hub says otherwise: 30 days.
    public static let defaultCodeValidity: UInt64 = 30 * 86_400_000

    /// Issues a one-time enrollment code for a new node of `partition`, open for `validity` ms.
    ///
    /// The validity counts from the later of `now` and the newest stamp this hub has made or
    /// taken in: a hub whose clock was set weeks behind must not issue codes that have expired by
    /// the time its clock is put right.
    public func issueEnrollmentCode(partition: String, now: UInt64, validity: UInt64 = Replica.defaultCodeValidity) throws -> EnrollmentCode {
        try requireHubRole()
        try reloadClock()
        let issued = max(now, clock.last.milliseconds)
        let code = EnrollmentCode.generate()
        try database.run("INSERT INTO parta_enrollment (code, sealed, part, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                         [.text(codeVault.fingerprint(code)), .text(codeVault.seal(code)), .text(partition), .integer(Int64(issued)),
                          .integer(Int64(clamping: issued &+ validity))])
        return code
    }

    /// Codes issued for `partition`, not used and not withdrawn, and, when `now` is given, not
    /// expired at `now`.
    public func openEnrollmentCodes(partition: String, now: UInt64? = nil) throws -> [EnrollmentCode] {
        try issuedEnrollmentCodes(partition: partition).filter { $0.usedBy == nil && $0.withdrawnAt == nil && now.map($0.isUnexpired) ?? true }
            .compactMap(\.code)
    }

    /// Whether a code for `partition` (any partition for nil) is open at `now`: a node may join
    /// with it, and has acknowledged nothing yet.
    func hasOpenEnrollmentCode(partition: String?, now: UInt64) throws -> Bool {
        guard role == .hub else { return false }
        return try database.scalar("""
            SELECT count(*) FROM parta_enrollment WHERE (?1 IS NULL OR part = ?1) AND used_by IS NULL AND withdrawn_at IS NULL
            AND coalesce(expires_at, issued_at + ?2) > ?3
            """, [partition.map { .text($0) } ?? .null, .integer(Int64(Replica.defaultCodeValidity)),
                  .integer(Int64(clamping: now))])?.integerValue ?? 0 > 0
    }

    /// Every code issued for `partition`, oldest first, with what became of it.
    public func issuedEnrollmentCodes(partition: String) throws -> [IssuedEnrollmentCode] {
        try database.rows("""
            SELECT code, part, issued_at, coalesce(expires_at, issued_at + ?), used_by, withdrawn_at, sealed FROM parta_enrollment
            WHERE part = ? ORDER BY issued_at
            """, [.integer(Int64(Replica.defaultCodeValidity)), .text(partition)]).compactMap { r in
            guard let fingerprint = r[0].textValue else { return nil }
            return IssuedEnrollmentCode(fingerprint: fingerprint, code: r[6].textValue.flatMap(codeVault.open),
                                        partition: r[1].textValue ?? "", issuedAt: UInt64(max(0, r[2].integerValue ?? 0)),
                                        expiresAt: UInt64(max(0, r[3].integerValue ?? 0)), usedBy: r[4].textValue,
                                        withdrawnAt: r[5].integerValue.map { UInt64(max(0, $0)) })
        }
    }

    /// Withdraws an open code (handed to the wrong person, lost with its paper): from now on no
    /// bundle is sealed to it and no node enrols with it.
    ///
    /// - Returns: the partition the code was for.
    /// - Throws: ``StoreError/Code/rowNotFound`` if the code was never issued here or is used
    ///   already (revoke the node it enrolled instead).
    @discardableResult
    public func withdrawEnrollmentCode(_ code: EnrollmentCode, now: UInt64) throws -> String {
        try requireHubRole()
        return try database.transaction {
            let row = try database.rows("SELECT part, used_by FROM parta_enrollment WHERE code = ?", [.text(codeVault.fingerprint(code))]).first
            guard let row, let partition = row[0].textValue else {
                throw StoreError(.rowNotFound, Message(
                    en: "The code \(code) was not issued by this hub. Check it against DATA/codes/.",
                    ru: "Код \(code) этим управлением не выдавался. Сверьте его с папкой DATA/codes/."), context: ["code": code.description])
            }
            if let usedBy = row[1].textValue {
                throw StoreError(.rowNotFound, Message(
                    en: "The code \(code) was already used by computer \(usedBy). To stop trusting that computer: `parta hub node revoke \(usedBy)`.",
                    ru: "Код \(code) уже использован компьютером \(usedBy). Чтобы перестать ему доверять: `parta hub node revoke \(usedBy)`."),
                    context: ["code": code.description, "node": usedBy])
            }
            try database.run("UPDATE parta_enrollment SET withdrawn_at = coalesce(withdrawn_at, ?) WHERE code = ?",
                             [.integer(Int64(clamping: now)), .text(codeVault.fingerprint(code))])
            return partition
        }
    }

    /// Enrols a member node directly, as the hub (for tools and tests that hold the node's public keys).
    public func enrollMember(_ id: String, partition: String, name: String, keys: NodePublicKeys, now: UInt64) throws {
        try requireHubRole()
        try write(table: ReplicationSchema.nodesTable.name, row: id, partition: partition, values: [
            "role": RecordedRole.member.value, "name": .text(name), "partition": .text(partition),
            "signing_key": .text(keys.signingBase64), "sealing_key": .text(keys.sealingBase64)], now: now)
    }

    /// Stops trusting a member node: from now on its bundles are refused and nothing is sealed to
    /// it. What it wrote before stays. The revocation travels to the node's school like any change.
    public func revoke(node id: String, now: UInt64) throws {
        try requireHubRole()
        guard let record = try enrolledNode(id), record.role == .member else {
            throw StoreError(.rowNotFound, Message(
                en: "There is no school computer \(id) here. `parta hub nodes` lists them.",
                ru: "Школьного компьютера \(id) здесь нет. Список: `parta hub nodes`."), context: ["node": id])
        }
        guard record.revokedAt == nil else { return }
        try write(table: ReplicationSchema.nodesTable.name, row: id, partition: record.partition,
                  values: ["revoked_at": .integer(Int64(now))], now: now)
    }

    private func requireHubRole() throws {
        guard role == .hub else {
            throw StoreError(.forbidden, Message(en: "Only a hub enrols and revokes nodes.", ru: "Подключать и отзывать узлы может только управление."))
        }
    }

    // MARK: Sealing

    /// Who can open a bundle for `recipient`: the hub's key, or every trusted node of a partition
    /// and the holders of its open enrollment codes.
    ///
    /// - Throws: ``StoreError/Code/noRecipient`` if nobody could open it.
    func sealRecipients(for recipient: Recipient, now: UInt64) throws -> [SealRecipient] {
        var result: [SealRecipient] = []
        switch recipient {
        case .node(let id):
            if case .member = role, let hub = try trustedHubKeys(), id == hubID {
                result = [.node(sealingKey: hub.sealing)]
            } else if let upstream, id == upstream.id {
                result = [.node(sealingKey: upstream.keys.sealing)]
            } else if let record = try enrolledNode(id), record.revokedAt == nil, let keys = record.keys {
                result = [.node(sealingKey: keys.sealing)]
            }
        case .partition(let partition):
            for node in try nodes(partition: partition) where node.role == .member && node.revokedAt == nil {
                if let keys = node.keys { result.append(.node(sealingKey: keys.sealing)) }
            }
            for node in try database.rows("SELECT sealing_key FROM nodes WHERE role = 'hub' AND domain = ? AND revoked_at IS NULL", [.text(partition)]) {
                if let key = node[0].textValue.flatMap(Base64.decode), key.count == 32 { result.append(.node(sealingKey: key)) }
            }
            if role == .hub { result += try openEnrollmentCodes(partition: partition, now: now).map { .enrollmentCode($0) } }
        }
        guard !result.isEmpty else {
            throw StoreError(.noRecipient, Message(
                en: "Nobody could open a bundle for \(recipient): it has no enrolled computer and no open enrollment code.",
                ru: "Пакет для адресата «\(recipient)» некому открыть: у него нет подключённых компьютеров и действующих кодов подключения."),
                context: ["recipient": recipient.description])
        }
        return result
    }

    /// The enrollment proof this member attaches until its hub has enrolled it (or a lower hub,
    /// until its upper hub has).
    func enrollmentProofToSend(to recipient: Recipient) throws -> [UInt8]? {
        if case .member(let partition) = role, let code = try enrollmentCode() {
            return code.proof(node: nodeID, partition: partition, keys: keys.publicKeys)
        }
        if let upstream, let domain, recipient == .node(upstream.id), let code = try upstreamCode() {
            return code.proof(node: nodeID, partition: domain, keys: keys.publicKeys)
        }
        return nil
    }
}

/// An enrollment code as the hub issued it, and what became of it.
public struct IssuedEnrollmentCode: Sendable, Equatable {
    /// How the hub finds the code (``EnrollmentCodeVault/fingerprint(_:)``); all it keeps of a used code.
    public var fingerprint: String
    /// The code itself, while it can still be presented; nil once used.
    public var code: EnrollmentCode?
    public var partition: String
    public var issuedAt: UInt64
    /// When it stops being accepted (ms).
    public var expiresAt: UInt64
    /// The node that enrolled with it, if one did.
    public var usedBy: String?
    public var withdrawnAt: UInt64?

    public func isUnexpired(at now: UInt64) -> Bool { now < expiresAt }
}
