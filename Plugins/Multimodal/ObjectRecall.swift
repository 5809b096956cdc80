// The `object-recall` evaluator: how much of what the image holds a prediction mentions. The
// reference lists the image's objects ("red circle, blue square", one per line or comma-separated,
// as a seed item's labels); object recall is the share whose noun the prediction names, color
// recall the share whose color it names too. A coarse, lexical stand-in for the object-coverage
// part of caption metrics such as CHAIR (Rohrbach et al., 2018).
import RetortPluginSDK

enum ObjectRecall {
    static func score(reference: String, prediction: String) throws -> [String: Double] {
        let labels = reference.split { $0 == "\n" || $0 == "," || $0 == ";" }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !labels.isEmpty else {
            throw PluginFailure.invalidArgument("the reference is empty; give the image's objects, e.g. \"red circle, blue square\"")
        }
        let said = ImageVocabulary.words(prediction)
        let nouns = Set(said.map(ImageVocabulary.singular))
        var named = 0
        var colored = 0
        for label in labels {
            let words = ImageVocabulary.words(label)
            guard let noun = words.last.map(ImageVocabulary.singular) else { continue }
            guard nouns.contains(noun) else { continue }
            named += 1
            // The color counts when it appears within three words before the noun.
            let color = words.compactMap(ImageVocabulary.color).first
            if let color, said.indices.contains(where: { i in
                ImageVocabulary.singular(said[i]) == noun && said[max(0, i - 3)..<i].contains { ImageVocabulary.color($0) == color }
            }) {
                colored += 1
            } else if color == nil {
                colored += 1
            }
        }
        let total = Double(labels.count)
        return ["object_recall": Double(named) / total, "color_recall": Double(colored) / total]
    }
}
