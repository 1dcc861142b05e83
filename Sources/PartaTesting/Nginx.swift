import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real nginx for tests, run as the current user with everything of its own (configuration,
/// pid file, logs, temporary files) in one folder, in the foreground (`daemon off`), on a loopback
/// port: the TLS front of `Examples/systemd/` tried for real.
///
/// Guarantees: ``start(http:in:port:timeout:)`` returns only once nginx accepts connections on its
/// port, or throws (with the end of nginx's error log) within `timeout` and leaves nothing
/// running; ``stop()`` ends nginx (SIGTERM, SIGKILL after 10 s) and is safe to call twice; a
/// system nginx, its configuration and port 80 are never touched.
public final class Nginx {
    /// The nginx executable: `PARTA_NGINX` if set, else `nginx` on `PATH` or in the usual sbin
    /// folders (often not on a user's `PATH`); nil if none.
    public static var executable: String? {
        find("PARTA_NGINX", "nginx")
    }

    /// The openssl command-line tool, for ``selfSignedCertificate(in:host:)``.
    public static var openssl: String? { find("PARTA_OPENSSL", "openssl") }

    /// True when nginx and openssl are installed.
    public static var isAvailable: Bool { executable != nil && openssl != nil }

    /// Why the nginx tests cannot run here, or nil when they can.
    public static var unavailableReason: String? {
        let missing = [executable == nil ? "nginx" : nil, openssl == nil ? "openssl" : nil].compactMap { $0 }
        guard !missing.isEmpty else { return nil }
        return missing.joined(separator: " and ") + " not found (on Debian: apt-get install nginx openssl)"
    }

    private static func find(_ variable: String, _ name: String) -> String? {
        if let explicit = ProcessInfo.processInfo.environment[variable], !explicit.isEmpty {
            return FileManager.default.isExecutableFile(atPath: explicit) ? explicit : nil
        }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin") + ":/usr/local/sbin:/usr/sbin:/sbin"
        return path.split(separator: ":").lazy.map { "\($0)/\(name)" }.first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    }

    /// The folder nginx keeps everything in.
    public let directory: String
    /// The loopback port nginx listens on.
    public let port: Int
    private let process: Process

    private init(directory: String, port: Int, process: Process) {
        self.directory = directory
        self.port = port
        self.process = process
    }

    deinit { stop() }

    /// A free TCP port on 127.0.0.1 (free when asked; another process may take it before use).
    public static func freePort() throws -> Int {
        do { return try WebDriver.freeLoopbackPort() } catch { throw NginxError("no free loopback port: \(error)") }
    }

    /// Makes a self-signed certificate and key (EC P-256, two days) for `host`, an IP address,
    /// with openssl; returns their paths in `directory`.
    public static func selfSignedCertificate(in directory: String, host: String = "127.0.0.1") throws -> (certificate: String, key: String) {
        guard let openssl else { throw NginxError(unavailableReason ?? "openssl not found") }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let certificate = (directory as NSString).appendingPathComponent("cert.pem")
        let key = (directory as NSString).appendingPathComponent("key.pem")
        let (status, output) = try run(openssl, ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                                                 "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=\(host)",
                                                 "-addext", "subjectAltName=IP:\(host)"], timeout: 30)
        guard status == 0, FileManager.default.fileExists(atPath: certificate), FileManager.default.fileExists(atPath: key) else {
            throw NginxError("openssl could not make a certificate (status \(status)): \(output)")
        }
        return (certificate, key)
    }

    /// Starts nginx with `http` as the contents of its `http { }` block (server blocks), in
    /// `directory`, and waits until it accepts connections on 127.0.0.1:`port` (which the
    /// configuration must listen on).
    public static func start(http: String, in directory: String, port: Int, timeout: TimeInterval = 15) throws -> Nginx {
        guard let executable else { throw NginxError(unavailableReason ?? "nginx not found") }
        let fm = FileManager.default
        for sub in ["logs", "temp/body", "temp/proxy", "temp/fastcgi", "temp/uwsgi", "temp/scgi"] {
            try fm.createDirectory(atPath: (directory as NSString).appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        func at(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        // As root nginx would hand its workers to `nobody`; as anyone else the directive is not allowed.
        let user = geteuid() == 0 ? "user root;\n" : ""
        let configuration = """
            \(user)worker_processes 1;
            pid \(at("nginx.pid"));
            error_log \(at("logs/error.log")) info;
            events { worker_connections 64; }
            http {
                access_log \(at("logs/access.log"));
                client_body_temp_path \(at("temp/body"));
                proxy_temp_path \(at("temp/proxy"));
                fastcgi_temp_path \(at("temp/fastcgi"));
                uwsgi_temp_path \(at("temp/uwsgi"));
                scgi_temp_path \(at("temp/scgi"));
            \(http)
            }

            """
        let file = at("nginx.conf")
        try configuration.write(toFile: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-p", directory, "-c", file, "-e", at("logs/error.log"), "-g", "daemon off;"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let nginx = Nginx(directory: directory, port: port, process: process)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard process.isRunning else {
                let log = nginx.errorLog
                nginx.stop()
                throw NginxError("nginx stopped at start (status \(process.terminationStatus)): \(log)\nconfiguration:\n\(configuration)")
            }
            if accepts(port: port) { return nginx }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let log = nginx.errorLog
        nginx.stop()
        throw NginxError("nginx did not listen on 127.0.0.1:\(port) within \(Int(timeout)) s: \(log)")
    }

    /// nginx's error log so far (its last 40 lines).
    public var errorLog: String {
        let text = (try? String(contentsOfFile: (directory as NSString).appendingPathComponent("logs/error.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(40).joined(separator: "\n")
    }

    /// nginx's access log so far.
    public var accessLog: String {
        (try? String(contentsOfFile: (directory as NSString).appendingPathComponent("logs/access.log"), encoding: .utf8)) ?? ""
    }

    /// Ends nginx and its worker: SIGTERM, then SIGKILL if it still runs after 10 s.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = WebDriver.HTTP.loopback(port: UInt16(port))
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Sends `request` (a whole HTTP/1.1 request; say `Connection: close`) over TLS to
    /// 127.0.0.1:`port` with `openssl s_client`, not checking the certificate, and returns what
    /// came back (status line, headers, body), within `timeout`.
    public static func httpsExchange(port: Int, _ request: String, timeout: TimeInterval = 15) throws -> String {
        guard let openssl else { throw NginxError(unavailableReason ?? "openssl not found") }
        let (_, output) = try run(openssl, ["s_client", "-connect", "127.0.0.1:\(port)", "-quiet"], input: request,
                                  timeout: timeout, errors: false)
        return output
    }

    /// Runs a command to its end (killed after `timeout`), returning its status and output
    /// (standard error too, if `errors`), with `input` as its standard input.
    private static func run(_ executable: String, _ arguments: [String], input: String? = nil, timeout: TimeInterval,
                            errors: Bool = true) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errors ? output : FileHandle.nullDevice
        let stdin = input.map { _ in Pipe() }
        if let stdin { process.standardInput = stdin }
        try process.run()
        if let stdin, let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        let watchdog = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Why nginx (or the certificate for it) could not be had.
public struct NginxError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
