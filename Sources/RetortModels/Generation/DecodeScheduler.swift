// Continuous batching: generation calls join and leave one running batch. Each step runs, as one
// decode step, the next token of every running choice plus pieces of waiting prompts up to a row
// budget; a call whose prompt is in starts its choices, and a finished call leaves at once. Each
// choice keeps its own sampling, seed, stops, budget and log-probabilities, and decode steps keep
// rows apart, so a call's output does not depend on the calls around it. Not thread-safe:
// BatchedGenerator drives it from one thread; LocalLanguageModel.generate runs one call through it.
import Foundation

final class DecodeScheduler {
    let model: LocalLanguageModel
    /// Most tokens in one step: running choices' next tokens plus pieces of prompts.
    let maxStepRows: Int
    /// Most choices generating at once; waiting calls start as others finish.
    let maxSequences: Int
    private let workspace: DecodeWorkspace
    /// Calls whose prompt is not fully run yet, first come first served.
    private var waiting: [GenerationJob] = []
    /// Calls generating.
    private var running: [GenerationJob] = []
    /// Choices of started calls (running, or waiting with part of the prompt run) not yet finished.
    private var admittedSequences = 0

    init(model: LocalLanguageModel, workspace: DecodeWorkspace, maxStepRows: Int = 256, maxSequences: Int = 64) {
        self.model = model
        self.workspace = workspace
        self.maxStepRows = max(maxStepRows, 2)
        self.maxSequences = max(1, min(maxSequences, maxStepRows - 1))
    }

    var isIdle: Bool { waiting.isEmpty && running.isEmpty }

    /// Calls in the scheduler (waiting or generating).
    var jobCount: Int { waiting.count + running.count }

    func add(_ job: GenerationJob) { waiting.append(job) }

    /// Where a row of the step came from.
    private enum Origin {
        case choice(GenerationJob, Int)
        case prompt(GenerationJob, tokens: Int)
    }

    /// Runs one decode step for everything that can go now.
    func step() {
        endCancelledJobs()
        var inputs: [DecodeInput] = [], origins: [Origin] = []
        for job in running {
            for (choice, token) in job.nextTokens.enumerated() {
                guard let token, let cache = job.caches[choice] else { continue }
                inputs.append(DecodeInput(tokens: [token], cache: cache, logits: .last))
                origins.append(.choice(job, choice))
            }
        }
        var rowsLeft = maxStepRows - inputs.count
        for job in waiting where rowsLeft > 0 {
            if job.prefilled == 0 {
                // A call starts only when its choices fit (or when nothing else runs), in arrival order.
                guard admittedSequences == 0 || admittedSequences + job.options.n <= maxSequences else { break }
                recount(job)
            }
            let count = min(job.promptTokens.count - job.prefilled, rowsLeft)
            let piece = Array(job.promptTokens[job.prefilled..<(job.prefilled + count)])
            let last = job.prefilled + count == job.promptTokens.count
            inputs.append(DecodeInput(tokens: piece, cache: job.prefix, logits: last ? .last : .none))
            origins.append(.prompt(job, tokens: count))
            rowsLeft -= count
        }
        guard !inputs.isEmpty else { return }

        let output: DecodeOutput
        do {
            output = try model.model.decode(inputs, workspace: workspace)
        } catch {
            for origin in origins {
                switch origin {
                case .choice(let job, _), .prompt(let job, _): end(job, .failure(error))
                }
            }
            return
        }
        let V = model.model.config.vocabSize
        for (i, origin) in origins.enumerated() {
            let rows = output.rows[i]
            let logits = { UnsafeBufferPointer(start: output.logits.data + rows.lowerBound * V, count: V) }
            switch origin {
            case .choice(let job, let choice):
                guard !job.isComplete else { continue }
                do {
                    try job.advance(choice, logits: logits(), stopTokens: model.stopTokens)
                    recount(job)
                } catch {
                    end(job, .failure(error))
                }
            case .prompt(let job, let count):
                job.prefilled += count
                guard job.isPrefilled else { continue }
                waiting.removeAll { $0 === job }
                running.append(job)
                do {
                    try job.start(firstLogits: logits(), model: model)
                    recount(job)
                } catch {
                    end(job, .failure(error))
                }
            }
        }
        running.removeAll { $0.isComplete }
    }

    /// Updates the count of `job`'s choices that hold a place in the batch: all n from its first
    /// prompt piece, then those still generating, none once it is complete.
    private func recount(_ job: GenerationJob) {
        let now = job.isComplete ? 0 : job.runs.isEmpty ? job.options.n : job.activeChoices
        admittedSequences += now - job.countedSequences
        job.countedSequences = now
    }

    /// Calls whose cancellation was flagged end with CancellationError, between two steps.
    private func endCancelledJobs() {
        for job in waiting + running where job.cancellation?.isCancelled == true {
            end(job, .failure(CancellationError()))
        }
    }

    /// Ends `job` early and gives its choices' room to the waiting calls.
    private func end(_ job: GenerationJob, _ outcome: Result<[GenerationResult], any Error>) {
        guard !job.isComplete else { return }
        running.removeAll { $0 === job }
        waiting.removeAll { $0 === job }
        job.complete(outcome)
        recount(job)
    }
}
