// DATA_CARD.md of a bundle: where the training data came from and what was done to it — the teacher
// and what it cost, each stage's strategy, plugin and inputs (seed sets, earlier stages, files),
// the records kept and rejected (by check and reason), the filters each stage applied, and the
// licenses that bind the data and the model. Read from the run's statistics and its recipe.
import Foundation
import RetortHost
import RetortJSON
import RetortKnowledge

struct DataCard {
    var recipe: Recipe
    var stats: RunStats
    var plugins: [PluginManifest]
    var teacherLicense: String?
    var studentLicense: String?

    var markdown: String {
        var out: [String] = [
            "# Data card: \(recipe.name)",
            "",
            "The data this student was trained on, as recorded in its run (`\(URL(fileURLWithPath: stats.runDirectory).lastPathComponent)`). "
                + "The recipe that produced it is `recipe.yaml` in this bundle.",
            "",
            "## Teacher",
            "",
            "- \(teacherDescription)",
            "- Teacher calls: \(stats.teacherCalls) (answered from the call cache: \(stats.cacheHits)); prompt tokens: \(stats.promptTokens); "
                + "completion tokens: \(stats.completionTokens); cost: \(String(format: "$%.4f", stats.cost))",
        ]
        if !stats.teachers.isEmpty {
            var table = MarkdownTable(["teacher", "calls", "prompt tokens", "completion tokens", "cost"])
            for t in stats.teachers {
                table.add([t.teacher, "\(t.calls)", "\(t.promptTokens)", "\(t.completionTokens)", String(format: "$%.4f", t.cost)])
            }
            out += ["", table.text]
        }

        out += ["", "## Sources and seeds", ""]
        if recipe.knowledge.isEmpty {
            out.append("The recipe has no knowledge stages.")
        } else {
            var table = MarkdownTable(["stage", "strategy", "plugin", "inputs", "settings"])
            for stage in recipe.knowledge {
                let plan = Self.describe(stage)
                table.add([stage.name, plan.strategy, stage.settings.plugin, plan.inputs.joined(separator: "; "), plan.settings])
            }
            out.append(table.text)
        }

        out += ["", "## Records", "",
                "Kept: \(stats.keptRecords). Rejected: \(stats.rejectedRecords) (duplicates among them: \(stats.duplicates))."]
        if !stats.records.isEmpty {
            var table = MarkdownTable(["stage", "kind", "kept"])
            for r in stats.records { table.add([r.stage, r.kind, "\(r.count)"]) }
            out += ["", table.text]
        }
        if !stats.rejectionsByCheck.isEmpty {
            var checks = MarkdownTable(["check", "rejected"])
            for c in stats.rejectionsByCheck { checks.add([c.check, "\(c.count)"]) }
            var reasons = MarkdownTable(["check", "reason", "rejected"])
            for r in stats.topReasons { reasons.add([r.check, MarkdownTable.shortened(r.reason, to: 200), "\(r.count)"]) }
            out += ["", "### Rejected, by check", "", checks.text, "", "### Most frequent reasons", "", reasons.text]
        }
        if !stats.stages.isEmpty {
            var table = MarkdownTable(["stage", "units done", "units planned", "finished"])
            for s in stats.stages {
                table.add([s.name, "\(s.unitsDone)", s.unitsTotal.map(String.init) ?? "?", s.finishedAt == nil ? "no" : "yes"])
            }
            out += ["", "### Progress", "", table.text]
        }

        out += ["", "## Filters", ""]
        if recipe.knowledge.isEmpty {
            out.append("None: the recipe has no knowledge stages.")
        } else {
            var table = MarkdownTable(["stage", "plugin filters", "quality checks"])
            for stage in recipe.knowledge {
                let filters = stage.settings.filters.isEmpty ? "none" : stage.settings.filters.joined(separator: ", ")
                table.add([stage.name, filters, Self.describe(stage.settings.quality)])
            }
            out.append(table.text)
        }

        out += ["", "## Licenses", "",
                "- Teacher model: \(teacherLicense ?? "not recorded; check the teacher's license or terms of service")",
                "- Student model (the GGUF's `general.license`): \(studentLicense ?? "not recorded")"]
        for plugin in plugins {
            let license = plugin.raw["license"]?.stringValue.map { "license \($0)" } ?? "no license declared in its manifest"
            out.append("- Plugin \(plugin.id) \(plugin.version) (\(plugin.name)): \(license)")
        }
        out.append("- The generated records are the teacher's outputs: their use is governed by the teacher's license or terms, "
                   + "and by the licenses of the seed data the plugins supplied.")
        return out.joined(separator: "\n") + "\n"
    }

