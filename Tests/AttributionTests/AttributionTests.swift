import Testing
#if canImport(Glibc)
import Glibc
#endif
import Tensors
import Autodiff
import Layers
import Motifs
import DNAData
import RegulatoryCNN
import Attribution

@Suite struct AttributionTests {
    /// One filter that is the one-hot of ACGT (bias −3: it fires only on an exact match), ReLU,
    /// a global max pool and a dense weight of 1: f(x) = max(0, matches − 3) over positions.
    func handSetModel(length: Int) throws -> CNNModel {
        let model = try CNNModel(architecture: CNNArchitecture("conv1x4 relu gmax"), length: length, taskNames: ["acgt"], seed: 0)
        let conv = model.network.layers[0] as! Conv1D
        var w = Tensor(zeros: [1, 4, 4])
        for (k, b) in [0, 1, 2, 3].enumerated() { w.scalars[b * 4 + k] = 1 }
        conv.weight.value = w
        conv.bias!.value = Tensor([-3])
        let dense = model.network.layers.last as! Linear
        dense.weight.value = Tensor(repeating: 1, shape: dense.weight.shape)
        dense.bias?.value = Tensor(zeros: dense.bias!.shape)
        return model
    }

    func oneHot(_ s: String) -> Tensor { OneHot.encode([s]) }

