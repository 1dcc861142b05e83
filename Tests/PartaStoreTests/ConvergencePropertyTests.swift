import Foundation
import Testing
import PartaCore
import PartaStore
import PartaTesting

/// A small application for the engine: tasks referenced by assignments, reports per partition.
let testSchema = ReplicationSchema(tables: [
    ReplicatedTable(name: "tasks", columns: [.init("title"), .init("deadline")], scope: .referenced(via: "assignments", column: "task"), writers: .hub),
    ReplicatedTable(name: "assignments", columns: [.init("task")], scope: .partitioned, writers: .hub),
    ReplicatedTable(name: "reports", columns: [.init("task"), .init("status"), .init("progress"), .init("comment")], scope: .partitioned, writers: .partitionMembers),
    ReplicatedTable(name: "notices", columns: [.init("text")], scope: .everywhere, writers: .hub),
])

/// The same application with Parta's row rules (an id `<task>|<partition>`, a report needing its
/// assignment): the random schedules run on it, so they also show that the rules never stop
/// honest replicas from converging, unassignments and scrambled bundles included.
let ruledTestSchema = ReplicationSchema(tables: [
    ReplicatedTable(name: "tasks", columns: [.init("title"), .init("deadline")], scope: .referenced(via: "assignments", column: "task"), writers: .hub),
    ReplicatedTable(name: "assignments", columns: [.init("task", .text)], scope: .partitioned, writers: .hub,
                    identity: .keyedByPartition(keyColumn: "task", partitionColumn: nil)),
    ReplicatedTable(name: "reports", columns: [.init("task", .text), .init("status"), .init("progress"), .init("comment")], scope: .partitioned,
                    writers: .partitionMembers, identity: .keyedByPartition(keyColumn: "task", partitionColumn: nil),
                    requires: [.sameRowIn(table: "assignments")]),
    ReplicatedTable(name: "notices", columns: [.init("text")], scope: .everywhere, writers: .hub),
])

/// One random world: a hub, schools with one or two nodes each, bundles in flight.
struct World {
    var rng: SeededGenerator
    let directory = TemporaryDirectory("parta-prop")
    var hub: Replica
    var members: [(replica: Replica, school: String)] = []
    var skew: [String: Int64] = [:]
    var time: UInt64 = testMilliseconds(year: 2020, month: 9, day: 1)
    var inFlight: [(bytes: [UInt8], to: Int)] = []   // to: -1 = hub, else member index
    var taskCount = 0

    init(seed: UInt64, schools: Int, nodesPerSchool: (Int) -> Int) throws {
        rng = SeededGenerator(seed: seed)
        hub = try Replica.createTestHub(at: directory.file("hub.sqlite"), schema: ruledTestSchema, now: time)
        var index = 0
        for s in 0..<schools {
            for n in 0..<nodesPerSchool(s) {
                let id = "s\(s)n\(n)"
                let replica = try Replica.createTestMember(at: directory.file("\(id).sqlite"), schema: ruledTestSchema, nodeID: id,
                                                           partition: "school\(s)", hub: hub, now: time)
                members.append((replica, "school\(s)"))
                skew[id] = Int64.random(in: -600_000...600_000, using: &rng)
                index += 1
            }
        }
    }

    /// A few tasks assigned and delivered, so members have something to report on from the start.
    mutating func seedTasks() throws {
        let schools = Array(Set(members.map(\.school))).sorted()
        for _ in 0..<3 {
            taskCount += 1
            try hub.write(table: "tasks", row: "t\(taskCount)", values: ["title": .text("Task \(taskCount)")], now: now("hub"))
            for school in schools where Bool.random(using: &rng) || school == schools[0] {
                try hub.write(table: "assignments", row: "t\(taskCount)|\(school)", partition: school, values: ["task": .text("t\(taskCount)")], now: now("hub"))
            }
        }
        for m in members.indices {
            try deliver(try bundle(from: hub, to: .partition(members[m].school), now: now("hub")), to: members[m].replica, now: now(members[m].replica.nodeID))
        }
    }

