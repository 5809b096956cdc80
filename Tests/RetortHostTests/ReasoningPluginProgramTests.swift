// The `program-of-thought` parser runs a teacher's program in the plugin's own arithmetic
// interpreter: good programs in the styles teachers write, and hostile or broken ones (imports,
// file access, loops, overflow, recursion, undefined names), each rejected with its line.
import RetortHost
import RetortJSON
import Testing

@Suite struct ReasoningPluginProgramTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try ReasoningPluginLibrary.load()
    }

    func answer(_ output: String) throws -> JSONValue? {
        try plugin.parseOne("program-of-thought", output)["answer"]
    }

    @Test func aFencedProgramIsRunAndItsAnswerVariableRead() throws {
        let output = """
            Here is the program:
            ```python
            # cost of the notebooks and the pens
            notebooks = 3 * 4.00
            pens = 2 * 1.50
            answer = notebooks + pens
            ```
            It prints the total.
            """
        let record = try plugin.parseOne("program-of-thought", output)
        #expect(record["answer"] == "15")
        #expect(record["answer_source"] == "variable answer")
        #expect(record["program"] == "# cost of the notebooks and the pens\nnotebooks = 3 * 4.00\npens = 2 * 1.50\nanswer = notebooks + pens")
        #expect(record["response"]?.stringValue?.hasPrefix("```python\n# cost") == true)
    }

    @Test(arguments: [
        // PAL style: a solution() function, called or not.
        ("```python\ndef solution():\n    eggs = 95\n    per_carton = 8\n    return eggs % per_carton\n\nprint(solution())\n```", "7"),
        ("```python\ndef solution():\n    \"\"\"Eggs left over.\"\"\"\n    return 95 % 8\n```", "7"),
        // Unfenced lines, augmented assignment, integer floor division and Python's rounding.
        ("stickers = 48\nstickers -= stickers // 4\nstickers += 9\nanswer = stickers", "45"),
        ("x = round(2.5)\ny = round(3.5)\nanswer = x + y", "6"),
        ("import math\nanswer = math.ceil(95 / 8)", "12"),
        ("price = 80\nprint(f\"The new price is {price * (1 + 15 / 100):.2f} dollars\")", "92"),
        ("a = 7\nb = -2\nanswer = a // b", "-4"),
        ("answer = -7 % 3", "2"),
        ("answer = 0.1 + 0.2", "0.3"),
        ("answer = 2 ** 10 - 24", "1000"),
        ("answer = -2 ** 2", "-4"),
        ("total = (\n    12 +\n    30\n)\nanswer = total", "42"),
        ("def area(w, h):\n    return w * h\nanswer = 2 * (area(3, 4) + 1)", "26"),
    ])
    func programsInTheStylesTeachersWriteAreRun(program: String, expected: String) throws {
        #expect(try answer(program) == .string(expected), "\(program)")
    }

    @Test(arguments: [
        ("```python\nimport os\nos.system('rm -rf /')\n```", "only `import math` is allowed"),
        ("```python\nanswer = open('/etc/passwd')\n```", "unknown function open()"),
        ("```python\nanswer = __import__('os')\n```", "unknown function __import__()"),
        ("```python\nanswer = open('/etc/passwd').read()\n```", "unexpected \".\""),
        ("```python\nwhile True:\n    pass\n```", "`while` is not supported"),
        ("```python\nfor i in range(10**9):\n    x = i\n```", "`for` is not supported"),
        ("```python\nanswer = eval('1+1')\n```", "unknown function eval()"),
        ("```python\nexec('import os')\n```", "`exec` is not supported"),
        ("```python\nanswer = 10 ** 400\n```", "integer overflow"),
        ("```python\nanswer = 10.0 ** 400\n```", "overflows"),
        ("```python\nanswer = 2 ** 62 * 4\n```", "integer overflow"),
        ("```python\nanswer = 5 / (3 - 3)\n```", "line 1: division by zero"),
        ("```python\nx = 3\nanswer = y + x\n```", "line 2: \"y\" is not defined"),
        ("```python\ndef f():\n    return f()\nanswer = f()\n```", "calls nest more than 16 deep"),
        ("```python\nx = 5\n```", "neither sets `answer` nor prints a number"),
        ("```python\nanswer = (1 + 2\n```", "a parenthesis is never closed"),
        ("```python\nanswer = [1, 2, 3][0]\n```", "unexpected"),
        ("```python\nanswer = 1 if True else 2\n```", "unexpected"),
        ("```python\nobj.attr = 3\nanswer = 1\n```", "only a plain name can be assigned"),
        ("The total is 15.", "no program"),
        ("", "empty"),
    ])
    func hostileOrBrokenProgramsAreRejectedWithTheirReason(program: String, reason: String) {
        let error = plugin.parseError("program-of-thought", program)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "accepted")")
    }

    @Test func deeplyNestedExpressionsAreRefusedNotACrash() {
        let nested = "answer = " + String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
        #expect(plugin.parseError("program-of-thought", nested)?.message.contains("nested too deeply") == true)
        let signs = "answer = " + String(repeating: "-", count: 500) + "1"
        #expect(plugin.parseError("program-of-thought", signs)?.message.contains("nested too deeply") == true)
        let long = "answer = " + Array(repeating: "1", count: 3000).joined(separator: "+")
        #expect(plugin.parseError("program-of-thought", long)?.message.contains("more than 4000") == true)
    }
}
