// The official OpenAI Python client against `retort serve` on loopback: if OpenAI's own library
// reads our chat completions, streams, log-probabilities, echo scoring and errors, so do the tools
// built on it. The script is Fixtures/openai_client_check.py; `make setup` installs `openai`.
import Foundation
import RetortJSON
import Testing

@Suite struct ServeOpenAIClientTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/openai_client_check.py").path

    @Test func theOfficialOpenAIClientWorksAgainstTheServer() throws {
        let server = try ServeTestServer()
        defer { server.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, server.baseURL, server.modelName]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 3 {
            Issue.record("the Python package `openai` is missing: run `make setup` (\(stderr))")
            return
        }
        #expect(process.terminationStatus == 0, "openai client check failed: \(stderr)")
        let seen = try JSONValue(parsing: stdout)
        #expect(seen["models"] == [.string(server.modelName)])
        #expect(seen["chat"]?.stringValue?.contains("Paris") == true)
        #expect(seen["stream"] == seen["chat"])
        #expect(seen["not_found"] == 404)
        #expect(seen["bad_request"] == [400, "temperature"])
        #expect(server.stop() == 0)
    }
}
