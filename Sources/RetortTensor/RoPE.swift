// Rotary position embedding (Su et al., 2021) in the HF/LLaMA "rotate_half" layout: dimension i is
// paired with i + rotaryDim/2. Only the first `rotaryDim` dims of each head rotate (partial rotary);
// positions come per token, so a packed sequence restarts its positions at each segment.
import Foundation

public enum RoPE {
    /// For each token n, head h and i in 0..<rotaryDim/2, with angle = positions[n] * theta^(-2i/rotaryDim):
    ///   out[i]        = x[i] * cos(angle) - x[i + rotaryDim/2] * sin(angle)
    ///   out[i + half] = x[i + half] * cos(angle) + x[i] * sin(angle)
    /// and out[d] = x[d] for d in rotaryDim..<headDim.
    /// out and inp are (N, nHeads, headDim) and may be the same tensor (in place); positions has N entries.
    public static func forward(
        out: Tensor, inp: Tensor, positions: [Int32],
        N: Int, nHeads: Int, headDim: Int, rotaryDim: Int, theta: Float
    ) throws {
        let op = "RoPE.forward"
        try validate(op: op, tensors: [("out", out), ("inp", inp)], positions: positions,
                     N: N, nHeads: nHeads, headDim: headDim, rotaryDim: rotaryDim, theta: theta)
        rotate(out: out.data, inp: UnsafePointer(inp.data), accumulate: false, inverse: false, positions: positions,
               N: N, nHeads: nHeads, headDim: headDim, rotaryDim: rotaryDim, theta: theta)
    }

    /// Backward of `forward`: the rotation is orthogonal, so dinp += R(-angle) dout.
    /// dinp and dout are (N, nHeads, headDim) and must be different tensors (dinp accumulates).
    public static func backward(
        dinp: Tensor, dout: Tensor, positions: [Int32],
        N: Int, nHeads: Int, headDim: Int, rotaryDim: Int, theta: Float
    ) throws {
        let op = "RoPE.backward"
        try validate(op: op, tensors: [("dinp", dinp), ("dout", dout)], positions: positions,
                     N: N, nHeads: nHeads, headDim: headDim, rotaryDim: rotaryDim, theta: theta)
        if dinp.storage === dout.storage && dinp.offset == dout.offset {
            throw TensorError.invalidConfiguration(op: op, reason: "dinp and dout are the same buffer; dinp accumulates, so give it its own")
        }
        rotate(out: dinp.data, inp: UnsafePointer(dout.data), accumulate: true, inverse: true, positions: positions,
               N: N, nHeads: nHeads, headDim: headDim, rotaryDim: rotaryDim, theta: theta)
    }

    static func validate(
        op: String, tensors: [(String, Tensor)], positions: [Int32],
        N: Int, nHeads: Int, headDim: Int, rotaryDim: Int, theta: Float
    ) throws {
        guard rotaryDim >= 0, rotaryDim <= headDim, rotaryDim % 2 == 0 else {
            throw TensorError.invalidConfiguration(
                op: op, reason: "rotaryDim \(rotaryDim) must be even and within 0...headDim (\(headDim))")
        }
        guard theta > 0 else {
            throw TensorError.invalidConfiguration(op: op, reason: "theta (the RoPE base) must be positive, got \(theta)")
        }
        for (name, tensor) in tensors {
            try expectShape(tensor, [N, nHeads, headDim], op: op, argument: name)
        }
        try expectLength(positions.count, N, op: op, argument: "positions")
    }

    /// Applies R(angle) (or R(-angle) when `inverse`) to inp, writing or adding into out.
    static func rotate(
        out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, accumulate: Bool, inverse: Bool,
        positions: [Int32], N: Int, nHeads: Int, headDim: Int, rotaryDim: Int, theta: Float
    ) {
        let half = rotaryDim / 2
        // Inverse frequencies theta^(-2i/rotaryDim) in double precision, as HF computes inv_freq.
        let inverseFrequencies = (0..<half).map { i in pow(Double(theta), -Double(2 * i) / Double(rotaryDim)) }
        let sign: Float = inverse ? -1 : 1
        positions.withUnsafeBufferPointer { pos in
            inverseFrequencies.withUnsafeBufferPointer { freq in
                Parallel.forEachRange(N, costPerItem: nHeads * headDim * 4 + half * 40) { tokens in
                    var cosines = [Float](repeating: 0, count: half)
                    var sines = [Float](repeating: 0, count: half)
                    for n in tokens {
                        // One cos/sin table per token, shared by all heads; angles in double so large
                        // positions keep their precision.
                        for i in 0..<half {
                            let angle = Double(pos[n]) * freq[i]
                            cosines[i] = Float(cos(angle))
                            sines[i] = sign * Float(sin(angle))
                        }
                        for h in 0..<nHeads {
                            let x = inp + (n * nHeads + h) * headDim
                            let y = out + (n * nHeads + h) * headDim
                            for i in 0..<half {
                                let x1 = x[i], x2 = x[i + half]
                                let r1 = x1 * cosines[i] - x2 * sines[i]
                                let r2 = x2 * cosines[i] + x1 * sines[i]
                                if accumulate {
                                    y[i] += r1
                                    y[i + half] += r2
                                } else {
                                    y[i] = r1
                                    y[i + half] = r2
                                }
                            }
                            // Dimensions past rotaryDim pass through unchanged (and their gradient too).
                            for d in rotaryDim..<headDim {
                                if accumulate { y[d] += x[d] } else { y[d] = x[d] }
                            }
                        }
                    }
                }
            }
        }
    }
}
