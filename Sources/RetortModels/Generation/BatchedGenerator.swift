// A local model shared by many concurrent callers: their generation calls join one running batch
// (continuous batching, see DecodeScheduler), so N callers share each decode step instead of
// waiting in line. Work that needs the model alone (teacher-forced scoring) runs between two steps.
// One thread drives the model; callers await their results, and may cancel them between tokens.
import Dispatch
import Foundation

public final class BatchedGenerator: @unchecked Sendable {
    /// The model it drives. Its tokenizer, template and settings may be read from any thread; its
    /// decode and forward passes run only through this generator.
    public let model: LocalLanguageModel
    private let scheduler: DecodeScheduler
    private let queue = DispatchQueue(label: "retort.batched-generator", qos: .userInitiated)
    private let lock = NSLock()
    /// Guarded by `lock`: calls not yet handed to the scheduler, exclusive work, and whether the
    /// driving loop is on the queue.
    private var arrivals: [GenerationJob] = []
    private var exclusiveWork: [() -> Void] = []
    private var driving = false

    /// `maxBatch` bounds the choices generating at once (later calls wait for room); `maxStepTokens`
    /// bounds the tokens of one step (running choices plus pieces of new prompts).
    public init(model: LocalLanguageModel, maxBatch: Int = 64, maxStepTokens: Int = 256) {
        self.model = model
        scheduler = DecodeScheduler(model: model, workspace: model.model.makeDecodeWorkspace(),
                                    maxStepRows: maxStepTokens, maxSequences: maxBatch)
    }

    /// Generates `options.n` choices after `promptTokens`, as LocalLanguageModel.generate does, in
    /// a batch with the other calls in flight. `onStep` is called on the generator's thread as text
    /// becomes final. Cancelling the calling task ends the call between two tokens with CancellationError.
    public func generate(promptTokens: [Int32], options: GenerationOptions,
                         onStep: @escaping @Sendable (GenerationStep) -> Void = { _ in }) async throws -> [GenerationResult] {
        let cancellation = GenerationCancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[GenerationResult], any Error>) in
                do {
                    let job = try GenerationJob(promptTokens: promptTokens, options: options, model: model,
                                                cancellation: cancellation, onStep: onStep) { continuation.resume(with: $0) }
                    submit { $0.arrivals.append(job) }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    /// Runs `work` with the model to itself, between two decode steps, and returns its result.
    public func exclusive<T: Sendable>(_ work: @escaping @Sendable (LocalLanguageModel) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let model = self.model
            submit { $0.exclusiveWork.append { continuation.resume(with: Result { try work(model) }) } }
        }
    }

    /// Adds work under the lock and starts the driving loop if it is not running.
    private func submit(_ add: (BatchedGenerator) -> Void) {
        let start = lock.withLock {
            add(self)
            defer { driving = true }
            return !driving
        }
        if start { queue.async { self.drive() } }
    }

    /// Steps the batch until nothing is left, taking in new calls and exclusive work between steps.
    private func drive() {
        while true {
            let taken: (jobs: [GenerationJob], work: [() -> Void])? = lock.withLock {
                if arrivals.isEmpty && exclusiveWork.isEmpty && scheduler.isIdle {
                    driving = false
                    return nil
                }
                defer { arrivals = []; exclusiveWork = [] }
                return (arrivals, exclusiveWork)
            }
            guard let taken else { return }
            for item in taken.work { item() }
            for job in taken.jobs { scheduler.add(job) }
            scheduler.step()
        }
    }
}
