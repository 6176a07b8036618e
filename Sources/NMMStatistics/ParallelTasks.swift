import NMMCore
import Dispatch
import Foundation
import Synchronization

/// Called as work completes: (tasks done, total tasks). May be called from any thread.
public typealias ProgressHandler = @Sendable (_ done: Int, _ total: Int) -> Void

/// Runs `taskCount` independent tasks on `threads` workers: the calling thread and
/// `threads` − 1 dedicated threads (not DispatchQueue.concurrentPerform: libdispatch on Linux
/// may start its pool threads late on a busy machine, and the calling thread then takes
/// every task). Each worker builds its own state once (`makeWorker`: buffers, generator,
/// profiler) and then pulls task indices from a shared atomic counter. Tasks must write
/// their results only to places determined by the task index, so the outcome does not
/// depend on the thread count or on which worker ran which task.
enum ParallelTasks {
    static var defaultThreadCount: Int { max(ProcessInfo.processInfo.activeProcessorCount, 1) }

    private final class Shared: Sendable {
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let failure = Mutex<(any Error)?>(nil)
    }

    /// `chunk`: a worker takes this many consecutive tasks at a time (e.g. all blocks of one
    /// grid point); progress is still reported per task.
    static func run<Worker>(taskCount: Int, threads: Int?, chunk: Int = 1, progress: ProgressHandler?,
                            makeWorker: @escaping @Sendable () throws -> Worker,
                            task: @escaping @Sendable (inout Worker, Int) -> Void) throws {
        try run(taskCount: taskCount, threads: threads, chunk: chunk, group: { _ in 1 }, progress: progress,
                makeWorker: makeWorker, tasks: { worker, range in for index in range { task(&worker, index) } })
    }

    /// As `run`, handing a worker up to `group(worker)` consecutive tasks of its chunk at once
    /// (`tasks(worker, range)`); progress is reported per task after each range.
    static func run<Worker>(taskCount: Int, threads: Int?, chunk: Int, group: @escaping @Sendable (Worker) -> Int,
                            progress: ProgressHandler?,
                            makeWorker: @escaping @Sendable () throws -> Worker,
                            tasks: @escaping @Sendable (inout Worker, Range<Int>) -> Void) throws {
        guard taskCount > 0 else { return }
        let chunk = max(chunk, 1), chunks = (taskCount + chunk - 1) / chunk
        let workers = max(1, min(threads ?? defaultThreadCount, chunks))
        let shared = Shared()
        let body: @Sendable () -> Void = {
            var worker: Worker
            do { worker = try makeWorker() } catch {
                shared.failure.withLock { if $0 == nil { $0 = error } }
                return
            }
            let g = max(group(worker), 1)
            while true {
                let c = shared.next.add(1, ordering: .relaxed).oldValue
                guard c < chunks else { break }
                var index = c * chunk
                let end = min(taskCount, (c + 1) * chunk)
                while index < end {
                    let upper = min(end, index + g)
                    tasks(&worker, index..<upper)
                    for _ in index..<upper {
                        let finished = shared.done.add(1, ordering: .relaxed).newValue
                        progress?(finished, taskCount)
                    }
                    index = upper
                }
            }
        }
        let finished = DispatchSemaphore(value: 0)
        for _ in 1..<workers {
            let thread = Thread {
                body()
                finished.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        body()
        for _ in 1..<workers { finished.wait() }
        if let error = shared.failure.withLock({ $0 }) { throw error }
    }
}

/// A fixed-size Double buffer that parallel tasks fill at disjoint, task-determined indices.
final class SharedResults: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<Double>

    init(count: Int, initial: Double = .nan) {
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: initial)
    }

    deinit { pointer.deallocate() }

    subscript(i: Int) -> Double {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    func array(_ range: Range<Int>) -> [Double] { Array(pointer[range]) }
}
