// A programming problem of the seed set: what to write, the unit tests that decide whether a
// solution is right (top-level asserts, one test case each), and a reference solution. The seed
// sets present the same problems three ways: for solving (tests as the input, as MBPP prompts
// show them), for solving with the tests inside the instruction (self-knowledge samples, whose
// filter record carries only the instruction), and for writing tests against the reference.
import RetortPluginSDK

struct CodeProblem: Sendable {
    var id: String
    var topic: String
    /// The function the problem asks for.
    var entryPoint: String
    var instruction: String
    var tests: String
    var solution: String

    /// Easy problems first: a tiny recipe with a small teacher starts with them.
    static let all: [CodeProblem] = numbers + text + collections

    static var topics: [String] { Array(Set(all.map(\.topic))).sorted() }

    /// For labeling with `solve`: the tests are the `input` slot.
    var solveItem: JSONValue {
        ["id": .string(id), "instruction": .string(instruction), "input": .string(tests), "topic": .string(topic),
         "entry_point": .string(entryPoint), "reference": .string(solution)]
    }

    /// For self-knowledge with `attempt`: the tests travel in the instruction (MBPP's prompt form),
    /// where the `passes-tests` filter finds them.
    var inlineItem: JSONValue {
        ["id": .string(id), "instruction": .string(instruction + "\nYour code should pass these tests:\n" + tests),
         "topic": .string(topic), "entry_point": .string(entryPoint)]
    }

    /// For labeling with `write-tests`: the reference solution is the `input` slot.
    var testWritingItem: JSONValue {
        ["id": .string(id), "instruction": .string(instruction), "input": .string(solution), "topic": .string(topic),
         "entry_point": .string(entryPoint), "reference": .string(tests)]
    }
}
