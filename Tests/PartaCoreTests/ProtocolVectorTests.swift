import Foundation
import Testing
@testable import PartaCore

/// Every file pair in Protocol/vectors/v1 holds: valid bundles decode to exactly what their
/// .json states and re-encode to the same bytes; invalid ones fail with the stated error code.
@Suite struct ProtocolVectorTests {
    static func vectorNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: ProtocolFiles.vectorsV1.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func load(_ name: String) throws -> (bytes: [UInt8], expected: VectorExpectation) {
        let directory = ProtocolFiles.vectorsV1
        let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name + ".bin")))
        return (bytes, try VectorExpectation.load(directory.appendingPathComponent(name + ".json")))
    }

    @Test func everyVectorHasBothFilesAndTheCatalogueIsComplete() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: ProtocolFiles.vectorsV1.path)
        let bins = Set(files.filter { $0.hasSuffix(".bin") }.map { String($0.dropLast(4)) })
        let jsons = Set(Self.vectorNames())
        #expect(bins == jsons)
        #expect(jsons.isSuperset(of: ["001-empty-bundle", "002-one-change", "003-all-value-types", "004-two-rows-shared-strings",
                                      "101-truncated-header", "102-bad-magic", "103-future-version",
                                      "104-flipped-payload-bit", "105-nonzero-flags", "106-zero-length"]))
    }

    @Test(arguments: vectorNames())
    func validVectorDecodesToItsJSONAndReencodesToTheSameBytes(name: String) throws {
        let (bytes, expected) = try Self.load(name)
        guard expected.valid else { return }
        let (header, changes) = try expected.expectedContents()

        let decoded = try decodeBundle(bytes)
        #expect(decoded.header == header)
        let same = exactlyEqual(decoded.changes, changes)
        #expect(same, "changes of \(name) differ from its .json")
        #expect(decoded.header.created.description == expected.header?.created.time)
        for change in expected.changes ?? [] {
            for stamp in [change.stamp] + (change.replaced.map { [$0] } ?? []) {
                #expect(try VectorExpectation.timestamp(stamp.hlc).description == stamp.time, "the readable time of \(stamp.hlc)")
            }
        }

        // One change per batch must give the same result as one batch.
        let sameInSmallBatches = exactlyEqual(try decodeBundle(bytes, batch: 1).changes, changes)
        #expect(sameInSmallBatches)

        let parts = try splitBundle(bytes)
        #expect(parts.header.hex == expected.headerHex)
        #expect(parts.payload.hex == expected.payloadHex)

        if expected.canonical ?? true {
            let reencoded = try encodeBundle(header, changes)
            let reparts = try splitBundle(reencoded)
            #expect(reparts.header == parts.header, "header bytes of \(name) differ on re-encoding")
            #expect(reparts.payload == parts.payload, "payload bytes of \(name) differ on re-encoding")
            #expect(reencoded == bytes, "bundle bytes of \(name) differ on re-encoding")
        }
    }

    @Test(arguments: vectorNames())
    func invalidVectorFailsWithItsErrorCode(name: String) throws {
        let (bytes, expected) = try Self.load(name)
        guard !expected.valid else { return }
        let code = try #require(expected.error)
        #expect(errorCode { _ = try decodeBundle(bytes) }?.rawValue == code, "\(name)")
    }

    @Test(arguments: vectorNames())
    func checksumOfEveryWellFramedVectorIsSHA256OfThePrecedingBytes(name: String) throws {
        let (bytes, expected) = try Self.load(name)
        guard expected.valid else { return }
        #expect(SHA256Reference.hash(Array(bytes.dropLast(32))) == Array(bytes.suffix(32)))
    }

    /// The generator's own checks (each valid input round-trips, each invalid one fails as its vector
    /// states) still hold for the current codec, even though the published files never change.
    @Test func catalogueInputsStillBehaveAsTheirVectorsState() throws {
        #expect(try VectorCatalogue.all().count == Self.vectorNames().count)
    }

    @Test func referenceSHA256MatchesTheFIPSExample() {
        #expect(SHA256Reference.hash(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Reference.hash([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}
