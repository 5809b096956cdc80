// The interpreter on small templates: whitespace control, loop variables, filters, tests,
// operators, slicing, namespaces, macros, methods; and malformed templates failing with a typed
// error at the right line and column. Expected outputs follow jinja2 with trim_blocks/lstrip_blocks.
import RetortJSON
@testable import RetortModels
import Testing

struct ChatTemplateInterpreterTests {
    func render(_ source: String, _ extra: [String: JSONValue] = [:]) throws -> String {
        try ChatTemplate(source: source).render(messages: [], extra: extra)
    }

    func failure(_ source: String, _ extra: [String: JSONValue] = [:]) -> ChatTemplateError? {
        do {
            _ = try ChatTemplate(source: source).render(messages: [], extra: extra)
            return nil
        } catch {
            return error
        }
    }

    @Test func whitespaceControlAndTrimLstripBlocks() throws {
        #expect(try render("a\n  {% if true %}\n  x\n  {% endif %}\nb") == "a\n  x\nb")
        #expect(try render("a  {{- 'x' -}}  \n b") == "axb")
        #expect(try render("a\n  {%+ if true %}x{% endif %}") == "a\n  x")
        #expect(try render("{# note #}\nx {#- c -#} y") == "xy")
    }

    @Test func loopVariablesFilterAndElse() throws {
        let out = try render(
            "{% for x in xs if x != 2 %}{{ loop.index }}/{{ loop.length }}:{{ x }}{% if loop.first %}F{% endif %}"
                + "{% if loop.last %}L{% else %},{% endif %}{% endfor %}|{% for y in [] %}no{% else %}empty{% endfor %}",
            ["xs": [1, 2, 3]])
        #expect(out == "1/2:1F,2/2:3L|empty")
        #expect(try render("{% for a, b in {'k': 1, 'j': 2}.items() %}{{ a }}={{ b }};{% endfor %}") == "k=1;j=2;")
        #expect(try render("{% for x in [1,2,3,4] %}{% if x == 3 %}{% break %}{% endif %}{{ x }}{% endfor %}") == "12")
        #expect(try render("{% for x in 'ab' %}{{ loop.previtem is defined }}{{ x }}{% endfor %}") == "FalseaTrueb")
    }

    @Test func namespaceSetAndScoping() throws {
        let src = "{% set ns = namespace(n=0) %}{% set k = 5 %}{% for i in range(3) %}{% set ns.n = ns.n + i %}"
            + "{% set k = 9 %}{% endfor %}{{ ns.n }} {{ k }}"
        #expect(try render(src) == "3 5")
        #expect(try render("{% set a, b = 1, 'x' %}{{ b ~ a }}{% set t %}in{{ a }}{% endset %}{{ t }}") == "x1in1")
    }

