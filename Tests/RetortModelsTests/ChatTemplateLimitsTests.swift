// Templates built to exhaust the interpreter end with a typed error instead of a crash or a hang:
// nesting deep enough to overflow the stack, endless macro recursion, loops of billions of steps,
// strings and lists of terabytes, integer edge cases that trap in Swift, self-containing namespaces.
// Several were found by ChatTemplateFuzzTests and stay here as regressions.
import RetortJSON
@testable import RetortModels
import Testing

struct ChatTemplateLimitsTests {
    func outcome(_ source: String) -> Result<String, ChatTemplateError> {
        Result { () throws(ChatTemplateError) in try ChatTemplate(source: source).render(messages: []) }
    }

    func message(_ source: String) -> String? {
        guard case .failure(let error) = outcome(source) else { return nil }
        return error.description
    }

    @Test func deepNestingIsASyntaxErrorNotAStackOverflow() throws {
        let deep = 20_000
        let cases = [
            "{{ " + String(repeating: "(", count: deep) + "1" + String(repeating: ")", count: deep) + " }}",
            "{{ " + String(repeating: "[", count: deep) + String(repeating: "]", count: deep) + " }}",
            "{{ " + String(repeating: "not ", count: deep) + "x }}",
            "{{ " + String(repeating: "-", count: deep) + "1 }}",
            "{{ 1" + String(repeating: " + 1", count: deep) + " }}",
            "{{ x" + String(repeating: "|trim", count: deep) + " }}",
            "{{ x" + String(repeating: ".a", count: deep) + " }}",
            "{{ " + String(repeating: "f(", count: deep) + String(repeating: ")", count: deep) + " }}",
            String(repeating: "{% if true %}", count: deep) + String(repeating: "{% endif %}", count: deep),
            // Nested lists, then a chain: each stays under the parser's limit, the tree they make does not.
            "{{ " + String(repeating: "[", count: 50) + String(repeating: "]", count: 50)
                + String(repeating: " + []", count: 60) + " }}",
        ]
        for source in cases {
            guard case .failure(.syntax(let m, _)) = outcome(source) else {
                Issue.record("expected a nesting syntax error for \(source.prefix(30))…")
                continue
            }
            #expect(m.contains("deeper than \(JinjaLimits.nesting) levels"), "\(m)")
        }
        // Real templates nest far less than the limit.
        #expect(try ChatTemplate(source: "{{ " + String(repeating: "(", count: 30) + "1" + String(repeating: ")", count: 30)
            + " }}").render(messages: []) == "1")
    }

    @Test func endlessMacroRecursionStops() {
        let m = message("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")
        #expect(m?.contains("\(JinjaLimits.macroCalls) macro calls already active") == true, "\(m ?? "rendered")")
        #expect(message("{% macro f(n) %}{{ n }}{% if n > 0 %}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(5) }}") == nil)
    }

    @Test func loopsAndSizesAreBounded() throws {
        let loops = message("{% for i in range(1000000) %}{% for j in range(1000000) %}{% endfor %}{% endfor %}")
        #expect(loops?.contains("more than \(JinjaLimits.loopIterations) loop iterations") == true, "\(loops ?? "")")
        #expect(message("{{ range(10**18)|length }}")?.contains("range() would hold") == true)
        #expect(message("{{ range(-9223372036854775807 - 1, 9223372036854775807)|length }}")?.contains("range()") == true)
        #expect(message("{{ ('x' * 1000000) * 1000000 }}")?.contains("string repetition") == true)
        #expect(message("{{ ([1] * 1000000) * 1000000 }}")?.contains("list repetition") == true)
        #expect(message("{% set ns = namespace(s='xx') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}")?
            .contains("over the 64 MiB limit") == true)
        #expect(message("{{ 'a\\nb'|indent(9223372036854775807) }}")?.contains("indent") == true)
        #expect(try outcome("{{ 'a'|indent(9223372036854775807) }}").get() == "a")
        #expect(message("{{ [1, [2]]|tojson(indent=9223372036854775807) }}")?.contains("tojson") == true)
        #expect(message("{{ ('a' * 1000000)|replace('a', 'a' * 1000) }}")?.contains("replace") == true)
    }

    @Test func integerEdgeCasesDoNotTrap() throws {
        let minimum = "(-9223372036854775807 - 1)"
        #expect(try outcome("{{ \(minimum) // -1 }}").get() == "9.223372036854776e+18")
        #expect(try outcome("{{ \(minimum) % -1 }}|{{ 7 % -1 }}|{{ 7 // -1 }}").get() == "0|0|-7")
        #expect(try outcome("{{ -\(minimum) }}").get() == "9.223372036854776e+18")
        #expect(try outcome("{{ \(minimum)|abs }}").get() == "9.223372036854776e+18")
        #expect(try outcome("{{ \(minimum) is divisibleby(-1) }}").get() == "True")
        // Python indents by ' ' * indent, which is empty when negative.
        #expect(try outcome("{{ [1]|tojson(indent=-3) }}").get() == "[\n1\n]")
    }

    @Test func aNamespaceThatContainsItselfPrintsAndFailsToSerializeLikePython() throws {
        let setup = "{% set ns = namespace(a=1) %}{% set ns.me = ns %}"
        #expect(try outcome(setup + "{{ ns }}").get() == "<Namespace {'a': 1, 'me': <Namespace {...}>}>")
        #expect(try outcome(setup + "{{ [ns, ns] }}").get()
            == "[<Namespace {'a': 1, 'me': <Namespace {...}>}>, <Namespace {'a': 1, 'me': <Namespace {...}>}>]")
        #expect(message(setup + "{{ ns|tojson }}")?.contains("Circular reference detected") == true)
    }
}
