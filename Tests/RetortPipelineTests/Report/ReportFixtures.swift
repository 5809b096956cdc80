// Synthetic runs for the report's tests, filled through the run store's public writing API as the
// elicitation, training and evaluation stages fill it: knowledge records and rejections in several
// stages, teacher calls with tokens and cost, two distill stages with a warm-up/cosine learning
// rate, noisy decaying losses, gradient spikes and skipped steps, and evaluated checkpoints with
// held-out samples. Deterministic: the noise comes from a seeded generator.
import Foundation
import RetortJSON
import RetortKnowledge
@testable import RetortPipeline
import RetortTeachers

enum ReportFixtures {
    static let hostile = "</script><img src=x onerror=alert(1)>\"'&"

    struct RunShape {
        var name = "instruct-distill"
        var teacherYAML = "  backend: openai\n  base_url: https://api.openai.com/v1\n  model: gpt-4o-mini\n  api_key_env: OPENAI_API_KEY"
        var teacher = TeacherIdentity(backend: "openai", model: "gpt-4o-mini", endpoint: "https://api.openai.com/v1")
        var seed: UInt64 = 1
        /// The objective of the second stage, mixed with the teacher-text cross-entropy.
        var objective = "forward-kl"
        var sftSteps = 240
        var kdSteps = 360
        /// How much better this run ends than the baseline (1 = as in the default run).
        var gain = 1.0
    }

    /// A second run of the same recipe with another teacher and objective, which ends closer to it.
    static var haikuShape: RunShape {
        var shape = RunShape()
        shape.name = "instruct-distill-haiku"
        shape.teacherYAML = "  backend: anthropic\n  model: claude-3-5-haiku\n  api_key_env: ANTHROPIC_API_KEY"
        shape.teacher = TeacherIdentity(backend: "anthropic", model: "claude-3-5-haiku")
        shape.seed = 2
        shape.objective = "reverse-kl"
        shape.gain = 1.3
        return shape
    }

