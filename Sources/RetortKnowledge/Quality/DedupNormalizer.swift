// The normalization behind exact and near-duplicate detection. Unlike the ROUGE tokenizer it keeps
// every script: NFKC (so full-width and compatibility forms match their plain forms), lowercase,
// and words are maximal runs of letters, marks and numbers; everything else separates words.
// "Write a poem!" and "  write A poem " normalize to the same "write a poem".
import Foundation

public enum DedupNormalizer {
    /// The words of `text` after NFKC and lowercasing.
    public static func words(_ text: String) -> [String] {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            if isWordScalar(scalar) {
                current.append(scalar)
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// The words joined by single spaces: the key two texts must share to be exact duplicates.
    public static func key(_ text: String) -> String { words(text).joined(separator: " ") }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (0x61...0x7A).contains(v) || (0x30...0x39).contains(v) || (0x41...0x5A).contains(v)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}
