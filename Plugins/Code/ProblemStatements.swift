// New problems from a Self-Instruct prompt (the `problem-list` parser) and the check that a
// problem can be solved and tested in the sandbox (the `testable-problem` filter): it asks for a
// function, and needs no files, network, user input, GUI or randomness the tests cannot pin down.
import Foundation
import RetortPluginSDK

enum ProblemStatements {
    /// One record per listed problem; list markers and "Problem 3:" labels removed.
    static func parse(_ output: String) throws -> [JSONValue] {
        guard !output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw PluginFailure.parse("the teacher output is empty") }
        var problems: [String] = []
        for raw in output.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") { continue }
            if let marker = line.prefixMatch(of: /(?:\*\*)?(?:\(?\d{1,3}[.):]|[-*•])\s*(?:\*\*)?\s*/) { line = String(line[marker.range.upperBound...]) }
            if let label = line.prefixMatch(of: /(?i)(?:new\s+)?(?:problem|task|question)\s*\d*\s*[:.]\s*/) { line = String(line[label.range.upperBound...]) }
            line = line.trimmingCharacters(in: CharacterSet(charactersIn: "*_\"“” ").union(.whitespaces))
            let words = line.split(separator: " ").count
            guard words >= 5, line.first?.isLetter == true, !problems.contains(line) else { continue }
            if ["here are", "sure", "these problems", "i hope"].contains(where: { line.lowercased().hasPrefix($0) }) { continue }
            problems.append(line)
        }
        guard !problems.isEmpty else { throw PluginFailure.parse("no problem of at least 5 words in the output") }
        return problems.map { ["instruction": .string($0)] }
    }

    static let untestable: [(pattern: String, what: String)] = [
        ("file", "files"), ("download", "the network"), ("website", "the network"), ("url", "the network"), ("http", "the network"),
        ("api", "the network"), ("database", "a database"), ("user input", "user input"), ("input()", "user input"),
        ("gui", "a GUI"), ("window", "a GUI"), ("plot", "plotting"), ("random", "randomness"), ("current time", "the clock"),
        ("today", "the clock"),
    ]

    static func judgeTestable(_ record: JSONValue) -> Verdict {
        guard let text = record["instruction"]?.stringValue, !text.isEmpty else { return .reject("the record has no instruction") }
        let lower = text.lowercased()
        var problems: [String] = []
        if !lower.contains("function") && text.range(of: #"`\w+\("#, options: .regularExpression) == nil {
            problems.append("does not ask for a function")
        }
        let words = Set(lower.split(whereSeparator: { !$0.isLetter && $0 != "(" && $0 != ")" }).map(String.init))
        for (pattern, what) in untestable {
            let hit = pattern.contains(" ") || pattern.contains("(") ? lower.contains(pattern) : words.contains(pattern) || words.contains(pattern + "s")
            if hit, !problems.contains("needs \(what)") { problems.append("needs \(what)") }
        }
        let count = text.split(separator: " ").count
        if count < 6 { problems.append("is too short (\(count) words)") }
        if count > 150 { problems.append("is too long (\(count) words)") }
        return problems.isEmpty ? .keep(score: 1) : .reject("the problem \(problems.joined(separator: ", ")), so sandboxed unit tests cannot check it")
    }
}
