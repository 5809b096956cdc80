// Reads a SandboxRun into one outcome and a reason a person can act on: which test failed and
// what the code returned, which limit stopped it and where, what the sandbox refused. Filters keep
// a record only on `passed`; the reason is what the run store keeps for a rejection, and what the
// PERsD refinement template shows the teacher.
import Foundation
import RetortPluginSDK

struct SandboxVerdict: Sendable {
    enum Outcome: String, Sendable {
        case passed
        case failedTests = "failed-tests"
        case codeError = "code-error"
        case testsError = "tests-error"
        case noTests = "no-tests"
        case timeout
        case cpuLimit = "cpu-limit"
        case memoryLimit = "memory-limit"
        case fileSizeLimit = "file-size-limit"
        case blocked
        case crashed
    }

    var outcome: Outcome
    var reason: String
    var passed: Int
    var total: Int

    var score: Double { total > 0 ? Double(passed) / Double(total) : 0 }

    init(_ run: SandboxRun) {
        let results = run.events("test")
        passed = results.filter { $0["passed"]?.boolValue == true }.count
        total = results.count
        outcome = .passed
        reason = ""
        (outcome, reason) = Self.judge(run, passed: passed, total: total)
    }

    private static func judge(_ run: SandboxRun, passed: Int, total: Int) -> (Outcome, String) {
        let limits = run.limits
        let place = Self.place(run)
        let progress = total > 0 ? " after passing \(passed) of \(total) test\(total == 1 ? "" : "s") run" : ""
        if run.timedOut {
            return (.timeout, "timed out: still running after \(format(limits.timeoutSeconds)) s of wall-clock time \(place)\(progress); the process was killed")
        }
        if run.signal == SIGXCPU || (run.signal == SIGKILL && run.cpuSeconds >= Double(limits.cpuSeconds)) {
            return (.cpuLimit, "stopped: the CPU time limit of \(limits.cpuSeconds) s was exceeded \(place)\(progress) (an endless or very slow loop)")
        }
        if run.signal == SIGXFSZ {
            return (.fileSizeLimit, "stopped: the code wrote a file larger than the \(limits.fileMB) MB limit \(place)")
        }
        if run.signal != 0 {
            return (.crashed, "the Python process was killed by \(signalName(run.signal)) \(place)\(memoryHint(run))")
        }
        if let error = run.events("tests_error").first {
            return (.testsError, "the tests are not valid Python: \(error["kind"]?.stringValue ?? "SyntaxError"): \(error["message"]?.stringValue ?? "") (tests line \(number(error["at"])))")
        }
        if let error = run.events("solution_error").first {
            if let special = limitOrRefusal(error, limits: limits, place: "while loading the code") { return special }
            if error["kind"]?.stringValue == "SyntaxError" {
                return (.codeError, "the code is not valid Python: SyntaxError: \(error["message"]?.stringValue ?? "") (line \(number(error["at"])))")
            }
            return (.codeError, "the code raised \(describe(error)) while loading, before any test ran")
        }
        if let error = run.events("setup_error").first {
            if let special = limitOrRefusal(error, limits: limits, place: "in the test setup") { return special }
            return (.failedTests, "the test setup line \(number(error["line"])) `\(error["source"]?.stringValue ?? "")` raised \(describe(error))")
        }
        guard let done = run.events("done").first else {
            let ended = run.exitCode.map { "exit code \($0)" } ?? "no exit status"
            let stderrTail = run.stderr.split(separator: "\n").last.map { ": \($0)" } ?? ""
            return (.codeError, "the code ended the Python process (\(ended)) \(place)\(progress)\(stderrTail)")
        }
        if number(done["tests"]) == "0" {
            return (.noTests, "the tests hold no assert statement, so nothing was checked")
        }
        let failures = run.events("test").filter { $0["passed"]?.boolValue != true }
        guard let first = failures.first else { return (.passed, "passed all \(total) tests") }
        if let special = limitOrRefusal(first, limits: limits, place: "in test \(number(first["index"])) `\(first["source"]?.stringValue ?? "")`") {
            return special
        }
        let more = failures.count > 1 ? "; \(failures.count - 1) more failed" : ""
        return (.failedTests, "failed \(failures.count) of \(total) tests: line \(number(first["line"])) `\(first["source"]?.stringValue ?? "")`: \(describe(first))\(more)")
    }

    /// A failure that is really a limit or a refusal of the sandbox, said as such.
    private static func limitOrRefusal(_ event: JSONValue, limits: SandboxLimits, place: String) -> (Outcome, String)? {
        let kind = event["kind"]?.stringValue ?? ""
        let message = event["message"]?.stringValue ?? ""
        if kind == "MemoryError" {
            return (.memoryLimit, "stopped: the memory limit of \(limits.memoryMB) MB was reached (MemoryError) \(place)")
        }
        if kind == "PermissionError", message.hasPrefix("sandbox: ") {
            return (.blocked, "blocked: \(message.dropFirst("sandbox: ".count)) \(place)")
        }
        if message.contains("[Errno 27]") || message.contains("File too large") {
            return (.fileSizeLimit, "stopped: the code wrote a file larger than the \(limits.fileMB) MB limit \(place)")
        }
        if kind == "RecursionError" {
            return (.codeError, "the code recursed too deeply (RecursionError) \(place)")
        }
        if kind == "EOFError" {
            return (.codeError, "the code read standard input (EOFError), which is empty in the sandbox \(place)")
        }
        return nil
    }

    /// "in test 2 `assert f(3) == 9`": the test that was running when the process stopped.
    private static func place(_ run: SandboxRun) -> String {
        let begun = run.events("begin")
        let finished = Set(run.events("test").compactMap { $0["index"]?.doubleValue })
        if let current = begun.last, let index = current["index"]?.doubleValue, !finished.contains(index) {
            return "in test \(Int(index)) `\(current["source"]?.stringValue ?? "")`"
        }
        if !run.events("begin_solution").isEmpty, run.events("loaded").isEmpty { return "while loading the code" }
        return run.events("start").isEmpty ? "before the harness started" : "between tests"
    }

    private static func describe(_ event: JSONValue) -> String {
        let kind = event["kind"]?.stringValue ?? "an error"
        let message = event["message"]?.stringValue ?? ""
        if kind == "AssertionError", !message.isEmpty { return message }
        var text = message.isEmpty ? kind : "\(kind): \(message)"
        if let file = event["file"]?.stringValue, let at = event["at"]?.doubleValue {
            text += " (\(file == "solution.py" ? "code" : "tests") line \(Int(at)))"
        }
        return text
    }

    private static func memoryHint(_ run: SandboxRun) -> String {
        run.signal == SIGSEGV || run.signal == SIGABRT ? " (possibly the \(run.limits.memoryMB) MB memory limit)" : ""
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE",
                                      SIGILL: "SIGILL", SIGTERM: "SIGTERM", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ", SIGPIPE: "SIGPIPE"]
        return names[signal] ?? "signal \(signal)"
    }

    private static func number(_ value: JSONValue?) -> String {
        guard let n = value?.doubleValue else { return "?" }
        return String(Int(n))
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }
}
