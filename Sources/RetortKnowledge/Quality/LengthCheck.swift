// Rejects text that is too short or too long, in characters or in words. Self-Instruct drops
// instructions with ≤ 3 or > 150 words (`len(inst.split())`): LengthCheck.selfInstruct.

public struct LengthCheck: QualityCheck {
    public static let checkName = "length"

    public enum Unit: String, Sendable, Hashable {
        /// Characters as a person counts them (extended grapheme clusters: one emoji is one).
        case characters
        /// Runs of characters other than Unicode whitespace, as Python's str.split() counts words.
        case words
    }

    public let unit: Unit
    public let minimum: Int
    public let maximum: Int

    /// Keeps text whose length in `unit` is within minimum...maximum.
    public init(unit: Unit, minimum: Int = 0, maximum: Int = .max) throws(QualityConfigurationError) {
        guard minimum >= 0, minimum <= maximum else {
            throw QualityConfigurationError(
                setting: "length bounds", "minimum \(minimum) and maximum \(maximum) \(unit.rawValue) need 0 ≤ minimum ≤ maximum")
        }
        self.init(validated: unit, minimum, maximum)
    }

    private init(validated unit: Unit, _ minimum: Int, _ maximum: Int) {
        self.unit = unit
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Self-Instruct's rule: more than 3 and at most 150 words.
    public static let selfInstruct = LengthCheck(validated: .words, 4, 150)

    public var name: String { Self.checkName }

    public func check(_ text: String) -> QualityVerdict {
        // Count no further than needed: a huge text is decided at maximum + 1.
        let limit = maximum == .max ? Int.max : maximum + 1
        let length = unit == .characters ? countCharacters(text, upTo: limit) : countWords(text, upTo: limit)
        if length < minimum {
            return .reject(check: name, reason: "\(length) \(unit.rawValue), fewer than the minimum \(minimum)")
        }
        if length > maximum {
            return .reject(check: name, reason: "more than the maximum \(maximum) \(unit.rawValue)")
        }
        return .keep
    }

    private func countCharacters(_ text: String, upTo limit: Int) -> Int {
        var count = 0
        for _ in text {
            count += 1
            if count >= limit { break }
        }
        return count
    }

    private func countWords(_ text: String, upTo limit: Int) -> Int {
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                inWord = false
            } else if !inWord {
                inWord = true
                count += 1
                if count >= limit { break }
            }
        }
        return count
    }
}
