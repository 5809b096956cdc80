// Hand-written matchers for the gpt2, llama3 and qwen2 split patterns. Each tries the pattern's
// alternatives in order at a position, with the regex's greedy-then-backtrack semantics worked
// out per alternative, and returns where the match ends. The end of a piece acts as the end of
// the text (the regex runs on each piece separately). Every scalar is a letter, number, white
// space or "other", so some alternative always matches and the pieces cover the text.

/// The Unicode classes the patterns test: `\p{L}`, `\p{N}`, `\s`, and the rest.
enum ScalarClass: UInt8 {
    case letter, number, space, other

    init(_ scalar: Unicode.Scalar) {
        if scalar.value < 128 {
            self = Self.ascii[Int(scalar.value)]
            return
        }
        self.init(classifying: scalar)
    }

    private static let ascii: [ScalarClass] = (0..<128).map { ScalarClass(classifying: Unicode.Scalar(UInt8($0))) }

    private init(classifying scalar: Unicode.Scalar) {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            self = .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            self = .number
        default:
            self = scalar.properties.isWhitespace ? .space : .other
        }
    }
}

struct PreTokenizerScanner {
    let scalars: [Unicode.Scalar]
    let classes: [ScalarClass]
    let pattern: PreTokenizer.Pattern

    /// Splits digits off a piece: each numeric scalar alone, or numeric runs.
    static func splitDigits(_ classes: [ScalarClass], _ piece: Range<Int>, individual: Bool, into out: inout [Range<Int>]) {
        var start = piece.lowerBound
        var i = piece.lowerBound
        while i < piece.upperBound {
            if classes[i] == .number {
                if start < i { out.append(start..<i) }
                var end = i + 1
                if !individual {
                    while end < piece.upperBound && classes[end] == .number { end += 1 }
                }
                out.append(i..<end)
                start = end
                i = end
            } else {
                i += 1
            }
        }
        if start < piece.upperBound { out.append(start..<piece.upperBound) }
    }

    func split(_ piece: Range<Int>, into out: inout [Range<Int>]) {
        var i = piece.lowerBound
        while i < piece.upperBound {
            let end = matchEnd(at: i, limit: piece.upperBound)
            out.append(i..<end)
            i = end
        }
    }

    private func matchEnd(at i: Int, limit: Int) -> Int {
        switch pattern {
        case .gpt2: return gpt2(at: i, limit: limit)
        case .llama3: return llamaFamily(at: i, limit: limit, maxDigits: 3)
        case .qwen2: return llamaFamily(at: i, limit: limit, maxDigits: 1)
        }
    }

    // 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
    private func gpt2(at i: Int, limit: Int) -> Int {
        if let end = contraction(at: i, limit: limit, ignoringCase: false) { return end }
        for wanted in [ScalarClass.letter, .number, .other] {
            var j = i
            if scalars[j] == " " && j + 1 < limit && classes[j + 1] == wanted { j += 1 }
            if classes[j] == wanted { return run(of: wanted, from: j, limit: limit) }
        }
        return whitespace(at: i, limit: limit)
    }

    // (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,N}| ?[^\s\p{L}\p{N}]+[\r\n]*
    // |\s*[\r\n]+|\s+(?!\S)|\s+
    private func llamaFamily(at i: Int, limit: Int, maxDigits: Int) -> Int {
        if let end = contraction(at: i, limit: limit, ignoringCase: true) { return end }
        let c = classes[i]
        if c != .letter && c != .number && !isNewline(i) && i + 1 < limit && classes[i + 1] == .letter {
            return run(of: .letter, from: i + 1, limit: limit)
        }
        if c == .letter { return run(of: .letter, from: i, limit: limit) }
        if c == .number {
            var j = i + 1
            while j < limit && j - i < maxDigits && classes[j] == .number { j += 1 }
            return j
        }
        var j = i
        if scalars[j] == " " && j + 1 < limit && classes[j + 1] == .other { j += 1 }
        if classes[j] == .other {
            j = run(of: .other, from: j, limit: limit)
            while j < limit && isNewline(j) { j += 1 }
            return j
        }
        // \s*[\r\n]+ : the whitespace run up to and including its last line break.
        let runEnd = run(of: .space, from: i, limit: limit)
        var k = runEnd - 1
        while k >= i && !isNewline(k) { k -= 1 }
        if k >= i { return k + 1 }
        return whitespace(at: i, limit: limit)
    }

    /// `\s+(?!\S)|\s+` at a white-space scalar: the run, less its last scalar when a non-space
    /// follows and the run is longer than one.
    private func whitespace(at i: Int, limit: Int) -> Int {
        guard classes[i] == .space else { return i + 1 }
        let end = run(of: .space, from: i, limit: limit)
        if end < limit && end - i >= 2 { return end - 1 }
        return end
    }

    private func run(of wanted: ScalarClass, from start: Int, limit: Int) -> Int {
        var j = start
        while j < limit && classes[j] == wanted { j += 1 }
        return j
    }

    private func isNewline(_ i: Int) -> Bool {
        scalars[i] == "\r" || scalars[i] == "\n"
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d`, optionally case-insensitive (where U+017F long s folds to s).
    private func contraction(at i: Int, limit: Int, ignoringCase: Bool) -> Int? {
        guard scalars[i] == "'", i + 1 < limit else { return nil }
        func letter(_ j: Int) -> Unicode.Scalar? {
            guard j < limit else { return nil }
            let s = scalars[j]
            guard ignoringCase else { return s }
            if s == "\u{17F}" { return "s" }
            if s.isASCII, s.properties.isUppercase { return Unicode.Scalar(s.value + 32) }
            return s
        }
        switch letter(i + 1) {
        case "s", "t", "m", "d": return i + 2
        case "r", "v": return letter(i + 2) == "e" ? i + 3 : nil
        case "l": return letter(i + 2) == "l" ? i + 3 : nil
        default: return nil
        }
    }
}
