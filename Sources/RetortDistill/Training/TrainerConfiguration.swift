// Everything a training run is set up with: the objective mixture by registry name, batch shape,
// accumulation, schedule, optimizer, clipping, chunking, checkpoints and the seed of the data order.
import Foundation
import RetortTensor

public struct TrainerConfiguration: Sendable {
    /// The objectives and their weights, e.g. [sft × 0.5, reverse-kl × 0.5]: token and feature
    /// objectives for a trainer of examples, sequence objectives for one of preferences.
    public var objectives: [ObjectiveRegistry.MixturePart]
    /// Feature objectives' pairs of hidden-state numbers, student ↔ teacher (0 = the embeddings,
    /// k = the output of layer k), with weights; empty: Patient KD's skip mapping of layer outputs.
    public var featureLayers: [FeatureLayerPair] = []
    /// Softmax temperature applied to student and teacher (see TeacherMatching).
    public var temperature: Float = 1
    /// Rows per micro-batch (B) and tokens per row (T); examples are packed into the rows.
    public var batchRows: Int
    public var sequenceLength: Int
    /// Micro-batches whose gradients add up before one optimizer step.
    public var gradientAccumulationSteps: Int = 1
    /// Optimizer steps `run()` takes in total.
    public var maxSteps: Int
    public var learningRate: LearningRateSchedule
    public var adamW = AdamW.Configuration()
    /// The global gradient norm is clipped to this; nil disables clipping.
    public var clipNorm: Float? = 1
    /// Skips steps whose loss jumps far above the recent level and lowers the rate after them; nil: off.
    public var spikeGuard: LossSpikeGuard? = LossSpikeGuard()
    /// Positions whose dL/dlogits are computed at once (the objective's scratch is chunk × vocab).
    public var chunkPositions: Int = 256
    /// Save a checkpoint after every `checkpointInterval` steps into `checkpointDirectory`
    /// (nil for either: no checkpoints).
    public var checkpointInterval: Int?
    public var checkpointDirectory: String?
    /// The inputs of the forward and backward matrix products: float32, or bfloat16 with float32
    /// accumulation (master weights, optimizer state and every other op stay float32).
    public var matrixPrecision: MatrixPrecision = .float32
    /// Seeds the data order (shuffled every epoch when `shuffles`).
    public var seed: UInt64 = 0
    public var shuffles = true

    public init(objectives: [ObjectiveRegistry.MixturePart], batchRows: Int, sequenceLength: Int, maxSteps: Int,
                learningRate: LearningRateSchedule) {
        self.objectives = objectives
        self.batchRows = batchRows
        self.sequenceLength = sequenceLength
        self.maxSteps = maxSteps
        self.learningRate = learningRate
    }

    /// Throws naming the first setting no run can have.
    func validate() throws {
        func require(_ ok: Bool, _ name: String, _ value: Any, _ allowed: String) throws {
            if !ok { throw TrainerError.invalidSetting(name: name, value: "\(value)", allowed: allowed) }
        }
        try require(!objectives.isEmpty, "objectives", "[]", "at least one objective")
        try require(temperature.isFinite && temperature > 0, "temperature", temperature, "finite and > 0")
        try require(batchRows > 0, "batchRows", batchRows, "> 0")
        try require(sequenceLength > 0, "sequenceLength", sequenceLength, "> 0")
        try require(gradientAccumulationSteps > 0, "gradientAccumulationSteps", gradientAccumulationSteps, "> 0")
        try require(maxSteps >= 0, "maxSteps", maxSteps, ">= 0")
        try require(chunkPositions > 0, "chunkPositions", chunkPositions, "> 0")
        if let clipNorm { try require(clipNorm.isFinite && clipNorm > 0, "clipNorm", clipNorm, "finite and > 0, or nil") }
        try spikeGuard?.validate()
        if matrixPrecision == .bfloat16, GEMM.bfloat16Backend == nil {
            throw TrainerError.invalidSetting(
                name: "matrixPrecision", value: "bf16",
                allowed: "float32 on this machine (bf16 products need oneDNN, Debian's libdnnl-dev, and a CPU with AVX512-BF16 or AMX)")
        }
        if let checkpointInterval { try require(checkpointInterval > 0, "checkpointInterval", checkpointInterval, "> 0, or nil") }
    }
}
