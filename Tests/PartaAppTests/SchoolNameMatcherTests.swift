import Testing
import PartaApp

@Suite struct SchoolNameMatcherTests {
    let matcher = SchoolNameMatcher([
        .init(id: "muchkap", name: "МБОУ Мучкапская СОШ им. А.А. Гордеева"),
        .init(id: "shapkino", name: "Шапкинский филиал МБОУ Мучкапской СОШ"),
        .init(id: "sergievka", name: "Сергиевский филиал"),
        .init(id: "g1", name: "МАОУ «Гимназия № 1»"),
        .init(id: "g2", name: "МАОУ «Гимназия № 2»"),
    ])

    @Test func aSchoolIsFoundByItsNameInAnyCase() {
        for mention in ["МБОУ Мучкапская СОШ", "МБОУ Мучкапской СОШ", "мбоу мучкапскую сош", "Мучкапской средней школе"] {
            #expect(matcher.school(namedIn: mention) == "muchkap", "\(mention)")
        }
        #expect(matcher.school(namedIn: "МБОУ Мучканской СОШ") == "muchkap", "one letter mistyped, as in a real resolution")
        #expect(matcher.school(namedIn: "Шапкинскому филиалу") == "shapkino")
        #expect(matcher.school(namedIn: "Сергиевского филиала") == "sergievka")
        #expect(matcher.school(namedIn: "МАОУ «Гимназии № 2»") == "g2")
    }

    @Test func genericAmbiguousOrUnknownMentionsMatchNothing() {
        for mention in ["МБОУ СОШ", "образовательным организациям", "Гимназии", "МБОУ Липовской СОШ", "Руководителям школ", ""] {
            #expect(matcher.school(namedIn: mention) == nil, "\(mention)")
        }
    }

    @Test func anAddresseeLineMayNameSeveralSchools() {
        #expect(matcher.schools(namedIn: "МБОУ Мучкапской СОШ, Шапкинскому филиалу МБОУ Мучкапской СОШ") == ["muchkap", "shapkino"])
        #expect(matcher.schools(namedIn: "МАОУ «Гимназия № 1» МАОУ «Гимназия № 2»") == ["g1", "g2"])
        #expect(matcher.schools(namedIn: "Руководителям образовательных организаций") == [])
    }
}
