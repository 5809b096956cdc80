// The Swift example plugin, written with the SDK and loaded from its shared library: every
// extension it offers, called through the C ABI exactly as the host calls any plugin.
import Foundation
import RetortABI
import RetortHost
import RetortJSON
import Testing

@Suite struct SwiftPluginTests {
    let plugin: LoadedPlugin

    init() throws {
        try BuildProducts.requireBuilt()
        plugin = try PluginRegistry().load(file: BuildProducts.swiftExample)
    }

    @Test func manifestCarriesExtraFields() {
        #expect(plugin.id == "swift-example")
        #expect(plugin.manifest.raw["provides"]?["strategies"] == ["labeling"])
        #expect(plugin.extensionIDs.contains("retort.objective.v1"))
    }

    @Test func templateRenders() throws {
        let text = try plugin.templates[0].render(["term": "gravity"])
        #expect(text.contains("Define \"gravity\" in one sentence"))
        #expect(text.contains(#"{"term": "gravity", "definition": "..."}"#))
    }

    @Test func parserExtractsJSONFromProse() throws {
        let records = try plugin.parse(parser: "definition-json", output: """
            Sure! {"term": "gravity", "definition": "The pull that makes things fall toward Earth."} Hope it helps.
            """)
        #expect(records == [["term": "gravity", "definition": "The pull that makes things fall toward Earth."]])
    }

