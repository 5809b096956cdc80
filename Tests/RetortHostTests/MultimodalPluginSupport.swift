// Loads the multimodal plugin from the library `swift build` made, and runs its parsers and filters.
import Foundation
import RetortHost
import RetortJSON

enum MultimodalPluginLibrary {
    static var path: String { BuildProducts.library("retort_plugin_multimodal") }

    static func load() throws -> LoadedPlugin {
        guard FileManager.default.fileExists(atPath: path) else { throw BuildProducts.MissingBuildProduct(path: path) }
        return try PluginRegistry().load(file: path)
    }

    struct Rejected: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    /// The parser's records, or the reason it rejected the output.
    static func parse(_ plugin: LoadedPlugin, _ parser: String, _ output: String) -> Result<[JSONValue], Rejected> {
        do {
            return .success(try plugin.parse(parser: parser, output: output))
        } catch {
            return .failure(Rejected(reason: (error as? PluginCallError)?.message ?? "\(error)"))
        }
    }

    /// The annotations of the shipped two-shapes image: a red circle and a blue square.
    static let twoShapes: JSONValue = [
        "captions": ["A red circle to the left of a blue square on a white background.",
                     "Two shapes side by side: a red circle and a blue square."],
        "objects": [["label": "red circle", "category": "circle", "color": "red", "bbox": [20, 35, 50, 50]],
                    ["label": "blue square", "category": "square", "color": "blue", "bbox": [95, 38, 44, 44]]],
    ]

    /// Three green triangles under a yellow circle.
    static let triangles: JSONValue = [
        "captions": ["Three green triangles in a row under a yellow circle."],
        "objects": [["category": "triangle", "color": "green", "bbox": [15, 60, 36, 35]],
                    ["category": "triangle", "color": "green", "bbox": [62, 60, 36, 35]],
                    ["category": "triangle", "color": "green", "bbox": [109, 60, 36, 35]],
                    ["category": "circle", "color": "yellow", "bbox": [66, 11, 28, 28]]],
    ]

    /// A filter record as the engine builds it for an image conversation.
    static func record(_ answers: [String], annotations: JSONValue? = twoShapes) -> JSONValue {
        var messages: [JSONValue] = []
        for answer in answers {
            messages.append(["role": "user", "content": "What is in the image?"])
            messages.append(["role": "assistant", "content": .string(answer)])
        }
        var fields: [String: JSONValue] = ["instruction": "What is in the image?", "input": "",
                                           "response": .string(answers.joined(separator: "\n")), "messages": .array(messages)]
        if let annotations { fields["annotations"] = annotations }
        return .object(fields)
    }
}
