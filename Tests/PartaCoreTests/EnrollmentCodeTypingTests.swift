import Testing
@testable import PartaCore

/// Codes as clerks type them: read off paper, often on a Russian keyboard layout.
@Suite struct EnrollmentCodeTypingTests {
    let code = EnrollmentCode("7K3M-9QXR-2HFD-WT5B")!

    @Test func cyrillicLookAlikesReadAsTheLatinLetters() throws {
        // К, М, Х, Н, Т, В typed in Cyrillic capitals.
        #expect(EnrollmentCode("7К3М-9QХR-2НFD-WТ5В") == code)
        // …and in lower case (к, м, х, н, т, в).
        #expect(EnrollmentCode("7к3м-9qхr-2нfd-wт5в") == code)
        // Every look-alike, capital and small, maps to its Latin symbol; О reads as 0 like O.
        let pairs: [(String, String)] = [("А", "A"), ("В", "B"), ("Е", "E"), ("К", "K"), ("М", "M"), ("Н", "H"), ("О", "0"),
                                         ("Р", "P"), ("С", "C"), ("Т", "T"), ("Х", "X"), ("У", "Y")]
        for (cyrillic, latin) in pairs {
            for typed in [cyrillic, cyrillic.lowercased()] {
                let text = "ABCD-EFGH-JKMN-PQR" + typed
                #expect(EnrollmentCode(text)?.normalized == "ABCDEFGHJKMNPQR" + latin, "\(typed) should read as \(latin)")
            }
        }
    }

    @Test func dashesAndSpacesOfEveryKindAreIgnored() {
        #expect(EnrollmentCode("7K3M–9QXR—2HFD\u{00A0}WT5B") == code)
        #expect(EnrollmentCode("\t7K3M 9QXR 2HFD WT5B ") == code)
    }

    @Test func otherMistakesNameTheCharacterAndItsPosition() {
        // Ж looks like nothing in the alphabet: the 6th character typed (the dash counts).
        #expect(EnrollmentCode.parse("7K3M-Ж9XR-2HFD-WT5B") == .failure(.character("Ж", position: 6)))
        // U is Latin but not in Crockford's alphabet.
        #expect(EnrollmentCode.parse("7K3M-9QXR-2HFD-WT5U") == .failure(.character("U", position: 19)))
        #expect(EnrollmentCode.parse("7K3M.9QXR") == .failure(.character(".", position: 5)))
        #expect(EnrollmentCode.parse("7K3M-9QXR-2HFD-WT5") == .failure(.length(15)))
        #expect(EnrollmentCode.parse("7K3M-9QXR-2HFD-WT5BB") == .failure(.length(17)))
        #expect(EnrollmentCode.parse("") == .failure(.length(0)))
        #expect(EnrollmentCode("7K3M-Ж9XR-2HFD-WT5B") == nil)
    }

    @Test func theNormalisedCodeIsTheSameWhateverWasTyped() throws {
        // Only the normalised code enters keys and proofs: a Cyrillic-typed code opens the same bundle.
        let typed = try #require(EnrollmentCode("7к3м 9qхr 2нfd wт5в"))
        #expect(typed.normalized == code.normalized)
        #expect(typed.description == "7K3M-9QXR-2HFD-WT5B")
    }
}
