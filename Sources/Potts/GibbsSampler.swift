import Tensors
#if canImport(Glibc)
import Glibc
#endif

/// A model a Gibbs sampler can draw from: the log-conditional of one site given the others.
/// `Cache` is whatever the model keeps per chain to make conditionals cheap (e.g. the logits of
/// an autoregressive model's factors), updated after every change.
public protocol GibbsConditionals: Sendable {
    associatedtype Cache
    var length: Int { get }
    var states: Int { get }
    func makeCache(_ x: [UInt8]) -> Cache
    /// logits[a] = log P(x_i = a | x_¬i) + const, for a in 0..<states.
    func conditionalLogits(site i: Int, _ x: [UInt8], _ cache: Cache, into logits: UnsafeMutablePointer<Double>)
    /// x[i] has just changed from `old` to x[i].
    func update(site i: Int, from old: UInt8, _ x: [UInt8], _ cache: inout Cache)
    /// The chain's log-score (energy or log-likelihood, up to a constant) for traces.
    func score(_ x: [UInt8], _ cache: Cache) -> Double
}

extension PottsModel: GibbsConditionals {
    public typealias Cache = Void
    public func makeCache(_ x: [UInt8]) {}
    /// logits[a] = h_i(a) + Σ_{j≠i} J_ij(a, x_j), reading the row J[j, i, x_j, ·] = J[i, j, ·, x_j]
    /// (contiguous in a by the stored symmetry).
    public func conditionalLogits(site i: Int, _ x: [UInt8], _ cache: Void, into logits: UnsafeMutablePointer<Double>) {
        let (l, q) = (length, states)
        // Accumulated in Float (vectorised over a), like the fit's own kernels.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: q) { z in
            fields.scalars.withUnsafeBufferPointer { h in
                couplings.scalars.withUnsafeBufferPointer { jj in
                    for a in 0..<q { z[a] = h[i * q + a] }
                    for j in 0..<l where j != i {
                        let row = jj.baseAddress! + Couplings.index(j, i, Int(x[j]), 0, length: l, states: q)
                        for a in 0..<q { z[a] += row[a] }
                    }
                }
            }
            for a in 0..<q { logits[a] = Double(z[a]) }
        }
    }
    public func update(site i: Int, from old: UInt8, _ x: [UInt8], _ cache: inout Void) {}
    public func score(_ x: [UInt8], _ cache: Void) -> Double { energy(x) }
}

/// Markov-chain Monte Carlo by Gibbs sampling: each sweep visits every free site i and draws
/// x_i ~ P(x_i | x_¬i)^{1/T} (temperature T). `chains` chains run in parallel (split over the
/// worker threads, each with its own generator seeded from (seed, chain), so the output does not
/// depend on the thread count); each starts at `start` (or uniformly at random), runs `burnIn`
/// sweeps, then records a sample every `thinning` sweeps. Sites in `fixed` never change.
public struct MarkovChainSampler<Model: GibbsConditionals>: Sendable {
    public var model: Model
    public var chains: Int
    public var burnIn: Int
    public var thinning: Int
    public var temperature: Double
    /// Column → state, held fixed.
    public var fixed: [Int: UInt8]
    /// Start every chain here (local sampling around a sequence) instead of a random sequence.
    public var start: [UInt8]?
    /// States a site may take (e.g. 20 to exclude the gap); default all.
    public var allowedStates: Int

    public init(model: Model, chains: Int, burnIn: Int, thinning: Int, temperature: Double = 1,
                fixed: [Int: UInt8] = [:], start: [UInt8]? = nil, allowedStates: Int? = nil) {
        precondition(chains >= 1 && burnIn >= 0 && thinning >= 1 && temperature > 0)
        self.model = model; self.chains = chains; self.burnIn = burnIn; self.thinning = thinning
        self.temperature = temperature; self.fixed = fixed; self.start = start
        self.allowedStates = allowedStates ?? model.states
    }

