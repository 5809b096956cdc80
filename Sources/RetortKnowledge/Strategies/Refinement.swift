// Refinement (PERsD, Chen et al., 2023): the student attempts each problem; an attempt the plugin's
// execution filter rejects goes back to the teacher with the student's code and the execution
// error (the filter's reason), and the teacher's fix is parsed and checked like any answer. A fix
// that still fails is refined again, up to `rounds` times, with its own error. Kept: the problem
// as the student saw it with the teacher's working fix as the answer, plus the student's failed
// code and error in the record. An attempt that already passes needs no teacher and is recorded
// as such (rejected with that reason), so the data funnel shows how often the student was right.
import RetortJSON
import RetortTeachers

public struct RefinementSettings: Sendable {
    public var stage: StageSettings
    /// Problems: items with an `instruction` the plugin's filter can check an answer against.
    public var input: InputSource
    /// The model that attempts each problem (the student); the stage's teacher refines.
    public var student: any Teacher
    public var attemptTemplate = "attempt"
    /// Slots `instruction`, `code` and `error`.
    public var refineTemplate = "refine"
    /// Reads the code out of an answer (yields `code` and `response`).
    public var parser = "python-code"
    /// Runs the code (receives `instruction` and `response`); its reason is the execution error.
    public var filter = "passes-tests"
    /// Refinements per problem before giving up.
    public var rounds = 1
    public var limit: Int? = nil

    public init(stage: StageSettings, input: InputSource, student: any Teacher) {
        self.stage = stage
        self.input = input
        self.student = student
    }
}

public enum Refinement {
    public static func run(_ settings: RefinementSettings, context: ElicitationContext) async throws -> StageReport {
        let engine = try StageEngine(stage: settings.stage, strategy: "refinement", context: context)
        try engine.binding.check(templates: [settings.attemptTemplate, settings.refineTemplate], parsers: [settings.parser],
                                 filters: [settings.filter])
        _ = try engine.primeFromStore()
        var items = try settings.input.load(plugin: engine.binding.plugin, sink: context.sink)
        if let limit = settings.limit { items = Array(items.prefix(limit)) }
        let byID = Dictionary(items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        try await engine.run(unitIDs: items.map(\.id)) { _, unit in
            try await refine(byID[unit]!, unit: unit, settings: settings, engine: engine)
        }
        return engine.report()
    }

    /// The code of an answer and the error that stops it: the parser's reason when there is no
    /// code, else the filter's reason when the code fails; nil error when it passes.
    static func check(_ output: String, instruction: String, settings: RefinementSettings, engine: StageEngine) throws
        -> (code: String, response: String, error: String?) {
        switch engine.binding.parse(settings.parser, output: output) {
        case .failure(let rejection):
            return (output, output, "no runnable code: \(rejection.reason)")
        case .success(let records):
            let code = records.first?["code"]?.stringValue ?? output
            let response = records.first?["response"]?.stringValue ?? output
            let failure = try engine.binding.firstRejection(
                filters: [settings.filter], record: ["instruction": .string(instruction), "response": .string(response)])
            return (code, response, failure?.reason)
        }
    }

    static func refine(_ item: InputItem, unit: String, settings: RefinementSettings, engine: StageEngine) async throws -> UnitDraft {
        var draft = UnitDraft()
        guard let instruction = item.instruction else {
            draft.reject("input", "item \(item.id) has no instruction", payload: .object(item.fields), template: "", seedID: item.id)
            return draft
        }
        let prompt = try engine.binding.render(settings.attemptTemplate, ["instruction": .string(instruction)])
        var sampling = settings.stage.sampling
        sampling.seed = engine.seed(unit: unit)
        let request = TeacherRequest(messages: [ChatMessage(role: "user", text: prompt)], maxTokens: settings.stage.maxTokens, sampling: sampling)
        let attempt = try await settings.student.complete(request).choices.first?.text ?? ""
        let first = try check(attempt, instruction: instruction, settings: settings, engine: engine)
        var payload: [String: JSONValue] = [
            "instruction": .string(instruction), "student": .string(settings.student.identity.description),
            "student_attempt": .string(attempt),
        ]
        guard var error = first.error else {
            draft.reject("refinement.student-passed", "the student's own attempt passes \(settings.filter): nothing for the teacher to refine",
                         payload: .object(payload), template: settings.attemptTemplate, seedID: item.id)
            return draft
        }
        payload["student_code"] = .string(first.code)
        payload["student_error"] = .string(error)
        var code = first.code
        for round in 1...max(1, settings.rounds) {
            let fix = try await engine.askText(
                template: settings.refineTemplate,
                values: ["instruction": .string(instruction), "code": .string(code), "error": .string(error)],
                unit: unit, salt: round)
            let checked = try check(fix, instruction: instruction, settings: settings, engine: engine)
            guard let failure = checked.error else {
                payload["messages"] = messagesJSON([ChatMessage(role: "user", text: prompt), ChatMessage(role: "assistant", text: fix)])
                payload["response"] = .string(checked.response)
                payload["refinement_rounds"] = .number(Double(round))
                draft.keep(Candidate(kind: .conversation, payload: .object(payload), screenText: fix,
                                     filterRecord: ["instruction": .string(instruction), "response": .string(checked.response)],
                                     template: settings.refineTemplate, seedID: item.id))
                return draft
            }
            payload["teacher_fix_\(round)"] = .string(fix)
            payload["teacher_error_\(round)"] = .string(failure)
            (code, error) = (checked.code, failure)
        }
        draft.reject("refinement.\(settings.filter)", "the teacher's fix still fails after \(max(1, settings.rounds)) round(s): \(error)",
                     payload: .object(payload), template: settings.refineTemplate, seedID: item.id)
        return draft
    }
}
