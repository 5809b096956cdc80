// What one sandboxed run did, as measured: the harness's events, how the process ended, its
// output, and which isolation layers were in force. SandboxVerdict reads it.
import CodeSandboxSpawn
import RetortPluginSDK

struct SandboxRun: Sendable {
    /// The harness's JSON events in order: start, begin_solution, loaded, begin/test per assert,
    /// done — or solution_error, tests_error, setup_error where it stopped.
    var events: [JSONValue]
    /// nil when a signal ended the process.
    var exitCode: Int32?
    var signal: Int32
    var timedOut: Bool
    var wallSeconds: Double
    var cpuSeconds: Double
    var stdout: String
    var stdoutBytes: Int
    var stderr: String
    var stderrBytes: Int
    var isolation: SandboxIsolation
    var workingDirectory: String
    var workingDirectoryRemoved: Bool
    var removalError: String?
    var limits: SandboxLimits
    var interpreter: String

    func events(_ name: String) -> [JSONValue] { events.filter { $0["event"]?.stringValue == name } }
}

/// The layers that contained a run, in words a user can check against the host they run on.
struct SandboxIsolation: Sendable {
    var flags: UInt32
    var landlockABI: Int
    var pythonGuard: Bool
    /// The unprivileged user the run switched to (when the host runs as root).
    var user: String?

    func has(_ flag: Int) -> Bool { flags & UInt32(flag) != 0 }

    /// What keeps the code off the network.
    var network: String {
        if has(RETORT_SANDBOX_NET_NAMESPACE) { return "a new network namespace (no interface but a downed loopback)" }
        if has(RETORT_SANDBOX_LANDLOCK_NET) { return "Landlock TCP rules (bind and connect refused); other protocols only by the Python audit hook" }
        if pythonGuard { return "only the Python audit hook refusing sockets (fallback: this kernel permits neither namespaces nor Landlock network rules)" }
        return "none"
    }

    /// What keeps writes inside the working directory.
    var filesystem: String {
        var parts: [String] = []
        if has(RETORT_SANDBOX_LANDLOCK_FS) { parts.append("Landlock ABI \(landlockABI): writes only in the working directory, reads only in system and interpreter folders") }
        if let user { parts.append("file permissions of \(user)") }
        if pythonGuard { parts.append("the Python audit hook") }
        return parts.isEmpty ? "none" : parts.joined(separator: "; ")
    }

    /// What bounds the number of processes and cleans them up.
    var processes: String {
        var parts = ["RLIMIT_NPROC"]
        if has(RETORT_SANDBOX_PID_NAMESPACE) { parts.append("a PID namespace (every process dies with the run)") } else { parts.append("the process group is killed after the run") }
        if pythonGuard { parts.append("the Python audit hook refusing fork and exec") }
        return parts.joined(separator: "; ")
    }

    var layers: [String] {
        var names: [String] = []
        if has(RETORT_SANDBOX_NET_NAMESPACE) { names.append("network namespace") }
        if has(RETORT_SANDBOX_PID_NAMESPACE) { names.append("pid namespace") }
        if has(RETORT_SANDBOX_USER_NAMESPACE) { names.append("user namespace") }
        if has(RETORT_SANDBOX_UNPRIVILEGED_USER), let user { names.append("unprivileged user \(user)") }
        if has(RETORT_SANDBOX_LANDLOCK_FS) { names.append("landlock filesystem") }
        if has(RETORT_SANDBOX_LANDLOCK_NET) { names.append("landlock network") }
        if has(RETORT_SANDBOX_LANDLOCK_SCOPE) { names.append("landlock signal and socket scope") }
        names.append("rlimits")
        if pythonGuard { names.append("python audit hook") }
        return names
    }

    var json: JSONValue {
        ["layers": .array(layers.map { .string($0) }), "network": .string(network), "filesystem": .string(filesystem),
         "processes": .string(processes), "landlock_abi": .number(Double(landlockABI))]
    }
}
