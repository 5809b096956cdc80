// Builds the C extension structs of retort.h for a Swift plugin. Each function pointer is a
// non-capturing closure that reads the loaded plugin, converts C arguments to Swift, and turns
// results and thrown errors back into C strings owned by this library (freed by free_string).
import Foundation
import RetortABI

typealias OutString = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

/// Runs `body`, writes its JSON result to `out`, and maps thrown errors to a status and message.
func respond(_ out: OutString, _ outError: OutString, _ body: (Plugin) throws -> JSONValue) -> retort_status {
    outError?.pointee = nil
    guard let plugin = loadedPlugin else {
        outError?.pointee = strdup("plugin called before init")
        return RETORT_ERROR_INTERNAL
    }
    do {
        let value = try body(plugin)
        out?.pointee = strdup(value.jsonText)
        return RETORT_OK
    } catch let failure as PluginFailure {
        outError?.pointee = strdup(failure.message)
        return failure.status
    } catch {
        outError?.pointee = strdup("\(error)")
        return RETORT_ERROR_INTERNAL
    }
}

func string(_ pointer: UnsafePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
}

func context(_ pointer: UnsafePointer<CChar>?) throws -> JSONValue {
    guard let pointer, pointer.pointee != 0 else { return .object([:]) }
    do { return try JSONValue(parsing: String(cString: pointer)) } catch {
        throw PluginFailure.invalidArgument("context JSON: \(error.message)")
    }
}

func find<T>(_ items: [T], _ name: String, _ kind: String, _ nameOf: (T) -> String) throws -> T {
    guard let item = items.first(where: { nameOf($0) == name }) else {
        throw PluginFailure.notFound("no \(kind) named '\(name)'; this plugin has: \(items.map(nameOf))")
    }
    return item
}

func allocate<T>(_ value: T) -> UnsafeRawPointer {
    let pointer = UnsafeMutablePointer<T>.allocate(capacity: 1)
    pointer.initialize(to: value)
    return UnsafeRawPointer(pointer)
}

