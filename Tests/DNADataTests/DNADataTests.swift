import Testing
import TestSupport
import Tensors
import Motifs
import FileIO
import DNAData
import NumPyIO
#if canImport(Glibc)
import Glibc
#endif

@Suite struct DNADataTests {
    static let shared = "../shared/data/regulatory"

    @Test func oneHotRoundTrips() {
        let x = OneHot.encode(["ACGTN", "ttgca"])
        #expect(x.shape == [2, 4, 5])
        #expect(OneHot.decode(x, sequence: 0) == "ACGTN" && OneHot.decode(x, sequence: 1) == "TTGCA")
        #expect(x.scalars[(0 * 4 + 2) * 5 + 2] == 1 && x.scalars[(0 * 4 + 1) * 5 + 4] == 0.25)
    }

    /// Two short deterministic motifs make every embedded base checkable.
    static let motifA = Motif(id: "M1", name: "AAAA", matrix: Array(repeating: [1, 0, 0, 0], count: 4))
    static let motifB = Motif(id: "M2", name: "CGCG", matrix: [[0, 1, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 1, 0]])

    @Test func multiTaskLabelsMatchTheEmbeddedMotifs() throws {
        let g = SyntheticMotifs(task: .multi, motifs: [Self.motifA, Self.motifB], count: 200, length: 40, motifsPerSequence: 1...3, seed: 7)
        let splits = try g.generate()
        #expect(splits.train.count + splits.valid.count + splits.test.count == 200)
        #expect(splits.taskNames == ["AAAA", "CGCG"])
        for set in [splits.train, splits.valid, splits.test] {
            let truth = try #require(set.groundTruth)
            for n in 0..<set.count {
                let l = set.length
                // Ground-truth columns that are not background are one-hot and equal the base.
                var motifColumns = 0
                for i in 0..<l {
                    let column = (0..<4).map { truth.scalars[(n * 4 + $0) * l + i] }
                    if column != [0.25, 0.25, 0.25, 0.25] {
                        motifColumns += 1
                        let b = column.firstIndex(of: 1)!
                        #expect(set.x.scalars[(n * 4 + b) * l + i] == 1)
                    }
                }
                #expect(motifColumns >= 4 && motifColumns <= 12 && motifColumns % 4 == 0)
                // Labels: AAAA present iff y[0]; CGCG (or its reverse complement CGCG) iff y[1].
                let s = OneHot.decode(set.x, sequence: n)
                let truthString = String((0..<l).map { i -> Character in
                    let c = (0..<4).map { truth.scalars[(n * 4 + $0) * l + i] }
                    return c == [0.25, 0.25, 0.25, 0.25] ? "." : Character(["A", "C", "G", "T"][c.firstIndex(of: 1)!])
                })
                let hasA = truthString.contains("AAAA") || truthString.contains("TTTT")
                let hasB = truthString.contains("CGCG")
                #expect(set.y.scalars[n * 2] == (hasA ? 1 : 0) && set.y.scalars[n * 2 + 1] == (hasB ? 1 : 0), "\(s) \(truthString)")
            }
        }
    }

    @Test func codeTaskSeparatesCoreFromDecoysAndIsSeeded() throws {
        let g = SyntheticMotifs(task: .code, motifs: [Self.motifA], decoys: [Self.motifB], count: 100, length: 30, motifsPerSequence: 1...2, seed: 3)
        let a = try g.generate(), b = try g.generate()
        #expect(a.train.x.scalars == b.train.x.scalars && a.test.y.scalars == b.test.y.scalars)
        var other = g; other.seed = 4
        #expect(try other.generate().train.x.scalars != a.train.x.scalars)
        let set = a.train
        let positives = set.y.scalars.filter { $0 == 1 }.count
        #expect(positives > set.count / 4 && positives < 3 * set.count / 4)
        for n in 0..<set.count {
            let t = set.groundTruth!, l = set.length
            let cg = (0..<l).contains { i in t.scalars[(n * 4 + 1) * l + i] == 1 }     // a C from CGCG
            #expect(cg == (set.y.scalars[n] == 0))                                        // decoys only in negatives
        }
    }

