#if canImport(Glibc)
import Glibc
#endif
import Autodiff
import Optimizers
import Tensors

/// Sequence design by gradient (Ledidi; Schreiber et al. 2020, the `ledidi` package 2.x): edits
/// are sampled from a learned (4, L) matrix W through the Gumbel-softmax straight-through
/// estimator. Each iteration draws B sequences
///   x̂_b = onehot(argmax_c (log(x + ε) + W + g_b)),   g_b ~ Gumbel(0, 1) per base and position,
/// and takes one AdamW step on W against
///   F = mean_b loss(f(x̂_b)) + λ · mean_b edits(x̂_b),
/// passing ∂F/∂x̂_b unchanged to the soft sample s_b = softmax((log(x + ε) + W + g_b) / τ) (the
/// straight-through estimator; the edit count's subgradient is sign(x̂ − x)/2, 0 where x̂ = x).
/// The loss is the substitution design's (`loss`). Positions outside `region` keep their bases;
/// N columns (0.25 each) inside it are filled without penalty (in-painting). The batch of lowest F
/// is kept; the search stops after `iterations`, or after `patience` iterations without a lower
/// F. The design is the member of that batch with the lowest loss + λ · edits (optionally pruned:
/// `Ledidi.prune`), its edits listed in position order with the outputs after each (the first k applied).
extension SequenceDesign {
    /// Ledidi's settings, its defaults (`l`, `tau`, `batch_size`, `max_iter`, `early_stopping_iter`,
    /// `lr`, `eps`; torch's AdamW weight decay).
    public struct Ledidi: Sendable {
        /// λ: the loss one edit must be worth.
        public var editPenalty: Float = 0.1
        /// τ: the soft samples' temperature.
        public var temperature: Float = 1
        /// B: sequences drawn per iteration.
        public var samples = 16
        public var iterations = 1000
        public var patience = 100
        public var learningRate: Float = 1
        public var epsilon: Float = 1e-4
        public var weightDecay: Float = 0.01
        /// Ledidi's `greedy_pruning` threshold: after the design, revert — smallest first — each edit
        /// whose undoing moves the tasks' outputs by less than this (Σ_t |Δz_t| from the designed
        /// sequence's); nil: keep every edit.
        public var prune: Float?
        public init() {}
    }

