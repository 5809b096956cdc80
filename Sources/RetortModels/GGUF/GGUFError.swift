// Errors raised while reading, decoding or writing GGUF files (the llama.cpp/ggml model format,
// https://github.com/ggml-org/ggml/blob/master/docs/gguf.md). Each names the file, the field and
// what was wrong with it.
import Foundation

public struct GGUFError: Error, LocalizedError, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The file ends before a field does.
        case truncated
        /// A field holds a value that cannot be right (bad magic, absurd count, misaligned offset…).
        case corrupt
        /// A valid value this code does not handle (a GGUF version, a ggml type without a decoder).
        case unsupported
        /// A metadata key or tensor the caller asked for is absent.
        case missing
        /// A metadata key holds another type than the caller asked for.
        case wrongType
        /// The caller passed values the writer cannot encode.
        case invalidInput
        /// The file could not be opened, mapped or written.
        case io
    }

    public let kind: Kind
    /// The file's path, or a description of its source ("memory").
    public let file: String
    /// The field involved: "magic", "tensor_count", "metadata key 'llama.block_count'", "tensor 'x' offset"…
    public let field: String
    public let problem: String

    public init(_ kind: Kind, file: String, field: String, _ problem: String) {
        self.kind = kind
        self.file = file
        self.field = field
        self.problem = problem
    }

    public var errorDescription: String? { "GGUF \(file): \(field): \(problem)" }
}