    mutating func now(_ node: String) -> UInt64 {
        time += UInt64.random(in: 1...5_000, using: &rng)
        return UInt64(Int64(time) + (skew[node] ?? 0))
    }

    mutating func step() throws {
        let roll = Int.random(in: 0..<100, using: &rng)
        switch roll {
        case 0..<10:
            taskCount += 1
            try hub.write(table: "tasks", row: "t\(taskCount)", values: ["title": .text("Task \(taskCount)"), "deadline": .text("2020-10-0\(taskCount % 9 + 1)")], now: now("hub"))
        case 10..<22 where taskCount > 0:
            let task = "t\(Int.random(in: 1...taskCount, using: &rng))"
            let school = "school\(Int.random(in: 0..<Set(members.map(\.school)).count, using: &rng))"
            try hub.write(table: "assignments", row: "\(task)|\(school)", partition: school, values: ["task": .text(task)], now: now("hub"))
        case 22..<27:
            let live = try hub.database.rows("SELECT id FROM assignments").compactMap { $0[0].textValue }
            if let pick = live.randomElement(using: &rng) { try hub.delete(table: "assignments", row: pick, now: now("hub")) }
        case 27..<33 where taskCount > 0:
            let task = "t\(Int.random(in: 1...taskCount, using: &rng))"
            try hub.write(table: "tasks", row: task, values: ["title": .text("Task \(task) v\(Int.random(in: 0..<1000, using: &rng))")], now: now("hub"))
        case 33..<35:
            try hub.write(table: "notices", row: "n\(Int.random(in: 0..<3, using: &rng))", values: ["text": .text("notice \(time)")], now: now("hub"))
        case 35..<65:
            let m = Int.random(in: 0..<members.count, using: &rng)
            let (replica, school) = members[m]
            let tasks = try replica.database.rows("SELECT task FROM assignments").compactMap { $0[0].textValue }
            guard let task = tasks.randomElement(using: &rng) else { return }
            let statuses = ["new", "in_progress", "done", "blocked"]
            var values: [String: Value] = ["task": .text(task)]
            if Bool.random(using: &rng) { values["status"] = .text(statuses.randomElement(using: &rng)!) }
            if Bool.random(using: &rng) { values["progress"] = .integer(Int64.random(in: 0...100, using: &rng)) }
            if Bool.random(using: &rng) { values["comment"] = .text("comment \(Int.random(in: 0..<100, using: &rng)) by \(replica.nodeID)") }
            try replica.write(table: "reports", row: "\(task)|\(school)", partition: school, values: values, now: now(replica.nodeID))
        case 65..<75:
            let m = Int.random(in: 0..<members.count, using: &rng)
            let replica = members[m].replica
            inFlight.append((try bundle(from: replica, to: .node("hub"), now: now(replica.nodeID)), -1))
        case 75..<85:
            let m = Int.random(in: 0..<members.count, using: &rng)
            inFlight.append((try bundle(from: hub, to: .partition(members[m].school), now: now("hub")), m))
        default:
            guard !inFlight.isEmpty else { return }
            let i = Int.random(in: 0..<inFlight.count, using: &rng)
            let (bytes, to) = inFlight[i]
            let action = Int.random(in: 0..<10, using: &rng)
            if action < 7 { inFlight.remove(at: i) }        // deliver once
            if action == 9 { return }                        // dropped: left lying, maybe delivered later
            try deliverAnywhere(bytes, to: to)
        }
    }

    mutating func deliverAnywhere(_ bytes: [UInt8], to index: Int) throws {
        if index < 0 {
            try deliver(bytes, to: hub, now: now("hub"))
        } else {
            // A hub bundle for a school may reach either of its nodes (a shared stick).
            let school = members[index].school
            let siblings = members.indices.filter { members[$0].school == school }
            let target = siblings.randomElement(using: &rng)!
            try deliver(bytes, to: members[target].replica, now: now(members[target].replica.nodeID))
        }
    }

