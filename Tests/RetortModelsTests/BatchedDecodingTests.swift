// Batched decoding: a step over many sequences of different lengths gives each sequence exactly
// the logits it gets alone, a prompt run in pieces fills the same cache as run at once, adapters
// keep rows apart too, caches grow as tokens arrive, and steps that cannot run are refused.
import Foundation
@testable import RetortModels
import RetortTensor
import Testing

@Suite struct BatchedDecodingTests {
    func tinyModel(seed: UInt64 = 11) throws -> LlamaModel {
        // Wide enough (K = 96, 160) that BLAS kernels for small and large products sum in different orders.
        let config = try LlamaConfig(hiddenSize: 96, numHiddenLayers: 2, numAttentionHeads: 6, numKeyValueHeads: 2,
                                     intermediateSize: 160, vocabSize: 17, ropeTheta: 500, tieWordEmbeddings: true)
        let model = try LlamaModel(config: config, seed: seed)
        model.isTraining = false
        return model
    }

    /// Sequence i decoded alone: its prompt at once, then `steps` tokens, returning every logits row.
    func decodeAlone(_ model: LlamaModel, prompt: [Int32], then tokens: [Int32]) throws -> [[Float]] {
        let cache = model.makeCache(capacity: prompt.count + tokens.count)
        let workspace = model.makeDecodeWorkspace()
        var rows = [try model.decode([DecodeInput(tokens: prompt, cache: cache)], workspace: workspace).logits.toArray()]
        for token in tokens {
            rows.append(try model.decode([DecodeInput(tokens: [token], cache: cache)], workspace: workspace).logits.toArray())
        }
        return rows
    }

    @Test func aBatchGivesEverySequenceTheLogitsItGetsAlone() throws {
        let model = try tinyModel()
        let prompts: [[Int32]] = [[3, 1, 4, 1, 5], [9], [2, 6, 5, 3, 5, 8, 9, 7, 9], [16, 0]]
        let continuations: [[Int32]] = [[2, 7, 1], [8, 2, 8], [3, 2, 3], [8, 4, 6]]
        let alone = try zip(prompts, continuations).map { try decodeAlone(model, prompt: $0, then: $1) }

        // Together: the prompts in one step (different lengths), then one token each per step; the
        // second sequence joins a step late, so the batch changes shape as it runs.
        let caches = prompts.map { model.makeCache(capacity: $0.count + 3) }
        let workspace = model.makeDecodeWorkspace()
        var together = Array(repeating: [[Float]](), count: prompts.count)
        let first = try model.decode([0, 2, 3].map { DecodeInput(tokens: prompts[$0], cache: caches[$0]) }, workspace: workspace)
        for (row, i) in [0, 2, 3].enumerated() { together[i].append(try first.logits.rows(row..<(row + 1)).toArray()) }
        for step in 0..<4 {
            var inputs: [DecodeInput] = [], owners: [Int] = []
            if step == 0 {
                inputs.append(DecodeInput(tokens: prompts[1], cache: caches[1]))
                owners.append(1)
            }
            for i in [0, 2, 3] where step < 3 {
                inputs.append(DecodeInput(tokens: [continuations[i][step]], cache: caches[i]))
                owners.append(i)
            }
            if step >= 1 {
                inputs.append(DecodeInput(tokens: [continuations[1][step - 1]], cache: caches[1]))
                owners.append(1)
            }
            let output = try model.decode(inputs, workspace: workspace)
            for (row, i) in owners.enumerated() { together[i].append(try output.logits.rows(row..<(row + 1)).toArray()) }
        }
        for i in prompts.indices {
            let worst = zip(together[i].joined(), alone[i].joined()).map { abs($0 - $1) }.max() ?? 0
            let identical = together[i] == alone[i]
            #expect(identical, "sequence \(i): batched logits differ from decoding it alone by up to \(worst)")
            #expect(caches[i].length == prompts[i].count + 3)
        }
    }

    @Test func aPromptRunInPiecesFillsTheSameCacheAsRunAtOnce() throws {
        let model = try tinyModel()
        let prompt: [Int32] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
        let whole = model.makeCache(capacity: 16), pieces = model.makeCache(capacity: 16)
        let workspace = model.makeDecodeWorkspace()
        let all = try model.decode([DecodeInput(tokens: prompt, cache: whole, logits: .all)], workspace: workspace).logits.toArray()
        var pieced: [Float] = []
        for range in [0..<4, 4..<5, 5..<11] {
            let output = try model.decode([DecodeInput(tokens: Array(prompt[range]), cache: pieces, logits: .all)], workspace: workspace)
            pieced += output.logits.toArray()
        }
        let sameLogits = pieced == all
        #expect(sameLogits, "largest difference \(zip(pieced, all).map { abs($0 - $1) }.max() ?? 0)")
        for l in 0..<2 {
            let width = model.config.keyValueWidth
            let a = Array(UnsafeBufferPointer(start: whole.key(l, 0), count: prompt.count * width))
            let b = Array(UnsafeBufferPointer(start: pieces.key(l, 0), count: prompt.count * width))
            let sameKeys = a == b
            #expect(sameKeys, "layer \(l) keys")
        }
    }

