import Testing
import PartaStore
import PartaBundle

@Suite struct BundleErrorWrapTests {
    // A refusal whose own message already says nothing was changed says it once (it was doubled).
    @Test func nothingWasChangedIsSaidOnce() {
        let said = PartaCoreError(.notForThisNode, Message(en: "The code does not open it. Nothing was changed.",
                                                           ru: "Код не подходит. Ничего не изменено."))
        let wrapped = BundleError.wrap(said, path: "KS/s1/from-hub.parta")
        #expect(wrapped.message.en == "KS/s1/from-hub.parta: The code does not open it. Nothing was changed.")
        #expect(wrapped.message.ru == "KS/s1/from-hub.parta: Код не подходит. Ничего не изменено.")
        let bare = BundleError.wrap(PartaCoreError(.badSignature, Message(en: "Bad signature.", ru: "Неверная подпись.")), path: "x.parta")
        #expect(bare.message.en == "x.parta: Bad signature. Nothing was changed.")
        #expect(bare.message.ru == "x.parta: Неверная подпись. Ничего не изменено.")
    }
}
