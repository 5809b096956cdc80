// Calls a plugin's exported native function through libffi. The call interface (ffi_cif) is
// prepared once from the tool's declared signature and reused for every call; arguments arrive
// as JSON and are checked against the declared C types before anything is called.
import CLibFFI
import Foundation
import RetortJSON

public struct ToolCallError: Error, LocalizedError, Sendable, Equatable {
    public let tool: String
    public let message: String
    public var errorDescription: String? { "tool \(tool): \(message)" }
}

final class ForeignFunction: @unchecked Sendable {
    let qualifiedName: String
    let signature: ToolSignature
    private let address: UnsafeMutableRawPointer
    private let cif: UnsafeMutablePointer<ffi_cif>
    private let argumentTypes: UnsafeMutablePointer<UnsafeMutablePointer<ffi_type>?>
    private let freeString: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void

    /// Prepares the call interface. `address` must be the dlsym result for the tool's symbol.
    init(qualifiedName: String, signature: ToolSignature, address: UnsafeMutableRawPointer,
         freeString: @escaping @convention(c) (UnsafeMutablePointer<CChar>?) -> Void) throws(ToolCallError) {
        self.qualifiedName = qualifiedName
        self.signature = signature
        self.address = address
        self.freeString = freeString
        let count = signature.parameters.count
        argumentTypes = .allocate(capacity: max(count, 1))
        for (i, parameter) in signature.parameters.enumerated() {
            argumentTypes[i] = Self.ffiType(parameter.type)
        }
        cif = .allocate(capacity: 1)
        let status = retort_ffi_prep_cif(cif, UInt32(count), Self.ffiType(signature.returnType), argumentTypes)
        guard status == FFI_OK else {
            throw ToolCallError(tool: qualifiedName, message: "libffi could not prepare the call interface (status \(status.rawValue))")
        }
    }

    deinit {
        cif.deallocate()
        argumentTypes.deallocate()
    }

    static func ffiType(_ type: CValueType) -> UnsafeMutablePointer<ffi_type> {
        switch type {
        case .int32: retort_ffi_type_sint32()
        case .int64: retort_ffi_type_sint64()
        case .double: retort_ffi_type_double()
        case .float: retort_ffi_type_float()
        case .bool: retort_ffi_type_uint8()
        case .borrowedString, .ownedString, .void: retort_ffi_type_pointer()
        }
    }

