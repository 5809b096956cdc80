// Cross-entropy of logits against target token ids (-1 = ignore), the mean over counted positions,
// fused with its gradient. Works on a chunk of rows so the (N, V) logits never need to exist at once.
import Foundation

public enum CrossEntropy {
    /// The target value of positions that do not count (prompt tokens, padding).
    public static let ignoreIndex: Int32 = -1

    /// How many targets count: the normalizer of the mean, to be computed once over all chunks.
    public static func countedTargets<Targets: Collection<Int32>>(_ targets: Targets) -> Int {
        targets.reduce(0) { $0 + ($1 == ignoreIndex ? 0 : 1) }
    }

    /// For one chunk of R rows: returns the summed loss -log softmax(logits[r])[targets[r]] over the
    /// chunk's counted rows, and adds to dlogits the gradient of lossWeight * (total loss / normalizer):
    ///   dlogits[r, v] += lossWeight / normalizer * (softmax(logits[r])[v] - 1{v == targets[r]}).
    /// logits and dlogits are (R, V); targets has R entries (an ArraySlice of the batch's targets is
    /// fine); normalizer is `countedTargets` over the whole batch, so chunks add up to the batch mean.
    /// dlogits may be logits itself (the gradient then replaces the logits in place) or nil (loss only).
    public static func forwardBackward(
        dlogits: Tensor?, logits: Tensor, targets: ArraySlice<Int32>, normalizer: Int,
        R: Int, V: Int, lossWeight: Float = 1
    ) throws -> (lossSum: Double, counted: Int) {
        let op = "CrossEntropy.forwardBackward"
        try expectShape(logits, [R, V], op: op, argument: "logits")
        if let dlogits { try expectShape(dlogits, [R, V], op: op, argument: "dlogits") }
        try expectLength(targets.count, R, op: op, argument: "targets")
        for (r, target) in targets.enumerated() where target != ignoreIndex && (target < 0 || Int(target) >= V) {
            throw TensorError.indexOutOfRange(op: op, argument: "targets", position: r, value: Int(target), limit: V)
        }
        let counted = countedTargets(targets)
        if counted > 0 && normalizer <= 0 {
            throw TensorError.invalidConfiguration(op: op, reason: "normalizer must be positive when targets count, got \(normalizer)")
        }
        let scale = normalizer > 0 ? lossWeight / Float(normalizer) : 0
        let logitsp = logits.data, dlogitsp = dlogits?.data
        var rowLosses = [Double](repeating: 0, count: R)
        let inPlace = dlogits.map { $0.storage === logits.storage && $0.offset == logits.offset } ?? false
        let costPerRow = (dlogits == nil ? 20 : 40) * V
        Array(targets).withUnsafeBufferPointer { tgt in
            rowLosses.withUnsafeMutableBufferPointer { losses in
                Parallel.forEach(R, costPerItem: costPerRow) { r in
                    let target = Int(tgt[r])
                    if tgt[r] == ignoreIndex {
                        // an ignored row has no gradient; in place, its logits must not pass for one
                        if inPlace, let dlogitsp { (dlogitsp + r * V).update(repeating: 0, count: V) }
                        return
                    }
                    let x = logitsp + r * V
                    let logSumExp = rowLogSumExp(x, V)
                    // loss = -log softmax[target] = logSumExp - x[target]
                    losses[r] = Double(logSumExp) - Double(x[target])
                    guard let dlogitsp else { return }
                    let dx = dlogitsp + r * V
                    // loss = logSumExp(x) - x[target]; so dloss/dx[v] = softmax[v] - 1{v == target}
                    if inPlace {
                        storeScaledExp(dx, x, V, shift: logSumExp, scale: scale)
                    } else {
                        addScaledExp(dx, x, V, shift: logSumExp, scale: scale)
                    }
                    dx[target] -= scale
                }
            }
        }
        return (rowLosses.reduce(0, +), counted)
    }

    /// One row of V finite logits against `target`: returns −log softmax(x)[target] and, when dx is
    /// given, adds scale · (softmax(x)[v] − 1{v == target}) to dx[v]. Float32 exponentials in vector
    /// lanes, summed in float64 with the loss (the objectives' per-row form; the caller checks the
    /// row with `firstNonFinite`).
    public static func row(
        _ x: UnsafePointer<Float>, V: Int, target: Int, addingGradientTo dx: UnsafeMutablePointer<Float>?, scale: Float
    ) -> Double {
        let rowMax = maximum(x, V)
        let logSumExp = Double(rowMax) + log(sumOfExpInDouble(x, V, shift: rowMax))
        if let dx {
            addScaledExp(dx, x, V, shift: Float(logSumExp), scale: scale)
            dx[target] -= scale
        }
        return logSumExp - Double(x[target])
    }

    /// The whole batch at once: returns the mean loss over counted positions (0 when none count)
    /// and adds its gradient to dlogits. logits and dlogits are (N, V), targets has N entries.
    public static func meanLoss(dlogits: Tensor?, logits: Tensor, targets: [Int32], N: Int, V: Int) throws -> Double {
        let normalizer = countedTargets(targets)
        let result = try forwardBackward(
            dlogits: dlogits, logits: logits, targets: targets[...], normalizer: normalizer, R: N, V: V)
        return normalizer == 0 ? 0 : result.lossSum / Double(normalizer)
    }
}
