import Foundation
import NMMCore
import XCTest

/// Checks of the GSL wrappers against known answers. The exponential data set is the one of
/// toolchain.md §3 (reproduced here: mt19937 seed 12345, tᵢ = 0.25 i, i = 0..<40,
/// yᵢ = 5 e^{−0.3 tᵢ} + N(0, 0.1)), whose fit gave χ² = 35.9188, A = 5.00173, λ = 0.295441,
/// errors 0.051 and 0.0046.
final class GSLTests: XCTestCase {
    private func exponentialData() throws -> (t: [Double], y: [Double]) {
        let rng = try RandomGenerator(seed: 12345)
        var t: [Double] = [], y: [Double] = []
        for i in 0..<40 {
            let ti = 0.25 * Double(i)
            t.append(ti)
            y.append(5 * exp(-0.3 * ti) + rng.gaussian(sigma: 0.1))
        }
        return (t, y)
    }

    func testExponentialFitNonlinearLeastSquares() throws {
        let (t, y) = try exponentialData()
        let residuals: ([Double], inout [Double]) -> Void = { p, r in
            for i in 0..<t.count { r[i] = (p[0] * exp(-p[1] * t[i]) - y[i]) / 0.1 }
        }
        let jacobian: ([Double], inout [Double]) -> Void = { p, J in
            for i in 0..<t.count {
                let e = exp(-p[1] * t[i])
                J[2 * i] = e / 0.1
                J[2 * i + 1] = -p[0] * t[i] * e / 0.1
            }
        }
        for jac in [jacobian, nil] {
            let r = try NonlinearLeastSquares().fit(observations: 40, start: [1, 0.1],
                                                    residuals: residuals, jacobian: jac)
            XCTAssertTrue(r.converged)
            XCTAssertEqual(r.chi2, 35.9188, accuracy: 1e-4)
            XCTAssertEqual(r.parameters[0], 5.00173, accuracy: 1e-5)
            XCTAssertEqual(r.parameters[1], 0.295441, accuracy: 1e-6)
            XCTAssertEqual(r.errors[0], 0.051, accuracy: 0.001)
            XCTAssertEqual(r.errors[1], 0.0046, accuracy: 0.0001)
            XCTAssertTrue(r.covarianceAccurate)
            XCTAssertGreaterThan(r.reciprocalCondition, 1e-3)
        }
    }

    func testExponentialFitMinimizers() throws {
        let (t, y) = try exponentialData()
        let chi2: ([Double]) -> Double = { p in
            (0..<t.count).reduce(0) { s, i in let d = (p[0] * exp(-p[1] * t[i]) - y[i]) / 0.1; return s + d * d }
        }
        let simplex = try Minimizer().minimize(start: [1, 0.1], algorithm: .simplex, objective: chi2)
        let bfgs = try Minimizer(gradientTolerance: 1e-3).minimize(start: [1, 0.1], algorithm: .bfgs, objective: chi2)
        for r in [simplex, bfgs] {
            XCTAssertTrue(r.converged, "\(r.algorithm) status \(r.status)")
            XCTAssertEqual(r.f, 35.9188, accuracy: 1e-4)
            XCTAssertEqual(r.x[0], 5.00173, accuracy: 1e-4)
            XCTAssertEqual(r.x[1], 0.295441, accuracy: 1e-5)
        }
    }

    func testRosenbrock() throws {
        let f: ([Double]) -> Double = { x in 100 * pow(x[1] - x[0] * x[0], 2) + pow(1 - x[0], 2) }
        let g: ([Double], inout [Double]) -> Void = { x, g in
            g[0] = -400 * x[0] * (x[1] - x[0] * x[0]) - 2 * (1 - x[0])
            g[1] = 200 * (x[1] - x[0] * x[0])
        }
        let start = [-1.2, 1.0]
        let analytic = try Minimizer(gradientTolerance: 1e-8).minimize(start: start, objective: f, gradient: g)
        let numeric = try Minimizer(gradientTolerance: 1e-6).minimize(start: start, objective: f)
        let simplex = try Minimizer(simplexSizeTolerance: 1e-10).minimize(start: start, algorithm: .simplex, objective: f)
        for r in [analytic, numeric, simplex] {
            XCTAssertTrue(r.converged, "\(r.algorithm) status \(r.status)")
            XCTAssertEqual(r.x[0], 1, accuracy: 1e-4)
            XCTAssertEqual(r.x[1], 1, accuracy: 1e-4)
            XCTAssertLessThan(r.f, 1e-8)
        }
        XCTAssertLessThan(analytic.iterations, simplex.iterations)
    }

    func testNonConvergenceIsReportedNotThrown() throws {
        let f: ([Double]) -> Double = { x in 100 * pow(x[1] - x[0] * x[0], 2) + pow(1 - x[0], 2) }
        let r = try Minimizer(maxIterations: 3).minimize(start: [-1.2, 1], algorithm: .simplex, objective: f)
        XCTAssertFalse(r.converged)
        XCTAssertThrowsError(try r.requireConverged(context: "test"))
    }

