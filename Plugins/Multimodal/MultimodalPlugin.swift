// multimodal: the skill plugin for images as input (visual instruction tuning, LLaVA: Liu et al.,
// 2023). A labeling stage over its `images` seeds sends each image to a vision teacher as an
// OpenAI-style image part, or, for a text-only teacher, its captions and boxes rendered into the
// prompt; templates for LLaVA's conversation, detailed description and complex reasoning; parsers
// for question/answer turns and descriptions; filters that keep answers within the annotations
// and about the image; an object-recall evaluator. Records store the image's path and SHA-256;
// training a vision projector on them is a later step.
import RetortPluginSDK

let plugin = Plugin(
    id: "multimodal",
    kind: .skill,
    name: "Images as input",
    version: "1.0.0",
    description: "Elicits conversations, detailed descriptions and reasoning about images from a vision teacher "
        + "(image parts) or a text-only one (COCO-style captions and boxes in the prompt, as LLaVA did).",
    extraManifest: [
        "license": "Apache-2.0",
        "provides": [
            "strategies": ["labeling"],
            "inputs": ["images"],
            "recommended_objectives": [["name": "sft", "weight": 1.0]],
        ],
    ],
    templates: MultimodalTemplates.all,
    parsers: [
        Parser(
            name: "qa-turns", description: "Question/answer pairs (Question:/Answer:, Q:/A:, User:/Assistant:) as user/assistant turns.",
            yields: ["messages", "turns"], method: "LLaVA conversation and complex-reasoning data (Liu et al., 2023)",
            parse: { output, _ in try QuestionAnswerTurns.parse(output) }),
        Parser(
            name: "detailed-description", description: "One non-empty paragraph of at least 8 words, paired with a description request.",
            yields: ["question", "answer"], method: "LLaVA detailed-description data (Liu et al., 2023)",
            parse: { output, _ in try DetailedDescription.parse(output) }),
    ],
    filters: [
        Filter(
            name: "grounded-in-annotations",
            description: "Rejects answers naming a color, an object or a count that the image's captions and boxes do not have, "
                + "and records naming none of its objects.",
            method: "object-hallucination check against annotations (cf. POPE, Li et al., 2023), lexical over a closed vocabulary",
            apply: { record, _ in GroundingFilter.judge(record) }),
        Filter(
            name: "answers-the-image",
            description: "Rejects empty answers, refusals to look at the image, chatter addressed to the user and answers "
                + "that mention captions, boxes or coordinates.",
            method: "LLaVA's instruction that answers read as if the assistant sees the image",
            apply: { record, _ in AnswersTheImageFilter.judge(record) }),
    ],
    evaluators: [
        Evaluator(
            name: "object-recall",
            description: "Share of the reference's objects (\"red circle, blue square\") the prediction names, and with their color.",
            metrics: ["object_recall", "color_recall"],
            evaluate: { _, reference, prediction in try ObjectRecall.score(reference: reference, prediction: prediction) }),
    ],
    seeds: [
        SeedSet(name: "images", kind: "images", source: .path(ShippedImages.seeds),
                description: "\(ShippedImages.count) drawn scenes (shapes, a bar chart, a traffic light, a house) with "
                    + "COCO-style boxes and captions, made for this project by images/make_images.py."),
    ])

@_cdecl("retort_swift_plugin")
public func retortSwiftPlugin() -> UnsafeRawPointer { plugin.export() }
