// The prompt templates (the I of Eq. 1). The engine addresses them as `instruct.<name>` and fills
// their slots; optional slots (`input`, `knowledge`, `conversation`) sit in Mustache sections so
// an empty value leaves no empty heading. Wording is short and literal: the embedded teacher is a
// 135M model.
import RetortPluginSDK

enum InstructTemplates {
    static let all: [Template] = labeling + expansion + curation + feedback + selfKnowledge

    // MARK: Labeling: the teacher answers a task (with an Orca-style system message).

    static let labeling: [Template] = [
        Template(
            name: "answer", role: .user, strategy: "labeling", slots: ["instruction", "input"],
            text: """
                {{instruction}}{{#input}}

                Input:
                {{input}}{{/input}}
                """,
            description: "The user message for one task: the instruction, then its input when there is one."),
        Template(
            name: "system-step-by-step", role: .system, strategy: "labeling", slots: [],
            text: """
                You are a helpful assistant. A user gives you a task. Work through it step by step, \
                say why each step follows from the last, and then state your answer.
                """,
            description: "Orca-style system message: reason step by step and justify the steps."),
        Template(
            name: "system-eli5", role: .system, strategy: "labeling", slots: [],
            text: """
                You are a helpful assistant who explains things as if talking to a five-year-old. \
                Use short sentences, simple words and examples from everyday life.
                """,
            description: "Orca-style system message: explain like I'm five."),
        Template(
            name: "system-concise", role: .system, strategy: "labeling", slots: [],
            text: """
                You are a helpful assistant. Answer concisely: give exactly what is asked, \
                in as few words as it takes, with no introduction and no closing remarks.
                """,
            description: "Orca-style system message: be brief."),
    ]

    // MARK: Expansion: new instructions from examples (Self-Instruct) or by mutation (Evol-Instruct).

    static let expansion: [Template] = [
        Template(
            name: "self-instruct", role: .user, strategy: "expansion", slots: ["examples", "count"],
            text: """
                Here are some tasks that people give to an AI assistant:
                {{examples}}

                Write {{count}} new tasks. Make each one different from the tasks above and from each other: \
                change the topic, the kind of task (a question, writing, rewriting, classifying, a math problem, \
                code, advice, …) and the wording. Each task must be a complete instruction that makes sense \
                on its own. Continue the numbering above, one task per line, and write nothing else.
                """,
            description: "Self-Instruct: `count` new, diverse instructions after numbered examples."),
        evolution(
            "evol-constraints", "Evol-Instruct in depth: add one constraint or requirement.",
            """
            Make the instruction below a little harder by adding one more constraint or requirement, \
            such as a length limit, a format to follow, or something the answer must include or avoid.
            """),
        evolution(
            "evol-deepen", "Evol-Instruct in depth: ask about the issue in more depth and breadth.",
            """
            Make the instruction below a little harder by asking about its subject in more depth: \
            ask for causes, consequences, exceptions or a comparison, not only the basic fact.
            """),
        evolution(
            "evol-concretize", "Evol-Instruct in depth: replace general concepts with specific ones.",
            """
            Make the instruction below a little harder by making it more specific: replace general \
            words with particular things, people, places, numbers or situations.
            """),
        evolution(
            "evol-reasoning", "Evol-Instruct in depth: require several steps of reasoning.",
            """
            Make the instruction below a little harder so that answering it takes several steps of \
            reasoning, and ask explicitly for those steps to be shown.
            """),
        evolution(
            "evol-breadth", "Evol-Instruct in breadth: a new, rarer task of the same domain.",
            """
            Write a brand-new instruction inspired by the instruction below: keep the same domain, \
            but choose a rarer, less common task, and keep it about as long and as hard.
            """),
    ]

    /// An Evol-Instruct operation: the rule, the instruction, and the request for the rewrite only.
    static func evolution(_ name: String, _ description: String, _ rule: String) -> Template {
        Template(
            name: name, role: .user, strategy: "expansion", slots: ["instruction"],
            text: rule + """


                The result must still be a reasonable instruction that a person can understand and answer. \
                Keep any input, table or code that the instruction contains, and add at most 20 words.

                Instruction:
                {{instruction}}

                Reply with only the new instruction.
                """,
            description: description)
    }

    // MARK: Curation: questions from a topic, and the user's side of a conversation (UltraChat).

