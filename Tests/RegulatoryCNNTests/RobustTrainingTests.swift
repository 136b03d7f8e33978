import Testing
import Tensors
import Autodiff
import Layers
import DNAData
import RegulatoryCNN

@Suite struct RobustTrainingTests {
    func randomOneHot(_ n: Int, _ l: Int, seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        var x = Tensor(zeros: [n, 4, l])
        for s in 0..<n { for i in 0..<l { x.scalars[(s * 4 + rng.int(below: 4)) * l + i] = 1 } }
        return x
    }

    func isOneHot(_ x: Tensor) -> Bool {
        let (n, l) = (x.shape[0], x.shape[2])
        for s in 0..<n { for i in 0..<l {
            let v = (0..<4).map { x.scalars[(s * 4 + $0) * l + i] }
            if v.filter({ $0 == 1 }).count != 1 || v.filter({ $0 == 0 }).count != 3 { return false }
        } }
        return true
    }

    @Test func everyAugmentationKeepsLengthAndOneHotValidity() throws {
        let x = randomOneHot(40, 60, seed: 1)
        for name in EvoAugmentation.names where name != "noise" {
            let aug = EvoAug([EvoAugmentation.defaultStrength(name)!], perSequence: 1)
            var rng = RandomGenerator(seed: 7)
            let y = aug.augment(x, using: &rng)
            #expect(y.shape == x.shape, "\(name)")
            #expect(isOneHot(y), "\(name)")
            #expect(y != x, "\(name) changed nothing in 40 sequences")
        }
        // All seven together, two per sequence, then noise: the length is still kept.
        let all = EvoAug(try EvoAugmentation.parse(EvoAugmentation.names.joined(separator: ","), length: 60))
        var rng = RandomGenerator(seed: 8)
        #expect(all.augment(x, using: &rng).shape == x.shape)
    }

    @Test func noiseAddsGaussianNoiseOfTheGivenScale() {
        let x = randomOneHot(50, 100, seed: 2)
        var rng = RandomGenerator(seed: 3)
        let d = EvoAug([.noise(std: 0.2)], perSequence: 1).augment(x, using: &rng) - x
        let sd = (d.scalars.reduce(Float(0)) { $0 + $1 * $1 } / Float(d.count)).squareRoot()
        #expect(Swift.abs(sd - 0.2) < 0.01)
    }

    @Test func reverseComplementAugmentationIsExact() {
        let x = OneHot.encode(["AACGTTGCAT", "GGGATCCAAC"])
        var rng = RandomGenerator(seed: 4)
        let y = EvoAug([.reverseComplement(probability: 1)], perSequence: 1).augment(x, using: &rng)
        #expect(y == OneHot.reverseComplement(x))
        #expect(OneHot.decode(y, sequence: 0) == "ATGCAACGTT")
    }

    @Test func inversionReverseComplementsOneStretchAndLeavesTheRest() {
        let x = randomOneHot(30, 50, seed: 5)
        var rng = RandomGenerator(seed: 6)
        let y = EvoAug([.inversion(maximum: 10)], perSequence: 1).augment(x, using: &rng)
        for s in 0..<30 {
            let a = Array(OneHot.decode(x, sequence: s)), b = Array(OneHot.decode(y, sequence: s))
            let changed = (0..<50).filter { a[$0] != b[$0] }
            guard let lo = changed.first, let hi = changed.last else { continue }
            // Some window [u, u+v) containing the changes is exactly the reverse complement of the original.
            let comp: [Character: Character] = ["A": "T", "C": "G", "G": "C", "T": "A"]
            let found = (Swift.max(0, hi - 9)...lo).contains { u in
                (hi - u + 1...Swift.min(10, 50 - u)).contains { v in (0..<v).allSatisfy { b[u + $0] == comp[a[u + v - 1 - $0]] } }
            }
            #expect(found, "sequence \(s)")
        }
    }

    @Test func translocationIsACircularShift() {
        let x = randomOneHot(20, 40, seed: 9)
        var rng = RandomGenerator(seed: 10)
        let y = EvoAug([.translocation(maximum: 10)], perSequence: 1).augment(x, using: &rng)
        for s in 0..<20 {
            let a = OneHot.decode(x, sequence: s), b = OneHot.decode(y, sequence: s)
            let shifts = (0..<40).filter { r in String(a.suffix(r) + a.prefix(40 - r)) == b }
            #expect(shifts.contains { $0 <= 10 || $0 >= 30 }, "sequence \(s)")
        }
    }

