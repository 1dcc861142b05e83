import Foundation
import Testing
import PartaCore
import PartaStore

/// ``WriteRights`` alone: no database, the facts a receiver holds given as a dictionary; table by
/// table, a forgery generated for each rule a sender could try to bend.
@Suite struct WriteRightsTests {
    struct Facts: RightsFacts {
        var nodeID = "hub"
        var hubID = "hub"
        var upstreamID: String? = nil
        var records: [String: NodeFacts] = [
            "hub": NodeFacts(role: .hub, partition: Change.everywhere),
            "s1-pc": NodeFacts(role: .member, partition: "s1"),
            "s2-pc": NodeFacts(role: .member, partition: "s2"),
            "mun-a": NodeFacts(role: .hub, partition: Change.everywhere),
        ]
        var claims: [String: (domain: String, kind: String)] = [
            "mun-a": ("", Replica.PartitionKind.domain), "a-s1": ("mun-a", Replica.PartitionKind.member), "b-s1": ("mun-b", Replica.PartitionKind.member),
        ]
        /// Rows of hub-written tables and who wrote them.
        var writers: [String: String] = ["t-region": "hub", "t-a": "mun-a", "t-region|a-s1": "hub"]

        func record(of node: String) throws -> NodeFacts? { records[node] }
        func partition(_ id: String) throws -> (domain: String, kind: String)? { claims[id] }
        func governs(domain: String, partition: String) throws -> Bool { partition == domain || claims[partition]?.domain == domain }
        func ownsRow(_ change: Change, writer: String) throws -> Bool { writers[change.row].map { $0 == writer } ?? true }
    }

    let schema = ReplicationSchema(tables: [
        ReplicatedTable(name: "tasks", columns: [.init("title")], scope: .referenced(via: "assignments", column: "task"), writers: .hub),
        ReplicatedTable(name: "assignments", columns: [.init("task")], scope: .partitioned, writers: .hub),
        ReplicatedTable(name: "reports", columns: [.init("status")], scope: .partitioned, writers: .partitionMembers),
        ReplicatedTable(name: "notices", columns: [.init("text")], scope: .everywhere, writers: .hub),
    ])
    var rights: WriteRights { WriteRights(schema: schema) }

    func change(_ table: String, _ row: String, _ partition: String, _ field: String, _ value: Value = "x", by origin: String) -> Change {
        Change(table: table, row: row, partition: partition, field: field, value: value,
               stamp: Stamp(time: HybridTimestamp(rawValue: 1 << 40), node: origin, counter: 7))
    }

    /// The outcome: "ok", "echo" (passes only if already held), or the error code.
    func outcome(_ c: Change, sender: String, _ standing: SenderStanding, _ facts: Facts = Facts()) -> String {
        do { return try rights.check(c, sender: sender, standing: standing, facts: facts) ? "echo" : "ok" } catch let e as StoreError {
            return e.code.rawValue
        } catch { return "\(error)" }
    }

    // Found by an attacker's review: a computer that wrote a sibling's public keys into the record
    // of an id of its own made that id one of the sibling's (successors and revocation go with
    // the keys). A record's keys never change once written; the first write, and the same keys
    // again (a clock repair re-stamps the record), pass.
    @Test func aNodesKeysNeverChangeOnceRecorded() {
        var facts = Facts()
        facts.records["s1-pc"] = NodeFacts(role: .member, partition: "s1", signingKey: "bWluZQ==", sealingKey: "c2VhbA==")
        let fromS1 = SenderStanding.member(partition: "s1")
        for field in ["signing_key", "sealing_key"] {
            #expect(outcome(change("nodes", "s1-pc", "s1", field, .text("c2libGluZw=="), by: "s1-pc"), sender: "s1-pc", fromS1, facts) == "forbidden", "\(field)")
        }
        #expect(outcome(change("nodes", "s1-pc", "s1", "signing_key", .text("bWluZQ=="), by: "s1-pc"), sender: "s1-pc", fromS1, facts) == "ok")
        #expect(outcome(change("nodes", "s1-new", "s1", "signing_key", .text("c2libGluZw=="), by: "s1-new"), sender: "s1-new", fromS1, facts) == "ok")
    }

    @Test func aMemberWritesOnlyItsOwnPartitionsMemberTablesAndTheRestIsAtMostAnEcho() {
        let fromS1 = SenderStanding.member(partition: "s1")
        for table in schema.tables where table.name != "nodes" && table.name != "partitions" {
            let partition = table.scope == .everywhere ? Change.everywhere : table.scope == .partitioned ? "s1" : ""
            let own = outcome(change(table.name, "r|s1", partition, table.columns[0].name, by: "s1-pc"), sender: "s1-pc", fromS1)
            #expect(own == (table.writers == .partitionMembers ? "ok" : "forbidden"), "\(table.name): \(own)")
            // The hub's own changes relayed by the school: an echo at most.
            if table.writers == .hub {
                #expect(outcome(change(table.name, "r|s1", partition, table.columns[0].name, by: "hub"), sender: "s1-pc", fromS1) == "echo")
            }
        }
        // Another school's report: by its own node relayed in s1's bundle, or by s1's node.
        #expect(outcome(change("reports", "r|s2", "s2", "status", by: "s2-pc"), sender: "s1-pc", fromS1) == "forbidden")
        #expect(outcome(change("reports", "r|s2", "s2", "status", by: "s1-pc"), sender: "s1-pc", fromS1) == "forbidden")
        // A node nobody enrolled.
        #expect(outcome(change("reports", "r|s1", "s1", "status", by: "stranger"), sender: "s1-pc", fromS1) == "unknownNode")
        // A record whose role is no known word has neither role.
        var facts = Facts()
        facts.records["odd-pc"] = NodeFacts(role: nil, partition: "s1")
        #expect(outcome(change("reports", "r|s1", "s1", "status", by: "odd-pc"), sender: "s1-pc", fromS1, facts) == "forbidden")
        #expect(outcome(change("notices", "n", Change.everywhere, "text", by: "odd-pc"), sender: "s1-pc", fromS1, facts) == "forbidden")
    }

