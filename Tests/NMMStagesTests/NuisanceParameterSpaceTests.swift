import Foundation
import NMMCore
@testable import NMMStages
@testable import NMMStatistics
import XCTest

/// The parameter-space pieces of the nuisance kernels (issue 17) against their general forms:
/// the four-lane monomial derivatives (`NuisanceBlockModel.derivatives4`) against the template
/// walk, and the explicit 1 × 1 / 2 × 2 and unrolled 3 × 3 / 4 × 4 LDLᵀ solves of `NuisanceNewton` against
/// `SmallLinearAlgebra`'s Cholesky, including the positive-definiteness verdict.
final class NuisanceParameterSpaceTests: XCTestCase {
    func testMonomialDerivativesAgreeWithTheTemplateWalk() throws {
        var rng = Xoshiro256StarStar(seed: 41)
        var compared = 0, withShapeZero = 0, withKappaZero = 0, negativeShape = 0
        for (model, label) in try ToyKernelsDispatchTests.nuisanceTestModels() {
            let block = try XCTUnwrap(NuisanceBlockModel(try CompiledModel(model)))
            let nt = block.templateCount, np = block.parameterCount
            for layout in [block.freeLayout, block.fixedLayout] {
                guard layout.count <= 4 else {
                    XCTAssertFalse(layout.monomials, "\(label): \(layout.count) slots stay on the template walk")
                    continue
                }
                XCTAssertTrue(layout.monomials, "\(label): \(layout.count) slots take the four-lane path")
                let nf = layout.count
                var p = [Double](repeating: 0, count: np), globals = [Double](repeating: 1, count: np)
                var e = [Double](repeating: 0, count: nt), ht = [Double](repeating: 0, count: nt * nt)
                var g1 = [Double](repeating: 0, count: nf), g2 = g1
                var h1 = [Double](repeating: 0, count: nf * nf), h2 = h1
                var jac = [Double](repeating: 0, count: nt * nf), jacIndex = [Int](repeating: 0, count: 2 * nt * nf)
                for trial in 0..<200 {
                    for q in 0..<np {
                        let start = block.startValues[q]
                        p[q] = start + 0.4 * (rng.uniform() - 0.5) * max(abs(start), 1)
                        if block.mustBePositive[q] { p[q] = abs(p[q]) + 0.01 }
                        globals[q] = 1 + 0.2 * (rng.uniform() - 0.5)
                    }
                    if trial % 5 == 1 { p[0] = 0; withKappaZero += 1 }
                    for q in 0..<np where (0..<nt).contains(where: { block.shapeParameter[$0] == q }) {
                        if trial % 7 == 2 { p[q] = 0; withShapeZero += 1 }
                        if p[q] < 0 { negativeShape += 1 }
                    }
                    for c in 0..<nt {
                        e[c] = rng.uniform() - 0.5
                        for d in c..<nt { ht[c * nt + d] = rng.uniform() - 0.5; ht[d * nt + c] = ht[c * nt + d] }
                    }
                    let pen1 = block.derivatives(p, layout, globals: globals, e: e, ht: ht, gradient: &g1, hessian: &h1,
                                                 jacValue: &jac, jacIndex: &jacIndex)
                    let pen2 = block.derivativesByWalk(p, layout, globals: globals, e: e, ht: ht, gradient: &g2,
                                                       hessian: &h2, jacValue: &jac, jacIndex: &jacIndex)
                    XCTAssertEqual(pen1, pen2, "\(label)")
                    let scale = (g2 + h2).map(abs).max() ?? 1
                    for (a, b) in zip(g1 + h1, g2 + h2) {
                        XCTAssertEqual(a, b, accuracy: 1e-13 * max(scale, 1), "\(label), layout of \(nf) slots, trial \(trial)")
                    }
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThan(compared, 1500, "most layouts of the test models have at most four slots")
        XCTAssertGreaterThan(withKappaZero, 100, "κ = 0 (a factor of zero) is exercised")
        XCTAssertGreaterThan(withShapeZero, 20, "a shape parameter at exactly 0 is exercised")
        XCTAssertGreaterThan(negativeShape, 100, "the negative shape side is exercised")
        print("compared the derivatives of \(compared) points")
    }

    func testUnrolledSolvesAgreeWithCholesky() {
        var rng = Xoshiro256StarStar(seed: 5)
        var definite = 0, indefinite = 0
        for n in 1...4 {   // larger n is SmallLinearAlgebra's Cholesky itself
            for trial in 0..<400 {
                // A = MᵀM + shift·I: positive definite for shift > 0; a negative shift makes some indefinite.
                let shift = trial % 4 == 3 ? -0.5 * rng.uniform() : 1e-3 + rng.uniform()
                let m = (0..<(n * n)).map { _ in rng.uniform() - 0.5 }
                var a = [Double](repeating: 0, count: n * n)
                for i in 0..<n { for j in 0..<n {
                    a[i * n + j] = (0..<n).reduce(0.0) { $0 + m[$1 * n + i] * m[$1 * n + j] } + (i == j ? shift : 0)
                } }
                let b = (0..<n).map { _ in rng.uniform() - 0.5 }
                var reference = a, x = b
                let referenceDefinite = SmallLinearAlgebra.cholesky(&reference, n)
                var scratch = a, solved = b
                let ok = NuisanceNewton.choleskySolve(&scratch, n, &solved)
                XCTAssertEqual(ok, referenceDefinite, "n = \(n), trial \(trial): the positive-definiteness verdict")
                guard ok, referenceDefinite else { indefinite += 1; continue }
                definite += 1
                SmallLinearAlgebra.choleskySolve(reference, n, &x)
                // Residual of A x = b, relative to the solution's size (the matrices may be ill-conditioned).
                for i in 0..<n {
                    let r = (0..<n).reduce(-b[i]) { $0 + a[i * n + $1] * solved[$1] }
                    let size = (0..<n).reduce(0.0) { $0 + abs(a[i * n + $1] * solved[$1]) } + abs(b[i])
                    XCTAssertLessThan(abs(r), 1e-12 * size, "n = \(n), trial \(trial): residual")
                    XCTAssertEqual(solved[i], x[i], accuracy: 1e-9 * (x.map(abs).max() ?? 1), "n = \(n), trial \(trial)")
                }
            }
        }
        XCTAssertGreaterThan(indefinite, 100, "indefinite matrices are exercised")
        XCTAssertGreaterThan(definite, 1000)
    }
}
