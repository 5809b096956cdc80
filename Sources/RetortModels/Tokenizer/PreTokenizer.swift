// Pre-tokenization: splitting text into the pieces BPE merges within. A pre-tokenizer is a
// sequence of steps, each splitting every piece the previous step produced (as the Hugging Face
// `Sequence` pre-tokenizer does). Presets cover the llama.cpp pre-types of the common families.

public struct PreTokenizer: Sendable, Hashable {
    /// The split patterns this code implements as hand-written scanners (see PreTokenizerScanner).
    public enum Pattern: String, Sendable, Hashable, CaseIterable {
        /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
        case gpt2
        /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
        case llama3
        /// The llama3 pattern with `\p{N}` (single digits) in place of `\p{N}{1,3}`.
        case qwen2
    }

    public enum Step: Sendable, Hashable {
        /// Digits split off: each numeric scalar alone (`individual`) or runs of them.
        case digits(individual: Bool)
        /// Split by a regular-expression pattern, every match its own piece.
        case pattern(Pattern)
    }

    public var steps: [Step]

    public init(steps: [Step]) { self.steps = steps }

    /// GPT-2's ByteLevel split.
    public static let gpt2 = PreTokenizer(steps: [.pattern(.gpt2)])
    /// llama.cpp `smollm` (also starcoder, refact, command-r, codeshell): `\p{N}` then the GPT-2
    /// pattern, i.e. Hugging Face Sequence[Digits(individual_digits), ByteLevel].
    public static let smollm = PreTokenizer(steps: [.digits(individual: true), .pattern(.gpt2)])
    public static let llama3 = PreTokenizer(steps: [.pattern(.llama3)])
    public static let qwen2 = PreTokenizer(steps: [.pattern(.qwen2)])

    /// The preset for a GGUF `tokenizer.ggml.pre` name, or nil for one not implemented here.
    public init?(ggufPreType name: String) {
        switch name {
        case "default", "gpt2", "gpt-2", "mpt", "olmo", "jais": self = .gpt2
        case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva": self = .smollm
        case "llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral": self = .llama3
        case "qwen2", "stablelm2", "deepseek-r1-qwen", "hunyuan", "megrez": self = .qwen2
        default: return nil
        }
    }

    /// The pieces of `text`, in order; their concatenation is `text`.
    public func split(_ text: String) -> [Substring] {
        let scalars = Array(text.unicodeScalars)
        var indices: [String.Index] = []
        indices.reserveCapacity(scalars.count + 1)
        var index = text.unicodeScalars.startIndex
        for _ in scalars {
            indices.append(index)
            index = text.unicodeScalars.index(after: index)
        }
        indices.append(text.endIndex)
        return pieceRanges(scalars).map { text[indices[$0.lowerBound]..<indices[$0.upperBound]] }
    }

    /// The pieces as ranges of scalar offsets into `scalars`.
    func pieceRanges(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        guard !scalars.isEmpty else { return [] }
        let classes = scalars.map(ScalarClass.init)
        var pieces = [0..<scalars.count]
        for step in steps {
            var next: [Range<Int>] = []
            next.reserveCapacity(pieces.count * 2)
            for piece in pieces {
                switch step {
                case .digits(let individual):
                    PreTokenizerScanner.splitDigits(classes, piece, individual: individual, into: &next)
                case .pattern(let pattern):
                    PreTokenizerScanner(scalars: scalars, classes: classes, pattern: pattern)
                        .split(piece, into: &next)
                }
            }
            pieces = next
        }
        return pieces
    }
}
