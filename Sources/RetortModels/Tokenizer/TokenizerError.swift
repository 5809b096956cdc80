// The one error type of the tokenizers: every malformed vocabulary, tokenizer.json, id or byte
// sequence is reported through it with a message that says what was wrong and where.
import Foundation

public enum TokenizerError: Error, LocalizedError, Sendable, Equatable {
    /// The tokenizer.json text is not JSON; the message carries the line and column.
    case malformedJSON(String)
    /// A file could not be read.
    case unreadableFile(path: String, reason: String)
    /// The tokenizer.json `model.type` (or another component) is not one this code implements.
    case unsupported(component: String, value: String)
    /// A required field is absent.
    case missingField(String)
    /// A field is present but has the wrong shape or value.
    case invalidField(String, reason: String)
    /// A merge names a token that is not in the vocabulary, or produces one that is not.
    case invalidMerge(index: Int, merge: String, reason: String)
    /// A token id outside `0..<vocabularySize`.
    case idOutOfRange(Int32, vocabularySize: Int)
    /// Decoded bytes are not valid UTF-8 (starting at `offset`).
    case invalidUTF8(offset: Int)

    public var errorDescription: String? {
        switch self {
        case .malformedJSON(let message): "tokenizer.json is not valid JSON: \(message)"
        case .unreadableFile(let path, let reason): "cannot read tokenizer file \(path): \(reason)"
        case .unsupported(let component, let value): "unsupported tokenizer \(component): \(value)"
        case .missingField(let field): "tokenizer is missing the field \(field)"
        case .invalidField(let field, let reason): "tokenizer field \(field) is invalid: \(reason)"
        case .invalidMerge(let index, let merge, let reason): "merge #\(index) \"\(merge)\" is invalid: \(reason)"
        case .idOutOfRange(let id, let size): "token id \(id) is outside the vocabulary (0..<\(size))"
        case .invalidUTF8(let offset): "decoded bytes are not valid UTF-8 at byte offset \(offset)"
        }
    }
}
