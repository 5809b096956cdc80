// Runs a per-row computation across positions, in parallel when the rows hold enough work, and
// returns the per-row results in row order so sums do not depend on scheduling.
import Dispatch
import Foundation

enum RowParallel {
    /// Below this many elements (rows × columns) the rows run on the calling thread.
    static let parallelThreshold = 1 << 16

    /// Calls `body(row, &scratch)` for each row in `rows` and returns the results in row order.
    /// Each worker makes its own scratch with `makeScratch`. Rows write to disjoint memory, so
    /// `body` may write its own row of a shared output buffer. The error of the lowest failing
    /// row is rethrown.
    static func map<Scratch>(
        _ rows: Range<Int>,
        elementsPerRow: Int,
        makeScratch: () -> Scratch,
        _ body: (Int, inout Scratch) throws -> Double
    ) throws -> [Double] {
        let count = rows.count
        if count == 0 { return [] }
        let workers = count * max(elementsPerRow, 1) >= parallelThreshold
            ? min(count, max(1, ProcessInfo.processInfo.activeProcessorCount)) : 1
        var results = [Double](repeating: 0, count: count)
        if workers == 1 {
            var scratch = makeScratch()
            for offset in 0..<count { results[offset] = try body(rows.lowerBound + offset, &scratch) }
            return results
        }
        let resultBuffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
        resultBuffer.initialize(repeating: 0)
        let failureBuffer = UnsafeMutableBufferPointer<RowParallel.Failure?>.allocate(capacity: workers)
        failureBuffer.initialize(repeating: nil)
        defer {
            resultBuffer.deallocate()
            failureBuffer.deinitialize().deallocate()
        }
        withoutActuallyEscaping(body) { body in
            withoutActuallyEscaping(makeScratch) { makeScratch in
                // Workers touch disjoint slots of the two buffers and only read what `body` reads;
                // the closures do not outlive concurrentPerform, which returns after all workers.
                let shared = RowParallelShared(
                    body: body, makeScratch: makeScratch, results: resultBuffer, failures: failureBuffer)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let start = count * worker / workers
                    let end = count * (worker + 1) / workers
                    var scratch = shared.makeScratch()
                    for offset in start..<end {
                        do {
                            shared.results[offset] = try shared.body(rows.lowerBound + offset, &scratch)
                        } catch {
                            shared.failures[worker] = RowParallel.Failure(row: rows.lowerBound + offset, error: error)
                            return
                        }
                    }
                }
            }
        }
        let failures = failureBuffer.compactMap { $0 }
        if let first = failures.min(by: { $0.row < $1.row }) { throw first.error }
        results = Array(resultBuffer)
        return results
    }
}

extension RowParallel {
    struct Failure {
        var row: Int
        var error: any Error
    }
}

/// What the parallel workers share. Unchecked: the workers write disjoint elements only.
private struct RowParallelShared<Scratch>: @unchecked Sendable {
    let body: (Int, inout Scratch) throws -> Double
    let makeScratch: () -> Scratch
    let results: UnsafeMutableBufferPointer<Double>
    let failures: UnsafeMutableBufferPointer<RowParallel.Failure?>
}
