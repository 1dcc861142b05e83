import PartaZlib

/// Just enough of ZIP (APPNOTE 6.3) to write an Office Open XML package: entries in the order
/// added, each deflated (or stored if zlib fails), with UTF-8 names, a fixed time stamp
/// (1980-01-01 00:00) so that the same entries give the same bytes, and no ZIP64.
struct ZipWriter {
    private(set) var bytes: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0

    /// The MS-DOS time and date written for every entry: 00:00 on 1980-01-01.
    static let dosTime: UInt16 = 0, dosDate: UInt16 = (0 << 9) | (1 << 5) | 1
    /// General purpose flag bit 11: names are UTF-8.
    static let utf8Flag: UInt16 = 0x0800

    /// Adds an entry. Entries and archive must stay below 4 GiB and 65,535 entries (no ZIP64);
    /// more is a programming error.
    mutating func add(_ name: String, _ data: [UInt8]) {
        let nameBytes = Array(name.utf8)
        let crc = crc32(of: data)
        let (method, stored): (UInt16, [UInt8]) = Deflater.compress(data, format: .raw).map { (8, $0) } ?? (0, data)
        precondition(data.count < 0xFFFF_FFFF && bytes.count + stored.count < 0xFFFF_FFFF && count < 0xFFFF, "ZIP64 is not supported")
        let offset = UInt32(bytes.count)

        var local: [UInt8] = []
        local.u32(0x0403_4B50); local.u16(20); local.u16(ZipWriter.utf8Flag); local.u16(method)
        local.u16(ZipWriter.dosTime); local.u16(ZipWriter.dosDate)
        local.u32(crc); local.u32(UInt32(stored.count)); local.u32(UInt32(data.count))
        local.u16(UInt16(nameBytes.count)); local.u16(0)
        bytes += local + nameBytes + stored

        central.u32(0x0201_4B50); central.u16(20); central.u16(20); central.u16(ZipWriter.utf8Flag); central.u16(method)
        central.u16(ZipWriter.dosTime); central.u16(ZipWriter.dosDate)
        central.u32(crc); central.u32(UInt32(stored.count)); central.u32(UInt32(data.count))
        central.u16(UInt16(nameBytes.count)); central.u16(0); central.u16(0)   // extra, comment
        central.u16(0); central.u16(0); central.u32(0)                          // disk, internal and external attributes
        central.u32(offset)
        central += nameBytes
        count += 1
    }

    /// The archive: the entries, the central directory and the end-of-central-directory record.
    func finish() -> [UInt8] {
        var end: [UInt8] = []
        end.u32(0x0605_4B50); end.u16(0); end.u16(0)
        end.u16(UInt16(count)); end.u16(UInt16(count))
        end.u32(UInt32(central.count)); end.u32(UInt32(bytes.count)); end.u16(0)
        return bytes + central + end
    }
}

extension Array where Element == UInt8 {
    /// Appends a little-endian `u16` (ZIP's byte order).
    fileprivate mutating func u16(_ v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
    /// Appends a little-endian `u32`.
    fileprivate mutating func u32(_ v: UInt32) { for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) } }
}
