import Foundation

/// `book-loans demo`: a district library and two schools exchanging loans by USB stick.
@main
struct BookLoansCommand {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.first == "demo" else {
            print("usage: book-loans demo   (runs a district library and two schools in a temporary folder)")
            exit(arguments.isEmpty ? 0 : 2)
        }
        try demo()
    }

    static func demo() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("book-loans-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let stick = root + "/stick"
        var clock = UInt64(Date().timeIntervalSince1970 * 1000)
        func now() -> UInt64 { clock += 1000; return clock }

        let hub = try LibraryApp.createHub(at: root + "/district.sqlite", id: "district", now: now())
        let north = try LibraryApp.createSchool(at: root + "/north.sqlite", school: "north", hub: hub, now: now())
        let south = try LibraryApp.createSchool(at: root + "/south.sqlite", school: "south", hub: hub, now: now())

        for (id, title, author) in [("dune", "Dune", "Frank Herbert"), ("matilda", "Matilda", "Roald Dahl"),
                                    ("hobbit", "The Hobbit", "J. R. R. Tolkien"), ("momo", "Momo", "Michael Ende")] {
            try hub.addBook(id, title: title, author: author, now: now())
        }
        for (copy, book, school) in [("N-001", "dune", "north"), ("N-002", "matilda", "north"),
                                     ("S-001", "dune", "south"), ("S-002", "hobbit", "south")] {
            try hub.placeCopy(copy, of: book, at: school, now: now())
        }
        for bundle in try hub.exportStick(to: stick, now: now()) { print("district -> \(bundle.recipient): \(bundle.changeCount) changes") }
        for school in [north, south] {
            let imported = try school.importStick(from: stick, now: now())
            print("\(school.replica.role.partition) received \(imported.applied.map(\.applied).reduce(0, +)) changes;",
                  "titles: \(try school.booksHeld().joined(separator: ", "))")
        }

        try north.lend(copy: "N-001", to: "Ann", due: "2025-06-01", now: now())
        try north.lend(copy: "N-002", to: "Ben", due: "2025-06-08", now: now())
        try south.lend(copy: "S-001", to: "Cat", due: "2025-06-02", now: now())
        let dans = try south.lend(copy: "S-002", to: "Dan", due: "2025-06-03", now: now())
        try south.giveBack(loan: dans, now: now())
        for school in [north, south] {
            for bundle in try school.exportStick(to: stick, now: now()) {
                print("\(school.replica.role.partition) -> \(bundle.recipient): \(bundle.changeCount) changes")
            }
        }

        for failure in try hub.importStick(from: stick, now: now()).failures { print("refused: \(failure)") }
        print("\nCopies out, as the district library sees them:")
        for school in try hub.schools() {
            let loans = try hub.openLoans().filter { $0.school == school }
            print("  \(school): \(loans.count) out")
            for loan in loans { print("    \(loan)") }
        }
    }
}
