/// Lower-case hexadecimal, two digits per byte (checksums, fingerprints, answer ids).
public enum Hex {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// Random symbols for the ids Parta makes (node ids, restore tags): lower-case letters and digits
/// without the look-alikes `i`, `l`, `o`, `0`, `1`, so a person can read one out over the phone.
public enum RandomID {
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    /// `count` symbols, about 4.95 bits each.
    public static func symbols(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
