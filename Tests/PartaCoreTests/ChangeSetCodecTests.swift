import Testing
@testable import PartaCore

/// Random change sets for round-trip and fuzz tests, from a fixed seed so failures replay.
struct RandomChangeSets {
    var rng: SeededGenerator

    init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    /// Texts that stress the codec: empty, Cyrillic, emoji, NUL, long, and pairs that Swift calls
    /// equal but whose bytes differ ("й" precomposed and decomposed).
    static let pool = ["", "a", "reports", "school-12", "hub-ruo", "s12-clerk", "Школа № 12", "й", "и\u{306}",
                       "é", "e\u{301}", Change.deletedField, "🙂👩‍🏫", "\u{0}", "*", String(repeating: "x", count: 300)]

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }

    mutating func text() -> String {
        if Bool.random(using: &rng) { return pick(Self.pool) }
        let scalars = (0..<Int.random(in: 0...12, using: &rng)).compactMap { _ -> Unicode.Scalar? in
            let range: ClosedRange<UInt32> = pick([0x20...0x7E, 0x400...0x4FF, 0x300...0x36F, 0x1F300...0x1F64F, 0...0x10FFFF])
            return Unicode.Scalar(UInt32.random(in: range, using: &rng))
        }
        return String(String.UnicodeScalarView(scalars))
    }

    mutating func value() -> Value {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return .null
        case 1: return .integer(Int64.random(in: -5...5, using: &rng))
        case 2: return .integer(Int64(bitPattern: rng.next()))
        case 3: return .real(Double(bitPattern: rng.next()))   // any bits, NaN payloads included
        case 4: return .real(Double.random(in: -1e6...1e6, using: &rng))
        default: return .text(text())
        }
    }

    mutating func stamp(near previous: Stamp?) -> Stamp {
        let time: UInt64
        if let previous, Bool.random(using: &rng) {
            time = previous.time.rawValue &+ UInt64(bitPattern: Int64.random(in: -100_000...100_000, using: &rng))
        } else {
            time = rng.next()
        }
        let counter = Bool.random(using: &rng) ? UInt64.random(in: 1...1_000, using: &rng) : rng.next()
        return Stamp(time: HybridTimestamp(rawValue: time), node: pick(["hub-ruo", "s12-clerk", "s12-head", "й", "и\u{306}", text()]),
                     counter: counter)
    }

    mutating func clock() -> VectorClock {
        var clock = VectorClock()
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            clock[pick(["hub-ruo", "s12-clerk", "s12-head", "Школа"])] = Bool.random(using: &rng) ? UInt64.random(in: 1...100, using: &rng) : rng.next()
        }
        return clock
    }

    mutating func header() -> ChangeSetHeader {
        ChangeSetHeader(bundleID: (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) },
                        created: HybridTimestamp(rawValue: rng.next()), sender: text(), senderPartition: text(),
                        recipient: Bool.random(using: &rng) ? .node(text()) : .partition(text()),
                        base: clock(), upper: clock())
    }

    mutating func changes(count: Int) -> [Change] {
        var result: [Change] = []
        var previous: Stamp?
        var previousReplaced: Stamp?
        for _ in 0..<count {
            // Runs of the same row exercise row groups; new rows exercise new and reused text references.
            let sameRow = !result.isEmpty && Int.random(in: 0..<3, using: &rng) > 0
            let table = sameRow ? result.last!.table : pick(["reports", "tasks", "nodes", text()])
            let row = sameRow ? result.last!.row : text()
            let partition = sameRow ? result.last!.partition : pick(["school-12", "*", "", text()])
            let made = stamp(near: previous)
            let replaced = Bool.random(using: &rng) ? stamp(near: previousReplaced) : nil
            result.append(Change(table: table, row: row, partition: partition, field: pick(["title", "score", Change.deletedField, text()]),
                                 value: value(), stamp: made, replaced: replaced))
            previous = made
            if let replaced { previousReplaced = replaced }
        }
        return result
    }
}

