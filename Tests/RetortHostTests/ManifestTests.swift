// Manifest validation: every required field, the id form, the kind.
import RetortHost
import RetortJSON
import Testing

@Suite struct ManifestTests {
    let valid: [String: JSONValue] = ["id": "law", "kind": "vertical", "name": "Law", "version": "1.0", "description": "d"]

    @Test func validManifestIsAccepted() throws {
        let manifest = try PluginManifest(json: .object(valid))
        #expect(manifest.id == "law")
        #expect(manifest.kind == .vertical)
    }

    @Test(arguments: ["Law", "law.v2", "-law", "", "läw"])
    func malformedIDsAreRejected(id: String) {
        var fields = valid
        fields["id"] = .string(id)
        #expect(throws: ManifestError.self) { try PluginManifest(json: .object(fields)) }
    }

    @Test func unknownKindIsRejectedWithTheKnownOnes() {
        var fields = valid
        fields["kind"] = "gadget"
        do {
            _ = try PluginManifest(json: .object(fields))
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "kind \"gadget\" is unknown; expected \"skill\" or \"vertical\"")
        }
    }

    @Test func wrongTypesAreNamed() {
        var fields = valid
        fields["version"] = 1
        fields["provides"] = "everything"
        do {
            _ = try PluginManifest(json: .object(fields))
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("field \"version\" must be a non-empty string, found a number"))
            #expect(error.message.contains("field \"provides\" must be an object"))
        }
    }

    @Test func nonObjectIsRejected() {
        #expect(throws: ManifestError.self) { try PluginManifest(json: ["id", "law"]) }
    }
}