    @Test func logitsAreReturnedOnlyForTheRowsAskedFor() throws {
        let model = try tinyModel()
        let workspace = model.makeDecodeWorkspace()
        let a = model.makeCache(capacity: 8), b = model.makeCache(capacity: 8), c = model.makeCache(capacity: 8)
        let output = try model.decode([DecodeInput(tokens: [1, 2, 3], cache: a, logits: .all),
                                       DecodeInput(tokens: [4, 5], cache: b, logits: .none),
                                       DecodeInput(tokens: [6, 7], cache: c, logits: .last)], workspace: workspace)
        #expect(output.rows == [0..<3, 3..<3, 3..<4])
        #expect(output.logits.shape == [4, 17])
        #expect([a.length, b.length, c.length] == [Int](arrayLiteral: 3, 2, 2))
    }

    @Test func batchedDecodingMatchesAFullForwardPassWithAdapters() throws {
        let model = try tinyModel(seed: 4)
        try model.addLoRA(rank: 3, alpha: 6, projections: [.q, .v, .down], seed: 9)
        var generator = SplitMix64(seed: 2)
        for parameter in model.adapterParameters where parameter.name.hasSuffix("lora_B.weight") {
            for i in 0..<parameter.value.count { parameter.value.data[i] = 0.1 * generator.nextGaussian() }
        }
        let tokens: [Int32] = [5, 3, 9, 1, 12, 7]
        let full = try model.forward(tokens: tokens, B: 1, T: tokens.count).logits.toArray()
        let other = model.makeCache(capacity: 8), cache = model.makeCache(capacity: 8)
        let workspace = model.makeDecodeWorkspace()
        // Another sequence shares the steps, so the adapter rows must stay apart too.
        var rows = try model.decode([DecodeInput(tokens: [2, 2], cache: other),
                                     DecodeInput(tokens: Array(tokens[0..<3]), cache: cache, logits: .all)],
                                    workspace: workspace).logits.toArray().dropFirst(17).map { $0 }
        for token in tokens[3...] {
            let output = try model.decode([DecodeInput(tokens: [token], cache: cache), DecodeInput(tokens: [4], cache: other)],
                                          workspace: workspace)
            rows += try output.logits.rows(0..<1).toArray()
        }
        let worst = zip(rows, full).map { abs($0 - $1) }.max()!
        #expect(rows.count == full.count)
        #expect(worst < 1e-4, "worst difference \(worst)")
    }

    @Test func aCacheGrowsAsTokensArriveAndCopiesKeepItsTokens() throws {
        let model = try tinyModel()
        let cache = model.makeCache(capacity: 500)
        #expect(cache.reserved == 0, "nothing is allocated before the first token")
        let prompt = (0..<70).map { Int32($0 % 17) }
        _ = try model.decode(prompt, cache: cache)
        #expect(cache.length == 70 && cache.reserved >= 70 && cache.reserved < 500)
        let copy = cache.copy()
        let next = try model.decode([3], cache: cache).toArray()
        let fromCopy = try model.decode([3], cache: copy).toArray()
        let same = next == fromCopy
        #expect(same)
        #expect(copy.capacity == 500 && copy.length == 71)
    }

    @Test func stepsThatCannotRunAreRefused() throws {
        let model = try tinyModel()
        let workspace = model.makeDecodeWorkspace()
        let cache = model.makeCache(capacity: 4)
        #expect(throws: (any Error).self) { try model.decode([], workspace: workspace) }
        #expect(throws: (any Error).self) { try model.decode([DecodeInput(tokens: [], cache: cache)], workspace: workspace) }
        #expect(throws: ModelError.self) {
            try model.decode([DecodeInput(tokens: [1], cache: cache), DecodeInput(tokens: [2], cache: cache)], workspace: workspace)
        }
        #expect(throws: ModelError.self) { try model.decode([DecodeInput(tokens: [1, 2, 3, 4, 5], cache: cache)], workspace: workspace) }
        let other = try LlamaModel(config: try LlamaConfig(hiddenSize: 12, numHiddenLayers: 1, numAttentionHeads: 2,
                                                           intermediateSize: 8, vocabSize: 17), seed: 1)
        #expect(throws: ModelError.self) { try model.decode([DecodeInput(tokens: [1], cache: other.makeCache(capacity: 4))], workspace: workspace) }
        #expect(throws: ModelError.self) { try model.decode([DecodeInput(tokens: [1], cache: cache)], workspace: other.makeDecodeWorkspace()) }
        #expect(throws: TensorError.self) { try model.decode([DecodeInput(tokens: [17], cache: cache)], workspace: workspace) }
        #expect(cache.length == 0, "a refused step caches nothing")
        #expect(try model.decode([DecodeInput(tokens: [1, 2, 3, 4], cache: cache)], workspace: workspace).logits.shape == [1, 17])
    }
}
