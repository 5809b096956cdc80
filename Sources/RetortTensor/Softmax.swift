// Softmax and log-softmax over the last dimension (rows), each with its backward; objectives use
// them on logits (e.g. temperature-scaled teacher and student distributions).
import Foundation

public enum Softmax {
    /// out[n, :] = exp(inp[n, :] - max) / Σ exp(inp[n, :] - max). out and inp are (N, V); out may be inp.
    public static func forward(out: Tensor, inp: Tensor, N: Int, V: Int) throws {
        let op = "Softmax.forward"
        try expectShape(out, [N, V], op: op, argument: "out")
        try expectShape(inp, [N, V], op: op, argument: "inp")
        let outp = out.data, inpp = inp.data
        Parallel.forEach(N, costPerItem: 20 * V) { n in
            let x = inpp + n * V, y = outp + n * V
            let rowMax = maximum(x, V)
            let sum = storeScaledExp(y, x, V, shift: rowMax, scale: 1)
            let inverseSum = 1 / sum
            for v in 0..<V { y[v] *= inverseSum }
        }
    }

    /// Backward of `forward`; dinp (N, V) += ..., dout is (N, V), out is forward's result (N, V).
    public static func backward(dinp: Tensor, dout: Tensor, out: Tensor, N: Int, V: Int) throws {
        let op = "Softmax.backward"
        for (name, tensor) in [("dinp", dinp), ("dout", dout), ("out", out)] {
            try expectShape(tensor, [N, V], op: op, argument: name)
        }
        let dx = dinp.data, dy = dout.data, y = out.data
        Parallel.forEach(N, costPerItem: 4 * V) { n in
            let row = n * V
            // forward: y[v] = exp(x[v]) / Σ_u exp(x[u]); so dy[v]/dx[u] = y[v] (δ_vu - y[u]) and
            // dx[u] += y[u] * (dy[u] - Σ_v dy[v] y[v])
            let weighted = dot(dy + row, y + row, V)
            for u in 0..<V { dx[row + u] += y[row + u] * (dy[row + u] - weighted) }
        }
    }
}

public enum LogSoftmax {
    /// out[n, v] = inp[n, v] - log Σ_u exp(inp[n, u]). out and inp are (N, V); out may be inp.
    public static func forward(out: Tensor, inp: Tensor, N: Int, V: Int) throws {
        let op = "LogSoftmax.forward"
        try expectShape(out, [N, V], op: op, argument: "out")
        try expectShape(inp, [N, V], op: op, argument: "inp")
        let outp = out.data, inpp = inp.data
        Parallel.forEach(N, costPerItem: 20 * V) { n in
            let x = inpp + n * V, y = outp + n * V
            let logSumExp = rowLogSumExp(x, V)
            for v in 0..<V { y[v] = x[v] - logSumExp }
        }
    }

    /// Backward of `forward`; dinp (N, V) += ..., dout is (N, V), out is forward's result (N, V).
    public static func backward(dinp: Tensor, dout: Tensor, out: Tensor, N: Int, V: Int) throws {
        let op = "LogSoftmax.backward"
        for (name, tensor) in [("dinp", dinp), ("dout", dout), ("out", out)] {
            try expectShape(tensor, [N, V], op: op, argument: name)
        }
        let dx = dinp.data, dy = dout.data, y = out.data
        Parallel.forEach(N, costPerItem: 20 * V) { n in
            let row = n * V
            // forward: y[v] = x[v] - log Σ_u exp(x[u]); so dy[v]/dx[u] = δ_vu - softmax[u] and
            // dx[u] += dy[u] - exp(y[u]) * Σ_v dy[v]
            var total: Float = 0
            for v in 0..<V { total += dy[row + v] }
            addScaled(dx + row, 1, dy + row, V)
            addScaledExp(dx + row, y + row, V, shift: 0, scale: -total)
        }
    }
}

/// log Σ exp(x[0..<n]), shifted by the maximum so it never overflows.
@inline(__always)
func rowLogSumExp(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    let rowMax = maximum(x, n)
    return rowMax + logf(sumOfExp(x, n, shift: rowMax))
}
