// How much one sandboxed run may use. The defaults suit unit-test-sized problems; the `sandbox`
// object of a filter's context, or the `limits` argument of the run_tests tool, may tighten or
// loosen them (`{"timeout_seconds": 3, "memory_mb": 128}`).
import RetortPluginSDK

struct SandboxLimits: Sendable, Equatable {
    /// Wall-clock time, after which the parent kills the run.
    var timeoutSeconds: Double = 10
    /// CPU time (RLIMIT_CPU): SIGXCPU at this many seconds, SIGKILL one second later.
    var cpuSeconds: Int = 5
    /// Address space (RLIMIT_AS).
    var memoryMB: Int = 512
    /// Processes of the sandbox user (RLIMIT_NPROC).
    var processes: Int = 32
    /// Largest file the code may write (RLIMIT_FSIZE).
    var fileMB: Int = 16
    /// Open file descriptors (RLIMIT_NOFILE).
    var openFiles: Int = 64
    /// Bytes kept of standard output and of standard error each.
    var outputBytes: Int = 64 * 1024
    /// The Python audit hook that names refused operations (on by default; off only to test the
    /// kernel layers alone).
    var pythonGuard: Bool = true

    static let keys = ["timeout_seconds", "cpu_seconds", "memory_mb", "processes", "file_mb", "python_guard"]

    /// Reads the limits a JSON object gives; unknown keys and out-of-range values are errors.
    init(_ json: JSONValue? = nil) throws {
        guard let json, json != .null else { return }
        guard case .object(let members) = json else {
            throw PluginFailure.invalidArgument("sandbox settings must be a JSON object such as {\"timeout_seconds\": 5}, got \(json.typeName)")
        }
        for key in members.keys.sorted() where !Self.keys.contains(key) {
            throw PluginFailure.invalidArgument("unknown sandbox setting \"\(key)\"; the settings are \(Self.keys.joined(separator: ", "))")
        }
        func number(_ key: String, _ range: ClosedRange<Double>) throws -> Double? {
            guard let value = members[key] else { return nil }
            guard let n = value.doubleValue, range.contains(n) else {
                throw PluginFailure.invalidArgument("sandbox setting \"\(key)\" must be a number from \(Int(range.lowerBound)) to \(Int(range.upperBound)), got \(value.jsonText)")
            }
            return n
        }
        if let v = try number("timeout_seconds", 1...600) { timeoutSeconds = v }
        if let v = try number("cpu_seconds", 1...600) { cpuSeconds = Int(v) }
        if let v = try number("memory_mb", 32...65536) { memoryMB = Int(v) }
        if let v = try number("processes", 1...4096) { processes = Int(v) }
        if let v = try number("file_mb", 1...65536) { fileMB = Int(v) }
        if let value = members["python_guard"] {
            guard let b = value.boolValue else {
                throw PluginFailure.invalidArgument("sandbox setting \"python_guard\" must be true or false, got \(value.jsonText)")
            }
            pythonGuard = b
        }
    }
}
