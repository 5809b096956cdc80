// Recipes: a valid file decodes into typed stages; every mistake is an error naming the file,
// the line and the field.
import RetortKnowledge
import RetortPipeline
import Testing

@Suite struct RecipeTests {
    static let valid = """
        name: demo
        seed: 3
        teacher:
          backend: openai
          base_url: http://127.0.0.1:8080/v1
          model: smollm2
          api_key_env: DEMO_KEY
          concurrency: 16
          prices: {input_per_million: 0.5, output_per_million: 1.5}
        plugins: [instruct]
        knowledge:
          - name: expand
            strategy: expansion
            method: self-instruct
            seeds: {seeds: tasks}
            target: 20
          - name: label
            strategy: labeling
            input: {stage: expand}
            system_variants: [none, system-eli5]
            quality: {novelty_rouge_l: off, near_duplicate_jaccard: 0.9}
          - name: rate
            strategy: feedback
            mode: pairwise
            input: {stage: label}
        """

    @Test func decodesTeacherAndStages() throws {
        let recipe = try Recipe.parse(Self.valid, file: "demo.yaml")
        #expect(recipe.name == "demo")
        #expect(recipe.teacher.backend == .openai)
        #expect(recipe.teacher.apiKeyEnv == "DEMO_KEY")
        #expect(recipe.teacher.inputPricePerMillion == 0.5)
        #expect(recipe.knowledge.map(\.name) == ["expand", "label", "rate"])
        guard case .selfInstruct(let expand) = recipe.knowledge[0].plan else { Issue.record("expand is not self-instruct"); return }
        #expect(expand.target == 20)
        #expect(expand.stage.concurrency == 16)
        #expect(expand.stage.sampling.seed == 3)
        guard case .labeling(let label) = recipe.knowledge[1].plan else { Issue.record("label is not labeling"); return }
        #expect(label.systemVariants == ["", "system-eli5"])
        #expect(label.stage.quality.noveltyRougeL == nil)
        #expect(label.stage.quality.nearDuplicateJaccard == 0.9)
        #expect(recipe.knowledge[1].readsStages == ["expand"])
    }

    func failure(_ text: String) -> RecipeError? {
        do {
            _ = try Recipe.parse(text, file: "bad.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func mistakesNameTheLineAndField() throws {
        let cases: [(String, Int, String, String)] = [
            // (recipe, line, field, part of the message)
            ("teacher:\n  model: m\n  tempurature: 1\n", 3, "teacher.tempurature", "unknown field"),
            ("teacher: {model: m}\nknowledge:\n  - name: a\n    strategy: labelling\n", 4, "knowledge[0].strategy", "unknown strategy"),
            ("teacher: {model: m}\nplugins: [p]\nknowledge:\n  - name: a\n    strategy: expansion\n    method: self-instruct\n    seeds: {seeds: t}\n    target: many\n",
             8, "knowledge[0].target", "expected an integer"),
            ("teacher: {model: m}\nplugins: [p]\nknowledge:\n  - name: a\n    strategy: labeling\n    input: {stage: later}\n", 4, "knowledge[0]", "not an earlier stage"),
            ("teacher:\n  backend: openai\n  model: m\n", 2, "teacher", "needs `base_url`"),
            ("teacher:\n  backend: anthropic\n  model: m\n  api_key_env: sk-ant-123\n", 4, "teacher.api_key_env", "environment variable"),
            ("plugins: [p]\n", 1, "", "missing required field `teacher`"),
            ("teacher: {model: m}\nplugins: [p]\nknowledge:\n  - name: a\n    strategy: feedback\n    mode: judge\n    input: {seeds: s}\n",
             6, "knowledge[0].mode", "unknown value"),
            ("teacher: {model: m}\nplugins: [p]\nknowledge:\n  - name: a\n    strategy: labeling\n    input: {seeds: s, file: f}\n", 6, "knowledge[0].input", "exactly one"),
        ]
        for (text, line, field, message) in cases {
            guard let error = failure(text) else {
                Issue.record("accepted:\n\(text)")
                continue
            }
            #expect(error.file == "bad.yaml")
            #expect(error.line == line, "\(error.localizedDescription)")
            #expect(error.field == field, "\(error.localizedDescription)")
            #expect(error.message.contains(message), "\(error.localizedDescription)")
        }
    }

    @Test func syntaxErrorsAndDuplicatesCarryTheirLine() throws {
        let syntax = failure("teacher:\n  model: [unclosed\nplugins: []\n")
        #expect(syntax?.line != nil)
        #expect(syntax?.message.contains("YAML") == true)
        let duplicate = failure("teacher: {model: m}\nplugins: [p]\nknowledge:\n  - {name: a, strategy: labeling, input: {seeds: s}}\n  - {name: a, strategy: labeling, input: {seeds: s}}\n")
        #expect(duplicate?.line == 5)
        #expect(duplicate?.message.contains("already named") == true)
        #expect(failure("") != nil)
        #expect(failure("- just\n- a list\n")?.message.contains("mapping") == true)
    }

    @Test func stagesMustUseListedPlugins() throws {
        let error = failure("teacher: {model: m}\nplugins: [a]\nknowledge:\n  - {name: x, strategy: labeling, plugin: b, input: {seeds: s}}\n")
        #expect(error?.message.contains("not in the recipe's `plugins`") == true)
    }
}
