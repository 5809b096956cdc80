// A recipe problem, located: file, line and column of the offending YAML node, and the field's
// path (`knowledge[1].count`), so the user goes straight to it.
import Foundation

public struct RecipeError: Error, LocalizedError, Sendable, Equatable {
    public let file: String
    public let line: Int?
    public let column: Int?
    /// Dotted path of the field, e.g. "teacher.limits.concurrency"; "" for the whole document.
    public let field: String
    public let message: String

    public init(file: String, line: Int?, column: Int?, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var errorDescription: String? {
        var location = file
        if let line { location += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return field.isEmpty ? "\(location): \(message)" : "\(location): \(field): \(message)"
    }
}
