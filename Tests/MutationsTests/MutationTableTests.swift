import Testing
import TestSupport
import Mutations
import FileIO

@Suite struct MutationTableTests {
    @Test func parsesSinglesAndMultiMutantsWithScores() throws {
        let p = writeText("mutant,DMS_score,other\nA12G,0.5,x\n\"A12G:K45R\",-1.25,y\nc3d,nan,z\n", "t.csv")
        let t = try MutationTable.read(p)
        #expect(t.rows.count == 3)
        #expect(t.rows[1].variant.substitutions == [Substitution(wildType: "A", position: 12, mutant: "G"), Substitution(wildType: "K", position: 45, mutant: "R")])
        #expect(t.rows[1].score == -1.25)
        #expect(t.rows[2].score == nil && t.rows[2].variant.description == "C3D")
    }

    /// ProteinGym's indel layout: the mutant is the whole mutated sequence.
    @Test func wholeSequenceTablesAreReadWhenAsked() throws {
        let wt = "MSKGEELFTGVVPILVELDGDV", del = "MSKGEELFTGVPILVELDGDV"
        let p = writeText("mutant,mutated_sequence,DMS_score,DMS_score_bin\n\(wt),\(wt),0.5,1\n\(del.lowercased()),\(del),-1,0\n", "indels.csv")
        let t = try MutationTable.read(p, binColumn: "DMS_score_bin", wholeSequences: true)
        #expect(t.holdsSequences && t.rows.map(\.sequence) == [wt, del] && t.rows.map(\.score) == [0.5, -1] && t.rows.map(\.fit) == [true, false])
        #expect(t.rows.allSatisfy { $0.variant.substitutions.isEmpty })
        // Without the flag: the layout is named; a table holds one kind of mutant.
        #expect { _ = try MutationTable.read(p) } throws: { "\($0)".contains("indels.csv:2: the mutant is a whole sequence (22 residues)") }
        let mixed = writeText("mutant,DMS_score\n\(wt),0.5\nA12G,1\n", "mixed.csv")
        #expect { _ = try MutationTable.read(mixed, wholeSequences: true) } throws: { "\($0)".contains("mixed.csv:3: 'A12G' is not a whole sequence") }
        // A table of substitutions reads as before with the flag.
        let subs = writeText("mutant,DMS_score\nA12G,1\n", "subs.csv")
        #expect(try !MutationTable.read(subs, wholeSequences: true).holdsSequences)
    }

    @Test func tabSeparatedWithCustomColumns() throws {
        let p = writeText("variant\tfitness\nM1A\t2\n", "t.tsv")
        let t = try MutationTable.read(p, mutantColumn: "variant", scoreColumn: "fitness")
        #expect(t.rows.first?.score == 2)
    }

