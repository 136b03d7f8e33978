import Testing
import Tensors
import Sequences
import Potts
import ArDCA
import Generative
#if canImport(Glibc)
import Glibc
#endif

/// A tiny Potts model over 3 sites and 3 states of a 21-letter alphabet (the others have field
/// −30, never drawn), whose coupling blocks are *not* symmetric in (a, b): J_01(a, b) ≠ J_01(b, a),
/// stored with J[j,i,b,a] = J[i,j,a,b] as every Potts model is.
func plantedTinyPotts() -> PottsModel {
    let (l, q) = (3, 21)
    var h = [Float](repeating: -30, count: l * q)
    let fields: [[Float]] = [[0.2, -0.4, 0.1], [0.0, 0.3, -0.2], [-0.1, 0.0, 0.4]]
    for i in 0..<l { for a in 0..<3 { h[i * q + a] = fields[i][a] } }
    var j = [Float](repeating: 0, count: l * l * q * q)
    let blocks: [(Int, Int, [[Float]])] = [(0, 1, [[1.2, -0.5, 0.0], [0.3, 0.0, -0.9], [0.0, 0.8, 0.1]]),
                                           (1, 2, [[0.0, 0.9, -0.4], [-0.6, 0.2, 0.0], [0.5, 0.0, 0.7]]),
                                           (0, 2, [[-0.3, 0.0, 0.6], [0.0, 0.4, 0.0], [0.2, -0.7, 0.0]])]
    for (a0, b0, m) in blocks { for a in 0..<3 { for b in 0..<3 {
        j[((a0 * l + b0) * q + a) * q + b] = m[a][b]
        j[((b0 * l + a0) * q + b) * q + a] = m[a][b]
    } } }
    return PottsModel(alphabet: .protein, fields: Tensor(shape: [l, q], scalars: h), couplings: Tensor(shape: [l, l, q, q], scalars: j))
}

func frequencies(_ codes: [UInt8], length l: Int, states q: Int) -> (single: [Double], pair: [Double]) {
    let n = codes.count / l
    var f1 = [Double](repeating: 0, count: l * q), f2 = [Double](repeating: 0, count: l * l * q * q)
    for s in 0..<n { for i in 0..<l {
        f1[i * q + Int(codes[s * l + i])] += 1 / Double(n)
        for k in 0..<l { f2[((i * l + k) * q + Int(codes[s * l + i])) * q + Int(codes[s * l + k])] += 1 / Double(n) }
    } }
    return (f1, f2)
}

@Suite struct SamplerTests {
    @Test func streamingPearsonIsUndefinedWithoutSpread() {
        var flat = StreamingPearson(), varied = StreamingPearson()
        // Equal values whose running sums do not cancel exactly in double precision.
        // (five values of 1.1: Σy² − (Σy)²/n is 8.9·10⁻¹⁶, not 0).
        for (k, x) in [0.1, 0.2, 0.3, 0.4, 0.5].enumerated() { flat.add(x, 1.1); varied.add(x, Double(k) * Double(k)) }
        #expect(flat.r == nil)
        #expect(Swift.abs(varied.r! - 0.9589266029707681) < 1e-12)
    }

    @Test func pssmSamplesReproduceItsFrequencies() throws {
        var rng = RandomGenerator(seed: 3)
        let (l, q) = (4, 21)
        var logits = (0..<(l * q)).map { _ in 1.5 * rng.normal() }
        for i in 0..<l {
            let lse = Float(Glibc.log((0..<q).reduce(0.0) { $0 + Glibc.exp(Double(logits[i * q + $1])) }))
            for a in 0..<q { logits[i * q + a] -= lse }
        }
        let pssm = PSSM(alphabet: .protein, fields: Tensor(shape: [l, q], scalars: logits), pseudocount: 0)
        let n = 20000
        let set = try pssm.sample(SamplingRequest(count: n, seed: 4), progress: nil)
        let f = frequencies(set.codes, length: l, states: q).single
        for k in 0..<(l * q) {
            let p = Double(Glibc.exp(logits[k]))
            #expect(Swift.abs(f[k] - p) < 5 * (p * (1 - p) / Double(n)).squareRoot() + 1e-4, "state \(k): \(f[k]) vs \(p)")
        }
        // At temperature T each column is drawn from exp(h / T), renormalised (it was drawn at T = 1).
        var cold = SamplingRequest(count: n, seed: 4)
        cold.temperature = 0.5
        let fc = frequencies(try pssm.sample(cold, progress: nil).codes, length: l, states: q).single
        for i in 0..<l {
            let z = (0..<q).reduce(0.0) { $0 + Glibc.exp(2 * Double(logits[i * q + $1])) }
            for a in 0..<q {
                let p = Glibc.exp(2 * Double(logits[i * q + a])) / z
                #expect(Swift.abs(fc[i * q + a] - p) < 5 * (p * (1 - p) / Double(n)).squareRoot() + 1e-4, "T = 0.5, column \(i) state \(a): \(fc[i * q + a]) vs \(p)")
            }
        }
    }

