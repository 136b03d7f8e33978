import Testing
import Tensors
import DNAData

@Suite struct OneHotTests {
    @Test func channelsAreTheArgMaxAndDecodeSaysNForNoCall() {
        let x = OneHot.encode(["ACNT"])
        #expect(OneHot.channels(x, sequence: 0) == [0, 1, 0, 3])          // N (0.25 each): the first channel
        #expect(OneHot.decode(x, sequence: 0) == "ACNT")
    }
}
