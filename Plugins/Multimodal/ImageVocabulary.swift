// The closed vocabulary the grounding filter and the evaluator check answers with: colors and the
// object nouns of simple drawn scenes and charts. A word outside it is never judged, so answers
// may say "picture" or "background"; a listed color or object must be in the annotations.
enum ImageVocabulary {
    static let colors: Set<String> = [
        "red", "green", "blue", "yellow", "orange", "purple", "violet", "pink", "brown", "black", "white", "gray",
        "cyan", "magenta", "turquoise", "gold", "silver", "beige", "maroon", "navy", "teal",
    ]

    /// Spellings that name the same color.
    static let colorSynonyms: [String: String] = ["grey": "gray", "violet": "purple"]

    static let objects: Set<String> = [
        "circle", "square", "triangle", "rectangle", "star", "heart", "oval", "diamond", "hexagon", "pentagon", "cube",
        "sphere", "ball", "bar", "line", "arrow", "axis", "dot", "ring", "house", "roof", "door", "window", "wall",
        "sun", "moon", "cloud", "tree", "grass", "flower", "car", "bus", "truck", "bicycle", "person", "man", "woman",
        "child", "dog", "cat", "bird", "horse", "boat", "road", "river", "mountain", "lamp", "pole", "light",
        "chart", "graph", "table", "chair", "bottle", "cup", "apple", "banana", "book", "clock", "phone", "fence",
    ]

    static let numbers: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "single": 1, "pair": 2,
    ]

    /// Lowercase words (letters and digits), in order.
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// "triangles" → "triangle", "boxes" → "box", "buses" → "bus"; other words unchanged.
    static func singular(_ word: String) -> String {
        if objects.contains(word) { return word }
        for (suffix, replacement) in [("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("ses", "s"), ("ies", "y"), ("s", "")]
        where word.hasSuffix(suffix) && word.count > suffix.count + 2 {
            let stem = String(word.dropLast(suffix.count)) + replacement
            if objects.contains(stem) { return stem }
        }
        if word == "men" { return "man" }
        if word == "women" { return "woman" }
        if word == "children" { return "child" }
        return word
    }

    static func color(_ word: String) -> String? {
        let name = colorSynonyms[word] ?? word
        return colors.contains(name) || colors.contains(word) ? name : nil
    }

    /// A number word or a small integer written in digits.
    static func count(_ word: String) -> Int? {
        if let n = numbers[word] { return n }
        if word.count <= 3, let n = Int(word) { return n }
        return nil
    }

    static let sizes: Set<String> = ["small", "large", "big", "tiny", "little", "tall", "short", "same", "identical", "other", "more"]

    /// The noun a count at `index` counts: the next word after at most two color or size words
    /// ("three green triangles", "2 small red circles"), singular; nil for "one of", "two shapes and…".
    static func countedNoun(after index: Int, in words: [String]) -> String? {
        var i = index + 1
        var skipped = 0
        while i < words.count, skipped < 2, color(words[i]) != nil || sizes.contains(words[i]) {
            i += 1
            skipped += 1
        }
        return i < words.count ? singular(words[i]) : nil
    }
}
