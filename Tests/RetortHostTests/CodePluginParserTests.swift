// The code plugin's parsers on what teachers write: fenced and unfenced code, chatter around it,
// usage examples, doctests, pytest and unittest styles — and on malformed and hostile output.
import RetortHost
import RetortJSON
import Testing

@Suite struct CodePluginParserTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try CodePluginLibrary.load()
    }

    @Test func aFencedSolutionIsExtractedWithoutTheChatterAroundIt() throws {
        let record = try plugin.parseOne("python-code", """
            Sure! Here is the function:

            ```python
            def add(a, b):
                return a + b
            ```

            I hope this helps.
            """)
        #expect(record["code"] == "def add(a, b):\n    return a + b")
        #expect(record["response"] == "```python\ndef add(a, b):\n    return a + b\n```")
        #expect(record["functions"] == ["add"])
    }

    @Test func helperBlocksAreJoinedAndUsageExamplesLeftOut() throws {
        let record = try plugin.parseOne("python-code", """
            ```python
            def square(x):
                return x * x
            ```
            Then the main function:
            ```py
            def sum_of_squares(items):
                return sum(square(i) for i in items)
            ```
            Example:
            ```python
            print(sum_of_squares([1, 2]))
            ```
            """)
        #expect(record["functions"] == ["square", "sum_of_squares"])
        #expect(record["code"]?.stringValue?.contains("print(") == false)
    }

    @Test func unfencedCodeRunsFromTheFirstDefinitionToTheFirstProse() throws {
        let record = try plugin.parseOne("python-code", """
            def is_even(n):
                # even numbers have no remainder
                return n % 2 == 0

            This function returns True for even numbers.
            """)
        #expect(record["code"] == "def is_even(n):\n    # even numbers have no remainder\n    return n % 2 == 0")
    }

    /// What the embedded teacher wrote for is_even: code, then a closing fence it never opened.
    @Test func codeBeforeAStrayClosingFenceIsTheCode() throws {
        let record = try plugin.parseOne("python-code", """
            def is_even(n):
                return n % 2 == 0
            ```

            This function takes an integer `n` as input and returns True if it's even.
            """)
        #expect(record["code"] == "def is_even(n):\n    return n % 2 == 0")
    }

    @Test func doctestPromptsAreDropped() throws {
        let record = try plugin.parseOne("python-code", """
            ```python
            >>> add(1, 2)
            3
            def add(a, b):
                return a + b
            ```
            """)
        #expect(record["code"] == "def add(a, b):\n    return a + b")
    }

    @Test func outputWithoutCodeIsRejectedWithTheReason() {
        #expect(plugin.parseError("python-code", "")?.message.contains("empty") == true)
        #expect(plugin.parseError("python-code", "To add two numbers, use the plus sign.")?.message.contains("no Python code") == true)
        #expect(plugin.parseError("python-code", "I'm sorry, I cannot write code.")?.message.contains("refused") == true)
        #expect(plugin.parseError("python-code", "```python\nx = 1 + 2\n```")?.message.contains("defines no function") == true)
        #expect(plugin.parseError("python-code", "```bash\nrm -rf /\n```")?.message.contains("no Python code") == true)
    }

    /// The parser only extracts: hostile code comes through intact, for the sandbox to contain.
    @Test func hostileCodeIsExtractedForTheSandboxNotExecuted() throws {
        let record = try plugin.parseOne("python-code", """
            ```python
            import socket, os
            def add(a, b):
                socket.create_connection(("example.com", 80))
                os.system("rm -rf ~")
                return a + b
            ```
            """)
        #expect(record["code"]?.stringValue?.contains("os.system") == true)
    }

    @Test func assertsAreCollectedFromBlocksPytestAndUnittest() throws {
        let record = try plugin.parseOne("unit-tests", """
            Here are the tests:
            ```python
            import math
            from solution import add
            assert add(2, 3) == 5
            assert add(
                -1, 1) == 0

            def test_floats():
                result = add(0.5, 0.25)
                assert result == 0.75

            class TestAdd(unittest.TestCase):
                def test_zero(self):
                    self.assertEqual(add(0, 0), 0)
                    self.assertTrue(add(1, 1) > 1)
                    self.assertFalse(add(1, 1) < 0)
            ```
            """)
        #expect(record["tests"] == """
            import math
            assert add(2, 3) == 5
            assert add( -1, 1) == 0
            result = add(0.5, 0.25)
            assert result == 0.75
            assert add(0, 0) == 0
            assert add(1, 1) > 1
            assert not (add(1, 1) < 0)
            """)
        #expect(record["count"] == 6)
    }

    @Test func trivialOrMissingAssertsAreRejected() {
        #expect(plugin.parseError("unit-tests", "```python\nassert True\nassert 1 == 1\nassert 'a' == 'a'\n```")?.message
            .contains("every assert checks nothing") == true)
        #expect(plugin.parseError("unit-tests", "Test that add(2, 3) returns 5.")?.message.contains("no assert statements") == true)
        #expect(plugin.parseError("unit-tests", "   ")?.message.contains("empty") == true)
    }

    @Test func problemListsLoseNumberingAndChatter() throws {
        let records = try plugin.parse(parser: "problem-list", output: """
            Here are some new problems:
            6. Write a Python function `mean(xs)` that returns the average of a list.
            7) **Problem 7:** Write a Python function `vowels(s)` that counts vowels in s.
            8. Short one.
            """)
        #expect(records == [["instruction": "Write a Python function `mean(xs)` that returns the average of a list."],
                            ["instruction": "Write a Python function `vowels(s)` that counts vowels in s."]])
        #expect(plugin.parseError("problem-list", "1. Hi\n2. Ok")?.message.contains("at least 5 words") == true)
    }
}