@Suite struct ChangeSetCodecTests {
    static func exactClock(_ c: VectorClock) -> [[UInt8]] { c.sortedEntries.map { Array($0.node.utf8) + Array(String($0.counter).utf8) } }

    @Test func randomChangeSetsRoundTripExactlyAndReencodeToTheSameBytes() throws {
        var random = RandomChangeSets(seed: 0x5EED_0001)
        for iteration in 0..<400 {
            let header = random.header()
            let changes = random.changes(count: Int.random(in: 0...40, using: &random.rng))
            let bytes = try encodeBundle(header, changes)
            let decoded = try decodeBundle(bytes, batch: Int.random(in: 1...50, using: &random.rng))
            #expect(decoded.header == VectorKeys.sealed(header, count: changes.count), "iteration \(iteration)")
            #expect(Array(decoded.header.sender.utf8) == Array(header.sender.utf8))
            #expect(Self.exactClock(decoded.header.upper) == Self.exactClock(header.upper))
            let same = exactlyEqual(decoded.changes, changes)
            #expect(same, "iteration \(iteration)")
            #expect(sameBundle(try encodeBundle(decoded.header, decoded.changes), bytes), "iteration \(iteration)")
        }
    }

    @Test func textsThatUnicodeCallsEquivalentKeepTheirOwnBytes() throws {
        // "й" as one scalar and as "и" + combining breve: Swift's == says equal, SQLite and the wire do not.
        let composed = "й", decomposed = "и\u{306}"
        let stamp = Stamp(time: HybridTimestamp(rawValue: 1 << 40), node: composed, counter: 1)
        let changes = [
            Change(table: composed, row: "1", partition: composed, field: composed, value: 1, stamp: stamp),
            Change(table: decomposed, row: "2", partition: decomposed, field: decomposed, value: 2,
                   stamp: Stamp(time: stamp.time, node: decomposed, counter: 2)),
        ]
        let header = ChangeSetHeader(bundleID: Array(repeating: 7, count: 16), created: stamp.time, sender: "a",
                                     senderPartition: "b", recipient: .node("c"), base: VectorClock(), upper: VectorClock())
        let decoded = try decodeBundle(try encodeBundle(header, changes))
        let same = exactlyEqual(decoded.changes, changes)
        #expect(same)
        #expect(Array(decoded.changes[1].partition.utf8) == Array(decomposed.utf8))
        #expect(Array(decoded.changes[1].stamp.node.utf8) == Array(decomposed.utf8))
    }

    @Test func aLargeChangeSetStreamsThroughManyBuffersAndBatches() throws {
        var random = RandomChangeSets(seed: 0x5EED_0002)
        let header = random.header()
        let changes = (0..<40_000).map { i in
            Change(table: "reports", row: "r-\(i / 4)", partition: "school-\(i % 7)", field: ["title", "score", "note", "ratio"][i % 4],
                   value: i % 4 == 0 ? .text("Отчёт № \(i) " + String(repeating: "ё", count: i % 50)) : .integer(Int64(i)),
                   stamp: Stamp(time: HybridTimestamp(milliseconds: 1_600_000_000_000 + UInt64(i), logical: 0), node: "node-\(i % 13)",
                                counter: UInt64(i + 1)),
                   replaced: i % 3 == 0 ? Stamp(time: HybridTimestamp(rawValue: UInt64(i)), node: "hub", counter: UInt64(i)) : nil)
        }
        let bytes = try encodeBundle(header, changes)
        let reader = try ChangeSetReader(bytes: bytes)
        try reader.verifySignature(signingKey: VectorKeys.sender.publicKeys.signing)
        try reader.open(with: VectorKeys.recipient)
        #expect(reader.declaredPayloadLength > 1 << 20, "the payload should span several inflate buffers")
        var read: [Change] = []
        while let batch = try reader.nextBatch(maxCount: 777) {
            #expect(batch.count <= 777)
            read += batch
        }
        #expect(reader.changesRead == 40_000)
        let same = exactlyEqual(read, changes)
        #expect(same)
        #expect(try reader.nextBatch() == nil, "a finished reader stays finished")
    }

