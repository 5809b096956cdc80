// The residual connection: out = a + b element-wise, and its backward, which passes the gradient
// unchanged to both inputs.

public enum Residual {
    /// out[i] = a[i] + b[i]. out, a and b have N elements; out may be a or b (in place).
    public static func forward(out: Tensor, a: Tensor, b: Tensor, N: Int) throws {
        let op = "Residual.forward"
        for (name, tensor) in [("out", out), ("a", a), ("b", b)] {
            try expectShape(tensor, [N], op: op, argument: name, flat: true)
        }
        let y = out.data, x1 = a.data, x2 = b.data
        Parallel.forEachRange(N, costPerItem: 1) { range in
            for i in range { y[i] = x1[i] + x2[i] }
        }
    }

    /// Backward of `forward`: da += dout and db += dout. Each of da, db has N elements.
    public static func backward(da: Tensor, db: Tensor, dout: Tensor, N: Int) throws {
        let op = "Residual.backward"
        for (name, tensor) in [("da", da), ("db", db), ("dout", dout)] {
            try expectShape(tensor, [N], op: op, argument: name, flat: true)
        }
        let g1 = da.data, g2 = db.data, dy = dout.data
        // forward: out = a + b; so da += dout, db += dout
        Parallel.forEachRange(N, costPerItem: 2) { range in
            for i in range {
                g1[i] += dy[i]
                g2[i] += dy[i]
            }
        }
    }
}