    /// The activity task: without noise a label is the core motif's weight times its instances
    /// (counted from truth_task, its positions over its width); decoys add nothing; with noise the
    /// residuals have the noise's σ.
    @Test func activityTaskLabelsSumTheCoreMotifsWeights() throws {
        var g = SyntheticMotifs(task: .activity, motifs: [Self.motifA], decoys: [Self.motifB], count: 400, length: 40, motifsPerSequence: 1...3, seed: 5)
        g.activityWeights = [2]; g.activityNoise = 0
        let exact = try g.generate()
        #expect(exact.taskNames == ["activity"])
        let (l, w) = (exact.train.length, Self.motifA.width)
        var residuals: [Double] = [], carried = 0
        for n in 0..<exact.train.count {
            let core = (0..<l).filter { exact.train.truthTask!.scalars[n * l + $0] == 0 }.count
            #expect(core % w == 0)
            #expect(exact.train.y.scalars[n] == Float(2 * (core / w)))
            if core > 0 { carried += 1 }
        }
        #expect(carried > 50 && carried < exact.train.count)   // some sequences carry decoys only
        g.activityNoise = 0.5
        let noisy = try g.generate()
        for n in 0..<noisy.train.count { residuals.append(Double(noisy.train.y.scalars[n] - exact.train.y.scalars[n])) }
        let sd = (residuals.map { $0 * $0 }.reduce(0, +) / Double(residuals.count)).squareRoot()
        #expect(Swift.abs(sd - 0.5) < 0.06, "noise σ \(sd)")
        // One weight per core motif, and the uniform recipe only.
        g.activityWeights = [1, 2]
        #expect(throws: SyntheticMotifs.SyntheticError.self) { try g.generate() }
        g.activityWeights = []; g.recipe = .published
        #expect(throws: SyntheticMotifs.SyntheticError.self) { try g.generate() }
    }

    /// The published recipe: 3–7 motifs per sequence with the published probabilities; negatives
    /// draw from core ∪ decoys (so some carry the core motif), positives never carry a decoy;
    /// truth_task marks core positions 0 and decoy positions −1.
    @Test func publishedCodeRecipeDrawsThreeToSevenMotifsAndMixesTheCoreIntoNegatives() throws {
        let g = SyntheticMotifs(task: .code, motifs: [Self.motifA], decoys: [Self.motifB], count: 2000, length: 60,
                                motifsPerSequence: 3...7, recipe: .published, seed: 5)
        let splits = try g.generate()
        var perCount = [Int](repeating: 0, count: 8), negativesWithCore = 0, negatives = 0
        for set in [splits.train, splits.valid, splits.test] {
            let truth = try #require(set.groundTruth), owner = try #require(set.truthTask), l = set.length
            for n in 0..<set.count {
                let motifColumns = (0..<l).filter { i in truth.scalars[(n * 4) * l + i] != 0.25 || truth.scalars[(n * 4 + 1) * l + i] != 0.25 }
                #expect(motifColumns.count % 4 == 0)
                perCount[motifColumns.count / 4] += 1
                // A columns (AAAA / TTTT) belong to task 0, CGCG columns to no task.
                for i in motifColumns {
                    let isB = truth.scalars[(n * 4 + 1) * l + i] == 1 || truth.scalars[(n * 4 + 2) * l + i] == 1
                    #expect(owner.scalars[n * l + i] == (isB ? -1 : 0))
                }
                let hasCore = motifColumns.contains { owner.scalars[n * l + $0] == 0 }
                let hasDecoy = motifColumns.contains { owner.scalars[n * l + $0] == -1 }
                if set.y.scalars[n] == 1 { #expect(hasCore && !hasDecoy) } else { negatives += 1; if hasCore { negativesWithCore += 1 } }
            }
        }
        #expect(perCount[0..<3].allSatisfy { $0 == 0 })
        let p3 = Double(perCount[3]) / 2000, p7 = Double(perCount[7]) / 2000
        #expect(Swift.abs(p3 - 0.5) < 0.04 && p7 > 0.01 && p7 < 0.06, "\(perCount)")
        // Core ∪ decoy pool of 2: a negative carries no core motif with probability E[(1/2)^k] ≈ 0.09.
        #expect(negativesWithCore > negatives * 3 / 4)
        #expect(throws: SyntheticMotifs.SyntheticError.self) {
            _ = try SyntheticMotifs(task: .code, motifs: [Self.motifA], decoys: [Self.motifB], count: 20, length: 60,
                                    motifsPerSequence: 1...5, recipe: .published, seed: 5).generate()
        }
    }

