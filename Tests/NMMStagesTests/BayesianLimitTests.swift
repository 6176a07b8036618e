import Foundation
import NMMCore
@testable import NMMStages
@testable import NMMStatistics
import XCTest

/// The Bayesian upper limit (`BayesianLimit`, statistics.md §5): the per-bin background
/// marginal against numerical integration, the Gaussian case against closed forms and a direct
/// integral of exp(−t/2), the Poisson counting case against the textbook (Helene / PDG) limit,
/// nuisance quadrature against sampling and a brute-force grid, reproducibility.
final class BayesianLimitTests: XCTestCase {
    static var long: Bool { ProcessInfo.processInfo.environment["NMM_LONG_TESTS"] == "1" }

    // MARK: (2) the analytic per-bin marginal

    /// ∫₀^∞ Pois(n|α(b+s)) Pois(m|βb) db by GSL (QAGS up to well past the peak, QAGIU beyond),
    /// written here from the Poisson densities, independent of `OnOffBackgroundMarginal`.
    static func numericalMarginal(n: Double, m: Double, s: Double, alpha: Double, beta: Double) throws -> Double {
        func logPois(_ k: Double, _ mu: Double) -> Double {
            mu > 0 ? k * log(mu) - mu - SpecialFunctions.lnGamma(k + 1) : (k == 0 && mu == 0 ? 0 : -.infinity)
        }
        let lower = max(0, -s)
        let bHat = OnOffProfile.profile(on: n, off: m, onScale: alpha, offScale: beta, signal: s).background
        let top = logPois(n, alpha * (bHat + s)) + logPois(m, beta * bHat)
        let f: (Double) -> Double = { b in exp(logPois(n, alpha * (b + s)) + logPois(m, beta * b) - top) }
        let width = (n + m + 1).squareRoot() / (alpha + beta)
        let cut = max(bHat, lower) + 40 * width
        let i = Integrator(absoluteTolerance: 0, relativeTolerance: 1e-12, maxIntervals: 5000)
        var total = 0.0
        if bHat > lower { total += try i.integrate(lower, bHat, f).value }
        total += try i.integrate(max(bHat, lower), cut, f).value
        total += try i.integrateToInfinity(from: cut, f).value
        return top + log(total)
    }

    func testPerBinMarginalEqualsNumericalIntegration() throws {
        let cases: [(n: Double, m: Double, s: Double, alpha: Double, beta: Double)] = [
            (5, 3, 0.4, 2, 1.5), (0, 4, 1.2, 3, 2), (7, 0, 0.3, 1, 4), (0, 0, 0.5, 1, 1), (12, 9, 0, 1, 1),
            (3, 8, -0.7, 1.5, 2),                  // s < 0: the ON rate u = b + s ≥ 0 bounds b
            (208, 55, 0.05, 208.1, 55.2),          // the default fixture's scale (TEXONO-like bin)
            (5000, 3000, 3.1, 1000, 700),           // large counts
            (40_000, 120_000, 0.02, 4e4, 1.2e5),    // larger still, signal ≪ background
        ]
        for c in cases {
            let bin = OnOffBackgroundMarginal(on: c.n, off: c.m, onScale: c.alpha, offScale: c.beta)
            let analytic = try bin.logIntegral(signal: c.s)
            let numeric = try Self.numericalMarginal(n: c.n, m: c.m, s: c.s, alpha: c.alpha, beta: c.beta)
            XCTAssertEqual(analytic, numeric, accuracy: 1e-8, "n = \(c.n), m = \(c.m), s = \(c.s)")
        }
        // Non-integer counts (Asimov data) take the numerical path; it agrees with the reference too.
        let asimov = OnOffBackgroundMarginal(on: 10.4, off: 6.7, onScale: 2, offScale: 1.5)
        XCTAssertFalse(asimov.integerCounts)
        XCTAssertEqual(try asimov.logIntegral(signal: 0.8),
                       try Self.numericalMarginal(n: 10.4, m: 6.7, s: 0.8, alpha: 2, beta: 1.5), accuracy: 1e-8)
        // The flat-prior marginal is not the profile: ln I − (−D/2) depends on s.
        let bin = OnOffBackgroundMarginal(on: 5, off: 3, onScale: 2, offScale: 1.5)
        func gap(_ s: Double) throws -> Double {
            try bin.logIntegral(signal: s) + 0.5 * OnOffProfile.profile(on: 5, off: 3, onScale: 2, offScale: 1.5, signal: s).deviance
        }
        XCTAssertGreaterThan(abs(try gap(0) - gap(2)), 1e-3)
    }

