// Reads a plugin's JSON Lines seed file: one JSON object per line, blank lines allowed. Errors
// name the file and the line ("seeds/tasks.jsonl:12: not valid JSON: …").
import Foundation
import RetortJSON

public struct SeedFileError: Error, LocalizedError, Sendable, Equatable {
    public let file: String
    public let line: Int?
    public let message: String
    public var errorDescription: String? { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

enum SeedFile {
    static func read(path: String) throws(SeedFileError) -> [JSONValue] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SeedFileError(file: path, line: nil, message: "cannot read the file (missing or unreadable)")
        }
        return try parse(data: data, file: path)
    }

    static func parse(data: Data, file: String) throws(SeedFileError) -> [JSONValue] {
        var items: [JSONValue] = []
        var lineNumber = 0
        for lineBytes in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            guard let line = String(data: Data(lineBytes), encoding: .utf8) else {
                throw SeedFileError(file: file, line: lineNumber, message: "not valid UTF-8")
            }
            if line.allSatisfy(\.isWhitespace) { continue }
            let value: JSONValue
            do { value = try JSONValue(parsing: line) } catch {
                throw SeedFileError(file: file, line: lineNumber, message: error.message)
            }
            guard value.objectValue != nil else {
                throw SeedFileError(file: file, line: lineNumber, message: "expected a JSON object, found \(value.typeName)")
            }
            items.append(value)
        }
        return items
    }
}
