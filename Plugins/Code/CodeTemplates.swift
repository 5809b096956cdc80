// The code plugin's prompt templates (the I of Eq. 1), addressed as `code.<name>`. Solutions are
// asked for in one ```python block with the tests shown, as MBPP's prompts do; `refine` is the
// PERsD feedback prompt, which shows the teacher the student's failing code and the sandbox's
// execution error. Wording stays short and literal for small teachers.
import RetortPluginSDK

enum CodeTemplates {
    static let all: [Template] = [
        Template(
            name: "system-python-expert", role: .system, strategy: "labeling", slots: [],
            text: """
                You are an expert Python programmer. You write correct, simple and readable Python 3 code \
                that uses only the standard library. You answer with the code in one ```python block.
                """,
            description: "System message for code answers."),
        Template(
            name: "solve", role: .user, strategy: "labeling", slots: ["instruction", "input"],
            text: """
                {{instruction}}{{#input}}

                Your code should pass these tests:
                ```python
                {{input}}
                ```{{/input}}

                Write only the function (and any helper it needs) in one ```python code block, without examples or tests.
                """,
            description: "A problem and its unit tests (the seed's `input`) → a solution (parser: python-code, filter: passes-tests)."),
        Template(
            name: "write-tests", role: .user, strategy: "labeling", slots: ["instruction", "input"],
            text: """
                Write unit tests for this programming problem:
                {{instruction}}{{#input}}

                The solution being tested:
                ```python
                {{input}}
                ```{{/input}}

                Write 4 tests, each one line of the form `assert function(arguments) == expected`, \
                covering normal cases and edge cases. Put them in one ```python block and write nothing else.
                """,
            description: "A problem (and its reference solution) → assert-style unit tests (parser: unit-tests, filter: tests-pass-reference)."),
        Template(
            name: "attempt", role: .user, strategy: "self-knowledge", slots: ["instruction"],
            text: """
                {{instruction}}

                Write the Python function in one ```python code block.
                """,
            description: "A student's attempt at a problem whose tests travel in the instruction (seed set `problems-inline`)."),
        Template(
            name: "refine", role: .user, strategy: "feedback", slots: ["instruction", "code", "error"],
            text: """
                A student wrote this Python code for the problem below, but it fails when it is run.

                Problem:
                {{instruction}}

                Student's code:
                ```python
                {{code}}
                ```

                What happened when it was run against the tests:
                {{error}}

                Explain the mistake in one or two sentences, then write the corrected function in one ```python code block.
                """,
            description: "PERsD refinement: the student's failing code and the execution error → the teacher's fix (parser: python-code)."),
        Template(
            name: "new-problems", role: .user, strategy: "expansion", slots: ["examples", "count"],
            text: """
                Here are some Python programming problems:
                {{examples}}

                Write {{count}} new problems of the same kind. Each asks for one Python function with a name in \
                backticks and its arguments, says exactly what it returns, and can be checked with a few asserts. \
                Use different topics. Continue the numbering, one problem per line, and write nothing else.
                """,
            description: "Self-Instruct for code (Code Alpaca style): new function-writing problems after numbered examples."),
    ]
}
