import Testing
import TestSupport
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
        let path = temporaryDirectory() + "/ardca.npz"
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