    // MARK: (1) Gaussian case: χ² with κ only

    /// A χ² model with κ only (SM known): χ²(κ) is exactly quadratic, the posterior a truncated Gaussian.
    static func chiSquareKappaOnly(seed: UInt64, kappa: Double = 0.5) throws -> StatisticalModel {
        let input = try TestSpectra.small(kappa: kappa, bins: 6, poissonSeed: seed)
        let set = ModelDataSet(name: "d", energyLowKeV: input.energyLowKeV, energyHighKeV: input.energyHighKeV,
                               onCounts: input.onCounts, offCounts: input.offCounts, onExposureKgDay: input.onExposureKgDay,
                               offExposureKgDay: input.offExposureKgDay,
                               samples: [ModelSample(name: "sm", role: .known, rate: input.smRate),
                                         ModelSample(name: "mm", role: .signal, rate: input.mmRate)])
        return StatisticalModel(dataSets: [set], modifiers: [])
    }

    /// x with ∫₀ˣ e^{−t(k(y))/2} dy = CL·∫₀^∞ (k(y) = y or y²), t from `ModelLikelihood`, by GSL
    /// and bisection: independent of the construction's scan.
    static func directLimit(_ model: StatisticalModel, cl: Double, inMu: Bool) throws -> Double {
        let like = try ModelLikelihood(model: model, statistic: .chi2)
        let fit = try ModelFit(model: model, options: ModelFitOptions(statistic: .chi2)).run()
        let kHat = fit.values[0], sigma = fit.covariance[0][0].squareRoot()
        let tMin = fit.minimum
        let f: (Double) -> Double = { y in
            let k = inMu ? y * y : y
            return exp(-0.5 * ((try? like.evaluate([k]).value) ?? .infinity) + 0.5 * tMin)
        }
        let kEnd = max(kHat, 0) + 12 * sigma, end = inMu ? kEnd.squareRoot() : kEnd
        let integ = Integrator(absoluteTolerance: 0, relativeTolerance: 1e-11)
        let total = try integ.integrate(0, end, f).value
        var lo = 0.0, hi = end
        for _ in 0..<60 {
            let mid = 0.5 * (lo + hi)
            if try integ.integrate(0, mid, f).value < cl * total { lo = mid } else { hi = mid }
        }
        let x = 0.5 * (lo + hi)
        return inMu ? x * x : x
    }

    func testGaussianPosteriorLimitEqualsClosedFormAndDirectIntegral() throws {
        for (seed, kTrue) in [(UInt64(11), 0.5), (UInt64(12), -0.3)] {
            let model = try Self.chiSquareKappaOnly(seed: seed, kappa: kTrue)
            let options = ModelFitOptions(statistic: .chi2)
            let results = try BayesianLimit(model: model, options: options,
                                            configuration: BayesianConfiguration(seed: 1, scanSegments: 40)).intervals()
            XCTAssertEqual(results.map(\.method), [.bayes, .bayesMu])
            // Closed form: Φ((x − κ̂)/σ) = Φ(−κ̂/σ) + CL·(1 − Φ(−κ̂/σ)).
            let fit = try ModelFit(model: model, options: options).run()
            let kHat = fit.values[0], sigma = fit.covariance[0][0].squareRoot()
            let p0 = Distributions.gaussianP(-kHat / sigma)
            let closed = kHat + sigma * (try Distributions.gaussianPinv(p0 + 0.9 * (1 - p0)))
            XCTAssertEqual(results[0].kappaUpper, closed, accuracy: 1e-4 * closed, "seed \(seed): κ̂ = \(kHat), σ = \(sigma)")
            XCTAssertEqual(results[0].kappaUpper, try Self.directLimit(model, cl: 0.9, inMu: false), accuracy: 1e-4 * closed)
            let mu = try Self.directLimit(model, cl: 0.9, inMu: true)
            print("Gaussian case seed \(seed): κ̂ = \(kHat), σ = \(sigma); flat κ: \(results[0].kappaUpper) vs closed form \(closed) "
                  + "(rel \(results[0].kappaUpper / closed - 1)); flat μ: \(results[1].kappaUpper) vs direct \(mu) (rel \(results[1].kappaUpper / mu - 1))")
            XCTAssertEqual(results[1].kappaUpper, mu, accuracy: 1e-4 * mu, "flat in μ_ν")
            XCTAssertLessThan(results[1].kappaUpper, results[0].kappaUpper, "a prior flat in μ_ν favours small κ")
            for r in results {
                XCTAssertNil(r.monteCarloError)
                XCTAssertNil(r.seed, "nothing was drawn")
                XCTAssertEqual(r.curves.map(\.name), ["POSTERIOR", "CDF"])
                XCTAssertEqual(r.curves[1].values.last!, 1, accuracy: 1e-12)
                XCTAssertEqual(r.scanKappa.count, r.curves[0].values.count)
                XCTAssertTrue(zip(r.curves[1].values, r.curves[1].values.dropFirst()).allSatisfy { $0 <= $1 })
            }
        }
    }