    @Test func mutationSubstitutesTheExpectedFraction() {
        let x = randomOneHot(200, 100, seed: 11)
        var rng = RandomGenerator(seed: 12)
        let y = EvoAug([.mutation(fraction: 0.05)], perSequence: 1).augment(x, using: &rng)
        let changed = (0..<200).reduce(0) { t, s in
            let a = Array(OneHot.decode(x, sequence: s)), b = Array(OneHot.decode(y, sequence: s))
            return t + (0..<100).filter { a[$0] != b[$0] }.count
        }
        // round(0.05/0.75·100) = 7 positions redrawn per sequence, ¾ of them substitutions: 5.25 expected.
        #expect(Swift.abs(Double(changed) / 200 - 5.25) < 0.4)
    }

    @Test func seededAugmentationIsReproducible() throws {
        let x = randomOneHot(16, 80, seed: 13)
        let aug = EvoAug(try EvoAugmentation.parse("mutation,insertion,deletion,translocation,inversion,rc,noise", length: 80))
        var a = RandomGenerator(seed: 14), b = RandomGenerator(seed: 14), c = RandomGenerator(seed: 15)
        #expect(aug.augment(x, using: &a) == aug.augment(x, using: &b))
        #expect(aug.augment(x, using: &b) != aug.augment(x, using: &c))
    }

    @Test func augmentationListsParseWithStrengthsAndRejectBadOnes() throws {
        let a = try EvoAugmentation.parse("mutation=0.1, insertion=15,rc", length: 200)
        #expect(a == [.mutation(fraction: 0.1), .insertion(maximum: 15), .reverseComplement(probability: 0.5)])
        #expect(throws: EvoAugmentation.ParseError.self) { try EvoAugmentation.parse("mutate", length: 200) }
        #expect(throws: EvoAugmentation.ParseError.self) { try EvoAugmentation.parse("deletion=200", length: 200) }
        #expect(throws: EvoAugmentation.ParseError.self) { try EvoAugmentation.parse("mutation=1.5", length: 200) }
        #expect(throws: EvoAugmentation.ParseError.self) { try EvoAugmentation.parse("rc,rc", length: 200) }
    }

    func smallModel() throws -> CNNModel {
        try CNNModel(architecture: CNNArchitecture("conv4x5 bn relu pool5 flatten dense8 relu"), length: 20, taskNames: ["a", "b"], seed: 3)
    }

    @Test func fgsmStepIsEpsilonTimesTheSignOfTheInputGradient() throws {
        let model = try smallModel()
        let x = randomOneHot(6, 20, seed: 16)
        var rng = RandomGenerator(seed: 17)
        let labels = Tensor(shape: [6, 2], scalars: (0..<12).map { _ in rng.uniform() < 0.5 ? 0 : 1 })
        let g = AdversarialTraining.inputGradient(model, x: x, labels: labels)
        let adv = AdversarialTraining(method: .fgsm, epsilon: 0.1, projection: .continuous).attack(model, x: x, labels: labels, using: &rng)
        let boxed = AdversarialTraining(method: .fgsm, epsilon: 0.1).attack(model, x: x, labels: labels, using: &rng)
        for k in 0..<x.count {
            let expected: Float = g.scalars[k] > 0 ? 0.1 : (g.scalars[k] < 0 ? -0.1 : 0)
            #expect(Swift.abs(adv.scalars[k] - x.scalars[k] - expected) < 1e-6)
            // The default box keeps the relaxed one-hot in [0, 1]: a 1 can only fall, a 0 only rise.
            #expect(boxed.scalars[k] == Swift.min(Swift.max(adv.scalars[k], 0), 1))
        }
        // The input gradient is the loss's: check one coordinate against finite differences.
        let loss = { (t: Tensor) in Double(binaryCrossEntropyWithLogits(Variable(model.predict(t)), targets: labels).item) }
        for k in [3, 41, 77] {
            var p = x, m = x
            p.scalars[k] += 1e-2; m.scalars[k] -= 1e-2
            #expect(Swift.abs((loss(p) - loss(m)) / 2e-2 - Double(g.scalars[k])) < 2e-3)
        }
        // The attack leaves no gradient on the weights.
        #expect(model.parameters.allSatisfy { $0.grad == nil })
    }

