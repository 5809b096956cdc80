// Where the default seed images live at run time. SwiftPM copies the target's `images` folder
// (drawn by images/make_images.py) into a resource folder beside the plugin library; the seed set
// names its JSON Lines file relative to the plugin's folder, and each item's image relative to
// that file, so the engine reads the PNGs from there. A plugin copied elsewhere takes the
// resource folder along.
enum ShippedImages {
    #if os(macOS)
    static let folder = "Retort_MultimodalPlugin.bundle/images"
    #else
    static let folder = "Retort_MultimodalPlugin.resources/images"
    #endif
    static let seeds = folder + "/seeds.jsonl"
    static let count = 6
}
