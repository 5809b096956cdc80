// Image inputs of a labeling stage: files are read only from inside the plugin's folder, must be
// PNG or JPEG, and every problem is an error naming the item and the file; annotations render as
// LLaVA's captions and normalized boxes; parser records become the student's turns.
import Foundation
import RetortJSON
import Testing
@testable import RetortKnowledge

@Suite struct ImageInputTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]

    func folder(_ files: [String: [UInt8]]) throws -> String {
        let root = NSTemporaryDirectory() + "retort-images-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/seeds", withIntermediateDirectories: true)
        for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: root + "/" + name)) }
        return root
    }

    func failure(_ relative: String, folder: String = "seeds", root: String) -> String {
        do {
            _ = try ImageFile.read(relative, folder: folder, pluginFolder: root, owner: "demo input x")
            return ""
        } catch {
            return error.localizedDescription
        }
    }

    @Test func aPNGIsReadHashedAndEncodedRelativeToItsSeedFolder() throws {
        let root = try folder(["seeds/a.png": Self.png, "seeds/b.jpg": [0xFF, 0xD8, 0xFF, 0xE0, 1, 2]])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let image = try ImageFile.read("./a.png", folder: "seeds", pluginFolder: root, owner: "demo input x")
        #expect(image.path == "seeds/a.png")
        #expect(image.mediaType == "image/png")
        // Computed independently with Python's hashlib.sha256 over the same 16 bytes.
        #expect(image.sha256 == "02a3e298f1533f62558c58e4c70edcab9af5a50d62d925fd5390942020fb0fb8")
        #expect(image.dataURL == "data:image/png;base64," + Data(Self.png).base64EncodedString())
        #expect(image.reference["path"] == "seeds/a.png" && image.reference["bytes"] == 16)
        #expect(try ImageFile.read("b.jpg", folder: "seeds", pluginFolder: root, owner: "o").mediaType == "image/jpeg")
    }

    @Test func oneChangedByteChangesTheHash() throws {
        let root = try folder(["seeds/a.png": Self.png, "seeds/b.png": Self.png + [0]])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let a = try ImageFile.read("a.png", folder: "seeds", pluginFolder: root, owner: "o").sha256
        #expect(a != (try ImageFile.read("b.png", folder: "seeds", pluginFolder: root, owner: "o").sha256))
    }

    @Test func missingUnreadableAndWrongFilesAreErrorsNamingTheFile() throws {
        let root = try folder(["seeds/text.png": Array("not an image".utf8)])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let missing = failure("gone.png", root: root)
        #expect(missing.contains("demo input x: image seeds/gone.png") && missing.contains("does not exist"), "\(missing)")
        #expect(failure("text.png", root: root).contains("neither a PNG nor a JPEG"))
        #expect(failure("", root: root).contains("\"image\" is empty"))
        #expect(failure(".", folder: "", root: root + "/seeds").contains("is a folder"))
    }

    @Test func pathsOutOfThePluginFolderAreRefused() throws {
        let root = try folder(["seeds/a.png": Self.png])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(failure("../../etc/passwd", root: root).contains("leaves the plugin's folder"))
        #expect(failure("/etc/passwd", root: root).contains("relative to the plugin's folder"))
        #expect(failure("~/x.png", root: root).contains("relative to the plugin's folder"))
        #expect(failure("a\\..\\b.png", root: root).contains("relative to the plugin's folder"))
    }

    @Test func annotationsRenderAsCaptionsAndNormalizedBoxes() throws {
        let item = InputItem(id: "two", fields: [
            "image": "two.png", "width": 160, "height": 120, "captions": ["A red circle.", " ", "A blue square."],
            "objects": [["label": "red circle", "bbox": [20, 35, 50, 50]], ["category": "square", "color": "blue", "bbox": [95, 38, 44, 44]]],
        ])
        let annotations = try ImageAnnotations(item: item)
        #expect(annotations.captionsText == "A red circle.\nA blue square.")
        #expect(annotations.boxesText == "red circle: [0.125, 0.292, 0.438, 0.708]\nblue square: [0.594, 0.317, 0.869, 0.683]")
        let pixels = try ImageAnnotations(item: InputItem(id: "p", fields: ["caption": "A dot.", "objects": [["label": "dot", "bbox": [1, 2, 3, 4]]]]))
        #expect(pixels.boxesText == "dot: [1, 2, 4, 6]")
        #expect(pixels.json == ["captions": ["A dot."], "objects": [["label": "dot", "bbox": [1, 2, 3, 4]]]])
    }

    @Test func malformedAnnotationsAreErrorsNamingTheItemAndObject() {
        func message(_ fields: [String: JSONValue]) -> String {
            do { _ = try ImageAnnotations(item: InputItem(id: "bad", fields: fields)); return "" } catch { return error.localizedDescription }
        }
        #expect(message(["objects": [["label": "dot", "bbox": [1, 2, 3]]]]).contains("input bad: object 1 (dot) has bbox [1,2,3]"))
        #expect(message(["objects": [["label": "dot", "bbox": [1, 2, 0, 4]]]]).contains("width and height above 0"))
        #expect(message(["objects": [["bbox": [1, 2, 3, 4]]]]).contains("object 1 has no \"label\""))
        #expect(message(["objects": "a dot"]).contains("expected a list"))
        #expect(message(["captions": [1]]).contains("caption 1 is a number"))
    }

    @Test func parserRecordsBecomeTheStudentsTurns() {
        func turns(_ parsed: JSONValue?, output: String = "", instruction: String? = nil) -> [String] {
            switch Labeling.conversationTurns(parsed: parsed, output: output, instruction: instruction) {
            case .success(let messages): return messages.map { "\($0.role): \($0.text)" }
            case .failure(let problem): return ["\(problem.check): \(problem.reason)"]
            }
        }
        #expect(turns(["messages": [["role": "user", "content": "Q?"], ["role": "assistant", "content": "A."]]]) == ["user: Q?", "assistant: A."])
        #expect(turns(["question": "Describe it.", "answer": "A red circle."]) == ["user: Describe it.", "assistant: A red circle."])
        #expect(turns(["response": "Red."], instruction: "What color?") == ["user: What color?", "assistant: Red."])
        #expect(turns(nil, output: "  Red.\n", instruction: "What color?") == ["user: What color?", "assistant: Red."])
        #expect(turns(nil, output: "Red.")[0].hasPrefix("input: the item has no instruction"))
        #expect(turns(["messages": [["role": "assistant", "content": "A."]]])[0].hasPrefix("parser: the parser's turn 1"))
        #expect(turns(["messages": [["role": "user", "content": "Q?"]]])[0].hasPrefix("parser: the parser gave 1 turns"))
        #expect(turns(["score": 3])[0].hasPrefix("parser: the parser's record has no messages"))
    }

    @Test func aCutOffOutputKeepsItsCompleteSentences() {
        #expect(Labeling.completeSentences("Question: What is it?\nAnswer: A red circle.\nQuestion: Where is the")
            == "Question: What is it?\nAnswer: A red circle.")
        #expect(Labeling.completeSentences("It is 3.5 cm wide. And the") == "It is 3.5 cm wide.")
        #expect(Labeling.completeSentences("no sentence ends here") == nil)
        #expect(Labeling.completeSentences("   ") == nil)
    }
}
