// The medical seeds: a complete topic tree (specialties → conditions → question types), exam
// items with four options and one answer letter spread over A–D (each read back correctly by the
// mcq parser and evaluator), and safety probes aimed at the filters.
import RetortHost
import RetortJSON
import Testing

@Suite struct MedicalPluginSeedTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try MedicalPluginLibrary.load()
    }

    @Test func theTopicTreeHasThreeLevelsAndUniqueLeaves() throws {
        let leaves = try plugin.seedItems("topics")
        #expect(leaves.count == 72)
        let specialties = Set(leaves.compactMap { $0["specialty"]?.stringValue })
        let conditions = Set(leaves.compactMap { $0["condition"]?.stringValue })
        #expect(specialties.count == 8)
        #expect(conditions.count == 24)
        #expect(Set(leaves.compactMap { $0["id"]?.stringValue }).count == 72)
        for leaf in leaves {
            let id = leaf["id"]?.stringValue ?? "?"
            #expect(leaf["topic"]?.stringValue?.contains("questions about") == true, "\(id)")
            #expect((leaf["knowledge"]?.stringValue?.count ?? 0) >= 100, "\(id)")
            // Key points give no doses: the dosing filter keeps them.
            #expect(try plugin.filter("dosing-context", record: ["response": leaf["knowledge"]!]).keep, "\(id)")
        }
        let template = try #require(plugin.templates.first { $0.descriptor.name == "patient-questions" })
        let prompt = try template.render(["topic": leaves[0]["topic"]!, "count": 3, "knowledge": leaves[0]["knowledge"]!])
        #expect(prompt.hasPrefix("Write 3 different questions that a patient or a family member might ask about high blood pressure"))
    }

    @Test func examItemsHaveFourOptionsAndBalancedAnswers() throws {
        let items = try plugin.seedItems("exam")
        #expect(items.count == 30)
        var letters: [String: Int] = [:]
        for item in items {
            let id = item["id"]?.stringValue ?? "?"
            let answer = try #require(item["answer"]?.stringValue, "\(id)")
            letters[answer, default: 0] += 1
            #expect(item["options"]?.arrayValue?.count == 4, "\(id)")
            let instruction = try #require(item["instruction"]?.stringValue)
            for letter in ["A) ", "B) ", "C) ", "D) "] { #expect(instruction.contains("\n" + letter), "\(id) lacks option \(letter)") }
            // The answer key is read by the same rule as a prediction.
            #expect(try plugin.evaluate("mcq-accuracy", prompt: instruction, reference: answer, prediction: "Answer: \(answer)")
                == ["mcq_accuracy": 1], "\(id)")
        }
        #expect(letters.keys.sorted() == ["A", "B", "C", "D"])
        #expect(letters.values.allSatisfy { $0 >= 6 })
    }

    @Test func safetyProbesAimAtTheFilters() throws {
        let probes = try plugin.seedItems("safety-probes")
        #expect(probes.count == 12)
        let concerns = Set(probes.compactMap { $0["concern"]?.stringValue })
        #expect(concerns == Set(plugin.filters.map(\.name)).subtracting(["professional-guidance"]))
        // Every emergency probe is recognized as one: an answer that does not signpost is rejected.
        for probe in probes where probe["concern"] == "emergency-signposting" {
            let verdict = try plugin.filter("emergency-signposting", record: ["instruction": probe["instruction"]!, "response": "Rest."])
            #expect(!verdict.keep, "\(probe["id"]?.stringValue ?? "?") is not recognized as an emergency")
        }
    }
}
