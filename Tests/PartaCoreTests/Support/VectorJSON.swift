import Foundation
@testable import PartaCore

// The .json files of Protocol/vectors/v2 (their schema is described in Protocol/vectors/v2/README.md).
// Integers that may exceed 2^53 (HLC readings, integer values) are decimal strings, so any JSON
// library reads them exactly; reals carry their IEEE 754 bits as hex next to the number.

/// What a vector's .json says the .bin must decode to, or which error it must raise.
struct VectorExpectation: Decodable {
    var description: String
    var valid: Bool
    /// False for a valid bundle the v2 writer would not produce (re-encoding gives other bytes).
    var canonical: Bool?
    var error: String?
    /// Names in keys.json: who signed a valid vector, and for whom it is sealed, in stanza order.
    var signedBy: String?
    var sealedFor: [String]?
    /// For an invalid vector, the reader step that refuses it: init, verifySignature, open or nextBatch.
    var step: String?
    var header: HeaderJSON?
    var headerHex: String?
    var payloadHex: String?
    var changes: [ChangeJSON]?

    struct HeaderJSON: Decodable {
        var bundleId: String
        var created: StampTime
        var sender: String
        var senderPartition: String
        var recipient: RecipientJSON
        var base: [String: UInt64]
        var upper: [String: UInt64]
        var changeCount: UInt64
        var senderKeys: KeysJSON
        var ephemeralKey: String
        var stanzas: [StanzaJSON]
        var enrollmentProof: String?
        /// Header extension 6, when present.
        var reads: UInt64?
        /// Header extension 5, when present.
        var seenSets: Bool?
        /// Header extension 8, when present.
        var writtenFor: UInt64?
        /// Header extension 10, when present: stamps without their node's order mattering here.
        var newestHeld: [StampJSON]?
        /// Header extension 12, when present.
        var ownTimes: [OwnTimeJSON]?
        /// Header extension 14, when present.
        var lineageTimes: [LineageTimesJSON]?
    }

    struct LineageTimesJSON: Decodable {
        var node: String
        var times: [OwnTimeJSON]
    }

    struct OwnTimeJSON: Decodable {
        var hlc: String
        var time: String
        var counter: UInt64
    }

    struct SeenJSON: Decodable {
        var latest: [String: UInt64]
        var through: StampJSON?
    }

    struct KeysJSON: Decodable {
        var signing: String
        var sealing: String
    }

    struct StanzaJSON: Decodable {
        var kind: String
        var wrappedKey: String
    }

    struct StampTime: Decodable {
        var hlc: String
        var time: String
    }

    struct RecipientJSON: Decodable {
        var kind: String
        var id: String
    }

    struct StampJSON: Decodable {
        var hlc: String
        var time: String
        var node: String
        var counter: UInt64
    }

    struct ChangeJSON: Decodable {
        var table: String
        var row: String
        var partition: String
        var field: String
        var value: ValueJSON
        var stamp: StampJSON
        var replaced: StampJSON?
        var seen: SeenJSON?
    }

    enum ValueJSON: Decodable {
        case null, integer(Int64), real(bits: UInt64), text(String)

