import Testing
import Tensors
import Autodiff
import Sequences
import Potts
import ArDCA
#if canImport(Glibc)
import Glibc
#endif

/// A random autoregressive model over L sites (protein alphabet), in a random order.
func randomModel(length l: Int, scale: Float = 0.8, seed: UInt64, natural: Bool = false) -> ArDCAModel {
    var rng = RandomGenerator(seed: seed)
    let q = Alphabet.protein.size
    let theta = (0..<ArDCAModel.parameterCount(length: l, states: q)).map { _ in scale * rng.normal() }
    return ArDCAModel(alphabet: .protein, order: natural ? Array(0..<l) : rng.permutation(l), parameters: theta)
}

/// Every sequence of length l over q states, in lexicographic order.
func allSequences(length l: Int, states q: Int) -> [[UInt8]] {
    var out: [[UInt8]] = [[]]
    for _ in 0..<l { out = out.flatMap { s in (0..<q).map { s + [UInt8($0)] } } }
    return out
}

@Suite struct ArDCAModelTests {
    @Test func likelihoodsNormaliseExactly() {
        let model = randomModel(length: 3, seed: 1)
        let total = allSequences(length: 3, states: 21).reduce(0.0) { $0 + Glibc.exp(model.logLikelihood($1)) }
        #expect(Swift.abs(total - 1) < 1e-4, "Σ P = \(total)")
    }

    @Test func ancestralSamplesReproduceExactMarginals() {
        let model = randomModel(length: 3, scale: 1.2, seed: 2)
        let n = 20000
        let codes = model.sample(count: n, seed: 5)
        var exact = [Double](repeating: 0, count: 3 * 21), observed = exact
        for x in allSequences(length: 3, states: 21) {
            let p = Glibc.exp(model.logLikelihood(x))
            for i in 0..<3 { exact[i * 21 + Int(x[i])] += p }
        }
        for s in 0..<n { for i in 0..<3 { observed[i * 21 + Int(codes[s * 3 + i])] += 1 / Double(n) } }
        for k in exact.indices {
            let sd = (exact[k] * (1 - exact[k]) / Double(n)).squareRoot()
            #expect(Swift.abs(observed[k] - exact[k]) < 5 * sd + 1e-4, "state \(k): \(observed[k]) vs \(exact[k])")
        }
    }

