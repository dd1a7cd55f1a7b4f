public import SchedTime

extension JobConfig {
    /// The job's first firing strictly after `instant`, like `nextFire(after:)`, except that an
    /// `every` trigger without `start` counts from `anchor` (when the core first added the job)
    /// instead of from `instant`, so neither a reload nor the passing of time shifts its phase:
    /// firings fall on `anchor + k × interval`, k ≥ 1.
    ///
    /// Lives beside the scheduler rather than in `Config/` because the anchor is scheduler state.
    public func nextFire(after instant: Instant, everyAnchor anchor: Instant) -> Instant? {
        guard case .every(let interval, nil) = trigger, start == nil else { return nextFire(after: instant) }
        let step = interval.totalNanoseconds
        guard step > 0 else { return nil }
        let elapsed = instant.nanosecondsSinceEpoch - anchor.nanosecondsSinceEpoch
        let steps = elapsed < 0 ? 1 : elapsed / step + 1
        let (offset, multiplyOverflow) = steps.multipliedReportingOverflow(by: step)
        let (nanoseconds, addOverflow) = anchor.nanosecondsSinceEpoch.addingReportingOverflow(offset)
        guard !multiplyOverflow, !addOverflow else { return nil }
        let fire = Instant(nanosecondsSinceEpoch: nanoseconds)
        if let end, fire > end { return nil }
        return fire
    }
}
