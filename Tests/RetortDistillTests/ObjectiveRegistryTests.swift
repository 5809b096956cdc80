// The registry makes objectives by name from a recipe's numbers and refuses unknown names,
// unknown parameters and values out of range; plugins register the same way.
import Foundation
import Testing
@testable import RetortDistill

@Suite struct ObjectiveRegistryTests {
    let registry = ObjectiveRegistry.builtIn

    @Test func knowsEveryBuiltInObjective() {
        let expected = ["sft", "forward-kl", "reverse-kl", "jsd", "tvd", "skew-forward-kl", "skew-reverse-kl",
                        "bradley-terry", "dpo", "rrhf", "pro", "policy-gradient", "mse", "l1", "cosine", "mmd"]
        #expect(Set(registry.names) == Set(expected))
        for name in expected {
            #expect(throws: Never.self) { _ = try registry.make(name) }
        }
    }

    @Test func madeObjectivesCarryTheirRegistryNameAndParameters() throws {
        for name in registry.names {
            switch try registry.make(name) {
            case .token(let objective): #expect(objective.name == name)
            case .sequence(let objective): #expect(objective.name == name)
            case .feature(let objective): #expect(objective.name == name)
            }
        }
        let jsd = try #require(try registry.makeTokenObjective("jsd", parameters: ["beta": 0.9]) as? GeneralizedJSD)
        #expect(jsd.beta == 0.9)
        let defaultJSD = try #require(try registry.makeTokenObjective("jsd") as? GeneralizedJSD)
        #expect(defaultJSD.beta == 0.5)
        let dpo = try #require(try registry.makeSequenceObjective("dpo", parameters: ["beta": 0.3]) as? DirectPreferenceOptimization)
        #expect(dpo.beta == 0.3)
    }

    @Test func refusesUnknownNamesAndParameters() {
        #expect(throws: ObjectiveError.unknownObjective(name: "kl", known: ObjectiveRegistry.builtIn.names)) {
            _ = try registry.make("kl")
        }
        #expect(throws: ObjectiveError.unknownParameter(objective: "jsd", parameter: "alpha", known: ["beta"])) {
            _ = try registry.make("jsd", parameters: ["alpha": 0.1])
        }
        #expect(throws: ObjectiveError.unknownParameter(objective: "sft", parameter: "beta", known: [])) {
            _ = try registry.make("sft", parameters: ["beta": 1])
        }
    }

    @Test func refusesParametersOutOfRange() {
        #expect(throws: ObjectiveError.parameterOutOfRange(objective: "jsd", parameter: "beta", value: 1.5, allowed: "in [0.0, 1.0]")) {
            _ = try registry.make("jsd", parameters: ["beta": 1.5])
        }
        #expect(throws: ObjectiveError.parameterOutOfRange(objective: "skew-reverse-kl", parameter: "alpha", value: 1, allowed: "in [0, 1)")) {
            _ = try registry.make("skew-reverse-kl", parameters: ["alpha": 1])
        }
        #expect(throws: ObjectiveError.parameterOutOfRange(objective: "dpo", parameter: "beta", value: 0, allowed: "finite and > 0")) {
            _ = try registry.make("dpo", parameters: ["beta": 0])
        }
        #expect(throws: ObjectiveError.self) { _ = try registry.make("mmd", parameters: ["bandwidth": .nan]) }
        #expect(throws: ObjectiveError.self) { _ = try registry.make("policy-gradient", parameters: ["clip_epsilon": 1]) }
    }

    @Test func refusesAnObjectiveOfTheWrongLevel() {
        #expect(throws: ObjectiveError.wrongLevel(name: "dpo", level: "sequence", expected: "token")) {
            _ = try registry.makeTokenObjective("dpo")
        }
    }

    @Test func buildsAMixtureFromARecipeList() throws {
        let mixture = try registry.makeTokenMixture([
            .init(name: "sft", weight: 0.5), .init(name: "reverse-kl", weight: 0.5),
        ])
        #expect(mixture.parts.count == 2 && mixture.name == "0.5·sft + 0.5·reverse-kl")
        #expect(throws: ObjectiveError.invalidMixture(reason: "it has no parts")) { _ = try registry.makeTokenMixture([]) }
        #expect(throws: ObjectiveError.self) { _ = try registry.makeTokenMixture([.init(name: "sft", weight: -1)]) }
    }

    @Test func aPluginObjectiveRegistersAndIsCalledLikeABuiltIn() throws {
        var registry = ObjectiveRegistry.builtIn
        registry.register(ObjectiveDescriptor(
            name: "plugin-scaled-forward-kl", level: .token, summary: "test double of a plugin objective",
            parameters: [ObjectiveParameter(name: "scale", defaultValue: 2, allowed: "> 0") { $0 > 0 }]
        ) { parameters in
            .token(try TokenObjectiveMixture([.init(weight: parameters["scale"]!, objective: OverwritingOnly(inner: ForwardKL()))]))
        })
        let plugin = try registry.makeTokenObjective("plugin-scaled-forward-kl")
        let inputs = TokenCheckInputs(positions: 3, vocab: 5, seed: 4)
        #expect(abs(try meanLoss(plugin, inputs).loss - 2 * meanLoss(ForwardKL(), inputs).loss) < 1e-9)
        #expect(throws: ObjectiveError.parameterOutOfRange(objective: "plugin-scaled-forward-kl", parameter: "scale", value: -1, allowed: "> 0")) {
            _ = try registry.make("plugin-scaled-forward-kl", parameters: ["scale": -1])
        }
    }
}
