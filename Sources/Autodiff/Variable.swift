import Tensors

/// Whether new operations are recorded for backpropagation (PyTorch's grad mode).
/// Task-local, so a `noGrad` scope in one test or thread never affects another.
public enum GradMode {
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording operations (inference, parameter updates).
public func noGrad<T>(_ body: () throws -> T) rethrows -> T {
    try GradMode.$isEnabled.withValue(false) { try body() }
}

/// Runs `body` with `parameters` fixed: no gradient is computed for them or accumulated into
/// them (PyTorch's `requires_grad_(False)` for the span of `body`), so a backward pass through a
/// trained model computes ∂/∂input alone — Jacobians, attribution maps, adversarial inputs. Not
/// for parameters that another thread trains meanwhile.
public func withFixedParameters<T>(_ parameters: [Variable], _ body: () throws -> T) rethrows -> T {
    let leaves = parameters.filter(\.isLeaf), previous = leaves.map(\.requiresGrad)
    for p in leaves { p.requiresGrad = false }
    defer { for (p, r) in zip(leaves, previous) { p.requiresGrad = r } }
    return try body()
}

/// A node of the dynamic computation graph: a value, the variables it was computed
/// from, and the pullback that maps ∂L/∂value to ∂L/∂parent for each parent.
///
/// Leaves created with `requiresGrad: true` are parameters: `backward()` accumulates
/// into their `grad` (call `zeroGrad()` between steps). Intermediate gradients are freed.
public final class Variable {
    public var value: Tensor
    public var grad: Tensor?
    /// Whether backward computes ∂L/∂self (set for a span by `withFixedParameters`).
    public internal(set) var requiresGrad: Bool
    let parents: [Variable]
    let pullback: ((Tensor) -> [Tensor?])?
    /// The operation that made this variable (e.g. `matmul(_:_:)`); "leaf" for inputs and
    /// parameters. Named in backward's errors.
    public let op: String

    public init(_ value: Tensor, requiresGrad: Bool = false) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.parents = []
        self.pullback = nil
        self.op = "leaf"
    }

    init(value: Tensor, parents: [Variable], op: String, pullback: @escaping (Tensor) -> [Tensor?]) {
        self.value = value
        self.requiresGrad = true
        self.parents = parents
        self.pullback = pullback
        self.op = op
    }

    /// The result of an operation: recorded only when grad mode is on and an input needs a gradient.
    /// Public so that a model can define an op with its own backward rule (e.g. DeepLIFT's
    /// multipliers): `pullback` maps the output's gradient to one gradient per parent. `op` names the
    /// operation in backward's errors; by default the calling function's name.
    public static func record(_ value: Tensor, _ parents: [Variable], op: String = #function,
                              _ pullback: @escaping (Tensor) -> [Tensor?]) -> Variable {
        if GradMode.isEnabled && parents.contains(where: \.requiresGrad) {
            return Variable(value: value, parents: parents, op: op, pullback: pullback)
        }
        return Variable(value)
    }

    /// What is wrong with the gradients an op's pullback returned, or nil: one per parent, each of
    /// its parent's shape (a programmer error in the op, so backward stops with this message).
    static func pullbackProblem(op: String, gradients: [Tensor?], parents: [Variable]) -> String? {
        guard gradients.count == parents.count else {
            return "backward of \(op): pullback gave \(gradients.count) gradients for \(parents.count) parents"
        }
        for (k, (p, g)) in zip(parents, gradients).enumerated() {
            if let g, p.requiresGrad, g.shape != p.shape {
                return "backward of \(op): pullback gave shape \(g.shape) for parent \(k) of shape \(p.shape)"
            }
        }
        return nil
    }

    public var shape: [Int] { value.shape }
    public var isLeaf: Bool { pullback == nil }
    /// The value of a one-element variable.
    public var item: Float { value.scalar }

    public func zeroGrad() { grad = nil }

    /// Reverse-mode sweep from this variable. `seed` defaults to 1 for a scalar.
    public func backward(_ seed: Tensor? = nil) {
        precondition(seed != nil || value.count == 1, "backward() without a seed needs a scalar, got shape \(shape)")
        guard requiresGrad else { return }
        // Topological order by iterative post-order DFS (graphs can be deep).
        var order: [Variable] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Variable, Bool)] = [(self, false)]
        while let (v, expanded) = stack.popLast() {
            if expanded { order.append(v); continue }
            guard visited.insert(ObjectIdentifier(v)).inserted else { continue }
            stack.append((v, true))
            for p in v.parents where p.requiresGrad && !visited.contains(ObjectIdentifier(p)) {
                stack.append((p, false))
            }
        }
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed ?? Tensor(repeating: 1, shape: shape)]
        for v in order.reversed() {
            guard let g = grads.removeValue(forKey: ObjectIdentifier(v)) else { continue }
            guard let pullback = v.pullback else {
                if v.grad == nil { v.grad = g } else { v.grad! += g }
                continue
            }
            let gradients = pullback(g)
            if let problem = Variable.pullbackProblem(op: v.op, gradients: gradients, parents: v.parents) { preconditionFailure(problem) }
            for (p, pg) in zip(v.parents, gradients) where p.requiresGrad {
                guard let pg else { continue }
                let key = ObjectIdentifier(p)
                if grads[key] == nil { grads[key] = pg } else { grads[key]! += pg }
            }
        }
    }
}
