// The tool-use plugin's native tools, called as the host calls every tool: JSON arguments
// converted to C values and passed through libffi. Good inputs give {"result": …}; bad and
// hostile ones (overflow, division by zero, injected code, impossible dates, unknown units) give
// {"error": …} and never crash; wrong argument types are refused by the host before any call.
import RetortHost
import RetortJSON
import Testing

@Suite struct ToolUsePluginToolTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try ToolUsePluginLibrary.load()
    }

    /// The tool's JSON result, parsed.
    func call(_ tool: String, _ arguments: JSONValue) throws -> JSONValue {
        let text = try #require(try plugin.callTool(tool, arguments: arguments).stringValue, "\(tool) returned no string")
        return try JSONValue(parsing: text)
    }

    func calculate(_ expression: String) throws -> JSONValue { try call("calculator", ["expression": .string(expression)]) }

    @Test(arguments: [
        ("2 + 3 * 4", 14.0), ("(2 + 3) * 4", 20), ("-2^2", -4), ("2^3^2", 512), ("2 ** 10", 1024), ("7 % 3", 1),
        ("(12.5 + 7) × 3 − 1 ÷ 4", 58.25), ("sqrt(1764)", 42), ("round(3.14159, 2)", 3.14), ("max(1, 7, 3) - min(4, 5)", 3),
        ("0.1 + 0.2", 0.3), ("2480 * 17.5 / 100", 434), ("2e3", 2000), ("abs(-5) + floor(2.7) + ceil(2.1)", 10), ("10 - -3", 13),
    ])
    func calculatorEvaluatesArithmetic(expression: String, value: Double) throws {
        #expect(try calculate(expression) == ["result": .number(value)])
    }

    @Test(arguments: [
        ("2 ** 99999", "overflow"), ("1e308 * 10", "overflow"), ("exp(1000)", "overflow"), ("1 / 0", "division by zero"),
        ("5 % 0", "division by zero"), ("sqrt(-1)", "square root of a negative number"), ("ln(0)", "not positive"),
        ("__import__('os').system('ls')", "unexpected character"), ("open('/etc/passwd')", "unknown function"),
        ("exec", "unknown name"), ("1,000 + 5", "comma inside a number"), ("3 +", "ends too early"), ("(1 + 2", "expected ')'"),
        ("1 + 2)", "without its '('"), ("", "empty"), ("2 $ 3", "unexpected character"), ("1..2", "two decimal points"),
        ("max()", "takes 1 to 16 arguments"),
    ])
    func calculatorRefusesBadAndHostileInput(expression: String, reason: String) throws {
        let result = try calculate(expression)
        #expect(result["result"] == nil)
        #expect(result["error"]?.stringValue?.contains(reason) == true, "\(result.jsonText)")
    }

    @Test func calculatorBoundsNestingAndLength() throws {
        let nested = String(repeating: "(", count: 400) + "1" + String(repeating: ")", count: 400)
        #expect(try calculate(nested)["error"]?.stringValue?.contains("nested more than 64 deep") == true)
        #expect(try calculate(String(repeating: "-", count: 900) + "1")["error"]?.stringValue?.contains("more than 64 deep") == true)
        #expect(try calculate(String(repeating: "1+", count: 600) + "1")["error"]?.stringValue?.contains("more than 1000") == true)
    }

    @Test func unitConversionCoversEveryKindAndRefusesNonsense() throws {
        #expect(try call("convert_units", ["value": 42.195, "from_unit": "km", "to_unit": "mi"]) == ["result": 26.2187574565, "unit": "mi"])
        #expect(try call("convert_units", ["value": 98.6, "from_unit": "°F", "to_unit": "celsius"]) == ["result": 37, "unit": "C"])
        #expect(try call("convert_units", ["value": 3, "from_unit": "cups", "to_unit": "ml"])["result"] == 709.7647095)
        #expect(try call("convert_units", ["value": 0.1, "from_unit": "m", "to_unit": "cm"])["result"] == 10)
        #expect(try call("convert_units", ["value": 3, "from_unit": "GB", "to_unit": "MiB"])["result"] == 2861.02294922)
        #expect(try call("convert_units", ["value": 1, "from_unit": "week", "to_unit": "s"])["result"] == 604800)
        #expect(try call("convert_units", ["value": 1, "from_unit": "acre", "to_unit": "m2"])["result"] == 4046.8564224)
        #expect(try call("convert_units", ["value": 1, "from_unit": "kg", "to_unit": "m"])["error"]?.stringValue
            == "cannot convert kg (mass) to m (length); kg converts to kg, g, mg, t, lb, oz, st")
        #expect(try call("convert_units", ["value": -500, "from_unit": "C", "to_unit": "K"])["error"] == "-500 C is below absolute zero")
        #expect(try call("convert_units", ["value": 1, "from_unit": "parsec", "to_unit": "m"])["error"]?.stringValue?
            .hasPrefix("unknown from_unit \"parsec\"; known units: m, km") == true)
    }

    @Test func datesAreCheckedAndCountedOnTheGregorianCalendar() throws {
        #expect(try call("date_add", ["date": "2025-01-15", "days": 90]) == ["result": "2025-04-15", "weekday": "Tuesday"])
        #expect(try call("date_add", ["date": "2024-02-28", "days": 1])["result"] == "2024-02-29")
        #expect(try call("date_add", ["date": "2100-02-28", "days": 1])["result"] == "2100-03-01")
        #expect(try call("date_add", ["date": "2025-06-01", "days": -1000])["result"] == "2022-09-05")
        #expect(try call("date_diff", ["start_date": "2024-02-10", "end_date": "2024-03-10"]) == ["result": 29])
        #expect(try call("date_diff", ["start_date": "2025-12-25", "end_date": "2025-09-01"]) == ["result": -115])
        #expect(try call("weekday", ["date": "1969-07-20"]) == ["result": "Sunday"])
        #expect(try call("weekday", ["date": "2000-01-01"]) == ["result": "Saturday"])
        #expect(try call("date_add", ["date": "2023-02-29", "days": 1])["error"] == "date 2023-02-29 does not exist on the calendar")
        #expect(try call("weekday", ["date": "2024-1-1"])["error"] == "date \"2024-1-1\" is not a date written as YYYY-MM-DD")
        #expect(try call("weekday", ["date": "'; DROP TABLE"])["error"]?.stringValue?.contains("not a date") == true)
        #expect(try call("date_add", ["date": "9999-12-31", "days": 1])["error"]?.stringValue?.contains("outside the years 1 to 9999") == true)
        #expect(try call("date_add", ["date": "2025-01-01", "days": 2_147_483_647])["error"]?.stringValue?.contains("outside") == true)
    }

    @Test func textToolsCountCharactersNotBytes() throws {
        #expect(try call("text_stats", ["text": "The quick brown fox jumps over the lazy dog"])
            == ["result": ["characters": 43, "words": 9, "sentences": 1, "lines": 1]])
        #expect(try call("text_stats", ["text": "Héllo wörld. Second one!\nThird"])["result"]?["characters"] == 30)
        #expect(try call("transform_text", ["text": "harbor lane stationery", "operation": "title_case"]) == ["result": "Harbor Lane Stationery"])
        #expect(try call("transform_text", ["text": "héllo", "operation": "reverse"]) == ["result": "olléh"])
        #expect(try call("transform_text", ["text": "  x  ", "operation": "trim"]) == ["result": "x"])
        #expect(try call("transform_text", ["text": "x", "operation": "explode"])["error"]?.stringValue?.contains("unknown operation") == true)
        #expect(try call("count_occurrences", ["text": "Seventeen elephants entered", "substring": "e", "case_sensitive": false])
            == ["result": 9])
        #expect(try call("count_occurrences", ["text": "aaaa", "substring": "aa", "case_sensitive": true]) == ["result": 2])
        #expect(try call("count_occurrences", ["text": "abc", "substring": "", "case_sensitive": true])["error"] != nil)
    }

    @Test func lookupReadsTheStoreAndSuggestsKeys() throws {
        #expect(try call("lookup", ["key": "price:backpack"]) == ["result": 24.99])
        #expect(try call("lookup", ["key": " Hours:Saturday "]) == ["result": "10:00-14:00"])
        let missing = try call("lookup", ["key": "price:laptop"])
        #expect(missing["error"]?.stringValue?.hasPrefix("no record with key \"price:laptop\"") == true)
        #expect(missing["similar"]?.arrayValue?.contains("price:pen") == true)
        #expect(try call("list_keys", ["prefix": "shipping:"])["result"]?.arrayValue?.count == 5)
        #expect(try call("list_keys", ["prefix": "nothing"]) == ["result": []])
    }

    @Test func theHostRefusesWrongArgumentTypesBeforeCallingTheTool() {
        func refusal(_ tool: String, _ arguments: JSONValue) -> String? {
            do {
                _ = try plugin.callTool(tool, arguments: arguments)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(refusal("calculator", ["expression": 5])?.contains("must be a string") == true)
        #expect(refusal("convert_units", ["value": "5", "from_unit": "km", "to_unit": "mi"])?.contains("must be a number") == true)
        #expect(refusal("date_add", ["date": "2025-01-01", "days": 1.5])?.contains("int32_t") == true)
        #expect(refusal("date_add", ["date": "2025-01-01", "days": 1e12])?.contains("int32_t") == true)
        #expect(refusal("count_occurrences", ["text": "a", "substring": "a", "case_sensitive": "yes"])?.contains("true or false") == true)
        #expect(refusal("lookup", [:])?.contains("missing argument 'key'") == true)
        #expect(refusal("lookup", ["key": "price:pen", "sudo": true])?.contains("unknown argument 'sudo'") == true)
        #expect(refusal("lookup", ["key": "a\u{0}b"])?.contains("without NUL") == true)
    }
}
