//! The arithmetic of the figures: rates, means, medians and the change from the period before.

/// The mean of `n` values summing to `sum`, or `None` for none.
pub fn mean(sum: i64, n: i64) -> Option<f64> {
    rate(sum, n)
}

/// `n ÷ d`, or `None` when there is nothing to divide.
pub fn rate(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// The median of some numbers of days (`None` for none); halves between the two middle ones.
pub fn median(mut days: Vec<i64>) -> Option<f64> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    let n = days.len();
    Some(if n % 2 == 1 {
        days[n / 2] as f64
    } else {
        (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0
    })
}

/// The median of some values that may be missing (the store's median of clerks' rates).
pub fn median_f(values: &[Option<f64>]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().flatten().copied().collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// The change from the previous period: a difference of counts, or of rates (in points).
pub fn change(current: Option<f64>, previous: Option<f64>) -> Option<f64> {
    Some(current? - previous?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r10_rates_medians_and_changes() {
        assert_eq!(rate(1, 0), None);
        assert_eq!(rate(3, 4), Some(0.75));
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5, 1, 3]), Some(3.0));
        assert_eq!(median(vec![4, 1, 3, 0]), Some(2.0));
        assert_eq!(median_f(&[None, Some(0.5), Some(1.0)]), Some(0.75));
        assert_eq!(change(Some(3.0), Some(1.0)), Some(2.0));
        assert_eq!(change(Some(3.0), None), None);
    }
}
