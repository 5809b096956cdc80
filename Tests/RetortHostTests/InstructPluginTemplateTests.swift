// Every instruct template renders with its slots through the host's Mustache renderer; optional
// slots leave no empty heading behind; text is never HTML-escaped.
import Foundation
import RetortHost
import RetortJSON
import Testing

@Suite struct InstructPluginTemplateTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try InstructPluginLibrary.load()
    }

    func render(_ name: String, _ values: [String: JSONValue]) throws -> String {
        let template = try #require(plugin.templates.first { $0.descriptor.name == name }, "no template \(name)")
        return try template.render(values)
    }

    @Test func everyTemplateRendersEachOfItsSlots() throws {
        for template in plugin.templates {
            let values = Dictionary(uniqueKeysWithValues: template.descriptor.slots.map { ($0, JSONValue.string("«\($0) value»")) })
            let text = try template.render(values)
            for slot in template.descriptor.slots {
                #expect(text.contains("«\(slot) value»"), "\(template.descriptor.name) did not show \(slot)")
            }
            #expect(!text.contains("{{") && !text.contains("}}"), "\(template.descriptor.name) left a tag: \(text)")
            #expect(text == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(template.descriptor.name) has edge whitespace")
            #expect(text.count > 40, "\(template.descriptor.name) is nearly empty")
        }
    }

    @Test func answerShowsTheInputSectionOnlyWhenThereIsInput() throws {
        let withInput = try render("answer", ["instruction": "Classify the sentiment.", "input": "I loved it."])
        #expect(withInput == "Classify the sentiment.\n\nInput:\nI loved it.")
        let withoutInput = try render("answer", ["instruction": "Name three rivers.", "input": ""])
        #expect(withoutInput == "Name three rivers.")
    }

    @Test func topicQuestionsShowsBackgroundOnlyWhenGiven() throws {
        let grounded = try render("topic-questions", ["topic": "bees", "count": 5, "knowledge": "Bees pollinate flowers."])
        #expect(grounded.hasPrefix("Write 5 different questions or requests that a user might ask an AI assistant about bees."))
        #expect(grounded.contains("Background on the topic:\nBees pollinate flowers."))
        let bare = try render("topic-questions", ["topic": "bees", "count": 5, "knowledge": ""])
        #expect(!bare.contains("Background"))
        #expect(bare.contains("advice and creative tasks.\n\nWrite one per line"))
    }

    @Test func userSimulatorShowsTheConversationSoFar() throws {
        let conversation = "User: How do bees make honey?\nAssistant: From nectar they collect."
        let text = try render("user-simulator", ["topic": "bees", "conversation": .string(conversation)])
        #expect(text.contains("about bees. This is the conversation so far:\n\n\(conversation)\n\nWrite the user's next message"))
        let opening = try render("user-simulator", ["topic": "bees", "conversation": ""])
        #expect(!opening.contains("conversation so far"))
        #expect(opening.contains("about bees.\n\nWrite the user's next message"))
    }

    @Test func selfInstructContinuesTheGivenNumbering() throws {
        let examples = "1. Name three rivers in Africa.\n2. Rewrite the sentence in the past tense."
        let text = try render("self-instruct", ["examples": .string(examples), "count": 4])
        #expect(text.contains("people give to an AI assistant:\n\(examples)\n\nWrite 4 new tasks."))
        #expect(text.contains("Continue the numbering above, one task per line"))
    }

    @Test func evolTemplatesAskForOnlyTheRewrittenInstruction() throws {
        for name in ["evol-constraints", "evol-deepen", "evol-concretize", "evol-reasoning", "evol-breadth"] {
            let text = try render(name, ["instruction": "Explain photosynthesis."])
            #expect(text.contains("Instruction:\nExplain photosynthesis.\n\nReply with only the new instruction."), "\(name)")
        }
        #expect(try render("evol-breadth", ["instruction": "x"]).contains("same domain"))
        #expect(try render("evol-constraints", ["instruction": "x"]).contains("constraint"))
    }

    @Test func judgeTemplatesSpellOutTheFormatTheirParsersRead() throws {
        let pair: [String: JSONValue] = ["instruction": "Q", "response": "R"]
        #expect(try render("rubric", pair).hasSuffix("Rationale: <one or two sentences>\nScore: <a whole number from 1 to 10>"))
        #expect(try render("pairwise", ["instruction": "Q", "response_a": "first", "response_b": "second"])
            .contains("Response A:\nfirst\n\nResponse B:\nsecond\n\nReply in exactly this format:\nRationale: <one or two sentences>\nVerdict: <A, B or tie>"))
        #expect(try render("aspects", pair).hasSuffix(
            "Helpfulness: <1 to 5>\nHonesty: <1 to 5>\nInstruction following: <1 to 5>\nTruthfulness: <1 to 5>"))
        #expect(try render("solve", ["instruction": "2 + 2?"]).contains("\"Answer: <final answer>\""))
        #expect(try render("revise", ["instruction": "Q", "response": "R", "critique": "- too long"])
            .contains("Critique:\n- too long\n\nWrite only the improved response"))
    }

    @Test func systemMessagesNeedNoSlots() throws {
        #expect(try render("system-step-by-step", [:]).contains("step by step"))
        #expect(try render("system-eli5", [:]).contains("five-year-old"))
        #expect(try render("system-concise", [:]).contains("concisely"))
    }

    @Test func textIsNotHTMLEscaped() throws {
        let text = try render("answer", ["instruction": "Is 3 < 4 && \"x\" > 'y'?", "input": "<b>&amp;</b>"])
        #expect(text == "Is 3 < 4 && \"x\" > 'y'?\n\nInput:\n<b>&amp;</b>")
    }

    @Test func aMissingSlotIsAnErrorNamingIt() throws {
        let template = try #require(plugin.templates.first { $0.descriptor.name == "pairwise" })
        do {
            _ = try template.render(["instruction": "Q", "response_a": "A"])
            Issue.record("expected a missing-slot error")
        } catch {
            #expect(error.message.contains("missing slot 'response_b'"), "\(error.message)")
            #expect(error.template == "instruct.pairwise")
        }
    }
}
