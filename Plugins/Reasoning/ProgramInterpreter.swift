// Runs a parsed program of thought and reads its answer. Integers stay exact (an overflow past 64
// bits is an error, never a wrap), `/` is true division as in Python 3, `//` and `%` floor like
// Python, `round` rounds half to even. Without loops a program always ends; a step budget and a
// call-depth limit bound recursion and size anyway. No name reaches the host: the only functions
// are the arithmetic built-ins below and the program's own.
import Foundation

enum ProgramValue: Equatable {
    case int(Int)
    case float(Double)

    var double: Double {
        switch self {
        case .int(let n): Double(n)
        case .float(let x): x
        }
    }

    /// As an exact-match answer: "36", "2.5"; binary noise is rounded away at 10 significant digits.
    var answerText: String {
        switch self {
        case .int(let n): return String(n)
        case .float(let x):
            if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
            return AnswerExtraction.canonicalNumber(String(format: "%.10g", x))
        }
    }
}

struct ProgramRun {
    /// The answer the program computed, as `answerText`.
    let answer: String
    /// Where it came from: "variable answer", "print", "return of solution()".
    let source: String
}

final class ProgramInterpreter {
    static let answerVariables = ["answer", "final_answer", "ans", "result", "solution", "total"]
    static let entryFunctions = ["solution", "solve", "main", "compute", "calculate"]
    static let maximumSteps = 20_000
    static let maximumCallDepth = 16

    private var globals: [String: ProgramValue] = [:]
    private var functions: [String: (parameters: [String], body: [ProgramStatement])] = [:]
    private var printed: [ProgramValue] = []
    private var steps = 0
    private var callDepth = 0

    /// Parses and runs `program`, then reads its answer: the first of `answerVariables` it sets,
    /// else the last number it printed, else what an entry function (`solution()`, …) returns.
    static func run(_ program: String) throws(ProgramError) -> ProgramRun {
        let statements = try ProgramParser.parse(program)
        let interpreter = ProgramInterpreter()
        var scope: [String: ProgramValue] = [:]
        _ = try interpreter.execute(statements, scope: &scope, isGlobal: true)
        for name in answerVariables {
            if let value = interpreter.globals[name] { return ProgramRun(answer: value.answerText, source: "variable \(name)") }
        }
        if let value = interpreter.printed.last { return ProgramRun(answer: value.answerText, source: "print") }
        for name in entryFunctions {
            if let function = interpreter.functions[name], function.parameters.isEmpty {
                let value = try interpreter.call(name, arguments: [], line: 0)
                return ProgramRun(answer: value.answerText, source: "return of \(name)()")
            }
        }
        throw ProgramError(line: 0, message: "the program neither sets `answer` nor prints a number")
    }

    /// Runs statements; returns the value of a `return`, if one ran.
    private func execute(_ statements: [ProgramStatement], scope: inout [String: ProgramValue], isGlobal: Bool)
        throws(ProgramError) -> ProgramValue?
    {
        for statement in statements {
            switch statement {
            case .function(let name, let parameters, let body, _):
                functions[name] = (parameters, body)
            case .assign(let name, let op, let expression, let line):
                var value = try evaluate(expression, scope: scope, line: line)
                if let op {
                    guard let current = scope[name] ?? globals[name] else {
                        throw ProgramError(line: line, message: "\"\(name)\" is used before it is assigned")
                    }
                    value = try Self.apply(op, current, value, line: line)
                }
                scope[name] = value
                if isGlobal { globals[name] = value }
            case .print(let arguments, let line):
                for argument in arguments {
                    if let value = try printedValue(argument, scope: scope, line: line) { printed.append(value) }
                }
            case .return(let expression, let line):
                return try evaluate(expression, scope: scope, line: line)
            case .expression(let expression, let line):
                _ = try evaluate(expression, scope: scope, line: line)
            }
        }
        return nil
    }

    /// The number a print argument shows: the value itself, or the last value inside an f-string.
    private func printedValue(_ expression: ProgramExpression, scope: [String: ProgramValue], line: Int) throws(ProgramError) -> ProgramValue? {
        switch expression {
        case .text: return nil
        case .formatted(let pieces):
            var last: ProgramValue?
            for case .value(let inner, let spec) in pieces {
                last = Self.formatted(try evaluate(inner, scope: scope, line: line), spec: spec)
            }
            return last
        default: return try evaluate(expression, scope: scope, line: line)
        }
    }