    @Test func expressionsOperatorsAndLiterals() throws {
        #expect(try render("{{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ 1 + 2.5 }}") == "3 -4 2 3.5 1024 3.5")
        #expect(try render("{{ 'a' if none else 'b' }} {{ 'x' in 'xyz' }} {{ 3 not in [1, 2] }} {{ not 0 and 'y' }}")
            == "b True True y")
        #expect(try render("{{ [1, 'two', none, true, {'k': 1.5}] }}") == "[1, 'two', None, True, {'k': 1.5}]")
        #expect(try render("{{ \"it's\\n\\u00e9\" }}") == "it's\n\u{e9}")
        #expect(try render("{{ 'abcdef'[::-1] }} {{ [1,2,3,4][1:3] }} {{ 'abc'[-1] }} {{ [1,2,3][:-1] }}")
            == "fedcba [2, 3] c [1, 2]")
    }

    @Test func filtersAndMethods() throws {
        #expect(try render("{{ '  hi  ' | trim }}|{{ [1,2,3] | length }}|{{ 'hello world' | title }}|{{ 'aBC' | capitalize }}")
            == "hi|3|Hello World|Abc")
        #expect(try render("{{ missing | default('d') }} {{ '' | default('e', true) }} {{ [3,4] | first }}{{ [3,4] | last }}")
            == "d e 34")
        #expect(try render("{{ ['a','b'] | join('-') }} {{ 'aXbX' | replace('X', '.') }} {{ 42 | string + '!' }} {{ '12' | int + 1 }}")
            == "a-b a.b. 42! 13")
        #expect(try render("{{ {'b': [1, 'é'], 'a': none} | tojson }}") == "{\"b\": [1, \"é\"], \"a\": null}")
        #expect(try render("{{ {'a': [1]} | tojson(indent=2) }}") == "{\n  \"a\": [\n    1\n  ]\n}")
        let people: JSONValue = [["name": "A", "role": "user"], ["name": "B", "role": "tool"], ["name": "C", "role": "user"]]
        #expect(try render("{{ people | selectattr('role', 'equalto', 'user') | map(attribute='name') | join }}", ["people": people])
            == "AC")
        #expect(try render("{{ people | rejectattr('role', 'eq', 'user') | list | length }}", ["people": people]) == "1")
        #expect(try render("{{ ' x y '.strip().upper() }} {{ 'a,b'.split(',') }} {{ 'abc'.startswith('ab') }} {{ {'k': 1}.get('z', 2) }}")
            == "X Y ['a', 'b'] True 2")
        #expect(try render("{{ '<a>' | escape }} {{ 'Hi' | lower }}{{ 'Hi' | upper }}") == "&lt;a&gt; hiHI")
    }

    @Test func testsOnValues() throws {
        let out = try render(
            "{{ x is defined }}{{ y is defined }}{{ none is none }}{{ 's' is string }}{{ {} is mapping }}"
                + "{{ [] is iterable }}{{ 3 is not string }}{{ 4 is divisibleby 2 }}", ["x": 1])
        #expect(out == "TrueFalseTrueTrueTrueTrueTrueTrue")
    }

    @Test func macrosRender() throws {
        #expect(try render("{% macro greet(name, mark='!') %}Hi {{ name }}{{ mark }}{% endmacro %}{{ greet('Ann') }}{{ greet('Bo', mark='?') }}")
            == "Hi Ann!Hi Bo?")
    }

    @Test func raiseExceptionCarriesTheMessage() {
        #expect(failure("x\n  {{ raise_exception('bad ' ~ 1) }}") == .raised(message: "bad 1", at: JinjaPosition(line: 2, column: 6)))
    }

    @Test func malformedTemplatesFailWithPosition() {
        #expect(failure("ab {{ x ") == .syntax(message: "unclosed tag '{{'", at: JinjaPosition(line: 1, column: 4)))
        #expect(failure("{% if x %}\nno end") == .syntax(message: "unclosed 'if' block: missing 'endif'", at: JinjaPosition(line: 1, column: 4)))
        #expect(failure("\n{% for x in y %}{% endif %}") == .syntax(message: "unexpected 'endif'", at: JinjaPosition(line: 2, column: 20)))
        #expect(failure("{{ x | frobnicate }}") == .unsupported(construct: "filter 'frobnicate'", at: JinjaPosition(line: 1, column: 8)))
        #expect(failure("{{ x is shiny }}") == .unsupported(construct: "test 'shiny'", at: JinjaPosition(line: 1, column: 9)))
        #expect(failure("{{ 1 + }}") == .syntax(message: "expected an expression, found '}}'", at: JinjaPosition(line: 1, column: 8)))
        #expect(failure("{{ 'abc }}") == .syntax(message: "unterminated string", at: JinjaPosition(line: 1, column: 4)))
        #expect(failure("{% include 'x' %}") == .unsupported(construct: "statement 'include'", at: JinjaPosition(line: 1, column: 4)))
        #expect(failure("{# open") == .syntax(message: "unclosed comment '{#'", at: JinjaPosition(line: 1, column: 1)))
        #expect(failure("{{ x @ y }}") == .syntax(message: "unexpected character '@'", at: JinjaPosition(line: 1, column: 6)))
    }

    @Test func runtimeErrorsAreTypedNotCrashes() {
        #expect(failure("{{ 1 + 'a' }}") == .runtime(message: "unsupported operand type(s) for +: 'int' and 'str'", at: JinjaPosition(line: 1, column: 6)))
        #expect(failure("{{ 1 // 0 }}") == .runtime(message: "integer division or modulo by zero", at: JinjaPosition(line: 1, column: 6)))
        #expect(failure("{{ nope.attr }}") == .runtime(message: "'nope' is undefined (reading '.attr')", at: JinjaPosition(line: 1, column: 8)))
        #expect(failure("{% set x.y = 1 %}") != nil)
    }
}
