// Fuzzing the chat-template interpreter: seeded mutations of the real fixture templates (deleted,
// duplicated and spliced runs, inserted Jinja tokens, extreme numbers) are parsed and rendered on a
// conversation with tools. Each must render or throw a ChatTemplateError; a crash or hang fails the
// run. RETORT_FUZZ_ITERATIONS raises the count.
import Foundation
import RetortJSON
@testable import RetortModels
import Testing

@Suite struct ChatTemplateFuzzTests {
    static let templates = ["smollm2.jinja", "llama3.jinja", "mistral.jinja", "qwen2.5.jinja", "gemma2.jinja",
                            "mistral-v0.3.jinja"]

    /// Exercises what the fixtures do not: macros, recursion through them, namespaces, slices, filters.
    static let synthetic = """
        {%- macro show(v, depth=0) -%}{%- if v is mapping -%}{ {%- for k, x in v|dictsort -%}{{ k }}={{ show(x, depth + 1) }},\
        {%- endfor -%} }{%- elif v is iterable and v is not string -%}[{%- for x in v %}{{ show(x, depth + 1) }}{% endfor -%}]\
        {%- else -%}{{ v|string if v is not none else "null" }}{%- endif -%}{%- endmacro -%}
        {%- set ns = namespace(n=0, seen=[]) -%}
        {%- for m in messages if m.role != 'system' -%}{%- set ns.n = ns.n + 1 -%}{%- set ns.seen = ns.seen + [m.role] -%}
        {{ loop.index }}:{{ m.role|upper }} {{ (m.content or '')[:20]|trim|replace('a', 'A') }} {{ show(m) }}
        {% endfor -%}{{ ns.n * 2 // 3 % 5 }} {{ ns.seen|join(',') }} {{ tools|tojson(indent=2) if tools else '' }}
        {{- range(3)|list|reverse|map('string')|join('-') ~ ('x' * 3) -}}
        """

    static let dictionary = [
        "{{", "}}", "{%", "%}", "{#", "#}", "{%-", "-%}", "(", ")", "[", "]", "{", "}", "|", ".", ",", ":", "'", "\"",
        " is ", " not ", " in ", " and ", " or ", " if ", " else ", "for x in messages", "endfor", "endif", "endmacro",
        "set ns.x = ns", "namespace(", "range(", "loop.", "|tojson", "|join(", "|indent(", "* 9999999", "** 99",
        "// 0", "% -1", "[::-1]", "[-9223372036854775808]", "raise_exception(", "macro m(x)", "m(m(", "call",
    ]

    static let messages: [JSONValue] = [
        ["role": "system", "content": "Be brief."],
        ["role": "user", "content": "Weather in Paris?"],
        ["role": "assistant", "content": "", "tool_calls": [["id": "abcdefghi", "type": "function",
                                             "function": ["name": "get_weather", "arguments": ["city": "Paris"]]]]],
        ["role": "tool", "tool_call_id": "abcdefghi", "content": "sunny"],
        ["role": "assistant", "content": "Sunny."],
        ["role": "user", "content": "Thanks!"],
    ]
    static let tools: [JSONValue] = [
        ["type": "function", "function": ["name": "get_weather", "description": "Weather",
                                          "parameters": ["type": "object", "properties": ["city": ["type": "string"]]]]],
    ]

    @Test func mutatedTemplatesRenderOrThrowTypedErrors() throws {
        var sources = try Self.templates.map { try ChatTemplateFixtures.source($0) }
        sources.append(Self.synthetic)
        // Every seed parses; some refuse this conversation by raising (Mistral v0.2 has no tool role).
        for source in sources {
            let template = try ChatTemplate(source: source)
            do throws(ChatTemplateError) {
                _ = try template.render(messages: Self.messages, addGenerationPrompt: true, tools: Self.tools)
            } catch {
                guard case .raised = error else { throw error }
            }
        }
        let donors = sources.map { Array($0.utf8) }
        var mutator = FuzzMutator(seed: 0x71A_7E, dictionary: Self.dictionary)
        let count = FuzzMutator.iterations(default: 3000)
        var parsed = 0, rendered = 0
        var kinds = Set<String>()
        func kind(_ error: ChatTemplateError) -> String {
            switch error {
            case .syntax: "syntax"
            case .unsupported: "unsupported"
            case .runtime: "runtime"
            case .raised: "raised"
            }
        }
        for iteration in 0..<count {
            let text = String(decoding: mutator.mutate(donors[iteration % donors.count], donors: donors), as: UTF8.self)
            do throws(ChatTemplateError) {
                let template = try ChatTemplate(source: text)
                parsed += 1
                _ = try template.render(messages: Self.messages, addGenerationPrompt: iteration % 2 == 0,
                                        bosToken: "<s>", eosToken: "</s>", tools: iteration % 3 == 0 ? nil : Self.tools)
                rendered += 1
            } catch {
                kinds.insert(kind(error))
                #expect(error.position.line >= 1 && error.position.column >= 1, "mutant \(iteration): \(error)")
            }
        }
        #expect(parsed > count / 20 && rendered > count / 50, "parsed \(parsed), rendered \(rendered) of \(count)")
        #expect(kinds == ["syntax", "unsupported", "runtime", "raised"], "saw \(kinds.sorted())")
    }
}