    @Test func pgdStaysInTheEpsilonBallAndRaisesTheLoss() throws {
        let model = try smallModel()
        let x = randomOneHot(20, 20, seed: 18)
        var rng = RandomGenerator(seed: 19)
        let labels = Tensor(shape: [20, 2], scalars: (0..<40).map { _ in rng.uniform() < 0.5 ? 0 : 1 })
        let loss = { (t: Tensor) in binaryCrossEntropyWithLogits(Variable(model.predict(t)), targets: labels).item }
        let adv = AdversarialTraining(method: .pgd, epsilon: 0.1, steps: 5).attack(model, x: x, labels: labels, using: &rng)
        #expect((0..<x.count).allSatisfy { Swift.abs(adv.scalars[$0] - x.scalars[$0]) <= 0.1 + 1e-6 })
        #expect((0..<x.count).allSatisfy { adv.scalars[$0] >= 0 && adv.scalars[$0] <= 1 })
        #expect(loss(adv) > loss(x))
        let simplex = AdversarialTraining(method: .pgd, epsilon: 0.3, steps: 3, projection: .simplex).attack(model, x: x, labels: labels, using: &rng)
        for s in 0..<20 { for i in 0..<20 {
            let v = (0..<4).map { simplex.scalars[(s * 4 + $0) * 20 + i] }
            #expect(v.allSatisfy { $0 >= 0 } && Swift.abs(v.reduce(0, +) - 1) < 1e-5)
        } }
        // …and stays in the ε-ball (projecting onto the simplex after the box clip left it by up to 1.5ε).
        #expect((0..<x.count).allSatisfy { Swift.abs(simplex.scalars[$0] - x.scalars[$0]) <= 0.3 + 1e-6 })
    }

    @Test func simplexProjectionIsTheNearestDistribution() {
        #expect(AdversarialTraining.simplexProjection([0.5, 0.25, 0.25, 0]) == [0.5, 0.25, 0.25, 0])
        #expect(AdversarialTraining.simplexProjection([2, 0, 0, 0]) == [1, 0, 0, 0])
        let p = AdversarialTraining.simplexProjection([0.6, 0.6, -0.2, 0])
        #expect(Swift.abs(p[0] - 0.5) < 1e-6 && Swift.abs(p[1] - 0.5) < 1e-6 && p[2] == 0 && p[3] == 0)
        // Within the ε-box of a one-hot x = (1, 0, 0, 0), ε = 0.1: the signed step (0.9, 0.1, 0.1, 0.1)
        // goes to (0.9, 1/30, 1/30, 1/30), not to the plain simplex's (0.85, 0.05, 0.05, 0.05).
        let boxed = AdversarialTraining.simplexProjection([0.9, 0.1, 0.1, 0.1], lower: [0.9, 0, 0, 0], upper: [1, 0.1, 0.1, 0.1])
        #expect(Swift.abs(boxed[0] - 0.9) < 1e-6 && boxed.dropFirst().allSatisfy { Swift.abs($0 - 1.0 / 30) < 1e-6 })
        let plain = AdversarialTraining.simplexProjection([0.9, 0.1, 0.1, 0.1])
        #expect(Swift.abs(plain[0] - 0.85) < 1e-6)
        // Against brute force: the boxed projection is the nearest feasible point of a fine grid.
        var rng = RandomGenerator(seed: 5)
        for _ in 0..<20 {
            let v = (0..<3).map { _ in Float(rng.uniform() * 2 - 0.5) }
            let (lo, hi): ([Float], [Float]) = ([0.5, 0, 0], [1, 0.5, 0.5])
            let q = AdversarialTraining.simplexProjection(v, lower: lo, upper: hi)
            #expect(Swift.abs(q.reduce(0, +) - 1) < 1e-5 && (0..<3).allSatisfy { q[$0] >= lo[$0] - 1e-6 && q[$0] <= hi[$0] + 1e-6 })
            var best = Float.infinity
            for a in stride(from: 0.5, through: 1.0, by: 0.005) { for b in stride(from: 0.0, through: 0.5, by: 0.005) {
                let c = 1 - a - b
                guard c >= -1e-9 && c <= 0.5 else { continue }
                let p = [Float(a), Float(b), Float(c)]
                var d: Float = 0
                for k in 0..<3 { d += (p[k] - v[k]) * (p[k] - v[k]) }
                best = Swift.min(best, d)
            } }
            var distance: Float = 0
            for k in 0..<3 { distance += (q[k] - v[k]) * (q[k] - v[k]) }
            #expect(distance <= best + 1e-5)
        }
    }

