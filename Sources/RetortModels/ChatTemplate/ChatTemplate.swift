// A model's chat template (the Jinja text in tokenizer.chat_template) parsed once and rendered
// for any conversation the way Hugging Face transformers renders it: trim_blocks and
// lstrip_blocks on, `raise_exception`, `namespace`, `strftime_now` and a JSON `tojson`.
import RetortJSON

public struct ChatTemplate: Sendable {
    public let source: String
    private let nodes: [JinjaNode]

    /// Parses the template. Malformed or unsupported syntax throws with its line and column.
    public init(source: String) throws(ChatTemplateError) {
        self.source = source
        nodes = try JinjaParser.parse(source)
    }

    /// Renders a conversation. `messages` and `tools` are OpenAI-style objects (role, content,
    /// tool_calls, …); `tools == nil` renders with `tools` set to none, as transformers does.
    /// `extra` adds or overrides template variables. JSON objects have no key order, so their
    /// keys are visited in sorted order (this shows in `tojson` output and dict iteration).
    public func render(
        messages: [JSONValue], addGenerationPrompt: Bool = false, bosToken: String = "", eosToken: String = "",
        tools: [JSONValue]? = nil, extra: [String: JSONValue] = [:]
    ) throws(ChatTemplateError) -> String {
        var globals: [String: JinjaValue] = [
            "messages": .list(messages.map(JinjaValue.init)),
            "add_generation_prompt": .bool(addGenerationPrompt),
            "bos_token": .string(bosToken),
            "eos_token": .string(eosToken),
            "tools": tools.map { .list($0.map(JinjaValue.init)) } ?? .none,
        ]
        for name in ["raise_exception", "namespace", "range", "strftime_now", "dict"] {
            globals[name] = .function(name)
        }
        for (key, value) in extra { globals[key] = JinjaValue(value) }
        return try JinjaRenderer(globals: globals).render(nodes)
    }
}
