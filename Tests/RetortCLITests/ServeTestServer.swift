// Runs the built `retort serve --port 0` on the SmolLM2 model as a user would, reads the port from
// its listening line, sends HTTP requests to it over loopback, and stops it with SIGTERM. A test
// that starts one must call `stop()` (or let the server go out of scope) so no process is leaked.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import RetortJSON

final class ServeTestServer: @unchecked Sendable {
    let process: Process
    let baseURL: String
    let modelName = "SmolLM2-135M-Instruct.Q4_1"
    /// The server's standard error goes to a file, so a chatty server never blocks on a full pipe.
    private let stderrPath: String

    /// $RETORT_TEST_GGUF, else ~/.cache/retort/models/SmolLM2-135M-Instruct.Q4_1.gguf.
    static var modelPath: String {
        if let path = ProcessInfo.processInfo.environment["RETORT_TEST_GGUF"], !path.isEmpty { return path }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/retort/models/SmolLM2-135M-Instruct.Q4_1.gguf"
    }

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts the server and waits for its listening line (loading the model takes a while in a
    /// debug build; the bound only keeps a broken build from hanging the suite).
    init() throws {
        guard FileManager.default.fileExists(atPath: Self.modelPath) else {
            throw StartFailure(description: "SmolLM2 model missing at \(Self.modelPath): run `make setup` (or set RETORT_TEST_GGUF)")
        }
        let executable = RetortCommand.buildDirectory + "/retort"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw RetortCommand.MissingExecutable(path: executable)
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve", "--model", Self.modelPath, "--port", "0"]
        let out = Pipe()
        stderrPath = NSTemporaryDirectory() + "retort-serve-test-\(UUID().uuidString).err"
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()

        let line = LineBox()
        let reader = out.fileHandleForReading
        let found = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var buffer = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }  // the server closed its output: it exited
                buffer += chunk
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    line.value = String(decoding: buffer[..<newline], as: UTF8.self)
                    break
                }
            }
            found.signal()
        }
        let listening = found.wait(timeout: .now() + 600) == .success ? line.value : nil
        guard let listening, let range = listening.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: stderrPath)
            throw StartFailure(description: "retort serve did not report a listening address; stdout: \(line.value ?? "nothing"); stderr: \(stderr)")
        }
        self.listeningLine = listening
        baseURL = String(listening[range])
    }

    /// The line the server printed once listening.
    let listeningLine: String

    /// Sends SIGTERM and waits for the exit; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: stderrPath)
        return process.terminationStatus
    }

    /// What the server wrote to standard error so far.
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    deinit { stop() }

    struct HTTPResult {
        let status: Int
        let headers: [String: String]
        let body: String
        var json: JSONValue? { try? JSONValue(parsing: body) }
    }

    /// One request with a raw body (so malformed JSON can be sent too).
    func send(_ method: String, _ path: String, body: String? = nil) async throws -> HTTPResult {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.timeoutInterval = 600
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        return HTTPResult(status: http.statusCode, headers: headers, body: String(decoding: data, as: UTF8.self))
    }

    func post(_ path: String, _ body: JSONValue) async throws -> HTTPResult {
        try await send("POST", path, body: body.jsonText)
    }

    /// The `data:` payloads of a server-sent event stream, in order.
    static func events(_ body: String) -> [String] {
        body.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
    }
}

private final class LineBox: @unchecked Sendable {
    var value: String?
}
