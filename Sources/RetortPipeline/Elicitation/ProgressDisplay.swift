// Progress of long stages on stderr: a bar with done/total, rate, ETA, tokens, cost and
// rejections (redrawn in place on a terminal, one line per second otherwise), JSON lines for
// scripts, or nothing.
import Foundation
import RetortJSON
import RetortKnowledge

public final class ProgressDisplay: @unchecked Sendable {
    public enum Mode: Sendable { case bar, json, quiet }

    /// Tokens and cost so far, read when a line is drawn.
    public struct Spend: Sendable {
        public var tokens: Int
        public var cost: Double
        public init(tokens: Int, cost: Double) {
            self.tokens = tokens
            self.cost = cost
        }
    }

    private let mode: Mode
    private let spend: @Sendable () -> Spend
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var stageStart: [String: Date] = [:]
    private var startDone: [String: Int] = [:]
    private var lastDraw = Date.distantPast

    public init(mode: Mode, spend: @escaping @Sendable () -> Spend = { Spend(tokens: 0, cost: 0) }) {
        self.mode = mode
        self.spend = spend
    }

    public func update(_ progress: StageProgress) {
        lock.withLock {
            let now = Date()
            if stageStart[progress.stage] == nil {
                stageStart[progress.stage] = now
                startDone[progress.stage] = progress.unitsDone
            }
            let finished = progress.unitsDone >= progress.unitsTotal
            let interval = isTerminal ? 0.1 : 1.0
            guard finished || now.timeIntervalSince(lastDraw) >= interval else { return }
            lastDraw = now
            draw(progress, now: now)
        }
    }

    private func draw(_ p: StageProgress, now: Date) {
        let elapsed = now.timeIntervalSince(stageStart[p.stage] ?? now)
        let doneHere = p.unitsDone - (startDone[p.stage] ?? 0)
        let rate = elapsed > 0 ? Double(doneHere) / elapsed : 0
        let remaining = max(0, p.unitsTotal - p.unitsDone)
        let eta = rate > 0 ? Double(remaining) / rate : nil
        let spent = spend()
        switch mode {
        case .quiet:
            return
        case .json:
            var object: [String: JSONValue] = [
                "event": "progress", "stage": .string(p.stage), "done": .number(Double(p.unitsDone)),
                "total": .number(Double(p.unitsTotal)), "kept": .number(Double(p.kept)), "rejected": .number(Double(p.rejected)),
                "failed": .number(Double(p.failed)), "units_per_second": .number((rate * 100).rounded() / 100),
                "tokens": .number(Double(spent.tokens)), "cost": .number(spent.cost),
            ]
            if let eta { object["eta_seconds"] = .number(eta.rounded()) }
            FileHandle.standardError.write(Data((JSONValue.object(object).jsonText + "\n").utf8))
        case .bar:
            let width = 24
            let fraction = p.unitsTotal > 0 ? Double(p.unitsDone) / Double(p.unitsTotal) : 1
            let filled = Int((fraction * Double(width)).rounded(.down))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            var line = "\(p.stage) \(bar) \(p.unitsDone)/\(p.unitsTotal) \(String(format: "%.2f", rate))/s"
            line += " ETA \(eta.map(Self.duration) ?? "–") · kept \(p.kept) · rejected \(p.rejected)"
            if p.failed > 0 { line += " · failed \(p.failed)" }
            line += " · \(spent.tokens) tok"
            if spent.cost > 0 { line += String(format: " · $%.4f", spent.cost) }
            let end = p.unitsDone >= p.unitsTotal ? "\n" : ""
            FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[K" : "") + line + (isTerminal ? end : "\n")).utf8))
        }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds)
        return s >= 3600 ? "\(s / 3600)h\(s % 3600 / 60)m" : s >= 60 ? "\(s / 60)m\(s % 60)s" : "\(s)s"
    }
}
