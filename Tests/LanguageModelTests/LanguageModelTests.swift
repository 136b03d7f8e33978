import Testing
import TestSupport
import Foundation
import Tensors
import Autodiff
import Potts
import Archive
import Contacts
import Structures
@testable import LanguageModel

/// Random residue tokens (0–19).
func randomSequence(_ n: Int, using rng: inout RandomGenerator) -> [UInt8] { (0..<n).map { _ in UInt8(rng.int(below: 20)) } }

func tinyConfiguration() -> LanguageModelConfiguration {
    var c = LanguageModelConfiguration()
    c.layers = 2; c.dimension = 16; c.heads = 2; c.feedForward = 32; c.maxPositions = 40; c.dropout = 0
    return c
}

@Suite struct TokenAndInputTests {
    @Test func tokensFollowTheProteinAlphabetOrder() {
        #expect(ProteinTokens.encode("ACDY") == [0, 1, 2, 19])
        #expect(ProteinTokens.encode("acb") == [0, 1, 20])
        #expect(ProteinTokens.encode("A-C") == nil)
        #expect(ProteinTokens.decode([0, 20, 19]) == "AXY")
    }

    @Test func rawSequencesDropGapsAndKeepInsertResidues() throws {
        let path = temporaryDirectory() + "/lm-raw.a2m"
        try ">q/5-10\nAC-DEF\n>h1\nA.cC-DEF\n".write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let raw = try RawSequences.read(path)
        #expect(raw.names == ["q/5-10", "h1"])
        #expect(raw.tokens[0] == ProteinTokens.encode("ACDEF"))
        #expect(raw.tokens[1] == ProteinTokens.encode("ACCDEF"))
        #expect(raw.isAligned)
        // `~` (HMMER's missing data at a fragment's ends) is a gap of a match column, like `-`.
        try ">q\nACDEF\n>frag\n~~DE~\n".write(toFile: path, atomically: false, encoding: .utf8)
        let fragment = try RawSequences.read(path)
        #expect(fragment.tokens[1] == ProteinTokens.encode("DE") && fragment.isAligned)
    }

    @Test func rawSequencesSkipMMseqsNULSeparators() throws {
        let path = temporaryDirectory() + "/lm-nul.a3m"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "#6\t1\n>101\nACDEFG\n>hit\t90\t0.8\nACkDEF-\n\0".write(toFile: path, atomically: false, encoding: .utf8)
        let raw = try RawSequences.read(path)
        #expect(raw.count == 2 && raw.tokens[1].count == 6, "\(raw.names) \(raw.tokens)")
    }

    @Test func rawSequencesReadStockholmBlocksAsWholeSequences() throws {
        let path = temporaryDirectory() + "/lm-sto.sto"
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Pfam style: two blocks, a lower-case insert with '.' gaps, annotation lines in between.
        let text = "# STOCKHOLM 1.0\n#=GF ID  X\nq/1-7   AC.D.E\nh1      ACcDaE\n#=GC RF xx.x.x\n\nq/1-7   FG\nh1      F-\n//\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let raw = try RawSequences.read(path)
        #expect(raw.names == ["q/1-7", "h1"])
        #expect(raw.tokens == [ProteinTokens.encode("ACDEFG")!, ProteinTokens.encode("ACCDAEF")!])
        #expect(raw.isAligned)
        try "# STOCKHOLM 1.0\nq ACD\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: LanguageModelError(path: path, line: 2, "Stockholm file ends without the '//' terminator (truncated?)")) { try RawSequences.read(path) }
        try "# STOCKHOLM 1.0\nq ACD\ne ---\n//\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: LanguageModelError(path: path, line: 3, "record 'e' has no residues")) { try RawSequences.read(path) }
        try "# STOCKHOLM 1.0\nq ACD\ne AC-\nq ACE\n//\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: LanguageModelError(path: path, line: 4, "sequence 'q' appears twice in one block (also line 2): names must be unique within a Stockholm alignment")) { try RawSequences.read(path) }
        try "# STOCKHOLM 1.0\nq ACD\n//\n# STOCKHOLM 1.0\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: LanguageModelError(path: path, line: 4, "data after the '//' terminator (multiple alignments are not supported)")) { try RawSequences.read(path) }
    }

    @Test func rawSequencesNameTheLineOfABadCharacter() throws {
        let path = temporaryDirectory() + "/lm-bad.fa"
        try ">a\nACD\n>b\nAC1D\n".write(toFile: path, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: LanguageModelError(path: path, line: 4, "'1' is not an amino-acid letter or alignment character")) { try RawSequences.read(path) }
    }