    static func smallBundle() throws -> [UInt8] {
        try encodeBundle(VectorCatalogue.allTypesHeader, VectorCatalogue.allTypes)
    }

    @Test func decodingTheInputCutAtEveryLengthThrowsTruncated() throws {
        var random = RandomChangeSets(seed: 0x5EED_0003)
        let bundles = [try Self.smallBundle(), try encodeBundle(random.header(), random.changes(count: 30)),
                       try encodeBundle(VectorCatalogue.emptyHeader, [])]
        for bytes in bundles {
            for length in 0..<bytes.count {
                let code = errorCode { _ = try decodeBundle(Array(bytes.prefix(length))) }
                #expect(code == .truncated, "cut at \(length) of \(bytes.count) gave \(code.map(\.rawValue) ?? "no error")")
            }
        }
    }

    @Test func changingAnySingleByteMakesDecodingFail() throws {
        let bytes = try Self.smallBundle()
        for position in bytes.indices {
            for mask: UInt8 in [0x01, 0x10, 0x80, 0xFF] {
                var damaged = bytes
                damaged[position] ^= mask
                let code = errorCode { _ = try decodeBundle(damaged) }
                #expect(code != nil, "byte \(position) ^ \(mask) decoded without error")
                #expect(code?.rawValue != "notPartaCoreError")
            }
        }
    }

    @Test func flippingABitOfTheHeaderPayloadOrChecksumGivesChecksumMismatchAndOfTheSignatureBadSignature() throws {
        let bytes = try Self.smallBundle()
        // Everything but the magic, flags, the two length fields that locate the parts and the
        // signature is checked by SHA-256 alone, before the header or payload is interpreted.
        let headerCount = try splitBundle(bytes).header.count
        let header = 14..<(14 + headerCount)
        let declaredLength = header.upperBound..<(header.upperBound + 8)
        let rest = (declaredLength.upperBound + 8)..<(bytes.count - 64)
        for position in Array(header) + Array(declaredLength) + Array(rest) {
            var damaged = bytes
            damaged[position] ^= 0x01
            #expect(errorCode { _ = try decodeBundle(damaged) } == .checksumMismatch, "byte \(position)")
        }
        for position in (bytes.count - 64)..<bytes.count {
            var damaged = bytes
            damaged[position] ^= 0x01
            #expect(errorCode { _ = try decodeBundle(damaged) } == .badSignature, "byte \(position)")
        }
    }

    @Test func fuzzedPayloadsWithValidFramingEitherDecodeOrThrowAndNeverTrap() throws {
        var random = RandomChangeSets(seed: 0x5EED_0004)
        let header = ChangeSetWriter.encodeHeader(VectorKeys.sealed(VectorCatalogue.allTypesHeader, count: VectorCatalogue.allTypes.count))
        let payload = try splitBundle(try Self.smallBundle()).payload
        for _ in 0..<3_000 {
            var bent = payload
            for _ in 0..<Int.random(in: 1...4, using: &random.rng) {
                switch Int.random(in: 0..<3, using: &random.rng) {
                case 0: bent[Int.random(in: 0..<bent.count, using: &random.rng)] = UInt8.random(in: 0...255, using: &random.rng)
                case 1: bent.remove(at: Int.random(in: 0..<bent.count, using: &random.rng))
                default: bent.insert(UInt8.random(in: 0...255, using: &random.rng), at: Int.random(in: 0...bent.count, using: &random.rng))
                }
                if bent.isEmpty { bent = [0] }
            }
            let bytes = try BundleBuilder(header: header, payload: bent).build()
            let code = errorCode { _ = try decodeBundle(bytes) }
            #expect(code?.rawValue != "notPartaCoreError")
        }
    }