    @Test func saliencyPeaksOnTheMotifOfAHandSetFilter() throws {
        let seq = "TTGACAGGTTACGTAGGATT"          // ACGT at positions 10-13 (0-based)
        let model = try handSetModel(length: seq.count)
        let a = Attributor(model: model, task: 0)
        #expect(a.scores(oneHot(seq)) == [1])
        let map = a.gradientTimesInput(oneHot(seq))
        let importance = Interpretability.importance(map, x: oneHot(seq), sequence: 0, reduction: .observedBase)
        for i in 0..<seq.count { #expect(importance[i] == ((10...13).contains(i) ? 1 : 0), "position \(i)") }
    }

    @Test func saliencyMatchesFiniteDifferences() throws {
        let model = try CNNModel(architecture: CNNArchitecture("conv6x5 softplus pool2 flatten dense4 tanh"), length: 12, taskNames: ["a", "b"], seed: 3)
        var rng = RandomGenerator(seed: 4)
        let x = Tensor.uniform([2, 4, 12], using: &rng)
        let a = Attributor(model: model, task: 1)
        let g = a.saliency(x)
        let h: Float = 1e-2
        for k in [0, 7, 30, 55, 95] {
            var up = x, down = x
            up.scalars[k] += h; down.scalars[k] -= h
            let numeric = (a.scores(up)[k / 48] - a.scores(down)[k / 48]) / (2 * h)
            #expect(Swift.abs(numeric - g.scalars[k]) < 2e-3, "element \(k): \(numeric) vs \(g.scalars[k])")
        }
    }

    @Test func integratedGradientsAreComplete() throws {
        let model = try CNNModel(architecture: CNNArchitecture("conv8x5 exp pool2 flatten dense8 relu"), length: 20, taskNames: ["t"], seed: 5)
        let x = OneHot.encode(["ACGTTGCAACGTAGCTAGGA", "TTTTGGGGCCCCAAAATATA"])
        let a = Attributor(model: model, task: 0)
        let ig = a.integratedGradients(x, baseline: .zeros, steps: 300)
        let f = a.scores(x), f0 = a.scores(Tensor(zeros: x.shape))
        for n in 0..<2 {
            let total = ig.scalars[(n * 80)..<((n + 1) * 80)].reduce(0, +)
            let delta = f[n] - f0[n]
            #expect(Swift.abs(total - delta) < 0.01 * Swift.max(1, Swift.abs(delta)), "sequence \(n): Σ IG \(total) vs Δf \(delta)")
        }
    }

    @Test func gradientSHAPIsExactForALinearNetworkAndConvergesToIntegratedGradients() throws {
        let x = OneHot.encode(["ACGTTGCAACGTAGCTAGGA", "TTTTGGGGCCCCAAAATATA"])
        // Linear f: every draw gives (x − x′) ⊙ ∇f whatever α, so from zeros the map is gradient × input.
        let linear = Attributor(model: try CNNModel(architecture: CNNArchitecture("conv3x5 flatten"), length: 20, taskNames: ["t"], seed: 2), task: 0)
        let exact = linear.gradientTimesInput(x), drawn = linear.gradientSHAP(x, baseline: .zeros, samples: 3, seed: 1)
        for k in 0..<x.count { #expect(Swift.abs(exact.scalars[k] - drawn.scalars[k]) < 1e-5, "element \(k)") }
        // From shuffled references each sequence's map sums to f(x) − the mean f(x′) of its draws:
        // a draw of one shuffle per sequence and α then gives f(x) − f(x′) of that shuffle.
        let one = linear.gradientSHAP(x, baseline: .dinucleotide, samples: 1, seed: 4)
        var rng = RandomGenerator(seed: 4)
        let reference = Attributor.references(x, kind: .dinucleotide, using: &rng)
        let (f, fr) = (linear.scores(x), linear.scores(reference))
        for n in 0..<2 {
            let total = one.scalars[(n * 80)..<((n + 1) * 80)].reduce(0, +)
            #expect(Swift.abs(total - (f[n] - fr[n])) < 1e-4, "sequence \(n): Σ map \(total) vs Δf \(f[n] - fr[n])")
        }
        // Nonlinear f: the draws of α average to the path integral, so many draws approach
        // integrated gradients from the same (zero) reference, map and totals.
        let a = Attributor(model: try CNNModel(architecture: CNNArchitecture("conv8x5 exp pool2 flatten dense8 relu"), length: 20, taskNames: ["t"], seed: 5), task: 0)
        let ig = a.integratedGradients(x, baseline: .zeros, steps: 300), gs = a.gradientSHAP(x, baseline: .zeros, samples: 1000, seed: 3)
        let f0 = a.scores(Tensor(zeros: x.shape)), fx = a.scores(x)
        for n in 0..<2 {
            let total = gs.scalars[(n * 80)..<((n + 1) * 80)].reduce(0, +), delta = fx[n] - f0[n]
            #expect(Swift.abs(total - delta) < 0.03 * Swift.max(1, Swift.abs(delta)), "sequence \(n): Σ GradientSHAP \(total) vs Δf \(delta)")
        }
        let scale = ig.scalars.map { Swift.abs($0) }.max()!
        let worst = zip(ig.scalars, gs.scalars).map { Swift.abs($0 - $1) }.max()!
        #expect(worst < 0.05 * scale, "largest difference from IG \(worst) of \(scale)")
        // Seeded: the same seed gives the same map, another seed another.
        #expect(a.gradientSHAP(x, samples: 4, seed: 9) == a.gradientSHAP(x, samples: 4, seed: 9))
        #expect(a.gradientSHAP(x, samples: 4, seed: 9) != a.gradientSHAP(x, samples: 4, seed: 10))
    }

    @Test func deepLIFTSumsToTheDifferenceFromTheReference() throws {
        // No pooling: the rescale rule then satisfies summation-to-delta exactly.
        let model = try CNNModel(architecture: CNNArchitecture("conv6x5 relu conv4x3 exp flatten dense8 tanh dense4 sigmoid"), length: 16, taskNames: ["t"], seed: 6)
        var rng = RandomGenerator(seed: 7)
        let x = OneHot.encode(["ACGTTGCAACGTAGCT", "GGGGCCCCAAAATTTT", "ACACACACGTGTGTGT"])
        let reference = Attributor.references(x, kind: .dinucleotide, using: &rng)
        let d = DeepLIFT(model: model, task: 0)
        let map = d.attributions(x, reference: reference)
        let a = Attributor(model: model, task: 0)
        let f = a.scores(x), fr = a.scores(reference)
        for n in 0..<3 {
            let total = map.scalars[(n * 64)..<((n + 1) * 64)].reduce(0, +)
            #expect(Swift.abs(total - (f[n] - fr[n])) < 1e-4, "sequence \(n): Σ DeepLIFT \(total) vs Δf \(f[n] - fr[n])")
        }
        // DeepSHAP averages DeepLIFT over references, so it sums to f(x) − mean f(x′).
        let shap = d.shap(x, references: .shuffled, count: 3, seed: 1)
        #expect(shap.shape == x.shape && shap.isFinite)
    }

    /// Through max pools (one leaving positions outside every window) DeepLIFT's pooling rule keeps
    /// summation-to-delta, against a shuffled and an all-zero reference.
    @Test func deepLIFTSumsToDeltaThroughMaxPools() throws {
        let model = try CNNModel(architecture: CNNArchitecture("conv6x5 exp pool3 conv4x3 relu pool2 flatten dense8 relu dense1"), length: 24, taskNames: ["t"], seed: 9)
        var rng = RandomGenerator(seed: 10)
        let x = OneHot.encode(["ACGTTGCAACGTAGCTAGGACTTA", "GGGGCCCCAAAATTTTACGTACGT", "TTGACAGCTAGCTAAACGCGATAT"])
        for kind in [Attributor.Baseline.dinucleotide, .zeros] {
            let reference = Attributor.references(x, kind: kind, using: &rng)
            let map = DeepLIFT(model: model, task: 0).attributions(x, reference: reference)
            let a = Attributor(model: model, task: 0)
            let f = a.scores(x), fr = a.scores(reference)
            for n in 0..<3 {
                let total = map.scalars[(n * 96)..<((n + 1) * 96)].reduce(0, +)
                #expect(Swift.abs(total - (f[n] - fr[n])) < 1e-4 * Swift.max(1, Swift.abs(f[n] - fr[n])), "\(kind), sequence \(n): Σ DeepLIFT \(total) vs Δf \(f[n] - fr[n])")
            }
        }
    }

    /// Hypothetical contributions: times the one-hot sequence they give the map's total at every
    /// position (DeepLIFT and DeepSHAP, a reverse-complement-shared model too); against an all-zero
    /// reference they are the multipliers, so at the observed bases they equal the map.
    @Test func hypotheticalContributionsGiveTheMapsTotals() throws {
        let x = OneHot.encode(["ACGTTGCAACGTAGCTAGGACTTA", "GGGGCCCCAAAATTTTACGTACGT"])
        for spec in ["conv6x5 exp pool3 conv4x3 relu pool2 flatten dense8 relu dense1", "rc conv6x5 relu pool2 flatten dense4 tanh dense1"] {
            let model = try CNNModel(architecture: CNNArchitecture(spec), length: 24, taskNames: ["t"], seed: 11)
            var rng = RandomGenerator(seed: 12)
            let reference = Attributor.references(x, kind: .dinucleotide, using: &rng)
            var lift = DeepLIFT(model: model, task: 0)
            let (map, shap) = (lift.attributions(x, reference: reference), lift.shap(x, count: 3, seed: 2))
            lift.hypothetical = true
            let (h, hShap) = (lift.attributions(x, reference: reference), lift.shap(x, count: 3, seed: 2))
            let totals = { (m: Tensor) in m.sum(alongAxes: [1], keepingDims: false) }
            for (a, b) in [(totals(h * x), totals(map)), (totals(hShap * x), totals(shap))] {
                #expect(zip(a.scalars, b.scalars).allSatisfy { Swift.abs($0 - $1) <= 1e-5 * Swift.max(1, Swift.abs($1)) }, "\(spec)")
            }
            let zero = Tensor(zeros: x.shape)
            let (m0, h0) = (DeepLIFT(model: model, task: 0).attributions(x, reference: zero), lift.attributions(x, reference: zero))
            #expect(zip((h0 * x).scalars, m0.scalars).allSatisfy { Swift.abs($0 - $1) <= 1e-6 * Swift.max(1, Swift.abs($1)) }, "\(spec)")
        }
    }

    /// Batches change nothing: each sequence's map is its own, and DeepSHAP's batches draw the
    /// references of a whole-set draw, reference by reference (mean of DeepLIFT over k draws of
    /// `Attributor.references` from the seeded generator). Batches of 2 against one of 256.
    @Test func deepLIFTAndDeepSHAPDoNotDependOnTheBatch() throws {
        let model = try CNNModel(architecture: CNNArchitecture("conv6x5 relu conv4x3 exp flatten dense8 tanh dense4 sigmoid"), length: 16, taskNames: ["t"], seed: 6)
        let x = OneHot.encode(["ACGTTGCAACGTAGCT", "GGGGCCCCAAAATTTT", "ACACACACGTGTGTGT", "TTGACAGCTAGCTAAA", "CGCGATATCGCGATAT"])
        var rng = RandomGenerator(seed: 7)
        let reference = Attributor.references(x, kind: .dinucleotide, using: &rng)
        var small = DeepLIFT(model: model, task: 0)
        small.attributor.batchSize = 2
        let whole = DeepLIFT(model: model, task: 0)
        var done: [Int] = []
        let (a, b) = (small.attributions(x, reference: reference) { done.append($0) }, whole.attributions(x, reference: reference))
        #expect(done == [2, 4, 5])
        func close(_ u: Tensor, _ v: Tensor) -> Bool { zip(u.scalars, v.scalars).allSatisfy { Swift.abs($0 - $1) <= 1e-6 * Swift.max(1, Swift.abs($1)) } }
        #expect(close(a, b))
        var draws = RandomGenerator(seed: 3)
        var mean = Tensor(zeros: x.shape)
        for _ in 0..<3 { mean = mean + whole.attributions(x, reference: Attributor.references(x, kind: .dinucleotide, using: &draws)) }
        mean = mean * (1 / Float(3))
        var ticks: [Int] = []
        let shap = small.shap(x, references: .dinucleotide, count: 3, seed: 3) { d, total in ticks.append(d); #expect(total == 15) }
        #expect(close(shap, mean) && close(whole.shap(x, references: .dinucleotide, count: 3, seed: 3), mean))
        #expect(ticks == [2, 4, 5, 7, 9, 10, 12, 14, 15])
    }

    /// Reverse-complement sharing: DeepLIFT still sums to f(x) − f(x′) (both strands' multipliers).
    @Test func deepLIFTSumsToDeltaWithReverseComplementSharing() throws {
        let model = try CNNModel(architecture: CNNArchitecture("rc conv6x5 relu conv4x3 exp flatten dense8 tanh dense4 sigmoid"), length: 16, taskNames: ["t"], seed: 16)
        var rng = RandomGenerator(seed: 17)
        let x = OneHot.encode(["ACGTTGCAACGTAGCT", "GGGGCCCCAAAATTTT"])
        let reference = Attributor.references(x, kind: .shuffled, using: &rng)
        let map = DeepLIFT(model: model, task: 0).attributions(x, reference: reference)
        let a = Attributor(model: model, task: 0)
        let f = a.scores(x), fr = a.scores(reference)
        for n in 0..<2 {
            let total = map.scalars[(n * 64)..<((n + 1) * 64)].reduce(0, +)
            #expect(Swift.abs(total - (f[n] - fr[n])) < 1e-4, "sequence \(n): Σ DeepLIFT \(total) vs Δf \(f[n] - fr[n])")
        }
    }

    @Test func mutagenesisMatchesDirectDifferences() throws {
        let model = try CNNModel(architecture: CNNArchitecture("conv4x5 relu pool2 flatten dense1"), length: 10, taskNames: ["t"], seed: 8)
        let seq = "ACGTACGTAC"
        let a = Attributor(model: model, task: 0)
        var small = a; small.batchSize = 7              // forces several partial batches
        let ism = small.mutagenesis(oneHot(seq))
        let f = a.scores(oneHot(seq))[0]
        var mutant = Array(seq); mutant[3] = "G"        // T→G at position 3 (0-based)
        #expect(Swift.abs(ism.scalars[2 * 10 + 3] - (a.scores(oneHot(String(mutant)))[0] - f)) < 1e-5)
        #expect(ism.scalars[3 * 10 + 3] == 0)           // the observed base
        #expect(ism.scalars.filter { $0 != 0 }.count <= 30)
    }

    @Test func gradientCorrectionCentresEachPosition() {
        var rng = RandomGenerator(seed: 9)
        let c = Attributor.correctGradient(.normal([2, 4, 6], using: &rng))
        for n in 0..<2 { for i in 0..<6 { #expect(Swift.abs((0..<4).reduce(Float(0)) { $0 + c.scalars[(n * 4 + $1) * 6 + i] }) < 1e-6) } }
    }

    @Test func dinucleotideShuffleKeepsDinucleotideCounts() {
        var rng = RandomGenerator(seed: 10)
        let seq = (0..<200).map { _ in rng.int(below: 4) }
        func counts(_ s: [Int]) -> [Int] { var c = [Int](repeating: 0, count: 16); for (a, b) in zip(s, s.dropFirst()) { c[a * 4 + b] += 1 }; return c }
        var changed = 0
        for _ in 0..<20 {
            let s = DinucleotideShuffle.shuffle(seq, using: &rng)
            #expect(counts(s) == counts(seq) && s.first == seq.first && s.last == seq.last)
            if s != seq { changed += 1 }
        }
        #expect(changed >= 19)
    }

    /// Only the scored task's motifs are truth; 0 < information ≤ 0.1 bits is left out.
    @Test func interpretabilityCountsOnlyTheTasksMotifsAndIgnoresWeakColumns() throws {
        // Sequence of 6 positions: task-0 motif at 0–1, task-1 motif at 2–3, a weak column at 4
        // (0.05 bits), background at 5.
        let weak: [Float] = [0.28, 0.24, 0.24, 0.24]
        let h = weak.reduce(Float(0)) { $0 - $1 * log2f($1) }
        #expect(2 - h > 0 && 2 - h <= 0.1)
        let columns: [[Float]] = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], weak, [0.25, 0.25, 0.25, 0.25]]
        var truth = Tensor(zeros: [1, 4, 6])
        for (i, c) in columns.enumerated() { for b in 0..<4 { truth.scalars[b * 6 + i] = c[b] } }
        let owner = Tensor(shape: [1, 6], scalars: [0, 0, 1, 1, -1, -1])
        let labels = Interpretability.labels(truth, owner: owner, task: 0, sequence: 0)
        #expect(labels == [true, true, false, false, nil, false])
        #expect(Interpretability.labels(truth, owner: owner, task: 1, sequence: 0) == [false, false, true, true, nil, false])
        #expect(Interpretability.labels(truth, owner: nil, task: 1, sequence: 0) == [true, true, true, true, nil, false])
        // Importance high on task 1's motif and on the weak column: perfect for task 1 only
        // because the weak column is ignored.
        let x = OneHot.encode(["ACGTAA"])
        var map = Tensor(zeros: [1, 4, 6])
        for (i, b) in [(2, 2), (3, 3), (4, 0)] { map.scalars[b * 6 + i] = 5 }
        let s1 = Interpretability.score(map, x: x, truth: truth, owner: owner, task: 1, sequences: [0], reduction: .observedBase)
        let s0 = Interpretability.score(map, x: x, truth: truth, owner: owner, task: 0, sequences: [0], reduction: .observedBase)
        #expect(s1.auroc == 1 && s1.aupr == 1 && s0.auroc < 0.5)
    }

    /// Explaining σ(z): saliency is σ'(z) ∂z/∂x, ISM differences of σ, DeepLIFT sums to Δσ.
    @Test func probabilityAttributionsFollowTheSigmoid() throws {
        let model = try CNNModel(architecture: CNNArchitecture("conv6x5 relu conv4x3 exp flatten dense8 tanh dense4 sigmoid"), length: 16, taskNames: ["t"], seed: 6)
        let x = OneHot.encode(["ACGTTGCAACGTAGCT", "GGGGCCCCAAAATTTT"])
        let logit = Attributor(model: model, task: 0), probability = Attributor(model: model, task: 0, output: .probability)
        let z = logit.scores(x), p = probability.scores(x)
        for n in 0..<2 { #expect(Swift.abs(p[n] - 1 / (1 + expf(-z[n]))) < 1e-6) }
        let gz = logit.saliency(x), gp = probability.saliency(x)
        for n in 0..<2 {
            let slope = p[n] * (1 - p[n])
            for k in (n * 64)..<((n + 1) * 64) { #expect(Swift.abs(gp.scalars[k] - slope * gz.scalars[k]) < 1e-6) }
        }
        var mutant = OneHot.encode(["ACGTTGCAACGTAGCT"]); for b in 0..<4 { mutant.scalars[b * 16 + 5] = b == 0 ? 1 : 0 }   // G→A at 5
        let ism = probability.mutagenesis(x)
        #expect(Swift.abs(ism.scalars[0 * 16 + 5] - (probability.scores(mutant)[0] - p[0])) < 1e-5)
        var rng = RandomGenerator(seed: 8)
        let reference = Attributor.references(x, kind: .shuffled, using: &rng)
        let lift = DeepLIFT(model: model, task: 0, output: .probability).attributions(x, reference: reference)
        let pr = probability.scores(reference)
        for n in 0..<2 {
            let total = lift.scalars[(n * 64)..<((n + 1) * 64)].reduce(0, +)
            #expect(Swift.abs(total - (p[n] - pr[n])) < 1e-4, "sequence \(n): Σ DeepLIFT \(total) vs Δσ \(p[n] - pr[n])")
        }
    }

    /// A first-layer filter hand-set to ACGT (bias −3, ReLU) fires only on exact ACGT windows: its
    /// aligned windows give the ACGT count matrix with one site per occurrence.
    @Test func aFilterHandSetToAMotifRecoversIt() throws {
        let model = try handSetModel(length: 20)
        let x = OneHot.encode(["TTGACAGGTTACGTAGGATT", "ACGTTTTTTTTTTTTACGTA", "GGGGGGGGGGGGGGGGGGGG"])
        let result = try FilterMotifs.motifs(model, x: x)
        #expect(result.maxActivation == [1])
        let motif = try #require(result.motifs.first)
        #expect(motif.sites == 3 && motif.consensus == "ACGT")
        #expect(motif.matrix == [[3, 0, 0, 0], [0, 3, 0, 0], [0, 0, 3, 0], [0, 0, 0, 3]])
        // A filter that never fires gives a uniform matrix with no sites.
        let none = try FilterMotifs.motifs(model, x: OneHot.encode(["GGGGGGGGGGGGGGGGGGGG"]))
        #expect(none.motifs[0].sites == 0 && none.motifs[0].probabilities()[0] == [0.25, 0.25, 0.25, 0.25])
    }

    /// Batches only bound memory: one sequence at a time gives the same motifs as the whole set at
    /// once (the maxima are of the whole set, not of a batch), and progress counts both passes.
    @Test func filterMotifsDoNotDependOnTheBatch() throws {
        let model = try CNNModel(architecture: CNNArchitecture("conv6x7 exp pool4 flatten dense4 relu"), length: 24, taskNames: ["t"], seed: 4)
        let x = OneHot.encode(["ACGTTGCAACGTAGCTTGACAGCT", "GGGGCCCCAAAATTTTACGTACGT", "TTGACAGCTAGCTAAACACACACA"])
        var ticks: [Int] = []
        let one = try FilterMotifs.motifs(model, x: x, batchSize: 1) { done, total in ticks.append(done); #expect(total == 6) }
        let whole = try FilterMotifs.motifs(model, x: x)
        #expect(ticks == [1, 2, 3, 4, 5, 6])
        #expect(one.maxActivation == whole.maxActivation)
        #expect(one.motifs.map(\.matrix) == whole.motifs.map(\.matrix) && one.motifs.map(\.sites) == whole.motifs.map(\.sites))
        #expect(whole.motifs.contains { ($0.sites ?? 0) > 1 })    // the threshold leaves some windows out, and keeps several
    }

    /// A model additive over positions (linear convolution, no nonlinearity) has no epistasis.
    @Test func secondOrderMutagenesisOfAnAdditiveModelIsZero() throws {
        let model = try CNNModel(architecture: CNNArchitecture("conv3x5 linear flatten"), length: 12, taskNames: ["t"], seed: 21)
        let x = OneHot.encode(["ACGTTGCAACGT"])
        var a = Attributor(model: model, task: 0)
        a.batchSize = 100
        var ticks: [(Int, Int)] = []
        let r = a.secondOrderMutagenesis(x, window: 2..<10) { ticks.append(($0, $1)) }
        #expect(r.width == 8 && r.epistasis.count == 8 * 4 * 8 * 4)
        // 1 + 3·8 + 9·28 = 277 variants, scored in batches of 100.
        #expect(ticks.map(\.0) == [100, 200, 277] && ticks.allSatisfy { $0.1 == 277 })
        #expect(r.epistasis.allSatisfy { Swift.abs($0) < 1e-4 }, "max |ε| \(r.epistasis.map { Swift.abs($0) }.max()!)")
    }

    /// The hand-set ACGT detector (f = max(0, matches − 3)) on ACGT: breaking one base gives −1,
    /// breaking two also −1 (not −2), so ε = +1 for every pair of motif positions, 0 elsewhere.
    @Test func secondOrderMutagenesisFindsTheMotifsInteraction() throws {
        let seq = "TTGACAGGTTACGTAGGATT"
        let model = try handSetModel(length: seq.count)
        let r = Attributor(model: model, task: 0).secondOrderMutagenesis(oneHot(seq), window: 8..<16)
        let w = r.width
        for i in 0..<w { for j in 0..<w where i != j {
            let inMotif = (2...5).contains(i) && (2...5).contains(j)       // window 8..<16: ACGT at 10–13
            #expect(Swift.abs(r.norms[i * w + j] - (inMotif ? 3 : 0)) < 1e-5, "(\(i), \(j)): \(r.norms[i * w + j])")
        } }
        // ε(i=10 A→C; j=11 C→A) = +1.
        #expect(Swift.abs(r.epistasis[((2 * 4 + 1) * w + 3) * 4 + 0] - 1) < 1e-5)
    }

    /// GIA of the hand-set ACGT detector: embedding ACGT gives f = 1, so the effect is exactly the
    /// mean of 1 − f(null) — 1 minus the fraction of nulls that already carry ACGT.
    @Test func globalImportanceOfAHandSetFilterEqualsItsAnalyticEffect() throws {
        let model = try handSetModel(length: 30)
        let a = Attributor(model: model, task: 0)
        var rng = RandomGenerator(seed: 4)
        let nulls = GlobalImportance.nullSequences(from: OneHot.encode(["ACGTACGTTTGGCCAAACGTTGCATGCATG"]), kind: .uniform, count: 400, using: &rng)
        let acgt: [[Double]] = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
        let effect = GlobalImportance(attributor: a).effect(null: nulls, placements: [.init(motif: acgt, position: 13)])
        let f0 = a.scores(nulls)
        let analytic = f0.reduce(0.0) { $0 + Double(1 - $1) } / 400
        #expect(Swift.abs(effect.mean - analytic) < 1e-9 && effect.count == 400)
        #expect(f0.contains(1) && effect.mean < 1 && effect.standardError > 0)       // some nulls carry ACGT by chance
        // ACGT is its own reverse complement: the reversed embedding has the same effect.
        let reversed = GlobalImportance(attributor: a).effect(null: nulls, placements: [.init(motif: acgt, position: 13, reverse: true)])
        #expect(reversed == effect)
        // Dinucleotide nulls keep each source sequence's dinucleotide counts.
        let source = OneHot.encode(["ACGTACGTTTGGCCAAACGTTGCATGCATG"])
        let shuffled = GlobalImportance.nullSequences(from: source, kind: .dinucleotide, count: 3, using: &rng)
        #expect(shuffled.shape == [3, 4, 30] && (0..<3).allSatisfy { OneHot.decode(shuffled, sequence: $0).first == "A" })
    }

    @Test func interpretabilityIsPerfectForTheTruthItself() throws {
        let motif = Motif(id: "M", name: "M", matrix: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]])
        let data = try SyntheticMotifs(task: .multi, motifs: [motif], count: 20, length: 30, motifsPerSequence: 1...2, seed: 2).generate().train
        let truth = data.groundTruth!
        let oracle = truth - Tensor(repeating: 0.25, shape: truth.shape)       // nonzero exactly at motif bases
        let s = Interpretability.score(oracle, x: data.x, truth: truth, sequences: Array(0..<data.count), reduction: .l2Norm)
        #expect(s.auroc == 1 && s.aupr == 1 && s.sequences == data.count)
    }
}
