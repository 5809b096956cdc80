// Token embedding lookup (token ids to rows of a table) and its backward, a scatter-add into the
// rows of the table that were looked up.

public enum Embedding {
    /// out[n, :] = table[tokens[n], :].
    /// out is (N, C), tokens has N ids in 0..<V, table is (V, C).
    public static func forward(out: Tensor, tokens: [Int32], table: Tensor, N: Int, V: Int, C: Int) throws {
        let op = "Embedding.forward"
        try expectShape(out, [N, C], op: op, argument: "out")
        try expectShape(table, [V, C], op: op, argument: "table")
        try checkTokens(tokens, N: N, V: V, op: op)
        let outp = out.data, tablep = table.data
        tokens.withUnsafeBufferPointer { ids in
            Parallel.forEach(N, costPerItem: C) { n in
                (outp + n * C).update(from: tablep + Int(ids[n]) * C, count: C)
            }
        }
    }

    /// Backward of `forward`: dtable (V, C) += scatter of dout (N, C) by tokens.
    /// Parallel over blocks of channels, not tokens, because repeated tokens would make threads
    /// collide on the same table row.
    public static func backward(dtable: Tensor, dout: Tensor, tokens: [Int32], N: Int, V: Int, C: Int) throws {
        let op = "Embedding.backward"
        try expectShape(dtable, [V, C], op: op, argument: "dtable")
        try expectShape(dout, [N, C], op: op, argument: "dout")
        try checkTokens(tokens, N: N, V: V, op: op)
        let dtablep = dtable.data, doutp = dout.data
        tokens.withUnsafeBufferPointer { ids in
            Parallel.forEachRange(C, costPerItem: N) { block in
                for n in 0..<N {
                    // forward: out[n, c] = table[tokens[n], c]; so dtable[tokens[n], c] += dout[n, c]
                    let src = doutp + n * C
                    let dst = dtablep + Int(ids[n]) * C
                    for c in block { dst[c] += src[c] }
                }
            }
        }
    }

    static func checkTokens(_ tokens: [Int32], N: Int, V: Int, op: String) throws {
        try expectLength(tokens.count, N, op: op, argument: "tokens")
        for (n, id) in tokens.enumerated() where id < 0 || Int(id) >= V {
            throw TensorError.indexOutOfRange(op: op, argument: "tokens", position: n, value: Int(id), limit: V)
        }
    }
}
