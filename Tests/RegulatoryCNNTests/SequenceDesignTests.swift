import Testing
#if canImport(Glibc)
import Glibc
#endif
import Tensors
import Layers
import DNAData
import RegulatoryCNN

/// Design against a hand-set detector whose answer is known: one filter that is the one-hot of
/// GATTACA (no bias, no activation), a global max pool and a dense weight of 1, so the logit is
/// the most bases of GATTACA any window matches (0…7, 7 only where GATTACA is written).
@Suite struct SequenceDesignTests {
    static let motif = [2, 0, 3, 3, 0, 1, 0]          // G A T T A C A

    func detector(length: Int, tasks: [String] = ["gattaca"]) throws -> CNNModel {
        let model = try CNNModel(architecture: CNNArchitecture("conv1x7/nobias gmax"), length: length, taskNames: tasks, seed: 0)
        let conv = model.network.layers[0] as! Conv1D
        var w = Tensor(zeros: [1, 4, 7])
        for (k, b) in Self.motif.enumerated() { w.scalars[b * 7 + k] = 1 }
        conv.weight.value = w
        let dense = model.network.layers.last as! Linear
        dense.weight.value = Tensor(shape: dense.weight.shape, scalars: (0..<dense.weight.value.count).map { $0 == 0 ? 1 : -1 })
        dense.bias?.value = Tensor(zeros: dense.bias!.shape)
        return model
    }

    func random(_ length: Int, seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        return OneHot.encode([String((0..<length).map { _ in OneHot.bases[rng.int(below: 4)] })]).reshaped([4, length])
    }

    func logit(_ model: CNNModel, _ x: Tensor) -> Float { model.predict(x.reshaped([1, 4, model.length])).scalars[0] }

    @Test func greedyBaseDesignWritesTheMotifOneBaseARound() throws {
        let model = try detector(length: 40)
        let x = random(40, seed: 3)
        let k0 = logit(model, x)
        var design = SequenceDesign(model: model, tasks: [0], goal: .maximize)
        design.rounds = 20
        let r = design.design(x, library: SequenceDesign.Edit.singleBases)
        // Each round adds one matching base; at 7 no edit helps and the search stops.
        #expect(r.steps.count == 7 - Int(k0) && r.startOutputs == [k0])
        #expect(r.steps.map(\.loss) == (1...r.steps.count).map { -(k0 + Float($0)) })
        #expect(logit(model, r.sequence) == 7 && OneHot.decode(r.sequence.reshaped([1, 4, 40]), sequence: 0).contains("GATTACA"))
    }

    @Test func motifDesignPicksTheMotifOverADecoyAndStops() throws {
        let model = try detector(length: 30)
        let library = [SequenceDesign.Edit(name: "decoy", bases: [1, 1, 1, 1, 1, 1, 1]), SequenceDesign.Edit(name: "gattaca", bases: Self.motif)]
        let r = SequenceDesign(model: model, tasks: [0], goal: .maximize).design(random(30, seed: 5), library: library + library.map(\.reverseComplement))
        #expect(r.steps.count == 1 && r.steps[0].edit == 1 && r.steps[0].outputs == [7])     // the + strand: the filter reads one
        #expect(library[1].reverseComplement.bases == [3, 2, 3, 0, 0, 3, 1] && library[1].reverseComplement.reverse)
    }

    @Test func aTargetProbabilityIsReachedAndNotOvershot() throws {
        let model = try detector(length: 30)
        var design = SequenceDesign(model: model, tasks: [0], goal: .target([1 / (1 + expf(-3))]))    // σ(3): three matching bases
        design.rounds = 20
        let x = OneHot.encode(["GATTACA" + String(repeating: "C", count: 23)]).reshaped([4, 30])
        let r = design.design(x, library: SequenceDesign.Edit.singleBases)
        // From 7 matches, one base unmatched a round, down to 3, where the loss is 0 and no edit helps.
        #expect(r.startOutputs == [7] && r.steps.map { $0.outputs[0] } == [6, 5, 4, 3] && r.loss == 0, "\(r.startOutputs) \(r.steps)")
    }

