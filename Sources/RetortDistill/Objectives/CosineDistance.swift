// Cosine distance between hidden states, ℓ = 1 − cos(h_S, h_T) (the cosine embedding loss of
// DistilBERT, Sanh et al. 2019): matches directions, not magnitudes. Norms below `normFloor` are
// raised to it so a zero vector gives a finite loss.
import Foundation

public struct CosineDistance: PositionwiseFeatureObjective {
    public let name = "cosine"
    public static let normFloor = 1e-8

    public init() {}

    public func positionLoss(
        student: UnsafeBufferPointer<Float>, teacher: UnsafeBufferPointer<Float>,
        gradient: UnsafeMutableBufferPointer<Float>, scale: Double
    ) -> Double {
        var dot = 0.0, studentSquare = 0.0, teacherSquare = 0.0
        for d in 0..<student.count {
            let s = Double(student[d]), t = Double(teacher[d])
            dot += s * t
            studentSquare += s * s
            teacherSquare += t * t
        }
        let studentNormRaw = studentSquare.squareRoot()
        let studentNorm = max(studentNormRaw, Self.normFloor)
        let teacherNorm = max(teacherSquare.squareRoot(), Self.normFloor)
        let cosine = dot / (studentNorm * teacherNorm)
        // d cos/dh_S = h_T/(|S||T|) − cos · h_S/|S|² (the second term vanishes where the floor holds).
        let normTerm = studentNormRaw > Self.normFloor ? cosine / (studentNorm * studentNorm) : 0
        for d in 0..<student.count {
            let derivative = Double(teacher[d]) / (studentNorm * teacherNorm) - normTerm * Double(student[d])
            gradient[d] = Float(-scale * derivative)
        }
        return 1 - cosine
    }
}