    @Test func samplingIsSeededAndKeepsFixedColumns() {
        let model = randomModel(length: 6, seed: 3)
        #expect(model.sample(count: 50, seed: 9) == model.sample(count: 50, seed: 9))
        #expect(model.sample(count: 50, seed: 9) != model.sample(count: 50, seed: 10))
        let codes = model.sample(count: 50, seed: 9, fixed: [2: 7, 4: 0])
        for s in 0..<50 { #expect(codes[s * 6 + 2] == 7 && codes[s * 6 + 4] == 0) }
    }

    @Test func archiveRoundTripsAndChecksTheOrder() throws {
        let model = randomModel(length: 5, seed: 4)
        let path = "/tmp/seqgen-ardca-\(UInt32.random(in: 0...UInt32.max)).npz"
        try model.archive(focusName: "q", focusSequence: "ACDEF", residueNumbers: [1, 2, 3, 4, 5], metadata: [("neff", 3)]).write(to: path, overwrite: true)
        let archive = try ModelArchive.read(path)
        #expect(archive.pottsModel == nil, "an ardca archive must not read as a Potts model")
        let back = try ArDCAModel(archive: archive, path: path)
        #expect(back.order == model.order && back.parameters == model.parameters)
        var broken = archive
        broken.extras = [("order", .init(ints: [0, 1, 2, 3, 4], shape: [5]))]
        if model.order != [0, 1, 2, 3, 4] {
            #expect(throws: (any Error).self) { try ArDCAModel(archive: broken, path: path) }
        }
    }

    /// ΔΔ from the closed form equals the double-mutant epistasis of exact log-likelihoods.
    @Test func epistaticCouplingsMatchDoubleMutantLikelihoods() {
        let model = randomModel(length: 5, seed: 6)
        let x: [UInt8] = [3, 0, 17, 20, 9]
        let t = model.epistaticCouplings(background: x)
        let q = 21, l = 5
        let wt = model.logLikelihood(x)
        func ll(_ muts: [(Int, Int)]) -> Double { var y = x; for (i, a) in muts { y[i] = UInt8(a) }; return model.logLikelihood(y) }
        var worst = 0.0
        for i in 0..<l { for j in 0..<l where j != i { for a in stride(from: 0, to: q, by: 4) { for b in stride(from: 1, to: q, by: 3) {
            let dd = ll([(i, a), (j, b)]) - ll([(i, a)]) - ll([(j, b)]) + wt
            worst = Swift.max(worst, Swift.abs(dd - Double(t.scalars[((i * l + j) * q + a) * q + b])))
        } } } }
        #expect(worst < 2e-4, "max |ΔΔ − T| = \(worst)")
    }

    /// The Gibbs conditional of a site equals P(x with x_i = a) normalised over a.
    @Test func gibbsConditionalsFollowTheLikelihood() {
        let model = randomModel(length: 5, seed: 7)
        var x: [UInt8] = [1, 5, 20, 2, 14]
        var cache = model.makeCache(x)
        var logits = [Double](repeating: 0, count: 21)
        for i in 0..<5 {
            logits.withUnsafeMutableBufferPointer { model.conditionalLogits(site: i, x, cache, into: $0.baseAddress!) }
            let exact = (0..<21).map { a -> Double in var y = x; y[i] = UInt8(a); return model.logLikelihood(y) }
            for a in 0..<21 { #expect(Swift.abs((logits[a] - logits[0]) - (exact[a] - exact[0])) < 1e-3) }
            let old = x[i]; x[i] = UInt8((Int(old) + 3) % 21)
            model.update(site: i, from: old, x, &cache)
            #expect(Swift.abs(model.score(x, cache) - model.logLikelihood(x)) < 1e-3)
        }
    }
}

@Suite struct ArDCAFitTests {
    func alignment(_ codes: [UInt8], length l: Int) -> MultipleSequenceAlignment {
        MultipleSequenceAlignment(alphabet: .protein, names: (0..<(codes.count / l)).map { "s\($0)" }, codes: codes, length: l)
    }

    /// The gather/scatter kernel equals the dense autodiff statement of the same objective, both
    /// for q = 21 (the SIMD protein path) and for another q (the generic loop).
    @Test(arguments: [21, 4]) func kernelMatchesAutodiff(states q: Int) {
        var rng = RandomGenerator(seed: 2)
        let codes: [UInt8] = q == 21 ? randomModel(length: 5, seed: 8, natural: true).sample(count: 40, seed: 1)
                                     : (0..<200).map { _ in UInt8(Int(rng.uniform() * Float(q)) % q) }
        let weights = (0..<40).map { _ in 0.2 + rng.uniform() }
        let o = ArDCAObjective(positionOrderedCodes: codes, count: 40, length: 5, states: q, weights: weights, lambdaCouplings: 0.03, lambdaFields: 0.02)
        for p in [0, 1, 4] {
            let size = o.parameterCount(position: p)
            let theta = (0..<size).map { _ in 0.5 * rng.normal() }
            var g = [Float](repeating: 0, count: size), scratch = [Float](repeating: 0, count: 2 * q)
            let f = theta.withUnsafeBufferPointer { t in g.withUnsafeMutableBufferPointer { gb in scratch.withUnsafeMutableBufferPointer { s in
                o.evaluate(position: p, t.baseAddress!, gb.baseAddress!, scratch: s.baseAddress!) } } }
            let w = Variable(Tensor(shape: [p * q, q], scalars: Array(theta[0..<(p * q * q)])), requiresGrad: true)
            let h = Variable(Tensor(shape: [q], scalars: Array(theta[(p * q * q)...])), requiresGrad: true)
            let loss = ArDCAObjectiveAutodiff.objective(o, position: p, couplings: w, fields: h)
            loss.backward()
            #expect(Swift.abs(Double(loss.item) - f) < 1e-4 * Swift.max(1, Swift.abs(f)), "q \(q) position \(p): \(loss.item) vs \(f)")
            let reference = (p > 0 ? w.grad!.scalars : []) + h.grad!.scalars
            let worst = zip(reference, g).map { Swift.abs($0 - $1) }.max()!
            #expect(worst < 1e-4, "q \(q) position \(p): max gradient difference \(worst)")
        }
    }

    /// On data drawn from a known autoregressive model (natural order), the fit's distribution is
    /// close to the truth: KL(truth ‖ fit) over all sequences is small.
    @Test func fitRecoversAPlantedModel() {
        let l = 3
        let truth = randomModel(length: l, scale: 1.0, seed: 11, natural: true)
        let codes = truth.sample(count: 6000, seed: 3)
        let msa = alignment(codes, length: l)
        let fit = ArDCAFit(lambdaCouplings: 1e-4, lambdaFields: 1e-6, ordering: .natural).fit(msa, weights: [Float](repeating: 1, count: 6000))
        #expect(fit.nonFinite == nil)
        var kl = 0.0
        for x in allSequences(length: l, states: 21) {
            let lp = truth.logLikelihood(x)
            kl += Glibc.exp(lp) * (lp - fit.model.logLikelihood(x))
        }
        #expect(kl < 0.08, "KL(truth ‖ fit) = \(kl)")
        #expect(fit.sites.allSatisfy { $0.stop == .function || $0.stop == .gradient })
    }

    /// The default regularisation is the held-out-likelihood choice (Benchmarks/ardca-lambda.sh),
    /// not ArDCA.jl's 10⁻², for couplings and fields alike.
    @Test func defaultRegularisationIsTheHeldOutChoice() {
        let fit = ArDCAFit()
        #expect(ArDCAFit.defaultLambda == 1e-3)
        #expect(fit.lambdaCouplings == 1e-3 && fit.lambdaFields == 1e-3)
    }

    @Test func entropicOrderPutsConservedColumnsFirst() {
        // Column 1 is constant, column 0 has two states, column 2 varies most.
        let codes: [UInt8] = [0, 4, 1, 1, 4, 2, 0, 4, 3, 1, 4, 5]
        let order = ArDCAFit.entropicOrder(alignment(codes, length: 3), weights: [1, 1, 1, 1])
        #expect(order == [1, 0, 2])
    }

    @Test func fitIsDeterministicAcrossThreadCounts() {
        let truth = randomModel(length: 6, seed: 12)
        let msa = alignment(truth.sample(count: 300, seed: 4), length: 6)
        let w = [Float](repeating: 1, count: 300)
        let saved = Parallel.threadCount
        Parallel.threadCount = 1
        let one = ArDCAFit().fit(msa, weights: w)
        Parallel.threadCount = 2
        let two = ArDCAFit().fit(msa, weights: w)
        Parallel.threadCount = saved
        #expect(one.model.parameters == two.model.parameters && one.model.order == two.model.order)
    }
}