    @Test func publishedCodeTaskTakesFiftyRandomJASPARDecoys() throws {
        let path = Self.shared + "/JASPAR2016_CORE_vertebrates.pfm"
        guard access(path, F_OK) == 0 else { print("skipping: \(path) is absent"); return }
        let all = try MotifFile.read(path)
        let g = try SyntheticMotifs.publishedCode(from: all, count: 100, seed: 3)
        #expect(g.motifs.map { $0.name.uppercased() } == ["SP1", "GABPA", "CEBPB", "MAX", "YY1"] && g.decoys.count == 50)
        #expect(Set(g.decoys.map(\.id)).count == 50 && !g.decoys.contains { SyntheticMotifs.codeCore.contains($0.name.uppercased()) })
        #expect(try SyntheticMotifs.publishedCode(from: all, count: 100, seed: 4).decoys.map(\.id) != g.decoys.map(\.id))
        // The look-alikes that scored like core motifs in GIA (CEBPB's, GABPA's and MAX's) are no decoys.
        let lookalikes = Set(g.lookalikes.map { $0.name.uppercased() })
        #expect(lookalikes.isSuperset(of: ["CEBPD", "ELK4", "MAX::MYC"]) && !g.decoys.contains { lookalikes.contains($0.name.uppercased()) })
        let splits = try g.generate()
        #expect(splits.train.count == 70 && splits.train.truthTask?.shape == [70, 200])
    }

    @Test func lookalikesOfTheCoreAreNoDecoys() throws {
        var rng = RandomGenerator(seed: 11)
        let core = Motif(id: "C1", name: "CORE", matrix: [[0.9, 0.05, 0.03, 0.02], [0.02, 0.9, 0.05, 0.03], [0.03, 0.02, 0.9, 0.05],
                                                          [0.05, 0.03, 0.02, 0.9], [0.9, 0.05, 0.03, 0.02], [0.02, 0.03, 0.05, 0.9]])
        let copy = Motif(id: "C2", name: "COPY", matrix: core.matrix)
        let random = (0..<70).map { k in
            Motif(id: "R\(k)", name: "R\(k)", matrix: (0..<8).map { _ in
                let w = (0..<4).map { _ in 0.2 + rng.uniformDouble() }; let t = w.reduce(0, +); return w.map { $0 / t } })
        }
        let all = [core, copy] + random
        let g = try SyntheticMotifs.publishedCode(from: all, core: ["CORE"], count: 20, length: 60, seed: 1)
        #expect(g.lookalikes.map(\.name).contains("COPY") && !g.decoys.contains { $0.name == "COPY" } && g.decoys.count == 50)
        let kept = try SyntheticMotifs.publishedCode(from: all, core: ["CORE"], count: 20, length: 60, lookalikeQ: 0, seed: 1)
        #expect(kept.lookalikes.isEmpty)
    }

    @Test func tooManyMotifsForTheLengthIsAnError() {
        let g = SyntheticMotifs(task: .multi, motifs: [Self.motifA], count: 20, length: 10, motifsPerSequence: 1...3, seed: 1)
        #expect(throws: SyntheticMotifs.SyntheticError.self) { _ = try g.generate() }
    }

    @Test func npzRoundTrip() throws {
        let splits = try SyntheticMotifs(task: .multi, motifs: [Self.motifA, Self.motifB], count: 30, length: 20, motifsPerSequence: 1...2, seed: 2).generate()
        let path = temporaryDirectory() + "/dna.npz"
        try splits.write(to: path, overwrite: true)
        let back = try DNASplits.read(path)
        #expect(back.train.x.scalars == splits.train.x.scalars && back.test.y.scalars == splits.test.y.scalars)
        #expect(back.valid.groundTruth?.scalars == splits.valid.groundTruth?.scalars && back.taskNames == ["AAAA", "CGCG"])
        #expect(back.test.truthTask != nil && back.test.truthTask?.scalars == splits.test.truthTask?.scalars)
    }

