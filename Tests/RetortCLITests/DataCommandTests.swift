// `retort data stats|export`, run as processes on a run folder written through the run store:
// text or JSON on standard output, exit code 2 with one error line naming the file.
import Foundation
import RetortJSON
import RetortKnowledge
import RetortPipeline
import Testing

@Suite struct DataCommandTests {
    /// A run with one finished stage: two conversations, one preference pair, one duplicate.
    static func makeRun() throws -> String {
        let dir = NSTemporaryDirectory() + "retort-cli-run-" + UUID().uuidString
        let store = try RunStore(runDirectory: dir)
        let provenance = Provenance(stage: "label", strategy: "labeling", plugin: "qa", template: "qa.answer", seedID: "s1", teacher: "local:smollm2")
        func conversation(_ key: String, _ question: String, _ answer: String) -> KnowledgeRecord {
            KnowledgeRecord(key: key, provenance: provenance, kind: .conversation,
                            payload: ["messages": [["role": "user", "content": .string(question)], ["role": "assistant", "content": .string(answer)]]])
        }
        try store.setStageTotal(stage: "label", units: 1)
        try store.commit(stage: "label", unit: "u1", records: [
            conversation("c1", "Capital of France?", "Paris"),
            conversation("c2", "2+2?", "4"),
            KnowledgeRecord(key: "p1", provenance: provenance, kind: .preference,
                            payload: ["prompt": [["role": "user", "content": "Name a prime."]], "chosen": "7", "rejected": "8"]),
        ], rejections: [
            RejectedRecord(key: "x1", provenance: provenance, check: "dedup.exact", reason: "same as c1", payload: ["text": "Paris"]),
        ])
        return dir
    }

    @Test func statsPrintsTheRunForPeopleAndScripts() throws {
        let dir = try Self.makeRun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try RetortCommand.run(["data", "stats", dir])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Kept records: 3"))
        #expect(text.stdout.contains("Rejected: 1 (duplicates: 1)"))

        let json = try RetortCommand.run(["data", "stats", dir, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let value = try JSONValue(parsing: json.stdout)
        #expect(value["records"]?["total"] == 3)
        #expect(value["rejections"]?["duplicates"] == 1)
        #expect(value["stages"]?.arrayValue?.first?["units_done"] == 1)
        #expect(value["stages"]?.arrayValue?.first?["units_total"] == 1)
    }

    @Test func statsOfAFolderWithoutARunFailsWithoutCreatingOne() throws {
        let dir = NSTemporaryDirectory() + "retort-cli-empty-" + UUID().uuidString
        let result = try RetortCommand.run(["data", "stats", dir])
        #expect(result.status == 2)
        #expect(result.stderr == "error: no run store at \(dir)/run.sqlite; give the folder of a run (the one holding run.sqlite)\n")
        #expect(!FileManager.default.fileExists(atPath: dir))
    }

    @Test func statsOfAFileThatIsNotAStoreNamesIt() throws {
        let dir = NSTemporaryDirectory() + "retort-cli-bad-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(String(repeating: "not sqlite ", count: 100).utf8).write(to: URL(fileURLWithPath: dir + "/run.sqlite"))
        let result = try RetortCommand.run(["data", "stats", dir])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: \(dir)/run.sqlite is not a Retort run store (not an SQLite database)"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func exportWritesTheFileAndSaysWhatItWrote() throws {
        let dir = try Self.makeRun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/pairs.jsonl"
        let result = try RetortCommand.run(["data", "export", dir, "--format", "preference", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "wrote 1 record to \(out)\n")
        #expect(try PreferencePair.readJSONL(path: out).map(\.chosen) == ["7"])

        let defaulted = try RetortCommand.run(["data", "export", dir, "--format", "alpaca", "--stage", "label", "--json"])
        #expect(defaulted.status == 0, "\(defaulted.stderr)")
        let summary = try JSONValue(parsing: defaulted.stdout)
        #expect(summary["path"] == .string(dir + "/exports/alpaca-label.jsonl"))
        #expect(summary["written"] == 2)
        let lines = try String(contentsOfFile: dir + "/exports/alpaca-label.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.first == #"{"input":"","instruction":"Capital of France?","output":"Paris"}"#)
    }

    @Test func exportRefusesAnUnknownFormatOrStage() throws {
        let dir = try Self.makeRun()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let format = try RetortCommand.run(["data", "export", dir, "--format", "csv"])
        #expect(format.status != 0)
        #expect(format.stderr.contains("messages") && format.stderr.contains("distributions"), "\(format.stderr)")

        let stage = try RetortCommand.run(["data", "export", dir, "--format", "messages", "--stage", "nope"])
        #expect(stage.status == 2)
        #expect(stage.stderr.contains("this run has no stage 'nope'; its stages: label"))
    }
}