    @Test(arguments: [
        ("I cannot help with that.", "no JSON object"),
        (#"{"term": "gravity", "definition": }"#, "malformed"),
        (#"{"term": "gravity"}"#, "no non-empty \"definition\""),
        (#"{"term": "", "definition": "x"}"#, "no non-empty \"term\""),
    ])
    func parserRejectsBadOutputWithAReason(output: String, reason: String) {
        do {
            _ = try plugin.parse(parser: "definition-json", output: output)
            Issue.record("expected a parse error")
        } catch {
            #expect(error.status == .parse)
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    @Test func filterKeepsGoodAndRejectsCircularDefinitions() throws {
        let good = try plugin.filter("not-circular", record: ["term": "gravity", "definition": "The pull that makes things fall."])
        #expect(good.keep)
        #expect(good.reason == nil)
        let circular = try plugin.filter("not-circular", record: ["term": "gravity", "definition": "Gravity is the force of gravity."])
        #expect(!circular.keep)
        #expect(circular.reason?.contains("circular") == true)
        let short = try plugin.filter("not-circular", record: ["term": "gravity", "definition": "A pull."])
        #expect(!short.keep)
        #expect(short.score == 0)
    }

    @Test func evaluatorScoresWordOverlap() throws {
        let scores = try plugin.evaluate("word-overlap", prompt: "", reference: "the cat sat", prediction: "the cat ran")
        #expect(abs(scores["f1"]! - 2.0 / 3.0) < 1e-12)
    }

    @Test func seedsAreListed() throws {
        #expect(try plugin.seedItems("terms").count == 5)
    }

    /// The plugin's label-smoothed cross-entropy through `retort.objective.v1`: its loss against
    /// a value computed here, and its gradient against central finite differences.
    @Test func pluginObjectiveMatchesReferenceAndFiniteDifferences() throws {
        let positions = 3, vocab = 5
        var logits: [Float] = (0..<positions * vocab).map { Float(sin(Double($0) * 1.7)) * 2 }
        let targets: [Int32] = [1, -1, 4]
        let mask: [Float] = [1, 0, 0.5]
        let epsilon = 0.2
        func loss(_ logits: [Float], gradient: inout [Float]) throws -> Float {
            try withTokenBatch(logits: logits, positions: positions, vocab: vocab, targets: targets, mask: mask,
                               parameters: "{\"epsilon\": \(epsilon)}") { batch in
                try plugin.tokenLoss("label-smoothed-ce", batch: batch, gradient: &gradient)
            }
        }
        var gradient = [Float](repeating: .nan, count: positions * vocab)
        let value = try loss(logits, gradient: &gradient)

        // Reference: weighted mean over counted positions of -(1-ε)·log p_y - ε·mean_j log p_j.
        var expected = 0.0, weights = 0.0
        for i in 0..<positions where targets[i] >= 0 {
            let row: [Double] = (0..<vocab).map { Double(logits[i * vocab + $0]) }
            let logZ: Double = log(row.map { exp($0) }.reduce(0, +))
            let logp: [Double] = row.map { $0 - logZ }
            let meanLogP: Double = logp.reduce(0, +) / Double(vocab)
            let l: Double = -(1 - epsilon) * logp[Int(targets[i])] - epsilon * meanLogP
            expected += Double(mask[i]) * l
            weights += Double(mask[i])
        }
        #expect(abs(Double(value) - expected / weights) < 1e-5)
        #expect(gradient[1 * vocab..<2 * vocab].allSatisfy { $0 == 0 }, "a position with zero weight has no gradient")

        var worst = 0.0
        for k in 0..<logits.count {
            let h: Float = 1e-2
            var scratch = gradient
            let saved = logits[k]
            logits[k] = saved + h
            let up = try loss(logits, gradient: &scratch)
            logits[k] = saved - h
            let down = try loss(logits, gradient: &scratch)
            logits[k] = saved
            let numeric = Double(up - down) / Double(2 * h)
            worst = max(worst, abs(numeric - Double(gradient[k])) / max(1e-3, abs(numeric) + abs(Double(gradient[k]))))
        }
        #expect(worst < 2e-2, "worst relative gradient error \(worst)")
    }

    @Test func pluginObjectiveRejectsUnknownParameters() throws {
        var gradient: [Float] = [0, 0]
        do {
            _ = try withTokenBatch(logits: [0, 0], positions: 1, vocab: 2, targets: [0], mask: [1],
                                   parameters: "{\"beta\": 1}") { batch in
                try plugin.tokenLoss("label-smoothed-ce", batch: batch, gradient: &gradient)
            }
            Issue.record("expected an error")
        } catch let error as PluginCallError {
            #expect(error.status == .invalidArgument)
            #expect(error.message.contains("unknown objective parameter 'beta'"))
        }
    }

    @Test func sequenceLossOnATokenObjectiveIsUnsupported() throws {
        let logps: [Float] = [-1]
        var gradient: [Float] = [0]
        do {
            _ = try logps.withUnsafeBufferPointer { l in
                let batch = retort_sequence_batch_v1(logps: l.baseAddress, count: 1, reference_logps: nil, rewards: nil,
                                                     group_ids: nil, ranks: nil, lengths: nil, parameters_json: nil)
                return try plugin.sequenceLoss("label-smoothed-ce", batch: batch, gradient: &gradient)
            }
            Issue.record("expected an error")
        } catch let error as PluginCallError {
            #expect(error.status == .unsupported)
        }
    }
}

/// Builds a `retort_token_batch_v1` over the given arrays for the duration of `body`.
func withTokenBatch<T>(logits: [Float], positions: Int, vocab: Int, targets: [Int32], mask: [Float],
                       parameters: String, _ body: (retort_token_batch_v1) throws -> T) rethrows -> T {
    try logits.withUnsafeBufferPointer { l in
        try targets.withUnsafeBufferPointer { t in
            try mask.withUnsafeBufferPointer { m in
                try parameters.withCString { p in
                    try body(retort_token_batch_v1(
                        student_logits: l.baseAddress, positions: Int64(positions), vocab: Int64(vocab),
                        targets: t.baseAddress, loss_mask: m.baseAddress, teacher_logprobs: nil, teacher_topk_ids: nil,
                        teacher_topk_logprobs: nil, teacher_k: 0, temperature: 1, parameters_json: p))
                }
            }
        }
    }
}
