import Foundation
import Testing
@testable import DescentCore

/// Typed formulas: the grammar, exact derivatives, and errors with their column.
@Suite struct ExpressionTests {
    func objective(_ f: String, dimension: Int = 2, variables: [String]? = nil) throws -> ExpressionObjective {
        let spec = ExpressionKind.spec(formula: f, variables: variables)
        return try spec.makeObjective(dimension: dimension, baseDirectory: "") as! ExpressionObjective
    }

    @Test func grammar() throws {
        let f = try objective("-x^2 + 2^3^2 - y/2*4")
        #expect(f.loss(at: [3, 1]) == -9 + 512 - 2)
        #expect(try objective("min(x, y) + max(x, y) + pi + e").loss(at: [1, 2]) == 3 + Double.pi + M_E)
        #expect(try objective("1e-3*x + 2.5E2*y").loss(at: [1, 1]) == 0.001 + 250)
        #expect(try objective("x^-1", dimension: 1).loss(at: [4]) == 0.25)
        #expect(try objective("a*b - c", dimension: 3, variables: ["a", "b", "c"]).loss(at: [2, 3, 1]) == 5)
        #expect(try objective("x1 + x3", dimension: 3).loss(at: [1, 2, 3]) == 4)
    }

    /// ∇f (reverse mode) against central differences, ∇²f (hyper-dual) against differences of ∇f, on formulas
    /// that use every function.
    @Test func derivativesAreExact() throws {
        let formulas = ["sin(x)*cos(y) + 0.1*(x^2 + y^2)", "log(1 + exp(x - y)) + 0.5*(x + 2*y)^2 + 0.05*x^4",
                        "tanh(x)^2 + 0.1*y^2 + exp(-x^2 - y^2)", "sqrt(1 + x^2) * atan(y) + sinh(x/3) - cosh(y/4)",
                        "tan(x/4) + asin(y/3) + acos(x/5) + log1p(y^2) + abs(x - 0.3) + x^y", "min(x^2, y^2) + max(x, 2*y) / (1 + y^2)"]
        var rng = SeededGenerator(seed: 4)
        for formula in formulas {
            let f = try objective(formula)
            for _ in 0..<5 {
                let p = [rng.nextUnit() * 1.6 + 0.2, rng.nextUnit() * 1.6 + 0.2]
                var g = [0.0, 0.0]
                f.gradient(at: p, into: &g)
                let h = f.hessian(at: p)
                for k in 0..<2 {
                    let step = 1e-6
                    var plus = p, minus = p
                    plus[k] += step; minus[k] -= step
                    let numeric = (f.loss(at: plus) - f.loss(at: minus)) / (2 * step)
                    #expect(abs(numeric - g[k]) <= 1e-6 * max(1, abs(numeric)), "\(formula) ∂\(k) at \(p)")
                    var gp = [0.0, 0.0], gm = [0.0, 0.0]
                    f.gradient(at: plus, into: &gp); f.gradient(at: minus, into: &gm)
                    for j in 0..<2 {
                        let second = (gp[j] - gm[j]) / (2 * step)
                        #expect(abs(second - h[j * 2 + k]) <= 1e-5 * max(1, abs(second)), "\(formula) ∂²\(j)\(k) at \(p)")
                    }
                }
            }
        }
    }

    /// torch's conventions where a function is not smooth: abs′(0) = 0; a tie in min/max splits the gradient.
    @Test func nonSmoothPoints() throws {
        var g = [0.0, 0.0]
        try objective("abs(x) + max(x, y)").gradient(at: [0, 0], into: &g)
        #expect(g == [0.5, 0.5])
    }

    /// The longest formula allowed, a chain of 2048 sums (a tree 2048 deep), parses, compiles, steps and is
    /// released on a test thread's stack.
    @Test func theLongestChainCompiles() throws {
        let f = try objective(Array(repeating: "x", count: 2048).joined(separator: "+"))
        var run = try Run(label: "a", objective: f, start: [1, 1], hyperparameters: SGDHyperparameters(lr: 1e-4))
        run.advance(by: 3)
        #expect(f.loss(at: [1, 0]) == 2048 && run.stepCount == 3)
    }

