import Testing
import Motifs

/// The MEME suite's XML outputs read as its text outputs name and hold them.
@Suite struct MEMEXMLFormatTests {
    /// meme.xml as MEME 5 writes it: a DOCTYPE whose DTD holds '<' and '>', an <alphabet> naming the
    /// letters, the log-odds <scores> before the <probabilities>, contributing sites after.
    static let meme5 = """
        <?xml version='1.0' encoding='UTF-8' standalone='yes'?>
        <!-- Document definition -->
        <!DOCTYPE MEME[
        <!ELEMENT MEME (training_set, model, motifs, scanned_sites_summary?)>
        <!ATTLIST MEME version CDATA #REQUIRED>
        ]>
        <MEME version="5.5.5" release="Thu Sep 14 08:48:04 2023 +1000">
        <training_set primary_sequences="crp0.s" primary_count="18">
        <alphabet name="DNA" like="dna">
        <letter id="A" symbol="A" complement="T" name="Adenine" colour="CC0000"/>
        <letter id="C" symbol="C" complement="G" name="Cytosine" colour="0000CC"/>
        <letter id="G" symbol="G" complement="C" name="Guanine" colour="FFB300"/>
        <letter id="T" symbol="T" aliases="U" complement="A" name="Thymine" colour="008000"/>
        </alphabet>
        </training_set>
        <model>
        <strands>both</strands>
        <background_frequencies source="--sequences--" order="0">
        <alphabet_array>
        <value letter_id="A">0.304</value>
        <value letter_id="C">0.196</value>
        <value letter_id="G">0.196</value>
        <value letter_id="T">0.304</value>
        </alphabet_array>
        </background_frequencies>
        </model>
        <motifs>
        <motif id="motif_1" name="TGTGANNNNGNCACA" alt="MEME-1" width="2" sites="17" ic="15.9" re="16.8" llr="198" p_value="2.1e-033" e_value="3.6e-005" bayes_threshold="8.4" elapsed_time="0.35">
        <scores>
        <alphabet_matrix>
        <alphabet_array>
        <value letter_id="A">-93</value><value letter_id="C">-1</value><value letter_id="G">-93</value><value letter_id="T">185</value>
        </alphabet_array>
        </alphabet_matrix>
        </scores>
        <probabilities>
        <alphabet_matrix>
        <alphabet_array>
        <value letter_id="A">0.000000</value>
        <value letter_id="C">0.117647</value>
        <value letter_id="G">0.000000</value>
        <value letter_id="T">0.882353</value>
        </alphabet_array>
        <alphabet_array>
        <value letter_id="A">0.058824</value>
        <value letter_id="C">0.000000</value>
        <value letter_id="G">0.941176</value>
        <value letter_id="T">0.000000</value>
        </alphabet_array>
        </alphabet_matrix>
        </probabilities>
        <regular_expression>
        TG
        </regular_expression>
        <contributing_sites>
        <contributing_site sequence_id="sequence_0" position="3" strand="plus" pvalue="1.2e-08" >
        <left_flank>AAC</left_flank>
        <site>
        <letter_ref letter_id="T"/>
        <letter_ref letter_id="G"/>
        </site>
        <right_flank>A&amp;B</right_flank>
        </contributing_site>
        </contributing_sites>
        </motif>
        </motifs>
        </MEME>
        """

    @Test func memeXMLReadsAsMEMEText() throws {
        #expect(MEMEXMLFormat.sniff(Self.meme5))
        let motifs = try MotifFile.parse(Self.meme5, path: "meme.xml")
        #expect(motifs.count == 1)
        let m = motifs[0]
        #expect(m.id == "TGTGANNNNGNCACA" && m.name == "MEME-1" && m.sites == 17 && m.eValue == 3.6e-5 && m.probabilityRows)
        #expect(m.matrix == [[0, 0.117647, 0, 0.882353], [0.058824, 0, 0.941176, 0]])
        #expect(m.background == [0.304, 0.196, 0.196, 0.304] && m.bothStrands)
        // The same motif in MEME's text format holds the same rows and facts.
        let text = """
            MEME version 5

            ALPHABET= ACGT

            strands: + -

            Background letter frequencies
            A 0.304 C 0.196 G 0.196 T 0.304

            MOTIF TGTGANNNNGNCACA MEME-1
            letter-probability matrix: alength= 4 w= 2 nsites= 17 E= 3.6e-005
              0.000000  0.117647  0.000000  0.882353
              0.058824  0.000000  0.941176  0.000000
            """
        #expect(try MotifFile.parse(text, path: "meme.txt") == motifs)
    }

