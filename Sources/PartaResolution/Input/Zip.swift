import PartaZlib
import Foundation

/// Just enough of ZIP to read one member of a `.docx`: the central directory, stored and deflated entries.
///
/// Under a ``Budget``: at most ``ResolutionLimits/maxArchiveEntries`` entries; a member whose declared size
/// is over ``ResolutionLimits/maxUnpackedBytes`` is refused before inflating, and inflating stops as soon as
/// the output passes the declared size, the per-part or total bound, or the compression ratio. So a zip bomb
/// costs at most about the bound in memory and the time to inflate it, whatever its headers claim.
enum Zip {
    struct Entry {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    /// A damaged archive (a ``ResolutionError/Code/damagedDocument``); limits throw ``ResolutionError`` directly.
    struct Failure: Error { var reason: String }

    /// Output below this size is never refused for its compression ratio.
    static let ratioAllowance = 1 << 20

    static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    /// The entries of the central directory, found through the end-of-central-directory record.
    static func entries(_ b: [UInt8], budget: Budget = .unlimited()) throws -> [Entry] {
        guard b.count >= 22 else { throw Failure(reason: "the archive is too short") }
        var eocd: Int?
        var i = b.count - 22
        let lowest = max(0, b.count - 22 - 65_535)
        while i >= lowest {
            if b[i] == 0x50 && b[i + 1] == 0x4B && b[i + 2] == 0x05 && b[i + 3] == 0x06 { eocd = i; break }
            i -= 1
        }
        guard let e = eocd else { throw Failure(reason: "no end-of-central-directory record") }
        let count = Int(u16(b, e + 10))
        let cdOffset = Int(u32(b, e + 16))
        guard cdOffset != 0xFFFF_FFFF else { throw Failure(reason: "ZIP64 archives are not supported") }
        guard count <= budget.limits.maxArchiveEntries else { throw budget.refuse(.tooManyEntries(limit: budget.limits.maxArchiveEntries)) }
        var entries: [Entry] = []
        var p = cdOffset
        for _ in 0..<count {
            guard p + 46 <= b.count, u32(b, p) == 0x0201_4B50 else { throw Failure(reason: "a damaged central directory") }
            let nameLength = Int(u16(b, p + 28)), extraLength = Int(u16(b, p + 30)), commentLength = Int(u16(b, p + 32))
            guard p + 46 + nameLength <= b.count else { throw Failure(reason: "a damaged central directory") }
            let name = String(decoding: b[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            entries.append(Entry(name: name, method: u16(b, p + 10), flags: u16(b, p + 8), crc32: u32(b, p + 16),
                                 compressedSize: Int(u32(b, p + 20)), uncompressedSize: Int(u32(b, p + 24)),
                                 localHeaderOffset: Int(u32(b, p + 42))))
            p += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }

    /// The uncompressed bytes of an entry, checked against its CRC-32 and counted against the budget.
    static func extract(_ entry: Entry, from b: [UInt8], budget: Budget = .unlimited()) throws -> [UInt8] {
        guard entry.flags & 1 == 0 else { throw Failure(reason: "\(entry.name) is encrypted") }
        let h = entry.localHeaderOffset
        guard h + 30 <= b.count, u32(b, h) == 0x0403_4B50 else { throw Failure(reason: "a damaged local header for \(entry.name)") }
        let start = h + 30 + Int(u16(b, h + 26)) + Int(u16(b, h + 28))
        guard start + entry.compressedSize <= b.count else { throw Failure(reason: "\(entry.name) is cut short") }
        let limits = budget.limits
        let bound = limits.maxUnpackedBytes - min(budget.unpacked, limits.maxUnpackedBytes)
        guard entry.uncompressedSize <= bound else { throw budget.refuse(.unpackedTooLarge(limit: limits.maxUnpackedBytes)) }
        let (ratioBound, ratioOverflow) = entry.compressedSize.multipliedReportingOverflow(by: limits.maxCompressionRatio)
        let maxByRatio = ratioOverflow ? Int.max : max(ratioAllowance, ratioBound)
        guard entry.uncompressedSize <= maxByRatio else { throw budget.refuse(.compressionRatio(limit: limits.maxCompressionRatio)) }
        let data = b[start..<(start + entry.compressedSize)]
        let out: [UInt8]
        switch entry.method {
        case 0: out = Array(data)
        case 8:
            out = try inflateRaw(data, expected: entry.uncompressedSize, budget: budget) { produced in
                if produced > entry.uncompressedSize { throw Failure(reason: "\(entry.name) unpacks to more than its declared size") }
                if produced > bound { throw budget.refuse(.unpackedTooLarge(limit: limits.maxUnpackedBytes)) }
                if produced > maxByRatio { throw budget.refuse(.compressionRatio(limit: limits.maxCompressionRatio)) }
            }
        default: throw Failure(reason: "compression method \(entry.method) of \(entry.name) is not supported")
        }
        guard out.count == entry.uncompressedSize else { throw Failure(reason: "\(entry.name) unpacks to the wrong size") }
        budget.unpacked += out.count
        guard crc32(of: out) == entry.crc32 else { throw Failure(reason: "\(entry.name) fails its checksum") }
        return out
    }

    /// Raw DEFLATE (RFC 1951, no zlib header), as ZIP stores it. `check` sees the output size after every
    /// chunk of at most 64 KiB and throws to stop inflating.
    static func inflateRaw(_ input: ArraySlice<UInt8>, expected: Int, budget: Budget, check: (Int) throws -> Void) throws -> [UInt8] {
        var output: [UInt8] = []
        // The declared size is a claim, not a promise: reserve no more than a plausible ratio of the input.
        output.reserveCapacity(min(expected, input.count.multipliedReportingOverflow(by: 16).partialValue, 16 << 20))
        do {
            let inflater = try Inflater(input: Array(input), format: .raw, limit: .max)
            var more = true
            while more {
                try budget.check()
                var chunk: [UInt8] = []
                more = try inflater.read(into: &chunk, chunkSize: 65_536)
                try check(output.count + chunk.count)
                output.append(contentsOf: chunk)
            }
        } catch ZlibError.truncated {
            throw Failure(reason: "the compressed data is cut short")
        } catch ZlibError.damaged(let status) {
            throw Failure(reason: "the compressed data is damaged (zlib \(status))")
        } catch let error as ZlibError {
            throw Failure(reason: "zlib could not unpack it (\(error))")
        }
        return output
    }
}
