// A process for the run store's crash-safety test to kill: it commits units of work to the run
// store in a folder as fast as it can, printing "committed <unit>" after each commit, until it is
// killed (or has committed the number of units asked for). Each unit holds many records, so a
// SIGKILL usually lands inside a transaction.
//
//     RetortStoreTorture <run-dir> <first-unit-index> <unit-count>
import Foundation
import RetortJSON
import RetortKnowledge
import RetortModels
import RetortPipeline

let arguments = CommandLine.arguments
guard arguments.count == 4, let first = Int(arguments[2]), let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: RetortStoreTorture <run-dir> <first-unit-index> <unit-count>\n".utf8))
    exit(64)
}

/// What unit `index` commits; the crash-safety test checks stores against the same shape.
func unitOutput(_ index: Int) -> (records: [KnowledgeRecord], rejections: [RejectedRecord]) {
    let provenance = Provenance(stage: "torture", strategy: "labeling", plugin: "torture", template: "t",
                                seedID: "seed-\(index)", teacher: "local:test")
    let filler = String(repeating: "lorem ipsum dolor sit amet ", count: 40)
    let records = (0..<RetortStoreTortureShape.recordsPerUnit).map { j in
        KnowledgeRecord(
            key: "u\(index)-r\(j)", provenance: provenance, kind: .conversation,
            payload: ["messages": [["role": "user", "content": .string("question \(index).\(j)")],
                                   ["role": "assistant", "content": .string(filler)]]],
            distributions: j == 0 ? SparseDistributions(tokens: [1, 2], topK: 2, ids: [1, 3, 2, 4], logprobs: [-0.1, -2.5, -0.2, -1.8], restMass: [0.01, 0.02]) : nil)
    }
    let rejection = RejectedRecord(key: "u\(index)-x", provenance: provenance, check: "dedup.exact",
                                   reason: "same as u\(index)-r0", payload: ["text": .string(filler)])
    return (records, [rejection])
}

enum RetortStoreTortureShape {
    static let recordsPerUnit = 60
}

do {
    let store = try RunStore(runDirectory: arguments[1])
    try store.setStageTotal(stage: "torture", units: first + count)
    for index in first..<(first + count) {
        let output = unitOutput(index)
        try store.commit(stage: "torture", unit: "u\(index)", records: output.records, rejections: output.rejections)
        FileHandle.standardOutput.write(Data("committed u\(index)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("error: \(error.localizedDescription)\n".utf8))
    exit(2)
}
