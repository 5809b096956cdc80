// The SwiGLU gate of LLaMA's MLP (Shazeer, 2020): out = silu(gate) * up, element-wise, where gate
// and up are the two input projections.

public enum SwiGLU {
    /// out[i] = silu(gate[i]) * up[i], with silu(x) = x * sigmoid(x).
    /// out, gate and up are (N, H), N usually B*T and H the MLP's hidden size.
    public static func forward(out: Tensor, gate: Tensor, up: Tensor, N: Int, H: Int) throws {
        let op = "SwiGLU.forward"
        for (name, tensor) in [("out", out), ("gate", gate), ("up", up)] {
            try expectShape(tensor, [N, H], op: op, argument: name)
        }
        let outp = out.data, g = gate.data, u = up.data
        Parallel.forEachRange(N * H, costPerItem: 20) { range in
            for i in range {
                let x = g[i]
                outp[i] = x / (1 + fastExp(-x)) * u[i]
            }
        }
    }

    /// Backward of `forward`; dgate and dup accumulate (+=). All tensors are (N, H).
    public static func backward(dgate: Tensor, dup: Tensor, dout: Tensor, gate: Tensor, up: Tensor, N: Int, H: Int) throws {
        let op = "SwiGLU.backward"
        for (name, tensor) in [("dgate", dgate), ("dup", dup), ("dout", dout), ("gate", gate), ("up", up)] {
            try expectShape(tensor, [N, H], op: op, argument: name)
        }
        let dg = dgate.data, du = dup.data, dy = dout.data, g = gate.data, u = up.data
        // forward: out = x * sigmoid(x) * up
        // so dup += dout * silu(x), and dgate += dout * up * sigmoid(x) * (1 + x * (1 - sigmoid(x)))
        Parallel.forEachRange(N * H, costPerItem: 30) { range in
            for i in range {
                let x = g[i]
                let sigmoid = 1 / (1 + fastExp(-x))
                du[i] += dy[i] * x * sigmoid
                dg[i] += dy[i] * u[i] * sigmoid * (1 + x * (1 - sigmoid))
            }
        }
    }
}
