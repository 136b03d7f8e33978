import Testing
import TestSupport
import Tensors
import DNAData
import RegulatoryCNN
import Console

/// A variant's windows: the model's L bases centred on its first base, the reference as the genome
/// has it and the alternative with the allele written in; the genome must agree with REF.
@Suite struct VariantEffectsTests {
    @Test func windowsCentreOnTheVariantAndSwapTheAllele() throws {
        // chr1: 30 bases over two lines.
        let genome = writeText(">chr1\nACGTACGTACGTACGTAC\nGGCCTTAAGGCC\n", "variants.fa")
        let model = try CNNModel(architecture: CNNArchitecture("conv4x3 relu flatten"), length: 6, taskNames: ["t"], seed: 2)
        // Position 10 (1-based) is the second base of "ACGTACGTAC…"'s third "AC", i.e. 'C' at index 9.
        let variants = [GenomeVariant(chromosome: "chr1", position: 10, reference: "C", alternative: "T", line: 1),
                        GenomeVariant(chromosome: "chr1", position: 19, reference: "GG", alternative: "AT", line: 2)]
        let e = try VariantEffects(model: model, genome: genome, variants: variants, source: "v.vcf")
        // Windows [9 − 3, 9 + 3) = bases 6…11, and [18 − 3, 18 + 3) = 15…20.
        let ref = model.predict(OneHot.encode(["GTACGT", "TACGGC"])), alt = model.predict(OneHot.encode(["GTATGT", "TACATC"]))
        #expect(e.reference.scalars == ref.scalars && e.alternative.scalars == alt.scalars)
        #expect(e.change(1, task: 0) == alt.scalars[1] - ref.scalars[1])
        #expect(e.csv.hasPrefix("chrom,pos,id,ref,alt,t_ref,t_alt,t_log_odds\nchr1,10,.,C,T,"))
        // Indels keep the window's left end: a deletion pulls in the next bases, an insertion pushes the last out.
        let indels = [GenomeVariant(chromosome: "chr1", position: 10, reference: "CGT", alternative: "C", line: 3),
                      GenomeVariant(chromosome: "chr1", position: 10, reference: "C", alternative: "CAA", line: 4)]
        let d = try VariantEffects(model: model, genome: genome, variants: indels, source: "v.vcf")
        // REF window 6…11 "GTACGT"; without bases 10–11: G T A C | A C (12, 13); with AA after index 9: G T A C A A.
        let dRef = model.predict(OneHot.encode(["GTACGT", "GTACGT"])), dAlt = model.predict(OneHot.encode(["GTACAC", "GTACAA"]))
        #expect(d.reference.scalars == dRef.scalars && d.alternative.scalars == dAlt.scalars)
        // Batch by batch: one variant at a time gives the same predictions, and progress reaches 2N.
        var reports: [Int] = []
        let single = try VariantEffects(model: model, genome: genome, variants: indels, source: "v.vcf", batchSize: 1, predicted: { done, total in
            #expect(total == 4); reports.append(done)
        })
        #expect(reports == [1, 2, 3, 4])
        #expect(zip(single.reference.scalars + single.alternative.scalars, d.reference.scalars + d.alternative.scalars).allSatisfy { abs($0 - $1) <= 1e-6 })
        // Another assembly: REF disagrees with the genome; a window off the chromosome.
        #expect { try VariantEffects(model: model, genome: genome, variants: [GenomeVariant(chromosome: "chr1", position: 10, reference: "A", alternative: "T", line: 7)], source: "v.vcf") } throws: {
            "\($0)".contains("v.vcf:7: REF 'A' but the genome has 'C' at chr1:10")
        }
        // A window off the chromosome's start or end reads N there; a REF past the end is an error.
        let edges = try VariantEffects(model: model, genome: genome, variants: [GenomeVariant(chromosome: "chr1", position: 2, reference: "C", alternative: "T", line: 8),
                                                                                GenomeVariant(chromosome: "chr1", position: 27, reference: "GGCC", alternative: "G", line: 9)], source: "v.vcf")
        // Windows [1 − 3, 1 + 3) = N N A C G T, and [26 − 3, 26 − 3 + 9) = T A A G G C C N N (the deletion
        // of GCC pulls in the two bases past the chromosome's end).
        #expect(edges.paddedWindows == 2)
        #expect(edges.reference.scalars == model.predict(OneHot.encode(["NNACGT", "TAAGGC"])).scalars)
        #expect(edges.alternative.scalars == model.predict(OneHot.encode(["NNATGT", "TAAGNN"])).scalars)
        #expect(d.paddedWindows == 0)
        #expect { try VariantEffects(model: model, genome: genome, variants: [GenomeVariant(chromosome: "chr1", position: 29, reference: "CCA", alternative: "C", line: 10)], source: "v.vcf") } throws: {
            "\($0)".contains("v.vcf:10: REF 'CCA' at chr1:29 runs past the end of chromosome chr1 (30 bp in ")
        }
        #expect { try VariantEffects(model: model, genome: genome, variants: [GenomeVariant(chromosome: "chrX", position: 2, reference: "C", alternative: "T", line: 8)], source: "v.vcf") } throws: {
            "\($0)".contains("no chromosome 'chrX' (1 that v.vcf names absent; the genome has 1: chr1); do v.vcf and the genome use the same names and assembly?")
        }
        // Each window is as long as its own variant needs: a substitution whose window ends at the
        // chromosome's last base is scored beside a deletion that needs bases past its window.
        let end = try VariantEffects(model: model, genome: genome, variants: [indels[0], GenomeVariant(chromosome: "chr1", position: 28, reference: "G", alternative: "T", line: 5)], source: "v.vcf")
        // Bases 24…29 "AAGGCC", G at index 27 → T.
        #expect(end.alternative.scalars[1] == model.predict(OneHot.encode(["AAGTCC"])).scalars[0])
        #expect(end.reference.scalars[1] == model.predict(OneHot.encode(["AAGGCC"])).scalars[0])
        // A regression's table holds its predicted values and their change, no probabilities.
        let regression = try CNNModel(architecture: CNNArchitecture("conv4x3 relu flatten"), length: 6, taskNames: ["t"], seed: 2, objective: .regression)
        let r = try VariantEffects(model: regression, genome: genome, variants: [variants[0]], source: "v.vcf")
        let (rRef, rAlt) = (r.reference.scalars[0], r.alternative.scalars[0])
        #expect(r.csv == "chrom,pos,id,ref,alt,t_ref,t_alt,t_change\nchr1,10,.,C,T,\(fixed(Double(rRef), 6)),\(fixed(Double(rAlt), 6)),\(fixed(Double(rAlt - rRef), 6))\n")
    }
}
