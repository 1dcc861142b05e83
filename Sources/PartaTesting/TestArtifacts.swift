import Foundation

/// Where tests leave files for a person to look at afterwards: screenshots, mostly.
///
/// The folder is `PARTA_ARTIFACTS` if that is set, else `.test-artifacts/` at the package root
/// (the nearest folder above the calling test's source file that holds `Package.swift`, else
/// above the current directory, else the current directory itself). It is made on first use and
/// never emptied: a file of the same name is overwritten, so the folder holds the latest run.
public enum TestArtifacts {
    /// The artifacts folder, made if missing.
    ///
    /// - Parameter filePath: leave it: the caller's source file, used to find the package root.
    /// - Throws: when the folder cannot be made.
    public static func directory(filePath: String = #filePath) throws -> String {
        let folder: String
        if let explicit = ProcessInfo.processInfo.environment["PARTA_ARTIFACTS"], !explicit.isEmpty {
            folder = explicit
        } else {
            folder = (packageRoot(from: filePath) as NSString).appendingPathComponent(".test-artifacts")
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The path `name` would have in the artifacts folder (made if missing). Characters other
    /// than letters, digits, `.`, `_` and `-` become `-`.
    public static func path(_ name: String, filePath: String = #filePath) throws -> String {
        let safe = String(name.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" })
        return (try directory(filePath: filePath) as NSString).appendingPathComponent(safe)
    }

    /// Saves a PNG of what `driver` shows now as `name`.png in the artifacts folder and returns its path.
    ///
    /// - Throws: ``WebDriverError`` when the browser cannot take it; a file error when it cannot be written.
    @discardableResult
    public static func save(screenshotOf driver: WebDriver, name: String, filePath: String = #filePath) throws -> String {
        let path = try path(name.hasSuffix(".png") ? name : name + ".png", filePath: filePath)
        try driver.screenshot(to: path)
        return path
    }

    /// The nearest folder at or above `filePath`'s folder (then the current directory's) that holds
    /// `Package.swift`; the current directory when there is none.
    public static func packageRoot(from filePath: String) -> String {
        let current = FileManager.default.currentDirectoryPath
        for start in [(filePath as NSString).deletingLastPathComponent, current] {
            var folder = URL(fileURLWithPath: start).standardizedFileURL
            while true {
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder.path }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return current
    }
}
