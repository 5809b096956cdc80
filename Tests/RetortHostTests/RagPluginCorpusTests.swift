// A user's corpus: a folder of .jsonl, .txt and .md files is indexed and searched, and becomes a
// SAIL dataset a recipe reads with `input: {file: …}`; malformed files are errors that name the
// file and line, and an existing dataset is never overwritten.
import Foundation
import RetortHost
import RetortJSON
import Testing

@Suite struct RagPluginCorpusTests {
    let plugin: LoadedPlugin
    let folder: String

    init() throws {
        plugin = try RagPluginLibrary.load()
        folder = try BuildProducts.temporaryDirectory()
        try """
            {"id": "kiln", "title": "Kilns", "text": "A kiln fires clay at about 1,000 degrees Celsius to make pottery hard."}
            {"title": "Glazes", "text": "A glaze is a glassy coating that melts onto pottery in the second firing."}
            """.write(toFile: folder + "/pottery.jsonl", atomically: true, encoding: .utf8)
        try """
            # Sourdough
            A sourdough starter is a culture of wild yeast and lactic acid bacteria.

            Feeding the starter with flour and water keeps the culture active.
            """.write(toFile: folder + "/baking.md", atomically: true, encoding: .utf8)
        try "Tides are caused mainly by the gravity of the Moon.\n".write(toFile: folder + "/sea.txt", atomically: true, encoding: .utf8)
    }

    func call(_ tool: String, _ arguments: JSONValue) throws -> JSONValue { try plugin.toolReport(tool, arguments) }

    @Test func aFolderOfJSONLinesMarkdownAndTextIsSearchable() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let kiln = try call("search", ["query": "How hot does a kiln fire clay?", "k": 1, "corpus": .string(folder)])
        #expect(kiln["results"]?.arrayValue?.first?["id"] == "kiln")
        let starter = try call("search", ["query": "What is in a sourdough starter?", "k": 1, "corpus": .string(folder)])
        #expect(starter["results"]?.arrayValue?.first?["id"] == "baking#1")
        #expect(starter["results"]?.arrayValue?.first?["title"] == "Sourdough")
        let glaze = try call("search", ["query": "glassy coating", "k": 1, "corpus": .string(folder + "/pottery.jsonl")])
        #expect(glaze["results"]?.arrayValue?.first?["id"] == "pottery:2")
    }

    @Test func buildDatasetWritesSearchAugmentedInstructions() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
            {"id": "tides", "question": "What causes the tides?", "answer": "the gravity of the Moon"}
            {"instruction": "Why are pots fired in a kiln?"}
            """.write(toFile: folder + "/questions.jsonl", atomically: true, encoding: .utf8)
        let out = folder + "/out/sail.jsonl"
        try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
        let result = try call("build_dataset", ["corpus": .string(folder), "questions": .string(folder + "/questions.jsonl"),
                                                "out": .string(out), "distractors": 1])
        #expect(result["written"] == 2, "\(result)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map { try JSONValue(parsing: String($0)) }
        #expect(lines.count == 2)
        #expect(lines[0]["id"] == "tides")
        #expect(lines[0]["answer"] == "the gravity of the Moon")
        #expect(lines[0]["input"]?.stringValue?.contains("gravity of the Moon") == true)
        #expect(lines[1]["instruction"] == "Why are pots fired in a kiln?")
        // Two search hits and one distractor each; a question with fewer hits gets more distractors.
        for line in lines {
            #expect((line["retrieved"]?.arrayValue?.count ?? 0) + (line["distractors"]?.arrayValue?.count ?? 0) == 3)
            #expect((line["distractors"]?.arrayValue?.count ?? 0) >= 1)
            #expect(line["input"]?.stringValue?.contains("[3] ") == true)
        }

        let again = try call("build_dataset", ["corpus": .string(folder), "questions": .string(folder + "/questions.jsonl"),
                                               "out": .string(out), "distractors": 1])
        #expect(again["error"]?.stringValue?.contains("already exists") == true)
    }

    @Test func theShippedQuestionsBuildTheSameItemsAsTheSeeds() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/shipped.jsonl"
        let result = try call("build_dataset", ["corpus": "", "questions": "", "out": .string(out), "distractors": 2])
        let seeds = try plugin.seedItems("questions")
        #expect(result["written"]?.doubleValue == Double(seeds.count))
        let first = try JSONValue(parsing: String(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")[0]))
        #expect(first == seeds[0], "the dataset and the seed set must be built the same way")
    }

    @Test func malformedCorporaAreErrorsNamingTheFileAndLine() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "{\"text\": \"fine\"}\n{\"title\": \"no text\"}\n".write(toFile: folder + "/bad.jsonl", atomically: true, encoding: .utf8)
        let missingText = try call("search", ["query": "fine", "k": 1, "corpus": .string(folder + "/bad.jsonl")])
        #expect(missingText["error"] == .string("\(folder)/bad.jsonl:2: the object needs a non-empty \"text\" string"))
        try "{\"text\": broken}\n".write(toFile: folder + "/bad.jsonl", atomically: true, encoding: .utf8)
        let broken = try call("search", ["query": "fine", "k": 1, "corpus": .string(folder + "/bad.jsonl")])
        #expect(broken["error"]?.stringValue?.hasPrefix("\(folder)/bad.jsonl:1: not valid JSON") == true)
        let empty = try BuildProducts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(try call("search", ["query": "x", "k": 1, "corpus": .string(empty)])["error"]?.stringValue?.contains("holds no .jsonl, .txt or .md file") == true)
        try "{\"id\": \"a\", \"text\": \"one\"}\n{\"id\": \"a\", \"text\": \"two\"}\n".write(toFile: empty + "/dup.jsonl", atomically: true, encoding: .utf8)
        #expect(try call("search", ["query": "one", "k": 1, "corpus": .string(empty)])["error"]?.stringValue?.contains("\"a\" is used twice") == true)
    }
}
