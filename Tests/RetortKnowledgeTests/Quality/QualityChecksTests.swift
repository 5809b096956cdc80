// The simple filters (empty, length, charset, refusal) on ordinary and malformed input: empty
// strings, text decoded from invalid UTF-8, huge strings, emoji, control characters.
import Foundation
import RetortJSON
import Testing
@testable import RetortKnowledge

/// Bytes that are not UTF-8, decoded the way a teacher response would be: with U+FFFD.
let invalidUTF8Text = String(decoding: [0x48, 0x69, 0x20, 0xC3, 0x28, 0x20, 0xFF, 0xFE, 0x6F, 0x6B] as [UInt8], as: UTF8.self)
let hugeText = String(repeating: "All work and no play makes a dull model. ", count: 25_000)  // ~1 MB

@Suite struct EmptyTextCheckTests {
    @Test func rejectsEmptyWhitespaceAndInvisibleText() {
        let check = EmptyTextCheck()
        #expect(check.check("") == .reject(check: "empty", reason: "the text is empty"))
        for text in [" ", "\n\t \r\n", "\u{00A0}\u{3000}", "\u{200B}\u{FEFF}\u{200D}"] {
            #expect(check.check(text) == .reject(check: "empty", reason: "the text has only whitespace or invisible characters"))
        }
    }

    @Test func keepsAnyVisibleCharacter() {
        let check = EmptyTextCheck()
        for text in ["a", " 😂 ", "写", invalidUTF8Text, "\u{FFFD}", hugeText] { #expect(check.check(text) == .keep) }
    }
}

@Suite struct LengthCheckTests {
    @Test func countsWordsLikeSelfInstruct() {
        let check = LengthCheck.selfInstruct
        #expect(check.check("Write a poem.") == .reject(check: "length", reason: "3 words, fewer than the minimum 4"))
        #expect(check.check("Write a poem please.") == .keep)
        #expect(check.check(Array(repeating: "w", count: 150).joined(separator: "\n")) == .keep)
        #expect(check.check(Array(repeating: "w", count: 151).joined(separator: " ")) == .reject(check: "length", reason: "more than the maximum 150 words"))
        #expect(check.check("") == .reject(check: "length", reason: "0 words, fewer than the minimum 4"))
    }

    @Test func countsCharactersAsPeopleSeeThem() throws {
        let check = try LengthCheck(unit: .characters, minimum: 2, maximum: 5)
        #expect(check.check("👨‍👩‍👧‍👦👍🏽") == .keep, "two emoji are two characters")
        #expect(check.check("e\u{301}") == .reject(check: "length", reason: "1 characters, fewer than the minimum 2"))
        #expect(check.check(hugeText) == .reject(check: "length", reason: "more than the maximum 5 characters"))
        #expect(check.check(invalidUTF8Text) == .reject(check: "length", reason: "more than the maximum 5 characters"))
    }

    @Test func refusesBoundsThatCannotBeMet() {
        #expect(throws: QualityConfigurationError.self) { try LengthCheck(unit: .words, minimum: 5, maximum: 4) }
        #expect(throws: QualityConfigurationError.self) { try LengthCheck(unit: .characters, minimum: -1) }
    }
}

@Suite struct CharsetCheckTests {
    @Test func rejectsReplacementCharactersFromInvalidUTF8() throws {
        let check = try CharsetCheck()
        #expect(
            check.check(invalidUTF8Text)
                == .reject(check: "charset", reason: "replacement character U+FFFD at scalar 3: the text was decoded from invalid UTF-8"))
    }

    @Test func rejectsControlCharactersButNotLineBreaksOrTabs() throws {
        let check = try CharsetCheck()
        #expect(check.check("line one\nline\ttwo\r\n") == .keep)
        #expect(check.check("bell\u{07}") == .reject(check: "charset", reason: "control character U+0007 at scalar 4"))
        #expect(check.check("nul\u{0}x") == .reject(check: "charset", reason: "control character U+0000 at scalar 3"))
    }