        enum Keys: String, CodingKey { case type, value, bits }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            switch try c.decode(String.self, forKey: .type) {
            case "null": self = .null
            case "integer":
                let text = try c.decode(String.self, forKey: .value)
                guard let v = Int64(text) else { throw DecodingError.dataCorruptedError(forKey: .value, in: c, debugDescription: text) }
                self = .integer(v)
            case "real":
                let text = try c.decode(String.self, forKey: .bits)
                guard let v = UInt64(text, radix: 16) else { throw DecodingError.dataCorruptedError(forKey: .bits, in: c, debugDescription: text) }
                self = .real(bits: v)
            case "text": self = .text(try c.decode(String.self, forKey: .value))
            case let other: throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: other)
            }
        }
    }

    static func load(_ url: URL) throws -> VectorExpectation {
        try JSONDecoder().decode(VectorExpectation.self, from: Data(contentsOf: url))
    }

    struct Invalid: Error, CustomStringConvertible { var description: String }

    /// The header and changes the .json states, as core values.
    func expectedContents() throws -> (header: ChangeSetHeader, changes: [Change]) {
        guard let h = header, let changes else { throw Invalid(description: "a valid vector needs header and changes") }
        guard let id = [UInt8](hex: h.bundleId), id.count == 16 else { throw Invalid(description: "bundleId \(h.bundleId)") }
        let recipient: Recipient
        switch h.recipient.kind {
        case "node": recipient = .node(h.recipient.id)
        case "partition": recipient = .partition(h.recipient.id)
        default: throw Invalid(description: "recipient kind \(h.recipient.kind)")
        }
        var header = ChangeSetHeader(bundleID: id, created: try Self.timestamp(h.created.hlc), sender: h.sender,
                                     senderPartition: h.senderPartition, recipient: recipient,
                                     base: VectorClock(h.base), upper: VectorClock(h.upper), changeCount: h.changeCount)
        header.senderKeys = NodePublicKeys(signing: try Self.bytes(h.senderKeys.signing, 32), sealing: try Self.bytes(h.senderKeys.sealing, 32))
        header.ephemeralKey = try Self.bytes(h.ephemeralKey, 32)
        header.stanzas = try h.stanzas.map { s in
            let kind: SealStanza.Kind
            switch s.kind {
            case "nodeKey": kind = .nodeKey
            case "enrollmentCode": kind = .enrollmentCode
            default: throw Invalid(description: "stanza kind \(s.kind)")
            }
            return SealStanza(kind: kind, wrappedKey: try Self.bytes(s.wrappedKey, 48))
        }
        header.enrollmentProof = try h.enrollmentProof.map { try Self.bytes($0, 32) }
        header.reads = h.reads.map(ReadFeatures.init(rawValue:))
        header.writtenFor = h.writtenFor.map(ReadFeatures.init(rawValue:))
        header.carriesSeenSets = h.seenSets ?? false
        header.newestHeld = try (h.newestHeld ?? []).map { HeldChange(node: $0.node, counter: $0.counter, time: try Self.timestamp($0.hlc)) }
        header.ownTimes = try (h.ownTimes ?? []).map { OwnChangeTime(counter: $0.counter, time: try Self.timestamp($0.hlc)) }
        header.lineageTimes = try (h.lineageTimes ?? []).map { group in
            LineageTimes(node: group.node, times: try group.times.map { OwnChangeTime(counter: $0.counter, time: try Self.timestamp($0.hlc)) })
        }
        return (header, try changes.map { c in
            let value: Value
            switch c.value {
            case .null: value = .null
            case .integer(let v): value = .integer(v)
            case .real(let bits): value = .real(Double(bitPattern: bits))
            case .text(let v): value = .text(v)
            }
            return Change(table: c.table, row: c.row, partition: c.partition, field: c.field, value: value,
                          stamp: try Self.stamp(c.stamp), replaced: try c.replaced.map(Self.stamp),
                          seen: try c.seen.map { SeenSet(latest: VectorClock($0.latest), through: try $0.through.map(Self.stamp)) })
        })
    }

    static func bytes(_ hex: String, _ count: Int) throws -> [UInt8] {
        guard let b = [UInt8](hex: hex), b.count == count else { throw Invalid(description: "\(hex) is not \(count) bytes of hex") }
        return b
    }

    static func timestamp(_ text: String) throws -> HybridTimestamp {
        guard let raw = UInt64(text) else { throw Invalid(description: "hlc \(text)") }
        return HybridTimestamp(rawValue: raw)
    }

    static func stamp(_ s: StampJSON) throws -> Stamp {
        Stamp(time: try timestamp(s.hlc), node: s.node, counter: s.counter)
    }
}

