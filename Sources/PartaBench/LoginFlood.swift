import Foundation
import Synchronization
import PartaApp
import PartaDashboard
import PartaTesting

/// `parta-bench login-flood`: schools' syncs while 16 clients flood the dashboard's sign-in with
/// wrong passwords (issue 14, row 7), against the same syncs with nobody signing in, in one run
/// on one hub (`parta hub serve` in its own process, loopback).
///
/// The schools sync one after another, 20 ms apart (a small bounded loop, not a load test), each
/// a fresh bundle of its own (``LoadDistrict``); `/healthz` is timed after each. The flood's
/// clients post as fast as they are answered, each with a good sign-in token and each request from
/// an address of its own (`X-Forwarded-For`, as a trusted proxy on loopback names clients), so no lockout stops
/// them and every one of them wants a password check: the worst case for the hub's CPU.
enum LoginFloodBench {
    static let floodClients = 16

    static func run(_ c: BenchConfig, _ r: Results) throws {
        let perPhase = c.quick ? 20 : 60
        log("login-flood: a hub with \(2 * perPhase) schools; \(perPhase) syncs quiet, then \(perPhase) during a sign-in flood of \(floodClients) clients")
        let root = try TempRoot("parta-bench-login-flood")
        defer { root.remove() }
        let district = try LoadDistrict(root: root, schools: 2 * perPhase)
        do {
            let node = try PartaNode.openHub(directory: district.hubDirectory)
            try StaffAccounts(node: node).add(name: "marina", role: .editor, password: "долгий пароль", now: wallMilliseconds())
            node.replica.database.close()
        }
        // The flood's addresses come as a proxy on loopback forwards them, and the hub trusts it.
        let hub = try HubProcess.start(dataDirectory: district.hubDirectory, log: root.file("hub.log"), extraArguments: ["--trust-proxy", "127.0.0.1"])
        defer { hub.stop() }
        try require(hub.label == "parta hub serve", "login-flood: needs the `parta` built beside parta-bench (swift build -c release)")
        let port = hub.port

        func syncs(_ schools: ArraySlice<LoadSchool>) throws -> (sync: [Double], healthz: [Double]) {
            var sync: [Double] = [], healthz: [Double] = []
            for school in schools {
                let started = monotonicNanos()
                let (status, _) = try LoadClient.exchange(school.bundle, port: port) {}
                sync.append(Double(monotonicNanos() - started) / 1e6)
                try require(status == 200, "login-flood: \(school.id) synced with status \(status)")
                let probe = monotonicNanos()
                try require(try RawHTTP.request(port: port, "GET", "/healthz")?.status == 200, "login-flood: /healthz failed")
                healthz.append(Double(monotonicNanos() - probe) / 1e6)
                Thread.sleep(forTimeInterval: 0.02)
            }
            return (sync, healthz)
        }

        let quiet = try syncs(district.schools.prefix(perPhase))

        guard let form = try RawHTTP.request(port: port, "GET", "/login"),
              let cookie = form.headers["set-cookie"]?.split(separator: ";").first.map(String.init),
              let range = form.text.range(of: "name=\"csrf\" value=\"") else { throw BenchFailure("login-flood: no sign-in form") }
        let token = String(form.text[range.upperBound...].prefix { $0 != "\"" }).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        final class Tally: Sendable {
            struct State { var statuses: [Int: Int] = [:], stop = false }
            let state = Mutex(State())
        }
        let tally = Tally(), done = DispatchGroup()
        for client in 0..<floodClients {
            done.enter()
            let thread = Thread {
                var n = 0
                while !tally.state.withLock({ $0.stop }) {
                    n += 1
                    let body = Array("csrf=\(token)&name=marina&password=guess\(n)".utf8)
                    let status = (try? RawHTTP.request(port: port, "POST", "/login", headers: [
                        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Origin": "http://127.0.0.1:\(port)",
                        "X-Forwarded-For": "10.\(client).\(n / 250).\(n % 250)",
                    ], body: body))??.status ?? -1
                    tally.state.withLock { $0.statuses[status, default: 0] += 1 }
                }
                done.leave()
            }
            thread.stackSize = 256 << 10
            thread.start()
        }
        Thread.sleep(forTimeInterval: 0.5)
        let floodStarted = monotonicNanos()
        let flooded = try syncs(district.schools.dropFirst(perPhase))
        let floodSeconds = Double(monotonicNanos() - floodStarted) / 1e9
        tally.state.withLock { $0.stop = true }
        _ = done.wait(timeout: .now() + 60)
        let statuses = tally.state.withLock { $0.statuses }
        let metrics = try RawHTTP.request(port: port, "GET", "/metrics")?.text ?? ""
        let checks = metrics.split(separator: "\n").first { $0.hasPrefix("parta_dashboard_password_checks_total ") }
            .flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0

        let p = LoadBench.percentile
        let (q50, q99, f50, f99) = (p(quiet.sync, 0.5), p(quiet.sync, 0.99), p(flooded.sync, 0.5), p(flooded.sync, 0.99))
        let h99 = p(flooded.healthz, 0.99)
        let signIns = statuses.values.reduce(0, +)
        r.merge([
            "login_flood_clients": floodClients,
            "login_flood_syncs": perPhase,
            "login_flood_quiet_sync_p50_ms": rounded(q50, 1), "login_flood_quiet_sync_p99_ms": rounded(q99, 1),
            "login_flood_sync_p50_ms": rounded(f50, 1), "login_flood_sync_p99_ms": rounded(f99, 1),
            "login_flood_sync_max_ms": rounded(flooded.sync.max() ?? 0, 1),
            "login_flood_quiet_healthz_p99_ms": rounded(p(quiet.healthz, 0.99), 1),
            "login_flood_healthz_p99_ms": rounded(h99, 1), "login_flood_healthz_max_ms": rounded(flooded.healthz.max() ?? 0, 1),
            "login_flood_signins": signIns, "login_flood_signins_per_s": rounded(Double(signIns) / floodSeconds, 1),
            "login_flood_password_checks": checks,
            "login_flood_statuses": Dictionary(uniqueKeysWithValues: statuses.map { (String($0.key), $0.value) }),
        ])
        let met = f99 < 1000 && h99 < 1000
        r.add("9. sync during a sign-in flood (\(floodClients) clients, \(perPhase) syncs)",
              parta: "sync p50 \(fixed(f50, 0)) ms, p99 \(fixed(f99, 0)) ms; /healthz p99 \(fixed(h99, 0)) ms; \(signIns) sign-ins answered (\(checks) checked)",
              reference: "no flood: sync p50 \(fixed(q50, 0)) ms, p99 \(fixed(q99, 0)) ms", goal: "p99 < 1 s", met: met)
        log("login-flood: quiet p50 \(fixed(q50, 1)) / p99 \(fixed(q99, 1)) ms; flooded p50 \(fixed(f50, 1)) / p99 \(fixed(f99, 1)) ms, /healthz p99 \(fixed(h99, 1)) ms; sign-ins \(statuses.sorted { $0.key < $1.key }), \(checks) password checks")
    }
}
