import Testing
import TestSupport
import Contacts

@Suite struct PairScoreTableTests {
    /// EVcouplings' CSV (header, cn column, any column order) and plmc's EC file read to the same
    /// entries; placed on a model whose focus "MKV-L" is numbered 10, 11, 12, gap, 13.
    @Test func evcouplingsAndPlmcTablesPlaceTheirPairsOnTheModelColumns() throws {
        let csv = writeText("i,A_i,j,A_j,fn,cn,probability\n10,M,13,L,0.9,0.5,1.0\n11,K,12,V,0.2,0.25,0.1\n", "x_CouplingScores.csv")
        let ec = writeText("10 M 13 L 0 0.5\n11 K 12 V 0 0.25\n", "x_ECs.txt")
        let a = try PairScoreTable.read(csv), b = try PairScoreTable.read(ec)
        #expect(a.entries.map(\.score) == [0.5, 0.25] && b.entries.map(\.score) == [0.5, 0.25])
        #expect(a.entries.map(\.i) == b.entries.map(\.i) && a.entries.map(\.residueJ) == ["L", "V"])
        let (map, missing, outside) = try a.contactMap(residueNumbers: [10, 11, 12, -1, 13], focus: Array("MKV-L"))
        #expect(map[0, 4] == 0.5 && map[4, 0] == 0.5 && map[1, 2] == 0.25)
        // Pairs the table lacks rank last: its lowest score (0.25); 4 of the 6 pairs of focus residues.
        #expect(map[0, 1] == 0.25 && map[0, 0] == 0 && missing == 4 && outside == 0)
    }

    @Test func aLetterThatDiffersFromTheFocusIsAnErrorNamingTheLine() throws {
        let csv = writeText("i,A_i,j,A_j,fn,cn\n10,M,13,L,0.9,0.5\n11,W,12,V,0.2,0.25\n14,A,15,C,0.1,0.1\n", "shifted.csv")
        let table = try PairScoreTable.read(csv)
        #expect { _ = try table.contactMap(residueNumbers: [10, 11, 12, 13], focus: Array("MKVL")) } throws: {
            "\($0)".contains("shifted.csv:3: residue 11 is 'W' here but 'K' in the model's focus sequence")
        }
        let ok = writeText("i,A_i,j,A_j,fn,cn\n10,M,13,L,0.9,0.5\n14,A,15,C,0.1,0.1\n", "beyond.csv")
        #expect(try PairScoreTable.read(ok).contactMap(residueNumbers: [10, 11, 12, 13], focus: Array("MKVL")).outside == 1)
    }

    @Test func malformedTablesNameTheirLine() {
        for (text, message) in [("i,A_i,j,A_j,fn\n1,M,2,K,0.1\n", "bad.csv:1: no 'cn' column"),
                                ("1 M 2 K 0\n", "bad.csv:1: 5 fields; expected 6"),
                                ("1 M x K 0 0.1\n", "bad.csv:1: residue numbers '1' and 'x' are not both integers"),
                                ("1 M 2 K 0 nan\n", "bad.csv:1: score 'nan' is not a finite number"),
                                ("# nothing\n", "bad.csv: no scored pair")] {
            let p = writeText(text, "bad.csv")
            #expect { _ = try PairScoreTable.read(p) } throws: { "\($0)".contains(message) }
        }
    }
}