    /// A typed Rosenbrock steps as the built-in one, to 1e-10.
    @Test func typedRosenbrockIsRosenbrock() throws {
        let h = SGDHyperparameters(lr: 5e-4, momentum: 0.9, nesterov: true)
        var typed = try Run(label: "t", objective: objective("(1 - x)^2 + 100*(y - x^2)^2"), start: [-1.5, 2], hyperparameters: h)
        var builtIn = try Run(label: "b", objective: Rosenbrock(), start: [-1.5, 2], hyperparameters: h)
        for _ in 0..<2000 {
            typed.step(); builtIn.step()
            for (a, b) in zip(typed.parameters, builtIn.parameters) { #expect(abs(a - b) <= 1e-10 * max(1, abs(b))) }
        }
    }

    /// A run that takes a function out of its domain stops with a status naming the function and its argument.
    @Test(arguments: [
        // From 1.5, one step to 1.5 − lr·f′(1.5), or the start itself.
        ("log(x) + x^2", 0.6, "diverged at step 1: log(-0.7) is undefined"),
        ("sqrt(x) + x", 2.0, "diverged at step 1: sqrt(-1.3165) is undefined"),
        ("asin(x) + 4*x", 1.0, "diverged at step 0: asin(1.5) is undefined"),
        ("(x - 1)^0.5 + x", 0.5, "diverged at step 1: (-0.353553)^0.5 is undefined"),
        ("exp(x^2)", 2.0, "diverged at step 1: exp(3072.09) overflows"),
        ("x + 0*log(x - 1)", 0.5, "diverged at step 1: log(0) is -inf"),
        ("x + 0*(1/(x - 1))", 0.5, "diverged at step 1: 1/0 is inf"),
        ("x + 0*(0/(x - 1))", 0.5, "diverged at step 1: 0/0 is undefined"),
        // exp overflows first, but 1/inf is 0: the NaN comes from the log.
        ("1/exp(x^2) + log(x) + 10*x^2", 1.0, "diverged at step 1: log(-28.8505) is undefined"),
    ])
    func domainErrorsNameTheFunction(formula: String, lr: Double, expected: String) throws {
        var run = try Run(label: "a", objective: objective(formula, dimension: 1), start: [1.5], hyperparameters: SGDHyperparameters(lr: lr))
        run.advance(by: 10)
        #expect(run.status.description == expected)
        // A built-in objective has no domain to explain; its loss runs away first.
        var quadratic = try Run(label: "q", objective: Quadratic(matrix: [[1]]), start: [1], hyperparameters: SGDHyperparameters(lr: 3))
        quadratic.advance(by: 2000)
        #expect(quadratic.status.description.hasPrefix("diverged at step ") && quadratic.status.description.contains("the loss ran away"))
    }

    /// A gradient infinite at the edge of a domain (sqrt at 0, acos at 1) takes θ to infinity on the next step:
    /// the status names the function whose slope did it, stepped in bulk or one step at a time.
    @Test(arguments: [("sqrt(x) + y^2", [0.0, 1], "the slope of sqrt at 0 is infinite"),
                      ("acos(x) + y^2", [1.0, 1], "the slope of acos at 1 is infinite"),
                      ("x^0.3 + y^2", [0.0, 1], "the slope of (0)^0.3 is infinite"),
                      ("sqrt(x^2 + y^2)", [0.0, 0], "the slope of sqrt at 0 is infinite")])
    func infiniteSlopesNameTheFunction(formula: String, start: [Double], cause: String) throws {
        for momentum in [0.0, 0.9] {
            var bulk = try Run(label: "a", objective: objective(formula), start: start, hyperparameters: SGDHyperparameters(lr: 0.1, momentum: momentum))
            var single = bulk
            bulk.advance(by: 5)
            for _ in 0..<5 { single.step() }
            #expect(bulk.status.description == "diverged at step 1: \(cause)", "momentum \(momentum)")
            #expect(single.status == bulk.status)
        }
        // Reaching the edge mid-run, inside one bulk call: (0.5, 0) steps to the cone's tip, then to infinity.
        var cone = try Run(label: "c", objective: objective("sqrt(x^2 + y^2)"), start: [0.5, 0], hyperparameters: SGDHyperparameters(lr: 0.5))
        cone.advance(by: 5)
        #expect(cone.status.description == "diverged at step 2: the slope of sqrt at 0 is infinite")
        // A run that stays away from the edge keeps no stale cause: it diverges, if ever, for its own reason.
        var fine = try Run(label: "b", objective: objective(formula), start: [0.5, 0.5], hyperparameters: SGDHyperparameters(lr: 1e-3))
        fine.advance(by: 10)
        #expect(!fine.isDiverged)
    }

    /// A typed formula's bulk steps are its single steps, bit for bit.
    @Test func bulkStepsOfAFormulaAreItsSingleSteps() throws {
        let f = try objective("sin(x)*cos(y) + 0.1*(x^2 + y^2)")
        for h in [SGDHyperparameters(lr: 0.1), SGDHyperparameters(lr: 0.05, momentum: 0.9, nesterov: true),
                  SGDHyperparameters(lr: 0.05, momentum: 0.5, dampening: 0.3, weightDecay: 0.01, maximize: false)] {
            var bulk = try Run(label: "a", objective: f, start: [1, 2], hyperparameters: h)
            var single = bulk
            bulk.advance(by: 300)
            for _ in 0..<300 { single.step() }
            #expect(bulk.parameters == single.parameters && bulk.loss == single.loss)
        }
    }

    /// One line with the field and the column, for each kind of mistake.
    @Test(arguments: [
        ("sn(x) + y", "column 1: unknown function 'sn' (did you mean sin?)"),
        ("(x + y", "column 1: this '(' is not closed"),
        ("x + y)", "column 6: a ')' without its '('"),
        ("x + z", "column 5: 'z' is not a variable (variables: x, y)"),
        ("max(x)", "column 1: max takes 2 arguments, got 1"),
        ("sin(x, y)", "column 1: sin takes 1 argument, got 2"),
        ("x +", "column 4: the formula ends where a number, a variable or '(' was expected"),
        ("", "column 1: the formula is empty"),
        ("x ** 2", "column 4: unexpected '*'"),
        // Hostile sizes: nesting and length are bounded, so the recursive parser and compiler keep to the stack.
        (String(repeating: "(", count: 2000) + "x", "column 101: nested more than 100 deep (parentheses, calls, signs, powers)"),
        (String(repeating: "-", count: 3000) + "x", "column 101: nested more than 100 deep (parentheses, calls, signs, powers)"),
        (Array(repeating: "x", count: 300).joined(separator: "^"), "column 201: nested more than 100 deep (parentheses, calls, signs, powers)"),
        (Array(repeating: "x", count: 5000).joined(separator: "+"), "column 4097: the formula is longer than 4096 characters"),
    ])
    func errorsNameTheColumn(formula: String, expected: String) throws {
        let path = NSTemporaryDirectory() + "descent-expr-\(getpid())-\(abs(formula.hashValue)).yaml"
        try "name: e\nobjective: {kind: expression, f: \"\(formula)\"}\nstart: [1, 2]\nruns:\n  - {label: a, lr: 0.01}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do { _ = try Experiment.load(contentsOf: path); Issue.record("accepted '\(formula)'") } catch {
            #expect(error.description == "\(path):2: objective.f: \(expected)")
        }
    }

    /// A scenario with a typed objective writes and reads back equal.
    @Test func writesBack() throws {
        let text = "name: e\nobjective: {kind: expression, variables: [a, b], f: \"a^2 + 2*b^2\", minima: [[0, 0]], view: [-2, 2, -1, 1]}\nstart: [1, 1]\nruns:\n  - {label: a, lr: 0.1}\n"
        let scenario = try Scenario.decode(yaml: text, file: "e.yaml")
        #expect(try Scenario.decode(yaml: scenario.yamlText(), file: "f.yaml") == scenario)
        let experiment = try Experiment(scenario: scenario)
        #expect(experiment.objective.knownMinima == [[0, 0]] && experiment.objective.parameterNames == ["a", "b"])
    }
}
