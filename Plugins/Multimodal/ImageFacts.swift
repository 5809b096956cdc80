// What an image's annotations say, in the terms answers are checked in: the colors, the object
// nouns (from categories, labels and captions) and how many objects of each kind there are.
import RetortPluginSDK

struct ImageFacts: Sendable {
    var colors: Set<String> = []
    var objects: Set<String> = []
    /// Object noun → how many annotated objects it names.
    var counts: [String: Int] = [:]
    var captions: [String] = []

    /// From {"captions": [...], "objects": [{"label"?, "category"?, "color"?, "bbox"}]}, as the
    /// engine passes an image record's annotations; nil when there are none to check against.
    init?(_ annotations: JSONValue?) {
        guard let annotations, annotations.objectValue != nil else { return nil }
        captions = annotations["captions"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let listed = annotations["objects"]?.arrayValue ?? []
        guard !captions.isEmpty || !listed.isEmpty else { return nil }
        for text in captions { learn(text) }
        for object in listed {
            let name = object["category"]?.stringValue ?? object["label"]?.stringValue ?? ""
            learn(name)
            learn(object["label"]?.stringValue ?? "")
            if let color = object["color"]?.stringValue.flatMap({ ImageVocabulary.color($0.lowercased()) }) { colors.insert(color) }
            // A multi-word category ("traffic light") is counted under its last word.
            if let noun = ImageVocabulary.words(name).last.map(ImageVocabulary.singular), ImageVocabulary.objects.contains(noun) {
                counts[noun, default: 0] += 1
            }
        }
    }

    private mutating func learn(_ text: String) {
        for word in ImageVocabulary.words(text) {
            if let color = ImageVocabulary.color(word) { colors.insert(color) }
            let noun = ImageVocabulary.singular(word)
            if ImageVocabulary.objects.contains(noun) { objects.insert(noun) }
        }
    }

    /// True when a caption says "<count> … <noun>" itself, so the captions' counts are accepted too.
    func captionsSay(_ count: Int, _ noun: String) -> Bool {
        captions.contains { caption in
            let words = ImageVocabulary.words(caption)
            return words.indices.contains { i in
                ImageVocabulary.count(words[i]) == count && ImageVocabulary.countedNoun(after: i, in: words) == noun
            }
        }
    }
}
