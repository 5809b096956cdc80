// How a SentencePiece-style vocabulary (Llama 2, Mistral) spells text: spaces are written as
// "▁" (U+2581), a "▁" is put before the text so that a word at the start is spelled as one after a
// space, and characters outside the vocabulary become <0xXX> byte tokens. The variants differ only
// in where that prefix goes, so that is all this records.

public struct SentencePieceOptions: Sendable, Hashable {
    /// The character spaces are written as.
    public static let space: Unicode.Scalar = "\u{2581}"

    public enum SpacePrefix: Sendable, Hashable {
        /// Every plain-text segment (the text between added tokens) gets a "▁": llama.cpp with
        /// add_space_prefix, and tokenizer.json's normalizer Prepend("▁").
        case everySegment
        /// Each segment that does not already start with a space: Metaspace prepend_scheme "always".
        case everySegmentNotStartingWithSpace
        /// Only the segment at the very start of the text, unless it starts with a space:
        /// Metaspace prepend_scheme "first".
        case textStartNotStartingWithSpace
        /// No prefix (add_space_prefix false, prepend_scheme "never").
        case none
    }

    public var spacePrefix: SpacePrefix
    /// Decoding drops one space at the start of the text: the one the prefix added.
    public var stripsLeadingSpace: Bool
    /// Runs of characters that fall back to the unknown token give one unknown token
    /// (tokenizer.json's `fuse_unk`).
    public var fusesUnknown: Bool

    public init(spacePrefix: SpacePrefix, stripsLeadingSpace: Bool, fusesUnknown: Bool = false) {
        self.spacePrefix = spacePrefix
        self.stripsLeadingSpace = stripsLeadingSpace
        self.fusesUnknown = fusesUnknown
    }

    /// A space, or the "▁" it is written as (Metaspace checks the text after replacing spaces).
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == space }

    /// Whether a plain-text segment gets a "▁" in front.
    func prefixes(segmentStartsText: Bool, firstScalar: Unicode.Scalar) -> Bool {
        switch spacePrefix {
        case .everySegment: true
        case .everySegmentNotStartingWithSpace: !Self.isSpace(firstScalar)
        case .textStartNotStartingWithSpace: segmentStartsText && !Self.isSpace(firstScalar)
        case .none: false
        }
    }
}
