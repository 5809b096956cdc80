// The law plugin's prompt templates, addressed as `law.<name>`: system prompts that ask for IRAC
// structure, general information rather than advice, and no citation beyond the authorities
// given; an IRAC question template; client questions per issue of the topic tree (curation);
// and multiple-choice exam answers (self-knowledge).
import RetortPluginSDK

enum LawTemplates {
    static let all: [Template] = [
        Template(
            name: "system-irac", role: .system, strategy: "labeling", slots: [],
            text: """
                You are a careful legal research assistant. You give general legal information, not legal advice \
                for a particular case. Structure every answer in four labelled parts: Issue, Rule, Application and \
                Conclusion. Cite a statute or case only if it appears among the authorities you are given; \
                never invent a citation.
                """,
            description: "IRAC structure, information not advice, no invented citations."),
        Template(
            name: "system-plain-language", role: .system, strategy: "any", slots: [],
            text: """
                You explain the law in plain language to people without legal training. Say which jurisdiction \
                a rule comes from when it matters, note that laws differ between places, and suggest consulting \
                a qualified lawyer for decisions about a real case. Do not cite cases or statutes you are unsure of.
                """,
            description: "Plain-language explanations with a jurisdiction caveat."),
        Template(
            name: "irac", role: .user, strategy: "labeling", slots: ["instruction", "input"],
            text: """
                {{instruction}}{{#input}}

                Authorities you may cite:
                {{input}}{{/input}}

                Answer in four parts, each starting on a new line with its label:
                Issue: the legal question.
                Rule: the law that governs it{{#input}}, citing only the authorities above{{/input}}.
                Application: how the rule applies to these facts.
                Conclusion: the likely outcome.
                """,
            description: "A fact pattern and the authorities to cite (the seed's `input`) → an IRAC answer (parser: irac, filters: irac-complete, known-citations)."),
        Template(
            name: "issue-questions", role: .user, strategy: "curation", slots: ["topic", "count", "knowledge"],
            text: """
                Write {{count}} different questions that people ask a lawyer about {{topic}}. Mix short factual \
                questions and small fact patterns ("My landlord …, can I …?").{{#knowledge}}

                Key points of the topic:
                {{knowledge}}{{/knowledge}}

                Write one per line, numbered 1., 2., 3., and nothing else.
                """,
            description: "Questions on one issue of the topic tree (areas of law → issues), for curation."),
        Template(
            name: "choose", role: .user, strategy: "self-knowledge", slots: ["instruction"],
            text: """
                {{instruction}}

                Think briefly about each option, then end with a last line of the form "Answer: <letter>".
                """,
            description: "A multiple-choice exam item → reasoning and \"Answer: <letter>\" (parser: choice)."),
    ]
}
