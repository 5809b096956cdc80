// The multimodal filters and evaluator: answers that name only what the annotations hold are
// kept; a wrong color, a hallucinated object, a wrong count, a refusal or a leaked box is rejected
// with a reason that names it; object recall counts the reference's objects a prediction names.
import RetortHost
import RetortJSON
import Testing

@Suite struct MultimodalPluginFilterTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try MultimodalPluginLibrary.load()
    }

    func grounded(_ answers: [String], _ annotations: JSONValue? = MultimodalPluginLibrary.twoShapes) throws -> LoadedPlugin.FilterVerdict {
        try plugin.filter("grounded-in-annotations", record: MultimodalPluginLibrary.record(answers, annotations: annotations))
    }

    func answers(_ answers: [String]) throws -> LoadedPlugin.FilterVerdict {
        try plugin.filter("answers-the-image", record: MultimodalPluginLibrary.record(answers))
    }

    @Test func answersWithinTheAnnotationsAreKept() throws {
        #expect(try grounded(["There is a red circle on the left and a blue square on the right."]).keep)
        #expect(try grounded(["Two shapes: a circle and a square, on a white background."]).keep, "the caption's count and background")
        #expect(try grounded(["There are three green triangles under a yellow circle."], MultimodalPluginLibrary.triangles).keep)
        #expect(try grounded(["One of the triangles is in the middle."], MultimodalPluginLibrary.triangles).keep, "\"one of\" is no count")
    }

    @Test func aColorObjectOrCountNotInTheAnnotationsIsRejectedWithTheReason() throws {
        let color = try grounded(["The circle is red.", "The square is purple."])
        #expect(!color.keep)
        #expect(color.reason?.contains("answer 2 names the color \"purple\"") == true, "\(color.reason ?? "")")
        let object = try grounded(["A red circle, a blue square and a small star."])
        #expect(object.reason?.contains("\"star\"") == true, "\(object.reason ?? "")")
        let count = try grounded(["There are four green triangles."], MultimodalPluginLibrary.triangles)
        #expect(count.reason?.contains("says four triangles, but the annotations have 3") == true, "\(count.reason ?? "")")
        let digits = try grounded(["I count 2 circles."])
        #expect(digits.reason?.contains("annotations have 1") == true, "\(digits.reason ?? "")")
    }

    @Test func aRecordThatNamesNoneOfTheImagesObjectsIsRejected() throws {
        let vague = try grounded(["It is a lovely piece of art made with a special technique."])
        #expect(vague.reason?.contains("no turn names any of the image's objects (circle, square)") == true, "\(vague.reason ?? "")")
        // The object may be named in the question: "What color is the circle?" "Red."
        let record: JSONValue = ["messages": [["role": "user", "content": "What color is the circle?"], ["role": "assistant", "content": "Red."]],
                                 "annotations": MultimodalPluginLibrary.twoShapes]
        #expect(try plugin.filter("grounded-in-annotations", record: record).keep)
    }

    @Test func aRecordWithoutAnnotationsOrAnswersIsRejectedNotCrashed() throws {
        #expect(try grounded(["A red circle."], nil).reason?.contains("no image annotations") == true)
        #expect(try grounded([], MultimodalPluginLibrary.twoShapes).keep == false)
        #expect(try grounded(["A red circle."], ["captions": .number(3), "objects": "none"]).keep == false)
    }

    @Test func refusalsLeaksAndEmptyAnswersAreRejected() throws {
        #expect(try answers(["The circle is red and the square is blue."]).keep)
        #expect(try answers(["As an AI, I cannot see images."]).reason?.contains("refuses") == true)
        #expect(try answers(["It is red.", "I can’t see the image, sorry."]).reason?.contains("answer 2 refuses") == true)
        #expect(try answers(["According to the captions, it is a red circle."]).reason?.contains("caption") == true)
        #expect(try answers(["The circle is at [0.125, 0.292, 0.438, 0.708]."]).reason?.contains("coordinates") == true)
        #expect(try answers(["   "]).reason?.contains("empty") == true)
        #expect(try answers(["I'm here to help you create a detailed image. Can you tell me more?"]).reason?
            .contains("talks to the user (\"i'm here to help\")") == true)
    }

    @Test func objectRecallCountsTheObjectsAndColorsNamed() throws {
        let all = try plugin.evaluate("object-recall", prompt: "", reference: "red circle, blue square",
                                      prediction: "A red circle beside a blue square.")
        #expect(all == ["object_recall": 1, "color_recall": 1])
        let half = try plugin.evaluate("object-recall", prompt: "", reference: "red circle\nblue square",
                                       prediction: "I see a green circle.")
        #expect(half == ["object_recall": 0.5, "color_recall": 0])
        #expect(throws: PluginCallError.self) { try plugin.evaluate("object-recall", prompt: "", reference: " ", prediction: "x") }
    }
}
