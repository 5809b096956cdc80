// A preference stage's data: the run's preference records (a prompt, a chosen and a rejected answer,
// as the feedback strategy keeps them), rendered with the student's chat template into the prompt
// tokens and the two answers, each closed by the end-of-turn token, split by record key into a
// training part and a held-out part as conversations are.
import Foundation
import RetortDistill
import RetortKnowledge
import RetortModels

public struct PreferenceData: Sendable {
    public var training: [PreferenceExample]
    public var heldOut: [PreferenceExample]
    /// Records left out, with why (malformed payload, the same answer twice, prompt too long…).
    public var skipped: [(key: String, reason: String)]
}

public enum PreferenceExamples {
    /// Reads the preference records of `stages` (all stages when empty) and tokenizes them for `model`.
    public static func load(store: RunStore, stages: [String], model: LocalLanguageModel, sequenceLength: Int,
                            heldOut: Double) throws -> PreferenceData {
        let records = try ConversationExamples.records(store: store, stages: stages, kind: .preference)
        var data = PreferenceData(training: [], heldOut: [], skipped: [])
        let endOfTurn = ConversationExamples.endOfTurn(model)
        for record in records {
            do {
                let example = try makeExample(record, model: model, endOfTurn: endOfTurn, sequenceLength: sequenceLength)
                if ConversationExamples.isHeldOut(key: record.key, share: heldOut) {
                    data.heldOut.append(example)
                } else {
                    data.training.append(example)
                }
            } catch let error as ConversationExamples.ExampleSkip {
                data.skipped.append((record.key, error.reason))
            }
        }
        return data
    }

    static func makeExample(_ record: KnowledgeRecord, model: LocalLanguageModel, endOfTurn: Int32?, sequenceLength: Int) throws
        -> PreferenceExample {
        let pair: PreferencePair
        do {
            pair = try PreferencePair(recordPayload: record.payload)
        } catch {
            throw ConversationExamples.ExampleSkip(reason: "not a preference pair: \(error.message)")
        }
        guard pair.chosen != pair.rejected else {
            throw ConversationExamples.ExampleSkip(reason: "the chosen and the rejected answer are the same text")
        }
        let prompt = model.tokenizer.encode(try model.chatPrompt(pair.prompt.map(\.json)))
        func answer(_ text: String) throws -> [Int32] {
            try ConversationExamples.answerTokens(text, promptLength: prompt.count, model: model, endOfTurn: endOfTurn,
                                                  sequenceLength: sequenceLength)
        }
        let chosen = try answer(pair.chosen), rejected = try answer(pair.rejected)
        guard chosen != rejected else {
            throw ConversationExamples.ExampleSkip(reason: "the two answers are the same within the sequence length \(sequenceLength)")
        }
        return PreferenceExample(prompt: prompt, chosen: chosen, rejected: rejected)
    }
}
