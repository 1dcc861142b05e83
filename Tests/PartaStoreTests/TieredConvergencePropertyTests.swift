import Foundation
import Testing
import PartaCore
import PartaStore
import PartaTesting

/// Convergence across tiers (Protocol/replication-v1.md §12): a region, two municipal hubs, their
/// schools' nodes; random writes at every tier and random exchanges on every link, with drops,
/// duplicates and reordering. After a final round every school node holds exactly its
/// municipality's view of the school, and the region the municipality's view of every school.
struct TieredWorld {
    var rng: SeededGenerator
    let directory = TemporaryDirectory("parta-tiers-prop")
    var time: UInt64 = testMilliseconds(year: 2020, month: 9, day: 1)
    let region: Replica
    var hubs: [(replica: Replica, domain: String, schools: [String])] = []
    var members: [(replica: Replica, hub: Int, school: String)] = []
    /// Bundles lying on sticks: bytes and where they go (a member index, a hub index, or the region).
    enum Destination { case region, hub(Int), school(hub: Int, school: String) }
    var inFlight: [(bytes: [UInt8], to: Destination)] = []
    var tasks = 0

    init(seed: UInt64) throws {
        rng = SeededGenerator(seed: seed)
        region = try Replica.createTestHub(at: directory.file("region.sqlite"), schema: ruledTestSchema, nodeID: "region", now: time)
        for h in 0..<2 {
            let domain = "d\(h)"
            let code = try region.addDomain(domain, name: "Municipality \(h)", now: tick())
            let hub = try Replica.createTestHub(at: directory.file("m\(h).sqlite"), schema: ruledTestSchema, nodeID: "m\(h)", now: tick())
            let schools = (0..<Int.random(in: 1...2, using: &rng)).map { "d\(h)s\($0)" }
            _ = try hub.claimPartitions(schools, now: tick())
            for school in schools {
                for n in 0..<Int.random(in: 1...2, using: &rng) {
                    let member = try Replica.createTestMember(at: directory.file("\(school)n\(n).sqlite"), schema: ruledTestSchema,
                                                              nodeID: "\(school)n\(n)", partition: school, hub: hub, now: tick())
                    members.append((member, h, school))
                }
            }
            // Some municipalities worked alone before they joined; some join first.
            if Bool.random(using: &rng) { try writeAtHub(hub, index: h, schools: schools) }
            _ = try hub.joinUpstream(ChangeSetReader(bytes: bundle(from: region, to: .partition(domain), now: tick())), code: code, now: tick())
            hubs.append((hub, domain, schools))
        }
    }

    mutating func tick() -> UInt64 {
        time += UInt64.random(in: 1...5_000, using: &rng)
        return time
    }

    mutating func writeAtHub(_ hub: Replica, index: Int, schools: [String]) throws {
        tasks += 1
        let task = "m\(index)t\(tasks)"
        try hub.write(table: "tasks", row: task, values: ["title": .text("Task \(task)")], now: tick())
        let school = schools.randomElement(using: &rng)!
        try hub.write(table: "assignments", row: "\(task)|\(school)", partition: school, values: ["task": .text(task)], now: tick())
    }

