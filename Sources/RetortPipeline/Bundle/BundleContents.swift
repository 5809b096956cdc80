// A bundle opened for reading: a bundle folder as it is, or a .tar bundle extracted into a
// temporary folder (removed by `close`). Either way the files are reached through `folder`.
import Foundation

final class BundleContents {
    /// The path the user gave.
    let bundle: String
    /// The folder holding manifest.json.
    let folder: String
    private let temporary: String?

    init(_ bundle: String) throws {
        self.bundle = bundle
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: bundle, isDirectory: &isDirectory) else {
            throw BundleError("\(bundle): no such bundle (a folder or a .tar made by `retort bundle`)")
        }
        if isDirectory.boolValue {
            folder = bundle
            temporary = nil
            return
        }
        let scratch = NSTemporaryDirectory() + "retort-bundle-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try fm.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        do {
            let members = try UstarArchive.extract(bundle, to: scratch)
            // Archives hold one top-level folder; a manifest at the root is accepted too.
            let roots = Set(members.map { String($0.path.split(separator: "/")[0]) })
            if fm.fileExists(atPath: scratch + "/" + BundleManifest.fileName) || roots.count != 1 {
                folder = scratch
            } else {
                folder = scratch + "/" + roots.first!
            }
        } catch {
            try? fm.removeItem(atPath: scratch)
            throw error
        }
        temporary = scratch
    }

    /// The bundle-relative paths of every file present (folders left out), sorted.
    func files() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out.append(path)
            }
        }
        return out.sorted()
    }

    func close() {
        if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
    }
}