    func testSingularJacobianFlagsCovariance() throws {
        // y = (p0 + p1)·t: only the sum is determined.
        let t = (1...10).map(Double.init)
        let r = try NonlinearLeastSquares().fit(observations: 10, start: [0.5, 0.5]) { p, res in
            for i in 0..<10 { res[i] = (p[0] + p[1]) * t[i] - 2 * t[i] }
        }
        XCTAssertEqual(r.parameters[0] + r.parameters[1], 2, accuracy: 1e-8)
        XCTAssertFalse(r.covarianceAccurate)
    }

    func testRandomGeneratorIsDeterministic() throws {
        let a = try RandomGenerator(seed: 2024), b = try RandomGenerator(seed: 2024)
        let sa = (0..<100).map { _ in a.uniform() }, sb = (0..<100).map { _ in b.uniform() }
        XCTAssertEqual(sa, sb)
        let c = try RandomGenerator(seed: 2025)
        XCTAssertNotEqual(sa, (0..<100).map { _ in c.uniform() })
        a.reseed(2024)
        XCTAssertEqual(sa, (0..<100).map { _ in a.uniform() })
        // Folding keeps seeds < 2^32 and mixes the high word in.
        XCTAssertEqual(RandomGenerator.folded(7), 7)
        XCTAssertNotEqual(RandomGenerator.folded(7 | (1 << 40)), 7)
    }

    func testPoissonMeanAndVariance() throws {
        let rng = try RandomGenerator(seed: 99)
        for mean in [0.5, 3.0, 47.0, 250.0] {
            let n = 200_000
            var s = 0.0, s2 = 0.0
            for _ in 0..<n { let k = Double(rng.poisson(mean: mean)); s += k; s2 += k * k }
            let m = s / Double(n), v = s2 / Double(n) - m * m
            // 5σ tolerances: σ(mean) = √(μ/n), σ(var) ≈ μ √(2/n) (+ μ/√n for small μ).
            XCTAssertEqual(m, mean, accuracy: 5 * (mean / Double(n)).squareRoot())
            XCTAssertEqual(v, mean, accuracy: 5 * (mean * (2 / Double(n)).squareRoot() + (mean / Double(n)).squareRoot()))
        }
        XCTAssertEqual(rng.poisson(mean: 0), 0)
    }

    func testGaussianMoments() throws {
        let rng = try RandomGenerator(seed: 5)
        let n = 100_000
        var s = 0.0, s2 = 0.0
        for _ in 0..<n { let x = rng.gaussian(sigma: 2); s += x; s2 += x * x }
        XCTAssertEqual(s / Double(n), 0, accuracy: 5 * 2 / Double(n).squareRoot())
        XCTAssertEqual(s2 / Double(n), 4, accuracy: 5 * 4 * (2 / Double(n)).squareRoot())
    }

    func testDeriveSeed() {
        let s = SeedSequence.deriveSeed(master: 42, indices: [3, 7])
        XCTAssertEqual(s, SeedSequence.deriveSeed(master: 42, indices: [3, 7]))
        XCTAssertNotEqual(s, SeedSequence.deriveSeed(master: 42, indices: [7, 3]))
        XCTAssertNotEqual(s, SeedSequence.deriveSeed(master: 43, indices: [3, 7]))
        XCTAssertNotEqual(s, SeedSequence.deriveSeed(master: 42, indices: [3, 8]))
        XCTAssertNotEqual(SeedSequence.deriveSeed(master: 0, indices: [0]), SeedSequence.deriveSeed(master: 0, indices: [0, 0]))
        // No collisions (after folding to 32 bits) over a 100 × 100 task grid.
        var seen = Set<UInt32>()
        for j in 0..<100 { for k in 0..<100 {
            seen.insert(RandomGenerator.folded(SeedSequence.deriveSeed(master: 1, indices: [UInt64(j), UInt64(k)])))
        } }
        XCTAssertEqual(seen.count, 10_000)
        // SplitMix64 reference: first output for state 0 is 0xE220A8397B1DCDAF.
        var state: UInt64 = 0
        XCTAssertEqual(SeedSequence.next(&state), 0xE220_A839_7B1D_CDAF)
    }

    func testDistributions() throws {
        XCTAssertEqual(try Distributions.chiSquarePinv(0.6827, dof: 2), 2.2958, accuracy: 1e-4)
        XCTAssertEqual(try Distributions.chiSquarePinv(0.95, dof: 1), 3.84146, accuracy: 1e-5)
        XCTAssertEqual(Distributions.chiSquareQ(3.84146, dof: 1), 0.05, accuracy: 1e-6)
        XCTAssertEqual(Distributions.chiSquareP(2.2958, dof: 2), 0.6827, accuracy: 1e-4)
        XCTAssertEqual(try Distributions.chiSquareQinv(0.05, dof: 1), 3.84146, accuracy: 1e-5)
        XCTAssertEqual(Distributions.gaussianP(1), 0.841344746, accuracy: 1e-9)
        XCTAssertEqual(Distributions.gaussianQ(1.2815515655), 0.1, accuracy: 1e-9)
        XCTAssertEqual(try Distributions.gaussianPinv(0.9), 1.2815515655, accuracy: 1e-9)
        XCTAssertEqual(try Distributions.gaussianQinv(0.05, sigma: 2), 2 * 1.644853627, accuracy: 1e-8)
        XCTAssertThrowsError(try Distributions.gaussianPinv(1.5))
        XCTAssertThrowsError(try Distributions.chiSquarePinv(-0.1, dof: 1))
    }
}