    static let curation: [Template] = [
        Template(
            name: "topic-questions", role: .user, strategy: "curation", slots: ["topic", "count", "knowledge"],
            text: """
                Write {{count}} different questions or requests that a user might ask an AI assistant about {{topic}}. \
                Mix easy and harder ones, and different kinds: facts, explanations, how-to, comparisons, \
                advice and creative tasks.{{#knowledge}}

                Background on the topic:
                {{knowledge}}{{/knowledge}}

                Write one per line, numbered 1., 2., 3., and nothing else.
                """,
            description: "`count` questions about a topic, optionally grounded in background knowledge."),
        Template(
            name: "user-simulator", role: .user, strategy: "curation", slots: ["topic", "conversation"],
            text: """
                You play a curious user who is chatting with an AI assistant about {{topic}}.{{#conversation}} \
                This is the conversation so far:

                {{conversation}}{{/conversation}}

                Write the user's next message: a follow-up question, a request for more detail, a related \
                new question or a reaction to the last answer. Write only that one message, as the user, \
                without a "User:" label and without the assistant's reply.
                """,
            description: "UltraChat-style user simulator: the user's next message in a conversation."),
    ]

    // MARK: Feedback: judging and improving responses.

    static let feedback: [Template] = [
        Template(
            name: "rubric", role: .user, strategy: "feedback", slots: ["instruction", "response"],
            text: """
                Rate the response to the instruction from 1 (useless or wrong) to 10 (perfect): \
                does it do what was asked, is it correct, helpful and clear?

                Instruction:
                {{instruction}}

                Response:
                {{response}}

                Reply in exactly this format:
                Rationale: <one or two sentences>
                Score: <a whole number from 1 to 10>
                """,
            description: "Grade one response 1–10 with a short rationale (parser: rubric-score)."),
        Template(
            name: "pairwise", role: .user, strategy: "feedback", slots: ["instruction", "response_a", "response_b"],
            text: """
                Two responses answer the same instruction. Decide which one is better: more helpful, \
                correct, relevant and clear. Do not prefer a response only because it is longer.

                Instruction:
                {{instruction}}

                Response A:
                {{response_a}}

                Response B:
                {{response_b}}

                Reply in exactly this format:
                Rationale: <one or two sentences>
                Verdict: <A, B or tie>
                """,
            description: "Compare two responses (parser: pairwise-verdict)."),
        Template(
            name: "aspects", role: .user, strategy: "feedback", slots: ["instruction", "response"],
            text: """
                Rate the response to the instruction on four aspects, each from 1 (poor) to 5 (excellent):
                - Helpfulness: is it useful, relevant and complete?
                - Honesty: does it admit uncertainty instead of pretending to know?
                - Instruction following: does it do what was asked, in the form asked?
                - Truthfulness: is it free of false or made-up facts?

                Instruction:
                {{instruction}}

                Response:
                {{response}}

                Reply with exactly these four lines and nothing else:
                Helpfulness: <1 to 5>
                Honesty: <1 to 5>
                Instruction following: <1 to 5>
                Truthfulness: <1 to 5>
                """,
            description: "UltraFeedback-style ratings of four aspects (parser: aspect-ratings)."),
        Template(
            name: "critique", role: .user, strategy: "feedback", slots: ["instruction", "response"],
            text: """
                Find the problems in the response to the instruction: mistakes, missing parts, parts that \
                ignore the instruction, and unclear or unneeded text. List each concrete problem on its own \
                line starting with "- ". If there is no problem, write "- No problems found."

                Instruction:
                {{instruction}}

                Response:
                {{response}}
                """,
            description: "A list of concrete problems in a response."),
        Template(
            name: "revise", role: .user, strategy: "feedback", slots: ["instruction", "response", "critique"],
            text: """
                Improve the response to the instruction: fix every problem the critique lists and keep \
                what is already good.

                Instruction:
                {{instruction}}

                Response:
                {{response}}

                Critique:
                {{critique}}

                Write only the improved response, with no introduction and no comment.
                """,
            description: "The response rewritten to address a critique."),
    ]

    // MARK: Self-knowledge: the teacher's own worked solutions, checked against known answers.

    static let selfKnowledge: [Template] = [
        Template(
            name: "solve", role: .user, strategy: "self-knowledge", slots: ["instruction"],
            text: """
                Solve this problem. Work step by step and show your work briefly. End with a last line \
                of the form "Answer: <final answer>", where the final answer is only the result \
                (for a number, just the number without units).

                Problem:
                {{instruction}}
                """,
            description: "A worked solution ending with \"Answer: …\" (parser: final-answer)."),
    ]
}
