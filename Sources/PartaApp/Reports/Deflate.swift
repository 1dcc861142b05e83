import CZlib

/// DEFLATE (RFC 1951) with the system zlib, in one piece, at zlib's default level: raw for ZIP
/// entries, or wrapped as gzip (RFC 1952) for HTTP answers.
public enum Deflate {
    public enum Format: Sendable {
        /// No header or trailer (a ZIP entry's data).
        case raw
        /// gzip's header and CRC-32 trailer (`Content-Encoding: gzip`).
        case gzip
    }

    /// The compressed bytes, or nil if zlib fails.
    public static func compress(_ input: [UInt8], format: Format) -> [UInt8]? {
        var stream = z_stream()
        let windowBits = format == .raw ? -MAX_WBITS : MAX_WBITS + 16
        guard deflateInit2_(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))) + 32)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = uInt(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = uInt(outBuf.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { return nil }
        return Array(output[0..<Int(stream.total_out)])
    }
}
