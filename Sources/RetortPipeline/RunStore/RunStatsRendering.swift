// The two forms `retort data stats` prints: JSON for scripts (snake_case keys, ISO 8601 times)
// and an aligned text report for people.
import Foundation
import RetortJSON

extension RunStats {
    public var json: JSONValue {
        let stages: [JSONValue] = self.stages.map { stage in
            ["name": .string(stage.name), "units_done": .number(Double(stage.unitsDone)),
             "units_total": stage.unitsTotal.map { .number(Double($0)) } ?? .null,
             "started_at": .string(Self.timestamp(stage.startedAt)),
             "finished_at": stage.finishedAt.map { .string(Self.timestamp($0)) } ?? .null]
        }
        let records: [JSONValue] = self.records.map {
            ["stage": .string($0.stage), "kind": .string($0.kind), "count": .number(Double($0.count))]
        }
        let checks: [JSONValue] = rejectionsByCheck.map { ["check": .string($0.check), "count": .number(Double($0.count))] }
        let reasons: [JSONValue] = topReasons.map {
            ["check": .string($0.check), "reason": .string($0.reason), "count": .number(Double($0.count))]
        }
        let teachers: [JSONValue] = self.teachers.map {
            ["teacher": .string($0.teacher), "calls": .number(Double($0.calls)),
             "prompt_tokens": .number(Double($0.promptTokens)), "completion_tokens": .number(Double($0.completionTokens)),
             "cost": .number($0.cost), "latency_seconds": .number($0.latency)]
        }
        return [
            "run": .string(runDirectory),
            "stages": .array(stages),
            "records": ["total": .number(Double(keptRecords)), "by_stage_and_kind": .array(records)],
            "rejections": ["total": .number(Double(rejectedRecords)), "duplicates": .number(Double(duplicates)),
                           "by_check": .array(checks), "top_reasons": .array(reasons)],
            "teacher": ["calls": .number(Double(teacherCalls)), "cache_hits": .number(Double(cacheHits)),
                        "prompt_tokens": .number(Double(promptTokens)), "completion_tokens": .number(Double(completionTokens)),
                        "cost": .number(cost), "by_teacher": .array(teachers)],
        ]
    }

    /// The report for people: one section per question a user asks of a run.
    public var text: String {
        var sections: [String] = ["Run \(runDirectory)"]

        if stages.isEmpty {
            sections.append("No stage has started.")
        } else {
            sections.append(Self.table(
                header: ["STAGE", "UNITS", "STATE"],
                rows: stages.map { stage in
                    let units = stage.unitsTotal.map { "\(stage.unitsDone)/\($0)" } ?? "\(stage.unitsDone)/?"
                    let state = stage.finishedAt.map { "finished \(Self.timestamp($0))" } ?? "started \(Self.timestamp(stage.startedAt))"
                    return [stage.name, units, state]
                }))
        }

        var kept = "Kept records: \(keptRecords)"
        if !records.isEmpty {
            kept += "\n" + Self.table(header: ["STAGE", "KIND", "RECORDS"], rows: records.map { [$0.stage, $0.kind, "\($0.count)"] })
        }
        sections.append(kept)

        var rejected = "Rejected: \(rejectedRecords) (duplicates: \(duplicates))"
        if !rejectionsByCheck.isEmpty {
            rejected += "\n" + Self.table(header: ["CHECK", "REJECTED"], rows: rejectionsByCheck.map { [$0.check, "\($0.count)"] })
            rejected += "\nTop reasons:\n" + Self.table(
                header: ["COUNT", "CHECK", "REASON"], rows: topReasons.map { ["\($0.count)", $0.check, Self.oneLine($0.reason)] })
        }
        sections.append(rejected)

        var teacher = "Teacher: \(teacherCalls) calls, \(cacheHits) answered from the cache; "
            + "\(promptTokens) prompt + \(completionTokens) completion tokens; cost \(Self.money(cost))"
        if !teachers.isEmpty {
            teacher += "\n" + Self.table(
                header: ["TEACHER", "CALLS", "PROMPT", "COMPLETION", "COST", "WAIT"],
                rows: teachers.map {
                    [$0.teacher, "\($0.calls)", "\($0.promptTokens)", "\($0.completionTokens)", Self.money($0.cost),
                     String(format: "%.1f s", $0.latency)]
                })
        }
        sections.append(teacher)
        return sections.joined(separator: "\n\n")
    }

    static func timestamp(_ date: Date) -> String {
        date.ISO8601Format()
    }

    static func money(_ amount: Double) -> String { String(format: "%.4f", amount) }

    /// Reasons are free text from parsers and filters; a table row must stay one line.
    static func oneLine(_ text: String, limit: Int = 100) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit - 1)) + "…" : flat
    }

    /// Left-aligned columns separated by two spaces; the last column is not padded.
    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