    /// Designs from `x` ((4, L) or (1, 4, L)) with Gumbel noise from `seed`; `iteration(i, best F)`
    /// after each iteration.
    public func designByGradient(_ x: Tensor, settings s: Ledidi, seed: UInt64, iteration: ((Int, Float) -> Void)? = nil) -> Result {
        let l = model.length, b = s.samples
        precondition(x.count == 4 * l, "design: one sequence of the model's \(l) bp expected, got \(x.shape)")
        precondition(b > 0 && s.temperature > 0 && s.epsilon > 0, "design: samples, temperature and epsilon must be positive")
        let allowed = region ?? 0..<l
        precondition(allowed.lowerBound >= 0 && allowed.upperBound <= l, "design: region inside 0..<\(l)")
        let xs = x.scalars
        // A column's base, or nil for an N column (not one-hot).
        let base: [Int?] = (0..<l).map { i in
            let c = (0..<4).map { xs[$0 * l + i] }
            return c.filter { $0 == 1 }.count == 1 && c.filter { $0 == 0 }.count == 3 ? c.firstIndex(of: 1) : nil
        }
        let start = model.predict(Tensor(shape: [1, 4, l], scalars: xs), batchSize: 1, inference: inference).scalars
        let startLoss = loss(start[...], start: start)
        let t = model.tasks
        let logBase = Tensor(shape: [1, 4, l], scalars: xs.map { Swift.max($0 + s.epsilon, .leastNormalMagnitude) }).log()
        let w = Variable(Tensor(zeros: [1, 4, l]), requiresGrad: true)
        let optimizer = Adam.adamW([w], learningRate: s.learningRate, weightDecay: s.weightDecay)
        var rng = RandomGenerator(seed: seed)
        var best: (x: [Float], losses: [Float], edits: [Int])? = nil   // the batch of lowest F
        var bestF = startLoss, stale = 0, ran = 0
        for it in 1...Swift.max(s.iterations, 1) {
            ran = it
            var noise = Tensor(zeros: [b, 4, l])
            for k in noise.scalars.indices { noise.scalars[k] = -logf(-logf(Swift.max(rng.uniform(), 0x1p-25))) }
            let soft = ((w + Variable(noise + logBase)) / s.temperature).softmax(alongAxis: 1)
            // x̂: each editable column's most probable base in its sample; the others as they are.
            var hard = Tensor(zeros: [b, 4, l]), edits = [Int](repeating: 0, count: b)
            for n in 0..<b {
                let o = n * 4 * l
                for i in 0..<l {
                    guard allowed.contains(i) else { for c in 0..<4 { hard.scalars[o + c * l + i] = xs[c * l + i] }; continue }
                    var m = 0
                    for c in 1..<4 where soft.value.scalars[o + c * l + i] > soft.value.scalars[o + m * l + i] { m = c }
                    hard.scalars[o + m * l + i] = 1
                    if let known = base[i], known != m { edits[n] += 1 }
                }
            }
            let input = Variable(hard, requiresGrad: true)
            let z = model.bothStrands(input) { inference($0, training: false) }
            var dz = Tensor(zeros: [b, t]), losses = [Float](repeating: 0, count: b)
            for n in 0..<b {
                let row = z.value.scalars[(n * t)..<((n + 1) * t)]
                losses[n] = loss(row, start: start)
                for (k, g) in lossGradient(row, start: start).enumerated() { dz.scalars[n * t + k] = g / Float(b) }
            }
            let f = losses.reduce(0, +) / Float(b) + s.editPenalty * Float(edits.reduce(0, +)) / Float(b)
            z.backward(dz)
            // ∂F/∂x̂: the outputs' part, the edit count's subgradient, nothing where x̂ is not sampled.
            var dx = input.grad ?? Tensor(zeros: [b, 4, l])
            let penalty = s.editPenalty / Float(2 * b)
            for n in 0..<b {
                let o = n * 4 * l
                for i in 0..<l {
                    guard allowed.contains(i) else { for c in 0..<4 { dx.scalars[o + c * l + i] = 0 }; continue }
                    guard let known = base[i], hard.scalars[o + known * l + i] == 0 else { continue }
                    for c in 0..<4 { dx.scalars[o + c * l + i] += c == known ? -penalty : hard.scalars[o + c * l + i] * penalty }
                }
            }
            w.zeroGrad()
            soft.backward(dx)
            optimizer.step()
            if f < bestF {
                bestF = f; stale = 0
                best = (hard.scalars, losses, edits)
            } else {
                stale += 1
            }
            iteration?(it, bestF)
            if stale >= s.patience { break }
        }
        guard let best else { return Result(sequence: Tensor(shape: [4, l], scalars: xs), startLoss: startLoss, startOutputs: start, steps: [], iterations: ran) }
        // The member of lowest loss + λ·edits (the first of equals), its edits in position order.
        let member = (0..<b).min { (best.losses[$0] + s.editPenalty * Float(best.edits[$0]), $0) < (best.losses[$1] + s.editPenalty * Float(best.edits[$1]), $1) }!
        var designed = Array(best.x[(member * 4 * l)..<((member + 1) * 4 * l)])
        if let threshold = s.prune { designed = pruned(designed, start: xs, threshold: threshold) }
        let changed = (0..<l).filter { i in (0..<4).contains { designed[$0 * l + i] != xs[$0 * l + i] } }
        guard !changed.isEmpty else { return Result(sequence: Tensor(shape: [4, l], scalars: xs), startLoss: startLoss, startOutputs: start, steps: [], iterations: ran) }
        var prefixes = [Float](), current = xs
        for i in changed {
            for c in 0..<4 { current[c * l + i] = designed[c * l + i] }
            prefixes += current
        }
        let z = model.predict(Tensor(shape: [changed.count, 4, l], scalars: prefixes), batchSize: batchSize, inference: inference).scalars
        let steps = changed.enumerated().map { k, i in
            let row = z[(k * t)..<((k + 1) * t)]
            return Step(edit: (0..<4).first { designed[$0 * l + i] == 1 }!, start: i, loss: loss(row, start: start), outputs: Array(row))
        }
        return Result(sequence: Tensor(shape: [4, l], scalars: designed), startLoss: startLoss, startOutputs: start, steps: steps, iterations: ran)
    }

