// Template slot checks at load, and tool signature parsing, on good and malformed declarations.
import Foundation
@testable import RetortHost
import Testing

@Suite struct TemplateSlotTests {
    @Test func declaredSlotsAndSectionFieldsAreAccepted() throws {
        #expect(throws: Never.self) {
            try PromptTemplate.checkSlots(text: "{{#examples}}- {{instruction}} {{.}}{{/examples}} {{{count}}} {{! note}}",
                                          declared: ["examples", "count"])
        }
    }

    @Test(arguments: [
        ("Hello {{name}}", "uses slot 'name'"),
        ("{{> partial}}", "partials"),
        ("{{=<% %>=}}", "delimiter"),
        ("{{open", "unclosed tag at line 1"),
        ("line\n{{#s}}{{/s}} {{x.y}}", "line 2 uses slot 'x'"),
    ])
    func undeclaredOrUnsupportedTagsAreRejected(text: String, message: String) {
        #expect {
            try PromptTemplate.checkSlots(text: text, declared: ["s"])
        } throws: { error in
            (error as? DescriptorError)?.message.contains(message) == true
        }
    }
}

@Suite struct ToolSignatureTests {
    @Test func parsesEverySupportedType() throws {
        let s = try ToolSignature(parsing: "char * (int32_t a, int64_t b, double c, float d, bool e, const char *f)")
        #expect(s.returnType == .ownedString)
        #expect(s.parameters.map(\.type) == [.int32, .int64, .double, .float, .bool, .borrowedString])
        #expect(s.parameters.map(\.name) == ["a", "b", "c", "d", "e", "f"])
        #expect(try ToolSignature(parsing: "const char* (void)").parameters.isEmpty)
    }

    @Test(arguments: [
        ("double", "must look like"),
        ("long (int32_t a)", "unknown type \"long\""),
        ("void (int32_t a)", "return type void is not supported"),
        ("int32_t (char *s)", "parameter type char * is not supported"),
        ("int32_t (int32_t)", "needs a type and a name"),
        ("int32_t (int32_t a, int32_t a)", "appears twice"),
        ("int32_t (int32_t 1a)", "needs a type and a name"),
    ])
    func malformedSignaturesAreRejected(text: String, message: String) {
        #expect {
            try ToolSignature(parsing: text)
        } throws: { error in
            (error as? DescriptorError)?.message.contains(message) == true
        }
    }
}

@Suite struct SeedFileTests {
    @Test func readsObjectsAndSkipsBlankLines() throws {
        let items = try SeedFile.parse(data: Data("{\"a\":1}\n\n{\"a\":2}\n".utf8), file: "s.jsonl")
        #expect(items == [["a": 1], ["a": 2]])
    }

    @Test func badLineIsNamed() {
        do {
            _ = try SeedFile.parse(data: Data("{\"a\":1}\n{\"a\":\n".utf8), file: "s.jsonl")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.errorDescription!.hasPrefix("s.jsonl:2: not valid JSON"))
        }
    }

    @Test func invalidUTF8AndNonObjectsAreNamed() {
        #expect(throws: SeedFileError(file: "s.jsonl", line: 1, message: "not valid UTF-8")) {
            try SeedFile.parse(data: Data([0x7B, 0xFF, 0x7D]), file: "s.jsonl")
        }
        #expect(throws: SeedFileError(file: "s.jsonl", line: 1, message: "expected a JSON object, found an array")) {
            try SeedFile.parse(data: Data("[1]".utf8), file: "s.jsonl")
        }
    }
}

