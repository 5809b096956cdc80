// The training benchmark's arithmetic and a tiny run end to end (values, not timing).
import Foundation
import RetortModels
@testable import RetortPipeline
import Testing

@Suite struct TrainingBenchmarkTests {
    @Test func flopEstimateCountsEveryMatrixProductAndCausalAttention() throws {
        // C=8, 1 layer, 2 heads of 4, 1 kv head, ffn 16, vocab 10: per layer q,o = 2·8·8, k,v = 2·8·4,
        // mlp = 3·8·16; head 8·10. 6·N + 12·L·T·C/2 per token, for 3 tokens of a 3-token sequence.
        let config = try LlamaConfig(hiddenSize: 8, numHiddenLayers: 1, numAttentionHeads: 2, numKeyValueHeads: 1,
                                     intermediateSize: 16, vocabSize: 10, tieWordEmbeddings: true)
        let n = Double(2 * 8 * 8 + 2 * 8 * 4 + 3 * 8 * 16 + 8 * 10)
        let expected = (6 * n + 12 * 1 * 3 * 8 / 2) * 3
        #expect(TrainingBenchmark.trainingFLOPs(config: config, tokensPerStep: 3, sequence: 3) == expected)
    }

    @Test func tinyRunReportsThroughputMemoryAndTheGemmPeak() throws {
        var shape = TrainingBenchmarkShape()
        (shape.layers, shape.hidden, shape.ffn, shape.heads, shape.kvHeads, shape.vocab) = (1, 32, 64, 4, 2, 97)
        (shape.batch, shape.sequence, shape.steps) = (2, 16, 2)
        let result = try TrainingBenchmark.run(shape)
        #expect(result.tokensPerSecond > 0 && result.secondsPerStep > 0)
        #expect(result.sgemmPeakGFLOPs > 0 && result.achievedGFLOPs > 0)
        #expect(result.peakMemoryBytes > 1_000_000)
        #expect(result.finalLoss.isFinite)
        #expect(result.json["fraction_of_sgemm_peak"]?.doubleValue != nil)
    }
}
