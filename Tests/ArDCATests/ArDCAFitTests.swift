import Testing
import XCTest
import Tensors
import Autodiff
import Sequences
import Potts
import ArDCA
#if canImport(Glibc)
import Glibc
#endif

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

    /// The default regularisation is the low end of the held-out clusters' optimum (3·10⁻³–10⁻²,
    /// Benchmarks/ardca-lambda.sh), not ArDCA.jl's 10⁻², for couplings and fields alike.
    @Test func defaultRegularisationIsTheHeldOutChoice() {
        let fit = ArDCAFit()
        #expect(ArDCAFit.defaultLambda == 3e-3)
        #expect(fit.lambdaCouplings == 3e-3 && fit.lambdaFields == 3e-3)
        #expect(ArDCACrossValidation.candidates.contains(ArDCAFit.defaultLambda))
    }

    /// A fit stopped part-way — by its checkpoint after three regressions, or by a stop request
    /// during one — returns nil and offers what it fitted; continued from that, it fits only the
    /// rest and gives the uninterrupted fit's parameters and site results bit for bit.
    @Test(arguments: [1, 2]) func aStoppedFitResumesToTheWholeFit(threads: Int) {
        let truth = randomModel(length: 8, seed: 12)
        let msa = alignment(truth.sample(count: 300, seed: 4), length: 8)
        let w = [Float](repeating: 1, count: 300)
        Parallel.withThreads(threads) {
            let whole = ArDCAFit().fit(msa, weights: w)
            var last: ArDCAFit.Partial?
            let byCheckpoint = ArDCAFit().fit(msa, weights: w, resumingFrom: nil, checkpoint: { fitted, state in
                last = state()
                #expect(last!.fittedCount == fitted)
                return fitted < 3
            })
            #expect(byCheckpoint == nil)
            let first = last!
            #expect(first.fittedCount >= 3 && first.fittedCount < 8)
            // Each fitted block is the whole fit's; the others are still zero.
            for p in 0..<8 {
                let block = ArDCAModel.offset(position: p, states: 21)..<ArDCAModel.offset(position: p + 1, states: 21)
                let expected = first.sites[p] == nil ? [Float](repeating: 0, count: block.count) : Array(whole.model.parameters[block])
                #expect(Array(first.parameters[block]) == expected, "position \(p)")
            }
            var seen: [Int] = []
            let resumed = ArDCAFit().fit(msa, weights: w, resumingFrom: first, progress: { seen.append($0) })!
            #expect(resumed.model.parameters == whole.model.parameters && resumed.sites == whole.sites && resumed.objective == whole.objective)
            #expect(seen == Array((first.fittedCount + 1)...8))
            // A stop request after a few asks drops the regressions under way.
            var asks = 0
            last = nil
            let byRequest = ArDCAFit().fit(msa, weights: w, resumingFrom: nil, stop: { asks += 1; return asks > 6 },
                                           checkpoint: { _, state in last = state(); return true })
            #expect(byRequest == nil && last != nil && last!.fittedCount < 8)
            let again = ArDCAFit().fit(msa, weights: w, resumingFrom: last, checkpoint: { _, _ in true })!
            #expect(again.model.parameters == whole.model.parameters && again.sites == whole.sites)
        }
    }

    @Test func entropicOrderPutsConservedColumnsFirst() {
        // Column 1 is constant, column 0 has two states, column 2 varies most.
        let codes: [UInt8] = [0, 4, 1, 1, 4, 2, 0, 4, 3, 1, 4, 5]
        let order = ArDCAFit.entropicOrder(alignment(codes, length: 3), weights: [1, 1, 1, 1])
        #expect(order == [1, 0, 2])
    }
}

/// XCTest, not swift-testing: it sets the process-wide thread count, and swift-testing runs its
/// tests in parallel, where another test's fit (the LM pipeline's same-seed check) would see the
/// count change under it. XCTest runs its tests one at a time, apart from swift-testing's.
final class ArDCAThreadCountTests: XCTestCase {
    func testFitIsDeterministicAcrossThreadCounts() {
        let truth = randomModel(length: 6, seed: 12)
        let msa = ArDCAFitTests().alignment(truth.sample(count: 300, seed: 4), length: 6)
        let w = [Float](repeating: 1, count: 300)
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        Parallel.threadCount = 1
        let one = ArDCAFit().fit(msa, weights: w)
        Parallel.threadCount = 2
        let two = ArDCAFit().fit(msa, weights: w)
        XCTAssertTrue(one.model.parameters == two.model.parameters && one.model.order == two.model.order)
    }
}
