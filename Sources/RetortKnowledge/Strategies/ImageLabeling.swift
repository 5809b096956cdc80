// Labeling over an "images" seed set (visual instruction tuning, LLaVA: Liu et al., 2023). Each
// item names an image file in the plugin's folder and its COCO-style annotations. A vision teacher
// gets the rendered template and the image itself as a base64 data-URL part; a text-only teacher
// gets the template with the captions and boxes filled in, as LLaVA asked GPT-4. The parser's
// question/answer turns become the student's conversation, stored with the image's path and
// SHA-256 (a vision projector is trained on them later); the teacher's prompt is not stored.
import Foundation
import RetortHost
import RetortJSON
import RetortTeachers

extension Labeling {
    /// The folder (relative to the plugin's) that an images seed set's paths start from: the seed
    /// file's folder, or the plugin's own for inline items. nil when the input is not images.
    static func imageFolder(_ input: InputSource, plugin: LoadedPlugin) -> String? {
        guard case .seeds(let name) = input, let seed = plugin.seeds.first(where: { $0.name == name }), seed.kind == "images" else {
            return nil
        }
        guard case .path(let file) = seed.source else { return "" }
        return file.split(separator: "/").dropLast().joined(separator: "/")
    }

    /// Checks every item's image and annotations before the first teacher call, so a missing file
    /// stops the stage with its name instead of failing unit after unit.
    static func checkImages(_ items: [InputItem], folder: String, plugin: LoadedPlugin) throws {
        for item in items {
            guard let relative = item.string("image") else { continue }
            _ = try ImageFile.read(relative, folder: folder, pluginFolder: plugin.directory, owner: "\(plugin.id) input \(item.id)")
            _ = try ImageAnnotations(item: item)
        }
    }

    static func labelImage(_ item: InputItem, folder: String, system: String, systemTemplate: String, unit: String,
                           settings: LabelingSettings, engine: StageEngine) async throws -> UnitDraft {
        var draft = UnitDraft()
        func reject(_ check: String, _ reason: String, _ payload: JSONValue) -> UnitDraft {
            draft.reject(check, reason, payload: payload, template: settings.template, seedID: item.id)
            return draft
        }
        guard let relative = item.string("image") else {
            return reject("input", "input \(item.id) of an images seed set has no \"image\" path", .object(item.fields))
        }
        let plugin = engine.binding.plugin
        let image = try ImageFile.read(relative, folder: folder, pluginFolder: plugin.directory, owner: "\(plugin.id) input \(item.id)")
        let annotations = try ImageAnnotations(item: item)
        let vision = engine.context.teacher.capabilities.vision
        // A teacher that sees the pixels is not told the annotations: it describes what it sees.
        let prompt = try engine.binding.render(settings.template, [
            "instruction": .string(item.instruction ?? ""),
            "captions": .string(vision ? "" : annotations.captionsText),
            "boxes": .string(vision ? "" : annotations.boxesText),
        ])
        var messages: [ChatMessage] = []
        if !system.isEmpty { messages.append(ChatMessage(role: "system", text: system)) }
        messages.append(ChatMessage(role: "user", parts: vision ? [.imageURL(image.dataURL), .text(prompt)] : [.text(prompt)]))
        let response = try await engine.ask(messages, unit: unit)
        guard let choice = response.choices.first else { throw TeacherError.malformedResponse("no choices") }
        // A conversation cut off by the token limit still holds complete turns before the cut:
        // the output is cut back to its last complete sentence, and the record says so.
        let cutOff = choice.finishReason == "length"
        var output = choice.text
        if cutOff {
            guard let complete = completeSentences(output) else {
                return reject("length", "the answer hit the \(engine.stage.maxTokens)-token limit before ending a sentence (raise max_tokens)",
                              ["output": .string(output)])
            }
            output = complete
        }
        var parsed: JSONValue?
        if let parser = settings.parser {
            switch engine.binding.parse(parser, output: output) {
            case .failure(let rejection): return reject("parser", rejection.reason, ["output": .string(choice.text)])
            case .success(let records): parsed = records[0]
            }
        }
        let turns: [ChatMessage]
        switch conversationTurns(parsed: parsed, output: output, instruction: item.instruction) {
        case .failure(let problem): return reject(problem.check, problem.reason, ["output": .string(output)])
        case .success(let found): turns = found
        }
        let answers = turns.filter { $0.role == "assistant" }.map(\.text).joined(separator: "\n")
        let question = turns[0].text
        var payload: [String: JSONValue] = [
            "messages": messagesJSON(turns), "instruction": .string(question), "image": image.reference,
            "image_input": .string(vision ? "pixels" : "annotations"),
        ]
        if cutOff { payload["cut_off"] = true }
        if !systemTemplate.isEmpty { payload["system_variant"] = .string(engine.binding.qualified(systemTemplate)) }
        draft.keep(Candidate(kind: .conversation, payload: .object(payload), screenText: answers,
                             filterRecord: ["instruction": .string(question), "input": "", "response": .string(answers),
                                            "messages": messagesJSON(turns), "annotations": annotations.json],
                             template: settings.template, seedID: item.id))
        return draft
    }

