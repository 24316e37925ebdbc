//! The resolved corpus: what every renderer sees. Built once after validation.

pub mod refs;
pub mod units;