    @Test func kmerWeightsDownweightNearDuplicates() {
        var rng = RandomGenerator(seed: 1)
        let a = randomSequence(120, using: &rng), b = randomSequence(120, using: &rng)
        var a2 = a; a2[5] = (a2[5] + 1) % 20                      // 99% identical to a
        let w = KmerWeights.compute([a, a2, b])
        #expect(w == [0.5, 0.5, 1])
    }

    /// The pair counts (each pair once, sixteen hashes at a time, workers' counts added) equal
    /// the plain count over all ordered pairs, at one and two threads, on 300 sequences in
    /// families of copies 70–100% identical (so many pairs lie near the threshold).
    @Test func kmerWeightsEqualThePlainPairCount() {
        var rng = RandomGenerator(seed: 2)
        var sequences: [[UInt8]] = []
        for _ in 0..<30 {
            let base = randomSequence(80 + Int(rng.uniformDouble() * 60), using: &rng)
            for c in 0..<10 {
                var copy = base
                for p in copy.indices where rng.uniformDouble() < Double(c) * 0.03 { copy[p] = UInt8(Int(rng.uniformDouble() * 20)) }
                sequences.append(copy)
            }
        }
        let hashes = 64, needed = Int((KmerWeights.jaccardThreshold(identity: 0.8, k: 3) * Double(hashes)).rounded(.up))
        let signatures = sequences.map { KmerWeights.signature($0, k: 3, hashes: hashes) }
        let want = signatures.map { a in 1 / Float(signatures.filter { b in zip(a, b).filter { $0 == $1 }.count >= needed }.count) }
        #expect(Set(want).count > 3, "a spread of cluster sizes")
        for threads in [1, 2] { #expect(Parallel.withThreads(threads) { KmerWeights.compute(sequences) } == want, "\(threads) threads") }
    }

    @Test func blosumCoordinatesReproduceTheMatrixAtFullRank() {
        let (values, vectors) = SubstitutionEmbedding.symmetricEigen(SubstitutionEmbedding.blosum62.map { $0.map(Double.init) })
        for i in 0..<20 { for j in 0..<20 {
            let r = (0..<20).reduce(0.0) { $0 + vectors[i][$1] * values[$1] * vectors[j][$1] }
            #expect(abs(r - Double(SubstitutionEmbedding.blosum62[i][j])) < 1e-8)
        } }
        // Leading coordinates put I, L, V (hydrophobic, mutually substitutable) closer than I and D.
        let c = SubstitutionEmbedding.coordinates(dimension: 8, scale: 1)
        func dist(_ a: Int, _ b: Int) -> Float { zip(c[a], c[b]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        #expect(dist(7, 9) < dist(7, 2))
    }
}

@Suite struct TransformerTests {
    @Test(arguments: LanguageModelConfiguration.PositionEncoding.allCases)
    func paddingDoesNotChangeARealTokensOutput(positions: LanguageModelConfiguration.PositionEncoding) {
        var rng = RandomGenerator(seed: 2)
        var c = tinyConfiguration(); c.positions = positions
        let model = ProteinLanguageModel(c, seed: 3)
        let short = randomSequence(7, using: &rng), long = randomSequence(15, using: &rng)
        let alone = ProteinLanguageModel.batch([short]), padded = ProteinLanguageModel.batch([short, long])
        let a = model(tokens: alone.tokens, lengths: alone.lengths, training: false)
        let b = model(tokens: padded.tokens, lengths: padded.lengths, training: false)
        let v = ProteinTokens.count, t = padded.tokens[0].count
        #expect(t > alone.tokens[0].count)
        for p in 0..<(short.count + 2) { for k in 0..<v {
            #expect(abs(a.logits.value.scalars[p * v + k] - b.logits.value.scalars[p * v + k]) < 1e-4)
        } }
        // Padded keys receive no attention.
        for l in 0..<2 { for h in 0..<2 { for q in 0..<(short.count + 2) { for k in (short.count + 2)..<t {
            #expect(b.attention[l][0, h, q, k] == 0)
        } } } }
    }

    @Test(arguments: LanguageModelConfiguration.PositionEncoding.allCases)
    func modelGradientMatchesFiniteDifferences(positions: LanguageModelConfiguration.PositionEncoding) {
        // End-to-end check of the composed model (embedding, masked attention, GELU MLP, LayerNorm, tied head).
        var c = tinyConfiguration(); c.layers = 1; c.dimension = 8; c.feedForward = 8; c.positions = positions
        let model = ProteinLanguageModel(c, seed: 4)
        let batch = ProteinLanguageModel.batch([[1, 2, 3, 4], [5, 6]])
        let targets = (0..<(2 * 6)).map { $0 % 3 == 1 ? $0 % 20 : -1 }
        func loss() -> Float { crossEntropy(logits: model(tokens: batch.tokens, lengths: batch.lengths, training: false).logits, targets: targets).item }
        let l = crossEntropy(logits: model(tokens: batch.tokens, lengths: batch.lengths, training: false).logits, targets: targets)
        for p in model.parameters { p.zeroGrad() }
        l.backward()
        for (name, p) in model.namedParameters where name.contains("qkv.weight") || name.contains("mlp.hidden.weight") || name == "token_embedding" {
            for i in stride(from: 0, to: p.value.count, by: max(1, p.value.count / 6)) {
                let saved = p.value.scalars[i]
                p.value.scalars[i] = saved + 1e-2; let up = loss()
                p.value.scalars[i] = saved - 1e-2; let down = loss()
                p.value.scalars[i] = saved
                let numeric = (up - down) / 2e-2, analytic = p.grad?.scalars[i] ?? 0
                #expect(abs(numeric - analytic) <= 2e-2 * (1 + abs(numeric)), "\(name)[\(i)]: \(numeric) vs \(analytic)")
            }
        }
    }

    @Test func archiveRoundTripKeepsEveryParameter() throws {
        var c = tinyConfiguration(); c.positions = .learned; c.positionSharedFirstLayer = true; c.embeddingInitialisation = .blosum62
        let model = ProteinLanguageModel(c, seed: 5)
        let focus: [UInt8] = [0, 3, 7, 9, 12, 1]
        let path = temporaryDirectory() + "/lm.npz"
        try model.archive(focusName: "q/10-15", focus: focus, firstResidue: 10, metadata: [("steps", 3)]).write(to: path, overwrite: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let archive = try ModelArchive.read(path)
        #expect(archive.modelType == "lm" && archive.residueNumbers == Array(10...15) && archive.focusSequence == "AEILPC")
        let loaded = try ProteinLanguageModel(archive: archive, path: path)
        #expect(loaded.configuration == c)
        for ((n1, p1), (_, p2)) in zip(model.namedParameters, loaded.namedParameters) { #expect(p1.value == p2.value, "\(n1)") }
    }

    @Test func rotaryModelRoundTripsAndHasNoPositionParameters() throws {
        var c = tinyConfiguration(); c.positions = .rotary
        let model = ProteinLanguageModel(c, seed: 8)
        #expect(!model.namedParameters.contains { $0.0 == "position_embedding" })
        let path = temporaryDirectory() + "/lm-rotary.npz"
        try model.archive(focusName: "q", focus: [0, 3, 7], firstResidue: 1, metadata: []).write(to: path, overwrite: true)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loaded = try ProteinLanguageModel(archive: try ModelArchive.read(path), path: path)
        #expect(loaded.configuration == c)
        // Rotary positions with position-shared attention, or an odd head dimension, are refused.
        var shared = c; shared.positionSharedFirstLayer = true
        #expect(throws: LanguageModelError.self) { try shared.validate() }
        var odd = c; odd.dimension = 6; odd.heads = 2
        #expect(throws: LanguageModelError.self) { try odd.validate() }
    }
}

@Suite struct ScoringTests {
    @Test func wildTypeScoresZeroAndSinglesReadTheMarginalTable() {
        let model = ProteinLanguageModel(tinyConfiguration(), seed: 6)
        var rng = RandomGenerator(seed: 7)
        let x = randomSequence(12, using: &rng)
        for method in LanguageModelScorer.Method.allCases {
            let scorer = LanguageModelScorer(model: model, background: x, method: method)
            #expect(scorer.effect(of: [(3, x[3])], background: x) == 0, "\(method)")
            #expect(scorer.effect(of: [], background: x) == 0)
        }
        let masked = LanguageModelScorer(model: model, background: x)
        let table = model.maskedMarginals(x)
        let b = (x[4] + 1) % 20
        #expect(abs(masked.effect(of: [(4, b)], background: x) - Double(table[4 * 20 + Int(b)] - table[4 * 20 + Int(x[4])])) < 1e-9)
        // The masked marginal of position i is the softmax at a ⟨mask⟩ there: probabilities sum to 1.
        #expect(abs((0..<20).reduce(0.0) { $0 + exp(Double(table[4 * 20 + $1])) } - 1) < 1e-4)
    }
}

@Suite struct TrainingTests {
    /// Sequences of 16 random residues with a motif (position 8 always W) and a planted
    /// covariation: positions 3 and 12 hold one of the salt-bridge-like pairs (K,E), (E,K), (R,D),
    /// (D,R), so each alone is uniform over 4 residues but one determines the other.
    static func planted(_ n: Int, seed: UInt64) -> [[UInt8]] {
        var rng = RandomGenerator(seed: seed)
        let pairs: [(UInt8, UInt8)] = [(8, 3), (3, 8), (14, 2), (2, 14)]
        return (0..<n).map { _ in
            var s = randomSequence(16, using: &rng)
            s[8] = 18
            (s[3], s[12]) = pairs[rng.int(below: 4)]
            return s
        }
    }

    /// Both position encodings learn the covariation. The attention check holds for learned
    /// positions; with rotary ones (the default) the head average's top APC pair here is (8, 14):
    /// the fixed motif residue at 8, a landmark that residues find their place by, rather than a
    /// coupling (README, "Language model").
    @Test(arguments: LanguageModelConfiguration.PositionEncoding.allCases)
    func learnsAPlantedCovariationAndFindsThePairInAttention(positions: LanguageModelConfiguration.PositionEncoding) throws {
        let data = Self.planted(600, seed: 8)
        var fit = LanguageModelFit()
        fit.configuration = tinyConfiguration(); fit.configuration.dimension = 32; fit.configuration.heads = 4; fit.configuration.feedForward = 64
        fit.configuration.positions = positions
        fit.steps = 500; fit.learningRate = 3e-3; fit.evaluateEvery = 100; fit.patience = 100; fit.seed = 9
        let result = try fit.fit(data, weights: [Float](repeating: 1, count: data.count))
        let model = result.model
        // Masked accuracy at the coupled position, given its partner: far above chance (1/20).
        let test = Self.planted(100, seed: 10)
        var correct = 0, motif = 0
        for s in test {
            let table = model.maskedMarginals(s)
            func predicted(_ i: Int) -> Int { (0..<20).max { table[i * 20 + $0] < table[i * 20 + $1] }! }
            if predicted(12) == Int(s[12]) { correct += 1 }
            if predicted(8) == 18 { motif += 1 }
        }
        // Chance given the column's own statistics is 25/100; the partner decides it.
        #expect(correct >= 80, "masked accuracy at the coupled position \(correct)/100")
        #expect(motif >= 95, "masked accuracy at the motif \(motif)/100")
        // The planted pair (3, 12) is the top APC attention pair of the head average over test sequences.
        var maps: [ContactMap] = []
        for s in test.prefix(20) { maps.append(AttentionContacts.average(AttentionContacts.headMaps(model, sequence: s))) }
        let top = AttentionContacts.average(maps).rankedPairs(minimumSeparation: 2).first!
        if positions == .learned { #expect(top.i == 3 && top.j == 12, "top pair (\(top.i), \(top.j))") }
        #expect(result.history.last!.validationPerplexity < 17)
    }

    @Test func resumingFromAStateReproducesTheUninterruptedRun() throws {
        let data = Self.planted(80, seed: 11)
        var fit = LanguageModelFit()
        fit.configuration = tinyConfiguration(); fit.configuration.dropout = 0.1
        fit.steps = 12; fit.batchSize = 8; fit.evaluateEvery = 4; fit.seed = 12
        let weights = [Float](repeating: 1, count: data.count)
        let full = try fit.fit(data, weights: weights)
        var saved: LanguageModelFit.State?
        _ = try fit.fit(data, weights: weights, progress: { step, _, _ in step < 6 }, checkpoint: { step, state in if step == 6 { saved = state() } })
        let resumed = try fit.fit(data, weights: weights, resume: saved)
        for (a, b) in zip(full.model.parameters, resumed.model.parameters) { #expect(a.value == b.value) }
    }

    @Test func weightedBucketsSampleInProportionToWeights() {
        let lengths = (0..<40).map { 10 + $0 }
        var weights = [Float](repeating: 1, count: 40); weights[0] = 10
        let buckets = LengthBuckets(indices: Array(0..<40), lengths: lengths, weights: weights, count: 4)
        var rng = RandomGenerator(seed: 13)
        var counts = [Int](repeating: 0, count: 40)
        for _ in 0..<4000 { for i in buckets.sample(4, using: &rng) { counts[i] += 1 } }
        // Expected share of sequence 0: 10/49 ≈ 0.204 of all draws.
        #expect(abs(Double(counts[0]) / 16000 - 10.0 / 49) < 0.03)
        // Each batch comes from one bucket: lengths within a quarter of the range.
        let batch = buckets.sample(6, using: &rng).map { lengths[$0] }
        #expect(batch.max()! - batch.min()! < 10)
    }
}

@Suite struct HeadRegressionTests {
    @Test func regressionRecoversTheInformativeHead() {
        var rng = RandomGenerator(seed: 14)
        let l = 30
        var truthD = [[Double?]](repeating: [Double?](repeating: 20, count: l), count: l)
        var informative = [Float](repeating: 0, count: l * l), noise = [Float](repeating: 0, count: l * l)
        for i in 0..<l { for j in (i + 1)..<l {
            let contact = rng.uniform() < 0.2
            if contact { truthD[i][j] = 5; truthD[j][i] = 5 }
            let s = (contact ? 1 : 0) + 0.3 * rng.normal()
            informative[i * l + j] = s; informative[j * l + i] = s
            let n = rng.normal(); noise[i * l + j] = n; noise[j * l + i] = n
        } }
        let maps = [ContactMap(length: l, scores: noise), ContactMap(length: l, scores: informative)]
        let r = HeadRegression.fit(heads: maps, labels: ["1.1", "1.2"], truth: ContactTruth(distances: truthD), minimumSeparation: 1, lambda: 0.01)
        #expect(r.weights[1] > 2 && abs(r.weights[0]) < 0.5 * r.weights[1])
        // The table reads back to the same regression, bit for bit.
        let back = try? HeadRegression(table: r.table(comments: ["fitted on a test"]), path: "r.csv")
        #expect(back == r)
    }

    @Test func tableErrorsNameTheLine() {
        func problem(_ text: String) -> String? {
            do { _ = try HeadRegression(table: text, path: "r.csv"); return nil } catch let e as LanguageModelError { return e.description } catch { return "\(error)" }
        }
        #expect(problem("# c\nhead,weight\n1.1,x\nbias,0\n")?.hasPrefix("r.csv:3: expected 'layer.head,weight'") == true)
        #expect(problem("head,weight\n1.1,1\n1.1,2\nbias,0\n")?.hasPrefix("r.csv:3: head 1.1 is listed twice") == true)
        #expect(problem("head,weight\n0.1,1\nbias,0\n")?.hasPrefix("r.csv:2: '0.1' is not a head label") == true)
        #expect(problem("head,weight\n1.1,1\n")?.hasSuffix("no 'bias' row") == true)
        #expect(problem("weight,head\n") == "r.csv:1: expected the header 'head,weight', found 'weight,head'")
        #expect(problem("head,weight\n1.1,inf\nbias,0\n") != nil)
        #expect(problem("head,weight\n1.1,1\nbias,0\n") == nil)
    }
}

@Suite struct AttentionCouplingComparisonTests {
    /// A head equal to the coupling map ranks first with ρ = 1 and full top-L overlap; its negation
    /// ranks last; the head average is scored separately and is not among the ranked heads.
    @Test func ranksHeadsAndScoresTheAverageSeparately() throws {
        let l = 16
        var rng = RandomGenerator(seed: 7)
        var s = [Float](repeating: 0, count: l * l)
        for i in 0..<l { for j in (i + 1)..<l { let v = Float(rng.int(below: 1000)); s[i * l + j] = v; s[j * l + i] = v } }
        let couplings = ContactMap(length: l, scores: s)
        let same = couplings, opposite = ContactMap(length: l, scores: s.map { -$0 })
        let numbers = Array(1...l)
        let c = try AttentionCouplingComparison(heads: [opposite, same], labels: ["1.1", "1.2"], lmNumbers: numbers,
                                                couplings: couplings, couplingNumbers: numbers, minimumSeparation: 2)
        #expect(c.heads.map(\.label) == ["1.2", "1.1"])
        #expect(abs(c.heads[0].spearman - 1) < 1e-12 && c.heads[0].topOverlap == c.topCount)
        #expect(abs(c.heads[1].spearman + 1) < 1e-12)
        // The average of a map and its negation is zero everywhere: no rank correlation.
        #expect(c.headAverage.label == "average" && c.headAverage.spearman == 0)
    }
}
