/// Who a change set is for: one node, or every node of a partition (a school).
public enum Recipient: Hashable, Sendable, CustomStringConvertible {
    case node(String)
    case partition(String)

    public var description: String {
        switch self {
        case .node(let id): return "node \(id)"
        case .partition(let id): return "partition \(id)"
        }
    }
}

/// The clear-text header of a change set: routing and coverage, no replicated values.
///
/// ``base`` is the clock the sender assumed the recipient holds; ``upper`` is the sender's own clock
/// when it wrote the set. The set holds every change in the recipient's scope that ``base`` does not
/// cover and ``upper`` does, so a receiver whose clock covers ``base[n]`` may advance to ``upper[n]``.
public struct ChangeSetHeader: Hashable, Sendable {
    public var bundleID: [UInt8]
    public var created: HybridTimestamp
    public var sender: String
    public var senderPartition: String
    public var recipient: Recipient
    public var base: VectorClock
    public var upper: VectorClock
    public var changeCount: UInt64
    /// The sender's public keys; filled in by ``ChangeSetWriter/finish(signedBy:sealedFor:enrollmentProof:entropy:)``.
    public var senderKeys: NodePublicKeys?
    /// The public half of the bundle's one-time X25519 key (32 bytes); filled in when sealing.
    public var ephemeralKey: [UInt8] = []
    /// The bundle's file key, wrapped once for each recipient; filled in when sealing.
    public var stanzas: [SealStanza] = []
    /// A new node's proof that it holds an enrollment code (header extension 2), until its hub has enrolled it.
    public var enrollmentProof: [UInt8]?
    /// The optional features the sender reads (header extension 6); nil when the extension is
    /// absent, as in bundles of earlier releases, which read none.
    public var reads: ReadFeatures?
    /// Whether field records may carry seen sets (header extension 5, critical). A sender sets it
    /// only for a recipient that declared it reads them.
    public var carriesSeenSets = false
    /// The features the sender took every recipient to read, and so used (header extension 8);
    /// nil when absent (a release before features). A node that asked its peer for everything
    /// stops asking only on a bundle written for what it now reads (replication-v1 §6.1).
    public var writtenFor: ReadFeatures?
    /// From a hub to the computers of a school (header extension 10): for each of them whose own
    /// bundles the hub took, the highest counter it took (or was told the time of) and that change's HLC, in bytewise
    /// order of node ids. A computer whose own change at that counter has another HLC is a copy of
    /// itself (replication-v1 §10b). Empty when the extension is absent.
    public var newestHeld: [HeldChange] = []
    /// From a school computer to its hub (header extension 12): the times of its own changes in
    /// (`base[sender]`, `upper[sender]`] that the payload does not carry (overwritten since),
    /// so that the hub can check them against the changes it holds at those counters
    /// (replication-v1 §10b). Empty when the extension is absent.
    public var ownTimes: [OwnChangeTime] = []
    /// From a school computer that became a successor to its hub (header extension 14): for each
    /// earlier id whose acknowledgement it keeps, the times of that id's changes it wrote itself
    /// above it that the payload does not carry (overwritten since), in bytewise order of ids, so
    /// that the hub can check them as it checks the relayed changes (replication-v1 §10b). Empty
    /// when the extension is absent.
    public var lineageTimes: [LineageTimes] = []

    public init(bundleID: [UInt8], created: HybridTimestamp, sender: String, senderPartition: String,
                recipient: Recipient, base: VectorClock, upper: VectorClock, changeCount: UInt64 = 0) {
        precondition(bundleID.count == 16, "bundle ids are 16 bytes")
        self.bundleID = bundleID
        self.created = created
        self.sender = sender
        self.senderPartition = senderPartition
        self.recipient = recipient
        self.base = base
        self.upper = upper
        self.changeCount = changeCount
    }

    /// The bundle id as 32 lowercase hex digits.
    public var bundleIDHex: String { bundleID.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
}

/// The newest change of a node's own that a hub holds (header extension 10, ``ChangeSetHeader/newestHeld``).
public struct HeldChange: Hashable, Sendable {
    public var node: String
    /// At least 1.
    public var counter: UInt64
    public var time: HybridTimestamp

    public init(node: String, counter: UInt64, time: HybridTimestamp) {
        self.node = node
        self.counter = counter
        self.time = time
    }
}

/// The time of one of a sender's own changes, by counter (header extension 12, ``ChangeSetHeader/ownTimes``).
public struct OwnChangeTime: Hashable, Sendable {
    /// At least 1.
    public var counter: UInt64
    public var time: HybridTimestamp

    public init(counter: UInt64, time: HybridTimestamp) {
        self.counter = counter
        self.time = time
    }
}

/// The times of changes a successor wrote under one of its earlier ids (header extension 14,
/// ``ChangeSetHeader/lineageTimes``).
public struct LineageTimes: Hashable, Sendable {
    public var node: String
    /// In ascending counter order.
    public var times: [OwnChangeTime]

