// Deterministic synthetic instructions for the novelty benchmark and tests: a small grammar
// (opener + task template + constraint + audience, filled from word lists) in the style of
// Self-Instruct's machine-generated tasks, with near-duplicates planted the way a teacher repeats
// itself — an earlier instruction re-cased, re-punctuated, with a word dropped, added or swapped.
// The same seed always gives the same list.

public enum SyntheticInstructions {
    /// `count` instructions; about `nearDuplicateRate` of them are perturbed copies of earlier ones.
    public static func generate(count: Int, seed: UInt64 = 2023, nearDuplicateRate: Double = 0.15) -> [String] {
        var random = SplitMix64(seed: seed)
        var result: [String] = []
        result.reserveCapacity(max(0, count))
        for _ in 0..<max(0, count) {
            if !result.isEmpty, random.unit() < nearDuplicateRate {
                let original = result[random.below(result.count)]
                result.append(perturb(original, &random))
            } else {
                result.append(fresh(&random))
            }
        }
        return result
    }

    static func fresh(_ random: inout SplitMix64) -> String {
        var parts: [String] = []
        if random.unit() < 0.3 { parts.append(random.pick(openers)) }
        parts.append(fill(random.pick(tasks), &random))
        // Most teacher instructions chain two steps; a single step is where templates collide.
        if random.unit() < compoundRate {
            parts.append(random.pick(joiners))
            parts.append(fill(random.pick(tasks), &random))
        }
        if random.unit() < 0.6 { parts.append(fillConstraint(&random)) }
        if random.unit() < 0.4 { parts.append(fillAudience(&random)) }
        let sentence = parts.joined(separator: " ")
        return sentence.prefix(1).uppercased() + sentence.dropFirst() + random.pick([".", ".", ".", "?", "!"])
    }

    private static func fillConstraint(_ random: inout SplitMix64) -> String { fill(random.pick(constraints), &random) }

    private static func fill(_ template: String, _ random: inout SplitMix64) -> String {
        var text = template
        for (slot, words) in slots {
            while let range = text.range(of: slot) { text.replaceSubrange(range, with: random.pick(words)) }
        }
        return text
    }

    private static func fillAudience(_ random: inout SplitMix64) -> String {
        var text = random.pick(audiences)
        while let range = text.range(of: "{role}") { text.replaceSubrange(range, with: random.pick(roles)) }
        return text
    }

    /// One or two edits of the kind that keep ROUGE-L high.
    static func perturb(_ text: String, _ random: inout SplitMix64) -> String {
        var words = text.split(separator: " ").map(String.init)
        for _ in 0..<(1 + random.below(2)) {
            switch random.below(5) {
            case 0: words = words.map { random.unit() < 0.3 ? $0.uppercased() : $0.lowercased() }
            case 1: if words.count > 4 { words.remove(at: random.below(words.count)) }
            case 2: words.insert(random.pick(fillers), at: random.below(words.count + 1))
            case 3: if !words.isEmpty { words[random.below(words.count)] = random.pick(nouns) }
            default: if let last = words.popLast() { words.append(String(last.dropLast()) + random.pick(["", "!", "?", "...", " please."])) }
            }
        }
        return words.joined(separator: " ")
    }

