import Testing
import PartaCore

@Suite struct FilePathTests {
    @Test(arguments: [
        ("A", "", "A"),
        ("E", "", "E"),
        ("./A", ".", "A"),
        ("/A", "/", "A"),
        ("A/", "", "A"),
        ("A//", "", "A"),
        ("/", "/", "/"),
        ("//", "/", "/"),
        ("", "", ""),
        ("a/b/c", "a/b", "c"),
        ("a/b/c/", "a/b", "c"),
        ("a//b", "a", "b"),
        ("/a/b", "/a", "b"),
        ("../K", "..", "K"),
        ("école/ключ", "école", "ключ"),
    ])
    func splitsAPathIntoItsFolderAndLastName(path: String, parent: String, last: String) {
        #expect(FilePath.parent(path) == parent)
        #expect(FilePath.lastComponent(path) == last)
    }

    @Test func joiningPutsOneSlashBetweenAndNoneAfterAnEmptyFolder() {
        #expect(FilePath.joining("", "x") == "x")
        #expect(FilePath.joining(".", "x") == "./x")
        #expect(FilePath.joining("/", "x") == "/x")
        #expect(FilePath.joining("a/b", "x") == "a/b/x")
    }

    @Test func climbingParentsOfARelativePathEndsAtTheEmptyFolder() {
        var path = "a/b/c"
        var seen: [String] = []
        while !path.isEmpty { seen.append(path); path = FilePath.parent(path) }
        #expect(seen == ["a/b/c", "a/b", "a"])
        #expect(FilePath.parent("/") == "/")
    }
}
