// BM25 search and SAIL dataset building over any corpus, as native tools (retort.tools.v1):
//   retort tools call rag.search --args '{"query": "…", "k": 3, "corpus": ""}'
//   retort tools call rag.build_dataset --args '{"corpus": "my-docs/", "questions": "q.jsonl", "out": "sail.jsonl", "distractors": 2}'
// The dataset is JSON Lines a recipe reads with `input: {file: sail.jsonl}` and the
// `search-augmented` template. An empty `corpus` means the shipped one.
import Foundation
import RetortPluginSDK

enum RagTools {
    static let all: [Tool] = [
        Tool(
            name: "search", description: "BM25 search over a corpus; returns the best passages with their scores.",
            parameters: [
                "type": "object",
                "properties": [
                    "query": ["type": "string", "description": "What to search for."],
                    "k": ["type": "integer", "description": "How many passages to return (1–50)."],
                    "corpus": ["type": "string", "description": "A folder or file of .jsonl/.txt/.md passages; \"\" for the shipped corpus."],
                ],
                "required": ["query", "k", "corpus"],
            ],
            signature: "char * (const char *query, int32_t k, const char *corpus)", symbol: "retort_rag_search"),
        Tool(
            name: "build_dataset",
            description: "Writes search-augmented instructions (SAIL) as JSON Lines: each question with its BM25 results and distractors, numbered.",
            parameters: [
                "type": "object",
                "properties": [
                    "corpus": ["type": "string", "description": "A folder or file of .jsonl/.txt/.md passages; \"\" for the shipped corpus."],
                    "questions": ["type": "string", "description": "A JSON Lines file of {\"instruction\" or \"question\", optional \"answer\", \"id\", \"passage\"}; \"\" for the shipped questions."],
                    "out": ["type": "string", "description": "The JSON Lines file to write; it must not exist yet."],
                    "distractors": ["type": "integer", "description": "Distractor passages per question (0–10)."],
                ],
                "required": ["corpus", "questions", "out", "distractors"],
            ],
            signature: "char * (const char *corpus, const char *questions, const char *out, int32_t distractors)",
            symbol: "retort_rag_build_dataset"),
    ]

    static let shippedIndex = BM25Index(Passage.shipped)

    static func index(_ corpus: String, excluding: [String] = []) throws -> BM25Index {
        corpus.isEmpty ? shippedIndex : BM25Index(try CorpusFolder.load(corpus, excluding: excluding))
    }

    static func search(query: String, k: Int, corpus: String) -> JSONValue {
        guard (1...50).contains(k) else { return ["error": .string("k must be from 1 to 50, got \(k)")] }
        do {
            let hits = try index(corpus).search(query, k: k)
            return ["results": .array(hits.map { hit in
                ["id": .string(hit.passage.id), "title": .string(hit.passage.title), "text": .string(hit.passage.text),
                 "score": .number((hit.score * 1000).rounded() / 1000)]
            })]
        } catch let failure as PluginFailure {
            return ["error": .string(failure.message)]
        } catch {
            return ["error": .string("\(error)")]
        }
    }

    static func buildDataset(corpus: String, questions: String, out: String, distractors: Int) -> JSONValue {
        do {
            guard (0...10).contains(distractors) else { throw PluginFailure.invalidArgument("distractors must be from 0 to 10, got \(distractors)") }
            guard !out.isEmpty else { throw PluginFailure.invalidArgument("`out` must name the file to write") }
            guard !FileManager.default.fileExists(atPath: out) else {
                throw PluginFailure.invalidArgument("\(out) already exists; choose another path or remove it first")
            }
            let index = try index(corpus, excluding: [questions, out])
            let asked = questions.isEmpty
                ? CorpusQuestion.shipped.map { (id: $0.id, question: $0.question, answer: Optional($0.answer), gold: Optional($0.passage)) }
                : try readQuestions(questions)
            var lines: [String] = []
            for q in asked {
                let gold = q.gold.flatMap { id in index.passages.contains { $0.id == id } ? id : nil }
                lines.append(SearchAugmented.item(id: q.id, question: q.question, answer: q.answer, gold: gold, index: index,
                                                  distractors: distractors).jsonText)
            }
            let temporary = out + ".partial"
            guard FileManager.default.createFile(atPath: temporary, contents: Data((lines.joined(separator: "\n") + "\n").utf8)) else {
                throw PluginFailure.invalidArgument("cannot write \(temporary)")
            }
            try FileManager.default.moveItem(atPath: temporary, toPath: out)
            return ["written": .number(Double(lines.count)), "path": .string(out), "passages": .number(Double(index.passages.count))]
        } catch let failure as PluginFailure {
            return ["error": .string(failure.message)]
        } catch {
            return ["error": .string(error.localizedDescription)]
        }
    }

    static func readQuestions(_ path: String) throws -> [(id: String, question: String, answer: String?, gold: String?)] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw PluginFailure.invalidArgument("cannot read the questions file \(path) as UTF-8 text")
        }
        var result: [(String, String, String?, String?)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let value: JSONValue
            do { value = try JSONValue(parsing: trimmed) } catch { throw PluginFailure.invalidArgument("\(path):\(index + 1): \(error.message)") }
            guard let question = value["instruction"]?.stringValue ?? value["question"]?.stringValue, !question.isEmpty else {
                throw PluginFailure.invalidArgument("\(path):\(index + 1): the object needs a non-empty \"instruction\" or \"question\"")
            }
            result.append((value["id"]?.stringValue ?? "line-\(index + 1)", question, value["answer"]?.stringValue, value["passage"]?.stringValue))
        }
        guard !result.isEmpty else { throw PluginFailure.invalidArgument("the questions file \(path) holds no question") }
        return result
    }
}

extension PluginFailure {
    var message: String {
        switch self {
        case .invalidArgument(let m), .parse(let m), .notFound(let m), .unsupported(let m), .internal(let m): m
        }
    }
}

@_cdecl("retort_rag_search")
public func retortRagSearch(_ query: UnsafePointer<CChar>?, _ k: Int32, _ corpus: UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>? {
    strdup(RagTools.search(query: query.map { String(cString: $0) } ?? "", k: Int(k), corpus: corpus.map { String(cString: $0) } ?? "").jsonText)
}

@_cdecl("retort_rag_build_dataset")
public func retortRagBuildDataset(_ corpus: UnsafePointer<CChar>?, _ questions: UnsafePointer<CChar>?, _ out: UnsafePointer<CChar>?,
                                  _ distractors: Int32) -> UnsafeMutablePointer<CChar>? {
    func text(_ p: UnsafePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }
    return strdup(RagTools.buildDataset(corpus: text(corpus), questions: text(questions), out: text(out), distractors: Int(distractors)).jsonText)
}