    public struct Result: Sendable {
        /// N × L codes, chain-major: chain c's samples are rows `rows(ofChain: c)`, in time order.
        public var codes: [UInt8]
        /// Per chain, the log-score of each recorded sample.
        public var traces: [[Double]]
        public var length: Int
    }

    /// Samples each chain records: count / chains, the first count % chains chains one more.
    public func samplesPerChain(_ count: Int) -> [Int] {
        (0..<chains).map { count / chains + ($0 < count % chains ? 1 : 0) }
    }

    /// `progress(samplesDone)` is called from one worker thread: an estimate over all workers, from
    /// the share of its sweeps (burn-in included) that worker has run.
    public func run(count: Int, seed: UInt64, progress: (@Sendable (Int) -> Void)? = nil) -> Result {
        let l = model.length
        let per = samplesPerChain(count)
        var offsets = [Int](repeating: 0, count: chains + 1)
        for c in 0..<chains { offsets[c + 1] = offsets[c] + per[c] }
        let first = offsets
        var out = [UInt8](repeating: 0, count: count * l)
        var traces = [[Double]](repeating: [], count: chains)
        let (model, burnIn, thinning, temperature, fixed, start, k) = (self.model, self.burnIn, self.thinning, self.temperature, self.fixed, self.start, allowedStates)
        let chainCount = chains
        out.withUnsafeMutableBufferPointer { ob in
            traces.withUnsafeMutableBufferPointer { tb in
                nonisolated(unsafe) let (op, tp) = (ob.baseAddress!, tb.baseAddress!)
                Parallel.forEachWorker(chainCount) { worker, range in
                    var logits = [Double](repeating: 0, count: model.states)
                    let sweepsHere = Swift.max(1, range.reduce(0) { $0 + burnIn + thinning * per[$1] })
                    var (swept, reported) = (0, 0)
                    func sweep(_ x: inout [UInt8], _ cache: inout Model.Cache, _ lb: UnsafeMutablePointer<Double>, _ rng: inout RandomGenerator) {
                        GibbsSweep.sweep(model, &x, &cache, fixed, temperature, k, lb, &rng)
                        swept += 1
                        guard worker == 0, let progress else { return }
                        let estimate = count * swept / sweepsHere
                        if estimate != reported { reported = estimate; progress(estimate) }
                    }
                    for c in range {
                        var rng = RandomGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(c) &* 0xBF58_476D_1CE4_E5B9 &+ 7)
                        var x = start ?? (0..<l).map { _ in UInt8(rng.int(below: k)) }
                        for (i, a) in fixed { x[i] = a }
                        var cache = model.makeCache(x)
                        var trace: [Double] = []
                        logits.withUnsafeMutableBufferPointer { lb in
                            for _ in 0..<burnIn { sweep(&x, &cache, lb.baseAddress!, &rng) }
                            for s in 0..<per[c] {
                                for _ in 0..<thinning { sweep(&x, &cache, lb.baseAddress!, &rng) }
                                for i in 0..<l { op[(first[c] + s) * l + i] = x[i] }
                                trace.append(model.score(x, cache))
                            }
                        }
                        tp[c] = trace
                    }
                }
            }
        }
        return Result(codes: out, traces: traces, length: l)
    }
}

