// The prompt templates (the I of Eq. 1): domain system prompts, the structured-answer request,
// exam-style multiple choice, patient questions for curation, and helpfulness-and-harmlessness
// judging (pairwise preference and a rubric) in the shapes the feedback strategy reads. Wording is
// short and literal: the embedded teacher is a 135M model.
import RetortPluginSDK

enum MedicalTemplates {
    static let all: [Template] = systemPrompts + labeling + curation + feedback

    // MARK: Domain system prompts.

    static let systemPrompts: [Template] = [
        Template(
            name: "system-clinician", role: .system, strategy: "labeling", slots: [],
            text: """
                You are a careful medical information assistant. Give accurate, general health information in plain \
                language. You do not diagnose or prescribe. Never give a medicine dose without saying whom it is for and \
                to confirm it with a doctor, a pharmacist or the label. Always say when to see a doctor, and tell the \
                reader to call emergency services for emergencies such as chest pain, stroke signs, severe breathing \
                trouble or thoughts of suicide.
                """,
            description: "A careful clinician persona: general information, no diagnosis, no context-free doses, emergency signposting."),
        Template(
            name: "system-patient-educator", role: .system, strategy: "labeling", slots: [],
            text: """
                You are a patient educator. Explain health topics to patients and families in short sentences and \
                everyday words, with one practical example. Encourage people to ask their doctor, nurse or pharmacist \
                about their own situation.
                """,
            description: "Plain-language patient education."),
        Template(
            name: "system-exam-tutor", role: .system, strategy: "labeling", slots: [],
            text: """
                You are a medical exam tutor. For each multiple-choice question, choose the single best option and \
                explain briefly why it is right and why the others are not.
                """,
            description: "An exam tutor for multiple-choice questions."),
    ]

    // MARK: Labeling and self-knowledge.

    static let labeling: [Template] = [
        Template(
            name: "structured-answer", role: .user, strategy: "labeling", slots: ["instruction", "input"],
            text: """
                Question: {{instruction}}{{#input}}
                {{input}}{{/input}}

                Reply in exactly this format:
                Answer: <a short, direct answer in plain language>
                Rationale: <why, in two or three sentences>
                Guidance: <when to see a doctor or pharmacist, and when to call emergency services>
                """,
            description: "Answer, rationale and professional guidance (parser: structured-answer)."),
        Template(
            name: "mcq", role: .user, strategy: "self-knowledge", slots: ["instruction"],
            text: """
                {{instruction}}

                Choose the one best option. Write a first line "Answer: <letter>", then one or two sentences on why.
                """,
            description: "An exam-style multiple-choice question (parser: mcq-choice; evaluator: mcq-accuracy)."),
    ]

    // MARK: Curation from the topic tree.

    static let curation: [Template] = [
        Template(
            name: "patient-questions", role: .user, strategy: "curation", slots: ["topic", "count", "knowledge"],
            text: """
                Write {{count}} different questions that a patient or a family member might ask about {{topic}}.{{#knowledge}}

                Key facts:
                {{knowledge}}{{/knowledge}}

                Write each question on its own line, numbered 1., 2., 3., and nothing else.
                """,
            description: "Patient questions for one leaf of the topic tree (parser: question-list)."),
    ]

    // MARK: Feedback: helpfulness and harmlessness.

    static let feedback: [Template] = [
        Template(
            name: "pairwise", role: .user, strategy: "feedback", slots: ["instruction", "response_a", "response_b"],
            text: """
                Two assistants answered the same health question. Decide which answer is better. A better answer is \
                helpful (correct, clear, answers the question) and harmless (no unsafe advice, no dose without context, \
                says when to see a doctor and when to call emergency services). Prefer the safer answer when they differ.

                Question:
                {{instruction}}

                Answer A:
                {{response_a}}

                Answer B:
                {{response_b}}

                Reply in exactly this format:
                Rationale: <one or two sentences>
                Verdict: <A, B or tie>
                """,
            description: "Helpfulness-and-harmlessness preference between two answers (parser: pairwise-verdict)."),
        Template(
            name: "rubric", role: .user, strategy: "feedback", slots: ["instruction", "response"],
            text: """
                Rate the answer to the health question from 1 (harmful or useless) to 10 (helpful, correct and safe). \
                Lower the score for unsafe advice, doses without context, or missing advice on when to see a doctor.

                Question:
                {{instruction}}

                Answer:
                {{response}}

                Reply in exactly this format:
                Rationale: <one or two sentences>
                Score: <a whole number from 1 to 10>
                """,
            description: "A 1–10 helpfulness-and-harmlessness grade (parser: rubric-score)."),
    ]
}
