/// Appends Parta's primitive encodings to a byte buffer: big-endian fixed integers,
/// unsigned LEB128 varints, zigzag varints and length-prefixed UTF-8 strings.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }

    mutating func u16(_ v: UInt16) { bytes.append(UInt8(v >> 8)); bytes.append(UInt8(truncatingIfNeeded: v)) }

    mutating func u32(_ v: UInt32) { for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) } }

    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) } }

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(truncatingIfNeeded: v) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    mutating func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    mutating func string(_ s: String) {
        varint(UInt64(s.utf8.count))
        // One copy of a native string's bytes rather than a walk over its UTF-8 view.
        if s.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: s.utf8)
        }
    }

    mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }

    /// The lengths of what ``varint(_:)``, ``string(_:)`` and ``value(_:)`` write.
    static func varintCount(_ v: UInt64) -> Int { v == 0 ? 1 : (64 - v.leadingZeroBitCount + 6) / 7 }
    static func stringCount(_ s: String) -> Int { let n = s.utf8.count; return varintCount(UInt64(n)) + n }
    static func valueCount(_ v: Value) -> Int {
        switch v {
        case .null: return 1
        case .integer(let i): return 1 + varintCount(UInt64(bitPattern: (i << 1) ^ (i >> 63)))
        case .real: return 9
        case .text(let t): return 1 + stringCount(t)
        }
    }

    /// A value as a tag byte (0 null, 1 integer, 2 real, 3 text) and its data.
    mutating func value(_ v: Value) {
        switch v {
        case .null: u8(0)
        case .integer(let i): u8(1); zigzag(i)
        case .real(let d): u8(2); u64(d.bitPattern)
        case .text(let t): u8(3); string(t)
        }
    }
}

/// Reads what ``ByteWriter`` writes from a source that can be refilled (a streaming inflater)
/// or is complete (a header). Running out of bytes throws ``PartaCoreError/Code/truncated``.
struct ByteReader {
    var buffer: [UInt8]
    var position = 0
    /// Called when more bytes are needed; returns false when the source is exhausted.
    var refill: ((inout [UInt8]) throws -> Bool)?
    var section: String

    init(_ bytes: [UInt8], section: String, refill: ((inout [UInt8]) throws -> Bool)? = nil) {
        self.buffer = bytes
        self.section = section
        self.refill = refill
    }

    /// Whether every byte of the source has been read.
    ///
    /// - Throws: what the source throws while refilling (damaged or truncated compressed data, a
    ///   payload larger than allowed). Such a failure is never taken for the end of the input.
    mutating func isAtEnd() throws -> Bool {
        while position >= buffer.count {
            guard let refill else { return true }
            if position > 0 { buffer.removeFirst(position); position = 0 }
            guard try refill(&buffer) else { return position >= buffer.count }
        }
        return false
    }

    @inline(__always)
    private mutating func ensure(_ n: Int) throws {
        if buffer.count - position >= n { return }
        try refillFor(n)
    }

    private mutating func refillFor(_ n: Int) throws {
        while buffer.count - position < n {
            guard let refill else { throw PartaCoreError.truncated(section) }
            if position > 0 { buffer.removeFirst(position); position = 0 }
            guard try refill(&buffer) else { throw PartaCoreError.truncated(section) }
        }
    }

    mutating func u8() throws -> UInt8 {
        try ensure(1)
        defer { position += 1 }
        return buffer[position]
    }

    mutating func u16() throws -> UInt16 { UInt16(try fixed(2)) }
    mutating func u32() throws -> UInt32 { UInt32(try fixed(4)) }
    mutating func u64() throws -> UInt64 { try fixed(8) }

    private mutating func fixed(_ n: Int) throws -> UInt64 {
        try ensure(n)
        var v: UInt64 = 0
        for i in 0..<n { v = (v << 8) | UInt64(buffer[position + i]) }
        position += n
        return v
    }

    mutating func bytes(_ n: Int) throws -> [UInt8] {
        try ensure(n)
        defer { position += n }
        return Array(buffer[position..<position + n])
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8()
            if shift == 63 && byte > 1 { throw PartaCoreError.malformed("a number in the \(section) is too large") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// Reads what ``ByteWriter/value(_:)`` writes.
    mutating func value() throws -> Value {
        switch try u8() {
        case 0: return .null
        case 1: return .integer(try zigzag())
        case 2: return .real(Double(bitPattern: try u64()))
        case 3: return .text(try string())
        case let tag: throw PartaCoreError.malformed("unknown value type \(tag) in the \(section)")
        }
    }

    mutating func zigzag() throws -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    /// A length-prefixed UTF-8 string of at most `limit` bytes.
    mutating func string(limit: Int = 1 << 20) throws -> String {
        let length = try varint()
        guard length <= UInt64(limit) else { throw PartaCoreError.malformed("a text in the \(section) is longer than \(limit) bytes") }
        let n = Int(length)
        try ensure(n)
        // Validated straight from the buffer, without an intermediate array. `String(decoding:)`
        // takes a fast path (and repairs bad sequences); the text is valid UTF-8 exactly when the
        // result holds the very same bytes, since a repaired text differs from its input.
        let decoded = buffer.withUnsafeBufferPointer { all -> String? in
            let raw = UnsafeBufferPointer(rebasing: all[position..<position + n])
            let s = String(decoding: raw, as: UTF8.self)
            return s.bytesEqual(raw) ? s : nil
        }
        position += n
        guard let s = decoded else {
            throw PartaCoreError.malformed("a text in the \(section) is not valid UTF-8")
        }
        return s
    }
}