    /// `{x:.2f}` shows x rounded to 2 places; other specs show the value as it is.
    static func formatted(_ value: ProgramValue, spec: String) -> ProgramValue {
        guard let match = spec.wholeMatch(of: /,?\.(\d)f/), let places = Int(match.output.1) else { return value }
        let scale = pow(10, Double(places))
        return .float((value.double * scale).rounded(.toNearestOrEven) / scale)
    }

    private func evaluate(_ expression: ProgramExpression, scope: [String: ProgramValue], line: Int) throws(ProgramError) -> ProgramValue {
        steps += 1
        guard steps <= Self.maximumSteps else { throw ProgramError(line: line, message: "the program takes more than \(Self.maximumSteps) steps") }
        switch expression {
        case .integer(let n): return .int(n)
        case .real(let x): return .float(x)
        case .name(let name):
            if let value = scope[name] ?? globals[name] { return value }
            switch name {
            case "math.pi": return .float(Double.pi)
            case "math.e": return .float(M_E)
            default: throw ProgramError(line: line, message: "\"\(name)\" is not defined")
            }
        case .text, .formatted: throw ProgramError(line: line, message: "a string is not a number")
        case .negate(let operand):
            switch try evaluate(operand, scope: scope, line: line) {
            case .int(let n):
                guard n != Int.min else { throw ProgramError(line: line, message: "integer overflow") }
                return .int(-n)
            case .float(let x): return .float(-x)
            }
        case .binary(let op, let left, let right):
            return try Self.apply(op, try evaluate(left, scope: scope, line: line), try evaluate(right, scope: scope, line: line), line: line)
        case .call(let name, let argumentExpressions):
            // An unknown function is refused before its arguments are looked at.
            guard functions[name] != nil || Builtins.names.contains(name) else {
                throw ProgramError(line: line, message: "unknown function \(name)(); allowed: \(Builtins.names.joined(separator: ", ")) "
                    + "and the program's own functions")
            }
            var arguments: [ProgramValue] = []
            for argument in argumentExpressions { arguments.append(try evaluate(argument, scope: scope, line: line)) }
            return try call(name, arguments: arguments, line: line)
        }
    }

    private func call(_ name: String, arguments: [ProgramValue], line: Int) throws(ProgramError) -> ProgramValue {
        if let function = functions[name] {
            guard arguments.count == function.parameters.count else {
                throw ProgramError(line: line, message: "\(name)() takes \(function.parameters.count) arguments, got \(arguments.count)")
            }
            guard callDepth < Self.maximumCallDepth else {
                throw ProgramError(line: line, message: "calls nest more than \(Self.maximumCallDepth) deep")
            }
            callDepth += 1
            defer { callDepth -= 1 }
            var scope = Dictionary(uniqueKeysWithValues: zip(function.parameters, arguments))
            return try execute(function.body, scope: &scope, isGlobal: false) ?? .int(0)
        }
        return try Builtins.call(name, arguments, line: line)
    }

    /// One arithmetic operation, Python 3 semantics, overflow and division by zero as errors.
    static func apply(_ op: String, _ a: ProgramValue, _ b: ProgramValue, line: Int) throws(ProgramError) -> ProgramValue {
        func failure(_ message: String) -> ProgramError { ProgramError(line: line, message: message) }
        if case .int(let x) = a, case .int(let y) = b {
            switch op {
            case "+", "-", "*":
                let (value, overflow) = op == "+" ? x.addingReportingOverflow(y) : op == "-" ? x.subtractingReportingOverflow(y)
                    : x.multipliedReportingOverflow(by: y)
                guard !overflow else { throw failure("integer overflow in \(x) \(op) \(y)") }
                return .int(value)
            case "//", "%":
                guard y != 0 else { throw failure("division by zero") }
                guard !(x == Int.min && y == -1) else { throw failure("integer overflow") }
                // Python floors: the remainder takes the divisor's sign (|remainder| < |y|, no overflow).
                var quotient = x / y, remainder = x % y
                if remainder != 0, (remainder < 0) != (y < 0) {
                    remainder += y
                    quotient -= 1
                }
                return op == "//" ? .int(quotient) : .int(remainder)
            case "**" where y >= 0:
                var result = 1
                for _ in 0..<min(y, 64) {
                    let (next, overflow) = result.multipliedReportingOverflow(by: x)
                    guard !overflow else { throw failure("integer overflow in \(x) ** \(y)") }
                    result = next
                }
                if y > 64, abs(x) > 1 { throw failure("integer overflow in \(x) ** \(y)") }
                if y > 64, x == -1 { return .int(y % 2 == 0 ? 1 : -1) }
                return .int(result)
            default: break
            }
        }
        let x = a.double, y = b.double
        let value: Double
        switch op {
        case "+": value = x + y
        case "-": value = x - y
        case "*": value = x * y
        case "/":
            guard y != 0 else { throw failure("division by zero") }
            value = x / y
        case "//", "%":
            guard y != 0 else { throw failure("division by zero") }
            let quotient = (x / y).rounded(.down)
            value = op == "//" ? quotient : x - quotient * y
        case "**":
            if x < 0, y != y.rounded() { throw failure("a negative number to a fractional power has no real value") }
            if x == 0, y < 0 { throw failure("division by zero (0 to a negative power)") }
            value = pow(x, y)
        default: throw failure("unknown operator \(op)")
        }
        guard value.isFinite else { throw failure("the result of \(op) overflows") }
        return .float(value)
    }
}

