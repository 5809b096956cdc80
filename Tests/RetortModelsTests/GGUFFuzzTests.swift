// Fuzzing the GGUF reader: thousands of seeded random mutations of the reference fixture (byte
// flips, truncations, 0xFF/0x00 runs that make counts and lengths absurd, inserted and deleted
// bytes). Every mutant must either parse (and then dequantize without crashing) or throw a
// GGUFError; any crash fails the run.
import Foundation
@testable import RetortModels
import Testing

/// SplitMix64: a small seeded generator so failures reproduce.
struct GGUFFuzzRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct GGUFFuzzTests {
    static func mutate(_ original: [UInt8], _ random: inout GGUFFuzzRandom) -> [UInt8] {
        var bytes = original
        // Most mutations land in the header, metadata and tensor infos, where parsing happens.
        let headerEnd = min(bytes.count, 1600)
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            guard !bytes.isEmpty else { break }
            let focus = Bool.random(using: &random) ? headerEnd : bytes.count
            let at = Int.random(in: 0..<max(1, min(focus, bytes.count)), using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0: bytes[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            case 1: bytes[at] = UInt8.random(in: 0...255, using: &random)
            case 2: bytes = Array(bytes.prefix(at))
            case 3:
                let fill: UInt8 = Bool.random(using: &random) ? 0xFF : 0x00
                for i in at..<min(bytes.count, at + Int.random(in: 1...8, using: &random)) { bytes[i] = fill }
            case 4: bytes.insert(contentsOf: (0..<Int.random(in: 1...9, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: at)
            default: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...9, using: &random)))
            }
        }
        return bytes
    }

    @Test func mutatedFilesNeverCrashTheReader() throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: GGUFFixtures.reference)))
        var random = GGUFFuzzRandom(state: 0x5EED_6647_5546)
        var parsed = 0, refused = 0
        var kinds = Set<GGUFError.Kind>()
        for iteration in 0..<4000 {
            let mutant = Self.mutate(original, &random)
            do {
                let file = try GGUFFile(data: Data(mutant), source: "mutant \(iteration)")
                parsed += 1
                _ = try? GGUFModelInfo(file)
                for key in file.metadataKeys {
                    _ = try? file.string(key)
                    _ = try? file.int32Array(key)
                }
                for tensor in file.tensors where tensor.type.canDequantize {
                    #expect(try file.floats(tensor.name).count == tensor.elementCount)
                }
            } catch let error as GGUFError {
                refused += 1
                kinds.insert(error.kind)
                #expect(error.errorDescription?.hasPrefix("GGUF mutant \(iteration): ") == true)
            } catch {
                Issue.record("mutant \(iteration) threw a non-GGUF error: \(error)")
            }
        }
        #expect(parsed + refused == 4000)
        #expect(refused > 1000, "mutations should often break the file; refused only \(refused)")
        #expect(parsed > 100, "mutations of tensor data should often still parse; parsed only \(parsed)")
        #expect(kinds.isSuperset(of: [.truncated, .corrupt]))
    }
}