    static let compoundRate = 0.9
    static let joiners = ["and then", "and", "then", "after that,", "and also", "before you"]
    static let openers = [
        "Please", "Could you", "I need you to", "Can you", "Help me", "Try to", "Your task is to", "Kindly",
        "Now", "For this task,",
    ]
    static let tasks = [
        "write a {form} about {adj} {noun}", "explain how {noun} affects {noun2}", "list {num} facts about {adj} {noun}",
        "summarize the history of {noun} in {place}", "compare {adj} {noun} with {adj2} {noun2}",
        "describe a day in the life of a {role} in {place}", "give {num} tips for a {role} who works with {noun}",
        "classify the following {noun} as {adj} or {adj2}", "translate a sentence about {noun} into {language}",
        "suggest a name for a {adj} {noun} shop in {place}", "write an email to a {role} about {adj} {noun}",
        "create a quiz with {num} questions on {noun}", "plan a {num}-day trip to {place} focused on {noun}",
        "argue for and against banning {adj} {noun}", "invent a recipe that uses {noun} and {noun2}",
        "outline a lesson about {noun} for {role}s", "design a board game based on {adj} {noun}",
        "rewrite this {form} so that it mentions {noun}", "find the odd one out: {noun}, {noun2}, {noun3}",
        "estimate how many {noun} fit inside a {noun2}", "write a dialogue between a {role} and a {role2} about {noun}",
        "propose {num} research questions on {adj} {noun}", "draft a tweet announcing {adj} {noun} in {place}",
        "describe the smell of {adj} {noun}", "tell a joke about a {role} and {noun}",
        "explain why {noun} is {adj}", "convert a {form} about {noun} into a {form2}",
        "rank {noun}, {noun2} and {noun3} by {measure}", "write a product review of {adj} {noun}",
        "generate {num} slogans for {adj} {noun}", "identify the main risk of {noun} for a {role}",
    ]
    static let constraints = [
        "in {num} sentences", "using simple words", "without using the letter e", "in the style of {author}",
        "as a numbered list", "in under {count} words", "with a surprising ending", "in {language}",
        "using a formal tone", "with at least one rhyme", "from the point of view of {noun}", "as a table",
        "mentioning {place} twice", "in the second person", "with an example about {noun2}",
    ]
    static let audiences = [
        "for a {role}", "for a curious child", "for someone new to the topic", "for experts", "for a {role} in training",
        "for readers of a local newspaper",
    ]
    static let fillers = ["please", "briefly", "now", "also", "carefully", "quickly", "really", "just"]
    static let forms = [
        "poem", "haiku", "limerick", "short story", "essay", "song", "fable", "speech", "letter", "riddle", "sonnet",
        "news report", "diary entry", "screenplay", "blog post",
    ]
    static let adjectives = [
        "ancient", "bright", "broken", "calm", "cheap", "clever", "cold", "crowded", "curious", "dangerous", "dark",
        "digital", "dry", "electric", "empty", "endless", "fragile", "frozen", "gentle", "giant", "golden", "green",
        "hidden", "hollow", "honest", "huge", "invisible", "lazy", "local", "lonely", "loud", "magnetic", "modern",
        "mysterious", "narrow", "noisy", "orange", "organic", "polite", "purple", "quiet", "rare", "rusty", "salty",
        "secret", "silent", "silver", "smart", "soft", "solar", "sour", "spicy", "strange", "sweet", "tiny",
        "toxic", "urban", "vintage", "warm", "wild", "wooden", "young",
    ]
    static let nouns = [
        "apples", "bridges", "bicycles", "bees", "books", "bread", "cameras", "castles", "cats", "clouds", "coffee",
        "comets", "computers", "coral", "deserts", "dinosaurs", "dolphins", "dragons", "drums", "elections",
        "elevators", "engines", "farms", "forests", "fungi", "galaxies", "gardens", "glaciers", "guitars",
        "hospitals", "islands", "jazz", "kites", "ladders", "lanterns", "libraries", "lighthouses", "magnets",
        "markets", "mirrors", "mountains", "museums", "mushrooms", "oceans", "owls", "paintings", "passwords",
        "pianos", "pirates", "planets", "pottery", "rainbows", "rivers", "robots", "rockets", "satellites",
        "schools", "seeds", "ships", "shoes", "spiders", "stadiums", "statues", "storms", "submarines", "taxes",
        "tea", "telescopes", "tides", "tigers", "trains", "tulips", "umbrellas", "vaccines", "violins", "volcanoes",
        "wallets", "waterfalls", "whales", "windmills", "wolves", "zebras", "algorithms", "batteries", "cheese",
        "chess", "diamonds", "earthquakes", "feathers", "fireworks", "fossils", "honey", "insurance", "jellyfish",
        "maps", "nurses", "orchestras", "parrots", "puzzles", "quilts", "recycling", "sandwiches", "sleep",
        "snowflakes", "soap", "sunflowers", "tornadoes", "traffic", "tunnels", "vinegar", "weddings", "yoga",
    ]
    static let roles = [
        "teacher", "nurse", "pilot", "farmer", "chef", "lawyer", "student", "plumber", "astronaut", "librarian",
        "firefighter", "programmer", "gardener", "journalist", "baker", "dentist", "sailor", "coach", "tailor",
        "judge", "musician", "scientist", "shopkeeper", "translator",
    ]
    static let places = [
        "Paris", "Lagos", "Kyoto", "Lima", "Oslo", "Cairo", "Denver", "Mumbai", "Quebec", "Nairobi", "Hanoi",
        "Seville", "Reykjavik", "Tasmania", "Patagonia", "the Alps", "the Sahara", "a small village", "a space station",
        "the Arctic",
    ]
    static let languages = ["French", "Spanish", "German", "Swahili", "Japanese", "Portuguese", "Italian", "Dutch"]
    static let authors = ["Shakespeare", "Hemingway", "Dr. Seuss", "Jane Austen", "Tolkien", "a sports commentator"]
    static let numbers = ["two", "three", "four", "five", "six", "seven", "eight", "ten", "twelve"]
    static let counts = ["20", "30", "50", "80", "100", "150"]
    static let measures = ["size", "price", "age", "popularity", "speed", "weight", "usefulness"]

    static let slots: [(String, [String])] = [
        ("{form2}", forms), ("{form}", forms), ("{adj2}", adjectives), ("{adj}", adjectives), ("{noun3}", nouns),
        ("{noun2}", nouns), ("{noun}", nouns), ("{role2}", roles), ("{role}", roles), ("{place}", places),
        ("{language}", languages), ("{author}", authors), ("{num}", numbers), ("{count}", counts),
        ("{measure}", measures),
    ]
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator whose sequence is the same
/// everywhere, so generated data is reproducible.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return StableHash.mix(state)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Uniform in 0..<bound (bound > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