    @Test func editsStayInTheRegionAndMinimizeRemovesTheMotif() throws {
        let model = try detector(length: 40)
        var design = SequenceDesign(model: model, tasks: [0], goal: .maximize)
        design.region = 20..<32; design.rounds = 10
        // From all C (one match everywhere: GATTACA's C); greedy may stall on a window that leaves the region.
        let c40 = OneHot.encode([String(repeating: "C", count: 40)]).reshaped([4, 40])
        let r = design.design(c40, library: SequenceDesign.Edit.singleBases)
        #expect(r.steps.count >= 2 && r.steps.allSatisfy { (20..<32).contains($0.start) } && logit(model, r.sequence) == 1 + Float(r.steps.count))
        #expect((0..<40).allSatisfy { i in (20..<32).contains(i) || r.sequence.scalars[1 * 40 + i] == 1 })   // C outside the region
        var down = SequenceDesign(model: model, tasks: [0], goal: .minimize)
        down.rounds = 1
        let start = OneHot.encode([String(repeating: "C", count: 20) + "GATTACA" + String(repeating: "C", count: 13)]).reshaped([4, 40])
        let d = down.design(start, library: SequenceDesign.Edit.singleBases)
        #expect(d.steps.count == 1 && d.outputs == [6] && (20..<27).contains(d.steps[0].start))
    }

    @Test func theBeamNeverLosesGroundAndToleranceAndRoundsStopIt() throws {
        let model = try detector(length: 40)
        let x = random(40, seed: 3)
        var beam = SequenceDesign(model: model, tasks: [0], goal: .maximize)
        beam.beamWidth = 4; beam.rounds = 20
        let b = beam.design(x, library: SequenceDesign.Edit.singleBases)
        #expect(zip([b.startLoss] + b.steps.map(\.loss), b.steps.map(\.loss)).allSatisfy { $1 <= $0 })
        #expect(b.outputs == [7])
        var capped = beam
        capped.rounds = 2
        #expect(capped.design(x, library: SequenceDesign.Edit.singleBases).steps.count == 2)
        var loose = beam
        loose.tolerance = 5                                       // one round lowers the loss by 1: stop after it
        #expect(loose.design(x, library: SequenceDesign.Edit.singleBases).steps.count == 1)
    }

    /// Losses by hand: maximize/minimize read logits, a target reads probabilities, held tasks
    /// join with their starting probability as their target.
    @Test func lossesFollowTheirDefinitions() throws {
        let model = try detector(length: 10, tasks: ["a", "b", "c"])
        let z: [Float] = [2, -1, 0.5], start: [Float] = [0, 0, 0]
        func s(_ v: Float) -> Float { 1 / (1 + expf(-v)) }
        #expect(SequenceDesign(model: model, tasks: [0, 1], goal: .maximize).loss(z[...], start: start) == -0.5)
        #expect(SequenceDesign(model: model, tasks: [2], goal: .minimize).loss(z[...], start: start) == 0.5)
        let target = SequenceDesign(model: model, tasks: [0], goal: .target([0.9]))
        #expect(Swift.abs(target.loss(z[...], start: start) - (s(2) - 0.9) * (s(2) - 0.9)) < 1e-7)
        var held = target
        held.holdOthers = true
        let expected = ((s(2) - 0.9) * (s(2) - 0.9) + (s(-1) - 0.5) * (s(-1) - 0.5) + (s(0.5) - 0.5) * (s(0.5) - 0.5)) / 3
        #expect(Swift.abs(held.loss(z[...], start: start) - expected) < 1e-7)
    }

    // Ledidi (gradient design through Gumbel-softmax samples).

    @Test func ledidiWritesTheMotifAndPaysOnlyForEditsThatHelp() throws {
        let model = try detector(length: 30)
        let x = random(30, seed: 5)
        let k0 = logit(model, x)
        let r = SequenceDesign(model: model, tasks: [0], goal: .maximize).designByGradient(x, settings: .init(), seed: 1)
        // Each matching base is worth a logit of 1 against λ = 0.1 an edit: the detector's maximum,
        // with no more edits than the bases GATTACA lacks in the best window and a few spares.
        #expect(logit(model, r.sequence) == 7 && r.outputs == [7] && r.loss == -7)
        #expect(r.steps.count >= 7 - Int(k0) && r.steps.count <= 7 - Int(k0) + 3, "\(r.steps.count) edits from \(k0)")
        #expect(r.steps.map(\.start) == r.steps.map(\.start).sorted() && r.steps.last!.outputs == r.outputs)
        // The same seed, the same design; a penalty no gain can pay for: no edit.
        let again = SequenceDesign(model: model, tasks: [0], goal: .maximize).designByGradient(x, settings: .init(), seed: 1)
        #expect(again.sequence.scalars == r.sequence.scalars && again.steps == r.steps)
        var costly = SequenceDesign.Ledidi()
        costly.editPenalty = 100; costly.iterations = 50
        let none = SequenceDesign(model: model, tasks: [0], goal: .maximize).designByGradient(x, settings: costly, seed: 1)
        #expect(none.steps.isEmpty && none.sequence.scalars == x.scalars && none.startOutputs == [k0])
    }

