// Runs the built `retort` executable as a user would and captures what it printed.
import Foundation
import RetortHost

struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

enum RetortCommand {
    static var buildDirectory: String {
        if let dir = ProcessInfo.processInfo.environment["RETORT_BUILD_DIR"] { return dir }
        var dir = PluginDiscovery.executableDirectory() ?? "."
        while dir.contains(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        return dir
    }

    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil,
                    currentDirectory: String? = nil) throws -> CommandResult {
        let executable = buildDirectory + "/retort"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw MissingExecutable(path: executable)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "RETORT_PLUGIN_PATH")
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                             stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func library(_ product: String) -> String { buildDirectory + "/lib\(product).so" }

    struct MissingExecutable: Error, CustomStringConvertible {
        let path: String
        var description: String { "\(path) is missing: run `swift build` before `swift test` (make test does)" }
    }
}
