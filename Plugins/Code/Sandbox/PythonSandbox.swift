// Runs Python code and its tests in a throwaway folder through the contained child process of
// Spawn/spawn.c, and removes the folder afterwards whatever the code did to it.
import CodeSandboxSpawn
import Foundation
import RetortPluginSDK

enum PythonSandbox {
    /// Runs `code`, then each top-level `assert` of `tests`, with the process's interpreter.
    static func run(code: String, tests: String, limits: SandboxLimits) throws -> SandboxRun {
        try execute(interpreter: try PythonInterpreter.shared(), code: code, tests: tests, limits: limits)
    }

    /// The user the child switches to when the host runs as root: RLIMIT_NPROC does not bind
    /// root, and root may write where the code must not.
    static let unprivilegedUser: (uid: Int64, gid: Int64, name: String)? = {
        guard geteuid() == 0 else { return nil }
        var record = passwd()
        var buffer = [CChar](repeating: 0, count: 4096)
        var found: UnsafeMutablePointer<passwd>?
        if getpwnam_r("nobody", &record, &buffer, buffer.count, &found) == 0, let found {
            return (Int64(found.pointee.pw_uid), Int64(found.pointee.pw_gid), "nobody")
        }
        return (65534, 65534, "uid 65534")
    }()

    static func execute(interpreter: PythonInterpreter, code: String, tests: String, limits: SandboxLimits) throws -> SandboxRun {
        let folder = try makeWorkingDirectory()
        var removed = false
        defer { if !removed { _ = retort_sandbox_remove_tree(folder) } }
        let user = unprivilegedUser
        do {
            try write(code, to: folder + "/solution.py")
            try write(tests, to: folder + "/tests.py")
        } catch {
            throw PluginFailure.internal("cannot write the code into the sandbox folder \(folder): \(error.localizedDescription)")
        }
        if let user, chown(folder, uid_t(user.uid), gid_t(user.gid)) != 0 {
            throw PluginFailure.internal("cannot hand the sandbox folder \(folder) to \(user.name): \(String(cString: strerror(errno)))")
        }
        chmod(folder, 0o700)

        let token = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
        let arguments = ["python3", "-I", "-S", "-B", "-X", "utf8", "-c", HarnessSource.text, limits.pythonGuard ? "guard" : "noguard"]
        let environment = ["PATH=/usr/bin:/bin", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "HOME=\(folder)", "TMPDIR=\(folder)"]
        var result = retort_sandbox_result()
        let status = withCStringArray(arguments) { argv in
            withCStringArray(environment) { envp in
                withCStringArray(interpreter.readPaths) { readPaths in
                    interpreter.executable.withCString { executable in
                        folder.withCString { directory in
                            (token + "\n").withCString { input in
                                var request = retort_sandbox_request(
                                    executable: executable, argv: argv, envp: envp, working_directory: directory, read_paths: readPaths,
                                    stdin_data: input, stdin_length: strlen(input), wall_seconds: limits.timeoutSeconds,
                                    cpu_seconds: UInt32(limits.cpuSeconds), memory_bytes: UInt64(limits.memoryMB) << 20,
                                    max_processes: UInt32(limits.processes), max_file_bytes: UInt64(limits.fileMB) << 20,
                                    max_open_files: UInt32(limits.openFiles), output_limit: limits.outputBytes,
                                    run_as_uid: user?.uid ?? -1, run_as_gid: user?.gid ?? -1, use_namespaces: true, use_landlock: true)
                                return retort_sandbox_run(&request, &result)
                            }
                        }
                    }
                }
            }
        }
        defer { retort_sandbox_result_free(&result) }
        removed = retort_sandbox_remove_tree(folder) == 0
        let removalError = removed ? nil : String(cString: strerror(errno))
        guard status == 0 else {
            let message = withUnsafeBytes(of: result.error) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            throw PluginFailure.internal(message.isEmpty ? "the sandbox could not start the code" : message)
        }
        return SandboxRun(
            events: events(text(result.channel), token: token), exitCode: result.signal == 0 ? result.exit_code : nil,
            signal: result.signal, timedOut: result.timed_out, wallSeconds: result.wall_seconds, cpuSeconds: result.cpu_seconds,
            stdout: text(result.out), stdoutBytes: result.out.total, stderr: text(result.err), stderrBytes: result.err.total,
            isolation: SandboxIsolation(flags: result.isolation, landlockABI: Int(result.landlock_abi), pythonGuard: limits.pythonGuard,
                                        user: user?.name),
            workingDirectory: folder, workingDirectoryRemoved: removed, removalError: removalError, limits: limits,
            interpreter: "\(interpreter.executable) (Python \(interpreter.version))")
    }

    /// Where run folders go: $TMPDIR, unless the unprivileged user could not reach it (a TMPDIR
    /// under /root), then /tmp.
    static func temporaryBase() -> String {
        let base = NSTemporaryDirectory()
        guard unprivilegedUser != nil else { return base }
        var path = URL(fileURLWithPath: base).standardizedFileURL
        while path.path != "/" {
            var info = stat()
            if stat(path.path, &info) != 0 || info.st_mode & S_IXOTH == 0 { return "/tmp" }
            path.deleteLastPathComponent()
        }
        return base
    }

    private static func makeWorkingDirectory() throws -> String {
        var template = Array((temporaryBase() as NSString).appendingPathComponent("retort-code-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw PluginFailure.internal("cannot create a sandbox folder in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))")
        }
        return URL(fileURLWithPath: String(cString: made)).standardizedFileURL.path
    }

    private static func write(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o644]) else {
            throw PluginFailure.internal("cannot create \(path)")
        }
    }

    private static func text(_ output: retort_sandbox_output) -> String {
        guard let data = output.data else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: output.length), as: UTF8.self)
    }

    /// The harness's JSON lines that carry this run's token, without the token.
    static func events(_ channel: String, token: String) -> [JSONValue] {
        channel.split(separator: "\n").compactMap { line in
            guard let value = try? JSONValue(parsing: String(line)), value["token"]?.stringValue == token,
                  case .object(var members) = value else { return nil }
            members["token"] = nil
            return .object(members)
        }
    }

    /// `strings` as a NULL-terminated array of C strings for the duration of `body`.
    private static func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
