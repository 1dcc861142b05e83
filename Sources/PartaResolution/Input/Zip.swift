import CZlib
import Foundation

/// Just enough of ZIP to read one member of a `.docx`: the central directory, stored and deflated entries.
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

    struct Failure: Error { var reason: String }

    /// The most a member may unpack to; a larger claim is a damaged file or a zip bomb.
    static let maximumSize = 256 << 20

    static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    /// The entries of the central directory, found through the end-of-central-directory record.
    static func entries(_ b: [UInt8]) throws -> [Entry] {
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

    /// The uncompressed bytes of an entry, checked against its CRC-32.
    static func extract(_ entry: Entry, from b: [UInt8]) throws -> [UInt8] {
        guard entry.flags & 1 == 0 else { throw Failure(reason: "\(entry.name) is encrypted") }
        let h = entry.localHeaderOffset
        guard h + 30 <= b.count, u32(b, h) == 0x0403_4B50 else { throw Failure(reason: "a damaged local header for \(entry.name)") }
        let start = h + 30 + Int(u16(b, h + 26)) + Int(u16(b, h + 28))
        guard start + entry.compressedSize <= b.count else { throw Failure(reason: "\(entry.name) is cut short") }
        let data = Array(b[start..<(start + entry.compressedSize)])
        let out: [UInt8]
        switch entry.method {
        case 0: out = data
        case 8: out = try inflateRaw(data, expected: entry.uncompressedSize)
        default: throw Failure(reason: "compression method \(entry.method) of \(entry.name) is not supported")
        }
        guard out.count == entry.uncompressedSize else { throw Failure(reason: "\(entry.name) unpacks to the wrong size") }
        let crc = out.withUnsafeBufferPointer { buf in
            UInt32(crc32(0, buf.baseAddress, uInt(buf.count)))
        }
        guard crc == entry.crc32 else { throw Failure(reason: "\(entry.name) fails its checksum") }
        return out
    }

    /// Raw DEFLATE (RFC 1951, no zlib header), as ZIP stores it.
    static func inflateRaw(_ input: [UInt8], expected: Int) throws -> [UInt8] {
        guard expected <= maximumSize else { throw Failure(reason: "a member claims \(expected) bytes") }
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(reason: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(expected)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var input = input
        var status: Int32 = Z_OK
        try input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = uInt(inBuf.count)
            repeat {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return outBuf.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END else { throw Failure(reason: "the compressed data is damaged (zlib \(status))") }
                output.append(contentsOf: chunk[0..<produced])
                if output.count > maximumSize { throw Failure(reason: "a member unpacks to more than \(maximumSize) bytes") }
                if produced == 0 && stream.avail_in == 0 && status != Z_STREAM_END { throw Failure(reason: "the compressed data is cut short") }
            } while status != Z_STREAM_END
        }
        return output
    }
}