    /// Converts `arguments` (a JSON object keyed by parameter name) to C values, calls the
    /// function, and converts the result back to JSON.
    func call(arguments: JSONValue) throws(ToolCallError) -> JSONValue {
        let values = try convert(arguments)
        // Each argument gets its own 8-byte, 8-aligned slot; strings are copied and freed after.
        let slots = UnsafeMutableRawPointer.allocate(byteCount: max(values.count, 1) * 8, alignment: 8)
        let slotPointers = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: max(values.count, 1))
        var strings: [UnsafeMutablePointer<CChar>] = []
        defer {
            strings.forEach { free($0) }
            slots.deallocate()
            slotPointers.deallocate()
        }
        for (i, value) in values.enumerated() {
            let slot = slots + i * 8
            switch value {
            case .int32(let v): slot.storeBytes(of: v, as: Int32.self)
            case .int64(let v): slot.storeBytes(of: v, as: Int64.self)
            case .double(let v): slot.storeBytes(of: v, as: Double.self)
            case .float(let v): slot.storeBytes(of: v, as: Float.self)
            case .bool(let v): slot.storeBytes(of: v ? 1 : 0, as: UInt8.self)
            case .string(let s):
                guard let copy = strdup(s) else { throw ToolCallError(tool: qualifiedName, message: "out of memory") }
                strings.append(copy)
                slot.storeBytes(of: UnsafePointer(copy), as: UnsafePointer<CChar>.self)
            }
            slotPointers[i] = slot
        }
        // libffi widens integral results narrower than a register to ffi_arg (8 bytes here).
        var result: UInt64 = 0
        withUnsafeMutableBytes(of: &result) { resultBytes in
            retort_ffi_call(cif, address, resultBytes.baseAddress, slotPointers)
        }
        return try decodeResult(result)
    }

    private enum CArgument {
        case int32(Int32), int64(Int64), double(Double), float(Float), bool(Bool), string(String)
    }

    private func convert(_ arguments: JSONValue) throws(ToolCallError) -> [CArgument] {
        guard let given = arguments.objectValue else {
            throw ToolCallError(tool: qualifiedName, message: "arguments must be a JSON object, found \(arguments.typeName)")
        }
        let names = Set(signature.parameters.map(\.name))
        if let unknown = given.keys.sorted().first(where: { !names.contains($0) }) {
            throw ToolCallError(tool: qualifiedName, message: "unknown argument '\(unknown)'; the tool takes \(signatureList)")
        }
        var values: [CArgument] = []
        for parameter in signature.parameters {
            guard let value = given[parameter.name] else {
                throw ToolCallError(tool: qualifiedName,
                                    message: "missing argument '\(parameter.name)' (\(parameter.type.rawValue)); the tool takes \(signatureList)")
            }
            values.append(try convert(value, to: parameter))
        }
        return values
    }

    private var signatureList: String { signature.parameters.isEmpty ? "no arguments" : signature.description }

    private func convert(_ value: JSONValue, to parameter: ToolParameter) throws(ToolCallError) -> CArgument {
        func wrong(_ expected: String) -> ToolCallError {
            ToolCallError(tool: qualifiedName,
                          message: "argument '\(parameter.name)' must be \(expected), got \(value.jsonText)")
        }
        switch parameter.type {
        case .int32:
            guard let n = value.doubleValue, n == n.rounded(), n >= Double(Int32.min), n <= Double(Int32.max) else {
                throw wrong("an integer in the int32_t range")
            }
            return .int32(Int32(n))
        case .int64:
            // JSON numbers are doubles: only integers up to 2^53 are exact.
            guard let n = value.doubleValue, n == n.rounded(), abs(n) <= 9_007_199_254_740_992 else {
                throw wrong("an integer within ±2^53 (int64_t)")
            }
            return .int64(Int64(n))
        case .double:
            guard let n = value.doubleValue else { throw wrong("a number") }
            return .double(n)
        case .float:
            guard let n = value.doubleValue, n.isNaN || abs(n) <= Double(Float.greatestFiniteMagnitude) else {
                throw wrong("a number in the float range")
            }
            return .float(Float(n))
        case .bool:
            guard let b = value.boolValue else { throw wrong("true or false") }
            return .bool(b)
        case .borrowedString:
            guard let s = value.stringValue else { throw wrong("a string") }
            guard !s.utf8.contains(0) else { throw wrong("a string without NUL characters") }
            return .string(s)
        case .ownedString, .void:
            throw wrong("a supported parameter type")
        }
    }

    private func decodeResult(_ raw: UInt64) throws(ToolCallError) -> JSONValue {
        switch signature.returnType {
        case .int32: return .number(Double(Int32(truncatingIfNeeded: Int64(bitPattern: raw))))
        case .int64: return .number(Double(Int64(bitPattern: raw)))
        case .double: return .number(Double(bitPattern: raw))
        case .float: return .number(Double(Float(bitPattern: UInt32(truncatingIfNeeded: raw))))
        case .bool: return .bool(raw & 0xFF != 0)
        case .borrowedString, .ownedString:
            guard let pointer = UnsafeMutablePointer<CChar>(bitPattern: UInt(raw)) else {
                throw ToolCallError(tool: qualifiedName, message: "the tool returned a NULL string")
            }
            let text = String(cString: pointer)
            if signature.returnType == .ownedString { freeString(pointer) }
            return .string(text)
        case .void:
            return .null
        }
    }
}
