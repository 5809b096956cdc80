// A smaller run of Examples/recipes/law-tiny.yaml against the embedded teacher: every stage stores
// something, kept answers cite nothing off the list (checked again through the plugin), and every
// rejection says why. Also list/inspect, and a user's citation list through RETORT_LAW_CITATIONS.
import Foundation
import RetortHost
import RetortJSON
import RetortKnowledge
import Testing

@Suite(.serialized) struct LawRecipeTests {
    @Test func theTinyLawRecipeKeepsListedAnswersAndRejectsTheRestWithReasons() throws {
        let outcome = try TinyRecipeRun.run("law-tiny.yaml")
        for stage in ["irac", "clients", "exam"] { #expect(outcome.stored(stage: stage) > 0, "stage \(stage) stored nothing") }
        #expect(!outcome.kept.isEmpty)
        #expect(!outcome.rejected.isEmpty)
        let plugin = try PluginRegistry().load(file: RetortCommand.library("retort_plugin_law"))
        for record in outcome.kept where record.provenance.stage != "exam" {
            let answer = try #require(record.payload["messages"]?.arrayValue?.last?["content"])
            #expect(try plugin.filter("known-citations", record: ["input": record.payload["input"] ?? "", "response": answer]).keep)
        }
        for record in outcome.kept where record.provenance.stage == "irac" {
            let answer = try #require(record.payload["messages"]?.arrayValue?.last?["content"])
            #expect(try plugin.filter("irac-complete", record: ["response": answer]).keep, "kept \(record.key) is not IRAC")
        }
        for rejection in outcome.rejected { #expect(!rejection.reason.isEmpty && !rejection.check.isEmpty) }
    }

    @Test func theLawPluginIsListedAndAUsersCitationListIsUsed() throws {
        try TinyRecipeRun.inspect("law", kind: "vertical", expected: [
            "templates": ["system-irac", "irac", "issue-questions", "choose"], "parsers": ["irac", "citations", "choice"],
            "filters": ["known-citations", "irac-complete"], "evaluators": ["multiple-choice", "citation-validity", "irac-structure"],
            "tools": ["check_citations"], "seeds": ["topics", "questions", "exam", "citations"],
        ])
        let folder = NSTemporaryDirectory() + "retort-law-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "# our firm's list\n12 U.S.C. § 5301\n".write(toFile: folder + "/list.txt", atomically: true, encoding: .utf8)
        let args = #"{"text": "Under 12 USC sec. 5301 and 42 U.S.C. § 1983."}"#
        let result = try RetortCommand.run(["tools", "call", "law.check_citations", "--args", args],
                                           environment: ["RETORT_LAW_CITATIONS": folder + "/list.txt"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try #require(try JSONValue(parsing: result.stdout).stringValue)
        let report = try JSONValue(parsing: text)
        #expect(report["list"] == .string("\(folder)/list.txt of 1 authority"))
        #expect(report["citations"]?.arrayValue?.compactMap { $0["known"]?.boolValue } == [true, false])
    }
}
