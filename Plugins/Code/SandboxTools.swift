// The sandbox as native tools (retort.tools.v1), for `retort tools call` and for agents: run code
// against tests and get the whole report, or ask which isolation layers this host provides.
import Foundation
import RetortPluginSDK

enum SandboxTools {
    static let all: [Tool] = [
        Tool(
            name: "run_tests",
            description: "Runs Python code, then each top-level assert of the tests, in the sandbox; returns the outcome, "
                + "a reason, every test's result, the output and the isolation layers in force.",
            parameters: [
                "type": "object",
                "properties": [
                    "code": ["type": "string", "description": "Python source defining the solution."],
                    "tests": ["type": "string", "description": "Python asserts, one test case each."],
                    "limits": ["type": "string", "description": .string("A JSON object of sandbox limits (timeout_seconds, cpu_seconds, memory_mb, "
                        + "processes, file_mb, python_guard), or \"\" for the defaults.")],
                ],
                "required": ["code", "tests", "limits"],
            ],
            signature: "char * (const char *code, const char *tests, const char *limits)", symbol: "retort_code_run_tests"),
        Tool(
            name: "sandbox_info",
            description: "The interpreter the sandbox uses and the isolation layers this host provides (network, files, processes).",
            parameters: ["type": "object", "properties": [:]],
            signature: "char * (void)", symbol: "retort_code_sandbox_info"),
    ]

    static func runTests(code: String, tests: String, limits: String) -> JSONValue {
        do {
            let settings = limits.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try JSONValue(parsing: limits)
            let run = try PythonSandbox.run(code: code, tests: tests, limits: try SandboxLimits(settings))
            return report(run)
        } catch let failure as PluginFailure {
            return ["error": .string(failure.text)]
        } catch let error as JSONTextError {
            return ["error": .string("limits: \(error.message)")]
        } catch {
            return ["error": .string("\(error)")]
        }
    }

    static func info() -> JSONValue {
        do {
            let run = try PythonSandbox.run(code: "", tests: "", limits: try SandboxLimits())
            let defaults = try SandboxLimits()
            return [
                "interpreter": .string(run.interpreter), "isolation": run.isolation.json,
                "limits": ["timeout_seconds": .number(defaults.timeoutSeconds), "cpu_seconds": .number(Double(defaults.cpuSeconds)),
                           "memory_mb": .number(Double(defaults.memoryMB)), "processes": .number(Double(defaults.processes)),
                           "file_mb": .number(Double(defaults.fileMB))],
            ]
        } catch let failure as PluginFailure {
            return ["error": .string(failure.text)]
        } catch {
            return ["error": .string("\(error)")]
        }
    }

    static func report(_ run: SandboxRun) -> JSONValue {
        let verdict = SandboxVerdict(run)
        return [
            "outcome": .string(verdict.outcome.rawValue), "reason": .string(verdict.reason),
            "passed": .number(Double(verdict.passed)), "total": .number(Double(verdict.total)),
            "tests": .array(run.events("test")), "stdout": .string(run.stdout), "stderr": .string(run.stderr),
            "exit_code": run.exitCode.map { .number(Double($0)) } ?? .null,
            "signal": run.signal == 0 ? .null : .string(SandboxVerdict.signalName(run.signal)),
            "timed_out": .bool(run.timedOut), "wall_seconds": .number(run.wallSeconds), "cpu_seconds": .number(run.cpuSeconds),
            "isolation": run.isolation.json, "interpreter": .string(run.interpreter),
            "working_directory": .string(run.workingDirectory), "working_directory_removed": .bool(run.workingDirectoryRemoved),
        ]
    }
}

@_cdecl("retort_code_run_tests")
public func retortCodeRunTests(_ code: UnsafePointer<CChar>?, _ tests: UnsafePointer<CChar>?, _ limits: UnsafePointer<CChar>?)
    -> UnsafeMutablePointer<CChar>?
{
    let result = SandboxTools.runTests(code: code.map { String(cString: $0) } ?? "", tests: tests.map { String(cString: $0) } ?? "",
                                       limits: limits.map { String(cString: $0) } ?? "")
    return strdup(result.jsonText)
}

@_cdecl("retort_code_sandbox_info")
public func retortCodeSandboxInfo() -> UnsafeMutablePointer<CChar>? {
    strdup(SandboxTools.info().jsonText)
}
