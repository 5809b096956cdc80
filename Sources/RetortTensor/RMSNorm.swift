// RMSNorm (Zhang & Sennrich, 2019) as used by LLaMA: each row is divided by its root mean square
// and scaled per channel by a learned weight. No mean subtraction, no bias.
import Foundation

public enum RMSNorm {
    /// out[n, c] = inp[n, c] * rstd[n] * weight[c], with rstd[n] = 1 / sqrt(mean_c(inp[n, c]^2) + eps).
    /// out is (N, C), rstd is (N) and is saved for backward, inp is (N, C), weight is (C).
    public static func forward(
        out: Tensor, rstd: Tensor, inp: Tensor, weight: Tensor, eps: Float, N: Int, C: Int
    ) throws {
        let op = "RMSNorm.forward"
        try expectShape(out, [N, C], op: op, argument: "out")
        try expectShape(rstd, [N], op: op, argument: "rstd")
        try expectShape(inp, [N, C], op: op, argument: "inp")
        try expectShape(weight, [C], op: op, argument: "weight")
        let outp = out.data, rstdp = rstd.data, inpp = inp.data, w = weight.data
        Parallel.forEach(N, costPerItem: 3 * C) { n in
            let x = inpp + n * C, y = outp + n * C
            let meanSquare = sumOfSquares(x, C) / Float(C)
            let s = 1 / (meanSquare + eps).squareRoot()
            rstdp[n] = s
            for c in 0..<C { y[c] = x[c] * s * w[c] }
        }
    }

    /// Backward of `forward`. dinp is (N, C), dweight is (C), dout is (N, C), inp is (N, C),
    /// weight is (C), rstd is (N) from forward. Gradients accumulate (+=).
    public static func backward(
        dinp: Tensor, dweight: Tensor?, dout: Tensor, inp: Tensor, weight: Tensor, rstd: Tensor, N: Int, C: Int
    ) throws {
        let op = "RMSNorm.backward"
        try expectShape(dinp, [N, C], op: op, argument: "dinp")
        if let dweight { try expectShape(dweight, [C], op: op, argument: "dweight") }
        try expectShape(dout, [N, C], op: op, argument: "dout")
        try expectShape(inp, [N, C], op: op, argument: "inp")
        try expectShape(weight, [C], op: op, argument: "weight")
        try expectShape(rstd, [N], op: op, argument: "rstd")
        let dinpp = dinp.data, doutp = dout.data, inpp = inp.data, w = weight.data, rstdp = rstd.data
        // forward: y[c] = w[c] * x[c] * s, with s = (Σ_i x[i]^2 / C + eps)^(-1/2), so ds/dx[j] = -s^3 x[j] / C
        // dx[j] = dy[j] w[j] s + Σ_c dy[c] w[c] x[c] * (-s^3 x[j] / C)
        //       = s * (dy[j] w[j] - x[j] * s^2 / C * Σ_c dy[c] w[c] x[c])
        // Rows are independent, so parallel over rows.
        Parallel.forEach(N, costPerItem: 5 * C) { n in
            let x = inpp + n * C, dy = doutp + n * C, dx = dinpp + n * C
            let s = rstdp[n]
            var projection: Float = 0  // Σ_c dy[c] w[c] x[c]
            for c in 0..<C { projection += dy[c] * w[c] * x[c] }
            let k = projection * s * s / Float(C)
            for c in 0..<C { dx[c] += s * (dy[c] * w[c] - x[c] * k) }
        }
        // forward: y[n, c] = w[c] * (x[n, c] * s[n]); so dw[c] += Σ_n dy[n, c] * x[n, c] * s[n].
        // Parallel over blocks of channels so threads never share a dweight element.
        if let dweight {
            let dw = dweight.data
            Parallel.forEachRange(C, costPerItem: 2 * N) { block in
                for n in 0..<N {
                    let x = inpp + n * C, dy = doutp + n * C, s = rstdp[n]
                    for c in block { dw[c] += dy[c] * x[c] * s }
                }
            }
        }
    }
}
