import Foundation
import Testing
@testable import PartaCore

/// The catalogue of Protocol/vectors/v2 and the one-off generator that wrote it.
///
/// Vectors are frozen once published: the generator only adds missing files and fails if an
/// existing file would change. A new behaviour needs a new vector (or a new format version).
/// Run it with `PARTA_WRITE_VECTORS=1 swift test --filter ProtocolVectorGenerator`.
@Suite struct ProtocolVectorGenerator {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["PARTA_WRITE_VECTORS"] == "1"))
    func writesMissingVectorsAndNeverChangesPublishedOnes() throws {
        let directory = ProtocolFiles.vectorsV2
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try write(Data((VectorCatalogue.keysJSON().render() + "\n").utf8), to: directory.appendingPathComponent("keys.json"))
        for vector in try VectorCatalogue.all() {
            // Where Ed25519 signing is randomised (CryptoKit), a re-run cannot reproduce the .bin files.
            try write(Data(vector.bytes), to: directory.appendingPathComponent(vector.name + ".bin"),
                      comparable: VectorKeys.signaturesAreDeterministic)
            try write(Data((vector.json.render() + "\n").utf8), to: directory.appendingPathComponent(vector.name + ".json"))
        }
    }

    private func write(_ data: Data, to url: URL, comparable: Bool = true) throws {
        if let existing = FileManager.default.contents(atPath: url.path) {
            if comparable {
                #expect(existing == data, "\(url.lastPathComponent) is published and must not change; add a new vector instead")
            }
            return
        }
        try data.write(to: url)
    }
}

struct GeneratedVector {
    var name: String
    var bytes: [UInt8]
    var json: OrderedJSON
}

/// Inputs of every vector: fixed ids, fixed clocks, fixed timestamps.
enum VectorCatalogue {
    /// 2020-09-01T08:00:00.000Z, the first school day.
    static let t0 = UInt64(CivilTime.daysFromCivil(year: 2020, month: 9, day: 1)) * 86_400_000 + 8 * 3_600_000
    static let minute: UInt64 = 60_000
    static let day: UInt64 = 86_400_000

    static func time(_ ms: UInt64, _ logical: UInt16 = 0) -> HybridTimestamp { HybridTimestamp(milliseconds: ms, logical: logical) }
    static func stamp(_ ms: UInt64, _ logical: UInt16 = 0, _ node: String, _ counter: UInt64) -> Stamp {
        Stamp(time: time(ms, logical), node: node, counter: counter)
    }
    /// Distinct, recognisable ids: vector 2 gets 20 21 22 … 2f.
    static func bundleID(_ n: UInt8) -> [UInt8] { (0..<16).map { (n << 4) | UInt8($0) } }

    // MARK: Valid contents

    static let emptyHeader = ChangeSetHeader(
        bundleID: bundleID(1), created: time(t0), sender: "hub-ruo", senderPartition: Change.everywhere,
        recipient: .partition("school-12"), base: VectorClock(), upper: VectorClock())

