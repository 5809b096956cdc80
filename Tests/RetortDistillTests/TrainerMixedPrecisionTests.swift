// Mixed-precision training (bfloat16 matrix-product inputs, float32 accumulation, master weights
// and optimizer): it learns the copy task as float32 does, its first loss is float32's to bfloat16
// accuracy, and it is refused with a clear reason where the machine has no bfloat16 products.
import Foundation
import RetortModels
import RetortTensor
import Testing
@testable import RetortDistill

@Suite struct TrainerMixedPrecisionTests {
    static func trainer(_ precision: MatrixPrecision, steps: Int) throws -> DistillationTrainer {
        let model = try LlamaModel(config: TrainerFixtures.config(hidden: 32, layers: 2, heads: 4, vocab: 8), seed: 1)
        var configuration = TrainerConfiguration(objectives: [.init(name: "sft", weight: 1)], batchRows: 4, sequenceLength: 12,
                                                 maxSteps: steps, learningRate: .cosine(peak: 1e-2, warmupSteps: 10, totalSteps: steps))
        configuration.adamW.weightDecay = 0
        configuration.seed = 3
        configuration.matrixPrecision = precision
        return try DistillationTrainer(model: model, examples: TrainerFixtures.copyExamples(count: 32, vocab: 8, seed: 2),
                                       configuration: configuration)
    }

    @Test(.enabled(if: GEMM.bfloat16Backend != nil, "this CPU has no AVX512-BF16 or AMX, or the build has no oneDNN"))
    func bfloat16ProductsLearnTheCopyTaskLikeFloat32() throws {
        let mixed = try Self.trainer(.bfloat16, steps: 250).run()
        let full = try Self.trainer(.float32, steps: 1).run()
        #expect(mixed.allSatisfy { !$0.skipped })
        // the same first loss to bfloat16's accuracy (8 bits of mantissa), but not the same bits
        #expect(abs(mixed[0].loss - full[0].loss) < 1e-2 * full[0].loss, "\(mixed[0].loss) vs \(full[0].loss)")
        #expect(mixed[0].loss != full[0].loss)
        let last = mixed.suffix(10).map(\.loss).reduce(0, +) / 10
        #expect(last < 0.05, "mean loss of the last 10 steps is \(last)")
    }

    @Test(.enabled(if: GEMM.bfloat16Backend == nil, "this machine has bfloat16 products"))
    func bfloat16IsRefusedWhereTheMachineHasNoBFloat16Products() {
        #expect(throws: TrainerError.self) { try Self.trainer(.bfloat16, steps: 1) }
    }
}