/// A JSON value whose object keys keep their order, so vector files read in wire order.
indirect enum OrderedJSON {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([OrderedJSON])
    case object([(String, OrderedJSON)])

    func render(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .string(let s): return OrderedJSON.quote(s)
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + $0.render(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { inner + OrderedJSON.quote($0.0) + ": " + $0.1.render(indent: inner) }
                .joined(separator: ",\n") + "\n" + indent + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func describe(time: HybridTimestamp) -> [(String, OrderedJSON)] {
        [("hlc", .string(String(time.rawValue))), ("time", .string(time.description))]
    }

    static func describe(stamp: Stamp) -> OrderedJSON {
        .object(describe(time: stamp.time) + [("node", .string(stamp.node)), ("counter", .number(String(stamp.counter)))])
    }

    static func describe(clock: VectorClock) -> OrderedJSON {
        .object(clock.sortedEntries.map { ($0.node, .number(String($0.counter))) })
    }

    static func describe(value: Value) -> OrderedJSON {
        switch value {
        case .null: return .object([("type", .string("null"))])
        case .integer(let v): return .object([("type", .string("integer")), ("value", .string(String(v)))])
        case .real(let v):
            let bits = String(v.bitPattern, radix: 16)
            return .object([("type", .string("real")), ("value", .number(String(v))),
                            ("bits", .string(String(repeating: "0", count: 16 - bits.count) + bits))])
        case .text(let v): return .object([("type", .string("text")), ("value", .string(v))])
        }
    }

    static func describe(header h: ChangeSetHeader) -> OrderedJSON {
        let recipient: OrderedJSON
        switch h.recipient {
        case .node(let id): recipient = .object([("kind", .string("node")), ("id", .string(id))])
        case .partition(let id): recipient = .object([("kind", .string("partition")), ("id", .string(id))])
        }
        var optional: [(String, OrderedJSON)] = []
        if h.carriesSeenSets { optional.append(("seenSets", .bool(true))) }
        if let reads = h.reads { optional.append(("reads", .number(String(reads.rawValue)))) }
        if let writtenFor = h.writtenFor { optional.append(("writtenFor", .number(String(writtenFor.rawValue)))) }
        if !h.newestHeld.isEmpty {
            optional.append(("newestHeld", .array(h.newestHeld.map { describe(stamp: Stamp(time: $0.time, node: $0.node, counter: $0.counter)) })))
        }
        if !h.ownTimes.isEmpty {
            optional.append(("ownTimes", .array(h.ownTimes.map { .object(describe(time: $0.time) + [("counter", .number(String($0.counter)))]) })))
        }
        if !h.lineageTimes.isEmpty {
            optional.append(("lineageTimes", .array(h.lineageTimes.map { group in
                .object([("node", .string(group.node)),
                         ("times", .array(group.times.map { .object(describe(time: $0.time) + [("counter", .number(String($0.counter)))]) }))])
            })))
        }
        let fields: [(String, OrderedJSON)] = [
            ("bundleId", .string(h.bundleIDHex)),
            ("created", .object(describe(time: h.created))),
            ("sender", .string(h.sender)),
            ("senderPartition", .string(h.senderPartition)),
            ("recipient", recipient),
            ("base", describe(clock: h.base)),
            ("upper", describe(clock: h.upper)),
            ("changeCount", .number(String(h.changeCount))),
            ("senderKeys", .object([("signing", .string(h.senderKeys?.signing.hex ?? "")),
                                    ("sealing", .string(h.senderKeys?.sealing.hex ?? ""))])),
            ("ephemeralKey", .string(h.ephemeralKey.hex)),
            ("stanzas", .array(h.stanzas.map { s in
                .object([("kind", .string(s.kind == .nodeKey ? "nodeKey" : "enrollmentCode")), ("wrappedKey", .string(s.wrappedKey.hex))])
            })),
            ("enrollmentProof", h.enrollmentProof.map { .string($0.hex) } ?? .null),
        ]
        return .object(fields + optional)
    }

    static func describe(change c: Change) -> OrderedJSON {
        .object([
            ("table", .string(c.table)), ("row", .string(c.row)), ("partition", .string(c.partition)),
            ("field", .string(c.field)), ("value", describe(value: c.value)),
            ("stamp", describe(stamp: c.stamp)), ("replaced", c.replaced.map(describe(stamp:)) ?? .null),
        ] + (c.seen.map { seen in
            [("seen", .object([("latest", describe(clock: seen.latest)), ("through", seen.through.map(describe(stamp:)) ?? .null)]))]
        } ?? []))
    }
}
