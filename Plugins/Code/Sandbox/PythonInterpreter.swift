// Which Python runs sandboxed code. `python3` on PATH is often a shim (pyenv) or lives in a home
// folder the unprivileged sandbox user cannot enter, so each candidate is resolved to its real
// executable and then test-run inside the sandbox; the first that starts there is kept for the
// life of the process. RETORT_PYTHON names one interpreter to use instead of searching.
import Foundation
import RetortPluginSDK

struct PythonInterpreter: Sendable {
    /// The real executable (sys.executable), never a shim.
    let executable: String
    /// "3.11.7"
    let version: String
    /// Folders the interpreter reads its standard library and extensions from.
    let prefixes: [String]

    /// System folders every interpreter needs (the dynamic loader, libc, locale data) and the
    /// devices Python opens.
    static let systemReadPaths = ["/usr", "/lib", "/lib64", "/lib32", "/etc", "/dev/null", "/dev/urandom", "/dev/random", "/dev/zero"]

    var readPaths: [String] {
        var paths = Self.systemReadPaths
        for path in prefixes + [(executable as NSString).deletingLastPathComponent] where !paths.contains(path) { paths.append(path) }
        return paths
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var chosen: Result<PythonInterpreter, PluginFailure>?

    /// The interpreter for this process, found once.
    static func shared() throws -> PythonInterpreter {
        try lock.withLock {
            if chosen == nil { chosen = locate() }
            return try chosen!.get()
        }
    }

    static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        if let explicit = environment["RETORT_PYTHON"], !explicit.isEmpty { return [explicit] }
        var found: [String] = []
        for folder in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/python3"
            if FileManager.default.isExecutableFile(atPath: path) { found.append(path); break }
        }
        for path in ["/usr/bin/python3", "/usr/local/bin/python3"] where !found.contains(path) && FileManager.default.isExecutableFile(atPath: path) {
            found.append(path)
        }
        return found
    }

    private static func locate() -> Result<PythonInterpreter, PluginFailure> {
        var problems: [String] = []
        for candidate in candidates() {
            do {
                let interpreter = try describe(candidate)
                let probe = try PythonSandbox.execute(interpreter: interpreter, code: "", tests: "", limits: try SandboxLimits())
                guard probe.events.contains(where: { $0["event"]?.stringValue == "done" }) else {
                    let detail = probe.stderr.split(separator: "\n").last.map(String.init) ?? "exit code \(probe.exitCode.map(String.init) ?? "none"), signal \(probe.signal)"
                    throw PluginFailure.internal("it does not start inside the sandbox (\(detail))")
                }
                return .success(interpreter)
            } catch let failure as PluginFailure {
                problems.append("\(candidate): \(failure.text)")
            } catch {
                problems.append("\(candidate): \(error)")
            }
        }
        let tried = problems.isEmpty ? "no python3 on PATH, in /usr/bin or /usr/local/bin" : problems.joined(separator: "; ")
        return .failure(.unsupported(
            "no Python 3.8+ interpreter runs in the code sandbox (\(tried)). Install python3, or set RETORT_PYTHON to one"
                + (geteuid() == 0 ? " that the unprivileged sandbox user can read (not under /root)" : "")))
    }

    /// Runs the candidate once, outside the sandbox, to learn its real path, version and prefixes.
    static func describe(_ candidate: String) throws -> PythonInterpreter {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: candidate)
        process.arguments = ["-I", "-S", "-c", """
            import json, sys
            print(json.dumps({"executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3],
                "ok": sys.version_info >= (3, 8), "prefixes": sorted({sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix})}))
            """]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { throw PluginFailure.internal("cannot run it: \(error.localizedDescription)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let json = try? JSONValue(parsing: String(decoding: data, as: UTF8.self)),
              let executable = json["executable"]?.stringValue, !executable.isEmpty, let version = json["version"]?.stringValue
        else { throw PluginFailure.internal("it did not run as Python 3 (exit code \(process.terminationStatus))") }
        guard json["ok"]?.boolValue == true else { throw PluginFailure.internal("Python \(version) is older than 3.8 (no audit hooks)") }
        let resolved = URL(fileURLWithPath: executable).resolvingSymlinksInPath().path
        let prefixes = json["prefixes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return PythonInterpreter(executable: resolved, version: version, prefixes: prefixes)
    }
}

extension PluginFailure {
    /// The message of any case.
    var text: String {
        switch self {
        case .invalidArgument(let m), .parse(let m), .notFound(let m), .unsupported(let m), .internal(let m): m
        }
    }
}
