// JSONL exports: each format writes the records it can express, skips the rest with a reason,
// filters by stage, and replaces the output file only once it is complete.
import Foundation
import RetortJSON
import RetortKnowledge
@testable import RetortPipeline
import RetortTeachers
import Testing

@Suite struct ExportTests {
    static func lines(_ path: String) throws -> [JSONValue] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }

    /// A conversation record with arbitrary payload.
    static func record(_ key: String, _ payload: JSONValue, stage: String = "label") -> KnowledgeRecord {
        KnowledgeRecord(key: key, provenance: RunStoreFixtures.provenance(stage: stage), kind: .conversation, payload: payload)
    }

    static let toolUse: JSONValue = [
        "messages": [
            ["role": "user", "content": "What is 2+3?"],
            ["role": "assistant", "content": nil, "tool_calls": [["id": "c1", "type": "function",
                                                                  "function": ["name": "add", "arguments": "{\"a\":2,\"b\":3}"]]]],
            ["role": "tool", "tool_call_id": "c1", "content": "5"],
            ["role": "assistant", "content": "5"],
        ],
        "tools": [["type": "function", "function": ["name": "add", "parameters": ["type": "object"]]]],
    ]

    static let withImage: JSONValue = [
        "messages": [
            ["role": "user", "content": [["type": "text", "text": "What is this?"],
                                         ["type": "image_url", "image_url": ["url": "data:image/png;base64,AAAA"]]]],
            ["role": "assistant", "content": "A cat."],
        ],
    ]

    static func store(in dir: String) throws -> RunStore {
        let store = try RunStore(runDirectory: dir)
        try store.commit(stage: "label", unit: "u1", records: [
            RunStoreFixtures.conversation("single", system: "Be brief."),
            record("multi", ["messages": [["role": "user", "content": "Hi"], ["role": "assistant", "content": "Hello"],
                                          ["role": "user", "content": [["type": "text", "text": "Sum "], ["type": "text", "text": "1+1"]]],
                                          ["role": "assistant", "content": "2"]]]),
            record("tools", toolUse),
            record("image", withImage),
            record("broken", ["text": "no messages here"]),
        ], rejections: [])
        try store.commit(stage: "expand", unit: "u1", records: [RunStoreFixtures.instruction("instr")], rejections: [])
        try store.commit(stage: "feedback", unit: "u1", records: [
            RunStoreFixtures.preference("p1"), RunStoreFixtures.preference("p2", prompt: "Name an even number.", chosen: "2", rejected: "3"),
            KnowledgeRecord(key: "p-bad", provenance: RunStoreFixtures.provenance(stage: "feedback"), kind: .preference,
                            payload: ["prompt": [["role": "user", "content": "x"]], "chosen": "a"]),
            RunStoreFixtures.conversation("fb-conv", stage: "feedback"),
        ], rejections: [])
        return store
    }

    @Test func messagesKeepEveryConversationWholeWithItsTools() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try Self.store(in: dir)
        let out = dir + "/out/messages.jsonl"
        let summary = try store.export(.messages, to: out)
        #expect(summary.written == 5)
        #expect(summary.skipped == ["the payload has no \"messages\" list": 1])
        let lines = try Self.lines(out)
        #expect(lines.count == 5)
        #expect(lines[0] == ["messages": [["role": "system", "content": "Be brief."], ["role": "user", "content": "What is 2+2?"],
                                          ["role": "assistant", "content": "4"]]])
        #expect(lines[2] == Self.toolUse, "tool calls and tool definitions pass through")
        #expect(lines[3] == Self.withImage)
        #expect(lines[4]["messages"]?.arrayValue?.count == 2, "the feedback stage's conversation")
    }

    @Test func shareGPTNamesTheSpeakersAndSkipsWhatItCannotHold() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try Self.store(in: dir)
        let out = dir + "/sharegpt.jsonl"
        let summary = try store.export(.sharegpt, to: out, stage: "label")
        #expect(summary.written == 2)
        #expect(summary.skipped == [
            "the payload has no \"messages\" list": 1,
            "has tool calls, which this layout cannot hold (export as messages)": 1,
            "has non-text content (images), which this layout cannot hold (export as messages)": 1,
        ])
        let lines = try Self.lines(out)
        #expect(lines[0] == ["conversations": [["from": "system", "value": "Be brief."], ["from": "human", "value": "What is 2+2?"],
                                               ["from": "gpt", "value": "4"]]])
        #expect(lines[1]["conversations"]?.arrayValue?.map { $0["from"] } == ["human", "gpt", "human", "gpt"])
        #expect(lines[1]["conversations"]?.arrayValue?[2]["value"] == "Sum 1+1", "text parts are joined")
    }

    @Test func alpacaTakesSingleTurnConversationsOnly() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try Self.store(in: dir)
        let out = dir + "/alpaca.jsonl"
        let summary = try store.export(.alpaca, to: out)
        #expect(summary.written == 2)
        #expect(summary.skipped["not a single-turn conversation (Alpaca holds one instruction and one answer)"] == 2)
        let lines = try Self.lines(out)
        #expect(lines[0] == ["instruction": "What is 2+2?", "input": "", "output": "4", "system": "Be brief."])
        #expect(lines[1] == ["instruction": "What is 2+2?", "input": "", "output": "4"])
        #expect(!String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self).contains("haiku"),
                "instruction records without an answer are not exported")
    }

    @Test func preferencePairsRoundTripThroughTRLJSONL() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try Self.store(in: dir)
        let out = dir + "/preference.jsonl"
        let summary = try store.export(.preference, to: out)
        #expect(summary.written == 2)
        #expect(summary.skipped == ["\"rejected\" must be a string": 1])

        let stored = try store.records(stage: nil, kind: .preference).filter { $0.key != "p-bad" }
            .map { try PreferencePair(recordPayload: $0.payload) }
        let loaded = try PreferencePair.readJSONL(path: out)
        #expect(loaded == stored)
        #expect(loaded.first == PreferencePair(prompt: [ChatMessage(role: "system", text: "Be brief."), ChatMessage(role: "user", text: "Name a prime.")],
                                               chosen: "7", rejected: "8"))
        let first = try #require(try Self.lines(out).first)
        #expect(first["chosen"] == [["role": "assistant", "content": "7"]])
        #expect(first["prompt"]?.arrayValue?.count == 2)
    }

    @Test func preferenceReaderTakesTRLStandardRowsAndNamesTheBadLine() throws {
        let dir = RunStoreFixtures.runDirectory()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { RunStoreFixtures.remove(dir) }
        let good = dir + "/standard.jsonl"
        try Data(#"{"prompt": "2+2?", "chosen": "4", "rejected": "5"}\#n\#n"#.utf8).write(to: URL(fileURLWithPath: good))
        #expect(try PreferencePair.readJSONL(path: good) == [PreferencePair(prompt: [ChatMessage(role: "user", text: "2+2?")], chosen: "4", rejected: "5")])

        let cases = [
            (#"{"prompt": "q", "chosen": "a", "rejected": "b"}"# + "\n" + #"{"prompt": "q", "chosen": "a""#, ":2: not valid JSON at line 1"),
            (#"["prompt"]"#, ":1: a preference pair is a JSON object, found an array"),
            (#"{"prompt": [], "chosen": "a", "rejected": "b"}"#, ":1: \"prompt\" must be a string or a non-empty list of messages"),
            (#"{"prompt": [{"content": "q"}], "chosen": "a", "rejected": "b"}"#, ":1: a \"prompt\" message is malformed: a message needs a string \"role\""),
            (#"{"prompt": "q", "chosen": [{"role": "user", "content": "a"}], "rejected": "b"}"#, ":1: \"chosen\" must hold one assistant message"),
            (#"{"prompt": "q", "chosen": "a", "rejected": 3}"#, ":1: \"rejected\" must be a string or a list of one assistant message"),
        ]
        for (text, message) in cases {
            let bad = dir + "/bad.jsonl"
            try Data(text.utf8).write(to: URL(fileURLWithPath: bad))
            let error = try #require(throws: PreferencePairError.self) { try PreferencePair.readJSONL(path: bad) }
            #expect(error.message.hasPrefix(bad + message), "\(error.message)")
        }
        #expect(throws: PreferencePairError.self) { try PreferencePair.readJSONL(path: dir + "/absent.jsonl") }
    }

    @Test func anUnknownStageIsAnErrorListingTheStages() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try Self.store(in: dir)
        let error = try #require(throws: RunStoreError.self) { try store.export(.messages, to: dir + "/x.jsonl", stage: "lable") }
        #expect(error.localizedDescription.contains("this run has no stage 'lable'; its stages: label, expand, feedback"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/x.jsonl"))
    }

    @Test func theDefaultPathIsInTheRunsExportsFolder() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try RunStore(runDirectory: dir)
        #expect(store.defaultExportPath(.sharegpt, stage: nil) == dir + "/exports/sharegpt.jsonl")
        #expect(store.defaultExportPath(.distributions, stage: "feature") == dir + "/exports/distributions-feature.rtdist")
    }

    @Test func aFailedExportLeavesThePreviousFileAndNoTemporaryFile() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try Self.store(in: dir)
        let folder = dir + "/exports"
        let out = folder + "/messages.jsonl"
        _ = try store.export(.messages, to: out)
        let before = try Data(contentsOf: URL(fileURLWithPath: out))

        // A record deep in the run is damaged: the export fails after writing some lines.
        try store.write { try $0.execute(sql: "UPDATE records SET payload = '{' WHERE key = 'image'") }
        let error = try #require(throws: RunStoreError.self) { try store.export(.messages, to: out) }
        #expect(error.localizedDescription.contains("the payload of record image"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["messages.jsonl"])
    }

    @Test func anOutputThatIsAFolderIsRefused() throws {
        let dir = RunStoreFixtures.runDirectory()
        defer { RunStoreFixtures.remove(dir) }
        let store = try Self.store(in: dir)
        let error = try #require(throws: ExportFileError.self) { try store.export(.messages, to: dir) }
        #expect(error.localizedDescription == "cannot write \(dir): it is a folder; give a file name")
    }

    @Test func theSummaryReadsAsOneLine() {
        let summary = ExportSummary(format: .alpaca, path: "/x.jsonl", written: 1, skipped: ["b": 1, "a": 3])
        #expect(summary.description == "wrote 1 record to /x.jsonl (skipped 4: 3 a; 1 b)")
        #expect(summary.json == ["format": "alpaca", "path": "/x.jsonl", "written": 1, "skipped": ["a": 3, "b": 1]])
    }
}
