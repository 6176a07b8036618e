import NMMCore

/// Whole blocks of toys at one grid point: blocks k ∈ `blocks` of point `point`, each drawn
/// from its own stream deriveSeed(seed, [point, k]).
public struct ToyBlockRequest: Sendable, Equatable {
    public var point: Int
    public var blocks: Range<Int>
    public init(point: Int, blocks: Range<Int>) {
        self.point = point
        self.blocks = blocks
    }
}

/// The block structure of a point's toys. The first pass draws `toysPerPoint` toys in
/// ⌈N/B⌉ blocks of B = `toysPerBlock` (the last one partial); adaptive toys continue with
/// whole blocks k ≥ ⌈N/B⌉ of B toys each, so a point's first N toys never change.
extension ToyConfiguration {
    var firstPassBlocks: Int { (toysPerPoint + toysPerBlock - 1) / toysPerBlock }

    /// Toys in block k.
    func toys(inBlock k: Int) -> Int {
        k < firstPassBlocks ? min(toysPerPoint, (k + 1) * toysPerBlock) - k * toysPerBlock : toysPerBlock
    }

    /// Toys in blocks 0..<n (n ≥ the first pass's blocks, or within them).
    func toys(inBlocks n: Int) -> Int {
        n <= firstPassBlocks ? min(toysPerPoint, n * toysPerBlock) : toysPerPoint + (n - firstPassBlocks) * toysPerBlock
    }

    /// Blocks holding `toys` toys (a count `toys(inBlocks:)` can give).
    func blocks(holding toys: Int) -> Int {
        toys <= toysPerPoint ? (toys + toysPerBlock - 1) / toysPerBlock
            : firstPassBlocks + (toys - toysPerPoint) / toysPerBlock
    }
}

extension ToyBelt {
    /// Toys of a first pass over `slice` of a `grid`-point belt: N in the slice, 0 elsewhere.
    public static func firstPassToys(_ n: Int, grid g: Int, slice: Range<Int>) -> [Int] {
        (0..<g).map { slice.contains($0) ? n : 0 }
    }
}

/// Where each block of a list of requests goes in one flat result buffer, and the parallel
/// tasks over them (up to `group` consecutive blocks of one point per task). Offsets depend
/// only on the requests, so the results do not depend on the thread count.
struct ToyBlockLayout: Sendable {
    struct Task: Sendable {
        var request: Int
        var blocks: Range<Int>
        /// Offset in the buffer of each block of `blocks`.
        var offsets: [Int]
    }

    let tasks: [Task]
    /// Start and length of each request's toys in the buffer.
    let spans: [Range<Int>]
    var totalToys: Int { spans.last?.upperBound ?? 0 }

    init(_ requests: [ToyBlockRequest], configuration cfg: ToyConfiguration, group: Int) {
        var tasks: [Task] = [], spans: [Range<Int>] = [], offset = 0
        for (r, request) in requests.enumerated() {
            let start = offset
            var k = request.blocks.lowerBound
            while k < request.blocks.upperBound {
                let upper = min(k + max(group, 1), request.blocks.upperBound)
                var offsets: [Int] = []
                for b in k..<upper {
                    offsets.append(offset)
                    offset += cfg.toys(inBlock: b)
                }
                tasks.append(Task(request: r, blocks: k..<upper, offsets: offsets))
                k = upper
            }
            spans.append(start..<offset)
        }
        self.tasks = tasks
        self.spans = spans
    }

    func split(_ results: SharedResults) -> [[Double]] {
        spans.map { results.array($0) }
    }
}
