// The error of exporting or importing a model (GGUF export, Hugging Face folders): the file or
// folder involved and what is wrong with it, said so that the user knows what to change.
import Foundation

public struct ModelConversionError: Error, LocalizedError, Sendable, Equatable {
    /// The file or folder being written or read.
    public let file: String
    public let problem: String

    public init(file: String, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    public var errorDescription: String? { "\(file): \(problem)" }
}