    // MARK: (4) Poisson counting with known background: the textbook Bayesian limit

    /// One bin, ON count n, known background B (a known sample), signal κ·1; the OFF exposure is
    /// 1e9 times the ON one with no OFF count, so the flat-prior background is pinned at 0 to
    /// O(1e-9).
    static func countingModel(n: Double, background: Double) -> StatisticalModel {
        let set = ModelDataSet(name: "count", energyLowKeV: [0], energyHighKeV: [1], onCounts: [n], offCounts: [0],
                               onExposureKgDay: 1, offExposureKgDay: 1e9,
                               samples: [ModelSample(name: "b", role: .known, rate: [background]),
                                         ModelSample(name: "s", role: .signal, rate: [1])])
        return StatisticalModel(dataSets: [set], modifiers: [])
    }

    /// Helene (NIM 212 (1983) 319), the PDG "Statistics" review's flat-prior limit:
    /// 1 − CL = Σ_{k≤n} Pois(k; s + B) / Σ_{k≤n} Pois(k; B), solved by bisection.
    static func heleneLimit(n: Int, background b: Double, cl: Double) -> Double {
        func cdf(_ mu: Double) -> Double {
            var term = exp(-mu), sum = term
            if n > 0 { for k in 1...n { term *= mu / Double(k); sum += term } }
            return sum
        }
        var lo = 0.0, hi = 100.0
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if cdf(mid + b) / cdf(b) > 1 - cl { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    func testPoissonCountingLimitEqualsTheTextbookBayesianLimit() throws {
        // PDG (Statistics review, table of Poisson upper limits, b = 0): 2.30, 3.89, 5.32, 6.68, 7.99, 9.27 at 90% CL.
        let pdg: [Int: Double] = [0: 2.30, 1: 3.89, 2: 5.32, 3: 6.68, 4: 7.99, 5: 9.27]
        for (n, b) in [(0, 0.0), (1, 0.0), (3, 0.0), (5, 0.0), (0, 2.0), (3, 2.5), (10, 4.0)] {
            let r = try BayesianLimit(model: Self.countingModel(n: Double(n), background: b), options: ModelFitOptions(statistic: .poisson),
                                      configuration: BayesianConfiguration(methods: [.bayes], seed: 1, scanSegments: 24)).intervals()[0]
            let textbook = Self.heleneLimit(n: n, background: b, cl: 0.9)
            XCTAssertEqual(r.kappaUpper, textbook, accuracy: 1e-6 * textbook, "n = \(n), B = \(b)")
            print("counting n = \(n), B = \(b): κ_up \(r.kappaUpper), Helene \(textbook) (rel \(r.kappaUpper / textbook - 1))")
            if b == 0, let table = pdg[n] { XCTAssertEqual(r.kappaUpper, table, accuracy: 0.005, "PDG table, n = \(n)") }
        }
        // With n = 0 the flat-prior limit does not depend on B (Helene): 2.303 for any B.
        let r = try BayesianLimit(model: Self.countingModel(n: 0, background: 7), options: ModelFitOptions(statistic: .poisson),
                                  configuration: BayesianConfiguration(methods: [.bayes], seed: 1, scanSegments: 24)).intervals()[0]
        XCTAssertEqual(r.kappaUpper, -log(0.1), accuracy: 1e-6)
    }

    // MARK: (3) nuisances: quadrature vs sampling vs a brute-force grid

    /// Four Poisson ON/OFF bins with a Gaussian flux normalisation (σ 0.1) on SM and MM and a
    /// log-normal efficiency (σ 0.2) on MM: two nuisances.
    static func twoNuisanceModel() throws -> StatisticalModel {
        let rng = try RandomGenerator(seed: 77)
        let low = [10.0, 14, 18, 22], high = low.map { $0 + 4 }
        let sm = [0.6, 0.5, 0.45, 0.4], mm = low.map { 1.2 * 10 / ($0 + 2) }, bg = [1.0, 1.1, 0.9, 1.0]
        let tOn = 4.0, tOff = 3.0
        let on = (0..<4).map { Double(rng.poisson(mean: tOn * 4 * (bg[$0] + sm[$0] + 0.3 * mm[$0]))) }
        let off = (0..<4).map { Double(rng.poisson(mean: tOff * 4 * bg[$0])) }
        let set = ModelDataSet(name: "d", energyLowKeV: low, energyHighKeV: high, onCounts: on, offCounts: off,
                               onExposureKgDay: tOn, offExposureKgDay: tOff,
                               samples: [ModelSample(name: "sm", role: .known, rate: sm, modifiers: ["flux"]),
                                         ModelSample(name: "mm", role: .signal, rate: mm, modifiers: ["flux", "eff"])])
        return StatisticalModel(dataSets: [set], modifiers: [
            .normalisation("flux", sigma: 0.1),
            ModelModifier(name: "eff", kind: .normalisation, constraint: .logNormal(sigma: 0.2)),
        ], globalObservables: ["flux": 1.04])
    }

    func testNuisanceQuadratureAgreesWithSamplingAndABruteForceGrid() throws {
        let model = try Self.twoNuisanceModel()
        let options = ModelFitOptions(statistic: .poisson)
        let compiled = try CompiledModel(model)
        let gh = try BayesianPosterior(compiled, options: options, method: .quadrature(pointsPerNuisance: 9))
        try gh.integrand.loadObserved()
        XCTAssertEqual(gh.integrand.dimension, 2)
        XCTAssertEqual(gh.integrand.logScale, [false, true])
        let samples = 20_000
        let isp = try BayesianPosterior(compiled, options: options, method: .sampling(samples: samples))
        try isp.integrand.loadObserved()
        try isp.nuisances.drawSamples(seed: 5)
        for kappa in [0.0, 0.4, 1.5] {
            let quad = try gh.nuisances.logMarginal(kappa: kappa)
            // Brute force: midpoint sums on a 121 × 121 grid over ±10 of the Gaussian scale in u.
            let (centre, factor, _) = try gh.integrand.mode(kappa: kappa)
            let w0 = 10 / factor[0], w1 = 10 / factor[3]       // 1/L_aa ≥ the marginal sd of u_a
            let k = 121
            var logs: [Double] = []
            for i in 0..<k {
                for j in 0..<k {
                    let u = [centre[0] + w0 * (2 * (Double(i) + 0.5) / Double(k) - 1),
                             centre[1] + w1 * (2 * (Double(j) + 0.5) / Double(k) - 1)]
                    logs.append(try u.withUnsafeBufferPointer { try gh.integrand.logDensity(kappa: kappa, $0.baseAddress!) })
                }
            }
            let peak = logs.max()!
            let grid = peak + log(logs.reduce(0) { $0 + exp($1 - peak) } * (2 * w0 / Double(k)) * (2 * w1 / Double(k)))
            XCTAssertEqual(quad, grid, accuracy: 1e-6, "κ = \(kappa): Gauss–Hermite vs grid")
            print("κ = \(kappa): ln m GH \(quad), grid \(grid) (Δ \(quad - grid))")
            // Sampling: within 4 of its own standard errors (relative sd of the mean weight).
            let lw = try isp.nuisances.logImportanceWeights(kappa: kappa)
            let top = lw.max()!, w = lw.map { exp($0 - top) }
            let mean = w.reduce(0, +) / Double(samples)
            let sd = (w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples - 1)).squareRoot()
            let relError = sd / (mean * Double(samples).squareRoot())
            XCTAssertGreaterThan(relError, 0)
            XCTAssertLessThan(relError, 0.01)
            let sampled = try isp.nuisances.logMarginal(kappa: kappa)
            XCTAssertEqual(sampled, quad, accuracy: 4 * relError, "κ = \(kappa): sampling")
            print("κ = \(kappa): ln m sampled \(sampled) ± \(relError) (Δ \(sampled - quad))")
        }
        // The limits: quadrature vs sampling within 4 MC errors.
        let cfg = { (m: NuisanceIntegrationMethod) in
            BayesianConfiguration(nuisanceIntegration: m, seed: 9, scanSegments: Self.long ? 40 : 8)
        }
        let quad = try BayesianLimit(model: model, options: options, configuration: cfg(.quadrature(pointsPerNuisance: 7))).intervals()
        let samp = try BayesianLimit(model: model, options: options, configuration: cfg(.sampling(samples: Self.long ? 5000 : 400))).intervals()
        for (q, s) in zip(quad, samp) {
            let err = try XCTUnwrap(s.monteCarloError)
            XCTAssertGreaterThan(err, 0)
            XCTAssertEqual(s.seed, 9)
            XCTAssertEqual(s.kappaUpper, q.kappaUpper, accuracy: 4 * err, "\(q.method.rawValue): MC error \(err)")
            print("\(q.method.rawValue): κ_up quadrature \(q.kappaUpper), sampling \(s.kappaUpper) ± \(err)")
            XCTAssertTrue(q.notes.contains { $0.contains("Gauss–Hermite") })
            XCTAssertTrue(s.notes.contains { $0.contains("importance sampling") })
        }
        // Marginalising the nuisances widens the posterior: the limit is above the one with them fixed.
        var fixed = model
        fixed.modifiers = [ModelModifier(name: "flux", kind: .normalisation, constraint: .fixed(1.04)),
                           ModelModifier(name: "eff", kind: .normalisation, constraint: .fixed(1))]
        fixed.globalObservables = [:]
        let none = try BayesianLimit(model: fixed, options: options, configuration: cfg(.automatic)).intervals()
        XCTAssertGreaterThan(quad[0].kappaUpper, none[0].kappaUpper)
    }

    /// The importance-sampling error of the limit (delta method on the weights) against the
    /// scatter of the limit over independent seeds, and the seeds' mean against quadrature.
    func testImportanceSamplingErrorMatchesTheScatterOverSeeds() throws {
        let model = try Self.twoNuisanceModel()
        let options = ModelFitOptions(statistic: .poisson)
        let runs = Self.long ? 30 : 6
        var limits: [Double] = [], errors: [Double] = []
        for seed in 0..<runs {
            let r = try BayesianLimit(model: model, options: options,
                                      configuration: BayesianConfiguration(methods: [.bayes], nuisanceIntegration: .sampling(samples: 200),
                                                                           seed: 100 + UInt64(seed), scanSegments: 8)).intervals()[0]
            limits.append(r.kappaUpper)
            errors.append(try XCTUnwrap(r.monteCarloError))
        }
        let mean = limits.reduce(0, +) / Double(runs)
        let scatter = (limits.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(runs - 1)).squareRoot()
        let quoted = errors.reduce(0, +) / Double(runs)
        print("importance sampling, 200 samples: κ_up scatter over \(runs) seeds \(scatter), quoted error \(quoted)")
        // sd of a sample sd from n draws ≈ σ/√(2(n−1)): the bounds hold at ≈ 3σ for 6 runs, tighter for 30.
        XCTAssertGreaterThan(scatter / quoted, Self.long ? 0.6 : 0.3)
        XCTAssertLessThan(scatter / quoted, Self.long ? 1.6 : 2.5)
        let quad = try BayesianLimit(model: model, options: options,
                                     configuration: BayesianConfiguration(methods: [.bayes], seed: 1, scanSegments: 8)).intervals()[0]
        XCTAssertEqual(mean, quad.kappaUpper, accuracy: 4 * quoted / Double(runs).squareRoot())
    }

    /// A free (flat-prior) ON-only term: `.automatic` samples it; quadrature agrees within the
    /// sampling's Monte Carlo error.
    func testFreeOnOnlyTermIsSampledAndAgreesWithQuadrature() throws {
        var model = try Self.twoNuisanceModel()
        let line = model.dataSets[0].energyLowKeV.map { exp(-0.5 * pow(($0 + 2 - 18) / 3, 2)) }
        model.dataSets[0].samples.append(ModelSample(name: "line", role: .onOnly, rate: line, modifiers: ["lineNorm"]))
        model.modifiers = [.normalisation("flux", sigma: 0.1), ModelModifier(name: "eff", kind: .normalisation, constraint: .fixed(1)),
                           ModelModifier(name: "lineNorm", kind: .normalisation, constraint: .free)]
        let options = ModelFitOptions(statistic: .poisson)
        XCTAssertEqual(NuisanceIntegrationMethod.automatic.resolved(dimension: 2, hasFlatPrior: true), .sampling(samples: 4000))
        XCTAssertEqual(NuisanceIntegrationMethod.automatic.resolved(dimension: 3, hasFlatPrior: false), .quadrature(pointsPerNuisance: 7))
        XCTAssertEqual(NuisanceIntegrationMethod.automatic.resolved(dimension: 5, hasFlatPrior: false), .sampling(samples: 4000))
        let cfg = { (m: NuisanceIntegrationMethod) in BayesianConfiguration(methods: [.bayes], nuisanceIntegration: m, seed: 4, scanSegments: 8) }
        let quad = try BayesianLimit(model: model, options: options, configuration: cfg(.quadrature(pointsPerNuisance: 9))).intervals()[0]
        let samp = try BayesianLimit(model: model, options: options, configuration: cfg(.sampling(samples: Self.long ? 4000 : 400))).intervals()[0]
        let err = try XCTUnwrap(samp.monteCarloError)
        print("free ON-only term: κ_up quadrature \(quad.kappaUpper), sampling \(samp.kappaUpper) ± \(err)")
        XCTAssertEqual(samp.kappaUpper, quad.kappaUpper, accuracy: 4 * err)
        XCTAssertTrue(samp.notes.contains { $0.contains("lineNorm") && $0.contains("free normalisations flat") })
    }

    // MARK: reproducibility and expected limits

    func testExpectedLimitsAreSeededAndIndependentOfThreads() throws {
        let model = try Self.chiSquareKappaOnly(seed: 21)
        let options = ModelFitOptions(statistic: .chi2)
        func run(_ threads: Int, seed: UInt64 = 3) throws -> [IntervalResult] {
            try BayesianLimit(model: model, options: options,
                              configuration: BayesianConfiguration(seed: seed, scanSegments: 16, pseudoExperiments: 20,
                                                                   pseudoExperimentSegments: 12, threads: threads)).intervals()
        }
        let one = try run(1), two = try run(2)
        XCTAssertEqual(one, two)
        let bands = try XCTUnwrap(one[0].expected)
        XCTAssertLessThanOrEqual(bands.minus2Sigma, bands.minus1Sigma)
        XCTAssertLessThanOrEqual(bands.minus1Sigma, bands.median)
        XCTAssertLessThan(bands.median, bands.plus1Sigma)
        XCTAssertLessThanOrEqual(bands.plus1Sigma, bands.plus2Sigma)
        XCTAssertEqual(one[0].seed, 3)
        XCTAssertEqual(one[0].toys, 20)
        XCTAssertNotEqual(try run(1, seed: 4)[0].expected, bands, "another seed, other pseudo-experiments")
        // Background-only pseudo-experiments of a Gaussian model: the median limit is near the
        // truncated-Gaussian limit at κ̂ = 0, σ_κ (Φ⁻¹(0.95)·σ), within the spread of 20 draws.
        let fit = try ModelFit(model: model, options: options).run()
        let sigma = fit.covariance[0][0].squareRoot()
        XCTAssertEqual(bands.median, 1.6449 * sigma, accuracy: 0.5 * sigma)
    }

    func testConfigurationIsValidated() throws {
        let model = try Self.chiSquareKappaOnly(seed: 1)
        for bad in [BayesianConfiguration(methods: [.fc], seed: 1), BayesianConfiguration(confidenceLevel: 1, seed: 1),
                    BayesianConfiguration(seed: 1, pseudoExperiments: 3),
                    BayesianConfiguration(nuisanceIntegration: .sampling(samples: 5), seed: 1)] {
            XCTAssertThrowsError(try BayesianLimit(model: model, options: ModelFitOptions(statistic: .chi2), configuration: bad))
        }
    }
}
