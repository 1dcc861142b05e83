import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import Crypto
import PartaTesting

/// A hub and its schools made through the real binary, each school computer started from the
/// hub's stick with its own enrollment code, as a district would.
struct District {
    let parta: PartaBinary
    let dir: TemporaryDirectory
    let schools: [String]
    var hub: [String] { ["--data", dir.file("hub")] }
    var hubFolder: String { dir.file("hub") }

    func data(_ school: String) -> [String] { ["--data", dir.file(school)] }

    /// `tasks` tasks assigned to every school, then one more (`tEven`… as the hub numbers it) to every other school.
    init(_ parta: PartaBinary, label: String, schools: [String], tasks: Int = 1, partialTask: Bool = false) throws {
        self.parta = parta
        self.dir = TemporaryDirectory(label)
        self.schools = schools
        try ok(["hub", "init", "--name", "Отдел образования"] + hub)
        var codes: [String: String] = [:]
        for school in schools {
            codes[school] = try parta.code(["hub", "school", "add", school, "--name", "Школа \(school)"] + hub)
        }
        for n in 1...max(1, tasks) { try ok(["hub", "task", "add", "--title", "Задача \(n)", "--assign-all"] + hub) }
        if partialTask {
            try ok(["hub", "task", "add", "--title", "Задача для половины школ"] + hub)
            let half = schools.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            try ok(["hub", "task", "assign", "t\(tasks + 1)", "--to", half.joined(separator: ",")] + hub)
        }
        try ok(["hub", "export", "--to", dir.file("stick")] + hub)
        let frozen = codes
        let runs = concurrently(schools) { [dir] school in
            try parta.run(["init", "--from", dir.file("stick"), "--code", frozen[school]!, "--name", "ПК \(school)", "--data", dir.file(school)], timeout: 120)
        }
        for (school, run) in zip(schools, try runs.map { try $0.get() }) {
            #expect(run.status == 0, "parta init for \(school) failed (\(run.status)): \(run.stderr)")
        }
    }

    func remove() { dir.remove() }

    /// Runs `parta` and expects it to succeed.
    @discardableResult
    func ok(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let r = try parta.run(arguments, environment: environment, timeout: 120)
        #expect(r.status == 0, "parta \(arguments.joined(separator: " ")) failed (\(r.status)): \(r.stderr)")
        return r.stdout
    }

    func json(_ arguments: [String], environment: [String: String] = [:]) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try ok(arguments + ["--json"], environment: environment).utf8))
    }

    /// The reports on `task` as `data` holds them, by school: status, progress, comment.
    func reports(_ task: String, _ data: [String]) throws -> [String: [String]] {
        let detail = try json(["show", task] + data) as? [String: Any] ?? [:]
        var result: [String: [String]] = [:]
        for r in detail["reports"] as? [[String: Any]] ?? [] {
            result[r["school"] as? String ?? "?"] = ["\(r["status"] ?? "")", "\(r["progress"] ?? "")", "\(r["comment"] ?? "")"]
        }
        return result
    }

    /// The bundle `school` would send the hub now, as `parta export` writes it.
    func bundle(from school: String) throws -> [UInt8] {
        let out = dir.file("out-\(school)-\(UUID().uuidString.prefix(6))")
        try ok(["export", "--to", out] + data(school))
        let file = try #require(try FileManager.default.subpathsOfDirectory(atPath: out).first { $0.hasSuffix(".parta") })
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: (out as NSString).appendingPathComponent(file))))
    }

    /// Files in the hub's folder of stored answers.
    func stagedAnswers() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: dir.file("hub/staging/answers"))) ?? []
    }

    /// Files in the hub's folder of partial uploads.
    func stagedUploads() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: dir.file("hub/staging/uploads"))) ?? []
    }
}

