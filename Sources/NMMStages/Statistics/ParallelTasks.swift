import Dispatch
import Foundation
import Synchronization

/// Called as work completes: (tasks done, total tasks). May be called from any thread.
public typealias ProgressHandler = @Sendable (_ done: Int, _ total: Int) -> Void

/// Runs `taskCount` independent tasks on `threads` workers (DispatchQueue.concurrentPerform).
/// Each worker builds its own state once (`makeWorker`: buffers, generator, profiler) and then
/// pulls task indices from a shared atomic counter. Tasks must write their results only to
/// places determined by the task index, so the outcome does not depend on the thread count
/// or on which worker ran which task.
enum ParallelTasks {
    static var defaultThreadCount: Int { max(ProcessInfo.processInfo.activeProcessorCount, 1) }

    static func run<Worker>(taskCount: Int, threads: Int?, progress: ProgressHandler?,
                            makeWorker: @Sendable () throws -> Worker,
                            task: @Sendable (inout Worker, Int) -> Void) throws {
        guard taskCount > 0 else { return }
        let workers = max(1, min(threads ?? defaultThreadCount, taskCount))
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var worker: Worker
            do { worker = try makeWorker() } catch {
                failure.withLock { if $0 == nil { $0 = error } }
                return
            }
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < taskCount else { break }
                task(&worker, index)
                let finished = done.add(1, ordering: .relaxed).newValue
                progress?(finished, taskCount)
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
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
