import Testing
import Motifs
#if canImport(Glibc)
import Glibc
#endif

@Suite struct FilterMatchSummaryTests {
    /// Two filters copied from the database (one of them a ground-truth motif) and one flat filter:
    /// two match, one matches the truth, and the truth motif no filter copied is missing.
    @Test func countsMatchedFiltersAndRecoveredTruthMotifs() {
        let db = MotifComparisonTests.database
        let flat = Motif(id: "flat", name: "", matrix: Array(repeating: [0.25, 0.25, 0.25, 0.25], count: 8))
        let filters = [Motif(id: "f0", name: "", matrix: db[3].matrix), Motif(id: "f1", name: "", matrix: db[7].matrix), flat]
        let s = FilterMatchSummary(filters: filters, database: db, truth: [TruthMotif(parsing: "m7"), TruthMotif(parsing: "m20")], eThreshold: 0.1)
        #expect(s.filters == 3 && s.matchedAny == 2 && s.matchedTruth == 1 && s.recovered == ["m7"])
        #expect(s.rows.count == 3)
        #expect(s.rows[0].target == "M3" && !s.rows[0].truth && s.rows[1].target == "M7" && s.rows[1].name == "m7" && s.rows[1].truth)
        #expect(s.rows[2].e >= 0.1)
        #expect(s.text == """
            filters matching any database motif: 2/3 (0.667)
            filters matching a ground-truth motif: 1/3 (0.333)
            ground-truth motifs recovered: 1/2 (missing: m20)
            """)
        let lines = s.table.split(separator: "\n")
        #expect(lines.count == 4 && lines[0] == "filter\tbest_target\tname\tp\tE\tq\tground_truth" && lines[2].hasPrefix("f1\tM7\tm7\t") && lines[2].hasSuffix("\ttrue"))
    }

    /// Clipping keeps the informative core and `pad` columns each side, within the motif.
    @Test func clippingKeepsTheInformativeCoreAndItsPad() {
        let flat = [0.25, 0.25, 0.25, 0.25], sharp = [0.97, 0.01, 0.01, 0.01]
        let m = Motif(id: "f", name: "", matrix: Array(repeating: flat, count: 6) + [sharp, flat, sharp] + Array(repeating: flat, count: 2))
        let c = m.clipped(minimumInformation: 0.5, pad: 3)
        #expect(c.matrix == Array(repeating: flat, count: 3) + [sharp, flat, sharp] + Array(repeating: flat, count: 2))
        #expect(Motif(id: "u", name: "", matrix: Array(repeating: flat, count: 5)).clipped().width == 5)
        #expect(abs(m.information[6] - (2 + 0.97 * log2(0.97) + 3 * 0.01 * log2(0.01))) < 1e-12 && m.information[0] == 0)
    }

    /// A ground-truth group counts its relatives, by name or ID, as one motif (the published
    /// scoring's JASPAR ID lists).
    @Test func aTruthGroupCountsItsRelativesByNameOrID() {
        let db = MotifComparisonTests.database
        let filters = [Motif(id: "f0", name: "", matrix: db[3].matrix), Motif(id: "f1", name: "", matrix: db[7].matrix)]
        let group = TruthMotif(parsing: "Rel=M3|m7")
        #expect(group.name == "Rel" && group.aliases == ["m3", "m7"])
        let s = FilterMatchSummary(filters: filters, database: db, truth: [group, TruthMotif(parsing: "m20")], eThreshold: 0.1)
        #expect(s.matchedTruth == 2 && s.recovered == ["Rel"] && s.rows.allSatisfy(\.truth))
        #expect(s.text.hasSuffix("ground-truth motifs recovered: 1/2 (missing: m20)"))
    }

    @Test func truthItemsParse() {
        #expect(TruthMotif(parsing: " SRF ") == TruthMotif(name: "SRF", aliases: ["srf"]))
        #expect(TruthMotif(parsing: "MA0151.1|MA0601.1") == TruthMotif(name: "MA0151.1", aliases: ["MA0151.1", "MA0601.1"]))
        #expect(TruthMotif(parsing: "Arid3 = MA0151.1 | MA0601.1 |") == TruthMotif(name: "Arid3", aliases: ["ma0151.1", "ma0601.1"]))
        #expect(TruthMotif(parsing: "=").aliases.isEmpty)
    }

    @Test func withoutTruthOnlyTheMatchLineIsPrinted() {
        let db = MotifComparisonTests.database
        let s = FilterMatchSummary(filters: [db[5]], database: db, truth: [], eThreshold: 0.1)
        #expect(s.text == "filters matching any database motif: 1/1 (1.000)")
    }
}