    @Test func meme4LetterIdsAndForwardStrand() throws {
        let xml = """
            <?xml version='1.0' encoding='UTF-8' standalone='yes'?>
            <MEME version="4.9.1">
            <model><strands>forward</strands></model>
            <motifs>
            <motif id="motif_1" name="AC" width="1" sites="5" e_value="1.0e+000">
            <probabilities><alphabet_matrix><alphabet_array>
            <value letter_id="letter_A">0.7</value><value letter_id="letter_C">0.1</value>
            <value letter_id="letter_G">0.1</value><value letter_id="letter_T">0.1</value>
            </alphabet_array></alphabet_matrix></probabilities>
            </motif>
            </motifs>
            </MEME>
            """
        let m = try #require(try MotifFile.parse(xml, path: "m").first)
        #expect(m.id == "AC" && m.name == "" && m.matrix == [[0.7, 0.1, 0.1, 0.1]] && m.background == nil && !m.bothStrands && m.eValue == 1)
    }

    @Test func stremeAndDremePositionRows() throws {
        let streme = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <STREME version="5.5.5" release="Thu Sep 14 08:48:04 2023 +1000">
              <model>
                <strands>both</strands>
                <background_frequencies source="--negatives--" order="2">
                  <alphabet_array>
                    <value letter_id="A">0.25</value><value letter_id="C">0.25</value><value letter_id="G">0.25</value><value letter_id="T">0.25</value>
                  </alphabet_array>
                </background_frequencies>
              </model>
              <motifs>
                <motif id="1-GGGCGG" alt="STREME-1" width="2" initial_width="6" seed="GGGCGG" test_evalue="2.4e-010" total_sites="302">
                  <pos A="0.1" C="0.0" G="0.9" T="0.0"/>
                  <pos A="0.0" C="0.2" G="0.8" T="0.0"/>
                </motif>
              </motifs>
            </STREME>
            """
        let s = try #require(try MotifFile.parse(streme, path: "streme.xml").first)
        #expect(s.id == "1-GGGCGG" && s.name == "STREME-1" && s.sites == 302 && s.eValue == 2.4e-10)
        #expect(s.matrix == [[0.1, 0, 0.9, 0], [0, 0.2, 0.8, 0]] && s.background == nil)    // uniform: none, as in MEME text
        let dreme = """
            <dreme version="5.0.5">
            <motifs>
            <motif id="m01" alt="DREME-1" seq="CACGTG" length="2" nsites="41" evalue="1.1e-008">
            <pos i="1" A="0" C="1" G="0" T="0"/>
            <pos i="2" A="1" C="0" G="0" U="0"/>
            </motif>
            </motifs>
            </dreme>
            """
        let d = try #require(try MotifFile.parse(dreme, path: "dreme.xml").first)
        #expect(d.id == "CACGTG" && d.name == "DREME-1" && d.sites == 41 && d.matrix == [[0, 1, 0, 0], [1, 0, 0, 0]])
    }

    @Test func otherXMLIsNotMEME() {
        #expect(!MEMEXMLFormat.sniff("<?xml version='1.0'?>\n<tomtom version=\"5\">"))
        #expect(!MEMEXMLFormat.sniff("<MEMEX>"))
        #expect(MEMEXMLFormat.sniff("\u{FEFF}<!-- c -->\n<MEME version=\"5\">"))
    }
}
