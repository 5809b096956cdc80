// The binary form of one record's sparse teacher distributions, shared by the run store's
// `distributions` column and the `distributions` export file. Little-endian:
//
//     u32 positions (token count) · u32 top-k
//     i32 tokens[positions] · i32 ids[positions × k] · f32 logprobs[positions × k] · f32 rest[positions]
//
// Log-probabilities stay float32: the file then holds exactly what the teacher gave and the store
// kept, so a training run on the export matches one on the store bit for bit. Float16 would save a
// quarter of the size but rounds a tail log-probability near −20 by up to 1/64 nat.
import Foundation
import RetortModels

enum SparseDistributionsCoding {
    /// Version byte of the store's column blob; the export file versions its own header.
    static let blobVersion: UInt8 = 1
    /// Log-probabilities computed in float32 can land a hair above 0 for a certain token.
    static let logprobTolerance: Float = 1e-4

    /// What is wrong with `d` (shapes, then values), or nil. Writers refuse what readers would.
    static func problem(in d: SparseDistributions) -> String? {
        do { try d.validate() } catch { return error.message }
        guard d.positions <= Int(UInt32.max), d.topK <= Int(UInt32.max) else { return "\(d.positions) positions × top-\(d.topK) is too large" }
        if let i = d.tokens.firstIndex(where: { $0 < 0 }) { return "token \(i) is \(d.tokens[i]); ids are never negative" }
        if let i = d.ids.firstIndex(where: { $0 < 0 }) { return "id \(i) is \(d.ids[i]); ids are never negative" }
        if let i = d.logprobs.firstIndex(where: { !logprobIsValid($0) }) {
            return "log-probability \(i) is \(d.logprobs[i]); expected a number ≤ 0"
        }
        if let i = d.restMass.firstIndex(where: { !restMassIsValid($0) }) {
            return "rest mass \(i) is \(d.restMass[i]); expected a number in [0, 1]"
        }
        return nil
    }

    static func logprobIsValid(_ x: Float) -> Bool { !x.isNaN && x <= logprobTolerance }
    static func restMassIsValid(_ x: Float) -> Bool { x >= 0 && x <= 1 }

    /// Appends the body; `d` must have passed `problem(in:)`.
    static func append(_ d: SparseDistributions, to writer: inout ByteWriter) {
        writer.append(UInt32(d.positions))
        writer.append(UInt32(d.topK))
        writer.append(d.tokens)
        writer.append(d.ids)
        writer.append(d.logprobs)
        writer.append(d.restMass)
    }

    /// Reads and checks one body; errors carry the offset of the offending byte.
    static func read(from reader: inout ByteReader) throws(ByteReadError) -> SparseDistributions {
        let countOffset = reader.offset
        let positions = Int(try reader.readUInt32("the token count"))
        let topKOffset = reader.offset
        let topK = Int(try reader.readUInt32("the top-k"))
        guard topK >= 1 else { throw reader.error("top-k is 0; it must be at least 1", at: topKOffset) }
        let cells = try ByteReader.byteCount(positions, topK, what: "\(positions) positions × top-\(topK)", reader: reader)
        // Check the whole body fits before allocating anything a damaged count asks for.
        // (ids and log-probabilities take 8 bytes per cell, tokens and rest masses 8 per position;
        // cells is compared first so the sum cannot overflow)
        guard cells <= reader.remaining / 8, 8 * cells + 8 * positions <= reader.remaining else {
            let needed = Double(cells) * 8 + Double(positions) * 8
            throw reader.error("truncated inside the distributions of \(positions) tokens × top-\(topK): \(String(format: "%.0f", needed)) bytes needed, \(reader.remaining) left", at: countOffset)
        }

        let tokensOffset = reader.offset
        let tokens = try reader.readInt32s(positions, "the tokens")
        if let i = tokens.firstIndex(where: { $0 < 0 }) {
            throw reader.error("token \(i) is \(tokens[i]); ids are never negative", at: tokensOffset + 4 * i)
        }
        let idsOffset = reader.offset
        let ids = try reader.readInt32s(cells, "the top-k ids")
        if let i = ids.firstIndex(where: { $0 < 0 }) {
            throw reader.error("top-k id \(i) is \(ids[i]); ids are never negative", at: idsOffset + 4 * i)
        }
        let logprobsOffset = reader.offset
        let logprobs = try reader.readFloats(cells, "the log-probabilities")
        if let i = logprobs.firstIndex(where: { !logprobIsValid($0) }) {
            throw reader.error("log-probability \(i) is \(logprobs[i]); expected a number ≤ 0", at: logprobsOffset + 4 * i)
        }
        let restOffset = reader.offset
        let rest = try reader.readFloats(positions, "the rest masses")
        if let i = rest.firstIndex(where: { !restMassIsValid($0) }) {
            throw reader.error("rest mass \(i) is \(rest[i]); expected a number in [0, 1]", at: restOffset + 4 * i)
        }
        return SparseDistributions(tokens: tokens, topK: topK, ids: ids, logprobs: logprobs, restMass: rest)
    }

    /// The store column's value: a version byte, then the body.
    static func blob(_ d: SparseDistributions) -> Data {
        var writer = ByteWriter()
        writer.append(bytes: [blobVersion])
        append(d, to: &writer)
        return Data(writer.bytes)
    }

    static func decodeBlob(_ data: Data) throws(ByteReadError) -> SparseDistributions {
        var reader = ByteReader([UInt8](data))
        let version = try reader.readBytes(1, "the version byte").first!
        guard version == blobVersion else {
            throw reader.error("distributions blob version \(version) is unknown (this Retort reads \(blobVersion))", at: 0)
        }
        let d = try read(from: &reader)
        guard reader.isAtEnd else { throw reader.error("\(reader.remaining) bytes follow the distributions") }
        return d
    }
}
