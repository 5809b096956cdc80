// The prompt templates (the I of Eq. 1): chain-of-thought and program-of-thought prompts, a
// several-paths prompt for self-consistency, and Orca-style system messages for explanation tuning
// (Mukherjee et al., 2023: the same task answered under system messages that ask for step-by-step,
// detailed or tutor-like explanations). Every prompt asks for a last "Answer: …" line, so one
// answer-extraction rule reads them all. Wording is short and literal: the embedded teacher is a
// 135M model.
import RetortPluginSDK

enum ReasoningTemplates {
    static let all: [Template] = labeling + systemMessages + selfKnowledge

    static let answerLine = "End with a last line of the form \"Answer: <number>\", with only the number (no units)."

    // MARK: Labeling: the teacher solves one problem, showing its thinking.

    static let labeling: [Template] = [
        Template(
            name: "problem", role: .user, strategy: "labeling", slots: ["instruction", "input"],
            text: """
                {{instruction}}{{#input}}

                {{input}}{{/input}}
                """,
            description: "The problem alone: the system message (an Orca-style variant) says how to explain."),
        Template(
            name: "chain-of-thought", role: .user, strategy: "labeling", slots: ["instruction", "input"],
            text: """
                Question: {{instruction}}{{#input}}
                {{input}}{{/input}}

                Let's think step by step. Write each step on its own line. \(answerLine)
                """,
            description: "Zero-shot chain of thought (Kojima et al., 2022) with a checkable answer line (parser: chain-of-thought)."),
        Template(
            name: "program-of-thought", role: .user, strategy: "labeling", slots: ["instruction", "input"],
            text: """
                Write a short Python program that computes the answer to this problem. Use variables with \
                clear names and only arithmetic (+, -, *, /, //, %, **, round, min, max). Store the final \
                result in a variable named answer. Reply with only the program in a ```python block.

                Problem: {{instruction}}{{#input}}
                {{input}}{{/input}}
                """,
            description: "Program of thoughts (Chen et al., 2022): the computation as a program (parser: program-of-thought)."),
        Template(
            name: "self-consistency", role: .user, strategy: "labeling", slots: ["instruction", "input"],
            text: """
                Question: {{instruction}}{{#input}}
                {{input}}{{/input}}

                Solve the question three times, each time in a different way. Start the ways with \
                "Path 1:", "Path 2:" and "Path 3:", and end each way with a line "Answer: <number>". \
                Then write a last line "Final answer: <number>" with the answer most paths agree on.
                """,
            description: "Several reasoning paths in one output, for the self-consistency filter."),
    ]

    // MARK: Orca-style system messages (explanation tuning).

    static let systemMessages: [Template] = [
        system("system-step-by-step", "Think step by step and justify each step.",
               "You are a careful assistant. When you get a task, work through it one step at a time, and say why each step "
                   + "follows from the one before."),
        system("system-tutor", "Explain like a patient tutor to a student.",
               "You are a patient tutor. Explain your reasoning so that a student can follow and learn it: say what is known, "
                   + "what is asked, and how each step leads to the next."),
        system("system-detailed", "Give a detailed, faithful explanation of how the answer was reached.",
               "You are an assistant who always explains. Do not give only the answer: describe in detail how you reached it, "
                   + "so the user can check every part."),
        system("system-verify", "Solve, then check the result another way.",
               "You are a careful problem solver. Solve the task step by step, then check the result in a second way, for "
                   + "example by working backwards, and fix it if the check fails."),
        system("system-brief-reasoning", "Only the key steps, in a few short lines.",
               "You are a concise assistant. Show only the key steps of your reasoning, in a few short lines, with no introduction."),
    ]

    static func system(_ name: String, _ description: String, _ persona: String) -> Template {
        Template(name: name, role: .system, strategy: "labeling", slots: [], text: persona + " " + answerLine,
                 description: "Orca-style system message: " + description)
    }

    // MARK: Self-knowledge: a model samples several solutions; their answers are compared.

    static let selfKnowledge: [Template] = [
        Template(
            name: "solve", role: .user, strategy: "self-knowledge", slots: ["instruction"],
            text: """
                Solve this problem. Show your work briefly, one step per line. \(answerLine)

                Problem: {{instruction}}
                """,
            description: "A worked solution ending with \"Answer: …\" (parser: final-answer or chain-of-thought)."),
        Template(
            name: "solve-program", role: .user, strategy: "self-knowledge", slots: ["instruction"],
            text: """
                Write a short Python program that computes the answer to this problem, using only arithmetic. \
                Store the result in a variable named answer. Reply with only the program in a ```python block.

                Problem: {{instruction}}
                """,
            description: "Program of thoughts for sampling: answers come from running the programs (parser: program-of-thought)."),
    ]
}
