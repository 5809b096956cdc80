// What the training and evaluation stages keep in the run store: one row per optimizer step, the
// metrics and sample outputs of each evaluated checkpoint, and the files the run produced. The
// report reads these; a resumed run appends after the last step its checkpoint holds.
import Foundation
import GRDB

/// One optimizer step of a distill stage, as stored.
public struct TrainingStepRow: Sendable, Equatable {
    public var stage: String
    public var step: Int
    public var loss: Double
    /// The loss of each objective of the mixture, by name (non-finite values are not stored).
    public var objectives: [String: Double]
    public var learningRate: Double
    public var gradientNorm: Double?
    public var tokens: Int
    public var skipped: Bool
    public var skipReason: String?

    public init(stage: String, step: Int, loss: Double, objectives: [String: Double], learningRate: Double,
                gradientNorm: Double?, tokens: Int, skipped: Bool = false, skipReason: String? = nil) {
        self.stage = stage
        self.step = step
        self.loss = loss
        self.objectives = objectives
        self.learningRate = learningRate
        self.gradientNorm = gradientNorm
        self.tokens = tokens
        self.skipped = skipped
        self.skipReason = skipReason
    }
}

/// One metric of one evaluated checkpoint ("baseline" for the un-distilled student,
/// "<stage>@<step>" for a trained one).
public struct EvaluationRow: Sendable, Equatable {
    public var checkpoint: String
    public var metric: String
    public var value: Double
    public var stage: String
    public var step: Int

    public init(checkpoint: String, metric: String, value: Double, stage: String, step: Int) {
        self.checkpoint = checkpoint
        self.metric = metric
        self.value = value
        self.stage = stage
        self.step = step
    }
}

/// A held-out prompt, the teacher's reference answer and a checkpoint's answer.
public struct EvalSampleRow: Sendable, Equatable {
    public var checkpoint: String
    public var position: Int
    public var prompt: String
    public var reference: String
    public var output: String

    public init(checkpoint: String, position: Int, prompt: String, reference: String, output: String) {
        self.checkpoint = checkpoint
        self.position = position
        self.prompt = prompt
        self.reference = reference
        self.output = output
    }
}

/// A file the run produced (kind: "gguf", "report", "bundle", …).
public struct ArtifactRow: Sendable, Equatable {
    public var kind: String
    public var path: String
    public var sha256: String
}

extension RunStore {
    /// Stores steps; a step already stored (a resumed run redoing it) is replaced.
    public func appendTrainingSteps(_ steps: [TrainingStepRow]) throws {
        guard !steps.isEmpty else { return }
        try write { db in
            for s in steps {
                // JSON has no NaN or infinity: a non-finite objective value (a skipped step) is left out.
                let finite = s.objectives.filter { $0.value.isFinite }
                let objectives = String(decoding: try JSONEncoder.sorted.encode(finite), as: UTF8.self)
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO training_steps
                            (stage, step, loss, objectives, learning_rate, gradient_norm, tokens, skipped, skip_reason)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [s.stage, s.step, Self.storable(s.loss), objectives, s.learningRate,
                                s.gradientNorm.flatMap { $0.isFinite ? $0 : nil }, s.tokens, s.skipped, s.skipReason])
            }
        }
    }

    /// Forgets the steps of `stage` after `step` (a resume from an earlier checkpoint redoes them).
    public func truncateTrainingSteps(stage: String, after step: Int) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM training_steps WHERE stage = ? AND step > ?", arguments: [stage, step])
        }
    }

    /// Every stored step, by stage then step (one stage when `stage` is given).
    public func trainingSteps(stage: String? = nil) throws -> [TrainingStepRow] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT * FROM training_steps WHERE (?1 IS NULL OR stage = ?1) ORDER BY stage, step",
                arguments: [stage])
            return try rows.map { row in
                let objectivesText: String = row["objectives"]
                let objectives = try JSONDecoder().decode([String: Double].self, from: Data(objectivesText.utf8))
                return TrainingStepRow(
                    stage: row["stage"], step: row["step"], loss: row["loss"] as Double? ?? .nan, objectives: objectives,
                    learningRate: row["learning_rate"], gradientNorm: row["gradient_norm"], tokens: row["tokens"],
                    skipped: row["skipped"], skipReason: row["skip_reason"])
            }
        }
    }

    /// Stores a checkpoint's metrics (replacing earlier values of the same metric) and its samples.
    public func recordEvaluation(_ metrics: [EvaluationRow], samples: [EvalSampleRow] = []) throws {
        try write { db in
            for m in metrics {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO evaluations (checkpoint, metric, value, stage, step, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [m.checkpoint, m.metric, Self.storable(m.value), m.stage, m.step, Date()])
            }
            for s in samples {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO eval_samples (checkpoint, position, prompt, reference, output) VALUES (?, ?, ?, ?, ?)",
                    arguments: [s.checkpoint, s.position, s.prompt, s.reference, s.output])
            }
        }
    }

    /// Every metric of every checkpoint: the baseline first, then checkpoints in the order their
    /// first metric was recorded (the order they were trained in), metrics by name.
    public func evaluations() throws -> [EvaluationRow] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.* FROM evaluations e
                JOIN (SELECT checkpoint, MIN(recorded_at) AS first FROM evaluations GROUP BY checkpoint) c USING (checkpoint)
                ORDER BY (e.checkpoint != 'baseline'), c.first, e.checkpoint, e.metric
                """).map {
                EvaluationRow(checkpoint: $0["checkpoint"], metric: $0["metric"], value: $0["value"] as Double? ?? .nan,
                              stage: $0["stage"], step: $0["step"])
            }
        }
    }

    public func evalSamples(checkpoint: String? = nil) throws -> [EvalSampleRow] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM eval_samples WHERE (?1 IS NULL OR checkpoint = ?1) ORDER BY checkpoint, position",
                arguments: [checkpoint]
            ).map {
                EvalSampleRow(checkpoint: $0["checkpoint"], position: $0["position"], prompt: $0["prompt"],
                              reference: $0["reference"], output: $0["output"])
            }
        }
    }

    /// Records a produced file with its SHA-256 (replacing an earlier file of the same kind).
    public func recordArtifact(kind: String, path: String, sha256: String) throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO artifacts (kind, path, sha256, created_at) VALUES (?, ?, ?, ?)",
                arguments: [kind, path, sha256, Date()])
        }
    }

    public func artifacts() throws -> [ArtifactRow] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT kind, path, sha256 FROM artifacts ORDER BY kind").map {
                ArtifactRow(kind: $0["kind"], path: $0["path"], sha256: $0["sha256"])
            }
        }
    }

    /// SQLite stores NaN as NULL; infinities are kept as they are.
    private static func storable(_ value: Double) -> Double? { value.isNaN ? nil : value }
}

extension JSONEncoder {
    /// Keys in a fixed order, so the same values always make the same text.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
