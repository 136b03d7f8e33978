import Testing
import Mutations

@Suite struct VariantTests {
    @Test func maveHGVSProteinSubstitutionsParseToOneLetterVariants() throws {
        #expect(Variant("p.Glu27Trp")?.description == "E27W")
        #expect(Variant("p.[Glu27Trp;Lys45Arg]")?.description == "E27W:K45R")
        #expect(Variant("p.Cys22=")?.description == "C22C")              // synonymous
        #expect(Variant("p.glu27ter")?.description == "E27*")             // any case; Ter is the stop
        #expect(Variant("p.Glu27*")?.substitutions.first?.isNonsense == true)
        // MaveDB's multi-variants: a bare "=" and a repeated protein change add nothing.
        #expect(Variant("p.[Glu27Trp;=]")?.description == "E27W")
        #expect(Variant("p.[Glu27Trp;Glu27Trp]")?.description == "E27W")
        // The same variant written both ways has the same substitutions.
        #expect(Variant("p.[Lys45Arg;Glu27Trp]")?.substitutions.sorted { $0.position < $1.position }
                == Variant("E27W:K45R")?.substitutions)
    }

    /// EVcouplings' mutation tables and METL's scans separate substitutions by commas.
    @Test func commaSeparatedSubstitutionsReadAsColons() {
        #expect(Variant("E27W,K45R")?.description == "E27W:K45R")
        #expect(Variant("E27W, K45R")?.substitutions == Variant("E27W:K45R")?.substitutions)
        #expect(Variant("E27W,")?.description == "E27W")
        #expect(Variant("E27W,,K45R")?.description == "E27W:K45R")
        #expect(Variant("E27W,K45") == nil)
    }

    @Test func predictedConsequencesAndOneLetterHGVSReadTheSame() {
        // VEP and ClinVar write a consequence predicted from the DNA change in parentheses.
        #expect(Variant("p.(Glu27Trp)")?.description == "E27W")
        #expect(Variant("p.([Glu27Trp;Lys45Arg])")?.description == "E27W:K45R")
        #expect(Variant("p.E27W")?.description == "E27W")
        #expect(Variant("p.[E27W;K45R]")?.description == "E27W:K45R")
        #expect(Variant("p.(E27*)")?.substitutions.first?.isNonsense == true)
        for text in ["p.(=)", "p.?", "p.(?)", "p.0", "p.(Gly18del)", "p.(Arg12fs)", "p.(Ter345Lys)"] {
            #expect(Variant.namesNoSubstitution(text[...]), "\(text)")
        }
        for text in ["p.(Glu27Trp", "p.Glu27Trp)", "p.()"] { #expect(Variant(text[...]) == nil, "\(text)") }
    }

    @Test func malformedOrNonSubstitutionTextIsNotAVariant() {
        for text in ["p.Glu27Xaa", "p.Glu27", "p.27Trp", "p.Gluu27Trp", "p.=", "p.[=]", "_wt", "p.Gly18del", "E27", "27W"] {
            #expect(Variant(text[...]) == nil, "\(text)")
        }
    }

    @Test func rowsNamingNoSubstitutionAreRecognised() {
        for text in ["_wt", "_sy", "p.=", "NA", "", "p.Gly18del", "p.Gln7_Asn19del", "p.His7_Gln8insSer", "p.Cys5dup",
                     "p.Ile71_Cys80delinsSer", "p.Arg12fs", "p.Ter345Lys"] {
            #expect(Variant.namesNoSubstitution(text[...]), "\(text)")
        }
        for text in ["A12G", "p.Glu27Trp", "p.Glu27Xaa", "garbage"] { #expect(!Variant.namesNoSubstitution(text[...]), "\(text)") }
    }

    @Test func aWholeSequenceIsNamedAsProteinGymsIndelLayout() {
        guard case .failure(let e) = Variant.parsing("MSKGEELFTGVVPILVELDGDVNGHKF") else { Issue.record("parsed"); return }
        #expect(e.description.contains("whole sequence (27 residues), as in ProteinGym's indel benchmark"))
        guard case .failure(let short) = Variant.parsing("garbage") else { Issue.record("parsed"); return }
        #expect(short.description.contains("cannot parse mutant 'garbage'"))
    }

    @Test func stopCodonsAndRepeatedPositions() throws {
        #expect(try #require(Variant("K30*")).substitutions[0].isNonsense)
        #expect(Variant("K30A:K30C")?.repeatedPosition == 30)
        #expect(Variant("K30A:S68C")?.repeatedPosition == nil)
    }
}
