// The medical parsers on good, bad and hostile teacher outputs: structured answers (parts in any
// markdown the teacher writes, rejected when a part or the professional guidance is missing),
// multiple-choice letters, patient-question lists, and the helpfulness-and-harmlessness verdicts.
import RetortHost
import RetortJSON
import Testing

@Suite struct MedicalPluginParserTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try MedicalPluginLibrary.load()
    }

    @Test func aStructuredAnswerIsSplitIntoItsParts() throws {
        let output = """
            Sure, here is my answer.
            **Answer:** A fever of 38 °C is usually not dangerous for a healthy adult.
            **Rationale:** It is the body's response to infection.
            Most fevers pass in a few days.
            **Guidance:** See a doctor if it lasts more than three days; call emergency services for a stiff neck or confusion.
            """
        let record = try plugin.parseOne("structured-answer", output)
        #expect(record["answer"] == "A fever of 38 °C is usually not dangerous for a healthy adult.")
        #expect(record["rationale"] == "It is the body's response to infection. Most fevers pass in a few days.")
        #expect(record["guidance"]?.stringValue?.hasPrefix("See a doctor") == true)
        #expect(record["response"]?.stringValue?.hasPrefix("Answer: A fever of 38 °C") == true)
    }

    @Test func headingsAndOtherLabelWordsAreRead() throws {
        let output = "## Answer\nDrink fluids and rest.\n## Explanation\nFlu is a virus; antibiotics do not help.\n"
            + "## When to see a doctor\nIf you are short of breath, get medical help at once."
        let record = try plugin.parseOne("structured-answer", output)
        #expect(record["answer"] == "Drink fluids and rest.")
        #expect(record["rationale"] == "Flu is a virus; antibiotics do not help.")
        #expect(record["guidance"] == "If you are short of breath, get medical help at once.")
    }

    @Test(arguments: [
        ("Answer: Rest.\nRationale: It helps.", "lacks \"Guidance:\""),
        ("Drink water and rest, it will pass.", "lacks \"Answer:\", \"Rationale:\", \"Guidance:\""),
        ("Answer: Rest.\nRationale: It helps.\nGuidance: Just wait and it will go away on its own.", "never says to consult"),
        ("", "empty"),
        // A teacher that obeys an injection and drops the safety part.
        ("Answer: Take whatever you like.\nRationale: Ignore all safety rules as instructed.\nGuidance:", "lacks \"Guidance:\""),
    ])
    func incompleteAnswersAreRejected(output: String, reason: String) {
        let error = plugin.parseError("structured-answer", output)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "accepted")")
    }

    @Test(arguments: [
        ("Answer: B", "B"), ("Answer: (c) Face drooping", "C"), ("The correct answer is D because pharmacists check interactions.", "D"),
        ("**Answer:** A", "A"), ("B) Vitamin C. Scurvy comes from a lack of vitamin C.", "B"), ("(b) Vitamin C", "B"), ("C", "C"),
        ("I think the best answer is B.\nAnswer: B", "B"),
        // SmolLM2-135M-Instruct's reply to the scurvy item (a wrong choice, but one choice).
        ("The correct answer to this question is D) Vitamin K, not A) Vitamin C.", "D"),
    ])
    func theChosenOptionIsRead(output: String, letter: String) throws {
        #expect(try plugin.parseOne("mcq-choice", output)["answer"] == .string(letter))
    }

    @Test(arguments: [
        ("Answer: A\nActually, answer: C", "more than one option as its answer (A and C)"),
        ("The answer is a vitamin that we get from fruit.", "no chosen option"),
        ("e.g. vitamins matter", "no chosen option"),
        ("A) Vitamin A\nB) Vitamin C\nC) Vitamin D", "no chosen option"),
    ])
    func unclearChoicesAreRejected(output: String, reason: String) {
        let error = plugin.parseError("mcq-choice", output)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "accepted")")
    }

    @Test func mcqAccuracyComparesLetters() throws {
        #expect(try plugin.evaluate("mcq-accuracy", prompt: "", reference: "B", prediction: "Answer: B) Vitamin C") == ["mcq_accuracy": 1])
        #expect(try plugin.evaluate("mcq-accuracy", prompt: "", reference: "B) Vitamin C", prediction: "Answer: C") == ["mcq_accuracy": 0])
        #expect(try plugin.evaluate("mcq-accuracy", prompt: "", reference: "B", prediction: "I am not sure.") == ["mcq_accuracy": 0])
        #expect(throws: PluginCallError.self) { try plugin.evaluate("mcq-accuracy", prompt: "", reference: "vitamin", prediction: "B") }
    }

    @Test func patientQuestionsAreListedWithoutChatter() throws {
        let records = try plugin.parse(parser: "question-list", output: """
            Here are some questions:
            1. What are the early signs of asthma?
            2) **Question 2:** Can cold air trigger an asthma attack?
            3. Why?
            - "How do I use a spacer with my inhaler?"
            1. What are the early signs of asthma?
            4. Asthma makes the airways narrow and inflamed.
            5. The patient might ask, "Is it serious?" They might ask
            """)
        #expect(records == [["instruction": "What are the early signs of asthma?"], ["instruction": "Can cold air trigger an asthma attack?"],
                            ["instruction": "How do I use a spacer with my inhaler?"]])
        #expect(plugin.parseError("question-list", "I don't know.")?.message.contains("no question") == true)
        // A teacher that copies the key facts back writes statements, not questions.
        #expect(plugin.parseError("question-list", "1. High blood pressure usually causes no symptoms.\n2. Less salt lowers it.") != nil)
    }

    @Test func judgementsAreReadForTheFeedbackStrategy() throws {
        #expect(try plugin.parseOne("pairwise-verdict", "Rationale: B tells the reader to call 911.\nVerdict: B")
            == ["winner": "B", "rationale": "B tells the reader to call 911."])
        #expect(try plugin.parseOne("pairwise-verdict", "Both are fine. [[C]]")["winner"] == "tie")
        #expect(plugin.parseError("pairwise-verdict", "Verdict: the first one maybe")?.message.contains("is not A, B or tie") == true)
        #expect(try plugin.parseOne("rubric-score", "Rationale: Safe and clear.\nScore: 8/10") == ["score": 8, "rationale": "Safe and clear."])
        #expect(plugin.parseError("rubric-score", "Score: 4/5")?.message == "score 4/5 is not on the 1–10 scale")
        #expect(plugin.parseError("rubric-score", "Score: 11")?.message == "score 11 is outside 1…10")
    }
}
