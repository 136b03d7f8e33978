import Testing
import TestSupport
import Tensors
import Sequences
import Potts
@testable import Attention
import Optimizers
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Checkpoint/resume and non-finite guards of the iterative fits, and extreme inputs.
@Suite struct ReliabilityTests {
    /// Interrupted at one thread and resumed at two, the fit ends on the two-thread run's bits: the
    /// fit does not depend on the thread count, so the checkpoint's fingerprint leaves it out.
    @Test func attentionAdamResumesBitForBit() throws {
        let (msa, w) = smallAlignment(n: 30, l: 7, seed: 4)
        let fitter = AttentionFit(heads: 4, headDimension: 3, learningRate: 0.05, steps: 25, seed: 9)
        let full = Parallel.withThreads(2) { fitter.fit(msa, weights: w) }
        var saved: AttentionFit.State?
        _ = Parallel.withThreads(1) {
            fitter.fit(msa, weights: w, progress: { step, _ in step < 10 }, checkpoint: { step, state in if step == 10 { saved = state() } })
        }
        // Through the checkpoint file format, as the CLI does.
        let path = temporaryDirectory() + "/ckpt.npz"
        try Checkpoint(fingerprint: "test", attention: try #require(saved)).write(to: path)
        let loaded = try Checkpoint.read(path)
        try loaded.check(kind: "attention-adam", fingerprint: "test", path: path)
        let shapes = full.model.namedParameters.map(\.1.shape)
        let state = try loaded.attentionState(shapes: shapes, path: path)
        let resumed = Parallel.withThreads(2) { fitter.fit(msa, weights: w, resume: state) }
        #expect(resumed.steps == full.steps)
        for ((_, a), (_, b)) in zip(full.model.namedParameters, resumed.model.namedParameters) { #expect(a.value.scalars == b.value.scalars) }
        #expect(throws: (any Error).self) { try loaded.check(kind: "attention-adam", fingerprint: "other", path: path) }
        #expect(throws: (any Error).self) { try loaded.check(kind: "potts-lbfgs", fingerprint: "test", path: path) }
    }

    /// Checkpoints written before the thread count left the fingerprint still resume: a saved
    /// `threads=` entry is passed over, and nothing else is.
    @Test func aSavedThreadCountIsPassedOver() throws {
        let saved = Checkpoint(kind: "potts-lbfgs", fingerprint: "model=potts seed=1 threads=2 weighting=plmc")
        try saved.check(kind: "potts-lbfgs", fingerprint: "model=potts seed=1 weighting=plmc", path: "c.npz")
        #expect(throws: (any Error).self) { try saved.check(kind: "potts-lbfgs", fingerprint: "model=potts seed=2 weighting=plmc", path: "c.npz") }
        #expect(throws: (any Error).self) { try saved.check(kind: "potts-lbfgs", fingerprint: "model=potts seed=1", path: "c.npz") }
    }

    /// A stop request during a step's evaluation drops that step: the fit returns after the last
    /// whole step, offers that step's checkpoint again (the same state), and resuming from it gives
    /// the uninterrupted run's bits. The request comes after step 10, four sites into step 11.
    @Test func attentionAdamAbandonsAStepMidEvaluation() throws {
        let (msa, w) = smallAlignment(n: 30, l: 7, seed: 4)
        let fitter = AttentionFit(heads: 4, headDimension: 3, learningRate: 0.05, steps: 25, seed: 9)
        let full = fitter.fit(msa, weights: w)
        final class Request: Sendable { let armed = Mutex(false), polls = Mutex(0) }
        let request = Request()
        var offered: [(Int, AttentionFit.State)] = []
        let stopped = fitter.fit(msa, weights: w, progress: { step, _ in
            if step == 10 { request.armed.withLock { $0 = true } }
            return true
        }, checkpoint: { step, state in if step >= 10 { offered.append((step, state())) } },
           abandoningStepWhen: { request.armed.withLock { $0 } && request.polls.withLock { $0 += 1; return $0 } > 4 })
        #expect(stopped.steps == 10 && request.polls.withLock { $0 } > 4)
        #expect(offered.map(\.0) == [10, 10])
        guard offered.count == 2, case .adam(let a) = offered[0].1, case .adam(let b) = offered[1].1 else { Issue.record("no Adam state"); return }
        #expect(a.step == b.step && a.history == b.history && a.parameters.map(\.scalars) == b.parameters.map(\.scalars)
                && a.firstMoments.map(\.scalars) == b.firstMoments.map(\.scalars) && a.secondMoments.map(\.scalars) == b.secondMoments.map(\.scalars))
        let resumed = fitter.fit(msa, weights: w, resume: offered[1].1)
        #expect(resumed.steps == full.steps)
        for ((_, x), (_, y)) in zip(full.model.namedParameters, resumed.model.namedParameters) { #expect(x.value.scalars == y.value.scalars) }
    }

    /// Adam stops at the first step where the last 20 steps together lowered F by at most
    /// `relativeTolerance`·|F| (not before, and not at the step cap).
    @Test func adamStopsWhenTwentyStepsGainLessThanTheTolerance() {
        let (msa, w) = smallAlignment(n: 30, l: 6, seed: 12)
        var fitter = AttentionFit(heads: 2, headDimension: 2, learningRate: 0.05, steps: 2000, seed: 2)
        fitter.relativeTolerance = 1e-3
        var history: [Double] = []
        let r = fitter.fit(msa, weights: w, progress: { _, f in history.append(f); return true })
        #expect(r.steps < 2000 && r.steps == history.count)
        func gain(_ k: Int) -> Double { (history[k - 20] - history[k]) / abs(history[k]) }
        #expect(gain(history.count - 1) <= 1e-3)
        #expect((20..<(history.count - 1)).allSatisfy { gain($0) > 1e-3 })
        // The default: the Potts fit's per-iteration tolerance over the 20-step window.
        #expect(AttentionFit().relativeTolerance == 20 * PottsFit().relativeTolerance)
    }

    @Test func pottsFitResumesBitForBitThroughACheckpointFile() throws {
        let (msa, w) = smallAlignment(n: 40, l: 9, seed: 5)
        let fitter = PottsFit(maxIterations: 30, relativeTolerance: 1e-6)
        let full = fitter.fit(msa, weights: w)
        let path = temporaryDirectory() + "/ckpt.npz"
        _ = fitter.fit(msa, weights: w, progress: { it, _, _ in it < 6 }, checkpoint: { it, state in
            if it == 6 { try? Checkpoint(kind: "potts-lbfgs", fingerprint: "f", lbfgs: state()).write(to: path) }
        })
        let state = try Checkpoint.read(path).lbfgsState(parameters: PottsFit.parameterCount(msa, gapsAsMissing: false), path: path)
        let resumed = fitter.fit(msa, weights: w, resume: state)
        #expect(resumed.model.couplings.scalars == full.model.couplings.scalars && resumed.model.fields.scalars == full.model.fields.scalars)
        #expect(resumed.iterations == full.iterations && resumed.evaluations == full.evaluations)
        #expect(throws: (any Error).self) { _ = try Checkpoint.read(path).lbfgsState(parameters: 10, path: path) }
    }

    /// A stop request during iteration 9's line search (four sites into an evaluation, the L-BFGS
    /// history of 5 pairs full) drops the search: the checkpoint offered is iteration 8's iterate,
    /// the pair the search evicted gone and its direction pending; written, read back and resumed,
    /// the fit ends in the uninterrupted fit's bits.
    @Test func pottsFitAbandonsALineSearchMidEvaluationAndResumesBitForBit() throws {
        let (msa, w) = smallAlignment(n: 40, l: 9, seed: 5)
        var fitter = PottsFit(maxIterations: 30, relativeTolerance: 1e-6)
        fitter.memory = 5
        let full = fitter.fit(msa, weights: w)
        #expect(full.iterations > 12)
        final class Request: Sendable { let armed = Mutex(false), polls = Mutex(0) }
        let request = Request()
        let path = temporaryDirectory() + "/ckpt.npz"
        defer { unlink(path) }
        var offered: [(Int, LBFGS.State)] = []
        let stopped = fitter.fit(msa, weights: w, progress: { it, _, _ in
            if it == 8 { request.armed.withLock { $0 = true } }
            return true
        }, checkpoint: { it, state in
            offered.append((it, state()))
            if it >= 8 { try? Checkpoint(kind: "potts-lbfgs", fingerprint: "f", lbfgs: state()).write(to: path) }
        }, abandoningIterationWhen: { request.armed.withLock { $0 } && request.polls.withLock { $0 += 1; return $0 } > 4 })
        #expect(stopped.stop == .abandoned && stopped.iterations == 8)
        #expect(offered.map(\.0).suffix(2) == [8, 8])
        let (between, dropped) = (offered[offered.count - 2].1, offered[offered.count - 1].1)
        let pending = try #require(dropped.pending)
        #expect(between.pending == nil && between.s.count == 5 && dropped.s.count == 4)
        #expect(dropped.s == Array(between.s.dropFirst()) && dropped.y == Array(between.y.dropFirst()))
        #expect(dropped.x == between.x && dropped.gradient == between.gradient && dropped.evaluations == between.evaluations
                && dropped.lastDecrease == between.lastDecrease && dropped.recentValues == between.recentValues)
        #expect(pending.slope < 0 && pending.direction.count == between.x.count)
        let state = try Checkpoint.read(path).lbfgsState(parameters: PottsFit.parameterCount(msa, gapsAsMissing: fitter.gapsAsMissing), path: path)
        #expect(state == dropped)
        let resumed = fitter.fit(msa, weights: w, resume: state)
        #expect(resumed.model.couplings.scalars == full.model.couplings.scalars && resumed.model.fields.scalars == full.model.fields.scalars)
        #expect(resumed.iterations == full.iterations && resumed.evaluations == full.evaluations && resumed.objective == full.objective)
    }

    @Test func nonFiniteLossStopsAdamAndNamesTheStep() {
        let (msa, w) = smallAlignment(n: 20, l: 5, seed: 6)
        var weights = w
        weights[3] = .nan
        var fitter = AttentionFit(heads: 2, headDimension: 2, steps: 10, seed: 1)
        let stopped = fitter.fit(msa, weights: weights)
        #expect(stopped.failure?.hasPrefix("step 1: non-finite") == true, "\(stopped.failure ?? "nil")")
        fitter.onNonFinite = .backoff
        let backedOff = fitter.fit(msa, weights: weights)
        #expect(backedOff.backoffs.count == fitter.maxBackoffs && backedOff.failure != nil)
        #expect(backedOff.backoffs.last?.contains("learning rate halved") == true)
    }

    @Test func nonFiniteGradientIsNamedByTensor() {
        let (msa, w) = smallAlignment(n: 20, l: 5, seed: 7)
        _ = msa; _ = w
        var rng = RandomGenerator(seed: 2)
        let m = FactoredAttention(length: 5, states: 21, heads: 2, headDimension: 2, fields: Tensor(zeros: [5, 21]), using: &rng)
        var g = Tensor(zeros: [2, 21, 21])
        g.scalars[17] = .infinity
        m.value.grad = g
        #expect(AttentionFit.nonFiniteReport(1.0, m) == "non-finite gradient in value")
        #expect(AttentionFit.nonFiniteReport(.nan, m) == "non-finite loss (nan)")
    }

    @Test func pottsFitReportsANonFiniteObjectiveAndNeverAcceptsIt() {
        let (msa, w) = smallAlignment(n: 20, l: 5, seed: 8)
        var weights = w
        weights[0] = .infinity
        let r = PottsFit(maxIterations: 5).fit(msa, weights: weights)
        #expect(r.firstNonFinite == "evaluation 1: non-finite objective")
        #expect(!r.objective.isFinite)          // the caller (seqgen fit) refuses to write this model
    }

    @Test func extremeInputsGiveFiniteFits() {
        // All-identical sequences: constant columns, Neff = 1 at 80% identity.
        let l = 6
        let same = MultipleSequenceAlignment(alphabet: .protein, names: (0..<10).map { "s\($0)" },
                                             codes: Array((0..<10).flatMap { _ in (0..<l).map { UInt8($0 + 2) } }), length: l)
        let w1 = SequenceWeights.compute(same)
        #expect(Swift.abs(SequenceWeights.effectiveCount(w1) - 1) < 1e-6)
        let r1 = PottsFit(maxIterations: 20).fit(same, weights: w1)
        #expect(r1.objective.isFinite && r1.model.couplings.isFinite && r1.firstNonFinite == nil)
        // Huge weights (10⁶ per sequence): the objective scales, the fit stays finite.
        let (msa, w) = smallAlignment(n: 30, l: 6, seed: 9)
        let r2 = PottsFit(maxIterations: 20).fit(msa, weights: w.map { $0 * 1e6 })
        #expect(r2.objective.isFinite && r2.model.couplings.isFinite && r2.model.fields.isFinite)
        let a = AttentionFit(heads: 2, headDimension: 2, steps: 5, seed: 3).fit(msa, weights: w.map { $0 * 1e6 })
        #expect(a.failure == nil && a.objective.isFinite)
    }
}

/// Minibatch Adam (`shards`): each step fits one shard of the sequences.
@Suite struct AttentionShardTests {
    /// The shards partition the sequences, each shard's scaled weights sum to Neff, and the
    /// Neff_s/Neff-weighted mean of the shard objectives is F: Σ_s (Neff_s/Neff)·((Neff/Neff_s)·D_s + R) = D + R.
    @Test func shardObjectivesPartitionTheSequencesAndAverageToF() {
        let (l, n) = (6, 31)
        let (msa, w) = smallAlignment(n: n, l: l, seed: 21)
        var fitter = AttentionFit(heads: 2, headDimension: 2, steps: 1, seed: 4)
        fitter.shards = 4
        var rng = RandomGenerator(seed: 8)
        let model = FactoredAttention(length: l, states: 21, heads: 2, headDimension: 2, fields: .normal([l, 21], std: 0.2, using: &rng), valueScale: 0.3, using: &rng)
        let neff = w.reduce(0, +)
        let groups = fitter.shardRows(n)
        #expect(groups.map(\.count) == [7, 8, 8, 8] && groups.flatMap { $0 }.sorted() == Array(0..<n))
        let shards = fitter.shardObjectives(model, msa, weights: w, neff: neff)
        let full = AttentionObjective(model: model, msa: msa, weights: w).lossAndGradients()
        var mean = 0.0
        for (rows, s) in zip(groups, shards) {
            #expect(s.msa.codes == msa.selectingRows(rows).codes)
            #expect(Swift.abs(s.weights.reduce(0, +) - neff) <= 1e-4 * neff)
            let f = s.lossAndGradients()
            mean += f * Double(rows.map { w[$0] }.reduce(0, +) / neff)
            #expect(f == AttentionObjective(model: model, msa: s.msa, weights: s.weights).lossAndGradients())
        }
        #expect(Swift.abs(mean - full) <= 1e-4 * Swift.abs(full))
    }

    @Test func shardedAdamIsDeterministicAndResumesBitForBit() {
        let (msa, w) = smallAlignment(n: 40, l: 7, seed: 6)
        var fitter = AttentionFit(heads: 3, headDimension: 2, learningRate: 0.05, steps: 24, seed: 5)
        fitter.shards = 3
        let a = fitter.fit(msa, weights: w), b = fitter.fit(msa, weights: w)
        #expect(a.steps == 24 && a.objective.isFinite)
        for ((_, x), (_, y)) in zip(a.model.namedParameters, b.model.namedParameters) { #expect(x.value.scalars == y.value.scalars) }
        var saved: AttentionFit.State?
        _ = fitter.fit(msa, weights: w, progress: { step, _ in step < 10 }, checkpoint: { step, state in if step == 10 { saved = state() } })
        let resumed = fitter.fit(msa, weights: w, resume: saved)
        for ((_, x), (_, y)) in zip(a.model.namedParameters, resumed.model.namedParameters) { #expect(x.value.scalars == y.value.scalars) }
        // Full batch and shards differ (each step sees a third of the sequences).
        fitter.shards = 1
        #expect(fitter.fit(msa, weights: w).model.value.value.scalars != a.model.value.value.scalars)
    }
}
