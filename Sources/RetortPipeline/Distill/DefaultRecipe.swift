// The recipe `retort distill` runs when given no recipe: the same text as
// Examples/recipes/distill-default.yaml (a test keeps them equal), with the teacher, the plugin
// and the seeds swappable from the command line.
public enum DefaultRecipe {
    public static let name = "distill-default"
    /// The embedded teacher (and the student's source when the teacher is an API).
    public static let embeddedModel = "smollm2-135m-instruct"

    public struct Choices: Sendable {
        /// A model alias or .gguf path (local, white-box), or an http(s) URL of an OpenAI-compatible server.
        public var teacher = DefaultRecipe.embeddedModel
        /// The model name the server knows (URL teachers only).
        public var teacherModel = DefaultRecipe.embeddedModel
        /// nil: the instruct plugin's Self-Instruct expansion and labeling.
        public var plugin: String?
        /// The plugin's seed set whose tasks the teacher answers (with `plugin`).
        public var seeds = "tasks"
        public init() {}

        var isAPITeacher: Bool { teacher.hasPrefix("http://") || teacher.hasPrefix("https://") }
    }

    /// The recipe text for `choices`; with the defaults it is the shipped example file.
    public static func text(_ choices: Choices = Choices()) -> String {
        let teacher = choices.isAPITeacher
            ? "teacher:\n  backend: openai\n  base_url: \(choices.teacher)\n  model: \(choices.teacherModel)\n  concurrency: 16\n"
            : "teacher:\n  backend: local\n  model: \(choices.teacher)\n  concurrency: 16\n"
        // The judge uses the instruct plugin's pairwise template whatever plugin supplies the data.
        let knowledge = choices.plugin.map { plugin in
            "plugins: [\(plugin == "instruct" ? plugin : plugin + ", instruct")]\nknowledge:\n  - name: label\n    strategy: labeling\n    input: {seeds: \(choices.seeds)}\n    max_tokens: 128\n"
        } ?? instructKnowledge
        let data = choices.plugin == nil ? "[label-seeds, label]" : "[label]"
        // A student is cut from a local teacher; an API teacher's student is cut from the embedded model.
        let student = choices.isAPITeacher
            ? "student:\n  from: model\n  model: \(embeddedModel)\n  layers: 20\n"
            : "student:\n  from: teacher\n  layers: 20\n"
        // On-policy JSD needs the teacher's distributions, which an API teacher does not give.
        let gkd = choices.isAPITeacher ? "" : gkdStage
        return template.replacingOccurrences(of: "{{teacher}}", with: teacher)
            .replacingOccurrences(of: "{{knowledge}}", with: knowledge)
            .replacingOccurrences(of: "{{student}}", with: student)
            .replacingOccurrences(of: "{{gkd}}", with: gkd)
            .replacingOccurrences(of: "[label-seeds, label]", with: data)
    }

    static let instructKnowledge = """
plugins: [instruct]
knowledge:
  - name: expand
    strategy: expansion
    method: self-instruct
    seeds: {seeds: tasks}
    target: 40
    per_prompt: 8
    max_tokens: 160
    filters: [instruction-quality]
  - name: label-seeds
    strategy: labeling
    input: {seeds: tasks}
    system_variants: [system-concise]
    max_tokens: 128
  - name: label
    strategy: labeling
    input: {stage: expand}
    system_variants: [system-concise]
    max_tokens: 128

"""

    static let gkdStage = """
  - name: gkd
    data: [label-seeds, label]
    objectives: [{name: jsd, beta: 0.5}]
    steps: 20
    batch: 4
    sequence_length: 256
    learning_rate: 1e-4
    warmup: 2
    top_k: 32
    checkpoint_every: 10
    on_policy: {ratio: 0.3, max_tokens: 64}

"""

    static let template = """
# The embedded default of `retort distill` (and `make demo`): fully offline on a CPU laptop.
# The teacher is SmolLM2-135M-Instruct, in process and white-box; the student is a layer subset of
# it (same tokenizer and chat template). The instruct plugin's Self-Instruct expansion writes new
# instructions from its seed tasks, the teacher answers them and the seed tasks; the student learns
# the teacher's answers (SFT), then its distributions with on-policy JSD (GKD) on its own samples
# mixed with the teacher's answers. Held-out KL to the teacher, perplexity, ROUGE-L and the teacher's
# pairwise win rates (against the un-distilled student and against itself) are measured before and
# after each stage; the student is exported as a Q8_0 GGUF (llama.cpp, Ollama) and packed
# into a bundle in the run folder; `make demo` then writes the report.
#   retort distill                          # this recipe, into runs/distill-default
#   retort run Examples/recipes/distill-default.yaml --run-dir runs/mine   # the same from the file
# Swapping the teacher is editing the `teacher` block, e.g. for a vLLM or `retort serve` server:
#   teacher: {backend: openai, base_url: http://127.0.0.1:8080/v1, model: smollm2-135m-instruct}
# (an API teacher gives text, not distributions: keep the `sft` stage and drop `gkd`).
name: distill-default
seed: 1
{{teacher}}{{knowledge}}{{student}}distill:
  - name: sft
    data: [label-seeds, label]
    objectives: [sft]
    epochs: 2
    batch: 4
    sequence_length: 256
    learning_rate: 3e-4
    warmup: 5
    checkpoint_every: 20
{{gkd}}evaluate:
  held_out: 0.1
  max_examples: 16
  generate: 6
  max_tokens: 64
  judge: {plugin: instruct, against: [baseline, teacher], max_tokens: 96}
export:
  gguf: [q8_0]
  bundle: true

"""
}
