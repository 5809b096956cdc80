// Groups of sequences that answer the same prompt, and the preference order inside a group (by rank,
// 0 = best, or else by reward, higher = better): what every ranking objective (Bradley–Terry, DPO,
// RRHF, PRO) and the group baseline of policy gradient read from a `SequenceBatch`.
import Foundation

struct SequenceGroup {
    var id: Int32
    /// Indices into the batch, best first when the group was sorted by preference.
    var members: [Int]
}

enum PreferenceOrder {
    case ranks(UnsafeBufferPointer<Int32>)
    case rewards(UnsafeBufferPointer<Float>)

    /// Ranks when the batch has them, else rewards; nil when it has neither.
    init?(_ batch: SequenceBatch) {
        if let ranks = batch.ranks { self = .ranks(ranks) } else if let rewards = batch.rewards { self = .rewards(rewards) } else { return nil }
    }

    func isBetter(_ first: Int, than second: Int) -> Bool {
        switch self {
        case .ranks(let ranks): return ranks[first] < ranks[second]
        case .rewards(let rewards): return rewards[first] > rewards[second]
        }
    }
}

extension SequenceBatch {
    /// Groups in order of first appearance; every sequence is its own group without group ids.
    func groups() -> [SequenceGroup] {
        var result: [SequenceGroup] = []
        var slot: [Int32: Int] = [:]
        for index in 0..<count {
            let id = groupIds?[index] ?? Int32(truncatingIfNeeded: index)
            if let existing = slot[id] {
                result[existing].members.append(index)
            } else {
                slot[id] = result.count
                result.append(SequenceGroup(id: id, members: [index]))
            }
        }
        return result
    }

    /// Groups sorted best first (stable), each with at least two preference levels.
    func rankedGroups(objective: String) throws -> (groups: [SequenceGroup], order: PreferenceOrder) {
        guard let order = PreferenceOrder(self) else {
            throw ObjectiveError.missingInput(objective: objective, input: "ranks or rewards to order each group")
        }
        guard groupIds != nil else {
            throw ObjectiveError.missingInput(objective: objective, input: "group_ids")
        }
        var groups = groups()
        for index in groups.indices {
            let members = groups[index].members
            // Stable insertion sort: groups are small.
            var sorted: [Int] = []
            for member in members {
                var position = sorted.count
                while position > 0 && order.isBetter(member, than: sorted[position - 1]) { position -= 1 }
                sorted.insert(member, at: position)
            }
            guard let best = sorted.first, let worst = sorted.last, order.isBetter(best, than: worst) else {
                throw ObjectiveError.invalidGroup(
                    objective: objective, group: groups[index].id,
                    reason: "has \(members.count) sequence(s) and no two of different preference; a ranking needs at least one better and one worse answer")
            }
            groups[index].members = sorted
        }
        return (groups, order)
    }

    /// The length of sequence `index`, checked to be >= 1.
    func length(_ index: Int, objective: String) throws -> Double {
        guard let lengths else { throw ObjectiveError.missingInput(objective: objective, input: "lengths") }
        let length = Int(lengths[index])
        if length < 1 { throw ObjectiveError.invalidLength(objective: objective, sequence: index, length: length) }
        return Double(length)
    }
}