    @Test func aPayloadClaimingAHugeUnpackedSizeIsRefusedWithPayloadTooLarge() throws {
        for declared: UInt64 in [UInt64.max, 1 << 63, ChangeSetFormat.defaultMaxPayload + 1] {
            let bytes = try VectorCatalogue.framed { $0.uncompressedLength = declared }
            #expect(errorCode { _ = try ChangeSetReader(bytes: bytes) } == .payloadTooLarge)
        }
    }

    @Test func theMaxPayloadCapIsHonouredToTheByte() throws {
        let bytes = try Self.smallBundle()
        let length = try ChangeSetReader(bytes: bytes).declaredPayloadLength
        #expect(errorCode { _ = try decodeBundle(bytes, maxPayload: length - 1) } == .payloadTooLarge)
        #expect(exactlyEqual(try decodeBundle(bytes, maxPayload: length).changes, VectorCatalogue.allTypes))
    }

    @Test func aPayloadUnpackingToFarMoreThanDeclaredIsStoppedWithPayloadTooLarge() throws {
        // A zip bomb: 16 MiB of zeros packs into a few KiB; the header declares 1000 bytes.
        let bomb = try VectorCatalogue.framed(header: ChangeSetWriter.encodeHeader(VectorKeys.sealed(VectorCatalogue.emptyHeader, count: 0)),
                                              payload: [UInt8](repeating: 0, count: 16 << 20)) { $0.uncompressedLength = 1000 }
        #expect(bomb.count < 100_000)
        #expect(errorCode { _ = try decodeBundle(bomb) } == .payloadTooLarge)
    }

    @Test func damagedZlibStreamsBehindAValidChecksumAreRefused() throws {
        let header = ChangeSetWriter.encodeHeader(VectorKeys.sealed(VectorCatalogue.allTypesHeader, count: VectorCatalogue.allTypes.count))
        let payload = try splitBundle(try Self.smallBundle()).payload
        let packed = try zlib(payload)
        var badAdler = packed
        badAdler[packed.count - 1] ^= 0x01
        let cases: [(String, [UInt8], PartaCoreError.Code)] = [
            ("no compressed bytes", [], .truncated),
            ("Adler-32 trailer missing", Array(packed.dropLast(4)), .truncated),
            ("Adler-32 trailer wrong", badAdler, .malformed),
            ("a byte after the stream", packed + [0], .malformed),
            ("a second stream after the first", packed + packed, .malformed),
            ("not zlib at all", Array(payload), .malformed),
        ]
        for (what, compressed, expected) in cases {
            let bytes = try BundleBuilder(header: header, payload: payload).with { $0.compressed = compressed }.build()
            #expect(errorCode { _ = try decodeBundle(bytes) } == expected, "\(what)")
        }
    }

    @Test func textsLongerThanTheReaderLimitsAreRefusedAsMalformed() throws {
        // Header texts are limited to 1024 bytes, payload texts to 1 MiB (Protocol/bundle-format-v2.md).
        var header = VectorCatalogue.emptyHeader
        header.sender = String(repeating: "n", count: 1025)
        #expect(errorCode { _ = try decodeBundle(try encodeBundle(header, [])) } == .malformed)
        header.sender = String(repeating: "n", count: 1024)
        #expect(try decodeBundle(try encodeBundle(header, [])).header.sender.utf8.count == 1024)

        var change = VectorCatalogue.oneChange[0]
        change.value = .text(String(repeating: "x", count: 1 << 20))
        #expect(try decodeBundle(try encodeBundle(VectorCatalogue.oneChangeHeader, [change])).changes.count == 1)
        change.value = .text(String(repeating: "x", count: (1 << 20) + 1))
        #expect(errorCode { _ = try decodeBundle(try encodeBundle(VectorCatalogue.oneChangeHeader, [change])) } == .malformed)
    }

