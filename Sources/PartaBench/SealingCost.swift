import Foundation
import PartaCore
import CZlib
import PartaTesting

/// 6. What signing and sealing add to a bundle: time and bytes, per bundle (a one-edit delta) and
/// per MB (a large change set), beside the same change set encoded and compressed only, in the
/// same run. Reading is measured the same way: verifying and opening beside inflating alone.
enum SealingCost {
    static func run(_ c: BenchConfig, _ r: Results) throws {
        let sender = NodeKeys.generate(), recipient = NodeKeys.generate()
        let sizes = [("one edit", 3, c.quick ? 50 : 300), ("1,000 edits", 3_000, c.quick ? 5 : 20),
                     ("large", c.quick ? 100_000 : 1_000_000, c.quick ? 2 : 3)]
        var perBundle: (seal: Double, open: Double, bytes: Int, plain: Double) = (0, 0, 0, 0)
        var perMB: (seal: Double, open: Double, plain: Double, plainRead: Double, mb: Double) = (0, 0, 0, 0, 0)
        for (label, count, reps) in sizes {
            log("6: signing and sealing a change set of \(count) changes (\(label)), \(reps) runs")
            let changes = makeChanges(count)
            var plainMs: [Double] = [], fullMs: [Double] = [], plainReadMs: [Double] = [], openMs: [Double] = []
            var plainBytes = 0, fullBytes = 0
            for _ in 0..<reps {
                let (plain, tPlain) = try timed { () throws -> (UInt64, [UInt8]) in
                    let w = try ChangeSetWriter(header: header(count))
                    try w.append(contentsOf: changes)
                    return try w.finishPayload()
                }
                let (full, tFull) = try timed { () throws -> [UInt8] in
                    let w = try ChangeSetWriter(header: header(count))
                    try w.append(contentsOf: changes)
                    return try w.finish(signedBy: sender, sealedFor: [.node(sealingKey: recipient.publicKeys.sealing)])
                }
                // Reading: inflating the plain stream beside checking, verifying and opening the sealed bundle.
                let (_, tPlainRead) = try timed { () throws -> Int in
                    var out = [UInt8](repeating: 0, count: Int(plain.0))
                    var length = uLongf(out.count)
                    let status = plain.1.withUnsafeBufferPointer { src in uncompress(&out, &length, src.baseAddress, uLong(src.count)) }
                    try require(status == Z_OK && Int(length) == out.count, "zlib could not inflate the reference stream")
                    return out.count
                }
                let (_, tOpen) = try timed { () throws -> Int in
                    let reader = try ChangeSetReader(bytes: full)
                    try reader.verifySignature(signingKey: sender.publicKeys.signing)
                    try reader.open(with: recipient)
                    return 0
                }
                plainMs.append(tPlain); fullMs.append(tFull); plainReadMs.append(tPlainRead); openMs.append(tOpen)
                // Format 1 of the same change set: its header lacked the keys (96 B), stanza count and one stanza (50 B); a 62-byte frame.
                plainBytes = plain.1.count + (try BundleAnatomy(full).headerLength) - 146 + 62
                fullBytes = full.count
            }
            let seal = max(0, median(fullMs) - median(plainMs))
            let open = median(openMs)   // checksum, signature, unwrapping and decrypting; inflating comes after, in both cases
            if count == 3 { perBundle = (seal, open, fullBytes - plainBytes, median(plainMs)) }
            if count == sizes.last!.1 {
                let mb = Double(fullBytes) / 1_048_576
                perMB = (seal / mb, open / mb, median(plainMs) / mb, median(plainReadMs) / mb, mb)
            }
        }
        r.merge([
            "seal_sign_ms_per_bundle": rounded(perBundle.seal, 3),
            "verify_open_ms_per_bundle": rounded(perBundle.open, 3),
            "seal_sign_bytes_per_bundle": perBundle.bytes,
            "unsigned_encode_ms_per_bundle": rounded(perBundle.plain, 3),
            "seal_sign_ms_per_mb": rounded(perMB.seal, 2),
            "verify_open_ms_per_mb": rounded(perMB.open, 2),
            "unsigned_encode_ms_per_mb": rounded(perMB.plain, 2),
            "unsigned_inflate_ms_per_mb": rounded(perMB.plainRead, 2),
            "sealing_large_bundle_mb": rounded(perMB.mb, 2),
        ])
        r.add("6a. sign + seal, per bundle (one edit)",
              parta: "+\(fixed(perBundle.seal, 2)) ms, +\(perBundle.bytes) B; verify + open \(fixed(perBundle.open, 2)) ms",
              reference: "unsigned encode \(fixed(perBundle.plain, 2)) ms", goal: "measured", met: nil)
        r.add("6b. sign + seal, per MB (\(fixed(perMB.mb, 1)) MB bundle)",
              parta: "+\(fixed(perMB.seal, 1)) ms/MB; check + verify + open \(fixed(perMB.open, 1)) ms/MB",
              reference: "unsigned encode \(fixed(perMB.plain, 1)) ms/MB, inflate \(fixed(perMB.plainRead, 1)) ms/MB",
              goal: "measured", met: nil)
    }

    static func header(_ count: Int) -> ChangeSetHeader {
        ChangeSetHeader(bundleID: [UInt8](repeating: 1, count: 16), created: HybridTimestamp(milliseconds: 1_600_000_000_000, logical: 0),
                        sender: "node-bench", senderPartition: "school-1", recipient: .node("hub-bench"),
                        base: VectorClock(["node-bench": 1]), upper: VectorClock(["node-bench": UInt64(count + 1)]))
    }

    /// Report edits like a school's: a status, a progress and a comment per report row.
    static func makeChanges(_ count: Int) -> [Change] {
        var g = SeededGenerator(seed: 6)
        let words = ["план", "утверждён", "проведено", "заседание", "охват", "учащихся", "наставники", "приказ", "в работе", "готово"]
        return (0..<count).map { i in
            let row = "t\(i / 3 + 1)|school-1"
            let stamp = Stamp(time: HybridTimestamp(milliseconds: 1_600_000_000_000 + UInt64(i), logical: 0), node: "node-bench", counter: UInt64(i + 2))
            let value: Value
            switch i % 3 {
            case 0: value = .text(["in_progress", "done", "blocked"][Int(g.next() % 3)])
            case 1: value = .integer(Int64(g.next() % 101))
            default: value = .text((0..<8).map { _ in words[Int(g.next() % UInt64(words.count))] }.joined(separator: " "))
            }
            return Change(table: "reports", row: row, partition: "school-1", field: ["status", "progress", "comment"][i % 3], value: value, stamp: stamp)
        }
    }
}
