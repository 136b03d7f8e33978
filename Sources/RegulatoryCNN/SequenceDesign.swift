import Layers
import Tensors

/// Sequence design by substitution (tangermeme's `greedy_substitution` and `beam_substitution`,
/// Schreiber 2025): each round, every edit of a library — a motif's bases written over the
/// sequence from some start (either strand: the caller adds reverse complements), or a single
/// base — is tried at every allowed start of every sequence in the beam; the `beamWidth`
/// sequences of lowest loss among the beam itself and all its edits go on (identical sequences
/// once), so the best loss never rises. A beam of 1 is greedy design. The rounds stop after
/// `rounds`, or when a round lowers the best loss by no more than `tolerance`.
///
/// The loss over the chosen tasks T (z the logits, or a regression's values; u = σ(z) for a
/// classifier, u = z for a regression):
///   maximize: −mean_{t∈T} z_t,    minimize: mean_{t∈T} z_t,
///   target y: mean over T of (u_t − y_t)²; with `holdOthers` every other task joins the mean with
///   its starting value u⁰_t as its target (tangermeme's "balancing" idiom: change T, keep the rest).
/// Candidates are scored through `substitutionLogits`, each layer recomputed only where an edit
/// can change it.
public struct SequenceDesign {
    public enum Goal: Sendable, Equatable { case maximize, minimize, target([Float]) }

    /// A library entry: bases (codes 0–3 for A, C, G, T) written from a start position.
    public struct Edit: Sendable, Equatable {
        public var name: String, bases: [Int]
        /// Whether the bases are a motif's reverse complement (the motif on the − strand).
        public var reverse: Bool
        public init(name: String, bases: [Int], reverse: Bool = false) { self.name = name; self.bases = bases; self.reverse = reverse }

        /// A, C, G and T: design one base at a time.
        public static let singleBases = (0..<4).map { Edit(name: String(["A", "C", "G", "T"][$0]), bases: [$0]) }

        /// The same motif on the other strand.
        public var reverseComplement: Edit { Edit(name: name, bases: bases.reversed().map { 3 - $0 }, reverse: !reverse) }
    }

    /// One accepted edit: the library entry, its 0-based start, the loss and the outputs after it
    /// (logits, or a regression's values, for every task).
    public struct Step: Sendable, Equatable {
        public var edit: Int, start: Int, loss: Float, outputs: [Float]
    }

    /// The designed sequence (4, L) with the loss and outputs it started from and its edits in order.
    public struct Result: Sendable {
        public var sequence: Tensor
        public var startLoss: Float, startOutputs: [Float]
        public var steps: [Step]
        /// Rounds (substitution) or iterations (Ledidi) the search ran.
        public var iterations = 0
        public var loss: Float { steps.last?.loss ?? startLoss }
        public var outputs: [Float] { steps.last?.outputs ?? startOutputs }
    }

    public let model: CNNModel
    public var tasks: [Int]
    public var goal: Goal
    public var holdOthers = false
    public var beamWidth = 1
    /// At most this many edits (tangermeme's `max_iter`).
    public var rounds = 10
    /// Stop when a round lowers the best loss by no more than this (tangermeme's `tol`, there 10⁻³;
    /// here 0 — stop when no edit helps — as the loss's units differ: logits, or squared probabilities).
    public var tolerance: Float = 0
    /// Positions edits may touch (whole edits inside); nil: the whole sequence.
    public var region: Range<Int>?
    public var batchSize = 500

    /// The network folded for inference once (BatchNorm into the layers before it), for every design.
    let inference: Sequential

    public init(model: CNNModel, tasks: [Int], goal: Goal) {
        precondition(!tasks.isEmpty && tasks.allSatisfy { (0..<model.tasks).contains($0) }, "design: tasks 0..<\(model.tasks)")
        if case .target(let y) = goal { precondition(y.count == tasks.count, "design: one target per task") }
        self.model = model; self.tasks = tasks; self.goal = goal
        inference = model.network.foldedForInference()
    }

    /// u(z): a classifier's probability σ(z), a regression's value z — what a target is given in.
    public func prediction(_ z: Float) -> Float { model.objective == .classification ? Tensor.sigmoid(z) : z }

