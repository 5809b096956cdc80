// Small, deterministic run-store contents shared by the run store's tests: temporary run folders,
// records of every kind, rejections and teacher calls.
import Foundation
import RetortJSON
import RetortKnowledge
import RetortModels
@testable import RetortPipeline
import RetortTeachers

enum RunStoreFixtures {
    /// A fresh, not yet existing folder under the temporary directory.
    static func runDirectory(_ label: String = "run") -> String {
        NSTemporaryDirectory() + "retort-\(label)-" + UUID().uuidString
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func provenance(stage: String, seed: String = "seed-1", strategy: String = "labeling") -> Provenance {
        Provenance(stage: stage, strategy: strategy, plugin: "qa", template: "qa.answer", seedID: seed, teacher: "local:smollm2")
    }

    static func conversation(_ key: String, stage: String = "label", user: String = "What is 2+2?", assistant: String = "4",
                             system: String? = nil, distributions: SparseDistributions? = nil) -> KnowledgeRecord {
        var messages: [JSONValue] = []
        if let system { messages.append(["role": "system", "content": .string(system)]) }
        messages += [["role": "user", "content": .string(user)], ["role": "assistant", "content": .string(assistant)]]
        return KnowledgeRecord(key: key, provenance: provenance(stage: stage), kind: .conversation,
                               payload: ["messages": .array(messages)], distributions: distributions)
    }

    static func preference(_ key: String, stage: String = "feedback", prompt: String = "Name a prime.",
                           chosen: String = "7", rejected: String = "8") -> KnowledgeRecord {
        KnowledgeRecord(key: key, provenance: provenance(stage: stage, strategy: "feedback"), kind: .preference,
                        payload: ["prompt": [["role": "system", "content": "Be brief."], ["role": "user", "content": .string(prompt)]],
                                  "chosen": .string(chosen), "rejected": .string(rejected)])
    }

    static func instruction(_ key: String, stage: String = "expand") -> KnowledgeRecord {
        KnowledgeRecord(key: key, provenance: provenance(stage: stage, strategy: "expansion"), kind: .instruction,
                        payload: ["instruction": "Write a haiku about rain."])
    }

    static func rejection(_ key: String, stage: String = "label", check: String = "parser", reason: String = "no answer found") -> RejectedRecord {
        RejectedRecord(key: key, provenance: provenance(stage: stage), check: check, reason: reason, payload: ["text": "garbled"])
    }

    /// `positions` × top-`topK` distributions with values that survive float32 exactly.
    static func distributions(positions: Int, topK: Int, seed: Int = 0) -> SparseDistributions {
        let tokens = (0..<positions).map { Int32(100 + $0 + seed) }
        let ids = (0..<(positions * topK)).map { Int32(($0 * 7 + seed) % 49152) }
        let logprobs = (0..<(positions * topK)).map { -Float($0 % topK) * 0.5 - 0.125 }
        let rest = (0..<positions).map { Float($0 % 4) / 8 }
        return SparseDistributions(tokens: tokens, topK: topK, ids: ids, logprobs: logprobs, restMass: rest)
    }

    static func response(_ text: String = "Paris", promptTokens: Int = 12, completionTokens: Int = 3) -> TeacherResponse {
        TeacherResponse(
            choices: [TeacherChoice(text: text, finishReason: "stop",
                                    logprobs: [TokenLogprob(token: text, logprob: -0.25, top: [TopLogprob(token: text, logprob: -0.25),
                                                                                               TopLogprob(token: "Lyon", logprob: -2.5)])])],
            usage: TokenUsage(promptTokens: promptTokens, completionTokens: completionTokens), model: "smollm2")
    }

    static func call(_ key: String, identity: TeacherIdentity = TeacherIdentity(backend: "local", model: "smollm2"),
                     response: TeacherResponse = response(), cost: Double = 0.5, latency: Double = 1.5) -> TeacherCallRecord {
        TeacherCallRecord(key: key, identity: identity,
                          request: TeacherRequest(messages: [ChatMessage(role: "user", text: "Capital of France?")]),
                          response: response, latency: latency, cost: cost)
    }
}
