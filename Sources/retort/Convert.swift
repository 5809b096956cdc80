// `retort convert <in> <out> [--type …]`: a model from one format into another (GGUF ↔ Hugging Face
// folder, or GGUF → GGUF at another type).
import ArgumentParser
import RetortPipeline

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a model between GGUF and a Hugging Face folder, or requantize a GGUF.",
        discussion: """
            The output's kind follows its name: a path ending in .gguf is written as GGUF (f32, f16, q8_0 or q4_0; \
            default f16; norms and biases stay f32), anything else as a Hugging Face folder with model.safetensors, \
            config.json, tokenizer.json and tokenizer_config.json (f32, f16 or bf16; default f32). The tokenizer and \
            chat template travel with the model. Existing folders are never overwritten.
            """)

    @Argument(help: "The model: a .gguf file, a Hugging Face folder, or an alias from `retort models list`.") var input: String
    @Argument(help: "The output: a .gguf path, or a folder to create.") var output: String
    @Option(help: "f32|f16|q8_0|q4_0 for a GGUF output, f32|f16|bf16 for a folder.") var type: String?
    @Flag(help: "Replace an existing output .gguf file.") var force = false
    @Option(help: "The models folder. Default: $RETORT_MODELS, else ~/.cache/retort/models.") var modelsDir: String?

    func run() throws {
        var request = ConversionRequest(input: input, output: output)
        request.type = type
        request.force = force
        request.modelsDirectory = modelsDir
        do {
            print(try ModelConversion.run(request))
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
