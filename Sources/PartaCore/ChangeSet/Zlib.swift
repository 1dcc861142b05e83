import CZlib

/// Streaming zlib (RFC 1950) compression over the system libz.
final class Deflater {
    private var stream = z_stream()
    private(set) var output: [UInt8] = []
    private var finished = false

    init(level: Int32 = 6) throws {
        let status = deflateInit_(&stream, level, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Deflater.error(status) }
    }

    deinit { deflateEnd(&stream) }

    func write(_ input: [UInt8]) throws { try run(input, flush: Z_NO_FLUSH) }

    func finish() throws -> [UInt8] {
        if !finished { try run([], flush: Z_FINISH); finished = true }
        return output
    }

    private func run(_ input: [UInt8], flush: Int32) throws {
        var input = input
        var chunk = [UInt8](repeating: 0, count: 65_536)
        try input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            repeat {
                let produced: Int = try chunk.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = UInt32(outBuf.count)
                    let status = deflate(&stream, flush)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { throw Deflater.error(status) }
                    return outBuf.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[0..<produced])
            } while stream.avail_out == 0 || (flush == Z_FINISH && stream.avail_in > 0)
            stream.next_in = nil
        }
    }

    static func error(_ status: Int32) -> PartaCoreError {
        PartaCoreError(.compression, Message(
            en: "Compression failed (zlib status \(status)).",
            ru: "Сбой сжатия данных (код zlib \(status))."), context: ["zlibStatus": String(status)])
    }
}

/// Streaming zlib decompression with a hard cap on the total output, so a tiny file that
/// claims to hold gigabytes (a zip bomb) is refused instead of filling memory.
final class Inflater {
    private var stream = z_stream()
    private var input: [UInt8]
    private var inputOffset = 0
    private(set) var totalOut: UInt64 = 0
    private(set) var ended = false
    let limit: UInt64

    init(input: [UInt8], limit: UInt64) throws {
        self.input = input
        self.limit = limit
        let status = inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw Deflater.error(status) }
    }

    deinit { inflateEnd(&stream) }

    /// Appends up to `chunkSize` more decompressed bytes to `buffer`; false when the stream has ended.
    func read(into buffer: inout [UInt8], chunkSize: Int = 262_144) throws -> Bool {
        if ended { return false }
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        let (produced, status): (Int, Int32) = input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress! + inputOffset
            stream.avail_in = UInt32(inBuf.count - inputOffset)
            return chunk.withUnsafeMutableBufferPointer { outBuf in
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(outBuf.count)
                let status = inflate(&stream, Z_NO_FLUSH)
                inputOffset = inBuf.count - Int(stream.avail_in)
                return (outBuf.count - Int(stream.avail_out), status)
            }
        }
        switch status {
        case Z_STREAM_END: ended = true
        case Z_OK: break
        case Z_BUF_ERROR where produced == 0: throw PartaCoreError.truncated("compressed changes")
        case Z_BUF_ERROR: break
        default: throw PartaCoreError.malformed("the compressed changes cannot be unpacked (zlib status \(status))")
        }
        totalOut += UInt64(produced)
        if totalOut > limit {
            throw PartaCoreError(.payloadTooLarge, Message(
                en: "The changes unpack to more than the declared or allowed \(limit) bytes; the file is damaged or malicious.",
                ru: "Изменения распаковываются в объём больше заявленного или допустимого (\(limit) байт); файл повреждён или подделан."),
                context: ["limit": String(limit)])
        }
        buffer.append(contentsOf: chunk[0..<produced])
        if ended && inputOffset != input.count {
            throw PartaCoreError.malformed("there are extra bytes after the compressed changes")
        }
        return produced > 0 || !ended
    }
}
