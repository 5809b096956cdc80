// The distill stages' data: the run's conversation records, rendered with the model's own chat
// template into prompt tokens (not trained) and the last assistant turn plus its end-of-turn token
// (trained), split by record key into a training part and a held-out part that no stage trains on.
import Foundation
import RetortJSON
import RetortKnowledge
import RetortModels

public struct ConversationExample: Sendable {
    public var key: String
    /// The conversation before the trained answer, as messages (what the student is asked).
    public var promptMessages: [JSONValue]
    /// The teacher's answer text.
    public var reference: String
    public var prompt: [Int32]
    public var answer: [Int32]

    public var tokenCount: Int { prompt.count + answer.count }
}

public struct ConversationData: Sendable {
    public var training: [ConversationExample]
    public var heldOut: [ConversationExample]
    /// Records left out, with why (no assistant turn, prompt longer than the sequence…).
    public var skipped: [(key: String, reason: String)]
}

public enum ConversationExamples {
    /// Reads the conversation records of `stages` (all stages when empty) and tokenizes them for
    /// `model`. A record lands in the held-out part when its key hashes below `heldOut`.
    public static func load(store: RunStore, stages: [String], model: LocalLanguageModel, sequenceLength: Int,
                            heldOut: Double) throws -> ConversationData {
        let records = try Self.records(store: store, stages: stages, kind: .conversation)
        var data = ConversationData(training: [], heldOut: [], skipped: [])
        let endOfTurn = endOfTurn(model)
        var examples: [ConversationExample] = []
        for record in records {
            do {
                examples.append(try makeExample(record, model: model, endOfTurn: endOfTurn, sequenceLength: sequenceLength))
            } catch let error as ExampleSkip {
                data.skipped.append((record.key, error.reason))
            }
        }
        // A small run still holds one example out (the one whose key hashes lowest).
        let lowest = examples.count >= 2 ? examples.min { hash($0.key) < hash($1.key) }?.key : nil
        let anyHeldOut = examples.contains { isHeldOut(key: $0.key, share: heldOut) }
        for example in examples {
            if isHeldOut(key: example.key, share: heldOut) || (!anyHeldOut && example.key == lowest) {
                data.heldOut.append(example)
            } else {
                data.training.append(example)
            }
        }
        return data
    }

    struct ExampleSkip: Error { let reason: String }

    /// The records of `kind` that `stages` kept, in stage order (every stage's when `stages` is empty).
    static func records(store: RunStore, stages: [String], kind: RecordKind) throws -> [KnowledgeRecord] {
        if stages.isEmpty { return try store.records(stage: nil, kind: kind) }
        return try stages.flatMap { try store.records(stage: $0, kind: kind) }
    }

    /// The token that closes an assistant turn (ChatML's <|im_end|>, else end of sequence): trained
    /// after every answer so the student learns to stop.
    static func endOfTurn(_ model: LocalLanguageModel) -> Int32? {
        model.tokenizer.id(of: "<|im_end|>") ?? model.info.tokenizer.eosTokenID.map { Int32($0) }
    }

    static func makeExample(_ record: KnowledgeRecord, model: LocalLanguageModel, endOfTurn: Int32?, sequenceLength: Int) throws
        -> ConversationExample {
        guard case .array(let messages)? = record.payload["messages"],
              let last = messages.lastIndex(where: { $0["role"]?.stringValue == "assistant" }),
              let answerText = messages[last]["content"]?.stringValue, !answerText.isEmpty
        else { throw ExampleSkip(reason: "no assistant answer to train on") }
        let promptMessages = Array(messages[..<last])
        guard promptMessages.contains(where: { $0["role"]?.stringValue == "user" }) else {
            throw ExampleSkip(reason: "no user message before the answer")
        }
        let prompt = model.tokenizer.encode(try model.chatPrompt(promptMessages))
        let answer = try answerTokens(answerText, promptLength: prompt.count, model: model, endOfTurn: endOfTurn, sequenceLength: sequenceLength)
        return ConversationExample(key: record.key, promptMessages: promptMessages, reference: answerText, prompt: prompt, answer: answer)
    }

    /// An answer's tokens after a prompt of `promptLength`: cut to fit the sequence (the end of turn
    /// is kept), or skipped when the prompt leaves no room for a few answer tokens.
    static func answerTokens(_ text: String, promptLength: Int, model: LocalLanguageModel, endOfTurn: Int32?, sequenceLength: Int) throws
        -> [Int32] {
        // The answer is the teacher's text: special-token spellings in it stay plain text.
        var answer = model.tokenizer.encode(text, parseSpecial: false, addSpecial: false)
        let room = sequenceLength - promptLength - 1
        guard room >= 8 else {
            throw ExampleSkip(reason: "the prompt has \(promptLength) tokens; the sequence length is \(sequenceLength)")
        }
        if answer.count > room { answer = Array(answer.prefix(room)) }
        if let endOfTurn { answer.append(endOfTurn) }
        return answer
    }

    static func isHeldOut(key: String, share: Double) -> Bool {
        Double(hash(key) % 10_000) < share * 10_000
    }

    /// FNV-1a of the key: stable across runs and platforms, so a resumed run splits the same way.
    static func hash(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
