import Testing
import Tensors
import Motifs
import DNAData

@Suite struct InteractionMotifsTests {
    func motif(_ s: String) -> Motif {
        Motif(id: s, name: s, matrix: s.map { ch in Motif.letters.map { $0 == ch ? 1 : 0 } })
    }

    /// The motif runs (truth_task 0) of one sequence: their starts and ends.
    func runs(_ set: DNADataset, _ n: Int) -> [(Int, Int)] {
        let l = set.length
        var out: [(Int, Int)] = []
        var i = 0
        while i < l {
            if set.truthTask!.scalars[n * l + i] == 0 {
                var j = i
                while j + 1 < l && set.truthTask!.scalars[n * l + j + 1] == 0 && j + 1 - i < 6 { j += 1 }
                out.append((i, j + 1)); i = j + 1
            } else { i += 1 }
        }
        return out
    }

    @Test func labelsFollowTheSpacingOfThePair() throws {
        let a = motif("GGATTA"), b = motif("CCTTGA")
        let task = InteractionMotifs(first: a, second: b, spacing: 7, count: 200, length: 50, margin: 5, seed: 3)
        let splits = try task.generate()
        var positives = 0
        for set in [splits.train, splits.valid, splits.test] {
            for n in 0..<set.count {
                let r = runs(set, n)
                #expect(r.count == 2)
                guard r.count == 2 else { continue }
                let gap = r[1].0 - r[0].1
                let seq = OneHot.decode(set.x, sequence: n)
                #expect(seq.dropFirst(r[0].0).prefix(6) == "GGATTA"[...])
                #expect(seq.dropFirst(r[1].0).prefix(6) == "CCTTGA"[...])
                if set.y.scalars[n] == 1 { #expect(gap == 7); positives += 1 } else { #expect(Swift.abs(gap - 7) >= 5) }
            }
        }
        #expect(positives == 100)
        let again = try task.generate()
        #expect(again.train.x.scalars == splits.train.x.scalars)
    }

    @Test func aSpacingThatCannotFitIsAnError() {
        let a = motif("GGATTA"), b = motif("CCTTGA")
        #expect(throws: SyntheticMotifs.SyntheticError.self) { try InteractionMotifs(first: a, second: b, spacing: 40, count: 20, length: 50).generate() }
    }
}