    /// `text` up to its last sentence end (".", "!" or "?" before whitespace), or nil if it has none.
    static func completeSentences(_ text: String) -> String? {
        var end: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if ".!?".contains(text[index]), next == text.endIndex || text[next].isWhitespace { end = next }
            index = next
        }
        guard let end else { return nil }
        let kept = text[..<end].trimmingCharacters(in: .whitespacesAndNewlines)
        return kept.isEmpty ? nil : kept
    }

    struct TurnProblem: Error {
        var check: String
        var reason: String
    }

    /// The student's conversation from a parser record: `messages` (user/assistant turns), or a
    /// `question` and `answer`, or one answer (`response`, `answer`, `description`) to the item's
    /// instruction. Without a parser the whole output answers the instruction.
    static func conversationTurns(parsed: JSONValue?, output: String, instruction: String?) -> Result<[ChatMessage], TurnProblem> {
        func answering(_ answer: String) -> Result<[ChatMessage], TurnProblem> {
            guard let instruction, !instruction.isEmpty else {
                return .failure(TurnProblem(check: "input", reason: "the item has no instruction to pair the answer with; "
                    + "use a parser that yields the question (\"question\" and \"answer\", or \"messages\")"))
            }
            return .success([ChatMessage(role: "user", text: instruction), ChatMessage(role: "assistant", text: answer)])
        }
        guard let parsed else { return answering(output.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if let listed = parsed["messages"]?.arrayValue {
            var turns: [ChatMessage] = []
            for (index, value) in listed.enumerated() {
                let role = index % 2 == 0 ? "user" : "assistant"
                guard value["role"]?.stringValue == role, let content = value["content"]?.stringValue, !content.isEmpty else {
                    return .failure(TurnProblem(check: "parser", reason: "the parser's turn \(index + 1) is not a non-empty \(role) message; "
                        + "turns must alternate user, assistant"))
                }
                turns.append(ChatMessage(role: role, text: content))
            }
            guard !turns.isEmpty, turns.count % 2 == 0 else {
                return .failure(TurnProblem(check: "parser", reason: "the parser gave \(turns.count) turns; a conversation needs user/assistant pairs"))
            }
            return .success(turns)
        }
        if let question = parsed["question"]?.stringValue, let answer = parsed["answer"]?.stringValue {
            return .success([ChatMessage(role: "user", text: question), ChatMessage(role: "assistant", text: answer)])
        }
        if let answer = parsed["response"]?.stringValue ?? parsed["answer"]?.stringValue ?? parsed["description"]?.stringValue {
            return answering(answer)
        }
        return .failure(TurnProblem(check: "parser", reason: "the parser's record has no messages, question/answer or response"))
    }
}