    mutating func step() throws {
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<8:
            // The region issues a task to a school of either municipality.
            tasks += 1
            let task = "rt\(tasks)"
            try region.write(table: "tasks", row: task, values: ["title": .text("Regional \(task)")], now: tick())
            let schools = try region.database.rows("SELECT id FROM partitions WHERE kind = 'member'").compactMap { $0[0].textValue }
            if let school = schools.randomElement(using: &rng) {
                try region.write(table: "assignments", row: "\(task)|\(school)", partition: school, values: ["task": .text(task)], now: tick())
            }
        case 8..<11:
            try region.write(table: "notices", row: "n\(Int.random(in: 0..<2, using: &rng))", values: ["text": .text("notice \(time)")], now: tick())
        case 11..<20:
            let h = Int.random(in: 0..<hubs.count, using: &rng)
            try writeAtHub(hubs[h].replica, index: h, schools: hubs[h].schools)
        case 20..<25:
            // A municipality renames one of its own tasks, or assigns a regional one to another of its schools.
            let h = Int.random(in: 0..<hubs.count, using: &rng)
            let own = try hubs[h].replica.database.rows("SELECT id FROM tasks WHERE id GLOB 'm\(h)t*'").compactMap { $0[0].textValue }
            if let task = own.randomElement(using: &rng), Bool.random(using: &rng) {
                try hubs[h].replica.write(table: "tasks", row: task, values: ["title": .text("Renamed \(time)")], now: tick())
            } else if let task = try hubs[h].replica.database.rows("SELECT id FROM tasks WHERE id GLOB 'rt*'").compactMap({ $0[0].textValue }).randomElement(using: &rng) {
                let school = hubs[h].schools.randomElement(using: &rng)!
                try hubs[h].replica.write(table: "assignments", row: "\(task)|\(school)", partition: school, values: ["task": .text(task)], now: tick())
            }
        case 25..<50:
            let m = Int.random(in: 0..<members.count, using: &rng)
            let (replica, _, school) = members[m]
            let assigned = try replica.database.rows("SELECT task FROM assignments").compactMap { $0[0].textValue }
            guard let task = assigned.randomElement(using: &rng) else { return }
            var values: [String: Value] = ["task": .text(task)]
            if Bool.random(using: &rng) { values["status"] = .text(["new", "in_progress", "done"].randomElement(using: &rng)!) }
            values["comment"] = .text("by \(replica.nodeID) at \(time)")
            try replica.write(table: "reports", row: "\(task)|\(school)", partition: school, values: values, now: tick())
        case 50..<58:
            let m = Int.random(in: 0..<members.count, using: &rng)
            inFlight.append((try bundle(from: members[m].replica, to: .node(hubs[members[m].hub].replica.nodeID), now: tick()), .hub(members[m].hub)))
        case 58..<66:
            let h = Int.random(in: 0..<hubs.count, using: &rng)
            let school = hubs[h].schools.randomElement(using: &rng)!
            inFlight.append((try bundle(from: hubs[h].replica, to: .partition(school), now: tick()), .school(hub: h, school: school)))
        case 66..<74:
            let h = Int.random(in: 0..<hubs.count, using: &rng)
            inFlight.append((try bundle(from: hubs[h].replica, to: .node("region"), now: tick()), .region))
        case 74..<82:
            let h = Int.random(in: 0..<hubs.count, using: &rng)
            inFlight.append((try bundle(from: region, to: .partition(hubs[h].domain), now: tick()), .hub(h)))
        default:
            guard !inFlight.isEmpty else { return }
            let i = Int.random(in: 0..<inFlight.count, using: &rng)
            let (bytes, to) = inFlight[i]
            let action = Int.random(in: 0..<10, using: &rng)
            if action < 7 { inFlight.remove(at: i) }
            if action == 9 { return }
            try deliver(bytes, to: to)
        }
    }

    /// Delivers a bundle from a stick. A stale bundle the region sealed to a municipality's join
    /// code alone, found after the hub forgot the code, is refused whole (and later ones carry
    /// everything it held); any other refusal is a failure.
    mutating func deliver(_ bytes: [UInt8], to destination: Destination) throws {
        do {
            try deliverOrRefuse(bytes, to: destination)
        } catch let error as PartaCoreError where error.code == .notForThisNode {
            guard case .hub = destination else { throw error }
        }
    }

    private mutating func deliverOrRefuse(_ bytes: [UInt8], to destination: Destination) throws {
        switch destination {
        case .region: try PartaTesting.deliver(bytes, to: region, now: tick())
        case .hub(let h): try PartaTesting.deliver(bytes, to: hubs[h].replica, now: tick())
        case .school(let h, let school):
            let nodes = members.filter { $0.hub == h && $0.school == school }
            try PartaTesting.deliver(bytes, to: nodes.randomElement(using: &rng)!.replica, now: tick())
        }
    }

    mutating func finalExchange() throws {
        for _ in 0..<3 {
            for m in members { try PartaTesting.deliver(try bundle(from: m.replica, to: .node(hubs[m.hub].replica.nodeID), now: tick()), to: hubs[m.hub].replica, now: tick()) }
            for h in hubs { try PartaTesting.deliver(try bundle(from: h.replica, to: .node("region"), now: tick()), to: region, now: tick()) }
            for h in hubs { try PartaTesting.deliver(try bundle(from: region, to: .partition(h.domain), now: tick()), to: h.replica, now: tick()) }
            for m in members { try PartaTesting.deliver(try bundle(from: hubs[m.hub].replica, to: .partition(m.school), now: tick()), to: m.replica, now: tick()) }
        }
    }
}

@Suite struct TieredConvergencePropertyTests {
    static let schedules = Int(ProcessInfo.processInfo.environment["PARTA_TIER_SCHEDULES"] ?? "") ?? 150

    @Test func everyTierAgreesOnEverySchoolAfterRandomSchedules() throws {
        for seed in 1...UInt64(Self.schedules) {
            var world = try TieredWorld(seed: seed)
            defer { world.directory.remove() }
            for _ in 0..<Int.random(in: 30...100, using: &world.rng) { try world.step() }
            while let (bytes, to) = world.inFlight.popLast() {
                if Bool.random(using: &world.rng) { try world.deliver(bytes, to: to) }
            }
            try world.finalExchange()
            for (replica, h, school) in world.members {
                let atHub = try world.hubs[h].replica.canonicalDump(partition: school)
                #expect(try replica.canonicalDump() == atHub, "seed \(seed): \(replica.nodeID) differs from its municipality")
                #expect(try world.region.canonicalDump(partition: school) == atHub, "seed \(seed): the region differs on \(school)")
            }
            // Nothing of one municipality's schools reached the other.
            for (h, hub) in world.hubs.enumerated() {
                let foreign = world.hubs.enumerated().filter { $0.offset != h }.flatMap(\.element.schools)
                for school in foreign {
                    #expect(try hub.replica.database.scalar("SELECT count(*) FROM reports WHERE _part = ?", [.text(school)]) == .integer(0))
                }
            }
        }
    }
}
