#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Whether the two texts have the same UTF-8 bytes (never Swift's `==`, which equates
    /// canonically equivalent texts). Same result as `utf8.elementsEqual(other.utf8)`, with one
    /// `memcmp` for native strings instead of a byte-by-byte walk.
    @inlinable
    public func bytesEqual(_ other: String) -> Bool {
        if let result = utf8.withContiguousStorageIfAvailable({ a in
            other.utf8.withContiguousStorageIfAvailable { b -> Bool in
                guard a.count == b.count else { return false }
                guard a.count > 0, let x = a.baseAddress, let y = b.baseAddress else { return true }
                return memcmp(x, y, a.count) == 0
            }
        }), let result { return result }
        return utf8.elementsEqual(other.utf8)
    }

    /// Whether this text sorts before `other` by their UTF-8 bytes (as
    /// `utf8.lexicographicallyPrecedes(other.utf8)`).
    @inlinable
    public func bytesPrecede(_ other: String) -> Bool {
        if let result = utf8.withContiguousStorageIfAvailable({ a in
            other.utf8.withContiguousStorageIfAvailable { b -> Bool in
                let common = Swift.min(a.count, b.count)
                if common > 0, let x = a.baseAddress, let y = b.baseAddress {
                    let c = memcmp(x, y, common)
                    if c != 0 { return c < 0 }
                }
                return a.count < b.count
            }
        }), let result { return result }
        return utf8.lexicographicallyPrecedes(other.utf8)
    }
}

extension String {
    /// Whether this text's UTF-8 is exactly `bytes`.
    @usableFromInline
    func bytesEqual(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let result = utf8.withContiguousStorageIfAvailable({ a -> Bool in
            guard a.count == bytes.count else { return false }
            guard a.count > 0, let x = a.baseAddress, let y = bytes.baseAddress else { return true }
            return memcmp(x, y, a.count) == 0
        }) { return result }
        return utf8.elementsEqual(bytes)
    }
}
