import Testing
import Tensors
@testable import Autodiff

/// What the tape records about each op: its name, and the checks backward makes on a pullback.
@Suite struct VariableTests {
    @Test func everyRecordedOpCarriesItsName() {
        let x = Variable(Tensor(shape: [3], scalars: [-1, 0.5, 2]), requiresGrad: true)
        #expect(x.op == "leaf")
        #expect(x.relu().op == "relu()")
        #expect(x.sigmoid().op == "sigmoid()")
        #expect(Variable.record(x.value, [x], op: "custom") { g in [g] }.op == "custom")
        // Without a name, the calling function's.
        #expect(Variable.record(x.value, [x]) { g in [g] }.op == "everyRecordedOpCarriesItsName()")
    }

    @Test func aPullbackOfTheWrongShapeIsNamedByItsOp() {
        let x = Variable(Tensor(zeros: [2, 3]), requiresGrad: true)
        let problem = Variable.pullbackProblem(op: "myOp", gradients: [Tensor(zeros: [3, 2])], parents: [x])
        #expect(problem == "backward of myOp: pullback gave shape [3, 2] for parent 0 of shape [2, 3]")
        let missing = Variable.pullbackProblem(op: "twoInputs", gradients: [Tensor(zeros: [2, 3])], parents: [x, x])
        #expect(missing == "backward of twoInputs: pullback gave 1 gradients for 2 parents")
        #expect(Variable.pullbackProblem(op: "fine", gradients: [Tensor(zeros: [2, 3]), nil], parents: [x, x]) == nil)
    }
}