    public init(node: String, times: [OwnChangeTime]) {
        self.node = node
        self.times = times
    }
}

/// Optional features a node reads, declared in every bundle it sends (header extension 6), so
/// that a peer sends them only to nodes that read them and nodes can be upgraded one at a time.
public struct ReadFeatures: OptionSet, Hashable, Sendable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Seen sets in field records (bundle-format-v2 §6.2, replication-v1 §5.1).
    public static let seenSets = ReadFeatures(rawValue: 1)
    /// Rows of the tables an application declares with this feature (replication-v1 §6.1);
    /// for Parta, the `indicators` table: one register per reported indicator.
    public static let release2Tables = ReadFeatures(rawValue: 2)
    /// Rows of the tables an application declares with this feature, added after bit 1's: a node
    /// that reads bit 1 may still not know them. For Parta, `task_sources` (where an imported task
    /// stands in its document).
    public static let release3Tables = ReadFeatures(rawValue: 4)
    /// Everything this release reads.
    public static let current: ReadFeatures = [.seenSets, .release2Tables, .release3Tables]
}

/// Format constants of change-set bundles (Protocol/bundle-format-v2.md).
public enum ChangeSetFormat {
    /// "PARTAB", NUL, then the format version.
    public static let magicPrefix: [UInt8] = [0x50, 0x41, 0x52, 0x54, 0x41, 0x42, 0x00]
    public static let version: UInt8 = 2
    /// Flags every version 2 bundle carries: bit 0 signed, bit 1 sealed.
    public static let flags: UInt16 = 0x0003
    public static var magic: [UInt8] { magicPrefix + [version] }
    /// Longest header a reader accepts.
    public static let maxHeaderLength: UInt32 = 1 << 20
    /// Default cap on the unpacked payload (2 GiB): well above a million changes, far below a zip bomb.
    public static let defaultMaxPayload: UInt64 = 2 << 30
    /// Largest ratio of unpacked payload to sealed length a reader accepts above
    /// ``expansionFloor``: Parta's payloads unpack to 1–13 times their size, a deflate bomb to
    /// about 1000 times. Bounds the memory, time and disk one small bundle can cost a receiver.
    public static let maxExpansion: UInt64 = 32
    /// Payloads up to this many bytes are accepted whatever their ratio (one 1 MiB text of
    /// repeated letters is an honest bundle).
    public static let expansionFloor: UInt64 = 8 << 20

    /// The most a bundle of `sealedLength` sealed bytes may unpack to: `maxPayload`, and at most
    /// ``maxExpansion`` times its sealed length once above ``expansionFloor``.
    public static func payloadLimit(sealedLength: UInt64, maxPayload: UInt64) -> UInt64 {
        min(maxPayload, max(expansionFloor, sealedLength.multipliedReportingOverflow(by: maxExpansion).partialValue))
    }

    static func payloadTooLarge(declared: UInt64, sealedLength: UInt64, maxPayload: UInt64) -> PartaCoreError {
        if declared > maxPayload {
            return PartaCoreError(.payloadTooLarge, Message(
                en: "The bundle says its changes unpack to \(declared) bytes, more than the \(maxPayload) allowed.",
                ru: "Пакет заявляет \(declared) байт изменений после распаковки — больше допустимых \(maxPayload)."),
                context: ["declared": String(declared)])
        }
        return PartaCoreError(.payloadTooLarge, Message(
            en: "The bundle says its changes unpack to \(declared) bytes, more than \(maxExpansion) times its \(sealedLength) packed bytes. Parta never makes such a bundle; it was refused unread.",
            ru: "Пакет заявляет \(declared) байт изменений после распаковки — больше чем в \(maxExpansion) раза от его \(sealedLength) байт в сжатом виде. Parta таких пакетов не создаёт; пакет отклонён без распаковки."),
            context: ["declared": String(declared), "sealed": String(sealedLength)])
    }
    /// Fixed bytes around the header and the sealed payload: magic 8, flags 2, header length 4,
    /// two lengths 16, checksum 32, signature 64, and the payload's 16-byte authentication tag.
    public static let framingOverhead = 142
    /// What the sender signs: these bytes, then the bundle's checksum.
    public static let signatureContext: [UInt8] = Array("parta-bundle-v2-signature".utf8)
    /// Header extension 2: a new node's enrollment proof (32 bytes).
    public static let enrollmentProofExtension: UInt64 = 2
    /// Header extension 5 (critical, empty): field records may carry seen sets.
    public static let seenSetsExtension: UInt64 = 5
    /// Header extension 6 (optional): the features the sender reads, one varint.
    public static let readsExtension: UInt64 = 6
    /// Header extension 8 (optional): the features the bundle was written for, one varint.
    public static let writtenForExtension: UInt64 = 8
    /// Header extension 10 (optional): the newest change of each school computer's own the hub holds.
    public static let newestHeldExtension: UInt64 = 10
    /// Most entries extension 10 may carry.
    public static let maxNewestHeld: UInt64 = 1024
    /// Header extension 12 (optional): the times of a school computer's own changes it overwrote since its hub's last acknowledgement.
    public static let ownTimesExtension: UInt64 = 12
    /// Most entries extension 12 may carry (a writer gives the highest counters).
    public static let maxOwnTimes: UInt64 = 16_384
    /// Header extension 14 (optional): the times of changes a successor wrote under its earlier ids and overwrote since.
    public static let lineageTimesExtension: UInt64 = 14
    /// Most ids extension 14 may name; its entries, over all of them, are at most ``maxOwnTimes``.
    public static let maxLineageIDs: UInt64 = 64
    /// Most stanzas (recipients) one bundle may carry.
    public static let maxStanzas: UInt64 = 1024
}
