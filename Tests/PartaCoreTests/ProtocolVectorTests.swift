import Crypto
import Foundation
import Testing
@testable import PartaCore

/// Every file pair in Protocol/vectors/v2 holds: valid bundles decode to exactly what their
/// .json states and re-encode to the same bytes; invalid ones fail with the stated error code,
/// at the stated step. keys.json holds the fixed secrets they were made with.
@Suite struct ProtocolVectorTests {
    static func vectorNames() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: ProtocolFiles.vectorsV2.path)) ?? []
        return files.filter { $0.hasSuffix(".json") && $0.first?.isNumber == true }.map { String($0.dropLast(5)) }.sorted()
    }

    static func load(_ name: String) throws -> (bytes: [UInt8], expected: VectorExpectation) {
        let directory = ProtocolFiles.vectorsV2
        let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name + ".bin")))
        return (bytes, try VectorExpectation.load(directory.appendingPathComponent(name + ".json")))
    }

    @Test func everyVectorHasBothFilesAndTheCatalogueIsComplete() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: ProtocolFiles.vectorsV2.path)
        let bins = Set(files.filter { $0.hasSuffix(".bin") }.map { String($0.dropLast(4)) })
        let jsons = Set(Self.vectorNames())
        #expect(bins == jsons)
        #expect(files.contains("keys.json"))
        #expect(jsons.isSuperset(of: ["001-empty-bundle", "002-one-change", "003-all-value-types", "004-two-rows-shared-strings",
                                      "008-enrollment-proof", "009-sealed-to-three",
                                      "101-truncated-header", "102-bad-magic", "103-future-version",
                                      "104-flipped-sealed-bit", "105-unknown-flags", "106-zero-length",
                                      "131-flipped-signature-bit", "132-signed-by-another-key", "133-sealed-to-another-node",
                                      "134-altered-sealed-byte"]))
        #expect(!FileManager.default.fileExists(atPath: ProtocolFiles.packageRoot().appendingPathComponent("Protocol/vectors/v1").path),
                "format 1 is superseded")
    }

    /// sync-http-v1.md §5.10: the upload id, `Parta-Signature` and `30 + H` it states for vector 002
    /// are the bundle's checksum (the SHA-256 of what precedes it), signature and prefix.
    @Test func theResumableUploadExampleMatchesItsVector() throws {
        let spec = try String(contentsOf: ProtocolFiles.packageRoot().appendingPathComponent("Protocol/sync-http-v1.md"), encoding: .utf8)
        func stated(_ name: String) -> String? {
            spec.components(separatedBy: "\n").first { $0.hasPrefix("| `\(name)` | `") }
                .map { $0.components(separatedBy: "`")[3] }
        }
        let bytes = try Self.load("002-one-change").bytes
        let (checksum, signature) = try #require(ChangeSetReader.trailer(of: bytes))
        let prefix = try #require(try ChangeSetReader.readPrefix(bytes))
        #expect(prefix.totalLength == UInt64(bytes.count) && spec.contains("(\(bytes.count) bytes;"))
        #expect(Array(SHA256.hash(data: bytes[..<(bytes.count - 96)])) == checksum)
        #expect(stated("{id}") == checksum.hex)
        #expect(stated("Parta-Signature") == Data(signature).base64EncodedString())
        #expect(stated("30 + H") == String(prefix.length))
        #expect(ChangeSetReader.isValidSignature(signature, checksum: checksum, signingKey: VectorKeys.sender.publicKeys.signing))
    }

    /// keys.json states the secrets the test support uses, and their public halves.
    @Test func keysJSONMatchesTheVectorKeys() throws {
        let url = ProtocolFiles.vectorsV2.appendingPathComponent("keys.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        for (name, keys, signing, sealing) in [("sender", VectorKeys.sender, UInt8(0x00), UInt8(0x20)),
                                               ("recipient", VectorKeys.recipient, 0x40, 0x60), ("other", VectorKeys.other, 0x80, 0xA0)] {
            let node = try #require(json[name] as? [String: Any])
            let signingSeed = try #require([UInt8](hex: node["signingSeed"] as? String ?? ""))
            let sealingPrivate = try #require([UInt8](hex: node["sealingPrivate"] as? String ?? ""))
            #expect(signingSeed == VectorKeys.secret(from: signing))
            #expect(sealingPrivate == VectorKeys.secret(from: sealing))
            let derived = try #require(NodeKeys(signingSeed: signingSeed, sealingSeed: sealingPrivate))
            #expect(derived.publicKeys == keys.publicKeys)
            #expect(node["signingPublic"] as? String == keys.publicKeys.signing.hex)
            #expect(node["sealingPublic"] as? String == keys.publicKeys.sealing.hex)
        }
        #expect(json["fileKey"] as? String == VectorKeys.fileKey.hex)
        #expect(json["ephemeralPrivate"] as? String == VectorKeys.ephemeralSecret.hex)
        #expect(json["ephemeralPublic"] as? String == VectorKeys.ephemeralPublic.hex)
        let code = try #require(json["enrollmentCode"] as? [String: Any])
        #expect(code["normalized"] as? String == VectorKeys.code.normalized)
        #expect(EnrollmentCode(code["code"] as? String ?? "") == VectorKeys.code)
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
        #expect(header.senderKeys == VectorCatalogue.signer(named: expected.signedBy ?? "").publicKeys)

        // One change per batch must give the same result as one batch.
        let sameInSmallBatches = exactlyEqual(try decodeBundle(bytes, batch: 1).changes, changes)
        #expect(sameInSmallBatches)

        let parts = try splitBundle(bytes)
        #expect(parts.header.hex == expected.headerHex)
        #expect(parts.payload.hex == expected.payloadHex)

        // Each named recipient opens it, with its key or with the code.
        let sealedFor = try #require(expected.sealedFor)
        #expect(sealedFor.count == header.stanzas.count)
        for recipient in sealedFor {
            let opened: [Change]
            switch recipient {
            case "enrollmentCode": opened = try decodeBundle(bytes, keys: nil, codes: [VectorKeys.code]).changes
            default: opened = try decodeBundle(bytes, keys: VectorCatalogue.signer(named: recipient)).changes
            }
            #expect(exactlyEqual(opened, changes), "\(name) opened by \(recipient)")
        }

        if let proof = header.enrollmentProof {
            #expect(VectorKeys.code.verifies(proof, node: header.sender, partition: header.senderPartition,
                                             keys: try #require(header.senderKeys)))
        }

        if expected.canonical ?? true {
            let reencoded = try encodeBundle(header, changes, sealedFor: sealedFor.map(VectorCatalogue.sealRecipient(named:)),
                                             enrollmentProof: header.enrollmentProof)
            let reparts = try splitBundle(reencoded)
            #expect(reparts.header == parts.header, "header bytes of \(name) differ on re-encoding")
            #expect(reparts.payload == parts.payload, "payload bytes of \(name) differ on re-encoding")
            #expect(reparts.sealed == parts.sealed, "sealed bytes of \(name) differ on re-encoding")
            #expect(sameBundle(reencoded, bytes), "bundle bytes of \(name) differ on re-encoding")
        }
    }

    @Test(arguments: vectorNames())
    func invalidVectorFailsWithItsErrorCodeAtItsStep(name: String) throws {
        let (bytes, expected) = try Self.load(name)
        guard !expected.valid else { return }
        let code = try #require(expected.error)
        #expect(errorCode { _ = try decodeBundle(bytes) }?.rawValue == code, "\(name)")
        let step = try #require(expected.step)
        #expect(VectorCatalogue.failingStep(bytes) == step, "\(name)")
    }

    @Test(arguments: vectorNames())
    func checksumAndSignatureOfEveryValidVectorAreSHA256AndEd25519OfThePrecedingBytes(name: String) throws {
        let (bytes, expected) = try Self.load(name)
        guard expected.valid else { return }
        let checksum = Array(bytes.dropLast(64).suffix(32))
        #expect(SHA256Reference.hash(Array(bytes.dropLast(96))) == checksum)
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: VectorKeys.sender.publicKeys.signing)
        #expect(key.isValidSignature(Array(bytes.suffix(64)), for: Array("parta-bundle-v2-signature".utf8) + checksum))
        #expect(Array(bytes.prefix(10)) == [0x50, 0x41, 0x52, 0x54, 0x41, 0x42, 0x00, 0x02, 0x00, 0x03])
    }

    /// The generator's own checks (each valid input round-trips, each invalid one fails as its vector
    /// states) still hold for the current codec, even though the published files never change.
    @Test func catalogueInputsStillBehaveAsTheirVectorsState() throws {
        let catalogue = try VectorCatalogue.all()
        #expect(catalogue.count == Self.vectorNames().count)
        #expect(catalogue.map(\.name).sorted() == Self.vectorNames())
        if VectorKeys.signaturesAreDeterministic {
            for vector in catalogue {
                let published = try Self.load(vector.name).bytes
                #expect(published == vector.bytes, "\(vector.name) is no longer what the catalogue makes")
            }
        }
    }

    @Test func referenceSHA256MatchesTheFIPSExample() {
        #expect(SHA256Reference.hash(Array("abc".utf8)).hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Reference.hash([]).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// RFC 8032 §7.1, test 1: swift-crypto's Ed25519 is the standard one, keyed by the 32-byte seed
    /// as keys.json states it.
    @Test func ed25519MatchesRFC8032TestOne() throws {
        let seed = try #require([UInt8](hex: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        #expect(Array(key.publicKey.rawRepresentation).hex == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let expected = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        let signature = Array(try key.signature(for: [UInt8]()))
        #expect(key.publicKey.isValidSignature(try #require([UInt8](hex: expected)), for: [UInt8]()))
        if VectorKeys.signaturesAreDeterministic { #expect(signature.hex == expected) }
    }
}
