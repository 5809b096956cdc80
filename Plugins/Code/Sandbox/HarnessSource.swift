// The Python program the sandbox runs (`python3 -I -S -B -c <harness> guard|noguard`): it loads
// the solution, then runs every top-level `assert` of the tests as one test case, and reports each
// step as a JSON line on file descriptor 3, tagged with a token it reads from standard input (so
// text the solution prints there by accident is not taken for a result).
//
// With `guard`, a PEP 578 audit hook refuses sockets, new processes, native code (ctypes),
// signals and writes outside the working directory with a PermissionError that names what was
// refused: a clear reason for the record. The kernel layers (namespaces, Landlock, rlimits) are
// the boundary; the hook only explains, and catches what they cannot (a fallback when the
// kernel offers neither namespaces nor Landlock).
enum HarnessSource {
    static let text = #"""
import ast, json, os, sys, traceback

def _retort_harness():
    token = sys.stdin.readline().strip()
    channel = os.fdopen(3, "w", encoding="utf-8", buffering=1)
    me = os.getpid()

    def emit(**event):
        if os.getpid() != me:
            os._exit(0)  # a forked copy of the solution must not report
        event["token"] = token
        try:
            channel.write(json.dumps(event) + "\n")
        except MemoryError:
            channel.write('{"event": "%s", "kind": "MemoryError", "token": "%s"}\n' % (event.get("event"), token))
        channel.flush()

    def short(value):
        try:
            text = repr(value)
        except BaseException as error:
            text = "<unprintable %s>" % type(error).__name__
        return text if len(text) <= 160 else text[:157] + "..."

    def failure(error):
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename in ("solution.py", "tests.py")]
        where = frames[-1] if frames else None
        message = str(error)
        if len(message) > 300:
            message = message[:297] + "..."
        return {"kind": type(error).__name__, "message": message,
                "file": where.filename if where else None, "at": where.lineno if where else None}

    with open("solution.py", encoding="utf-8") as f:
        solution = f.read()
    with open("tests.py", encoding="utf-8") as f:
        tests = f.read()
    os.remove("solution.py")  # the solution may not read the expected values
    os.remove("tests.py")
    sys.stdin = open(os.devnull)

    if len(sys.argv) > 1 and sys.argv[1] == "guard":
        _install_guard(os.getcwd())
    emit(event="start")

    try:
        tree = ast.parse(tests, "tests.py")
    except SyntaxError as error:
        emit(event="tests_error", kind="SyntaxError", message=str(error.msg), at=error.lineno)
        return
    try:
        compiled = compile(solution, "solution.py", "exec")
    except SyntaxError as error:
        emit(event="solution_error", kind="SyntaxError", message=str(error.msg), file="solution.py", at=error.lineno)
        return
    except (ValueError, MemoryError, RecursionError) as error:
        emit(event="solution_error", **failure(error))
        return

    scope = {"__name__": "__solution__", "__builtins__": __builtins__}
    emit(event="begin_solution")
    try:
        exec(compiled, scope)
    except BaseException as error:  # SystemExit and KeyboardInterrupt too: they end no test run
        emit(event="solution_error", **failure(error))
        return
    emit(event="loaded")

    index = 0
    for statement in tree.body:
        source = ast.get_source_segment(tests, statement) or ""
        if not isinstance(statement, ast.Assert):
            try:
                exec(compile(ast.Module([statement], []), "tests.py", "exec"), scope)
            except BaseException as error:
                emit(event="setup_error", line=statement.lineno, source=source, **failure(error))
                return
            continue
        index += 1
        emit(event="begin", index=index, line=statement.lineno, source=source)
        result = {"event": "test", "index": index, "line": statement.lineno, "source": source, "passed": True}
        try:
            test = statement.test
            if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
                # Evaluated apart, to say what the solution returned.
                got = eval(compile(ast.Expression(test.left), "tests.py", "eval"), scope)
                expected = eval(compile(ast.Expression(test.comparators[0]), "tests.py", "eval"), scope)
                if not got == expected:
                    result.update(passed=False, kind="AssertionError", message="got %s, expected %s" % (short(got), short(expected)))
            else:
                exec(compile(ast.Module([statement], []), "tests.py", "exec"), scope)
        except BaseException as error:
            result.update(passed=False, **failure(error))
        emit(**result)
    emit(event="done", tests=index)


def _install_guard(root):
    root = os.path.realpath(root)
    refused = {
        "socket.__new__": "network access (a socket)",
        "os.fork": "starting processes (os.fork)",
        "os.forkpty": "starting processes (os.forkpty)",
        "os.system": "running shell commands (os.system)",
        "os.exec": "running programs (os.exec*)",
        "os.posix_spawn": "running programs (os.posix_spawn)",
        "os.spawn": "running programs (os.spawn*)",
        "subprocess.Popen": "running programs (subprocess)",
        "ctypes.dlopen": "loading native code (ctypes)",
        "os.kill": "sending signals (os.kill)",
        "os.killpg": "sending signals (os.killpg)",
    }
    # Which arguments of each event name a file that is changed (not one that is only read).
    path_events = {"os.remove": (0,), "os.rmdir": (0,), "os.mkdir": (0,), "os.chmod": (0,), "os.chown": (0,),
                   "os.truncate": (0,), "os.utime": (0,), "shutil.rmtree": (0,), "os.rename": (0, 1),
                   "shutil.move": (0, 1), "os.link": (1,), "os.symlink": (1,), "shutil.copyfile": (1,)}
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
    realpath, fspath, join, sep = os.path.realpath, os.fspath, os.path.join, os.sep

    def outside(path):
        if isinstance(path, int):
            return False
        try:
            resolved = realpath(fspath(path))
        except Exception:
            return True
        return resolved != root and not resolved.startswith(root + sep)

    def hook(event, args):
        if event in refused:
            raise PermissionError("sandbox: %s is not allowed" % refused[event])
        if event == "open":
            path, mode, flags = args[0], args[1], args[2]
            writes = (mode is not None and any(c in str(mode) for c in "wax+")) or (isinstance(flags, int) and flags & write_flags)
            if writes and outside(path):
                raise PermissionError("sandbox: writing outside the working directory is not allowed (%s)" % path)
        elif event in path_events:
            for position in path_events[event]:
                path = args[position] if position < len(args) else None
                if isinstance(path, (str, bytes, os.PathLike)) and outside(path):
                    raise PermissionError("sandbox: changing files outside the working directory is not allowed (%s)" % path)

    sys.addaudithook(hook)


_retort_harness()
"""#
}