func makeExtensionTable(for plugin: Plugin) -> [String: UnsafeRawPointer] {
    let ts = plugin.threadSafe
    var table: [String: UnsafeRawPointer] = [:]
    table[RETORT_EXT_DESCRIBE_V1] = allocate(retort_describe_v1(thread_safe: ts, manifest: { out, err in
        respond(out, err) { $0.manifest }
    }))
    if !plugin.templates.isEmpty {
        table[RETORT_EXT_TEMPLATES_V1] = allocate(retort_templates_v1(thread_safe: ts, list: { out, err in
            respond(out, err) { plugin in
                .array(plugin.templates.map { t in
                    var o: [String: JSONValue] = [
                        "name": .string(t.name), "role": .string(t.role.rawValue), "strategy": .string(t.strategy),
                        "slots": .array(t.slots.map { .string($0) }), "template": .string(t.text),
                    ]
                    if let d = t.description { o["description"] = .string(d) }
                    return .object(o)
                })
            }
        }))
    }
    if !plugin.parsers.isEmpty {
        table[RETORT_EXT_PARSER_V1] = allocate(retort_parser_v1(
            thread_safe: ts,
            list: { out, err in
                respond(out, err) { plugin in
                    .array(plugin.parsers.map { p in
                        ["name": .string(p.name), "description": .string(p.description),
                         "yields": .array(p.yields.map { .string($0) }), "method": .string(p.method)]
                    })
                }
            },
            parse: { name, output, ctx, out, err in
                respond(out, err) { plugin in
                    let parser = try find(plugin.parsers, string(name), "parser") { $0.name }
                    return .array(try parser.parse(string(output), try context(ctx)))
                }
            }))
    }
    if !plugin.filters.isEmpty {
        table[RETORT_EXT_FILTER_V1] = allocate(retort_filter_v1(
            thread_safe: ts,
            list: { out, err in
                respond(out, err) { plugin in
                    .array(plugin.filters.map { f in
                        ["name": .string(f.name), "description": .string(f.description), "method": .string(f.method)]
                    })
                }
            },
            apply: { name, record, ctx, verdictOut, err in
                var verdict = Verdict.keep()
                let status = respond(nil, err) { plugin in
                    let filter = try find(plugin.filters, string(name), "filter") { $0.name }
                    let recordValue: JSONValue
                    do { recordValue = try JSONValue(parsing: string(record)) } catch let error as JSONTextError {
                        throw PluginFailure.invalidArgument("record JSON: \(error.message)")
                    }
                    verdict = try filter.apply(recordValue, try context(ctx))
                    return .null
                }
                if status == RETORT_OK, let verdictOut {
                    verdictOut.pointee = retort_filter_verdict(
                        keep: verdict.keep, score: verdict.score, reason: verdict.reason.map { strdup($0) })
                }
                return status
            }))
    }
    if !plugin.evaluators.isEmpty {
        table[RETORT_EXT_EVALUATOR_V1] = allocate(retort_evaluator_v1(
            thread_safe: ts,
            list: { out, err in
                respond(out, err) { plugin in
                    .array(plugin.evaluators.map { e in
                        ["name": .string(e.name), "description": .string(e.description),
                         "metrics": .array(e.metrics.map { .string($0) }), "higher_is_better": .bool(e.higherIsBetter)]
                    })
                }
            },
            evaluate: { name, prompt, reference, prediction, out, err in
                respond(out, err) { plugin in
                    let evaluator = try find(plugin.evaluators, string(name), "evaluator") { $0.name }
                    let scores = try evaluator.evaluate(string(prompt), string(reference), string(prediction))
                    return .object(scores.mapValues { .number($0) })
                }
            }))
    }
    if !plugin.objectives.isEmpty {
        table[RETORT_EXT_OBJECTIVE_V1] = allocate(makeObjectiveExtension(threadSafe: ts))
    }
    if !plugin.tools.isEmpty {
        table[RETORT_EXT_TOOLS_V1] = allocate(retort_tools_v1(thread_safe: ts, list: { out, err in
            respond(out, err) { plugin in
                .array(plugin.tools.map { t in
                    ["name": .string(t.name), "description": .string(t.description), "parameters": t.parameters,
                     "signature": .string(t.signature), "symbol": .string(t.symbol)]
                })
            }
        }))
    }
    if !plugin.seeds.isEmpty {
        table[RETORT_EXT_SEEDS_V1] = allocate(retort_seeds_v1(thread_safe: ts, list: { out, err in
            respond(out, err) { plugin in
                .array(plugin.seeds.map { s in
                    var o: [String: JSONValue] = ["name": .string(s.name), "kind": .string(s.kind)]
                    switch s.source {
                    case .items(let items): o["items"] = .array(items)
                    case .path(let path): o["path"] = .string(path)
                    }
                    if let d = s.description { o["description"] = .string(d) }
                    return .object(o)
                })
            }
        }))
    }
    return table
}

func makeObjectiveExtension(threadSafe: Bool) -> retort_objective_v1 {
    retort_objective_v1(
        thread_safe: threadSafe,
        list: { out, err in
            respond(out, err) { plugin in
                .array(plugin.objectives.map { o in
                    ["name": .string(o.name), "level": .string(o.level.rawValue), "description": .string(o.description),
                     "parameters": .object(o.parameters.mapValues { .number($0) })]
                })
            }
        },
        token_loss: { name, batch, lossOut, grad, err in
            respond(nil, err) { plugin in
                let objective = try find(plugin.objectives, string(name), "objective") { $0.name }
                guard let loss = objective.tokenLoss else {
                    throw PluginFailure.unsupported("objective '\(objective.name)' is sequence level, not token level")
                }
                guard let batch, let grad, let lossOut else {
                    throw PluginFailure.invalidArgument("token_loss needs a batch, a gradient buffer and a loss pointer")
                }
                let view = try TokenBatch(batch.pointee, defaults: objective.parameters)
                let gradient = UnsafeMutableBufferPointer(start: grad, count: view.positions * view.vocab)
                lossOut.pointee = try loss(view, gradient)
                return .null
            }
        },
        sequence_loss: { name, batch, lossOut, grad, err in
            respond(nil, err) { plugin in
                let objective = try find(plugin.objectives, string(name), "objective") { $0.name }
                guard let loss = objective.sequenceLoss else {
                    throw PluginFailure.unsupported("objective '\(objective.name)' is token level, not sequence level")
                }
                guard let batch, let grad, let lossOut else {
                    throw PluginFailure.invalidArgument("sequence_loss needs a batch, a gradient buffer and a loss pointer")
                }
                let view = try SequenceBatch(batch.pointee, defaults: objective.parameters)
                lossOut.pointee = try loss(view, UnsafeMutableBufferPointer(start: grad, count: view.count))
                return .null
            }
        })
}
