// Escape attempts against the code sandbox: network access, writing outside the working
// directory, reading the host's secrets, fork bombs, endless loops, sleeping past the deadline,
// memory exhaustion and huge files. Each must be contained (checked from outside: no connection
// arrives, no file appears, no process survives) and reported with a reason that says what
// happened. With the Python guard off, the kernel layers alone must contain the attempt.
import Foundation
import RetortHost
import RetortJSON
import Testing

@Suite struct CodePluginEscapeTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try CodePluginLibrary.load()
    }

    func run(_ code: String, _ tests: String = "assert attack() == 1", limits: JSONValue = [:]) throws -> JSONValue {
        try CodePluginLibrary.run(plugin, code: code, tests: tests, limits: limits)
    }

    // MARK: Network

    @Test func connectingToALoopbackServerIsRefusedByTheGuard() throws {
        let server = try LoopbackListener()
        defer { server.close() }
        let report = try run(Self.connect(server.port))
        #expect(report["outcome"] == "blocked")
        #expect(report["reason"] == "blocked: network access (a socket) is not allowed in test 1 `assert attack() == 1`")
        #expect(!server.receivedConnection(), "the sandboxed code reached the loopback server")
    }

    @Test(.enabled(if: CodePluginLibrary.kernelBlocksNetwork, "needs a network namespace or Landlock network rules"))
    func connectingToALoopbackServerIsRefusedByTheKernelWithoutTheGuard() throws {
        let server = try LoopbackListener()
        defer { server.close() }
        let report = try run(Self.connect(server.port), limits: ["python_guard": false])
        #expect(report["outcome"] == "failed-tests")
        #expect(!server.receivedConnection(), "the sandboxed code reached the loopback server")
        // ENETUNREACH inside the namespace, EACCES from Landlock.
        let reason = try #require(report["reason"]?.stringValue)
        #expect(reason.contains("Network is unreachable") || reason.contains("Permission denied"), "\(reason)")
    }

    /// UDP is outside Landlock's TCP rules: only the network namespace stops this datagram.
    @Test(.enabled(if: CodePluginLibrary.layers.contains("network namespace"), "needs a network namespace"))
    func aUDPDatagramToTheHostNeverArrives() throws {
        let receiver = try LoopbackListener(datagram: true)
        defer { receiver.close() }
        let report = try run("""
            import socket
            def attack():
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.sendto(b"secret", ("127.0.0.1", \(receiver.port)))
                return 1
            """, limits: ["python_guard": false])
        #expect(report["outcome"] == "failed-tests")
        #expect(report["reason"]?.stringValue?.contains("Network is unreachable") == true, "\(report["reason"] ?? "")")
        #expect(!receiver.receivedDatagram(), "a datagram from the sandbox reached the host")
    }

    static func connect(_ port: UInt16) -> String {
        """
        import socket
        def attack():
            with socket.create_connection(("127.0.0.1", \(port)), timeout=3) as s:
                s.sendall(b"secret")
            return 1
        """
    }

    // MARK: Files

    @Test func writingOutsideTheWorkingDirectoryIsRefusedByTheGuard() throws {
        let outside = try Self.openFolder()
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let target = outside + "/escaped.txt"
        let report = try run(Self.write(target))
        #expect(!FileManager.default.fileExists(atPath: target), "the sandboxed code wrote \(target)")
        #expect(report["reason"] == .string("blocked: writing outside the working directory is not allowed (\(target)) in test 1 `assert attack() == 1`"))
    }

    @Test(.enabled(if: CodePluginLibrary.kernelConfinesWrites, "needs Landlock"))
    func writingOutsideTheWorkingDirectoryIsRefusedByTheKernelWithoutTheGuard() throws {
        let outside = try Self.openFolder()
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let target = outside + "/escaped.txt"
        let report = try run(Self.write(target), limits: ["python_guard": false])
        #expect(!FileManager.default.fileExists(atPath: target), "the sandboxed code wrote \(target)")
        #expect(report["outcome"] == "failed-tests")
        #expect(report["reason"]?.stringValue?.contains("PermissionError: [Errno 13] Permission denied") == true, "\(report["reason"] ?? "")")
    }

    /// A folder anyone may write to: only the sandbox can stop the write, not its permissions.
    static func openFolder() throws -> String {
        let folder = try BuildProducts.temporaryDirectory()
        chmod(folder, 0o777)
        return folder
    }

    static func write(_ path: String) -> String {
        """
        def attack():
            with open("\(path)", "w") as f:
                f.write("escaped")
            return 1
        """
    }

    @Test(.enabled(if: CodePluginLibrary.kernelConfinesWrites, "needs Landlock"))
    func aSymlinkOutOfTheFolderCannotBeWrittenThrough() throws {
        let outside = try BuildProducts.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: outside) }
        chmod(outside, 0o777)
        let report = try run("""
            import os
            def attack():
                os.symlink("\(outside)", "door")
                open("door/through-link.txt", "w").write("x")
                return 1
            """, limits: ["python_guard": false])
        #expect(report["outcome"] != "passed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
    }

    @Test func theHostsFilesAndProcessesAreOutOfReach() throws {
        let report = try run("""
            import os
            def attack():
                secrets = open("/proc/1/environ", "rb").read()
                return 1
            """, limits: ["python_guard": false])
        #expect(report["outcome"] == "failed-tests")
        #expect(report["reason"]?.stringValue?.contains("Permission denied") == true)
        // Nothing of the host's environment reaches the code: not even PATH as the host has it.
        let env = try run("import os\ndef attack():\n    return sorted(os.environ)\n", "assert attack() == []")
        #expect(env["reason"]?.stringValue?.contains("got ['HOME', 'LANG', 'LC_ALL', 'PATH', 'TMPDIR']") == true)
    }

    // MARK: Processes

    @Test func aForkBombIsRefusedByTheGuard() throws {
        let report = try run("import os\ndef attack():\n    while True:\n        os.fork()\n")
        #expect(report["outcome"] == "blocked")
        #expect(report["reason"]?.stringValue?.hasPrefix("blocked: starting processes (os.fork) is not allowed") == true)
    }

    @Test func aForkBombWithoutTheGuardIsContainedAndLeavesNoProcess() throws {
        let report = try run("""
            import os
            def attack():
                while True:
                    try:
                        os.fork()
                    except OSError:
                        pass
            """, limits: ["python_guard": false, "timeout_seconds": 4, "cpu_seconds": 2, "processes": 16])
        #expect(["timeout", "cpu-limit"].contains(report["outcome"]?.stringValue ?? ""), "\(report["reason"] ?? "")")
        let folder = try #require(report["working_directory"]?.stringValue)
        #expect(CodePluginLibrary.processes(in: folder).isEmpty, "processes of the fork bomb survived the run")
        #expect(report["working_directory_removed"] == true)
    }

    @Test func anEndlessLoopIsStoppedByTheCPULimitOrTheDeadline() throws {
        let report = try run("def attack():\n    while True:\n        pass\n", limits: ["cpu_seconds": 1, "timeout_seconds": 20])
        let outcome = try #require(report["outcome"]?.stringValue)
        #expect(outcome == "cpu-limit" || outcome == "timeout")
        let reason = try #require(report["reason"]?.stringValue)
        #expect(reason.contains("CPU time limit of 1 s") || reason.contains("timed out"), "\(reason)")
        #expect(reason.contains("in test 1 `assert attack() == 1`"), "\(reason)")
    }

    @Test func sleepingPastTheDeadlineIsKilled() throws {
        let report = try run("import time\ndef attack():\n    time.sleep(600)\n", limits: ["timeout_seconds": 2])
        #expect(report["outcome"] == "timeout")
        #expect(report["timed_out"] == true)
        #expect(report["reason"] == "timed out: still running after 2 s of wall-clock time in test 1 `assert attack() == 1`; the process was killed")
    }

    // MARK: Memory and disk

    @Test func exhaustingMemoryStopsAtTheLimit() throws {
        let report = try run("""
            def attack():
                hoard = []
                while True:
                    hoard.append(bytearray(10_000_000))
            """, limits: ["memory_mb": 128])
        #expect(report["outcome"] == "memory-limit")
        #expect(report["reason"] == "stopped: the memory limit of 128 MB was reached (MemoryError) in test 1 `assert attack() == 1`")
    }

    @Test func aHugeFileStopsAtTheFileSizeLimit() throws {
        let report = try run("""
            def attack():
                with open("big.bin", "wb") as f:
                    for _ in range(64):
                        f.write(b"x" * 1_000_000)
                return 1
            """, limits: ["file_mb": 2])
        #expect(report["outcome"] == "file-size-limit")
        #expect(report["reason"]?.stringValue?.hasPrefix("stopped: the code wrote a file larger than the 2 MB limit") == true)
        #expect(report["working_directory_removed"] == true)
    }

    @Test func aFolderTheCodeLockedIsStillRemoved() throws {
        let report = try run("""
            import os
            def attack():
                os.makedirs("a/b/c")
                open("a/b/c/f.txt", "w").write("x")
                os.chmod("a/b", 0)
                os.chmod("a", 0)
                return 1
            """)
        #expect(report["outcome"] == "passed")
        #expect(report["working_directory_removed"] == true)
    }
}

/// A TCP server (or UDP socket) on 127.0.0.1 that only records whether anything arrived.
final class LoopbackListener {
    let descriptor: Int32
    let port: UInt16

    init(datagram: Bool = false) throws {
        let fd = socket(AF_INET, Int32((datagram ? SOCK_DGRAM : SOCK_STREAM).rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard fd >= 0, bound == 0, datagram || listen(fd, 8) == 0 else {
            throw LoopbackError(message: "cannot listen on 127.0.0.1: \(String(cString: strerror(errno)))")
        }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        _ = fcntl(fd, F_SETFL, O_NONBLOCK)
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    /// Whether a connection is waiting to be accepted (the run is over, so none may come later).
    func receivedConnection() -> Bool {
        let client = accept(descriptor, nil, nil)
        if client >= 0 { Glibc.close(client); return true }
        return false
    }

    /// Whether a datagram is waiting (UDP).
    func receivedDatagram() -> Bool {
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, Int32(MSG_DONTWAIT)) >= 0
    }

    func close() { Glibc.close(descriptor) }

    struct LoopbackError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
