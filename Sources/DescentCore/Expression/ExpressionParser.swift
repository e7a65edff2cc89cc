import Foundation

/// A formula's syntax tree, each node with the column it starts at (1-based), for errors.
indirect enum ExpressionNode: Equatable, Sendable {
    case number(Double)
    case variable(Int)
    case unary(Character, ExpressionNode)
    case binary(Character, ExpressionNode, ExpressionNode)
    case call(String, [ExpressionNode])
}

/// A mistake in a typed formula: where (a 1-based column) and what.
public struct ExpressionError: Error, Equatable, Sendable, CustomStringConvertible {
    public let column: Int
    public let message: String
    public var description: String { "column \(column): \(message)" }
}

/// Reads a formula: numbers, the variables, `+ - * / ^`, parentheses, functions and constants.
///
/// `^` is power, right-associative and binding tighter than unary minus (`-x^2` is −(x²), `2^3^2` is 2⁹).
/// Functions of one argument: sin cos tan asin acos atan sinh cosh tanh exp log log1p sqrt abs; of two:
/// min max. Constants: pi, e. The text is never evaluated as code: it becomes a tree.
struct ExpressionParser {
    static let unaryFunctions = ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp", "log", "log1p", "sqrt", "abs"]
    static let binaryFunctions = ["min", "max"]
    static let constants: [String: Double] = ["pi": Double.pi, "e": M_E]

    let text: [Character]
    let variables: [String]
    var position = 0
    /// Levels of nesting open at the position (parentheses, calls, signs, exponents): the parser, the
    /// compiler and the tree's own release recurse once per level, so a limit keeps a hostile formula
    /// (two thousand '(') from overflowing the stack.
    var depth = 0
    static let maximumDepth = 100
    /// Longer formulas are refused: a chain of sums nests one level per term in the tree.
    static let maximumLength = 4096

    /// Each variable's index, looked up once per name in the formula rather than searched for.
    let indices: [String: Int]

