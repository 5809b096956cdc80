// The law plugin loads as a vertical and declares its system prompts, IRAC and curation
// templates, parsers, filters, evaluators and seeds.
import RetortHost
import RetortJSON
import Testing

@Suite struct LawPluginLoadTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try LawPluginLibrary.load()
    }

    @Test func manifestDescribesALegalVertical() {
        #expect(plugin.id == "law")
        #expect(plugin.manifest.kind == .vertical)
        #expect(plugin.manifest.raw["provides"]?["strategies"] == ["labeling", "curation", "self-knowledge"])
        #expect(plugin.manifest.raw["provides"]?["recommended_objectives"]
            == [["name": "sft", "weight": 0.6], ["name": "forward-kl", "weight": 0.4]])
    }

    @Test func everythingTheRecipesUseIsDeclared() {
        let templates = Dictionary(uniqueKeysWithValues: plugin.templates.map { ($0.descriptor.name, $0.descriptor) })
        #expect(Set(templates.keys) == ["system-irac", "system-plain-language", "irac", "issue-questions", "choose"])
        #expect(templates["system-irac"]?.role == "system")
        #expect(templates["irac"]?.slots == ["instruction", "input"])
        #expect(templates["issue-questions"]?.slots == ["topic", "count", "knowledge"])
        #expect(templates["choose"]?.strategy == "self-knowledge")
        for template in templates.values {
            for slot in template.slots { #expect(template.text.contains("{{\(slot)}}"), "\(template.name) never shows \(slot)") }
        }
        #expect(plugin.parsers.map(\.name) == ["irac", "citations", "choice", "question-list"])
        #expect(plugin.filters.map(\.name) == ["known-citations", "irac-complete"])
        #expect(plugin.evaluators.map(\.name) == ["multiple-choice", "citation-validity", "irac-structure"])
        #expect(plugin.tools.map(\.name) == ["check_citations"])
        #expect(plugin.seeds.map(\.name) == ["topics", "questions", "exam", "citations"])
        #expect(plugin.seeds.map(\.kind) == ["topics", "tasks", "eval", "documents"])
    }

    @Test func theIRACSystemPromptForbidsInventedCitations() throws {
        let system = try #require(plugin.templates.first { $0.descriptor.name == "system-irac" })
        #expect(try system.render([:]).contains("never invent a citation"))
    }
}