    mutating func finalExchange() throws {
        for _ in 0..<2 {
            for m in members.indices {
                let r = members[m].replica
                try deliver(try bundle(from: r, to: .node("hub"), now: now(r.nodeID)), to: hub, now: now("hub"))
            }
            for m in members.indices {
                let r = members[m].replica
                try deliver(try bundle(from: hub, to: .partition(members[m].school), now: now("hub")), to: r, now: now(r.nodeID))
            }
        }
    }
}

@Suite struct ConvergencePropertyTests {
    static let schedules = Int(ProcessInfo.processInfo.environment["PARTA_PROPERTY_SCHEDULES"] ?? "") ?? 1000

    @Test func replicasAgreeOnTheirScopeAfterRandomSchedulesWithDropsDuplicatesAndReordering() throws {
        for seed in 1...UInt64(Self.schedules) {
            var rng = SeededGenerator(seed: seed &* 7919)
            // 3 to 6 nodes: the hub and 2 to 5 school nodes in 1 to 3 schools.
            let schools = Int.random(in: 1...3, using: &rng)
            var world = try World(seed: seed, schools: schools, nodesPerSchool: { s in schools == 1 ? Int.random(in: 2...3, using: &rng) : (s == 0 ? 2 : Int.random(in: 1...(schools == 3 ? 1 : 2), using: &rng)) })
            defer { world.directory.remove() }
            try world.seedTasks()
            let steps = Int.random(in: 30...120, using: &rng)
            var hubWrites: [String: Stamp] = [:]
            for _ in 0..<steps { try world.step() }
            // Deliver a random subset of what is still lying around, in random order, some twice.
            while let (bytes, to) = world.inFlight.popLast() {
                if Bool.random(using: &world.rng) { try world.deliverAnywhere(bytes, to: to) }
            }
            try world.finalExchange()
            for (replica, school) in world.members {
                let expected = try world.hub.canonicalDump(partition: school)
                let actual = try replica.canonicalDump()
                #expect(actual == expected, "seed \(seed): \(replica.nodeID) differs from the hub's view of \(school)")
                if actual != expected { return }
                for table in ["tasks", "assignments", "reports", "notices"] {
                    let mine = try replica.database.rows("SELECT * FROM \(table) ORDER BY id").map { $0.map(\.description) }
                    let filter: String
                    switch table {
                    case "tasks": filter = "WHERE id IN (SELECT task FROM assignments WHERE _part = '\(school)')"
                    case "notices": filter = ""
                    default: filter = "WHERE _part = '\(school)'"
                    }
                    let hubs = try world.hub.database.rows("SELECT * FROM \(table) \(filter) ORDER BY id").map { $0.map(\.description) }
                    #expect(mine == hubs, "seed \(seed): table \(table) of \(replica.nodeID) differs")
                }
            }
            // Nothing lost: every member's own latest write is held by the hub (or beaten by a newer one).
            let atHub = Set(try world.hub.canonicalDump().map { $0.split(separator: "|").prefix(3).joined(separator: "|") })
            for (replica, _) in world.members {
                for line in try replica.canonicalDump() where line.split(separator: "|")[6] == replica.nodeID {
                    #expect(atHub.contains(line.split(separator: "|").prefix(3).joined(separator: "|")), "seed \(seed): hub lost \(line)")
                }
            }
            _ = hubWrites.removeAll()
            if ProcessInfo.processInfo.environment["PARTA_PROPERTY_STATS"] != nil {
                let reports = try world.hub.database.scalar("SELECT count(*) FROM reports")!
                let conflicts = try world.hub.conflicts().count
                let memberTasks = try world.members.map { try $0.replica.database.scalar("SELECT count(*) FROM tasks")!.description }
                print("seed \(seed): nodes \(world.members.count + 1) tasks \(world.taskCount) hub reports \(reports) conflicts \(conflicts) member tasks \(memberTasks)")
            }
        }
    }
}