    static let oneChangeHeader = ChangeSetHeader(
        bundleID: bundleID(2), created: time(t0 + 10 * minute), sender: "s12-clerk", senderPartition: "school-12",
        recipient: .node("hub-ruo"), base: VectorClock(["hub-ruo": 2]), upper: VectorClock(["hub-ruo": 2, "s12-clerk": 1]))
    static let oneChange = [
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "title", value: "Отчёт",
               stamp: stamp(t0 + 5 * minute, 0, "s12-clerk", 1)),
    ]

    static let allTypesHeader = ChangeSetHeader(
        bundleID: bundleID(3), created: time(t0 + day + 10 * minute, 2), sender: "hub-ruo", senderPartition: Change.everywhere,
        recipient: .partition("school-12"),
        base: VectorClock(["hub-ruo": 11, "s12-clerk": 6, "s12-head": 2]),
        upper: VectorClock(["hub-ruo": 16, "s12-clerk": 8, "s12-head": 3]))
    static let allTypes = [
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "comment", value: .null,
               stamp: stamp(t0 + day, 3, "s12-clerk", 7), replaced: stamp(t0, 0, "s12-clerk", 2)),
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "score", value: .integer(-42),
               stamp: stamp(t0 + day - 2000, 0, "s12-head", 3)),
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "balance", value: .integer(.min),
               stamp: stamp(t0 + day + 1000, 0, "hub-ruo", 12), replaced: stamp(t0 - day, 0, "hub-ruo", 1)),
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "ratio", value: .real(36.6),
               stamp: stamp(t0 + day + 1000, 1, "hub-ruo", 13)),
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "offset", value: .real(-0.0),
               stamp: stamp(t0 + day + 1000, 2, "hub-ruo", 14)),
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "note", value: .text(""),
               stamp: stamp(t0 + day + 1500, 0, "hub-ruo", 15)),
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "title",
               value: .text("Школа № 12 «Радуга»: отчёт за сентябрь, ёЁ"),
               stamp: stamp(t0 + day + 2000, 0, "s12-clerk", 8), replaced: stamp(t0 + minute, 0, "s12-head", 1)),
        Change(table: "reports", row: "r-0002", partition: "school-12", field: Change.deletedField, value: .integer(1),
               stamp: stamp(t0 + day + 3000, 0, "hub-ruo", 16)),
    ]

    static let twoRowsHeader = ChangeSetHeader(
        bundleID: bundleID(4), created: time(t0 + 20 * minute), sender: "s12-clerk", senderPartition: "school-12",
        recipient: .node("hub-ruo"), base: VectorClock(), upper: VectorClock(["s12-clerk": 4]))
    static let twoRows = [
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "title", value: "Отчёт 1",
               stamp: stamp(t0 + minute, 0, "s12-clerk", 1)),
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "score", value: 5,
               stamp: stamp(t0 + minute, 1, "s12-clerk", 2)),
        Change(table: "reports", row: "r-0002", partition: "school-12", field: "title", value: "Отчёт 2",
               stamp: stamp(t0 + 2 * minute, 0, "s12-clerk", 3)),
        Change(table: "reports", row: "r-0002", partition: "school-12", field: "score", value: 4,
               stamp: stamp(t0 + 2 * minute, 1, "s12-clerk", 4)),
    ]

    static let equivalentTextsHeader = ChangeSetHeader(
        bundleID: bundleID(6), created: time(t0 + 30 * minute), sender: "hub-ruo", senderPartition: Change.everywhere,
        recipient: .partition("school-12"), base: VectorClock(), upper: VectorClock(["hub-ruo": 2]))
    /// "й" as one scalar (D0 B9) and as "и" + combining breve (D0 B8 CC 86): equal to Unicode, different texts to Parta.
    static let equivalentTexts = [
        Change(table: "reports", row: "й", partition: "school-12", field: "й", value: "й",
               stamp: stamp(t0 + 25 * minute, 0, "hub-ruo", 1)),
        Change(table: "reports", row: "и\u{306}", partition: "school-12", field: "и\u{306}", value: "и\u{306}",
               stamp: stamp(t0 + 25 * minute, 1, "hub-ruo", 2)),
    ]

    static let wrappingHeader = ChangeSetHeader(
        bundleID: bundleID(7), created: time(t0 + 40 * minute), sender: "hub-ruo", senderPartition: Change.everywhere,
        recipient: .node("s12-clerk"), base: VectorClock(), upper: VectorClock(["hub-ruo": .max]))
    /// Deltas are taken modulo 2^64: the first stamp (all ones) is a delta of -1 from zero, the next a delta of +1.
    static let wrapping = [
        Change(table: "reports", row: "r-max", partition: "school-12", field: "score", value: .integer(.max),
               stamp: Stamp(time: HybridTimestamp(rawValue: .max), node: "hub-ruo", counter: .max),
               replaced: Stamp(time: HybridTimestamp(rawValue: .max - 1), node: "hub-ruo", counter: .max - 1)),
        Change(table: "reports", row: "r-max", partition: "school-12", field: "title", value: .text("\u{0}"),
               stamp: Stamp(time: .zero, node: "hub-ruo", counter: 0),
               replaced: Stamp(time: .zero, node: "", counter: 0)),
    ]

    /// Vector 008: a new node's first bundle for its hub, carrying its enrollment proof.
    static let enrollingHeader = ChangeSetHeader(
        bundleID: bundleID(8), created: time(t0 + 50 * minute), sender: "s12-new", senderPartition: "school-12",
        recipient: .node("hub-ruo"), base: VectorClock(), upper: VectorClock(["s12-new": 1]))
    static let enrolling = [
        Change(table: "reports", row: "r-0003", partition: "school-12", field: "title", value: "Новый компьютер",
               stamp: stamp(t0 + 45 * minute, 0, "s12-new", 1)),
    ]
    static var enrollmentProof: [UInt8] {
        VectorKeys.code.proof(node: enrollingHeader.sender, partition: enrollingHeader.senderPartition, keys: VectorKeys.sender.publicKeys)
    }

    /// Vector 009: a hub's bundle for a school, sealed to two nodes and to an enrollment code.
    static let manyRecipientsHeader = ChangeSetHeader(
        bundleID: bundleID(9), created: time(t0 + 60 * minute), sender: "hub-ruo", senderPartition: Change.everywhere,
        recipient: .partition("school-12"), base: VectorClock(), upper: VectorClock(["s12-clerk": 1]))

    /// Vector 010: a hub's bundle for a school whose nodes all read seen sets (header extensions 5 and 6).
    static var seenSetsHeader: ChangeSetHeader {
        var h = ChangeSetHeader(
            bundleID: bundleID(10), created: time(t0 + 70 * minute), sender: "hub-ruo", senderPartition: Change.everywhere,
            recipient: .partition("school-12"), base: VectorClock(["s12-clerk": 2]), upper: VectorClock(["s12-clerk": 3, "s12-head": 2, "s12-old": 5]))
        h.reads = .seenSets
        h.carriesSeenSets = true
        return h
    }
    static let seenSets = [
        // The head overwrote the clerk's value, having seen the clerk's changes up to 2 and what a writer of an
        // earlier release had replaced (through).
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "comment", value: "Исправлено",
               stamp: stamp(t0 + 65 * minute, 0, "s12-head", 2), replaced: stamp(t0 + 60 * minute, 0, "s12-clerk", 2),
               seen: SeenSet(latest: VectorClock(["s12-clerk": 2, "s12-head": 1]), through: stamp(t0 - day, 0, "s12-old", 4))),
        // A first write: an empty seen set (it saw nothing), not an absent one.
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "progress", value: 40,
               stamp: stamp(t0 + 66 * minute, 0, "s12-clerk", 3), seen: SeenSet()),
        // Relayed from a node of an earlier release: no seen set, its replaced stamp only.
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "status", value: "in_progress",
               stamp: stamp(t0 + 20 * minute, 0, "s12-old", 5), replaced: stamp(t0 - day, 0, "s12-old", 4)),
    ]

    /// Vector 012: a hub's bundle written for a school whose nodes read seen sets and the tables of
    /// release 2, holding one such row (Parta's `indicators`).
    static var writtenForHeader: ChangeSetHeader {
        var h = ChangeSetHeader(
            bundleID: bundleID(12), created: time(t0 + 80 * minute), sender: "hub-ruo", senderPartition: Change.everywhere,
            recipient: .partition("school-12"), base: VectorClock(["s12-clerk": 3]), upper: VectorClock(["s12-clerk": 4]))
        h.reads = [.seenSets, .release2Tables]
        h.writtenFor = [.seenSets, .release2Tables]
        h.carriesSeenSets = true
        return h
    }
    static let writtenFor = [
        Change(table: "indicators", row: "t7-ruo|охват, %|school-12", partition: "school-12", field: "value", value: .real(52),
               stamp: stamp(t0 + 75 * minute, 0, "s12-clerk", 4), seen: SeenSet()),
    ]

    /// Vector 013: vector 012 with header extension 10, the newest change the hub holds from
    /// each of the school's two computers.
    static var newestHeldHeader: ChangeSetHeader {
        var h = writtenForHeader
        h.bundleID = bundleID(13)
        h.newestHeld = [HeldChange(node: "s12-clerk", counter: 4, time: time(t0 + 75 * minute)),
                        HeldChange(node: "s12-head", counter: 2, time: time(t0 + 65 * minute))]
        return h
    }

    /// Vector 014: a school computer's bundle whose one change (counter 4) overwrote its changes 2
    /// and 3 of the same field: header extension 12 states their times.
    static var ownTimesHeader: ChangeSetHeader {
        var h = ChangeSetHeader(
            bundleID: bundleID(14), created: time(t0 + 10 * minute), sender: "s12-clerk", senderPartition: "school-12",
            recipient: .node("hub-ruo"), base: VectorClock(["hub-ruo": 2, "s12-clerk": 1]), upper: VectorClock(["hub-ruo": 2, "s12-clerk": 4]))
        h.ownTimes = [OwnChangeTime(counter: 2, time: time(t0 + 6 * minute)), OwnChangeTime(counter: 3, time: time(t0 + 7 * minute))]
        return h
    }
    static let ownTimesChanges = [
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "title", value: "Отчёт за сентябрь",
               stamp: stamp(t0 + 8 * minute, 0, "s12-clerk", 4)),
    ]

    /// Vector 015: a successor's bundle relaying a change of its earlier id (counter 5) that
    /// overwrote that id's changes 3 and 4: header extension 14 states their times.
    static var lineageTimesHeader: ChangeSetHeader {
        var h = ChangeSetHeader(
            bundleID: bundleID(15), created: time(t0 + 12 * minute), sender: "s12-laptop", senderPartition: "school-12",
            recipient: .node("hub-ruo"), base: VectorClock(["hub-ruo": 2]), upper: VectorClock(["hub-ruo": 2, "s12-clerk": 5]))
        h.lineageTimes = [LineageTimes(node: "s12-clerk", times: [OwnChangeTime(counter: 3, time: time(t0 + 6 * minute)),
                                                                  OwnChangeTime(counter: 4, time: time(t0 + 7 * minute))])]
        return h
    }
    static let lineageTimesChanges = [
        Change(table: "reports", row: "r-0001", partition: "school-12", field: "title", value: "Отчёт за октябрь",
               stamp: stamp(t0 + 8 * minute, 0, "s12-clerk", 5)),
    ]

    /// The body of an extension 14 with `groups` (each step with vector 002's created as its HLC), in the order given.
    static func lineageTimesBody(_ groups: [(String, [UInt64])], extra: [UInt8] = []) -> [UInt8] {
        var w = ByteWriter()
        w.varint(UInt64(groups.count))
        for (node, steps) in groups {
            w.string(node)
            w.varint(UInt64(steps.count))
            for step in steps { w.varint(step); w.u64(oneChangeHeader.created.rawValue) }
        }
        return w.bytes + extra
    }

    /// The body of an extension 12 with `steps` (each with vector 002's created as its HLC).
    static func ownTimesBody(_ steps: [UInt64], extra: [UInt8] = []) -> [UInt8] {
        var w = ByteWriter()
        w.varint(UInt64(steps.count))
        for step in steps { w.varint(step); w.u64(oneChangeHeader.created.rawValue) }
        return w.bytes + extra
    }

    /// The body of an extension 10 with `entries`, as written (in the order given) for the invalid vectors.
    static func newestHeldBody(_ entries: [(String, UInt64)], extra: [UInt8] = []) -> [UInt8] {
        var w = ByteWriter()
        w.varint(UInt64(entries.count))
        for (node, counter) in entries { w.string(node); w.varint(counter); w.u64(oneChangeHeader.created.rawValue) }
        return w.bytes + extra
    }

    // MARK: Keys by name (keys.json)

    static func signer(named name: String) -> NodeKeys {
        switch name {
        case "sender": return VectorKeys.sender
        case "recipient": return VectorKeys.recipient
        default: return VectorKeys.other
        }
    }

    static func sealRecipient(named name: String) -> SealRecipient {
        switch name {
        case "recipient": return VectorKeys.toRecipient
        case "other": return VectorKeys.toOther
        case "sender": return .node(sealingKey: VectorKeys.sender.publicKeys.sealing)
        default: return .enrollmentCode(VectorKeys.code)
        }
    }

    static func keysJSON() -> OrderedJSON {
        func node(_ keys: NodeKeys, _ signing: UInt8, _ sealing: UInt8, _ role: String) -> OrderedJSON {
            .object([
                ("role", .string(role)),
                ("signingSeed", .string(VectorKeys.secret(from: signing).hex)),
                ("signingPublic", .string(keys.publicKeys.signing.hex)),
                ("sealingPrivate", .string(VectorKeys.secret(from: sealing).hex)),
                ("sealingPublic", .string(keys.publicKeys.sealing.hex)),
            ])
        }
        return .object([
            ("description", .string(
                "The fixed secrets behind every vector in this folder. Test vectors only: real bundles use fresh random " +
                "file and ephemeral keys, and never reuse a file key with the all-zero nonce.")),
            ("decoding", .string(
                "Every vector is decoded in four steps, and its .json error is the code of the first step that fails: " +
                "init (framing, header, checksum), verifySignature (Ed25519 with sender.signingPublic), " +
                "open (with recipient's sealing key, no enrollment code), nextBatch (inflate and read every change).")),
            ("sender", node(VectorKeys.sender, 0x00, 0x20, "Signs every vector unless its .json says otherwise")),
            ("recipient", node(VectorKeys.recipient, 0x40, 0x60, "Opens every vector")),
            ("other", node(VectorKeys.other, 0x80, 0xA0, "Another node: an extra recipient, a wrong signer")),
            ("enrollmentCode", .object([
                ("code", .string(VectorKeys.code.description)),
                ("normalized", .string(VectorKeys.code.normalized)),
            ])),
            ("fileKey", .string(VectorKeys.fileKey.hex)),
            ("ephemeralPrivate", .string(VectorKeys.ephemeralSecret.hex)),
            ("ephemeralPublic", .string(VectorKeys.ephemeralPublic.hex)),
        ])
    }

    // MARK: Hand-made pieces for vectors the writer would not produce

    static var oneChangeHeaderBytes: [UInt8] { ChangeSetWriter.encodeHeader(VectorKeys.sealed(oneChangeHeader, count: 1)) }

    static func withCount(_ h: ChangeSetHeader, _ count: UInt64) -> ChangeSetHeader {
        var h = h
        h.changeCount = count
        return h
    }

    /// The payload of ``oneChange``, written out field by field so that single parts can be bent.
    static func oneChangePayload(tableRef: UInt64 = 0, fieldCount: UInt64 = 1, flags: UInt8 = 0, valueTag: UInt8 = 3,
                                 text: [UInt8] = Array("Отчёт".utf8)) -> [UInt8] {
        var w = ByteWriter()
        w.varint(tableRef)
        if tableRef == 0 { w.string("reports") }
        w.string("r-0001")
        w.varint(0); w.string("school-12")
        w.varint(fieldCount)
        if fieldCount > 0 {
            w.varint(0); w.string("title")
            w.u8(flags)
            w.u8(valueTag)
            w.varint(UInt64(text.count)); w.raw(text)
            w.zigzag(Int64(bitPattern: oneChange[0].stamp.time.rawValue))
            w.varint(0); w.string("s12-clerk")
            w.zigzag(1)
        }
        return w.bytes
    }

    /// The one stanza of vector 002: the vector file key wrapped for the recipient node.
    static var recipientStanza: (UInt8, [UInt8]) { (1, VectorKeys.stanza(for: VectorKeys.toRecipient).wrappedKey) }

    /// Vector 002's header written field by field, for clocks, recipients, keys, stanzas and
    /// extensions the writer cannot produce. `rawCount` replaces the change count's varint.
    static func rawHeader(recipientKind: UInt8 = 1, base: [(String, UInt64)] = [("hub-ruo", 2)],
                          upper: [(String, UInt64)] = [("hub-ruo", 2), ("s12-clerk", 1)], count: UInt64 = 1,
                          rawCount: [UInt8]? = nil, senderKeys: NodePublicKeys = VectorKeys.sender.publicKeys,
                          ephemeral: [UInt8] = VectorKeys.ephemeralPublic, stanzaCount: UInt64? = nil,
                          stanzas: [(UInt8, [UInt8])] = [recipientStanza],
                          extensions: [(UInt64, [UInt8])] = [], extra: [UInt8] = []) -> [UInt8] {
        var w = ByteWriter()
        let h = oneChangeHeader
        w.raw(h.bundleID)
        w.u64(h.created.rawValue)
        w.string(h.sender)
        w.string(h.senderPartition)
        w.u8(recipientKind); w.string("hub-ruo")
        for clock in [base, upper] {
            w.varint(UInt64(clock.count))
            for (node, counter) in clock { w.string(node); w.varint(counter) }
        }
        if let rawCount { w.raw(rawCount) } else { w.varint(count) }
        w.raw(senderKeys.signing)
        w.raw(senderKeys.sealing)
        w.raw(ephemeral)
        w.varint(stanzaCount ?? UInt64(stanzas.count))
        for (kind, wrapped) in stanzas { w.u8(kind); w.raw(wrapped) }
        w.varint(UInt64(extensions.count))
        for (type, body) in extensions { w.varint(type); w.varint(UInt64(body.count)); w.raw(body) }
        w.raw(extra)
        return w.bytes
    }

    static func framed(header: [UInt8]? = nil, payload: [UInt8]? = nil, _ bend: (inout BundleBuilder) throws -> Void = { _ in }) throws -> [UInt8] {
        var builder = BundleBuilder(header: header ?? oneChangeHeaderBytes, payload: payload ?? oneChangePayload())
        try bend(&builder)
        return try builder.build()
    }

    /// The reader step that refuses `bytes` first (see keys.json, "decoding"), or nil if none does.
    static func failingStep(_ bytes: [UInt8]) -> String? {
        guard let reader = try? ChangeSetReader(bytes: bytes) else { return "init" }
        do { try reader.verifySignature(signingKey: VectorKeys.sender.publicKeys.signing) } catch { return "verifySignature" }
        do { try reader.open(with: VectorKeys.recipient) } catch { return "open" }
        do { _ = try reader.readAll() } catch { return "nextBatch" }
        return nil
    }

    // MARK: The catalogue

    static func all() throws -> [GeneratedVector] {
        var out: [GeneratedVector] = []
        var problems: [String] = []

        func valid(_ name: String, _ description: String, _ header: ChangeSetHeader, _ changes: [Change],
                   sealedFor: [String] = ["recipient"], enrollmentProof: [UInt8]? = nil,
                   bytes: [UInt8]? = nil, canonical: Bool = true) throws {
            let recipients = sealedFor.map(sealRecipient(named:))
            let encoded = try bytes ?? encodeBundle(header, changes, sealedFor: recipients, enrollmentProof: enrollmentProof)
            let decoded = try decodeBundle(encoded)
            let expectedHeader = VectorKeys.sealed(header, count: changes.count, for: recipients, proof: enrollmentProof)
            if decoded.header != expectedHeader || !exactlyEqual(decoded.changes, changes) { problems.append("\(name) does not round-trip") }
            let parts = try splitBundle(encoded)
            out.append(GeneratedVector(name: name, bytes: encoded, json: .object([
                ("description", .string(description)),
                ("valid", .bool(true)),
                ("canonical", .bool(canonical)),
                ("signedBy", .string("sender")),
                ("sealedFor", .array(sealedFor.map { .string($0) })),
                ("header", OrderedJSON.describe(header: expectedHeader)),
                ("headerHex", .string(parts.header.hex)),
                ("payloadHex", .string(parts.payload.hex)),
                ("changes", .array(changes.map(OrderedJSON.describe(change:)))),
            ])))
        }

        func invalid(_ name: String, _ description: String, _ code: PartaCoreError.Code, _ step: String, _ bytes: [UInt8]) {
            let actual = errorCode { _ = try decodeBundle(bytes) }
            if actual != code { problems.append("\(name) fails with \(actual.map(\.rawValue) ?? "no error"), not \(code)") }
            let actualStep = failingStep(bytes)
            if actualStep != step { problems.append("\(name) fails at \(actualStep ?? "no step"), not \(step)") }
            out.append(GeneratedVector(name: name, bytes: bytes, json: .object([
                ("description", .string(description)),
                ("valid", .bool(false)),
                ("error", .string(code.rawValue)),
                ("step", .string(step)),
            ])))
        }

        try valid("001-empty-bundle", "A hub's bundle for partition school-12 with no changes and empty clocks.",
                  emptyHeader, [])
        try valid("002-one-change", "A member's bundle for its hub holding one text change.", oneChangeHeader, oneChange)
        try valid("003-all-value-types",
                  "Null, negative and minimum integers, reals (36.6 and -0.0), empty and Russian text, replaced stamps, " +
                  "a tombstone ($deleted = 1), stamps going backwards in time (negative deltas).",
                  allTypesHeader, allTypes)
        try valid("004-two-rows-shared-strings",
                  "Two rows of one table: the second row group refers back to the table, partition, field and node texts.",
                  twoRowsHeader, twoRows)
        try valid("006-equivalent-texts-stay-distinct",
                  "Two rows whose id, field and value are \"й\" precomposed (D0 B9) and decomposed (D0 B8 CC 86): " +
                  "texts are compared as bytes, so the second row defines its texts anew instead of referring to the first.",
                  equivalentTextsHeader, equivalentTexts)
        try valid("007-wrapping-deltas",
                  "Extreme stamps: HLC and counter 2^64-1, then 0 (deltas taken modulo 2^64), an empty node id, " +
                  "the largest integer and a text holding NUL. Format-level extremes only: real nodes count changes from 1.",
                  wrappingHeader, wrapping)
        try valid("005-ignorable-extension",
                  "Vector 002 with a non-critical header extension (type 4, 3 bytes \"abc\") that a v2 reader skips. " +
                  "Not canonical: re-encoding drops the extension.",
                  oneChangeHeader, oneChange, bytes: try framed(header: rawHeader(extensions: [(4, Array("abc".utf8))])), canonical: false)
        try valid("008-enrollment-proof",
                  "A new node's first bundle for its hub, with header extension 2: the 32-byte enrollment proof, " +
                  "HMAC-SHA256 keyed by HKDF-SHA256(code, info \"parta enrollment proof v2\") of the sender id, " +
                  "partition and public keys, made with keys.json's enrollment code.",
                  enrollingHeader, enrolling, enrollmentProof: enrollmentProof)
        try valid("009-sealed-to-three",
                  "A hub's bundle for a school sealed to three recipients, in this stanza order: node other, node recipient " +
                  "(the reader opens with this, the second stanza) and keys.json's enrollment code. All three open it.",
                  manyRecipientsHeader, oneChange, sealedFor: ["other", "recipient", "enrollmentCode"])

        try valid("010-seen-sets",
                  "A hub's bundle for a school whose nodes all declared they read seen sets: header extension 5 (empty, " +
                  "critical: field records may carry seen sets) and extension 6 (the sender reads feature bit 0, seen sets). " +
                  "Three changes: one with a seen set holding two nodes and a through stamp (flags 0x07), one with an empty " +
                  "seen set (flags 0x02), one without (flags 0x01).",
                  seenSetsHeader, seenSets)
        var unknownReads = oneChangeHeader
        unknownReads.reads = ReadFeatures(rawValue: 0x81)
        try valid("011-reads-unknown-bits",
                  "Vector 002 with header extension 6 (reads) holding 0x81, two varint bytes 81 01: bit 0 (seen sets) and " +
                  "bit 7, which no release defines: a reader ignores it, the reference writer never sets it (not canonical).",
                  unknownReads, oneChange, canonical: false)

        try valid("012-written-for",
                  "A hub's bundle for a school whose nodes read seen sets and the tables of release 2: extensions 5, 6 (reads 3) " +
                  "and 8 (written for 3), and one row of such a table.",
                  writtenForHeader, writtenFor)
        try valid("013-newest-held",
                  "Vector 012 with header extension 10 (newest held): the hub holds s12-clerk's changes up to counter 4 " +
                  "(written 09:15) and s12-head's up to counter 2 (written 09:05).",
                  newestHeldHeader, writtenFor)
        try valid("014-own-times",
                  "A school computer's bundle with one change (counter 4) and header extension 12 (own times): the times of " +
                  "its changes 2 and 3, which change 4 overwrote (steps 2 and 1).",
                  ownTimesHeader, ownTimesChanges)
        try valid("015-lineage-times",
                  "A successor's bundle (s12-laptop) relaying one change of its earlier id s12-clerk (counter 5), with header " +
                  "extension 14 (lineage times): the times of s12-clerk's changes 3 and 4, which change 5 overwrote (steps 3 and 1).",
                  lineageTimesHeader, lineageTimesChanges)

        let one = try encodeBundle(oneChangeHeader, oneChange)
        invalid("101-truncated-header", "Vector 002 cut after 34 bytes, inside the header.", .truncated, "init", Array(one.prefix(34)))
        var badMagic = one
        badMagic.replaceSubrange(0..<6, with: Array("PARTAX".utf8))
        invalid("102-bad-magic", "Vector 002 whose magic reads PARTAX.", .badMagic, "init", badMagic)
        invalid("103-future-version", "Vector 002 claiming format version 3 (checksum and signature recomputed).",
                .unsupportedVersion, "init", try framed { $0.magic = ChangeSetFormat.magicPrefix + [3] })
        var flipped = one
        flipped[one.count - 97] ^= 0x01
        invalid("104-flipped-sealed-bit", "Vector 002 with the lowest bit of the last sealed byte (the end of the tag) flipped.",
                .checksumMismatch, "init", flipped)
        invalid("105-unknown-flags", "Vector 002 with flags = 0x0007: a bit this version does not know (checksum and signature recomputed).",
                .unsupportedFeature, "init", try framed { $0.flags = 7 })
        invalid("106-zero-length", "An empty file.", .truncated, "init", [])
        invalid("107-critical-extension", "Vector 002 with a critical header extension (type 1).", .unsupportedFeature, "init",
                try framed(header: rawHeader(extensions: [(1, [0x00])])))
        var trailing = one
        trailing.append(0)
        invalid("108-bytes-after-signature", "Vector 002 followed by one zero byte.", .malformed, "init", trailing)
        invalid("109-header-too-long", "A header length of 1 MiB + 1.", .malformed, "init",
                try framed { $0.headerLength = ChangeSetFormat.maxHeaderLength + 1 })
        invalid("110-unsorted-vector-clock", "The upper clock lists s12-clerk before hub-ruo.", .malformed, "init",
                try framed(header: rawHeader(upper: [("s12-clerk", 1), ("hub-ruo", 2)])))
        invalid("111-zero-counter-in-vector-clock", "The base clock holds hub-ruo: 0.", .malformed, "init",
                try framed(header: rawHeader(base: [("hub-ruo", 0)])))
        invalid("112-duplicate-node-in-vector-clock", "The upper clock lists hub-ruo twice.", .malformed, "init",
                try framed(header: rawHeader(upper: [("hub-ruo", 2), ("hub-ruo", 3)])))
        invalid("113-unknown-recipient-kind", "Recipient kind 3.", .malformed, "init", try framed(header: rawHeader(recipientKind: 3)))
        invalid("114-huge-declared-payload", "Uncompressed length 2^63, far above any reader's cap.", .payloadTooLarge, "init",
                try framed { $0.uncompressedLength = 1 << 63 })
        invalid("115-payload-larger-than-declared", "The payload unpacks to one byte more than declared.", .payloadTooLarge, "nextBatch",
                try framed { $0.uncompressedLength = UInt64($0.payload.count - 1) })
        invalid("116-payload-smaller-than-declared", "The payload unpacks to one byte less than declared.", .malformed, "nextBatch",
                try framed { $0.uncompressedLength = UInt64($0.payload.count + 1) })
        invalid("117-more-changes-than-header", "The header says 0 changes; the payload holds 1.", .malformed, "nextBatch",
                try framed(header: rawHeader(count: 0)))
        invalid("118-fewer-changes-than-header", "The header says 2 changes; the payload holds 1.", .malformed, "nextBatch",
                try framed(header: rawHeader(count: 2)))
        invalid("119-bad-string-reference", "The table is written as reference 1 before any text is defined.", .malformed, "nextBatch",
                try framed(payload: oneChangePayload(tableRef: 1)))
        invalid("120-invalid-utf8", "The value text holds the byte 0xFF.", .malformed, "nextBatch",
                try framed(payload: oneChangePayload(text: [0x41, 0xFF])))
        invalid("121-unknown-value-type", "Value type tag 4.", .malformed, "nextBatch", try framed(payload: oneChangePayload(valueTag: 4)))
        invalid("122-unknown-field-flags", "Field flags 0x02.", .malformed, "nextBatch", try framed(payload: oneChangePayload(flags: 2)))
        invalid("123-empty-row-group", "A row group with field count 0.", .malformed, "nextBatch",
                try framed(header: rawHeader(count: 0), payload: oneChangePayload(fieldCount: 0)))
        invalid("124-truncated-row-group", "The payload ends inside the stamp of its only field (zlib stream complete).",
                .truncated, "nextBatch", try framed(payload: Array(oneChangePayload().dropLast(3))))
        invalid("125-bad-zlib-checksum", "An empty payload whose zlib trailer holds a wrong Adler-32 (sealed, checksum and signature valid).",
                .malformed, "nextBatch", try framed(header: rawHeader(count: 0), payload: []) { b in
                    var z = try zlib([])
                    z[z.count - 1] ^= 0x01
                    b.compressed = z
                })
        invalid("126-data-after-zlib-stream", "An empty payload with one byte after the end of the zlib stream (inside the sealed body).",
                .malformed, "nextBatch", try framed(header: rawHeader(count: 0), payload: []) { b in
                    b.compressed = try zlib([]) + [0]
                })
        invalid("127-truncated-zlib-stream", "Vector 002's zlib stream without its last 4 bytes, then sealed (lengths, checksum and signature consistent).",
                .truncated, "nextBatch", try framed { b in b.compressed = Array(try zlib(b.payload).dropLast(4)) })
        invalid("128-extra-header-bytes", "The header has one byte after the extension list.", .malformed, "init",
                try framed(header: rawHeader(extra: [0])))
        invalid("129-varint-too-long", "The change count is a 10-byte varint whose last byte is 0x7F: more than 64 bits.",
                .malformed, "init", try framed(header: rawHeader(rawCount: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])))
        invalid("130-short-magic", "The first 4 bytes of the magic only.", .truncated, "init", Array(ChangeSetFormat.magic.prefix(4)))

        // Signing and sealing (format 2).
        var badSignature = one
        badSignature[one.count - 64] ^= 0x01
        invalid("131-flipped-signature-bit", "Vector 002 with the lowest bit of the signature's first byte flipped.",
                .badSignature, "verifySignature", badSignature)
        invalid("132-signed-by-another-key",
                "Vector 002 written and signed by keys.json's other node, whose keys the header names: the reader trusts " +
                "sender's key for this sender, not the key a bundle names for itself.",
                .badSignature, "verifySignature", try encodeBundle(oneChangeHeader, oneChange, signedBy: VectorKeys.other))
        invalid("133-sealed-to-another-node", "Vector 002 sealed only to keys.json's other node.", .notForThisNode, "open",
                try encodeBundle(oneChangeHeader, oneChange, sealedFor: [VectorKeys.toOther]))
        invalid("134-altered-sealed-byte",
                "Vector 002 with the first sealed byte flipped, checksum and signature recomputed: the ChaCha20-Poly1305 tag does not verify.",
                .malformed, "open", try framed { $0.bendSealed = { $0[0] ^= 0x01 } })
        invalid("135-no-stanzas", "The header lists 0 recipients (stanza count 0).", .malformed, "init", try framed(header: rawHeader(stanzas: [])))
        invalid("136-unknown-stanza-kind", "The only stanza has kind 3.", .malformed, "init",
                try framed(header: rawHeader(stanzas: [(3, recipientStanza.1)])))
        invalid("137-short-enrollment-proof", "Header extension 2 (enrollment proof) of 31 bytes.", .malformed, "init",
                try framed(header: rawHeader(extensions: [(2, Array(enrollmentProof.prefix(31)))])))
        invalid("138-sealed-shorter-than-tag", "A sealed length of 15: shorter than the 16-byte tag.", .malformed, "init",
                try framed { $0.sealed = [UInt8](repeating: 0, count: 15) })
        invalid("139-too-many-stanzas", "A stanza count of 1025 (at most 1024).", .malformed, "init",
                try framed(header: rawHeader(stanzaCount: 1025)))
        invalid("140-enrollment-proof-twice", "Header extension 2 (enrollment proof, 32 bytes) appears twice.", .malformed, "init",
                try framed(header: rawHeader(extensions: [(2, enrollmentProof), (2, enrollmentProof)])))
        invalid("141-sealed-under-another-header",
                "The changes were sealed with associated data that differs in one bit of the bundle id from the bytes " +
                "actually before them (as if moved from another bundle); checksum and signature are valid.",
                .malformed, "open", try framed { $0.authenticating = { prefix in var p = prefix; p[14] ^= 0x01; return p } })
        var damagedStanza = recipientStanza
        damagedStanza.1[0] ^= 0x01
        invalid("142-damaged-stanza", "The recipient's wrapped file key has one bit flipped (checksum and signature recomputed).",
                .notForThisNode, "open", try framed(header: rawHeader(stanzas: [damagedStanza])))
        invalid("143-zero-ephemeral-key",
                "The ephemeral key is 32 zero bytes, a low-order point: X25519 gives the all-zero shared secret, which a reader " +
                "refuses (or derives from it a key that opens no stanza).",
                .notForThisNode, "open", try framed(header: rawHeader(ephemeral: [UInt8](repeating: 0, count: 32))))

        // Seen sets (replication-v1 §5.1): only where header extension 5 announces them.
        let seenHeader = rawHeader(extensions: [(ChangeSetFormat.seenSetsExtension, [])])
        invalid("144-through-without-seen-set", "Header extension 5 present; field flags 0x04 (bit 2, a through stamp, without bit 1, a seen set); the record ends after its stamp.",
                .malformed, "nextBatch", try framed(header: seenHeader, payload: oneChangePayload(flags: 4)))
        var unsorted = ByteWriter()
        unsorted.varint(2)
        unsorted.varint(4); unsorted.varint(1)                      // "s12-clerk" (text 4): 1
        unsorted.varint(0); unsorted.string("hub-ruo"); unsorted.varint(2)
        invalid("145-unsorted-seen-set", "Header extension 5 present; the seen set lists s12-clerk before hub-ruo.",
                .malformed, "nextBatch", try framed(header: seenHeader, payload: oneChangePayload(flags: 2) + unsorted.bytes))
        invalid("146-seen-sets-extension-not-empty", "Header extension 5 (seen sets) with one byte; it must be empty.", .malformed, "init",
                try framed(header: rawHeader(extensions: [(ChangeSetFormat.seenSetsExtension, [0])])))
        invalid("147-reads-twice", "Header extension 6 (reads) appears twice.", .malformed, "init",
                try framed(header: rawHeader(extensions: [(ChangeSetFormat.readsExtension, [1]), (ChangeSetFormat.readsExtension, [1])])))
        invalid("151-written-for-twice", "Header extension 8 (written for) appears twice.", .malformed, "init",
                try framed(header: rawHeader(extensions: [(ChangeSetFormat.writtenForExtension, [1]), (ChangeSetFormat.writtenForExtension, [1])])))
        let held = ChangeSetFormat.newestHeldExtension
        let heldNote = "(each entry's HLC is vector 002's created)"
        invalid("152-newest-held-twice", "Vector 002 with header extension 10 (newest held) twice, each naming s12-clerk at counter 1 \(heldNote).",
                .malformed, "init", try framed(header: rawHeader(extensions: [(held, newestHeldBody([("s12-clerk", 1)])),
                                                                             (held, newestHeldBody([("s12-clerk", 1)]))])))
        invalid("153-newest-held-unsorted", "Vector 002 with header extension 10 naming s12-head (counter 2) before s12-clerk (counter 1) \(heldNote).",
                .malformed, "init", try framed(header: rawHeader(extensions: [(held, newestHeldBody([("s12-head", 2), ("s12-clerk", 1)]))])))
        invalid("154-newest-held-zero-counter", "Vector 002 with header extension 10 naming s12-clerk at counter 0 \(heldNote).",
                .malformed, "init", try framed(header: rawHeader(extensions: [(held, newestHeldBody([("s12-clerk", 0)]))])))
        invalid("155-newest-held-extra-byte", "Vector 002 with header extension 10 naming s12-clerk at counter 1 \(heldNote), then one byte 00.",
                .malformed, "init", try framed(header: rawHeader(extensions: [(held, newestHeldBody([("s12-clerk", 1)], extra: [0]))])))
        let own = ChangeSetFormat.ownTimesExtension
        invalid("156-own-times-twice", "Vector 002 with header extension 12 (own times) twice, each one entry of step 1 \(heldNote).",
                .malformed, "init", try framed(header: rawHeader(extensions: [(own, ownTimesBody([1])), (own, ownTimesBody([1]))])))
        invalid("157-own-times-zero-step", "Vector 002 with header extension 12 of two entries, steps 1 and 0 \(heldNote).",
                .malformed, "init", try framed(header: rawHeader(extensions: [(own, ownTimesBody([1, 0]))])))
        invalid("158-own-times-extra-byte", "Vector 002 with header extension 12 of one entry of step 1 \(heldNote), then one byte 00.",
                .malformed, "init", try framed(header: rawHeader(extensions: [(own, ownTimesBody([1], extra: [0]))])))
        let lineage = ChangeSetFormat.lineageTimesExtension
        invalid("159-lineage-times-twice", "Vector 002 with header extension 14 (lineage times) twice, each naming s12-clerk with one entry of step 1 \(heldNote).",
                .malformed, "init", try framed(header: rawHeader(extensions: [(lineage, lineageTimesBody([("s12-clerk", [1])])),
                                                                             (lineage, lineageTimesBody([("s12-clerk", [1])]))])))
        invalid("160-lineage-times-unsorted", "Vector 002 with header extension 14 naming s12-head before s12-clerk, each with one entry of step 1 \(heldNote).",
                .malformed, "init", try framed(header: rawHeader(extensions: [(lineage, lineageTimesBody([("s12-head", [1]), ("s12-clerk", [1])]))])))
        invalid("161-lineage-times-zero-step", "Vector 002 with header extension 14 naming s12-clerk with two entries, steps 1 and 0 \(heldNote).",
                .malformed, "init", try framed(header: rawHeader(extensions: [(lineage, lineageTimesBody([("s12-clerk", [1, 0])]))])))
        invalid("162-lineage-times-extra-byte", "Vector 002 with header extension 14 naming s12-clerk with one entry of step 1 \(heldNote), then one byte 00.",
                .malformed, "init", try framed(header: rawHeader(extensions: [(lineage, lineageTimesBody([("s12-clerk", [1])], extra: [0]))])))
        var zeroCounter = ByteWriter()
        zeroCounter.varint(1)
        zeroCounter.varint(4); zeroCounter.varint(0)
        invalid("148-zero-counter-in-seen-set", "Header extension 5 present; the seen set holds s12-clerk: 0.",
                .malformed, "nextBatch", try framed(header: seenHeader, payload: oneChangePayload(flags: 2) + zeroCounter.bytes))

        var tooMany = ByteWriter()
        tooMany.varint(65)
        for i in 0..<65 { tooMany.varint(0); tooMany.string(String(format: "n%02d", i)); tooMany.varint(1) }
        invalid("149-seen-set-too-long", "Header extension 5 present; the seen set lists 65 nodes (n00 … n64), more than 64.",
                .malformed, "nextBatch", try framed(header: seenHeader, payload: oneChangePayload(flags: 2) + tooMany.bytes))
        var longNode = ByteWriter()
        longNode.varint(1)
        longNode.varint(0); longNode.string(String(repeating: "a", count: 1025)); longNode.varint(1)
        invalid("150-seen-set-node-too-long", "Header extension 5 present; the seen set names a node id of 1025 bytes (at most 1024).",
                .malformed, "nextBatch", try framed(header: seenHeader, payload: oneChangePayload(flags: 2) + longNode.bytes))

        if !problems.isEmpty { throw VectorExpectation.Invalid(description: problems.joined(separator: "\n")) }
        return out
    }
}
