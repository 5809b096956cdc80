// The multimodal plugin loads and declares LLaVA's three templates, its parsers, filters,
// evaluator and an images seed set whose every item names a PNG in the plugin's resource folder
// with boxes inside the image and captions; the COCO-style files agree with the seeds.
import Foundation
import RetortHost
import RetortJSON
import Testing

@Suite struct MultimodalPluginLoadTests {
    let plugin: LoadedPlugin

    init() throws {
        plugin = try MultimodalPluginLibrary.load()
    }

    @Test func manifestDescribesAnImageSkill() {
        #expect(plugin.id == "multimodal")
        #expect(plugin.manifest.kind == .skill)
        #expect(plugin.manifest.raw["provides"]?["strategies"] == ["labeling"])
        #expect(plugin.manifest.raw["provides"]?["inputs"] == ["images"])
    }

    @Test func templatesParsersFiltersAndEvaluatorsAreDeclared() {
        let slots = Dictionary(uniqueKeysWithValues: plugin.templates.map { ($0.descriptor.name, $0.descriptor.slots) })
        #expect(slots == ["system-visual-assistant": [], "conversation": ["captions", "boxes"],
                          "detailed-description": ["captions", "boxes"], "complex-reasoning": ["captions", "boxes"]])
        #expect(plugin.parsers.map(\.name) == ["qa-turns", "detailed-description"])
        #expect(plugin.filters.map(\.name) == ["grounded-in-annotations", "answers-the-image"])
        #expect(plugin.evaluators.map(\.name) == ["object-recall"])
        #expect(plugin.seeds.map(\.name) == ["images"])
        #expect(plugin.seeds.first?.kind == "images")
    }

    @Test func aTextOnlyPromptCarriesTheAnnotationsAndAVisionPromptDoesNot() throws {
        let template = try #require(plugin.templates.first { $0.descriptor.name == "conversation" })
        let annotated = try template.render(["captions": "A red circle.", "boxes": "red circle: [0.125, 0.292, 0.438, 0.708]"])
        #expect(annotated.contains("You cannot see the image"))
        #expect(annotated.contains("A red circle.") && annotated.contains("red circle: [0.125, 0.292, 0.438, 0.708]"))
        let seeing = try template.render(["captions": "", "boxes": ""])
        #expect(!seeing.contains("cannot see") && !seeing.contains("Captions") && !seeing.contains("boxes"))
        #expect(seeing.hasPrefix("Write a conversation"))
    }

    @Test func everySeedNamesAPNGInTheResourceFolderWithBoxesInsideTheImage() throws {
        let seed = try #require(plugin.seeds.first)
        guard case .path(let file) = seed.source else { Issue.record("the images seed set should be a file"); return }
        let folder = plugin.directory + "/" + (file as NSString).deletingLastPathComponent
        let items = try plugin.seedItems("images")
        #expect(items.count == 6)
        #expect(Set(items.compactMap { $0["id"]?.stringValue }).count == items.count, "ids are unique")
        for item in items {
            let id = item["id"]?.stringValue ?? "?"
            let image = try #require(item["image"]?.stringValue, "\(id)")
            let bytes = try #require(FileManager.default.contents(atPath: folder + "/" + image), "\(id): \(image) is missing")
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(id) is a PNG")
            #expect(bytes.count < 16_384, "\(id) stays small")
            let width = try #require(item["width"]?.doubleValue), height = try #require(item["height"]?.doubleValue)
            // The PNG header's size agrees with the item's.
            let header = bytes.subdata(in: 16..<24).map { Int($0) }
            #expect(Double(header[0] << 24 | header[1] << 16 | header[2] << 8 | header[3]) == width)
            #expect(Double(header[4] << 24 | header[5] << 16 | header[6] << 8 | header[7]) == height)
            #expect((item["captions"]?.arrayValue?.count ?? 0) >= 2, "\(id) has captions")
            for object in item["objects"]?.arrayValue ?? [] {
                let box = object["bbox"]?.arrayValue?.compactMap(\.doubleValue) ?? []
                #expect(box.count == 4 && box[0] >= 0 && box[1] >= 0 && box[0] + box[2] <= width && box[1] + box[3] <= height,
                        "\(id): \(object["label"]?.stringValue ?? "?") box \(box) lies inside the image")
            }
        }
        // The COCO-style instances file lists the same images and as many boxes.
        let instances = try JSONValue(parsing: String(contentsOfFile: folder + "/instances.json", encoding: .utf8))
        #expect(instances["images"]?.arrayValue?.compactMap { $0["file_name"]?.stringValue }
            == items.compactMap { $0["image"]?.stringValue })
        #expect(instances["annotations"]?.arrayValue?.count == items.reduce(0) { $0 + ($1["objects"]?.arrayValue?.count ?? 0) })
        let captions = try JSONValue(parsing: String(contentsOfFile: folder + "/captions.json", encoding: .utf8))
        #expect(captions["annotations"]?.arrayValue?.count == items.reduce(0) { $0 + ($1["captions"]?.arrayValue?.count ?? 0) })
    }
}