    @Test func theNewestHeldExtensionKeepsItsLimits() throws {
        // Header extension 10 (bundle-format-v2 §4, §9b): 1024 entries of node ids up to 1024 bytes.
        func held(_ entries: [HeldChange]) throws -> [HeldChange] {
            var header = VectorCatalogue.emptyHeader
            header.newestHeld = entries
            return try decodeBundle(try encodeBundle(header, [])).header.newestHeld
        }
        let time = VectorCatalogue.oneChangeHeader.created
        let many = (0..<1024).map { HeldChange(node: String(format: "n%04d", $0), counter: 1, time: time) }
        #expect(try held(many) == many)
        #expect(errorCode { _ = try held(many + [HeldChange(node: "n9999", counter: 1, time: time)]) } == .malformed)
        let long = HeldChange(node: String(repeating: "n", count: 1024), counter: 7, time: time)
        #expect(try held([long]) == [long])
        #expect(errorCode { _ = try held([HeldChange(node: long.node + "n", counter: 7, time: time)]) } == .malformed)
        // A body that ends inside its entry: its length is known, so it is ill-formed, not cut off.
        var body = ByteWriter()
        body.varint(1); body.string("s12-clerk"); body.varint(1)
        #expect(errorCode { _ = try ChangeSetReader.decodeNewestHeld(body.bytes) } == .malformed)
    }

    @Test func theLineageTimesExtensionKeepsItsLimits() throws {
        // Header extension 14 (bundle-format-v2 §4, §9b): at most 64 ids in bytewise order, and
        // 16,384 times over all of them, as extension 12 holds them.
        func lineage(_ entries: [LineageTimes]) throws -> [LineageTimes] {
            var header = VectorCatalogue.emptyHeader
            header.lineageTimes = entries
            return try decodeBundle(try encodeBundle(header, [])).header.lineageTimes
        }
        let time = VectorCatalogue.oneChangeHeader.created
        func times(_ n: Int) -> [OwnChangeTime] { (1...n).map { OwnChangeTime(counter: UInt64($0), time: time) } }
        let split = [LineageTimes(node: "s12-a", times: times(8_192)), LineageTimes(node: "s12-b", times: times(8_192))]
        #expect(try lineage(split) == split)
        #expect(errorCode { _ = try lineage(split + [LineageTimes(node: "s12-c", times: times(1))]) } == .malformed)
        let ids = (0..<64).map { LineageTimes(node: String(format: "n%02d", $0), times: times(1)) }
        #expect(try lineage(ids) == ids)
        #expect(errorCode { _ = try lineage(ids + [LineageTimes(node: "n99", times: times(1))]) } == .malformed)
        // Out of order, repeated, a step of 0, bytes after the last entry: ill-formed.
        func body(_ nodes: [String], steps: [UInt64] = [1], extra: [UInt8] = []) -> [UInt8] {
            var w = ByteWriter()
            w.varint(UInt64(nodes.count))
            for node in nodes {
                w.string(node); w.varint(UInt64(steps.count))
                for step in steps { w.varint(step); w.u64(time.rawValue) }
            }
            return w.bytes + extra
        }
        #expect(try ChangeSetReader.decodeLineageTimes(body(["a", "b"])).map(\.node) == ["a", "b"])
        for bad in [body(["b", "a"]), body(["a", "a"]), body(["a"], steps: [1, 0]), body(["a"], extra: [0]), Array(body(["a"]).dropLast())] {
            #expect(errorCode { _ = try ChangeSetReader.decodeLineageTimes(bad) } == .malformed)
        }
    }

    @Test func headerDecodesBeforeAnyChangeIsRead() throws {
        let reader = try ChangeSetReader(bytes: try Self.smallBundle())
        #expect(reader.header == VectorKeys.sealed(VectorCatalogue.allTypesHeader, count: VectorCatalogue.allTypes.count))
        #expect(reader.changesRead == 0)
    }

