// The Ollama Modelfile of a bundle: FROM the bundled GGUF, a TEMPLATE in Ollama's Go-template
// syntax that renders conversations exactly as the model's own ChatML chat template does (with its
// default system message when it has one), and PARAMETER stop lines for the end-of-turn tokens.
// Whether the Jinja template is ChatML is decided by rendering it, not by reading it: probe
// conversations must come out as ChatML turns, with at most a fixed system turn put first.
import RetortJSON
import RetortModels

enum OllamaModelfile {
    /// The Modelfile text; `studentFile` is the GGUF's path inside the bundle.
    static func make(studentFile: String, info: GGUFModelInfo, tokenizer: BPETokenizer, title: String, license: String?) -> String {
        var lines = [
            "# Ollama Modelfile for \(title). Create and run the model with:",
            "#   ollama create \(ollamaName(title)) -f Modelfile && ollama run \(ollamaName(title))",
            "FROM ./\(studentFile)",
        ]
        let template = info.chatTemplate.flatMap { try? ChatTemplate(source: $0) }
        if let template, let structure = chatML(template, info: info, tokenizer: tokenizer),
           let text = goTemplate(defaultSystem: structure.defaultSystem) {
            lines.append("TEMPLATE \"\"\"\(text)\"\"\"")
        } else {
            lines.append("# No TEMPLATE: the model's chat template is not ChatML, so Ollama uses the template it detects in the GGUF.")
        }
        var stops = ["<|im_start|>", "<|im_end|>"]
        if let eos = info.tokenizer.eosTokenID, let text = try? tokenizer.token(Int32(eos)), !text.isEmpty, !stops.contains(text) {
            stops.append(text)
        }
        for stop in stops { lines.append("PARAMETER stop \(JSONValue.quoted(stop))") }
        if let license, !license.contains("\"\"\"") { lines.append("LICENSE \"\"\"\(license)\"\"\"") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A model name Ollama accepts (lower-case letters, digits, - _ .).
    static func ollamaName(_ title: String) -> String {
        let mapped = title.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "-" }
        return String(mapped).isEmpty ? "student" : String(mapped)
    }

    struct ChatMLStructure: Equatable {
        /// The system turn the template adds when a conversation has none.
        var defaultSystem: String?
    }

    /// ChatML's rendering of `turns` followed by the assistant's generation prompt.
    static func chatML(_ turns: [(String, String)]) -> String {
        turns.map { "<|im_start|>\($0.0)\n\($0.1)<|im_end|>\n" }.joined() + "<|im_start|>assistant\n"
    }

    /// The template's structure if it renders every probe conversation as ChatML, else nil.
    static func chatML(_ template: ChatTemplate, info: GGUFModelInfo, tokenizer: BPETokenizer) -> ChatMLStructure? {
        let bos = info.tokenizer.bosTokenID.flatMap { try? tokenizer.token(Int32($0)) } ?? ""
        let eos = info.tokenizer.eosTokenID.flatMap { try? tokenizer.token(Int32($0)) } ?? ""
        func render(_ turns: [(String, String)]) -> String? {
            let messages: [JSONValue] = turns.map { ["role": .string($0.0), "content": .string($0.1)] }
            return try? template.render(messages: messages, addGenerationPrompt: true, bosToken: bos, eosToken: eos)
        }
        let user = "Probe question one?", answer = "Probe answer.", followUp = "Probe question two?", system = "Probe system."
        guard let single = render([("user", user)]), single.hasSuffix(chatML([("user", user)])) else { return nil }
        let prefix = String(single.dropLast(chatML([("user", user)]).count))
        var defaultSystem: String?
        if !prefix.isEmpty {
            let open = "<|im_start|>system\n", close = "<|im_end|>\n"
            guard prefix.hasPrefix(open), prefix.hasSuffix(close), prefix.count >= open.count + close.count else { return nil }
            let text = String(prefix.dropFirst(open.count).dropLast(close.count))
            guard !text.contains("<|im_start|>"), !text.contains("<|im_end|>") else { return nil }
            defaultSystem = text
        }
        let conversation = [("user", user), ("assistant", answer), ("user", followUp)]
        guard render(conversation) == prefix + chatML(conversation),
              render([("system", system), ("user", user)]) == chatML([("system", system), ("user", user)])
        else { return nil }
        return ChatMLStructure(defaultSystem: defaultSystem)
    }

    /// Ollama's template for ChatML: each message of .Messages as a turn, the default system turn
    /// first when the conversation has no system message, then the assistant's generation prompt.
    static func goTemplate(defaultSystem: String?) -> String? {
        var text = ""
        if let defaultSystem {
            // Go templates read "{{" as an action; write it as a string literal instead.
            let escaped = defaultSystem.replacingOccurrences(of: "{{", with: "{{ \"{{\" }}")
            text += "{{- if .Messages }}{{ if ne (index .Messages 0).Role \"system\" }}<|im_start|>system\n\(escaped)<|im_end|>\n{{ end }}{{ end }}\n"
        }
        text += "{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n"
        return text.contains("\"\"\"") ? nil : text
    }
}
