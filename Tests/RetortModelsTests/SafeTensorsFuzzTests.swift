// Fuzzing a model checkpoint as read from disk: seeded mutations of a tiny model's safetensors file
// (header-length field, JSON header with its dtypes, shapes and offsets, tensor bytes) and of its
// config.json. Every mutant must either load into a model or throw SafeTensorsError / ModelError;
// any crash fails the run. RETORT_FUZZ_ITERATIONS raises the count.
import Foundation
@testable import RetortModels
import Testing

@Suite struct SafeTensorsFuzzTests {
    static let config = #"{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 4, "intermediate_size": 12, "vocab_size": 7, "rms_norm_eps": 1e-05, "rope_theta": 10000.0, "tie_word_embeddings": false, "max_position_embeddings": 64}"#

    static let dictionary = [
        "{", "}", "[", "]", ",", ":", "\"", "\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"F16\"", "\"BF16\"",
        "\"I64\"", "\"BOOL\"", "\"__metadata__\"", "\"head_dim\"", "\"partial_rotary_factor\"", "null", "true",
    ]

    /// A mutated config and weights file must load, or be refused with a typed error.
    static func load(configJSON: [UInt8], weights: [UInt8], iteration: Int) throws -> LlamaModel? {
        let config = try LlamaConfig(configJSON: Data(configJSON), source: "config \(iteration)")
        let file = try SafeTensorsFile(data: Data(weights), source: "weights \(iteration)")
        for tensor in file.tensors {
            switch tensor.dtype {
            case .f64, .f32, .f16, .bf16: #expect(try file.floats(tensor.name).count == tensor.elementCount)
            default: #expect(try file.integers(tensor.name).count == tensor.elementCount)
            }
        }
        // A config mutated to a large model is valid; only build models this test can afford.
        let widths = [config.hiddenSize, config.intermediateSize, config.vocabSize, config.queryWidth, config.keyValueWidth]
        guard config.numHiddenLayers <= 4, widths.allSatisfy({ $0 <= 64 }) else { return nil }
        let model = try LlamaModel(config: config, seed: 1)
        try model.loadWeights(from: file)
        return model
    }

    @Test func mutatedCheckpointsLoadOrThrowTypedErrors() throws {
        let configBytes = Array(Self.config.utf8)
        let original = try LlamaModel(config: LlamaConfig(configJSON: Data(configBytes)), seed: 7)
        let weights = [UInt8](try original.weightsWriter(as: .f16).serialized())
        let weights32 = [UInt8](try original.weightsWriter(as: .f32).serialized())
        #expect(try Self.load(configJSON: configBytes, weights: weights, iteration: -1) != nil)

        var mutator = FuzzMutator(seed: 0x5AFE_7E45, dictionary: Self.dictionary)
        let count = FuzzMutator.iterations(default: 1500)
        var loaded = 0
        var refusedWeights = 0
        var refusedConfigs = 0
        for iteration in 0..<count {
            var mutantWeights = iteration % 2 == 0 ? weights : weights32
            var mutantConfig = configBytes
            switch iteration % 4 {
            case 0: mutantConfig = mutator.mutate(configBytes)
            case 1: Self.corruptHeaderLength(&mutantWeights, &mutator)
            default: mutantWeights = Self.mutateHeaderMostly(mutantWeights, &mutator)
            }
            do {
                if try Self.load(configJSON: mutantConfig, weights: mutantWeights, iteration: iteration) != nil { loaded += 1 }
            } catch is SafeTensorsError {
                refusedWeights += 1
            } catch is ModelError {
                refusedConfigs += 1
            } catch {
                Issue.record("mutant \(iteration) threw an untyped error: \(error)")
            }
        }
        #expect(loaded > count / 20, "mutated tensor bytes and harmless config edits should load; loaded \(loaded)")
        #expect(refusedWeights > count / 10 && refusedConfigs > count / 40,
                "refused \(refusedWeights) weight files and \(refusedConfigs) configs of \(count)")
    }

    /// A safetensors file with `header` as its JSON header and `dataBytes` zero bytes of data.
    static func file(header: String, dataBytes: Int) -> Data {
        let json = Array(header.utf8)
        return Data((0..<8).map { UInt8(truncatingIfNeeded: json.count >> (8 * $0)) } + json + [UInt8](repeating: 0, count: dataBytes))
    }

    /// Inputs on which the readers trapped before the fuzz run found them.
    @Test func fuzzFoundCrashesAreTypedErrors() throws {
        // Shape 2^31 × 2^31 fits Int, its byte count (× 8) does not.
        let huge = Self.file(header: #"{"t": {"dtype": "F64", "shape": [2147483648, 2147483648], "data_offsets": [0, 8]}}"#, dataBytes: 8)
        #expect(throws: SafeTensorsError(file: "huge", message: "tensor \"t\" has a shape too large to address")) {
            try SafeTensorsFile(data: huge, source: "huge")
        }
        // An end offset far past Int's range was converted to Int for the error message.
        let far = Self.file(header: #"{"t": {"dtype": "F32", "shape": [1], "data_offsets": [0, 1e308]}}"#, dataBytes: 4)
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(data: far, source: "far") }
        #expect(error?.message.contains("ends at byte 1e+308") == true, "\(String(describing: error))")
        // head_dim times the number of heads overflowed Int when the widths were computed.
        let config = Self.config.replacingOccurrences(of: #""head_dim": 4"#, with: #""head_dim": 9223372036854775807"#)
        #expect(throws: ModelError.invalidConfig(field: "head_dim", reason: "is 9223372036854775807, larger than any model (at most 2147483647)")) {
            try LlamaConfig(configJSON: Data(config.utf8))
        }
        let wide = Self.config.replacingOccurrences(of: #""head_dim": 4"#, with: #""head_dim": 2147483647"#)
        #expect(throws: ModelError.self) { try LlamaConfig(configJSON: Data(wide.utf8)) }
    }

    /// Overwrites the 8-byte little-endian header length with an extreme or off-by-a-little value.
    static func corruptHeaderLength(_ bytes: inout [UInt8], _ mutator: inout FuzzMutator) {
        var length = bytes.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        switch mutator.int(0..<5) {
        case 0: length = UInt64.max
        case 1: length = UInt64(bytes.count)
        case 2: length = length &+ UInt64(mutator.int(1..<16))
        case 3: length = length &- UInt64(mutator.int(1..<16))
        default: length = UInt64(mutator.int(0..<16))
        }
        for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: length >> (8 * UInt64(i))) }
    }

    /// Mutations focused on the JSON header, where parsing happens; sometimes the whole file.
    static func mutateHeaderMostly(_ bytes: [UInt8], _ mutator: inout FuzzMutator) -> [UInt8] {
        let headerEnd = 8 + bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard mutator.chance(4) == false, headerEnd <= bytes.count else { return mutator.mutate(bytes) }
        // Mutate the header text, then store its new length so the reader gets past the first check.
        let header = mutator.mutate(Array(bytes[8..<headerEnd]))
        var out = (0..<8).map { UInt8(truncatingIfNeeded: header.count >> (8 * $0)) }
        out += header
        out += bytes[headerEnd...]
        return out
    }
}
