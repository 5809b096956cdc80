// A copy of the student's trainable weights before any training, so a distill stage with
// `from: initial` starts from the un-distilled student even after other stages changed it in
// this process (a resumed process loads the student afresh, which is the same weights).
import RetortModels
import RetortTensor

struct InitialWeights {
    private let saved: [(parameter: TrainableParameter, values: [Float])]

    init(_ model: LlamaModel) {
        saved = model.trainableParameters.map { ($0, $0.value.toArray()) }
    }

    func restore() throws {
        for (parameter, values) in saved { try parameter.value.load(values) }
    }
}