/// Runs `body` for every item at once, each on a thread of its own (not a pool as wide as the
/// cores: these are processes that wait on each other over the network), and returns the
/// results in order, a throw as a failure.
func concurrently<Item, Value>(_ items: [Item], _ body: @escaping @Sendable (Item) throws -> Value) -> [Result<Value, Error>] {
    let box = ResultBox<Value>()
    let group = DispatchGroup()
    for (index, item) in items.enumerated() {
        group.enter()
        // `nonisolated(unsafe)`: each item goes to exactly one thread, which alone uses it.
        nonisolated(unsafe) let item = item
        Thread {
            let result = Result { try body(item) }
            box.lock.withLock { box.results[index] = result }
            group.leave()
        }.start()
    }
    group.wait()
    return items.indices.map { box.results[$0]! }
}

/// `@unchecked`: each slot is written by one thread under `lock` and read after all have finished.
private final class ResultBox<Value>: @unchecked Sendable {
    var results: [Int: Result<Value, Error>] = [:]
    let lock = NSLock()
}

/// Text no compressor shrinks much: reports whose bundles need several pieces.
func noisyText(_ count: Int, seed: UInt64) -> String {
    var generator = SeededGenerator(seed: seed)
    let letters = Array("абвгдеёжзийклмнопрстуфхцчшщьыэюяABCDEFGHJKLMNPQRSTUVWXYZ0123456789 ")
    return String((0..<count).map { _ in letters[Int(generator.next() % UInt64(letters.count))] })
}

/// The pieces of a bundle an upload needs (Protocol/sync-http-v1.md §5.2, §5.4).
struct UploadPieces {
    let bytes: [UInt8]
    var id: String { bytes[(bytes.count - 96)..<(bytes.count - 64)].map { String(format: "%02x", $0) }.joined() }
    var signature: String { Data(bytes[(bytes.count - 64)...]).base64EncodedString() }
    /// The framing and header through both payload lengths: 30 + H.
    var prefixLength: Int { 30 + Int(bytes[10..<14].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }) }

    /// A PATCH of `bytes[offset...]`, cut after `cutAfter` body bytes if given.
    func patch(port: Int, from offset: Int, body: [UInt8]? = nil, length: Int? = nil, cutAfter: Int? = nil,
               extra: [String: String] = [:]) throws -> RawHTTP.Reply? {
        var headers = ["Upload-Offset": String(offset), "Upload-Length": String(length ?? bytes.count),
                       "Content-Type": "application/offset+octet-stream", "Accept-Language": "en"]
        headers["Parta-Signature"] = signature   // every piece carries it (§5.4)
        for (k, v) in extra { headers[k] = v }
        return try RawHTTP.request(port: port, "PATCH", "/v1/uploads/\(id)", headers: headers, body: body ?? Array(bytes[offset...]), cutAfter: cutAfter)
    }

    /// How many bytes the hub holds (nil: 404), and its HEAD reply.
    func held(port: Int) throws -> (Int?, RawHTTP.Reply) {
        let reply = try #require(try RawHTTP.request(port: port, "HEAD", "/v1/uploads/\(id)"))
        return (reply.status == 200 ? reply.headers["upload-offset"].flatMap(Int.init) : nil, reply)
    }

    /// Asks until the hub holds `expected` bytes (it reads a cut request's last bytes a moment
    /// after the cut), for at most ten seconds; returns what it holds then.
    func waitUntilHeld(_ expected: Int?, port: Int) throws -> Int? {
        let deadline = Date().addingTimeInterval(10)
        var held = try self.held(port: port).0
        while held != expected, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            held = try self.held(port: port).0
        }
        return held
    }
}

func sha256Hex(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

/// POSTs `body` to `url` and returns the status and the `Parta-Reason` header (0 and nil when no
/// answer came).
func postBundle(_ url: String, _ body: Data) -> (status: Int, reason: String?) {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = "POST"
    request.setValue("application/vnd.parta.bundle", forHTTPHeaderField: "Content-Type")
    request.httpBody = body
    let done = DispatchSemaphore(value: 0)
    // `nonisolated(unsafe)`: written by the completion handler before `done.signal()`, read after `done.wait()`.
    nonisolated(unsafe) var result: (Int, String?) = (0, nil)
    URLSession.shared.dataTask(with: request) { _, response, _ in
        let http = response as? HTTPURLResponse
        result = (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Parta-Reason"))
        done.signal()
    }.resume()
    done.wait()
    return result
}