    /// With no penalty and a large ε (log(x + ε) barely favours the start: samples flip bases
    /// everywhere) edits that change nothing are kept; pruning undoes them (the detector reads one
    /// window: only GATTACA's bases there move the logit) and the logit stays 7.
    @Test func pruningUndoesTheEditsThatDoNothing() throws {
        let model = try detector(length: 30)
        let x = random(30, seed: 5)
        var free = SequenceDesign.Ledidi()
        free.editPenalty = 0; free.epsilon = 1
        let design = SequenceDesign(model: model, tasks: [0], goal: .maximize)
        let loose = design.designByGradient(x, settings: free, seed: 1)
        free.prune = 0.5
        let pruned = design.designByGradient(x, settings: free, seed: 1)
        #expect(loose.outputs == [7] && loose.steps.count > 7, "\(loose.steps.count) edits")
        #expect(pruned.outputs == [7] && pruned.steps.count <= 7 && pruned.steps.count < loose.steps.count)
        // What is left is the window: every kept edit lies inside the 7 bases where GATTACA stands.
        let text = Array(OneHot.decode(pruned.sequence.reshaped([1, 4, 30]), sequence: 0))
        let at = (0...23).first { String(text[$0..<($0 + 7)]) == "GATTACA" }
        #expect(at != nil && pruned.steps.allSatisfy { (at!..<(at! + 7)).contains($0.start) }, "\(String(text)) \(pruned.steps.map(\.start))")
    }

    @Test func ledidiKeepsItsRegionAndFillsUnknownBasesFreely() throws {
        let model = try detector(length: 40)
        var design = SequenceDesign(model: model, tasks: [0], goal: .maximize)
        design.region = 10..<25
        // All C but N over 12–18: the N columns are filled, nothing outside 10–24 changes.
        let text = String(repeating: "C", count: 12) + String(repeating: "N", count: 7) + String(repeating: "C", count: 21)
        let x = OneHot.encode([text]).reshaped([4, 40])
        let r = design.designByGradient(x, settings: .init(), seed: 2)
        let out = OneHot.decode(r.sequence.reshaped([1, 4, 40]), sequence: 0)
        #expect(r.outputs == [7] && out.contains("GATTACA") && !out.contains("N"), "\(out)")
        #expect(r.steps.allSatisfy { (10..<25).contains($0.start) })
        #expect(zip(out, text).enumerated().allSatisfy { i, p in (10..<25).contains(i) || p.0 == p.1 })
    }

    /// ∂loss/∂z against central differences of `loss`, for every goal, a classifier and a regression.
    @Test func lossGradientsMatchFiniteDifferences() throws {
        let classifier = try detector(length: 10, tasks: ["a", "b", "c"])
        let regression = try CNNModel(architecture: CNNArchitecture("conv1x7/nobias gmax"), length: 10, taskNames: ["a", "b", "c"],
                                      seed: 0, objective: .regression)
        let z: [Float] = [1.5, -0.75, 0.25], start: [Float] = [0.5, 0.25, -1]
        for model in [classifier, regression] {
            var designs = [SequenceDesign(model: model, tasks: [0, 2], goal: .maximize), SequenceDesign(model: model, tasks: [1], goal: .minimize),
                           SequenceDesign(model: model, tasks: [0], goal: .target([0.8]))]
            var held = designs[2]
            held.holdOthers = true
            designs.append(held)
            for d in designs {
                let g = d.lossGradient(z[...], start: start)
                for t in 0..<3 {
                    var up = z, down = z
                    up[t] += 1e-2; down[t] -= 1e-2
                    let numeric = (Double(d.loss(up[...], start: start)) - Double(d.loss(down[...], start: start))) / 2e-2
                    #expect(Swift.abs(Double(g[t]) - numeric) < 2e-3, "\(d.goal) task \(t): \(g[t]) against \(numeric)")
                }
            }
        }
    }
}
