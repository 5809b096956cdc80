// Renders the real chat templates in Fixtures/chat_templates (SmolLM2, Llama-3, Mistral v0.2, Qwen2.5
// with tools, Gemma-2, Mistral v0.3 with tool calls and results) on the conversations of expected.json
// and compares byte for byte with what jinja2 rendered (make_chat_template_fixtures.py); templates
// that raise must raise the same message. Also checks the SmolLM2 fixture is the template inside the
// real GGUF.
import Foundation
import RetortJSON
@testable import RetortModels
import Testing

enum ChatTemplateFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/chat_templates")

    static func source(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    static func cases() throws -> [JSONValue] {
        let text = try String(contentsOf: folder.appendingPathComponent("expected.json"), encoding: .utf8)
        return try #require(try JSONValue(parsing: text)["cases"]?.arrayValue)
    }
}

struct ChatTemplateFixtureTests {
    @Test(arguments: ["smollm2.jinja", "llama3.jinja", "mistral.jinja", "qwen2.5.jinja", "gemma2.jinja", "mistral-v0.3.jinja"])
    func rendersLikeJinja2(template name: String) throws {
        let template = try ChatTemplate(source: try ChatTemplateFixtures.source(name))
        let cases = try ChatTemplateFixtures.cases().filter { $0["template"]?.stringValue == name }
        #expect(cases.count >= 6)
        for c in cases {
            let label = "\(name) \(c["conversation"]?.stringValue ?? "?") agp=\(c["add_generation_prompt"] == .bool(true))"
            let render = { () throws(ChatTemplateError) -> String in
                try template.render(
                    messages: c["messages"]?.arrayValue ?? [],
                    addGenerationPrompt: c["add_generation_prompt"]?.boolValue ?? false,
                    bosToken: c["bos_token"]?.stringValue ?? "", eosToken: c["eos_token"]?.stringValue ?? "",
                    tools: c["tools"]?.arrayValue)
            }
            if let expected = c["expected"]?.stringValue {
                let output = try render()
                #expect(output == expected, "\(label)")
            } else {
                let message = try #require(c["error"]?.stringValue)
                do {
                    let output = try render()
                    Issue.record("\(label): expected raise '\(message)', rendered \(output.debugDescription)")
                } catch {
                    guard case .raised(let m, _) = error else {
                        Issue.record("\(label): expected raise, got \(error)")
                        continue
                    }
                    #expect(m == message, "\(label)")
                }
            }
        }
    }

    @Test func gemmaRejectsTheSystemRoleWithItsOwnMessage() throws {
        let template = try ChatTemplate(source: try ChatTemplateFixtures.source("gemma2.jinja"))
        #expect(throws: ChatTemplateError.raised(message: "System role not supported", at: JinjaPosition(line: 1, column: 59))) {
            try template.render(messages: [["role": "system", "content": "x"], ["role": "user", "content": "y"]])
        }
    }

    @Test(.enabled(if: GGUFTestModel.path != nil, GGUFTestModel.missingComment))
    func smolLM2FixtureIsTheTemplateInTheGGUF() throws {
        let info = try GGUFModelInfo(try GGUFFile(path: try #require(GGUFTestModel.path)))
        let fromModel = try #require(info.chatTemplate)
        let fixture = try ChatTemplateFixtures.source("smollm2.jinja")
        #expect(fromModel == fixture)
        let output = try ChatTemplate(source: fromModel).render(
            messages: [["role": "user", "content": "Hi"]], addGenerationPrompt: true)
        #expect(output == "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
            + "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")
    }
}
