import Testing
import TestSupport
import Sequences
import FileIO

@Suite struct SecondaryStructureTests {
    @Test func wussBracketsAndPseudoknotLettersPair() throws {
        let pairs = try SecondaryStructure.basePairs(Array("<<.>>AA(.)aa".utf8))
        #expect(pairs == [BasePair(0, 4), BasePair(1, 3), BasePair(5, 11), BasePair(6, 10), BasePair(7, 9)])
        #expect(try SecondaryStructure.basePairs(Array(".,_-:~".utf8)).isEmpty)
    }

    @Test func anUnbalancedOrForeignCharacterIsNamedByItsColumn() throws {
        func problem(_ s: String) -> String? {
            do { _ = try SecondaryStructure.basePairs(Array(s.utf8)); return nil } catch { return error.problem }
        }
        #expect(problem("<<.>") == "'<' at column 1 is never closed (no '>' after it)")
        #expect(problem("..>") == "'>' at column 3 closes no open pair")
        #expect(problem("((<)>") == "'(' at column 1 is never closed (no ')' after it)")
        #expect(try SecondaryStructure.basePairs(Array("<(>)".utf8)) == [BasePair(0, 2), BasePair(1, 3)])   // crossing: a pseudoknot
        #expect(problem("<?>")?.hasPrefix("'?' at column 2 is not WUSS notation") == true)
    }

    @Test func notationWritesPairsThatParseBackCrossingOnesIncluded() throws {
        // (2, 6) crosses both nested pairs, so it takes the second bracket type.
        let pairs = [BasePair(0, 4), BasePair(1, 3), BasePair(2, 6)]
        #expect(SecondaryStructure.notation(pairs, length: 8) == "<<(>>.).")
        #expect(try SecondaryStructure.basePairs(Array(SecondaryStructure.notation(pairs, length: 8).utf8)) == pairs)
        // Three mutually crossing pairs take three types.
        let knot = [BasePair(0, 3), BasePair(1, 4), BasePair(2, 5)]
        #expect(try SecondaryStructure.basePairs(Array(SecondaryStructure.notation(knot, length: 6).utf8)) == knot)
    }