    init(_ text: String, variables: [String]) {
        self.text = Array(text)
        self.variables = variables
        indices = Dictionary(variables.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func parse(_ text: String, variables: [String]) throws(ExpressionError) -> ExpressionNode {
        var parser = ExpressionParser(text, variables: variables)
        guard parser.text.count <= maximumLength else {
            throw ExpressionError(column: maximumLength + 1, message: "the formula is longer than \(maximumLength) characters")
        }
        parser.skipSpaces()
        guard parser.position < parser.text.count else { throw ExpressionError(column: 1, message: "the formula is empty") }
        let node = try parser.sum()
        parser.skipSpaces()
        if parser.position < parser.text.count {
            let c = parser.text[parser.position]
            throw ExpressionError(column: parser.position + 1, message: c == ")" ? "a ')' without its '('" : "unexpected '\(c)'")
        }
        return node
    }

    mutating func skipSpaces() { while position < text.count, text[position].isWhitespace { position += 1 } }

    mutating func sum() throws(ExpressionError) -> ExpressionNode {
        var left = try product()
        while true {
            skipSpaces()
            guard position < text.count, text[position] == "+" || text[position] == "-" else { return left }
            let op = text[position]; position += 1
            left = .binary(op, left, try product())
        }
    }

    mutating func product() throws(ExpressionError) -> ExpressionNode {
        var left = try signed()
        while true {
            skipSpaces()
            guard position < text.count, text[position] == "*" || text[position] == "/" else { return left }
            let op = text[position]; position += 1
            left = .binary(op, left, try signed())
        }
    }

    mutating func signed() throws(ExpressionError) -> ExpressionNode {
        skipSpaces()
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw ExpressionError(column: position + 1, message: "nested more than \(Self.maximumDepth) deep (parentheses, calls, signs, powers)")
        }
        if position < text.count, text[position] == "-" || text[position] == "+" {
            let op = text[position]; position += 1
            let operand = try signed()
            return op == "-" ? .unary("-", operand) : operand
        }
        return try power()
    }

    mutating func power() throws(ExpressionError) -> ExpressionNode {
        let base = try primary()
        skipSpaces()
        guard position < text.count, text[position] == "^" else { return base }
        position += 1
        // The exponent may carry a sign (x^-1) and is itself a power: right-associative.
        return .binary("^", base, try signed())
    }

    mutating func primary() throws(ExpressionError) -> ExpressionNode {
        skipSpaces()
        guard position < text.count else { throw ExpressionError(column: position + 1, message: "the formula ends where a number, a variable or '(' was expected") }
        let start = position
        let c = text[position]
        if c.isNumber || c == "." {
            while position < text.count, text[position].isNumber || text[position] == "." { position += 1 }
            if position < text.count, text[position] == "e" || text[position] == "E" {
                var look = position + 1
                if look < text.count, text[look] == "+" || text[look] == "-" { look += 1 }
                if look < text.count, text[look].isNumber {
                    position = look
                    while position < text.count, text[position].isNumber { position += 1 }
                }
            }
            let literal = String(text[start..<position])
            guard let value = Double(literal), value.isFinite else { throw ExpressionError(column: start + 1, message: "'\(literal)' is not a number") }
            return .number(value)
        }
        if c.isLetter || c == "_" {
            while position < text.count, text[position].isLetter || text[position].isNumber || text[position] == "_" { position += 1 }
            let name = String(text[start..<position])
            skipSpaces()
            if position < text.count, text[position] == "(" {
                let arity = Self.unaryFunctions.contains(name) ? 1 : (Self.binaryFunctions.contains(name) ? 2 : 0)
                guard arity > 0 else {
                    throw ExpressionError(column: start + 1, message: "unknown function '\(name)'" + suggestion(name, Self.unaryFunctions + Self.binaryFunctions))
                }
                position += 1
                var arguments = [try sum()]
                skipSpaces()
                while position < text.count, text[position] == "," {
                    position += 1
                    arguments.append(try sum())
                    skipSpaces()
                }
                guard position < text.count, text[position] == ")" else {
                    throw ExpressionError(column: position + 1, message: "'\(name)(' is not closed: a ')' is missing")
                }
                position += 1
                guard arguments.count == arity else {
                    throw ExpressionError(column: start + 1, message: "\(name) takes \(arity) argument\(arity == 1 ? "" : "s"), got \(arguments.count)")
                }
                return .call(name, arguments)
            }
            if let index = indices[name] { return .variable(index) }
            if let value = Self.constants[name] { return .number(value) }
            if Self.unaryFunctions.contains(name) || Self.binaryFunctions.contains(name) {
                throw ExpressionError(column: start + 1, message: "\(name) is a function: write \(name)(…)")
            }
            throw ExpressionError(column: start + 1, message: "'\(name)' is not a variable (variables: \(variables.joined(separator: ", ")))"
                                  + suggestion(name, variables + Array(Self.constants.keys)))
        }
        if c == "(" {
            position += 1
            let inner = try sum()
            skipSpaces()
            guard position < text.count, text[position] == ")" else {
                throw ExpressionError(column: start + 1, message: "this '(' is not closed")
            }
            position += 1
            return inner
        }
        throw ExpressionError(column: start + 1, message: c == ")" ? "a ')' where a number, a variable or '(' was expected" : "unexpected '\(c)'")
    }

    /// ` (did you mean sin?)` for a near miss (at most two edits), else nothing.
    func suggestion(_ name: String, _ candidates: [String]) -> String {
        func distance(_ a: String, _ b: String) -> Int {
            let a = Array(a), b = Array(b)
            var row = Array(0...b.count)
            for i in 1...max(1, a.count) where !a.isEmpty {
                var previous = row[0]; row[0] = i
                for j in 1...max(1, b.count) where !b.isEmpty {
                    let old = row[j]
                    row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                    previous = old
                }
            }
            return row[b.count]
        }
        // A one-letter name is an edit away from every other: no guess for those.
        guard name.count > 1, let best = candidates.min(by: { distance(name, $0) < distance(name, $1) }),
              distance(name, best) <= min(2, name.count - 1) else { return "" }
        return " (did you mean \(best)?)"
    }
}

extension ExpressionObjective {
    /// The first mistake in a formula over `variables` (its column and what), or nil when it reads:
    /// what an editor shows as the formula is typed.
    public static func problem(in formula: String, variables: [String]) -> ExpressionError? {
        do { _ = try ExpressionParser.parse(formula, variables: variables); return nil } catch { return error }
    }
}
