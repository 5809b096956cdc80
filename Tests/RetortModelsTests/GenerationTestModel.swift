// The real SmolLM2 model for the generation tests, loaded once and lent to one test at a time (a
// LocalLanguageModel is not thread-safe). Missing, the tests fail and say how to get it.
import Foundation
import RetortModels
import Testing

enum GenerationTestModel {
    static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// $RETORT_TEST_GGUF, else ~/.cache/retort/models/<fileName>.
    static var path: String {
        if let path = ProcessInfo.processInfo.environment["RETORT_TEST_GGUF"], !path.isEmpty { return path }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/retort/models/" + fileName
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: Result<LocalLanguageModel, any Error>?

    /// Runs `body` with the shared model, holding it for the whole call.
    static func with<T>(_ body: (LocalLanguageModel) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if loaded == nil {
            guard FileManager.default.fileExists(atPath: path) else {
                throw MissingModel(path: path)
            }
            loaded = Result { try LocalLanguageModel(ggufPath: path) }
        }
        return try body(try loaded!.get())
    }

    struct MissingModel: Error, CustomStringConvertible {
        let path: String
        var description: String { "SmolLM2 model missing at \(path): run `make setup` (or set RETORT_TEST_GGUF)" }
    }

    /// The chat prompt of one user message, tokenized.
    static func chatPrompt(_ lm: LocalLanguageModel, _ question: String) throws -> [Int32] {
        lm.tokenizer.encode(try lm.chatPrompt([["role": "user", "content": .string(question)]]))
    }
}
