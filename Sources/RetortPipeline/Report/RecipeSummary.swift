// What the report needs from the recipe a run stored: its name, its teacher and the order of its
// distill stages. Read leniently, straight from the YAML: a report must still be written for a run
// whose recipe a newer Retort would reject (or that was edited by hand), so nothing here throws;
// what cannot be read is simply unknown.
import Foundation
import Yams

struct RecipeSummary: Sendable, Equatable {
    var name: String?
    /// backend:model[@base_url], as `retort data stats` names teachers.
    var teacher: String?
    /// Distill stage names in recipe order, when the `distill` block lists named stages.
    var distillStages: [String] = []
    /// Where each distill stage started, by stage: "the un-distilled student" or an earlier stage's
    /// name (its `from`, else the stage listed before it).
    var stageStarts: [String: String] = [:]

    init(name: String? = nil, teacher: String? = nil, distillStages: [String] = []) {
        self.name = name
        self.teacher = teacher
        self.distillStages = distillStages
    }

    init(yaml: String) {
        guard let root = (try? Yams.load(yaml: yaml)) as? [String: Any] else { return }
        name = Self.text(root["name"])
        if let teacher = root["teacher"] as? [String: Any], let model = Self.text(teacher["model"]) {
            let backend = Self.text(teacher["backend"]) ?? "local"
            teacher["base_url"].flatMap(Self.text).map { self.teacher = "\(backend):\(model)@\(Self.withoutCredentials($0))" }
            if self.teacher == nil { self.teacher = "\(backend):\(model)" }
        }
        let distill = root["distill"]
        let stageList = (distill as? [Any]) ?? ((distill as? [String: Any])?["stages"] as? [Any]) ?? []
        // An unnamed stage is "distill-<n>", as the recipe reader names it.
        distillStages = stageList.enumerated().compactMap { index, stage in
            (stage as? [String: Any]).map { Self.text($0["name"]) ?? "distill-\(index + 1)" }
        }
        for (index, stage) in distillStages.enumerated() {
            let from = (stageList[index] as? [String: Any]).flatMap { Self.text($0["from"]) } ?? "previous"
            switch from {
            case "initial": stageStarts[stage] = Self.undistilled
            case "previous": stageStarts[stage] = index == 0 ? Self.undistilled : distillStages[index - 1]
            default: stageStarts[stage] = from
            }
        }
    }

    static let undistilled = "the un-distilled student"

    private static func text(_ value: Any?) -> String? {
        switch value {
        case let s as String: s
        case let n as Int: String(n)
        case let d as Double: String(d)
        default: nil
        }
    }

    /// A URL with `user:password@` in it keeps its host and loses the secret.
    static func withoutCredentials(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let rest = text[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return text }
        return String(text[..<scheme.upperBound]) + "…@" + String(rest[rest.index(after: at)...])
    }
}
