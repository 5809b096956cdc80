// The real SmolLM2-135M-Instruct.Q4_1.gguf (LLaMA architecture; Q8_0, Q4_1 and F32 tensors):
// model metadata, and dequantized tensors against statistics computed by the `gguf` Python
// package (Fixtures/smollm2_stats.json, made by make_gguf_fixtures.py --smollm2). Skipped, with a
// message saying so, when the model file is not present.
import Foundation
import RetortJSON
@testable import RetortModels
import Testing

@Suite(.enabled(if: GGUFTestModel.path != nil, GGUFTestModel.missingComment))
struct GGUFSmolLM2Tests {
    let file: GGUFFile

    init() throws {
        file = try GGUFFile(path: try #require(GGUFTestModel.path))
    }

    @Test func readsTheModelDescription() throws {
        let info = try GGUFModelInfo(file)
        #expect(info.architecture == "llama")
        #expect(info.contextLength == 8192)
        #expect(info.embeddingLength == 576)
        #expect(info.blockCount == 30)
        #expect(info.feedForwardLength == 1536)
        #expect(info.headCount == 9)
        #expect(info.headCountKV == 3)
        #expect(info.ropeFreqBase == 100_000)
        #expect(info.rmsNormEpsilon == 1e-5)
        #expect(info.vocabSize == 49152)
        #expect(info.tokenizer.model == "gpt2")
        #expect(info.tokenizer.pre == "smollm")
        #expect(info.tokenizer.tokens.count == 49152)
        #expect(info.tokenizer.tokens[1] == "<|im_start|>")
        #expect(info.tokenizer.tokenTypes?.count == 49152)
        #expect(info.tokenizer.merges.count == 48900)
        #expect(info.tokenizer.merges.first?.split(separator: " ").count == 2)
        #expect(info.tokenizer.bosTokenID == 1)
        #expect(info.tokenizer.eosTokenID == 2)
        #expect(info.tokenizer.paddingTokenID == 2)
        #expect(info.tokenizer.addBOSToken == false)
        #expect(info.chatTemplate?.contains("<|im_start|>") == true)
        #expect(file.tensors.count == 272)
    }

    @Test func dequantizedTensorsMatchTheGGUFPackage() throws {
        let stats = try GGUFFixtures.json("smollm2_stats.json")
        let firstTolerance = Float(try #require(stats["tolerance"]?["first16_abs"]?.doubleValue))
        let sumTolerance = try #require(stats["tolerance"]?["sum_rel"]?.doubleValue)
        let tensors = try #require(stats["tensors"]?.objectValue)
        #expect(Set(tensors.values.compactMap { $0["type"]?.stringValue }) == ["Q8_0", "Q4_1", "F32"])
        for (name, expected) in tensors {
            let info = try file.tensor(named: name)
            #expect(info.type.description == expected["type"]?.stringValue, "\(name)")
            #expect(info.dimensions == expected["dims"]?.arrayValue?.map { Int($0.doubleValue!) }, "\(name)")
            let values = try file.floats(name)
            #expect(Double(values.count) == expected["count"]?.doubleValue, "\(name)")
            let first = GGUFFixtures.floats(expected["first16"])
            #expect(zip(values.prefix(16), first).allSatisfy { abs($0 - $1) <= firstTolerance }, "\(name): \(Array(values.prefix(4)))")
            var sum = 0.0, squares = 0.0
            for v in values {
                sum += Double(v)
                squares += Double(v) * Double(v)
            }
            let expectedSum = try #require(expected["sum"]?.doubleValue)
            let expectedSquares = try #require(expected["sum_of_squares"]?.doubleValue)
            // Relative to the sum of squares' scale so a sum near zero is not held to zero error.
            #expect(abs(sum - expectedSum) <= sumTolerance * max(abs(expectedSum), squares.squareRoot()), "\(name): sum \(sum) vs \(expectedSum)")
            #expect(abs(squares - expectedSquares) <= sumTolerance * expectedSquares, "\(name): squares \(squares) vs \(expectedSquares)")
        }
    }
}
