/// The two halves of a file path, split at its last `/`, in plain Swift.
///
/// Foundation's `NSString.deletingLastPathComponent` crashes on Linux on a one-letter relative
/// path ("A", "E"): a stick linked as `E` or a data folder `A` stopped `parta` with "Illegal
/// instruction". Parta splits its own paths here instead. Trailing slashes do not count ("A/" is
/// "A"); a run of slashes is one separator; the root stays the root.
public enum FilePath {
    /// The folder that holds `path`: "" for a bare name ("A", "A/"), "." for "./A", "/" for "/A"
    /// and for "/" itself, "a/b" for "a/b/c".
    public static func parent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        if trimmed.isEmpty { return path.hasPrefix("/") ? "/" : "" }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        var end = slash
        while end > trimmed.startIndex, trimmed[trimmed.index(before: end)] == "/" { end = trimmed.index(before: end) }
        return end == trimmed.startIndex ? "/" : String(trimmed[..<end])
    }

    /// The last name in `path`: "A" for "A", "./A", "/A" and "A/", "c" for "a/b/c", "/" for "/",
    /// "" for "".
    public static func lastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        if trimmed.isEmpty { return path.hasPrefix("/") ? "/" : "" }
        guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `name` inside `folder`: "name" when `folder` is "", one `/` between them otherwise.
    public static func joining(_ folder: String, _ name: String) -> String {
        if folder.isEmpty { return name }
        return folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    private static func withoutTrailingSlashes(_ path: String) -> Substring {
        var result = Substring(path)
        while result.hasSuffix("/") { result = result.dropLast() }
        return result
    }
}
