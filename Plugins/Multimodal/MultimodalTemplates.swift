// The prompt templates (the I of Eq. 1): LLaVA's three kinds of visual instruction data (Liu et
// al., 2023) — a conversation about the image, a detailed description, and complex reasoning.
// For a text-only teacher the engine fills `captions` and `boxes` from the image's annotations;
// for a vision teacher both are empty (it gets the image itself) and the sections vanish. The
// wording is short and literal: the embedded teacher is a 135M model.
import RetortPluginSDK

enum MultimodalTemplates {
    static let all: [Template] = [system, conversation, detailedDescription, complexReasoning]

    /// What the teacher knows about the image: the annotations when it cannot see it.
    static let imageContext = """
        {{#captions}}You cannot see the image, so here is what it shows.
        Captions:
        {{captions}}

        {{/captions}}{{#boxes}}Objects, each with its box (x1, y1, x2, y2 as fractions of the image width and height, from the top left):
        {{boxes}}

        {{/boxes}}
        """

    static let system = Template(
        name: "system-visual-assistant", role: .system, strategy: "labeling", slots: [],
        text: """
            You are an AI visual assistant looking at one image. Answer as if you see the image yourself. \
            Mention only the objects, colors and counts that are in the image, and never mention captions, boxes or coordinates.
            """,
        description: "LLaVA-style system message: answer as if seeing the image, stay within what it shows.")

    static let conversation = Template(
        name: "conversation", role: .user, strategy: "labeling", slots: ["captions", "boxes"],
        text: imageContext + """
            Write a conversation between a person asking about this image and an assistant who answers. \
            Ask what objects there are, their colors, how many there are and where they are. \
            Write 3 pairs in this form:
            Question: ...
            Answer: ...
            """,
        description: "Conversation (LLaVA): several question and answer turns about the image's objects, colors, counts and positions.")

    static let detailedDescription = Template(
        name: "detailed-description", role: .user, strategy: "labeling", slots: ["captions", "boxes"],
        text: imageContext + """
            Describe the image in detail: every object, its color, how many there are and where they are. \
            Write one paragraph, as if you are looking at the image.
            """,
        description: "Detailed description (LLaVA): one paragraph naming every object with its color, count and place.")

    static let complexReasoning = Template(
        name: "complex-reasoning", role: .user, strategy: "labeling", slots: ["captions", "boxes"],
        text: imageContext + """
            Ask one question about this image that needs reasoning to answer (why, what would happen if, \
            which is bigger, what comes next), then answer it step by step using only what the image shows.
            Question: ...
            Answer: ...
            """,
        description: "Complex reasoning (LLaVA): one question that needs reasoning about the image, answered step by step.")
}