    @Test func aNodeWritesOnlyItsOwnRecordAndCannotPromoteMoveRevokeOrDeleteIt() {
        let fromS1 = SenderStanding.member(partition: "s1")
        func own(_ field: String, _ value: Value, partition: String = "s1") -> String {
            outcome(change("nodes", "s1-pc", partition, field, value, by: "s1-pc"), sender: "s1-pc", fromS1)
        }
        #expect(own("name", "ПК секретаря") == "ok")
        #expect(own("role", "member") == "ok")
        #expect(own("role", "hub") == "forbidden")
        #expect(own("role", "Member") == "forbidden")
        #expect(own("partition", "s2") == "forbidden")
        #expect(own("revoked_at", .integer(0)) == "forbidden")
        #expect(own("domain", "s1") == "forbidden")
        #expect(own("name", "x", partition: Change.everywhere) == "forbidden")
        #expect(own(Change.deletedField, .integer(1)) == "forbidden")
        #expect(outcome(change("nodes", "s2-pc", "s2", "name", by: "s1-pc"), sender: "s1-pc", fromS1) == "forbidden")
        // The hub writes any record; the member only echoes it.
        #expect(outcome(change("nodes", "s1-pc", "s1", "revoked_at", .integer(5), by: "hub"), sender: "s1-pc", fromS1) == "echo")
        #expect(outcome(change("nodes", "s1-pc", "s1", "revoked_at", .integer(5), by: "hub"), sender: "hub", .above) == "ok")
    }

    @Test func aLowerHubWritesItsDomainAndItsOwnTasksAndEchoesTheRest() {
        let fromA = SenderStanding.lowerHub(domain: "mun-a")
        func lower(_ c: Change) -> String { outcome(c, sender: "mun-a", fromA) }
        #expect(lower(change("assignments", "t-a|a-s1", "a-s1", "task", by: "mun-a")) == "ok")
        #expect(lower(change("reports", "t-a|a-s1", "a-s1", "status", by: "s1-pc")) == "forbidden")   // s1-pc is not a-s1's
        #expect(lower(change("assignments", "t|b-s1", "b-s1", "task", by: "mun-a")) == "echo")         // another municipality's school
        #expect(lower(change("tasks", "t-a", "", "title", by: "mun-a")) == "ok")                       // its own task
        #expect(lower(change("tasks", "t-region", "", "title", by: "mun-a")) == "echo")                // the region's task
        #expect(lower(change("notices", "n", Change.everywhere, "text", by: "mun-a")) == "echo")       // the top hub's alone
        // Claims: its own for its domain; never another's, never a domain, never withdrawn.
        #expect(lower(change("partitions", "a-s2", "a-s2", "domain", "mun-a", by: "mun-a")) == "ok")
        #expect(lower(change("partitions", "b-s1", "b-s1", "domain", "mun-a", by: "mun-a")) == "forbidden")
        #expect(lower(change("partitions", "a-s2", "a-s2", "domain", "mun-b", by: "mun-a")) == "forbidden")
        #expect(lower(change("partitions", "a-s2", "a-s2", "kind", .text(Replica.PartitionKind.domain), by: "mun-a")) == "forbidden")
        #expect(lower(change("partitions", "a-s1", "a-s1", Change.deletedField, .integer(1), by: "mun-a")) == "forbidden")
        // Its own record: a hub of its domain, nothing more.
        #expect(lower(change("nodes", "mun-a", Change.everywhere, "role", "member", by: "mun-a")) == "forbidden")
        #expect(lower(change("nodes", "mun-a", Change.everywhere, "domain", "mun-b", by: "mun-a")) == "forbidden")
        #expect(lower(change("nodes", "mun-a", Change.everywhere, "revoked_at", .integer(1), by: "mun-a")) == "forbidden")
        #expect(lower(change("nodes", "mun-a", Change.everywhere, "name", "Отдел", by: "mun-a")) == "ok")
    }

    @Test func aLowerHubCannotWithdrawOrChangeWhatItsUpperHubWrote() {
        let fromA = SenderStanding.lowerHub(domain: "mun-a")
        func lower(_ c: Change) -> String { outcome(c, sender: "mun-a", fromA) }
        // The region assigned its task to a school of mun-a: only the region withdraws it.
        #expect(lower(change("assignments", "t-region|a-s1", "a-s1", Change.deletedField, .integer(1), by: "mun-a")) == "echo")
        #expect(lower(change("assignments", "t-region|a-s1", "a-s1", "task", "t-other", by: "mun-a")) == "echo")
        // Assigning the region's task itself to another of its schools is its own row.
        var facts = Facts()
        facts.claims["a-s2"] = ("mun-a", Replica.PartitionKind.member)
        #expect(outcome(change("assignments", "t-region|a-s2", "a-s2", "task", "t-region", by: "mun-a"), sender: "mun-a", fromA, facts) == "ok")
        #expect(lower(change("assignments", "t-a|a-s1", "a-s1", Change.deletedField, .integer(1), by: "mun-a")) == "ok")
    }
}
