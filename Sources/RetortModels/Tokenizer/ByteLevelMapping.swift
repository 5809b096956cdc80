// GPT-2's byte ↔ unicode mapping: byte-level BPE vocabularies spell each byte as a printable
// character (printable Latin-1 bytes as themselves, the rest as U+0100 onwards, e.g. space → "Ġ").
enum ByteLevelMapping {
    /// The character standing for each byte, indexed by byte value.
    static let byteToScalar: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte a character stands for, or nil if it is not one of the 256 byte characters.
    static let scalarToByte: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (byte, scalar) in byteToScalar.enumerated() { map[scalar.value] = UInt8(byte) }
        return map
    }()

    /// The byte-level spelling of raw bytes, as vocabularies store it.
    static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var view = String.UnicodeScalarView()
        for byte in bytes { view.append(byteToScalar[Int(byte)]) }
        return String(view)
    }

    /// The raw bytes a byte-level token spells; characters outside the mapping stand for their
    /// own UTF-8 bytes (as the Hugging Face ByteLevel decoder treats them).
    static func decode(_ token: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            if let byte = scalarToByte[scalar.value] {
                bytes.append(byte)
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }
}
