import CZlib

/// The package's one wrapper of the system zlib: streaming compression and decompression in the
/// three framings Parta meets, one-shot compression, and CRC-32.
///
/// Errors are ``ZlibError`` values; each caller puts them in its own module's words (a bundle, a
/// `.docx` member, an HTTP answer), since only the caller knows what the bytes were.

/// How a DEFLATE stream (RFC 1951) is framed.
public enum ZlibFormat: Sendable {
    /// zlib's two-byte header and Adler-32 trailer (RFC 1950): bundle payloads.
    case zlib
    /// No header or trailer: a ZIP entry's data.
    case raw
    /// gzip's header and CRC-32 trailer (RFC 1952): `Content-Encoding: gzip`.
    case gzip

    var windowBits: Int32 {
        switch self {
        case .zlib: MAX_WBITS
        case .raw: -MAX_WBITS
        case .gzip: MAX_WBITS + 16
        }
    }
}

/// Why zlib stopped.
public enum ZlibError: Error, Sendable, Equatable {
    /// zlib refused to start (out of memory, or a bad level); its status code.
    case couldNotStart(status: Int32)
    /// Compression failed; zlib's status code.
    case compressionFailed(status: Int32)
    /// The compressed bytes are not a valid stream; zlib's status code.
    case damaged(status: Int32)
    /// The input ended before the stream did.
    case truncated
    /// The output grew past the limit the caller set (a bomb, or a lie about the size).
    case overLimit(limit: UInt64)
}

/// Streaming compression: feed with ``write(_:)``, end with ``finish()``.
///
/// Keeps the whole output in memory. Not thread-safe: one owner at a time.
public final class Deflater {
    private var stream = z_stream()
    public private(set) var output: [UInt8] = []
    private var finished = false

    public init(format: ZlibFormat = .zlib, level: Int32 = 6) throws {
        let status = deflateInit2_(&stream, level, Z_DEFLATED, format.windowBits, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw ZlibError.couldNotStart(status: status) }
    }

    deinit { deflateEnd(&stream) }

    public func write(_ input: [UInt8]) throws { try run(input, flush: Z_NO_FLUSH) }

    /// Ends the stream (once) and returns everything compressed so far.
    public func finish() throws -> [UInt8] {
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
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw ZlibError.compressionFailed(status: status)
                    }
                    return outBuf.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[0..<produced])
            } while stream.avail_out == 0 || (flush == Z_FINISH && stream.avail_in > 0)
            stream.next_in = nil
        }
    }

    /// `input` compressed in one piece, or nil if zlib fails.
    public static func compress(_ input: [UInt8], format: ZlibFormat, level: Int32 = Z_DEFAULT_COMPRESSION) -> [UInt8]? {
        guard let deflater = try? Deflater(format: format, level: level) else { return nil }
        do {
            try deflater.write(input)
            return try deflater.finish()
        } catch {
            return nil
        }
    }
}

/// Streaming decompression with a hard cap on the total output, so a tiny input that claims to
/// hold gigabytes is refused after at most one chunk past the cap, instead of filling memory.
///
/// Not thread-safe: one owner at a time.
public final class Inflater {
    private var stream = z_stream()
    private var input: [UInt8]
    private var inputOffset = 0
    /// Bytes produced so far.
    public private(set) var totalOut: UInt64 = 0
    /// True once the stream's end was read.
    public private(set) var ended = false
    public let limit: UInt64

    public init(input: [UInt8], format: ZlibFormat = .zlib, limit: UInt64) throws {
        self.input = input
        self.limit = limit
        let status = inflateInit2_(&stream, format.windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw ZlibError.couldNotStart(status: status) }
    }

    deinit { inflateEnd(&stream) }

    /// Input bytes not consumed; after the end, anything here followed the stream.
    public var unreadInputCount: Int { input.count - inputOffset }

    /// Appends up to `chunkSize` more decompressed bytes to `buffer`; false once the stream has ended
    /// and nothing more came out.
    public func read(into buffer: inout [UInt8], chunkSize: Int = 262_144) throws -> Bool {
        if ended { return false }
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        let offset = inputOffset
        let (produced, status): (Int, Int32) = input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress.map { $0 + offset }
            stream.avail_in = UInt32(inBuf.count - offset)
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
        case Z_BUF_ERROR where produced == 0: throw ZlibError.truncated
        case Z_BUF_ERROR: break
        default: throw ZlibError.damaged(status: status)
        }
        totalOut += UInt64(produced)
        if totalOut > limit { throw ZlibError.overLimit(limit: limit) }
        buffer.append(contentsOf: chunk[0..<produced])
        return produced > 0 || !ended
    }
}

/// The CRC-32 of `bytes` (ZIP's and gzip's checksum); pass the CRC of what came before as
/// `continuing` to checksum a stream piece by piece.
public func crc32(of bytes: [UInt8], continuing crc: UInt32 = 0) -> UInt32 {
    bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32(uLong(crc), $0.baseAddress, uInt($0.count))) }
}