    @Test func theCanonicalEncodingOfOneChangeIsExactlyTheseBytes() throws {
        // The unpacked payload of vector 002, byte by byte (see Protocol/bundle-format-v2.md, "Payload").
        let payload = try splitBundle(try encodeBundle(VectorCatalogue.oneChangeHeader, VectorCatalogue.oneChange)).payload
        let hlc = VectorCatalogue.oneChange[0].stamp.time.rawValue
        var expected: [UInt8] = [0x00, 0x07] + Array("reports".utf8) + [0x06] + Array("r-0001".utf8)
        expected += [0x00, 0x09] + Array("school-12".utf8) + [0x01]
        expected += [0x00, 0x05] + Array("title".utf8) + [0x00, 0x03, 0x0A] + Array("Отчёт".utf8)
        var zigzag = hlc << 1                       // zigzag of a positive delta from 0
        while zigzag >= 0x80 { expected.append(UInt8(zigzag & 0x7F) | 0x80); zigzag >>= 7 }
        expected.append(UInt8(zigzag))
        expected += [0x00, 0x09] + Array("s12-clerk".utf8) + [0x02]
        #expect(payload == expected)
        #expect(payload == VectorCatalogue.oneChangePayload())
    }

    @Test func framingOverheadIs142BytesAroundHeaderAndCompressedPayload() throws {
        let bytes = try encodeBundle(VectorCatalogue.emptyHeader, [])
        let parts = try splitBundle(bytes)
        #expect(ChangeSetFormat.framingOverhead == 142)
        #expect(bytes.count == ChangeSetFormat.framingOverhead + parts.header.count + parts.compressed.count)
        #expect(parts.sealed.count == parts.compressed.count + 16)
        #expect(Array(bytes.prefix(10)) == [0x50, 0x41, 0x52, 0x54, 0x41, 0x42, 0x00, 0x02, 0x00, 0x03])
    }

    // MARK: Signing and sealing

    /// RFC 8032 Ed25519 is deterministic, and so is swift-crypto's on Linux (BoringSSL); CryptoKit
    /// on Apple platforms randomises signatures, which the vector tests allow for.
    @Test func signingTheSameBundleTwiceGivesTheSameBytesOnLinux() throws {
        let first = try Self.smallBundle(), second = try Self.smallBundle()
        #expect(first.dropLast(64).elementsEqual(second.dropLast(64)))
        #if os(Linux)
        #expect(VectorKeys.signaturesAreDeterministic)
        #expect(first == second)
        #endif
    }

    @Test func aTamperedHeaderByteWithARecomputedChecksumIsRefusedAsBadSignature() throws {
        let bytes = try Self.smallBundle()
        let headerCount = try splitBundle(bytes).header.count
        // The last byte of the sender's name, then a bundle id byte: both still parse.
        let senderEnd = 14 + 16 + 8 + 1 + VectorCatalogue.allTypesHeader.sender.utf8.count - 1
        for position in [14, senderEnd] {
            var damaged = Array(bytes.dropLast(96))
            damaged[position] ^= 0x01
            damaged += SHA256Reference.hash(damaged) + Array(bytes.suffix(64))
            #expect(damaged.count == bytes.count)
            #expect(errorCode { _ = try ChangeSetReader(bytes: damaged) } == nil, "the header at \(position) still parses")
            #expect(errorCode { _ = try decodeBundle(damaged) } == .badSignature, "header byte \(position) of \(headerCount)")
        }
    }

    @Test func aBundleIsVerifiedAgainstTheTrustedKeyNotTheKeyItNames() throws {
        let bytes = try encodeBundle(VectorCatalogue.oneChangeHeader, VectorCatalogue.oneChange, signedBy: VectorKeys.other)
        let reader = try ChangeSetReader(bytes: bytes)
        #expect(reader.header.senderKeys == VectorKeys.other.publicKeys)
        #expect(errorCode { try reader.verifySignature(signingKey: VectorKeys.sender.publicKeys.signing) } == .badSignature)
        #expect(!reader.isVerified)
        #expect(errorCode { try reader.verifySignature(signingKey: [1, 2, 3]) } == .badSignature, "not a key at all")
        try reader.verifySignature(signingKey: VectorKeys.other.publicKeys.signing)
        #expect(reader.isVerified)
    }