    @Test func perturbationsTouchOnlyTheChosenFractionOfABatch() throws {
        let model = try smallModel()
        let x = randomOneHot(10, 20, seed: 20)
        var rng = RandomGenerator(seed: 21)
        let y = GaussianNoiseTraining(sigma: 0.1, fraction: 0.3).perturb(x, labels: Tensor(zeros: [10, 2]), model: model, using: &rng)
        func changedRows(_ t: Tensor) -> Int {
            var rows = 0
            for s in 0..<10 where (0..<80).contains(where: { (k: Int) -> Bool in t.scalars[s * 80 + k] != x.scalars[s * 80 + k] }) { rows += 1 }
            return rows
        }
        #expect(changedRows(y) == 3)
        let z = AdversarialTraining(method: .fgsm, fraction: 0.5).perturb(x, labels: Tensor(zeros: [10, 2]), model: model, using: &rng)
        #expect(changedRows(z) == 5)
    }

    /// 60 random 20-bp sequences with random labels for 2 tasks, used as train, validation and test.
    func randomSplits(seed: UInt64) -> DNASplits {
        var rng = RandomGenerator(seed: seed)
        let y = Tensor(shape: [60, 2], scalars: (0..<120).map { _ in rng.uniform() < 0.5 ? 0 : 1 })
        let set = DNADataset(x: randomOneHot(60, 20, seed: seed + 1), y: y)
        return DNASplits(train: set, valid: set, test: set)
    }

    @Test func trainingWithPerturbationsIsSeededAndFineTuningKeepsClean() throws {
        let data = randomSplits(seed: 22)
        func run() throws -> [Float] {
            let model = try smallModel()
            var trainer = CNNTrainer()
            trainer.epochs = 2; trainer.batchSize = 20; trainer.seed = 5
            trainer.perturbations = [EvoAug([.mutation(fraction: 0.05), .rc(0.5)]), AdversarialTraining(method: .pgd, steps: 2)]
            let h = trainer.train(model, on: data)
            let f = trainer.fineTune(model, on: data, epochs: 1, after: h.last!.epoch)
            #expect(f.map(\.epoch) == [h.last!.epoch + 1])
            return model.parameters.flatMap(\.value.scalars)
        }
        #expect(try run() == run())
    }

    @Test func cleanEpochsComeFirstAndTheKeptWeightsArePerturbed() throws {
        let data = randomSplits(seed: 24)
        func run(_ perturbations: [any BatchPerturbation], clean: Int, epochs: Int) throws -> (CNNTrainer, [CNNTrainer.Epoch], [Float]) {
            let model = try smallModel()
            var trainer = CNNTrainer()
            trainer.epochs = epochs; trainer.batchSize = 20; trainer.seed = 5; trainer.patience = 1
            trainer.perturbations = perturbations; trainer.cleanEpochs = clean
            let h = trainer.train(model, on: data)
            return (trainer, h, model.parameters.flatMap(\.value.scalars))
        }
        let pgd = AdversarialTraining(method: .pgd, epsilon: 0.05, steps: 2)
        let (_, plain, _) = try run([], clean: 0, epochs: 3)
        let (trainer, delayed, weights) = try run([pgd], clean: 3, epochs: 5)
        // The clean epochs are plain training, bit for bit, and early stopping (patience 1) waits for them.
        #expect(delayed.prefix(3).map(\.trainLoss) == plain.map(\.trainLoss))
        #expect(delayed.count == 5 && delayed[3].trainLoss != plain.last!.trainLoss)
        // The model keeps the best perturbed epoch's weights, and that epoch is the one reported.
        #expect(trainer.candidates(delayed).map(\.epoch) == [4, 5])
        let best = trainer.candidates(delayed).max { trainer.score($0) < trainer.score($1) }!
        let (_, _, rerun) = try run([pgd], clean: 3, epochs: best.epoch)
        #expect(weights == rerun)
    }

