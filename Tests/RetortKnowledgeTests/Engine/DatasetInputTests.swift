// Dataset files for labeling (JSONL): every malformed line is an error naming the file and line,
// and good lines keep their ids.
import Foundation
import Testing
@testable import RetortKnowledge

@Suite struct DatasetInputTests {
    func file(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "retort-dataset-" + UUID().uuidString + ".jsonl"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func message(_ text: String) throws -> String {
        let path = try file(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try InputSource.readJSONL(path)
            return ""
        } catch {
            return "\(error.localizedDescription)".replacingOccurrences(of: path, with: "FILE")
        }
    }

    @Test func goodLinesBecomeItemsWithStableIDs() throws {
        let path = try file(Array("{\"id\": \"q1\", \"instruction\": \"Add 2 and 3.\"}\n\n{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}\n".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let items = try InputSource.readJSONL(path)
        #expect(items.map(\.id) == ["q1", "line-3"])
        #expect(items[1].instruction == "Hi")
    }

    @Test func malformedLinesNameTheLine() throws {
        #expect(try message("{\"instruction\": \"ok\"}\n{\"instruction\": \"broken\"\n").hasPrefix("FILE:2:"))
        #expect(try message("{\"instruction\": \"ok\"}\n[1, 2]\n").contains("FILE:2: expected a JSON object per line"))
        #expect(try message("{\"input\": \"no task\"}\n").contains("FILE:1: the object needs \"instruction\""))
        #expect(try message("").isEmpty)
    }

    @Test func invalidUTF8AndMissingFilesAreClearErrors() throws {
        let path = try file([0x7B, 0xFF, 0xFE, 0x7D, 0x0A])
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: InputError.self) { try InputSource.readJSONL(path) }
        do { _ = try InputSource.readJSONL(path) } catch { #expect(error.localizedDescription.contains("not valid UTF-8")) }
        do { _ = try InputSource.readJSONL("/nonexistent/data.jsonl") } catch {
            #expect(error.localizedDescription.contains("cannot read the dataset file"))
        }
    }
}
