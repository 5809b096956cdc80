// `retort tokenize`: show how a model's tokenizer splits a text.
import ArgumentParser
import RetortJSON
import RetortPipeline

struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the token ids and pieces of a text under a model's tokenizer.")

    @Option(help: "The model: an alias from `retort models list`, or a .gguf file.") var model: String
    @Argument(help: "The text to tokenize.") var text: String
    @Flag(help: "Treat special-token text (<|im_start|>, …) as plain text.") var noSpecial = false
    @Option(help: "The models folder. Default: $RETORT_MODELS, else ~/.cache/retort/models.") var modelsDir: String?
    @Flag(help: "Print JSON for scripts.") var json = false

    func run() throws {
        do {
            let result = try Tokenization.run(model: model, text: text, modelsDirectory: modelsDir, parseSpecial: !noSpecial)
            if json {
                print(JSONValue.object([
                    "ids": .array(result.ids.map { .number(Double($0)) }),
                    "tokens": .array(result.tokens.map { .string($0) }),
                ]).jsonText)
            } else {
                print(TextTable.render(header: ["ID", "TOKEN"], rows: zip(result.ids, result.tokens).map { ["\($0)", $1] }))
                print("\(result.ids.count) tokens")
            }
        } catch {
            throw CommandFailure.exit(error)
        }
    }
}