    /// A fresh, not yet existing folder under the temporary directory.
    static func runDirectory(_ label: String) -> String {
        NSTemporaryDirectory() + "retort-report-\(label)-" + UUID().uuidString
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// A complete run: data, teacher usage, training and evaluations.
    @discardableResult
    static func fullRun(at directory: String, _ shape: RunShape = RunShape()) throws -> RunStore {
        let store = try RunStore(runDirectory: directory)
        var random = SplitMix(seed: shape.seed)
        try store.setMeta(RunStore.MetaKey.recipe, """
            # synthetic run for the report tests
            name: \(shape.name)
            seed: 7
            teacher:
            \(shape.teacherYAML)
              prices: {input_per_million: 0.15, output_per_million: 0.6}
            plugins: [instruct]
            student: {model: smollm2-135m-instruct}
            distill:
              - name: sft
                objectives: [sft]
                steps: \(shape.sftSteps)
              - name: kd
                objectives: [\(shape.objective), sft]
                steps: \(shape.kdSteps)
            """)
        try store.setMeta(RunStore.MetaKey.retortVersion, "retort 0.1.0 (plugin ABI 1.0)")
        try fillData(store, shape: shape, random: &random)
        try fillTraining(store, shape: shape, random: &random)
        try fillEvaluations(store, shape: shape)
        try store.recordArtifact(kind: "gguf", path: directory + "/student/student-Q8_0.gguf",
                                 sha256: "9f2c4e0a5b7d1c3e8f6a2b4d0c9e7f1a3b5d7c9e1f0a2b4c6d8e0f1a3b5c7d9e")
        return store
    }

    static func provenance(_ stage: String, strategy: String, teacher: String = "openai:gpt-4o-mini") -> Provenance {
        Provenance(stage: stage, strategy: strategy, plugin: "instruct", template: "instruct.\(strategy)", seedID: "seed", teacher: teacher)
    }

    private static func fillData(_ store: RunStore, shape: RunShape, random: inout SplitMix) throws {
        // (stage, strategy, kind, kept, [(check, reason, count)])
        let plan: [(String, String, RecordKind, Int, [(String, String, Int)])] = [
            ("expand", "expansion", .instruction, 140, [
                ("dedup-rouge", "ROUGE-L 0.74 ≥ 0.7 with an earlier instruction", 46),
                ("instruction-quality", "fewer than 3 words", 9),
                ("instruction-quality", "asks for an image, which a text model cannot give", 6),
            ]),
            ("label", "labeling", .conversation, 310, [
                ("refusal", "the answer refuses (\"I'm sorry, but I can't\")", 17),
                ("parser", "no answer after the prompt template's marker", 8),
                ("dedup-exact", "identical to an earlier record", 21),
                ("length", "longer than 2048 tokens", 4),
            ]),
            ("judge", "feedback", .preference, 96, [("parser", "the judge gave no score in 1…10", 11)]),
            ("self-check", "self-knowledge", .conversation, 38, [("self-knowledge", "the student's majority answer disagrees with the teacher", 23)]),
        ]
        for (stage, strategy, kind, kept, rejections) in plan {
            var records: [KnowledgeRecord] = []
            for i in 0..<kept {
                let payload: JSONValue
                switch kind {
                case .instruction: payload = ["instruction": .string("Task \(i) of \(stage)")]
                case .preference: payload = ["prompt": [["role": "user", "content": "q"]], "chosen": "a", "rejected": "b"]
                default: payload = ["messages": [["role": "user", "content": .string("q\(i)")], ["role": "assistant", "content": "a"]]]
                }
                records.append(KnowledgeRecord(key: "\(stage)-\(i)", provenance: provenance(stage, strategy: strategy), kind: kind, payload: payload))
            }
            var rejected: [RejectedRecord] = []
            for (n, (check, reason, count)) in rejections.enumerated() {
                for i in 0..<count {
                    rejected.append(RejectedRecord(key: "\(stage)-\(check)-\(n)-\(i)", provenance: provenance(stage, strategy: strategy),
                                                   check: check, reason: reason, payload: ["text": "rejected"]))
                }
            }
            try store.commit(stage: stage, unit: "all", records: records, rejections: rejected)
        }
        // Teacher calls: the run's teacher for most, the local student for the self-knowledge samples.
        for i in 0..<180 {
            let prompt = 180 + Int(random.next() % 420)
            let completion = 60 + Int(random.next() % 380)
            let cost = (Double(prompt) * 0.15 + Double(completion) * 0.6) / 1e6 * 40
            try store.store(call("t\(shape.seed)-\(i)", identity: shape.teacher, prompt: prompt, completion: completion, cost: cost,
                                 latency: 0.4 + Double(random.next() % 100) / 50))
        }
        for i in 0..<40 {
            try store.store(call("s\(shape.seed)-\(i)", identity: TeacherIdentity(backend: "local", model: "smollm2-135m-instruct"),
                                 prompt: 120, completion: 90, cost: 0, latency: 0.9))
        }
        for i in 0..<25 { _ = try store.cachedResponse(key: "t\(shape.seed)-\(i)") }
    }

    static func call(_ key: String, identity: TeacherIdentity, prompt: Int, completion: Int, cost: Double, latency: Double) -> TeacherCallRecord {
        TeacherCallRecord(
            key: key, identity: identity, request: TeacherRequest(messages: [ChatMessage(role: "user", text: "prompt \(key)")]),
            response: TeacherResponse(choices: [TeacherChoice(text: "answer", finishReason: "stop")],
                                      usage: TokenUsage(promptTokens: prompt, completionTokens: completion), model: identity.model),
            latency: latency, cost: cost)
    }

    /// Warm-up then cosine decay, as the trainer's schedule.
    static func learningRate(step: Int, total: Int, peak: Double, warmup: Int) -> Double {
        if step <= warmup { return peak * Double(step) / Double(warmup) }
        let progress = Double(step - warmup) / Double(max(1, total - warmup))
        return peak * 0.5 * (1 + cos(.pi * progress))
    }

    private static func fillTraining(_ store: RunStore, shape: RunShape, random: inout SplitMix) throws {
        var steps: [TrainingStepRow] = []
        for step in 1...shape.sftSteps {
            let loss = 1.05 + 1.6 * exp(-Double(step) / 60) + random.noise(0.09)
            steps.append(TrainingStepRow(
                stage: "sft", step: step, loss: loss, objectives: ["sft": loss],
                learningRate: learningRate(step: step, total: shape.sftSteps, peak: 2e-4, warmup: 20),
                gradientNorm: 0.9 + 2.5 * exp(-Double(step) / 40) + abs(random.noise(0.25)), tokens: 4096 + Int(random.next() % 512)))
        }
        for step in 1...shape.kdSteps {
            let kl = (0.35 + 0.9 * exp(-Double(step) / 90)) / shape.gain + abs(random.noise(0.05))
            let ce = 1.0 + 0.25 * exp(-Double(step) / 120) + random.noise(0.06)
            let spike = step % 97 == 0
            let skipped = step == 143 || step == 288
            steps.append(TrainingStepRow(
                stage: "kd", step: step, loss: skipped ? .nan : 0.7 * kl + 0.3 * ce,
                objectives: skipped ? [:] : [shape.objective: kl, "sft": ce],
                learningRate: learningRate(step: step, total: shape.kdSteps, peak: 1e-4, warmup: 30),
                gradientNorm: skipped ? nil : (spike ? 14 + random.noise(2) : 0.6 + abs(random.noise(0.2))),
                tokens: skipped ? 0 : 4096 + Int(random.next() % 512), skipped: skipped,
                skipReason: skipped ? "loss is NaN (overflow in the logits); the step was not applied" : nil))
        }
        try store.appendTrainingSteps(steps)
    }

    private static func fillEvaluations(_ store: RunStore, shape: RunShape) throws {
        // (checkpoint, stage, step, share of the run's total improvement reached)
        var checkpoints: [(String, String, Int, Double)] = [("baseline", "", 0, 0)]
        for step in stride(from: 80, through: shape.sftSteps, by: 80) {
            checkpoints.append(("sft@\(step)", "sft", step, 0.45 * Double(step) / Double(shape.sftSteps)))
        }
        for step in stride(from: 120, through: shape.kdSteps, by: 120) {
            checkpoints.append(("kd@\(step)", "kd", step, 0.45 + 0.55 * Double(step) / Double(shape.kdSteps)))
        }
        for (name, stage, step, progress) in checkpoints {
            let p = progress * shape.gain
            var metrics: [(EvaluationMetric, Double)] = [
                (.heldoutKL, 1.92 - 1.25 * p), (.perplexity, exp(2.9 - 1.1 * p)), (.rougeL, 0.17 + 0.24 * p),
                (.winRateVsTeacher, 0.04 + 0.27 * p), (.plugin(pluginID: "instruct", evaluator: "format_ok"), 0.58 + 0.3 * p),
            ]
            if name != "baseline" { metrics.append((.winRateVsBaseline, 0.5 + 0.26 * p)) }
            try store.recordEvaluation(metrics.map { EvaluationRow(checkpoint: name, metric: $0.0.name, value: $0.1, stage: stage, step: step) })
        }
        let final = "kd@\(shape.kdSteps / 120 * 120)"
        let prompts: [(String, String, String, String)] = [
            ("What is the capital of Australia?", "The capital of Australia is Canberra.", "Sydney is the capital of Australia.",
             "The capital of Australia is Canberra."),
            ("Write a Python function that reverses a string.",
             "def reverse(s: str) -> str:\n    return s[::-1]", "You can reverse a string by reversing it.",
             "def reverse(text):\n    return text[::-1]"),
            ("Render this as HTML: " + hostile, "I will show it as text: " + hostile, hostile, "<b>bold</b> & " + hostile),
            ("Explain in two sentences why the sky is blue.",
             "Sunlight scatters off air molecules, and shorter (blue) wavelengths scatter much more than red ones (Rayleigh scattering). "
                + "So blue light reaches our eyes from every direction of the sky.",
             "The sky is blue because of the ocean reflecting on it.",
             "Air molecules scatter short blue wavelengths more than long red ones. That scattered blue light fills the sky."),
        ]
        for (i, (prompt, reference, base, trained)) in prompts.enumerated() {
            // Another teacher words its references differently, and its student follows.
            let variant = shape.seed == 1 ? "" : " (\(shape.teacher.model))"
            try store.recordEvaluation([], samples: [
                EvalSampleRow(checkpoint: "baseline", position: i, prompt: prompt, reference: reference + variant, output: base),
                EvalSampleRow(checkpoint: final, position: i, prompt: prompt, reference: reference + variant, output: trained + variant),
            ])
        }
    }

    /// Small deterministic generator for the noise.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// Uniform in −amplitude…amplitude.
        mutating func noise(_ amplitude: Double) -> Double {
            (Double(next() >> 11) / Double(1 << 53) * 2 - 1) * amplitude
        }
    }
}
