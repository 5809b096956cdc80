// Runs a stage's units: drafts are made concurrently (they wait on the teacher), then finalized
// and committed strictly in unit order, so screening (dedup, novelty) sees the same history in a
// fresh run and in a resumed one, and the committed units always form a prefix of the order.

struct UnitRunner: Sendable {
    /// Drafts in flight at once.
    let width: Int

    /// Drafts `units` (index, id) and hands each result to `finalize` or `fail`, in order.
    func run(
        units: [(index: Int, id: String)],
        draft: @escaping @Sendable (Int, String) async throws -> UnitDraft,
        finalize: (Int, String, UnitDraft) throws -> Void,
        fail: (String, Error) throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: (Int, Result<UnitDraft, Error>).self) { group in
            var next = 0
            var ready: [Int: Result<UnitDraft, Error>] = [:]
            var cursor = 0
            func launch() {
                guard next < units.count else { return }
                let (index, id) = units[next]
                let position = next
                next += 1
                group.addTask {
                    do { return (position, .success(try await draft(index, id))) } catch { return (position, .failure(error)) }
                }
            }
            for _ in 0..<min(max(1, width), units.count) { launch() }
            while let (position, result) = try await group.next() {
                ready[position] = result
                while let result = ready.removeValue(forKey: cursor) {
                    let (index, id) = units[cursor]
                    cursor += 1
                    switch result {
                    case .success(let draft): try finalize(index, id, draft)
                    case .failure(let error):
                        if error is CancellationError { throw error }
                        try fail(id, error)
                    }
                    launch()
                }
            }
        }
    }
}

public struct StageFailure: Error, CustomStringConvertible, Sendable {
    public let stage: String
    public let message: String
    public var description: String { "stage \(stage): \(message)" }
}