/// The built-in functions a program may call: Python's arithmetic built-ins and `math`'s.
enum Builtins {
    static let names = ["abs", "round", "min", "max", "int", "float", "pow", "math.sqrt", "math.floor", "math.ceil",
                        "math.fabs", "math.pow", "math.isqrt", "math.gcd", "math.trunc"]

    static func call(_ name: String, _ args: [ProgramValue], line: Int) throws(ProgramError) -> ProgramValue {
        func failure(_ message: String) -> ProgramError { ProgramError(line: line, message: message) }
        func arity(_ counts: ClosedRange<Int>) throws(ProgramError) {
            guard counts.contains(args.count) else {
                let expected = counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)" : "\(counts.lowerBound) or \(counts.upperBound)"
                throw failure("\(name)() takes \(expected) argument(s), got \(args.count)")
            }
        }
        func integral(_ x: Double) throws(ProgramError) -> ProgramValue {
            guard x.isFinite, abs(x) < 9.2e18 else { throw failure("\(name)() overflows") }
            return .int(Int(x))
        }
        switch name {
        case "abs", "math.fabs":
            try arity(1...1)
            if case .int(let n) = args[0], name == "abs" {
                guard n != Int.min else { throw failure("integer overflow") }
                return .int(abs(n))
            }
            return .float(abs(args[0].double))
        case "round":
            try arity(1...2)
            if args.count == 1 { return try integral(args[0].double.rounded(.toNearestOrEven)) }
            guard case .int(let places) = args[1], (-15...15).contains(places) else { throw failure("round()'s digits must be a small integer") }
            if case .int = args[0], places >= 0 { return args[0] }
            let scale = pow(10, Double(places))
            return .float((args[0].double * scale).rounded(.toNearestOrEven) / scale)
        case "min", "max":
            guard !args.isEmpty else { throw failure("\(name)() needs at least one argument") }
            return args.dropFirst().reduce(args[0]) { best, next in
                (name == "min" ? next.double < best.double : next.double > best.double) ? next : best
            }
        case "int", "math.trunc":
            try arity(1...1)
            if case .int = args[0] { return args[0] }
            return try integral(args[0].double.rounded(.towardZero))
        case "float":
            try arity(1...1)
            return .float(args[0].double)
        case "pow", "math.pow":
            try arity(2...2)
            return try ProgramInterpreter.apply("**", name == "math.pow" ? .float(args[0].double) : args[0], args[1], line: line)
        case "math.sqrt", "math.isqrt":
            try arity(1...1)
            guard args[0].double >= 0 else { throw failure("\(name)() of a negative number") }
            let root = args[0].double.squareRoot()
            return name == "math.isqrt" ? try integral(root.rounded(.down)) : .float(root)
        case "math.floor":
            try arity(1...1)
            return try integral(args[0].double.rounded(.down))
        case "math.ceil":
            try arity(1...1)
            return try integral(args[0].double.rounded(.up))
        case "math.gcd":
            try arity(2...2)
            guard case .int(var a) = args[0], case .int(var b) = args[1], a != Int.min, b != Int.min else {
                throw failure("math.gcd() takes integers")
            }
            a = abs(a); b = abs(b)
            while b != 0 { (a, b) = (b, a % b) }
            return .int(a)
        default:
            throw failure("unknown function \(name)(); allowed: \(names.joined(separator: ", ")) and the program's own functions")
        }
    }
}