    /// A plateau during the clean epochs does not end the fit before any perturbed epoch: with a zero
    /// learning rate nothing improves after epoch 1, yet the first perturbed epoch (4) runs, restarts
    /// early stopping, and patience 1 ends the fit after epoch 5.
    @Test func aPlateauInTheCleanEpochsStillTrainsPerturbed() throws {
        let model = try smallModel()
        var trainer = CNNTrainer()
        trainer.epochs = 10; trainer.batchSize = 20; trainer.seed = 5; trainer.patience = 1; trainer.learningRate = 0
        trainer.perturbations = [AdversarialTraining(method: .pgd, epsilon: 0.05, steps: 2)]; trainer.cleanEpochs = 3
        let h = trainer.train(model, on: randomSplits(seed: 24))
        #expect(h.map(\.epoch) == [1, 2, 3, 4, 5])
        #expect(trainer.candidates(h).map(\.epoch) == [4, 5])
    }
}

extension RobustTrainingTests {
    /// A perturbation that records, per call, how many rows it changed (its fraction of the batch).
    final class RowCounter: @unchecked Sendable { var rows: [Int] = [] }
    struct CountingNoise: BatchPerturbation {
        var fraction: Float, counter: RowCounter
        var summary: String { "counting \(fraction)" }
        func perturb(_ x: Tensor, labels: Tensor, model: CNNModel, using rng: inout RandomGenerator) -> Tensor {
            counter.rows.append(Int((fraction * Float(x.shape[0])).rounded()))
            return x
        }
        func onEveryRow() -> any BatchPerturbation { CountingNoise(fraction: 1, counter: counter) }
    }

    /// The published schedule: 2 clean epochs, 2 mixed (half of each batch perturbed), then every
    /// sequence; early stopping waits for the all-perturbed epochs, which restart it, so with
    /// patience 1 and a zero learning rate the fit ends at epoch 6 and keeps epoch 5 or 6.
    @Test func mixedEpochsThenEveryRow() throws {
        let model = try smallModel()
        let counter = RowCounter()
        var trainer = CNNTrainer()
        trainer.epochs = 10; trainer.batchSize = 20; trainer.seed = 5; trainer.patience = 1; trainer.learningRate = 0
        trainer.perturbations = [CountingNoise(fraction: 0.5, counter: counter)]; trainer.cleanEpochs = 2; trainer.mixedEpochs = 2
        let h = trainer.train(model, on: randomSplits(seed: 24))
        #expect(h.map(\.epoch) == [1, 2, 3, 4, 5, 6])
        // 60 training sequences in batches of 20: 3 calls an epoch, none in the clean epochs.
        #expect(counter.rows == Array(repeating: 10, count: 6) + Array(repeating: 20, count: 6))
        #expect(trainer.candidates(h).map(\.epoch) == [5, 6])
        // The library's two fractional perturbations perturb every row on request; EvoAug is unchanged.
        #expect((AdversarialTraining(method: .pgd, fraction: 0.3).onEveryRow() as? AdversarialTraining)?.fraction == 1)
        #expect((GaussianNoiseTraining(sigma: 0.1, fraction: 0.3).onEveryRow() as? GaussianNoiseTraining)?.fraction == 1)
        #expect((EvoAug([.rc(0.5)]).onEveryRow() as? EvoAug)?.augmentations == [.rc(0.5)])
    }

    /// Without `mixedEpochs` the fraction holds throughout (the default schedule is unchanged).
    @Test func withoutMixedEpochsTheFractionHolds() throws {
        let model = try smallModel()
        let counter = RowCounter()
        var trainer = CNNTrainer()
        trainer.epochs = 3; trainer.batchSize = 20; trainer.seed = 5
        trainer.perturbations = [CountingNoise(fraction: 0.5, counter: counter)]; trainer.cleanEpochs = 1
        _ = trainer.train(model, on: randomSplits(seed: 24))
        #expect(counter.rows == Array(repeating: 10, count: 6))
    }
}

extension EvoAugmentation {
    static func rc(_ p: Float) -> EvoAugmentation { .reverseComplement(probability: p) }
}
