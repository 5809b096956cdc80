// Sequence packing: examples laid end to end into B rows of T tokens, each example with its own
// segment id so attention never crosses from one example into another, positions restarting at
// every example, and the tail of each row padded (segment -1, weight 0).
import Foundation
import RetortModels

/// One micro-batch of packed examples: every array is row-major (B, T) (teacher rows × vocab or × k).
public struct PackedBatch: Sendable {
    public let B: Int
    public let T: Int
    public let vocab: Int
    public var tokens: [Int32]
    /// Example index within its row (0, 1, …), -1 on padding.
    public var segments: [Int32]
    /// Positions restarting at 0 for every example (0 on padding).
    public var positions: [Int32]
    /// The next token of the same example, -1 at an example's last token and on padding.
    public var targets: [Int32]
    /// The example's mask of the target token (0 where there is no target).
    public var lossMask: [Float]
    public var teacherLogprobs: [Float]?
    public var teacherTopKIds: [Int32]?
    public var teacherTopKLogprobs: [Float]?
    public var teacherK: Int
    /// How many examples the batch holds.
    public let exampleCount: Int

    /// Tokens that belong to an example (not padding).
    public var realTokenCount: Int { segments.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }

    /// Σ loss mask: the number of trained positions when masks are 0/1.
    public var lossWeight: Double { lossMask.reduce(0.0) { $0 + Double($1) } }

    /// Packs `examples` greedily in order: an example goes on the current row when it fits, else on
    /// a new row. Throws when they need more than B rows or one is longer than T.
    /// `firstIndex` numbers the examples in errors.
    public init(examples: [TrainingExample], B: Int, T: Int, vocab: Int, firstIndex: Int = 0) throws {
        self.B = B
        self.T = T
        self.vocab = vocab
        let N = B * T
        tokens = [Int32](repeating: 0, count: N)
        segments = [Int32](repeating: -1, count: N)
        targets = [Int32](repeating: -1, count: N)
        lossMask = [Float](repeating: 0, count: N)
        exampleCount = examples.count
        let kind = examples.first.map { Self.teacherKind($0.teacher) } ?? "no"
        let width = examples.first?.teacher?.valuesPerPosition(vocab: vocab) ?? 0
        teacherK = 0
        switch examples.first?.teacher {
        case .dense:
            // padding rows get a uniform teacher, a valid distribution that weight 0 ignores
            teacherLogprobs = [Float](repeating: -Float(log(Double(vocab))), count: N * vocab)
        case .sparse(_, _, let k):
            teacherK = k
            var ids = [Int32](repeating: 0, count: N * k)
            for n in 0..<N { for i in 0..<k { ids[n * k + i] = Int32(i) } }
            teacherTopKIds = ids
            teacherTopKLogprobs = [Float](repeating: -Float(log(Double(vocab))), count: N * k)
        case nil:
            break
        }

        var row = 0, fill = 0, segment: Int32 = 0
        for (offset, example) in examples.enumerated() {
            let index = firstIndex + offset
            try example.validate(index: index, vocab: vocab)
            let length = example.tokens.count
            guard length <= T else { throw TrainerError.exampleTooLong(index: index, length: length, sequenceLength: T) }
            if Self.teacherKind(example.teacher) != kind {
                throw TrainerError.mixedTeachers(index: index, expected: kind, actual: Self.teacherKind(example.teacher))
            }
            if fill + length > T { row += 1; fill = 0; segment = 0 }
            guard row < B else {
                throw TrainerError.invalidSetting(name: "batch rows", value: "\(B)", allowed: "enough for \(examples.count) examples")
            }
            let start = row * T + fill
            for t in 0..<length {
                tokens[start + t] = example.tokens[t]
                segments[start + t] = segment
                if t + 1 < length {
                    targets[start + t] = example.tokens[t + 1]
                    lossMask[start + t] = example.lossMask[t + 1]
                }
            }
            switch example.teacher {
            case .dense(let logprobs):
                teacherLogprobs!.replaceSubrange((start * vocab)..<((start + length) * vocab), with: logprobs)
            case .sparse(let ids, let logprobs, _):
                teacherTopKIds!.replaceSubrange((start * width)..<((start + length) * width), with: ids)
                teacherTopKLogprobs!.replaceSubrange((start * width)..<((start + length) * width), with: logprobs)
            case nil:
                break
            }
            fill += length
            segment += 1
        }
        positions = LlamaModel.positions(segments: segments, B: B, T: T)
    }

    static func teacherKind(_ teacher: TeacherDistribution?) -> String {
        switch teacher {
        case .dense: "dense"
        case .sparse(_, _, let k): "sparse top-\(k)"
        case nil: "no"
        }
    }
}