    /// Gibbs chains on a planted L = 3 model reproduce the one- and two-site frequencies of exact
    /// enumeration — in both orientations of every coupling block (J_ij(a, x_j), not transposed).
    @Test func gibbsReproducesExactPairStatistics() throws {
        let model = plantedTinyPotts()
        let (l, q) = (3, 21)
        var exact1 = [Double](repeating: 0, count: l * q), exact2 = [Double](repeating: 0, count: l * l * q * q)
        var z = 0.0
        for a in 0..<3 { for b in 0..<3 { for c in 0..<3 {
            let x: [UInt8] = [UInt8(a), UInt8(b), UInt8(c)]
            let p = Glibc.exp(model.energy(x))
            z += p
            for i in 0..<l { exact1[i * q + Int(x[i])] += p; for k in 0..<l { exact2[((i * l + k) * q + Int(x[i])) * q + Int(x[k])] += p } }
        } } }
        var request = SamplingRequest(count: 30000, seed: 9)
        (request.chains, request.burnIn, request.thinning) = (30, 20, 10)
        let set = try model.sample(request, progress: nil)
        let (f1, f2) = frequencies(set.codes, length: l, states: q)
        var worst = 0.0
        for k in exact1.indices { worst = Swift.max(worst, Swift.abs(f1[k] - exact1[k] / z)) }
        for k in exact2.indices { worst = Swift.max(worst, Swift.abs(f2[k] - exact2[k] / z)) }
        #expect(worst < 0.015, "max |f − exact| = \(worst)")
        // A transposed reading (J_ij(x_j, a)) would give visibly different pair frequencies.
        #expect(Swift.abs(f2[((0 * l + 1) * q + 0) * q + 0] - exact2[((0 * l + 1) * q + 0) * q + 0] / z) < 0.015)
        #expect(set.mixing?.warnings.isEmpty == true, "\(set.mixing?.warnings ?? [])")
    }

    /// A single chain's progress moves with its sweeps, burn-in included: 100 burn-in sweeps and 4
    /// samples one sweep apart report 1, 2, 3, 4 (at sweeps 26, 52, 78, 104), not 4 at the end.
    @Test func markovChainProgressCountsBurnIn() throws {
        final class Reports: @unchecked Sendable { var values: [Int] = [] }
        let reports = Reports()
        var request = SamplingRequest(count: 4, seed: 3)
        (request.chains, request.burnIn, request.thinning) = (1, 100, 1)
        _ = try plantedTinyPotts().sample(request) { reports.values.append($0) }
        #expect(reports.values == [1, 2, 3, 4])
    }

