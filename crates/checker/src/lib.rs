#![doc = include_str!("../README.md")]

pub mod breaks;
pub mod judge;
pub mod output;
pub mod report;
pub mod run;
pub mod spec;