/// One Gibbs sweep over the free sites, shared by `MarkovChainSampler` and `GibbsSampler`.
public enum GibbsSweep {
    @inlinable
    public static func sweep<Model: GibbsConditionals>(_ model: Model, _ x: inout [UInt8], _ cache: inout Model.Cache,
                                                        _ fixed: [Int: UInt8], _ temperature: Double, _ k: Int,
                                                        _ logits: UnsafeMutablePointer<Double>, _ rng: inout RandomGenerator) {
        let beta = 1 / temperature
        let free = fixed.isEmpty
        for i in 0..<model.length where free || fixed[i] == nil {
            model.conditionalLogits(site: i, x, cache, into: logits)
            var m = -Double.infinity
            for a in 0..<k { logits[a] *= beta; m = Swift.max(m, logits[a]) }
            var total = 0.0
            for a in 0..<k { logits[a] = Glibc.exp(logits[a] - m); total += logits[a] }
            var u = rng.uniformDouble() * total
            var pick = k - 1
            for a in 0..<k { u -= logits[a]; if u < 0 { pick = a; break } }
            let old = x[i]
            if UInt8(pick) != old {
                x[i] = UInt8(pick)
                model.update(site: i, from: old, x, &cache)
            }
        }
    }
}

/// Draws sequences from a Potts model by Gibbs sampling: each sweep visits every site i and draws
/// x_i ~ P(x_i | x_¬i) ∝ exp(h_i(a) + Σ_{j≠i} J_ij(a, x_j)). Each sample comes from its own chain
/// (uniform random start, `burnIn` sweeps), so samples are independent; seeded and deterministic.
/// The conditionals are read through `SiteConditionals` (each site's coupling blocks contiguous,
/// all-zero blocks skipped; the same logits bit for bit). Cost per sample: burnIn · Σ_i (|N(i)| + 1)·q
/// adds and burnIn · L · q exponentials.
/// (`MarkovChainSampler` runs longer chains with thinning, temperature and fixed sites.)
public struct GibbsSampler: Sendable {
    public let model: PottsModel
    public let burnIn: Int
    /// States a site may take (e.g. exclude the gap): defaults to all q.
    public let allowedStates: Int
    let conditionals: SiteConditionals

    public init(model: PottsModel, burnIn: Int = 20, allowedStates: Int? = nil) {
        self.model = model; self.burnIn = burnIn; self.allowedStates = allowedStates ?? model.states
        conditionals = SiteConditionals(model)
    }

    /// N × L codes, row-major.
    public func sample(count: Int, seed: UInt64) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count * model.length)
        out.withUnsafeMutableBufferPointer { sample(count: count, seed: seed, into: $0.baseAddress!) }
        return out
    }

    func sample(count: Int, seed: UInt64, into out: UnsafeMutablePointer<UInt8>) {
        let (l, k) = (model.length, allowedStates)
        var rng = RandomGenerator(seed: seed)
        var logits = [Double](repeating: 0, count: model.states)
        var cache: Void = ()
        logits.withUnsafeMutableBufferPointer { lb in
            for s in 0..<count {
                var x = (0..<l).map { _ in UInt8(rng.int(below: k)) }
                for _ in 0..<burnIn { GibbsSweep.sweep(conditionals, &x, &cache, [:], 1, k, lb.baseAddress!, &rng) }
                for i in 0..<l { out[s * l + i] = x[i] }
            }
        }
    }

    /// `count` samples in blocks of `block`, block b drawn by `sample(count:seed:)` with the seed
    /// seed + b·block·7919, the blocks spread over the worker threads: the same bytes whatever the
    /// thread count. `progress(samplesDone)` runs on one worker (an estimate over all workers).
    public func sample(count: Int, seed: UInt64, block: Int, progress: (@Sendable (Int) -> Void)? = nil) -> [UInt8] {
        precondition(block >= 1)
        let l = model.length
        let blocks = (count + block - 1) / block
        var out = [UInt8](repeating: 0, count: count * l)
        out.withUnsafeMutableBufferPointer { ob in
            nonisolated(unsafe) let o = ob.baseAddress!
            Parallel.forEachWorker(blocks) { worker, range in
                for b in range {
                    let start = b * block
                    sample(count: Swift.min(block, count - start), seed: seed &+ UInt64(start) &* 7919, into: o + start * l)
                    if worker == 0, let progress { progress(Swift.min(count, (b + 1 - range.lowerBound) * block * Parallel.workers(for: blocks))) }
                }
            }
        }
        return out
    }
}