    @Test func stockholmConsensusStructureBecomesPairsOfModelColumns() throws {
        // Columns 1 and 7 are the focus's inserts (lower case): the pair (1, 7) is not the model's,
        // (0, 6) and (2, 5) become (0, 5) and (1, 4) over the six model columns.
        let text = """
        # STOCKHOLM 1.0
        q   GaCU
        s1  GACU
        #=GC SS_cons <[(.

        q   AGUc
        s1  AGUC
        #=GC SS_cons .)>]
        //

        """
        let msa = try AlignmentReader(alphabet: .rna).read(writeText(text, "ss.sto"))
        #expect(msa.length == 6)
        #expect(msa.basePairs == [BasePair(0, 5), BasePair(1, 4)])
        #expect(msa.selectingColumns([0, 1, 2, 4, 5]).basePairs == [BasePair(0, 4), BasePair(1, 3)])
        #expect(msa.selectingColumns([1, 2, 3, 4, 5]).basePairs == [BasePair(0, 3)])
        #expect(msa.selectingRows([0]).basePairs == msa.basePairs)
        #expect(try AlignmentReader(keepAllColumns: true, alphabet: .rna).read(writeText(text, "ss.sto")).basePairs
                == [BasePair(0, 6), BasePair(1, 7), BasePair(2, 5)])
    }

    /// Infernal's and HMMER's fragments: `~` marks missing data at a sequence's ends, read as a gap.
    @Test func missingDataIsAGap() throws {
        let text = "# STOCKHOLM 1.0\nq  GACUAGU\ns  ~~CUAG~\n#=GC SS_cons <<...>>\n//\n"
        let msa = try AlignmentReader(alphabet: .rna).read(writeText(text, "frag.sto"))
        #expect(msa.sequence(1) == "--CUAG-" && msa.basePairs == [BasePair(0, 6), BasePair(1, 5)])
        let protein = try AlignmentReader().read(writeText(">q\nACDE\n>s\n~CD~\n", "frag.fa"))
        #expect(protein.sequence(1) == "-CD-")
    }

    @Test func aConsensusStructureThatDoesNotFitIsRefusedWithItsLine() throws {
        let short = "# STOCKHOLM 1.0\nq  GACU\n#=GC SS_cons <.>\n//\n"
        #expect(throws: FileIOError.self) { try AlignmentReader(alphabet: .rna).read(writeText(short, "short.sto")) }
        do { _ = try AlignmentReader(alphabet: .rna).read(writeText(short, "short.sto")) } catch let e as FileIOError {
            #expect(e.description.contains("short.sto:3") && e.description.contains("#=GC SS_cons has 3 columns, the alignment 4"))
        }
        let open = "# STOCKHOLM 1.0\nq  GACU\n#=GC SS_cons <<.>\n//\n"
        do { _ = try AlignmentReader(alphabet: .rna).read(writeText(open, "open.sto")); Issue.record("accepted") } catch let e as FileIOError {
            #expect(e.description.contains("open.sto:3") && e.description.contains("'<' at column 1 is never closed"))
        }
        let twice = "# STOCKHOLM 1.0\nq  GACU\n#=GC SS_cons <..>\n#=GC SS_cons <..>\n//\n"
        do { _ = try AlignmentReader(alphabet: .rna).read(writeText(twice, "twice.sto")); Issue.record("accepted") } catch let e as FileIOError {
            #expect(e.description.contains("twice.sto:4") && e.description.contains("SS_cons appears twice in one block (also line 3)"), "\(e)")
        }
        // One SS_cons per block of a multi-block file is the normal case: the blocks' pieces join.
        let blocks = "# STOCKHOLM 1.0\nq  GA\n#=GC SS_cons <.\n\nq  CU\n#=GC SS_cons .>\n//\n"
        #expect(try AlignmentReader(alphabet: .rna).read(writeText(blocks, "blocks.sto")).basePairs == [BasePair(0, 3)])
    }

    /// Pfam's Stockholm files carry the protein secondary structure of a member with a structure as
    /// `#=GC SS_cons` (DSSP letters: `H` helix, `E` strand, `T` turn, `-` none): read as protein, the
    /// line is not base pairing and the alignment reads (it was refused: "'E' … is never closed").
    @Test func aProteinConsensusStructureIsNotReadAsBasePairs() throws {
        let text = "# STOCKHOLM 1.0\nq  MKVLAEG\ns  MRVLSEG\n#=GC SS_cons -EEEETT\n//\n"
        let msa = try AlignmentReader().read(writeText(text, "pfam.sto"))
        #expect(msa.count == 2 && msa.length == 7 && msa.basePairs.isEmpty)
        #expect(throws: FileIOError.self) { try AlignmentReader(alphabet: .rna).read(writeText("# STOCKHOLM 1.0\nq  GACU\n#=GC SS_cons -EET\n//\n", "e.sto")) }
        // A custom alphabet: a line that is not WUSS is said and left unread.
        let custom = try AlignmentReader(alphabet: try Alphabet.custom("ACDEFGHIKLMNPQRSTVWYX")).read(writeText(text, "pfamx.sto"))
        #expect(custom.basePairs.isEmpty && custom.warnings.contains { $0.contains("pfamx.sto:4: #=GC SS_cons is not WUSS base pairing") })
    }

    @Test func stockholmOutputKeepsTheConsensusStructure() throws {
        let text = "# STOCKHOLM 1.0\nq  GACUAGU\ns  GACUAGC\n#=GC SS_cons <[(.)>]\n//\n"
        let msa = try AlignmentReader(alphabet: .rna).read(writeText(text, "w.sto"))
        let written = AlignmentWriter.text(msa, format: .stockholm)
        #expect(written.contains("#=GC SS_cons <(<.>>)\n//"))
        let back = try AlignmentReader(alphabet: .rna).read(writeText(written, "back.sto"))
        #expect(back.basePairs == msa.basePairs && back.sequence(1) == msa.sequence(1))
    }
}