    @Test func conditionalSamplingKeepsFixedColumnsAndIsSeeded() throws {
        let potts = plantedTinyPotts()
        var rng = RandomGenerator(seed: 1)
        let q = 21
        let ardca = ArDCAModel(alphabet: .protein, order: [2, 0, 1, 3],
                               parameters: (0..<ArDCAModel.parameterCount(length: 4, states: q)).map { _ in rng.normal() })
        for sampler in [potts as any Sampler, ardca as any Sampler] {
            var request = SamplingRequest(count: 40, seed: 5)
            (request.chains, request.burnIn, request.thinning) = (4, 3, 1)
            request.fixed = [1: 2]
            let a = try sampler.sample(request, progress: nil), b = try sampler.sample(request, progress: nil)
            #expect(a.codes == b.codes)
            for s in 0..<40 { #expect(a.codes[s * sampler.length + 1] == 2) }
            request.seed = 6
            #expect(try sampler.sample(request, progress: nil).codes != a.codes)
        }
    }

    /// `runsChains` (which lets `sample` refuse --chains/--burn-in/--thin an exact sampler would
    /// ignore) says what `sample` then does: MCMC runs report their mixing, exact draws do not.
    @Test func runsChainsTellsExactDrawsFromMarkovChains() throws {
        var rng = RandomGenerator(seed: 4)
        let q = 21
        let ardca = ArDCAModel(alphabet: .protein, order: [1, 0, 2],
                               parameters: (0..<ArDCAModel.parameterCount(length: 3, states: q)).map { _ in rng.normal() })
        let pssm = PSSM(alphabet: .protein, fields: Tensor(shape: [3, q], scalars: (0..<3 * q).map { _ in rng.normal() }), pseudocount: 0)
        var plain = SamplingRequest(count: 8, seed: 1)
        (plain.chains, plain.burnIn, plain.thinning) = (2, 1, 1)
        var fixed = plain
        fixed.fixed = [0: 3]
        var tempered = plain
        tempered.temperature = 0.5
        var cases: [(any Sampler, SamplingRequest, Bool)] = [(pssm, plain, false), (pssm, tempered, false)]
        cases += [(ardca, plain, false), (ardca, fixed, true), (ardca, tempered, true), (plantedTinyPotts(), plain, true)]
        for (sampler, request, chains) in cases {
            #expect(sampler.runsChains(request) == chains)
            #expect((try sampler.sample(request, progress: nil).mixing != nil) == chains)
        }
    }

    /// ArDCA conditioned on a column that comes *late* in its order: the Gibbs chains on the exact
    /// conditionals reproduce P(x_0 | x_1 = b) from enumeration (ancestral clamping alone would not).
    @Test func ardcaConditionalSamplingIsExact() throws {
        var rng = RandomGenerator(seed: 2)
        let q = 21
        let model = ArDCAModel(alphabet: .protein, order: [0, 1],
                               parameters: (0..<ArDCAModel.parameterCount(length: 2, states: q)).map { _ in 1.5 * rng.normal() })
        var exact = [Double](repeating: 0, count: q)
        for a in 0..<q { exact[a] = Glibc.exp(model.logLikelihood([UInt8(a), 4])) }
        let z = exact.reduce(0, +)
        var request = SamplingRequest(count: 20000, seed: 3)
        (request.chains, request.burnIn, request.thinning) = (20, 5, 1)
        request.fixed = [1: 4]
        let set = try model.sample(request, progress: nil)
        var f = [Double](repeating: 0, count: q)
        for s in 0..<20000 { f[Int(set.codes[s * 2])] += 1.0 / 20000 }
        for a in 0..<q { #expect(Swift.abs(f[a] - exact[a] / z) < 0.015, "state \(a): \(f[a]) vs \(exact[a] / z)") }
    }

    @Test func mixingCheckFlagsStuckChains() {
        // Two chains that never move from different sequences: consecutive samples are identical.
        let l = 10
        var codes: [UInt8] = []
        for c in 0..<4 { for _ in 0..<10 { codes += [UInt8](repeating: UInt8(c), count: l) } }
        let traces = (0..<4).map { c in (0..<10).map { Double($0) + Double(c) * 0.1 } }
        let m = MixingCheck(codes: codes, length: l, samplesPerChain: [10, 10, 10, 10], traces: traces)
        #expect(m.judged && m.warnings.count == 2, "\(m.warnings)")
    }

    @Test func evaluationOfAnAlignmentAgainstItselfIsPerfect() throws {
        let model = plantedTinyPotts()
        var request = SamplingRequest(count: 500, seed: 2)
        request.chains = 10
        let set = try model.sample(request, progress: nil)
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: (0..<500).map { "s\($0)" }, codes: set.codes, length: 3)
        let w = [Float](repeating: 1, count: 500)
        let e = try GenerativeEvaluation(samples: msa, reference: msa, referenceWeights: w, tripletCount: 5, distanceSamples: 50)
        #expect(Swift.abs((e.singlePearson ?? 0) - 1) < 1e-9 && Swift.abs((e.connectedPearson ?? 0) - 1) < 1e-9)
        #expect(Swift.abs((e.threeSitePearson ?? 0) - 1) < 1e-9)
        #expect(e.sampleDistances.allSatisfy { $0 == 0 })
        let other = MultipleSequenceAlignment(alphabet: .protein, names: ["a"], codes: [0, 1], length: 2)
        #expect(throws: (any Error).self) { try GenerativeEvaluation(samples: other, reference: msa, referenceWeights: w) }
    }
}
