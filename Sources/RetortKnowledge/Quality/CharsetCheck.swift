// Rejects text that is not clean text in the expected script: Unicode replacement characters
// (U+FFFD, what invalid UTF-8 becomes when decoded), control characters other than tab, line
// feed and carriage return, and text where too few characters belong to the allowed set
// (e.g. an English dataset receiving mojibake or another language).

public struct CharsetCheck: QualityCheck {
    public static let checkName = "charset"

    /// Which characters count as allowed; a character is allowed when all its scalars are.
    public struct Allowed: Sendable {
        public let description: String
        public let contains: @Sendable (Unicode.Scalar) -> Bool

        public init(_ description: String, contains: @escaping @Sendable (Unicode.Scalar) -> Bool) {
            self.description = description
            self.contains = contains
        }

        /// Printable ASCII.
        public static let printableASCII = Allowed("printable ASCII") { (0x20...0x7E).contains($0.value) }

        /// Printable ASCII, Latin-1 and Latin Extended-A/B letters, combining accents, and the
        /// typographic punctuation of Western text (quotes, dashes, ellipsis, bullets, €).
        public static let latin = Allowed("Latin script") { scalar in
            switch scalar.value {
            case 0x20...0x7E, 0xA0...0x24F, 0x300...0x36F, 0x2010...0x2027, 0x2030...0x205E, 0x20AC: true
            default: false
            }
        }

        /// Any letter, mark, number, punctuation, symbol (emoji included) or space, plus the
        /// joiners and variation selectors inside emoji sequences; not unassigned, private-use or
        /// control characters.
        public static let anyScript = Allowed("any script") { scalar in
            switch scalar.properties.generalCategory {
            case .control, .privateUse, .surrogate, .unassigned, .lineSeparator, .paragraphSeparator: false
            case .format: scalar.value == 0x200D || scalar.value == 0x200C || (0xE0020...0xE007F).contains(scalar.value)
            default: true
            }
        }
    }

    public let allowed: Allowed
    /// The smallest fraction of non-whitespace characters that must be allowed.
    public let minimumFraction: Double

    public init(allowed: Allowed = .anyScript, minimumFraction: Double = 0.95) throws(QualityConfigurationError) {
        guard minimumFraction >= 0, minimumFraction <= 1 else {
            throw QualityConfigurationError(setting: "charset minimum fraction", "\(minimumFraction) is outside [0, 1]")
        }
        self.allowed = allowed
        self.minimumFraction = minimumFraction
    }

    public var name: String { Self.checkName }

    public func check(_ text: String) -> QualityVerdict {
        var offset = 0
        for scalar in text.unicodeScalars {
            if scalar.value == 0xFFFD {
                return .reject(
                    check: name,
                    reason: "replacement character U+FFFD at scalar \(offset): the text was decoded from invalid UTF-8")
            }
            if scalar.properties.generalCategory == .control, scalar != "\n", scalar != "\t", scalar != "\r" {
                return .reject(check: name, reason: "control character \(Self.codePoint(scalar)) at scalar \(offset)")
            }
            offset += 1
        }
        var counted = 0
        var accepted = 0
        for character in text where !character.isWhitespace {
            counted += 1
            if character.unicodeScalars.allSatisfy(allowed.contains) { accepted += 1 }
        }
        if counted == 0 { return .keep }
        let fraction = Double(accepted) / Double(counted)
        if fraction < minimumFraction {
            let percent = (fraction * 1000).rounded(.down) / 10
            return .reject(
                check: name,
                reason: "\(percent)% of \(counted) characters are \(allowed.description), below the minimum \(minimumFraction * 100)%")
        }
        return .keep
    }

    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