    @Test func anEnrollmentCodeOpensABundleSealedToItAndAWrongCodeDoesNot() throws {
        let bytes = try encodeBundle(VectorCatalogue.emptyHeader, VectorCatalogue.oneChange,
                                     sealedFor: [VectorKeys.toOther, .enrollmentCode(VectorKeys.code)])
        let decoded = try decodeBundle(bytes, keys: nil, codes: [VectorKeys.code])
        #expect(exactlyEqual(decoded.changes, VectorCatalogue.oneChange))
        #expect(decoded.header.stanzas.map(\.kind) == [.nodeKey, .enrollmentCode])

        let reader = try ChangeSetReader(bytes: bytes)
        let typed = try #require(EnrollmentCode("7k3m 9qxr 2hfd wt5b"))
        let wrong = try #require(EnrollmentCode("7K3M-9QXR-2HFD-WT5C"))
        #expect(try reader.open(with: VectorKeys.recipient, codes: [wrong, typed]) == typed, "open names the code that opened it")

        #expect(errorCode { _ = try decodeBundle(bytes, keys: nil, codes: [wrong]) } == .notForThisNode)
        #expect(errorCode { _ = try decodeBundle(bytes, keys: VectorKeys.recipient) } == .notForThisNode)
        #expect(errorCode { _ = try decodeBundle(bytes, keys: nil) } == .notForThisNode, "no key and no code")
        // A node key never opens a code's stanza and a code never a node's, whatever the bytes.
        #expect(exactlyEqual(try decodeBundle(bytes, keys: VectorKeys.other).changes, VectorCatalogue.oneChange))
        let byNode = try ChangeSetReader(bytes: bytes)
        #expect(try byNode.open(with: VectorKeys.other, codes: [wrong]) == nil, "opened by the node key, not a code")
    }

    @Test func aBundleForAnotherNodeIsNotForThisNodeAndSealingIsFreshWithoutFixedEntropy() throws {
        let toOther = try encodeBundle(VectorCatalogue.oneChangeHeader, VectorCatalogue.oneChange, sealedFor: [VectorKeys.toOther])
        #expect(errorCode { _ = try decodeBundle(toOther) } == .notForThisNode)
        #expect(errorCode { _ = try decodeBundle(toOther, keys: VectorKeys.sender) } == .notForThisNode)

        func randomlySealed() throws -> [UInt8] {
            let writer = try ChangeSetWriter(header: VectorCatalogue.oneChangeHeader)
            try writer.append(contentsOf: VectorCatalogue.oneChange)
            return try writer.finish(signedBy: VectorKeys.sender, sealedFor: [VectorKeys.toRecipient])
        }
        let a = try randomlySealed(), b = try randomlySealed()
        let headerA = try ChangeSetReader(bytes: a).header, headerB = try ChangeSetReader(bytes: b).header
        #expect(headerA.ephemeralKey != headerB.ephemeralKey)
        #expect(headerA.stanzas != headerB.stanzas)
        #expect(exactlyEqual(try decodeBundle(a).changes, VectorCatalogue.oneChange))
        #expect(exactlyEqual(try decodeBundle(b).changes, VectorCatalogue.oneChange))
    }