    /// Ledidi's `greedy_pruning`: while some edit of `designed` (a position where it differs from
    /// `start`) can be undone moving the tasks' outputs by less than `threshold` (Σ_t |z_t − z*_t|,
    /// z* the outputs of `designed` itself), undo the one that moves them least (the first of equals).
    func pruned(_ designed: [Float], start xs: [Float], threshold: Float) -> [Float] {
        let (l, t) = (model.length, model.tasks)
        var current = designed
        var changed = (0..<l).filter { i in (0..<4).contains { designed[$0 * l + i] != xs[$0 * l + i] } }
        let full = model.predict(Tensor(shape: [1, 4, l], scalars: designed), batchSize: 1, inference: inference).scalars
        while !changed.isEmpty {
            var undone = [Float]()
            undone.reserveCapacity(changed.count * 4 * l)
            for i in changed {
                var y = current
                for c in 0..<4 { y[c * l + i] = xs[c * l + i] }
                undone += y
            }
            let z = model.predict(Tensor(shape: [changed.count, 4, l], scalars: undone), batchSize: batchSize, inference: inference).scalars
            let shift = changed.indices.map { k in tasks.reduce(Float(0)) { $0 + Swift.abs(z[k * t + $1] - full[$1]) } }
            let k = shift.indices.min { (shift[$0], $0) < (shift[$1], $1) }!
            guard shift[k] < threshold else { break }
            for c in 0..<4 { current[c * l + changed[k]] = xs[c * l + changed[k]] }
            changed.remove(at: k)
        }
        return current
    }

    /// `designByGradient` from each of `xs`, design k with Gumbel noise from `seeds[k]`, the designs
    /// spread over the threads and each run on one (a batch of B sequences is too small to split:
    /// one thread is faster), so the results do not depend on the thread count.
    /// `progress(iterations done)` runs on one worker: an estimate over all, `iterations` a design.
    public func designsByGradient(_ xs: [Tensor], settings: Ledidi, seeds: [UInt64], progress: (@Sendable (Int) -> Void)? = nil) -> [Result] {
        precondition(seeds.count == xs.count, "design: one seed per sequence")
        nonisolated(unsafe) let design = self
        let workers = Parallel.workers(for: xs.count), total = xs.count * settings.iterations
        return Parallel.map(xs.count) { worker, k in
            // Worker 0 designs the first sequences: its k-th is k designs in.
            let report: ((Int, Float) -> Void)? = worker == 0 && progress != nil ? { it, _ in
                progress!(Swift.min(total, (k * settings.iterations + it) * workers))
            } : nil
            return Parallel.withThreads(1) { design.designByGradient(xs[k], settings: settings, seed: seeds[k], iteration: report) }
        }
    }

    /// ∂loss/∂z of one row of outputs (`loss`): −1/|T| or 1/|T| on the tasks for maximize and
    /// minimize; for a target, 2(u_t − y_t) u′(z_t)/n, u′ = σ(1 − σ) for a classifier, 1 for a regression.
    public func lossGradient(_ z: ArraySlice<Float>, start: [Float]) -> [Float] {
        let o = z.startIndex
        var g = [Float](repeating: 0, count: model.tasks)
        switch goal {
        case .maximize, .minimize:
            let sign: Float = goal == .maximize ? -1 : 1
            for t in tasks { g[t] = sign / Float(tasks.count) }
        case .target(let y):
            let others = holdOthers ? (0..<model.tasks).filter { !tasks.contains($0) } : []
            let n = Float(tasks.count + others.count)
            func slope(_ v: Float) -> Float { model.objective == .classification ? { $0 * (1 - $0) }(Tensor.sigmoid(v)) : 1 }
            for (k, t) in tasks.enumerated() { g[t] = 2 * (prediction(z[o + t]) - y[k]) * slope(z[o + t]) / n }
            for t in others { g[t] = 2 * (prediction(z[o + t]) - prediction(start[t])) * slope(z[o + t]) / n }
        }
        return g
    }
}
