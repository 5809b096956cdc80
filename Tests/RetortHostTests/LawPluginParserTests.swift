// The law parsers on what teachers write: IRAC in headings, bold labels or numbered parts;
// citations in Bluebook and OSCOLA forms with their spacing variants; exam answers — and on
// malformed output (missing or empty parts, no citation, no letter).
import RetortHost
import RetortJSON
import Testing

@Suite struct LawPluginParserTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try LawPluginLibrary.load()
    }

    @Test func iracPartsAreReadFromEveryLabelStyle() throws {
        let record = try plugin.parseOne("irac", """
            ## Issue
            Whether the advertisement was an offer that Ms Lee accepted.
            **Rule:** A clear promise to anyone who performs an act is a unilateral offer.
            3. Analysis - The company promised to pay and deposited money, which shows intent.
            Holding: The company must pay Ms Lee the reward.
            """)
        #expect(record["issue"] == "Whether the advertisement was an offer that Ms Lee accepted.")
        #expect(record["rule"] == "A clear promise to anyone who performs an act is a unilateral offer.")
        #expect(record["application"] == "The company promised to pay and deposited money, which shows intent.")
        #expect(record["conclusion"] == "The company must pay Ms Lee the reward.")
        #expect(record["response"]?.stringValue?.hasPrefix("Issue: Whether") == true)
    }

    @Test func incompleteOrHollowIRACIsRejectedNamingTheParts() {
        #expect(plugin.parseError("irac", "The company must pay.")?.message.contains("no IRAC structure") == true)
        #expect(plugin.parseError("irac", "Issue: whether it must pay at all\nConclusion: yes it must pay")?.message
            == "the IRAC answer lacks the Rule and Application parts")
        #expect(plugin.parseError("irac", "Issue: whether it must pay\nRule: ...\nApplication: it applies here now\nConclusion: it must pay")?.message
            == "the IRAC Rule part is empty, too short (under three words) or only repeats the prompt's description")
    }

    /// What the embedded teacher wrote for a fact pattern: the template's own words under each label.
    @Test func anAnswerThatEchoesThePromptIsNotIRAC() {
        let echo = """
            Issue: the legal question.
            Rule: the law that governs it, citing only the authorities above.
            Application: how the rule applies to these facts.
            Conclusion: the likely outcome.
            """
        #expect(plugin.parseError("irac", echo)?.message.hasPrefix("the IRAC Issue, Rule, Application and Conclusion parts are empty") == true)
    }

    /// Also the embedded teacher's: "The rule is:" labels, and "The answer is:" for the conclusion.
    @Test func sentenceStyleLabelsAreRead() throws {
        let record = try plugin.parseOne("irac", """
            The legal question is: Can a woman sue a manufacturer for a snail in her drink?

            The rule is: A manufacturer owes a duty of care to the consumers of its products.

            The application is: The snail got into the bottle at the factory, so the duty was breached.

            The answer is: Yes, she can sue the manufacturer in negligence.
            """)
        #expect(record["issue"] == "Can a woman sue a manufacturer for a snail in her drink?")
        #expect(record["conclusion"] == "Yes, she can sue the manufacturer in negligence.")
    }

    @Test func citationsAreReadInTheirCommonForms() throws {
        let records = try plugin.parse(parser: "citations", output: """
            In Brown v. Board of Education, 347 U.S. 483 (1954), the Court relied on U.S. Const. amend. XIV. \
            Claims go under 42 USC sec. 1983 and Fed. R. Civ. P. 12(b)(6). In England, Donoghue v Stevenson [1932] AC 562 \
            and the Misrepresentation Act 1967 apply; in the EU, the GDPR.
            """)
        #expect(records.compactMap { $0["normalized"]?.stringValue } == [
            "reporter|347|us|483", "us-const|amend|xiv", "usc|42|1983", "fed-r|civp|12", "report|1932||ac|562",
            "act|misrepresentation|1967", "eu|regulation|2016/679",
        ])
        #expect(records[0]["citation"] == "Brown v. Board of Education, 347 U.S. 483 (1954)")
        #expect(records.compactMap { $0["kind"]?.stringValue } == ["case", "constitution", "statute", "rule", "case", "statute", "regulation"])
    }

    @Test func textWithoutCitationsIsRejected() {
        #expect(plugin.parseError("citations", "The plaintiff v. the defendant: a contract needs an offer.")?.message
            .contains("no statute or case citation") == true)
    }

    @Test func examAnswersYieldTheLetterNotTheArticle() throws {
        #expect(try plugin.parseOne("choice", "A contract needs consideration.\nAnswer: B")["answer"] == "b")
        #expect(try plugin.parseOne("choice", "The correct answer is (C).")["choice"] == "C")
        #expect(try plugin.parseOne("choice", "D) a signed document")["answer"] == "d")
        #expect(plugin.parseError("choice", "Answer: A contract is a promise the law enforces.")?.message.contains("no chosen option") == true)
        #expect(plugin.parseError("choice", "")?.message.contains("empty") == true)
        // The embedded teacher often repeats the options: that chooses nothing.
        #expect(plugin.parseError("choice", "A. an offer\nB. an invitation to treat\nC. a binding contract\nD. a counter-offer")?.message
            .contains("lists the options instead of choosing one") == true)
        #expect(try plugin.parseOne("choice", "A. an offer\nB. an invitation to treat\nAnswer: B")["answer"] == "b")
    }
}