    /// The loss of one row of outputs (logits or values), `start` the starting row (for `holdOthers`).
    public func loss(_ z: ArraySlice<Float>, start: [Float]) -> Float {
        let o = z.startIndex, u = prediction
        switch goal {
        case .maximize: return -tasks.reduce(0) { $0 + z[o + $1] } / Float(tasks.count)
        case .minimize: return tasks.reduce(0) { $0 + z[o + $1] } / Float(tasks.count)
        case .target(let y):
            var sum: Float = 0, n = 0
            for (k, t) in tasks.enumerated() { let d = u(z[o + t]) - y[k]; sum += d * d; n += 1 }
            if holdOthers {
                for t in 0..<model.tasks where !tasks.contains(t) { let d = u(z[o + t]) - u(start[t]); sum += d * d; n += 1 }
            }
            return sum / Float(n)
        }
    }

    /// Designs from `x` ((4, L) or (1, 4, L); N columns of 0.25 allowed, and overwritten by edits);
    /// `round(r, best loss)` after each round.
    public func design(_ x: Tensor, library: [Edit], round: ((Int, Float) -> Void)? = nil) -> Result {
        let l = model.length
        precondition(x.count == 4 * l, "design: one sequence of the model's \(l) bp expected, got \(x.shape)")
        let allowed = region ?? 0..<l
        precondition(allowed.lowerBound >= 0 && allowed.upperBound <= l, "design: region inside 0..<\(l)")
        let t = model.tasks
        let start = model.predict(Tensor(shape: [1, 4, l], scalars: x.scalars), batchSize: 1, inference: inference).scalars
        let startLoss = loss(start[...], start: start)
        // The beam: sequences with their loss and the edits that made them, best first.
        var beam: [(x: [Float], loss: Float, steps: [Step])] = [(x.scalars, startLoss, [])]
        var ran = 0
        for r in 0..<rounds {
            ran = r + 1
            // Candidates: (member, edit, start, loss, outputs) of every edit that changes a member.
            var pool: [(member: Int, edit: Int, start: Int, loss: Float, outputs: ArraySlice<Float>)] = []
            for (b, member) in beam.enumerated() {
                var subs: [(start: Int, bases: [Int])] = [], index: [(edit: Int, start: Int)] = []
                for (e, edit) in library.enumerated() {
                    let w = edit.bases.count
                    guard allowed.count >= w else { continue }
                    for s in allowed.lowerBound...(allowed.upperBound - w) {
                        let changes = edit.bases.indices.contains { j in member.x[edit.bases[j] * l + s + j] != 1 }
                        if changes { subs.append((s, edit.bases)); index.append((e, s)) }
                    }
                }
                let z = model.substitutionLogits(Tensor(shape: [4, l], scalars: member.x), substitutions: subs, batchSize: batchSize, inference: inference).scalars
                for (k, c) in index.enumerated() {
                    let row = z[(k * t)..<((k + 1) * t)]
                    pool.append((b, c.edit, c.start, loss(row, start: start), row))
                }
            }
            // The members themselves first, so that at equal loss the beam stays put; then by loss
            // (ties: member, edit, start — the order they were made in).
            var ranked = beam.indices.map { (member: $0, edit: -1, start: -1, loss: beam[$0].loss, outputs: ArraySlice<Float>()) } + pool
            ranked = ranked.enumerated().sorted { ($0.element.loss, $0.offset) < ($1.element.loss, $1.offset) }.map(\.element)
            var next: [(x: [Float], loss: Float, steps: [Step])] = [], seen = Set<[Float]>()
            for c in ranked {
                guard next.count < beamWidth else { break }
                var sequence = beam[c.member].x, steps = beam[c.member].steps
                if c.edit >= 0 {
                    for (j, base) in library[c.edit].bases.enumerated() { for ch in 0..<4 { sequence[ch * l + c.start + j] = ch == base ? 1 : 0 } }
                    steps.append(Step(edit: c.edit, start: c.start, loss: c.loss, outputs: Array(c.outputs)))
                }
                if seen.insert(sequence).inserted { next.append((sequence, c.loss, steps)) }
            }
            let improvement = beam[0].loss - next[0].loss
            beam = next
            round?(r + 1, beam[0].loss)
            if !(improvement > tolerance) { break }
        }
        return Result(sequence: Tensor(shape: [4, l], scalars: beam[0].x), startLoss: startLoss, startOutputs: start, steps: beam[0].steps, iterations: ran)
    }
}
