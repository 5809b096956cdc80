// POSIX ustar archives (IEEE 1003.1-1988 `tar`), written and read here rather than through
// /usr/bin/tar: the bundle then needs no external tool, the bytes are reproducible (fixed owner,
// modes and times, members in sorted order, so the same bundle always makes the same archive), and
// reading can refuse what a bundle never holds (links, devices, absolute or `..` paths) before
// anything touches the disk. Each member: a 512-byte header (name, octal mode/uid/gid/size/mtime,
// checksum, type '0' file or '5' folder, "ustar\0" "00", prefix for long names), then its data
// padded to 512 bytes; the archive ends with two zero blocks.
import Foundation

enum UstarArchive {
    static let blockSize = 512
    /// The largest member an 11-digit octal size field can state.
    static let maximumMemberSize: Int64 = 0o77777777777

    // MARK: Writing

    /// Writes the files of `folder` (paths relative to it, in order) under the top-level folder
    /// `root` into the archive `path`, atomically (temporary file, then rename).
    static func write(folder: String, files: [String], root: String, to path: String) throws {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: path)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid())").path
        guard fm.createFile(atPath: temporary, contents: nil), let out = FileHandle(forWritingAtPath: temporary) else {
            throw BundleError("\(path): cannot be created")
        }
        do {
            var folders: [String] = [root]
            for file in files {
                var parts = file.split(separator: "/").dropLast()
                var prefix = root
                while let part = parts.first {
                    prefix += "/" + part
                    if !folders.contains(prefix) { folders.append(prefix) }
                    parts = parts.dropFirst()
                }
            }
            for name in folders { try out.write(contentsOf: try header(name: name + "/", size: 0, mode: 0o755, type: UInt8(ascii: "5"))) }
            for file in files {
                let source = folder + "/" + file
                let size = (try fm.attributesOfItem(atPath: source)[.size] as? NSNumber)?.int64Value ?? 0
                guard size <= maximumMemberSize else { throw BundleError("\(source): \(size) bytes is more than a ustar member holds") }
                let executable = fm.isExecutableFile(atPath: source) || file.hasSuffix(".so") || file.hasSuffix(".dylib")
                try out.write(contentsOf: try header(name: root + "/" + file, size: size, mode: executable ? 0o755 : 0o644,
                                                     type: UInt8(ascii: "0")))
                guard let input = FileHandle(forReadingAtPath: source) else { throw BundleError("\(source): cannot be read") }
                defer { try? input.close() }
                var written: Int64 = 0
                while let chunk = try input.read(upToCount: FileDigest.chunkSize), !chunk.isEmpty {
                    try out.write(contentsOf: chunk)
                    written += Int64(chunk.count)
                }
                guard written == size else { throw BundleError("\(source): changed while being archived") }
                try out.write(contentsOf: Data(count: padding(Int(size))))
            }
            try out.write(contentsOf: Data(count: 2 * blockSize))
            try out.synchronize()
            try out.close()
            guard rename(temporary, path) == 0 else {
                throw BundleError("\(path): cannot be put in place: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? out.close()
            try? fm.removeItem(atPath: temporary)
            throw error
        }
    }

    static func padding(_ size: Int) -> Int { (blockSize - size % blockSize) % blockSize }

    /// The header block of one member.
    static func header(name: String, size: Int64, mode: Int, type: UInt8) throws -> Data {
        var block = [UInt8](repeating: 0, count: blockSize)
        let (prefix, shortName) = try split(name)
        func put(_ text: String, at offset: Int, width: Int) {
            for (i, byte) in text.utf8.prefix(width).enumerated() { block[offset + i] = byte }
        }
        func octal(_ value: Int64, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits, at: offset, width: width - 1)
        }
        put(shortName, at: 0, width: 100)
        octal(Int64(mode), at: 100, width: 8)
        octal(0, at: 108, width: 8)  // uid
        octal(0, at: 116, width: 8)  // gid
        octal(size, at: 124, width: 12)
        octal(0, at: 136, width: 12)  // mtime: fixed, so archives are reproducible
        put("        ", at: 148, width: 8)  // checksum field counts as spaces while summing
        block[156] = type
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        put("retort", at: 265, width: 32)
        put("retort", at: 297, width: 32)
        put(prefix, at: 345, width: 155)
        let sum = block.reduce(0) { $0 + Int($1) }
        let digits = String(sum, radix: 8)
        put(String(repeating: "0", count: max(0, 6 - digits.count)) + digits, at: 148, width: 6)
        block[154] = 0
        block[155] = UInt8(ascii: " ")
        return Data(block)
    }

    /// A path as (prefix, name): names longer than 100 bytes split at a "/" into a prefix of at
    /// most 155 bytes and a name of at most 100.
    static func split(_ path: String) throws -> (String, String) {
        let bytes = Array(path.utf8)
        if bytes.count <= 100 { return ("", path) }
        for (i, byte) in bytes.enumerated().reversed() where byte == UInt8(ascii: "/") && i <= 155 && bytes.count - i - 1 <= 100 {
            guard i > 0, bytes.count - i - 1 > 0 else { continue }
            return (String(decoding: bytes[..<i], as: UTF8.self), String(decoding: bytes[(i + 1)...], as: UTF8.self))
        }
        throw BundleError("\(path): the path is too long for a ustar archive (at most 155 + 100 bytes split at a /)")
    }

    // MARK: Reading

    struct Member: Equatable {
        /// The path inside the archive, without a trailing "/".
        let path: String
        let isFolder: Bool
        /// Where the member's data lies in the archive.
        let range: Range<Int>
    }

    /// The members of an archive, every header checked; `file` names it in errors.
    static func members(of data: Data, file: String) throws -> [Member] {
        var members: [Member] = []
        var offset = 0
        func fail(_ problem: String) -> BundleError { BundleError("\(file): \(problem)") }
        while offset + blockSize <= data.count {
            let block = [UInt8](data[data.startIndex + offset..<data.startIndex + offset + blockSize])
            if block.allSatisfy({ $0 == 0 }) { return members }
            let at = "the header at byte \(offset)"
            guard block[257..<262].elementsEqual("ustar".utf8) else { throw fail("\(at) is not a ustar header; this is not a tar archive Retort wrote") }
            let stored = try octal(block[148..<156], field: "checksum", at: at, file: file)
            let sum = block.enumerated().reduce(0) { $0 + Int((148..<156).contains($1.offset) ? UInt8(ascii: " ") : $1.element) }
            guard stored == sum else { throw fail("\(at) has checksum \(stored), its bytes sum to \(sum): the archive is damaged") }
            let size = try octal(block[124..<136], field: "size", at: at, file: file)
            let name = string(block[0..<100]), prefix = string(block[345..<500])
            var path = prefix.isEmpty ? name : prefix + "/" + name
            let isFolder = block[156] == UInt8(ascii: "5")
            guard isFolder || block[156] == UInt8(ascii: "0") || block[156] == 0 else {
                throw fail("member \(path) is of type '\(Character(UnicodeScalar(block[156])))'; bundles hold only files and folders")
            }
            if path.hasSuffix("/") { path.removeLast() }
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard !path.isEmpty, !path.hasPrefix("/"), !parts.contains(".."), !parts.contains("") else {
                throw fail("member \"\(path)\" has an unsafe path (absolute, empty or with ..)")
            }
            let start = offset + blockSize
            guard size <= data.count - start else { throw fail("member \(path) needs \(size) bytes but the archive ends first: it is truncated") }
            members.append(Member(path: path, isFolder: isFolder, range: start..<start + size))
            offset = start + size + padding(size)
        }
        // No end-of-archive blocks: accepted when the last member ended exactly at the end.
        if offset < data.count { throw fail("ends inside a header block: it is truncated") }
        guard !members.isEmpty else { throw fail("is empty or not a tar archive") }
        return members
    }

    /// Extracts the archive `path` into the existing folder `destination`.
    static func extract(_ path: String, to destination: String) throws -> [Member] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw BundleError("\(path): cannot be read: \(error.localizedDescription)")
        }
        let members = try members(of: data, file: path)
        let fm = FileManager.default
        for member in members {
            let target = destination + "/" + member.path
            if member.isFolder {
                try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
            } else {
                try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard fm.createFile(atPath: target, contents: data.subdata(in: data.startIndex + member.range.lowerBound..<data.startIndex + member.range.upperBound)) else {
                    throw BundleError("\(path): member \(member.path) cannot be extracted to \(target)")
                }
            }
        }
        return members
    }

    private static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func octal(_ bytes: ArraySlice<UInt8>, field: String, at: String, file: String) throws -> Int {
        let text = string(bytes).trimmingCharacters(in: .whitespaces)
        guard let value = Int(text, radix: 8), value >= 0 else {
            throw BundleError("\(file): \(at) has \(field) \"\(text)\", not an octal number")
        }
        return value
    }
}
