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

/// A node of the dynamic computation graph: a value, the variables it was computed
/// from, and the pullback that maps ∂L/∂value to ∂L/∂parent for each parent.
///
/// Leaves created with `requiresGrad: true` are parameters: `backward()` accumulates
/// into their `grad` (call `zeroGrad()` between steps). Intermediate gradients are freed.
public final class Variable {
    public var value: Tensor
    public var grad: Tensor?
    public let requiresGrad: Bool
    let parents: [Variable]
    let pullback: ((Tensor) -> [Tensor?])?

    public init(_ value: Tensor, requiresGrad: Bool = false) {
        self.value = value
        self.requiresGrad = requiresGrad
        self.parents = []
        self.pullback = nil
    }

    init(value: Tensor, parents: [Variable], pullback: @escaping (Tensor) -> [Tensor?]) {
        self.value = value
        self.requiresGrad = true
        self.parents = parents
        self.pullback = pullback
    }

    /// The result of an operation: recorded only when grad mode is on and an input needs a gradient.
    /// Public so that a model can define an op with its own backward rule (e.g. DeepLIFT's
    /// multipliers): `pullback` maps the output's gradient to one gradient per parent.
    public static func record(_ value: Tensor, _ parents: [Variable], _ pullback: @escaping (Tensor) -> [Tensor?]) -> Variable {
        if GradMode.isEnabled && parents.contains(where: \.requiresGrad) {
            return Variable(value: value, parents: parents, pullback: pullback)
        }
        return Variable(value)
    }

    public var shape: [Int] { value.shape }
    public var isLeaf: Bool { pullback == nil }
    /// The value of a one-element variable.
    public var item: Float { value.scalar }
    /// The same value, cut from the graph.
    public var detached: Variable { Variable(value) }

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
            for (p, pg) in zip(v.parents, pullback(g)) where p.requiresGrad {
                guard let pg else { continue }
                precondition(pg.shape == p.shape, "pullback gave \(pg.shape) for a parent of shape \(p.shape)")
                let key = ObjectIdentifier(p)
                if grads[key] == nil { grads[key] = pg } else { grads[key]! += pg }
            }
        }
    }
}
