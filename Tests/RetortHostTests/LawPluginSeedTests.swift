// The law seeds are consistent: a topic tree of areas and issues with key points, fact patterns
// whose authorities are all on the shipped citation list, and exam items with one letter each.
import RetortHost
import RetortJSON
import Testing

@Suite struct LawPluginSeedTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try LawPluginLibrary.load()
    }

    @Test func theTopicTreeSpansAreasAndIssues() throws {
        let topics = try plugin.seedItems("topics")
        #expect(topics.count >= 30)
        let areas = Set(topics.compactMap { $0["area"]?.stringValue })
        #expect(areas.count >= 10)
        for topic in topics {
            let id = try #require(topic["id"]?.stringValue)
            #expect(id.split(separator: "/").count == 2, "\(id) is not area/issue")
            #expect(topic["topic"]?.stringValue?.hasPrefix("\(topic["area"]!.stringValue!): ") == true)
            #expect((topic["knowledge"]?.stringValue?.count ?? 0) > 40)
        }
    }

    @Test func everyQuestionsAuthoritiesAreOnTheCitationList() throws {
        for question in try plugin.seedItems("questions") {
            let record: JSONValue = ["response": question["input"]!]
            let verdict = try plugin.filter("known-citations", record: record)
            #expect(verdict.keep, "\(question["id"]!): \(verdict.reason ?? "")")
            #expect(try plugin.parse(parser: "citations", output: question["input"]!.stringValue!).count
                == question["input"]!.stringValue!.split(separator: "\n").count)
        }
    }

    @Test func everyShippedCitationIsReadAsExactlyOneCitation() throws {
        let list = try plugin.seedItems("citations")
        #expect(list.count >= 40)
        for entry in list {
            let citation = try #require(entry["citation"]?.stringValue)
            let found = try plugin.parse(parser: "citations", output: citation)
            #expect(found.count == 1 && found[0]["citation"]?.stringValue == citation, "\(citation) read as \(found)")
        }
    }

    @Test func examItemsHaveFourOptionsAndAValidLetter() throws {
        let exam = try plugin.seedItems("exam")
        #expect(exam.count >= 20)
        for item in exam {
            let text = try #require(item["instruction"]?.stringValue)
            #expect(["A. ", "B. ", "C. ", "D. "].allSatisfy { text.contains("\n" + $0) })
            #expect(["a", "b", "c", "d"].contains(item["answer"]?.stringValue ?? ""))
        }
        // Not every answer is the same letter.
        #expect(Set(exam.compactMap { $0["answer"]?.stringValue }).count >= 3)
    }
}
