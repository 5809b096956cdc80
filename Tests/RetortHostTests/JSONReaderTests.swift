// The JSON reader on valid and malformed text: values, escapes, and errors with line and column.
import RetortJSON
import Testing

@Suite struct JSONReaderTests {
    @Test func readsEveryValueKind() throws {
        let value = try JSONValue(parsing: #"{"a": [1, -2.5e2, true, false, null], "b": {"c": "x\"\\\/\n\u00e9\ud83d\ude00"}}"#)
        #expect(value == ["a": [1, -250, true, false, nil], "b": ["c": "x\"\\/\né😀"]])
    }

    @Test func writesSortedCompactJSONThatReadsBack() throws {
        let value: JSONValue = ["b": [1, 2.5, "t\u{1}"], "a": nil]
        #expect(value.jsonText == #"{"a":null,"b":[1,2.5,"t\u0001"]}"#)
        #expect(try JSONValue(parsing: value.jsonText) == value)
    }

    @Test(arguments: [
        ("", "line 1, column 1: expected a value"),
        ("{\"a\": 1,}", "expected a member name"),
        ("[1 2]", "expected ',' or ']'"),
        ("{\"a\" 1}", "expected ':'"),
        ("\"unterminated", "unterminated string"),
        ("01", "leading zeros"),
        ("1.", "digits after the decimal point"),
        ("tru", "expected 'true'"),
        ("[1]x", "unexpected text after"),
        ("\"\\q\"", "invalid escape"),
        ("\"\\ud800\"", "low surrogate"),
        ("\"a\tb\"", "control characters"),
        ("{\n  \"a\": [1,\n   oops]}", "line 3, column 4"),
        ("1e999", "out of range"),
    ])
    func malformedTextIsAnErrorThatSaysWhere(text: String, message: String) {
        #expect {
            try JSONValue(parsing: text)
        } throws: { error in
            (error as? JSONTextError)?.message.contains(message) == true
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONTextError.self) { try JSONValue(parsing: deep) }
    }
}
