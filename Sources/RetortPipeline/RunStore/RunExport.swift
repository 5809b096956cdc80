// `retort data export`: a run's kept records written in a format other tools train on, in commit
// order, atomically (a temporary file renamed into place once complete).
import Foundation
import RetortJSON
import RetortKnowledge

public enum ExportFormat: String, CaseIterable, Sendable {
    case messages, sharegpt, alpaca, preference, distributions

    public var fileExtension: String { self == .distributions ? "rtdist" : "jsonl" }

    /// The records this format reads (nil: any record with distributions).
    var recordKind: RecordKind? {
        switch self {
        case .messages, .sharegpt, .alpaca: .conversation
        case .preference: .preference
        case .distributions: nil
        }
    }
}

public struct ExportSummary: Sendable, Equatable {
    public var format: ExportFormat
    public var path: String
    public var written: Int
    /// Records of the format's kind that it could not express, by reason.
    public var skipped: [String: Int]

    public var skippedTotal: Int { skipped.values.reduce(0, +) }

    /// One line for people, e.g. "wrote 12 records to out.jsonl (skipped 2: 2 not a single-turn …)".
    public var description: String {
        var line = "wrote \(written) record\(written == 1 ? "" : "s") to \(path)"
        if !skipped.isEmpty {
            let reasons = skipped.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.value) \($0.key)" }
            line += " (skipped \(skippedTotal): \(reasons.joined(separator: "; ")))"
        }
        return line
    }

    public var json: JSONValue {
        ["format": .string(format.rawValue), "path": .string(path), "written": .number(Double(written)),
         "skipped": .object(skipped.mapValues { .number(Double($0)) })]
    }
}

extension RunStore {
    /// Where an export goes when no --out is given: `<run-dir>/exports/<format>[-<stage>].<ext>`.
    public func defaultExportPath(_ format: ExportFormat, stage: String?) -> String {
        let name = format.rawValue + (stage.map { "-\($0)" } ?? "") + "." + format.fileExtension
        return ((directory as NSString).appendingPathComponent("exports") as NSString).appendingPathComponent(name)
    }

    /// Writes the kept records of `stage` (all stages when nil) that `format` reads to `path`.
    public func export(_ format: ExportFormat, to path: String, stage: String? = nil) throws -> ExportSummary {
        if let stage {
            let known = try stageNames()
            guard known.contains(stage) else {
                throw RunStoreError.invalidInput("this run has no stage '\(stage)'; its stages: \(known.isEmpty ? "none yet" : known.joined(separator: ", "))")
            }
        }
        let file = try AtomicFileWriter(destination: path)
        var summary = ExportSummary(format: format, path: path, written: 0, skipped: [:])
        do {
            if format == .distributions {
                let writer = try DistributionsFile.Writer(file: file)
                try forEachRecord(stage: stage, kind: nil) { record in
                    guard let distributions = record.distributions else { return }
                    try writer.append(DistributionsFile.Entry(key: record.key, distributions: distributions))
                }
                try writer.finish()
                summary.written = Int(writer.count)
            } else {
                let line = Self.lineWriter(format)
                try forEachRecord(stage: stage, kind: format.recordKind) { record in
                    let json: JSONValue
                    do throws(ExportSkip) {
                        json = try line(record.payload)
                    } catch {
                        summary.skipped[error.reason, default: 0] += 1
                        return
                    }
                    try file.write(json.jsonText + "\n")
                    summary.written += 1
                }
            }
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
        return summary
    }

    private static func lineWriter(_ format: ExportFormat) -> (JSONValue) throws(ExportSkip) -> JSONValue {
        switch format {
        case .messages: ChatExportFormats.messagesLine
        case .sharegpt: ChatExportFormats.shareGPTLine
        case .alpaca: ChatExportFormats.alpacaLine
        case .preference, .distributions: ChatExportFormats.preferenceLine
        }
    }
}