    @Test func anyScriptKeepsEmojiAndOtherScripts() throws {
        let check = try CharsetCheck(allowed: .anyScript)
        for text in ["写一首关于大海的诗", "Tell me a joke 😂👨‍👩‍👧‍👦👍🏽", "Ωmega ½ → ∑", "", hugeText] { #expect(check.check(text) == .keep) }
        #expect(!check.check("private \u{E000}\u{E001}\u{E002}").isKept)
    }

    @Test func rejectsTooMuchTextOutsideTheAllowedSet() throws {
        let check = try CharsetCheck(allowed: .printableASCII, minimumFraction: 0.9)
        #expect(check.check("Write a poem about the sea.") == .keep)
        #expect(
            check.check("写一首 poem")
                == .reject(check: "charset", reason: "57.1% of 7 characters are printable ASCII, below the minimum 90.0%"))
        let latin = try CharsetCheck(allowed: .latin, minimumFraction: 1)
        #expect(latin.check("Crème brûlée — “naïve” café…") == .keep)
        #expect(!latin.check("Crème 😂").isKept)
    }

    @Test func refusesFractionsOutsideZeroToOne() {
        #expect(throws: QualityConfigurationError.self) { try CharsetCheck(minimumFraction: 1.5) }
    }
}

@Suite struct RefusalCheckTests {
    let check = RefusalCheck()

    @Test func rejectsRefusalOpeningsWhateverTheCaseOrApostrophe() {
        #expect(check.check("I’m sorry, I can’t help with that.") == .reject(check: "refusal", reason: "starts with the refusal \"I'm sorry\""))
        #expect(check.check("  \"i CANNOT do that\"") == .reject(check: "refusal", reason: "starts with the refusal \"I cannot\""))
        #expect(check.check("**Unfortunately, I** do not know.") == .reject(check: "refusal", reason: "starts with the refusal \"Unfortunately, I\""))
    }

    @Test func rejectsBoilerplateAnywhere() {
        #expect(
            check.check("Paris is the capital. However, as an AI   language\nmodel, I have no opinions.")
                == .reject(check: "refusal", reason: "contains the refusal \"As an AI language model\""))
        #expect(check.check("Here is why. I'm sorry, but the rest is private.") == .reject(check: "refusal", reason: "contains the refusal \"I'm sorry, but\""))
    }

    @Test func keepsAnswersThatMerelyUseTheWords() {
        #expect(check.check("The patient said \"I cannot sleep\"; here is advice.") == .keep)
        #expect(check.check("Because of the rain, so I cannot say which is better.") == .keep)
        #expect(check.check("") == .keep)
        #expect(check.check(hugeText) == .keep)
        #expect(check.check(invalidUTF8Text) == .keep)
        #expect(check.check("😂 I'm so happy") == .keep)
    }

    @Test func usesCustomRules() {
        let custom = RefusalCheck(rules: [.init("Nope", .start), .init("", .anywhere)])
        #expect(!custom.check("nope, not today").isKept)
        #expect(custom.check("I cannot believe it") == .keep)
    }
}

@Suite struct QualityChecksTests {
    @Test func stopsAtTheFirstRejection() throws {
        let checks = QualityChecks([EmptyTextCheck(), LengthCheck.selfInstruct, RefusalCheck(), try CharsetCheck()])
        #expect(checks.check("   ") == .reject(check: "empty", reason: "the text has only whitespace or invisible characters"))
        #expect(checks.check("Sorry, but no.") == .reject(check: "length", reason: "3 words, fewer than the minimum 4"))
        #expect(checks.check("I'm sorry, I will not do that.").isKept == false)
        #expect(checks.check("Name three rivers in Africa.") == .keep)
    }

    @Test func readsTheTextOfEachPayloadShape() {
        let instruction: JSONValue = ["instruction": "Translate this", "input": "Bonjour"]
        #expect(PayloadPart.instruction.text(in: instruction) == "Translate this\nBonjour")
        let conversation: JSONValue = [
            "messages": [["role": "user", "content": "Hi"], ["role": "assistant", "content": "As an AI language model, hello"]],
        ]
        #expect(RefusalCheck().check(payload: conversation, part: .response) == .reject(check: "refusal", reason: "contains the refusal \"As an AI language model\""))
        let preference: JSONValue = ["prompt": [], "chosen": "Yes", "rejected": "No"]
        #expect(PayloadPart.response.text(in: preference) == "Yes")
        #expect(
            EmptyTextCheck().check(payload: ["messages": []], part: .response)
                == .reject(check: "empty", reason: "the payload has no response (last assistant message) to check"))
        #expect(LengthCheck.selfInstruct.check(payload: ["rationale": 3], part: .field("rationale")).isKept == false)
    }
}