    /// EVmutation's and EVcouplings' example tables: `#` reference lines, then `mutant;linear;log`.
    /// A missing column is named on the header's own line; a semicolon inside a comma header is data.
    @Test func semicolonTablesWithCommentLinesAreRead() throws {
        let p = writeText("# Reference: Melamed et al., RNA 2013\n# Experimental data columns: linear, log\nmutant;linear;log\nG126A;0.71;-0.49\n# a note\nG126C;0.45;-1.16\n", "evmutation.csv")
        let t = try MutationTable.read(p, scoreColumn: "log")
        #expect(t.rows.map(\.variant.description) == ["G126A", "G126C"] && t.rows.map(\.score) == [-0.49, -1.16] && t.rows.map(\.line) == [4, 6])
        #expect { _ = try MutationTable.read(p, scoreColumn: "fitness", scoreRequired: true) } throws: {
            "\($0)".contains("evmutation.csv:3: no 'fitness' column (columns: mutant, linear, log)")
        }
        let comma = writeText("mutant,note;x,DMS_score\nA1C,a;b,2\n", "comma.csv")
        #expect(try MutationTable.read(comma).rows.first?.score == 2)
    }

    @Test func aRequiredScoreColumnMustExist() throws {
        let p = writeText("mutant,EVE\nM1A,2\n", "required.csv")
        #expect(try MutationTable.read(p, scoreColumn: "score").rows.first?.score == nil)     // a table to score
        do { _ = try MutationTable.read(p, scoreColumn: "score", scoreRequired: true); Issue.record("no error") } catch {
            #expect("\(error)".contains("required.csv:1: no 'score' column (columns: mutant, EVE)"), "\(error)")
        }
        #expect(try MutationTable.read(p, scoreColumn: "EVE", scoreRequired: true).rows.first?.score == 2)
    }

    @Test func wildTypeMismatchNamesTheRow() throws {
        let p = writeText("mutant,DMS_score\nA1G,1\nK2R,0\nQ3W,1\n", "w.csv")
        let t = try MutationTable.read(p)
        let focus: [Int: Character] = [1: "A", 2: "K", 3: "E"]
        do { try t.validate { focus[$0] }; Issue.record("no error") } catch {
            #expect("\(error)".contains("w.csv:4:") && "\(error)".contains("Q3W"), "\(error)")
        }
    }

    @Test func malformedRowsAreErrors() throws {
        #expect(throws: FileIOError.self) { try MutationTable.read(writeText("mutant,DMS_score\nA1,1\n", "a.csv")) }
        #expect(throws: FileIOError.self) { try MutationTable.read(writeText("mutant,DMS_score\nA1G\n", "b.csv")) }
        #expect(throws: FileIOError.self) { try MutationTable.read(writeText("mut,score\nA1G,1\n", "c.csv")) }
        #expect(throws: FileIOError.self) { try MutationTable.read(writeText("", "d.csv")) }
        #expect(throws: FileIOError.self) { try MutationTable.read(writeText("mutant,DMS_score\nA1G,abc\n", "e.csv")) }
        // inf is a number but no score: named with its line (NaN stays a missing score).
        let infinite = writeText("mutant,DMS_score\nA1G,1\nK2R,-inf\n", "f.csv")
        #expect(throws: FileIOError(path: infinite, line: 3, "score '-inf' is not finite (leave it empty, or NaN, for a missing score)")) {
            try MutationTable.read(infinite)
        }
        #expect(try MutationTable.read(writeText("mutant,DMS_score\nA1G,1\nK2R,nan\n", "g.csv")).rows.map(\.score) == [1, nil])
    }

    @Test func readsProteinGymFitLabelsWhenTheColumnExists() throws {
        let p = writeText("mutant,mutated_sequence,DMS_score,DMS_score_bin\nA1G,GK,0.5,1\nK2R,AR,-1,0\nA1C,CK,,\n", "bins.csv")
        let t = try MutationTable.read(p, binColumn: "DMS_score_bin")
        #expect(t.binColumn == "DMS_score_bin")
        #expect(t.rows.map(\.fit) == [true, false, nil])
        let booleans = try MutationTable.read(writeText("mutant,DMS_score,DMS_score_bin\nA1G,1,True\nK2R,0,false\n", "bools.csv"), binColumn: "DMS_score_bin")
        #expect(booleans.rows.map(\.fit) == [true, false])
        // A table without the column reads as before: no labels.
        let plain = try MutationTable.read(writeText("mutant,DMS_score\nA1G,1\n", "nobins.csv"), binColumn: "DMS_score_bin")
        #expect(plain.binColumn == nil && plain.rows[0].fit == nil)
    }

    @Test func badFitLabelsNameTheLine() {
        for (text, message) in [("mutant,DMS_score,DMS_score_bin\nA1G,1,1\nK2R,0,2\n", "bad-bin.csv:3: 'DMS_score_bin' is '2', expected 0 (unfit) or 1 (fit)"),
                                ("mutant,DMS_score,DMS_score_bin\nA1G,1,\n", "empty-bin.csv:2: 'DMS_score_bin' is empty where the score is not")] {
            let name = message.split(separator: ":")[0]
            do { _ = try MutationTable.read(writeText(text, String(name)), binColumn: "DMS_score_bin"); Issue.record("no error") } catch {
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }

    @Test func maveDBTablesReadThroughTheirHGVSColumn() throws {
        let p = writeText("accession,hgvs_nt,hgvs_pro,score\n1,NA,p.Lys30Ala,0.1\n2,NA,_wt,0\n3,NA,p.Gly40del,-1\n4,NA,\"p.[Lys30Trp;Ser68Ala]\",1\n", "mave.csv")
        let t = try MutationTable.read(p, mutantColumn: "hgvs_pro", scoreColumn: "score")
        #expect(t.rows.map(\.variant.description) == ["K30A", "K30W:S68A"] && t.rows.map(\.score) == [0.1, 1])
        #expect(t.withoutSubstitution == ["_wt", "p.Gly40del"])
        do { _ = try MutationTable.read(writeText("mutant,DMS_score\nK30A:K30C,1\n", "twice.csv")); Issue.record("no error") } catch {
            #expect("\(error)".contains("twice.csv:2: mutant K30A:K30C changes position 30 twice"), "\(error)")
        }
    }
}
