//! Half-open intervals of unix seconds, `[begin, end)`: what is stored, what is missing.
//!
//! A [`etrack::TimeRange`] asked of the provider includes its end second (records at `end` come
//! back), so the range `[b, e]` covers the seconds `[b, e + 1)`: [`span_of`] makes that one step.

use etrack::TimeRange;

/// `[begin, end)` in unix seconds; empty when `begin >= end`.
pub type Span = (i64, i64);

/// The seconds a range covers, its end second included.
pub fn span_of(range: TimeRange) -> Span {
    (range.begin(), range.end().saturating_add(1))
}

/// The parts of `want` that none of `have` covers. `have` must be sorted by begin (it may
/// overlap or touch).
pub fn subtract(want: Span, have: &[Span]) -> Vec<Span> {
    let (mut from, end) = want;
    let mut out = Vec::new();
    for &(b, e) in have {
        if from >= end {
            break;
        }
        if e <= from {
            continue;
        }
        if b >= end {
            break;
        }
        if b > from {
            out.push((from, b));
        }
        from = from.max(e);
    }
    if from < end {
        out.push((from, end));
    }
    out
}

/// `spans` sorted, with overlapping and touching ones merged and empty ones dropped.
pub fn union(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|(b, e)| b < e);
    spans.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for (b, e) in spans {
        match out.last_mut() {
            Some(last) if b <= last.1 => last.1 = last.1.max(e),
            _ => out.push((b, e)),
        }
    }
    out
}

/// `spans` (sorted, disjoint) without `cut`.
pub fn remove(spans: &[Span], cut: Span) -> Vec<Span> {
    let mut out = Vec::with_capacity(spans.len() + 1);
    for &(b, e) in spans {
        if e <= cut.0 || b >= cut.1 {
            out.push((b, e));
            continue;
        }
        if b < cut.0 {
            out.push((b, cut.0));
        }
        if e > cut.1 {
            out.push((cut.1, e));
        }
    }
    out
}

/// The UTC day numbers (unix seconds / 86 400) that `span` touches.
pub fn days(span: Span) -> std::ops::RangeInclusive<i64> {
    if span.0 >= span.1 {
        #[allow(clippy::reversed_empty_ranges)]
        return 1..=0;
    }
    day_of(span.0)..=day_of(span.1 - 1)
}

/// The UTC day number of a unix time.
pub fn day_of(t: i64) -> i64 {
    t.div_euclid(super::DAY_SECS)
}

/// The seconds of a UTC day.
pub fn day_span(day: i64) -> Span {
    let b = day.saturating_mul(super::DAY_SECS);
    (b, b.saturating_add(super::DAY_SECS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtracting_leaves_the_gaps_in_order() {
        assert_eq!(subtract((0, 100), &[]), vec![(0, 100)]);
        assert_eq!(
            subtract((0, 100), &[(10, 20), (15, 30), (50, 60)]),
            vec![(0, 10), (30, 50), (60, 100)]
        );
        assert_eq!(subtract((0, 100), &[(-5, 200)]), vec![]);
        assert_eq!(subtract((10, 20), &[(0, 5), (25, 30)]), vec![(10, 20)]);
        assert_eq!(subtract((10, 20), &[(0, 12), (18, 30)]), vec![(12, 18)]);
    }

    #[test]
    fn union_merges_overlapping_and_touching_spans() {
        assert_eq!(
            union(vec![
                (20, 30),
                (0, 10),
                (10, 15),
                (25, 40),
                (50, 50),
                (60, 70)
            ]),
            vec![(0, 15), (20, 40), (60, 70)]
        );
    }

    #[test]
    fn removing_a_day_cuts_it_out_of_the_spans() {
        assert_eq!(
            remove(&[(0, 10), (20, 40), (50, 60)], (25, 55)),
            vec![(0, 10), (20, 25), (55, 60)]
        );
        assert_eq!(remove(&[(0, 100)], (40, 60)), vec![(0, 40), (60, 100)]);
    }

    #[test]
    fn days_are_utc_and_end_exclusive() {
        assert_eq!(days((0, 86_400)), 0..=0);
        assert_eq!(days((86_399, 86_401)), 0..=1);
        assert_eq!(days((-1, 1)), -1..=0);
        assert!(days((5, 5)).is_empty());
        assert_eq!(day_span(2), (172_800, 259_200));
    }
}