    @Test func enrollmentCodesAreReadForgivingly() throws {
        let code = try #require(EnrollmentCode("7K3M-9QXR-2HFD-WT5B"))
        #expect(code.normalized == "7K3M9QXR2HFDWT5B")
        #expect(code.description == "7K3M-9QXR-2HFD-WT5B")
        #expect(EnrollmentCode("7k3m-9qxr-2hfd-wt5b") == code, "lower case")
        #expect(EnrollmentCode("7K3M9QXR2HFDWT5B") == code, "without dashes")
        #expect(EnrollmentCode(" 7K3M 9QXR-2hfd WT5B ") == code, "spaces and mixed case")
        #expect(EnrollmentCode("O1I1-L0lo-0000-0000")?.normalized == "0111101000000000", "O reads 0, I and L read 1")
        #expect(EnrollmentCode("7K3M-9QXR-2HFD-WT5") == nil, "15 symbols")
        #expect(EnrollmentCode("7K3M-9QXR-2HFD-WT5BB") == nil, "17 symbols")
        #expect(EnrollmentCode("") == nil)
        #expect(EnrollmentCode("7K3M-9QXR-2HFD-WT5U") == nil, "U is not in Crockford's alphabet")
        #expect(EnrollmentCode("7K3M_9QXR_2HFD_WT5B") == nil, "underscores are not separators")
        #expect(EnrollmentCode("7K3M-9QXR-2HFD-WT5Й") == nil)
        let generated = EnrollmentCode.generate()
        #expect(EnrollmentCode(generated.description) == generated)
        #expect(generated.normalized.count == 16)
    }

    @Test func anEnrollmentProofVerifiesOnlyForItsCodeNodePartitionAndKeys() throws {
        let keys = VectorKeys.sender.publicKeys
        let proof = VectorKeys.code.proof(node: "s12-new", partition: "school-12", keys: keys)
        #expect(proof.count == 32)
        #expect(proof == VectorKeys.code.proof(node: "s12-new", partition: "school-12", keys: keys), "deterministic")
        #expect(VectorKeys.code.verifies(proof, node: "s12-new", partition: "school-12", keys: keys))
        #expect(!VectorKeys.code.verifies(proof, node: "s12-old", partition: "school-12", keys: keys), "another node")
        #expect(!VectorKeys.code.verifies(proof, node: "s12-new", partition: "school-13", keys: keys), "another partition")
        #expect(!VectorKeys.code.verifies(proof, node: "s12-new", partition: "school-12", keys: VectorKeys.other.publicKeys), "other keys")
        var swapped = keys
        swapped.sealing = VectorKeys.other.publicKeys.sealing
        #expect(!VectorKeys.code.verifies(proof, node: "s12-new", partition: "school-12", keys: swapped), "another sealing key")
        // Node and partition are length-prefixed: moving a byte between them changes the proof.
        #expect(VectorKeys.code.proof(node: "ab", partition: "c", keys: keys) != VectorKeys.code.proof(node: "a", partition: "bc", keys: keys))
        let otherCode = try #require(EnrollmentCode("0000-0000-0000-0000"))
        #expect(!otherCode.verifies(proof, node: "s12-new", partition: "school-12", keys: keys), "another code")
        #expect(!VectorKeys.code.verifies(Array(proof.prefix(31)), node: "s12-new", partition: "school-12", keys: keys), "31 bytes")
        var flipped = proof
        flipped[31] ^= 0x80
        #expect(!VectorKeys.code.verifies(flipped, node: "s12-new", partition: "school-12", keys: keys))
    }

    @Test func anEnrollmentProofTravelsInTheHeaderAndRoundTrips() throws {
        let proof = VectorCatalogue.enrollmentProof
        let bytes = try encodeBundle(VectorCatalogue.enrollingHeader, VectorCatalogue.enrolling, enrollmentProof: proof)
        let decoded = try decodeBundle(bytes)
        #expect(decoded.header.enrollmentProof == proof)
        #expect(decoded.header == VectorKeys.sealed(VectorCatalogue.enrollingHeader, count: 1, proof: proof))
        let keys = try #require(decoded.header.senderKeys)
        #expect(VectorKeys.code.verifies(proof, node: decoded.header.sender, partition: decoded.header.senderPartition, keys: keys))
    }

    @Test func theHandMadeHeaderIsTheWritersHeader() {
        #expect(VectorCatalogue.rawHeader() == VectorCatalogue.oneChangeHeaderBytes)
    }
}

extension BundleBuilder {
    func with(_ change: (inout BundleBuilder) -> Void) -> BundleBuilder {
        var copy = self
        change(&copy)
        return copy
    }
}