    @Test func channelsLastFilesAreReadAsChannelsFirst() throws {
        // A Keras-layout file: X and the ground-truth PWMs (N, L, 4); Y as before.
        let splits = try SyntheticMotifs(task: .multi, motifs: [Self.motifA, Self.motifB], count: 30, length: 20, motifsPerSequence: 1...2, seed: 3).generate()
        var a = NPZArchive()
        for (name, set) in zip(DNASplits.splitNames, [splits.train, splits.valid, splits.test]) {
            a["X_" + name] = NumPyArray(set.x.permuted([0, 2, 1]))
            a["Y_" + name] = NumPyArray(set.y)
            if let t = set.groundTruth { a["model_" + name] = NumPyArray(t.permuted([0, 2, 1])) }
        }
        let path = temporaryDirectory() + "/dna-last.npz"
        try a.write(to: path, compressed: false, overwrite: true)
        let back = try DNASplits.read(path)
        #expect(back.train.x.shape == splits.train.x.shape && back.train.x.scalars == splits.train.x.scalars)
        #expect(back.test.groundTruth?.scalars == splits.test.groundTruth?.scalars)
        // Neither axis of size 4: still an error naming the shape.
        var bad = NPZArchive()
        for name in DNASplits.splitNames { bad["X_" + name] = NumPyArray(Tensor(zeros: [2, 3, 5])); bad["Y_" + name] = NumPyArray(Tensor(zeros: [2, 1])) }
        try bad.write(to: path, compressed: false, overwrite: true)
        #expect { _ = try DNASplits.read(path) } throws: { "\($0)".contains("X_train has shape [2, 3, 5]; expected (N, 4, L) or (N, L, 4) one-hot") }
    }

    @Test func centredWindowsCropAndPadAroundTheCentre() {
        #expect(CentredWindow.fit("ACGTACGT", length: 8) == "ACGTACGT")
        #expect(CentredWindow.fit("AACCGGTTA", length: 4) == "CCGG")            // ⌊5/2⌋ = 2 dropped on the left, 3 on the right
        #expect(CentredWindow.fit("ACG", length: 8) == "NNACGNNN")               // ⌊5/2⌋ = 2 N on the left, 3 on the right
        #expect(CentredWindow.fit("", length: 2) == "NN")
    }

    @Test func kerasAndBassetArrayNamesAreRead() throws {
        let splits = try SyntheticMotifs(task: .multi, motifs: [Self.motifA, Self.motifB], count: 30, length: 20, motifsPerSequence: 1...2, seed: 4).generate()
        // Keras scripts' x_train/y_train; Basset's train_in (N, 4, 1, L) and train_out.
        for layout in ["keras", "basset"] {
            var a = NPZArchive()
            for (name, set) in zip(DNASplits.splitNames, [splits.train, splits.valid, splits.test]) {
                if layout == "keras" {
                    a["x_" + name] = NumPyArray(set.x); a["y_" + name] = NumPyArray(set.y)
                } else {
                    a[name + "_in"] = NumPyArray(set.x.reshaped([set.count, 4, 1, set.length])); a[name + "_out"] = NumPyArray(set.y)
                }
            }
            let path = temporaryDirectory() + "/dna-\(layout).npz"
            try a.write(to: path, compressed: false, overwrite: true)
            let back = try DNASplits.read(path)
            #expect(back.train.x.shape == splits.train.x.shape && back.train.x.scalars == splits.train.x.scalars, "\(layout)")
            #expect(back.test.y.scalars == splits.test.y.scalars, "\(layout)")
            // A label array missing is named as the file names its arrays.
            a[layout == "keras" ? "y_valid" : "valid_out"] = nil
            try a.write(to: path, compressed: false, overwrite: true)
            #expect { _ = try DNASplits.read(path) } throws: { "\($0)".contains(layout == "keras" ? "no y_valid array" : "no valid_out array") }
        }
    }