    private var teacherDescription: String {
        let t = recipe.teacher
        var text = "Backend: \(t.backend.rawValue); model: \(t.model)"
        if let url = t.baseURL { text += "; endpoint: \(url)" }
        text += "; concurrency \(t.concurrency)"
        return text
    }

    /// A stage's strategy, its inputs and its main settings, in words.
    static func describe(_ stage: KnowledgeStageSpec) -> (strategy: String, inputs: [String], settings: String) {
        let plugin = stage.settings.plugin
        func input(_ source: InputSource) -> String {
            switch source {
            case .seeds(let name): "seed set \(name) of plugin \(plugin)"
            case .stage(let name): "kept records of stage \(name)"
            case .file(let path): "file \(path)"
            }
        }
        func limit(_ value: Int?) -> String { value.map { "at most \($0) inputs" } ?? "all inputs" }
        switch stage.plan {
        case .labeling(let s):
            return ("labeling", [input(s.input)], "\(limit(s.limit)); template \(s.template); \(s.systemVariants.count) system variant(s)")
        case .selfInstruct(let s):
            return ("expansion (Self-Instruct)", [input(s.seeds)], "target \(s.target) instructions; \(s.perPrompt) per prompt")
        case .evolInstruct(let s):
            return ("expansion (Evol-Instruct)", [input(s.input)], "\(limit(s.limit)); \(s.rounds) round(s): \(s.operations.joined(separator: ", "))")
        case .curation(let s):
            return ("curation", [input(s.topics)], "\(limit(s.limit)); \(s.questionsPerTopic) questions per topic; \(s.turns) turn(s)")
        case .feature(let s, let tokenizer):
            return ("feature (teacher distributions)", [input(s.input)],
                    "\(limit(s.limit)); top \(s.topK) tokens" + (tokenizer.map { "; tokenizer \($0)" } ?? ""))
        case .feedback(let s):
            return ("feedback (\(s.mode.rawValue))", [input(s.input)] + (s.opponents.map { [input($0)] } ?? []),
                    limit(s.limit) + (s.minimumScore.map { "; minimum score \($0)" } ?? ""))
        case .selfKnowledge(let s):
            return ("self-knowledge", [input(s.input)], "\(limit(s.limit)); student \(s.studentModel); \(s.samples) samples, \(s.selection.rawValue)")
        case .refinement(let s):
            return ("refinement (PERsD)", [input(s.input)],
                    "\(limit(s.limit)); student \(s.studentModel); failing attempts refined by the teacher, up to \(s.rounds) round(s), checked by \(s.filter ?? "passes-tests")")
        }
    }

    /// The engine's quality checks of a stage, in words.
    static func describe(_ q: QualitySettings) -> String {
        var checks = ["\(q.minCharacters)–\(q.maxCharacters) characters"]
        if q.rejectRefusals { checks.append("refusals rejected") }
        if q.exactDedup { checks.append("exact duplicates rejected") }
        if let j = q.nearDuplicateJaccard { checks.append("near duplicates (MinHash Jaccard ≥ \(j)) rejected") }
        if let r = q.noveltyRougeL { checks.append("new instructions need ROUGE-L < \(r) to every kept one") }
        return checks.joined(separator: "; ")
    }
}
