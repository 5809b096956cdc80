// Seeded mutations for the fuzz tests of the tokenizer.json, safetensors, config.json and chat-template
// readers: bit flips, random bytes, truncation, splices from other inputs, deleted and duplicated
// runs, 0x00/0xFF runs, numbers rewritten to extremes (huge counts, negatives, overflowing values) and
// tokens of the format inserted. The default iteration counts keep each test to a few seconds in a
// debug build; set RETORT_FUZZ_ITERATIONS to run every fuzz test that many cases instead.
import Foundation

struct FuzzMutator {
    var random: GGUFFuzzRandom
    /// Tokens of the format under test (JSON punctuation, Jinja tag delimiters, …) to insert.
    let dictionary: [[UInt8]]

    init(seed: UInt64, dictionary: [String] = []) {
        random = GGUFFuzzRandom(state: seed)
        self.dictionary = dictionary.map { Array($0.utf8) }
    }

    /// RETORT_FUZZ_ITERATIONS when set to a positive number, else `defaultCount`.
    static func iterations(default defaultCount: Int) -> Int {
        guard let text = ProcessInfo.processInfo.environment["RETORT_FUZZ_ITERATIONS"], let n = Int(text), n > 0 else {
            return defaultCount
        }
        return n
    }

    /// Numbers a corrupted length, count or id field tends to hold.
    static let extremeNumbers = [
        "0", "-1", "1", "255", "65536", "4294967295", "4294967296", "2147483648", "9223372036854775807",
        "-9223372036854775808", "18446744073709551616", "99999999999999999999999", "1e308", "-0.5", "3.5", "NaN",
    ]

    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &random) }
    mutating func chance(_ oneIn: Int) -> Bool { int(0..<oneIn) == 0 }

    /// One to four mutations of `original`; splices take runs from `donors`.
    mutating func mutate(_ original: [UInt8], donors: [[UInt8]] = []) -> [UInt8] {
        var bytes = original
        for _ in 0..<int(1..<5) {
            let at = bytes.isEmpty ? 0 : int(0..<bytes.count)
            switch int(0..<10) {
            case 0 where !bytes.isEmpty: bytes[at] ^= UInt8(1) << UInt8(int(0..<8))
            case 1 where !bytes.isEmpty: bytes[at] = UInt8(int(0..<256))
            case 2: bytes = Array(bytes.prefix(at))
            case 3:
                let donor = donors.isEmpty || chance(3) ? bytes : donors[int(0..<donors.count)]
                bytes.insert(contentsOf: run(of: donor), at: at)
            case 4 where !bytes.isEmpty: bytes.removeSubrange(at..<min(bytes.count, at + int(1..<64)))
            case 5:
                let fill: UInt8 = chance(2) ? 0xFF : 0x00
                for i in at..<min(bytes.count, at + int(1..<9)) { bytes[i] = fill }
            case 6, 7: rewriteNumber(&bytes, near: at)
            case 8 where !dictionary.isEmpty: bytes.insert(contentsOf: dictionary[int(0..<dictionary.count)], at: at)
            default:
                // Swap two runs: reorders structure while keeping every piece well formed.
                let a = run(of: bytes)
                bytes.insert(contentsOf: a, at: bytes.isEmpty ? 0 : int(0..<bytes.count))
            }
        }
        return bytes
    }

    /// A random run of 1 to 256 bytes of `source`.
    private mutating func run(of source: [UInt8]) -> [UInt8] {
        guard !source.isEmpty else { return [] }
        let start = int(0..<source.count)
        return Array(source[start..<min(source.count, start + int(1..<257))])
    }

    /// Replaces the first run of ASCII digits at or after `at` (wrapping around) by an extreme number.
    private mutating func rewriteNumber(_ bytes: inout [UInt8], near at: Int) {
        let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
        guard let start = bytes[at...].firstIndex(where: isDigit) ?? bytes.firstIndex(where: isDigit) else { return }
        let end = bytes[start...].firstIndex { !isDigit($0) } ?? bytes.count
        let number = Self.extremeNumbers[int(0..<Self.extremeNumbers.count)]
        bytes.replaceSubrange(start..<end, with: Array(number.utf8))
    }
}