    /// Every position is a base, an N or padding; at L = 4 the one-hot layout decides which axis is
    /// the channel axis; an empty split is refused by the commands that read it.
    @Test func inputsMustBeOneHotAndSplitsNonEmpty() throws {
        func file(_ x: [String: Tensor], y: [String: Tensor] = [:]) throws -> String {
            var a = NPZArchive()
            for name in DNASplits.splitNames {
                a["X_" + name] = NumPyArray(x[name] ?? x["train"]!)
                a["Y_" + name] = NumPyArray(y[name] ?? Tensor(shape: [x["train"]!.shape[0], 1], scalars: (0..<x["train"]!.shape[0]).map { Float($0 % 2) }))
            }
            let path = temporaryDirectory() + "/dna-onehot.npz"
            try a.write(to: path, compressed: false, overwrite: true)
            return path
        }
        // Two sequences of 4 bp, channels last (N, L, 4): ACGA and TTTT.
        let last: [Float] = [1, 0, 0, 0,  0, 1, 0, 0,  0, 0, 1, 0,  1, 0, 0, 0,   0, 0, 0, 1,  0, 0, 0, 1,  0, 0, 0, 1,  0, 0, 0, 1]
        let read = try DNASplits.read(try file(["train": Tensor(shape: [2, 4, 4], scalars: last)]))
        #expect(OneHot.decode(read.train.x, sequence: 0) == "ACGA" && OneHot.decode(read.train.x, sequence: 1) == "TTTT")
        // Two bases at one position, and a tripled one-hot: refused, naming the position.
        var two = last
        two[1] = 1
        #expect { _ = try DNASplits.read(try file(["train": Tensor(shape: [2, 4, 4], scalars: two).permuted([0, 2, 1])])) } throws: {
            "\($0)".contains("X_train is not one-hot: sequence 0, position 0 sums to 2.0")
        }
        #expect { _ = try DNASplits.read(try file(["train": Tensor(shape: [2, 4, 4], scalars: last.map { 3 * $0 })])) } throws: { "\($0)".contains("is not one-hot") }
        // An empty valid split: read, but refused where it would be trained or scored on.
        let empty = try DNASplits.read(try file(["train": Tensor(shape: [2, 4, 4], scalars: last), "valid": Tensor(zeros: [0, 4, 4])],
                                                y: ["valid": Tensor(zeros: [0, 1])]))
        #expect(empty.singleClassWarning("valid") == nil)
        try empty.requireSequences(in: "train", "test", path: "d.npz")
        #expect { try empty.requireSequences(in: "train", "valid", path: "d.npz") } throws: { "\($0)" == "d.npz: the valid split has no sequences" }
    }

    @Test func labelsOutsideZeroToOneAreRefused() throws {
        var a = NPZArchive()
        for name in DNASplits.splitNames {
            a["X_" + name] = NumPyArray(Tensor(shape: [2, 4, 1], scalars: [1, 0, 0, 0, 0, 1, 0, 0]))
            a["Y_" + name] = NumPyArray(Tensor(shape: [2, 1], scalars: name == "valid" ? [0, 2] : [0, 1]))
        }
        let path = temporaryDirectory() + "/dna-y2.npz"
        try a.write(to: path, compressed: false, overwrite: true)
        #expect { _ = try DNASplits.read(path) } throws: { "\($0)".contains("Y_valid holds 2.0 (sequence 1, task 0): labels must be in [0, 1]") }
        // A regression's labels are any finite values; NaN is refused.
        #expect(try DNASplits.read(path, objective: .regression).valid.y.scalars == [0, 2])
        a["Y_test"] = NumPyArray(Tensor(shape: [2, 1], scalars: [0, .nan]))
        try a.write(to: path, compressed: false, overwrite: true)
        #expect { _ = try DNASplits.read(path, objective: .regression) } throws: { "\($0)".contains("Y_test holds nan (sequence 1, task 0): labels must be finite numbers") }
    }

    @Test func readsTheSharedHDF5Dataset() throws {
        let path = Self.shared + "/IRF1_400_h3k27ac.h5"
        guard access(path, F_OK) == 0 else { print("skipping: \(path) is absent"); return }
        let splits = try DNASplits.read(path)
        #expect(splits.train.count == 2724 && splits.valid.count == 389 && splits.test.count == 779)
        #expect(splits.train.length == 400 && splits.train.tasks == 1)
        // One-hot: every position sums to 1.
        let x = splits.valid.x
        for i in 0..<400 { #expect((0..<4).reduce(Float(0)) { $0 + x.scalars[($1) * 400 + i] } == 1) }
        #expect(Set(splits.train.y.scalars) == [0, 1])
        #expect(throws: FileIOError.self) { _ = try DNASplits.read(Self.shared + "/JASPAR2016_CORE_vertebrates.meme") }
    }

    @Test func syntheticDefaultsUseTheSharedJASPARMotifs() throws {
        let path = Self.shared + "/JASPAR2016_CORE_vertebrates.pfm"
        guard access(path, F_OK) == 0 else { print("skipping: \(path) is absent"); return }
        let all = try MotifFile.read(path)
        let multi = try SyntheticMotifs.select(SyntheticMotifs.multiNames, from: all)
        #expect(multi.count == 12)
        let g = SyntheticMotifs(task: .multi, motifs: multi, count: 300, length: 200, seed: 1)
        let splits = try g.generate()
        #expect(splits.train.count == 210 && splits.train.tasks == 12)
        #expect(throws: SyntheticMotifs.SyntheticError.self) { _ = try SyntheticMotifs.select(["NOPE"], from: all) }
    }

    func scratch(_ name: String, _ text: String) throws -> String {
        let path = temporaryDirectory() + "/" + name
        try AtomicFile.write(text, to: path)
        return path
    }

    @Test func fastaWithLabelsBecomesSplits() throws {
        let fasta = try scratch("a.fa", ">s1 first\nACGT\nAC\n>s2\nTTTTTT\n>s3\nGGGNNN\n>s4\nCCCCCC\n")
        let labels = try scratch("a.tsv", "id\tTF1\tTF2\tsplit\ns2\t1\t0\ttrain\ns1\t0\t1\ttest\ns3\t0.5\t1\tvalid\ns4\t1\t1\ttrain\nextra\t0\t0\ttest\n")
        let d = try LabeledFASTA.read(fasta: fasta, labels: labels)
        #expect(d.taskNames == ["TF1", "TF2"])
        #expect(d.train.count == 2 && d.valid.count == 1 && d.test.count == 1)
        #expect(OneHot.decode(d.test.x, sequence: 0) == "ACGTAC" && d.test.y.scalars == [0, 1])
        #expect(OneHot.decode(d.train.x, sequence: 0) == "TTTTTT" && d.valid.y.scalars == [0.5, 1])
        // Said while reading: the N bases and the label row of no sequence.
        #expect(d.warnings.count == 2 && d.warnings[0].contains("1 sequence has 3 ambiguous bases (N 3) (first: 's3')"), "\(d.warnings)")
        #expect(d.warnings[1].contains("1 label row(s) name no sequence"), "\(d.warnings)")
        // The valid split (one sequence, TF2 = 1) holds one class for both tasks: said, with the class.
        #expect(d.valid.singleClassTasks.map(\.positive) == [false, true])
        #expect(d.singleClassWarning("valid")?.contains("TF1 (only negatives), TF2 (only positives)") == true)
        // Without a split column: a seeded 70/10/20 split of all sequences.
        let ids = (0..<20).map { "q\($0)" }
        let many = try scratch("b.fa", ids.map { ">\($0)\nACGTACGT\n" }.joined())
        let table = try scratch("b.csv", "name,bound\n" + ids.enumerated().map { "\($1),\($0 % 2)" }.joined(separator: "\n") + "\n")
        let e = try LabeledFASTA.read(fasta: many, labels: table, seed: 3)
        #expect(e.train.count == 14 && e.valid.count == 2 && e.test.count == 4)
        #expect(try LabeledFASTA.read(fasta: many, labels: table, seed: 3).test.y == e.test.y)
        #expect(e.singleClassWarning("train") == nil)
    }

    @Test func badFASTAOrLabelsNameFileAndLine() throws {
        func message(_ fa: String, _ labels: String) -> String {
            do { _ = try LabeledFASTA.read(fasta: try scratch("c.fa", fa), labels: try scratch("c.csv", labels)); return "" }
            catch { return "\(error)" }
        }
        let ok = "id,t\na,1\nb,0\nc,1\n"
        #expect(message(">a\nACGT\n>b\nACG\n>c\nACGT\n", ok).hasSuffix("c.fa:3: sequence 'b' is 3 bp; 'a' is 4 bp (all sequences must have one length)"))
        #expect(message("ACGT\n", ok).contains("c.fa:1: sequence data before the first '>' header"))
        #expect(message(">a\nAC1T\n", ok).contains("c.fa:2: '1' is not a nucleotide letter"))
        #expect(message(">a\nACGT\n>a\nACGT\n", ok).contains("c.fa:3: duplicate sequence id 'a'"))
        #expect(message(">a\nACGT\n>z\nACGT\n", ok).contains("no labels for sequence 'z'"))
        #expect(message(">a\nACGT\n", "id,t\na,2\n").contains("c.csv:2: label '2' in column 2: labels must be in [0, 1]"))
        #expect(message(">a\nACGT\n", "id,t\na,high\n").contains("c.csv:2: label 'high' in column 2 is not a number"))
        let regression = try LabeledFASTA.read(fasta: try scratch("r.fa", ">a\nACGT\n>b\nACGT\n>c\nACGT\n"), labels: try scratch("r.csv", "id,t,split\na,-1.5,train\nb,3,valid\nc,0.25,test\n"), objective: .regression)
        #expect(regression.train.y.scalars == [-1.5] && regression.valid.y.scalars == [3])
        #expect(throws: (any Error).self) { try LabeledFASTA.read(fasta: try scratch("r.fa", ">a\nACGT\n"), labels: try scratch("r.csv", "id,t\na,inf\n"), objective: .regression) }
        // Chosen task columns, in the order asked; other columns (text too) are ignored.
        let wide = "id\tchrom\tstart\tdev\tsplit\thk\na\tchr2L\t5587\t1.5\ttrain\t-0.5\nb\tchr2L\t9000\t2\tvalid\t0.25\nc\tchr3R\t12\t0\ttest\t3\n"
        let picked = try LabeledFASTA.read(fasta: try scratch("w.fa", ">a\nACGT\n>b\nACGT\n>c\nACGT\n"), labels: try scratch("w.tsv", wide), objective: .regression, columns: ["hk", "dev"])
        #expect(picked.taskNames == ["hk", "dev"] && picked.train.y.scalars == [-0.5, 1.5] && picked.test.y.scalars == [3, 0])
        #expect(message(">a\nACGT\n", "id,t,u\na,1,x\n").contains("label 'x' in column 3 is not a number"))
        #expect { try LabeledFASTA.read(fasta: try scratch("w.fa", ">a\nACGT\n"), labels: try scratch("w.tsv", wide), objective: .regression, columns: ["Dev"]) } throws: {
            "\($0)".contains("w.tsv:1: no task column 'Dev' (the header has id, chrom, start, dev, split, hk; the first is the ids)")
        }
        #expect(message(">a\nACGT\n", "id,t\na,1,0\n").contains("c.csv:2: 3 fields; the header has 2"))
        #expect(message(">a\nACGT\n", "id,t,split\na,1,later\n").contains("c.csv:2: split 'later' is not train, valid or test"))
    }

    @Test func fastaAndLabelsWithCRLFAndBOMReadLikeLF() throws {
        let fa = ">s1 first\nACGT\nAC\n>s2\nTTTTTT\n>s3\nGGGNNN\n>s4\nCCCCCC\n"
        let labels = "id\tTF1\tTF2\tsplit\ns2\t1\t0\ttrain\ns1\t0\t1\ttest\ns3\t0.5\t1\tvalid\ns4\t1\t1\ttrain\n"
        func windows(_ t: String) -> String { "\u{FEFF}" + t.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n") }
        let a = try LabeledFASTA.read(fasta: try scratch("lf.fa", fa), labels: try scratch("lf.tsv", labels))
        let b = try LabeledFASTA.read(fasta: try scratch("crlf.fa", windows(fa)), labels: try scratch("crlf.tsv", windows(labels)))
        #expect(a.taskNames == b.taskNames && a.taskNames == ["TF1", "TF2"])
        #expect(a.train.x == b.train.x && a.train.y == b.train.y && a.test.x == b.test.x && a.valid.y == b.valid.y)
        #expect(try LabeledFASTA.readFASTA(try scratch("crlf2.fa", windows(fa))).ids == ["s1", "s2", "s3", "s4"])
        // Trailing spaces and tabs end a line; blank lines are skipped; the reader's offset ends at the file's size.
        let spaced = try LabeledFASTA.readFASTA(try scratch("sp.fa", ">a x\tdescribed\nAC  \n\t\nGT\t\n>b\nacgu \n"))
        #expect(spaced.ids == ["a", "b"] && spaced.sequences == ["ACGT", "acgu"])
        let reader = try CompressedReader(path: try scratch("sp2.fa", fa))
        try LabeledFASTA.forEachRecord(reader) { _, _, _ in }
        #expect(reader.fileSize == fa.utf8.count && reader.fileOffset == fa.utf8.count)
    }

    @Test func genomicRegionNamesReadBothConventions() {
        let ucsc = GenomicRegionName("chr1:1001-1100")!
        #expect(ucsc.chromosome == "chr1" && ucsc.start == 1001 && ucsc.end == 1100)
        #expect(ucsc.convention(length: 100) == .ucsc && ucsc.firstBase(length: 100) == 1001)
        // bedtools getfasta names the same 100 bases chr1:1000-1100 (0-based, half-open).
        let bed = GenomicRegionName("chr1:1000-1100")!
        #expect(bed.convention(length: 100) == .bed && bed.firstBase(length: 100) == 1001)
        // A length that fits neither is read as FIMO reads every start: 1-based.
        #expect(bed.convention(length: 7) == .unclear && bed.firstBase(length: 7) == 1000)
        // Strand and name suffixes (bedtools -s, -name), names with underscores or colons.
        #expect(GenomicRegionName("chrX:5-9(-)_peak3")?.start == 5)
        #expect(GenomicRegionName("chr2:10-20(+)")?.end == 20)
        #expect(GenomicRegionName("chrUn_KI270302v1:1-50")?.chromosome == "chrUn_KI270302v1")
        #expect(GenomicRegionName("HLA:x:1-50")?.chromosome == "HLA:x")
        for id in ["chr1", "chr1:", "chr1:100", "chr1:200-100", "chr1:100-200x", ":1-5", "chr1:-5-9"] {
            #expect(GenomicRegionName(id) == nil, "\(id)")
        }
    }

    @Test func ambiguousBasesAreCountedByLetter() {
        let a = AmbiguousBases(["ACGT", "ANGR", "nnTT", "ACGU"])
        #expect(a.sequences == 2 && a.positions == 4 && a.firstSequence == 1)
        #expect(a.letters.map(\.0) == ["N", "R"] && a.letters.map(\.1) == [3, 1])
        #expect(a.description == "2 sequences have 4 ambiguous bases (N 3, R 1)")
        #expect(AmbiguousBases(["ACGT", "UUAA"]).isEmpty)
    }

    @Test func fastaIsRecognisedByContent() throws {
        #expect(LabeledFASTA.looksLikeFASTA(try scratch("seqs.txt", "\u{FEFF}\n>a\nACGT\n")))
        #expect(LabeledFASTA.looksLikeFASTA("-") && LabeledFASTA.looksLikeFASTA("x.fa.gz"))
        #expect(!LabeledFASTA.looksLikeFASTA(try scratch("table.txt", "id,t\na,1\n")))
    }
}
