// The annotations of an image input, COCO style: captions, and objects with a label and a box
// [x, y, width, height] in pixels (origin top-left). A text-only teacher cannot see the image, so
// they are rendered into its prompt as LLaVA did for GPT-4 (Liu et al., 2023): one caption per
// line, one "label: [x1, y1, x2, y2]" per object, coordinates divided by the image size.
import Foundation
import RetortJSON

public struct ImageAnnotations: Sendable, Hashable {
    public struct Object: Sendable, Hashable {
        public var label: String
        /// [x, y, width, height] in pixels.
        public var box: [Double]
    }

    public var captions: [String]
    public var objects: [Object]
    /// The image size in pixels, when the item gives it; boxes are then normalized.
    public var width: Double?
    public var height: Double?
    /// The item's object list as given (label, category, color, bbox…), for plugin filters.
    public var objectsJSON: JSONValue

    /// Reads `captions` (or one `caption`) and `objects` (or `annotations`) of an item; a malformed
    /// annotation is an error naming the item and the object.
    public init(item: InputItem) throws {
        let owner = "input \(item.id)"
        switch item.fields["captions"] ?? item.fields["caption"] {
        case .string(let text)?: captions = [text]
        case .array(let values)?:
            captions = try values.enumerated().map { index, value in
                guard let text = value.stringValue else {
                    throw InputError(message: "\(owner): caption \(index + 1) is \(value.typeName), expected a string")
                }
                return text
            }
        case nil, .null?: captions = []
        case let other?: throw InputError(message: "\(owner): \"captions\" is \(other.typeName), expected a list of strings")
        }
        captions = captions.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        let listed = item.fields["objects"] ?? item.fields["annotations"] ?? .array([])
        guard let values = listed.arrayValue else {
            throw InputError(message: "\(owner): \"objects\" is \(listed.typeName), expected a list of {\"label\", \"bbox\"}")
        }
        objects = try values.enumerated().map { index, value in try Self.object(value, number: index + 1, owner: owner) }
        objectsJSON = listed
        width = item.fields["width"]?.doubleValue.flatMap { $0 > 0 ? $0 : nil }
        height = item.fields["height"]?.doubleValue.flatMap { $0 > 0 ? $0 : nil }
    }

    static func object(_ value: JSONValue, number: Int, owner: String) throws -> Object {
        guard value.objectValue != nil else {
            throw InputError(message: "\(owner): object \(number) is \(value.typeName), expected {\"label\", \"bbox\"}")
        }
        let category = value["category"]?.stringValue ?? value["name"]?.stringValue
        let color = value["color"]?.stringValue
        guard let label = value["label"]?.stringValue ?? category.map({ c in color.map { "\($0) \(c)" } ?? c }), !label.isEmpty else {
            throw InputError(message: "\(owner): object \(number) has no \"label\" or \"category\"")
        }
        let box = value["bbox"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        guard box.count == 4, box.allSatisfy({ $0.isFinite && $0 >= 0 }), box[2] > 0, box[3] > 0 else {
            throw InputError(message: "\(owner): object \(number) (\(label)) has bbox \(value["bbox"]?.jsonText ?? "missing"); "
                + "expected [x, y, width, height] in pixels, width and height above 0")
        }
        return Object(label: label, box: box)
    }

    /// One caption per line.
    public var captionsText: String { captions.joined(separator: "\n") }

    /// One "label: [x1, y1, x2, y2]" per line: fractions of the image size with three decimals
    /// when the size is known, else pixels.
    public var boxesText: String {
        objects.map { object in
            let (x, y, w, h) = (object.box[0], object.box[1], object.box[2], object.box[3])
            let corners: [String]
            if let width, let height {
                corners = [x / width, y / height, (x + w) / width, (y + h) / height].map { String(format: "%.3f", min(1, $0)) }
            } else {
                corners = [x, y, x + w, y + h].map { String(Int($0.rounded())) }
            }
            return "\(object.label): [\(corners.joined(separator: ", "))]"
        }.joined(separator: "\n")
    }

    /// What plugin filters get to check answers against.
    public var json: JSONValue {
        ["captions": .array(captions.map { .string($0) }), "objects": objectsJSON]
    }
}
